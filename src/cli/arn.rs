//! `samlfx arn`: parse and validate ARNs; print their parts and what is wrong with them.
//!
//! Each ARN is its own inline source: human diagnostics name it `<arn>` (`<arn 2>` among
//! several), and in JSON every diagnostic carries `arn`, the index of its ARN in `arns`.

use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;
use serde::ser::SerializeMap;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_aws::arn::{self, Checked};
use samlfx_diag::Report;
use samlfx_diag::render::json::{self, JsonDiagnostic};
use samlfx_diag::render::window::{shorten, visible};
use samlfx_diag::render::{self, Format, Located, Source, Summary};

#[derive(Debug, Args)]
pub struct ArnArgs {
    /// One or more ARNs, e.g. `arn:aws:iam::123456789012:role/Agent`.
    #[arg(required = true, value_name = "ARN")]
    pub arns: Vec<String>,
    /// How to write the parts and the diagnostics.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// The `arn --format json` object.
#[derive(Serialize)]
struct JsonOut<'a> {
    version: u32,
    arns: Vec<ArnJson<'a>>,
    diagnostics: Vec<DiagnosticJson>,
    summary: Summary,
}

/// One ARN's parts; every part is null when the text is not an ARN at all.
#[derive(Serialize)]
struct ArnJson<'a> {
    arn: &'a str,
    valid: bool,
    partition: Option<&'a str>,
    service: Option<&'a str>,
    region: Option<&'a str>,
    account: Option<&'a str>,
    resource: Option<&'a str>,
    kind: Option<&'static str>,
    parts: Option<Parts<'a>>,
}

/// The kind-specific parts as an object, in the order `Arn::parts` gives them.
struct Parts<'a>(Vec<(&'static str, &'a str)>);

impl Serialize for Parts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A diagnostic of the JSON contract plus the index of the ARN its spans point into.
#[derive(Serialize)]
struct DiagnosticJson {
    #[serde(flatten)]
    diagnostic: JsonDiagnostic,
    arn: usize,
}

pub fn run(args: &ArnArgs, color: ColorChoice) -> Exit {
    let policy = match args.policy.severities() {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let several = args.arns.len() > 1;
    let checked: Vec<Checked<'_>> = args.arns.iter().map(|a| arn::check(a)).collect();
    // One source per ARN, in order, so a source's index is its ARN's.
    let mut report = Report::new();
    for (i, (text, c)) in args.arns.iter().zip(&checked).enumerate() {
        let name = if several {
            format!("<arn {}>", i + 1)
        } else {
            "<arn>".to_string()
        };
        report.add(Source::named(name, text.as_str()), c.diagnostics.clone());
    }
    report.apply(&policy);
    match Format::from(args.format) {
        Format::Human => {
            let opts = color.human_options();
            for (i, (id, _)) in report.sources().enumerate() {
                if i > 0 {
                    output::out("\n");
                }
                output::out(&describe(
                    &args.arns[i],
                    &checked[i],
                    &report.located_in(id),
                ));
                output::err(&render::human::render(&report.located_in(id), &opts));
            }
        }
        Format::Json => output::out(&to_json(&checked, &report)),
        format => output::out(&report.render(format, &color.human_options())),
    }
    args.policy.exit(&report)
}

/// Human output for one ARN: the text, whether it is valid, then one line per part.
/// The verdict counts the diagnostics left after the severity policy.
fn describe(text: &str, checked: &Checked<'_>, diagnostics: &[Located<'_>]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", shown(text));
    let summary = Summary::of(diagnostics.iter().map(|l| l.diagnostic));
    let verdict = match (&checked.arn, summary.errors, summary.warnings) {
        (None, _, _) => "no: not an ARN".to_string(),
        (Some(_), 0, 0) => "yes".to_string(),
        (Some(_), 0, w) => format!("yes, with {}", count(w, "warning")),
        (Some(_), e, _) => format!("no: {}", count(e, "error")),
    };
    let _ = writeln!(out, "  {:<10} {verdict}", "valid");
    let Some(arn) = &checked.arn else {
        return out;
    };
    let mut rows = vec![
        ("partition", arn.partition.text),
        ("service", arn.service.text),
        ("region", arn.region.text),
        ("account", arn.account.text),
        ("resource", arn.resource.text),
        ("kind", arn.kind_name()),
    ];
    rows.extend(arn.parts().into_iter().map(|(k, p)| (k, p.text)));
    for (key, value) in rows {
        let value = if value.is_empty() {
            "(empty)".into()
        } else {
            shown(value)
        };
        let _ = writeln!(out, "  {key:<10} {value}");
    }
    out
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// A text as printed on one terminal line: hidden characters as `�`, line breaks and tabs
/// escaped, and cut in the middle when very long.
fn shown(s: &str) -> String {
    let s = shorten(s, 300);
    visible(&s)
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn to_json(checked: &[Checked<'_>], report: &Report) -> String {
    let arns = checked
        .iter()
        .zip(report.sources())
        .map(|(c, (id, source))| {
            let a = c.arn.as_ref();
            ArnJson {
                arn: &source.text,
                // As the human verdict: judged on the diagnostics left after the policy.
                valid: a.is_some()
                    && !report
                        .located_in(id)
                        .iter()
                        .any(|l| l.diagnostic.is_error()),
                partition: a.map(|a| a.partition.text),
                service: a.map(|a| a.service.text),
                region: a.map(|a| a.region.text),
                account: a.map(|a| a.account.text),
                resource: a.map(|a| a.resource.text),
                kind: a.map(|a| a.kind_name()),
                parts: a.map(|a| Parts(a.parts().into_iter().map(|(k, p)| (k, p.text)).collect())),
            }
        })
        .collect();
    let out = JsonOut {
        version: json::VERSION,
        arns,
        diagnostics: report
            .sorted()
            .into_iter()
            .map(|(id, diagnostic)| DiagnosticJson {
                diagnostic: JsonDiagnostic::new(&Located {
                    source: report.source(id),
                    diagnostic,
                }),
                arn: id.index(),
            })
            .collect(),
        summary: report.summary(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("plain data serializes");
    s.push('\n');
    s
}
