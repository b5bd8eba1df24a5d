//! Lints on text literals: F202, a setup guide's placeholder pasted without being filled in
//! (`<ContactCenterName>`, `{SalesforceVoiceIdp ARN}`, `YOUR_ACCOUNT_ID`); F203, a literal
//! REGEX() pattern that does not compile; F204, an invisible character or non-ASCII space.

use super::{Checker, Out};
use crate::catalog::Func;
use crate::ir::TypedKind;
use crate::runtime::builtins::java_regex::RegexProblem;
use crate::runtime::builtins::text::compile_regex;
use crate::syntax::ast::{Expr, ExprKind};
use samlfx_diag::{Code, Diagnostic, SourceMap};

/// Prefixes of upper-snake tokens that name a value to fill in.
const FILL_IN_PREFIXES: &[&str] = &["YOUR_", "MY_", "REPLACE_", "INSERT_", "ENTER_", "PUT_"];

impl Checker<'_> {
    /// Warns about each placeholder in a literal. `map` takes offsets in the decoded `text` back
    /// to the source, so each warning points at the placeholder's own bytes even after an escape.
    pub(super) fn lint_literal(&mut self, text: &str, map: &SourceMap) {
        if !text.is_ascii() {
            self.lint_invisible(text, map);
        }
        if !text.bytes().any(|b| matches!(b, b'<' | b'{' | b'_')) {
            return;
        }
        for (start, end) in placeholders(text) {
            let at = map.span(start..end);
            let found = &text[start..end];
            let example = placeholder_hint(found);
            self.error(
                Diagnostic::new(
                    Code::PlaceholderInLiteral,
                    format!("The text literal still contains the placeholder {found}"),
                )
                .at_labelled(at, "placeholder")
                .with_help(format!("replace `{found}` with the real value: {example}")),
            );
        }
    }

    /// F204: each invisible character or non-ASCII space, pointed at through the literal's map.
    fn lint_invisible(&mut self, text: &str, map: &SourceMap) {
        for (i, c) in text.char_indices().filter(|&(_, c)| is_invisible(c)) {
            let at = map.span(i..i + c.len_utf8());
            let code = format!("U+{:04X}", c as u32);
            let name = invisible_name(c).map_or(String::new(), |n| format!(" ({n})"));
            let help = if is_space_like(c) {
                format!(
                    "replace the {code} character with an ordinary space, or delete it if no space is meant"
                )
            } else {
                format!("delete the {code} character: it is invisible but stays in the value")
            };
            self.error(
                Diagnostic::new(
                    Code::InvisibleCharacter,
                    format!("The text literal contains the invisible character {code}{name}"),
                )
                .at_labelled(at, "invisible character")
                .with_help(help),
            );
        }
    }

    /// F203: a REGEX() whose pattern is a text literal that does not compile. F305: one that uses
    /// a Java feature samlfx cannot evaluate; Salesforce accepts it, so it is a warning at the
    /// feature's bytes, found through the literal's map.
    pub(super) fn lint_regex(&mut self, out: Out, args: &[Expr]) -> Out {
        let TypedKind::Call {
            func: Func::Regex, ..
        } = out.node.kind
        else {
            return out;
        };
        let Some(arg) = args.get(1) else {
            return out;
        };
        let ExprKind::Text(pattern, map) = &arg.kind else {
            return out;
        };
        match compile_regex(pattern) {
            Err(RegexProblem::Invalid(why)) => self.error(
                Diagnostic::new(
                    Code::InvalidRegex,
                    format!("REGEX: invalid regular expression '{pattern}': {why}"),
                )
                .at_labelled(arg.span, "invalid pattern")
                .with_help("fix the pattern; to match a special character such as ( or . literally, escape it with a backslash, written \\\\ inside a formula string"),
            ),
            Err(RegexProblem::Unsupported(feature, at)) => self.error(
                Diagnostic::new(
                    Code::UnsupportedBySamlfx,
                    format!(
                        "REGEX: this pattern uses {feature}, which Salesforce supports but samlfx cannot evaluate"
                    ),
                )
                .at_labelled(map.span(at), "not supported by samlfx")
                .with_help("a limit of samlfx, not an error: rewrite the pattern without it to evaluate the formula here, or ignore this and test the attribute in Salesforce"),
            ),
            _ => {}
        }
        out
    }
}

/// Characters that look like nothing or like a plain space: the hidden characters the renderers
/// escape, plus the no-break and typographic spaces.
fn is_invisible(c: char) -> bool {
    samlfx_diag::hidden::is_hidden(c) || is_space_like(c)
}

fn is_space_like(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' => "directional mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional control",
        '\u{202F}' => "narrow no-break space",
        '\u{2060}' => "word joiner",
        '\u{3000}' => "ideographic space",
        '\u{FEFF}' => "byte-order mark",
        '\u{2000}'..='\u{200A}' | '\u{205F}' => "typographic space",
        c if c.is_control() => "control character",
        _ => return None,
    })
}

