//! The `samlfx` command line (clap derive). Exit status: 0 nothing failed, 1 the input has
//! error-severity findings, 2 usage or input error (README, Exit status).

mod arn;
mod audit;
mod check;
mod eval;
mod explain;
mod inspect;
mod output;
mod policy;
mod simulate;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use output::ColorChoice;

/// Compile, check and evaluate the Salesforce formulas that Connected Apps send as SAML attributes.
#[derive(Debug, Parser)]
#[command(name = "samlfx", version, about, propagate_version = true)]
pub struct Cli {
    /// When to colour human output: `auto` colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint app definitions: samlfx.toml, Connected App and External Client App metadata,
    /// contact-center XML, or a directory (an SFDX project is searched).
    Check(check::CheckArgs),
    /// Check and evaluate one formula; prints its value.
    Eval(Box<eval::EvalArgs>),
    /// Parse and validate ARNs; prints their parts.
    Arn(arn::ArnArgs),
    /// Evaluate every user of an org export (Bulk API CSV or `sf data query --json`) through an
    /// app's formulas and AWS's rules; `--print-query` prints the SOQL that exports them.
    Audit(Box<audit::AuditArgs>),
    /// Decode a captured SAML Response (XML, base64, form body, HAR), print what it says and
    /// check it as AWS would, signatures included.
    Inspect(Box<inspect::InspectArgs>),
    /// Print the SAML Response an app would send for one user (as Salesforce lays it out),
    /// signed; as XML, base64 or a form body.
    Simulate(Box<simulate::SimulateArgs>),
    /// Explain a diagnostic code (`F104` or `wrong-argument-type`), with an example and its fix.
    Explain(explain::ExplainArgs),
}

/// `--format`: how diagnostics are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// rustc-style reports on stderr.
    #[default]
    Human,
    /// The versioned JSON contract, on stdout.
    Json,
    /// SARIF 2.1.0, on stdout.
    Sarif,
    /// GitHub Actions workflow commands, on stdout.
    Github,
}

impl From<FormatArg> for samlfx_diag::render::Format {
    fn from(f: FormatArg) -> Self {
        use samlfx_diag::render::Format;
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

/// Runs the command line and returns its exit status.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap's usage errors exit 2; `--help` and `--version` exit 0.
            let _ = e.print();
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    let exit = match &cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Eval(args) => eval::run(args, cli.color),
        Command::Arn(args) => arn::run(args, cli.color),
        Command::Audit(args) => audit::run(args, cli.color),
        Command::Inspect(args) => inspect::run(args, cli.color),
        Command::Simulate(args) => simulate::run(args, cli.color),
        Command::Explain(args) => explain::run(args),
    };
    exit.into()
}
