//! GitHub Actions workflow commands (`::error file=…,line=…::message`), which annotate the
//! lines of a pull request. Hidden characters (controls, bidi overrides) in messages and paths are
//! shown as `�`, as in the human format.

use std::fmt::Write as _;

use super::Located;
use super::window::visible;
use crate::Severity;

/// Escapes a command's message: `%`, CR and LF.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, plus `:` and `,`.
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
pub fn render(items: &[Located<'_>]) -> String {
    let mut out = String::new();
    for item in items {
        let d = item.diagnostic;
        let mut props = Vec::new();
        if let Some(path) = &item.source.path {
            props.push(format!("file={}", escape_property(&visible(path))));
        }
        // An option's value (`--set`) is no file: its lines are not lines of anything annotated.
        if let Some(span) = d.span.filter(|_| item.source.is_placeable()) {
            let span = item.source.clamp(span);
            let (line, col) = item.source.line_col(span.start);
            let (end_line, end_col) = item.source.line_col(span.end);
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
            props.push(format!("endLine={end_line}"));
            props.push(format!("endColumn={end_col}"));
        }
        props.push(format!("title={}", escape_property(d.code.as_str())));
        let mut message = d.message.clone();
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
    }
}
