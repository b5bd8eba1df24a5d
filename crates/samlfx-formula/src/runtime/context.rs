//! The context a formula reads: merge-field values in a dense `Vec` indexed by [`FieldId`],
//! `$Permission` flags and record fields keyed by lower-cased name, and the evaluation's "now".
//!
//! Values arrive as text (a `--context` JSON file, `--set NAME=VALUE`, an `sf data query`
//! record) and are converted here by the field's type, so evaluation never parses.
//!
//! A context owns the [`Schema`] it was built with ([`Context::new_with_schema`],
//! [`Context::from_json_with_schema`]; a context file's `"schema"` section adds to it). A value
//! for a declared record or custom field must fit the declaration (type, Text length,
//! required); a value for an undeclared one declares it by inference (see [`crate::schema`]).

// `set` returns one Diagnostic by the shared API's design; they are rare and not on a hot path.
#![allow(clippy::result_large_err)]

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde_json::Value as Json;

mod spans;

use self::spans::JsonSpans;
use super::ContextOptions;
use crate::catalog::fields::{self, FIELDS, FieldId, FieldSpec, Format, Global};
use crate::schema::{self, Declaration, Origin, RecordField, Schema, custom_name};
use crate::{Type, Value, id};
use samlfx_diag::{Code, Diagnostic, Span, suggest};

/// The values a formula reads: merge fields, permissions and record fields.
#[derive(Clone, Debug, Default)]
pub struct Context {
    opts: ContextOptions,
    /// One slot per row of [`FIELDS`]; a missing slot reads as null.
    merge: Vec<Value>,
    /// `$Permission.<name>`, keyed by lower-cased name.
    permissions: HashMap<Box<str>, Value>,
    /// The declared (or inferred) record and custom fields.
    schema: Schema,
    /// Record field values, keyed by lower-cased name; each field is in `schema`.
    record: HashMap<Box<str>, Value>,
    now: NaiveDateTime,
}

impl Context {
    /// An empty context whose "now" is the current UTC time (millisecond precision), with an
    /// empty schema.
    pub fn new(opts: ContextOptions) -> Self {
        Context::new_with_schema(opts, Schema::default())
    }

