//! Typed IR to [`Node`]s: lazy functions get their own nodes, `&` chains become one n-ary
//! concatenation, blank-as-zero is applied to Number fields, and pure constant subtrees are
//! folded. A fold that fails (`1/0`) keeps its node, so the error happens at run time with its
//! span. Folding has a budget ([`FOLD_BUDGET`]): every built-in is bounded by the text limit,
//! but a long formula of many large folds would still make `--check-only` slow, so once the
//! budget is spent the remaining nodes are left for run time.

use chrono::NaiveDateTime;

use super::machine;
use super::node::{Kind, Node};
use crate::catalog::Func;
use crate::ir::{FieldKey, Typed, TypedKind};
use crate::runtime::Context;
use crate::runtime::builtins::{Env, MAX_TEXT_CHARS};
use crate::syntax::BinaryOp;
use crate::{Type, Value};
use samlfx_diag::SourceMap;

/// Lowers a checked tree.
pub(crate) fn lower(t: &Typed, blank_as_zero: bool) -> Node {
    let mut folder = Folder {
        ctx: Context::default(),
        env: Env {
            now: NaiveDateTime::default(),
            // Folding sees subtrees of any depth.
            deep: true,
        },
        blank_as_zero,
        budget: FOLD_BUDGET,
    };
    folder.lower(t)
}

/// Characters of text that folding may read and produce in all (four maximal texts), plus one
/// per fold: enough for every ordinary formula, small enough that compiling stays quick.
pub(crate) const FOLD_BUDGET: usize = 4 * MAX_TEXT_CHARS;

struct Folder {
    /// An empty context: folded nodes read no fields.
    ctx: Context,
    env: Env,
    blank_as_zero: bool,
    /// What folding may still spend (see [`FOLD_BUDGET`]).
    budget: usize,
}

impl Folder {
    /// Lowers one node. Stored Number fields read as 0 when null under blank-as-zero; the checker
    /// has already done the same for formula fields.
    fn lower(&mut self, t: &Typed) -> Node {
        let inner = matches!(
            t.kind,
            TypedKind::Call { .. } | TypedKind::Unary { .. } | TypedKind::Binary { .. }
        );
        crate::stack::guarded_if(inner, || self.lower_here(t))
    }

    /// [`Folder::lower`] on the current stack segment.
    fn lower_here(&mut self, t: &Typed) -> Node {
        let node = |kind| Node::new(kind, t.ty, t.span);
        let zero = self.blank_as_zero && t.ty == Type::Number;
        match &t.kind {
            TypedKind::Literal(v) => Node::constant(v.clone(), t.ty, t.span, None),
            TypedKind::Text { text, map } => Node::constant(
                Value::Text(text.clone()),
                t.ty,
                t.span,
                Some((**map).clone()),
            ),
            TypedKind::Field(FieldKey::Merge(id)) => node(Kind::Merge { id: *id, zero }),
            TypedKind::Field(FieldKey::Permission(k)) => node(Kind::Permission(k.clone())),
            TypedKind::Field(FieldKey::Record(k)) => node(Kind::Record {
                key: k.clone(),
                zero,
            }),
            TypedKind::Call { func, args } => {
                let lowered: Vec<Node> = args.iter().map(|a| self.lower(a)).collect();
                let kind = lazy_kind(*func, lowered).unwrap_or_else(|lowered| Kind::Call {
                    func: *func,
                    types: lowered.iter().map(|a| a.ty).collect(),
                    args: lowered.into(),
                });
                self.fold(node(kind))
            }
            TypedKind::Unary { op, operand } => {
                let operand = Box::new(self.lower(operand));
                self.fold(node(Kind::Unary { op: *op, operand }))
            }
            TypedKind::Binary { .. } => self.chain(t),
        }
    }

    /// A binary node. The left spine of an operator chain (up to the parser's `max_chain` deep)
    /// is lowered with a loop, not by recursion, so long flat chains cost no stack.
    fn chain(&mut self, t: &Typed) -> Node {
        let mut spine = Vec::new();
        let mut bottom = t;
        while let TypedKind::Binary { lhs, .. } = &bottom.kind {
            spine.push(bottom);
            bottom = lhs;
        }
        let mut acc = self.lower(bottom);
        for t in spine.into_iter().rev() {
            let TypedKind::Binary { op, rhs, .. } = &t.kind else {
                unreachable!("the spine holds binary nodes")
            };
            let r = self.lower(rhs);
            acc = self.binary(t, *op, acc, r);
        }
        acc
    }

