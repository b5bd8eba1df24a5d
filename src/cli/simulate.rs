//! `samlfx simulate APP --user FILE`: the SAML Response the app would send for one user, laid
//! out as Salesforce's identity provider lays it out and signed, as XML, base64 or a form body.
//!
//! Decisions (README, "Simulate"):
//! - a formula that does not compile or fails for this user is reported in the app file and
//!   no response is printed (exit 1): a response without that attribute is not what the app
//!   would send;
//! - AWS's attribute rules run on the values sent; their findings are reported and the
//!   response is still printed, so it can be inspected (exit 1 on an error);
//! - the NameID of subject type PersistentId is
//!   `base64url(SHA-256("samlfx-persistent-id\0" + org Id + "\0" + user Id + "\0" + Entity ID))`
//!   cut to 32 characters, Ids as 18 characters: stable per user and app, opaque, and not
//!   Salesforce's (which cannot be computed outside the org);
//! - with `--now`, the IDs are derived from the inputs and the instant (the same SHA-256
//!   construction), so the output is reproducible; without it they are random.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use samlfx_app::{
    App, ContactCenter, Content, Loaded, NameIdFormat, SigningAlgorithm, SubjectType, lint,
};
use samlfx_aws::profile::Profile;
use samlfx_aws::rules::{Place, check_attributes};
use samlfx_diag::render::{self, Format, Source, json::JsonDiagnostic};
use samlfx_diag::{Code, Diagnostic, Report, Severities, Span};
use samlfx_formula::Type;
use samlfx_formula::catalog::fields::{self, FIELDS, Global};
use samlfx_formula::id::IdLength;
use samlfx_formula::input;
use samlfx_formula::program::CompileOptions;
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::schema::Schema;
use samlfx_saml::emit::{self, Algorithm, Attribute, NameId, Response};
#[cfg(feature = "sign")]
use samlfx_sign::keys::{self, KeyFile, SigningKey};

/// The Issuer when the app names none and no contact center gives the org's My Domain.
pub const DEFAULT_ISSUER: &str = "https://mydomain.my.salesforce.com";

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The app: anything `samlfx check` reads (samlfx.toml, a ConnectedApp or External Client
    /// App file, or a directory holding one; a contact center beside it gives the relay state).
    #[arg(value_name = "APP")]
    pub app: PathBuf,
    /// The user: a context JSON file as `eval --context` reads it, or one User record as
    /// `sf data query --json` prints it.
    #[arg(long, value_name = "FILE.json")]
    pub user: String,
    /// A context JSON file with `$Organization` (its values win over the user file's).
    #[arg(long, value_name = "FILE.json")]
    pub org: Option<String>,
    /// The PEM private key to sign with (RSA, unencrypted). Default: a key generated for the run.
    #[arg(long, value_name = "KEY.pem", requires = "cert")]
    pub key: Option<PathBuf>,
    /// The PEM certificate of --key, which the signatures carry.
    #[arg(long, value_name = "CERT.pem", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Write the certificate of the key generated for the run to FILE (PEM), to verify with.
    #[arg(long, value_name = "FILE", conflicts_with = "key")]
    pub print_cert: Option<PathBuf>,
    /// How to print the response: the XML, the base64 a browser posts, or the whole form body.
    #[arg(long, value_enum, default_value_t = Encoding::Xml)]
    pub encoding: Encoding,
    /// Issue the response at this instant (RFC 3339) instead of now; also makes its IDs
    /// reproducible.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The RelayState of `--encoding form`. Default: the contact center's relay state, when
    /// one is read from APP.
    #[arg(long, value_name = "URL")]
    pub relay_state: Option<String>,
    /// Which attribute rules run on the values; by default as `check` chooses.
    #[arg(long, value_name = "PROFILE", value_parser = super::eval::parse_profile)]
    pub profile: Option<Profile>,
    /// Whether Id fields read as 15 or 18 characters.
    #[arg(long, value_name = "15|18", default_value = "15", value_parser = super::eval::parse_id_length)]
    pub id_length: IdLength,
    /// How to write diagnostics (json: an object with the response and the diagnostics).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// `--encoding`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    /// The XML document.
    #[default]
    Xml,
    /// The base64 of the document: the `SAMLResponse` value a browser posts.
    Base64,
    /// `SAMLResponse=…&RelayState=…`, URL-encoded: the body a browser posts.
    Form,
}

