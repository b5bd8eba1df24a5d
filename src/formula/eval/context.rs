//! The context a formula reads: merge-field values in a dense `Vec` indexed by [`FieldId`],
//! `$Permission` flags and record fields keyed by lower-cased name, and the evaluation's "now".
//!
//! Values arrive as text (a `--context` JSON file, `--set NAME=VALUE`, an `sf data query`
//! record) and are converted here by the field's type, so evaluation never parses.

// `set` returns one Diagnostic by the shared API's design; they are rare and not on a hot path.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde_json::Value as Json;

use super::{ContextOptions, IdLength};
use crate::diag::{Code, Diagnostic, Span, suggest};
use crate::formula::catalog::fields::{self, FIELDS, FieldId, Global};
use crate::formula::check::{RecordField, Schema};
use crate::formula::{Type, Value};

/// The values a formula reads: merge fields, permissions and record fields.
#[derive(Clone, Debug, Default)]
pub struct Context {
    opts: ContextOptions,
    /// One slot per row of [`FIELDS`]; a missing slot reads as null.
    merge: Vec<Value>,
    /// `$Permission.<name>`, keyed by lower-cased name.
    permissions: HashMap<Box<str>, Value>,
    /// Record fields, keyed by lower-cased name.
    record: HashMap<Box<str>, RecordSlot>,
    now: NaiveDateTime,
}

#[derive(Clone, Debug)]
struct RecordSlot {
    name: String,
    ty: Type,
    value: Value,
}

impl Context {
    /// An empty context whose "now" is the current UTC time (millisecond precision).
    pub fn new(opts: ContextOptions) -> Self {
        let now = chrono::Utc::now().naive_utc();
        let now = now
            .with_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
            .unwrap_or(now);
        Context {
            opts,
            merge: vec![Value::Null; FIELDS.len()],
            permissions: HashMap::new(),
            record: HashMap::new(),
            now,
        }
    }

    /// The same context with a fixed "now" (tests, reproducible runs).
    pub fn with_now(mut self, now: NaiveDateTime) -> Self {
        self.now = now;
        self
    }

    /// The evaluation's single "now", UTC.
    pub fn now(&self) -> NaiveDateTime {
        self.now
    }

    pub fn options(&self) -> ContextOptions {
        self.opts
    }

    /// Reads a `--context` file: the JSON of DESIGN.md, or a User record as `sf data query --json`
    /// prints it (the record itself or the whole query output).
    pub fn from_json(json: &str, opts: ContextOptions) -> Result<Context, Vec<Diagnostic>> {
        let doc: Json = serde_json::from_str(json).map_err(|e| vec![json_error(json, &e)])?;
        let mut ctx = Context::new(opts);
        let mut diags = Vec::new();
        let Json::Object(top) = &doc else {
            return Err(vec![
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "the context must be a JSON object",
                )
                .with_help(CONTEXT_HELP),
            ]);
        };
        if let Some(record) = sf_record(&doc) {
            ctx.load_sf_record(record, &mut diags);
        } else {
            for (key, value) in top {
                ctx.load_section(key, value, &mut diags);
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            Err(diags)
        } else {
            Ok(ctx)
        }
    }

