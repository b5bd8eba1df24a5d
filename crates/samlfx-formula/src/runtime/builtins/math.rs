//! Math functions. Exact decimal where FE is exact; the transcendental functions go through
//! `f64` and back via Java's `BigDecimal.valueOf(double)` rules, as FE does.

use std::num::NonZeroU64;

use bigdecimal::num_traits::Zero;
use bigdecimal::{BigDecimal, RoundingMode};

use super::super::Fault;
use super::num;
use super::number::{self, from_f64, to_f64};
use crate::Value;
use crate::catalog::Func;
use samlfx_diag::Code;

/// Largest |digits| ROUND/TRUNC accept; beyond it the answer cannot change.
const MAX_DIGITS: i64 = 1000;

pub fn call(func: Func, args: &[Value]) -> Result<Value, Fault> {
    use crate::Value;
    use Func::*;
    if func == Pi {
        return from_f64(std::f64::consts::PI, "PI").map(Value::Number);
    }
    if matches!(func, Max | Min) {
        let mut best: Option<&BigDecimal> = None;
        for i in 0..args.len() {
            let Some(n) = num(args, i) else {
                return Ok(Value::Null);
            };
            best = Some(match best {
                Some(b) if (func == Max) == (b >= n) => b,
                _ => n,
            });
        }
        return Ok(best.map_or(Value::Null, |b| Value::Number(b.clone())));
    }
    // Optional second arguments.
    if func == Trunc && args.len() < 2 {
        return Ok(num(args, 0).map_or(Value::Null, |n| {
            Value::Number(n.with_scale_round(0, RoundingMode::Down))
        }));
    }
    if func == Atan2 {
        let (Some(y), Some(x)) = (num(args, 0), num(args, 1)) else {
            return Ok(Value::Null);
        };
        return from_f64(to_f64(y).atan2(to_f64(x)), "ATAN2").map(Value::Number);
    }
    if matches!(func, Round | Trunc | Mod) {
        let (Some(a), Some(b)) = (num(args, 0), num(args, 1)) else {
            return Ok(Value::Null);
        };
        return Ok(Value::Number(match func {
            Mod => {
                if b.is_zero() {
                    return Err(number::division_by_zero("Division by zero in MOD()"));
                }
                rem(a, b)
            }
            Round => round_to(a, b, RoundingMode::HalfUp),
            _ => round_to(a, b, RoundingMode::Down),
        }));
    }
    let Some(n) = num(args, 0) else {
        return Ok(Value::Null);
    };
    let f = to_f64(n);
    let double = |d: f64, name: &str| from_f64(d, name).map(Value::Number);
    match func {
        Abs => Ok(Value::Number(n.abs())),
        Ceiling => Ok(Value::Number(
            external(n).with_scale_round(0, RoundingMode::Up),
        )),
        Floor => Ok(Value::Number(
            external(n).with_scale_round(0, RoundingMode::Down),
        )),
        MCeiling => Ok(Value::Number(
            external(n).with_scale_round(0, RoundingMode::Ceiling),
        )),
        MFloor => Ok(Value::Number(
            external(n).with_scale_round(0, RoundingMode::Floor),
        )),
        Sqrt => {
            if f < 0.0 {
                return Err(domain("SQRT", n));
            }
            double(f.sqrt(), "SQRT")
        }
        Exp => {
            let r = f.exp();
            if r.is_infinite() {
                return Err(
                    Fault::new(Code::OutOfRange, format!("EXP({n}) is too large"))
                        .with_help("EXP() overflows beyond about EXP(709)"),
                );
            }
            double(r, "EXP")
        }
        Ln | Log => {
            if f <= 0.0 {
                return Err(domain(if func == Ln { "LN" } else { "LOG" }, n));
            }
            // FE computes LOG as ln(x) / ln(10), which differs from log10 in the last digit.
            double(
                if func == Ln {
                    f.ln()
                } else {
                    f.ln() / std::f64::consts::LN_10
                },
                "LN",
            )
        }
        Sin => double(f.sin(), "SIN"),
        Cos => double(f.cos(), "COS"),
        Tan => double(f.tan(), "TAN"),
        Asin | Acos => {
            if !(-1.0..=1.0).contains(&f) {
                return Err(domain(if func == Asin { "ASIN" } else { "ACOS" }, n));
            }
            double(if func == Asin { f.asin() } else { f.acos() }, "ASIN")
        }
        Atan => double(fdlibm_atan(f), "ATAN"),
        _ => Err(Fault::new(
            Code::EvaluationError,
            format!("{func:?} is not a math function"),
        )),
    }
}

