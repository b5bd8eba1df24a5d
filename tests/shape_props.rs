//! The shape analysis is sound: for random formulas over catalog fields and random users drawn
//! from the fields' declared shapes, every evaluated value lies within the computed length
//! range and character set, holds the characters the shape says it always holds, and is blank
//! only when the shape allows it.

use proptest::prelude::*;

use samlfx_formula::catalog::fields::{self, FIELDS, Format};
use samlfx_formula::id::{self, IdLength};
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::shape::{CharSet, ShapeOptions, TextShape};
use samlfx_formula::{Type, Value};

/// The Text fields the formulas read.
const FIELDS_READ: &[&str] = &[
    "$User.Alias",
    "$User.Username",
    "$User.Email",
    "$User.FirstName",
    "$User.LastName",
    "$User.CommunityNickname",
    "$User.FederationIdentifier",
    "$User.Title",
    "$User.Id",
    "$Organization.Id",
    "$Organization.Name",
];

/// Characters beyond ASCII that stress case mapping and UTF-16 lengths: `ß` upper-cases to
/// two letters, the Kelvin sign lower-cases to ASCII `k`, `İ` lower-cases to two characters,
/// the emoji is two UTF-16 units.
const NON_ASCII: &[char] = &['é', 'ß', 'K', 'İ', 'ı', '日', '😀', '\u{a0}'];

fn leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FIELDS_READ).prop_map(str::to_owned),
        1 => proptest::sample::select(&["'@'", "' '", "'a_b'", "''", "'Ünï'", "'x\\'y'", "'ß'"][..])
            .prop_map(str::to_owned),
    ]
}

