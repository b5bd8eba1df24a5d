//! `samlfx audit` end to end: counts that reconcile, the two export formats agreeing, collisions,
//! the Bulk API CSV's quoting, sf's nested relationship records, every bad input, and goldens of
//! the bundled Service Cloud Voice export.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value as Json;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn samlfx_stdin(args: &[&str], stdin: Option<&[u8]>) -> Run {
    samlfx_env(args, stdin, &[])
}

fn samlfx_env(args: &[&str], stdin: Option<&[u8]>, env: &[(&str, &std::path::Path)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_samlfx"));
    cmd.args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(bytes).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

fn samlfx(args: &[&str]) -> Run {
    samlfx_stdin(args, None)
}

const APP: &str = "examples/voice/samlfx.toml";
const ORG: &str = "examples/voice/org.json";

/// A fresh directory under the system's temp directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samlfx-audit-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A samlfx.toml with one RoleSessionName formula (and optional other attributes).
fn app(dir: &std::path::Path, attributes: &[(&str, &str)]) -> String {
    let mut toml = String::from(
        "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n",
    );
    for (key, formula) in attributes {
        toml.push_str(&format!(
            "\n[[attributes]]\nkey = \"{key}\"\nformula = \"{}\"\n",
            formula.replace('"', "\\\"")
        ));
    }
    let path = dir.join("samlfx.toml");
    std::fs::write(&path, toml).unwrap();
    path.display().to_string()
}

const RSN: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

fn json_audit(args: &[&str]) -> (i32, Json) {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let r = samlfx(&all);
    assert!(
        r.stderr.is_empty(),
        "json writes only to stdout: {}",
        r.stderr
    );
    let v: Json = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    (r.code, v)
}

fn assert_reconciles(v: &Json) {
    let s = &v["summary"];
    assert_eq!(
        s["users"].as_u64().unwrap(),
        s["evaluated"].as_u64().unwrap() + s["unreadable"].as_u64().unwrap(),
        "{s}"
    );
}

/// (Id, code, value) of every finding, and the collisions' Ids: what both formats must agree on.
fn findings(v: &Json) -> Vec<String> {
    let mut out = Vec::new();
    for f in v["failures"].as_array().unwrap() {
        for x in f["findings"].as_array().unwrap() {
            out.push(format!("{} {} {}", f["user"]["Id"], x["code"], x["value"]));
        }
    }
    for c in v["collisions"].as_array().unwrap() {
        let ids: Vec<String> = c["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Id"].to_string())
            .collect();
        out.push(format!("collision {} {}", c["value"], ids.join(" ")));
    }
    out
}

#[test]
fn bundled_export_golden_in_both_formats() {
    for file in ["users.csv", "users.json"] {
        let users = format!("examples/voice/{file}");
        let r = samlfx(&["audit", APP, "--users", &users, "--org", ORG]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stdout.is_empty());
        insta::assert_snapshot!(format!("audit_human_{file}"), r.stderr);
        let (code, v) = json_audit(&[APP, "--users", &users, "--org", ORG]);
        assert_eq!(code, 1);
        insta::assert_json_snapshot!(format!("audit_json_{file}"), v);
    }
}

#[test]
fn both_formats_give_the_same_findings() {
    let (_, csv) = json_audit(&[APP, "--users", "examples/voice/users.csv", "--org", ORG]);
    let (_, json) = json_audit(&[APP, "--users", "examples/voice/users.json", "--org", ORG]);
    assert_eq!(findings(&csv), findings(&json));
    assert_eq!(csv["summary"], json["summary"]);
    // The Amazon Connect alias of KB 004867756 and the two Ids equal but for case are found.
    let all = findings(&csv).join("\n");
    assert!(all.contains("\"005Hs00000KmNoPIAV\" \"A121\""), "{all}");
    assert!(all.contains("\"005Hs00000VwXyZIAV\" \"A200\""), "{all}");
    assert!(all.contains("collision"), "{all}");
}

/// A generated CSV of `n` users, every tenth row broken in one of three ways.
fn broken_csv(n: usize) -> String {
    let mut s = String::from("Id,Username,IsActive,Alias\n");
    for i in 0..n {
        let id = format!("005Hs{i:010}");
        match i % 10 {
            3 => s.push_str(&format!("{id},u{i}@x.com,true\n")),
            6 => s.push_str(&format!("005-bad-{i},u{i}@x.com,true,a{i}\n")),
            9 => s.push_str(&format!("{id},u{i}@x.com,maybe,a{i}\n")),
            7 => s.push_str(&format!("{id},u{i}@x.com,true,\"a {i}\"\n")),
            _ => s.push_str(&format!("{id},u{i}@x.com,true,a{i}\n")),
        }
    }
    s
}

/// The same users as sf data query --json, every tenth record broken likewise.
fn broken_json(n: usize) -> String {
    let mut records = Vec::new();
    for i in 0..n {
        let id = format!("005Hs{i:010}");
        let r = match i % 10 {
            3 => format!(
                "{{\"attributes\":{{\"type\":\"User\"}},\"Id\":\"{id}\",\"Username\":\"u{i}@x.com\",\"IsActive\":true,\"Alias\":{{\"x\":1}}}}"
            ),
            6 => format!(
                "{{\"attributes\":{{\"type\":\"User\"}},\"Id\":\"005-bad-{i}\",\"Username\":\"u{i}@x.com\",\"IsActive\":true,\"Alias\":\"a{i}\"}}"
            ),
            9 => "[1, 2]".to_owned(),
            7 => format!(
                "{{\"attributes\":{{\"type\":\"User\"}},\"Id\":\"{id}\",\"Username\":\"u{i}@x.com\",\"IsActive\":true,\"Alias\":\"a {i}\"}}"
            ),
            _ => format!(
                "{{\"attributes\":{{\"type\":\"User\"}},\"Id\":\"{id}\",\"Username\":\"u{i}@x.com\",\"IsActive\":true,\"Alias\":\"a{i}\"}}"
            ),
        };
        records.push(r);
    }
    format!(
        "{{\"status\": 0, \"result\": {{\"records\": [\n{}\n], \"totalSize\": {n}, \"done\": true}}}}\n",
        records.join(",\n")
    )
}

#[test]
fn counts_reconcile_with_broken_rows_on_one_and_four_threads() {
    let dir = scratch("reconcile");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    // Several chunks, so that four threads really interleave.
    let n = 5_000;
    for (name, text) in [("users.csv", broken_csv(n)), ("users.json", broken_json(n))] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let path = path.display().to_string();
        let (c1, one) = json_audit(&[&app, "--users", &path, "--jobs", "1"]);
        let (c4, four) = json_audit(&[&app, "--users", &path, "--jobs", "4"]);
        assert_eq!((c1, c4), (1, 1));
        assert_reconciles(&one);
        assert_eq!(one, four, "{name}: --jobs 4 differs from --jobs 1");
        let s = &one["summary"];
        assert_eq!(s["users"], n as u64, "{name}");
        assert_eq!(s["unreadable"], (n / 10 * 3) as u64, "{name}");
        assert_eq!(s["failing"], (n / 10) as u64, "{name}");
        // Failures and unreadable rows are listed in input order.
        let lines: Vec<u64> = one["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["line"].as_u64().unwrap())
            .collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "{name}");
        let diags = one["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), n / 10 * 3, "{name}");
        assert!(diags.iter().all(|d| d["line"].as_u64().unwrap() > 1));
    }
}

#[test]
fn collisions_exact_and_ignoring_case_name_both_users() {
    let dir = scratch("collide");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let users = dir.join("users.csv");
    std::fs::write(
        &users,
        "Id,Username,IsActive,Alias\n\
         005Hs00000AbCdEIAV,a@x.com,true,jdoe\n\
         005Hs00000KmNoPIAV,b@x.com,true,jdoe\n\
         005Hs00000VwXyZIAV,c@x.com,true,JDoe\n\
         005Hs00000GhIjKIAV,d@x.com,true,other\n",
    )
    .unwrap();
    let users = users.display().to_string();
    let (code, v) = json_audit(&[&app, "--users", &users, "--profile", "aws"]);
    assert_eq!(
        code, 0,
        "under aws a shared session name is no failure: {v}"
    );
    let c = v["collisions"].as_array().unwrap();
    assert_eq!(c.len(), 2, "{v}");
    assert_eq!(c[0]["case_insensitive"], false);
    assert_eq!(c[0]["value"], "jdoe");
    assert_eq!(c[0]["users"][0]["Id"], "005Hs00000AbCdEIAV");
    assert_eq!(c[0]["users"][1]["Id"], "005Hs00000KmNoPIAV");
    assert_eq!(c[0]["users"][1]["Username"], "b@x.com");
    assert_eq!(c[1]["case_insensitive"], true);
    assert_eq!(c[1]["users"][1]["Id"], "005Hs00000VwXyZIAV");
    // Under Amazon Connect two users would share one agent: that fails.
    let (code, _) = json_audit(&[&app, "--users", &users, "--profile", "amazon-connect"]);
    assert_eq!(code, 1);
}

#[test]
fn bulk_csv_with_embedded_newlines_and_quotes() {
    let dir = scratch("quotes");
    let app = app(
        &dir,
        &[
            (RSN, "$User.Alias"),
            (
                "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Title",
                "$User.Title",
            ),
        ],
    );
    let users = dir.join("users.csv");
    std::fs::write(
        &users,
        "\"Id\",\"Username\",\"IsActive\",\"Alias\",\"Title\"\n\
         \"005Hs00000AbCdEIAV\",\"a@x.com\",\"true\",\"jdoe\",\"Agent, \"\"Tier 2\"\"\nNight shift\"\n\
         \"005Hs00000KmNoPIAV\",\"b@x.com\",\"true\",\"o\"\"b\",\"Agent\"\n",
    )
    .unwrap();
    let users = users.display().to_string();
    let (_, v) = json_audit(&[&app, "--users", &users, "--profile", "aws"]);
    assert_eq!(v["summary"]["users"], 2, "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    let f = v["failures"].as_array().unwrap();
    let title = f[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["attribute"].as_str().unwrap().ends_with("Title"))
        .expect("the title with a line break breaks the tag rules");
    assert_eq!(title["value"], "Agent, \"Tier 2\"\nNight shift");
    // The second record starts on line 4: the quoted line break is counted.
    let last = f.last().unwrap();
    assert_eq!(last["line"], 4, "{v}");
    assert_eq!(last["findings"][0]["value"], "o\"b");
}

#[test]
fn sf_json_with_nested_relationship_records() {
    let dir = scratch("nested");
    let app = app(
        &dir,
        &[(
            RSN,
            "SUBSTITUTE($Profile.Name, ' ', '_') & '.' & $UserRole.Name",
        )],
    );
    let q = samlfx(&["audit", &app, "--print-query"]);
    assert_eq!(
        q.stdout,
        "SELECT Id, Username, IsActive, Profile.Name, UserRole.Name FROM User\n"
    );
    let users = dir.join("users.json");
    std::fs::write(
        &users,
        r#"{"status": 0, "result": {"totalSize": 2, "done": true, "records": [
  {"attributes": {"type": "User"}, "Id": "005Hs00000AbCdEIAV", "Username": "a@x.com", "IsActive": true,
   "Profile": {"attributes": {"type": "Profile"}, "Name": "Contact Center Agent"},
   "UserRole": {"attributes": {"type": "UserRole"}, "Name": "Tier 1"}},
  {"attributes": {"type": "User"}, "Id": "005Hs00000KmNoPIAV", "Username": "b@x.com", "IsActive": true,
   "Profile": {"attributes": {"type": "Profile"}, "Name": "Contact Center Agent"},
   "UserRole": null}
]}, "warnings": []}"#,
    )
    .unwrap();
    let users = users.display().to_string();
    let (code, v) = json_audit(&[&app, "--users", &users, "--profile", "aws"]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["summary"]["users"], 2);
    let f = v["failures"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["line"], 2);
    assert_eq!(f[0]["findings"][0]["value"], "Contact_Center_Agent.Tier 1");
}

