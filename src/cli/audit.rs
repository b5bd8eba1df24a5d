//! `samlfx audit APP --users FILE`: every user of an org export through the app's formulas and
//! AWS's rules, and the RoleSessionName values users share; `--print-query` prints the SOQL that
//! exports exactly what the formulas read.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_app::lint;
use samlfx_app::{Content, Loaded};
use samlfx_audit::collisions::Collision;
use samlfx_audit::engine::{self, AuditOptions};
use samlfx_audit::{Audit, Outcome, Totals, input, query};
use samlfx_aws::profile::Profile;
use samlfx_diag::codes::CODES;
use samlfx_diag::render::{Format, Source};
use samlfx_diag::{Code, Diagnostic, Report, Severities, Severity, Span};
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
    /// Print the SOQL that exports exactly the User fields the formulas read (and, on a second
    /// line, the Organization fields they read, for `--org`), and exit.
    #[arg(long, conflicts_with = "users")]
    pub print_query: bool,
    /// The org's values: the JSON of `sf data query --json` on the Organization query that
    /// `--print-query` prints, or a context file with `$Organization`. Required when a formula
    /// reads `$Organization` (U009).
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
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// `audit --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// A summary and the findings, on stderr.
    #[default]
    Human,
    /// The audit's versioned JSON envelope (README, Machine formats), on stdout.
    Json,
    /// One row per user and finding, on stdout.
    Csv,
    /// SARIF 2.1.0 on stdout: every finding, unreadable row and collision as a result.
    Sarif,
    /// GitHub Actions workflow commands on stdout, one per finding, unreadable row and collision.
    Github,
}

impl AuditFormat {
    /// The format of diagnostics that are not about users (an app that does not load, a bad
    /// `--org`): CSV has none, so they are written as for human output.
    fn diagnostics(self) -> Format {
        match self {
            AuditFormat::Human | AuditFormat::Csv => Format::Human,
            AuditFormat::Json => Format::Json,
            AuditFormat::Sarif => Format::Sarif,
            AuditFormat::Github => Format::Github,
        }
    }
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
    let report = Reported::new(args, name, Severities::new());
    report.finish(args, color, &totals, &[], false);
    Exit::Usage
}

/// The command line's `--allow`/`--warn`/`--deny` over the app's `[severity]` table.
fn policy(args: &AuditArgs, app: &Severities) -> Result<Severities, Exit> {
    let cli = args.policy.severities()?;
    let mut policy = Severities::new();
    for info in CODES {
        if let Some(o) = cli.get(info.code).or_else(|| app.get(info.code)) {
            policy.set(info.code, o);
        }
    }
    Ok(policy)
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
    let policy = policy(args, &app.severities)?;
    let formulas: Vec<&str> = app.attributes.iter().map(|a| a.formula.as_str()).collect();
    if args.print_query {
        output::out(&format!(
            "{}\n",
            query::soql(&query::columns(formulas.iter().copied()))
        ));
        // The org's values come from their own query, for `--org`.
        if let Some(org) = query::organization_soql(formulas.iter().copied()) {
            output::out(&format!("{org}\n"));
        }
        return Ok(Exit::Ok);
    }
    if args.org.is_none() {
        let missing: Vec<Diagnostic> = app
            .attributes
            .iter()
            .filter_map(|a| {
                query::organization_needed(a.formula.as_str()).map(|d| a.formula.locate(d))
            })
            .collect();
        if !missing.is_empty() {
            let mut report = Report::new();
            report.add(file.source.clone(), missing);
            emit_report(args, color, &report);
            return Err(Exit::Usage);
        }
    }
    let schema = engine::schema_for(&app.schema(), formulas.iter().copied());
    let profile = args.profile.unwrap_or_else(|| lint::app_profile(app, &[]));

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
            // Bounded like every context file (16 MiB), UTF-8 checked.
            let source = samlfx_formula::input::read_file_as(
                samlfx_formula::input::Kind::Context,
                "the org file",
                path,
            )
            .map_err(|u| {
                let (_, d) = *u;
                input_error(args, color, path, vec![d])
            })?;
            let text = source.text;
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
    )
    .with_policy(policy.clone());

    let path = args.users.as_deref().unwrap_or("-");
    let opened = input::open(path).map_err(|d| input_error(args, color, path, vec![d]))?;
    let progress = Progress::new(args, &opened);
    let mut reported = Reported::new(args, path, policy);
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
    let connect = profile == Profile::AmazonConnect;
    let totals = reported.judge(totals, connect);
    reported.finish(args, color, &totals, &keys, connect);
    Ok(if totals.fatal {
        Exit::Usage
    } else if reported.worst.is_some_and(|w| w >= args.policy.fail_on()) {
        Exit::Findings
    } else {
        Exit::Ok
    })
}

