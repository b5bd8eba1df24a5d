//! The audit itself: every row of an export through the app's compiled formulas and AWS's rules,
//! on `jobs` threads, outcomes delivered in input order.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use samlfx_aws::attribute::{self, Attribute, Kind};
use samlfx_aws::profile::Profile;
use samlfx_aws::rules;
use samlfx_diag::{Code, Diagnostic, Severity};
use samlfx_formula::Type;
use samlfx_formula::Value;
use samlfx_formula::id::{self, IdLength};
use samlfx_formula::program::{CompileOptions, Compiled, Program};
use samlfx_formula::runtime::context::parse_value;
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::schema::{Schema, custom_name};

use crate::collisions::{Collision, Collisions, UserRef};
use crate::columns::{self, Columns, Target};
use crate::input::Opened;
use crate::query;
use crate::rows::{self, Event, Item, Row};

/// Rows handed to a worker at a time: large enough to amortise the channel, small enough to
/// keep memory flat.
const CHUNK: usize = 1024;

/// How the audit runs.
#[derive(Clone, Copy, Debug)]
pub struct AuditOptions {
    pub profile: Profile,
    pub id_length: IdLength,
    /// Threads evaluating rows (at least 1).
    pub jobs: usize,
}

/// One attribute of the app, compiled once.
#[derive(Clone, Debug)]
struct Compiled1 {
    key: String,
    program: Program,
    /// A constant formula's value and findings, computed once for every user.
    constant: Option<(Option<String>, Vec<Diagnostic>)>,
    rules: Option<Attribute>,
    session_name: bool,
}

/// A rule broken or an evaluation error, for one user and attribute.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Index into [`Audit::keys`].
    pub attribute: usize,
    /// The value the formula gave; `None` when evaluation failed.
    pub value: Option<String>,
    pub diagnostic: Diagnostic,
}

/// What happened to one user (one row or record), in input order.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub line: u64,
    pub id: String,
    pub username: String,
    pub inactive: bool,
    pub findings: Vec<Finding>,
    /// Why the row could not be read; then nothing was evaluated.
    pub unreadable: Option<Diagnostic>,
    /// The RoleSessionName value, for the collision index.
    session_name: Option<(usize, String)>,
}

impl Outcome {
    /// Whether any finding is an error: the user would be refused.
    pub fn fails(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.diagnostic.severity == Severity::Error)
    }
}

/// The counts and cross-user findings of a whole run.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// Rows and records read.
    pub users: u64,
    pub evaluated: u64,
    pub unreadable: u64,
    /// Users with at least one error-level finding.
    pub failing: u64,
    pub inactive: u64,
    /// Users per finding code (unreadable rows are counted apart).
    pub by_code: BTreeMap<Code, u64>,
    pub collisions: Vec<Collision>,
    /// File-level problems: the export ended early or could not be read, a column is missing.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether a file-level error stopped the read (an input error, exit status 2).
    pub fatal: bool,
}

/// An app's attributes compiled for auditing, with the context every user starts from.
pub struct Audit {
    attributes: Vec<Compiled1>,
    base: Context,
    schema: Schema,
    wanted: Vec<String>,
    opts: AuditOptions,
}

/// The schema `declared` extended with every custom field the formulas read and nobody
/// declared, as Text (a CSV column is text).
pub fn schema_for<'a>(declared: &Schema, formulas: impl IntoIterator<Item = &'a str>) -> Schema {
    let mut schema = declared.clone();
    for col in query::columns(formulas) {
        let (global, field) = columns::split(&col);
        if let Some(full) = custom_name(global, field)
            && schema.get(&full).is_none()
        {
            schema.infer(&full, Type::Text, false);
        }
    }
    schema
}

/// Compiles one attribute's formula as a SAML attribute (Text) against `schema`.
pub fn compile(formula: &str, schema: &Schema) -> Compiled {
    Program::compile(
        formula,
        &CompileOptions {
            expected: Some(Type::Text),
            schema: Some(schema.clone()),
            ..CompileOptions::default()
        },
    )
}

