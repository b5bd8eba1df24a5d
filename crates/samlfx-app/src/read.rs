//! Reading one app file: bounded, UTF-8 checked, then handed to the reader its name (or, for a
//! plain `*.xml`, its root element) selects.

use std::io::Read as _;
use std::path::Path;

use samlfx_diag::render::Source;
use samlfx_diag::{Code, Diagnostic, Span};

use crate::model::{App, ContactCenter, Content, FileKind};
use crate::{call_center, connected_app, eca, xml};

/// The largest app file read (4 MiB): real ones are a few kilobytes.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// One file read: its source (path and text, for rendering), what it defines, and what was
/// wrong with it. Every diagnostic's spans point into `source.text`.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub source: Source,
    /// The format read, when known (from the name, or the XML root).
    pub kind: Option<FileKind>,
    /// `None` when the file could not be read as its format at all.
    pub content: Option<Content>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether the file could not be read at all (exit status 2 in `check`): unreadable, too
    /// large, not text, malformed XML or TOML, or not a kind samlfx reads. A file that was read
    /// but holds a mistake (a missing or duplicate element) is a finding whose severity the
    /// user's policy decides, never an input error.
    pub fn input_failed(&self) -> bool {
        self.content.is_none() && self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The app the file defines, if it is an app file.
    pub fn app(&self) -> Option<&App> {
        match &self.content {
            Some(Content::App(app)) => Some(app),
            _ => None,
        }
    }

    /// The contact center the file defines, if it is a contact-center file.
    pub fn contact_center(&self) -> Option<&ContactCenter> {
        match &self.content {
            Some(Content::ContactCenter(cc)) => Some(cc),
            _ => None,
        }
    }

    fn failed(path: &str, text: String, kind: Option<FileKind>, d: Diagnostic) -> Loaded {
        Loaded {
            source: Source::file(path, text),
            kind,
            content: None,
            diagnostics: vec![d],
        }
    }
}

/// Reads the file at `path` (at most [`MAX_FILE_BYTES`] plus one byte). Never panics: an
/// unreadable, oversized, binary or malformed file is a [`Loaded`] with its diagnostic.
pub fn read_file(path: &Path) -> Loaded {
    let shown = path.display().to_string();
    let kind = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(FileKind::from_name);
    let mut bytes = Vec::new();
    let result = std::fs::File::open(path).and_then(|f| {
        if f.metadata()?.is_dir() {
            return Err(std::io::Error::other("it is a directory"));
        }
        f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes)
    });
    if let Err(e) = result {
        return Loaded::failed(
            &shown,
            String::new(),
            kind,
            Diagnostic::new(
                Code::UnreadableAppFile,
                format!("cannot read '{shown}': {e}"),
            )
            .with_help("check the path and that the file is readable"),
        );
    }
    read_bytes(&shown, &bytes)
}

/// Reads `bytes` as the app file named `path` (the name selects the format; a plain `*.xml` is
/// read by its root element).
pub fn read_bytes(path: &str, bytes: &[u8]) -> Loaded {
    let name = Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path);
    let kind = FileKind::from_name(name);
    if bytes.len() > MAX_FILE_BYTES {
        return Loaded::failed(
            path,
            String::new(),
            kind,
            Diagnostic::new(
                Code::AppFileLimit,
                format!("'{path}' is larger than {} MiB", MAX_FILE_BYTES >> 20),
            )
            .with_help("name the app file itself; app files are a few kilobytes"),
        );
    }
    // UTF-16 with a byte-order mark (Windows tools save so) is read as its text.
    let converted;
    let bytes = match xml::utf16_text(bytes) {
        Some(Ok(text)) => {
            converted = text;
            converted.as_bytes()
        }
        // An unpaired surrogate: reported below as bytes that are not UTF-8.
        Some(Err(_)) | None => bytes,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) if !t.contains('\0') => t,
        other => {
            let (at, what) = match other {
                Ok(t) => (t.find('\0').unwrap_or(0), "a NUL byte"),
                Err(e) => (e.valid_up_to(), "bytes that are not UTF-8"),
            };
            // The text shown is the valid prefix, so the span (its end) lies inside it.
            let shown = String::from_utf8_lossy(&bytes[..at]).into_owned();
            return Loaded::failed(
                path,
                shown,
                kind,
                Diagnostic::new(
                    Code::NotText,
                    format!("'{path}' is not UTF-8 text: it has {what} at byte {at}"),
                )
                .at(Span::new(at, at))
                .with_help("name a text app file, or convert this one to UTF-8"),
            );
        }
    };
    read_text(path, kind, text)
}