impl Encoding {
    fn as_str(self) -> &'static str {
        match self {
            Encoding::Xml => "xml",
            Encoding::Base64 => "base64",
            Encoding::Form => "form",
        }
    }
}

/// The `simulate --format json` object.
#[derive(Serialize)]
struct SimulateJson {
    response: Option<String>,
    encoding: &'static str,
    diagnostics: Vec<JsonDiagnostic>,
}

pub fn run(args: &SimulateArgs, color: ColorChoice) -> Exit {
    let policy = match args.policy.severities() {
        Ok(p) => p,
        Err(exit) => return exit,
    };
    let out = Out {
        args,
        color,
        policy: &policy,
    };
    let mut report = Report::new();
    match simulate(args, &mut report) {
        Ok(Simulated { response, failed }) => {
            let printed = encode(args, &response.xml, response.relay_state.as_deref());
            out.emit(&mut report, Some(&printed));
            if failed {
                Exit::Findings
            } else {
                args.policy.exit(&report)
            }
        }
        Err(exit) => {
            out.emit(&mut report, None);
            // Only a formula that fails ends a run with findings and no response.
            if exit == Exit::Findings && args.format == FormatArg::Human {
                output::err(
                    "error: an attribute's formula fails for this user, so no response is printed; `samlfx check` and `samlfx eval` explain it\n",
                );
            }
            exit
        }
    }
}

struct Signed {
    xml: String,
    relay_state: Option<String>,
}

struct Simulated {
    response: Signed,
    /// Whether the rules found an error in the values sent.
    failed: bool,
}

/// Everything but the output: diagnostics go to `report`; `Err` is the exit status of a run
/// that prints no response.
/// Where `simulate` and `inspect --app --user` read what an app sends for one user.
pub(super) struct UserInputs<'a> {
    pub app: &'a Path,
    pub user: &'a str,
    pub org: Option<&'a str>,
    /// `--now`, as given.
    pub now: Option<&'a str>,
    pub id_length: IdLength,
}

/// What the app sends for one user, before signing, and the files it was read from.
pub(super) struct Expected {
    pub response: Response,
    pub app: App,
    pub centers: Vec<ContactCenter>,
}

