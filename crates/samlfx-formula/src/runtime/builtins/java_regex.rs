//! REGEX() patterns: Java's `Pattern.matches` dialect translated to the `regex` crate's.
//!
//! Salesforce evaluates REGEX with Java, whose defaults differ from the `regex` crate's: `\w \d \s
//! \b` and the POSIX names `\p{Lower}`… are ASCII-only, `(?i)` folds ASCII letters only (unless
//! `(?u)`), `.` stops at every line terminator, `\Q…\E` quotes text, `\0101` is octal, `\cA` a
//! control character and `\<` a literal `<`.
//! The pattern is parsed to a syntax tree first (so a comment or a `)` inside it cannot escape the
//! anchoring), rewritten span by span, then anchored structurally as a whole-text match.
//! Java features with no equivalent here (lookaround, backreferences, possessive quantifiers,
//! atomic groups) are reported as such, apart from truly invalid patterns.
//!
//! Unicode property names the `regex` crate knows work as in Java (`\p{L}`, the script
//! `\p{IsLatin}`); Java's block names (`\p{InGreek}`) and `java…` names are reported as
//! unsupported. Under `(?i)`, `\p{Lu}`, `\p{Ll}`, `\p{Lt}`, `\p{Upper}` and `\p{Lower}` match
//! either case, as in Java 9 and later.
//!
//! Known remaining differences, all rare in attribute formulas: Java's `$` also matches before a
//! final line terminator, its `\v` is a class of vertical whitespace (here U+000B only).

use std::ops::Range;

use regex_syntax::ast::{self, Ast, ClassSetItem, Flag, FlagsItemKind, visit};
use regex_syntax::hir::{
    Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

/// Why a pattern cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexProblem {
    /// Java would reject it too; the text says why.
    Invalid(String),
    /// Java accepts it but samlfx cannot evaluate it: the text names the feature, the range is
    /// its bytes in the pattern as written (the whole pattern when samlfx cannot tell), so the
    /// checker can point at it.
    Unsupported(String, Range<usize>),
    /// Java accepts it but it exceeds samlfx's bound on compiled size or nesting; the text says
    /// which bound.
    TooLarge(String),
}

/// The deepest group nesting samlfx accepts (the `regex` parser's recursion bound).
pub const NEST_LIMIT: u32 = 100;

/// The `regex` crate pattern, anchored at both ends, that matches exactly what Java's
/// `Pattern.matches(pattern, text)` matches.
pub fn translate(pattern: &str) -> Result<String, RegexProblem> {
    let (quoted, origin) = preprocess(pattern)?;
    // Ranges found in the preprocessed text, taken back to the pattern as written.
    let to_pattern = |e: RegexProblem| match e {
        RegexProblem::Unsupported(f, r) => {
            let back = |i: usize| origin.as_ref().map_or(i, |o| o[i.min(o.len() - 1)]);
            RegexProblem::Unsupported(f, back(r.start)..back(r.end))
        }
        other => other,
    };
    let tree = ast::parse::ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(&quoted)
        .map_err(|e| to_pattern(classify(&quoted, &e)))?;
    let edits = Edits {
        src: &quoted,
        edits: Vec::new(),
        flags: vec![Flags::default()],
        folded_classes: Vec::new(),
    };
    let (edits, folded_classes) = visit(&tree, edits).map_err(to_pattern)?;
    let rewritten = apply(&quoted, edits);
    let hir = regex_syntax::ParserBuilder::new()
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(&rewritten)
        .map_err(|e| match e {
            regex_syntax::Error::Translate(t)
                if matches!(
                    t.kind(),
                    regex_syntax::hir::ErrorKind::UnicodePropertyNotFound
                ) =>
            {
                // The error's offsets are in the rewritten text: blame the whole pattern.
                RegexProblem::Unsupported(
                    "a Java block or character property such as \\p{InGreek} or \\p{javaLowerCase}"
                        .into(),
                    0..pattern.len(),
                )
            }
            regex_syntax::Error::Parse(p)
                if matches!(p.kind(), ast::ErrorKind::NestLimitExceeded(_)) =>
            {
                too_deep()
            }
            other => RegexProblem::Invalid(first_line(&other.to_string()).to_owned()),
        })?;
    let hir = fold_marked_classes(hir, &folded_classes);
    let anchored = Hir::concat(vec![Hir::look(Look::Start), hir, Hir::look(Look::End)]);
    Ok(anchored.to_string())
}

