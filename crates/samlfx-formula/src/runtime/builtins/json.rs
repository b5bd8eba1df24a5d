//! JSONVALUE and JSONPATHVALUE: a member of a JSON text, or the value at a JSONPath, as text.
//!
//! The engine reads JSON with Jackson and paths with Jayway JsonPath; what samlfx copies:
//! - Only the first JSON value of the text is read; anything after it is ignored (Jackson's
//!   default). Duplicate keys: the last value wins, at the first key's place.
//! - JSONVALUE(json, key): a member of the root object. A string gives its text, a number or
//!   Boolean its printed form, JSON `null` the text `null`, an object or array blank; a missing
//!   key or a root that is not an object gives null. Text that is not JSON is an invalid-value
//!   fault (the engine throws).
//! - JSONPATHVALUE(json, path): a path not starting with `$` is read as `$.path`. Invalid JSON,
//!   an invalid path or no match gives null, never an error. A path that can match several
//!   values (`*`, `..`, `[a,b]`, slices) gives them as a list, `[a, b]` (`[]` for none);
//!   objects print as `{key=value, …}` in document order, as Java prints a map.
//! - Numbers print as Java does: an integer as its digits, any other number as a Java double
//!   (`1.5`, `100.0`, `1.0E20`). An integer beyond 64 bits is read as a double (Jackson keeps
//!   its digits): a known limit.
//!
//! Bounds (samlfx's, not Salesforce's): the JSON text is at most [`MAX_TEXT_CHARS`] long
//! (Salesforce's largest text), nested at most [`MAX_JSON_DEPTH`] deep (serde_json's recursion
//! limit; the engine's Jackson goes deeper, so a deeper text is F305, samlfx's limit), and a path
//! at most [`MAX_PATH_CHARS`] long with at most [`MAX_JSON_MATCHES`] matches. JSONPath filters
//! `[?(…)]`, functions (`.length()`) and several names in one bracket are F305 too.

use std::fmt::Write as _;

use serde::de::{self, Deserializer as _, MapAccess, SeqAccess, Visitor};

use super::{MAX_TEXT_CHARS, checked_text, text::units_len};
use crate::Value;
use crate::runtime::Fault;
use samlfx_diag::Code;

/// serde_json's recursion limit: the deepest JSON samlfx reads.
pub const MAX_JSON_DEPTH: usize = 128;
/// The longest JSONPath samlfx evaluates, in characters.
pub const MAX_PATH_CHARS: usize = 1024;
/// The most values one path may match (a deep scan over a large document).
pub const MAX_JSON_MATCHES: usize = 100_000;

/// A JSON value with its object members in document order.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    /// An integer's digits.
    Int(String),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Int(v.to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Int(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed)? {
            items.push(v);
        }
        Ok(Json::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members: Vec<(String, Json)> = Vec::new();
        let mut index = std::collections::HashMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed)?;
            match index.get(&key) {
                Some(&i) => members[i] = (key, value),
                None => {
                    index.insert(key.clone(), members.len());
                    members.push((key, value));
                }
            }
        }
        Ok(Json::Object(members))
    }
}

struct Seed;

impl<'de> de::DeserializeSeed<'de> for Seed {
    type Value = Json;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// Why a JSON text could not be read.
enum ParseError {
    /// Not JSON (the engine's error).
    Invalid(String),
    /// Beyond samlfx's bounds.
    Limit(Fault),
}

/// Reads the first JSON value of `s`; `Ok(None)` for text of whitespace only.
fn parse(what: &str, s: &str) -> Result<Option<Json>, ParseError> {
    let len = units_len(s);
    if len > MAX_TEXT_CHARS {
        return Err(ParseError::Limit(
            Fault::new(
                Code::OutOfRange,
                format!(
                    "{what} reads at most {MAX_TEXT_CHARS} characters of JSON; this text has {len}"
                ),
            )
            .with_arg(0)
            .with_help("Salesforce's longest text is 131,072 characters: shorten the JSON"),
        ));
    }
    if s.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Ok(None);
    }
    let mut de = serde_json::Deserializer::from_str(s);
    match (&mut de).deserialize_any(JsonVisitor) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.to_string().contains("recursion limit") => Err(ParseError::Limit(
            Fault::new(
                Code::UnsupportedBySamlfx,
                format!("{what}: the JSON is nested deeper than samlfx reads ({MAX_JSON_DEPTH} levels)"),
            )
            .with_arg(0)
            .with_help(format!(
                "samlfx reads JSON nested at most {MAX_JSON_DEPTH} deep; Salesforce reads deeper: test this value in Salesforce"
            )),
        )),
        Err(e) => Err(ParseError::Invalid(e.to_string())),
    }
}

