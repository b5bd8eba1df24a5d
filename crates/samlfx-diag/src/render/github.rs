//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which annotate the
//! lines of a pull request. Hidden characters (controls, bidi overrides) in messages and paths are
//! shown as `�`, as in the human format.

use std::fmt::Write as _;

use super::Located;
use super::window::visible;
use crate::Severity;

/// Escapes a command's message: `%`, CR and LF (as `@actions/core`'s `escapeData`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`, which would end the value (as
/// `@actions/core`'s `escapeProperty`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One command per diagnostic, each on its own line.
///
/// GitHub reads `line`, `col`, `endLine` and `endColumn` as places in `file`, so a text with no
/// file (an inline formula, one ARN) gets none of them: its position goes at the start of the
/// message instead (`<formula>:1:15: …`), where a reader of the log still finds it. An option's
/// value (`--set`) has neither.
pub fn render(items: &[Located<'_>]) -> String {
    let mut out = String::new();
    for item in items {
        let d = item.diagnostic;
        let source = item.source;
        let mut props = Vec::new();
        let mut message = String::new();
        let span = d
            .span
            .filter(|_| source.is_placeable())
            .map(|s| source.clamp(s));
        if let Some(path) = &source.path {
            props.push(format!("file={}", escape_property(&visible(path))));
            if let Some(span) = span {
                let (line, col) = source.line_col(span.start);
                let (end_line, end_col) = source.line_col(span.end);
                props.push(format!("line={line}"));
                props.push(format!("col={col}"));
                props.push(format!("endLine={end_line}"));
                props.push(format!("endColumn={end_col}"));
            }
        } else if let Some(span) = span {
            let (line, col) = source.line_col(span.start);
            let _ = write!(message, "{}:{line}:{col}: ", source.display_name());
        }
        props.push(format!("title={}", escape_property(d.code.as_str())));
        message.push_str(&d.message);
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{} {}::{}",
            command(d.severity),
            props.join(","),
            escape_data(&visible(&message))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_github_rules() {
        assert_eq!(escape_data("50%\r\nx"), "50%25%0D%0Ax");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_property("x\r\ny"), "x%0D%0Ay");
    }
}
