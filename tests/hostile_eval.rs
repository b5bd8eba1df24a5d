//! Hostile formulas: inputs built to make text or numbers grow without bound. Each must compile
//! (constant folding runs them, so a missing bound hangs or exhausts memory here, which CI
//! notices) and end in the expected outcome: a value, or a runtime diagnostic with its code,
//! the span of the sub-expression that failed, and a help line.

use proptest::prelude::*;

use samlfx_diag::{Code, Severity};
use samlfx_formula::Value;
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::builtins::MAX_TEXT_CHARS;
use samlfx_formula::runtime::{Context, ContextOptions, EvalError};

fn compile(src: &str) -> Program {
    let compiled = Program::compile(src, &CompileOptions::default());
    compiled
        .program
        .unwrap_or_else(|| panic!("{src} does not compile: {:?}", compiled.diagnostics))
}

fn run(src: &str) -> Result<Value, EvalError> {
    compile(src).eval(&Context::new(ContextOptions::default()))
}

/// Evaluates `src`, expecting a failure with `code` whose message contains `message` and whose
/// span covers exactly `failing` (the sub-expression that failed).
fn fails(src: &str, code: Code, message: &str, failing: &str) -> EvalError {
    let e = run(src).expect_err(src);
    assert_eq!(e.code, code, "{src}: {e:?}");
    assert!(
        e.message.contains(message),
        "{src}: {:?} lacks {message:?}",
        e.message
    );
    assert_eq!(&src[e.span.start..e.span.end], failing, "{src}: span");
    let d = e.to_diagnostic();
    assert!(d.help.as_deref().is_some_and(|h| !h.is_empty()), "{src}");
    e
}

fn nest(times: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(times), close.repeat(times))
}

#[test]
fn substitute_of_a_huge_replacement_is_measured_before_it_is_built() {
    let sub = "SUBSTITUTE(LPAD('a',131072,'a'),'a',LPAD('a',131072,'a'))";
    let src = format!("LEN({sub})");
    let e = fails(&src, Code::OutOfRange, "", sub);
    assert_eq!(
        e.message,
        "SUBSTITUTE() would produce 17179869184 characters; the maximum is 131072"
    );
}

#[test]
fn thirty_doubling_substitutes_stop_at_the_limit() {
    let src = nest(30, "SUBSTITUTE(", "'aaaaaaaaaaaaaaaa'", ",'a','aa')");
    // 16 · 2^13 = 131072 fits; the 14th doubling fails.
    let innermost_failing = nest(14, "SUBSTITUTE(", "'aaaaaaaaaaaaaaaa'", ",'a','aa')");
    fails(
        &src,
        Code::OutOfRange,
        "SUBSTITUTE() would produce 262144 characters",
        &innermost_failing,
    );
}

#[test]
fn a_substitute_that_shrinks_or_keeps_the_size_is_never_refused() {
    let src = "LEN(SUBSTITUTE(LPAD('a',131072,'a'),'a','b'))";
    assert_eq!(run(src).unwrap(), Value::Number(131072.into()));
    let src = "LEN(SUBSTITUTE(LPAD('ab',131072,'ab'),'ab',''))";
    assert_eq!(run(src).unwrap(), Value::Number(0.into()));
}

#[test]
fn nested_encoders_fail_where_they_cross_the_limit() {
    fails(
        "URLENCODE(URLENCODE(LPAD('<',50000,'<')))",
        Code::OutOfRange,
        "URLENCODE() would produce 150000 characters",
        "URLENCODE(LPAD('<',50000,'<'))",
    );
    fails(
        "LEN(HTMLENCODE(HTMLENCODE(LPAD('&',20000,'&'))))",
        Code::OutOfRange,
        "HTMLENCODE() would produce 180000 characters",
        "HTMLENCODE(HTMLENCODE(LPAD('&',20000,'&')))",
    );
    fails(
        "JSENCODE(JSENCODE(LPAD('<',20000,'<')))",
        Code::OutOfRange,
        "JSENCODE() would produce 140000 characters",
        "JSENCODE(JSENCODE(LPAD('<',20000,'<')))",
    );
    // Each JSENCODE doubles the backslashes: 2^19 of them after twenty levels.
    let deep = nest(20, "JSENCODE(", "'<'", ")");
    assert_eq!(run(&deep).expect_err(&deep).code, Code::OutOfRange);
}

