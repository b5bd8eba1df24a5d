//! Table-driven tests of every attribute rule at its boundaries, with exact spans.
//!
//! Role values are checked with a small stand-in ARN parser ([`fake_arn`]) so that the pair
//! rules are tested now; `role_through_the_real_arn_parser` runs the same cases through
//! `arn::check` once it parses (it skips itself while `arn::check` is the stub).

use proptest::prelude::*;
use samlfx_diag::{Code, Diagnostic, Span};

use super::*;
use crate::arn::{self, Arn, Checked, Part, ResourceKind};
use crate::attribute::{Attribute, Kind, Lookup, lookup, resolve};

use Code::*;

fn attr(kind: Kind) -> Attribute {
    Attribute::of(kind, "Dept")
}

/// Each diagnostic as its code and primary span.
fn codes(ds: &[Diagnostic]) -> Vec<(Code, Span)> {
    ds.iter()
        .map(|d| (d.code, d.span.expect("value diagnostics have a span")))
        .collect()
}

fn sp(start: usize, end: usize) -> Span {
    Span::new(start, end)
}

fn run(kind: Kind, value: &str, profile: Profile) -> Vec<(Code, Span)> {
    codes(&check_value(&attr(kind), value, profile))
}

#[test]
fn role_session_name_lengths_and_characters() {
    let a64 = "a".repeat(64);
    let a65 = "a".repeat(65);
    let emoji33 = "😀".repeat(33); // 66 UTF-16 units, 132 bytes
    let cases: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("", vec![(RoleSessionNameLength, sp(0, 0))]),
        ("j", vec![(RoleSessionNameLength, sp(0, 1))]),
        ("jd", vec![]),
        (&a64, vec![]),
        (&a65, vec![(RoleSessionNameLength, sp(64, 65))]),
        ("john smith", vec![(RoleSessionNameCharacters, sp(4, 5))]),
        ("jöhn", vec![(RoleSessionNameCharacters, sp(1, 3))]),
        // Unicode letters are not `\w` here: AWS's class is ASCII.
        ("Ǆx", vec![(RoleSessionNameCharacters, sp(0, 2))]),
        ("x١", vec![(RoleSessionNameCharacters, sp(1, 3))]),
        (
            &emoji33,
            vec![
                (RoleSessionNameCharacters, sp(0, 4)),
                (RoleSessionNameLength, sp(128, 132)),
            ],
        ),
        ("a+b=c,d.e@f-g_h", vec![]),
        ("jdoe@00530000000abcd@00D300000000xyz", vec![]),
    ];
    for (value, want) in cases {
        assert_eq!(
            run(Kind::RoleSessionName, value, Profile::Aws),
            want,
            "{value:?}"
        );
    }
}

#[test]
fn every_illegal_ascii_character_is_pointed_at() {
    let allowed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+=,.@-";
    for b in 0u8..128 {
        let c = b as char;
        let value = format!("ab{c}cd");
        let got = run(Kind::RoleSessionName, &value, Profile::Aws);
        if allowed.contains(c) {
            assert_eq!(got, vec![], "{c:?}");
        } else {
            assert_eq!(got, vec![(RoleSessionNameCharacters, sp(2, 3))], "{c:?}");
        }
        let si = run(Kind::SourceIdentity, &value, Profile::Aws);
        assert_eq!(si.is_empty(), allowed.contains(c), "{c:?}");
    }
}

#[test]
fn role_session_name_messages_quote_aws() {
    let ds = check_value(&attr(Kind::RoleSessionName), "john smith/x", Profile::Aws);
    let [d] = &ds[..] else { panic!("{ds:?}") };
    assert_eq!(
        d.message,
        "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}: the RoleSessionName contains space, '/'"
    );
    assert_eq!(d.labels.len(), 1);
    assert_eq!(d.labels[0].span, sp(10, 11));
    let long = check_value(&attr(Kind::RoleSessionName), &"a".repeat(70), Profile::Aws);
    assert!(
        long[0]
            .message
            .ends_with("is 70 characters long; at most 64 are allowed")
    );
}

#[test]
fn amazon_connect_narrows_role_session_name() {
    let cases: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("jdoe@005000000000001@00D000000000001", vec![]),
        ("j_d.o-e", vec![]),
        ("j+doe", vec![(ConnectUsernameCharacters, sp(1, 2))]),
        ("a=b,c", vec![(ConnectUsernameCharacters, sp(1, 2))]),
        // Outside AWS's own set: reported once, as AWS's rule.
        ("j doe", vec![(RoleSessionNameCharacters, sp(1, 2))]),
        (
            "j doe+x",
            vec![
                (RoleSessionNameCharacters, sp(1, 2)),
                (ConnectUsernameCharacters, sp(5, 6)),
            ],
        ),
    ];
    for (value, want) in cases {
        assert_eq!(
            run(Kind::RoleSessionName, value, Profile::AmazonConnect),
            want,
            "{value:?}"
        );
    }
    let ds = check_value(
        &attr(Kind::RoleSessionName),
        "a=b,c",
        Profile::AmazonConnect,
    );
    assert_eq!(ds[0].severity, samlfx_diag::Severity::Error);
    assert_eq!(ds[0].labels[0].span, sp(3, 4));
    assert_eq!(
        ds[0].message,
        "the RoleSessionName contains ',', '=', which Amazon Connect refuses"
    );
    assert!(ds[0].notes[0].contains("cannot be created"));
    // AWS alone accepts them.
    assert_eq!(run(Kind::RoleSessionName, "a=b,c", Profile::Aws), vec![]);
    assert_eq!(run(Kind::RoleSessionName, "j doe", Profile::None), vec![]);
}

