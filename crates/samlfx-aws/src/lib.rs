//! What AWS accepts: ARNs ([`arn`]), the sign-in and console endpoints ([`endpoint`]), the SAML
//! attributes AWS reads and the rules their values must follow ([`attribute`], [`rules`]), and
//! the profiles that select rules ([`profile`]). One rule pack serves every command: a value
//! evaluated for one user, a constant folded out of a formula, and the values of a captured
//! assertion are checked by the same functions.
//!
//! Diagnostics carry spans relative to the text they were given (an ARN, one attribute value);
//! the caller moves them into its source.
#![forbid(unsafe_code)]

pub mod arn;
pub mod attribute;
pub mod endpoint;
pub mod formula;
pub mod profile;
pub mod rules;
pub mod shape_check;
