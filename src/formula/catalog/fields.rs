//! The merge-field catalog: `$User.*`, `$Organization.*`, `$Profile.*`, `$UserRole.*`, with types
//! and value shapes. `$Permission.<name>` is open-ended and always Boolean.

use crate::formula::Type;

/// The global object a merge field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Global {
    User,
    Organization,
    Profile,
    UserRole,
}

impl Global {
    /// The name as written in formulas, with its `$`.
    pub fn name(self) -> &'static str {
        match self {
            Global::User => "$User",
            Global::Organization => "$Organization",
            Global::Profile => "$Profile",
            Global::UserRole => "$UserRole",
        }
    }
}

/// The index of a merge field in [`FIELDS`]: dense, so a context can store values in a `Vec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

/// What values of a field look like: used by shape analysis (can this formula ever produce an
/// invalid value?) and to validate context input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub min_len: u16,
    /// Maximum length in characters.
    pub max_len: u16,
    pub charset: Charset,
    /// Whether the field can be blank.
    pub nullable: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// Any text.
    Any,
    /// A Salesforce Id: ASCII letters and digits, 15 characters (18 with CASESAFEID).
    Id,
    /// An e-mail-like username or address.
    Email,
    /// Not text (Boolean, Number, dates).
    NotText,
}

#[derive(Debug)]
pub struct FieldSpec {
    pub global: Global,
    /// As Salesforce spells it: `Alias`, `FederationIdentifier`.
    pub name: &'static str,
    pub ty: Type,
    /// Whether this is an Id or reference field (15/18-character handling applies).
    pub is_id: bool,
    pub shape: Shape,
    pub doc: &'static str,
}

const fn text(min_len: u16, max_len: u16, nullable: bool) -> Shape {
    Shape {
        min_len,
        max_len,
        charset: Charset::Any,
        nullable,
    }
}

const ID: Shape = Shape {
    min_len: 15,
    max_len: 18,
    charset: Charset::Id,
    nullable: false,
};

/// The catalog.
pub static FIELDS: &[FieldSpec] = &[
    FieldSpec {
        global: Global::User,
        name: "Alias",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 8, false),
        doc: "The user's alias, 1 to 8 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        doc: "The user's Id, 15 characters in formulas (CASESAFEID gives 18).",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        doc: "The org's Id (prefix 00D); it differs between production and each sandbox.",
    },
];

impl FieldSpec {
    pub fn id(&'static self) -> FieldId {
        let i = FIELDS
            .iter()
            .position(|f| std::ptr::eq(f, self))
            .expect("a FieldSpec from FIELDS");
        FieldId(i as u16)
    }

    /// `$User.Alias`.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.global.name(), self.name)
    }
}

pub fn get(id: FieldId) -> &'static FieldSpec {
    &FIELDS[id.0 as usize]
}

/// Case-insensitive lookup of `$Global.Field`.
pub fn lookup(name: &str) -> Option<(FieldId, &'static FieldSpec)> {
    let (global, field) = name.split_once('.')?;
    FIELDS
        .iter()
        .enumerate()
        .find(|(_, f)| f.global.name().eq_ignore_ascii_case(global) && f.name.eq_ignore_ascii_case(field))
        .map(|(i, f)| (FieldId(i as u16), f))
}
