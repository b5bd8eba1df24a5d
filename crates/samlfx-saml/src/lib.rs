//! The SAML side of samlfx that needs no C library (signing and verifying live in
//! `samlfx-sign`, the one crate that links libxmlsec1):
//!
//! - [`decode`]: a captured response as the user has it (raw XML, base64 with or without line
//!   breaks, a URL-encoded `SAMLResponse=…&RelayState=…` body, a HAR file) → the XML text and the
//!   decoding steps it went through;
//! - [`dom`]: XML text → a namespace-resolved element tree whose every element, attribute and
//!   text keeps its bytes; DTDs and entities other than XML's own are refused, never resolved;
//! - [`response`]: the tree → a SAML Response model (issuer, subject, conditions, attributes,
//!   signatures and what each references);
//! - [`inspect`]: the model → findings, AWS's checks plus the attribute rule pack `check` runs;
//! - [`emit`]: what a Salesforce app would send → the Response XML, with signature templates
//!   for `samlfx-sign` to fill.
#![forbid(unsafe_code)]

pub mod decode;
pub mod dom;
pub mod emit;
pub mod inspect;
pub mod response;
