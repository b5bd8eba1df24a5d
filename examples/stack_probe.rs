//! Measures the thread stack the parser needs at the default depth bound (debug build).
//! `cargo run --example stack_probe -- <case> <KiB>`; a stack overflow aborts the process.
use samlfx::formula::syntax::{DEFAULT_MAX_DEPTH, parse};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let d = DEFAULT_MAX_DEPTH as usize;
    let src = match args[1].as_str() {
        "parens" => format!("{}1{}", "(".repeat(d), ")".repeat(d)),
        "calls" => format!("{}1{}", "F(".repeat(d - 1), ")".repeat(d - 1)),
        "neg-groups" => format!("{}1{}", "-(".repeat(d / 2 - 1), ")".repeat(d / 2 - 1)),
        _ => format!("{}1{}", "F(a & ".repeat(d / 2 - 1), ")".repeat(d / 2 - 1)),
    };
    let kib: usize = args[2].parse().unwrap();
    let ok = std::thread::Builder::new()
        .stack_size(kib * 1024)
        .spawn(move || {
            parse(&src)
                .map(|e| e.depth())
                .map_err(|d| d[0].message.clone())
        })
        .unwrap()
        .join()
        .unwrap();
    println!("{} {kib} KiB: {ok:?}", args[1]);
}
