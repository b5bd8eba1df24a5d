//! One report across many sources: every command (`eval`, `arn`, and `check`, `simulate`,
//! `inspect`, `audit` to come) gathers its diagnostics here, each attached to the [`Source`] its
//! spans point into, then applies the user's [`Severities`], renders, and decides the exit status.
//!
//! Output order is stable and independent of the order stages ran in: sources with a file by path,
//! then sources without one (inline formulas, option values, named texts) in the order they were
//! added; within a source by the primary span's start (diagnostics with no span first), ties in
//! the order added.

use std::collections::BTreeMap;
use std::fmt;

use crate::render::{self, Format, HumanOptions, Located, Source, Summary};
use crate::{Code, Diagnostic, Severity, suggest};

/// Which source of a [`Report`] a diagnostic points into: the index in the order added.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(usize);

impl SourceId {
    /// The 0-based index in the order sources were added (`arn`'s JSON `"arn"` key).
    pub fn index(self) -> usize {
        self.0
    }
}

/// Sources and the diagnostics attached to them.
#[derive(Clone, Debug, Default)]
pub struct Report {
    sources: Vec<Source>,
    /// In the order added; sorted only for output, so a stage can append to an earlier source.
    diagnostics: Vec<(SourceId, Diagnostic)>,
}

impl Report {
    pub fn new() -> Self {
        Report::default()
    }

    /// Adds a source with no diagnostics yet, for a later [`Self::push`].
    pub fn add_source(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId(self.sources.len() - 1)
    }

    /// Adds a source and the diagnostics that point into it.
    pub fn add(
        &mut self,
        source: Source,
        diagnostics: impl IntoIterator<Item = Diagnostic>,
    ) -> SourceId {
        let id = self.add_source(source);
        self.extend(id, diagnostics);
        id
    }

    /// One more diagnostic about a source already added (a runtime error after the compile's).
    pub fn push(&mut self, source: SourceId, diagnostic: Diagnostic) {
        self.diagnostics.push((source, diagnostic));
    }

    pub fn extend(&mut self, source: SourceId, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics
            .extend(diagnostics.into_iter().map(|d| (source, d)));
    }

    pub fn source(&self, id: SourceId) -> &Source {
        &self.sources[id.0]
    }

    /// Every source, in the order added.
    pub fn sources(&self) -> impl ExactSizeIterator<Item = (SourceId, &Source)> {
        self.sources
            .iter()
            .enumerate()
            .map(|(i, s)| (SourceId(i), s))
    }

    pub fn len(&self) -> usize {
        self.diagnostics.len()
    }

    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }

    /// Every diagnostic with its source, in output order (see the module's documentation).
    pub fn sorted(&self) -> Vec<(SourceId, &Diagnostic)> {
        let mut order: Vec<usize> = (0..self.diagnostics.len()).collect();
        // A stable sort, so ties keep the order added.
        order.sort_by(|&a, &b| {
            let (sa, da) = &self.diagnostics[a];
            let (sb, db) = &self.diagnostics[b];
            self.source_key(*sa)
                .cmp(&self.source_key(*sb))
                .then_with(|| position(da).cmp(&position(db)))
        });
        order
            .into_iter()
            .map(|i| {
                let (s, d) = &self.diagnostics[i];
                (*s, d)
            })
            .collect()
    }

    /// Files first, by path; then pathless sources in the order added.
    fn source_key(&self, id: SourceId) -> (bool, Option<&str>, usize) {
        let path = self.sources[id.0].path.as_deref();
        (path.is_none(), path, id.0)
    }

    /// Every diagnostic with its source, in output order, as the renderers take them.
    pub fn located(&self) -> Vec<Located<'_>> {
        self.sorted()
            .into_iter()
            .map(|(s, diagnostic)| Located {
                source: &self.sources[s.0],
                diagnostic,
            })
            .collect()
    }

    /// The diagnostics of one source, in output order (`arn` prints each ARN's under it).
    pub fn located_in(&self, id: SourceId) -> Vec<Located<'_>> {
        let source = &self.sources[id.0];
        self.sorted()
            .into_iter()
            .filter(|(s, _)| *s == id)
            .map(|(_, diagnostic)| Located { source, diagnostic })
            .collect()
    }

    /// The report in a format, in output order.
    pub fn render(&self, format: Format, human: &HumanOptions) -> String {
        render::render(format, &self.located(), human)
    }

    /// How many diagnostics of each severity.
    pub fn summary(&self) -> Summary {
        Summary::of(self.diagnostics.iter().map(|(_, d)| d))
    }

    /// How many diagnostics of each code, in code order (`audit`'s `by_code`).
    pub fn by_code(&self) -> BTreeMap<Code, usize> {
        let mut counts = BTreeMap::new();
        for (_, d) in &self.diagnostics {
            *counts.entry(d.code).or_insert(0) += 1;
        }
        counts
    }

    /// The highest severity present, if any diagnostic is.
    pub fn max_severity(&self) -> Option<Severity> {
        self.diagnostics.iter().map(|(_, d)| d.severity).max()
    }

    pub fn has_errors(&self) -> bool {
        self.max_severity() == Some(Severity::Error)
    }

    /// Whether anything is at or above `fail_on` (`--fail-on`).
    pub fn fails(&self, fail_on: Severity) -> bool {
        self.max_severity().is_some_and(|s| s >= fail_on)
    }

    /// The exit status the contract gives findings: 1 when [`Self::fails`], else 0. Status 2 (usage
    /// or input error) is the caller's to decide.
    pub fn exit_status(&self, fail_on: Severity) -> u8 {
        u8::from(self.fails(fail_on))
    }

    /// Applies a severity policy: allowed codes are dropped, the others take their override.
    pub fn apply(&mut self, severities: &Severities) {
        if severities.is_empty() {
            return;
        }
        let diagnostics = std::mem::take(&mut self.diagnostics);
        self.diagnostics = diagnostics
            .into_iter()
            .filter_map(|(s, d)| severities.apply(d).map(|d| (s, d)))
            .collect();
    }
}

