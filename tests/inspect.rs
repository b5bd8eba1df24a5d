//! `samlfx inspect` end to end: one crafted response per AWS rule, the attacks (tampering,
//! signature wrapping, XXE, billion laughs), every input encoding, and the real response
//! Salesforce's IdP issued (kept beside the repository; skipped when absent).

mod support;

use std::path::PathBuf;

use base64::Engine;
use support::saml::{self, NOW, ROLE, SAMPLE_NOW, sample_path};
use support::{Run, samlfx};

/// Writes `content` under target/ (a path relative to the repository, stable in messages).
fn file(name: &str, content: impl AsRef<[u8]>) -> String {
    let dir = PathBuf::from("target/inspect-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_string_lossy().into_owned()
}

fn inspect_json(path: &str, extra: &[&str]) -> (Run, serde_json::Value) {
    let mut args = vec!["inspect", path, "--format", "json"];
    args.extend_from_slice(extra);
    let run = samlfx(&args);
    let json = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run, json)
}

fn codes(json: &serde_json::Value) -> Vec<String> {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap()
            )
        })
        .collect()
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// The crafted response, edited by `edit`, inspected at NOW: its codes (without S116, which
/// every unsigned crafted response draws) and the exit status.
fn crafted(name: &str, xml: String, extra: &[&str]) -> (i32, Vec<String>) {
    let path = file(name, xml);
    let mut args = vec!["--now", NOW];
    args.extend_from_slice(extra);
    let (run, json) = inspect_json(&path, &args);
    let mut c = codes(&json);
    c.retain(|c| !c.starts_with("S116"));
    (run.code, c)
}

#[test]
fn a_valid_response_has_only_its_missing_signature() {
    let (run, json) = inspect_json(&file("valid.xml", saml::valid()), &["--now", NOW]);
    assert_eq!(codes(&json), vec!["S116:error"]);
    assert_eq!(run.code, 1);
    assert_eq!(json["response"]["assertion"]["name_id"], "opaque-id");
    assert_eq!(
        json["response"]["assertion"]["attributes"][0]["values"][0],
        ROLE
    );
    assert_eq!(json["response"]["profile"], "amazon-connect");
}

#[test]
fn one_rule_each() {
    let valid = saml::valid();
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        (
            "no-role",
            valid.replace(
                "https://aws.amazon.com/SAML/Attributes/Role\"",
                "https://aws.amazon.com/SAML/Attributes/Roles\"",
            ),
            vec!["A100:warning", "A102:error"],
        ),
        (
            "bad-session",
            saml::response(ROLE, "j doe"),
            vec!["A121:error"],
        ),
        (
            "long-session",
            saml::response(ROLE, &"j".repeat(65)),
            vec!["A120:error"],
        ),
        (
            "expired",
            valid.replace("2026-01-01T00:05:00.000Z", "2026-01-01T00:00:05.000Z"),
            vec!["S112:error"],
        ),
        (
            "recipient",
            valid.replace(
                "Recipient=\"https://signin.aws.amazon.com/saml\"",
                "Recipient=\"https://acme.example.com/saml\"",
            ),
            vec!["S109:error", "S110:warning"],
        ),
        // The Recipient follows the same sign-in endpoint rule as `check`'s ACS URL: the
        // endpoints of "Configuring SAML assertions for the authentication response", IAM User
        // Guide (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html),
        // regional ones with the regions of "AWS Sign-In endpoints and quotas"
        // (https://docs.aws.amazon.com/general/latest/gr/signin-service.html).
        (
            "recipient-saml2",
            valid.replace(
                "Recipient=\"https://signin.aws.amazon.com/saml\"",
                "Recipient=\"https://signin.aws.amazon.com/saml2\"",
            ),
            vec!["S109:error", "S110:warning"],
        ),
        (
            "recipient-fake-region",
            valid.replace(
                "https://signin.aws.amazon.com/saml",
                "https://xx-fake-9.signin.aws.amazon.com/saml",
            ),
            vec!["S109:error"],
        ),
        (
            "audience",
            valid.replace("urn:amazon:webservices", "https://sp.example.com"),
            vec!["S111:warning"],
        ),
        (
            "empty-audience",
            valid.replace("<saml:Audience>urn:amazon:webservices</saml:Audience>", ""),
            vec!["S111:error"],
        ),
        (
            "no-name-id",
            valid.replace(">opaque-id<", "><"),
            vec!["S106:error"],
        ),
        (
            "status",
            valid.replace(":status:Success", ":status:AuthnFailed"),
            vec!["S101:warning"],
        ),
    ];
    for (name, xml, want) in cases {
        let (code, got) = crafted(&format!("{name}.xml"), xml, &[]);
        for w in &want {
            assert!(got.contains(&w.to_string()), "{name}: {got:?} lacks {w}");
        }
        // Unsigned, so every crafted response fails (S116); the rule under test is in `got`.
        assert_eq!(code, 1, "{name}");
    }
}

