//! Evaluation: the context a formula reads, the evaluator of compiled programs, and the runtime
//! errors it can raise.

pub mod builtins;
pub mod context;
pub(crate) mod machine;

pub use context::Context;

use crate::diag::{Code, Diagnostic, Span};

/// Whether Id fields read as 15 or 18 characters (`--id-length`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IdLength {
    #[default]
    Fifteen,
    Eighteen,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ContextOptions {
    pub id_length: IdLength,
}

/// A runtime error, with the span of the sub-expression that failed.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub code: Code,
    pub message: String,
    pub span: Span,
}

impl EvalError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code, self.message.clone()).at(self.span)
    }
}

/// A runtime failure before the evaluator knows where: the evaluator adds the span of the
/// sub-expression that failed to make an [`EvalError`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub code: Code,
    pub message: String,
}

impl Fault {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
        }
    }

    pub fn at(self, span: Span) -> EvalError {
        EvalError {
            code: self.code,
            message: self.message,
            span,
        }
    }
}
