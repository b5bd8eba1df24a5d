//! Static checks: an attribute's [`TextRule`] applied to the [`TextShape`] of its formula, with
//! no user data. When every value the formula can produce breaks the rule, that is an error;
//! when some values may break it, a warning naming the parts of the formula responsible; when
//! nothing can be proved, silence.

use samlfx_diag::{Code, Diagnostic, Severity, Span};
use samlfx_formula::shape::{CharSet, Origin, OriginKind, TextShape};

use crate::rules::TextRule;

/// How many offending characters a message names before it says "…".
const NAMED_CHARS: usize = 6;

/// The findings for one attribute (`name`, as users know it: `RoleSessionName`) whose formula
/// has `shape`. Spans are those of the formula's parts.
pub fn check_shape(name: &str, rule: &TextRule, shape: &TextShape) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    blankness(name, rule, shape, &mut out);
    if shape.is_always_blank() {
        return out;
    }
    length(name, rule, shape, &mut out);
    characters(name, rule, shape, &mut out);
    out
}

fn with_aws_note(d: Diagnostic, rule: &TextRule) -> Diagnostic {
    match rule.aws_message {
        Some(m) => d.with_note(format!("AWS rejects the sign-in with: {m}")),
        None => d,
    }
}

/// The first place labelled becomes the primary span, the others secondary labels.
fn label(d: Diagnostic, span: Span, text: String) -> Diagnostic {
    if d.span.is_none() {
        d.at_labelled(span, text)
    } else {
        d.with_label(span, text)
    }
}

/// Labels every origin that `pick` selects, with the text `label` gives it.
fn labelled(
    d: Diagnostic,
    shape: &TextShape,
    pick: impl Fn(&Origin) -> bool,
    text: impl Fn(&Origin) -> String,
) -> Diagnostic {
    shape
        .origins
        .iter()
        .filter(|o| pick(o))
        .fold(d, |d, o| label(d, o.span, text(o)))
}

fn blankness(name: &str, rule: &TextRule, shape: &TextShape, out: &mut Vec<Diagnostic>) {
    if rule.min_len == 0 || !shape.may_be_blank {
        return;
    }
    if shape.is_always_blank() {
        out.push(with_aws_note(
            Diagnostic::new(rule.blank_code, format!("{name} is always blank"))
                .with_severity(Severity::Error)
                .with_help(format!(
                    "give {name} a value: AWS needs at least {} characters",
                    rule.min_len
                )),
            rule,
        ));
        return;
    }
    let blanks: Vec<&Origin> = shape.origins.iter().filter(|o| o.may_be_blank).collect();
    let when = blanks
        .iter()
        .filter(|o| o.kind == OriginKind::Field)
        .map(|o| o.name.as_str())
        .collect::<Vec<_>>();
    let message = if when.is_empty() {
        format!("{name} may be blank")
    } else {
        format!("{name} may be blank when {} is empty", when.join(" and "))
    };
    let d = Diagnostic::new(rule.blank_code, message)
        .with_severity(Severity::Warning)
        .with_help("supply a fallback for users without a value: BLANKVALUE(field, $User.Id)");
    let d = labelled(d, shape, |o| o.may_be_blank, |_| "may be blank".to_owned());
    out.push(with_aws_note(d, rule));
}

