//! The two readers: each turns an export into the columns it holds, then one [`Item`] per data
//! row or record, in file order, calling back instead of collecting so memory stays flat.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use csv::ByteRecord;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::columns::Columns;
use crate::input::{self, Format, Opened};
use samlfx_diag::{Code, Diagnostic};
use samlfx_formula::schema::Schema;

/// One data row (CSV) or record (JSON), its fields in [`Columns`] order; empty means null.
#[derive(Clone, Debug)]
pub struct Row {
    /// 1-based line where it starts.
    pub line: u64,
    pub fields: ByteRecord,
}

impl Row {
    /// The text of field `i` (empty when absent). Fields are checked UTF-8 by the readers.
    pub fn get(&self, i: usize) -> &str {
        self.fields
            .get(i)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

/// What a reader yields: the columns once, then the items.
#[derive(Debug)]
pub enum Event {
    Columns(Columns),
    Item(Item),
}

/// One row or record, in file order.
#[derive(Debug)]
pub enum Item {
    Row(Row),
    /// A row or record that cannot be read: counted as a user, reported with its line.
    Unreadable {
        line: u64,
        diagnostic: Diagnostic,
    },
}

/// Reads `opened`: `each` sees [`Event::Columns`] once, then one [`Event::Item`] per row. `wanted` names the columns a JSON
/// export is read for (a CSV has its header). A file-level problem is the error.
pub fn read(
    opened: Opened,
    path: &str,
    wanted: &[String],
    schema: &Schema,
    each: &mut dyn FnMut(Event),
) -> Result<(), Diagnostic> {
    match opened.format {
        Format::Csv => read_csv(opened.reader, path, schema, each),
        Format::Json => {
            let columns = Columns::new(wanted.to_vec(), schema);
            let paths: Vec<Vec<String>> = wanted
                .iter()
                .map(|c| c.split('.').map(str::to_owned).collect())
                .collect();
            each(Event::Columns(columns));
            read_json(opened.reader, path, &paths, &mut |item| {
                each(Event::Item(item))
            })
        }
    }
}

fn no_users(path: &str, what: &str) -> Diagnostic {
    Diagnostic::new(Code::NoUsers, format!("the user export `{path}` {what}"))
        .with_help("the query matched nobody: check its WHERE clause, or export again")
}

fn read_csv(
    reader: Box<dyn BufRead + Send>,
    path: &str,
    schema: &Schema,
    each: &mut dyn FnMut(Event),
) -> Result<(), Diagnostic> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
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
    each(Event::Columns(columns));
    let mut each = |item| each(Event::Item(item));
    let mut rows = 0u64;
    loop {
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                rows += 1;
                let line = record.position().map_or(0, |p| p.line());
                if record.len() != width {
                    each(Item::Unreadable {
                        line,
                        diagnostic: Diagnostic::new(
                            Code::UnreadableRow,
                            format!(
                                "line {line}: the row has {} columns, the header {width}",
                                record.len()
                            ),
                        )
                        .with_help("a row cut short or a stray delimiter: export again"),
                    });
                } else if std::str::from_utf8(record.as_slice()).is_err() {
                    each(Item::Unreadable {
                        line,
                        diagnostic: Diagnostic::new(
                            Code::UnreadableRow,
                            format!("line {line}: the row is not UTF-8 text"),
                        ),
                    });
                } else {
                    each(Item::Row(Row {
                        line,
                        fields: record.clone(),
                    }));
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                if fatal {
                    return Err(csv_error(e));
                }
                rows += 1;
                each(Item::Unreadable {
                    line,
                    diagnostic: Diagnostic::new(Code::UnreadableRow, format!("line {line}: {e}")),
                });
            }
        }
    }
    if rows == 0 {
        return Err(no_users(path, "has a header and no user"));
    }
    Ok(())
}

/// Counts the lines serde_json has consumed, so a record's line can be reported. serde_json
/// reads one byte at a time: this keeps its own buffer so that a byte is an index into it, not
/// a dynamic call into the reader below.
struct Lines<R> {
    inner: R,
    line: Rc<Cell<u64>>,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
}

impl<R: Read> Read for Lines<R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.len {
            self.len = self.inner.read(&mut self.buf)?;
            self.pos = 0;
            if self.len == 0 {
                return Ok(0);
            }
        }
        if let [slot] = out {
            let b = self.buf[self.pos];
            self.pos += 1;
            *slot = b;
            if b == b'\n' {
                self.line.set(self.line.get() + 1);
            }
            return Ok(1);
        }
        let n = out.len().min(self.len - self.pos);
        let chunk = &self.buf[self.pos..self.pos + n];
        out[..n].copy_from_slice(chunk);
        let newlines = chunk.iter().filter(|&&b| b == b'\n').count() as u64;
        self.line.set(self.line.get() + newlines);
        self.pos += n;
        Ok(n)
    }
}

