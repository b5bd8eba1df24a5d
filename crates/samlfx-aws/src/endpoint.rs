//! AWS's endpoints as URLs: the sign-in endpoints a SAML response is posted to (an app's ACS
//! URL, an assertion's Recipient) and the console hosts a RelayState sends the user on to, with
//! just enough URL splitting for them: scheme, host and the rest, each with its byte range in
//! the text, so a finding points at the part at fault. Hand-written: these URLs have no user
//! info, and a full URL parser would normalise away the very mistakes (case, a trailing slash)
//! that are reported.
//!
//! `check`'s ACS URL rule and `inspect`'s Recipient rule both call [`is_signin_url`] (or the
//! parts it is made of), so the two commands accept the same endpoints.

use std::ops::Range;

use crate::arn::Partition;

/// A URL split into its scheme, host (with any port) and the rest (path, query, fragment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    pub scheme_at: Range<usize>,
    pub host: &'a str,
    pub host_at: Range<usize>,
    /// The path, from its `/` up to `?` or `#`.
    pub path: &'a str,
    pub path_at: Range<usize>,
    /// After the `?`, up to any `#`; empty without one.
    pub query: &'a str,
}

/// Splits `text` as `scheme://host/path?query#fragment`; `None` without `://`.
pub fn split(text: &str) -> Option<Url<'_>> {
    let (scheme, rest) = text.split_once("://")?;
    let host_start = scheme.len() + 3;
    let host_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let path_start = host_start + host_len;
    let after = &text[path_start..];
    let path_len = after.find(['?', '#']).unwrap_or(after.len());
    let path_end = path_start + path_len;
    let query = text[path_end..]
        .strip_prefix('?')
        .map_or("", |q| q.split('#').next().unwrap_or(""));
    Some(Url {
        scheme,
        scheme_at: 0..scheme.len(),
        host: &rest[..host_len],
        host_at: host_start..path_start,
        path: &text[path_start..path_end],
        path_at: path_start..path_end,
        query,
    })
}

/// Whether `region` is a region of the named partition.
pub fn region_of(partition: &str, region: &str) -> bool {
    Partition::lookup(partition).is_some_and(|p| p.has_region(region))
}

/// Whether `s` is a lowercase UUID, as Amazon Connect instance ids are.
pub fn is_lower_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// An ACS URL's host, as AWS's sign-in endpoints are named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignIn {
    /// `signin.aws.amazon.com`, `signin.amazonaws-us-gov.com`, `signin.amazonaws.cn`.
    Global,
    /// `<region>.signin.aws.amazon.com` and the like, with a region of the host's partition.
    Regional(String),
    /// A regional-looking sign-in host whose region is not one of its partition's.
    BadRegion(String),
    /// Another host under an AWS domain: a console, IAM Identity Center, a typo.
    OtherAws,
    /// Not AWS at all.
    NotAws,
}

/// The sign-in domains and the partition whose regions they take.
const SIGNIN_DOMAINS: [(&str, &str); 3] = [
    ("signin.aws.amazon.com", "aws"),
    ("signin.amazonaws-us-gov.com", "aws-us-gov"),
    ("signin.amazonaws.cn", "aws-cn"),
];

/// Domains only AWS serves: a host under one of them is meant for AWS.
const AWS_DOMAINS: [&str; 6] = [
    "amazon.com",
    "amazonaws.com",
    "amazonaws-us-gov.com",
    "amazonaws.cn",
    "awsapps.com",
    "aws",
];

/// What `host` is as an AWS sign-in endpoint (compared without letter case, as DNS does).
pub fn signin(host: &str) -> SignIn {
    let host = host.to_ascii_lowercase();
    for (domain, partition) in SIGNIN_DOMAINS {
        if host == domain {
            return SignIn::Global;
        }
        if let Some(region) = host.strip_suffix(domain).and_then(|h| h.strip_suffix('.')) {
            return if region_of(partition, region) {
                SignIn::Regional(region.to_owned())
            } else {
                SignIn::BadRegion(region.to_owned())
            };
        }
    }
    let bare = host.split(':').next().unwrap_or("");
    if AWS_DOMAINS
        .iter()
        .any(|d| bare == *d || bare.ends_with(&format!(".{d}")))
    {
        SignIn::OtherAws
    } else {
        SignIn::NotAws
    }
}

