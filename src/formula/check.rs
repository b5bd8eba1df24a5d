//! The type checker: AST to typed IR. (Skeleton.)

use std::collections::HashMap;

use super::Type;
use super::ir::Typed;
use super::syntax::Expr;
use crate::diag::Diagnostic;

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

#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions<'a> {
    /// The type the result must have (Text for a SAML attribute), if any.
    pub expected: Option<Type>,
    pub schema: Option<&'a Schema>,
}

/// The checker's output: the typed tree when there were no errors, and every diagnostic found.
#[derive(Debug)]
pub struct Checked {
    pub typed: Option<Typed>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn check(_expr: &Expr, _opts: &CheckOptions) -> Checked {
    Checked {
        typed: None,
        diagnostics: Vec::new(),
    }
}
