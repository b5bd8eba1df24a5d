//! A throw-away mini evaluator that runs the conformance corpus through the built-ins before the
//! real parser and evaluator land. `cargo test --lib corpus_builtins -- --ignored --nocapture`.

use std::collections::HashMap;
use std::str::FromStr;

use bigdecimal::BigDecimal;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

use super::*;
use crate::formula::catalog::Func;

const FUNCS: &str = "If Case And Or Not IsBlank IsNull BlankValue NullValue IsPickVal IsNumber Ifs In IfError Len Left Right Mid Substr Find Begins Contains Substitute Trim Upper Lower Lpad Rpad Text Value Regex CaseSafeId Br Hyperlink Image InitCap Reverse Ascii Chr UrlEncode HtmlEncode JsEncode JsInHtmlEncode Like Abs Ceiling Floor MCeiling MFloor Round Trunc Mod Max Min Sqrt Exp Ln Log Pi Sin Cos Tan Asin Acos Atan Atan2 Today Now TimeNow Date DateValue DateTimeValue TimeValue Year Month Day Hour Minute Second Millisecond Weekday AddMonths IsoWeek IsoYear DayOfYear UnixTimestamp FromUnixTime FormatDuration";

fn func_by_name(name: &str) -> Option<Func> {
    use Func::*;
    let all = [
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
        Func::Value,
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
    ];
    FUNCS
        .split(' ')
        .position(|n| n.eq_ignore_ascii_case(name))
        .map(|i| all[i])
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(String),
    Str(String),
    Id(String),
    Op(String),
}

fn lex(s: &str) -> Option<Vec<Tok>> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && c.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < c.len() && !(c[i] == '*' && c[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if ch.is_ascii_digit()
            || (ch == '.' && c.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let st = i;
            while i < c.len() && (c[i].is_ascii_digit() || c[i] == '.') {
                i += 1;
            }
            out.push(Tok::Num(c[st..i].iter().collect()));
        } else if ch == '"' || ch == '\'' {
            let mut v = String::new();
            i += 1;
            while i < c.len() && c[i] != ch {
                if c[i] == '\\' && i + 1 < c.len() {
                    i += 1;
                    v.push(match c[i] {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        x => x,
                    });
                } else {
                    v.push(c[i]);
                }
                i += 1;
            }
            i += 1;
            out.push(Tok::Str(v));
        } else if ch.is_alphabetic() || ch == '_' || ch == '$' {
            let st = i;
            while i < c.len()
                && (c[i].is_alphanumeric() || c[i] == '_' || c[i] == '.' || c[i] == '$')
            {
                i += 1;
            }
            out.push(Tok::Id(c[st..i].iter().collect()));
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            if ["<=", ">=", "<>", "!=", "==", "&&", "||"].contains(&two.as_str()) {
                out.push(Tok::Op(two));
                i += 2;
            } else if "+-*/^&=<>(),!".contains(ch) {
                out.push(Tok::Op(ch.to_string()));
                i += 1;
            } else {
                return None;
            }
        }
    }
    Some(out)
}

#[derive(Debug)]
enum E {
    Lit(crate::formula::Value, Type),
    Field(String),
    Call(String, Vec<E>),
    Un(UnaryOp, Box<E>),
    Bin(BinaryOp, Box<E>, Box<E>),
}