    /// One binary node from its lowered operands.
    fn binary(&mut self, t: &Typed, op: BinaryOp, l: Node, r: Node) -> Node {
        let node = |kind| Node::new(kind, t.ty, t.span);
        let is_concat = op == BinaryOp::Concat
            || (op == BinaryOp::Add && l.ty == Type::Text && r.ty == Type::Text);
        let kind = if is_concat && t.ty == Type::Text {
            Kind::Concat(concat_parts(l, r).into())
        } else if op == BinaryOp::And || op == BinaryOp::Or {
            let mut parts = Vec::new();
            for mut side in [l, r] {
                match side.take_kind() {
                    Kind::And(p) if op == BinaryOp::And => parts.extend(p),
                    Kind::Or(p) if op == BinaryOp::Or => parts.extend(p),
                    kind => {
                        side.kind = kind;
                        parts.push(side);
                    }
                }
            }
            if op == BinaryOp::And {
                Kind::And(parts.into())
            } else {
                Kind::Or(parts.into())
            }
        } else {
            Kind::Binary {
                op,
                operands: Box::new([l, r]),
            }
        };
        self.fold(node(kind))
    }

    /// Replaces a node whose operands are all constants by its value, unless it reads the clock
    /// or fails (then the failure belongs to run time).
    fn fold(&mut self, mut n: Node) -> Node {
        // IF with a constant condition is its chosen branch (the other never runs).
        if let Kind::If(b) = &n.kind
            && let Kind::Const(cond) = &b[0].kind
        {
            let pick = if matches!(cond, Value::Boolean(true)) {
                1
            } else {
                2
            };
            let Kind::If(b) = n.take_kind() else {
                unreachable!()
            };
            let [_, then, other] = *b;
            let mut chosen = if pick == 1 { then } else { other };
            if chosen.ty == Type::Null {
                chosen.ty = n.ty;
            }
            return chosen;
        }
        let foldable = match &n.kind {
            Kind::Call { func, args, .. } => {
                !matches!(func, Func::Now | Func::Today | Func::TimeNow) && all_const(args)
            }
            Kind::Concat(a) | Kind::Case(a) | Kind::Ifs(a) | Kind::And(a) | Kind::Or(a) => {
                all_const(a)
            }
            Kind::If(a) => all_const(&**a),
            Kind::IfError(a) => all_const(&**a),
            Kind::Unary { operand, .. } => is_const(operand),
            Kind::Binary { operands, .. } => all_const(&**operands),
            Kind::Const(_) | Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. } => {
                false
            }
        };
        if !foldable || self.budget == 0 {
            return n;
        }
        let read: usize = operands(&n.kind).iter().map(text_size).sum();
        let result = machine::eval(&n, &self.ctx, &self.env);
        let made = result.as_ref().map_or(0, text_size_of);
        self.budget = self.budget.saturating_sub(1 + read + made);
        match result {
            Ok(v) => {
                let map = folded_map(&n, &v);
                Node::constant(v, n.ty, n.span, map)
            }
            Err(_) => n,
        }
    }
}

/// The node kind of a lazy function, or the lowered arguments back when `func` is strict (or
/// the arity is not the lazy form's, which the built-in then reports).
fn lazy_kind(func: Func, args: Vec<Node>) -> Result<Kind, Vec<Node>> {
    let n = args.len();
    Ok(match func {
        Func::If if n == 3 => {
            let [c, t, e]: [Node; 3] = args.try_into().map_err(|_| Vec::new())?;
            Kind::If(Box::new([c, t, e]))
        }
        Func::Case if n >= 4 && n.is_multiple_of(2) => Kind::Case(args.into()),
        Func::Ifs if n >= 3 && !n.is_multiple_of(2) => Kind::Ifs(args.into()),
        Func::And => Kind::And(args.into()),
        Func::Or => Kind::Or(args.into()),
        Func::IfError if n == 2 => {
            let [v, f]: [Node; 2] = args.try_into().map_err(|_| Vec::new())?;
            Kind::IfError(Box::new([v, f]))
        }
        _ => return Err(args),
    })
}

