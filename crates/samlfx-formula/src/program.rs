//! Compilation: source text to a [`Program`] that is cheap to evaluate many times. This is the
//! front door of the formula pipeline: parse, check, compile.

mod compile;
mod machine;
pub(crate) mod node;

use super::check::{self, CheckOptions, Schema};
use super::ir::Typed;
use super::runtime::builtins::Env;
use super::runtime::{Context, EvalError};
use super::shape::{ShapeOptions, TextShape};
use super::syntax::{self, ParseLimits};
use super::{Type, Value};
use node::Node;
use samlfx_diag::{Code, Diagnostic, SourceMap, Span};

/// Salesforce's limit on a formula's length, in characters.
pub const MAX_FORMULA_CHARS: usize = 3900;

#[derive(Clone, Debug, Default)]
pub struct CompileOptions {
    /// The type the result must have: `Some(Text)` for a SAML attribute.
    pub expected: Option<Type>,
    /// Salesforce's "treat blank fields as zeroes": a blank Number field reads as 0.
    pub blank_as_zero: bool,
    /// Record fields the formula may read (merge fields are always available).
    pub schema: Option<Schema>,
    pub limits: ParseLimits,
}

/// The result of compiling: the program when there was no error, and every diagnostic (errors,
/// warnings and infos) in source order.
#[derive(Debug)]
pub struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A compiled formula: evaluate it against any number of contexts.
#[derive(Clone, Debug)]
pub struct Program {
    root: Node,
    /// Deeper than [`SHALLOW`]: evaluation checks the stack at every level.
    deep: bool,
}

/// How deep a compiled tree may be and still be evaluated without a stack check per level:
/// far below what any thread's stack holds, and far above a typical attribute formula.
const SHALLOW: usize = 64;

impl Program {
    /// Parses, checks and compiles one formula.
    pub fn compile(src: &str, opts: &CompileOptions) -> Compiled {
        let mut diagnostics = Vec::new();
        // The line ending a file or stdin ends with is not part of the formula Salesforce sees.
        let counted = counted_text(src);
        let chars = counted.chars().count();
        if chars > MAX_FORMULA_CHARS {
            let excess = counted
                .char_indices()
                .nth(MAX_FORMULA_CHARS)
                .map_or(0, |(i, _)| i);
            diagnostics.push(
                Diagnostic::new(
                    Code::FormulaTooLong,
                    format!("Formula is too long ({chars} characters).  Maximum length is {MAX_FORMULA_CHARS} characters"),
                )
                .at_labelled(
                    Span::new(excess, counted.len()),
                    format!("{} characters past the limit", chars - MAX_FORMULA_CHARS),
                )
                .with_help("shorten the formula: Salesforce refuses to save it"),
            );
        }
        let program = match syntax::parse::parse_with(src, &opts.limits) {
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
            Ok(expr) => {
                let checked = check::check(
                    &expr,
                    &CheckOptions {
                        expected: opts.expected,
                        schema: opts.schema.as_ref(),
                        src: Some(src),
                        blank_as_zero: opts.blank_as_zero,
                    },
                );
                diagnostics.extend(checked.diagnostics);
                checked.typed.map(|t| Program::from_typed(&t, opts))
            }
        };
        diagnostics.sort_by_key(|d| d.span.map_or(0, |s| s.start));
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        Compiled {
            program: if failed { None } else { program },
            diagnostics,
        }
    }

    /// Compiles an already checked tree (only `opts.blank_as_zero` matters here).
    pub fn from_typed(typed: &Typed, opts: &CompileOptions) -> Program {
        let root = compile::lower(typed, opts.blank_as_zero);
        let deep = root.deeper_than(SHALLOW);
        Program { root, deep }
    }

    /// The static type of the result.
    pub fn result_type(&self) -> Type {
        self.root.ty
    }

    /// The span of the whole formula's expression: where a finding about its value as a whole
    /// points.
    pub fn span(&self) -> Span {
        self.root.span
    }

    /// Whether the whole formula folded to a constant (it reads no field and no clock).
    pub fn is_constant(&self) -> bool {
        matches!(self.root.kind, node::Kind::Const(_))
    }

    /// What every Text value this program can produce looks like, proved from the formula
    /// alone ([`crate::shape`]); `None` when the result is not Text.
    pub fn text_shape(&self, opts: &ShapeOptions<'_>) -> Option<TextShape> {
        matches!(self.root.ty, Type::Text | Type::Null)
            .then(|| crate::shape::analyze::analyze(&self.root, opts))
    }

    /// The result when the whole formula folded to a constant text, with the map from its bytes
    /// to the source: each byte of a literal to its own bytes (escapes whole), a piece of a
    /// literal that TRIM, LEFT, RIGHT, MID or an ASCII case change kept to that piece, and each
    /// byte a folded function made itself (`TEXT(5)`) to that call. Rules on the value (ARNs, attribute patterns) use
    /// the map to report a finding inside the literals it came from.
    ///
    /// ```
    /// use samlfx_formula::program::{CompileOptions, Program};
    /// use samlfx_diag::Span;
    ///
    /// let src = r"'it\'s' & ' ' & 'x'";
    /// let program = Program::compile(src, &CompileOptions::default()).program.unwrap();
    /// let (text, map) = program.constant_text().unwrap();
    /// assert_eq!(text, "it's x");
    /// assert_eq!(map.span(5..6), Span::new(17, 18)); // `x`, inside the last literal
    /// assert_eq!(map.span(2..3), Span::new(3, 5)); // the `'`, written `\'`
    /// ```
    pub fn constant_text(&self) -> Option<(&str, &SourceMap)> {
        text_const(&self.root)
    }

    /// The constant texts of the result, each with its map: the whole result when it is a
    /// constant ([`Program::constant_text`]), else each constant text operand of a top-level
    /// concatenation (`'arn:…:role/R,' & $User.X__c`), in order. Adjacent constants are already
    /// joined into one, so each piece is a maximal run of the value that every user shares.
    pub fn constant_pieces(&self) -> impl Iterator<Item = (&str, &SourceMap)> {
        let parts: &[Node] = match &self.root.kind {
            node::Kind::Concat(parts) => parts,
            _ => std::slice::from_ref(&self.root),
        };
        parts.iter().filter_map(text_const)
    }

    /// Evaluates the program. A runtime failure carries the span of the sub-expression that
    /// failed.
    pub fn eval(&self, ctx: &Context) -> Result<Value, EvalError> {
        let env = Env {
            now: ctx.now(),
            deep: self.deep,
        };
        machine::eval(&self.root, ctx, &env)
    }
}

/// A constant text node's text and map.
fn text_const(n: &Node) -> Option<(&str, &SourceMap)> {
    match (&n.kind, &n.map) {
        (node::Kind::Const(Value::Text(text)), Some(map)) => Some((text, map)),
        _ => None,
    }
}

/// The text whose characters count toward [`MAX_FORMULA_CHARS`]: `src` without one trailing
/// line ending (`\n` or `\r\n`). A prefix of `src`, so byte offsets stay the same.
fn counted_text(src: &str) -> &str {
    src.strip_suffix("\r\n")
        .or_else(|| src.strip_suffix('\n'))
        .unwrap_or(src)
}

#[cfg(test)]
mod tests;
