//! SARIF 2.1.0: one run whose tool lists every code of the registry as a rule, for code-scanning
//! uploads. Columns, `charOffset` and `charLength` are all counted in Unicode code points, as the
//! run's `columnKind: unicodeCodePoints` declares (the JSON format's `span` stays in bytes).
//!
//! The log is built from serde-sarif's typed structs (generated from the OASIS schema), so a
//! misspelt key or a property at the wrong level does not compile. A file is referenced by `uri`.
//! A text with no file (an inline formula, one ARN) is an artifact of the run holding the text in
//! `contents.text`, referenced by `index`: a physical location needs an artifact location, and its
//! regions then have a text they point into. An option's value (`--set`) gets no location at all.

use serde_json::Value;
use serde_sarif::sarif::{
    Artifact, ArtifactContent, ArtifactLocation, Location, Message, MultiformatMessageString,
    PhysicalLocation, Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult,
    ResultColumnKind, ResultLevel, Run, Sarif, Tool, ToolComponent, Version,
};

use super::{Located, Source};

/// The schema's current home (serde-sarif still names the older azurewebsites address).
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
use crate::codes::CODES;
use crate::{Severity, Span};

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

/// An enum of the schema as the JSON value serde-sarif's generated fields hold.
fn value(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).expect("a unit enum serializes")
}

fn text(s: impl Into<String>) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s.into()).build()
}

fn region(source: &Source, span: Span) -> Region {
    let span = source.clamp(span);
    let (start_line, start_column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.end);
    // `clamp` put both ends on char boundaries, so these slices cannot panic.
    let char_offset = source.text[..span.start].chars().count();
    let char_length = source.text[span.start..span.end].chars().count();
    let region = Region::builder()
        .start_line(start_line as i64)
        .start_column(start_column as i64)
        .end_line(end_line as i64)
        .end_column(end_column as i64);
    if source.is_window() {
        // Offsets into a window are no offsets into the file: lines and columns only.
        region.build()
    } else {
        region
            .char_offset(char_offset as i64)
            .char_length(char_length as i64)
            .build()
    }
}

