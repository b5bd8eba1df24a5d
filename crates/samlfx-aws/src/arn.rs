//! ARNs: `arn:partition:service:region:account:resource`, with validators for the kinds SAML
//! federation uses (IAM role, IAM SAML provider, Amazon Connect instance, STS assumed role).
//!
//! [`check`] never fails and never panics: whatever the text, it returns what could be split and a
//! diagnostic for every problem, each pointing at the component (or the one character) at fault.
//! The rules follow AWS's IAM documentation (IAM identifiers, ARN formats) and the IAM, STS and
//! Amazon Connect API references.
//!
//! Lengths are counted in characters; every rule here is an ASCII class, so a non-ASCII character
//! is already an error of its own and the unit never changes a verdict.

use std::borrow::Cow;

use samlfx_diag::{Code, Diagnostic, Span, suggest};
use samlfx_formula::shape::CharSet;

/// One component of an ARN and where it is in the ARN's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub text: &'a str,
    pub span: Span,
}

impl<'a> Part<'a> {
    /// The part of `whole` from byte `start` to byte `end`.
    fn of(whole: &'a str, start: usize, end: usize) -> Part<'a> {
        Part {
            text: &whole[start..end],
            span: Span::new(start, end),
        }
    }

    /// An empty part at byte `at`: a component that is missing.
    fn empty(at: usize) -> Part<'a> {
        Part {
            text: "",
            span: Span::new(at, at),
        }
    }
}

/// What an ARN's resource names. The kind is what the ARN is meant to be even when it has errors
/// (`arn:aws:IAM::…:Role/X` is an `IamRole` with two diagnostics), so that a caller pairing a role
/// with a provider does not report a second, confusing problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKind<'a> {
    /// `role<path><name>`: `path` is `/` or `/…/`, `name` follows the last `/`.
    IamRole { path: Part<'a>, name: Part<'a> },
    /// `saml-provider/<name>`.
    SamlProvider { name: Part<'a> },
    /// `instance/<id>`, possibly followed by `/agent/…`, `/user/…` or another sub-resource.
    ConnectInstance { id: Part<'a> },
    /// `assumed-role/<role>/<session>`.
    AssumedRole { role: Part<'a>, session: Part<'a> },
    /// `root` in IAM: the AWS account itself as a principal (`arn:aws:iam::123456789012:root`),
    /// valid in policies but neither a role nor a SAML provider.
    AccountRoot,
    /// Any other resource: accepted as written.
    Other,
}

impl ResourceKind<'_> {
    /// The kind's stable name in JSON output.
    pub fn name(&self) -> &'static str {
        match self {
            ResourceKind::IamRole { .. } => "iam-role",
            ResourceKind::SamlProvider { .. } => "iam-saml-provider",
            ResourceKind::ConnectInstance { .. } => "connect-instance",
            ResourceKind::AssumedRole { .. } => "sts-assumed-role",
            ResourceKind::AccountRoot => "iam-account-root",
            ResourceKind::Other => "other",
        }
    }
}

/// An ARN split into its six components (the first, `arn`, is implied). Present whenever the
/// text could be split, even when a component is wrong: the diagnostics say which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// The whole text given to [`check`], whitespace around it included; every span is into it.
    pub text: &'a str,
    pub partition: Part<'a>,
    pub service: Part<'a>,
    pub region: Part<'a>,
    pub account: Part<'a>,
    pub resource: Part<'a>,
    pub kind: ResourceKind<'a>,
}

impl<'a> Arn<'a> {
    /// The kind's stable name: `iam-role`, `iam-saml-provider`, `connect-instance`,
    /// `sts-assumed-role`, `iam-account-root` or `other`.
    pub fn kind_name(&self) -> &'static str {
        self.kind.name()
    }

    /// The kind-specific parts, named as `samlfx arn` prints them: a role's `path` and `name`, a
    /// provider's `name`, a Connect instance's `instance` (and `resource` below it), an assumed
    /// role's `role` and `session`; none for an account's `root`, whose only part is the account.
    pub fn parts(&self) -> Vec<(&'static str, Part<'a>)> {
        match &self.kind {
            ResourceKind::IamRole { path, name } => vec![("path", *path), ("name", *name)],
            ResourceKind::SamlProvider { name } => vec![("name", *name)],
            ResourceKind::ConnectInstance { id } => {
                let mut parts = vec![("instance", *id)];
                let below = id.span.end + 1;
                if below < self.resource.span.end {
                    parts.push((
                        "resource",
                        Part::of(self.text, below, self.resource.span.end),
                    ));
                }
                parts
            }
            ResourceKind::AssumedRole { role, session } => {
                vec![("role", *role), ("session", *session)]
            }
            // The account is the only part, and already one of the six components.
            ResourceKind::AccountRoot | ResourceKind::Other => Vec::new(),
        }
    }
}

/// An ARN parsed and validated: `arn` is `None` when the text is not an ARN at all; the
/// diagnostics (spans relative to the text) say everything wrong with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked<'a> {
    pub arn: Option<Arn<'a>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked<'_> {
    /// Whether the text is an ARN with no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.arn.is_some() && !self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One AWS partition and the regions it holds.
#[derive(Debug)]
pub struct Partition {
    pub name: &'static str,
    /// The region pattern of AWS's SDK endpoint data, as printed in messages.
    pub pattern: &'static str,
    /// The pattern is `^(P1|P2|…)-\w+-\d+$`; these are the alternatives P.
    prefixes: &'static [&'static str],
    /// A real region of the partition, for help lines.
    pub example_region: &'static str,
}

