//! The merge-field catalog: `$User.*`, `$Organization.*`, `$Profile.*`, `$UserRole.*`, with types
//! and value shapes. `$Permission.<name>` is open-ended and always Boolean.

use chrono::NaiveDate;

use crate::id::IdLength;
use crate::shape::CharSet;
use crate::{Type, Value};

/// The global object a merge field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Global {
    User,
    Organization,
    Profile,
    UserRole,
    /// `$System`: constants only.
    System,
}

impl Global {
    /// The name as written in formulas, with its `$`.
    pub fn name(self) -> &'static str {
        match self {
            Global::User => "$User",
            Global::Organization => "$Organization",
            Global::Profile => "$Profile",
            Global::UserRole => "$UserRole",
            Global::System => "$System",
        }
    }
}

/// The index of a merge field in [`FIELDS`]: dense, so a context can store values in a `Vec`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldId(pub u16);

/// What values of a field look like: read by the shape analysis (can this formula ever produce
/// an invalid value?) and to validate context input. Lengths in UTF-16 code units
/// ([`crate::shape`]); an Id field's length comes from the `id_length` setting
/// ([`FieldSpec::shape`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub min_len: u16,
    pub max_len: u16,
    /// Every character a value may hold.
    pub chars: CharSet,
    pub format: Format,
    /// Whether the field can be blank.
    pub nullable: bool,
}

/// What kind of text a field holds, beyond its characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Free text.
    Text,
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
    /// A field whose value never changes (`$System.OriginDateTime`): the checker reads it as
    /// this literal, and a context cannot set it.
    pub constant: Option<Value>,
    pub doc: &'static str,
}

const fn text(min_len: u16, max_len: u16, nullable: bool) -> Shape {
    Shape {
        min_len,
        max_len,
        chars: CharSet::ANY,
        format: Format::Text,
        nullable,
    }
}

const fn email(max_len: u16) -> Shape {
    Shape {
        min_len: 3,
        max_len,
        chars: EMAIL_CHARS,
        format: Format::Email,
        nullable: false,
    }
}

/// What Salesforce lets a username or e-mail address hold: the atext of RFC 5322 in the local
/// part (letters, digits and ``!#$%&'*+/=?^_`{|}~-``), dots, `@`, and letters, digits and hyphens
/// in the domain.
const EMAIL_CHARS: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"!#$%&'*+/=?^_`{|}~-.@"));

const EMAIL_REQUIRED: Shape = email(80);

const ID: Shape = Shape {
    min_len: 15,
    max_len: 18,
    chars: CharSet::ALNUM,
    format: Format::Id,
    nullable: false,
};

const ID_NULLABLE: Shape = Shape {
    nullable: true,
    ..ID
};

const NOT_TEXT: Shape = Shape {
    min_len: 0,
    max_len: 0,
    chars: CharSet::EMPTY,
    format: Format::NotText,
    nullable: false,
};

const NOT_TEXT_NULLABLE: Shape = Shape {
    nullable: true,
    ..NOT_TEXT
};

/// A picklist's API value: text, read through TEXT().
const PICKLIST: Shape = Shape {
    min_len: 0,
    max_len: 255,
    chars: CharSet::ANY,
    format: Format::Text,
    nullable: true,
};

