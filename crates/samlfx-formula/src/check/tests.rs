//! Checker tests. Each goes through the real parser, so spans are the ones users see.

use super::*;
use crate::catalog::Func;
use crate::syntax::{BinaryOp, UnaryOp};
use samlfx_diag::Severity;

fn ast(src: &str) -> Expr {
    crate::syntax::parse(src).unwrap_or_else(|d| panic!("{src} does not parse: {d:?}"))
}

fn run(src: &str, expected: Option<Type>, schema: Option<&Schema>) -> Checked {
    check(
        &ast(src),
        &CheckOptions {
            expected,
            schema,
            src: Some(src),
            ..Default::default()
        },
    )
}

/// The errors and warnings as (code, message, spanned text).
fn diags(src: &str) -> Vec<(Code, String, String)> {
    diags_with(src, None)
}

fn diags_with(src: &str, expected: Option<Type>) -> Vec<(Code, String, String)> {
    run(src, expected, None)
        .diagnostics
        .into_iter()
        .map(|d| {
            let s = d.span.expect("every checker diagnostic has a span");
            assert!(d.help.is_some(), "{} has no help", d.message);
            (d.code, d.message, src[s.start..s.end].to_string())
        })
        .collect()
}

fn one(src: &str) -> (Code, String, String) {
    let mut d = diags(src);
    assert_eq!(d.len(), 1, "{src}: {d:?}");
    d.remove(0)
}

fn ty(src: &str) -> Type {
    let c = run(src, None, None);
    assert!(c.diagnostics.is_empty(), "{src}: {:?}", c.diagnostics);
    c.typed.expect("typed").ty
}

fn help(src: &str) -> String {
    run(src, Some(Type::Text), None).diagnostics[0]
        .help
        .clone()
        .unwrap()
}

#[test]
fn the_saml_example_checks_to_text() {
    let c = run(
        "$User.Alias & '@' & $User.Id & '@' & $Organization.Id",
        Some(Type::Text),
        None,
    );
    assert!(c.diagnostics.is_empty());
    let t = c.typed.unwrap();
    assert_eq!(t.ty, Type::Text);
    assert!(matches!(
        t.kind,
        TypedKind::Binary {
            op: BinaryOp::Concat,
            ..
        }
    ));
}

#[test]
fn literals_convert() {
    let t = run("''", None, None).typed.unwrap();
    assert_eq!(
        (t.kind.clone(), t.ty),
        (TypedKind::Literal(Value::Null), Type::Text)
    );
    let t = run("NULL", None, None).typed.unwrap();
    assert_eq!(t.ty, Type::Null);
    let t = run("1.50", None, None).typed.unwrap();
    assert_eq!(
        t.kind,
        TypedKind::Literal(Value::Number(BigDecimal::from_str("1.50").unwrap()))
    );
}

#[test]
fn concat_blames_exactly_the_number() {
    let d = one("$User.Alias & 1");
    assert_eq!(d.0, Code::WrongArgumentType);
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '&'. Expected Text, received Number"
    );
    assert_eq!(d.2, "1");
    assert_eq!(
        help("$User.Alias & 1"),
        "wrap the number in TEXT(): `TEXT(1)`"
    );
}

#[test]
fn plus_concatenates_text_but_not_text_and_number() {
    assert_eq!(ty("$User.FirstName + ' ' + $User.LastName"), Type::Text);
    let d = one("$User.Alias + 1");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '+'. Expected Text, received Number"
    );
    assert_eq!(d.2, "1");
    assert_eq!(
        run("1 + $User.Alias", None, None).diagnostics[0]
            .help
            .as_deref(),
        Some(
            "to join text, write `TEXT(1) & $User.Alias`; to add, convert the text: `1 + VALUE($User.Alias)`"
        )
    );
    assert!(help("TEXT($User.IsActive)").contains("IF($User.IsActive, 'true', 'false')"));
    let d = one("1 + $User.Alias");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '+'. Expected Number, Date, DateTime, Time, received Text"
    );
}

