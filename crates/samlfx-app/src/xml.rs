//! A small element tree read with quick-xml, every text kept with its [`SourceMap`] into the
//! file: entity and character references, CDATA sections and `\r\n` line ends are decoded, and
//! each decoded byte remembers the file bytes it came from.
//!
//! Safe by construction: a DOCTYPE refuses the file (C005) before any entity could be defined,
//! so only XML's five predefined entities and character references are ever decoded (anything
//! else is C006); nesting is bounded ([`MAX_DEPTH`], C002); the tree is built with an explicit
//! stack, never recursion over the input.

use quick_xml::events::Event;
use quick_xml::reader::Reader;
use samlfx_diag::{Code, Diagnostic, SourceMap, Span};

use crate::model::Text;

/// The deepest element nesting read; Salesforce metadata nests four deep, a SAML Response eight.
pub const MAX_DEPTH: usize = 64;

/// Which codes and words a document's problems are reported in: the reader serves app files
/// (`C0xx`) and captured SAML Responses (`samlfx-saml`, `S0xx`) alike.
#[derive(Clone, Copy, Debug)]
pub struct Dialect {
    /// Not well-formed XML.
    pub malformed: Code,
    /// A DOCTYPE, refused before any entity could be defined.
    pub doctype: Code,
    pub doctype_help: &'static str,
    /// Nesting deeper than [`MAX_DEPTH`].
    pub too_deep: Code,
    pub too_deep_help: &'static str,
    /// An entity other than XML's five, or a character XML does not allow.
    pub entity: Code,
    /// How messages name the document ("the file").
    pub document: &'static str,
    /// What the root element looks like, for the help on an empty document.
    pub root_example: &'static str,
}

/// An app file's dialect.
pub const APP_FILE: Dialect = Dialect {
    malformed: Code::MalformedXml,
    doctype: Code::DoctypeRefused,
    doctype_help: "delete the DOCTYPE: Salesforce metadata never has one, and its entities are not read",
    too_deep: Code::AppFileLimit,
    too_deep_help: "this is not Salesforce metadata, which nests four deep",
    entity: Code::UndefinedEntity,
    document: "the file",
    root_example: "an app file's XML has one root element, such as `<ConnectedApp>`",
};

/// The text of UTF-16 bytes that begin with a byte-order mark (`FF FE` little-endian, `FE FF`
/// big-endian), as UTF-8 with the mark kept as U+FEFF; `None` for bytes without one (read them
/// as UTF-8), `Some(Err(at))` when the code unit at byte `at` is an unpaired surrogate. Spans of
/// what is read from it are offsets into this text, which is what the renderers show.
pub fn utf16_text(bytes: &[u8]) -> Option<Result<String, usize>> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes.chunks(2).map(|c| match (c, little) {
        ([a, b], true) => u16::from_le_bytes([*a, *b]),
        ([a, b], false) => u16::from_be_bytes([*a, *b]),
        // An odd trailing byte cannot be a code unit.
        _ => 0xD800,
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => out.push(c),
            Err(_) => return Some(Err(i * 2)),
        }
    }
    Some(Ok(out))
}

/// One element: its local name (any prefix dropped), its attributes, its child elements and its
/// own text (the concatenation of its text, references and CDATA, comments skipped).
#[derive(Clone, Debug)]
pub struct Element {
    pub name: String,
    /// The name as written, prefix included (`saml:Assertion`): what namespace resolution reads.
    pub qname: String,
    /// The first comment among the element's own content: a comment splits a text in two, and a
    /// reader that keeps only the first part sees another value than the one signed.
    pub comment: Option<Span>,
    /// The name in the start tag.
    pub name_span: Span,
    /// From `<` of the start tag to `>` of the end tag.
    pub span: Span,
    pub attributes: Vec<XmlAttribute>,
    pub children: Vec<Element>,
    pub text: Text,
}

#[derive(Clone, Debug)]
pub struct XmlAttribute {
    pub name: String,
    /// The name as written (`xmlns:saml`, `xsi:type`).
    pub qname: String,
    pub name_span: Span,
    pub value: Text,
}

impl Element {
    /// The children named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn attribute(&self, name: &str) -> Option<&XmlAttribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// Where "this element lacks a child" points: its start tag's name.
    pub fn here(&self) -> Span {
        self.name_span
    }
}

/// An element being built: the parts known at its start tag, and its content so far.
struct Open {
    el: Element,
    start: usize,
}

