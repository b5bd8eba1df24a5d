//! The audit itself: every row of an export through the app's compiled formulas and AWS's rules,
//! on `jobs` threads, outcomes delivered in input order.
//!
//! A reader thread fills batches of rows ([`rows::Batch`]); `jobs` workers audit whole batches,
//! each with its own context, and hand back per batch the counts, the outcomes worth reporting
//! (users with findings, unreadable rows) and the collision index's entries; the calling thread
//! merges the batches in input order. A user without findings costs no allocation beyond the
//! values the formulas build.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use samlfx_aws::attribute::{self, Kind};
use samlfx_aws::profile::Profile;
use samlfx_aws::rules::{self, FindingsMemo, ValueCheck};
use samlfx_diag::report::Severities;
use samlfx_diag::{Code, Diagnostic, Severity};
use samlfx_formula::Type;
use samlfx_formula::Value;
use samlfx_formula::id::{self, IdLength};
use samlfx_formula::program::{CompileOptions, Compiled, Program};
use samlfx_formula::runtime::context::parse_value;
use samlfx_formula::runtime::{Context, ContextOptions};
use samlfx_formula::schema::{Schema, custom_name};

use crate::collisions::{self, Collision, Index, Recovered, UserRef};
use crate::columns::{self, Columns, Target};
use crate::input::{self, Format, Opened, Reread};
use crate::query;
use crate::rows::{self, Batch, Checkpoint, Consumer, ItemRef, JsonFields, JsonPaths, RowRef};

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
    /// AWS's rules for the attribute's values, prepared once.
    rules: Option<ValueCheck>,
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

/// What happened to one user (one row or record) worth reporting: a user with findings, or a
/// row that could not be read. Users without findings are only counted.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub line: u64,
    pub id: String,
    pub username: String,
    pub inactive: bool,
    pub findings: Vec<Finding>,
    /// Why the row could not be read; then nothing was evaluated.
    pub unreadable: Option<Diagnostic>,
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
    /// The columns the formulas read (the only ones put into a user's context).
    read: Vec<String>,
    opts: AuditOptions,
    policy: Severities,
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

/// How one export's columns are used: all of them for the user's identity, the ones the
/// formulas read for the context.
struct Plan {
    columns: Columns,
    sets: Vec<(usize, Target)>,
    json: JsonPaths,
}

/// What auditing one batch gives the merge.
struct Done {
    seq: u64,
    users: u64,
    evaluated: u64,
    unreadable: u64,
    inactive: u64,
    outcomes: Vec<Outcome>,
    keys: Vec<(u64, u64)>,
    /// Where the batch began in the export.
    start: Option<Checkpoint>,
}

/// One thread's state: its context and scratch buffers, reused from row to row.
struct Worker<'a> {
    audit: &'a Audit,
    state: RowState,
    json: JsonFields,
}