/// The parts of `l & r`, nested chains spliced in and adjacent constant text merged.
fn concat_parts(l: Node, r: Node) -> Vec<Node> {
    let mut parts: Vec<Node> = Vec::new();
    for mut side in [l, r] {
        let pieces = match side.take_kind() {
            Kind::Concat(p) => p.into_vec(),
            kind => {
                side.kind = kind;
                vec![side]
            }
        };
        for p in pieces {
            match (parts.last_mut(), &p.kind) {
                (Some(last), Kind::Const(b)) if is_text_const(&last.kind) && is_text_like(b) => {
                    let Kind::Const(a) = &last.kind else {
                        unreachable!()
                    };
                    let joined = format!("{}{}", text_of(a), text_of(b));
                    let mut map = last.text_map();
                    map.append(&p.text_map());
                    let span = last.span.to(p.span);
                    *last = Node::constant(Value::text(joined), Type::Text, span, Some(map));
                }
                _ => parts.push(p),
            }
        }
    }
    parts
}

/// The source map of what folding `n` produced, when it is more precise than blaming all of it
/// on `n`: a concatenation of constants maps each part where that part came from, and a function
/// that keeps a piece of its first argument (TRIM, LEFT, RIGHT, MID, an ASCII UPPER or LOWER)
/// maps it where that piece was. Other folds (`TEXT(5)`, `SUBSTITUTE(…)`) made their text
/// themselves, so `None` lets the whole node answer.
fn folded_map(n: &Node, result: &Value) -> Option<SourceMap> {
    match &n.kind {
        Kind::Concat(parts) => {
            let mut map = SourceMap::new(n.span.start);
            for p in parts.iter() {
                map.append(&p.text_map());
            }
            Some(map)
        }
        Kind::Call { func, args, .. } => kept_piece_map(*func, args, result),
        _ => None,
    }
}

/// The map of `result` when `func` returned a piece of its first argument unchanged (or, for
/// UPPER and LOWER, changed in case only, byte for byte): the argument's map, sliced. The piece's
/// place is found from the function and then verified, so a mismatch just means `None`.
fn kept_piece_map(func: Func, args: &[Node], result: &Value) -> Option<SourceMap> {
    let first = args.first()?;
    let (Kind::Const(Value::Text(arg)), Some(map), Value::Text(res)) =
        (&first.kind, &first.map, result)
    else {
        return None;
    };
    let (arg, res) = (&**arg, &**res);
    let at = match func {
        Func::Left | Func::Upper | Func::Lower => 0,
        Func::Right => arg.len().checked_sub(res.len())?,
        Func::Trim => arg.len() - arg.trim_start_matches(' ').len(),
        // MID's start counts UTF-16 units; rather than recount, take the piece's only place.
        Func::Mid => {
            let at = arg.find(res)?;
            let next = at + arg[at..].chars().next()?.len_utf8();
            if arg[next..].contains(res) {
                return None;
            }
            at
        }
        _ => return None,
    };
    let piece = arg.get(at..at + res.len())?;
    let kept = match func {
        Func::Upper | Func::Lower => arg.is_ascii() && piece.eq_ignore_ascii_case(res),
        _ => piece == res,
    };
    kept.then(|| map.slice(at..at + res.len()))
}

fn is_text_const(k: &Kind) -> bool {
    matches!(k, Kind::Const(v) if is_text_like(v))
}

fn is_text_like(v: &Value) -> bool {
    matches!(v, Value::Text(_) | Value::Null)
}

fn text_of(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        _ => "",
    }
}

/// The direct operands of a node.
fn operands(k: &Kind) -> &[Node] {
    match k {
        Kind::Call { args: a, .. }
        | Kind::Concat(a)
        | Kind::Case(a)
        | Kind::Ifs(a)
        | Kind::And(a)
        | Kind::Or(a) => a,
        Kind::If(a) => &**a,
        Kind::IfError(a) => &**a,
        Kind::Unary { operand, .. } => std::slice::from_ref(&**operand),
        Kind::Binary { operands, .. } => &**operands,
        Kind::Const(_) | Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. } => &[],
    }
}

/// The length of a constant text node (what folding it reads).
fn text_size(n: &Node) -> usize {
    match &n.kind {
        Kind::Const(v) => text_size_of(v),
        _ => 0,
    }
}

fn text_size_of(v: &Value) -> usize {
    match v {
        Value::Text(s) => s.len(),
        _ => 0,
    }
}

fn is_const(n: &Node) -> bool {
    matches!(n.kind, Kind::Const(_))
}

fn all_const(ns: &[Node]) -> bool {
    ns.iter().all(is_const)
}