#[test]
fn provider_first_order_is_accepted() {
    let (a, b) = ROLE.split_once(',').unwrap();
    let (_, got) = crafted(
        "provider-first.xml",
        saml::response(&format!("{b},{a}"), "jdoe@00D000000000001"),
        &[],
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn the_real_salesforce_response() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let (run, json) = inspect_json(
        &format!("{dir}response.b64"),
        &[
            "--idp-cert",
            &format!("{dir}idp-cert.pem"),
            "--now",
            SAMPLE_NOW,
        ],
    );
    let sigs = json["response"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[0]["covers"], "Response");
    assert_eq!(sigs[1]["covers"], "Assertion");
    // Each names the element by its ID and sits at a line of the document.
    assert!(
        sigs[0]["reference"].as_str().unwrap().starts_with("#_"),
        "{sigs:?}"
    );
    assert!(sigs[1]["line"].as_u64().unwrap() > sigs[0]["line"].as_u64().unwrap());
    assert!(sigs.iter().all(|s| s["verified"] == true), "{sigs:?}");
    assert_eq!(
        codes(&json),
        vec!["S117:warning", "S117:warning", "S109:error", "S111:warning"]
    );
    assert_eq!(json["decoding"][0], "base64 (11716 characters)");
    assert_eq!(run.code, 1);
    // Any time after NotOnOrAfter, it has expired.
    let (_, later) = inspect_json(
        &format!("{dir}response.xml"),
        &["--now", "2026-01-01T00:00:00Z"],
    );
    assert!(codes(&later).contains(&"S112:error".to_owned()));
}

#[test]
fn a_value_changed_after_signing_breaks_the_signatures() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let sample = std::fs::read_to_string(format!("{dir}response.xml")).unwrap();
    let tampered = sample.replacen(
        ">john@kolide.co</saml:AttributeValue>",
        ">jane@kolide.co</saml:AttributeValue>",
        1,
    );
    assert_ne!(sample, tampered);
    let (_, json) = inspect_json(
        &file("tampered.xml", tampered),
        &[
            "--idp-cert",
            &format!("{dir}idp-cert.pem"),
            "--now",
            SAMPLE_NOW,
        ],
    );
    let got = codes(&json);
    assert_eq!(
        got.iter().filter(|c| *c == "S115:error").count(),
        2,
        "{got:?}"
    );
    // Neither signature is trusted, so the assertion counts as unsigned.
    assert!(got.contains(&"S116:error".to_owned()));
}

#[test]
fn an_unsigned_assertion_beside_a_signed_one() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let sample = std::fs::read_to_string(format!("{dir}response.xml")).unwrap();
    let s = sample.find("<ds:Signature").unwrap();
    let e = sample.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let sample = format!("{}{}", &sample[..s], &sample[e..]);
    let valid = saml::valid();
    let a = valid.find("<saml:Assertion").unwrap();
    let b = valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let injected = valid[a..b].replace("ID=\"_a1\"", "ID=\"_evil\"");
    let at = sample.find("<saml:Assertion").unwrap();
    let wrapped = format!("{}{injected}{}", &sample[..at], &sample[at..]);
    let (run, json) = inspect_json(
        &file("wrapped.xml", wrapped),
        &[
            "--idp-cert",
            &format!("{dir}idp-cert.pem"),
            "--now",
            SAMPLE_NOW,
        ],
    );
    let got = codes(&json);
    assert!(got.contains(&"S103:error".to_owned()), "{got:?}");
    // Neither of the two is presented as the assertion.
    assert_eq!(json["response"]["assertions"], 2);
    assert!(json["response"]["assertion"].is_null(), "{json}");
    assert_eq!(
        got.iter().filter(|c| *c == "S116:error").count(),
        1,
        "{got:?}"
    );
    // The genuine assertion's signature still verifies: only the injected one is unsigned.
    let sigs = json["response"]["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 1);
    assert_eq!(sigs[0]["verified"], true);
    assert_eq!(run.code, 1);
}

