//! Every distinct formula of the formula-engine conformance corpus parses and type-checks with
//! the fields its case declares and its `result_type` required (so a static type that does not
//! fit is the checker's own F106). This is the check of the function catalog's signatures
//! against the engine's own tests.

use std::collections::{BTreeSet, HashMap};

use samlfx_formula::Type;
use samlfx_formula::check::{CheckOptions, RecordField, Schema, check};
use samlfx_formula::syntax::parse;

/// Kept beside the repository; see `samlfx_testdata`.
const CORPUS: &str = "conformance/formula-engine/cases.jsonl";

fn schema_of(fields: &serde_json::Map<String, serde_json::Value>) -> Schema {
    let mut record = HashMap::new();
    for (name, f) in fields {
        let ty = f["type"]
            .as_str()
            .and_then(Type::parse)
            .expect("a known corpus type");
        record.insert(
            name.to_ascii_lowercase(),
            RecordField {
                formula: f
                    .get("formula")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                ..RecordField::new(name.clone(), ty)
            },
        );
    }
    Schema { record }
}

#[test]
fn every_corpus_formula_type_checks() {
    let Some(text) = samlfx_testdata::shared_text(CORPUS, "the formula-engine conformance corpus")
    else {
        return;
    };
    let mut seen = BTreeSet::new();
    let mut failures = Vec::new();
    let mut checked = 0;
    for line in text.lines() {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON case");
        let formula = case["formula"].as_str().unwrap();
        let result_type = case["result_type"].as_str().unwrap();
        let fields = case["fields"].as_object().unwrap();
        if !seen.insert((
            formula.to_string(),
            result_type.to_string(),
            fields.len(),
            serde_json::to_string(fields).unwrap(),
        )) {
            continue;
        }
        let ast = match parse(formula) {
            Ok(ast) => ast,
            Err(d) => {
                failures.push(format!("{formula}: parse error {d:?}"));
                continue;
            }
        };
        let schema = schema_of(fields);
        let expected = Type::parse(result_type).unwrap();
        // With the result type required, so the checker's own F106 rule is exercised too.
        let checked_formula = check(
            &ast,
            &CheckOptions {
                expected: Some(expected),
                schema: Some(&schema),
                src: Some(formula),
                ..Default::default()
            },
        );
        checked += 1;
        let errors: Vec<_> = checked_formula
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        if checked_formula.typed.is_none() {
            failures.push(format!("{formula}: {errors:?}"));
        }
    }
    assert!(checked > 350, "only {checked} formulas checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn record(name: &str, ty: Type, formula: Option<&str>) -> (String, RecordField) {
    (
        name.to_ascii_lowercase(),
        RecordField {
            formula: formula.map(str::to_string),
            ..RecordField::new(name, ty)
        },
    )
}

#[test]
fn nested_formula_fields_are_inlined_and_checked() {
    let schema = Schema {
        record: HashMap::from([
            record("n__c", Type::Number, None),
            record("f__c", Type::Number, Some("n__c * 2")),
            record("bad__c", Type::Number, Some("'x' & n__c")),
            record("wrong__c", Type::Number, Some("'x'")),
        ]),
    };
    let run = |src: &str| {
        check(
            &parse(src).unwrap(),
            &CheckOptions {
                expected: None,
                schema: Some(&schema),
                src: Some(src),
                ..Default::default()
            },
        )
    };
    let c = run("f__c + 1");
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let typed = c.typed.unwrap();
    let samlfx_formula::ir::TypedKind::Binary { lhs, .. } = typed.into_kind() else {
        panic!("a binary node")
    };
    // The inlined formula, its spans moved onto the reference `f__c`.
    assert!(matches!(
        lhs.kind,
        samlfx_formula::ir::TypedKind::Binary { .. }
    ));
    assert_eq!((lhs.span.start, lhs.span.end), (0, 4));

    let c = run("bad__c + 1");
    assert_eq!(
        c.diagnostics[0].message,
        "Error in referenced formula bad__c, Incorrect parameter type for operator '&'. Expected Text, received Number"
    );
    let c = run("wrong__c");
    assert!(
        c.diagnostics[0]
            .message
            .contains("data type (Text), incompatible with expected data type (Number)")
    );
}
