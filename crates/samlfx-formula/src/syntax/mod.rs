//! Source text to AST: the lexer and parser (nom 8 + nom_locate + nom-language), the AST with
//! byte spans, and the pretty-printer that prints an AST back as a formula.

pub mod ast;
mod error;
mod lex;
pub mod parse;
pub mod print;

pub use ast::{BinaryOp, Expr, ExprKind, UnaryOp};
pub use parse::{DEFAULT_MAX_CHAIN, DEFAULT_MAX_DEPTH, ParseLimits, parse, parse_with};
pub use print::print;
