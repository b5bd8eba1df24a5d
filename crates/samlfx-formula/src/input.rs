//! Reading the files named on the command line. An unreadable one is an F403 diagnostic against
//! its path, rendered in the chosen format like any other, with exit status 2.
//!
//! Every read is bounded: at most the bound plus one byte is ever read (`Read::take`), so
//! `--file /dev/zero` or a FIFO that never ends cannot exhaust memory. A formula above the
//! parser's own size bound is F012 (as for an inline formula); a context file above
//! [`MAX_CONTEXT_BYTES`] is F403.

use std::io::Read;

use crate::syntax::ParseLimits;
use samlfx_diag::render::Source;
use samlfx_diag::{Code, Diagnostic};

/// An input that could not be read: the (empty) source named by its path and the diagnostic.
pub type Unreadable = Box<(Source, Diagnostic)>;

/// The largest context file samlfx reads (16 MiB): far above any real context, small enough
/// that reading and parsing it stays cheap.
pub const MAX_CONTEXT_BYTES: usize = 16 << 20;

/// What an input is, which decides its size bound and the diagnostic when it is too large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A formula (`--file` or stdin): bounded by the parser's `max_bytes`, F012 beyond it.
    Formula,
    /// A `--context` JSON file: bounded by [`MAX_CONTEXT_BYTES`], F403 beyond it.
    Context,
}

impl Kind {
    fn bound(self) -> usize {
        match self {
            Kind::Formula => ParseLimits::default().max_bytes,
            Kind::Context => MAX_CONTEXT_BYTES,
        }
    }
}

fn unreadable(what: &str, path: &str, e: &std::io::Error) -> Unreadable {
    failed(
        path,
        Diagnostic::new(
            Code::UnreadableInput,
            format!("cannot read {what} '{path}': {e}"),
        )
        .with_help("check the path and that the file is readable UTF-8 text"),
    )
}

fn failed(path: &str, d: Diagnostic) -> Unreadable {
    Box::new((Source::file(path, String::new()), d))
}

/// Reads a formula file; `what` names it in the message ("the formula file").
pub fn read_file(what: &str, path: &str) -> Result<Source, Unreadable> {
    read_file_as(Kind::Formula, what, path)
}

/// Reads a file of a known kind, at most its bound plus one byte.
pub fn read_file_as(kind: Kind, what: &str, path: &str) -> Result<Source, Unreadable> {
    let file = std::fs::File::open(path).map_err(|e| unreadable(what, path, &e))?;
    // A directory opens on Unix but cannot be read; say so plainly.
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(failed(
            path,
            Diagnostic::new(
                Code::UnreadableInput,
                format!("cannot read {what} '{path}': it is a directory"),
            )
            .with_help("name a file, not a directory"),
        ));
    }
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let text = read_bounded(file, kind, what, path, size)?;
    Ok(Source::file(path, text))
}

/// Reads standard input as an inline formula (bounded like a formula file).
pub fn read_stdin() -> Result<Source, Unreadable> {
    read_bounded(
        std::io::stdin().lock(),
        Kind::Formula,
        "the formula from",
        "<stdin>",
        None,
    )
    .map(Source::inline)
}

/// Reads at most `kind.bound() + 1` bytes and checks the size and the encoding. `size` is the
/// file's length when it is a regular file, quoted in the too-large message.
fn read_bounded(
    reader: impl Read,
    kind: Kind,
    what: &str,
    path: &str,
    size: Option<u64>,
) -> Result<String, Unreadable> {
    let bound = kind.bound();
    let mut bytes = Vec::new();
    reader
        .take(bound as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(what, path, &e))?;
    if bytes.len() > bound {
        let actual = match size {
            Some(n) => format!("{n} bytes"),
            None => format!("more than {bound} bytes"),
        };
        let d = match kind {
            Kind::Formula => Diagnostic::new(
                Code::FormulaTooLarge,
                format!("Formula is too large ({actual}).  Maximum size is {bound} bytes"),
            )
            .with_help("shorten the formula; Salesforce itself accepts at most 3,900 characters"),
            Kind::Context => Diagnostic::new(
                Code::UnreadableInput,
                format!("cannot read {what} '{path}': it is larger than {bound} bytes ({actual})"),
            )
            .with_help("a context holds a few field values; pass a smaller file"),
        };
        return Err(failed(path, d));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        failed(
            path,
            Diagnostic::new(
                Code::UnreadableInput,
                format!("cannot read {what} '{path}': it is not UTF-8 text (invalid byte at offset {at})"),
            )
            .with_help("save the file as UTF-8"),
        )
    })
}
