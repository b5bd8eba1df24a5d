//! Operator typing (reference §2.2): which operand types each operator takes and what it yields.

use super::{Checker, Elem, Out, Ty, compatible, type_list};
use crate::Type::{self, Boolean, Date, DateTime, Null, Number, Text, Time};
use crate::ir::TypedKind;
use crate::syntax::{BinaryOp, Expr, ExprKind, UnaryOp};
use samlfx_diag::{Code, Diagnostic, Span};

/// What `x + …` accepts on the left.
const ADD_LHS: &[Type] = &[Number, Date, DateTime, Time, Text];
/// What `x - …` accepts on the left.
const SUB_LHS: &[Type] = &[Number, Date, DateTime, Time];
/// What `<`, `>`, `<=`, `>=` compare.
const ORDERED: &[Type] = &[Number, Date, DateTime, Time, Text];

impl Checker<'_> {
    pub(super) fn unary(&mut self, e: &Expr, op: UnaryOp, op_span: Span, operand: &Expr) -> Out {
        let inner = self.expr(operand, false);
        let want = if op == UnaryOp::Not { Boolean } else { Number };
        let ok = self.operand(
            op_element(op, op_span, self.src),
            operand,
            inner.ty,
            &[want],
        );
        let ty = if ok { Some(want) } else { None };
        let kind = TypedKind::Unary {
            op,
            operand: Box::new(inner.node),
        };
        Self::out(kind, ty, e.span)
    }

    /// A binary node. The left spine of an operator chain (`a & b & c & …` is
    /// `((a & b) & c) & …`, up to the parser's `max_chain` deep) is walked with a loop, not by
    /// recursion, so long flat chains cost no stack.
    pub(super) fn chain(&mut self, e: &Expr) -> Out {
        let mut spine = Vec::new();
        let mut bottom = e;
        while let ExprKind::Binary { lhs, .. } = &bottom.kind {
            spine.push(bottom);
            bottom = lhs;
        }
        let mut acc = self.expr(bottom, false);
        for node in spine.into_iter().rev() {
            let ExprKind::Binary { op, lhs, rhs, .. } = &node.kind else {
                unreachable!("the spine holds binary nodes")
            };
            acc = self.binary(node, *op, lhs, acc, rhs);
        }
        acc
    }

    /// One binary node whose left operand `l` is already checked.
    fn binary(&mut self, e: &Expr, op: BinaryOp, lhs: &Expr, l: Out, rhs: &Expr) -> Out {
        let r = self.expr(rhs, false);
        let ty = self.binary_type(Elem::Operator(op.symbol()), op, (lhs, l.ty), (rhs, r.ty));
        let kind = TypedKind::Binary {
            op,
            lhs: Box::new(l.node),
            rhs: Box::new(r.node),
        };
        Self::out(kind, ty, e.span)
    }

    fn binary_type(&mut self, what: Elem, op: BinaryOp, l: (&Expr, Ty), r: (&Expr, Ty)) -> Ty {
        use BinaryOp::*;
        let (lt, rt) = (l.1, r.1);
        match op {
            And | Or => {
                let a = self.operand(what, l.0, lt, &[Boolean]);
                let b = self.operand(what, r.0, rt, &[Boolean]);
                (a && b).then_some(Boolean)
            }
            Concat => {
                let a = self.operand(what, l.0, lt, &[Text]);
                let b = self.operand(what, r.0, rt, &[Text]);
                (a && b).then_some(Text)
            }
            Mul | Div | Pow => {
                let a = self.operand(what, l.0, lt, &[Number]);
                let b = self.operand(what, r.0, rt, &[Number]);
                (a && b).then_some(Number)
            }
            Add => {
                let lt = lt?;
                if !self.operand(what, l.0, Some(lt), ADD_LHS) {
                    return None;
                }
                let rhs_ok: &[Type] = match lt {
                    Number => &[Number, Date, DateTime, Time],
                    Date | DateTime | Time => &[Number],
                    Text => &[Text],
                    _ => ADD_LHS,
                };
                let rt = rt?;
                if !self.operand(what, r.0, Some(rt), rhs_ok) {
                    if lt == Number && rt == Text {
                        // `1 + 'a'`: either a join or a sum was meant.
                        let (ls, rs) = (self.show(l.0), self.show(r.0));
                        if let Some(d) = self.diags.last_mut() {
                            d.help = Some(format!(
                                "to join text, write `TEXT({ls}) & {rs}`; to add, convert the text: `{ls} + VALUE({rs})`"
                            ));
                        }
                    }
                    return None;
                }
                Some(match (lt, rt) {
                    (Null, Null) => Null,
                    (Null, Number) => Number,
                    (Null, t) | (t, Null) => t,
                    (Number, t) => t,
                    (t, _) => t,
                })
            }
            Sub => {
                let lt = lt?;
                if !self.operand(what, l.0, Some(lt), SUB_LHS) {
                    return None;
                }
                let rhs_ok: &[Type] = match lt {
                    Number => &[Number],
                    Date => &[Number, Date],
                    DateTime => &[Number, DateTime],
                    Time => &[Number, Time],
                    _ => SUB_LHS,
                };
                let rt = rt?;
                if !self.operand(what, r.0, Some(rt), rhs_ok) {
                    return None;
                }
                Some(match (lt, rt) {
                    (Null, Null) => Null,
                    (Null, _) => Number,
                    (t, Null) => t,
                    (Number, _) => Number,
                    (t, Number) => t,
                    // Date - Date, DateTime - DateTime, Time - Time: a difference.
                    _ => Number,
                })
            }
            Eq | Ne => {
                // Locations are not compared (reference §2.2): only their DISTANCE.
                for (ty, operand) in [(lt, l.0), (rt, r.0)] {
                    if ty == Some(Type::Location) {
                        self.wrong_type(
                            what,
                            operand,
                            &[Number, Text, Date, DateTime, Time, Boolean],
                            Type::Location,
                        );
                        return None;
                    }
                }
                if !compatible(lt, rt) {
                    let (lt, rt) = (lt.unwrap_or(Null), rt.unwrap_or(Null));
                    self.wrong_type(what, r.0, &[lt], rt);
                    return None;
                }
                Some(Boolean)
            }
            Lt | Gt | Le | Ge => {
                let lt = lt?;
                if !self.operand(what, l.0, Some(lt), ORDERED) {
                    self.chained_comparison_help(op, l.0, r.0);
                    return None;
                }
                let rhs_ok: &[Type] = if lt == Null { ORDERED } else { &[lt] };
                if !self.operand(what, r.0, rt, rhs_ok) {
                    return None;
                }
                Some(Boolean)
            }
        }
    }

    /// `1 < 2 < 3` reads as `(1 < 2) < 3`, a Boolean compared with a Number: when the left
    /// operand is itself a comparison, the F104 just reported gets the range test as help,
    /// `AND(1 < 2, 2 < 3)`.
    fn chained_comparison_help(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) {
        use BinaryOp::*;
        let ExprKind::Binary {
            op: inner,
            rhs: middle,
            ..
        } = &lhs.kind
        else {
            return;
        };
        if !matches!(inner, Lt | Gt | Le | Ge | Eq | Ne) {
            return;
        }
        let (first, middle, last) = (self.show(lhs), self.show(middle), self.show(rhs));
        let help = format!(
            "comparisons do not chain; to test both, write `AND({first}, {middle} {} {last})`",
            op.symbol()
        );
        if let Some(d) = self.diags.last_mut() {
            d.help = Some(help);
        }
    }

    /// Checks one operand or argument against the accepted types, reporting F104 on the operand.
    /// Null and the error type are always accepted.
    pub(super) fn operand(&mut self, what: Elem, e: &Expr, ty: Ty, accepts: &[Type]) -> bool {
        match ty {
            None | Some(Null) => true,
            Some(t) if accepts.is_empty() || accepts.contains(&t) => true,
            Some(t) => {
                self.wrong_type(what, e, accepts, t);
                false
            }
        }
    }

    /// F104: `Incorrect parameter type for {what}. Expected {accepts}, received {t}`.
    pub(super) fn wrong_type(&mut self, what: Elem, e: &Expr, accepts: &[Type], t: Type) {
        let shown = self.show(e);
        self.error(
            Diagnostic::new(
                Code::WrongArgumentType,
                format!(
                    "Incorrect parameter type for {what}. Expected {}, received {t}",
                    type_list(accepts)
                ),
            )
            .at_labelled(e.span, format!("this is {t}"))
            .with_help(super::calls::conversion_help(accepts, t, &shown)),
        );
    }
}

/// How a unary operator is named in messages: `NOT` is a function to the engine, `!`, `-` and
/// `+` are operators.
fn op_element(op: UnaryOp, op_span: Span, src: Option<&str>) -> Elem {
    match op {
        UnaryOp::Not => {
            let bang = src
                .and_then(|s| s.get(op_span.start..op_span.end))
                .is_some_and(|t| t.starts_with('!'));
            if bang {
                Elem::Operator("!")
            } else {
                Elem::Function("NOT")
            }
        }
        _ => Elem::Operator(op.symbol()),
    }
}
