//! The two readers: each turns an export into the columns it holds, then batches of rows or
//! records in file order, handed to a [`Consumer`] instead of collected, so memory stays flat.
//!
//! A [`Batch`] holds up to [`BATCH_ROWS`] items in one byte buffer and one span table: filling
//! it allocates nothing once its buffers have grown, and a consumer hands emptied batches back to
//! be filled again. A CSV row is split into fields by the reader; a JSON record is only delimited
//! by it (a scan that tracks strings and nesting) and its text is parsed into fields by whoever
//! audits the batch, so with several threads the JSON parsing is spread over them.

use std::fmt;
use std::io::{self, Read};

use csv::ByteRecord;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::columns::Columns;
use crate::input::{self, Format, Opened};
use samlfx_diag::{Code, Diagnostic};
use samlfx_formula::schema::Schema;

/// Items per batch: large enough to amortise a channel send, small enough to keep memory flat.
pub const BATCH_ROWS: usize = 1024;
/// A batch is handed on once its text reaches this many bytes, whatever its item count.
const BATCH_BYTES: usize = 1 << 20;
/// The longest JSON record, in bytes: far above any User record. A longer one stops the read
/// (U003) rather than being buffered.
pub const MAX_RECORD: usize = 1 << 20;
/// The deepest nesting of JSON arrays and objects the scan follows.
const MAX_DEPTH: u32 = 128;

#[derive(Clone, Copy, Debug)]
enum Slot {
    /// A CSV row: its fields are `spans[at..at + width]`.
    Fields(u32),
    /// A JSON record's text, `raw[start..end]`.
    Raw(u32, u32),
    /// A row that could not be read: `bad[i]`.
    Bad(u32),
}

/// Up to [`BATCH_ROWS`] consecutive rows or records of one export.
#[derive(Debug, Default)]
pub struct Batch {
    /// The 0-based position in the export of the first item (its ordinal among all users).
    pub first: u64,
    width: usize,
    /// Every field's text, one after the other (UTF-8 checked once, when pushed).
    text: String,
    spans: Vec<(u32, u32)>,
    items: Vec<(u64, Slot)>,
    bad: Vec<Diagnostic>,
    /// The JSON records' text, one after the other, as read (each record's text is checked
    /// as UTF-8 when a worker parses it).
    raw: Vec<u8>,
}

/// One item of a batch.
pub enum ItemRef<'a> {
    /// A CSV row split into fields.
    Row { line: u64, row: RowRef<'a> },
    /// A JSON record's text, to be parsed with [`JsonFields::parse`].
    Json { line: u64, text: &'a [u8] },
    /// A row or record that cannot be read: counted as a user, reported with its line.
    Unreadable {
        line: u64,
        diagnostic: &'a Diagnostic,
    },
}

/// The fields of one row, in [`Columns`] order; an empty field is null.
#[derive(Clone, Copy, Debug)]
pub struct RowRef<'a> {
    text: &'a str,
    spans: &'a [(u32, u32)],
}

impl<'a> RowRef<'a> {
    /// The text of field `i`; empty when absent.
    pub fn get(&self, i: usize) -> &'a str {
        self.spans
            .get(i)
            .and_then(|&(s, e)| self.text.get(s as usize..e as usize))
            .unwrap_or("")
    }
}

impl Batch {
    /// Empties the batch for items from ordinal `first` on, keeping its buffers.
    pub fn reset(&mut self, first: u64, width: usize) {
        self.first = first;
        self.width = width;
        self.text.clear();
        self.spans.clear();
        self.items.clear();
        self.bad.clear();
        self.raw.clear();
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn full(&self) -> bool {
        self.items.len() >= BATCH_ROWS || self.text.len() + self.raw.len() >= BATCH_BYTES
    }

    /// Pushes a CSV row as one copy of its text; `false` when a field is not UTF-8.
    fn push_record(&mut self, line: u64, record: &ByteRecord) -> bool {
        let Ok(all) = std::str::from_utf8(record.as_slice()) else {
            return false;
        };
        let base = self.text.len() as u32;
        let at = self.spans.len();
        for i in 0..record.len() {
            let Some(r) = record.range(i) else {
                return false;
            };
            // Valid as a whole and cut on character boundaries: each field is valid too.
            if !all.is_char_boundary(r.start) || !all.is_char_boundary(r.end) {
                self.spans.truncate(at);
                return false;
            }
            self.spans
                .push((base + r.start as u32, base + r.end as u32));
        }
        self.text.push_str(all);
        self.spans.resize(at + self.width, (0, 0));
        self.items.push((line, Slot::Fields(at as u32)));
        true
    }

    fn push_bad(&mut self, line: u64, diagnostic: Diagnostic) {
        self.items.push((line, Slot::Bad(self.bad.len() as u32)));
        self.bad.push(diagnostic);
    }

    /// Item `k` (`k < len()`).
    pub fn item(&self, k: usize) -> ItemRef<'_> {
        let (line, slot) = self.items[k];
        match slot {
            Slot::Fields(at) => ItemRef::Row {
                line,
                row: RowRef {
                    text: &self.text,
                    spans: &self.spans[at as usize..at as usize + self.width],
                },
            },
            Slot::Raw(s, e) => ItemRef::Json {
                line,
                text: self.raw.get(s as usize..e as usize).unwrap_or_default(),
            },
            Slot::Bad(i) => ItemRef::Unreadable {
                line,
                diagnostic: &self.bad[i as usize],
            },
        }
    }
}

