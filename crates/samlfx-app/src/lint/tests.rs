//! One test per rule, on small in-memory files; each finding is compared with the file text at
//! its span, so a span off by a byte fails.

use samlfx_aws::profile::Profile;
use samlfx_diag::{Code, Diagnostic, Severity};

use super::*;
use crate::model::{Content, FileKind};
use crate::read_text;

const ROLE: &str = "'arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp' & ',' & 'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole'";

/// A samlfx.toml with these `[app]` lines and the two required attributes.
fn toml(app_lines: &str) -> String {
    format!(
        "[app]\n{app_lines}\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"{ROLE}\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"\n"
    )
}

fn opts(profile: Profile) -> LintOptions {
    LintOptions {
        profile,
        ..LintOptions::default()
    }
}

/// Each finding as (code, the file text at its span).
fn lint(text: &str, kind: FileKind, profile: Profile) -> Vec<(Code, String)> {
    found(text, &lint_diags(text, kind, profile))
}

fn lint_diags(text: &str, kind: FileKind, profile: Profile) -> Vec<Diagnostic> {
    let loaded = read_text("app", Some(kind), text);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let Some(Content::App(app)) = loaded.content else {
        panic!("not an app")
    };
    let ds = lint_app(&app, &opts(profile));
    for d in &ds {
        assert!(d.help.is_some(), "{d:?}");
    }
    ds
}

fn found(text: &str, ds: &[Diagnostic]) -> Vec<(Code, String)> {
    ds.iter()
        .map(|d| {
            let s = d.span.expect("every finding has a span");
            (d.code, text[s.start..s.end].to_owned())
        })
        .collect()
}

fn t(code: Code, at: &str) -> (Code, String) {
    (code, at.to_owned())
}

const OK: &str = "entity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"";

#[test]
fn a_correct_app_has_no_finding() {
    let text = toml(&format!(
        "{OK}\nsubject_type = \"PersistentId\"\nname_id_format = \"Persistent\"\nsigning_algorithm = \"SHA256\""
    ));
    for p in Profile::ALL {
        assert_eq!(lint(&text, FileKind::SamlfxToml, p), [], "{p}");
    }
}

#[test]
fn duplicate_keys_point_at_the_second_with_the_first_labelled() {
    let text = format!(
        "{}\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Alias\"\n",
        toml(OK)
    );
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::Aws);
    let d = ds
        .iter()
        .find(|d| d.code == Code::DuplicateAttributeKey)
        .unwrap();
    assert_eq!(d.severity, Severity::Error);
    let (second, first) = (d.span.unwrap(), d.labels[0].span);
    assert!(first.start < second.start);
    assert_eq!(
        &text[first.start..first.end],
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
    );
    assert_eq!(
        &text[second.start..second.end],
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
    );
}

#[test]
fn required_attributes_are_missing_only_from_aws_apps() {
    let only_rsn = format!(
        "[app]\n{OK}\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"\n"
    );
    let ds = lint_diags(&only_rsn, FileKind::SamlfxToml, Profile::Aws);
    assert_eq!(
        ds.iter().map(|d| d.code).collect::<Vec<_>>(),
        [Code::MissingAttribute]
    );
    assert!(ds[0].message.contains("`Role`"), "{}", ds[0].message);
    // An AWS ACS URL alone makes an AWS app: both are missing, at the app.
    let bare = format!("[app]\n{OK}\n");
    assert_eq!(
        lint(&bare, FileKind::SamlfxToml, Profile::Aws),
        [
            t(Code::MissingAttribute, "app"),
            t(Code::MissingAttribute, "app")
        ]
    );
    // Another service provider's app is none of AWS's business.
    let other = "[app]\nentity_id = \"x\"\nacs_url = \"https://sp.example.com/acs\"\n\n[[attributes]]\nkey = \"mail\"\nformula = \"$User.Email\"\n";
    assert_eq!(lint(other, FileKind::SamlfxToml, Profile::Aws), []);
    // Nor under --profile none.
    assert_eq!(lint(&bare, FileKind::SamlfxToml, Profile::None), []);
}