fn length(name: &str, rule: &TextRule, shape: &TextShape, out: &mut Vec<Diagnostic>) {
    // A number's upper length bound holds only without leading zeros (`000900` is 900): its
    // range is checked on the value.
    let max = if rule.integer.is_some() {
        u32::MAX
    } else {
        rule.max_len
    };
    let min = rule.min_len;
    let contributors = |d: Diagnostic| {
        labelled(
            d,
            shape,
            |o| o.max_len.is_some_and(|m| m > 0),
            |o| match o.max_len {
                Some(1) => format!("{}: 1 character", o.name),
                Some(m) if o.kind == OriginKind::Literal => format!("{} characters", m),
                Some(m) => format!("{} can be {m} characters", o.name),
                None => format!("{}: no limit", o.name),
            },
        )
    };
    if shape.min_len > max {
        let d = Diagnostic::new(
            rule.len_code,
            format!(
                "{name} is always at least {} characters, but AWS allows at most {max}",
                shape.min_len
            ),
        )
        .with_severity(Severity::Error)
        .with_help(format!(
            "shorten the formula's value to at most {max} characters"
        ));
        out.push(with_aws_note(contributors(d), rule));
    } else if let Some(longest) = shape.max_len.filter(|&m| m > max) {
        let biggest = shape
            .origins
            .iter()
            .filter(|o| o.kind == OriginKind::Field)
            .max_by_key(|o| o.max_len.unwrap_or(u32::MAX));
        let because = biggest
            .and_then(|o| o.max_len.map(|m| format!(" ({} can be {m})", o.name)))
            .unwrap_or_default();
        let d = Diagnostic::new(
            rule.len_code,
            format!(
                "{name} may be up to {longest} characters{because}, but AWS allows {max}"
            ),
        )
        .with_severity(Severity::Warning)
        .with_help(format!(
            "keep the value within {max} characters, e.g. LEFT(…, {max}), or build it from shorter fields such as $User.Id"
        ));
        out.push(with_aws_note(contributors(d), rule));
    } else if shape.max_len.is_some_and(|m| m < min) {
        let d = Diagnostic::new(
            rule.len_code,
            format!(
                "{name} is at most {} characters, but AWS needs at least {min}",
                shape.max_len.unwrap_or(0)
            ),
        )
        .with_severity(Severity::Error)
        .with_help(format!("make the value at least {min} characters long"));
        out.push(with_aws_note(contributors(d), rule));
    } else if shape.min_len < min {
        let d = Diagnostic::new(
            rule.len_code,
            format!(
                "{name} may be as short as {} character{}, but AWS needs at least {min}",
                shape.min_len,
                if shape.min_len == 1 { "" } else { "s" }
            ),
        )
        .with_severity(Severity::Warning)
        .with_help(format!(
            "make sure the value has at least {min} characters, e.g. by adding a fixed prefix"
        ));
        out.push(with_aws_note(contributors(d), rule));
    }
}

/// One set of allowed characters and who enforces it: AWS's own, or a profile's narrower one.
struct Allowed<'a> {
    chars: CharSet,
    code: Code,
    authority: &'a str,
    chars_text: &'a str,
    /// Only these characters are judged: a narrower set leaves what AWS refuses to AWS's pass.
    within: CharSet,
    /// AWS's own text, quoted when AWS is the one refusing.
    aws: bool,
    note: Option<&'a str>,
}

fn characters(name: &str, rule: &TextRule, shape: &TextShape, out: &mut Vec<Diagnostic>) {
    let aws = Allowed {
        chars: rule.chars,
        code: rule.chars_code,
        authority: rule.authority,
        chars_text: rule.chars_text,
        within: CharSet::ANY,
        aws: true,
        note: None,
    };
    characters_against(name, rule, &aws, shape, out);
    if let Some(n) = rule.narrower {
        let narrower = Allowed {
            chars: n.chars,
            code: n.code,
            authority: n.authority,
            chars_text: n.chars_text,
            within: rule.chars,
            aws: false,
            note: Some(n.why),
        };
        characters_against(name, rule, &narrower, shape, out);
    }
}

