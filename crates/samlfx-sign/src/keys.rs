//! Keys and certificates: a [`Certificate`] read from PEM or from the base64 DER of IdP
//! metadata, and a [`SigningKey`], an RSA private key paired with its certificate, read from PEM
//! files or generated for one run ([`SigningKey::ephemeral`]).
//!
//! Every failure is a [`Diagnostic`] with an `S03x` code; one about a PEM text points at the
//! bytes of that text (its `-----BEGIN` line, or the whole text when it holds no block).
//! Nothing here prompts: an encrypted key is refused (S032), never asked a passphrase for.

// Failures are one Diagnostic each, by the shared API's design; rare and off any hot path.
#![allow(clippy::result_large_err)]

use std::path::Path;

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::BigNum;
use openssl::hash::MessageDigest;
use openssl::pkey::{Id, PKey, Private};
use openssl::rsa::Rsa;
use openssl::x509::{X509, X509NameBuilder};
use samlfx_diag::{Code, Diagnostic, Span};

/// The largest key or certificate file read, so a wrong path (a disk image) is refused quickly.
pub const MAX_PEM_BYTES: u64 = 1 << 20;

/// The smallest RSA key AWS accepts in an identity provider's certificate.
pub const MIN_RSA_BITS: u32 = 1024;

/// How long the certificate of an [`SigningKey::ephemeral`] key is valid.
pub const EPHEMERAL_DAYS: u32 = 365;

/// An X.509 certificate (DER inside).
#[derive(Clone)]
pub struct Certificate {
    x509: X509,
    der: Vec<u8>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .finish()
    }
}

impl Certificate {
    /// The first `-----BEGIN CERTIFICATE-----` block of `pem` (S031 when there is none or it
    /// does not decode; spans point into `pem`).
    pub fn from_pem(pem: &str) -> Result<Certificate, Diagnostic> {
        let block = find_block(
            pem,
            &["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"],
        )
        .ok_or_else(|| no_block(pem, "a certificate", "-----BEGIN CERTIFICATE-----"))?;
        let x509 = X509::from_pem(&pem.as_bytes()[block.start..]).map_err(|_| {
            bad_block(
                block.span,
                "the certificate block does not decode to an X.509 certificate",
            )
        })?;
        Certificate::from_x509(x509)
            .map_err(|_| bad_block(block.span, "the certificate cannot be re-encoded as DER"))
    }

    /// The base64 of a DER certificate, as IdP metadata's and a response's
    /// `<ds:X509Certificate>` hold it (whitespace and line breaks ignored; S031 otherwise).
    pub fn from_base64_der(text: &str) -> Result<Certificate, Diagnostic> {
        let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let whole = Span::new(0, text.len());
        let der = openssl::base64::decode_block(&compact)
            .map_err(|_| bad_block(whole, "the certificate's base64 does not decode"))?;
        let x509 = X509::from_der(&der)
            .map_err(|_| bad_block(whole, "the base64 does not decode to an X.509 certificate"))?;
        Ok(Certificate { x509, der })
    }

    fn from_x509(x509: X509) -> Result<Certificate, openssl::error::ErrorStack> {
        let der = x509.to_der()?;
        Ok(Certificate { x509, der })
    }

    /// The DER bytes.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The DER in base64 without line breaks.
    pub fn to_base64(&self) -> String {
        openssl::base64::encode_block(&self.der)
    }

