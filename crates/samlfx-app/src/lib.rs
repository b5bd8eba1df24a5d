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
//! use samlfx_app::{CheckOptions, check_files, load};
//!
//! let files = load(std::path::Path::new("examples/voice"));
//! // One list of findings per file, each app under its own scope (see below).
//! let findings = check_files(&files, &CheckOptions::default(), &Default::default());
//! for (file, diagnostics) in files.iter().zip(&findings) {
//!     // `file.source` is what the renderers take; every diagnostic points into it.
//!     // render with samlfx_diag::render::Located::all(&file.source, diagnostics)
//!     let _ = (file, diagnostics);
//! }
//! ```
//!
//! - [`discover()`] turns a path into app files (a file is taken as named; a directory is
//!   searched, an SFDX project through its `sfdx-project.json`), with C001, C015–C017;
//! - [`read_file`] / [`read_bytes`] / [`read_text`] read one file into a [`Loaded`]: its
//!   [`Source`](samlfx_diag::render::Source), its [`Content`] and its diagnostics (C002–C014, F404);
//! - [`load`] does both. [`Loaded::input_failed`] says whether the file was an input error
//!   (exit status 2);
//! - [`lint_app`], [`lint_contact_center`] and [`lint_client_app`] run the rules `check` runs
//!   on what was read (every formula through the checker, the shape analysis and AWS's rules;
//!   the app rules C100–C108; the contact-center rules and cross-checks C200–C207; the External
//!   Client App pairing C019), with [`app_profile`] picking each app's profile when none is
//!   given. Their diagnostics point into the same file.
//!
//! # Scope
//!
//! Which rules run on an app follows from that app alone ([`app_profile`]): its own `profile`,
//! else `amazon-connect` when its Role names a Service Cloud Voice SAML provider or a contact
//! center is [`link`]ed to it, else `aws` when it signs in to AWS (an AWS sign-in ACS URL or an
//! attribute under AWS's key prefix), else `none`. An app and a contact center are linked only
//! by what both files hold: the app's Entity ID is the contact center's internal name, or the
//! app's Role names the contact center's `<internal name>-SAMLRole`. A file thus gives the same
//! findings checked alone or with its whole repository, except for the cross-checks of linked
//! files. Apps without SAML and Open CTI call centers are read and counted, never an error.
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
//! # Rules to run: "aws", "amazon-connect" (Service Cloud Voice), "none"; by default chosen
//! # from the app itself (see Scope above).
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
pub use lint::{
    CheckOptions, LintOptions, app_profile, check_files, link, lint_app, lint_client_app,
    lint_contact_center,
};
pub use model::{
    App, Attribute, ClientApp, ContactCenter, Content, Encryption, Field, FileKind, Item,
    NameIdFormat, SigningAlgorithm, Spanned, SubjectType, Text,
};
pub use read::{Loaded, MAX_FILE_BYTES, read_bytes, read_file, read_text};
