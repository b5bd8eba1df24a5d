//! What each column of an export is to a formula: a `$User`, `$Profile` or `$UserRole` merge
//! field of the catalog, a custom `__c` field, or nothing the app reads. Decided once per file,
//! so a row is read by index.

use samlfx_formula::Type;
use samlfx_formula::catalog::fields::{self, FieldId, Global};
use samlfx_formula::schema::{Schema, custom_name};

/// Where a column's value goes.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A catalog merge field, with its type (values are converted by it).
    Merge(FieldId, Type),
    /// A custom field by its full name (`$User.AWS_Role__c`), with its declared or inferred type.
    Custom(String, Type),
    /// Read by no formula: skipped.
    Ignored,
}

/// The global and field a column name denotes: `Alias` is `$User.Alias`, `Profile.Name` is
/// `$Profile.Name`, `UserRole.Name` is `$UserRole.Name`.
pub fn split(column: &str) -> (Global, &str) {
    match column.split_once('.') {
        Some((rel, field)) if rel.eq_ignore_ascii_case("Profile") => (Global::Profile, field),
        Some((rel, field)) if rel.eq_ignore_ascii_case("UserRole") => (Global::UserRole, field),
        _ => (Global::User, column),
    }
}

/// The target of `column`; custom fields take the type `schema` declares, else Text.
pub fn target(column: &str, schema: &Schema) -> Target {
    let (global, field) = split(column);
    if let Some((id, spec)) = fields::lookup_in(global, field) {
        return Target::Merge(id, spec.ty);
    }
    if let Some(full) = custom_name(global, field) {
        let ty = schema.get(&full).map_or(Type::Text, |f| f.ty);
        return Target::Custom(full, ty);
    }
    Target::Ignored
}

/// The columns of one export, with the positions of the three the audit itself reads.
#[derive(Clone, Debug)]
pub struct Columns {
    pub names: Vec<String>,
    pub targets: Vec<Target>,
    pub id: Option<usize>,
    pub username: Option<usize>,
    pub is_active: Option<usize>,
}

impl Columns {
    pub fn new(names: Vec<String>, schema: &Schema) -> Columns {
        let find = |n: &str| names.iter().position(|c| c.eq_ignore_ascii_case(n));
        Columns {
            id: find("Id"),
            username: find("Username"),
            is_active: find("IsActive"),
            targets: names.iter().map(|c| target(c, schema)).collect(),
            names,
        }
    }

    /// The index of a column by name, ignoring case.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|c| c.eq_ignore_ascii_case(name))
    }
}