#[test]
fn date_arithmetic() {
    assert_eq!(ty("TODAY() + 1"), Type::Date);
    assert_eq!(ty("1 + NOW()"), Type::DateTime);
    assert_eq!(ty("TODAY() - TODAY()"), Type::Number);
    assert_eq!(ty("NOW() - 0.5"), Type::DateTime);
    assert_eq!(ty("TIMENOW() - TIMENOW()"), Type::Number);
    assert_eq!(ty("TIMENOW() + 1000"), Type::Time);
    let d = one("TODAY() - NOW()");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '-'. Expected Number, Date, received DateTime"
    );
    let d = one("'a' - 'b'");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '-'. Expected Number, Date, DateTime, Time, received Text"
    );
    assert_eq!(d.2, "'a'");
}

#[test]
fn comparisons() {
    assert_eq!(ty("$User.Alias = 'x'"), Type::Boolean);
    assert_eq!(ty("$User.Alias < 'x'"), Type::Boolean);
    assert_eq!(ty("TODAY() >= TODAY()"), Type::Boolean);
    let d = one("TODAY() = 1");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '='. Expected Date, received Number"
    );
    let d = one("$User.IsActive > $User.IsActive");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '>'. Expected Number, Date, DateTime, Time, Text, received Boolean"
    );
    assert_eq!(d.2, "$User.IsActive");
}

#[test]
fn boolean_operators() {
    assert_eq!(
        ty("$User.IsActive && NOT $User.IsActive || !$User.IsActive"),
        Type::Boolean
    );
    let d = one("!$User.Alias");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '!'. Expected Boolean, received Text"
    );
    let d = one("NOT $User.Alias");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'NOT()'. Expected Boolean, received Text"
    );
    let d = one("-$User.Alias");
    assert_eq!(
        d.1,
        "Incorrect parameter type for operator '-'. Expected Number, received Text"
    );
    assert_eq!(d.2, "$User.Alias");
}

#[test]
fn null_fits_everywhere() {
    assert_eq!(ty("IF($User.IsActive, NULL, 'x')"), Type::Text);
    assert_eq!(ty("IF($User.IsActive, 1, NULL)"), Type::Number);
    assert_eq!(ty("LEFT(NULL, NULL)"), Type::Text);
    assert_eq!(ty("NULL & 'a'"), Type::Text);
    assert_eq!(ty("TODAY() = NULL"), Type::Boolean);
    assert_eq!(ty("IF(TRUE, NULL, NULL)"), Type::Null);
    assert!(diags_with("NULL", Some(Type::Text)).is_empty());
}

#[test]
fn function_argument_types() {
    let d = one("LEFT($User.Alias, 'x')");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'LEFT()'. Expected Number, received Text"
    );
    assert_eq!(d.2, "'x'");
    let d = one("left(1, 2)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'LEFT()'. Expected Text, received Number"
    );
    let d = one("TEXT($User.Alias)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'TEXT()'. Expected Number, Date, DateTime, Time, Picklist, received Text"
    );
    assert!(help("TEXT($User.Alias)").contains("already Text"));
    let d = one("UPPER($User.IsActive)");
    assert_eq!(
        help("UPPER($User.IsActive)"),
        "turn the Boolean into text: `IF($User.IsActive, 'true', 'false')`"
    );
    assert_eq!(d.2, "$User.IsActive");
}

#[test]
fn every_bad_argument_is_reported() {
    let d = diags("MID(1, 'a', 'b')");
    assert_eq!(d.len(), 3, "{d:?}");
    assert_eq!(
        d.iter().map(|x| x.2.as_str()).collect::<Vec<_>>(),
        ["1", "'a'", "'b'"]
    );
    let d = diags("$User.Foo & $User.Bar & LOWERCASE($User.Alias)");
    assert_eq!(d.len(), 3, "{d:?}");
    assert_eq!(d[0].1, "Field $User.Foo does not exist. Check spelling.");
    assert_eq!(d[1].1, "Field $User.Bar does not exist. Check spelling.");
    assert_eq!(d[2].1, "Unknown function LOWERCASE. Check spelling.");
    assert_eq!(d[2].2, "LOWERCASE");
}