/// JSONVALUE(json, key).
pub fn json_value(json: Option<&str>, key: Option<&str>) -> Result<Value, Fault> {
    let (Some(json), Some(key)) = (json, key) else {
        return Ok(Value::Null);
    };
    let root = match parse("JSONVALUE()", json) {
        Ok(root) => root,
        Err(ParseError::Limit(f)) => return Err(f),
        Err(ParseError::Invalid(e)) => {
            return Err(Fault::new(
                Code::InvalidValue,
                format!("JSONVALUE(): the text is not valid JSON: {e}"),
            )
            .with_arg(0)
            .with_help(
                "JSONVALUE fails on text that is not JSON: guard it with IFERROR(JSONVALUE(…), fallback), or use JSONPATHVALUE, which gives null instead",
            ));
        }
    };
    let Some(Json::Object(members)) = root else {
        return Ok(Value::Null);
    };
    Ok(match members.iter().find(|(k, _)| k == key) {
        None => Value::Null,
        // Jackson's asText(): containers have no text.
        Some((_, Json::Array(_) | Json::Object(_))) => Value::Null,
        Some((_, leaf)) => checked_text("JSONVALUE()", java_string(leaf))?,
    })
}

/// One step of a JSONPath.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// `.name`, `['name']`: a member of an object.
    Name(String),
    /// `[i]`, negative from the end.
    Index(i64),
    /// `[i, j, …]`.
    Indexes(Vec<i64>),
    /// `[start:end]`, either optional, negative from the end.
    Slice(Option<i64>, Option<i64>),
    /// `.*`, `[*]`: every member or element.
    Wildcard,
    /// `..` followed by the step applied at every depth.
    Scan(Box<Step>),
}

impl Step {
    fn definite(&self) -> bool {
        matches!(self, Step::Name(_) | Step::Index(_))
    }
}

