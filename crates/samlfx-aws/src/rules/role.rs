//! Role values: `role-arn,provider-arn` in either order. The ARNs are parsed by
//! [`crate::arn::check`]; this module splits the value, passes the ARNs' own diagnostics through
//! at their place in the value, and checks the pair.

use samlfx_diag::{Code, Diagnostic, Span};

use crate::arn::{Arn, Checked, Part, ResourceKind};
use crate::profile::Profile;

const INVALID_RESPONSE: &str =
    "AWS shows \"Your request included an invalid SAML response. To logout, click here.\"";

/// One side of the comma: its text as written and where it starts.
struct Token<'a> {
    raw: &'a str,
    at: usize,
}

impl<'a> Token<'a> {
    fn trimmed(&self) -> (&'a str, usize) {
        let lead = self.raw.len() - self.raw.trim_start().len();
        (self.raw.trim(), self.at + lead)
    }
}

/// One ARN of the pair: what the parser made of it, its text, where it starts in the value, and
/// the spans (relative to the ARN) of the parser's own diagnostics.
struct Parsed<'a> {
    arn: Option<Arn<'a>>,
    text: &'a str,
    at: usize,
    faults: Vec<Span>,
}

impl Parsed<'_> {
    /// Whether the parser found nothing wrong in `part`: only then is it compared with the other
    /// ARN's, so that one mistake is not reported twice.
    fn sound(&self, part: Part<'_>) -> bool {
        !self.faults.iter().any(|f| {
            f.start < part.span.end && part.span.start < f.end
                || f.is_empty() && (part.span.start..=part.span.end).contains(&f.start)
        })
    }
}

/// Checks one Role value, parsing its ARNs with `parse` (the ARN parser; tests pass their own).
pub(super) fn check<'a>(
    value: &'a str,
    profile: Profile,
    parse: impl Fn(&'a str) -> Checked<'a>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut tokens = Vec::new();
    let mut at = 0;
    for raw in value.split(',') {
        tokens.push(Token { raw, at });
        at += raw.len() + 1;
    }
    let commas: Vec<usize> = value.match_indices(',').map(|(i, _)| i).collect();
    if value.trim().is_empty() {
        out.push(
            Diagnostic::new(Code::RoleNotAPair, "the Role value is blank")
                .at_labelled(Span::new(0, value.len()), "blank")
                .with_help("give it a role ARN and a saml-provider ARN joined by a comma")
                .with_note(INVALID_RESPONSE),
        );
        return out;
    }
    if let [_] = tokens[..] {
        out.push(
            Diagnostic::new(
                Code::RoleNotAPair,
                "the Role value has no comma: it needs a role ARN and a saml-provider ARN",
            )
            .at_labelled(Span::new(0, value.len()), "one ARN only")
            .with_help("append `,` and the other ARN (role and saml-provider, in either order)")
            .with_note(INVALID_RESPONSE),
        );
        return out;
    }
    if tokens.len() > 2 {
        let mut d = Diagnostic::new(
            Code::RoleNotAPair,
            format!(
                "the Role value has {} commas; it is one role ARN and one saml-provider ARN joined by one comma",
                commas.len()
            ),
        )
        .at_labelled(Span::new(commas[1], commas[1] + 1), "a second comma")
        .with_help(
            if tokens[1..].iter().any(|t| !t.raw.trim().starts_with("arn:")) {
                // IAM allows commas in role names and paths; a Role value cannot hold them.
                "a role name or path with a comma cannot be used in a Role value: rename the role, or put each role,provider pair in a value of its own"
            } else {
                "put each role,provider pair in a value of its own"
            },
        )
        .with_note(INVALID_RESPONSE);
        for &c in &commas[2..] {
            d = d.with_label(Span::new(c, c + 1), "another comma");
        }
        out.push(d);
        return out;
    }
    whitespace(&tokens, &mut out);
    let mut arns: Vec<Parsed<'a>> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let (text, at) = token.trimmed();
        if text.is_empty() {
            let side = if i == 0 { "before" } else { "after" };
            out.push(
                Diagnostic::new(
                    Code::RoleNotAPair,
                    format!("the Role value has nothing {side} its comma"),
                )
                .at_labelled(
                    Span::new(commas[0], commas[0] + 1),
                    format!("no ARN {side} this"),
                )
                .with_help("a Role value is a role ARN and a saml-provider ARN joined by a comma")
                .with_note(INVALID_RESPONSE),
            );
            return out;
        }
        let Checked { arn, diagnostics } = parse(text);
        let failed = !diagnostics.is_empty();
        let faults = diagnostics.iter().filter_map(|d| d.span).collect();
        out.extend(diagnostics.into_iter().map(|d| d.shifted(at)));
        // No verdict from the parser (none of its diagnostics): say only what is certain.
        if arn.is_none() && !failed && !text.starts_with("arn:") {
            out.push(
                Diagnostic::new(Code::RolePairKinds, format!("`{text}` is not an ARN"))
                    .at_labelled(Span::new(at, at + text.len()), "not an ARN")
                    .with_help("copy the ARN from IAM: `arn:aws:iam::<account>:role/<name>` or `arn:aws:iam::<account>:saml-provider/<name>`")
                    .with_note(INVALID_RESPONSE),
            );
        }
        arns.push(Parsed {
            arn,
            text,
            at,
            faults,
        });
    }
    pair(&arns, profile, &mut out);
    out
}

