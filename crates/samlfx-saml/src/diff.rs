//! A captured response against what the app would send now (`inspect --app --user`): the
//! attributes, the subject, the audience and the recipient, each difference at the captured
//! bytes. The captured values are what AWS judged; a difference says the app, the user or the
//! capture's origin changed.

use samlfx_diag::{Code, Diagnostic, Span};

use crate::emit;
use crate::response::{Assertion, Response};

/// What the captured assertion does not share with `expected`. `compare_name_id` is false when
/// the app's NameID cannot be computed outside the org (a PersistentId).
pub fn diff(
    captured: &Response,
    expected: &emit::Response,
    compare_name_id: bool,
) -> Vec<Diagnostic> {
    let Some(a) = captured.assertions.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let differs = |message: String, at: Span| {
        Diagnostic::new(Code::DiffersFromApp, message)
            .at(at)
            .with_help("the capture is what AWS judged: if the app or the user changed since, sign in again and capture anew; else the capture comes from another app or user")
    };
    for want in &expected.attributes {
        match a
            .attributes
            .iter()
            .find(|c| c.name.as_ref().is_some_and(|n| n.value.trim() == want.name))
        {
            None => out.push(differs(
                format!(
                    "the app would send the attribute `{}` = {}, which the capture lacks",
                    want.name,
                    quoted(&want.values)
                ),
                a.attribute_statement.unwrap_or(a.name_span),
            )),
            Some(got) => {
                let values: Vec<&str> = got.values.iter().map(|v| v.text.value.as_str()).collect();
                if values != want.values.iter().map(String::as_str).collect::<Vec<_>>() {
                    let at = got.values.first().map_or(got.name_span, |v| v.here());
                    out.push(differs(
                        format!(
                            "`{}` is {} in the capture, but the app would send {} now",
                            want.name,
                            quoted(&values),
                            quoted(&want.values)
                        ),
                        at,
                    ));
                }
            }
        }
    }
    for got in &a.attributes {
        if let Some(name) = &got.name
            && !expected
                .attributes
                .iter()
                .any(|w| w.name == name.value.trim())
        {
            out.push(differs(
                format!(
                    "the capture has the attribute `{}`, which the app does not send",
                    name.value.trim()
                ),
                name.span(),
            ));
        }
    }
    if compare_name_id {
        subject(a, &expected.name_id.value, &mut out, &differs);
    }
    if let Some(c) = &a.conditions {
        let audiences: Vec<_> = c.restrictions.iter().flat_map(|(_, v)| v).collect();
        if !audiences.is_empty()
            && !audiences
                .iter()
                .any(|v| v.text.value.trim() == expected.audience)
        {
            out.push(differs(
                format!(
                    "the Audience is `{}`, but the app's Entity ID is `{}`",
                    audiences[0].text.value.trim(),
                    expected.audience
                ),
                audiences[0].here(),
            ));
        }
    }
    if let Some(r) = a.confirmations.first().and_then(|c| c.recipient.as_ref())
        && r.value.trim() != expected.destination
    {
        out.push(differs(
            format!(
                "the Recipient is `{}`, but the app's ACS URL is `{}`",
                r.value.trim(),
                expected.destination
            ),
            r.span(),
        ));
    }
    out
}

fn subject(
    a: &Assertion,
    want: &str,
    out: &mut Vec<Diagnostic>,
    differs: &impl Fn(String, Span) -> Diagnostic,
) {
    if let Some(n) = &a.name_id
        && n.text.value.trim() != want
    {
        out.push(differs(
            format!(
                "the NameID is `{}`, but the app would send `{want}`",
                n.text.value.trim()
            ),
            n.here(),
        ));
    }
}

fn quoted<S: AsRef<str>>(values: &[S]) -> String {
    let q: Vec<String> = values.iter().map(|v| format!("`{}`", v.as_ref())).collect();
    match q.len() {
        0 => "no value".to_owned(),
        _ => q.join(", "),
    }
}