#[test]
fn errors_do_not_cascade() {
    // The unknown field is the only error: its error type fits `&` and LEFT.
    let d = diags("LEFT($User.Nope, 2) & 'x'");
    assert_eq!(d.len(), 1, "{d:?}");
    // A call with a bad argument keeps its fixed result type.
    let d = diags("LEN(1) & 'x'");
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!((d[0].2.as_str(), d[1].2.as_str()), ("LEN(1)", "1"));
}

#[test]
fn if_typing_and_arity() {
    let d = one("IF($User.IsActive, \"a\", 1)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'IF()'. Expected Text, received Number"
    );
    assert_eq!(d.2, "1");
    let d = one("IF(true, \"a\")");
    assert_eq!(d.0, Code::WrongArgumentCount);
    assert_eq!(
        d.1,
        "Incorrect number of parameters for function 'IF()'. Expected 3, received 2"
    );
    assert_eq!(d.2, "IF(true, \"a\")");
    let h = run("IF(true, 'a')", None, None).diagnostics[0]
        .help
        .clone()
        .unwrap();
    assert!(
        h.contains("IF(condition, value_if_true, value_if_false)"),
        "{h}"
    );
    let d = one("IF($User.Alias, 1, 2)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'IF()'. Expected Boolean, received Text"
    );
}

#[test]
fn case_typing_and_arity() {
    assert_eq!(ty("CASE($User.Alias, 'a', 1, 'b', 2, 0)"), Type::Number);
    assert_eq!(
        ty("CASE(TEXT($User.UserType), 'Standard', 'S', NULL)"),
        Type::Text
    );
    assert_eq!(ty("CASE($User.UserType, 'Standard', 'S', 'X')"), Type::Text);
    let d = one("CASE($User.Alias, 1, 'a')");
    assert_eq!(
        d.1,
        "Incorrect number of parameters for function 'CASE()'. Expected 4, received 3"
    );
    let d = one("CASE($User.Alias, 'a', 1, 'b', 2)");
    assert_eq!(
        d.1,
        "Incorrect number of parameters for function 'CASE()'. Expected 4, received 5"
    );
    let d = one("CASE($User.Alias, 'a', 1, 'b', 2, 3, 4)");
    assert_eq!(
        d.1,
        "Incorrect number of parameters for function 'CASE()'. Expected 6, received 7"
    );
    let d = one("CASE($User.IsActive, true, 'a', 'b')");
    assert_eq!(d.0, Code::IllegalArgumentType);
    assert_eq!(d.1, "Incorrect argument type for function 'CASE()'. ");
    assert_eq!(d.2, "$User.IsActive");
    let d = diags("CASE($User.Alias, 'a', true, false)");
    assert_eq!(d.len(), 2, "each Boolean result is reported");
    assert!(d.iter().all(|x| x.0 == Code::IllegalArgumentType));
    let d = one("CASE($User.Alias, 1, 'a', 'b')");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'CASE()'. Expected Text, received Number"
    );
    assert_eq!(d.2, "1");
    let d = one("CASE($User.Alias, 'x', 'a', 2)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'CASE()'. Expected Text, received Number"
    );
    assert_eq!(d.2, "2");
}

#[test]
fn blank_and_null_functions() {
    assert_eq!(
        ty("BLANKVALUE($User.FederationIdentifier, $User.Username)"),
        Type::Text
    );
    assert_eq!(ty("ISBLANK($User.LanguageLocaleKey)"), Type::Boolean);
    let d = one("ISBLANK($User.IsActive)");
    assert_eq!(d.1, "Incorrect argument type for function 'ISBLANK()'. ");
    let d = one("BLANKVALUE($User.Alias, 1)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'BLANKVALUE()'. Expected Text, received Number"
    );
    assert_eq!(ty("IFERROR(1/0, 0)"), Type::Number);
    assert_eq!(ty("IN($User.Alias, 'a', 'b', NULL)"), Type::Boolean);
    assert_eq!(one("IN($User.Alias, 'a', 2)").2, "2");
    assert_eq!(ty("IFS($User.IsActive, 'a', false, 'b', 'c')"), Type::Text);
    let d = one("IFS($User.IsActive, 'a', 1, 'b', 'c')");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'IFS()'. Expected Boolean, received Number"
    );
}

