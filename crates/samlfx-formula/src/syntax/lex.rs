//! Token-level parsers: whitespace and comments, identifiers, numbers, text literals, and the
//! diagnostics for characters that cannot start a token. The rules follow Salesforce's formula
//! engine lexer (see `grammar/formula.ebnf`).

use nom::Parser;
use nom::bytes::complete::take_while;
use nom::character::complete::{digit1, satisfy};
use nom::combinator::recognize;
use nom::sequence::pair;
use nom::{Input, Offset};
use nom_locate::LocatedSpan;

use super::error::{PResult, fatal};
use samlfx_diag::{Code, Diagnostic, SourceMap, Span};

/// Parser input: the formula text with byte offsets; `extra` is the current nesting of groups
/// and calls, the parser's recursion depth.
pub(crate) type In<'a> = LocatedSpan<&'a str, u32>;

pub(crate) fn off(i: &In) -> usize {
    i.location_offset()
}

/// Splits `n` bytes off the front: `(rest, taken)`.
pub(crate) fn split<'a>(i: In<'a>, n: usize) -> (In<'a>, In<'a>) {
    i.take_split(n)
}

pub(crate) fn span_of(i: &In) -> Span {
    let s = off(i);
    Span::new(s, s + i.fragment().len())
}

/// Formula whitespace: space, tab, form feed, CR and LF (not NBSP, not vertical tab).
pub(crate) fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\x0C' | '\r' | '\n')
}

pub(crate) fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '$'
}

pub(crate) fn is_ident_continue(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '$' | '_' | ':' | '.' | '#')
}

/// Skips whitespace and `/* … */` comments. Comments do not nest, and inside one `\*/` does not
/// end it. An unclosed comment is F005.
pub(crate) fn ws(i: In) -> PResult<()> {
    let mut i = i;
    loop {
        let (r, _) = take_while(is_ws).parse(i)?;
        i = r;
        if !i.fragment().starts_with("/*") {
            return Ok((i, ()));
        }
        let b = i.fragment().as_bytes();
        let mut k = 2;
        loop {
            if k >= b.len() {
                let at = off(&i);
                return fatal(
                    Diagnostic::new(
                        Code::UnterminatedComment,
                        "Syntax error.  Missing '*/' at the end of a comment",
                    )
                    .at_labelled(Span::new(at, at + 2), "this comment is never closed")
                    .with_help("close the comment with '*/'; comments do not nest"),
                );
            }
            if b[k..].starts_with(b"\\*/") {
                k += 3;
            } else if b[k..].starts_with(b"*/") {
                k += 2;
                break;
            } else {
                k += 1;
            }
        }
        i = split(i, k).0;
    }
}

/// `[A-Za-z$][A-Za-z0-9$_:.#]*`, dots included: `$User.Alias` is one token.
pub(crate) fn ident(i: In) -> PResult<In> {
    recognize(pair(satisfy(is_ident_start), take_while(is_ident_continue))).parse(i)
}

/// `[0-9]+ ('.' [0-9]+)?`; the forms Salesforce rejects (`1e5`, `5.`, `1.2.3`) are F010.
pub(crate) fn number(i: In) -> PResult<In> {
    let start = i;
    let (r, _) = digit1(i)?;
    let r = match r.fragment().strip_prefix('.') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => digit1(split(r, 1).0)?.0,
        _ => r,
    };
    let lit = &start.fragment()[..start.offset(&r)];
    let after = r.fragment();
    let s = off(&start);
    if let Some(tail) = after.strip_prefix('.') {
        let extra = tail
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let bad = &start.fragment()[..lit.len() + 1 + extra];
        let help = if extra == 0 {
            format!("a number cannot end with '.'; write {lit} or {lit}.0")
        } else {
            "a number has at most one decimal point, e.g. 1.25".to_string()
        };
        return fatal(invalid_number(bad, Span::new(s, s + bad.len()), help));
    }
    if let Some(exp_len) = exponent_len(after) {
        let bad = &start.fragment()[..lit.len() + exp_len];
        let help = match expand_exponent(lit, &after[1..exp_len]) {
            Some(full) => format!("Salesforce numbers have no exponent; write {full}"),
            None => "Salesforce numbers have no exponent; write the number out in full".to_string(),
        };
        return fatal(invalid_number(bad, Span::new(s, s + bad.len()), help));
    }
    Ok(split(start, lit.len()))
}