    /// An empty context whose record and custom fields are declared by `schema`: values given
    /// later must fit it.
    pub fn new_with_schema(opts: ContextOptions, schema: Schema) -> Self {
        let now = chrono::Utc::now().naive_utc();
        let now = now
            .with_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
            .unwrap_or(now);
        Context {
            opts,
            merge: FIELDS
                .iter()
                .map(|f| f.constant.clone().unwrap_or(Value::Null))
                .collect(),
            permissions: HashMap::new(),
            schema,
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

    /// Reads a `--context` file: samlfx's context JSON, or a User record as `sf data query --json`
    /// prints it (the record itself, the whole query output, or a REST query result).
    ///
    /// A key given twice in one JSON object keeps its last value (serde_json's behaviour); that
    /// is left as is, since JSON itself does not forbid it. Diagnostics about a value point at
    /// it in `json`.
    pub fn from_json(json: &str, opts: ContextOptions) -> Result<Context, Vec<Diagnostic>> {
        Context::from_json_with_schema(json, opts, Schema::default())
    }

    /// [`Context::from_json`] with fields already declared (`--field`); the file's `"schema"`
    /// section adds to `schema`, and may repeat a declaration but not contradict it.
    pub fn from_json_with_schema(
        json: &str,
        opts: ContextOptions,
        schema: Schema,
    ) -> Result<Context, Vec<Diagnostic>> {
        // Windows editors often start a file with a byte-order mark: read past it, and report
        // positions in the file as written.
        match json.strip_prefix('\u{FEFF}') {
            Some(rest) => Context::from_json_text(rest, opts, schema).map_err(|diags| {
                let bom = '\u{FEFF}'.len_utf8();
                diags.into_iter().map(|d| d.shifted(bom)).collect()
            }),
            None => Context::from_json_text(json, opts, schema),
        }
    }

    fn from_json_text(
        json: &str,
        opts: ContextOptions,
        schema: Schema,
    ) -> Result<Context, Vec<Diagnostic>> {
        let doc: Json = serde_json::from_str(json).map_err(|e| vec![json_error(json, &e)])?;
        let mut ctx = Context::new_with_schema(opts, schema);
        let Json::Object(top) = &doc else {
            return Err(vec![
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "the context must be a JSON object",
                )
                .with_help(CONTEXT_HELP),
            ]);
        };
        let mut load = Loader {
            spans: JsonSpans::scan(json),
            diags: Vec::new(),
        };
        if let Some((base, records)) = sf_records(&doc) {
            match records[..] {
                [record] => {
                    // A lone record is the file itself; a query result's is its first element.
                    let path = if base.is_empty() {
                        Vec::new()
                    } else {
                        [base, &["0"]].concat()
                    };
                    ctx.load_sf_record(record, &mut load, &path);
                }
                _ => load.push(
                    Diagnostic::new(
                        Code::InvalidContextValue,
                        format!(
                            "the context must hold one user, but the query result holds {} records",
                            records.len()
                        ),
                    )
                    .with_help(
                        "query a single user, e.g. `sf data query --json --query \"SELECT … FROM User WHERE Id = '005…'\"`",
                    ),
                    base,
                ),
            }
        } else {
            // Declarations first, whatever the order of the file's keys: values are checked
            // against them.
            let is_schema = |k: &str| k.eq_ignore_ascii_case("schema");
            for (key, value) in top.iter().filter(|(k, _)| is_schema(k)) {
                ctx.load_schema(key, value, &mut load);
            }
            for (key, value) in top.iter().filter(|(k, _)| !is_schema(k)) {
                ctx.load_section(key, value, &mut load);
            }
        }
        if load.diags.iter().any(Diagnostic::is_error) {
            Err(load.diags)
        } else {
            Ok(ctx)
        }
    }

    fn load_section(&mut self, key: &str, value: &Json, load: &mut Loader) {
        let global = match key.to_ascii_lowercase().as_str() {
            "$permission" => {
                self.load_permissions(key, value, load);
                return;
            }
            "fields" => {
                self.load_fields(key, value, load);
                return;
            }
            "now" => {
                match value.as_str().map(parse_datetime) {
                    Some(Some(now)) => self.now = now,
                    _ => load.push(
                        Diagnostic::new(
                            Code::InvalidContextValue,
                            format!(
                                "`now` must be a DateTime such as 2026-01-31T12:00:00Z, not {value}"
                            ),
                        )
                        .with_help("write it as YYYY-MM-DDTHH:MM:SSZ"),
                        &[key],
                    ),
                }
                return;
            }
            _ => Global::parse(key),
        };
        let Some(global) = global else {
            load.push(
                Diagnostic::new(
                    Code::UnknownContextField,
                    format!("unknown context section `{key}`"),
                )
                .with_help(CONTEXT_HELP),
                &[key],
            );
            return;
        };
        let Json::Object(obj) = value else {
            load.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    format!("`{key}` must be an object of field names to values"),
                )
                .with_help(CONTEXT_HELP),
                &[key],
            );
            return;
        };
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (field, v) in obj {
            if field == "attributes" && v.is_object() {
                // The metadata of a record as `sf data query --json` prints it.
                continue;
            }
            if let Some(first) = seen.insert(field.to_ascii_lowercase(), field) {
                load.push(
                    Diagnostic::new(
                        Code::InvalidContextValue,
                        format!(
                            "`{key}` gives the field twice, as `{first}` and `{field}`; field names ignore case"
                        ),
                    )
                    .with_help("keep one of the two"),
                    &[key, field],
                );
                continue;
            }
            if let Some(full) = custom_name(global, field) {
                self.load_record_value(&full, v, load, &[key, field]);
            } else if let Err(d) = self.set_merge_json(global, field, v) {
                load.push(d, &[key, field]);
            }
        }
    }

    fn load_permissions(&mut self, key: &str, value: &Json, load: &mut Loader) {
        let Json::Object(obj) = value else {
            load.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "`$Permission` must be an object of names to booleans",
                )
                .with_help(r#"for example "$Permission": {"Voice_Agent": true}"#),
                &[key],
            );
            return;
        };
        for (name, v) in obj {
            match convert(Type::Boolean, v) {
                Ok(val) => {
                    self.permissions
                        .insert(name.to_ascii_lowercase().into(), val);
                }
                Err(why) => load.push(
                    bad_value(&format!("$Permission.{name}"), Type::Boolean, why),
                    &[key, name],
                ),
            }
        }
    }

    fn load_fields(&mut self, key: &str, value: &Json, load: &mut Loader) {
        let Json::Object(obj) = value else {
            load.push(
                Diagnostic::new(
                    Code::InvalidContextValue,
                    "`fields` must be an object of field names to declarations",
                )
                .with_help(
                    r#"for example "fields": {"Name__c": {"type": "Number", "value": "1.5"}}"#,
                ),
                &[key],
            );
            return;
        };
        for (name, decl) in obj {
            self.load_record_value(name, decl, load, &[key, name]);
        }
    }

    /// The `"schema"` section: field names to a type name (`"Number"`) or to
    /// `{"type": T, "length": N, "required": B}`. Each error points at the part that is wrong.
    fn load_schema(&mut self, key: &str, value: &Json, load: &mut Loader) {
        let Json::Object(obj) = value else {
            load.push(
                Diagnostic::new(
                    Code::InvalidFieldDeclaration,
                    "`schema` must be an object of field names to declarations",
                )
                .with_help(SCHEMA_HELP),
                &[key],
            );
            return;
        };
        for (name, decl) in obj {
            let added = schema_entry(name, decl)
                .and_then(|d| self.schema.add(d).map_err(|e| (e, Part::Name)));
            match added {
                Ok(()) => {}
                Err((d, Part::Name)) => load.push_key(d, &[key, name]),
                Err((d, Part::Entry)) => load.push(d, &[key, name]),
                Err((d, Part::Member(m))) => load.push(d, &[key, name, m]),
                Err((d, Part::MemberKey(m))) => load.push_key(d, &[key, name, m]),
            }
        }
    }

    /// A record or custom field's value, `{"type": T, "value": V}` or a bare value. A declared
    /// field's value must fit its declaration; an undeclared one is declared by the value's
    /// `type`, or by its JSON kind (string Text, number Number, boolean Boolean).
    fn load_record_value(&mut self, name: &str, decl: &Json, load: &mut Loader, path: &[&str]) {
        let declared = self
            .schema
            .get(name)
            .is_some_and(|f| f.origin == Origin::Declared);
        let (ty_name, v, typed) = match decl {
            // Without a `type`, the declaration's, else Text.
            Json::Object(d) => (
                match d.get("type").and_then(Json::as_str) {
                    None if !declared => Some("Text"),
                    t => t,
                },
                d.get("value").unwrap_or(&Json::Null),
                true,
            ),
            _ => (None, decl, false),
        };
        let sub = |last: &'static str| {
            let mut p = path.to_vec();
            if typed {
                p.push(last);
            }
            p
        };
        match self.assign_record(name, ty_name, v, true) {
            Ok(()) => {}
            Err(Misfit::Type(d)) => load.push(d, &sub("type")),
            Err(Misfit::Value(d)) => load.push(d, &sub("value")),
        }
    }

    /// Sets a record or custom field from a value and, optionally, the type the value names
    /// (`{"type": …}`, `--set NAME:Type=`). Declared, the field keeps its declaration and the
    /// value must fit it; undeclared, the named type, else the JSON kind (`by_kind`, for JSON
    /// values) or the type an earlier value inferred, else Text, declares it by inference.
    fn assign_record(
        &mut self,
        name: &str,
        ty_name: Option<&str>,
        v: &Json,
        by_kind: bool,
    ) -> Result<(), Misfit> {
        let key = name.to_ascii_lowercase();
        let named = match ty_name {
            None => None,
            Some(t) => Some((
                Type::parse(t).ok_or_else(|| {
                    Misfit::Type(
                        Diagnostic::new(
                            Code::InvalidContextValue,
                            format!("field `{name}` has unknown type `{t}`"),
                        )
                        .with_help(TYPE_HELP),
                    )
                })?,
                t.trim().eq_ignore_ascii_case("percent"),
            )),
        };
        let known = self.schema.get(&key);
        if let Some(field) = known.filter(|f| f.origin == Origin::Declared) {
            if let (Some((ty, percent)), Some(t)) = (named, ty_name)
                && (ty != field.ty || percent != field.percent)
            {
                return Err(Misfit::Type(
                    Diagnostic::new(
                        Code::InvalidContextValue,
                        format!(
                            "the value for `{}` is given as {t}, but the field is declared {}",
                            field.name,
                            field.describe()
                        ),
                    )
                    .with_help("the declaration decides the type: drop the value's type, or change the declaration"),
                ));
            }
            let val = declared_value(field, v).map_err(Misfit::Value)?;
            self.record.insert(key.into(), val);
            return Ok(());
        }
        let (ty, percent) = match (named, known) {
            (Some(named), _) => named,
            (None, _) if by_kind => (
                match v {
                    Json::Number(_) => Type::Number,
                    Json::Bool(_) => Type::Boolean,
                    _ => Type::Text,
                },
                false,
            ),
            (None, Some(inferred)) => (inferred.ty, inferred.percent),
            (None, None) => (Type::Text, false),
        };
        let shown = known.map_or(name.to_string(), |f| f.name.clone());
        let val = convert(ty, v).map_err(|why| Misfit::Value(bad_value(&shown, ty, why)))?;
        let val = if percent { as_fraction(val) } else { val };
        self.schema.infer(&shown, ty, percent);
        self.record.insert(key.into(), val);
        Ok(())
    }

    /// One `sf data query` record; `path` is where it sits in the file.
    fn load_sf_record(
        &mut self,
        record: &serde_json::Map<String, Json>,
        load: &mut Loader,
        path: &[&str],
    ) {
        let global = record_global(record).unwrap_or(Global::User);
        for (key, v) in record {
            if key == "attributes" {
                continue;
            }
            let at = |field: &[&str]| -> Vec<String> {
                path.iter().chain(field).map(|s| (*s).to_owned()).collect()
            };
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
                        if field == "attributes" || fv.is_object() {
                            continue;
                        }
                        if let Err(d) = self.load_sf_field(g, field, fv) {
                            load.push(d, &at(&[key, field]));
                        }
                    }
                }
                continue;
            }
            if let Err(d) = self.load_sf_field(global, key, v) {
                load.push(d, &at(&[key]));
            }
        }
    }

    /// One column of an `sf` record: a catalog field, a custom field (`…__c`: as declared;
    /// undeclared, Text unless the JSON holds a number or a boolean), or a column the catalog
    /// has no use for (skipped: a query returns many).
    fn load_sf_field(&mut self, global: Global, field: &str, v: &Json) -> Result<(), Diagnostic> {
        if let Some(full) = custom_name(global, field) {
            return self
                .assign_record(&full, None, v, true)
                .map_err(Misfit::into_diagnostic);
        }
        if fields::lookup_in(global, field).is_some() {
            self.set_merge_json(global, field, v)?;
        }
        Ok(())
    }

    fn set_merge_json(&mut self, global: Global, field: &str, v: &Json) -> Result<(), Diagnostic> {
        let Some((id, spec)) = fields::lookup_in(global, field) else {
            return Err(unknown_merge_field(global, field));
        };
        if spec.constant.is_some() {
            return Err(Diagnostic::new(
                Code::UnknownContextField,
                format!("`{}` is a constant and cannot be set", spec.full_name()),
            )
            .with_help("remove it from the context; formulas always read its fixed value"));
        }
        let val = self.merge_value(spec, v)?;
        self.set_merge(id, val);
        Ok(())
    }

    /// Converts a context value for a merge field, applying the catalog's value shape: a
    /// required field is not blank, an Id is a valid 15- or 18-character Id, Text comes as a
    /// JSON string within the field's length bounds, and an e-mail field looks like one.
    fn merge_value(&self, spec: &FieldSpec, v: &Json) -> Result<Value, Diagnostic> {
        let name = spec.full_name();
        if matches!(spec.ty, Type::Text | Type::Picklist)
            && matches!(v, Json::Number(_) | Json::Bool(_))
        {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!(
                    "invalid {} value for `{name}`: {v} is a JSON {}, not text",
                    spec.ty.label(),
                    if v.is_number() { "number" } else { "boolean" }
                ),
            )
            .with_help(format!(
                "{name} is {}: quote the value, \"{v}\"",
                spec.ty.label()
            )));
        }
        let blank = match v {
            Json::Null => true,
            Json::String(s) => s.trim().is_empty(),
            _ => false,
        };
        if blank && !spec.shape.nullable {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("invalid value for `{name}`: {} is required", spec.name),
            )
            .with_help(format!(
                "a user always has a {}: give it a value, or leave it out of the context",
                spec.name
            )));
        }
        let val = convert(spec.ty, v).map_err(|why| bad_value(&name, spec.ty, why))?;
        let Value::Text(s) = &val else {
            return Ok(val);
        };
        if spec.is_id {
            return match id::normalise(s, self.opts.id_length) {
                Ok(norm) => Ok(Value::text(norm)),
                Err(bad) => Err(Diagnostic::new(
                    Code::InvalidContextValue,
                    format!("invalid Id for `{name}`: {}", bad.reason),
                )
                .with_help(bad.help)),
            };
        }
        let (min, max) = (
            usize::from(spec.shape.min_len),
            usize::from(spec.shape.max_len),
        );
        // Lengths in UTF-16 code units, the unit of every shape (crate::shape).
        let len = s.encode_utf16().count();
        let bounds = if max > 0 && len > max {
            Some(format!("{} holds at most {max} characters", spec.name))
        } else if len < min {
            Some(format!("{} holds at least {min} characters", spec.name))
        } else {
            None
        };
        if let Some(help) = bounds {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("invalid value for `{name}`: `{s}` has {len} characters"),
            )
            .with_help(help));
        }
        if spec.shape.format == Format::Email && !looks_like_email(s) {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("invalid value for `{name}`: `{s}` is not an e-mail address"),
            )
            .with_help(format!(
                "{} is e-mail shaped: name@domain.tld, one `@`, no spaces",
                spec.name
            )));
        }
        Ok(val)
    }

    /// Sets a merge field's value. A valid Id is brought to the configured length (15 or 18);
    /// the value is otherwise stored as given (contexts read from JSON or `--set` are
    /// validated before they get here).
    pub fn set_merge(&mut self, id: FieldId, value: Value) {
        let spec = fields::get(id);
        let value = match (&value, spec.is_id) {
            (Value::Text(s), true) => match id::normalise(s, self.opts.id_length) {
                // Already at the configured length: the value is kept, not copied.
                Ok(Cow::Borrowed(n)) if n.len() == s.len() => value,
                Ok(n) => Value::text(n),
                Err(_) => value,
            },
            _ => value,
        };
        if let Some(slot) = self.merge.get_mut(id.0 as usize) {
            *slot = value;
        }
    }

    /// Sets a record field's value as given, unchecked (as [`Context::set_merge`]), declaring
    /// it by inference as `ty` unless the schema declares it. A custom field of a global is a
    /// record field named in full: `$User.AWS_Role__c`.
    pub fn insert_record(&mut self, name: &str, ty: Type, value: Value) {
        self.schema.infer(name, ty, false);
        self.record.insert(name.to_ascii_lowercase().into(), value);
    }

    /// Applies one `--set NAME=VALUE` (`$User.Alias=jdoe`, `$Permission.X=true`, a custom field
    /// `$User.AWS_Role__c=…`, or a record field). A record or custom field may carry its type,
    /// `NAME:Type=VALUE` (`N__c:Number=5`, types as [`Type::parse`] reads them), which must agree
    /// with a declaration; an undeclared untyped one is declared as Text, or keeps the type an
    /// earlier value gave it.
    pub fn set(&mut self, assignment: &str) -> Result<(), Diagnostic> {
        let Some((lhs, raw)) = assignment.split_once('=') else {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("`{assignment}` is not an assignment"),
            )
            .with_help("write NAME=VALUE or NAME:Type=VALUE, for example `$User.Alias=jdoe` or `N__c:Number=5`"));
        };
        let (name, ty_name) = match lhs.split_once(':') {
            Some((n, t)) => (n.trim(), Some(t.trim())),
            None => (lhs.trim(), None),
        };
        let text = Json::String(raw.to_string());
        let Some(rest) = name.strip_prefix('$') else {
            return self.set_record(name, ty_name, raw);
        };
        let (global, field) = rest.split_once('.').unwrap_or((rest, ""));
        let parsed = Global::parse(&format!("${global}"));
        if let Some(full) = parsed.and_then(|g| custom_name(g, field)) {
            return self.set_record(&full, ty_name, raw);
        }
        if let Some(t) = ty_name {
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("`{name}` takes no type: `:{t}`"),
            )
            .with_help(format!(
                "merge fields and permissions have their type from the catalog: write `{name}=VALUE`"
            )));
        }
        if global.eq_ignore_ascii_case("permission") && !field.is_empty() {
            let val =
                convert(Type::Boolean, &text).map_err(|why| bad_value(name, Type::Boolean, why))?;
            self.permissions
                .insert(field.to_ascii_lowercase().into(), val);
            return Ok(());
        }
        let Some(g) = parsed else {
            return Err(Diagnostic::new(
                Code::UnknownContextField,
                format!("unknown global `${global}`"),
            )
            .with_help(
                "the globals are $User, $Organization, $Profile, $UserRole and $Permission",
            ));
        };
        self.set_merge_json(g, field, &text)
    }

    /// `--set` for a record or custom field, `name` as it will be shown.
    fn set_record(
        &mut self,
        name: &str,
        ty_name: Option<&str>,
        raw: &str,
    ) -> Result<(), Diagnostic> {
        self.assign_record(name, ty_name, &Json::String(raw.to_string()), false)
            .map_err(Misfit::into_diagnostic)
    }

    /// The fields this context's formulas may read besides merge fields: declared ones and
    /// those inferred from values (`$User.AWS_Role__c`, keyed `$user.aws_role__c`), for the
    /// checker.
    pub fn schema(&self) -> &Schema {
        &self.schema
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
        self.record.get(key).unwrap_or(&Value::Null)
    }
}

