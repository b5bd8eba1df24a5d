//! Any bytes through `inspect`'s decoders (XML, base64, form body, HAR) and, when they yield
//! XML, through the response reader and every check but signature verification (which needs
//! libxmlsec1, outside this pure crate): nothing may panic, memory stays bounded by the input
//! limit, and every span lies inside the text it names on char boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samlfx_diag::Span;
use samlfx_saml::{decode, inspect};

fuzz_target!(|data: &[u8]| {
    let decoded = match decode::decode(data) {
        Ok(d) => d,
        Err(_) => return,
    };
    let input = String::from_utf8_lossy(data);
    for d in &decoded.diagnostics {
        if let Some(s) = d.span {
            assert!(s.end <= input.len(), "span {s:?} outside the input");
        }
    }
    let xml = &decoded.xml;
    let ok = |s: Span| {
        assert!(s.start <= s.end && s.end <= xml.len(), "span {s:?} outside the XML");
        assert!(xml.is_char_boundary(s.start) && xml.is_char_boundary(s.end));
    };
    let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let inspection = inspect::inspect(xml, &inspect::Options::at(now));
    for d in &inspection.diagnostics {
        d.span.into_iter().for_each(ok);
        d.labels.iter().for_each(|l| ok(l.span));
    }
});
