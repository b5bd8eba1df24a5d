//! The parser's bounds: no input overflows the stack or takes more than linear time; every AST
//! it returns nests at most `max_depth` levels and holds chains of at most `max_chain`
//! operators; and every formula within Salesforce's 3,900-character limit is accepted and runs
//! through every stage, however deep it nests. These run on 2 MiB threads (the default test
//! thread) or smaller, in debug builds too: every recursive stage grows its stack on the heap.

use samlfx_diag::Code;
use samlfx_diag::render::{self, HumanOptions, Located, Source};
use samlfx_formula::Value;
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::Context;
use samlfx_formula::syntax::{
    DEFAULT_MAX_CHAIN, DEFAULT_MAX_DEPTH, Expr, ParseLimits, parse, parse_with, print,
};

const N: usize = 100_000;

fn first_code(src: &str) -> Code {
    match parse(src) {
        Ok(e) => panic!("parsed, depth {}", e.depth()),
        Err(d) => d[0].code,
    }
}

fn first_message(src: &str) -> String {
    match parse(src) {
        Ok(e) => panic!("parsed, depth {}", e.depth()),
        Err(d) => d[0].message.clone(),
    }
}

/// `head op term op term …` with `terms` terms in all.
fn chain(head: &str, op: &str, term: &str, terms: usize) -> String {
    let mut s = head.to_string();
    for _ in 1..terms {
        s.push_str(op);
        s.push_str(term);
    }
    s
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
fn long_operator_chains_are_rejected_as_chains() {
    for src in [chain("1", "+", "1", N), chain("'a'", " & ", "'a'", N)] {
        assert_eq!(first_code(&src), Code::NestingTooDeep);
        let m = first_message(&src);
        assert_eq!(
            m,
            format!("Formula has an operator chain longer than {DEFAULT_MAX_CHAIN} operators")
        );
    }
    // Deep nesting still says nesting.
    let m = first_message(&format!("{}1{}", "(".repeat(N), ")".repeat(N)));
    assert!(m.contains("nests") && !m.contains("chain"), "{m}");
}

/// Nesting and chains exactly at their bounds parse; one more is F011.
#[test]
fn nesting_and_chains_at_the_bound_are_accepted() {
    let d = DEFAULT_MAX_DEPTH as usize;
    let calls = format!("{}1{}", "F(".repeat(d - 1), ")".repeat(d - 1));
    assert_eq!(parse(&calls).unwrap().depth(), DEFAULT_MAX_DEPTH);
    let calls = format!("{}1{}", "F(".repeat(d), ")".repeat(d));
    assert!(parse(&calls).is_err());
    let parens = format!("{}1{}", "(".repeat(d), ")".repeat(d));
    assert_eq!(parse(&parens).unwrap().depth(), 1);
    // A flat chain is not nesting: 101 terms (the first review's case) and the longest chain
    // parse.
    assert!(parse(&chain("'a'", " & ", "'a'", 101)).is_ok());
    let c = DEFAULT_MAX_CHAIN as usize;
    let longest = chain("1", "+", "1", c + 1);
    assert_eq!(parse(&longest).unwrap().depth(), DEFAULT_MAX_CHAIN + 1);
    assert_eq!(
        first_code(&chain("1", "+", "1", c + 2)),
        Code::NestingTooDeep
    );
}

/// A custom bound holds on every path.
#[test]
fn custom_bound_holds() {
    let limits = ParseLimits {
        max_depth: 7,
        max_chain: 3,
        ..ParseLimits::default()
    };
    for src in [
        "F(G(H(I(J(K(L(M(1))))))))",
        "((((((((1))))))))",
        "1+1+1+1+1+1+1+1+1",
        "------1",
        "-(-(-(-1)))",
        "IF(a, IF(b, IF(c, IF(d, 1, 2), 3), 4), 5) & 'x' & 'y' & 'z'",
        "IF(a, IF(b, IF(c, IF(d, 1, 2), 3), 4), 5) & 'x' & 'y' & 'z' & 'w'",
    ] {
        if let Ok(e) = parse_with(src, &limits) {
            assert!(e.depth() <= 7 + 3, "{src}: depth {}", e.depth());
        }
    }
}

/// Runs every stage on `src`: parse, print and re-parse, walk, compile (check, lower), evaluate,
/// drop. Returns the value.
fn end_to_end(src: &str) -> Value {
    let e = parse(src).unwrap_or_else(|d| panic!("{}", d[0].message));
    let back = parse(&print(&e)).expect("printed formula parses");
    assert!(e.same_shape(&back));
    let mut nodes = 0;
    e.walk(&mut |_| nodes += 1);
    assert!(nodes > 0 && e.depth() > 0);
    drop((e, back));
    let c = Program::compile(src, &CompileOptions::default());
    let program = c
        .program
        .unwrap_or_else(|| panic!("{}", c.diagnostics[0].message));
    program.eval(&Context::default()).expect("evaluates")
}

/// The longest chain of every operator kind, and a chain inside the deepest nesting, go through
/// every stage on a 2 MiB thread in a debug build. Measured (debug, every stage, 2,001 terms):
/// about 0.9 MiB, most of it the recursive printer; the checker, compiler and evaluator walk a
/// chain's left spine with a loop.
#[test]
fn longest_chains_run_end_to_end_in_two_mebibytes() {
    let terms = DEFAULT_MAX_CHAIN as usize + 1;
    let d = DEFAULT_MAX_DEPTH as usize;
    let cases: Vec<(String, Option<Value>)> = vec![
        (
            chain("$User.Alias", " & ", "'a'", terms),
            Some(Value::text("a".repeat(terms - 1))),
        ),
        (chain("'a'", "&", "'b'", terms), None),
        (chain("LEN($User.Alias)", "+", "1", terms), None),
        (chain("LEN($User.Alias)", "*", "1", terms), None),
        (chain("LEN($User.Alias)", "-", "1", terms), None),
        (chain("ISBLANK($User.Alias)", " && ", "TRUE", terms), None),
        (chain("ISBLANK($User.Alias)", " || ", "FALSE", terms), None),
        (chain("ISBLANK($User.Alias)", "=", "TRUE", terms), None),
        (chain("LEN($User.Alias)", "+", "2*3", terms - 1), None),
        (chain("1", "+", "1", terms), None),
        (
            format!(
                "{}{}{}",
                "(".repeat(d - 1),
                chain("LEN($User.Alias)", "+", "1", terms),
                ")".repeat(d - 1)
            ),
            None,
        ),
        (
            format!(
                "{}{}{}",
                "-(".repeat(d / 2 - 1),
                chain("LEN($User.Alias)", "+", "-1", terms),
                ")".repeat(d / 2 - 1)
            ),
            None,
        ),
    ];
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for (src, want) in cases {
                let v = end_to_end(&src);
                if let Some(want) = want {
                    assert_eq!(v, want);
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Any formula within Salesforce's 3,900-character limit is accepted: the densest chains of
/// that length parse, check and evaluate.
#[test]
fn salesforce_length_chains_are_accepted() {
    let ones = chain("1", "+", "1", 1950);
    assert_eq!(ones.len(), 3899);
    assert_eq!(end_to_end(&ones), Value::Number(1950.into()));
    let text = chain("'a'", "&", "'a'", 975);
    assert_eq!(text.len(), 3899);
    assert_eq!(end_to_end(&text), Value::text("a".repeat(975)));
    let spaced = chain("'a'", " & ", "'a'", 101);
    assert_eq!(spaced.len(), 603);
    assert_eq!(end_to_end(&spaced), Value::text("a".repeat(101)));
}

/// Parsing the deepest accepted formulas, walking them recursively and dropping them fits a
/// quarter of the default test-thread stack, even in a debug build.
#[test]
fn deepest_formulas_parse_walk_and_drop_in_half_a_mebibyte() {
    let d = DEFAULT_MAX_DEPTH as usize;
    let sources = vec![
        format!("{}1{}", "F(".repeat(d - 1), ")".repeat(d - 1)),
        format!("{}1{}", "(".repeat(d), ")".repeat(d)),
        format!("{}1{}", "F(a & ".repeat(d / 2 - 1), ")".repeat(d / 2 - 1)),
        format!("{}1{}", "-(".repeat(d / 2), ")".repeat(d / 2)),
        format!("{}1{}", "IF(a, 1, ".repeat(d - 1), ")".repeat(d - 1)),
        format!("{}1", "-".repeat(d - 1)),
    ];
    std::thread::Builder::new()
        .stack_size(512 << 10)
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

/// Renders `diagnostics` for `src` as a person sees them, and returns the text.
fn rendered(src: &str, diagnostics: &[samlfx_diag::Diagnostic]) -> String {
    let source = Source::inline(src);
    let items = Located::all(&source, diagnostics);
    render::human::render(&items, &HumanOptions::PLAIN)
}

/// Every nesting shape at Salesforce's 3,900-character limit goes through every stage — parse,
/// print and re-parse, walk, check, compile, evaluate, render a diagnostic, drop — on a 2 MiB
/// thread in a debug build. The deepest is a run of 3,898 prefix operators: one character per
/// level, the densest nesting there is.
#[test]
fn salesforce_length_nesting_runs_end_to_end_in_two_mebibytes() {
    // (levels, their opening, the innermost value, their closing, the result)
    let shapes: Vec<(String, &str, String, Value)> = vec![
        // The review's case; the default context's user is not active.
        (
            "IF($User.IsActive,\"a\",".repeat(150),
            "\"b\"",
            ")".repeat(150),
            Value::text("b"),
        ),
        (
            "(".repeat(1949),
            "1",
            ")".repeat(1949),
            Value::Number(1.into()),
        ),
        (
            "-(".repeat(1299),
            "1",
            ")".repeat(1299),
            Value::Number((-1).into()),
        ),
        (
            "ABS(".repeat(779),
            "-1",
            ")".repeat(779),
            Value::Number(1.into()),
        ),
        (
            "LEN(TEXT(".repeat(354),
            "123",
            "))".repeat(354),
            Value::Number(1.into()),
        ),
        (
            "-".repeat(3898),
            "1",
            String::new(),
            Value::Number(1.into()),
        ),
        (
            "!".repeat(3896),
            "TRUE",
            String::new(),
            Value::Boolean(true),
        ),
    ];
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            for (open, leaf, close, want) in shapes {
                let src = format!("{open}{leaf}{close}");
                assert!(src.chars().count() <= 3900, "{} chars", src.len());
                assert_eq!(end_to_end(&src), want, "{}…", &src[..40]);
                // A diagnostic at the innermost value renders with its span.
                let bad = format!("{open}$User.Nope{close}");
                let c = Program::compile(&bad, &CompileOptions::default());
                assert!(c.program.is_none());
                let d = &c.diagnostics[0];
                assert_eq!(d.code, Code::UnknownField, "{}", d.message);
                assert_eq!(d.span.unwrap().start, open.len());
                assert!(rendered(&bad, &c.diagnostics).contains("[F102]"));
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The review's case through the CLI's own path: a 150-deep IF of 3,453 characters is accepted.
#[test]
fn the_reviewed_nested_if_is_accepted() {
    let src = format!(
        "{}\"b\"{}",
        "IF($User.IsActive,\"a\",".repeat(150),
        ")".repeat(150)
    );
    let e = parse(&src).expect("accepted");
    assert_eq!(e.depth(), 151);
}

/// Hostile depth — 100,000 levels of every nesting kind — is still F011, with a message naming
/// the bound and a span at the level that crossed it, on a 2 MiB thread, and it renders.
#[test]
fn hostile_depth_ends_in_f011_on_two_mebibytes() {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            for (open, close, leaf) in [
                ("(", ")", "1"),
                ("F(", ")", "1"),
                ("NOT ", "", "TRUE"),
                ("-", "", "1"),
            ] {
                let src = format!("{}{leaf}{}", open.repeat(N), close.repeat(N));
                let c = Program::compile(&src, &CompileOptions::default());
                let d = c
                    .diagnostics
                    .iter()
                    .find(|d| d.code == Code::NestingTooDeep)
                    .unwrap_or_else(|| panic!("{open}: {:?}", c.diagnostics));
                assert_eq!(
                    d.message,
                    format!("Formula nests deeper than {DEFAULT_MAX_DEPTH} levels")
                );
                let s = d.span.unwrap();
                assert!(
                    s.start < s.end && open.contains(&src[s.start..s.end]),
                    "{open}: {s:?}"
                );
                assert!(rendered(&src, &c.diagnostics).contains("[F011]"));
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

/// The largest inputs (1 MiB): a flat call, a chain, a comment and an unclosed literal each end
/// in the right result (a hang would stall the run).
#[test]
fn one_mebibyte_formulas() {
    let mut flat = String::from("CONCAT(");
    while flat.len() < (1 << 20) - 8 {
        flat.push_str("'a', ");
    }
    flat.push_str("'a')");
    assert!(flat.len() <= 1 << 20);
    assert!(parse(&flat).is_ok());

    let mut chain = String::from("'a'");
    while chain.len() < (1 << 20) - 8 {
        chain.push_str(" & 'a'");
    }
    let d = &parse(&chain).unwrap_err()[0];
    assert_eq!(d.code, Code::NestingTooDeep);
    assert!(d.message.contains("chain"), "{}", d.message);

    let comment = format!("1 /*{}*/", "x".repeat((1 << 20) - 16));
    assert!(parse(&comment).is_ok());

    let unclosed = format!("1 & '{}", "\\'".repeat((1 << 19) - 8));
    assert_eq!(
        parse(&unclosed).unwrap_err()[0].code,
        Code::UnterminatedString
    );
}

#[test]
fn oversized_formulas_are_rejected_before_parsing() {
    let src = "(".repeat((1 << 20) + 1);
    assert_eq!(first_code(&src), Code::FormulaTooLarge);
}
