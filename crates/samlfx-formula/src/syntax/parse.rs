//! The parser: formula text to an [`Expr`] with byte spans, built on nom 8, nom_locate and
//! nom-language's precedence climber.
//!
//! # Guarantees
//!
//! - Every input ends in `Ok` or in diagnostics with a code, a span inside the input on char
//!   boundaries, and a help line; no input panics, hangs or overflows the stack.
//! - **Nesting** — groups, calls and prefix operators — is at most [`ParseLimits::max_depth`]
//!   levels (3,900 by default). A flat operator chain such as `'a' & 'b' & …` or `1+1+…+1` is not
//!   nesting: it is bounded separately by [`ParseLimits::max_chain`], the number of binary
//!   operators on any path from the root (2,000 by default). Both bounds are derived from
//!   Salesforce's 3,900-character limit: a nesting level costs at least one character (`-`, `!`
//!   or `(`) and a binary operator at least two (`1+`), so every formula within that limit
//!   passes both (IFs nested 150 deep, `(((…1…)))` 1,949 deep, `----…1` 3,898 deep). Input
//!   past either bound is F011: the bounds keep time and memory linear, not the stack.
//! - Hence the depth of a returned AST ([`Expr::depth`], a leaf has depth 1) is at most
//!   `max_depth + max_chain`. The parser and every later stage that recurses over a tree
//!   (printer, walkers, checker, compiler, evaluator, `Drop`) takes each recursive step through
//!   `crate::stack::guarded`, which continues on a new heap-allocated stack segment when the
//!   current one runs low; so no accepted depth overflows any thread's stack, even in a debug
//!   build. `tests/nesting.rs` runs the deepest shapes through every stage on 2 MiB threads and
//!   100,000-deep hostile input to F011.
//! - The parser's own recursion follows groups and calls only: binary and prefix operators are
//!   folded by an explicit stack.
//! - Time is linear in the input: no parser backtracks over a sub-expression.
//!
//! # Text literals
//!
//! `\"`, `\'` and `\\` stand for the quote or backslash itself. `\n`, `\r` and `\t` (and
//! `\N`, `\R`, `\T`) are kept as the two characters written, as Salesforce's formula engine
//! does at run time; with [`ParseLimits::decode_control_escapes`] they become a line feed,
//! carriage return and tab instead (unconfirmed Salesforce behaviour, off by default). Any other
//! escape is F006.

use nom::combinator::fail;
use nom::{Err, Parser};
use nom_language::precedence::{Assoc, Binary, Operation, binary_op, precedence, unary_op};

use super::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use super::error::{PError, PResult, fatal, found_len};
use super::lex::{
    In, curly_quote, curly_quote_error, ident, invalid_char_error, invalid_number,
    is_ident_continue, is_ident_start, number, off, span_of, split, string, token_text, ws,
};
use samlfx_diag::{Code, Diagnostic, Span};

/// The default bound on nesting: groups, calls and prefix operators. Derived from Salesforce's
/// 3,900-character limit: each level costs at least one character (`-1`, `!!TRUE`, `((1))`), so
/// no formula Salesforce accepts nests deeper. The stack is not what limits it: every
/// recursive stage grows its stack on the heap (see the module docs).
pub const DEFAULT_MAX_DEPTH: u32 = 3_900;

/// The default bound on binary operators along any path of the AST: a chain `a & b & …` of
/// 2,001 terms. Derived from Salesforce's 3,900-character limit: each binary operator needs at
/// least two characters (`1+1+…`), so no accepted Salesforce formula has more than 1,950.
pub const DEFAULT_MAX_CHAIN: u32 = 2_000;

/// The default bound on formula size in bytes.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;

/// Bounds that keep any input from exhausting the stack, memory or time.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    /// Maximum nesting of groups, calls and prefix operators.
    pub max_depth: u32,
    /// Maximum number of binary operators on any path from the root (long flat chains).
    pub max_chain: u32,
    /// Maximum formula size in bytes.
    pub max_bytes: usize,
    /// Decode `\n`, `\r`, `\t` in text literals to control characters instead of keeping the
    /// two characters as written (Salesforce's run-time behaviour, the default).
    pub decode_control_escapes: bool,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_depth: DEFAULT_MAX_DEPTH,
            max_chain: DEFAULT_MAX_CHAIN,
            max_bytes: DEFAULT_MAX_BYTES,
            decode_control_escapes: false,
        }
    }
}

/// Parses one formula. Syntax errors are returned as diagnostics with spans into `src`.
pub fn parse(src: &str) -> Result<Expr, Vec<Diagnostic>> {
    parse_with(src, &ParseLimits::default())
}

/// Parses one formula under explicit limits. The returned AST nests at most `limits.max_depth`
/// levels and its depth is at most `limits.max_depth + limits.max_chain`.
pub fn parse_with(src: &str, limits: &ParseLimits) -> Result<Expr, Vec<Diagnostic>> {
    if src.len() > limits.max_bytes {
        return Err(vec![
            Diagnostic::new(
                Code::FormulaTooLarge,
                format!(
                    "Formula is too large ({} bytes).  Maximum size is {} bytes",
                    src.len(),
                    limits.max_bytes
                ),
            )
            .with_help("shorten the formula; Salesforce itself accepts at most 3,900 characters"),
        ]);
    }
    let ctx = Ctx {
        src,
        max_depth: limits.max_depth.max(1),
        max_chain: limits.max_chain,
        decode: limits.decode_control_escapes,
    };
    formula(In::new_extra(src, 0), &ctx)
        .map_err(|e| vec![xml_entity_hint(src, e.into_diagnostic(src))])
}

