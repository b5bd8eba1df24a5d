//! Compile and evaluate hand-built typed trees (independent of the parser and checker).

use super::node::Kind;
use super::*;
use crate::catalog::{Func, fields};
use crate::ir::{FieldKey, TypedKind};
use crate::runtime::ContextOptions;
use crate::syntax::BinaryOp;

fn sp(a: usize, b: usize) -> Span {
    Span::new(a, b)
}

fn lit(v: Value, ty: Type) -> Typed {
    Typed {
        kind: TypedKind::Literal(v),
        ty,
        span: sp(0, 1),
    }
}

fn text(s: &str) -> Typed {
    lit(Value::text(s), Type::Text)
}

fn boolean(b: bool) -> Typed {
    lit(Value::Boolean(b), Type::Boolean)
}

fn merge(name: &str) -> Typed {
    let (id, spec) = fields::lookup(name).unwrap();
    Typed {
        kind: TypedKind::Field(FieldKey::Merge(id)),
        ty: spec.ty,
        span: sp(0, name.len()),
    }
}

fn record(name: &str, ty: Type) -> Typed {
    Typed {
        kind: TypedKind::Field(FieldKey::Record(name.into())),
        ty,
        span: sp(0, name.len()),
    }
}

fn bin(op: BinaryOp, l: Typed, r: Typed, ty: Type) -> Typed {
    Typed {
        span: l.span.to(r.span),
        kind: TypedKind::Binary {
            op,
            lhs: Box::new(l),
            rhs: Box::new(r),
        },
        ty,
    }
}

fn call(func: Func, args: Vec<Typed>, ty: Type, span: Span) -> Typed {
    Typed {
        kind: TypedKind::Call { func, args },
        ty,
        span,
    }
}

/// A strict call whose built-in fails (the skeleton's stub and the real one alike fail on a
/// Number divided by zero), to observe laziness and error spans.
fn failing() -> Typed {
    let zero = lit(Value::Number(0.into()), Type::Number);
    let one = lit(Value::Number(1.into()), Type::Number);
    let mut t = bin(BinaryOp::Div, one, zero, Type::Number);
    t.span = sp(10, 13);
    t
}

fn saml() -> Typed {
    let c = |l, r| bin(BinaryOp::Concat, l, r, Type::Text);
    c(
        c(
            c(c(merge("$User.Alias"), text("@")), merge("$User.Id")),
            text("@"),
        ),
        merge("$Organization.Id"),
    )
}

fn ctx() -> Context {
    let mut ctx = Context::new(ContextOptions::default());
    ctx.set("$User.Alias=jdoe").unwrap();
    ctx.set("$User.Id=005xx000001AbCdAAK").unwrap();
    ctx.set("$Organization.Id=00Dxx0000001gEZ").unwrap();
    ctx
}

fn compile(t: &Typed) -> Program {
    Program::from_typed(t, &CompileOptions::default())
}

#[test]
fn the_saml_formula_is_one_flat_concatenation() {
    let p = compile(&saml());
    let Kind::Concat(parts) = &p.root.kind else {
        panic!("{:?}", p.root.kind)
    };
    assert_eq!(parts.len(), 5);
    assert_eq!(
        p.eval(&ctx()).unwrap(),
        Value::text("jdoe@005xx000001AbCd@00Dxx0000001gEZ")
    );
}

#[test]
fn concatenation_skips_nulls_and_folds_constant_runs() {
    let t = bin(
        BinaryOp::Concat,
        bin(BinaryOp::Concat, text("a"), text(""), Type::Text),
        text("b"),
        Type::Text,
    );
    let p = compile(&t);
    assert!(p.is_constant());
    assert_eq!(p.eval(&ctx()).unwrap(), Value::text("ab"));
    let blank = bin(BinaryOp::Concat, merge("$User.Alias"), text(""), Type::Text);
    let empty = Context::new(ContextOptions::default());
    assert_eq!(compile(&blank).eval(&empty).unwrap(), Value::Null);
}

#[test]
fn if_is_lazy_and_a_null_condition_is_false() {
    let t = call(
        Func::If,
        vec![boolean(true), text("yes"), failing()],
        Type::Text,
        sp(0, 20),
    );
    assert_eq!(compile(&t).eval(&ctx()).unwrap(), Value::text("yes"));
    let null_cond = lit(Value::Null, Type::Boolean);
    let t = call(
        Func::If,
        vec![null_cond, failing(), text("no")],
        Type::Text,
        sp(0, 20),
    );
    assert_eq!(compile(&t).eval(&ctx()).unwrap(), Value::text("no"));
}

