//! `samlfx check`'s rules on the bundled examples: the correct Voice setup has no error, and
//! every mistake of the broken one is found at the bytes it was made in.

use std::path::{Path, PathBuf};

use samlfx_app::{CheckOptions, Loaded, check_files, load};
use samlfx_diag::{Diagnostic, Severity};

fn examples(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(dir)
}

/// Lints a directory as `samlfx check` does: each app under its own scope, each contact center
/// cross-checked with the apps linked to it. Returns (file, diagnostics) per file.
fn check(dir: &str) -> Vec<(Loaded, Vec<Diagnostic>)> {
    let loaded = load(&examples(dir));
    let found = check_files(&loaded, &CheckOptions::default(), &Default::default());
    loaded.into_iter().zip(found).collect()
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

/// Salesforce's Metadata API reference, ExtlClntAppSamlConfigurablePolicies
/// (developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappsamlconfigurablepolicies.htm):
/// the parent app's `distributionState` must be `Local`, and its ExtlClntAppConfigurablePolicies
/// must set `isSamlPluginEnabled` to true.
#[test]
fn an_external_client_app_that_leaves_saml_off_is_found_in_the_file_to_change() {
    use samlfx_app::read_bytes;
    use samlfx_diag::Code;
    const NS: &str = "http://soap.sforce.com/2006/04/metadata";
    let saml = read_bytes(
        "AcmeSaml.ecaSamlPlcy-meta.xml",
        format!("<ExtlClntAppSamlConfigurablePolicies xmlns=\"{NS}\"><acsUrl>https://sp.example.com/acs</acsUrl><entityUrl>sp</entityUrl><externalClientApplication>Acme</externalClientApplication></ExtlClntAppSamlConfigurablePolicies>").as_bytes(),
    );
    let eca = |state: &str| {
        read_bytes(
            "Acme.eca-meta.xml",
            format!("<ExternalClientApplication xmlns=\"{NS}\"><distributionState>{state}</distributionState></ExternalClientApplication>").as_bytes(),
        )
    };
    let plcy = |body: &str| {
        read_bytes(
            "Acme.ecaPlcy-meta.xml",
            format!("<ExtlClntAppConfigurablePolicies xmlns=\"{NS}\"><externalClientApplication>Acme</externalClientApplication>{body}</ExtlClntAppConfigurablePolicies>").as_bytes(),
        )
    };
    let run = |files: Vec<Loaded>| -> Vec<(usize, Code, String)> {
        let found = check_files(&files, &CheckOptions::default(), &Default::default());
        found
            .iter()
            .enumerate()
            .flat_map(|(i, ds)| {
                let text = &files[i].source.text;
                ds.iter().map(move |d| {
                    let s = d.span.unwrap();
                    (i, d.code, text[s.start..s.end].to_owned())
                })
            })
            .collect()
    };
    let ok = run(vec![
        saml.clone(),
        eca("Local"),
        plcy("<isEnabled>true</isEnabled><isSamlPluginEnabled>true</isSamlPluginEnabled>"),
    ]);
    assert_eq!(ok, []);
    let off = run(vec![
        saml.clone(),
        eca("Packaged"),
        plcy("<isEnabled>false</isEnabled><isSamlPluginEnabled>false</isSamlPluginEnabled>"),
    ]);
    let c = Code::ExternalClientAppSamlOff;
    assert_eq!(
        off,
        [
            (1, c, "Packaged".to_owned()),
            (2, c, "false".to_owned()),
            (2, c, "false".to_owned())
        ]
    );
    // No `isSamlPluginEnabled` at all: the plugin is not enabled, reported at the root.
    let missing = run(vec![saml.clone(), plcy("<isEnabled>true</isEnabled>")]);
    assert_eq!(
        missing,
        [(1, c, "ExtlClntAppConfigurablePolicies".to_owned())]
    );
    // Parts of another app, or without their SAML policy, give nothing.
    assert_eq!(run(vec![eca("Packaged")]), []);
    assert_eq!(run(vec![plcy("")]), []);
}
