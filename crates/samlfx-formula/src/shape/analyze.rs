//! The value-shape analysis: from a compiled formula alone, the lengths, characters and
//! blankness of every Text value it can produce, for any user.
//!
//! It runs on the compiled tree, after constant folding, so `'arn:…' & ':role/X'` is one
//! constant. Each function's effect comes from its catalog row ([`Yields`]), fields' shapes from
//! the merge-field catalog and the declared schema. Every bound is sound: a computed shape may
//! be wider than the values the formula really produces, never narrower. Where nothing can be
//! proved the shape says so (any character, no maximum) and rules stay silent.

use samlfx_diag::{SourceMap, Span};

use super::CharSet;
use crate::catalog::fields::{self, Format, Shape};
use crate::catalog::functions::{self, Func, Yields};
use crate::id::IdLength;
use crate::program::node::{Kind, Node};
use crate::schema::Schema;
use crate::{Type, Value};

/// What the analysis reads besides the formula.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShapeOptions<'a> {
    /// Whether Id fields read as 15 or 18 characters.
    pub id_length: IdLength,
    /// The declared record and custom fields.
    pub schema: Option<&'a Schema>,
}

/// What the Text values of a formula (or of one of its parts) can look like. Lengths are in
/// UTF-16 code units ([`crate::shape`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextShape {
    /// The shortest a non-blank value can be.
    pub min_len: u32,
    /// The longest any value can be; `None` when no bound is provable.
    pub max_len: Option<u32>,
    /// Every character a value may hold.
    pub chars: CharSet,
    /// Characters every non-blank value holds (a literal that is always part of the value).
    pub always: CharSet,
    /// Whether the value may be blank (null or empty, the same thing in a formula).
    pub may_be_blank: bool,
    /// The parts of the formula the value is made of, with what each contributes: the labels
    /// a finding points at.
    pub origins: Vec<Origin>,
}

/// One part of a formula that contributes to its value: a field, a literal, or a call whose
/// result is not modelled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    pub span: Span,
    /// As a message names it: `$User.Alias`, `the literal ' '`, `HYPERLINK()`.
    pub name: String,
    pub kind: OriginKind,
    /// The characters it may bring into the value (after any function above it).
    pub chars: CharSet,
    /// The characters it always brings, when it is not blank.
    pub always: CharSet,
    /// Its longest contribution; `None` when unbounded.
    pub max_len: Option<u32>,
    pub may_be_blank: bool,
    /// A literal's text and the map from it to the source, so a finding about some of its
    /// characters can point at exactly those bytes.
    pub literal: Option<(String, SourceMap)>,
}

