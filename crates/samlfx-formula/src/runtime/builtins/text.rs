//! Text functions. Positions and lengths count UTF-16 code units, as Java's `String` does.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use regex::Regex;

use super::super::Fault;
use super::java_regex::{RegexProblem, translate};
use super::number::{int, to_int, whole_text};
use super::{MAX_TEXT_CHARS, arg, num, too_long, txt};
use crate::Value;
use crate::catalog::Func;
use samlfx_diag::Code;

pub fn call(func: Func, args: &[Value]) -> Result<Value, Fault> {
    use crate::Value;
    use Func::*;
    let s = txt(args, 0);
    Ok(match func {
        Len => Value::Number(int(s.map_or(0, units_len) as i64)),
        Left | Right => {
            let (Some(s), Some(n)) = (s, num(args, 1)) else {
                return Ok(Value::Null);
            };
            let n = to_int(n);
            let len = units_len(s) as i64;
            if n <= 0 {
                Value::Null
            } else if n >= len {
                Value::text(s)
            } else if func == Left {
                Value::text(slice(s, 0, n as usize))
            } else {
                Value::text(slice(s, (len - n) as usize, len as usize))
            }
        }
        Mid => {
            let (Some(s), Some(start), Some(n)) = (s, num(args, 1), num(args, 2)) else {
                return Ok(Value::Null);
            };
            let len = units_len(s) as i64;
            let start = to_int(start).max(1) - 1;
            let n = to_int(n);
            if n <= 0 || start >= len {
                Value::Null
            } else {
                let end = start.saturating_add(n).min(len);
                Value::text(slice(s, start as usize, end as usize))
            }
        }
        Substr => {
            let (Some(s), Some(start)) = (s, num(args, 1)) else {
                return Ok(Value::Null);
            };
            let len = units_len(s) as i64;
            let start = to_int(start);
            let from = if start < 0 {
                len + start
            } else {
                (start - 1).max(0)
            };
            if from < 0 || from >= len {
                return Ok(Value::Null);
            }
            let end = match args.get(2) {
                None => len,
                Some(Value::Number(n)) => {
                    let n = to_int(n);
                    if n <= 0 {
                        return Ok(Value::Null);
                    }
                    from.saturating_add(n).min(len)
                }
                Some(_) => return Ok(Value::Null),
            };
            Value::text(slice(s, from as usize, end as usize))
        }
        Find => {
            let (Some(needle), Some(hay)) = (s, txt(args, 1)) else {
                return Ok(Value::Number(int(0)));
            };
            let start = match args.get(2) {
                Some(Value::Number(n)) => to_int(n).max(1),
                _ => 1,
            };
            Value::Number(int(find(hay, needle, start)))
        }
        Begins | Contains => match (s, txt(args, 1)) {
            (_, None) => Value::Boolean(true),
            (None, Some(_)) => Value::Null,
            (Some(a), Some(b)) => Value::Boolean(if func == Begins {
                a.starts_with(b)
            } else {
                a.contains(b)
            }),
        },
        Substitute => {
            let (Some(s), Some(old)) = (s, txt(args, 1)) else {
                return Ok(Value::Null);
            };
            let new = txt(args, 2).unwrap_or("");
            substitute(s, old, new)?
        }
        Trim => s.map_or(Value::Null, |s| Value::text(s.trim_matches(' '))),
        Upper | Lower => {
            let Some(s) = s else {
                return Ok(Value::Null);
            };
            let turkic = txt(args, 1).is_some_and(|l| {
                let l = l.to_ascii_lowercase();
                l == "tr" || l == "az" || l.starts_with("tr_") || l.starts_with("az_")
            });
            Value::text(change_case(s, func == Upper, turkic))
        }
        Lpad | Rpad => {
            let (Some(s), Some(n)) = (s, num(args, 1)) else {
                return Ok(Value::Null);
            };
            let pad = match args.get(2) {
                None => Some(" "),
                Some(v) => match v {
                    Value::Text(p) => Some(&**p),
                    _ => None,
                },
            };
            pad_text(s, n, pad, func == Lpad)?
        }
        Func::Value => match s {
            None => Value::Null,
            Some(s) => Value::Number(parse_number(s).ok_or_else(|| {
                Fault::new(
                    Code::InvalidValue,
                    format!("The value '{s}' is not a valid number."),
                )
                .with_help("check the text with ISNUMBER() first, or supply a default with IF")
            })?),
        },
        IsNumber => Value::Boolean(s.is_some_and(|s| parse_number(s).is_some())),
        Regex => {
            let text = s.unwrap_or("");
            let pattern = txt(args, 1).unwrap_or("");
            Value::Boolean(regex_full_match(text, pattern)?)
        }
        CaseSafeId => s.map_or(Value::Null, |s| Value::text(crate::id::case_safe(s))),
        Br => Value::text("<br>"),
        Hyperlink => {
            let (Some(url), Some(name)) = (s, txt(args, 1)) else {
                return Ok(match (s, txt(args, 1)) {
                    (None, Some(n)) => Value::text(n),
                    _ => Value::Null,
                });
            };
            reject_javascript("HYPERLINK", url)?;
            let target = txt(args, 2).unwrap_or("_blank");
            Value::text(format!(
                "<a href=\"{}\" target=\"{}\">{}</a>",
                html_encode(url),
                html_encode(target),
                html_encode(name)
            ))
        }
        Image => {
            let Some(url) = s else {
                return Ok(Value::Null);
            };
            reject_javascript("IMAGE", url)?;
            let mut out = format!(
                "<img src=\"{}\" alt=\"{}\"",
                html_encode(url),
                html_encode(txt(args, 1).unwrap_or(""))
            );
            if let Some(h) = num(args, 2) {
                out.push_str(&format!(" height=\"{}\"", to_int(h)));
            }
            if let Some(w) = num(args, 3) {
                out.push_str(&format!(" width=\"{}\"", to_int(w)));
            }
            out.push_str(" border=\"0\"/>");
            Value::text(out)
        }
        InitCap => s.map_or(Value::Null, |s| Value::text(init_cap(s))),
        Reverse => s.map_or(Value::Null, |s| {
            Value::text(s.chars().rev().collect::<String>())
        }),
        Ascii => s.map_or(Value::Null, |s| {
            Value::Number(int(s.chars().next().map_or(0, |c| c as i64)))
        }),
        Chr => {
            let Some(n) = num(args, 0) else {
                return Ok(Value::Null);
            };
            let code = to_int(n);
            if code <= 0 {
                return Ok(Value::Null);
            }
            let c = u32::try_from(code)
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| {
                    Fault::new(
                        Code::InvalidValue,
                        format!("CHR({}) is not a valid character code", whole_text(n)),
                    )
                    .with_help("give CHR() a Unicode code point: 1 to 1114111, surrogates excluded")
                })?;
            Value::text(c.to_string())
        }
        UrlEncode => s.map_or(Value::Null, |s| Value::text(url_encode(s))),
        HtmlEncode => s.map_or(Value::Null, |s| Value::text(html_encode(s))),
        JsEncode => s.map_or(Value::Null, |s| Value::text(js_encode(s))),
        JsInHtmlEncode => s.map_or(Value::Null, |s| Value::text(html_encode(&js_encode(s)))),
        Like => {
            let (Some(s), Some(p)) = (s, txt(args, 1)) else {
                return Ok(Value::Boolean(s.is_none() && txt(args, 1).is_none()));
            };
            Value::Boolean(like(s, p)?)
        }
        _ => {
            let _ = arg(args, 0);
            return Err(Fault::new(
                Code::EvaluationError,
                format!("{func:?} is not a text function"),
            ));
        }
    })
}