/// Where a reader's output goes.
pub trait Consumer {
    /// The export's columns, once, before any batch.
    fn columns(&mut self, columns: Columns);
    /// A filled batch; returns an empty one to fill next, or `None` to stop reading.
    fn batch(&mut self, batch: Batch) -> Option<Batch>;
}

/// Reads `opened`: the consumer sees the columns once, then every row in batches, in file
/// order. `wanted` names the columns a JSON export is read for (a CSV has its header). A
/// file-level problem is the error.
pub fn read(
    opened: Opened,
    path: &str,
    wanted: &[String],
    schema: &Schema,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    match opened.format {
        Format::Csv => read_csv(opened.reader, path, schema, consumer),
        Format::Json => {
            consumer.columns(Columns::new(wanted.to_vec(), schema));
            read_json(opened.reader, path, wanted.len(), consumer)
        }
    }
}

fn no_users(path: &str, what: &str) -> Diagnostic {
    Diagnostic::new(Code::NoUsers, format!("the user export `{path}` {what}"))
        .with_help("the query matched nobody: check its WHERE clause, or export again")
}

/// Hands `batch` on when full; `false` when the consumer wants no more.
fn flush_if_full(batch: &mut Batch, next: &mut u64, consumer: &mut dyn Consumer) -> bool {
    if !batch.full() {
        return true;
    }
    *next += batch.len() as u64;
    let width = batch.width;
    match consumer.batch(std::mem::take(batch)) {
        Some(mut b) => {
            b.reset(*next, width);
            *batch = b;
            true
        }
        None => false,
    }
}

fn read_csv(
    reader: Box<dyn Read + Send>,
    path: &str,
    schema: &Schema,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader);
    let csv_error = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => input::unreadable(path, &io),
        other => Diagnostic::new(Code::NotAUserExport, format!("`{path}`: {other:?}")),
    };
    let mut record = ByteRecord::new();
    if !csv.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(no_users(path, "is empty"));
    }
    let header: Vec<String> = match record
        .iter()
        .map(|f| std::str::from_utf8(f).map(|s| s.trim_start_matches('\u{FEFF}').to_owned()))
        .collect::<Result<_, _>>()
    {
        Ok(h) => h,
        Err(_) => {
            return Err(Diagnostic::new(
                Code::NotAUserExport,
                format!("the header of `{path}` is not UTF-8 text"),
            ));
        }
    };
    let columns = Columns::new(header, schema);
    if columns.id.is_none() {
        return Err(Diagnostic::new(
            Code::NotAUserExport,
            format!("`{path}` has no `Id` column: it is not a User export"),
        )
        .with_help(
            "export with the query `samlfx audit APP --print-query` prints; its first column is Id",
        ));
    }
    let width = columns.names.len();
    consumer.columns(columns);
    let mut batch = Batch::default();
    batch.reset(0, width);
    let mut next = 0u64;
    let mut rows = 0u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                rows += 1;
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != width {
                    batch.push_bad(
                        line,
                        Diagnostic::new(
                            Code::UnreadableRow,
                            format!(
                                "line {line}: the row has {} columns, the header {width}",
                                record.len()
                            ),
                        )
                        .with_help("a row cut short or a stray delimiter: export again"),
                    );
                } else if !batch.push_record(line, &record) {
                    batch.push_bad(
                        line,
                        Diagnostic::new(
                            Code::UnreadableRow,
                            format!("line {line}: the row is not UTF-8 text"),
                        ),
                    );
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(csv_error(e));
                }
                rows += 1;
                batch.push_bad(
                    line,
                    Diagnostic::new(Code::UnreadableRow, format!("line {line}: {e}")),
                );
            }
        }
        if !flush_if_full(&mut batch, &mut next, consumer) {
            return Ok(());
        }
    }
    if rows == 0 {
        return Err(no_users(path, "has a header and no user"));
    }
    if !batch.is_empty() {
        consumer.batch(batch);
    }
    Ok(())
}

