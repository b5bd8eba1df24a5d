//! Writes the SAML Response a Salesforce app would send, laid out as Salesforce's identity
//! provider lays it out (read from a real response, `samples/salesforce-idp-response`):
//!
//! - prefixes `samlp:` and `saml:`; `xmlns:samlp` on the Response, `xmlns:saml` on its Issuer
//!   and on the Assertion, `xmlns:xs`/`xmlns:xsi` on every AttributeValue;
//! - an Issuer with Format `…nameid-format:entity` on the Response and on the Assertion, each
//!   followed by its enveloped `<ds:Signature>` (exclusive C14N, with an `InclusiveNamespaces`
//!   PrefixList of `ds saml samlp xs xsi` on the Response and `ds saml xs xsi` on the Assertion);
//! - `Status` Success; a Subject with the NameID and one bearer SubjectConfirmation whose
//!   NotOnOrAfter is [`VALIDITY`] after the issue instant and whose Recipient is the ACS URL;
//!   Conditions from [`SKEW`] before the issue instant to NotOnOrAfter, the Entity ID as the
//!   only Audience; an AuthnStatement; the attributes, each with NameFormat
//!   `…attrname-format:unspecified` and values typed `xs:anyType`;
//! - timestamps in UTC with milliseconds (`2026-01-01T00:00:00.000Z`); no InResponseTo, since a
//!   sign-in to AWS starts at the identity provider.
//!
//! The signatures are templates: SignedInfo with the algorithms and the reference to the signed
//! element's `ID`, an empty DigestValue and SignatureValue, and the certificate in KeyInfo.
//! `samlfx-sign` fills them, the Assertion's first ([`Response::assertion_xml`], signed alone)
//! and then the Response's ([`Response::response_xml`] around the signed assertion).
//!
//! Every value (issuer, URLs, NameID, attribute names and values) is escaped, so the document is
//! well-formed whatever the formulas produce: `&`, `<`, `>` as entities, and in attribute values
//! also `"`, tab and line breaks as character references (so a parser gives them back rather
//! than normalising them to spaces); a carriage return as `&#13;` everywhere. Characters XML 1.0
//! cannot carry at all (control characters other than tab, line feed and carriage return, and
//! U+FFFE, U+FFFF) are written as U+FFFD, the replacement character; [`check_characters`] says
//! so (S037).

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use samlfx_diag::{Code, Diagnostic, Span};

/// The SAML 2.0 protocol namespace (`samlp:`).
pub const PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// The SAML 2.0 assertion namespace (`saml:`).
pub const ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// XML-DSig (`ds:`).
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// Exclusive XML canonicalization, without comments.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The Issuer's format.
pub const ENTITY_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity";
/// The attributes' NameFormat.
pub const UNSPECIFIED_NAME_FORMAT: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified";
/// The SubjectConfirmation method.
pub const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
/// The top-level status code.
pub const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
/// The AuthnContextClassRef Salesforce sends.
pub const AUTHN_CONTEXT_UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified";

/// How long after its issue instant the assertion may be used (SubjectConfirmationData's and
/// Conditions' NotOnOrAfter): Salesforce's five minutes.
pub const VALIDITY: Duration = Duration::minutes(5);
/// How long before its issue instant the assertion is valid (Conditions' NotBefore), for clock
/// skew: Salesforce's 30 seconds.
pub const SKEW: Duration = Duration::seconds(30);

/// The signature algorithm, with its digest: what the app's `samlSigningAlgoType` says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Algorithm {
    /// RSA-SHA256 with a SHA-256 digest; Salesforce's default.
    #[default]
    RsaSha256,
    /// RSA-SHA1 with a SHA-1 digest.
    RsaSha1,
}

impl Algorithm {
    /// SignatureMethod's Algorithm.
    pub fn signature_uri(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            Algorithm::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        }
    }

    /// DigestMethod's Algorithm.
    pub fn digest_uri(self) -> &'static str {
        match self {
            Algorithm::RsaSha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            Algorithm::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
        }
    }
}

/// What a `<ds:Signature>` template needs: the algorithm and the signing certificate.
#[derive(Clone, Copy, Debug)]
pub struct Template<'a> {
    pub algorithm: Algorithm,
    /// The certificate's DER in base64 (line breaks allowed; they are redone at 76 columns, as
    /// Salesforce writes them).
    pub certificate_base64: &'a str,
}

/// The subject's NameID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameId {
    /// The Format URN (`urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`).
    pub format: String,
    pub value: String,
}

/// One attribute: its name and its values, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub values: Vec<String>,
}

impl Attribute {
    /// An attribute with one value, as a Salesforce custom attribute has.
    pub fn single(name: impl Into<String>, value: impl Into<String>) -> Attribute {
        Attribute {
            name: name.into(),
            values: vec![value.into()],
        }
    }
}

