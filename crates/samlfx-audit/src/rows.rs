//! The two readers: each turns an export into the columns it holds, then batches of rows or
//! records in file order, handed to a [`Consumer`] instead of collected, so memory stays flat.
//!
//! A [`Batch`] holds up to [`BATCH_ROWS`] items in one byte buffer and one span table: filling
//! it allocates nothing once its buffers have grown, and a consumer hands emptied batches back to
//! be filled again. A CSV row is split into fields by the reader; a JSON record is only delimited
//! by it (a scan that tracks strings and nesting) and its text is parsed into fields by whoever
//! audits the batch, so with several threads the JSON parsing is spread over them.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use csv::ByteRecord;

use crate::blocks::{self, Closer, TooDeep};
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

/// Where an item starts in the export: a later read can start there instead of at the top
/// (the collision check reads a few users again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The item's ordinal among all users (0-based).
    pub ordinal: u64,
    /// Its first byte's offset in the file.
    pub offset: u64,
    /// Its 1-based line.
    pub line: u64,
}

/// Up to [`BATCH_ROWS`] consecutive rows or records of one export.
#[derive(Debug, Default)]
pub struct Batch {
    /// The 0-based position in the export of the first item (its ordinal among all users).
    pub first: u64,
    /// Where the first item starts, once one is pushed.
    pub start: Option<Checkpoint>,
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
        self.start = None;
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

    /// Notes where the next item starts, when it is the batch's first.
    fn mark(&mut self, offset: u64, line: u64) {
        if self.items.is_empty() {
            self.start = Some(Checkpoint {
                ordinal: self.first,
                offset,
                line,
            });
        }
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
        Format::Csv => read_csv(opened.reader, path, schema, None, consumer),
        Format::Json => {
            consumer.columns(Columns::new(wanted.to_vec(), schema));
            read_json(opened.reader, path, wanted.len(), None, consumer)
        }
    }
}

