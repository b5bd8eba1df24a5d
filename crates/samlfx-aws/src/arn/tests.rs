//! Every ARN rule at its boundaries, with exact spans; and a property test that `check` takes any
//! text without panicking.

use super::*;
use proptest::prelude::*;

const ACCOUNT: &str = "123456789012";
const UUID: &str = "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";

/// Each diagnostic as (code, start, end).
fn found(text: &str) -> Vec<(Code, usize, usize)> {
    check(text)
        .diagnostics
        .iter()
        .map(|d| {
            let s = d.span.expect("every ARN diagnostic has a span");
            (d.code, s.start, s.end)
        })
        .collect()
}

/// The span of the `n`th occurrence (from 0) of `needle` in `text`.
fn at(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let start = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} not in {text:?}"))
        .0;
    (start, start + needle.len())
}

fn role(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}

fn assert_valid(text: &str) {
    let c = check(text);
    assert!(c.diagnostics.is_empty(), "{text:?}: {:?}", c.diagnostics);
    assert!(c.is_valid(), "{text:?}");
}

/// One diagnostic, `code`, over `span`.
fn assert_one(text: &str, code: Code, span: (usize, usize)) {
    assert_eq!(found(text), vec![(code, span.0, span.1)], "{text:?}");
}

#[test]
fn a_role_arn_is_split_into_its_parts() {
    let text = role("division/team/Agent");
    let c = check(&text);
    assert!(c.is_valid());
    let arn = c.arn.unwrap();
    assert_eq!(arn.partition.text, "aws");
    assert_eq!(arn.partition.span, Span::new(4, 7));
    assert_eq!(arn.service.text, "iam");
    assert_eq!(arn.region.text, "");
    assert_eq!(arn.region.span, Span::new(12, 12));
    assert_eq!(arn.account.text, ACCOUNT);
    assert_eq!(arn.account.span, Span::new(13, 25));
    assert_eq!(arn.resource.text, "role/division/team/Agent");
    let ResourceKind::IamRole { path, name } = arn.kind else {
        panic!("{:?}", arn.kind)
    };
    assert_eq!(path.text, "/division/team/");
    assert_eq!(path.span, Span::new(30, 45));
    assert_eq!(name.text, "Agent");
    assert_eq!(name.span, Span::new(45, 50));
    assert_eq!(arn.kind_name(), "iam-role");
}

#[test]
fn role_names_have_1_to_64_characters() {
    assert_valid(&role("a"));
    assert_valid(&role(&"a".repeat(64)));
    assert_valid(&role("Az09_+=,.@-"));
    let long = role(&"a".repeat(65));
    assert_one(&long, Code::InvalidRoleName, (31, 96));
    let empty = role("");
    assert_one(&empty, Code::InvalidRoleName, (31, 31));
    let in_path = role("team/");
    assert_one(&in_path, Code::InvalidRoleName, (36, 36));
    for bad in ['#', ':', '*', '<', 'é', '\u{0}'] {
        let text = role(&format!("Voice{bad}Agent"));
        let start = 36;
        assert_one(
            &text,
            Code::InvalidRoleName,
            (start, start + bad.len_utf8()),
        );
    }
    // Every further bad character is a label on the one diagnostic.
    let text = role("<ContactCenterName>-SAMLRole");
    let c = check(&text);
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].span, Some(Span::new(31, 32)));
    assert_eq!(c.diagnostics[0].labels[0].span, Span::new(49, 50));
}

#[test]
fn role_paths_are_slash_delimited_printable_ascii_up_to_512() {
    // The path counts both slashes: `/` + 510 + `/` is 512.
    let ok = role(&format!("/{}/Agent", "p".repeat(510))[1..]);
    assert_valid(&ok);
    let text = role(&format!("{}/Agent", "p".repeat(511)));
    assert_one(&text, Code::InvalidRolePath, (30, 30 + 513));
    assert_valid(&role("a/b/c/Agent"));
    assert_valid(&role("!~\"#/Agent"));
    let text = role("team\u{7F}/Agent");
    assert_one(&text, Code::InvalidRolePath, (35, 36));
    let text = role("équipe/Agent");
    assert_one(&text, Code::InvalidRolePath, (31, 33));
    let text = format!("arn:aws:iam::{ACCOUNT}:role//Agent");
    assert_one(&text, Code::InvalidRolePath, (30, 32));
    // `///` is `/` + `/` + `/`, which the pattern allows.
    assert_valid(&format!("arn:aws:iam::{ACCOUNT}:role///Agent"));
}