#[test]
fn hostile_xml_is_refused_without_resolving_anything() {
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&x;</samlp:Response>"#;
    let mut laughs = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            "<!ENTITY lol{i} \"{}\">",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&lol9;</samlp:Response>");
    for (name, xml) in [("xxe.xml", xxe.to_owned()), ("laughs.xml", laughs)] {
        // Raw and base64-encoded alike.
        for (n, content) in [
            (name.to_owned(), xml.clone()),
            (format!("{name}.b64"), b64(&xml)),
        ] {
            let (run, json) = inspect_json(&file(&n, content), &[]);
            assert_eq!(codes(&json), vec!["S011:error"], "{n}");
            assert_eq!(run.code, 2, "{n}");
            assert!(!run.stdout.contains("root:"), "{n}");
        }
    }
}

#[test]
fn bad_inputs_exit_2_with_a_code() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let no_post = serde_json::json!({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://acme.my.salesforce.com/idp/login?app=0sp1"}},
        {"request": {"method": "POST", "url": "https://acme.my.salesforce.com/login",
                     "postData": {"text": "username=a&pw=b"}}}
    ]}})
    .to_string();
    for (name, content, code) in [
        ("bad.b64", "PHNhbWxwOlJlc3BvbnNl\n*&^".to_owned(), "S002"),
        ("truncated.b64", "PHNhbWxwOlJlc3BvbnNlP".to_owned(), "S002"),
        ("empty.txt", String::new(), "S001"),
        ("nopost.har", no_post, "S005"),
        (
            "assertion.xml",
            "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>".to_owned(),
            "S100",
        ),
        (
            "broken.xml",
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><a>".to_owned(),
            "S010",
        ),
    ] {
        let (run, json) = inspect_json(&file(name, content), &[]);
        assert_eq!(codes(&json), vec![format!("{code}:error")], "{name}");
        assert_eq!(run.code, 2, "{name}");
    }
    let run = samlfx(&["inspect", "target/inspect-tests/does-not-exist"]);
    assert_eq!(run.code, 2);
    let run = samlfx(&[
        "inspect",
        &format!("{dir}response.xml"),
        "--idp-cert",
        &format!("{dir}README.md"),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("S050"), "{}", run.stderr);
}

/// The RelayState posted beside the response is checked (S122, a warning): an https URL of the
/// AWS console, for Amazon Connect `https://<region>.console.aws.amazon.com/connect/federate/<instance id>`
/// ("Configure SAML with IAM for Amazon Connect", Amazon Connect Administrator Guide,
/// https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html).
#[test]
fn the_relay_state_goes_to_the_console() {
    let b = b64(&saml::valid())
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let posted = |relay: &str| format!("SAMLResponse={b}&RelayState={relay}");
    let good = posted(
        "https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconnect%2Ffederate%2F0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d%3Fdestination%3D%252Fccp-v2",
    );
    let (_, json) = inspect_json(&file("relay-good.form", good), &["--now", NOW]);
    assert!(
        !codes(&json).iter().any(|c| c.starts_with("S122")),
        "{json}"
    );
    // Connect's login page instead of its federation URL.
    let login = posted(
        "https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconnect%2Flogin%2F0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
    );
    let (run, json) = inspect_json(&file("relay-login.form", login), &["--now", NOW]);
    let relay: Vec<&serde_json::Value> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "S122")
        .collect();
    assert_eq!(relay.len(), 1, "{json}");
    assert_eq!(relay[0]["severity"], "warning");
    assert_eq!(relay[0]["span"]["start"], 40);
    assert!(
        relay[0]["help"]
            .as_str()
            .unwrap()
            .contains("/connect/federate/<instance id>")
    );
    assert_eq!(run.code, 1, "S116 as for every unsigned crafted response");
    // In human output the finding shows the RelayState itself.
    let form = file(
        "relay-evil.form",
        posted("https%3A%2F%2Fevil.example%2Fconnect%2Ffederate%2Fx"),
    );
    let human = samlfx(&["inspect", &form, "--now", NOW]);
    assert!(human.stderr.contains("warning[S122]"), "{}", human.stderr);
    assert!(human.stderr.contains("<RelayState>"), "{}", human.stderr);
    assert!(
        human
            .stderr
            .contains("https://evil.example/connect/federate/x"),
        "{}",
        human.stderr
    );
}

