//! Golden renderings, per registry code, of what that code's own example produces, in the human
//! (ASCII, no colour) and JSON formats; the other formats' shapes; and robustness of every renderer
//! against arbitrary spans.

mod support;

use proptest::prelude::*;
use samlfx_aws::attribute::{Lookup, lookup, resolve};
use samlfx_aws::profile::Profile;
use samlfx_aws::rules::{Place, check_attributes, check_value};
use samlfx_diag::codes::{CODES, CodeInfo};
use samlfx_diag::render::{self, Format, HumanOptions, Located, Source};
use samlfx_diag::{Code, Diagnostic, Span};
use samlfx_formula::Type;
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::syntax::ParseLimits;

/// What a code's example produces: the source the diagnostics point into and the diagnostics.
struct Produced {
    source: Source,
    diagnostics: Vec<Diagnostic>,
}

/// Runs a code's registry example through the stage that reports it: `Context::set` for the
/// `--set` examples of F4xx, `Declaration::parse` for the `--field` one, reading the missing file of F403,
/// `arn::check` for the ARNs of A0xx, `Program::compile` for syntax, name, type and lint codes, and
/// evaluation for runtime codes (F305 both). Examples that describe an input instead of spelling it (F011,
/// F012, F201) are generated.
fn produce(info: &CodeInfo) -> Produced {
    if info.id.starts_with('S') {
        return if info.id.starts_with("S03") {
            produce_signing(info)
        } else {
            produce_response(info)
        };
    }
    if info.id.starts_with('U') {
        return produce_users(info);
    }
    if info.id.starts_with('C') {
        return produce_app(info);
    }
    if info.id.starts_with("A1") || info.id.starts_with("A2") {
        return produce_attribute(info);
    }
    if let Some(assignment) = info.example.strip_prefix("--set '") {
        let assignment = assignment.trim_end_matches('\'');
        let mut ctx = Context::new(ContextOptions::default());
        let d = ctx.set(assignment).expect_err(info.id);
        return Produced {
            source: Source::option("--set", assignment),
            diagnostics: vec![d],
        };
    }
    if let Some(spec) = info.example.strip_prefix("--field '") {
        let spec = spec.trim_end_matches('\'');
        let d = samlfx_formula::schema::Declaration::parse(spec).expect_err(info.id);
        return Produced {
            source: Source::option("--field", spec),
            diagnostics: vec![d],
        };
    }
    if let Some(path) = info.example.strip_prefix("--file ") {
        let (source, d) =
            *samlfx_formula::input::read_file("the formula file", path).expect_err(info.id);
        return Produced {
            source,
            diagnostics: vec![d],
        };
    }
    if info.id.starts_with('A') {
        return Produced {
            source: Source::named("<arn>", info.example),
            diagnostics: samlfx_aws::arn::check(info.example).diagnostics,
        };
    }
    let limits = ParseLimits::default();
    let text = match info.code {
        Code::NestingTooDeep => {
            let depth = limits.max_depth as usize + 1;
            format!("{}1{}", "(".repeat(depth), ")".repeat(depth))
        }
        Code::FormulaTooLarge => format!("'{}'", "x".repeat(limits.max_bytes)),
        Code::FormulaTooLong => format!("'{}'", "x".repeat(3900)),
        _ => info.example.to_string(),
    };
    let opts = CompileOptions {
        expected: (info.code == Code::WrongResultType).then_some(Type::Text),
        ..CompileOptions::default()
    };
    let compiled = Program::compile(&text, &opts);
    let mut diagnostics = compiled.diagnostics;
    // F305 is reported twice, as `samlfx eval` shows it: at check time at the feature, at run
    // time (no value) at the pattern.
    if (!diagnostics.iter().any(|d| d.code == info.code) || info.code == Code::UnsupportedBySamlfx)
        && let Some(program) = compiled.program
        && let Err(e) = program.eval(&Context::new(ContextOptions::default()))
    {
        diagnostics.push(e.to_diagnostic());
    }
    Produced {
        source: Source::inline(text),
        diagnostics,
    }
}

