//! `samlfx check [PATH…]`: lint app definitions (samlfx.toml, ConnectedApp and External Client
//! App metadata, contact-center XML) before deploy. Every file's findings land in one report,
//! sorted by file and position, rendered with the file's own lines.

use std::path::PathBuf;

use clap::Args;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_app::lint::{self, LintOptions};
use samlfx_app::{App, Content, Loaded};
use samlfx_aws::profile::Profile;
use samlfx_diag::Report;
use samlfx_diag::render::Format;
use samlfx_formula::id::IdLength;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// App files or directories to check (a directory is searched; an SFDX project through its
    /// sfdx-project.json). Default: the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Which attribute rules run; by default the app file's own `profile`, else amazon-connect
    /// when a contact center or a Service Cloud Voice provider is present, else aws.
    #[arg(long, value_name = "PROFILE", value_parser = super::eval::parse_profile)]
    pub profile: Option<Profile>,
    /// Whether Id fields read as 15 or 18 characters.
    #[arg(long, value_name = "15|18", default_value = "15", value_parser = super::eval::parse_id_length)]
    pub id_length: IdLength,
    /// How to write the report.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

pub fn run(args: &CheckArgs, color: ColorChoice) -> Exit {
    let policy = match args.policy.severities() {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let loaded: Vec<Loaded> = paths.iter().flat_map(|p| samlfx_app::load(p)).collect();
    let input_failed = loaded.iter().any(Loaded::input_failed);

    let apps: Vec<&App> = loaded
        .iter()
        .filter_map(|l| match &l.content {
            Some(Content::App(app)) => Some(&**app),
            _ => None,
        })
        .collect();
    let centers = loaded
        .iter()
        .filter(|l| matches!(l.content, Some(Content::ContactCenter(_))))
        .count();
    let chosen = lint::choose_profile(&apps, centers);
    // The command line wins over an app file's own profile, which wins over the guess.
    let opts_for = |own: Option<Profile>| LintOptions {
        profile: args.profile.or(own).unwrap_or(chosen),
        id_length: args.id_length,
    };

    let mut report = Report::new();
    for file in &loaded {
        let mut diagnostics = file.diagnostics.clone();
        match &file.content {
            Some(Content::App(app)) => {
                let own = app.profile.as_ref().map(|p| p.value);
                diagnostics.extend(lint::lint_app(app, &opts_for(own)));
                // The file's `[severity]` overrides, except for codes the command line sets.
                diagnostics = diagnostics
                    .into_iter()
                    .filter_map(|d| match policy.get(d.code) {
                        Some(_) => Some(d),
                        None => app.severities.apply(d),
                    })
                    .collect();
            }
            Some(Content::ContactCenter(cc)) => {
                diagnostics.extend(lint::lint_contact_center(cc, &apps, &opts_for(None)));
            }
            None => {}
        }
        report.add(file.source.clone(), diagnostics);
    }
    report.apply(&policy);

    let format: Format = args.format.into();
    let rendered = report.render(format, &color.human_options());
    if format == Format::Human {
        output::err(&rendered);
        output::err(&summary_line(&report, loaded.len()));
    } else {
        output::out(&rendered);
    }
    if input_failed {
        Exit::Usage
    } else {
        args.policy.exit(&report)
    }
}

/// The last line of a human report: what was checked and what was found.
fn summary_line(report: &Report, files: usize) -> String {
    let s = report.summary();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}\n",
        plural(files, "file"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
    )
}
