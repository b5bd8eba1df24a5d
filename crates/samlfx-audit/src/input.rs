//! Opening an export: a path or `-`, gzip detected by its magic bytes, the format (CSV or JSON)
//! sniffed from the first byte, and a bound on line length so a file of one huge line cannot
//! exhaust memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::read::MultiGzDecoder;
use samlfx_diag::{Code, Diagnostic};

/// The longest line read, in bytes: far above any real User row, small enough to bound memory.
pub const MAX_LINE: usize = 1 << 20;

/// The two export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `sf data export bulk --result-format csv` (Bulk API 2.0).
    Csv,
    /// `sf data query --json`.
    Json,
}

/// An opened export, ready to be read as `format`.
pub struct Opened {
    pub format: Format,
    pub reader: Box<dyn Read + Send>,
    /// Bytes read from the file so far (compressed bytes for gzip), for a progress bar.
    pub consumed: Arc<AtomicU64>,
    /// The file's size when known (not for stdin).
    pub size: Option<u64>,
    /// The path, when the export can be read a second time (a file, not stdin): the collision
    /// check reads the few rows it needs again instead of keeping every user's value.
    pub rereadable: Option<String>,
}

/// Opens `path` (`-` for stdin). Every failure is a diagnostic: U004 unreadable, U001 empty,
/// U003 binary.
pub fn open(path: &str) -> Result<Opened, Diagnostic> {
    let consumed = Arc::new(AtomicU64::new(0));
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(io::stdin()), None)
    } else {
        let file = File::open(path).map_err(|e| unreadable(path, &e))?;
        let meta = file.metadata().map_err(|e| unreadable(path, &e))?;
        if meta.is_dir() {
            return Err(Diagnostic::new(
                Code::UnreadableUserFile,
                format!("`{path}` is a directory, not a user export"),
            )
            .with_help("name the CSV or JSON file the export wrote"));
        }
        (Box::new(file), Some(meta.len()))
    };
    let counted = Counted {
        inner: raw,
        consumed: consumed.clone(),
    };
    let mut buffered = BufReader::with_capacity(1 << 16, counted);
    let head = buffered.fill_buf().map_err(|e| unreadable(path, &e))?;
    let inner: Box<dyn Read + Send> = if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(MultiGzDecoder::new(buffered))
    } else {
        Box::new(buffered)
    };
    let mut reader = BufReader::with_capacity(1 << 16, LineBound::new(inner));
    let head = reader.fill_buf().map_err(|e| unreadable(path, &e))?;
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(&first) = head.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(Diagnostic::new(
            Code::EmptyUserExport,
            format!("the user export `{path}` is empty"),
        )
        .with_help(
            "export the users with `sf data export bulk --query \"$(samlfx audit APP --print-query)\" --result-format csv`",
        ));
    };
    if head.contains(&0) || !utf8_prefix(head) {
        return Err(Diagnostic::new(
            Code::NotAUserExport,
            format!("`{path}` is a binary file, not a user export"),
        )
        .with_help("the users file is the CSV of `sf data export bulk` or the JSON of `sf data query --json`, optionally gzip-compressed"));
    }
    let format = if first == b'{' || first == b'[' {
        Format::Json
    } else {
        Format::Csv
    };
    Ok(Opened {
        format,
        reader: Box::new(reader),
        consumed,
        size,
        rereadable: (path != "-").then(|| path.to_owned()),
    })
}

/// Whether `bytes` is UTF-8 except for a character cut at its end (a buffer boundary).
fn utf8_prefix(bytes: &[u8]) -> bool {
    let n = bytes.len().min(1024);
    match std::str::from_utf8(&bytes[..n]) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// U004 for an I/O error on `path`; a line over [`MAX_LINE`] is U003.
pub fn unreadable(path: &str, e: &io::Error) -> Diagnostic {
    if is_line_too_long(e) {
        return line_too_long(path);
    }
    Diagnostic::new(
        Code::UnreadableUserFile,
        format!("cannot read `{path}`: {e}"),
    )
    .with_help("check the path; `-` reads the export from standard input")
}

/// U003 for a line longer than [`MAX_LINE`].
pub fn line_too_long(path: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotAUserExport,
        format!(
            "`{path}` has a line longer than {} MiB: it is not a user export",
            MAX_LINE >> 20
        ),
    )
    .with_help("a User row is a few hundred bytes; export again with `sf data export bulk --result-format csv` or `sf data query --json`")
}

const TOO_LONG: &str = "line longer than the bound";

/// Whether `e` is the error of the line bound (`LineBound`).
pub fn is_line_too_long(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::InvalidData && e.to_string() == TOO_LONG
}

/// Counts the bytes read from the file, for progress.
struct Counted {
    inner: Box<dyn Read + Send>,
    consumed: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Fails with [`TOO_LONG`] once a line exceeds [`MAX_LINE`] bytes, so no reader above it
/// buffers an unbounded field or token.
struct LineBound {
    inner: Box<dyn Read + Send>,
    run: usize,
}

impl LineBound {
    fn new(inner: Box<dyn Read + Send>) -> Self {
        LineBound { inner, run: 0 }
    }
}

impl Read for LineBound {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = &buf[..n];
        self.run = match read.iter().rposition(|&b| b == b'\n') {
            Some(i) => n - i - 1,
            None => self.run + n,
        };
        if self.run > MAX_LINE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TOO_LONG));
        }
        Ok(n)
    }
}