/// Salesforce refuses `javascript:` URLs in HYPERLINK and IMAGE.
fn reject_javascript(func: &str, url: &str) -> Result<(), Fault> {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect();
    if scheme.eq_ignore_ascii_case("javascript:") {
        return Err(Fault::new(
            Code::InvalidValue,
            format!("{func}: JavaScript URLs are not allowed"),
        )
        .with_help("link to an http: or https: address"));
    }
    Ok(())
}

/// Length in UTF-16 code units.
pub fn units_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// The UTF-16 units `[from, to)` of `s`. A character the cut goes through (half of a surrogate
/// pair, such as an emoji) is left out rather than turned into U+FFFD: the result never exceeds
/// the length asked for, and never holds a character the input did not.
fn slice(s: &str, from: usize, to: usize) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(&s[from.min(s.len())..to.min(s.len())]);
    }
    let u: Vec<u16> = s.encode_utf16().collect();
    let to = to.min(u.len());
    let from = from.min(to);
    Cow::Owned(whole_chars(&u[from..to]))
}

/// Decodes UTF-16 units, leaving out the halves of surrogate pairs cut at either end.
fn whole_chars(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .filter_map(Result::ok)
        .collect()
}

/// 1-based position of `needle` in `hay` at or after `start`, in UTF-16 units; 0 when absent.
/// Uses the standard library's linear-time substring search: a match of a valid needle always
/// starts on a character boundary, so searching the UTF-8 text is the same as searching units.
fn find(hay: &str, needle: &str, start: i64) -> i64 {
    let from = (start - 1) as usize;
    if from > units_len(hay) || units_len(needle) > units_len(hay) {
        return 0;
    }
    // The byte offset of the first character that starts at or after unit `from`.
    let mut units = 0;
    let mut byte = hay.len();
    for (i, c) in hay.char_indices() {
        if units >= from {
            byte = i;
            break;
        }
        units += c.len_utf16();
    }
    if units < from {
        return 0;
    }
    let Some(at) = hay[byte..].find(needle) else {
        return 0;
    };
    (units + units_len(&hay[byte..byte + at])) as i64 + 1
}

