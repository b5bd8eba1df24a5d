//! Conformance with Salesforce's open-source formula engine: every case of
//! `shared/conformance/formula-engine/cases.jsonl` in both of its modes (blank-as-zero and
//! null-as-null), none skipped. The test fails unless the failing cases are exactly
//! [`KNOWN_DIFFERENCES`]: one new failure fails the build, and so does a known difference that
//! starts passing (remove it from the list). It prints each known difference with its reason,
//! the pass counts per mode, per result type and per function, and every other failure.
//! Run `cargo test --test conformance -- --nocapture` to see the report.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use bigdecimal::{BigDecimal, RoundingMode};
use chrono::NaiveDateTime;
use common::{Case, date_matches, java_fields, parse_java_date, read_cases};

use samlfx_formula::check::{RecordField, Schema};
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::context::{convert, parse_time};
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::{Type, Value};

/// The cases where samlfx knowingly differs from the engine: (suite, row, mode, reason).
const KNOWN_DIFFERENCES: &[(&str, u32, Mode, &str)] = &[
    ("testArcTan2", 0, Mode::NullAsNull, ATAN2_NULL),
    ("testArcTan2", 19, Mode::NullAsNull, ATAN2_NULL),
    ("testArcTan2", 20, Mode::NullAsNull, ATAN2_NULL),
    ("testArcTan2", 21, Mode::NullAsNull, ATAN2_NULL),
];

const ATAN2_NULL: &str = "ATAN2 with a null argument: the Java engine throws a NullPointerException (a bug of the engine, not a Salesforce rule); samlfx returns null, as every other math function does";

/// The functions a case calls, nested ones included.
fn called(case: &Case) -> Vec<&str> {
    case.functions
        .iter()
        .chain(&case.nested_functions)
        .map(String::as_str)
        .collect()
}

/// The evaluation's fixed "now".
const NOW: &str = "2026-01-15T12:00:00Z";

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
enum Mode {
    BlankAsZero,
    NullAsNull,
}

impl Mode {
    fn label(self) -> &'static str {
        match self {
            Mode::BlankAsZero => "blank-as-zero",
            Mode::NullAsNull => "null-as-null",
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Tally {
    passed: usize,
    failed: usize,
}

impl Tally {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail(_) => self.failed += 1,
        }
    }

    fn show(self) -> String {
        let run = self.passed + self.failed;
        format!(
            "{:>5} passed {:>4} failed ({:>6.2}%)",
            self.passed,
            self.failed,
            if run == 0 {
                100.0
            } else {
                self.passed as f64 * 100.0 / run as f64
            }
        )
    }
}

enum Outcome {
    Pass,
    Fail(String),
}

fn schema_of(case: &Case) -> Schema {
    Schema {
        record: case
            .fields
            .iter()
            .map(|(name, f)| {
                let ty = Type::parse(&f.ty).unwrap_or_else(|| panic!("unknown type {}", f.ty));
                (
                    name.to_ascii_lowercase(),
                    RecordField {
                        formula: f.formula.clone(),
                        ..RecordField::new(name.clone(), ty)
                    },
                )
            })
            .collect(),
    }
}

fn context_of(case: &Case, now: NaiveDateTime) -> Result<Context, String> {
    let mut ctx = Context::new(ContextOptions::default()).with_now(now);
    for (name, raw) in &case.inputs {
        let decl = case
            .fields
            .get(name)
            .ok_or_else(|| format!("input {name} has no field"))?;
        let ty = Type::parse(&decl.ty).ok_or_else(|| format!("unknown type {}", decl.ty))?;
        let mut value = convert(ty, raw).map_err(|e| format!("input {name}: {e}"))?;
        if decl.ty.eq_ignore_ascii_case("percent")
            && let Value::Number(n) = &value
        {
            // The engine reads a percent field as value / 100 without trailing zeros (`10`
            // is `0.1`, `0.0` is `0`): the printed scales say so.
            value = Value::Number((n / BigDecimal::from(100)).normalized());
        }
        ctx.insert_record(name, ty, value);
    }
    Ok(ctx)
}

fn show(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("Number({})", n.to_plain_string()),
        other => format!("{other:?}"),
    }
}