/// The catalog, grouped by global.
pub static FIELDS: &[FieldSpec] = &[
    FieldSpec {
        global: Global::User,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The user's Id, 15 characters in formulas (CASESAFEID gives 18).",
    },
    FieldSpec {
        global: Global::User,
        name: "Alias",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 8, false),
        constant: None,
        doc: "The user's alias, 1 to 8 characters; required.",
    },
    FieldSpec {
        global: Global::User,
        name: "Username",
        ty: Type::Text,
        is_id: false,
        shape: EMAIL_REQUIRED,
        constant: None,
        doc: "The login name, e-mail shaped and unique across all orgs; up to 80 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "Email",
        ty: Type::Text,
        is_id: false,
        shape: email(128),
        constant: None,
        doc: "The user's e-mail address, up to 128 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "FirstName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The first name, up to 40 characters; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "LastName",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 80, false),
        constant: None,
        doc: "The last name, up to 80 characters; required.",
    },
    FieldSpec {
        global: Global::User,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 121, false),
        constant: None,
        doc: "The full name, first and last name joined by a space.",
    },
    FieldSpec {
        global: Global::User,
        name: "CommunityNickname",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 40, false),
        constant: None,
        doc: "The nickname shown in communities, up to 40 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "FederationIdentifier",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 512, true),
        constant: None,
        doc: "The Federation ID used for single sign-on, up to 512 characters; often blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "Title",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The job title, up to 80 characters; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "CompanyName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The company name, up to 80 characters; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "Department",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The department, up to 80 characters; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "Division",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The division, up to 80 characters; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "EmployeeNumber",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The employee number; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "City",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The city of the user's address, up to 40 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "Country",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The country of the user's address, up to 80 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "State",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The state or province of the user's address.",
    },
    FieldSpec {
        global: Global::User,
        name: "Street",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The street of the user's address.",
    },
    FieldSpec {
        global: Global::User,
        name: "PostalCode",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The postal code of the user's address.",
    },
    FieldSpec {
        global: Global::User,
        name: "Phone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The work phone number.",
    },
    FieldSpec {
        global: Global::User,
        name: "MobilePhone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The mobile phone number.",
    },
    FieldSpec {
        global: Global::User,
        name: "Fax",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The fax number.",
    },
    FieldSpec {
        global: Global::User,
        name: "Extension",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The phone extension.",
    },
    FieldSpec {
        global: Global::User,
        name: "ProfileId",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The Id of the user's profile (prefix 00e), 15 characters.",
    },
    FieldSpec {
        global: Global::User,
        name: "UserRoleId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the user's role (prefix 00E); blank when the user has no role.",
    },
    FieldSpec {
        global: Global::User,
        name: "ContactId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the contact of a community or portal user; blank for internal users.",
    },
    FieldSpec {
        global: Global::User,
        name: "AccountId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the account of a community or portal user; blank for internal users.",
    },
    FieldSpec {
        global: Global::User,
        name: "ManagerId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the user's manager; may be blank.",
    },
    FieldSpec {
        global: Global::User,
        name: "IsActive",
        ty: Type::Boolean,
        is_id: false,
        shape: NOT_TEXT,
        constant: None,
        doc: "Whether the user can log in.",
    },
    FieldSpec {
        global: Global::User,
        name: "LocaleSidKey",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The locale, e.g. en_US; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::User,
        name: "LanguageLocaleKey",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The language, e.g. en_US; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::User,
        name: "TimeZoneSidKey",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The time zone, e.g. America/Los_Angeles; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::User,
        name: "EmailEncodingKey",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The e-mail encoding, e.g. UTF-8; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::User,
        name: "UserType",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The license category, e.g. Standard or PowerPartner; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::User,
        name: "LastLoginDate",
        ty: Type::DateTime,
        is_id: false,
        shape: NOT_TEXT_NULLABLE,
        constant: None,
        doc: "When the user last logged in (GMT); blank before the first login.",
    },
    FieldSpec {
        global: Global::User,
        name: "CreatedDate",
        ty: Type::DateTime,
        is_id: false,
        shape: NOT_TEXT,
        constant: None,
        doc: "When the user record was created (GMT).",
    },
    FieldSpec {
        global: Global::User,
        name: "LastModifiedDate",
        ty: Type::DateTime,
        is_id: false,
        shape: NOT_TEXT,
        constant: None,
        doc: "When the user record was last changed (GMT).",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The org's Id (prefix 00D); it differs between production and each sandbox.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 80, false),
        constant: None,
        doc: "The company name of the org.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Division",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The org's division; may be blank.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Street",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The street of the org's address.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "City",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The city of the org's address.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "State",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The state or province of the org's address.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "PostalCode",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The postal code of the org's address.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Country",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The country of the org's address.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Phone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The org's phone number.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "Fax",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The org's fax number.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "GoogleAppsDomain",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The Google Apps domain linked to the org; usually blank.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "UiSkin",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The user-interface theme (Theme3 …); a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::Organization,
        name: "OrganizationType",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 40, false),
        constant: None,
        doc: "The edition, e.g. Enterprise Edition.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "InstanceName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 5, true),
        constant: None,
        doc: "The instance the org runs on, e.g. NA123.",
    },
    FieldSpec {
        global: Global::Organization,
        name: "IsSandbox",
        ty: Type::Boolean,
        is_id: false,
        shape: NOT_TEXT,
        constant: None,
        doc: "Whether the org is a sandbox.",
    },
    FieldSpec {
        global: Global::Profile,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The Id of the user's profile (prefix 00e).",
    },
    FieldSpec {
        global: Global::Profile,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 255, false),
        constant: None,
        doc: "The profile name, e.g. System Administrator.",
    },
    FieldSpec {
        global: Global::Profile,
        name: "LicenseType",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The user license of the profile. Text here (samlfx's choice): it is shown as a plain name, not used through TEXT().",
    },
    FieldSpec {
        global: Global::Profile,
        name: "UserType",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The license category of the profile; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::Profile,
        name: "Description",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The profile's description; may be blank.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the user's role (prefix 00E); blank when the user has no role.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The role name; blank when the user has no role.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "DeveloperName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The role's API name.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "Description",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The role's description; may be blank.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "ParentRoleId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the parent role; blank at the top of the hierarchy.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "RollupDescription",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The description shown in role roll-ups.",
    },
    FieldSpec {
        global: Global::UserRole,
        name: "PortalType",
        ty: Type::Picklist,
        is_id: false,
        shape: PICKLIST,
        constant: None,
        doc: "The portal type of the role; a picklist: read it with TEXT().",
    },
    FieldSpec {
        global: Global::System,
        name: "OriginDateTime",
        ty: Type::DateTime,
        is_id: false,
        shape: NOT_TEXT,
        constant: Some(Value::DateTime(ORIGIN)),
        doc: "A constant: the earliest DateTime, 1900-01-01 00:00:00 GMT.",
    },
];