    fn load_section(&mut self, key: &str, value: &Json, diags: &mut Vec<Diagnostic>) {
        let global = match key.to_ascii_lowercase().as_str() {
            "$user" => Some(Global::User),
            "$organization" => Some(Global::Organization),
            "$profile" => Some(Global::Profile),
            "$userrole" => Some(Global::UserRole),
            "$permission" => {
                self.load_permissions(value, diags);
                return;
            }
            "fields" => {
                self.load_fields(value, diags);
                return;
            }
            "now" => {
                match value.as_str().map(parse_datetime) {
                    Some(Some(now)) => self.now = now,
                    _ => diags.push(
                        Diagnostic::new(
                            Code::InvalidContextValue,
                            format!(
                                "`now` must be a DateTime such as 2026-01-31T12:00:00Z, not {value}"
                            ),
                        )
                        .with_help("write it as YYYY-MM-DDTHH:MM:SSZ"),
                    ),
                }
                return;
            }
            _ => None,
        };
        let Some(global) = global else {
            diags.push(
                Diagnostic::new(
                    Code::UnknownContextField,
                    format!("unknown context section `{key}`"),
                )
                .with_help(CONTEXT_HELP),
            );
            return;
        };
        let Json::Object(obj) = value else {
            diags.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    format!("`{key}` must be an object of field names to values"),
                )
                .with_help(CONTEXT_HELP),
            );
            return;
        };
        for (field, v) in obj {
            if let Err(d) = self.set_merge_json(global, field, v) {
                diags.push(d);
            }
        }
    }

    fn load_permissions(&mut self, value: &Json, diags: &mut Vec<Diagnostic>) {
        let Json::Object(obj) = value else {
            diags.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "`$Permission` must be an object of names to booleans",
                )
                .with_help(r#"for example "$Permission": {"Voice_Agent": true}"#),
            );
            return;
        };
        for (name, v) in obj {
            match convert(Type::Boolean, v) {
                Ok(val) => {
                    self.permissions
                        .insert(name.to_ascii_lowercase().into(), val);
                }
                Err(why) => diags.push(bad_value(
                    &format!("$Permission.{name}"),
                    Type::Boolean,
                    why,
                )),
            }
        }
    }

    fn load_fields(&mut self, value: &Json, diags: &mut Vec<Diagnostic>) {
        let Json::Object(obj) = value else {
            diags.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "`fields` must be an object of field names to declarations",
                )
                .with_help(
                    r#"for example "fields": {"Name__c": {"type": "Number", "value": "1.5"}}"#,
                ),
            );
            return;
        };
        for (name, decl) in obj {
            let (ty_name, v) = match decl {
                Json::Object(d) => (
                    d.get("type").and_then(Json::as_str).unwrap_or("Text"),
                    d.get("value").unwrap_or(&Json::Null),
                ),
                Json::Bool(_) => ("Boolean", decl),
                Json::Number(_) => ("Number", decl),
                _ => ("Text", decl),
            };
            let Some(ty) = Type::parse(ty_name) else {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidContextValue,
                        format!("field `{name}` has unknown type `{ty_name}`"),
                    )
                    .with_help("use Text, Number, Currency, Percent, Boolean, Date, DateTime, Time or Picklist"),
                );
                continue;
            };
            match convert(ty, v) {
                Ok(mut val) => {
                    // A Percent field is given as Salesforce displays it (50 for 50%) and read as
                    // a fraction, as in formulas.
                    if ty_name.eq_ignore_ascii_case("percent")
                        && let Value::Number(n) = &val
                    {
                        val = Value::Number(n / BigDecimal::from(100));
                    }
                    self.insert_record(name, ty, val);
                }
                Err(why) => diags.push(bad_value(name, ty, why)),
            }
        }
    }

    fn load_sf_record(
        &mut self,
        record: &serde_json::Map<String, Json>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let global = record_global(record).unwrap_or(Global::User);
        for (key, v) in record {
            if key == "attributes" {
                continue;
            }
            if let Json::Object(rel) = v {
                // A relationship (`"Profile": {"Name": …}`) fills its own global.
                let g = record_global(rel).or(match key.to_ascii_lowercase().as_str() {
                    "profile" => Some(Global::Profile),
                    "userrole" => Some(Global::UserRole),
                    "organization" => Some(Global::Organization),
                    _ => None,
                });
                if let Some(g) = g {
                    for (field, fv) in rel {
                        if field != "attributes"
                            && !fv.is_object()
                            && find_field(g, field).is_some()
                            && let Err(d) = self.set_merge_json(g, field, fv)
                        {
                            diags.push(d);
                        }
                    }
                }
                continue;
            }
            // A query returns many columns the catalog has no use for: those are skipped.
            if find_field(global, key).is_some()
                && let Err(d) = self.set_merge_json(global, key, v)
            {
                diags.push(d);
            }
        }
    }

    fn set_merge_json(&mut self, global: Global, field: &str, v: &Json) -> Result<(), Diagnostic> {
        let Some(id) = find_field(global, field) else {
            return Err(unknown_merge_field(global, field));
        };
        let spec = fields::get(id);
        let val = convert(spec.ty, v).map_err(|why| bad_value(&spec.full_name(), spec.ty, why))?;
        self.set_merge(id, val);
        Ok(())
    }

    /// Sets a merge field's value. Id fields are brought to the configured length (15 or 18).
    pub fn set_merge(&mut self, id: FieldId, value: Value) {
        let spec = fields::get(id);
        let value = match (&value, spec.is_id) {
            (Value::Text(s), true) => Value::text(adjust_id(s, self.opts.id_length)),
            _ => value,
        };
        if let Some(slot) = self.merge.get_mut(id.0 as usize) {
            *slot = value;
        }
    }

    /// Sets `$Permission.<name>`.
    pub fn set_permission(&mut self, name: &str, granted: bool) {
        self.permissions
            .insert(name.to_ascii_lowercase().into(), Value::Boolean(granted));
    }

    /// Declares a record field (or re-declares it) with its value.
    pub fn insert_record(&mut self, name: &str, ty: Type, value: Value) {
        self.record.insert(
            name.to_ascii_lowercase().into(),
            RecordSlot {
                name: name.to_string(),
                ty,
                value,
            },
        );
    }

    /// Applies one `--set NAME=VALUE` (`$User.Alias=jdoe`, `$Permission.X=true`, or a record
    /// field; an undeclared record field is declared as Text).
    pub fn set(&mut self, assignment: &str) -> Result<(), Diagnostic> {
        let Some((name, raw)) = assignment.split_once('=') else {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("`{assignment}` is not an assignment"),
            )
            .with_help("write NAME=VALUE, for example `$User.Alias=jdoe`"));
        };
        let name = name.trim();
        let text = Json::String(raw.to_string());
        if let Some(rest) = name.strip_prefix('$') {
            let (global, field) = rest.split_once('.').unwrap_or((rest, ""));
            if global.eq_ignore_ascii_case("permission") && !field.is_empty() {
                let val = convert(Type::Boolean, &text)
                    .map_err(|why| bad_value(name, Type::Boolean, why))?;
                self.permissions
                    .insert(field.to_ascii_lowercase().into(), val);
                return Ok(());
            }
            let g = match global.to_ascii_lowercase().as_str() {
                "user" => Global::User,
                "organization" => Global::Organization,
                "profile" => Global::Profile,
                "userrole" => Global::UserRole,
                _ => {
                    return Err(Diagnostic::new(
                        Code::UnknownContextField,
                        format!("unknown global `${global}`"),
                    )
                    .with_help(
                        "the globals are $User, $Organization, $Profile, $UserRole and $Permission",
                    ));
                }
            };
            return self.set_merge_json(g, field, &text);
        }
        let key = name.to_ascii_lowercase();
        let ty = self.record.get(key.as_str()).map_or(Type::Text, |s| s.ty);
        let val = convert(ty, &text).map_err(|why| bad_value(name, ty, why))?;
        let declared = self
            .record
            .get(key.as_str())
            .map_or(name.to_string(), |s| s.name.clone());
        self.insert_record(&declared, ty, val);
        Ok(())
    }

    /// The record fields declared by the context (its `fields` object), for the checker.
    pub fn schema(&self) -> Schema {
        Schema {
            record: self
                .record
                .iter()
                .map(|(k, s)| {
                    (
                        k.to_string(),
                        RecordField {
                            name: s.name.clone(),
                            ty: s.ty,
                            formula: None,
                        },
                    )
                })
                .collect(),
        }
    }

    /// A merge field's value (null when unset).
    pub fn merge(&self, id: FieldId) -> &Value {
        self.merge.get(id.0 as usize).unwrap_or(&Value::Null)
    }

    /// `$Permission.<name>` by lower-cased name; an unset permission is null (reads as false).
    pub fn permission(&self, key: &str) -> &Value {
        self.permissions.get(key).unwrap_or(&Value::Null)
    }

    /// A record field by lower-cased name (null when unset).
    pub fn record(&self, key: &str) -> &Value {
        self.record.get(key).map_or(&Value::Null, |s| &s.value)
    }
}

