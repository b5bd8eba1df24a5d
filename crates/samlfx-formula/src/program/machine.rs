//! The evaluator: walks a compiled [`Node`] tree. IF, CASE, IFS, AND, OR and IFERROR are lazy;
//! everything else evaluates its arguments and calls the strict built-ins. Each recursive step
//! goes through [`crate::stack::guarded`], so any depth runs on any thread; the left
//! spine of a binary operator chain is a loop.

use std::borrow::Cow;
use std::cell::RefCell;

use bigdecimal::BigDecimal;

use super::node::{Kind, Node};
use crate::runtime::builtins::text::units_len;
use crate::runtime::builtins::{self, Env, MAX_TEXT_CHARS, too_long};
use crate::runtime::{Context, EvalError};
use crate::syntax::BinaryOp;
use crate::{Type, Value};
use samlfx_diag::Code;

/// Evaluates one node.
pub(crate) fn eval(node: &Node, ctx: &Context, env: &Env) -> Result<Value, EvalError> {
    let leaf = matches!(
        node.kind,
        Kind::Const(_) | Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. }
    );
    crate::stack::guarded_if(env.deep && !leaf, || eval_here(node, ctx, env))
}

/// [`eval`] on the current stack segment.
fn eval_here(node: &Node, ctx: &Context, env: &Env) -> Result<Value, EvalError> {
    match &node.kind {
        Kind::Const(v) => Ok(v.clone()),
        Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. } => {
            Ok(read_field(node, ctx).into_owned())
        }
        Kind::Concat(parts) => concat(parts, ctx, env),
        Kind::If(b) => {
            let [cond, then, other] = &**b;
            if truthy(&eval(cond, ctx, env)?) {
                eval(then, ctx, env)
            } else {
                eval(other, ctx, env)
            }
        }
        Kind::Case(args) => case(args, ctx, env),
        Kind::Ifs(args) => {
            let (last, pairs) = args.split_last().expect("IFS has an else value");
            for pair in pairs.chunks_exact(2) {
                if truthy(&eval(&pair[0], ctx, env)?) {
                    return eval(&pair[1], ctx, env);
                }
            }
            eval(last, ctx, env)
        }
        Kind::And(args) => {
            for a in args.iter() {
                if !truthy(&eval(a, ctx, env)?) {
                    return Ok(Value::Boolean(false));
                }
            }
            Ok(Value::Boolean(true))
        }
        Kind::Or(args) => {
            for a in args.iter() {
                if truthy(&eval(a, ctx, env)?) {
                    return Ok(Value::Boolean(true));
                }
            }
            Ok(Value::Boolean(false))
        }
        Kind::IfError(b) => {
            let [value, fallback] = &**b;
            // A limit of samlfx is no error in Salesforce, so IFERROR must not take its fallback.
            eval(value, ctx, env).or_else(|e| match e.code {
                Code::UnsupportedBySamlfx => Err(e),
                _ => eval(fallback, ctx, env),
            })
        }
        Kind::Call { func, args, types } => {
            let values = args
                .iter()
                .map(|a| eval(a, ctx, env))
                .collect::<Result<Vec<_>, _>>()?;
            builtins::call(*func, &values, types, env).map_err(|f| {
                let span = f
                    .arg
                    .and_then(|i| args.get(i))
                    .map_or(node.span, |a| a.span);
                f.at(span)
            })
        }
        Kind::Unary { op, operand } => {
            let v = eval(operand, ctx, env)?;
            builtins::unary(*op, operand.ty, v).map_err(|f| f.at(node.span))
        }
        Kind::Binary { .. } => chain(node, ctx, env),
    }
}

/// A binary node. The left spine of an operator chain (`1+1+…`, up to the parser's `max_chain`
/// deep) is evaluated with a loop, not by recursion, in the same order: the leftmost operand
/// first, then each right operand as its operator is applied.
fn chain(node: &Node, ctx: &Context, env: &Env) -> Result<Value, EvalError> {
    let mut spine = Vec::new();
    let mut bottom = node;
    while let Kind::Binary { operands, .. } = &bottom.kind {
        spine.push(bottom);
        bottom = &operands[0];
    }
    let mut acc = eval(bottom, ctx, env)?;
    for n in spine.into_iter().rev() {
        let Kind::Binary { op, operands } = &n.kind else {
            unreachable!("the spine holds binary nodes")
        };
        let [l, r] = &**operands;
        let rv = eval(r, ctx, env)?;
        acc = builtins::binary(*op, l.ty, r.ty, acc, rv).map_err(|f| f.at(n.span))?;
    }
    Ok(acc)
}