/// "CreateUser", Amazon Connect API Reference
/// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html): with SAML a
/// username is up to 64 of `[a-zA-Z0-9_-.\@]`, and may hold `@` only in an email format. Service
/// Cloud Voice's own default username, `Alias@UserId@OrgId`, has two `@` and works: samlfx keeps
/// accepting `@` anywhere under amazon-connect, and A200's explanation says why.
#[test]
fn amazon_connect_accepts_at_signs_outside_an_email_address() {
    for value in [
        "jdoe@005000000000001@00D000000000001",
        "jdoe@example",
        "@jdoe",
        "jdoe@",
        "a@@b",
    ] {
        assert_eq!(
            run(Kind::RoleSessionName, value, Profile::AmazonConnect),
            vec![],
            "{value:?}"
        );
    }
    let explanation = ConnectUsernameCharacters.info().explanation;
    for said in [
        "`@` in a username only in an email-address form",
        "`Alias@UserId@OrgId`",
        "samlfx accepts `@` anywhere",
    ] {
        assert!(explanation.contains(said), "{said}: {explanation}");
    }
}

#[test]
fn session_duration_is_a_whole_number_of_seconds_in_range() {
    let cases: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("899", vec![(SessionDurationRange, sp(0, 3))]),
        ("900", vec![]),
        ("3600", vec![]),
        ("43200", vec![]),
        ("43201", vec![(SessionDurationRange, sp(0, 5))]),
        ("0", vec![(SessionDurationRange, sp(0, 1))]),
        ("3600.0", vec![(SessionDurationNotInteger, sp(4, 5))]),
        (" 3600", vec![(SessionDurationNotInteger, sp(0, 1))]),
        ("3600 ", vec![(SessionDurationNotInteger, sp(4, 5))]),
        ("-1", vec![(SessionDurationNotInteger, sp(0, 1))]),
        ("+3600", vec![(SessionDurationNotInteger, sp(0, 1))]),
        ("1h", vec![(SessionDurationNotInteger, sp(1, 2))]),
        ("", vec![(SessionDurationNotInteger, sp(0, 0))]),
        (
            "99999999999999999999999",
            vec![(SessionDurationRange, sp(0, 23))],
        ),
        ("٣٦٠٠", vec![(SessionDurationNotInteger, sp(0, 2))]),
    ];
    for (value, want) in cases {
        assert_eq!(
            run(Kind::SessionDuration, value, Profile::Aws),
            want,
            "{value:?}"
        );
    }
}

#[test]
fn tag_keys_and_values() {
    let k128 = "k".repeat(128);
    let k129 = "k".repeat(129);
    let v256 = "v".repeat(256);
    let v257 = "v".repeat(257);
    let keys: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("", vec![(TagKeyLength, sp(0, 0))]),
        ("k", vec![]),
        (&k128, vec![]),
        (&k129, vec![(TagKeyLength, sp(128, 129))]),
        ("Cost Center", vec![]),
        ("Kostenstellé", vec![]),
        ("部署", vec![]),
        ("a_.:/=+-@b", vec![]),
        ("a\u{00A0}b", vec![]),
        ("a#b", vec![(TagKeyCharacters, sp(1, 2))]),
        ("a,b", vec![(TagKeyCharacters, sp(1, 2))]),
        ("a\tb", vec![(TagKeyCharacters, sp(1, 2))]),
        ("a😀", vec![(TagKeyCharacters, sp(1, 5))]),
        ("aws:team", vec![(ReservedAwsPrefix, sp(0, 4))]),
        ("AWS:team", vec![(ReservedAwsPrefix, sp(0, 4))]),
        ("aWs:team", vec![(ReservedAwsPrefix, sp(0, 4))]),
        ("aws", vec![]),
        ("awsx:team", vec![]),
    ];
    for (key, want) in keys {
        assert_eq!(
            run(Kind::TransitiveTagKeys, key, Profile::Aws),
            want,
            "{key:?}"
        );
        assert_eq!(codes(&check_tag_key(key)), want, "{key:?}");
    }
    let values: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("", vec![]),
        (&v256, vec![]),
        (&v257, vec![(TagValueLength, sp(256, 257))]),
        ("Sales EMEA", vec![]),
        ("R&D", vec![(TagValueCharacters, sp(1, 2))]),
        ("Aws:x", vec![(ReservedAwsPrefix, sp(0, 4))]),
        ("line\nbreak", vec![(TagValueCharacters, sp(4, 5))]),
    ];
    for (value, want) in values {
        assert_eq!(
            run(Kind::PrincipalTag, value, Profile::Aws),
            want,
            "{value:?}"
        );
    }
}

#[test]
fn source_identity_is_a_session_name_without_aws_prefix() {
    let cases: Vec<(&str, Vec<(Code, Span)>)> = vec![
        ("jdoe", vec![]),
        ("j", vec![(SourceIdentityLength, sp(0, 1))]),
        ("", vec![(SourceIdentityLength, sp(0, 0))]),
        ("jdoe/admin", vec![(SourceIdentityCharacters, sp(4, 5))]),
        (
            "aws:jdoe",
            vec![
                (ReservedAwsPrefix, sp(0, 4)),
                (SourceIdentityCharacters, sp(3, 4)),
            ],
        ),
        (
            "AWS:x",
            vec![
                (ReservedAwsPrefix, sp(0, 4)),
                (SourceIdentityCharacters, sp(3, 4)),
            ],
        ),
    ];
    for (value, want) in cases {
        assert_eq!(
            run(Kind::SourceIdentity, value, Profile::Aws),
            want,
            "{value:?}"
        );
    }
    let ds = check_value(&attr(Kind::SourceIdentity), "aws:jdoe", Profile::Aws);
    assert!(
        ds[0].message.starts_with(
            "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\": "
        ),
        "{}",
        ds[0].message
    );
}

