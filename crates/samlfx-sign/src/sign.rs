//! Signing a simulated Response: both enveloped signatures, the Assertion's and the Response's,
//! filled in by libxmlsec through samael.
//!
//! libxmlsec signs the first `<ds:Signature>` it finds in document order, and the Response's
//! signature comes first (right after the Response's Issuer). So the Assertion is signed alone,
//! as a document of its own, and the signed Assertion is then placed in the Response, whose own
//! template is signed last, its digest covering the Assertion and the Assertion's signature.
//! Exclusive canonicalization makes the Assertion's digest independent of where it sits: the
//! Response declares only `samlp:`, which the Assertion's PrefixList does not name.
//!
//! libxmlsec prints its own errors on stderr; the diagnostics here say what failed.

// Failures are one Diagnostic each, by the shared API's design; rare and off any hot path.
#![allow(clippy::result_large_err)]

use samael::crypto::{Crypto, CryptoProvider};
use samlfx_diag::{Code, Diagnostic};
use samlfx_saml::emit::{Algorithm, Response, Template};

use crate::keys::SigningKey;

/// The Response with both signatures, SHA-256 (RSA-SHA256 with a SHA-256 digest) or SHA-1 as
/// `algorithm` says, made with `key` and carrying its certificate. S036 if libxmlsec fails.
///
/// The output is libxml2's serialization of the signed document: an XML declaration on a line
/// of its own, the Response, and a final line break; everything else as written by
/// [`Response::response_xml`], the signature values and digests filled in.
pub fn sign_response(
    response: &Response,
    algorithm: Algorithm,
    key: &SigningKey,
) -> Result<String, Diagnostic> {
    let certificate = key.certificate().to_base64();
    let template = Template {
        algorithm,
        certificate_base64: &certificate,
    };
    let assertion = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
        response.assertion_xml(Some(&template))
    );
    let signed = sign_enveloped(&assertion, key)?;
    let signed = without_declaration(&signed);
    sign_enveloped(&response.response_xml(signed, Some(&template)), key)
}

/// Signs the first `<ds:Signature>` template of `xml` (in document order) with `key`: computes
/// the digest of the element its Reference names (by its `ID` attribute) and the signature
/// value. S036 when libxmlsec refuses: no template, a reference to no element, XML it cannot
/// parse, a key it cannot load.
pub fn sign_enveloped(xml: &str, key: &SigningKey) -> Result<String, Diagnostic> {
    let der = key.private_der().map_err(|e| failed(&e.to_string(), ""))?;
    let (signed, said) = crate::verify::capturing_stderr(|| Crypto::sign_xml(xml, &der));
    signed.map_err(|e| failed(&e.to_string(), &said))
}

/// S036, with what libxmlsec said (captured from its stderr) as a note.
fn failed(why: &str, said: &str) -> Diagnostic {
    let d = Diagnostic::new(
        Code::SigningFailed,
        format!("libxmlsec could not sign the document: {why}"),
    )
    .with_help("with a response samlfx wrote, this is a bug in samlfx: please report it with the command line");
    match said.lines().find(|l| !l.trim().is_empty()) {
        Some(first) => d.with_note(format!("libxmlsec: {}", first.trim())),
        None => d,
    }
}

/// The document without its XML declaration and surrounding whitespace: the root element.
fn without_declaration(xml: &str) -> &str {
    let xml = xml.trim();
    match xml.strip_prefix("<?xml") {
        Some(rest) => rest
            .find("?>")
            .map_or(xml, |end| rest[end + 2..].trim_start()),
        None => xml,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declaration_is_cut_off() {
        assert_eq!(
            without_declaration("<?xml version=\"1.0\"?>\n<a/>\n"),
            "<a/>"
        );
        assert_eq!(without_declaration("<a/>"), "<a/>");
    }

    #[test]
    fn a_document_without_a_template_is_s036() {
        let key = SigningKey::ephemeral("test").unwrap();
        let d = sign_enveloped("<Response ID=\"x\"/>", &key).unwrap_err();
        assert_eq!(d.code, Code::SigningFailed);
    }
}