/// XML's escapes for the characters a formula uses most, as they appear when a formula copied
/// out of metadata XML (or escaped twice in it) still holds them.
const XML_ENTITIES: &[(&str, &str)] = &[
    ("&amp;", "&"),
    ("&apos;", "'"),
    ("&quot;", "\""),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&#39;", "'"),
    ("&#34;", "\""),
];

/// A syntax error at or just after an XML entity (`&amp;`, `&apos;`) outside a text literal is
/// that entity, not the formula's own mistake: say so, and point at the entity.
fn xml_entity_hint(src: &str, d: Diagnostic) -> Diagnostic {
    let Some(at) = d.span else {
        return d;
    };
    // The entity that covers the error, or ends right before it (`&amp;` lexes as `&`, `amp`, `;`).
    let hit = XML_ENTITIES.iter().find_map(|(entity, plain)| {
        let from = at.start.saturating_sub(entity.len());
        let window = src.get(from..(at.end + entity.len()).min(src.len()))?;
        let i = window.find(entity)?;
        let start = from + i;
        (start <= at.start && at.start < start + entity.len() + 1)
            .then_some((start, *entity, *plain))
    });
    let Some((start, entity, plain)) = hit else {
        return d;
    };
    let span = Span::new(start, start + entity.len());
    Diagnostic {
        span: Some(span),
        span_label: Some(format!("`{entity}` is XML's escape for `{plain}`")),
        help: Some(format!(
            "write `{plain}`: the formula was copied out of XML or escaped twice in a metadata file (XML writes `{plain}` as `{entity}` once, and samlfx reads it back)"
        )),
        ..d
    }
}

/// What every parser needs besides its input.
struct Ctx<'a> {
    src: &'a str,
    max_depth: u32,
    max_chain: u32,
    decode: bool,
}

/// An expression with its nesting, its chain length and its outer span (parentheses included),
/// which a parent node's span covers.
struct Node {
    expr: Expr,
    /// Calls and prefix operators on the deepest path, plus 1 for the leaf.
    nest: u32,
    /// Binary operators on the longest path.
    chain: u32,
    outer: Span,
}

impl Node {
    fn leaf(kind: ExprKind, span: Span) -> Node {
        Node {
            expr: Expr { kind, span },
            nest: 1,
            chain: 0,
            outer: span,
        }
    }
}

fn unwrap_err(e: Err<PError>) -> PError {
    match e {
        Err::Error(e) | Err::Failure(e) => e,
        Err::Incomplete(_) => PError::Backtrack(Span::default()),
    }
}

/// `formula := expr EOF`.
fn formula(i: In, ctx: &Ctx) -> Result<Expr, PError> {
    // A leading byte-order mark is a file-encoding artefact, not formula text: skip it as
    // whitespace (spans stay offsets into `src`). Anywhere else it is F008.
    let i = if i.fragment().starts_with('\u{FEFF}') {
        split(i, '\u{FEFF}'.len_utf8()).0
    } else {
        i
    };
    let (i, _) = ws(i).map_err(unwrap_err)?;
    if i.fragment().is_empty() {
        return Err(PError::Fatal(Box::new(
            Diagnostic::new(Code::EmptyFormula, "Syntax error.  The formula is empty")
                .at(Span::new(0, ctx.src.len()))
                .with_help("write an expression, e.g. $User.Alias"),
        )));
    }
    let (r, node) = expr(i, ctx).map_err(unwrap_err)?;
    let (r, _) = ws(r).map_err(unwrap_err)?;
    if r.fragment().is_empty() {
        Ok(node.expr)
    } else {
        Err(trailing(r, ctx))
    }
}

/// One expression; recursion enters here only through `(`, so `i.extra` is the nesting depth.
fn expr<'a>(i: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Box<Node>> {
    crate::stack::guarded(|| expr_here(i, ctx))
}

/// [`expr`] on the current stack segment.
fn expr_here<'a>(i: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Box<Node>> {
    let r = precedence(
        unary_op(1u8, prefix_op),
        fail::<_, nom_language::precedence::Unary<(), u8>, _>(),
        binary,
        // Operands are boxed: the climber keeps many operand-sized temporaries in its frame,
        // and this keeps that frame (paid once per nesting level) small in debug builds.
        |i| operand(i, ctx),
        |op: Operation<(UnaryOp, Span), (), (BinaryOp, Span), Box<Node>>| fold(op, ctx),
    )(i);
    match r {
        // The operand parser and the fold only fail finally; anything else is not recoverable
        // either, because no caller has an alternative to an expression.
        Err(Err::Error(e)) => Err(Err::Failure(e)),
        r => r,
    }
}

/// Prefix operators: `+ - !` and the keyword `NOT` (case-insensitive, a whole identifier).
fn prefix_op(i: In) -> PResult<(UnaryOp, Span)> {
    let (i, _) = ws(i)?;
    let f = *i.fragment();
    let at = off(&i);
    let (op, len) = match f.as_bytes().first() {
        Some(b'+') => (UnaryOp::Plus, 1),
        Some(b'-') => (UnaryOp::Minus, 1),
        Some(b'!') if !f.starts_with("!=") => (UnaryOp::Not, 1),
        _ if f.get(..3).is_some_and(|k| k.eq_ignore_ascii_case("NOT"))
            && !f[3..].starts_with(is_ident_continue) =>
        {
            (UnaryOp::Not, 3)
        }
        _ => return Err(Err::Error(PError::Backtrack(Span::new(at, at)))),
    };
    Ok((split(i, len).0, (op, Span::new(at, at + len))))
}