/// Runs an attribute rule's example (`Name=value`, `Name=a | b`, `Name=a; Other=b`, or a key
/// alone; `A2xx` under the Amazon Connect profile). A key alone goes through `lookup` (source: the
/// key); one value through `check_value` (source: the value); anything else, or an example whose
/// code only the assertion-wide rules report, through `check_attributes` on the assertion written
/// out with full keys, each finding placed at its value, name or attribute in that text. The
/// examples that describe an input (A142, A145) are generated. The assertion-wide path leaves
/// out A102 (missing Role or RoleSessionName) unless that is the code, so that an example need
/// not spell a whole assertion, and A147 (the `sts:TagSession` reminder every session tag draws)
/// unless that is the code.
fn produce_attribute(info: &CodeInfo) -> Produced {
    let profile = if info.id.starts_with("A2") {
        Profile::AmazonConnect
    } else {
        Profile::Aws
    };
    let example = match info.code {
        Code::TagValueLength => format!("PrincipalTag:Team={}", "v".repeat(257)),
        Code::TooManyTags => {
            let mut tags: Vec<String> = vec!["Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp".into(), "RoleSessionName=jdoe".into()];
            tags.extend((1..=51).map(|i| format!("PrincipalTag:T{i}=v")));
            tags.join("; ")
        }
        _ => info.example.to_string(),
    };
    let Some((name, values)) = example.split_once('=') else {
        let d = match lookup(&example) {
            Lookup::NearMiss { diagnostic, .. } | Lookup::UnknownAws(diagnostic) => {
                vec![diagnostic]
            }
            _ => Vec::new(),
        };
        return Produced {
            source: Source::named("<key>", example),
            diagnostics: d,
        };
    };
    if !values.contains(['|', ';'])
        && let Some(attr) = resolve(name)
    {
        let diagnostics = check_value(&attr, values, profile);
        if diagnostics.iter().any(|d| d.code == info.code) {
            return Produced {
                source: Source::named("<value>", values),
                diagnostics,
            };
        }
    }
    // The assertion as text, `key=value | value; key=value`, and where each part is.
    let mut text = String::new();
    let mut places = Vec::new();
    for (i, attribute) in example.split("; ").enumerate() {
        if i > 0 {
            text.push_str("; ");
        }
        let (name, values) = attribute.split_once('=').expect("Name=value");
        let key = resolve(name).map_or(name.to_owned(), |a| a.key());
        let key_at = text.len();
        text.push_str(&key);
        text.push('=');
        let mut value_at = Vec::new();
        for (j, v) in values.split(" | ").enumerate() {
            if j > 0 {
                text.push_str(" | ");
            }
            value_at.push((text.len(), text.len() + v.len()));
            text.push_str(v);
        }
        places.push((key_at, key_at + key.len(), value_at));
    }
    let attrs: Vec<(&str, Vec<&str>)> = places
        .iter()
        .map(|(ks, ke, vs)| {
            (
                &text[*ks..*ke],
                vs.iter().map(|(s, e)| &text[*s..*e]).collect(),
            )
        })
        .collect();
    let diagnostics = check_attributes(&attrs, profile)
        .into_iter()
        .filter(|f| {
            let reminder = matches!(
                f.diagnostic.code,
                Code::MissingAttribute | Code::TagSessionPermission
            );
            !reminder || f.diagnostic.code == info.code
        })
        .map(|f| {
            let mut d = f.diagnostic;
            let at = match f.place {
                Place::Assertion => return d,
                Place::Attribute { index } => {
                    d.span = Some(Span::new(places[index].0, places[index].1));
                    return d;
                }
                Place::Name { index } => places[index].0,
                Place::Value { attribute, value } => places[attribute].2[value].0,
            };
            d.span = d.span.map(|s| s.shift(at));
            for l in &mut d.labels {
                l.span = l.span.shift(at);
            }
            d
        })
        .collect();
    Produced {
        source: Source::named("<assertion>", text),
        diagnostics,
    }
}

