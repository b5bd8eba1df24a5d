//! The custom attributes: each formula compiled and, for a key AWS reads, checked by AWS's
//! rules; each key classified (A100, A101); duplicate keys (C100); AWS's required attributes
//! (A102, the code the assertion rules use for the same mistake).

use samlfx_aws::attribute::{self, ATTRIBUTES, Lookup, lookup};
use samlfx_diag::{Code, Diagnostic};
use samlfx_formula::Type;
use samlfx_formula::program::CompileOptions;
use samlfx_formula::shape::ShapeOptions;

use super::LintOptions;
use super::url::{self, SignIn};
use crate::model::App;

pub(super) fn check(app: &App, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let schema = app.schema();
    let compile = CompileOptions {
        expected: Some(Type::Text),
        schema: Some(schema.clone()),
        ..CompileOptions::default()
    };
    let shape = ShapeOptions {
        id_length: opts.id_length,
        schema: Some(&schema),
    };
    for (i, a) in app.attributes.iter().enumerate() {
        let compiled = a.compile(&compile);
        out.extend(compiled.diagnostics);
        if let Some(first) = app.attributes[..i]
            .iter()
            .find(|f| f.key.value == a.key.value)
        {
            out.push(
                Diagnostic::new(
                    Code::DuplicateAttributeKey,
                    format!("the attribute `{}` is defined twice", a.key.value),
                )
                .at_labelled(a.key.span(), "again here")
                .with_label(first.key.span(), "first here")
                .with_help("merge the two formulas into one attribute, or delete one"),
            );
        }
        if !opts.profile.aws_rules() {
            continue;
        }
        match lookup(&a.key.value) {
            Lookup::Known(attr) => {
                if let Some(program) = &compiled.program {
                    out.extend(
                        samlfx_aws::formula::check_formula(&attr, program, opts.profile, &shape)
                            .into_iter()
                            .map(|d| a.formula.locate(d)),
                    );
                }
            }
            Lookup::NearMiss { diagnostic, .. } | Lookup::UnknownAws(diagnostic) => {
                out.push(a.key.locate(diagnostic));
            }
            Lookup::Other => {}
        }
    }
    if opts.profile.aws_rules() {
        keys(app, opts, &mut out);
    }
    if opts.profile.aws_rules() && is_aws_app(app) {
        missing_required(app, &mut out);
    }
    out
}

/// The rules on the keys themselves, as `inspect` runs them on a response's names: a session
/// tag's key (A140, A141, A144), the count of tags (A145), keys equal but for case (A146), and
/// once for the app the `sts:TagSession` note (A147), at the attribute it is about.
fn keys(app: &App, opts: &LintOptions, out: &mut Vec<Diagnostic>) {
    use samlfx_aws::rules::{Place, check_keys};
    let names: Vec<&str> = app.attributes.iter().map(|a| a.key.as_str()).collect();
    for f in check_keys(&names, opts.profile) {
        match f.place {
            Place::Name { index } => out.push(app.attributes[index].key.locate(f.diagnostic)),
            Place::Attribute { index } => {
                let attr = &app.attributes[index];
                out.push(f.diagnostic.at(attr.key.span()));
            }
            Place::Assertion | Place::Value { .. } => out.push(f.diagnostic.at(app.span)),
        }
    }
}

/// Whether the app signs in to AWS: its ACS URL is an AWS sign-in endpoint, or it sends an
/// attribute under AWS's key prefix (a near miss included: it was meant for AWS).
pub(super) fn is_aws_app(app: &App) -> bool {
    let signin = app
        .acs_url
        .as_ref()
        .and_then(|t| url::split(t.as_str()))
        .is_some_and(|u| {
            matches!(
                url::signin(u.host),
                SignIn::Global | SignIn::Regional(_) | SignIn::BadRegion(_)
            )
        });
    signin
        || app
            .attributes
            .iter()
            .any(|a| !matches!(lookup(&a.key.value), Lookup::Other))
}

/// Role and RoleSessionName, which AWS refuses an assertion without (A102). A near miss of the
/// key (`…/Attributes/Roles`, `http://`, another case) is not the attribute: AWS ignores it, so
/// the app is missing the attribute all the same, reported at the misspelt key.
fn missing_required(app: &App, out: &mut Vec<Diagnostic>) {
    for spec in ATTRIBUTES.iter().filter(|s| s.required) {
        let present = app
            .attributes
            .iter()
            .any(|a| matches!(lookup(&a.key.value), Lookup::Known(k) if k.kind() == spec.kind));
        if present {
            continue;
        }
        let key = attribute::Attribute::of(spec.kind, "").key();
        let near = app.attributes.iter().find(|a| {
            matches!(lookup(&a.key.value), Lookup::NearMiss { intended, .. } if intended.kind() == spec.kind)
        });
        let d = match near {
            Some(a) => Diagnostic::new(
                Code::MissingAttribute,
                format!(
                    "the app signs in to AWS but has no `{}` attribute: the key `{}` is not AWS's",
                    spec.name, a.key.value
                ),
            )
            .at_labelled(a.key.span(), "AWS ignores an attribute under this key")
            .with_help(format!("write the key exactly: `{key}`")),
            None => {
                let (span, label) = match app.attributes.last() {
                    Some(last) => (last.span, "the app's attributes end here".to_owned()),
                    None => (app.span, "this app".to_owned()),
                };
                Diagnostic::new(
                    Code::MissingAttribute,
                    format!(
                        "the app signs in to AWS but has no `{}` attribute",
                        spec.name
                    ),
                )
                .at_labelled(span, label)
                .with_help(format!("add a custom attribute with the key `{key}`"))
            }
        };
        out.push(d);
    }
}
