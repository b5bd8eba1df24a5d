//! The bundled examples read as intended: the correct Voice setup without a reader diagnostic,
//! in every format, and the broken one with only the mistakes its comments announce.

use std::path::{Path, PathBuf};

use samlfx_app::{Content, FileKind, NameIdFormat, SigningAlgorithm, SubjectType, load};

fn examples(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(dir)
}

fn slice(text: &str, s: samlfx_diag::Span) -> &str {
    &text[s.start..s.end]
}

#[test]
fn the_voice_example_reads_cleanly_in_every_format() {
    let loaded = load(&examples("voice"));
    let kinds: Vec<_> = loaded.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(FileKind::CallCenterImport),
            Some(FileKind::CallCenter),
            Some(FileKind::ConnectedApp),
            Some(FileKind::SamlfxToml),
        ],
        "{loaded:#?}"
    );
    let mut apps = Vec::new();
    for l in &loaded {
        assert!(
            l.diagnostics.is_empty(),
            "{}: {:#?}",
            l.source.display_name(),
            l.diagnostics
        );
        let text = &l.source.text;
        match l.content.as_ref().expect("content") {
            Content::App(app) => {
                assert_eq!(app.name.as_deref(), Some("AcmeVoice"));
                let entity = app.entity_id.as_ref().unwrap();
                assert_eq!(entity.value, "AcmeVoice");
                assert_eq!(slice(text, entity.span()), "AcmeVoice");
                let acs = app.acs_url.as_ref().unwrap();
                assert_eq!(
                    slice(text, acs.span()),
                    "https://signin.aws.amazon.com/saml"
                );
                assert_eq!(
                    app.subject_type.as_ref().unwrap().value,
                    SubjectType::PersistentId
                );
                assert_eq!(
                    slice(text, app.subject_type.as_ref().unwrap().span),
                    "PersistentId"
                );
                assert_eq!(
                    app.name_id_format.as_ref().unwrap().value,
                    NameIdFormat::Persistent
                );
                assert_eq!(
                    app.signing_algorithm.as_ref().unwrap().value,
                    SigningAlgorithm::Sha256
                );
                let rsn = app
                    .attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName")
                    .unwrap();
                assert_eq!(
                    rsn.formula.value,
                    "$User.Alias & '@' & $User.Id & '@' & $Organization.Id"
                );
                let role = app
                    .attribute("https://aws.amazon.com/SAML/Attributes/Role")
                    .unwrap();
                assert_eq!(
                    role.formula.value.trim(),
                    "'arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp_00D5g000004Xyz1' & ',' & 'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole'"
                );
                // The formulas compile, and are the same app in both formats.
                for a in &app.attributes {
                    let c = samlfx_formula::program::Program::compile(
                        &a.formula.value,
                        &Default::default(),
                    );
                    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
                }
                apps.push(app.clone());
            }
            Content::ContactCenter(cc) => {
                assert_eq!(cc.internal_name.as_ref().unwrap().value, "AcmeVoice");
                assert_eq!(cc.region.as_ref().unwrap().value, "us-west-2");
                let id = cc.instance_id.as_ref().unwrap();
                assert_eq!(
                    slice(text, id.span()),
                    "0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d"
                );
                assert!(
                    cc.relay_state
                        .as_ref()
                        .unwrap()
                        .value
                        .contains("/connect/federate/")
                );
                assert!(
                    cc.identity_url
                        .as_ref()
                        .unwrap()
                        .value
                        .contains("/idp/login?app=")
                );
                assert_eq!(cc.role_arns.len(), 2);
                for r in &cc.role_arns {
                    assert_eq!(slice(text, r.value.span()), r.value.value);
                    assert!(r.value.value.starts_with("arn:aws:iam::123456789012:role/"));
                }
                assert!(cc.voice && cc.amazon_connect());
            }
            Content::ClientApp(part) => panic!("no External Client App here: {part:?}"),
        }
    }
    assert_eq!(apps.len(), 2);
    assert_eq!(apps[0].attributes.len(), apps[1].attributes.len());
}

#[test]
fn the_broken_example_reads_with_its_mistakes_in_the_formulas() {
    let loaded = load(&examples("voice-broken"));
    assert_eq!(loaded.len(), 3, "{loaded:#?}");
    for l in &loaded {
        // Every mistake is for the rules, not the readers.
        assert!(
            l.diagnostics.is_empty(),
            "{}: {:#?}",
            l.source.display_name(),
            l.diagnostics
        );
        if let Some(Content::App(app)) = &l.content {
            let role = app
                .attribute("https://aws.amazon.com/SAML/Attributes/Role")
                .unwrap();
            assert!(
                role.formula.value.contains("&apos;") || role.formula.value.contains("iam:1234"),
                "{}",
                role.formula.value
            );
            assert_eq!(
                app.signing_algorithm.as_ref().unwrap().value,
                SigningAlgorithm::Sha1
            );
        }
    }
}

