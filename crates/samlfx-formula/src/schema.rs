//! The record fields a formula may read besides merge fields: declared by a context (its
//! `fields` object, `--set`, custom fields of a global) and read by the checker. Neutral
//! ground, so the checker and the evaluation context both depend on it rather than on each other.

use std::collections::HashMap;

use super::Type;
use super::catalog::fields::Global;

/// Record fields a formula may read besides merge fields (the conformance corpus's
/// `customtext1__c`); keys are lower-cased names. A global's custom field is a record field
/// keyed by its lower-cased full name (`$user.aws_role__c` for `$User.AWS_Role__c`): the
/// checker resolves it to [`crate::ir::FieldKey::Record`] with that key, so compiling
/// and evaluating it need nothing new.
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

/// The full name of a custom field (`$User.AWS_Role__c`): a name ending in `__c` on `$User`,
/// `$Organization`, `$Profile` or `$UserRole`. A context declares these; the catalog cannot.
pub fn custom_name(global: Global, field: &str) -> Option<String> {
    let stem = field.len().checked_sub(3).and_then(|n| field.get(..n))?;
    let custom = global != Global::System
        && field[stem.len()..].eq_ignore_ascii_case("__c")
        && !stem.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    custom.then(|| format!("{}.{field}", global.name()))
}