#[test]
fn every_partition_with_its_own_region_and_another_one() {
    for (i, p) in PARTITIONS.iter().enumerate() {
        assert_valid(&format!("arn:{}:iam::{ACCOUNT}:role/Agent", p.name));
        assert_valid(&format!(
            "arn:{}:connect:{}:{ACCOUNT}:instance/{UUID}",
            p.name, p.example_region
        ));
        let other = &PARTITIONS[(i + 1) % PARTITIONS.len()];
        let text = format!(
            "arn:{}:connect:{}:{ACCOUNT}:instance/{UUID}",
            p.name, other.example_region
        );
        let region = at(&text, other.example_region, 0);
        assert_one(&text, Code::InvalidRegion, region);
        let help = check(&text).diagnostics[0].help.clone().unwrap();
        assert!(help.contains(other.name), "{help}");
    }
}

#[test]
fn region_patterns_follow_the_sdk_table() {
    let aws = Partition::lookup("aws").unwrap();
    for good in [
        "us-east-1",
        "eu-central-2",
        "ap-southeast-5",
        "il-central-1",
        "mx-x_1-10",
    ] {
        assert!(aws.has_region(good), "{good}");
    }
    for bad in [
        "us-gov-west-1",
        "us-east",
        "us-east-",
        "us--1",
        "useast-1",
        "cn-north-1",
        "us-east-1a",
        "US-EAST-1",
        "",
    ] {
        assert!(!aws.has_region(bad), "{bad}");
    }
    let table = [
        ("aws-cn", "cn-northwest-1"),
        ("aws-us-gov", "us-gov-east-1"),
        ("aws-iso", "us-iso-west-1"),
        ("aws-iso-b", "us-isob-east-1"),
        ("aws-iso-e", "eu-isoe-west-1"),
        ("aws-iso-f", "us-isof-east-1"),
        ("aws-eusc", "eusc-de-east-1"),
    ];
    for (name, region) in table {
        assert_eq!(Partition::of_region(region).map(|p| p.name), Some(name));
    }
    assert!(
        !Partition::lookup("aws-eusc")
            .unwrap()
            .has_region("eusc-fr-east-1")
    );
}

#[test]
fn unknown_partitions_and_wrong_case() {
    let text = format!("arn:aws-gov:iam::{ACCOUNT}:role/Agent");
    assert_one(&text, Code::UnknownPartition, (4, 11));
    let help = check(&text).diagnostics[0].help.clone().unwrap();
    assert!(help.starts_with("did you mean `aws-us-gov`?"), "{help}");
    let text = format!("arn:AWS:iam::{ACCOUNT}:role/Agent");
    assert_one(&text, Code::UnknownPartition, (4, 7));
    let text = format!("arn::iam::{ACCOUNT}:role/Agent");
    assert_one(&text, Code::UnknownPartition, (4, 4));
    // The region is still checked against the partition meant.
    let text = format!("arn:AWS:connect:cn-north-1:{ACCOUNT}:instance/{UUID}");
    assert_eq!(
        found(&text),
        vec![
            (Code::UnknownPartition, 4, 7),
            (Code::InvalidRegion, 16, 26)
        ]
    );
}

#[test]
fn iam_and_sts_regions_are_empty() {
    assert_valid(&role("Agent"));
    let text = format!("arn:aws:iam:us-east-1:{ACCOUNT}:role/Agent");
    assert_one(&text, Code::UnexpectedRegion, (12, 21));
    let text = format!("arn:aws:sts:us-east-1:{ACCOUNT}:assumed-role/Agent/jdoe");
    assert_one(&text, Code::UnexpectedRegion, (12, 21));
    // Connect needs one.
    let text = format!("arn:aws:connect::{ACCOUNT}:instance/{UUID}");
    assert_one(&text, Code::InvalidRegion, (16, 16));
    // Other services may have none (S3 buckets).
    assert_valid("arn:aws:s3:::my-bucket/key");
}

