//! Rules on a single text (RoleSessionName, SessionDuration, a tag key or value, SourceIdentity)
//! as data, and the one function that checks a value against them.

use std::sync::LazyLock;

use samlfx_diag::{Code, Diagnostic, Span};
use samlfx_formula::shape::CharSet;

use crate::attribute::{Attribute, Kind};
use crate::profile::Profile;

/// What a single-text attribute's value must look like, as data: a static analysis compares a
/// formula's possible lengths and characters with it, and [`check_text`] checks a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextRule {
    /// What the text is, in messages: `RoleSessionName`, `tag key`.
    pub what: &'static str,
    /// Length bounds in UTF-16 code units, both included. For an [`IntegerRange`] they bound the
    /// range's numbers written without leading zeros; the value check compares the number.
    pub min_len: u32,
    pub max_len: u32,
    /// The characters allowed. ASCII is exact; the non-ASCII flag is set when some non-ASCII
    /// characters are allowed, and [`Self::non_ascii`] says which.
    pub chars: CharSet,
    pub non_ascii: NonAscii,
    /// The allowed characters in words, for messages and help.
    pub chars_text: &'static str,
    /// Who refuses other characters, in messages ("which AWS refuses").
    pub authority: &'static str,
    /// A prefix the text may not start with, compared without letter case (`aws:`).
    pub forbidden_prefix: Option<&'static str>,
    pub len_code: Code,
    pub chars_code: Code,
    /// The code of a blank (empty) value, reported only when `min_len > 0`.
    pub blank_code: Code,
    pub prefix_code: Code,
    /// A profile's narrower set of characters, reported under its own code.
    pub narrower: Option<Narrower>,
    /// The value is a whole number in a range (digits only, checked by `chars`).
    pub integer: Option<IntegerRange>,
    /// AWS's own error text for this rule, quoted at the head of messages.
    pub aws_message: Option<&'static str>,
}

/// Which non-ASCII characters a rule allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonAscii {
    None,
    /// Unicode letters, numbers and separators (`\p{L}\p{N}\p{Z}`), as in tag keys and values.
    LettersNumbersSpaces,
}

/// A narrower character set a profile imposes on top of AWS's (Amazon Connect usernames).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Narrower {
    pub chars: CharSet,
    pub code: Code,
    /// The allowed characters in words.
    pub chars_text: &'static str,
    /// Who refuses the other characters.
    pub authority: &'static str,
    /// Why the narrower set applies, a sentence.
    pub why: &'static str,
}

/// An inclusive range of whole numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegerRange {
    pub min: u64,
    pub max: u64,
    pub code: Code,
    /// The unit, for messages.
    pub unit: &'static str,
}

/// RoleSessionName and SourceIdentity: `[A-Za-z0-9_+=,.@-]`, ASCII only (never Unicode `\w`).
const SESSION_NAME: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"_+=,.@-"));
/// Amazon Connect usernames: STS's set without `+ = ,`. Amazon Connect also documents `@` only
/// in an email-address form (`jdoe@example.com`); that is not enforced, since Service Cloud
/// Voice's own default username `Alias@UserId@OrgId` holds two `@` and works (Service Cloud Voice
/// creates the users itself). A200's explanation says so.
const CONNECT_USERNAME: CharSet = CharSet::ALNUM.union(CharSet::of_bytes(b"_.@-"));
/// The ASCII part of `[\p{L}\p{Z}\p{N}_.:/=+\-@]`, plus "some non-ASCII".
const TAG: CharSet = CharSet::ALNUM
    .union(CharSet::of_bytes(b" _.:/=+-@"))
    .with_non_ascii();

const RSN_AWS: &str = "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}";
const SOURCE_IDENTITY_AWS: &str =
    "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"";
const SESSION_NAME_WORDS: &str = "ASCII letters, digits and `_ + = , . @ -`";
const TAG_WORDS: &str = "letters, digits, spaces and `_ . : / = + - @`";

const ROLE_SESSION_NAME: TextRule = TextRule {
    what: "RoleSessionName",
    min_len: 2,
    max_len: 64,
    chars: SESSION_NAME,
    non_ascii: NonAscii::None,
    chars_text: SESSION_NAME_WORDS,
    authority: "AWS",
    forbidden_prefix: None,
    len_code: Code::RoleSessionNameLength,
    chars_code: Code::RoleSessionNameCharacters,
    blank_code: Code::RoleSessionNameLength,
    prefix_code: Code::ReservedAwsPrefix,
    narrower: None,
    integer: None,
    aws_message: Some(RSN_AWS),
};

