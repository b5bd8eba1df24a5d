//! SARIF 2.1.0: one run whose tool lists every code of the registry as a rule, for code-scanning
//! uploads. Columns, `charOffset` and `charLength` are all counted in Unicode code points, as the
//! run's `columnKind: unicodeCodePoints` declares (the JSON format's `span` stays in bytes).

use serde_json::{Value, json};

use super::{Located, Source};
use crate::codes::CODES;
use crate::{Severity, Span};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(source: &Source, span: Span) -> Value {
    let span = source.clamp(span);
    let (start_line, start_column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.end);
    // `clamp` put both ends on char boundaries, so these slices cannot panic.
    let char_offset = source.text[..span.start].chars().count();
    let char_length = source.text[span.start..span.end].chars().count();
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": char_offset,
        "charLength": char_length,
    })
}

fn location(source: &Source, span: Option<Span>, message: Option<&str>) -> Value {
    let mut physical = serde_json::Map::new();
    if let Some(path) = &source.path {
        physical.insert("artifactLocation".into(), json!({ "uri": path }));
    }
    if let Some(span) = span {
        physical.insert("region".into(), region(source, span));
    }
    let mut loc = serde_json::Map::new();
    loc.insert("physicalLocation".into(), Value::Object(physical));
    if let Some(m) = message {
        loc.insert("message".into(), json!({ "text": m }));
    }
    Value::Object(loc)
}

fn rules() -> Vec<Value> {
    CODES
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "shortDescription": { "text": c.summary },
                "fullDescription": { "text": c.explanation },
                "help": { "text": format!("{}\nRun `samlfx explain {}` for an example and its fix.", c.explanation, c.id) },
                "defaultConfiguration": { "level": level(c.severity) },
            })
        })
        .collect()
}

fn result(item: &Located<'_>) -> Value {
    let d = item.diagnostic;
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(note) = &d.note {
        text.push_str("\nnote: ");
        text.push_str(note);
    }
    let mut r = json!({
        "ruleId": d.code.as_str(),
        "ruleIndex": d.code as usize,
        "level": level(d.severity),
        "message": { "text": text },
    });
    // An option's value (`--set`) is no artifact: such a result has no location at all.
    let placeable = item.source.is_placeable();
    let has_place = placeable && (item.source.path.is_some() || d.span.is_some());
    if has_place {
        r["locations"] = json!([location(item.source, d.span, None)]);
    }
    if placeable && !d.labels.is_empty() {
        r["relatedLocations"] = Value::Array(
            d.labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let mut loc = location(item.source, Some(l.span), Some(&l.message));
                    loc["id"] = json!(i);
                    loc
                })
                .collect(),
        );
    }
    r
}

/// The SARIF log as JSON.
pub fn log(items: &[Located<'_>]) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "samlfx",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/samlfx/samlfx",
                "rules": rules(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": items.iter().map(result).collect::<Vec<_>>(),
        }],
    })
}

/// The SARIF log, pretty-printed, with a final newline.
pub fn render(items: &[Located<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&log(items)).expect("plain data serializes");
    s.push('\n');
    s
}