fn too_deep() -> RegexProblem {
    RegexProblem::TooLarge(format!("groups nested more than {NEST_LIMIT} deep"))
}

/// Rewrites the escapes the `regex` parser reads differently or not at all, as code points:
/// each `\Q…\E` (the `\E` optional at the end) to its text, Java's octal `\0n`, `\0nn`,
/// `\0mnn` (m ≤ 3) and control escape `\cX` to the character they denote. With a rewrite comes
/// the offset in `p` of each output byte (and of the end), so errors can point into `p`.
fn preprocess(p: &str) -> Result<(String, Option<Vec<usize>>), RegexProblem> {
    if !p.contains("\\Q") && !p.contains("\\0") && !p.contains("\\c") {
        return Ok((p.to_owned(), None));
    }
    let code_point = |c: u32| format!("\\x{{{c:X}}}");
    let mut out = String::with_capacity(p.len() + 8);
    let mut origin: Vec<usize> = Vec::with_capacity(p.len() + 9);
    let mut rest = p;
    // Whatever was written since the last call came from the pattern at `from`.
    let mut mark = |out: &String, from: usize, copied: bool| {
        let start = origin.len();
        origin.extend((start..out.len()).map(|k| if copied { from + k - start } else { from }));
    };
    while let Some(i) = rest.find('\\') {
        let base = p.len() - rest.len();
        out.push_str(&rest[..i]);
        mark(&out, base, true);
        let after = &rest[i + 1..];
        let first = after.chars().next();
        match first {
            Some('Q') => {
                let body = &after[1..];
                let (lit, tail) = match body.find("\\E") {
                    Some(e) => (&body[..e], &body[e + 2..]),
                    None => (body, ""),
                };
                for c in lit.chars() {
                    // Escaped by code point so that it stays literal inside a class and in (?x).
                    out.push_str(&code_point(c as u32));
                }
                rest = tail;
            }
            Some('0') => {
                let digits: Vec<u32> = after[1..]
                    .chars()
                    .take(3)
                    .map_while(|c| c.to_digit(8))
                    .collect();
                let n = match digits.len() {
                    0 => {
                        return Err(RegexProblem::Invalid(
                            "illegal octal escape sequence: \\0 must be followed by an octal digit"
                                .into(),
                        ));
                    }
                    3 if digits[0] > 3 => 2,
                    n => n,
                };
                out.push_str(&code_point(digits[..n].iter().fold(0, |a, d| a * 8 + d)));
                rest = &after[1 + n..];
            }
            Some('c') => {
                let Some(x) = after[1..].chars().next() else {
                    return Err(RegexProblem::Invalid(
                        "illegal control escape sequence: \\c at the end of the pattern".into(),
                    ));
                };
                out.push_str(&code_point(x as u32 ^ 64));
                rest = &after[1 + x.len_utf8()..];
            }
            Some(c) => {
                out.push('\\');
                out.push(c);
                rest = &after[c.len_utf8()..];
            }
            None => {
                out.push('\\');
                rest = "";
            }
        }
        // A rewritten escape maps, byte for byte, to its backslash; a kept one to itself.
        mark(&out, base + i, !matches!(first, Some('Q' | '0' | 'c')));
    }
    let base = p.len() - rest.len();
    out.push_str(rest);
    mark(&out, base, true);
    origin.push(p.len());
    Ok((out, Some(origin)))
}

fn first_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| l.starts_with("error:"))
        .map_or_else(
            || s.lines().next().unwrap_or(s),
            |l| l.trim_start_matches("error: "),
        )
}

