//! The operators: arithmetic, concatenation and comparison, with Salesforce's null rules.

use std::cmp::Ordering;
use std::sync::Arc;

use bigdecimal::{BigDecimal, RoundingMode};
use chrono::{Duration, NaiveDateTime, NaiveTime};

use super::super::Fault;
use super::number::{self, bounded, div, pow};
use super::text::units_len;
use super::{MAX_TEXT_CHARS, checked_text, too_long};
use crate::syntax::{BinaryOp, UnaryOp};
use crate::{Type, Value};
use samlfx_diag::Code;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

pub fn unary(op: UnaryOp, ty: Type, v: Value) -> Result<Value, Fault> {
    Ok(match (op, v) {
        (_, Value::Null) => Value::Null,
        (UnaryOp::Plus, v @ Value::Number(_)) => v,
        (UnaryOp::Minus, Value::Number(n)) => Value::Number(-n),
        (UnaryOp::Not, Value::Boolean(b)) => Value::Boolean(!b),
        (op, v) => return Err(mismatch(op.symbol(), ty, &v)),
    })
}

fn mismatch(op: &str, ty: Type, v: &Value) -> Fault {
    Fault::new(
        Code::EvaluationError,
        format!(
            "operator {op} cannot be applied to a {} value (static type {ty})",
            v.type_of().map_or("null", Type::label)
        ),
    )
    .with_help("convert the operand first: TEXT(), VALUE() or DATEVALUE()")
}

fn is_textual(t: Type) -> bool {
    matches!(t, Type::Text | Type::Picklist)
}

/// Joins two texts; null counts as empty. The length is checked before anything is built;
/// small results are built on the stack so the only allocation is the `Arc<str>` itself.
pub fn concat(op: &str, l: Value, r: Value) -> Result<Value, Fault> {
    Ok(match (l, r) {
        (Value::Text(a), Value::Text(b)) => {
            let len = units_len(&a) + units_len(&b);
            if len > MAX_TEXT_CHARS {
                return Err(too_long(&format!("operator '{op}'"), len as u128));
            }
            Value::Text(join(&a, &b))
        }
        (Value::Null, x) | (x, Value::Null) => x,
        (a, b) => checked_text(
            &format!("operator '{op}'"),
            format!(
                "{}{}",
                a.to_output().unwrap_or_default(),
                b.to_output().unwrap_or_default()
            ),
        )?,
    })
}

fn join(a: &str, b: &str) -> Arc<str> {
    let n = a.len() + b.len();
    if n <= 256 {
        let mut buf = [0u8; 256];
        buf[..a.len()].copy_from_slice(a.as_bytes());
        buf[a.len()..n].copy_from_slice(b.as_bytes());
        if let Ok(s) = std::str::from_utf8(&buf[..n]) {
            return Arc::from(s);
        }
    }
    let mut s = String::with_capacity(n);
    s.push_str(a);
    s.push_str(b);
    Arc::from(s)
}

