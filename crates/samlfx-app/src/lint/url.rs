//! Just enough URL splitting for the URLs an app and a contact center hold: scheme, host and
//! the rest, each with its byte range in the text, so a finding points at the part at fault.
//! Hand-written: these URLs have no user info, and a full URL parser would normalise away the
//! very mistakes (case, a trailing slash) that are reported.

use std::ops::Range;

use samlfx_aws::arn::Partition;

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

/// An ACS URL's host, as AWS's sign-in endpoints are named (§2.2).
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
}
