//! A captured SAML Response as the user has it → its XML text, and the steps taken to get there.
//!
//! What is accepted, recognised in this order: raw XML (`<…`), a HAR file (`{…`, the browser's
//! network export: the POST to an AWS sign-in endpoint is found in it), a URL-encoded form body
//! (`SAMLResponse=…&RelayState=…`), and base64 with or without line breaks. Every size is
//! bounded before anything is allocated for it, and nothing here can panic on any input (the
//! `inspect_decode` fuzz target holds it to that).

use std::borrow::Cow;

use base64::Engine;
use samlfx_diag::{Code, Diagnostic, Span};

/// The largest input read: a HAR of a whole sign-in easily holds a few megabytes.
pub const MAX_INPUT: usize = 32 * 1024 * 1024;

/// AWS's limit on the base64 of a SAML Response (`SAMLAssertion`, 4–100,000 characters).
pub const AWS_MAX_BASE64: usize = 100_000;

/// One decoding step, outermost first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Entry `entry` (0-based, as in `log.entries`) of a HAR file: a POST to `url`.
    Har { entry: usize, url: String },
    /// The field `SAMLResponse` of a URL-encoded form body.
    Form,
    /// Base64, `chars` characters without line breaks.
    Base64 { chars: usize },
}

impl Step {
    /// How the report names the step.
    pub fn describe(&self) -> String {
        match self {
            Step::Har { entry, url } => format!("HAR entry {entry} (POST {url})"),
            Step::Form => "form field SAMLResponse".to_owned(),
            Step::Base64 { chars } => format!("base64 ({chars} characters)"),
        }
    }

    /// A short URI fragment for the step, for naming the decoded document.
    fn fragment(&self) -> String {
        match self {
            Step::Har { entry, .. } => format!("entries[{entry}]"),
            Step::Form => "SAMLResponse".to_owned(),
            Step::Base64 { .. } => "base64".to_owned(),
        }
    }
}

/// The XML of a captured response, and what it went through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub xml: String,
    /// Outermost first; empty for raw XML.
    pub steps: Vec<Step>,
    /// The `RelayState` posted beside the response (form body or HAR).
    pub relay_state: Option<String>,
    /// The URL the response was posted to (HAR).
    pub posted_to: Option<String>,
    /// Findings about the encoding that do not stop decoding (AWS's size limit).
    pub diagnostics: Vec<Diagnostic>,
}

impl Decoded {
    /// The name of the decoded document for reports: the input's name, and the steps as a URI
    /// fragment (`capture.har#entries[3].SAMLResponse.base64`); the input's name alone for raw XML.
    pub fn document_name(&self, input: &str) -> String {
        if self.steps.is_empty() {
            return input.to_owned();
        }
        let steps: Vec<String> = self.steps.iter().map(Step::fragment).collect();
        format!("{input}#{}", steps.join("."))
    }

    /// The steps in words (`HAR entry 3 (POST …) › form field SAMLResponse › base64 (…)`).
    pub fn describe_steps(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(Step::describe).collect();
        steps.join(" › ")
    }
}

/// Decodes `input`. The error is a diagnostic whose span (if any) points into the input read as
/// text; findings that do not stop decoding are in [`Decoded::diagnostics`], with the same spans.
pub fn decode(input: &[u8]) -> Result<Decoded, Diagnostic> {
    if input.len() > MAX_INPUT {
        return Err(Diagnostic::new(
            Code::ResponseInputLimit,
            format!(
                "the input is {} bytes, more than the {} MiB samlfx reads",
                input.len(),
                MAX_INPUT / (1024 * 1024)
            ),
        )
        .with_help("give the SAMLResponse value alone, or a HAR of the sign-in only"));
    }
    // A capture saved as UTF-16 (with its byte-order mark) is read as its text.
    let converted;
    let input = match samlfx_app::xml::utf16_text(input) {
        Some(Ok(text)) => {
            converted = text;
            converted.as_bytes()
        }
        Some(Err(at)) => {
            return Err(Diagnostic::new(
                Code::UnreadableResponse,
                format!("the input is UTF-16 with a broken code unit at byte {at}"),
            )
            .with_help(ACCEPTED));
        }
        None => input,
    };
    let text = std::str::from_utf8(input).map_err(|e| {
        let at = e.valid_up_to();
        Diagnostic::new(
            Code::UnreadableResponse,
            format!("the input is not UTF-8 text (byte {at} is not)"),
        )
        .with_help(ACCEPTED)
    })?;
    let start = text.len()
        - text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .len();
    let body = &text[start..];
    match body.as_bytes().first() {
        None => Err(
            Diagnostic::new(Code::UnreadableResponse, "the input is empty")
                .at(Span::new(0, 0))
                .with_help(ACCEPTED),
        ),
        Some(b'<') => Ok(Decoded {
            xml: text.to_owned(),
            steps: Vec::new(),
            relay_state: None,
            posted_to: None,
            diagnostics: Vec::new(),
        }),
        Some(b'{') => har(text),
        _ if body.contains("SAMLResponse=") => form(text, start, Vec::new()),
        _ => base64_xml(body, start, Vec::new()),
    }
}

