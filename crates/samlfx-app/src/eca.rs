//! External Client Apps, the Connected App's successor, whose SAML setup is three components
//! (Salesforce's Metadata API reference, ExtlClntAppSamlConfigurablePolicies):
//!
//! - the SAML policies (`ExtlClntAppSamlConfigurablePolicies`, `*.ecaSamlPlcy-meta.xml`, API
//!   63.0+): the same settings as a Connected App's `<samlConfig>`, as flat elements of the root,
//!   and the custom attributes as `<customAttributes>`; read as an [`App`];
//! - the app (`ExternalClientApplication`, `*.eca-meta.xml`), whose `distributionState` must be
//!   `Local` for SAML;
//! - its plugin policies (`ExtlClntAppConfigurablePolicies`, `*.ecaPlcy-meta.xml`), whose
//!   `isSamlPluginEnabled` must be true (and `isEnabled` not false).
//!
//! The last two are read as a [`ClientApp`] and paired with the SAML policies by app name.

use samlfx_diag::Diagnostic;

use crate::connected_app::{SamlNames, read_attributes, read_saml};
use crate::model::{App, ClientApp, FileKind, Spanned, Text};
use crate::xml::Element;
use crate::xml::read::{required, setting, single, unknown_children};

const SAML: SamlNames = SamlNames {
    acs_url: "acsUrl",
    entity_id: "entityUrl",
    issuer: "issuer",
    subject_type: "subjectType",
    subject_attribute: "subjectCustomAttribute",
    name_id_format: "nameIdFormat",
    signing_algorithm: "signingAlgorithmType",
    encryption: "encryptionType",
    subject_required: false,
};

/// `ExtlClntAppSamlConfigurablePolicies`' elements (plus MDAPI's `fullName`).
const ELEMENTS: &[&str] = &[
    "fullName",
    "acsUrl",
    "certificate",
    "commaSeparatedPermissionSet",
    "commaSeparatedProfile",
    "customAttributes",
    "encryptionCertificate",
    "encryptionType",
    "entityUrl",
    "externalClientApplication",
    "issuer",
    "label",
    "nameIdFormat",
    "signingAlgorithmType",
    "singleLogoutBindingType",
    "singleLogoutUrl",
    "startUrl",
    "subjectCustomAttribute",
    "subjectType",
];

/// Reads an `<ExtlClntAppSamlConfigurablePolicies>` root.
pub fn read(root: &Element, diags: &mut Vec<Diagnostic>) -> App {
    let mut app = App {
        span: root.span,
        ..App::default()
    };
    unknown_children(root, ELEMENTS, false, diags);
    let parent = required(root, "externalClientApplication", diags);
    app.client_app = parent.map(|e| e.text.trimmed());
    let label = single(root, "label", diags);
    app.name = label.or(parent).map(|e| e.text.trimmed().value);
    app.saml = true;
    read_saml(root, &SAML, &mut app, diags);
    app.attributes = read_attributes(root, "customAttributes", diags);
    app
}

/// Reads an `<ExternalClientApplication>` root: its distribution state.
pub fn read_client_app(root: &Element, diags: &mut Vec<Diagnostic>) -> ClientApp {
    ClientApp {
        kind: Some(FileKind::ClientApp),
        distribution_state: setting(root, "distributionState", diags),
        span: root.span,
        name_span: root.name_span,
        ..ClientApp::default()
    }
}

/// Reads an `<ExtlClntAppConfigurablePolicies>` root: the app it belongs to and its switches.
pub fn read_policies(root: &Element, diags: &mut Vec<Diagnostic>) -> ClientApp {
    ClientApp {
        kind: Some(FileKind::ClientAppPolicies),
        client_app: required(root, "externalClientApplication", diags).map(|e| e.text.trimmed()),
        enabled: boolean(root, "isEnabled", diags),
        saml_plugin: boolean(root, "isSamlPluginEnabled", diags),
        span: root.span,
        name_span: root.name_span,
        ..ClientApp::default()
    }
}

/// An `xsd:boolean` setting: `true`, `false`, `1` or `0`; C010 otherwise.
fn boolean(parent: &Element, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Spanned<bool>> {
    let text: Text = setting(parent, name, diags)?;
    crate::enumeration::read(
        &text,
        name,
        &["true", "false"],
        |s| match s {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        diags,
    )
}
