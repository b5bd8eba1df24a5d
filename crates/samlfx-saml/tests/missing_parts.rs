//! Parts of a Response that AWS reads, each missing in turn, each reported where it is missing.

use samlfx_saml::inspect;

const FULL: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Destination="https://signin.aws.amazon.com/saml" ID="_r1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0"><saml:Issuer>https://acme.my.salesforce.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:Assertion ID="_a1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0"><saml:Issuer>https://acme.my.salesforce.com</saml:Issuer><saml:Subject><saml:NameID>opaque-id</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="2026-01-01T00:05:00.000Z" Recipient="https://signin.aws.amazon.com/saml"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="2025-12-31T23:59:30.000Z" NotOnOrAfter="2026-01-01T00:05:00.000Z"><saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00.000Z" SessionNotOnOrAfter="2026-01-01T08:00:00Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml:AttributeValue>arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/Okta</saml:AttributeValue></saml:Attribute><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>jdoe</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#;

/// (code, the text at its span) of every finding but the unsigned-assertion one, which every
/// unsigned response here draws.
fn found(xml: &str) -> Vec<(String, String)> {
    let now = "2026-01-01T00:00:10Z".parse().unwrap();
    inspect::inspect(xml, &inspect::Options::at(now))
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() != "S116")
        .map(|d| {
            assert!(d.help.is_some(), "{d:?}");
            let s = d.span.unwrap();
            (d.code.as_str().to_owned(), xml[s.start..s.end].to_owned())
        })
        .collect()
}

fn cut(xml: &str, from: &str, to: &str) -> String {
    let a = xml.find(from).unwrap();
    let b = xml[a..].find(to).unwrap() + a + to.len();
    format!("{}{}", &xml[..a], &xml[b..])
}

fn t(code: &str, at: &str) -> (String, String) {
    (code.to_owned(), at.to_owned())
}

#[test]
fn a_complete_response_has_no_finding() {
    assert_eq!(found(FULL), []);
}

#[test]
fn each_missing_part_is_reported() {
    let no_status = cut(FULL, "<samlp:Status>", "</samlp:Status>");
    assert_eq!(found(&no_status), [t("S100", "samlp:Response")]);
    let no_code = FULL.replace(
        r#"<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>"#,
        "",
    );
    assert_eq!(found(&no_code), [t("S100", "samlp:Response")]);
    let no_id = FULL.replace(r#" ID="_r1""#, "");
    assert_eq!(found(&no_id), [t("S100", "samlp:Response")]);
    let no_conditions = cut(FULL, "<saml:Conditions", "</saml:Conditions>");
    assert_eq!(found(&no_conditions), [t("S111", "saml:Assertion")]);
    let no_audience = cut(
        FULL,
        "<saml:AudienceRestriction>",
        "</saml:AudienceRestriction>",
    );
    assert_eq!(found(&no_audience), [t("S111", "saml:Assertion")]);
    // The Response's Issuer does not stand in for the assertion's.
    let a = FULL.find("<saml:Assertion").unwrap();
    let no_issuer = format!(
        "{}{}",
        &FULL[..a],
        FULL[a..].replacen(
            "<saml:Issuer>https://acme.my.salesforce.com</saml:Issuer>",
            "",
            1
        )
    );
    assert_eq!(found(&no_issuer), [t("S104", "saml:Assertion")]);
    let no_authn = cut(FULL, "<saml:AuthnStatement", "</saml:AuthnStatement>");
    assert_eq!(found(&no_authn), [t("S123", "saml:Assertion")]);
    let over = FULL.replace("2026-01-01T08:00:00Z", "2025-12-31T23:00:00Z");
    assert_eq!(found(&over), [t("S124", "2025-12-31T23:00:00Z")]);
}
