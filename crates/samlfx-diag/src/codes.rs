//! The registry of diagnostic codes: one row per code, read by every stage, the renderers and
//! `samlfx explain`. Codes are stable: a code is never reused for another meaning.
//!
//! `F0xx` syntax, `F1xx` names and types, `F2xx` lints on a well-typed formula, `F3xx` runtime
//! errors and samlfx's own limits (F305, a warning), `F4xx` evaluation inputs (context files, `--set`, field
//! declarations); `A0xx` ARNs (`A001`–`A049`),
//! `A100`–`A199` the AWS SAML attribute rules, `A200`–`A249` the Amazon Connect (Service Cloud
//! Voice) profile; `C0xx` app files (reading samlfx.toml, ConnectedApp, External Client App and
//! contact-center XML, and searching a directory for them); `U0xx` user exports read by
//! `samlfx audit`; `S030`–`S049` the keys, certificates and other inputs `samlfx simulate` signs
//! with. The table lists the formula codes first, then the AWS codes, then the app-file codes,
//! then the user-export codes, then the signing codes, each family in number order.
//!
//! Examples of `A1xx`/`A2xx` codes are attribute values written `Name=value` (several values
//! `Name=a | b`, several attributes `Name=a; Other=b`; `A2xx` under `--profile amazon-connect`),
//! or an attribute key alone, so that a test can run them. Examples of `C0xx` codes are the text
//! of an app file (XML read as a ConnectedApp, anything else as samlfx.toml), a path, or a
//! description of an input the test generates.

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
        summary: "A call to a function Salesforce does not have, or one a Connected App formula may not use.",
        explanation: "Function names are case-insensitive but must name a Salesforce formula function. The help line suggests the closest known function; `samlfx explain --functions` lists them all. Functions of Salesforce's reference that need a record, a report or a page (ISCHANGED, PRIORVALUE, VLOOKUP, URLFOR, GETSESSIONID…) are refused as Salesforce refuses them in this kind of formula, `Function ISCHANGED may not be used in this type of formula`, with the reason as help; the same list ends `samlfx explain --functions`.",
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
    InvalidArgumentValue = "F108", "invalid-argument-value", Error,
        summary: "A literal argument has a value the function refuses: a DISTANCE unit other than 'mi' or 'km', a GEOLOCATION coordinate out of range.",
        explanation: "Some functions check their literal arguments when the formula is saved. DISTANCE(location1, location2, unit) measures in miles ('mi') or kilometres ('km') only, and GEOLOCATION(latitude, longitude) takes a latitude between -90 and 90 and a longitude between -180 and 180. Salesforce refuses the formula with `Incorrect parameter value for function 'DISTANCE()'. Expected 'mi'/'km', received …` or `Incorrect parameter for function 'GEOLOCATION()'.`. A value computed at run time is checked when it is evaluated (F302, F303).",
        example: "DISTANCE(GEOLOCATION(37.79, -122.4), GEOLOCATION(33.37, -122.62), 'miles')",
        fixed: "DISTANCE(GEOLOCATION(37.79, -122.4), GEOLOCATION(33.37, -122.62), 'mi')";
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
        explanation: "VALUE, DATEVALUE, DATETIMEVALUE and TIMEVALUE fail at run time when their text is not a number, date or time: DATEVALUE takes `YYYY-MM-DD`, DATETIMEVALUE `YYYY-MM-DD HH:MM:SS`, TIMEVALUE `HH:MM:SS.mmm`, and a day that does not exist (February 30) is refused. JSONVALUE fails on text that is not JSON (JSONPATHVALUE gives null instead), and DISTANCE on a unit other than `mi` or `km`, exactly in lower case. Check the input with ISNUMBER or REGEX first, or supply a default with IF.",
        example: "VALUE('12a')",
        fixed: "IF(ISNUMBER('12a'), VALUE('12a'), 0)";
    OutOfRange = "F303", "out-of-range", Error,
        summary: "A result or argument outside the range Salesforce allows.",
        explanation: "DATE() and DATEVALUE() take the years 1 to 9999, as Salesforce's formula engine does (another year is F302, not this code); Salesforce's documentation gives 1700 to 4000 for date fields, which formulas are not held to and samlfx does not enforce. Date arithmetic fails at run time when it moves a date by more than 5,000,000 days, or ADDMONTHS by more than 120,000 months. GEOLOCATION() takes a latitude within -90..90 and a longitude within -180..180, FORMATCURRENCY() an amount whose whole part fits in 64 bits, and samlfx reads at most 131,072 characters of JSON (JSONVALUE, JSONPATHVALUE) and a JSONPath of at most 1,024 characters that matches at most 100,000 values. Powers whose result exceeds 10^64, texts longer than 131,072 characters (from SUBSTITUTE, LPAD, the encoders or `&`) and other out-of-range arguments fail at run time. samlfx measures a text before it builds it, so such a formula fails quickly instead of exhausting memory.",
        example: "10 ^ 100",
        fixed: "10 ^ 10";
    EvaluationError = "F304", "evaluation-error", Error,
        summary: "The formula failed while it was evaluated.",
        explanation: "An error other than the specific ones above happened at run time: GEOLOCATION() with one coordinate null and the other not. For REGEX() it is a pattern built at run time that does not compile (a text-literal pattern is reported when the formula is checked, as F203), or one beyond samlfx's bound on a pattern's compiled size or nesting. A pattern that uses a Java feature samlfx cannot evaluate is not an error of the formula: that is F305.",
        example: "REGEX($User.Title, '(' & $User.Department)",
        fixed: "REGEX($User.Title, '\\\\(' & $User.Department)";
    UnsupportedBySamlfx = "F305", "unsupported-by-samlfx", Warning,
        summary: "samlfx cannot evaluate this construct, which Salesforce accepts.",
        explanation: "This is a limit of samlfx, not an error in the formula: Salesforce saves and evaluates it. Today it is REGEX() with a Java regular-expression feature samlfx's engine lacks: lookaround `(?=…)` `(?!…)` `(?<=…)`, backreferences `\\1` `\\k<name>`, possessive quantifiers `*+`, atomic groups `(?>…)`, `\\G`, `\\Z`, `\\R`, `\\X`, `\\h`, Java's block properties `\\p{InGreek}`, the `(?d)` and `(?U)` flags. It is also JSONPATHVALUE() with a JSONPath filter `[?(…)]`, a path function such as `.length()` or several names in one bracket, and JSON nested deeper than 128 levels (serde_json's recursion limit; Salesforce reads deeper). When the pattern is a text literal, checking the formula warns at the feature's bytes. Evaluating it yields no value: the warning points at the pattern, IFERROR does not hide it (Salesforce raises no error there), `samlfx eval` prints no value (`\"value\": null` in JSON) and, as for any warning, exits with status 0. To have samlfx evaluate the formula, rewrite the pattern without the feature (a lookahead that excludes a prefix is often a NOT(BEGINS(…))); otherwise ignore this warning and test the attribute in Salesforce.",
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
    // A0xx: ARNs
    MalformedArn = "A001", "malformed-arn", Error,
        summary: "The text is not an ARN: it is empty, does not begin with `arn:`, or has fewer than six components.",
        explanation: "An ARN is six components separated by colons: `arn:partition:service:region:account:resource`. An empty region or account keeps its colons, so an IAM role ARN has two colons after `iam` (`arn:aws:iam::123456789012:role/Name`); a colon dropped there is the most common way to lose a component. The prefix is `arn` in lower case: AWS compares ARNs exactly. The resource may itself contain colons, so a sixth component is never missing once five colons are there.",
        example: "arn:aws:iam:123456789012:role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    WhitespaceInArn = "A002", "whitespace-in-arn", Error,
        summary: "An ARN has whitespace inside it.",
        explanation: "No component of an ARN can hold whitespace: role and provider names, account IDs, partitions and regions are all written without it. An ARN with a space, a tab, a line break or a no-break space inside names nothing, and AWS refuses the sign-in (`Not authorized to perform sts:AssumeRoleWithSAML` or `Specified provider doesn't exist.`). Such whitespace usually comes from copying a wrapped line or a document. The label points at it; delete it. The other ARN checks skip whitespace, so it is reported once.",
        example: "arn:aws:iam::123456789012:role/Voice Agent",
        fixed: "arn:aws:iam::123456789012:role/VoiceAgent";
    WhitespaceAroundArn = "A003", "whitespace-around-arn", Warning,
        summary: "An ARN has whitespace before or after it.",
        explanation: "The console is reported to accept a space after the comma of a SAML Role value, but whether AWS trims other whitespace around an ARN (a leading space, a trailing line break) is not confirmed, and several tools that read the assertion, such as CLI sign-in helpers, break on it. samlfx checks the ARN without the whitespace and warns; remove it to be safe.",
        example: " arn:aws:iam::123456789012:role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    UnknownPartition = "A004", "unknown-partition", Error,
        summary: "The partition is not one of AWS's partitions.",
        explanation: "The second component names the AWS partition: `aws` for the commercial regions, `aws-cn` for China, `aws-us-gov` for GovCloud (US), `aws-iso`, `aws-iso-b`, `aws-iso-e` and `aws-iso-f` for the isolated regions, and `aws-eusc` for the European Sovereign Cloud. Partitions are lower case. A role and its SAML provider are always in the same partition, the one of the account.",
        example: "arn:aws-gov:iam::123456789012:role/Agent",
        fixed: "arn:aws-us-gov:iam::123456789012:role/Agent";
    InvalidService = "A005", "invalid-service", Error,
        summary: "The service is empty or not lower case.",
        explanation: "The third component names the AWS service, in lower-case letters, digits and hyphens: `iam` for roles and SAML providers, `sts` for assumed roles, `connect` for Amazon Connect. AWS compares ARNs exactly, so `IAM` names no service.",
        example: "arn:aws:IAM::123456789012:role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    InvalidRegion = "A006", "invalid-region", Error,
        summary: "The region does not belong to the ARN's partition, or an Amazon Connect ARN has none.",
        explanation: "A region belongs to one partition: `us-east-1` to `aws`, `cn-north-1` to `aws-cn`, `us-gov-west-1` to `aws-us-gov`, and so on (samlfx uses the region patterns of AWS's SDK endpoint data). An ARN that pairs a partition with a region of another names nothing. Amazon Connect ARNs always name the instance's region.",
        example: "arn:aws:connect:cn-north-1:123456789012:instance/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        fixed: "arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    UnexpectedRegion = "A007", "unexpected-region", Error,
        summary: "An IAM or STS ARN names a region; IAM is global and its ARNs keep the region empty.",
        explanation: "IAM roles and SAML providers belong to the account, not to a region, so their ARNs have an empty region: `arn:aws:iam::123456789012:role/Name`, with two colons after `iam`. The same holds for STS's assumed-role ARNs. An IAM ARN with a region does not exist, and AWS rejects a Role value that names one.",
        example: "arn:aws:iam:us-east-1:123456789012:role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    InvalidAccountId = "A008", "invalid-account-id", Error,
        summary: "The account ID is not exactly 12 digits.",
        explanation: "An AWS account ID is exactly 12 ASCII digits, leading zeros included, with no hyphens (the console shows it as `1234-5678-9012`; ARNs never do). A spreadsheet that stored the ID as a number drops its leading zeros. IAM, STS and Amazon Connect ARNs always name the account.",
        example: "arn:aws:iam::12345678901:role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    InvalidResource = "A009", "invalid-resource", Error,
        summary: "The resource is empty, or its type is misspelt, in the wrong case, or not followed by '/'.",
        explanation: "The last component names the resource as `type/name`: `role/Name` and `saml-provider/Name` in IAM, `assumed-role/Role/Session` in STS, `instance/<id>` in Amazon Connect. Resource types are lower case and followed by `/`; `Role/Name` or `role:Name` names nothing. The AWS account itself is the one IAM resource without a name: `arn:aws:iam::123456789012:root`, written `root` alone.",
        example: "arn:aws:iam::123456789012:Role/Agent",
        fixed: "arn:aws:iam::123456789012:role/Agent";
    InvalidRolePath = "A010", "invalid-role-path", Error,
        summary: "An IAM role's path has a character outside printable ASCII or is longer than 512 characters.",
        explanation: "A role ARN is `role<path><name>`: the path is `/` or starts and ends with `/`, holds printable ASCII without space (0x21 to 0x7E) and has at most 512 characters; the name follows the last `/`. Paths cannot be set in the IAM console, so an unexpected path usually means two values run together or a name typed with a slash.",
        example: "arn:aws:iam::123456789012:role/équipe/Agent",
        fixed: "arn:aws:iam::123456789012:role/equipe/Agent";
    InvalidRoleName = "A011", "invalid-role-name", Error,
        summary: "An IAM role name is empty, longer than 64 characters, or has a character outside `[A-Za-z0-9_+=,.@-]`.",
        explanation: "IAM role names have 1 to 64 characters: ASCII letters, digits and `_+=,.@-`. The name is what follows the last `/` of the resource. A name with `<` or `{` still holds a placeholder from a setup guide, such as `<ContactCenterName>-SAMLRole`; fill in the real name. Names are unique regardless of case in an account, but the Role value must spell them exactly.",
        example: "arn:aws:iam::123456789012:role/<ContactCenterName>-SAMLRole",
        fixed: "arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole";
    InvalidSamlProviderName = "A012", "invalid-saml-provider-name", Error,
        summary: "A SAML provider name is empty, longer than 128 characters, or has a character outside `[A-Za-z0-9_+=,.@-]`.",
        explanation: "The IAM SAML identity provider is named in its ARN as `saml-provider/Name`, with no path: 1 to 128 characters of ASCII letters, digits and `_+=,.@-`. Service Cloud Voice names it `SalesforceVoiceIdp` or `SalesforceServiceVoiceIdp`, optionally followed by `_` and the Salesforce org ID.",
        example: "arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp/00D5g000004Xyz1",
        fixed: "arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp_00D5g000004Xyz1";
    ProviderNamePunctuation = "A013", "saml-provider-name-punctuation", Warning,
        summary: "A SAML provider name contains `+`, `=`, `,` or `@`, which IAM's documentation and its API model disagree about.",
        explanation: "IAM's documentation allows `+=,.@-` in SAML provider names, but the pattern in its API model is `[\\w._-]+`. Which one IAM enforces is not confirmed, so a name with `+`, `=`, `,` or `@` may be refused when the provider is created or renamed. Letters, digits and `._-` are safe under both.",
        example: "arn:aws:iam::123456789012:saml-provider/Salesforce@Voice",
        fixed: "arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    InvalidConnectInstanceId = "A014", "invalid-connect-instance-id", Error,
        summary: "An Amazon Connect instance ID is not a lowercase UUID.",
        explanation: "An Amazon Connect instance ARN is `arn:aws:connect:<region>:<account>:instance/<id>`, where the ID is a lowercase UUID: 36 characters, hexadecimal digits in groups of 8, 4, 4, 4 and 12 separated by hyphens. Sub-resources follow it (`instance/<id>/agent/<user id>`). Copy the ID from the instance's ARN in the Amazon Connect console.",
        example: "arn:aws:connect:us-east-1:123456789012:instance/0A1B2C3D-4E5F-6A7B-8C9D-0E1F2A3B4C5D",
        fixed: "arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
    InvalidSessionName = "A015", "invalid-session-name", Error,
        summary: "The session name of an assumed-role ARN is missing, not 2 to 64 characters, or has a character outside `[A-Za-z0-9_+=,.@-]`.",
        explanation: "STS names a federated session `arn:aws:sts::<account>:assumed-role/<role name>/<session name>`, where the session name is the RoleSessionName of the SAML assertion: 2 to 64 characters of ASCII letters, digits and `_+=,.@-`. For Service Cloud Voice it is also the Amazon Connect user name.",
        example: "arn:aws:sts::123456789012:assumed-role/Agent/j.doe!",
        fixed: "arn:aws:sts::123456789012:assumed-role/Agent/j.doe";
    // A1xx: AWS SAML attributes
    AttributeNearMiss = "A100", "attribute-name-near-miss", Warning,
        summary: "An attribute key that is almost, but not exactly, one AWS reads.",
        explanation: "AWS matches attribute names exactly and case-sensitively: `https://aws.amazon.com/SAML/Attributes/Role`, with `https://`, the host `aws.amazon.com`, the path `/SAML/Attributes/` and the attribute's own spelling. A key with other letter case, `http://`, a trailing slash, spaces, a missing `/SAML/`, a plural (`Roles`) or a short name alone is an ordinary attribute to AWS: it is sent but never read, so the sign-in fails as if the attribute were missing (for Role: \"Your request included an invalid SAML response.\"). The help gives the exact key to paste.",
        example: "https://aws.amazon.com/SAML/Attributes/Roles",
        fixed: "https://aws.amazon.com/SAML/Attributes/Role";
    UnknownAwsAttribute = "A101", "unknown-aws-attribute", Warning,
        summary: "A key under `https://aws.amazon.com/SAML/Attributes/` that AWS does not read.",
        explanation: "AWS reads Role, RoleSessionName, SessionDuration, PrincipalTag:<key>, TransitiveTagKeys and SourceIdentity under this prefix. Any other name is sent and ignored, which is most often a misspelt attribute. Check the spelling against the list.",
        example: "https://aws.amazon.com/SAML/Attributes/SessionLength",
        fixed: "https://aws.amazon.com/SAML/Attributes/SessionDuration";
    MissingAttribute = "A102", "missing-required-attribute", Error,
        summary: "A required attribute (Role or RoleSessionName) is missing.",
        explanation: "AWS needs both `https://aws.amazon.com/SAML/Attributes/Role` and `https://aws.amazon.com/SAML/Attributes/RoleSessionName` in every assertion. Without Role the console shows \"Your request included an invalid SAML response. To logout, click here.\"; without RoleSessionName AWS answers \"RoleSessionName is required in AuthnResponse\". Add the custom attribute to the Connected App with the exact key.",
        example: "RoleSessionName=jdoe",
        fixed: "RoleSessionName=jdoe; Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    TooManyValues = "A103", "too-many-values", Error,
        summary: "An attribute that takes one value is given several.",
        explanation: "RoleSessionName, SessionDuration, SourceIdentity and each PrincipalTag take exactly one value; only Role and TransitiveTagKeys are multi-valued. Which of several values AWS would use is not documented, so send one.",
        example: "SessionDuration=3600 | 7200",
        fixed: "SessionDuration=3600";
    DuplicateAttribute = "A104", "duplicate-attribute", Warning,
        summary: "The same attribute is sent twice.",
        explanation: "Each AWS attribute should appear once in an assertion; a multi-valued one (Role) carries all its values in that one attribute. With two, which one AWS reads is not documented. Merge them into one attribute.",
        example: "RoleSessionName=jdoe; RoleSessionName=jdoe2",
        fixed: "RoleSessionName=jdoe";
    RoleNotAPair = "A110", "role-not-a-pair", Error,
        summary: "A Role value is not two ARNs separated by one comma.",
        explanation: "Each Role value is exactly one IAM role ARN and one IAM saml-provider ARN joined by a comma, in either order. A value with no comma, or with more than one, cannot be split into that pair, and AWS shows \"Your request included an invalid SAML response. To logout, click here.\". Several roles go in several values, not in one value.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    RoleWhitespace = "A111", "role-whitespace", Warning,
        summary: "A Role value has spaces around its comma or at its ends.",
        explanation: "The AWS console is reported to accept a space after the comma, but command-line tools that read the same assertion (saml2aws, aws-google-auth, the Redshift driver) have broken on it, and whether AWS trims newlines is not documented. Remove the whitespace; in a formula, check the literals around `','`.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole, arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    RolePairKinds = "A112", "role-pair-kinds", Error,
        summary: "A Role value is not one role ARN and one saml-provider ARN.",
        explanation: "The two ARNs of a Role value become `RoleArn` and `PrincipalArn` of AssumeRoleWithSAML, so one must be an IAM role (`arn:aws:iam::<account>:role/<name>`) and the other an IAM SAML provider (`arn:aws:iam::<account>:saml-provider/<name>`). Two roles, two providers, or another kind of ARN (a user, the account's `root`, an Amazon Connect instance) fail: the console shows \"Your request included an invalid SAML response.\", and a tool that passes the ARNs to AssumeRoleWithSAML itself gets a validation error for the ARN that is not of the kind expected.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:role/Admin",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    RoleAccountsDiffer = "A113", "role-pair-accounts-differ", Warning,
        summary: "The role and the SAML provider of a Role value are in different accounts or partitions.",
        explanation: "A role's trust policy names the SAML provider it trusts, and that provider lives in the role's own account; no partition trusts another. A pair across accounts or partitions is almost always a copy-paste mistake and fails with \"Not authorized to perform sts:AssumeRoleWithSAML\". AWS does not document rejecting the pair outright, so this is a warning. Use the provider of the role's account.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::210987654321:saml-provider/SalesforceVoiceIdp",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    DuplicateRolePair = "A114", "duplicate-role-pair", Warning,
        summary: "The same role and provider pair is listed twice.",
        explanation: "Each Role value adds an entry to AWS's role chooser; the same pair twice (in either order) shows the role twice and usually means two formulas or two attributes overlap. Remove the duplicate.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp | arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp,arn:aws:iam::123456789012:role/Voice-SAMLRole",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    IdentityCenterRole = "A115", "identity-center-role", Error,
        summary: "A Role value names a role that IAM Identity Center manages, which AssumeRoleWithSAML cannot assume.",
        explanation: "IAM Identity Center (formerly AWS SSO) creates a role in each account for every permission set it assigns, with the path `/aws-reserved/sso.amazonaws.com/` (a Region may follow) and a name beginning `AWSReservedSSO_`. AWS documents that AssumeRoleWithSAML does not work on these roles: Identity Center manages them, and their trust policy trusts only Identity Center's own SAML provider, so a Salesforce app cannot sign users in to one whatever provider its Role value names. Create an ordinary IAM role that trusts the app's SAML provider (for Service Cloud Voice, `<ContactCenterName>-SAMLRole`) and name it in the Role value.",
        example: "Role=arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Agent_0123456789abcdef,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    RoleSessionNameLength = "A120", "role-session-name-length", Error,
        summary: "A RoleSessionName shorter than 2 or longer than 64 characters.",
        explanation: "AWS refuses the assertion with \"RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}\": the name must be 2 to 64 characters. A blank value (a field that is empty for this user) is too short. A formula built from long fields (`$User.Username`, `$User.Email`) can pass 64; use shorter fields such as `$User.Alias` and Ids, or LEFT(…, 64).",
        example: "RoleSessionName=j",
        fixed: "RoleSessionName=jdoe";
    RoleSessionNameCharacters = "A121", "role-session-name-characters", Error,
        summary: "A RoleSessionName with characters outside `[A-Za-z0-9_+=,.@-]`.",
        explanation: "AWS refuses the assertion with \"RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}\": only ASCII letters, digits and `_ + = , . @ -` are allowed, so no spaces, no accented or other non-ASCII letters, no `/`, `:` or `'`. Names with spaces (`$User.FirstName & ' ' & $User.LastName`) are the usual cause; use the Alias, the Username or the Id, or SUBSTITUTE the offending characters.",
        example: "RoleSessionName=john smith",
        fixed: "RoleSessionName=john.smith";
    SessionDurationNotInteger = "A130", "session-duration-not-an-integer", Error,
        summary: "A SessionDuration that is not a whole number of seconds.",
        explanation: "SessionDuration is a number of seconds written with digits only: no sign, no decimal point, no spaces, no unit. A formula that produces `TEXT(3600.0)` or pads the number sends `3600.0` or ` 3600`. AWS does not document its message for this; the value is refused or ignored.",
        example: "SessionDuration=3600.0",
        fixed: "SessionDuration=3600";
    SessionDurationRange = "A131", "session-duration-out-of-range", Error,
        summary: "A SessionDuration outside 900–43200 seconds.",
        explanation: "AWS documents the console session as lasting from 15 minutes (900 seconds) to 12 hours (43200 seconds); what it does with another value is not documented, so samlfx reports it as an error. Amazon Connect sessions are fixed at 12 hours whatever this says.",
        example: "SessionDuration=100",
        fixed: "SessionDuration=3600";
    TagKeyLength = "A140", "tag-key-length", Error,
        summary: "A session tag key that is empty or longer than 128 characters.",
        explanation: "A PrincipalTag key (the part after `PrincipalTag:`) and each TransitiveTagKeys value must be 1 to 128 characters, counted in UTF-16 units. AWS refuses the session otherwise. Shorten the key.",
        example: "TransitiveTagKeys=",
        fixed: "TransitiveTagKeys=Department";
    TagKeyCharacters = "A141", "tag-key-characters", Error,
        summary: "A session tag key with characters outside letters, digits, spaces and `_ . : / = + - @`.",
        explanation: "Tag keys may hold Unicode letters, digits and spaces and the characters `_ . : / = + - @` (`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]`); anything else, such as `#`, `,`, `'` or a tab, makes AWS refuse the session. Rename the tag.",
        example: "PrincipalTag:Cost#Center=42",
        fixed: "PrincipalTag:CostCenter=42";
    TagValueLength = "A142", "tag-value-length", Error,
        summary: "A session tag value longer than 256 characters.",
        explanation: "A PrincipalTag value may be empty and at most 256 characters, counted in UTF-16 units. Shorten it, for example with LEFT(…, 256).",
        example: "PrincipalTag:Team=a 257-character value",
        fixed: "PrincipalTag:Team=Voice";
    TagValueCharacters = "A143", "tag-value-characters", Error,
        summary: "A session tag value with characters outside letters, digits, spaces and `_ . : / = + - @`.",
        explanation: "Tag values follow the same pattern as keys (`[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*`): Unicode letters, digits and spaces and `_ . : / = + - @`. A comma, `#`, `&`, `'` or a line break makes AWS refuse the session. SUBSTITUTE the characters out in the formula.",
        example: "PrincipalTag:Team=R&D",
        fixed: "PrincipalTag:Team=R+D";
    ReservedAwsPrefix = "A144", "reserved-aws-prefix", Error,
        summary: "A tag key, tag value or SourceIdentity that begins with `aws:`.",
        explanation: "The prefix `aws:` is reserved for AWS in any letter case. A session tag key or value, or a SourceIdentity, that starts with it is refused; for SourceIdentity AWS says \"Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"\". Choose another prefix.",
        example: "PrincipalTag:AWS:Team=Voice",
        fixed: "PrincipalTag:Team=Voice";
    TooManyTags = "A145", "too-many-tags", Error,
        summary: "More than 50 session tags, or more than 50 transitive tag keys.",
        explanation: "A session carries at most 50 tags (PrincipalTag attributes), and TransitiveTagKeys lists at most 50 keys. AWS refuses the session beyond that; tags and session policies together also have a packed-size limit (\"PackedPolicyTooLarge\"). Send fewer tags.",
        example: "51 PrincipalTag attributes",
        fixed: "50 PrincipalTag attributes";
    DuplicateTagKey = "A146", "duplicate-tag-key", Error,
        summary: "Two session tags whose keys differ only in letter case.",
        explanation: "Session tag keys are case-insensitive: `PrincipalTag:Dept` and `PrincipalTag:dept` are the same tag, so the two collide and which value the session gets is not documented. Keep one.",
        example: "PrincipalTag:Dept=Sales; PrincipalTag:dept=Support",
        fixed: "PrincipalTag:Dept=Sales";
    TagSessionPermission = "A147", "tag-session-permission", Info,
        summary: "The assertion sets session tags: the role's trust policy must allow `sts:TagSession`.",
        explanation: "A PrincipalTag attribute (or TransitiveTagKeys) makes AssumeRoleWithSAML tag the session, and AWS allows that only when the trust policy of the role also allows `sts:TagSession` for the SAML provider; otherwise the whole sign-in is denied (AccessDenied) with \"Not authorized to perform sts:AssumeRoleWithSAML\". samlfx cannot read the trust policy, so this is a reminder, said once per app or assertion: add `sts:TagSession` to the Action of the statement that allows `sts:AssumeRoleWithSAML`. Service Cloud Voice's `<ContactCenterName>-SAMLRole` allows only `sts:AssumeRoleWithSAML`.",
        example: "PrincipalTag:Department=Sales",
        fixed: "";
    TransitiveKeyNotATag = "A150", "transitive-key-not-a-tag", Warning,
        summary: "A TransitiveTagKeys value names no PrincipalTag of the assertion.",
        explanation: "TransitiveTagKeys marks session tags that persist through role chaining; a key with no matching PrincipalTag attribute (compared without letter case) marks nothing and is usually a typo. What AWS does with it is not documented. Add the PrincipalTag or remove the key.",
        example: "PrincipalTag:Dept=Sales; TransitiveTagKeys=Team",
        fixed: "PrincipalTag:Dept=Sales; TransitiveTagKeys=Dept";
    SourceIdentityLength = "A160", "source-identity-length", Error,
        summary: "A SourceIdentity shorter than 2 or longer than 64 characters.",
        explanation: "AWS refuses the assertion with \"Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"\": the value must be 2 to 64 characters. A blank value is too short. The role's trust policy must also allow `sts:SetSourceIdentity`.",
        example: "SourceIdentity=j",
        fixed: "SourceIdentity=jdoe";
    SourceIdentityCharacters = "A161", "source-identity-characters", Error,
        summary: "A SourceIdentity with characters outside `[A-Za-z0-9_+=,.@-]`.",
        explanation: "AWS refuses the assertion with \"Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\"\": only ASCII letters, digits and `_ + = , . @ -`. Spaces, non-ASCII letters, `/` and `:` are refused.",
        example: "SourceIdentity=jdoe/admin",
        fixed: "SourceIdentity=jdoe.admin";
    // A2xx: the Amazon Connect (Service Cloud Voice) profile
    ConnectUsernameCharacters = "A200", "connect-username-characters", Error,
        summary: "A RoleSessionName with characters Amazon Connect does not allow in a username.",
        explanation: "Under Service Cloud Voice the RoleSessionName is the Amazon Connect username, and Connect usernames take only `[A-Za-z0-9_.@-]`: AWS's own `+ = ,` pass sign-in but the agent cannot be created, so adding the user to the contact center fails (Salesforce knowledge article 004867756 describes it for aliases). The usual cause is `$User.Alias` holding other characters: fix the aliases, or SUBSTITUTE them out in the formula before users are added. One rule of Amazon Connect is deliberately not enforced: its CreateUser documentation allows `@` in a username only in an email-address form (`jdoe@example.com`, not `jdoe@example`), yet Service Cloud Voice's own default username, `Alias@UserId@OrgId`, holds two `@` and works, because Service Cloud Voice creates the Connect users itself. samlfx accepts `@` anywhere under this profile; a user created by hand in Amazon Connect (console or API) with such a name may be refused.",
        example: "RoleSessionName=j+doe@005000000000001@00D000000000001",
        fixed: "RoleSessionName=jdoe@005000000000001@00D000000000001";
    ConnectProviderName = "A201", "connect-provider-name", Warning,
        summary: "The SAML provider of a Role value is not named as Service Cloud Voice names it.",
        explanation: "Service Cloud Voice creates its IAM SAML provider as `SalesforceVoiceIdp` or `SalesforceServiceVoiceIdp`, optionally followed by `_` and the 15- or 18-character org Id (`SalesforceServiceVoiceIdp_00D…`). Another name is usually a placeholder not filled in or another integration's provider, and AWS answers \"Specified provider doesn't exist.\". Copy the provider ARN from IAM.",
        example: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/OktaIdp",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    ConnectRoleName = "A202", "connect-role-name", Warning,
        summary: "The role of a Role value does not end in `-SAMLRole`.",
        explanation: "Service Cloud Voice names the role that agents assume `<ContactCenterName>-SAMLRole`, and only that role is granted `connect:GetFederationToken`. Another role signs in to AWS but Amazon Connect answers \"Access denied\". Copy the role ARN from IAM.",
        example: "Role=arn:aws:iam::123456789012:role/Admin,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp",
        fixed: "Role=arn:aws:iam::123456789012:role/Voice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp";
    // C0xx: app files (samlfx.toml, ConnectedApp and External Client App metadata, contact-center definitions) and their discovery
    UnreadableAppFile = "C001", "unreadable-app-file", Error,
        summary: "An app file or directory named on the command line cannot be read.",
        explanation: "The path does not exist, is not readable, or is neither a file nor a directory. samlfx exits with status 2, the status for input errors. Check the path; a directory argument is searched for app files (`samlfx.toml`, `*.connectedApp-meta.xml`, `*.ecaSamlPlcy-meta.xml`, contact-center XML).",
        example: "examples/voice/force-app/main/default/connectedApps/AcmeVoce.connectedApp-meta.xml",
        fixed: "examples/voice/force-app/main/default/connectedApps/AcmeVoice.connectedApp-meta.xml";
    AppFileLimit = "C002", "app-file-limit", Error,
        summary: "An app file is larger, or its XML nests deeper, than samlfx reads.",
        explanation: "samlfx reads at most 4 MiB of an app file and XML nested at most 64 elements deep, so that no input can exhaust memory or time; real metadata files are a few kilobytes and nest four deep. A file beyond a bound is usually not an app definition at all (a log, an archive, a generated dump): name the right file.",
        example: "a 5 MiB AcmeVoice.connectedApp-meta.xml",
        fixed: "";
    NotText = "C003", "app-file-not-text", Error,
        summary: "An app file is binary or not UTF-8 text.",
        explanation: "App files are UTF-8 text: TOML by definition, and Salesforce metadata XML as the Metadata API writes it. A file with NUL bytes or bytes that are not UTF-8 is a binary file (an image, an archive) or text in another encoding (UTF-16, Windows-1252); the span points at the first bad byte. Name the right file, or convert it to UTF-8.",
        example: "a PNG image named samlfx.toml",
        fixed: "";
    MalformedXml = "C004", "malformed-xml", Error,
        summary: "The file is not well-formed XML.",
        explanation: "Every element must be closed by its own end tag, in order, attribute values must be quoted, and a document has exactly one root element. Salesforce refuses to deploy a file that is not well-formed. The span points where the reader gave up; the mistake is often just before it, such as an end tag left out or misspelt.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl></samlConfig></ConnectedApp>";
    DoctypeRefused = "C005", "doctype-refused", Error,
        summary: "The XML file has a DOCTYPE, which samlfx refuses to read.",
        explanation: "A document type declaration can define entities that expand to huge texts (\"billion laughs\") or load external files, so samlfx never reads one and refuses the file. Salesforce metadata never has a DOCTYPE: delete it, and write any character the formula needs as `&amp;`, `&lt;`, `&gt;`, `&apos;`, `&quot;` or a numeric reference such as `&#39;`.",
        example: "<!DOCTYPE ConnectedApp [<!ENTITY role \"arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole\">]>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"/>";
    UndefinedEntity = "C006", "undefined-entity", Error,
        summary: "An entity or character reference that XML does not define.",
        explanation: "Without a DOCTYPE, XML defines five entities (`&amp;`, `&lt;`, `&gt;`, `&apos;`, `&quot;`) and numeric character references (`&#39;`, `&#x27;`) of characters XML allows. An HTML entity such as `&nbsp;` or a reference to NUL is an error, and the file does not deploy. Write `&amp;` for an ampersand, or the character itself.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Acme&nbsp;Voice</label></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Acme Voice</label></ConnectedApp>";
    WrongRootElement = "C007", "wrong-root-element", Error,
        summary: "The XML file's root element is not the one its name promises.",
        explanation: "A `*.connectedApp-meta.xml` file holds `<ConnectedApp>`, a `*.ecaSamlPlcy-meta.xml` file `<ExtlClntAppSamlConfigurablePolicies>`, a `*.callCenter-meta.xml` file `<CallCenter>`, and a contact-center import file `<callCenter>`; element names are case-sensitive. Another root means the file was renamed or holds another metadata type; the help names the file kind its root belongs to when samlfx knows it.",
        example: "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Acme Voice</label></ExternalClientApplication>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Acme Voice</label></ConnectedApp>";
    MissingElement = "C008", "missing-element", Error,
        summary: "A required element, attribute, table or key is missing.",
        explanation: "A SAML app needs its ACS URL and Entity ID (`acsUrl` and `entityUrl` in metadata, `acs_url` and `entity_id` in samlfx.toml) and, in a ConnectedApp, a subject type; each custom attribute needs a `key` and a `formula`; a contact-center definition needs its `reqGeneralInfo` and `reqHvcc` sections and every item a name. Salesforce refuses to deploy metadata without its required elements. The span points at the element that should hold the missing one.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>";
    DuplicateElement = "C009", "duplicate-element", Error,
        summary: "An element that may appear once appears twice.",
        explanation: "A single-valued setting such as `acsUrl` or `samlSubjectType`, or a contact-center item name within one section, may be given once; which of two copies Salesforce keeps is not documented, and the deploy may fail. The label points at the first copy. Delete one.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>";
    UnknownEnumValue = "C010", "unknown-enumeration-value", Error,
        summary: "A setting has a value outside its enumeration.",
        explanation: "Subject type, NameID format, signing algorithm and encryption take the Metadata API's enumeration values exactly, in their letter case: `Username`, `FederationId`, `UserId`, `SpokeId`, `CustomAttribute`, `PersistentId`; `Unspecified`, `EmailAddress`, `Persistent`, `Transient`; `SHA1`, `SHA256`; `AES_128`, `AES_256`, `Triple_Des`. Setup's labels (\"Persistent ID\") and the documentation's prose (`PersistentID`, `CustomAttr`) differ from them and fail the deploy. The help suggests the closest value.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentID</samlSubjectType></samlConfig></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>";
    UnknownElement = "C011", "unknown-element", Warning,
        summary: "An element samlfx does not know where a SAML setting is expected.",
        explanation: "The SAML settings (`samlConfig` of a ConnectedApp, the External Client App's SAML policies) have a fixed list of elements, and names are case-sensitive. An unknown one is most often a misspelt setting, which Salesforce refuses and samlfx would otherwise read as missing. The help suggests the closest known name.",
        example: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsURL>https://signin.aws.amazon.com/saml</acsURL><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>",
        fixed: "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><samlConfig><acsUrl>https://signin.aws.amazon.com/saml</acsUrl><entityUrl>AcmeVoice</entityUrl><samlSubjectType>PersistentId</samlSubjectType></samlConfig></ConnectedApp>";
    MalformedToml = "C012", "malformed-toml", Error,
        summary: "samlfx.toml is not valid TOML.",
        explanation: "samlfx.toml follows TOML 1.0: strings in double quotes (with backslash escapes) or single quotes (literal), one key per line, tables as `[app]`, custom attributes as `[[attributes]]`. A formula full of quotes reads best as a literal string `'…'` or a multi-line literal `'''…'''`. The message is the TOML parser's.",
        example: "[app]\nentity_id = \"AcmeVoice",
        fixed: "[app]\nentity_id = \"AcmeVoice\"";
    WrongValueType = "C013", "wrong-value-type", Error,
        summary: "A samlfx.toml key holds a value of the wrong TOML type.",
        explanation: "Every setting of samlfx.toml is a string, `[app]` and `[fields]` are tables and `attributes` is an array of tables (`[[attributes]]`). A number, a boolean or an array where a string belongs is refused; quote it.",
        example: "[app]\nentity_id = 42\nacs_url = \"https://signin.aws.amazon.com/saml\"",
        fixed: "[app]\nentity_id = \"42\"\nacs_url = \"https://signin.aws.amazon.com/saml\"";
    UnknownKey = "C014", "unknown-key", Warning,
        summary: "samlfx.toml has a key samlfx does not know.",
        explanation: "The keys of samlfx.toml are listed in samlfx-app's documentation: `profile`, `[app]` (`name`, `entity_id`, `acs_url`, `issuer`, `subject_type`, `subject_attribute`, `name_id_format`, `signing_algorithm`, `encryption`), `[[attributes]]` (`key`, `formula`) and `[fields]`. An unknown key is most often a misspelt one, whose setting is then missing. The help suggests the closest key.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\nsubjet_type = \"PersistentId\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\nsubject_type = \"PersistentId\"";
    NoAppFiles = "C015", "no-app-files", Error,
        summary: "A directory holds no app file.",
        explanation: "A directory is searched for `samlfx.toml`, `*.connectedApp-meta.xml` (or `.connectedApp`), `*.ecaSamlPlcy-meta.xml`, `*.callCenter-meta.xml` and contact-center import XML, following an SFDX project's `sfdx-project.json` package directories and skipping `.git`, `node_modules` and `target`. None was found, so there is nothing to check: name the project's root, retrieve the metadata first (`sf project retrieve start -m ConnectedApp`), or write a samlfx.toml.",
        example: "grammar",
        fixed: "examples/voice";
    DiscoveryLimit = "C016", "discovery-limit", Warning,
        summary: "The directory search stopped at a bound.",
        explanation: "samlfx searches at most 12 directories deep, looks at most at 20,000 entries and reads at most 1,000 app files, so that a directory argument such as `/` cannot take forever. Files beyond the bound are not checked. Name the project directory, or the files themselves.",
        example: "a directory nested 13 deep",
        fixed: "";
    InvalidSfdxProject = "C017", "invalid-sfdx-project", Warning,
        summary: "sfdx-project.json cannot be followed, so the whole project is searched.",
        explanation: "In an SFDX project samlfx follows `packageDirectories[].path` of `sfdx-project.json`. A file that is not JSON, has no `packageDirectories` array, or names a path that is not a directory inside the project (an absolute path, or one leaving the project with `..`) is reported with this warning, and every directory of the project is searched instead.",
        example: "{\"packageDirectories\": [{\"path\": 5}]}",
        fixed: "{\"packageDirectories\": [{\"path\": \"force-app\", \"default\": true}]}";
    DuplicateItem = "C018", "duplicate-contact-center-item", Warning,
        summary: "A call center's section holds two items of one name.",
        explanation: "Each item of a call-center section (`<items>` of the Metadata API's CallCenter, `<item>` of Setup's import format) is one setting; two with one name in one section leave it undocumented which value Salesforce keeps. Vendor sections of Open CTI adapters often carry such leftovers, so this is a warning, not an input error. The label points at the first copy; keep one.",
        example: "<callCenter><section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item><item name=\"reqInternalName\">AcmeVoice2</item></section></callCenter>",
        fixed: "<callCenter><section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section></callCenter>";
    ExternalClientAppSamlOff = "C019", "external-client-app-saml-off", Error,
        summary: "An External Client App's SAML policy is switched off by its app or its plugin policy.",
        explanation: "An External Client App signs users in with SAML through three components: the `ExternalClientApplication` (`.eca`), its `ExtlClntAppConfigurablePolicies` (`.ecaPlcy`) and its `ExtlClntAppSamlConfigurablePolicies` (`.ecaSamlPlcy`, API 63.0 and later), paired by the app name each policy's `externalClientApplication` holds. Salesforce's Metadata API reference for ExtlClntAppSamlConfigurablePolicies requires the parent app's `distributionState` to be `Local` (apps with SAML cannot be packaged) and its configurable policies to have `isSamlPluginEnabled` set to true; `isEnabled` false disables every plugin. Otherwise the SAML settings are not in effect and nobody can sign in. The finding points at the setting to change, in the file that holds it; it appears only when the files are checked together, since only then are they paired.",
        example: "a SAML policy for AcmeVoice beside AcmeVoice.eca-meta.xml with <distributionState>Packaged</distributionState>",
        fixed: "<distributionState>Local</distributionState>";
    // C1xx: app rules (settings of a SAML app checked for AWS and Amazon Connect)
    DuplicateAttributeKey = "C100", "duplicate-attribute-key", Error,
        summary: "Two custom attributes of one app have the same key.",
        explanation: "Salesforce sends every custom attribute as its own `<Attribute>`, so two with one key send the attribute twice; which of them a service provider reads is not documented (AWS's own rules warn about it as A104), and a second copy is usually a leftover of an edit. Salesforce matches keys exactly, so the keys here are equal byte for byte. The label points at the first one; merge the two formulas into one attribute, or delete one.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\n\n[[attributes]]\nkey = \"department\"\nformula = \"$User.Department\"\n\n[[attributes]]\nkey = \"department\"\nformula = \"$User.Division\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\n\n[[attributes]]\nkey = \"department\"\nformula = \"$User.Department\"";
    SubjectFormatMismatch = "C101", "subject-name-id-format-mismatch", Warning,
        summary: "The NameID format does not describe the subject the app sends.",
        explanation: "The NameID format tells the service provider what kind of identifier the subject is. A Persistent ID subject is an opaque id that stays the same for a user, which is what the `Persistent` format says; the Service Cloud Voice guide pairs the two. The `EmailAddress` format promises an e-mail address, but a user Id, a persistent id or a spoke id is not one. The `Transient` format promises an id that changes at every sign-in, but every subject type Salesforce offers is stable. AWS accepts every NameID format, so the sign-in still works; the mismatch misleads whoever reads CloudTrail or matches users on the NameID. Choose the format that matches the subject.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsubject_type = \"PersistentId\"\nname_id_format = \"EmailAddress\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsubject_type = \"PersistentId\"\nname_id_format = \"Persistent\"";
    UnknownSubjectAttribute = "C102", "unknown-subject-attribute", Error,
        summary: "A CustomAttribute subject names an attribute key the app does not have.",
        explanation: "With the subject type `CustomAttribute`, Salesforce takes the NameID from the custom attribute whose key the setting names (`samlSubjectCustomAttr`, `subjectCustomAttribute`, `subject_attribute`). When no attribute has that key exactly, there is no value for the subject and the deploy or the sign-in fails. Keys are compared exactly, in their letter case; the help suggests the closest key. Name an existing attribute's key, or add the attribute.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsubject_type = \"CustomAttribute\"\nsubject_attribute = \"email\"\n\n[[attributes]]\nkey = \"mail\"\nformula = \"$User.Email\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsubject_type = \"CustomAttribute\"\nsubject_attribute = \"mail\"\n\n[[attributes]]\nkey = \"mail\"\nformula = \"$User.Email\"";
    Sha1Signing = "C103", "sha1-signing", Warning,
        summary: "The app signs its SAML responses with SHA-1.",
        explanation: "SHA-1 is broken for signatures: collisions can be computed, and identity providers and service providers are dropping it. Whether AWS still accepts SHA-1 signatures is not documented. Salesforce signs with SHA-256 when the signing algorithm is `SHA256`; changing it needs nothing on AWS's side, since the IAM identity provider's metadata holds the certificate, not the algorithm.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsigning_algorithm = \"SHA1\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://sp.example.com/saml/acs\"\nsigning_algorithm = \"SHA256\"";
    InsecureAcsUrl = "C104", "insecure-acs-url", Error,
        summary: "The ACS URL uses `http://`.",
        explanation: "The ACS URL is where the browser posts the signed SAML response; over plain HTTP the response, which grants an AWS session to whoever holds it, travels unencrypted. AWS's sign-in endpoints are HTTPS only, and Salesforce requires HTTPS for an ACS URL. Write `https://`.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"http://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"";
    AcsUrlNotAws = "C105", "acs-url-not-aws-sign-in", Error,
        summary: "An AWS app's ACS URL is not one of AWS's SAML sign-in endpoints.",
        explanation: "AWS takes SAML responses only at its sign-in endpoints: `https://signin.aws.amazon.com/saml` (global), `https://signin.aws.amazon.com/static/saml`, `https://<region>.signin.aws.amazon.com/saml` with a region of the `aws` partition, `/saml/acs/<IdP id>` when SAML encryption is on, `https://signin.amazonaws-us-gov.com/saml` in GovCloud and `https://signin.amazonaws.cn/saml` (or `https://<region>.signin.amazonaws.cn/saml`) in China. An app that sends AWS's attributes (Role, RoleSessionName) to another URL, an AWS host with another path (`/saml2`, `/saml/`), or another AWS service (a console, IAM Identity Center's `awsapps.com` portal) signs nobody in. The help gives the exact URL; Service Cloud Voice uses the global one.",
        example: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml2\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"",
        fixed: "[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"";
    RegionalAcsUrl = "C106", "regional-acs-url", Warning,
        summary: "Under Service Cloud Voice, the ACS URL is a regional sign-in endpoint.",
        explanation: "AWS takes the assertion's Recipient, the ACS URL, as the `saml:aud` condition key. Service Cloud Voice creates the SAML role with a trust policy that requires `saml:aud` to be exactly `https://signin.aws.amazon.com/saml`, so a regional endpoint fails with \"Not authorized to perform sts:AssumeRoleWithSAML\" unless the trust policy was edited to list the regional URL too. Use the global URL, or add the regional one to the role's trust policy.",
        example: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://us-west-2.signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"",
        fixed: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"";
    InvalidEntityId = "C107", "invalid-entity-id", Error,
        summary: "Under Service Cloud Voice, the Entity ID is empty or holds whitespace.",
        explanation: "Salesforce sends the Entity ID as the assertion's `<Audience>`. An empty audience restriction is the one audience AWS is sure to refuse, and a space or line break in it is never intended (Service Cloud Voice sets it to the contact center's name, which has none) and will not equal any value the IAM side expects. Write the contact center's name, or the name Salesforce's setup guide gives, without whitespace.",
        example: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"Acme Voice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"",
        fixed: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"";
    EntityIdAudience = "C108", "entity-id-audience", Info,
        summary: "Under Service Cloud Voice, the Entity ID is neither a plain name nor one of AWS's audience values.",
        explanation: "Salesforce sends the Entity ID as the assertion's `<Audience>`. AWS's service-provider entity id is `urn:amazon:webservices`, and its older documentation also listed the sign-in URLs; Service Cloud Voice's guide sets the Entity ID to the contact center's name instead, and the IAM identity provider's name is seen too, and both work. Whether AWS enforces the audience at all is not confirmed, so this is information only: an Entity ID that is a URL of another site (the org's My Domain, another service provider) was most likely copied from another app. Prefer the contact center's name.",
        example: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"https://acme.my.salesforce.com\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"",
        fixed: "profile = \"amazon-connect\"\n\n[app]\nentity_id = \"AcmeVoice\"\nacs_url = \"https://signin.aws.amazon.com/saml\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/Role\"\nformula = \"'arn:aws:iam::123456789012:role/AcmeVoice-SAMLRole,arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp'\"\n\n[[attributes]]\nkey = \"https://aws.amazon.com/SAML/Attributes/RoleSessionName\"\nformula = \"$User.Id\"";
    // C2xx: contact-center rules and cross-checks with the apps of the run
    InvalidRelayState = "C200", "invalid-relay-state", Error,
        summary: "A contact center's relay state is not an Amazon Connect federation URL.",
        explanation: "After the SAML sign-in, AWS sends the agent to the relay state (`reqRelayState`, `reqSettingsRelayState`), which must be Amazon Connect's federation URL: `https://<region>.console.aws.amazon.com/connect/federate/<instance id>`, in GovCloud `https://console.amazonaws-us-gov.com/connect/federate/<instance id>`, optionally followed by `?destination=%2Fccp-v2` and other parameters. The instance id is the lowercase UUID after `instance/` in the instance's ARN. Any other URL leaves the agent outside Amazon Connect and the softphone does not start. The help gives the URL built from the contact center's own region and instance id.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/login/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>";
    InstanceIdMismatch = "C201", "instance-id-mismatch", Error,
        summary: "The relay state federates into another Amazon Connect instance than the contact center's.",
        explanation: "Service Cloud Voice provisions agents in the instance `reqInstanceId` names, and the relay state's `/connect/federate/<instance id>` is the instance the agent lands in after sign-in. When the two differ the agent signs in to an instance that does not know them (\"not onboarded\") or to the wrong one. The label points at the contact center's instance id; copy it into the relay state.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5e</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>";
    RegionMismatch = "C202", "relay-state-region-mismatch", Warning,
        summary: "The relay state's region is not the contact center's region.",
        explanation: "The host of the relay state names a region (`https://us-west-2.console.aws.amazon.com/…`), which should be the Amazon Connect instance's region, `reqRegion`. With a regional SAML endpoint the two must agree; with the global one AWS forwards to the relay state and what a mismatch does is not documented. Use the instance's region in both; the label points at `reqRegion`.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-east-1.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>";
    InvalidContactCenterRegion = "C203", "invalid-contact-center-region", Error,
        summary: "The contact center's region is not an AWS region.",
        explanation: "`reqRegion` names the Amazon Connect instance's region, in AWS's spelling: `us-west-2`, `eu-central-1`, `us-gov-west-1`, lower case, with no spaces or display names such as \"US West (Oregon)\". Service Cloud Voice uses it to reach the instance, so another value breaks the telephony setup. Copy the region from the instance's ARN.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">US West (Oregon)</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n</section>\n</callCenter>";
    NotARoleArn = "C204", "contact-center-role-not-a-role", Error,
        summary: "A contact center's role item holds an ARN that is not an IAM role's.",
        explanation: "The items whose names end in `Role` (`reqAmazonConnectManagementRole`, `reqUpdateCredentialRole`, …) hold the ARNs of the IAM roles Service Cloud Voice assumes, `arn:aws:iam::<account>:role/<name>`. A SAML provider's, a user's or another service's ARN cannot be assumed. Copy the role's ARN from IAM.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:saml-provider/SalesforceVoiceIdp</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:role/SCVAmazonConnectManagementRole</item>\n</section>\n</callCenter>";
    WhitespaceAroundValue = "C205", "whitespace-around-value", Warning,
        summary: "A contact center's value begins or ends with whitespace.",
        explanation: "Salesforce stores an item's value as written, and whether the consumers of each one (Amazon Connect's federation, IAM, the telephony adapter) trim it is not documented; an ARN or a URL with a trailing space names nothing. Such whitespace is usually copied along with the value. The span points at it; delete it.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:role/SCVAmazonConnectManagementRole </item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:role/SCVAmazonConnectManagementRole</item>\n</section>\n</callCenter>";
    AccountMismatch = "C206", "account-mismatch", Warning,
        summary: "The contact center's role ARNs are in another AWS account than the app's Role attribute.",
        explanation: "Service Cloud Voice creates its IAM roles (the management role, the update-credential role, the agents' SAML role) and its SAML identity provider in the account of the Amazon Connect instance. When the app's Role attribute names a role in another account than the contact center's role items, one of them was copied from another setup, and the agents sign in to an account whose instance does not know them. Samlfx compares the account of the Role formula's role ARN (when the formula is a constant) with the role items'; the message names the app. Use the instance's account in both.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::210987654321:role/SCVAmazonConnectManagementRole</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqAmazonConnectManagementRole\">arn:aws:iam::123456789012:role/SCVAmazonConnectManagementRole</item>\n</section>\n</callCenter>";
    InvalidIdentityUrl = "C207", "invalid-identity-url", Warning,
        summary: "The contact center's identity URL is not the app's IdP-initiated login URL.",
        explanation: "`reqIdentityUrl` is the URL Service Cloud Voice opens to sign agents in: the org's IdP-initiated login for the SAML app, `https://<My Domain>/idp/login?app=0sp…`, where `0sp…` is the 15- or 18-character id of the Connected App's service provider (Setup shows it as the IdP-initiated login URL). Another path, a missing `app` parameter, or a host other than the one in the app's Issuer signs the agent in to another app or nowhere. Copy the IdP-initiated login URL from the Connected App.",
        example: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqIdentityUrl\">https://acme.my.salesforce.com/idp/endpoint/HttpPost</item>\n</section>\n</callCenter>",
        fixed: "<callCenter>\n<section name=\"reqGeneralInfo\"><item name=\"reqInternalName\">AcmeVoice</item></section>\n<section name=\"reqHvcc\">\n<item name=\"reqInstanceId\">0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqRegion\">us-west-2</item>\n<item name=\"reqRelayState\">https://us-west-2.console.aws.amazon.com/connect/federate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d</item>\n<item name=\"reqIdentityUrl\">https://acme.my.salesforce.com/idp/login?app=0sp5g000000XyZ1</item>\n</section>\n</callCenter>";
    // U0xx: user exports read by `samlfx audit`
    EmptyUserExport = "U001", "empty-user-export", Error,
        summary: "The user export is empty.",
        explanation: "`samlfx audit --users FILE` reads the CSV that `sf data export bulk --result-format csv` writes or the JSON that `sf data query --json` prints. An empty file holds neither a header nor a record, so there is nobody to audit; the export most likely failed or was redirected before it finished. Run the export again, with the query `samlfx audit APP --print-query` prints.",
        example: "",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe";
    NoUsers = "U002", "no-users", Error,
        summary: "The user export holds no user: a header only, or an empty records array.",
        explanation: "A Bulk API CSV with a header and no data row, or an `sf data query --json` result whose `records` array is empty, means the query matched nobody (a WHERE clause too narrow, or a sandbox without users). An audit of nobody proves nothing, so it is an input error. Check the query's filter, or export again.",
        example: "Id,Username,IsActive,Alias\n",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe";
    NotAUserExport = "U003", "not-a-user-export", Error,
        summary: "The file is not a user export samlfx can read.",
        explanation: "The users file must be a Bulk API 2.0 CSV (a header row of field API names with an `Id` column, then one row per user) or the JSON of `sf data query --json` (an object whose `result.records` is an array of User records), optionally gzip-compressed. A binary file, a JSON document of another shape (a REST response, a context file), a CSV without an `Id` column, a file that is not UTF-8 text, or a line longer than the bound samlfx reads (1 MiB, so memory stays bounded) is none of these. Export with `sf data export bulk --query \"$(samlfx audit APP --print-query)\" --result-format csv`.",
        example: "{\"status\": 0, \"warnings\": []}",
        fixed: "{\"status\": 0, \"result\": {\"records\": [{\"attributes\": {\"type\": \"User\"}, \"Id\": \"005000000000001AAA\", \"Username\": \"jdoe@acme.com\", \"IsActive\": true, \"Alias\": \"jdoe\"}], \"totalSize\": 1, \"done\": true}}";
    UnreadableUserFile = "U004", "unreadable-user-file", Error,
        summary: "The user export or the `--org` file cannot be opened or read.",
        explanation: "The path given to `--users` (or `--org`) does not exist, is a directory, cannot be read with the current permissions, or its gzip stream is corrupt. Check the path; `-` reads the export from standard input. Reading standard input, the audit copies it to a temporary file (in `TMPDIR`) to read a few rows again for the collision check: when that file cannot be created or written, the audit says so under this code.",
        example: "--users does-not-exist.csv",
        fixed: "";
    UnreadableRow = "U005", "unreadable-row", Error,
        summary: "A row or record of the user export cannot be read.",
        explanation: "A CSV row with another number of columns than the header, a field that is not UTF-8, a JSON record that is not an object or whose field has a value of the wrong kind, or a value a field cannot hold (`IsActive` neither true nor false). The user is counted as unreadable, never dropped silently, and the message gives its line; the rest of the export is audited. Fix the export, or export again: a truncated row usually means the file was cut off.",
        example: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true\n",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe\n";
    InvalidUserId = "U006", "invalid-user-id", Error,
        summary: "A user's Id is missing or is not a Salesforce Id.",
        explanation: "Every user of an export has an Id of 15 letters and digits, or 18 with the checksum CASESAFEID adds, and the audit names users by it. A missing Id, another length or a bad checksum means the row was edited or the column holds something else. The row is counted as unreadable, with its line.",
        example: "Id,Username,IsActive,Alias\n005-not-an-id,jdoe@acme.com,true,jdoe\n",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe\n";
    MissingColumn = "U007", "missing-column", Warning,
        summary: "The user export lacks a column the app's formulas read.",
        explanation: "A formula reads a User field (`$User.Alias`, `$Profile.Name`, a custom `__c` field) that is not a column of the CSV export, so every user reads it as blank and the audit checks values no user will get. The export was made with another query. Export with the query `samlfx audit APP --print-query` prints, which selects exactly the fields the formulas read.",
        example: "Id,Username,IsActive\n005000000000001AAA,jdoe@acme.com,true\n",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe\n";
    SharedSessionName = "U008", "shared-role-session-name", Warning,
        summary: "Users of the export get the same RoleSessionName, exactly or ignoring letter case.",
        explanation: "The RoleSessionName names the user's session: AWS shows it in CloudTrail and in the assumed-role ARN, so two users with one value cannot be told apart there. Under Amazon Connect (the amazon-connect profile) it is the agent's username, so two users with one value would sign in as one agent: the audit reports it as an error there, and as a warning under the aws profile. Values equal but for letter case are reported apart. Build the value from a field that is unique per user, as Service Cloud Voice's `$User.Alias & '@' & $User.Id & '@' & $Organization.Id` does with the Id (Aliases repeat; 15-character Ids can differ only in case, where CASESAFEID's 18 characters do not).",
        example: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe\n005000000000002AAA,john.doe@acme.com,true,jdoe\n",
        fixed: "Id,Username,IsActive,Alias\n005000000000001AAA,jdoe@acme.com,true,jdoe\n005000000000002AAA,john.doe@acme.com,true,jdoe2\n";
    OrganizationValuesMissing = "U009", "organization-values-missing", Error,
        summary: "The app's formulas read `$Organization`, but the audit was given no `--org` values.",
        explanation: "A user export holds users, not the org: a formula that reads `$Organization.Id` (Service Cloud Voice's RoleSessionName does) would be evaluated with a blank Id, and every value would be 15 characters short, each user wrongly reported or wrongly passed. The audit refuses to run instead (exit status 2). Export the org's values with the query `samlfx audit APP --print-query` prints on its second line, `sf data query --query \"SELECT Id FROM Organization\" --json > org.json`, and give them with `--org org.json` (a context file `{\"$Organization\": {\"Id\": \"00D…\"}}` works too).",
        example: "$User.Alias & '@' & $User.Id & '@' & $Organization.Id",
        fixed: "";
    UnreadableResponse = "S001", "unreadable-response", Error,
        summary: "The input is not a SAML Response in any form samlfx reads.",
        explanation: "`samlfx inspect` reads a captured SAML Response as raw XML, as the base64 a browser posts (with or without line breaks), as a URL-encoded form body `SAMLResponse=…&RelayState=…`, or as a HAR file exported from the browser's network panel. The input is empty, not UTF-8, JSON that is not a HAR, a form body without a `SAMLResponse` field, or base64 of something other than XML (a redirect binding's deflated message is not what AWS receives). Copy the `SAMLResponse` value of the POST to `https://signin.aws.amazon.com/saml`, or export the sign-in as a HAR.",
        example: "aGVsbG8gd29ybGQ=",
        fixed: "";
    MalformedBase64 = "S002", "malformed-base64", Error,
        summary: "The SAMLResponse value is not valid base64.",
        explanation: "A POST binding's `SAMLResponse` is the base64 of the Response's XML. A character outside base64's alphabet, or a length that cannot be base64, nearly always means the value was cut short or copied with something else around it. AWS's sign-in page answers such a post with \"Your request included an invalid SAML response\". Copy the whole value again, or give the XML or a HAR file.",
        example: "PHNhbWxwOlJlc3BvbnNl*",
        fixed: "";
    ResponseTooLarge = "S003", "response-too-large", Error,
        summary: "The response is longer than the 100,000 base64 characters AWS accepts.",
        explanation: "AWS limits the base64 of a SAML Response (`SAMLAssertion` of AssumeRoleWithSAML) to 100,000 characters; a longer one is refused before any other check. Large responses come from many Role values (one per role the user may choose), many PrincipalTag attributes, or long values. Send fewer roles per user (restrict the Role formula by profile or permission set) and fewer tags.",
        example: "a response of 80,000 bytes, base64-encoded",
        fixed: "";
    ResponseInputLimit = "S004", "response-input-limit", Error,
        summary: "The input is larger than samlfx reads.",
        explanation: "samlfx reads at most 32 MiB of input for `inspect`, so that memory stays bounded whatever it is given; a SAML Response is a few kilobytes and a HAR of one sign-in a few megabytes. Give the SAMLResponse value alone, or record a HAR of the sign-in only.",
        example: "a file of 33 MiB",
        fixed: "";
    NoSamlPost = "S005", "no-saml-post", Error,
        summary: "The HAR file holds no POST of a SAMLResponse.",
        explanation: "`samlfx inspect capture.har` looks for the POST to an AWS sign-in endpoint (`https://signin.aws.amazon.com/saml`, a regional `https://<region>.signin.aws.amazon.com/saml`, GovCloud or China), or failing that any POST with a `SAMLResponse` field. None was recorded: the network panel was opened after the sign-in, \"Preserve log\" was off so the redirect cleared it, or the HAR was exported without content. Record again from the Salesforce login to the AWS page.",
        example: "{\"log\": {\"entries\": [{\"request\": {\"method\": \"GET\", \"url\": \"https://acme.my.salesforce.com/idp/login?app=0sp000000000001\"}}]}}",
        fixed: "";
    MalformedResponseXml = "S010", "malformed-response-xml", Error,
        summary: "The decoded response is not well-formed XML.",
        explanation: "The Response's XML must be well formed before anything in it can be checked; AWS refuses a malformed one (\"Your request included an invalid SAML response\"). A truncated copy is the usual cause; an IdP that writes a value unescaped (an `&` or `<` in an attribute value) is the other.",
        example: "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><saml:Issuer>",
        fixed: "";
    ResponseDoctype = "S011", "response-doctype", Error,
        summary: "The response has a DOCTYPE: an XXE or entity-expansion payload.",
        explanation: "A SAML Response never has a document type declaration. One that declares entities is an attack on the service provider's parser: an external entity (XXE) reads files or URLs, nested internal entities (billion laughs) exhaust memory. samlfx refuses the document before any entity is defined, and never resolves one; AWS refuses it too.",
        example: "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>",
        fixed: "";
    ResponseXmlLimit = "S012", "response-xml-limit", Error,
        summary: "The response nests deeper than samlfx reads.",
        explanation: "A SAML Response nests about eight elements deep; samlfx reads at most 64 levels so that a hostile input cannot exhaust the stack or memory. This input is not a Response.",
        example: "a Response nesting 70 elements deep",
        fixed: "";
    ResponseEntity = "S013", "response-undefined-entity", Error,
        summary: "The response uses an entity XML does not define.",
        explanation: "Only XML's five predefined entities (`&amp;`, `&lt;`, `&gt;`, `&apos;`, `&quot;`) and character references can appear in a Response without a DOCTYPE, and a DOCTYPE is refused. An undefined entity makes the XML invalid for AWS; an IdP that wrote one escaped a value wrongly.",
        example: "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&nbsp;</samlp:Response>",
        fixed: "";
    // S03x: the key, certificate and other inputs `samlfx simulate` signs with
    UnreadableKeyFile = "S030", "unreadable-key-file", Error,
        summary: "A key or certificate file cannot be read, or `--print-cert` cannot be written.",
        explanation: "`samlfx simulate --key KEY.pem --cert CERT.pem` reads a PEM private key and its PEM certificate; `--print-cert FILE` writes the certificate of the key generated for the run. The path does not exist, is a directory, is not readable (or writable) with the current permissions, is larger than 1 MiB, or is not UTF-8 text (a DER file: convert it with `openssl x509 -inform der -in cert.der -out cert.pem`). Check the path.",
        example: "--key does-not-exist.pem",
        fixed: "";
    InvalidPem = "S031", "invalid-pem", Error,
        summary: "The file holds no PEM block of the kind expected, or the block does not decode.",
        explanation: "`--key` takes a PEM private key (`-----BEGIN PRIVATE KEY-----`, PKCS#8, or `-----BEGIN RSA PRIVATE KEY-----`, PKCS#1) and `--cert` a PEM certificate (`-----BEGIN CERTIFICATE-----`). A file without such a block (a certificate given as the key, a public key, metadata XML), a block whose base64 is broken, or one whose content is not a key or certificate cannot be used. Salesforce's Setup downloads a certificate as a `.crt` PEM file; its private key cannot be exported unless the certificate was created as exportable (then a Java keystore: `openssl pkcs12` converts it). For a test, leave out `--key` and `--cert` and let samlfx generate a key (`--print-cert` writes its certificate).",
        example: "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
        fixed: "";
    EncryptedKey = "S032", "encrypted-key", Error,
        summary: "The private key is protected by a passphrase.",
        explanation: "samlfx never asks for a passphrase, so that it cannot hang in CI waiting for one. Write a copy of the key without a passphrase, keep it as private as the original, and delete it after the run: `openssl pkey -in key.pem -out key-plain.pem` (it asks for the passphrase once).",
        example: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n",
        fixed: "";
    UnsupportedKey = "S033", "unsupported-key", Error,
        summary: "The private key is not an RSA key of at least 1,024 bits.",
        explanation: "Salesforce signs SAML responses with RSA (RSA-SHA256, or RSA-SHA1 when the app says so), and AWS refuses identity-provider certificates whose key is shorter than 1,024 bits. An elliptic-curve, Ed25519 or DSA key, or a short RSA key, cannot sign the response Salesforce would send. Generate an RSA key of 2,048 bits, as Salesforce's own certificates have: `openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 365 -subj /CN=test`.",
        example: "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgIy+pSDnQ9uGX+pFY\njygpDXtPqSu/b3Kp61SinHLGmuChRANCAARxYZJ2YwmxFABrKM7KV43zA+Il5WGJ\nQbGEvQ9ygPuZaNuB0KS+k88UUT5f5mrVAFAaBGdRkN6fNjLBaVA9xXMR\n-----END PRIVATE KEY-----\n",
        fixed: "";
    KeyCertificateMismatch = "S034", "key-certificate-mismatch", Error,
        summary: "The certificate is not the private key's: its public key is another key's.",
        explanation: "The response carries the certificate in its `<ds:KeyInfo>` and AWS checks the signature with the certificate of the IdP metadata uploaded to IAM, so the certificate must hold the public half of the signing key. A response signed with one key and shipped with another key's certificate fails with \"Response signature invalid\". The two files come from different certificates (a renewed one, another org's). Compare `openssl x509 -noout -pubkey -in cert.pem` with `openssl pkey -pubout -in key.pem`: they must be equal.",
        example: "a private key and the certificate of another key",
        fixed: "";
    InvalidInstant = "S035", "invalid-instant", Error,
        summary: "`--now` is not an RFC 3339 date and time.",
        explanation: "`--now` fixes the instant the simulated response is issued at, so that its timestamps, its IDs and, with a fixed key, its signatures are the same on every run. It takes an RFC 3339 date and time with a time zone, `2026-01-01T00:00:00Z` or `2026-01-01T09:30:00+09:00`; the response states it in UTC with milliseconds, as Salesforce does.",
        example: "--now yesterday",
        fixed: "--now 2026-01-01T00:00:00Z";
    SigningFailed = "S036", "signing-failed", Error,
        summary: "libxmlsec could not sign the response.",
        explanation: "samlfx writes `<ds:Signature>` templates into the response and has libxmlsec (through samael) compute the digests and signatures. This fails when the document has no template, an ID reference that points nowhere, or when libxmlsec cannot use the key. With a response samlfx wrote this is a bug in samlfx: please report it with the command line (libxmlsec's own messages, printed on stderr before this one, say more).",
        example: "a document without a signature template",
        fixed: "";
    UnrepresentableCharacter = "S037", "unrepresentable-character", Warning,
        summary: "A value sent in the response holds a character XML cannot carry.",
        explanation: "XML 1.0 cannot hold control characters other than tab, line feed and carriage return, nor U+FFFE and U+FFFF, not even as character references, so no SAML response can carry them. `samlfx simulate` writes U+FFFD, the replacement character, in their place and says so; what Salesforce sends instead is not documented. Such characters usually come from data imported into a user field. Clean the field, or remove the character in the formula with SUBSTITUTE().",
        example: "jdoe\\u{1}",
        fixed: "jdoe";
    SigningNotBuiltIn = "S038", "signing-not-built-in", Warning,
        summary: "This samlfx was built without signing and signature verification.",
        explanation: "Signing (`samlfx simulate`) and signature verification (`samlfx inspect --idp-cert`) use libxmlsec1 through samael, a system C library. The default build leaves them out so that `check`, `eval`, `arn`, `audit`, `explain` and `inspect`'s decoding and rules install anywhere with no C library (the GitHub Action and the pre-commit hook install it). Without them `simulate` prints the response unsigned and `inspect` does not verify signatures, saying so with this warning. Install the full build, with the Debian packages the README lists: `cargo install --path . --features sign`.",
        example: "samlfx simulate in a build without the sign feature",
        fixed: "";
    UnreadableIdpCertificate = "S050", "unreadable-idp-certificate", Error,
        summary: "The IdP certificate or metadata given to check signatures cannot be read.",
        explanation: "`--idp-cert` takes the PEM of the IdP's signing certificate (Setup → Identity Provider → Download Certificate), `--idp-metadata` the IdP's SAML metadata XML (Download Metadata), whose `IDPSSODescriptor` holds the signing certificate and whose `entityID` is the Issuer AWS expects. The file is missing, not PEM, not a certificate, or metadata without a signing certificate.",
        example: "--idp-cert with a file that holds no PEM certificate",
        fixed: "";
    NotASamlResponse = "S100", "not-a-saml-response", Error,
        summary: "The XML is not a SAML 2.0 Response, or a required part of it is malformed.",
        explanation: "AWS reads a `Response` element in the SAML 2.0 protocol namespace (`urn:oasis:names:tc:SAML:2.0:protocol`), with xs:dateTime timestamps. An assertion alone, a response of another SAML version, or a timestamp that is not a UTC date-time is refused with \"Your request included an invalid SAML response\".",
        example: "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>",
        fixed: "";
    StatusNotSuccess = "S101", "status-not-success", Warning,
        summary: "The response's status is not Success.",
        explanation: "An IdP that could not sign the user in still posts a Response, with a `StatusCode` other than `urn:oasis:names:tc:SAML:2.0:status:Success` (Requester, Responder, AuthnFailed) and usually no assertion. The sign-in failed at Salesforce, before AWS: look at the user's login history in Setup.",
        example: "a Response whose StatusCode is urn:oasis:names:tc:SAML:2.0:status:Responder",
        fixed: "";
    EncryptedAssertion = "S102", "encrypted-assertion", Info,
        summary: "The assertion is encrypted: its attributes cannot be checked.",
        explanation: "IAM accepts encrypted assertions when the SAML provider holds the private key, and then the Recipient must be the provider's own `https://<region>.signin.aws.amazon.com/saml/acs/<IdP-ID>` URL. samlfx does not decrypt, so the subject, conditions and attributes are not checked. Inspect a response captured with encryption turned off, or `samlfx simulate` the app.",
        example: "a Response with an EncryptedAssertion",
        fixed: "";
    AssertionCount = "S103", "assertion-count", Error,
        summary: "The response holds no assertion, or more than one.",
        explanation: "AWS reads exactly one `Assertion` from the Response. None means there is nothing to sign the user in with; several are a sign of an assertion injected beside the signed one (signature wrapping), and which one a service provider reads is not defined.",
        example: "a Response without an Assertion",
        fixed: "";
    MissingIssuer = "S104", "missing-issuer", Error,
        summary: "The assertion has no Issuer.",
        explanation: "AWS finds the SAML provider by the assertion's `Issuer`, which must equal the `entityID` of the IdP metadata uploaded to IAM; without it the sign-in fails with \"Failed to assume role: Issuer not present in specified provider\".",
        example: "an Assertion without an Issuer",
        fixed: "";
    IssuerMismatch = "S105", "issuer-mismatch", Error,
        summary: "The Issuer is not the entityID of the IdP metadata.",
        explanation: "AWS compares the assertion's `Issuer` with the `entityID` of the metadata uploaded to the IAM SAML provider and answers \"Failed to assume role: Issuer not present in specified provider\" when they differ. The usual cause is a My Domain rename, or metadata downloaded from another org. Download the IdP metadata again and update the provider (`aws iam update-saml-provider`).",
        example: "an Issuer of https://old.my.salesforce.com against metadata of https://acme.my.salesforce.com",
        fixed: "";
    MissingNameId = "S106", "missing-name-id", Error,
        summary: "The assertion's Subject has no NameID, or an empty one.",
        explanation: "AWS requires a `Subject` with a `NameID`; without one AssumeRoleWithSAML answers \"Not authorized to perform sts:AssumeRoleWithSAML\". Salesforce writes the NameID from the app's Subject Type; an empty one comes from a subject field the user has blank (Federation ID, a custom attribute).",
        example: "an Assertion whose NameID is empty",
        fixed: "";
    UnusualNameIdFormat = "S107", "name-id-format", Warning,
        summary: "The NameID's Format is not one AWS lists.",
        explanation: "AWS's metadata lists the NameID formats it accepts (persistent, transient, emailAddress, unspecified, X509SubjectName, WindowsDomainQualifiedName, kerberos, entity). Service Cloud Voice uses `urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`.",
        example: "a NameID with Format urn:example:custom",
        fixed: "";
    SubjectConfirmation = "S108", "subject-confirmation", Error,
        summary: "The Subject lacks exactly one bearer SubjectConfirmation with Recipient and NotOnOrAfter.",
        explanation: "AWS requires exactly one `SubjectConfirmation` with Method `urn:oasis:names:tc:SAML:2.0:cm:bearer` whose `SubjectConfirmationData` has both a `Recipient` (the sign-in endpoint) and a `NotOnOrAfter`; otherwise the response is invalid.",
        example: "a SubjectConfirmationData without NotOnOrAfter",
        fixed: "";
    RecipientNotAws = "S109", "recipient-not-aws", Error,
        summary: "The Recipient is not an AWS sign-in endpoint.",
        explanation: "The `Recipient` must be the AWS endpoint the response is posted to: `https://signin.aws.amazon.com/saml` (or `/static/saml`), a regional `https://<region>.signin.aws.amazon.com/saml`, `https://signin.amazonaws-us-gov.com/saml` or `https://signin.amazonaws.cn/saml` (with SAML encryption, the provider's own `/saml/acs/<IdP-ID>`), over https, with a region that exists and no query. Salesforce writes it from the app's ACS URL, and this is the rule `samlfx check` applies to that URL (C105). Note that a role's trust policy usually conditions on `saml:aud`, which AWS takes from the Recipient: a regional Recipient needs that URL in the trust policy too.",
        example: "a Recipient of https://localhost:8080/callback",
        fixed: "";
    DestinationMismatch = "S110", "destination-mismatch", Warning,
        summary: "The Response's Destination differs from the Recipient.",
        explanation: "Salesforce writes both from the ACS URL, so they agree unless the response was edited or comes from another IdP. Tools that post the response (saml2aws) read the Destination to learn where to post it.",
        example: "a Destination of https://us-east-1.signin.aws.amazon.com/saml and a Recipient of https://signin.aws.amazon.com/saml",
        fixed: "";
    AudienceMismatch = "S111", "audience", Warning,
        summary: "No Audience is one AWS or the app expects.",
        explanation: "Salesforce writes the app's Entity ID as the `Audience`. AWS's own entity ID is `urn:amazon:webservices`; Service Cloud Voice apps work with the IAM provider's name as the Entity ID, so AWS's enforcement is not documented and this is a warning. An `AudienceRestriction` with no `Audience` at all is an error. Since 2023 AWS may answer \"Response does not contain the required audience.\"",
        example: "an Audience of https://example.com/sp",
        fixed: "";
    ResponseExpired = "S112", "response-expired", Error,
        summary: "The response has expired.",
        explanation: "AWS refuses an assertion at or after `SubjectConfirmationData/@NotOnOrAfter` or `Conditions/@NotOnOrAfter`; Salesforce sets them five minutes after issue. A captured response is only good for those minutes: inspect it with `--now` set to when it was posted to check the rest.",
        example: "a response checked ten minutes after it was issued",
        fixed: "";
    NotYetValid = "S113", "not-yet-valid", Warning,
        summary: "The response is not valid yet: a NotBefore or IssueInstant lies in the future.",
        explanation: "A `NotBefore` or `IssueInstant` more than a minute after the time of the check means the IdP's clock is ahead, or `--now` is earlier than the sign-in. AWS refuses an assertion before its NotBefore.",
        example: "a response checked a day before it was issued",
        fixed: "";
    RedemptionWindow = "S114", "redemption-window", Warning,
        summary: "The response was issued more than five minutes before the check.",
        explanation: "STS is reported to refuse a SAML response that reaches AssumeRoleWithSAML more than five minutes after its issue, with an ExpiredTokenException (an error AWS's API reference lists for the call). The limit itself is not in AWS's documentation: it comes from users of command-line sign-in tools, so this is a warning. A response captured and replayed later, or cached by a tool, meets it; one the browser posts at once does not.",
        example: "a response checked six minutes after it was issued, with NotOnOrAfter later",
        fixed: "";
    InvalidSignature = "S115", "invalid-signature", Error,
        summary: "A signature does not verify against the IdP certificate.",
        explanation: "AWS verifies the response with the certificate of the IdP metadata uploaded to IAM and answers \"Response signature invalid\" (InvalidIdentityToken) when it does not match: the IdP's certificate was rotated and the metadata not uploaded again, the response comes from another org or app, or the signed content was changed after signing. Update the provider with the current metadata (`aws iam update-saml-provider`).",
        example: "a signed response whose attribute value was changed after signing",
        fixed: "";
    UnsignedAssertion = "S116", "unsigned-assertion", Error,
        summary: "No signature covers the assertion.",
        explanation: "AWS trusts an assertion only under a valid signature of the IdP: one on the assertion itself or one on the Response around it. An assertion outside every signed element, beside a signed one, is the signature-wrapping attack: the signature verifies, but not for what would be read.",
        example: "a Response holding a signed Assertion and an unsigned one",
        fixed: "";
    Sha1Signature = "S117", "sha1-signature", Warning,
        summary: "A signature uses SHA-1.",
        explanation: "SHA-1 is broken for collision resistance; every AWS example signs with RSA-SHA256 and a SHA-256 digest, and AWS's acceptance of SHA-1 is not documented. Set the app's Signing Algorithm for SAML Messages to SHA256.",
        example: "a signature with SignatureMethod rsa-sha1",
        fixed: "";
    SignatureWrapping = "S118", "signature-wrapping", Error,
        summary: "A signature's reference is ambiguous or points outside the response.",
        explanation: "A signature covers the element whose `ID` its `Reference URI` names. Two elements with one ID, or a reference to no element, or to something other than the Response or its Assertion, let a verifier check one element while a reader uses another (signature wrapping). A genuine IdP never produces one.",
        example: "two Assertions with the same ID",
        fixed: "";
    SignatureNotChecked = "S119", "signature-not-checked", Info,
        summary: "The signatures were not verified: no IdP certificate was given.",
        explanation: "`samlfx inspect` verifies signatures against the certificate AWS holds: give it with `--idp-cert CERT.pem` or `--idp-metadata METADATA.xml` (the metadata uploaded to the IAM SAML provider). Without one only the structure is checked; the certificate inside the response's KeyInfo proves nothing, since anyone can sign with their own.",
        example: "a signed response inspected without --idp-cert",
        fixed: "";
    CommentInValue = "S120", "comment-in-value", Warning,
        summary: "A comment splits the NameID or an attribute value.",
        explanation: "Signatures are computed without comments, so `admin@acme.com<!---->.evil.com` verifies like `admin@acme.com.evil.com`, while a reader that keeps only the first text node sees `admin@acme.com`. samlfx checks the whole value; an IdP never writes a comment there, so it is a sign of tampering.",
        example: "a NameID of jdoe@acme.com<!-- x -->.evil.com",
        fixed: "";
    AssertionNotSignedItself = "S121", "assertion-not-signed-itself", Warning,
        summary: "Only the Response is signed, not the Assertion.",
        explanation: "AWS's metadata asks for signed assertions (`WantAssertionsSigned=\"true\"`); whether a signed Response around an unsigned Assertion is accepted is not documented. Salesforce signs both. Check the IdP's signing settings.",
        example: "a Response signature and an unsigned Assertion",
        fixed: "";
    RelayStateNotConsole = "S122", "relay-state", Warning,
        summary: "The RelayState posted with the response is not an https URL of the AWS console.",
        explanation: "After the sign-in, AWS sends the browser on to the RelayState posted beside the SAMLResponse (the `RelayState` of the form body, or of the POST in a HAR). It should be an https URL of the AWS console (`https://console.aws.amazon.com/…`, `https://<region>.console.aws.amazon.com/…`, GovCloud's `console.amazonaws-us-gov.com`, China's `console.amazonaws.cn`); for Amazon Connect it is the federation URL `https://<region>.console.aws.amazon.com/connect/federate/<instance id>` (GovCloud: `https://console.amazonaws-us-gov.com/connect/federate/<instance id>`), where the instance id is the lowercase UUID after `instance/` in the instance's ARN, optionally followed by `?destination=%2Fccp-v2`. Another URL leaves the user on a page that is not the one meant; under Service Cloud Voice the agent never reaches Amazon Connect and the softphone does not start. Salesforce posts the RelayState of the IdP-initiated login URL (`…/idp/login?app=0sp…&RelayState=…`), which Service Cloud Voice builds from the contact center's `reqRelayState`.",
        example: "SAMLResponse=<base64>&RelayState=https%3A%2F%2Fus-west-2.console.aws.amazon.com%2Fconnect%2Flogin%2F0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
        fixed: "";
    MissingAuthnStatement = "S123", "missing-authn-statement", Warning,
        summary: "The assertion has no AuthnStatement.",
        explanation: "SAML's Web Browser SSO profile, which AWS's SAML federation follows, requires the assertion to carry an `<saml:AuthnStatement>`: when and how the user signed in to the IdP, and `SessionNotOnOrAfter`, which AWS uses to bound the console session. Salesforce always writes one; a response without it was built by another tool or altered. What AWS answers is not documented, so this is a warning.",
        example: "an assertion without <saml:AuthnStatement>",
        fixed: "";
    SessionAlreadyOver = "S124", "session-already-over", Warning,
        summary: "The AuthnStatement's SessionNotOnOrAfter has passed.",
        explanation: "`AuthnStatement/@SessionNotOnOrAfter` is when the IdP says the session it grants ends; AWS bounds the console session by the smaller of it and the SessionDuration attribute. One in the past at the time of the check leaves no session. Captured responses are often checked later: give `--now` the time the response was posted.",
        example: "SessionNotOnOrAfter=\"2025-12-31T23:00:00Z\" checked at 2026-01-01T00:00:10Z",
        fixed: "";
    DecryptionFailed = "S125", "decryption-failed", Error,
        summary: "The encrypted assertion does not decrypt with the key given to `--sp-key`.",
        explanation: "AWS decrypts an encrypted assertion with the private key uploaded to the IAM SAML provider (its certificate is what the app encrypts to). `samlfx inspect --sp-key KEY.pem` decrypts with the same key and checks the assertion like any other. A key that does not fit (another key, a rotated certificate the app still encrypts to), an algorithm outside XML Encryption's RSA-OAEP/RSA 1.5 and AES-CBC/AES-GCM/3DES, or a damaged ciphertext is reported with this error; AWS fails the sign-in the same way.",
        example: "inspect --sp-key with another key than the one the assertion was encrypted to",
        fixed: "";
    DiffersFromApp = "S200", "differs-from-app", Warning,
        summary: "The captured response differs from what the app would send now.",
        explanation: "With `--app` (and `--user` for the values), `samlfx inspect` compares the capture with what the app sends: its attributes evaluated for that user, the NameID, the Entity ID as Audience and the ACS URL as Recipient. A difference means the app or the user's fields changed since the capture, or the capture comes from another app or user. The capture is what AWS judged, so fix the app, then sign in again and capture anew.",
        example: "a captured RoleSessionName jdoe where the app now sends jdoe@005000000000001",
        fixed: "";
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
        // Families (the letter) in the order F, A, C, U, S; numbers rising within each; ids unique. So
        // `explain --list`, the README and SARIF read in order.
        const FAMILIES: &str = "FACUS";
        let keys: Vec<(usize, &str)> = CODES
            .iter()
            .map(|c| {
                let family = FAMILIES.find(&c.id[..1]).expect(c.id);
                (family, &c.id[1..])
            })
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    }

    /// Error texts from users' reports of CLI tools, not from AWS's documentation: the error
    /// lists of "AssumeRoleWithSAML", AWS STS API Reference
    /// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html#API_AssumeRoleWithSAML_Errors),
    /// and "Troubleshooting SAML 2.0 federation with AWS", IAM User Guide
    /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html), have neither.
    /// No code quotes them as AWS's words.
    #[test]
    fn no_undocumented_text_is_quoted_as_aws() {
        for text in [
            "Token must be redeemed within 5 minutes of issuance",
            "Request ARN is invalid",
        ] {
            for c in CODES {
                for field in [c.summary, c.explanation] {
                    assert!(!field.contains(text), "{}: {field}", c.id);
                }
            }
        }
        let s114 = Code::RedemptionWindow.info().explanation;
        assert!(s114.contains("ExpiredTokenException"), "{s114}");
        assert!(s114.contains("not in AWS's documentation"), "{s114}");
    }
}
