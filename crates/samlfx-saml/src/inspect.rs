//! A captured response checked as AWS checks it: structure, issuer, subject, recipient and
//! audience, the time window and the five-minute redemption limit STS is reported to enforce, the
//! signatures and what each
//! covers, and the attribute rule pack `samlfx check` runs on formulas. Every finding points at
//! bytes of the decoded XML.

use chrono::{DateTime, Duration, Utc};
use samlfx_aws::endpoint;
use samlfx_aws::profile::{Profile, VOICE_PROVIDERS};
use samlfx_aws::rules::{Place, check_attributes};
use samlfx_diag::{Code, Diagnostic, Severity, Span};

use crate::decode::is_aws_signin;
use crate::response::{self, Assertion, Instant, Response, Signature, Value};

/// Verifies signatures; `samlfx-sign` implements it over libxmlsec1, so that this crate stays
/// free of C.
/// Decrypts an `<saml:EncryptedAssertion>` (its whole element text) into the assertion's XML,
/// with the service provider's key (samlfx-sign has the implementation); `Err` says why not.
pub trait Decryptor {
    fn decrypt(&self, encrypted_assertion: &str) -> Result<String, String>;
}

pub trait Verifier {
    /// Verifies the first `<ds:Signature>` of `xml` in document order against the IdP's
    /// certificate; `Err` holds the reason.
    fn verify_first(&self, xml: &str) -> Result<(), String>;
}

/// What a check knows beyond the response.
pub struct Options<'a> {
    /// The time of the check (`--now`).
    pub now: DateTime<Utc>,
    /// `None`: Amazon Connect's rules when a Role value names Service Cloud Voice's provider or
    /// the RelayState is an Amazon Connect federation URL, else AWS's.
    pub profile: Option<Profile>,
    pub verifier: Option<&'a dyn Verifier>,
    /// The service provider's key (`--sp-key`): an encrypted assertion is decrypted into the
    /// document and checked like any other.
    pub decryptor: Option<&'a dyn Decryptor>,
    /// The IdP metadata's `entityID`.
    pub expected_issuer: Option<String>,
    /// Audiences beyond AWS's own that are right (the app's Entity ID).
    pub expected_audiences: Vec<String>,
    pub relay_state: Option<String>,
}

impl Options<'_> {
    pub fn at(now: DateTime<Utc>) -> Self {
        Options {
            now,
            profile: None,
            verifier: None,
            decryptor: None,
            expected_issuer: None,
            expected_audiences: Vec::new(),
            relay_state: None,
        }
    }
}

/// What one signature covers, and whether it verified.
#[derive(Clone, Debug)]
pub struct SignatureCheck {
    /// The signature element.
    pub span: Span,
    /// The local name of the element it references (`Response`, `Assertion`) and its span,
    /// when the reference is unambiguous.
    pub covers: Option<(String, Span)>,
    /// `SignatureMethod/@Algorithm`.
    pub algorithm: Option<String>,
    /// `None` when no certificate was given.
    pub verified: Option<Result<(), String>>,
}

/// A checked response.
#[derive(Clone, Debug)]
pub struct Inspection {
    pub response: Option<Response>,
    pub profile: Profile,
    pub signatures: Vec<SignatureCheck>,
    /// Findings about the response, spans into its XML.
    pub diagnostics: Vec<Diagnostic>,
    /// Findings about [`Options::relay_state`], spans into it.
    pub relay_state: Vec<Diagnostic>,
    /// The XML the response's findings point into when it is not the input: the input with its
    /// encrypted assertion decrypted in place.
    pub document: Option<String>,
}

const SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";
const BEARER: &str = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
/// The NameID formats of AWS's SAML metadata.
const NAME_ID_FORMATS: [&str; 8] = [
    "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
    "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos",
    "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
];
/// AWS's entity ID, the audience its metadata names.
const AWS_AUDIENCE: &str = "urn:amazon:webservices";
/// How far in the future a timestamp may be before it is a finding (clock skew).
const SKEW: i64 = 60;
/// The redemption limit STS is reported to enforce: users of CLI sign-in tools see
/// AssumeRoleWithSAML refuse a response older than this, though AWS's documentation states no such
/// limit and no wording for it.
const REDEEM_WITHIN: i64 = 300;
/// What is known of that limit, without presenting a tool's report as AWS's words.
const REDEMPTION_NOTE: &str = "AWS's documentation does not state this limit; users report AssumeRoleWithSAML refusing such a response with ExpiredTokenException, an error AWS lists for the call";

