//! Function calls: arity, parameter types from the catalog, and the functions whose typing the
//! table cannot say alone (IF, CASE, IFS, BLANKVALUE, NULLVALUE, IFERROR, IN, ISBLANK, ISNULL,
//! ISPICKVAL, FORMATDURATION).

use super::{Checker, Elem, Out, Ty, common, compatible, suggest};
use crate::Type::{self, Boolean, Date, DateTime, Null, Number, Picklist, Text, Time};
use crate::catalog::functions::{self, Func, FunctionSpec, Ret};
use crate::ir::TypedKind;
use crate::syntax::{Expr, ExprKind};
use samlfx_diag::{Code, Diagnostic, Span};

impl Checker<'_> {
    pub(super) fn call(&mut self, e: &Expr, name: &str, name_span: Span, args: &[Expr]) -> Out {
        let Some(spec) = functions::lookup(name) else {
            let diagnostic = match functions::unsupported(name) {
                Some(why) => Diagnostic::new(
                    Code::UnknownFunction,
                    format!(
                        "Function {} may not be used in this type of formula",
                        name.to_ascii_uppercase()
                    ),
                )
                .at_labelled(name_span, "not available in a Connected App formula")
                .with_help(format!("{} {why}", name.to_ascii_uppercase())),
                None => Diagnostic::new(
                    Code::UnknownFunction,
                    format!("Unknown function {name}. Check spelling."),
                )
                .at_labelled(name_span, "unknown function")
                .with_help(suggest::function_help(name)),
            };
            self.error(diagnostic);
            for a in args {
                self.expr(a, true);
            }
            return Self::error_node(e.span);
        };
        let what = Elem::Function(spec.name);

        let mut nodes = Vec::with_capacity(args.len());
        let mut tys: Vec<Ty> = Vec::with_capacity(args.len());
        for (i, a) in args.iter().enumerate() {
            let out = self.expr(a, picklist_allowed(spec, i));
            nodes.push(out.node);
            tys.push(out.ty);
        }

        let arity_ok = spec.arity.accepts(args.len());
        if !arity_ok {
            self.error(
                Diagnostic::new(
                    Code::WrongArgumentCount,
                    format!(
                        "Incorrect number of parameters for {what}. Expected {}, received {}",
                        spec.arity.expected_for(args.len()),
                        args.len()
                    ),
                )
                .at_labelled(e.span, format!("{} arguments", args.len()))
                .with_help(format!("{} takes: `{}`", spec.name, spec.signature)),
            );
        }

        // Declared parameter types.
        let mut ok = arity_ok;
        for (i, a) in args.iter().enumerate() {
            if let Some(p) = spec.param(i) {
                ok &= self.operand(what, a, tys[i], p.accepts);
            }
        }

        let ty = if arity_ok {
            self.special(spec, what, e.span, args, &tys, &mut ok)
        } else {
            None
        };
        let ty = match (ok, ty) {
            (true, ty) => ty,
            // Keep a fixed result type after an argument error: the call's users can still be
            // checked against it without cascading.
            (false, _) => match spec.ret {
                Ret::Fixed(t) => Some(t),
                _ => None,
            },
        };
        let kind = TypedKind::Call {
            func: spec.func,
            args: nodes,
        };
        Self::out(kind, ty, e.span)
    }

    /// The result type, after the rules specific to some functions.
    fn special(
        &mut self,
        spec: &FunctionSpec,
        what: Elem,
        call_span: Span,
        args: &[Expr],
        tys: &[Ty],
        ok: &mut bool,
    ) -> Ty {
        match spec.func {
            Func::If => self.unify(what, args, tys, &[1, 2], ok),
            Func::BlankValue | Func::NullValue => {
                self.no_boolean(what, &args[0], tys[0], ok);
                self.unify(what, args, tys, &[0, 1], ok)
            }
            Func::IfError => self.unify(what, args, tys, &[0, 1], ok),
            Func::IsBlank | Func::IsNull => {
                self.no_boolean(what, &args[0], tys[0], ok);
                Some(Boolean)
            }
            Func::IsPickVal => {
                if *ok {
                    self.text_literal(what, &args[0], &args[1], tys[1], ok);
                }
                Some(Boolean)
            }
            Func::Case => {
                let n = args.len();
                let subject = tys[0];
                self.no_boolean(what, &args[0], subject, ok);
                // A picklist subject is compared by its API value: the values are text. After a
                // Boolean subject the values are not blamed again.
                let key = match subject {
                    Some(Picklist) => Some(Text),
                    Some(Boolean) => None,
                    other => other,
                };
                for i in (1..n - 1).step_by(2) {
                    if subject == Some(Boolean) {
                        break;
                    }
                    if tys[i] == Some(Boolean) {
                        self.no_boolean(what, &args[i], tys[i], ok);
                    } else if subject == Some(Picklist) && compatible(key, tys[i]) {
                        self.text_literal(what, &args[0], &args[i], tys[i], ok);
                    } else if !compatible(key, tys[i]) {
                        let k = key.unwrap_or(Null);
                        self.wrong_type(what, &args[i], &[k], tys[i].unwrap_or(Null));
                        *ok = false;
                    }
                }
                let results: Vec<usize> = (2..n).step_by(2).chain([n - 1]).collect();
                for &i in &results {
                    self.no_boolean(what, &args[i], tys[i], ok);
                }
                self.unify(what, args, tys, &results, ok)
            }
            Func::Ifs => {
                let n = args.len();
                // The first condition was checked against the declared parameter.
                for i in (2..n - 1).step_by(2) {
                    *ok &= self.operand(what, &args[i], tys[i], &[Boolean]);
                }
                let values: Vec<usize> = (1..n).step_by(2).chain([n - 1]).collect();
                self.unify(what, args, tys, &values, ok)
            }
            Func::In => {
                for i in 1..args.len() {
                    if !compatible(tys[0], tys[i]) {
                        let k = tys[0].unwrap_or(Null);
                        self.wrong_type(what, &args[i], &[k], tys[i].unwrap_or(Null));
                        *ok = false;
                    }
                }
                Some(Boolean)
            }
            Func::JsonValue | Func::JsonPathValue => {
                // The engine takes the key or path only as a text literal (it must be one for
                // the SQL the engine generates).
                if *ok && !matches!(args[1].kind, ExprKind::Text(..)) {
                    let t = tys[1].unwrap_or(Null);
                    self.error(
                        Diagnostic::new(
                            Code::WrongArgumentType,
                            format!(
                                "Incorrect parameter type for {what}. Expected Text Literal, received {t}"
                            ),
                        )
                        .at_labelled(args[1].span, "not a text literal")
                        .with_help(format!(
                            "write the {} in quotes, e.g. `{}({}, '{}')`",
                            spec.params[1].name,
                            spec.name,
                            self.show(&args[0]),
                            if spec.func == Func::JsonValue { "role" } else { "$.roles[0].arn" }
                        )),
                    );
                    *ok = false;
                }
                Some(Text)
            }
            Func::Geolocation => {
                for (i, (lo, hi)) in [(-90.0, 90.0), (-180.0, 180.0)].into_iter().enumerate() {
                    let Some(v) = number_literal(&args[i]) else {
                        continue;
                    };
                    if !(lo..=hi).contains(&v) {
                        self.error(
                            Diagnostic::new(
                                Code::InvalidArgumentValue,
                                format!("Incorrect parameter for {what}."),
                            )
                            .at_labelled(
                                args[i].span,
                                format!("{} must lie between {lo} and {hi}", spec.params[i].name),
                            )
                            .with_help(format!(
                                "GEOLOCATION takes a latitude in -90..90 and a longitude in -180..180: `{}`",
                                spec.signature
                            )),
                        );
                        *ok = false;
                    }
                }
                Some(Type::Location)
            }
            Func::Distance => {
                if let ExprKind::Text(unit, _) = &args[2].kind
                    && !unit.eq_ignore_ascii_case("mi")
                    && !unit.eq_ignore_ascii_case("km")
                {
                    let received = self.show(&args[2]);
                    self.error(
                        Diagnostic::new(
                            Code::InvalidArgumentValue,
                            format!(
                                "Incorrect parameter value for {what}. Expected 'mi'/'km', received {received}"
                            ),
                        )
                        .at_labelled(args[2].span, "not a unit DISTANCE knows")
                        .with_help("measure in miles with 'mi' or in kilometres with 'km'"),
                    );
                    *ok = false;
                }
                Some(Number)
            }
            Func::FormatDuration => {
                match tys[0] {
                    // An argument already failed its declared types: say nothing more.
                    _ if !*ok => {}
                    Some(Number) if args.len() == 2 => {
                        *ok &= self.operand(what, &args[1], tys[1], &[Boolean]);
                    }
                    Some(t @ (Time | DateTime)) => {
                        if args.len() == 1 {
                            self.error(
                                Diagnostic::new(
                                    Code::WrongArgumentCount,
                                    format!("Incorrect number of parameters for {what}. Expected 2, received 1"),
                                )
                                .at_labelled(call_span, "1 argument")
                                .with_help(format!("a duration between two {t} values needs both: `{}`", spec.signature)),
                            );
                            *ok = false;
                        } else {
                            *ok &= self.operand(what, &args[1], tys[1], &[t]);
                        }
                    }
                    _ => {}
                }
                Some(Text)
            }
            _ => match spec.ret {
                Ret::Fixed(t) => Some(t),
                Ret::SameAs(i) => tys.get(i).copied().flatten(),
                Ret::Common(idx) => self.unify(what, args, tys, idx, ok),
            },
        }
    }

    /// The common type of the arguments at `idx`; the first that does not fit the type so far
    /// is blamed with `Expected {type so far}` (IF blames its else branch).
    fn unify(&mut self, what: Elem, args: &[Expr], tys: &[Ty], idx: &[usize], ok: &mut bool) -> Ty {
        let mut acc: Ty = Some(Null);
        for &i in idx {
            if compatible(acc, tys[i]) {
                acc = common(acc, tys[i]);
            } else {
                let want = acc.unwrap_or(Null);
                self.wrong_type(what, &args[i], &[want], tys[i].unwrap_or(Null));
                *ok = false;
            }
        }
        acc
    }

    /// F104 where a picklist is compared (ISPICKVAL's value, CASE's values after a picklist
    /// subject): the engine takes only a text literal there (reference §4.1), since the value
    /// must name one of the picklist's entries.
    fn text_literal(&mut self, what: Elem, subject: &Expr, e: &Expr, ty: Ty, ok: &mut bool) {
        if matches!(e.kind, ExprKind::Text(..)) || ty.is_none() {
            return;
        }
        let t = ty.unwrap_or(Null);
        self.error(
            Diagnostic::new(
                Code::WrongArgumentType,
                format!("Incorrect parameter type for {what}. Expected Text Literal, received {t}"),
            )
            .at_labelled(e.span, "not a text literal")
            .with_help(format!(
                "a picklist is compared with a quoted API value such as 'en_US'; to compare it with another value write `TEXT({}) = {}`",
                self.show(subject),
                self.show(e)
            )),
        );
        *ok = false;
    }

    /// F105 for a Boolean where the function refuses one (CASE, ISBLANK, ISNULL, BLANKVALUE).
    fn no_boolean(&mut self, what: Elem, e: &Expr, ty: Ty, ok: &mut bool) {
        if ty == Some(Boolean) {
            let help = if what == Elem::Function("CASE") {
                "CASE takes no Boolean: use IF(…) instead, or return 1 and 0 and compare"
                    .to_string()
            } else {
                format!(
                    "a Boolean is never blank: use the condition `{}` directly",
                    self.show(e)
                )
            };
            self.error(
                Diagnostic::new(
                    Code::IllegalArgumentType,
                    format!("Incorrect argument type for {what}. "),
                )
                .at_labelled(e.span, "this is Boolean")
                .with_help(help),
            );
            *ok = false;
        }
    }
}