/// Compares one result with the printed expectation.
fn compare(
    result_type: &str,
    expected: Option<&str>,
    is_error: bool,
    actual: &Result<Value, String>,
) -> Outcome {
    let v = match (actual, is_error) {
        // F305 is samlfx giving up, not the engine's error: it never passes for one.
        (Err(e), true) if e.starts_with("F305") => {
            return Outcome::Fail(format!("{e} (expected the engine's error)"));
        }
        (Err(_), true) => return Outcome::Pass,
        (Ok(v), true) => return Outcome::Fail(format!("{} (expected an error)", show(v))),
        (Err(e), false) => return Outcome::Fail(format!("error: {e}")),
        (Ok(v), false) => v,
    };
    let ok = match (result_type, expected, v) {
        ("Boolean", Some(e), Value::Boolean(b)) => e == b.to_string(),
        ("Boolean", Some(e), Value::Null) => e == "false",
        (_, None, v) => v.is_null(),
        ("Number" | "Currency" | "Percent", Some(e), Value::Number(n)) => {
            // The harness prints a Percent as `movePointRight(2)`: times 100, the scale
            // lowered by 2 (not below 0).
            let n = if result_type == "Percent" {
                let scale = (n.fractional_digit_count() - 2).max(0);
                (n * BigDecimal::from(100)).with_scale(scale)
            } else {
                n.clone()
            };
            let n = if n.fractional_digit_count() > 32 {
                n.with_scale_round(32, RoundingMode::HalfUp)
            } else if n.fractional_digit_count() < 0 {
                n.with_scale(0)
            } else {
                n
            };
            // The printed form is BigDecimal.toPlainString(): the digits and the scale the
            // computation produced, so `4.00` is not `4`. Both are compared.
            e == n.to_plain_string()
        }
        ("Date" | "DateTime", Some(e), Value::Date(d)) => {
            date_matches(e, d.and_hms_opt(0, 0, 0).expect("midnight"))
        }
        ("Date" | "DateTime", Some(e), Value::DateTime(dt)) => date_matches(e, *dt),
        ("Time", Some(e), Value::Time(ms)) => parse_time(e) == Some(*ms),
        ("Text", Some(e), Value::Text(s)) => e == &**s,
        _ => false,
    };
    if ok {
        Outcome::Pass
    } else {
        Outcome::Fail(show(v))
    }
}