#[test]
fn text_rules_are_the_data_the_checks_use() {
    let rsn = text_rule(&attr(Kind::RoleSessionName), Profile::Aws).unwrap();
    assert_eq!((rsn.min_len, rsn.max_len), (2, 64));
    assert!(samlfx_formula::shape::CharSet::of_str("jdoe@005").is_subset_of(rsn.chars));
    assert!(!rsn.chars.contains(' ') && !rsn.chars.has_non_ascii());
    assert_eq!(rsn.narrower, None);
    let connect = text_rule(&attr(Kind::RoleSessionName), Profile::AmazonConnect).unwrap();
    let narrower = connect.narrower.unwrap();
    assert!(narrower.chars.is_subset_of(connect.chars));
    assert_eq!(
        connect.chars.minus(narrower.chars),
        samlfx_formula::shape::CharSet::of_bytes(b"+=,")
    );
    let sd = text_rule(&attr(Kind::SessionDuration), Profile::Aws).unwrap();
    assert_eq!(sd.integer.map(|r| (r.min, r.max)), Some((900, 43200)));
    let tag = text_rule(&attr(Kind::PrincipalTag), Profile::Aws).unwrap();
    assert_eq!((tag.min_len, tag.max_len), (0, 256));
    assert!(tag.chars.has_non_ascii() && tag.allows('é') && !tag.allows('😀'));
    assert_eq!(tag.forbidden_prefix, Some("aws:"));
    let key = text_rule(&attr(Kind::TransitiveTagKeys), Profile::Aws).unwrap();
    assert_eq!((key.min_len, key.max_len), (1, 128));
    let si = text_rule(&attr(Kind::SourceIdentity), Profile::Aws).unwrap();
    assert_eq!(
        si.aws_message.map(|m| m.starts_with("Source Identity")),
        Some(true)
    );
    assert_eq!(text_rule(&attr(Kind::Role), Profile::Aws), None);
    assert_eq!(text_rule(&attr(Kind::RoleSessionName), Profile::None), None);
}

// ---- Role ------------------------------------------------------------------------------------

const ROLE: &str = "arn:aws:iam::123456789012:role/Voice-SAMLRole";
const PROVIDER: &str = "arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";

/// A stand-in for `arn::check` that knows just enough: six `:`-separated parts, IAM roles and
/// SAML providers by their resource prefix, and an account that is not 12 digits.
fn fake_arn(text: &str) -> Checked<'_> {
    let mut parts = Vec::new();
    let mut at = 0;
    for piece in text.splitn(6, ':') {
        parts.push(Part {
            text: piece,
            span: Span::new(at, at + piece.len()),
        });
        at += piece.len() + 1;
    }
    if parts.len() != 6 || parts[0].text != "arn" {
        return Checked {
            arn: None,
            diagnostics: Vec::new(),
        };
    }
    let res = parts[5];
    let sub = |from: usize, to: usize| Part {
        text: &res.text[from..to],
        span: Span::new(res.span.start + from, res.span.start + to),
    };
    let kind = if res.text.starts_with("role/") {
        let last = res.text.rfind('/').unwrap();
        ResourceKind::IamRole {
            path: sub(4, last + 1),
            name: sub(last + 1, res.text.len()),
        }
    } else if res.text.starts_with("saml-provider/") {
        ResourceKind::SamlProvider {
            name: sub(14, res.text.len()),
        }
    } else {
        ResourceKind::Other
    };
    let mut diagnostics = Vec::new();
    if parts[4].text.len() != 12 {
        // Any code stands in for the ARN parser's own.
        diagnostics.push(Diagnostic::new(UnexpectedToken, "account").at(parts[4].span));
    }
    Checked {
        arn: Some(Arn {
            text,
            partition: parts[1],
            service: parts[2],
            region: parts[3],
            account: parts[4],
            resource: res,
            kind,
        }),
        diagnostics,
    }
}

fn role(value: &str, profile: Profile) -> Vec<Diagnostic> {
    role::check(value, profile, fake_arn)
}

/// Role cases: the value and the expected codes and primary spans.
fn role_cases() -> Vec<(String, Vec<(Code, Span)>)> {
    let r = ROLE.len();
    let p = PROVIDER.len();
    let role2 = "arn:aws:iam::123456789012:role/Admin";
    let other_account = "arn:aws:iam::210987654321:saml-provider/SalesforceVoiceIdp";
    let gov = "arn:aws-us-gov:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    let connect =
        "arn:aws:connect:us-east-1:123456789012:instance/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    vec![
        (format!("{ROLE},{PROVIDER}"), vec![]),
        (format!("{PROVIDER},{ROLE}"), vec![]),
        (
            format!("{ROLE}, {PROVIDER}"),
            vec![(RoleWhitespace, sp(r + 1, r + 2))],
        ),
        (
            format!("{ROLE} ,{PROVIDER}"),
            vec![(RoleWhitespace, sp(r, r + 1))],
        ),
        (
            format!(" {ROLE},{PROVIDER}\n"),
            vec![(RoleWhitespace, sp(0, 1))],
        ),
        (ROLE.to_owned(), vec![(RoleNotAPair, sp(0, r))]),
        (String::new(), vec![(RoleNotAPair, sp(0, 0))]),
        ("  ".to_owned(), vec![(RoleNotAPair, sp(0, 2))]),
        (format!("{ROLE},"), vec![(RoleNotAPair, sp(r, r + 1))]),
        (format!(",{PROVIDER}"), vec![(RoleNotAPair, sp(0, 1))]),
        (
            format!("{ROLE},{PROVIDER},{ROLE}"),
            vec![(RoleNotAPair, sp(r + 1 + p, r + 2 + p))],
        ),
        (
            format!("{ROLE},{role2}"),
            vec![(RolePairKinds, sp(r + 1, r + 1 + role2.len()))],
        ),
        (
            format!("{PROVIDER},{PROVIDER}"),
            vec![(RolePairKinds, sp(p + 1, 2 * p + 1))],
        ),
        (
            format!("{ROLE},{connect}"),
            vec![(RolePairKinds, sp(r + 1, r + 1 + connect.len()))],
        ),
        (
            format!("{ROLE},SalesforceVoiceIdp"),
            vec![(RolePairKinds, sp(r + 1, r + 19))],
        ),
        // The account of the role, at its place in the value.
        (
            format!("{ROLE},{other_account}"),
            vec![(RoleAccountsDiffer, sp(13, 25))],
        ),
        (
            format!("{other_account},{ROLE}"),
            vec![(
                RoleAccountsDiffer,
                sp(other_account.len() + 14, other_account.len() + 26),
            )],
        ),
        (
            format!("{ROLE},{gov}"),
            vec![(RoleAccountsDiffer, sp(4, 7))],
        ),
        // The ARN parser's own diagnostics, moved to the token; an account it found wrong is
        // not compared again.
        (
            format!("{ROLE}, arn:aws:iam::12345:saml-provider/X"),
            vec![
                (RoleWhitespace, sp(r + 1, r + 2)),
                (UnexpectedToken, sp(r + 2 + 13, r + 2 + 18)),
            ],
        ),
    ]
}