#[test]
fn keys_are_classified_at_their_bytes() {
    let text = toml(OK).replace("Attributes/RoleSessionName", "Attributes/rolesessionname")
        + "\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Roles\"\nformula = \"'x'\"\n";
    let f = lint(&text, FileKind::SamlfxToml, Profile::Aws);
    // Each at the bytes that differ from AWS's key.
    // AWS ignores the misspelt RoleSessionName key, so the attribute is missing: an error at
    // the whole key. The Role key beside the correct one is only a near miss.
    assert_eq!(
        f,
        [
            t(
                Code::MissingAttribute,
                "https://aws.amazon.com/SAML/Attributes/rolesessionname"
            ),
            t(Code::AttributeNearMiss, "rolesessionn"),
            t(Code::AttributeNearMiss, "s")
        ]
    );
}

#[test]
fn formula_findings_are_moved_into_the_file() {
    let text = toml(OK)
        .replace("123456789012:role", "12345678901:role")
        .replace("$User.Id", "$User.Alias & ' '");
    let f = lint(&text, FileKind::SamlfxToml, Profile::Aws);
    assert!(
        f.contains(&t(Code::InvalidAccountId, "12345678901")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(c, at)| *c == Code::RoleSessionNameCharacters && at.contains(' ')),
        "{f:?}"
    );
    // A syntax error comes from the compiler, at its bytes.
    let bad = toml(OK).replace("$User.Id", "$User.Id &");
    let f = lint(&bad, FileKind::SamlfxToml, Profile::Aws);
    assert!(
        f.iter()
            .any(|(c, at)| *c == Code::DanglingOperator && at == "&"),
        "{f:?}"
    );
}

#[test]
fn subject_and_name_id_format() {
    let cases = [
        ("PersistentId", "EmailAddress", true),
        ("PersistentId", "Transient", true),
        ("UserId", "Persistent", true),
        ("UserId", "EmailAddress", true),
        ("Username", "EmailAddress", false),
        ("FederationId", "EmailAddress", false),
        ("Username", "Transient", true),
        ("Username", "Unspecified", false),
        ("PersistentId", "Persistent", false),
    ];
    for (subject, format, warns) in cases {
        let text = toml(&format!(
            "{OK}\nsubject_type = \"{subject}\"\nname_id_format = \"{format}\""
        ));
        let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::Aws);
        let f = found(&text, &ds);
        if warns {
            assert_eq!(
                f,
                [t(Code::SubjectFormatMismatch, format)],
                "{subject} {format}"
            );
            assert_eq!(ds[0].severity, Severity::Warning);
            assert!(!ds[0].notes.is_empty());
            let l = ds[0].labels[0].span;
            assert_eq!(&text[l.start..l.end], subject);
        } else {
            assert_eq!(f, [], "{subject} {format}");
        }
    }
}

#[test]
fn a_custom_attribute_subject_names_an_existing_key() {
    let text = toml(&format!(
        "{OK}\nsubject_type = \"CustomAttribute\"\nsubject_attribute = \"https://aws.amazon.com/SAML/Attributes/RoleSesionName\""
    ));
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::Aws);
    assert_eq!(
        found(&text, &ds),
        [t(
            Code::UnknownSubjectAttribute,
            "https://aws.amazon.com/SAML/Attributes/RoleSesionName"
        )]
    );
    assert!(
        ds[0]
            .help
            .as_deref()
            .unwrap()
            .contains("Attributes/RoleSessionName`"),
        "{:?}",
        ds[0].help
    );
    let ok = toml(&format!(
        "{OK}\nsubject_type = \"CustomAttribute\"\nsubject_attribute = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\""
    ));
    assert_eq!(lint(&ok, FileKind::SamlfxToml, Profile::Aws), []);
}

#[test]
fn sha1_is_a_warning() {
    let text = toml(&format!("{OK}\nsigning_algorithm = \"SHA1\""));
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::None);
    assert_eq!(found(&text, &ds), [t(Code::Sha1Signing, "SHA1")]);
    assert_eq!(ds[0].severity, Severity::Warning);
}

fn acs(url: &str, profile: Profile) -> Vec<(Code, String)> {
    let text = toml(&format!("entity_id = \"AcmeVoice\"\nacs_url = \"{url}\""));
    lint(&text, FileKind::SamlfxToml, profile)
}