/// Why a path cannot be evaluated.
enum PathError {
    /// Not a JSONPath: the engine gives null.
    Invalid,
    /// A JSONPath feature samlfx does not evaluate.
    Unsupported(&'static str),
}

/// Parses a JSONPath (already starting with `$`).
fn parse_path(path: &str) -> Result<Vec<Step>, PathError> {
    let chars: Vec<char> = path.chars().collect();
    let mut i = 1;
    let mut steps = Vec::new();
    if chars.first() != Some(&'$') {
        return Err(PathError::Invalid);
    }
    while i < chars.len() {
        match chars[i] {
            '.' if chars.get(i + 1) == Some(&'.') => {
                i += 2;
                let step = match chars.get(i) {
                    Some('*') => {
                        i += 1;
                        Step::Wildcard
                    }
                    Some('[') => bracket(&chars, &mut i)?,
                    Some(_) => dot_name(&chars, &mut i)?,
                    None => return Err(PathError::Invalid),
                };
                steps.push(Step::Scan(Box::new(step)));
            }
            '.' => {
                i += 1;
                match chars.get(i) {
                    Some('*') => {
                        i += 1;
                        steps.push(Step::Wildcard);
                    }
                    Some('[') => return Err(PathError::Invalid),
                    Some(_) => steps.push(dot_name(&chars, &mut i)?),
                    None => return Err(PathError::Invalid),
                }
            }
            '[' => steps.push(bracket(&chars, &mut i)?),
            _ => return Err(PathError::Invalid),
        }
    }
    Ok(steps)
}

/// A name after `.`, up to the next `.` or `[`.
fn dot_name(chars: &[char], i: &mut usize) -> Result<Step, PathError> {
    let start = *i;
    while *i < chars.len() && !matches!(chars[*i], '.' | '[' | '(' | ')' | ' ') {
        *i += 1;
    }
    if chars.get(*i) == Some(&'(') {
        return Err(PathError::Unsupported("path functions such as .length()"));
    }
    if *i == start || chars.get(*i).is_some_and(|c| matches!(c, ')' | ' ')) {
        return Err(PathError::Invalid);
    }
    Ok(Step::Name(chars[start..*i].iter().collect()))
}

/// `[…]` at `chars[*i]`.
fn bracket(chars: &[char], i: &mut usize) -> Result<Step, PathError> {
    let close = chars[*i..]
        .iter()
        .position(|&c| c == ']')
        .map(|p| *i + p)
        .ok_or(PathError::Invalid)?;
    let inner: String = chars[*i + 1..close].iter().collect();
    let inner = inner.trim();
    if inner.starts_with('?') {
        return Err(PathError::Unsupported("filters [?(…)]"));
    }
    let step = if inner == "*" {
        Step::Wildcard
    } else if inner.starts_with('\'') || inner.starts_with('"') {
        // A quoted name; the closing bracket found may be inside the quotes.
        let q = inner.chars().next().unwrap_or('\'');
        let start = *i + 1 + chars[*i + 1..].iter().take_while(|c| **c == ' ').count() + 1;
        let mut j = start;
        let mut name = String::new();
        while j < chars.len() && chars[j] != q {
            if chars[j] == '\\' && j + 1 < chars.len() {
                j += 1;
            }
            name.push(chars[j]);
            j += 1;
        }
        if j >= chars.len() {
            return Err(PathError::Invalid);
        }
        j += 1;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        match chars.get(j) {
            Some(']') => {
                *i = j + 1;
                return Ok(Step::Name(name));
            }
            Some(',') => return Err(PathError::Unsupported("several names in one bracket")),
            _ => return Err(PathError::Invalid),
        }
    } else if let Some((a, b)) = inner.split_once(':') {
        let bound = |s: &str| -> Result<Option<i64>, PathError> {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else {
                s.parse().map(Some).map_err(|_| PathError::Invalid)
            }
        };
        if b.contains(':') {
            return Err(PathError::Invalid);
        }
        Step::Slice(bound(a)?, bound(b)?)
    } else if inner.contains(',') {
        let idx = inner
            .split(',')
            .map(|s| s.trim().parse::<i64>().map_err(|_| PathError::Invalid))
            .collect::<Result<Vec<_>, _>>()?;
        Step::Indexes(idx)
    } else {
        Step::Index(inner.parse().map_err(|_| PathError::Invalid)?)
    };
    *i = close + 1;
    Ok(step)
}

/// The element of an array of `len` at a possibly negative index.
fn at(len: usize, i: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let i = if i < 0 { len + i } else { i };
    (0..len).contains(&i).then_some(i as usize)
}

/// Applies one step to every current match.
fn apply<'a>(step: &Step, node: &'a Json, out: &mut Vec<&'a Json>) -> Result<(), ()> {
    if out.len() > MAX_JSON_MATCHES {
        return Err(());
    }
    match (step, node) {
        (Step::Name(n), Json::Object(m)) => {
            if let Some((_, v)) = m.iter().find(|(k, _)| k == n) {
                out.push(v);
            }
        }
        (Step::Index(i), Json::Array(a)) => {
            if let Some(k) = at(a.len(), *i) {
                out.push(&a[k]);
            }
        }
        (Step::Indexes(is), Json::Array(a)) => {
            out.extend(is.iter().filter_map(|i| at(a.len(), *i)).map(|k| &a[k]));
        }
        (Step::Slice(from, to), Json::Array(a)) => {
            let len = a.len() as i64;
            let norm = |b: i64| if b < 0 { (len + b).max(0) } else { b.min(len) };
            let from = from.map_or(0, norm);
            let to = to.map_or(len, norm);
            if from < to {
                out.extend(&a[from as usize..to as usize]);
            }
        }
        (Step::Wildcard, Json::Array(a)) => out.extend(a),
        (Step::Wildcard, Json::Object(m)) => out.extend(m.iter().map(|(_, v)| v)),
        (Step::Scan(inner), _) => {
            apply(inner, node, out)?;
            match node {
                Json::Array(a) => a.iter().try_for_each(|c| apply(step, c, out))?,
                Json::Object(m) => m.iter().try_for_each(|(_, c)| apply(step, c, out))?,
                _ => {}
            }
        }
        _ => {}
    }
    Ok(())
}

