//! "Did you mean …?" for unknown functions and fields: case-insensitive edit distance over the
//! catalogs, plus the usual names from other languages (CONCAT, LENGTH, …).

use super::Schema;
use crate::catalog::fields::{FIELDS, Global};
use crate::catalog::functions::FUNCTIONS;
use samlfx_diag::suggest::closest as best;

/// Names people bring from spreadsheets and programming languages, and what Salesforce calls them.
const ALIASES: &[(&str, &str)] = &[
    ("CONCAT", "the `&` operator: `a & b`"),
    ("CONCATENATE", "the `&` operator: `a & b`"),
    ("LENGTH", "LEN"),
    ("STRLEN", "LEN"),
    ("TOSTRING", "TEXT"),
    ("STRING", "TEXT"),
    ("STR", "TEXT"),
    ("TOLOWER", "LOWER"),
    ("LCASE", "LOWER"),
    ("TOUPPER", "UPPER"),
    ("UCASE", "UPPER"),
    ("ISEMPTY", "ISBLANK"),
    ("COALESCE", "BLANKVALUE"),
    ("NVL", "BLANKVALUE"),
    ("IFNULL", "BLANKVALUE"),
    ("IIF", "IF"),
    ("REPLACE", "SUBSTITUTE"),
    ("SUBSTRING", "MID"),
    ("INDEXOF", "FIND"),
    ("STARTSWITH", "BEGINS"),
    ("NUMBERVALUE", "VALUE"),
];

/// The help line for an unknown function.
pub(super) fn function_help(name: &str) -> String {
    if let Some((_, to)) = ALIASES.iter().find(|(a, _)| a.eq_ignore_ascii_case(name)) {
        return if to.starts_with("the ") {
            format!("Salesforce has no {}: use {to}", name.to_ascii_uppercase())
        } else {
            format!("did you mean `{to}`?")
        };
    }
    match best(name, FUNCTIONS.iter().map(|f| f.name)) {
        Some(n) => format!("did you mean `{n}`?"),
        None => "`samlfx explain --functions` lists the functions samlfx knows".to_string(),
    }
}

/// The help line for an unknown field or merge field.
pub(super) fn field_help(name: &str, schema: Option<&Schema>) -> String {
    // `$User` or `$User.`: a global with no field after it.
    let bare = name.strip_suffix('.').unwrap_or(name);
    if !bare.contains('.') {
        if bare.eq_ignore_ascii_case("$Permission") {
            return "`$Permission` needs a custom permission's API name: `$Permission.Voice_Agent`"
                .to_string();
        }
        if let Some(g) = Global::parse(bare) {
            return global_needs_field(g);
        }
    }
    if let Some((global, field)) = name.split_once('.')
        && let Some(g) = Global::parse(global)
    {
        let names = FIELDS.iter().filter(|f| f.global == g).map(|f| f.name);
        return match best(field, names) {
            Some(n) => format!("did you mean `{}.{n}`?", g.name()),
            None => format!(
                "{} has no field named `{field}`; `samlfx explain --fields` lists them",
                g.name()
            ),
        };
    }
    if name.starts_with('$') {
        let all: Vec<String> = FIELDS.iter().map(|f| f.full_name()).collect();
        return match best(name, all.iter().map(String::as_str)) {
            Some(full) => format!("did you mean `{full}`?"),
            None => "merge fields are `$User.*`, `$Organization.*`, `$Profile.*`, `$UserRole.*` and `$Permission.<name>`".to_string(),
        };
    }
    // A bare name: the same name as a merge field, a near record field, or no record at all.
    if let Some(f) = FIELDS.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
        return format!(
            "there is no record here; the merge field is `{}`",
            f.full_name()
        );
    }
    if let Some(schema) = schema
        && let Some(n) = best(name, schema.record.values().map(|f| f.name.as_str()))
    {
        return format!("did you mean `{n}`?");
    }
    match best(name, FIELDS.iter().map(|f| f.name)) {
        Some(n) => {
            let f = FIELDS.iter().find(|f| f.name == n).expect("a catalog name");
            format!("did you mean the merge field `{}`?", f.full_name())
        }
        None => "a Connected App attribute formula has no record: use merge fields such as `$User.Alias`".to_string(),
    }
}

/// The help for a global written without a field: two of its fields as examples.
fn global_needs_field(g: Global) -> String {
    let mut names = FIELDS.iter().filter(|f| f.global == g).map(|f| f.name);
    let mut examples: Vec<&str> = names.clone().filter(|n| *n != "Id").take(2).collect();
    if examples.is_empty() {
        examples.extend(names.next());
    }
    let shown: Vec<String> = examples
        .iter()
        .map(|n| format!("`{}.{n}`", g.name()))
        .collect();
    format!(
        "`{}` needs a field: {}, …; `samlfx explain --fields` lists them",
        g.name(),
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(function_help("LOWERCASE"), "did you mean `LOWER`?");
        assert_eq!(function_help("lefft"), "did you mean `LEFT`?");
        assert_eq!(function_help("length"), "did you mean `LEN`?");
        assert!(function_help("CONCAT").contains("`&`"));
        assert_eq!(
            field_help("$User.Allias", None),
            "did you mean `$User.Alias`?"
        );
        assert_eq!(
            field_help("$user.federationid", None),
            "did you mean `$User.FederationIdentifier`?"
        );
        assert!(field_help("Alias", None).contains("`$User.Alias`"));
        assert_eq!(
            field_help("$User", None),
            "`$User` needs a field: `$User.Alias`, `$User.Username`, …; `samlfx explain --fields` lists them"
        );
        assert_eq!(field_help("$user.", None), field_help("$User", None));
        assert!(field_help("$Permission", None).contains("`$Permission.Voice_Agent`"));
        assert!(
            field_help("$Organization", None)
                .starts_with("`$Organization` needs a field: `$Organization.Name`")
        );
        assert_eq!(
            field_help("$Usr.Alias", None),
            "did you mean `$User.Alias`?"
        );
    }
}
