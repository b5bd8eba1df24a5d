//! Each reader on good files and on each kind of bad input: the code, the exact span and a help
//! line, never a panic.

use samlfx_app::{Content, FileKind, Loaded, SubjectType, read_bytes};
use samlfx_diag::{Code, Diagnostic};

const NS: &str = "http://soap.sforce.com/2006/04/metadata";

fn connected_app(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"{NS}\">{body}</ConnectedApp>"
    )
}

const SAML: &str = "<samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig>";

fn read(name: &str, text: &str) -> Loaded {
    read_bytes(name, text.as_bytes())
}

/// The one diagnostic of `code`, with its span's text.
fn only(l: &Loaded, code: Code) -> (&Diagnostic, &str) {
    let found: Vec<_> = l.diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code:?} in {:#?}", l.diagnostics);
    let d = found[0];
    assert!(d.help.is_some(), "{d:?} has no help");
    let s = d.span.expect("a span");
    (d, &l.source.text[s.start..s.end])
}

fn app(l: &Loaded) -> &samlfx_app::App {
    match l.content.as_ref() {
        Some(Content::App(a)) => a,
        other => panic!("{other:?}"),
    }
}

#[test]
fn connected_app_good() {
    let text = connected_app(&format!(
        "<attributes><formula>$User.Alias &amp; &apos;@&apos;</formula><key>k</key></attributes>{SAML}"
    ));
    let l = read("force-app/AcmeVoice.connectedApp-meta.xml", &text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let a = app(&l);
    assert_eq!(a.name.as_deref(), Some("AcmeVoice"));
    assert_eq!(a.attributes[0].formula.value, "$User.Alias & '@'");
    assert_eq!(a.attributes[0].key.value, "k");
    let s = a.attributes[0].formula.span();
    assert_eq!(&text[s.start..s.end], "$User.Alias &amp; &apos;@&apos;");
    assert_eq!(
        a.subject_type.as_ref().unwrap().value,
        SubjectType::PersistentId
    );
}

#[test]
fn unknown_enumeration_value_suggests_the_right_one() {
    let text = connected_app(&SAML.replace(">PersistentId<", ">PersistentID<"));
    let l = read("A.connectedApp-meta.xml", &text);
    let (d, at) = only(&l, Code::UnknownEnumValue);
    assert_eq!(at, "PersistentID");
    assert!(
        d.help
            .as_ref()
            .unwrap()
            .contains("did you mean `PersistentId`?"),
        "{d:?}"
    );
    assert!(app(&l).subject_type.is_none());
}

#[test]
fn missing_and_duplicate_elements() {
    let text = connected_app(&SAML.replace("<entityUrl>AcmeVoice</entityUrl>", ""));
    let l = read("A.connectedApp-meta.xml", &text);
    let (d, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "samlConfig");
    assert!(d.message.contains("entityUrl"));

    let text = connected_app(&SAML.replace("<acsUrl>", "<acsUrl>https://x</acsUrl><acsUrl>"));
    let l = read("A.connectedApp-meta.xml", &text);
    let (d, at) = only(&l, Code::DuplicateElement);
    assert_eq!(at, "acsUrl");
    assert_eq!(d.labels.len(), 1);
    assert!(d.labels[0].span.start < d.span.unwrap().start);

    // An app without `<samlConfig>` (OAuth, canvas, bookmark) is no mistake: read, not SAML.
    let l = read("A.connectedApp-meta.xml", &connected_app(""));
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    assert!(!app(&l).saml);
    assert!(!l.input_failed());

    let text = connected_app(&format!("<attributes><key>k</key></attributes>{SAML}"));
    let l = read("A.connectedApp-meta.xml", &text);
    let (d, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "attributes");
    assert!(d.message.contains("formula"));
}

#[test]
fn custom_attribute_subject_names_its_key() {
    let text = connected_app(&SAML.replace(
        "<samlSubjectType>PersistentId",
        "<samlSubjectCustomAttr>https://aws.amazon.com/SAML/Attributes/RoleSessionName</samlSubjectCustomAttr><samlSubjectType>CustomAttribute",
    ));
    let l = read("A.connectedApp-meta.xml", &text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let Some(SubjectType::CustomAttribute(Some(key))) =
        app(&l).subject_type.as_ref().map(|s| &s.value)
    else {
        panic!()
    };
    assert_eq!(&text[key.span().start..key.span().end], key.value);

    let text = connected_app(&SAML.replace(">PersistentId<", ">CustomAttribute<"));
    let l = read("A.connectedApp-meta.xml", &text);
    let (_, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "samlConfig");
}

#[test]
fn unknown_elements_in_saml_settings_are_typos() {
    let text = connected_app(&SAML.replace("<entityUrl>", "<entityURL>x</entityURL><entityUrl>"));
    let l = read("A.connectedApp-meta.xml", &text);
    let (d, at) = only(&l, Code::UnknownElement);
    assert_eq!(at, "entityURL");
    assert!(d.help.as_ref().unwrap().contains("`<entityUrl>`"));
    // At the root, only near misses: new API versions add elements.
    let l = read(
        "A.connectedApp-meta.xml",
        &connected_app(&format!("<brandNewThing/>{SAML}")),
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let l = read(
        "A.connectedApp-meta.xml",
        &connected_app(&format!("<samlConfg/>{SAML}")),
    );
    only(&l, Code::UnknownElement);
}

#[test]
fn malformed_xml_doctype_entities_and_roots() {
    let l = read(
        "A.connectedApp-meta.xml",
        &format!("<ConnectedApp xmlns=\"{NS}\"><samlConfig></ConnectedApp>"),
    );
    let (_, at) = only(&l, Code::MalformedXml);
    assert!(!at.is_empty());
    assert!(l.content.is_none() && l.input_failed());

    let text = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n<ConnectedApp xmlns=\"{NS}\"><label>&b;</label></ConnectedApp>"
    );
    let l = read("A.connectedApp-meta.xml", &text);
    let (_, at) = only(&l, Code::DoctypeRefused);
    assert!(at.starts_with("<!DOCTYPE") && at.ends_with("]>"), "{at}");
    assert!(l.content.is_none());

    let l = read(
        "A.connectedApp-meta.xml",
        &connected_app(&format!("<label>R&nbsp;D</label>{SAML}")),
    );
    let (_, at) = only(&l, Code::UndefinedEntity);
    assert_eq!(at, "&nbsp;");

    let l = read(
        "A.connectedApp-meta.xml",
        &format!("<ExtlClntAppSamlConfigurablePolicies xmlns=\"{NS}\"/>"),
    );
    let (d, at) = only(&l, Code::WrongRootElement);
    assert_eq!(at, "ExtlClntAppSamlConfigurablePolicies");
    assert!(d.help.as_ref().unwrap().contains("ecaSamlPlcy"));

    let l = read("cc.xml", "<Something/>");
    only(&l, Code::WrongRootElement);
}

#[test]
fn size_binary_and_encoding() {
    let big = vec![b' '; samlfx_app::MAX_FILE_BYTES + 1];
    let l = read_bytes("A.connectedApp-meta.xml", &big);
    assert_eq!(l.diagnostics[0].code, Code::AppFileLimit);
    assert!(l.source.text.is_empty());

    let l = read_bytes("samlfx.toml", b"[app]\nentity_id = \"\xff\"");
    assert_eq!(l.diagnostics[0].code, Code::NotText);
    assert_eq!(l.diagnostics[0].span, Some(samlfx_diag::Span::new(19, 19)));
    assert_eq!(l.source.text.len(), 19);

    let l = read_bytes("samlfx.toml", b"\x89PNG\r\n\x1a\n\0\0");
    assert_eq!(l.diagnostics[0].code, Code::NotText);

    // A byte-order mark is skipped, and spans stay file offsets.
    let text = format!("\u{feff}{}", connected_app(SAML));
    let l = read("A.connectedApp-meta.xml", &text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let s = app(&l).entity_id.as_ref().unwrap().span();
    assert_eq!(&text[s.start..s.end], "AcmeVoice");
}

#[test]
fn external_client_app() {
    let text = format!(
        "<ExtlClntAppSamlConfigurablePolicies xmlns=\"{NS}\">\
         <acsUrl>https://signin.aws.amazon.com/saml</acsUrl>\
         <customAttributes><formula>&quot;x&quot;</formula><key>https://aws.amazon.com/SAML/Attributes/RoleSessionName</key></customAttributes>\
         <entityUrl>AcmeVoice</entityUrl>\
         <externalClientApplication>AcmeVoice</externalClientApplication>\
         <nameIdFormat>Persistent</nameIdFormat>\
         <signingAlgorithmType>SHA265</signingAlgorithmType>\
         <subjectType>PersistentId</subjectType>\
         </ExtlClntAppSamlConfigurablePolicies>"
    );
    let l = read("AcmeVoice.ecaSamlPlcy-meta.xml", &text);
    assert_eq!(l.kind, Some(FileKind::ExternalClientApp));
    let (d, at) = only(&l, Code::UnknownEnumValue);
    assert_eq!(at, "SHA265");
    assert!(d.help.as_ref().unwrap().contains("SHA256"));
    let a = app(&l);
    assert_eq!(a.attributes[0].formula.value, "\"x\"");
    assert_eq!(
        a.subject_type.as_ref().unwrap().value,
        SubjectType::PersistentId
    );

    let l = read(
        "A.ecaSamlPlcy-meta.xml",
        &format!(
            "<ExtlClntAppSamlConfigurablePolicies xmlns=\"{NS}\"><acsUrl>x</acsUrl></ExtlClntAppSamlConfigurablePolicies>"
        ),
    );
    let missing: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingElement)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(missing.len(), 2, "{missing:?}");
}

#[test]
fn call_center_import_and_metadata() {
    let text = "<callCenter>\
        <section sortOrder=\"0\" name=\"reqGeneralInfo\" label=\"G\"><item sortOrder=\"0\" name=\"reqInternalName\">Acme</item></section>\
        <section sortOrder=\"1\" name=\"reqHvcc\" label=\"H\">\
        <item name=\"reqRegion\">us-west-2</item>\
        <item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/x?destination=%2Fccp-v2&amp;new_domain=true</item>\
        <item name=\"reqSCVS3Role\">arn:aws:iam::123456789012:role/S3 </item>\
        <item name=\"reqRegion\">us-east-1</item><item label=\"no name\">x</item>\
        </section></callCenter>";
    let l = read("contact-center.xml", text);
    assert_eq!(l.kind, Some(FileKind::CallCenterImport));
    let (d, at) = only(&l, Code::DuplicateItem);
    assert_eq!(at, "reqRegion");
    assert_eq!(d.severity, samlfx_diag::Severity::Warning);
    let (_, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "item");
    // Findings in a file that was read are not input errors: the policy decides their severity.
    assert!(!l.input_failed());
    let Some(Content::ContactCenter(cc)) = &l.content else {
        panic!()
    };
    assert_eq!(cc.region.as_ref().unwrap().value, "us-west-2");
    let relay = cc.relay_state.as_ref().unwrap();
    assert!(relay.value.ends_with("%2Fccp-v2&new_domain=true"));
    let amp = relay.value.find('&').unwrap();
    let s = relay.span_of(amp..amp + 1);
    assert_eq!(&text[s.start..s.end], "&amp;");
    assert_eq!(cc.role_arns.len(), 1);
    assert_eq!(
        cc.role_arns[0].value.value,
        "arn:aws:iam::123456789012:role/S3 "
    );

    let l = read(
        "X.callCenter-meta.xml",
        &format!(
            "<CallCenter xmlns=\"{NS}\"><sections><name>reqHvcc</name></sections></CallCenter>"
        ),
    );
    let (d, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "CallCenter");
    assert!(d.message.contains("reqGeneralInfo"));

    // An Open CTI call center has no `reqHvcc`: read and counted, no finding.
    let l = read(
        "Cti.callCenter-meta.xml",
        &format!(
            "<CallCenter xmlns=\"{NS}\"><sections><items><name>reqAdapterUrl</name><value>https://cti.example.com</value></items><name>reqGeneralInfo</name></sections></CallCenter>"
        ),
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let Some(Content::ContactCenter(cc)) = &l.content else {
        panic!()
    };
    assert!(!cc.voice);
}

#[test]
fn external_client_app_parts() {
    let eca = read(
        "Acme.eca-meta.xml",
        &format!(
            "<ExternalClientApplication xmlns=\"{NS}\"><distributionState>Packaged</distributionState><label>Acme</label></ExternalClientApplication>"
        ),
    );
    assert_eq!(eca.kind, Some(FileKind::ClientApp));
    assert!(eca.diagnostics.is_empty(), "{:?}", eca.diagnostics);
    let Some(Content::ClientApp(part)) = &eca.content else {
        panic!("{eca:?}")
    };
    assert_eq!(part.app_name(), Some("Acme"));
    let state = part.distribution_state.as_ref().unwrap();
    assert_eq!(
        &eca.source.text[state.span().start..state.span().end],
        "Packaged"
    );

    let plcy = read(
        "Acme.ecaPlcy-meta.xml",
        &format!(
            "<ExtlClntAppConfigurablePolicies xmlns=\"{NS}\"><externalClientApplication>Acme</externalClientApplication><isEnabled>true</isEnabled><isSamlPluginEnabled>ture</isSamlPluginEnabled></ExtlClntAppConfigurablePolicies>"
        ),
    );
    assert_eq!(plcy.kind, Some(FileKind::ClientAppPolicies));
    let (d, at) = only(&plcy, Code::UnknownEnumValue);
    assert_eq!(at, "ture");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `true`? (one of true, false)")
    );
    let Some(Content::ClientApp(part)) = &plcy.content else {
        panic!()
    };
    assert_eq!(part.app_name(), Some("Acme"));
    assert_eq!(part.enabled.as_ref().map(|e| e.value), Some(true));
    assert!(part.saml_plugin.is_none());
}

#[test]
fn samlfx_toml_good_and_spans() {
    let text = "profile = \"amazon-connect\"\n[app]\nentity_id = \"Acme\\u0056oice\"\nacs_url = 'https://signin.aws.amazon.com/saml'\nsubject_type = \"CustomAttribute\"\nsubject_attribute = \"k\"\nname_id_format = \"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent\"\n\n[[attributes]]\nkey = \"k\"\nformula = \"$User.Alias & \\\"@\\\"\"\n\n[fields]\n\"$User.AWS_Role__c\" = \"Text:255\"\n";
    let l = read("samlfx.toml", text);
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let a = app(&l);
    let e = a.entity_id.as_ref().unwrap();
    assert_eq!(e.value, "AcmeVoice");
    assert_eq!(&text[e.span().start..e.span().end], "Acme\\u0056oice");
    assert_eq!(&text[e.span_of(4..5).start..e.span_of(4..5).end], "\\u0056");
    assert_eq!(
        a.profile.as_ref().unwrap().value,
        samlfx_aws::profile::Profile::AmazonConnect
    );
    assert_eq!(
        a.name_id_format.as_ref().unwrap().value,
        samlfx_app::NameIdFormat::Persistent
    );
    assert_eq!(a.attributes[0].formula.value, "$User.Alias & \"@\"");
    assert_eq!(a.fields.len(), 1);
    assert_eq!(
        &text[a.fields[0].name_span.start..a.fields[0].name_span.end],
        "$User.AWS_Role__c"
    );
    assert!(a.schema().get("$User.AWS_Role__c").is_some());
    assert!(matches!(
        a.subject_type.as_ref().unwrap().value,
        SubjectType::CustomAttribute(Some(_))
    ));
}

#[test]
fn samlfx_toml_bad_input() {
    let l = read("samlfx.toml", "[app]\nentity_id = \"Acme");
    let (_, _) = only(&l, Code::MalformedToml);
    assert!(l.content.is_none());

    let l = read("samlfx.toml", "[app]\nentity_id = 42\nacs_url = \"x\"");
    let (_, at) = only(&l, Code::WrongValueType);
    assert_eq!(at, "42");

    let l = read(
        "samlfx.toml",
        "[app]\nentity_id = \"a\"\nacs_url = \"x\"\nsubjet_type = \"UserId\"\n[apps]",
    );
    let unknown: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownKey)
        .collect();
    assert_eq!(unknown.len(), 2, "{:?}", l.diagnostics);
    assert!(unknown[0].help.as_ref().unwrap().contains("`subject_type`"));

    let l = read(
        "samlfx.toml",
        "[app]\nentity_id = \"a\"\nacs_url = \"x\"\nsubject_type = \"PersistentID\"",
    );
    let (d, at) = only(&l, Code::UnknownEnumValue);
    assert_eq!(at, "\"PersistentID\"".trim_matches('"'));
    assert!(d.help.as_ref().unwrap().contains("PersistentId"));

    let l = read("samlfx.toml", "profile = \"aws\"\n");
    let (_, at) = only(&l, Code::MissingElement);
    assert_eq!(at, "");

    let l = read(
        "samlfx.toml",
        "[app]\nacs_url = \"x\"\n[[attributes]]\nkey = \"k\"\n",
    );
    let missing: Vec<_> = l
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingElement)
        .collect();
    assert_eq!(missing.len(), 2, "{:?}", l.diagnostics);

    let text = "[app]\nentity_id = \"a\"\nacs_url = \"x\"\n[fields]\n\"$User.AWS_Role__c\" = \"Text:300\"\n";
    let l = read("samlfx.toml", text);
    let (_, at) = only(&l, Code::InvalidFieldDeclaration);
    assert_eq!(at, "300");
    let text = "[app]\nentity_id = \"a\"\nacs_url = \"x\"\n[fields]\n\"$User.Name\" = \"Text\"\n";
    let l = read("samlfx.toml", text);
    let (_, at) = only(&l, Code::InvalidFieldDeclaration);
    assert_eq!(at, "$User.Name");
    // A key with an escape maps through it.
    let text =
        "[app]\nentity_id = \"a\"\nacs_url = \"x\"\n[fields]\n\"$User.\\u0041WS__c\" = \"Txt\"\n";
    let l = read("samlfx.toml", text);
    let (_, at) = only(&l, Code::InvalidFieldDeclaration);
    assert_eq!(at, "Txt");
}

