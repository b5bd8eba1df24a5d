//! The columns an audit needs: the User fields the app's formulas read, plus the three the
//! audit itself reads, and the SOQL that exports exactly those (least data).

use samlfx_formula::catalog::fields::{self, Global};
use samlfx_formula::schema::custom_name;
use samlfx_formula::syntax::{self, ExprKind};

/// The columns every audit reads: who the user is and whether they can sign in.
pub const ALWAYS: [&str; 3] = ["Id", "Username", "IsActive"];

/// The export column of a merge field as written in a formula (`$User.Alias` → `Alias`,
/// `$Profile.Name` → `Profile.Name`); `None` for what is not on the User record
/// (`$Organization`, `$Permission`, `$System`, a record field).
pub fn column_of(field: &str) -> Option<String> {
    let (global, name) = field.split_once('.')?;
    let global = Global::parse(global)?;
    let prefix = match global {
        Global::User => "",
        Global::Profile => "Profile.",
        Global::UserRole => "UserRole.",
        Global::Organization | Global::System => return None,
    };
    if let Some((_, spec)) = fields::lookup_in(global, name) {
        return Some(format!("{prefix}{}", spec.name));
    }
    custom_name(global, name).map(|_| format!("{prefix}{name}"))
}

/// [`ALWAYS`] then every column the formulas read, in first-use order, without repeats (case
/// ignored). A formula that does not parse contributes nothing (it is reported elsewhere).
pub fn columns<'a>(formulas: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = ALWAYS.iter().map(|s| (*s).to_owned()).collect();
    for col in referenced(formulas) {
        if !out.iter().any(|c| c.eq_ignore_ascii_case(&col)) {
            out.push(col);
        }
    }
    out
}

/// The columns the formulas themselves read, in first-use order, without repeats (case
/// ignored): the only ones an audit puts into a user's context.
pub fn referenced<'a>(formulas: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for formula in formulas {
        let Ok(expr) = syntax::parse(formula) else {
            continue;
        };
        expr.walk(&mut |e| {
            if let ExprKind::Field(name) = &e.kind
                && let Some(col) = column_of(name)
                && !out.iter().any(|c| c.eq_ignore_ascii_case(&col))
            {
                out.push(col);
            }
        });
    }
    out
}

/// `SELECT Id, Username, IsActive, … FROM User`.
pub fn soql(columns: &[String]) -> String {
    format!("SELECT {} FROM User", columns.join(", "))
}

/// The first `$Organization` merge field a formula reads, with its span in the formula: a user
/// export holds no org values, so an audit needs them from `--org`.
pub fn first_organization_field(formula: &str) -> Option<(String, samlfx_diag::Span)> {
    let expr = syntax::parse(formula).ok()?;
    let mut found = None;
    expr.walk(&mut |e| {
        if found.is_none()
            && let ExprKind::Field(name) = &e.kind
            && let Some((global, field)) = name.split_once('.')
            && Global::parse(global) == Some(Global::Organization)
        {
            found = Some((field.to_owned(), e.span));
        }
    });
    found
}

/// U009 for a formula that reads `$Organization` when the audit has no `--org` values, at the
/// field in the formula (move it into the app file with `Text::locate`).
pub fn organization_needed(formula: &str) -> Option<samlfx_diag::Diagnostic> {
    let (field, span) = first_organization_field(formula)?;
    Some(
        samlfx_diag::Diagnostic::new(
            samlfx_diag::Code::OrganizationValuesMissing,
            format!("the formula reads `$Organization.{field}`, but no --org file gives the org's values"),
        )
        .at_labelled(span, "a user export holds no org values")
        .with_help("export them with `sf data query --query \"SELECT Id FROM Organization\" --json > org.json` (`samlfx audit APP --print-query` prints the query) and add `--org org.json`"),
    )
}

/// The Organization fields the formulas read (`Id`, `Name`, …, in catalog spelling, first-use
/// order, `Id` always first) and the SOQL that exports them for `--org`; `None` when the
/// formulas read no `$Organization` field.
pub fn organization_soql<'a>(formulas: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut out: Vec<String> = vec!["Id".to_owned()];
    let mut any = false;
    for formula in formulas {
        let Ok(expr) = syntax::parse(formula) else {
            continue;
        };
        expr.walk(&mut |e| {
            if let ExprKind::Field(name) = &e.kind
                && let Some((global, field)) = name.split_once('.')
                && Global::parse(global) == Some(Global::Organization)
            {
                any = true;
                let field = fields::lookup_in(Global::Organization, field)
                    .map_or_else(|| field.to_owned(), |(_, spec)| spec.name.to_owned());
                if !out.iter().any(|c| c.eq_ignore_ascii_case(&field)) {
                    out.push(field);
                }
            }
        });
    }
    any.then(|| format!("SELECT {} FROM Organization", out.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organization_query_names_what_the_formulas_read() {
        let rsn = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
        assert_eq!(
            organization_soql([rsn, "$organization.name"]).as_deref(),
            Some("SELECT Id, Name FROM Organization")
        );
        assert_eq!(organization_soql(["$User.Alias"]), None);
        let (field, span) = first_organization_field(rsn).unwrap();
        assert_eq!(field, "Id");
        assert_eq!(&rsn[span.start..span.end], "$Organization.Id");
        let d = organization_needed(rsn).unwrap();
        assert_eq!(d.code, samlfx_diag::Code::OrganizationValuesMissing);
        assert_eq!(d.span, Some(span));
        assert!(d.help.is_some());
        assert!(organization_needed("$User.Alias").is_none());
    }

    #[test]
    fn reads_merge_relationship_and_custom_fields_once() {
        let cols = columns([
            "$User.Alias & '@' & $User.Id & '@' & $Organization.Id",
            "$Profile.Name & $UserRole.Name & $User.AWS_Role__c & $user.alias",
        ]);
        assert_eq!(
            soql(&cols),
            "SELECT Id, Username, IsActive, Alias, Profile.Name, UserRole.Name, AWS_Role__c FROM User"
        );
    }
}
