//! The declared schema: the record fields and custom fields (`$User.AWS_Role__c`) a formula may
//! read besides the catalog's merge fields, with their types and value shapes.
//!
//! A schema is a *declaration*, separate from any user's data, so that `check` (no user), `eval`
//! (one user) and `audit` (every user of an org) read one set of types and shapes. Declarations
//! come from `--field NAME:TYPE[:MAXLEN]` ([`Declaration::parse`]), from the `"schema"` section of
//! a context file, or from a program ([`Schema::declare`], [`Schema::add`]). A value for a field
//! nobody declared still declares it, for compatibility, by its JSON kind or `--set` type: such a
//! field is [`Origin::Inferred`], the checker reads its type, but it has no shape
//! ([`Schema::shape_of`] is `None`), since one user's value proves nothing about the others.
//! When both exist, the declaration decides the type and a value must fit it.
//!
//! Neutral ground: the checker and the evaluation context both depend on this module rather than
//! on each other. A [`runtime::Context`](crate::runtime::Context) owns the schema it was built
//! with ([`Context::new_with_schema`](crate::runtime::Context::new_with_schema)).
//!
//! ```
//! use samlfx_formula::program::{CompileOptions, Program};
//! use samlfx_formula::runtime::{Context, ContextOptions};
//! use samlfx_formula::schema::Schema;
//! use samlfx_formula::Type;
//!
//! let mut schema = Schema::default();
//! schema.declare_spec("$User.AWS_Role__c:Text:64").unwrap();
//! schema.declare("$User.Seats__c", Type::Number, None).unwrap();
//! assert_eq!(schema.shape_of("$user.aws_role__c").unwrap().max_len, 64);
//!
//! // Checked with no user at all.
//! let opts = CompileOptions { schema: Some(schema.clone()), ..Default::default() };
//! let program = Program::compile("$User.AWS_Role__c & ','", &opts).program.unwrap();
//!
//! // A user's values must fit the declarations.
//! let mut ctx = Context::new_with_schema(ContextOptions::default(), schema);
//! assert!(ctx.set("$User.Seats__c=two").is_err());
//! ctx.set("$User.AWS_Role__c=arn:aws:iam::123456789012:role/Agent").unwrap();
//! let value = program.eval(&ctx).unwrap();
//! assert_eq!(value.to_output().as_deref(), Some("arn:aws:iam::123456789012:role/Agent,"));
//! ```

// Declarations report one Diagnostic each, by the shared API's design; they are rare.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use samlfx_diag::{Code, Diagnostic, Span};

use super::Type;
use super::catalog::fields::{self, Format, Global, Shape};
use super::id::IdLength;
use super::ir::FieldKey;
use super::shape::CharSet;

/// The most characters a declared Text field holds, and its length when none is declared:
/// Salesforce's Text fields hold 1 to 255, and formulas cannot read the longer text areas.
pub const MAX_TEXT_LEN: u16 = 255;

/// Record fields a formula may read besides merge fields (the conformance corpus's
/// `customtext1__c`); keys are lower-cased names. A global's custom field is a record field
/// keyed by its lower-cased full name (`$user.aws_role__c` for `$User.AWS_Role__c`): the
/// checker resolves it to [`FieldKey::Record`] with that key, so compiling and evaluating it
/// need nothing new.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub record: HashMap<String, RecordField>,
}

/// Where a field's type came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A declaration: `--field`, a context's `"schema"`, [`Schema::declare`].
    Declared,
    /// The first value given for an undeclared field (its JSON kind, or a `--set NAME:Type`).
    Inferred,
}

#[derive(Clone, Debug)]
pub struct RecordField {
    /// As declared.
    pub name: String,
    pub ty: Type,
    /// A formula field: its own formula, checked and inlined where it is referenced.
    pub formula: Option<String>,
    /// A Text field's declared maximum length (1 to [`MAX_TEXT_LEN`]); `None` reads as 255, as
    /// does a picklist's.
    pub max_len: Option<u16>,
    /// Declared Percent: a value is given as displayed (50 for 50%) and read as a fraction.
    pub percent: bool,
    /// Whether the field may be blank; custom fields may unless declared required.
    pub nullable: bool,
    pub origin: Origin,
}

