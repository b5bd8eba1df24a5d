//! The formula-engine corpus through the built binary: `samlfx eval --context FILE --format
//! json`, with and without `--blank-as-zero`, must agree with the engine on every case it runs
//! outside the known differences of `tests/conformance.rs` (ATAN2 with a null argument).
//!
//! Which cases: a deterministic part of the corpus, not all of it. Each case costs one process
//! per mode (about 8 ms in the debug profile, measured on the project's 2-core machine), so the
//! full corpus, 11,874 runs, would add about 50 s to every `cargo test` for cases
//! `tests/conformance.rs` already runs in-process in half a second; this runs the first row and
//! every 7th row of each suite, and every row of the suites of JSONVALUE, JSONPATHVALUE,
//! FORMATCURRENCY, GEOLOCATION and DISTANCE: every suite, every result type, both modes. Cases
//! whose formula reads nested formula fields are left out, because a context file has no way to
//! declare a formula field (the in-process test runs them).
//!
//! How values are compared: the CLI prints a number as TEXT() writes it, trailing zeros
//! stripped, so numbers are compared by value, not scale (the in-process test compares the
//! scale); dates and times as the CLI's ISO forms read back; an engine error must be exit status
//! 1 with an F3xx error and no value.

mod common;
mod support;

use common::Case;

use std::io::Write as _;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::NaiveDateTime;
use serde_json::json;

/// The in-process test's known differences, by (suite, row, blank-as-zero).
const KNOWN: &[(&str, u32, bool)] = &[
    ("testArcTan2", 0, false),
    ("testArcTan2", 19, false),
    ("testArcTan2", 20, false),
    ("testArcTan2", 21, false),
];

const NEW_SUITES: &[&str] = &[
    "testJsonValue",
    "testJsonPathValue",
    "testFormatCurrency",
    "testDistance",
];

/// The context file of a case: its inputs as record fields; a Percent read as value / 100, as
/// the engine reads a percent field.
fn context(case: &Case) -> serde_json::Value {
    let mut fields = serde_json::Map::new();
    for (name, f) in &case.fields {
        let raw = case
            .inputs
            .get(name)
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let (ty, value) = match (f.ty.as_str(), &raw) {
            ("Percent", serde_json::Value::String(s)) => {
                let n = BigDecimal::from_str(s).expect("a percent") / BigDecimal::from(100);
                ("Number", json!(n.normalized().to_plain_string()))
            }
            ("Percent" | "Currency", _) => ("Number", raw),
            (t, _) => (t, raw),
        };
        fields.insert(name.clone(), json!({"type": ty, "value": value}));
    }
    json!({"fields": fields, "now": "2026-01-15T12:00:00Z"})
}

/// Whether the CLI's JSON output is the engine's printed result.
fn agrees(case: &Case, expected: Option<&str>, is_error: bool, code: i32, out: &str) -> bool {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(out) else {
        return false;
    };
    let value = v["value"].as_str();
    if is_error {
        let runtime_error = v["diagnostics"].as_array().is_some_and(|ds| {
            ds.iter().any(|d| {
                d["severity"] == "error" && d["code"].as_str().is_some_and(|c| c.starts_with("F3"))
            })
        });
        return code == 1 && value.is_none() && runtime_error;
    }
    if code != 0 {
        return false;
    }
    match (case.result_type.as_str(), expected, value) {
        ("Boolean", Some(e), v) => v.unwrap_or("false") == e,
        (_, None, v) => v.is_none(),
        (_, Some(_), None) => false,
        ("Number" | "Currency" | "Percent", Some(e), Some(v)) => {
            let mut n = BigDecimal::from_str(v).expect("a number");
            if case.result_type == "Percent" {
                n *= BigDecimal::from(100);
            }
            BigDecimal::from_str(e)
                .is_ok_and(|e| e == n.with_scale_round(32, bigdecimal::RoundingMode::HalfUp))
        }
        ("Date" | "DateTime", Some(e), Some(v)) => {
            let dt = NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%SZ").or_else(|_| {
                chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight"))
            });
            dt.is_ok_and(|dt| common::date_matches(e, dt))
        }
        ("Time", Some(e), Some(v)) => {
            samlfx_formula::runtime::context::parse_time(e)
                == samlfx_formula::runtime::context::parse_time(v)
        }
        (_, Some(e), Some(v)) => e == v,
    }
}

#[test]
fn corpus_through_the_cli() {
    let Some(cases) = common::read_cases() else {
        return;
    };
    let chosen: Vec<&Case> = cases
        .iter()
        .filter(|c| c.fields.values().all(|f| f.formula.is_none()))
        .filter(|c| c.row % 7 == 0 || NEW_SUITES.contains(&c.suite.as_str()))
        .collect();
    let dir = std::env::temp_dir().join(format!("samlfx-conformance-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunks: Vec<Vec<&Case>> = chosen
        .chunks(chosen.len().div_ceil(threads))
        .map(<[&Case]>::to_vec)
        .collect();
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .enumerate()
            .map(|(t, chunk)| {
                let dir = &dir;
                s.spawn(move || {
                    let mut runs = 0;
                    let mut failures = Vec::new();
                    let file = dir.join(format!("context-{t}.json"));
                    for case in chunk {
                        std::fs::File::create(&file)
                            .and_then(|mut f| f.write_all(context(case).to_string().as_bytes()))
                            .unwrap();
                        for blank_as_zero in [true, false] {
                            let (expected, is_error) = if blank_as_zero {
                                (case.expected.as_deref(), case.error)
                            } else {
                                (
                                    case.expected_null_as_null.as_deref(),
                                    case.error_null_as_null,
                                )
                            };
                            let mut args = vec![
                                "eval",
                                "--format",
                                "json",
                                "--context",
                                file.to_str().unwrap(),
                            ];
                            if blank_as_zero {
                                args.push("--blank-as-zero");
                            }
                            args.extend(["--", case.formula.as_str()]);
                            let run = support::samlfx(&args);
                            runs += 1;
                            let known =
                                KNOWN.contains(&(case.suite.as_str(), case.row, blank_as_zero));
                            let ok = agrees(case, expected, is_error, run.code, &run.stdout);
                            if ok == known {
                                failures.push(format!(
                                    "{}#{} [{}] {}: expected {:?}{}, exit {} {}{}",
                                    case.suite,
                                    case.row,
                                    if blank_as_zero {
                                        "blank-as-zero"
                                    } else {
                                        "null-as-null"
                                    },
                                    case.formula,
                                    expected,
                                    if is_error { " (an error)" } else { "" },
                                    run.code,
                                    run.stdout.trim(),
                                    if known {
                                        " (a known difference that now agrees)"
                                    } else {
                                        ""
                                    },
                                ));
                            }
                        }
                    }
                    (runs, failures)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = std::fs::remove_dir_all(&dir);
    let runs: usize = results.iter().map(|(r, _)| r).sum();
    let failures: Vec<&String> = results.iter().flat_map(|(_, f)| f).collect();
    eprintln!(
        "corpus through the CLI: {} cases of {}, {runs} runs, {} disagreements",
        chosen.len(),
        cases.len(),
        failures.len()
    );
    for f in &failures {
        eprintln!("{f}");
    }
    assert!(chosen.len() > 900, "only {} cases chosen", chosen.len());
    assert!(failures.is_empty(), "{} disagreements", failures.len());
}
