//! Times samlfx on the formulas of `benches/compare/formulas.json`: per formula, a one-shot parse,
//! check, compile and evaluation, and the evaluation of an already compiled program. Prints one
//! JSON object per line. `benches/compare-formulon.sh` runs this beside formulon.

use std::time::{Duration, Instant};

use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};

/// Runs `f` for a warm-up, then repeatedly for about `budget`, and returns the mean time per
/// call in nanoseconds.
fn time_per_call(budget: Duration, mut f: impl FnMut()) -> f64 {
    let warm = Instant::now();
    while warm.elapsed() < budget / 2 {
        f();
    }
    let mut iterations = 0u64;
    let start = Instant::now();
    while start.elapsed() < budget {
        for _ in 0..100 {
            f();
        }
        iterations += 100;
    }
    start.elapsed().as_nanos() as f64 / iterations as f64
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "benches/compare/formulas.json".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("formulas.json");
    let budget = Duration::from_millis(300);
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let formula = case["formula"].as_str().expect("formula");
        let ctx = Context::from_json(&case["context"].to_string(), ContextOptions::default())
            .unwrap_or_else(|d| panic!("{name}: bad context: {d:?}"));
        let opts = CompileOptions::default();
        let program = Program::compile(formula, &opts)
            .program
            .unwrap_or_else(|| panic!("{name}: does not compile"));
        let value = match program.eval(&ctx) {
            Ok(v) => v.to_output().map_or(serde_json::Value::Null, Into::into),
            Err(e) => format!("error: {}", e.message).into(),
        };
        let one_shot = time_per_call(budget, || {
            let compiled = Program::compile(std::hint::black_box(formula), &opts);
            let _ = std::hint::black_box(compiled.program.map(|p| p.eval(&ctx)));
        });
        let compiled = time_per_call(budget, || {
            let _ = std::hint::black_box(program.eval(std::hint::black_box(&ctx)));
        });
        println!(
            "{}",
            serde_json::json!({"name": name, "value": value,
                               "one_shot_ns": one_shot, "compiled_ns": compiled})
        );
    }
}
