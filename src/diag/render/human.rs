//! The human format: rustc-style reports drawn by ariadne, with byte spans.

use std::fmt::Write as _;

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind};

use super::Located;
use crate::diag::{Diagnostic, Severity};

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
        Some(span) => snippet(item, span, opts).unwrap_or_else(|| header_only(d, opts)),
        None => header_only(d, opts),
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

/// A diagnostic with no place in the source: the header and its help and note lines.
fn header_only(d: &Diagnostic, opts: &HumanOptions) -> String {
    let head = format!("{}[{}]", kind_name(d.severity), d.code);
    let mut out = String::new();
    if opts.color {
        let _ = writeln!(
            out,
            "\x1b[1;{}m{head}\x1b[0m: {}",
            ansi(d.severity),
            d.message
        );
    } else {
        let _ = writeln!(out, "{head}: {}", d.message);
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "  = help: {help}");
    }
    if let Some(note) = &d.note {
        let _ = writeln!(out, "  = note: {note}");
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

/// The full report with the source snippet; `None` if ariadne could not write it.
fn snippet(item: &Located<'_>, span: crate::diag::Span, opts: &HumanOptions) -> Option<String> {
    let d = item.diagnostic;
    let source = item.source;
    let name = source.display_name().to_string();
    let primary = source.clamp(span);
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
        .clone()
        .unwrap_or_else(|| default_label(d.severity).to_string());
    let mut report = Report::build(
        ReportKind::Custom(&head, kind_color(d.severity)),
        (name.clone(), primary.start..primary.end),
    )
    .with_config(config)
    .with_message(&d.message)
    .with_label(
        Label::new((name.clone(), primary.start..primary.end))
            .with_message(primary_label)
            .with_color(kind_color(d.severity))
            .with_order(0),
    );
    for (i, label) in d.labels.iter().enumerate() {
        let s = source.clamp(label.span);
        report = report.with_label(
            Label::new((name.clone(), s.start..s.end))
                .with_message(&label.message)
                .with_color(Color::Blue)
                .with_order(i as i32 + 1),
        );
    }
    if let Some(help) = &d.help {
        report = report.with_help(help);
    }
    if let Some(note) = &d.note {
        report = report.with_note(note);
    }
    let mut buf = Vec::new();
    report
        .finish()
        .write(
            (name, ariadne::Source::from(source.text.as_str())),
            &mut buf,
        )
        .ok()?;
    String::from_utf8(buf).ok()
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