#[test]
fn acs_urls_aws_accepts() {
    for url in [
        "https://signin.aws.amazon.com/saml",
        "https://signin.aws.amazon.com/static/saml",
        "https://us-west-2.signin.aws.amazon.com/saml",
        "https://eu-central-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46",
        "https://signin.amazonaws-us-gov.com/saml",
        "https://signin.amazonaws.cn/saml",
        "https://cn-north-1.signin.amazonaws.cn/saml",
        "https://SIGNIN.aws.amazon.com/saml",
    ] {
        assert_eq!(acs(url, Profile::Aws), [], "{url}");
    }
}

#[test]
fn acs_urls_aws_refuses_point_at_the_part_and_give_the_fix() {
    let text = toml("entity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml2\"");
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::Aws);
    assert_eq!(found(&text, &ds), [t(Code::AcsUrlNotAws, "/saml2")]);
    assert_eq!(
        ds[0].help.as_deref(),
        Some("use exactly `https://signin.aws.amazon.com/saml`")
    );
    assert_eq!(
        acs("https://signin.aws.amazon.com/saml/", Profile::Aws),
        [t(Code::AcsUrlNotAws, "/saml/")]
    );
    assert_eq!(
        acs("https://us-west-2.signin.aws.amazon.com/", Profile::Aws),
        [t(Code::AcsUrlNotAws, "/")]
    );
    assert_eq!(
        acs(
            "https://us-west-9x.signin.aws.amazon.com/saml",
            Profile::Aws
        ),
        [t(Code::AcsUrlNotAws, "us-west-9x")]
    );
    assert_eq!(
        acs("https://acme.awsapps.com/start/saml", Profile::Aws),
        [t(Code::AcsUrlNotAws, "acme.awsapps.com")]
    );
    assert_eq!(
        acs("https://sp.example.com/acs", Profile::Aws),
        [t(Code::AcsUrlNotAws, "sp.example.com")]
    );
    assert_eq!(
        acs("signin.aws.amazon.com/saml", Profile::Aws),
        [t(Code::AcsUrlNotAws, "signin.aws.amazon.com/saml")]
    );
    let http = acs("http://signin.aws.amazon.com/saml", Profile::Aws);
    assert_eq!(http, [t(Code::InsecureAcsUrl, "http")]);
    // GovCloud's wrong path is fixed to GovCloud's endpoint.
    let gov = toml("entity_id = \"x\"\nacs_url = \"https://signin.amazonaws-us-gov.com/sam\"");
    let ds = lint_diags(&gov, FileKind::SamlfxToml, Profile::Aws);
    assert_eq!(
        ds[0].help.as_deref(),
        Some("use exactly `https://signin.amazonaws-us-gov.com/saml`")
    );
}

#[test]
fn a_regional_acs_url_warns_only_under_amazon_connect() {
    let url = "https://us-west-2.signin.aws.amazon.com/saml";
    assert_eq!(acs(url, Profile::Aws), []);
    let text = toml(&format!("entity_id = \"AcmeVoice\"\nacs_url = \"{url}\""));
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::AmazonConnect);
    assert_eq!(
        found(&text, &ds),
        [t(Code::RegionalAcsUrl, "us-west-2.signin.aws.amazon.com")]
    );
    assert_eq!(ds[0].severity, Severity::Warning);
}

fn entity(id: &str, profile: Profile) -> Vec<Diagnostic> {
    let text = toml(&format!(
        "entity_id = \"{id}\"\nacs_url = \"https://signin.aws.amazon.com/saml\""
    ));
    lint_diags(&text, FileKind::SamlfxToml, profile)
}

#[test]
fn entity_id_rules_under_amazon_connect() {
    for ok in [
        "AcmeVoice",
        "SalesforceVoiceIdp",
        "urn:amazon:webservices",
        "https://signin.aws.amazon.com/saml",
        "acme_voice-1",
    ] {
        assert_eq!(entity(ok, Profile::AmazonConnect), [], "{ok}");
    }
    let empty = entity("", Profile::AmazonConnect);
    assert_eq!(
        (empty[0].code, empty[0].severity),
        (Code::InvalidEntityId, Severity::Error)
    );
    let text = toml("entity_id = \"Acme Voice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"");
    let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::AmazonConnect);
    assert_eq!(found(&text, &ds), [t(Code::InvalidEntityId, " ")]);
    assert_eq!(ds[0].help.as_deref(), Some("write `AcmeVoice`"));
    let url = entity("https://acme.my.salesforce.com", Profile::AmazonConnect);
    assert_eq!(
        (url[0].code, url[0].severity),
        (Code::EntityIdAudience, Severity::Info)
    );
    // Not AWS's rules: nothing under the aws profile.
    assert_eq!(entity("Acme Voice", Profile::Aws), []);
}

