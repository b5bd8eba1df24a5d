//! The type checker: AST to typed IR, following the formula engine's rules (reference §2.2, §3.2).
//!
//! Every independent error is reported. After an error the offending node gets the *error type*
//! (`None` in the internal `Ty`), which is compatible with everything, so one mistake does not cascade into
//! a chain of follow-on messages.

mod calls;
mod lints;
mod operators;
mod suggest;

use std::str::FromStr;
use std::sync::Arc;

use bigdecimal::BigDecimal;

use super::catalog::{Func, fields};
use super::ir::{FieldKey, Typed, TypedKind};
use super::syntax::{Expr, ExprKind};
use super::{Type, Value};
use samlfx_diag::{Code, Diagnostic, SourceMap, Span};

pub use crate::schema::{RecordField, Schema};

#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions<'a> {
    /// The type the result must have (Text for a SAML attribute), if any.
    pub expected: Option<Type>,
    pub schema: Option<&'a Schema>,
    /// The formula's source text, used to quote operands in help lines (`TEXT(1)`); without it
    /// the checker prints simple operands from the AST.
    pub src: Option<&'a str>,
    /// Salesforce's "treat blank fields as zeroes": a Number formula field that is null reads
    /// as 0, like a stored one (the compiler does the same for stored fields).
    pub blank_as_zero: bool,
}

/// The checker's output: the typed tree when there were no errors, and every diagnostic found.
#[derive(Debug)]
pub struct Checked {
    pub typed: Option<Typed>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How deep record formula fields may reference other formula fields.
const MAX_FORMULA_NESTING: usize = 10;

/// How deep the checker recurses: above the deepest parsed tree (`max_depth + max_chain` =
/// 5,900 by default), so it matters only when formula fields are inlined into each other and
/// for hand-built trees. The stack is no reason for it: each step goes through
/// [`crate::stack::guarded`].
const MAX_CHECK_DEPTH: u32 = 10_000;

pub fn check(expr: &Expr, opts: &CheckOptions) -> Checked {
    let mut ck = Checker {
        schema: opts.schema,
        src: opts.src,
        blank_as_zero: opts.blank_as_zero,
        diags: Vec::new(),
        nesting: Vec::new(),
        depth: 0,
    };
    let out = ck.expr(expr, false);
    if let (Some(expected), Some(actual)) = (opts.expected, out.ty)
        && !result_fits(expected, actual)
    {
        let shown = ck.show(expr);
        ck.diags.push(
                Diagnostic::new(
                    Code::WrongResultType,
                    format!(
                        "Formula result is data type ({actual}), incompatible with expected data type ({expected})."
                    ),
                )
                .at_labelled(expr.span, format!("this is {actual}"))
                .with_help(calls::conversion_help(&[expected], actual, &shown)),
            );
    }
    // A location is never a formula's result (Salesforce has no Geolocation formula type): it
    // exists only to be measured by DISTANCE().
    if opts.expected.is_none() && out.ty == Some(Type::Location) {
        ck.diags.push(
            Diagnostic::new(
                Code::WrongResultType,
                "Formula result is data type (Location), incompatible with expected data type (Text).",
            )
            .at_labelled(expr.span, "this is Location")
            .with_help("a location cannot be a value: measure it with DISTANCE(location, other, 'km'), a Number"),
        );
    }
    let failed = ck.diags.iter().any(Diagnostic::is_error);
    ck.diags.sort_by_key(|d| d.span.map(|s| (s.start, s.end)));
    Checked {
        typed: (!failed).then_some(out.node),
        diagnostics: ck.diags,
    }
}

/// Whether a result of type `actual` can be stored where `expected` is required. Null fits
/// everything; the engine also stores a DateTime result in a Date formula (keeping its time).
fn result_fits(expected: Type, actual: Type) -> bool {
    actual == expected
        || actual == Type::Null
        || (expected == Type::Date && actual == Type::DateTime)
}

/// A static type, or `None` for a node that already has an error (compatible with everything).
pub(crate) type Ty = Option<Type>;

/// A checked node and its type.
pub(crate) struct Out {
    pub node: Typed,
    pub ty: Ty,
}

pub(crate) struct Checker<'a> {
    schema: Option<&'a Schema>,
    src: Option<&'a str>,
    blank_as_zero: bool,
    diags: Vec<Diagnostic>,
    /// Record formula fields being checked, innermost last (cycle guard).
    nesting: Vec<String>,
    /// The current recursion depth.
    depth: u32,
}

/// Whether two types may meet in `=`, IF's branches, CASE values, BLANKVALUE and the like.
pub(crate) fn compatible(a: Ty, b: Ty) -> bool {
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(Type::Null), _) | (_, Some(Type::Null)) => true,
        (Some(x), Some(y)) => x == y,
    }
}

