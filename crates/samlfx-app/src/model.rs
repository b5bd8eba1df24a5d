//! The app model: what every reader produces, whatever the file format, with the byte span of
//! every value in its file so that a finding about the value points at the file's bytes.

use samlfx_aws::profile::Profile;
use samlfx_diag::{Diagnostic, SourceMap, Span};
use samlfx_formula::schema::Declaration;

/// A value and the bytes of the file it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// A text value after decoding (XML entities, CDATA, TOML escapes), with the map from its bytes
/// back to the file's: a diagnostic about part of the text (a formula's, an ARN's) is moved into
/// the file with [`Text::locate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// The decoded text.
    pub value: String,
    /// Decoded byte → file bytes.
    pub map: SourceMap,
}

impl Text {
    pub fn new(value: String, map: SourceMap) -> Text {
        debug_assert_eq!(value.len(), map.len());
        Text { value, map }
    }

    /// A text copied verbatim from the file at `at`.
    pub fn verbatim(value: &str, at: usize) -> Text {
        Text::new(value.to_owned(), SourceMap::verbatim(at, value.len()))
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The file bytes of the whole text (its anchor point when empty).
    pub fn span(&self) -> Span {
        self.map.source_span()
    }

    /// The file bytes that decode to `decoded` (byte offsets into [`value`](Self::value)).
    pub fn span_of(&self, decoded: std::ops::Range<usize>) -> Span {
        self.map.span(decoded)
    }

    /// A diagnostic whose spans point into this text, moved to the file: how a formula's
    /// diagnostics (from `Program::compile`, `check_formula`) become the file's.
    pub fn locate(&self, d: Diagnostic) -> Diagnostic {
        d.through(&self.map)
    }

    /// The text without leading and trailing whitespace, its map sliced to match: how an
    /// enumeration or a URL is read from `<acsUrl> https://… </acsUrl>`.
    pub fn trimmed(&self) -> Text {
        let start = self.value.len() - self.value.trim_start().len();
        let end = self.value.trim_end().len().max(start);
        Text::new(
            self.value[start..end].to_owned(),
            self.map.slice(start..end),
        )
    }
}

/// Which format an app file is in; decides the reader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `samlfx.toml`, samlfx's own format.
    SamlfxToml,
    /// Metadata API `ConnectedApp`: `*.connectedApp-meta.xml` (SFDX) or `*.connectedApp` (MDAPI).
    ConnectedApp,
    /// External Client App SAML policies: `*.ecaSamlPlcy-meta.xml` or `*.ecaSamlPlcy`.
    ExternalClientApp,
    /// The External Client App itself (`ExternalClientApplication`): `*.eca-meta.xml` or `*.eca`.
    ClientApp,
    /// An External Client App's plugin switches (`ExtlClntAppConfigurablePolicies`):
    /// `*.ecaPlcy-meta.xml` or `*.ecaPlcy`.
    ClientAppPolicies,
    /// Metadata API `CallCenter`: `*.callCenter-meta.xml` or `*.callCenter`.
    CallCenter,
    /// Setup's contact-center import format: any `*.xml` whose root is `<callCenter>`.
    CallCenterImport,
}

impl FileKind {
    /// The kind a file name promises, or `None` (a plain `*.xml` is decided by its root).
    pub fn from_name(name: &str) -> Option<FileKind> {
        const SUFFIXES: [(&str, FileKind); 11] = [
            (".connectedApp-meta.xml", FileKind::ConnectedApp),
            (".connectedApp", FileKind::ConnectedApp),
            (".ecaSamlPlcy-meta.xml", FileKind::ExternalClientApp),
            (".ecaSamlPlcy", FileKind::ExternalClientApp),
            (".eca-meta.xml", FileKind::ClientApp),
            (".eca", FileKind::ClientApp),
            (".ecaPlcy-meta.xml", FileKind::ClientAppPolicies),
            (".ecaPlcy", FileKind::ClientAppPolicies),
            (".callCenter-meta.xml", FileKind::CallCenter),
            (".callCenter", FileKind::CallCenter),
            (".toml", FileKind::SamlfxToml),
        ];
        SUFFIXES
            .iter()
            .find(|(s, _)| name.ends_with(s))
            .map(|&(_, k)| k)
    }