#[test]
fn role_values() {
    for (value, want) in role_cases() {
        assert_eq!(codes(&role(&value, Profile::Aws)), want, "{value:?}");
    }
}

#[test]
fn role_labels_and_messages() {
    let other = "arn:aws:iam::210987654321:saml-provider/SalesforceVoiceIdp";
    let value = format!("{ROLE},{other}");
    let ds = role(&value, Profile::Aws);
    assert_eq!(
        ds[0].labels[0].span,
        sp(ROLE.len() + 1 + 13, ROLE.len() + 1 + 25)
    );
    assert_eq!(
        ds[0].message,
        "the role is in account `123456789012` but the SAML provider in `210987654321`"
    );
    assert!(ds[0].notes[0].contains("Not authorized to perform sts:AssumeRoleWithSAML"));
    let three = format!("{ROLE},{PROVIDER},{ROLE},x");
    let ds = role(&three, Profile::Aws);
    assert_eq!(ds[0].labels.len(), 1);
    assert_eq!(
        ds[0].message.split(';').next(),
        Some("the Role value has 3 commas")
    );
    let comma_in_name = format!("arn:aws:iam::123456789012:role/a,b,{PROVIDER}");
    let ds = role(&comma_in_name, Profile::Aws);
    assert_eq!(codes(&ds), vec![(RoleNotAPair, sp(34, 35))]);
    assert!(
        ds[0]
            .help
            .as_deref()
            .unwrap()
            .starts_with("a role name or path with a comma")
    );
    let spaced = format!(" {ROLE} , {PROVIDER} ");
    let ds = role(&spaced, Profile::Aws);
    let spans: Vec<Span> = ds[0].labels.iter().map(|l| l.span).collect();
    let r = ROLE.len();
    assert_eq!(ds[0].span, Some(sp(0, 1)));
    assert_eq!(
        spans,
        vec![
            sp(r + 1, r + 2),
            sp(r + 3, r + 4),
            sp(r + 4 + PROVIDER.len(), r + 5 + PROVIDER.len())
        ]
    );
    assert_eq!(
        ds[0].help.as_deref(),
        Some(format!("write it as `{ROLE},{PROVIDER}`").as_str())
    );
}

#[test]
fn amazon_connect_names_the_provider_and_role() {
    let okta = "arn:aws:iam::123456789012:saml-provider/OktaIdp";
    let admin = "arn:aws:iam::123456789012:role/Admin";
    let r = ROLE.len();
    let cases: Vec<(String, Vec<(Code, Span)>)> = vec![
        (format!("{ROLE},{PROVIDER}"), vec![]),
        (format!("{PROVIDER},{ROLE}"), vec![]),
        (
            format!("{ROLE},{okta}"),
            vec![(ConnectProviderName, sp(r + 1 + 40, r + 1 + okta.len()))],
        ),
        (
            format!("{admin},{PROVIDER}"),
            vec![(ConnectRoleName, sp(31, admin.len()))],
        ),
    ];
    for (value, want) in cases {
        assert_eq!(
            codes(&role(&value, Profile::AmazonConnect)),
            want,
            "{value:?}"
        );
        assert_eq!(codes(&role(&value, Profile::Aws)), vec![], "{value:?}");
    }
    for name in [
        "SalesforceVoiceIdp",
        "SalesforceServiceVoiceIdp",
        "SalesforceVoiceIdp_00D000000000001",
        "SalesforceServiceVoiceIdp_00D000000000001AAA",
    ] {
        assert!(role::is_voice_provider(name), "{name}");
    }
    for name in [
        "salesforcevoiceidp",
        "SalesforceVoiceIdp_",
        "SalesforceVoiceIdp_00D00000000001",
        "SalesforceVoiceIdp_00D0000000000012",
        "SalesforceVoiceIdp_005000000000001",
        "SalesforceVoiceIdp_00D00000000000-",
        "SalesforceServiceServiceVoiceIdp",
        "SalesforceVoiceIdpX",
    ] {
        assert!(!role::is_voice_provider(name), "{name}");
    }
}

/// The Role cases through the real ARN parser: skipped while `arn::check` is the stub that
/// parses nothing. Only this module's own codes are compared: the parser's are its own.
#[test]
fn role_through_the_real_arn_parser() {
    if arn::check(ROLE).arn.is_none() {
        eprintln!("skipped: arn::check does not parse yet");
        return;
    }
    for (value, want) in role_cases() {
        if value.contains("12345:") {
            continue; // the stand-in's invented diagnostic
        }
        let got = codes(&check_value(&attr(Kind::Role), &value, Profile::Aws));
        if value.ends_with(",SalesforceVoiceIdp") {
            // Not an ARN at all: the parser says so itself, at the same place.
            assert_eq!(got.len(), 1, "{got:?}");
            assert_eq!(got[0].1, want[0].1);
            continue;
        }
        let ours = |v: Vec<(Code, Span)>| -> Vec<(Code, Span)> {
            v.into_iter()
                .filter(|(c, _)| c.as_str().starts_with("A1"))
                .collect()
        };
        assert_eq!(ours(got), ours(want), "{value:?}");
    }
}

/// The account principal `arn:aws:iam::<account>:root` is a valid ARN ("IAM identifiers",
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html), but
/// AssumeRoleWithSAML takes a role ARN and a SAML provider ARN ("AssumeRoleWithSAML", AWS STS API
/// Reference, https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html):
/// a Role value naming the account fails the pair rule, and says why.
#[test]
fn the_account_root_is_no_role() {
    let root = "arn:aws:iam::123456789012:root";
    for value in [format!("{root},{PROVIDER}"), format!("{PROVIDER},{root}")] {
        let found = check_value(&attr(Kind::Role), &value, Profile::Aws);
        assert_eq!(found.len(), 1, "{found:?}");
        let d = &found[0];
        assert_eq!(d.code, RolePairKinds);
        let at = value.find(root).unwrap();
        assert_eq!(d.span, Some(sp(at, at + root.len())));
        assert!(
            d.message
                .contains("AWS account 123456789012 itself (its root principal)"),
            "{}",
            d.message
        );
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("arn:aws:iam::123456789012:role/<name>"),
            "{:?}",
            d.help
        );
    }
}