fn formula() -> impl Strategy<Value = String> {
    leaf().prop_recursive(4, 24, 3, |inner| {
        let n = 0i32..12;
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} & {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} + {b})")),
            inner.clone().prop_map(|a| format!("LOWER({a})")),
            inner.clone().prop_map(|a| format!("UPPER({a})")),
            inner.clone().prop_map(|a| format!("UPPER({a}, 'tr')")),
            inner.clone().prop_map(|a| format!("INITCAP({a})")),
            inner.clone().prop_map(|a| format!("TRIM({a})")),
            inner.clone().prop_map(|a| format!("REVERSE({a})")),
            inner.clone().prop_map(|a| format!("CASESAFEID({a})")),
            inner.clone().prop_map(|a| format!("TEXT(LEN({a}))")),
            (inner.clone(), n.clone()).prop_map(|(a, n)| format!("LEFT({a}, {n})")),
            (inner.clone(), n.clone()).prop_map(|(a, n)| format!("RIGHT({a}, {n})")),
            (inner.clone(), n.clone(), n.clone())
                .prop_map(|(a, s, n)| format!("MID({a}, {s}, {n})")),
            (inner.clone(), n.clone()).prop_map(|(a, n)| format!("LPAD({a}, {n}, '0')")),
            (inner.clone(), n.clone()).prop_map(|(a, n)| format!("RPAD({a}, {n})")),
            inner
                .clone()
                .prop_map(|a| format!("SUBSTITUTE({a}, ' ', '_')")),
            inner
                .clone()
                .prop_map(|a| format!("SUBSTITUTE({a}, 'e', 'xyz')")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("SUBSTITUTE({a}, {b}, '-')")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("IF(ISBLANK({a}), {b}, {c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("BLANKVALUE({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("CASE({a}, 'x', {b}, {c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("HYPERLINK({a}, {b})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, c)| format!("IFS(ISBLANK({a}), {b}, {c})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("NULLVALUE({a}, {b})")),
            (inner.clone(), n.clone()).prop_map(|(a, n)| format!("SUBSTR({a}, {n})")),
            inner
                .clone()
                .prop_map(|a| format!("{a} & TEXT(TODAY()) & TEXT(NOW())")),
            inner.clone().prop_map(|a| format!("IFERROR({a}, 'x')")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("LEFT({a}, LEN({b}))")),
            inner
                .clone()
                .prop_map(|a| format!("JSONVALUE('{{\"k\": \"' & {a} & '\"}}', 'k')")),
            inner
                .clone()
                .prop_map(|a| format!("JSONPATHVALUE('[\"' & {a} & '\", 2]', '$[*]')")),
            (inner.clone(), n.clone())
                .prop_map(|(a, n)| format!("FORMATCURRENCY({a}, LEN({a}) * {n} - 7.5)")),
            n.clone().prop_map(|n| format!(
                "TEXT(DISTANCE(GEOLOCATION({n}, -{n}), GEOLOCATION(1.5, 2), 'km'))"
            )),
        ]
    })
}

/// A value of a field drawn from its catalog shape: a length in range, characters from its
/// set, blank when the field is nullable.
fn field_value(shape: fields::Shape, seed: &[u32]) -> Option<String> {
    let mut it = seed.iter().copied();
    let mut next = move || it.next().unwrap_or(7);
    if shape.nullable && next() % 4 == 0 {
        return None;
    }
    let ascii: Vec<char> = shape.chars.ascii_chars().collect();
    let min = u32::from(shape.min_len).max(1);
    let max = u32::from(shape.max_len).max(min);
    // Mostly short values, sometimes the longest the field allows.
    let len = if next() % 5 == 0 {
        max
    } else {
        min + next() % (max - min + 1).min(12)
    };
    let mut s = String::new();
    let mut units = 0;
    while units < len {
        let pick = next();
        let mut c = if shape.chars.has_non_ascii() && pick % 6 == 0 {
            NON_ASCII[(pick / 6) as usize % NON_ASCII.len()]
        } else {
            ascii[pick as usize % ascii.len()]
        };
        if units + c.len_utf16() as u32 > len {
            // A two-unit character does not fit in the last unit.
            c = ascii[pick as usize % ascii.len()];
        }
        units += c.len_utf16() as u32;
        s.push(c);
    }
    (!s.is_empty()).then_some(s)
}

fn user(seed: &[u32], id_length: IdLength) -> Context {
    let mut ctx = Context::new(ContextOptions { id_length });
    for (i, name) in FIELDS_READ.iter().enumerate() {
        let (fid, spec) = fields::lookup(name).expect("catalog field");
        let shape = spec.shape(IdLength::Fifteen);
        let value = if spec.shape.format == Format::Id {
            let alnum: Vec<char> = CharSet::ALNUM.ascii_chars().collect();
            let s: String = (0..15)
                .map(|k| alnum[seed[(i * 15 + k) % seed.len()] as usize % alnum.len()])
                .collect();
            Some(id::case_safe(&s))
        } else {
            field_value(shape, &seed[(i * 7) % seed.len()..])
        };
        ctx.set_merge(fid, value.map_or(Value::Null, Value::text));
    }
    ctx
}

fn within(shape: &TextShape, value: &Value) -> Result<(), String> {
    let Some(s) = value.to_output().filter(|s| !s.is_empty()) else {
        return if shape.may_be_blank {
            Ok(())
        } else {
            Err("blank, but the shape says it never is".into())
        };
    };
    let len = s.encode_utf16().count() as u32;
    if len < shape.min_len {
        return Err(format!("{len} units, below the minimum {}", shape.min_len));
    }
    if shape.max_len.is_some_and(|m| len > m) {
        return Err(format!(
            "{len} units, above the maximum {:?}",
            shape.max_len
        ));
    }
    let chars = CharSet::of_str(&s);
    if !chars.is_subset_of(shape.chars) {
        return Err(format!(
            "holds {} outside the shape",
            chars.minus(shape.chars).describe(8)
        ));
    }
    if !shape.always.is_subset_of(chars) {
        return Err(format!(
            "lacks {} the shape says it always holds",
            shape.always.minus(chars).describe(8)
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn values_lie_within_their_shape(
        src in formula(),
        seed in proptest::collection::vec(any::<u32>(), 200),
        eighteen in any::<bool>(),
    ) {
        let id_length = if eighteen { IdLength::Eighteen } else { IdLength::Fifteen };
        let compiled = Program::compile(&src, &CompileOptions::default());
        let Some(program) = compiled.program else {
            // Only the generator's rare ill-typed combinations (none expected) are skipped.
            return Err(TestCaseError::fail(format!("{src} does not compile: {:?}", compiled.diagnostics)));
        };
        prop_assume!(program.result_type() == Type::Text || program.result_type() == Type::Null);
        let shape = program
            .text_shape(&ShapeOptions { id_length, schema: None })
            .expect("a Text formula has a shape");
        let ctx = user(&seed, id_length);
        if let Ok(value) = program.eval(&ctx) {
            within(&shape, &value).map_err(|e| TestCaseError::fail(format!(
                "{src}\n  value {value:?}\n  {e}\n  shape {shape:?}"
            )))?;
        }
    }
}

#[test]
fn every_catalog_text_field_has_a_drawable_shape() {
    for spec in FIELDS.iter().filter(|f| f.ty == Type::Text) {
        let shape = spec.shape(IdLength::Fifteen);
        assert!(shape.min_len <= shape.max_len, "{}", spec.full_name());
        assert!(!shape.chars.is_empty(), "{}", spec.full_name());
    }
}