const CONTEXT_HELP: &str = r#"the context is {"$User": {"Alias": "jdoe"}, "$Organization": {…}, "$Profile": {…}, "$UserRole": {…}, "$Permission": {"Name": true}, "fields": {"Name__c": {"type": "Number", "value": "1.5"}}}"#;

/// The User record inside `sf data query --json` output, or the document itself when it is one.
fn sf_record(doc: &Json) -> Option<&serde_json::Map<String, Json>> {
    let obj = doc.as_object()?;
    if obj.get("attributes").is_some_and(Json::is_object) {
        return Some(obj);
    }
    let records = obj.get("result")?.get("records")?.as_array()?;
    records.first()?.as_object()
}

/// The global an `sf` record's `attributes.type` names.
fn record_global(record: &serde_json::Map<String, Json>) -> Option<Global> {
    let ty = record.get("attributes")?.get("type")?.as_str()?;
    match ty {
        "User" => Some(Global::User),
        "Organization" => Some(Global::Organization),
        "Profile" => Some(Global::Profile),
        "UserRole" => Some(Global::UserRole),
        _ => None,
    }
}

fn find_field(global: Global, field: &str) -> Option<FieldId> {
    FIELDS
        .iter()
        .position(|f| f.global == global && f.name.eq_ignore_ascii_case(field))
        .map(|i| FieldId(i as u16))
}

