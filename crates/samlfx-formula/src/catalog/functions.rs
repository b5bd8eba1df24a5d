//! The function catalog: one row per function with its name, arity, parameter and result types,
//! signature and documentation. The checker reads the typing, the evaluator dispatches on
//! [`Func`], `explain` and the README read the documentation.
//!
//! Rows are in [`Func`] declaration order, so [`spec`] is an index (a test keeps it so).

use crate::Type;

/// Every function samlfx knows. The evaluator matches on this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    // Logical
    If,
    Case,
    And,
    Or,
    Not,
    IsBlank,
    IsNull,
    BlankValue,
    NullValue,
    IsPickVal,
    IsNumber,
    Ifs,
    In,
    IfError,
    // Text
    Len,
    Left,
    Right,
    Mid,
    Substr,
    Find,
    Begins,
    Contains,
    Substitute,
    Trim,
    Upper,
    Lower,
    Lpad,
    Rpad,
    Text,
    Value,
    Regex,
    CaseSafeId,
    Br,
    Hyperlink,
    Image,
    InitCap,
    Reverse,
    Ascii,
    Chr,
    UrlEncode,
    HtmlEncode,
    JsEncode,
    JsInHtmlEncode,
    Like,
    JsonValue,
    JsonPathValue,
    FormatCurrency,
    // Math
    Abs,
    Ceiling,
    Floor,
    MCeiling,
    MFloor,
    Round,
    Trunc,
    Mod,
    Max,
    Min,
    Sqrt,
    Exp,
    Ln,
    Log,
    Pi,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Geolocation,
    Distance,
    // Date and time
    Today,
    Now,
    TimeNow,
    Date,
    DateValue,
    DateTimeValue,
    TimeValue,
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Weekday,
    AddMonths,
    IsoWeek,
    IsoYear,
    DayOfYear,
    UnixTimestamp,
    FromUnixTime,
    FormatDuration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Logical,
    Text,
    Math,
    DateTime,
}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    Exact(u8),
    Range(u8, u8),
    AtLeast(u8),
    /// CASE: at least 4 and even.
    Case,
    /// IFS: at least 3 and odd.
    Ifs,
}

impl Arity {
    pub fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exact(k) => n == k as usize,
            Arity::Range(lo, hi) => (lo as usize..=hi as usize).contains(&n),
            Arity::AtLeast(lo) => n >= lo as usize,
            Arity::Case => n >= 4 && n.is_multiple_of(2),
            Arity::Ifs => n >= 3 && !n.is_multiple_of(2),
        }
    }

    /// The count Salesforce names in `Expected {n}` when `received` arguments were given:
    /// the nearest valid count below (or the minimum), CASE's `4 + ((n-4)/2)*2` rule.
    pub fn expected_for(self, received: usize) -> usize {
        match self {
            Arity::Exact(k) => k as usize,
            Arity::Range(lo, hi) => {
                if received < lo as usize {
                    lo as usize
                } else {
                    hi as usize
                }
            }
            Arity::AtLeast(lo) => lo as usize,
            Arity::Case if received < 4 => 4,
            Arity::Case => 4 + ((received - 4) / 2) * 2,
            Arity::Ifs if received < 3 => 3,
            Arity::Ifs => 3 + ((received - 3) / 2) * 2,
        }
    }
}

/// One parameter: the types it accepts. An empty list means "any type" (the checker applies the
/// function's own rules, e.g. IF's branches).
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub accepts: &'static [Type],
}

/// How the result type is found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Fixed(Type),
    /// The type of argument `i` (ADDMONTHS: Date in, Date out).
    SameAs(usize),
    /// The common type of these arguments (IF's branches, BLANKVALUE's two values); empty for
    /// CASE and IFS, whose result arguments depend on the count.
    Common(&'static [usize]),
}

/// One row of the catalog.
#[derive(Debug)]
pub struct FunctionSpec {
    pub func: Func,
    /// Upper-case name.
    pub name: &'static str,
    pub category: Category,
    pub arity: Arity,
    /// The declared parameters. Optional ones come last (see `arity`).
    pub params: &'static [Param],
    /// The last parameter repeats (AND, OR, MAX, MIN, IN's values).
    pub variadic: bool,
    pub ret: Ret,
    /// Human signature, e.g. `LEFT(text, num_chars) → Text`.
    pub signature: &'static str,
    /// One line: what it does and its edge cases.
    pub doc: &'static str,
    /// What its Text result can look like given its arguments' shapes (read by
    /// [`crate::shape`]).
    pub yields: Yields,
}

/// How a function's Text result relates to its arguments, for the shape analysis: one rule per
/// row, so a new function says what it produces where it is declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yields {
    /// The result is not Text; it reaches an attribute only through TEXT().
    NotText,
    /// One of these arguments (IF's branches, IFERROR's value and fallback).
    OneOf(&'static [usize]),
    /// One of CASE's results or its else-result.
    CaseResults,
    /// One of IFS's values or its else-value.
    IfsValues,
    /// The first argument, or the second when the first is blank (BLANKVALUE).
    Fallback,
    /// A substring of the first argument, at most as long as argument `count` when it is a
    /// constant (LEFT, RIGHT, MID, SUBSTR).
    Part { count: usize },
    /// SUBSTITUTE(text, old, new).
    Substitute,
    /// TRIM: the first argument without leading and trailing spaces.
    Trim,
    /// UPPER, LOWER, INITCAP: the first argument with letters recased.
    ChangeCase,
    /// LPAD, RPAD: exactly argument 1 long when it is a constant.
    Pad,
    /// TEXT(value): the printed form of a number, date, time or picklist.
    Text,
    /// CASESAFEID: an 18-character Id from a 15-character one.
    CaseSafeId,
    /// REVERSE: the same characters in reverse order.
    Reverse,
    /// Text the analysis does not model (HYPERLINK, the encoders, CHR): any characters, any length.
    Opaque,
}

