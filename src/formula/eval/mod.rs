//! Evaluation: the context a formula reads and the runtime errors it can raise. (Skeleton: bodies
//! to be written.)

pub mod builtins;

use super::check::Schema;
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

/// The values a formula reads: merge fields, permissions and record fields.
#[derive(Clone, Debug, Default)]
pub struct Context {}

impl Context {
    pub fn new(_opts: ContextOptions) -> Self {
        Context {}
    }

    /// Reads a `--context` file: the JSON of DESIGN.md, or a User record as `sf data query --json`
    /// prints it.
    pub fn from_json(_json: &str, opts: ContextOptions) -> Result<Context, Vec<Diagnostic>> {
        Ok(Context::new(opts))
    }

    /// Applies one `--set NAME=VALUE` (`$User.Alias=jdoe`, `$Permission.X=true`, or a declared
    /// record field).
    pub fn set(&mut self, _assignment: &str) -> Result<(), Diagnostic> {
        Ok(())
    }

    /// The record fields declared by the context (its `fields` object), for the checker.
    pub fn schema(&self) -> Schema {
        Schema::default()
    }
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
