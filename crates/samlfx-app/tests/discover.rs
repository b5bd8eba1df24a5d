//! Directory search: package directories, skipped directories, bounds, and the problems.

use std::fs;
use std::path::{Path, PathBuf};

use samlfx_app::discover::{MAX_DEPTH, discover};
use samlfx_diag::Code;

/// A fresh directory under the target's temporary space.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("samlfx-app-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn touch(dir: &Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn codes(d: &samlfx_app::Discovery) -> Vec<Code> {
    d.problems.iter().map(|(_, d)| d.code).collect()
}

#[test]
fn walks_and_skips() {
    let dir = scratch("walk");
    touch(&dir, "a/X.connectedApp-meta.xml", "<ConnectedApp/>");
    touch(&dir, "a/b/Y.ecaSamlPlcy-meta.xml", "");
    touch(&dir, "a/cc.xml", "<callCenter></callCenter>");
    touch(&dir, "a/other.xml", "<Other/>");
    touch(&dir, "node_modules/Z.connectedApp-meta.xml", "");
    touch(&dir, ".git/Z.connectedApp-meta.xml", "");
    touch(&dir, "target/Z.connectedApp-meta.xml", "");
    touch(&dir, "other.toml", "");
    let d = discover(&dir);
    let rel: Vec<_> = d
        .files
        .iter()
        .map(|f| f.strip_prefix(&dir).unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        rel,
        [
            "a/X.connectedApp-meta.xml",
            "a/b/Y.ecaSamlPlcy-meta.xml",
            "a/cc.xml"
        ]
    );
    assert!(d.problems.is_empty());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn follows_sfdx_package_directories() {
    let dir = scratch("sfdx");
    touch(
        &dir,
        "sfdx-project.json",
        r#"{"packageDirectories": [{"path": "force-app"}]}"#,
    );
    touch(
        &dir,
        "force-app/main/default/connectedApps/A.connectedApp-meta.xml",
        "",
    );
    touch(&dir, "elsewhere/B.connectedApp-meta.xml", "");
    touch(&dir, "samlfx.toml", "");
    let d = discover(&dir);
    assert_eq!(d.files.len(), 2, "{:?}", d.files);
    assert!(
        d.files
            .iter()
            .all(|f| !f.to_str().unwrap().contains("elsewhere"))
    );

    // A path leaving the project is not followed: everything is searched, with a warning.
    touch(
        &dir,
        "sfdx-project.json",
        r#"{"packageDirectories": [{"path": "../x"}]}"#,
    );
    let d = discover(&dir);
    assert_eq!(codes(&d), [Code::InvalidSfdxProject]);
    assert_eq!(d.files.len(), 3);
    let (source, diag) = &d.problems[0];
    let s = diag.span.unwrap();
    assert_eq!(&source.text[s.start..s.end], "../x");

    touch(
        &dir,
        "sfdx-project.json",
        "{\n  \"packageDirectories\": [,]\n}",
    );
    let d = discover(&dir);
    assert_eq!(codes(&d), [Code::InvalidSfdxProject]);
    let (source, diag) = &d.problems[0];
    let s = diag.span.unwrap();
    assert_eq!(&source.text[s.start..s.end], ",");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn problems() {
    let dir = scratch("problems");
    let d = discover(&dir.join("missing"));
    assert_eq!(codes(&d), [Code::UnreadableAppFile]);

    touch(&dir, "README.md", "");
    let d = discover(&dir);
    assert_eq!(codes(&d), [Code::NoAppFiles]);

    let deep: String = (0..=MAX_DEPTH + 1).map(|i| format!("d{i}/")).collect();
    touch(&dir, &format!("{deep}A.connectedApp-meta.xml"), "");
    let d = discover(&dir);
    assert_eq!(codes(&d), [Code::DiscoveryLimit, Code::NoAppFiles]);

    // A file is taken as named, whatever its name.
    touch(&dir, "notes.txt", "");
    assert_eq!(discover(&dir.join("notes.txt")).files.len(), 1);
    let _ = fs::remove_dir_all(&dir);
}
