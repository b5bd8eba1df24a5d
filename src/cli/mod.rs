//! The `samlfx` command line. (Skeleton.)

use std::process::ExitCode;

pub fn main() -> ExitCode {
    ExitCode::SUCCESS
}
