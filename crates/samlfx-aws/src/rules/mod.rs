//! The attribute rule pack: checks on one attribute value ([`check_value`]), on an attribute's
//! key ([`check_key`]) and a set of keys ([`check_keys`]), on a whole assertion's attributes
//! ([`check_attributes`]), and each single-text attribute's constraint as
//! data ([`text_rule`]) so that a formula's possible values can be compared with it before any
//! value exists. The value checks read the same [`TextRule`]s: one source of truth.
//!
//! Lengths are counted in UTF-16 code units, the unit of the whole project
//! (`samlfx_formula::shape`); for the ASCII values most attributes allow it is the number of
//! characters.

mod assertion;
mod role;
mod text;

pub use assertion::{Finding, Place, check_attributes, check_key, check_keys, tag_session};
pub use text::{
    IntegerRange, Narrower, NonAscii, PreparedText, TextRule, check_tag_key, check_text, text_rule,
};

use samlfx_diag::Diagnostic;

use crate::attribute::{Attribute, Kind};
use crate::profile::Profile;

/// Checks one value of `attr` under `profile`. Spans are byte offsets into `value`, on the
/// offending bytes (the illegal character, the bad ARN component, the extra comma). A
/// PrincipalTag's value is checked here; its key, part of the attribute's name, by
/// [`check_key`].
///
/// ```
/// use samlfx_aws::{attribute, profile::Profile, rules};
/// use samlfx_diag::Span;
///
/// let rsn = attribute::resolve("RoleSessionName").unwrap();
/// let found = rules::check_value(&rsn, "john smith", Profile::Aws);
/// assert_eq!(found[0].code.as_str(), "A121");
/// assert_eq!(found[0].span, Some(Span::new(4, 5))); // the space
/// assert!(found[0].message.starts_with("RoleSessionName in AuthnResponse must match"));
/// assert!(rules::check_value(&rsn, "j+doe", Profile::Aws).is_empty());
/// assert_eq!(rules::check_value(&rsn, "j+doe", Profile::AmazonConnect)[0].code.as_str(), "A200");
/// ```
pub fn check_value(attr: &Attribute, value: &str, profile: Profile) -> Vec<Diagnostic> {
    if !profile.aws_rules() {
        return Vec::new();
    }
    match attr.kind() {
        Kind::Role => role::check(value, profile, crate::arn::check),
        _ => text_rule(attr, profile).map_or_else(Vec::new, |rule| check_text(&rule, value)),
    }
}

/// [`check_value`] prepared for many values of one attribute under one profile (an audit's
/// users): the text rule resolved once, with its byte table.
#[derive(Clone, Debug)]
pub struct ValueCheck {
    attr: Attribute,
    profile: Profile,
    text: Option<PreparedText>,
}

impl ValueCheck {
    pub fn new(attr: Attribute, profile: Profile) -> ValueCheck {
        let text = match attr.kind() {
            Kind::Role => None,
            _ => text_rule(&attr, profile).map(PreparedText::new),
        };
        ValueCheck {
            attr,
            profile,
            text,
        }
    }

    /// The same findings as [`check_value`] gives for `value`.
    pub fn check(&self, value: &str) -> Vec<Diagnostic> {
        match &self.text {
            Some(prepared) => prepared.check(value),
            None => check_value(&self.attr, value, self.profile),
        }
    }

    /// [`Self::check`] through `memo`, keyed by [`PreparedText::findings_key`]: a value that
    /// fails as an earlier one did costs a copy of that one's findings, not their wording.
    pub fn check_memo(&self, value: &str, memo: &mut FindingsMemo) -> Vec<Diagnostic> {
        let Some(prepared) = &self.text else {
            return self.check(value);
        };
        if prepared.passes(value) {
            return Vec::new();
        }
        if !prepared.findings_key(value, &mut memo.key) {
            return prepared.worded(value);
        }
        if let Some(found) = memo.map.get(&memo.key) {
            return found.clone();
        }
        let found = prepared.worded(value);
        if memo.map.len() < FindingsMemo::MAX {
            memo.map.insert(memo.key.clone(), found.clone());
        }
        found
    }
}

/// Findings already worded, by [`PreparedText::findings_key`], for [`ValueCheck::check_memo`]:
/// one per thread and [`ValueCheck`] (the key says nothing of the rule), bounded.
#[derive(Debug, Default)]
pub struct FindingsMemo {
    map: std::collections::HashMap<Vec<u8>, Vec<Diagnostic>>,
    key: Vec<u8>,
}

impl FindingsMemo {
    /// The most distinct failing shapes kept; past them, findings are worded each time.
    const MAX: usize = 4096;
}

#[cfg(test)]
mod tests;