/// The common type of two compatible types: Null yields to the other; an error yields too.
pub(crate) fn common(a: Ty, b: Ty) -> Ty {
    match (a, b) {
        (Some(Type::Null), other) | (other, Some(Type::Null)) => other,
        (None, other) | (other, None) => other,
        (Some(x), Some(_)) => Some(x),
    }
}

/// What a message names (`{0}` in the engine's templates): `operator '&'` or `function 'LEFT()'`.
/// Kept unformatted so that checking a correct formula allocates no message text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Elem {
    Operator(&'static str),
    /// The upper-case function name.
    Function(&'static str),
}

impl std::fmt::Display for Elem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Elem::Operator(op) => write!(f, "operator '{op}'"),
            Elem::Function(name) => write!(f, "function '{name}()'"),
        }
    }
}

/// The list of labels Salesforce prints after `Expected`: comma and space separated.
pub(crate) fn type_list(types: &[Type]) -> String {
    let mut s = String::new();
    for (i, t) in types.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(t.label());
    }
    s
}

impl<'a> Checker<'a> {
    fn out(kind: TypedKind, ty: Ty, span: Span) -> Out {
        Out {
            node: Typed {
                kind,
                ty: ty.unwrap_or(Type::Null),
                span,
            },
            ty,
        }
    }

    /// The node for something that did not check.
    fn error_node(span: Span) -> Out {
        Self::out(TypedKind::Literal(Value::Null), None, span)
    }

    /// Records a diagnostic of any severity (lints push their warnings here too).
    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The source text of a node, for help lines; without the source, the node pretty-printed.
    pub(crate) fn show(&self, e: &Expr) -> String {
        if let Some(text) = self.src.and_then(|s| s.get(e.span.start..e.span.end)) {
            return text.trim().to_string();
        }
        crate::syntax::print(e)
    }

    /// Checks one node. `picklist_ok` is true only where a picklist field may stand: directly in
    /// TEXT(), ISPICKVAL(), CASE()'s first argument, ISBLANK() and ISNULL().
    pub(crate) fn expr(&mut self, e: &Expr, picklist_ok: bool) -> Out {
        if self.depth >= MAX_CHECK_DEPTH {
            self.error(
                Diagnostic::new(Code::NestingTooDeep, "Formula nests too deeply to check")
                    .at(e.span)
                    .with_help("flatten the formula: split nested IFs into CASE or IFS"),
            );
            return Self::error_node(e.span);
        }
        self.depth += 1;
        // A leaf recurses only through a formula field, which re-enters here.
        let inner = matches!(
            e.kind,
            ExprKind::Call { .. } | ExprKind::Unary { .. } | ExprKind::Binary { .. }
        );
        let out = crate::stack::guarded_if(inner, || self.node(e, picklist_ok));
        self.depth -= 1;
        out
    }

    fn node(&mut self, e: &Expr, picklist_ok: bool) -> Out {
        match &e.kind {
            ExprKind::Number(text) => match BigDecimal::from_str(text) {
                Ok(n) => Self::out(
                    TypedKind::Literal(Value::Number(n)),
                    Some(Type::Number),
                    e.span,
                ),
                Err(_) => {
                    self.error(
                        Diagnostic::new(Code::InvalidNumber, format!("Invalid number {text}"))
                            .at(e.span)
                            .with_help("write digits with an optional decimal part, e.g. `12.5`"),
                    );
                    Self::error_node(e.span)
                }
            },
            ExprKind::Text(text, map) => {
                self.lint_literal(text, map);
                let kind = if text.is_empty() {
                    TypedKind::Literal(Value::Null)
                } else {
                    TypedKind::Text {
                        text: Arc::from(&**text),
                        map: Box::new(map.clone()),
                    }
                };
                Self::out(kind, Some(Type::Text), e.span)
            }
            ExprKind::Boolean(b) => Self::out(
                TypedKind::Literal(Value::Boolean(*b)),
                Some(Type::Boolean),
                e.span,
            ),
            ExprKind::Null => Self::out(TypedKind::Literal(Value::Null), Some(Type::Null), e.span),
            ExprKind::Field(name) => self.field(name, e.span, picklist_ok),
            ExprKind::Call {
                name,
                name_span,
                args,
            } => {
                let out = self.call(e, name, *name_span, args);
                self.lint_regex(out, args)
            }
            ExprKind::Unary {
                op,
                op_span,
                operand,
            } => self.unary(e, *op, *op_span, operand),
            ExprKind::Binary { .. } => self.chain(e),
        }
    }