/// The global sign-in URL of the partition a host belongs to: what a wrong ACS URL is fixed to.
pub fn global_url(host: &str) -> &'static str {
    let host = host.to_ascii_lowercase();
    if host.ends_with("amazonaws-us-gov.com") {
        "https://signin.amazonaws-us-gov.com/saml"
    } else if host.ends_with("amazonaws.cn") {
        "https://signin.amazonaws.cn/saml"
    } else {
        "https://signin.aws.amazon.com/saml"
    }
}

/// Whether `path` is one AWS's sign-in endpoints take SAML responses at: `/saml`,
/// `/static/saml`, or `/saml/acs/<IdP id>` (with SAML encryption).
pub fn is_signin_path(path: &str) -> bool {
    path == "/saml"
        || path == "/static/saml"
        || path
            .strip_prefix("/saml/acs/")
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// Whether `text` is an AWS sign-in endpoint that takes SAML responses: `https`, a global or
/// regional sign-in host of a known partition ([`signin`]), a SAML path ([`is_signin_path`])
/// and no query. The rule `check` applies to an app's ACS URL, and `inspect` to a response's
/// Recipient.
pub fn is_signin_url(text: &str) -> bool {
    split(text).is_some_and(|u| {
        u.scheme.eq_ignore_ascii_case("https")
            && matches!(signin(u.host), SignIn::Global | SignIn::Regional(_))
            && is_signin_path(u.path)
            && u.query.is_empty()
    })
}

/// A RelayState's host, as the AWS console's hosts are named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Console {
    /// `console.aws.amazon.com`, `console.amazonaws-us-gov.com`, `console.amazonaws.cn`.
    Global,
    /// `<region>.console.aws.amazon.com` and the like, with a region of the host's partition.
    Regional(String),
    /// A regional-looking console host whose region is not one of its partition's.
    BadRegion(String),
    /// Another host under a console domain, such as a service's own console
    /// (`s3.console.aws.amazon.com`).
    Service,
    /// Not the AWS console.
    NotConsole,
}

/// The console domains and the partition whose regions they take.
const CONSOLE_DOMAINS: [(&str, &str); 3] = [
    ("console.aws.amazon.com", "aws"),
    ("console.amazonaws-us-gov.com", "aws-us-gov"),
    ("console.amazonaws.cn", "aws-cn"),
];

