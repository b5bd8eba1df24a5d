//! `samlfx inspect [FILE|-]`: decode a captured SAML Response (XML, base64, form body, HAR),
//! print what it says, and check it as AWS would: structure, recipient and audience, the time
//! window, the signatures against the IdP's certificate, and the attribute rule pack.

use std::io::Read;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_aws::profile::Profile;
use samlfx_diag::render::json::{self, JsonDiagnostic};
use samlfx_diag::render::{Format, Located, Source, Summary};
use samlfx_diag::{Diagnostic, Report};
use samlfx_formula::id::IdLength;
use samlfx_saml::decode::{self, Decoded};
use samlfx_saml::idp::{self, Idp};
use samlfx_saml::inspect::{self, Inspection, Options};
use samlfx_saml::response::Response;

use super::simulate::{self, Expected, UserInputs};

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The captured response: XML, base64 (line breaks allowed), a URL-encoded
    /// `SAMLResponse=…&RelayState=…` body, or a HAR file; `-` or nothing reads stdin.
    #[arg(value_name = "FILE")]
    pub input: Option<String>,
    /// The IdP's signing certificate (PEM), as uploaded to AWS: signatures are verified with it.
    #[arg(long, value_name = "PEM", conflicts_with = "idp_metadata")]
    pub idp_cert: Option<PathBuf>,
    /// The IdP's SAML metadata, as uploaded to the IAM SAML provider: its certificate verifies
    /// the signatures, its entityID must be the Issuer.
    #[arg(long, value_name = "XML")]
    pub idp_metadata: Option<PathBuf>,
    /// The service provider's private key (PEM), as uploaded to the IAM SAML provider: an
    /// encrypted assertion is decrypted with it and checked like any other.
    #[arg(long, value_name = "PEM")]
    pub sp_key: Option<PathBuf>,
    /// The app the response should come from (anything `samlfx check` reads): with --user, the
    /// capture is compared with what the app would send that user now.
    #[arg(long, value_name = "APP", requires = "user")]
    pub app: Option<PathBuf>,
    /// The user the response was issued to: a context JSON file or an `sf data query --json`
    /// record, as `simulate --user` reads it.
    #[arg(long, value_name = "FILE.json", requires = "app")]
    pub user: Option<String>,
    /// A context JSON file with `$Organization`, for --user.
    #[arg(long, value_name = "FILE.json", requires = "user")]
    pub org: Option<String>,
    /// Whether Id fields read as 15 or 18 characters, for --user.
    #[arg(long, value_name = "15|18", default_value = "15", value_parser = super::eval::parse_id_length)]
    pub id_length: IdLength,
    /// The time of the check (RFC 3339); default now. Give the time a capture was posted to
    /// check the rest of an old one.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// Which attribute rules run; by default amazon-connect when a Role value names Service
    /// Cloud Voice's provider or the RelayState is an Amazon Connect URL, else aws.
    #[arg(long, value_name = "PROFILE", value_parser = super::eval::parse_profile)]
    pub profile: Option<Profile>,
    /// How to write the report (the summary of the response goes to stdout in human format).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

pub fn parse_now(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("`{s}` is not an RFC 3339 time such as 2026-01-01T12:00:00Z: {e}"))
}

/// Reads at most `decode::MAX_INPUT + 1` bytes, so that an endless stream stays bounded.
fn read_input(name: &str) -> Result<Vec<u8>, String> {
    let limit = decode::MAX_INPUT as u64 + 1;
    let mut bytes = Vec::new();
    let result = if name == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(name).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    result.map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(bytes)
}

/// `--sp-key`: the service provider's private key, as a decryptor.
#[cfg(feature = "sign")]
#[allow(clippy::result_large_err)]
fn read_sp_key(path: &std::path::Path) -> Result<samlfx_sign::decrypt::KeyDecryptor, Diagnostic> {
    let pem = samlfx_sign::keys::read_pem_file("the SP key", path)?;
    samlfx_sign::decrypt::KeyDecryptor::from_pem(&pem)
}

