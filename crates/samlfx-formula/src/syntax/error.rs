//! The parser's nom error type: either "nothing matched here" (cheap, no allocation, so `alt` and
//! the precedence climber can probe freely on the success path) or a finished [`Diagnostic`].

use nom::error::{ContextError, ErrorKind, FromExternalError, ParseError};

use super::lex::In;
use samlfx_diag::{Code, Diagnostic, Span};

#[derive(Debug)]
pub(crate) enum PError {
    /// A parser did not match at this byte span; the caller may try something else.
    Backtrack(Span),
    /// A committed, final error.
    Fatal(Box<Diagnostic>),
}

/// The parser's result type.
pub(crate) type PResult<'a, O> = nom::IResult<In<'a>, O, PError>;

impl PError {
    pub(crate) fn into_diagnostic(self, src: &str) -> Diagnostic {
        match self {
            PError::Fatal(d) => *d,
            // Every path that can reach the top reports a Fatal error; this is the safety net.
            PError::Backtrack(span) => {
                let found = super::lex::token_text(&src[span.start..]);
                Diagnostic::new(
                    Code::UnexpectedToken,
                    format!("Syntax error.  Found '{found}'"),
                )
                .at(Span::new(
                    span.start,
                    span.start + found_len(&src[span.start..]),
                ))
                .with_help("expected an expression here")
            }
        }
    }
}

/// Byte length of the token shown in a "Found" message (0 at the end of the formula).
pub(crate) fn found_len(rest: &str) -> usize {
    if rest.is_empty() {
        0
    } else {
        super::lex::token_len(rest)
    }
}

/// A final error as a nom failure: no `alt` will try another branch.
pub(crate) fn fatal<'a, O>(d: Diagnostic) -> PResult<'a, O> {
    Err(nom::Err::Failure(PError::Fatal(Box::new(d))))
}

impl<'a> ParseError<In<'a>> for PError {
    fn from_error_kind(input: In<'a>, _kind: ErrorKind) -> Self {
        let at = input.location_offset();
        PError::Backtrack(Span::new(at, at))
    }

    fn append(_input: In<'a>, _kind: ErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        match (&self, &other) {
            (PError::Fatal(_), _) => self,
            (_, PError::Fatal(_)) => other,
            (PError::Backtrack(a), PError::Backtrack(b)) => {
                if a.start >= b.start {
                    self
                } else {
                    other
                }
            }
        }
    }
}

impl<'a> ContextError<In<'a>> for PError {}

impl<'a> FromExternalError<In<'a>, Box<Diagnostic>> for PError {
    fn from_external_error(_input: In<'a>, _kind: ErrorKind, e: Box<Diagnostic>) -> Self {
        PError::Fatal(e)
    }
}
