//! Property tests for the parser and the pretty-printer.

use proptest::prelude::*;

use samlfx_diag::{SourceMap, Span};
use samlfx_formula::syntax::{
    BinaryOp, Expr, ExprKind, ParseLimits, UnaryOp, parse, parse_with, print,
};

fn node(kind: ExprKind) -> Expr {
    Expr {
        kind,
        span: Span::default(),
    }
}

fn is_keyword(s: &str) -> bool {
    ["TRUE", "FALSE", "NULL", "NOT"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(s))
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("$User.Alias".to_string()),
        Just("$Organization.Id".to_string()),
        Just("abc__c".to_string()),
        Just("TrueValue__c".to_string()),
        "[A-Za-z$][A-Za-z0-9$_:.#]{0,8}",
    ]
    .prop_filter("keywords are not names", |s| !is_keyword(s))
}

/// Text values a default-mode literal can hold: anything but a line feed or carriage return
/// (those need an escape that only decode mode turns into the character), with plenty of
/// backslashes and two-character `\n` sequences, which the printer must re-escape.
const TEXT: &str = "([a-z'\"\\\\\t ]|\\\\[nrtNRT]|\\PC){0,8}";
/// Decode mode: line feeds and carriage returns too.
const DECODED_TEXT: &str = "([a-z'\"\\\\\n\r\t ]|\\\\[nrtNRT]|\\PC){0,8}";

fn leaf(text: &'static str) -> impl Strategy<Value = Expr> {
    prop_oneof![
        "[0-9]{1,4}(\\.[0-9]{1,3})?".prop_map(|n| node(ExprKind::Number(n.into()))),
        text.prop_map(|t: String| {
            // A hand-built literal has no source: its text maps to the node's (empty) span.
            let map = SourceMap::derived(t.len(), Span::default());
            node(ExprKind::Text(t.into(), map))
        }),
        any::<bool>().prop_map(|b| node(ExprKind::Boolean(b))),
        Just(node(ExprKind::Null)),
        name().prop_map(|n| node(ExprKind::Field(n.into()))),
    ]
}

const BINARY: [BinaryOp; 14] = [
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Pow,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Concat,
    BinaryOp::Lt,
    BinaryOp::Gt,
    BinaryOp::Le,
    BinaryOp::Ge,
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::And,
    BinaryOp::Or,
];

fn ast() -> impl Strategy<Value = Expr> {
    ast_with(TEXT)
}

fn ast_with(text: &'static str) -> impl Strategy<Value = Expr> {
    leaf(text).prop_recursive(6, 64, 3, |inner| {
        prop_oneof![
            (name(), prop::collection::vec(inner.clone(), 0..=3)).prop_map(|(n, args)| {
                node(ExprKind::Call {
                    name: n.into(),
                    name_span: Span::default(),
                    args,
                })
            }),
            (
                prop::sample::select(vec![UnaryOp::Plus, UnaryOp::Minus, UnaryOp::Not]),
                inner.clone()
            )
                .prop_map(|(op, e)| node(ExprKind::Unary {
                    op,
                    op_span: Span::default(),
                    operand: Box::new(e),
                })),
            (prop::sample::select(BINARY.to_vec()), inner.clone(), inner).prop_map(|(op, l, r)| {
                node(ExprKind::Binary {
                    op,
                    op_span: Span::default(),
                    lhs: Box::new(l),
                    rhs: Box::new(r),
                })
            }),
        ]
    })
}

/// Formula-ish fragments, so that random input reaches deep into the parser.
fn formulaish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("$User.Alias"),
        Just("F("),
        Just("IF("),
        Just("("),
        Just(")"),
        Just(","),
        Just("&"),
        Just("&&"),
        Just("||"),
        Just("|"),
        Just("+"),
        Just("-"),
        Just("^"),
        Just("<>"),
        Just("=>"),
        Just("!"),
        Just("NOT "),
        Just("true"),
        Just("1.5"),
        Just("1e5"),
        Just(".5"),
        Just("5."),
        Just("'a\\'b'"),
        Just("\"x"),
        Just("'\\q'"),
        Just("/* c */"),
        Just("/* open"),
        Just(" "),
        Just("\n"),
        Just("‘"),
        Just("”"),
        Just("\u{a0}"),
        Just(";"),
        Just("é"),
    ];
    prop::collection::vec(token, 0..24).prop_map(|v| v.concat())
}

fn check_span(src: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= src.len(),
        "{what} {s:?} out of {src:?}"
    );
    assert!(
        src.is_char_boundary(s.start) && src.is_char_boundary(s.end),
        "{what} {s:?} not on char boundaries of {src:?}"
    );
}

fn check_all_spans(src: &str) {
    match parse(src) {
        Ok(e) => e.walk(&mut |n| {
            check_span(src, n.span, "node");
            match &n.kind {
                ExprKind::Call {
                    name, name_span, ..
                } => {
                    check_span(src, *name_span, "name");
                    assert_eq!(&src[name_span.start..name_span.end], &**name);
                    assert!(src[n.span.start..n.span.end].starts_with(&**name));
                    assert!(src[n.span.start..n.span.end].ends_with(')'));
                }
                ExprKind::Field(f) => assert_eq!(&src[n.span.start..n.span.end], &**f),
                ExprKind::Unary { op_span, .. } | ExprKind::Binary { op_span, .. } => {
                    check_span(src, *op_span, "operator")
                }
                _ => {}
            }
        }),
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                assert!(d.help.is_some(), "{src:?}: {d:?} has no help");
                if let Some(s) = d.span {
                    check_span(src, s, "diagnostic");
                }
                for l in &d.labels {
                    check_span(src, l.span, "label");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn print_then_parse_is_identity(e in ast()) {
        let text = print(&e);
        let back = parse(&text).map_err(|d| TestCaseError::fail(format!("{text:?}: {d:?}")))?;
        prop_assert!(e.same_shape(&back), "{:?} printed as {:?} came back as {:?}", e, text, back);
        prop_assert_eq!(print(&back), text);
    }

    /// A raw line feed in a value prints as `\n`, which reads back as that character only when
    /// control escapes are decoded; everything else round-trips in that mode too.
    #[test]
    fn print_then_parse_is_identity_when_decoding(e in ast_with(DECODED_TEXT)) {
        let decode = ParseLimits { decode_control_escapes: true, ..ParseLimits::default() };
        let text = print(&e);
        let back = parse_with(&text, &decode)
            .map_err(|d| TestCaseError::fail(format!("{text:?}: {d:?}")))?;
        prop_assert!(e.same_shape(&back), "{:?} printed as {:?} came back as {:?}", e, text, back);
    }

    #[test]
    fn arbitrary_text_never_panics_and_spans_are_in_bounds(src in "\\PC{0,64}") {
        check_all_spans(&src);
    }

    #[test]
    fn formulaish_text_never_panics_and_spans_are_in_bounds(src in formulaish()) {
        check_all_spans(&src);
    }

    #[test]
    fn printed_asts_have_exact_spans(e in ast()) {
        check_all_spans(&print(&e));
    }
}