impl FunctionSpec {
    /// The declared parameter for argument `i`, repeating the last one for variadic functions.
    pub fn param(&self, i: usize) -> Option<&'static Param> {
        match self.params.get(i) {
            Some(p) => Some(p),
            None if self.variadic => self.params.last(),
            None => None,
        }
    }
}

use Type::{
    Boolean as B, Date as D, DateTime as DT, Location as LOC, Number as N, Picklist as PL,
    Text as T, Time as TM,
};

const fn p(name: &'static str, accepts: &'static [Type]) -> Param {
    Param { name, accepts }
}

const ANY: &[Type] = &[];
const NUM: &[Type] = &[N];
const TXT: &[Type] = &[T];
const BOOL: &[Type] = &[B];
const DATE: &[Type] = &[D];
const TIME: &[Type] = &[TM];

const P_N: &[Param] = &[p("number", NUM)];
const P_T: &[Param] = &[p("text", TXT)];
const P_D: &[Param] = &[p("date", DATE)];
const P_TM: &[Param] = &[p("time", TIME)];
const P_NONE: &[Param] = &[];

#[allow(clippy::too_many_arguments)]
const fn row(
    func: Func,
    name: &'static str,
    category: Category,
    arity: Arity,
    params: &'static [Param],
    variadic: bool,
    ret: Ret,
    signature: &'static str,
    doc: &'static str,
    yields: Yields,
) -> FunctionSpec {
    FunctionSpec {
        func,
        name,
        category,
        arity,
        params,
        variadic,
        ret,
        signature,
        doc,
        yields,
    }
}

use Arity::{AtLeast, Exact, Range};
use Category::{DateTime as CD, Logical as CL, Math as CM, Text as CT};
use Ret::{Common, Fixed, SameAs};

