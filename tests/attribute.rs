//! AWS's attribute rules on formulas: what the static analysis proves for the formulas users
//! actually paste (four real ones), and `samlfx eval --attribute` end to end, as goldens.

mod support;

use support::samlfx;

use samlfx_aws::attribute;
use samlfx_aws::formula::check_formula;
use samlfx_aws::profile::Profile;
use samlfx_diag::{Diagnostic, Severity};
use samlfx_formula::id::IdLength;
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::shape::{ShapeOptions, TextShape};

const SEED: &str = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
const IDS: &str = "$User.Id & '@' & $Organization.Id";
const FULL_NAME: &str = "$User.FirstName & ' ' & $User.LastName";
const LOWER_USERNAME: &str = "LOWER($User.Username)";

fn program(src: &str) -> Program {
    Program::compile(src, &CompileOptions::default())
        .program
        .expect("compiles")
}

fn shape(src: &str, id_length: IdLength) -> TextShape {
    program(src)
        .text_shape(&ShapeOptions {
            id_length,
            schema: None,
        })
        .expect("a Text formula")
}

/// (code, severity) of every static finding of RoleSessionName's rules on `src`.
fn findings(src: &str, profile: Profile, id_length: IdLength) -> Vec<(String, Severity)> {
    let rsn = attribute::resolve("RoleSessionName").expect("known");
    let found: Vec<Diagnostic> = check_formula(
        &rsn,
        &program(src),
        profile,
        &ShapeOptions {
            id_length,
            schema: None,
        },
    );
    found
        .into_iter()
        .map(|d| (d.code.as_str().to_owned(), d.severity))
        .collect()
}

fn codes(list: &[(&str, Severity)]) -> Vec<(String, Severity)> {
    list.iter().map(|(c, s)| ((*c).to_owned(), *s)).collect()
}

#[test]
fn the_seed_formula_is_proved_within_length_and_warned_for_its_alias() {
    let s15 = shape(SEED, IdLength::Fifteen);
    assert_eq!((s15.min_len, s15.max_len), (33, Some(40)));
    let s18 = shape(SEED, IdLength::Eighteen);
    assert_eq!((s18.min_len, s18.max_len), (39, Some(46)));
    assert!(!s15.may_be_blank);
    for id_length in [IdLength::Fifteen, IdLength::Eighteen] {
        // No length finding: 46 is within 64. Characters: from $User.Alias alone.
        assert_eq!(
            findings(SEED, Profile::Aws, id_length),
            codes(&[("A121", Severity::Warning)])
        );
        assert_eq!(
            findings(SEED, Profile::AmazonConnect, id_length),
            codes(&[("A121", Severity::Warning), ("A200", Severity::Warning)])
        );
    }
    let rsn = attribute::resolve("RoleSessionName").unwrap();
    let found = check_formula(
        &rsn,
        &program(SEED),
        Profile::AmazonConnect,
        &ShapeOptions::default(),
    );
    for d in &found {
        // The finding points at $User.Alias and nothing else.
        assert_eq!(d.span.map(|s| &SEED[s.start..s.end]), Some("$User.Alias"));
        assert!(d.labels.is_empty(), "{d:?}");
        assert!(d.message.contains("(from $User.Alias)"), "{}", d.message);
    }
    let connect = found.iter().find(|d| d.code.as_str() == "A200").unwrap();
    assert!(connect.help.as_deref().unwrap().contains("samlfx audit"));
}

#[test]
fn ids_alone_are_proved_safe() {
    let s = shape(IDS, IdLength::Fifteen);
    assert_eq!((s.min_len, s.max_len), (31, Some(31)));
    assert_eq!(shape(IDS, IdLength::Eighteen).max_len, Some(37));
    for profile in [Profile::Aws, Profile::AmazonConnect] {
        for id_length in [IdLength::Fifteen, IdLength::Eighteen] {
            assert_eq!(findings(IDS, profile, id_length), vec![]);
        }
    }
}

#[test]
fn a_full_name_always_holds_a_space() {
    let found = findings(FULL_NAME, Profile::Aws, IdLength::Fifteen);
    // Always a space (the literal): an error. Up to 121 characters: a warning.
    assert_eq!(
        found,
        codes(&[("A120", Severity::Warning), ("A121", Severity::Error)])
    );
}

#[test]
fn a_lowercased_username_is_flagged_for_length_and_for_connect() {
    let aws = findings(LOWER_USERNAME, Profile::Aws, IdLength::Fifteen);
    assert!(
        aws.contains(&("A120".to_owned(), Severity::Warning)),
        "{aws:?}"
    );
    let connect = findings(LOWER_USERNAME, Profile::AmazonConnect, IdLength::Fifteen);
    assert!(
        connect.contains(&("A200".to_owned(), Severity::Warning)),
        "{connect:?}"
    );
}

#[test]
fn no_profile_runs_no_attribute_rule() {
    assert_eq!(
        findings(FULL_NAME, Profile::None, IdLength::Fifteen),
        vec![]
    );
}

/// `eval --check-only --attribute KEY` in human and JSON, with the exit status.
fn golden(name: &str, key: &str, profile: &str, formula: &str, extra: &[&str]) {
    let mut args = vec![
        "eval",
        "--check-only",
        "--attribute",
        key,
        "--profile",
        profile,
    ];
    args.extend_from_slice(extra);
    args.push(formula);
    let human = samlfx(&args);
    args.splice(1..1, ["--format", "json"]);
    let json = samlfx(&args);
    assert_eq!(
        human.code, json.code,
        "{name}: one status whatever the format"
    );
    assert!(
        human.stdout.is_empty(),
        "{name}: --check-only prints no value"
    );
    insta::assert_snapshot!(
        format!("{name}_human"),
        format!("exit {}\n{}", human.code, human.stderr)
    );
    insta::assert_snapshot!(
        format!("{name}_json"),
        format!("exit {}\n{}", json.code, json.stdout)
    );
}