/// Where in a `schema` entry an error belongs.
enum Part<'j> {
    /// The field's name (the entry's key).
    Name,
    /// The whole entry's value.
    Entry,
    /// A member's value: `type`, `length`, `required`.
    Member(&'j str),
    /// A member's key (an unknown one).
    MemberKey(&'j str),
}

/// One entry of a `schema` section, `"NAME": "Type"` or `"NAME": {"type": T, "length": N,
/// "required": B}`, checked part by part so that an error names the part that is wrong.
fn schema_entry<'j>(name: &str, decl: &'j Json) -> Result<Declaration, (Diagnostic, Part<'j>)> {
    let fail = |message: String, help: &str| {
        Diagnostic::new(Code::InvalidFieldDeclaration, message).with_help(help)
    };
    let (ty_name, type_at, len, required) = match decl {
        Json::String(t) => (t.as_str(), Part::Entry, None, false),
        Json::Object(d) => {
            if let Some(other) = d
                .keys()
                .find(|k| !matches!(k.as_str(), "type" | "length" | "required"))
            {
                return Err((
                    fail(
                        format!("the declaration of `{name}` has an unknown key `{other}`"),
                        "a declaration has `type`, and may have `length` (Text) and `required`",
                    ),
                    Part::MemberKey(other),
                ));
            }
            let Some(t) = d.get("type").and_then(Json::as_str) else {
                let at = if d.contains_key("type") {
                    Part::Member("type")
                } else {
                    Part::Entry
                };
                return Err((
                    fail(
                        format!("the declaration of `{name}` needs a `type` string"),
                        SCHEMA_HELP,
                    ),
                    at,
                ));
            };
            let required = match d.get("required") {
                None => false,
                Some(Json::Bool(b)) => *b,
                Some(other) => {
                    return Err((
                        fail(
                            format!(
                                "`required` in the declaration of `{name}` must be true or false, not {other}"
                            ),
                            "write \"required\": true for a field that is never blank",
                        ),
                        Part::Member("required"),
                    ));
                }
            };
            (t, Part::Member("type"), d.get("length"), required)
        }
        _ => {
            return Err((
                fail(
                    format!("`{name}` must be declared by a type name or an object, not {decl}"),
                    SCHEMA_HELP,
                ),
                Part::Entry,
            ));
        }
    };
    let full = schema::declared_name(name).map_err(|d| (d, Part::Name))?;
    let ty = schema::declared_type(&full, ty_name).map_err(|d| (d, type_at))?;
    let max_len = match len {
        None => None,
        Some(n) => Some(
            match n.as_u64() {
                Some(n) => schema::declared_length(&full, ty, ty_name, n),
                None => Err(schema::not_a_length(&full, &n.to_string())),
            }
            .map_err(|d| (d, Part::Member("length")))?,
        ),
    };
    Ok(Declaration {
        name: full,
        ty,
        max_len,
        percent: ty_name.trim().eq_ignore_ascii_case("percent"),
        nullable: !required,
    })
}