/// JSONPATHVALUE(json, path).
pub fn json_path_value(json: Option<&str>, path: Option<&str>) -> Result<Value, Fault> {
    let (Some(json), Some(path)) = (json, path) else {
        return Ok(Value::Null);
    };
    let len = path.chars().count();
    if len > MAX_PATH_CHARS {
        return Err(Fault::new(
            Code::OutOfRange,
            format!("JSONPATHVALUE(): the path has {len} characters; samlfx evaluates at most {MAX_PATH_CHARS}"),
        )
        .with_arg(1)
        .with_help("shorten the path"));
    }
    let path = if path.starts_with('$') {
        path.to_owned()
    } else {
        format!("$.{path}")
    };
    let steps = match parse_path(&path) {
        Ok(steps) => steps,
        Err(PathError::Invalid) => return Ok(Value::Null),
        Err(PathError::Unsupported(what)) => {
            return Err(Fault::new(
                Code::UnsupportedBySamlfx,
                format!("no value: samlfx does not evaluate JSONPath {what}"),
            )
            .with_arg(1)
            .with_help(
                "samlfx evaluates `.name`, `['name']`, `[index]`, `[a,b]`, `[start:end]`, `*` and `..`: rewrite the path with them, or test the attribute in Salesforce",
            ));
        }
    };
    let root = match parse("JSONPATHVALUE()", json) {
        Ok(Some(root)) => root,
        Ok(None) | Err(ParseError::Invalid(_)) => return Ok(Value::Null),
        Err(ParseError::Limit(f)) => return Err(f),
    };
    let definite = steps.iter().all(Step::definite);
    let mut current = vec![&root];
    for step in &steps {
        let mut next = Vec::new();
        for node in current {
            apply(step, node, &mut next).map_err(|()| {
                Fault::new(
                    Code::OutOfRange,
                    format!(
                        "JSONPATHVALUE(): the path matches more than {MAX_JSON_MATCHES} values"
                    ),
                )
                .with_arg(1)
                .with_help(
                    "narrow the path: a deep scan `..` over a large document matches every level",
                )
            })?;
        }
        current = next;
    }
    let text = if definite {
        match current.first() {
            None | Some(Json::Null) => return Ok(Value::Null),
            Some(v) => java_string(v),
        }
    } else {
        let mut s = String::from("[");
        for (i, v) in current.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            write_java(&mut s, v);
            if s.len() > 4 * MAX_TEXT_CHARS {
                break;
            }
        }
        s.push(']');
        s
    };
    checked_text("JSONPATHVALUE()", text)
}

/// A value as Java's `String.valueOf` prints what Jackson read.
fn java_string(v: &Json) -> String {
    let mut s = String::new();
    write_java(&mut s, v);
    s
}

fn write_java(out: &mut String, v: &Json) {
    if out.len() > 4 * MAX_TEXT_CHARS {
        // Longer than any text samlfx keeps: the caller refuses it.
        return;
    }
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(d) => out.push_str(d),
        Json::Float(f) => out.push_str(&java_double(*f)),
        Json::Str(s) => out.push_str(s),
        Json::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_java(out, x);
            }
            out.push(']');
        }
        Json::Object(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                write_java(out, x);
            }
            out.push('}');
        }
    }
}