struct P {
    t: Vec<Tok>,
    i: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.t.get(self.i)
    }
    fn op(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Op(o)) => Some(o),
            _ => None,
        }
    }
    fn bin(o: &str) -> Option<(BinaryOp, u8)> {
        use BinaryOp::*;
        let op = match o {
            "*" => Mul,
            "/" => Div,
            "^" => Pow,
            "+" => Add,
            "-" => Sub,
            "&" => Concat,
            "<" => Lt,
            ">" => Gt,
            "<=" => Le,
            ">=" => Ge,
            "=" | "==" => Eq,
            "<>" | "!=" => Ne,
            "&&" => And,
            "||" => Or,
            _ => return None,
        };
        Some((op, op.precedence()))
    }
    fn expr(&mut self, min: u8) -> Option<E> {
        let mut l = self.unary()?;
        while let Some((op, p)) = self.op().and_then(P::bin) {
            if p < min {
                break;
            }
            self.i += 1;
            let r = self.expr(p + 1)?;
            l = E::Bin(op, Box::new(l), Box::new(r));
        }
        Some(l)
    }
    fn unary(&mut self) -> Option<E> {
        match self.op() {
            Some("-") => {
                self.i += 1;
                Some(E::Un(UnaryOp::Minus, Box::new(self.unary()?)))
            }
            Some("+") => {
                self.i += 1;
                Some(E::Un(UnaryOp::Plus, Box::new(self.unary()?)))
            }
            Some("!") => {
                self.i += 1;
                Some(E::Un(UnaryOp::Not, Box::new(self.unary()?)))
            }
            _ => self.atom(),
        }
    }
    fn atom(&mut self) -> Option<E> {
        let t = self.peek()?.clone();
        self.i += 1;
        match t {
            Tok::Num(n) => Some(E::Lit(
                crate::formula::Value::Number(BigDecimal::from_str(&n).ok()?),
                Type::Number,
            )),
            Tok::Str(s) => Some(E::Lit(crate::formula::Value::text(s), Type::Text)),
            Tok::Op(o) if o == "(" => {
                let e = self.expr(0)?;
                self.i += 1;
                Some(e)
            }
            Tok::Id(id) => {
                let up = id.to_ascii_uppercase();
                if self.op() == Some("(") {
                    self.i += 1;
                    let mut args = Vec::new();
                    if self.op() != Some(")") {
                        loop {
                            args.push(self.expr(0)?);
                            if self.op() == Some(",") {
                                self.i += 1;
                            } else {
                                break;
                            }
                        }
                    }
                    self.i += 1;
                    if up == "NOT" {
                        return Some(E::Un(UnaryOp::Not, Box::new(args.pop()?)));
                    }
                    return Some(E::Call(up, args));
                }
                match up.as_str() {
                    "TRUE" => Some(E::Lit(crate::formula::Value::Boolean(true), Type::Boolean)),
                    "FALSE" => Some(E::Lit(crate::formula::Value::Boolean(false), Type::Boolean)),
                    "NULL" => Some(E::Lit(crate::formula::Value::Null, Type::Null)),
                    "NOT" => Some(E::Un(UnaryOp::Not, Box::new(self.unary()?))),
                    _ => Some(E::Field(id.to_ascii_lowercase())),
                }
            }
            _ => None,
        }
    }
}

struct Cx {
    fields: HashMap<String, (crate::formula::Value, Type)>,
}

type R = Result<(crate::formula::Value, Type), Fault>;

fn fault() -> Fault {
    Fault::new(Code::EvaluationError, "unsupported")
}