const ACCEPTED: &str = "give the SAML Response as XML, as the base64 a browser posts (line breaks allowed), as the form body `SAMLResponse=…&RelayState=…`, or as a HAR file of the sign-in";

/// The field `SAMLResponse` of the form body `text[at..]`.
fn form(text: &str, at: usize, mut steps: Vec<Step>) -> Result<Decoded, Diagnostic> {
    let body = &text[at..];
    let mut response: Option<(Cow<str>, usize)> = None;
    let mut relay_state = None;
    let mut offset = at;
    for pair in body.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value_at = offset + key.len() + 1;
        match key.trim() {
            "SAMLResponse" if response.is_none() => {
                response = Some((percent_decode(value), value_at))
            }
            "RelayState" => relay_state = Some(percent_decode(value).into_owned()),
            _ => {}
        }
        offset += pair.len() + 1;
    }
    let Some((value, value_at)) = response else {
        return Err(Diagnostic::new(
            Code::UnreadableResponse,
            "the form body has no `SAMLResponse` field",
        )
        .at(Span::new(at, text.len().min(at + 1)))
        .with_help(ACCEPTED));
    };
    steps.push(Step::Form);
    // An unencoded `+` of base64 reads as a space in a form body: put it back. A value encoded
    // twice (a HAR's `params` copied from an encoded body) still holds `%2B`: decode it again.
    let mut value = value.trim().replace(' ', "+");
    if value.contains('%') {
        value = percent_decode(&value).trim().replace(' ', "+");
    }
    // Spans of the decoded field point at its start in the input.
    let mut decoded = base64_xml(&value, value_at, steps).map_err(|d| {
        let span = d.span.map(|_| Span::new(value_at, value_at));
        Diagnostic { span, ..d }
    })?;
    decoded.relay_state = relay_state.filter(|r| !r.is_empty());
    Ok(decoded)
}

fn percent_decode(s: &str) -> Cow<'_, str> {
    let plus = s.replace('+', " ");
    match percent_encoding::percent_decode_str(&plus).decode_utf8() {
        Ok(c) => Cow::Owned(c.into_owned()),
        Err(_) => Cow::Borrowed(s),
    }
}

/// `text` (which sits at `at` in the input) as base64 of a Response.
fn base64_xml(text: &str, at: usize, mut steps: Vec<Step>) -> Result<Decoded, Diagnostic> {
    let mut compact = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '+' | '/' | '=' => compact.push(c),
            ' ' | '\t' | '\r' | '\n' => {}
            // URL-safe base64 is not what a browser posts, but decodes to the same bytes.
            '-' => compact.push('+'),
            '_' => compact.push('/'),
            _ => {
                return Err(Diagnostic::new(
                    Code::MalformedBase64,
                    format!("`{c}` is not a base64 character"),
                )
                .at_labelled(Span::new(at + i, at + i + c.len_utf8()), "here")
                .with_help(
                    "copy the whole SAMLResponse value, or give the XML or the HAR file instead",
                ));
            }
        }
    }
    let chars = compact.len();
    let mut diagnostics = Vec::new();
    if chars > AWS_MAX_BASE64 {
        diagnostics.push(
            Diagnostic::new(
                Code::ResponseTooLarge,
                format!(
                    "the response is {chars} base64 characters; AWS accepts at most {AWS_MAX_BASE64}"
                ),
            )
            .at(Span::new(at, at + text.len()))
            .with_help("send fewer or shorter attributes (a long Role list, many PrincipalTag attributes), or drop the certificate from KeyInfo"),
        );
    }
    let trimmed = compact.trim_end_matches('=');
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .map_err(|e| {
            Diagnostic::new(Code::MalformedBase64, format!("the input is not valid base64: {e}"))
                .at(Span::new(at, at + text.len().min(1)))
                .with_help(
                    "copy the whole SAMLResponse value (a truncated copy is the usual cause), or give the XML or the HAR file instead",
                )
        })?;
    steps.push(Step::Base64 { chars });
    let bytes = match samlfx_app::xml::utf16_text(&bytes) {
        Some(Ok(text)) => text.into_bytes(),
        _ => bytes,
    };
    let xml = match String::from_utf8(bytes) {
        Ok(x)
            if x.trim_start_matches('\u{feff}')
                .trim_start()
                .starts_with('<') =>
        {
            x
        }
        _ => {
            return Err(Diagnostic::new(
                Code::UnreadableResponse,
                "the base64 decodes to something that is not XML",
            )
            .at(Span::new(at, at + text.len().min(1)))
            .with_help("a POST binding's SAMLResponse is the base64 of the XML itself; a redirect binding's (deflated) is not what AWS receives"));
        }
    };
    Ok(Decoded {
        xml,
        steps,
        relay_state: None,
        posted_to: None,
        diagnostics,
    })
}