impl Origin {
    /// The source spans of the characters of `set` in this literal (at most `limit`), or the
    /// whole origin's span when it is not a literal.
    pub fn spans_of(&self, set: CharSet, limit: usize) -> Vec<Span> {
        let Some((text, map)) = &self.literal else {
            return vec![self.span];
        };
        let found: Vec<Span> = text
            .char_indices()
            .filter(|(_, c)| set.contains(*c))
            .take(limit)
            .map(|(i, c)| map.span(i..i + c.len_utf8()))
            .collect();
        if found.is_empty() {
            vec![self.span]
        } else {
            found
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OriginKind {
    Field,
    Literal,
    /// A computed value the analysis does not model (HYPERLINK(), an encoder).
    Opaque,
}

/// How many origins a shape keeps: enough to name every field of a real attribute formula,
/// bounded so a formula of thousands of parts cannot blow up the analysis.
const MAX_ORIGINS: usize = 64;

impl TextShape {
    /// The blank value (NULL, `''`).
    pub fn blank() -> TextShape {
        TextShape {
            min_len: 0,
            max_len: Some(0),
            chars: CharSet::EMPTY,
            always: CharSet::EMPTY,
            may_be_blank: true,
            origins: Vec::new(),
        }
    }

    /// Anything at all: what a part the analysis cannot see into produces.
    pub fn anything(span: Span, name: impl Into<String>) -> TextShape {
        let origin = Origin {
            span,
            name: name.into(),
            kind: OriginKind::Opaque,
            chars: CharSet::ANY,
            always: CharSet::EMPTY,
            max_len: None,
            may_be_blank: true,
            literal: None,
        };
        TextShape {
            min_len: 1,
            max_len: None,
            chars: CharSet::ANY,
            always: CharSet::EMPTY,
            may_be_blank: true,
            origins: vec![origin],
        }
    }

    /// Exactly the text `s`, with the map from it to the source when it has one.
    pub fn literal(s: &str, span: Span, map: Option<&SourceMap>) -> TextShape {
        if s.is_empty() {
            return TextShape::blank();
        }
        let len = units(s);
        let chars = CharSet::of_str(s);
        let shown: String = s.chars().take(40).collect();
        let ellipsis = if shown.len() < s.len() { "…" } else { "" };
        TextShape {
            min_len: len,
            max_len: Some(len),
            chars,
            always: chars,
            may_be_blank: false,
            origins: vec![Origin {
                span,
                name: format!("the text '{shown}{ellipsis}'"),
                kind: OriginKind::Literal,
                chars,
                always: chars,
                max_len: Some(len),
                may_be_blank: false,
                literal: map.map(|m| (s.to_owned(), m.clone())),
            }],
        }
    }

    /// A field's values.
    pub fn field(shape: &Shape, span: Span, name: impl Into<String>) -> TextShape {
        let min = u32::from(shape.min_len).max(1);
        let max = u32::from(shape.max_len);
        TextShape {
            min_len: min,
            max_len: Some(max),
            chars: shape.chars,
            always: CharSet::EMPTY,
            may_be_blank: shape.nullable,
            origins: vec![Origin {
                span,
                name: name.into(),
                kind: OriginKind::Field,
                chars: shape.chars,
                always: CharSet::EMPTY,
                max_len: Some(max),
                may_be_blank: shape.nullable,
                literal: None,
            }],
        }
    }

    /// Whether every value is blank.
    pub fn is_always_blank(&self) -> bool {
        self.max_len == Some(0)
    }

    /// Values of `parts` joined end to end (`&`, Text `+`).
    pub fn concat(parts: Vec<TextShape>) -> TextShape {
        if parts.is_empty() {
            return TextShape::blank();
        }
        let required: u32 = parts
            .iter()
            .filter(|p| !p.may_be_blank)
            .map(|p| p.min_len)
            .fold(0, u32::saturating_add);
        // When every part may be blank, a non-blank result holds at least one non-blank part.
        let min_len = if required > 0 {
            required
        } else {
            parts
                .iter()
                .filter(|p| !p.is_always_blank())
                .map(|p| p.min_len)
                .min()
                .unwrap_or(0)
        };
        let max_len = parts
            .iter()
            .try_fold(0u32, |acc, p| p.max_len.map(|m| acc.saturating_add(m)));
        let mut shape = TextShape {
            min_len,
            max_len,
            chars: CharSet::EMPTY,
            always: CharSet::EMPTY,
            may_be_blank: parts.iter().all(|p| p.may_be_blank),
            origins: Vec::new(),
        };
        for p in parts {
            shape.chars = shape.chars.union(p.chars);
            if !p.may_be_blank {
                shape.always = shape.always.union(p.always);
            }
            shape.push_origins(p.origins);
        }
        shape
    }

    /// Values that are one of `options` (IF's branches).
    pub fn either(options: Vec<TextShape>) -> TextShape {
        let mut it = options.into_iter();
        let Some(mut shape) = it.next() else {
            return TextShape::blank();
        };
        for o in it {
            shape = shape.or(o);
        }
        shape
    }

    fn or(mut self, o: TextShape) -> TextShape {
        // An always-blank option adds blankness, not a length.
        match (self.is_always_blank(), o.is_always_blank()) {
            (true, _) => {
                let blank = self.may_be_blank;
                self = TextShape {
                    origins: std::mem::take(&mut self.origins),
                    ..o.clone()
                };
                self.may_be_blank |= blank;
                self.push_origins(o.origins);
                return self;
            }
            (false, true) => {
                self.may_be_blank = true;
                return self;
            }
            (false, false) => {}
        }
        self.min_len = self.min_len.min(o.min_len);
        self.max_len = self.max_len.zip(o.max_len).map(|(a, b)| a.max(b));
        self.chars = self.chars.union(o.chars);
        self.always = self.always.intersection(o.always);
        self.may_be_blank |= o.may_be_blank;
        self.push_origins(o.origins);
        self
    }

    fn push_origins(&mut self, origins: Vec<Origin>) {
        for o in origins {
            if self.origins.len() >= MAX_ORIGINS {
                break;
            }
            if let Some(same) = self.origins.iter_mut().find(|x| x.span == o.span) {
                same.chars = same.chars.union(o.chars);
                same.always = same.always.intersection(o.always);
                same.max_len = same.max_len.zip(o.max_len).map(|(a, b)| a.max(b));
                same.may_be_blank |= o.may_be_blank;
            } else {
                self.origins.push(o);
            }
        }
    }

    /// Applies a change of characters to the whole shape and to every origin.
    fn map_chars(mut self, f: impl Fn(CharSet) -> CharSet, g: impl Fn(CharSet) -> CharSet) -> Self {
        self.chars = f(self.chars);
        self.always = g(self.always);
        for o in &mut self.origins {
            o.chars = f(o.chars);
            o.always = g(o.always);
        }
        self
    }

    /// Caps the longest value at `max` (LEFT, RIGHT, MID).
    fn cap(mut self, max: u32) -> Self {
        // A cut through a surrogate pair drops its half, which can leave nothing.
        self.may_be_blank |= self.chars.has_non_ascii();
        self.max_len = Some(self.max_len.map_or(max, |m| m.min(max)));
        self.min_len = self.min_len.min(max);
        self
    }
}

/// The length of `s` in the project's unit, UTF-16 code units.
pub fn units(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

/// The shape of the Text a compiled node produces.
pub(crate) fn analyze(node: &Node, opts: &ShapeOptions<'_>) -> TextShape {
    crate::stack::guarded_if(!node.children().is_empty(), || shape_of(node, opts))
}

fn shape_of(node: &Node, opts: &ShapeOptions<'_>) -> TextShape {
    match &node.kind {
        Kind::Const(Value::Null) => TextShape::blank(),
        Kind::Const(Value::Text(s)) => TextShape::literal(s, node.span, node.map.as_deref()),
        Kind::Const(v) => match v.to_output() {
            Some(s) => TextShape::literal(&s, node.span, None),
            None => TextShape::blank(),
        },
        Kind::Merge { id, .. } => {
            let spec = fields::get(*id);
            if spec.shape.format == Format::NotText && node.ty != Type::Picklist {
                return TextShape::anything(node.span, spec.full_name());
            }
            TextShape::field(&spec.shape(opts.id_length), node.span, spec.full_name())
        }
        Kind::Record { key, .. } => {
            // A declared field has the shape of its declaration; one only inferred from a
            // user's value proves nothing.
            let declared = opts.schema.and_then(|s| s.get(key));
            let name = declared.map_or_else(|| key.to_string(), |f| f.name.clone());
            match declared.and_then(|f| f.shape()) {
                Some(shape) if node.ty == Type::Text || node.ty == Type::Picklist => {
                    TextShape::field(&shape, node.span, name)
                }
                _ => TextShape::anything(node.span, name),
            }
        }
        Kind::Permission(name) => TextShape::anything(node.span, format!("$Permission.{name}")),
        Kind::Concat(parts) => TextShape::concat(parts.iter().map(|p| analyze(p, opts)).collect()),
        Kind::If(b) => apply(Func::If, &b[..], node, opts),
        Kind::Case(args) => apply(Func::Case, args, node, opts),
        Kind::Ifs(args) => apply(Func::Ifs, args, node, opts),
        Kind::IfError(b) => apply(Func::IfError, &b[..], node, opts),
        Kind::Call { func, args, .. } => apply(*func, args, node, opts),
        Kind::And(_) | Kind::Or(_) | Kind::Unary { .. } | Kind::Binary { .. } => {
            TextShape::anything(node.span, "this expression")
        }
    }
}

/// A function's result shape, by its catalog row's [`Yields`].
fn apply(func: Func, args: &[Node], node: &Node, opts: &ShapeOptions<'_>) -> TextShape {
    let spec = functions::spec(func);
    let arg = |i: usize| {
        args.get(i)
            .map_or_else(TextShape::blank, |a| analyze(a, opts))
    };
    let opaque = || TextShape::anything(node.span, format!("{}()", spec.name));
    match spec.yields {
        Yields::NotText | Yields::Opaque => opaque(),
        Yields::OneOf(indexes) => TextShape::either(indexes.iter().map(|&i| arg(i)).collect()),
        Yields::CaseResults => {
            // CASE(subject, v1, r1, …, else): results at 2, 4, … and the last argument.
            let n = args.len();
            let picks = (2..n).step_by(2).chain(std::iter::once(n - 1));
            TextShape::either(picks.map(arg).collect())
        }
        Yields::IfsValues => {
            // IFS(c1, v1, …, else): values at 1, 3, … and the last argument.
            let n = args.len();
            let picks = (1..n - 1).step_by(2).chain(std::iter::once(n - 1));
            TextShape::either(picks.map(arg).collect())
        }
        Yields::Fallback => {
            let mut first = arg(0);
            if !first.may_be_blank {
                return first;
            }
            first.may_be_blank = false;
            if first.is_always_blank() {
                return arg(1);
            }
            first.or(arg(1))
        }
        Yields::Part { count } => {
            let mut shape = arg(0);
            shape.always = CharSet::EMPTY;
            for o in &mut shape.origins {
                o.always = CharSet::EMPTY;
            }
            shape.min_len = shape.min_len.min(1);
            // MID and SUBSTR (a start before the count) may start past the end of the text.
            shape.may_be_blank |= count > 1;
            match const_number(args.get(count)) {
                Some(n) if n <= 0 => TextShape::blank(),
                Some(n) => shape.cap(u32::try_from(n).unwrap_or(u32::MAX)),
                // A count that is not a constant may be zero.
                None => {
                    shape.may_be_blank = true;
                    shape
                }
            }
        }
        Yields::Substitute => substitute(arg(0), args.get(1), arg(2)),
        Yields::Trim => {
            let shape = arg(0);
            if !shape.chars.contains(' ') {
                return shape;
            }
            let mut shape = shape.map_chars(|c| c, |c| c.minus(CharSet::of_bytes(b" ")));
            shape.min_len = shape.min_len.min(1);
            shape.may_be_blank = true;
            shape
        }
        Yields::ChangeCase => change_case(func, arg(0), args.len() > 1),
        Yields::Pad => pad(
            arg(0),
            args.get(1),
            args.get(2).map(|p| (p, analyze(p, opts))),
        ),
        Yields::Text => text_of(args.first(), node, opts),
        Yields::CaseSafeId => {
            let shape = arg(0);
            let checksum = CharSet::UPPER.union(CharSet::range(b'0', b'5'));
            let mut out = shape.map_chars(|c| c.union(checksum), |c| c);
            out.max_len = out.max_len.map(|m| m.saturating_add(3));
            out
        }
        Yields::Reverse => arg(0),
    }
}

/// The value of a constant Number argument, truncated as the text functions read it.
fn const_number(node: Option<&Node>) -> Option<i64> {
    match &node?.kind {
        Kind::Const(Value::Number(n)) => {
            use bigdecimal::ToPrimitive;
            n.with_scale_round(0, bigdecimal::RoundingMode::Down)
                .to_i64()
        }
        _ => None,
    }
}

fn const_text(node: Option<&Node>) -> Option<&str> {
    match &node?.kind {
        Kind::Const(Value::Text(s)) => Some(s),
        _ => None,
    }
}

fn substitute(text: TextShape, old: Option<&Node>, new: TextShape) -> TextShape {
    let Some(old) = const_text(old).filter(|o| !o.is_empty()) else {
        // An unknown search text may replace anything with the new text.
        let mut out = TextShape::concat(vec![text, new]);
        out.max_len = None;
        out.min_len = out.min_len.min(1);
        out.always = CharSet::EMPTY;
        out.may_be_blank = true;
        return out;
    };
    let old_len = units(old);
    // Only an ASCII character is removed for sure: the set keeps non-ASCII as one flag.
    let removed = if old.len() == 1 {
        CharSet::of_str(old)
    } else {
        CharSet::EMPTY
    };
    let could_match = CharSet::of_str(old).is_subset_of(text.chars);
    if !could_match {
        return text;
    }
    let max_len = match (text.max_len, new.max_len) {
        (Some(t), Some(n)) if n <= old_len => Some(t),
        (Some(t), Some(n)) => Some((t / old_len).saturating_mul(n).saturating_add(t % old_len)),
        _ => None,
    };
    let new_blank = new.may_be_blank;
    let mut out = text.map_chars(|c| c.minus(removed), |c| c.minus(CharSet::of_str(old)));
    out.chars = out.chars.union(new.chars);
    out.max_len = max_len;
    out.min_len = out.min_len.min(1);
    out.may_be_blank |= new_blank;
    out.push_origins(new.origins);
    out
}

fn change_case(func: Func, text: TextShape, locale: bool) -> TextShape {
    let non_ascii = text.chars.has_non_ascii();
    let (f, letters): (fn(char) -> char, CharSet) = match func {
        Func::Upper => (|c| c.to_ascii_uppercase(), CharSet::UPPER),
        Func::Lower => (|c| c.to_ascii_lowercase(), CharSet::LOWER),
        _ => (|c| c, CharSet::LETTERS),
    };
    let initcap = func == Func::InitCap;
    let mut out = text.map_chars(
        |c| {
            let mut m = c.map_ascii(f);
            if initcap {
                m = m.union(c.map_ascii(|c| c.to_ascii_uppercase()));
                m = m.union(c.map_ascii(|c| c.to_ascii_lowercase()));
            }
            // Some non-ASCII letters recase to ASCII ones (the Kelvin sign to `k`); a locale
            // such as Turkish recases ASCII `I` to a non-ASCII one.
            if c.has_non_ascii() {
                m = m.union(letters);
            }
            if locale && !c.intersection(CharSet::LETTERS).is_empty() {
                m = m.with_non_ascii();
            }
            m
        },
        |c| {
            // A non-ASCII character may recase to ASCII ones (`ß` to `SS`).
            if initcap || locale {
                c.minus(CharSet::LETTERS).intersection(CharSet::ASCII)
            } else {
                c.map_ascii(f).intersection(CharSet::ASCII)
            }
        },
    );
    if non_ascii || locale {
        // Full Unicode case mapping can lengthen text: lower-casing `İ` gives two characters,
        // upper-casing `ß` gives `SS` and some Greek letters three, as may a locale (Lithuanian).
        let factor = if func == Func::Lower && !locale { 2 } else { 3 };
        out.max_len = out.max_len.map(|m| m.saturating_mul(factor));
        out.min_len = out.min_len.min(1);
    }
    out
}

fn pad(text: TextShape, len: Option<&Node>, padding: Option<(&Node, TextShape)>) -> TextShape {
    let padding = match padding {
        Some((_, p)) => p,
        None => TextShape::literal(" ", Span::default(), None),
    };
    let n = const_number(len);
    if n.is_some_and(|n| n <= 0) {
        return TextShape::blank();
    }
    let blank = text.may_be_blank;
    let text_min = text.min_len;
    let mut out = TextShape::concat(vec![text, padding]);
    out.always = CharSet::EMPTY;
    out.may_be_blank = blank;
    // The padding repeats, so only a constant length bounds the result: padded up to it, or
    // cut down to it.
    out.max_len = None;
    out.min_len = text_min.min(1);
    match n {
        Some(n) => out.cap(u32::try_from(n).unwrap_or(u32::MAX)),
        None => out,
    }
}

fn text_of(arg: Option<&Node>, node: &Node, opts: &ShapeOptions<'_>) -> TextShape {
    let Some(arg) = arg else {
        return TextShape::blank();
    };
    let exact = |len: u32, chars: &[u8]| {
        let chars = CharSet::of_bytes(chars);
        let mut shape = TextShape::anything(node.span, "TEXT()");
        shape.min_len = len;
        shape.max_len = Some(len);
        shape.chars = chars;
        shape.origins[0].chars = chars;
        shape.origins[0].max_len = Some(len);
        shape
    };
    match arg.ty {
        Type::Picklist | Type::Text => analyze(arg, opts),
        Type::Number => {
            let chars = CharSet::DIGITS.union(CharSet::of_bytes(b"-."));
            let mut shape = TextShape::anything(node.span, "TEXT()");
            shape.chars = chars;
            shape.origins[0].chars = chars;
            shape
        }
        Type::Date => exact(10, b"0123456789-"),
        Type::DateTime => exact(20, b"0123456789-: Z"),
        Type::Time => exact(12, b"0123456789:."),
        _ => TextShape::anything(node.span, "TEXT()"),
    }
}
