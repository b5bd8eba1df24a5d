//! Rules across a whole assertion (or an app's list of attributes): required attributes,
//! cardinality, duplicates, tag counts, transitive keys, duplicate Role pairs; and the rules on
//! attribute keys alone ([`check_key`], [`check_keys`]), which an app's formulas can be held to
//! before any value exists.

use std::collections::{HashMap, HashSet};

use samlfx_diag::{Code, Diagnostic};

use crate::attribute::{self, Attribute, Kind, Lookup};
use crate::profile::Profile;

use super::{check_tag_key, check_value};

/// AWS's limit on session tags, and on transitive tag keys.
const MAX_TAGS: usize = 50;

/// Where a [`Finding`] is, as indexes into the slice given to [`check_attributes`]. The
/// diagnostic's spans are relative to the text the place names (the attribute's name or one
/// value); the caller, which knows where that text sits in its file or formula, shifts them
/// there (`Span::shift`), and gives places without a text (the whole assertion, an attribute)
/// the position of the attribute or of the assertion, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Place {
    /// The assertion as a whole (a missing attribute); no spans.
    Assertion,
    /// Attribute `index` as a whole (several values, a duplicate); no spans.
    Attribute { index: usize },
    /// The name (key) of attribute `index`; spans relative to the name.
    Name { index: usize },
    /// Value `value` of attribute `attribute`; spans relative to the value.
    Value { attribute: usize, value: usize },
}

/// A diagnostic and the place it is about.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub place: Place,
    pub diagnostic: Diagnostic,
}

impl Finding {
    fn new(place: Place, diagnostic: Diagnostic) -> Self {
        Finding { place, diagnostic }
    }
}

/// The rules on the key of `attr` itself, as written in `key` (the full key, or a short name
/// such as `PrincipalTag:Dept`, which [`attribute::resolve`] reads): a session tag's key, the
/// part after `PrincipalTag:`, is 1 to 128 letters, digits, spaces and `_ . : / = + - @`, and
/// does not begin with `aws:` ([`check_tag_key`]). Spans are relative to `key`; nothing for the
/// other attributes, whose keys are fixed, nor under [`Profile::None`].
///
/// ```
/// use samlfx_aws::{attribute, profile::Profile, rules};
/// use samlfx_diag::Span;
///
/// let key = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:aws:Team";
/// let attr = attribute::resolve(key).unwrap();
/// let found = rules::check_key(&attr, key, Profile::Aws);
/// assert_eq!(found[0].code.as_str(), "A144");
/// assert_eq!(found[0].span, Some(Span::new(52, 56))); // `aws:`
/// ```
pub fn check_key(attr: &Attribute, key: &str, profile: Profile) -> Vec<Diagnostic> {
    let Some(tag) = attr.tag_key.as_deref() else {
        return Vec::new();
    };
    if !profile.aws_rules() {
        return Vec::new();
    }
    // The written key ends with the tag key; if it somehow does not, the spans are the tag's.
    let at = key.strip_suffix(tag).map_or(0, |head| head.len());
    check_tag_key(tag)
        .into_iter()
        .map(|d| d.shifted(at))
        .collect()
}

/// The rules on a set of attribute keys as an app or an assertion sends them (full keys, in
/// order; those AWS does not read are skipped): each key's own ([`check_key`]), and across keys
/// at most 50 session tags (A145), no two tag keys equal without letter case (A146), and once
/// the reminder that session tags need `sts:TagSession` ([`tag_session`], A147). The
/// places index `keys`: [`Place::Name`] with spans relative to that key, or
/// [`Place::Attribute`] without spans. `check` holds an app's keys to them, as
/// [`check_attributes`] holds an assertion's.
pub fn check_keys(keys: &[&str], profile: Profile) -> Vec<Finding> {
    let mut out = Vec::new();
    if !profile.aws_rules() {
        return out;
    }
    let known: Vec<(usize, Attribute)> = keys
        .iter()
        .enumerate()
        .filter_map(|(i, k)| match attribute::lookup(k) {
            Lookup::Known(a) => Some((i, a)),
            _ => None,
        })
        .collect();
    for (index, a) in &known {
        out.extend(
            check_key(a, keys[*index], profile)
                .into_iter()
                .map(|d| Finding::new(Place::Name { index: *index }, d)),
        );
    }
    tag_keys(keys, &known, &mut out);
    tag_session_once(&known, &mut out);
    out
}