/// A double as Java's `Double.toString` writes it, from the shortest digits that read back as
/// the same double: plain between 10^-3 and 10^7 (`1.5`, `100.0`), otherwise `d.dddE±n`
/// (`1.0E20`, `1.2E-5`).
pub fn java_double(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let a = f.abs();
    if (1e-3..1e7).contains(&a) {
        let s = format!("{f}");
        if s.contains('.') { s } else { s + ".0" }
    } else {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mut m = mantissa.to_owned();
        if !m.contains('.') {
            m.push_str(".0");
        }
        let mut out = m;
        let _ = write!(out, "E{exp}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jv(json: &str, key: &str) -> Option<String> {
        json_value(Some(json), Some(key)).unwrap().to_output()
    }
    fn jp(json: &str, path: &str) -> Option<String> {
        json_path_value(Some(json), Some(path)).unwrap().to_output()
    }

    #[test]
    fn json_value_reads_members_as_jackson_prints_them() {
        assert_eq!(jv(r#"{"t": 50}"#, "t").as_deref(), Some("50"));
        assert_eq!(jv(r#"{"t": "a"}"#, "t").as_deref(), Some("a"));
        assert_eq!(jv(r#"{"t": 1.50}"#, "t").as_deref(), Some("1.5"));
        assert_eq!(jv(r#"{"t": 1e20}"#, "t").as_deref(), Some("1.0E20"));
        assert_eq!(jv(r#"{"t": null}"#, "t").as_deref(), Some("null"));
        assert_eq!(jv(r#"{"t": true}"#, "t").as_deref(), Some("true"));
        assert_eq!(jv(r#"{"t": [1]}"#, "t"), None);
        assert_eq!(jv(r#"{"t": 1, "t": 2}"#, "t").as_deref(), Some("2"));
        assert_eq!(jv("{}", "t"), None);
        assert_eq!(jv("[1]", "t"), None);
        assert_eq!(jv("  ", "t"), None);
        // Jackson reads the first value and ignores the rest.
        assert_eq!(jv(r#"{"t": 1} trailing"#, "t").as_deref(), Some("1"));
        let e = json_value(Some("{"), Some("t")).unwrap_err();
        assert_eq!(e.code, Code::InvalidValue);
        assert_eq!(json_value(None, Some("t")).unwrap(), Value::Null);
    }

    #[test]
    fn json_nested_beyond_the_bound_is_samlfx_s_limit() {
        let deep = "[".repeat(MAX_JSON_DEPTH + 1) + &"]".repeat(MAX_JSON_DEPTH + 1);
        let e = json_value(Some(&deep), Some("t")).unwrap_err();
        assert_eq!(e.code, Code::UnsupportedBySamlfx);
        let ok = "[".repeat(MAX_JSON_DEPTH - 1) + &"]".repeat(MAX_JSON_DEPTH - 1);
        assert_eq!(json_value(Some(&ok), Some("t")).unwrap(), Value::Null);
        let long = format!(r#"{{"t": "{}"}}"#, "x".repeat(MAX_TEXT_CHARS));
        assert_eq!(
            json_value(Some(&long), Some("t")).unwrap_err().code,
            Code::OutOfRange
        );
    }

    #[test]
    fn json_paths_follow_jayway() {
        let doc = r#"{"roles": [{"name": "admin", "arn": "a1"}, {"name": "dev", "arn": "a2"}], "n": {"x": 1, "y": [2, 3]}, "z": null}"#;
        assert_eq!(jp(doc, "$.roles[0].arn").as_deref(), Some("a1"));
        assert_eq!(jp(doc, "roles[-1].name").as_deref(), Some("dev"));
        assert_eq!(jp(doc, "$['roles'][1]['arn']").as_deref(), Some("a2"));
        assert_eq!(jp(doc, "$.roles[*].name").as_deref(), Some("[admin, dev]"));
        assert_eq!(jp(doc, "$..arn").as_deref(), Some("[a1, a2]"));
        assert_eq!(jp(doc, "$.n").as_deref(), Some("{x=1, y=[2, 3]}"));
        assert_eq!(jp(doc, "$.n.y[0:1]").as_deref(), Some("[2]"));
        assert_eq!(jp(doc, "$.n.y[0,1]").as_deref(), Some("[2, 3]"));
        assert_eq!(jp(doc, "$.n.*").as_deref(), Some("[1, [2, 3]]"));
        assert_eq!(jp(doc, "$.missing[*]").as_deref(), Some("[]"));
        assert_eq!(jp(doc, "$.z"), None);
        assert_eq!(jp(doc, "$.missing"), None);
        assert_eq!(jp(doc, "$.roles[9]"), None);
        // Invalid paths and invalid JSON give null.
        assert_eq!(jp(doc, "$."), None);
        assert_eq!(jp(doc, "$[abc]"), None);
        assert_eq!(jp("{", "$.a"), None);
        let e = json_path_value(Some(doc), Some("$.roles[?(@.name == 'dev')]")).unwrap_err();
        assert_eq!(e.code, Code::UnsupportedBySamlfx);
        let e = json_path_value(Some(doc), Some("$.roles.length()")).unwrap_err();
        assert_eq!(e.code, Code::UnsupportedBySamlfx);
        let long = format!("$.{}", "a".repeat(MAX_PATH_CHARS));
        assert_eq!(
            json_path_value(Some(doc), Some(&long)).unwrap_err().code,
            Code::OutOfRange
        );
    }

    #[test]
    fn doubles_print_as_java_does() {
        assert_eq!(java_double(1.0), "1.0");
        assert_eq!(java_double(8066.8974274546545), "8066.8974274546545");
        assert_eq!(java_double(1e7), "1.0E7");
        assert_eq!(java_double(0.001), "0.001");
        assert_eq!(java_double(0.0001), "1.0E-4");
        assert_eq!(java_double(-1.25e-5), "-1.25E-5");
    }
}