/// Why a record value was refused: its named type (placed at `type`) or the value itself.
enum Misfit {
    Type(Diagnostic),
    Value(Diagnostic),
}

impl Misfit {
    fn into_diagnostic(self) -> Diagnostic {
        match self {
            Misfit::Type(d) | Misfit::Value(d) => d,
        }
    }
}

/// Converts a value for a declared field: a Text or Picklist field takes a JSON string, a
/// required one is not blank, Text is within the declared length (in UTF-16 units, as
/// [`crate::shape`] counts), and a Percent is read as a fraction.
fn declared_value(field: &RecordField, v: &Json) -> Result<Value, Diagnostic> {
    let name = &field.name;
    let declared = field.describe();
    if matches!(field.ty, Type::Text | Type::Picklist)
        && matches!(v, Json::Number(_) | Json::Bool(_))
    {
        return Err(Diagnostic::new(
            Code::InvalidContextValue,
            format!(
                "invalid {} value for `{name}`: {v} is a JSON {}, not text",
                field.ty.label(),
                if v.is_number() { "number" } else { "boolean" }
            ),
        )
        .with_help(format!(
            "{name} is declared {declared}: quote the value, \"{v}\""
        )));
    }
    let blank = match v {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        _ => false,
    };
    if blank && !field.nullable {
        return Err(Diagnostic::new(
            Code::InvalidContextValue,
            format!("invalid value for `{name}`: the field is declared required"),
        )
        .with_help(format!(
            "give {name} a value, or leave it out of the context"
        )));
    }
    let val = convert(field.ty, v).map_err(|why| bad_value(name, field.ty, why))?;
    if let Value::Text(s) = &val
        && matches!(field.ty, Type::Text | Type::Picklist)
    {
        let max = usize::from(field.max_len.unwrap_or(schema::MAX_TEXT_LEN));
        let len = s.encode_utf16().count();
        if len > max {
            let why = match field.max_len {
                Some(_) => {
                    format!("{name} is declared {declared}: it holds at most {max} characters")
                }
                None => format!(
                    "{name} is declared {}, which holds at most {max} characters",
                    field.ty.label()
                ),
            };
            return Err(Diagnostic::new(
                Code::InvalidContextValue,
                format!("invalid value for `{name}`: `{s}` has {len} characters"),
            )
            .with_help(why));
        }
    }
    Ok(if field.percent { as_fraction(val) } else { val })
}

