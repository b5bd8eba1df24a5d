//! Evaluation: the context a formula reads and the runtime errors it can raise. (Skeleton.)

use crate::diag::{Code, Span};

/// The values a formula reads: merge fields, permissions and record fields.
#[derive(Clone, Debug, Default)]
pub struct Context {}

/// A runtime error, with the span of the sub-expression that failed.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub code: Code,
    pub message: String,
    pub span: Span,
}