/// The partitions of AWS's SDK endpoint data (2025). Matched by hand, not with the regex crate:
/// every pattern is a fixed prefix, a word and a number, and a table of prefixes says that more
/// plainly than eight regexes compiled at start-up.
pub static PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        pattern: r"^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$",
        prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        example_region: "us-east-1",
    },
    Partition {
        name: "aws-cn",
        pattern: r"^cn-\w+-\d+$",
        prefixes: &["cn"],
        example_region: "cn-north-1",
    },
    Partition {
        name: "aws-us-gov",
        pattern: r"^us-gov-\w+-\d+$",
        prefixes: &["us-gov"],
        example_region: "us-gov-west-1",
    },
    Partition {
        name: "aws-iso",
        pattern: r"^us-iso-\w+-\d+$",
        prefixes: &["us-iso"],
        example_region: "us-iso-east-1",
    },
    Partition {
        name: "aws-iso-b",
        pattern: r"^us-isob-\w+-\d+$",
        prefixes: &["us-isob"],
        example_region: "us-isob-east-1",
    },
    Partition {
        name: "aws-iso-e",
        pattern: r"^eu-isoe-\w+-\d+$",
        prefixes: &["eu-isoe"],
        example_region: "eu-isoe-west-1",
    },
    Partition {
        name: "aws-iso-f",
        pattern: r"^us-isof-\w+-\d+$",
        prefixes: &["us-isof"],
        example_region: "us-isof-south-1",
    },
    Partition {
        name: "aws-eusc",
        pattern: r"^eusc-(de)-\w+-\d+$",
        prefixes: &["eusc-de"],
        example_region: "eusc-de-east-1",
    },
];

impl Partition {
    /// The partition named exactly `name`.
    pub fn lookup(name: &str) -> Option<&'static Partition> {
        PARTITIONS.iter().find(|p| p.name == name)
    }

    /// The partition whose pattern `region` matches.
    pub fn of_region(region: &str) -> Option<&'static Partition> {
        PARTITIONS.iter().find(|p| p.has_region(region))
    }

    /// Whether `region` matches this partition's pattern: a prefix, `-`, one or more ASCII word
    /// characters (`\w` in the SDK's JavaScript regex), `-`, one or more digits.
    pub fn has_region(&self, region: &str) -> bool {
        self.prefixes.iter().any(|p| {
            region
                .strip_prefix(p)
                .and_then(|r| r.strip_prefix('-'))
                .and_then(|r| r.split_once('-'))
                .is_some_and(|(word, number)| {
                    !word.is_empty()
                        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !number.is_empty()
                        && number.bytes().all(|b| b.is_ascii_digit())
                })
        })
    }
}

/// IAM role and SAML provider names: `[A-Za-z0-9_+=,.@-]` (ASCII `\w` plus `+=,.@-`).
pub const IAM_NAME: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"_+=,.@-"));
/// RoleSessionName: the same set as IAM names.
pub const SESSION_NAME: CharSet = IAM_NAME;
/// The characters of a role path between its first and last `/`: 0x21–0x7E.
pub const PATH_CHARS: CharSet = CharSet::range(0x21, 0x7E);
/// Provider-name characters the API prose allows but the IAM model's pattern `[\w._-]+` does not.
const PROVIDER_DOUBTFUL: CharSet = CharSet::of_bytes(b"+=,@");
const SERVICE_CHARS: CharSet = CharSet::DIGITS
    .union(CharSet::LOWER)
    .union(CharSet::of_bytes(b"-"));
const HEX_LOWER: CharSet = CharSet::DIGITS.union(CharSet::range(b'a', b'f'));

pub const ROLE_NAME_MAX: usize = 64;
pub const ROLE_PATH_MAX: usize = 512;
pub const PROVIDER_NAME_MAX: usize = 128;
pub const SESSION_NAME_MIN: usize = 2;
pub const SESSION_NAME_MAX: usize = 64;
pub const ACCOUNT_DIGITS: usize = 12;

/// IAM resource types other than the two validated here, so that `user/x` is not "did you mean
/// `role`?".
const OTHER_IAM_TYPES: &[&str] = &[
    "user",
    "group",
    "policy",
    "instance-profile",
    "oidc-provider",
    "server-certificate",
    "mfa",
    "sms-mfa",
    "access-report",
];

/// At most this many extra places are labelled on one diagnostic about repeated characters.
const MAX_LABELS: usize = 8;

/// What [`Checker::iam_name`] checks, and the resource it is in.
const ROLE: (&str, &str) = ("role name", "role/<role name>");
const ASSUMED: (&str, &str) = ("role name", "assumed-role/<role name>/<session name>");
const PROVIDER: (&str, &str) = ("SAML provider name", "saml-provider/<name>");

/// An example ARN for help lines.
const EXAMPLE: &str = "arn:aws:iam::123456789012:role/Name";

/// Parses and validates one ARN.
pub fn check(text: &str) -> Checked<'_> {
    let mut checker = Checker {
        text,
        diagnostics: Vec::new(),
    };
    let arn = checker.arn();
    // In source order, as a reader goes through the ARN (the sort is stable).
    checker
        .diagnostics
        .sort_by_key(|d| d.span.map_or(0, |s| s.start));
    Checked {
        arn,
        diagnostics: checker.diagnostics,
    }
}

/// What a service's ARNs require of region and account.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// IAM and STS: no region, an account.
    Global,
    /// Amazon Connect: a region and an account.
    Regional,
    /// Any other service: either may be empty.
    Unknown,
}