    fn field(&mut self, name: &str, span: Span, picklist_ok: bool) -> Out {
        if name.starts_with('$') {
            return self.merge_field(name, span, picklist_ok);
        }
        let schema_hit: Option<&'a RecordField> = self.schema.and_then(|s| {
            if name.bytes().any(|b| b.is_ascii_uppercase()) {
                s.record.get(&name.to_ascii_lowercase())
            } else {
                s.record.get(name)
            }
        });
        match schema_hit {
            Some(field) => self.declared_field(name, field, span, picklist_ok),
            None => match self.custom_named(name) {
                // `AWS_Role__c` for the declared `$User.AWS_Role__c`.
                Some(full) => {
                    self.error(
                        Diagnostic::new(
                            Code::UnknownField,
                            format!("Field {name} does not exist. Check spelling."),
                        )
                        .at_labelled(span, "unknown field")
                        .with_help(format!("did you mean the custom field `{full}`?")),
                    );
                    Self::error_node(span)
                }
                None => self.unknown_field(name, span),
            },
        }
    }

    /// The declared custom field of some global named `name` (`$User.AWS_Role__c` for
    /// `aws_role__c`), if any.
    fn custom_named(&self, name: &str) -> Option<&'a str> {
        let schema = self.schema?;
        fields::Global::ALL.into_iter().find_map(|g| {
            let key = format!("{}.{name}", g.name()).to_ascii_lowercase();
            schema.record.get(&key).map(|f| f.name.as_str())
        })
    }

    /// A field the context declared: a record field, or a global's custom field (`name` in full).
    fn declared_field(
        &mut self,
        name: &str,
        field: &'a RecordField,
        span: Span,
        picklist_ok: bool,
    ) -> Out {
        if field.ty == Type::Picklist && !picklist_ok {
            self.picklist_error(name, span);
            return Self::error_node(span);
        }
        match field.formula.as_deref() {
            None => Self::out(
                TypedKind::Field(FieldKey::Record(name.to_ascii_lowercase().into())),
                Some(field.ty),
                span,
            ),
            Some(formula) => self.formula_field(name, field.ty, formula, span),
        }
    }

    fn merge_field(&mut self, name: &str, span: Span, picklist_ok: bool) -> Out {
        if let Some((global, perm)) = name.split_once('.')
            && global.eq_ignore_ascii_case("$Permission")
            && !perm.is_empty()
            && !perm.contains('.')
        {
            let key = FieldKey::Permission(perm.to_ascii_lowercase().into());
            return Self::out(TypedKind::Field(key), Some(Type::Boolean), span);
        }
        match fields::lookup(name) {
            Some((_, spec)) if spec.constant.is_some() => {
                let value = spec.constant.clone().unwrap_or(Value::Null);
                Self::out(TypedKind::Literal(value), Some(spec.ty), span)
            }
            Some((id, spec)) => {
                if spec.ty == Type::Picklist && !picklist_ok {
                    self.picklist_error(name, span);
                    return Self::error_node(span);
                }
                Self::out(TypedKind::Field(FieldKey::Merge(id)), Some(spec.ty), span)
            }
            None => self.custom_field(name, span, picklist_ok),
        }
    }

    /// `$User.AWS_Role__c`: a custom field, which only a declaration (or a context value) can
    /// make known (the schema holds it under its lower-cased full name); undeclared, F102 says
    /// how to declare it.
    fn custom_field(&mut self, name: &str, span: Span, picklist_ok: bool) -> Out {
        let custom = name.split_once('.').and_then(|(global, field)| {
            let global = fields::Global::parse(global)?;
            crate::schema::custom_name(global, field).map(|_| (global, field))
        });
        let Some((global, field)) = custom else {
            return self.unknown_field(name, span);
        };
        let schema = self.schema;
        if let Some(declared) = schema.and_then(|s| s.record.get(&name.to_ascii_lowercase())) {
            return self.declared_field(name, declared, span, picklist_ok);
        }
        let g = global.name();
        self.error(
            Diagnostic::new(
                Code::UnknownField,
                format!("Field {name} does not exist. Check spelling."),
            )
            .at_labelled(span, "undeclared custom field")
            .with_help(format!(
                "custom field: declare it with --field '{g}.{field}:Text' (or :Number, …) or in the context's \"schema\", or give it a value with --set '{g}.{field}=…'"
            )),
        );
        Self::error_node(span)
    }

    /// F102 with a did-you-mean, for a record field or a merge field.
    fn unknown_field(&mut self, name: &str, span: Span) -> Out {
        let help = suggest::field_help(name, self.schema);
        self.error(
            Diagnostic::new(
                Code::UnknownField,
                format!("Field {name} does not exist. Check spelling."),
            )
            .at_labelled(span, "unknown field")
            .with_help(help),
        );
        Self::error_node(span)
    }

    fn picklist_error(&mut self, name: &str, span: Span) {
        self.error(
            Diagnostic::new(
                Code::PicklistField,
                format!(
                    "Field {name} is a picklist field. Picklist fields are only supported in certain functions."
                ),
            )
            .at_labelled(span, "a picklist field")
            .with_help(format!(
                "read its value with `TEXT({name})`, or test it with `ISPICKVAL({name}, 'value')` or `CASE({name}, …)`"
            )),
        );
    }

    /// A record formula field: its formula is parsed, checked and inlined here. Its spans are
    /// moved onto the reference, so run-time errors inside it point at the field name.
    fn formula_field(&mut self, name: &str, declared: Type, formula: &'a str, span: Span) -> Out {
        let lower = name.to_ascii_lowercase();
        let fail = |ck: &mut Self, message: String, code: Code| {
            ck.error(
                Diagnostic::new(
                    code,
                    format!("Error in referenced formula {name}, {message}"),
                )
                .at_labelled(span, "this formula field does not check")
                .with_help(format!("fix the formula of {name}: `{formula}`")),
            );
            Self::error_node(span)
        };
        if self.nesting.contains(&lower) {
            return fail(self, "it refers to itself".into(), Code::UnknownField);
        }
        if self.nesting.len() >= MAX_FORMULA_NESTING {
            return fail(
                self,
                "formula fields nest too deeply".into(),
                Code::NestingTooDeep,
            );
        }
        let ast = match crate::syntax::parse(formula) {
            Ok(ast) => ast,
            Err(diags) => {
                let (message, code) = diags
                    .first()
                    .map(|d| (d.message.clone(), d.code))
                    .unwrap_or_else(|| ("Syntax error".into(), Code::UnexpectedToken));
                return fail(self, message, code);
            }
        };
        let outer_diags = std::mem::take(&mut self.diags);
        let outer_src = self.src.replace(formula);
        self.nesting.push(lower);
        let mut inner = self.expr(&ast, false);
        self.nesting.pop();
        self.src = outer_src;
        let inner_diags = std::mem::replace(&mut self.diags, outer_diags);
        if let Some(d) = inner_diags.into_iter().find(Diagnostic::is_error) {
            return fail(self, d.message, d.code);
        }
        if let Some(actual) = inner.ty
            && !result_fits(declared, actual)
        {
            let message = format!(
                "Formula result is data type ({actual}), incompatible with expected data type ({declared})."
            );
            return fail(self, message, Code::WrongResultType);
        }
        respan(&mut inner.node, span);
        if inner.ty == Some(Type::Null) {
            inner.ty = Some(declared);
            inner.node.ty = declared;
        }
        self.read_as_field(inner, declared, span)
    }

    /// A formula field is read like a stored field: a null Boolean (a checkbox) is false, so
    /// the inlined formula is wrapped in IF(formula, TRUE, FALSE); under blank-as-zero a null
    /// Number is 0, so it is wrapped in NULLVALUE(formula, 0).
    fn read_as_field(&self, inner: Out, declared: Type, span: Span) -> Out {
        let literal = |value: Value, ty: Type| Typed {
            kind: TypedKind::Literal(value),
            ty,
            span,
        };
        let (func, args) = match declared {
            Type::Boolean => (
                Func::If,
                vec![
                    inner.node,
                    literal(Value::Boolean(true), Type::Boolean),
                    literal(Value::Boolean(false), Type::Boolean),
                ],
            ),
            Type::Number if self.blank_as_zero => (
                Func::NullValue,
                vec![inner.node, literal(Value::Number(0.into()), Type::Number)],
            ),
            _ => return inner,
        };
        Self::out(TypedKind::Call { func, args }, inner.ty, span)
    }
}

/// Moves every span of an inlined tree onto `span`.
fn respan(t: &mut Typed, span: Span) {
    t.span = span;
    crate::stack::guarded(|| match &mut t.kind {
        TypedKind::Literal(_) | TypedKind::Field(_) => {}
        // Its map pointed into the field's own formula: now the reference made all of it.
        TypedKind::Text { text, map } => **map = SourceMap::derived(text.len(), span),
        TypedKind::Call { args, .. } => args.iter_mut().for_each(|a| respan(a, span)),
        TypedKind::Unary { operand, .. } => respan(operand, span),
        TypedKind::Binary { lhs, rhs, .. } => {
            respan(lhs, span);
            respan(rhs, span);
        }
    })
}

#[cfg(test)]
mod tests;
