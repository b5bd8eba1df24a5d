//! `samlfx audit APP --users FILE`: every user of an org export through the app's formulas and
//! AWS's rules, and the RoleSessionName values users share; `--print-query` prints the SOQL that
//! exports exactly what the formulas read.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::output::{self, ColorChoice, Exit};
use samlfx_app::lint;
use samlfx_app::{Content, Loaded};
use samlfx_audit::collisions::Collision;
use samlfx_audit::engine::{self, AuditOptions};
use samlfx_audit::{Audit, Outcome, Totals, input, query};
use samlfx_aws::profile::Profile;
use samlfx_diag::render::{Format, Source};
use samlfx_diag::{Code, Diagnostic, Report};
use samlfx_formula::id::IdLength;
use samlfx_formula::runtime::{Context, ContextOptions};

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The app: anything `samlfx check` reads (samlfx.toml, a ConnectedApp or External Client
    /// App file, or a directory holding one).
    #[arg(value_name = "APP")]
    pub app: PathBuf,
    /// The users: the CSV of `sf data export bulk --result-format csv` or the JSON of
    /// `sf data query --json`, gzip-compressed or not; `-` reads stdin.
    #[arg(long, value_name = "FILE", required_unless_present = "print_query")]
    pub users: Option<String>,
    /// Print the SOQL that exports exactly the User fields the formulas read, and exit.
    #[arg(long, conflicts_with = "users")]
    pub print_query: bool,
    /// A context JSON file with `$Organization` (as `samlfx eval --context` reads it).
    #[arg(long, value_name = "FILE.json")]
    pub org: Option<String>,
    /// Which attribute rules run; by default the app file's own `profile`, else chosen from its
    /// attributes.
    #[arg(long, value_name = "PROFILE", value_parser = super::eval::parse_profile)]
    pub profile: Option<Profile>,
    /// How to write the report: a summary on stderr, the JSON envelope or CSV of findings on stdout.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,
    /// List at most N failing users (and N unreadable rows); counts stay complete. Default: 20
    /// for human output, all for json and csv.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Threads evaluating users. Default: all cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Whether Id fields read as 15 or 18 characters.
    #[arg(long, value_name = "15|18", default_value = "15", value_parser = super::eval::parse_id_length)]
    pub id_length: IdLength,
}

/// `audit --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// A summary and the findings, on stderr.
    #[default]
    Human,
    /// The audit JSON envelope of DESIGN.md, on stdout.
    Json,
    /// One row per user and finding, on stdout.
    Csv,
}

pub fn run(args: &AuditArgs, color: ColorChoice) -> Exit {
    match run_inner(args, color) {
        Ok(exit) | Err(exit) => exit,
    }
}

/// Renders file-level diagnostics about `name` in the chosen format and returns status 2.
fn input_error(
    args: &AuditArgs,
    color: ColorChoice,
    name: &str,
    diagnostics: Vec<Diagnostic>,
) -> Exit {
    let totals = Totals {
        diagnostics,
        fatal: true,
        ..Totals::default()
    };
    let report = Reported::new(args, name);
    report.finish(args, color, &totals, &[]);
    Exit::Usage
}

