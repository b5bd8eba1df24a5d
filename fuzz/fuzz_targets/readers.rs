//! Any bytes, read as each kind of app file (the first byte picks the file name, so one corpus
//! covers every reader): nothing may panic, and every span must lie inside the file's text on
//! char boundaries, in what the readers report and in what the rules find.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlfx_app::lint::{LintOptions, lint_app, lint_client_app, lint_contact_center};
use samlfx_app::{Content, read_bytes};
use samlfx_aws::profile::Profile;
use samlfx_formula::id::IdLength;
use samlfx_diag::Span;

const NAMES: [&str; 7] = [
    "samlfx.toml",
    "A.connectedApp-meta.xml",
    "A.ecaSamlPlcy-meta.xml",
    "A.eca-meta.xml",
    "A.ecaPlcy-meta.xml",
    "A.callCenter-meta.xml",
    "contact-center.xml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let loaded = read_bytes(NAMES[pick as usize % NAMES.len()], bytes);
    let text = &loaded.source.text;
    let ok = |s: Span| {
        assert!(s.start <= s.end && s.end <= text.len(), "span {s:?} outside the file");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
    };
    for d in &loaded.diagnostics {
        d.span.into_iter().for_each(ok);
        d.labels.iter().for_each(|l| ok(l.span));
    }
    let texts: Vec<&samlfx_app::Text> = match &loaded.content {
        Some(Content::App(a)) => [&a.entity_id, &a.acs_url, &a.issuer]
            .into_iter()
            .flatten()
            .chain(a.attributes.iter().flat_map(|at| [&at.key, &at.formula]))
            .collect(),
        Some(Content::ContactCenter(cc)) => cc.items.iter().map(|i| &i.value).collect(),
        Some(Content::ClientApp(part)) => [&part.client_app, &part.distribution_state]
            .into_iter()
            .flatten()
            .collect(),
        None => Vec::new(),
    };
    for t in texts {
        for (i, c) in t.value.char_indices() {
            ok(t.span_of(i..i + c.len_utf8()));
        }
    }
    // The rules `samlfx check` runs, under every profile, keep their spans in the file too.
    for profile in Profile::ALL {
        let opts = LintOptions {
            profile,
            id_length: IdLength::Fifteen,
        };
        let found = match &loaded.content {
            Some(Content::App(a)) => lint_app(a, &opts),
            Some(Content::ContactCenter(cc)) => lint_contact_center(cc, &[], &opts),
            Some(Content::ClientApp(part)) => lint_client_app(part, &[]),
            None => Vec::new(),
        };
        for d in &found {
            d.span.into_iter().for_each(ok);
            d.labels.iter().for_each(|l| ok(l.span));
        }
    }
});