#[test]
fn a_failing_constant_is_kept_for_run_time_with_its_span() {
    let p = compile(&failing());
    assert!(!p.is_constant());
    let err = p.eval(&ctx()).unwrap_err();
    assert_eq!(err.span, sp(10, 13));
}

#[test]
fn and_or_short_circuit_and_treat_null_as_false() {
    let null = || lit(Value::Null, Type::Boolean);
    let and = call(Func::And, vec![null(), failing()], Type::Boolean, sp(0, 9));
    assert_eq!(compile(&and).eval(&ctx()).unwrap(), Value::Boolean(false));
    let or = bin(BinaryOp::Or, boolean(true), failing(), Type::Boolean);
    assert_eq!(compile(&or).eval(&ctx()).unwrap(), Value::Boolean(true));
    let or = bin(BinaryOp::Or, null(), null(), Type::Boolean);
    assert_eq!(compile(&or).eval(&ctx()).unwrap(), Value::Boolean(false));
}

#[test]
fn iferror_returns_the_fallback_on_failure() {
    let t = call(
        Func::IfError,
        vec![failing(), text("fallback")],
        Type::Text,
        sp(0, 9),
    );
    assert_eq!(compile(&t).eval(&ctx()).unwrap(), Value::text("fallback"));
}

#[test]
fn case_and_ifs_pick_the_first_match() {
    let t = call(
        Func::Case,
        vec![
            merge("$User.Alias"),
            text("x"),
            failing(),
            text("jdoe"),
            text("hit"),
            text("else"),
        ],
        Type::Text,
        sp(0, 9),
    );
    assert_eq!(compile(&t).eval(&ctx()).unwrap(), Value::text("hit"));
    let empty = Context::new(ContextOptions::default());
    assert_eq!(compile(&t).eval(&empty).unwrap(), Value::text("else"));
    let t = call(
        Func::Ifs,
        vec![
            boolean(false),
            failing(),
            boolean(true),
            text("second"),
            text("else"),
        ],
        Type::Text,
        sp(0, 9),
    );
    assert_eq!(compile(&t).eval(&ctx()).unwrap(), Value::text("second"));
}

#[test]
fn blank_as_zero_reads_a_null_number_field_as_zero() {
    let t = record("n__c", Type::Number);
    let mut c = ctx();
    c.insert_record("N__c", Type::Number, Value::Null);
    let opts = CompileOptions {
        blank_as_zero: true,
        ..Default::default()
    };
    assert_eq!(
        Program::from_typed(&t, &opts).eval(&c).unwrap(),
        Value::Number(0.into())
    );
    assert_eq!(compile(&t).eval(&c).unwrap(), Value::Null);
    // Only Number fields: a blank Text field stays null.
    let t = record("n__c", Type::Text);
    assert_eq!(
        Program::from_typed(&t, &opts).eval(&c).unwrap(),
        Value::Null
    );
}

#[test]
fn permissions_read_from_the_context() {
    let t = Typed {
        kind: TypedKind::Field(FieldKey::Permission("voice".into())),
        ty: Type::Boolean,
        span: sp(0, 17),
    };
    let mut c = ctx();
    assert_eq!(compile(&t).eval(&c).unwrap(), Value::Null);
    c.set("$Permission.Voice=true").unwrap();
    assert_eq!(compile(&t).eval(&c).unwrap(), Value::Boolean(true));
}

#[test]
fn an_overlong_formula_is_warned_about_in_characters() {
    let src = format!("'{}'", "é".repeat(3899));
    let compiled = Program::compile(&src, &CompileOptions::default());
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == Code::FormulaTooLong)
        .expect("F201");
    assert_eq!(
        d.message,
        "Formula is too long (3901 characters).  Maximum length is 3900 characters"
    );
}