/// `$System.OriginDateTime`.
const ORIGIN: chrono::NaiveDateTime = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => match d.and_hms_opt(0, 0, 0) {
        Some(dt) => dt,
        None => panic!("midnight exists"),
    },
    None => panic!("1900-01-01 exists"),
};

impl FieldSpec {
    /// The row's index in [`FIELDS`], found by its (global, name) key, which is unique.
    pub fn id(&self) -> FieldId {
        let i = FIELDS
            .iter()
            .position(|f| f.global == self.global && f.name == self.name)
            .expect("every FieldSpec is a row of FIELDS");
        FieldId(i as u16)
    }

    /// The shape of this field's values under an `id_length` setting: an Id field holds exactly
    /// 15 or 18 characters.
    pub fn shape(&self, id_length: IdLength) -> Shape {
        if self.shape.format == Format::Id {
            let n = id_length.chars();
            Shape {
                min_len: n,
                max_len: n,
                ..self.shape
            }
        } else {
            self.shape
        }
    }

    /// `$User.Alias`.
    pub fn full_name(&self) -> String {
        format!("{}.{}", self.global.name(), self.name)
    }
}

pub fn get(id: FieldId) -> &'static FieldSpec {
    &FIELDS[id.0 as usize]
}

/// Case-insensitive lookup of `$Global.Field`: the global picks a slice, then a short scan.
pub fn lookup(name: &str) -> Option<(FieldId, &'static FieldSpec)> {
    let (global, field) = name.split_once('.')?;
    lookup_in(Global::parse(global)?, field)
}

/// Case-insensitive lookup of a field name within one global.
pub fn lookup_in(global: Global, field: &str) -> Option<(FieldId, &'static FieldSpec)> {
    FIELDS
        .iter()
        .enumerate()
        .find(|(_, f)| f.global == global && f.name.eq_ignore_ascii_case(field))
        .map(|(i, f)| (FieldId(i as u16), f))
}

/// The names of one global's fields, for did-you-mean suggestions.
pub fn names_in(global: Global) -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter(move |f| f.global == global)
        .map(|f| f.name)
}

impl Global {
    pub const ALL: [Global; 5] = [
        Global::User,
        Global::Organization,
        Global::Profile,
        Global::UserRole,
        Global::System,
    ];

    /// `$User` (any case) to [`Global::User`].
    pub fn parse(s: &str) -> Option<Global> {
        Global::ALL
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case_and_ids_round_trip() {
        let (id, f) = lookup("$user.alias").unwrap();
        assert_eq!(f.full_name(), "$User.Alias");
        assert_eq!(get(id).name, "Alias");
        assert_eq!(f.id(), id);
        assert_eq!(
            lookup("$ORGANIZATION.ID").unwrap().1.full_name(),
            "$Organization.Id"
        );
        assert!(lookup("$User.Allias").is_none());
        assert!(lookup("$Nope.Id").is_none());
        assert!(lookup("Alias").is_none());
    }

    #[test]
    fn names_are_unique_and_shapes_consistent() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                assert!(
                    !(a.global == b.global && a.name.eq_ignore_ascii_case(b.name)),
                    "{} twice",
                    a.full_name()
                );
            }
            assert_eq!(a.is_id, a.shape.format == Format::Id, "{}", a.full_name());
            assert!(a.shape.min_len <= a.shape.max_len || a.shape.format == Format::NotText);
            assert_eq!(
                a.shape.format == Format::NotText,
                !matches!(a.ty, Type::Text | Type::Picklist),
                "{}",
                a.full_name()
            );
        }
        assert_eq!(
            lookup("$User.LanguageLocaleKey").unwrap().1.ty,
            Type::Picklist
        );
        assert_eq!(lookup("$User.IsActive").unwrap().1.ty, Type::Boolean);
        let (_, origin) = lookup("$system.origindatetime").unwrap();
        assert!(
            matches!(origin.constant, Some(Value::DateTime(dt)) if dt.to_string() == "1900-01-01 00:00:00")
        );
        assert!(
            FIELDS
                .iter()
                .all(|f| f.constant.is_some() == (f.global == Global::System))
        );
    }
}