/// The value of a number literal, optionally negated (`-122.6`), as a double.
fn number_literal(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Number(n) => n.parse().ok(),
        ExprKind::Unary {
            op: crate::syntax::UnaryOp::Minus,
            operand,
            ..
        } => number_literal(operand).map(|v| -v),
        ExprKind::Unary {
            op: crate::syntax::UnaryOp::Plus,
            operand,
            ..
        } => number_literal(operand),
        _ => None,
    }
}

/// Whether argument `i` of this function may be a picklist field.
fn picklist_allowed(spec: &FunctionSpec, i: usize) -> bool {
    match spec.func {
        Func::Case | Func::IsBlank | Func::IsNull => i == 0,
        _ => spec.param(i).is_some_and(|p| p.accepts.contains(&Picklist)),
    }
}

/// A help line that says how to turn a `received` value into one of the `expected` types.
pub(crate) fn conversion_help(expected: &[Type], received: Type, shown: &str) -> String {
    let want = |t: Type| expected.contains(&t);
    match received {
        // TEXT() of a text.
        Text if want(Picklist) && expected.len() > 1 => {
            format!("`{shown}` is already Text: drop the TEXT() around it")
        }
        // TEXT() of a Boolean.
        Boolean if want(Picklist) && expected.len() > 1 => {
            format!("TEXT() takes no Boolean: write `IF({shown}, 'true', 'false')`")
        }
        Number | Date | DateTime | Time if want(Text) => {
            format!(
                "wrap the {} in TEXT(): `TEXT({shown})`",
                received.label().to_lowercase()
            )
        }
        Boolean if want(Text) => {
            format!("turn the Boolean into text: `IF({shown}, 'true', 'false')`")
        }
        Picklist if want(Text) => format!("read the picklist's value with `TEXT({shown})`"),
        Text if want(Number) => format!("convert the text with VALUE(): `VALUE({shown})`"),
        Text if want(Date) => format!("read the date with DATEVALUE(): `DATEVALUE({shown})`"),
        DateTime if want(Date) => {
            format!("take the date part with DATEVALUE(): `DATEVALUE({shown})`")
        }
        Text | Date if want(DateTime) => {
            format!("convert it with DATETIMEVALUE(): `DATETIMEVALUE({shown})`")
        }
        Text | DateTime if want(Time) => {
            format!("convert it with TIMEVALUE(): `TIMEVALUE({shown})`")
        }
        Text if want(Boolean) => format!(
            "compare the text to get a Boolean, e.g. `{shown} = 'value'` or `NOT(ISBLANK({shown}))`"
        ),
        Number if want(Boolean) => {
            format!("compare the number to get a Boolean, e.g. `{shown} <> 0`")
        }
        Text if expected.len() == 1 && want(Picklist) => {
            "ISPICKVAL's first argument must be a picklist field; compare text with `=`".to_string()
        }
        _ => format!(
            "use a value of type {}, not {received}",
            super::type_list(expected).replace(", ", " or ")
        ),
    }
}