#[test]
fn form_bodies_and_hars_decode_to_the_same_response() {
    let b = b64(&saml::valid());
    let form = format!(
        "SAMLResponse={}&RelayState={}",
        b.replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D"),
        "https%3A%2F%2Fus-east-1.console.aws.amazon.com%2Fconnect%2Ffederate%2F0a1b2c3d-0000-4000-8000-000000000000"
    );
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "POST", "url": "https://signin.aws.amazon.com/saml",
                     "postData": {"mimeType": "application/x-www-form-urlencoded", "text": form}}}
    ]}})
    .to_string();
    let (_, direct) = inspect_json(&file("same.xml", saml::valid()), &["--now", NOW]);
    for (name, content, steps) in [
        ("same.b64", b.clone(), 1),
        ("same.form", form.clone(), 2),
        ("same.har", har, 3),
    ] {
        let (_, json) = inspect_json(&file(name, content), &["--now", NOW]);
        assert_eq!(json["response"], direct["response"], "{name}");
        assert_eq!(codes(&json), codes(&direct), "{name}");
        assert_eq!(json["decoding"].as_array().unwrap().len(), steps, "{name}");
        if steps > 1 {
            assert!(
                json["relay_state"]
                    .as_str()
                    .unwrap()
                    .contains("/connect/federate/")
            );
        }
    }
    // Spans point into the decoded XML, whose name says where it came from.
    let (_, json) = inspect_json(&file("named.har.b64", b), &["--now", NOW]);
    assert_eq!(
        json["diagnostics"][0]["file"],
        "target/inspect-tests/named.har.b64#base64"
    );
}

#[test]
fn human_output_summarises_the_response() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let run = samlfx(&[
        "inspect",
        &format!("{dir}response.xml"),
        "--idp-cert",
        &format!("{dir}idp-cert.pem"),
        "--now",
        SAMPLE_NOW,
        "--color",
        "never",
    ]);
    let stdout = run.stdout.replace(&dir, "<sample>/");
    insta::assert_snapshot!("inspect_sample_summary", stdout);
    assert!(run.stderr.contains("inspected "), "{}", run.stderr);
}