#[test]
fn one_trailing_line_ending_is_not_counted_toward_the_length() {
    let formula = format!("'{}'", "x".repeat(3898));
    let too_long = |src: &str| {
        Program::compile(src, &CompileOptions::default())
            .diagnostics
            .into_iter()
            .find(|d| d.code == Code::FormulaTooLong)
    };
    for ending in ["", "\n", "\r\n"] {
        assert_eq!(too_long(&format!("{formula}{ending}")), None, "{ending:?}");
    }
    // A second line ending is part of the formula text, and offsets stay those of the source.
    let src = format!("{formula}\n\n");
    let d = too_long(&src).expect("F201");
    assert!(
        d.message
            .starts_with("Formula is too long (3901 characters)")
    );
    assert_eq!(d.span, Some(Span::new(3900, 3901)));
    let src = format!("{formula}x\r\n");
    let d = too_long(&src).expect("F201");
    assert!(
        d.message
            .starts_with("Formula is too long (3901 characters)")
    );
    assert_eq!(d.span, Some(Span::new(3900, 3901)));
}

#[test]
fn the_pipeline_compiles_and_evaluates_source_text() {
    let src = "$User.Alias & '@' & CASESAFEID($User.Id) & IF(ISBLANK($User.Alias), 'x', '')";
    let compiled = Program::compile(
        src,
        &CompileOptions {
            expected: Some(Type::Text),
            ..Default::default()
        },
    );
    let p = compiled.program.expect("compiles");
    assert_eq!(p.result_type(), Type::Text);
    assert_eq!(
        p.eval(&ctx()).unwrap(),
        Value::text("jdoe@005xx000001AbCdAAK")
    );
}

#[test]
fn a_constant_error_is_reported_at_run_time_with_its_span() {
    let src = "'a' & TEXT(1/0)";
    let p = Program::compile(src, &CompileOptions::default())
        .program
        .expect("compiles");
    let err = p.eval(&ctx()).unwrap_err();
    assert_eq!(&src[err.span.start..err.span.end], "1/0");
    assert_eq!(err.code, Code::DivisionByZero);
}

#[test]
fn errors_stop_compilation_and_diagnostics_come_in_source_order() {
    let compiled = Program::compile("LEN(1) & $User.Nope", &CompileOptions::default());
    assert!(compiled.program.is_none());
    let starts: Vec<usize> = compiled
        .diagnostics
        .iter()
        .filter_map(|d| d.span.map(|s| s.start))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_unstable();
    assert_eq!(starts, sorted);
    assert!(!starts.is_empty());
}

#[test]
fn a_null_number_formula_field_reads_as_zero_under_blank_as_zero() {
    use crate::check::RecordField;
    let mut schema = crate::check::Schema::default();
    for (name, ty, formula) in [
        ("d__c", Type::Date, None),
        ("f__c", Type::Number, Some("DAY(d__c) + 1")),
    ] {
        let formula = formula.map(str::to_string);
        let name = name.to_string();
        schema.record.insert(
            name.clone(),
            RecordField {
                formula,
                ..RecordField::new(name, ty)
            },
        );
    }
    let mut c = ctx();
    c.insert_record("d__c", Type::Date, Value::Null);
    let run = |blank_as_zero| {
        let opts = CompileOptions {
            blank_as_zero,
            schema: Some(schema.clone()),
            ..Default::default()
        };
        let p = Program::compile("f__c * 2", &opts)
            .program
            .expect("compiles");
        p.eval(&c).unwrap()
    };
    // The whole field is null (DAY(null) + 1), so it reads as 0; its inner DAY() is not zeroed.
    assert_eq!(run(true), Value::Number(0.into()));
    assert_eq!(run(false), Value::Null);
}

#[test]
fn if_with_a_constant_condition_compiles_to_its_branch() {
    let t = call(
        Func::If,
        vec![boolean(false), failing(), merge("$User.Alias")],
        Type::Text,
        sp(0, 20),
    );
    let p = compile(&t);
    assert!(
        matches!(p.root.kind, Kind::Merge { .. }),
        "{:?}",
        p.root.kind
    );
    assert_eq!(p.eval(&ctx()).unwrap(), Value::text("jdoe"));
    let t = call(
        Func::If,
        vec![boolean(true), lit(Value::Null, Type::Null), text("x")],
        Type::Text,
        sp(0, 20),
    );
    assert_eq!(compile(&t).result_type(), Type::Text);
}

#[test]
fn programs_and_contexts_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Program>();
    shareable::<Context>();
    let p = compile(&saml());
    let c = ctx();
    std::thread::scope(|s| {
        let h = s.spawn(|| p.eval(&c).unwrap());
        assert_eq!(h.join().unwrap(), p.eval(&c).unwrap());
    });
}