/// The sort key within a source: no span first, then by start, then by end.
fn position(d: &Diagnostic) -> (bool, usize, usize) {
    match d.span {
        None => (false, 0, 0),
        Some(s) => (true, s.start, s.end),
    }
}

/// What the user asks of one code, in the manner of clippy's `-A/-W/-D` and ruff's `ignore`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Override {
    /// Drop the code's diagnostics (`--allow`).
    Allow,
    /// Report them as warnings (`--warn`).
    Warn,
    /// Report them as errors (`--deny`).
    Deny,
}

impl Override {
    pub fn as_str(self) -> &'static str {
        match self {
            Override::Allow => "allow",
            Override::Warn => "warn",
            Override::Deny => "deny",
        }
    }
}

/// A per-code severity policy, applied to a report before it is rendered and judged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Severities {
    overrides: BTreeMap<Code, Override>,
}

impl Severities {
    pub fn new() -> Self {
        Severities::default()
    }

    /// Sets a code's override, returning the one it replaces (a caller that reads flags whose
    /// relative order is lost can report a code given twice).
    pub fn set(&mut self, code: Code, o: Override) -> Option<Override> {
        self.overrides.insert(code, o)
    }

    pub fn get(&self, code: Code) -> Option<Override> {
        self.overrides.get(&code).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.overrides.is_empty()
    }

    /// The diagnostic under this policy: `None` when its code is allowed.
    pub fn apply(&self, d: Diagnostic) -> Option<Diagnostic> {
        match self.get(d.code) {
            None => Some(d),
            Some(Override::Allow) => None,
            Some(Override::Warn) => Some(d.with_severity(Severity::Warning)),
            Some(Override::Deny) => Some(d.with_severity(Severity::Error)),
        }
    }
}

/// A code the registry does not have, with the closest one that it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCode {
    pub given: String,
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown diagnostic code '{}'", self.given)?;
        match self.suggestion {
            Some(s) => write!(f, "; did you mean '{s}'?"),
            None => f.write_str(" (`samlfx explain --list` lists them)"),
        }
    }
}

impl std::error::Error for UnknownCode {}

