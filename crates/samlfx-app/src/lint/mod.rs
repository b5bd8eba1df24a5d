//! The rules `samlfx check` runs on app files: every attribute formula through the checker,
//! the shape analysis and AWS's attribute rules; the app's own settings (C1xx); a contact
//! center's settings and its cross-checks against the apps of the same run (C2xx).
//!
//! Every diagnostic points into the file its app or contact center was read from, so the
//! caller renders it against that file's [`Source`](samlfx_diag::render::Source). Rules that
//! need a setting the reader found missing are skipped: the reader already reported it (C008).

mod app;
mod attributes;
mod contact_center;
mod profile;
mod url;

#[cfg(test)]
mod tests;

use samlfx_aws::profile::Profile;
use samlfx_diag::Diagnostic;
use samlfx_formula::id::IdLength;

use crate::model::{App, ContactCenter};

pub use profile::choose_profile;

/// What a run checks against: the rule profile and the length `$User.Id` and other Ids have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LintOptions {
    pub profile: Profile,
    pub id_length: IdLength,
}

/// Every finding on one app, spans in its file (byte offsets into the file text), in file order.
pub fn lint_app(app: &App, opts: &LintOptions) -> Vec<Diagnostic> {
    let mut out = attributes::check(app, opts);
    out.extend(app::check(app, opts));
    sort(&mut out);
    out
}

/// A contact center's own findings, and its cross-checks against the apps read in the same run.
/// They run under every profile: a contact-center file is Service Cloud Voice's whatever the
/// profile, and its relay state and ARNs are wrong or right regardless of the attribute rules.
pub fn lint_contact_center(
    cc: &ContactCenter,
    apps: &[&App],
    opts: &LintOptions,
) -> Vec<Diagnostic> {
    let mut out = contact_center::check(cc, apps, opts);
    sort(&mut out);
    out
}

/// File order, so a reader meets findings as they meet the lines (the sort is stable).
fn sort(ds: &mut [Diagnostic]) {
    ds.sort_by_key(|d| d.span.map_or((0, 0), |s| (s.start, s.end)));
}
