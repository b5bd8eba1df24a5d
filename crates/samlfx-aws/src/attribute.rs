//! The SAML attributes AWS reads (`https://aws.amazon.com/SAML/Attributes/…`): one table with
//! each attribute's key, short name and cardinality, and the classification of any attribute key
//! as one of them, a near miss of one, or something AWS does not read.
//!
//! AWS matches keys exactly and case-sensitively, so a near miss is not read at all: the
//! attribute is sent and AWS behaves as if it were missing. That is why near misses get their
//! own diagnostic with the exact key.

use samlfx_diag::{Code, Diagnostic, Span};

/// Every AWS attribute key starts with this.
pub const PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/";

/// Which attribute AWS reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Role,
    RoleSessionName,
    SessionDuration,
    /// `PrincipalTag:{Key}`: one attribute per session tag.
    PrincipalTag,
    TransitiveTagKeys,
    SourceIdentity,
}

/// One row of the table.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Spec {
    pub kind: Kind,
    /// The name after [`PREFIX`]; for PrincipalTag the part before the tag key.
    pub name: &'static str,
    /// AWS refuses an assertion without it.
    pub required: bool,
    /// Takes several `AttributeValue`s (Role pairs, transitive keys).
    pub multi_valued: bool,
    /// What AWS does with it, one line.
    pub doc: &'static str,
}

/// The attributes AWS reads, in the order of AWS's documentation.
pub static ATTRIBUTES: &[Spec] = &[
    Spec {
        kind: Kind::Role,
        name: "Role",
        required: true,
        multi_valued: true,
        doc: "Role and SAML-provider ARN pairs (`role,provider`, either order), one per value; several values make AWS show a role chooser.",
    },
    Spec {
        kind: Kind::RoleSessionName,
        name: "RoleSessionName",
        required: true,
        multi_valued: false,
        doc: "The session's name, 2–64 of `[A-Za-z0-9_+=,.@-]`; under Service Cloud Voice the Amazon Connect username.",
    },
    Spec {
        kind: Kind::SessionDuration,
        name: "SessionDuration",
        required: false,
        multi_valued: false,
        doc: "Console session length in seconds, 900–43200.",
    },
    Spec {
        kind: Kind::PrincipalTag,
        name: "PrincipalTag:",
        required: false,
        multi_valued: false,
        doc: "A session tag: the key follows `PrincipalTag:`, the value is the tag's value.",
    },
    Spec {
        kind: Kind::TransitiveTagKeys,
        name: "TransitiveTagKeys",
        required: false,
        multi_valued: true,
        doc: "Session tag keys that persist through role chaining, one per value.",
    },
    Spec {
        kind: Kind::SourceIdentity,
        name: "SourceIdentity",
        required: false,
        multi_valued: false,
        doc: "An identity carried through role chaining, 2–64 of `[A-Za-z0-9_+=,.@-]`, not `aws:`-prefixed.",
    },
];

/// An attribute AWS reads; for a session tag, with its key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attribute {
    pub spec: &'static Spec,
    /// The tag key of a PrincipalTag (as written, possibly invalid); `None` for the others.
    pub tag_key: Option<String>,
}

impl Attribute {
    /// The table's row for `kind` as an attribute (a PrincipalTag gets the tag key `tag`).
    pub fn of(kind: Kind, tag: &str) -> Attribute {
        let spec = ATTRIBUTES
            .iter()
            .find(|s| s.kind == kind)
            .expect("every kind has a row");
        Attribute {
            spec,
            tag_key: (kind == Kind::PrincipalTag).then(|| tag.to_owned()),
        }
    }

    pub fn kind(&self) -> Kind {
        self.spec.kind
    }

    /// The name AWS documents it by: `RoleSessionName`, `PrincipalTag:Dept`.
    pub fn short_name(&self) -> String {
        format!(
            "{}{}",
            self.spec.name,
            self.tag_key.as_deref().unwrap_or("")
        )
    }

    /// The exact key AWS reads: `https://aws.amazon.com/SAML/Attributes/RoleSessionName`.
    pub fn key(&self) -> String {
        format!("{PREFIX}{}", self.short_name())
    }
}