pub fn binary(op: BinaryOp, lt: Type, rt: Type, l: Value, r: Value) -> Result<Value, Fault> {
    use BinaryOp::*;
    match op {
        Concat => concat("&", l, r),
        Add if is_textual(lt) || is_textual(rt) || matches!(l, Value::Text(_)) => concat("+", l, r),
        Eq => Ok(opt_bool(equals2(lt, rt, &l, &r))),
        Ne => Ok(opt_bool(equals2(lt, rt, &l, &r).map(|b| !b))),
        Lt | Gt | Le | Ge => {
            if l.is_null() || r.is_null() {
                return Ok(Value::Null);
            }
            let ord = compare(&l, &r).ok_or_else(|| mismatch(op.symbol(), lt, &l))?;
            Ok(Value::Boolean(match op {
                Lt => ord == Ordering::Less,
                Gt => ord == Ordering::Greater,
                Le => ord != Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        And | Or => match (l, r) {
            (Value::Boolean(a), Value::Boolean(b)) => {
                Ok(Value::Boolean(if op == And { a && b } else { a || b }))
            }
            (Value::Boolean(a), Value::Null) | (Value::Null, Value::Boolean(a)) => {
                Ok(Value::Boolean(op == Or && a))
            }
            _ => Ok(Value::Boolean(false)),
        },
        _ => {
            if l.is_null() || r.is_null() {
                return Ok(Value::Null);
            }
            arith(op, l, r)
        }
    }
}

fn opt_bool(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Boolean)
}

fn arith(op: BinaryOp, l: Value, r: Value) -> Result<Value, Fault> {
    use BinaryOp::*;
    use Value::*;
    Ok(match (op, l, r) {
        (Add, Number(a), Number(b)) => Number(bounded(number::add(&a, &b), "+")?),
        (Sub, Number(a), Number(b)) => Number(bounded(number::add(&a, &-b), "-")?),
        (Mul, Number(a), Number(b)) => Number(bounded(number::mul(&a, &b), "*")?),
        (Div, Number(a), Number(b)) => Number(div(&a, &b)?),
        (Pow, Number(a), Number(b)) => Number(pow(&a, &b)?),
        (Add, Date(d), Number(n)) | (Add, Number(n), Date(d)) => Date(add_days(d, &n)?),
        (Sub, Date(d), Number(n)) => Date(add_days(d, &-n)?),
        (Add, DateTime(t), Number(n)) | (Add, Number(n), DateTime(t)) => {
            DateTime(add_fraction_days(t, &n)?)
        }
        (Sub, DateTime(t), Number(n)) => DateTime(add_fraction_days(t, &-n)?),
        (Add, Time(t), Number(n)) | (Add, Number(n), Time(t)) => Time(add_ms(t, &n)?),
        (Sub, Time(t), Number(n)) => Time(add_ms(t, &-n)?),
        (Sub, Date(a), Date(b)) => Number(number::int((a - b).num_days())),
        (Sub, DateTime(a), DateTime(b)) => Number(div(
            &number::int((a - b).num_milliseconds()),
            &number::int(DAY_MS),
        )?),
        (Sub, Date(a), DateTime(b)) => Number(div(
            &number::int((midnight(a) - b).num_milliseconds()),
            &number::int(DAY_MS),
        )?),
        (Sub, DateTime(a), Date(b)) => Number(div(
            &number::int((a - midnight(b)).num_milliseconds()),
            &number::int(DAY_MS),
        )?),
        // Time − Time: milliseconds from `b` forward to `a`, wrapping at midnight.
        (Sub, Time(a), Time(b)) => Number(number::int((a as i64 - b as i64).rem_euclid(DAY_MS))),
        (op, l, _) => return Err(mismatch(op.symbol(), Type::Null, &l)),
    })
}

fn midnight(d: chrono::NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn date_range() -> Fault {
    Fault::new(Code::OutOfRange, "the resulting date is out of range")
        .with_help("a date moves by at most 5,000,000 days; check the number of days added")
}

/// Date + n: n is truncated toward zero to whole days.
pub fn add_days(d: chrono::NaiveDate, n: &BigDecimal) -> Result<chrono::NaiveDate, Fault> {
    let days = number::to_int(n);
    if days.abs() > 5_000_000 {
        return Err(date_range());
    }
    d.checked_add_signed(Duration::days(days))
        .ok_or_else(date_range)
}

/// DateTime + n: fractional days are rounded to whole seconds (HALF_UP), as FE does.
fn add_fraction_days(t: NaiveDateTime, n: &BigDecimal) -> Result<NaiveDateTime, Fault> {
    let secs = (n * BigDecimal::from(DAY_MS / 1000)).with_scale_round(0, RoundingMode::HalfUp);
    let ms = number::to_int(&secs).saturating_mul(1000);
    if ms.abs() > 5_000_000 * DAY_MS {
        return Err(date_range());
    }
    t.checked_add_signed(Duration::milliseconds(ms))
        .ok_or_else(date_range)
}

/// Time + n milliseconds: wraps past midnight, but a result before midnight is an error (as in
/// FE, which builds a `LocalTime` from the sum).
fn add_ms(t: u32, n: &BigDecimal) -> Result<u32, Fault> {
    let sum = (t as i64).saturating_add(number::to_int(n));
    if sum < 0 {
        return Err(Fault::new(
            Code::OutOfRange,
            "the resulting time is before midnight",
        )
        .with_help("a Time lies within one day: add a positive number of milliseconds, or compute with a DateTime"));
    }
    Ok((sum % DAY_MS) as u32)
}

/// `=` semantics for CASE and IN: Text compares with null as "" (case-sensitive); any other null
/// gives `None`.
pub fn equals(lt: Type, l: &Value, r: &Value) -> Option<bool> {
    equals2(lt, lt, l, r)
}

fn equals2(lt: Type, rt: Type, l: &Value, r: &Value) -> Option<bool> {
    let textual = is_textual(lt)
        || is_textual(rt)
        || matches!(l, Value::Text(_))
        || matches!(r, Value::Text(_));
    if textual {
        let a = as_str(l);
        let b = as_str(r);
        return Some(a == b);
    }
    if l.is_null() || r.is_null() {
        return None;
    }
    compare(l, r).map(|o| o == Ordering::Equal)
}

fn as_str(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        _ => "",
    }
}

/// Orders two non-null values of the same kind. Text compares by UTF-16 code units (Java).
pub fn compare(l: &Value, r: &Value) -> Option<Ordering> {
    use Value::*;
    Some(match (l, r) {
        (Number(a), Number(b)) => a.cmp(b),
        (Text(a), Text(b)) => a.encode_utf16().cmp(b.encode_utf16()),
        (Boolean(a), Boolean(b)) => a.cmp(b),
        (Date(a), Date(b)) => a.cmp(b),
        (DateTime(a), DateTime(b)) => a.cmp(b),
        (Date(a), DateTime(b)) => midnight(*a).cmp(b),
        (DateTime(a), Date(b)) => a.cmp(&midnight(*b)),
        (Time(a), Time(b)) => a.cmp(b),
        _ => return None,
    })
}
