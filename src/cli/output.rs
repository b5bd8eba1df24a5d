//! What every command shares: exit statuses, the colour decision and writing output.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::ValueEnum;

use samlfx_diag::render::HumanOptions;

/// The exit statuses of the command-line contract (README, Exit status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at error severity.
    Ok = 0,
    /// The input has errors (a formula that does not compile or fails at run time).
    Findings = 1,
    /// A usage or input error: bad flag, unreadable file, malformed context.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    /// Colour even into a pipe (NO_COLOR still wins).
    Always,
    /// Never colour.
    Never,
}

/// Whether NO_COLOR asks for no colour: present and non-empty (<https://no-color.org>).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl ColorChoice {
    /// Human output goes to stderr, so that is the stream whose terminal-ness counts. NO_COLOR
    /// wins over everything: the contract promises no colour with NO_COLOR.
    pub fn human_options(self) -> HumanOptions {
        let color = !no_color_env()
            && match self {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => std::io::stderr().is_terminal(),
            };
        HumanOptions {
            color,
            ascii: false,
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`samlfx … | head`).
pub fn out(s: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(s.as_bytes());
    let _ = stdout.flush();
}

/// Writes to stderr.
pub fn err(s: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(s.as_bytes());
}

/// A usage or input error as one `error:` line on stderr; exit status 2.
pub fn usage_error(message: &str) -> Exit {
    err(&format!("error: {message}\n"));
    Exit::Usage
}