fn not_sf(path: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotAUserExport,
        format!("`{path}` is not the JSON of `sf data query --json`: {why}"),
    )
    .with_help("export with `sf data query --query \"$(samlfx audit APP --print-query)\" --json`, or as CSV with `sf data export bulk`")
}

/// Why the scan stopped.
enum Stop {
    Io(io::Error),
    /// The text is not JSON here (or ends too early): what was expected.
    Syntax(&'static str),
    /// A record longer than [`MAX_RECORD`].
    TooLong,
    /// The consumer wants no more.
    Done,
}

/// A forward-only scan of JSON text that finds `records` and delimits each record, counting
/// lines, without building values. It checks structure (strings, brackets, commas and colons
/// around the walk); a record's own text is checked when it is parsed.
struct Scan {
    inner: Box<dyn Read + Send>,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// The 1-based line at `pos`.
    line: u64,
}

impl Scan {
    fn fill(&mut self) -> Result<bool, Stop> {
        if self.pos < self.len {
            return Ok(true);
        }
        self.len = loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Stop::Io(e)),
            }
        };
        self.pos = 0;
        Ok(self.len > 0)
    }

    /// The next byte that is not whitespace, not consumed; `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, Stop> {
        loop {
            if !self.fill()? {
                return Ok(None);
            }
            while self.pos < self.len {
                match self.buf[self.pos] {
                    b'\n' => self.line += 1,
                    b' ' | b'\t' | b'\r' => {}
                    b => return Ok(Some(b)),
                }
                self.pos += 1;
            }
        }
    }

    fn expect(&mut self, b: u8, what: &'static str) -> Result<(), Stop> {
        if self.peek()? == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Stop::Syntax(what))
        }
    }

    /// Consumes one value (after whitespace), appending its text to `out` when given, at most
    /// `limit` bytes of it.
    fn value(&mut self, mut out: Option<&mut Vec<u8>>, limit: usize) -> Result<(), Stop> {
        let Some(first) = self.peek()? else {
            return Err(Stop::Syntax("a value"));
        };
        let scalar = !matches!(first, b'"' | b'{' | b'[');
        // A valid value nests brackets and braces properly, so an object's end is found by
        // counting braces alone and an array's by counting brackets (inside strings neither
        // counts); a value that does not nest properly fails when it is parsed.
        let (open, close) = if first == b'[' {
            (b'[', b']')
        } else {
            (b'{', b'}')
        };
        let mut depth = 0u32;
        let mut in_str = false;
        let mut escape = false;
        let mut taken = 0usize;
        loop {
            if !self.fill()? {
                return if scalar && taken > 0 {
                    Ok(())
                } else {
                    Err(Stop::Syntax("the rest of a value"))
                };
            }
            let chunk = &self.buf[self.pos..self.len];
            let mut i = 0;
            let mut done = false;
            if scalar {
                while i < chunk.len()
                    && matches!(chunk[i], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'-' | b'.')
                {
                    i += 1;
                }
                done = i < chunk.len();
                if done && taken + i == 0 {
                    return Err(Stop::Syntax("a value"));
                }
            } else {
                while i < chunk.len() {
                    if escape {
                        escape = false;
                        i += 1;
                        continue;
                    }
                    let rest = &chunk[i..];
                    let found = if in_str {
                        memchr::memchr2(b'"', b'\\', rest)
                    } else {
                        memchr::memchr3(b'"', open, close, rest)
                    };
                    let Some(at) = found else {
                        i = chunk.len();
                        break;
                    };
                    i += at + 1;
                    match rest[at] {
                        b'\\' => escape = true,
                        b'"' => {
                            in_str = !in_str;
                            if !in_str && depth == 0 {
                                done = true;
                                break;
                            }
                        }
                        b if b == open => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return Err(Stop::Syntax("less deeply nested values"));
                            }
                        }
                        _ => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                done = true;
                                break;
                            }
                        }
                    }
                }
            }
            let seg = &chunk[..i];
            self.line += seg.iter().filter(|&&b| b == b'\n').count() as u64;
            taken += i;
            if let Some(out) = out.as_deref_mut() {
                if taken > limit {
                    return Err(Stop::TooLong);
                }
                out.extend_from_slice(seg);
            }
            self.pos += i;
            if done {
                return Ok(());
            }
        }
    }

    /// An object's key, as its raw text between the quotes.
    fn key(&mut self, key: &mut Vec<u8>) -> Result<(), Stop> {
        key.clear();
        if self.peek()? != Some(b'"') {
            return Err(Stop::Syntax("a key in quotes"));
        }
        self.value(Some(key), 4096).map_err(|e| match e {
            Stop::TooLong => Stop::Syntax("a shorter key"),
            e => e,
        })?;
        key.pop();
        key.remove(0);
        Ok(())
    }
}