/// What auditing a row reuses from the row before: the context, and per attribute the
/// findings of failing values already worded.
struct RowState {
    ctx: Context,
    memos: Vec<FindingsMemo>,
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
        let read = query::referenced(attributes.iter().map(|(_, f, _)| f.as_str()));
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
                    rules: rules.map(|r| ValueCheck::new(r, opts.profile)),
                    session_name,
                }
            })
            .collect();
        Audit {
            attributes,
            base,
            schema,
            wanted,
            read,
            opts,
            policy: Severities::new(),
        }
    }

    /// Applies `--allow`/`--warn`/`--deny` (and an app's `[severity]`) to every finding, before
    /// users are counted as failing. Row- and file-level diagnostics are left to the caller.
    pub fn with_policy(mut self, policy: Severities) -> Audit {
        self.policy = policy;
        self
    }

    /// The attribute keys, in the app's order ([`Finding::attribute`] indexes them).
    pub fn keys(&self) -> Vec<&str> {
        self.attributes.iter().map(|a| a.key.as_str()).collect()
    }

    /// The columns a JSON export is read for, and `--print-query` selects.
    pub fn columns(&self) -> &[String] {
        &self.wanted
    }

    fn plan(&self, columns: Columns) -> Plan {
        let sets = columns
            .targets
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                **t != Target::Ignored
                    && self
                        .read
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(&columns.names[*i]))
            })
            .map(|(i, t)| (i, t.clone()))
            .collect();
        Plan {
            json: JsonPaths::new(&columns.names),
            columns,
            sets,
        }
    }

    fn worker(&self) -> Worker<'_> {
        Worker {
            audit: self,
            state: RowState {
                ctx: self.base.clone(),
                memos: self
                    .attributes
                    .iter()
                    .map(|_| FindingsMemo::default())
                    .collect(),
            },
            json: JsonFields::default(),
        }
    }

    /// Reads `opened` and audits every user; `sink` sees, in input order, each user with a
    /// finding and each unreadable row (users without findings are only counted). `path` is
    /// the name diagnostics give the export.
    pub fn run(&self, opened: Opened, path: &str, sink: &mut dyn FnMut(&Outcome)) -> Totals {
        self.run_observed(opened, path, sink, &mut || {})
    }

    /// [`Self::run`], calling `tick` after each batch of users (for a progress bar).
    pub fn run_observed(
        &self,
        opened: Opened,
        path: &str,
        sink: &mut dyn FnMut(&Outcome),
        tick: &mut dyn FnMut(),
    ) -> Totals {
        let again = opened.again.clone();
        let format = opened.format;
        let mut merge = Merge {
            audit: self,
            totals: Totals::default(),
            index: Index::default(),
            checkpoints: Vec::new(),
            sink,
            tick,
        };
        let result = if self.opts.jobs <= 1 {
            let mut inline = Inline {
                worker: self.worker(),
                merge: &mut merge,
                plan: None,
                seq: 0,
            };
            rows::read(opened, path, &self.wanted, &self.schema, &mut inline)
        } else {
            self.run_threads(opened, path, &mut merge)
        };
        let Merge {
            mut totals,
            index,
            checkpoints,
            ..
        } = merge;
        if let Err(d) = result {
            totals.diagnostics.insert(0, d);
            totals.fatal = true;
            return totals;
        }
        let candidates = index.candidates();
        if !candidates.is_empty() {
            let recovered = match again.unavailable() {
                Some(d) => Err(d),
                None if again.seekable => {
                    self.recover_at(&again, format, path, &candidates, &checkpoints)
                }
                None => self.recover(&again, path, &candidates),
            };
            match recovered {
                Ok(r) => totals.collisions = collisions::group(r, &self.keys()),
                Err(d) => totals.diagnostics.push(
                    Diagnostic::new(
                        Code::UnreadableUserFile,
                        format!(
                            "`{path}` could not be read a second time to name the users who share a RoleSessionName: {}",
                            d.message
                        ),
                    )
                    .with_help(d.help.unwrap_or_else(|| {
                        "the export changed or went away during the audit: run it again".to_owned()
                    })),
                ),
            }
        }
        totals
    }

    /// The session-name values of the users at `candidates` (sorted ordinals), read again
    /// from the top of `again` (gzip cannot start in the middle).
    fn recover(
        &self,
        again: &Reread,
        path: &str,
        candidates: &[u64],
    ) -> Result<Vec<Recovered>, Diagnostic> {
        let opened = input::open(&again.file.to_string_lossy())?;
        let mut pass = Again::new(self.worker(), candidates);
        rows::read(opened, path, &self.wanted, &self.schema, &mut pass)?;
        Ok(pass.out)
    }

    /// [`Self::recover`] for a plain file: for each batch holding candidates, the read starts
    /// at the batch's checkpoint and stops after its last candidate, so a few colliding users
    /// cost a few batches, not a second read of the whole export.
    fn recover_at(
        &self,
        again: &Reread,
        format: Format,
        path: &str,
        candidates: &[u64],
        checkpoints: &[Checkpoint],
    ) -> Result<Vec<Recovered>, Diagnostic> {
        let mut out = Vec::new();
        let mut rest = candidates;
        while let Some(&first) = rest.first() {
            // The last checkpoint at or before the first candidate left, and the candidates
            // before the next checkpoint.
            let k = checkpoints.partition_point(|cp| cp.ordinal <= first);
            let Some(cp) = k.checked_sub(1).map(|k| checkpoints[k]) else {
                return self.recover(again, path, candidates);
            };
            let end = checkpoints.get(k).map_or(u64::MAX, |next| next.ordinal);
            let n = rest.partition_point(|&c| c < end);
            let mut pass = Again::new(self.worker(), &rest[..n]);
            rows::read_at(
                &again.file,
                format,
                path,
                &self.wanted,
                &self.schema,
                cp,
                &mut pass,
            )?;
            out.append(&mut pass.out);
            rest = &rest[n..];
        }
        Ok(out)
    }

    fn run_threads(
        &self,
        opened: Opened,
        path: &str,
        merge: &mut Merge<'_>,
    ) -> Result<(), Diagnostic> {
        let jobs = self.opts.jobs;
        type Work = (u64, Arc<Plan>, Batch);
        let (work_tx, work_rx) = mpsc::sync_channel::<Work>(jobs * 2);
        let work_rx = Mutex::new(work_rx);
        let (done_tx, done_rx) = mpsc::sync_channel::<Done>(jobs * 2);
        let (plan_tx, plan_rx) = mpsc::channel::<Arc<Plan>>();
        let (back_tx, back_rx) = mpsc::channel::<Batch>();
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut sender = Sender {
                    audit: self,
                    plan: None,
                    plan_tx,
                    work_tx,
                    back_rx,
                    seq: 0,
                };
                rows::read(opened, path, &self.wanted, &self.schema, &mut sender)
            });
            for _ in 0..jobs {
                let done_tx = done_tx.clone();
                let back_tx = back_tx.clone();
                let work_rx = &work_rx;
                scope.spawn(move || {
                    let mut worker = self.worker();
                    loop {
                        let next = work_rx.lock().map(|rx| rx.recv());
                        let Ok(Ok((seq, plan, batch))) = next else {
                            break;
                        };
                        let done = worker.batch(seq, &plan, &batch);
                        let _ = back_tx.send(batch);
                        if done_tx.send(done).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(done_tx);
            drop(back_tx);
            let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
            let mut next = 0u64;
            let mut got_columns = false;
            for done in done_rx {
                if !got_columns && let Ok(p) = plan_rx.try_recv() {
                    merge.columns(&p.columns);
                    got_columns = true;
                }
                pending.insert(done.seq, done);
                while let Some(done) = pending.remove(&next) {
                    merge.take(done);
                    next += 1;
                }
            }
            if !got_columns && let Ok(p) = plan_rx.try_recv() {
                merge.columns(&p.columns);
            }
            reader.join().unwrap_or_else(|_| {
                Err(Diagnostic::new(
                    Code::UnreadableUserFile,
                    "the reader stopped",
                ))
            })
        })
    }
}