/// A147, an info without spans, when `attr` sets session tags (a PrincipalTag, or
/// TransitiveTagKeys): the role's trust policy must allow `sts:TagSession`, which samlfx cannot
/// see. [`check_keys`] and [`check_attributes`] say it once, at the first such attribute.
pub fn tag_session(attr: &Attribute) -> Option<Diagnostic> {
    if !matches!(attr.kind(), Kind::PrincipalTag | Kind::TransitiveTagKeys) {
        return None;
    }
    let what = match attr.kind() {
        Kind::PrincipalTag => format!("`{}` is a session tag", attr.short_name()),
        _ => "TransitiveTagKeys marks session tags".to_owned(),
    };
    Some(
        Diagnostic::new(
            Code::TagSessionPermission,
            format!("{what}: the role's trust policy must allow `sts:TagSession`"),
        )
        .with_help("add `sts:TagSession` to the Action of the trust policy statement that allows `sts:AssumeRoleWithSAML` for this SAML provider")
        .with_note("without it AWS denies the whole sign-in (AccessDenied): \"Not authorized to perform sts:AssumeRoleWithSAML\""),
    )
}

/// [`tag_session`] for the first attribute that sets session tags.
fn tag_session_once(known: &[(usize, Attribute)], out: &mut Vec<Finding>) {
    if let Some((index, d)) = known
        .iter()
        .find_map(|(i, a)| tag_session(a).map(|d| (*i, d)))
    {
        out.push(Finding::new(Place::Attribute { index }, d));
    }
}

/// Checks an assertion's attributes, given as `(name, values)` in document order: every name
/// ([`attribute::lookup`]), every value ([`check_value`]), every tag key ([`check_key`]), and
/// the rules across attributes. Findings are in attribute order, assertion-wide ones last.
pub fn check_attributes(attrs: &[(&str, Vec<&str>)], profile: Profile) -> Vec<Finding> {
    let mut out = Vec::new();
    if !profile.aws_rules() {
        return out;
    }
    let mut known: Vec<(usize, Attribute)> = Vec::new();
    let mut near: Vec<(usize, Attribute)> = Vec::new();
    for (index, (name, values)) in attrs.iter().enumerate() {
        match attribute::lookup(name) {
            Lookup::Known(a) => {
                out.extend(
                    check_key(&a, name, profile)
                        .into_iter()
                        .map(|d| Finding::new(Place::Name { index }, d)),
                );
                for (value, v) in values.iter().enumerate() {
                    out.extend(check_value(&a, v, profile).into_iter().map(|d| {
                        Finding::new(
                            Place::Value {
                                attribute: index,
                                value,
                            },
                            d,
                        )
                    }));
                }
                known.push((index, a));
            }
            Lookup::NearMiss {
                intended,
                diagnostic,
            } => {
                out.push(Finding::new(Place::Name { index }, diagnostic));
                near.push((index, intended));
            }
            Lookup::UnknownAws(d) => out.push(Finding::new(Place::Name { index }, d)),
            Lookup::Other => {}
        }
    }
    cardinality(attrs, &known, &mut out);
    let names: Vec<&str> = attrs.iter().map(|(name, _)| *name).collect();
    tag_keys(&names, &known, &mut out);
    transitive_keys(attrs, &known, &mut out);
    tag_session_once(&known, &mut out);
    role_pairs(attrs, &known, &mut out);
    required(attrs, &known, &near, &mut out);
    out
}

/// Single-valued attributes with several values; the same attribute twice.
fn cardinality(attrs: &[(&str, Vec<&str>)], known: &[(usize, Attribute)], out: &mut Vec<Finding>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, a) in known {
        let values = &attrs[*index].1;
        if !a.spec.multi_valued && values.len() > 1 {
            out.push(Finding::new(
                Place::Attribute { index: *index },
                Diagnostic::new(
                    Code::TooManyValues,
                    format!(
                        "{} has {} values; AWS takes exactly one",
                        a.short_name(),
                        values.len()
                    ),
                )
                .with_help("send one value"),
            ));
        }
        if a.kind() == Kind::PrincipalTag {
            continue; // compared without letter case in `tags`
        }
        if let Some(first) = seen.insert(a.spec.name, *index) {
            out.push(Finding::new(
                Place::Attribute { index: *index },
                Diagnostic::new(
                    Code::DuplicateAttribute,
                    format!(
                        "{} is sent again (first as attribute {})",
                        a.short_name(),
                        first + 1
                    ),
                )
                .with_help(if a.spec.multi_valued {
                    "put all its values in one attribute"
                } else {
                    "send it once"
                }),
            ));
        }
    }
}

/// More than 50 session tags; tag keys equal without letter case. `names` are the attributes'
/// keys, `known` those AWS reads with their index in `names`.
fn tag_keys(names: &[&str], known: &[(usize, Attribute)], out: &mut Vec<Finding>) {
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut count = 0;
    for (index, a) in known {
        let Some(key) = &a.tag_key else { continue };
        count += 1;
        if count == MAX_TAGS + 1 {
            out.push(Finding::new(
                Place::Attribute { index: *index },
                Diagnostic::new(
                    Code::TooManyTags,
                    format!(
                        "more than {MAX_TAGS} session tags: this is tag {count} of {}",
                        known.iter().filter(|(_, a)| a.tag_key.is_some()).count()
                    ),
                )
                .with_help(format!("send at most {MAX_TAGS} PrincipalTag attributes")),
            ));
        }
        if let Some(first) = keys.insert(key.to_lowercase(), *index) {
            let earlier = names[first];
            out.push(Finding::new(
                Place::Name { index: *index },
                Diagnostic::new(
                    Code::DuplicateTagKey,
                    format!(
                        "the session tag `{key}` is already set by `{earlier}` (attribute {}); tag keys are compared without letter case",
                        first + 1
                    ),
                )
                .at_labelled(
                    samlfx_diag::Span::new(names[*index].len() - key.len(), names[*index].len()),
                    "the same key",
                )
                .with_help("keep one of the two"),
            ));
        }
    }
}

