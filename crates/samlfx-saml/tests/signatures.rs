//! The verification model, without a certificate: what needs a signature to be trusted.

use samlfx_saml::inspect;

/// An encrypted assertion cannot be checked without the SP's key: a Response without a
/// signature vouches for nothing, so it is an error (S116), not only the S102 info.
#[test]
fn an_unsigned_response_with_an_encrypted_assertion_is_an_error() {
    let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Destination="https://signin.aws.amazon.com/saml" ID="_r1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0"><saml:Issuer>https://acme.my.salesforce.com</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion></samlp:Response>"#;
    let now = "2026-01-01T00:00:10Z".parse().unwrap();
    let found = inspect::inspect(xml, &inspect::Options::at(now));
    let codes: Vec<(&str, bool)> = found
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.is_error()))
        .collect();
    assert!(codes.contains(&("S102", false)), "{codes:?}");
    let d = found
        .diagnostics
        .iter()
        .find(|d| d.code.as_str() == "S116")
        .unwrap_or_else(|| panic!("{codes:?}"));
    assert!(d.is_error() && d.help.is_some());
    let s = d.span.unwrap();
    assert_eq!(&xml[s.start..s.end], "saml:EncryptedAssertion");
}