fn unknown_merge_field(global: Global, field: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::UnknownContextField,
        format!("`{}.{field}` is not a known merge field", global.name()),
    );
    let names = FIELDS.iter().filter(|f| f.global == global).map(|f| f.name);
    d = match suggest::closest(field, names) {
        Some(name) => d.with_help(format!("did you mean `{}.{name}`?", global.name())),
        None => d.with_help(
            "`samlfx explain --fields` lists the merge fields samlfx knows; check the spelling",
        ),
    };
    d
}

fn bad_value(name: &str, ty: Type, why: String) -> Diagnostic {
    let help = match ty {
        Type::Number => "a Number is a decimal such as 1.5 or \"-12.00\"",
        Type::Boolean => "a Boolean is true or false",
        Type::Date => "a Date is written YYYY-MM-DD",
        Type::DateTime => {
            "a DateTime is written YYYY-MM-DDTHH:MM:SSZ (or with +0000 as sf prints it)"
        }
        Type::Time => "a Time is written HH:MM:SS.sss",
        _ => "give the value as a JSON string",
    };
    Diagnostic::new(
        Code::InvalidContextValue,
        format!("invalid {} value for `{name}`: {why}", ty.label()),
    )
    .with_help(help)
}

/// A serde_json error as a diagnostic placed at its line and column in the file.
fn json_error(src: &str, e: &serde_json::Error) -> Diagnostic {
    let line_start: usize = src
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum();
    let at = (line_start + e.column().saturating_sub(1)).min(src.len());
    let mut at = at;
    while !src.is_char_boundary(at) {
        at -= 1;
    }
    let end = src[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Diagnostic::new(
        Code::InvalidContextValue,
        format!("the context is not valid JSON: {e}"),
    )
    .at(Span::new(at, end))
    .with_help(CONTEXT_HELP)
}

/// Converts a JSON value to a formula value of type `ty`. JSON null and `""` are null.
pub fn convert(ty: Type, v: &Json) -> Result<Value, String> {
    let text: std::borrow::Cow<'_, str> = match v {
        Json::Null => return Ok(Value::Null),
        Json::String(s) if s.is_empty() => return Ok(Value::Null),
        Json::String(s) => s.as_str().into(),
        Json::Bool(b) => b.to_string().into(),
        Json::Number(n) => n.to_string().into(),
        Json::Array(_) | Json::Object(_) => return Err(format!("expected a value, found {v}")),
    };
    parse_value(ty, &text)
}

/// The largest decimal exponent (either way) a context number may have.
const MAX_SCALE: i64 = 1000;

/// Parses the text form of a value of type `ty`.
pub fn parse_value(ty: Type, s: &str) -> Result<Value, String> {
    if s.is_empty() {
        return Ok(Value::Null);
    }
    let t = s.trim();
    let fail = || format!("`{s}` is not a {}", ty.label());
    Ok(match ty {
        Type::Text | Type::Picklist | Type::Null => Value::text(s),
        Type::Number => {
            let ok = !t.is_empty()
                && t.trim_start_matches(['+', '-']).chars().all(|c| {
                    c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'
                });
            if !ok {
                return Err(fail());
            }
            let n = BigDecimal::from_str(t).map_err(|_| fail())?;
            // An exponent such as 1e999999999 would make every later operation huge.
            if n.fractional_digit_count().abs() > MAX_SCALE {
                return Err(format!("`{s}` is out of range"));
            }
            Value::Number(n)
        }
        Type::Boolean => match t.to_ascii_lowercase().as_str() {
            "true" => Value::Boolean(true),
            "false" => Value::Boolean(false),
            _ => return Err(fail()),
        },
        Type::Date => Value::Date(NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| fail())?),
        Type::DateTime => Value::DateTime(parse_datetime(t).ok_or_else(fail)?),
        Type::Time => Value::Time(parse_time(t).ok_or_else(fail)?),
    })
}

