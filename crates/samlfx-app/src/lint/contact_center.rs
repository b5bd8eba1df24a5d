//! A Service Cloud Voice contact center (C200–C207): its relay states, instance id, region and
//! role ARNs (Amazon Connect's only), and its cross-checks with the apps linked to it (account,
//! identity URL).

use samlfx_aws::arn::{self, ResourceKind};
use samlfx_aws::attribute::{Kind, Lookup, lookup};
use samlfx_diag::{Code, Diagnostic, Span};
use samlfx_formula::Type;
use samlfx_formula::program::CompileOptions;

use super::LintOptions;
use super::url::{self, is_lower_uuid};
use crate::model::{App, ContactCenter, Item, Text};

pub(super) fn check(cc: &ContactCenter, apps: &[&App], _opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in &cc.items {
        whitespace(item, &mut out);
    }
    if let Some(item) = cc.item("reqIdentityUrl") {
        identity_url(item, apps, &mut out);
    }
    if !cc.amazon_connect() {
        return out;
    }
    let region = cc.region.as_ref().map(Text::trimmed);
    if let Some(r) = &region
        && !r.value.is_empty()
        && arn::Partition::of_region(&r.value).is_none()
    {
        out.push(
            Diagnostic::new(
                Code::InvalidContactCenterRegion,
                format!("`{}` is not an AWS region", r.value),
            )
            .at_labelled(r.span(), "reqRegion")
            .with_help("write the instance's region as its ARN has it, such as `us-west-2`"),
        );
    }
    let instance = cc.instance_id.as_ref().map(Text::trimmed);
    if let Some(id) = &instance
        && !is_lower_uuid(&id.value)
    {
        out.push(
            Diagnostic::new(
                Code::InvalidConnectInstanceId,
                format!("the instance id `{}` is not a lowercase UUID", id.value),
            )
            .at_labelled(id.span(), "reqInstanceId")
            .with_help(if is_lower_uuid(&id.value.to_ascii_lowercase()) {
                format!(
                    "write it in lower case: `{}`",
                    id.value.to_ascii_lowercase()
                )
            } else {
                "copy the id after `instance/` in the instance's ARN".to_owned()
            }),
        );
    }
    for name in ["reqRelayState", "reqSettingsRelayState"] {
        if let Some(item) = cc.item(name) {
            relay_state(item, region.as_ref(), instance.as_ref(), &mut out);
        }
    }
    let accounts = role_items(cc, &mut out);
    accounts_match(&accounts, apps, &mut out);
    out
}

/// Leading or trailing whitespace in any value (C205): one finding per item.
fn whitespace(item: &Item, out: &mut Vec<Diagnostic>) {
    let v = item.value.as_str();
    let trimmed = v.trim();
    if trimmed.is_empty() || trimmed.len() == v.len() {
        return;
    }
    let lead = v.len() - v.trim_start().len();
    let tail = v.trim_end().len();
    let (first, other) = match (lead > 0, tail < v.len()) {
        (true, true) => (0..lead, Some(tail..v.len())),
        (true, false) => (0..lead, None),
        _ => (tail..v.len(), None),
    };
    let side = if first.start == 0 { "begins" } else { "ends" };
    let mut d = Diagnostic::new(
        Code::WhitespaceAroundValue,
        format!("the value of `{}` {side} with whitespace", item.name.value),
    )
    .at_labelled(item.value.span_of(first), "whitespace")
    .with_help(format!("delete it: `{trimmed}`"));
    if let Some(o) = other {
        d = d.with_label(item.value.span_of(o), "and here");
    }
    out.push(d);
}

/// The region a relay-state host names: `us-west-2` of `us-west-2.console.aws.amazon.com`,
/// `None` for GovCloud's region-less console host.
enum Host<'a> {
    Regional(&'a str),
    Gov,
}

fn relay_host(host: &str) -> Option<Host<'_>> {
    if host == "console.amazonaws-us-gov.com" {
        return Some(Host::Gov);
    }
    host.strip_suffix(".console.aws.amazon.com")
        .filter(|r| url::region_of("aws", r) || url::region_of("aws-us-gov", r))
        .map(Host::Regional)
}