#[test]
fn accounts_have_exactly_12_digits() {
    for n in [11, 13] {
        let account = "1".repeat(n);
        let text = format!("arn:aws:iam::{account}:role/Agent");
        assert_one(&text, Code::InvalidAccountId, (13, 13 + n));
        let message = &check(&text).diagnostics[0].message;
        assert_eq!(message, &format!("account ID must be 12 digits; found {n}"));
    }
    assert_valid(&format!("arn:aws:iam::{}:role/Agent", "0".repeat(12)));
    let text = "arn:aws:iam:::role/Agent";
    assert_one(text, Code::InvalidAccountId, (13, 13));
    let text = "arn:aws:iam::1234-5678-9012:role/Agent";
    assert_one(text, Code::InvalidAccountId, (13, 27));
    let help = check(text).diagnostics[0].help.clone().unwrap();
    assert!(help.ends_with("`123456789012`"), "{help}");
    let text = "arn:aws:iam::12345678901O:role/Agent";
    assert_one(text, Code::InvalidAccountId, (24, 25));
    // Fullwidth digits are not ASCII digits.
    let text = "arn:aws:iam::１23456789012:role/Agent";
    assert_one(text, Code::InvalidAccountId, (13, 16));
    // AWS-managed policies belong to the account `aws`; other services may have none.
    assert_valid("arn:aws:iam::aws:policy/ReadOnlyAccess");
    assert_valid("arn:aws:s3:::bucket");
    let text = "arn:aws:iam::aws:role/Agent";
    assert_one(text, Code::InvalidAccountId, (13, 16));
}

#[test]
fn saml_provider_names_have_1_to_128_characters() {
    let provider = |name: &str| format!("arn:aws:iam::{ACCOUNT}:saml-provider/{name}");
    assert_valid(&provider("SalesforceVoiceIdp_00D5g000004Xyz1"));
    assert_valid(&provider(&"p".repeat(128)));
    assert_valid(&provider("a"));
    assert_valid(&provider("a.b-c_d"));
    let text = provider(&"p".repeat(129));
    assert_one(&text, Code::InvalidSamlProviderName, (40, 169));
    let text = provider("");
    assert_one(&text, Code::InvalidSamlProviderName, (40, 40));
    let text = provider("Voice/Idp");
    assert_one(&text, Code::InvalidSamlProviderName, (45, 46));
    let text = format!("arn:aws:iam::{ACCOUNT}:saml-provider");
    assert_one(&text, Code::InvalidResource, (26, 39));
    let text = provider("Sales@force");
    let c = check(&text);
    assert!(c.is_valid(), "a warning does not make it invalid");
    for (name, at) in [("a+b", 41), ("a=b", 41), ("a,b", 41), ("a@b", 41)] {
        let text = provider(name);
        let d = &check(&text).diagnostics;
        assert_eq!(d.len(), 1, "{name}");
        assert_eq!(d[0].code, Code::ProviderNamePunctuation);
        assert_eq!(d[0].severity, samlfx_diag::Severity::Warning);
        assert_eq!(d[0].span, Some(Span::new(at, at + 1)));
    }
    let text = provider("Idp");
    let arn = check(&text).arn.unwrap();
    assert_eq!(
        arn.kind,
        ResourceKind::SamlProvider {
            name: Part {
                text: "Idp",
                span: Span::new(40, 43)
            }
        }
    );
}

