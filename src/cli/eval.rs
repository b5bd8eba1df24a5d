//! `samlfx eval`: compile one formula, evaluate it against a context, print the value.

use clap::Args;
use serde::Serialize;

use super::FormatArg;
use super::output::{self, ColorChoice, Exit};
use super::policy::PolicyArgs;
use samlfx_aws::attribute::{self, Attribute, Lookup};
use samlfx_aws::profile::Profile;
use samlfx_aws::{formula as attribute_formula, rules};
use samlfx_diag::render::{self, Format, Source, json::JsonDiagnostic};
use samlfx_diag::{Code, Report, Severities, suggest};
use samlfx_formula::input::{self, Unreadable};
use samlfx_formula::program::{CompileOptions, Program};
use samlfx_formula::runtime::{Context, ContextOptions, IdLength};
use samlfx_formula::schema::Schema;
use samlfx_formula::shape::ShapeOptions;
use samlfx_formula::{Type, Value};

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The formula, e.g. "$User.Alias & '@' & $User.Id"; `-` reads it from stdin.
    #[arg(
        required_unless_present = "file",
        conflicts_with = "file",
        allow_negative_numbers = true
    )]
    pub formula: Option<String>,
    /// Read the formula from a file instead (spans then point into that file).
    #[arg(long, value_name = "FILE")]
    pub file: Option<String>,
    /// Only parse and type-check: report diagnostics, evaluate nothing.
    #[arg(long)]
    pub check_only: bool,
    /// A JSON file with the values of merge fields and record fields.
    #[arg(long, value_name = "FILE.json")]
    pub context: Option<String>,
    /// Declare a custom or record field's type, e.g. `--field '$User.AWS_Role__c:Text:255'`
    /// or `--field Score__c:Number` (repeatable; values must then fit it, and --check-only
    /// needs no value).
    #[arg(long = "field", value_name = "NAME:TYPE[:MAXLEN]")]
    pub field: Vec<String>,
    /// Set one value, e.g. `--set '$User.Alias=jdoe'` (repeatable; applied after --context).
    /// A declared field is read by its declaration (--field); an undeclared record field is
    /// Text unless typed: `--set 'N__c:Number=5'`.
    #[arg(long = "set", value_name = "NAME[:TYPE]=VALUE")]
    pub set: Vec<String>,
    /// Salesforce's "treat blank fields as zeroes" for Number fields.
    #[arg(long)]
    pub blank_as_zero: bool,
    /// Whether Id fields read as 15 or 18 characters.
    #[arg(long, value_name = "15|18", default_value = "15", value_parser = parse_id_length)]
    pub id_length: IdLength,
    /// The type the result must have (Text for a SAML attribute).
    #[arg(long, value_name = "TYPE", value_parser = parse_type)]
    pub expect_type: Option<Type>,
    /// The SAML attribute the formula is the value of: a full key
    /// (`https://aws.amazon.com/SAML/Attributes/RoleSessionName`) or a short name
    /// (`RoleSessionName`, `Role`, `PrincipalTag:Dept`). Runs its rules on the formula and on the value.
    #[arg(long, value_name = "KEY", value_parser = parse_attribute)]
    pub attribute: Option<AttributeArg>,
    /// Which attribute rules run: AWS's, AWS's plus Amazon Connect's (Service Cloud Voice), or none.
    #[arg(long, value_name = "PROFILE", value_parser = parse_profile, default_value = "aws")]
    pub profile: Profile,
    /// How to write diagnostics (and the value, for json).
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// An `--attribute` as given, and what it is to AWS.
#[derive(Clone, Debug)]
pub struct AttributeArg {
    key: String,
    lookup: Lookup,
}

fn parse_attribute(key: &str) -> Result<AttributeArg, String> {
    if let Some(attr) = attribute::resolve(key) {
        return Ok(AttributeArg {
            key: key.to_owned(),
            lookup: Lookup::Known(attr),
        });
    }
    let lookup = attribute::lookup(key);
    if matches!(lookup, Lookup::Other) && !key.contains(['/', ':']) {
        // A bare word is meant as a short name: say which ones exist.
        let names: Vec<&str> = attribute::ATTRIBUTES.iter().map(|s| s.name).collect();
        let hint = suggest::closest(key, names.iter().copied())
            .map_or_else(String::new, |n| format!("; did you mean '{n}'?"));
        return Err(format!(
            "'{key}' is not an attribute AWS reads{hint} (expected one of {}, or a full attribute key)",
            names.join(", ")
        ));
    }
    Ok(AttributeArg {
        key: key.to_owned(),
        lookup,
    })
}

pub(super) fn parse_profile(s: &str) -> Result<Profile, String> {
    s.parse::<Profile>()
        .map_err(|_| "expected aws, amazon-connect or none".to_owned())
}

