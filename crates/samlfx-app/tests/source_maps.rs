//! A formula read from a file maps every one of its bytes back to the file bytes that decode to
//! it, through `&amp;`, `&apos;`, `&#39;`, `&quot;`, CDATA and TOML escapes; and a formula's
//! diagnostics, moved into the file, point at the intended bytes.

use proptest::prelude::*;
use samlfx_app::{Content, Loaded, Text, read_bytes};
use samlfx_formula::program::{CompileOptions, Program};

/// What the file bytes at `span` decode to, as XML character data.
fn xml_decode(raw: &str) -> String {
    if let Some(inner) = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        return inner.to_owned();
    }
    match raw {
        "&amp;" => "&".into(),
        "&apos;" => "'".into(),
        "&quot;" => "\"".into(),
        "&lt;" => "<".into(),
        "&gt;" => ">".into(),
        "&#39;" | "&#x27;" => "'".into(),
        _ => raw.to_owned(),
    }
}

/// Every character of `t` maps to file bytes that decode to exactly that character (or, inside
/// CDATA, to the character itself), and the spans run forward without overlapping.
fn assert_maps_back(text: &str, t: &Text) {
    let mut last_end = 0;
    for (i, c) in t.value.char_indices() {
        let s = t.span_of(i..i + c.len_utf8());
        assert!(
            s.end <= text.len() && text.is_char_boundary(s.start) && text.is_char_boundary(s.end)
        );
        assert!(s.start >= last_end, "{c:?} at {s:?} overlaps");
        last_end = s.end;
        assert_eq!(
            xml_decode(&text[s.start..s.end]),
            c.to_string(),
            "{c:?} at {s:?}"
        );
    }
}

fn attributes(l: &Loaded) -> &[samlfx_app::Attribute] {
    match &l.content {
        Some(Content::App(a)) => &a.attributes,
        other => panic!("{other:?} {:?}", l.diagnostics),
    }
}

const FORMULAS: [&str; 5] = [
    "$User.Alias &amp; &apos;@&apos; &amp; $User.Id",
    "$User.Alias &amp; &#39;@&#39; &amp; $User.Id",
    "$User.Alias &amp; &quot;@&quot; &amp; $User.Id",
    "<![CDATA[$User.Alias & '@' & $User.Id]]>",
    "$User.Alias &amp; <![CDATA['@' &]]> $User.Id",
];

#[test]
fn xml_formulas_map_every_byte_back() {
    for f in FORMULAS {
        let text = format!(
            "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><attributes><formula>{f}</formula><key>k</key></attributes><samlConfig><acsUrl>a</acsUrl><entityUrl>e</entityUrl><samlSubjectType>UserId</samlSubjectType></samlConfig></ConnectedApp>"
        );
        let l = read_bytes("A.connectedApp-meta.xml", text.as_bytes());
        let formula = &attributes(&l)[0].formula;
        assert!(
            formula.value.starts_with("$User.Alias & "),
            "{}",
            formula.value
        );
        assert_maps_back(&text, formula);
        // A diagnostic about the formula lands on the file bytes of what it names.
        let compiled = Program::compile(
            &format!("{} & 1", formula.value),
            &CompileOptions::default(),
        );
        let d = compiled
            .diagnostics
            .first()
            .expect("Text & Number is an error");
        let located = formula.locate(d.clone());
        let s = located.span.unwrap();
        assert!(s.end <= text.len());
    }
}

