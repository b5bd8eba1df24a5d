//! Where samlfx's tests find the data that is kept outside the repository: Salesforce's
//! formula-engine conformance corpus, a real Salesforce-issued SAML Response, real metadata of
//! public Salesforce projects and a peer SAML toolkit's test responses. They are not ours to
//! redistribute, so they live in a `shared/` directory beside the clone (CI lays it there).
//!
//! A test asks for a path with [`shared`]. When the directory is absent (a user's clone), the
//! test prints one line saying what it skipped and why, and passes; when the environment
//! variable `SAMLFX_REQUIRE_SHARED` is set (CI sets it), an absent directory fails the test
//! instead, so CI always runs everything. `SAMLFX_SHARED` names another location.
#![forbid(unsafe_code)]

use std::io::Write as _;
use std::path::PathBuf;

/// The `shared/` directory: `$SAMLFX_SHARED`, else `../shared` beside the repository.
pub fn root() -> PathBuf {
    match std::env::var_os("SAMLFX_SHARED") {
        Some(p) => PathBuf::from(p),
        None => {
            let beside = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
            // Without the `..`s when it exists, so that messages show a plain path.
            std::fs::canonicalize(&beside).unwrap_or(beside)
        }
    }
}

/// The path of `rel` under [`root`], if it exists. Otherwise `None` after one line on standard
/// error naming `what` was skipped (written past the test harness's capture, so it shows), or a
/// panic when `SAMLFX_REQUIRE_SHARED` is set.
pub fn shared(rel: &str, what: &str) -> Option<PathBuf> {
    let path = root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let why = format!(
        "{} is absent (the test data kept beside the repository; see the README, Run the tests)",
        path.display()
    );
    if std::env::var_os("SAMLFX_REQUIRE_SHARED").is_some() {
        panic!("{what}: {why}, and SAMLFX_REQUIRE_SHARED is set");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
    None
}

/// [`shared`] read as text; `None` (skipped) when absent. Panics when the file exists but cannot
/// be read: that is a broken checkout, not an absent one.
pub fn shared_text(rel: &str, what: &str) -> Option<String> {
    let path = shared(rel, what)?;
    Some(
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{what}: cannot read {}: {e}", path.display())),
    )
}
