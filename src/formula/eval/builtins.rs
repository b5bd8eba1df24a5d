//! The strict built-in functions and the operators: values in, value out. Lazy functions (IF,
//! CASE, AND, OR, IFS, IFERROR) are evaluated by the program, which then calls these for the
//! rest. (Skeleton: bodies to be written.)

use chrono::NaiveDateTime;

use super::Fault;
use crate::formula::catalog::Func;
use crate::formula::syntax::{BinaryOp, UnaryOp};
use crate::formula::{Type, Value};

/// What a built-in may read besides its arguments.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    /// The evaluation's single "now" (NOW() - NOW() is 0), UTC.
    pub now: NaiveDateTime,
}

/// Calls a strict function. `types` are the arguments' static types (a null's type matters: a
/// null Text and a null Number behave differently).
pub fn call(func: Func, args: &[Value], types: &[Type], env: &Env) -> Result<Value, Fault> {
    let _ = (args, types, env);
    Err(Fault::new(
        crate::diag::Code::EvaluationError,
        format!("{func:?} is not implemented"),
    ))
}

/// Applies a unary operator; `ty` is the operand's static type.
pub fn unary(op: UnaryOp, ty: Type, v: Value) -> Result<Value, Fault> {
    let _ = (op, ty, v);
    Err(Fault::new(
        crate::diag::Code::EvaluationError,
        "not implemented",
    ))
}

/// Applies a strict binary operator (everything but `&&` and `||`); `lt`/`rt` are the operands'
/// static types.
pub fn binary(op: BinaryOp, lt: Type, rt: Type, l: Value, r: Value) -> Result<Value, Fault> {
    let _ = (op, lt, rt, l, r);
    Err(Fault::new(
        crate::diag::Code::EvaluationError,
        "not implemented",
    ))
}
