//! `samlfx.toml`, samlfx's own app format (documented in the crate docs). Parsed with the `toml`
//! crate's `DeTable`, which keeps every key's and value's byte span; each string is decoded again
//! here from its raw bytes (basic strings with escapes, literal strings, and both multi-line
//! forms) to build its [`SourceMap`], and checked against the parser's own decoding.

use std::borrow::Cow;

use samlfx_aws::profile::Profile;
use samlfx_diag::report::{Override, Severities, parse_code};
use samlfx_diag::{Code, Diagnostic, SourceMap, Span, suggest};
use samlfx_formula::schema::{Declaration, Schema};
use toml::Spanned as TomlSpanned;
use toml::de::{DeTable, DeValue};

use crate::model::{
    App, Attribute, Encryption, Field, NameIdFormat, SigningAlgorithm, Spanned, SubjectType, Text,
};

const TOP: &[&str] = &["profile", "app", "attributes", "fields", "severity"];
const APP: &[&str] = &[
    "name",
    "entity_id",
    "acs_url",
    "issuer",
    "subject_type",
    "subject_attribute",
    "name_id_format",
    "signing_algorithm",
    "encryption",
];
const ATTRIBUTE: &[&str] = &["key", "formula"];

type Entry<'a, 'i> = (&'a TomlSpanned<Cow<'i, str>>, &'a TomlSpanned<DeValue<'i>>);

fn span(r: std::ops::Range<usize>) -> Span {
    Span::new(r.start, r.end)
}

/// Reads samlfx.toml text; `None` when it is not TOML.
pub fn read(src: &str, diags: &mut Vec<Diagnostic>) -> Option<App> {
    let doc = match DeTable::parse(src) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map_or(Span::new(0, 0), |r| {
                let s = crate::xml::point(src, r.start);
                let end = r.end.clamp(s.start, src.len());
                if src.is_char_boundary(end) && end > s.start {
                    Span::new(s.start, end)
                } else {
                    s
                }
            });
            diags.push(
                Diagnostic::new(
                    Code::MalformedToml,
                    format!("samlfx.toml is not valid TOML: {}", e.message().trim_end()),
                )
                .at(at)
                .with_help("quote strings (a formula reads best in single quotes: '…' or '''…'''), one key per line"),
            );
            return None;
        }
    };
    let mut app = App {
        saml: true,
        ..App::default()
    };
    let mut have_app = false;
    for (key, value) in sorted(doc.get_ref()) {
        match key.get_ref().as_ref() {
            "profile" => {
                if let Some(t) = string(src, key, value, diags) {
                    match t.value.parse::<Profile>() {
                        Ok(p) => app.profile = Some(Spanned::new(p, t.span())),
                        Err(_) => {
                            let names: Vec<&str> =
                                Profile::ALL.iter().map(|p| p.as_str()).collect();
                            diags.push(crate::enumeration::unknown_value(&t, "profile", &names));
                        }
                    }
                }
            }
            "app" => {
                if let Some(table) = table(key, value, diags) {
                    have_app = true;
                    app.span = header(src, key);
                    read_app(src, table, &mut app, diags);
                }
            }
            "attributes" => app.attributes = read_attributes(src, key, value, diags),
            "fields" => {
                if let Some(table) = table(key, value, diags) {
                    app.fields = read_fields(src, table, diags);
                }
            }
            "severity" => {
                if let Some(table) = table(key, value, diags) {
                    app.severities = read_severities(src, table, diags);
                }
            }
            other => diags.push(unknown_key(other, span(key.span()), TOP, None)),
        }
    }
    if !have_app {
        diags.push(
            Diagnostic::new(Code::MissingElement, "samlfx.toml has no `[app]` table")
                .at(Span::new(0, 0))
                .with_help("add `[app]` with at least `entity_id` and `acs_url`"),
        );
    }
    Some(app)
}

