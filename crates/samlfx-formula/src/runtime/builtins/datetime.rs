//! Date and time functions. All date-times are UTC; Time values are milliseconds since midnight.

use bigdecimal::BigDecimal;
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::super::Fault;
use super::number::{self, int};
use super::{Env, arg, num};
use crate::Value;
use crate::catalog::Func;
use samlfx_diag::Code;

pub fn call(func: Func, args: &[Value], env: &Env) -> Result<Value, Fault> {
    use crate::Value;
    use Func::*;
    let v = arg(args, 0);
    Ok(match func {
        Today => Value::Date(env.now.date()),
        Now => Value::DateTime(env.now),
        TimeNow => Value::Time(time_ms(env.now)),
        Date => {
            let (Some(y), Some(m), Some(d)) = (num(args, 0), num(args, 1), num(args, 2)) else {
                return Ok(Value::Null);
            };
            Value::Date(make_date(y, m, d)?)
        }
        DateValue => match v {
            Value::Null => Value::Null,
            Value::Date(d) => Value::Date(d),
            Value::DateTime(t) => Value::Date(t.date()),
            Value::Text(s) => Value::Date(parse_datetime(&s, "DATEVALUE")?.date()),
            _ => return Err(bad_arg("DATEVALUE")),
        },
        DateTimeValue => match v {
            Value::Null => Value::Null,
            Value::Date(d) => Value::DateTime(d.and_time(NaiveTime::MIN)),
            Value::DateTime(t) => Value::DateTime(t),
            Value::Text(s) => Value::DateTime(parse_datetime(&s, "DATETIMEVALUE")?),
            _ => return Err(bad_arg("DATETIMEVALUE")),
        },
        TimeValue => match v {
            Value::Null => Value::Null,
            Value::Time(t) => Value::Time(t),
            Value::DateTime(t) => Value::Time(time_ms(t)),
            Value::Text(s) => Value::Time(parse_time(&s).ok_or_else(|| {
                Fault::new(
                    Code::InvalidValue,
                    format!("TIMEVALUE: '{s}' is not a valid time (expected HH:MM:SS.mmm)"),
                )
                .with_help("write the time as HH:MM:SS or HH:MM:SS.mmm, 24-hour clock")
            })?),
            _ => return Err(bad_arg("TIMEVALUE")),
        },
        Year | Month | Day | Weekday | DayOfYear | IsoWeek | IsoYear => {
            let d = match v {
                Value::Date(d) => d,
                Value::DateTime(t) => t.date(),
                Value::Null => return Ok(Value::Null),
                _ => return Err(bad_arg("a date function")),
            };
            Value::Number(int(match func {
                Year => d.year() as i64,
                Month => d.month() as i64,
                Day => d.day() as i64,
                Weekday => d.weekday().number_from_sunday() as i64,
                DayOfYear => d.ordinal() as i64,
                IsoWeek => d.iso_week().week() as i64,
                _ => d.iso_week().year() as i64,
            }))
        }
        Hour | Minute | Second | Millisecond => {
            let ms = match v {
                Value::Time(t) => t,
                Value::DateTime(t) => time_ms(t),
                Value::Null => return Ok(Value::Null),
                _ => return Err(bad_arg("a time function")),
            };
            Value::Number(int(match func {
                Hour => ms / 3_600_000,
                Minute => ms / 60_000 % 60,
                Second => ms / 1000 % 60,
                _ => ms % 1000,
            } as i64))
        }
        AddMonths => {
            let Some(n) = num(args, 1) else {
                return Ok(Value::Null);
            };
            let months = number::to_int(n);
            if months.abs() > MAX_MONTHS {
                let n = number::whole_text(n);
                return Err(range(format!("ADDMONTHS by {n} months is out of range")));
            }
            match v {
                Value::Null => Value::Null,
                Value::Date(d) => Value::Date(add_months(d, months)?),
                Value::DateTime(t) => {
                    Value::DateTime(add_months(t.date(), months)?.and_time(t.time()))
                }
                _ => return Err(bad_arg("ADDMONTHS")),
            }
        }
        UnixTimestamp => match v {
            Value::Null => Value::Null,
            Value::Date(d) => Value::Number(int(d.and_time(NaiveTime::MIN).and_utc().timestamp())),
            Value::DateTime(t) => Value::Number(int(t.and_utc().timestamp())),
            Value::Time(t) => Value::Number(int(t as i64 / 1000)),
            _ => return Err(bad_arg("UNIXTIMESTAMP")),
        },
        FromUnixTime => {
            let Some(n) = num(args, 0) else {
                return Ok(Value::Null);
            };
            let secs = number::to_int(n);
            Value::DateTime(
                chrono::DateTime::from_timestamp(secs, 0)
                    .map(|t| t.naive_utc())
                    .ok_or_else(|| {
                        let n = number::whole_text(n);
                        range(format!("FROMUNIXTIME({n}) is out of range"))
                    })?,
            )
        }
        FormatDuration => format_duration(args)?,
        _ => {
            return Err(Fault::new(
                Code::EvaluationError,
                format!("{func:?} is not a date function"),
            ));
        }
    })
}

