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

#[cfg(test)]
mod tests {
    use super::*;

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