#[test]
fn toml_strings_of_every_kind_map_back() {
    for (raw, value) in [
        ("\"a\\tb\\\\c\\\"d\"", "a\tb\\c\"d"),
        ("'a\\tb'", "a\\tb"),
        ("\"\"\"\nab\\\n   cd\"\"\"", "abcd"),
        ("'''\nx 'y' z'''", "x 'y' z"),
        ("\"é\\u00e9\"", "éé"),
    ] {
        let text = format!("[app]\nentity_id = \"a\"\nacs_url = {raw}\n");
        let l = read("samlfx.toml", &text);
        assert!(l.diagnostics.is_empty(), "{raw}: {:?}", l.diagnostics);
        let t = app(&l).acs_url.clone().unwrap();
        assert_eq!(t.value, value, "{raw}");
        for (i, c) in t.value.char_indices() {
            let s = t.span_of(i..i + c.len_utf8());
            let src = &text[s.start..s.end];
            // Verbatim, or an escape whose decoding is the character.
            assert!(
                src == c.to_string() || (src.starts_with('\\') && src.len() > 1),
                "{raw}: {c:?} maps to {src:?}"
            );
        }
    }
}

#[test]
fn toml_severity_overrides() {
    let text = "[app]\nentity_id = 'A'\nacs_url = 'https://signin.aws.amazon.com/saml'\n\n[severity]\nA121 = 'allow'\nplaceholder-in-literal = 'deny'\nA999 = 'warn'\nF201 = 'loud'\n";
    let l = read("samlfx.toml", text);
    let a = app(&l);
    use samlfx_diag::report::Override;
    assert_eq!(
        a.severities.get(Code::RoleSessionNameCharacters),
        Some(Override::Allow)
    );
    // An unknown code points at its key, a bad level at its value; neither is kept.
    let (_, at) = only(&l, Code::UnknownKey);
    assert_eq!(at, "A999");
    let (_, at) = only(&l, Code::UnknownEnumValue);
    assert_eq!(at, "loud");
    assert_eq!(
        a.severities.get(Code::PlaceholderInLiteral),
        Some(Override::Deny)
    );
    assert_eq!(a.severities.get(Code::FormulaTooLong), None);
}