/// `YYYY-MM-DDTHH:MM:SS(.sss)` with `Z`, an offset (`+0000`, `+00:00`) or nothing (UTC), `T` or
/// a space between date and time.
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    let body = s.replacen(' ', "T", 1);
    let dt = if let Some(naive) = body.strip_suffix('Z') {
        NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(naive, "%Y-%m-%dT%H:%M"))
            .ok()?
    } else if let Ok(d) = DateTime::parse_from_str(&body, "%Y-%m-%dT%H:%M:%S%.f%z") {
        d.naive_utc()
    } else {
        NaiveDateTime::parse_from_str(&body, "%Y-%m-%dT%H:%M:%S%.f").ok()?
    };
    let ms = dt.nanosecond() / 1_000_000 * 1_000_000;
    dt.with_nanosecond(ms)
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.sss` (a trailing `Z` is allowed) to milliseconds.
pub fn parse_time(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches('Z');
    let t = NaiveTime::parse_from_str(s, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M"))
        .ok()?;
    Some(t.num_seconds_from_midnight() * 1000 + t.nanosecond() / 1_000_000 % 1000)
}

/// An Id at the configured length: 18 characters cut to 15, 15 extended with CASESAFEID's
/// checksum. Anything else is kept as given.
pub fn adjust_id(s: &str, len: IdLength) -> String {
    match (len, s.len()) {
        (IdLength::Fifteen, 18) if s.is_ascii() => s[..15].to_string(),
        (IdLength::Eighteen, 15) if s.is_ascii() => casesafe_id(s),
        _ => s.to_string(),
    }
}

/// CASESAFEID's algorithm: each 5-character chunk of a 15-character Id gives one check
/// character, whose bit j says whether the chunk's j-th character is an upper-case letter.
/// Input that is not 15 ASCII characters is returned unchanged.
pub fn casesafe_id(id: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    if id.len() != 15 || !id.is_ascii() {
        return id.to_string();
    }
    let mut out = String::with_capacity(18);
    out.push_str(id);
    for chunk in id.as_bytes().chunks(5) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (j, _)| acc | (1 << j));
        out.push(ALPHABET[bits] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_alias() -> FieldId {
        fields::lookup("$User.Alias").unwrap().0
    }

    #[test]
    fn casesafe_id_matches_the_documented_example() {
        assert_eq!(casesafe_id("001xx000003DHur"), "001xx000003DHurAAG");
        assert_eq!(casesafe_id("short"), "short");
    }

    #[test]
    fn ids_follow_the_length_setting() {
        let id = fields::lookup("$User.Id").unwrap().0;
        let mut c15 = Context::new(ContextOptions::default());
        c15.set_merge(id, Value::text("005xx000001AbCdAAA"));
        assert_eq!(c15.merge(id), &Value::text("005xx000001AbCd"));
        let mut c18 = Context::new(ContextOptions {
            id_length: IdLength::Eighteen,
        });
        c18.set("$User.Id=001xx000003DHur").unwrap();
        assert_eq!(c18.merge(id), &Value::text("001xx000003DHurAAG"));
    }

    #[test]
    fn reads_the_design_format() {
        let ctx = Context::from_json(
            r#"{"$User": {"Alias": "jdoe"}, "$Permission": {"Voice": true},
                "fields": {"Amount__c": {"type": "Number", "value": "1.50"},
                           "Rate__c": {"type": "Percent", "value": 50},
                           "When__c": {"type": "DateTime", "value": "2024-01-02T03:04:05.000+0000"},
                           "Blank__c": {"type": "Text", "value": ""}}}"#,
            ContextOptions::default(),
        )
        .unwrap();
        assert_eq!(ctx.merge(user_alias()), &Value::text("jdoe"));
        assert_eq!(ctx.permission("voice"), &Value::Boolean(true));
        assert_eq!(
            ctx.record("amount__c"),
            &Value::Number("1.50".parse().unwrap())
        );
        assert_eq!(
            ctx.record("rate__c"),
            &Value::Number("0.5".parse().unwrap())
        );
        assert_eq!(
            ctx.record("when__c"),
            &Value::DateTime(parse_datetime("2024-01-02T03:04:05Z").unwrap())
        );
        assert_eq!(ctx.record("blank__c"), &Value::Null);
        let schema = ctx.schema();
        assert_eq!(schema.record["amount__c"].ty, Type::Number);
        assert_eq!(schema.record["amount__c"].name, "Amount__c");
    }

    #[test]
    fn reads_sf_data_query_output() {
        let json = r#"{"status": 0, "result": {"records": [{"attributes": {"type": "User", "url": "/x"},
            "Alias": "jdoe", "Id": "005xx000001AbCdAAA", "Unused": 3}], "totalSize": 1}}"#;
        let ctx = Context::from_json(json, ContextOptions::default()).unwrap();
        assert_eq!(ctx.merge(user_alias()), &Value::text("jdoe"));
        let id = fields::lookup("$User.Id").unwrap().0;
        assert_eq!(ctx.merge(id), &Value::text("005xx000001AbCd"));
    }

    #[test]
    fn relationships_in_an_sf_record_fill_profile_and_role() {
        let json = r#"{"attributes": {"type": "User"}, "Alias": "jdoe", "IsActive": true,
            "Profile": {"attributes": {"type": "Profile"}, "Name": "Voice Agent"},
            "UserRole": null, "Manager": {"Name": "Boss"}}"#;
        let ctx = Context::from_json(json, ContextOptions::default()).unwrap();
        let profile = fields::lookup("$Profile.Name").unwrap().0;
        assert_eq!(ctx.merge(profile), &Value::text("Voice Agent"));
        let active = fields::lookup("$User.IsActive").unwrap().0;
        assert_eq!(ctx.merge(active), &Value::Boolean(true));
    }

    #[test]
    fn unknown_fields_and_bad_values_are_diagnosed() {
        let errs = Context::from_json(r#"{"$User": {"Alais": "x"}}"#, ContextOptions::default())
            .unwrap_err();
        assert_eq!(errs[0].code, Code::UnknownContextField);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `$User.Alias`?"));
        let errs = Context::from_json(
            r#"{"fields": {"N__c": {"type": "Number", "value": "abc"}}}"#,
            ContextOptions::default(),
        )
        .unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidContextValue);
        let errs =
            Context::from_json("{\n  \"$User\": {,}", ContextOptions::default()).unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidContextValue);
        assert_eq!(errs[0].span, Some(Span::new(14, 15)));
    }

    #[test]
    fn set_declares_and_converts() {
        let mut ctx = Context::new(ContextOptions::default());
        ctx.set("$Permission.Voice=TRUE").unwrap();
        assert_eq!(ctx.permission("voice"), &Value::Boolean(true));
        ctx.set("Team__c=blue").unwrap();
        assert_eq!(ctx.record("team__c"), &Value::text("blue"));
        assert!(ctx.set("$Permission.Voice=maybe").is_err());
        assert_eq!(
            ctx.set("$Nope.X=1").unwrap_err().code,
            Code::UnknownContextField
        );
        assert!(ctx.set("no equals sign").is_err());
    }

    #[test]
    fn times_parse_to_milliseconds() {
        assert_eq!(parse_time("12:34:55.666"), Some(45_295_666));
        assert_eq!(parse_time("02:00"), Some(7_200_000));
        assert_eq!(parse_time("25:00"), None);
    }

    #[test]
    fn numbers_keep_their_scale_and_refuse_absurd_exponents() {
        let Value::Number(n) = parse_value(Type::Number, "4.00").unwrap() else {
            panic!("a Number")
        };
        assert_eq!(n.fractional_digit_count(), 2);
        assert!(parse_value(Type::Number, "1e999999999").is_err());
        assert!(parse_value(Type::Number, "12a").is_err());
        assert_eq!(parse_value(Type::Number, "").unwrap(), Value::Null);
    }
}