fn bad_arg(f: &str) -> Fault {
    Fault::new(
        Code::EvaluationError,
        format!("{f} received an argument of the wrong type"),
    )
    .with_help("convert the argument first: DATEVALUE(), DATETIMEVALUE() or TIMEVALUE()")
}

fn range(msg: String) -> Fault {
    Fault::new(Code::OutOfRange, msg)
        .with_help("check the number: ADDMONTHS moves a date by at most 120,000 months, and FROMUNIXTIME's result must fall in the years -262,143 to 262,142")
}

fn time_ms(t: NaiveDateTime) -> u32 {
    t.num_seconds_from_midnight() * 1000 + t.and_utc().timestamp_subsec_millis()
}

fn make_date(y: &BigDecimal, m: &BigDecimal, d: &BigDecimal) -> Result<NaiveDate, Fault> {
    let (yi, mi, di) = (number::to_int(y), number::to_int(m), number::to_int(d));
    let ok = (1..=9999).contains(&yi) && (1..=12).contains(&mi) && (1..=31).contains(&di);
    ok.then(|| NaiveDate::from_ymd_opt(yi as i32, mi as u32, di as u32))
        .flatten()
        .ok_or_else(|| {
            let [y, m, d] = [y, m, d].map(number::whole_text);
            Fault::new(
                Code::InvalidValue,
                format!("DATE({y}, {m}, {d}) is not a valid date"),
            )
            .with_help(
                "the year must be 1 to 9999, the month 1 to 12 and the day within that month",
            )
        })
}

/// Beyond any date's reach: 10,000 years.
const MAX_MONTHS: i64 = 120_000;

/// `n` months later, keeping the day; a month-end date stays a month-end date.
pub fn add_months(d: NaiveDate, n: i64) -> Result<NaiveDate, Fault> {
    if n.abs() > MAX_MONTHS {
        return Err(range(format!("ADDMONTHS by {n} months is out of range")));
    }
    let total = d.year() as i64 * 12 + d.month0() as i64 + n;
    let (y, m0) = (total.div_euclid(12), total.rem_euclid(12));
    let last = last_day(y, m0 as u32 + 1)
        .ok_or_else(|| range("ADDMONTHS result is out of range".into()))?;
    let end_of_month = d.succ_opt().is_none_or(|s| s.month() != d.month());
    let day = if end_of_month {
        last
    } else {
        d.day().min(last)
    };
    NaiveDate::from_ymd_opt(y as i32, m0 as u32 + 1, day)
        .ok_or_else(|| range("ADDMONTHS result is out of range".into()))
}