#[test]
fn connect_instances_are_lowercase_uuids() {
    let instance = |rest: &str| format!("arn:aws:connect:us-east-1:{ACCOUNT}:instance/{rest}");
    let id_at = 48;
    assert_valid(&instance(UUID));
    assert_valid(&instance(&format!("{UUID}/agent/5f2c3b1a")));
    assert_valid(&instance(&format!("{UUID}/user/${{aws:userid}}")));
    let text = instance(&format!("{UUID}/agent/x"));
    let c = check(&text);
    let arn = c.arn.unwrap();
    assert_eq!(arn.kind_name(), "connect-instance");
    let parts = arn.parts();
    assert_eq!(parts[0].0, "instance");
    assert_eq!(parts[0].1.text, UUID);
    assert_eq!(parts[1].0, "resource");
    assert_eq!(parts[1].1.text, "agent/x");

    let upper = UUID.to_ascii_uppercase();
    assert_one(
        &instance(&upper),
        Code::InvalidConnectInstanceId,
        (id_at, id_at + 36),
    );
    // 35 characters, a hyphen moved, no hyphens at all.
    assert_one(
        &instance(&UUID[1..]),
        Code::InvalidConnectInstanceId,
        (id_at, id_at + 35),
    );
    let moved = format!("{}-{}", &UUID[..7], &UUID[7..].replacen('-', "", 1));
    assert_one(
        &instance(&moved),
        Code::InvalidConnectInstanceId,
        (id_at, id_at + 36),
    );
    let bare = UUID.replace('-', "");
    assert_one(
        &instance(&bare),
        Code::InvalidConnectInstanceId,
        (id_at, id_at + 32),
    );
    let g = UUID.replacen('a', "g", 1);
    assert_one(
        &instance(&g),
        Code::InvalidConnectInstanceId,
        (id_at + 1, id_at + 2),
    );
    assert_one(
        &instance(""),
        Code::InvalidConnectInstanceId,
        (id_at, id_at),
    );
    let trailing = instance(&format!("{UUID}/"));
    assert_one(&trailing, Code::InvalidResource, (id_at + 36, id_at + 37));
    let text = format!("arn:aws:connect:us-east-1:{ACCOUNT}:Instance/{UUID}");
    assert_one(&text, Code::InvalidResource, (39, 47));
    // Other Connect resources are accepted as written.
    assert_valid(&format!(
        "arn:aws:connect:us-east-1:{ACCOUNT}:phone-number/{UUID}"
    ));
}

#[test]
fn assumed_role_sessions_have_2_to_64_characters() {
    let assumed = |rest: &str| format!("arn:aws:sts::{ACCOUNT}:assumed-role/{rest}");
    let session_at = 45;
    assert_valid(&assumed("Agent/jd"));
    assert_valid(&assumed(&format!("Agent/{}", "s".repeat(64))));
    assert_valid(&assumed("Agent/jdoe@005Hs00000AbCdE@00DHs000001xYzQ"));
    let text = assumed("Agent/j");
    assert_one(
        &text,
        Code::InvalidSessionName,
        (session_at, session_at + 1),
    );
    let text = assumed(&format!("Agent/{}", "s".repeat(65)));
    assert_one(
        &text,
        Code::InvalidSessionName,
        (session_at, session_at + 65),
    );
    let text = assumed("Agent/j.doe!");
    assert_one(
        &text,
        Code::InvalidSessionName,
        (session_at + 5, session_at + 6),
    );
    let text = assumed("Agent/a/b");
    assert_one(
        &text,
        Code::InvalidSessionName,
        (session_at + 1, session_at + 2),
    );
    let text = assumed("Agent");
    assert_one(&text, Code::InvalidSessionName, (44, 44));
    let text = assumed(&format!("{}/jdoe", "r".repeat(65)));
    assert_one(&text, Code::InvalidRoleName, (39, 104));
    let text = assumed("Agent/jdoe");
    let arn = check(&text).arn.unwrap();
    let ResourceKind::AssumedRole { role, session } = arn.kind else {
        panic!()
    };
    assert_eq!((role.text, session.text), ("Agent", "jdoe"));
    assert_eq!(session.span, Span::new(45, 49));
}

#[test]
fn case_matters_with_a_did_you_mean() {
    let cases: &[(&str, Code, (usize, usize), &str)] = &[
        (
            "ARN:aws:iam::123456789012:role/Agent",
            Code::MalformedArn,
            (0, 3),
            "`arn:`",
        ),
        (
            "arn:aws:IAM::123456789012:role/Agent",
            Code::InvalidService,
            (8, 11),
            "`iam`",
        ),
        (
            "arn:aws:iam::123456789012:Role/Agent",
            Code::InvalidResource,
            (26, 30),
            "`role`",
        ),
        (
            "arn:aws:iam::123456789012:SAML-Provider/Idp",
            Code::InvalidResource,
            (26, 39),
            "`saml-provider`",
        ),
        (
            "arn:aws:iam::123456789012:roles/Agent",
            Code::InvalidResource,
            (26, 31),
            "`role`",
        ),
        (
            "arn:aws:connect:US-EAST-1:123456789012:instance/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
            Code::InvalidRegion,
            (16, 25),
            "`us-east-1`",
        ),
    ];
    for &(text, code, span, fix) in cases {
        assert_one(text, code, span);
        let d = &check(text).diagnostics[0];
        assert!(
            d.help.as_deref().unwrap().contains(fix),
            "{text}: {:?}",
            d.help
        );
        // The kind is still the one meant.
        assert!(check(text).arn.is_some(), "{text}");
    }
    let arn = check("arn:aws:IAM::123456789012:Role/Agent").arn.unwrap();
    assert_eq!(arn.kind_name(), "iam-role");
}

