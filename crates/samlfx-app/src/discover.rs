//! Finding app files: a file argument is read by its name; a directory is searched, following
//! an SFDX project's `sfdx-project.json` package directories when there is one, skipping
//! `.git`, `node_modules` and `target`, within bounds on depth, entries and files found.

use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use samlfx_diag::render::Source;
use samlfx_diag::{Code, Diagnostic, Span};

use crate::model::FileKind;
use crate::read::{Loaded, read_file};

/// The deepest directory searched below the argument.
pub const MAX_DEPTH: usize = 12;
/// The most directory entries looked at in one search.
pub const MAX_ENTRIES: usize = 20_000;
/// The most app files one search returns.
pub const MAX_FILES: usize = 1_000;

const SKIPPED: [&str; 3] = [".git", "node_modules", "target"];

/// What a search found: the app files, in a stable (sorted) order, and the problems met, each
/// with the source it points into (the argument, or `sfdx-project.json`).
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub files: Vec<PathBuf>,
    pub problems: Vec<(Source, Diagnostic)>,
}

/// Whether `path`'s name makes it an app file when met in a directory. A plain `*.xml` counts
/// when its start holds `<callCenter` (the import format has no suffix of its own).
pub fn is_app_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name == "samlfx.toml" {
        return true;
    }
    match FileKind::from_name(name) {
        Some(FileKind::SamlfxToml) => false,
        Some(_) => true,
        None => name.ends_with(".xml") && sniff_call_center(path),
    }
}

fn sniff_call_center(path: &Path) -> bool {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok()
        && String::from_utf8_lossy(&head).contains("<callCenter")
}

/// The app files at `path`: the file itself (whatever its name: the user named it), or those
/// found under a directory. A missing path is C001, a directory without app files C015.
pub fn discover(path: &Path) -> Discovery {
    let mut out = Discovery::default();
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.problems.push((
                Source::file(&shown, ""),
                Diagnostic::new(
                    Code::UnreadableAppFile,
                    format!("cannot read '{shown}': {e}"),
                )
                .with_help("check the path; a directory is searched for app files"),
            ));
            return out;
        }
    };
    if !meta.is_dir() {
        out.files.push(path.to_path_buf());
        return out;
    }
    let mut walk = Walk::default();
    match package_directories(path, &mut out.problems) {
        Some(roots) => {
            // The project root's own files (a samlfx.toml, a contact-center import file) sit
            // outside its package directories.
            walk.files_of(path, &mut out.files);
            for root in roots {
                walk.dir(&root, 1, &mut out.files);
            }
        }
        None => walk.dir(path, 0, &mut out.files),
    }
    out.files.sort();
    out.files.dedup();
    if let Some(why) = walk.stopped {
        out.problems.push((
            Source::file(&shown, ""),
            Diagnostic::new(
                Code::DiscoveryLimit,
                format!("the search of '{shown}' stopped: {why}"),
            )
            .with_help("name the project directory or the app files themselves"),
        ));
    }
    if out.files.is_empty() {
        out.problems.push((
            Source::file(&shown, ""),
            Diagnostic::new(Code::NoAppFiles, format!("'{shown}' holds no app file"))
                .with_help("name a directory holding samlfx.toml, *.connectedApp-meta.xml, *.ecaSamlPlcy-meta.xml or contact-center XML (an SFDX project's root works)"),
        ));
    }
    out
}

/// Discovers `path` and reads every file found: what `samlfx check PATH` reads. Problems of the
/// search come first, each as a [`Loaded`] without content.
pub fn load(path: &Path) -> Vec<Loaded> {
    let found = discover(path);
    let mut out: Vec<Loaded> = found
        .problems
        .into_iter()
        .map(|(source, d)| Loaded {
            source,
            kind: None,
            content: None,
            diagnostics: vec![d],
        })
        .collect();
    out.extend(found.files.iter().map(|f| read_file(f)));
    out
}

#[derive(Default)]
struct Walk {
    entries: usize,
    stopped: Option<String>,
}

impl Walk {
    /// The app files directly in `dir`, not its subdirectories.
    fn files_of(&mut self, dir: &Path, files: &mut Vec<PathBuf>) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in read.filter_map(Result::ok) {
            self.entries += 1;
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_file())
                && is_app_file(&path)
                && files.len() < MAX_FILES
            {
                files.push(path);
            }
        }
    }

    fn dir(&mut self, dir: &Path, depth: usize, files: &mut Vec<PathBuf>) {
        if self.stopped.is_some() {
            return;
        }
        if depth > MAX_DEPTH {
            self.stopped = Some(format!(
                "'{}' is deeper than {MAX_DEPTH} levels",
                dir.display()
            ));
            return;
        }
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = read.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                self.stopped = Some(format!("more than {MAX_ENTRIES} entries"));
                return;
            }
            let path = entry.path();
            // Symbolic links are not followed: no cycles, nothing outside the tree.
            let Ok(ft) = entry.file_type() else { continue };
            let name = entry.file_name();
            if ft.is_dir() {
                if !SKIPPED.iter().any(|s| name == *s) {
                    self.dir(&path, depth + 1, files);
                }
            } else if ft.is_file() && is_app_file(&path) {
                if files.len() >= MAX_FILES {
                    self.stopped = Some(format!("more than {MAX_FILES} app files"));
                    return;
                }
                files.push(path);
            }
        }
    }
}

/// The package directories of the SFDX project at `dir`, when it has a readable
/// `sfdx-project.json`; `None` means "search everything" (no file, or C017 reported).
fn package_directories(
    dir: &Path,
    problems: &mut Vec<(Source, Diagnostic)>,
) -> Option<Vec<PathBuf>> {
    let file = dir.join("sfdx-project.json");
    let mut text = String::new();
    std::fs::File::open(&file)
        .and_then(|f| f.take(1 << 20).read_to_string(&mut text))
        .ok()?;
    let shown = file.display().to_string();
    let mut warn = |message: String, span: Option<Span>| {
        let mut d = Diagnostic::new(Code::InvalidSfdxProject, message)
            .with_help("list the project's source directories as {\"packageDirectories\": [{\"path\": \"force-app\"}]}");
        d.span = span;
        problems.push((Source::file(&shown, text.clone()), d));
        None
    };
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            let at = offset(&text, e.line(), e.column());
            return warn(
                format!("sfdx-project.json is not JSON: {e}"),
                Some(crate::xml::point(&text, at)),
            );
        }
    };
    let Some(dirs) = json.get("packageDirectories").and_then(|d| d.as_array()) else {
        return warn(
            "sfdx-project.json has no `packageDirectories` array".into(),
            None,
        );
    };
    let mut out = Vec::new();
    for d in dirs {
        let Some(p) = d.get("path").and_then(|p| p.as_str()) else {
            return warn(
                "a package directory of sfdx-project.json has no `path` string".into(),
                None,
            );
        };
        let rel = Path::new(p);
        let inside = rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !inside || !dir.join(rel).is_dir() {
            // The path as written in the file, when it is written plainly.
            let quoted = serde_json::to_string(p).unwrap_or_default();
            let at = text
                .find(&quoted)
                .map(|i| Span::new(i + 1, i + quoted.len() - 1));
            return warn(
                format!("the package directory `{p}` is not a directory inside the project"),
                at,
            );
        }
        out.push(dir.join(rel));
    }
    Some(out)
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}
