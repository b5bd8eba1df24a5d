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

// Where the numbers come from. Each row cites one of these; "unconfirmed" marks a value no source
// settled, which is then the wider choice (a shape may be wider than reality, never narrower).
//
// - [FR] Salesforce Field Reference (sfFieldRef): the `Length` column per field, for User (doc
//   releases 204, 234 and 260), Organization (release 228), UserRole and Name.
// - [UI] The UI API object info for User (its `length` and `required` per field), as stored in a
//   Salesforce LWC test fixture: `required: true` for Alias, CommunityNickname, Email,
//   EmailEncodingKey, LanguageLocaleKey, LastName, LocaleSidKey, Name, ProfileId, TimeZoneSidKey.
// - [OR] Object Reference (sforce_api_objects_user, _role, _profile, _organization): field
//   descriptions, picklist values and the Nillable property.
// - [EAI] Salesforce Help, "Email Address Internationalization": Email fields may hold
//   non-ASCII characters in both the local part and the domain.
// - [SE] salesforce.stackexchange.com/q/136843: the Username check is looser than the Email
//   check (several `@` are accepted); Salesforce documents only "the form of an email address".
// - [IANA] tz database, theory.html#naming: zone names use ASCII letters, digits, `.`, `-`, `_`,
//   `+` and `/` (digits and `+` only in legacy names such as `Etc/GMT+5`).
// - [KB] Salesforce knowledge article 004867756: aliases hold characters Amazon Connect refuses.
//
// Lengths are the documented maximum "characters". Formulas count UTF-16 code units (LEN of a
// character beyond the BMP is 2, knowledge article 005166849); whether a field's limit counts
// such a character once or twice is unconfirmed. Only fields that may hold non-ASCII characters
// are affected, and every AWS rule samlfx checks refuses those characters anyway.

/// A text shape.
const fn shape(min_len: u16, max_len: u16, chars: CharSet, nullable: bool) -> Shape {
    Shape {
        min_len,
        max_len,
        chars,
        format: Format::Text,
        nullable,
    }
}

/// Free text: any character, spaces, line breaks and non-ASCII included.
const fn text(min_len: u16, max_len: u16, nullable: bool) -> Shape {
    shape(min_len, max_len, CharSet::ANY, nullable)
}

/// A picklist's API value (read through TEXT()): Salesforce's own keys, never blank when
/// required.
const fn picklist(min_len: u16, max_len: u16, chars: CharSet, nullable: bool) -> Shape {
    shape(min_len, max_len, chars, nullable)
}

const fn email(max_len: u16, chars: CharSet) -> Shape {
    Shape {
        min_len: 3,
        max_len,
        chars,
        format: Format::Email,
        nullable: false,
    }
}

/// What an Email field holds: the atext of RFC 5322 in the local part (letters, digits and
/// ``!#$%&'*+/=?^_`{|}~-``), dots, `@`, and letters, digits and hyphens in the domain; non-ASCII
/// in both parts once Email Address Internationalization is on [EAI].
const EMAIL_CHARS: CharSet = CharSet::ALNUM
    .union(CharSet::of_bytes(b"!#$%&'*+/=?^_`{|}~-.@"))
    .with_non_ascii();

/// What a Username may hold. Salesforce requires only "the form of an email address" and checks
/// it more loosely than Email fields [SE]; which characters beyond [`EMAIL_CHARS`] it refuses is
/// unconfirmed, so this is every printable ASCII character (space included) and non-ASCII.
const USERNAME_CHARS: CharSet = CharSet::PRINTABLE.with_non_ascii();

/// A DeveloperName: ASCII letters, digits and `_`, beginning with a letter, not ending with `_`
/// and without `__` [OR] (only the set is recorded here).
const DEVELOPER_NAME_CHARS: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"_"));

/// Locale and language keys: `en_US`, `de`, `zh_CN_PINYIN`, `tzm_Latn_DZ` — letters, digits and
/// `_` (Java-style, underscore-separated).
const LOCALE_KEY_CHARS: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"_"));

/// Time zone keys are IANA zone names: `America/Los_Angeles`, `America/Port-au-Prince`,
/// `Etc/GMT+5` [IANA].
const TIME_ZONE_CHARS: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"._-+/"));

/// E-mail encoding keys are MIME charset names: `UTF-8`, `ISO-8859-1`, `Shift_JIS`,
/// `ks_c_5601-1987`, `Big5-HKSCS`, `x-SJIS_0213` [OR].
const ENCODING_CHARS: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"-_"));