    /// The root element an XML kind holds (`None` for samlfx.toml).
    pub fn root(self) -> Option<&'static str> {
        match self {
            FileKind::SamlfxToml => None,
            FileKind::ConnectedApp => Some("ConnectedApp"),
            FileKind::ExternalClientApp => Some("ExtlClntAppSamlConfigurablePolicies"),
            FileKind::ClientApp => Some("ExternalClientApplication"),
            FileKind::ClientAppPolicies => Some("ExtlClntAppConfigurablePolicies"),
            FileKind::CallCenter => Some("CallCenter"),
            FileKind::CallCenterImport => Some("callCenter"),
        }
    }

    /// The XML kind whose root element is `root`.
    pub fn from_root(root: &str) -> Option<FileKind> {
        [
            FileKind::ConnectedApp,
            FileKind::ExternalClientApp,
            FileKind::ClientApp,
            FileKind::ClientAppPolicies,
            FileKind::CallCenter,
            FileKind::CallCenterImport,
        ]
        .into_iter()
        .find(|k| k.root() == Some(root))
    }

    /// How messages name the kind.
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::SamlfxToml => "a samlfx.toml file",
            FileKind::ConnectedApp => "a ConnectedApp file (*.connectedApp-meta.xml)",
            FileKind::ExternalClientApp => {
                "an External Client App SAML policy file (*.ecaSamlPlcy-meta.xml)"
            }
            FileKind::ClientApp => "an External Client App file (*.eca-meta.xml)",
            FileKind::ClientAppPolicies => {
                "an External Client App policies file (*.ecaPlcy-meta.xml)"
            }
            FileKind::CallCenter => "a CallCenter metadata file (*.callCenter-meta.xml)",
            FileKind::CallCenterImport => "a contact-center import file (<callCenter> XML)",
        }
    }
}

/// What a file defines.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    App(Box<App>),
    ContactCenter(Box<ContactCenter>),
    /// An External Client App's header or plugin policies: what decides whether the SAML
    /// policy paired with it is in effect.
    ClientApp(Box<ClientApp>),
}

/// An External Client App's `ExternalClientApplication` (`.eca`) or its
/// `ExtlClntAppConfigurablePolicies` (`.ecaPlcy`). Its SAML policy (an [`App`] read from
/// `.ecaSamlPlcy`) is paired with it by the app name: [`ClientApp::app_name`] equals the
/// SAML policy's [`App::client_app`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ClientApp {
    /// Which of the two files this is.
    pub kind: Option<FileKind>,
    /// The metadata name the file's name carries (`AcmeVoice` of `AcmeVoice.eca-meta.xml`).
    pub name: Option<String>,
    /// `externalClientApplication` of a policies file.
    pub client_app: Option<Text>,
    /// `distributionState` of an `.eca`: SAML needs `Local`.
    pub distribution_state: Option<Text>,
    /// `isEnabled` of a policies file: false disables every plugin.
    pub enabled: Option<Spanned<bool>>,
    /// `isSamlPluginEnabled` of a policies file: SAML needs true.
    pub saml_plugin: Option<Spanned<bool>>,
    /// The root element.
    pub span: Span,
    /// The root element's name in its start tag.
    pub name_span: Span,
}

impl ClientApp {
    /// The External Client App this file belongs to: the policies' `externalClientApplication`,
    /// or the `.eca`'s own name.
    pub fn app_name(&self) -> Option<&str> {
        match &self.client_app {
            Some(t) => Some(t.as_str()),
            None if self.kind == Some(FileKind::ClientApp) => self.name.as_deref(),
            None => None,
        }
    }
}

/// A SAML app (Connected App or External Client App), as any of its formats describes it.
/// Every setting is optional here: a missing required one has been reported by the reader (C008)
/// and the rules that need it are skipped.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct App {
    /// The app's name: the metadata file's name without its suffix, else its `label`
    /// (`externalClientApplication`), else samlfx.toml's `[app] name`. Not spanned: a file name
    /// has no place in the file.
    pub name: Option<String>,
    /// Entity ID (`entityUrl`): the SP entity id, sent as the assertion's `<Audience>`.
    pub entity_id: Option<Text>,
    /// ACS URL (`acsUrl`): where the assertion is posted, its `Recipient`.
    pub acs_url: Option<Text>,
    /// Issuer; Salesforce's default is the org's My Domain URL.
    pub issuer: Option<Text>,
    pub subject_type: Option<Spanned<SubjectType>>,
    pub name_id_format: Option<Spanned<NameIdFormat>>,
    pub signing_algorithm: Option<Spanned<SigningAlgorithm>>,
    pub encryption: Option<Spanned<Encryption>>,
    /// The custom attributes, in file order.
    pub attributes: Vec<Attribute>,
    /// The custom fields the formulas may read (samlfx.toml `[fields]` only: metadata carries
    /// no declarations).
    pub fields: Vec<Field>,
    /// The rule profile the file asks for (samlfx.toml `profile` only).
    pub profile: Option<Spanned<Profile>>,
    /// Per-code severity overrides for this app's findings (samlfx.toml `[severity]` only); the
    /// command line's `--allow`, `--warn` and `--deny` win over them.
    pub severities: samlfx_diag::Severities,
    /// The app's root element, or the `app` of samlfx.toml's `[app]` header: where a finding
    /// about the app as a whole (a missing attribute) points.
    pub span: Span,
    /// `externalClientApplication` of an External Client App SAML policy: the app it belongs to.
    pub client_app: Option<Text>,
    /// Whether the app signs users in with SAML: false for a Connected App without
    /// `<samlConfig>` (OAuth, canvas and bookmark apps). Such an app is counted and its
    /// formulas are checked as formulas, with no SAML or AWS rule.
    pub saml: bool,
}

