//! Properties of evaluation: decimal arithmetic is exact, text functions keep their bounds, `&`
//! follows Salesforce's null rules, CASESAFEID appends the right checksum, and no well-typed formula panics.

use bigdecimal::BigDecimal;
use proptest::prelude::*;

use samlfx_formula::check::{RecordField, Schema};
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::{Type, Value};

/// The record fields the properties use: `a__c`, `b__c`, `c__c`, `n__c` (Number), `s__c`,
/// `t__c`, `id__c` (Text) and `f__c` (Boolean).
fn schema() -> Schema {
    let mut s = Schema::default();
    for (name, ty) in [
        ("a__c", Type::Number),
        ("b__c", Type::Number),
        ("c__c", Type::Number),
        ("n__c", Type::Number),
        ("s__c", Type::Text),
        ("t__c", Type::Text),
        ("id__c", Type::Text),
        ("f__c", Type::Boolean),
    ] {
        s.record.insert(name.into(), RecordField::new(name, ty));
    }
    s
}

fn compile(src: &str) -> Program {
    let compiled = Program::compile(
        src,
        &CompileOptions {
            schema: Some(schema()),
            ..Default::default()
        },
    );
    compiled
        .program
        .unwrap_or_else(|| panic!("{src} does not compile: {:?}", compiled.diagnostics))
}

fn context(values: &[(&str, Type, Value)]) -> Context {
    let mut ctx = Context::new(ContextOptions::default());
    for (name, ty, v) in values {
        ctx.insert_record(name, *ty, v.clone());
    }
    ctx
}

fn number(v: &Value) -> BigDecimal {
    match v {
        Value::Number(n) => n.clone(),
        other => panic!("expected a Number, got {other:?}"),
    }
}

/// Decimals with up to 12 fractional digits.
fn decimal() -> impl Strategy<Value = BigDecimal> {
    (any::<i64>(), 0i64..12).prop_map(|(m, scale)| BigDecimal::new(m.into(), scale))
}

fn num(name: &'static str, d: &BigDecimal) -> (&'static str, Type, Value) {
    (name, Type::Number, Value::Number(d.clone()))
}

/// A small grammar of well-typed formulas over the schema's fields: (source, type).
fn formula() -> impl Strategy<Value = String> {
    let text_leaf = prop_oneof![
        Just("s__c".to_string()),
        Just("t__c".to_string()),
        Just("''".to_string()),
        "[a-z@. ]{0,6}".prop_map(|s| format!("'{s}'")),
    ];
    let num_leaf = prop_oneof![
        Just("a__c".to_string()),
        Just("n__c".to_string()),
        (0u32..1000).prop_map(|n| n.to_string()),
        Just("0".to_string()),
        Just("1.5".to_string()),
    ];
    let bool_leaf = prop_oneof![
        Just("f__c".to_string()),
        Just("TRUE".to_string()),
        Just("NULL".to_string())
    ];
    // One recursive strategy for each type would need mutual recursion; instead grow a
    // (text, number, boolean) triple of expressions together.
    let leaf = (text_leaf, num_leaf, bool_leaf);
    leaf.prop_recursive(4, 64, 6, |inner| {
        (inner.clone(), inner.clone(), 0u8..10).prop_map(|((t1, n1, b1), (t2, n2, b2), pick)| {
            let t = match pick {
                0 => format!("{t1} & {t2}"),
                1 => format!("LEFT({t1}, {n1})"),
                2 => format!("IF({b1}, {t1}, {t2})"),
                3 => format!("UPPER({t1})"),
                4 => format!("TEXT({n1})"),
                5 => format!("MID({t1}, {n1}, {n2})"),
                6 => format!("SUBSTITUTE({t1}, {t2}, 'x')"),
                7 => format!("BLANKVALUE({t1}, {t2})"),
                8 => format!("TRIM({t1})"),
                _ => format!("CASE({t1}, 'x', {t2}, 'b')"),
            };
            let n = match pick {
                0 => format!("{n1} + {n2}"),
                1 => format!("{n1} / {n2}"),
                2 => format!("{n1} * {n2}"),
                3 => format!("LEN({t1})"),
                4 => format!("ROUND({n1}, 2)"),
                5 => format!("MOD({n1}, {n2})"),
                6 => format!("IF({b1}, {n1}, {n2})"),
                7 => format!("ABS({n1} - {n2})"),
                8 => format!("VALUE({t1})"),
                _ => format!("({n1}) ^ 2"),
            };
            let b = match pick {
                0 => format!("{n1} < {n2}"),
                1 => format!("{t1} = {t2}"),
                2 => format!("AND({b1}, {b2})"),
                3 => format!("OR({b1}, {b2})"),
                4 => format!("NOT({b1})"),
                5 => format!("ISBLANK({t1})"),
                6 => format!("CONTAINS({t1}, {t2})"),
                7 => format!("{b1} && {b2}"),
                8 => format!("BEGINS({t1}, {t2})"),
                _ => format!("{b1} || {n1} >= {n2}"),
            };
            (t, n, b)
        })
    })
    .prop_flat_map(|(t, n, b)| prop_oneof![Just(t), Just(n), Just(b)])
}