#[test]
fn upper_case_that_lengthens_text_is_bounded() {
    fails(
        "UPPER(LPAD('ß',70000,'ß'))",
        Code::OutOfRange,
        "UPPER() would produce 140000 characters",
        "UPPER(LPAD('ß',70000,'ß'))",
    );
}

#[test]
fn concatenation_sums_lengths_before_it_builds() {
    let chain = "LPAD('a',100000,'a') & LPAD('b',100000,'b')";
    fails(
        &format!("LEN({chain})"),
        Code::OutOfRange,
        "would produce 200000 characters; the maximum is 131072",
        chain,
    );
    let plus = "LPAD('a',131072,'a') + 'b'";
    fails(
        &format!("LEN({plus})"),
        Code::OutOfRange,
        "would produce 131073 characters",
        plus,
    );
    // Exactly at the limit is fine.
    let src = "LEN(LPAD('a',131071,'a') & 'b')";
    assert_eq!(run(src).unwrap(), Value::Number(131072.into()));
    // Each level appends one 'x' and doubles every 'x': growth by 2^40 from a short source.
    let doubling = nest(40, "SUBSTITUTE(", "'ab'", " & 'x','x','xx')");
    assert_eq!(run(&doubling).expect_err(&doubling).code, Code::OutOfRange);
}

#[test]
fn padding_past_the_limit_is_refused_before_it_is_built() {
    fails(
        "LPAD('a', 131073, 'b')",
        Code::OutOfRange,
        "LPAD() would produce 131073 characters",
        "LPAD('a', 131073, 'b')",
    );
    fails(
        "RPAD('a', VALUE('1e30'), 'b')",
        Code::OutOfRange,
        "RPAD() would produce",
        "RPAD('a', VALUE('1e30'), 'b')",
    );
}

#[test]
fn like_refuses_a_hostile_pattern_instead_of_running_for_long() {
    let like = "LIKE(LPAD('a',131072,'a'), '%' & LPAD('a',200,'a') & 'b%')";
    fails(like, Code::OutOfRange, "LIKE() needs more than", like);
    assert_eq!(
        run("LIKE(LPAD('a',131072,'a'), LPAD('%',131072,'%'))").unwrap(),
        Value::Boolean(true)
    );
    assert_eq!(
        run("LIKE(LPAD('a',100000,'a'), '%a_a%')").unwrap(),
        Value::Boolean(true)
    );
}

#[test]
fn searching_huge_text_is_linear() {
    let src = "FIND(LPAD('a',65536,'a') & 'b', LPAD('a',131000,'a'))";
    assert_eq!(run(src).unwrap(), Value::Number(0.into()));
    let src = "FIND('ab', LPAD('a',131000,'a') & 'b')";
    assert_eq!(run(src).unwrap(), Value::Number(131000.into()));
    let src = "REGEX(LPAD('a',131072,'a'), '(a|aa)*b')";
    assert_eq!(run(src).unwrap(), Value::Boolean(false));
}

