//! Value shapes: what the values of a field or a formula can look like (length range, character
//! set, blankness), so that rules can be proved from a formula alone, with no user data.
//!
//! **Lengths are counted in UTF-16 code units everywhere** (what Salesforce's `LEN()` and field
//! limits count, and what AWS's Java services count; for the ASCII values AWS's SAML attributes
//! allow, it is the number of characters).

pub mod analyze;
pub mod charset;

pub use analyze::{Origin, OriginKind, ShapeOptions, TextShape};
pub use charset::CharSet;