fn local(qname: &str) -> String {
    match qname.rsplit_once(':') {
        Some((_, l)) => l.to_owned(),
        None => qname.to_owned(),
    }
}

/// The span of one byte (or char) at `at`, clamped into `src` and onto char boundaries.
pub(crate) fn point(src: &str, at: usize) -> Span {
    let mut s = at.min(src.len());
    while !src.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = (s + 1).min(src.len());
    while !src.is_char_boundary(e) {
        e += 1;
    }
    Span::new(s, e)
}

/// Parses `src` into its root element; every problem is pushed to `diags`. `None` when the
/// document is refused (malformed, DOCTYPE, too deep, no root).
pub fn parse(src: &str, diags: &mut Vec<Diagnostic>) -> Option<Element> {
    parse_as(src, &APP_FILE, diags)
}

/// [`parse`] in another [`Dialect`].
pub fn parse_as(src: &str, dialect: &Dialect, diags: &mut Vec<Diagnostic>) -> Option<Element> {
    // A byte-order mark is an encoding artefact: read the document with three spaces in its
    // place, so every span stays an offset into `src` and no span falls inside the mark.
    let masked;
    let src = match src.strip_prefix('\u{feff}') {
        Some(rest) => {
            masked = format!("{}{rest}", " ".repeat('\u{feff}'.len_utf8()));
            masked.as_str()
        }
        None => src,
    };
    let mut reader = Reader::from_str(src);
    {
        let c = reader.config_mut();
        c.trim_text(false);
        c.check_end_names = true;
        c.expand_empty_elements = false;
        c.check_comments = true;
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let pos = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                diags.push(
                    Diagnostic::new(dialect.malformed, format!("{} is not well-formed XML: {e}", dialect.document))
                        .at(point(src, at))
                        .with_help("close every element with its own end tag, quote attribute values, and write `&` as `&amp;` and `<` as `&lt;`"),
                );
                return None;
            }
        };
        let end = (reader.buffer_position() as usize).min(src.len());
        let raw = Span::new(pos.min(end), end);
        match event {
            Event::Eof => break,
            Event::DocType(_) => {
                diags.push(
                    Diagnostic::new(
                        dialect.doctype,
                        format!(
                            "{} has a DOCTYPE, which samlfx refuses to read",
                            dialect.document
                        ),
                    )
                    .at_labelled(raw, "a document type declaration")
                    .with_help(dialect.doctype_help),
                );
                return None;
            }
            Event::Start(tag) | Event::Empty(tag) => {
                let empty = src[raw.start..raw.end].ends_with("/>");
                let qname = tag.name().as_ref().to_owned();
                let name = local(&qname);
                let name_start = raw.start + 1;
                let name_span = Span::new(name_start, name_start + tag.name().as_ref().len());
                if root.is_some() && stack.is_empty() {
                    diags.push(
                        Diagnostic::new(
                            dialect.malformed,
                            format!("a second root element `<{name}>` after the document's root"),
                        )
                        .at(name_span)
                        .with_help("an XML document has exactly one root element"),
                    );
                    return None;
                }
                if stack.len() >= MAX_DEPTH {
                    diags.push(
                        Diagnostic::new(
                            dialect.too_deep,
                            format!("XML elements nest deeper than {MAX_DEPTH} levels"),
                        )
                        .at(name_span)
                        .with_help(dialect.too_deep_help),
                    );
                    return None;
                }
                let mut attributes = Vec::new();
                for a in tag.attributes().with_checks(true) {
                    if let Err(e) = a {
                        diags.push(
                            Diagnostic::new(
                                dialect.malformed,
                                format!("a malformed attribute in `<{name}>`: {e}"),
                            )
                            .at(raw)
                            .with_help("write attributes as name=\"value\", each name once"),
                        );
                        return None;
                    }
                }
                for (aname, aname_span, value_span) in scan_attributes(src, raw) {
                    let value = decode_as(src, value_span, dialect, diags);
                    attributes.push(XmlAttribute {
                        name: local(&aname),
                        qname: aname,
                        name_span: aname_span,
                        value,
                    });
                }
                let el = Element {
                    name,
                    qname,
                    comment: None,
                    name_span,
                    span: raw,
                    attributes,
                    children: Vec::new(),
                    text: Text::new(String::new(), SourceMap::new(raw.end)),
                };
                if empty {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(Open {
                        el,
                        start: raw.start,
                    });
                }
            }
            Event::End(_) => {
                // quick-xml checked that the name matches.
                if let Some(mut open) = stack.pop() {
                    open.el.span = Span::new(open.start, raw.end);
                    if open.el.text.value.is_empty() {
                        // An empty text sits just before the end tag.
                        open.el.text.map = SourceMap::new(raw.start);
                    }
                    attach(&mut stack, &mut root, open.el);
                }
            }
            Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                let piece = match event {
                    Event::CData(_) => cdata(src, raw),
                    _ => decode_as(src, raw, dialect, diags),
                };
                match stack.last_mut() {
                    Some(open) => {
                        open.el.text.value.push_str(&piece.value);
                        open.el.text.map.append(&piece.map);
                    }
                    None => {
                        if !piece.value.trim().is_empty() {
                            diags.push(
                                Diagnostic::new(
                                    dialect.malformed,
                                    "text outside the root element",
                                )
                                .at(piece.span())
                                .with_help("everything but the XML declaration and comments goes inside the root element"),
                            );
                            return None;
                        }
                    }
                }
            }
            Event::Comment(_) => {
                if let Some(open) = stack.last_mut() {
                    open.el.comment.get_or_insert(raw);
                }
            }
            Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        diags.push(
            Diagnostic::new(
                dialect.malformed,
                format!("`<{}>` is never closed", open.el.name),
            )
            .at_labelled(open.el.name_span, "opened here")
            .with_help(format!("add `</{}>`", open.el.name)),
        );
        return None;
    }
    if root.is_none() {
        diags.push(
            Diagnostic::new(
                dialect.malformed,
                format!("{} holds no XML element", dialect.document),
            )
            .at(Span::new(0, 0))
            .with_help(dialect.root_example),
        );
    }
    root
}