/// Runs an app-file code's example through samlfx-app. XML examples are read as a ConnectedApp
/// file (a `<callCenter>` one as a contact-center import), other texts as samlfx.toml, and
/// paths (C001, C015) are discovered. The examples that describe an input (C002, C003, C016) are
/// generated; C017's JSON is written as the sfdx-project.json of a project under `target/`.
/// The rule codes run the rules on what was read: C1xx through `lint_app` (the profile chosen
/// as `check` chooses it), C2xx through `lint_contact_center` against examples/voice's app.
fn produce_app(info: &CodeInfo) -> Produced {
    use std::path::Path;
    let from_problems = |d: samlfx_app::Discovery| {
        let (source, diagnostic) = d
            .problems
            .into_iter()
            .find(|(_, d)| d.code == info.code)
            .expect(info.id);
        Produced {
            source,
            diagnostics: vec![diagnostic],
        }
    };
    let loaded = match info.code {
        Code::UnreadableAppFile | Code::NoAppFiles => {
            return from_problems(samlfx_app::discover(Path::new(info.example)));
        }
        Code::DiscoveryLimit => {
            let root = Path::new("target/golden-c016");
            let deep: std::path::PathBuf = (0..=samlfx_app::discover::MAX_DEPTH + 1)
                .map(|i| format!("d{i}"))
                .collect();
            std::fs::create_dir_all(root.join(deep)).unwrap();
            return from_problems(samlfx_app::discover(root));
        }
        Code::InvalidSfdxProject => {
            let root = Path::new("target/golden-c017");
            std::fs::create_dir_all(root).unwrap();
            std::fs::write(root.join("sfdx-project.json"), info.example).unwrap();
            std::fs::write(root.join("samlfx.toml"), "").unwrap();
            return from_problems(samlfx_app::discover(root));
        }
        Code::AppFileLimit => samlfx_app::read_bytes(
            "AcmeVoice.connectedApp-meta.xml",
            &vec![b' '; samlfx_app::MAX_FILE_BYTES + 1],
        ),
        Code::NotText => samlfx_app::read_bytes("samlfx.toml", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        Code::ExternalClientAppSamlOff => {
            // As the example says: a SAML policy and its app, distributed as a package.
            const NS: &str = "http://soap.sforce.com/2006/04/metadata";
            let files = [
                samlfx_app::read_bytes(
                    "AcmeVoice.ecaSamlPlcy-meta.xml",
                    format!("<ExtlClntAppSamlConfigurablePolicies xmlns=\"{NS}\">\n    <acsUrl>https://signin.aws.amazon.com/saml</acsUrl>\n    <entityUrl>AcmeVoice</entityUrl>\n    <externalClientApplication>AcmeVoice</externalClientApplication>\n</ExtlClntAppSamlConfigurablePolicies>\n").as_bytes(),
                ),
                samlfx_app::read_bytes(
                    "AcmeVoice.eca-meta.xml",
                    format!("<ExternalClientApplication xmlns=\"{NS}\">\n    <distributionState>Packaged</distributionState>\n    <label>AcmeVoice</label>\n</ExternalClientApplication>\n").as_bytes(),
                ),
            ];
            let mut found =
                samlfx_app::check_files(&files, &Default::default(), &Default::default());
            let [_, eca] = files;
            return Produced {
                source: eca.source,
                diagnostics: found.remove(1),
            };
        }
        _ if info.example.starts_with('<') => {
            let name = if info.example.contains("<callCenter") {
                "contact-center.xml"
            } else {
                "AcmeVoice.connectedApp-meta.xml"
            };
            samlfx_app::read_bytes(name, info.example.as_bytes())
        }
        _ => samlfx_app::read_bytes("samlfx.toml", info.example.as_bytes()),
    };
    let mut diagnostics = loaded.diagnostics;
    let rules = info.id.starts_with("C1") || info.id.starts_with("C2");
    match &loaded.content {
        Some(samlfx_app::Content::App(app)) if rules => {
            let opts = samlfx_app::LintOptions {
                profile: samlfx_app::app_profile(app, &[]),
                ..Default::default()
            };
            diagnostics.extend(samlfx_app::lint_app(app, &opts));
        }
        Some(samlfx_app::Content::ContactCenter(cc)) if rules => {
            // Cross-checked against the bundled Voice app, as `samlfx check` would.
            let voice = samlfx_app::read_file(Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/examples/voice/samlfx.toml"
            )));
            let Some(samlfx_app::Content::App(app)) = &voice.content else {
                panic!("examples/voice/samlfx.toml")
            };
            let opts = samlfx_app::LintOptions {
                profile: Profile::AmazonConnect,
                ..Default::default()
            };
            diagnostics.extend(samlfx_app::lint_contact_center(cc, &[app], &opts));
        }
        _ => {}
    }
    Produced {
        source: loaded.source,
        diagnostics,
    }
}

/// A user-export code's example is the export's text (U004 a missing path), audited for
/// `RoleSessionName = $User.Alias`.
fn produce_users(info: &CodeInfo) -> Produced {
    if info.code == Code::OrganizationValuesMissing {
        // A formula check before any user is read.
        return Produced {
            source: Source::named("<formula>", info.example),
            diagnostics: samlfx_audit::query::organization_needed(info.example)
                .into_iter()
                .collect(),
        };
    }
    use samlfx_audit::engine::{self, AuditOptions};
    use samlfx_audit::{Audit, input};
    let path = match info.example.strip_prefix("--users ") {
        Some(missing) => missing.to_owned(),
        None => {
            // Under target/, by a relative path, so the golden does not name a temp directory.
            let dir = format!("target/golden-{}", info.id.to_ascii_lowercase());
            std::fs::create_dir_all(&dir).unwrap();
            let path = format!("{dir}/users.csv");
            std::fs::write(&path, info.example).unwrap();
            path
        }
    };
    let shown = format!("users-{}.csv", info.id);
    let source = Source::named(shown.clone(), "");
    let opened = match input::open(&path) {
        Ok(o) => o,
        Err(d) => {
            return Produced {
                source,
                diagnostics: vec![d],
            };
        }
    };
    let formula = "$User.Alias";
    let schema = engine::schema_for(&Default::default(), [formula]);
    let program = engine::compile(formula, &schema).program.unwrap();
    let audit = Audit::new(
        vec![(
            "https://aws.amazon.com/SAML/Attributes/RoleSessionName".into(),
            formula.into(),
            program,
        )],
        Context::new_with_schema(ContextOptions::default(), schema),
        AuditOptions {
            profile: Profile::Aws,
            id_length: Default::default(),
            jobs: 1,
        },
    );
    let mut diagnostics = Vec::new();
    let totals = audit.run(opened, &shown, &mut |o| {
        diagnostics.extend(o.unreadable.clone());
    });
    diagnostics.splice(0..0, totals.diagnostics);
    diagnostics.extend(totals.collisions.iter().map(|c| c.to_diagnostic(false)));
    Produced {
        source,
        diagnostics,
    }
}

