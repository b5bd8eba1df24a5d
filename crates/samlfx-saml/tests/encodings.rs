//! Every encoding a capture comes in is read, with spans exact in the text the renderers show:
//! a UTF-8 byte-order mark (with or without an XML declaration and a line break after it),
//! UTF-16 of either byte order with its mark, CRLF line ends and leading whitespace, raw or
//! base64. Two of these used to fail: a mark, a declaration and a line break (S010), and a mark
//! followed by a line break and the root (a panic).

use samlfx_saml::{decode, inspect};

const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://signin.aws.amazon.com/saml" ID="_r1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0">
  <saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://acme.my.salesforce.com</saml:Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" IssueInstant="2026-01-01T00:00:00.000Z" Version="2.0">
    <saml:Issuer>https://acme.my.salesforce.com</saml:Issuer>
    <saml:Subject><saml:NameID>opaque-id</saml:NameID></saml:Subject>
  </saml:Assertion>
</samlp:Response>"#;

const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

fn utf16(text: &str, little: bool) -> Vec<u8> {
    format!("\u{feff}{text}")
        .encode_utf16()
        .flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        })
        .collect()
}

fn b64(bytes: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .encode(bytes)
        .into_bytes()
}

#[test]
fn every_encoding_is_read_with_exact_spans() {
    let crlf = RESPONSE.replace('\n', "\r\n");
    let inputs: Vec<(&str, Vec<u8>)> = vec![
        ("plain", RESPONSE.into()),
        ("BOM", format!("\u{feff}{RESPONSE}").into()),
        ("BOM, line break", format!("\u{feff}\n{RESPONSE}").into()),
        (
            "BOM, declaration, line break",
            format!("\u{feff}{DECL}\n{RESPONSE}").into(),
        ),
        (
            "BOM, declaration, CRLF",
            format!("\u{feff}{DECL}\r\n{crlf}").into(),
        ),
        (
            "leading whitespace",
            format!("\n\t  {DECL}\n{RESPONSE}").into(),
        ),
        ("UTF-16LE", utf16(&format!("{DECL}\n{RESPONSE}"), true)),
        ("UTF-16BE", utf16(&format!("{DECL}\n{RESPONSE}"), false)),
        (
            "base64 of BOM, declaration",
            b64(format!("\u{feff}{DECL}\n{RESPONSE}").as_bytes()),
        ),
        ("base64 of UTF-16LE", b64(&utf16(RESPONSE, true))),
    ];
    let now = "2026-01-01T00:00:10Z".parse().unwrap();
    for (what, bytes) in inputs {
        let decoded = decode::decode(&bytes).unwrap_or_else(|d| panic!("{what}: {d:?}"));
        let inspection = inspect::inspect(&decoded.xml, &inspect::Options::at(now));
        let response = inspection
            .response
            .unwrap_or_else(|| panic!("{what}: {:#?}", inspection.diagnostics));
        assert!(
            inspection
                .diagnostics
                .iter()
                .all(|d| !d.code.as_str().starts_with("S01")),
            "{what}: {:#?}",
            inspection.diagnostics
        );
        let name_id = response.assertions[0].name_id.as_ref().unwrap();
        assert_eq!(name_id.text.value, "opaque-id", "{what}");
        let s = name_id.text.span();
        assert_eq!(&decoded.xml[s.start..s.end], "opaque-id", "{what}");
        for d in &inspection.diagnostics {
            for span in d.span.iter().chain(d.labels.iter().map(|l| &l.span)) {
                assert!(
                    decoded.xml.is_char_boundary(span.start)
                        && decoded.xml.is_char_boundary(span.end),
                    "{what}: {d:?}"
                );
            }
        }
    }
}

#[test]
fn broken_utf16_is_an_input_error_not_a_panic() {
    let d = decode::decode(&[0xFF, 0xFE, b'<', 0, 0x00, 0xD8]).unwrap_err();
    assert_eq!(d.code.as_str(), "S001");
    assert!(d.help.is_some());
}
