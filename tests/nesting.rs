//! The parser's bounds: no input overflows the stack or takes more than linear time, and every
//! AST it returns is at most `max_depth` deep. These run on the default 2 MiB test thread.

use std::time::{Duration, Instant};

use samlfx::diag::Code;
use samlfx::formula::syntax::{DEFAULT_MAX_DEPTH, Expr, ParseLimits, parse, parse_with};

const N: usize = 100_000;

fn first_code(src: &str) -> Code {
    match parse(src) {
        Ok(e) => panic!("parsed, depth {}", e.depth()),
        Err(d) => d[0].code,
    }
}

#[test]
fn deep_parentheses_are_rejected() {
    let src = format!("{}1{}", "(".repeat(N), ")".repeat(N));
    assert_eq!(first_code(&src), Code::NestingTooDeep);
    let unclosed = "(".repeat(N);
    assert_eq!(first_code(&unclosed), Code::NestingTooDeep);
}

#[test]
fn deep_calls_are_rejected() {
    let src = format!("{}1{}", "F(".repeat(N), ")".repeat(N));
    assert_eq!(first_code(&src), Code::NestingTooDeep);
    let d = &parse(&src).unwrap_err()[0];
    assert_eq!(
        d.message,
        format!("Formula nests deeper than {DEFAULT_MAX_DEPTH} levels")
    );
    // The span is the `(` that crossed the bound.
    let s = d.span.unwrap();
    assert_eq!(&src[s.start..s.end], "(");
}

#[test]
fn long_prefix_runs_are_rejected() {
    assert_eq!(
        first_code(&format!("{}TRUE", "NOT ".repeat(N))),
        Code::NestingTooDeep
    );
    assert_eq!(
        first_code(&format!("{}1", "-".repeat(N))),
        Code::NestingTooDeep
    );
    assert_eq!(
        first_code(&format!("{}1", "!".repeat(N))),
        Code::NestingTooDeep
    );
    assert_eq!(
        first_code(&format!("{}1{}", "-(".repeat(N), ")".repeat(N))),
        Code::NestingTooDeep
    );
}

#[test]
fn long_operator_chains_are_rejected() {
    let chain = vec!["1"; N].join("+");
    assert_eq!(first_code(&chain), Code::NestingTooDeep);
    let chain = vec!["'a'"; N].join(" & ");
    assert_eq!(first_code(&chain), Code::NestingTooDeep);
}

/// Nesting exactly at the bound parses, and the AST is exactly that deep.
#[test]
fn nesting_at_the_bound_is_accepted() {
    let d = DEFAULT_MAX_DEPTH as usize;
    let calls = format!("{}1{}", "F(".repeat(d - 1), ")".repeat(d - 1));
    assert_eq!(parse(&calls).unwrap().depth(), DEFAULT_MAX_DEPTH);
    let calls = format!("{}1{}", "F(".repeat(d), ")".repeat(d));
    assert!(parse(&calls).is_err());
    let chain = vec!["1"; d].join("+");
    assert_eq!(parse(&chain).unwrap().depth(), DEFAULT_MAX_DEPTH);
    assert!(parse(&vec!["1"; d + 1].join("+")).is_err());
    let parens = format!("{}1{}", "(".repeat(d), ")".repeat(d));
    assert_eq!(parse(&parens).unwrap().depth(), 1);
}

/// A custom bound holds on every path.
#[test]
fn custom_bound_holds() {
    let limits = ParseLimits {
        max_depth: 7,
        ..ParseLimits::default()
    };
    for src in [
        "F(G(H(I(J(K(L(M(1))))))))",
        "((((((((1))))))))",
        "1+1+1+1+1+1+1+1+1",
        "------1",
        "-(-(-(-1)))",
        "IF(a, IF(b, IF(c, IF(d, 1, 2), 3), 4), 5) & 'x' & 'y' & 'z'",
    ] {
        if let Ok(e) = parse_with(src, &limits) {
            assert!(e.depth() <= 7, "{src}: depth {}", e.depth());
        }
    }
}

/// Stack margin: parsing the deepest accepted formulas, walking them recursively and dropping
/// them fits in half the default test-thread stack, even in a debug build.
#[test]
fn deepest_formulas_fit_in_one_mebibyte_of_stack() {
    let d = DEFAULT_MAX_DEPTH as usize;
    let sources = vec![
        format!("{}1{}", "F(".repeat(d - 1), ")".repeat(d - 1)),
        format!("{}1{}", "(".repeat(d), ")".repeat(d)),
        format!("{}1{}", "F(a & ".repeat(d / 2 - 1), ")".repeat(d / 2 - 1)),
        format!("{}1{}", "-(".repeat(d / 2), ")".repeat(d / 2)),
        format!("{}1{}", "IF(a, 1, ".repeat(d - 1), ")".repeat(d - 1)),
    ];
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for src in sources {
                let e = parse(&src).expect("at the bound");
                fn walk(e: &Expr) -> usize {
                    let mut n = 1;
                    e.walk(&mut |_| n += 1);
                    n
                }
                assert!(walk(&e) > 0);
                assert!(e.depth() <= DEFAULT_MAX_DEPTH);
                drop(e);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Linear time: a 1 MiB formula is parsed or rejected quickly.
#[test]
fn one_mebibyte_formulas_are_quick() {
    let limit = Duration::from_secs(3);
    let mut flat = String::from("CONCAT(");
    while flat.len() < (1 << 20) - 8 {
        flat.push_str("'a', ");
    }
    flat.push_str("'a')");
    assert!(flat.len() <= 1 << 20);
    let t = Instant::now();
    assert!(parse(&flat).is_ok());
    assert!(t.elapsed() < limit, "flat call took {:?}", t.elapsed());

    let mut chain = String::from("'a'");
    while chain.len() < (1 << 20) - 8 {
        chain.push_str(" & 'a'");
    }
    let t = Instant::now();
    assert_eq!(parse(&chain).unwrap_err()[0].code, Code::NestingTooDeep);
    assert!(t.elapsed() < limit, "chain took {:?}", t.elapsed());

    let comment = format!("1 /*{}*/", "x".repeat((1 << 20) - 16));
    let t = Instant::now();
    assert!(parse(&comment).is_ok());
    assert!(t.elapsed() < limit, "comment took {:?}", t.elapsed());

    let unclosed = format!("1 & '{}", "\\'".repeat((1 << 19) - 8));
    let t = Instant::now();
    assert_eq!(
        parse(&unclosed).unwrap_err()[0].code,
        Code::UnterminatedString
    );
    assert!(t.elapsed() < limit, "string took {:?}", t.elapsed());
}

#[test]
fn oversized_formulas_are_rejected_before_parsing() {
    let src = "(".repeat((1 << 20) + 1);
    assert_eq!(first_code(&src), Code::FormulaTooLarge);
}