struct Checker<'a> {
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn arn(&mut self) -> Option<Arn<'a>> {
        let text = self.text;
        if text.trim().is_empty() {
            let what = if text.is_empty() {
                "the ARN is empty"
            } else {
                "the ARN is blank: it holds only whitespace"
            };
            self.push(
                Diagnostic::new(Code::MalformedArn, what)
                    .at_labelled(Span::new(0, text.len()), "no ARN here")
                    .with_help(format!("write the whole ARN, such as `{EXAMPLE}`")),
            );
            return None;
        }
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        self.whitespace_around(start, end);
        let inner = &text[start..end];

        // The prefix, before anything is split: a text that is not an ARN gets one diagnostic.
        let first_end = inner.find(':').map_or(end, |i| start + i);
        let first = &text[start..first_end];
        if !first.eq_ignore_ascii_case("arn") || first_end == end {
            self.not_an_arn(start, first_end, end);
            return None;
        }
        self.whitespace_inside(start, end);
        if first != "arn" {
            self.push(
                Diagnostic::new(
                    Code::MalformedArn,
                    format!("an ARN begins with `arn:` in lower case; found `{first}:`"),
                )
                .at_labelled(Span::new(start, first_end), "must be `arn`")
                .with_help("write `arn:`: AWS compares ARNs case-sensitively"),
            );
        }

        let mut bounds = Vec::with_capacity(6);
        let mut at = start;
        for piece in inner.splitn(6, ':') {
            bounds.push((at, at + piece.len()));
            at += piece.len() + 1;
        }
        if bounds.len() < 6 {
            self.too_few(&bounds);
            return None;
        }
        let part = |i: usize| Part::of(text, bounds[i].0, bounds[i].1);
        let (partition, service, region, account, resource) =
            (part(1), part(2), part(3), part(4), part(5));

        let known_partition = self.partition(partition);
        let service_key = self.service(service);
        let scope = match service_key.as_ref() {
            "iam" | "sts" => Scope::Global,
            "connect" => Scope::Regional,
            _ => Scope::Unknown,
        };
        self.region(region, scope, &service_key, known_partition);
        let kind = self.resource(resource, &service_key);
        let policy_of_aws = service_key == "iam"
            && resource.text.starts_with("policy/")
            && squeeze(account.text) == "aws";
        if !policy_of_aws {
            self.account(account, scope != Scope::Unknown, &service_key);
        }
        Some(Arn {
            text,
            partition,
            service,
            region,
            account,
            resource,
            kind,
        })
    }

    /// A warning for whitespace around the ARN, which the checks then leave out.
    fn whitespace_around(&mut self, start: usize, end: usize) {
        let text = self.text;
        if start > 0 {
            self.push(
                Diagnostic::new(
                    Code::WhitespaceAroundArn,
                    format!("{} before the ARN", describe_run(&text[..start])),
                )
                .at_labelled(Span::new(0, start), "remove this")
                .with_help("remove the whitespace: AWS is not known to trim it, and tools that read the assertion may not"),
            );
        }
        if end < text.len() {
            self.push(
                Diagnostic::new(
                    Code::WhitespaceAroundArn,
                    format!("{} after the ARN", describe_run(&text[end..])),
                )
                .at_labelled(Span::new(end, text.len()), "remove this")
                .with_help("remove the whitespace: AWS is not known to trim it, and tools that read the assertion may not"),
            );
        }
    }

    /// One error for whitespace inside the ARN, labelling every further place, so that the
    /// component checks can skip whitespace without losing it.
    fn whitespace_inside(&mut self, start: usize, end: usize) {
        let text = self.text;
        let mut runs = Vec::new();
        let mut run: Option<(usize, usize)> = None;
        for (i, c) in text[start..end].char_indices() {
            let i = start + i;
            if c.is_whitespace() {
                run = Some(run.map_or((i, i + c.len_utf8()), |(s, _)| (s, i + c.len_utf8())));
            } else if let Some(r) = run.take() {
                runs.push(r);
            }
        }
        let Some(&(s, e)) = runs.first() else {
            return;
        };
        let mut message = format!("the ARN contains {}", describe_run(&text[s..e]));
        if runs.len() > 1 {
            message.push_str(&format!(
                " (and whitespace in {} more places)",
                runs.len() - 1
            ));
        }
        let mut d = Diagnostic::new(Code::WhitespaceInArn, message)
            .at_labelled(Span::new(s, e), "remove this")
            .with_help("remove the whitespace: no part of an ARN may contain any");
        for &(s, e) in runs.iter().skip(1).take(MAX_LABELS) {
            d = d.with_label(Span::new(s, e), "and this");
        }
        self.push(d);
    }

    /// `MalformedArn` for a text that does not begin with `arn:`.
    fn not_an_arn(&mut self, start: usize, first_end: usize, end: usize) {
        let text = self.text;
        let first = &text[start..first_end];
        let inner = &text[start..end];
        let mut d = if first_end == end && first.eq_ignore_ascii_case("arn") {
            Diagnostic::new(
                Code::MalformedArn,
                "not an ARN: `arn` is followed by nothing",
            )
        } else {
            Diagnostic::new(
                Code::MalformedArn,
                format!(
                    "not an ARN: an ARN begins with `arn:`; found `{}`",
                    quote(first)
                ),
            )
        };
        d = d.at_labelled(Span::new(start, first_end), "expected `arn:` here");
        let help = if Partition::lookup(&first.to_ascii_lowercase()).is_some() {
            format!("the prefix is missing: write `arn:{}`", quote(inner))
        } else {
            format!("an ARN has six components separated by ':', such as `{EXAMPLE}`")
        };
        self.push(d.with_help(help));
    }

    /// `MalformedArn` for fewer than six components.
    fn too_few(&mut self, bounds: &[(usize, usize)]) {
        let text = self.text;
        let (start, end) = (bounds[0].0, bounds[bounds.len() - 1].1);
        let service = bounds.get(2).map(|&(s, e)| text[s..e].to_ascii_lowercase());
        let help = match service.as_deref() {
            Some("iam" | "sts") if bounds.len() == 5 => format!(
                "IAM is global: its ARNs keep the region empty, with two colons after the service, as in `{EXAMPLE}`"
            ),
            _ => "write `arn:partition:service:region:account:resource`; an empty region or account keeps its colons (`::`)".to_string(),
        };
        self.push(
            Diagnostic::new(
                Code::MalformedArn,
                format!(
                    "an ARN has 6 components separated by ':'; found {}",
                    bounds.len()
                ),
            )
            .at_labelled(Span::new(start, end), "too few components")
            .with_help(help),
        );
    }

    /// `UnknownPartition`: the partition must be one of [`PARTITIONS`]. Returns the partition
    /// meant, also when it is only in the wrong case, so that the region is still checked.
    fn partition(&mut self, p: Part<'a>) -> Option<&'static Partition> {
        let clean = squeeze(p.text);
        if let Some(found) = Partition::lookup(&clean) {
            return Some(found);
        }
        let names = PARTITIONS.iter().map(|p| p.name);
        let all = names.clone().collect::<Vec<_>>().join(", ");
        if clean.is_empty() {
            self.push(
                Diagnostic::new(Code::UnknownPartition, "the partition is empty")
                    .at_labelled(p.span, "expected a partition here")
                    .with_help(format!(
                        "write the partition after `arn:`, usually `aws` (one of {all})"
                    )),
            );
            return None;
        }
        if let Some(found) = Partition::lookup(&clean.to_ascii_lowercase()) {
            self.push(
                Diagnostic::new(
                    Code::UnknownPartition,
                    format!("partitions are lower case; found `{}`", quote(p.text)),
                )
                .at_labelled(p.span, "wrong case")
                .with_help(format!("did you mean `{}`?", found.name)),
            );
            return Some(found);
        }
        // The nearest name by edits, ties going to the one sharing more at both ends
        // (`aws-gov` is `aws-us-gov`, not `aws-cn`), then a shared prefix.
        let nearest = PARTITIONS
            .iter()
            .map(|p| {
                let d = suggest::distance(&clean, p.name);
                (d, usize::MAX - shared_ends(&clean, p.name), p.name)
            })
            .min()
            .filter(|&(d, _, _)| d <= 3 && d < clean.len())
            .map(|(_, _, n)| n);
        let help = match nearest.or_else(|| suggest::closest(&clean, names)) {
            Some(near) => format!("did you mean `{near}`? The partitions are {all}"),
            None => format!("the partitions are {all}"),
        };
        self.push(
            Diagnostic::new(
                Code::UnknownPartition,
                format!("unknown partition `{}`", quote(p.text)),
            )
            .at_labelled(p.span, "not a partition")
            .with_help(help),
        );
        None
    }

    /// `InvalidService`: the service is lower-case letters, digits and hyphens. Returns the service
    /// in lower case, which decides the resource's kind even when its case is wrong.
    fn service(&mut self, s: Part<'a>) -> String {
        let clean = squeeze(s.text);
        let lower = clean.to_ascii_lowercase();
        if clean.is_empty() {
            self.push(
                Diagnostic::new(Code::InvalidService, "the service is empty")
                    .at_labelled(s.span, "expected a service here")
                    .with_help("write the service after the partition: `iam` for roles and SAML providers, `connect` for Amazon Connect"),
            );
        } else if CharSet::of_str(&clean).is_subset_of(SERVICE_CHARS) {
            // Fine as it is.
        } else if CharSet::of_str(&lower).is_subset_of(SERVICE_CHARS) {
            self.push(
                Diagnostic::new(
                    Code::InvalidService,
                    format!("services are lower case; found `{}`", quote(s.text)),
                )
                .at_labelled(s.span, "wrong case")
                .with_help(format!("did you mean `{}`?", quote(&lower))),
            );
        } else if let Some((span, c)) = bad_chars(s, SERVICE_CHARS).first() {
            self.push(
                Diagnostic::new(
                    Code::InvalidService,
                    format!("the service cannot contain {}", name_char(*c)),
                )
                .at_labelled(*span, "not allowed in a service")
                .with_help("a service is lower-case letters, digits and hyphens, such as `iam` or `connect`"),
            );
        }
        lower
    }

    /// `InvalidRegion` and `UnexpectedRegion`: IAM and STS have no region, Amazon Connect needs
    /// one, and a region must belong to the ARN's partition.
    fn region(
        &mut self,
        r: Part<'a>,
        scope: Scope,
        service: &str,
        partition: Option<&'static Partition>,
    ) {
        let clean = squeeze(r.text);
        let example = partition.unwrap_or(&PARTITIONS[0]).example_region;
        match scope {
            Scope::Global if !clean.is_empty() => {
                let what = if service == "sts" { "STS" } else { "IAM" };
                self.push(
                    Diagnostic::new(
                        Code::UnexpectedRegion,
                        format!(
                            "{what} ARNs have an empty region; found `{}`",
                            quote(r.text)
                        ),
                    )
                    .at_labelled(r.span, "remove this")
                    .with_help(format!(
                        "{what} is global: remove the region and keep both colons, as in `{EXAMPLE}`"
                    )),
                );
                return;
            }
            Scope::Regional if clean.is_empty() => {
                self.push(
                    Diagnostic::new(
                        Code::InvalidRegion,
                        "Amazon Connect ARNs name a region; found none",
                    )
                    .at_labelled(r.span, "expected a region here")
                    .with_help(format!(
                        "write the instance's region between the colons, such as `{example}`"
                    )),
                );
                return;
            }
            _ => {}
        }
        let Some(p) = partition else { return };
        if clean.is_empty() || p.has_region(&clean) {
            return;
        }
        let lower = clean.to_ascii_lowercase();
        let help = if let Some(other) = Partition::of_region(&clean) {
            format!(
                "`{clean}` is a region of partition `{}`: write `arn:{}:…`, or use a region of `{}` such as `{}`",
                other.name, other.name, p.name, p.example_region
            )
        } else if lower != clean && p.has_region(&lower) {
            format!("regions are lower case: did you mean `{lower}`?")
        } else {
            format!(
                "regions of `{}` match `{}`, such as `{}`",
                p.name, p.pattern, p.example_region
            )
        };
        self.push(
            Diagnostic::new(
                Code::InvalidRegion,
                format!(
                    "`{}` is not a region of partition `{}`",
                    quote(r.text),
                    p.name
                ),
            )
            .at_labelled(r.span, "not a region of this partition")
            .with_help(help),
        );
    }

    /// `InvalidAccountId`: exactly 12 ASCII digits (when `required`; else empty is fine too).
    fn account(&mut self, a: Part<'a>, required: bool, service: &str) {
        let clean = squeeze(a.text);
        if clean.is_empty() {
            if required {
                self.push(
                    Diagnostic::new(
                        Code::InvalidAccountId,
                        "account ID must be 12 digits; found none",
                    )
                    .at_labelled(a.span, "expected the account ID here")
                    .with_help(format!(
                        "{} ARNs name the AWS account: write its 12-digit ID between the colons, as in `{EXAMPLE}`",
                        service.to_ascii_uppercase()
                    )),
                );
            }
            return;
        }
        if clean.bytes().all(|b| b.is_ascii_digit()) {
            let n = clean.len();
            if n == ACCOUNT_DIGITS {
                return;
            }
            let help = if n < ACCOUNT_DIGITS {
                "an account ID has exactly 12 digits, leading zeros included: look for a dropped digit or a lost leading zero"
            } else {
                "an account ID has exactly 12 digits: look for an extra digit or two IDs run together"
            };
            self.push(
                Diagnostic::new(
                    Code::InvalidAccountId,
                    format!("account ID must be 12 digits; found {n}"),
                )
                .at_labelled(a.span, format!("{n} digits"))
                .with_help(help),
            );
            return;
        }
        let digits: String = clean.chars().filter(|c| *c != '-').collect();
        if digits.len() != ACCOUNT_DIGITS
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let n = digits.len();
            self.push(
                Diagnostic::new(
                    Code::InvalidAccountId,
                    format!("account ID must be 12 digits; found {n}"),
                )
                .at_labelled(a.span, format!("{n} digits and hyphens"))
                .with_help("an account ID is exactly 12 digits written without hyphens"),
            );
            return;
        }
        if digits.len() == ACCOUNT_DIGITS && digits.bytes().all(|b| b.is_ascii_digit()) {
            self.push(
                Diagnostic::new(
                    Code::InvalidAccountId,
                    format!("account ID must be 12 digits; found `{}`", quote(a.text)),
                )
                .at_labelled(a.span, "hyphens are not part of the ID")
                .with_help(format!(
                    "the console shows the ID with hyphens; write it without: `{digits}`"
                )),
            );
            return;
        }
        let bad = bad_chars(a, CharSet::DIGITS);
        let Some(&(span, c)) = bad.first() else {
            return;
        };
        if !clean.bytes().any(|b| b.is_ascii_digit()) {
            self.push(
                Diagnostic::new(
                    Code::InvalidAccountId,
                    format!("account ID must be 12 digits; found `{}`", quote(a.text)),
                )
                .at_labelled(a.span, "not an account ID")
                .with_help(format!(
                    "write the 12-digit ID of the AWS account, as in `{EXAMPLE}`"
                )),
            );
            return;
        }
        let mut d = Diagnostic::new(
            Code::InvalidAccountId,
            format!(
                "account ID must be 12 digits; found {} in `{}`",
                name_char(c),
                quote(a.text)
            ),
        )
        .at_labelled(span, "not a digit")
        .with_help("an account ID is 12 digits and nothing else: copy it from the account menu of the AWS console");
        for &(s, _) in bad.iter().skip(1).take(MAX_LABELS) {
            d = d.with_label(s, "nor this");
        }
        self.push(d);
    }

    /// `InvalidResource` and the kind-specific checks.
    fn resource(&mut self, r: Part<'a>, service: &str) -> ResourceKind<'a> {
        if r.text.is_empty() {
            self.push(
                Diagnostic::new(Code::InvalidResource, "the resource is empty")
                    .at_labelled(r.span, "expected a resource here")
                    .with_help(format!(
                        "write what the ARN names after the account, such as `role/Name` in `{EXAMPLE}`"
                    )),
            );
            return ResourceKind::Other;
        }
        if service == "iam"
            && let Some(kind) = self.account_root(r)
        {
            return kind;
        }
        let known: &[&str] = match service {
            "iam" => &["role", "saml-provider"],
            "sts" => &["assumed-role"],
            "connect" => &["instance"],
            _ => return ResourceKind::Other,
        };
        let Some((ty, sep_at)) = self.resource_type(r, service, known) else {
            return ResourceKind::Other;
        };
        match ty {
            "role" => self.role(r, sep_at),
            "saml-provider" => self.provider(r, sep_at),
            "assumed-role" => self.assumed_role(r, sep_at),
            _ => self.connect_instance(r, sep_at),
        }
    }

    /// `root`, the account principal (`arn:aws:iam::123456789012:root`): written alone and in
    /// lower case. `None` when the resource is something else.
    fn account_root(&mut self, r: Part<'a>) -> Option<ResourceKind<'a>> {
        let at = r.text.find(['/', ':']).unwrap_or(r.text.len());
        let written = &r.text[..at];
        if !written.eq_ignore_ascii_case("root") {
            return None;
        }
        let ty_span = Span::new(r.span.start, r.span.start + at);
        const HELP: &str = "the account principal is `arn:aws:iam::<account>:root`; a role is `arn:aws:iam::<account>:role/<name>`";
        if written != "root" {
            self.push(
                Diagnostic::new(
                    Code::InvalidResource,
                    format!("resource types are lower case; found `{}`", quote(written)),
                )
                .at_labelled(ty_span, "wrong case")
                .with_help("did you mean `root`?"),
            );
        }
        if at < r.text.len() {
            self.push(
                Diagnostic::new(
                    Code::InvalidResource,
                    "the account principal is `root` alone: nothing follows it",
                )
                .at_labelled(Span::new(r.span.start + at, r.span.end), "remove this")
                .with_help(HELP),
            );
        }
        Some(ResourceKind::AccountRoot)
    }

    /// The resource type meant (one of `known`) and the byte where its separator is (the end
    /// of the resource when it has none), reporting a wrong case, a `:` separator and a near
    /// miss. `None` for another resource type.
    fn resource_type(
        &mut self,
        r: Part<'a>,
        service: &str,
        known: &[&'static str],
    ) -> Option<(&'static str, usize)> {
        let at = r.text.find(['/', ':']).unwrap_or(r.text.len());
        let written = &r.text[..at];
        let ty_span = Span::new(r.span.start, r.span.start + at);
        let sep_at = r.span.start + at;
        if let Some(&ty) = known.iter().find(|k| **k == written) {
            self.separator(r, at, ty);
            return Some((ty, sep_at));
        }
        if let Some(&ty) = known.iter().find(|k| k.eq_ignore_ascii_case(written)) {
            self.push(
                Diagnostic::new(
                    Code::InvalidResource,
                    format!("resource types are lower case; found `{}`", quote(written)),
                )
                .at_labelled(ty_span, "wrong case")
                .with_help(format!("did you mean `{ty}`?")),
            );
            self.separator(r, at, ty);
            return Some((ty, sep_at));
        }
        if service == "iam"
            && OTHER_IAM_TYPES
                .iter()
                .any(|t| t.eq_ignore_ascii_case(written))
        {
            return None;
        }
        let near = suggest::closest(written, known.iter().copied())?;
        self.push(
            Diagnostic::new(
                Code::InvalidResource,
                format!("unknown resource type `{}`", quote(written)),
            )
            .at_labelled(ty_span, "not a resource type")
            .with_help(format!("did you mean `{near}`?")),
        );
        self.separator(r, at, near);
        Some((near, sep_at))
    }

    /// A type must be followed by `/`: report a `:` or nothing.
    fn separator(&mut self, r: Part<'a>, at: usize, ty: &str) {
        let what = match ty {
            "role" => "role/<name>",
            "saml-provider" => "saml-provider/<name>",
            "assumed-role" => "assumed-role/<role name>/<session name>",
            _ => "instance/<instance ID>",
        };
        match r.text[at..].chars().next() {
            Some('/') => {}
            Some(_) => {
                let span = Span::new(r.span.start + at, r.span.start + at + 1);
                self.push(
                    Diagnostic::new(
                        Code::InvalidResource,
                        format!("`{ty}` is followed by '/', not ':'"),
                    )
                    .at_labelled(span, "expected '/'")
                    .with_help(format!("write `{what}`")),
                );
            }
            None => {
                self.push(
                    Diagnostic::new(
                        Code::InvalidResource,
                        format!("`{ty}` names nothing: the resource is `{what}`"),
                    )
                    .at_labelled(r.span, "incomplete")
                    .with_help(format!("write `{what}`")),
                );
            }
        }
    }

    /// `role<path><name>`: the path runs from the separator to the last `/`.
    fn role(&mut self, r: Part<'a>, sep_at: usize) -> ResourceKind<'a> {
        let text = self.text;
        let end = r.span.end;
        if sep_at == end {
            return ResourceKind::IamRole {
                path: Part::empty(end),
                name: Part::empty(end),
            };
        }
        let last_slash = text[sep_at..end].rfind('/').map_or(sep_at, |i| sep_at + i);
        let path = Part::of(text, sep_at, last_slash + 1);
        let name = Part::of(text, last_slash + 1, end);
        self.role_path(path);
        self.iam_name(name, Code::InvalidRoleName, ROLE, ROLE_NAME_MAX);
        ResourceKind::IamRole { path, name }
    }

    /// `InvalidRolePath`: `/` or `/…/` of 0x21–0x7E, at most 512 characters.
    fn role_path(&mut self, path: Part<'a>) {
        let n = path.text.chars().count();
        if n > ROLE_PATH_MAX {
            self.push(
                Diagnostic::new(
                    Code::InvalidRolePath,
                    format!("the role path is {n} characters; at most {ROLE_PATH_MAX} are allowed"),
                )
                .at_labelled(path.span, format!("{n} characters"))
                .with_help("shorten the path, or check that two ARNs are not run together"),
            );
        }
        if path.text == "//" {
            self.push(
                Diagnostic::new(
                    Code::InvalidRolePath,
                    "the role path `//` is empty between its slashes",
                )
                .at_labelled(path.span, "empty path segment")
                .with_help("a role without a path is written `role/Name`"),
            );
            return;
        }
        if path.text.len() < 2 {
            return;
        }
        let inside = Part::of(self.text, path.span.start + 1, path.span.end - 1);
        let bad = bad_chars(inside, PATH_CHARS);
        if let Some(&(span, c)) = bad.first() {
            let mut d = Diagnostic::new(
                Code::InvalidRolePath,
                format!("the role path cannot contain {}", name_char(c)),
            )
            .at_labelled(span, "not allowed in a path")
            .with_help(
                "a role path is printable ASCII (0x21–0x7E) between slashes: `/division/team/`",
            );
            for &(s, _) in bad.iter().skip(1).take(MAX_LABELS) {
                d = d.with_label(s, "nor this");
            }
            self.push(d);
        }
    }

    /// Role names (also an assumed role's) and SAML provider names: 1 to `max` characters of
    /// [`IAM_NAME`], reported under `code`; `form` is the resource as written, for help lines.
    /// Returns whether the characters are fine.
    fn iam_name(
        &mut self,
        name: Part<'a>,
        code: Code,
        (what, form): (&str, &str),
        max: usize,
    ) -> bool {
        if name.text.is_empty() {
            self.push(
                Diagnostic::new(code, format!("the {what} is empty"))
                    .at_labelled(name.span, format!("expected the {what} here"))
                    .with_help(format!("write the {what} in its place: `{form}`")),
            );
            return true;
        }
        let n = name.text.chars().count();
        if n > max {
            self.push(
                Diagnostic::new(
                    code,
                    format!("the {what} is {n} characters; at most {max} are allowed"),
                )
                .at_labelled(name.span, format!("{n} characters"))
                .with_help(format!(
                    "an IAM {what} has 1 to {max} characters: check the name in the IAM console, or that two values are not run together"
                )),
            );
        }
        let bad = bad_chars(name, IAM_NAME);
        let Some(&(span, c)) = bad.first() else {
            return true;
        };
        let help = match c {
            '<' | '>' | '{' | '}' => format!(
                "this looks like a placeholder from a setup guide (`<ContactCenterName>`): put the real {what} in its place"
            ),
            '/' if code == Code::InvalidSamlProviderName => {
                "SAML provider ARNs have no path: the name is everything after `saml-provider/`, and has no '/'".to_string()
            }
            _ => format!(
                "an IAM {what} uses letters, digits and `_+=,.@-` only: copy it from the IAM console"
            ),
        };
        let mut d = Diagnostic::new(code, format!("the {what} cannot contain {}", name_char(c)))
            .at_labelled(span, format!("not allowed in a {what}"))
            .with_help(help);
        for &(s, _) in bad.iter().skip(1).take(MAX_LABELS) {
            d = d.with_label(s, "nor this");
        }
        self.push(d);
        false
    }

    /// `saml-provider/<name>`: `InvalidSamlProviderName` for the name's length and characters,
    /// `ProviderNamePunctuation` for `+=,@`.
    fn provider(&mut self, r: Part<'a>, sep_at: usize) -> ResourceKind<'a> {
        let end = r.span.end;
        if sep_at == end {
            return ResourceKind::SamlProvider {
                name: Part::empty(end),
            };
        }
        let name = Part::of(self.text, sep_at + 1, end);
        let fine = self.iam_name(
            name,
            Code::InvalidSamlProviderName,
            PROVIDER,
            PROVIDER_NAME_MAX,
        );
        let doubtful = bad_chars(name, CharSet::ANY.minus(PROVIDER_DOUBTFUL));
        if fine && let Some(&(span, c)) = doubtful.first() {
            let mut d = Diagnostic::new(
                Code::ProviderNamePunctuation,
                format!(
                    "the SAML provider name contains {}, which IAM's own model does not allow",
                    name_char(c)
                ),
            )
            .at_labelled(span, "may be refused")
            .with_help("IAM's API model allows only letters, digits and `._-` in provider names while its documentation also lists `+=,@`; rename the provider with those only to be safe");
            for &(s, _) in doubtful.iter().skip(1).take(MAX_LABELS) {
                d = d.with_label(s, "and this");
            }
            self.push(d);
        }
        ResourceKind::SamlProvider { name }
    }

    /// `assumed-role/<role>/<session>`: `InvalidRoleName` for the role, `InvalidSessionName` for
    /// the session.
    fn assumed_role(&mut self, r: Part<'a>, sep_at: usize) -> ResourceKind<'a> {
        let text = self.text;
        let end = r.span.end;
        if sep_at == end {
            return ResourceKind::AssumedRole {
                role: Part::empty(end),
                session: Part::empty(end),
            };
        }
        let role_start = sep_at + 1;
        let Some(slash) = text[role_start..end].find('/').map(|i| role_start + i) else {
            let role = Part::of(text, role_start, end);
            self.iam_name(role, Code::InvalidRoleName, ASSUMED, ROLE_NAME_MAX);
            self.push(
                Diagnostic::new(
                    Code::InvalidSessionName,
                    "the session name is missing: the resource is `assumed-role/<role name>/<session name>`",
                )
                .at_labelled(Span::new(end, end), "expected `/<session name>` here")
                .with_help("add '/' and the RoleSessionName the role was assumed with"),
            );
            return ResourceKind::AssumedRole {
                role,
                session: Part::empty(end),
            };
        };
        let role = Part::of(text, role_start, slash);
        let session = Part::of(text, slash + 1, end);
        self.iam_name(role, Code::InvalidRoleName, ASSUMED, ROLE_NAME_MAX);
        self.session(session);
        ResourceKind::AssumedRole { role, session }
    }

    /// `InvalidSessionName`: 2 to 64 characters of [`SESSION_NAME`].
    fn session(&mut self, s: Part<'a>) {
        let n = s.text.chars().count();
        if !(SESSION_NAME_MIN..=SESSION_NAME_MAX).contains(&n) {
            self.push(
                Diagnostic::new(
                    Code::InvalidSessionName,
                    format!(
                        "the session name is {n} character{}; it must have {SESSION_NAME_MIN} to {SESSION_NAME_MAX}",
                        if n == 1 { "" } else { "s" }
                    ),
                )
                .at_labelled(s.span, format!("{n} characters"))
                .with_help("a RoleSessionName has 2 to 64 characters of `[A-Za-z0-9_+=,.@-]`"),
            );
        }
        let bad = bad_chars(s, SESSION_NAME);
        if let Some(&(span, c)) = bad.first() {
            let mut d = Diagnostic::new(
                Code::InvalidSessionName,
                format!("the session name cannot contain {}", name_char(c)),
            )
            .at_labelled(span, "not allowed in a session name")
            .with_help("a RoleSessionName uses letters, digits and `_+=,.@-` only");
            for &(s, _) in bad.iter().skip(1).take(MAX_LABELS) {
                d = d.with_label(s, "nor this");
            }
            self.push(d);
        }
    }

    /// `instance/<id>[/<sub-resource>]`: `InvalidConnectInstanceId` unless the id is a lowercase
    /// UUID.
    fn connect_instance(&mut self, r: Part<'a>, sep_at: usize) -> ResourceKind<'a> {
        let text = self.text;
        let end = r.span.end;
        if sep_at == end {
            return ResourceKind::ConnectInstance {
                id: Part::empty(end),
            };
        }
        let id_start = sep_at + 1;
        let id_end = text[id_start..end].find('/').map_or(end, |i| id_start + i);
        let id = Part::of(text, id_start, id_end);
        self.uuid(id);
        if id_end < end && id_end + 1 == end {
            self.push(
                Diagnostic::new(
                    Code::InvalidResource,
                    "the resource ends with '/': a sub-resource of the instance is missing",
                )
                .at_labelled(Span::new(id_end, end), "nothing follows")
                .with_help(
                    "remove the '/', or name the sub-resource: `instance/<id>/agent/<user id>`",
                ),
            );
        }
        ResourceKind::ConnectInstance { id }
    }

    /// `InvalidConnectInstanceId`: a lowercase UUID, 8-4-4-4-12 hexadecimal digits.
    fn uuid(&mut self, id: Part<'a>) {
        const HELP: &str = "copy the instance ID from the Amazon Connect console (the last part of the instance ARN): a lowercase UUID such as `0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`";
        if id.text.is_empty() {
            self.push(
                Diagnostic::new(Code::InvalidConnectInstanceId, "the instance ID is empty")
                    .at_labelled(id.span, "expected the instance ID here")
                    .with_help(HELP),
            );
            return;
        }
        let allowed = HEX_LOWER.union(CharSet::of_bytes(b"-"));
        let bad = bad_chars(id, allowed.union(CharSet::range(b'A', b'F')));
        if let Some(&(span, c)) = bad.first() {
            self.push(
                Diagnostic::new(
                    Code::InvalidConnectInstanceId,
                    format!(
                        "the instance ID is a UUID and cannot contain {}",
                        name_char(c)
                    ),
                )
                .at_labelled(span, "not a hexadecimal digit")
                .with_help(HELP),
            );
            return;
        }
        let clean = squeeze(id.text);
        let shape_ok = clean.len() == 36
            && clean
                .char_indices()
                .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-'));
        if !shape_ok {
            self.push(
                Diagnostic::new(
                    Code::InvalidConnectInstanceId,
                    format!(
                        "the instance ID must be a UUID (8-4-4-4-12 hexadecimal digits); found `{}` ({} characters)",
                        quote(id.text),
                        clean.chars().count()
                    ),
                )
                .at_labelled(id.span, "not a UUID")
                .with_help(HELP),
            );
            return;
        }
        if !CharSet::of_str(&clean).is_subset_of(allowed) {
            let lower = clean.to_ascii_lowercase();
            self.push(
                Diagnostic::new(
                    Code::InvalidConnectInstanceId,
                    "the instance ID must be in lower case",
                )
                .at_labelled(id.span, "upper-case hexadecimal digits")
                .with_help(format!("did you mean `{lower}`?")),
            );
        }
    }
}

/// How many bytes `a` and `b` share at their start plus at their end.
fn shared_ends(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let front = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let back = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (front + back).min(a.len().min(b.len()))
}

/// The text without whitespace: whitespace has its own diagnostic (`WhitespaceInArn`), so the
/// component checks look at what is left.
fn squeeze(s: &str) -> Cow<'_, str> {
    if s.contains(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Every character of `part` outside `allowed`, with its span; whitespace is skipped
/// (`WhitespaceInArn`).
fn bad_chars(part: Part<'_>, allowed: CharSet) -> Vec<(Span, char)> {
    part.text
        .char_indices()
        .filter(|&(_, c)| !c.is_whitespace() && !allowed.contains(c))
        .map(|(i, c)| {
            let at = part.span.start + i;
            (Span::new(at, at + c.len_utf8()), c)
        })
        .collect()
}

/// A character named for a message: `':'`, or its code point when it would not show.
fn name_char(c: char) -> String {
    if c.is_control() || !c.is_ascii() && (c.is_whitespace() || is_invisible(c)) {
        format!("U+{:04X}", c as u32)
    } else if c.is_ascii() {
        format!("'{c}'")
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Whitespace described for a message: `a space`, `3 spaces`, `a tab`, `whitespace (U+00A0)`.
fn describe_run(run: &str) -> String {
    let n = run.chars().count();
    let first = run.chars().next().unwrap_or(' ');
    let same = run.chars().all(|c| c == first);
    let name = match first {
        ' ' => "space",
        '\t' => "tab",
        '\n' => "line feed",
        '\r' => "carriage return",
        _ => "",
    };
    match (same, name, n) {
        (true, "", 1) => format!("a whitespace character ({})", name_char(first)),
        (true, name, 1) if !name.is_empty() => format!("a {name}"),
        (true, name, n) if !name.is_empty() => format!("{n} {name}s"),
        _ => format!("{n} whitespace characters"),
    }
}

/// Component text quoted in a message, cut in the middle when long.
fn quote(s: &str) -> Cow<'_, str> {
    const MAX: usize = 48;
    if s.chars().count() <= MAX {
        return Cow::Borrowed(s);
    }
    let head: String = s.chars().take(MAX / 2).collect();
    let tail: String = {
        let mut t: Vec<char> = s.chars().rev().take(MAX / 2 - 1).collect();
        t.reverse();
        t.into_iter().collect()
    };
    Cow::Owned(format!("{head}…{tail}"))
}

#[cfg(test)]
mod tests;