#[test]
fn a_doubling_fold_stops_at_the_text_limit_and_keeps_the_failing_node() {
    // SUBSTITUTE(…SUBSTITUTE('aaaa', 'a', 'aa')…) sixty times: folding must stop once the text
    // would pass the limit, leaving that node (and its parents) for run time.
    let mut t = text("aaaa");
    for i in 0..60 {
        t = call(
            Func::Substitute,
            vec![t, text("a"), text("aa")],
            Type::Text,
            sp(0, 100 + i),
        );
    }
    let p = compile(&t);
    assert!(!p.is_constant());
    let err = p.eval(&ctx()).unwrap_err();
    assert_eq!(err.code, samlfx_diag::Code::OutOfRange);
    // 4 · 2^15 = 131072 fits: the sixteenth SUBSTITUTE is the first to fail.
    assert_eq!(err.span, sp(0, 115));
}

#[test]
fn folding_stops_when_its_budget_is_spent_and_run_time_finishes_the_work() {
    let n = |i: i64| lit(Value::Number(i.into()), Type::Number);
    // MAX(LEN(LPAD('a', 131072, 'a')), …) ten times: each fold makes a maximal text.
    let lens: Vec<Typed> = (0..10)
        .map(|_| {
            let pad = call(
                Func::Lpad,
                vec![text("a"), n(131_072), text("a")],
                Type::Text,
                sp(0, 5),
            );
            call(Func::Len, vec![pad], Type::Number, sp(0, 6))
        })
        .collect();
    let t = call(Func::Max, lens, Type::Number, sp(0, 7));
    let p = compile(&t);
    assert!(
        !p.is_constant(),
        "the budget should leave later folds to run time"
    );
    assert_eq!(p.eval(&ctx()).unwrap(), Value::Number(131_072.into()));
}

#[test]
fn only_deep_programs_check_the_stack_at_every_level() {
    let deep_tree = |n: usize| format!("{}$User.Alias{}", "UPPER(".repeat(n), ")".repeat(n));
    for (n, deep) in [
        (SHALLOW - 1, false),
        (SHALLOW, false),
        (SHALLOW + 1, true),
        (3000, true),
    ] {
        let p = Program::compile(&deep_tree(n), &CompileOptions::default())
            .program
            .expect("compiles");
        assert_eq!(p.deep, deep, "{n} levels");
        assert_eq!(p.eval(&ctx()).unwrap(), Value::text("JDOE"));
    }
}

/// Compiles real source (parser and checker included), so spans are the ones users see.
fn compiled(src: &str) -> Program {
    let c = Program::compile(src, &CompileOptions::default());
    c.program
        .unwrap_or_else(|| panic!("{src}: {:?}", c.diagnostics))
}

/// The source bytes that decoded bytes `range` of the folded constant map to.
fn source_of<'s>(src: &'s str, p: &Program, range: std::ops::Range<usize>) -> &'s str {
    let (_, map) = p.constant_text().expect("a constant text");
    let s = map.span(range);
    &src[s.start..s.end]
}

#[test]
fn a_folded_role_value_maps_each_byte_to_its_literal() {
    let src =
        "'arn:aws:iam::12345678901:role/R' & ',' & 'arn:aws:iam::123456789012:saml-provider/P'";
    let p = compiled(src);
    let (text, map) = p.constant_text().unwrap();
    assert_eq!(
        text,
        "arn:aws:iam::12345678901:role/R,arn:aws:iam::123456789012:saml-provider/P"
    );
    assert_eq!(map.len(), text.len());
    // The 11-digit account: decoded 13..24, source 14..25, inside the first literal.
    assert_eq!(&text[13..24], "12345678901");
    assert_eq!(map.span(13..24), Span::new(14, 25));
    assert_eq!(&src[14..25], "12345678901");
    // The comma is its own literal; the second account is inside the third literal.
    let comma = text.find(',').unwrap();
    assert_eq!(map.span(comma..comma + 1), Span::new(37, 38));
    let second = text.rfind("123456789012").unwrap();
    assert_eq!(source_of(src, &p, second..second + 12), "123456789012");
    assert_eq!(map.span(second..second + 12), Span::new(56, 68));
    // The whole value spans from the first literal's text to the last one's.
    assert_eq!(map.source_span(), Span::new(1, src.len() - 1));
    // One piece: the result itself.
    assert_eq!(p.constant_pieces().count(), 1);
}