#[test]
fn optional_and_variadic_parameters() {
    assert_eq!(
        ty("UPPER('a', 'tr') & LPAD('a', 3) & RPAD('a', 3, '-') & SUBSTR('abc', 2)"),
        Type::Text
    );
    assert_eq!(
        ty("MAX(1, 2, 3) + MIN(1) + FIND('a', 'b') + FIND('a', 'b', 2) + TRUNC(1.5)"),
        Type::Number
    );
    assert_eq!(ty("ADDMONTHS(TODAY(), 1)"), Type::Date);
    assert_eq!(ty("ADDMONTHS(NOW(), 1)"), Type::DateTime);
    assert_eq!(
        ty("FORMATDURATION(10) & FORMATDURATION(10, true) & FORMATDURATION(NOW(), NOW())"),
        Type::Text
    );
    let d = one("FORMATDURATION(NOW(), TIMENOW())");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'FORMATDURATION()'. Expected DateTime, received Time"
    );
    let d = one("FORMATDURATION(NOW(), 1)");
    assert_eq!(
        d.1,
        "Incorrect parameter type for function 'FORMATDURATION()'. Expected Boolean, Time, DateTime, received Number"
    );
    let d = one("FORMATDURATION(NOW())");
    assert_eq!(
        d.1,
        "Incorrect number of parameters for function 'FORMATDURATION()'. Expected 2, received 1"
    );
    assert_eq!(d.2, "FORMATDURATION(NOW())");
    assert_eq!(
        one("ROUND(1)").1,
        "Incorrect number of parameters for function 'ROUND()'. Expected 2, received 1"
    );
    assert_eq!(
        one("MAX()").1,
        "Incorrect number of parameters for function 'MAX()'. Expected 1, received 0"
    );
    assert_eq!(
        one("BR(1)").1,
        "Incorrect number of parameters for function 'BR()'. Expected 0, received 1"
    );
    assert_eq!(
        ty("DATEVALUE('2020-01-01') - DATEVALUE(NOW())"),
        Type::Number
    );
}

#[test]
fn the_typed_call_resolves_the_function() {
    let t = run("casesafeid($User.Id)", None, None).typed.unwrap();
    let TypedKind::Call { func, args } = t.into_kind() else {
        panic!("a call")
    };
    assert_eq!(func, Func::CaseSafeId);
    assert!(matches!(args[0].kind, TypedKind::Field(FieldKey::Merge(_))));
}

#[test]
fn unknown_names_get_suggestions() {
    let c = run("$User.Allias", None, None);
    let d = &c.diagnostics[0];
    assert_eq!(
        d.message,
        "Field $User.Allias does not exist. Check spelling."
    );
    assert_eq!(d.span, Some(Span::new(0, 12)));
    assert_eq!(d.help.as_deref(), Some("did you mean `$User.Alias`?"));
    let c = run("LOWERCASE($User.Alias)", None, None);
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some("did you mean `LOWER`?")
    );
    assert_eq!(c.diagnostics[0].span, Some(Span::new(0, 9)));
    let c = run("Alias", None, None);
    assert!(
        c.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`$User.Alias`")
    );
    assert!(c.typed.is_none());
}

#[test]
fn merge_fields_and_permissions() {
    assert_eq!(ty("$user.alias"), Type::Text);
    assert_eq!(ty("$Permission.Voice_Agent"), Type::Boolean);
    let t = run("$Permission.Voice_Agent", None, None).typed.unwrap();
    assert_eq!(
        t.kind,
        TypedKind::Field(FieldKey::Permission("voice_agent".into()))
    );
    assert_eq!(ty("$User.LastLoginDate"), Type::DateTime);
}