/// A field's value, borrowed from the context; blank-as-zero applied.
fn read_field<'c>(node: &Node, ctx: &'c Context) -> Cow<'c, Value> {
    let (v, zero) = match &node.kind {
        Kind::Merge { id, zero } => (ctx.merge(*id), *zero),
        Kind::Permission(key) => (ctx.permission(key), false),
        Kind::Record { key, zero } => (ctx.record(key), *zero),
        _ => unreachable!("read_field on a field node"),
    };
    if zero && v.is_null() {
        Cow::Owned(Value::Number(BigDecimal::from(0)))
    } else {
        Cow::Borrowed(v)
    }
}

/// A node's value, borrowed where it already exists (constants, fields).
fn eval_cow<'a>(node: &'a Node, ctx: &'a Context, env: &Env) -> Result<Cow<'a, Value>, EvalError> {
    match &node.kind {
        Kind::Const(v) => Ok(Cow::Borrowed(v)),
        Kind::Merge { .. } | Kind::Permission(_) | Kind::Record { .. } => Ok(read_field(node, ctx)),
        _ => eval(node, ctx, env).map(Cow::Owned),
    }
}

/// A flattened `&` chain: null parts are skipped, an all-null chain is null. Each part's length
/// is added before it is appended, so the chain stops at the text limit with the span of the
/// part that crossed it.
fn concat(parts: &[Node], ctx: &Context, env: &Env) -> Result<Value, EvalError> {
    thread_local! {
        /// The text a chain is built in before it becomes a value: one buffer per thread,
        /// reused, rather than a `String` allocated and freed per evaluation (an audit
        /// evaluates a chain per user).
        static CHAIN: RefCell<String> = const { RefCell::new(String::new()) };
    }
    CHAIN.with(|chain| match chain.try_borrow_mut() {
        Ok(mut out) => {
            out.clear();
            concat_in(parts, ctx, env, &mut out)
        }
        // A chain inside a part of a chain (`UPPER(a & b) & c`): the buffer is taken.
        Err(_) => concat_in(parts, ctx, env, &mut String::new()),
    })
}

/// [`concat`] in the buffer `out`.
fn concat_in(
    parts: &[Node],
    ctx: &Context,
    env: &Env,
    out: &mut String,
) -> Result<Value, EvalError> {
    let mut len = 0usize;
    for (i, part) in parts.iter().enumerate() {
        match &*eval_cow(part, ctx, env)? {
            Value::Null => {}
            Value::Text(s) => {
                len += units_len(s);
                if len > MAX_TEXT_CHARS {
                    let whole = parts[0].span.to(part.span);
                    return Err(too_long("text concatenation (& or +)", len as u128).at(whole));
                }
                out.push_str(s);
            }
            other => {
                // Not Text (the checker should have refused it): let the operator decide.
                let mut acc = Value::text(&*out);
                let mut next = Some(other.clone());
                for p in &parts[i..] {
                    let v = match next.take() {
                        Some(v) => v,
                        None => eval(p, ctx, env)?,
                    };
                    acc = builtins::binary(BinaryOp::Concat, Type::Text, p.ty, acc, v)
                        .map_err(|f| f.at(p.span))?;
                }
                return Ok(acc);
            }
        }
    }
    Ok(Value::text(&*out))
}

fn case(args: &[Node], ctx: &Context, env: &Env) -> Result<Value, EvalError> {
    let (subject, rest) = args.split_first().expect("CASE has a subject");
    let (other, pairs) = rest.split_last().expect("CASE has an else value");
    let s = eval(subject, ctx, env)?;
    if !s.is_null() {
        for pair in pairs.chunks_exact(2) {
            let v = eval(&pair[0], ctx, env)?;
            if builtins::equals(subject.ty, &s, &v) == Some(true) {
                return eval(&pair[1], ctx, env);
            }
        }
    }
    eval(other, ctx, env)
}

/// How IF, AND and OR read a condition: only TRUE is true; null is false.
fn truthy(v: &Value) -> bool {
    matches!(v, Value::Boolean(true))
}