pub(super) fn parse_id_length(s: &str) -> Result<IdLength, String> {
    match s {
        "15" => Ok(IdLength::Fifteen),
        "18" => Ok(IdLength::Eighteen),
        _ => Err("expected 15 or 18".into()),
    }
}

fn parse_type(s: &str) -> Result<Type, String> {
    Type::parse(s)
        .filter(|t| !matches!(t, Type::Null | Type::Picklist))
        .ok_or_else(|| "expected text, number, boolean, date, datetime or time".into())
}

/// The `eval --format json` object (README, Machine formats): the value and its type, then the
/// keys of every other command's envelope (`version`, `diagnostics`, `summary`).
#[derive(Serialize)]
struct EvalJson {
    version: u32,
    value: Option<String>,
    #[serde(rename = "type")]
    ty: Option<&'static str>,
    diagnostics: Vec<JsonDiagnostic>,
    summary: render::Summary,
}

fn read_formula(args: &EvalArgs) -> Result<Source, Unreadable> {
    if let Some(path) = &args.file {
        return input::read_file("the formula file", path);
    }
    match args.formula.as_deref() {
        Some("-") => input::read_stdin(),
        // clap requires FORMULA unless --file is given.
        f => Ok(Source::inline(f.unwrap_or_default())),
    }
}

/// The schema `--field` declares; each bad declaration goes to `findings`.
fn declared_schema(args: &EvalArgs, findings: &mut Report) -> Schema {
    let mut schema = Schema::default();
    for spec in &args.field {
        if let Err(d) = schema.declare_spec(spec) {
            findings.add(Source::option("--field", spec.clone()), [d]);
        }
    }
    schema
}

/// Declares `--field`, reads `--context` and applies every `--set`; their diagnostics go to
/// `findings`.
fn build_context(args: &EvalArgs, findings: &mut Report) -> Context {
    let opts = ContextOptions {
        id_length: args.id_length,
    };
    let schema = declared_schema(args, findings);
    let mut ctx = match &args.context {
        None => Context::new_with_schema(opts, schema),
        Some(path) => {
            let source = match input::read_file_as(input::Kind::Context, "the context file", path) {
                Ok(source) => source,
                Err(unreadable) => {
                    let (source, d) = *unreadable;
                    findings.add(source, [d]);
                    return Context::new(opts);
                }
            };
            match Context::from_json_with_schema(&source.text, opts, schema) {
                Ok(ctx) => ctx,
                Err(diags) => {
                    findings.add(source, diags);
                    Context::new(opts)
                }
            }
        }
    };
    for assignment in &args.set {
        if let Err(d) = ctx.set(assignment) {
            findings.add(Source::option("--set", assignment.clone()), [d]);
        }
    }
    ctx
}

pub fn run(args: &EvalArgs, color: ColorChoice) -> Exit {
    match run_inner(args, color) {
        Ok(exit) | Err(exit) => exit,
    }
}

fn run_inner(args: &EvalArgs, color: ColorChoice) -> Result<Exit, Exit> {
    let policy = args.policy.severities()?;
    let out = Emit {
        args,
        color,
        policy: &policy,
    };
    let mut findings = Report::new();
    let formula = read_formula(args).map_err(|unreadable| {
        let (source, d) = *unreadable;
        // A formula too large to read is F012 with status 1, as for an inline one.
        let exit = if d.code == Code::FormulaTooLarge {
            Exit::Findings
        } else {
            Exit::Usage
        };
        findings.add(source, [d]);
        out.emit(&mut findings, None, None);
        exit
    })?;
    let ctx = build_context(args, &mut findings);
    if findings.has_errors() {
        // An unreadable or bad context is an input error: report it and evaluate nothing.
        out.emit(&mut findings, None, None);
        return Ok(Exit::Usage);
    }

    let attr = resolve_attribute(args, &mut findings);
    key_findings(args, attr.as_ref(), &mut findings);
    let opts = CompileOptions {
        // A SAML attribute's value is Text.
        expected: args
            .expect_type
            .or(args.attribute.as_ref().map(|_| Type::Text)),
        blank_as_zero: args.blank_as_zero,
        schema: Some(ctx.schema().clone()),
        ..CompileOptions::default()
    };
    let compiled = Program::compile(&formula.text, &opts);
    let mut diagnostics = compiled.diagnostics;
    if let (Some(attr), Some(program)) = (&attr, &compiled.program) {
        let shape_opts = ShapeOptions {
            id_length: args.id_length,
            schema: Some(ctx.schema()),
        };
        diagnostics.extend(attribute_formula::check_formula(
            attr,
            program,
            args.profile,
            &shape_opts,
        ));
        diagnostics.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    }
    let formula_id = findings.add(formula, diagnostics);
    let program = match compiled.program {
        // A program exists only when the formula compiled; an attribute's static findings do
        // not stop evaluation, since the value shows what a user would get.
        Some(p) => p,
        None => {
            out.emit(&mut findings, None, None);
            return Ok(Exit::Findings);
        }
    };
    let static_type = type_name(program.result_type(), args.expect_type);
    if args.check_only {
        out.emit(&mut findings, None, static_type);
        return Ok(args.policy.exit(&findings));
    }
    match program.eval(&ctx) {
        Ok(value) => {
            let ty = value.type_of().map_or(static_type, |t| type_name(t, None));
            // A constant formula's value was checked statically, at the literals' own bytes.
            if let Some(attr) = attr.as_ref().filter(|_| !program.is_constant()) {
                // The value's own findings point into the value, shown as `<value>`.
                let text = value.to_output().unwrap_or_default();
                let found = rules::check_value(attr, &text, args.profile);
                findings.add(Source::option("<value>", text), found);
            }
            out.emit(&mut findings, Some(&value), ty);
            Ok(args.policy.exit(&findings))
        }
        Err(e) => {
            findings.push(formula_id, e.to_diagnostic());
            out.emit(&mut findings, None, static_type);
            // A limit of samlfx (F305, a warning) leaves no value but is no error of the
            // formula: like any warning it fails only under `--fail-on warning`; JSON says
            // `"value": null`.
            Ok(if e.code == Code::UnsupportedBySamlfx {
                args.policy.exit(&findings)
            } else {
                Exit::Findings
            })
        }
    }
}