/// The Response the app at `inputs.app` sends for the user: its formulas evaluated, its subject,
/// Salesforce's default attributes. A formula that fails is reported and ends it (exit 1).
pub(super) fn expected(inputs: &UserInputs, report: &mut Report) -> Result<Expected, Exit> {
    let now = match &inputs.now {
        None => None,
        Some(text) => match emit::parse_instant(text) {
            Ok(t) => Some(t),
            Err(d) => {
                report.add(Source::option("--now", text.to_owned()), [d]);
                return Err(Exit::Usage);
            }
        },
    };

    let loaded: Vec<Loaded> = samlfx_app::load(inputs.app);
    if loaded.iter().any(Loaded::input_failed) {
        for l in &loaded {
            report.add(l.source.clone(), l.diagnostics.clone());
        }
        return Err(Exit::Usage);
    }
    let Some((file, app)) = loaded.iter().find_map(|l| match &l.content {
        Some(Content::App(app)) => Some((l, &**app)),
        _ => None,
    }) else {
        return Err(output::usage_error(&format!(
            "{} defines no SAML app to simulate",
            inputs.app.display()
        )));
    };
    let centers: Vec<&samlfx_app::ContactCenter> =
        loaded.iter().filter_map(Loaded::contact_center).collect();
    let mut required = |v: &Option<samlfx_app::Text>, what: &str| match v {
        Some(t) if !t.value.trim().is_empty() => Ok(t.value.trim().to_owned()),
        _ => {
            report.add(file.source.clone(), file.diagnostics.clone());
            Err(output::usage_error(&format!(
                "the app in {} has no {what}, which the response needs",
                file.source.display_name()
            )))
        }
    };
    let audience = required(&app.entity_id, "Entity ID (entity_id, entityUrl)")?;
    let destination = required(&app.acs_url, "ACS URL (acs_url, acsUrl)")?;

    let mut ctx = user_context(inputs, app, report)?;
    if let Some(t) = now {
        ctx = ctx.with_now(t.naive_utc());
    }
    let now = now.unwrap_or_else(|| {
        // The context's own "now", already cut to milliseconds.
        ctx.now().and_utc()
    });

    // The app's formulas, for this user.
    let opts = CompileOptions {
        expected: Some(Type::Text),
        schema: Some(ctx.schema().clone()),
        ..CompileOptions::default()
    };
    let mut values = Vec::new();
    let mut broken = Vec::new();
    for attr in &app.attributes {
        let compiled = attr.compile(&opts);
        let warnings = compiled
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .cloned();
        broken.extend(warnings);
        let Some(program) = compiled.program else {
            broken.extend(
                compiled
                    .diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error),
            );
            continue;
        };
        match program.eval(&ctx) {
            Ok(v) => values.push((attr.key.value.clone(), v.to_output().unwrap_or_default())),
            Err(e) => broken.push(attr.formula.locate(e.to_diagnostic())),
        }
    }
    let formula_failed = broken.iter().any(Diagnostic::is_error);
    report.add(file.source.clone(), broken);
    if formula_failed {
        return Err(Exit::Findings);
    }

    // The subject.
    let text_of = |name: &str| -> String {
        fields::lookup(name)
            .and_then(|(id, _)| ctx.merge(id).to_output())
            .unwrap_or_default()
    };
    let user_id = text_of("$User.Id");
    let org_id = text_of("$Organization.Id");
    let subject_type = app
        .subject_type
        .as_ref()
        .map_or(SubjectType::Username, |s| s.value.clone());
    let subject = match &subject_type {
        SubjectType::Username => text_of("$User.Username"),
        SubjectType::FederationId => text_of("$User.FederationIdentifier"),
        // Salesforce's own ids for the subject: the user's Id as the app's setting reads it.
        SubjectType::UserId | SubjectType::SpokeId => user_id.clone(),
        SubjectType::PersistentId => persistent_id(&org_id, &user_id, &audience),
        SubjectType::CustomAttribute(key) => key
            .as_ref()
            .and_then(|k| values.iter().find(|(name, _)| *name == k.value))
            .map(|(_, v)| v.clone())
            .unwrap_or_default(),
    };
    if subject.is_empty() {
        let what = match &subject_type {
            SubjectType::FederationId => "$User.FederationIdentifier".to_owned(),
            SubjectType::CustomAttribute(Some(k)) => format!("the attribute `{}`", k.value),
            SubjectType::CustomAttribute(None) => "a custom attribute the app does not name".into(),
            SubjectType::PersistentId => "$User.Id".into(),
            SubjectType::Username => "$User.Username".into(),
            _ => "$User.Id".into(),
        };
        let d = Diagnostic::new(
            Code::InvalidContextValue,
            format!(
                "the user has no value for the NameID: subject type {} sends {what}, which is blank",
                subject_type.as_str()
            ),
        )
        .with_help("Salesforce refuses the sign-in of a user without a subject; give the user the value in the user file, or change the app's subject type");
        report.add(Source::named(inputs.user.to_owned(), String::new()), [d]);
        return Err(Exit::Usage);
    }
    let format = app
        .name_id_format
        .as_ref()
        .map_or(NameIdFormat::Unspecified, |f| f.value);

    let issuer = app
        .issuer
        .as_ref()
        .map(|t| t.value.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| centers.iter().find_map(|cc| my_domain(cc)))
        .unwrap_or_else(|| DEFAULT_ISSUER.to_owned());

    // Salesforce's default attributes, then the app's.
    let user_type = text_of("$User.UserType");
    let mut attributes = vec![
        Attribute::single("userId", user_id.clone()),
        Attribute::single("username", text_of("$User.Username")),
        Attribute::single("email", text_of("$User.Email")),
        Attribute::single("is_portal_user", is_portal(&user_type).to_string()),
    ];
    attributes.extend(
        values
            .iter()
            .map(|(k, v)| Attribute::single(k.clone(), v.clone())),
    );

    let seed = [audience.as_str(), &org_id, &user_id, &emit::instant(now)].join("\0");
    let response = Response {
        response_id: xml_id(&seed, "response", inputs.now.is_some()),
        assertion_id: xml_id(&seed, "assertion", inputs.now.is_some()),
        issue_instant: now,
        issuer,
        destination,
        audience,
        name_id: NameId {
            format: format.urn().to_owned(),
            value: subject,
        },
        attributes,
    };

    Ok(Expected {
        response,
        app: app.clone(),
        centers: centers.into_iter().cloned().collect(),
    })
}

