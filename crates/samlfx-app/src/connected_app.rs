//! Metadata API `ConnectedApp` (`*.connectedApp-meta.xml`): the SAML settings under
//! `<samlConfig>` and the custom attributes as repeated `<attributes>` at the root.
//!
//! The element names and enumerations are the Metadata WSDL's (mind `samlIdpSLOBindingEnum`);
//! the External Client App reader ([`crate::eca`]) shares `read_saml` under its own names.

use samlfx_diag::Diagnostic;

use crate::model::{
    App, Attribute, Encryption, NameIdFormat, SigningAlgorithm, Spanned, SubjectType,
};
use crate::xml::Element;
use crate::xml::read::{enumeration, required, setting, single, unknown_children};

/// The element names of the SAML settings in one format.
pub(crate) struct SamlNames {
    pub acs_url: &'static str,
    pub entity_id: &'static str,
    pub issuer: &'static str,
    pub subject_type: &'static str,
    pub subject_attribute: &'static str,
    pub name_id_format: &'static str,
    pub signing_algorithm: &'static str,
    pub encryption: &'static str,
    /// Whether the subject type must be given (ConnectedApp) or defaults (External Client App).
    pub subject_required: bool,
}

const SAML: SamlNames = SamlNames {
    acs_url: "acsUrl",
    entity_id: "entityUrl",
    issuer: "issuer",
    subject_type: "samlSubjectType",
    subject_attribute: "samlSubjectCustomAttr",
    name_id_format: "samlNameIdFormat",
    signing_algorithm: "samlSigningAlgoType",
    encryption: "encryptionType",
    subject_required: true,
};

/// `ConnectedAppSamlConfig`'s elements, from the WSDL.
const SAML_CONFIG: &[&str] = &[
    "acsUrl",
    "certificate",
    "encryptionCertificate",
    "encryptionType",
    "entityUrl",
    "issuer",
    "samlIdpSLOBindingEnum",
    "samlNameIdFormat",
    "samlSigningAlgoType",
    "samlSloUrl",
    "samlSubjectCustomAttr",
    "samlSubjectType",
];

/// `ConnectedApp`'s elements, from the WSDL (plus MDAPI's `fullName`): only near misses of
/// these are reported, since new API versions add elements.
const CONNECTED_APP: &[&str] = &[
    "fullName",
    "attributes",
    "canvasConfig",
    "contactEmail",
    "contactPhone",
    "description",
    "iconUrl",
    "infoUrl",
    "ipRanges",
    "label",
    "logoUrl",
    "mobileAppConfig",
    "mobileStartUrl",
    "oauthConfig",
    "oauthPolicy",
    "permissionSetName",
    "plugin",
    "pluginExecutionUser",
    "profileName",
    "samlConfig",
    "sessionPolicy",
    "startUrl",
];

/// Reads a `<ConnectedApp>` root.
pub fn read(root: &Element, diags: &mut Vec<Diagnostic>) -> App {
    let mut app = App {
        span: root.span,
        ..App::default()
    };
    unknown_children(root, CONNECTED_APP, true, diags);
    if let Some(label) = single(root, "label", diags) {
        app.name = Some(label.text.trimmed().value);
    }
    // Most Connected Apps (OAuth, canvas, bookmark) have no `<samlConfig>`: not a mistake.
    if let Some(config) = single(root, "samlConfig", diags) {
        app.saml = true;
        unknown_children(config, SAML_CONFIG, false, diags);
        read_saml(config, &SAML, &mut app, diags);
    }
    app.attributes = read_attributes(root, "attributes", diags);
    app
}

/// The SAML settings of `el` under `names` into `app`.
pub(crate) fn read_saml(
    el: &Element,
    names: &SamlNames,
    app: &mut App,
    diags: &mut Vec<Diagnostic>,
) {
    app.acs_url = required(el, names.acs_url, diags).map(|e| e.text.trimmed());
    app.entity_id = required(el, names.entity_id, diags).map(|e| e.text.trimmed());
    app.issuer = setting(el, names.issuer, diags);
    let subject = if names.subject_required {
        required(el, names.subject_type, diags).map(|e| e.text.trimmed())
    } else {
        setting(el, names.subject_type, diags)
    };
    let custom = setting(el, names.subject_attribute, diags);
    let parsed = subject.and_then(|text| {
        crate::enumeration::read(
            &text,
            names.subject_type,
            &SubjectType::NAMES,
            SubjectType::parse,
            diags,
        )
    });
    if let Some(Spanned { value, span }) = parsed {
        let value = match value {
            SubjectType::CustomAttribute(_) => {
                if custom.is_none() {
                    diags.push(crate::xml::read::missing(el, names.subject_attribute).with_note(
                        "a CustomAttribute subject takes its value from the custom attribute this element names",
                    ));
                }
                SubjectType::CustomAttribute(custom)
            }
            v => v,
        };
        app.subject_type = Some(Spanned::new(value, span));
    }
    app.name_id_format = enumeration(
        el,
        names.name_id_format,
        &NameIdFormat::NAMES,
        NameIdFormat::parse,
        diags,
    );
    app.signing_algorithm = enumeration(
        el,
        names.signing_algorithm,
        &SigningAlgorithm::NAMES,
        SigningAlgorithm::parse,
        diags,
    );
    app.encryption = enumeration(
        el,
        names.encryption,
        &Encryption::NAMES,
        Encryption::parse,
        diags,
    );
}

/// Every `<tag><formula>…</formula><key>…</key></tag>` child of `parent`. The formula and the key
/// are kept exactly as decoded (not trimmed): a stray space is part of what Salesforce sends.
pub(crate) fn read_attributes(
    parent: &Element,
    tag: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attribute> {
    let mut out = Vec::new();
    for el in parent.children_named(tag) {
        unknown_children(el, &["formula", "key"], false, diags);
        let key = required(el, "key", diags);
        let formula = required(el, "formula", diags);
        if let (Some(key), Some(formula)) = (key, formula) {
            out.push(Attribute {
                key: key.text.clone(),
                formula: formula.text.clone(),
                span: el.span,
            });
        }
    }
    out
}