/// The catalog, in [`Func`] declaration order.
pub static FUNCTIONS: &[FunctionSpec] = &[
    // ---- Logical ----
    row(
        Func::If,
        "IF",
        CL,
        Exact(3),
        &[
            p("condition", BOOL),
            p("value_if_true", ANY),
            p("value_if_false", ANY),
        ],
        false,
        Common(&[1, 2]),
        "IF(condition, value_if_true, value_if_false) → type of the values",
        "Returns one of two values of a common type; a null condition counts as false and only the chosen branch is evaluated.",
        Yields::OneOf(&[1, 2]),
    ),
    row(
        Func::Case,
        "CASE",
        CL,
        Arity::Case,
        &[
            p("expression", ANY),
            p("value", ANY),
            p("result", ANY),
            p("else_result", ANY),
        ],
        false,
        Common(&[]),
        "CASE(expression, value1, result1, …, else_result) → type of the results",
        "Compares the expression with each value like `=` and returns the matching result, else the last argument (mandatory); no Boolean expression, value or result; a picklist subject needs text literal values.",
        Yields::CaseResults,
    ),
    row(
        Func::And,
        "AND",
        CL,
        AtLeast(1),
        &[p("condition", BOOL)],
        true,
        Fixed(B),
        "AND(condition, …) → Boolean",
        "True when every condition is true; a null condition counts as false; stops at the first false one (same as `&&`).",
        Yields::NotText,
    ),
    row(
        Func::Or,
        "OR",
        CL,
        AtLeast(1),
        &[p("condition", BOOL)],
        true,
        Fixed(B),
        "OR(condition, …) → Boolean",
        "True when any condition is true; a null condition counts as false; stops at the first true one (same as `||`).",
        Yields::NotText,
    ),
    row(
        Func::Not,
        "NOT",
        CL,
        Exact(1),
        &[p("condition", BOOL)],
        false,
        Fixed(B),
        "NOT(condition) → Boolean",
        "Negates a Boolean; NOT(null) is null. NOT is really a prefix operator: `NOT x` works too.",
        Yields::NotText,
    ),
    row(
        Func::IsBlank,
        "ISBLANK",
        CL,
        Exact(1),
        &[p("expression", ANY)],
        false,
        Fixed(B),
        "ISBLANK(expression) → Boolean",
        "True when the value is null; empty text is null, but text of spaces is not blank. Takes no Boolean.",
        Yields::NotText,
    ),
    row(
        Func::IsNull,
        "ISNULL",
        CL,
        Exact(1),
        &[p("expression", ANY)],
        false,
        Fixed(B),
        "ISNULL(expression) → Boolean",
        "True when a non-text value is null; always false for a Text expression (use ISBLANK). Takes no Boolean.",
        Yields::NotText,
    ),
    row(
        Func::BlankValue,
        "BLANKVALUE",
        CL,
        Exact(2),
        &[p("expression", ANY), p("substitute", ANY)],
        false,
        Common(&[0, 1]),
        "BLANKVALUE(expression, substitute) → type of the values",
        "Returns the substitute when the expression is null or empty text, else the expression; the first argument may not be Boolean.",
        Yields::Fallback,
    ),
    row(
        Func::NullValue,
        "NULLVALUE",
        CL,
        Exact(2),
        &[p("expression", ANY), p("substitute", ANY)],
        false,
        Common(&[0, 1]),
        "NULLVALUE(expression, substitute) → type of the values",
        "Like BLANKVALUE, but a Text expression is never substituted (the engine substitutes numbers, dates and times only).",
        // Text is never substituted, so a blank stays blank: either argument, blank included.
        Yields::OneOf(&[0, 1]),
    ),
    row(
        Func::IsPickVal,
        "ISPICKVAL",
        CL,
        Exact(2),
        &[p("picklist_field", &[PL]), p("text_literal", TXT)],
        false,
        Fixed(B),
        "ISPICKVAL(picklist_field, text_literal) → Boolean",
        "True when the picklist field's API value equals the text; case-sensitive.",
        Yields::NotText,
    ),
    row(
        Func::IsNumber,
        "ISNUMBER",
        CL,
        Exact(1),
        P_T,
        false,
        Fixed(B),
        "ISNUMBER(text) → Boolean",
        "True when the text is a decimal number such as `5`, `-5.0` or `+5`; false for empty text and words.",
        Yields::NotText,
    ),
    row(
        Func::Ifs,
        "IFS",
        CL,
        Arity::Ifs,
        &[p("condition", BOOL), p("value", ANY), p("else_value", ANY)],
        false,
        Common(&[]),
        "IFS(condition1, value1, …, else_value) → type of the values",
        "Returns the value of the first true condition, else the last argument; needs an odd count of at least 3 (formula-engine extension).",
        Yields::IfsValues,
    ),
    row(
        Func::In,
        "IN",
        CL,
        AtLeast(2),
        &[p("expression", ANY), p("value", ANY)],
        true,
        Fixed(B),
        "IN(expression, value1, …) → Boolean",
        "True when the expression equals one of the values (all of a type compatible with it); a null expression never matches (formula-engine extension).",
        Yields::NotText,
    ),
    row(
        Func::IfError,
        "IFERROR",
        CL,
        Exact(2),
        &[p("value", ANY), p("value_if_error", ANY)],
        false,
        Common(&[0, 1]),
        "IFERROR(value, value_if_error) → type of the values",
        "Returns the fallback when evaluating the value fails (division by zero, bad VALUE() input …); the two must share a type.",
        Yields::OneOf(&[0, 1]),
    ),
    // ---- Text ----
    row(
        Func::Len,
        "LEN",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(N),
        "LEN(text) → Number",
        "The number of characters (UTF-16 units); LEN of null or empty text is 0, not null.",
        Yields::NotText,
    ),
    row(
        Func::Left,
        "LEFT",
        CT,
        Exact(2),
        &[p("text", TXT), p("num_chars", NUM)],
        false,
        Fixed(T),
        "LEFT(text, num_chars) → Text",
        "The first num_chars characters; num_chars ≤ 0 gives null, more than the length gives the whole text, fractions are truncated.",
        Yields::Part { count: 1 },
    ),
    row(
        Func::Right,
        "RIGHT",
        CT,
        Exact(2),
        &[p("text", TXT), p("num_chars", NUM)],
        false,
        Fixed(T),
        "RIGHT(text, num_chars) → Text",
        "The last num_chars characters; same edge rules as LEFT.",
        Yields::Part { count: 1 },
    ),
    row(
        Func::Mid,
        "MID",
        CT,
        Exact(3),
        &[p("text", TXT), p("start", NUM), p("num_chars", NUM)],
        false,
        Fixed(T),
        "MID(text, start, num_chars) → Text",
        "num_chars characters from the 1-based start; start < 1 counts as 1, start past the end or num_chars ≤ 0 gives null.",
        Yields::Part { count: 2 },
    ),
    row(
        Func::Substr,
        "SUBSTR",
        CT,
        Range(2, 3),
        &[p("text", TXT), p("start", NUM), p("length", NUM)],
        false,
        Fixed(T),
        "SUBSTR(text, start[, length]) → Text",
        "Like MID with an optional length (to the end when absent); a negative start counts from the end (formula-engine extension).",
        Yields::Part { count: 2 },
    ),
    row(
        Func::Find,
        "FIND",
        CT,
        Range(2, 3),
        &[p("search_text", TXT), p("text", TXT), p("start", NUM)],
        false,
        Fixed(N),
        "FIND(search_text, text[, start]) → Number",
        "The 1-based position of search_text in text, 0 when absent or when either is null/empty; case-sensitive; never null.",
        Yields::NotText,
    ),
    row(
        Func::Begins,
        "BEGINS",
        CT,
        Exact(2),
        &[p("text", TXT), p("prefix", TXT)],
        false,
        Fixed(B),
        "BEGINS(text, prefix) → Boolean",
        "True when text starts with prefix (case-sensitive); an empty prefix gives true, empty text with a prefix gives null (falsy).",
        Yields::NotText,
    ),
    row(
        Func::Contains,
        "CONTAINS",
        CT,
        Exact(2),
        &[p("text", TXT), p("search_text", TXT)],
        false,
        Fixed(B),
        "CONTAINS(text, search_text) → Boolean",
        "True when text contains search_text (case-sensitive); same null rules as BEGINS.",
        Yields::NotText,
    ),
    row(
        Func::Substitute,
        "SUBSTITUTE",
        CT,
        Exact(3),
        &[p("text", TXT), p("old_text", TXT), p("new_text", TXT)],
        false,
        Fixed(T),
        "SUBSTITUTE(text, old_text, new_text) → Text",
        "Replaces every occurrence of old_text, literally and case-sensitively; null text or empty old_text gives null, null new_text deletes.",
        Yields::Substitute,
    ),
    row(
        Func::Trim,
        "TRIM",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "TRIM(text) → Text",
        "Removes leading and trailing spaces (not inner runs); text of only spaces becomes null.",
        Yields::Trim,
    ),
    row(
        Func::Upper,
        "UPPER",
        CT,
        Range(1, 2),
        &[p("text", TXT), p("locale", TXT)],
        false,
        Fixed(T),
        "UPPER(text[, locale]) → Text",
        "Upper-cases with full Unicode mapping (`ß` → `SS`); the optional locale such as 'tr' selects locale rules.",
        Yields::ChangeCase,
    ),
    row(
        Func::Lower,
        "LOWER",
        CT,
        Range(1, 2),
        &[p("text", TXT), p("locale", TXT)],
        false,
        Fixed(T),
        "LOWER(text[, locale]) → Text",
        "Lower-cases with full Unicode mapping; the optional locale such as 'tr' selects locale rules.",
        Yields::ChangeCase,
    ),
    row(
        Func::Lpad,
        "LPAD",
        CT,
        Range(2, 3),
        &[
            p("text", TXT),
            p("padded_length", NUM),
            p("pad_string", TXT),
        ],
        false,
        Fixed(T),
        "LPAD(text, padded_length[, pad_string]) → Text",
        "Pads on the left to padded_length with pad_string (default a space), repeated and cut; a shorter length truncates to the first characters; ≤ 0 gives null.",
        Yields::Pad,
    ),
    row(
        Func::Rpad,
        "RPAD",
        CT,
        Range(2, 3),
        &[
            p("text", TXT),
            p("padded_length", NUM),
            p("pad_string", TXT),
        ],
        false,
        Fixed(T),
        "RPAD(text, padded_length[, pad_string]) → Text",
        "Pads on the right to padded_length with pad_string (default a space); a shorter length truncates to the first characters; ≤ 0 gives null.",
        Yields::Pad,
    ),
    row(
        Func::Text,
        "TEXT",
        CT,
        Exact(1),
        &[p("value", &[N, D, DT, TM, PL])],
        false,
        Fixed(T),
        "TEXT(value) → Text",
        "Formats a Number (plain decimal, trailing zeros dropped), Date (YYYY-MM-DD), DateTime (YYYY-MM-DD HH:MM:SSZ, GMT), Time or picklist API value; takes no Text or Boolean.",
        Yields::Text,
    ),
    row(
        Func::Value,
        "VALUE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(N),
        "VALUE(text) → Number",
        "Reads a decimal number from text (sign, point and exponent allowed); anything else is a run-time error.",
        Yields::NotText,
    ),
    row(
        Func::Regex,
        "REGEX",
        CT,
        Exact(2),
        &[p("text", TXT), p("regex_text", TXT)],
        false,
        Fixed(B),
        "REGEX(text, regex_text) → Boolean",
        "True when the whole text matches the regular expression (a full match, not a search); null counts as empty text.",
        Yields::NotText,
    ),
    row(
        Func::CaseSafeId,
        "CASESAFEID",
        CT,
        Exact(1),
        &[p("id", TXT)],
        false,
        Fixed(T),
        "CASESAFEID(id) → Text",
        "Converts a 15-character Id to its 18-character case-insensitive form by appending the 3-character checksum.",
        Yields::CaseSafeId,
    ),
    row(
        Func::Br,
        "BR",
        CT,
        Exact(0),
        P_NONE,
        false,
        Fixed(T),
        "BR() → Text",
        "An HTML line break (`<br>`); meant for text shown in a page, pointless in a SAML attribute.",
        Yields::Opaque,
    ),
    row(
        Func::Hyperlink,
        "HYPERLINK",
        CT,
        Range(2, 3),
        &[p("url", TXT), p("friendly_name", TXT), p("target", TXT)],
        false,
        Fixed(T),
        "HYPERLINK(url, friendly_name[, target]) → Text",
        "An HTML link; JavaScript URLs are refused. Meant for pages, not SAML attributes.",
        Yields::Opaque,
    ),
    row(
        Func::Image,
        "IMAGE",
        CT,
        Range(2, 4),
        &[
            p("image_url", TXT),
            p("alternate_text", TXT),
            p("height", NUM),
            p("width", NUM),
        ],
        false,
        Fixed(T),
        "IMAGE(image_url, alternate_text[, height, width]) → Text",
        "An HTML image tag. Meant for pages, not SAML attributes.",
        Yields::Opaque,
    ),
    row(
        Func::InitCap,
        "INITCAP",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "INITCAP(text) → Text",
        "Upper-cases the first letter of each word and lower-cases the rest.",
        Yields::ChangeCase,
    ),
    row(
        Func::Reverse,
        "REVERSE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "REVERSE(text) → Text",
        "The characters in reverse order; null stays null.",
        Yields::Reverse,
    ),
    row(
        Func::Ascii,
        "ASCII",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(N),
        "ASCII(text) → Number",
        "The code point of the first character; null for null text.",
        Yields::NotText,
    ),
    row(
        Func::Chr,
        "CHR",
        CT,
        Exact(1),
        &[p("code_point", NUM)],
        false,
        Fixed(T),
        "CHR(code_point) → Text",
        "The character with that Unicode code point; an invalid code point is an error.",
        Yields::Opaque,
    ),
    row(
        Func::UrlEncode,
        "URLENCODE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "URLENCODE(text) → Text",
        "Percent-encodes text for use in a URL (UTF-8, space as `+`).",
        Yields::Opaque,
    ),
    row(
        Func::HtmlEncode,
        "HTMLENCODE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "HTMLENCODE(text) → Text",
        "Escapes HTML-reserved characters such as `<`, `>`, `&` and `\"`.",
        Yields::Opaque,
    ),
    row(
        Func::JsEncode,
        "JSENCODE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "JSENCODE(text) → Text",
        "Escapes text for a JavaScript string literal (backslash escapes for quotes and line breaks).",
        Yields::Opaque,
    ),
    row(
        Func::JsInHtmlEncode,
        "JSINHTMLENCODE",
        CT,
        Exact(1),
        P_T,
        false,
        Fixed(T),
        "JSINHTMLENCODE(text) → Text",
        "HTML-encodes, then JavaScript-encodes: for script inside an HTML attribute.",
        Yields::Opaque,
    ),
    row(
        Func::Like,
        "LIKE",
        CT,
        Exact(2),
        &[p("text", TXT), p("pattern", TXT)],
        false,
        Fixed(B),
        "LIKE(text, pattern) → Boolean",
        "SQL-style match of the whole text: `%` any run of characters, `_` one character (formula-engine extension).",
        Yields::NotText,
    ),
    row(
        Func::JsonValue,
        "JSONVALUE",
        CT,
        Exact(2),
        &[p("json", TXT), p("key", TXT)],
        false,
        Fixed(T),
        "JSONVALUE(json, 'key') → Text",
        "The member `key` of the JSON object `json`, as text: a string as is, a number or Boolean printed, an object or array blank, JSON null the text `null`. The key must be a text literal; a missing key, a non-object or a null argument gives null; text that is not JSON is a run-time error. samlfx reads at most 131,072 characters of JSON nested at most 128 deep.",
        Yields::Opaque,
    ),
    row(
        Func::JsonPathValue,
        "JSONPATHVALUE",
        CT,
        Exact(2),
        &[p("json", TXT), p("path", TXT)],
        false,
        Fixed(T),
        "JSONPATHVALUE(json, '$.path') → Text",
        "The value at a JSONPath in `json`, as text (`$` optional): `.name`, `['name']`, `[index]` (negative from the end), `[*]`, `.*`, `..name` and `[a,b]`; several matches print as `[a, b]`, an object as `{key=value}`. The path must be a text literal; invalid JSON, an invalid path or no match gives null, never an error. Filters `[?(…)]` and functions such as `.length()` are not evaluated by samlfx (F305).",
        Yields::Opaque,
    ),
    row(
        Func::FormatCurrency,
        "FORMATCURRENCY",
        CT,
        Exact(2),
        &[p("iso_code", TXT), p("amount", NUM)],
        false,
        Fixed(T),
        "FORMATCURRENCY(iso_code, amount) → Text",
        "`ISO amount` in the en_US format: grouped thousands, the currency's ISO 4217 decimals (JPY 0, KWD 3, most 2; an unknown or null code 2), HALF_UP (`FORMATCURRENCY('USD', 1000.495)` is `USD 1,000.50`). A null code leaves a leading space; a null amount gives blank; an amount beyond ±9.2×10^18 is an error.",
        Yields::Opaque,
    ),
    // ---- Math ----
    row(
        Func::Abs,
        "ABS",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "ABS(number) → Number",
        "The absolute value; null stays null.",
        Yields::NotText,
    ),
    row(
        Func::Ceiling,
        "CEILING",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "CEILING(number) → Number",
        "Rounds away from zero to an integer: CEILING(-1.3) is -2. Use MCEILING for the mathematical ceiling.",
        Yields::NotText,
    ),
    row(
        Func::Floor,
        "FLOOR",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "FLOOR(number) → Number",
        "Rounds toward zero to an integer: FLOOR(-1.7) is -1. Use MFLOOR for the mathematical floor.",
        Yields::NotText,
    ),
    row(
        Func::MCeiling,
        "MCEILING",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "MCEILING(number) → Number",
        "Rounds up toward +∞: MCEILING(-1.3) is -1.",
        Yields::NotText,
    ),
    row(
        Func::MFloor,
        "MFLOOR",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "MFLOOR(number) → Number",
        "Rounds down toward −∞: MFLOOR(-1.3) is -2.",
        Yields::NotText,
    ),
    row(
        Func::Round,
        "ROUND",
        CM,
        Exact(2),
        &[p("number", NUM), p("num_digits", NUM)],
        false,
        Fixed(N),
        "ROUND(number, num_digits) → Number",
        "Rounds half away from zero to num_digits decimals; negative digits round left of the point; both arguments are required.",
        Yields::NotText,
    ),
    row(
        Func::Trunc,
        "TRUNC",
        CM,
        Range(1, 2),
        &[p("number", NUM), p("num_digits", NUM)],
        false,
        Fixed(N),
        "TRUNC(number[, num_digits]) → Number",
        "Cuts toward zero to num_digits decimals (0 when absent).",
        Yields::NotText,
    ),
    row(
        Func::Mod,
        "MOD",
        CM,
        Exact(2),
        &[p("number", NUM), p("divisor", NUM)],
        false,
        Fixed(N),
        "MOD(number, divisor) → Number",
        "The remainder, with the sign of the dividend: MOD(-101, 10) is -1; a zero divisor is an error.",
        Yields::NotText,
    ),
    row(
        Func::Max,
        "MAX",
        CM,
        AtLeast(1),
        P_N,
        true,
        Fixed(N),
        "MAX(number, …) → Number",
        "The largest of the numbers; any null argument gives null.",
        Yields::NotText,
    ),
    row(
        Func::Min,
        "MIN",
        CM,
        AtLeast(1),
        P_N,
        true,
        Fixed(N),
        "MIN(number, …) → Number",
        "The smallest of the numbers; any null argument gives null.",
        Yields::NotText,
    ),
    row(
        Func::Sqrt,
        "SQRT",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "SQRT(number) → Number",
        "The square root; a negative number is an error.",
        Yields::NotText,
    ),
    row(
        Func::Exp,
        "EXP",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "EXP(number) → Number",
        "e raised to the power of the number.",
        Yields::NotText,
    ),
    row(
        Func::Ln,
        "LN",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "LN(number) → Number",
        "The natural logarithm; zero or a negative number is an error.",
        Yields::NotText,
    ),
    row(
        Func::Log,
        "LOG",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "LOG(number) → Number",
        "The base-10 logarithm; zero or a negative number is an error.",
        Yields::NotText,
    ),
    row(
        Func::Pi,
        "PI",
        CM,
        Exact(0),
        P_NONE,
        false,
        Fixed(N),
        "PI() → Number",
        "π to the engine's precision.",
        Yields::NotText,
    ),
    row(
        Func::Sin,
        "SIN",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "SIN(radians) → Number",
        "The sine of an angle in radians.",
        Yields::NotText,
    ),
    row(
        Func::Cos,
        "COS",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "COS(radians) → Number",
        "The cosine of an angle in radians.",
        Yields::NotText,
    ),
    row(
        Func::Tan,
        "TAN",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "TAN(radians) → Number",
        "The tangent of an angle in radians.",
        Yields::NotText,
    ),
    row(
        Func::Asin,
        "ASIN",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "ASIN(number) → Number",
        "The arcsine in radians; outside -1..1 is an error.",
        Yields::NotText,
    ),
    row(
        Func::Acos,
        "ACOS",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "ACOS(number) → Number",
        "The arccosine in radians; outside -1..1 is an error.",
        Yields::NotText,
    ),
    row(
        Func::Atan,
        "ATAN",
        CM,
        Exact(1),
        P_N,
        false,
        Fixed(N),
        "ATAN(number) → Number",
        "The arctangent in radians.",
        Yields::NotText,
    ),
    row(
        Func::Atan2,
        "ATAN2",
        CM,
        Exact(2),
        &[p("y", NUM), p("x", NUM)],
        false,
        Fixed(N),
        "ATAN2(y, x) → Number",
        "The angle of the point (x, y) in radians, in -π..π.",
        Yields::NotText,
    ),
    row(
        Func::Geolocation,
        "GEOLOCATION",
        CM,
        Exact(2),
        &[p("latitude", NUM), p("longitude", NUM)],
        false,
        Fixed(LOC),
        "GEOLOCATION(latitude, longitude) → Location",
        "A location for DISTANCE(): latitude -90..90, longitude -180..180 (a literal outside is refused when checked, a value at run time); both null gives null, one null alone is an error. A Location is never an attribute's value.",
        Yields::NotText,
    ),
    row(
        Func::Distance,
        "DISTANCE",
        CM,
        Exact(3),
        &[
            p("location1", &[LOC]),
            p("location2", &[LOC]),
            p("unit", TXT),
        ],
        false,
        Fixed(N),
        "DISTANCE(location1, location2, 'mi' | 'km') → Number",
        "The great-circle distance between two locations, in miles or kilometres (mean Earth radius 3,958.761 mi, 6,371.009 km), a double as the engine computes it. A null location gives null; a unit other than `mi` or `km` (exactly, lower case, at run time) is an error.",
        Yields::NotText,
    ),
    // ---- Date and time ----
    row(
        Func::Today,
        "TODAY",
        CD,
        Exact(0),
        P_NONE,
        false,
        Fixed(D),
        "TODAY() → Date",
        "The current date (GMT in samlfx).",
        Yields::NotText,
    ),
    row(
        Func::Now,
        "NOW",
        CD,
        Exact(0),
        P_NONE,
        false,
        Fixed(DT),
        "NOW() → DateTime",
        "The current date and time, the same instant throughout one evaluation.",
        Yields::NotText,
    ),
    row(
        Func::TimeNow,
        "TIMENOW",
        CD,
        Exact(0),
        P_NONE,
        false,
        Fixed(TM),
        "TIMENOW() → Time",
        "The current time of day (GMT).",
        Yields::NotText,
    ),
    row(
        Func::Date,
        "DATE",
        CD,
        Exact(3),
        &[p("year", NUM), p("month", NUM), p("day", NUM)],
        false,
        Fixed(D),
        "DATE(year, month, day) → Date",
        "Builds a date; any null gives null, an impossible date is a run-time error.",
        Yields::NotText,
    ),
    row(
        Func::DateValue,
        "DATEVALUE",
        CD,
        Exact(1),
        &[p("value", &[T, DT])],
        false,
        Fixed(D),
        "DATEVALUE(text_or_datetime) → Date",
        "The date part of a DateTime, or a date read from `YYYY-MM-DD` text; bad text is a run-time error.",
        Yields::NotText,
    ),
    row(
        Func::DateTimeValue,
        "DATETIMEVALUE",
        CD,
        Exact(1),
        &[p("value", &[T, D])],
        false,
        Fixed(DT),
        "DATETIMEVALUE(text_or_date) → DateTime",
        "A DateTime from `YYYY-MM-DD HH:MM:SS` text read as GMT (single-digit month/day allowed), or midnight of a Date.",
        Yields::NotText,
    ),
    row(
        Func::TimeValue,
        "TIMEVALUE",
        CD,
        Exact(1),
        &[p("value", &[T, DT])],
        false,
        Fixed(TM),
        "TIMEVALUE(text_or_datetime) → Time",
        "The time of day of a DateTime, or a time read from `HH:MM:SS.mmm` text; bad text is a run-time error.",
        Yields::NotText,
    ),
    row(
        Func::Year,
        "YEAR",
        CD,
        Exact(1),
        P_D,
        false,
        Fixed(N),
        "YEAR(date) → Number",
        "The year of a date.",
        Yields::NotText,
    ),
    row(
        Func::Month,
        "MONTH",
        CD,
        Exact(1),
        P_D,
        false,
        Fixed(N),
        "MONTH(date) → Number",
        "The month of a date, 1 to 12.",
        Yields::NotText,
    ),
    row(
        Func::Day,
        "DAY",
        CD,
        Exact(1),
        P_D,
        false,
        Fixed(N),
        "DAY(date) → Number",
        "The day of the month, 1 to 31.",
        Yields::NotText,
    ),
    row(
        Func::Hour,
        "HOUR",
        CD,
        Exact(1),
        P_TM,
        false,
        Fixed(N),
        "HOUR(time) → Number",
        "The hour of a Time, 0 to 23.",
        Yields::NotText,
    ),
    row(
        Func::Minute,
        "MINUTE",
        CD,
        Exact(1),
        P_TM,
        false,
        Fixed(N),
        "MINUTE(time) → Number",
        "The minute of a Time, 0 to 59.",
        Yields::NotText,
    ),
    row(
        Func::Second,
        "SECOND",
        CD,
        Exact(1),
        P_TM,
        false,
        Fixed(N),
        "SECOND(time) → Number",
        "The second of a Time, 0 to 59.",
        Yields::NotText,
    ),
    row(
        Func::Millisecond,
        "MILLISECOND",
        CD,
        Exact(1),
        P_TM,
        false,
        Fixed(N),
        "MILLISECOND(time) → Number",
        "The millisecond of a Time, 0 to 999.",
        Yields::NotText,
    ),
    row(
        Func::Weekday,
        "WEEKDAY",
        CD,
        Exact(1),
        P_D,
        false,
        Fixed(N),
        "WEEKDAY(date) → Number",
        "The day of the week: 1 is Sunday, 7 is Saturday.",
        Yields::NotText,
    ),
    row(
        Func::AddMonths,
        "ADDMONTHS",
        CD,
        Exact(2),
        &[p("date", &[D, DT]), p("num_months", NUM)],
        false,
        SameAs(0),
        "ADDMONTHS(date, num_months) → Date or DateTime",
        "Adds whole months (fractions truncated); a month-end source gives the target month's end, otherwise the day is clamped.",
        Yields::NotText,
    ),
    row(
        Func::IsoWeek,
        "ISOWEEK",
        CD,
        Exact(1),
        &[p("date", &[D, DT])],
        false,
        Fixed(N),
        "ISOWEEK(date) → Number",
        "The ISO-8601 week number, 1 to 53 (weeks start on Monday).",
        Yields::NotText,
    ),
    row(
        Func::IsoYear,
        "ISOYEAR",
        CD,
        Exact(1),
        &[p("date", &[D, DT])],
        false,
        Fixed(N),
        "ISOYEAR(date) → Number",
        "The ISO-8601 week-numbering year, which differs from YEAR around New Year.",
        Yields::NotText,
    ),
    row(
        Func::DayOfYear,
        "DAYOFYEAR",
        CD,
        Exact(1),
        &[p("date", &[D, DT])],
        false,
        Fixed(N),
        "DAYOFYEAR(date) → Number",
        "The day of the year, 1 to 366.",
        Yields::NotText,
    ),
    row(
        Func::UnixTimestamp,
        "UNIXTIMESTAMP",
        CD,
        Exact(1),
        &[p("value", &[D, DT, TM])],
        false,
        Fixed(N),
        "UNIXTIMESTAMP(date_or_datetime) → Number",
        "Seconds since 1970-01-01 00:00:00 GMT; for a Time, seconds since midnight.",
        Yields::NotText,
    ),
    row(
        Func::FromUnixTime,
        "FROMUNIXTIME",
        CD,
        Exact(1),
        P_N,
        false,
        Fixed(DT),
        "FROMUNIXTIME(seconds) → DateTime",
        "The GMT DateTime that many seconds after 1970-01-01 00:00:00.",
        Yields::NotText,
    ),
    row(
        Func::FormatDuration,
        "FORMATDURATION",
        CD,
        Range(1, 2),
        &[
            p("seconds_or_start", &[N, TM, DT]),
            p("include_days_or_end", &[B, TM, DT]),
        ],
        false,
        Fixed(T),
        "FORMATDURATION(seconds[, include_days]) or FORMATDURATION(start, end) → Text",
        "Formats a duration as `HH:MM:SS` (`D:HH:MM:SS` with include_days): from a number of seconds, or between two Times or two DateTimes.",
        Yields::Opaque,
    ),
];