/// App files in every encoding Windows tools save: a UTF-8 byte-order mark followed by a line
/// break (a panic once), a mark with a declaration and CRLF, UTF-16 of either byte order.
#[test]
fn app_files_in_every_encoding() {
    let body = connected_app(SAML);
    let utf16 = |little: bool| -> Vec<u8> {
        format!("\u{feff}{body}")
            .encode_utf16()
            .flat_map(|u| {
                if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                }
            })
            .collect()
    };
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        (
            "BOM, line break",
            format!("\u{feff}\n{}", without_declaration(&body)).into(),
        ),
        (
            "BOM, CRLF",
            format!("\u{feff}{}", body.replace('\n', "\r\n")).into(),
        ),
        ("UTF-16LE", utf16(true)),
        ("UTF-16BE", utf16(false)),
    ];
    for (what, bytes) in inputs {
        let l = read_bytes("A.connectedApp-meta.xml", &bytes);
        assert!(l.diagnostics.is_empty(), "{what}: {:?}", l.diagnostics);
        let a = app(&l);
        let acs = a.acs_url.as_ref().unwrap();
        let s = acs.span();
        assert_eq!(
            &l.source.text[s.start..s.end],
            "https://signin.aws.amazon.com/saml",
            "{what}"
        );
    }
}

/// The file without its XML declaration, for a mark followed by a line break and the root.
fn without_declaration(body: &str) -> &str {
    body.split_once('\n').map_or(body, |(_, rest)| rest)
}