impl Cx {
    fn ev(&self, e: &E) -> R {
        use crate::formula::Value as V;
        match e {
            E::Lit(v, t) => Ok((v.clone(), *t)),
            E::Field(f) => self.fields.get(f).cloned().ok_or_else(fault),
            E::Un(op, x) => {
                let (v, t) = self.ev(x)?;
                Ok((unary(*op, t, v)?, t))
            }
            E::Bin(op, l, r) => {
                let (lv, lt) = self.ev(l)?;
                if matches!(op, BinaryOp::And | BinaryOp::Or) {
                    let lb = lv == V::Boolean(true);
                    if (*op == BinaryOp::And) != lb {
                        return Ok((V::Boolean(lb), Type::Boolean));
                    }
                    let (rv, _) = self.ev(r)?;
                    return Ok((V::Boolean(rv == V::Boolean(true)), Type::Boolean));
                }
                let (rv, rt) = self.ev(r)?;
                let v = binary(*op, lt, rt, lv, rv)?;
                let t = v
                    .type_of()
                    .unwrap_or(if lt == Type::Null { rt } else { lt });
                Ok((v, t))
            }
            E::Call(name, args) => {
                let f = func_by_name(name).ok_or_else(fault)?;
                match f {
                    Func::If => {
                        let (c, _) = self.ev(&args[0])?;
                        let (a, b) = (&args[1], &args[2]);
                        let pick = if c == V::Boolean(true) { a } else { b };
                        let (v, t) = self.ev(pick)?;
                        Ok((v, t))
                    }
                    Func::And | Func::Or => {
                        for a in args {
                            let (v, _) = self.ev(a)?;
                            let b = v == V::Boolean(true);
                            if b == (f == Func::Or) {
                                return Ok((V::Boolean(b), Type::Boolean));
                            }
                        }
                        Ok((V::Boolean(f == Func::And), Type::Boolean))
                    }
                    Func::IfError => match self.ev(&args[0]) {
                        Ok(x) => Ok(x),
                        Err(_) => self.ev(&args[1]),
                    },
                    Func::Case => {
                        let (s, st) = self.ev(&args[0])?;
                        let mut i = 1;
                        while i + 1 < args.len() {
                            let (w, _) = self.ev(&args[i])?;
                            if equals(st, &s, &w) == Some(true) {
                                return self.ev(&args[i + 1]);
                            }
                            i += 2;
                        }
                        self.ev(&args[args.len() - 1])
                    }
                    _ => {
                        let mut vs = Vec::new();
                        let mut ts = Vec::new();
                        for a in args {
                            let (v, t) = self.ev(a)?;
                            vs.push(v);
                            ts.push(t);
                        }
                        let env = Env {
                            now: NaiveDateTime::parse_from_str(
                                "2020-01-01 00:00:00",
                                "%Y-%m-%d %H:%M:%S",
                            )
                            .unwrap(),
                        };
                        let v = call(f, &vs, &ts, &env)?;
                        let t = v.type_of().unwrap_or(match f {
                            Func::BlankValue | Func::NullValue => ts[0],
                            _ => Type::Number,
                        });
                        Ok((v, t))
                    }
                }
            }
        }
    }
}

/// Java `movePointRight(k)` (negative: left): shifts the point, never a negative scale.
fn move_point(n: &BigDecimal, k: i64) -> BigDecimal {
    let (i, sc) = n.as_bigint_and_exponent();
    let r = BigDecimal::new(i, sc - k);
    if sc - k < 0 { r.with_scale(0) } else { r }
}

fn java_date(t: NaiveDateTime) -> String {
    format!(
        "{} {} {:02} {:02}:{:02}:{:02} GMT {}",
        t.format("%a"),
        t.format("%b"),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.year()
    )
}

fn print(v: &crate::formula::Value, rtype: &str) -> Option<String> {
    use crate::formula::Value as V;
    Some(match v {
        V::Null if rtype == "Boolean" => "false".into(),
        V::Null => return None,
        V::Number(n) => {
            let n = if rtype == "Percent" {
                move_point(n, 2)
            } else {
                n.clone()
            };
            round_result(&n).to_plain_string()
        }
        V::Date(d) => java_date(d.and_hms_opt(0, 0, 0).unwrap()),
        V::DateTime(t) => java_date(*t),
        V::Time(ms) => {
            let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
            if f != 0 {
                format!("{h:02}:{m:02}:{s:02}.{f:03}")
            } else if s != 0 {
                format!("{h:02}:{m:02}:{s:02}")
            } else {
                format!("{h:02}:{m:02}")
            }
        }
        V::Boolean(b) => b.to_string(),
        V::Text(s) => s.to_string(),
    })
}