/// A table's entries in file order (the parser's map is sorted by key).
fn sorted<'a, 'i>(t: &'a DeTable<'i>) -> Vec<Entry<'a, 'i>> {
    let mut v: Vec<Entry<'a, 'i>> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

/// Where a finding about a whole table points: its `[name]` header's name, or the key.
fn header(src: &str, key: &TomlSpanned<Cow<'_, str>>) -> Span {
    let s = span(key.span());
    if s.end <= src.len() {
        s
    } else {
        Span::new(0, 0)
    }
}

fn unknown_key(name: &str, at: Span, known: &[&str], table: Option<&str>) -> Diagnostic {
    let place = table.map_or("samlfx.toml".to_owned(), |t| format!("`[{t}]`"));
    let d = Diagnostic::new(
        Code::UnknownKey,
        format!("`{name}` is not a key of {place}"),
    )
    .at(at);
    match suggest::closest(name, known.iter().copied()) {
        Some(c) => d.with_help(format!("did you mean `{c}`?")),
        None => d.with_help(format!("{place} takes {}", known.join(", "))),
    }
}

fn wrong_type(key: &str, value: &TomlSpanned<DeValue<'_>>, wanted: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongValueType,
        format!(
            "`{key}` must be {wanted}, not {}",
            value.get_ref().type_str()
        ),
    )
    .at(span(value.span()))
    .with_help(match wanted {
        "a string" => "put the value in quotes".to_owned(),
        _ => format!("write `{key}` as {wanted}"),
    })
}

fn table<'a, 'i>(
    key: &TomlSpanned<Cow<'i, str>>,
    value: &'a TomlSpanned<DeValue<'i>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<&'a DeTable<'i>> {
    match value.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => {
            diags.push(wrong_type(key.get_ref(), value, "a table"));
            None
        }
    }
}

