//! The app's own settings (C101–C108): subject and NameID format, signing, ACS URL, Entity ID.

use samlfx_diag::{Code, Diagnostic, suggest};

use super::LintOptions;
use super::url::{self, SignIn};
use crate::model::{App, NameIdFormat, SigningAlgorithm, SubjectType, Text};

pub(super) fn check(app: &App, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    subject(app, &mut out);
    if let Some(alg) = &app.signing_algorithm
        && alg.value == SigningAlgorithm::Sha1
    {
        out.push(
            Diagnostic::new(
                Code::Sha1Signing,
                "the app signs its SAML responses with SHA-1",
            )
            .at_labelled(alg.span, "SHA-1 signatures can be forged by collision")
            .with_help(if opts.profile.aws_rules() {
                "sign with SHA256; AWS's side needs no change"
            } else {
                "sign with SHA256, once the service provider accepts SHA-256 signatures"
            }),
        );
    }
    if opts.profile.aws_rules()
        && let Some(acs) = &app.acs_url
    {
        acs_url(acs, super::attributes::is_aws_app(app), opts, &mut out);
    }
    if opts.profile.connect_rules()
        && let Some(entity) = &app.entity_id
    {
        entity_id(entity, app, &mut out);
    }
    out
}

/// Whether the subject is an e-mail address: Salesforce usernames are written as one.
/// FederationId and a custom attribute can be anything, so they are not judged.
fn subject_is_email(s: &SubjectType) -> Option<bool> {
    match s {
        SubjectType::Username => Some(true),
        SubjectType::UserId | SubjectType::PersistentId | SubjectType::SpokeId => Some(false),
        SubjectType::FederationId | SubjectType::CustomAttribute(_) => None,
    }
}

fn subject(app: &App, out: &mut Vec<Diagnostic>) {
    if let Some(subject) = &app.subject_type
        && let SubjectType::CustomAttribute(Some(key)) = &subject.value
        && app.attribute(&key.value).is_none()
    {
        let keys = app.attributes.iter().map(|a| a.key.value.as_str());
        let help = match suggest::closest(&key.value, keys) {
            Some(near) => format!("did you mean `{near}`? Keys are compared exactly"),
            None if app.attributes.is_empty() => {
                "add the custom attribute the subject is taken from".to_owned()
            }
            None => format!(
                "name one of the app's attribute keys: {}",
                list(app.attributes.iter().map(|a| a.key.value.as_str()))
            ),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownSubjectAttribute,
                format!(
                    "the subject is the custom attribute `{}`, which the app does not have",
                    key.value
                ),
            )
            .at_labelled(key.span(), "no attribute has this key")
            .with_help(help),
        );
    }
    let (Some(subject), Some(format)) = (&app.subject_type, &app.name_id_format) else {
        return;
    };
    let s = &subject.value;
    let why = match (s, format.value) {
        (SubjectType::PersistentId, f) if f != NameIdFormat::Persistent => Some((
            format!(
                "a Persistent ID subject is sent with the {} NameID format",
                format.value.as_str()
            ),
            "a persistent id is an opaque id that stays the same for the user; Service Cloud Voice pairs it with the Persistent format"
                .to_owned(),
            "Persistent",
        )),
        (_, NameIdFormat::Persistent) if *s != SubjectType::PersistentId => Some((
            format!("a {} subject is sent with the Persistent NameID format", s.as_str()),
            format!(
                "the Persistent format promises an opaque, app-specific id, but the {} is not one",
                describe(s)
            ),
            "Unspecified",
        )),
        (_, NameIdFormat::EmailAddress) if subject_is_email(s) == Some(false) => Some((
            format!("a {} subject is sent with the EmailAddress NameID format", s.as_str()),
            format!(
                "the EmailAddress format promises an e-mail address, but the {} is not one",
                describe(s)
            ),
            "Unspecified",
        )),
        (_, NameIdFormat::Transient) => Some((
            format!("a {} subject is sent with the Transient NameID format", s.as_str()),
            format!(
                "the Transient format promises an id that changes at every sign-in, but the {} stays the same",
                describe(s)
            ),
            "Unspecified",
        )),
        _ => None,
    };
    if let Some((message, note, fix)) = why {
        let fix = if *s == SubjectType::PersistentId {
            "Persistent"
        } else {
            fix
        };
        out.push(
            Diagnostic::new(Code::SubjectFormatMismatch, message)
                .at_labelled(format.span, "this NameID format")
                .with_label(subject.span, "does not describe this subject")
                .with_note(note)
                .with_help(format!(
                    "use the {fix} NameID format, or another subject type"
                )),
        );
    }
}

fn describe(s: &SubjectType) -> &'static str {
    match s {
        SubjectType::Username => "username",
        SubjectType::FederationId => "federation id",
        SubjectType::UserId => "user id",
        SubjectType::PersistentId => "persistent id",
        SubjectType::CustomAttribute(_) => "custom attribute",
        SubjectType::SpokeId => "spoke id",
    }
}

