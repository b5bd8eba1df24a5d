//! `--allow`, `--warn`, `--deny` and `--fail-on`: the options every reporting command shares.

use clap::{Args, ValueEnum};

use super::output::{self, Exit};
use samlfx_diag::report::{self, Override, Severities};
use samlfx_diag::{Code, Report, Severity};

/// What the user asks of codes and of the exit status.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// Drop a code's diagnostics: an id (`F201`) or a name (`formula-too-long`); repeatable.
    #[arg(long = "allow", value_name = "CODE", value_parser = parse_code)]
    pub allow: Vec<Code>,
    /// Report a code's diagnostics as warnings; repeatable.
    #[arg(long = "warn", value_name = "CODE", value_parser = parse_code)]
    pub warn: Vec<Code>,
    /// Report a code's diagnostics as errors; repeatable.
    #[arg(long = "deny", value_name = "CODE", value_parser = parse_code)]
    pub deny: Vec<Code>,
    /// The lowest severity that makes the exit status 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
}

/// `--fail-on`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors fail; warnings and infos do not.
    #[default]
    Error,
    /// Warnings fail too.
    Warning,
}

fn parse_code(s: &str) -> Result<Code, String> {
    report::parse_code(s).map_err(|e| e.to_string())
}

impl PolicyArgs {
    /// The policy; a code given to two of the options is a usage error, since clap does not keep
    /// their relative order and neither reading of it would be obvious.
    pub fn severities(&self) -> Result<Severities, Exit> {
        let mut policy = Severities::new();
        for (codes, o) in [
            (&self.allow, Override::Allow),
            (&self.warn, Override::Warn),
            (&self.deny, Override::Deny),
        ] {
            for &code in codes {
                if let Some(before) = policy.set(code, o).filter(|b| *b != o) {
                    return Err(output::usage_error(&format!(
                        "{code} is given to both --{} and --{}",
                        before.as_str(),
                        o.as_str()
                    )));
                }
            }
        }
        Ok(policy)
    }

    pub fn fail_on(&self) -> Severity {
        match self.fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        }
    }

    /// Status 1 when the report has something at or above `--fail-on`, else 0.
    pub fn exit(&self, report: &Report) -> Exit {
        if report.fails(self.fail_on()) {
            Exit::Findings
        } else {
            Exit::Ok
        }
    }
}