fn simulate(args: &SimulateArgs, report: &mut Report) -> Result<Simulated, Exit> {
    let inputs = UserInputs {
        app: &args.app,
        user: &args.user,
        org: args.org.as_deref(),
        now: args.now.as_deref(),
        id_length: args.id_length,
    };
    let Expected {
        response,
        app,
        centers,
    } = expected(&inputs, report)?;
    let app = &app;
    // AWS's rules on what is sent, before signing (a finding does not stop the response).
    let linked: Vec<&ContactCenter> = centers.iter().collect();
    let profile = args
        .profile
        .unwrap_or_else(|| lint::app_profile(app, &linked));
    let failed = check_values(&response, profile, report);
    for (what, value) in [
        ("the Issuer", &response.issuer),
        ("the NameID", &response.name_id.value),
    ] {
        if let Some(d) = emit::check_characters(what, value) {
            report.add(
                Source::named(format!("<{}>", &what[4..]), value.clone()),
                [d],
            );
        }
    }

    let algorithm = match app.signing_algorithm.as_ref().map(|a| a.value) {
        Some(SigningAlgorithm::Sha1) => Algorithm::RsaSha1,
        _ => Algorithm::RsaSha256,
    };
    let xml = sign(args, &response, algorithm, report)?;
    let relay_state = args.relay_state.clone().or_else(|| {
        centers
            .iter()
            .find_map(|cc| cc.relay_state.as_ref())
            .map(|t| t.value.trim().to_owned())
    });
    Ok(Simulated {
        response: Signed { xml, relay_state },
        failed,
    })
}

/// The user file read as a context, with `--org`'s `$Organization` values over it.
fn user_context(inputs: &UserInputs, app: &App, report: &mut Report) -> Result<Context, Exit> {
    let opts = ContextOptions {
        id_length: inputs.id_length,
    };
    let read = |path: &str, what: &str, schema: Schema, report: &mut Report| {
        let source = input::read_file_as(input::Kind::Context, what, path).map_err(|u| {
            let (source, d) = *u;
            report.add(source, [d]);
            Exit::Usage
        })?;
        Context::from_json_with_schema(&source.text, opts, schema).map_err(|diags| {
            report.add(source, diags);
            Exit::Usage
        })
    };
    let mut ctx = read(inputs.user, "the user file", app.schema(), report)?;
    if let Some(path) = inputs.org {
        let org = read(path, "the org file", Schema::default(), report)?;
        for spec in FIELDS.iter().filter(|f| f.global == Global::Organization) {
            let id = spec.id();
            let v = org.merge(id);
            if !v.is_null() {
                ctx.set_merge(id, v.clone());
            }
        }
    }
    Ok(ctx)
}

/// The response signed with [`signing_key`]'s key.
#[cfg(feature = "sign")]
fn sign(
    args: &SimulateArgs,
    response: &Response,
    algorithm: Algorithm,
    report: &mut Report,
) -> Result<String, Exit> {
    let key = signing_key(args, &response.issuer, report)?;
    samlfx_sign::sign::sign_response(response, algorithm, &key).map_err(|d| {
        report.add(Source::named("<response>", String::new()), [d]);
        Exit::Usage
    })
}

/// Without the `sign` feature: the response unsigned, and S038 saying so.
#[cfg(not(feature = "sign"))]
fn sign(
    _args: &SimulateArgs,
    response: &Response,
    _algorithm: Algorithm,
    report: &mut Report,
) -> Result<String, Exit> {
    report.add(
        Source::named("<response>", String::new()),
        [samlfx_saml::not_built_in(samlfx_saml::NotBuiltIn::Signing)],
    );
    Ok(response.unsigned_xml())
}