#[test]
fn folded_text_after_escapes_maps_to_the_escaped_source() {
    let src = r"'it\'s' & 'x'";
    let p = compiled(src);
    let (text, map) = p.constant_text().unwrap();
    assert_eq!(text, "it'sx");
    assert_eq!(map.span(0..2), Span::new(1, 3));
    // The quote is the escape `\'`, whole.
    assert_eq!(map.span(2..3), Span::new(3, 5));
    assert_eq!(map.span(3..4), Span::new(5, 6));
    assert_eq!(map.span(4..5), Span::new(11, 12));
    assert_eq!(source_of(src, &p, 4..5), "x");
    assert_eq!(map.span(0..5), Span::new(1, 12));
    // `\\` and `"` quotes, joined with Text `+`.
    let src = r#""a\\b" + 'c\'d' + "e""#;
    let p = compiled(src);
    assert_eq!(p.constant_text().unwrap().0, r"a\bc'de");
    assert_eq!(source_of(src, &p, 1..2), r"\\");
    assert_eq!(source_of(src, &p, 2..3), "b");
    assert_eq!(source_of(src, &p, 4..5), r"\'");
    assert_eq!(source_of(src, &p, 6..7), "e");
}

#[test]
fn text_made_by_a_folded_function_maps_to_the_call() {
    let src = r"'a\'' & TEXT(5) & SUBSTITUTE('b', 'b', 'B') & '' & 'c'";
    let p = compiled(src);
    let (text, _) = p.constant_text().unwrap();
    assert_eq!(text, "a'5Bc");
    assert_eq!(source_of(src, &p, 1..2), r"\'");
    assert_eq!(source_of(src, &p, 2..3), "TEXT(5)");
    assert_eq!(source_of(src, &p, 3..4), "SUBSTITUTE('b', 'b', 'B')");
    assert_eq!(
        source_of(src, &p, 2..4),
        "TEXT(5) & SUBSTITUTE('b', 'b', 'B')"
    );
    assert_eq!(source_of(src, &p, 4..5), "c");
    // A constant IF is its chosen branch, map and all.
    let src = r"IF(1 > 0, 'x\\y', 'z')";
    let p = compiled(src);
    assert_eq!(p.constant_text().unwrap().0, r"x\y");
    assert_eq!(source_of(src, &p, 1..2), r"\\");
    assert_eq!(source_of(src, &p, 2..3), "y");
    // Not a text: nothing to map.
    assert!(compiled("1 + 2").constant_text().is_none());
    assert!(compiled("''").constant_text().is_none());
}

#[test]
fn functions_that_keep_part_of_a_literal_map_into_it() {
    // A pasted ARN with stray spaces, trimmed: the account is found inside the literal.
    let src = r"TRIM('  arn:aws:iam::12345678901:role/it\'s ') & ',x'";
    let p = compiled(src);
    let (text, _) = p.constant_text().unwrap();
    assert_eq!(text, "arn:aws:iam::12345678901:role/it's,x");
    assert_eq!(source_of(src, &p, 13..24), "12345678901");
    assert_eq!(source_of(src, &p, 32..33), r"\'");
    assert_eq!(source_of(src, &p, 34..36), ",x");
    for (src, piece, written) in [
        (r"LEFT('a\\bc', 3)", "a\\b", r"a\\b"),
        (r"RIGHT('a\\bc', 2)", "bc", "bc"),
        (r"MID('x\'yz', 2, 2)", "'y", r"\'y"),
        (r"UPPER('ab\'c')", "AB'C", r"ab\'c"),
        (r"LOWER(' Q ')", " q ", " Q "),
    ] {
        let p = compiled(src);
        let (text, map) = p.constant_text().unwrap();
        assert_eq!(text, piece, "{src}");
        let s = map.span(0..text.len());
        assert_eq!(&src[s.start..s.end], written, "{src}");
    }
    // Where the piece cannot be placed for sure, the call answers for all of it.
    for src in [
        "MID('abab', 3, 2)",
        "UPPER('straße')",
        "SUBSTITUTE('ab', 'a', 'c')",
    ] {
        let p = compiled(src);
        let (text, map) = p.constant_text().unwrap();
        assert_eq!(map.span(0..text.len()), Span::new(0, src.len()), "{src}");
    }
}

