//! Unit tests of the built-ins, with the reference's examples and corpus rows.

use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::catalog::Func;

fn n(s: &str) -> Value {
    Value::Number(BigDecimal::from_str(s).unwrap())
}
fn t(s: &str) -> Value {
    Value::text(s)
}
fn d(s: &str) -> Value {
    Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
}
fn dt(s: &str) -> Value {
    Value::DateTime(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
}
fn env() -> Env {
    Env {
        now: NaiveDateTime::parse_from_str("2024-05-06 07:08:09", "%Y-%m-%d %H:%M:%S").unwrap(),
        deep: true,
    }
}
fn types(args: &[Value]) -> Vec<Type> {
    args.iter()
        .map(|v| v.type_of().unwrap_or(Type::Null))
        .collect()
}
fn c(f: Func, args: &[Value]) -> Result<Value, Fault> {
    call(f, args, &types(args), &env())
}
/// Calls and prints the result like the corpus (numbers rounded to 32 places, plain).
fn p(f: Func, args: &[Value]) -> String {
    show(c(f, args).unwrap())
}
fn show(v: Value) -> String {
    match v {
        Value::Number(x) => round_result(&x).to_plain_string(),
        Value::Null => "null".into(),
        v => v.to_output().unwrap(),
    }
}
fn b(op: BinaryOp, l: Value, r: Value) -> Result<Value, Fault> {
    let (lt, rt) = (
        l.type_of().unwrap_or(Type::Null),
        r.type_of().unwrap_or(Type::Null),
    );
    binary(op, lt, rt, l, r)
}
fn bp(op: BinaryOp, l: Value, r: Value) -> String {
    show(b(op, l, r).unwrap())
}

#[test]
fn math_examples() {
    use crate::Value;
    use Func::*;
    assert_eq!(p(Round, &[n("2.5"), n("0")]), "3");
    assert_eq!(p(Round, &[n("-1.17"), n("1")]), "-1.2");
    assert_eq!(p(Round, &[n("-123456.3335"), n("-2")]), "-123500");
    assert_eq!(p(Round, &[n(".002"), n("2")]), "0.00");
    assert_eq!(p(Round, &[n("45.4356"), n("900")]), "45.4356");
    assert_eq!(p(Round, &[n("20"), n("-1")]), "20");
    assert_eq!(p(Trunc, &[n("2.718281828459045"), n("2")]), "2.71");
    assert_eq!(p(Mod, &[n("-101"), n("10")]), "-1");
    assert_eq!(p(Mod, &[n("100.5"), n("-10")]), "0.5");
    assert_eq!(p(Mod, &[n("20.12345"), n("2")]), "0.12345");
    // Java's remainder scale: a zero integral quotient keeps the dividend's scale.
    assert_eq!(p(Mod, &[n("0"), n("0.000045")]), "0");
    assert_eq!(p(Mod, &[n("1"), n("0.3")]), "0.1");
    assert_eq!(p(Mod, &[n("123.2345678"), n("500")]), "123.2345678");
    assert_eq!(
        c(Mod, &[n("1"), n("0")]).unwrap_err().code,
        Code::DivisionByZero
    );
    assert_eq!(p(Ceiling, &[n("-1.3")]), "-2");
    assert_eq!(p(Ceiling, &[n("-0.07")]), "-1");
    assert_eq!(p(Floor, &[n("-1.7")]), "-1");
    assert_eq!(p(Floor, &[n("-0.07")]), "0");
    assert_eq!(p(MCeiling, &[n("-1.3")]), "-1");
    assert_eq!(p(MFloor, &[n("-1.3")]), "-2");
    let six = b(
        BinaryOp::Mul,
        b(BinaryOp::Div, n("6"), n("11")).unwrap(),
        n("11"),
    )
    .unwrap();
    assert_eq!(p(Ceiling, std::slice::from_ref(&six)), "6");
    assert_eq!(p(Floor, &[six]), "6");
    assert_eq!(p(Abs, &[n("-20.12345")]), "20.12345");
    assert_eq!(p(Max, &[n("1"), n("3"), n("2")]), "3");
    assert_eq!(p(Min, &[n("1"), n("3"), n("-2")]), "-2");
    assert_eq!(p(Max, &[n("1"), Value::Null]), "null");
    assert_eq!(p(Sqrt, &[n("2")]), "1.4142135623730951");
    assert_eq!(p(Sqrt, &[n("4")]), "2.0");
    assert!(c(Sqrt, &[n("-4")]).is_err());
    assert_eq!(p(Log, &[n("4")]), "0.6020599913279623");
    assert_eq!(p(Ln, &[n("10")]), "2.302585092994046");
    assert!(c(Ln, &[n("0")]).is_err());
    assert_eq!(p(Exp, &[n("-100")]), "0.00000000000000000000000000000000");
    assert_eq!(
        p(Exp, &[n("110")]),
        "592097202766467000000000000000000000000000000000"
    );
    assert_eq!(p(Pi, &[]), "3.141592653589793");
    assert_eq!(p(Atan2, &[n("-20"), n("-40")]), "-2.677945044588987");
    assert_eq!(p(Sin, &[n("1")]), "0.8414709848078965");
    assert_eq!(p(Atan, &[n("3.141592653589793")]), "1.2626272556789115");
    assert_eq!(p(Atan, &[n("1")]), "0.7853981633974483");
    assert_eq!(p(Abs, &[Value::Null]), "null");
}

#[test]
fn operators() {
    use BinaryOp::*;
    assert_eq!(bp(Add, n("1.10"), n("2")), "3.10");
    assert_eq!(
        bp(Div, n("9"), n("11")),
        "0.81818181818181818181818181818182"
    );
    assert_eq!(
        b(Div, n("1"), n("0")).unwrap_err().code,
        Code::DivisionByZero
    );
    assert_eq!(bp(Pow, n("2"), n("10")), "1024");
    assert_eq!(bp(Pow, n("0"), n("0")), "1");
    assert!(b(Pow, n("2"), n("0.5")).is_err());
    assert_eq!(bp(Add, n("1"), Value::Null), "null");
    assert_eq!(bp(Concat, t("a"), t("b")), "ab");
    assert_eq!(bp(Concat, Value::Null, t("b")), "b");
    assert_eq!(bp(Concat, Value::Null, Value::Null), "null");
    assert_eq!(bp(Add, t("a"), t("b")), "ab");
    let long = "x".repeat(300);
    assert_eq!(bp(Concat, t(&long), t("é")).len(), 302);
    // Text equality: null is "", case-sensitive.
    assert_eq!(
        binary(Eq, Type::Text, Type::Text, Value::Null, Value::Null).unwrap(),
        Value::Boolean(true)
    );
    assert_eq!(bp(Eq, t("a"), t("A")), "false");
    assert_eq!(
        binary(Ne, Type::Text, Type::Text, t("ab"), Value::Null).unwrap(),
        Value::Boolean(true)
    );
    // Other types: null → null.
    assert_eq!(bp(Eq, n("1"), Value::Null), "null");
    assert_eq!(bp(Eq, n("1.0"), n("1")), "true");
    assert_eq!(bp(Gt, t("Foo"), t("FOO")), "true");
    assert_eq!(bp(Lt, n("1"), Value::Null), "null");
    assert_eq!(bp(Ge, d("2020-01-02"), d("2020-01-01")), "true");
    assert_eq!(
        unary(UnaryOp::Minus, Type::Number, n("2")).unwrap(),
        n("-2")
    );
    assert_eq!(
        unary(UnaryOp::Not, Type::Boolean, Value::Null).unwrap(),
        Value::Null
    );
    assert_eq!(equals(Type::Number, &Value::Null, &Value::Null), None);
    assert_eq!(equals(Type::Text, &Value::Null, &Value::Null), Some(true));
}

#[test]
fn date_arithmetic() {
    use BinaryOp::*;
    assert_eq!(bp(Add, d("2020-01-01"), n("1.9")), "2020-01-02");
    assert_eq!(bp(Sub, d("2020-01-01"), n("1.9")), "2019-12-31");
    assert_eq!(bp(Sub, d("2020-03-01"), d("2020-02-01")), "29");
    assert_eq!(
        bp(Add, dt("2020-01-01 00:00:00"), n("0.5")),
        "2020-01-01 12:00:00Z"
    );
    assert_eq!(
        bp(Sub, dt("2020-01-02 12:00:00"), dt("2020-01-01 00:00:00")),
        "1.5"
    );
    // Time ± milliseconds wraps forward past midnight; before midnight is an error.
    let tv = |s: &str| c(Func::TimeValue, &[t(s)]).unwrap();
    assert_eq!(bp(Add, tv("23:56:45.898"), n("93600000")), "01:56:45.898");
    assert!(b(Add, tv("00:00:00.789"), n("-6300000")).is_err());
    assert_eq!(bp(Sub, tv("00:00:01.000"), tv("00:00:00.500")), "500");
    assert_eq!(bp(Sub, tv("10:34:55.666"), tv("23:59:59.999")), "38095667");
    // Fractional days on a DateTime are rounded to the second.
    assert_eq!(
        bp(Add, dt("2009-02-07 10:00:00"), n("0.166666")),
        "2009-02-07 14:00:00Z"
    );
    assert!(b(Add, d("2020-01-01"), n("1e12")).is_err());
}

#[test]
fn logic_functions() {
    use crate::Value;
    use Func::*;
    assert_eq!(p(IsBlank, &[Value::Null]), "true");
    assert_eq!(p(IsBlank, &[t(" ")]), "false");
    assert_eq!(
        call(IsNull, &[Value::Null], &[Type::Text], &env()).unwrap(),
        Value::Boolean(false)
    );
    assert_eq!(
        call(IsNull, &[Value::Null], &[Type::Number], &env()).unwrap(),
        Value::Boolean(true)
    );
    assert_eq!(p(BlankValue, &[Value::Null, t("x")]), "x");
    assert_eq!(
        call(
            NullValue,
            &[Value::Null, t("123")],
            &[Type::Text, Type::Text],
            &env()
        )
        .unwrap(),
        Value::Null
    );
    assert_eq!(
        call(
            NullValue,
            &[Value::Null, n("0")],
            &[Type::Number, Type::Number],
            &env()
        )
        .unwrap(),
        n("0")
    );
    assert_eq!(
        p(In, &[d("2004-02-28"), d("2004-03-01"), d("2004-02-28")]),
        "true"
    );
    assert_eq!(p(In, &[d("2004-02-28"), Value::Null]), "false");
    assert_eq!(
        call(
            In,
            &[Value::Null, Value::Null],
            &[Type::Text, Type::Text],
            &env()
        )
        .unwrap(),
        Value::Boolean(false)
    );
    assert_eq!(p(IsPickVal, &[t("Gold"), t("Gold")]), "true");
    assert!(c(If, &[]).is_err());
    assert_eq!(p(IsNumber, &[t("+5.0")]), "true");
    assert_eq!(p(IsNumber, &[t("--1234")]), "false");
    assert_eq!(p(IsNumber, &[t("-.")]), "false");
    assert_eq!(p(IsNumber, &[Value::Null]), "false");
}

#[test]
fn text_functions() {
    use crate::Value;
    use Func::*;
    assert_eq!(p(Len, &[Value::Null]), "0");
    assert_eq!(p(Len, &[t("😀a")]), "3");
    assert_eq!(p(Left, &[t("123456"), n("2")]), "12");
    assert_eq!(p(Left, &[t("123456"), n("0")]), "null");
    assert_eq!(p(Right, &[t("会计年度开始月份"), n("2")]), "月份");
    assert_eq!(p(Mid, &[t("123456"), n("-4"), n("2")]), "12");
    assert_eq!(p(Mid, &[t("123456"), n("6"), n("6")]), "6");
    assert_eq!(p(Mid, &[t("123456"), n("2"), n("-4")]), "null");
    assert_eq!(
        p(Substr, &[t("会计年度开始月份"), n("-7")]),
        "计年度开始月份"
    );
    assert_eq!(p(Substr, &[t("123456"), n("-10")]), "null");
    assert_eq!(p(Substr, &[t("123456"), n("0")]), "123456");
    assert_eq!(p(Substr, &[t("123456"), n("2"), n("4")]), "2345");
    assert_eq!(p(Find, &[t("Text"), t("ConText")]), "4");
    assert_eq!(p(Find, &[t("Test"), t("FFFFTest"), n("-1")]), "5");
    assert_eq!(p(Find, &[t("Text"), Value::Null]), "0");
    assert_eq!(p(Begins, &[Value::Null, Value::Null]), "true");
    assert_eq!(p(Begins, &[Value::Null, t("a")]), "null");
    assert_eq!(p(Contains, &[t("abc"), t("bc")]), "true");
    assert_eq!(
        p(Substitute, &[t("Golden File"), t("Golden"), t("Platinum")]),
        "Platinum File"
    );
    assert_eq!(p(Substitute, &[t("aXbX"), t("X"), Value::Null]), "ab");
    assert_eq!(p(Trim, &[t("  a b  ")]), "a b");
    assert_eq!(p(Trim, &[t("   ")]), "null");
    assert_eq!(p(Upper, &[t("große")]), "GROSSE");
    assert_eq!(p(Upper, &[t("i"), t("tr")]), "İ");
    assert_eq!(p(Lower, &[t("İDEMPOTENT")]), "i\u{307}dempotent");
    assert_eq!(p(Lpad, &[t("string"), n("8"), t(",.;")]), ",.string");
    assert_eq!(p(Lpad, &[t("string"), n("5"), t("x")]), "strin");
    assert_eq!(p(Rpad, &[t("string"), n("8")]), "string  ");
    assert_eq!(p(Lpad, &[t("string"), n("-1")]), "null");
    assert_eq!(
        c(Lpad, &[t("s"), n("99999999999")]).unwrap_err().code,
        Code::OutOfRange
    );
    assert_eq!(p(Text, &[n("1.50")]), "1.5");
    assert_eq!(p(Text, &[n("100")]), "100");
    assert_eq!(p(Text, &[n("1234567890.0")]), "1234567890");
    assert_eq!(p(Text, &[n("0.000")]), "0");
    assert_eq!(p(Text, &[d("2013-12-31")]), "2013-12-31");
    assert_eq!(
        p(Text, &[dt("2013-12-31 01:02:03")]),
        "2013-12-31 01:02:03Z"
    );
    assert_eq!(p(Func::Value, &[t("-.244")]), "-0.244");
    assert_eq!(p(Func::Value, &[t("1E+3")]), "1000");
    let bad = c(Func::Value, &[t("abc")]).unwrap_err();
    assert_eq!(bad.code, Code::InvalidValue);
    assert_eq!(bad.message, "The value 'abc' is not a valid number.");
    assert_eq!(p(Regex, &[t("F.o"), t("F\\.o")]), "true");
    assert_eq!(p(Regex, &[t("Text"), t("(a*)b")]), "false");
    assert_eq!(p(Regex, &[t("abc"), t("b")]), "false");
    assert_eq!(
        c(Regex, &[t("a"), t("(")]).unwrap_err().code,
        Code::EvaluationError
    );
    assert_eq!(p(CaseSafeId, &[t("001xx000003DHur")]), "001xx000003DHurAAG");
    assert_eq!(p(CaseSafeId, &[t("short")]), "short");
    assert_eq!(p(Br, &[]), "<br>");
    assert_eq!(
        p(Hyperlink, &[t("https://x.test/?a=1&b=2"), t("X")]),
        "<a href=\"https://x.test/?a=1&amp;b=2\" target=\"_blank\">X</a>"
    );
    assert_eq!(
        c(Hyperlink, &[t(" JavaScript:alert(1)"), t("x")])
            .unwrap_err()
            .code,
        Code::InvalidValue
    );
    assert_eq!(
        p(Image, &[t("/a.png"), t("A"), n("10"), n("20")]),
        "<img src=\"/a.png\" alt=\"A\" height=\"10\" width=\"20\" border=\"0\"/>"
    );
    assert_eq!(p(InitCap, &[t("mr. _smith")]), "Mr. _Smith");
    assert_eq!(p(InitCap, &[t("İDEMPOTENT")]), "İdempotent");
    assert_eq!(p(InitCap, &[t("129 große")]), "129 Große");
    assert_eq!(p(Reverse, &[t("blunder")]), "rednulb");
    assert_eq!(p(Ascii, &[t("ı")]), "305");
    assert_eq!(p(Chr, &[n("8364")]), "€");
    assert_eq!(p(Chr, &[n("0")]), "null");
    assert_eq!(p(Chr, &[n("-32")]), "null");
    assert_eq!(p(UrlEncode, &[t("a b&c")]), "a%20b%26c");
    assert_eq!(p(HtmlEncode, &[t("<a>")]), "&lt;a&gt;");
    assert_eq!(p(JsEncode, &[t("it's")]), "it\\'s");
    assert_eq!(p(Like, &[t("Howdy"), t("Ho_dy")]), "true");
    assert_eq!(p(Like, &[t("Hi%Hi"), t("Hi%%Hi")]), "true");
    assert_eq!(p(Like, &[t("_n"), t("[_n]")]), "false");
    assert_eq!(p(Like, &[t("%"), t("\\%")]), "true");
    assert_eq!(p(Like, &[t("Cändy"), t("C_NDY")]), "false");
    assert_eq!(p(Like, &[t("abcd"), t("abc[def]")]), "false");
}

#[test]
fn date_functions() {
    use crate::Value;
    use Func::*;
    assert_eq!(p(Today, &[]), "2024-05-06");
    assert_eq!(p(Now, &[]), "2024-05-06 07:08:09Z");
    assert_eq!(p(TimeNow, &[]), "07:08:09.000");
    assert_eq!(p(Date, &[n("2013"), n("12"), n("31")]), "2013-12-31");
    assert_eq!(
        c(Date, &[n("2011"), n("2"), n("29")]).unwrap_err().code,
        Code::InvalidValue
    );
    assert_eq!(p(Date, &[n("2011"), Value::Null, n("29")]), "null");
    assert_eq!(p(DateValue, &[t("2005-1-2")]), "2005-01-02");
    assert!(c(DateValue, &[t("200-01-03")]).is_err());
    assert!(c(DateValue, &[t("0000-12-12")]).is_err());
    assert_eq!(
        p(DateTimeValue, &[t("2005-11-15 17:00:00 ")]),
        "2005-11-15 17:00:00Z"
    );
    assert_eq!(
        p(DateTimeValue, &[t("2011-1-23 2:22:59")]),
        "2011-01-23 02:22:59Z"
    );
    assert!(c(DateTimeValue, &[t("sample ")]).is_err());
    assert!(c(DateTimeValue, &[t("2011-13-29 00:00:09")]).is_err());
    assert_eq!(p(TimeValue, &[t("10:34:55.666")]), "10:34:55.666");
    for bad in ["24:12:56.123", "01:66:29.345", "01:14:23.3456", "10:00:00Z"] {
        assert!(c(TimeValue, &[t(bad)]).is_err(), "{bad}");
    }
    assert_eq!(
        p(Second, &[c(TimeValue, &[t("10:40:55.666")]).unwrap()]),
        "55"
    );
    assert_eq!(
        p(Millisecond, &[c(TimeValue, &[t("10:40:55.666")]).unwrap()]),
        "666"
    );
    assert_eq!(p(Year, &[d("2004-02-28")]), "2004");
    assert_eq!(p(Weekday, &[d("2024-05-05")]), "1");
    assert_eq!(p(DayOfYear, &[d("2004-12-31")]), "366");
    assert_eq!(p(IsoWeek, &[d("2004-12-31")]), "53");
    assert_eq!(p(IsoYear, &[d("2011-01-01")]), "2010");
    assert_eq!(p(AddMonths, &[d("2019-02-28"), n("-1")]), "2019-01-31");
    assert_eq!(p(AddMonths, &[d("2004-02-28"), n("4")]), "2004-06-28");
    assert_eq!(
        p(AddMonths, &[dt("2004-12-31 11:32:00"), n("3.5")]),
        "2005-03-31 11:32:00Z"
    );
    assert_eq!(p(AddMonths, &[d("2004-01-31"), n("1")]), "2004-02-29");
    assert_eq!(p(UnixTimestamp, &[d("2005-12-31")]), "1135987200");
    assert_eq!(p(FromUnixTime, &[n("-5")]), "1969-12-31 23:59:55Z");
    assert_eq!(p(FormatDuration, &[n("1000000")]), "277:46:40");
    assert_eq!(p(FormatDuration, &[n("29.59")]), "00:00:29");
    assert_eq!(
        p(FormatDuration, &[n("0"), Value::Boolean(true)]),
        "0:00:00:00"
    );
    assert_eq!(
        p(
            FormatDuration,
            &[dt("2022-08-21 08:00:00"), dt("2022-08-21 08:30:00")]
        ),
        "0:00:30:00"
    );
}

#[test]
fn hostile_inputs_do_not_panic() {
    use Func::*;
    let huge = n("1e999");
    for f in [
        Abs,
        Ceiling,
        Floor,
        Sqrt,
        Exp,
        Ln,
        Log,
        Sin,
        Chr,
        FromUnixTime,
    ] {
        let _ = c(f, std::slice::from_ref(&huge));
    }
    let _ = c(Round, &[huge.clone(), n("-99999999999")]);
    let _ = c(Round, &[n("1.5"), n("99999999999")]);
    let _ = c(AddMonths, &[d("2020-01-01"), huge.clone()]);
    let _ = c(Date, &[huge.clone(), huge.clone(), huge.clone()]);
    let _ = c(Mid, &[t("abc"), huge.clone(), huge.clone()]);
    let _ = c(Substr, &[t("abc"), n("-99999999999"), huge.clone()]);
    assert!(b(BinaryOp::Pow, n("10"), n("65")).is_err());
    assert!(b(BinaryOp::Mul, huge.clone(), huge.clone()).is_err());
}

#[test]
fn find_counts_utf16_units_from_its_start() {
    use Func::*;
    // '😀' is two UTF-16 units, as in Java.
    assert_eq!(p(Find, &[t("b"), t("😀ab")]), "4");
    assert_eq!(p(Find, &[t("a"), t("a😀a"), n("2")]), "4");
    // A start inside the surrogate pair begins at the next character.
    assert_eq!(p(Find, &[t("a"), t("a😀a"), n("3")]), "4");
    assert_eq!(p(Find, &[t("a"), t("a😀a"), n("5")]), "0");
    assert_eq!(p(Find, &[t("ab"), t("ab"), n("3")]), "0");
}

#[test]
fn text_at_the_limit_is_kept_and_one_past_it_is_refused() {
    use Func::*;
    let at = "a".repeat(MAX_TEXT_CHARS);
    assert_eq!(
        p(Len, &[c(Substitute, &[t(&at), t("a"), t("b")]).unwrap()]),
        "131072"
    );
    let e = c(Substitute, &[t(&at[1..]), t("a"), t("aa")]).unwrap_err();
    assert_eq!(e.code, Code::OutOfRange);
    assert_eq!(
        e.message,
        "SUBSTITUTE() would produce 262142 characters; the maximum is 131072"
    );
    let e = binary(BinaryOp::Concat, Type::Text, Type::Text, t(&at), t("x")).unwrap_err();
    assert_eq!(
        e.message,
        "operator '&' would produce 131073 characters; the maximum is 131072"
    );
    // Non-ASCII counts UTF-16 units: 'ß' upper-cases to two.
    let e = c(Upper, &[t(&"ß".repeat(MAX_TEXT_CHARS / 2 + 1))]).unwrap_err();
    assert!(
        e.message.starts_with("UPPER() would produce 131074"),
        "{}",
        e.message
    );
    assert!(e.help.is_some());
}

#[test]
fn like_matches_segments_greedily() {
    use Func::*;
    let like = |s: &str, p: &str| show(c(Like, &[t(s), t(p)]).unwrap());
    assert_eq!(like("abc", "abc"), "true");
    assert_eq!(like("abc", "ab"), "false");
    assert_eq!(like("abc", "a%"), "true");
    assert_eq!(like("abc", "%c"), "true");
    assert_eq!(like("abc", "%b%"), "true");
    assert_eq!(like("abc", "a_c"), "true");
    assert_eq!(like("ac", "a_c"), "false");
    assert_eq!(like("aXbXc", "a%b%c"), "true");
    assert_eq!(like("abab", "%ab%ab%"), "true");
    assert_eq!(like("aba", "%ab%ab%"), "false");
    // Prefix and suffix may not overlap.
    assert_eq!(like("aba", "ab%ba"), "false");
    assert_eq!(like("abba", "ab%ba"), "true");
    assert_eq!(like("50%", "50\\%"), "true");
    assert_eq!(like("505", "50\\%"), "false");
    assert_eq!(like("x", "%%"), "true");
    assert_eq!(like("😀", "_"), "true");
    // A hostile pattern runs out of comparisons instead of time.
    let hay = "a".repeat(131_072);
    let pat = format!("%{}b%", "a".repeat(200));
    assert_eq!(
        c(Like, &[t(&hay), t(&pat)]).unwrap_err().code,
        Code::OutOfRange
    );
}

#[test]
fn regex_is_java_pattern_matches() {
    use Func::*;
    let re = |text: &str, pattern: &str| c(Regex, &[t(text), t(pattern)]);
    let yes = |text: &str, pattern: &str| show(re(text, pattern).unwrap()) == "true";
    // The pattern is anchored as a whole: an unbalanced `)` cannot break out of the anchoring.
    let bad = re("xxb", "a)|(b").unwrap_err();
    assert_eq!(bad.code, Code::EvaluationError);
    assert!(
        bad.message.contains("invalid regular expression"),
        "{}",
        bad.message
    );
    assert!(yes("a", "(?x)a # comment"));
    assert!(yes("ab", "a|ab"));
    // Java's \w, \d, \s and (?i) are ASCII.
    assert!(!yes("é", "\\w"));
    assert!(yes("a-b_9", "[\\w-]+"));
    assert!(!yes("É", "(?i)é"));
    assert!(yes("ABC", "(?i)abc"));
    assert!(yes("é", "é"));
    let role_session = "[\\w+=,.@-]{2,64}";
    assert!(yes("jdoe@00580000003abcd", role_session));
    assert!(!yes("jdoé", role_session));
    // \Q…\E quotes; Java-only features are named, not called invalid.
    assert!(yes("a.b", "\\Qa.b\\E"));
    assert!(!yes("axb", "\\Qa.b\\E"));
    for p in ["(?!foo).*", "(a)\\1", "a++"] {
        let e = re("foo", p).unwrap_err();
        assert_eq!((e.code, e.arg), (Code::UnsupportedBySamlfx, Some(1)));
        assert!(
            e.message
                .starts_with("no value: samlfx cannot evaluate this REGEX pattern"),
            "{}",
            e.message
        );
    }
    // The compiled pattern is cached: the second call answers the same.
    assert!(yes("ab", "a|ab"));
}

#[test]
fn messages_show_the_number_written_not_a_clamped_one() {
    use Func::*;
    let huge = n("1e30");
    let m = c(Lpad, &[t("a"), huge.clone()]).unwrap_err().message;
    assert!(
        m.contains("1000000000000000000000000000000 characters"),
        "{m}"
    );
    let m = c(AddMonths, &[d("2020-01-01"), huge.clone()])
        .unwrap_err()
        .message;
    assert!(
        m.contains("by 1000000000000000000000000000000 months"),
        "{m}"
    );
    let m = c(Date, &[huge.clone(), n("1"), n("1")])
        .unwrap_err()
        .message;
    assert!(
        m.starts_with("DATE(1000000000000000000000000000000, 1, 1)"),
        "{m}"
    );
    let m = c(Chr, &[huge]).unwrap_err().message;
    assert!(m.starts_with("CHR(1000000000000000000000000000000)"), "{m}");
}

#[test]
fn cuts_through_a_surrogate_pair_leave_the_character_out() {
    use Func::*;
    assert_eq!(p(Len, &[t("😀a")]), "3");
    assert_eq!(p(Left, &[t("😀a"), n("1")]), "null");
    assert_eq!(p(Left, &[t("😀a"), n("2")]), "😀");
    assert_eq!(p(Right, &[t("a😀"), n("1")]), "null");
    assert_eq!(p(Mid, &[t("a😀b"), n("2"), n("2")]), "😀");
    assert_eq!(p(Mid, &[t("a😀b"), n("3"), n("2")]), "b");
    assert_eq!(p(Lpad, &[t("x"), n("2"), t("😀")]), "x");
    assert_eq!(p(Rpad, &[t("x"), n("4"), t("😀")]), "x😀");
    assert_eq!(p(Lpad, &[t("😀😀"), n("3")]), "😀");
}
