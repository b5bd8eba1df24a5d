//! `samlfx check [PATH…]`: lint app definitions (samlfx.toml, ConnectedApp and External Client
//! App metadata, contact-center XML) before deploy. Every file's findings land in one report,
//! sorted by file and position, rendered with the file's own lines.

use std::path::PathBuf;

use clap::Args;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_app::Loaded;
use samlfx_app::lint;
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
    /// Which attribute rules run on every app; by default each app's own `profile`, else
    /// amazon-connect for a Service Cloud Voice app (a linked contact center, or a Service Cloud
    /// Voice provider in its Role), else aws for an app that signs in to AWS, else none.
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

    let opts = lint::CheckOptions {
        profile: args.profile,
        id_length: args.id_length,
    };
    let mut report = Report::new();
    for (file, diagnostics) in loaded
        .iter()
        .zip(lint::check_files(&loaded, &opts, &policy))
    {
        report.add(file.source.clone(), diagnostics);
    }
    report.apply(&policy);

    let format: Format = args.format.into();
    let rendered = report.render(format, &color.human_options());
    if format == Format::Human {
        output::err(&rendered);
        output::err(&summary_line(&report, &loaded));
    } else {
        output::out(&rendered);
    }
    if input_failed {
        Exit::Usage
    } else {
        args.policy.exit(&report)
    }
}

/// The last line of a human report: what was checked, what was found, and what was read but
/// has nothing samlfx checks (apps without SAML, Open CTI call centers).
fn summary_line(report: &Report, loaded: &[Loaded]) -> String {
    let s = report.summary();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let no_saml = loaded
        .iter()
        .filter_map(Loaded::app)
        .filter(|a| !a.saml)
        .count();
    let open_cti = loaded
        .iter()
        .filter_map(Loaded::contact_center)
        .filter(|c| !c.voice)
        .count();
    let mut skipped = Vec::new();
    if no_saml > 0 {
        skipped.push(plural(no_saml, "app without SAML", "apps without SAML"));
    }
    if open_cti > 0 {
        skipped.push(plural(
            open_cti,
            "call center that is not Service Cloud Voice",
            "call centers that are not Service Cloud Voice",
        ));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!(" (skipped {})", skipped.join(", "))
    };
    format!(
        "checked {}{skipped}: {}, {}\n",
        plural(loaded.len(), "file", "files"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
    )
}