/// A signing code's example: a `--key` path that does not exist (S030), `--now` text (S035),
/// a PEM text read as the key paired with the test certificate (S031–S033); S034 pairs the
/// test key with another key's certificate and S036 signs a document without a template; S037's
/// example is a value, `\u{1}` standing for the control character.
fn produce_signing(info: &CodeInfo) -> Produced {
    use samlfx_sign::keys::{self, SigningKey};
    const KEY: &str = "tests/fixtures/simulate/test-key.pem";
    const CERT: &str = "tests/fixtures/simulate/test-cert.pem";
    const OTHER_CERT: &str = "tests/fixtures/simulate/other-cert.pem";
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    let (source, d) = match info.code {
        Code::UnreadableKeyFile => {
            let path = info.example.strip_prefix("--key ").expect(info.id);
            let d = keys::read_pem_file("the key", std::path::Path::new(path)).expect_err(info.id);
            (Source::named(path, ""), d)
        }
        Code::InvalidInstant => {
            let text = info.example.strip_prefix("--now ").expect(info.id);
            let d = samlfx_saml::emit::parse_instant(text).expect_err(info.id);
            (Source::option("--now", text), d)
        }
        Code::KeyCertificateMismatch => {
            let e = SigningKey::from_pem(&read(KEY), &read(OTHER_CERT)).expect_err(info.id);
            (Source::file(OTHER_CERT, read(OTHER_CERT)), e.diagnostic)
        }
        Code::SigningFailed => {
            let key = SigningKey::ephemeral("test").unwrap();
            let doc = "<Response ID=\"x\"/>";
            let d = samlfx_sign::sign::sign_enveloped(doc, &key).expect_err(info.id);
            (Source::named("<document>", doc), d)
        }
        Code::SigningNotBuiltIn => (
            Source::named("<build>", ""),
            samlfx_saml::not_built_in(samlfx_saml::NotBuiltIn::Signing),
        ),
        Code::UnrepresentableCharacter => {
            let value = info.example.replace("\\u{1}", "\u{1}");
            let d = samlfx_saml::emit::check_characters("RoleSessionName", &value).expect(info.id);
            (Source::named("<value>", value), d)
        }
        _ => {
            let e = SigningKey::from_pem(info.example, &read(CERT)).expect_err(info.id);
            (Source::named("key.pem", info.example), e.diagnostic)
        }
    };
    Produced {
        source,
        diagnostics: vec![d],
    }
}

/// The response codes whose example is built from the real Salesforce-issued response, kept
/// beside the repository: skipped (with the line `sample_path` prints) when it is absent.
const FROM_SAMPLE: [Code; 5] = [
    Code::InvalidSignature,
    Code::UnsignedAssertion,
    Code::Sha1Signature,
    Code::SignatureNotChecked,
    Code::AssertionNotSignedItself,
];

#[test]
fn every_code_example_produces_its_code_and_renders() {
    let mut missing = Vec::new();
    let sample = support::saml::sample_path("response.xml").is_some();
    for info in CODES {
        if FROM_SAMPLE.contains(&info.code) && !sample {
            continue;
        }
        let p = produce(info);
        if !p.diagnostics.iter().any(|d| d.code == info.code) {
            missing.push(format!("{}: {:?}", info.id, p.diagnostics));
            continue;
        }
        let items = Located::all(&p.source, &p.diagnostics);
        let human = render::human::render(&items, &HumanOptions::PLAIN);
        assert!(!human.contains('\x1b'));
        assert!(human.contains(&format!("[{}]: ", info.id)));
        // Long lines are windowed, so even the generated 1 MiB and 7,800-character examples give
        // short goldens.
        insta::assert_snapshot!(format!("human_{}", info.id), human);
        insta::assert_snapshot!(format!("json_{}", info.id), render::json::render(&items));
    }
    assert!(
        missing.is_empty(),
        "examples that do not produce their code:\n{}",
        missing.join("\n")
    );
}

#[test]
fn spanless_diagnostic_renders_header_help_and_note() {
    let source = Source::file("app.formula", "x");
    let d = Diagnostic::new(Code::FormulaTooLarge, "The formula is 2097152 bytes")
        .with_help("split it")
        .with_note("the bound is 1 MiB");
    let items = Located::all(&source, std::slice::from_ref(&d));
    assert_eq!(
        render::human::render(&items, &HumanOptions::PLAIN),
        "error[F012]: The formula is 2097152 bytes\n  = help: split it\n  = note: the bound is 1 MiB\n\n"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json::render(&items)).unwrap();
    assert_eq!(json["diagnostics"][0]["span"], serde_json::Value::Null);
    assert_eq!(json["diagnostics"][0]["file"], "app.formula");
    assert_eq!(json["summary"]["errors"], 1);
}

#[test]
fn json_columns_count_characters_and_lines() {
    let source = Source::inline("'é'\n& 1");
    let d = Diagnostic::new(Code::WrongArgumentType, "m").at(Span::new(7, 8));
    let json: serde_json::Value =
        serde_json::from_str(&render::json::render(&Located::all(&source, &[d]))).unwrap();
    assert_eq!(
        json["diagnostics"][0]["span"],
        serde_json::json!({"start": 7, "end": 8, "line": 2, "column": 3})
    );
    assert_eq!(json["diagnostics"][0]["file"], serde_json::Value::Null);
    assert_eq!(json["version"], 1);
}

