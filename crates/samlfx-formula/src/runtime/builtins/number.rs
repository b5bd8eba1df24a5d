//! Decimal helpers that reproduce Java `BigDecimal` behaviour the Salesforce engine relies on:
//! 39-digit division, `BigDecimal.valueOf(double)` for the transcendental functions, and the
//! 32-decimal-place rounding of printed results.

use std::num::NonZeroU64;
use std::str::FromStr;

pub use crate::value::round_result;
use bigdecimal::num_bigint::BigInt;
use bigdecimal::num_traits::{ToPrimitive, Zero};
use bigdecimal::{BigDecimal, RoundingMode};

use super::super::Fault;
use samlfx_diag::Code;

/// Significant digits of a division (FE `MC_PRECISION_INTERNAL`).
pub const DIV_PRECISION: u64 = 39;
/// Largest magnitude (decimal digits before the point) a computed number may reach before we
/// refuse it; keeps BigDecimal work bounded.
pub const MAX_MAGNITUDE: i64 = 1000;

/// `a * b` with Java's scale (the sum of the scales). bigdecimal's operator skips the scale when
/// one side equals 1 (`1.0 * 5` would print `5`, Java prints `5.0`).
pub fn mul(a: &BigDecimal, b: &BigDecimal) -> BigDecimal {
    let (ai, asc) = a.as_bigint_and_exponent();
    let (bi, bsc) = b.as_bigint_and_exponent();
    BigDecimal::new(ai * bi, asc + bsc)
}

/// `a + b` with Java's scale (the larger of the two), whatever shortcuts the crate takes.
pub fn add(a: &BigDecimal, b: &BigDecimal) -> BigDecimal {
    let scale = a.fractional_digit_count().max(b.fractional_digit_count());
    let (ai, _) = a.with_scale(scale).into_bigint_and_exponent();
    let (bi, _) = b.with_scale(scale).into_bigint_and_exponent();
    BigDecimal::new(ai + bi, scale)
}

/// Rounds to `prec` significant digits, HALF_UP.
pub fn round_sig(n: &BigDecimal, prec: u64) -> BigDecimal {
    match NonZeroU64::new(prec) {
        Some(p) if n.digits() > prec => n.with_precision_round(p, RoundingMode::HalfUp),
        _ => n.clone(),
    }
}

/// `a / b` the way Java's `divide(b, new MathContext(39, HALF_UP))` does it: an exact quotient
/// keeps the scale nearest to `a.scale - b.scale`, an inexact one has 39 significant digits.
pub fn div(a: &BigDecimal, b: &BigDecimal) -> Result<BigDecimal, Fault> {
    if b.is_zero() {
        return Err(division_by_zero("Division by zero"));
    }
    let (ai, ascale) = a.as_bigint_and_exponent();
    let (bi, bscale) = b.as_bigint_and_exponent();
    let preferred = ascale - bscale;
    if ai.is_zero() {
        return Ok(BigDecimal::new(BigInt::zero(), preferred.max(0)));
    }
    // Shift the dividend so the integer quotient has at least 41 digits.
    let adig = BigDecimal::new(ai.clone(), 0).digits() as i64;
    let bdig = BigDecimal::new(bi.clone(), 0).digits() as i64;
    let shift = (DIV_PRECISION as i64 + 2 - (adig - bdig)).max(0);
    let num = ai * BigInt::from(10).pow(shift as u32);
    let q = &num / &bi;
    let rem = &num % &bi;
    let quotient = BigDecimal::new(q, preferred + shift);
    if rem.is_zero() {
        // Exact: drop trailing zeros down to the preferred scale.
        let mut r = quotient;
        let norm = r.normalized();
        let target = norm.fractional_digit_count().max(preferred);
        if target < r.fractional_digit_count() {
            r = r.with_scale(target);
        }
        if r.digits() <= DIV_PRECISION {
            return Ok(r);
        }
        return Ok(round_sig(&r, DIV_PRECISION));
    }
    Ok(round_sig(&quotient, DIV_PRECISION))
}

/// A division (or MOD, or a negative power of zero) by zero.
pub fn division_by_zero(message: &str) -> Fault {
    Fault::new(Code::DivisionByZero, message).with_help("guard the divisor: IF(d = 0, NULL, n / d)")
}