#[test]
fn gzip_and_stdin_read_the_same_users() {
    let dir = scratch("gzip");
    let csv = std::fs::read("examples/voice/users.csv").unwrap();
    let gz = dir.join("users.csv.gz");
    std::fs::write(&gz, gzip(&csv)).unwrap();
    let (_, plain) = json_audit(&[APP, "--users", "examples/voice/users.csv", "--org", ORG]);
    let (_, zipped) = json_audit(&[APP, "--users", &gz.display().to_string(), "--org", ORG]);
    assert_eq!(findings(&plain), findings(&zipped));
    let r = samlfx_stdin(
        &[
            "audit", APP, "--users", "-", "--org", ORG, "--format", "json",
        ],
        Some(&csv),
    );
    let piped: Json = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(findings(&plain), findings(&piped));
}

#[test]
fn csv_format_has_one_row_per_user_and_finding() {
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        "examples/voice/users.csv",
        "--org",
        ORG,
        "--format",
        "csv",
    ]);
    assert_eq!(r.code, 1);
    let mut rows = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers = rows.headers().unwrap().clone();
    assert_eq!(&headers[0], "line");
    let codes: Vec<String> = rows.records().map(|r| r.unwrap()[4].to_owned()).collect();
    assert_eq!(codes, ["A121", "A200"]);
    assert!(
        r.stderr.contains("U006"),
        "unreadable rows on stderr: {}",
        r.stderr
    );
}

