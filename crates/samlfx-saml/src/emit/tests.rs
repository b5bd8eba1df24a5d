use super::*;
use quick_xml::events::Event;

fn at(s: &str) -> DateTime<Utc> {
    parse_instant(s).unwrap()
}

fn sample(values: &[&str]) -> Response {
    Response {
        response_id: "_r1".into(),
        assertion_id: "_a1".into(),
        issue_instant: at("2026-01-01T00:00:00Z"),
        issuer: "https://acme.my.salesforce.com".into(),
        destination: "https://signin.aws.amazon.com/saml".into(),
        audience: "AcmeVoice".into(),
        name_id: NameId {
            format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent".into(),
            value: "n".into(),
        },
        attributes: vec![Attribute {
            name: "https://aws.amazon.com/SAML/Attributes/RoleSessionName".into(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }],
    }
}

/// The decoded text of every element named `local` and the value of every attribute named
/// `attr` of those elements, read back by quick-xml (which refuses ill-formed input).
fn read_back(xml: &str, local: &str, attr: &str) -> (Vec<String>, Vec<String>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut texts = Vec::new();
    let mut attrs = Vec::new();
    let mut raw: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == local => {
                for a in e.attributes() {
                    let a = a.unwrap();
                    if a.key.local_name().as_ref() == attr {
                        attrs.push(
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned(),
                        );
                    }
                }
                raw = Some(String::new());
            }
            Event::Text(t) => {
                if let Some(r) = raw.as_mut() {
                    r.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(g) => {
                if let Some(r) = raw.as_mut() {
                    r.push('&');
                    r.push_str(&g.into_inner());
                    r.push(';');
                }
            }
            Event::End(e) if e.local_name().as_ref() == local => {
                let r = raw.take().unwrap_or_default();
                texts.push(quick_xml::escape::unescape(&r).unwrap().into_owned());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (texts, attrs)
}

#[test]
fn hostile_values_round_trip_through_a_parser() {
    let values = [
        "a & b < c > d",
        "it's \"quoted\"",
        "Zoë Åström 名前 🙂",
        "]]> <!-- --> <![CDATA[x]]>",
        "line\nbreak\r\nand\ttab",
        "&amp; stays &amp;",
    ];
    let mut r = sample(&values);
    r.attributes[0].name = "weird \"name\" & <more>\n".into();
    let xml = r.unsigned_xml();
    let (texts, _) = read_back(&xml, "AttributeValue", "");
    assert_eq!(texts, values);
    let (_, names) = read_back(&xml, "Attribute", "Name");
    assert_eq!(names, ["weird \"name\" & <more>\n"]);
}

#[test]
fn characters_xml_cannot_carry_become_replacement_characters() {
    let r = sample(&["a\u{1}b\u{FFFF}c"]);
    let xml = r.unsigned_xml();
    let (texts, _) = read_back(&xml, "AttributeValue", "");
    assert_eq!(texts, ["a\u{FFFD}b\u{FFFD}c"]);
    assert_eq!(unrepresentable("ok\t\n\r"), None);
    assert_eq!(unrepresentable("x\u{0}"), Some(1));
    assert!(check_characters("v", "ok\t\n\r é").is_none());
    let d = check_characters("v", "a\u{1}b\u{FFFF}c").unwrap();
    assert_eq!(d.code, Code::UnrepresentableCharacter);
    assert_eq!(d.span, Some(Span::new(1, 2)));
    assert_eq!(d.labels[0].span, Span::new(3, 6));
    assert_eq!(d.labels[0].message, "U+FFFF");
}

#[test]
fn layout_follows_salesforce() {
    let cert = "QUJD\nREVG";
    let t = Template {
        algorithm: Algorithm::RsaSha256,
        certificate_base64: cert,
    };
    let r = sample(&["v"]);
    let xml = r.response_xml(&r.assertion_xml(Some(&t)), Some(&t));
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?><samlp:Response xmlns:samlp=")
    );
    let order = [
        "<samlp:Response",
        "<saml:Issuer xmlns:saml",
        "<ds:Signature",
        "URI=\"#_r1\"",
        "PrefixList=\"ds saml samlp xs xsi\"",
        "<samlp:Status>",
        "<saml:Assertion",
        "<saml:Issuer Format=",
        "<ds:Signature",
        "URI=\"#_a1\"",
        "PrefixList=\"ds saml xs xsi\"",
        "<saml:Subject>",
        "<saml:Conditions",
        "<saml:AuthnStatement",
        "<saml:AttributeStatement>",
    ];
    let mut from = 0;
    for piece in order {
        let found = xml[from..]
            .find(piece)
            .unwrap_or_else(|| panic!("{piece} after {from}"));
        from += found + piece.len();
    }
    assert_eq!(xml.matches("xmldsig-more#rsa-sha256").count(), 2);
    assert_eq!(xml.matches("xmlenc#sha256").count(), 2);
    assert_eq!(
        xml.matches("<ds:X509Certificate>QUJDREVG</ds:X509Certificate>")
            .count(),
        2
    );
    assert!(!xml.contains("InResponseTo"));

    let sha1 = Template {
        algorithm: Algorithm::RsaSha1,
        certificate_base64: cert,
    };
    let xml = r.assertion_xml(Some(&sha1));
    assert!(xml.contains("xmldsig#rsa-sha1") && xml.contains("xmldsig#sha1"));
}

#[test]
fn timestamps_derive_from_the_issue_instant() {
    let mut r = sample(&["v"]);
    r.issue_instant = at("2026-01-01T09:30:00.1234+09:00");
    let xml = r.unsigned_xml();
    let (_, issued) = read_back(&xml, "Response", "IssueInstant");
    assert_eq!(issued, ["2026-01-01T00:30:00.123Z"]);
    let (_, before) = read_back(&xml, "Conditions", "NotBefore");
    assert_eq!(before, ["2026-01-01T00:29:30.123Z"]);
    let (_, after) = read_back(&xml, "SubjectConfirmationData", "NotOnOrAfter");
    assert_eq!(after, ["2026-01-01T00:35:00.123Z"]);
    let (_, recipient) = read_back(&xml, "SubjectConfirmationData", "Recipient");
    assert_eq!(recipient, ["https://signin.aws.amazon.com/saml"]);
}

#[test]
fn a_bad_instant_is_s035_spanning_the_text() {
    for bad in [
        "yesterday",
        "2026-01-01",
        "2026-01-01T00:00:00",
        "2026-13-01T00:00:00Z",
    ] {
        let d = parse_instant(bad).unwrap_err();
        assert_eq!(d.code, Code::InvalidInstant, "{bad}");
        assert_eq!(d.span, Some(Span::new(0, bad.len())));
        assert!(d.help.is_some());
    }
}