/// The attribute `--attribute` names; a near miss is reported and its intended attribute used,
/// an unknown key under AWS's prefix is reported and checks nothing.
fn resolve_attribute(args: &EvalArgs, findings: &mut Report) -> Option<Attribute> {
    let arg = args.attribute.as_ref()?;
    match &arg.lookup {
        Lookup::Known(a) => Some(a.clone()),
        Lookup::NearMiss {
            intended,
            diagnostic,
        } => {
            findings.add(
                Source::option("--attribute", arg.key.clone()),
                [diagnostic.clone()],
            );
            Some(intended.clone())
        }
        Lookup::UnknownAws(d) => {
            findings.add(Source::option("--attribute", arg.key.clone()), [d.clone()]);
            None
        }
        Lookup::Other => None,
    }
}

/// The rules on the `--attribute` key itself (a session tag's key: A140, A141, A144), at the
/// key as given, and for a session tag the `sts:TagSession` reminder (A147). A near miss is
/// already reported and AWS would not read it: not checked.
fn key_findings(args: &EvalArgs, attr: Option<&Attribute>, findings: &mut Report) {
    let (Some(arg), Some(attr)) = (&args.attribute, attr) else {
        return;
    };
    if !matches!(arg.lookup, Lookup::Known(_)) {
        return;
    }
    let mut found = rules::check_key(attr, &arg.key, args.profile);
    if args.profile.aws_rules() {
        found.extend(rules::tag_session(attr));
    }
    if !found.is_empty() {
        findings.add(Source::option("--attribute", arg.key.clone()), found);
    }
}

/// The JSON `type` of a compiled formula. A formula whose static type is Null (`NULL`,
/// `IF(c, NULL, NULL)`) yields a blank value, which a SAML attribute carries as blank text: it
/// reports the `--expect-type` type if given, else Text, so `type` is null only when nothing compiled.
fn type_name(ty: Type, expected: Option<Type>) -> Option<&'static str> {
    Some(match ty {
        Type::Null => expected.unwrap_or(Type::Text).label(),
        t => t.label(),
    })
}

/// Where and how the diagnostics are written: the format, the colour and the severity policy.
struct Emit<'a> {
    args: &'a EvalArgs,
    color: ColorChoice,
    policy: &'a Severities,
}

impl Emit<'_> {
    /// Applies the severity policy, then writes the diagnostics and the value in the chosen
    /// format. The exit status is decided after, on the same report.
    fn emit(&self, findings: &mut Report, value: Option<&Value>, ty: Option<&'static str>) {
        findings.apply(self.policy);
        let (args, color) = (self.args, self.color);
        let items = findings.located();
        let text = value.and_then(Value::to_output);
        let format: Format = args.format.into();
        match format {
            Format::Human => {
                output::err(&render::human::render(&items, &color.human_options()));
                if let Some(t) = &text {
                    output::out(&format!("{t}\n"));
                }
            }
            Format::Json => {
                let obj = EvalJson {
                    version: render::json::VERSION,
                    value: text,
                    ty,
                    diagnostics: render::json::diagnostics(&items),
                    summary: render::Summary::of(items.iter().map(|i| i.diagnostic)),
                };
                let mut s = serde_json::to_string_pretty(&obj).expect("plain data serializes");
                s.push('\n');
                output::out(&s);
            }
            Format::Sarif => output::out(&render::sarif::render(&items)),
            Format::Github => {
                output::out(&render::github::render(&items));
                if let Some(t) = &text {
                    output::out(&format!("{t}\n"));
                }
            }
        }
    }
}