#[test]
fn print_query_selects_what_the_formulas_read() {
    let r = samlfx(&["audit", APP, "--print-query"]);
    assert_eq!(r.code, 0);
    // The app's RoleSessionName reads $Organization.Id: its query is the second line.
    assert_eq!(
        r.stdout,
        "SELECT Id, Username, IsActive, Alias FROM User\nSELECT Id FROM Organization\n"
    );
    let dir = scratch("org-query");
    let alias_only = app(&dir, &[(RSN, "$User.Alias")]);
    let r = samlfx(&["audit", &alias_only, "--print-query"]);
    assert_eq!(r.stdout, "SELECT Id, Username, IsActive, Alias FROM User\n");
}

/// A formula that reads $Organization is not evaluated with a blank org: without --org the
/// audit stops with U009 at the field, exit status 2.
#[test]
fn organization_values_are_required_when_the_formulas_read_them() {
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        "examples/voice/users.csv",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "U009");
    assert!(d["help"].as_str().unwrap().contains("--org"));
    let text = std::fs::read_to_string(d["file"].as_str().unwrap()).unwrap();
    let (s, e) = (
        d["span"]["start"].as_u64().unwrap() as usize,
        d["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "$Organization.Id");
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        "examples/voice/users.csv",
        "--org",
        ORG,
    ]);
    assert_ne!(r.code, 2, "{}", r.stderr);
}

