//! Golden renderings of one diagnostic per registry code, in the human (ASCII, no colour) and JSON
//! formats, plus robustness of every renderer against arbitrary spans.

use proptest::prelude::*;
use samlfx::diag::codes::{CODES, CodeInfo};
use samlfx::diag::render::{self, Format, HumanOptions, Located, Source};
use samlfx::diag::{Diagnostic, Span};

/// A diagnostic for `info` placed on its example. The spans are synthetic: the primary span
/// covers the example's first word and a secondary label the rest, so every code renders with a
/// snippet, a label and a help line.
fn synthetic(info: &CodeInfo) -> (Source, Diagnostic) {
    let text = info.example;
    let source = Source::inline(text);
    let first_end = text.find(' ').unwrap_or(text.len());
    let mut d = Diagnostic::new(info.code, info.summary)
        .at_labelled(Span::new(0, first_end), info.name)
        .with_help(format!("see `samlfx explain {}`", info.id));
    if first_end < text.len() {
        d = d.with_label(
            Span::new(first_end + 1, text.len()),
            "the rest of the example",
        );
    }
    if !info.fixed.is_empty() {
        d = d.with_note(format!("fixed: {}", info.fixed));
    }
    (source, d)
}

#[test]
fn every_code_renders_in_human_and_json() {
    for info in CODES {
        let (source, d) = synthetic(info);
        let items = [Located {
            source: &source,
            diagnostic: &d,
        }];
        let human = render::human::render(&items, &HumanOptions::PLAIN);
        assert!(
            human.starts_with(&format!("{}[{}]: ", info.severity.as_str(), info.id)),
            "{human}"
        );
        assert!(!human.contains('\x1b'));
        insta::assert_snapshot!(format!("human_{}", info.id), human);
        let json = render::json::render(&items);
        insta::assert_snapshot!(format!("json_{}", info.id), json);
    }
}

#[test]
fn spanless_diagnostic_renders_header_help_and_note() {
    let source = Source::file("app.formula", "x");
    let d = Diagnostic::new(
        samlfx::diag::Code::FormulaTooLarge,
        "The formula is 2097152 bytes",
    )
    .with_help("split it")
    .with_note("the bound is 1 MiB");
    let items = Located::all(&source, std::slice::from_ref(&d));
    assert_eq!(
        render::human::render(&items, &HumanOptions::PLAIN),
        "error[F012]: The formula is 2097152 bytes\n  = help: split it\n  = note: the bound is 1 MiB\n\n"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json::render(&items)).unwrap();
    assert_eq!(json["diagnostics"][0]["span"], serde_json::Value::Null);
    assert_eq!(json["diagnostics"][0]["file"], "app.formula");
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn json_columns_count_characters_and_lines() {
    let source = Source::inline("'é'\n& 1");
    let d = Diagnostic::new(samlfx::diag::Code::WrongArgumentType, "m").at(Span::new(7, 8));
    let json: serde_json::Value =
        serde_json::from_str(&render::json::render(&Located::all(&source, &[d]))).unwrap();
    assert_eq!(
        json["diagnostics"][0]["span"],
        serde_json::json!({"start": 7, "end": 8, "line": 2, "column": 3})
    );
    assert_eq!(json["diagnostics"][0]["file"], serde_json::Value::Null);
    assert_eq!(json["version"], 1);
}

#[test]
fn sarif_lists_every_rule_and_places_results() {
    let source = Source::file("role.formula", "$User.Alias & 1");
    let d = Diagnostic::new(samlfx::diag::Code::WrongArgumentType, "bad").at(Span::new(14, 15));
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif::render(&Located::all(&source, &[d]))).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        CODES.len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "F104");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "role.formula");
    assert_eq!(loc["region"]["startColumn"], 15);
    assert_eq!(loc["region"]["endColumn"], 16);
}

#[test]
fn github_commands_carry_position_and_escaped_message() {
    let source = Source::file("a,b.formula", "$User.Alias & 1");
    let d = Diagnostic::new(samlfx::diag::Code::WrongArgumentType, "100% wrong")
        .at(Span::new(14, 15))
        .with_help("use TEXT()");
    let out = render::github::render(&Located::all(&source, &[d]));
    assert_eq!(
        out,
        "::error file=a%2Cb.formula,line=1,col=15,endLine=1,endColumn=16,title=F104::100%25 wrong%0Ahelp: use TEXT()\n"
    );
}

proptest! {
    /// No span, however wrong, makes a renderer panic.
    #[test]
    fn renderers_never_panic(text in "[a-z'é\\n &()€]{0,24}", a in 0usize..40, b in 0usize..40,
                             c in 0usize..40, d in 0usize..40) {
        let source = Source::inline(text);
        let diag = Diagnostic::new(samlfx::diag::Code::UnexpectedToken, "m")
            .at(Span::new(a, b))
            .with_label(Span::new(c, d), "l")
            .with_help("h");
        let items = Located::all(&source, std::slice::from_ref(&diag));
        for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
            let out = render::render(format, &items, &HumanOptions::PLAIN);
            prop_assert!(!out.is_empty());
        }
        let coloured = render::render(Format::Human, &items, &HumanOptions { color: true, ascii: false });
        prop_assert!(coloured.starts_with("\x1b"));
    }
}
