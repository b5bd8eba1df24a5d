//! `samlfx check` end to end: the bundled examples in every format (goldens), every reported
//! span re-read from the file's bytes, and bad input ending in a diagnostic with status 2.

mod support;

use support::samlfx;

use std::path::{Path, PathBuf};

const BROKEN: &str = "examples/voice-broken";
const GOOD: &str = "examples/voice";

#[test]
fn the_correct_example_has_no_error() {
    let r = samlfx(&["check", GOOD]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("error["), "{}", r.stderr);
    assert!(r.stderr.contains("checked "), "{}", r.stderr);
}

#[test]
fn the_broken_example_in_every_format() {
    for format in ["human", "json", "sarif", "github"] {
        let r = samlfx(&["check", "--format", format, BROKEN]);
        assert_eq!(r.code, 1, "{format}: {}{}", r.stdout, r.stderr);
        let shown = if format == "human" {
            assert!(r.stdout.is_empty(), "human output goes to stderr");
            r.stderr
        } else {
            assert!(r.stderr.is_empty(), "{format}: {}", r.stderr);
            r.stdout
        };
        insta::assert_snapshot!(format!("broken_{format}"), shown);
    }
}

/// Every span the JSON report gives, re-read from the bytes of its file: it lies inside the file
/// on character boundaries, its line and column agree with its offset, and the findings about
/// the formulas (written with `&amp;` and `&apos;` in the XML) point at the intended text.
#[test]
fn every_reported_span_is_the_intended_text() {
    let r = samlfx(&["check", "--format", "json", BROKEN]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen: Vec<(String, String, String)> = Vec::new();
    for d in json["diagnostics"].as_array().expect("diagnostics") {
        let (Some(file), Some(span)) = (d["file"].as_str(), d["span"].as_object()) else {
            continue;
        };
        let text = std::fs::read_to_string(root.join(file)).expect("the file reads");
        let start = span["start"].as_u64().unwrap() as usize;
        let end = span["end"].as_u64().unwrap() as usize;
        assert!(start <= end && end <= text.len(), "{d}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{d}"
        );
        let line = text[..start].matches('\n').count() + 1;
        let column = text[..start].rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(span["line"].as_u64(), Some(line as u64), "{d}");
        assert_eq!(span["column"].as_u64(), Some(column as u64), "{d}");
        seen.push((
            d["code"].as_str().unwrap().to_owned(),
            file.rsplit('/').next().unwrap().to_owned(),
            text[start..end].to_owned(),
        ));
    }
    let has = |code: &str, file: &str, bytes: &str| {
        seen.iter()
            .any(|(c, f, t)| c == code && f.ends_with(file) && t == bytes)
    };
    // The account that lost a digit, inside the Role formula of samlfx.toml.
    assert!(has("A008", "samlfx.toml", "12345678901"), "{seen:#?}");
    // `&amp;` pasted into a formula, at its own bytes.
    assert!(has("F008", "samlfx.toml", "&amp;"), "{seen:#?}");
    // In the XML: a formula escaped twice holds `&apos;`, written `&amp;apos;` in the file.
    assert!(
        has("F001", ".connectedApp-meta.xml", "&amp;apos;"),
        "{seen:#?}"
    );
    // The space in the username, inside CDATA.
    assert!(has("A121", ".connectedApp-meta.xml", " "), "{seen:#?}");
    assert!(has("A121", "samlfx.toml", " "), "{seen:#?}");
    // The contact center's role ARN with `roles/`, and its trailing space.
    assert!(has("A009", ".callCenter-meta.xml", "roles"), "{seen:#?}");
    assert!(has("C205", ".callCenter-meta.xml", " "), "{seen:#?}");
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samlfx-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const NS: &str = "http://soap.sforce.com/2006/04/metadata";

fn connected_app(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"{NS}\">{body}</ConnectedApp>\n"
    )
}

/// Bad input: a diagnostic with its code, status 2, never a panic.
#[test]
fn bad_input_is_an_input_error() {
    let dir = scratch("bad");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let saml = "<samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>A</entityUrl><samlSubjectType>PersistentID</samlSubjectType></samlConfig>";
    let big = {
        let mut v = connected_app("").into_bytes();
        v.resize(50 << 20, b' ');
        v
    };
    let cases: Vec<(String, &str)> = vec![
        (write("malformed.connectedApp-meta.xml", b"<ConnectedApp><samlConfig></ConnectedApp>"), "C004"),
        (write("root.connectedApp-meta.xml", b"<CallCenter/>"), "C007"),
        (
            write(
                "doctype.connectedApp-meta.xml",
                b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]><ConnectedApp>&lol2;</ConnectedApp>",
            ),
            "C005",
        ),
        (write("big.connectedApp-meta.xml", &big), "C002"),
        (write("binary.connectedApp-meta.xml", &[0xff, 0xfe, 0x00, 0x01, 0x9f]), "C003"),
        (dir.join("missing.connectedApp-meta.xml").to_str().unwrap().to_owned(), "C001"),
        (scratch("empty").to_str().unwrap().to_owned(), "C015"),
    ];
    for (path, code) in cases {
        let r = samlfx(&["check", "--format", "json", &path]);
        assert_eq!(r.code, 2, "{path}: {}", r.stdout);
        let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
        let codes: Vec<&str> = json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&code), "{path}: {codes:?}");
        let human = samlfx(&["check", &path]);
        assert_eq!(human.code, 2);
        assert!(
            human.stderr.contains(&format!("[{code}]")),
            "{}",
            human.stderr
        );
        assert!(
            human.stderr.to_lowercase().contains("help:"),
            "{}",
            human.stderr
        );
    }
    // A file that was read but holds a mistake (an enumeration value) is a finding: exit 1,
    // and the user's policy can change its severity like any other.
    let enum_file = write("enum.connectedApp-meta.xml", connected_app(saml).as_bytes());
    let r = samlfx(&["check", "--format", "json", &enum_file]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("\"C010\""), "{}", r.stdout);
    let r = samlfx(&[
        "check", "--format", "json", "--warn", "C010", "--allow", "A102", &enum_file,
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
}

#[test]
fn severities_from_the_command_line_and_the_file() {
    // `--allow` drops a code; `--fail-on warning` fails on the correct example's warnings.
    let r = samlfx(&["check", "--fail-on", "warning", GOOD]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let dir = scratch("severity");
    let toml = std::fs::read_to_string(Path::new(GOOD).join("samlfx.toml")).unwrap();
    std::fs::write(
        dir.join("samlfx.toml"),
        format!("{toml}\n[severity]\nA121 = 'allow'\nA200 = 'allow'\n"),
    )
    .unwrap();
    let r = samlfx(&["check", "--fail-on", "warning", dir.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The command line wins over the file.
    let r = samlfx(&[
        "check",
        "--warn",
        "A121",
        "--fail-on",
        "warning",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("warning[A121]"), "{}", r.stderr);
}

/// The bundled user, as `sf data query --json` prints it, through the example's username
/// formula: a value Amazon Connect accepts.
#[test]
fn the_bundled_user_gets_a_valid_username() {
    let r = samlfx(&[
        "eval",
        "--context",
        "examples/voice/user.json",
        "--set",
        "$Organization.Id=00D5g000004Xyz1",
        "--attribute",
        "RoleSessionName",
        "--profile",
        "amazon-connect",
        "$User.Alias & '@' & $User.Id & '@' & $Organization.Id",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "jdoe@005Hs00000AbCdE@00D5g000004Xyz1\n");
    // Only the static warnings about $User.Alias; the value itself passes.
    assert!(!r.stderr.contains("<value>"), "{}", r.stderr);
}