fn attach(stack: &mut [Open], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.el.children.push(el),
        None => *root = Some(el),
    }
}

/// The attributes of the start tag at `tag` (already checked by quick-xml): each name with its
/// span and the span of its value between the quotes.
fn scan_attributes(src: &str, tag: Span) -> Vec<(String, Span, Span)> {
    let text = &src[tag.start..tag.end];
    let b = text.as_bytes();
    let mut out = Vec::new();
    // Skip `<` and the tag's qualified name.
    let mut i = 1;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let ns = i;
        while i < b.len()
            && b[i] != b'='
            && !b[i].is_ascii_whitespace()
            && b[i] != b'>'
            && b[i] != b'/'
        {
            i += 1;
        }
        if i == ns {
            break;
        }
        let aname = &text[ns..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            break;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || (b[i] != b'"' && b[i] != b'\'') {
            break;
        }
        let q = b[i];
        i += 1;
        let vs = i;
        while i < b.len() && b[i] != q {
            i += 1;
        }
        let ve = i;
        i += 1;
        out.push((
            aname.to_owned(),
            Span::new(tag.start + ns, tag.start + ns + aname.len()),
            Span::new(tag.start + vs, tag.start + ve.min(b.len())),
        ));
    }
    out
}

/// The content of a CDATA section at `raw` (`<![CDATA[…]]>`), verbatim but for line ends.
fn cdata(src: &str, raw: Span) -> Text {
    let inner = Span::new(
        (raw.start + 9).min(raw.end),
        raw.end.saturating_sub(3).max(raw.start + 9).min(raw.end),
    );
    let mut value = String::new();
    let mut map = SourceMap::new(inner.start);
    push_text(src, inner, &mut value, &mut map);
    Text::new(value, map)
}

/// Copies `span` of `src` verbatim, but `\r\n` and a lone `\r` become `\n` as XML requires.
fn push_text(src: &str, span: Span, value: &mut String, map: &mut SourceMap) {
    let text = &src[span.start..span.end];
    let mut from = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\r' {
            value.push_str(&text[from..i]);
            map.push_verbatim(i - from, span.start + from);
            let len = if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            value.push('\n');
            map.push_escape(1, Span::new(span.start + i, span.start + i + len));
            i += len;
            from = i;
        } else {
            i += 1;
        }
    }
    value.push_str(&text[from..]);
    map.push_verbatim(text.len() - from, span.start + from);
}