/// What the file bytes of one decoded character are, decoded again.
fn decode_piece(raw: &str) -> String {
    match raw {
        "&amp;" => "&".into(),
        "&apos;" | "&#39;" => "'".into(),
        "&quot;" => "\"".into(),
        _ => raw.to_owned(),
    }
}

#[test]
fn every_formula_byte_of_the_examples_maps_back_to_the_file() {
    for dir in ["voice", "voice-broken"] {
        for l in load(&examples(dir)) {
            let Some(Content::App(app)) = &l.content else {
                continue;
            };
            let text = &l.source.text;
            for a in &app.attributes {
                for t in [&a.key, &a.formula] {
                    for (i, c) in t.value.char_indices() {
                        let s = t.span_of(i..i + c.len_utf8());
                        assert_eq!(
                            decode_piece(&text[s.start..s.end]),
                            c.to_string(),
                            "{}: {c:?} at {s:?}",
                            l.source.display_name()
                        );
                    }
                }
            }
            // The attribute's span is its whole element or table.
            let first = &app.attributes[0];
            let whole = &text[first.span.start..first.span.end];
            assert!(
                whole.contains(&text[first.formula.span().start..first.formula.span().end])
                    || whole.contains("attributes"),
                "{whole}"
            );
        }
    }
}

/// What `check` will do with an attribute: compile it, run the attribute's rules on it, and move
/// every finding into the file. Returns each finding's code and the file text it points at.
fn findings(
    l: &samlfx_app::Loaded,
    app: &samlfx_app::App,
    errors_only: bool,
) -> Vec<(String, String)> {
    use samlfx_aws::profile::Profile;
    use samlfx_formula::program::CompileOptions;
    use samlfx_formula::shape::ShapeOptions;
    let schema = app.schema();
    let opts = CompileOptions {
        expected: Some(samlfx_formula::Type::Text),
        schema: Some(schema.clone()),
        ..CompileOptions::default()
    };
    let mut out = Vec::new();
    let text = &l.source.text;
    for a in &app.attributes {
        let compiled = a.compile(&opts);
        let mut ds = compiled.diagnostics;
        if let (Some(program), Some(attr)) = (
            &compiled.program,
            samlfx_aws::attribute::resolve(&a.key.value),
        ) {
            let shape = ShapeOptions {
                schema: Some(&schema),
                ..ShapeOptions::default()
            };
            ds.extend(
                samlfx_aws::formula::check_formula(&attr, program, Profile::AmazonConnect, &shape)
                    .into_iter()
                    .map(|d| a.formula.locate(d)),
            );
        }
        for d in ds.into_iter().filter(|d| d.is_error() || !errors_only) {
            let s = d.span.unwrap();
            out.push((d.code.to_string(), text[s.start..s.end].to_owned()));
        }
    }
    out
}

#[test]
fn the_broken_formulas_are_found_at_their_file_bytes() {
    for l in load(&examples("voice-broken")) {
        let Some(Content::App(app)) = &l.content else {
            continue;
        };
        let found = findings(&l, app, false);
        let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
        match l.kind {
            Some(FileKind::SamlfxToml) => {
                // `&amp;` pasted from XML, and both ARN typos inside their literals.
                assert!(
                    found
                        .iter()
                        .any(|(c, t)| c.starts_with('F') && "&amp;".contains(t.as_str())),
                    "{found:?}"
                );
                assert!(codes.contains(&"A001"), "{found:?}");
                assert!(codes.contains(&"A008"), "{found:?}");
                let (_, at) = found.iter().find(|(c, _)| c == "A008").unwrap();
                assert_eq!(at, "12345678901");
            }
            Some(FileKind::ConnectedApp) => {
                // The doubly escaped quote is `&amp;apos;` in the file; the space is in CDATA.
                assert!(
                    found.iter().any(|(_, t)| t.starts_with("&amp;")),
                    "{found:?}"
                );
                let (_, at) = found.iter().find(|(c, _)| c == "A121").expect("A121");
                assert!(at.contains(' '), "{at:?}");
            }
            other => panic!("{other:?}"),
        }
    }
    for l in load(&examples("voice")) {
        if let Some(Content::App(app)) = &l.content {
            // Only warnings (an Alias may hold characters Connect refuses), no error.
            assert_eq!(findings(&l, app, true), [], "{}", l.source.display_name());
        }
    }
}