/// Checks the decoded XML `xml`. With a [`Decryptor`], an encrypted assertion is decrypted in
/// place and the result is checked (see [`Inspection::document`]): its own signature is verified
/// there, and the signatures outside it keep the verdicts they have in the document as posted.
pub fn inspect(xml: &str, opts: &Options) -> Inspection {
    let Some(decryptor) = opts.decryptor else {
        return inspect_document(xml, opts, None);
    };
    let mut scratch = Vec::new();
    let Some(resp) = response::read(xml, &mut scratch) else {
        return inspect_document(xml, opts, None);
    };
    let Some(&element) = resp.encrypted_elements.first() else {
        return inspect_document(xml, opts, None);
    };
    match decryptor.decrypt(&xml[element.start..element.end]) {
        Ok(plain) => {
            let plain = plain.trim_start_matches('\u{feff}').trim();
            let plain = match plain.strip_prefix("<?xml") {
                Some(rest) => rest.split_once("?>").map_or(plain, |(_, r)| r.trim_start()),
                None => plain,
            };
            let document = format!("{}{plain}{}", &xml[..element.start], &xml[element.end..]);
            // The verdicts of the signatures as posted (none lies inside the encrypted element).
            let posted: Vec<Option<Result<(), String>>> =
                signatures(xml, &resp, opts, &mut Vec::new())
                    .into_iter()
                    .map(|c| c.verified)
                    .collect();
            let inside = Span::new(element.start, element.start + plain.len());
            let mut inspection = inspect_document(&document, opts, Some((&posted, inside)));
            if let Some(a) = inspection
                .response
                .as_ref()
                .and_then(|r| r.assertions.iter().find(|a| a.span.start == inside.start))
            {
                inspection.diagnostics.push(
                    Diagnostic::new(
                        Code::EncryptedAssertion,
                        "the assertion was encrypted: it is checked as decrypted with the service provider's key",
                    )
                    .at(a.name_span)
                    .with_help("the findings point into the response with the assertion decrypted in place"),
                );
                inspection
                    .diagnostics
                    .sort_by_key(|d| d.span.map_or((0, 0), |s| (s.start, s.end)));
            }
            inspection.document = Some(document);
            inspection
        }
        Err(why) => {
            let mut inspection = inspect_document(xml, opts, None);
            inspection.diagnostics.push(
                Diagnostic::new(
                    Code::DecryptionFailed,
                    format!("the encrypted assertion does not decrypt with --sp-key: {why}"),
                )
                .at(resp.encrypted[0])
                .with_note("AWS decrypts with the private key uploaded to the IAM SAML provider; a key that does not fit fails the sign-in")
                .with_help("give the private key whose certificate the app encrypts to (the one uploaded to the IAM SAML provider)"),
            );
            inspection
        }
    }
}

/// The verdicts of the signatures of the document as posted, in order, and the span of the
/// assertion decrypted into this one: a signature outside it takes its verdict from the list.
type Posted<'a> = (&'a [Option<Result<(), String>>], Span);

fn inspect_document(xml: &str, opts: &Options, posted: Option<Posted<'_>>) -> Inspection {
    let mut diags = Vec::new();
    let Some(resp) = response::read(xml, &mut diags) else {
        let profile = opts.profile.unwrap_or_default();
        return Inspection {
            response: None,
            profile,
            signatures: Vec::new(),
            diagnostics: diags,
            relay_state: relay_state(opts.relay_state.as_deref(), profile),
            document: None,
        };
    };
    let profile = opts.profile.unwrap_or_else(|| choose_profile(&resp, opts));
    if let Some(status) = &resp.status
        && status.value.trim() != SUCCESS
    {
        diags.push(
            Diagnostic::new(
                Code::StatusNotSuccess,
                format!("the response's status is `{}`, not Success", status.value.trim()),
            )
            .at(status.span())
            .with_help("the IdP did not sign the user in; look at the user's login history in Salesforce Setup"),
        );
    }
    // Parts SAML's schema requires of a Response: without them it is not one AWS reads.
    if resp.status.is_none() {
        diags.push(
            Diagnostic::new(
                Code::NotASamlResponse,
                "the Response has no `<samlp:Status>` with a `<samlp:StatusCode>`",
            )
            .at(resp.name_span)
            .with_note("AWS answers: \"Your request included an invalid SAML response.\"")
            .with_help("a SAML Response says whether the sign-in succeeded: `<samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>`"),
        );
    }
    if resp.id.is_none() {
        diags.push(
            Diagnostic::new(Code::NotASamlResponse, "the Response has no `ID`")
                .at(resp.name_span)
                .with_help("a SAML Response carries a unique `ID` (its signature references it); the IdP writes one"),
        );
    }
    for &e in &resp.encrypted {
        diags.push(
            Diagnostic::new(
                Code::EncryptedAssertion,
                "the assertion is encrypted: its subject, conditions and attributes are not checked",
            )
            .at(e)
            .with_help("IAM then requires the Recipient `https://<region>.signin.aws.amazon.com/saml/acs/<IdP-ID>`; inspect a response captured without encryption, or `samlfx simulate` the app"),
        );
    }
    match resp.assertions.len() {
        0 if resp.encrypted.is_empty() => diags.push(
            Diagnostic::new(Code::AssertionCount, "the response holds no assertion")
                .at(resp.name_span)
                .with_help("AWS signs the user in from the one `<saml:Assertion>` of the response; a response without one is a failed sign-in")
                .with_note("AWS answers: \"Your request included an invalid SAML response.\""),
        ),
        n if n > 1 => {
            let mut d = Diagnostic::new(
                Code::AssertionCount,
                format!("the response holds {n} assertions; AWS reads exactly one"),
            )
            .at_labelled(resp.assertions[1].name_span, "a second assertion");
            d = d.with_label(resp.assertions[0].name_span, "the first");
            diags.push(d.with_help("an assertion beside the IdP's is a sign of signature wrapping; a genuine Salesforce response holds one"));
        }
        _ => {}
    }
    let signatures = signatures_with(xml, &resp, opts, posted, &mut diags);
    for a in &resp.assertions {
        assertion(a, &resp, opts, profile, &mut diags);
    }
    // The Response's IssueInstant speaks only when there is no assertion's to read.
    if resp.assertions.is_empty()
        && let Some(issued) = resp
            .issue_instant
            .as_ref()
            .and_then(|i| i.at.map(|at| (i, at)))
    {
        timing_issue(issued.0, issued.1, opts.now, &mut diags);
    }
    diags.sort_by_key(|d| d.span.map_or((0, 0), |s| (s.start, s.end)));
    Inspection {
        response: Some(resp),
        profile,
        signatures,
        diagnostics: diags,
        relay_state: relay_state(opts.relay_state.as_deref(), profile),
        document: None,
    }
}