/// The functions of Salesforce's formula reference that are not in the catalog, each with why:
/// none can be evaluated in a Connected App's attribute formula, which has no record, no report
/// and no page. The checker refuses them with Salesforce's `Function {0} may not be used in this
/// type of formula` and the reason as help; `samlfx explain --functions` lists them.
pub static UNSUPPORTED: &[(&str, &str)] = &[
    (
        "CURRENCYRATE",
        "converts with the org's currency table, which a SAML attribute formula cannot read (multi-currency orgs, formula fields only)",
    ),
    (
        "GETRECORDIDS",
        "returns the records selected in a list view, for custom buttons only",
    ),
    (
        "GETSESSIONID",
        "returns the user's API session, for custom buttons, links and Visualforce only; it must never reach a SAML assertion",
    ),
    (
        "IMAGEPROXYURL",
        "makes an image URL for Visualforce pages only",
    ),
    (
        "INCLUDE",
        "includes a Visualforce page or s-control, for Visualforce only",
    ),
    (
        "INCLUDES",
        "tests a multi-select picklist field, and no merge field of a Connected App formula is one",
    ),
    (
        "ISCHANGED",
        "compares a record with its previous version, in validation and workflow rules only; an attribute formula has no record",
    ),
    (
        "ISCLONE",
        "tests whether a record is being cloned, in record formulas only",
    ),
    (
        "ISNEW",
        "tests whether a record is being created, in validation and workflow rules only",
    ),
    (
        "JUNCTIONIDLIST",
        "builds a list of Ids for junction objects in flows and quick actions only",
    ),
    (
        "LINKTO",
        "makes a link to a Visualforce page, for Visualforce only",
    ),
    (
        "PARENTGROUPVAL",
        "reads a summary value of a parent grouping, in report summary formulas only",
    ),
    (
        "PREDICT",
        "returns an Einstein prediction, for Einstein formulas only",
    ),
    (
        "PREVGROUPVAL",
        "reads a summary value of the previous grouping, in report summary formulas only",
    ),
    (
        "PRIORVALUE",
        "reads a field's previous value, in validation and workflow rules only",
    ),
    (
        "REQUIRESCRIPT",
        "loads a script into a custom button, for buttons only",
    ),
    (
        "URLFOR",
        "makes a URL to a Salesforce page or static resource, for Visualforce and custom buttons only",
    ),
    (
        "VLOOKUP",
        "looks a value up in a custom object, in validation rules only",
    ),
];