#[test]
fn xml_entities_keep_spans_exact() {
    let xml = "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><attributes><formula>&apos;arn:aws:iam::12345678901:role/R&apos; &amp; &apos;,arn:aws:iam::123456789012:saml-provider/P&apos;</formula><key>https://aws.amazon.com/SAML/Attributes/Role</key></attributes><attributes><formula>$User.Id</formula><key>https://aws.amazon.com/SAML/Attributes/RoleSessionName</key></attributes><samlConfig><acsUrl>http://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType><samlSigningAlgoType>SHA1</samlSigningAlgoType></samlConfig></ConnectedApp>";
    let f = lint(xml, FileKind::ConnectedApp, Profile::Aws);
    assert!(
        f.contains(&t(Code::InvalidAccountId, "12345678901")),
        "{f:?}"
    );
    assert!(f.contains(&t(Code::InsecureAcsUrl, "http")), "{f:?}");
    assert!(f.contains(&t(Code::Sha1Signing, "SHA1")), "{f:?}");
}

#[test]
fn each_app_is_scoped_by_itself_and_its_linked_contact_centers() {
    let read = |text: &str| match read_text("samlfx.toml", Some(FileKind::SamlfxToml), text).content
    {
        Some(Content::App(a)) => *a,
        other => panic!("{other:?}"),
    };
    let voice = read(&toml(OK));
    let plain = read(&toml(OK).replace("SalesforceVoiceIdp", "OktaIdp"));
    let pinned = read(&format!("profile = \"none\"\n{}", toml(OK)));
    let zoom = read(
        "[app]\nentity_id = \"zoom.us\"\nacs_url = \"https://acme.zoom.us/saml/SSO\"\n[[attributes]]\nkey = \"email\"\nformula = \"$User.Email\"\n",
    );
    let cc = |text: &str| match read_text("cc.xml", Some(FileKind::CallCenterImport), text).content
    {
        Some(Content::ContactCenter(c)) => *c,
        other => panic!("{other:?}"),
    };
    // Linked by the Entity ID (AcmeVoice is the contact center's internal name).
    let acme = cc(&cc_text(""));
    let other = cc(&cc_text("").replace(">AcmeVoice<", ">OtherVoice<"));
    let open_cti = cc(
        "<callCenter><section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section></callCenter>",
    );
    assert_eq!(app_profile(&voice, &[]), Profile::AmazonConnect);
    assert_eq!(app_profile(&plain, &[]), Profile::Aws);
    assert_eq!(link(&plain, &acme), Some(Link::EntityId));
    assert_eq!(app_profile(&plain, &[&acme]), Profile::AmazonConnect);
    // An unrelated contact center, or one that is not Service Cloud Voice, changes nothing.
    assert_eq!(link(&plain, &other), None);
    assert_eq!(app_profile(&plain, &[&other]), Profile::Aws);
    assert_eq!(link(&plain, &open_cti), None);
    assert_eq!(app_profile(&plain, &[&open_cti]), Profile::Aws);
    // Linked by the role `<internal name>-SAMLRole` in the Role attribute.
    let mut renamed = plain.clone();
    renamed.entity_id = None;
    assert_eq!(link(&renamed, &acme), Some(Link::RoleName));
    assert_eq!(app_profile(&pinned, &[&acme]), Profile::None);
    // A SAML app for another service provider gets no AWS rule, with or without contact centers.
    assert_eq!(app_profile(&zoom, &[]), Profile::None);
    assert_eq!(app_profile(&zoom, &[&acme, &other]), Profile::None);
    // An app without SAML gets none either.
    let oauth = App::default();
    assert!(!oauth.saml);
    assert_eq!(app_profile(&oauth, &[&acme]), Profile::None);
}