/// One binary operator, longest match; lexed once, then handed to the climber with its level.
fn binary(i: In) -> PResult<Binary<(BinaryOp, Span), u8>> {
    let (rest, tok) = binary_tok(i)?;
    // nom-language: a lower number binds tighter; unary operators are level 1.
    let level = 9 - tok.0.precedence();
    binary_op(level, Assoc::Left, move |_: In| Ok((rest, tok))).parse(i)
}

fn binary_tok(i: In) -> PResult<(BinaryOp, Span)> {
    use BinaryOp::*;
    let (i, _) = ws(i)?;
    let f = *i.fragment();
    let at = off(&i);
    let two = match f.get(..2) {
        Some("&&") => Some(And),
        Some("||") => Some(Or),
        Some("<=") => Some(Le),
        Some(">=") => Some(Ge),
        Some("<>") | Some("!=") => Some(Ne),
        Some("==") => Some(Eq),
        Some("=>") => {
            return fatal(
                Diagnostic::new(Code::UnexpectedToken, "Syntax error.  Found '=>'")
                    .at_labelled(Span::new(at, at + 2), "not an operator")
                    .with_help("'=>' is not a formula operator; did you mean '>='?"),
            );
        }
        _ => None,
    };
    let (op, len) = match two {
        Some(op) => (op, 2),
        None => match f.as_bytes().first() {
            Some(b'&') => (Concat, 1),
            Some(b'+') => (Add, 1),
            Some(b'-') => (Sub, 1),
            Some(b'*') => (Mul, 1),
            Some(b'/') => (Div, 1),
            Some(b'^') => (Pow, 1),
            Some(b'<') => (Lt, 1),
            Some(b'>') => (Gt, 1),
            Some(b'=') => (Eq, 1),
            _ => return Err(Err::Error(PError::Backtrack(Span::new(at, at)))),
        },
    };
    let op_span = Span::new(at, at + len);
    let (after, _) = ws(split(i, len).0)?;
    if after.fragment().is_empty() {
        let sym = &f[..len];
        return fatal(
            Diagnostic::new(
                Code::DanglingOperator,
                "Syntax error.  Found 'end of formula'",
            )
            .at_labelled(op_span, "this operator has no right-hand value")
            .with_help(format!(
                "remove the trailing '{sym}' or add a value after it"
            )),
        );
    }
    Ok((after, (op, op_span)))
}

fn too_deep(max: u32, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NestingTooDeep,
        format!("Formula nests deeper than {max} levels"),
    )
    .at_labelled(span, "the nesting limit is crossed here")
    .with_help("simplify the formula: fewer nested parentheses, calls and prefix operators; no formula within Salesforce's 3,900-character limit nests this deep")
}

fn chain_too_long(max: u32, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::NestingTooDeep,
        format!("Formula has an operator chain longer than {max} operators"),
    )
    .at_labelled(span, "the chain limit is crossed here")
    .with_help("shorten the formula: Salesforce accepts at most 3,900 characters, far fewer operators than this")
}

/// Builds one operator node; refuses one past the nesting or chain bound.
fn fold(
    op: Operation<(UnaryOp, Span), (), (BinaryOp, Span), Box<Node>>,
    ctx: &Ctx,
) -> Result<Box<Node>, Box<Diagnostic>> {
    match op {
        Operation::Prefix((op, op_span), n) => {
            let nest = n.nest + 1;
            if nest > ctx.max_depth {
                return Err(Box::new(too_deep(ctx.max_depth, op_span)));
            }
            let span = op_span.to(n.outer);
            Ok(Box::new(Node {
                expr: Expr {
                    kind: ExprKind::Unary {
                        op,
                        op_span,
                        operand: Box::new(n.expr),
                    },
                    span,
                },
                nest,
                chain: n.chain,
                outer: span,
            }))
        }
        Operation::Binary(l, (op, op_span), r) => {
            let chain = l.chain.max(r.chain) + 1;
            if chain > ctx.max_chain {
                return Err(Box::new(chain_too_long(ctx.max_chain, op_span)));
            }
            let span = l.outer.to(r.outer);
            Ok(Box::new(Node {
                expr: Expr {
                    kind: ExprKind::Binary {
                        op,
                        op_span,
                        lhs: Box::new(l.expr),
                        rhs: Box::new(r.expr),
                    },
                    span,
                },
                nest: l.nest.max(r.nest),
                chain,
                outer: span,
            }))
        }
        Operation::Postfix(n, ()) => Ok(n),
    }
}

/// A value: literal, keyword, field, call or parenthesised group.
///
/// Only groups and calls recurse. Everything else happens in [`operand_start`], whose frame is
/// gone before the recursion starts: the frames on the recursive path are kept small so that
/// deep nesting stays cheap in stack even in debug builds.
fn operand<'a>(i: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Box<Node>> {
    let (r, start) = operand_start(i, ctx)?;
    match start {
        Start::Leaf(node) => Ok((r, node)),
        Start::Group => group(r, ctx),
        Start::Call(name, name_span) => call(name, name_span, r, ctx),
    }
}

/// What an operand turned out to be after its first token.
enum Start<'a> {
    Leaf(Box<Node>),
    /// The input is at the `(`.
    Group,
    /// The input is at the call's `(`.
    Call(&'a str, Span),
}