/// Everything a simulated Response says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The Response's `ID` (an XML name: starts with a letter or `_`).
    pub response_id: String,
    /// The Assertion's `ID`.
    pub assertion_id: String,
    /// When it is issued; every timestamp derives from it.
    pub issue_instant: DateTime<Utc>,
    /// The Issuer of the Response and of the Assertion (the org's My Domain URL by default).
    pub issuer: String,
    /// The ACS URL: the Response's Destination and the SubjectConfirmation's Recipient.
    pub destination: String,
    /// The Entity ID: the only Audience.
    pub audience: String,
    pub name_id: NameId,
    /// The attributes, in order (Salesforce's default ones, then the app's custom ones).
    pub attributes: Vec<Attribute>,
}

impl Response {
    /// The Assertion element alone (no XML declaration), with a signature template after its
    /// Issuer when `template` is given: what is signed first.
    pub fn assertion_xml(&self, template: Option<&Template<'_>>) -> String {
        let mut w = String::with_capacity(4096);
        let now = instant(self.issue_instant);
        let until = instant(self.issue_instant + VALIDITY);
        w.push_str("<saml:Assertion xmlns:saml=\"");
        w.push_str(ASSERTION_NS);
        w.push('"');
        attr(&mut w, "ID", &self.assertion_id);
        attr(&mut w, "IssueInstant", &now);
        w.push_str(" Version=\"2.0\">");
        w.push_str("<saml:Issuer");
        attr(&mut w, "Format", ENTITY_FORMAT);
        w.push('>');
        text(&mut w, &self.issuer);
        w.push_str("</saml:Issuer>");
        if let Some(t) = template {
            signature(&mut w, t, &self.assertion_id, "ds saml xs xsi");
        }
        w.push_str("<saml:Subject><saml:NameID");
        attr(&mut w, "Format", &self.name_id.format);
        w.push('>');
        text(&mut w, &self.name_id.value);
        w.push_str("</saml:NameID><saml:SubjectConfirmation");
        attr(&mut w, "Method", BEARER);
        w.push_str("><saml:SubjectConfirmationData");
        attr(&mut w, "NotOnOrAfter", &until);
        attr(&mut w, "Recipient", &self.destination);
        w.push_str("/></saml:SubjectConfirmation></saml:Subject>");
        w.push_str("<saml:Conditions");
        attr(&mut w, "NotBefore", &instant(self.issue_instant - SKEW));
        attr(&mut w, "NotOnOrAfter", &until);
        w.push_str("><saml:AudienceRestriction><saml:Audience>");
        text(&mut w, &self.audience);
        w.push_str("</saml:Audience></saml:AudienceRestriction></saml:Conditions>");
        w.push_str("<saml:AuthnStatement");
        attr(&mut w, "AuthnInstant", &now);
        w.push_str("><saml:AuthnContext><saml:AuthnContextClassRef>");
        w.push_str(AUTHN_CONTEXT_UNSPECIFIED);
        w.push_str("</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>");
        if !self.attributes.is_empty() {
            w.push_str("<saml:AttributeStatement>");
            for a in &self.attributes {
                w.push_str("<saml:Attribute");
                attr(&mut w, "Name", &a.name);
                attr(&mut w, "NameFormat", UNSPECIFIED_NAME_FORMAT);
                w.push('>');
                for v in &a.values {
                    w.push_str(
                        "<saml:AttributeValue xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
                         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:anyType\">",
                    );
                    text(&mut w, v);
                    w.push_str("</saml:AttributeValue>");
                }
                w.push_str("</saml:Attribute>");
            }
            w.push_str("</saml:AttributeStatement>");
        }
        w.push_str("</saml:Assertion>");
        w
    }

    /// The whole document (XML declaration, Response) around `assertion`, which is written
    /// verbatim (the output of [`assertion_xml`](Self::assertion_xml), signed or not), with a
    /// signature template after the Response's Issuer when `template` is given.
    pub fn response_xml(&self, assertion: &str, template: Option<&Template<'_>>) -> String {
        let mut w = String::with_capacity(assertion.len() + 4096);
        w.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        w.push_str("<samlp:Response xmlns:samlp=\"");
        w.push_str(PROTOCOL_NS);
        w.push('"');
        attr(&mut w, "Destination", &self.destination);
        attr(&mut w, "ID", &self.response_id);
        attr(&mut w, "IssueInstant", &instant(self.issue_instant));
        w.push_str(" Version=\"2.0\">");
        w.push_str("<saml:Issuer xmlns:saml=\"");
        w.push_str(ASSERTION_NS);
        w.push('"');
        attr(&mut w, "Format", ENTITY_FORMAT);
        w.push('>');
        text(&mut w, &self.issuer);
        w.push_str("</saml:Issuer>");
        if let Some(t) = template {
            signature(&mut w, t, &self.response_id, "ds saml samlp xs xsi");
        }
        w.push_str("<samlp:Status><samlp:StatusCode");
        attr(&mut w, "Value", SUCCESS);
        w.push_str("/></samlp:Status>");
        w.push_str(assertion);
        w.push_str("</samlp:Response>");
        w
    }

    /// The whole document without signatures.
    pub fn unsigned_xml(&self) -> String {
        self.response_xml(&self.assertion_xml(None), None)
    }
}

