//! The Service Cloud Voice contact-center definition, in its two XML formats:
//!
//! - Setup's import format: `<callCenter><section name="reqHvcc"><item name="reqRelayState">…`
//!   (no namespace; names are attributes, the value is the item's text);
//! - the Metadata API's `CallCenter` (`*.callCenter-meta.xml`):
//!   `<CallCenter><sections><name>reqHvcc</name><items><name>…</name><value>…</value>`.
//!
//! Both become a [`ContactCenter`]: every item with its section, and the items the app is
//! cross-checked against (relay state, identity URL, instance id, region, role ARNs) by name.

use samlfx_diag::{Code, Diagnostic};

use crate::model::{ContactCenter, Item, Spanned};
use crate::xml::Element;
use crate::xml::read::{missing, required, single};

/// The section every call center has, Open CTI or Service Cloud Voice.
const GENERAL_SECTION: &str = "reqGeneralInfo";
/// The section that makes a call center a Service Cloud Voice contact center.
const VOICE_SECTION: &str = "reqHvcc";

/// The role ARN items Service Cloud Voice defines for Amazon Connect.
const ROLE_ITEMS: [&str; 4] = [
    "reqAmazonConnectManagementRole",
    "reqUpdateCredentialRole",
    "reqInstanceRecordingRole",
    "reqSCVS3Role",
];

/// Reads a `<callCenter>` root (Setup's import format).
pub fn read_import(root: &Element, diags: &mut Vec<Diagnostic>) -> ContactCenter {
    let mut sections = Vec::new();
    for section in root.children_named("section") {
        let Some(name) = section.attribute("name") else {
            diags.push(missing_attribute(section, "name"));
            continue;
        };
        let mut items = Vec::new();
        for item in section.children_named("item") {
            let Some(iname) = item.attribute("name") else {
                diags.push(missing_attribute(item, "name"));
                continue;
            };
            items.push(Item {
                section: name.value.value.clone(),
                name: Spanned::new(iname.value.value.clone(), iname.value.span()),
                value: item.text.clone(),
            });
        }
        sections.push((name.value.value.clone(), section.name_span, items));
    }
    build(root, sections, diags)
}

/// Reads a `<CallCenter>` root (Metadata API).
pub fn read_metadata(root: &Element, diags: &mut Vec<Diagnostic>) -> ContactCenter {
    let mut sections = Vec::new();
    for section in root.children_named("sections") {
        let Some(name) = required(section, "name", diags) else {
            continue;
        };
        let section_name = name.text.trimmed().value;
        let mut items = Vec::new();
        for item in section.children_named("items") {
            let Some(iname) = required(item, "name", diags) else {
                continue;
            };
            let iname = iname.text.trimmed();
            let value = match single(item, "value", diags) {
                Some(v) => v.text.clone(),
                None => crate::model::Text::new(
                    String::new(),
                    samlfx_diag::SourceMap::new(item.span.end),
                ),
            };
            items.push(Item {
                section: section_name.clone(),
                name: Spanned::new(iname.value.clone(), iname.span()),
                value,
            });
        }
        sections.push((section_name, section.name_span, items));
    }
    build(root, sections, diags)
}

fn missing_attribute(el: &Element, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingElement,
        format!("`<{}>` has no `{name}` attribute", el.name),
    )
    .at(el.name_span)
    .with_help(format!("add {name}=\"…\" to `<{}>`", el.name))
}

type Section = (String, samlfx_diag::Span, Vec<Item>);

fn build(root: &Element, sections: Vec<Section>, diags: &mut Vec<Diagnostic>) -> ContactCenter {
    let mut cc = ContactCenter {
        span: root.span,
        ..ContactCenter::default()
    };
    // Open CTI and partner-telephony call centers have no `reqHvcc`: counted, not checked.
    cc.voice = sections.iter().any(|(n, _, _)| n == VOICE_SECTION);
    if cc.voice && !sections.iter().any(|(n, _, _)| n == GENERAL_SECTION) {
        diags.push(missing(root, GENERAL_SECTION).with_help(format!(
            "a Service Cloud Voice contact center needs its `{GENERAL_SECTION}` section"
        )));
    }
    for (_, _, items) in sections {
        for (i, item) in items.iter().enumerate() {
            if let Some(first) = items[..i].iter().find(|f| f.name.value == item.name.value) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateItem,
                        format!(
                            "the item `{}` appears more than once in section `{}`",
                            item.name.value, item.section
                        ),
                    )
                    .at_labelled(item.name.span, "again here")
                    .with_label(first.name.span, "first here")
                    .with_help("keep one item of each name: which of the two values Salesforce uses is not documented"),
                );
            }
        }
        cc.items.extend(items);
    }
    let get = |name: &str| cc.item(name).map(|i| i.value.clone());
    let (internal_name, relay_state, settings_relay_state, identity_url, instance_id, region) = (
        get("reqInternalName"),
        get("reqRelayState"),
        get("reqSettingsRelayState"),
        get("reqIdentityUrl"),
        get("reqInstanceId"),
        get("reqRegion"),
    );
    cc.internal_name = internal_name;
    cc.relay_state = relay_state;
    cc.settings_relay_state = settings_relay_state;
    cc.identity_url = identity_url;
    cc.instance_id = instance_id;
    cc.region = region;
    cc.role_arns = cc
        .items
        .iter()
        .filter(|i| ROLE_ITEMS.contains(&i.name.value.as_str()) || i.name.value.ends_with("Role"))
        .cloned()
        .collect();
    cc
}