/// What to put in place of a placeholder, from the placeholder's own words.
fn placeholder_hint(found: &str) -> &'static str {
    let words: String = found
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if words.contains("arn") {
        "the ARN from the IAM console (identity provider or role)"
    } else if words.contains("account") {
        "your 12-digit AWS account id"
    } else if words.contains("contactcenter") || words.contains("instance") {
        "your contact center's name"
    } else if words.contains("role") {
        "the IAM role name from the IAM console"
    } else if words.contains("provider") || words.contains("idp") {
        "the identity provider name from the IAM console"
    } else if words.contains("region") {
        "the AWS region, e.g. us-east-1"
    } else {
        "the value your setup guide asks for"
    }
}

/// Byte ranges of the placeholders in `s`.
fn placeholders(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let close = match b[i] {
            b'<' => Some(b'>'),
            b'{' => Some(b'}'),
            _ => None,
        };
        if let Some(close) = close
            && !is_regex_syntax(&s[..i])
            && let Some(len) = b[i + 1..].iter().position(|&c| c == close)
            && is_placeholder_name(&s[i + 1..i + 1 + len])
        {
            out.push((i, i + len + 2));
            i += len + 2;
            continue;
        }
        let at_word_start = i == 0 || !is_word(b[i - 1]);
        if at_word_start && b[i].is_ascii_uppercase() {
            let len = b[i..].iter().take_while(|&&c| is_word(c)).count();
            let word = &s[i..i + len];
            if is_fill_in_token(word) {
                out.push((i, i + len));
            }
            i += len.max(1);
            continue;
        }
        i += 1;
    }
    out
}

/// Whether the `{` or `<` that follows `before` opens regular-expression syntax rather than a
/// placeholder: `\p{Upper}`, `\P{L}`, `\N{…}`, `\x{…}`, a group name `(?<name>…)` or `\k<name>`.
fn is_regex_syntax(before: &str) -> bool {
    let b = before.as_bytes();
    let escaped_letter =
        b.len() >= 2 && b[b.len() - 2] == b'\\' && b[b.len() - 1].is_ascii_alphabetic();
    escaped_letter || before.ends_with("(?") || before.ends_with("(?P")
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// `ContactCenterName`, `SalesforceVoiceIdp ARN`, `account-id`: a name, not markup such as
/// `<br>` or `<b>` (short all-lower-case tag names are left alone).
fn is_placeholder_name(inner: &str) -> bool {
    let b = inner.as_bytes();
    if b.len() < 3 || b.len() > 64 || !b[0].is_ascii_alphabetic() {
        return false;
    }
    if !b
        .iter()
        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_' | b'-'))
    {
        return false;
    }
    let markup_like = b.len() <= 6
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    !markup_like
}

/// `YOUR_ACCOUNT_ID`, `REPLACE_ME`: upper-snake words that ask to be filled in.
fn is_fill_in_token(word: &str) -> bool {
    word.len() > 4
        && word
            .bytes()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
        && FILL_IN_PREFIXES.iter().any(|p| word.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<&str> {
        placeholders(s).into_iter().map(|(a, b)| &s[a..b]).collect()
    }

    #[test]
    fn finds_guide_placeholders() {
        assert_eq!(
            found("arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole"),
            ["<ContactCenterName>"]
        );
        assert_eq!(
            found("x,{SalesforceVoiceIdp ARN}"),
            ["{SalesforceVoiceIdp ARN}"]
        );
        assert_eq!(
            found("arn:aws:iam::YOUR_ACCOUNT_ID:role/x"),
            ["YOUR_ACCOUNT_ID"]
        );
        assert!(found("a<br>b <b>bold</b> MY_ x_YOUR_Y").is_empty());
        assert!(found("arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole").is_empty());
        assert!(found("\\p{Upper}\\P{Lower}\\N{LATIN SMALL LETTER A}").is_empty());
        assert!(found("(?<name>a)\\k<name>(?P<other>b)").is_empty());
        assert_eq!(found("p{ContactCenter}"), ["{ContactCenter}"]);
    }

    #[test]
    fn hints_follow_the_placeholder_words() {
        assert!(placeholder_hint("<SalesforceVoiceIdp ARN>").contains("ARN from the IAM console"));
        assert_eq!(
            placeholder_hint("<ContactCenterName>"),
            "your contact center's name"
        );
        assert_eq!(
            placeholder_hint("YOUR_ACCOUNT_ID"),
            "your 12-digit AWS account id"
        );
        assert_eq!(
            placeholder_hint("{account-id}"),
            "your 12-digit AWS account id"
        );
    }

    #[test]
    fn invisible_characters_are_spaces_and_hidden_ones() {
        for c in [
            '\u{200B}', '\u{00A0}', '\u{2009}', '\u{3000}', '\u{202E}', '\u{FEFF}',
        ] {
            assert!(is_invisible(c), "{c:?}");
        }
        for c in [' ', 'é', '\t', '😀'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }
}