/// What `host` is as an AWS console host (compared without letter case, as DNS does).
pub fn console(host: &str) -> Console {
    let host = host.to_ascii_lowercase();
    for (domain, partition) in CONSOLE_DOMAINS {
        if host == domain {
            return Console::Global;
        }
        let Some(sub) = host.strip_suffix(domain).and_then(|h| h.strip_suffix('.')) else {
            continue;
        };
        if region_of(partition, sub) {
            return Console::Regional(sub.to_owned());
        }
        if looks_like_region(sub) {
            return Console::BadRegion(sub.to_owned());
        }
        let label = |l: &str| {
            !l.is_empty()
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        return if sub.split('.').all(label) {
            Console::Service
        } else {
            Console::NotConsole
        };
    }
    Console::NotConsole
}

/// `letters-…-digits` with at least three parts: the shape of a region name (`us-east-1`,
/// `xx-fake-9`), whether or not the region exists.
fn looks_like_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// Amazon Connect's federation path, `/connect/federate/<instance id>`: the instance id it
/// names (possibly not a UUID), `None` for another path.
pub fn connect_federate_id(path: &str) -> Option<&str> {
    path.strip_prefix("/connect/federate/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_into_parts_with_their_bytes() {
        let u = split("https://signin.aws.amazon.com/saml?x=1#f").unwrap();
        assert_eq!(
            (u.scheme, u.host, u.path, u.query),
            ("https", "signin.aws.amazon.com", "/saml", "x=1")
        );
        assert_eq!(u.host_at, 8..29);
        let bare = split("https://host").unwrap();
        assert_eq!((bare.path, bare.path_at.clone()), ("", 12..12));
        assert!(split("signin.aws.amazon.com/saml").is_none());
        // Never panics on odd text.
        for t in ["://", "a://é/é?é#é", "x://?", "x://#"] {
            let _ = split(t);
        }
    }

    #[test]
    fn sign_in_hosts() {
        assert_eq!(signin("SIGNIN.aws.amazon.com"), SignIn::Global);
        assert_eq!(
            signin("us-west-2.signin.aws.amazon.com"),
            SignIn::Regional("us-west-2".into())
        );
        assert_eq!(
            signin("cn-north-1.signin.amazonaws.cn"),
            SignIn::Regional("cn-north-1".into())
        );
        assert_eq!(
            signin("us-gov-west-1.signin.aws.amazon.com"),
            SignIn::BadRegion("us-gov-west-1".into())
        );
        assert_eq!(signin("acme.awsapps.com"), SignIn::OtherAws);
        assert_eq!(signin("idp.example.com"), SignIn::NotAws);
        assert!(is_lower_uuid("0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"));
        assert!(!is_lower_uuid("0A1B2C3D-4e5f-4a7b-8c9d-0e1f2a3b4c5d"));
    }

    /// The endpoints of "Configure your SAML 2.0 IdP with relying party trust and adding
    /// claims" and "Configuring SAML assertions for the authentication response", IAM User Guide
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_relying-party.html,
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html),
    /// with the regions of "AWS Sign-In endpoints and quotas"
    /// (https://docs.aws.amazon.com/general/latest/gr/signin-service.html).
    #[test]
    fn sign_in_urls() {
        for ok in [
            "https://signin.aws.amazon.com/saml",
            "https://signin.aws.amazon.com/static/saml",
            "https://us-east-2.signin.aws.amazon.com/saml",
            "https://eu-west-1.signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46",
            "https://signin.amazonaws-us-gov.com/saml",
            "https://signin.amazonaws.cn/saml",
            "HTTPS://SIGNIN.aws.amazon.com/saml",
        ] {
            assert!(is_signin_url(ok), "{ok}");
        }
        for bad in [
            "http://signin.aws.amazon.com/saml",
            "https://evil.com/signin.aws.amazon.com/saml",
            "https://a.b.signin.aws.amazon.com/saml",
            "https://signin.aws.amazon.com/login",
            "https://signin.aws.amazon.com/saml2",
            "https://signin.aws.amazon.com/saml/",
            "https://signin.aws.amazon.com/saml?x=1",
            "https://xx-fake-9.signin.aws.amazon.com/saml",
            "https://us-gov-west-1.signin.aws.amazon.com/saml",
            "https://signin.aws.amazon.com:8443/saml",
            "signin.aws.amazon.com/saml",
            "",
        ] {
            assert!(!is_signin_url(bad), "{bad}");
        }
    }

    /// Console hosts of "Configure SAML with IAM for Amazon Connect", Amazon Connect
    /// Administrator Guide (https://docs.aws.amazon.com/connect/latest/adminguide/configure-saml.html):
    /// the relay state `https://<region>.console.aws.amazon.com/connect/federate/<instance id>`.
    #[test]
    fn console_hosts() {
        assert_eq!(console("console.aws.amazon.com"), Console::Global);
        assert_eq!(
            console("us-west-2.console.aws.amazon.com"),
            Console::Regional("us-west-2".into())
        );
        assert_eq!(
            console("cn-north-1.console.amazonaws.cn"),
            Console::Regional("cn-north-1".into())
        );
        assert_eq!(console("console.amazonaws-us-gov.com"), Console::Global);
        assert_eq!(
            console("xx-fake-9.console.aws.amazon.com"),
            Console::BadRegion("xx-fake-9".into())
        );
        assert_eq!(console("s3.console.aws.amazon.com"), Console::Service);
        assert_eq!(console("evilconsole.aws.amazon.com"), Console::NotConsole);
        assert_eq!(
            console("console.aws.amazon.com.evil.example"),
            Console::NotConsole
        );
        assert_eq!(console("signin.aws.amazon.com"), Console::NotConsole);
        assert_eq!(connect_federate_id("/connect/federate/0a1b"), Some("0a1b"));
        assert_eq!(connect_federate_id("/connect/login/0a1b"), None);
    }
}