fn relay_state(
    item: &Item,
    region: Option<&Text>,
    instance: Option<&Text>,
    out: &mut Vec<Diagnostic>,
) {
    let value = item.value.trimmed();
    let text = value.as_str();
    if text.is_empty() {
        return;
    }
    let name = &item.name.value;
    // The URL built from the contact center's own settings, for help lines.
    let expected = match (region, instance) {
        (Some(r), Some(i))
            if is_lower_uuid(&i.value) && arn::Partition::of_region(&r.value).is_some() =>
        {
            format!(
                "https://{}.console.aws.amazon.com/connect/federate/{}",
                r.value, i.value
            )
        }
        _ => "https://<region>.console.aws.amazon.com/connect/federate/<instance id>".to_owned(),
    };
    // The deep link (`?destination=%2Fccp-v2`) is kept: it is not what is wrong.
    let expected = match text.split_once('?') {
        Some((_, query)) if text.contains("://") && !query.is_empty() => {
            format!("{expected}?{query}")
        }
        _ => expected,
    };
    let bad = |span: Span, label: &str, message: String| {
        Diagnostic::new(Code::InvalidRelayState, message)
            .at_labelled(span, label.to_owned())
            .with_help(format!("use `{expected}`"))
    };
    let Some(u) = url::split(text) else {
        out.push(bad(
            value.span(),
            "not a URL",
            format!("the relay state `{name}` is not a URL"),
        ));
        return;
    };
    if u.scheme != "https" {
        out.push(bad(
            value.span_of(u.scheme_at.clone()),
            "not https",
            format!("the relay state `{name}` does not use https"),
        ));
    }
    let host = relay_host(u.host);
    if host.is_none() {
        out.push(bad(
            value.span_of(u.host_at.clone()),
            "not Amazon Connect's console host",
            format!("the relay state `{name}` does not go to the AWS console of a region"),
        ));
    }
    let Some(id) = u.path.strip_prefix("/connect/federate/") else {
        out.push(bad(
            value.span_of(u.path_at.clone()),
            "not `/connect/federate/<instance id>`",
            format!("the relay state `{name}` is not Amazon Connect's federation path"),
        ));
        return;
    };
    let id_at = u.path_at.start + "/connect/federate/".len()..u.path_at.end;
    if !is_lower_uuid(id) {
        out.push(
            Diagnostic::new(
                Code::InvalidConnectInstanceId,
                format!("the relay state's instance id `{id}` is not a lowercase UUID"),
            )
            .at_labelled(value.span_of(id_at.clone()), "instance id")
            .with_help(format!("use `{expected}`")),
        );
    } else if let Some(inst) = instance
        && is_lower_uuid(&inst.value)
        && inst.value != id
    {
        out.push(
            Diagnostic::new(
                Code::InstanceIdMismatch,
                format!("the relay state `{name}` federates into instance {id}, but the contact center's instance is {}", inst.value),
            )
            .at_labelled(value.span_of(id_at), "another instance")
            .with_label(inst.span(), "the contact center's instance")
            .with_help(format!("use `{expected}`")),
        );
    }
    if let (Some(Host::Regional(host_region)), Some(r)) = (host, region)
        && arn::Partition::of_region(&r.value).is_some()
        && host_region != r.value
    {
        let at = u.host_at.start..u.host_at.start + host_region.len();
        out.push(
            Diagnostic::new(
                Code::RegionMismatch,
                format!(
                    "the relay state `{name}` names {host_region}, but the instance's region is {}",
                    r.value
                ),
            )
            .at_labelled(value.span_of(at), "this region")
            .with_label(r.span(), "the instance's region")
            .with_help(format!("use `{expected}`")),
        );
    }
}

/// Checks every role item's ARN (A0xx moved into the item, C204) and returns the accounts of
/// the valid ones, each with the span of its account in the file.
fn role_items(cc: &ContactCenter, out: &mut Vec<Diagnostic>) -> Vec<(String, Span, String)> {
    let mut accounts = Vec::new();
    for item in &cc.role_arns {
        // Whitespace around the value is C205's; the ARN is checked without it.
        let value = item.value.trimmed();
        if value.value.is_empty() {
            continue;
        }
        let checked = arn::check(&value.value);
        let valid = checked.is_valid();
        out.extend(checked.diagnostics.iter().cloned().map(|d| value.locate(d)));
        let Some(a) = checked.arn else { continue };
        if !valid {
            continue;
        }
        if !matches!(a.kind, ResourceKind::IamRole { .. }) {
            out.push(
                Diagnostic::new(
                    Code::NotARoleArn,
                    format!(
                        "`{}` holds {}, not an IAM role's ARN",
                        item.name.value,
                        kind_words(&a.kind)
                    ),
                )
                .at_labelled(
                    value.span_of(a.resource.span.start..a.resource.span.end),
                    "not `role/<name>`",
                )
                .with_help("copy the role's ARN from IAM: `arn:aws:iam::<account>:role/<name>`"),
            );
            continue;
        }
        accounts.push((
            a.account.text.to_owned(),
            value.span_of(a.account.span.start..a.account.span.end),
            item.name.value.clone(),
        ));
    }
    accounts
}