impl RecordField {
    /// A declared, nullable field of type `ty` with no declared length.
    pub fn new(name: impl Into<String>, ty: Type) -> RecordField {
        RecordField {
            name: name.into(),
            ty,
            formula: None,
            max_len: None,
            percent: false,
            nullable: true,
            origin: Origin::Declared,
        }
    }

    /// The shape of a declared field's values: Text holds any characters up to its length, a
    /// picklist's API value up to 255, other types are not text. `None` for an inferred field
    /// (nothing is declared) and a formula field (its shape is its formula's).
    pub fn shape(&self) -> Option<Shape> {
        if self.origin == Origin::Inferred || self.formula.is_some() {
            return None;
        }
        // A required field is never blank, so it holds at least one character.
        let text = |max_len| Shape {
            min_len: u16::from(!self.nullable),
            max_len,
            chars: CharSet::ANY,
            format: Format::Text,
            nullable: self.nullable,
        };
        Some(match self.ty {
            Type::Text => text(self.max_len.unwrap_or(MAX_TEXT_LEN)),
            Type::Picklist => text(MAX_TEXT_LEN),
            _ => Shape {
                min_len: 0,
                max_len: 0,
                chars: CharSet::EMPTY,
                format: Format::NotText,
                nullable: self.nullable,
            },
        })
    }

    /// `Text(255)`, `Number`, `Percent`: the type as a declaration writes it, for messages.
    pub fn describe(&self) -> String {
        match (self.ty, self.max_len) {
            (Type::Text, Some(n)) => format!("Text({n})"),
            (Type::Number, _) if self.percent => "Percent".to_string(),
            (ty, _) => ty.label().to_string(),
        }
    }
}

/// One declaration, `$User.AWS_Role__c:Text:255`, checked but not yet added to a schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The name as it will be shown: a custom field with its global spelt canonically
    /// (`$User.AWS_Role__c`), or a record field's name as written.
    pub name: String,
    pub ty: Type,
    /// Only for Text: 1 to [`MAX_TEXT_LEN`].
    pub max_len: Option<u16>,
    /// Written `Percent`.
    pub percent: bool,
    pub nullable: bool,
}

const DECLARE_HELP: &str = "declare a field as NAME:TYPE or NAME:Text:MAXLEN, for example `$User.AWS_Role__c:Text:255` or `Score__c:Number`";

const TYPE_HELP: &str =
    "use Text, Number, Currency, Percent, Boolean, Date, DateTime, Time or Picklist";

fn invalid(message: String) -> Diagnostic {
    Diagnostic::new(Code::InvalidFieldDeclaration, message)
}

impl Declaration {
    /// Parses `NAME:TYPE[:MAXLEN]` as `--field` gives it (`$User.AWS_Role__c:Text:255`,
    /// `Score__c:Number`); spaces around the parts are ignored.
    pub fn parse(spec: &str) -> Result<Declaration, Diagnostic> {
        // Each part with its span in `spec`, so an error points at the part that is wrong.
        let mut parts = Vec::new();
        let mut at = 0;
        for part in spec.split(':') {
            let lead = part.len() - part.trim_start().len();
            let trimmed = part.trim();
            parts.push((trimmed, Span::new(at + lead, at + lead + trimmed.len())));
            at += part.len() + 1;
        }
        let whole = Span::new(0, spec.len());
        let (name, ty, len) = match parts[..] {
            [name, ty] => (name, ty, None),
            [name, ty, len] => (name, ty, Some(len)),
            [_, _, _, (_, extra), ..] => {
                return Err(invalid(format!(
                    "`{spec}` has too many parts for a field declaration"
                ))
                .at(Span::new(extra.start.saturating_sub(1), spec.len()))
                .with_help(DECLARE_HELP));
            }
            _ => {
                return Err(invalid(format!("`{spec}` is not a field declaration"))
                    .at(whole)
                    .with_help(DECLARE_HELP));
            }
        };
        if name.0.is_empty() || ty.0.is_empty() {
            return Err(invalid(format!("`{spec}` is not a field declaration"))
                .at(whole)
                .with_help(DECLARE_HELP));
        }
        let full = declared_name(name.0).map_err(|d| d.at(name.1))?;
        let parsed = declared_type(&full, ty.0).map_err(|d| d.at(ty.1))?;
        let max_len = match len {
            None => None,
            Some((len, span)) => {
                let n = parse_length(&full, len).map_err(|d| d.at(span))?;
                Some(declared_length(&full, parsed, ty.0, n).map_err(|d| d.at(span))?)
            }
        };
        Ok(Declaration {
            name: full,
            ty: parsed,
            max_len,
            percent: ty.0.eq_ignore_ascii_case("percent"),
            nullable: true,
        })
    }