/// Tells a Java feature the `regex` crate lacks from a pattern Java rejects as well.
fn classify(src: &str, e: &ast::Error) -> RegexProblem {
    use ast::ErrorKind as K;
    let at = e.span().start.offset;
    let before = &src[..at.min(src.len())];
    let here = src.get(at..).unwrap_or("");
    // At least the character at the error, so that a label always shows.
    let width = here.chars().next().map_or(0, char::len_utf8);
    let span = at..e.span().end.offset.max(at + width).min(src.len());
    let unsupported_at = |s: &str, r: Range<usize>| RegexProblem::Unsupported(s.to_owned(), r);
    let unsupported = |s: &str| unsupported_at(s, span.clone());
    match e.kind() {
        K::NestLimitExceeded(_) => too_deep(),
        K::UnsupportedLookAround => unsupported("lookaround, such as (?=…) or (?!…)"),
        K::UnsupportedBackreference => unsupported("a backreference such as \\1"),
        K::RepetitionMissing if here.starts_with('+') && before.ends_with(['*', '+', '?', '}']) => {
            // The quantifier it makes possessive is part of the feature: `*+`, `{2,3}+`.
            let from = if before.ends_with('}') {
                before.rfind('{').unwrap_or(at - 1)
            } else {
                at - 1
            };
            unsupported_at("a possessive quantifier such as *+ or ++", from..at + 1)
        }
        _ if before.ends_with("(?") && here.starts_with('>') => {
            unsupported_at("an atomic group (?>…)", at - 2..at + 1)
        }
        K::FlagUnrecognized if here.starts_with('d') => unsupported("the UNIX_LINES flag (?d)"),
        K::EscapeUnrecognized => {
            let c = here.strip_prefix('\\').unwrap_or(here).chars().next();
            match c {
                Some('G') => unsupported("the \\G anchor"),
                Some('Z') => unsupported("the \\Z anchor"),
                Some('R') => unsupported("the line-break matcher \\R"),
                Some('h' | 'H') => unsupported("the horizontal-space class \\h"),
                Some('X') => unsupported("the grapheme-cluster matcher \\X"),
                Some('e') => unsupported("the escape-character escape \\e"),
                Some('k') => unsupported("a named backreference \\k<name>"),
                Some('N') => unsupported("a named-character escape \\N{…}"),
                _ => RegexProblem::Invalid(e.kind().to_string()),
            }
        }
        kind => RegexProblem::Invalid(kind.to_string()),
    }
}

/// Java's flags in force at a point of the pattern.
#[derive(Clone, Copy, Default)]
struct Flags {
    case_insensitive: bool,
    unicode_case: bool,
    dot_all: bool,
}

/// Span rewrites collected while walking the tree.
struct Edits<'s> {
    src: &'s str,
    edits: Vec<(usize, usize, String)>,
    flags: Vec<Flags>,
    /// Whether each bracketed class marked for ASCII case folding is negated, by mark number.
    folded_classes: Vec<bool>,
}

