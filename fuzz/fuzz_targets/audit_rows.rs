//! Any bytes as a user export (CSV or JSON, sniffed as the audit sniffs them): reading never
//! panics, every JSON record parses or is refused without a panic, and reading again from any
//! batch's checkpoint (what the collision check does) gives exactly the items the first read
//! gave from there on.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use samlfx_audit::columns::Columns;
use samlfx_audit::rows::{self, Batch, Checkpoint, Consumer, ItemRef, JsonFields, JsonPaths};
use samlfx_formula::schema::Schema;

/// Each item as text: its line, and its fields or record text or why it is unreadable.
#[derive(Default)]
struct Items {
    paths: Option<JsonPaths>,
    json: JsonFields,
    items: Vec<(u64, String)>,
    checkpoints: Vec<Checkpoint>,
}

impl Consumer for Items {
    fn columns(&mut self, columns: Columns) {
        self.paths = Some(JsonPaths::new(&columns.names));
    }

    fn batch(&mut self, batch: Batch) -> Option<Batch> {
        self.checkpoints.extend(batch.start);
        for k in 0..batch.len() {
            let item = match batch.item(k) {
                ItemRef::Row { line, row } => (line, format!("row {}|{}", row.get(0), row.get(1))),
                ItemRef::Json { line, text } => {
                    let paths = self.paths.as_ref().expect("columns before batches");
                    let parsed = match self.json.parse(paths, text) {
                        Ok(row) => format!("record {}|{}", row.get(0), row.get(1)),
                        Err(why) => format!("refused {why}"),
                    };
                    (line, parsed)
                }
                ItemRef::Unreadable { line, diagnostic } => (line, format!("bad {}", diagnostic.code)),
            };
            self.items.push(item);
        }
        Some(batch)
    }
}

fuzz_target!(|data: &[u8]| {
    let file: PathBuf = std::env::temp_dir().join(format!("samlfx-fuzz-rows-{}", std::process::id()));
    std::fs::write(&file, data).expect("the temporary directory is writable");
    let path = file.to_string_lossy().into_owned();
    let wanted = vec!["Id".to_owned(), "Alias".to_owned(), "Profile.Name".to_owned()];
    let schema = Schema::default();
    let Ok(opened) = samlfx_audit::open(&path) else {
        return;
    };
    let format = opened.format;
    let mut first = Items::default();
    if rows::read(opened, &path, &wanted, &schema, &mut first).is_err() {
        return;
    }
    for cp in first.checkpoints.clone() {
        let mut again = Items::default();
        rows::read_at(&file, format, &path, &wanted, &schema, cp, &mut again)
            .expect("a file read once reads again from a checkpoint");
        let from = usize::try_from(cp.ordinal).expect("an ordinal fits");
        assert_eq!(again.items[..], first.items[from..], "the same items from the checkpoint on");
    }
});
