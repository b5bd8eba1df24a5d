//! The readers and the rules never panic, and every span they report lies inside the file's text
//! on char boundaries: on arbitrary bytes, and on near-valid XML and TOML made by mutating real
//! files.

use proptest::prelude::*;
use samlfx_app::{Content, Loaded, read_bytes};

const NAMES: [&str; 5] = [
    "samlfx.toml",
    "A.connectedApp-meta.xml",
    "A.ecaSamlPlcy-meta.xml",
    "A.callCenter-meta.xml",
    "cc.xml",
];

const SEEDS: [&str; 6] = [
    include_str!("../../../examples/voice/samlfx.toml"),
    include_str!(
        "../../../examples/voice/force-app/main/default/connectedApps/AcmeVoice.connectedApp-meta.xml"
    ),
    include_str!(
        "../../../examples/voice/force-app/main/default/callCenters/AcmeVoice.callCenter-meta.xml"
    ),
    include_str!(
        "../../../examples/voice-broken/force-app/main/default/connectedApps/AcmeVoice.connectedApp-meta.xml"
    ),
    include_str!(
        "../../../examples/voice-broken/force-app/main/default/callCenters/AcmeVoice.callCenter-meta.xml"
    ),
    include_str!("../../../examples/voice-broken/samlfx.toml"),
];

/// Every span of `l` (diagnostics, labels, and every value of its content) is inside its text.
pub fn check_spans(l: &Loaded) {
    let text = &l.source.text;
    let ok = |s: samlfx_diag::Span| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{s:?} outside {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{s:?} not on char boundaries"
        );
    };
    // What `check` reports: the readers' diagnostics and the rules' under every profile.
    let mut all = l.diagnostics.clone();
    for profile in samlfx_aws::profile::Profile::ALL {
        let opts = samlfx_app::LintOptions {
            profile,
            ..Default::default()
        };
        match &l.content {
            Some(Content::App(a)) => all.extend(samlfx_app::lint_app(a, &opts)),
            Some(Content::ContactCenter(cc)) => {
                {
                    // Cross-checked with the Voice app, whose Role formula is a constant.
                    let voice = read_bytes("samlfx.toml", SEEDS[0].as_bytes());
                    let Some(Content::App(app)) = &voice.content else {
                        unreachable!()
                    };
                    all.extend(samlfx_app::lint_contact_center(cc, &[app], &opts))
                }
            }
            Some(Content::ClientApp(part)) => {
                all.extend(samlfx_app::lint_client_app(part, &[]));
            }
            None => {}
        }
    }
    for d in &all {
        d.span.into_iter().for_each(ok);
        d.labels.iter().for_each(|lb| ok(lb.span));
    }
    let text_ok = |t: &samlfx_app::Text| {
        ok(t.span());
        for (i, c) in t.value.char_indices() {
            ok(t.span_of(i..i + c.len_utf8()));
        }
    };
    match &l.content {
        Some(Content::App(a)) => {
            ok(a.span);
            for t in [&a.entity_id, &a.acs_url, &a.issuer].into_iter().flatten() {
                text_ok(t);
            }
            for at in &a.attributes {
                ok(at.span);
                text_ok(&at.key);
                text_ok(&at.formula);
            }
            for f in &a.fields {
                ok(f.name_span);
                ok(f.type_span);
            }
        }
        Some(Content::ContactCenter(cc)) => {
            for i in &cc.items {
                ok(i.name.span);
                text_ok(&i.value);
            }
        }
        Some(Content::ClientApp(part)) => {
            ok(part.span);
            for t in [&part.client_app, &part.distribution_state]
                .into_iter()
                .flatten()
            {
                text_ok(t);
            }
        }
        None => {}
    }
}

fn mutate(seed: &str, at: usize, cut: usize, insert: &str) -> Vec<u8> {
    let mut b = seed.as_bytes().to_vec();
    let at = at % (b.len() + 1);
    let end = (at + cut).min(b.len());
    b.splice(at..end, insert.bytes());
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300), name in 0usize..5) {
        check_spans(&read_bytes(NAMES[name], &bytes));
    }

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}", name in 0usize..5) {
        check_spans(&read_bytes(NAMES[name], text.as_bytes()));
    }

    #[test]
    fn mutated_real_files(
        seed in 0usize..6,
        at in any::<usize>(),
        cut in 0usize..20,
        insert in prop_oneof![
            Just(String::new()), Just("&".to_owned()), Just("&#0;".to_owned()), Just("<".to_owned()),
            Just("<!DOCTYPE x>".to_owned()), Just("]]>".to_owned()), Just("<![CDATA[".to_owned()),
            Just("\"".to_owned()), Just("'''".to_owned()), Just("\\u00e9".to_owned()), Just("é".to_owned()),
            Just("\r\n".to_owned()), Just("[app]".to_owned()), Just("</x>".to_owned()), "\\PC{0,8}",
        ],
        name in 0usize..5,
    ) {
        let bytes = mutate(SEEDS[seed], at, cut, &insert);
        check_spans(&read_bytes(NAMES[name], &bytes));
    }
}

#[test]
fn deep_nesting_is_bounded() {
    for text in [
        format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("x = {}", "{a = ".repeat(100_000)),
        format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000)),
        format!("{}x", "<a>".repeat(63)),
    ] {
        for name in NAMES {
            check_spans(&read_bytes(name, text.as_bytes()));
        }
    }
}

#[test]
fn a_large_file_of_references_reads_quickly() {
    let body = "&amp;&#39;<![CDATA[x]]>".repeat(100_000);
    let text = format!(
        "<ConnectedApp><attributes><formula>{body}</formula><key>k</key></attributes></ConnectedApp>"
    );
    let start = std::time::Instant::now();
    let l = read_bytes("A.connectedApp-meta.xml", text.as_bytes());
    check_spans(&l);
    assert!(start.elapsed().as_secs() < 5);
}
