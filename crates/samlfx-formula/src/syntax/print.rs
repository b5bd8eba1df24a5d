//! The pretty-printer: an AST back to formula text that parses to the same AST (spans aside).
//! It writes the fewest parentheses the precedence table allows: operators are left-associative,
//! so a right operand of equal precedence is parenthesised.

use std::fmt::Write;

use super::ast::{Expr, ExprKind, UnaryOp};

/// Binding strength of prefix operators and of atoms, above every binary level (1..=7).
const UNARY: u8 = 8;

/// The canonical text of `expr`.
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

/// Writes `e`, in parentheses when it binds looser than `min` requires.
fn write_expr(out: &mut String, e: &Expr, min: u8) {
    crate::stack::guarded(|| write_node(out, e, min));
}

/// [`write_expr`] on the current stack segment.
fn write_node(out: &mut String, e: &Expr, min: u8) {
    match &e.kind {
        ExprKind::Number(n) => out.push_str(n),
        ExprKind::Text(t, _) => write_text(out, t),
        ExprKind::Boolean(true) => out.push_str("TRUE"),
        ExprKind::Boolean(false) => out.push_str("FALSE"),
        ExprKind::Null => out.push_str("NULL"),
        ExprKind::Field(name) => out.push_str(name),
        ExprKind::Call { name, args, .. } => {
            out.push_str(name);
            out.push('(');
            for (k, a) in args.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a, 0);
            }
            out.push(')');
        }
        ExprKind::Unary { op, operand, .. } => {
            let paren = UNARY < min;
            if paren {
                out.push('(');
            }
            match op {
                UnaryOp::Not => out.push_str("NOT "),
                UnaryOp::Plus => out.push('+'),
                UnaryOp::Minus => out.push('-'),
            }
            write_expr(out, operand, UNARY);
            if paren {
                out.push(')');
            }
        }
        ExprKind::Binary { op, lhs, rhs, .. } => {
            let p = op.precedence();
            let paren = p < min;
            if paren {
                out.push('(');
            }
            write_expr(out, lhs, p);
            let _ = write!(out, " {} ", op.symbol());
            write_expr(out, rhs, p + 1);
            if paren {
                out.push(')');
            }
        }
    }
}

/// A single-quoted literal with `\` and `'` escaped, so a value holding the two characters
/// `\n` prints as `\\n` and reads back the same in either escape mode. A tab is written raw
/// (legal inside a literal). A line feed or carriage return can only come from
/// [`ParseLimits::decode_control_escapes`](super::ParseLimits::decode_control_escapes); it is
/// written `\n` / `\r`, which reads back the same only in that mode: no default-mode literal
/// can hold one.
fn write_text(out: &mut String, t: &str) {
    out.push('\'');
    for c in t.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('\'');
}