/// SUBSTITUTE: measures the result (occurrences × size change) before building it.
fn substitute(s: &str, old: &str, new: &str) -> Result<Value, Fault> {
    let (old_len, new_len) = (units_len(old) as u128, units_len(new) as u128);
    if new_len > old_len {
        let hits = s.matches(old).count() as u128;
        let len = units_len(s) as u128 + hits * (new_len - old_len);
        if len > MAX_TEXT_CHARS as u128 {
            return Err(too_long("SUBSTITUTE()", len));
        }
    }
    Ok(Value::text(s.replace(old, new)))
}

fn pad_text(s: &str, wanted: &BigDecimal, pad: Option<&str>, left: bool) -> Result<Value, Fault> {
    let n = to_int(wanted);
    if n <= 0 {
        return Ok(Value::Null);
    }
    if n > MAX_TEXT_CHARS as i64 {
        let what = if left { "LPAD()" } else { "RPAD()" };
        return Err(too_long(what, whole_text(wanted)));
    }
    let n = n as usize;
    let len = units_len(s);
    if n <= len {
        return Ok(Value::text(slice(s, 0, n)));
    }
    let Some(pad) = pad.filter(|p| !p.is_empty()) else {
        return Ok(Value::text(s));
    };
    let pad_units: Vec<u16> = pad.encode_utf16().collect();
    let fill: Vec<u16> = pad_units.iter().copied().cycle().take(n - len).collect();
    let fill = whole_chars(&fill);
    Ok(Value::text(if left {
        fill + s
    } else {
        s.to_owned() + &fill
    }))
}