impl App {
    /// The schema of [`fields`](Self::fields), for `CompileOptions::schema`. Conflicts were
    /// reported by the reader and are skipped here.
    pub fn schema(&self) -> samlfx_formula::schema::Schema {
        let mut schema = samlfx_formula::schema::Schema::default();
        for f in &self.fields {
            let _ = schema.add(f.declaration.clone());
        }
        schema
    }

    /// The attribute with this key (exactly as written), if any.
    pub fn attribute(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key.value == key)
    }
}

/// One custom attribute: its key (the SAML attribute name) and the formula of its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub key: Text,
    /// The formula's text as Salesforce stores it, decoded; compile it, then move each
    /// diagnostic into the file with [`Text::locate`].
    pub formula: Text,
    /// The whole `<attributes>` element, or the `[[attributes]]` header of its table.
    pub span: Span,
}

impl Attribute {
    /// The formula compiled with `opts` (give it the app's [`App::schema`] and
    /// `expected: Some(Type::Text)`), its diagnostics moved into the file.
    pub fn compile(
        &self,
        opts: &samlfx_formula::program::CompileOptions,
    ) -> samlfx_formula::program::Compiled {
        let mut compiled = samlfx_formula::program::Program::compile(&self.formula.value, opts);
        compiled.diagnostics = compiled
            .diagnostics
            .into_iter()
            .map(|d| self.formula.locate(d))
            .collect();
        compiled
    }
}

/// A declared custom field, `"$User.AWS_Role__c" = "Text:255"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub declaration: Declaration,
    /// The name as written (its key).
    pub name_span: Span,
    /// The type as written (its value).
    pub type_span: Span,
}

/// The SAML subject: which of the user's values becomes the NameID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubjectType {
    Username,
    FederationId,
    UserId,
    /// Salesforce's persistent, app-specific id; Service Cloud Voice uses it.
    PersistentId,
    /// The value of one custom attribute, named by its key (`samlSubjectCustomAttr`,
    /// `subjectCustomAttribute`, `subject_attribute`); `None` when the file names none.
    CustomAttribute(Option<Text>),
    SpokeId,
}

impl SubjectType {
    /// The Metadata API's enumeration values, in the WSDL's order.
    pub const NAMES: [&'static str; 6] = [
        "Username",
        "FederationId",
        "UserId",
        "SpokeId",
        "CustomAttribute",
        "PersistentId",
    ];

    /// Reads an enumeration value (exactly, as the Metadata API does); a custom attribute's
    /// key is filled in by the reader.
    pub fn parse(s: &str) -> Option<SubjectType> {
        Some(match s {
            "Username" => SubjectType::Username,
            "FederationId" => SubjectType::FederationId,
            "UserId" => SubjectType::UserId,
            "SpokeId" => SubjectType::SpokeId,
            "CustomAttribute" => SubjectType::CustomAttribute(None),
            "PersistentId" => SubjectType::PersistentId,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            SubjectType::Username => "Username",
            SubjectType::FederationId => "FederationId",
            SubjectType::UserId => "UserId",
            SubjectType::PersistentId => "PersistentId",
            SubjectType::CustomAttribute(_) => "CustomAttribute",
            SubjectType::SpokeId => "SpokeId",
        }
    }
}

/// The NameID format of the subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameIdFormat {
    Unspecified,
    EmailAddress,
    Persistent,
    Transient,
}