/// Java `BigDecimal.valueOf(double)`: the shortest decimal that reads back as `d`, with the
/// scale of `Double.toString` (so `1.0` keeps one decimal place). NaN and infinities fail.
pub fn from_f64(d: f64, func: &str) -> Result<BigDecimal, Fault> {
    if !d.is_finite() {
        return Err(Fault::new(
            Code::InvalidValue,
            format!("{func}() has no numeric result for this argument"),
        )
        .with_help("keep the argument within the function's range, or guard it with IF"));
    }
    if d == 0.0 {
        return Ok(BigDecimal::new(BigInt::zero(), 1));
    }
    let sci = format!("{:e}", d.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let frac_len = digits.len() as i64 - 1;
    let unscaled = BigInt::from_str(&digits).unwrap_or_default();
    let unscaled = if d < 0.0 { -unscaled } else { unscaled };
    let abs = d.abs();
    let scale = if (1e-3..1e7).contains(&abs) {
        // Plain notation: at least one fractional digit.
        let s = frac_len - exp;
        if s < 1 {
            return Ok(BigDecimal::new(unscaled, s).with_scale(1));
        }
        s
    } else {
        // Computerized scientific notation: the mantissa keeps at least one fractional digit.
        let mfrac = frac_len.max(1);
        if mfrac > frac_len {
            return Ok(BigDecimal::new(unscaled * BigInt::from(10), mfrac - exp));
        }
        mfrac - exp
    };
    Ok(BigDecimal::new(unscaled, scale))
}

/// The value as the nearest double (for the transcendental functions), correctly rounded like
/// Java's `doubleValue()`: parsing the decimal text, not the crate's approximate conversion.
pub fn to_f64(n: &BigDecimal) -> f64 {
    let (i, scale) = n.as_bigint_and_exponent();
    format!("{i}e{}", -scale)
        .parse()
        .unwrap_or_else(|_| n.to_f64().unwrap_or(f64::NAN))
}

/// Java `intValue()` of a BigDecimal, saturated instead of wrapped: truncates toward zero.
pub fn to_int(n: &BigDecimal) -> i64 {
    let t = n.with_scale_round(0, RoundingMode::Down);
    t.to_i64()
        .unwrap_or(if t.sign() == bigdecimal::num_bigint::Sign::Minus {
            i64::MIN / 2
        } else {
            i64::MAX / 2
        })
}

/// The integer part of `n` for messages: what [`to_int`] reads, but never its clamped value.
pub fn whole_text(n: &BigDecimal) -> String {
    super::number_text(&n.with_scale_round(0, RoundingMode::Down))
}

/// Like [`to_int`] but clamped into `i32`, Java's `int` range.
pub fn to_i32(n: &BigDecimal) -> i32 {
    to_int(n).clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// A whole number as a value.
pub fn int(i: i64) -> BigDecimal {
    BigDecimal::from(i)
}

/// Most significant digits an exact sum or product may keep: a long chain of `0.9 * 0.9 * …`
/// would otherwise grow by a digit or two per operator and make each step slower.
pub const MAX_DIGITS: u64 = 10_000;

/// Refuses numbers so large, or so long, that further exact arithmetic could exhaust memory or
/// time.
pub fn bounded(n: BigDecimal, what: &str) -> Result<BigDecimal, Fault> {
    if n.digits() > MAX_DIGITS {
        return Err(Fault::new(
            Code::OutOfRange,
            format!("the result of {what} has more than {MAX_DIGITS} digits"),
        )
        .with_help("round intermediate results with ROUND(x, places)"));
    }
    if !n.is_zero() && n.order_of_magnitude() > MAX_MAGNITUDE {
        return Err(Fault::new(
            Code::OutOfRange,
            format!("the result of {what} is too large"),
        )
        .with_help(format!(
            "numbers are limited to {MAX_MAGNITUDE} digits before the point"
        )));
    }
    Ok(n)
}

/// `base ^ exp`: the exponent must be a whole number; the result has 18 significant digits,
/// fails beyond 10^64 and becomes 0 below 10^-39 (FE's POWER rules).
pub fn pow(base: &BigDecimal, exp: &BigDecimal) -> Result<BigDecimal, Fault> {
    if !exp.is_integer() {
        return Err(Fault::new(
            Code::EvaluationError,
            format!("the exponent of ^ must be a whole number, not {exp}"),
        )
        .with_help("round the exponent first: ROUND(e, 0)"));
    }
    let n = match exp.with_scale(0).to_i64() {
        Some(n) if n.abs() <= i32::MAX as i64 => n,
        _ => return Err(out_of_range_pow()),
    };
    if n == 0 {
        return Ok(int(1));
    }
    if base.is_zero() {
        if n < 0 {
            return Err(division_by_zero("Division by zero"));
        }
        return Ok(int(0));
    }
    let absb = base.abs();
    let log = log10_estimate(&absb) * n as f64;
    if log > 64.0 {
        return Err(out_of_range_pow());
    }
    if log < -39.0 {
        return Ok(int(0));
    }
    const WORK: u64 = 50;
    let mut result: Option<BigDecimal> = None;
    let mut sq = base.clone();
    let mut e = n.unsigned_abs();
    while e > 0 {
        if e & 1 == 1 {
            result = Some(match result {
                Some(r) => round_sig(&mul(&r, &sq), WORK),
                None => sq.clone(),
            });
        }
        e >>= 1;
        if e > 0 {
            sq = round_sig(&mul(&sq, &sq), WORK);
        }
    }
    let mut result = result.unwrap_or_else(|| int(1));
    if n < 0 {
        result = div(&int(1), &result)?;
    }
    Ok(round_sig(&result, 18))
}

fn out_of_range_pow() -> Fault {
    Fault::new(
        Code::OutOfRange,
        "Out of range argument to POWER() function",
    )
    .with_help("a power may not exceed 10^64: use a smaller base or exponent")
}

/// log10 of a positive decimal, good enough to compare with the range bounds.
fn log10_estimate(n: &BigDecimal) -> f64 {
    let (i, scale) = n.as_bigint_and_exponent();
    let s = i.magnitude().to_string();
    let lead: f64 = s[..s.len().min(17)].parse().unwrap_or(1.0);
    lead.log10() + (s.len() as i64 - s.len().min(17) as i64 - scale) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> BigDecimal {
        BigDecimal::from_str(s).unwrap()
    }

    #[test]
    fn java_double_conversion() {
        assert_eq!(from_f64(1.0, "x").unwrap().to_plain_string(), "1.0");
        assert_eq!(from_f64(0.0, "x").unwrap().to_plain_string(), "0.0");
        assert_eq!(
            from_f64(4f64.ln() / std::f64::consts::LN_10, "x")
                .unwrap()
                .to_plain_string(),
            "0.6020599913279623"
        );
        assert_eq!(
            from_f64(56f64.exp(), "x").unwrap().to_plain_string(),
            "2091659496012996000000000"
        );
        assert_eq!(
            from_f64((-10f64).exp(), "x").unwrap().to_plain_string(),
            "0.000045399929762484854"
        );
        assert_eq!(
            from_f64(20f64.exp(), "x").unwrap().to_plain_string(),
            "485165195.4097903"
        );
        assert_eq!(from_f64(256.0, "x").unwrap().to_plain_string(), "256.0");
        assert_eq!(
            from_f64(1e10, "x").unwrap().to_plain_string(),
            "10000000000"
        );
        assert!(from_f64(f64::NAN, "x").is_err());
    }

    #[test]
    fn division() {
        assert_eq!(div(&d("10"), &d("4")).unwrap().to_plain_string(), "2.5");
        assert_eq!(div(&d("1"), &d("1")).unwrap().to_plain_string(), "1");
        assert_eq!(div(&d("1.00"), &d("1")).unwrap().to_plain_string(), "1.00");
        assert_eq!(
            round_result(&div(&d("9"), &d("11")).unwrap()).to_plain_string(),
            "0.81818181818181818181818181818182"
        );
        assert_eq!(
            div(&d("2"), &d("3")).unwrap().to_plain_string(),
            "0.666666666666666666666666666666666666667"
        );
        assert_eq!(
            div(&d("1"), &d("0")).unwrap_err().code,
            Code::DivisionByZero
        );
    }

    #[test]
    fn power() {
        assert_eq!(pow(&d("0.0"), &d("0.0")).unwrap().to_plain_string(), "1");
        assert_eq!(
            pow(&d("-1.0"), &d("99.0")).unwrap().to_plain_string(),
            "-1.00000000000000000"
        );
        assert_eq!(
            pow(&d("99"), &d("-1")).unwrap().to_plain_string(),
            "0.0101010101010101010"
        );
        assert_eq!(
            pow(&d("1.00596"), &d("240")).unwrap().to_plain_string(),
            "4.16265990153128262"
        );
        assert_eq!(pow(&d("-20"), &d("-40")).unwrap().to_plain_string(), "0");
        assert!(pow(&d("1.1"), &d("1.1")).is_err());
        assert!(pow(&d("123456789"), &d("123456789")).is_err());
        assert!(pow(&d(".0000000000001"), &d("-1000")).is_err());
        assert_eq!(pow(&d("2"), &d("10")).unwrap().to_plain_string(), "1024");
    }

    #[test]
    fn result_rounding() {
        assert_eq!(round_result(&d("20.12345")).to_plain_string(), "20.12345");
        assert_eq!(round_result(&d("0.0000000")).to_plain_string(), "0.0000000");
        assert_eq!(round_result(&d("2E+1")).to_plain_string(), "20");
    }
}