/// "AssumeRoleWithSAML will not work on IAM Identity Center managed roles", whose names start
/// with `AWSReservedSSO_`: "AssumeRoleWithSAML", AWS STS API Reference,
/// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html. Identity
/// Center puts them under `/aws-reserved/sso.amazonaws.com/` ("IAM roles created by IAM Identity
/// Center", https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html).
#[test]
fn identity_center_roles_cannot_be_assumed_with_saml() {
    let role = |resource: &str| format!("arn:aws:iam::123456789012:role{resource},{PROVIDER}");
    let name_at = |value: &str, name: &str| {
        let at = value.find(name).unwrap();
        sp(at, at + name.len())
    };
    let sso = "AWSReservedSSO_Agent_0123456789abcdef";
    for resource in [
        format!("/aws-reserved/sso.amazonaws.com/{sso}"),
        format!("/aws-reserved/sso.amazonaws.com/eu-west-1/{sso}"),
        format!("/{sso}"),
    ] {
        let value = role(&resource);
        for profile in [Profile::Aws, Profile::AmazonConnect] {
            let found = check_value(&attr(Kind::Role), &value, profile);
            // Under amazon-connect, A201 for the provider name only: no A202 for the role too.
            let want = vec![(IdentityCenterRole, name_at(&value, sso))];
            assert_eq!(
                codes(&found)
                    .into_iter()
                    .filter(|(c, _)| *c != ConnectProviderName)
                    .collect::<Vec<_>>(),
                want,
                "{value} {profile}"
            );
            let d = &found[0];
            assert_eq!(d.severity, samlfx_diag::Severity::Error);
            assert!(d.message.contains(sso), "{}", d.message);
            assert!(d.help.as_deref().unwrap().contains("trust policy"));
            assert!(d.notes[0].contains("AssumeRoleWithSAML does not work"));
        }
    }
    // The path alone marks it.
    let value = role("/aws-reserved/sso.amazonaws.com/Agent");
    let path = "/aws-reserved/sso.amazonaws.com/";
    assert_eq!(
        run(Kind::Role, &value, Profile::Aws),
        vec![(IdentityCenterRole, name_at(&value, path))]
    );
    // Other reserved paths and look-alike names are ordinary roles.
    for resource in [
        "/aws-service-role/Agent",
        "/Voice-SAMLRole",
        "/AWSReservedSSOAgent",
        "/aws-reserved/Agent",
    ] {
        assert_eq!(
            run(Kind::Role, &role(resource), Profile::Aws),
            vec![],
            "{resource}"
        );
    }
}

// ---- keys --------------------------------------------------------------------------------------

#[test]
fn exact_keys_and_short_names() {
    for spec in crate::attribute::ATTRIBUTES {
        let a = Attribute::of(spec.kind, "Dept");
        assert_eq!(lookup(&a.key()), Lookup::Known(a.clone()));
        assert_eq!(resolve(&a.key()), Some(a.clone()));
        assert_eq!(resolve(&a.short_name()), Some(a.clone()));
    }
    assert_eq!(
        Attribute::of(Kind::RoleSessionName, "").key(),
        "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
    );
    let tag = resolve("PrincipalTag:Cost Center").unwrap();
    assert_eq!(tag.tag_key.as_deref(), Some("Cost Center"));
    assert_eq!(tag.short_name(), "PrincipalTag:Cost Center");
    assert_eq!(resolve("rolesessionname"), None);
    assert_eq!(resolve("Email"), None);
    assert_eq!(lookup("urn:oid:2.5.4.3"), Lookup::Other);
    assert_eq!(lookup("Email"), Lookup::Other);
    assert_eq!(
        lookup("https://example.com/SAML/Attributes/Role"),
        Lookup::Other
    );
    assert!(matches!(
        lookup("https://aws.amazon.com/SAML/Attributes/Foo"),
        Lookup::UnknownAws(d) if d.code == UnknownAwsAttribute && d.span == Some(sp(39, 42))
    ));
}

#[test]
fn near_miss_keys() {
    let cases = [
        (
            "https://aws.amazon.com/SAML/Attributes/Roles",
            "Role",
            "a plural",
            sp(43, 44),
        ),
        (
            "http://aws.amazon.com/SAML/Attributes/Role",
            "Role",
            "`http://` for `https://`",
            sp(3, 4),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/Role/",
            "Role",
            "a trailing slash",
            sp(43, 44),
        ),
        (
            "https://aws.amazon.com/saml/attributes/role",
            "Role",
            "letter case",
            sp(23, 40),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/rolesessionname",
            "RoleSessionName",
            "letter case",
            sp(39, 51),
        ),
        (
            " https://aws.amazon.com/SAML/Attributes/Role",
            "Role",
            "whitespace",
            sp(0, 1),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/Role ",
            "Role",
            "whitespace",
            sp(43, 44),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/ RoleSessionName",
            "RoleSessionName",
            "whitespace",
            sp(39, 40),
        ),
        (
            "https://aws.amazon.com/Attributes/Role",
            "Role",
            "a missing `/SAML/`",
            sp(22, 23),
        ),
        (
            "https://www.aws.amazon.com/SAML/Attributes/Role",
            "Role",
            "a `www.` host",
            sp(8, 12),
        ),
        (
            "aws.amazon.com/SAML/Attributes/Role",
            "Role",
            "a missing `https://`",
            sp(0, 1),
        ),
        (
            "RoleSessionName",
            "RoleSessionName",
            "a missing `https://aws.amazon.com/SAML/Attributes/`",
            sp(0, 1),
        ),
        (
            "Role",
            "Role",
            "a missing `https://aws.amazon.com/SAML/Attributes/`",
            sp(0, 1),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/principaltag:Dept",
            "PrincipalTag:Dept",
            "letter case",
            sp(39, 49),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/PrincipalTags:Dept",
            "PrincipalTag:Dept",
            "a plural",
            sp(51, 52),
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/SessionDurations",
            "SessionDuration",
            "a plural",
            sp(54, 55),
        ),
        (
            "HTTPS://AWS.AMAZON.COM/SAML/ATTRIBUTES/ROLE",
            "Role",
            "letter case",
            sp(0, 43),
        ),
    ];
    for (key, intended, difference, span) in cases {
        let Lookup::NearMiss {
            intended: got,
            diagnostic,
        } = lookup(key)
        else {
            panic!("{key:?}: {:?}", lookup(key));
        };
        assert_eq!(got.short_name(), intended, "{key:?}");
        assert_eq!(diagnostic.code, AttributeNearMiss);
        assert!(
            diagnostic.message.contains(difference),
            "{key:?}: {}",
            diagnostic.message
        );
        assert_eq!(diagnostic.span, Some(span), "{key:?}");
        assert_eq!(
            diagnostic.help.as_deref(),
            Some(format!("use exactly `{}`", got.key()).as_str())
        );
    }
    // Only what differs is named.
    let Lookup::NearMiss { diagnostic, .. } = lookup("http://aws.amazon.com/SAML/Attributes/Role")
    else {
        panic!()
    };
    assert!(
        !diagnostic.message.contains("letter case"),
        "{}",
        diagnostic.message
    );
    let Lookup::NearMiss { diagnostic, .. } = lookup("aws.amazon.com/SAML/Attributes/Role") else {
        panic!()
    };
    assert_eq!(
        diagnostic.message,
        "AWS ignores the attribute `aws.amazon.com/SAML/Attributes/Role`: it differs from the key of `Role` in a missing `https://`"
    );
    // A space inside a tag key is the key's own: exact, not a near miss.
    assert!(matches!(
        lookup("https://aws.amazon.com/SAML/Attributes/PrincipalTag:Cost Center"),
        Lookup::Known(_)
    ));
}

