//! The record fields a formula may read besides merge fields: declared by a context (its
//! `fields` object, `--set`) and read by the checker. Neutral ground, so the checker and the
//! evaluation context both depend on it rather than on each other.

use std::collections::HashMap;

use super::Type;

/// Record fields a formula may read besides merge fields (the conformance corpus's
/// `customtext1__c`); keys are lower-cased names.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub record: HashMap<String, RecordField>,
}

#[derive(Clone, Debug)]
pub struct RecordField {
    /// As declared.
    pub name: String,
    pub ty: Type,
    /// A formula field: its own formula, checked and inlined where it is referenced.
    pub formula: Option<String>,
}
