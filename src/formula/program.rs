//! Compilation: source text to a [`Program`] that is cheap to evaluate many times. This is the
//! front door of the formula pipeline: parse, check, compile. (Skeleton: bodies to be written.)

use super::check::Schema;
use super::eval::{Context, EvalError};
use super::syntax::ParseLimits;
use super::{Type, Value};
use crate::diag::{Code, Diagnostic, Span};

#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// The type the result must have: `Some(Text)` for a SAML attribute.
    pub expected: Option<Type>,
    /// Salesforce's "treat blank fields as zeroes": a blank Number field reads as 0.
    pub blank_as_zero: bool,
    /// Record fields the formula may read (merge fields are always available).
    pub schema: Option<Schema>,
    pub limits: ParseLimits,
}

/// The result of compiling: the program when there was no error, and every diagnostic (errors,
/// warnings and infos) in source order.
#[derive(Debug)]
pub struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug)]
pub struct Program {}

impl Program {
    /// Parses, checks and compiles one formula.
    pub fn compile(_src: &str, _opts: &CompileOptions) -> Compiled {
        Compiled {
            program: None,
            diagnostics: Vec::new(),
        }
    }

    /// The static type of the result.
    pub fn result_type(&self) -> Type {
        Type::Null
    }

    pub fn eval(&self, _ctx: &Context) -> Result<Value, EvalError> {
        Err(EvalError {
            code: Code::EvaluationError,
            message: "not implemented".into(),
            span: Span::default(),
        })
    }
}
