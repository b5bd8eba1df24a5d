//! The strict built-in functions and the operators: values in, value out. Lazy functions (IF,
//! CASE, AND, OR, IFS, IFERROR) are evaluated by the program, which then calls these for the
//! rest. Semantics follow the Salesforce formula engine (see the reference, §2 and §4) and are
//! checked against the conformance corpus (`tests/conformance.rs`).
//!
//! Choices where Salesforce is undocumented or the engine has a bug:
//! - CASESAFEID converts only 15-character alphanumeric input; anything else is returned as is
//!   (Classic's documented rule).
//! - HYPERLINK gives `<a href="url" target="_blank">name</a>` (target overridable), IMAGE gives
//!   `<img src="url" alt="alt" [height="h"] [width="w"] border="0"/>`, both HTML-escaped;
//!   `javascript:` URLs are refused. BR gives `<br>`.
//! - ATAN2 with a null argument is null (FE throws a NullPointerException).
//! - Every text a built-in or operator produces is at most [`MAX_TEXT_CHARS`] long (an
//!   out-of-range fault otherwise); SUBSTITUTE, LPAD/RPAD and `&` measure before they build, so
//!   nested calls cannot grow memory or time without bound, at run time or while folding. Numbers beyond 10^1000 and `^` results beyond 10^64 are out-of-range faults.
//! - SQRT, LN, LOG, ASIN, ACOS outside their domain are invalid-value faults.
//! - Text lengths and positions count UTF-16 units, as Salesforce does, so an emoji counts 2. A
//!   cut through such a character (LEFT('😀a', 1), MID, RIGHT, SUBSTR, LPAD/RPAD's cut or fill)
//!   leaves that character out instead of producing half of it: the result is never longer than
//!   asked and never holds U+FFFD the input did not have.

mod currency;
mod datetime;
mod geo;
pub(crate) mod java_regex;
pub mod json;
mod math;
pub mod number;
mod ops;
pub(crate) mod text;

use bigdecimal::BigDecimal;
use chrono::NaiveDateTime;

use super::Fault;
use crate::catalog::Func;
use crate::syntax::{BinaryOp, UnaryOp};
use crate::{Type, Value};
use samlfx_diag::Code;

pub use number::round_result;
pub use ops::{compare, equals};

/// The longest text any function or operator may produce, in UTF-16 units (what LEN counts):
/// Salesforce's largest text value is 131,072 characters. The single bound on text growth.
pub const MAX_TEXT_CHARS: usize = 131_072;

/// The fault for a text of `len` units produced by `what` (`SUBSTITUTE()`, `operator '&'`).
pub(crate) fn too_long(what: &str, len: impl std::fmt::Display) -> Fault {
    Fault::new(
        Code::OutOfRange,
        format!("{what} would produce {len} characters; the maximum is {MAX_TEXT_CHARS}"),
    )
    .with_help(format!(
        "text values are limited to {MAX_TEXT_CHARS} characters: shorten the inputs or cut the result with LEFT()"
    ))
}

/// Makes a text value, refusing one longer than [`MAX_TEXT_CHARS`]: the one constructor every
/// text-producing built-in and operator goes through.
pub(crate) fn checked_text(what: &str, s: impl AsRef<str>) -> Result<Value, Fault> {
    let len = text::units_len(s.as_ref());
    if len > MAX_TEXT_CHARS {
        return Err(too_long(what, len as u128));
    }
    Ok(Value::text(s))
}

/// The result of a built-in, its text length checked.
fn bounded_text(func: Func, v: Value) -> Result<Value, Fault> {
    match &v {
        Value::Text(s) if text::units_len(s) > MAX_TEXT_CHARS => Err(too_long(
            &format!("{}()", crate::catalog::functions::spec(func).name),
            text::units_len(s) as u128,
        )),
        _ => Ok(v),
    }
}

/// What a built-in may read besides its arguments.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    /// The evaluation's single "now" (NOW() - NOW() is 0), UTC.
    pub now: NaiveDateTime,
    /// Whether the tree is deep enough that the evaluator must check the stack at each level
    /// (see `crate::stack`); a shallow tree skips the check, which is most of the cost of
    /// evaluating a short formula.
    pub deep: bool,
}