/// The reader thread's end of the pipeline: batches to the workers, emptied ones back.
struct Sender<'a> {
    audit: &'a Audit,
    plan: Option<Arc<Plan>>,
    plan_tx: mpsc::Sender<Arc<Plan>>,
    work_tx: mpsc::SyncSender<(u64, Arc<Plan>, Batch)>,
    back_rx: mpsc::Receiver<Batch>,
    seq: u64,
}

impl Consumer for Sender<'_> {
    fn columns(&mut self, columns: Columns) {
        let plan = Arc::new(self.audit.plan(columns));
        let _ = self.plan_tx.send(plan.clone());
        self.plan = Some(plan);
    }

    fn batch(&mut self, batch: Batch) -> Option<Batch> {
        let plan = self.plan.clone()?;
        self.work_tx.send((self.seq, plan, batch)).ok()?;
        self.seq += 1;
        Some(self.back_rx.try_recv().unwrap_or_default())
    }
}

/// One thread: each batch audited and merged as soon as it is read.
struct Inline<'a, 'm> {
    worker: Worker<'a>,
    merge: &'m mut Merge<'a>,
    plan: Option<Plan>,
    seq: u64,
}

impl Consumer for Inline<'_, '_> {
    fn columns(&mut self, columns: Columns) {
        self.merge.columns(&columns);
        self.plan = Some(self.worker.audit.plan(columns));
    }

