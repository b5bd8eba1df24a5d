//! The SAML side of samlfx that needs no C library (signing and verifying live in
//! `samlfx-sign`, the one crate that links libxmlsec1):
//!
//! - [`decode`]: a captured response as the user has it (raw XML, base64 with or without line
//!   breaks, a URL-encoded `SAMLResponse=…&RelayState=…` body, a HAR file) → the XML text and the
//!   decoding steps it went through;
//! - [`response`]: the XML → a SAML Response model (issuer, subject, conditions, attributes,
//!   signatures and what each references), read with the app files' XML reader, whose every
//!   element, attribute and text keeps its bytes and which refuses DTDs instead of resolving them;
//! - [`inspect`]: the model → findings, AWS's checks plus the attribute rule pack `check` runs;
//! - [`idp`]: the IdP certificate (PEM) or metadata that signatures are verified against;
//! - [`diff`]: a captured response against what the app would send now;
//! - [`emit`]: what a Salesforce app would send → the Response XML, with signature templates
//!   for `samlfx-sign` to fill.
#![forbid(unsafe_code)]
// An input error is one Diagnostic, returned at most once per input: not a hot path.
#![allow(clippy::result_large_err)]

pub mod decode;
pub mod diff;
pub mod emit;
pub mod idp;
pub mod inspect;
pub mod response;

/// What a build without signing cannot do: sign (`simulate`) or verify (`inspect`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotBuiltIn {
    Signing,
    Verification,
}

/// S038: this build has no signing or signature verification (the binary's `sign` feature).
pub fn not_built_in(what: NotBuiltIn) -> samlfx_diag::Diagnostic {
    let message = match what {
        NotBuiltIn::Signing => {
            "this samlfx is built without signing: the response below is not signed"
        }
        NotBuiltIn::Verification => {
            "this samlfx is built without signature verification and decryption: no signature was verified, no assertion decrypted"
        }
    };
    samlfx_diag::Diagnostic::new(samlfx_diag::Code::SigningNotBuiltIn, message).with_help(
        "install the build with signing (it needs libxmlsec1 and libclang): `cargo install --path . --features sign`",
    )
}