pub(crate) fn invalid_number(text: &str, span: Span, help: String) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidNumber,
        format!("Syntax error.  '{text}' is not a valid number"),
    )
    .at_labelled(span, "not a number literal")
    .with_help(help)
}

/// Length of an exponent suffix `e5`, `E+3`, `e-2` when `s` starts with one.
fn exponent_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'e' | b'E')) {
        return None;
    }
    let sign = usize::from(matches!(b.get(1), Some(b'+' | b'-')));
    let digits = b[1 + sign..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    // `1e5x` is still an exponent form; the whole identifier-like run is the bad literal.
    let tail = s[1 + sign + digits..]
        .chars()
        .take_while(|c| is_ident_continue(*c))
        .count();
    Some(1 + sign + digits + tail)
}

/// `1.5` with exponent `3` → `1500`; `None` when it gets unwieldy or the exponent is odd.
fn expand_exponent(mantissa: &str, exp: &str) -> Option<String> {
    let e: i32 = exp.parse().ok()?;
    if e.abs() > 30 {
        return None;
    }
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = format!("{int}{frac}");
    let point = int.len() as i32 + e;
    let out = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        format!(
            "{}.{}",
            &digits[..point as usize],
            &digits[point as usize..]
        )
    };
    let trimmed = if out.contains('.') {
        out.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        out
    };
    let t = trimmed.trim_start_matches('0');
    Some(if t.is_empty() || t.starts_with('.') {
        format!("0{t}")
    } else {
        t.to_string()
    })
}

/// A text literal in `'…'` or `"…"`. `\"`, `\'` and `\\` stand for the character itself;
/// `\n`, `\r`, `\t` (any case) are kept as written unless `decode` is set, then they become a
/// line feed, carriage return and tab. Errors: F004 (no closing quote on the line; F007 instead
/// when a typographic quote inside looks like the intended end), F006 (unknown escape). `src` is
/// the whole formula, for the rewritten formula in F007's help. Returns the decoded text with its
/// map back to the source, so a diagnostic about part of the text can point at its bytes.
pub(crate) fn string<'a>(i: In<'a>, src: &str, decode: bool) -> PResult<'a, (Box<str>, SourceMap)> {
    let s = i.fragment();
    let start = off(&i);
    let quote = s.chars().next().unwrap_or('\'');
    let mut out = String::new();
    let mut map = SourceMap::new(start + 1);
    let mut chars = s.char_indices().skip(1);
    // `end` is where the literal's text stops: a line break or the end of the formula.
    let unterminated = |end: usize, line_break: bool| {
        if let Some(d) = curly_end_error(src, start, &s[..end], quote) {
            return d;
        }
        let q = Span::new(start, start + 1);
        let mut d = Diagnostic::new(
            Code::UnterminatedString,
            format!("Syntax error.  Missing closing {quote} for a text literal"),
        )
        .at_labelled(q, "this text literal is never closed")
        .with_help(format!("end the text with {quote}"));
        if line_break {
            d = d
                .with_label(
                    Span::new(start + end, start + end + 1),
                    "the line ends here",
                )
                .with_note("text literals cannot span lines");
        }
        d
    };
    while let Some((k, c)) = chars.next() {
        match c {
            c if c == quote => {
                return Ok((split(i, k + 1).0, (out.into_boxed_str(), map)));
            }
            '\r' | '\n' => return fatal(unterminated(k, true)),
            '\\' => match chars.next() {
                None => return fatal(unterminated(s.len(), false)),
                Some((_, e @ ('"' | '\'' | '\\'))) => {
                    out.push(e);
                    map.push_escape(1, Span::new(start + k, start + k + 2));
                }
                Some((_, e @ ('n' | 'N' | 'r' | 'R' | 't' | 'T'))) => {
                    if decode {
                        out.push(match e.to_ascii_lowercase() {
                            'n' => '\n',
                            'r' => '\r',
                            _ => '\t',
                        });
                        map.push_escape(1, Span::new(start + k, start + k + 2));
                    } else {
                        // Kept as written: two bytes for two bytes.
                        out.push('\\');
                        out.push(e);
                        map.push_verbatim(2, start + k);
                    }
                }
                Some((_, '\r' | '\n')) => return fatal(unterminated(k + 1, true)),
                Some((j, e)) => {
                    let sp = Span::new(start + k, start + j + e.len_utf8());
                    return fatal(
                        Diagnostic::new(
                            Code::InvalidEscape,
                            format!(
                                "Syntax error.  Invalid escape sequence '\\{}' in a text literal",
                                e.escape_default()
                            ),
                        )
                        .at_labelled(sp, "unknown escape")
                        .with_help(
                            "the escapes are \\\" \\' \\\\ \\n \\r \\t; write a backslash itself as \\\\",
                        ),
                    );
                }
            },
            c => {
                out.push(c);
                map.push_verbatim(c.len_utf8(), start + k);
            }
        }
    }
    fatal(unterminated(s.len(), false))
}