    /// A declaration of `name` with the type named `type_name` (as [`Type::parse`] reads it;
    /// `Percent` is remembered) and an optional length, checked: the name is a custom field of a
    /// global or a record field, the length only for Text and within 1 to 255.
    pub fn new(
        name: &str,
        type_name: &str,
        max_len: Option<u64>,
    ) -> Result<Declaration, Diagnostic> {
        let name = declared_name(name)?;
        let ty = declared_type(&name, type_name)?;
        let max_len = match max_len {
            None => None,
            Some(n) => Some(declared_length(&name, ty, type_name, n)?),
        };
        Ok(Declaration {
            name,
            ty,
            max_len,
            percent: type_name.trim().eq_ignore_ascii_case("percent"),
            nullable: true,
        })
    }

    /// The same declaration with the field required (never blank).
    pub fn required(mut self) -> Declaration {
        self.nullable = false;
        self
    }

    /// `$User.AWS_Role__c:Text:255`, as `--field` takes it.
    pub fn to_spec(&self) -> String {
        let ty = if self.percent {
            "Percent"
        } else {
            self.ty.label()
        };
        match self.max_len {
            Some(n) => format!("{}:{ty}:{n}", self.name),
            None => format!("{}:{ty}", self.name),
        }
    }

    fn field(&self) -> RecordField {
        RecordField {
            max_len: self.max_len,
            percent: self.percent,
            nullable: self.nullable,
            ..RecordField::new(self.name.clone(), self.ty)
        }
    }
}

/// The type a declaration of `name` names, checked; the declaration's other parts are checked
/// one by one too, so that a context file's error points at the part that is wrong.
pub(crate) fn declared_type(name: &str, type_name: &str) -> Result<Type, Diagnostic> {
    Type::parse(type_name.trim()).ok_or_else(|| {
        invalid(format!(
            "`{name}` is declared with unknown type `{type_name}`"
        ))
        .with_help(TYPE_HELP)
    })
}

/// A declared length `n` for a field of type `ty`, checked.
pub(crate) fn declared_length(
    name: &str,
    ty: Type,
    type_name: &str,
    n: u64,
) -> Result<u16, Diagnostic> {
    if ty != Type::Text {
        return Err(invalid(format!(
            "`{name}` is declared {} with a length, but only a Text field has one",
            ty.label()
        ))
        .with_help(format!("declare it as `{name}:{}`", type_name.trim())));
    }
    check_length(name, n)
}

/// A length as written (`255`), before the type is known.
fn parse_length(name: &str, len: &str) -> Result<u64, Diagnostic> {
    len.parse::<u64>().map_err(|_| not_a_length(name, len))
}

/// A length that is not a whole number (`ten`, `-1`, `2.5`).
pub(crate) fn not_a_length(name: &str, len: &str) -> Diagnostic {
    invalid(format!(
        "`{name}` is declared with length `{len}`, which is not a whole number"
    ))
    .with_help(format!(
        "a Text field holds 1 to {MAX_TEXT_LEN} characters: `{name}:Text:255`"
    ))
}

fn check_length(name: &str, n: u64) -> Result<u16, Diagnostic> {
    match u16::try_from(n) {
        Ok(n @ 1..=MAX_TEXT_LEN) => Ok(n),
        _ => Err(invalid(format!(
            "`{name}` is declared with length {n}, but a Text field holds 1 to {MAX_TEXT_LEN} characters"
        ))
        .with_help(
            "give the field's length from Setup; formulas cannot read Long Text Area fields",
        )),
    }
}