impl Edits<'_> {
    fn now(&self) -> Flags {
        self.flags.last().copied().unwrap_or_default()
    }

    fn replace(&mut self, span: &ast::Span, with: impl Into<String>) {
        self.edits
            .push((span.start.offset, span.end.offset, with.into()));
    }

    /// Applies a flag group to the innermost state and rewrites it without the flags Java and
    /// the `regex` crate read differently (`i`, `u`, Rust's `U` and `R`).
    fn flags(&mut self, f: &ast::Flags, whole: Option<&ast::Span>) -> Result<(), RegexProblem> {
        let mut state = self.now();
        let mut on = true;
        let mut kept = String::new();
        for item in &f.items {
            match item.kind {
                FlagsItemKind::Negation => {
                    on = false;
                    kept.push('-');
                }
                FlagsItemKind::Flag(Flag::CaseInsensitive) => state.case_insensitive = on,
                FlagsItemKind::Flag(Flag::Unicode) => state.unicode_case = on,
                FlagsItemKind::Flag(Flag::DotMatchesNewLine) => {
                    state.dot_all = on;
                    kept.push('s');
                }
                FlagsItemKind::Flag(Flag::MultiLine) => kept.push('m'),
                FlagsItemKind::Flag(Flag::IgnoreWhitespace) => kept.push('x'),
                FlagsItemKind::Flag(Flag::SwapGreed) => {
                    return Err(RegexProblem::Unsupported(
                        "the UNICODE_CHARACTER_CLASS flag (?U)".into(),
                        item.span.start.offset..item.span.end.offset,
                    ));
                }
                FlagsItemKind::Flag(Flag::CRLF) => {
                    return Err(RegexProblem::Invalid("unknown inline flag 'R'".into()));
                }
            }
        }
        let kept = kept.trim_end_matches('-').to_owned();
        if let Some(top) = self.flags.last_mut() {
            *top = state;
        }
        match whole {
            // `(?im)` alone: drop it entirely when nothing is left.
            Some(span) if kept.is_empty() => self.replace(span, ""),
            Some(span) => self.replace(span, format!("(?{kept})")),
            None => self.replace(&f.span, kept),
        }
        Ok(())
    }
}

/// The ASCII class a Perl class means in Java, written for use inside brackets.
fn perl_ascii(c: &ast::ClassPerl) -> &'static str {
    use ast::ClassPerlKind::*;
    match (&c.kind, c.negated) {
        (Digit, false) => "[:digit:]",
        (Digit, true) => "[:^digit:]",
        (Space, false) => "[:space:]",
        (Space, true) => "[:^space:]",
        (Word, false) => "[:word:]",
        (Word, true) => "[:^word:]",
    }
}

/// A property class rewritten as a bracketed class (usable alone or nested in brackets) where
/// Java reads it differently: its POSIX names (`\p{Lower}`) are ASCII-only, and under `(?i)` the
/// cased-letter names match both cases (Java 9's `CharPredicates.forProperty(name, caseIns)`).
fn java_property(c: &ast::ClassUnicode, case_insensitive: bool) -> Option<String> {
    let ast::ClassUnicodeKind::Named(name) = &c.kind else {
        return None;
    };
    let not = if c.negated { "^" } else { "" };
    if case_insensitive {
        let key: String = name
            .chars()
            .filter(|ch| !matches!(ch, ' ' | '_' | '-'))
            .collect::<String>()
            .to_ascii_lowercase();
        let key = key.strip_prefix("is").unwrap_or(&key);
        match key {
            "lu" | "ll" | "lt" | "uppercaseletter" | "lowercaseletter" | "titlecaseletter" => {
                return Some(format!(r"[{not}\p{{Lu}}\p{{Ll}}\p{{Lt}}]"));
            }
            "uppercase" | "lowercase" => {
                return Some(format!(r"[{not}\p{{Uppercase}}\p{{Lowercase}}\p{{Lt}}]"));
            }
            _ => {}
        }
    }
    let posix = match name.as_str() {
        "Lower" | "Upper" if case_insensitive => "alpha",
        "Lower" => "lower",
        "Upper" => "upper",
        "ASCII" => "ascii",
        "Alpha" => "alpha",
        "Digit" => "digit",
        "Alnum" => "alnum",
        "Punct" => "punct",
        "Graph" => "graph",
        "Print" => "print",
        "Blank" => "blank",
        "Cntrl" => "cntrl",
        "XDigit" => "xdigit",
        "Space" => "space",
        _ => return None,
    };
    Some(format!("[[:{not}{posix}:]]"))
}