    fn batch(&mut self, batch: Batch) -> Option<Batch> {
        let plan = self.plan.as_ref()?;
        let done = self.worker.batch(self.seq, plan, &batch);
        self.seq += 1;
        self.merge.take(done);
        Some(batch)
    }
}

/// The second read for collisions: only the candidates' rows are evaluated, and the read stops
/// after the last of them.
struct Again<'a, 'c> {
    worker: Worker<'a>,
    plan: Option<Plan>,
    candidates: &'c [u64],
    at: usize,
    out: Vec<Recovered>,
}

impl<'a, 'c> Again<'a, 'c> {
    fn new(worker: Worker<'a>, candidates: &'c [u64]) -> Self {
        Again {
            worker,
            plan: None,
            candidates,
            at: 0,
            out: Vec::new(),
        }
    }
}

impl Consumer for Again<'_, '_> {
    fn columns(&mut self, columns: Columns) {
        self.plan = Some(self.worker.audit.plan(columns));
    }

    fn batch(&mut self, batch: Batch) -> Option<Batch> {
        let plan = self.plan.as_ref()?;
        for k in 0..batch.len() {
            let ordinal = batch.first + k as u64;
            while self.candidates.get(self.at).is_some_and(|&c| c < ordinal) {
                self.at += 1;
            }
            if self.candidates.get(self.at) == Some(&ordinal) {
                self.worker
                    .values(ordinal, plan, batch.item(k), &mut self.out);
                self.at += 1;
            }
        }
        (self.at < self.candidates.len()).then_some(batch)
    }
}

