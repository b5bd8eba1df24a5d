//! The typed intermediate representation: the checker's output and the compiler's input.
//! Names are resolved (functions to [`Func`], fields to [`FieldKey`]) and every node has a type.

use super::catalog::{FieldId, Func};
use super::syntax::{BinaryOp, UnaryOp};
use super::{Type, Value};
use std::sync::Arc;

use samlfx_diag::{SourceMap, Span};

#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    pub kind: TypedKind,
    /// The static type. [`Type::Null`] only for a `NULL` literal (or an expression made of them).
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypedKind {
    /// A literal, already converted (`""` is [`Value::Null`]). A text literal written in the
    /// formula is [`TypedKind::Text`] instead; a `Literal` text (a constant merge field, a node
    /// built by hand) has no map of its own.
    Literal(Value),
    /// A non-empty text literal from the source, with the map from its decoded text back to the
    /// source bytes, which constant folding carries into the [`Program`](crate::Program).
    Text {
        text: Arc<str>,
        map: Box<SourceMap>,
    },
    Field(FieldKey),
    Call {
        func: Func,
        args: Vec<Typed>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Typed>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Typed>,
        rhs: Box<Typed>,
    },
}

/// A resolved field reference: where the evaluator finds its value in a
/// [`Context`](super::runtime::Context).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FieldKey {
    /// A merge field from the catalog (`$User.Alias`).
    Merge(FieldId),
    /// `$Permission.<name>`, the name lower-cased.
    Permission(Box<str>),
    /// A record field declared in the schema (`customtext1__c`), the name lower-cased.
    Record(Box<str>),
}

impl Typed {
    /// The node's kind, moved out: a `Typed` cannot be destructured by value because it
    /// implements `Drop`.
    pub fn into_kind(mut self) -> TypedKind {
        std::mem::replace(&mut self.kind, TypedKind::Literal(Value::Null))
    }
}

/// Dropping a tree recurses once per level, through
/// `crate::stack::guarded` as for [`Expr`](super::syntax::Expr).
impl Drop for Typed {
    fn drop(&mut self) {
        if matches!(
            self.kind,
            TypedKind::Call { .. } | TypedKind::Unary { .. } | TypedKind::Binary { .. }
        ) {
            let kind = std::mem::replace(&mut self.kind, TypedKind::Literal(Value::Null));
            crate::stack::guarded(move || drop(kind));
        }
    }
}