/// `a`, `b` and `c`.
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn acs_url(acs: &Text, aws_app: bool, opts: &LintOptions, out: &mut Vec<Diagnostic>) {
    let text = acs.as_str();
    let Some(u) = url::split(text) else {
        if aws_app {
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!("the ACS URL `{text}` is not a URL"),
                )
                .at_labelled(acs.span(), "not `https://host/path`")
                .with_help(format!("use `{}`", url::global_url(""))),
            );
        }
        return;
    };
    let kind = url::signin(u.host);
    let aws_like = !matches!(kind, SignIn::NotAws);
    if !aws_app && !aws_like {
        // Another service provider's app: not AWS's business.
        return;
    }
    if u.scheme.eq_ignore_ascii_case("http") {
        out.push(
            Diagnostic::new(Code::InsecureAcsUrl, "the ACS URL uses plain HTTP")
                .at_labelled(acs.span_of(u.scheme_at.clone()), "not encrypted")
                .with_help(format!("use `https{}`", &text[u.scheme.len()..])),
        );
    }
    let fix = |host: &str| format!("https://{host}/saml");
    match kind {
        SignIn::Global | SignIn::Regional(_)
            if !url::is_signin_path(u.path) || !u.query.is_empty() =>
        {
            let at = u.path_at.start..text.len();
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!(
                        "AWS's sign-in endpoint takes SAML responses at `/saml`, not at `{}`",
                        &text[at.clone()]
                    ),
                )
                .at_labelled(acs.span_of(at), "AWS has no SAML endpoint here")
                .with_help(format!("use exactly `{}`", fix(u.host))),
            );
        }
        SignIn::Global | SignIn::Regional(_)
            if !u.scheme.eq_ignore_ascii_case("https")
                && !u.scheme.eq_ignore_ascii_case("http") =>
        {
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!("the ACS URL's scheme is `{}`", u.scheme),
                )
                .at_labelled(acs.span_of(u.scheme_at.clone()), "not https")
                .with_help(format!("use exactly `{}`", fix(u.host))),
            );
        }
        SignIn::Regional(region) => {
            if opts.profile.connect_rules() {
                out.push(
                    Diagnostic::new(
                        Code::RegionalAcsUrl,
                        format!("the ACS URL is the regional sign-in endpoint of {region}"),
                    )
                    .at_labelled(acs.span_of(u.host_at.clone()), "regional endpoint")
                    .with_note("Service Cloud Voice's SAML role trusts only `saml:aud` = https://signin.aws.amazon.com/saml, and AWS takes saml:aud from this URL")
                    .with_help("use `https://signin.aws.amazon.com/saml`, or add the regional URL to the role's trust policy"),
                );
            }
        }
        SignIn::Global => {}
        SignIn::BadRegion(region) => {
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!("`{region}` is not a region of this sign-in endpoint's partition"),
                )
                .at_labelled(
                    acs.span_of(u.host_at.start..u.host_at.start + region.len()),
                    "no such region here",
                )
                .with_help(format!("use `{}`", url::global_url(u.host))),
            );
        }
        SignIn::OtherAws => {
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!("`{}` is not AWS's SAML sign-in endpoint", u.host),
                )
                .at_labelled(
                    acs.span_of(u.host_at.clone()),
                    "an AWS host that takes no SAML sign-in for IAM roles",
                )
                .with_help(format!("use exactly `{}`", url::global_url(u.host))),
            );
        }
        SignIn::NotAws => {
            out.push(
                Diagnostic::new(
                    Code::AcsUrlNotAws,
                    format!(
                        "the app sends AWS's attributes, but its ACS URL `{text}` is not AWS's"
                    ),
                )
                .at_labelled(
                    acs.span_of(u.host_at.clone()),
                    "not an AWS sign-in endpoint",
                )
                .with_help(format!("use exactly `{}`", url::global_url(""))),
            );
        }
    }
}

/// AWS's own audience values (§2.3): its SP entity id and the sign-in URLs.
fn is_aws_audience(s: &str) -> bool {
    s == "urn:amazon:webservices"
        || url::split(s).is_some_and(|u| {
            u.scheme == "https"
                && matches!(url::signin(u.host), SignIn::Global | SignIn::Regional(_))
                && url::is_signin_path(u.path)
        })
}

fn entity_id(entity: &Text, app: &App, out: &mut Vec<Diagnostic>) {
    let value = entity.as_str();
    if value.is_empty() {
        out.push(
            Diagnostic::new(Code::InvalidEntityId, "the Entity ID is empty")
                .at_labelled(entity.span(), "empty")
                .with_help(format!(
                    "Service Cloud Voice uses the contact center's name{}",
                    app.name
                        .as_deref()
                        .map_or(String::new(), |n| format!(", such as `{n}`"))
                )),
        );
        return;
    }
    if let Some((i, c)) = value.char_indices().find(|(_, c)| c.is_whitespace()) {
        out.push(
            Diagnostic::new(
                Code::InvalidEntityId,
                format!(
                    "the Entity ID `{value}` holds whitespace ({})",
                    char_name(c)
                ),
            )
            .at_labelled(
                entity.span_of(i..i + c.len_utf8()),
                "whitespace in the audience",
            )
            .with_help(format!(
                "write `{}`",
                value.split_whitespace().collect::<String>()
            )),
        );
        return;
    }
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !plain && !is_aws_audience(value) {
        out.push(
            Diagnostic::new(
                Code::EntityIdAudience,
                format!("the Entity ID `{value}` is neither a name nor one of AWS's audience values"),
            )
            .at_labelled(entity.span(), "sent as the assertion's <Audience>")
            .with_note("AWS's audience enforcement is not confirmed; Service Cloud Voice's guide uses the contact center's name, and that works")
            .with_help("use the contact center's name, or `urn:amazon:webservices`"),
        );
    }
}

fn char_name(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        c => format!("U+{:04X}", c as u32),
    }
}