fn read_idp(args: &InspectArgs) -> Result<Option<Idp>, Box<(Source, Diagnostic)>> {
    let (path, metadata) = match (&args.idp_cert, &args.idp_metadata) {
        (Some(p), _) => (p, false),
        (None, Some(p)) => (p, true),
        (None, None) => return Ok(None),
    };
    let name = path.display().to_string();
    // Bounded like every context file (16 MiB): a certificate or metadata file is a few KB.
    let text = samlfx_formula::input::read_file_as(
        samlfx_formula::input::Kind::Context,
        "the IdP certificate or metadata",
        &name,
    )
    .map_err(|u| {
        let (_, d) = *u;
        Box::new((
            Source::file(name.clone(), ""),
            Diagnostic::new(samlfx_diag::Code::UnreadableIdpCertificate, d.message)
                .with_help("give the path of the IdP certificate (PEM) or metadata (XML)"),
        ))
    })?
    .text;
    let read = if metadata {
        idp::from_metadata(&text)
    } else {
        idp::from_pem(&text)
    };
    read.map(Some)
        .map_err(|d| Box::new((Source::file(name, text), d)))
}

pub fn run(args: &InspectArgs, color: ColorChoice) -> Exit {
    let policy = match args.policy.severities() {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let format: Format = args.format.into();
    let name = args.input.clone().unwrap_or_else(|| "-".to_owned());
    let display = if name == "-" {
        "<stdin>"
    } else {
        name.as_str()
    };
    let bytes = match read_input(&name) {
        Ok(b) => b,
        Err(message) => return output::usage_error(&message),
    };
    let input_source = Source::file(display, String::from_utf8_lossy(&bytes).into_owned());
    let mut report = Report::new();
    let idp = match read_idp(args) {
        Ok(idp) => idp,
        Err(failed) => {
            let (source, d) = *failed;
            report.add(source, vec![d]);
            emit(&report, format, color, display, None);
            return Exit::Usage;
        }
    };
    let decoded: Decoded = match decode::decode(&bytes) {
        Ok(d) => d,
        Err(d) => {
            report.add(input_source, vec![d]);
            emit(&report, format, color, display, None);
            return Exit::Usage;
        }
    };
    // What the app would send the user now, when asked.
    let expected: Option<Expected> = match (&args.app, &args.user) {
        (Some(app), Some(user)) => {
            let inputs = UserInputs {
                app,
                user,
                org: args.org.as_deref(),
                now: None,
                id_length: args.id_length,
            };
            match simulate::expected(&inputs, &mut report) {
                Ok(e) => Some(e),
                Err(exit) => {
                    emit(&report, format, color, display, None);
                    return exit;
                }
            }
        }
        _ => None,
    };
    #[cfg(feature = "sign")]
    let verifier = idp
        .as_ref()
        .map(|i| samlfx_sign::verify::CertificateVerifier::new(i.certificates.clone()));
    // Without the `sign` feature nothing verifies; S038 says so when a certificate was given.
    #[cfg(not(feature = "sign"))]
    let verifier: Option<&dyn samlfx_saml::inspect::Verifier> = None;
    #[cfg(not(feature = "sign"))]
    let not_built_in = (idp.is_some() || args.sp_key.is_some())
        .then(|| samlfx_saml::not_built_in(samlfx_saml::NotBuiltIn::Verification));
    #[cfg(feature = "sign")]
    let decryptor = match &args.sp_key {
        None => None,
        Some(path) => match read_sp_key(path) {
            Ok(d) => Some(d),
            Err(d) => {
                report.add(
                    Source::named(path.display().to_string(), String::new()),
                    [d],
                );
                emit(&report, format, color, display, None);
                return Exit::Usage;
            }
        },
    };
    let opts = Options {
        now: args.now.unwrap_or_else(Utc::now),
        // With `--app`, the app's scope decides the rules, as in `check`.
        profile: args.profile.or_else(|| {
            expected.as_ref().map(|e| {
                let centers: Vec<&samlfx_app::ContactCenter> = e.centers.iter().collect();
                samlfx_app::app_profile(&e.app, &centers)
            })
        }),
        #[cfg(feature = "sign")]
        verifier: verifier
            .as_ref()
            .map(|v| v as &dyn samlfx_saml::inspect::Verifier),
        #[cfg(not(feature = "sign"))]
        verifier,
        #[cfg(feature = "sign")]
        decryptor: decryptor
            .as_ref()
            .map(|d| d as &dyn samlfx_saml::inspect::Decryptor),
        #[cfg(not(feature = "sign"))]
        decryptor: None,
        expected_issuer: idp.as_ref().and_then(|i| i.entity_id.clone()),
        expected_audiences: expected
            .iter()
            .map(|e| e.response.audience.clone())
            .collect(),
        relay_state: decoded.relay_state.clone(),
    };
    let mut inspection = inspect::inspect(&decoded.xml, &opts);
    if let (Some(e), Some(resp)) = (&expected, &inspection.response) {
        // Salesforce's PersistentId cannot be computed outside the org: not compared.
        let persistent = matches!(
            e.app.subject_type.as_ref().map(|s| &s.value),
            Some(samlfx_app::SubjectType::PersistentId)
        );
        let differences = samlfx_saml::diff::diff(resp, &e.response, !persistent);
        inspection.diagnostics.extend(differences);
        inspection
            .diagnostics
            .sort_by_key(|d| d.span.map_or((0, 0), |s| (s.start, s.end)));
    }
    if !decoded.diagnostics.is_empty() {
        report.add(input_source, decoded.diagnostics.clone());
    }
    // With the assertion decrypted in place, the findings point into that document.
    let document = match &inspection.document {
        Some(_) => format!("{}#decrypted", decoded.document_name(display)),
        None => decoded.document_name(display),
    };
    let document_text = inspection
        .document
        .clone()
        .unwrap_or_else(|| decoded.xml.clone());
    #[cfg(not(feature = "sign"))]
    if let Some(d) = not_built_in {
        report.add(Source::named("<build>", String::new()), [d]);
    }
    report.add(
        Source::file(document.clone(), document_text),
        inspection.diagnostics.clone(),
    );
    // The RelayState is no part of the XML: its findings point into it, shown as its own source.
    if let Some(relay) = &decoded.relay_state
        && !inspection.relay_state.is_empty()
    {
        report.add(
            Source::named("<RelayState>", relay.clone()),
            inspection.relay_state.clone(),
        );
    }
    report.apply(&policy);
    let view = View {
        input: display,
        document: &document,
        decoded: &decoded,
        inspection: &inspection,
        idp: idp.as_ref(),
    };
    emit(&report, format, color, display, Some(&view));
    if inspection.response.is_none() {
        Exit::Usage
    } else {
        args.policy.exit(&report)
    }
}

/// What is printed besides the diagnostics.
struct View<'a> {
    input: &'a str,
    document: &'a str,
    decoded: &'a Decoded,
    inspection: &'a Inspection,
    idp: Option<&'a Idp>,
}