/// A string value with its map, or C013.
fn string(
    src: &str,
    key: &TomlSpanned<Cow<'_, str>>,
    value: &TomlSpanned<DeValue<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Text> {
    match value.get_ref() {
        DeValue::String(s) => Some(decoded(src, span(value.span()), s)),
        _ => {
            diags.push(wrong_type(key.get_ref(), value, "a string"));
            None
        }
    }
}

fn read_app(src: &str, t: &DeTable<'_>, app: &mut App, diags: &mut Vec<Diagnostic>) {
    let mut subject: Option<Text> = None;
    let mut subject_attribute: Option<Text> = None;
    // Keys present, even with a value of the wrong type (reported once, as C013, not as missing).
    let present: Vec<&str> = t.iter().map(|(k, _)| k.get_ref().as_ref()).collect();
    for (key, value) in sorted(t) {
        let name = key.get_ref().as_ref();
        if !APP.contains(&name) {
            diags.push(unknown_key(name, span(key.span()), APP, Some("app")));
            continue;
        }
        let Some(text) = string(src, key, value, diags) else {
            continue;
        };
        match name {
            "name" => app.name = Some(text.value),
            "entity_id" => app.entity_id = Some(text),
            "acs_url" => app.acs_url = Some(text),
            "issuer" => app.issuer = Some(text),
            "subject_type" => subject = Some(text),
            "subject_attribute" => subject_attribute = Some(text),
            "name_id_format" => {
                app.name_id_format = match NameIdFormat::from_urn(&text.value) {
                    Some(f) => Some(Spanned::new(f, text.span())),
                    None => crate::enumeration::read(
                        &text,
                        name,
                        &NameIdFormat::NAMES,
                        NameIdFormat::parse,
                        diags,
                    ),
                }
            }
            "signing_algorithm" => {
                app.signing_algorithm = crate::enumeration::read(
                    &text,
                    name,
                    &SigningAlgorithm::NAMES,
                    SigningAlgorithm::parse,
                    diags,
                )
            }
            "encryption" => {
                app.encryption = crate::enumeration::read(
                    &text,
                    name,
                    &Encryption::NAMES,
                    Encryption::parse,
                    diags,
                )
            }
            _ => unreachable!("listed in APP"),
        }
    }
    for key in ["entity_id", "acs_url"] {
        if !present.contains(&key) {
            diags.push(
                Diagnostic::new(Code::MissingElement, format!("`[app]` has no `{key}`"))
                    .at_labelled(app.span, format!("needs `{key}`"))
                    .with_help(format!("add `{key} = \"…\"` under `[app]`")),
            );
        }
    }
    if let Some(text) = subject
        && let Some(Spanned { value, span }) = crate::enumeration::read(
            &text,
            "subject_type",
            &SubjectType::NAMES,
            SubjectType::parse,
            diags,
        )
    {
        let value = match value {
            SubjectType::CustomAttribute(_) => {
                if subject_attribute.is_none() {
                    diags.push(
                        Diagnostic::new(
                            Code::MissingElement,
                            "`subject_type = \"CustomAttribute\"` names no attribute",
                        )
                        .at(span)
                        .with_help("add `subject_attribute = \"<the key of one [[attributes]]>\"` under `[app]`"),
                    );
                }
                SubjectType::CustomAttribute(subject_attribute)
            }
            v => v,
        };
        app.subject_type = Some(Spanned::new(value, span));
    }
}

fn read_attributes(
    src: &str,
    key: &TomlSpanned<Cow<'_, str>>,
    value: &TomlSpanned<DeValue<'_>>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attribute> {
    let DeValue::Array(items) = value.get_ref() else {
        diags.push(wrong_type(
            key.get_ref(),
            value,
            "an array of tables (`[[attributes]]`)",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let DeValue::Table(t) = item.get_ref() else {
            diags.push(wrong_type(
                "attributes",
                item,
                "an array of tables (`[[attributes]]`)",
            ));
            continue;
        };
        let at = span(item.span());
        let (mut k, mut f) = (None, None);
        let present: Vec<&str> = t.iter().map(|(k, _)| k.get_ref().as_ref()).collect();
        for (ikey, ivalue) in sorted(t) {
            match ikey.get_ref().as_ref() {
                "key" => k = string(src, ikey, ivalue, diags),
                "formula" => f = string(src, ikey, ivalue, diags),
                other => diags.push(unknown_key(
                    other,
                    span(ikey.span()),
                    ATTRIBUTE,
                    Some("[attributes]"),
                )),
            }
        }
        for name in ["key", "formula"] {
            if !present.contains(&name) {
                diags.push(
                    Diagnostic::new(
                        Code::MissingElement,
                        format!("an attribute has no `{name}`"),
                    )
                    .at(at)
                    .with_help(format!("add `{name} = …` to this `[[attributes]]` table")),
                );
            }
        }
        if let (Some(key), Some(formula)) = (k, f) {
            out.push(Attribute {
                key,
                formula,
                span: at,
            });
        }
    }
    out
}

fn read_fields(src: &str, t: &DeTable<'_>, diags: &mut Vec<Diagnostic>) -> Vec<Field> {
    let mut schema = Schema::default();
    let mut out = Vec::new();
    for (key, value) in sorted(t) {
        let Some(ty) = string(src, key, value, diags) else {
            continue;
        };
        let name = decoded(src, span(key.span()), key.get_ref());
        // `NAME:TYPE` as `--field` takes it, mapped back to the key and the value.
        let spec = format!("{}:{}", name.value, ty.value);
        let mut map = name.map.clone();
        map.push_escape(1, Span::new(name.span().end, ty.span().start));
        map.append(&ty.map);
        let located = |d: Diagnostic| d.through(&map);
        match Declaration::parse(&spec) {
            Ok(decl) => match schema.add(decl.clone()) {
                Ok(()) => out.push(Field {
                    declaration: decl,
                    name_span: name.span(),
                    type_span: ty.span(),
                }),
                Err(d) => diags.push(d.at(name.span())),
            },
            Err(d) => diags.push(located(d)),
        }
    }
    out
}

/// `[severity]`: per-code overrides for this app's findings, `CODE = "allow" | "warn" | "deny"`
/// (a code's id or its name), as `--allow`, `--warn` and `--deny` give them on the command line.
fn read_severities(src: &str, t: &DeTable<'_>, diags: &mut Vec<Diagnostic>) -> Severities {
    let mut out = Severities::new();
    for (key, value) in sorted(t) {
        let Some(level) = string(src, key, value, diags) else {
            continue;
        };
        let code = match parse_code(key.get_ref()) {
            Ok(code) => code,
            Err(e) => {
                let d = Diagnostic::new(
                    Code::UnknownKey,
                    format!("`{}` is not a samlfx code", key.get_ref()),
                )
                .at(span(key.span()));
                diags.push(match e.suggestion {
                    Some(c) => d.with_help(format!("did you mean `{c}`?")),
                    None => d.with_help("`samlfx explain --list` lists every code"),
                });
                continue;
            }
        };
        let o = match level.value.as_str() {
            "allow" => Override::Allow,
            "warn" => Override::Warn,
            "deny" => Override::Deny,
            _ => {
                diags.push(crate::enumeration::unknown_value(
                    &level,
                    "severity",
                    &["allow", "warn", "deny"],
                ));
                continue;
            }
        };
        out.set(code, o);
    }
    out
}

/// The text of the TOML string (or key) at `raw` in `src`, whose value the parser decoded to
/// `value`, with its map. When samlfx's decoding of the raw bytes disagrees with the parser's
/// (which it should not), the whole value maps to its whole raw span: never a wrong span.
pub fn decoded(src: &str, raw: Span, value: &str) -> Text {
    if let Some((v, map)) = decode_string(src, raw)
        && v == value
    {
        return Text::new(v, map);
    }
    // A quoted key's span is its content: decode it with its quotes.
    let quoted = raw.start > 0
        && matches!(src.as_bytes().get(raw.start - 1), Some(b'"' | b'\''))
        && src.as_bytes().get(raw.end) == src.as_bytes().get(raw.start - 1);
    if quoted
        && let Some((v, map)) = decode_string(src, Span::new(raw.start - 1, raw.end + 1))
        && v == value
    {
        return Text::new(v, map);
    }
    Text::new(value.to_owned(), SourceMap::derived(value.len(), raw))
}

/// Decodes the TOML string or key at `raw`: bare keys and literal strings verbatim, basic
/// strings through their escapes, multi-line strings without their first newline (and, in basic
/// ones, without line-ending backslashes and the whitespace they swallow).
fn decode_string(src: &str, raw: Span) -> Option<(String, SourceMap)> {
    let text = src.get(raw.start..raw.end)?;
    let (open, basic) = if text.starts_with("\"\"\"") {
        (3, true)
    } else if text.starts_with("'''") {
        (3, false)
    } else if text.starts_with('"') {
        (1, true)
    } else if text.starts_with('\'') {
        (1, false)
    } else {
        // A bare key.
        return Some((text.to_owned(), SourceMap::verbatim(raw.start, text.len())));
    };
    if text.len() < 2 * open {
        return None;
    }
    let mut start = raw.start + open;
    let end = raw.end - open;
    if open == 3 {
        if src[start..end].starts_with("\r\n") {
            start += 2;
        } else if src[start..end].starts_with('\n') {
            start += 1;
        }
    }
    let body = &src[start..end];
    let mut value = String::new();
    let mut map = SourceMap::new(start);
    if !basic {
        value.push_str(body);
        map.push_verbatim(body.len(), start);
        return Some((value, map));
    }
    let b = body.as_bytes();
    let mut i = 0;
    let mut from = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        value.push_str(&body[from..i]);
        map.push_verbatim(i - from, start + from);
        let esc = *b.get(i + 1)?;
        let (c, len) = match esc {
            b'b' => (Some('\u{8}'), 2),
            b't' => (Some('\t'), 2),
            b'n' => (Some('\n'), 2),
            b'f' => (Some('\u{c}'), 2),
            b'r' => (Some('\r'), 2),
            b'e' => (Some('\u{1b}'), 2),
            b'"' => (Some('"'), 2),
            b'\\' => (Some('\\'), 2),
            b'u' | b'U' | b'x' => {
                let n = match esc {
                    b'u' => 4,
                    b'U' => 8,
                    _ => 2,
                };
                let hex = body.get(i + 2..i + 2 + n)?;
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                (Some(c), 2 + n)
            }
            b' ' | b'\t' | b'\r' | b'\n' if open == 3 => {
                // A line-ending backslash: it and all whitespace up to the next other
                // character vanish.
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\r' | b'\n') {
                    j += 1;
                }
                (None, j - i)
            }
            _ => return None,
        };
        if let Some(c) = c {
            value.push(c);
            map.push_escape(c.len_utf8(), Span::new(start + i, start + i + len));
        }
        i += len;
        from = i;
    }
    value.push_str(&body[from..]);
    map.push_verbatim(body.len() - from, start + from);
    Some((value, map))
}
