//! What AWS knows of the IdP, as the user gives it to `inspect`: the signing certificate as PEM
//! (`--idp-cert`), or the IdP's SAML metadata (`--idp-metadata`), which also names the entity ID
//! AWS compares the Issuer with.

use base64::Engine;
use samlfx_diag::{Code, Diagnostic};

use crate::response::RESPONSE_XML;

/// The IdP as AWS holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Idp {
    /// DER of each signing certificate.
    pub certificates: Vec<Vec<u8>>,
    /// The metadata's `entityID`.
    pub entity_id: Option<String>,
}

fn unreadable(message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(Code::UnreadableIdpCertificate, message).with_help(
        "give the IdP certificate as PEM (Setup → Identity Provider → Download Certificate) or the IdP metadata XML (Download Metadata)",
    )
}

/// The certificates of a PEM text (`-----BEGIN CERTIFICATE-----` blocks).
pub fn from_pem(text: &str) -> Result<Idp, Diagnostic> {
    let mut certificates = Vec::new();
    let mut rest = text;
    while let Some(begin) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body = &rest[begin + "-----BEGIN CERTIFICATE-----".len()..];
        let Some(end) = body.find("-----END CERTIFICATE-----") else {
            return Err(unreadable("a PEM certificate has no END line"));
        };
        certificates.push(der(&body[..end])?);
        rest = &body[end..];
    }
    if certificates.is_empty() {
        return Err(unreadable("the file holds no PEM certificate"));
    }
    Ok(Idp {
        certificates,
        entity_id: None,
    })
}

fn der(b64: &str) -> Result<Vec<u8>, Diagnostic> {
    let compact: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| unreadable(format!("a certificate is not valid base64: {e}")))?;
    // An X.509 certificate is a DER SEQUENCE.
    if der.first() != Some(&0x30) {
        return Err(unreadable(
            "a certificate's base64 does not hold a DER certificate",
        ));
    }
    Ok(der)
}

/// The IdP of a SAML metadata document: its `entityID` and the certificates of its
/// `IDPSSODescriptor`'s signing keys (a `KeyDescriptor` without `use` signs too).
pub fn from_metadata(xml: &str) -> Result<Idp, Diagnostic> {
    let mut diags = Vec::new();
    let Some(root) = samlfx_app::xml::parse_as(xml, &RESPONSE_XML, &mut diags) else {
        let first = diags.into_iter().next().map(|d| d.message);
        return Err(unreadable(format!(
            "the metadata is not readable XML{}",
            first.map(|m| format!(": {m}")).unwrap_or_default()
        )));
    };
    let descriptor = if root.name == "EntityDescriptor" {
        Some(&root)
    } else {
        root.children_named("EntityDescriptor").next()
    };
    let Some(entity) = descriptor else {
        return Err(unreadable("the metadata has no EntityDescriptor"));
    };
    let mut certificates = Vec::new();
    for sso in entity.children_named("IDPSSODescriptor") {
        for key in sso.children_named("KeyDescriptor") {
            if key
                .attribute("use")
                .is_some_and(|u| u.value.value.trim() != "signing")
            {
                continue;
            }
            for info in key.children_named("KeyInfo") {
                for data in info.children_named("X509Data") {
                    for cert in data.children_named("X509Certificate") {
                        certificates.push(der(&cert.text.value)?);
                    }
                }
            }
        }
    }
    if certificates.is_empty() {
        return Err(unreadable(
            "the metadata's IDPSSODescriptor holds no signing certificate (KeyDescriptor/KeyInfo/X509Data/X509Certificate)",
        ));
    }
    Ok(Idp {
        certificates,
        entity_id: entity
            .attribute("entityID")
            .map(|e| e.value.value.trim().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_certificate() {
        let Some(pem) = samlfx_testdata::shared_text(
            "samples/salesforce-idp-response/idp-cert.pem",
            "the real Salesforce IdP certificate",
        ) else {
            return;
        };
        let idp = from_pem(&pem).unwrap();
        assert_eq!(idp.certificates.len(), 1);
        assert_eq!(idp.certificates[0][0], 0x30);
    }

    #[test]
    fn metadata() {
        let xml = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://acme.my.salesforce.com">
  <md:IDPSSODescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MAMCAQA=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MAMCAQE=</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor></md:IDPSSODescriptor>
</md:EntityDescriptor>"#;
        let idp = from_metadata(xml).unwrap();
        assert_eq!(
            idp.entity_id.as_deref(),
            Some("https://acme.my.salesforce.com")
        );
        assert_eq!(idp.certificates, vec![vec![0x30, 3, 2, 1, 0]]);
        for bad in [
            "<a/>",
            "nope",
            "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----",
        ] {
            let e = from_metadata(bad).or_else(|_| from_pem(bad)).unwrap_err();
            assert_eq!(e.code, Code::UnreadableIdpCertificate);
        }
    }
}