impl ast::Visitor for Edits<'_> {
    type Output = (Vec<(usize, usize, String)>, Vec<bool>);
    type Err = RegexProblem;

    fn finish(self) -> Result<Self::Output, RegexProblem> {
        Ok((self.edits, self.folded_classes))
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), RegexProblem> {
        let now = self.now();
        match ast {
            Ast::Group(g) => {
                self.flags.push(now);
                match &g.kind {
                    ast::GroupKind::NonCapturing(f) => self.flags(f, None)?,
                    ast::GroupKind::CaptureName {
                        starts_with_p,
                        name,
                    } => {
                        java_group_name(*starts_with_p, &name.name)?;
                    }
                    ast::GroupKind::CaptureIndex(_) => {}
                }
            }
            Ast::Flags(f) => self.flags(&f.flags, Some(&f.span))?,
            // `a*+` is Java's possessive `*`; `a**` a dangling operator. The `regex` crate reads
            // both as a repetition of a repetition.
            Ast::Repetition(r) if matches!(*r.ast, Ast::Repetition(_)) => {
                let from = match &*r.ast {
                    Ast::Repetition(inner) => inner.op.span.start.offset,
                    _ => r.op.span.start.offset,
                };
                return Err(
                    if r.greedy && matches!(r.op.kind, ast::RepetitionKind::OneOrMore) {
                        RegexProblem::Unsupported(
                            "a possessive quantifier such as *+ or ++".into(),
                            from..r.op.span.end.offset,
                        )
                    } else {
                        RegexProblem::Invalid("dangling repetition operator".into())
                    },
                );
            }
            Ast::ClassPerl(c) => self.replace(&c.span, format!("[{}]", perl_ascii(c))),
            Ast::ClassUnicode(c) => {
                if let Some(class) = java_property(c, now.case_insensitive) {
                    self.replace(&c.span, class);
                }
            }
            Ast::Dot(span) if !now.dot_all => {
                self.replace(span, r"[^\n\r\x{85}\x{2028}\x{2029}]");
            }
            Ast::Assertion(a) => {
                use ast::AssertionKind::*;
                let with = match a.kind {
                    WordBoundary => r"(?-u:\b)",
                    NotWordBoundary => r"(?-u:\B)",
                    WordBoundaryStartAngle => "<",
                    WordBoundaryEndAngle => ">",
                    WordBoundaryStart
                    | WordBoundaryEnd
                    | WordBoundaryStartHalf
                    | WordBoundaryEndHalf => {
                        return Err(RegexProblem::Invalid("unknown boundary \\b{…}".into()));
                    }
                    _ => return Ok(()),
                };
                self.replace(&a.span, with);
            }
            Ast::Literal(l) if now.case_insensitive => {
                let text = &self.src[l.span.start.offset..l.span.end.offset];
                if now.unicode_case {
                    let with = format!("(?i:{text})");
                    self.replace(&l.span, with);
                } else if l.c.is_ascii_alphabetic() {
                    let with =
                        format!("[{}{}]", l.c.to_ascii_lowercase(), l.c.to_ascii_uppercase());
                    self.replace(&l.span, with);
                }
            }
            Ast::ClassBracketed(c) if now.case_insensitive => {
                // Under (?iu) the `regex` crate's Unicode folding is Java's; under (?i) the class
                // is marked with a named group and folded for ASCII letters after parsing.
                let (s, e) = (c.span.start.offset, c.span.end.offset);
                let open = if now.unicode_case {
                    "(?i:".to_owned()
                } else {
                    self.folded_classes.push(c.negated);
                    format!("(?<{FOLD_MARK}{}>", self.folded_classes.len() - 1)
                };
                self.edits.push((s, s, open));
                self.edits.push((e, e, ")".into()));
            }
            _ => {}
        }
        Ok(())
    }

    fn visit_post(&mut self, ast: &Ast) -> Result<(), RegexProblem> {
        if let Ast::Group(_) = ast {
            self.flags.pop();
        }
        Ok(())
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), RegexProblem> {
        let now = self.now();
        match item {
            ClassSetItem::Perl(c) => self.replace(&c.span, perl_ascii(c)),
            ClassSetItem::Unicode(c) => {
                if let Some(class) = java_property(c, now.case_insensitive) {
                    self.replace(&c.span, class);
                }
            }
            // `[[:alpha:]]` is Rust syntax; in Java `[:alpha:]` is a nested class of its characters.
            ClassSetItem::Ascii(c) => {
                let text = &self.src[c.span.start.offset..c.span.end.offset];
                let inner: String = text
                    .chars()
                    .map(|ch| format!("\\x{{{:X}}}", ch as u32))
                    .collect();
                self.replace(&c.span, inner);
            }
            _ => {}
        }
        Ok(())
    }
}