#[test]
fn picklists_only_in_their_functions() {
    let d = one("$User.LanguageLocaleKey & '-x'");
    assert_eq!(d.0, Code::PicklistField);
    assert_eq!(
        d.1,
        "Field $User.LanguageLocaleKey is a picklist field. Picklist fields are only supported in certain functions."
    );
    assert_eq!(d.2, "$User.LanguageLocaleKey");
    assert_eq!(ty("TEXT($User.LanguageLocaleKey) & '-x'"), Type::Text);
    assert_eq!(ty("ISPICKVAL($User.UserType, 'Standard')"), Type::Boolean);
    assert_eq!(
        one("ISPICKVAL($User.Alias, 'x')").1,
        "Incorrect parameter type for function 'ISPICKVAL()'. Expected Picklist, received Text"
    );
    assert_eq!(one("LOWER($Organization.UiSkin)").0, Code::PicklistField);
}

#[test]
fn result_type_must_match_the_expected_one() {
    let d = diags_with("LEN($User.Alias)", Some(Type::Text));
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].1,
        "Formula result is data type (Number), incompatible with expected data type (Text)."
    );
    assert_eq!(d[0].2, "LEN($User.Alias)");
    assert_eq!(
        help("LEN($User.Alias)"),
        "wrap the number in TEXT(): `TEXT(LEN($User.Alias))`"
    );
    assert_eq!(
        help("$User.IsActive"),
        "turn the Boolean into text: `IF($User.IsActive, 'true', 'false')`"
    );
    assert!(diags_with("$User.Alias", Some(Type::Text)).is_empty());
}

#[test]
fn placeholders_in_literals_warn_at_the_placeholder() {
    let src = "'arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole' & $User.Alias";
    let c = run(src, Some(Type::Text), None);
    assert!(c.typed.is_some(), "a warning does not fail the check");
    let d = &c.diagnostics[0];
    assert_eq!(d.code, Code::PlaceholderInLiteral);
    assert_eq!(d.severity, Severity::Warning);
    let s = d.span.unwrap();
    assert_eq!(&src[s.start..s.end], "<ContactCenterName>");
    assert!(
        d.help
            .as_deref()
            .unwrap()
            .starts_with("replace `<ContactCenterName>` with the real value")
    );
    // An escape before the placeholder shifts its bytes: the literal's map still finds them.
    let src = "'it\\'s {SalesforceVoiceIdp ARN}'";
    let c = run(src, None, None);
    let s = c.diagnostics[0].span.unwrap();
    assert_eq!(s, Span::new(7, 31));
    assert_eq!(&src[s.start..s.end], "{SalesforceVoiceIdp ARN}");
    assert_eq!(
        diags("'arn:aws:iam::YOUR_ACCOUNT_ID:saml-provider/x'")[0].2,
        "YOUR_ACCOUNT_ID"
    );
    assert!(diags("'<br>' & 'plain'").is_empty());
}

#[test]
fn placeholder_hints_follow_the_placeholder() {
    let c = run("'<SalesforceVoiceIdp ARN>'", None, None);
    let help = c.diagnostics[0].help.as_deref().unwrap();
    assert!(help.contains("the ARN from the IAM console"), "{help}");
}

#[test]
fn literal_regex_patterns_are_checked() {
    let src = "REGEX('abc', '(')";
    let c = run(src, None, None);
    assert_eq!(c.diagnostics.len(), 1, "{:?}", c.diagnostics);
    let d = &c.diagnostics[0];
    assert_eq!((d.code, d.severity), (Code::InvalidRegex, Severity::Error));
    let s = d.span.unwrap();
    assert_eq!(&src[s.start..s.end], "'('");
    assert!(d.message.contains("unclosed group"), "{}", d.message);
    assert!(d.help.is_some());
    // Valid and computed patterns are not reported here (Java-only ones are F305, below).
    for ok in ["REGEX('abc', '[a-c]+')", "REGEX('abc', $User.Alias)"] {
        assert!(run(ok, None, None).diagnostics.is_empty(), "{ok}");
    }
    assert_eq!(diags("REGEX('xxb', 'a)|(b')")[0].0, Code::InvalidRegex);
}

