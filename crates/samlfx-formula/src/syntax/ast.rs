//! The abstract syntax tree. Every node carries the byte span of its source text.

use samlfx_diag::{SourceMap, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// The node's source text; for a parenthesised group, the text inside the parentheses.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal exactly as written (`007`, `1.50`): scale matters to Salesforce.
    Number(Box<str>),
    /// A text literal, escapes decoded (`\n` stays two characters unless
    /// [`ParseLimits::decode_control_escapes`](super::ParseLimits::decode_control_escapes)). The
    /// empty literal is still `Text("")` here; it evaluates to null. The map takes offsets in
    /// the decoded text back to the source, so that a diagnostic about part of the text points
    /// at the right bytes even after `\'` or `\\` (see [`SourceMap`]).
    Text(Box<str>, SourceMap),
    Boolean(bool),
    Null,
    /// An identifier as written, dots included: `$User.Alias`, `customtext1__c`.
    Field(Box<str>),
    /// A function call; `name` as written (lookup is case-insensitive).
    Call {
        name: Box<str>,
        name_span: Span,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        op_span: Span,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        op_span: Span,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Plus,
    Minus,
    /// `NOT x` and `!x`.
    Not,
}

/// Binary operators. `==` is read as [`BinaryOp::Eq`] and `!=` as [`BinaryOp::Ne`]; `&&` and `||`
/// are [`BinaryOp::And`] and [`BinaryOp::Or`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Mul,
    Div,
    Pow,
    Add,
    Sub,
    Concat,
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

impl BinaryOp {
    /// Binding strength, Salesforce's table: a higher number binds tighter. All are left-associative.
    pub fn precedence(self) -> u8 {
        use BinaryOp::*;
        match self {
            Mul | Div => 7,
            Pow => 6,
            Add | Sub | Concat => 5,
            Lt | Gt | Le | Ge => 4,
            Eq | Ne => 3,
            And => 2,
            Or => 1,
        }
    }

    /// The canonical spelling, as the pretty-printer writes it and messages quote it.
    pub fn symbol(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Mul => "*",
            Div => "/",
            Pow => "^",
            Add => "+",
            Sub => "-",
            Concat => "&",
            Lt => "<",
            Gt => ">",
            Le => "<=",
            Ge => ">=",
            Eq => "=",
            Ne => "<>",
            And => "&&",
            Or => "||",
        }
    }
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Plus => "+",
            UnaryOp::Minus => "-",
            UnaryOp::Not => "NOT",
        }
    }
}

impl Expr {
    /// Depth of the tree: 1 for a leaf. The parser guarantees it is at most
    /// [`ParseLimits::max_depth`](super::ParseLimits::max_depth) plus
    /// [`ParseLimits::max_chain`](super::ParseLimits::max_chain).
    pub fn depth(&self) -> u32 {
        crate::stack::guarded(|| match &self.kind {
            ExprKind::Call { args, .. } => 1 + args.iter().map(Expr::depth).max().unwrap_or(0),
            ExprKind::Unary { operand, .. } => 1 + operand.depth(),
            ExprKind::Binary { lhs, rhs, .. } => 1 + lhs.depth().max(rhs.depth()),
            _ => 1,
        })
    }

    /// Structural equality ignoring every span: what printing and re-parsing preserves.
    pub fn same_shape(&self, other: &Expr) -> bool {
        crate::stack::guarded(|| {
            use ExprKind::*;
            match (&self.kind, &other.kind) {
                (Number(a), Number(b)) => a == b,
                (Text(a, _), Text(b, _)) => a == b,
                (Boolean(a), Boolean(b)) => a == b,
                (Null, Null) => true,
                (Field(a), Field(b)) => a == b,
                (
                    Call {
                        name: a, args: x, ..
                    },
                    Call {
                        name: b, args: y, ..
                    },
                ) => a == b && x.len() == y.len() && x.iter().zip(y).all(|(p, q)| p.same_shape(q)),
                (
                    Unary {
                        op: a, operand: x, ..
                    },
                    Unary {
                        op: b, operand: y, ..
                    },
                ) => a == b && x.same_shape(y),
                (
                    Binary {
                        op: a,
                        lhs: l1,
                        rhs: r1,
                        ..
                    },
                    Binary {
                        op: b,
                        lhs: l2,
                        rhs: r2,
                        ..
                    },
                ) => a == b && l1.same_shape(l2) && r1.same_shape(r2),
                _ => false,
            }
        })
    }

    /// Calls `f` on this node and every node below it, parents first.
    pub fn walk(&self, f: &mut impl FnMut(&Expr)) {
        crate::stack::guarded(|| {
            f(self);
            match &self.kind {
                ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
                ExprKind::Unary { operand, .. } => operand.walk(f),
                ExprKind::Binary { lhs, rhs, .. } => {
                    lhs.walk(f);
                    rhs.walk(f);
                }
                _ => {}
            }
        })
    }
}

impl Expr {
    /// The node's kind, moved out: an `Expr` cannot be destructured by value because it
    /// implements `Drop`.
    pub fn into_kind(mut self) -> ExprKind {
        std::mem::replace(&mut self.kind, ExprKind::Null)
    }
}

/// Dropping a tree recurses once per level; each level goes through
/// `crate::stack::guarded` so that the deepest accepted formula drops on any
/// thread. Leaves cost nothing extra.
impl Drop for Expr {
    fn drop(&mut self) {
        if matches!(
            self.kind,
            ExprKind::Call { .. } | ExprKind::Unary { .. } | ExprKind::Binary { .. }
        ) {
            let kind = std::mem::replace(&mut self.kind, ExprKind::Null);
            crate::stack::guarded(move || drop(kind));
        }
    }
}