/// Reads `text` as an app file of `kind` (`None`: XML decided by its root).
pub fn read_text(path: &str, kind: Option<FileKind>, text: &str) -> Loaded {
    let mut diagnostics = Vec::new();
    // A byte-order mark is an encoding artefact: keep it in the text (spans stay file offsets)
    // but let the readers start after it.
    let loaded = |kind, content| Loaded {
        source: Source::file(path, text),
        kind,
        content,
        diagnostics: Vec::new(),
    };
    if kind == Some(FileKind::SamlfxToml) {
        let body = text.strip_prefix('\u{feff}').map_or(text.to_owned(), |b| {
            // The parser sees spaces where the BOM was, so offsets are the file's.
            format!("{}{b}", " ".repeat('\u{feff}'.len_utf8()))
        });
        let app = crate::toml::read(&body, &mut diagnostics);
        let mut l = loaded(
            kind,
            app.map(|mut a| {
                if a.name.is_none() {
                    a.name = file_stem(path);
                }
                Content::App(Box::new(a))
            }),
        );
        l.diagnostics = diagnostics;
        return l;
    }
    let Some(root) = xml::parse(text, &mut diagnostics) else {
        let mut l = loaded(kind, None);
        l.diagnostics = diagnostics;
        return l;
    };
    let found = FileKind::from_root(&root.name);
    let expected = kind.or(found);
    if expected.is_none() || found != expected {
        let d = Diagnostic::new(
            Code::WrongRootElement,
            match expected {
                Some(k) => format!(
                    "the root element is `<{}>`, but {} holds `<{}>`",
                    root.name,
                    k.describe(),
                    k.root().unwrap_or_default()
                ),
                None => format!(
                    "`<{}>` is not the root of an app file samlfx reads",
                    root.name
                ),
            },
        )
        .at(root.name_span);
        diagnostics.push(match found {
            Some(f) => d.with_help(format!("this root belongs to {}: rename the file", f.describe())),
            None => d.with_help(
                "samlfx reads ConnectedApp, ExtlClntAppSamlConfigurablePolicies, CallCenter and <callCenter> (contact-center import) XML",
            ),
        });
        let mut l = loaded(expected, None);
        l.diagnostics = diagnostics;
        return l;
    }
    let content = match expected.expect("checked above") {
        FileKind::ConnectedApp => {
            let mut app = connected_app::read(&root, &mut diagnostics);
            app.name = file_stem(path).or(app.name);
            Content::App(Box::new(app))
        }
        FileKind::ExternalClientApp => {
            let mut app = eca::read(&root, &mut diagnostics);
            app.name = file_stem(path).or(app.name);
            Content::App(Box::new(app))
        }
        FileKind::ClientApp | FileKind::ClientAppPolicies => {
            let mut part = if expected == Some(FileKind::ClientApp) {
                eca::read_client_app(&root, &mut diagnostics)
            } else {
                eca::read_policies(&root, &mut diagnostics)
            };
            part.name = file_stem(path);
            Content::ClientApp(Box::new(part))
        }
        FileKind::CallCenter => {
            let mut cc = call_center::read_metadata(&root, &mut diagnostics);
            cc.name = file_stem(path);
            Content::ContactCenter(Box::new(cc))
        }
        FileKind::CallCenterImport => {
            Content::ContactCenter(Box::new(call_center::read_import(&root, &mut diagnostics)))
        }
        FileKind::SamlfxToml => unreachable!("TOML is read above"),
    };
    let mut l = loaded(expected, Some(content));
    l.diagnostics = diagnostics;
    l
}

/// The metadata name a file's name carries: `AcmeVoice` for `AcmeVoice.connectedApp-meta.xml`;
/// `None` for samlfx.toml and a plain `*.xml`.
fn file_stem(path: &str) -> Option<String> {
    let name = Path::new(path).file_name()?.to_str()?;
    let (stem, _) = name.split_once('.')?;
    let kind = FileKind::from_name(name)?;
    (kind != FileKind::SamlfxToml && !stem.is_empty()).then(|| stem.to_owned())
}
