//! Runtime values.

use std::sync::Arc;

use bigdecimal::{BigDecimal, RoundingMode};
use chrono::{NaiveDate, NaiveDateTime};

use super::Type;

/// A formula value. Text blank and text null are the same value, [`Value::Null`]: a `Text` is
/// never empty.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(Arc<str>),
    Number(BigDecimal),
    Boolean(bool),
    Date(NaiveDate),
    /// A UTC date and time, millisecond precision.
    DateTime(NaiveDateTime),
    /// Milliseconds since midnight, `0..86_400_000`.
    Time(u32),
    /// A geolocation in degrees, as the engine keeps it (Java doubles): latitude within
    /// -90..=90, longitude within -180..=180. GEOLOCATION(NULL, NULL) is [`Value::Null`].
    Location {
        lat: f64,
        lon: f64,
    },
}

impl Value {
    /// A text value; the empty string becomes null.
    pub fn text(s: impl AsRef<str>) -> Value {
        let s = s.as_ref();
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(Arc::from(s))
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The type of a non-null value; `None` for null.
    pub fn type_of(&self) -> Option<Type> {
        Some(match self {
            Value::Null => return None,
            Value::Text(_) => Type::Text,
            Value::Number(_) => Type::Number,
            Value::Boolean(_) => Type::Boolean,
            Value::Date(_) => Type::Date,
            Value::DateTime(_) => Type::DateTime,
            Value::Time(_) => Type::Time,
            Value::Location { .. } => Type::Location,
        })
    }
}

impl Value {
    /// The value as text, the way `eval` prints it and a SAML attribute carries it: Text as is,
    /// Number as TEXT() formats it, Boolean `true`/`false`, dates ISO. `None` for null.
    pub fn to_output(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(s.to_string()),
            Value::Number(n) => Some(format_number(n)),
            Value::Boolean(b) => Some(b.to_string()),
            Value::Date(d) => Some(d.format("%Y-%m-%d").to_string()),
            Value::DateTime(dt) => Some(dt.format("%Y-%m-%d %H:%M:%SZ").to_string()),
            Value::Time(ms) => Some(format!(
                "{:02}:{:02}:{:02}.{:03}",
                ms / 3_600_000,
                ms / 60_000 % 60,
                ms / 1000 % 60,
                ms % 1000
            )),
            // Never a formula's result (the checker refuses one); shown for debugging.
            Value::Location { lat, lon } => Some(format!("{lat}, {lon}")),
        }
    }
}

/// A number the way TEXT() writes it: plain decimal (never an exponent), at most 32 decimal
/// places (HALF_UP, Salesforce's result scale), trailing zeros stripped (`1.50` → `1.5`).
pub fn format_number(n: &BigDecimal) -> String {
    let n = round_result(n);
    let s = n.to_plain_string();
    if !s.contains('.') {
        return s;
    }
    let t = s.trim_end_matches('0').trim_end_matches('.');
    if t == "-0" {
        "0".to_owned()
    } else {
        t.to_owned()
    }
}

/// The result rounding the corpus prints with: at most 32 decimal places (HALF_UP), and no
/// negative scale (Java's `toPlainString` writes `2E+1` as `20`).
pub fn round_result(n: &BigDecimal) -> BigDecimal {
    let scale = n.fractional_digit_count();
    if scale > 32 {
        n.with_scale_round(32, RoundingMode::HalfUp)
    } else if scale < 0 {
        n.with_scale(0)
    } else {
        n.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn numbers_print_plain_without_trailing_zeros() {
        let f = |s: &str| format_number(&BigDecimal::from_str(s).unwrap());
        assert_eq!(f("1.50"), "1.5");
        assert_eq!(f("100"), "100");
        assert_eq!(f("1E+3"), "1000");
        assert_eq!(f("-0.000"), "0");
        assert_eq!(f("1E-40"), "0");
        assert_eq!(f("0.000001"), "0.000001");
        assert_eq!(
            Value::Number(BigDecimal::from_str("2.50").unwrap())
                .to_output()
                .unwrap(),
            "2.5"
        );
    }
}
