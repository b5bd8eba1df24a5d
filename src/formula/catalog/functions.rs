//! The function catalog: one row per function with its name, arity, signature and documentation.
//! The checker reads the signatures, the evaluator dispatches on [`Func`], `explain` and the README
//! read the documentation.

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

/// One row of the catalog.
#[derive(Debug)]
pub struct FunctionSpec {
    pub func: Func,
    /// Upper-case name.
    pub name: &'static str,
    pub category: Category,
    pub arity: Arity,
    /// Human signature, e.g. `LEFT(text, num_chars) → Text`.
    pub signature: &'static str,
    /// One line: what it does and its edge cases.
    pub doc: &'static str,
}

/// The catalog. Kept in alphabetical order within each category.
pub static FUNCTIONS: &[FunctionSpec] = &[FunctionSpec {
    func: Func::If,
    name: "IF",
    category: Category::Logical,
    arity: Arity::Exact(3),
    signature: "IF(condition, value_if_true, value_if_false) → same type as the values",
    doc: "Returns one of two values. A null condition counts as false; only the chosen branch is evaluated.",
}];

/// Case-insensitive lookup by name.
pub fn lookup(name: &str) -> Option<&'static FunctionSpec> {
    FUNCTIONS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
}

/// The catalog row of a function.
pub fn spec(func: Func) -> &'static FunctionSpec {
    FUNCTIONS
        .iter()
        .find(|f| f.func == func)
        .expect("every Func has a catalog row")
}