/// F007 for an unterminated literal `lit` (from its opening quote at `start`) that holds a
/// typographic quote: `'abc’ & x` was meant to end at the `’`. Prefers a curly form of the
/// opening quote; the help shows the formula with that one character straightened.
fn curly_end_error(src: &str, start: usize, lit: &str, quote: char) -> Option<Diagnostic> {
    let body = lit.char_indices().skip(1);
    let found = body
        .clone()
        .find(|&(_, c)| curly_quote(c) == Some(quote))
        .or_else(|| body.clone().find(|&(_, c)| curly_quote(c).is_some()))?;
    let (k, c) = found;
    let at = start + k;
    let straight = curly_quote(c).unwrap_or(quote);
    let mut fixed = String::with_capacity(src.len());
    fixed.push_str(&src[..at]);
    fixed.push(straight);
    fixed.push_str(&src[at + c.len_utf8()..]);
    let help = if fixed.chars().count() <= 300 && !fixed.contains(['\n', '\r']) {
        format!("use a straight quote to end the text: {}", shown(&fixed))
    } else {
        format!("replace the typographic quote with {straight} to end the text")
    };
    Some(
        Diagnostic::new(
            Code::CurlyQuote,
            format!("Syntax error.  Typographic quote '{c}' is not a text delimiter"),
        )
        .at_labelled(Span::new(at, at + c.len_utf8()), "typographic quote")
        .with_label(
            Span::new(start, start + 1),
            "this text literal is never closed",
        )
        .with_help(help),
    )
}

/// Characters that must not appear raw in a message: every control (tab and newline too, which
/// would break a message line) and the hidden characters of [`samlfx_diag::hidden`].
pub(crate) fn is_unprintable(c: char) -> bool {
    c.is_control() || samlfx_diag::hidden::is_hidden(c)
}