impl Worker<'_> {
    /// Audits one batch.
    fn batch(&mut self, seq: u64, plan: &Plan, batch: &Batch) -> Done {
        let mut done = Done {
            seq,
            start: batch.start,
            users: batch.len() as u64,
            evaluated: 0,
            unreadable: 0,
            inactive: 0,
            outcomes: Vec::new(),
            keys: Vec::with_capacity(batch.len()),
        };
        let mut findings = Vec::new();
        for k in 0..batch.len() {
            let ordinal = batch.first + k as u64;
            let (line, result) = self.item(plan, batch.item(k), &mut findings, &mut |a, v| {
                done.keys.push((collisions::hash(a, v), ordinal));
            });
            match result {
                Err(d) => {
                    done.unreadable += 1;
                    findings.clear();
                    done.outcomes.push(Outcome {
                        line,
                        id: String::new(),
                        username: String::new(),
                        inactive: false,
                        findings: Vec::new(),
                        unreadable: Some(d),
                    });
                }
                Ok((inactive, id, username)) => {
                    done.evaluated += 1;
                    done.inactive += u64::from(inactive);
                    if !findings.is_empty() {
                        done.outcomes.push(Outcome {
                            line,
                            id: id.to_owned(),
                            username: username.to_owned(),
                            inactive,
                            findings: std::mem::take(&mut findings),
                            unreadable: None,
                        });
                    }
                }
            }
        }
        done
    }

    /// The session-name values of one item, for the second read.
    fn values(&mut self, ordinal: u64, plan: &Plan, item: ItemRef<'_>, out: &mut Vec<Recovered>) {
        let mut found: Vec<(usize, String)> = Vec::new();
        let mut findings = Vec::new();
        let (line, result) = self.item(plan, item, &mut findings, &mut |a, v| {
            found.push((a, v.to_owned()))
        });
        if let Ok((_, id, username)) = result {
            for (attribute, value) in found {
                out.push(Recovered {
                    ordinal,
                    attribute,
                    value,
                    user: UserRef {
                        id: id.to_owned(),
                        username: username.to_owned(),
                        line,
                    },
                });
            }
        }
    }

    /// One item: its line, and (whether inactive, Id, Username) or why it is unreadable.
    /// Findings go to `findings`, each session-name value to `session`.
    fn item<'s>(
        &'s mut self,
        plan: &'s Plan,
        item: ItemRef<'s>,
        findings: &mut Vec<Finding>,
        session: &mut dyn FnMut(usize, &str),
    ) -> (u64, Result<(bool, &'s str, &'s str), Diagnostic>) {
        let (line, row) = match item {
            ItemRef::Row { line, row } => (line, row),
            ItemRef::Unreadable { line, diagnostic } => {
                return (line, Err(diagnostic.clone()));
            }
            ItemRef::Json { line, text } => match self.json.parse(&plan.json, text) {
                Ok(row) => (line, row),
                Err(why) => {
                    return (
                        line,
                        Err(
                            Diagnostic::new(Code::UnreadableRow, format!("line {line}: {why}"))
                                .with_help("a User record is an object of field names to text, numbers, booleans or null, with Profile and UserRole as nested records"),
                        ),
                    );
                }
            },
        };
        let result = audit_row(
            self.audit,
            &mut self.state,
            plan,
            line,
            row,
            findings,
            session,
        );
        (line, result)
    }
}

