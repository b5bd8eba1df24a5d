//! The `samlfx` binary end to end: exit statuses, output streams and golden outputs.

use std::process::{Command, Stdio};

mod support;

use support::{Run, samlfx, samlfx_at};

fn samlfx_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    samlfx_at(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), args, env)
}

#[test]
fn check_only_json_reports_the_wrong_operand_type() {
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--format",
        "json",
        "$User.Alias & 1",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.is_empty(),
        "machine formats write only to stdout: {}",
        r.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{}", r.stdout);
    assert_eq!(errors[0]["code"], "F104");
    assert_eq!(errors[0]["span"]["start"], 14);
    assert_eq!(errors[0]["span"]["end"], 15);
    assert_eq!(errors[0]["file"], serde_json::Value::Null);
    assert_eq!(
        errors[0]["message"],
        "Incorrect parameter type for operator '&'. Expected Text, received Number"
    );
    assert_eq!(v["value"], serde_json::Value::Null);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn curly_quotes_are_named_and_straight_ones_suggested() {
    let r = samlfx(&["eval", "--check-only", "‘abc’ & $User.Alias"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("error[F007]"), "{}", r.stderr);
    assert!(r.stderr.contains('\''), "{}", r.stderr);
    insta::assert_snapshot!(r.stderr);
}

/// A placeholder after `\'` and `\\` in a literal: the warning underlines the placeholder's own
/// bytes in every format, not bytes shifted by the escapes.
#[test]
fn literal_warnings_point_past_escapes() {
    let formula = r"'arn:aws:iam::123456789012:role/it\'s\\<ContactCenterName>-SAMLRole'";
    let r = samlfx(&["eval", "--check-only", formula]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("literal_warning_past_escapes_human", r.stderr);
    let r = samlfx(&["eval", "--check-only", "--format", "json", formula]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F202", "{}", r.stdout);
    let (start, end) = (
        d["span"]["start"].as_u64().unwrap() as usize,
        d["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&formula[start..end], "<ContactCenterName>");
    assert_eq!((start, end), (39, 58));
    assert_eq!(d["span"]["column"], 40);
}

#[test]
fn explain_prints_the_registry_entry() {
    let r = samlfx(&["explain", "F104"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
    let by_name = samlfx(&["explain", "Wrong-Argument-Type"]);
    assert_eq!(by_name.stdout, r.stdout);
}

#[test]
fn explain_json_has_every_field() {
    let r = samlfx(&["explain", "f007", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["code"], "F007");
    assert_eq!(v["name"], "curly-quote");
    assert_eq!(v["severity"], "error");
    assert_eq!(v["fixed"], "'abc' & $User.Alias");
}

#[test]
fn explain_list_names_every_code() {
    let r = samlfx(&["explain", "--list"]);
    assert_eq!(r.code, 0);
    for c in samlfx_diag::codes::CODES {
        assert!(
            r.stdout.contains(c.id) && r.stdout.contains(c.name),
            "{}",
            c.id
        );
    }
}

#[test]
fn explain_attribute_rule_codes() {
    let r = samlfx(&["explain", "a120"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .starts_with("A120 role-session-name-length (error)\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Fixed:\n    RoleSessionName=jdoe\n"),
        "{}",
        r.stdout
    );
    let json = samlfx(&["explain", "--format", "json", "attribute-name-near-miss"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["code"], "A100");
    assert_eq!(v["severity"], "warning");
    assert_eq!(v["fixed"], "https://aws.amazon.com/SAML/Attributes/Role");
}

#[test]
fn explain_app_and_contact_center_rule_codes() {
    // Every rule code explains itself, its multi-line example indented under `Example:`.
    for c in samlfx_diag::codes::CODES
        .iter()
        .filter(|c| c.id.starts_with("C1") || c.id.starts_with("C2"))
    {
        let r = samlfx(&["explain", c.id]);
        assert_eq!(r.code, 0, "{}", c.id);
        assert!(
            r.stdout
                .starts_with(&format!("{} {} ({})\n", c.id, c.name, c.severity.as_str())),
            "{}",
            r.stdout
        );
    }
    let r = samlfx(&["explain", "regional-acs-url"]);
    assert!(r.stdout.contains("saml:aud"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("acs_url = \"https://us-west-2.signin.aws.amazon.com/saml\""),
        "{}",
        r.stdout
    );
    let json = samlfx(&["explain", "--format", "json", "c205"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["name"], "whitespace-around-value");
    assert_eq!(v["severity"], "warning");
}

#[test]
fn explain_unknown_code_is_a_usage_error_with_near_matches() {
    let r = samlfx(&["explain", "nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("error: unknown diagnostic code, function or merge field 'nope'")
    );
    let near = samlfx(&["explain", "F14"]);
    assert_eq!(near.code, 2);
    assert!(
        near.stderr.contains("did you mean: F104"),
        "{}",
        near.stderr
    );
}

#[test]
fn bad_flag_is_a_usage_error() {
    let r = samlfx(&["eval", "--no-such-flag", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--no-such-flag"));
    assert_eq!(samlfx(&["eval", "1", "--id-length", "16"]).code, 2);
    assert_eq!(samlfx(&["eval", "1", "--format", "xml"]).code, 2);
    assert_eq!(samlfx(&[]).code, 2);
}

#[test]
fn unreadable_inputs_are_usage_errors() {
    let r = samlfx(&["eval", "--file", "no/such/file.formula"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.starts_with(
        "error[F403]: cannot read the formula file 'no/such/file.formula': No such file"
    ));
    let r = samlfx(&["eval", "1", "--context", "no/such/context.json"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error[F403]: cannot read the context file")
    );
    // In a machine format the input error is a diagnostic like any other.
    let r = samlfx(&[
        "eval",
        "1",
        "--context",
        "no/such/context.json",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "F403");
    assert_eq!(json["diagnostics"][0]["file"], "no/such/context.json");
    assert_eq!(json["diagnostics"][0]["span"], serde_json::Value::Null);
    // FORMULA and --file together.
    assert_eq!(
        samlfx(&["eval", "1", "--file", "examples/role.formula"]).code,
        2
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_without_no_color() {
    let bad = ["eval", "--check-only", "'abc"];
    // The tests' stderr is a pipe, not a terminal: no colour by default, none with NO_COLOR.
    let plain = samlfx(&bad);
    assert_eq!(plain.code, 1);
    assert!(plain.stderr.contains("error[F004]"), "{}", plain.stderr);
    assert!(!plain.stderr.contains('\x1b'));
    let no_color = samlfx_env(
        &["--color", "auto", "eval", "--check-only", "'abc"],
        &[("NO_COLOR", "1")],
    );
    assert!(!no_color.stderr.contains('\x1b'));
    assert_eq!(no_color.stderr, plain.stderr);
    // The control: colour is really produced when forced.
    let forced = samlfx(&["--color", "always", "eval", "--check-only", "'abc"]);
    assert!(forced.stderr.contains('\x1b'));
    // NO_COLOR wins even over `--color always` (the contract: never with NO_COLOR).
    let forced_no_color = samlfx_env(
        &["--color", "always", "eval", "--check-only", "'abc"],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(forced_no_color.stderr, plain.stderr);
    let never = samlfx(&["eval", "--color", "never", "--check-only", "'abc"]);
    assert!(!never.stderr.contains('\x1b'));
}

#[test]
fn machine_formats_write_diagnostics_to_stdout() {
    let sarif = samlfx(&["eval", "--check-only", "--format", "sarif", "'abc"]);
    assert_eq!(sarif.code, 1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "F004");
    let gh = samlfx(&["eval", "--check-only", "--format", "github", "'abc"]);
    assert_eq!(gh.code, 1);
    assert!(
        gh.stdout.starts_with("::error title=F004::<formula>:1:1: "),
        "{}",
        gh.stdout
    );
    assert!(gh.stderr.is_empty());
}

#[test]
fn file_spans_name_the_file() {
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--format",
        "json",
        "--file",
        "examples/broken.formula",
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["file"], "examples/broken.formula");
}

#[test]
fn readme_lists_every_code() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    // The whole table, row by row as the registry has it, so no summary can drift.
    let rows: Vec<&str> = readme
        .lines()
        .filter(|l| {
            // A code row starts with a family letter and three digits: "| `F104` |".
            let b = l.as_bytes();
            b.len() > 8
                && b.starts_with(b"| `")
                && matches!(b[3], b'F' | b'A' | b'C' | b'U' | b'S')
                && b[4..7].iter().all(u8::is_ascii_digit)
                && b[7] == b'`'
        })
        .collect();
    let expected: Vec<String> = samlfx_diag::codes::CODES
        .iter()
        .map(|c| {
            format!(
                "| `{}` | `{}` | {} | {} |",
                c.id,
                c.name,
                c.severity.as_str(),
                c.summary.replace('|', "\\|")
            )
        })
        .collect();
    assert_eq!(rows, expected, "README.md's code table differs from CODES");
}

const ROLE_SESSION_NAME: &str = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";

#[test]
fn eval_prints_the_value_for_the_bundled_user() {
    let r = samlfx(&["eval", "--context", "examples/jdoe.json", ROLE_SESSION_NAME]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "jdoe@005Hs00000AbCdE@00DHs000001xYzQ\n");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    let long = samlfx(&[
        "eval",
        "--context",
        "examples/jdoe.json",
        "--id-length",
        "18",
        ROLE_SESSION_NAME,
    ]);
    assert_eq!(long.stdout, "jdoe@005Hs00000AbCdEIAV@00DHs000001xYzQMAU\n");
}

#[test]
fn eval_json_carries_value_and_type() {
    let r = samlfx(&[
        "eval",
        "--format",
        "json",
        "--file",
        "examples/role-session-name.formula",
        "--set",
        "$User.Alias=ops",
        "--set",
        "$User.Id=005Hs00000AbCdE",
        "--set",
        "$Organization.Id=00DHs000001xYzQ",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["value"], "ops@005Hs00000AbCdE@00DHs000001xYzQ");
    assert_eq!(v["type"], "Text");
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    let check = samlfx(&[
        "eval",
        "--check-only",
        "--format",
        "json",
        "LEN($User.Alias)",
    ]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(
        (v["value"].clone(), v["type"].clone()),
        (serde_json::Value::Null, "Number".into())
    );
}

#[test]
fn formula_from_stdin() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlfx"))
        .args(["eval", "-", "--set", "$User.Alias=jo"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"$User.Alias & 'x'\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "jox\n");
}

#[test]
fn bad_context_and_bad_set_are_input_errors() {
    let dir = std::env::temp_dir().join(format!("samlfx-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"$User\": {\"Alias\": 1").unwrap();
    let r = samlfx(&["eval", "$User.Alias", "--context", bad.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[F402]"), "{}", r.stderr);
    assert!(r.stderr.contains("bad.json"), "{}", r.stderr);
    let r = samlfx(&["eval", "$User.Alias", "--set", "$User.Allias=jdoe"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[F401]"), "{}", r.stderr);
    let r = samlfx(&[
        "eval",
        "$User.IsActive",
        "--set",
        "$User.IsActive=maybe",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "F402");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn wrong_result_type_and_runtime_errors_fail_with_status_1() {
    let r = samlfx(&["eval", "--expect-type", "text", "$User.IsActive"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[F106]"), "{}", r.stderr);
    let r = samlfx(&["eval", "--format", "json", "1 / 0"]);
    assert_eq!(r.code, 1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "F301", "{}", r.stdout);
    assert_eq!(v["value"], serde_json::Value::Null);
}

#[test]
fn warnings_do_not_fail() {
    let r = samlfx(&[
        "eval",
        "'arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole'",
    ]);
    assert_eq!(r.code, 0);
    assert_eq!(
        r.stdout,
        "arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole\n"
    );
    assert!(r.stderr.starts_with("warning[F202]: "), "{}", r.stderr);
}

#[test]
fn explain_reads_the_function_and_merge_field_catalogs() {
    let left = samlfx(&["explain", "left()"]);
    assert_eq!(left.code, 0);
    assert!(
        left.stdout
            .starts_with("LEFT (text function)\n\n    LEFT(text, num_chars) → Text\n"),
        "{}",
        left.stdout
    );
    let alias = samlfx(&["explain", "$user.alias"]);
    assert_eq!(alias.code, 0);
    assert!(
        alias
            .stdout
            .starts_with("$User.Alias (Text, 1–8 characters, any, required)\n"),
        "{}",
        alias.stdout
    );
    let json = samlfx(&["explain", "--format", "json", "$Organization.Id"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["field"], "$Organization.Id");
    assert_eq!(v["type"], "Text");
    // The lists cover the whole catalogs.
    let functions = samlfx(&["explain", "--functions"]);
    assert_eq!(functions.code, 0);
    for f in samlfx_formula::catalog::functions::FUNCTIONS {
        assert!(functions.stdout.contains(f.signature), "{}", f.name);
    }
    let fields = samlfx(&["explain", "--fields", "--format", "json"]);
    let all: Vec<serde_json::Value> = serde_json::from_str(&fields.stdout).unwrap();
    assert_eq!(all.len(), samlfx_formula::catalog::fields::FIELDS.len());
    // The human list states each field's length, characters and blankness.
    let human = samlfx(&["explain", "--fields"]);
    assert_eq!(human.code, 0);
    insta::assert_snapshot!("explain_fields", human.stdout);
    // A near miss suggests the function.
    let typo = samlfx(&["explain", "LEFTT"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean: LEFT"),
        "{}",
        typo.stderr
    );
}

/// A fresh scratch directory for one test (std only: temp dir, pid and the test's name).
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("samlfx-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn oversized_formula_file_is_f012_and_not_read_whole() {
    let dir = scratch("oversized");
    let max = samlfx_formula::syntax::ParseLimits::default().max_bytes;
    let big = dir.join("big.formula");
    std::fs::write(&big, "x".repeat(max + 1)).unwrap();
    let r = samlfx(&["eval", "--file", big.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F012");
    assert_eq!(d["file"], big.to_str().unwrap());
    assert_eq!(
        d["message"],
        format!(
            "Formula is too large ({} bytes).  Maximum size is {max} bytes",
            max + 1
        )
    );
    // Exactly at the bound the file is read and parsed.
    std::fs::write(&big, format!("'{}'", "x".repeat(max - 2))).unwrap();
    let r = samlfx(&["eval", "--check-only", "--file", big.to_str().unwrap()]);
    assert!(
        !r.stderr.contains("F012"),
        "{}",
        &r.stderr[..200.min(r.stderr.len())]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn endless_inputs_stop_at_the_bound() {
    if !std::path::Path::new("/dev/zero").exists() {
        println!("skipped: this system has no /dev/zero");
        return;
    }
    let start = std::time::Instant::now();
    let r = samlfx(&["eval", "--file", "/dev/zero"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error[F012]: Formula is too large (more than"),
        "{}",
        r.stderr
    );
    let r = samlfx(&["eval", "1", "--context", "/dev/zero"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("error[F403]: cannot read the context file '/dev/zero': it is larger than 16777216 bytes"),
        "{}",
        r.stderr
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn non_utf8_files_and_directories_are_f403() {
    let dir = scratch("encoding");
    let latin1 = dir.join("latin1.formula");
    std::fs::write(&latin1, b"'caf\xe9'").unwrap();
    let r = samlfx(&["eval", "--file", latin1.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("it is not UTF-8 text (invalid byte at offset 4)"),
        "{}",
        r.stderr
    );
    let r = samlfx(&["eval", "1", "--context", dir.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[F403]"), "{}", r.stderr);
    assert!(r.stderr.contains("it is a directory"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn null_formulas_report_a_type() {
    let r = samlfx(&["eval", "--format", "json", "NULL"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (v["value"].clone(), v["type"].clone()),
        (serde_json::Value::Null, "Text".into())
    );
    let r = samlfx(&[
        "eval",
        "--format",
        "json",
        "--expect-type",
        "number",
        "IF(TRUE,NULL,NULL)",
    ]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["type"], "Number");
    let r = samlfx(&["eval", "--check-only", "--format", "json", "NULL"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["type"], "Text");
    // Null only when nothing compiled.
    let r = samlfx(&["eval", "--format", "json", "NULL &"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["type"], serde_json::Value::Null);
}

#[test]
fn sarif_offsets_count_code_points() {
    let r = samlfx(&["eval", "--format", "sarif", "'ééé' & 1"]);
    assert_eq!(r.code, 1);
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let region = &run["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["charOffset"], 8, "{region}");
    assert_eq!(region["charLength"], 1);
    assert_eq!(region["startColumn"], 9);
    assert_eq!(region["endColumn"], 10);
}

#[test]
fn trojan_source_characters_are_shown_not_echoed() {
    let dir = scratch("trojan");
    let file = dir.join("trojan.formula");
    std::fs::write(&file, "'ab\u{202E}cd\0ef' & 1").unwrap();
    let r = samlfx(&["eval", "--file", file.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("'ab\u{FFFD}cd\u{FFFD}ef' & 1"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(":1:14 ]"), "{}", r.stderr);
    assert!(!r.stderr.contains(['\u{202E}', '\0']), "{:?}", r.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn huge_lines_do_not_flood_the_terminal() {
    let dir = scratch("flood");
    let literal = dir.join("literal.formula");
    std::fs::write(&literal, format!("'{}' & 1", "x".repeat(1_000_000))).unwrap();
    let r = samlfx(&["eval", "--file", literal.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[F104]"), "{}", r.stderr);
    assert!(r.stderr.len() < 4000, "{} bytes on stderr", r.stderr.len());
    let deep = dir.join("deep.json");
    std::fs::write(&deep, format!("{{\"a\": {}", "[".repeat(400_000))).unwrap();
    let r = samlfx(&["eval", "1", "--context", deep.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[F402]"), "{}", r.stderr);
    assert!(r.stderr.len() < 4000, "{} bytes on stderr", r.stderr.len());
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs `samlfx ARGS` with `input` on stdin.
fn samlfx_stdin(args: &[&str], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlfx"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

#[test]
fn the_final_line_ending_of_a_file_or_stdin_is_not_counted_toward_f201() {
    let dir = scratch("f201");
    let formula = format!("'{}'", "x".repeat(3898));
    for (ending, tag) in [("\n", "lf"), ("\r\n", "crlf")] {
        let path = dir.join(format!("{tag}.formula"));
        std::fs::write(&path, format!("{formula}{ending}")).unwrap();
        let r = samlfx(&["eval", "--check-only", "--file", path.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stderr.contains("F201"), "{tag}: {}", r.stderr);
        let path = dir.join(format!("{tag}-long.formula"));
        std::fs::write(&path, format!("{formula} {ending}")).unwrap();
        let r = samlfx(&["eval", "--check-only", "--file", path.to_str().unwrap()]);
        assert!(
            r.stderr.contains("Formula is too long (3901 characters)"),
            "{tag}: {}",
            r.stderr
        );
    }
    let r = samlfx_stdin(
        &["eval", "--check-only", "-"],
        format!("{formula}\n").as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("F201"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn set_diagnostics_name_no_file_in_machine_formats() {
    let args = |format| {
        [
            "eval",
            "1",
            "--set",
            "$User.IsActive=maybe",
            "--format",
            format,
        ]
    };
    let r = samlfx(&args("json"));
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F402");
    assert_eq!(d["file"], serde_json::Value::Null);
    assert_eq!(d["span"], serde_json::Value::Null);
    assert!(d["message"].as_str().unwrap().contains("maybe"), "{d}");
    let r = samlfx(&args("github"));
    assert!(r.stdout.starts_with("::error title=F402::"), "{}", r.stdout);
    assert!(!r.stdout.contains("file="), "{}", r.stdout);
    let r = samlfx(&args("sarif"));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let result = &v["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "F402");
    assert!(result.get("locations").is_none(), "{result}");
    assert!(!result.to_string().contains("--set"), "{result}");
}

#[test]
fn a_context_error_after_the_final_newline_shows_that_line() {
    let dir = scratch("eofctx");
    let path = dir.join("c.json");
    std::fs::write(&path, "{\"$User\": {\"Alias\": \"ok\"\n").unwrap();
    let r = samlfx(&[
        "eval",
        "--color",
        "never",
        "--context",
        path.to_str().unwrap(),
        "$User.Alias",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("c.json:2:1 ]"), "{}", r.stderr);
    assert!(r.stderr.contains(" 2 │"), "{}", r.stderr);
    assert!(!r.stderr.contains(" 1 │"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

/// The messages and help lines that were inconsistent or unspecific.
#[test]
fn wording_is_consistent_and_help_is_specific() {
    let cases: &[(&str, &str)] = &[
        ("\"a\" \"b\"", "Syntax error. Extra '\"b\"'"),
        ("LEFT(\"a\" \"b\")", "Syntax error.  Found '\"b\"'"),
        ("“a”", "Syntax error.  Typographic quote '“'"),
        ("1 +\u{2028} 2", "Invalid character U+2028 (line separator)"),
        ("$User", "`$User` needs a field: `$User.Alias`"),
        ("$User.", "`$User` needs a field: `$User.Alias`"),
        ("1 < 2 < 3", "`AND(1 < 2, 2 < 3)`"),
        ("LEFT($User.Alias 3)", "expected ',' or ')' here"),
    ];
    for (formula, expected) in cases {
        let r = samlfx(&["eval", "--check-only", "--color", "never", formula]);
        assert_eq!(r.code, 1, "{formula}: {}", r.stderr);
        assert!(r.stderr.contains(expected), "{formula}: {}", r.stderr);
    }
    let r = samlfx(&["eval", "--check-only", "--color", "never", "1 < 2 < 3"]);
    assert!(
        !r.stderr.contains("turn the Boolean into text"),
        "{}",
        r.stderr
    );
}

/// A scratch file for one test, in a folder of its own.
fn context_file(test: &str, name: &str, text: &str) -> std::path::PathBuf {
    let path = scratch(test).join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn custom_user_fields_are_declared_by_the_context() {
    const ROLE: &str = "$User.AWS_Role__c & ',' & $User.AWS_Provider__c";
    let r = samlfx(&["eval", "$User.AWS_Role__c"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[F102]"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains(r#"custom field: declare it with --field '$User.AWS_Role__c:Text' (or :Number, …) or in the context's "schema", or give it a value with --set '$User.AWS_Role__c=…'"#),
        "{}",
        r.stderr
    );
    let r = samlfx(&[
        "eval",
        "--set",
        "$User.AWS_Role__c=arn:aws:iam::1:role/R",
        "--set",
        "$User.AWS_Provider__c=arn:aws:iam::1:saml-provider/SF",
        ROLE,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "arn:aws:iam::1:role/R,arn:aws:iam::1:saml-provider/SF\n"
    );
    let ctx = context_file(
        "custom",
        "user.json",
        r#"{"$User": {"AWS_Role__c": "arn:aws:iam::1:role/R",
                      "AWS_Provider__c": "arn:aws:iam::1:saml-provider/SF",
                      "AWS_Score__c": {"type": "Number", "value": "1.5"}}}"#,
    );
    let ctx = ctx.to_str().unwrap();
    let r = samlfx(&["eval", "--context", ctx, ROLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "arn:aws:iam::1:role/R,arn:aws:iam::1:saml-provider/SF\n"
    );
    let r = samlfx(&[
        "eval",
        "--context",
        ctx,
        "--set",
        "$User.N__c:Number=2",
        "$User.AWS_Score__c * $User.N__c",
    ]);
    assert_eq!(r.stdout, "3\n", "{}", r.stderr);
    // An `sf data query` record keeps its custom columns.
    let sf = context_file(
        "custom",
        "sf.json",
        r#"{"status": 0, "result": {"totalSize": 1, "records": [{"attributes": {"type": "User"},
            "Alias": "jdoe", "AWS_Role__c": "arn:aws:iam::1:role/R",
            "AWS_Provider__c": "arn:aws:iam::1:saml-provider/SF"}]}}"#,
    );
    let r = samlfx(&["eval", "--context", sf.to_str().unwrap(), ROLE]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "arn:aws:iam::1:role/R,arn:aws:iam::1:saml-provider/SF\n"
    );
}

#[test]
fn context_values_follow_the_catalog_rules() {
    for (set, says) in [
        ("$User.Email=not an email", "is not an e-mail address"),
        ("$User.Alias=", "Alias is required"),
        ("$User.Username=a@", "has 2 characters"),
    ] {
        let r = samlfx(&["eval", "$User.Alias", "--set", set]);
        assert_eq!(r.code, 2, "{set}");
        assert!(r.stderr.contains("error[F402]"), "{set}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{set}: {}", r.stderr);
    }
    // The bundled user passes them.
    let r = samlfx(&["eval", "--context", "examples/jdoe.json", "$User.Email"]);
    assert_eq!(r.stdout, "jane.doe@acme.example.com\n", "{}", r.stderr);
}

#[test]
fn context_value_errors_point_into_the_file() {
    let src = "{\n  \"$User\": {\"Alias\": 5}\n}\n";
    let ctx = context_file("spans", "ctx.json", src);
    let r = samlfx(&[
        "eval",
        "--format",
        "json",
        "--context",
        ctx.to_str().unwrap(),
        "$User.Alias",
    ]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F402");
    let (start, end) = (
        d["span"]["start"].as_u64().unwrap() as usize,
        d["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&src[start..end], "5");
    assert_eq!(
        (d["span"]["line"].clone(), d["span"]["column"].clone()),
        (2.into(), 22.into())
    );
}

#[test]
fn blank_as_zero_reads_a_null_number_field_as_zero() {
    let ctx = context_file(
        "blank",
        "ctx.json",
        r#"{"fields": {"N__c": {"type": "Number", "value": null}}}"#,
    );
    let ctx = ctx.to_str().unwrap();
    let r = samlfx(&["eval", "--blank-as-zero", "--context", ctx, "N__c + 1"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "1\n"), "{}", r.stderr);
    let r = samlfx(&["eval", "--format", "json", "--context", ctx, "N__c + 1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["value"], serde_json::Value::Null);
    assert_eq!(v["type"], "Number");
    let r = samlfx(&["eval", "--context", ctx, "N__c + 1"]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
}

/// Golden outputs of whole runs, one per format and outcome: the value printed, a runtime error,
/// and the machine formats of a type error.
#[test]
fn golden_runs_in_every_format() {
    const SAML: &str = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
    let ctx = ["--context", "examples/jdoe.json"];
    let run = |extra: &[&str], formula: &str| {
        let mut args = vec!["eval"];
        args.extend_from_slice(&ctx);
        args.extend_from_slice(extra);
        args.push(formula);
        samlfx(&args)
    };
    let r = run(&[], SAML);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    insta::assert_snapshot!("eval_human_value", r.stdout);
    let r = run(&["--format", "json", "--id-length", "18"], SAML);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("eval_json_value", r.stdout);

    let division = "'x' & TEXT(LEN($User.Alias) / 0)";
    let r = run(&[], division);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
    insta::assert_snapshot!("eval_human_runtime_error", r.stderr);
    let r = run(&["--format", "json"], division);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!("eval_json_runtime_error", r.stdout);

    let wrong = "$User.Alias & 1 & LEN($User.Nope)";
    for format in ["json", "sarif", "github"] {
        let r = run(&["--check-only", "--format", format], wrong);
        assert_eq!((r.code, r.stderr.as_str()), (1, ""), "{format}");
        insta::assert_snapshot!(format!("check_only_{format}_two_errors"), r.stdout);
    }
}

/// A construct samlfx cannot evaluate (F305): warnings only, no value, exit status 0 (a limit
/// of samlfx is no error of the formula). `--check-only` has only the check-time warning and
/// exits 0; an error beside it makes the status 1.
#[test]
fn a_java_only_regex_gives_no_value_and_only_warnings() {
    const LOOKAHEAD: &str = "REGEX('abc', '(?=a)abc')";
    let r = samlfx(&["eval", LOOKAHEAD]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(!r.stderr.contains("error["), "{}", r.stderr);
    insta::assert_snapshot!("eval_human_unsupported_regex", r.stderr);

    let r = samlfx(&["eval", "--format", "json", LOOKAHEAD]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["value"], serde_json::Value::Null);
    let diags = v["diagnostics"].as_array().unwrap();
    let at: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str(),
                d["severity"].as_str(),
                d["span"]["start"].as_u64(),
                d["span"]["end"].as_u64(),
            )
        })
        .collect();
    // In source order: at the whole pattern literal (run), then at the lookahead `(?=` (check).
    assert_eq!(
        at,
        [
            (Some("F305"), Some("warning"), Some(13), Some(23)),
            (Some("F305"), Some("warning"), Some(14), Some(17)),
        ]
    );
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("no value:")
    );
    insta::assert_snapshot!("eval_json_unsupported_regex", r.stdout);

    let r = samlfx(&["eval", "--check-only", LOOKAHEAD]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr.matches("warning[F305]").count(), 1, "{}", r.stderr);
    let r = samlfx(&["eval", "--expect-type", "text", LOOKAHEAD]);
    assert_eq!(r.code, 1, "{}", r.stderr);
}

const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole";
const PROVIDER_ARN: &str =
    "arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp_00D5g000004Xyz1";
const BROKEN_ARN: &str = "arn:aws:iam:us-east-1:12345678901:Role/Voice Agent";

#[test]
fn arn_human_prints_the_parts_of_a_role() {
    let r = samlfx(&["arn", ROLE_ARN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn arn_human_prints_the_parts_of_a_provider() {
    let r = samlfx(&["arn", PROVIDER_ARN]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

/// The account principal is a valid IAM ARN ("IAM identifiers", IAM User Guide,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns):
/// accepted, with its parts, and no "did you mean `role`?".
#[test]
fn arn_accepts_the_account_root() {
    let r = samlfx(&["arn", "arn:aws:iam::123456789012:root"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "arn:aws:iam::123456789012:root\n  valid      yes\n  partition  aws\n  service    iam\n  region     (empty)\n  account    123456789012\n  resource   root\n  kind       iam-account-root\n"
    );
}

#[test]
fn arn_human_broken() {
    let r = samlfx(&["arn", BROKEN_ARN]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("  valid      no: 4 errors"),
        "{}",
        r.stdout
    );
    for code in ["A002", "A007", "A008", "A009"] {
        assert!(r.stderr.contains(&format!("error[{code}]")), "{}", r.stderr);
    }
    insta::assert_snapshot!("arn_human_broken_stdout", r.stdout);
    insta::assert_snapshot!("arn_human_broken_stderr", r.stderr);
}

#[test]
fn arn_json_role_and_provider() {
    let r = samlfx(&["arn", "--format", "json", ROLE_ARN, PROVIDER_ARN]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stderr.is_empty());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["arns"][0]["kind"], "iam-role");
    assert_eq!(
        v["arns"][0]["parts"],
        serde_json::json!({"path": "/", "name": "AcmeVoice-SAMLRole"})
    );
    assert_eq!(v["arns"][1]["kind"], "iam-saml-provider");
    assert_eq!(v["diagnostics"], serde_json::json!([]));
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn arn_json_broken_points_into_its_own_arn() {
    let r = samlfx(&["arn", "--format", "json", ROLE_ARN, BROKEN_ARN, ""]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.is_empty());
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["arns"][0]["valid"], true);
    assert_eq!(v["arns"][1]["valid"], false);
    assert_eq!(v["arns"][1]["kind"], "iam-role", "split although invalid");
    assert_eq!(v["arns"][2]["kind"], serde_json::Value::Null);
    let diags = v["diagnostics"].as_array().unwrap();
    let account = diags.iter().find(|d| d["code"] == "A008").unwrap();
    assert_eq!(account["arn"], 1);
    assert_eq!(account["file"], serde_json::Value::Null);
    assert_eq!(account["span"]["start"], 22);
    assert_eq!(account["span"]["end"], 33);
    assert_eq!(account["message"], "account ID must be 12 digits; found 11");
    assert_eq!(diags.last().unwrap()["arn"], 2);
    assert_eq!(diags.last().unwrap()["code"], "A001");
    assert_eq!(v["summary"]["errors"], 5);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn arn_machine_formats_and_exit_statuses() {
    let warn = samlfx(&[
        "arn",
        "--format",
        "github",
        "arn:aws:iam::123456789012:saml-provider/Sales@force",
    ]);
    assert_eq!(warn.code, 0, "a warning does not fail: {}", warn.stdout);
    assert!(
        warn.stdout
            .starts_with("::warning title=A013::<arn>:1:46: "),
        "{}",
        warn.stdout
    );
    let sarif = samlfx(&["arn", "--format", "sarif", BROKEN_ARN]);
    assert_eq!(sarif.code, 1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 4);
    assert_eq!(samlfx(&["arn"]).code, 2);
    assert_eq!(samlfx(&["arn", ROLE_ARN, "--format", "xml"]).code, 2);
    let explain = samlfx(&["explain", "A008"]);
    assert_eq!(explain.code, 0);
    assert!(
        explain
            .stdout
            .starts_with("A008 invalid-account-id (error)\n"),
        "{}",
        explain.stdout
    );
    assert!(
        explain
            .stdout
            .contains("Example:\n    arn:aws:iam::12345678901:role/Agent")
    );
}
/// `samlfx` run in `dir`, so that file names in its output are short and stable.
fn samlfx_in(dir: &std::path::Path, args: &[&str]) -> Run {
    samlfx_at(dir, args, &[])
}

const ROLE_PAIR: &str = "$User.AWS_Role__c & ',' & $User.AWS_Provider__c";

#[test]
fn field_declarations_type_check_with_no_values() {
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--format",
        "json",
        "--field",
        "$User.AWS_Role__c:Text:64",
        "--field",
        "$user.aws_provider__c:Text",
        ROLE_PAIR,
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{}", r.stdout);
    insta::assert_snapshot!("field_check_only_json", r.stdout);
    // The declaration decides the type: a Number field joined as text is F104.
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--color",
        "never",
        "--field",
        "$User.Seats__c:Number",
        "'seats: ' & $User.Seats__c",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("error[F104]"), "{}", r.stderr);
    // Without a declaration, F102 says how to make one.
    let r = samlfx(&["eval", "--check-only", "--color", "never", ROLE_PAIR]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("--field '$User.AWS_Role__c:Text'"),
        "{}",
        r.stderr
    );
    // The bundled schema file declares the same fields, and the README's example runs.
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--context",
        "examples/org-schema.json",
        ROLE_PAIR,
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let r = samlfx(&[
        "eval",
        "--context",
        "examples/org-schema.json",
        "--set",
        "$User.Seats__c=3",
        "TEXT($User.Seats__c + 1)",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "4\n"), "{}", r.stderr);
    // A declared field with no value evaluates to null, like any unset field.
    let r = samlfx(&[
        "eval",
        "--field",
        "$User.AWS_Role__c:Text",
        "BLANKVALUE($User.AWS_Role__c, 'none')",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (0, "none\n"), "{}", r.stderr);
}

#[test]
fn bad_field_declarations_are_input_errors() {
    let r = samlfx(&[
        "eval",
        "--color",
        "never",
        "--field",
        "$User.AWS_Role__c:Text:300",
        "--field",
        "$User.Alias:Text",
        "$User.Alias",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    insta::assert_snapshot!("field_bad_declarations_human", r.stderr);
    let r = samlfx(&[
        "eval",
        "--format",
        "json",
        "--field",
        "$User.X__c:Number",
        "--field",
        "$user.x__C:Number",
        "1",
    ]);
    assert_eq!(r.code, 2);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F404");
    assert_eq!(d["file"], serde_json::Value::Null);
    assert_eq!(
        d["message"],
        "`$User.X__c` is declared twice, as `$User.X__c` and as `$User.x__C`; field names ignore case"
    );
}

#[test]
fn a_declared_number_field_given_text_is_f402() {
    let r = samlfx(&[
        "eval",
        "--color",
        "never",
        "--field",
        "$User.Seats__c:Number",
        "--set",
        "$User.Seats__c=two",
        "TEXT($User.Seats__c)",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("field_number_given_text_set", r.stderr);
    // In a context file, at the value; a number in a string is a Number once declared.
    let dir = scratch("declared-number");
    std::fs::write(
        dir.join("ctx.json"),
        "{\"$User\": {\"Seats__c\": \"two\"},\n \"schema\": {\"$User.Seats__c\": \"Number\"}}\n",
    )
    .unwrap();
    let r = samlfx_in(
        &dir,
        &[
            "eval",
            "--color",
            "never",
            "--context",
            "ctx.json",
            "TEXT($User.Seats__c)",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("field_number_given_text_file", r.stderr);
    std::fs::write(dir.join("ok.json"), r#"{"$User": {"Seats__c": "2"}}"#).unwrap();
    let r = samlfx_in(
        &dir,
        &[
            "eval",
            "--context",
            "ok.json",
            "--field",
            "$User.Seats__c:Number",
            "TEXT($User.Seats__c + 1)",
        ],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "3\n"), "{}", r.stderr);
    // Undeclared, the same value is Text, as before.
    let r = samlfx_in(
        &dir,
        &["eval", "--context", "ok.json", "$User.Seats__c & '!'"],
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, "2!\n"), "{}", r.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_declared_text_length_is_enforced() {
    let dir = scratch("declared-length");
    std::fs::write(
        dir.join("ctx.json"),
        "{\n  \"$User\": {\"AWS_Role__c\": \"arn:aws:iam::123456789012:role/Agent\"}\n}\n",
    )
    .unwrap();
    let run = |format: &str, len: &str| {
        let field = format!("$User.AWS_Role__c:Text:{len}");
        samlfx_in(
            &dir,
            &[
                "eval",
                "--color",
                "never",
                "--format",
                format,
                "--context",
                "ctx.json",
                "--field",
                &field,
                "$User.AWS_Role__c",
            ],
        )
    };
    let r = run("human", "20");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("field_text_too_long_human", r.stderr);
    let r = run("json", "20");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "F402");
    assert_eq!(d["file"], "ctx.json");
    assert_eq!(
        (d["span"]["line"].clone(), d["span"]["column"].clone()),
        (2.into(), 28.into())
    );
    // 36 characters fit in 36.
    let r = run("human", "36");
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "arn:aws:iam::123456789012:role/Agent\n"),
        "{}",
        r.stderr
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_context_schema_may_repeat_a_field_flag_but_not_contradict_it() {
    let dir = scratch("schema-conflict");
    std::fs::write(
        dir.join("ctx.json"),
        "{\"schema\": {\"$User.AWS_Role__c\": {\"type\": \"Text\", \"length\": 64},\n            \"$User.Seats__c\": \"Number\"}}\n",
    )
    .unwrap();
    let run = |field: &str| {
        samlfx_in(
            &dir,
            &[
                "eval",
                "--check-only",
                "--color",
                "never",
                "--context",
                "ctx.json",
                "--field",
                field,
                ROLE_PAIR,
            ],
        )
    };
    let r = run("$User.AWS_Provider__c:Text:64");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run("$User.AWS_Role__c:Text:64");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("$User.AWS_Provider__c"), "{}", r.stderr);
    let r = run("$User.Seats__c:Text");
    assert_eq!(r.code, 2, "{}", r.stderr);
    insta::assert_snapshot!("field_conflicts_with_context_schema", r.stderr);
}

/// A formula whose only finding is the warning F202 (a placeholder left in a literal).
const PLACEHOLDER: &str = "'arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole'";

#[test]
fn severity_overrides_and_fail_on_decide_the_exit_status() {
    let base = ["eval", "--check-only", PLACEHOLDER];
    let run = |extra: &[&str]| samlfx(&[&base[..], extra].concat());

    assert_eq!(run(&[]).code, 0, "a warning does not fail by default");
    let fail_on = run(&["--fail-on", "warning"]);
    assert_eq!(fail_on.code, 1, "{}", fail_on.stderr);
    assert!(fail_on.stderr.starts_with("warning[F202]: "));

    let allowed = run(&["--allow", "F202", "--fail-on", "warning"]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert_eq!(allowed.stderr, "", "an allowed code is not shown");

    let denied = run(&["--deny", "F202"]);
    assert_eq!(denied.code, 1);
    insta::assert_snapshot!("deny_turns_a_warning_into_an_error", denied.stderr);

    // By name too, any case; `--warn` turns the error back into a warning.
    let json = samlfx(&[
        "arn",
        "--format",
        "json",
        "--warn",
        "Invalid-Account-ID",
        "arn:aws:iam::12345678901:role/Agent",
    ]);
    assert_eq!(json.code, 0, "{}", json.stdout);
    insta::assert_snapshot!("warn_turns_an_arn_error_into_a_warning", json.stdout);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["arns"][0]["valid"], true, "judged after the policy");
    assert_eq!(v["summary"]["warnings"], 1);
    let strict = samlfx(&[
        "arn",
        "--warn",
        "A008",
        "--fail-on",
        "warning",
        "arn:aws:iam::12345678901:role/Agent",
    ]);
    assert_eq!(strict.code, 1);

    // A formula that does not compile has no value: exit 1 whatever the policy says of its error.
    let broken = samlfx(&[
        "eval",
        "--warn",
        "F104",
        "--format",
        "github",
        "$User.Alias & 1",
    ]);
    assert_eq!(broken.code, 1, "{}", broken.stdout);
    assert!(
        broken.stdout.starts_with("::warning title=F104::"),
        "{}",
        broken.stdout
    );
}

#[test]
fn severity_overrides_in_every_machine_format() {
    for format in ["json", "sarif", "github"] {
        let r = samlfx(&[
            "arn",
            "--format",
            format,
            "--allow",
            "A003",
            "--deny",
            "saml-provider-name-punctuation",
            " arn:aws:iam::123456789012:saml-provider/Sales@force",
        ]);
        assert_eq!(r.code, 1, "{format}: {}", r.stdout);
        // SARIF lists every code as a rule: compare its results and artifacts only.
        let shown = if format == "sarif" {
            let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
            let run = &log["runs"][0];
            serde_json::to_string_pretty(&serde_json::json!({
                "artifacts": run["artifacts"],
                "results": run["results"],
            }))
            .unwrap()
        } else {
            r.stdout
        };
        assert!(!shown.contains("A003"), "{format}: {shown}");
        insta::assert_snapshot!(format!("overrides_{format}"), shown);
    }
}

#[test]
fn bad_severity_options_are_usage_errors() {
    let unknown = samlfx(&["eval", "--allow", "F2002", "1"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown
            .stderr
            .contains("unknown diagnostic code 'F2002'; did you mean 'F002'?"),
        "{}",
        unknown.stderr
    );
    let named = samlfx(&["arn", "--warn", "invalid-acount-id", "x"]);
    assert_eq!(named.code, 2);
    assert!(
        named.stderr.contains("did you mean 'invalid-account-id'?"),
        "{}",
        named.stderr
    );
    let twice = samlfx(&["eval", "--allow", "F202", "--deny", "f202", "1"]);
    assert_eq!(twice.code, 2);
    assert_eq!(
        twice.stderr,
        "error: F202 is given to both --allow and --deny\n"
    );
    assert_eq!(samlfx(&["eval", "--fail-on", "info", "1"]).code, 2);
}
