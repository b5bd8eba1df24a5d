//! Diagnostics: one type for every stage, one registry of stable codes, and the renderers.
//!
//! A [`Diagnostic`] has a stable [`Code`], a severity, a message in Salesforce's own wording, a
//! primary span, secondary labels, and a help line that says how to fix it.

#![forbid(unsafe_code)]

pub mod codes;
pub mod hidden;
pub mod render;
pub mod report;
pub mod source_map;
pub mod suggest;

pub use codes::Code;
pub use report::{Report, Severities};
pub use source_map::SourceMap;

/// A half-open range of byte offsets into one source text (a formula or a file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span that covers both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// This span moved right by `offset` bytes: a formula's span inside the file that holds it.
    pub fn shift(self, offset: usize) -> Span {
        Span::new(self.start + offset, self.end + offset)
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(r: std::ops::Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary label: another span that helps explain the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for problems with no place in the source (a missing file).
    pub span: Option<Span>,
    /// What the primary span is labelled with in the human rendering.
    pub span_label: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Further facts, in the order they were added (AWS's answer, what a tool said).
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.info().severity,
            message: message.into(),
            span: None,
            span_label: None,
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// The primary span with the text of its label.
    pub fn at_labelled(mut self, span: Span, label: impl Into<String>) -> Self {
        self.span = Some(span);
        self.span_label = Some(label.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note after the ones already there.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The same diagnostic at another severity: a static finding is an error when every value
    /// breaks the rule and a warning when some may.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// The diagnostic with every span moved `by` bytes to the right: from a part of a text
    /// (one value, one token) into the text.
    pub fn shifted(mut self, by: usize) -> Self {
        self.span = self.span.map(|s| s.shift(by));
        for l in &mut self.labels {
            l.span = l.span.shift(by);
        }
        self
    }

    /// The diagnostic about a decoded text (a literal, an XML element) moved to the source it
    /// was decoded from. Text a folded function made itself maps to that whole call, so labels
    /// that land on one span are merged into one, each message said once.
    pub fn through(mut self, map: &SourceMap) -> Self {
        fn add(said: &mut String, message: &str) {
            if !said.split("; ").any(|x| x == message) {
                if !said.is_empty() {
                    said.push_str("; ");
                }
                said.push_str(message);
            }
        }
        self.span = self.span.map(|s| map.span(s.start..s.end));
        let mut merged: Vec<Label> = Vec::new();
        for mut l in std::mem::take(&mut self.labels) {
            l.span = map.span(l.span.start..l.span.end);
            if self.span == Some(l.span) {
                add(self.span_label.get_or_insert_with(String::new), &l.message);
            } else if let Some(m) = merged.iter_mut().find(|m| m.span == l.span) {
                add(&mut m.message, &l.message);
            } else {
                merged.push(l);
            }
        }
        self.labels = merged;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifted_moves_the_span_and_every_label() {
        let d = Diagnostic::new(Code::InvalidAccountId, "m")
            .at(Span::new(1, 3))
            .with_label(Span::new(4, 5), "l")
            .shifted(10);
        assert_eq!(d.span, Some(Span::new(11, 13)));
        assert_eq!(d.labels[0].span, Span::new(14, 15));
    }

    #[test]
    fn through_merges_labels_a_map_puts_on_one_span() {
        // Four decoded bytes made by one call at source 20..30.
        let map = SourceMap::derived(4, Span::new(20, 30));
        let d = Diagnostic::new(Code::InvalidAccountId, "m")
            .at_labelled(Span::new(0, 1), "a")
            .with_label(Span::new(1, 2), "b")
            .with_label(Span::new(2, 3), "a")
            .through(&map);
        assert_eq!(d.span, Some(Span::new(20, 30)));
        assert_eq!(d.span_label.as_deref(), Some("a; b"));
        assert!(d.labels.is_empty());
        // Labels on distinct bytes stay apart.
        let map = SourceMap::verbatim(100, 4);
        let d = Diagnostic::new(Code::InvalidAccountId, "m")
            .at(Span::new(0, 1))
            .with_label(Span::new(2, 3), "x")
            .through(&map);
        assert_eq!(d.labels[0].span, Span::new(102, 103));
    }
}
