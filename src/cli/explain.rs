//! `samlfx explain`: the registry entry of a diagnostic code, or the catalog entry of a function
//! (`LEFT`) or merge field (`$User.Alias`); `--list`, `--functions` and `--fields` list them all.
//! Everything printed comes from the tables the checker and evaluator use.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::output::{self, Exit};
use samlfx_diag::codes::{CODES, CodeInfo};
use samlfx_diag::{Code, suggest};
use samlfx_formula::catalog::fields::{self, FIELDS, FieldSpec, Format};
use samlfx_formula::catalog::functions::{self, Category, FUNCTIONS, FunctionSpec};
use samlfx_formula::runtime::IdLength;
use samlfx_formula::shape::CharSet;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code id (`F104`) or name (`wrong-argument-type`), a function (`LEFT`) or a merge field
    /// (`$User.Alias`), case-insensitive.
    #[arg(required_unless_present_any = ["list", "functions", "fields"])]
    pub code: Option<String>,
    /// List every diagnostic code with its one-line summary.
    #[arg(long, conflicts_with_all = ["code", "functions", "fields"])]
    pub list: bool,
    /// List every function of the catalog with its signature.
    #[arg(long, conflicts_with_all = ["code", "fields"])]
    pub functions: bool,
    /// List every merge field of the catalog with its type and shape.
    #[arg(long, conflicts_with = "code")]
    pub fields: bool,
    /// `json` prints the same fields as an object (an array with --list).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text.
    Human,
    /// A JSON object.
    Json,
}

/// The JSON form of one registry entry.
#[derive(Serialize)]
struct CodeJson {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    explanation: &'static str,
    example: &'static str,
    fixed: &'static str,
}

impl From<&'static CodeInfo> for CodeJson {
    fn from(c: &'static CodeInfo) -> Self {
        CodeJson {
            code: c.id,
            name: c.name,
            severity: c.severity.as_str(),
            summary: c.summary,
            explanation: c.explanation,
            example: c.example,
            fixed: c.fixed,
        }
    }
}

/// The JSON form of one function.
#[derive(Serialize)]
struct FunctionJson {
    function: &'static str,
    category: &'static str,
    signature: &'static str,
    doc: &'static str,
}

impl From<&'static FunctionSpec> for FunctionJson {
    fn from(f: &'static FunctionSpec) -> Self {
        FunctionJson {
            function: f.name,
            category: category_name(f.category),
            signature: f.signature,
            doc: f.doc,
        }
    }
}

/// The JSON form of one merge field.
#[derive(Serialize)]
struct FieldJson {
    field: String,
    #[serde(rename = "type")]
    ty: &'static str,
    shape: String,
    doc: &'static str,
}

impl From<&'static FieldSpec> for FieldJson {
    fn from(f: &'static FieldSpec) -> Self {
        FieldJson {
            field: f.full_name(),
            ty: f.ty.label(),
            shape: shape(f),
            doc: f.doc,
        }
    }
}

fn category_name(c: Category) -> &'static str {
    match c {
        Category::Logical => "logical",
        Category::Text => "text",
        Category::Math => "math",
        Category::DateTime => "date and time",
    }
}

/// A field's value shape in words: its length under each `--id-length`, its characters, its
/// format and whether it may be blank: `1–8 characters, any, required`.
fn shape(f: &FieldSpec) -> String {
    if let Some(v) = &f.constant {
        return format!("the constant {}", v.to_output().unwrap_or_default());
    }
    let s = f.shape;
    let mut parts = Vec::new();
    if s.format != Format::NotText {
        let (short, long) = (f.shape(IdLength::Fifteen), f.shape(IdLength::Eighteen));
        let mut len = length_words(short.min_len, short.max_len);
        if long != short {
            let _ = write!(
                len,
                " ({} with --id-length 18)",
                length_words(long.min_len, long.max_len).trim_end_matches(" characters")
            );
        }
        parts.push(len);
        parts.push(charset_words(s.chars));
        if s.format == Format::Email {
            parts.push("e-mail format".to_owned());
        }
    }
    parts.push(
        if s.nullable {
            "may be blank"
        } else {
            "required"
        }
        .to_owned(),
    );
    parts.join(", ")
}

/// `15 characters`, `up to 40 characters`, `1–8 characters`.
fn length_words(min: u16, max: u16) -> String {
    if min == max {
        format!("{max} characters")
    } else if min == 0 {
        format!("up to {max} characters")
    } else {
        format!("{min}–{max} characters")
    }
}