/// Decodes escaped character data (text or an attribute value) at `span`: references become
/// their characters, mapped to the whole reference; anything else is copied.
pub fn decode(src: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Text {
    decode_as(src, span, &APP_FILE, diags)
}

/// [`decode`] in another [`Dialect`].
pub fn decode_as(src: &str, span: Span, dialect: &Dialect, diags: &mut Vec<Diagnostic>) -> Text {
    let text = &src[span.start..span.end];
    let mut value = String::new();
    let mut map = SourceMap::new(span.start);
    let mut rest = 0;
    while let Some(amp) = text[rest..].find('&') {
        let amp = rest + amp;
        push_text(
            src,
            Span::new(span.start + rest, span.start + amp),
            &mut value,
            &mut map,
        );
        let Some(semi) = text[amp..].find(';').map(|s| amp + s) else {
            // quick-xml refuses a dangling `&`; copy it if it ever gets here.
            push_text(
                src,
                Span::new(span.start + amp, span.end),
                &mut value,
                &mut map,
            );
            rest = text.len();
            break;
        };
        let name = &text[amp + 1..semi];
        let at = Span::new(span.start + amp, span.start + semi + 1);
        match reference(name) {
            Some(c) => {
                value.push(c);
                map.push_escape(c.len_utf8(), at);
            }
            None => {
                diags.push(undefined(name, at, dialect.entity));
                // Kept as written, so the text stays close to what the user sees.
                push_text(src, at, &mut value, &mut map);
            }
        }
        rest = semi + 1;
    }
    push_text(
        src,
        Span::new(span.start + rest, span.end),
        &mut value,
        &mut map,
    );
    Text::new(value, map)
}

/// The character a predefined entity or a character reference stands for.
fn reference(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x") {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            "quot" => Some('"'),
            _ => None,
        };
    };
    if name[1..].starts_with(['+', '-']) {
        return None;
    }
    let c = char::from_u32(code)?;
    // XML 1.0's Char production.
    let allowed = matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}';
    allowed.then_some(c)
}

fn undefined(name: &str, at: Span, code: Code) -> Diagnostic {
    let (message, help) = if name.starts_with('#') {
        (
            format!("`&{name};` is not a character XML allows"),
            "write the character itself, or a reference to an allowed one such as `&#39;`"
                .to_owned(),
        )
    } else {
        (
            format!("the entity `&{name};` is not defined"),
            "XML defines only `&amp;`, `&lt;`, `&gt;`, `&apos;` and `&quot;`; write the character itself, or `&amp;` for an ampersand".to_owned(),
        )
    };
    Diagnostic::new(code, message).at(at).with_help(help)
}

/// Reading values out of a tree: each helper reports what is missing, doubled or unknown.
pub mod read {
    use samlfx_diag::{Code, Diagnostic, suggest};

    use super::Element;
    use crate::model::{Spanned, Text};