#[test]
fn sarif_lists_every_rule_and_places_results() {
    let source = Source::file("role.formula", "$User.Alias & 1");
    let d = Diagnostic::new(Code::WrongArgumentType, "bad").at(Span::new(14, 15));
    let log: serde_json::Value =
        serde_json::from_str(&render::sarif::render(&Located::all(&source, &[d]))).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"].as_array().unwrap().len(),
        CODES.len()
    );
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "F104");
    assert_eq!(result["level"], "error");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "role.formula");
    assert_eq!(loc["region"]["startColumn"], 15);
    assert_eq!(loc["region"]["endColumn"], 16);
}

#[test]
fn github_commands_carry_position_and_escaped_message() {
    let source = Source::file("a,b.formula", "$User.Alias & 1");
    let d = Diagnostic::new(Code::WrongArgumentType, "100% wrong")
        .at(Span::new(14, 15))
        .with_help("use TEXT()");
    let out = render::github::render(&Located::all(&source, &[d]));
    assert_eq!(
        out,
        "::error file=a%2Cb.formula,line=1,col=15,endLine=1,endColumn=16,title=F104::100%25 wrong%0Ahelp: use TEXT()\n"
    );
}

proptest! {
    /// No span, however wrong, makes a renderer panic.
    #[test]
    fn renderers_never_panic(text in "[a-z'é\\n\\r\\x{202E}\\x00 &()€]{0,24}", pad in 0usize..600,
                             a in 0usize..700, b in 0usize..700, c in 0usize..700, d in 0usize..700) {
        let source = Source::inline(format!("{}{text}", "x".repeat(pad)));
        let diag = Diagnostic::new(Code::UnexpectedToken, "m")
            .at(Span::new(a, b))
            .with_label(Span::new(c, d), "l")
            .with_help("h");
        let items = Located::all(&source, std::slice::from_ref(&diag));
        for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
            let out = render::render(format, &items, &HumanOptions::PLAIN);
            prop_assert!(!out.is_empty());
        }
        let human = render::render(Format::Human, &items, &HumanOptions::PLAIN);
        prop_assert!(!human.contains(['\u{202E}', '\0']), "{:?}", human);
        prop_assert!(human.len() < 4000, "{} bytes", human.len());
        let (line, col) = source.line_col(source.clamp(Span::new(a, b)).start);
        let header = format!("<formula>:{line}:{col} ]");
        prop_assert!(human.contains(&header), "{} not in {:?}", header, human);
        // One section, whatever lines the two spans are on.
        prop_assert_eq!(human.matches("[ <formula>:").count(), 1, "{:?}", human);
        let coloured = render::render(Format::Human, &items, &HumanOptions { color: true, ascii: false });
        prop_assert!(coloured.starts_with("\x1b"));
        let plain_header = format!(" <formula>:{line}:{col} ");
        prop_assert!(coloured.contains(&plain_header), "{} not in {:?}", plain_header, coloured);
    }
}

/// The char column of the last `|` marker under a snippet line and of `needle` in that line.
fn marker_and_target(human: &str, needle: char) -> (usize, usize) {
    let lines: Vec<&str> = human.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .expect("a snippet line");
    let last = |line: &str, c: char| {
        line.chars()
            .collect::<Vec<_>>()
            .iter()
            .rposition(|&x| x == c)
    };
    let target = last(lines[i], needle).unwrap();
    let marker = last(lines[i + 1], '|').unwrap();
    (marker, target)
}

#[test]
fn long_lines_are_cut_around_the_span_with_the_true_position() {
    let text = format!("'{}' & 1", "x".repeat(1_000_000));
    let at = text.len() - 1;
    let source = Source::inline(text);
    let d = Diagnostic::new(Code::WrongArgumentType, "m")
        .at_labelled(Span::new(at, at + 1), "this is Number")
        .with_label(Span::new(0, at - 3), "the whole literal");
    let human = render::human::render(&Located::all(&source, &[d]), &HumanOptions::PLAIN);
    assert!(human.len() < 2000, "{} bytes", human.len());
    assert!(human.contains("[ <formula>:1:1000006 ]"), "{human}");
    assert!(human.contains("'xxxx"), "{human}");
    assert!(human.contains("x…x"), "{human}");
    assert!(human.contains("this is Number"), "{human}");
    let (marker, target) = marker_and_target(&human, '1');
    assert_eq!(marker, target, "{human}");
}

#[test]
fn cut_lines_keep_their_line_numbers() {
    let text = format!("{{\n\"a\": 1,\n\"b\": \"{}\"}}", "y".repeat(5000));
    let at = text.len() - 1;
    let source = Source::file("c.json", text);
    let d = Diagnostic::new(Code::InvalidContextValue, "m").at(Span::new(at, at + 1));
    let human = render::human::render(&Located::all(&source, &[d]), &HumanOptions::PLAIN);
    assert!(human.contains("[ c.json:3:5008 ]"), "{human}");
    assert!(human.contains(" 3 | …yyy"), "{human}");
    assert!(!human.contains(" 1 |"), "{human}");
}

