//! The parser. (Skeleton: the real one replaces this.)

use super::Expr;
use crate::diag::Diagnostic;

/// Bounds that keep any input from exhausting the stack, memory or time.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    /// Maximum nesting of groups, calls and unary operators.
    pub max_depth: u32,
    /// Maximum formula size in bytes.
    pub max_bytes: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: 256,
            max_bytes: 1 << 20,
        }
    }
}

/// Parses one formula. Syntax errors are returned as diagnostics with spans into `src`.
pub fn parse(src: &str) -> Result<Expr, Vec<Diagnostic>> {
    parse_with(src, &ParseLimits::default())
}

pub fn parse_with(_src: &str, _limits: &ParseLimits) -> Result<Expr, Vec<Diagnostic>> {
    Err(Vec::new())
}