/// How a message names an ARN's kind.
fn kind_words(kind: &ResourceKind<'_>) -> &'static str {
    match kind {
        ResourceKind::IamRole { .. } => "an IAM role's ARN",
        ResourceKind::SamlProvider { .. } => "an IAM SAML provider's ARN",
        ResourceKind::ConnectInstance { .. } => "an Amazon Connect instance's ARN",
        ResourceKind::AssumedRole { .. } => "an STS assumed role's ARN",
        ResourceKind::AccountRoot => "an AWS account's root ARN",
        ResourceKind::Other => "another resource's ARN",
    }
}

/// The account of the role ARN in an app's Role attribute, when its formula folds to a constant.
fn app_role_account(app: &App) -> Option<String> {
    let attr = app
        .attributes
        .iter()
        .find(|a| matches!(lookup(&a.key.value), Lookup::Known(k) if k.kind() == Kind::Role))?;
    let compiled = attr.compile(&CompileOptions {
        expected: Some(Type::Text),
        schema: Some(app.schema()),
        ..CompileOptions::default()
    });
    let program = compiled.program?;
    let (text, _) = program.constant_text()?;
    text.split(',').find_map(|part| {
        let checked = arn::check(part.trim());
        match checked.arn {
            Some(a)
                if checked.diagnostics.is_empty()
                    && matches!(a.kind, ResourceKind::IamRole { .. }) =>
            {
                Some(a.account.text.to_owned())
            }
            _ => None,
        }
    })
}

fn accounts_match(accounts: &[(String, Span, String)], apps: &[&App], out: &mut Vec<Diagnostic>) {
    for app in apps {
        let Some(account) = app_role_account(app) else {
            continue;
        };
        let differ: Vec<_> = accounts.iter().filter(|(a, _, _)| *a != account).collect();
        let Some((first, rest)) = differ.split_first() else {
            continue;
        };
        let app_name = app.name.as_deref().unwrap_or("the app");
        let mut d = Diagnostic::new(
            Code::AccountMismatch,
            format!(
                "`{}` is in account {}, but {app_name}'s Role attribute names a role in account {account}",
                first.2, first.0
            ),
        )
        .at_labelled(first.1, "another account");
        for (_, span, _) in rest {
            d = d.with_label(*span, "another account too");
        }
        out.push(d.with_help(format!(
            "Service Cloud Voice's roles and SAML provider are all in the instance's account: use {account} everywhere, or fix {app_name}'s Role attribute"
        )));
    }
}

/// `https://<My Domain>/idp/login?app=0sp…`; its host should be an app's Issuer's.
fn identity_url(item: &Item, apps: &[&App], out: &mut Vec<Diagnostic>) {
    let value = item.value.trimmed();
    let text = value.as_str();
    if text.is_empty() {
        return;
    }
    let help = "copy the IdP-initiated login URL from the Connected App: `https://<My Domain>/idp/login?app=0sp…`";
    let bad = |span: Span, label: &str, message: String| {
        Diagnostic::new(Code::InvalidIdentityUrl, message)
            .at_labelled(span, label.to_owned())
            .with_help(help)
    };
    let Some(u) = url::split(text) else {
        out.push(bad(
            value.span(),
            "not a URL",
            "the identity URL is not a URL".to_owned(),
        ));
        return;
    };
    if u.scheme != "https" {
        out.push(bad(
            value.span_of(u.scheme_at.clone()),
            "not https",
            "the identity URL does not use https".to_owned(),
        ));
    }
    if u.path != "/idp/login" {
        out.push(bad(
            value.span_of(u.path_at.clone()),
            "not `/idp/login`",
            "the identity URL is not Salesforce's IdP-initiated login".to_owned(),
        ));
        return;
    }
    let app_id = u.query.split('&').find_map(|p| p.strip_prefix("app="));
    let id_ok = app_id.is_some_and(|id| {
        id.starts_with("0sp")
            && matches!(id.len(), 15 | 18)
            && id.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    if !id_ok {
        let at = u.path_at.end..text.len();
        out.push(bad(
            value.span_of(at),
            "no `app=0sp…`",
            "the identity URL does not name the app's service-provider id (`app=0sp…`, 15 or 18 characters)".to_owned(),
        ));
    }
    let issuers: Vec<(String, &str)> = apps
        .iter()
        .filter_map(|a| {
            let issuer = a.issuer.as_ref()?;
            let host = url::split(issuer.as_str())?.host.to_ascii_lowercase();
            Some((host, a.name.as_deref().unwrap_or("the app")))
        })
        .collect();
    if !issuers.is_empty() && !issuers.iter().any(|(h, _)| h.eq_ignore_ascii_case(u.host)) {
        let (host, name) = &issuers[0];
        out.push(
            Diagnostic::new(
                Code::InvalidIdentityUrl,
                format!(
                    "the identity URL signs in at `{}`, but {name}'s Issuer is `{host}`",
                    u.host
                ),
            )
            .at_labelled(value.span_of(u.host_at.clone()), "another org or domain")
            .with_help(format!(
                "use the app's My Domain: `https://{host}/idp/login?app=0sp…`"
            )),
        );
    }
}