fn emit(report: &Report, format: Format, color: ColorChoice, input: &str, view: Option<&View>) {
    match format {
        Format::Human => {
            if let Some(v) = view {
                output::out(&describe(v));
            }
            output::err(&report.render(format, &color.human_options()));
            let s = report.summary();
            output::err(&format!(
                "inspected {input}: {} error{}, {} warning{}\n",
                s.errors,
                if s.errors == 1 { "" } else { "s" },
                s.warnings,
                if s.warnings == 1 { "" } else { "s" },
            ));
        }
        Format::Json => output::out(&to_json(report, input, view)),
        _ => output::out(&report.render(format, &color.human_options())),
    }
}

/// The readable summary: where the XML came from, then what the response says.
fn describe(v: &View) -> String {
    let mut out = String::new();
    let mut line = |k: &str, val: &str| out.push_str(&format!("{k:<15} {val}\n"));
    line("input", v.input);
    if !v.decoded.steps.is_empty() {
        line("decoded", &v.decoded.describe_steps());
        line("document", v.document);
    }
    if let Some(url) = &v.decoded.posted_to {
        line("posted to", url);
    }
    if let Some(r) = &v.decoded.relay_state {
        line("relay state", r);
    }
    let Some(resp) = &v.inspection.response else {
        return out;
    };
    let text = v.inspection.document.as_deref().unwrap_or(&v.decoded.xml);
    let j = ResponseJson::of(resp, v.inspection, text);
    line("issuer", j.issuer.unwrap_or("(none)"));
    line("issued", j.issue_instant.unwrap_or("(none)"));
    line("destination", j.destination.unwrap_or("(none)"));
    line("status", j.status.unwrap_or("(none)"));
    if j.assertions > 1 {
        line(
            "assertions",
            &format!(
                "{} (none is shown: AWS reads exactly one, see S103)",
                j.assertions
            ),
        );
    }
    if let Some(a) = &j.assertion {
        line("name id", a.name_id.unwrap_or("(none)"));
        line("name id format", a.name_id_format.unwrap_or("(none)"));
        line("recipient", a.recipient.unwrap_or("(none)"));
        line("audience", &a.audiences.join(", "));
        line(
            "valid",
            &format!(
                "{} → {}",
                a.not_before.unwrap_or("(no NotBefore)"),
                a.not_on_or_after.unwrap_or("(no NotOnOrAfter)")
            ),
        );
        for attr in &a.attributes {
            line("attribute", attr.name.unwrap_or("(no Name)"));
            for value in &attr.values {
                line("", &format!("= {value}"));
            }
        }
    }
    for s in &j.signatures {
        let verdict = match s.verified {
            Some(true) => "verified",
            Some(false) => "INVALID",
            None => "not verified (no --idp-cert)",
        };
        line(
            "signature",
            &format!(
                "line {}, over the {} {}, {}: {verdict}",
                s.line,
                s.covers.unwrap_or("(unclear element)"),
                s.reference.unwrap_or("(no reference)"),
                s.algorithm.unwrap_or("(no algorithm)")
            ),
        );
    }
    if let Some(idp) = v.idp {
        line(
            "idp",
            &format!(
                "{} certificate{}{}",
                idp.certificates.len(),
                if idp.certificates.len() == 1 { "" } else { "s" },
                idp.entity_id
                    .as_deref()
                    .map(|e| format!(", entityID {e}"))
                    .unwrap_or_default()
            ),
        );
    }
    line("profile", v.inspection.profile.as_str());
    out
}