#[test]
fn other_iam_types_are_not_near_misses() {
    assert_valid("arn:aws:iam::123456789012:user/jdoe");
    assert_valid("arn:aws:iam::123456789012:oidc-provider/example.com");
    assert_valid("arn:aws:iam::123456789012:instance-profile/web");
    let arn = check("arn:aws:iam::123456789012:user/jdoe").arn.unwrap();
    assert_eq!(arn.kind, ResourceKind::Other);
}

#[test]
fn malformed_texts() {
    assert_one("", Code::MalformedArn, (0, 0));
    assert_one("   ", Code::MalformedArn, (0, 3));
    assert_one("arn", Code::MalformedArn, (0, 3));
    assert_one("hello world", Code::MalformedArn, (0, 11));
    assert_one(
        "https://signin.aws.amazon.com/saml",
        Code::MalformedArn,
        (0, 5),
    );
    assert_one("aws:iam::123456789012:role/A", Code::MalformedArn, (0, 3));
    // IAM with the region's colon lost: five components.
    let text = "arn:aws:iam:123456789012:role/Agent";
    assert_one(text, Code::MalformedArn, (0, 35));
    let c = check(text);
    assert!(c.arn.is_none());
    assert!(c.diagnostics[0].message.ends_with("found 5"));
    assert!(
        c.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("two colons")
    );
    // A resource may contain colons: still six components.
    let arn = check("arn:aws:s3:::a:b:c").arn.unwrap();
    assert_eq!(arn.resource.text, "a:b:c");
    let text = format!("arn:aws:iam::{ACCOUNT}:");
    assert_one(&text, Code::InvalidResource, (26, 26));
    let text = format!("arn:aws::us-east-1:{ACCOUNT}:x");
    assert_one(&text, Code::InvalidService, (8, 8));
}

#[test]
fn whitespace_around_and_inside() {
    let text = format!(" {}\n", role("Agent"));
    assert_eq!(
        found(&text),
        vec![
            (Code::WhitespaceAroundArn, 0, 1),
            (Code::WhitespaceAroundArn, 37, 38)
        ]
    );
    let c = check(&text);
    assert!(c.is_valid(), "whitespace around is a warning");
    let arn = c.arn.unwrap();
    assert_eq!(
        arn.account.span,
        Span::new(14, 26),
        "spans stay relative to the text"
    );
    assert_eq!(arn.kind_name(), "iam-role");
    // Inside: one diagnostic, the component checks do not repeat it.
    let text = role("Voice Agent");
    assert_one(&text, Code::WhitespaceInArn, (36, 37));
    let text = "arn:aws:iam::1234 56789012:role/Agent";
    assert_one(text, Code::WhitespaceInArn, (17, 18));
    let text = "arn:aws:iam::123456789012:role/A\u{A0}B C";
    let d = &check(text).diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].span, Some(Span::new(32, 34)));
    assert_eq!(d[0].labels[0].span, Span::new(35, 36));
    assert!(d[0].message.contains("U+00A0"), "{}", d[0].message);
}

#[test]
fn every_failure_has_a_help_line_and_a_span() {
    let texts = [
        "",
        "ARN:AWS:IAM:us-east-1:1234-5678-901:Role/x#y",
        "arn:aws:connect::1:instance/X/",
        "arn:x:sts::1:assumed-role/a",
        " arn:aws:iam::123456789012:saml-provider/a b@c ",
    ];
    for text in texts {
        for d in check(text).diagnostics {
            assert!(d.help.is_some(), "{text:?}: {d:?}");
            assert!(d.span.is_some(), "{text:?}: {d:?}");
        }
    }
}

#[test]
fn hostile_sizes_stay_linear_and_bounded() {
    let text = format!("arn:aws:iam::{ACCOUNT}:role/{}", " x".repeat(200_000));
    let c = check(&text);
    assert_eq!(c.diagnostics.len(), 2, "whitespace once, length once");
    assert!(c.diagnostics.iter().all(|d| d.labels.len() <= MAX_LABELS));
    assert!(c.diagnostics.iter().all(|d| d.message.len() < 200));
}