/// The name a declaration shows: a custom field with its global spelt canonically, or a record
/// field's name. Catalog fields, permissions and other names cannot be declared.
pub(crate) fn declared_name(name: &str) -> Result<String, Diagnostic> {
    let name = name.trim();
    let Some(rest) = name.strip_prefix('$') else {
        let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        return if identifier {
            Ok(name.to_string())
        } else {
            Err(invalid(format!("`{name}` is not a field name")).with_help(
                "a field name is letters, digits and `_`, such as `Score__c`, or a custom field of a global such as `$User.AWS_Role__c`",
            ))
        };
    };
    let (global, field) = rest.split_once('.').unwrap_or((rest, ""));
    if global.eq_ignore_ascii_case("permission") {
        return Err(invalid(format!("`{name}` cannot be declared")).with_help(
            "a `$Permission.<name>` is always Boolean: give its value in the context instead",
        ));
    }
    let Some(g) = Global::parse(&format!("${global}")) else {
        return Err(invalid(format!("`{name}` names no global")).with_help(
            "custom fields are declared on $User, $Organization, $Profile or $UserRole",
        ));
    };
    if let Some((_, spec)) = fields::lookup_in(g, field) {
        return Err(invalid(format!(
            "`{}` is a standard field and cannot be declared",
            spec.full_name()
        ))
        .with_help("its type and shape come from the catalog: `samlfx explain --fields`"));
    }
    crate::schema::custom_name(g, field).ok_or_else(|| {
        invalid(format!("`{name}` is not a custom field")).with_help(format!(
            "only custom fields, whose names end in `__c`, can be declared on {}",
            g.name()
        ))
    })
}

impl Schema {
    /// Declares `name` (a custom field such as `$User.AWS_Role__c`, or a record field) of type
    /// `ty`, a Text field with an optional maximum length. See [`Schema::add`].
    pub fn declare(
        &mut self,
        name: &str,
        ty: Type,
        max_len: Option<u16>,
    ) -> Result<(), Diagnostic> {
        self.add(Declaration::new(name, ty.label(), max_len.map(u64::from))?)
    }

    /// Parses `NAME:TYPE[:MAXLEN]` and adds it.
    pub fn declare_spec(&mut self, spec: &str) -> Result<(), Diagnostic> {
        self.add(Declaration::parse(spec)?)
    }

    /// Adds a declaration. Declaring a field again exactly as before does nothing (a `--field`
    /// may repeat a context file's `schema`); a second declaration that differs, even only in the
    /// case of its name, is an error. A field only inferred from a value is replaced.
    pub fn add(&mut self, decl: Declaration) -> Result<(), Diagnostic> {
        let key = decl.name.to_ascii_lowercase();
        let field = decl.field();
        if let Some(old) = self.record.get(&key)
            && old.origin == Origin::Declared
        {
            let same = old.name == field.name
                && old.ty == field.ty
                && old.max_len == field.max_len
                && old.percent == field.percent
                && old.nullable == field.nullable;
            if same {
                return Ok(());
            }
            let what = if old.name == field.name {
                format!(
                    "`{}` is declared twice, as {} and as {}",
                    field.name,
                    old.describe(),
                    field.describe()
                )
            } else {
                format!(
                    "`{}` is declared twice, as `{}` and as `{}`; field names ignore case",
                    old.name, old.name, field.name
                )
            };
            return Err(invalid(what).with_help("keep one declaration of the field"));
        }
        self.record.insert(key, field);
        Ok(())
    }

    /// Records the type a value gave an undeclared field (a declared one keeps its declaration).
    pub fn infer(&mut self, name: &str, ty: Type, percent: bool) {
        let key = name.to_ascii_lowercase();
        if self
            .record
            .get(&key)
            .is_some_and(|f| f.origin == Origin::Declared)
        {
            return;
        }
        self.record.insert(
            key,
            RecordField {
                percent,
                origin: Origin::Inferred,
                ..RecordField::new(name, ty)
            },
        );
    }

    /// A field by name, in any case (`$user.aws_role__c`, `Score__c`).
    pub fn get(&self, name: &str) -> Option<&RecordField> {
        match self.record.get(name) {
            Some(f) => Some(f),
            None => self.record.get(&name.to_ascii_lowercase()),
        }
    }

    /// The shape of a declared field's values, by name in any case; `None` for a field that is
    /// not declared (unknown, or only inferred from a value).
    pub fn shape_of(&self, name: &str) -> Option<Shape> {
        self.get(name)?.shape()
    }

    /// The shape of whatever a resolved field reference reads: a catalog field's under the
    /// `id_length` setting, a `$Permission` flag (a Boolean), or a declared field's.
    pub fn field_shape(&self, key: &FieldKey, id_length: IdLength) -> Option<Shape> {
        match key {
            FieldKey::Merge(id) => Some(fields::get(*id).shape(id_length)),
            FieldKey::Permission(_) => Some(Shape {
                min_len: 0,
                max_len: 0,
                chars: CharSet::EMPTY,
                format: Format::NotText,
                nullable: true,
            }),
            FieldKey::Record(name) => self.shape_of(name),
        }
    }
}

