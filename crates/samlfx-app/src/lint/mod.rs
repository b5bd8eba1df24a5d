//! The rules `samlfx check` runs on app files: every attribute formula through the checker,
//! the shape analysis and AWS's attribute rules; the app's own settings (C1xx); a contact
//! center's settings and its cross-checks against the apps of the same run (C2xx).
//!
//! Every diagnostic points into the file its app or contact center was read from, so the
//! caller renders it against that file's [`Source`](samlfx_diag::render::Source). Rules that
//! need a setting the reader found missing are skipped: the reader already reported it (C008).

mod app;
mod attributes;
mod client_app;
mod contact_center;
pub mod scope;
mod url;

#[cfg(test)]
mod tests;

use samlfx_aws::profile::Profile;
use samlfx_diag::Diagnostic;
use samlfx_formula::id::IdLength;

use crate::model::{App, ClientApp, ContactCenter};

pub use scope::{Link, app_profile, link};

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

/// A Service Cloud Voice contact center's own findings, and its cross-checks against those of
/// `apps` that are [`link`]ed to it (the others are ignored, so the findings do not depend on
/// unrelated files). They run under every profile: a contact-center file is Service Cloud
/// Voice's whatever the profile. An Open CTI call center (no `reqHvcc`) gets none.
pub fn lint_contact_center(
    cc: &ContactCenter,
    apps: &[&App],
    opts: &LintOptions,
) -> Vec<Diagnostic> {
    if !cc.voice {
        return Vec::new();
    }
    let linked: Vec<&App> = apps
        .iter()
        .copied()
        .filter(|a| link(a, cc).is_some())
        .collect();
    let mut out = contact_center::check(cc, &linked, opts);
    sort(&mut out);
    out
}

/// An External Client App's header or plugin policies, against the SAML policies of `apps`
/// that name the same app (C019): whether they leave SAML switched off.
pub fn lint_client_app(part: &ClientApp, apps: &[&App]) -> Vec<Diagnostic> {
    let mut out = client_app::check(part, apps);
    sort(&mut out);
    out
}

/// File order, so a reader meets findings as they meet the lines (the sort is stable).
fn sort(ds: &mut [Diagnostic]) {
    ds.sort_by_key(|d| d.span.map_or((0, 0), |s| (s.start, s.end)));
}

/// What `samlfx check` asks of a run: a profile for every app (`None`: each app's own scope,
/// [`app_profile`]) and the length of Ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckOptions {
    pub profile: Option<Profile>,
    pub id_length: IdLength,
}

/// Every finding of `samlfx check` on files read together, one list per file in `files`' order,
/// each pointing into its file: the reader's diagnostics, then the rules of each file's kind,
/// each app under its own profile, contact centers and External Client App parts against the
/// apps linked to them. An app's `[severity]` table is applied to its file's findings, except
/// for the codes in `fixed` (the command line's, which the caller applies last).
pub fn check_files(
    files: &[crate::Loaded],
    opts: &CheckOptions,
    fixed: &samlfx_diag::Severities,
) -> Vec<Vec<Diagnostic>> {
    use crate::model::Content;
    let apps: Vec<&App> = files.iter().filter_map(crate::Loaded::app).collect();
    let centers: Vec<&ContactCenter> = files
        .iter()
        .filter_map(crate::Loaded::contact_center)
        .collect();
    files
        .iter()
        .map(|file| {
            let mut diagnostics = file.diagnostics.clone();
            match &file.content {
                Some(Content::App(app)) => {
                    // The caller's profile wins over the app's own, which wins over its scope.
                    let lint = LintOptions {
                        profile: opts.profile.unwrap_or_else(|| app_profile(app, &centers)),
                        id_length: opts.id_length,
                    };
                    diagnostics.extend(lint_app(app, &lint));
                    diagnostics = diagnostics
                        .into_iter()
                        .filter_map(|d| match fixed.get(d.code) {
                            Some(_) => Some(d),
                            None => app.severities.apply(d),
                        })
                        .collect();
                }
                Some(Content::ContactCenter(cc)) => {
                    let lint = LintOptions {
                        profile: opts.profile.unwrap_or(Profile::AmazonConnect),
                        id_length: opts.id_length,
                    };
                    diagnostics.extend(lint_contact_center(cc, &apps, &lint));
                }
                Some(Content::ClientApp(part)) => diagnostics.extend(lint_client_app(part, &apps)),
                None => {}
            }
            diagnostics
        })
        .collect()
}
