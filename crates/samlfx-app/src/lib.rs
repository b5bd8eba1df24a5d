//! The app model and its readers: what a SAML app (Connected App or External Client App) and a
//! Service Cloud Voice contact center are, read from `samlfx.toml`, `*.connectedApp-meta.xml`,
//! `*.ecaSamlPlcy-meta.xml` and contact-center XML, with the byte span of every value in its file.
//!
//! Every text value is a [`Text`]: the decoded string (XML entities and CDATA, or TOML escapes,
//! resolved) and a [`SourceMap`](samlfx_diag::SourceMap) from its bytes back to the file's. A
//! formula's diagnostics, whose spans are relative to the formula, are moved into the file by
//! [`Text::locate`], exactly, through `&amp;`, `&apos;`, `&#39;`, CDATA and `\"`.
//!
//! # Using it (what `samlfx check` does)
//!
//! ```no_run
//! use samlfx_app::{Content, load};
//! use samlfx_formula::program::CompileOptions;
//!
//! for file in load(std::path::Path::new("examples/voice")) {
//!     // `file.source` is what the renderers take; `file.diagnostics` point into it.
//!     let mut diagnostics = file.diagnostics.clone();
//!     if let Some(Content::App(app)) = &file.content {
//!         let opts = CompileOptions { schema: Some(app.schema()), ..Default::default() };
//!         for attr in &app.attributes {
//!             // Spans into the file; `attr.formula.locate(d)` moves any other formula finding
//!             // (`samlfx_aws::formula::check_formula`'s) the same way.
//!             let compiled = attr.compile(&opts);
//!             diagnostics.extend(compiled.diagnostics);
//!         }
//!     }
//!     // render with samlfx_diag::render::Located::all(&file.source, &diagnostics)
//! }
//! ```
//!
//! - [`discover()`] turns a path into app files (a file is taken as named; a directory is
//!   searched, an SFDX project through its `sfdx-project.json`), with C001, C015–C017;
//! - [`read_file`] / [`read_bytes`] / [`read_text`] read one file into a [`Loaded`]: its
//!   [`Source`](samlfx_diag::render::Source), its [`Content`] and its diagnostics (C002–C014, F404);
//! - [`load`] does both. [`Loaded::input_failed`] says whether the file was an input error
//!   (exit status 2).
//!
//! Readers never panic and never resolve a DTD or an external entity: a DOCTYPE is refused
//! (C005); files are bounded to [`MAX_FILE_BYTES`], XML nesting to 64, searches by
//! [`discover::MAX_DEPTH`], [`discover::MAX_ENTRIES`] and [`discover::MAX_FILES`].
//!
//! # samlfx.toml
//!
//! samlfx's own description of an app, for an org whose metadata is not in the repository, or
//! to declare the custom fields the formulas read. Strings only; a formula reads best as a
//! literal string (`'…'`, no escapes) or a multi-line literal (`'''…'''`).
//!
//! ```toml
//! # Rules to run: "aws" (default), "amazon-connect" (Service Cloud Voice), "none".
//! profile = "amazon-connect"
//!
//! [app]
//! name = "AcmeVoice"                                 # optional; shown in messages
//! entity_id = "AcmeVoice"                            # required: Entity ID (entityUrl)
//! acs_url = "https://signin.aws.amazon.com/saml"     # required: ACS URL (acsUrl)
//! issuer = "https://acme.my.salesforce.com"          # optional
//! subject_type = "PersistentId"   # Username | FederationId | UserId | PersistentId | CustomAttribute | SpokeId
//! # subject_attribute = "…"       # the attribute key, with subject_type = "CustomAttribute"
//! name_id_format = "Persistent"   # Unspecified | EmailAddress | Persistent | Transient (or its URN)
//! signing_algorithm = "SHA256"    # SHA1 | SHA256
//! # encryption = "AES_256"        # AES_128 | AES_256 | Triple_Des
//!
//! [[attributes]]
//! key = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
//! formula = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id"
//!
//! [[attributes]]
//! key = "https://aws.amazon.com/SAML/Attributes/Role"
//! formula = '''
//! 'arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp_00D5g000004Xyz1' & ',' &
//! 'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole'
//! '''
//!
//! # Custom fields the formulas read, as `--field NAME:TYPE[:MAXLEN]` takes them.
//! [fields]
//! "$User.AWS_Role__c" = "Text:255"
//! ```
//!
//! Enumeration values are the Metadata API's, exactly (`PersistentId`, not `PersistentID`).
//! Unknown keys are warnings (C014) with the closest key suggested.
#![forbid(unsafe_code)]

pub mod call_center;
pub mod connected_app;
pub mod discover;
pub mod eca;
pub mod enumeration;
pub mod lint;
pub mod model;
pub mod read;
pub mod toml;
pub mod xml;

pub use discover::{Discovery, discover, is_app_file, load};
pub use lint::{LintOptions, choose_profile, lint_app, lint_contact_center};
pub use model::{
    App, Attribute, ContactCenter, Content, Encryption, Field, FileKind, Item, NameIdFormat,
    SigningAlgorithm, Spanned, SubjectType, Text,
};
pub use read::{Loaded, MAX_FILE_BYTES, read_bytes, read_file, read_text};