/// The attribute a name stands for: the full key or the short name (`RoleSessionName`,
/// `PrincipalTag:Dept`), spelt exactly. For command-line options and configuration, where the
/// short name is a convenience; an assertion's key is classified with [`lookup`].
pub fn resolve(name: &str) -> Option<Attribute> {
    let short = name.strip_prefix(PREFIX).unwrap_or(name);
    exact_short(short)
}

fn exact_short(short: &str) -> Option<Attribute> {
    if let Some(tag) = short.strip_prefix("PrincipalTag:") {
        return Some(Attribute::of(Kind::PrincipalTag, tag));
    }
    ATTRIBUTES
        .iter()
        .find(|s| s.kind != Kind::PrincipalTag && s.name == short)
        .map(|s| Attribute::of(s.kind, ""))
}

/// What an attribute key is to AWS.
#[derive(Clone, Debug, PartialEq)]
pub enum Lookup {
    /// Exactly a key AWS reads.
    Known(Attribute),
    /// Almost a key AWS reads, which AWS will ignore: `diagnostic` (A100, spans relative to the
    /// key) says what differs and its help gives the exact key.
    NearMiss {
        intended: Attribute,
        diagnostic: Diagnostic,
    },
    /// Under AWS's prefix but no attribute AWS reads (A101).
    UnknownAws(Diagnostic),
    /// Not an AWS attribute: another service's, or the app's own.
    Other,
}