#[derive(Serialize)]
struct JsonOut<'a> {
    version: u32,
    input: &'a str,
    /// The decoding steps, outermost first.
    decoding: Vec<String>,
    /// The name the decoded XML's diagnostics carry as `file`.
    document: Option<&'a str>,
    relay_state: Option<&'a str>,
    /// The URL a HAR's POST sent the response to.
    posted_to: Option<&'a str>,
    response: Option<ResponseJson<'a>>,
    diagnostics: Vec<JsonDiagnostic>,
    summary: Summary,
}

#[derive(Serialize)]
struct ResponseJson<'a> {
    id: Option<&'a str>,
    issuer: Option<&'a str>,
    issue_instant: Option<&'a str>,
    destination: Option<&'a str>,
    status: Option<&'a str>,
    /// How many `<saml:Assertion>` children the Response has.
    assertions: usize,
    /// The one assertion AWS reads; null when there is none or more than one (S103), so that
    /// neither of two is presented as the one.
    assertion: Option<AssertionJson<'a>>,
    signatures: Vec<SignatureJson<'a>>,
    profile: &'static str,
}

#[derive(Serialize)]
struct AssertionJson<'a> {
    id: Option<&'a str>,
    name_id: Option<&'a str>,
    name_id_format: Option<&'a str>,
    recipient: Option<&'a str>,
    audiences: Vec<&'a str>,
    not_before: Option<&'a str>,
    not_on_or_after: Option<&'a str>,
    attributes: Vec<AttributeJson<'a>>,
}

#[derive(Serialize)]
struct AttributeJson<'a> {
    name: Option<&'a str>,
    values: Vec<&'a str>,
}