const CONTEXT_HELP: &str = r#"the context is {"$User": {"Alias": "jdoe"}, "$Organization": {…}, "$Profile": {…}, "$UserRole": {…}, "$Permission": {"Name": true}, "fields": {"Name__c": {"type": "Number", "value": "1.5"}}, "schema": {"$User.AWS_Role__c": {"type": "Text", "length": 255}}}"#;

const SCHEMA_HELP: &str = r#"for example "schema": {"$User.AWS_Role__c": {"type": "Text", "length": 255}, "Score__c": "Number"}"#;

const TYPE_HELP: &str =
    "use Text, Number, Currency, Percent, Boolean, Date, DateTime, Time or Picklist";

/// A Percent field is given as Salesforce displays it (50 for 50%) and read as a fraction, as
/// in formulas.
fn as_fraction(val: Value) -> Value {
    match val {
        Value::Number(n) => Value::Number(n / BigDecimal::from(100)),
        other => other,
    }
}

/// One `sf` record: column names to values.
type Record = serde_json::Map<String, Json>;

/// The records of a query result: `sf data query --json` output (`{"status", "result":
/// {"records"}}`), a REST query result (`{"totalSize", "done", "records"}`), or a single
/// record (an object with `attributes`). `None` for samlfx's own context format. The path is where
/// the records array sits in the file, empty for a lone record.
fn sf_records(doc: &Json) -> Option<(&'static [&'static str], Vec<&Record>)> {
    let obj = doc.as_object()?;
    if obj.get("attributes").is_some_and(Json::is_object) {
        return Some((&[], vec![obj]));
    }
    let (base, records): (&'static [&'static str], _) = match obj.get("result") {
        Some(result) => (&["result", "records"], result.get("records")?),
        None => (&["records"], obj.get("records")?),
    };
    Some((
        base,
        records
            .as_array()?
            .iter()
            .filter_map(Json::as_object)
            .collect(),
    ))
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

/// Collects a context file's diagnostics, each placed at the member its path names: the key
/// for an unknown field, the value otherwise.
struct Loader {
    spans: JsonSpans,
    diags: Vec<Diagnostic>,
}

impl Loader {
    fn push<S: AsRef<str>>(&mut self, d: Diagnostic, path: &[S]) {
        let path: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
        let span = if d.code == Code::UnknownContextField {
            self.spans.key(&path)
        } else {
            self.spans.value(&path)
        };
        self.diags.push(match (span, d.span) {
            (Some(span), None) => d.at(span),
            _ => d,
        });
    }

    /// Places `d` at the key its path names (a declaration's name, an unknown member).
    fn push_key(&mut self, d: Diagnostic, path: &[&str]) {
        let span = self.spans.key(path);
        self.diags.push(match (span, d.span) {
            (Some(span), None) => d.at(span),
            _ => d,
        });
    }
}

/// A sanity check, not RFC 5322: one `@`, a non-empty local part, a domain with an inner dot,
/// no whitespace.
fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