/// Java's `Math.atan` is fdlibm's: for |x| ≥ 2.4375 it computes π/2 + atan(−1/x) in two parts,
/// which can differ from the platform `atan` in the last digit (`ATAN(3.141592653589793)`).
fn fdlibm_atan(x: f64) -> f64 {
    const PI_2_HI: f64 = std::f64::consts::FRAC_PI_2;
    const PI_2_LO: f64 = 6.123_233_995_736_766e-17;
    let a = x.abs();
    if !(2.4375..f64::INFINITY).contains(&a) {
        return x.atan();
    }
    (PI_2_HI + (PI_2_LO + (-1.0 / a).atan())).copysign(x)
}

fn domain(name: &str, n: &BigDecimal) -> Fault {
    Fault::new(
        Code::InvalidValue,
        format!("{name}() is not defined for {}", super::number_text(n)),
    )
    .with_help(match name {
        "SQRT" => "SQRT() needs a number of at least 0: guard it with IF(x < 0, NULL, SQRT(x))",
        "LN" | "LOG" => "LN() and LOG() need a number greater than 0: guard it with IF",
        _ => "ASIN() and ACOS() need a number between -1 and 1: guard it with IF",
    })
}

/// FE rounds CEILING/FLOOR arguments to 33 significant digits (HALF_DOWN) first, which absorbs
/// the noise of repeating fractions (`CEILING(6/11*11)` = 6).
fn external(n: &BigDecimal) -> BigDecimal {
    if n.digits() > 33 {
        n.with_precision_round(
            NonZeroU64::new(33).unwrap_or(NonZeroU64::MIN),
            RoundingMode::HalfDown,
        )
    } else {
        n.clone()
    }
}

/// ROUND/TRUNC to `digits` decimal places (negative: tens, hundreds…); a number that already
/// has no more places is returned unchanged, scale included.
fn round_to(n: &BigDecimal, digits: &BigDecimal, mode: RoundingMode) -> BigDecimal {
    let d = number::to_int(digits).clamp(-MAX_DIGITS, MAX_DIGITS);
    if n.fractional_digit_count() <= d {
        return n.clone();
    }
    let r = n.with_scale_round(d, mode);
    if d < 0 { r.with_scale(0) } else { r }
}

/// Java `remainder`: the sign follows the dividend, and the scale is Java's: that of
/// `a - q * b` where the integral quotient `q` carries the preferred scale `a.scale - b.scale`.
fn rem(a: &BigDecimal, b: &BigDecimal) -> BigDecimal {
    let (asc, bsc) = (a.fractional_digit_count(), b.fractional_digit_count());
    let common = asc.max(bsc);
    let (ai, _) = a.with_scale(common).into_bigint_and_exponent();
    let (bi, _) = b.with_scale(common).into_bigint_and_exponent();
    let q = &ai / &bi;
    let r = BigDecimal::new(ai - &q * &bi, common);
    let preferred = asc - bsc;
    let target = if preferred >= 0 {
        asc
    } else {
        let qscale = if q.is_zero() {
            preferred
        } else {
            preferred.max(-(trailing_zeros(&q) as i64))
        };
        asc.max(qscale + bsc)
    };
    r.with_scale(target.max(0).max(r.normalized().fractional_digit_count()))
}

fn trailing_zeros(i: &bigdecimal::num_bigint::BigInt) -> usize {
    let s = i.magnitude().to_string();
    s.len() - s.trim_end_matches('0').len()
}