#[derive(Serialize)]
struct SignatureJson<'a> {
    /// The local name of the element it references (`Response`, `Assertion`, …); null when the
    /// reference is unclear.
    covers: Option<&'a str>,
    /// Its Reference's URI (`#_…`, the element's ID).
    reference: Option<&'a str>,
    /// The 1-based line of the `<ds:Signature>` in the document the findings point into.
    line: usize,
    algorithm: Option<&'a str>,
    /// null when no certificate was given.
    verified: Option<bool>,
}

impl<'a> ResponseJson<'a> {
    /// `document` is the XML `r` was read from.
    fn of(r: &'a Response, i: &'a Inspection, document: &str) -> Self {
        let text = |t: Option<&'a samlfx_app::Text>| t.map(|t| t.value.trim());
        let only = match r.assertions.as_slice() {
            [a] => Some(a),
            _ => None,
        };
        let assertion = only.map(|a| {
            let conf = a.confirmations.first();
            AssertionJson {
                id: text(a.id.as_ref()),
                name_id: a.name_id.as_ref().map(|n| n.text.value.trim()),
                name_id_format: text(a.name_id_format.as_ref()),
                recipient: text(conf.and_then(|c| c.recipient.as_ref())),
                audiences: a
                    .conditions
                    .iter()
                    .flat_map(|c| &c.restrictions)
                    .flat_map(|(_, v)| v)
                    .map(|v| v.text.value.trim())
                    .collect(),
                not_before: a
                    .conditions
                    .as_ref()
                    .and_then(|c| c.not_before.as_ref())
                    .map(|t| t.text.value.trim()),
                not_on_or_after: conf
                    .and_then(|c| c.not_on_or_after.as_ref())
                    .or(a
                        .conditions
                        .as_ref()
                        .and_then(|c| c.not_on_or_after.as_ref()))
                    .map(|t| t.text.value.trim()),
                attributes: a
                    .attributes
                    .iter()
                    .map(|x| AttributeJson {
                        name: text(x.name.as_ref()),
                        values: x.values.iter().map(|v| v.text.value.as_str()).collect(),
                    })
                    .collect(),
            }
        });
        ResponseJson {
            id: text(r.id.as_ref()),
            issuer: only
                .and_then(|a| a.issuer.as_ref())
                .or(r.issuer.as_ref())
                .map(|v| v.text.value.trim()),
            issue_instant: r.issue_instant.as_ref().map(|t| t.text.value.trim()),
            destination: text(r.destination.as_ref()),
            status: text(r.status.as_ref()),
            assertions: r.assertions.len(),
            assertion,
            signatures: i
                .signatures
                .iter()
                .zip(&r.signatures)
                .map(|(s, sig)| SignatureJson {
                    covers: s.covers.as_ref().map(|c| c.0.as_str()),
                    reference: sig.references.first().map(|u| u.value.trim()),
                    line: document[..sig.span.start.min(document.len())]
                        .matches('\n')
                        .count()
                        + 1,
                    algorithm: s.algorithm.as_deref(),
                    verified: s.verified.as_ref().map(Result::is_ok),
                })
                .collect(),
            profile: i.profile.as_str(),
        }
    }
}

fn to_json(report: &Report, input: &str, view: Option<&View>) -> String {
    let out = JsonOut {
        version: json::VERSION,
        input,
        decoding: view
            .map(|v| v.decoded.steps.iter().map(|s| s.describe()).collect())
            .unwrap_or_default(),
        document: view.map(|v| v.document),
        relay_state: view.and_then(|v| v.decoded.relay_state.as_deref()),
        posted_to: view.and_then(|v| v.decoded.posted_to.as_deref()),
        response: view.and_then(|v| {
            v.inspection.response.as_ref().map(|r| {
                let text = v.inspection.document.as_deref().unwrap_or(&v.decoded.xml);
                ResponseJson::of(r, v.inspection, text)
            })
        }),
        diagnostics: report
            .sorted()
            .into_iter()
            .map(|(id, diagnostic)| {
                JsonDiagnostic::new(&Located {
                    source: report.source(id),
                    diagnostic,
                })
            })
            .collect(),
        summary: report.summary(),
    };
    let mut s = serde_json::to_string_pretty(&out).expect("plain data serializes");
    s.push('\n');
    s
}