/// Whitespace around the comma or at the ends: one warning, a label per stretch.
fn whitespace(tokens: &[Token<'_>], out: &mut Vec<Diagnostic>) {
    let mut stretches = Vec::new();
    for t in tokens {
        let lead = t.raw.len() - t.raw.trim_start().len();
        let trail = t.raw.len() - t.raw.trim_end().len();
        if lead > 0 {
            stretches.push(Span::new(t.at, t.at + lead));
        }
        if trail > 0 && lead < t.raw.len() {
            stretches.push(Span::new(t.at + t.raw.len() - trail, t.at + t.raw.len()));
        }
    }
    let Some((first, rest)) = stretches.split_first() else {
        return;
    };
    let fixed: Vec<&str> = tokens.iter().map(|t| t.raw.trim()).collect();
    let mut d = Diagnostic::new(
        Code::RoleWhitespace,
        "the Role value has whitespace around its ARNs",
    )
    .at_labelled(*first, "whitespace")
    .with_help(format!("write it as `{}`", fixed.join(",")));
    for s in rest {
        d = d.with_label(*s, "whitespace");
    }
    out.push(d);
}

/// One role and one provider, in the same partition and account, named as the profile expects.
fn pair(arns: &[Parsed<'_>], profile: Profile, out: &mut Vec<Diagnostic>) {
    let mut role = None;
    let mut provider = None;
    for parsed in arns {
        let Parsed { arn, text, at, .. } = parsed;
        let Some(arn) = arn else { return };
        let span = Span::new(*at, at + text.len());
        match &arn.kind {
            ResourceKind::IamRole { path, name } if role.is_none() => {
                role = Some((parsed, arn, *at, *path, *name))
            }
            ResourceKind::SamlProvider { name } if provider.is_none() => {
                provider = Some((parsed, arn, *at, *name))
            }
            ResourceKind::IamRole { .. } => out.push(
                Diagnostic::new(Code::RolePairKinds, "the Role value holds two role ARNs and no saml-provider ARN")
                    .at_labelled(span, "a second role")
                    .with_help("replace one with the ARN of the IAM SAML provider the role trusts")
                    .with_note(INVALID_RESPONSE),
            ),
            ResourceKind::SamlProvider { .. } => out.push(
                Diagnostic::new(Code::RolePairKinds, "the Role value holds two saml-provider ARNs and no role ARN")
                    .at_labelled(span, "a second saml-provider")
                    .with_help("replace one with the ARN of the IAM role to assume")
                    .with_note(INVALID_RESPONSE),
            ),
            ResourceKind::AccountRoot => out.push(
                Diagnostic::new(
                    Code::RolePairKinds,
                    format!(
                        "`{text}` is the ARN of AWS account {} itself (its root principal), not of an IAM role or saml-provider",
                        arn.account.text
                    ),
                )
                .at_labelled(span, "the account, not a role")
                .with_help(format!(
                    "name the role to assume instead: `arn:{}:iam::{}:role/<name>`",
                    arn.partition.text, arn.account.text
                ))
                .with_note(INVALID_RESPONSE),
            ),
            _ => out.push(
                Diagnostic::new(
                    Code::RolePairKinds,
                    format!(
                        "`{text}` is neither an IAM role nor an IAM saml-provider ARN"
                    ),
                )
                .at_labelled(span, format!("a `{}` ARN", arn.service.text))
                .with_help("a Role value pairs `arn:aws:iam::<account>:role/<name>` with `arn:aws:iam::<account>:saml-provider/<name>`")
                .with_note(INVALID_RESPONSE),
            ),
        }
    }
    let (
        Some((role_parsed, role, role_at, role_path, role_name)),
        Some((provider_parsed, provider, provider_at, provider_name)),
    ) = (role, provider)
    else {
        return;
    };
    let mismatch = |what: &str, r: Part<'_>, p: Part<'_>| {
        Diagnostic::new(
            Code::RoleAccountsDiffer,
            format!(
                "the role is in {what} `{}` but the SAML provider in `{}`",
                r.text, p.text
            ),
        )
        .at_labelled(r.span.shift(role_at), format!("the role's {what}"))
        .with_label(p.span.shift(provider_at), format!("the provider's {what}"))
        .with_help("pair the role with the SAML provider of its own account")
        .with_note("a role can only trust a SAML provider of its own account and partition: AWS will answer \"Not authorized to perform sts:AssumeRoleWithSAML\"")
    };
    let both_sound = |r: Part<'_>, p: Part<'_>| role_parsed.sound(r) && provider_parsed.sound(p);
    if role.partition.text != provider.partition.text {
        if both_sound(role.partition, provider.partition) {
            out.push(mismatch("partition", role.partition, provider.partition));
        }
    } else if role.account.text != provider.account.text
        && both_sound(role.account, provider.account)
    {
        out.push(mismatch("account", role.account, provider.account));
    }
    let identity_center = identity_center(role_path, role_name, role_parsed, role_at);
    let identity_center_found = identity_center.is_some();
    out.extend(identity_center);
    if profile.connect_rules() {
        if !is_voice_provider(provider_name.text) && provider_parsed.sound(provider_name) {
            out.push(
                Diagnostic::new(
                    Code::ConnectProviderName,
                    format!(
                        "the SAML provider `{}` is not named as Service Cloud Voice names it",
                        provider_name.text
                    ),
                )
                .at_labelled(provider_name.span.shift(provider_at), "expected SalesforceVoiceIdp or SalesforceServiceVoiceIdp, optionally `_<OrgId>`")
                .with_help("copy the provider ARN from IAM; Service Cloud Voice creates `SalesforceServiceVoiceIdp_<OrgId>` or `SalesforceVoiceIdp`")
                .with_note("a provider name that does not exist makes AWS answer \"Specified provider doesn't exist.\""),
            );
        }
        if !role_name.text.ends_with("-SAMLRole")
            && role_parsed.sound(role_name)
            && !identity_center_found
        {
            out.push(
                Diagnostic::new(
                    Code::ConnectRoleName,
                    format!(
                        "the role `{}` does not end in `-SAMLRole`",
                        role_name.text
                    ),
                )
                .at_labelled(role_name.span.shift(role_at), "expected `<ContactCenterName>-SAMLRole`")
                .with_help("copy the ARN of the `<ContactCenterName>-SAMLRole` role from IAM")
                .with_note("only that role may call connect:GetFederationToken; with another, Amazon Connect answers \"Access denied\""),
            );
        }
    }
}

/// The path IAM Identity Center gives the roles it creates for permission sets (a Region may
/// follow it), and the prefix of their names.
const IDENTITY_CENTER_PATH: &str = "/aws-reserved/sso.amazonaws.com/";
const IDENTITY_CENTER_NAME: &str = "AWSReservedSSO_";

/// A115 when the role is one IAM Identity Center manages: AssumeRoleWithSAML cannot assume it.
fn identity_center(
    path: Part<'_>,
    name: Part<'_>,
    parsed: &Parsed<'_>,
    at: usize,
) -> Option<Diagnostic> {
    let by_path = path.text.starts_with(IDENTITY_CENTER_PATH) && parsed.sound(path);
    let by_name = name.text.starts_with(IDENTITY_CENTER_NAME) && parsed.sound(name);
    if !by_path && !by_name {
        return None;
    }
    let mut d = Diagnostic::new(
        Code::IdentityCenterRole,
        format!(
            "the role `{}` is managed by IAM Identity Center, and AssumeRoleWithSAML cannot assume it",
            name.text
        ),
    );
    d = if by_name {
        d.at_labelled(name.span.shift(at), "an IAM Identity Center role")
    } else {
        d.at_labelled(path.span.shift(at), "IAM Identity Center's path")
    };
    if by_name && by_path {
        d = d.with_label(path.span.shift(at), "IAM Identity Center's path");
    }
    Some(
        d.with_help("create an IAM role whose trust policy trusts this SAML provider (Service Cloud Voice's is `<ContactCenterName>-SAMLRole`) and name it here instead")
            .with_note("AWS documents that AssumeRoleWithSAML does not work on the roles IAM Identity Center manages; Identity Center keeps their trust policy to its own SAML provider"),
    )
}

/// `^Salesforce(Service)?VoiceIdp(_00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?)?$`: the provider names
/// Service Cloud Voice creates, optionally with the 15- or 18-character org Id.
pub(crate) fn is_voice_provider(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("Salesforce") else {
        return false;
    };
    let rest = rest.strip_prefix("Service").unwrap_or(rest);
    let Some(rest) = rest.strip_prefix("VoiceIdp") else {
        return false;
    };
    if rest.is_empty() {
        return true;
    }
    let Some(id) = rest.strip_prefix("_00D") else {
        return false;
    };
    matches!(id.len(), 12 | 15) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}