/// The walk to `records` and through it.
struct Walk<'c> {
    consumer: &'c mut dyn Consumer,
    batch: Batch,
    next: u64,
    found: bool,
    /// Whether the walk is inside the `records` array (an error there ends the records read).
    in_records: bool,
    records: u64,
}

impl Walk<'_> {
    /// The members of an object whose `{` is consumed: `result` (sf's envelope, at the top
    /// level only) is walked into, `records` read, the rest skipped.
    fn object(&mut self, scan: &mut Scan, top: bool) -> Result<(), Stop> {
        let mut key = Vec::new();
        if scan.peek()? == Some(b'}') {
            scan.pos += 1;
            return Ok(());
        }
        loop {
            scan.key(&mut key)?;
            scan.expect(b':', "a colon after a key")?;
            let next = scan.peek()?;
            match (key.as_slice(), next) {
                (b"result", Some(b'{')) if top => {
                    scan.pos += 1;
                    self.object(scan, false)?;
                }
                (b"records", Some(b'[')) if !self.found => {
                    scan.pos += 1;
                    self.found = true;
                    self.in_records = true;
                    self.records(scan)?;
                    self.in_records = false;
                }
                _ => scan.value(None, usize::MAX)?,
            }
            match scan.peek()? {
                Some(b',') => scan.pos += 1,
                Some(b'}') => {
                    scan.pos += 1;
                    return Ok(());
                }
                _ => return Err(Stop::Syntax("a comma or a closing brace")),
            }
        }
    }

    /// The elements of `records`, whose `[` is consumed.
    fn records(&mut self, scan: &mut Scan) -> Result<(), Stop> {
        if scan.peek()? == Some(b']') {
            scan.pos += 1;
            return Ok(());
        }
        loop {
            scan.peek()?;
            let line = scan.line;
            let start = self.batch.raw.len();
            if let Err(e) = scan.value(Some(&mut self.batch.raw), MAX_RECORD) {
                self.batch.raw.truncate(start);
                return Err(e);
            }
            let end = self.batch.raw.len();
            self.batch
                .items
                .push((line, Slot::Raw(start as u32, end as u32)));
            self.records += 1;
            if !flush_if_full(&mut self.batch, &mut self.next, self.consumer) {
                return Err(Stop::Done);
            }
            match scan.peek()? {
                Some(b',') => scan.pos += 1,
                Some(b']') => {
                    scan.pos += 1;
                    return Ok(());
                }
                _ => return Err(Stop::Syntax("a comma or a closing bracket")),
            }
        }
    }
}

