//! `samlfx explain`: the registry entry of a diagnostic code, or the list of all codes.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::output::{self, Exit};
use crate::diag::Code;
use crate::diag::codes::{CODES, CodeInfo};

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code id (`F104`) or name (`wrong-argument-type`), case-insensitive.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code with its one-line summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
    /// `json` prints the same fields as an object (an array with --list).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text.
    Human,
    /// A JSON object.
    Json,
}

/// The JSON form of one registry entry.
#[derive(Serialize)]
struct CodeJson {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    explanation: &'static str,
    example: &'static str,
    fixed: &'static str,
}

impl From<&'static CodeInfo> for CodeJson {
    fn from(c: &'static CodeInfo) -> Self {
        CodeJson {
            code: c.id,
            name: c.name,
            severity: c.severity.as_str(),
            summary: c.summary,
            explanation: c.explanation,
            example: c.example,
            fixed: c.fixed,
        }
    }
}

pub fn run(args: &ExplainArgs) -> Exit {
    if args.list {
        match args.format {
            ExplainFormat::Json => {
                let all: Vec<CodeJson> = CODES.iter().map(CodeJson::from).collect();
                output::out(&to_json(&all));
            }
            ExplainFormat::Human => output::out(&list()),
        }
        return Exit::Ok;
    }
    let query = args.code.as_deref().unwrap_or_default();
    let Some(code) = Code::parse(query.trim()) else {
        let near = near_matches(query.trim());
        let mut msg = format!("unknown diagnostic code '{query}'");
        if !near.is_empty() {
            let names: Vec<String> = near
                .iter()
                .map(|c| format!("{} ({})", c.id, c.name))
                .collect();
            let _ = write!(msg, "\n  did you mean: {}", names.join(", "));
        }
        msg.push_str("\n  run `samlfx explain --list` to see every code");
        return output::usage_error(&msg);
    };
    let info = code.info();
    match args.format {
        ExplainFormat::Json => output::out(&to_json(&CodeJson::from(info))),
        ExplainFormat::Human => output::out(&explain(info)),
    }
    Exit::Ok
}

fn to_json(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("plain data serializes");
    s.push('\n');
    s
}

/// The human explanation of one code.
pub fn explain(c: &CodeInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", c.id, c.name, c.severity.as_str());
    let _ = writeln!(out, "\n{}\n", c.summary);
    let _ = writeln!(out, "{}\n", c.explanation);
    let _ = writeln!(out, "Example:\n    {}", display_example(c.example));
    if !c.fixed.is_empty() {
        let _ = writeln!(out, "Fixed:\n    {}", c.fixed);
    }
    out
}

fn display_example(example: &str) -> &str {
    if example.is_empty() {
        "(an empty formula)"
    } else {
        example
    }
}

/// One line per code: id, name, severity, summary.
pub fn list() -> String {
    let width = CODES.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in CODES {
        let _ = writeln!(
            out,
            "{}  {:width$}  {:7}  {}",
            c.id,
            c.name,
            c.severity.as_str(),
            c.summary
        );
    }
    out
}

/// Codes whose id or name is close to the query (edit distance, or the query as a substring).
fn near_matches(query: &str) -> Vec<&'static CodeInfo> {
    let q = query.to_ascii_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'static CodeInfo)> = CODES
        .iter()
        .filter_map(|c| {
            let id = c.id.to_ascii_lowercase();
            let d = edit_distance(&q, &id).min(edit_distance(&q, c.name));
            let close = d <= (q.len() / 3).max(1) || (q.len() >= 3 && c.name.contains(&q));
            close.then_some((d, c))
        })
        .collect();
    scored.sort_by_key(|(d, c)| (*d, c.code));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_matches_find_typos_and_fragments() {
        let ids = |q| near_matches(q).iter().map(|c| c.id).collect::<Vec<_>>();
        assert_eq!(ids("F10A")[0], "F101");
        assert!(ids("wrong-argument-typ").contains(&"F104"));
        assert!(ids("curly").contains(&"F007"));
        assert!(ids("zzzzzzzzzz").is_empty());
    }

    #[test]
    fn explanation_names_code_and_fix() {
        let text = explain(Code::WrongArgumentType.info());
        assert!(text.starts_with("F104 wrong-argument-type (error)\n"));
        assert!(text.contains("Fixed:\n    $User.Alias & '1'"));
    }
}