/// A character set in words (`any`, `letters and digits`), or as a bracket class of its ASCII
/// characters (`[A-Za-z0-9_]`) with `or non-ASCII` when it holds more.
fn charset_words(set: CharSet) -> String {
    let named = [
        (CharSet::ANY, "any"),
        (CharSet::ASCII, "any ASCII"),
        (
            CharSet::PRINTABLE.with_non_ascii(),
            "printable ASCII or non-ASCII",
        ),
        (CharSet::PRINTABLE, "printable ASCII"),
        (CharSet::ALNUM, "letters and digits"),
        (CharSet::LETTERS, "letters"),
        (CharSet::DIGITS, "digits"),
        (
            CharSet::LETTERS.union(CharSet::of_bytes(b" ")),
            "letters and spaces",
        ),
    ];
    if let Some((_, words)) = named.iter().find(|(s, _)| *s == set) {
        return (*words).to_owned();
    }
    let ascii = set.intersection(CharSet::ASCII);
    let mut class = String::from("[");
    let mut rest = ascii;
    for range in [CharSet::UPPER, CharSet::LOWER, CharSet::DIGITS] {
        if range.is_subset_of(rest) {
            let mut cs = range.ascii_chars();
            let (first, last) = (cs.next(), cs.last());
            if let (Some(a), Some(b)) = (first, last) {
                let _ = write!(class, "{a}-{b}");
            }
            rest = rest.minus(range);
        }
    }
    // `-` last so it reads as itself; `\\`, `]` and `^` escaped.
    let hyphen = rest.contains('-');
    for c in rest.ascii_chars().filter(|&c| c != '-') {
        match c {
            '\\' | ']' | '^' => {
                class.push('\\');
                class.push(c);
            }
            c if c.is_ascii_control() => {
                let _ = write!(class, "\\x{:02X}", c as u32);
            }
            c => class.push(c),
        }
    }
    if hyphen {
        class.push('-');
    }
    class.push(']');
    match (ascii.is_empty(), set.has_non_ascii()) {
        (true, true) => "non-ASCII".to_owned(),
        (true, false) => "none".to_owned(),
        (false, true) => format!("{class} or non-ASCII"),
        (false, false) => class,
    }
}

fn print<J: Serialize>(format: ExplainFormat, human: impl FnOnce() -> String, json: J) -> Exit {
    match format {
        ExplainFormat::Json => output::out(&to_json(&json)),
        ExplainFormat::Human => output::out(&human()),
    }
    Exit::Ok
}

pub fn run(args: &ExplainArgs) -> Exit {
    if args.list {
        let all: Vec<CodeJson> = CODES.iter().map(CodeJson::from).collect();
        return print(args.format, list, all);
    }
    if args.functions {
        let mut all: Vec<FunctionJson> = FUNCTIONS.iter().map(FunctionJson::from).collect();
        all.extend(
            functions::UNSUPPORTED
                .iter()
                .map(|(name, why)| FunctionJson {
                    function: name,
                    category: "unsupported",
                    signature: name,
                    doc: why,
                }),
        );
        return print(args.format, list_functions, all);
    }
    if args.fields {
        let all: Vec<FieldJson> = FIELDS.iter().map(FieldJson::from).collect();
        return print(args.format, list_fields, all);
    }
    let query = args.code.as_deref().unwrap_or_default().trim();
    if let Some(f) = functions::lookup(query.trim_end_matches("()")) {
        return print(args.format, || explain_function(f), FunctionJson::from(f));
    }
    if let Some(why) = functions::unsupported(query.trim_end_matches("()")) {
        let name = query.trim_end_matches("()").to_ascii_uppercase();
        let text = format!("{name}: not available in a Connected App formula\n    {name} {why}\n");
        let json = FunctionJson {
            function: functions::UNSUPPORTED
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                .map_or("", |(n, _)| n),
            category: "unsupported",
            signature: "",
            doc: why,
        };
        return print(args.format, || text.clone(), json);
    }
    if let Some((_, f)) = fields::lookup(query) {
        return print(args.format, || explain_field(f), FieldJson::from(f));
    }
    let Some(code) = Code::parse(query) else {
        let near = near_matches(query);
        let mut msg = format!("unknown diagnostic code, function or merge field '{query}'");
        if !near.is_empty() {
            let _ = write!(msg, "\n  did you mean: {}", near.join(", "));
        }
        msg.push_str(
            "\n  `samlfx explain --list`, `--functions` and `--fields` list what is known",
        );
        return output::usage_error(&msg);
    };
    let info = code.info();
    match args.format {
        ExplainFormat::Json => output::out(&to_json(&CodeJson::from(info))),
        ExplainFormat::Human => output::out(&explain(info)),
    }
    Exit::Ok
}

fn to_json(v: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("plain data serializes");
    s.push('\n');
    s
}

/// The human explanation of one code.
pub fn explain(c: &CodeInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {} ({})", c.id, c.name, c.severity.as_str());
    let _ = writeln!(out, "\n{}\n", c.summary);
    let _ = writeln!(out, "{}\n", c.explanation);
    let _ = writeln!(out, "Example:\n{}", indented(display_example(c.example)));
    if !c.fixed.is_empty() {
        let _ = writeln!(out, "Fixed:\n{}", indented(c.fixed));
    }
    out
}