/// Every span of `checked` lies inside `text` on char boundaries.
fn spans_in_bounds(text: &str, checked: &Checked<'_>) -> Result<(), TestCaseError> {
    let ok = |s: Span| {
        s.start <= s.end
            && s.end <= text.len()
            && text.is_char_boundary(s.start)
            && text.is_char_boundary(s.end)
    };
    for d in &checked.diagnostics {
        let span = d.span.expect("a span");
        prop_assert!(ok(span), "{:?} in {:?}", span, text);
        for l in &d.labels {
            prop_assert!(ok(l.span), "{:?} in {:?}", l.span, text);
        }
    }
    if let Some(arn) = &checked.arn {
        let mut parts = vec![
            arn.partition,
            arn.service,
            arn.region,
            arn.account,
            arn.resource,
        ];
        parts.extend(arn.parts().into_iter().map(|(_, p)| p));
        for p in parts {
            prop_assert!(ok(p.span), "{:?} in {:?}", p.span, text);
            prop_assert_eq!(&text[p.span.start..p.span.end], p.text);
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn check_takes_any_text(text in any::<String>()) {
        let c = check(&text);
        spans_in_bounds(&text, &c)?;
        prop_assert_eq!(c.is_valid(), c.arn.is_some() && !c.diagnostics.iter().any(|d| d.is_error()));
    }

    /// Texts near real ARNs reach every validator.
    #[test]
    fn check_takes_any_near_arn(
        prefix in prop::sample::select(vec!["arn", "ARN", "", "arn:aws"]),
        partition in prop::sample::select(vec!["aws", "aws-cn", "AWS", "", "aws-eusc", "x"]),
        service in prop::sample::select(vec!["iam", "sts", "connect", "IAM", "", "s3"]),
        region in "(|us-east-1|cn-north-1|[a-z -]{0,12})",
        account in "[0-9a -]{0,14}",
        resource in "(role|saml-provider|assumed-role|instance|Role|user|)[/:]?[ -~é\u{A0}/]{0,80}",
    ) {
        let text = format!("{prefix}:{partition}:{service}:{region}:{account}:{resource}");
        let c = check(&text);
        spans_in_bounds(&text, &c)?;
        if prefix == "arn" {
            prop_assert!(c.arn.is_some(), "{:?}: {:?}", text, c.diagnostics);
        }
    }
}

/// The account principal, `arn:aws:iam::123456789012:root`, is a valid IAM ARN. AWS documents it
/// among IAM's ARNs: "IAM identifiers", IAM User Guide,
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns,
/// and as the AWS account principal in "AWS JSON policy elements: Principal",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html.
#[test]
fn the_account_root_is_a_valid_iam_arn() {
    let text = format!("arn:aws:iam::{ACCOUNT}:root");
    assert_valid(&text);
    let arn = check(&text).arn.unwrap();
    assert_eq!(arn.kind, ResourceKind::AccountRoot);
    assert_eq!(arn.kind_name(), "iam-account-root");
    assert_eq!(arn.account.text, ACCOUNT);
    assert_eq!(arn.resource.text, "root");
    assert!(arn.parts().is_empty(), "the account is already a component");
    assert_valid(&format!("arn:aws-us-gov:iam::{ACCOUNT}:root"));
    // No "did you mean `role`?".
    assert!(
        check(&text).diagnostics.iter().all(|d| !d
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`role`"))
    );
    // Written in another case, or with something after it: still the account meant.
    let at = text.len() - 4;
    assert_one(
        &format!("arn:aws:iam::{ACCOUNT}:Root"),
        Code::InvalidResource,
        (at, at + 4),
    );
    assert_one(
        &format!("arn:aws:iam::{ACCOUNT}:root/x"),
        Code::InvalidResource,
        (at + 4, at + 6),
    );
    assert_eq!(
        check(&format!("arn:aws:iam::{ACCOUNT}:Root"))
            .arn
            .unwrap()
            .kind,
        ResourceKind::AccountRoot
    );
    // The account is still required.
    assert_one("arn:aws:iam:::root", Code::InvalidAccountId, (13, 13));
}