#[test]
fn java_only_regex_features_are_warned_at_their_bytes() {
    // (formula, the bytes the warning points at, a word of the message). The spans go through
    // the literal's escapes (`\\` is one backslash, `\'` a quote) and through `\Q…\E` and octal
    // escapes, which the translation rewrites.
    let cases = [
        (r"REGEX('abc', '(?=a)abc')", "(?=", "lookaround"),
        (r"REGEX('abc', 'a(?<!x)bc')", "(?<!", "lookaround"),
        (r"REGEX('aa', '(a)\\1')", r"\\1", "backreference"),
        (r"REGEX('aa', 'a*+')", "*+", "possessive"),
        (r"REGEX('aa', 'a{1,2}+')", "{1,2}+", "possessive"),
        (r"REGEX('aa', '(?:a)++')", "++", "possessive"),
        (r"REGEX('abc', 'a\\Qx\\E(?>b)c')", "(?>", "atomic"),
        (r"REGEX('abc', '\\0141(?>b)c')", "(?>", "atomic"),
        (r"REGEX('its', 'it\'s\\G')", r"\\G", r"\G"),
        (r"REGEX('a', 'a\\Z')", r"\\Z", r"\Z"),
        (r"REGEX('a', '\\R')", r"\\R", r"\R"),
        (r"REGEX('a', '(?d)a')", "d", "UNIX_LINES"),
        (r"REGEX('a', '(?U)a')", "U", "UNICODE_CHARACTER_CLASS"),
        // The `regex` crate reports an unknown property after rewriting: the whole pattern text.
        (r"REGEX('a', '\\p{InGreek}')", r"\\p{InGreek}", "block"),
    ];
    for (src, at, word) in cases {
        let c = run(src, None, None);
        assert_eq!(c.diagnostics.len(), 1, "{src}: {:?}", c.diagnostics);
        let d = &c.diagnostics[0];
        assert_eq!(
            (d.code, d.severity),
            (Code::UnsupportedBySamlfx, Severity::Warning),
            "{src}"
        );
        let s = d.span.unwrap();
        assert_eq!(&src[s.start..s.end], at, "{src}");
        assert!(d.message.contains(word), "{src}: {}", d.message);
        assert!(d.help.as_deref().unwrap().contains("limit of samlfx"));
    }
}

#[test]
fn regex_bounds_and_syntax_are_not_errors_or_placeholders() {
    // Valid Java patterns past samlfx's size bound are not "invalid" (left to run time).
    for ok in [
        r"REGEX('a', '.{0,1000}')",
        r"REGEX('a', '[^,]{1,2000}')",
        r"REGEX('a', '\\p{L}{1,255}')",
        r"REGEX('a', '(?:\\p{L}{1,1000}){1,1000}')",
        r"REGEX('a', '\\0141')",
    ] {
        assert!(run(ok, None, None).diagnostics.is_empty(), "{ok}");
    }
    // Regex syntax in a pattern is not a setup guide's placeholder (F202).
    for src in [
        r"REGEX($User.Alias, '\\p{Upper}')",
        r"REGEX($User.Alias, '\\N{LATIN SMALL LETTER A}')",
        r"REGEX($User.Alias, '(?<name>a)\\k<name>')",
    ] {
        let found = diags(src);
        assert!(
            found.iter().all(|d| d.0 != Code::PlaceholderInLiteral),
            "{src}: {found:?}"
        );
    }
    // Java's own rejections still are F203.
    for bad in [r"REGEX('a', 'a\\c')", r"REGEX('a', '(?<a_b>a)')"] {
        assert_eq!(diags(bad)[0].0, Code::InvalidRegex, "{bad}");
    }
}