#[test]
fn bad_inputs_exit_2_with_a_diagnostic() {
    let dir = scratch("bad");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let mut binary = vec![0x7f, b'E', b'L', b'F', 0, 0, 1];
    binary.extend((0..4096u32).map(|i| (i * 7) as u8));
    // Several MB on one line: the line bound stops it early, whatever the size.
    let long = format!("Id,Alias\n005Hs00000AbCdEIAV,{}\n", "x".repeat(3 << 20));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "U001"),
        (
            "header.csv",
            b"Id,Username,IsActive,Alias\n".to_vec(),
            "U002",
        ),
        (
            "empty-records.json",
            br#"{"status":0,"result":{"records":[],"totalSize":0,"done":true}}"#.to_vec(),
            "U002",
        ),
        ("binary.bin", binary, "U003"),
        ("long.csv", long.into_bytes(), "U003"),
        (
            "other.json",
            br#"{"status": 0, "warnings": []}"#.to_vec(),
            "U003",
        ),
        ("array.json", b"[1, 2, 3]".to_vec(), "U003"),
        (
            "no-id.csv",
            b"Username,Alias\na@x.com,jdoe\n".to_vec(),
            "U003",
        ),
    ];
    for (name, bytes, code) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let path = path.display().to_string();
        let (status, v) = json_audit(&[&app, "--users", &path]);
        assert_eq!(status, 2, "{name}: {v}");
        assert_eq!(v["diagnostics"][0]["code"], code, "{name}: {v}");
        let r = samlfx(&["audit", &app, "--users", &path]);
        assert_eq!(r.code, 2, "{name}");
        assert!(
            r.stderr.contains(&format!("error[{code}]")),
            "{name}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{name}");
    }
    let r = samlfx(&["audit", &app, "--users", "does/not/exist.csv"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[U004]"), "{}", r.stderr);
}

/// A CSV of `n` users where users 10, 2000 and 4999 share an alias exactly and 11 and 3000
/// ignoring case: far apart, in different batches.
fn colliding_csv(n: usize) -> String {
    let mut s = String::from("Id,Username,IsActive,Alias\n");
    for i in 0..n {
        let alias = match i {
            10 | 2000 | 4999 => "jdoe".to_owned(),
            11 => "mx".to_owned(),
            3000 => "MX".to_owned(),
            _ => format!("a{i}"),
        };
        s.push_str(&format!("005Hs{i:010},u{i}@x.com,true,{alias}\n"));
    }
    s
}

/// The users of [`colliding_csv`] as `sf data query --json` prints them: one line per field,
/// so a record's line differs from its ordinal.
fn colliding_json(n: usize) -> String {
    let csv = colliding_csv(n);
    let records: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|row| {
            let f: Vec<&str> = row.split(',').collect();
            format!(
                "      {{\n        \"attributes\": {{\"type\": \"User\"}},\n        \"Id\": \"{}\",\n        \"Username\": \"{}\",\n        \"IsActive\": true,\n        \"Alias\": \"{}\"\n      }}",
                f[0], f[1], f[3]
            )
        })
        .collect();
    format!(
        "{{\n  \"status\": 0,\n  \"result\": {{\n    \"records\": [\n{}\n    ]\n  }}\n}}\n",
        records.join(",\n")
    )
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

#[test]
fn standard_input_is_copied_to_tmpdir_and_the_copy_removed() {
    let dir = scratch("stdin-copy");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let text = colliding_csv(3_000);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let args = ["audit", &app, "--users", "-", "--format", "json"];
    let r = samlfx_env(&args, Some(text.as_bytes()), &[("TMPDIR", &tmp)]);
    let v: Json = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["collisions"][0]["value"], "jdoe", "{v}");
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "the copy is removed"
    );
    // Without a usable TMPDIR every user is still audited; only the collisions' users cannot
    // be named, which U004 says.
    let missing = dir.join("no such dir");
    let r = samlfx_env(&args, Some(text.as_bytes()), &[("TMPDIR", &missing)]);
    let v: Json = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["summary"]["evaluated"], 3_000, "{v}");
    assert!(v["collisions"].as_array().unwrap().is_empty(), "{v}");
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "U004", "{v}");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("temporary directory"),
        "{d}"
    );
    assert!(d["help"].as_str().unwrap().starts_with("set TMPDIR"), "{d}");
    // With nothing to name, nothing is said.
    let alone = "Id,Alias\n005Hs0000000001,ann\n005Hs0000000002,bob\n";
    let r = samlfx_env(&args, Some(alone.as_bytes()), &[("TMPDIR", &missing)]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

#[test]
fn a_collision_in_a_batch_that_starts_with_a_broken_record_is_found() {
    // Batches hold 1,024 records: the one from record 1,024 on starts with an array, which the
    // second read, starting at that batch, must still take for a (broken) record.
    let dir = scratch("collide-broken-start");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let records: Vec<String> = (0..2_000)
        .map(|i| match i {
            1024 => "[1, 2]".to_owned(),
            _ => format!(
                "{{\"attributes\": {{\"type\": \"User\"}}, \"Id\": \"005Hs{i:010}\", \"Username\": \"u{i}@x.com\", \"IsActive\": true, \"Alias\": \"{}\"}}",
                if i == 10 || i == 1500 { "jdoe".to_owned() } else { format!("a{i}") }
            ),
        })
        .collect();
    let json = format!(
        "{{\"status\": 0, \"result\": {{\"records\": [\n{}\n]}}}}\n",
        records.join(",\n")
    );
    let path = dir.join("users.json");
    std::fs::write(&path, &json).unwrap();
    let (_, v) = json_audit(&[&app, "--users", &path.display().to_string()]);
    assert_eq!(v["summary"]["unreadable"], 1, "{v}");
    let ids: Vec<&str> = v["collisions"][0]["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["005Hs0000000010", "005Hs0000001500"], "{v}");
}

#[test]
fn collisions_across_batches_are_the_same_from_a_file_stdin_and_any_thread_count() {
    let dir = scratch("collide-far");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let text = colliding_csv(5_000);
    let path = dir.join("users.csv");
    std::fs::write(&path, &text).unwrap();
    let json = colliding_json(5_000);
    let json_path = dir.join("users.json");
    std::fs::write(&json_path, &json).unwrap();
    let gz_path = dir.join("users.json.gz");
    std::fs::write(&gz_path, gzip(json.as_bytes())).unwrap();
    let path = path.display().to_string();
    let (_, one) = json_audit(&[&app, "--users", &path, "--jobs", "1"]);
    let (_, four) = json_audit(&[&app, "--users", &path, "--jobs", "4"]);
    let piped = |bytes: &[u8]| -> Json {
        let r = samlfx_stdin(
            &[
                "audit", &app, "--users", "-", "--format", "json", "--jobs", "2",
            ],
            Some(bytes),
        );
        serde_json::from_str(&r.stdout).unwrap()
    };
    assert_eq!(one["collisions"], four["collisions"]);
    assert_eq!(one["collisions"], piped(text.as_bytes())["collisions"]);
    // JSON is read again from each candidate's checkpoint, gzip from the top: the same users.
    for other in [
        json_audit(&[&app, "--users", &json_path.display().to_string()]).1,
        json_audit(&[&app, "--users", &gz_path.display().to_string()]).1,
        piped(&gzip(text.as_bytes())),
        piped(json.as_bytes()),
    ] {
        assert_eq!(one["collisions"], other["collisions"]);
    }
    let c = one["collisions"].as_array().unwrap();
    assert_eq!(c.len(), 2, "{c:?}");
    let ids = |c: &Json| -> Vec<String> {
        c["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["Id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(c[0]["value"], "jdoe");
    assert_eq!(
        ids(&c[0]),
        ["005Hs0000000010", "005Hs0000002000", "005Hs0000004999"]
    );
    assert_eq!(c[1]["value"], "mx");
    assert_eq!(c[1]["case_insensitive"], true);
    assert_eq!(ids(&c[1]), ["005Hs0000000011", "005Hs0000003000"]);
    // The human report gives each user's line, in CSV and in JSON (7 lines a record after
    // the 4 lines of the envelope), from a file and from standard input.
    let r = samlfx(&["audit", &app, "--users", &path]);
    assert!(
        r.stderr.contains("005Hs0000002000 u2000@x.com (line 2002)"),
        "{}",
        r.stderr
    );
    let json_line = format!("005Hs0000002000 u2000@x.com (line {})", 5 + 7 * 2000);
    let r = samlfx(&["audit", &app, "--users", &json_path.display().to_string()]);
    assert!(r.stderr.contains(&json_line), "{}", r.stderr);
    let r = samlfx_stdin(&["audit", &app, "--users", "-"], Some(json.as_bytes()));
    assert!(r.stderr.contains(&json_line), "{}", r.stderr);
}

#[test]
fn json_records_with_brackets_and_escapes_in_strings_and_a_cut_off_end() {
    let dir = scratch("json-scan");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let records = [
        r#"{"attributes": {"type": "User", "url": "/x}]"}, "Id": "005Hs00000AbCdEIAV", "Username": "a@x.com", "IsActive": true, "Alias": "j\"}{["}"#,
        r#"{"Id": "005Hs00000KmNoPIAV", "Username": "b@x.com", "IsActive": true, "Alias": "ok\\"}"#,
        r#"{"Id": "005Hs00000VwXyZIAV", "Username": "c@x.com", "IsActive": true, "Alias": "fine", "Other": [[{"a": "]"}]]}"#,
    ];
    let whole = format!(
        "{{\"result\": {{\"done\": true, \"records\": [\n{}\n]}}, \"status\": 0}}\n",
        records.join(",\n")
    );
    let path = dir.join("users.json");
    std::fs::write(&path, &whole).unwrap();
    let path = path.display().to_string();
    let (_, v) = json_audit(&[&app, "--users", &path, "--profile", "aws"]);
    assert_eq!(v["summary"]["users"], 3, "{v}");
    assert_eq!(v["summary"]["unreadable"], 0, "{v}");
    let values: Vec<&str> = v["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["findings"][0]["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["j\"}{[", "ok\\"], "{v}");
    assert_eq!(v["failures"][1]["line"], 3);
    // Cut in the middle of the third record: two users read, the third unreadable.
    let cut = &whole[..whole.find("fine").unwrap()];
    std::fs::write(dir.join("cut.json"), cut).unwrap();
    let cut = dir.join("cut.json").display().to_string();
    for jobs in ["1", "2"] {
        let (code, v) = json_audit(&[&app, "--users", &cut, "--profile", "aws", "--jobs", jobs]);
        assert_eq!(code, 1, "{v}");
        assert_reconciles(&v);
        assert_eq!(v["summary"]["users"], 3, "{v}");
        assert_eq!(v["summary"]["unreadable"], 1, "{v}");
        assert_eq!(v["diagnostics"][0]["code"], "U005", "{v}");
    }
}

#[test]
fn a_huge_json_record_is_refused_without_buffering_it() {
    let dir = scratch("json-huge");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    // Many short lines (each under the line bound) in one record.
    let filler = "\"x\",\n".repeat(400_000);
    let text = format!(
        "{{\"result\": {{\"records\": [{{\"Id\": \"005Hs00000AbCdEIAV\", \"Pad\": [{filler}\"x\"]}}]}}}}"
    );
    let path = dir.join("huge.json");
    std::fs::write(&path, text).unwrap();
    let (code, v) = json_audit(&[&app, "--users", &path.display().to_string()]);
    assert_eq!(code, 2, "{v}");
    assert_eq!(v["diagnostics"][0]["code"], "U003", "{v}");
}

#[test]
fn severity_overrides_and_fail_on_decide_the_exit_status() {
    let base = [APP, "--users", "examples/voice/users.csv", "--org", ORG];
    let run = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        json_audit(&args)
    };
    // Allowed: gone from the failures and the counts.
    let (code, v) = run(&["--allow", "A121"]);
    assert_eq!(code, 1, "A200, U006 and the collision still fail: {v}");
    assert_eq!(
        v["summary"]["by_code"],
        serde_json::json!({"A200": 1}),
        "{v}"
    );
    assert_eq!(v["summary"]["failing"], 1);
    assert_reconciles(&v);
    // Every finding a warning, the bad row and the collision allowed: nothing fails...
    let relaxed = [
        "--warn",
        "A121",
        "--warn",
        "connect-username-characters",
        "--allow",
        "U006",
        "--allow",
        "U008",
    ];
    let (code, v) = run(&relaxed);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["failing"], 0);
    assert_eq!(v["summary"]["unreadable"], 1, "an allowed row still counts");
    assert!(v["diagnostics"].as_array().unwrap().is_empty(), "{v}");
    assert!(v["collisions"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(
        v["failures"][0]["findings"][0]["severity"], "warning",
        "{v}"
    );
    // ...unless warnings fail too.
    let mut strict = relaxed.to_vec();
    strict.extend_from_slice(&["--fail-on", "warning"]);
    assert_eq!(run(&strict).0, 1);
    // An unreadable row alone fails (a user who could not be checked).
    let (code, _) = run(&["--allow", "A121", "--allow", "A200", "--allow", "U008"]);
    assert_eq!(code, 1);
    // Under aws a shared session name is a warning; --deny makes it fail.
    let dir = scratch("deny-collision");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    let users = dir.join("users.csv");
    std::fs::write(
        &users,
        "Id,Username,IsActive,Alias\n005Hs00000AbCdEIAV,a@x.com,true,jdoe\n005Hs00000KmNoPIAV,b@x.com,true,jdoe\n",
    )
    .unwrap();
    let users = users.display().to_string();
    let aws = [app.as_str(), "--users", &users, "--profile", "aws"];
    assert_eq!(json_audit(&aws).0, 0);
    let mut denied = aws.to_vec();
    denied.extend_from_slice(&["--deny", "U008"]);
    assert_eq!(json_audit(&denied).0, 1);
    // An unknown code is a usage error.
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        "examples/voice/users.csv",
        "--allow",
        "A12",
    ]);
    assert_eq!(r.code, 2);
}

#[test]
fn the_app_severity_table_applies_and_the_command_line_wins() {
    let dir = scratch("app-severity");
    let mut toml = std::fs::read_to_string(APP).unwrap();
    toml.push_str("\n[severity]\nA121 = \"allow\"\nconnect-username-characters = \"warn\"\n");
    std::fs::write(dir.join("samlfx.toml"), toml).unwrap();
    let app = dir.join("samlfx.toml").display().to_string();
    let args = [
        app.as_str(),
        "--users",
        "examples/voice/users.csv",
        "--org",
        ORG,
    ];
    let (_, v) = json_audit(&args);
    assert_eq!(
        v["summary"]["by_code"],
        serde_json::json!({"A200": 1}),
        "{v}"
    );
    assert_eq!(
        v["summary"]["failing"], 0,
        "A200 is a warning by the table: {v}"
    );
    let mut deny = args.to_vec();
    deny.extend_from_slice(&["--deny", "A200"]);
    let (_, v) = json_audit(&deny);
    assert_eq!(v["summary"]["failing"], 1, "the command line wins: {v}");
}

#[test]
fn sarif_and_github_report_findings_rows_and_collisions_of_the_users_file() {
    let users = "examples/voice/users.csv";
    let r = samlfx(&[
        "audit", APP, "--users", users, "--org", ORG, "--format", "sarif",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let sarif: Json = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let found: Vec<(String, String)> = results
        .iter()
        .map(|x| {
            (
                x["ruleId"].as_str().unwrap().to_owned(),
                x["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (code, level) in [
        ("A121", "error"),
        ("A200", "error"),
        ("U006", "error"),
        ("U008", "error"),
    ] {
        assert!(
            found.contains(&(code.to_owned(), level.to_owned())),
            "{code}: {found:?}"
        );
    }
    // Each result at its row: the line only (an offset into the file is not known).
    for (x, line) in results.iter().zip([3, 4, 7, 5]) {
        let place = &x["locations"][0]["physicalLocation"];
        assert_eq!(place["artifactLocation"]["uri"], users, "{x}");
        assert_eq!(place["region"]["startLine"], line, "{x}");
        assert!(place["region"].get("charOffset").is_none(), "{x}");
    }
    let a121 = results.iter().find(|x| x["ruleId"] == "A121").unwrap();
    let text = a121["message"]["text"].as_str().unwrap();
    assert!(
        text.starts_with(
            "line 3: 005Hs00000KmNoPIAV dee.darcy@acme.example.com: RoleSessionName = `d'arcy@"
        ),
        "{text}"
    );
    let u008 = results.iter().find(|x| x["ruleId"] == "U008").unwrap();
    assert!(
        u008["message"]["text"]
            .as_str()
            .unwrap()
            .contains("005Hs00000AbCdeIAF john.doe@acme.example.com (line 5)"),
        "{u008}"
    );

    let r = samlfx(&[
        "audit", APP, "--users", users, "--org", ORG, "--format", "github",
    ]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", r.stdout);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::error file=examples/voice/users.csv,line=")),
        "{}",
        r.stdout
    );
    // Under aws the collision is a warning, and an allowed code is not written at all.
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        users,
        "--org",
        ORG,
        "--format",
        "github",
        "--profile",
        "aws",
        "--allow",
        "U006",
    ]);
    assert!(
        r.stdout.contains(
            "::warning file=examples/voice/users.csv,line=5,col=1,endLine=5,endColumn=1,title=U008::2 users share"
        ),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("U006") && !r.stdout.contains("not a user Id"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_json_record_that_is_not_utf8_is_one_unreadable_user() {
    let dir = scratch("json-utf8");
    let app = app(&dir, &[(RSN, "$User.Alias")]);
    // Past the first KiB, which is sniffed for binary content.
    let pad = "x".repeat(2000);
    let mut text = format!("{{\"result\": {{\"records\": [\n{{\"Id\": \"005Hs00000AbCdEIAV\", \"Alias\": \"ok\", \"Pad\": \"{pad}\"}},\n{{\"Id\": \"005Hs00000KmNoPIAV\", \"Alias\": \"").into_bytes();
    text.extend_from_slice(
        b"\xff\xfe\"},\n{\"Id\": \"005Hs00000VwXyZIAV\", \"Alias\": \"fine\"}\n]}}\n",
    );
    let path = dir.join("users.json");
    std::fs::write(&path, text).unwrap();
    let (code, v) = json_audit(&[&app, "--users", &path.display().to_string()]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["summary"]["users"], 3, "{v}");
    assert_eq!(v["summary"]["unreadable"], 1, "{v}");
    assert_eq!(v["diagnostics"][0]["code"], "U005", "{v}");
    assert_eq!(v["diagnostics"][0]["line"], 3, "{v}");
}

/// `--org` is read within the bound of every context file: an endless file is refused, not
/// read into memory.
#[test]
fn an_endless_org_file_is_refused() {
    let r = samlfx(&[
        "audit",
        APP,
        "--users",
        "examples/voice/users.csv",
        "--org",
        "/dev/zero",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("[F403]") && r.stderr.contains("larger than"),
        "{}",
        r.stderr
    );
}