#[test]
fn hidden_characters_are_drawn_visibly_and_stay_aligned() {
    let text = "'a\u{202E}b\0c\u{2066}' & 1";
    let at = text.len() - 1;
    let source = Source::inline(text);
    let d = Diagnostic::new(Code::WrongArgumentType, "bad \u{202E}txet")
        .at(Span::new(at, at + 1))
        .with_help("h\u{0}");
    let items = Located::all(&source, std::slice::from_ref(&d));
    let human = render::human::render(&items, &HumanOptions::PLAIN);
    assert!(
        human.contains(" 1 | 'a\u{FFFD}b\u{FFFD}c\u{FFFD}' & 1"),
        "{human}"
    );
    assert!(human.contains("bad \u{FFFD}txet"), "{human}");
    assert!(human.contains("[ <formula>:1:12 ]"), "{human}");
    assert!(!human.contains(['\u{202E}', '\0', '\u{2066}']), "{human:?}");
    let (marker, target) = marker_and_target(&human, '1');
    assert_eq!(marker, target, "{human}");
    let github = render::github::render(&items);
    assert!(
        github.contains("bad \u{FFFD}txet%0Ahelp: h\u{FFFD}"),
        "{github}"
    );
    assert!(!github.contains(['\u{202E}', '\0']), "{github:?}");
}

#[test]
fn a_span_after_very_many_lines_is_located_without_a_snippet() {
    let text = format!("{}x", "\n".repeat(200_000));
    let at = text.len() - 1;
    let source = Source::file("many.json", text);
    let d = Diagnostic::new(Code::InvalidContextValue, "m").at(Span::new(at, at + 1));
    let human = render::human::render(&Located::all(&source, &[d]), &HumanOptions::PLAIN);
    assert_eq!(human, "error[F402]: m\n  --> many.json:200001:1\n\n");
}

/// The human report of a formula's first diagnostic (ASCII, no colour).
fn human_of(formula: &str) -> String {
    let compiled = Program::compile(formula, &CompileOptions::default());
    let source = Source::inline(formula);
    let d = compiled.diagnostics.first().expect("a diagnostic").clone();
    render::human::render(&Located::all(&source, &[d]), &HumanOptions::PLAIN)
}

/// Labels on several lines are drawn in one section, in source order, under the primary span's
/// true position (a missing `)` in a multi-line IF is the most common real error).
#[test]
fn labels_on_several_lines_are_one_section_in_source_order() {
    for (name, formula) in [
        ("multiline_missing_paren", "LEFT($User.Alias,\n3"),
        (
            "multiline_if_missing_paren",
            "IF(\n $User.IsActive,\n \"a\",\n \"b\"\n",
        ),
        ("multiline_missing_comma", "LEFT(\n$User.Alias\n 3)"),
    ] {
        let human = human_of(formula);
        assert_eq!(human.matches("[ <formula>:").count(), 1, "{human}");
        let one = human.find(" 1 |").expect("line 1 shown");
        let last = human.rfind(|c: char| c.is_ascii_digit()).unwrap();
        assert!(one < last, "{human}");
        insta::assert_snapshot!(name, human);
    }
}

/// A span at the end of a file that ends in a newline is on the empty last line, and the snippet
/// shows that line under the number the header gives.
#[test]
fn a_span_after_the_final_newline_shows_the_empty_last_line() {
    for text in [
        "{\"$User\": {\"Alias\": \"ok\"\n",
        "{\"$User\": {\"Alias\": \"ok\"\r\n",
    ] {
        let source = Source::file("c.json", text);
        let d =
            Diagnostic::new(Code::InvalidContextValue, "m").at(Span::new(text.len(), text.len()));
        let human = render::human::render(&Located::all(&source, &[d]), &HumanOptions::PLAIN);
        assert!(human.contains("[ c.json:2:1 ]"), "{human}");
        assert!(human.contains("\n 2 |\n"), "{human}");
        assert!(!human.contains(" 1 |"), "{human}");
    }
}