#[test]
fn invisible_characters_in_literals_warn_at_the_character() {
    let src = "'arn:aws:iam::123\u{200B}456789012:role/X\u{A0}'";
    let c = run(src, None, None);
    assert!(c.typed.is_some(), "a warning does not fail the check");
    let found: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| {
            let s = d.span.unwrap();
            (d.code, d.severity, &src[s.start..s.end])
        })
        .collect();
    assert_eq!(
        found,
        [
            (Code::InvisibleCharacter, Severity::Warning, "\u{200B}"),
            (Code::InvisibleCharacter, Severity::Warning, "\u{A0}"),
        ]
    );
    assert!(c.diagnostics[0].message.contains("U+200B"));
    assert!(
        c.diagnostics[1]
            .help
            .as_deref()
            .unwrap()
            .contains("ordinary space")
    );
    // An escape before the character shifts its bytes: the literal's map still finds them.
    let src = "'it\\'s\u{2009}'";
    let s = run(src, None, None).diagnostics[0].span.unwrap();
    assert_eq!(s, Span::new(6, 9));
    assert_eq!(&src[s.start..s.end], "\u{2009}");
    assert!(diags("'café 😀 naïve'").is_empty());
}

/// Regressions for spans inside literals that hold escapes: every lint about part of a literal
/// points at the source bytes of that part, whatever escapes come before it.
#[test]
fn lints_inside_literals_point_past_escapes() {
    let spans = |src: &str| -> Vec<(Code, Span, String)> {
        run(src, None, None)
            .diagnostics
            .into_iter()
            .map(|d| {
                let s = d.span.unwrap();
                (d.code, s, src[s.start..s.end].to_string())
            })
            .collect()
    };
    // `\\` and `\'` before the placeholder, in both quote styles.
    let src = r"'C:\\dir\\it\'s <ContactCenterName>-SAMLRole'";
    assert_eq!(
        spans(src),
        [(
            Code::PlaceholderInLiteral,
            Span::new(16, 35),
            "<ContactCenterName>".into()
        )]
    );
    let src = r#""say \"hi\" YOUR_ACCOUNT_ID""#;
    assert_eq!(
        spans(src),
        [(
            Code::PlaceholderInLiteral,
            Span::new(12, 27),
            "YOUR_ACCOUNT_ID".into()
        )]
    );
    // Two findings in one literal, each after its own escapes, and one in a second literal.
    let src = "$User.Alias & 'a\\\\b\u{200B}c\\'d\u{A0}' & 'x\\'{account-id}'";
    assert_eq!(
        spans(src),
        [
            (
                Code::InvisibleCharacter,
                Span::new(19, 22),
                "\u{200B}".into()
            ),
            (Code::InvisibleCharacter, Span::new(26, 28), "\u{A0}".into()),
            (
                Code::PlaceholderInLiteral,
                Span::new(36, 48),
                "{account-id}".into()
            ),
        ]
    );
    // `\n` kept as two characters is two source bytes; decoded to a line feed it is still two.
    let src = r"'a\nb <RoleName>'";
    assert_eq!(spans(src)[0].2, "<RoleName>");
    let decode = crate::syntax::ParseLimits {
        decode_control_escapes: true,
        ..Default::default()
    };
    let e = crate::syntax::parse_with(src, &decode).unwrap();
    let c = check(&e, &CheckOptions::default());
    let s = c.diagnostics[0].span.unwrap();
    assert_eq!(&src[s.start..s.end], "<RoleName>");
    // A placeholder that contains an escape is covered with the escape whole.
    let src = r"'<Contact\\Center>'";
    let found = spans(src);
    assert!(
        found.is_empty(),
        "a backslash is not a placeholder name: {found:?}"
    );
}

fn schema(fields: &[(&str, Type, Option<&str>)]) -> Schema {
    Schema {
        record: fields
            .iter()
            .map(|(n, t, f)| {
                (
                    n.to_ascii_lowercase(),
                    RecordField {
                        formula: f.map(str::to_string),
                        ..RecordField::new(*n, *t)
                    },
                )
            })
            .collect(),
    }
}

#[test]
fn record_fields_come_from_the_schema() {
    let s = schema(&[
        ("customText1__c", Type::Text, None),
        ("customnumber1__c", Type::Number, None),
    ]);
    let c = run("customtext1__c & TEXT(CustomNumber1__c)", None, Some(&s));
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let TypedKind::Binary { lhs, .. } = c.typed.unwrap().into_kind() else {
        panic!()
    };
    assert_eq!(
        lhs.kind,
        TypedKind::Field(FieldKey::Record("customtext1__c".into()))
    );
    let c = run("customtext2__c", None, Some(&s));
    assert_eq!(c.diagnostics[0].code, Code::UnknownField);
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some("did you mean `customText1__c`?")
    );
}