// ---- assertions --------------------------------------------------------------------------------

/// The findings of `check_attributes`, but for the `sts:TagSession` reminder (A147), which
/// `tag_session_is_said_once` tests.
fn findings(attrs: &[(&str, Vec<&str>)], profile: Profile) -> Vec<(Code, Place, Option<Span>)> {
    check_attributes(attrs, profile)
        .into_iter()
        .filter(|f| f.diagnostic.code != TagSessionPermission)
        .map(|f| (f.diagnostic.code, f.place, f.diagnostic.span))
        .collect()
}

const K_ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
const K_RSN: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

fn pair() -> String {
    format!("{ROLE},{PROVIDER}")
}

#[test]
fn required_attributes() {
    assert_eq!(
        findings(&[], Profile::Aws),
        vec![
            (MissingAttribute, Place::Assertion, None),
            (MissingAttribute, Place::Assertion, None)
        ]
    );
    let p = pair();
    assert_eq!(
        findings(&[(K_RSN, vec!["jdoe"]), (K_ROLE, vec![])], Profile::Aws),
        vec![(MissingAttribute, Place::Assertion, None)]
    );
    let near = check_attributes(
        &[
            ("https://aws.amazon.com/SAML/Attributes/Roles", vec![&p]),
            (K_RSN, vec!["jdoe"]),
        ],
        Profile::Aws,
    );
    assert_eq!(near.len(), 2);
    assert_eq!(near[0].place, Place::Name { index: 0 });
    assert_eq!(near[1].diagnostic.code, MissingAttribute);
    assert_eq!(
        near[1].diagnostic.help.as_deref(),
        Some(
            "rename `https://aws.amazon.com/SAML/Attributes/Roles` (attribute 1) to exactly `https://aws.amazon.com/SAML/Attributes/Role`"
        )
    );
    let rsn_missing = check_attributes(&[(K_ROLE, vec![&p])], Profile::Aws);
    assert!(
        rsn_missing[0]
            .diagnostic
            .message
            .contains("\"RoleSessionName is required in AuthnResponse\"")
    );
    assert_eq!(check_attributes(&[], Profile::None), vec![]);
}

#[test]
fn cardinality_duplicates_and_values() {
    let p = pair();
    let attrs = [
        (K_ROLE, vec![p.as_str()]),
        (K_RSN, vec!["jdoe", "john smith"]),
        (
            "https://aws.amazon.com/SAML/Attributes/SessionDuration",
            vec!["3600"],
        ),
        (K_ROLE, vec![p.as_str()]),
        ("urn:oid:2.5.4.3", vec!["John Smith"]),
    ];
    assert_eq!(
        findings(&attrs, Profile::Aws),
        vec![
            (
                RoleSessionNameCharacters,
                Place::Value {
                    attribute: 1,
                    value: 1
                },
                Some(sp(4, 5))
            ),
            (TooManyValues, Place::Attribute { index: 1 }, None),
            (DuplicateAttribute, Place::Attribute { index: 3 }, None),
            (
                DuplicateRolePair,
                Place::Value {
                    attribute: 3,
                    value: 0
                },
                Some(sp(0, p.len()))
            ),
        ]
    );
}

#[test]
fn duplicate_role_pairs_in_either_order() {
    let a = pair();
    let b = format!("{PROVIDER}, {ROLE}");
    let attrs = [
        (K_ROLE, vec![a.as_str(), b.as_str()]),
        (K_RSN, vec!["jdoe"]),
    ];
    assert_eq!(
        findings(&attrs, Profile::Aws),
        vec![
            (
                RoleWhitespace,
                Place::Value {
                    attribute: 0,
                    value: 1
                },
                Some(sp(PROVIDER.len() + 1, PROVIDER.len() + 2))
            ),
            (
                DuplicateRolePair,
                Place::Value {
                    attribute: 0,
                    value: 1
                },
                Some(sp(0, b.len()))
            ),
        ]
    );
}