fn unknown_merge_field(global: Global, field: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::UnknownContextField,
        format!("`{}.{field}` is not a known merge field", global.name()),
    );
    d = match suggest::closest(field, fields::names_in(global)) {
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
        // No field has this type (`Type::parse` knows no name for it): a location is built in
        // the formula with GEOLOCATION(latitude, longitude).
        Type::Location => return Err(fail()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::IdLength;

    fn user_alias() -> FieldId {
        fields::lookup("$User.Alias").unwrap().0
    }

    #[test]
    fn ids_follow_the_length_setting() {
        let id = fields::lookup("$User.Id").unwrap().0;
        let mut c15 = Context::new(ContextOptions::default());
        c15.set_merge(id, Value::text("005xx000001AbCdAAK"));
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
            "Alias": "jdoe", "Id": "005xx000001AbCdAAK", "Unused": 3}], "totalSize": 1}}"#;
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
    fn a_bom_an_sf_record_under_user_and_case_twins() {
        let alias = fields::lookup("$User.Alias").unwrap().0;
        // A byte-order mark is read past; positions still count it.
        let ctx = Context::from_json(
            "\u{FEFF}{\"$User\": {\"Alias\": \"jd\"}}",
            ContextOptions::default(),
        )
        .unwrap();
        assert_eq!(ctx.merge(alias), &Value::text("jd"));
        let src = "\u{FEFF}{\"$User\": {\"Alias\": 5}}";
        let errs = Context::from_json(src, ContextOptions::default()).unwrap_err();
        let s = errs[0].span.unwrap();
        assert_eq!(&src[s.start..s.end], "5");
        // A record as `sf data query` prints it, given as the `$User` section.
        let ctx = Context::from_json(
            r#"{"$User": {"attributes": {"type": "User", "url": "/x"}, "Alias": "jd"}}"#,
            ContextOptions::default(),
        )
        .unwrap();
        assert_eq!(ctx.merge(alias), &Value::text("jd"));
        // Two keys that differ only in case name one field.
        let src = r#"{"$User": {"X__c": 5, "X__C": "a"}}"#;
        let errs = Context::from_json(src, ContextOptions::default()).unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidContextValue);
        assert!(errs[0].message.contains("twice"), "{}", errs[0].message);
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

    fn err(json: &str) -> Diagnostic {
        Context::from_json(json, ContextOptions::default())
            .unwrap_err()
            .remove(0)
    }

    #[test]
    fn ids_are_validated() {
        let mut c18 = Context::new(ContextOptions {
            id_length: IdLength::Eighteen,
        });
        let d = c18.set("$User.Id=jdoe@example.co").unwrap_err();
        assert_eq!(d.code, Code::InvalidContextValue);
        assert!(d.help.unwrap().contains("15 letters and digits"));
        let mut c15 = Context::new(ContextOptions::default());
        assert!(c15.set("$User.Id=jdoe@example.comxx").is_err());
        assert!(c15.set("$User.Id=abc").is_err());
        let d = c15.set("$User.Id=001xx000003DHurAAA").unwrap_err();
        assert!(d.help.unwrap().contains("`001xx000003DHurAAG`"));
        c15.set("$User.Id=001xx000003DHurAAG").unwrap();
        let id = fields::lookup("$User.Id").unwrap().0;
        assert_eq!(c15.merge(id), &Value::text("001xx000003DHur"));
        // The user's Id is required: a blank one is refused, not read as null.
        let d = c15.set("$User.Id=").unwrap_err();
        assert!(d.message.contains("Id is required"), "{}", d.message);
        assert_eq!(c15.merge(id), &Value::text("001xx000003DHur"));
        // A nullable Id may be blank.
        c15.set("$User.ManagerId=").unwrap();
    }

    #[test]
    fn required_fields_lengths_and_emails_are_enforced() {
        let mut ctx = Context::new(ContextOptions::default());
        let d = ctx.set("$User.Alias=").unwrap_err();
        assert_eq!(d.code, Code::InvalidContextValue);
        assert!(d.message.contains("Alias is required"), "{}", d.message);
        assert!(ctx.set("$User.Alias=   ").is_err());
        let d = err(r#"{"$User": {"LastName": null}}"#);
        assert!(d.message.contains("LastName is required"), "{}", d.message);
        // A nullable field may be blank; an absent one is simply null.
        ctx.set("$User.FirstName=").unwrap();
        ctx.set("$User.Alias=j").unwrap();
        let d = ctx.set("$User.Username=a@").unwrap_err();
        assert!(d.message.contains("has 2 characters"), "{}", d.message);
        assert_eq!(
            d.help.as_deref(),
            Some("Username holds at least 3 characters")
        );
        for bad in [
            "not an email",
            "jdoe.example.com",
            "@example.com",
            "jdoe@localhost",
            "a@b@example.com",
            "jdoe@example.com.",
            "j doe@example.com",
        ] {
            let d = ctx.set(&format!("$User.Email={bad}")).unwrap_err();
            assert!(
                d.message.contains("not an e-mail address"),
                "{bad}: {}",
                d.message
            );
        }
        ctx.set("$User.Email=jane.doe+aws@example.co.uk").unwrap();
        ctx.set("$User.Username=jdoe@example.com.sandbox").unwrap();
        let email = fields::lookup("$User.Email").unwrap().0;
        assert_eq!(ctx.merge(email), &Value::text("jane.doe+aws@example.co.uk"));
    }

    #[test]
    fn custom_fields_are_declared_by_the_context() {
        let ctx = Context::from_json(
            r#"{"$User": {"Alias": "jdoe", "AWS_Role__c": "arn:aws:iam::1:role/R",
                          "AWS_Score__c": {"type": "Number", "value": "1.5"}, "Seats__c": 3},
                "$Profile": {"Tier__c": "gold"}}"#,
            ContextOptions::default(),
        )
        .unwrap();
        assert_eq!(
            ctx.record("$user.aws_role__c"),
            &Value::text("arn:aws:iam::1:role/R")
        );
        assert_eq!(
            ctx.record("$user.aws_score__c"),
            &Value::Number("1.5".parse().unwrap())
        );
        assert_eq!(ctx.record("$user.seats__c"), &Value::Number(3.into()));
        assert_eq!(ctx.record("$profile.tier__c"), &Value::text("gold"));
        let schema = ctx.schema();
        assert_eq!(schema.record["$user.aws_role__c"].name, "$User.AWS_Role__c");
        assert_eq!(schema.record["$user.aws_score__c"].ty, Type::Number);
        // Not a custom field: no `__c`, or on $System.
        assert_eq!(
            err(r#"{"$User": {"AWS_Role": "x"}}"#).code,
            Code::UnknownContextField
        );
        assert!(custom_name(Global::System, "X__c").is_none());
        assert!(custom_name(Global::User, "__c").is_none());
        assert!(custom_name(Global::User, "A b__c").is_none());
        let d = err(r#"{"$User": {"N__c": {"type": "Number", "value": "abc"}}}"#);
        assert_eq!(d.code, Code::InvalidContextValue);
    }

    #[test]
    fn set_declares_custom_fields_with_an_optional_type() {
        let mut ctx = Context::new(ContextOptions::default());
        ctx.set("$User.AWS_Role__c=arn:aws:iam::1:role/R").unwrap();
        assert_eq!(
            ctx.record("$user.aws_role__c"),
            &Value::text("arn:aws:iam::1:role/R")
        );
        ctx.set("$user.Score__c:Number=5").unwrap();
        assert_eq!(ctx.record("$user.score__c"), &Value::Number(5.into()));
        assert_eq!(ctx.schema().record["$user.score__c"].name, "$User.Score__c");
        // Declared once, the type stays.
        assert!(ctx.set("$User.Score__c=abc").is_err());
        assert!(ctx.set("$User.Alias:Text=x").is_err());
    }

    #[test]
    fn sf_records_carry_custom_columns() {
        let json = r#"{"attributes": {"type": "User"}, "Alias": "jdoe",
            "AWS_Role__c": "arn:aws:iam::1:role/R", "Seats__c": 2, "Admin__c": true,
            "Blank__c": null, "Profile": {"attributes": {"type": "Profile"}, "Tier__c": "gold"}}"#;
        let ctx = Context::from_json(json, ContextOptions::default()).unwrap();
        assert_eq!(
            ctx.record("$user.aws_role__c"),
            &Value::text("arn:aws:iam::1:role/R")
        );
        assert_eq!(ctx.record("$user.seats__c"), &Value::Number(2.into()));
        assert_eq!(ctx.record("$user.admin__c"), &Value::Boolean(true));
        assert_eq!(ctx.record("$profile.tier__c"), &Value::text("gold"));
        let schema = ctx.schema();
        assert_eq!(schema.record["$user.blank__c"].ty, Type::Text);
        assert_eq!(schema.record["$user.admin__c"].ty, Type::Boolean);
    }

    #[test]
    fn declared_custom_fields_check_and_evaluate_undeclared_ones_say_how() {
        use crate::program::{CompileOptions, Program};
        let compile = |src: &str, ctx: &Context| {
            Program::compile(
                src,
                &CompileOptions {
                    schema: Some(ctx.schema().clone()),
                    ..Default::default()
                },
            )
        };
        let mut ctx = Context::new(ContextOptions::default());
        ctx.set("$User.AWS_Role__c=arn:aws:iam::1:role/R").unwrap();
        ctx.set("$User.Score__c:Number=2").unwrap();
        let program = compile("$user.aws_role__c & ',' & TEXT($User.Score__c + 1)", &ctx)
            .program
            .unwrap();
        assert_eq!(
            program.eval(&ctx).unwrap(),
            Value::text("arn:aws:iam::1:role/R,3")
        );
        let d = compile("$User.Other__c", &ctx).diagnostics.remove(0);
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(
            d.message,
            "Field $User.Other__c does not exist. Check spelling."
        );
        assert_eq!(
            d.help.as_deref(),
            Some(
                r#"custom field: declare it with --field '$User.Other__c:Text' (or :Number, …) or in the context's "schema", or give it a value with --set '$User.Other__c=…'"#
            )
        );
        // A custom field is a global's: a bare `AWS_Role__c` is not it, but points to it.
        let d = compile("AWS_Role__c", &ctx).diagnostics.remove(0);
        assert_eq!(d.code, Code::UnknownField);
        assert_eq!(
            d.help.as_deref(),
            Some("did you mean the custom field `$User.AWS_Role__c`?")
        );
        // The catalog's own fields keep their did-you-mean.
        let d = compile("$User.Allias", &ctx).diagnostics.remove(0);
        assert_eq!(d.help.as_deref(), Some("did you mean `$User.Alias`?"));
    }

    /// The text a diagnostic's span covers in `src`.
    fn spanned(src: &str) -> String {
        let d = err(src);
        let span = d.span.unwrap_or_else(|| panic!("no span: {d:?}"));
        src[span.start..span.end].to_string()
    }

    #[test]
    fn value_errors_point_into_the_file() {
        assert_eq!(spanned(r#"{"$User":{"Alias":5}}"#), "5");
        assert_eq!(spanned(r#"{"$User": {"Alais": "x"}}"#), r#""Alais""#);
        assert_eq!(
            spanned(r#"{"$User": {"Alias": "ok", "Email": "not an email"}}"#),
            r#""not an email""#
        );
        assert_eq!(
            spanned(r#"{"fields": {"N__c": {"type": "Number", "value": "abc"}}}"#),
            r#""abc""#
        );
        assert_eq!(
            spanned(r#"{"fields": {"N__c": {"type": "Widget", "value": 1}}}"#),
            r#""Widget""#
        );
        assert_eq!(spanned(r#"{"fields": {"N__c": true, "M__c": [1]}}"#), "[1]");
        assert_eq!(spanned(r#"{"$Permission": {"X": "maybe"}}"#), r#""maybe""#);
        assert_eq!(spanned(r#"{"now": "yesterday"}"#), r#""yesterday""#);
        assert_eq!(spanned(r#"{"$Nope": {}}"#), r#""$Nope""#);
        assert_eq!(
            spanned(r#"{"$User": {"S__c": {"type": "Number", "value": "x"}}}"#),
            r#""x""#
        );
        assert_eq!(
            spanned(
                r#"{"status": 0, "result": {"records": [{"attributes": {"type": "User"},
                "Alias": "toolongalias", "Profile": {"Name": 7}}]}}"#
            ),
            r#""toolongalias""#
        );
        assert_eq!(
            spanned(r#"{"attributes": {"type": "User"}, "Profile": {"Name": 7}}"#),
            "7"
        );
    }

    #[test]
    fn a_schema_section_declares_fields_and_decides_their_types() {
        // `schema` sorts after `$User`, yet is read first.
        let ctx = Context::from_json(
            r#"{"$User": {"AWS_Role__c": "arn:aws:iam::1:role/R", "Score__c": "5", "Rate__c": 50,
                          "Guess__c": 3},
                "fields": {"Team__c": {"value": "blue"}},
                "schema": {"$User.AWS_Role__c": {"type": "Text", "length": 64},
                           "$user.score__c": "Number", "$User.Rate__c": "Percent",
                           "Team__c": {"type": "Picklist", "required": true},
                           "$Profile.Tier__c": "Text"}}"#,
            ContextOptions::default(),
        )
        .unwrap();
        // A string for a declared Number is a Number; a Percent is read as a fraction.
        assert_eq!(ctx.record("$user.score__c"), &Value::Number(5.into()));
        assert_eq!(
            ctx.record("$user.rate__c"),
            &Value::Number("0.5".parse().unwrap())
        );
        assert_eq!(ctx.record("team__c"), &Value::text("blue"));
        // Declared and given no value: known to the checker, null at run time.
        assert_eq!(ctx.record("$profile.tier__c"), &Value::Null);
        let schema = ctx.schema();
        let role = &schema.record["$user.aws_role__c"];
        assert_eq!(
            (role.ty, role.max_len, role.origin),
            (Type::Text, Some(64), Origin::Declared)
        );
        assert_eq!(schema.record["$user.score__c"].name, "$User.score__c");
        assert_eq!(schema.record["team__c"].ty, Type::Picklist);
        assert!(!schema.record["team__c"].nullable);
        // An undeclared value still declares its field, by inference, with no shape.
        assert_eq!(schema.record["$user.guess__c"].origin, Origin::Inferred);
        assert_eq!(schema.shape_of("$user.guess__c"), None);
        assert_eq!(schema.shape_of("$User.AWS_Role__c").unwrap().max_len, 64);
    }

    #[test]
    fn declarations_come_before_the_file_and_set_must_fit_them() {
        let mut schema = Schema::default();
        schema.declare_spec("$User.Score__c:Number").unwrap();
        schema.declare_spec("$User.Code__c:Text:3").unwrap();
        // The file may repeat a declaration, not contradict it.
        let ctx = Context::from_json_with_schema(
            r#"{"schema": {"$User.Score__c": "Number"}, "$User": {"Code__c": "abc"}}"#,
            ContextOptions::default(),
            schema.clone(),
        )
        .unwrap();
        assert_eq!(ctx.record("$user.code__c"), &Value::text("abc"));
        let src = r#"{"schema": {"$User.Score__c": "Text"}}"#;
        let errs = Context::from_json_with_schema(src, ContextOptions::default(), schema.clone())
            .unwrap_err();
        assert_eq!(errs[0].code, Code::InvalidFieldDeclaration);
        let span = errs[0].span.unwrap();
        assert_eq!(&src[span.start..span.end], r#""$User.Score__c""#);
        // `--set` values are checked against the declaration, and a typed one must agree.
        let mut ctx = Context::new_with_schema(ContextOptions::default(), schema);
        ctx.set("$User.Score__c=7").unwrap();
        assert_eq!(ctx.record("$user.score__c"), &Value::Number(7.into()));
        let d = ctx.set("$User.Score__c=seven").unwrap_err();
        assert_eq!(d.code, Code::InvalidContextValue);
        assert_eq!(
            d.message,
            "invalid Number value for `$User.Score__c`: `seven` is not a Number"
        );
        let d = ctx.set("$User.Code__c=abcd").unwrap_err();
        assert_eq!(
            d.message,
            "invalid value for `$User.Code__c`: `abcd` has 4 characters"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("$User.Code__c is declared Text(3): it holds at most 3 characters")
        );
        // Lengths count UTF-16 units: one emoji is two.
        assert!(ctx.set("$User.Code__c=a😀").is_ok());
        assert!(ctx.set("$User.Code__c=ab😀").is_err());
        let d = ctx.set("$User.Score__c:Text=x").unwrap_err();
        assert_eq!(
            d.message,
            "the value for `$User.Score__c` is given as Text, but the field is declared Number"
        );
        ctx.set("$User.Score__c:Currency=2").unwrap();
        // An undeclared Text field holds any length, as before; a declared one at most 255.
        ctx.set(&format!("$User.Long__c={}", "x".repeat(300)))
            .unwrap();
        ctx.set("$User.Code__c=").unwrap();
        // A Text declared with no length holds 255, and so does a picklist.
        let mut declared = Schema::default();
        declared.declare_spec("$User.Text__c:Text").unwrap();
        declared.declare_spec("$User.Pick__c:Picklist").unwrap();
        let mut sized = Context::new_with_schema(ContextOptions::default(), declared);
        for field in ["Text__c", "Pick__c"] {
            let value = |n| format!("$User.{field}={}", "x".repeat(n));
            sized.set(&value(255)).unwrap();
            let d = sized.set(&value(256)).unwrap_err();
            assert!(d.help.unwrap().contains("at most 255"), "{field}");
        }
    }

    #[test]
    fn schema_errors_point_at_the_part_that_is_wrong() {
        use Code::{InvalidContextValue as F402, InvalidFieldDeclaration as F404};
        for (src, code, at) in [
            (
                r#"{"schema": {"$User.X__c": "Widget"}}"#,
                F404,
                r#""Widget""#,
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Widget"}}}"#,
                F404,
                r#""Widget""#,
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Text", "length": 300}}}"#,
                F404,
                "300",
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Text", "length": 2.5}}}"#,
                F404,
                "2.5",
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Text", "length": "9"}}}"#,
                F404,
                r#""9""#,
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Number", "length": 3}}}"#,
                F404,
                "3",
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Text", "lenght": 3}}}"#,
                F404,
                r#""lenght""#,
            ),
            (
                r#"{"schema": {"$User.X__c": {"type": "Text", "required": "yes"}}}"#,
                F404,
                r#""yes""#,
            ),
            (
                r#"{"schema": {"$User.X__c": {"length": 3}}}"#,
                F404,
                r#"{"length": 3}"#,
            ),
            (r#"{"schema": {"$User.X__c": {"type": 1}}}"#, F404, "1"),
            (r#"{"schema": {"$User.X__c": 5}}"#, F404, "5"),
            (
                r#"{"schema": {"$User.Alias": "Text"}}"#,
                F404,
                r#""$User.Alias""#,
            ),
            (
                r#"{"schema": {"$User.Role": "Text"}}"#,
                F404,
                r#""$User.Role""#,
            ),
            (
                r#"{"schema": {"X__c": "Text", "x__C": "Text"}}"#,
                F404,
                r#""x__C""#,
            ),
            (r#"{"schema": []}"#, F404, "[]"),
            (
                r#"{"$User": {"S__c": "abc"}, "schema": {"$User.S__c": "Number"}}"#,
                F402,
                r#""abc""#,
            ),
            (
                r#"{"$User": {"R__c": "abcdef"}, "schema": {"$User.R__c": {"type": "Text", "length": 5}}}"#,
                F402,
                r#""abcdef""#,
            ),
            (
                r#"{"$User": {"R__c": 5}, "schema": {"$User.R__c": "Text"}}"#,
                F402,
                "5",
            ),
            (
                r#"{"$User": {"S__c": {"type": "Text", "value": "x"}}, "schema": {"$User.S__c": "Number"}}"#,
                F402,
                r#""Text""#,
            ),
            (
                r#"{"$User": {"Q__c": null}, "schema": {"$User.Q__c": {"type": "Text", "required": true}}}"#,
                F402,
                "null",
            ),
            (
                r#"{"attributes": {"type": "User"}, "Alias": "jd", "N__c": "x"}"#,
                F402,
                "", // an `sf` record has no schema section: nothing to refuse
            ),
        ] {
            if at.is_empty() {
                Context::from_json(src, ContextOptions::default()).unwrap();
                continue;
            }
            let d = err(src);
            assert_eq!(d.code, code, "{src}: {}", d.message);
            let span = d.span.unwrap_or_else(|| panic!("no span: {d:?}"));
            assert_eq!(&src[span.start..span.end], at, "{src}: {}", d.message);
        }
    }

    #[test]
    fn an_sf_record_fits_the_declarations_given_beside_it() {
        let mut schema = Schema::default();
        schema.declare_spec("$User.Seats__c:Number").unwrap();
        schema.declare_spec("$User.Team__c:Text:4").unwrap();
        let json = r#"{"attributes": {"type": "User"}, "Seats__c": "2", "Team__c": "blue"}"#;
        let ctx = Context::from_json_with_schema(json, ContextOptions::default(), schema.clone())
            .unwrap();
        assert_eq!(ctx.record("$user.seats__c"), &Value::Number(2.into()));
        let json = r#"{"attributes": {"type": "User"}, "Seats__c": "2", "Team__c": "purple"}"#;
        let errs =
            Context::from_json_with_schema(json, ContextOptions::default(), schema).unwrap_err();
        let span = errs[0].span.unwrap();
        assert_eq!(&json[span.start..span.end], r#""purple""#);
    }

    #[test]
    fn text_values_follow_the_catalog_shape() {
        let d = err(r#"{"$User": {"Alias": "abcdefghi"}}"#);
        assert_eq!(d.code, Code::InvalidContextValue);
        assert_eq!(d.help.as_deref(), Some("Alias holds at most 8 characters"));
        let d = err(r#"{"$User": {"Alias": 5}}"#);
        assert_eq!(d.code, Code::InvalidContextValue);
        assert!(d.message.contains("JSON number"), "{}", d.message);
        assert!(
            err(r#"{"$User": {"Alias": true}}"#)
                .message
                .contains("JSON boolean")
        );
        // Booleans stay JSON booleans.
        Context::from_json(
            r#"{"$User": {"IsActive": true}}"#,
            ContextOptions::default(),
        )
        .unwrap();
    }

    #[test]
    fn constants_cannot_be_set() {
        let mut ctx = Context::new(ContextOptions::default());
        let d = ctx
            .set("$System.OriginDateTime=2000-01-01T00:00:00Z")
            .unwrap_err();
        assert!(d.message.contains("constant"), "{}", d.message);
        let (id, _) = fields::lookup("$System.OriginDateTime").unwrap();
        assert!(matches!(ctx.merge(id), Value::DateTime(_)));
    }

    #[test]
    fn a_query_result_must_hold_one_user() {
        let d = err(r#"{"status": 0, "result": {"records": [
            {"attributes": {"type": "User"}, "Alias": "a"},
            {"attributes": {"type": "User"}, "Alias": "b"}], "totalSize": 2}}"#);
        assert_eq!(d.code, Code::InvalidContextValue);
        assert!(d.message.contains("holds 2 records"), "{}", d.message);
        assert!(d.help.unwrap().contains("WHERE Id"));
        let d = err(r#"{"result": {"records": []}}"#);
        assert!(d.message.contains("holds 0 records"), "{}", d.message);
    }

    #[test]
    fn reads_a_rest_query_result() {
        let json = r#"{"totalSize": 1, "done": true, "records": [
            {"attributes": {"type": "User"}, "Alias": "jdoe"}]}"#;
        let ctx = Context::from_json(json, ContextOptions::default()).unwrap();
        assert_eq!(ctx.merge(user_alias()), &Value::text("jdoe"));
    }

    #[test]
    fn set_accepts_a_type() {
        let mut ctx = Context::new(ContextOptions::default());
        ctx.set("N__c:Number=5").unwrap();
        assert_eq!(ctx.record("n__c"), &Value::Number(5.into()));
        assert_eq!(ctx.schema().record["n__c"].ty, Type::Number);
        // A declared field keeps its type for a later untyped assignment.
        ctx.set("N__c=7").unwrap();
        assert_eq!(ctx.record("n__c"), &Value::Number(7.into()));
        ctx.set("R__c:Percent=50").unwrap();
        assert_eq!(ctx.record("r__c"), &Value::Number("0.5".parse().unwrap()));
        ctx.set("D__c : date=2024-02-29").unwrap();
        assert!(matches!(ctx.record("d__c"), Value::Date(_)));
        assert!(ctx.set("N__c:Number=abc").is_err());
        assert!(
            ctx.set("N__c:Widget=1")
                .unwrap_err()
                .message
                .contains("unknown type")
        );
        assert!(ctx.set("$User.Alias:Text=x").is_err());
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
