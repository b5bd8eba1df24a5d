//! Verifying one signature of a captured response against the IdP's certificate.

use samael::crypto::{CertificateDer, Crypto, CryptoProvider};

/// Verifies with the certificates AWS holds in the IAM SAML provider's metadata, never the one
/// a response carries in its own KeyInfo; a signature is good when one of them verifies it
/// (metadata may hold the current and the next certificate).
pub struct CertificateVerifier {
    certificates: Vec<CertificateDer>,
}

impl CertificateVerifier {
    /// A verifier for the DER of X.509 certificates.
    pub fn new(der: Vec<Vec<u8>>) -> Self {
        CertificateVerifier {
            certificates: der.into_iter().map(CertificateDer::from).collect(),
        }
    }
}

impl samlfx_saml::inspect::Verifier for CertificateVerifier {
    fn verify_first(&self, xml: &str) -> Result<(), String> {
        let mut last = "no certificate to verify with".to_owned();
        for cert in &self.certificates {
            match Crypto::verify_signed_xml(xml, cert, Some("ID")) {
                Ok(()) => return Ok(()),
                Err(e) => last = e.to_string(),
            }
        }
        Err(last)
    }
}
