//! Opening an export: a path or `-`, gzip detected by its magic bytes, the format (CSV or JSON)
//! sniffed from the first byte, and a bound on line length so a file of one huge line cannot
//! exhaust memory.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

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
    /// Where the export can be read a second time: the collision check reads the few rows it
    /// needs again instead of keeping every user's value.
    pub again: Reread,
}

/// The file an export can be read again from: the export itself, or for standard input (which
/// cannot be read twice) a copy written to a temporary file as it streams past, so memory stays
/// flat either way.
#[derive(Clone, Debug)]
pub struct Reread {
    /// The file to open.
    pub file: PathBuf,
    /// Whether it is plain text, not gzip: a read can then start at any item's checkpoint.
    pub seekable: bool,
    /// Standard input's copy, deleted when the last clone is dropped.
    _spill: Option<Arc<Spill>>,
    /// Set when the copy could not be created or written (no usable `TMPDIR`, a full disk):
    /// the rows cannot be read again.
    broken: Arc<AtomicBool>,
}

impl Reread {
    /// Why the file cannot be read again, if it cannot (U004, with a help line).
    pub fn unavailable(&self) -> Option<Diagnostic> {
        self.broken.load(Ordering::Relaxed).then(|| {
            Diagnostic::new(
                Code::UnreadableUserFile,
                "the copy of standard input could not be made in the temporary directory",
            )
            .with_help("set TMPDIR to a writable directory with room for the export, or give the export's file instead of `-`")
        })
    }
}

/// A temporary file removed on drop. (The `tempfile` crate would bring `linux-raw-sys`, which
/// `.ci/check-deps` keeps out of the library crates.)
#[derive(Debug)]
struct Spill(PathBuf);

impl Spill {
    fn create() -> io::Result<(Spill, File)> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut tries = 0;
        loop {
            let name = format!(
                "samlfx-audit-stdin-{}-{nanos}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let path = std::env::temp_dir().join(name);
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            // The export holds the org's users: readable by this user alone.
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            match options.open(&path) {
                Ok(file) => return Ok((Spill(path), file)),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && tries < 16 => tries += 1,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Standard input, copied to the spill file as it is read.
struct Tee {
    inner: io::Stdin,
    /// `None` when the copy could not be created.
    copy: Option<File>,
    broken: Arc<AtomicBool>,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(copy) = &mut self.copy
            && copy.write_all(&buf[..n]).is_err()
        {
            self.broken.store(true, Ordering::Relaxed);
            self.copy = None;
        }
        Ok(n)
    }
}

/// Opens `path` (`-` for stdin). Every failure is a diagnostic: U004 unreadable, U001 empty,
/// U003 binary.
pub fn open(path: &str) -> Result<Opened, Diagnostic> {
    let consumed = Arc::new(AtomicU64::new(0));
    let broken = Arc::new(AtomicBool::new(false));
    let (raw, size, file, spill): (Box<dyn Read + Send>, _, _, _) = if path == "-" {
        // Without a copy the audit still runs: only naming users who share a value needs it,
        // and that is then reported as impossible (U004) rather than failing every audit.
        let (spill, copy) = match Spill::create() {
            Ok((spill, copy)) => (Some(spill), Some(copy)),
            Err(_) => {
                broken.store(true, Ordering::Relaxed);
                (None, None)
            }
        };
        let tee = Tee {
            inner: io::stdin(),
            copy,
            broken: broken.clone(),
        };
        let file = spill.as_ref().map_or_else(PathBuf::new, |s| s.0.clone());
        (Box::new(tee), None, file, spill.map(Arc::new))
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
        (Box::new(file), Some(meta.len()), PathBuf::from(path), None)
    };
    let counted = Counted {
        inner: raw,
        consumed: consumed.clone(),
    };
    let mut buffered = BufReader::with_capacity(1 << 16, counted);
    let head = buffered.fill_buf().map_err(|e| unreadable(path, &e))?;
    let gzip = head.starts_with(&[0x1f, 0x8b]);
    let inner: Box<dyn Read + Send> = if gzip {
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
        again: Reread {
            file,
            seekable: !gzip,
            _spill: spill,
            broken,
        },
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