fn input(v: &serde_json::Value, ty: &str, zero: bool) -> Option<(crate::formula::Value, Type)> {
    use crate::formula::Value as V;
    let t = match ty {
        "Number" | "Currency" | "Percent" => Type::Number,
        "Text" => Type::Text,
        "Boolean" => Type::Boolean,
        "Date" => Type::Date,
        "DateTime" => Type::DateTime,
        _ => return None,
    };
    if v.is_null() {
        if zero && t == Type::Number {
            return Some((V::Number(BigDecimal::from(0)), t));
        }
        return Some((V::Null, t));
    }
    let s = v
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string());
    Some((
        match t {
            Type::Number => {
                let n = BigDecimal::from_str(&s).ok()?;
                V::Number(if ty == "Percent" {
                    number::div(&n, &BigDecimal::from(100)).ok()?
                } else {
                    n
                })
            }
            Type::Text => V::text(s),
            Type::Boolean => V::Boolean(v.as_bool()?),
            Type::Date => {
                if s.len() > 10 {
                    return None;
                }
                V::Date(NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()?)
            }
            _ => V::DateTime(NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%SZ").ok()?),
        },
        t,
    ))
}

#[test]
#[ignore]
fn corpus_builtins() {
    let path = "/work/shared/conformance/formula-engine/cases.jsonl";
    let Ok(data) = std::fs::read_to_string(path) else {
        return;
    };
    let (mut pass, mut fail, mut skip) = (0, 0, 0);
    let mut by_func: HashMap<String, (u32, u32)> = HashMap::new();
    let mut shown: HashMap<String, u32> = HashMap::new();
    for line in data.lines() {
        let c: serde_json::Value = serde_json::from_str(line).unwrap();
        let formula = c["formula"].as_str().unwrap();
        if c.get("nested_functions").is_some() || formula.contains("customformula") {
            skip += 1;
            continue;
        }
        let Some(toks) = lex(formula) else {
            skip += 1;
            continue;
        };
        let mut p = P { t: toks, i: 0 };
        let Some(e) = p.expr(0) else {
            skip += 1;
            continue;
        };
        let rtype = c["result_type"].as_str().unwrap();
        for (zero, key) in [(true, "expected"), (false, "expected_null_as_null")] {
            let mut fields = HashMap::new();
            let mut ok = true;
            for (name, spec) in c["fields"].as_object().unwrap() {
                let v = c["inputs"]
                    .get(name)
                    .cloned()
                    .unwrap_or(serde_json::Value::Null);
                match input(&v, spec["type"].as_str().unwrap(), zero) {
                    Some(x) => {
                        fields.insert(name.to_ascii_lowercase(), x);
                    }
                    None => ok = false,
                }
            }
            if !ok {
                skip += 1;
                continue;
            }
            let cx = Cx { fields };
            let got = cx.ev(&e);
            let exp = c[key].as_str().map(str::to_owned);
            let good = match (&got, &exp) {
                (Err(_), Some(x)) => x.starts_with("Error: "),
                (Ok((v, _)), x) => print(v, rtype) == *x,
                (Err(_), None) => false,
            };
            let fkey = c["functions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
                .join(",");
            let entry = by_func.entry(fkey.clone()).or_default();
            if good {
                pass += 1;
                entry.0 += 1;
            } else {
                fail += 1;
                entry.1 += 1;
                let n = shown.entry(fkey).or_default();
                *n += 1;
                if *n <= 3 {
                    println!(
                        "FAIL {formula} | {} | mode {key} | expected {:?} | got {:?}",
                        c["inputs"],
                        exp,
                        got.map(|(v, _)| print(&v, rtype))
                    );
                }
            }
        }
    }
    let mut fails: Vec<_> = by_func.iter().filter(|(_, v)| v.1 > 0).collect();
    fails.sort_by_key(|(_, v)| std::cmp::Reverse(v.1));
    for (k, v) in fails {
        println!("{k}: {} pass, {} fail", v.0, v.1);
    }
    println!("corpus: {pass} pass, {fail} fail, {skip} skipped");
}
