//! XML signatures for samlfx, through samael over libxmlsec1: the only crate of the workspace
//! that links a system C library, so that everything else builds for any target.
//!
//! - signing a Response written by `samlfx_saml::emit` (its `<ds:Signature>` templates, the
//!   assertion's first and then the response's) with an RSA key and its certificate, given as
//!   PEM or generated for the run;
//! - verifying one signature of a captured response against a certificate (PEM, or the base64
//!   of IdP metadata's `<ds:X509Certificate>`);
//! - decrypting an encrypted assertion with the service provider's private key (OpenSSL).
#![forbid(unsafe_code)]

pub mod decrypt;
pub mod keys;
pub mod sign;
pub mod verify;