/// Classifies an attribute key as AWS would read it.
pub fn lookup(key: &str) -> Lookup {
    if let Some(short) = key.strip_prefix(PREFIX)
        && let Some(a) = exact_short(short)
    {
        return Lookup::Known(a);
    }
    if let Some((intended, differences)) = near_miss(key) {
        let exact = intended.key();
        let span = difference(key, &exact);
        let diagnostic = Diagnostic::new(
            Code::AttributeNearMiss,
            format!(
                "AWS ignores the attribute `{key}`: it differs from the key of `{}` in {}",
                intended.short_name(),
                differences.join(", ")
            ),
        )
        .at_labelled(span, "this differs from AWS's key")
        .with_help(format!("use exactly `{exact}`"))
        .with_note("AWS matches attribute keys exactly and case-sensitively; it ignores this one");
        return Lookup::NearMiss {
            intended,
            diagnostic,
        };
    }
    if let Some(rest) = key.strip_prefix(PREFIX) {
        let names: Vec<&str> = ATTRIBUTES.iter().map(|s| s.name).collect();
        let mut d = Diagnostic::new(
            Code::UnknownAwsAttribute,
            format!("AWS reads no attribute named `{rest}`"),
        )
        .at_labelled(
            Span::new(PREFIX.len(), key.len()),
            "not an attribute AWS reads",
        );
        d = match samlfx_diag::suggest::closest(rest, names.iter().copied()) {
            Some(near) => d.with_help(format!("did you mean `{PREFIX}{near}`?")),
            None => d.with_help(format!(
                "AWS reads {}",
                names
                    .iter()
                    .map(|n| if *n == "PrincipalTag:" {
                        "PrincipalTag:<key>"
                    } else {
                        n
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        return Lookup::UnknownAws(d);
    }
    Lookup::Other
}

/// The attribute `key` was most likely meant to be, and the kinds of difference, when it is a
/// near miss: whitespace, `http://`, a `www.` host, a missing `/SAML/`, a trailing slash, a
/// plural (`Roles`), a short name without the URI, letter case.
fn near_miss(key: &str) -> Option<(Attribute, Vec<&'static str>)> {
    let mut differences = Vec::new();
    // Whitespace goes everywhere but inside a tag key, where AWS allows spaces.
    let tag_at = key
        .to_ascii_lowercase()
        .find("principaltag")
        .unwrap_or(key.len());
    let (head, tail) = key.split_at(tag_at);
    let compact: String = head
        .chars()
        .filter(|c| !c.is_whitespace())
        .chain(tail.trim_end().chars())
        .collect();
    if compact.len() != key.len() {
        differences.push("whitespace");
    }
    // ASCII lowercasing keeps byte offsets, so `pos` indexes both strings.
    let lower = compact.to_ascii_lowercase();
    // The key rebuilt with every difference but letter case corrected.
    let mut rebuilt = String::new();
    let mut pos = 0;
    let eat = |pos: &mut usize, piece: &str| {
        let hit = lower[*pos..].starts_with(piece);
        if hit {
            *pos += piece.len();
        }
        hit
    };
    let full_uri = if eat(&mut pos, "https://") {
        rebuilt.push_str(&compact[..pos]);
        true
    } else if eat(&mut pos, "http://") {
        differences.push("`http://` for `https://`");
        rebuilt.push_str("https://");
        true
    } else {
        false
    };
    if full_uri || lower.starts_with("www.") || lower.starts_with("aws.amazon.com/") {
        if !full_uri {
            rebuilt.push_str("https://");
        }
        if eat(&mut pos, "www.") {
            differences.push("a `www.` host");
        }
        let at = pos;
        if !eat(&mut pos, "aws.amazon.com/") {
            return None;
        }
        rebuilt.push_str(&compact[at..pos]);
        let at = pos;
        if eat(&mut pos, "saml/") {
            rebuilt.push_str(&compact[at..pos]);
        } else {
            differences.push("a missing `/SAML/`");
            rebuilt.push_str("SAML/");
        }
        let at = pos;
        if !eat(&mut pos, "attributes/") {
            return None;
        }
        rebuilt.push_str(&compact[at..pos]);
    } else {
        rebuilt.push_str(PREFIX);
    }
    let mut name = &compact[pos..];
    let trimmed = name.trim_end_matches('/');
    if trimmed.len() != name.len() {
        differences.push("a trailing slash");
        name = trimmed;
    }
    let lower_name = name.to_ascii_lowercase();
    let tag_prefix = ["principaltag:", "principaltags:"]
        .into_iter()
        .find(|p| lower_name.starts_with(p));
    let (intended, written) = if let Some(p) = tag_prefix {
        let tag = &name[p.len()..];
        if p.len() > "principaltag:".len() {
            differences.push("a plural");
        }
        (
            Attribute::of(Kind::PrincipalTag, tag),
            format!("{}:{tag}", &name[..12]),
        )
    } else {
        let named = |n: &str| {
            ATTRIBUTES
                .iter()
                .find(|s| s.kind != Kind::PrincipalTag && s.name.eq_ignore_ascii_case(n))
        };
        if let Some(s) = named(name) {
            (Attribute::of(s.kind, ""), name.to_owned())
        } else {
            let singular = name.strip_suffix(['s', 'S'])?;
            let s = named(singular)?;
            differences.push("a plural");
            (Attribute::of(s.kind, ""), singular.to_owned())
        }
    };
    if !full_uri && !lower.starts_with("www.") && !lower.starts_with("aws.amazon.com/") {
        differences.push("a missing `https://aws.amazon.com/SAML/Attributes/`");
    } else if !full_uri {
        differences.push("a missing `https://`");
    }
    rebuilt.push_str(&written);
    if rebuilt != intended.key() {
        differences.push("letter case");
    }
    Some((intended, differences))
}

/// The bytes of `key` that differ from `exact`: what is left between their common prefix and
/// common suffix, widened to one character when `key` lacks something `exact` has.
fn difference(key: &str, exact: &str) -> Span {
    let prefix = key
        .char_indices()
        .zip(exact.chars())
        .find(|((_, a), b)| a != b)
        .map_or(key.len().min(exact.len()), |((i, _), _)| i);
    let max_suffix = (key.len() - prefix).min(exact.len() - prefix);
    let suffix = key[prefix..]
        .chars()
        .rev()
        .zip(exact[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>()
        .min(max_suffix);
    let (start, end) = (prefix, key.len() - suffix);
    if start < end {
        return Span::new(start, end);
    }
    // Something is missing at `start`: point at the character before it, or after it.
    if let Some(c) = key[..start].chars().next_back() {
        Span::new(start - c.len_utf8(), start)
    } else if let Some(c) = key[start..].chars().next() {
        Span::new(start, start + c.len_utf8())
    } else {
        Span::new(start, start)
    }
}