#[test]
fn formula_engine_conformance() {
    let Some(cases) = read_cases() else {
        return;
    };
    let now = samlfx_formula::runtime::context::parse_datetime(NOW).expect("NOW");

    let mut programs: HashMap<(String, String, Mode), Result<Program, String>> = HashMap::new();
    let mut by_mode: BTreeMap<Mode, Tally> = BTreeMap::new();
    let mut by_type: BTreeMap<(String, Mode), Tally> = BTreeMap::new();
    let mut by_func: BTreeMap<(String, Mode), Tally> = BTreeMap::new();
    let mut failing: BTreeMap<(String, u32, Mode), String> = BTreeMap::new();

    for case in &cases {
        for mode in [Mode::BlankAsZero, Mode::NullAsNull] {
            let (expected, is_error) = match mode {
                Mode::BlankAsZero => (case.expected.as_deref(), case.error),
                Mode::NullAsNull => (
                    case.expected_null_as_null.as_deref(),
                    case.error_null_as_null,
                ),
            };
            let fields_key = case
                .fields
                .iter()
                .map(|(k, f)| format!("{k}:{}:{}", f.ty, f.formula.as_deref().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(";");
            let program = programs
                .entry((case.formula.clone(), fields_key, mode))
                .or_insert_with(|| {
                    let opts = CompileOptions {
                        blank_as_zero: mode == Mode::BlankAsZero,
                        schema: Some(schema_of(case)),
                        ..Default::default()
                    };
                    let compiled = Program::compile(&case.formula, &opts);
                    compiled.program.ok_or_else(|| {
                        let errs: Vec<String> = compiled
                            .diagnostics
                            .iter()
                            .filter(|d| d.is_error())
                            .map(|d| format!("{} {}", d.code, d.message))
                            .collect();
                        format!("compile: {}", errs.join(" | "))
                    })
                });
            let actual = match (&*program, context_of(case, now)) {
                (Err(e), _) => Err(e.clone()),
                (Ok(_), Err(e)) => Err(format!("context: {e}")),
                (Ok(p), Ok(ctx)) => p
                    .eval(&ctx)
                    .map_err(|e| format!("{} {}", e.code, e.message)),
            };
            let outcome = compare(&case.result_type, expected, is_error, &actual);
            by_mode.entry(mode).or_default().add(&outcome);
            by_type
                .entry((case.result_type.clone(), mode))
                .or_default()
                .add(&outcome);
            for f in called(case) {
                by_func
                    .entry((f.to_string(), mode))
                    .or_default()
                    .add(&outcome);
            }
            if let Outcome::Fail(actual) = outcome {
                failing.insert(
                    (case.suite.clone(), case.row, mode),
                    format!(
                        "{}#{} [{}] {}\n    inputs: {}\n    expected: {}\n    actual: {actual}",
                        case.suite,
                        case.row,
                        mode.label(),
                        case.formula,
                        serde_json::to_string(&case.inputs).unwrap_or_default(),
                        if is_error {
                            "an error".to_string()
                        } else {
                            format!("{expected:?}")
                        },
                    ),
                );
            }
        }
    }

    let known: BTreeMap<(String, u32, Mode), &str> = KNOWN_DIFFERENCES
        .iter()
        .map(|&(suite, row, mode, why)| ((suite.to_string(), row, mode), why))
        .collect();
    eprintln!(
        "== formula-engine conformance: {} cases, {} evaluations (both modes), 0 skipped ==",
        cases.len(),
        cases.len() * 2
    );
    eprintln!("-- by result type --");
    for ((ty, mode), t) in &by_type {
        eprintln!("{ty:>9} {:>14}: {}", mode.label(), t.show());
    }
    eprintln!("-- by function --");
    for ((f, mode), t) in &by_func {
        if t.failed > 0 || *mode == Mode::BlankAsZero {
            eprintln!("{f:>14} {:>14}: {}", mode.label(), t.show());
        }
    }
    eprintln!("-- overall --");
    for (mode, t) in &by_mode {
        eprintln!("{:>14}: {}", mode.label(), t.show());
    }
    eprintln!("-- known differences ({}) --", known.len());
    for ((suite, row, mode), why) in &known {
        let state = if failing.contains_key(&(suite.clone(), *row, *mode)) {
            "differs"
        } else {
            "NOW PASSES"
        };
        eprintln!("{suite}#{row} [{}] {state}: {why}", mode.label());
    }
    let unexpected: Vec<&String> = failing
        .iter()
        .filter(|(k, _)| !known.contains_key(*k))
        .map(|(_, v)| v)
        .collect();
    eprintln!("-- unexpected failures ({}) --", unexpected.len());
    for f in &unexpected {
        eprintln!("{f}");
    }
    let fixed: Vec<String> = known
        .keys()
        .filter(|k| !failing.contains_key(*k))
        .map(|(s, r, m)| format!("{s}#{r} [{}]", m.label()))
        .collect();
    assert!(
        unexpected.is_empty(),
        "{} failures outside the known differences (printed above)",
        unexpected.len()
    );
    assert!(
        fixed.is_empty(),
        "known differences that now pass, to remove from KNOWN_DIFFERENCES: {fixed:?}"
    );
    let failing_keys: BTreeSet<_> = failing.keys().collect();
    let known_keys: BTreeSet<_> = known.keys().collect();
    assert_eq!(failing_keys, known_keys);
}

#[test]
fn java_dates_compare_in_the_julian_calendar_before_1582() {
    let d = chrono::NaiveDate::from_ymd_opt(1, 1, 13)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        parse_java_date("Sat Jan 15 00:00:00 GMT 1"),
        Some(java_fields(d))
    );
    let d = chrono::NaiveDate::from_ymd_opt(2006, 12, 31)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        parse_java_date("Sun Dec 31 00:00:00 GMT 2006"),
        Some(java_fields(d))
    );
}