impl Audit {
    /// `attributes` are (key, formula text, program); `base` holds `$Organization` (from
    /// `--org`) and the schema.
    pub fn new(
        attributes: Vec<(String, String, Program)>,
        base: Context,
        opts: AuditOptions,
    ) -> Audit {
        let wanted = query::columns(attributes.iter().map(|(_, f, _)| f.as_str()));
        let schema = base.schema().clone();
        let attributes = attributes
            .into_iter()
            .map(|(key, _, program)| {
                let rules = match attribute::lookup(&key) {
                    attribute::Lookup::Known(a) => Some(a),
                    attribute::Lookup::NearMiss { intended, .. } => Some(intended),
                    _ => None,
                };
                let session_name = rules
                    .as_ref()
                    .is_some_and(|a| a.kind() == Kind::RoleSessionName);
                let constant = program.is_constant().then(|| {
                    let ctx = Context::new(ContextOptions {
                        id_length: opts.id_length,
                    });
                    match program.eval(&ctx) {
                        Ok(v) => {
                            let text = v.to_output().unwrap_or_default();
                            let found = rules.as_ref().map_or_else(Vec::new, |r| {
                                rules::check_value(r, &text, opts.profile)
                            });
                            (Some(text), found)
                        }
                        Err(e) => (None, vec![e.to_diagnostic()]),
                    }
                });
                Compiled1 {
                    key,
                    program,
                    constant,
                    rules,
                    session_name,
                }
            })
            .collect();
        Audit {
            attributes,
            base,
            schema,
            wanted,
            opts,
        }
    }

    /// The attribute keys, in the app's order ([`Finding::attribute`] indexes them).
    pub fn keys(&self) -> Vec<&str> {
        self.attributes.iter().map(|a| a.key.as_str()).collect()
    }

    /// The columns a JSON export is read for, and `--print-query` selects.
    pub fn columns(&self) -> &[String] {
        &self.wanted
    }

    /// Reads `opened` and audits every user; `sink` sees each outcome in input order.
    pub fn run(&self, opened: Opened, path: &str, sink: &mut dyn FnMut(&Outcome)) -> Totals {
        let mut merge = Merge::new(self);
        let result = if self.opts.jobs <= 1 {
            self.run_inline(opened, path, &mut merge, sink)
        } else {
            self.run_threads(opened, path, &mut merge, sink)
        };
        let mut totals = merge.finish();
        if let Err(d) = result {
            totals.diagnostics.insert(0, d);
            totals.fatal = true;
        }
        totals
    }

    fn run_inline(
        &self,
        opened: Opened,
        path: &str,
        merge: &mut Merge<'_>,
        sink: &mut dyn FnMut(&Outcome),
    ) -> Result<(), Diagnostic> {
        let mut ctx = self.base.clone();
        let mut columns = None;
        rows::read(
            opened,
            path,
            &self.wanted,
            &self.schema,
            &mut |event| match event {
                Event::Columns(c) => {
                    merge.columns(&c);
                    columns = Some(c);
                }
                Event::Item(item) => {
                    if let Some(cols) = &columns {
                        let outcome = self.audit_item(item, cols, &mut ctx);
                        merge.take(&outcome);
                        sink(&outcome);
                    }
                }
            },
        )
    }