/// Calls a strict function. `types` are the arguments' static types (a null's type matters: a
/// null Text and a null Number behave differently).
pub fn call(func: Func, args: &[Value], types: &[Type], env: &Env) -> Result<Value, Fault> {
    use crate::Value;
    use Func::*;
    match func {
        If | Case | And | Or | Ifs | IfError => Err(Fault::new(
            Code::EvaluationError,
            format!("{func:?} is lazy: the evaluator handles it"),
        )),
        Not => ops::unary(UnaryOp::Not, Type::Boolean, arg(args, 0)),
        IsBlank => Ok(Value::Boolean(arg(args, 0).is_null())),
        IsNull => {
            let textual = matches!(ty(types, 0), Type::Text | Type::Picklist);
            Ok(Value::Boolean(!textual && arg(args, 0).is_null()))
        }
        BlankValue => Ok(if arg(args, 0).is_null() {
            arg(args, 1)
        } else {
            arg(args, 0)
        }),
        NullValue => {
            let textual = matches!(ty(types, 0), Type::Text | Type::Picklist);
            Ok(if arg(args, 0).is_null() && !textual {
                arg(args, 1)
            } else {
                arg(args, 0)
            })
        }
        IsPickVal => Ok(Value::Boolean(
            ops::equals(Type::Text, &arg(args, 0), &arg(args, 1)) == Some(true),
        )),
        // IN: a null subject or value never matches, even for Text.
        In => {
            let subject = arg(args, 0);
            let t = ty(types, 0);
            Ok(Value::Boolean(
                !subject.is_null()
                    && args
                        .iter()
                        .skip(1)
                        .any(|v| !v.is_null() && ops::equals(t, &subject, v) == Some(true)),
            ))
        }
        Abs | Ceiling | Floor | MCeiling | MFloor | Round | Trunc | Mod | Max | Min | Sqrt
        | Exp | Ln | Log | Pi | Sin | Cos | Tan | Asin | Acos | Atan | Atan2 => {
            math::call(func, args)
        }
        Today | Now | TimeNow | Date | DateValue | DateTimeValue | TimeValue | Year | Month
        | Day | Hour | Minute | Second | Millisecond | Weekday | AddMonths | IsoWeek | IsoYear
        | DayOfYear | UnixTimestamp | FromUnixTime | FormatDuration => {
            datetime::call(func, args, env)
        }
        JsonValue => json::json_value(txt(args, 0), txt(args, 1)),
        JsonPathValue => json::json_path_value(txt(args, 0), txt(args, 1)),
        FormatCurrency => currency::format_currency(txt(args, 0), num(args, 1)),
        Geolocation => geo::geolocation(num(args, 0), num(args, 1)),
        Distance => geo::distance(&arg(args, 0), &arg(args, 1), txt(args, 2)),
        Text => Ok(match arg(args, 0) {
            Value::Null => Value::Null,
            Value::Number(n) => Value::text(number_text(&n)),
            Value::Text(s) => Value::Text(s),
            v => v.to_output().map_or(Value::Null, Value::text),
        }),
        _ => text::call(func, args).and_then(|v| bounded_text(func, v)),
    }
}

/// The argument at `i`, or null when absent.
fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or(Value::Null)
}

fn ty(types: &[Type], i: usize) -> Type {
    types.get(i).copied().unwrap_or(Type::Null)
}

/// The number argument at `i`, if present and non-null.
fn num(args: &[Value], i: usize) -> Option<&BigDecimal> {
    match args.get(i) {
        Some(Value::Number(n)) => Some(n),
        _ => None,
    }
}

/// The text argument at `i`, if present and non-null.
fn txt(args: &[Value], i: usize) -> Option<&str> {
    match args.get(i) {
        Some(Value::Text(s)) => Some(s),
        _ => None,
    }
}

/// TEXT() of a number: plain decimal, trailing zeros stripped, no exponent (`1.50` → `1.5`).
pub fn number_text(n: &BigDecimal) -> String {
    crate::value::format_number(n)
}

/// Applies a unary operator; `ty` is the operand's static type.
pub fn unary(op: UnaryOp, ty: Type, v: Value) -> Result<Value, Fault> {
    ops::unary(op, ty, v)
}

/// Applies a strict binary operator (everything but `&&` and `||`); `lt`/`rt` are the operands'
/// static types.
pub fn binary(op: BinaryOp, lt: Type, rt: Type, l: Value, r: Value) -> Result<Value, Fault> {
    ops::binary(op, lt, rt, l, r)
}

#[cfg(test)]
mod tests;
