//! Lints on text literals: F202, a setup guide's placeholder pasted without being filled in
//! (`<ContactCenterName>`, `{SalesforceVoiceIdp ARN}`, `YOUR_ACCOUNT_ID`).

use super::Checker;
use crate::diag::{Code, Diagnostic, Span};

/// Prefixes of upper-snake tokens that name a value to fill in.
const FILL_IN_PREFIXES: &[&str] = &["YOUR_", "MY_", "REPLACE_", "INSERT_", "ENTER_", "PUT_"];

impl Checker<'_> {
    /// Warns about each placeholder in a literal. `span` covers the literal with its quotes; when
    /// the literal has no escapes its bytes map one to one, otherwise the whole literal is blamed.
    pub(super) fn lint_literal(&mut self, text: &str, span: Span) {
        if !text.bytes().any(|b| matches!(b, b'<' | b'{' | b'_')) {
            return;
        }
        let exact = span.len() == text.len() + 2;
        for (start, end) in placeholders(text) {
            let at = if exact {
                Span::new(span.start + 1 + start, span.start + 1 + end)
            } else {
                span
            };
            let found = &text[start..end];
            let example = if text.contains("arn:aws:iam") {
                "e.g. the IAM role or identity provider name from the IAM console"
            } else if text.contains("arn:") {
                "e.g. the resource name from the AWS console"
            } else {
                "e.g. your account's own id or name"
            };
            self.error(
                Diagnostic::new(
                    Code::PlaceholderInLiteral,
                    format!("The text literal still contains the placeholder {found}"),
                )
                .at_labelled(at, "placeholder")
                .with_help(format!("replace `{found}` with the real value ({example})")),
            );
        }
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
    }
}