/// The name prefix of the groups that mark a class for ASCII case folding. Its `.` cannot occur
/// in a Java group name, so it never meets the user's own groups.
const FOLD_MARK: &str = "samlfx.fold";

/// Java's group names are `[a-zA-Z][a-zA-Z0-9]*` written `(?<name>…)`; the `regex` crate accepts
/// more (`(?P<name>…)`, `_`, `.`, non-ASCII letters).
fn java_group_name(starts_with_p: bool, name: &str) -> Result<(), RegexProblem> {
    if starts_with_p {
        return Err(RegexProblem::Invalid("unknown inline modifier (?P".into()));
    }
    let mut chars = name.chars();
    if !chars.next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(RegexProblem::Invalid(format!(
            "capturing group name '{name}' does not start with a Latin letter"
        )));
    }
    if !chars.all(|c| c.is_ascii_alphanumeric()) {
        return Err(RegexProblem::Invalid(format!(
            "capturing group name '{name}' may hold only Latin letters and digits"
        )));
    }
    Ok(())
}

/// Replaces each marked group with its class closed under ASCII case: Java's (?i) without
/// UNICODE_CASE. A negated class is the complement of the closed positive class, as in Java.
fn fold_marked_classes(h: Hir, negated: &[bool]) -> Hir {
    let fold = |h: Hir| fold_marked_classes(h, negated);
    match h.into_kind() {
        HirKind::Capture(c) => {
            let mark = c.name.as_deref().and_then(|n| n.strip_prefix(FOLD_MARK));
            match mark.and_then(|k| k.parse::<usize>().ok()) {
                Some(k) => ascii_closed(*c.sub, negated.get(k).copied().unwrap_or(false)),
                None => Hir::capture(Capture {
                    sub: Box::new(fold(*c.sub)),
                    ..c
                }),
            }
        }
        HirKind::Concat(v) => Hir::concat(v.into_iter().map(fold).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.into_iter().map(fold).collect()),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            sub: Box::new(fold(*r.sub)),
            ..r
        }),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
    }
}

