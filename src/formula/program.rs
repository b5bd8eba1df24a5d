//! Compilation: a checked formula to a [`Program`] that is cheap to evaluate many times. (Skeleton.)

use super::Value;
use super::eval::{Context, EvalError};
use crate::diag::{Code, Span};

#[derive(Clone, Debug)]
pub struct Program {}

impl Program {
    pub fn eval(&self, _ctx: &Context) -> Result<Value, EvalError> {
        Err(EvalError {
            code: Code::EvaluationError,
            message: "not implemented".into(),
            span: Span::default(),
        })
    }
}