#[test]
fn constant_pieces_of_a_concatenation_keep_their_maps() {
    let src = r"'arn:aws:iam::123456789012:role/R,' & $User.Alias & 'x\'y' & 'z'";
    let p = compiled(src);
    assert!(p.constant_text().is_none(), "reads a field");
    let pieces: Vec<(&str, Span)> = p
        .constant_pieces()
        .map(|(t, m)| (t, m.source_span()))
        .collect();
    assert_eq!(
        pieces,
        [
            ("arn:aws:iam::123456789012:role/R,", Span::new(1, 34)),
            ("x'yz", Span::new(53, 63)),
        ]
    );
    let (text, map) = p.constant_pieces().nth(1).unwrap();
    let z = text.find('z').unwrap();
    let s = map.span(z..z + 1);
    assert_eq!(&src[s.start..s.end], "z");
    let s = map.span(1..2);
    assert_eq!(&src[s.start..s.end], r"\'");
    // A field alone has no constant pieces.
    assert_eq!(compiled("$User.Alias").constant_pieces().count(), 0);
}

#[test]
fn a_literal_inside_a_formula_field_maps_to_the_reference() {
    use crate::schema::{RecordField, Schema};
    let mut schema = Schema::default();
    schema.record.insert(
        "role__c".into(),
        RecordField {
            formula: Some(r"'it\'s'".into()),
            ..RecordField::new("Role__c", Type::Text)
        },
    );
    let src = "'a' & Role__c";
    let opts = CompileOptions {
        schema: Some(schema),
        ..Default::default()
    };
    let p = Program::compile(src, &opts).program.unwrap();
    let (text, map) = p.constant_text().unwrap();
    assert_eq!(text, "ait's");
    // The field's own formula is not this source: its text is blamed on the reference.
    assert_eq!(map.span(1..3), Span::new(6, 13));
    assert_eq!(map.span(0..1), Span::new(1, 2));
}

mod folded_maps {
    use super::*;
    use proptest::prelude::*;

    /// A literal's body: plain characters and the three quote/backslash escapes.
    fn body() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => "[a-z:/,@ é€😀]",
                1 => Just(r"\'".to_string()),
                1 => Just(r"\\".to_string()),
                1 => Just(r#"\""#.to_string()),
            ],
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn every_folded_byte_maps_into_its_literal(
            bodies in proptest::collection::vec(body(), 1..6),
        ) {
            let lits: Vec<String> = bodies.iter().map(|b| format!("'{b}'")).collect();
            let src = lits.join(" & ");
            let p = compiled(&src);
            let Some((text, map)) = p.constant_text() else {
                // Every literal was empty: the value is null.
                prop_assert!(bodies.iter().all(String::is_empty));
                return Ok(());
            };
            prop_assert_eq!(map.len(), text.len());
            // Where each literal's body lies in `src`.
            let mut bounds = Vec::new();
            let mut at = 0;
            for l in &lits {
                bounds.push(Span::new(at + 1, at + l.len() - 1));
                at += l.len() + 3;
            }
            let mut last_end = 0;
            for (i, c) in text.char_indices() {
                let s = map.span(i..i + c.len_utf8());
                prop_assert!(
                    bounds.iter().any(|b| b.start <= s.start && s.end <= b.end),
                    "{s:?} is in no literal of {src}"
                );
                prop_assert!(last_end <= s.start, "not monotonic at {i} in {src}");
                let written = &src[s.start..s.end];
                prop_assert_eq!(written.strip_prefix('\\').unwrap_or(written), c.to_string());
                last_end = s.end;
            }
        }
    }
}

#[test]
fn a_chain_inside_a_part_of_a_chain_builds_its_own_text() {
    // The outer chain holds the per-thread buffer while an inner one is evaluated.
    let src = "UPPER($User.Alias & '.x') & '-' & LOWER('A' & $User.Alias) & '-' & $User.Alias";
    let p = Program::compile(src, &CompileOptions::default())
        .program
        .expect("compiles");
    assert_eq!(p.eval(&ctx()).unwrap(), Value::text("JDOE.X-ajdoe-jdoe"));
    assert_eq!(p.eval(&ctx()).unwrap(), Value::text("JDOE.X-ajdoe-jdoe"));
}