#[test]
fn a_formula_diagnostic_points_at_the_file_bytes() {
    // `$User.Allias` after two entities and a CDATA section: its file span is its own text.
    let text = "<ConnectedApp><attributes><formula>&apos;a&apos; &amp; <![CDATA['&' &]]> $User.Allias</formula><key>k</key></attributes><samlConfig><acsUrl>a</acsUrl><entityUrl>e</entityUrl><samlSubjectType>UserId</samlSubjectType></samlConfig></ConnectedApp>";
    let l = read_bytes("A.connectedApp-meta.xml", text.as_bytes());
    let formula = &attributes(&l)[0].formula;
    let compiled = Program::compile(&formula.value, &CompileOptions::default());
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == samlfx_diag::Code::UnknownField)
        .expect("F102");
    let s = formula.locate(d.clone()).span.unwrap();
    assert_eq!(&text[s.start..s.end], "$User.Allias");
    // `Attribute::compile` does the same.
    let compiled = attributes(&l)[0].compile(&CompileOptions::default());
    let d = &compiled.diagnostics[0];
    assert_eq!(d.code, samlfx_diag::Code::UnknownField);
    let s = d.span.unwrap();
    assert_eq!(&text[s.start..s.end], "$User.Allias");

    // The same through TOML escapes.
    let text = "[app]\nentity_id = \"e\"\nacs_url = \"a\"\n[[attributes]]\nkey = \"k\"\nformula = \"\\\"a\\\" & \\u0027b' & $User.Allias\"\n";
    let l = read_bytes("samlfx.toml", text.as_bytes());
    let formula = &attributes(&l)[0].formula;
    assert_eq!(formula.value, "\"a\" & 'b' & $User.Allias");
    let compiled = Program::compile(&formula.value, &CompileOptions::default());
    let d = compiled
        .diagnostics
        .iter()
        .find(|d| d.code == samlfx_diag::Code::UnknownField)
        .unwrap();
    let s = formula.locate(d.clone()).span.unwrap();
    assert_eq!(&text[s.start..s.end], "$User.Allias");
}

/// One piece of a formula's XML: a character as written, escaped, or in CDATA.
#[derive(Clone, Debug)]
enum Piece {
    Plain(char),
    Entity(char),
    CharRef(char),
    Cdata(String),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => any::<char>()
            .prop_filter("plain XML text", |c| !matches!(c, '<' | '&' | '\r' | '>' ) && (*c >= ' ' || *c == '\n' || *c == '\t') && !('\u{FFFE}'..='\u{FFFF}').contains(c))
            .prop_map(Piece::Plain),
        2 => prop_oneof![Just('&'), Just('\''), Just('"'), Just('<'), Just('>')].prop_map(Piece::Entity),
        1 => any::<char>().prop_filter("an XML Char", |c| *c >= ' ' && !('\u{FFFE}'..='\u{FFFF}').contains(c)).prop_map(Piece::CharRef),
        1 => "[a-z'&< ]{0,6}".prop_map(Piece::Cdata),
    ]
}

proptest! {
    #[test]
    fn any_xml_formula_maps_back(pieces in proptest::collection::vec(piece(), 0..30)) {
        let mut raw = String::new();
        let mut expected = String::new();
        for p in &pieces {
            match p {
                Piece::Plain(c) => { raw.push(*c); expected.push(*c); }
                Piece::Entity(c) => {
                    raw.push_str(match c { '&' => "&amp;", '\'' => "&apos;", '"' => "&quot;", '<' => "&lt;", _ => "&gt;" });
                    expected.push(*c);
                }
                Piece::CharRef(c) => { raw.push_str(&format!("&#{};", *c as u32)); expected.push(*c); }
                Piece::Cdata(s) => { raw.push_str(&format!("<![CDATA[{s}]]>")); expected.push_str(s); }
            }
        }
        let text = format!("<ConnectedApp><attributes><formula>{raw}</formula><key>k</key></attributes><samlConfig><acsUrl>a</acsUrl><entityUrl>e</entityUrl><samlSubjectType>UserId</samlSubjectType></samlConfig></ConnectedApp>");
        let l = read_bytes("A.connectedApp-meta.xml", text.as_bytes());
        prop_assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let formula = &attributes(&l)[0].formula;
        prop_assert_eq!(&formula.value, &expected);
        let mut last_end = 0;
        for (i, c) in formula.value.char_indices() {
            let s = formula.span_of(i..i + c.len_utf8());
            prop_assert!(s.start >= last_end);
            last_end = s.end;
            let src = &text[s.start..s.end];
            let decoded = if let Some(n) = src.strip_prefix("&#").and_then(|r| r.strip_suffix(';')) {
                char::from_u32(n.parse().unwrap()).unwrap().to_string()
            } else {
                xml_decode(src)
            };
            prop_assert_eq!(decoded, c.to_string());
        }
    }
}