/// Amazon Connect's federation URL, for messages.
const CONNECT_FEDERATE: &str =
    "https://<region>.console.aws.amazon.com/connect/federate/<instance id>";

/// S122 for a RelayState that is not an https URL of the AWS console, or, for Amazon Connect
/// (its federation path, or the amazon-connect profile), not Connect's federation URL with a
/// region and a lowercase instance UUID. Spans into `relay`; nothing without a RelayState.
pub fn relay_state(relay: Option<&str>, profile: Profile) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(text) = relay.filter(|r| !r.is_empty()) else {
        return out;
    };
    let help = if profile.connect_rules() || text.contains("/connect/") {
        format!(
            "post Amazon Connect's federation URL, `{CONNECT_FEDERATE}`: Service Cloud Voice builds it from the contact center's reqRelayState"
        )
    } else {
        format!(
            "post the URL of the AWS console page to open, such as `https://console.aws.amazon.com/`, or for Amazon Connect `{CONNECT_FEDERATE}`"
        )
    };
    let mut bad = |span: Span, label: &str, message: String| {
        out.push(
            Diagnostic::new(Code::RelayStateNotConsole, message)
                .at_labelled(span, label.to_owned())
                .with_help(help.clone()),
        );
    };
    let Some(u) = endpoint::split(text) else {
        bad(
            Span::new(0, text.len()),
            "not `https://host/path`",
            format!("the RelayState `{text}` is not a URL"),
        );
        return out;
    };
    if !u.scheme.eq_ignore_ascii_case("https") {
        bad(
            u.scheme_at.clone().into(),
            "not https",
            format!("the RelayState uses `{}`, not https", u.scheme),
        );
    }
    let host = endpoint::console(u.host);
    match &host {
        endpoint::Console::NotConsole => {
            bad(
                u.host_at.clone().into(),
                "not an AWS console host",
                format!(
                    "the RelayState goes to `{}`, not to the AWS console",
                    u.host
                ),
            );
            return out;
        }
        endpoint::Console::BadRegion(region) => bad(
            Span::new(u.host_at.start, u.host_at.start + region.len()),
            "no such region",
            format!("`{region}` is not a region of this console's partition"),
        ),
        _ => {}
    }
    let Some(id) = endpoint::connect_federate_id(u.path) else {
        if profile.connect_rules() {
            bad(
                u.path_at.clone().into(),
                "not `/connect/federate/<instance id>`",
                "the RelayState is not Amazon Connect's federation URL: the agent does not land in Amazon Connect".to_owned(),
            );
        }
        return out;
    };
    if host == endpoint::Console::Global && u.host.eq_ignore_ascii_case("console.aws.amazon.com")
        || host == endpoint::Console::Service
    {
        bad(
            u.host_at.clone().into(),
            "no region",
            "Amazon Connect's federation URL goes to the console of the instance's region"
                .to_owned(),
        );
    }
    if !endpoint::is_lower_uuid(id) {
        let at = u.path_at.end - id.len();
        bad(
            Span::new(at, u.path_at.end),
            "not an instance id",
            format!("the RelayState's Amazon Connect instance id `{id}` is not a lowercase UUID"),
        );
    }
    out
}

fn choose_profile(resp: &Response, opts: &Options) -> Profile {
    let voice_role = resp
        .assertions
        .iter()
        .flat_map(|a| &a.attributes)
        .any(|attr| {
            attr.values
                .iter()
                .any(|v| VOICE_PROVIDERS.iter().any(|p| v.text.value.contains(p)))
        });
    let connect_relay = opts
        .relay_state
        .as_deref()
        .is_some_and(|r| r.contains("/connect/federate/"));
    // As `check` decides an app's scope: a response for AWS is posted to an AWS sign-in URL or
    // carries an attribute under AWS's key prefix; any other gets no AWS rule.
    let aws_key = resp
        .assertions
        .iter()
        .flat_map(|a| &a.attributes)
        .filter_map(|a| a.name.as_ref())
        .any(|n| {
            !matches!(
                samlfx_aws::attribute::lookup(&n.value),
                samlfx_aws::attribute::Lookup::Other
            )
        });
    let aws_destination = resp
        .destination
        .as_ref()
        .is_some_and(|d| is_aws_signin(d.value.trim()));
    if voice_role || connect_relay {
        Profile::AmazonConnect
    } else if aws_key || aws_destination {
        Profile::Aws
    } else {
        Profile::None
    }
}