/// `text` for a message: unprintable characters written as `U+XXXX`.
pub(crate) fn shown(text: &str) -> String {
    if !text.contains(is_unprintable) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c) {
            out.push_str(&format!("U+{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Typographic quotes that people paste in place of `'` and `"`, with their straight form.
pub(crate) fn curly_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' | '\u{201B}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '\u{201F}' => Some('"'),
        _ => None,
    }
}

/// F007 for a curly quote at `at`, with the whole formula rewritten with straight quotes.
pub(crate) fn curly_quote_error(src: &str, at: usize, c: char) -> Diagnostic {
    let fixed = straighten_quotes(src);
    let straight = curly_quote(c).unwrap_or('\'');
    let help = if fixed.len() <= 300 && !fixed.contains(['\n', '\r']) {
        format!("use straight quotes: {}", shown(&fixed))
    } else {
        format!("use straight quotes: replace each curly quote with {straight}")
    };
    Diagnostic::new(
        Code::CurlyQuote,
        format!("Syntax error.  Typographic quote '{c}' is not a text delimiter"),
    )
    .at_labelled(Span::new(at, at + c.len_utf8()), "typographic quote")
    .with_help(help)
}

/// The formula with curly quotes outside straight-quoted literals replaced by straight ones.
pub(crate) fn straighten_quotes(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut in_lit: Option<char> = None;
    let mut escaped = false;
    for c in src.chars() {
        match in_lit {
            Some(q) => {
                out.push(c);
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q || c == '\n' || c == '\r' {
                    in_lit = None;
                }
            }
            None => match curly_quote(c) {
                Some(s) => out.push(s),
                None => {
                    if c == '\'' || c == '"' {
                        in_lit = Some(c);
                    }
                    out.push(c)
                }
            },
        }
    }
    out
}

/// F008 for a character that cannot start any token; invisible ones are named by code point.
pub(crate) fn invalid_char_error(at: usize, c: char) -> Diagnostic {
    let invisible = c.is_whitespace() || is_unprintable(c);
    let shown = if invisible {
        let name = char_name(c).map(|n| format!(" ({n})")).unwrap_or_default();
        format!("U+{:04X}{name}", c as u32)
    } else if c.is_ascii() {
        format!("'{c}'")
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    };
    let help = match c {
        ';' => "a formula is one expression; join values with '&' instead of ';'".to_string(),
        '[' | ']' => "brackets are not formula syntax; name fields directly, e.g. $User.Alias".into(),
        '\u{FEFF}' => "remove the byte-order mark".into(),
        '\u{A0}' | '\u{2000}'..='\u{200B}' | '\u{3000}' | '\u{0B}' => {
            "replace it with an ordinary space".into()
        }
        '\u{2028}' | '\u{2029}' | '\u{0085}' | '\u{0C}' => {
            "replace it with an ordinary line break or space".into()
        }
        '#' | '_' | ':' | '.' => "identifiers start with a letter or '$'".into(),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => "use the ASCII minus sign '-'".into(),
        '|' => "the 'or' operator is '||'".into(),
        _ => "remove it; outside text literals only names, numbers, operators, parentheses and commas are allowed".into(),
    };
    Diagnostic::new(
        Code::InvalidCharacter,
        format!("Syntax error.  Invalid character {shown}"),
    )
    .at_labelled(Span::new(at, at + c.len_utf8()), "not allowed here")
    .with_help(help)
}

fn char_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{A0}' => "no-break space",
        '\u{0B}' => "vertical tab",
        '\u{200B}' => "zero-width space",
        '\u{FEFF}' => "byte order mark",
        '\u{3000}' => "ideographic space",
        '\u{2000}'..='\u{200A}' => "typographic space",
        '\0' => "NUL",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional control",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{0085}' => "next line",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "direction mark",
        '\u{2060}' => "word joiner",
        '\u{00AD}' => "soft hyphen",
        '\u{0C}' => "form feed",
        c if c.is_control() => "control character",
        c if samlfx_diag::hidden::is_hidden(c) => "invisible format character",
        _ => return None,
    })
}

/// Two-character operator tokens, longest match first (`=>` is lexed, then rejected).
pub(crate) const TWO_CHAR_OPS: [&str; 8] = ["&&", "||", "<=", ">=", "<>", "!=", "==", "=>"];

/// Byte length of the token at the start of `rest` (non-empty), for messages and spans.
pub(crate) fn token_len(rest: &str) -> usize {
    let Some(c) = rest.chars().next() else {
        return 0;
    };
    if is_ident_start(c) {
        return rest.find(|c| !is_ident_continue(c)).unwrap_or(rest.len());
    }
    if c.is_ascii_digit() {
        let d = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let after = &rest[d..];
        if let Some(f) = after.strip_prefix('.') {
            let fd = f.find(|c: char| !c.is_ascii_digit()).unwrap_or(f.len());
            if fd > 0 {
                return d + 1 + fd;
            }
        }
        return d;
    }
    if c == '\'' || c == '"' {
        let mut esc = false;
        for (k, ch) in rest.char_indices().skip(1) {
            if esc {
                esc = false;
            } else if ch == '\\' {
                esc = true;
            } else if ch == c {
                return k + 1;
            } else if ch == '\n' || ch == '\r' {
                return k;
            }
        }
        return rest.len();
    }
    if TWO_CHAR_OPS.iter().any(|op| rest.starts_with(op)) {
        return 2;
    }
    c.len_utf8()
}

/// The token at the start of `rest` as shown in messages: `end of formula` at the end, long
/// tokens shortened.
pub(crate) fn token_text(rest: &str) -> String {
    if rest.is_empty() {
        return "end of formula".to_string();
    }
    let t = &rest[..token_len(rest)];
    if t.chars().count() > 40 {
        let cut: String = t.chars().take(37).collect();
        format!("{}…", shown(&cut))
    } else {
        shown(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponent_expansion() {
        assert_eq!(expand_exponent("1", "5").as_deref(), Some("100000"));
        assert_eq!(expand_exponent("1.5", "3").as_deref(), Some("1500"));
        assert_eq!(expand_exponent("1.25", "1").as_deref(), Some("12.5"));
        assert_eq!(expand_exponent("5", "-2").as_deref(), Some("0.05"));
        assert_eq!(expand_exponent("5", "99"), None);
    }

    #[test]
    fn straighten_keeps_literal_contents() {
        assert_eq!(
            straighten_quotes("‘abc’ & $User.Alias"),
            "'abc' & $User.Alias"
        );
        assert_eq!(straighten_quotes("'it’s' & “x”"), "'it’s' & \"x\"");
    }

    mod literal_maps {
        use crate::syntax::{ExprKind, ParseLimits, parse_with};
        use proptest::prelude::*;

        /// One piece of a literal body as written: a character or any of the six escapes.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => "[a-z<>{}_ é€😀\u{200B}\u{A0}]",
                1 => r#"\\['"\\nNrRtT]"#,
            ]
        }

        proptest! {
            /// For any literal, in both modes, each decoded character maps inside the literal's
            /// body, in order, to source bytes that decode to exactly that character.
            #[test]
            fn each_decoded_character_maps_to_its_source(
                pad in "[ ]{0,3}",
                pieces in proptest::collection::vec(piece(), 0..16),
                double in any::<bool>(),
                decode in any::<bool>(),
            ) {
                let q = if double { '"' } else { '\'' };
                let src = format!("{pad}{q}{}{q}", pieces.concat());
                let limits = ParseLimits { decode_control_escapes: decode, ..Default::default() };
                let e = parse_with(&src, &limits).unwrap();
                let ExprKind::Text(text, map) = &e.kind else { panic!("{src}") };
                prop_assert_eq!(map.len(), text.len());
                let body = samlfx_diag::Span::new(pad.len() + 1, src.len() - 1);
                prop_assert_eq!(map.source_span(), body);
                let mut last_end = body.start;
                for (i, c) in text.char_indices() {
                    let s = map.span(i..i + c.len_utf8());
                    prop_assert!(body.start <= s.start && s.end <= body.end);
                    prop_assert!(last_end <= s.start, "not monotonic at {} in {}", i, src);
                    let written = &src[s.start..s.end];
                    let one = parse_with(&format!("{q}{written}{q}"), &limits)
                        .map(|e| match &e.kind {
                            ExprKind::Text(t, _) => t.to_string(),
                            _ => String::new(),
                        });
                    // `\n` kept as written is two characters from two bytes: each maps alone.
                    let expected = c.to_string();
                    match one {
                        Ok(t) => prop_assert_eq!(t, expected),
                        Err(_) => prop_assert!(written == "\\" && c == '\\', "{written:?}"),
                    }
                    last_end = s.end;
                }
            }
        }
    }

    #[test]
    fn token_lengths() {
        assert_eq!(token_len("$User.Alias & x"), 11);
        assert_eq!(token_len("&& b"), 2);
        assert_eq!(token_len("'a\\'b' x"), 6);
        assert_eq!(token_len("12.5+"), 4);
        assert_eq!(token_len("é"), 2);
    }
}