fn last_day(y: i64, m: u32) -> Option<u32> {
    let y = i32::try_from(y).ok()?;
    let first_next = if m == 12 {
        NaiveDate::from_ymd_opt(y.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some(first_next.pred_opt()?.day())
}

/// Reads `YYYY-M-D[ H:MM[:SS]]` (single-digit fields and surrounding spaces allowed), as GMT.
/// DATEVALUE takes a date (`YYYY-MM-DD`), DATETIMEVALUE a date and time; the messages say so.
fn parse_datetime(s: &str, func: &str) -> Result<NaiveDateTime, Fault> {
    let shape = if func == "DATEVALUE" {
        "YYYY-MM-DD"
    } else {
        "YYYY-MM-DD HH:MM:SS"
    };
    let bad = || {
        Fault::new(
            Code::InvalidValue,
            format!("{func}: '{s}' is not a valid date (expected {shape})"),
        )
        .with_help(format!("write the date as {shape}"))
    };
    let t = s.trim();
    let (date, time) = match t.split_once(' ') {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t, None),
    };
    let f: Vec<&str> = date.split('-').collect();
    if f.len() != 3 || f[0].len() != 4 {
        return Err(bad());
    }
    let n = |x: &str, max: usize| -> Option<i64> {
        (!x.is_empty() && x.len() <= max && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (n(f[0], 4), n(f[1], 2), n(f[2], 2)) else {
        return Err(bad());
    };
    if y < 1 {
        return Err(bad());
    }
    let day = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32).ok_or_else(|| {
        let what = match MONTHS.get((m as usize).wrapping_sub(1)) {
            Some(name) => format!("{name} {d}, {y} does not exist"),
            None => format!("there is no month {m}"),
        };
        Fault::new(
            Code::InvalidValue,
            format!("{func}: '{s}' is not a valid date: {what}"),
        )
        .with_help(format!(
            "write the date as {shape}, with a day that exists in that month"
        ))
    })?;
    let Some(time) = time else {
        return Ok(day.and_time(NaiveTime::MIN));
    };
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(bad());
    }
    let h = n(parts[0], 2).ok_or_else(bad)?;
    let mi = n(parts[1], 2).ok_or_else(bad)?;
    let se = match parts.get(2) {
        Some(p) => n(p, 2).ok_or_else(bad)?,
        None => 0,
    };
    let tm = NaiveTime::from_hms_opt(h as u32, mi as u32, se as u32).ok_or_else(bad)?;
    Ok(day.and_time(tm))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads `HH:MM:SS.mmm` (the milliseconds may be omitted or have 1–3 digits).
fn parse_time(s: &str) -> Option<u32> {
    let (hms, ms) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let p: Vec<&str> = hms.split(':').collect();
    if p.len() != 3 {
        return None;
    }
    let field = |x: &str, max: u32| -> Option<u32> {
        (x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
            .filter(|v| *v <= max)
    };
    let (h, m, sec) = (field(p[0], 23)?, field(p[1], 59)?, field(p[2], 59)?);
    let millis = match ms {
        Some(x) if (1..=3).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit()) => {
            x.parse::<u32>().ok()? * 10u32.pow(3 - x.len() as u32)
        }
        Some(_) => return None,
        None => 0,
    };
    Some(((h * 60 + m) * 60 + sec) * 1000 + millis)
}

/// FORMATDURATION: seconds as `HH:MM:SS` (or `D:HH:MM:SS` when asked), two times as `HH:MM:SS`,
/// two dates or date-times as `D:HH:MM:SS` of their distance.
fn format_duration(args: &[Value]) -> Result<Value, Fault> {
    let a = arg(args, 0);
    let b = arg(args, 1);
    let (secs, days) = match (&a, &b) {
        (Value::Null, _) => return Ok(Value::Null),
        (Value::Number(n), flag) => {
            let with_days = matches!(flag, Value::Boolean(true));
            (number::to_int(&n.abs()), with_days)
        }
        (_, Value::Null) => return Ok(Value::Null),
        (Value::Time(x), Value::Time(y)) => ((*x as i64 - *y as i64).abs() / 1000, false),
        (x, y) => {
            let ms = |v: &Value| match v {
                Value::Date(d) => Some(d.and_time(NaiveTime::MIN)),
                Value::DateTime(t) => Some(*t),
                _ => None,
            };
            let (Some(x), Some(y)) = (ms(x), ms(y)) else {
                return Err(bad_arg("FORMATDURATION"));
            };
            ((x - y).abs().num_seconds(), true)
        }
    };
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    Ok(Value::text(if days {
        format!("{d}:{h:02}:{m:02}:{s:02}")
    } else {
        format!("{:02}:{m:02}:{s:02}", secs / 3600)
    }))
}
