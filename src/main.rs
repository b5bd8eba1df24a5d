//! The `samlfx` command line. The library lives in the crates under `crates/`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