/// A code as a user writes it: its id (`F104`) or kebab name (`wrong-argument-type`), any case;
/// an unknown one names the closest id or name.
pub fn parse_code(s: &str) -> Result<Code, UnknownCode> {
    let s = s.trim();
    if let Some(code) = Code::parse(s) {
        return Ok(code);
    }
    let lower = s.to_ascii_lowercase();
    let upper = s.to_ascii_uppercase();
    let suggestion = suggest::closest(&upper, crate::codes::CODES.iter().map(|c| c.id))
        .or_else(|| suggest::closest(&lower, crate::codes::CODES.iter().map(|c| c.name)));
    Err(UnknownCode {
        given: s.to_owned(),
        suggestion,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    fn d(code: Code, span: Option<(usize, usize)>) -> Diagnostic {
        let d = Diagnostic::new(code, code.info().summary);
        match span {
            Some((s, e)) => d.at(Span::new(s, e)),
            None => d,
        }
    }

    fn codes(r: &Report) -> Vec<(&str, &str)> {
        r.located()
            .iter()
            .map(|l| (l.source.display_name(), l.diagnostic.code.as_str()))
            .collect()
    }

    #[test]
    fn sorts_files_by_path_then_pathless_in_order_added_then_by_position() {
        let mut r = Report::new();
        r.add(
            Source::inline("x"),
            [d(Code::UnexpectedToken, Some((4, 5)))],
        );
        let b = r.add(
            Source::file("b.xml", "..."),
            [d(Code::MissingToken, Some((9, 9)))],
        );
        r.add(Source::option("--set", "a"), [d(Code::ExtraInput, None)]);
        r.add(
            Source::file("a.xml", "..."),
            [
                d(Code::ExtraInput, Some((3, 4))),
                d(Code::MissingToken, None),
                d(Code::UnexpectedToken, Some((1, 2))),
            ],
        );
        // Appended later, still sorted into its place.
        r.push(b, d(Code::UnexpectedToken, Some((0, 1))));
        assert_eq!(
            codes(&r),
            [
                ("a.xml", "F002"),
                ("a.xml", "F001"),
                ("a.xml", "F003"),
                ("b.xml", "F001"),
                ("b.xml", "F002"),
                ("<formula>", "F001"),
                ("--set", "F003"),
            ]
        );
        assert_eq!(r.located_in(b).len(), 2);
    }

    #[test]
    fn ties_keep_the_order_added() {
        let mut r = Report::new();
        r.add(
            Source::inline("abc"),
            [
                d(Code::MissingToken, Some((1, 2))),
                d(Code::UnexpectedToken, Some((1, 2))),
            ],
        );
        assert_eq!(codes(&r), [("<formula>", "F002"), ("<formula>", "F001")]);
    }

    #[test]
    fn counts_by_severity_and_code_and_decides_the_exit_status() {
        let mut r = Report::new();
        assert_eq!(r.exit_status(Severity::Warning), 0);
        let warning = Diagnostic::new(Code::UnexpectedToken, "w").with_severity(Severity::Warning);
        r.add(
            Source::inline("x"),
            [warning.clone(), warning, d(Code::MissingToken, None)],
        );
        let s = r.summary();
        assert_eq!((s.errors, s.warnings, s.infos), (1, 2, 0));
        assert_eq!(
            r.by_code().into_iter().collect::<Vec<_>>(),
            [(Code::UnexpectedToken, 2), (Code::MissingToken, 1)]
        );
        assert_eq!(r.exit_status(Severity::Error), 1);

        let mut only_warnings = Report::new();
        only_warnings.add(
            Source::inline("x"),
            [d(Code::MissingToken, None).with_severity(Severity::Warning)],
        );
        assert_eq!(only_warnings.exit_status(Severity::Error), 0);
        assert_eq!(only_warnings.exit_status(Severity::Warning), 1);
        assert_eq!(only_warnings.exit_status(Severity::Info), 1);
    }

    #[test]
    fn overrides_drop_warn_and_deny() {
        let mut policy = Severities::new();
        assert_eq!(policy.set(Code::UnexpectedToken, Override::Allow), None);
        policy.set(Code::MissingToken, Override::Warn);
        policy.set(Code::ExtraInput, Override::Deny);
        assert_eq!(
            policy.set(Code::ExtraInput, Override::Deny),
            Some(Override::Deny)
        );
        let mut r = Report::new();
        r.add(
            Source::inline("x"),
            [
                d(Code::UnexpectedToken, Some((0, 1))),
                d(Code::MissingToken, Some((1, 1))),
                d(Code::ExtraInput, Some((2, 2))).with_severity(Severity::Info),
                d(Code::UnterminatedString, Some((3, 3))),
            ],
        );
        r.apply(&policy);
        let got: Vec<_> = r
            .located()
            .iter()
            .map(|l| (l.diagnostic.code.as_str(), l.diagnostic.severity))
            .collect();
        assert_eq!(
            got,
            [
                ("F002", Severity::Warning),
                ("F003", Severity::Error),
                ("F004", Severity::Error),
            ]
        );
    }

    #[test]
    fn parses_ids_and_names_and_suggests_the_closest() {
        assert_eq!(parse_code("f001"), Ok(Code::UnexpectedToken));
        assert_eq!(parse_code("Unexpected-Token"), Ok(Code::UnexpectedToken));
        let e = parse_code("F0001").unwrap_err();
        assert!(e.suggestion.is_some(), "{e}");
        let e = parse_code("unexpected-tokn").unwrap_err();
        assert_eq!(e.suggestion, Some("unexpected-token"));
        assert!(e.to_string().contains("did you mean 'unexpected-token'"));
        let e = parse_code("nothing-like-it-at-all").unwrap_err();
        assert_eq!(e.suggestion, None);
    }
}