/// Why a function of Salesforce's reference is not in the catalog, if it is one of those.
pub fn unsupported(name: &str) -> Option<&'static str> {
    UNSUPPORTED
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, why)| *why)
}

/// Case-insensitive lookup by name. A linear scan whose comparisons mostly stop at the length.
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The catalog row of a function.
pub fn spec(func: Func) -> &'static FunctionSpec {
    &FUNCTIONS[func as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_function_says_what_it_yields() {
        for f in FUNCTIONS {
            let text = matches!(f.ret, Ret::Fixed(Type::Text) | Ret::Common(_));
            assert_eq!(text, f.yields != Yields::NotText, "{}", f.name);
        }
    }

    #[test]
    fn every_func_has_its_row_in_declaration_order() {
        for (i, f) in FUNCTIONS.iter().enumerate() {
            assert_eq!(f.func as usize, i, "{} is out of order", f.name);
            assert_eq!(spec(f.func).name, f.name);
            assert_eq!(f.name, f.name.to_ascii_uppercase());
            assert!(f.signature.starts_with(f.name), "{}", f.name);
            assert!(!f.doc.is_empty());
        }
        assert_eq!(spec(Func::FormatDuration).name, "FORMATDURATION");
        assert_eq!(FUNCTIONS.len(), Func::FormatDuration as usize + 1);
    }

    #[test]
    fn unsupported_functions_are_not_in_the_catalog() {
        for (name, why) in UNSUPPORTED {
            assert!(lookup(name).is_none(), "{name} is in the catalog");
            assert!(!why.is_empty());
        }
        assert!(unsupported("ischanged").is_some());
        assert!(unsupported("LEFT").is_none());
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(lookup("left").map(|f| f.func), Some(Func::Left));
        assert_eq!(lookup("DateValue").map(|f| f.func), Some(Func::DateValue));
        assert!(lookup("LEFTX").is_none());
    }

    #[test]
    fn params_cover_the_arity() {
        for f in FUNCTIONS {
            let max = match f.arity {
                Arity::Exact(n) | Arity::Range(_, n) => n as usize,
                _ => continue,
            };
            assert_eq!(f.params.len(), max, "{}", f.name);
        }
    }

    #[test]
    fn expected_counts_follow_salesforce() {
        assert_eq!(Arity::Case.expected_for(3), 4);
        assert_eq!(Arity::Case.expected_for(5), 4);
        assert_eq!(Arity::Case.expected_for(7), 6);
        assert_eq!(Arity::Exact(3).expected_for(2), 3);
        assert!(Arity::Ifs.accepts(5) && !Arity::Ifs.accepts(4));
    }
}