#[test]
fn a_misspelt_role_key_is_a_missing_role_at_the_key() {
    for bad in [
        "http://aws.amazon.com/SAML/Attributes/Role",
        "https://aws.amazon.com/SAML/Attributes/Roles",
        "https://aws.amazon.com/SAML/Attributes/role",
        "https://aws.amazon.com/Attributes/Role",
    ] {
        let text = toml(OK).replace(
            "https://aws.amazon.com/SAML/Attributes/Role\"",
            &format!("{bad}\""),
        );
        let ds = lint_diags(&text, FileKind::SamlfxToml, Profile::Aws);
        let missing: Vec<_> = ds
            .iter()
            .filter(|d| d.code == Code::MissingAttribute)
            .collect();
        assert_eq!(missing.len(), 1, "{bad}: {ds:#?}");
        let s = missing[0].span.unwrap();
        assert_eq!(&text[s.start..s.end], bad);
        assert!(missing[0].is_error());
        assert_eq!(
            missing[0].help.as_deref(),
            Some("write the key exactly: `https://aws.amazon.com/SAML/Attributes/Role`")
        );
    }
    // With the correct key beside it, the near miss is only the A100 warning.
    let both = toml(OK).replace(
        "[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"",
        "[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Roles\"\nformula = \"'x'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"",
    );
    let ds = lint_diags(&both, FileKind::SamlfxToml, Profile::Aws);
    assert!(
        ds.iter().all(|d| d.code != Code::MissingAttribute),
        "{ds:#?}"
    );
    assert!(
        ds.iter().any(|d| d.code == Code::AttributeNearMiss),
        "{ds:#?}"
    );
}

// Contact centers.

const ID: &str = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";

fn cc_text(hvcc: &str) -> String {
    format!(
        "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n{hvcc}\n</section>\n</callCenter>"
    )
}

fn items(region: &str, relay: &str, extra: &str) -> String {
    cc_text(&format!(
        "<item name=\"reqInstanceId\">{ID}</item>\n<item name=\"reqRegion\">{region}</item>\n<item name=\"reqRelayState\">{relay}</item>{extra}"
    ))
}

fn relay(region: &str, id: &str) -> String {
    format!(
        "https://{region}.console.aws.amazon.com/connect/federate/{id}?destination=%2Fccp-v2&amp;new_domain=true"
    )
}

fn lint_cc(text: &str, apps: &[&App]) -> Vec<Diagnostic> {
    let loaded = read_text("cc.xml", Some(FileKind::CallCenterImport), text);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    let Some(Content::ContactCenter(cc)) = loaded.content else {
        panic!("not a contact center")
    };
    let ds = lint_contact_center(&cc, apps, &opts(Profile::AmazonConnect));
    for d in &ds {
        assert!(d.help.is_some(), "{d:?}");
    }
    ds
}

fn voice_app() -> App {
    let text = toml(&format!(
        "{OK}\nissuer = \"https://acme.my.salesforce.com\""
    ));
    match read_text("samlfx.toml", Some(FileKind::SamlfxToml), &text).content {
        Some(Content::App(a)) => *a,
        other => panic!("{other:?}"),
    }
}

const ROLE_ITEM: &str = "\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:role/SCVAmazonConnectManagementRole</item>\n<item name=\"reqIdentityUrl\">https://acme.my.salesforce.com/idp/login?app=0sp5g000000XyZ1</item>";

#[test]
fn a_correct_contact_center_has_no_finding() {
    let text = items("us-west-2", &relay("us-west-2", ID), ROLE_ITEM);
    assert_eq!(lint_cc(&text, &[&voice_app()]), []);
}