/// Formula tokens in any order: more of these parse than random characters do.
fn tokens() -> impl Strategy<Value = String> {
    let token = proptest::sample::select(vec![
        "s__c",
        "a__c",
        "f__c",
        "$User.Alias",
        "&",
        "+",
        "-",
        "*",
        "/",
        "^",
        "(",
        ")",
        ",",
        "'x'",
        "''",
        "1",
        "0",
        "2.5",
        "LEN",
        "IF",
        "CASE",
        "AND",
        "TEXT",
        "VALUE",
        "TRUE",
        "NULL",
        "=",
        "<",
        "&&",
        "NOT",
    ]);
    proptest::collection::vec(token, 0..16).prop_map(|v| v.join(" "))
}

/// Ids and their checksums worked out by hand from the algorithm (reference §5.5): bit j of
/// each 5-character chunk is set when its j-th character is upper case, and the chunk's number
/// indexes `A..Z0..5`.
#[test]
fn casesafeid_matches_hand_computed_checksums() {
    for (id, safe) in [
        // The documented example: only `D` (bit 1) and `H` (bit 2) of the last chunk: 6, G.
        ("001xx000003DHur", "001xx000003DHurAAG"),
        // `D` is bit 3 of chunk 1 (8, I); `A` and `C` bits 1 and 3 of chunk 3 (10, K).
        ("005D0000001AbCd", "005D0000001AbCdIAK"),
        // Every bit set: 31, the alphabet's last character.
        ("ABCDEABCDEABCDE", "ABCDEABCDEABCDE555"),
        // Chunks 2+8 (K), 1+4+16 (V), 2+8 (K).
        ("aBcDeFgHiJkLmNo", "aBcDeFgHiJkLmNoKVK"),
        // A lone upper-case letter first (1, B) or last (16, Q) in its chunk.
        ("Z0000000000000z", "Z0000000000000zBAA"),
        ("0000z0000Z00000", "0000z0000Z00000AQA"),
    ] {
        let ctx = context(&[("id__c", Type::Text, Value::text(id))]);
        assert_eq!(
            compile("CASESAFEID(id__c)").eval(&ctx).unwrap(),
            Value::text(safe),
            "{id}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn adding_then_subtracting_is_the_identity(a in decimal(), b in decimal()) {
        let ctx = context(&[num("a__c", &a), num("b__c", &b)]);
        let v = compile("a__c + b__c - b__c").eval(&ctx).unwrap();
        prop_assert_eq!(number(&v), a);
    }

    #[test]
    fn multiplying_by_one_is_the_identity(a in decimal()) {
        let ctx = context(&[num("a__c", &a)]);
        prop_assert_eq!(number(&compile("a__c * 1").eval(&ctx).unwrap()), a);
    }

    #[test]
    fn addition_is_associative(a in decimal(), b in decimal(), c in decimal()) {
        let ctx = context(&[num("a__c", &a), num("b__c", &b), num("c__c", &c)]);
        let l = compile("(a__c + b__c) + c__c").eval(&ctx).unwrap();
        let r = compile("a__c + (b__c + c__c)").eval(&ctx).unwrap();
        prop_assert_eq!(number(&l), number(&r));
    }

    #[test]
    fn left_returns_at_most_n_characters(s in "\\PC{0,20}", n in 0u32..25) {
        let ctx = context(&[
            ("s__c", Type::Text, Value::text(&s)),
            ("n__c", Type::Number, Value::Number(n.into())),
        ]);
        let len = number(&compile("LEN(LEFT(s__c, n__c))").eval(&ctx).unwrap());
        let max = BigDecimal::from(n);
        prop_assert!(len <= max, "LEN(LEFT({:?}, {})) = {}", s, n, len);
    }

    #[test]
    fn concatenation_skips_nulls(s in "\\PC{0,12}") {
        let ctx = context(&[("s__c", Type::Text, Value::text(&s)), ("t__c", Type::Text, Value::Null)]);
        prop_assert_eq!(compile("s__c & t__c").eval(&ctx).unwrap(), Value::text(&s));
        prop_assert_eq!(compile("t__c & s__c").eval(&ctx).unwrap(), Value::text(&s));
        prop_assert_eq!(compile("t__c & NULL & t__c").eval(&ctx).unwrap(), Value::Null);
    }

    #[test]
    fn casesafeid_appends_three_check_characters(id in "[a-zA-Z0-9]{15}") {
        let ctx = context(&[("id__c", Type::Text, Value::text(&id))]);
        let v = compile("CASESAFEID(id__c)").eval(&ctx).unwrap();
        let Value::Text(out) = v else { panic!("expected Text, got {v:?}") };
        prop_assert_eq!(out.len(), 18);
        prop_assert_eq!(&out[..15], id.as_str());
        prop_assert!(out[15..].bytes().all(|b| matches!(b, b'A'..=b'Z' | b'0'..=b'5')), "{}", out);
        // Lower-casing the Id changes no upper-case bits the other way: all-lower is AAA.
        let lower = id.to_ascii_lowercase();
        let ctx = context(&[("id__c", Type::Text, Value::text(&lower))]);
        prop_assert_eq!(compile("CASESAFEID(id__c)").eval(&ctx).unwrap(), Value::text(format!("{lower}AAA")));
    }

    #[test]
    fn well_typed_formulas_never_panic(
        src in formula(),
        s in proptest::option::of("\\PC{0,8}"),
        a in proptest::option::of(decimal()),
        f in proptest::option::of(any::<bool>()),
    ) {
        let ctx = context(&[
            ("s__c", Type::Text, s.map_or(Value::Null, Value::text)),
            ("a__c", Type::Number, a.map_or(Value::Null, Value::Number)),
            ("n__c", Type::Number, Value::Number(3.into())),
            ("f__c", Type::Boolean, f.map_or(Value::Null, Value::Boolean)),
        ]);
        // Either a value or a runtime error with a span inside the formula: never a panic.
        if let Err(e) = compile(&src).eval(&ctx) {
            prop_assert!(e.span.end <= src.len(), "{:?} outside {}", e.span, src);
        }
    }

    #[test]
    fn any_text_compiles_or_is_diagnosed_without_panicking(src in prop_oneof!["[ -~]{0,40}", tokens()]) {
        let opts = CompileOptions { schema: Some(schema()), ..Default::default() };
        let compiled = Program::compile(&src, &opts);
        match compiled.program {
            Some(p) => {
                let _ = p.eval(&context(&[]));
            }
            None => prop_assert!(compiled.diagnostics.iter().any(|d| d.is_error())),
        }
    }
}
