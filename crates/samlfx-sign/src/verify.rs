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
    /// `Err` holds samael's error, then the lines libxmlsec wrote to stderr while it verified
    /// (captured, never shown raw): what `samlfx_saml::inspect` reads the cause from.
    fn verify_first(&self, xml: &str) -> Result<(), String> {
        let mut last = "no certificate to verify with".to_owned();
        for cert in &self.certificates {
            let (result, said) =
                capturing_stderr(|| Crypto::verify_signed_xml(xml, cert, Some("ID")));
            match result {
                Ok(()) => return Ok(()),
                Err(e) => last = format!("{e}\n{said}"),
            }
        }
        Err(last)
    }
}

/// Runs `f` with the process's stderr sent to a buffer, returning what was written there.
/// Redirections are serialised (one process-wide lock), so threads verifying at once each get
/// their own lines; when stderr cannot be redirected at all, `f` runs as it is and nothing is
/// captured.
pub(crate) fn capturing_stderr<T>(f: impl FnOnce() -> T) -> (T, String) {
    use std::io::Read as _;
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _held = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let Ok(mut redirect) = gag::BufferRedirect::stderr() else {
        return (f(), String::new());
    };
    let out = f();
    let mut said = String::new();
    let _ = redirect.read_to_string(&mut said);
    (out, said)
}