/// The key: `--key`/`--cert`, or one generated for the run (its certificate to `--print-cert`).
#[cfg(feature = "sign")]
fn signing_key(args: &SimulateArgs, issuer: &str, report: &mut Report) -> Result<SigningKey, Exit> {
    let (Some(key_path), Some(cert_path)) = (&args.key, &args.cert) else {
        let key = SigningKey::ephemeral(issuer).map_err(|d| {
            report.add(Source::named("<key>", String::new()), [d]);
            Exit::Usage
        })?;
        if let Some(path) = &args.print_cert {
            std::fs::write(path, key.certificate().to_pem()).map_err(|e| {
                let d = Diagnostic::new(
                    Code::UnreadableKeyFile,
                    format!("cannot write the certificate to `{}`: {e}", path.display()),
                )
                .with_help(
                    "--print-cert names a file to create or overwrite, in a directory that exists",
                );
                report.add(
                    Source::named(path.display().to_string(), String::new()),
                    [d],
                );
                Exit::Usage
            })?;
        }
        return Ok(key);
    };
    let read = |what: &str, path: &PathBuf, report: &mut Report| {
        keys::read_pem_file(what, path).map_err(|d| {
            report.add(
                Source::named(path.display().to_string(), String::new()),
                [d],
            );
            Exit::Usage
        })
    };
    let key_pem = read("the key", key_path, report)?;
    let cert_pem = read("the certificate", cert_path, report)?;
    SigningKey::from_pem(&key_pem, &cert_pem).map_err(|e| {
        let source = match e.file {
            KeyFile::Key => Source::file(key_path.display().to_string(), key_pem.clone()),
            KeyFile::Certificate => Source::file(cert_path.display().to_string(), cert_pem.clone()),
        };
        report.add(source, [e.diagnostic]);
        Exit::Usage
    })
}

/// Runs AWS's attribute rules on the response's attributes, reported in a text that lists
/// them, `name = value` a line; whether one is an error.
fn check_values(response: &Response, profile: Profile, report: &mut Report) -> bool {
    let mut text = String::new();
    let mut places = Vec::new();
    for a in &response.attributes {
        let name_at = text.len();
        text.push_str(&a.name);
        let name = Span::new(name_at, text.len());
        text.push_str(" = ");
        let mut spans = Vec::new();
        for (i, v) in a.values.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let at = text.len();
            text.push_str(v);
            spans.push(Span::new(at, text.len()));
        }
        text.push('\n');
        places.push((name, spans));
    }
    let attrs: Vec<(&str, Vec<&str>)> = places
        .iter()
        .map(|(n, vs)| {
            (
                &text[n.start..n.end],
                vs.iter().map(|s| &text[s.start..s.end]).collect(),
            )
        })
        .collect();
    let mut diagnostics: Vec<Diagnostic> = check_attributes(&attrs, profile)
        .into_iter()
        .map(|f| {
            let d = f.diagnostic;
            match f.place {
                Place::Assertion => d,
                Place::Attribute { index } => {
                    let (name, values) = &places[index];
                    let end = values.last().map_or(name.end, |s| s.end);
                    Diagnostic {
                        span: Some(Span::new(name.start, end)),
                        ..d
                    }
                }
                Place::Name { index } => d.shifted(places[index].0.start),
                Place::Value { attribute, value } => d.shifted(places[attribute].1[value].start),
            }
        })
        .collect();
    // Characters XML cannot carry, at their place in the listing.
    for (a, (name, values)) in response.attributes.iter().zip(&places) {
        let what = format!("`{}`", a.name);
        diagnostics.extend(
            emit::check_characters(&format!("the name {what}"), &a.name)
                .map(|d| d.shifted(name.start)),
        );
        for (v, span) in a.values.iter().zip(values) {
            diagnostics.extend(emit::check_characters(&what, v).map(|d| d.shifted(span.start)));
        }
    }
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if !diagnostics.is_empty() {
        report.add(Source::named("<attributes sent>", text), diagnostics);
    }
    failed
}

/// `https://<host>` of the contact center's IdP-initiated login URL: the org's My Domain.
fn my_domain(cc: &samlfx_app::ContactCenter) -> Option<String> {
    let url = cc.identity_url.as_ref()?.value.trim();
    let rest = url.strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("https://{host}"))
}

