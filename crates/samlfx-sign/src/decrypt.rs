//! Decrypting an `<saml:EncryptedAssertion>` with the service provider's private key, as AWS
//! does with the key uploaded to the IAM SAML provider: the content key is unwrapped with RSA
//! (`xmlenc#rsa-oaep-mgf1p`, `xmlenc#rsa-1_5`), then the assertion is decrypted with AES-CBC
//! (`xmlenc#aes128-cbc`, `aes192-cbc`, `aes256-cbc`), AES-GCM (`xmlenc11#aes128-gcm`,
//! `aes256-gcm`) or 3DES (`xmlenc#tripledes-cbc`), the algorithms XML Encryption names.
// A key that cannot be read is one Diagnostic, once per run: not a hot path.
#![allow(clippy::result_large_err)]

use base64::Engine as _;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Padding;
use openssl::symm::{Cipher, Crypter, Mode};
use samlfx_app::xml::Element;
use samlfx_diag::Diagnostic;

/// Decrypts with one RSA private key.
pub struct KeyDecryptor {
    key: PKey<Private>,
}

impl KeyDecryptor {
    /// The private key of a PEM file (unencrypted PKCS#8 or PKCS#1, RSA).
    pub fn from_pem(pem: &str) -> Result<KeyDecryptor, Diagnostic> {
        Ok(KeyDecryptor {
            key: crate::keys::private_key(pem)?,
        })
    }
}

impl samlfx_saml::inspect::Decryptor for KeyDecryptor {
    fn decrypt(&self, encrypted_assertion: &str) -> Result<String, String> {
        let mut diags = Vec::new();
        let root = samlfx_app::xml::parse(encrypted_assertion, &mut diags)
            .ok_or_else(|| "the EncryptedAssertion is not well-formed XML".to_owned())?;
        let data = child(&root, "EncryptedData").ok_or("no <xenc:EncryptedData>")?;
        let data_method =
            algorithm(data).ok_or("<xenc:EncryptedData> names no EncryptionMethod")?;
        let data_cipher = cipher_value(data).ok_or("<xenc:EncryptedData> has no CipherValue")?;
        // The wrapped key: inside EncryptedData's KeyInfo, or beside EncryptedData.
        let key_el = child(data, "KeyInfo")
            .and_then(|k| child(k, "EncryptedKey"))
            .or_else(|| child(&root, "EncryptedKey"))
            .ok_or("no <xenc:EncryptedKey> holds the content key")?;
        let key_method =
            algorithm(key_el).ok_or("<xenc:EncryptedKey> names no EncryptionMethod")?;
        let wrapped = cipher_value(key_el).ok_or("<xenc:EncryptedKey> has no CipherValue")?;
        let content_key = self.unwrap_key(&wrapped, &key_method)?;
        let plain = decrypt_data(&data_cipher, &data_method, &content_key)?;
        String::from_utf8(plain).map_err(|_| "the decrypted assertion is not UTF-8 text".to_owned())
    }
}

impl KeyDecryptor {
    fn unwrap_key(&self, wrapped: &[u8], method: &str) -> Result<Vec<u8>, String> {
        let padding = match method {
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p" => Padding::PKCS1_OAEP,
            "http://www.w3.org/2001/04/xmlenc#rsa-1_5" => Padding::PKCS1,
            other => {
                return Err(format!(
                    "the key transport algorithm `{other}` is not supported"
                ));
            }
        };
        let rsa = self.key.rsa().map_err(|e| e.to_string())?;
        let mut out = vec![0u8; rsa.size() as usize];
        let n = rsa
            .private_decrypt(wrapped, &mut out, padding)
            .map_err(|_| {
                "the content key does not decrypt with this private key (another SP key?)"
                    .to_owned()
            })?;
        out.truncate(n);
        Ok(out)
    }
}

fn decrypt_data(data: &[u8], method: &str, key: &[u8]) -> Result<Vec<u8>, String> {
    let (cipher, gcm) = match method {
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => (Cipher::aes_128_cbc(), false),
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => (Cipher::aes_192_cbc(), false),
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => (Cipher::aes_256_cbc(), false),
        "http://www.w3.org/2001/04/xmlenc#tripledes-cbc" => (Cipher::des_ede3_cbc(), false),
        "http://www.w3.org/2009/xmlenc11#aes128-gcm" => (Cipher::aes_128_gcm(), true),
        "http://www.w3.org/2009/xmlenc11#aes256-gcm" => (Cipher::aes_256_gcm(), true),
        other => {
            return Err(format!(
                "the data encryption algorithm `{other}` is not supported"
            ));
        }
    };
    if key.len() != cipher.key_len() {
        return Err("the content key has the wrong length for its algorithm".to_owned());
    }
    // XML Encryption puts the IV first; GCM's tag (16 bytes) last.
    let iv_len = if gcm {
        12
    } else {
        cipher.iv_len().unwrap_or(0)
    };
    let tag_len = if gcm { 16 } else { 0 };
    if data.len() < iv_len + tag_len {
        return Err("the encrypted data is shorter than its IV".to_owned());
    }
    let (iv, rest) = data.split_at(iv_len);
    let (body, tag) = rest.split_at(rest.len() - tag_len);
    let fail = |_| "the assertion does not decrypt with the content key".to_owned();
    let mut c = Crypter::new(cipher, Mode::Decrypt, key, Some(iv)).map_err(fail)?;
    // CBC's padding is XML Encryption's (ISO 10126: random bytes, then their count), which
    // OpenSSL's PKCS#7 check would refuse: it is removed here.
    c.pad(false);
    if gcm {
        c.set_tag(tag).map_err(fail)?;
    }
    let mut out = vec![0u8; body.len() + cipher.block_size()];
    let mut n = c.update(body, &mut out).map_err(fail)?;
    n += c.finalize(&mut out[n..]).map_err(fail)?;
    out.truncate(n);
    if !gcm {
        let pad = usize::from(*out.last().ok_or("the decrypted assertion is empty")?);
        if pad == 0 || pad > cipher.block_size() || pad > out.len() {
            return Err(
                "the assertion does not decrypt with the content key (bad padding)".to_owned(),
            );
        }
        out.truncate(out.len() - pad);
    }
    Ok(out)
}

fn child<'a>(el: &'a Element, name: &'a str) -> Option<&'a Element> {
    el.children_named(name).next()
}

fn algorithm(el: &Element) -> Option<String> {
    child(el, "EncryptionMethod")
        .and_then(|m| m.attribute("Algorithm"))
        .map(|a| a.value.value.trim().to_owned())
}

fn cipher_value(el: &Element) -> Option<Vec<u8>> {
    let text = &child(child(el, "CipherData")?, "CipherValue")?.text.value;
    let compact: String = text.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}
