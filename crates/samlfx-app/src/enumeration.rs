//! Enumeration values (subject type, NameID format, signing algorithm, encryption, profile), read
//! the same way from XML and TOML: exactly, or C010 with the closest value.

use samlfx_diag::{Code, Diagnostic, suggest};

use crate::model::{Spanned, Text};

/// An enumeration value read from `text`; C010 when it is unknown.
pub fn read<T>(
    text: &Text,
    what: &str,
    names: &[&str],
    parse: impl Fn(&str) -> Option<T>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    if let Some(v) = parse(&text.value) {
        return Some(Spanned::new(v, text.span()));
    }
    diags.push(unknown_value(text, what, names));
    None
}

pub fn unknown_value(text: &Text, what: &str, names: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(
        Code::UnknownEnumValue,
        format!("`{}` is not a value of `{what}`", text.value),
    )
    .at(text.span());
    let list = names.join(", ");
    match suggest::closest(&text.value, names.iter().copied()) {
        Some(c) => d.with_help(format!("did you mean `{c}`? (one of {list})")),
        None => d.with_help(format!("use one of {list}")),
    }
}