/// A path as a URI (RFC 3986): `/` separators, and every byte outside the unreserved and path
/// characters percent-encoded, so a space or `#` in a file name stays part of the path. A relative
/// path stays a relative reference (resolved against the checkout, as code scanning expects); an
/// absolute one becomes a `file://` URI, since a reference beginning with `/` cannot be combined
/// with a base (the Multitool's SARIF1004 error).
fn uri(path: &str) -> String {
    let path = if cfg!(windows) {
        path.replace('\\', "/")
    } else {
        path.to_owned()
    };
    let absolute = path.starts_with('/');
    let windows_drive = path.len() >= 2
        && path.as_bytes()[0].is_ascii_alphabetic()
        && path.as_bytes()[1] == b':'
        && path[2..].starts_with('/');
    let first_slash = path.find('/');
    let mut out = String::with_capacity(path.len() + 8);
    if absolute {
        out.push_str("file://");
    } else if windows_drive {
        out.push_str("file:///");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
        // A `:` before the first `/` would read as a scheme (unless it is a drive's, under
        // `file:///`); elsewhere it is a path character.
        let keep = keep || (b == b':' && (windows_drive || first_slash.is_some_and(|s| s < i)));
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URI of a text with no file: its human name (`<formula>`, `<arn 2>`) as a relative
/// reference. The Multitool (5.7.0) needs a `uri` on every artifact location once the run has
/// artifacts with contents (SARIF2010 fails with an exception without one), and a relative name
/// that is no file's keeps code scanning uploads valid while naming no real path: `<` and `>`
/// cannot appear in a Windows file name and are rare anywhere.
fn inline_uri(source: &Source) -> String {
    uri(source.display_name())
}

/// The artifacts of the run: one per distinct pathless, placeable source, each holding its text.
struct Artifacts<'a> {
    sources: Vec<&'a Source>,
}

impl<'a> Artifacts<'a> {
    fn of(items: &[Located<'a>]) -> Self {
        let mut sources: Vec<&'a Source> = Vec::new();
        for item in items {
            let s = item.source;
            if s.path.is_none() && s.is_placeable() && !sources.iter().any(|k| std::ptr::eq(*k, s))
            {
                sources.push(s);
            }
        }
        Artifacts { sources }
    }

    fn location(&self, source: &Source) -> Option<ArtifactLocation> {
        if let Some(path) = &source.path {
            return Some(ArtifactLocation::builder().uri(uri(path)).build());
        }
        let index = self.sources.iter().position(|k| std::ptr::eq(*k, source))?;
        Some(
            ArtifactLocation::builder()
                .uri(inline_uri(source))
                .index(index as i64)
                .build(),
        )
    }

    fn artifacts(&self) -> Vec<Artifact> {
        self.sources
            .iter()
            .map(|s| {
                Artifact::builder()
                    .location(ArtifactLocation::builder().uri(inline_uri(s)).build())
                    .contents(ArtifactContent::builder().text(s.text.clone()).build())
                    .description(Message::builder().text(s.display_name()).build())
                    .length(s.text.len() as i64)
                    .build()
            })
            .collect()
    }
}

fn location(
    artifacts: &Artifacts<'_>,
    source: &Source,
    span: Option<Span>,
    message: Option<&str>,
    id: Option<usize>,
) -> Option<Location> {
    let artifact = artifacts.location(source)?;
    let physical = match span {
        Some(span) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(region(source, span))
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    let mut loc = Location::builder().physical_location(physical).build();
    loc.message = message.map(Message::from);
    loc.id = id.map(|i| i as i64);
    Some(loc)
}

fn rules() -> Vec<ReportingDescriptor> {
    CODES
        .iter()
        .map(|c| {
            ReportingDescriptor::builder()
                .id(c.id)
                .name(c.name)
                .short_description(text(c.summary))
                .full_description(text(c.explanation))
                .help(text(format!(
                    "{}\nRun `samlfx explain {}` for an example and its fix.",
                    c.explanation, c.id
                )))
                .default_configuration(
                    ReportingConfiguration::builder()
                        .level(value(level(c.severity)))
                        .build(),
                )
                .build()
        })
        .collect()
}

fn result(artifacts: &Artifacts<'_>, item: &Located<'_>) -> SarifResult {
    let d = item.diagnostic;
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    for note in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    let mut r = SarifResult::builder()
        .rule_id(d.code.as_str())
        .rule_index(d.code as i64)
        .level(level(d.severity))
        .message(Message::from(&message))
        .build();
    // An option's value (`--set`) is no artifact: such a result has no location at all, and a
    // file with no span is located at the file.
    r.locations = location(artifacts, item.source, d.span, None, None).map(|l| vec![l]);
    let related: Vec<Location> = d
        .labels
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            location(
                artifacts,
                item.source,
                Some(l.span),
                Some(&l.message),
                Some(i),
            )
        })
        .collect();
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    r
}

/// The SARIF log.
pub fn log(items: &[Located<'_>]) -> Sarif {
    let artifacts = Artifacts::of(items);
    let driver = ToolComponent::builder()
        .name("samlfx")
        .version(env!("CARGO_PKG_VERSION"))
        .information_uri("https://github.com/samlfx/samlfx")
        .rules(rules())
        .build();
    let mut run = Run::builder()
        .tool(Tool::from(driver))
        .column_kind(value(ResultColumnKind::UnicodeCodePoints))
        .results(
            items
                .iter()
                .map(|i| result(&artifacts, i))
                .collect::<Vec<_>>(),
        )
        .build();
    let list = artifacts.artifacts();
    if !list.is_empty() {
        run.artifacts = Some(list);
    }
    Sarif::builder()
        .schema(SCHEMA)
        .version(value(Version::V2_1_0))
        .runs(vec![run])
        .build()
}

/// The SARIF log, pretty-printed, with a final newline.
pub fn render(items: &[Located<'_>]) -> String {
    let mut s = serde_json::to_string_pretty(&log(items)).expect("plain data serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Code, Diagnostic};

    #[test]
    fn inline_texts_are_artifacts_files_are_uris_options_have_no_location() {
        let formula = Source::inline("'a' & 1");
        let file = Source::file("dir/f.formula", "1 & 'b'");
        let option = Source::option("--set", "$User.Alias=x");
        let d = Diagnostic::new(Code::WrongArgumentType, "m")
            .at(Span::new(6, 7))
            .with_label(Span::new(0, 3), "this is Text");
        let items = [
            Located {
                source: &formula,
                diagnostic: &d,
            },
            Located {
                source: &file,
                diagnostic: &d,
            },
            Located {
                source: &option,
                diagnostic: &d,
            },
            Located {
                source: &formula,
                diagnostic: &d,
            },
        ];
        let log = serde_json::to_value(log(&items)).unwrap();
        let run = &log["runs"][0];
        let artifacts = run["artifacts"].as_array().unwrap();
        assert_eq!(artifacts.len(), 1, "one artifact per inline source: {run}");
        assert_eq!(artifacts[0]["contents"]["text"], "'a' & 1");
        let r = &run["results"];
        let inline = &r[0]["locations"][0]["physicalLocation"];
        assert_eq!(inline["artifactLocation"]["index"], 0);
        assert_eq!(inline["artifactLocation"]["uri"], "%3Cformula%3E");
        assert_eq!(inline["region"]["startColumn"], 7);
        let related = &r[0]["relatedLocations"][0];
        assert_eq!(related["physicalLocation"]["artifactLocation"]["index"], 0);
        assert_eq!(related["message"]["text"], "this is Text");
        let in_file = &r[1]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(*in_file, serde_json::json!({"uri": "dir/f.formula"}));
        assert!(r[2].get("locations").is_none() && r[2].get("relatedLocations").is_none());
        assert_eq!(r[3]["locations"], r[0]["locations"]);
    }

    #[test]
    fn paths_are_uri_references() {
        assert_eq!(uri("app/a b#1.xml"), "app/a%20b%231.xml");
        assert_eq!(uri("/abs/ok-_.~"), "file:///abs/ok-_.~");
        assert_eq!(uri("C:/x y"), "file:///C:/x%20y");
        assert_eq!(uri("<arn 2>"), "%3Carn%202%3E");
        assert_eq!(uri("c:x"), "c%3Ax");
        assert_eq!(uri("d/c:x"), "d/c:x");
        assert_eq!(uri("é"), "%C3%A9");
    }
}