/// Checks every signature: what it references, its algorithm, whether it verifies; then which
/// assertions no signature covers.
fn signatures(
    xml: &str,
    resp: &Response,
    opts: &Options,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SignatureCheck> {
    signatures_with(xml, resp, opts, None, diags)
}

/// [`signatures`], where a signature outside `posted`'s decrypted assertion takes the verdict
/// it has in the document as posted (this one differs from it by the decryption).
fn signatures_with(
    xml: &str,
    resp: &Response,
    opts: &Options,
    posted: Option<Posted<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SignatureCheck> {
    let mut outside = 0;
    // Two elements with one ID make every reference to it ambiguous.
    for (i, (id, span, _)) in resp.ids.iter().enumerate() {
        if let Some((_, first, _)) = resp.ids[..i].iter().find(|(other, _, _)| other == id) {
            diags.push(
                Diagnostic::new(
                    Code::SignatureWrapping,
                    format!("two elements have the ID `{id}`"),
                )
                .at_labelled(Span::new(span.start, span.start + 1), "this element")
                .with_label(Span::new(first.start, first.start + 1), "has the ID of this one")
                .with_help("a verifier may check one while a reader uses the other; a genuine IdP writes unique IDs"),
            );
        }
    }
    let mut checks = Vec::new();
    for (index, sig) in resp.signatures.iter().enumerate() {
        let covers = covered(sig, resp, diags);
        let algorithm = sig.signature_method.as_ref().map(|m| m.value.clone());
        for method in sig.signature_method.iter().chain(&sig.digest_methods) {
            if method.value.to_ascii_lowercase().ends_with("sha1") {
                diags.push(
                    Diagnostic::new(
                        Code::Sha1Signature,
                        format!("the signature uses SHA-1 (`{}`)", method.value),
                    )
                    .at(method.span())
                    .with_help("set the app's Signing Algorithm for SAML Messages to SHA256"),
                );
                break;
            }
        }
        // Each signature is verified on its own: libxmlsec verifies the first `<ds:Signature>`
        // in document order, so the earlier ones outside the signed element are cut away.
        // An earlier one inside it cannot be (it is signed content): then this signature
        // cannot be verified alone, and never counts as verified. A genuine IdP writes each
        // signature right after the Issuer of the element it signs, before any nested one.
        let covered_span = covers.as_ref().map(|c| c.1);
        let shadowed = covered_span.is_some_and(|c| {
            resp.signatures[..index]
                .iter()
                .any(|s| c.start <= s.span.start && s.span.end <= c.end)
        });
        let enveloped = match (&covers, &sig.parent) {
            (Some((_, c)), Some((parent, _))) => parent == c,
            _ => true,
        };
        if !enveloped && let Some((name, c)) = &covers {
            diags.push(
                Diagnostic::new(
                    Code::SignatureWrapping,
                    format!("the signature of the {name} does not sit inside it"),
                )
                .at_labelled(sig.name_span, "this signature")
                .with_label(Span::new(c.start, c.start + 1), format!("signs this {name}"))
                .with_help("an IdP's signature is enveloped: a child of the element it signs, right after its Issuer; one elsewhere was moved there, a signature-wrapping attempt"),
            );
        }
        let carried = posted.and_then(|(verdicts, inside)| {
            if inside.start <= sig.span.start && sig.span.end <= inside.end {
                return None;
            }
            outside += 1;
            verdicts.get(outside - 1).cloned()
        });
        let verified = carried.unwrap_or_else(|| opts.verifier.map(|v| {
            if shadowed {
                return Err("another signature precedes it inside the element it signs, so it cannot be verified on its own (a genuine IdP writes each signature right after the Issuer of the element it signs)".to_owned());
            }
            if !enveloped {
                return Err("it is not enveloped in the element it references".to_owned());
            }
            let text = alone(xml, resp, index, covered_span);
            v.verify_first(&text)
        }));
        if let Some(Err(reason)) = &verified {
            let mut d = Diagnostic::new(
                Code::InvalidSignature,
                "the signature does not verify against the IdP certificate",
            )
            .at_labelled(sig.name_span, "this signature");
            if let Some((name, span)) = &covers {
                d = d.with_label(
                    Span::new(span.start, span.start + 1),
                    format!("covers this {name}"),
                );
            }
            let (why, help) = failure_cause(reason);
            diags.push(
                d.with_note(why)
                    .with_note("AWS answers: \"Response signature invalid\" (InvalidIdentityToken)")
                    .with_help(help),
            );
        }
        checks.push(SignatureCheck {
            span: sig.span,
            covers,
            algorithm,
            verified,
        });
    }
    if opts.verifier.is_none() && !resp.signatures.is_empty() {
        diags.push(
            Diagnostic::new(
                Code::SignatureNotChecked,
                "the signatures were not verified: no IdP certificate was given",
            )
            .at(resp.signatures[0].name_span)
            .with_help("give the certificate AWS holds with `--idp-cert CERT.pem` or `--idp-metadata METADATA.xml`"),
        );
    }
    // What the trusted signatures cover: a signature that failed, or sits outside the element
    // it references, covers nothing.
    let trusted: Vec<Span> = checks
        .iter()
        .zip(&resp.signatures)
        .filter(|(c, _)| !matches!(c.verified, Some(Err(_))))
        .filter_map(|(c, sig)| match (&c.covers, &sig.parent) {
            (Some((_, s)), Some((parent, _))) if parent == s => Some(*s),
            _ => None,
        })
        .collect();
    let response_signed = trusted.contains(&resp.span);
    // An encrypted assertion's own signature cannot be checked without the SP's key: only a
    // Response signature vouches for it.
    if !response_signed && let Some(&e) = resp.encrypted.first() {
        diags.push(
            Diagnostic::new(
                Code::UnsignedAssertion,
                "the assertion is encrypted and no verified signature covers the Response",
            )
            .at_labelled(e, "its signature and content are unchecked")
            .with_note("AWS answers: \"Response signature invalid\" (InvalidIdentityToken) when neither the Response nor the decrypted assertion is signed")
            .with_help("sign the Response in the IdP, or check the decrypted assertion: nothing here shows that the IdP issued this response"),
        );
    }
    for a in &resp.assertions {
        let itself = trusted.contains(&a.span);
        if itself {
            continue;
        }
        if response_signed {
            diags.push(
                Diagnostic::new(
                    Code::AssertionNotSignedItself,
                    "only the Response is signed, not the Assertion",
                )
                .at(a.name_span)
                .with_help("AWS's metadata asks for signed assertions (WantAssertionsSigned); Salesforce signs both"),
            );
            continue;
        }
        let mut d = Diagnostic::new(
            Code::UnsignedAssertion,
            "no signature covers this assertion",
        )
        .at_labelled(a.name_span, "unsigned");
        if let Some(other) = trusted.first() {
            d = d.with_label(
                Span::new(other.start, other.start + 1),
                "the signature covers this element instead",
            );
        }
        diags.push(
            d.with_note("AWS answers: \"Response signature invalid\" (InvalidIdentityToken)")
                .with_help(if trusted.is_empty() && resp.signatures.is_empty() {
                    "the response carries no signature: turn on signing in the IdP; AWS accepts only signed responses"
                } else {
                    "AWS trusts only what a valid signature of the IdP covers; an assertion outside it is a signature-wrapping attempt or a corrupted response"
                }),
        );
    }
    checks
}

/// Why a signature failed, read from the verifier's reason (libxmlsec's own lines included),
/// and the fix for that cause.
fn failure_cause(reason: &str) -> (String, String) {
    if let Some(at) = reason.find("href=") {
        let href = reason[at + 5..]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        return (
            format!("libxmlsec does not know the algorithm `{href}`"),
            "the IdP names a signature or digest algorithm by a URI libxmlsec does not know (a non-standard one, such as `xmldsig-more#rsa-sha1`, which XML-DSig spells `xmldsig#rsa-sha1`): sign with the standard `http://www.w3.org/2001/04/xmldsig-more#rsa-sha256` and the digest `http://www.w3.org/2001/04/xmlenc#sha256`".to_owned(),
        );
    }
    if reason.contains("data and digest do not match") {
        return (
            "libxmlsec: the digest of the signed element does not match (its content changed after signing)".to_owned(),
            "the signed content was changed after it was signed: by a tool that re-encoded or pretty-printed the XML, or by tampering; capture the response exactly as the browser posted it".to_owned(),
        );
    }
    if reason.contains("EVP_VerifyFinal") || reason.contains("SignatureVerify") {
        return (
            "libxmlsec: the signature value does not match the certificate's key".to_owned(),
            "the response was signed with another key than this certificate's: the IdP's certificate changed (or the wrong one was given); upload the IdP's current metadata to the IAM SAML provider (`aws iam update-saml-provider`)".to_owned(),
        );
    }
    let first = reason.lines().next().unwrap_or(reason).trim();
    (
        // An unknown cause: samael's word, never libxmlsec's raw lines.
        format!("the signature does not verify: {first}"),
        "if the certificate is right, the signed content was changed after signing; else upload the IdP's current metadata to the IAM SAML provider (`aws iam update-saml-provider`)".to_owned(),
    )
}

/// The element `sig` references, or why none.
fn covered(
    sig: &Signature,
    resp: &Response,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Span)> {
    let problem = |msg: String, at: Span| {
        Diagnostic::new(Code::SignatureWrapping, msg)
            .at(at)
            .with_help("a signature of the IdP references the Response or its Assertion by its ID (`URI=\"#_…\"`), once")
    };
    let [uri] = sig.references.as_slice() else {
        diags.push(problem(
            format!(
                "the signature has {} references; an IdP's has one",
                sig.references.len()
            ),
            sig.name_span,
        ));
        return None;
    };
    let target = uri.value.trim();
    if target.is_empty() {
        return Some(("Response".to_owned(), resp.span));
    }
    let Some(id) = target.strip_prefix('#') else {
        diags.push(problem(
            format!("the signature references `{target}`, outside the response"),
            uri.span(),
        ));
        return None;
    };
    let mut found = resp.ids.iter().filter(|(i, _, _)| i == id);
    let Some((_, span, name)) = found.next() else {
        diags.push(problem(
            format!("the signature references `#{id}`, which no element has"),
            uri.span(),
        ));
        return None;
    };
    if found.next().is_some() {
        return None;
    }
    if name != "Response" && name != "Assertion" {
        diags.push(problem(
            format!("the signature covers a `{name}`, not the Response or its Assertion"),
            uri.span(),
        ));
    }
    // Named whatever it is (a LogoutResponse, an EntityDescriptor): only a signature over the
    // Response or an assertion AWS reads ever counts for them.
    Some((name.clone(), *span))
}

/// `xml` with the signatures before signature `index` removed (those outside the element it
/// covers), so that it is the first one a verifier finds. Removing them changes nothing `index`
/// covers.
fn alone(xml: &str, resp: &Response, index: usize, covers: Option<Span>) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut from = 0;
    for s in &resp.signatures[..index] {
        let inside = covers.is_some_and(|c| c.start <= s.span.start && s.span.end <= c.end);
        if inside || s.span.start < from {
            continue;
        }
        out.push_str(&xml[from..s.span.start]);
        from = s.span.end;
    }
    out.push_str(&xml[from..]);
    out
}

fn assertion(
    a: &Assertion,
    resp: &Response,
    opts: &Options,
    profile: Profile,
    diags: &mut Vec<Diagnostic>,
) {
    // Issuer: the assertion's own; the Response's does not stand in for it.
    match a.issuer.as_ref() {
        None => diags.push(
            Diagnostic::new(Code::MissingIssuer, "the assertion has no Issuer")
                .at(a.name_span)
                .with_note("AWS answers: \"Failed to assume role: Issuer not present in specified provider\"")
                .with_help("the IdP writes its entity ID (Salesforce: the My Domain URL) as `<saml:Issuer>`"),
        ),
        Some(issuer) => {
            if let Some(expected) = &opts.expected_issuer
                && issuer.text.value.trim() != expected
            {
                diags.push(
                    Diagnostic::new(
                        Code::IssuerMismatch,
                        format!(
                            "the Issuer is `{}`, but the IdP metadata's entityID is `{expected}`",
                            issuer.text.value.trim()
                        ),
                    )
                    .at(issuer.here())
                    .with_note("AWS answers: \"Failed to assume role: Issuer not present in specified provider\"")
                    .with_help("download the IdP metadata again (a My Domain rename changes the Issuer) and update the IAM SAML provider"),
                );
            }
        }
    }
    // Subject.
    match &a.name_id {
        Some(n) if !n.text.value.trim().is_empty() => {
            if let Some(c) = n.comment {
                diags.push(comment(c, "NameID"));
            }
            if let Some(f) = &a.name_id_format
                && !NAME_ID_FORMATS.contains(&f.value.trim())
            {
                diags.push(
                    Diagnostic::new(
                        Code::UnusualNameIdFormat,
                        format!("the NameID Format `{}` is not one AWS lists", f.value.trim()),
                    )
                    .at(f.span())
                    .with_help("use `urn:oasis:names:tc:SAML:2.0:nameid-format:persistent` (Service Cloud Voice) or another format of AWS's metadata"),
                );
            }
        }
        other => diags.push(
            Diagnostic::new(
                Code::MissingNameId,
                if other.is_some() {
                    "the NameID is empty"
                } else {
                    "the assertion's Subject has no NameID"
                },
            )
            .at(other.as_ref().map_or(a.subject.unwrap_or(a.name_span), |n| n.name_span))
            .with_note("AWS answers: \"Not authorized to perform sts:AssumeRoleWithSAML\"")
            .with_help("check the app's Subject Type: the user's field it names (Federation ID, a custom attribute) is blank"),
        ),
    }
    confirmation(a, resp, diags);
    audience(a, opts, diags);
    authn_statement(a, opts, diags);
    // Time window.
    let limits = a
        .confirmations
        .iter()
        .filter_map(|c| c.not_on_or_after.as_ref())
        .chain(
            a.conditions
                .as_ref()
                .and_then(|c| c.not_on_or_after.as_ref()),
        );
    let mut expired = false;
    for limit in limits {
        if let Some(at) = limit.at
            && opts.now >= at
        {
            diags.push(
                Diagnostic::new(
                    Code::ResponseExpired,
                    format!(
                        "the response expired at {} ({} before the check)",
                        limit.text.value.trim(),
                        ago(opts.now - at)
                    ),
                )
                .at(limit.text.span())
                .with_help("a response is good for the few minutes the IdP allows; to check the rest of a captured one, give `--now` the time it was posted"),
            );
            expired = true;
            break;
        }
    }
    let starts = a
        .confirmations
        .iter()
        .filter_map(|c| c.not_before.as_ref())
        .chain(a.conditions.as_ref().and_then(|c| c.not_before.as_ref()));
    for start in starts {
        if let Some(at) = start.at
            && at > opts.now + Duration::seconds(SKEW)
        {
            diags.push(not_yet(start, at, opts.now));
            break;
        }
    }
    if !expired
        && let Some(issued) = a
            .issue_instant
            .as_ref()
            .and_then(|i| i.at.map(|at| (i, at)))
    {
        timing_issue(issued.0, issued.1, opts.now, diags);
    }
    // Attributes.
    for attr in &a.attributes {
        for v in &attr.values {
            if let Some(c) = v.comment {
                diags.push(comment(c, "attribute value"));
            }
        }
    }
    let named: Vec<&response::Attribute> =
        a.attributes.iter().filter(|x| x.name.is_some()).collect();
    let pairs: Vec<(&str, Vec<&str>)> = named
        .iter()
        .map(|x| {
            (
                x.name.as_ref().map_or("", |n| n.value.as_str()),
                x.values.iter().map(|v| v.text.value.as_str()).collect(),
            )
        })
        .collect();
    for f in check_attributes(&pairs, profile) {
        let d = f.diagnostic;
        let d = match f.place {
            Place::Assertion => d.at(a.attribute_statement.unwrap_or(a.name_span)),
            Place::Attribute { index } => d.at(named[index].name_span),
            Place::Name { index } => match &named[index].name {
                Some(n) => d.through(&n.map),
                None => d.at(named[index].name_span),
            },
            Place::Value { attribute, value } => {
                let v = &named[attribute].values[value];
                if v.text.value.is_empty() {
                    Diagnostic {
                        span: None,
                        labels: Vec::new(),
                        ..d
                    }
                    .at(v.name_span)
                } else {
                    d.through(&v.text.map)
                }
            }
        };
        diags.push(d);
    }
}

fn comment(at: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::CommentInValue,
        format!("a comment splits the {what}"),
    )
    .at_labelled(at, "this comment")
    .with_help("signatures ignore comments, so this verifies like the value without it while a reader that keeps the first text node sees less; a genuine IdP never writes one here")
}

