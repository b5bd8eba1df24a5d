//! The JSON format, version 1: exactly the keys the README's contract lists. Notes are not part of the
//! contract and appear only in the human and SARIF formats.

use serde::Serialize;

use super::{Located, Source, Summary};
use crate::Span;

/// The JSON contract's version; bumped on any incompatible change.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub diagnostics: Vec<JsonDiagnostic>,
    pub summary: Summary,
}

#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// The file the spans point into; `None` (null) for an inline formula.
    pub file: Option<String>,
    pub span: Option<JsonSpan>,
    /// What the primary span is labelled with in the human rendering.
    pub label: Option<String>,
    pub labels: Vec<JsonLabel>,
    pub help: Option<String>,
    /// The notes, in order (AWS's answer, what libxmlsec said).
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct JsonSpan {
    /// Byte offsets.
    pub start: usize,
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, counted in characters.
    pub column: usize,
}

#[derive(Debug, Serialize)]
pub struct JsonLabel {
    pub span: JsonSpan,
    pub message: String,
}

impl JsonSpan {
    pub fn new(source: &Source, span: Span) -> JsonSpan {
        let span = source.clamp(span);
        let (line, column) = source.line_col(span.start);
        JsonSpan {
            start: span.start,
            end: span.end,
            line,
            column,
        }
    }
}

impl JsonDiagnostic {
    /// A diagnostic about an option's value (`--set`) has `file`, `span` and `labels` empty: a
    /// span with a null `file` would be read as offsets into the formula.
    pub fn new(item: &Located<'_>) -> JsonDiagnostic {
        let d = item.diagnostic;
        let placeable = item.source.is_placeable();
        JsonDiagnostic {
            code: d.code.as_str(),
            severity: d.severity.as_str(),
            message: d.message.clone(),
            file: item.source.path.clone(),
            span: d
                .span
                .filter(|_| placeable)
                .map(|s| JsonSpan::new(item.source, s)),
            label: d
                .span_label
                .clone()
                .filter(|_| placeable && d.span.is_some()),
            labels: d
                .labels
                .iter()
                .filter(|_| placeable)
                .map(|l| JsonLabel {
                    span: JsonSpan::new(item.source, l.span),
                    message: l.message.clone(),
                })
                .collect(),
            help: d.help.clone(),
            notes: d.notes.clone(),
        }
    }
}

/// The diagnostic objects alone (also embedded in `eval --format json`).
pub fn diagnostics(items: &[Located<'_>]) -> Vec<JsonDiagnostic> {
    items.iter().map(JsonDiagnostic::new).collect()
}

pub fn report(items: &[Located<'_>]) -> JsonReport {
    JsonReport {
        version: VERSION,
        diagnostics: diagnostics(items),
        summary: Summary::of(items.iter().map(|i| i.diagnostic)),
    }
}

/// The report as pretty-printed JSON with a final newline.
pub fn render(items: &[Located<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&report(items)).expect("plain data serializes");
    s.push('\n');
    s
}