/// Every line of an example indented, so a multi-line file (TOML, XML) reads as one block.
fn indented(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn display_example(example: &str) -> &str {
    if example.is_empty() {
        "(an empty formula)"
    } else {
        example
    }
}

/// The human entry of one function: signature and documentation.
pub fn explain_function(f: &FunctionSpec) -> String {
    format!(
        "{} ({} function)\n\n    {}\n\n{}\n",
        f.name,
        category_name(f.category),
        f.signature,
        f.doc
    )
}

/// The human entry of one merge field: type, shape and documentation.
pub fn explain_field(f: &'static FieldSpec) -> String {
    format!(
        "{} ({}, {})\n\n{}\n",
        f.full_name(),
        f.ty.label(),
        shape(f),
        f.doc
    )
}

/// One line per function: signature, then its documentation indented.
pub fn list_functions() -> String {
    let mut out = String::new();
    for f in FUNCTIONS {
        let _ = writeln!(out, "{}\n    {}", f.signature, f.doc);
    }
    let _ = writeln!(
        out,
        "\nNot available in a Connected App formula (refused with F101):"
    );
    for (name, why) in functions::UNSUPPORTED {
        let _ = writeln!(out, "{name}\n    {why}");
    }
    out
}

/// One line per merge field: name, type, shape.
pub fn list_fields() -> String {
    let width = FIELDS
        .iter()
        .map(|f| f.full_name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for f in FIELDS {
        let _ = writeln!(
            out,
            "{:width$}  {:8}  {}",
            f.full_name(),
            f.ty.label(),
            shape(f)
        );
    }
    out
}

/// One line per code: id, name, severity, summary.
pub fn list() -> String {
    let width = CODES.iter().map(|c| c.name.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in CODES {
        let _ = writeln!(
            out,
            "{}  {:width$}  {:7}  {}",
            c.id,
            c.name,
            c.severity.as_str(),
            c.summary
        );
    }
    out
}

/// Codes whose id or name is close to the query (edit distance, or the query as a substring).
/// Known codes, functions and merge fields close to an unknown query, closest first.
fn near_matches(query: &str) -> Vec<String> {
    let fields: Vec<String> = FIELDS.iter().map(FieldSpec::full_name).collect();
    let codes = CODES.iter().flat_map(|c| [c.id, c.name]);
    let names = codes
        .chain(FUNCTIONS.iter().map(|f| f.name))
        .chain(fields.iter().map(String::as_str));
    let mut near: Vec<String> = Vec::new();
    for n in suggest::ranked(query, names) {
        if !near.iter().any(|m| m == n) && near.len() < 3 {
            near.push(n.to_string());
        }
    }
    near
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_matches_find_typos_and_fragments() {
        assert_eq!(near_matches("F10A")[0], "F101");
        assert!(near_matches("wrong-argument-typ").contains(&"wrong-argument-type".into()));
        assert!(near_matches("curly").contains(&"curly-quote".into()));
        assert_eq!(near_matches("LEFTT")[0], "LEFT");
        assert_eq!(near_matches("$User.Allias")[0], "$User.Alias");
        assert!(near_matches("zzzzzzzzzz").is_empty());
    }

    #[test]
    fn attribute_rule_codes_explain_with_aws_wording() {
        let text = explain(Code::parse("A121").unwrap().info());
        assert!(text.starts_with("A121 role-session-name-characters (error)\n"));
        assert!(
            text.contains(
                "\"RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}\""
            )
        );
        assert!(text.contains("Example:\n    RoleSessionName=john smith\n"));
        assert_eq!(
            Code::parse("connect-username-characters").map(|c| c.as_str()),
            Some("A200")
        );
        assert!(
            near_matches("role-session-name-lenght").contains(&"role-session-name-length".into())
        );
    }

    #[test]
    fn explanation_names_code_and_fix() {
        let text = explain(Code::WrongArgumentType.info());
        assert!(text.starts_with("F104 wrong-argument-type (error)\n"));
        assert!(text.contains("Fixed:\n    $User.Alias & '1'"));
    }

    #[test]
    fn shapes_read_as_words() {
        assert_eq!(charset_words(CharSet::ANY), "any");
        assert_eq!(charset_words(CharSet::ALNUM), "letters and digits");
        assert_eq!(
            charset_words(CharSet::ALNUM.union(CharSet::of_bytes(b"-_/"))),
            "[A-Za-z0-9/_-]"
        );
        assert_eq!(
            charset_words(CharSet::of_bytes(b"a^]\\").with_non_ascii()),
            "[\\\\\\]\\^a] or non-ASCII"
        );
        assert_eq!(charset_words(CharSet::EMPTY.with_non_ascii()), "non-ASCII");
        assert_eq!(length_words(0, 40), "up to 40 characters");
        assert_eq!(length_words(15, 15), "15 characters");
        let (_, alias) = fields::lookup("$User.Alias").unwrap();
        assert_eq!(shape(alias), "1–8 characters, any, required");
        let (_, id) = fields::lookup("$User.Id").unwrap();
        assert_eq!(
            shape(id),
            "15 characters (18 with --id-length 18), letters and digits, required"
        );
        let (_, role) = fields::lookup("$UserRole.Id").unwrap();
        assert_eq!(
            shape(role),
            "up to 15 characters (up to 18 with --id-length 18), letters and digits, may be blank"
        );
    }
}
