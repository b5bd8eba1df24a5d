//! The runtime: what evaluation reads and how it fails. The context (merge fields, permissions,
//! record fields), the built-in functions and operators on values, and runtime errors. The walk
//! over a compiled tree is [`crate::program`]'s, so data flows one way: program uses the runtime.

pub mod builtins;
pub mod context;

pub use context::Context;

use samlfx_diag::{Code, Diagnostic, Span};

pub use crate::id::IdLength;

#[derive(Clone, Copy, Debug, Default)]
pub struct ContextOptions {
    pub id_length: IdLength,
}

/// A runtime error, with the span of the sub-expression that failed.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    pub code: Code,
    pub message: String,
    pub span: Span,
    /// How to fix or avoid the failure; [`fallback_help`] when the built-in gave none.
    pub help: Option<String>,
}

impl EvalError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        let help = self
            .help
            .clone()
            .unwrap_or_else(|| fallback_help(self.code).to_owned());
        Diagnostic::new(self.code, self.message.clone())
            .at(self.span)
            .with_help(help)
    }
}

/// The help line of a runtime code, for faults that carry no more specific one.
pub fn fallback_help(code: Code) -> &'static str {
    match code {
        Code::DivisionByZero => "guard the divisor: IF(d = 0, NULL, n / d)",
        Code::InvalidValue => {
            "check the input first (ISNUMBER, REGEX), or supply a default with IF"
        }
        Code::OutOfRange => "keep the values within Salesforce's limits, or guard them with IF",
        _ => "wrap the failing part in IFERROR(…, fallback) or guard its inputs with IF",
    }
}

/// A runtime failure before the evaluator knows where: the evaluator adds the span of the
/// sub-expression that failed to make an [`EvalError`].
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub code: Code,
    pub message: String,
    /// How to fix or avoid the failure (every diagnostic has a help line).
    pub help: Option<String>,
    /// The argument to blame (by position), when the failure is one argument's fault rather
    /// than the call's.
    pub arg: Option<usize>,
}

impl Fault {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Fault {
            code,
            message: message.into(),
            help: None,
            arg: None,
        }
    }

    /// Blames the call's argument at `index` instead of the whole call.
    pub fn with_arg(mut self, index: usize) -> Self {
        self.arg = Some(index);
        self
    }

    /// Adds the help line that will reach the diagnostic.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn at(self, span: Span) -> EvalError {
        EvalError {
            code: self.code,
            message: self.message,
            span,
            help: self.help,
        }
    }
}