const CONNECT: Narrower = Narrower {
    chars: CONNECT_USERNAME,
    code: Code::ConnectUsernameCharacters,
    chars_text: "ASCII letters, digits and `_ . @ -`",
    authority: "Amazon Connect",
    why: "under the amazon-connect profile the RoleSessionName is the Amazon Connect username, and a user with these characters cannot be created",
};

const SESSION_DURATION: TextRule = TextRule {
    what: "SessionDuration",
    min_len: 3,
    max_len: 5,
    chars: CharSet::DIGITS,
    non_ascii: NonAscii::None,
    chars_text: "digits",
    authority: "AWS",
    forbidden_prefix: None,
    len_code: Code::SessionDurationRange,
    chars_code: Code::SessionDurationNotInteger,
    blank_code: Code::SessionDurationNotInteger,
    prefix_code: Code::ReservedAwsPrefix,
    narrower: None,
    integer: Some(IntegerRange {
        min: 900,
        max: 43200,
        code: Code::SessionDurationRange,
        unit: "seconds",
    }),
    aws_message: None,
};

const TAG_KEY: TextRule = TextRule {
    what: "tag key",
    min_len: 1,
    max_len: 128,
    chars: TAG,
    non_ascii: NonAscii::LettersNumbersSpaces,
    chars_text: TAG_WORDS,
    authority: "AWS",
    forbidden_prefix: Some("aws:"),
    len_code: Code::TagKeyLength,
    chars_code: Code::TagKeyCharacters,
    blank_code: Code::TagKeyLength,
    prefix_code: Code::ReservedAwsPrefix,
    narrower: None,
    integer: None,
    aws_message: None,
};

const TAG_VALUE: TextRule = TextRule {
    what: "tag value",
    min_len: 0,
    max_len: 256,
    len_code: Code::TagValueLength,
    chars_code: Code::TagValueCharacters,
    blank_code: Code::TagValueLength,
    ..TAG_KEY
};

const SOURCE_IDENTITY: TextRule = TextRule {
    what: "SourceIdentity",
    forbidden_prefix: Some("aws:"),
    len_code: Code::SourceIdentityLength,
    chars_code: Code::SourceIdentityCharacters,
    blank_code: Code::SourceIdentityLength,
    aws_message: Some(SOURCE_IDENTITY_AWS),
    ..ROLE_SESSION_NAME
};

/// The rule a single value of `attr` follows under `profile`; `None` for Role (a pair of ARNs,
/// not one text) and under [`Profile::None`]. A PrincipalTag's rule is its value's; a
/// TransitiveTagKeys value is a tag key.
pub fn text_rule(attr: &Attribute, profile: Profile) -> Option<TextRule> {
    if !profile.aws_rules() {
        return None;
    }
    Some(match attr.kind() {
        Kind::Role => return None,
        Kind::RoleSessionName if profile.connect_rules() => TextRule {
            narrower: Some(CONNECT),
            ..ROLE_SESSION_NAME
        },
        Kind::RoleSessionName => ROLE_SESSION_NAME,
        Kind::SessionDuration => SESSION_DURATION,
        Kind::PrincipalTag => TAG_VALUE,
        Kind::TransitiveTagKeys => TAG_KEY,
        Kind::SourceIdentity => SOURCE_IDENTITY,
    })
}

/// Checks a session tag key (the part of a PrincipalTag's name after `PrincipalTag:`); spans
/// relative to the key.
pub fn check_tag_key(key: &str) -> Vec<Diagnostic> {
    check_text(&TAG_KEY, key)
}

/// Non-ASCII letters, numbers and separators: the part of `[\p{L}\p{Z}\p{N}]` beyond ASCII.
static LETTER_NUMBER_SPACE: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"^[\p{L}\p{Z}\p{N}]$").expect("a valid class"));

impl TextRule {
    /// Whether the rule (without a profile's narrowing) allows `c`.
    pub fn allows(&self, c: char) -> bool {
        if c.is_ascii() {
            return self.chars.contains(c);
        }
        match self.non_ascii {
            NonAscii::None => false,
            NonAscii::LettersNumbersSpaces => {
                LETTER_NUMBER_SPACE.is_match(c.encode_utf8(&mut [0; 4]))
            }
        }
    }

    /// `message` led by AWS's own text when AWS shows one.
    fn message(&self, message: String) -> String {
        match self.aws_message {
            Some(aws) => format!("{aws}: {message}"),
            None => message,
        }
    }
}