/// Java `BigDecimal(String)` syntax: sign, digits with an optional point, optional exponent.
pub fn parse_number(s: &str) -> Option<BigDecimal> {
    let t = s.trim();
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let mut digits = 0;
    let mut dots = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
        if b[i] == b'.' {
            dots += 1;
        } else {
            digits += 1;
        }
        i += 1;
    }
    if digits == 0 || dots > 1 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start || i - start > 9 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let n = BigDecimal::from_str(t.strip_prefix('+').unwrap_or(t)).ok()?;
    // Refuse absurd exponents that would make later arithmetic explode.
    let scale = n.fractional_digit_count();
    (scale.abs() <= 10_000).then_some(n)
}

thread_local! {
    static REGEX_CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
}

/// Java `Pattern.matches`: the whole text must match (see [`super::java_regex`]).
fn regex_full_match(text: &str, pattern: &str) -> Result<bool, Fault> {
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(re) = cache.get(pattern) {
            return Ok(re.is_match(text));
        }
        let re = compile_regex(pattern).map_err(|p| regex_fault(pattern, p))?;
        let m = re.is_match(text);
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(pattern.to_owned(), re);
        Ok(m)
    })
}

/// The bound on a compiled REGEX() program: large enough for the counted repetitions real
/// attribute patterns use (`\p{L}{1,255}`, `[^,]{1,2000}`), small enough to stay cheap.
const REGEX_SIZE_LIMIT: usize = 32 << 20;
/// The bound on the lazy DFA's cache per pattern; past it the search is slower, not wrong.
const REGEX_DFA_SIZE_LIMIT: usize = 8 << 20;

/// Compiles a REGEX() pattern with Java's semantics; the checker uses it on literal patterns.
pub fn compile_regex(pattern: &str) -> Result<Regex, RegexProblem> {
    let translated = translate(pattern)?;
    regex::RegexBuilder::new(&translated)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(limit) => {
                RegexProblem::TooLarge(format!("a compiled size over {} MiB", limit >> 20))
            }
            other => RegexProblem::Invalid(first_line(&other.to_string()).to_owned()),
        })
}

fn regex_fault(pattern: &str, problem: RegexProblem) -> Fault {
    match problem {
        RegexProblem::Invalid(why) => Fault::new(
            Code::EvaluationError,
            format!("REGEX: invalid regular expression '{pattern}': {why}"),
        )
        .with_help("fix the pattern; to match a special character such as ( or . literally, escape it with a backslash, written \\\\ inside a formula string"),
        // A limit of samlfx, not the formula's error: a warning of its own code (F305).
        RegexProblem::Unsupported(feature, _) => Fault::new(
            Code::UnsupportedBySamlfx,
            format!(
                "no value: samlfx cannot evaluate this REGEX pattern, which uses {feature} (Salesforce supports it)"
            ),
        )
        .with_help("rewrite the pattern without it to evaluate the formula here, or ignore this and test the attribute in Salesforce"),
        RegexProblem::TooLarge(bound) => Fault::new(
            Code::EvaluationError,
            format!(
                "REGEX: this pattern exceeds samlfx's regular-expression bound ({bound}); Salesforce may still accept it"
            ),
        )
        .with_help("shrink the counted repetitions (such as {1,5000}) or the nesting of groups, or test this attribute in Salesforce"),
    }
    .with_arg(1)
}

fn first_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .unwrap_or(s.lines().next().unwrap_or(s))
}

fn change_case(s: &str, upper: bool, turkic: bool) -> String {
    if !turkic {
        return if upper {
            s.to_uppercase()
        } else {
            s.to_lowercase()
        };
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match (upper, c) {
            (true, 'i') => out.push('İ'),
            (false, 'I') => out.push('ı'),
            (false, 'İ') => out.push('i'),
            (true, c) => out.extend(c.to_uppercase()),
            (false, c) => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Upper-cases the first letter of each word and lower-cases the rest; a word starts after any
/// character that is not a letter or digit.
fn init_cap(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphabetic() {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = !c.is_numeric();
        }
    }
    out
}

/// Percent-encodes UTF-8 bytes; letters, digits and `-_.*` stay, a space becomes `%20`.
fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn html_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn js_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            c => out.push(c),
        }
    }
    out
}