/// An instant as Salesforce writes it: UTC, milliseconds, `Z`.
pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads `--now`: an RFC 3339 date and time with an offset, kept to the millisecond (the
/// precision the response carries). S035 otherwise, its span the whole text.
// One Diagnostic, by the shared API's design; called once per run.
#[allow(clippy::result_large_err)]
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, Diagnostic> {
    let t = DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        Diagnostic::new(
            Code::InvalidInstant,
            format!("`{text}` is not an RFC 3339 date and time ({e})"),
        )
        .at_labelled(Span::new(0, text.len()), "expected like 2026-01-01T00:00:00Z")
        .with_help("write the date, `T`, the time and a zone: `2026-01-01T00:00:00Z` or `2026-01-01T09:30:00+09:00`")
    })?;
    let t = t.with_timezone(&Utc);
    let millis = t.timestamp_millis();
    Ok(DateTime::from_timestamp_millis(millis).unwrap_or(t))
}

/// The byte offset of the first character of `s` that XML 1.0 cannot carry, if any.
pub fn unrepresentable(s: &str) -> Option<usize> {
    s.char_indices()
        .find(|&(_, c)| !is_xml_char(c))
        .map(|(i, _)| i)
}

/// S037 (a warning) for a value holding characters XML cannot carry, which the response
/// writes as U+FFFD; its labels point at each such character in `value`. `what` names the
/// value in the message (`the NameID`, an attribute's name).
pub fn check_characters(what: &str, value: &str) -> Option<Diagnostic> {
    let bad: Vec<(usize, char)> = value
        .char_indices()
        .filter(|&(_, c)| !is_xml_char(c))
        .collect();
    let (&(first, c), rest) = bad.split_first()?;
    let at = |i: usize, c: char| Span::new(i, i + c.len_utf8());
    let name = |c: char| format!("U+{:04X}", u32::from(c));
    let mut d = Diagnostic::new(
        Code::UnrepresentableCharacter,
        format!("{what} holds characters XML cannot carry; the response has U+FFFD in their place"),
    )
    .at_labelled(at(first, c), name(c))
    .with_help("clean the user's field, or remove the character in the formula with SUBSTITUTE()");
    for &(i, c) in rest {
        d = d.with_label(at(i, c), name(c));
    }
    Some(d)
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Text content, escaped.
fn text(w: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => w.push_str("&amp;"),
            '<' => w.push_str("&lt;"),
            '>' => w.push_str("&gt;"),
            '\r' => w.push_str("&#13;"),
            c if !is_xml_char(c) => w.push('\u{FFFD}'),
            c => w.push(c),
        }
    }
}

/// ` name="value"`, the value escaped.
fn attr(w: &mut String, name: &str, value: &str) {
    w.push(' ');
    w.push_str(name);
    w.push_str("=\"");
    for c in value.chars() {
        match c {
            '&' => w.push_str("&amp;"),
            '<' => w.push_str("&lt;"),
            '>' => w.push_str("&gt;"),
            '"' => w.push_str("&quot;"),
            '\t' => w.push_str("&#9;"),
            '\n' => w.push_str("&#10;"),
            '\r' => w.push_str("&#13;"),
            c if !is_xml_char(c) => w.push('\u{FFFD}'),
            c => w.push(c),
        }
    }
    w.push('"');
}

/// A `<ds:Signature>` template referencing `#id`, laid out as Salesforce's (a line break
/// between the SignedInfo's children).
fn signature(w: &mut String, t: &Template<'_>, id: &str, prefixes: &str) {
    w.push_str("<ds:Signature xmlns:ds=\"");
    w.push_str(DSIG_NS);
    w.push_str("\">\n<ds:SignedInfo>\n<ds:CanonicalizationMethod");
    attr(w, "Algorithm", EXC_C14N);
    w.push_str("/>\n<ds:SignatureMethod");
    attr(w, "Algorithm", t.algorithm.signature_uri());
    w.push_str("/>\n<ds:Reference");
    attr(w, "URI", &format!("#{id}"));
    w.push_str(">\n<ds:Transforms>\n<ds:Transform");
    attr(
        w,
        "Algorithm",
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    );
    w.push_str("/>\n<ds:Transform");
    attr(w, "Algorithm", EXC_C14N);
    w.push_str("><ec:InclusiveNamespaces xmlns:ec=\"");
    w.push_str(EXC_C14N);
    w.push('"');
    attr(w, "PrefixList", prefixes);
    w.push_str("/></ds:Transform>\n</ds:Transforms>\n<ds:DigestMethod");
    attr(w, "Algorithm", t.algorithm.digest_uri());
    w.push_str("/>\n<ds:DigestValue></ds:DigestValue>\n</ds:Reference>\n</ds:SignedInfo>\n");
    w.push_str("<ds:SignatureValue></ds:SignatureValue>\n");
    w.push_str("<ds:KeyInfo><ds:X509Data><ds:X509Certificate>");
    let b64: String = t
        .certificate_base64
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    for (i, line) in b64.as_bytes().chunks(76).enumerate() {
        if i > 0 {
            w.push('\n');
        }
        // Filtered to ASCII above.
        w.push_str(&String::from_utf8_lossy(line));
    }
    w.push_str("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>");
}

#[cfg(test)]
mod tests;
