//! Crafted SAML Responses for inspect's tests: one that AWS accepts at [`NOW`] (but for its
//! signature, which tests that need one get from the real Salesforce sample or from
//! `samlfx simulate`), and the edits that break one rule each.

/// The time the crafted response is checked at.
pub const NOW: &str = "2026-01-01T00:00:10Z";

pub const ROLE: &str = "arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";

/// An unsigned Response as Salesforce lays it out, issued at 2026-01-01T00:00:00Z, whose
/// RoleSessionName is `session` and whose Role value is `role`.
pub fn response(role: &str, session: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://signin.aws.amazon.com/saml" ID="_r1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://acme.my.salesforce.com</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0">
    <saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://acme.my.salesforce.com</saml:Issuer>
    <saml:Subject>
      <saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">opaque-id</saml:NameID>
      <saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml:SubjectConfirmationData NotOnOrAfter="2026-01-01T00:05:00.000Z" Recipient="https://signin.aws.amazon.com/saml"/>
      </saml:SubjectConfirmation>
    </saml:Subject>
    <saml:Conditions NotBefore="2025-12-31T23:59:30.000Z" NotOnOrAfter="2026-01-01T00:05:00.000Z">
      <saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction>
    </saml:Conditions>
    <saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00.000Z"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
    <saml:AttributeStatement>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:anyType">{role}</saml:AttributeValue></saml:Attribute>
      <saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:anyType">{session}</saml:AttributeValue></saml:Attribute>
    </saml:AttributeStatement>
  </saml:Assertion>
</samlp:Response>
"#
    )
}

/// [`response`] with AWS-valid values.
pub fn valid() -> String {
    response(ROLE, "jdoe@00D000000000001")
}

/// A file of the real Salesforce-issued response (kept beside the repository); `None`, after a
/// line saying the test was skipped, when it is absent. [`SAMPLE_NOW`] is the time both of its
/// signatures were valid.
pub fn sample_path(file: &str) -> Option<String> {
    samlfx_testdata::shared(
        &format!("samples/salesforce-idp-response/{file}"),
        "the real Salesforce-issued response",
    )
    .map(|p| p.display().to_string())
}
pub const SAMPLE_NOW: &str = "2017-04-27T15:03:17Z";