#[test]
fn huge_numbers_end_quickly_in_a_value_or_a_fault() {
    assert_eq!(
        run("ROUND(1.5, VALUE('1e30'))").unwrap(),
        Value::Number("1.5".parse().unwrap())
    );
    assert_eq!(
        run("ROUND(1.5, -VALUE('1e30'))").unwrap(),
        Value::Number(0.into())
    );
    assert_eq!(
        run("MOD(VALUE('1e9999'), 7)").unwrap(),
        Value::Number(6.into())
    );
    assert!(run("MOD(VALUE('1e9999'), VALUE('1e-9999'))").is_ok());
    assert!(run("10^64").is_ok());
    fails(
        "10^65",
        Code::OutOfRange,
        "Out of range argument to POWER() function",
        "10^65",
    );
    fails(
        "VALUE('1.5') ^ VALUE('1e9')",
        Code::OutOfRange,
        "Out of range argument to POWER() function",
        "VALUE('1.5') ^ VALUE('1e9')",
    );
    fails(
        "VALUE('1e9999') * VALUE('1e9999')",
        Code::OutOfRange,
        "too large",
        "VALUE('1e9999') * VALUE('1e9999')",
    );
    fails(
        "VALUE('1e-9999') + VALUE('1e9999')",
        Code::OutOfRange,
        "",
        "VALUE('1e-9999') + VALUE('1e9999')",
    );
    fails(
        "VALUE('1e999999999')",
        Code::InvalidValue,
        "The value '1e999999999' is not a valid number.",
        "VALUE('1e999999999')",
    );
    fails(
        "EXP(VALUE('1e30'))",
        Code::OutOfRange,
        "too large",
        "EXP(VALUE('1e30'))",
    );
}

#[test]
fn huge_dates_end_quickly_in_a_fault() {
    fails(
        "ADDMONTHS(DATE(2020,1,1), VALUE('1e30'))",
        Code::OutOfRange,
        "ADDMONTHS",
        "ADDMONTHS(DATE(2020,1,1), VALUE('1e30'))",
    );
    fails(
        "DATE(99999,1,1)",
        Code::InvalidValue,
        "DATE(99999, 1, 1) is not a valid date",
        "DATE(99999,1,1)",
    );
    fails(
        "DATE(2020,1,1) + VALUE('1e30')",
        Code::OutOfRange,
        "out of range",
        "DATE(2020,1,1) + VALUE('1e30')",
    );
    fails(
        "FROMUNIXTIME(VALUE('1e30'))",
        Code::OutOfRange,
        "out of range",
        "FROMUNIXTIME(VALUE('1e30'))",
    );
}

#[test]
fn datevalue_says_which_date_does_not_exist() {
    let e = fails(
        "DATEVALUE('2020-02-30')",
        Code::InvalidValue,
        "February 30, 2020 does not exist",
        "DATEVALUE('2020-02-30')",
    );
    assert!(!e.message.contains("HH:MM"), "{}", e.message);
    let e = fails(
        "DATEVALUE('30/02/2020')",
        Code::InvalidValue,
        "expected YYYY-MM-DD)",
        "DATEVALUE('30/02/2020')",
    );
    assert_eq!(e.help.as_deref(), Some("write the date as YYYY-MM-DD"));
}

#[test]
fn every_runtime_fault_has_a_specific_help_line() {
    let cases = [
        ("1 / 0", "guard the divisor"),
        ("MOD(1, 0)", "guard the divisor"),
        ("VALUE('12a')", "ISNUMBER()"),
        ("DATEVALUE('x')", "YYYY-MM-DD"),
        ("10 ^ 100", "10^64"),
        ("SQRT(-1)", "at least 0"),
        // A literal pattern is F203 at check time; one built at run time fails here.
        ("REGEX('a', '(' & '')", "pattern"),
        ("REGEX('a', '(?!b).*')", "test the attribute in Salesforce"),
        ("LPAD('a', 200000)", "131072"),
    ];
    for (src, help) in cases {
        let d = run(src).expect_err(src).to_diagnostic();
        let h = d.help.unwrap_or_default();
        assert!(h.contains(help), "{src}: help {h:?} lacks {help:?}");
    }
}