/// Checks one text against `rule`; spans are byte offsets into `text`. A blank text stops at
/// the blank diagnostic, an integer rule at its characters or range; otherwise the prefix,
/// length and character problems are each reported once, characters with a label per
/// offending character (at most ten).
pub fn check_text(rule: &TextRule, text: &str) -> Vec<Diagnostic> {
    if passes_quickly(rule, text) {
        return Vec::new();
    }
    let mut out = Vec::new();
    if text.is_empty() {
        if rule.min_len > 0 {
            out.push(
                Diagnostic::new(
                    rule.blank_code,
                    rule.message(format!("the {} is blank", rule.what)),
                )
                .at_labelled(Span::new(0, 0), "blank")
                .with_help(format!(
                    "give it a value: {} to {} {}",
                    rule.min_len, rule.max_len, rule.chars_text
                )),
            );
        }
        return out;
    }
    if let Some(prefix) = rule.forbidden_prefix
        && text
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    {
        out.push(
            Diagnostic::new(
                rule.prefix_code,
                rule.message(format!("the {} begins with `{prefix}`", rule.what)),
            )
            .at_labelled(Span::new(0, prefix.len()), "reserved for AWS")
            .with_help(format!(
                "`{prefix}` is reserved in any letter case; use another prefix"
            )),
        );
    }
    let bad = offenders(text, |c| rule.allows(c));
    if !bad.is_empty() {
        out.push(characters(
            rule,
            rule.chars_code,
            &bad,
            rule.chars_text,
            rule.authority,
        ));
    }
    if let Some(range) = rule.integer {
        if bad.is_empty() {
            out.extend(check_range(rule, &range, text));
        }
        return out;
    }
    let units = text.encode_utf16().count();
    if units < rule.min_len as usize {
        out.push(
            Diagnostic::new(
                rule.len_code,
                rule.message(format!(
                    "the {} is {units} character{} long; it must have at least {}",
                    rule.what,
                    plural(units),
                    rule.min_len
                )),
            )
            .at_labelled(Span::new(0, text.len()), "too short")
            .with_help(format!(
                "make it {} to {} characters",
                rule.min_len, rule.max_len
            )),
        );
    } else if units > rule.max_len as usize {
        let cut = byte_after_units(text, rule.max_len as usize);
        out.push(
            Diagnostic::new(
                rule.len_code,
                rule.message(format!(
                    "the {} is {units} characters long; at most {} are allowed",
                    rule.what, rule.max_len
                )),
            )
            .at_labelled(
                Span::new(cut, text.len()),
                format!("beyond character {}", rule.max_len),
            )
            .with_help(format!(
                "shorten it to {} characters, in a formula with LEFT(…, {})",
                rule.max_len, rule.max_len
            ))
            .with_note("lengths are counted in UTF-16 units, as AWS and Salesforce count them"),
        );
    }
    if let Some(narrower) = rule.narrower {
        let bad = offenders(text, |c| !rule.allows(c) || narrower.chars.contains(c));
        if !bad.is_empty() {
            out.push(
                characters(
                    rule,
                    narrower.code,
                    &bad,
                    narrower.chars_text,
                    narrower.authority,
                )
                .with_note(narrower.why),
            );
        }
    }
    out
}

/// Whether `text` certainly breaks none of `rule`'s checks: an ASCII text of allowed length
/// whose every byte both the rule and its narrower set allow, with no reserved prefix, and no
/// number range to compare. The common case of an audit of many users, decided with one pass
/// over the bytes and no allocation; anything else takes the full check.
fn passes_quickly(rule: &TextRule, text: &str) -> bool {
    quick_shape(rule, text) && quick_chars(rule).admits_ascii(text.as_bytes())
}

/// The quick pass but for the characters: no number range, a length in bounds, no reserved
/// prefix.
fn quick_shape(rule: &TextRule, text: &str) -> bool {
    let n = text.len();
    rule.integer.is_none()
        && n >= rule.min_len.max(1) as usize
        && n <= rule.max_len as usize
        && rule.forbidden_prefix.is_none_or(|p| {
            !text
                .get(..p.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(p))
        })
}

/// The characters the quick pass accepts: those the rule and its narrower both allow.
fn quick_chars(rule: &TextRule) -> CharSet {
    match rule.narrower {
        Some(nr) => rule.chars.intersection(nr.chars),
        None => rule.chars,
    }
}

/// [`check_text`] prepared for many values of one rule (an audit's users): the characters the
/// quick pass accepts as a byte table, built once, so a value that passes costs a table lookup
/// per byte.
#[derive(Clone, Debug)]
pub struct PreparedText {
    rule: TextRule,
    /// Whether the quick pass accepts each byte: ASCII that the rule and its narrower allow.
    allowed: [bool; 256],
}

