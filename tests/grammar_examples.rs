//! Every example under `grammar/examples/` against the parser: each `valid/*.sf` parses and
//! survives print → parse unchanged; each `invalid/<CODE>-<name>.sf` fails with that code first.
//! (F012, formula too large, needs a file over 1 MiB and is covered in `tests/nesting.rs`.)

use std::fs;
use std::path::{Path, PathBuf};

use samlfx_formula::syntax::{parse, print};

fn examples(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("grammar/examples")
        .join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sf"))
        .collect();
    files.sort();
    files
}

#[test]
fn valid_examples_parse_and_round_trip() {
    let files = examples("valid");
    assert!(files.len() >= 25, "only {} valid examples", files.len());
    for path in files {
        let src = fs::read_to_string(&path).unwrap();
        let ast = parse(&src).unwrap_or_else(|d| panic!("{}: {d:#?}", path.display()));
        let printed = print(&ast);
        let back = parse(&printed)
            .unwrap_or_else(|d| panic!("{}: printed {printed:?}: {d:#?}", path.display()));
        assert!(
            ast.same_shape(&back),
            "{}: print changed the tree: {printed}",
            path.display()
        );
        // Printing is canonical: a second round gives the same text.
        assert_eq!(print(&back), printed, "{}", path.display());
    }
}

#[test]
fn invalid_examples_fail_with_their_code() {
    let files = examples("invalid");
    let mut codes = std::collections::BTreeSet::new();
    for path in files {
        let name = path.file_name().unwrap().to_str().unwrap();
        let (code, _) = name.split_once('-').expect("<CODE>-<name>.sf");
        let src = fs::read_to_string(&path).unwrap();
        let diags = match parse(&src) {
            Ok(e) => panic!("{name} parsed: {}", print(&e)),
            Err(d) => d,
        };
        assert_eq!(diags[0].code.info().id, code, "{name}: {diags:#?}");
        let help = diags[0].help.as_deref().unwrap_or("");
        assert!(!help.is_empty(), "{name}: no help line");
        codes.insert(code.to_string());
    }
    // One example at least for every syntax code a file can produce.
    for c in [
        "F001", "F002", "F003", "F004", "F005", "F006", "F007", "F008", "F009", "F010", "F011",
        "F013",
    ] {
        assert!(codes.contains(c), "no invalid example for {c}");
    }
}