/// `samlfx simulate … | samlfx inspect --idp-cert … -` on the bundled example: no error.
#[test]
fn simulate_piped_into_inspect_reports_no_errors() {
    use std::process::{Command, Stdio};
    let cert = file("piped-cert.pem", "");
    let bin = env!("CARGO_BIN_EXE_samlfx");
    let root = env!("CARGO_MANIFEST_DIR");
    for encoding in ["xml", "base64", "form"] {
        let mut simulate = Command::new(bin)
            .current_dir(root)
            .args([
                "simulate",
                "examples/voice",
                "--user",
                "examples/voice/user.json",
                "--org",
                "examples/voice/org.json",
                "--print-cert",
                &cert,
                "--encoding",
                encoding,
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let inspect = Command::new(bin)
            .current_dir(root)
            .args(["inspect", "-", "--idp-cert", &cert, "--format", "json"])
            .stdin(simulate.stdout.take().unwrap())
            .output()
            .unwrap();
        assert!(simulate.wait().unwrap().success(), "{encoding}");
        let json: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        let errors: Vec<_> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{encoding}: {errors:?}");
        assert_eq!(inspect.status.code(), Some(0), "{encoding}");
        let sigs = json["response"]["signatures"].as_array().unwrap();
        assert_eq!(sigs.len(), 2, "{encoding}");
        assert!(sigs.iter().all(|s| s["verified"] == true), "{encoding}");
        assert_eq!(json["summary"]["errors"], 0);
    }
}

/// With --app and --user the capture is compared with what the app would send now.
#[test]
fn a_capture_against_the_app_and_user() {
    let user = "examples/voice/user.json";
    let sim = samlfx(&[
        "simulate",
        "examples/voice",
        "--user",
        user,
        "--org",
        "examples/voice/org.json",
        "--now",
        "2026-01-01T00:00:00Z",
        "--key",
        "tests/fixtures/simulate/test-key.pem",
        "--cert",
        "tests/fixtures/simulate/test-cert.pem",
    ]);
    assert_eq!(sim.code, 0, "{}", sim.stderr);
    let captured = file("captured.xml", &sim.stdout);
    let args = |who: &str| {
        vec![
            "--now".to_owned(),
            "2026-01-01T00:00:30Z".to_owned(),
            "--app".to_owned(),
            "examples/voice".to_owned(),
            "--user".to_owned(),
            who.to_owned(),
            "--org".to_owned(),
            "examples/voice/org.json".to_owned(),
        ]
    };
    let same = args(user);
    let (run, json) = inspect_json(
        &captured,
        &same.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(codes(&json), vec!["S119:info"], "{}", run.stderr);
    // Another user: the values that depend on the user differ, each at the captured bytes.
    let original = std::fs::read_to_string(user).unwrap();
    let other = file(
        "other-user.json",
        original.replace("jane.doe@acme.example.com", "john@acme.example.com"),
    );
    let (run, json) = inspect_json(
        &captured,
        &args(&other).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let got = codes(&json);
    assert_eq!(
        got.iter().filter(|c| *c == "S200:warning").count(),
        2,
        "{got:?}"
    );
    assert_eq!(run.code, 0);
    for d in json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "S200")
    {
        let (s, e) = (
            d["span"]["start"].as_u64().unwrap() as usize,
            d["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&sim.stdout[s..e], "jane.doe@acme.example.com");
    }
}

/// The certificate inside the response's KeyInfo proves nothing: against another certificate
/// (the test key's), neither signature of the real response verifies.
#[test]
fn another_certificate_verifies_nothing() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let (run, json) = inspect_json(
        &format!("{dir}response.xml"),
        &[
            "--idp-cert",
            "tests/fixtures/simulate/test-cert.pem",
            "--now",
            SAMPLE_NOW,
        ],
    );
    let sigs = json["response"]["signatures"].as_array().unwrap();
    assert!(sigs.iter().all(|s| s["verified"] == false), "{sigs:?}");
    let got = codes(&json);
    assert_eq!(
        got.iter().filter(|c| *c == "S115:error").count(),
        2,
        "{got:?}"
    );
    assert!(got.contains(&"S116:error".to_owned()));
    assert_eq!(run.code, 1);
}

/// Signature wrapping, built from the real Salesforce response: the signed assertion hidden in
/// `<samlp:Extensions>`, an attacker's assertion where the assertion belongs, and a forged
/// Response signature (the genuine one with its digest changed). Whether the forged signature
/// sits after the hidden assertion inside Extensions, or as the Response's last child (where
/// libxmlsec, which verifies the first signature in document order, would have checked the
/// hidden assertion's instead), it is never reported verified, the attacker's assertion is
/// unsigned (S116), and the run fails. A forged signature appended to an untouched response is
/// not verified either.
#[test]
fn signature_wrapping_with_a_forged_response_signature_is_never_signed() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let sample = std::fs::read_to_string(format!("{dir}response.xml")).unwrap();
    // The genuine Response signature (the first), and its forgery.
    let s = sample.find("<ds:Signature").unwrap();
    let e = sample.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
    let genuine = &sample[s..e];
    let forged = genuine.replacen("<ds:DigestValue>s", "<ds:DigestValue>t", 1);
    assert_ne!(forged, genuine);
    let without = format!("{}{}", &sample[..s], &sample[e..]);
    let a = without.find("<saml:Assertion").unwrap();
    let b = without.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let signed_assertion = &without[a..b];
    let valid = saml::valid();
    let (va, vb) = (
        valid.find("<saml:Assertion").unwrap(),
        valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len(),
    );
    let attacker = valid[va..vb].replace(">opaque-id<", ">admin<");
    let status = without.find("<samlp:Status").unwrap();
    let inside = format!(
        "{}<samlp:Extensions>{signed_assertion}{forged}</samlp:Extensions>{}{attacker}{}",
        &without[..status],
        &without[status..a],
        &without[b..]
    );
    let end = without.rfind("</samlp:Response>").unwrap();
    let last_child = {
        let w = format!(
            "{}<samlp:Extensions>{signed_assertion}</samlp:Extensions>{}{attacker}{}",
            &without[..status],
            &without[status..a],
            &without[b..end]
        );
        format!("{w}{forged}</samlp:Response>")
    };
    let appended = format!(
        "{}{forged}</samlp:Response>",
        &sample[..sample.rfind("</samlp:Response>").unwrap()]
    );
    for (what, xml, attack) in [
        ("forged signature inside Extensions", inside, true),
        (
            "forged signature as the Response's last child",
            last_child,
            true,
        ),
        (
            "forged signature appended to the genuine response",
            appended,
            false,
        ),
    ] {
        let (run, json) = inspect_json(
            &file(&format!("wrap-{}.xml", what.len()), xml),
            &[
                "--idp-cert",
                &format!("{dir}idp-cert.pem"),
                "--now",
                SAMPLE_NOW,
            ],
        );
        let sigs = json["response"]["signatures"].as_array().unwrap();
        let forged_checks: Vec<_> = sigs
            .iter()
            .filter(|s| s["covers"] == "Response" && s["verified"] != true)
            .collect();
        assert!(!forged_checks.is_empty(), "{what}: {sigs:#?}");
        // No forged Response signature is verified: at most the genuine one.
        let verified_response = sigs
            .iter()
            .filter(|s| s["covers"] == "Response" && s["verified"] == true)
            .count();
        assert!(
            verified_response <= usize::from(!attack),
            "{what}: {sigs:#?}"
        );
        let got = codes(&json);
        assert!(got.contains(&"S115:error".to_owned()), "{what}: {got:?}");
        if attack {
            assert!(got.contains(&"S116:error".to_owned()), "{what}: {got:?}");
        }
        assert_eq!(run.code, 1, "{what}: {got:?}");
    }
}

/// S115 says why a signature fails, read from libxmlsec's own lines, which never reach stderr
/// raw: an algorithm libxmlsec does not know (as a real ADFS writes `xmldsig-more#rsa-sha1`),
/// a signature value another key made, a digest that no longer matches. The JSON carries the
/// notes and the primary label like the human report.
#[test]
fn an_invalid_signature_says_why() {
    let Some(dir) = sample_path("") else {
        return;
    };
    let sample = std::fs::read_to_string(format!("{dir}response.xml")).unwrap();
    let unknown = sample.replacen("xmldsig#rsa-sha1\"", "xmldsig-more#rsa-sha1\"", 1);
    let value = {
        let i = sample.find("<ds:SignatureValue>").unwrap() + "<ds:SignatureValue>\n".len();
        let c = if &sample[i..=i] == "A" { "B" } else { "A" };
        format!("{}{c}{}", &sample[..i], &sample[i + 1..])
    };
    let digest = sample.replacen(">john@kolide.co<", ">jane@kolide.co<", 1);
    for (what, xml, note) in [
        (
            "unknown",
            unknown,
            "libxmlsec does not know the algorithm `http://www.w3.org/2000/09/xmldsig-more#rsa-sha1`",
        ),
        (
            "value",
            value,
            "libxmlsec: the signature value does not match the certificate's key",
        ),
        (
            "digest",
            digest,
            "libxmlsec: the digest of the signed element does not match",
        ),
    ] {
        let (run, json) = inspect_json(
            &file(&format!("why-{what}.xml"), xml),
            &[
                "--idp-cert",
                &format!("{dir}idp-cert.pem"),
                "--now",
                SAMPLE_NOW,
            ],
        );
        assert!(
            !run.stderr.contains("func="),
            "{what}: libxmlsec's raw lines: {}",
            run.stderr
        );
        let s115: Vec<&serde_json::Value> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "S115")
            .collect();
        assert!(!s115.is_empty(), "{what}");
        let notes = s115[0]["notes"].as_array().unwrap();
        assert!(
            notes[0].as_str().unwrap().starts_with(note),
            "{what}: {notes:?}"
        );
        assert!(
            notes[1]
                .as_str()
                .unwrap()
                .contains("Response signature invalid")
        );
        assert_eq!(s115[0]["label"], "this signature");
    }
}

/// `--idp-cert` is read within a bound: an endless file is S050, not read into memory.
#[test]
fn an_endless_certificate_file_is_refused() {
    let (run, json) = inspect_json(
        &file("bounded.xml", saml::valid()),
        &["--idp-cert", "/dev/zero"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(codes(&json).contains(&"S050:error".to_owned()), "{json}");
}

/// An assertion encrypted as an IdP encrypts it (XML Encryption: AES-128-CBC content, the key
/// wrapped with RSA-OAEP to the service provider's certificate), in place of the crafted
/// response's assertion with RoleSessionName `session`.
fn encrypted_response(session: &str) -> String {
    use base64::Engine as _;
    use openssl::rsa::Padding;
    use openssl::symm::{Cipher, encrypt};
    let valid = saml::response(ROLE, session);
    let a = valid.find("<saml:Assertion").unwrap();
    let b = valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
    let cert_pem = std::fs::read("tests/fixtures/simulate/test-cert.pem").unwrap();
    let rsa = openssl::x509::X509::from_pem(&cert_pem)
        .unwrap()
        .public_key()
        .unwrap()
        .rsa()
        .unwrap();
    let (key, iv) = ([7u8; 16], [9u8; 16]);
    let mut data = iv.to_vec();
    data.extend(
        encrypt(
            Cipher::aes_128_cbc(),
            &key,
            Some(&iv),
            &valid.as_bytes()[a..b],
        )
        .unwrap(),
    );
    let mut wrapped = vec![0u8; rsa.size() as usize];
    let n = rsa
        .public_encrypt(&key, &mut wrapped, Padding::PKCS1_OAEP)
        .unwrap();
    wrapped.truncate(n);
    let b64 = |v: &[u8]| base64::engine::general_purpose::STANDARD.encode(v);
    let encrypted = format!(
        r#"<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"/><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>"#,
        b64(&wrapped),
        b64(&data)
    );
    format!("{}{encrypted}{}", &valid[..a], &valid[b..])
}

/// `--sp-key` decrypts an encrypted assertion as AWS does with the key uploaded to IAM, and the
/// assertion is checked like any other (its RoleSessionName among the rest); without the key,
/// or with another one, nothing in the response is vouched for.
#[test]
fn an_encrypted_assertion_is_decrypted_with_the_sp_key_and_checked() {
    let path = file("encrypted.xml", encrypted_response("bad name"));
    let key = "tests/fixtures/simulate/test-key.pem";
    let (run, json) = inspect_json(&path, &["--sp-key", key, "--now", NOW]);
    let got = codes(&json);
    assert_eq!(
        json["response"]["assertion"]["name_id"], "opaque-id",
        "{json}"
    );
    assert!(got.contains(&"S102:info".to_owned()), "{got:?}");
    // The decrypted content is checked: a space in the RoleSessionName.
    assert!(got.iter().any(|c| c.starts_with("A121")), "{got:?}");
    // The crafted response is unsigned: the decrypted assertion is not vouched for either.
    assert!(got.contains(&"S116:error".to_owned()), "{got:?}");
    assert!(
        json["document"].as_str().unwrap().ends_with("#decrypted"),
        "{json}"
    );
    assert_eq!(run.code, 1);

    let (_, json) = inspect_json(&path, &["--now", NOW]);
    let got = codes(&json);
    assert!(
        got.contains(&"S102:info".to_owned()) && got.contains(&"S116:error".to_owned()),
        "{got:?}"
    );
    assert!(!got.iter().any(|c| c.starts_with("A121")), "{got:?}");

    let other = openssl::rsa::Rsa::generate(2048).unwrap();
    let other_pem = file(
        "other-sp-key.pem",
        openssl::pkey::PKey::from_rsa(other)
            .unwrap()
            .private_key_to_pem_pkcs8()
            .unwrap(),
    );
    let (run, json) = inspect_json(&path, &["--sp-key", &other_pem, "--now", NOW]);
    assert!(codes(&json).contains(&"S125:error".to_owned()), "{json}");
    assert_eq!(run.code, 1);
}