/// Whether `url` is an AWS sign-in SAML endpoint (global, regional, GovCloud, China): the rule
/// `check` applies to an app's ACS URL, [`samlfx_aws::endpoint::is_signin_url`].
pub fn is_aws_signin(url: &str) -> bool {
    samlfx_aws::endpoint::is_signin_url(url)
}

/// A HAR file: the last POST to an AWS sign-in endpoint, else the last POST carrying a
/// `SAMLResponse`.
fn har(text: &str) -> Result<Decoded, Diagnostic> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Diagnostic::new(
            Code::UnreadableResponse,
            format!("the input starts like JSON but is not: {e}"),
        )
        .with_help(ACCEPTED)
    })?;
    let Some(entries) = doc
        .pointer("/log/entries")
        .and_then(serde_json::Value::as_array)
    else {
        return Err(Diagnostic::new(
            Code::UnreadableResponse,
            "the JSON is not a HAR file (no `log.entries`)",
        )
        .with_help(ACCEPTED));
    };
    let mut best: Option<(usize, &str, String, bool)> = None;
    let mut posts = 0;
    for (i, entry) in entries.iter().enumerate() {
        let request = &entry["request"];
        if !request["method"]
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case("POST"))
        {
            continue;
        }
        posts += 1;
        let url = request["url"].as_str().unwrap_or("");
        let Some(body) = post_body(&request["postData"]) else {
            continue;
        };
        let aws = is_aws_signin(url);
        if best.as_ref().is_none_or(|b| aws || !b.3) {
            best = Some((i, url, body, aws));
        }
    }
    let Some((entry, url, body, _)) = best else {
        return Err(Diagnostic::new(
            Code::NoSamlPost,
            format!(
                "the HAR file holds {} requests, {posts} of them POSTs, and none posts a SAMLResponse",
                entries.len()
            ),
        )
        .with_help("record the HAR with the browser's network panel open from the Salesforce login to the AWS page, with \"Preserve log\" on, and export it with content"));
    };
    let steps = vec![Step::Har {
        entry,
        url: url.to_owned(),
    }];
    // Spans into the HAR would point at JSON escapes; a finding about the posted body names
    // the entry instead.
    let mut decoded = form(&body, 0, steps).map_err(|d| Diagnostic { span: None, ..d })?;
    for d in &mut decoded.diagnostics {
        d.span = None;
        d.labels.clear();
    }
    decoded.posted_to = Some(url.to_owned());
    Ok(decoded)
}