#[test]
fn session_tags() {
    let p = pair();
    let base = [(K_ROLE, vec![p.as_str()]), (K_RSN, vec!["jdoe"])];
    let names: Vec<String> = (0..51)
        .map(|i| format!("https://aws.amazon.com/SAML/Attributes/PrincipalTag:T{i}"))
        .collect();
    let mut attrs: Vec<(&str, Vec<&str>)> = base.to_vec();
    attrs.extend(names.iter().map(|n| (n.as_str(), vec!["v"])));
    assert_eq!(
        findings(&attrs[..52], Profile::Aws),
        vec![],
        "50 tags are allowed"
    );
    assert_eq!(
        findings(&attrs, Profile::Aws),
        vec![(TooManyTags, Place::Attribute { index: 52 }, None)]
    );
    let tags = [
        (K_ROLE, vec![p.as_str()]),
        (K_RSN, vec!["jdoe"]),
        (
            "https://aws.amazon.com/SAML/Attributes/PrincipalTag:Dept",
            vec!["Sales"],
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/PrincipalTag:dept",
            vec!["R&D"],
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/PrincipalTag:aws:x",
            vec![""],
        ),
        (
            "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
            vec!["DEPT", "Team", "aws:y"],
        ),
    ];
    assert_eq!(
        findings(&tags, Profile::Aws),
        vec![
            (
                TagValueCharacters,
                Place::Value {
                    attribute: 3,
                    value: 0
                },
                Some(sp(1, 2))
            ),
            (
                ReservedAwsPrefix,
                Place::Name { index: 4 },
                Some(sp(52, 56))
            ),
            (
                ReservedAwsPrefix,
                Place::Value {
                    attribute: 5,
                    value: 2
                },
                Some(sp(0, 4))
            ),
            (DuplicateTagKey, Place::Name { index: 3 }, Some(sp(52, 56))),
            (
                TransitiveKeyNotATag,
                Place::Value {
                    attribute: 5,
                    value: 1
                },
                Some(sp(0, 4))
            ),
            (
                TransitiveKeyNotATag,
                Place::Value {
                    attribute: 5,
                    value: 2
                },
                Some(sp(0, 5))
            ),
        ]
    );
    let keys: Vec<String> = (0..51).map(|i| format!("T{i}")).collect();
    let mut many: Vec<(&str, Vec<&str>)> = base.to_vec();
    many.extend(names[..51].iter().map(|n| (n.as_str(), vec!["v"])).take(50));
    many.push((
        "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys",
        keys.iter().map(String::as_str).collect(),
    ));
    assert_eq!(
        findings(&many, Profile::Aws),
        vec![
            (
                TooManyTags,
                Place::Value {
                    attribute: 52,
                    value: 50
                },
                None
            ),
            (
                TransitiveKeyNotATag,
                Place::Value {
                    attribute: 52,
                    value: 50
                },
                Some(sp(0, 3))
            ),
        ]
    );
}

/// The session-tag key rules of "Passing session tags in AWS STS", IAM User Guide
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html): at most 50 tags,
/// keys of letters, digits, spaces and `_ . : / = + - @`, no `aws:` prefix, and keys compared
/// without letter case; run on keys alone, as an app holds them before any value exists, by the
/// same functions the assertion's check uses.
#[test]
fn tag_keys_are_checked_on_the_keys_alone() {
    let tag = |k: &str| format!("https://aws.amazon.com/SAML/Attributes/PrincipalTag:{k}");
    // One key, full or short: spans into the key as written.
    let full = tag("aws:Cost#Center");
    let attr = resolve(&full).unwrap();
    assert_eq!(
        codes(&check_key(&attr, &full, Profile::Aws)),
        vec![
            (ReservedAwsPrefix, sp(52, 56)),
            (TagKeyCharacters, sp(60, 61))
        ]
    );
    let short = "PrincipalTag:aws:Cost#Center";
    assert_eq!(
        codes(&check_key(&resolve(short).unwrap(), short, Profile::Aws)),
        vec![
            (ReservedAwsPrefix, sp(13, 17)),
            (TagKeyCharacters, sp(21, 22))
        ]
    );
    assert_eq!(check_key(&attr, &full, Profile::None), vec![]);
    let rsn = resolve(K_RSN).unwrap();
    assert_eq!(check_key(&rsn, K_RSN, Profile::Aws), vec![]);
    let empty = tag("");
    assert_eq!(
        codes(&check_key(&resolve(&empty).unwrap(), &empty, Profile::Aws)),
        vec![(TagKeyLength, sp(52, 52))]
    );
    // A set of keys: each key's rules, then the count and the duplicates.
    let names: Vec<String> = (0..51).map(|i| tag(&format!("T{i}"))).collect();
    let mut keys: Vec<&str> = vec![K_ROLE, K_RSN];
    keys.extend(names.iter().map(String::as_str).take(50));
    let no_reminder = |keys: &[&str]| -> Vec<Finding> {
        check_keys(keys, Profile::Aws)
            .into_iter()
            .filter(|f| f.diagnostic.code != TagSessionPermission)
            .collect()
    };
    assert_eq!(no_reminder(&keys), vec![], "50 tags are allowed");
    keys.push(&names[50]);
    let found: Vec<(Code, Place)> = no_reminder(&keys)
        .into_iter()
        .map(|f| (f.diagnostic.code, f.place))
        .collect();
    assert_eq!(found, vec![(TooManyTags, Place::Attribute { index: 52 })]);
    let (dept, dept_lower, bad) = (tag("Dept"), tag("dept"), tag("a,b"));
    let keys = [
        K_ROLE,
        dept.as_str(),
        "https://example.com/Other",
        dept_lower.as_str(),
        bad.as_str(),
        // Not read by AWS, so not a tag: A100 is the app's or the assertion's to report.
        "https://aws.amazon.com/SAML/Attributes/PrincipalTags:dept",
    ];
    let found: Vec<(Code, Place, Option<Span>)> = no_reminder(&keys)
        .into_iter()
        .map(|f| (f.diagnostic.code, f.place, f.diagnostic.span))
        .collect();
    assert_eq!(
        found,
        vec![
            (TagKeyCharacters, Place::Name { index: 4 }, Some(sp(53, 54))),
            (DuplicateTagKey, Place::Name { index: 3 }, Some(sp(52, 56))),
        ]
    );
    assert_eq!(check_keys(&keys, Profile::None), vec![]);
    // The assertion's check reports exactly the same key findings.
    let attrs: Vec<(&str, Vec<&str>)> = keys.iter().map(|k| (*k, vec!["v"])).collect();
    let from_assertion: Vec<Finding> = check_attributes(&attrs, Profile::Aws)
        .into_iter()
        .filter(|f| {
            matches!(
                f.diagnostic.code,
                TagKeyCharacters | DuplicateTagKey | TagSessionPermission
            )
        })
        .collect();
    assert_eq!(from_assertion, check_keys(&keys, Profile::Aws));
}

