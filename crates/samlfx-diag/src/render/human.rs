//! The human format: rustc-style reports drawn by ariadne, with byte spans.

use std::fmt::Write as _;

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind};

use super::Located;
use super::window::{Window, shorten, visible};
use crate::Severity;

/// How to draw human reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// ANSI colours (only on a TTY without `NO_COLOR`; the CLI decides).
    pub color: bool,
    /// Draw with ASCII instead of Unicode box characters (stable golden files).
    pub ascii: bool,
}

impl HumanOptions {
    /// No colour, ASCII drawing: what golden tests compare.
    pub const PLAIN: HumanOptions = HumanOptions {
        color: false,
        ascii: true,
    };
}

/// Renders every diagnostic, one report after another, each followed by a blank line.
pub fn render(items: &[Located<'_>], opts: &HumanOptions) -> String {
    let mut out = String::new();
    for item in items {
        out.push_str(&render_one(item, opts));
        out.push('\n');
    }
    out
}

/// One report. Trailing spaces that ariadne leaves on some lines are removed.
pub fn render_one(item: &Located<'_>, opts: &HumanOptions) -> String {
    let d = item.diagnostic;
    let text = match d.span {
        Some(span) => snippet(item, span, opts).unwrap_or_else(|| header_only(item, opts)),
        None => header_only(item, opts),
    };
    // ariadne colours a custom report kind even with colour off, so strip escapes then.
    let text = if opts.color { text } else { strip_ansi(&text) };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn kind_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn kind_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    }
}

/// A diagnostic drawn without a snippet: the header, the position when it has one, and its help
/// and note lines.
fn header_only(item: &Located<'_>, opts: &HumanOptions) -> String {
    let d = item.diagnostic;
    let head = format!("{}[{}]", kind_name(d.severity), d.code);
    let message = shown(&d.message);
    let mut out = String::new();
    if opts.color {
        let _ = writeln!(out, "\x1b[1;{}m{head}\x1b[0m: {message}", ansi(d.severity),);
    } else {
        let _ = writeln!(out, "{head}: {message}");
    }
    if let Some(span) = d.span {
        let (line, col) = item.source.line_col(item.source.clamp(span).start);
        let name = visible(item.source.display_name());
        let _ = writeln!(out, "  --> {name}:{line}:{col}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  = help: {}", shown(help));
    }
    for note in &d.notes {
        let _ = writeln!(out, "  = note: {}", shown(note));
    }
    out
}

fn ansi(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 31,
        Severity::Warning => 33,
        Severity::Info => 36,
    }
}

/// Messages longer than this many characters are cut in the middle (they can quote source text).
const MAX_MESSAGE: usize = 500;

/// A message, help or label text as drawn: hidden characters visible, long text cut.
fn shown(s: &str) -> String {
    visible(&shorten(s, MAX_MESSAGE)).into_owned()
}

/// The full report with the source snippet; `None` if ariadne could not write it or the span
/// lies too deep in the file to draw (see [`Window`]).
///
/// ariadne draws against a [`Window`] of the source, never the raw text, so long lines and
/// hidden characters cannot flood or fool the terminal; the header keeps the true line:column.
fn snippet(item: &Located<'_>, span: crate::Span, opts: &HumanOptions) -> Option<String> {
    let d = item.diagnostic;
    let source = item.source;
    let name = visible(source.display_name()).into_owned();
    let primary = source.clamp(span);
    let labels: Vec<_> = d.labels.iter().map(|l| (source.clamp(l.span), l)).collect();
    let mut points = vec![primary.start, primary.end];
    for (s, _) in &labels {
        points.extend([s.start, s.end]);
    }
    let window = Window::new(&source.text, &points)?;
    let shown_span = |s: crate::Span| window.map(s.start)..window.map(s.end);
    let head = format!("{}[{}]", kind_name(d.severity), d.code);
    let config = Config::default()
        .with_index_type(IndexType::Byte)
        .with_color(opts.color)
        .with_char_set(if opts.ascii {
            CharSet::Ascii
        } else {
            CharSet::Unicode
        });
    let primary_label = d
        .span_label
        .as_deref()
        .map_or_else(|| default_label(d.severity).to_string(), shown);
    // Every label, primary first, then ordered by the window line ariadne files it under (its
    // end line): ariadne starts a new section, with its own header, whenever a label's line comes
    // before the previous label's, so this keeps one section in source order. Within a line the
    // primary label still comes first.
    let mut all: Vec<(std::ops::Range<usize>, String, Color)> =
        Vec::with_capacity(labels.len() + 1);
    all.push((shown_span(primary), primary_label, kind_color(d.severity)));
    for (s, label) in &labels {
        all.push((shown_span(*s), shown(&label.message), Color::Blue));
    }
    let line_of = |r: &std::ops::Range<usize>| {
        let at = if r.end > r.start { r.end - 1 } else { r.start };
        window.text.as_bytes()[..at.min(window.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    };
    let mut keyed: Vec<(usize, usize, _)> = all
        .into_iter()
        .enumerate()
        .map(|(i, l)| (line_of(&l.0), i, l))
        .collect();
    keyed.sort_by_key(|&(line, i, _)| (line, i));
    let mut report = Report::build(
        ReportKind::Custom(&head, kind_color(d.severity)),
        (name.clone(), shown_span(primary)),
    )
    .with_config(config)
    .with_message(shown(&d.message));
    for (order, (_, _, (range, message, color))) in keyed.into_iter().enumerate() {
        let order = i32::try_from(order).unwrap_or(i32::MAX);
        report = report.with_label(
            Label::new((name.clone(), range))
                .with_message(message)
                .with_color(color)
                .with_order(order),
        );
    }
    if let Some(help) = &d.help {
        report = report.with_help(shown(help));
    }
    for note in &d.notes {
        report = report.with_note(shown(note));
    }
    let mut buf = Vec::new();
    report
        .finish()
        .write(
            (name.clone(), ariadne::Source::from(window.text.as_str())),
            &mut buf,
        )
        .ok()?;
    let text = String::from_utf8(buf).ok()?;
    // ariadne's header names the position in the window (and counts a span at the very end of
    // a text ending in a newline on the last line); put back the true one, as in JSON.
    let (line, col) = source.line_col(primary.start);
    // The header is the line after the message: ` ,-[ NAME:L:C ]`, with colour codes around the
    // brackets when colour is on.
    let message_lines = shown(&d.message).matches('\n').count() + 1;
    let header_start = text
        .match_indices('\n')
        .nth(message_lines - 1)
        .map_or(0, |(i, _)| i);
    let open = format!(" {name}:");
    let Some(at) = text[header_start..]
        .find(&open)
        .map(|i| header_start + i + open.len())
    else {
        return Some(text);
    };
    let Some(close) = text[at..].find(' ').map(|i| at + i) else {
        return Some(text);
    };
    Some(format!("{}{line}:{col}{}", &text[..at], &text[close..]))
}

fn default_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error here",
        Severity::Warning => "warning here",
        Severity::Info => "here",
    }
}

/// Removes ANSI SGR sequences (`ESC [ … m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