/// The state the visitors share while walking to `records`.
struct Walk<'a> {
    paths: &'a [Vec<String>],
    line: Rc<Cell<u64>>,
    each: &'a mut dyn FnMut(Item),
    found: bool,
    records: u64,
}

fn read_json(
    reader: Box<dyn BufRead + Send>,
    path: &str,
    paths: &[Vec<String>],
    each: &mut dyn FnMut(Item),
) -> Result<(), Diagnostic> {
    let line = Rc::new(Cell::new(1));
    let mut de = serde_json::Deserializer::from_reader(Lines {
        inner: reader,
        line: line.clone(),
        buf: vec![0; 1 << 16].into_boxed_slice(),
        pos: 0,
        len: 0,
    });
    let mut walk = Walk {
        paths,
        line: line.clone(),
        each,
        found: false,
        records: 0,
    };
    let result = Top(&mut walk).deserialize(&mut de).and_then(|()| de.end());
    if let Err(e) = result {
        if e.is_io() {
            let io = io::Error::new(io::ErrorKind::InvalidData, e.to_string());
            if e.to_string().contains("line longer than the bound") {
                return Err(input::line_too_long(path));
            }
            return Err(input::unreadable(path, &io));
        }
        if walk.found {
            // The stream cannot be resynchronised: the record being read is counted as unreadable.
            (walk.each)(Item::Unreadable {
                line: e.line() as u64,
                diagnostic: Diagnostic::new(
                    Code::UnreadableRow,
                    format!("line {}: the JSON stops being valid here: {e}", e.line()),
                )
                .with_help("the export was cut off or edited: export again; the records after this point were not read"),
            });
            return Ok(());
        }
        return Err(not_sf(path, &format!("it is not valid JSON ({e})")));
    }
    if !walk.found {
        return Err(not_sf(path, "it has no `result.records` array"));
    }
    if walk.records == 0 {
        return Err(no_users(path, "has an empty `records` array"));
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

/// The top-level object: `result` (sf's envelope) or `records` (a REST query result).
struct Top<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with `result.records`")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "result" => map.next_value_seed(Top(self.0))?,
                "records" if !self.0.found => {
                    self.0.found = true;
                    map.next_value_seed(Records(self.0))?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// The `records` array, yielded one record at a time.
struct Records<'w, 'a>(&'w mut Walk<'a>);

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            let seed = Record { line: &self.0.line };
            let Some((line, record)) = seq.next_element_seed(seed)? else {
                break;
            };
            self.0.records += 1;
            let item = match to_row(&record, self.0.paths) {
                Ok(fields) => Item::Row(Row { line, fields }),
                Err(why) => Item::Unreadable {
                    line,
                    diagnostic: Diagnostic::new(
                        Code::UnreadableRow,
                        format!("line {line}: {why}"),
                    )
                    .with_help("a User record is an object of field names to text, numbers, booleans or null, with Profile and UserRole as nested records"),
                },
            };
            (self.0.each)(item);
        }
        Ok(())
    }
}

/// One record with the line it starts on: read when serde_json has consumed the whitespace
/// before it and peeked its first byte.
struct Record<'l> {
    line: &'l Rc<Cell<u64>>,
}

impl<'de> DeserializeSeed<'de> for Record<'_> {
    type Value = (u64, Json);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(u64, Json), D::Error> {
        let line = self.line.get();
        serde::Deserialize::deserialize(d).map(|json| (line, json))
    }
}

/// A record's fields along `paths` (`["Profile", "Name"]`), as text.
fn to_row(record: &Json, paths: &[Vec<String>]) -> Result<ByteRecord, String> {
    if !record.is_object() {
        return Err(format!("the record is not an object but {}", kind(record)));
    }
    let mut row = ByteRecord::with_capacity(64, paths.len());
    for path in paths {
        let mut at = Some(record);
        for step in path {
            at = match at {
                Some(Json::Object(o)) => o.get(step).or_else(|| {
                    o.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(step))
                        .map(|(_, v)| v)
                }),
                _ => None,
            };
        }
        match at {
            None | Some(Json::Null) => row.push_field(b""),
            Some(Json::String(s)) => row.push_field(s.as_bytes()),
            Some(Json::Bool(b)) => row.push_field(if *b { b"true" } else { b"false" }),
            Some(Json::Number(n)) => row.push_field(n.to_string().as_bytes()),
            Some(other) => {
                return Err(format!(
                    "`{}` is {}, not a value",
                    path.join("."),
                    kind(other)
                ));
            }
        }
    }
    Ok(row)
}

fn kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}