/// Salesforce's `is_portal_user`: whether the user's license is a portal or community one.
fn is_portal(user_type: &str) -> bool {
    matches!(
        user_type,
        "PowerPartner"
            | "PowerCustomerSuccess"
            | "CustomerSuccess"
            | "CspLitePortal"
            | "SelfService"
    )
}

/// The PersistentId NameID (see the module documentation): opaque, stable per user and app.
fn persistent_id(org_id: &str, user_id: &str, entity_id: &str) -> String {
    let long = |id: &str| {
        samlfx_formula::id::normalise(id, IdLength::Eighteen)
            .map_or_else(|_| id.to_owned(), |n| n.into_owned())
    };
    let input = [
        "samlfx-persistent-id",
        &long(org_id),
        &long(user_id),
        entity_id,
    ]
    .join("\0");
    let digest = sha256(input.as_bytes());
    let b64 = BASE64.encode(digest);
    b64.replace('+', "-")
        .replace('/', "_")
        .trim_end_matches('=')
        .chars()
        .take(32)
        .collect()
}

/// A Salesforce-like XML ID, `_` + 32 hex digits + the issue instant's epoch milliseconds:
/// from SHA-256 of the inputs and the instant when `deterministic`, else random.
fn xml_id(seed: &str, role: &str, deterministic: bool) -> String {
    let mut bytes = [0u8; 16];
    if deterministic {
        let digest = sha256(format!("samlfx-id\0{role}\0{seed}").as_bytes());
        bytes.copy_from_slice(&digest[..16]);
    } else if getrandom::fill(&mut bytes).is_err() {
        // Without the system's generator, the clock and the role still make the IDs distinct.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let digest = sha256(format!("{nanos}\0{role}\0{seed}").as_bytes());
        bytes.copy_from_slice(&digest[..16]);
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let millis = seed
        .rsplit('\0')
        .next()
        .and_then(|t| emit::parse_instant(t).ok())
        .map_or(0, |t| t.timestamp_millis());
    format!("_{hex}{millis}")
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).into()
}

/// The response as `--encoding` asks, ending with a line break.
fn encode(args: &SimulateArgs, xml: &str, relay_state: Option<&str>) -> String {
    match args.encoding {
        Encoding::Xml => {
            let mut s = xml.to_owned();
            if !s.ends_with('\n') {
                s.push('\n');
            }
            s
        }
        Encoding::Base64 => format!("{}\n", BASE64.encode(xml.as_bytes())),
        Encoding::Form => {
            let b64 = BASE64.encode(xml.as_bytes());
            let mut s = format!("SAMLResponse={}", form_encode(&b64));
            if let Some(r) = relay_state {
                s.push_str("&RelayState=");
                s.push_str(&form_encode(r));
            }
            s.push('\n');
            s
        }
    }
}

/// `application/x-www-form-urlencoded`: letters, digits and `*-._` kept, space as `+`, every
/// other byte as `%XX`.
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where the diagnostics and the response go, as `eval` does it: human diagnostics on stderr
/// and the response on stdout; json one object on stdout; sarif only the SARIF log; github the
/// workflow commands, then the response.
struct Out<'a> {
    args: &'a SimulateArgs,
    color: ColorChoice,
    policy: &'a Severities,
}

impl Out<'_> {
    fn emit(&self, report: &mut Report, response: Option<&str>) {
        report.apply(self.policy);
        let items = report.located();
        let format: Format = self.args.format.into();
        match format {
            Format::Human => {
                if !items.is_empty() {
                    output::err(&render::human::render(&items, &self.color.human_options()));
                }
                if let Some(r) = response {
                    output::out(r);
                }
            }
            Format::Json => {
                let obj = SimulateJson {
                    response: response.map(str::to_owned),
                    encoding: self.args.encoding.as_str(),
                    diagnostics: render::json::diagnostics(&items),
                };
                let mut s = serde_json::to_string_pretty(&obj).expect("plain data serializes");
                s.push('\n');
                output::out(&s);
            }
            Format::Sarif => output::out(&render::sarif::render(&items)),
            Format::Github => {
                output::out(&render::github::render(&items));
                if let Some(r) = response {
                    output::out(r);
                }
            }
        }
    }
}