fn run_inner(args: &AuditArgs, color: ColorChoice) -> Result<Exit, Exit> {
    let loaded: Vec<Loaded> = samlfx_app::load(&args.app);
    if loaded.iter().any(Loaded::input_failed) {
        let mut report = Report::new();
        for l in &loaded {
            report.add(l.source.clone(), l.diagnostics.clone());
        }
        emit_report(args, color, &report);
        return Err(Exit::Usage);
    }
    let Some((file, app)) = loaded.iter().find_map(|l| match &l.content {
        Some(Content::App(app)) if !app.attributes.is_empty() => Some((l, &**app)),
        _ => None,
    }) else {
        return Err(output::usage_error(&format!(
            "{} defines no SAML app with custom attributes to audit",
            args.app.display()
        )));
    };
    let formulas: Vec<&str> = app.attributes.iter().map(|a| a.formula.as_str()).collect();
    if args.print_query {
        output::out(&format!("{}\n", query::soql(&query::columns(formulas))));
        return Ok(Exit::Ok);
    }
    let schema = engine::schema_for(&app.schema(), formulas.iter().copied());
    let profile = args
        .profile
        .or(app.profile.as_ref().map(|p| p.value))
        .unwrap_or_else(|| lint::choose_profile(&[app], 0));

    // The formulas compiled once; one that does not compile is reported where it is written.
    let mut programs = Vec::new();
    let mut broken = Vec::new();
    for attr in &app.attributes {
        let compiled = engine::compile(attr.formula.as_str(), &schema);
        match compiled.program {
            Some(p) => programs.push((attr.key.value.clone(), attr.formula.value.clone(), p)),
            None => broken.extend(
                compiled
                    .diagnostics
                    .into_iter()
                    .map(|d| attr.formula.locate(d)),
            ),
        }
    }
    if !broken.is_empty() {
        let mut report = Report::new();
        report.add(file.source.clone(), broken);
        emit_report(args, color, &report);
        output::err("error: the app's formulas do not compile; `samlfx check` explains them\n");
        return Err(Exit::Findings);
    }

    let opts = ContextOptions {
        id_length: args.id_length,
    };
    let base = match &args.org {
        None => Context::new_with_schema(opts, schema),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                let d = Diagnostic::new(
                    Code::UnreadableUserFile,
                    format!("cannot read `{path}`: {e}"),
                )
                .with_help(
                    "--org names a context JSON file: {\"$Organization\": {\"Id\": \"00D…\"}}",
                );
                input_error(args, color, path, vec![d])
            })?;
            Context::from_json_with_schema(&text, opts, schema).map_err(|diags| {
                let mut report = Report::new();
                report.add(Source::file(path.clone(), text.clone()), diags);
                emit_report(args, color, &report);
                Exit::Usage
            })?
        }
    };
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        usize::from,
    );
    let audit = Audit::new(
        programs,
        base,
        AuditOptions {
            profile,
            id_length: args.id_length,
            jobs,
        },
    );

    let path = args.users.as_deref().unwrap_or("-");
    let opened = input::open(path).map_err(|d| input_error(args, color, path, vec![d]))?;
    let progress = Progress::new(args, &opened);
    let mut reported = Reported::new(args, path);
    let keys: Vec<String> = audit.keys().iter().map(|k| (*k).to_owned()).collect();
    let mut csv_out = (args.format == AuditFormat::Csv).then(|| {
        let mut w = csv::Writer::from_writer(std::io::stdout().lock());
        let _ = w.write_record([
            "line",
            "Id",
            "Username",
            "attribute",
            "code",
            "severity",
            "value",
            "message",
        ]);
        w
    });
    let totals = audit.run_observed(
        opened,
        path,
        &mut |o| {
            if let Some(w) = &mut csv_out {
                for f in &o.findings {
                    let _ = w.write_record([
                        o.line.to_string().as_str(),
                        &o.id,
                        &o.username,
                        &keys[f.attribute],
                        f.diagnostic.code.as_str(),
                        f.diagnostic.severity.as_str(),
                        f.value.as_deref().unwrap_or(""),
                        &f.diagnostic.message,
                    ]);
                }
            }
            reported.take(o);
        },
        &mut || progress.tick(),
    );
    progress.finish();
    if let Some(mut w) = csv_out {
        let _ = w.flush();
    }
    reported.finish(args, color, &totals, &keys);
    Ok(if totals.fatal {
        Exit::Usage
    } else if totals.failing > 0
        || (profile == Profile::AmazonConnect && !totals.collisions.is_empty())
    {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn emit_report(args: &AuditArgs, color: ColorChoice, report: &Report) {
    match args.format {
        AuditFormat::Json => output::out(&report.render(Format::Json, &color.human_options())),
        _ => output::err(&report.render(Format::Human, &color.human_options())),
    }
}

/// A progress bar on stderr, only for human output to a terminal and a file over 16 MB.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    consumed: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Progress {
    fn new(args: &AuditArgs, opened: &input::Opened) -> Progress {
        const LARGE: u64 = 16 << 20;
        let show = args.format == AuditFormat::Human
            && std::io::stderr().is_terminal()
            && opened.size.is_some_and(|s| s > LARGE);
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new(opened.size.unwrap_or(0));
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} auditing {bytes}/{total_bytes} [{bar:30}] {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress {
            bar,
            consumed: opened.consumed.clone(),
        }
    }

    fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.consumed.load(std::sync::atomic::Ordering::Relaxed));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A user as the report names them.
#[derive(Clone, Debug, Serialize)]
struct JsonUser {
    #[serde(rename = "Id")]
    id: String,
    #[serde(rename = "Username")]
    username: String,
}

#[derive(Clone, Debug, Serialize)]
struct JsonFinding {
    code: &'static str,
    severity: &'static str,
    attribute: String,
    value: Option<String>,
    message: String,
}

#[derive(Clone, Debug, Serialize)]
struct JsonFailure {
    line: u64,
    user: JsonUser,
    findings: Vec<JsonFinding>,
}

/// A file-level problem or an unreadable row; `line` is null for the file as a whole.
#[derive(Clone, Debug, Serialize)]
struct JsonDiag {
    code: &'static str,
    severity: &'static str,
    message: String,
    file: String,
    line: Option<u64>,
    help: Option<String>,
}

#[derive(Serialize)]
struct JsonSummary {
    users: u64,
    evaluated: u64,
    unreadable: u64,
    failing: u64,
    inactive: u64,
    by_code: BTreeMap<&'static str, u64>,
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    summary: JsonSummary,
    failures: &'a [JsonFailure],
    collisions: &'a [Collision],
    diagnostics: Vec<JsonDiag>,
}

/// What the report keeps while users stream past: the listed failures and unreadable rows (up
/// to `--limit`) and three example users per code.
struct Reported {
    path: String,
    limit: usize,
    failures: Vec<(Outcome, bool)>,
    unreadable: Vec<(u64, Diagnostic)>,
    examples: BTreeMap<Code, Vec<(u64, String, String)>>,
    /// Users with at least one finding (of any severity).
    with_findings: u64,
}

impl Reported {
    fn new(args: &AuditArgs, path: &str) -> Reported {
        let default = match args.format {
            AuditFormat::Human => 20,
            _ => usize::MAX,
        };
        Reported {
            path: path.to_owned(),
            limit: args.limit.unwrap_or(default),
            failures: Vec::new(),
            unreadable: Vec::new(),
            examples: BTreeMap::new(),
            with_findings: 0,
        }
    }

    fn take(&mut self, o: &Outcome) {
        if let Some(d) = &o.unreadable {
            if self.unreadable.len() < self.limit {
                self.unreadable.push((o.line, d.clone()));
            }
            return;
        }
        if o.findings.is_empty() {
            return;
        }
        self.with_findings += 1;
        for f in &o.findings {
            let ex = self.examples.entry(f.diagnostic.code).or_default();
            if ex.len() < 3 && !ex.iter().any(|(l, _, _)| *l == o.line) {
                ex.push((o.line, o.id.clone(), o.username.clone()));
            }
        }
        if self.failures.len() < self.limit {
            self.failures.push((o.clone(), o.fails()));
        }
    }

    fn finish(&self, args: &AuditArgs, color: ColorChoice, totals: &Totals, keys: &[String]) {
        match args.format {
            AuditFormat::Json => output::out(&self.json(totals, keys)),
            AuditFormat::Human => output::err(&self.human(totals, keys, color)),
            AuditFormat::Csv => {
                // The CSV holds findings only; file-level problems go to stderr as for human.
                if !totals.diagnostics.is_empty() || !self.unreadable.is_empty() {
                    output::err(&self.problems(totals, color));
                }
            }
        }
    }

    fn json_diags(&self, totals: &Totals) -> Vec<JsonDiag> {
        let file_level = totals.diagnostics.iter().map(|d| (None, d));
        let rows = self.unreadable.iter().map(|(l, d)| (Some(*l), d));
        file_level
            .chain(rows)
            .map(|(line, d)| JsonDiag {
                code: d.code.as_str(),
                severity: d.severity.as_str(),
                message: d.message.clone(),
                file: self.path.clone(),
                line,
                help: d.help.clone(),
            })
            .collect()
    }

    fn json(&self, totals: &Totals, keys: &[String]) -> String {
        let failures: Vec<JsonFailure> = self
            .failures
            .iter()
            .map(|(o, _)| JsonFailure {
                line: o.line,
                user: JsonUser {
                    id: o.id.clone(),
                    username: o.username.clone(),
                },
                findings: o
                    .findings
                    .iter()
                    .map(|f| JsonFinding {
                        code: f.diagnostic.code.as_str(),
                        severity: f.diagnostic.severity.as_str(),
                        attribute: keys[f.attribute].clone(),
                        value: f.value.clone(),
                        message: f.diagnostic.message.clone(),
                    })
                    .collect(),
            })
            .collect();
        let doc = JsonAudit {
            version: 1,
            summary: JsonSummary {
                users: totals.users,
                evaluated: totals.evaluated,
                unreadable: totals.unreadable,
                failing: totals.failing,
                inactive: totals.inactive,
                by_code: totals
                    .by_code
                    .iter()
                    .map(|(c, n)| (c.as_str(), *n))
                    .collect(),
            },
            failures: &failures,
            collisions: &totals.collisions,
            diagnostics: self.json_diags(totals),
        };
        let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
        s.push('\n');
        s
    }

    /// File-level problems and unreadable rows, rendered like every samlfx diagnostic.
    fn problems(&self, totals: &Totals, color: ColorChoice) -> String {
        let mut report = Report::new();
        let diags = totals
            .diagnostics
            .iter()
            .chain(self.unreadable.iter().map(|(_, d)| d))
            .cloned();
        report.add(Source::named(self.path.clone(), ""), diags);
        report.render(Format::Human, &color.human_options())
    }

    fn human(&self, totals: &Totals, keys: &[String], color: ColorChoice) -> String {
        use std::fmt::Write;
        let mut s = String::new();
        if totals.fatal {
            return self.problems(totals, color);
        }
        let short = |k: &str| k.rsplit('/').next().unwrap_or(k).to_owned();
        let _ = writeln!(s, "audit of {}", self.path);
        let _ = writeln!(s, "  users read  {:>9}", totals.users);
        let _ = writeln!(s, "  evaluated   {:>9}", totals.evaluated);
        let _ = writeln!(s, "  unreadable  {:>9}", totals.unreadable);
        let _ = writeln!(s, "  failing     {:>9}", totals.failing);
        let _ = writeln!(
            s,
            "  inactive    {:>9}  (not checked: they cannot sign in)",
            totals.inactive
        );
        let _ = writeln!(s, "  collisions  {:>9}", totals.collisions.len());
        if !totals.by_code.is_empty() {
            let _ = writeln!(s, "\nby code:");
            for (code, n) in &totals.by_code {
                let info = code.info();
                let _ = writeln!(
                    s,
                    "  {} {:<8} {:>7} user{}  {}",
                    info.id,
                    info.severity.as_str(),
                    n,
                    if *n == 1 { " " } else { "s" },
                    info.summary
                );
                for (line, id, user) in self.examples.get(code).into_iter().flatten() {
                    let _ = writeln!(s, "      e.g. {id} {user} (line {line})");
                }
            }
        }
        if !self.failures.is_empty() {
            let _ = writeln!(
                s,
                "\nfindings ({} of {} users with findings listed):",
                self.failures.len(),
                self.with_findings
            );
            for (o, _) in &self.failures {
                let _ = writeln!(s, "  line {}: {} {}", o.line, o.id, o.username);
                for f in &o.findings {
                    let value = f
                        .value
                        .as_deref()
                        .map_or_else(String::new, |v| format!(" = `{v}`"));
                    let _ = writeln!(
                        s,
                        "    {}[{}] {}{}: {}",
                        f.diagnostic.severity.as_str(),
                        f.diagnostic.code,
                        short(&keys[f.attribute]),
                        value,
                        f.diagnostic.message
                    );
                }
            }
        }
        if !totals.collisions.is_empty() {
            let _ = writeln!(s, "\ncollisions:");
            for c in &totals.collisions {
                let _ = writeln!(
                    s,
                    "  {} `{}` shared {}by:",
                    short(&c.attribute),
                    c.value,
                    if c.case_insensitive {
                        "ignoring case "
                    } else {
                        ""
                    }
                );
                for u in &c.users {
                    let _ = writeln!(s, "    {} {} (line {})", u.id, u.username, u.line);
                }
            }
        }
        if !totals.diagnostics.is_empty() || !self.unreadable.is_empty() {
            s.push('\n');
            s.push_str(&self.problems(totals, color));
        }
        s
    }
}