/// A diagnostic about a `--set` assignment is placed in human output only: machine formats
/// give it no file and no position, which would read as places in the formula.
#[test]
fn option_values_have_no_place_in_machine_formats() {
    let source = Source::option("--set", "$User.Alias=x");
    let d = Diagnostic::new(Code::InvalidContextValue, "bad value for `$User.Alias`")
        .at(Span::new(12, 13))
        .with_label(Span::new(0, 11), "this field")
        .with_help("h");
    let items = Located::all(&source, std::slice::from_ref(&d));
    let human = render::human::render(&items, &HumanOptions::PLAIN);
    assert!(human.contains("[ --set:1:13 ]"), "{human}");
    let json: serde_json::Value = serde_json::from_str(&render::json::render(&items)).unwrap();
    let j = &json["diagnostics"][0];
    assert_eq!(j["file"], serde_json::Value::Null);
    assert_eq!(j["span"], serde_json::Value::Null);
    assert_eq!(j["labels"], serde_json::json!([]));
    assert_eq!(j["message"], "bad value for `$User.Alias`");
    let sarif: serde_json::Value = serde_json::from_str(&render::sarif::render(&items)).unwrap();
    let r = &sarif["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "F402");
    assert!(
        r.get("locations").is_none() && r.get("relatedLocations").is_none(),
        "{r}"
    );
    let github = render::github::render(&items);
    assert_eq!(
        github,
        "::error title=F402::bad value for `$User.Alias`%0Ahelp: h\n"
    );
}

/// A captured response for an `S` code: the example itself when it is an input (S00x, S01x,
/// S100), else the crafted response of `support::saml` broken as the example describes, checked
/// at `support::saml::NOW`. Only the code's own diagnostics are kept: an unsigned crafted
/// response also draws S116, which is not the business of the other codes' goldens.
fn produce_response(info: &CodeInfo) -> Produced {
    use samlfx_saml::{decode, idp, inspect};
    use support::saml;
    let valid = saml::valid();
    // Only for the codes of FROM_SAMPLE, which are skipped when the sample is absent.
    let signed_sample =
        || std::fs::read_to_string(saml::sample_path("response.xml").unwrap()).unwrap();
    let base64 = |s: &str| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(s)
    };
    let mut now = saml::NOW.to_owned();
    let mut verify = false;
    let input: Vec<u8> = match info.code {
        Code::ResponseTooLarge => base64(&valid.replace("opaque-id", &"x".repeat(80_000))).into_bytes(),
        Code::ResponseInputLimit => vec![b'A'; decode::MAX_INPUT + 1],
        Code::ResponseXmlLimit => valid
            .replace("<saml:Subject>", &format!("<saml:Subject>{}", "<x>".repeat(70)))
            .replace("</saml:Subject>", &format!("{}</saml:Subject>", "</x>".repeat(70)))
            .into_bytes(),
        Code::DiffersFromApp => {
            let mut d = Vec::new();
            let resp = samlfx_saml::response::read(&valid, &mut d).unwrap();
            let expected = samlfx_saml::emit::Response {
                response_id: "_r1".into(),
                assertion_id: "_a1".into(),
                issue_instant: chrono::DateTime::parse_from_rfc3339(saml::NOW).unwrap().to_utc(),
                issuer: "https://acme.my.salesforce.com".into(),
                destination: "https://signin.aws.amazon.com/saml".into(),
                audience: "urn:amazon:webservices".into(),
                name_id: samlfx_saml::emit::NameId {
                    format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent".into(),
                    value: "opaque-id".into(),
                },
                attributes: vec![
                    samlfx_saml::emit::Attribute::single("https://aws.amazon.com/SAML/Attributes/Role", saml::ROLE),
                    samlfx_saml::emit::Attribute::single(
                        "https://aws.amazon.com/SAML/Attributes/RoleSessionName",
                        "jdoe@005000000000001",
                    ),
                ],
            };
            return Produced {
                source: Source::named(format!("response-{}.xml", info.id), valid.clone()),
                diagnostics: samlfx_saml::diff::diff(&resp, &expected, true),
            };
        }
        Code::UnreadableIdpCertificate => {
            let d = idp::from_pem("no certificate here").unwrap_err();
            return Produced {
                source: Source::named("<idp-cert>", "no certificate here"),
                diagnostics: vec![d],
            };
        }
        Code::StatusNotSuccess => valid.replace(":status:Success", ":status:Responder").into_bytes(),
        Code::EncryptedAssertion => valid
            .replace("<saml:Assertion ", "<saml:EncryptedAssertion ")
            .replace("</saml:Assertion>", "</saml:EncryptedAssertion>")
            .into_bytes(),
        Code::AssertionCount => {
            let start = valid.find("  <saml:Assertion").unwrap();
            let end = valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
            format!("{}{}", &valid[..start], &valid[end..]).into_bytes()
        }
        Code::MissingIssuer => valid
            .replace(r#"<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://acme.my.salesforce.com</saml:Issuer>"#, "")
            .replace(r#"<saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://acme.my.salesforce.com</saml:Issuer>"#, "")
            .into_bytes(),
        Code::IssuerMismatch => valid.replace("https://acme.my", "https://old.my").into_bytes(),
        Code::MissingNameId => valid.replace(">opaque-id<", "><").into_bytes(),
        Code::UnusualNameIdFormat => valid.replace("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "urn:example:custom").into_bytes(),
        Code::SubjectConfirmation => valid.replace(r#"NotOnOrAfter="2026-01-01T00:05:00.000Z" Recipient"#, "Recipient").into_bytes(),
        Code::RecipientNotAws => valid.replace(r#"Recipient="https://signin.aws.amazon.com/saml""#, r#"Recipient="https://localhost:8080/callback""#).into_bytes(),
        Code::DestinationMismatch => valid.replace(r#"Destination="https://signin.aws.amazon.com/saml""#, r#"Destination="https://us-east-1.signin.aws.amazon.com/saml""#).into_bytes(),
        Code::AudienceMismatch => valid.replace("urn:amazon:webservices", "https://example.com/sp").into_bytes(),
        Code::ResponseExpired => {
            now = "2026-01-01T00:10:00Z".into();
            valid.into_bytes()
        }
        Code::NotYetValid => {
            now = "2025-12-31T00:00:00Z".into();
            valid.into_bytes()
        }
        Code::RedemptionWindow => {
            now = "2026-01-01T00:06:00Z".into();
            valid.replace("2026-01-01T00:05:00.000Z", "2026-01-01T01:00:00.000Z").into_bytes()
        }
        Code::InvalidSignature => {
            now = saml::SAMPLE_NOW.into();
            verify = true;
            signed_sample().replacen(">john@kolide.co</saml:AttributeValue>", ">jane@kolide.co</saml:AttributeValue>", 1).into_bytes()
        }
        Code::UnsignedAssertion => {
            // Signature wrapping: the Response's signature dropped, an unsigned assertion put
            // before the signed one.
            now = saml::SAMPLE_NOW.into();
            verify = true;
            let sample = signed_sample();
            let s = sample.find("<ds:Signature").unwrap();
            let e = sample.find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
            let sample = format!("{}{}", &sample[..s], &sample[e..]);
            let start = sample.find("<saml:Assertion").unwrap();
            let a = valid.find("  <saml:Assertion").unwrap();
            let b = valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
            let injected = valid[a..b].replace(r#"ID="_a1""#, r#"ID="_evil""#);
            format!("{}{}{}", &sample[..start], injected.trim_start(), &sample[start..]).into_bytes()
        }
        Code::Sha1Signature | Code::SignatureNotChecked => {
            now = saml::SAMPLE_NOW.into();
            signed_sample().into_bytes()
        }
        Code::SignatureWrapping => valid.replace(r#"ID="_r1""#, r#"ID="_a1""#).into_bytes(),
        Code::RelayStateNotConsole => info
            .example
            .replace("<base64>", &base64(&valid).replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"))
            .into_bytes(),
        Code::CommentInValue => valid.replace(">opaque-id<", ">opaque-id<!-- x -->.evil<").into_bytes(),
        Code::DecryptionFailed => {
            let a = valid.find("<saml:Assertion").unwrap();
            let b = valid.find("</saml:Assertion>").unwrap() + "</saml:Assertion>".len();
            let encrypted = r#"<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>"#;
            format!("{}{encrypted}{}", &valid[..a], &valid[b..]).into_bytes()
        }
        Code::MissingAuthnStatement => {
            let a = valid.find("<saml:AuthnStatement").unwrap();
            let b = valid.find("</saml:AuthnStatement>").unwrap() + "</saml:AuthnStatement>".len();
            format!("{}{}", &valid[..a], &valid[b..]).into_bytes()
        }
        Code::SessionAlreadyOver => valid
            .replace(
                r#"<saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00.000Z""#,
                r#"<saml:AuthnStatement AuthnInstant="2026-01-01T00:00:00.000Z" SessionNotOnOrAfter="2025-12-31T23:00:00Z""#,
            )
            .into_bytes(),
        Code::AssertionNotSignedItself => {
            // Removing the assertion's signature changes the Response's digest, so the Response
            // signature is taken as it stands (no certificate given).
            now = saml::SAMPLE_NOW.into();
            let sample = signed_sample();
            let a = sample.find("<saml:Assertion").unwrap();
            let s = a + sample[a..].find("<ds:Signature").unwrap();
            let e = s + sample[s..].find("</ds:Signature>").unwrap() + "</ds:Signature>".len();
            format!("{}{}", &sample[..s], &sample[e..]).into_bytes()
        }
        _ => info.example.as_bytes().to_vec(),
    };
    let shown = format!("response-{}.xml", info.id);
    let decoded = match decode::decode(&input) {
        Ok(d) => d,
        Err(d) => {
            let text = String::from_utf8_lossy(&input[..input.len().min(4096)]).into_owned();
            return Produced {
                source: Source::named(shown, text),
                diagnostics: vec![d],
            };
        }
    };
    let verifier = verify.then(|| {
        let pem = std::fs::read_to_string(saml::sample_path("idp-cert.pem").unwrap()).unwrap();
        samlfx_sign::verify::CertificateVerifier::new(idp::from_pem(&pem).unwrap().certificates)
    });
    let mut opts =
        inspect::Options::at(chrono::DateTime::parse_from_rfc3339(&now).unwrap().to_utc());
    if let Some(v) = &verifier {
        opts.verifier = Some(v);
    }
    // As the example says: a key the assertion was not encrypted to.
    struct OtherKey;
    impl inspect::Decryptor for OtherKey {
        fn decrypt(&self, _: &str) -> Result<String, String> {
            Err("the content key does not decrypt with this private key (another SP key?)".into())
        }
    }
    if info.code == Code::DecryptionFailed {
        opts.decryptor = Some(&OtherKey);
    }
    if info.code == Code::IssuerMismatch {
        opts.expected_issuer = Some("https://acme.my.salesforce.com".into());
    }
    opts.relay_state = decoded.relay_state.clone();
    let inspection = inspect::inspect(&decoded.xml, &opts);
    if info.code == Code::RelayStateNotConsole {
        // The RelayState's findings point into it, as `inspect` shows them.
        return Produced {
            source: Source::named("<RelayState>", decoded.relay_state.unwrap_or_default()),
            diagnostics: inspection.relay_state,
        };
    }
    let mut diagnostics = decoded.diagnostics;
    diagnostics.extend(inspection.diagnostics);
    diagnostics.retain(|d| d.code == info.code);
    // The base64 of S003 is long: show the decoded XML, which the span does not point into, cut.
    let text = if decoded.steps.is_empty() {
        decoded.xml
    } else {
        String::from_utf8_lossy(&input).into_owned()
    };
    Produced {
        source: Source::named(shown, text),
        diagnostics,
    }
}