/// One readable row through the formulas and rules.
fn audit_row<'r>(
    audit: &Audit,
    state: &mut RowState,
    plan: &Plan,
    line: u64,
    row: RowRef<'r>,
    findings: &mut Vec<Finding>,
    session: &mut dyn FnMut(usize, &str),
) -> Result<(bool, &'r str, &'r str), Diagnostic> {
    let RowState { ctx, memos } = state;
    let cols = &plan.columns;
    let id = cols.id.map_or("", |i| row.get(i));
    let username = cols.username.map_or("", |i| row.get(i));
    let unreadable = |code: Code, msg: String, help: String| {
        Diagnostic::new(code, format!("line {line}: {msg}")).with_help(help)
    };
    if id.is_empty() {
        return Err(unreadable(
            Code::InvalidUserId,
            "the user has no Id".into(),
            "every User row has an Id: export it (the first column of `--print-query`)".into(),
        ));
    }
    // The Id at the configured length, computed once: `$User.Id` is the same column.
    let user_id = match id::normalise(id, audit.opts.id_length) {
        Ok(norm) => norm,
        Err(e) => {
            return Err(unreadable(
                Code::InvalidUserId,
                format!("`{id}` is not a user Id: {}", e.reason),
                e.help,
            ));
        }
    };
    let mut inactive = false;
    if let Some(i) = cols.is_active {
        let v = row.get(i);
        let is = |s: &str| v.eq_ignore_ascii_case(s);
        if v.is_empty() || is("true") || v == "1" {
        } else if is("false") || v == "0" {
            inactive = true;
        } else {
            return Err(unreadable(
                Code::UnreadableRow,
                format!(
                    "IsActive is `{}`, neither true nor false",
                    v.to_ascii_lowercase()
                ),
                "IsActive is a checkbox: true or false".into(),
            ));
        }
    }
    if inactive {
        // An inactive user cannot sign in: counted apart, not checked.
        return Ok((true, id, username));
    }
    for (i, target) in &plan.sets {
        let raw = row.get(*i);
        let ty = match target {
            Target::Ignored => continue,
            Target::Merge(_, ty) | Target::Custom(_, ty) => *ty,
        };
        let value = if raw.is_empty() {
            Value::Null
        } else if Some(*i) == cols.id {
            Value::text(&*user_id)
        } else if ty == Type::Text || ty == Type::Picklist {
            Value::text(raw)
        } else {
            match parse_value(ty, raw) {
                Ok(v) => v,
                Err(why) => {
                    let name = &cols.names[*i];
                    return Err(unreadable(
                        Code::UnreadableRow,
                        format!("`{name}` is `{raw}`: {why}"),
                        format!("`{name}` holds a {ty:?}"),
                    ));
                }
            }
        };
        match target {
            Target::Merge(fid, _) => ctx.set_merge(*fid, value),
            Target::Custom(full, ty) => ctx.insert_record(full, *ty, value),
            Target::Ignored => {}
        }
    }
    let mut push = |attribute: usize, value: Option<&str>, d: Diagnostic| {
        if let Some(d) = audit.policy.apply(d) {
            findings.push(Finding {
                attribute,
                value: value.map(str::to_owned),
                diagnostic: d,
            });
        }
    };
    for (index, attr) in audit.attributes.iter().enumerate() {
        if let Some((value, found)) = &attr.constant {
            for d in found {
                push(index, value.as_deref(), d.clone());
            }
            if attr.session_name
                && let Some(v) = value.as_deref().filter(|v| !v.is_empty())
            {
                session(index, v);
            }
            continue;
        }
        match attr.program.eval(ctx) {
            Ok(value) => {
                let text: Cow<'_, str> = match &value {
                    Value::Text(s) => Cow::Borrowed(s),
                    Value::Null => Cow::Borrowed(""),
                    other => Cow::Owned(other.to_output().unwrap_or_default()),
                };
                if let Some(rules) = &attr.rules {
                    for d in rules.check_memo(&text, &mut memos[index]) {
                        push(index, Some(&text), d);
                    }
                }
                if attr.session_name && !text.is_empty() {
                    session(index, &text);
                }
            }
            Err(e) => push(index, None, e.to_diagnostic()),
        }
    }
    Ok((false, id, username))
}

/// Counts, per-code tallies and the collision index, fed in input order.
struct Merge<'a> {
    audit: &'a Audit,
    totals: Totals,
    index: Index,
    /// Where each batch began, in order: the collision check's second read starts there.
    checkpoints: Vec<Checkpoint>,
    sink: &'a mut dyn FnMut(&Outcome),
    tick: &'a mut dyn FnMut(),
}

impl Merge<'_> {
    /// Warns about columns the formulas read that the export lacks (they read as blank).
    fn columns(&mut self, cols: &Columns) {
        for want in &self.audit.wanted {
            if cols.position(want).is_none() && !want.eq_ignore_ascii_case("IsActive") {
                let d = Diagnostic::new(
                    Code::MissingColumn,
                    format!("the export has no column `{want}`: every user reads it as blank"),
                )
                .with_help("export with the query `samlfx audit APP --print-query` prints");
                self.totals.diagnostics.push(d);
            }
        }
    }

    fn take(&mut self, done: Done) {
        let t = &mut self.totals;
        t.users += done.users;
        t.evaluated += done.evaluated;
        t.unreadable += done.unreadable;
        t.inactive += done.inactive;
        for o in &done.outcomes {
            if o.unreadable.is_none() {
                if o.fails() {
                    t.failing += 1;
                }
                let codes: HashSet<Code> = o.findings.iter().map(|f| f.diagnostic.code).collect();
                for code in codes {
                    *t.by_code.entry(code).or_default() += 1;
                }
            }
            (self.sink)(o);
        }
        self.index.extend(&done.keys);
        self.checkpoints.extend(done.start);
        (self.tick)();
    }
}