    /// The certificate as a PEM block, lines of 64 characters, ending with a newline.
    pub fn to_pem(&self) -> String {
        let b64 = self.to_base64();
        let mut pem = String::with_capacity(b64.len() + b64.len() / 64 + 60);
        pem.push_str("-----BEGIN CERTIFICATE-----\n");
        for line in b64.as_bytes().chunks(64) {
            // base64 is ASCII.
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END CERTIFICATE-----\n");
        pem
    }

    /// The subject's distinguished name, `CN=…, O=…`, for messages.
    pub fn subject(&self) -> String {
        self.x509
            .subject_name()
            .entries()
            .map(|e| {
                let key = e.object().nid().short_name().unwrap_or("?");
                let value = e.data().to_string().unwrap_or_else(|_| "?".to_owned());
                format!("{key}={value}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An RSA private key and its certificate, checked to be a pair.
pub struct SigningKey {
    key: PKey<Private>,
    certificate: Certificate,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key itself.
        f.debug_struct("SigningKey")
            .field("bits", &self.key.bits())
            .field("certificate", &self.certificate)
            .finish()
    }
}

impl SigningKey {
    /// Reads a PEM private key (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`) and a PEM
    /// certificate and pairs them. Errors: S031 (no block, or it does not decode), S032 (the key
    /// is encrypted), S033 (not RSA, or shorter than [`MIN_RSA_BITS`]) with spans into the
    /// text they are about, which [`KeyError::file`] names; S034 when the certificate is
    /// another key's.
    pub fn from_pem(key_pem: &str, cert_pem: &str) -> Result<SigningKey, KeyError> {
        let key = private_key(key_pem).map_err(|d| KeyError::new(KeyFile::Key, d))?;
        let certificate =
            Certificate::from_pem(cert_pem).map_err(|d| KeyError::new(KeyFile::Certificate, d))?;
        SigningKey::pair(key, certificate).map_err(|d| {
            let at = find_block(cert_pem, &["CERTIFICATE", "X509 CERTIFICATE"])
                .map(|b| b.span)
                .unwrap_or_default();
            KeyError::new(
                KeyFile::Certificate,
                d.at_labelled(at, "this certificate is not the key's"),
            )
        })
    }

    fn pair(key: PKey<Private>, certificate: Certificate) -> Result<SigningKey, Diagnostic> {
        let matches = certificate
            .x509
            .public_key()
            .is_ok_and(|public| public.public_eq(&key));
        if !matches {
            return Err(Diagnostic::new(
                Code::KeyCertificateMismatch,
                format!(
                    "the certificate ({}) holds another key's public key, not the private key's",
                    certificate.subject()
                ),
            )
            .with_help(
                "give the certificate of this key: `openssl x509 -noout -pubkey -in CERT.pem` and `openssl pkey -pubout -in KEY.pem` must print the same key",
            ));
        }
        Ok(SigningKey { key, certificate })
    }

    /// A new RSA-2048 key and a self-signed certificate for it (subject and issuer
    /// `CN=<common_name>`, SHA-256, valid for [`EPHEMERAL_DAYS`] from now, random serial), for a
    /// run without `--key`. S036 if OpenSSL fails.
    pub fn ephemeral(common_name: &str) -> Result<SigningKey, Diagnostic> {
        let failed = |e: openssl::error::ErrorStack| {
            Diagnostic::new(
                Code::SigningFailed,
                format!("OpenSSL could not generate a key for the run: {e}"),
            )
            .with_help("give a key and its certificate with --key and --cert instead")
        };
        let key = PKey::from_rsa(Rsa::generate(2048).map_err(failed)?).map_err(failed)?;
        let x509 = self_signed(&key, common_name).map_err(failed)?;
        let certificate = Certificate::from_x509(x509).map_err(failed)?;
        Ok(SigningKey { key, certificate })
    }

    /// The certificate, which the signatures' `<ds:KeyInfo>` carries.
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// The key's size in bits.
    pub fn bits(&self) -> u32 {
        self.key.bits()
    }

    /// The private key as DER (PKCS#1 for RSA), the form libxmlsec loads.
    pub(crate) fn private_der(&self) -> Result<Vec<u8>, openssl::error::ErrorStack> {
        self.key.private_key_to_der()
    }
}

/// Which of the two PEM inputs a [`KeyError`] is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFile {
    /// The private key (`--key`).
    Key,
    /// The certificate (`--cert`).
    Certificate,
}

/// Why [`SigningKey::from_pem`] failed, and which input the diagnostic's spans point into.
#[derive(Clone, Debug)]
pub struct KeyError {
    pub file: KeyFile,
    pub diagnostic: Diagnostic,
}

impl KeyError {
    fn new(file: KeyFile, diagnostic: Diagnostic) -> KeyError {
        KeyError { file, diagnostic }
    }
}

/// Reads a PEM file (a key or a certificate): S030 when it cannot be read, is a directory, is
/// larger than [`MAX_PEM_BYTES`] or is not UTF-8. `what` names it in the message (`the key`).
pub fn read_pem_file(what: &str, path: &Path) -> Result<String, Diagnostic> {
    let shown = path.display();
    let unreadable = |why: String| {
        Diagnostic::new(
            Code::UnreadableKeyFile,
            format!("cannot read {what} `{shown}`: {why}"),
        )
        .with_help("check the path; --key takes a PEM private key and --cert its PEM certificate")
    };
    let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
    if meta.is_dir() {
        return Err(unreadable("it is a directory".into()));
    }
    if meta.len() > MAX_PEM_BYTES {
        return Err(unreadable(format!(
            "it is {} bytes, more than a PEM file's {MAX_PEM_BYTES}",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(e.to_string()))?;
    String::from_utf8(bytes).map_err(|_| {
        unreadable("it is not text (a DER file? convert it to PEM with `openssl x509 -inform der` or `openssl pkey -inform der`)".into())
    })
}

/// Reads a private key from PEM, refusing what cannot sign a Salesforce-like response.
pub(crate) fn private_key(pem: &str) -> Result<PKey<Private>, Diagnostic> {
    if let Some(block) = find_block(pem, &["ENCRYPTED PRIVATE KEY"]).or_else(|| {
        // A PKCS#1 key encrypted the old way keeps its label and says so in a header.
        find_block(pem, &["RSA PRIVATE KEY"]).filter(|b| {
            pem[b.start..]
                .lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("Proc-Type: 4,ENCRYPTED"))
        })
    }) {
        return Err(Diagnostic::new(
            Code::EncryptedKey,
            "the private key is encrypted with a passphrase",
        )
        .at_labelled(block.span, "a passphrase-protected key")
        .with_help(
            "write an unencrypted copy for the run: `openssl pkey -in KEY.pem -out key-plain.pem`",
        ));
    }
    let block = find_block(
        pem,
        &[
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "DSA PRIVATE KEY",
        ],
    )
    .ok_or_else(|| no_block(pem, "a private key", "-----BEGIN PRIVATE KEY-----"))?;
    // A callback that gives no passphrase: OpenSSL never prompts on the terminal.
    let key = PKey::private_key_from_pem_callback(&pem.as_bytes()[block.start..], |_| Ok(0))
        .map_err(|_| bad_block(block.span, "the key block does not decode to a private key"))?;
    let kind = match key.id() {
        Id::RSA => None,
        Id::EC => Some("an elliptic-curve key"),
        Id::ED25519 => Some("an Ed25519 key"),
        Id::DSA => Some("a DSA key"),
        _ => Some("a key of a type other than RSA"),
    };
    if let Some(kind) = kind {
        return Err(Diagnostic::new(
            Code::UnsupportedKey,
            format!("the private key is {kind}; Salesforce signs SAML responses with RSA"),
        )
        .at_labelled(block.span, kind)
        .with_help("use an RSA key of 2,048 bits: `openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj /CN=test`"));
    }
    if key.bits() < MIN_RSA_BITS {
        return Err(Diagnostic::new(
            Code::UnsupportedKey,
            format!(
                "the RSA key has {} bits; AWS refuses certificates of keys shorter than {MIN_RSA_BITS}",
                key.bits()
            ),
        )
        .at_labelled(block.span, format!("a {}-bit key", key.bits()))
        .with_help("use an RSA key of 2,048 bits, as Salesforce's certificates have"));
    }
    Ok(key)
}

fn self_signed(key: &PKey<Private>, common_name: &str) -> Result<X509, openssl::error::ErrorStack> {
    let mut name = X509NameBuilder::new()?;
    // A CN is at most 64 characters; an issuer URL may be longer.
    let cn: String = common_name.chars().take(64).collect();
    let cn = if cn.is_empty() {
        "samlfx".to_owned()
    } else {
        cn
    };
    name.append_entry_by_text("CN", &cn)?;
    name.append_entry_by_text("O", "samlfx simulate (ephemeral test key)")?;
    let name = name.build();
    let mut serial = BigNum::new()?;
    serial.rand(127, openssl::bn::MsbOption::MAYBE_ZERO, false)?;
    let mut builder = X509::builder()?;
    builder.set_version(2)?;
    builder.set_serial_number(Asn1Integer::from_bn(&serial)?.as_ref())?;
    builder.set_subject_name(&name)?;
    builder.set_issuer_name(&name)?;
    builder.set_pubkey(key)?;
    builder.set_not_before(Asn1Time::days_from_now(0)?.as_ref())?;
    builder.set_not_after(Asn1Time::days_from_now(EPHEMERAL_DAYS)?.as_ref())?;
    builder.sign(key, MessageDigest::sha256())?;
    Ok(builder.build())
}

/// A PEM block found in a text: where its `-----BEGIN` starts, and the span of that line.
struct Block {
    start: usize,
    span: Span,
}

/// The first `-----BEGIN <label>-----` line for one of `labels`.
fn find_block(text: &str, labels: &[&str]) -> Option<Block> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if let Some(label) = trimmed
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
            && labels.contains(&label)
        {
            return Some(Block {
                start: at,
                span: Span::new(at, at + trimmed.len()),
            });
        }
        at += line.len();
    }
    None
}

/// S031 for a text without the expected block; names the block it has, if any.
fn no_block(text: &str, expected: &str, begin: &str) -> Diagnostic {
    let first = text.lines().find_map(|l| {
        l.trim()
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
    });
    let (message, span) = match first {
        Some(label) => {
            let at = text.find("-----BEGIN ").unwrap_or(0);
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            (
                format!("expected {expected}, but the file holds a `{label}` block"),
                Span::new(at, text[..end].trim_end().len()),
            )
        }
        None => (
            format!("expected {expected} in PEM, but the file holds no PEM block"),
            Span::new(0, text.lines().next().map_or(0, str::len)),
        ),
    };
    Diagnostic::new(Code::InvalidPem, message)
        .at(span)
        .with_help(format!("a PEM file starts with a line like `{begin}`"))
}

/// S031 for a block that does not decode. OpenSSL's own error text (source files and line
/// numbers of OpenSSL) is left out: it says nothing more to the user.
fn bad_block(span: Span, message: &str) -> Diagnostic {
    Diagnostic::new(Code::InvalidPem, message)
        .at_labelled(span, "this block")
        .with_help("the base64 between the BEGIN and END lines is damaged or holds something else; export the file again")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIR: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/simulate/"
    );

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{DIR}{name}")).unwrap()
    }

    #[test]
    fn a_key_and_its_certificate_pair() {
        let key =
            SigningKey::from_pem(&fixture("test-key.pem"), &fixture("test-cert.pem")).unwrap();
        assert_eq!(key.bits(), 2048);
        assert!(key.certificate().subject().contains("CN=samlfx test key"));
        // PEM out, PEM in, base64 in: the same DER.
        let cert = key.certificate();
        let again = Certificate::from_pem(&cert.to_pem()).unwrap();
        assert_eq!(again.der(), cert.der());
        let wrapped: String = cert
            .to_base64()
            .as_bytes()
            .chunks(76)
            .map(|l| format!("  {}\n", String::from_utf8_lossy(l)))
            .collect();
        assert_eq!(
            Certificate::from_base64_der(&wrapped).unwrap().der(),
            cert.der()
        );
    }

    #[test]
    fn a_pkcs1_key_reads_too() {
        let pkcs8 = PKey::private_key_from_pem(fixture("test-key.pem").as_bytes()).unwrap();
        let pkcs1 = String::from_utf8(pkcs8.rsa().unwrap().private_key_to_pem().unwrap()).unwrap();
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        SigningKey::from_pem(&pkcs1, &fixture("test-cert.pem")).unwrap();
    }

    #[test]
    fn another_key_s_certificate_is_s034_at_the_certificate() {
        let e =
            SigningKey::from_pem(&fixture("test-key.pem"), &fixture("other-cert.pem")).unwrap_err();
        assert_eq!(e.file, KeyFile::Certificate);
        assert_eq!(e.diagnostic.code, Code::KeyCertificateMismatch);
        assert_eq!(e.diagnostic.span, Some(Span::new(0, 27)));
    }

    #[test]
    fn wrong_files_are_s031_pointing_at_what_they_hold() {
        let cert = fixture("test-cert.pem");
        // The certificate given as the key: its BEGIN line.
        let e = SigningKey::from_pem(&cert, &cert).unwrap_err();
        assert_eq!(
            (e.file, e.diagnostic.code),
            (KeyFile::Key, Code::InvalidPem)
        );
        assert!(
            e.diagnostic.message.contains("`CERTIFICATE` block"),
            "{}",
            e.diagnostic.message
        );
        assert_eq!(e.diagnostic.span, Some(Span::new(0, 27)));
        // No PEM at all: the first line.
        let d = Certificate::from_pem("<md:EntityDescriptor/>\nmore").unwrap_err();
        assert_eq!((d.code, d.span), (Code::InvalidPem, Some(Span::new(0, 22))));
        // A block after other text: its own line.
        let text = format!("Bag Attributes\n{cert}");
        let e = SigningKey::from_pem(&fixture("test-key.pem"), &text);
        assert!(e.is_ok());
        let broken = "junk\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let d = Certificate::from_pem(broken).unwrap_err();
        assert_eq!((d.code, d.span), (Code::InvalidPem, Some(Span::new(5, 32))));
        assert_eq!(
            Certificate::from_base64_der("not base64!")
                .unwrap_err()
                .code,
            Code::InvalidPem
        );
    }

    #[test]
    fn short_keys_are_s033() {
        let short = PKey::from_rsa(Rsa::generate(512).unwrap()).unwrap();
        let pem = String::from_utf8(short.private_key_to_pem_pkcs8().unwrap()).unwrap();
        let d = private_key(&pem).unwrap_err();
        assert_eq!(d.code, Code::UnsupportedKey);
        assert!(d.message.contains("512 bits"), "{}", d.message);
    }

    #[test]
    fn an_ephemeral_key_is_rsa_2048_with_its_own_certificate() {
        let key = SigningKey::ephemeral("https://acme.my.salesforce.com").unwrap();
        assert_eq!(key.bits(), 2048);
        assert!(
            key.certificate()
                .subject()
                .starts_with("CN=https://acme.my.salesforce.com")
        );
        let pem = key.certificate().to_pem();
        let public = X509::from_pem(pem.as_bytes())
            .unwrap()
            .public_key()
            .unwrap();
        assert!(public.public_eq(&key.key));
        // A long issuer is cut to a CN's 64 characters rather than refused.
        let long = "https://".to_owned() + &"x".repeat(100);
        assert!(SigningKey::ephemeral(&long).is_ok());
    }

    #[test]
    fn unreadable_files_are_s030() {
        for path in ["/nonexistent/key.pem", DIR] {
            let d = read_pem_file("the key", Path::new(path)).unwrap_err();
            assert_eq!(d.code, Code::UnreadableKeyFile, "{path}");
        }
    }
}