impl NameIdFormat {
    pub const NAMES: [&'static str; 4] = ["Unspecified", "EmailAddress", "Persistent", "Transient"];

    pub fn parse(s: &str) -> Option<NameIdFormat> {
        Some(match s {
            "Unspecified" => NameIdFormat::Unspecified,
            "EmailAddress" => NameIdFormat::EmailAddress,
            "Persistent" => NameIdFormat::Persistent,
            "Transient" => NameIdFormat::Transient,
            _ => return None,
        })
    }

    /// The format whose SAML URN is `urn`: what a user who pasted the URN meant.
    pub fn from_urn(urn: &str) -> Option<NameIdFormat> {
        [
            NameIdFormat::Unspecified,
            NameIdFormat::EmailAddress,
            NameIdFormat::Persistent,
            NameIdFormat::Transient,
        ]
        .into_iter()
        .find(|f| f.urn().eq_ignore_ascii_case(urn.trim()))
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The SAML URN, as the assertion's `NameID/@Format` carries it.
    pub fn urn(self) -> &'static str {
        match self {
            NameIdFormat::Unspecified => "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            NameIdFormat::EmailAddress => "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            NameIdFormat::Persistent => "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            NameIdFormat::Transient => "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        }
    }
}

/// The signature algorithm of the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SigningAlgorithm {
    Sha1,
    Sha256,
}

impl SigningAlgorithm {
    pub const NAMES: [&'static str; 2] = ["SHA1", "SHA256"];

    pub fn parse(s: &str) -> Option<SigningAlgorithm> {
        match s {
            "SHA1" => Some(SigningAlgorithm::Sha1),
            "SHA256" => Some(SigningAlgorithm::Sha256),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Assertion encryption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encryption {
    Aes128,
    Aes256,
    TripleDes,
}

impl Encryption {
    pub const NAMES: [&'static str; 3] = ["AES_128", "AES_256", "Triple_Des"];

    pub fn parse(s: &str) -> Option<Encryption> {
        match s {
            "AES_128" => Some(Encryption::Aes128),
            "AES_256" => Some(Encryption::Aes256),
            "Triple_Des" => Some(Encryption::TripleDes),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A Service Cloud Voice contact center, from either of its XML formats.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ContactCenter {
    /// The metadata file's name without its suffix (`AcmeVoice` for
    /// `AcmeVoice.callCenter-meta.xml`); `None` for the import format.
    pub name: Option<String>,
    /// `reqInternalName`: the contact center's API name, which names its IAM role
    /// (`<reqInternalName>-SAMLRole`).
    pub internal_name: Option<Text>,
    /// `reqRelayState`: the Amazon Connect federation URL the IdP-initiated login lands on.
    pub relay_state: Option<Text>,
    /// `reqSettingsRelayState`, the same for the settings page.
    pub settings_relay_state: Option<Text>,
    /// `reqIdentityUrl`: the IdP-initiated login URL of the app (`…/idp/login?app=0sp…`).
    pub identity_url: Option<Text>,
    /// `reqInstanceId`: the Amazon Connect instance id (a UUID).
    pub instance_id: Option<Text>,
    /// `reqRegion`: the Amazon Connect instance's region.
    pub region: Option<Text>,
    /// The IAM role ARN items (`reqAmazonConnectManagementRole`, `reqUpdateCredentialRole`,
    /// `reqInstanceRecordingRole`, `reqSCVS3Role`, and any other item whose name ends in `Role`).
    pub role_arns: Vec<Item>,
    /// Every item, in file order.
    pub items: Vec<Item>,
    /// The root element.
    pub span: Span,
    /// Whether it is a Service Cloud Voice contact center (it has a `reqHvcc` section); an Open
    /// CTI or partner-telephony call center is counted and gets no Service Cloud Voice rule.
    pub voice: bool,
}

impl ContactCenter {
    /// Whether it is Amazon Connect's: it names an instance, a region or an IAM role. A
    /// partner-telephony contact center has `reqHvcc` too, but none of Amazon Connect's settings,
    /// and gets no Amazon Connect rule.
    pub fn amazon_connect(&self) -> bool {
        self.voice
            && (self.instance_id.is_some() || self.region.is_some() || !self.role_arns.is_empty())
    }

    /// The first item named `name` (in any section).
    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.name.value == name)
    }
}

/// One `<item name="…">value</item>` (import) or `<items><name>…</name><value>…</value></items>`
/// (metadata) of a contact-center definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The section's name (`reqHvcc`).
    pub section: String,
    pub name: Spanned<String>,
    /// Exactly as decoded, not trimmed: a stray space is part of what Salesforce stores.
    pub value: Text,
}