#[inline(never)]
fn operand_start<'a>(i: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Start<'a>> {
    let (i, _) = ws(i)?;
    let f = *i.fragment();
    let at = off(&i);
    let Some(c) = f.chars().next() else {
        return fatal(unexpected(&i, "a value was expected here").with_help(
            "add a value: a field such as $User.Alias, a text literal, a number or a function call",
        ));
    };
    let leaf = |r, kind, span| Ok((r, Start::Leaf(Box::new(Node::leaf(kind, span)))));
    match c {
        '(' => Ok((i, Start::Group)),
        '\'' | '"' => {
            let (r, (text, map)) = string(i, ctx.src, ctx.decode)?;
            let span = Span::new(at, off(&r));
            leaf(r, ExprKind::Text(text, map), span)
        }
        '0'..='9' => {
            let (r, lit) = number(i)?;
            leaf(r, ExprKind::Number((*lit.fragment()).into()), span_of(&lit))
        }
        c if is_ident_start(c) => {
            let (r, name) = ident(i)?;
            let text = *name.fragment();
            let span = span_of(&name);
            if text.eq_ignore_ascii_case("TRUE") {
                return leaf(r, ExprKind::Boolean(true), span);
            } else if text.eq_ignore_ascii_case("FALSE") {
                return leaf(r, ExprKind::Boolean(false), span);
            } else if text.eq_ignore_ascii_case("NULL") {
                return leaf(r, ExprKind::Null, span);
            }
            let (after, _) = ws(r)?;
            if after.fragment().starts_with('(') {
                Ok((after, Start::Call(text, span)))
            } else {
                leaf(r, ExprKind::Field(text.into()), span)
            }
        }
        _ => match lexical_error(&i, ctx) {
            Some(e) => Err(Err::Failure(e)),
            None => fatal(unexpected(&i, "a value was expected here").with_help(
                "expected a value here: a field such as $User.Alias, a text literal, a number, a function call or '('",
            )),
        },
    }
}

/// `Syntax error.  Found 'X'` (F001) for the token at `i`.
fn unexpected(i: &In, label: &str) -> Diagnostic {
    let rest = i.fragment();
    let at = off(i);
    Diagnostic::new(
        Code::UnexpectedToken,
        format!("Syntax error.  Found {}", quoted(&token_text(rest))),
    )
    .at_labelled(Span::new(at, at + found_len(rest)), label)
}

/// A token as messages quote it: in `'…'`, text literals included (`Found '"a"'`), as
/// Salesforce's `Found ''{2}''` template does for every token.
fn quoted(text: &str) -> String {
    format!("'{text}'")
}

/// The lexical error (F004, F006, F007, F008, F010) of the token at `i`, if it is malformed.
fn lexical_error(i: &In, ctx: &Ctx) -> Option<PError> {
    let f = *i.fragment();
    let at = off(i);
    let c = f.chars().next()?;
    let err = |d: Diagnostic| Some(PError::Fatal(Box::new(d)));
    match c {
        '\'' | '"' => string(*i, ctx.src, ctx.decode).err().map(unwrap_err),
        '0'..='9' => number(*i).err().map(unwrap_err),
        '.' if f[1..].starts_with(|c: char| c.is_ascii_digit()) => {
            let digits = f[1..].bytes().take_while(u8::is_ascii_digit).count();
            let text = &f[..1 + digits];
            err(invalid_number(
                text,
                Span::new(at, at + text.len()),
                format!("a number cannot start with '.'; write 0{text}"),
            ))
        }
        c if curly_quote(c).is_some() => err(curly_quote_error(ctx.src, at, c)),
        c if is_ident_start(c) || "(),&+-*/^=<>!".contains(c) => None,
        '|' if f.starts_with("||") => None,
        c => err(invalid_char_error(at, c)),
    }
}

/// Input after a complete expression: F003 `Syntax error. Extra X`, unless the token is itself
/// malformed.
fn trailing(r: In, ctx: &Ctx) -> PError {
    if let Some(e) = lexical_error(&r, ctx) {
        return e;
    }
    let f = *r.fragment();
    let at = off(&r);
    let text = token_text(f);
    let c = f.chars().next().unwrap_or(' ');
    let shown = if is_ident_start(c) {
        text.clone()
    } else {
        quoted(&text)
    };
    let help = if is_ident_start(c) || c.is_ascii_digit() || c == '\'' || c == '"' || c == '(' {
        "a formula is one expression; to join two values put '&' between them".to_string()
    } else if c == ')' {
        "remove this ')' or add the matching '(' before it".to_string()
    } else if c == ',' {
        "commas only separate the arguments of a function call".to_string()
    } else {
        format!("remove {shown}")
    };
    PError::Fatal(Box::new(
        Diagnostic::new(Code::ExtraInput, format!("Syntax error. Extra {shown}"))
            .at_labelled(
                Span::new(at, at + found_len(f)),
                "the formula should end before this",
            )
            .with_help(help),
    ))
}

/// F011 when one more level of nesting at `open` would cross the bound.
fn enter(open: &In, ctx: &Ctx, span: Span) -> Result<(), Err<PError>> {
    if open.extra >= ctx.max_depth {
        Err(too_deep_err(ctx.max_depth, span))
    } else {
        Ok(())
    }
}

#[cold]
#[inline(never)]
fn too_deep_err(max: u32, span: Span) -> Err<PError> {
    Err::Failure(PError::Fatal(Box::new(too_deep(max, span))))
}

/// F002 at the end of the formula, pointing back at the unmatched `(`.
fn missing_paren(ctx: &Ctx, open: Span) -> PError {
    let end = ctx.src.trim_end_matches(super::lex::is_ws).len();
    PError::Fatal(Box::new(
        Diagnostic::new(Code::MissingToken, "Syntax error.  Missing ')'")
            .at_labelled(Span::new(end, end), "expected ')' here")
            .with_label(open, "this parenthesis is never closed")
            .with_help("add ')' to close the parenthesis"),
    ))
}

