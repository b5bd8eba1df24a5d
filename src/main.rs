#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    samlfx::cli::main()
}