impl PreparedText {
    pub fn new(rule: TextRule) -> PreparedText {
        let chars = quick_chars(&rule);
        let allowed = std::array::from_fn(|b| b < 128 && chars.contains(char::from(b as u8)));
        PreparedText { rule, allowed }
    }

    /// Whether `text` certainly has no finding: [`check_text`]'s quick pass, by the table.
    pub fn passes(&self, text: &str) -> bool {
        quick_shape(&self.rule, text)
            // Every byte, without stopping early: the loop the compiler unrolls best.
            && text
                .bytes()
                .fold(true, |ok, b| ok & self.allowed[usize::from(b)])
    }

    /// The same findings as [`check_text`] gives for `text`.
    pub fn check(&self, text: &str) -> Vec<Diagnostic> {
        if self.passes(text) {
            Vec::new()
        } else {
            self.worded(text)
        }
    }

    /// The findings of a text that failed the quick pass, worded in full.
    pub(super) fn worded(&self, text: &str) -> Vec<Diagnostic> {
        check_text(&self.rule, text)
    }

    /// Writes to `key` a text with exactly the findings of `text`, for a memo of findings
    /// (an audit meets the same few mistakes in many users): each byte the quick pass accepts
    /// becomes one same such byte, since the checks treat them all alike (allowed, one unit
    /// long), and every other byte, the reserved prefix's included, is kept. `false` when the
    /// findings depend on the value itself (a number range).
    pub fn findings_key(&self, text: &str, key: &mut Vec<u8>) -> bool {
        let Some(same) = (0..128u8).find(|&b| self.allowed[usize::from(b)]) else {
            return false;
        };
        if self.rule.integer.is_some() {
            return false;
        }
        let keep = self.rule.forbidden_prefix.map_or(0, str::len);
        key.clear();
        key.extend(text.bytes().enumerate().map(|(i, b)| {
            if i >= keep && self.allowed[usize::from(b)] {
                same
            } else {
                b
            }
        }));
        true
    }
}

/// The characters of `text` that `ok` refuses, with their byte ranges.
fn offenders(text: &str, ok: impl Fn(char) -> bool) -> Vec<(char, Span)> {
    text.char_indices()
        .filter(|&(_, c)| !ok(c))
        .map(|(i, c)| (c, Span::new(i, i + c.len_utf8())))
        .collect()
}

/// One diagnostic for every offending character: the first is the primary span, the next nine
/// are labels.
fn characters(
    rule: &TextRule,
    code: Code,
    bad: &[(char, Span)],
    allowed: &str,
    authority: &str,
) -> Diagnostic {
    let set = bad.iter().fold(CharSet::EMPTY, |s, &(c, _)| s.with(c));
    let what = match bad {
        [(c, _)] => named(*c),
        _ => set.describe(6),
    };
    let message = if code == rule.chars_code {
        rule.message(format!("the {} contains {what}", rule.what))
    } else {
        format!(
            "the {} contains {what}, which {authority} refuses",
            rule.what
        )
    };
    let (first, rest) = bad.split_first().expect("at least one character");
    let mut d = Diagnostic::new(code, message)
        .at_labelled(first.1, format!("{} is not allowed", named(first.0)))
        .with_help(format!(
            "use only {allowed}; in a formula, SUBSTITUTE() the character out or use fields that cannot hold it"
        ));
    for &(c, span) in rest.iter().take(9) {
        d = d.with_label(span, format!("{} is not allowed", named(c)));
    }
    d
}

/// A character as messages name it: `a space`, `'/'`, `U+0009`, `'é' (non-ASCII)`.
fn named(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("U+{:04X}", c as u32),
        c if c.is_ascii() => format!("'{c}'"),
        c => format!("'{c}' (non-ASCII, U+{:04X})", c as u32),
    }
}

fn check_range(rule: &TextRule, range: &IntegerRange, digits: &str) -> Option<Diagnostic> {
    let n: Option<u64> = digits.parse().ok();
    if n.is_some_and(|n| (range.min..=range.max).contains(&n)) {
        return None;
    }
    Some(
        Diagnostic::new(
            range.code,
            rule.message(format!(
                "the {} is {digits} {}; it must be from {} to {}",
                rule.what, range.unit, range.min, range.max
            )),
        )
        .at_labelled(Span::new(0, digits.len()), "out of range")
        .with_help(format!(
            "use a whole number from {} ({} minutes) to {} ({} hours)",
            range.min,
            range.min / 60,
            range.max,
            range.max / 3600
        )),
    )
}

/// The byte offset in `text` where its first `units` UTF-16 units end (a character that straddles
/// the bound ends after it).
fn byte_after_units(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