    fn run_threads(
        &self,
        opened: Opened,
        path: &str,
        merge: &mut Merge<'_>,
        sink: &mut dyn FnMut(&Outcome),
    ) -> Result<(), Diagnostic> {
        let jobs = self.opts.jobs;
        type Chunk = (u64, Arc<Columns>, Vec<Item>);
        let (work_tx, work_rx) = mpsc::sync_channel::<Chunk>(jobs * 2);
        let work_rx = Mutex::new(work_rx);
        let (done_tx, done_rx) = mpsc::sync_channel::<(u64, Vec<Outcome>)>(jobs * 2);
        let (cols_tx, cols_rx) = mpsc::channel::<Arc<Columns>>();
        std::thread::scope(|scope| {
            let reader =
                scope.spawn(move || {
                    let mut columns: Option<Arc<Columns>> = None;
                    let mut chunk = Vec::with_capacity(CHUNK);
                    let mut seq = 0u64;
                    let result =
                        rows::read(opened, path, &self.wanted, &self.schema, &mut |event| {
                            match event {
                                Event::Columns(c) => {
                                    let c = Arc::new(c);
                                    let _ = cols_tx.send(c.clone());
                                    columns = Some(c);
                                }
                                Event::Item(item) => {
                                    chunk.push(item);
                                    if chunk.len() == CHUNK
                                        && let Some(c) = &columns
                                    {
                                        let full = std::mem::replace(
                                            &mut chunk,
                                            Vec::with_capacity(CHUNK),
                                        );
                                        let _ = work_tx.send((seq, c.clone(), full));
                                        seq += 1;
                                    }
                                }
                            }
                        });
                    if !chunk.is_empty()
                        && let Some(c) = &columns
                    {
                        let _ = work_tx.send((seq, c.clone(), chunk));
                    }
                    result
                });
            for _ in 0..jobs {
                let done_tx = done_tx.clone();
                let work_rx = &work_rx;
                scope.spawn(move || {
                    let mut ctx = self.base.clone();
                    loop {
                        let next = work_rx.lock().map(|rx| rx.recv());
                        let Ok(Ok((seq, cols, items))) = next else {
                            break;
                        };
                        let outs = items
                            .into_iter()
                            .map(|item| self.audit_item(item, &cols, &mut ctx))
                            .collect();
                        if done_tx.send((seq, outs)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            let mut pending: BTreeMap<u64, Vec<Outcome>> = BTreeMap::new();
            let mut next = 0u64;
            let mut got_columns = false;
            for (seq, outs) in done_rx {
                if !got_columns && let Ok(c) = cols_rx.try_recv() {
                    merge.columns(&c);
                    got_columns = true;
                }
                pending.insert(seq, outs);
                while let Some(outs) = pending.remove(&next) {
                    for o in &outs {
                        merge.take(o);
                        sink(o);
                    }
                    next += 1;
                }
            }
            if !got_columns && let Ok(c) = cols_rx.try_recv() {
                merge.columns(&c);
            }
            reader.join().unwrap_or_else(|_| {
                Err(Diagnostic::new(
                    Code::UnreadableUserFile,
                    "the reader stopped",
                ))
            })
        })
    }

    /// One item to its outcome; `ctx` is this thread's, every column overwritten per row.
    fn audit_item(&self, item: Item, cols: &Columns, ctx: &mut Context) -> Outcome {
        match item {
            Item::Unreadable { line, diagnostic } => Outcome {
                line,
                id: String::new(),
                username: String::new(),
                inactive: false,
                findings: Vec::new(),
                unreadable: Some(diagnostic),
                session_name: None,
            },
            Item::Row(row) => self.audit_row(&row, cols, ctx),
        }
    }

    fn audit_row(&self, row: &Row, cols: &Columns, ctx: &mut Context) -> Outcome {
        let line = row.line;
        let id = cols.id.map_or("", |i| row.get(i)).to_owned();
        let username = cols.username.map_or("", |i| row.get(i)).to_owned();
        let mut out = Outcome {
            line,
            id,
            username,
            inactive: false,
            findings: Vec::new(),
            unreadable: None,
            session_name: None,
        };
        let unreadable = |code: Code, msg: String, help: String| {
            Some(Diagnostic::new(code, format!("line {line}: {msg}")).with_help(help))
        };
        if out.id.is_empty() {
            out.unreadable = unreadable(
                Code::InvalidUserId,
                "the user has no Id".into(),
                "every User row has an Id: export it (the first column of `--print-query`)".into(),
            );
            return out;
        }
        if let Err(e) = id::normalise(&out.id, self.opts.id_length) {
            out.unreadable = unreadable(
                Code::InvalidUserId,
                format!("`{}` is not a user Id: {}", out.id, e.reason),
                e.help,
            );
            return out;
        }
        if let Some(i) = cols.is_active {
            match row.get(i).to_ascii_lowercase().as_str() {
                "" | "true" | "1" => {}
                "false" | "0" => out.inactive = true,
                other => {
                    out.unreadable = unreadable(
                        Code::UnreadableRow,
                        format!("IsActive is `{other}`, neither true nor false"),
                        "IsActive is a checkbox: true or false".into(),
                    );
                    return out;
                }
            }
        }
        if out.inactive {
            // An inactive user cannot sign in: counted apart, not checked.
            return out;
        }
        for (i, target) in cols.targets.iter().enumerate() {
            let raw = row.get(i);
            let (ty, name) = match target {
                Target::Ignored => continue,
                Target::Merge(_, ty) | Target::Custom(_, ty) => (*ty, &cols.names[i]),
            };
            let value = if raw.is_empty() {
                Value::Null
            } else if ty == Type::Text || ty == Type::Picklist {
                Value::text(raw)
            } else {
                match parse_value(ty, raw) {
                    Ok(v) => v,
                    Err(why) => {
                        out.unreadable = unreadable(
                            Code::UnreadableRow,
                            format!("`{name}` is `{raw}`: {why}"),
                            format!("`{name}` holds a {ty:?}"),
                        );
                        return out;
                    }
                }
            };
            match target {
                Target::Merge(fid, _) => ctx.set_merge(*fid, value),
                Target::Custom(full, ty) => ctx.insert_record(full, *ty, value),
                Target::Ignored => {}
            }
        }
        for (index, attr) in self.attributes.iter().enumerate() {
            if let Some((value, found)) = &attr.constant {
                out.findings.extend(found.iter().map(|d| Finding {
                    attribute: index,
                    value: value.clone(),
                    diagnostic: d.clone(),
                }));
                if attr.session_name
                    && let Some(v) = value.as_ref().filter(|v| !v.is_empty())
                {
                    out.session_name = Some((index, v.clone()));
                }
                continue;
            }
            match attr.program.eval(ctx) {
                Ok(value) => {
                    let text = value.to_output().unwrap_or_default();
                    if let Some(rules) = &attr.rules {
                        for d in rules::check_value(rules, &text, self.opts.profile) {
                            out.findings.push(Finding {
                                attribute: index,
                                value: Some(text.clone()),
                                diagnostic: d,
                            });
                        }
                    }
                    if attr.session_name && !text.is_empty() {
                        out.session_name = Some((index, text));
                    }
                }
                Err(e) => out.findings.push(Finding {
                    attribute: index,
                    value: None,
                    diagnostic: e.to_diagnostic(),
                }),
            }
        }
        out
    }
}

/// Counts, per-code tallies and the collision index, fed in input order.
struct Merge<'a> {
    audit: &'a Audit,
    totals: Totals,
    collisions: Collisions,
}

impl<'a> Merge<'a> {
    fn new(audit: &'a Audit) -> Self {
        Merge {
            audit,
            totals: Totals::default(),
            collisions: Collisions::default(),
        }
    }

    /// Warns about columns the formulas read that the export lacks (they read as blank).
    fn columns(&mut self, cols: &Columns) {
        for want in &self.audit.wanted {
            if cols.position(want).is_none() && !want.eq_ignore_ascii_case("IsActive") {
                self.totals.diagnostics.push(
                    Diagnostic::new(
                        Code::MissingColumn,
                        format!("the export has no column `{want}`: every user reads it as blank"),
                    )
                    .with_help("export with the query `samlfx audit APP --print-query` prints"),
                );
            }
        }
    }

    fn take(&mut self, o: &Outcome) {
        let t = &mut self.totals;
        t.users += 1;
        if o.unreadable.is_some() {
            t.unreadable += 1;
            return;
        }
        t.evaluated += 1;
        if o.inactive {
            t.inactive += 1;
        }
        if o.fails() {
            t.failing += 1;
        }
        let mut codes: HashMap<Code, ()> = HashMap::new();
        for f in &o.findings {
            codes.insert(f.diagnostic.code, ());
        }
        for code in codes.into_keys() {
            *t.by_code.entry(code).or_default() += 1;
        }
        if let Some((index, value)) = &o.session_name {
            let key = &self.audit.attributes[*index].key;
            let user = UserRef {
                id: o.id.clone(),
                username: o.username.clone(),
                line: o.line,
            };
            self.collisions.add(*index, key, value, &user);
        }
    }

    fn finish(mut self) -> Totals {
        self.totals.collisions = std::mem::take(&mut self.collisions.found);
        self.totals
    }
}