/// Reads the export in `file` (a plain file, not gzip) from the item at `at` on, as [`read`]
/// read it: the consumer sees the columns, then batches from `at.ordinal` on, until it wants no
/// more. A CSV's header is read first, then the reader jumps to `at`.
pub fn read_at(
    file: &Path,
    format: Format,
    path: &str,
    wanted: &[String],
    schema: &Schema,
    at: Checkpoint,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    let open = |offset: u64| -> Result<File, Diagnostic> {
        let mut f = File::open(file).map_err(|e| input::unreadable(path, &e))?;
        f.seek(SeekFrom::Start(offset))
            .map_err(|e| input::unreadable(path, &e))?;
        Ok(f)
    };
    match format {
        Format::Csv => {
            let rest: Box<dyn Read + Send> = Box::new(open(at.offset)?);
            read_csv(Box::new(open(0)?), path, schema, Some((at, rest)), consumer)
        }
        Format::Json => {
            consumer.columns(Columns::new(wanted.to_vec(), schema));
            read_json(
                Box::new(open(at.offset)?),
                path,
                wanted.len(),
                Some(at),
                consumer,
            )
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

fn csv_reader(reader: Box<dyn Read + Send>) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(reader)
}

fn csv_error(path: &str, e: csv::Error) -> Diagnostic {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => input::unreadable(path, &io),
        other => Diagnostic::new(Code::NotAUserExport, format!("`{path}`: {other:?}")),
    }
}

/// Reads a CSV export: its header, then its rows, from the top or (`at`) from a checkpoint,
/// which a second reader over the same file jumps to.
fn read_csv(
    reader: Box<dyn Read + Send>,
    path: &str,
    schema: &Schema,
    at: Option<(Checkpoint, Box<dyn Read + Send>)>,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    let mut csv = csv_reader(reader);
    let mut record = ByteRecord::new();
    if !csv
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, e))?
    {
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
    // Positions are counted from where the rows are read: zero, or the checkpoint.
    let resumed = at.is_some();
    let (first, base) = match at {
        None => (
            0,
            Checkpoint {
                ordinal: 0,
                offset: 0,
                line: 1,
            },
        ),
        Some((cp, rest)) => {
            csv = csv_reader(rest);
            (cp.ordinal, cp)
        }
    };
    let mut batch = Batch::default();
    batch.reset(first, width);
    let mut next = first;
    let mut rows = 0u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                rows += 1;
                let (offset, line) = record.position().map_or((0, 0), |p| {
                    (base.offset + p.byte(), base.line - 1 + p.line())
                });
                batch.mark(offset, line);
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
                let line = e.position().map_or(0, |p| base.line - 1 + p.line());
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    return Err(csv_error(path, e));
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
    if rows == 0 && !resumed {
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

/// The bytes [`Scan::value`] stops at: everything else is skipped.
static SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

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
    /// The file offset of `buf[0]`.
    base: u64,
    /// The 1-based line at `pos`.
    line: u64,
}

impl Scan {
    fn fill(&mut self) -> Result<bool, Stop> {
        if self.pos < self.len {
            return Ok(true);
        }
        self.base += self.len as u64;
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
                // One pass over the bytes, a table saying which can matter: quotes, the
                // backslash, the brackets of this value, and newlines (counted here).
                let mut lines = 0u64;
                while i < chunk.len() {
                    let b = chunk[i];
                    i += 1;
                    if escape {
                        // The byte after a backslash, whatever it is.
                        escape = false;
                        if b == b'\n' {
                            lines += 1;
                        }
                        continue;
                    }
                    if !SPECIAL[b as usize] {
                        continue;
                    }
                    match b {
                        b'\n' => lines += 1,
                        b'"' => {
                            in_str = !in_str;
                            if !in_str && depth == 0 {
                                done = true;
                                break;
                            }
                        }
                        b'\\' if in_str => escape = true,
                        _ if in_str => {}
                        b if b == open => {
                            depth += 1;
                            if depth > MAX_DEPTH {
                                return Err(Stop::Syntax("less deeply nested values"));
                            }
                        }
                        b if b == close => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                done = true;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                self.line += lines;
            }
            let seg = &chunk[..i];
            if scalar {
                self.line += seg.iter().filter(|&&b| b == b'\n').count() as u64;
            }
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

    /// Consumes one object, the next byte being its `{`, appending its text to `out`, at most
    /// `limit` bytes of it: [`Scan::value`] for the shape every record has, 64 bytes at a time.
    fn object(&mut self, out: &mut Vec<u8>, limit: usize) -> Result<(), Stop> {
        let mut taken = 0usize;
        let mut closer = Closer::new(b'{', MAX_DEPTH);
        loop {
            if !self.fill()? {
                return Err(Stop::Syntax("the rest of a value"));
            }
            let chunk = &self.buf[self.pos..self.len];
            let before = closer.newlines();
            let found = closer
                .feed(chunk)
                .map_err(|_| Stop::Syntax("less deeply nested values"))?;
            let seg = &chunk[..found.unwrap_or(chunk.len())];
            self.line += closer.newlines() - before;
            taken += seg.len();
            if taken > limit {
                return Err(Stop::TooLong);
            }
            out.extend_from_slice(seg);
            self.pos += seg.len();
            if found.is_some() {
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
            self.batch.mark(scan.base + scan.pos as u64, line);
            let start = self.batch.raw.len();
            let read = if scan.peek()? == Some(b'{') {
                scan.object(&mut self.batch.raw, MAX_RECORD)
            } else {
                scan.value(Some(&mut self.batch.raw), MAX_RECORD)
            };
            if let Err(e) = read {
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

/// Reads a JSON export: from the top, walking to `result.records`, or (`at`) from a record's
/// checkpoint, the reader being already there.
fn read_json(
    reader: Box<dyn Read + Send>,
    path: &str,
    width: usize,
    at: Option<Checkpoint>,
    consumer: &mut dyn Consumer,
) -> Result<(), Diagnostic> {
    let mut scan = Scan {
        inner: reader,
        buf: vec![0; 1 << 16].into_boxed_slice(),
        pos: 0,
        len: 0,
        base: at.map_or(0, |cp| cp.offset),
        line: at.map_or(1, |cp| cp.line),
    };
    let mut batch = Batch::default();
    batch.reset(at.map_or(0, |cp| cp.ordinal), width);
    let mut walk = Walk {
        consumer,
        batch,
        next: at.map_or(0, |cp| cp.ordinal),
        found: false,
        in_records: false,
        records: 0,
    };
    let result = match scan.peek() {
        // At a checkpoint: whatever the record is (a broken one included), it is one of
        // `records`.
        Ok(Some(_)) if at.is_some() => {
            walk.found = true;
            walk.in_records = true;
            walk.records(&mut scan)
        }
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
    /// Tells these paths from any others, for the memo of keys [`JsonFields`] keeps.
    id: u64,
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
        static NEXT: AtomicU64 = AtomicU64::new(0);
        JsonPaths {
            nodes,
            width: columns.len(),
            id: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

/// One JSON record parsed into fields, reused from record to record.
#[derive(Debug, Default)]
pub struct JsonFields {
    /// The wanted values' text, checked as UTF-8 once per record when the parse ends.
    text: Vec<u8>,
    spans: Vec<(u32, u32)>,
    /// Where each wanted string value starts in the record, for the UTF-8 error.
    starts: Vec<u32>,
    bad: Option<String>,
    /// A string value's bytes while its escapes are decoded.
    scratch: Vec<u8>,
    /// The previous record's top-level keys in order (those without escapes), with the index of
    /// the node each names among the nodes of the paths `keys_of`.
    keys: Vec<(Vec<u8>, Option<usize>)>,
    keys_of: Option<u64>,
}

/// The index of the node for `key`, ignoring case.
fn position_of(nodes: &[Node], key: &[u8]) -> Option<usize> {
    nodes
        .iter()
        .position(|n| n.key.as_bytes().eq_ignore_ascii_case(key))
}

/// Why a record's text is not valid JSON: what was expected, and where.
struct Invalid(&'static str, usize);

/// The deepest nesting a record's values may have.
const RECORD_DEPTH: u32 = 128;

impl JsonFields {
    /// Parses one record's text; the error says why it is not a User record. Only the keys
    /// `paths` names are decoded; the other values are checked and skipped.
    pub fn parse(&mut self, paths: &JsonPaths, record: &[u8]) -> Result<RowRef<'_>, String> {
        self.text.clear();
        self.spans.clear();
        self.spans.resize(paths.width, (0, 0));
        self.starts.clear();
        self.starts.resize(paths.width, 0);
        self.bad = None;
        if self.keys_of != Some(paths.id) {
            self.keys.clear();
            self.keys_of = Some(paths.id);
        }
        let mut p = Parser { s: record, i: 0 };
        let result = (|| {
            p.ws();
            match p.peek() {
                Some(b'{') => {
                    p.i += 1;
                    self.object(&mut p, &paths.nodes, 1)?;
                }
                first => {
                    let what = match first {
                        Some(b'[') => "an array",
                        Some(b'"') => "a string",
                        Some(b't' | b'f') => "a boolean",
                        Some(b'n') => "null",
                        _ => "a number",
                    };
                    p.skip_value(1)?;
                    self.refuse(format!("the record is not an object but {what}"));
                }
            }
            p.ws();
            if p.i < p.s.len() {
                return Err(Invalid("nothing after the record", p.i));
            }
            Ok(())
        })();
        let invalid = |Invalid(expected, at): Invalid| {
            let before = &record[..at.min(record.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = at
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |n| n + 1)
                + 1;
            format!(
                "the record is not valid JSON: expected {expected} at line {line} column {column}"
            )
        };
        let text = match (result, std::str::from_utf8(&self.text)) {
            (Ok(()), Ok(text)) => text,
            (Err(e), _) => return Err(invalid(e)),
            (Ok(()), Err(e)) => {
                // The value holding the first byte that is not UTF-8.
                let bad = e.valid_up_to() as u32;
                let col = self
                    .spans
                    .iter()
                    .position(|&(a, b)| a <= bad && bad < b)
                    .unwrap_or(0);
                let at = self.starts.get(col).copied().unwrap_or(0) as usize;
                return Err(invalid(Invalid("UTF-8 text in a string", at)));
            }
        };
        if let Some(why) = self.bad.take() {
            return Err(why);
        }
        Ok(RowRef {
            text,
            spans: &self.spans,
        })
    }

    /// The members of an object whose `{` is consumed.
    fn object(&mut self, p: &mut Parser<'_>, nodes: &[Node], depth: u32) -> Result<(), Invalid> {
        if depth > RECORD_DEPTH {
            return Err(Invalid("less deeply nested values", p.i));
        }
        p.ws();
        if p.peek() == Some(b'}') {
            p.i += 1;
            return Ok(());
        }
        let mut nth = 0;
        loop {
            p.ws();
            if p.peek() != Some(b'"') {
                return Err(Invalid("a key in quotes", p.i));
            }
            p.i += 1;
            let node = match self.seen_key(p, depth, nth) {
                Some(node) => node.map(|n| &nodes[n]),
                None => {
                    let (raw, escaped) = p.string()?;
                    let found = if escaped {
                        self.scratch.clear();
                        decode(raw, &mut self.scratch).map_err(|e| Invalid(e, p.i))?;
                        position_of(nodes, &self.scratch)
                    } else {
                        position_of(nodes, raw)
                    };
                    if depth == 1 && !escaped {
                        self.keys.truncate(nth);
                        self.keys.push((raw.to_vec(), found));
                    }
                    found.map(|n| &nodes[n])
                }
            };
            nth += 1;
            p.ws();
            if p.peek() != Some(b':') {
                return Err(Invalid("a colon after a key", p.i));
            }
            p.i += 1;
            p.ws();
            match node.map(|n| &n.kind) {
                Some(NodeKind::Leaf(col, name)) => self.leaf(p, *col, name, depth)?,
                Some(NodeKind::Nested(children)) if p.peek() == Some(b'{') => {
                    p.i += 1;
                    self.object(p, children, depth + 1)?;
                }
                // A relationship that is null (or not an object) reads as null.
                _ => p.skip_value(depth)?,
            }
            p.ws();
            match p.peek() {
                Some(b',') => p.i += 1,
                Some(b'}') => {
                    p.i += 1;
                    return Ok(());
                }
                _ => return Err(Invalid("a comma or a closing brace", p.i)),
            }
        }
    }

    /// The node of the record's `nth` key when it is spelled as the `nth` key of the record
    /// before (records of one export list their fields alike), the key consumed: a comparison
    /// of bytes instead of a scan of the key and a search of the nodes. `None` otherwise.
    fn seen_key(&self, p: &mut Parser<'_>, depth: u32, nth: usize) -> Option<Option<usize>> {
        let (key, node) = self.keys.get(nth).filter(|_| depth == 1)?;
        let rest = p.s.get(p.i..)?;
        // The key holds neither a quote nor a backslash, so a quote after it ends the string.
        if rest.starts_with(key) && rest.get(key.len()) == Some(&b'"') {
            p.i += key.len() + 1;
            Some(*node)
        } else {
            None
        }
    }

    /// A wanted field's value, written as text into column `col`.
    fn leaf(
        &mut self,
        p: &mut Parser<'_>,
        col: usize,
        name: &str,
        depth: u32,
    ) -> Result<(), Invalid> {
        match p.peek() {
            Some(b'"') => {
                p.i += 1;
                let at = p.i;
                let (raw, escaped) = p.string()?;
                let start = self.text.len() as u32;
                if escaped {
                    decode(raw, &mut self.text).map_err(|e| Invalid(e, at))?;
                } else {
                    self.text.extend_from_slice(raw);
                }
                self.spans[col] = (start, self.text.len() as u32);
                self.starts[col] = at as u32;
            }
            Some(b'{') => {
                p.skip_value(depth)?;
                self.refuse(format!("`{name}` is an object, not a value"));
            }
            Some(b'[') => {
                p.skip_value(depth)?;
                self.refuse(format!("`{name}` is an array, not a value"));
            }
            Some(b't') => {
                p.literal(b"true")?;
                self.set(col, "true");
            }
            Some(b'f') => {
                p.literal(b"false")?;
                self.set(col, "false");
            }
            Some(b'n') => p.literal(b"null")?,
            _ => {
                let at = p.i;
                let lexeme = p.number()?;
                // As serde_json gives numbers: integers as written, others as the nearest
                // f64 written back.
                if let Ok(v) = lexeme.parse::<i64>() {
                    self.set(col, &v.to_string());
                } else if let Ok(v) = lexeme.parse::<u64>() {
                    self.set(col, &v.to_string());
                } else {
                    let v: f64 = lexeme.parse().map_err(|_| Invalid("a number", at))?;
                    if !v.is_finite() {
                        return Err(Invalid("a number in range", at));
                    }
                    self.set(col, &v.to_string());
                }
            }
        }
        Ok(())
    }

    fn set(&mut self, col: usize, text: &str) {
        let start = self.text.len() as u32;
        self.text.extend_from_slice(text.as_bytes());
        if let Some(span) = self.spans.get_mut(col) {
            *span = (start, self.text.len() as u32);
        }
    }

    fn refuse(&mut self, why: String) {
        self.bad.get_or_insert(why);
    }
}

/// Appends the decoded text of a JSON string's raw contents (between its quotes, already
/// checked by [`Parser::string`]) to `out`; the error says what was expected.
fn decode(raw: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &raw[i..]) {
        out.extend_from_slice(&raw[i..i + at]);
        i += at + 1;
        let Some(&e) = raw.get(i) else {
            return Err("an escape");
        };
        i += 1;
        let b = match e {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let hi = hex4(raw.get(i..i + 4))?;
                i += 4;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    // A leading surrogate: the trailing one must follow as `\uXXXX`.
                    if raw.get(i..i + 2) != Some(b"\\u") {
                        return Err("a trailing surrogate after a leading one");
                    }
                    let lo = hex4(raw.get(i + 2..i + 6))?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err("a trailing surrogate after a leading one");
                    }
                    i += 6;
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                let c = char::from_u32(c).ok_or("a character, not a lone surrogate")?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
            _ => return Err("an escape"),
        };
        out.push(b);
    }
    out.extend_from_slice(&raw[i..]);
    Ok(())
}

fn hex4(digits: Option<&[u8]>) -> Result<u32, &'static str> {
    let digits = digits.ok_or("four hex digits")?;
    let mut v = 0;
    for &d in digits {
        let n = (d as char).to_digit(16).ok_or("four hex digits")?;
        v = v * 16 + n;
    }
    Ok(v)
}

/// A cursor over one record's text.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn ws(&mut self) {
        self.i += blocks::skip_ws(self.s.get(self.i..).unwrap_or_default());
    }

    /// A string whose opening quote is consumed: its raw contents, and whether they hold an
    /// escape. Control characters are refused, as JSON wants.
    fn string(&mut self) -> Result<(&'a [u8], bool), Invalid> {
        let start = self.i;
        let mut escaped = false;
        loop {
            let rest = self.s.get(self.i..).unwrap_or_default();
            let Some(at) = blocks::string_stop(rest) else {
                return Err(Invalid("the end of a string", self.s.len()));
            };
            self.i += at;
            match rest[at] {
                b'"' => {
                    let raw = &self.s[start..self.i];
                    self.i += 1;
                    return Ok((raw, escaped));
                }
                b'\\' => {
                    escaped = true;
                    // The escaped character is checked when decoded; skipping it here keeps
                    // `\"` inside the string.
                    self.i += 2;
                }
                _ => return Err(Invalid("no control character in a string", self.i)),
            }
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), Invalid> {
        if self.s.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Invalid("a value", self.i))
        }
    }

    /// A number's text, checked against JSON's grammar.
    fn number(&mut self) -> Result<&'a str, Invalid> {
        let start = self.i;
        let digits = |p: &mut Parser<'_>| {
            let from = p.i;
            while let Some(b'0'..=b'9') = p.peek() {
                p.i += 1;
            }
            p.i - from
        };
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(Invalid("a value", start)),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return Err(Invalid("a digit after the decimal point", self.i));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if digits(self) == 0 {
                return Err(Invalid("a digit in the exponent", self.i));
            }
        }
        // ASCII digits and signs only.
        Ok(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default())
    }

    /// Skips one value (after whitespace) that no column reads. A string or a scalar is
    /// checked; an object or array is skipped by a scan of its strings and brackets (the reader
    /// has already matched its braces), so its inner syntax is not checked.
    fn skip_value(&mut self, depth: u32) -> Result<(), Invalid> {
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                self.string().map(|_| ())
            }
            Some(b'{' | b'[') => {
                let rest = self.s.get(self.i..).unwrap_or_default();
                match blocks::close_small(rest, RECORD_DEPTH.saturating_sub(depth)) {
                    Ok(Some(end)) => {
                        self.i += end;
                        Ok(())
                    }
                    Ok(None) => Err(Invalid("the end of a value", self.s.len())),
                    Err(TooDeep(at)) => Err(Invalid("less deeply nested values", self.i + at)),
                }
            }
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            _ => self.number().map(|_| ()),
        }
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
            None,
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

    fn parse4(text: &[u8]) -> Result<[String; 4], String> {
        let paths = JsonPaths::new(&cols(&["Id", "Alias", "Profile.Name", "UserRole.Name"]));
        let mut f = JsonFields::default();
        let row = f.parse(&paths, text)?;
        Ok([0, 1, 2, 3].map(|i| row.get(i).to_owned()))
    }

    #[test]
    fn keys_remembered_from_the_record_before_name_the_same_fields() {
        let paths = JsonPaths::new(&cols(&["Id", "Alias", "Profile.Name", "UserRole.Name"]));
        let other = JsonPaths::new(&cols(&["Alias", "Id"]));
        let mut f = JsonFields::default();
        let mut parse = |paths: &JsonPaths, text: &[u8]| -> [String; 2] {
            let row = f.parse(paths, text).unwrap();
            [0, 1].map(|i| row.get(i).to_owned())
        };
        let first = br#"{"Id": "1", "Alias": "a", "Profile": {"Name": "P"}}"#;
        assert_eq!(parse(&paths, first), ["1", "a"]);
        assert_eq!(parse(&paths, first), ["1", "a"]);
        // Keys in another order, another case, one that starts like a remembered one, one
        // with an escape: each still names its own field.
        let moved = br#"{"Alias": "b", "Idx": "no", "ID": "2", "Profile": null}"#;
        assert_eq!(parse(&paths, moved), ["2", "b"]);
        let escaped = br#"{"Id": "3", "Alias": "c"}"#;
        assert_eq!(parse(&paths, escaped), ["3", "c"]);
        assert_eq!(parse(&paths, first), ["1", "a"]);
        // Other paths: the keys remembered for the first ones are not used.
        assert_eq!(parse(&other, first), ["a", "1"]);
    }

    #[test]
    fn the_scanner_decodes_escapes_only_in_wanted_values() {
        let got = parse4(
            br#"{"Id": "0\u00305", "Alias": "a\"b\\c\/d\n\t\u00e9\ud83d\ude00",
                 "Other": "x\"}{\\", "Profile": {"Name": "P\u0041"}}"#,
        )
        .unwrap();
        assert_eq!(got, ["005", "a\"b\\c/d\n\t\u{e9}\u{1F600}", "PA", ""]);
        // A lone surrogate, an unknown escape and a raw control character are not JSON.
        assert!(parse4(br#"{"Id": "\ud83d"}"#).is_err());
        assert!(parse4(br#"{"Id": "\q"}"#).is_err());
        assert!(parse4(b"{\"Id\": \"a\x01b\"}").is_err());
        // A skipped value's escapes are not decoded, nor its inner syntax checked, but its
        // brackets must close.
        assert!(parse4(br#"{"Skip": "\ud83dx", "S": [1, 2], "T": {"a" 1}}"#).is_ok());
        assert!(parse4(br#"{"S": [1, 2}, "T": 1}"#).is_err());
    }

    #[test]
    fn the_scanner_reads_scalars_nulls_and_nested_records() {
        let got = parse4(
            br#"{"attributes": {"type": "User", "url": "/u/{x}\"]"}, "Id": 5, "Alias": true,
                 "Profile": {"attributes": {"a": [1, {"b": null}]}, "Name": null},
                 "UserRole": null, "N": -1.5e3, "B": false, "L": [[], {}]}"#,
        )
        .unwrap();
        assert_eq!(got, ["5", "true", "", ""]);
        assert_eq!(
            parse4(br#"{"Id": 1.5, "Alias": false}"#).unwrap()[..2],
            ["1.5", "false"]
        );
        assert_eq!(parse4(br#"{"Id": 1e2}"#).unwrap()[0], "100");
        // A relationship that is not an object reads as null; a nested record's `Name`
        // does not fill the top-level columns.
        let got = parse4(br#"{"Profile": "x", "UserRole": {"Name": "R", "Id": "no"}}"#).unwrap();
        assert_eq!(got, ["", "", "", "R"]);
        assert_eq!(parse4(b"{}").unwrap(), ["", "", "", ""]);
        assert_eq!(
            parse4(br#"{"Alias": [1]}"#).unwrap_err(),
            "`Alias` is an array, not a value"
        );
        assert_eq!(
            parse4(b"null").unwrap_err(),
            "the record is not an object but null"
        );
    }

    #[test]
    fn the_scanner_refuses_what_is_not_json() {
        for bad in [
            &br#"{"Id": "005""#[..],
            br#"{"Id": "005", "Alias": "x"#,
            br#"{"Id" "005"}"#,
            br#"{"Id": 01}"#,
            br#"{"Id": tru}"#,
            br#"{"Id": "005",}"#,
            br#"{"Id": "005"} x"#,
            br#"{"Profile": {"Name": "a"}"#,
            br#"{"Skip": [1, {"a": "}"]"#,
            br#"{"Skip": -}"#,
            b"",
        ] {
            let e = parse4(bad).unwrap_err();
            assert!(e.starts_with("the record is not valid JSON"), "{e}");
        }
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(200), "]".repeat(200));
        assert!(parse4(deep.as_bytes()).is_err());
    }

    struct Texts(Vec<String>);

    impl Consumer for Texts {
        fn columns(&mut self, _: Columns) {}
        fn batch(&mut self, batch: Batch) -> Option<Batch> {
            for k in 0..batch.len() {
                self.0.push(match batch.item(k) {
                    ItemRef::Json { line, text } => {
                        format!("{line}: {}", String::from_utf8_lossy(text))
                    }
                    ItemRef::Unreadable { line, diagnostic } => {
                        format!("{line}: {}", diagnostic.code)
                    }
                    ItemRef::Row { .. } => unreachable!(),
                });
            }
            Some(batch)
        }
    }

    fn delimit(text: &str) -> (Result<(), Diagnostic>, Vec<String>) {
        let mut out = Texts(Vec::new());
        let r = read_json(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            "t.json",
            1,
            None,
            &mut out,
        );
        (r, out.0)
    }

    #[test]
    fn records_are_delimited_across_strings_escapes_and_lines() {
        let (r, got) = delimit(
            "{\"result\": {\"records\": [\n{\"a\": \"}{\\\"\\\\\", \"b\": {\"c\": \"\\n\"}},\n\n {\"d\": [1, {\"e\": \"]\"}]}\n]}}",
        );
        assert!(r.is_ok());
        assert_eq!(
            got,
            [
                "2: {\"a\": \"}{\\\"\\\\\", \"b\": {\"c\": \"\\n\"}}",
                "4: {\"d\": [1, {\"e\": \"]\"}]}",
            ]
        );
        // A truncated record is one unreadable user, and the read stops there.
        let (r, got) = delimit("{\"result\": {\"records\": [{\"a\": 1},\n{\"b\": \"x}");
        assert!(r.is_ok());
        assert_eq!(got, ["1: {\"a\": 1}", "2: U005"]);
    }
}