/// A token other than `)` (or `,` in a call) where one of those was expected; F002 at the end.
#[cold]
#[inline(never)]
fn unclosed(r: &In, ctx: &Ctx, open: Span, in_call: bool) -> Err<PError> {
    Err::Failure(unclosed_error(r, ctx, open, in_call))
}

fn unclosed_error(r: &In, ctx: &Ctx, open: Span, in_call: bool) -> PError {
    if r.fragment().is_empty() {
        return missing_paren(ctx, open);
    }
    if let Some(e) = lexical_error(r, ctx) {
        return e;
    }
    let help = if in_call {
        "expected ',' before the next argument or ')' to end the call; to join values use '&'"
    } else if r.fragment().starts_with(',') {
        "parentheses around a group hold one expression; to call a function put its name before '('"
    } else {
        "expected ')' or an operator here; to join values use '&'"
    };
    let label = if in_call {
        "this call's arguments start here"
    } else {
        "this parenthesis is still open"
    };
    PError::Fatal(Box::new(
        unexpected(
            r,
            if in_call {
                "expected ',' or ')' here"
            } else {
                "expected ')' here"
            },
        )
        .with_label(open, label)
        .with_help(help),
    ))
}

/// `'(' expr ')'`: the inner expression keeps its own span; `i` is at the `(`.
fn group<'a>(i: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Box<Node>> {
    let at = off(&i);
    let open = Span::new(at, at + 1);
    enter(&i, ctx, open)?;
    let inner = split(i, 1).0.map_extra(|d| d + 1);
    if ws(inner)?.0.fragment().is_empty() {
        return Err(unclosed(&ws(inner)?.0, ctx, open, false));
    }
    let (r, mut node) = expr(inner, ctx)?;
    let (r, _) = ws(r)?;
    if !r.fragment().starts_with(')') {
        return Err(unclosed(&r, ctx, open, false));
    }
    let rest = split(r, 1).0.map_extra(|d| d - 1);
    node.outer = Span::new(at, off(&rest));
    Ok((rest, node))
}

