//! External Client App SAML policies (`ExtlClntAppSamlConfigurablePolicies`,
//! `*.ecaSamlPlcy-meta.xml`, API 63.0+), the Connected App's successor: the same settings as
//! flat elements of the root, and the custom attributes as `<customAttributes>`.

use samlfx_diag::Diagnostic;

use crate::connected_app::{SamlNames, read_attributes, read_saml};
use crate::model::App;
use crate::xml::Element;
use crate::xml::read::{required, single, unknown_children};

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
    let label = single(root, "label", diags);
    app.name = label.or(parent).map(|e| e.text.trimmed().value);
    read_saml(root, &SAML, &mut app, diags);
    app.attributes = read_attributes(root, "customAttributes", diags);
    app
}