#[test]
fn relay_state_format() {
    let cases = [
        ("http://us-west-2.console.aws.amazon.com/connect/federate/".to_owned() + ID, Code::InvalidRelayState, "http"),
        (format!("https://console.aws.amazon.com/connect/federate/{ID}"), Code::InvalidRelayState, "console.aws.amazon.com"),
        (format!("https://us-west-2.console.aws.amazon.com/connect/login/{ID}"), Code::InvalidRelayState, "/connect/login/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"),
        ("https://us-west-2.console.aws.amazon.com/connect/federate/0A1B2C3D-4E5F-4A7B-8C9D-0E1F2A3B4C5D".to_owned(), Code::InvalidConnectInstanceId, "0A1B2C3D-4E5F-4A7B-8C9D-0E1F2A3B4C5D"),
        ("not a url".to_owned(), Code::InvalidRelayState, "not a url"),
    ];
    for (url, code, at) in cases {
        let text = items("us-west-2", &url, "");
        let ds = lint_cc(&text, &[]);
        assert_eq!(found(&text, &ds), [t(code, at)], "{url}");
    }
    // GovCloud's console has no region in its host.
    let gov = items(
        "us-gov-west-1",
        &format!("https://console.amazonaws-us-gov.com/connect/federate/{ID}"),
        "",
    );
    assert_eq!(lint_cc(&gov, &[]), []);
    // The help builds the right URL from the contact center's own settings, keeping the deep link.
    let text = items(
        "us-west-2",
        &format!(
            "https://us-west-2.console.aws.amazon.com/connect/federate/{ID}x?destination=%2Fccp-v2"
        ),
        "",
    );
    let ds = lint_cc(&text, &[]);
    assert_eq!(ds[0].help.as_deref(), Some(format!("use `https://us-west-2.console.aws.amazon.com/connect/federate/{ID}?destination=%2Fccp-v2`").as_str()));
    let text = items(
        "us-west-2",
        &format!("https://us-west-2.console.aws.amazon.com/connect/{ID}"),
        "",
    );
    let ds = lint_cc(&text, &[]);
    assert_eq!(
        ds[0].help.as_deref(),
        Some(
            format!("use `https://us-west-2.console.aws.amazon.com/connect/federate/{ID}`")
                .as_str()
        )
    );
}

#[test]
fn instance_id_and_region_agree_with_the_relay_state() {
    let other = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5e";
    let text = items("us-west-2", &relay("us-east-1", other), "");
    let ds = lint_cc(&text, &[]);
    // In file order: the host's region comes before the path's id.
    assert_eq!(
        found(&text, &ds),
        [
            t(Code::RegionMismatch, "us-east-1"),
            t(Code::InstanceIdMismatch, other)
        ]
    );
    assert_eq!(ds[0].severity, Severity::Warning);
    assert_eq!(ds[1].severity, Severity::Error);
    let l = ds[0].labels[0].span;
    assert_eq!(&text[l.start..l.end], "us-west-2");
    let l = ds[1].labels[0].span;
    assert_eq!(&text[l.start..l.end], ID);
}

#[test]
fn instance_id_and_region_items() {
    let text = cc_text(
        "<item name=\"reqInstanceId\">0A1B2C3D-4E5F-4A7B-8C9D-0E1F2A3B4C5D</item>\n<item name=\"reqRegion\">US West (Oregon)</item>",
    );
    let ds = lint_cc(&text, &[]);
    assert_eq!(
        found(&text, &ds),
        [
            t(
                Code::InvalidConnectInstanceId,
                "0A1B2C3D-4E5F-4A7B-8C9D-0E1F2A3B4C5D"
            ),
            t(Code::InvalidContactCenterRegion, "US West (Oregon)")
        ]
    );
    assert!(ds[0].help.as_deref().unwrap().contains(ID));
}

#[test]
fn role_items_are_checked_as_arns_in_the_file() {
    let text = items(
        "us-west-2",
        &relay("us-west-2", ID),
        "\n<item name=\"reqUpdateCredentialRole\">arn:aws:iam::123456789012:roles/SCVUpdateCredentialRole</item>\n<item name=\"reqSCVS3Role\">arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp</item>",
    );
    let f = found(&text, &lint_cc(&text, &[]));
    assert!(
        f.iter()
            .any(|(c, at)| *c == Code::InvalidResource && at.starts_with("roles")),
        "{f:?}"
    );
    assert!(
        f.contains(&t(Code::NotARoleArn, "saml-provider/SalesforceVoiceIdp")),
        "{f:?}"
    );
}