#[test]
fn a_bad_run_time_pattern_is_blamed_on_the_pattern_argument() {
    fails(
        "REGEX('a', '(' & '')",
        Code::EvaluationError,
        "invalid regular expression",
        "'(' & ''",
    );
    let deep = format!("REGEX('a', '{}a{}')", "(".repeat(150), ")".repeat(150));
    let pattern = &deep[11..deep.len() - 1];
    fails(&deep, Code::EvaluationError, "bound", pattern);
    fails(
        "REGEX('a', '(?:a{1,1000}){1,1000}')",
        Code::EvaluationError,
        "regular-expression bound",
        "'(?:a{1,1000}){1,1000}'",
    );
}

#[test]
fn a_java_only_pattern_is_a_warning_on_the_pattern_not_an_error() {
    let e = fails(
        "REGEX('abc', '(?=a)abc')",
        Code::UnsupportedBySamlfx,
        "no value: samlfx cannot evaluate",
        "'(?=a)abc'",
    );
    assert_eq!(e.to_diagnostic().severity, Severity::Warning);
    // Built at run time: blamed on the whole pattern expression.
    fails(
        r"IF(REGEX('aa', '(a)' & '\\1'), 'y', 'n')",
        Code::UnsupportedBySamlfx,
        "backreference",
        r"'(a)' & '\\1'",
    );
    // Salesforce raises no error here, so IFERROR's fallback would be a value it never gives.
    fails(
        "IFERROR(REGEX('abc', '(?=a)abc'), false)",
        Code::UnsupportedBySamlfx,
        "lookaround",
        "'(?=a)abc'",
    );
    // A real error inside IFERROR is still caught.
    assert!(run("IFERROR(REGEX('a', '(' & ''), false)").is_ok());
}

/// A random nesting of text functions over short literals.
fn text_expr() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(vec!["'a'", "'aa'", "'ß'", "'<&>'", "'x y'", "''", "null"])
        .prop_map(str::to_owned);
    leaf.prop_recursive(8, 64, 3, |inner| {
        let lit = prop::sample::select(vec!["'a'", "'aa'", "'<'", "''", "' '"]);
        prop_oneof![
            (
                prop::sample::select(vec![
                    "UPPER",
                    "LOWER",
                    "URLENCODE",
                    "HTMLENCODE",
                    "JSENCODE",
                    "JSINHTMLENCODE",
                    "REVERSE",
                    "TRIM",
                    "INITCAP",
                ]),
                inner.clone()
            )
                .prop_map(|(f, x)| format!("{f}({x})")),
            (inner.clone(), lit.clone(), inner.clone())
                .prop_map(|(x, old, new)| format!("SUBSTITUTE({x}, {old}, {new})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} & {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            (
                prop::sample::select(vec!["LPAD", "RPAD"]),
                inner.clone(),
                0..200_000i64,
                lit
            )
                .prop_map(|(f, x, n, p)| format!("{f}({x}, {n}, {p})")),
            (inner.clone(), -3..10i64).prop_map(|(x, n)| format!("LEFT({x}, {n})")),
            (inner, -3..10i64, -3..10i64).prop_map(|(x, a, n)| format!("MID({x}, {a}, {n})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn text_functions_never_panic_and_stay_within_the_limit(src in text_expr()) {
        let compiled = Program::compile(&src, &CompileOptions::default());
        let Some(program) = compiled.program else {
            // Only the checker may refuse (a null where text is needed, say); never a panic.
            prop_assert!(!compiled.diagnostics.is_empty());
            return Ok(());
        };
        match program.eval(&Context::new(ContextOptions::default())) {
            Ok(Value::Text(s)) => prop_assert!(s.encode_utf16().count() <= MAX_TEXT_CHARS),
            Ok(v) => prop_assert_eq!(v, Value::Null),
            Err(e) => {
                prop_assert_eq!(e.code, Code::OutOfRange, "{}: {}", src, e.message);
                prop_assert!(e.span.end <= src.len());
                prop_assert!(e.to_diagnostic().help.is_some());
            }
        }
    }
}