fn read_json(
    reader: Box<dyn Read + Send>,
    path: &str,
    width: usize,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    let mut scan = Scan {
        inner: reader,
        buf: vec![0; 1 << 16].into_boxed_slice(),
        pos: 0,
        len: 0,
        line: 1,
    };
    let mut batch = Batch::default();
    batch.reset(0, width);
    let mut walk = Walk {
        consumer,
        batch,
        next: 0,
        found: false,
        in_records: false,
        records: 0,
    };
    let result = match scan.peek() {
        Ok(Some(b'{')) => {
            scan.pos += 1;
            walk.object(&mut scan, true)
                .and_then(|()| match scan.peek()? {
                    None => Ok(()),
                    Some(_) => Err(Stop::Syntax("nothing after the top-level object")),
                })
        }
        Ok(Some(b'[')) => {
            return Err(not_sf(
                path,
                "it is an array, not an object with `result.records`",
            ));
        }
        Ok(_) => Err(Stop::Syntax("an object")),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) | Err(Stop::Done) => {}
        Err(Stop::Io(e)) => return Err(input::unreadable(path, &e)),
        Err(Stop::TooLong) => {
            return Err(Diagnostic::new(
                Code::NotAUserExport,
                format!(
                    "`{path}`: the record on line {} is longer than {} MiB: it is not a user export",
                    scan.line,
                    MAX_RECORD >> 20
                ),
            )
            .with_help("a User record is a few hundred bytes; export again with `sf data query --json`"));
        }
        Err(Stop::Syntax(expected)) if walk.in_records => {
            // The stream cannot be resynchronised: the record being read is counted as
            // unreadable, and the records after it are not read.
            let line = scan.line;
            walk.records += 1;
            walk.batch.push_bad(
                line,
                Diagnostic::new(
                    Code::UnreadableRow,
                    format!("line {line}: the JSON stops being valid here (expected {expected})"),
                )
                .with_help("the export was cut off or edited: export again; the records after this point were not read"),
            );
        }
        Err(Stop::Syntax(expected)) if !walk.found => {
            return Err(not_sf(
                path,
                &format!(
                    "it is not valid JSON (expected {expected} at line {})",
                    scan.line
                ),
            ));
        }
        // After the records: they were all read, and nothing else of the file is used.
        Err(Stop::Syntax(_)) => {}
    }
    if !walk.found {
        return Err(not_sf(path, "it has no `result.records` array"));
    }
    if walk.records == 0 {
        return Err(no_users(path, "has an empty `records` array"));
    }
    if !walk.batch.is_empty() {
        walk.consumer.batch(walk.batch);
    }
    Ok(())
}

/// The columns a JSON record is read for, as a tree of keys: `Profile.Name` is the key
/// `Name` of the object under `Profile`. Keys match ignoring case.
#[derive(Clone, Debug)]
pub struct JsonPaths {
    nodes: Vec<Node>,
    width: usize,
}

#[derive(Clone, Debug)]
struct Node {
    key: String,
    kind: NodeKind,
}

#[derive(Clone, Debug)]
enum NodeKind {
    /// Column `.0`, named `.1` in messages.
    Leaf(usize, String),
    Nested(Vec<Node>),
}

impl JsonPaths {
    pub fn new(columns: &[String]) -> JsonPaths {
        let mut nodes: Vec<Node> = Vec::new();
        for (i, col) in columns.iter().enumerate() {
            let steps: Vec<&str> = col.split('.').collect();
            let mut at = &mut nodes;
            for (k, step) in steps.iter().enumerate() {
                let last = k + 1 == steps.len();
                let pos = at.iter().position(|n| n.key.eq_ignore_ascii_case(step));
                let pos = match pos {
                    Some(p) => p,
                    None => {
                        at.push(Node {
                            key: (*step).to_owned(),
                            kind: if last {
                                NodeKind::Leaf(i, col.clone())
                            } else {
                                NodeKind::Nested(Vec::new())
                            },
                        });
                        at.len() - 1
                    }
                };
                match &mut at[pos].kind {
                    NodeKind::Nested(children) if !last => at = children,
                    _ => break,
                }
            }
        }
        JsonPaths {
            nodes,
            width: columns.len(),
        }
    }
}

/// One JSON record parsed into fields, reused from record to record.
#[derive(Debug, Default)]
pub struct JsonFields {
    text: String,
    spans: Vec<(u32, u32)>,
    bad: Option<String>,
}

impl JsonFields {
    /// Parses one record's text; the error says why it is not a User record.
    pub fn parse(&mut self, paths: &JsonPaths, text: &[u8]) -> Result<RowRef<'_>, String> {
        self.text.clear();
        self.spans.clear();
        self.spans.resize(paths.width, (0, 0));
        self.bad = None;
        let mut de = serde_json::Deserializer::from_slice(text);
        let seed = Obj {
            nodes: &paths.nodes,
            out: self,
            record: true,
        };
        if let Err(e) = seed.deserialize(&mut de).and_then(|()| de.end()) {
            return Err(format!("the record is not valid JSON: {e}"));
        }
        if let Some(why) = self.bad.take() {
            return Err(why);
        }
        Ok(RowRef {
            text: &self.text,
            spans: &self.spans,
        })
    }

    fn set(&mut self, col: usize, text: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        if let Some(span) = self.spans.get_mut(col) {
            *span = (start, self.text.len() as u32);
        }
    }

    fn refuse(&mut self, why: String) {
        self.bad.get_or_insert(why);
    }
}