/// The full name of a custom field (`$User.AWS_Role__c`): a name ending in `__c` on `$User`,
/// `$Organization`, `$Profile` or `$UserRole`. A schema declares these; the catalog cannot.
pub fn custom_name(global: Global, field: &str) -> Option<String> {
    let stem = field.len().checked_sub(3).and_then(|n| field.get(..n))?;
    let custom = global != Global::System
        && field[stem.len()..].eq_ignore_ascii_case("__c")
        && !stem.is_empty()
        && field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    custom.then(|| format!("{}.{field}", global.name()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(spec: &str) -> Diagnostic {
        Declaration::parse(spec).expect_err(spec)
    }

    #[test]
    fn parses_good_declarations() {
        let d = Declaration::parse("$user.AWS_Role__c:Text:255").unwrap();
        assert_eq!(d.name, "$User.AWS_Role__c");
        assert_eq!((d.ty, d.max_len, d.percent), (Type::Text, Some(255), false));
        assert_eq!(d.to_spec(), "$User.AWS_Role__c:Text:255");
        let d = Declaration::parse(" Score__c : number ").unwrap();
        assert_eq!(
            (d.name.as_str(), d.ty, d.max_len),
            ("Score__c", Type::Number, None)
        );
        let d = Declaration::parse("$Organization.Rate__c:Percent").unwrap();
        assert!(d.percent && d.ty == Type::Number);
        assert_eq!(d.to_spec(), "$Organization.Rate__c:Percent");
        for spec in [
            "$Profile.Tier__c:Picklist",
            "$UserRole.Since__c:Date",
            "Flag__c:Checkbox",
            "T__c:Text:1",
        ] {
            Declaration::parse(spec).unwrap();
        }
    }

    #[test]
    fn refuses_bad_types_lengths_and_names() {
        for (spec, says) in [
            ("$User.X__c:Widget", "unknown type `Widget`"),
            ("$User.X__c:Text:0", "length 0"),
            ("$User.X__c:Text:256", "length 256"),
            ("$User.X__c:Text:99999999999", "length 99999999999"),
            ("$User.X__c:Text:ten", "`ten`, which is not a whole number"),
            ("$User.X__c:Text:-1", "not a whole number"),
            ("$User.X__c:Number:10", "only a Text field has one"),
            ("$User.X__c:Text:10:2", "too many parts"),
            ("$User.X__c", "is not a field declaration"),
            (":Text", "is not a field declaration"),
            ("$User.Alias:Text", "`$User.Alias` is a standard field"),
            ("$User.Role:Text", "is not a custom field"),
            ("$System.X__c:Text", "is not a custom field"),
            ("$Nope.X__c:Text", "names no global"),
            ("$Permission.Voice:Boolean", "cannot be declared"),
            ("Bad name:Text", "is not a field name"),
            ("9lives:Text", "is not a field name"),
        ] {
            let d = parse_err(spec);
            assert_eq!(d.code, Code::InvalidFieldDeclaration, "{spec}");
            assert!(d.message.contains(says), "{spec}: {}", d.message);
            assert!(d.help.is_some(), "{spec}");
        }
        // Each error points at the part that is wrong.
        for (spec, at) in [
            ("$User.X__c:Widget", "Widget"),
            ("$User.X__c: Text :300", "300"),
            ("$User.X__c:Number:10", "10"),
            ("$User.Alias:Text", "$User.Alias"),
            (" Bad name :Text", "Bad name"),
            ("$User.X__c:Text:10:2", ":2"),
            ("$User.X__c", "$User.X__c"),
        ] {
            let span = parse_err(spec).span.unwrap();
            assert_eq!(&spec[span.start..span.end], at, "{spec}");
        }
    }

    #[test]
    fn duplicates_must_agree_and_differ_not_in_case() {
        let mut s = Schema::default();
        s.declare_spec("$User.AWS_Role__c:Text:255").unwrap();
        // The same declaration again is harmless.
        s.declare_spec("$User.AWS_Role__c:Text:255").unwrap();
        let d = s.declare_spec("$user.aws_role__C:Text:255").unwrap_err();
        assert_eq!(d.code, Code::InvalidFieldDeclaration);
        assert_eq!(
            d.message,
            "`$User.AWS_Role__c` is declared twice, as `$User.AWS_Role__c` and as `$User.aws_role__C`; field names ignore case"
        );
        let d = s.declare_spec("$User.AWS_Role__c:Text:80").unwrap_err();
        assert_eq!(
            d.message,
            "`$User.AWS_Role__c` is declared twice, as Text(255) and as Text(80)"
        );
        assert!(s.declare("$User.AWS_Role__c", Type::Number, None).is_err());
        // A declaration replaces a type inferred from a value; inference never replaces one.
        s.infer("Score__c", Type::Text, false);
        s.declare("Score__c", Type::Number, None).unwrap();
        s.infer("score__c", Type::Boolean, false);
        assert_eq!(s.get("SCORE__C").unwrap().ty, Type::Number);
        assert_eq!(s.get("score__c").unwrap().origin, Origin::Declared);
    }

    #[test]
    fn declared_fields_have_shapes_inferred_ones_none() {
        let mut s = Schema::default();
        s.declare("$User.AWS_Role__c", Type::Text, Some(100))
            .unwrap();
        s.declare("$User.Team__c", Type::Text, None).unwrap();
        s.declare("Score__c", Type::Number, None).unwrap();
        s.infer("$User.Guess__c", Type::Text, false);
        let role = s.shape_of("$User.aws_role__c").unwrap();
        assert_eq!((role.min_len, role.max_len, role.nullable), (0, 100, true));
        assert_eq!(role.chars, CharSet::ANY);
        assert_eq!(role.format, Format::Text);
        assert_eq!(s.shape_of("$user.team__c").unwrap().max_len, 255);
        assert_eq!(s.shape_of("score__c").unwrap().format, Format::NotText);
        assert_eq!(s.shape_of("$user.guess__c"), None);
        assert_eq!(s.shape_of("nope__c"), None);
        let key = FieldKey::Record("$user.aws_role__c".into());
        assert_eq!(s.field_shape(&key, IdLength::Fifteen), Some(role));
        let (id, _) = fields::lookup("$User.Id").unwrap();
        let id_shape = s
            .field_shape(&FieldKey::Merge(id), IdLength::Eighteen)
            .unwrap();
        assert_eq!((id_shape.min_len, id_shape.max_len), (18, 18));
        let required = Declaration::parse("$User.Req__c:Text:5")
            .unwrap()
            .required();
        s.add(required).unwrap();
        let req = s.shape_of("$user.req__c").unwrap();
        assert_eq!((req.min_len, req.max_len, req.nullable), (1, 5, false));
    }

    proptest::proptest! {
        /// Soundness of a declared shape: whatever value a context accepts for a declared Text
        /// field lies within the shape the declaration gives the analysis.
        #[test]
        fn accepted_values_lie_within_the_declared_shape(
            len in 1u16..=255,
            required in proptest::bool::ANY,
            value in "[a-z é😀\\t]{0,300}",
        ) {
            use crate::runtime::{Context, ContextOptions};
            let mut decl = Declaration::parse(&format!("$User.F__c:Text:{len}")).unwrap();
            if required {
                decl = decl.required();
            }
            let mut schema = Schema::default();
            schema.add(decl).unwrap();
            let shape = schema.shape_of("$user.f__c").unwrap();
            let mut ctx = Context::new_with_schema(ContextOptions::default(), schema);
            if ctx.set(&format!("$User.F__c={value}")).is_ok() {
                match ctx.record("$user.f__c") {
                    crate::Value::Text(s) => {
                        let n = s.encode_utf16().count();
                        proptest::prop_assert!(n >= usize::from(shape.min_len), "{n}");
                        proptest::prop_assert!(n <= usize::from(shape.max_len), "{n}");
                        proptest::prop_assert!(s.chars().all(|c| shape.chars.contains(c)));
                    }
                    crate::Value::Null => proptest::prop_assert!(shape.nullable),
                    other => proptest::prop_assert!(false, "{other:?}"),
                }
            } else {
                let n = value.encode_utf16().count();
                proptest::prop_assert!(n > usize::from(len) || (required && value.trim().is_empty()));
            }
        }
    }
}
