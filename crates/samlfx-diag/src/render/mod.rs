//! Renderers: human (ariadne, like rustc), JSON (the versioned contract in the README), SARIF 2.1.0
//! and GitHub workflow commands.
//!
//! Every renderer takes [`Located`] diagnostics: a diagnostic together with the [`Source`] its
//! spans point into, so one report can mix diagnostics about a formula and about a context file.
//! Renderers never panic on a bad span: spans are clamped to the text and to char boundaries.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod window;

use super::{Diagnostic, Severity, Span};

pub use human::HumanOptions;

/// One source text that diagnostics point into.
#[derive(Clone, Debug)]
pub struct Source {
    /// The file path; `None` for an inline formula (JSON `file: null`) and for an option's value.
    pub path: Option<String>,
    pub text: String,
    /// The command-line option whose value `text` is (`--set`), when it is not the formula: human
    /// output names the option, and the machine formats give such a diagnostic no file and no
    /// position, since their spans and lines would be read as places in the formula or a file.
    pub option: Option<&'static str>,
    /// What human output calls an inline text that is not a formula (`<arn 2>`); machine formats
    /// treat it as an inline text (`file: null`, spans into the text).
    pub name: Option<String>,
    /// The file's line `text` starts at: 1 for a whole file, more for a window of one (an
    /// audit's row in a users file of millions, whose text is not kept).
    pub first_line: usize,
}

impl Source {
    /// An inline formula given on the command line.
    pub fn inline(text: impl Into<String>) -> Self {
        Source {
            path: None,
            text: text.into(),
            option: None,
            name: None,
            first_line: 1,
        }
    }

    pub fn file(path: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            path: Some(path.into()),
            text: text.into(),
            option: None,
            name: None,
            first_line: 1,
        }
    }

    /// The value of a command-line option, such as one `--set` assignment.
    pub fn option(option: &'static str, text: impl Into<String>) -> Self {
        Source {
            path: None,
            text: text.into(),
            option: Some(option),
            name: None,
            first_line: 1,
        }
    }

    /// An inline text that is not a formula, such as one ARN of `samlfx arn`, shown in human
    /// output under `name`.
    pub fn named(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            path: None,
            text: text.into(),
            option: None,
            name: Some(name.into()),
            first_line: 1,
        }
    }

    /// A line of file `path` whose text is not at hand: a diagnostic at span `0..0` points at
    /// the line's start (machine formats give the line, not an offset into the file).
    pub fn line_of(path: impl Into<String>, line: usize) -> Self {
        Source {
            first_line: line.max(1),
            ..Source::file(path, "")
        }
    }

    /// Whether the text is a window of the file rather than all of it: offsets into the text
    /// are then no offsets into the file.
    pub fn is_window(&self) -> bool {
        self.first_line > 1
    }

    /// The name shown in human output: the path, the option, the inline text's name, or
    /// `<formula>` for an inline formula.
    pub fn display_name(&self) -> &str {
        self.path
            .as_deref()
            .or(self.option)
            .or(self.name.as_deref())
            .unwrap_or("<formula>")
    }

    /// Whether machine formats may place diagnostics in this text: not in an option's value.
    pub fn is_placeable(&self) -> bool {
        self.option.is_none()
    }

    /// The span moved into the text: both ends at most the text's length and on char boundaries,
    /// and `start <= end`. Diagnostics from any stage can be rendered without a panic.
    pub fn clamp(&self, span: Span) -> Span {
        let end = floor_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_boundary(&self.text, span.start.min(end));
        Span::new(start, end)
    }

    /// The 1-based line and column (in characters) of a byte offset (clamped like [`Self::clamp`]).
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + self.first_line;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A diagnostic and the source its spans point into.
#[derive(Clone, Copy, Debug)]
pub struct Located<'a> {
    pub source: &'a Source,
    pub diagnostic: &'a Diagnostic,
}

impl<'a> Located<'a> {
    /// Every diagnostic of one source.
    pub fn all(source: &'a Source, diagnostics: &'a [Diagnostic]) -> Vec<Located<'a>> {
        diagnostics
            .iter()
            .map(|diagnostic| Located { source, diagnostic })
            .collect()
    }
}

/// The output formats of `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
}

/// How many diagnostics of each severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}

/// Renders diagnostics in a format. Human output honours `human`; for GitHub and SARIF the text
/// ends with a newline, as does JSON.
pub fn render(format: Format, items: &[Located<'_>], human: &HumanOptions) -> String {
    match format {
        Format::Human => human::render(items, human),
        Format::Json => json::render(items),
        Format::Sarif => sarif::render(items),
        Format::Github => github::render(items),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_spans_inside_and_on_boundaries() {
        let s = Source::inline("é&x");
        assert_eq!(s.clamp(Span::new(1, 9)), Span::new(0, 4));
        assert_eq!(s.clamp(Span::new(3, 1)), Span::new(0, 0));
        assert_eq!(s.clamp(Span::new(2, 3)), Span::new(2, 3));
    }

    #[test]
    fn line_col_counts_characters() {
        let s = Source::inline("ab\né&x");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(5), (2, 2));
        assert_eq!(s.line_col(99), (2, 4));
        let row = Source::line_of("users.csv", 1_234_567);
        assert_eq!(row.line_col(0), (1_234_567, 1));
        assert!(row.is_window());
    }
}
