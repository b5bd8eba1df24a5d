//! What the corpus tests share: the cases, and reading the engine's printed dates.
// Each test binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime, Timelike};
use serde::Deserialize;

/// The corpus, one JSON case a line (its README gives the format), kept beside the repository.
pub const CASES: &str = "conformance/formula-engine/cases.jsonl";

/// One case of the corpus.
#[derive(Deserialize)]
pub struct Case {
    pub suite: String,
    pub row: u32,
    pub formula: String,
    pub result_type: String,
    pub fields: BTreeMap<String, FieldDecl>,
    pub inputs: BTreeMap<String, serde_json::Value>,
    pub expected: Option<String>,
    pub expected_null_as_null: Option<String>,
    pub error: bool,
    pub error_null_as_null: bool,
    pub functions: Vec<String>,
    #[serde(default)]
    pub nested_functions: Vec<String>,
}

/// A field the case's formula reads.
#[derive(Deserialize, Clone)]
pub struct FieldDecl {
    #[serde(rename = "type")]
    pub ty: String,
    pub formula: Option<String>,
}

/// Every case of the corpus; `None` (the test is skipped, saying so) when the corpus is not
/// beside the repository.
pub fn read_cases() -> Option<Vec<Case>> {
    let text = samlfx_testdata::shared_text(CASES, "the formula-engine conformance corpus")?;
    Some(
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a case"))
            .collect(),
    )
}

/// A Java `Date.toString()` in GMT (`Sun Dec 31 00:00:00 GMT 2006`) as (year, month, day, h, m, s).
pub fn parse_java_date(s: &str) -> Option<(i64, u32, u32, u32, u32, u32)> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = s.split_whitespace().collect();
    let [_, mon, day, time, _, year] = parts.as_slice() else {
        return None;
    };
    let month = MONTHS.iter().position(|m| m == mon)? as u32 + 1;
    let hms: Vec<u32> = time
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [h, m, sec] = hms.as_slice() else {
        return None;
    };
    Some((year.parse().ok()?, month, day.parse().ok()?, *h, *m, *sec))
}

/// A date-time as Java shows it: the Julian calendar before 1582-10-15.
pub fn java_fields(dt: NaiveDateTime) -> (i64, u32, u32, u32, u32, u32) {
    java_or_proleptic(dt, true)
}

/// Whether a printed Java date is this value. Java also parses dates before 1582 in the Julian
/// calendar (`DATEVALUE('0001-01-15')` prints Jan 15), so both readings of an early date match.
pub fn date_matches(expected: &str, dt: NaiveDateTime) -> bool {
    let e = parse_java_date(expected);
    e.is_some()
        && (e == Some(java_or_proleptic(dt, true)) || e == Some(java_or_proleptic(dt, false)))
}

fn java_or_proleptic(dt: NaiveDateTime, julian: bool) -> (i64, u32, u32, u32, u32, u32) {
    let d = dt.date();
    let (y, m, day) =
        if julian && d < chrono::NaiveDate::from_ymd_opt(1582, 10, 15).expect("cutover") {
            let jdn = i64::from(d.num_days_from_ce()) + 1_721_425;
            let c = jdn + 32_082;
            let dd = (4 * c + 3) / 1461;
            let e = c - 1461 * dd / 4;
            let mm = (5 * e + 2) / 153;
            let day = e - (153 * mm + 2) / 5 + 1;
            let month = mm + 3 - 12 * (mm / 10);
            (dd - 4800 + mm / 10, month as u32, day as u32)
        } else {
            (i64::from(d.year()), d.month(), d.day())
        };
    (y, m, day, dt.hour(), dt.minute(), dt.second())
}
