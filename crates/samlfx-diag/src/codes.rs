//! The registry of diagnostic codes: one row per code, read by every stage, the renderers and
//! `samlfx explain`. Codes are stable: a code is never reused for another meaning.
//!
//! `F0xx` syntax, `F1xx` names and types, `F2xx` lints on a well-typed formula, `F3xx` runtime
//! errors, `F4xx` evaluation inputs (context files, `--set`, field declarations).

use super::Severity;

/// Everything `samlfx explain` says about one code.
#[derive(Debug)]
pub struct CodeInfo {
    pub code: Code,
    /// The code as printed, e.g. `F104`.
    pub id: &'static str,
    /// A kebab-case name that says what it is about.
    pub name: &'static str,
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Why it matters and how to fix it, a paragraph or two.
    pub explanation: &'static str,
    /// A formula (or input) that produces it.
    pub example: &'static str,
    /// The same example, fixed; empty when there is nothing to fix in a formula.
    pub fixed: &'static str,
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $name:literal, $sev:ident,
        summary: $summary:literal,
        explanation: $expl:literal,
        example: $example:literal,
        fixed: $fixed:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        /// The registry, in code order.
        pub static CODES: &[CodeInfo] = &[$(CodeInfo {
            code: Code::$variant,
            id: $id,
            name: $name,
            severity: Severity::$sev,
            summary: $summary,
            explanation: $expl,
            example: $example,
            fixed: $fixed,
        }),*];
    };
}