/// Edition names: `Enterprise Edition`, `Developer Edition` — letters and spaces.
const EDITION_CHARS: CharSet = CharSet::LETTERS.union(CharSet::of_bytes(b" "));

const ID: Shape = Shape {
    min_len: 15,
    max_len: 18,
    chars: CharSet::ALNUM,
    format: Format::Id,
    nullable: false,
};

/// An Id that may be blank: its minimum is then 0, like every field that may be blank.
const ID_NULLABLE: Shape = Shape {
    min_len: 0,
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

/// The catalog, grouped by global.
pub static FIELDS: &[FieldSpec] = &[
    // Id: 15 ASCII letters and digits in formulas, 18 through CASESAFEID (suffix from A–Z0–5).
    FieldSpec {
        global: Global::User,
        name: "Id",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The user's Id, 15 characters in formulas (CASESAFEID gives 18).",
    },
    // [FR] string 8; [UI] required; any character [KB].
    FieldSpec {
        global: Global::User,
        name: "Alias",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 8, false),
        constant: None,
        doc: "The user's alias, 1 to 8 characters; required. It may hold any character, spaces \
              and non-ASCII included: Salesforce does not restrict it, while Amazon Connect \
              accepts only A-Z a-z 0-9 _ . - (knowledge article 004867756).",
    },
    // [FR] string 80; [OR] required, e-mail form; characters beyond RFC 5322 atext unconfirmed
    // [SE], so USERNAME_CHARS (printable ASCII and non-ASCII).
    FieldSpec {
        global: Global::User,
        name: "Username",
        ty: Type::Text,
        is_id: false,
        shape: email(80, USERNAME_CHARS),
        constant: None,
        doc: "The login name, e-mail shaped and unique across all orgs; up to 80 characters. \
              Salesforce checks its form loosely (several @ are accepted); which characters it \
              refuses is unconfirmed, so samlfx assumes any printable or non-ASCII character.",
    },
    // [FR] email 128; [UI] required; non-ASCII with EAI [EAI].
    FieldSpec {
        global: Global::User,
        name: "Email",
        ty: Type::Text,
        is_id: false,
        shape: email(128, EMAIL_CHARS),
        constant: None,
        doc: "The user's e-mail address, up to 128 characters; required. Non-ASCII characters \
              are possible once Email Address Internationalization is on.",
    },
    // [FR] string 40; [UI] not required.
    FieldSpec {
        global: Global::User,
        name: "FirstName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The first name, up to 40 characters; may be blank.",
    },
    // [FR] string 80; [UI] required.
    FieldSpec {
        global: Global::User,
        name: "LastName",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 80, false),
        constant: None,
        doc: "The last name, up to 80 characters; required.",
    },
    // [FR] string 121 (40 + space + 80); [UI] required. With middle names and suffixes on
    // (NameSettings, which covers User) the parts add up to 40+40+80+40 and 3 spaces = 203;
    // whether Name is then cut to 121 is unconfirmed, so 203.
    FieldSpec {
        global: Global::User,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 203, false),
        constant: None,
        doc: "The full name, first and last name joined by a space (121 characters at most); \
              with middle names and suffixes enabled it may be longer (up to 203, unconfirmed).",
    },
    // [FR] string 40; [UI] required. May it hold spaces? Unconfirmed: any character.
    FieldSpec {
        global: Global::User,
        name: "CommunityNickname",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 40, false),
        constant: None,
        doc: "The nickname shown in Experience Cloud sites, 1 to 40 characters; required and \
              unique in the org. Salesforce defaults it from the username; users may edit it, \
              and which characters it refuses is unconfirmed (spaces assumed possible).",
    },
    // [FR] [UI] string 512, "SAML Federation ID"; not required.
    FieldSpec {
        global: Global::User,
        name: "FederationIdentifier",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 512, true),
        constant: None,
        doc: "The Federation ID used for single sign-on, up to 512 characters of any kind; \
              often blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "Title",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The job title, up to 80 characters; may be blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "CompanyName",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The company name, up to 80 characters; may be blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "Department",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The department, up to 80 characters; may be blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "Division",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The division, up to 80 characters; may be blank.",
    },
    // [FR] [UI] string 20 (free text, not only digits).
    FieldSpec {
        global: Global::User,
        name: "EmployeeNumber",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The employee number, up to 20 characters of any kind; may be blank.",
    },
    // [FR] [UI] string 40.
    FieldSpec {
        global: Global::User,
        name: "City",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The city of the user's address, up to 40 characters; may be blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "Country",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The country of the user's address, up to 80 characters; may be blank.",
    },
    // [FR] [UI] string 80.
    FieldSpec {
        global: Global::User,
        name: "State",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The state or province of the user's address, up to 80 characters; may be blank.",
    },
    // [FR] [UI] textarea 255: may hold line breaks.
    FieldSpec {
        global: Global::User,
        name: "Street",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The street of the user's address, up to 255 characters, line breaks included; \
              may be blank.",
    },
    // [FR] [UI] string 20.
    FieldSpec {
        global: Global::User,
        name: "PostalCode",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The postal code of the user's address, up to 20 characters; may be blank.",
    },
    // [FR] [UI] phone 40: free text, not normalised.
    FieldSpec {
        global: Global::User,
        name: "Phone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The work phone number, up to 40 characters as typed (spaces, +, parentheses…); \
              may be blank.",
    },
    // [FR] [UI] phone 40.
    FieldSpec {
        global: Global::User,
        name: "MobilePhone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The mobile phone number, up to 40 characters as typed; may be blank.",
    },
    // [FR] [UI] phone 40.
    FieldSpec {
        global: Global::User,
        name: "Fax",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The fax number, up to 40 characters as typed; may be blank.",
    },
    // [FR] [UI] phone 40.
    FieldSpec {
        global: Global::User,
        name: "Extension",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The phone extension, up to 40 characters as typed; may be blank.",
    },
    // [UI] reference, required.
    FieldSpec {
        global: Global::User,
        name: "ProfileId",
        ty: Type::Text,
        is_id: true,
        shape: ID,
        constant: None,
        doc: "The Id of the user's profile (prefix 00e), 15 characters.",
    },
    // [UI] reference, not required.
    FieldSpec {
        global: Global::User,
        name: "UserRoleId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the user's role (prefix 00E); blank when the user has no role.",
    },
    // [OR] null for internal users.
    FieldSpec {
        global: Global::User,
        name: "ContactId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the contact of a community or portal user; blank for internal users.",
    },
    // [OR] "null for Salesforce users".
    FieldSpec {
        global: Global::User,
        name: "AccountId",
        ty: Type::Text,
        is_id: true,
        shape: ID_NULLABLE,
        constant: None,
        doc: "The Id of the account of a community or portal user; blank for internal users.",
    },
    // [UI] reference, not required.
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
    // [FR] [UI] picklist 40, required; keys such as en_US, zh_CN_PINYIN: at least a 2-letter
    // language code.
    FieldSpec {
        global: Global::User,
        name: "LocaleSidKey",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(2, 40, LOCALE_KEY_CHARS, false),
        constant: None,
        doc: "The locale, e.g. en_US (letters, digits and _, up to 40); required; a picklist: \
              read it with TEXT().",
    },
    // [FR] [UI] picklist 40, required; keys such as en_US, de, pt_BR.
    FieldSpec {
        global: Global::User,
        name: "LanguageLocaleKey",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(2, 40, LOCALE_KEY_CHARS, false),
        constant: None,
        doc: "The language, e.g. en_US or de (letters, digits and _, up to 40); required; a \
              picklist: read it with TEXT().",
    },
    // [FR] [UI] picklist 40, required; IANA zone names [IANA], the shortest 3 (GMT).
    FieldSpec {
        global: Global::User,
        name: "TimeZoneSidKey",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(3, 40, TIME_ZONE_CHARS, false),
        constant: None,
        doc: "The time zone, an IANA name such as America/Los_Angeles (letters, digits and \
              . _ - + /, up to 40); required; a picklist: read it with TEXT().",
    },
    // [FR] [UI] picklist 40, required; [OR] values UTF-8, ISO-8859-1, Shift_JIS, ISO-2022-JP,
    // EUC-JP, ks_c_5601-1987, Big5, GB2312, Big5-HKSCS, x-SJIS_0213: the shortest is Big5.
    FieldSpec {
        global: Global::User,
        name: "EmailEncodingKey",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(4, 40, ENCODING_CHARS, false),
        constant: None,
        doc: "The e-mail encoding, e.g. UTF-8 or Shift_JIS (letters, digits, - and _, up to \
              40); required; a picklist: read it with TEXT().",
    },
    // [FR] picklist 40; [OR] values Standard, PowerPartner, CSPLitePortal, CustomerSuccess,
    // PowerCustomerSuccess, CsnOnly, Guest, SelfService (and undocumented ones seen in the
    // wild, all letters); Nillable on Profile, so blank is allowed here too (unconfirmed).
    FieldSpec {
        global: Global::User,
        name: "UserType",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(0, 40, CharSet::LETTERS, true),
        constant: None,
        doc: "The license category, e.g. Standard or PowerPartner (letters only, up to 40); a \
              picklist: read it with TEXT().",
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
    // Organization.Name: 80 (the company name of Company Information); the length is
    // unconfirmed by the sources read here.
    FieldSpec {
        global: Global::Organization,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 80, false),
        constant: None,
        doc: "The company name of the org, up to 80 characters (length unconfirmed).",
    },
    // [FR] string 80.
    FieldSpec {
        global: Global::Organization,
        name: "Division",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The org's division, up to 80 characters; may be blank.",
    },
    // Textarea 255 as on User (unconfirmed for Organization).
    FieldSpec {
        global: Global::Organization,
        name: "Street",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The street of the org's address, up to 255 characters, line breaks included.",
    },
    // [FR] string 40.
    FieldSpec {
        global: Global::Organization,
        name: "City",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The city of the org's address, up to 40 characters.",
    },
    // 80 as on User (unconfirmed for Organization).
    FieldSpec {
        global: Global::Organization,
        name: "State",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The state or province of the org's address, up to 80 characters.",
    },
    // 20 as on User (unconfirmed for Organization).
    FieldSpec {
        global: Global::Organization,
        name: "PostalCode",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 20, true),
        constant: None,
        doc: "The postal code of the org's address, up to 20 characters.",
    },
    // [FR] string 80; [OR] "Limit: 80 characters".
    FieldSpec {
        global: Global::Organization,
        name: "Country",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The country of the org's address, up to 80 characters.",
    },
    // phone 40 as every phone field (unconfirmed for Organization.Phone; Fax is [FR] 40).
    FieldSpec {
        global: Global::Organization,
        name: "Phone",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The org's phone number, up to 40 characters as typed.",
    },
    // [FR] phone 40.
    FieldSpec {
        global: Global::Organization,
        name: "Fax",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 40, true),
        constant: None,
        doc: "The org's fax number, up to 40 characters as typed.",
    },
    // Unconfirmed: 255 and any character.
    FieldSpec {
        global: Global::Organization,
        name: "GoogleAppsDomain",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The Google Apps domain linked to the org; usually blank (length unconfirmed).",
    },
    // Picklist 40 (unconfirmed); [OR] values Theme1, Theme2, Theme3, PortalDefault, Webstore.
    FieldSpec {
        global: Global::Organization,
        name: "UiSkin",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(0, 40, CharSet::ALNUM, true),
        constant: None,
        doc: "The user-interface theme (Theme3 …; letters and digits); a picklist: read it with \
              TEXT().",
    },
    // [FR] picklist 40 ("Edition"); [OR] values such as Enterprise Edition, Developer Edition:
    // letters and spaces.
    FieldSpec {
        global: Global::Organization,
        name: "OrganizationType",
        ty: Type::Text,
        is_id: false,
        shape: shape(1, 40, EDITION_CHARS, false),
        constant: None,
        doc: "The edition, e.g. Enterprise Edition (letters and spaces, up to 40).",
    },
    // [FR] string 5 (API 50.0), e.g. NA123, CS42; newer (Hyperforce) instance names may be
    // longer, so 40 (unconfirmed); letters and digits.
    FieldSpec {
        global: Global::Organization,
        name: "InstanceName",
        ty: Type::Text,
        is_id: false,
        shape: shape(0, 40, CharSet::ALNUM, true),
        constant: None,
        doc: "The instance the org runs on, e.g. NA123 (letters and digits; documented as 5 \
              characters, up to 40 assumed).",
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
    // [OR] required (no Nillable); 255 (unconfirmed).
    FieldSpec {
        global: Global::Profile,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(1, 255, false),
        constant: None,
        doc: "The profile name, e.g. System Administrator; required (up to 255, unconfirmed).",
    },
    // What $Profile.LicenseType returns (the license name?) is unconfirmed: 255, any.
    FieldSpec {
        global: Global::Profile,
        name: "LicenseType",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The user license of the profile (shape unconfirmed). Text here (samlfx's \
              choice): it is shown as a plain name, not used through TEXT().",
    },
    // [OR] picklist, Nillable; the UserType values: letters; 40 as on User.
    FieldSpec {
        global: Global::Profile,
        name: "UserType",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(0, 40, CharSet::LETTERS, true),
        constant: None,
        doc: "The license category of the profile, e.g. Standard (letters only); a picklist: \
              read it with TEXT().",
    },
    // [OR] "limited to 255 characters", Nillable.
    FieldSpec {
        global: Global::Profile,
        name: "Description",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The profile's description, up to 255 characters; may be blank.",
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
    // [FR] string 80; blank when the user has no role.
    FieldSpec {
        global: Global::UserRole,
        name: "Name",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The role name, up to 80 characters; blank when the user has no role.",
    },
    // [FR] string 80; [OR] letters, digits and _, begins with a letter.
    FieldSpec {
        global: Global::UserRole,
        name: "DeveloperName",
        ty: Type::Text,
        is_id: false,
        shape: shape(0, 80, DEVELOPER_NAME_CHARS, true),
        constant: None,
        doc: "The role's API name: up to 80 letters, digits and _, beginning with a letter; \
              blank when the user has no role.",
    },
    // [FR] lists no UserRole.Description: its "Description" label is RollupDescription (80).
    // What $UserRole.Description reads is unconfirmed: 255, any.
    FieldSpec {
        global: Global::UserRole,
        name: "Description",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 255, true),
        constant: None,
        doc: "The role's description; may be blank (length unconfirmed).",
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
    // [FR] string 80.
    FieldSpec {
        global: Global::UserRole,
        name: "RollupDescription",
        ty: Type::Text,
        is_id: false,
        shape: text(0, 80, true),
        constant: None,
        doc: "The description shown in role roll-ups, up to 80 characters; may be blank.",
    },
    // [FR] picklist 40; [OR] values None, CustomerPortal, Partner: letters.
    FieldSpec {
        global: Global::UserRole,
        name: "PortalType",
        ty: Type::Picklist,
        is_id: false,
        shape: picklist(0, 40, CharSet::LETTERS, true),
        constant: None,
        doc: "The portal type of the role, e.g. None or Partner (letters only); a picklist: \
              read it with TEXT().",
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
    /// 15 or 18 characters, or nothing when it may be blank (minimum 0).
    pub fn shape(&self, id_length: IdLength) -> Shape {
        if self.shape.format == Format::Id {
            let n = id_length.chars();
            Shape {
                min_len: if self.shape.nullable { 0 } else { n },
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

    /// What must hold of every row, whatever the research says: lengths in order under both
    /// Id settings, Ids of ASCII letters and digits, blank values allowed exactly by a zero
    /// minimum, and non-text fields without characters.
    #[test]
    fn every_shape_obeys_the_table_invariants() {
        for f in FIELDS {
            let name = f.full_name();
            let s = f.shape;
            for len in [IdLength::Fifteen, IdLength::Eighteen] {
                let t = f.shape(len);
                assert!(t.min_len <= t.max_len, "{name}: {t:?}");
                if f.is_id {
                    let min = if t.nullable { 0 } else { len.chars() };
                    assert_eq!((t.min_len, t.max_len), (min, len.chars()), "{name}");
                }
            }
            if s.format == Format::NotText {
                assert!(
                    s.chars.is_empty(),
                    "{name}: a non-text field holds no characters"
                );
                assert_eq!((s.min_len, s.max_len), (0, 0), "{name}");
                continue;
            }
            assert!(s.max_len > 0 && !s.chars.is_empty(), "{name}");
            if f.is_id {
                assert_eq!(s.chars, CharSet::ALNUM, "{name}");
            }
            if s.nullable {
                assert_eq!(
                    s.min_len, 0,
                    "{name}: a field that may be blank has minimum 0"
                );
            } else {
                assert!(s.min_len >= 1, "{name}: a required field has minimum 1");
            }
        }
    }

    fn shape_of(name: &str, len: IdLength) -> Shape {
        lookup(name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
            .shape(len)
    }

    /// Whether every value lies within the field's shape (length in UTF-16 units, characters).
    fn holds(name: &str, values: &[&str]) {
        let s = shape_of(name, IdLength::Fifteen);
        for v in values {
            let len = v.encode_utf16().count();
            assert!(
                usize::from(s.min_len) <= len && len <= usize::from(s.max_len),
                "{name}: {v:?} has {len} units, shape {s:?}"
            );
            assert!(
                CharSet::of_str(v).is_subset_of(s.chars),
                "{name}: {v:?} ⊄ {s:?}"
            );
        }
    }

    #[test]
    fn researched_shapes() {
        // Alias: 1–8 of any character (knowledge article 004867756).
        let alias = shape_of("$User.Alias", IdLength::Fifteen);
        assert_eq!(
            (alias.min_len, alias.max_len, alias.nullable),
            (1, 8, false)
        );
        assert_eq!(alias.chars, CharSet::ANY);
        holds("$User.Alias", &["jdoe", "j doe", "jdö#1", "é"]);
        // Username: e-mail shaped, up to 80.
        let username = shape_of("$User.Username", IdLength::Fifteen);
        assert_eq!((username.max_len, username.format), (80, Format::Email));
        holds(
            "$User.Username",
            &[
                "jane.o'doe+sf@acme.example.com",
                "a@b@c.d",
                "jané@acme.example",
            ],
        );
        holds(
            "$User.Email",
            &["jane.o'doe+sf@acme.example.com", "用户@例子.广告"],
        );
        assert!(
            !shape_of("$User.Email", IdLength::Fifteen)
                .chars
                .contains(' ')
        );
        // Ids: 15 letters and digits, or 18 under --id-length 18.
        for name in [
            "$User.Id",
            "$Organization.Id",
            "$Profile.Id",
            "$User.ProfileId",
        ] {
            let short = shape_of(name, IdLength::Fifteen);
            let long = shape_of(name, IdLength::Eighteen);
            assert_eq!((short.min_len, short.max_len), (15, 15), "{name}");
            assert_eq!((long.min_len, long.max_len), (18, 18), "{name}");
            assert_eq!(long.chars, CharSet::ALNUM);
        }
        // An Id that may be blank: nothing, or exactly 15 (18).
        let role = shape_of("$UserRole.Id", IdLength::Eighteen);
        assert_eq!((role.min_len, role.max_len, role.nullable), (0, 18, true));
        assert!(
            CharSet::of_str(&crate::id::case_safe("005xx000001AbCd")).is_subset_of(CharSet::ALNUM)
        );
        // Picklist keys.
        holds(
            "$User.TimeZoneSidKey",
            &[
                "America/Los_Angeles",
                "America/Port-au-Prince",
                "Etc/GMT+5",
                "GMT",
            ],
        );
        holds(
            "$User.LocaleSidKey",
            &["en_US", "zh_CN_PINYIN", "tzm_Latn_DZ", "de"],
        );
        holds("$User.LanguageLocaleKey", &["en_US", "de", "pt_BR"]);
        holds(
            "$User.EmailEncodingKey",
            &[
                "UTF-8",
                "ISO-8859-1",
                "Shift_JIS",
                "ISO-2022-JP",
                "EUC-JP",
                "ks_c_5601-1987",
                "Big5",
                "GB2312",
                "Big5-HKSCS",
                "x-SJIS_0213",
            ],
        );
        holds(
            "$User.UserType",
            &[
                "Standard",
                "PowerPartner",
                "CSPLitePortal",
                "CustomerSuccess",
                "PowerCustomerSuccess",
                "CsnOnly",
                "Guest",
                "SelfService",
            ],
        );
        holds(
            "$Organization.OrganizationType",
            &["Enterprise Edition", "Developer Edition"],
        );
        holds("$UserRole.DeveloperName", &["", "Western_Sales_Team"]);
        assert!(
            !shape_of("$UserRole.DeveloperName", IdLength::Fifteen)
                .chars
                .contains('-')
        );
        // Free text takes anything, within its documented length.
        holds("$User.LastName", &["O'Brien-Smith Jr.", "山田"]);
        holds("$User.Phone", &["+1 (415) 555-0100 ext. 12"]);
        holds("$User.FederationIdentifier", &["", "CN=Jane Doe,OU=Sales"]);
        for (name, max) in [
            ("$User.FirstName", 40),
            ("$User.LastName", 80),
            ("$User.CommunityNickname", 40),
            ("$User.FederationIdentifier", 512),
            ("$User.Email", 128),
            ("$User.EmployeeNumber", 20),
            ("$UserRole.Name", 80),
        ] {
            assert_eq!(shape_of(name, IdLength::Fifteen).max_len, max, "{name}");
        }
    }
}