fn emit_report(args: &AuditArgs, color: ColorChoice, report: &Report) {
    let format = args.format.diagnostics();
    let rendered = report.render(format, &color.human_options());
    if format == Format::Human {
        output::err(&rendered);
    } else {
        output::out(&rendered);
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
    /// `--allow`/`--warn`/`--deny` with the app's `[severity]`, for what the engine leaves to
    /// the report: unreadable rows, file-level problems, collisions.
    policy: Severities,
    /// The highest severity of anything reported: with `--fail-on`, the exit status.
    worst: Option<Severity>,
}

impl Reported {
    fn new(args: &AuditArgs, path: &str, policy: Severities) -> Reported {
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
            policy,
            worst: None,
        }
    }

    fn saw(&mut self, severity: Severity) {
        self.worst = self.worst.max(Some(severity));
    }

    fn take(&mut self, o: &Outcome) {
        if let Some(d) = &o.unreadable {
            // An allowed row problem is not listed; the row still counts as unreadable.
            if let Some(d) = self.policy.apply(d.clone()) {
                self.saw(d.severity);
                if self.unreadable.len() < self.limit {
                    self.unreadable.push((o.line, d));
                }
            }
            return;
        }
        if o.findings.is_empty() {
            return;
        }
        self.with_findings += 1;
        for f in &o.findings {
            self.saw(f.diagnostic.severity);
        }
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

    /// The policy applied to the run's file-level problems and collisions (an input error that
    /// stopped the read is left as it is: it exits 2 whatever its severity), and the worst
    /// severity updated with them.
    fn judge(&mut self, mut totals: Totals, connect: bool) -> Totals {
        if totals.fatal {
            return totals;
        }
        totals.diagnostics = std::mem::take(&mut totals.diagnostics)
            .into_iter()
            .filter_map(|d| self.policy.apply(d))
            .collect();
        for d in &totals.diagnostics {
            self.saw(d.severity);
        }
        if let Some(c) = totals.collisions.first() {
            match self.policy.apply(c.to_diagnostic(connect)) {
                Some(d) => self.saw(d.severity),
                None => totals.collisions.clear(),
            }
        }
        totals
    }

    fn finish(
        &self,
        args: &AuditArgs,
        color: ColorChoice,
        totals: &Totals,
        keys: &[String],
        connect: bool,
    ) {
        match args.format {
            AuditFormat::Json => output::out(&self.json(totals, keys)),
            AuditFormat::Human => output::err(&self.human(totals, keys, color)),
            AuditFormat::Sarif | AuditFormat::Github => {
                let report = self.report(totals, keys, connect);
                let format = args.format.diagnostics();
                output::out(&report.render(format, &color.human_options()));
            }
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

    /// Everything the audit found as diagnostics of the users file, for SARIF and GitHub: the
    /// file-level problems, each listed user's findings and each unreadable row at the row's
    /// line (the message names the line and the user too; a finding's spans point into the
    /// value, not the file, so they are dropped), and the collisions.
    fn report(&self, totals: &Totals, keys: &[String], connect: bool) -> Report {
        let mut report = Report::new();
        let stdin = self.path == "-";
        let source = if stdin {
            Source::named("<stdin>", "")
        } else {
            Source::file(self.path.clone(), "")
        };
        let id = report.add_source(source);
        report.extend(id, totals.diagnostics.iter().cloned());
        // A row of a file is a place SARIF and GitHub can show: the start of its line. Standard
        // input has no file to point into.
        let at_line = |report: &mut Report, line: u64, mut d: Diagnostic| {
            if stdin || line == 0 {
                report.push(id, d);
            } else {
                let row = report.add_source(Source::line_of(self.path.clone(), line as usize));
                d.span = Some(Span::new(0, 0));
                report.push(row, d);
            }
        };
        for (o, _) in &self.failures {
            for f in &o.findings {
                let attribute = keys[f.attribute].rsplit('/').next().unwrap_or_default();
                let value = f
                    .value
                    .as_deref()
                    .map_or_else(String::new, |v| format!(" = `{v}`"));
                let mut d = f.diagnostic.clone();
                d.message = format!(
                    "line {}: {} {}: {attribute}{value}: {}",
                    o.line, o.id, o.username, d.message
                );
                d.span_label = None;
                d.labels.clear();
                at_line(&mut report, o.line, d);
            }
        }
        for (line, d) in &self.unreadable {
            at_line(&mut report, *line, d.clone());
        }
        // A collision at the row of its second user, the first one that shares the value.
        for c in &totals.collisions {
            if let Some(d) = self.policy.apply(c.to_diagnostic(connect)) {
                at_line(&mut report, c.users.get(1).map_or(0, |u| u.line), d);
            }
        }
        report
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