fn ascii_closed(class: Hir, negated: bool) -> Hir {
    let mut set = match class.kind() {
        HirKind::Class(Class::Unicode(c)) => c.clone(),
        // A one-character class is simplified to a literal.
        HirKind::Literal(l) => match std::str::from_utf8(&l.0).ok().map(str::chars) {
            Some(mut cs) => match (cs.next(), cs.next()) {
                (Some(c), None) => ClassUnicode::new([ClassUnicodeRange::new(c, c)]),
                _ => return class,
            },
            None => return class,
        },
        _ => return class,
    };
    if negated {
        set.negate();
    }
    let mut other = Vec::new();
    for r in set.ranges() {
        for (lo, hi) in [('a', 'z'), ('A', 'Z')] {
            let (a, b) = (r.start().max(lo), r.end().min(hi));
            if a <= b {
                let swap = |c: char| {
                    if c.is_ascii_lowercase() {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                };
                other.push(ClassUnicodeRange::new(swap(a), swap(b)));
            }
        }
    }
    set.union(&ClassUnicode::new(other));
    if negated {
        set.negate();
    }
    Hir::class(Class::Unicode(set))
}

fn apply(src: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|&(s, e, _)| (s, e));
    let mut out = String::with_capacity(src.len() + 16);
    let mut at = 0;
    for (s, e, with) in edits {
        if s < at {
            continue;
        }
        out.push_str(&src[at..s]);
        out.push_str(&with);
        at = e;
    }
    out.push_str(&src[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str, pattern: &str) -> bool {
        let t = translate(pattern).unwrap_or_else(|e| panic!("{pattern}: {e:?}"));
        regex::Regex::new(&t).unwrap().is_match(text)
    }

    #[test]
    fn anchors_the_whole_pattern() {
        assert!(matches!(translate("a)|(b"), Err(RegexProblem::Invalid(_))));
        assert!(m("ab", "a|ab"));
        assert!(!m("xxb", "a|b"));
        assert!(m("a", "(?x)a # comment"));
        assert!(!m("abc", "b"));
    }

    #[test]
    fn perl_classes_are_ascii() {
        assert!(!m("é", "\\w"));
        assert!(m("é", "\\W"));
        assert!(m("a-b_9", "[\\w-]+"));
        assert!(!m("é-b", "[\\w-]+"));
        assert!(!m("٣", "\\d"));
        assert!(m("\u{b}", "\\s"));
        assert!(!m("\u{a0}", "\\s"));
        assert!(m("jdoe@00580000003abcd", "[\\w+=,.@-]{2,64}"));
        assert!(!m("jdoé", "[\\w+=,.@-]{2,64}"));
        assert!(m("ab", "\\bab\\b"));
        assert!(!m("é", "\\p{Lower}"));
        assert!(m("é", "é"));
    }

    #[test]
    fn case_insensitivity_is_ascii_unless_unicode_case() {
        assert!(m("ABC", "(?i)abc"));
        assert!(m("ABC", "(?i)[a-c]+"));
        assert!(m("xY", "(?i)[^a-c]+"));
        assert!(!m("B", "(?i)[^a-c]"));
        assert!(!m("\u{212A}", "(?i)[k]"));
        assert!(!m("É", "(?i)[é]"));
        assert!(m("É", "(?iu)[é]"));
        assert!(m("K", "(?i)[k]"));
        assert!(m("q", "(?i)(?:[Q]|z)"));
        assert!(!m("É", "(?i)é"));
        assert!(m("É", "(?iu)é"));
        assert!(!m("\u{212A}", "(?i)k"));
        assert!(m("aB", "a(?i:b)"));
        assert!(!m("AB", "a(?i:b)"));
    }

    #[test]
    fn java_only_syntax() {
        assert!(m("a.b", "\\Qa.b\\E"));
        assert!(!m("axb", "\\Qa.b\\E"));
        assert!(m("[x]", "[\\Q[]\\E]x[\\Q]\\E]"));
        assert!(m("<a>", "\\<a\\>"));
        assert!(!m("a\r", "a."));
        for (p, word) in [
            ("(?!foo).*", "lookaround"),
            ("(a)\\1", "backreference"),
            ("a*+", "possessive"),
            ("(?>a)", "atomic"),
            ("\\Ga", "\\G"),
        ] {
            match translate(p) {
                Err(RegexProblem::Unsupported(f, _)) => assert!(f.contains(word), "{p}: {f}"),
                other => panic!("{p}: {other:?}"),
            }
        }
        assert!(matches!(translate("("), Err(RegexProblem::Invalid(_))));
        assert!(matches!(translate("(?R)a"), Err(RegexProblem::Invalid(_))));
    }

    #[test]
    fn case_insensitive_properties_match_both_cases_outside_brackets_too() {
        for p in [
            "(?i)\\p{Upper}",
            "(?i)[\\p{Upper}]",
            "(?i)\\p{Lu}",
            "(?i)\\p{IsLl}",
        ] {
            assert!(m("a", p), "{p}");
            assert!(m("B", p), "{p}");
        }
        assert!(m("é", "(?i)\\p{Lu}"));
        assert!(m("é", "(?i)[\\p{Lu}]"));
        // Java's POSIX names stay ASCII-only under (?i).
        assert!(!m("é", "(?i)\\p{Upper}"));
        assert!(!m("a", "(?i)\\P{Lu}"));
        assert!(m("1", "(?i)\\P{Upper}"));
        assert!(!m("a", "\\p{Upper}"));
        assert!(!m("a", "\\p{Lu}"));
    }

    #[test]
    fn fold_marks_never_meet_user_groups() {
        assert!(!m("A", "(?<samlfxfold0>a)"));
        assert!(m("aB", "(?<samlfxfold0>a)(?i)[b]"));
        assert!(m("aB", "(?<g1>a)(?i)[b]"));
        for p in [
            "(?<a_b>a)",
            "(?<1a>a)",
            "(?P<a>a)",
            "(?<é>a)",
            "(?<samlfx.fold0>a)",
        ] {
            assert!(matches!(translate(p), Err(RegexProblem::Invalid(_))), "{p}");
        }
    }

    #[test]
    fn octal_and_control_escapes_are_characters() {
        assert!(m("a", "\\0141"));
        assert!(m("a", "\\x{61}"));
        assert!(m("\u{1}", "\\01"));
        assert!(m("!", "\\041"));
        // \0400 is \040 (a space) followed by 0: the first of three digits must be at most 3.
        assert!(m(" 0", "\\0400"));
        assert!(m("x", "[\\0170-\\0172]"));
        assert!(m("\\0141", "\\\\0141"));
        assert!(m("\u{1}", "\\cA"));
        assert!(m("!", "\\ca"));
        assert!(m("\\0", "\\Q\\0\\E"));
        for p in ["\\0", "\\09", "a\\c"] {
            assert!(matches!(translate(p), Err(RegexProblem::Invalid(_))), "{p}");
        }
    }

    #[test]
    fn scripts_work_and_blocks_are_unsupported() {
        assert!(m("a", "\\p{IsLatin}"));
        assert!(!m("α", "\\p{IsLatin}"));
        assert!(matches!(
            translate("\\p{InGreek}"),
            Err(RegexProblem::Unsupported(..))
        ));
    }

    proptest::proptest! {
        /// An unsupported feature's range lies in the pattern as written, on character
        /// boundaries, whatever `\Q…\E`, octal or control escapes come before it.
        #[test]
        fn unsupported_ranges_are_slices_of_the_pattern(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "a", "é", "\\Qx*\\E", "\\Qé", "\\0141", "\\cA", "(?=a)", "(?<!é)", "(a)\\1",
                "a*+", "b{2}+", "(?>a)", "\\G", "\\Z", "\\R", "(?d)", "(?U)", "\\p{InGreek}",
                "\\k<n>", "[a-z]", "(", ")",
            ]), 0..8)
        ) {
            let p: String = parts.concat();
            if let Err(RegexProblem::Unsupported(_, r)) = translate(&p) {
                proptest::prop_assert!(r.start < r.end && r.end <= p.len(), "{p}: {r:?}");
                proptest::prop_assert!(p.get(r.clone()).is_some(), "{p}: {r:?}");
            }
        }
    }

    #[test]
    fn unsupported_ranges_point_past_rewritten_escapes() {
        for (p, at) in [
            ("\\Qa(b\\E(?=x)", "(?="),
            ("\\0141\\cAb*+", "*+"),
            ("\\Qé\\E\\1", "\\1"),
            ("é(?>a)", "(?>"),
        ] {
            match translate(p) {
                Err(RegexProblem::Unsupported(_, r)) => assert_eq!(&p[r], at, "{p}"),
                other => panic!("{p}: {other:?}"),
            }
        }
    }

    #[test]
    fn deep_nesting_is_a_bound_not_an_error() {
        let deep = format!("{}a{}", "(".repeat(150), ")".repeat(150));
        assert!(matches!(translate(&deep), Err(RegexProblem::TooLarge(_))));
        let fine = format!("{}a{}", "(".repeat(50), ")".repeat(50));
        assert!(m("a", &fine));
    }
}
