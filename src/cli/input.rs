//! Reading the files named on the command line. An unreadable one is an F403 diagnostic against
//! its path, rendered in the chosen format like any other, with exit status 2.

use std::io::Read;

use crate::diag::render::Source;
use crate::diag::{Code, Diagnostic};

/// An input that could not be read: the (empty) source named by its path and the diagnostic.
pub type Unreadable = Box<(Source, Diagnostic)>;

fn unreadable(what: &str, path: &str, e: &std::io::Error) -> Unreadable {
    let d = Diagnostic::new(
        Code::UnreadableInput,
        format!("cannot read {what} '{path}': {e}"),
    )
    .with_help("check the path and that the file is readable UTF-8 text");
    Box::new((Source::file(path, String::new()), d))
}

/// Reads a file; `what` names it in the message ("the context file").
pub fn read_file(what: &str, path: &str) -> Result<Source, Unreadable> {
    std::fs::read_to_string(path)
        .map(|text| Source::file(path, text))
        .map_err(|e| unreadable(what, path, &e))
}

/// Reads standard input as an inline formula.
pub fn read_stdin() -> Result<Source, Unreadable> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map(|_| Source::inline(text))
        .map_err(|e| unreadable("the formula from", "<stdin>", &e))
}