fn confirmation(a: &Assertion, resp: &Response, diags: &mut Vec<Diagnostic>) {
    let at = a.subject.unwrap_or(a.name_span);
    let problem = |msg: String, at: Span| {
        Diagnostic::new(Code::SubjectConfirmation, msg)
            .at(at)
            .with_help("the IdP writes one `<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">` whose SubjectConfirmationData has Recipient and NotOnOrAfter")
    };
    let c = match a.confirmations.as_slice() {
        [c] => c,
        [] => {
            diags.push(problem(
                "the Subject has no SubjectConfirmation".to_owned(),
                at,
            ));
            return;
        }
        [_, second, ..] => {
            diags.push(problem(
                format!(
                    "the Subject has {} SubjectConfirmations; AWS requires exactly one",
                    a.confirmations.len()
                ),
                second.name_span,
            ));
            return;
        }
    };
    match &c.method {
        Some(m) if m.value.trim() == BEARER => {}
        Some(m) => diags.push(problem(
            format!(
                "the SubjectConfirmation's Method is `{}`, not bearer",
                m.value.trim()
            ),
            m.span(),
        )),
        None => diags.push(problem(
            "the SubjectConfirmation has no Method".to_owned(),
            c.name_span,
        )),
    }
    let mut missing = Vec::new();
    if c.recipient.is_none() {
        missing.push("Recipient");
    }
    if c.not_on_or_after.is_none() {
        missing.push("NotOnOrAfter");
    }
    if !missing.is_empty() {
        let what = if c.has_data {
            format!(
                "the SubjectConfirmationData has no {}",
                missing.join(" and no ")
            )
        } else {
            "the SubjectConfirmation has no SubjectConfirmationData".to_owned()
        };
        diags.push(problem(what, c.name_span));
    }
    if let Some(r) = &c.recipient {
        let recipient = r.value.trim();
        if !is_aws_signin(recipient) {
            diags.push(
                Diagnostic::new(
                    Code::RecipientNotAws,
                    format!("the Recipient `{recipient}` is not an AWS sign-in endpoint"),
                )
                .at(r.span())
                .with_help(format!(
                    "set the app's ACS URL to exactly `{}` (or the regional endpoint your roles' trust policies name in `saml:aud`)",
                    endpoint::split(recipient).map_or(endpoint::global_url(""), |u| endpoint::global_url(u.host))
                )),
            );
        }
        if let Some(d) = &resp.destination
            && d.value.trim() != recipient
        {
            diags.push(
                Diagnostic::new(
                    Code::DestinationMismatch,
                    format!(
                        "the Response's Destination `{}` differs from the Recipient `{recipient}`",
                        d.value.trim()
                    ),
                )
                .at_labelled(d.span(), "Destination")
                .with_label(r.span(), "Recipient")
                .with_help("Salesforce writes both from the app's ACS URL; a response edited by hand or from another IdP differs"),
            );
        }
    }
}

/// The AuthnStatement the Web Browser SSO profile requires (S123), and its
/// `SessionNotOnOrAfter`, which bounds the console session AWS grants (S124 when it is over).
fn authn_statement(a: &Assertion, opts: &Options, diags: &mut Vec<Diagnostic>) {
    if a.authn.is_empty() {
        diags.push(
            Diagnostic::new(Code::MissingAuthnStatement, "the assertion has no AuthnStatement")
                .at(a.name_span)
                .with_help("SAML's Web Browser SSO profile requires an `<saml:AuthnStatement>` saying how and when the user signed in; the IdP writes one"),
        );
    }
    for end in a.authn.iter().flatten() {
        if let Some(at) = end.at
            && at <= opts.now
        {
            diags.push(
                Diagnostic::new(
                    Code::SessionAlreadyOver,
                    format!(
                        "the session the assertion grants ended at {} ({} before the check)",
                        end.text.value.trim(),
                        ago(opts.now - at)
                    ),
                )
                .at(end.text.span())
                .with_note("AWS bounds the console session by the smaller of SessionDuration and SessionNotOnOrAfter")
                .with_help("the IdP sets SessionNotOnOrAfter from its own session length; to check a captured response, give `--now` the time it was posted"),
            );
        }
    }
}

fn audience(a: &Assertion, opts: &Options, diags: &mut Vec<Diagnostic>) {
    let Some(conditions) = a.conditions.as_ref().filter(|c| !c.restrictions.is_empty()) else {
        diags.push(
            Diagnostic::new(Code::AudienceMismatch, "the assertion names no Audience")
                .at(a.name_span)
                .with_note("AWS may answer: \"Response does not contain the required audience.\"")
                .with_help("the IdP writes the app's Entity ID as `<saml:Conditions><saml:AudienceRestriction><saml:Audience>`"),
        );
        return;
    };
    let mut all = Vec::new();
    for (at, audiences) in &conditions.restrictions {
        if audiences.is_empty() {
            diags.push(
                Diagnostic::new(
                    Code::AudienceMismatch,
                    "the AudienceRestriction names no Audience",
                )
                .at(*at)
                .with_severity(Severity::Error)
                .with_help("the IdP writes the app's Entity ID as the Audience"),
            );
        }
        all.extend(audiences);
    }
    if all.is_empty() {
        return;
    }
    let right = |v: &&Value| {
        let t = v.text.value.trim();
        t == AWS_AUDIENCE || is_aws_signin(t) || opts.expected_audiences.iter().any(|e| e == t)
    };
    if !all.iter().any(right) {
        let names: Vec<String> = all
            .iter()
            .map(|v| format!("`{}`", v.text.value.trim()))
            .collect();
        diags.push(
            Diagnostic::new(
                Code::AudienceMismatch,
                format!(
                    "the Audience {} is neither AWS's (`{AWS_AUDIENCE}`, a sign-in URL) nor the app's Entity ID",
                    names.join(", ")
                ),
            )
            .at(all[0].here())
            .with_note("AWS may answer: \"Response does not contain the required audience.\"")
            .with_help("set the app's Entity ID to `urn:amazon:webservices`, or to the name the IAM SAML provider expects; give `--app` to compare with the app's"),
        );
    }
}

/// An IssueInstant in the future, or past the redemption limit.
fn timing_issue(
    issued: &Instant,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
    diags: &mut Vec<Diagnostic>,
) {
    if at > now + Duration::seconds(SKEW) {
        diags.push(not_yet(issued, at, now));
    } else if now - at > Duration::seconds(REDEEM_WITHIN) {
        diags.push(
            Diagnostic::new(
                Code::RedemptionWindow,
                format!(
                    "the response was issued at {} ({} before the check); STS is reported to refuse a SAML response more than 5 minutes after its issue",
                    issued.text.value.trim(),
                    ago(now - at)
                ),
            )
            .at(issued.text.span())
            .with_note(REDEMPTION_NOTE)
            .with_help("sign in again from Salesforce instead of replaying a captured response; to check a capture, give `--now` the time it was posted"),
        );
    }
}

fn not_yet(start: &Instant, at: DateTime<Utc>, now: DateTime<Utc>) -> Diagnostic {
    Diagnostic::new(
        Code::NotYetValid,
        format!(
            "the response is not valid until {} ({} after the check)",
            start.text.value.trim(),
            ago(at - now)
        ),
    )
    .at(start.text.span())
    .with_help("the IdP's clock is ahead, or `--now` is earlier than the sign-in")
}

/// A duration in words: `3 min 20 s`, `2 h 5 min`, `3 days`.
fn ago(d: Duration) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        3600..86400 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} days", s / 86400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (label, primary span) of each RelayState finding.
    fn relay(text: &str, profile: Profile) -> Vec<(String, Span)> {
        relay_state(Some(text), profile)
            .into_iter()
            .map(|d| {
                assert_eq!(d.code, Code::RelayStateNotConsole);
                assert_eq!(d.severity, Severity::Warning);
                assert!(d.help.is_some());
                (d.span_label.unwrap(), d.span.unwrap())
            })
            .collect()
    }

    const ID: &str = "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";

    /// The five-minute limit is users' report, not AWS's documentation ("AssumeRoleWithSAML",
    /// AWS STS API Reference, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html,
    /// lists ExpiredToken with no such text): S114 states it in samlfx's words and quotes nothing.
    #[test]
    fn the_redemption_window_quotes_no_undocumented_text() {
        let issued_at = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let xml = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" IssueInstant=\"2026-01-01T00:00:00Z\"/>";
        let mut d = Vec::new();
        let resp = response::read(xml, &mut d).unwrap();
        let issued = resp.issue_instant.as_ref().unwrap();
        let mut diags = Vec::new();
        timing_issue(
            issued,
            issued_at,
            issued_at + Duration::seconds(360),
            &mut diags,
        );
        let [s114] = diags.as_slice() else {
            panic!("{diags:?}")
        };
        assert_eq!(s114.code, Code::RedemptionWindow);
        for text in [&s114.message, &s114.notes[0]] {
            assert!(!text.contains("Token must be redeemed"), "{text}");
            assert!(!text.contains("AWS answers"), "{text}");
        }
        assert!(
            s114.message.contains("is reported to refuse"),
            "{}",
            s114.message
        );
        assert!(s114.notes[0].contains("ExpiredTokenException"));
    }

    /// A RelayState, the profile, and each finding's label and span.
    type Case = (String, Profile, Vec<(&'static str, (usize, usize))>);

    /// The relay state of "Configure SAML with IAM for Amazon Connect", Amazon Connect
    /// Administrator Guide (https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html):
    /// `https://region-id.console.aws.amazon.com/connect/federate/instance-id`, with an optional
    /// `?destination=` deep link; any other RelayState should still be an https console URL.
    #[test]
    fn relay_states_go_to_the_aws_console() {
        for (ok, profile) in [
            (
                format!("https://us-west-2.console.aws.amazon.com/connect/federate/{ID}"),
                Profile::AmazonConnect,
            ),
            (
                format!(
                    "https://eu-central-1.console.aws.amazon.com/connect/federate/{ID}?destination=/ccp-v2"
                ),
                Profile::AmazonConnect,
            ),
            (
                format!("https://console.amazonaws-us-gov.com/connect/federate/{ID}"),
                Profile::AmazonConnect,
            ),
            (
                "https://console.aws.amazon.com/ec2/home".to_owned(),
                Profile::Aws,
            ),
            (
                "https://s3.console.aws.amazon.com/s3/home".to_owned(),
                Profile::Aws,
            ),
        ] {
            assert_eq!(relay(&ok, profile), vec![], "{ok}");
        }
        assert!(relay_state(None, Profile::AmazonConnect).is_empty());
        assert!(relay_state(Some(""), Profile::AmazonConnect).is_empty());
        let cases: Vec<Case> = vec![
            (
                "ccp".into(),
                Profile::Aws,
                vec![("not `https://host/path`", (0, 3))],
            ),
            (
                "https://evil.example/connect/federate/x".into(),
                Profile::Aws,
                vec![("not an AWS console host", (8, 20))],
            ),
            (
                format!("http://us-west-2.console.aws.amazon.com/connect/federate/{ID}"),
                Profile::AmazonConnect,
                vec![("not https", (0, 4))],
            ),
            (
                format!("https://xx-fake-9.console.aws.amazon.com/connect/federate/{ID}"),
                Profile::AmazonConnect,
                vec![("no such region", (8, 17))],
            ),
            (
                format!("https://console.aws.amazon.com/connect/federate/{ID}"),
                Profile::AmazonConnect,
                vec![("no region", (8, 30))],
            ),
            (
                format!("https://us-west-2.console.aws.amazon.com/connect/login/{ID}"),
                Profile::AmazonConnect,
                vec![("not `/connect/federate/<instance id>`", (40, 91))],
            ),
            (
                "https://us-west-2.console.aws.amazon.com/connect/federate/0A1B".into(),
                Profile::AmazonConnect,
                vec![("not an instance id", (58, 62))],
            ),
        ];
        for (text, profile, want) in cases {
            let want: Vec<(String, Span)> = want
                .into_iter()
                .map(|(l, (s, e))| (l.to_owned(), Span::new(s, e)))
                .collect();
            assert_eq!(relay(&text, profile), want, "{text}");
        }
        // Another console page is fine for AWS, not for Amazon Connect.
        let page = "https://us-west-2.console.aws.amazon.com/ec2/home";
        assert_eq!(relay(page, Profile::Aws), vec![]);
        assert_eq!(relay(page, Profile::AmazonConnect).len(), 1);
    }
}
