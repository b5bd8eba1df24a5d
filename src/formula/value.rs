//! Runtime values.

use std::sync::Arc;

use bigdecimal::BigDecimal;
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
            Value::Number(n) => Some(n.to_string()),
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
        }
    }
}
