//! `samlfx simulate` end to end: the golden response for the bundled Service Cloud Voice app,
//! both signatures checked by the independent `xmlsec1` tool (SHA-256 and SHA-1, a tampered
//! copy refused), escaping, the base64 and form encodings, the ephemeral key's certificate, and
//! the input errors (S03x, exit 2), formula failures and rule findings (exit 1).

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;

use support::{Run, samlfx};

const KEY: &str = "tests/fixtures/simulate/test-key.pem";
const CERT: &str = "tests/fixtures/simulate/test-cert.pem";
const OTHER_CERT: &str = "tests/fixtures/simulate/other-cert.pem";
const NOW: &str = "2026-01-01T00:00:00Z";

/// The voice example with the test key at a fixed instant, plus `extra`.
fn voice(extra: &[&str]) -> Run {
    let mut args = vec![
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--org",
        "examples/voice/org.json",
        "--now",
        NOW,
        "--key",
        KEY,
        "--cert",
        CERT,
    ];
    args.extend_from_slice(extra);
    samlfx(&args)
}

/// A directory of its own for one test, under Cargo's temporary directory for tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("simulate-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A samlfx.toml app in its own directory; returns the directory.
fn app(name: &str, toml: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("samlfx.toml"), toml).unwrap();
    dir
}

fn app_toml(signing: &str, attributes: &[(&str, &str)]) -> String {
    let mut s = format!(
        "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\
         issuer = \"https://acme.my.salesforce.com\"\nsubject_type = \"Username\"\n\
         name_id_format = \"Unspecified\"\nsigning_algorithm = \"{signing}\"\n"
    );
    for (key, formula) in attributes {
        s.push_str(&format!(
            "\n[[attributes]]\nkey = \"{key}\"\nformula = '''{formula}'''\n"
        ));
    }
    s
}

const ROLE: (&str, &str) = (
    "https://aws.amazon.com/SAML/Attributes/Role",
    "'arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp,arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole'",
);
const RSN: (&str, &str) = (
    "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
    "$User.Alias",
);

/// `samlfx simulate DIR --user examples/voice/user.json --now … ARGS`.
fn simulate_app(dir: &Path, extra: &[&str]) -> Run {
    let dir = dir.to_str().unwrap();
    let mut args = vec![
        "simulate",
        dir,
        "--user",
        "examples/voice/user.json",
        "--now",
        NOW,
    ];
    args.extend_from_slice(extra);
    samlfx(&args)
}

/// Which signature `xmlsec1 --verify` checks.
#[derive(Clone, Copy, Debug)]
enum Which {
    Response,
    Assertion,
}