/// A HAR `postData` as a form body: its `text`, else its `params` joined back.
fn post_body(post: &serde_json::Value) -> Option<String> {
    if let Some(text) = post["text"].as_str()
        && text.contains("SAMLResponse=")
    {
        return Some(text.to_owned());
    }
    let params = post["params"].as_array()?;
    let mut body = String::new();
    for p in params {
        let (Some(name), Some(value)) = (p["name"].as_str(), p["value"].as_str()) else {
            continue;
        };
        if !body.is_empty() {
            body.push('&');
        }
        body.push_str(name);
        body.push('=');
        // A HAR's params may hold decoded values: encode what a form body cannot hold as is.
        body.push_str(
            &value
                .replace('%', "%25")
                .replace('+', "%2B")
                .replace('&', "%26"),
        );
    }
    body.contains("SAMLResponse=").then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>";

    fn b64(s: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn raw_xml_base64_and_line_breaks() {
        assert_eq!(decode(XML.as_bytes()).unwrap().xml, XML);
        let encoded = b64(XML);
        let d = decode(encoded.as_bytes()).unwrap();
        assert_eq!(d.xml, XML);
        assert_eq!(
            d.steps,
            vec![Step::Base64 {
                chars: encoded.len()
            }]
        );
        let wrapped: String = encoded
            .as_bytes()
            .chunks(20)
            .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
            .collect();
        assert_eq!(decode(wrapped.as_bytes()).unwrap().xml, XML);
    }

    #[test]
    fn form_body_with_relay_state() {
        let encoded = b64(XML).replace('+', "%2B").replace('=', "%3D");
        let body = format!("SAMLResponse={encoded}&RelayState=https%3A%2F%2Fx.example%2Fa%3Fb%3D1");
        let d = decode(body.as_bytes()).unwrap();
        assert_eq!(d.xml, XML);
        assert_eq!(d.relay_state.as_deref(), Some("https://x.example/a?b=1"));
        assert_eq!(d.document_name("body.txt"), "body.txt#SAMLResponse.base64");
    }

    #[test]
    fn har_finds_the_aws_post() {
        let har = serde_json::json!({"log": {"entries": [
            {"request": {"method": "GET", "url": "https://acme.my.salesforce.com/idp/login"}},
            {"request": {"method": "POST", "url": "https://eu-west-1.signin.aws.amazon.com/saml",
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                    "params": [{"name": "SAMLResponse", "value": b64(XML)},
                               {"name": "RelayState", "value": "x"}]}}}
        ]}});
        let d = decode(har.to_string().as_bytes()).unwrap();
        assert_eq!(d.xml, XML);
        assert_eq!(
            d.posted_to.as_deref(),
            Some("https://eu-west-1.signin.aws.amazon.com/saml")
        );
        assert_eq!(d.relay_state.as_deref(), Some("x"));
        assert!(matches!(d.steps[0], Step::Har { entry: 1, .. }));
        // Params whose values are still URL-encoded, as some browsers export them.
        let encoded = b64(XML).replace('+', "%2B").replace('=', "%3D");
        let har = serde_json::json!({"log": {"entries": [
            {"request": {"method": "POST", "url": "https://signin.aws.amazon.com/saml",
                "postData": {"params": [{"name": "SAMLResponse", "value": encoded}]}}}
        ]}});
        assert_eq!(decode(har.to_string().as_bytes()).unwrap().xml, XML);
    }

    #[test]
    fn refusals_name_the_problem() {
        let no_post =
            r#"{"log": {"entries": [{"request": {"method": "GET", "url": "https://a"}}]}}"#;
        for (input, code) in [
            ("", Code::UnreadableResponse),
            ("PHNhbWxwOlJlc3BvbnNl*", Code::MalformedBase64),
            ("PHNhbWxwOlJlc3BvbnNlP", Code::MalformedBase64),
            ("aGVsbG8gd29ybGQ=", Code::UnreadableResponse),
            (no_post, Code::NoSamlPost),
            ("{\"a\": 1}", Code::UnreadableResponse),
            ("{", Code::UnreadableResponse),
            ("RelayState=x", Code::MalformedBase64),
        ] {
            let d = decode(input.as_bytes()).expect_err(input);
            assert_eq!(d.code, code, "{input}: {d:?}");
            assert!(d.help.is_some(), "{input}");
        }
        assert_eq!(
            decode(&[0xff, 0xfe, 0]).unwrap_err().code,
            Code::UnreadableResponse
        );
    }

    #[test]
    fn aws_size_limit_is_a_finding() {
        let big = format!("<a>{}</a>", "x".repeat(80_000));
        let d = decode(b64(&big).as_bytes()).unwrap();
        assert_eq!(d.diagnostics[0].code, Code::ResponseTooLarge);
    }

    #[test]
    fn signin_endpoints() {
        for ok in [
            "https://signin.aws.amazon.com/saml",
            "https://signin.aws.amazon.com/static/saml",
            "https://us-east-2.signin.aws.amazon.com/saml",
            "https://signin.amazonaws-us-gov.com/saml",
            "https://signin.amazonaws.cn/saml",
        ] {
            assert!(is_aws_signin(ok), "{ok}");
        }
        for bad in [
            "http://signin.aws.amazon.com/saml",
            "https://evil.com/signin.aws.amazon.com/saml",
            "https://a.b.signin.aws.amazon.com/saml",
            "https://signin.aws.amazon.com/login",
            // Looser than `check`'s ACS URL rule once; the same rule now.
            "https://signin.aws.amazon.com/saml2",
            "https://xx-fake-9.signin.aws.amazon.com/saml",
        ] {
            assert!(!is_aws_signin(bad), "{bad}");
        }
    }
}