fn characters_against(
    name: &str,
    rule: &TextRule,
    allowed: &Allowed<'_>,
    shape: &TextShape,
    out: &mut Vec<Diagnostic>,
) {
    let noted = |d: Diagnostic| match (allowed.aws, allowed.note) {
        (true, _) => with_aws_note(d, rule),
        (false, Some(n)) => d.with_note(n),
        (false, None) => d,
    };
    let always_bad = shape
        .always
        .intersection(allowed.within)
        .minus(allowed.chars);
    if !always_bad.is_empty() {
        let d = Diagnostic::new(
            allowed.code,
            format!(
                "{name} always contains {}, which {} refuses",
                always_bad.describe(NAMED_CHARS),
                allowed.authority
            ),
        )
        .with_severity(Severity::Error)
        .with_help(format!(
            "remove {} from the formula; {name} may hold only {}",
            always_bad.describe(NAMED_CHARS),
            allowed.chars_text
        ));
        // Each offending character of a literal is pointed at, at its own bytes.
        let mut d = d;
        for o in shape.origins.iter() {
            let bad = o.always.intersection(always_bad);
            if bad.is_empty() {
                continue;
            }
            for span in o.spans_of(bad, NAMED_CHARS) {
                d = label(
                    d,
                    span,
                    format!("always holds {}", bad.describe(NAMED_CHARS)),
                );
            }
        }
        out.push(noted(d));
        return;
    }
    let may_bad = shape
        .chars
        .intersection(allowed.within)
        .minus(allowed.chars);
    if may_bad.is_empty() {
        return;
    }
    let responsible: Vec<&Origin> = shape
        .origins
        .iter()
        .filter(|o| !o.chars.intersection(may_bad).is_empty())
        .collect();
    let from = responsible
        .iter()
        .map(|o| o.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let d = Diagnostic::new(
        allowed.code,
        format!(
            "{name} may contain characters {} refuses: {} (from {from})",
            allowed.authority,
            may_bad.describe(NAMED_CHARS),
        ),
    )
    .with_severity(Severity::Warning)
    .with_help(help_for_characters(
        name,
        allowed.chars_text,
        may_bad,
        &responsible,
    ));
    let d = labelled(
        d,
        shape,
        |o| !o.chars.intersection(may_bad).is_empty(),
        |o| {
            let bad = o.chars.intersection(may_bad);
            if bad == may_bad && bad.is_subset_of(CharSet::ANY) && bad.has_non_ascii() {
                format!("{} may hold {}", o.name, describe_any(bad))
            } else {
                format!("{} may hold {}", o.name, bad.describe(NAMED_CHARS))
            }
        },
    );
    out.push(noted(d));
}

/// "any character" for the sets that are nearly everything, a list otherwise.
fn describe_any(set: CharSet) -> String {
    if set.ascii_chars().count() > 64 {
        "almost any character".to_owned()
    } else {
        set.describe(NAMED_CHARS)
    }
}

/// The help of a "may contain" finding; `bad` is the set of characters it names. The formula it
/// suggests for an Alias removes exactly those characters when they are few enough to list,
/// else a space when a space is among them.
fn help_for_characters(name: &str, allowed: &str, bad: CharSet, responsible: &[&Origin]) -> String {
    let alias = responsible.iter().any(|o| o.name == "$User.Alias");
    if alias {
        let sanitise = match removing("$User.Alias", bad) {
            Some(formula) => format!("or remove them in the formula: {formula}"),
            None if bad.contains(' ') => {
                "or sanitise in the formula, e.g. SUBSTITUTE($User.Alias, ' ', '_') for spaces"
                    .to_owned()
            }
            None => "or sanitise in the formula with SUBSTITUTE()".to_owned(),
        };
        format!(
            "Salesforce lets an Alias hold any character, but {name} may hold only {allowed}: fix the aliases that hold others (`samlfx audit` lists the users), {sanitise}"
        )
    } else {
        format!(
            "{name} may hold only {allowed}: sanitise the value (SUBSTITUTE(), or LEFT/RIGHT of a field that holds only those), or build it from fields that do, such as $User.Id"
        )
    }
}

/// At most this many characters are removed by a suggested formula, one SUBSTITUTE each.
const MAX_SUBSTITUTES: usize = 4;

/// `field` with every character of `bad` removed, one nested SUBSTITUTE per character
/// (`SUBSTITUTE(SUBSTITUTE($User.Alias, '+', ''), ',', '')`): `None` when `bad` holds non-ASCII
/// or control characters, or more than [`MAX_SUBSTITUTES`].
fn removing(field: &str, bad: CharSet) -> Option<String> {
    let chars: Vec<char> = bad.ascii_chars().collect();
    if bad.has_non_ascii()
        || chars.is_empty()
        || chars.len() > MAX_SUBSTITUTES
        || chars.iter().any(char::is_ascii_control)
    {
        return None;
    }
    Some(chars.into_iter().fold(field.to_owned(), |inner, c| {
        let literal = match c {
            '\'' => "\\'".to_owned(),
            '\\' => "\\\\".to_owned(),
            c => c.to_string(),
        };
        format!("SUBSTITUTE({inner}, '{literal}', '')")
    }))
}

#[cfg(test)]
mod tests {
    use samlfx_diag::Code::*;
    use samlfx_formula::program::{CompileOptions, Program};
    use samlfx_formula::shape::ShapeOptions;

    use super::*;
    use crate::attribute::{Attribute, Kind};
    use crate::profile::Profile;
    use crate::rules::text_rule;

    /// The static findings for `formula` as the attribute `kind` under `profile`.
    fn findings(kind: Kind, formula: &str, profile: Profile) -> Vec<Diagnostic> {
        let compiled = Program::compile(formula, &CompileOptions::default());
        let program = compiled.program.expect("compiles");
        let shape = program.text_shape(&ShapeOptions::default()).expect("text");
        let attr = Attribute::of(kind, "");
        let rule = text_rule(&attr, profile).expect("a text rule");
        check_shape(&attr.short_name(), &rule, &shape)
    }

    fn codes(ds: &[Diagnostic]) -> Vec<(Code, Severity)> {
        ds.iter().map(|d| (d.code, d.severity)).collect()
    }

    #[test]
    fn the_seed_formula_is_within_length_and_warned_for_alias_characters_under_connect() {
        let f = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
        let aws = findings(Kind::RoleSessionName, f, Profile::Aws);
        assert!(
            aws.iter().all(|d| d.code != RoleSessionNameLength),
            "{aws:?}"
        );
        let connect = findings(Kind::RoleSessionName, f, Profile::AmazonConnect);
        let d = connect
            .iter()
            .find(|d| d.code == ConnectUsernameCharacters)
            .unwrap_or_else(|| panic!("{connect:?}"));
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("$User.Alias"), "{}", d.message);
        assert!(d.help.as_deref().unwrap().contains("samlfx audit"));
        assert!(d.notes[0].contains("Amazon Connect username"));
    }

    /// Evaluates `formula` for a user whose Alias is `alias`.
    fn eval_for_alias(formula: &str, alias: &str) -> String {
        use samlfx_formula::runtime::{Context, ContextOptions};
        let program = Program::compile(formula, &CompileOptions::default())
            .program
            .unwrap_or_else(|| panic!("{formula} compiles"));
        let mut ctx = Context::new(ContextOptions::default());
        ctx.set(&format!("$User.Alias={alias}")).unwrap();
        program.eval(&ctx).unwrap().to_output().unwrap_or_default()
    }

    /// A200 names the characters Amazon Connect refuses in a username that AWS allows
    /// (`+ , =`: "CreateUser", Amazon Connect API Reference,
    /// https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html, against
    /// "AssumeRoleWithSAML", AWS STS API Reference,
    /// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html). The
    /// formula its help suggests removes exactly those: evaluated, nothing of them is left, and
    /// the formula then passes the rule.
    #[test]
    fn the_suggested_substitute_removes_what_the_finding_names() {
        let f = "$User.Alias & '@' & $User.Id & '@' & $Organization.Id";
        let connect = findings(Kind::RoleSessionName, f, Profile::AmazonConnect);
        let d = connect
            .iter()
            .find(|d| d.code == ConnectUsernameCharacters)
            .unwrap();
        assert!(d.message.contains("'+', ',', '='"), "{}", d.message);
        let help = d.help.as_deref().unwrap();
        let suggested = help
            .split_once("remove them in the formula: ")
            .unwrap_or_else(|| panic!("{help}"))
            .1;
        assert_eq!(
            suggested,
            "SUBSTITUTE(SUBSTITUTE(SUBSTITUTE($User.Alias, '+', ''), ',', ''), '=', '')"
        );
        assert_eq!(eval_for_alias(suggested, "j+d,o=e"), "jdoe");
        let fixed = f.replace("$User.Alias", suggested);
        let again = findings(Kind::RoleSessionName, &fixed, Profile::AmazonConnect);
        assert!(
            again.iter().all(|d| d.code != ConnectUsernameCharacters),
            "{again:?}"
        );
        // Quotes and backslashes are escaped in the suggested literals.
        let quoted = removing("$User.Alias", CharSet::of_bytes(b"'\\")).unwrap();
        assert_eq!(eval_for_alias(&quoted, "a'b\\c"), "abc");
        // Too many to list: no formula, and AWS's own finding names the space it removes.
        assert_eq!(removing("$User.Alias", CharSet::of_bytes(b"!#$%&")), None);
        let aws = findings(Kind::RoleSessionName, f, Profile::Aws);
        let help = aws[0].help.as_deref().unwrap();
        assert!(
            help.ends_with("e.g. SUBSTITUTE($User.Alias, ' ', '_') for spaces"),
            "{help}"
        );
        assert!(aws[0].message.contains("space"), "{}", aws[0].message);
    }

    #[test]
    fn ids_alone_are_safe_under_both_profiles() {
        let f = "$User.Id & '@' & $Organization.Id";
        assert_eq!(
            codes(&findings(Kind::RoleSessionName, f, Profile::Aws)),
            vec![]
        );
        assert_eq!(
            codes(&findings(Kind::RoleSessionName, f, Profile::AmazonConnect)),
            vec![]
        );
    }

    #[test]
    fn a_literal_space_is_always_refused_by_aws_not_by_the_profile() {
        let f = "$User.Id & ' ' & $Organization.Id";
        for profile in [Profile::Aws, Profile::AmazonConnect] {
            assert_eq!(
                codes(&findings(Kind::RoleSessionName, f, profile)),
                vec![(RoleSessionNameCharacters, Severity::Error)],
                "{profile}"
            );
        }
        let plus = "$User.Id & '+' & $Organization.Id";
        assert_eq!(
            codes(&findings(Kind::RoleSessionName, plus, Profile::Aws)),
            vec![]
        );
        assert_eq!(
            codes(&findings(
                Kind::RoleSessionName,
                plus,
                Profile::AmazonConnect
            )),
            vec![(ConnectUsernameCharacters, Severity::Error)]
        );
    }

    #[test]
    fn names_with_a_space_and_long_usernames() {
        let names = findings(
            Kind::RoleSessionName,
            "$User.FirstName & ' ' & $User.LastName",
            Profile::Aws,
        );
        assert!(
            names
                .iter()
                .any(|d| d.code == RoleSessionNameCharacters && d.severity == Severity::Error),
            "{names:?}"
        );
        let username = "LOWER($User.Username)";
        let aws = findings(Kind::RoleSessionName, username, Profile::Aws);
        assert!(
            aws.iter().any(|d| d.code == RoleSessionNameLength),
            "{aws:?}"
        );
        let connect = findings(Kind::RoleSessionName, username, Profile::AmazonConnect);
        assert!(
            connect.iter().any(|d| d.code == ConnectUsernameCharacters),
            "{connect:?}"
        );
    }

    #[test]
    fn a_session_duration_with_a_decimal_point_is_not_an_integer() {
        let ds = findings(Kind::SessionDuration, "'3600.0'", Profile::Aws);
        assert_eq!(
            codes(&ds),
            vec![(SessionDurationNotInteger, Severity::Error)]
        );
    }
}