/// Most character comparisons one LIKE may make: the greedy match is linear for ordinary
/// patterns but quadratic for hostile ones (`%aaaa…ab%` against `aaaa…`).
const MAX_LIKE_STEPS: usize = 10_000_000;

/// One pattern token: a literal character or `_` (any one character).
#[derive(Clone, Copy)]
enum LikeTok {
    One,
    Lit(char),
}

/// SQL LIKE: `%` any run, `_` one character, `\` escapes the next character; case-sensitive.
/// The pattern splits at `%` into fixed-length segments: the first must match at the start, the
/// last at the end, and each one between at its leftmost place after the previous one (leftmost
/// leaves the most room for the rest, so greedy is exact).
fn like(s: &str, pattern: &str) -> Result<bool, Fault> {
    let mut segments: Vec<Vec<LikeTok>> = vec![Vec::new()];
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        let tok = match c {
            '%' => {
                segments.push(Vec::new());
                continue;
            }
            '_' => LikeTok::One,
            '\\' => LikeTok::Lit(it.next().unwrap_or('\\')),
            c => LikeTok::Lit(c),
        };
        if let Some(seg) = segments.last_mut() {
            seg.push(tok);
        }
    }
    let text: Vec<char> = s.chars().collect();
    let mut steps = 0usize;
    let mut at = |seg: &[LikeTok], i: usize| -> Result<bool, Fault> {
        for (k, t) in seg.iter().enumerate() {
            steps += 1;
            if steps > MAX_LIKE_STEPS {
                return Err(Fault::new(
                    Code::OutOfRange,
                    format!(
                        "LIKE() needs more than {MAX_LIKE_STEPS} comparisons for a text of {} characters",
                        text.len()
                    ),
                )
                .with_help("simplify the pattern, or test a shorter part of the text with LEFT() or MID()"));
            }
            if let LikeTok::Lit(l) = t
                && text[i + k] != *l
            {
                return Ok(false);
            }
        }
        Ok(true)
    };
    let (first, rest) = segments.split_first().expect("one segment at least");
    let Some((last, middle)) = rest.split_last() else {
        return Ok(text.len() == first.len() && at(first, 0)?);
    };
    if first.len() + last.len() > text.len() || !at(first, 0)? {
        return Ok(false);
    }
    let end = text.len() - last.len();
    if !at(last, end)? {
        return Ok(false);
    }
    let mut from = first.len();
    for seg in middle {
        let mut found = None;
        let mut i = from;
        while i + seg.len() <= end {
            if at(seg, i)? {
                found = Some(i);
                break;
            }
            i += 1;
        }
        match found {
            Some(i) => from = i + seg.len(),
            None => return Ok(false),
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_repetitions_fit_the_size_bound() {
        for p in [
            ".{0,1000}",
            "[^,]{1,2000}",
            "\\p{L}{1,255}",
            "[\\w+=,.@-]{2,64}",
        ] {
            assert!(compile_regex(p).is_ok(), "{p}");
        }
        assert!(compile_regex("\\p{L}{1,255}").unwrap().is_match("abc"));
    }

    #[test]
    fn past_the_size_bound_is_a_limit_not_an_invalid_pattern() {
        let p = "(?:\\p{L}{1,1000}){1,1000}";
        let problem = compile_regex(p).expect_err(p);
        assert!(matches!(problem, RegexProblem::TooLarge(_)), "{problem:?}");
        let f = regex_fault(p, problem);
        assert_eq!((f.code, f.arg), (Code::EvaluationError, Some(1)));
        assert!(
            f.message.contains("samlfx's regular-expression bound"),
            "{}",
            f.message
        );
        assert!(f.help.is_some());
    }
}