#[test]
fn self_referencing_formula_fields_are_refused() {
    let s = schema(&[("f__c", Type::Number, Some("f__c + 1"))]);
    let c = run("f__c", None, Some(&s));
    assert!(c.typed.is_none());
    assert!(
        c.diagnostics[0]
            .message
            .starts_with("Error in referenced formula f__c")
    );
}

#[test]
fn deep_trees_stop_with_a_diagnostic() {
    let mut e = Expr {
        kind: ExprKind::Number("1".into()),
        span: Span::new(0, 1),
    };
    for _ in 0..10_001 {
        e = Expr {
            span: e.span,
            kind: ExprKind::Unary {
                op: UnaryOp::Minus,
                op_span: Span::new(0, 0),
                operand: Box::new(e),
            },
        };
    }
    let c = check(&e, &CheckOptions::default());
    assert!(c.typed.is_none());
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].code, Code::NestingTooDeep);
    // A depth the parser allows checks fine.
    let mut e = Expr {
        kind: ExprKind::Number("1".into()),
        span: Span::new(0, 1),
    };
    for _ in 0..3_899 {
        e = Expr {
            span: e.span,
            kind: ExprKind::Call {
                name: "ABS".into(),
                name_span: Span::new(0, 3),
                args: vec![e],
            },
        };
    }
    assert_eq!(
        check(&e, &CheckOptions::default()).typed.unwrap().ty,
        Type::Number
    );
}

#[test]
fn help_lines_quote_the_ast_without_the_source() {
    let src = "$User.Alias & LEN($User.Alias)";
    let c = check(&ast(src), &CheckOptions::default());
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some("wrap the number in TEXT(): `TEXT(LEN($User.Alias))`")
    );
}

#[test]
fn picklist_values_must_be_text_literals() {
    let (code, message, spanned) = one("ISPICKVAL($User.LanguageLocaleKey, $User.Alias)");
    assert_eq!(code, Code::WrongArgumentType);
    assert_eq!(
        message,
        "Incorrect parameter type for function 'ISPICKVAL()'. Expected Text Literal, received Text"
    );
    assert_eq!(spanned, "$User.Alias");
    let (code, message, spanned) = one("CASE($User.LanguageLocaleKey, $User.Alias, 'a', 'b')");
    assert_eq!(code, Code::WrongArgumentType);
    assert!(message.contains("Expected Text Literal"), "{message}");
    assert_eq!(spanned, "$User.Alias");
    let d = run(
        "ISPICKVAL($User.LanguageLocaleKey, 'en' & 'US')",
        None,
        None,
    )
    .diagnostics;
    assert!(
        d[0].help
            .as_deref()
            .unwrap()
            .contains("`TEXT($User.LanguageLocaleKey) = 'en' & 'US'`"),
        "{d:?}"
    );
    // Literals pass, and a Text subject takes any Text value.
    assert_eq!(
        ty("ISPICKVAL($User.LanguageLocaleKey, 'en_US')"),
        Type::Boolean
    );
    assert_eq!(
        ty("CASE($User.LanguageLocaleKey, 'en_US', 'a', \"de\", 'b', 'c')"),
        Type::Text
    );
    assert_eq!(
        ty("CASE($User.Alias, $User.FirstName, 'a', 'b')"),
        Type::Text
    );
}

#[test]
fn origin_date_time_comes_from_the_catalog() {
    let t = run("$System.OriginDateTime", None, None).typed.unwrap();
    assert_eq!(t.ty, Type::DateTime);
    assert!(
        matches!(&t.kind, TypedKind::Literal(Value::DateTime(dt)) if dt.to_string() == "1900-01-01 00:00:00")
    );
    assert_eq!(one("$System.OriginDateTme").2, "$System.OriginDateTme");
    assert_eq!(
        run("$System.OriginDateTme", None, None).diagnostics[0]
            .help
            .as_deref(),
        Some("did you mean `$System.OriginDateTime`?")
    );
}