/// "Passing session tags in AWS STS", IAM User Guide
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html): the role's trust
/// policy must allow `sts:TagSession` to pass session tags, and "Troubleshooting SAML 2.0
/// federation with AWS" (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html)
/// gives the answer without it, "Not authorized to perform sts:AssumeRoleWithSAML". samlfx
/// cannot see the trust policy: an info, once per set of keys or assertion.
#[test]
fn tag_session_is_said_once() {
    let tag = |k: &str| format!("https://aws.amazon.com/SAML/Attributes/PrincipalTag:{k}");
    let (dept, team) = (tag("Dept"), tag("Team"));
    const K_TRANSITIVE: &str = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
    let reminders = |found: Vec<Finding>| -> Vec<(Place, samlfx_diag::Severity, Option<Span>)> {
        found
            .into_iter()
            .filter(|f| f.diagnostic.code == TagSessionPermission)
            .map(|f| (f.place, f.diagnostic.severity, f.diagnostic.span))
            .collect()
    };
    let once = vec![(
        Place::Attribute { index: 2 },
        samlfx_diag::Severity::Info,
        None,
    )];
    let keys = [K_ROLE, K_RSN, dept.as_str(), team.as_str(), K_TRANSITIVE];
    assert_eq!(reminders(check_keys(&keys, Profile::Aws)), once);
    let attrs: Vec<(&str, Vec<&str>)> = keys.iter().map(|k| (*k, vec!["Dept"])).collect();
    assert_eq!(reminders(check_attributes(&attrs, Profile::Aws)), once);
    // TransitiveTagKeys alone also tags the session.
    assert_eq!(
        reminders(check_keys(&[K_ROLE, K_TRANSITIVE], Profile::Aws)),
        vec![(
            Place::Attribute { index: 1 },
            samlfx_diag::Severity::Info,
            None
        )]
    );
    // No tags, no profile, no reminder.
    assert_eq!(
        reminders(check_keys(&[K_ROLE, K_RSN], Profile::Aws)),
        vec![]
    );
    assert_eq!(reminders(check_keys(&keys, Profile::None)), vec![]);
    let d = tag_session(&resolve("PrincipalTag:Dept").unwrap()).unwrap();
    assert!(d.message.contains("`PrincipalTag:Dept`"), "{}", d.message);
    assert!(d.message.contains("sts:TagSession"), "{}", d.message);
    assert!(d.notes[0].contains("Not authorized to perform sts:AssumeRoleWithSAML"));
    assert!(tag_session(&resolve("RoleSessionName").unwrap()).is_none());
}

proptest! {
    /// No value makes a rule panic, and every span lies within the value on character
    /// boundaries.
    #[test]
    fn check_value_never_panics_and_spans_are_in_bounds(
        kind in prop::sample::select(vec![
            Kind::Role, Kind::RoleSessionName, Kind::SessionDuration,
            Kind::PrincipalTag, Kind::TransitiveTagKeys, Kind::SourceIdentity,
        ]),
        profile in prop::sample::select(Profile::ALL.to_vec()),
        value in prop_oneof![
            "[a-zA-Z0-9_+=,.@: /-]{0,80}",
            "\\PC{0,80}",
            "(arn:aws(-cn)?:iam:: ?[0-9]{10,13}:(role|saml-provider)/[A-Za-z/é]{0,8}[ ,]{0,3}){0,3}",
            "[0-9 .+-]{0,8}",
        ],
    ) {
        let a = attr(kind);
        let mut ds = check_value(&a, &value, profile);
        // Prepared once for many values, the check gives the same findings, and so does a
        // memo that has seen values like it (the same value with allowed characters swapped).
        let prepared = ValueCheck::new(a.clone(), profile);
        prop_assert_eq!(&prepared.check(&value), &ds);
        let mut memo = FindingsMemo::default();
        prop_assert_eq!(&prepared.check_memo(&value, &mut memo), &ds);
        prop_assert_eq!(&prepared.check_memo(&value, &mut memo), &ds);
        let twin: String = value.chars().map(|c| if c.is_ascii_lowercase() { 'q' } else { c }).collect();
        let mut seen = FindingsMemo::default();
        prepared.check_memo(&twin, &mut seen);
        prop_assert_eq!(&prepared.check_memo(&value, &mut seen), &ds);
        if kind == Kind::Role {
            ds.extend(role::check(&value, profile, fake_arn));
        }
        for d in &ds {
            let spans = d.span.into_iter().chain(d.labels.iter().map(|l| l.span));
            for s in spans {
                prop_assert!(s.start <= s.end && s.end <= value.len(), "{:?} in {:?}", s, value);
                prop_assert!(value.is_char_boundary(s.start) && value.is_char_boundary(s.end));
            }
        }
        if let Some(rule) = text_rule(&a, profile) {
            // The value checks report nothing but the rule's own codes.
            let own = [Some(rule.len_code), Some(rule.chars_code), Some(rule.blank_code),
                       Some(rule.prefix_code), rule.narrower.map(|n| n.code), rule.integer.map(|r| r.code)];
            for d in &ds {
                prop_assert!(own.contains(&Some(d.code)), "{:?}", d.code);
            }
        }
    }

    /// Any key is classified without panicking, and a near miss's span is inside the key.
    #[test]
    fn lookup_never_panics(key in prop_oneof![
        "(https?://)?(www\\.)?(aws\\.amazon\\.com/)?(SAML/|saml/)?(Attributes/|attributes/)?(Role|ROLES|PrincipalTag:|rolesessionname)[ /a-zé]{0,6}",
        "\\PC{0,60}",
    ]) {
        match lookup(&key) {
            Lookup::NearMiss { diagnostic: d, .. } | Lookup::UnknownAws(d) => {
                let s = d.span.unwrap();
                prop_assert!(s.start <= s.end && s.end <= key.len());
                prop_assert!(key.is_char_boundary(s.start) && key.is_char_boundary(s.end));
            }
            Lookup::Known(a) => prop_assert_eq!(a.key(), key),
            Lookup::Other => {}
        }
    }
}
