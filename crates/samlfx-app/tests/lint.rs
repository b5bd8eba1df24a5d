//! `samlfx check`'s rules on the bundled examples: the correct Voice setup has no error, and
//! every mistake of the broken one is found at the bytes it was made in.

use std::path::{Path, PathBuf};

use samlfx_app::{
    App, ContactCenter, Content, LintOptions, Loaded, choose_profile, lint_app,
    lint_contact_center, load,
};
use samlfx_diag::{Diagnostic, Severity};

fn examples(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(dir)
}

/// Lints a directory as `samlfx check` does: the profile chosen from all its files, each
/// contact center cross-checked with every app. Returns (file name, diagnostics) per file.
fn check(dir: &str) -> Vec<(Loaded, Vec<Diagnostic>)> {
    let loaded = load(&examples(dir));
    let apps: Vec<&App> = loaded
        .iter()
        .filter_map(|l| match &l.content {
            Some(Content::App(a)) => Some(&**a),
            _ => None,
        })
        .collect();
    let ccs: Vec<&ContactCenter> = loaded
        .iter()
        .filter_map(|l| match &l.content {
            Some(Content::ContactCenter(c)) => Some(&**c),
            _ => None,
        })
        .collect();
    let opts = LintOptions {
        profile: choose_profile(&apps, ccs.len()),
        ..LintOptions::default()
    };
    assert_eq!(opts.profile, samlfx_aws::profile::Profile::AmazonConnect);
    let found: Vec<Vec<Diagnostic>> = loaded
        .iter()
        .map(|l| match &l.content {
            Some(Content::App(a)) => lint_app(a, &opts),
            Some(Content::ContactCenter(c)) => lint_contact_center(c, &apps, &opts),
            None => Vec::new(),
        })
        .collect();
    loaded.clone().into_iter().zip(found).collect()
}

/// The file's last path component.
fn file_name(l: &Loaded) -> String {
    l.source
        .display_name()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn the_voice_example_has_no_error() {
    for (l, ds) in check("voice") {
        for d in &ds {
            assert!(
                d.severity < Severity::Error && ["A121", "A200"].contains(&d.code.as_str()),
                "{}: {d:#?}",
                file_name(&l)
            );
        }
    }
}

#[test]
fn every_mistake_of_the_broken_example_is_found_at_its_bytes() {
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (l, ds) in check("voice-broken") {
        let text = &l.source.text;
        for d in &ds {
            assert!(d.help.is_some(), "{d:#?}");
            let s = d.span.expect("a span");
            assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            all.push((
                file_name(&l),
                d.code.to_string(),
                text[s.start..s.end].to_owned(),
            ));
            errors.push(d.is_error());
        }
    }
    let expect = |file: &str, code: &str, at: &str| {
        assert!(
            all.iter()
                .any(|(f, c, t)| f == file && c == code && t == at),
            "{file}: no {code} at {at:?} in\n{all:#?}"
        );
    };
    let toml = "samlfx.toml";
    let xml = "AcmeVoice.connectedApp-meta.xml";
    let cc = "AcmeVoice.callCenter-meta.xml";
    // samlfx.toml
    expect(toml, "C105", "/saml2");
    expect(toml, "C101", "EmailAddress");
    expect(toml, "C103", "SHA1");
    expect(toml, "A121", " ");
    assert!(
        all.iter().any(|(f, c, t)| f == toml
            && c.starts_with('F')
            && !t.is_empty()
            && "&amp;".contains(t.as_str())),
        "{all:#?}"
    );
    expect(toml, "A008", "12345678901");
    expect(
        toml,
        "A001",
        "arn:aws:iam:123456789012:role/AcmeVoice-SAMLRole",
    );
    // The ConnectedApp: the doubly escaped quotes and `&amp;amp;` stay as they are in the file.
    expect(xml, "C105", "acme.awsapps.com");
    expect(xml, "C101", "Transient");
    expect(xml, "C103", "SHA1");
    assert!(
        all.iter()
            .any(|(f, c, t)| f == xml && c.starts_with('F') && t.starts_with("&amp;")),
        "{all:#?}"
    );
    expect(xml, "A121", " ");
    // The contact center.
    expect(cc, "C202", "us-east-1");
    expect(cc, "A009", "roles");
    expect(cc, "C205", " ");
    // Nothing else is an error: each error is one of the intended ones.
    let intended = [
        "C105", "A121", "F008", "A008", "A001", "A009", "F001", "F003", "F002", "F013",
    ];
    for ((f, c, t), error) in all.iter().zip(errors) {
        assert!(
            !error || intended.contains(&c.as_str()),
            "{f}: unexpected {c} at {t:?}"
        );
    }
}
