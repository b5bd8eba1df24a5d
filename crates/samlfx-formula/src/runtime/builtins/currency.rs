//! FORMATCURRENCY(iso_code, amount), as the engine formats it with its en_US localizer (the one
//! locale the corpus and samlfx know): `ISO amount`, the amount with `,` between thousands, `.`
//! before the decimals, a leading `-` when negative (even when it rounds to zero, as Java's
//! DecimalFormat does), exactly the currency's number of decimals, rounded HALF_UP.
//!
//! The decimals are the JDK's `Currency.getDefaultFractionDigits()` (ISO 4217 minor units): the
//! codes below differ from 2; every other code, an unknown one, a code in lower case (Java's
//! `Currency.getInstance` is case-sensitive) and a null one take 2. A null code leaves the
//! leading space (` 1,000.00`); a null amount gives blank; an amount whose whole part is not
//! within Java's `long` is an error.

use bigdecimal::{BigDecimal, RoundingMode, Signed};

use crate::Value;
use crate::runtime::Fault;
use samlfx_diag::Code;

/// ISO 4217 codes whose minor unit is not 2 (the JDK's table; funds and metals without a minor
/// unit, such as XAU, format with none).
const DECIMALS: &[(&str, i64)] = &[
    ("ADP", 0),
    ("BEF", 0),
    ("BHD", 3),
    ("BIF", 0),
    ("BYR", 0),
    ("CLF", 4),
    ("CLP", 0),
    ("DJF", 0),
    ("ESP", 0),
    ("GNF", 0),
    ("GRD", 0),
    ("IQD", 3),
    ("ISK", 0),
    ("ITL", 0),
    ("JOD", 3),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("KWD", 3),
    ("LUF", 0),
    ("LYD", 3),
    ("MGF", 0),
    ("OMR", 3),
    ("PTE", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("TND", 3),
    ("TPE", 0),
    ("TRL", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("UYW", 4),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XAG", 0),
    ("XAU", 0),
    ("XBA", 0),
    ("XBB", 0),
    ("XBC", 0),
    ("XBD", 0),
    ("XDR", 0),
    ("XFU", 0),
    ("XOF", 0),
    ("XPD", 0),
    ("XPF", 0),
    ("XPT", 0),
    ("XSU", 0),
    ("XTS", 0),
    ("XUA", 0),
    ("XXX", 0),
];

/// The number of decimals a currency is shown with.
pub fn currency_decimals(iso: Option<&str>) -> i64 {
    iso.and_then(|c| DECIMALS.iter().find(|(k, _)| *k == c))
        .map_or(2, |(_, d)| *d)
}

pub fn format_currency(iso: Option<&str>, amount: Option<&BigDecimal>) -> Result<Value, Fault> {
    let Some(amount) = amount else {
        return Ok(Value::Null);
    };
    let whole = amount.with_scale_round(0, RoundingMode::Down);
    if !(BigDecimal::from(i64::MIN)..BigDecimal::from(i64::MAX)).contains(&whole) {
        return Err(Fault::new(
            Code::OutOfRange,
            "FORMATCURRENCY(): the amount is too big to format (#Too Big!)",
        )
        .with_arg(1)
        .with_help("FORMATCURRENCY formats amounts below 9,223,372,036,854,775,807"));
    }
    let decimals = currency_decimals(iso);
    let rounded = amount
        .abs()
        .with_scale_round(decimals, RoundingMode::HalfUp);
    let plain = rounded.to_plain_string();
    let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let mut out = String::with_capacity(grouped.len() + 16);
    out.push_str(iso.unwrap_or(""));
    out.push(' ');
    if amount.is_negative() {
        out.push('-');
    }
    out.push_str(&grouped);
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    Ok(Value::text(out))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn f(iso: Option<&str>, n: &str) -> String {
        let n = BigDecimal::from_str(n).unwrap();
        format_currency(iso, Some(&n)).unwrap().to_output().unwrap()
    }

    #[test]
    fn formats_as_the_engine_s_en_us_localizer() {
        assert_eq!(f(Some("USD"), "1000.495"), "USD 1,000.50");
        assert_eq!(f(Some("JPY"), "-999999999"), "JPY -999,999,999");
        assert_eq!(f(Some("KWD"), "15.10"), "KWD 15.100");
        assert_eq!(f(None, "1000"), " 1,000.00");
        assert_eq!(f(Some("usd"), "1"), "usd 1.00");
        assert_eq!(f(Some("EUR"), "-0.001"), "EUR -0.00");
        assert_eq!(f(Some("EUR"), "123"), "EUR 123.00");
        assert_eq!(format_currency(Some("USD"), None).unwrap(), Value::Null);
        let big = BigDecimal::from_str("9223372036854775807").unwrap();
        assert_eq!(
            format_currency(Some("USD"), Some(&big)).unwrap_err().code,
            Code::OutOfRange
        );
    }
}