    /// The one child `name` of `parent`; a second copy is C009.
    pub fn single<'a>(
        parent: &'a Element,
        name: &'a str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'a Element> {
        let mut found = parent.children_named(name);
        let first = found.next()?;
        for dup in found {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateElement,
                    format!("`<{name}>` appears more than once in `<{}>`", parent.name),
                )
                .at_labelled(dup.name_span, "again here")
                .with_label(first.name_span, "first here")
                .with_help(format!("keep one `<{name}>`")),
            );
        }
        Some(first)
    }

    /// [`single`], and C008 at `parent` when it is missing.
    pub fn required<'a>(
        parent: &'a Element,
        name: &'a str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<&'a Element> {
        let found = single(parent, name, diags);
        if found.is_none() {
            diags.push(missing(parent, name));
        }
        found
    }

    pub fn missing(parent: &Element, name: &str) -> Diagnostic {
        Diagnostic::new(
            Code::MissingElement,
            format!("`<{}>` has no `<{name}>`", parent.name),
        )
        .at_labelled(parent.name_span, format!("needs a `<{name}>`"))
        .with_help(format!(
            "add `<{name}>…</{name}>` inside `<{}>`",
            parent.name
        ))
    }

    /// The text of the one child `name`, trimmed (a setting, not a formula).
    pub fn setting(parent: &Element, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Text> {
        single(parent, name, diags).map(|e| e.text.trimmed())
    }

    /// The enumeration value of the one child `name`: C010 with the closest value when it is
    /// not one of `names`.
    pub fn enumeration<T>(
        parent: &Element,
        name: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Spanned<T>> {
        let text = setting(parent, name, diags)?;
        crate::enumeration::read(&text, name, names, parse, diags)
    }

    /// C011 for each child of `parent` not in `known`; when `typos_only`, only for a child whose
    /// name is close to a known one (a container whose full list samlfx does not keep).
    pub fn unknown_children(
        parent: &Element,
        known: &[&str],
        typos_only: bool,
        diags: &mut Vec<Diagnostic>,
    ) {
        for c in &parent.children {
            if known.contains(&c.name.as_str()) {
                continue;
            }
            let near = suggest::closest(&c.name, known.iter().copied());
            if typos_only && near.is_none() {
                continue;
            }
            let d = Diagnostic::new(
                Code::UnknownElement,
                format!("`<{}>` is not an element of `<{}>`", c.name, parent.name),
            )
            .at(c.name_span);
            diags.push(match near {
                Some(n) => d.with_help(format!("did you mean `<{n}>`? (names are case-sensitive)")),
                None => d.with_help(format!("`<{}>` takes {}", parent.name, known.join(", "))),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn utf16_with_a_byte_order_mark_becomes_utf8() {
        let le: Vec<u8> = "\u{feff}<a>é</a>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "\u{feff}<a>é</a>"
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            super::utf16_text(&le),
            Some(Ok("\u{feff}<a>é</a>".to_owned()))
        );
        assert_eq!(
            super::utf16_text(&be),
            Some(Ok("\u{feff}<a>é</a>".to_owned()))
        );
        assert_eq!(super::utf16_text(b"<a/>"), None);
        assert_eq!(super::utf16_text(&[0xFF, 0xFE, 0x00, 0xD8]), Some(Err(2)));
        assert_eq!(super::utf16_text(&[0xFF, 0xFE, 0x3C]), Some(Err(2)));
    }

    use super::*;

    fn parse_ok(src: &str) -> Element {
        let mut d = Vec::new();
        let el = parse(src, &mut d).expect("parses");
        assert!(d.is_empty(), "{d:?}");
        el
    }

    #[test]
    fn texts_map_through_references_and_cdata() {
        let src = "<a x='1&amp;2'><b>p&amp;q&#39;r&apos;<![CDATA[<&>]]>s&#x27;</b></a>";
        let a = parse_ok(src);
        assert_eq!(a.attributes[0].value.value, "1&2");
        let b = &a.children[0];
        assert_eq!(b.text.value, "p&q'r'<&>s'");
        for (i, c) in b.text.value.char_indices() {
            let s = b.text.span_of(i..i + c.len_utf8());
            let raw = &src[s.start..s.end];
            let mut d = Vec::new();
            let decoded = decode(src, s, &mut d).value;
            assert!(
                raw == c.to_string() || decoded == c.to_string(),
                "{raw} for {c}"
            );
        }
        assert_eq!(
            &src[b.span.start..b.span.end],
            "<b>p&amp;q&#39;r&apos;<![CDATA[<&>]]>s&#x27;</b>"
        );
        assert_eq!(&src[b.name_span.start..b.name_span.end], "b");
    }

    #[test]
    fn line_ends_are_normalised() {
        let src = "<a>x\r\ny</a>";
        let a = parse_ok(src);
        assert_eq!(a.text.value, "x\ny");
        assert_eq!(a.text.span_of(1..2), Span::new(4, 6));
    }

    #[test]
    fn refusals() {
        for (src, code) in [
            (
                "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
                Code::DoctypeRefused,
            ),
            ("<a><b></a>", Code::MalformedXml),
            ("<a></a><b/>", Code::MalformedXml),
            ("<a>", Code::MalformedXml),
            ("", Code::MalformedXml),
            ("x<a/>", Code::MalformedXml),
        ] {
            let mut d = Vec::new();
            assert!(parse(src, &mut d).is_none(), "{src}");
            assert_eq!(d[0].code, code, "{src}: {d:?}");
        }
        let deep = format!("{}{}", "<a>".repeat(70), "</a>".repeat(70));
        let mut d = Vec::new();
        assert!(parse(&deep, &mut d).is_none());
        assert_eq!(d[0].code, Code::AppFileLimit);
    }

    #[test]
    fn undefined_entities_are_reported_and_kept() {
        let src = "<a>x&nbsp;y&#0;</a>";
        let mut d = Vec::new();
        let a = parse(src, &mut d).unwrap();
        assert_eq!(a.text.value, "x&nbsp;y&#0;");
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.code == Code::UndefinedEntity));
        assert_eq!(d[0].span, Some(Span::new(4, 10)));
    }
}