#[test]
fn goldens_for_the_issue_formulas() {
    golden(
        "seed_connect",
        "RoleSessionName",
        "amazon-connect",
        SEED,
        &[],
    );
    golden(
        "seed_aws_18",
        "RoleSessionName",
        "aws",
        SEED,
        &["--id-length", "18"],
    );
    golden("ids_connect", "RoleSessionName", "amazon-connect", IDS, &[]);
    golden("full_name", "RoleSessionName", "aws", FULL_NAME, &[]);
    golden(
        "lower_username_aws",
        "RoleSessionName",
        "aws",
        LOWER_USERNAME,
        &[],
    );
    golden(
        "lower_username_connect",
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
        "amazon-connect",
        LOWER_USERNAME,
        &[],
    );
    golden(
        "federation_id_blank",
        "RoleSessionName",
        "aws",
        "$User.FederationIdentifier",
        &[],
    );
}

#[test]
fn a_role_typed_in_literals_is_checked_inside_them() {
    // The folded Role value is checked as a value; the 11-digit account is found inside the
    // first literal even after an escape.
    let formula = r"'arn:aws:iam::12345678901:role/Agent\'s' & ',' & 'arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'";
    let r = samlfx(&["eval", "--attribute", "Role", "--format", "json", formula]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let diags = json["diagnostics"].as_array().unwrap();
    let account = diags.iter().find(|d| d["code"] == "A008").expect("A008");
    let (start, end) = (
        account["span"]["start"].as_u64().unwrap() as usize,
        account["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&formula[start..end], "12345678901");
    let name = diags.iter().find(|d| d["code"] == "A011").expect("A011");
    let start = name["span"]["start"].as_u64().unwrap() as usize;
    let end = name["span"]["end"].as_u64().unwrap() as usize;
    // The apostrophe is written `\'` in the formula: both bytes are blamed.
    assert_eq!(&formula[start..end], r"\'");
    insta::assert_snapshot!("role_in_literals_human", {
        let r = samlfx(&["eval", "--attribute", "Role", formula]);
        format!("exit {}\nstdout: {}\n{}", r.code, r.stdout, r.stderr)
    });
}

#[test]
fn the_value_is_checked_for_the_user() {
    let r = samlfx(&[
        "eval",
        "--attribute",
        "RoleSessionName",
        "--profile",
        "amazon-connect",
        "--context",
        "examples/jdoe.json",
        "--set",
        "$User.Alias=j+doe",
        SEED,
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.stdout, "j+doe@005Hs00000AbCdE@00DHs000001xYzQ\n");
    insta::assert_snapshot!("value_for_a_user_human", r.stderr);
}

#[test]
fn attribute_keys_are_resolved_or_refused() {
    let near = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "http://aws.amazon.com/SAML/Attributes/RoleSessionName",
        IDS,
    ]);
    assert_eq!(near.code, 0, "{}", near.stderr);
    assert!(near.stderr.contains("A100"), "{}", near.stderr);
    let unknown = samlfx(&["eval", "--attribute", "RoleSesionName", IDS]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean 'RoleSessionName'"),
        "{}",
        unknown.stderr
    );
    let bad_profile = samlfx(&["eval", "--profile", "connect", IDS]);
    assert_eq!(bad_profile.code, 2);
}

/// A session tag's key is held to AWS's tag-key rules ("Passing session tags in AWS STS", IAM
/// User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html): the
/// reserved `aws:` prefix and the allowed characters, at the key as given to `--attribute`.
#[test]
fn the_tag_key_of_the_attribute_is_checked() {
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "PrincipalTag:aws:Cost#Center",
        "--format",
        "json",
        "'Sales'",
    ]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let mut found: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    found.sort_unstable();
    // And the reminder that session tags need `sts:TagSession` (A147, an info).
    assert_eq!(found, ["A141", "A144", "A147"], "{json}");
    let human = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Cost#Center",
        "'Sales'",
    ]);
    assert_eq!(human.code, 1);
    assert!(human.stderr.contains("error[A141]"), "{}", human.stderr);
    assert!(human.stderr.contains("--attribute"), "{}", human.stderr);
    let fine = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "PrincipalTag:CostCenter",
        "'Sales'",
    ]);
    assert_eq!(fine.code, 0, "{}", fine.stderr);
    assert!(!fine.stderr.contains("error"), "{}", fine.stderr);
}

/// Session tags need `sts:TagSession` in the role's trust policy ("Passing session tags in AWS
/// STS", IAM User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html),
/// or AssumeRoleWithSAML is denied: an info that does not fail the run.
#[test]
fn a_session_tag_reminds_of_tag_session() {
    let r = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "PrincipalTag:CostCenter",
        "'Sales'",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("info[A147]"), "{}", r.stderr);
    assert!(r.stderr.contains("sts:TagSession"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Not authorized to perform sts:AssumeRoleWithSAML"),
        "{}",
        r.stderr
    );
    let none = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "PrincipalTag:CostCenter",
        "--profile",
        "none",
        "'Sales'",
    ]);
    assert!(!none.stderr.contains("A147"), "{}", none.stderr);
    let rsn = samlfx(&[
        "eval",
        "--check-only",
        "--attribute",
        "RoleSessionName",
        IDS,
    ]);
    assert!(!rsn.stderr.contains("A147"), "{}", rsn.stderr);
}