/// Whether the independent `xmlsec1` tool accepts one signature of `xml` with `cert`. Fails the
/// test when the tool is missing: CI installs it (`.ci/run`), and a skipped check proves nothing.
fn xmlsec1_accepts(xml: &str, cert: &Path, which: Which, dir: &Path) -> bool {
    let file = dir.join(format!("{which:?}.xml"));
    std::fs::write(&file, xml).unwrap();
    let (id, xpath) = match which {
        Which::Response => (
            "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            "/*[local-name()='Response']/*[local-name()='Signature']",
        ),
        Which::Assertion => (
            "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
            "//*[local-name()='Assertion']/*[local-name()='Signature']",
        ),
    };
    let out = Command::new("xmlsec1")
        .args(["--verify", "--pubkey-cert-pem"])
        .arg(cert)
        .args(["--id-attr:ID", id, "--node-xpath", xpath])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run `xmlsec1` ({e}): install it (Debian: `apt-get install xmlsec1`); \
                 .ci/run installs it, and these tests do not skip without it"
            )
        });
    out.status.success()
}

fn both_verify(xml: &str, cert: &Path, dir: &Path) -> bool {
    xmlsec1_accepts(xml, cert, Which::Response, dir)
        && xmlsec1_accepts(xml, cert, Which::Assertion, dir)
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Decodes `%XX` and `+` of a form body value.
fn form_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

fn base64_decode(s: &str) -> String {
    use base64::Engine as _;
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .unwrap(),
    )
    .unwrap()
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn codes(r: &Run) -> Vec<String> {
    json(r)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn voice_response_golden() {
    let r = voice(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "nothing but the document is printed");
    assert!(
        r.stdout
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<samlp:Response ")
    );
    assert!(r.stdout.ends_with("</samlp:Response>\n"));
    insta::assert_snapshot!("voice_response", r.stdout);
    // Deterministic: the same bytes again.
    assert_eq!(voice(&[]).stdout, r.stdout);
}

#[test]
fn xmlsec1_verifies_both_signatures_and_refuses_a_tampered_copy() {
    let dir = scratch("xmlsec1-voice");
    let r = voice(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cert = repo(CERT);
    assert!(xmlsec1_accepts(&r.stdout, &cert, Which::Response, &dir));
    assert!(xmlsec1_accepts(&r.stdout, &cert, Which::Assertion, &dir));
    assert!(r.stdout.contains("xmldsig-more#rsa-sha256") && r.stdout.contains("xmlenc#sha256"));

    // Another key's certificate: both refused.
    let other = repo(OTHER_CERT);
    assert!(!xmlsec1_accepts(&r.stdout, &other, Which::Response, &dir));
    assert!(!xmlsec1_accepts(&r.stdout, &other, Which::Assertion, &dir));

    // A changed RoleSessionName breaks both (the Response's digest covers the assertion).
    let value = "jdoe@005Hs00000AbCdE@00DHs000001xYzQ";
    assert_eq!(r.stdout.matches(value).count(), 1);
    let tampered = r
        .stdout
        .replace(value, "admin@005Hs00000AbCdE@00DHs000001xYzQ");
    assert!(!xmlsec1_accepts(&tampered, &cert, Which::Assertion, &dir));
    assert!(!xmlsec1_accepts(&tampered, &cert, Which::Response, &dir));
    // A changed Destination (outside the assertion) breaks the Response's only.
    let tampered = r.stdout.replacen(
        "Destination=\"https://signin.aws.amazon.com/saml\"",
        "Destination=\"https://evil.example/saml\"",
        1,
    );
    assert_ne!(tampered, r.stdout);
    assert!(!xmlsec1_accepts(&tampered, &cert, Which::Response, &dir));
    assert!(xmlsec1_accepts(&tampered, &cert, Which::Assertion, &dir));
}

#[test]
fn sha1_apps_are_signed_with_rsa_sha1_and_verify() {
    let dir = app("sha1", &app_toml("SHA1", &[ROLE, RSN]));
    let r = simulate_app(&dir, &["--key", KEY, "--cert", CERT]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("xmldsig#rsa-sha1").count(), 2);
    assert_eq!(
        r.stdout
            .matches("<ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>")
            .count(),
        2
    );
    assert!(!r.stdout.contains("sha256"));
    assert!(both_verify(&r.stdout, &repo(CERT), &dir));
    let tampered = r.stdout.replace(">jdoe<", ">root<");
    assert_ne!(tampered, r.stdout);
    assert!(!xmlsec1_accepts(
        &tampered,
        &repo(CERT),
        Which::Assertion,
        &dir
    ));
}

#[test]
fn an_ephemeral_key_s_printed_certificate_verifies() {
    let dir = scratch("ephemeral");
    let cert = dir.join("idp-cert.pem");
    let r = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--print-cert",
        cert.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let pem = std::fs::read_to_string(&cert).unwrap();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{pem}");
    assert!(both_verify(&r.stdout, &cert, &dir));
    // Not the fixture's key, and random IDs without --now.
    assert!(!both_verify(&r.stdout, &repo(CERT), &dir));
    let again = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
    ]);
    assert_ne!(again.stdout, r.stdout);
}

#[test]
fn values_are_escaped_and_still_signed() {
    let hostile = (
        "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Note",
        "'a & b < c > \"q\" \\'s\\' Zoë 名前'",
    );
    let dir = app("escape", &app_toml("SHA256", &[ROLE, RSN, hostile]));
    let r = simulate_app(&dir, &["--key", KEY, "--cert", CERT]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    assert!(
        r.stdout
            .contains(">a &amp; b &lt; c &gt; \"q\" 's' Zoë 名前</saml:AttributeValue>"),
        "{}",
        r.stdout
    );
    // libxml2 (in xmlsec1) parsed it: well-formed, and the signatures cover the escaped text.
    assert!(both_verify(&r.stdout, &repo(CERT), &dir));
}

#[test]
fn base64_and_form_encodings_decode_to_the_document() {
    let xml = voice(&[]).stdout;
    let b64 = voice(&["--encoding", "base64"]);
    assert_eq!(b64.code, 0, "{}", b64.stderr);
    assert_eq!(b64.stdout.lines().count(), 1);
    assert_eq!(base64_decode(&b64.stdout), xml);

    let form = voice(&["--encoding", "form"]);
    assert_eq!(form.code, 0, "{}", form.stderr);
    let body = form.stdout.trim_end();
    let (response, relay) = body.split_once('&').unwrap();
    let response = response.strip_prefix("SAMLResponse=").unwrap();
    assert!(
        !response.contains(['+', '/', '=']),
        "URL-encoded: {response}"
    );
    assert_eq!(base64_decode(&form_decode(response)), xml);
    // The contact center beside the app gives the relay state.
    assert_eq!(
        form_decode(relay.strip_prefix("RelayState=").unwrap()),
        "https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d?destination=%2Fccp-v2&new_domain=true"
    );
    let own = voice(&[
        "--encoding",
        "form",
        "--relay-state",
        "https://x.example/?a=b c",
    ]);
    assert!(
        own.stdout
            .trim_end()
            .ends_with("&RelayState=https%3A%2F%2Fx.example%2F%3Fa%3Db+c"),
        "{}",
        own.stdout
    );
}

#[test]
fn the_persistent_id_is_stable_per_user_and_app() {
    let name_id = |r: &Run| {
        let at = r.stdout.find("nameid-format:persistent\">").unwrap() + 26;
        r.stdout[at..at + r.stdout[at..].find('<').unwrap()].to_owned()
    };
    let a = voice(&[]);
    let later = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--org",
        "examples/voice/org.json",
        "--now",
        "2027-06-01T12:00:00Z",
    ]);
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert_eq!(name_id(&a), name_id(&later));
    assert_eq!(name_id(&a).len(), 32);
    assert!(!name_id(&a).contains("005Hs00000AbCdE"), "opaque");
    // Another org: another id.
    let dir = scratch("other-org");
    let org = dir.join("org.json");
    std::fs::write(&org, r#"{"$Organization": {"Id": "00D000000000001"}}"#).unwrap();
    let other = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--org",
        org.to_str().unwrap(),
        "--now",
        NOW,
    ]);
    assert_eq!(other.code, 0, "{}", other.stderr);
    assert_ne!(name_id(&a), name_id(&other));
}

#[test]
fn input_errors_exit_2_with_their_code() {
    let cases: [(&[&str], &str); 5] = [
        (&["--key", "does-not-exist.pem", "--cert", CERT], "S030"),
        // A certificate given as the key.
        (&["--key", CERT, "--cert", CERT], "S031"),
        (&["--key", KEY, "--cert", OTHER_CERT], "S034"),
        (&["--key", KEY, "--cert", KEY], "S031"),
        (&["--now", "yesterday"], "S035"),
    ];
    for (extra, code) in cases {
        let mut args = vec![
            "simulate",
            "examples/voice",
            "--user",
            "examples/voice/user.json",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--format", "json"]);
        let r = samlfx(&args);
        assert_eq!(r.code, 2, "{extra:?}: {}", r.stdout);
        assert_eq!(codes(&r), [code], "{extra:?}");
        assert_eq!(json(&r)["response"], serde_json::Value::Null);
    }
    // In the human format: the file, the span and the help line, on stderr; nothing on stdout.
    let r = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--key",
        KEY,
        "--cert",
        OTHER_CERT,
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!("mismatched_pair_human", r.stderr);
    let r = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        "examples/voice/user.json",
        "--now",
        "2026-01-01",
    ]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("bad_now_human", r.stderr);
}

#[test]
fn an_encrypted_or_non_rsa_key_is_refused() {
    let dir = scratch("keys");
    let ec = dir.join("ec.pem");
    std::fs::write(&ec, samlfx_diag::Code::UnsupportedKey.info().example).unwrap();
    let enc = dir.join("enc.pem");
    std::fs::write(&enc, samlfx_diag::Code::EncryptedKey.info().example).unwrap();
    for (key, code) in [(&ec, "S033"), (&enc, "S032")] {
        let r = samlfx(&[
            "simulate",
            "examples/voice",
            "--user",
            "examples/voice/user.json",
            "--key",
            key.to_str().unwrap(),
            "--cert",
            CERT,
            "--format",
            "json",
        ]);
        assert_eq!(r.code, 2, "{}", r.stdout);
        assert_eq!(codes(&r), [code]);
    }
}

#[test]
fn a_formula_that_fails_prints_no_response() {
    // Does not compile.
    let dir = app(
        "broken",
        &app_toml("SHA256", &[ROLE, (RSN.0, "$User.Alais")]),
    );
    let r = simulate_app(&dir, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("F10"), "{}", r.stderr);
    assert!(r.stderr.contains("no response is printed"), "{}", r.stderr);
    // Compiles, fails for this user (a number from a text that is none).
    let dir = app(
        "runtime",
        &app_toml("SHA256", &[ROLE, (RSN.0, "TEXT(VALUE($User.Alias))")]),
    );
    let r = simulate_app(&dir, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(json(&r)["response"], serde_json::Value::Null);
    assert!(
        codes(&r).iter().any(|c| c.starts_with("F3")),
        "{}",
        r.stdout
    );
}

#[test]
fn rule_findings_exit_1_and_still_print_the_response() {
    // A RoleSessionName with a space: AWS refuses it.
    let dir = app(
        "rules",
        &app_toml("SHA256", &[ROLE, (RSN.0, "$User.Alias & ' x'")]),
    );
    let r = simulate_app(&dir, &["--key", KEY, "--cert", CERT]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains(">jdoe x</saml:AttributeValue>"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.ends_with("</samlp:Response>\n"));
    insta::assert_snapshot!("rule_finding_human", r.stderr);
    let j = simulate_app(&dir, &["--key", KEY, "--cert", CERT, "--format", "json"]);
    assert_eq!(j.code, 1);
    assert_eq!(json(&j)["response"].as_str(), Some(r.stdout.as_str()));
    assert_eq!(json(&j)["encoding"], "xml");
}

#[test]
fn a_subject_the_user_lacks_is_an_input_error() {
    let toml = app_toml("SHA256", &[ROLE, RSN]).replace("\"Username\"", "\"FederationId\"");
    let dir = app("federation", &toml);
    let r = simulate_app(&dir, &["--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert_eq!(codes(&r), ["F402"]);
}

/// Every start tag of a document, in order: its qualified name and its attribute names
/// (sorted), leaving out `InResponseTo` (an SP-initiated sign-in's, which AWS never sends).
fn skeleton(xml: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with(['/', '?', '!']) {
            continue;
        }
        let end = rest.find('>').unwrap();
        let tag = rest[..end].trim_end_matches('/');
        let mut parts = tag.split_whitespace();
        let name = parts.next().unwrap().to_owned();
        let mut attrs: Vec<String> = tag
            .split('"')
            .step_by(2)
            .filter_map(|p| p.trim().strip_suffix('='))
            .map(|a| a.rsplit(' ').next().unwrap().to_owned())
            .filter(|a| a != "InResponseTo")
            .collect();
        attrs.sort();
        out.push((name, attrs));
    }
    out
}

#[test]
fn the_layout_is_the_real_salesforce_response_s() {
    let Some(sample) = samlfx_testdata::shared_text(
        "samples/salesforce-idp-response/response.xml",
        "the real Salesforce-issued response",
    ) else {
        return;
    };
    let ours = voice(&[]).stdout;
    let (theirs, ours) = (skeleton(&sample), skeleton(&ours));
    // The sample has Salesforce's four default attributes; the voice app adds two custom ones
    // after them, each an Attribute and an AttributeValue.
    assert_eq!(ours.len(), theirs.len() + 4);
    assert_eq!(ours[..theirs.len()], theirs[..]);
    assert_eq!(
        ours[theirs.len()..],
        ours[theirs.len() - 2..theirs.len() + 2]
    );
}

#[test]
fn a_character_xml_cannot_carry_is_replaced_with_a_warning() {
    let dir = app(
        "control",
        &app_toml("SHA256", &[ROLE, RSN, ("title", "$User.Title")]),
    );
    let user = dir.join("user.json");
    std::fs::write(
        &user,
        r#"{"$User": {"Id": "005Hs00000AbCdE", "Alias": "jdoe", "Username": "jdoe@acme.example.com", "Title": "Lead\u0001Agent"}}"#,
    )
    .unwrap();
    let r = samlfx(&[
        "simulate",
        dir.to_str().unwrap(),
        "--user",
        user.to_str().unwrap(),
        "--key",
        KEY,
        "--cert",
        CERT,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v = json(&r);
    let d = &v["diagnostics"].as_array().unwrap()[0];
    assert_eq!(d["code"], "S037");
    assert_eq!(d["severity"], "warning");
    let xml = v["response"].as_str().unwrap();
    assert!(xml.contains(">Lead\u{FFFD}Agent<"));
    assert!(both_verify(xml, &repo(CERT), &dir));
}

/// A SAML app for another service provider gets no AWS rule in simulate either, as in check:
/// no A102 for the Role it has no reason to send.
#[test]
fn an_app_for_another_service_provider_gets_no_aws_rule() {
    let dir = app(
        "zoom",
        "[app]\nentity_id = \"zoom.us\"\nacs_url = \"https://acme.zoom.us/saml/SSO\"\nsubject_type = \"Username\"\nname_id_format = \"EmailAddress\"\n\n[[attributes]]\nkey = \"email\"\nformula = \"$User.Email\"\n",
    );
    let r = samlfx(&[
        "simulate",
        dir.to_str().unwrap(),
        "--user",
        "examples/voice/user.json",
        "--now",
        NOW,
        "--key",
        KEY,
        "--cert",
        CERT,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("\"A1"), "{}", r.stdout);
}