#[test]
fn whitespace_around_values() {
    let text = items(
        "us-west-2 ",
        &relay("us-west-2", ID),
        "\n<item name=\"reqUpdateCredentialRole\"> arn:aws:iam::123456789012:role/SCVUpdateCredentialRole\n</item>",
    );
    let ds = lint_cc(&text, &[]);
    assert_eq!(
        found(&text, &ds),
        [
            t(Code::WhitespaceAroundValue, " "),
            t(Code::WhitespaceAroundValue, " ")
        ]
    );
    let l = ds[1].labels[0].span;
    assert_eq!(&text[l.start..l.end], "\n");
    // The ARN itself is checked without its whitespace: no A003 on top.
    assert!(
        ds.iter().all(|d| d.code == Code::WhitespaceAroundValue),
        "{ds:?}"
    );
}

#[test]
fn role_accounts_agree_with_the_apps_role_attribute() {
    let text = items(
        "us-west-2",
        &relay("us-west-2", ID),
        &ROLE_ITEM.replace("123456789012", "210987654321"),
    );
    let app = voice_app();
    let ds = lint_cc(&text, &[&app]);
    assert_eq!(
        found(&text, &ds),
        [t(Code::AccountMismatch, "210987654321")]
    );
    assert!(ds[0].message.contains("123456789012"), "{}", ds[0].message);
    // A Role formula that is not a constant gives nothing to compare.
    let dynamic = toml(OK).replace(ROLE, "$User.Department");
    let Some(Content::App(app)) =
        read_text("samlfx.toml", Some(FileKind::SamlfxToml), &dynamic).content
    else {
        panic!()
    };
    assert_eq!(lint_cc(&text, &[&app]), []);
}

#[test]
fn identity_url_format_and_host() {
    let with = |url: &str| {
        items(
            "us-west-2",
            &relay("us-west-2", ID),
            &format!("\n<item name=\"reqIdentityUrl\">{url}</item>"),
        )
    };
    let app = voice_app();
    for (url, at) in [
        (
            "https://acme.my.salesforce.com/idp/endpoint/HttpPost",
            "/idp/endpoint/HttpPost",
        ),
        ("https://acme.my.salesforce.com/idp/login", ""),
        (
            "https://acme.my.salesforce.com/idp/login?app=005000000000001",
            "?app=005000000000001",
        ),
        (
            "https://other.my.salesforce.com/idp/login?app=0sp5g000000XyZ1",
            "other.my.salesforce.com",
        ),
    ] {
        let text = with(url);
        let ds = lint_cc(&text, &[&app]);
        assert_eq!(
            found(&text, &ds),
            [t(Code::InvalidIdentityUrl, at)],
            "{url}"
        );
    }
}

#[test]
fn never_panics_on_odd_values() {
    for v in [
        "",
        " ",
        "://",
        "https://",
        "https://x/connect/federate/",
        "é://é/é?é",
        "arn:",
        "\u{a0}x\u{a0}",
    ] {
        let text = items(
            v,
            v,
            &format!(
                "\n<item name=\"reqIdentityUrl\">{v}</item><item name=\"reqXRole\">{v}</item>"
            ),
        );
        let _ = lint_cc(&text, &[&voice_app()]);
        let app = toml(&format!("entity_id = \"{v}\"\nacs_url = \"{v}\""));
        for p in Profile::ALL {
            let _ = lint(&app, FileKind::SamlfxToml, p);
        }
    }
}

/// AWS's IAM User Guide, "Passing session tags in AWS STS" (tag keys: 1–128 characters, no
/// `aws:` prefix; keys compared without letter case): `check` runs the key rules that `inspect`
/// runs on a response's attribute names, at the key's bytes.
#[test]
fn session_tag_keys_are_checked_in_the_app() {
    let text = toml(OK)
        + "\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/PrincipalTag:aws:Team\"\nformula = \"'x'\"\n";
    let f = lint(&text, FileKind::SamlfxToml, Profile::Aws);
    assert!(f.contains(&t(Code::ReservedAwsPrefix, "aws:")), "{f:?}");
    assert!(
        f.iter().any(|(c, _)| *c == Code::TagSessionPermission),
        "{f:?}"
    );
    // Not under --profile none.
    let f = lint(&text, FileKind::SamlfxToml, Profile::None);
    assert!(f.is_empty(), "{f:?}");
}