/// An object of the record (the record itself, or a nested `Profile`).
struct Obj<'n, 'o> {
    nodes: &'n [Node],
    out: &'o mut JsonFields,
    record: bool,
}

impl<'de> DeserializeSeed<'de> for Obj<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl Obj<'_, '_> {
    /// A record that is not an object is refused; a nested value that is not reads as null.
    fn not_object(self, what: &str) {
        if self.record {
            self.out
                .refuse(format!("the record is not an object but {what}"));
        }
    }
}

impl<'de> Visitor<'de> for Obj<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(node) = map.next_key_seed(Key(self.nodes))? {
            match node.map(|n| &n.kind) {
                Some(NodeKind::Leaf(col, name)) => map.next_value_seed(Leaf {
                    col: *col,
                    name,
                    out: &mut *self.out,
                })?,
                Some(NodeKind::Nested(children)) => map.next_value_seed(Obj {
                    nodes: children,
                    out: &mut *self.out,
                    record: false,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.not_object("an array");
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.not_object("a string");
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.not_object("a boolean");
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.not_object("a number");
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.not_object("null");
        Ok(())
    }
}

/// A key, looked up among the nodes of its object without allocating.
struct Key<'n>(&'n [Node]);

impl<'de, 'n> DeserializeSeed<'de> for Key<'n> {
    type Value = Option<&'n Node>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'n> Visitor<'de> for Key<'n> {
    type Value = Option<&'n Node>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().find(|n| n.key.eq_ignore_ascii_case(v)))
    }
}

/// A field's value, written as text into the record's fields.
struct Leaf<'a> {
    col: usize,
    name: &'a str,
    out: &'a mut JsonFields,
}

impl<'de> DeserializeSeed<'de> for Leaf<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Leaf<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field's value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.out.set(self.col, v);
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.out.set(self.col, if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.out.set(self.col, &v.to_string());
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.out.set(self.col, &v.to_string());
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.out.set(self.col, &v.to_string());
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        self.out
            .refuse(format!("`{}` is an array, not a value", self.name));
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.out
            .refuse(format!("`{}` is an object, not a value", self.name));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    struct Collect(Vec<String>);

    impl Consumer for Collect {
        fn columns(&mut self, _: Columns) {}
        fn batch(&mut self, batch: Batch) -> Option<Batch> {
            for k in 0..batch.len() {
                self.0.push(match batch.item(k) {
                    ItemRef::Row { line, row } => format!("{line}: {}|{}", row.get(0), row.get(1)),
                    ItemRef::Unreadable { line, diagnostic } => {
                        format!("{line}: {}", diagnostic.code)
                    }
                    ItemRef::Json { .. } => unreachable!(),
                });
            }
            Some(batch)
        }
    }

    #[test]
    fn a_csv_field_cut_inside_a_character_is_refused() {
        // "\xC3" and "\xA9" are one valid "é" together, but neither is UTF-8 alone.
        let text = b"Id,A,B\n005,\xC3\xA9,x\n006,\xC3,\xA9\n007,ok,y\n".to_vec();
        let mut out = Collect(Vec::new());
        read_csv(
            Box::new(std::io::Cursor::new(text)),
            "t.csv",
            &Schema::default(),
            &mut out,
        )
        .unwrap();
        assert_eq!(out.0, ["2: 005|é", "3: U005", "4: 007|ok"]);
    }

    #[test]
    fn a_record_reads_nested_fields_ignoring_key_case() {
        let paths = JsonPaths::new(&cols(&["Id", "Alias", "Profile.Name", "UserRole.Name"]));
        let mut f = JsonFields::default();
        let row = f
            .parse(
                &paths,
                br#"{"attributes": {"type": "User"}, "ID": "005", "Alias": "j\"d",
                    "Profile": {"attributes": {}, "name": "Agent"}, "UserRole": null}"#,
            )
            .unwrap();
        assert_eq!(
            [row.get(0), row.get(1), row.get(2), row.get(3)],
            ["005", "j\"d", "Agent", ""]
        );
        assert_eq!(
            f.parse(&paths, br#"{"Alias": {"x": 1}}"#).unwrap_err(),
            "`Alias` is an object, not a value"
        );
        assert_eq!(
            f.parse(&paths, b"[1, 2]").unwrap_err(),
            "the record is not an object but an array"
        );
        assert!(f.parse(&paths, b"{\"Id\": }").is_err());
    }
}