/// More than 50 transitive keys; transitive keys that name no tag of the assertion.
fn transitive_keys(
    attrs: &[(&str, Vec<&str>)],
    known: &[(usize, Attribute)],
    out: &mut Vec<Finding>,
) {
    let keys: HashSet<String> = known
        .iter()
        .filter_map(|(_, a)| a.tag_key.as_ref().map(|k| k.to_lowercase()))
        .collect();
    for (index, a) in known {
        if a.kind() != Kind::TransitiveTagKeys {
            continue;
        }
        for (value, v) in attrs[*index].1.iter().enumerate() {
            let place = Place::Value {
                attribute: *index,
                value,
            };
            if value == MAX_TAGS {
                out.push(Finding::new(
                    place,
                    Diagnostic::new(
                        Code::TooManyTags,
                        format!(
                            "more than {MAX_TAGS} transitive tag keys: this is key {} of {}",
                            value + 1,
                            attrs[*index].1.len()
                        ),
                    )
                    .with_help(format!("list at most {MAX_TAGS} keys")),
                ));
            }
            if !v.is_empty() && !keys.contains(&v.to_lowercase()) {
                out.push(Finding::new(
                    place,
                    Diagnostic::new(
                        Code::TransitiveKeyNotATag,
                        format!(
                            "the transitive tag key `{v}` names no PrincipalTag of this assertion"
                        ),
                    )
                    .at_labelled(samlfx_diag::Span::new(0, v.len()), "no such tag")
                    .with_help(format!(
                        "add `{}PrincipalTag:{v}` or remove the key",
                        attribute::PREFIX
                    )),
                ));
            }
        }
    }
}

/// The same role and provider twice, in either order and across Role attributes.
fn role_pairs(attrs: &[(&str, Vec<&str>)], known: &[(usize, Attribute)], out: &mut Vec<Finding>) {
    let mut seen: HashMap<(String, String), (usize, usize)> = HashMap::new();
    for (index, a) in known {
        if a.kind() != Kind::Role {
            continue;
        }
        for (value, v) in attrs[*index].1.iter().enumerate() {
            let parts: Vec<&str> = v.split(',').map(str::trim).collect();
            let [x, y] = parts[..] else { continue };
            if x.is_empty() || y.is_empty() {
                continue;
            }
            let pair = if x <= y { (x, y) } else { (y, x) };
            let pair = (pair.0.to_owned(), pair.1.to_owned());
            if let Some((fa, fv)) = seen.get(&pair) {
                out.push(Finding::new(
                    Place::Value {
                        attribute: *index,
                        value,
                    },
                    Diagnostic::new(
                        Code::DuplicateRolePair,
                        format!(
                            "this role and provider pair is already listed (attribute {}, value {})",
                            fa + 1,
                            fv + 1
                        ),
                    )
                    .at_labelled(samlfx_diag::Span::new(0, v.len()), "a duplicate")
                    .with_help("remove the duplicate value"),
                ));
            } else {
                seen.insert(pair, (*index, value));
            }
        }
    }
}

/// Role and RoleSessionName, each with at least one value.
fn required(
    attrs: &[(&str, Vec<&str>)],
    known: &[(usize, Attribute)],
    near: &[(usize, Attribute)],
    out: &mut Vec<Finding>,
) {
    for spec in attribute::ATTRIBUTES.iter().filter(|s| s.required) {
        let present = known
            .iter()
            .any(|(i, a)| a.kind() == spec.kind && !attrs[*i].1.is_empty());
        if present {
            continue;
        }
        let exact = Attribute::of(spec.kind, "").key();
        let aws = match spec.kind {
            Kind::RoleSessionName => "AWS answers \"RoleSessionName is required in AuthnResponse\"",
            _ => {
                "AWS shows \"Your request included an invalid SAML response. To logout, click here.\""
            }
        };
        let mut d = Diagnostic::new(
            Code::MissingAttribute,
            format!("the assertion has no {} attribute; {aws}", spec.name),
        );
        d = match near.iter().find(|(_, a)| a.kind() == spec.kind) {
            Some((i, _)) => d.with_help(format!(
                "rename `{}` (attribute {}) to exactly `{exact}`",
                attrs[*i].0.trim(),
                i + 1
            )),
            None => d.with_help(format!("add the attribute `{exact}`")),
        };
        out.push(Finding::new(Place::Assertion, d));
    }
}