/// `IDENT '(' [expr (',' expr)*] ')'`; `open` is at the `(`.
fn call<'a>(name: &str, name_span: Span, open: In<'a>, ctx: &Ctx<'a>) -> PResult<'a, Box<Node>> {
    let open_span = Span::new(off(&open), off(&open) + 1);
    enter(&open, ctx, open_span)?;
    let mut i = split(open, 1).0.map_extra(|d| d + 1);
    let mut args = Vec::new();
    let (mut nest, mut chain) = (0, 0);
    let (first, _) = ws(i)?;
    let close = if first.fragment().starts_with(')') {
        first
    } else if first.fragment().is_empty() {
        return Err(unclosed(&first, ctx, open_span, true));
    } else {
        loop {
            let (r, arg) = expr(i, ctx)?;
            nest = nest.max(arg.nest);
            chain = chain.max(arg.chain);
            args.push(arg.expr);
            let (r, _) = ws(r)?;
            match r.fragment().as_bytes().first() {
                Some(b',') => i = split(r, 1).0,
                Some(b')') => break r,
                _ => return Err(unclosed(&r, ctx, open_span, true)),
            }
        }
    };
    let rest = split(close, 1).0.map_extra(|d| d - 1);
    let nest = nest + 1;
    if nest > ctx.max_depth {
        return Err(too_deep_err(ctx.max_depth, name_span));
    }
    let span = Span::new(name_span.start, off(&rest));
    Ok((
        rest,
        Box::new(Node {
            expr: Expr {
                kind: ExprKind::Call {
                    name: name.into(),
                    name_span,
                    args,
                },
                span,
            },
            nest,
            chain,
            outer: span,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::print;

    /// The canonical fully-parenthesised shape, for precedence tests.
    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Number(n) => n.to_string(),
            ExprKind::Text(t, _) => format!("{t:?}"),
            ExprKind::Boolean(b) => b.to_string(),
            ExprKind::Null => "null".into(),
            ExprKind::Field(f) => f.to_string(),
            ExprKind::Call { name, args, .. } => {
                let a: Vec<String> = args.iter().map(shape).collect();
                format!("{name}({})", a.join(", "))
            }
            ExprKind::Unary { op, operand, .. } => format!("({} {})", op.symbol(), shape(operand)),
            ExprKind::Binary { op, lhs, rhs, .. } => {
                format!("({} {} {})", shape(lhs), op.symbol(), shape(rhs))
            }
        }
    }

    fn ok(src: &str) -> String {
        match parse(src) {
            Ok(e) => shape(&e),
            Err(d) => panic!("{src:?} failed: {d:?}"),
        }
    }

    fn err(src: &str) -> Diagnostic {
        match parse(src) {
            Ok(e) => panic!("{src:?} parsed as {}", shape(&e)),
            Err(mut d) => {
                assert_eq!(d.len(), 1);
                d.remove(0)
            }
        }
    }

    fn sp(a: usize, b: usize) -> Option<Span> {
        Some(Span::new(a, b))
    }

    #[test]
    fn precedence_follows_salesforce() {
        assert_eq!(ok("2*3^2"), "((2 * 3) ^ 2)");
        assert_eq!(ok("-2^2"), "((- 2) ^ 2)");
        assert_eq!(ok("2^3^2"), "((2 ^ 3) ^ 2)");
        assert_eq!(ok("a & b & c"), "((a & b) & c)");
        assert_eq!(ok("1+2*3"), "(1 + (2 * 3))");
        assert_eq!(ok("NOT a = b"), "((NOT a) = b)");
        assert_eq!(
            ok("a = 1 && b <> 2 || !c"),
            "(((a = 1) && (b <> 2)) || (NOT c))"
        );
        assert_eq!(ok("a == b != c"), "((a = b) <> c)");
        assert_eq!(ok("a < b + 1 = c >= d"), "((a < (b + 1)) = (c >= d))");
        assert_eq!(ok("2 ^ -3 * 4"), "(2 ^ ((- 3) * 4))");
        assert_eq!(ok("1 - 2 - 3"), "((1 - 2) - 3)");
        assert_eq!(ok("(1 - (2 - 3))"), "(1 - (2 - 3))");
        assert_eq!(ok("a&&b&c"), "(a && (b & c))");
        assert_eq!(ok("a<=b"), "(a <= b)");
        assert_eq!(ok("- - +1"), "(- (- (+ 1)))");
    }

    #[test]
    fn literals_keywords_and_calls() {
        assert_eq!(ok("TrUe"), "true");
        assert_eq!(ok("false && null"), "(false && null)");
        assert_eq!(ok("TrueValue__c"), "TrueValue__c");
        assert_eq!(ok("NOTE__c"), "NOTE__c");
        assert_eq!(ok("not(x)"), "(NOT x)");
        assert_eq!(ok("nOt x"), "(NOT x)");
        assert_eq!(ok("NOW()"), "NOW()");
        assert_eq!(ok("NOW ( )"), "NOW()");
        assert_eq!(ok("IF(a, 'x', \"y\")"), "IF(a, \"x\", \"y\")");
        assert_eq!(ok("007 + 1.50"), "(007 + 1.50)");
        assert_eq!(ok("$User.Alias"), "$User.Alias");
        assert_eq!(ok("WON:Sum#x"), "WON:Sum#x");
        assert_eq!(ok(r#"'a\'b\"c\\d' & "it's""#), r#"("a'b\"c\\d" & "it's")"#);
        assert_eq!(ok("'it\\'s'"), r#""it's""#);
        assert_eq!(ok("'say \"hi\"'"), r#""say \"hi\"""#);
    }

    #[test]
    fn comments_and_whitespace_everywhere() {
        assert_eq!(
            ok("/*a*/ LEFT /*b*/ ( /*c*/ $User.Alias /*d*/ , \t3\r\n/*e*/) /*f*/ & \x0C'x'/**/"),
            "(LEFT($User.Alias, 3) & \"x\")"
        );
        assert_eq!(ok("/* a \\*/ still comment */ 1"), "1");
        assert_eq!(ok("/* /* not nested */ 1"), "1");
    }

    #[test]
    fn spans() {
        let src = "LEFT($User.Alias, 3) & '@'";
        let e = parse(src).unwrap();
        assert_eq!(e.span, Span::new(0, src.len()));
        let ExprKind::Binary {
            op_span, lhs, rhs, ..
        } = &e.kind
        else {
            panic!()
        };
        assert_eq!(*op_span, Span::new(21, 22));
        assert_eq!(lhs.span, Span::new(0, 20));
        assert_eq!(rhs.span, Span::new(23, 26));
        let ExprKind::Call {
            name_span, args, ..
        } = &lhs.kind
        else {
            panic!()
        };
        assert_eq!(*name_span, Span::new(0, 4));
        assert_eq!(args[0].span, Span::new(5, 16));
        // A group keeps the inner span; its parent covers the parentheses.
        let e = parse("(a) + b").unwrap();
        assert_eq!(e.span, Span::new(0, 7));
        let ExprKind::Binary { lhs, .. } = &e.kind else {
            panic!()
        };
        assert_eq!(lhs.span, Span::new(1, 2));
    }

    #[test]
    fn f001_unexpected_token() {
        let d = err("$User.Alias & & '@'");
        assert_eq!(d.code, Code::UnexpectedToken);
        assert_eq!(d.message, "Syntax error.  Found '&'");
        assert_eq!(d.span, sp(14, 15));
        assert!(d.help.is_some());
        let d = err("a => b");
        assert_eq!(
            (d.code, d.message.as_str()),
            (Code::UnexpectedToken, "Syntax error.  Found '=>'")
        );
        assert_eq!(d.span, sp(2, 4));
        let d = err("F(a,)");
        assert_eq!(d.message, "Syntax error.  Found ')'");
        assert_eq!(d.span, sp(4, 5));
        let d = err("IF(a b)");
        assert_eq!(d.message, "Syntax error.  Found 'b'");
        assert_eq!(d.labels[0].span, Span::new(2, 3));
        let d = err("-");
        assert_eq!(d.message, "Syntax error.  Found 'end of formula'");
        assert_eq!(d.span, sp(1, 1));
    }

    #[test]
    fn f002_missing_paren() {
        let d = err("LEFT($User.Alias, 3");
        assert_eq!(d.code, Code::MissingToken);
        assert_eq!(d.message, "Syntax error.  Missing ')'");
        assert_eq!(d.span, sp(19, 19));
        assert_eq!(d.labels.len(), 1);
        assert_eq!(d.labels[0].span, Span::new(4, 5));
        assert_eq!(d.labels[0].message, "this parenthesis is never closed");
        assert!(d.help.as_deref().unwrap().contains("add ')'"));
        let d = err("((1 + 2)  ");
        assert_eq!(d.code, Code::MissingToken);
        assert_eq!(d.labels[0].span, Span::new(0, 1));
        assert_eq!(d.span, sp(8, 8));
        assert_eq!(err("NOW(").code, Code::MissingToken);
    }

    #[test]
    fn f003_extra_input() {
        let d = err("$User.Alias '@'");
        assert_eq!(d.code, Code::ExtraInput);
        assert_eq!(d.message, "Syntax error. Extra ''@''");
        assert_eq!(d.span, sp(12, 15));
        assert_eq!(err("\"a\" \"b\"").message, "Syntax error. Extra '\"b\"'");
        assert_eq!(
            err("LEFT(\"a\" \"b\")").message,
            "Syntax error.  Found '\"b\"'"
        );
        assert!(d.help.as_deref().unwrap().contains('&'));
        let d = err("1)");
        assert_eq!(d.message, "Syntax error. Extra ')'");
        assert_eq!(d.span, sp(1, 2));
        let d = err("$User.Alias test");
        assert_eq!(d.message, "Syntax error. Extra test");
    }

    #[test]
    fn f004_unterminated_string() {
        let d = err("'abc");
        assert_eq!(d.code, Code::UnterminatedString);
        assert_eq!(d.span, sp(0, 1));
        let d = err("$User.Alias & \"ab\ncd\"");
        assert_eq!(d.code, Code::UnterminatedString);
        assert_eq!(d.span, sp(14, 15));
        assert_eq!(d.labels[0].span, Span::new(17, 18));
        assert!(d.notes[0].contains("lines"));
        assert_eq!(err("'ab\\").code, Code::UnterminatedString);
    }

    #[test]
    fn f005_unterminated_comment() {
        let d = err("$User.Alias /* the login alias");
        assert_eq!(d.code, Code::UnterminatedComment);
        assert_eq!(d.span, sp(12, 14));
        assert_eq!(err("/* x \\*/").code, Code::UnterminatedComment);
    }

    #[test]
    fn f006_invalid_escape() {
        let d = err(r"'DOMAIN\user'");
        assert_eq!(d.code, Code::InvalidEscape);
        assert_eq!(d.span, sp(7, 9));
        assert_eq!(
            d.message,
            "Syntax error.  Invalid escape sequence '\\u' in a text literal"
        );
        let d = err("'a\\é'");
        assert_eq!(d.span, sp(2, 5));
    }

    #[test]
    fn f007_curly_quotes() {
        let d = err("‘abc’ & $User.Alias");
        assert_eq!(d.code, Code::CurlyQuote);
        assert_eq!(
            d.message,
            "Syntax error.  Typographic quote '‘' is not a text delimiter"
        );
        assert_eq!(d.span, sp(0, 3));
        assert_eq!(
            d.help.as_deref(),
            Some("use straight quotes: 'abc' & $User.Alias")
        );
        let d = err("$User.Alias & “x”");
        assert_eq!(d.code, Code::CurlyQuote);
        assert!(d.help.unwrap().ends_with("$User.Alias & \"x\""));
        // Inside a straight literal a curly quote is just text.
        assert_eq!(ok("'it’s'"), "\"it’s\"");
        // A straight opening quote closed by a curly one: the literal runs on, and the curly
        // quote is the likely end.
        let d = err("'abc’ & $User.Alias");
        assert_eq!(d.code, Code::CurlyQuote);
        assert_eq!(d.span, sp(4, 7));
        assert_eq!(d.labels.last().unwrap().span, Span::new(0, 1));
        assert_eq!(
            d.help.as_deref(),
            Some("use a straight quote to end the text: 'abc' & $User.Alias")
        );
        let d = err("$User.Alias & \"x” & 'y'\n& 'z'");
        assert_eq!(d.code, Code::CurlyQuote);
        assert_eq!(d.span, sp(16, 19));
        // Without a curly quote inside it stays F004.
        assert_eq!(err("'abc & x").code, Code::UnterminatedString);
    }

    #[test]
    fn f008_invalid_character() {
        let d = err("$User.Alias; $User.Id");
        assert_eq!(d.code, Code::InvalidCharacter);
        assert_eq!(d.message, "Syntax error.  Invalid character ';'");
        assert_eq!(d.span, sp(11, 12));
        let d = err("$User.Alias &\u{A0}'x'");
        assert_eq!(d.code, Code::InvalidCharacter);
        assert!(d.message.contains("U+00A0"), "{}", d.message);
        assert_eq!(d.span, sp(13, 15));
        assert_eq!(err("[Contact].Name").code, Code::InvalidCharacter);
        assert_eq!(err("#x").code, Code::InvalidCharacter);
        assert_eq!(err("a | b").code, Code::InvalidCharacter);
    }

    #[test]
    fn f009_empty() {
        for src in ["", "   ", "/* only a comment */\n"] {
            let d = err(src);
            assert_eq!(d.code, Code::EmptyFormula);
            assert_eq!(d.span, sp(0, src.len()));
        }
    }

    #[test]
    fn f010_invalid_numbers() {
        let d = err("ROUND(1e3, 0)");
        assert_eq!(d.code, Code::InvalidNumber);
        assert_eq!(d.span, sp(6, 9));
        assert!(d.help.unwrap().contains("1000"));
        let d = err("5.");
        assert_eq!(d.span, sp(0, 2));
        assert!(d.help.unwrap().contains("5.0"));
        let d = err("1 + .5");
        assert_eq!(d.span, sp(4, 6));
        assert!(d.help.unwrap().contains("0.5"));
        assert_eq!(err("1.2.3").code, Code::InvalidNumber);
    }

    #[test]
    fn f011_nesting_bound() {
        let limits = ParseLimits {
            max_depth: 5,
            max_chain: 4,
            ..ParseLimits::default()
        };
        assert!(parse_with("((((((1))))))", &limits).is_err());
        assert!(parse_with("(((1)))", &limits).is_ok());
        // A flat chain is not nesting: it has its own bound.
        let e = parse_with("1+1+1+1+1", &limits).unwrap();
        assert_eq!(e.depth(), 5);
        let d = &parse_with("1+1+1+1+1+1", &limits).unwrap_err()[0];
        assert_eq!(d.code, Code::NestingTooDeep);
        assert_eq!(
            d.message,
            "Formula has an operator chain longer than 4 operators"
        );
        assert_eq!(d.span, sp(9, 10));
        let d = &parse_with("F(F(F(F(F(F(1))))))", &limits).unwrap_err()[0];
        assert_eq!(d.code, Code::NestingTooDeep);
        assert_eq!(d.message, "Formula nests deeper than 5 levels");
        assert!(parse_with("NOT NOT NOT NOT NOT x", &limits).is_err());
        assert!(parse_with("NOT NOT NOT NOT x", &limits).is_ok());
        // Nesting and chain are counted apart: four calls around a four-operator chain.
        let e = parse_with("F(F(F(F(1+1+1+1+1))))", &limits).unwrap();
        assert_eq!(e.depth(), 9);
    }

    #[test]
    fn escapes_keep_control_sequences_unless_decoding() {
        let src = r"'a\nb\Tc\r'";
        let ExprKind::Text(t, _) = parse(src).unwrap().into_kind() else {
            panic!()
        };
        assert_eq!(&*t, r"a\nb\Tc\r");
        let decode = ParseLimits {
            decode_control_escapes: true,
            ..ParseLimits::default()
        };
        let ExprKind::Text(t, _) = parse_with(src, &decode).unwrap().into_kind() else {
            panic!()
        };
        assert_eq!(&*t, "a\nb\tc\r");
        // The printer re-escapes the backslash, so the two characters survive a round trip.
        let e = parse(src).unwrap();
        assert_eq!(print(&e), r"'a\\nb\\Tc\\r'");
        assert!(parse(&print(&e)).unwrap().same_shape(&e));
    }

    #[test]
    fn leading_byte_order_mark_is_whitespace() {
        let e = parse("\u{FEFF}$User.Alias").unwrap();
        assert_eq!(e.span, Span::new(3, 14));
        let d = err("\u{FEFF}");
        assert_eq!(d.code, Code::EmptyFormula);
        let d = err("$User.Alias &\u{FEFF}'x'");
        assert_eq!(d.code, Code::InvalidCharacter);
        assert_eq!(d.span, sp(13, 16));
        assert_eq!(d.help.as_deref(), Some("remove the byte-order mark"));
    }

    #[test]
    fn unprintable_characters_are_named_in_messages() {
        let d = err("$User.Alias \u{202E} & 'x'");
        assert_eq!(d.code, Code::InvalidCharacter);
        assert!(d.message.contains("U+202E"), "{}", d.message);
        assert!(!d.message.contains('\u{202E}'));
        let d = err("$User.Alias\0");
        assert!(d.message.contains("U+0000"), "{}", d.message);
        assert!(!d.message.contains('\0'));
        let d = err("$User.Alias x\u{200E}y");
        assert_eq!(d.code, Code::ExtraInput);
        let d = err("F(a b\u{202E}c)");
        assert!(!d.message.contains('\u{202E}'), "{}", d.message);
        let d = err("‘a\u{202E}’");
        assert!(!d.help.unwrap().contains('\u{202E}'));
    }

    #[test]
    fn f012_too_large() {
        let limits = ParseLimits {
            max_bytes: 10,
            ..ParseLimits::default()
        };
        let d = &parse_with("'0123456789'", &limits).unwrap_err()[0];
        assert_eq!(d.code, Code::FormulaTooLarge);
    }

    #[test]
    fn f013_dangling_operator() {
        let d = err("$User.Alias & '@' &");
        assert_eq!(d.code, Code::DanglingOperator);
        assert_eq!(d.message, "Syntax error.  Found 'end of formula'");
        assert_eq!(d.span, sp(18, 19));
        assert_eq!(
            d.help.as_deref(),
            Some("remove the trailing '&' or add a value after it")
        );
        assert_eq!(err("\"HiHo\"= /* c */ ").code, Code::DanglingOperator);
    }

    #[test]
    fn print_round_trips() {
        for src in [
            "$User.Alias & '@' & $User.Id",
            "(a & b) & c",
            "a & (b & c)",
            "-(2 ^ 2)",
            "(-2) ^ 2",
            "NOT (a = b)",
            "2 * (3 ^ 2)",
            "'a\\'b\\\\c\\n\"'",
            "IF(NOT a, F(), -(-1))",
        ] {
            let e = parse(src).unwrap();
            let p = print(&e);
            let back = parse(&p).unwrap();
            assert!(e.same_shape(&back), "{src} -> {p}");
        }
        assert_eq!(print(&parse("(a & b) & c").unwrap()), "a & b & c");
        assert_eq!(print(&parse("a & (b & c)").unwrap()), "a & (b & c)");
        assert_eq!(print(&parse("2*3^2").unwrap()), "2 * 3 ^ 2");
        assert_eq!(print(&parse("2*(3^2)").unwrap()), "2 * (3 ^ 2)");
        assert_eq!(print(&parse("!a").unwrap()), "NOT a");
    }
}
