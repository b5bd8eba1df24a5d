//! The compiled form: a tree of nodes with names resolved to slots, constants folded and
//! concatenation chains flattened. Measured faster than a closure tree for the SAML formulas
//! (see `benches/formula.rs`): matching on a compact enum keeps every node in one allocation
//! and lets the concatenation borrow its parts instead of cloning them.

use crate::catalog::{FieldId, Func};
use crate::syntax::{BinaryOp, UnaryOp};
use crate::{Type, Value};
use samlfx_diag::{SourceMap, Span};

#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    /// The static type (a null's type matters to the built-ins).
    pub ty: Type,
    pub span: Span,
    /// For a constant text (a literal or a folded one): where each byte of the text came from in
    /// the source. `None` for every other node.
    pub map: Option<Box<SourceMap>>,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Const(Value),
    /// A merge field by its slot; `zero`: a null Number reads as 0 (blank-as-zero).
    Merge {
        id: FieldId,
        zero: bool,
    },
    /// `$Permission.<name>`, lower-cased.
    Permission(Box<str>),
    /// A record field, lower-cased; `zero` as for merge fields.
    Record {
        key: Box<str>,
        zero: bool,
    },
    /// `a & b & c …` (and Text `+`) flattened: null parts are skipped.
    Concat(Box<[Node]>),
    /// IF(condition, then, else): only the chosen branch runs; a null condition is false.
    If(Box<[Node; 3]>),
    /// CASE(subject, value1, result1, …, else).
    Case(Box<[Node]>),
    /// IFS(condition1, value1, …, else).
    Ifs(Box<[Node]>),
    /// AND / `&&`, short-circuit, null is false.
    And(Box<[Node]>),
    /// OR / `||`, short-circuit, null is false.
    Or(Box<[Node]>),
    /// IFERROR(value, fallback).
    IfError(Box<[Node; 2]>),
    /// A strict built-in: arguments first, then [`builtins::call`](crate::runtime::builtins::call).
    Call {
        func: Func,
        args: Box<[Node]>,
        types: Box<[Type]>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Node>,
    },
    Binary {
        op: BinaryOp,
        operands: Box<[Node; 2]>,
    },
}

impl Node {
    /// A node that is not a constant text.
    pub(crate) fn new(kind: Kind, ty: Type, span: Span) -> Node {
        Node {
            kind,
            ty,
            span,
            map: None,
        }
    }

    /// A constant. A text gets `map` when it describes exactly its bytes, else a map that
    /// blames all of them on `span`; any other value gets none.
    pub(crate) fn constant(value: Value, ty: Type, span: Span, map: Option<SourceMap>) -> Node {
        let map = match &value {
            Value::Text(s) => Some(Box::new(match map {
                Some(m) if m.len() == s.len() => m,
                _ => SourceMap::derived(s.len(), span),
            })),
            _ => None,
        };
        Node {
            kind: Kind::Const(value),
            ty,
            span,
            map,
        }
    }

    /// The map of a constant text node, or of a null one (empty, placed at the node's end).
    pub(crate) fn text_map(&self) -> SourceMap {
        match &self.map {
            Some(m) => (**m).clone(),
            None => SourceMap::new(self.span.end),
        }
    }

    /// The node's operands, in evaluation order.
    pub(crate) fn children(&self) -> &[Node] {
        match &self.kind {
            Kind::Const(_) | Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. } => &[],
            Kind::Concat(c) | Kind::Case(c) | Kind::Ifs(c) | Kind::And(c) | Kind::Or(c) => c,
            Kind::Call { args, .. } => args,
            Kind::If(b) => &b[..],
            Kind::IfError(b) => &b[..],
            Kind::Unary { operand, .. } => std::slice::from_ref(&**operand),
            Kind::Binary { operands, .. } => &operands[..],
        }
    }

    /// Whether some path below this node is longer than `levels`. Recurses at most `levels`
    /// deep, so it needs no stack guard.
    pub(crate) fn deeper_than(&self, levels: usize) -> bool {
        let children = self.children();
        match levels.checked_sub(1) {
            None => !children.is_empty(),
            Some(rest) => children.iter().any(|c| c.deeper_than(rest)),
        }
    }

    /// Moves the kind out (a node cannot be destructured: it implements `Drop`), leaving a null
    /// constant.
    pub(crate) fn take_kind(&mut self) -> Kind {
        std::mem::replace(&mut self.kind, Kind::Const(Value::Null))
    }
}

/// Dropping a tree recurses once per level, through
/// [`guarded`](crate::stack::guarded) as for [`Expr`](crate::syntax::Expr).
impl Drop for Node {
    fn drop(&mut self) {
        if !matches!(
            self.kind,
            Kind::Const(_) | Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. }
        ) {
            let kind = self.take_kind();
            crate::stack::guarded(move || drop(kind));
        }
    }
}