codes! {
    UnexpectedToken = "F001", "unexpected-token", Error,
        summary: "The parser found a token it cannot use here.",
        explanation: "A formula is one expression. Operators need an operand on each side, function arguments are separated by commas, and every opening parenthesis needs its closing one. Salesforce reports this as `Syntax error.  Found 'X'`.",
        example: "$User.Alias & & '@'",
        fixed: "$User.Alias & '@'";
    MissingToken = "F002", "missing-token", Error,
        summary: "A closing parenthesis or another required token is missing.",
        explanation: "Every `(` opened by a group or a function call must be closed by `)`. The label points at the parenthesis that was never closed. Salesforce reports this as `Syntax error.  Missing ')'`.",
        example: "LEFT($User.Alias, 3",
        fixed: "LEFT($User.Alias, 3)";
    ExtraInput = "F003", "extra-input", Error,
        summary: "The formula goes on after a complete expression.",
        explanation: "A formula is exactly one expression. Text after it, such as a second value or a stray `)`, is an error; Salesforce reports it as `Syntax error. Extra X`. To join two values, put `&` between them.",
        example: "$User.Alias '@'",
        fixed: "$User.Alias & '@'";
    UnterminatedString = "F004", "unterminated-string", Error,
        summary: "A text literal has no closing quote.",
        explanation: "Text literals start and end with the same quote, `'` or `\"`, on one line. A literal that runs to the end of the formula or of the line is missing its closing quote. The label points at the opening quote. When the unclosed literal holds a typographic quote (`'abc’`), that quote was most likely meant as the end, and samlfx reports F007 instead.",
        example: "'arn:aws:iam::123456789012:role/Voice",
        fixed: "'arn:aws:iam::123456789012:role/Voice'";
    UnterminatedComment = "F005", "unterminated-comment", Error,
        summary: "A `/*` comment is never closed with `*/`.",
        explanation: "Comments start with `/*` and end at the first `*/`; they do not nest. Everything after an unclosed `/*` is part of the comment, so the formula is incomplete.",
        example: "$User.Alias /* the login alias",
        fixed: "$User.Alias /* the login alias */";
    InvalidEscape = "F006", "invalid-escape", Error,
        summary: "A backslash in a text literal starts an escape Salesforce does not know.",
        explanation: "Inside a text literal a backslash must start one of the six escapes `\\\"`, `\\'`, `\\\\`, `\\n`, `\\r` or `\\t` (the last three in either case). `\\\"`, `\\'` and `\\\\` stand for the quote or backslash itself; `\\n`, `\\r` and `\\t` are kept as the two characters written, as Salesforce's formula engine does at run time. There is no `\\u` escape. Write a literal backslash as `\\\\`.",
        example: "'DOMAIN\\user'",
        fixed: "'DOMAIN\\\\user'";
    CurlyQuote = "F007", "curly-quote", Error,
        summary: "Typographic quotes (‘ ’ “ ”) are not string delimiters.",
        explanation: "Formulas copied from documents, chat or web pages often carry typographic quotes. Salesforce only accepts the straight quotes `'` and `\"` around text literals, so the formula does not parse. A curly quote that closes a straight one (`'abc’`) leaves the literal open to the end of the line; samlfx points at the curly quote. Replace each curly quote with a straight one.",
        example: "‘abc’ & $User.Alias",
        fixed: "'abc' & $User.Alias";
    InvalidCharacter = "F008", "invalid-character", Error,
        summary: "A character that cannot appear in a formula outside a text literal.",
        explanation: "Outside text literals a formula consists of field names, function names, numbers, operators (`+ - * / ^ & = == <> != < > <= >= && || !`), parentheses and commas. Anything else, such as `[`, `;` or a non-breaking space, is a syntax error. Invisible and control characters are named by code point (`U+202E`). A byte-order mark (U+FEFF) at the very start of a file is an encoding artefact and is skipped; anywhere else it is this error.",
        example: "$User.Alias; $User.Id",
        fixed: "$User.Alias & $User.Id";
    EmptyFormula = "F009", "empty-formula", Error,
        summary: "The formula is empty.",
        explanation: "A formula must contain one expression. An attribute whose value is empty sends nothing useful; give it a value or remove the attribute.",
        example: "",
        fixed: "$User.Alias";
    InvalidNumber = "F010", "invalid-number", Error,
        summary: "A number literal in a form Salesforce does not accept.",
        explanation: "Numbers are digits with an optional decimal part: `12`, `0.5`, `007`. There is no exponent (`1e5`), no leading dot (`.5`) and no trailing dot (`5.`).",
        example: "ROUND(1e3, 0)",
        fixed: "ROUND(1000, 0)";
    NestingTooDeep = "F011", "nesting-too-deep", Error,
        summary: "Parentheses, calls or prefix operators nest deeper, or an operator chain runs longer, than samlfx allows.",
        explanation: "samlfx bounds a formula's shape so that no input can take more than linear time or memory. Nesting - groups, function calls and prefix operators such as `-` and `NOT` - may go 3,900 levels deep (\"Formula nests deeper than 3900 levels\"). A flat operator chain such as `a & b & c & …` is not nesting; it has its own bound of 2,000 operators (\"Formula has an operator chain longer than 2000 operators\"). Both come from Salesforce's 3,900-character limit: a nesting level costs at least one character and an operator at least two, so every formula Salesforce accepts stays within both, however deep it nests (150 nested IFs, or `(((…1…)))` 1,949 deep, are fine). Only a generated or corrupted formula gets here; shorten it.",
        example: "((((((…1…))))))",
        fixed: "1";
    FormulaTooLarge = "F012", "formula-too-large", Error,
        summary: "The formula is larger than samlfx will read.",
        explanation: "samlfx refuses formulas above a hard size bound (1 MiB) so that no input can exhaust memory or time. Salesforce itself rejects formulas longer than 3,900 characters (see F201).",
        example: "a 2 MiB formula",
        fixed: "";
    DanglingOperator = "F013", "dangling-operator", Error,
        summary: "An operator at the end of the formula has nothing on its right.",
        explanation: "A binary operator such as `&` needs a value on both sides. A trailing `&` is usually left over after deleting the last part of a concatenation. Salesforce reports it as `Syntax error.  Found 'end of formula'`.",
        example: "$User.Alias & '@' &",
        fixed: "$User.Alias & '@'";
    UnknownFunction = "F101", "unknown-function", Error,
        summary: "A call to a function Salesforce does not have.",
        explanation: "Function names are case-insensitive but must name a Salesforce formula function. The help line suggests the closest known function. `samlfx explain` does not list functions; the README does.",
        example: "LOWERCASE($User.Alias)",
        fixed: "LOWER($User.Alias)";
    UnknownField = "F102", "unknown-field", Error,
        summary: "A field or merge field that does not exist.",
        explanation: "In a Connected App attribute formula only merge fields are available: `$User.*`, `$Organization.*`, `$Profile.*`, `$UserRole.*` and `$Permission.<name>`. Field names are case-insensitive. There is no record context, so a bare field name such as `Alias` does not exist; write `$User.Alias`. A custom field such as `$User.AWS_Role__c` is not in the catalog: it exists once declared, with `--field '$User.AWS_Role__c:Text:255'` or in a context file's `schema` (or once a value for it is given).",
        example: "$User.Allias",
        fixed: "$User.Alias";
    WrongArgumentCount = "F103", "wrong-argument-count", Error,
        summary: "A function is called with the wrong number of parameters.",
        explanation: "Each function takes a fixed number or range of parameters. IF takes exactly three: the condition, the value when true and the value when false. CASE takes an expression, pairs of value and result, and a final else result, so its count is even and at least four.",
        example: "IF(ISBLANK($User.FederationIdentifier), $User.Username)",
        fixed: "IF(ISBLANK($User.FederationIdentifier), $User.Username, $User.FederationIdentifier)";
    WrongArgumentType = "F104", "wrong-argument-type", Error,
        summary: "A parameter or operand has the wrong data type.",
        explanation: "Salesforce converts nothing implicitly. `&` joins Text only: wrap a Number in TEXT(), and a Text in VALUE() to do arithmetic. IF's two branches must have the same type. ISPICKVAL's value, and CASE's values after a picklist, must be text literals (`Expected Text Literal`).",
        example: "$User.Alias & 1",
        fixed: "$User.Alias & '1'";
    IllegalArgumentType = "F105", "illegal-argument-type", Error,
        summary: "A function does not accept an argument of this type at all.",
        explanation: "Some functions refuse a type outright: CASE takes no Boolean expression, values or results (return 1 and 0 and compare instead), and ISBLANK, ISNULL and BLANKVALUE take no Boolean.",
        example: "CASE($User.IsActive, true, 'a', 'b')",
        fixed: "IF($User.IsActive, 'a', 'b')";
    WrongResultType = "F106", "wrong-result-type", Error,
        summary: "The formula's result has a different type from the one expected.",
        explanation: "A SAML attribute value is Text, so an attribute formula must produce Text. Wrap a Number, Date or DateTime in TEXT(); for a Boolean use IF(b, 'true', 'false').",
        example: "$User.IsActive",
        fixed: "IF($User.IsActive, 'true', 'false')";
    PicklistField = "F107", "picklist-field", Error,
        summary: "A picklist field used outside TEXT(), ISPICKVAL() or CASE().",
        explanation: "Picklist fields such as `$User.LanguageLocaleKey` have no value of their own in a formula. Read their API value with TEXT(field), or test it with ISPICKVAL(field, 'value') or CASE(field, …).",
        example: "$User.LanguageLocaleKey & '-x'",
        fixed: "TEXT($User.LanguageLocaleKey) & '-x'";
    FormulaTooLong = "F201", "formula-too-long", Warning,
        summary: "The formula is longer than Salesforce's 3,900-character limit.",
        explanation: "Salesforce rejects formulas longer than 3,900 characters when they are saved. samlfx still checks and evaluates the formula, but the deploy would fail.",
        example: "a 4,000-character formula",
        fixed: "";
    PlaceholderInLiteral = "F202", "placeholder-in-literal", Warning,
        summary: "A text literal still contains a placeholder such as `<ContactCenterName>`.",
        explanation: "Setup guides write the values you must fill in as `<ContactCenterName>` or `{SalesforceVoiceIdp ARN}`. A literal that still holds one was pasted without being filled in: AWS will reject the assertion because the ARN does not exist.",
        example: "'arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole'",
        fixed: "'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole'";
    InvalidRegex = "F203", "invalid-regex", Error,
        summary: "REGEX() is given a text literal that is not a valid regular expression.",
        explanation: "REGEX(text, pattern) uses Java's regular-expression syntax. Salesforce saves a formula whose pattern does not compile, but every evaluation of that REGEX call then fails, and with it the sign-in; samlfx reports it as an error when the pattern is a text literal, instead of waiting for run time (F304). Escape special characters such as `(`, `.` or `+` with a backslash, written `\\\\` inside a formula string. A pattern built at run time is still checked only when it is evaluated.",
        example: "REGEX($User.Alias, '[a-z')",
        fixed: "REGEX($User.Alias, '[a-z]+')";
    InvisibleCharacter = "F204", "invisible-character-in-literal", Warning,
        summary: "A text literal contains an invisible character or a non-ASCII space.",
        explanation: "Text pasted from documents, chat or web pages can carry characters that look like nothing or like an ordinary space: a zero-width space (U+200B), a no-break space (U+00A0), a bidirectional control. They are kept in the value, so an ARN or a name that looks right is sent with them and AWS rejects it. The label points at the character and the help names its code point; delete it, or type an ordinary space instead.",
        example: "'arn:aws:iam::123456789012:role/Voice\u{200B}'",
        fixed: "'arn:aws:iam::123456789012:role/Voice'";
    DivisionByZero = "F301", "division-by-zero", Error,
        summary: "A division or MOD by zero.",
        explanation: "Salesforce shows `#Error!` for a division by zero; in an attribute formula the sign-in fails. Guard the divisor with IF(divisor = 0, …, …).",
        example: "1 / 0",
        fixed: "IF(0 = 0, 0, 1 / 0)";
    InvalidValue = "F302", "invalid-value", Error,
        summary: "A function received a value it cannot convert, such as VALUE('abc').",
        explanation: "VALUE, DATEVALUE, DATETIMEVALUE and TIMEVALUE fail at run time when their text is not a number, date or time: DATEVALUE takes `YYYY-MM-DD`, DATETIMEVALUE `YYYY-MM-DD HH:MM:SS`, TIMEVALUE `HH:MM:SS.mmm`, and a day that does not exist (February 30) is refused. Check the input with ISNUMBER or REGEX first, or supply a default with IF.",
        example: "VALUE('12a')",
        fixed: "IF(ISNUMBER('12a'), VALUE('12a'), 0)";
    OutOfRange = "F303", "out-of-range", Error,
        summary: "A result or argument outside the range Salesforce allows.",
        explanation: "DATE() and DATEVALUE() take the years 1 to 9999, as Salesforce's formula engine does (another year is F302, not this code); Salesforce's documentation gives 1700 to 4000 for date fields, which formulas are not held to and samlfx does not enforce. Date arithmetic fails at run time when it moves a date by more than 5,000,000 days, or ADDMONTHS by more than 120,000 months. Powers whose result exceeds 10^64, texts longer than 131,072 characters (from SUBSTITUTE, LPAD, the encoders or `&`) and other out-of-range arguments fail at run time. samlfx measures a text before it builds it, so such a formula fails quickly instead of exhausting memory.",
        example: "10 ^ 100",
        fixed: "10 ^ 10";
    EvaluationError = "F304", "evaluation-error", Error,
        summary: "The formula failed while it was evaluated.",
        explanation: "An error other than the specific ones above happened at run time. For REGEX() it is either a pattern built at run time that does not compile (a text-literal pattern is reported when the formula is checked, as F203), or a pattern that uses a Java regular-expression feature samlfx cannot evaluate: lookaround `(?=…)` `(?!…)`, backreferences `\\1`, possessive quantifiers `*+`, atomic groups `(?>…)`, `\\G`, `\\R`, `\\X`, the `(?U)` flag. Salesforce evaluates those, so samlfx says it cannot rather than guess; rewrite the pattern without the feature or test the attribute in Salesforce. The message says which.",
        example: "REGEX($User.Alias, '(?!admin).*')",
        fixed: "NOT(BEGINS($User.Alias, 'admin'))";
    UnknownContextField = "F401", "unknown-context-field", Error,
        summary: "A context value names a field samlfx does not know.",
        explanation: "Values given with `--context` or `--set` must name merge fields from the catalog (`$User.Alias`, `$Organization.Id`, …), `$Permission.<name>`, or record fields declared under `fields`. A misspelt name would otherwise be silently ignored.",
        example: "--set '$User.Allias=jdoe'",
        fixed: "--set '$User.Alias=jdoe'";
    InvalidContextValue = "F402", "invalid-context-value", Error,
        summary: "A context value does not fit its field's type.",
        explanation: "Context values are strings (or JSON booleans and numbers) converted to the field's type, for a custom field the declared one (`--field`, a context's `schema`) whatever the JSON kind: a Number field needs a decimal, a Date field `YYYY-MM-DD`, a DateTime `YYYY-MM-DDTHH:MM:SSZ`, a Boolean `true` or `false`. A Text field takes a JSON string no longer than the catalog or its declaration allows (`Alias` holds 8 characters, a custom field declared `Text:64` 64), an Id field 15 letters and digits or 18 with a correct CASESAFEID checksum, and a query result exactly one record.",
        example: "--set '$User.IsActive=maybe'",
        fixed: "--set '$User.IsActive=true'";
    UnreadableInput = "F403", "unreadable-input", Error,
        summary: "A file named on the command line cannot be read.",
        explanation: "The formula file (`--file`), the context file (`--context`) or standard input could not be read: the path does not exist, is a directory, is not readable, or is not UTF-8 text. samlfx exits with status 2, the status for usage and input errors.",
        example: "--file missing.formula",
        fixed: "--file examples/role.formula";
    InvalidFieldDeclaration = "F404", "invalid-field-declaration", Error,
        summary: "A field declaration is malformed, or declares a field twice.",
        explanation: "Custom fields (`$User.AWS_Role__c`) and record fields are not in the catalog, so their types come from a declaration: `--field NAME:TYPE[:MAXLEN]` or the `schema` section of a context file. The name must be a custom field of `$User`, `$Organization`, `$Profile` or `$UserRole` (ending in `__c`) or a record field name; standard fields and `$Permission` take their types from the catalog. The type is one of Text, Number, Currency, Percent, Boolean, Date, DateTime, Time or Picklist, and only a Text field has a length, 1 to 255 characters as in Setup (formulas cannot read Long Text Area fields). A field may be declared again only exactly as before; two declarations that differ, even only in the case of the name, are refused. samlfx exits with status 2.",
        example: "--field '$User.AWS_Role__c:Text:300'",
        fixed: "--field '$User.AWS_Role__c:Text:255'";
}

impl Code {
    pub fn info(self) -> &'static CodeInfo {
        // The table is in declaration order, so the discriminant is the index.
        &CODES[self as usize]
    }

    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    /// Looks a code up by its id (`F104`) or its name (`wrong-argument-type`), ignoring case.
    pub fn parse(s: &str) -> Option<Code> {
        CODES
            .iter()
            .find(|c| c.id.eq_ignore_ascii_case(s) || c.name.eq_ignore_ascii_case(s))
            .map(|c| c.code)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_declaration_order_and_ids_are_unique() {
        for (i, info) in CODES.iter().enumerate() {
            assert_eq!(info.code as usize, i, "{}", info.id);
            assert_eq!(Code::parse(info.id), Some(info.code));
            assert_eq!(Code::parse(info.name), Some(info.code));
        }
        let ids: Vec<_> = CODES.iter().map(|c| c.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        // In code order and unique, so `explain --list`, the README and SARIF read in order.
        assert_eq!(ids, sorted);
    }
}
