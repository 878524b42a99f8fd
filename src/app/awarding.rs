//! Awarding: one badge ([`App::award`]) or every row of a CSV file
//! ([`App::award_csv_with`]), through one path.
//!
//! Everything an award needs from the database (the issuer, its keys, the
//! class, the status positions already taken) is read once per run, and
//! the would-be publish folder is written once to a scratch copy for the
//! self-check. Then the per-award work, which needs no database (checking
//! the input, signing, baking, the self-check through `DirFetch`, the
//! `.eml` draft), runs on the shared worker pool (`pool`), each award's
//! files written into one scratch folder of the run inside the output
//! folder. The calling thread takes the finished awards back in input
//! order, reports each one, and stores them [`CHUNK`] at a time in one
//! transaction, in which the files are flushed and renamed into place
//! before the commit (removed again if it fails): an award is stored with
//! its files, or neither is. Stopping (cancel or a failed award) stores
//! the awards already reported and drops the rest, whose files go with the
//! scratch folder.
//!
//! Status list positions are drawn at random, each checked against the
//! positions the issuer's lists already hold and those drawn in this run;
//! the database's unique index refuses one another program took meanwhile.

use super::issuer::{identity_of, invalid, recipient_of};
use super::{App, AppError, AwardDone, BulkOptions, BulkReport, BulkRow, ErrorCode};
use crate::issuer::publish::{self, CheckSite, Expect, State};
use crate::issuer::{self, docs, AwardInput, Format, Identity, SigningKeys};
use crate::store::{AwardRecord, ClassRecord, IdentityKind, IssuerRecord, NewAward};
use crate::verify::Verdict;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};

/// Awards stored per database transaction.
const CHUNK: usize = 200;
/// How many awards the workers may finish ahead of the one the calling
/// thread waits for (bounds the memory a long file takes).
const AHEAD: usize = 64;

/// One award to make, its input checked.
struct Planned {
    /// Its line in the CSV file (0 for a single award).
    line: u64,
    input: AwardInput,
    kind: IdentityKind,
    recipient: String,
    issued_on: i64,
    expires: Option<i64>,
    evidence_url: Option<String>,
}

/// An award made (signed, baked, checked, its files in the scratch folder)
/// but not stored yet.
struct Made {
    /// The record as it will be stored (its number is the store's).
    record: AwardRecord,
    status: Vec<(&'static str, u64)>,
    /// The file names, in the scratch folder and then in the output folder.
    files: Vec<String>,
    note: Option<String>,
}

/// How a run ended: the awards stored (input position, award) and, if it
/// stopped early, why.
#[derive(Default)]
struct Went {
    stored: Vec<(usize, AwardDone)>,
    failed: Option<(usize, AppError)>,
    cancelled: bool,
}

/// Checks one award's input against its class as of `now`.
fn plan(c: &ClassRecord, now: i64, line: u64, input: &AwardInput) -> Result<Planned, AppError> {
    let (kind, recipient) = recipient_of(&input.recipient)?;
    let format = Format::parse(&c.format)?;
    if kind == IdentityKind::Did && format != Format::Ob3 {
        return Err(invalid(format!(
            "OB 2.0 badges cannot name a DID as recipient; award {recipient} a class with --format ob3"
        )));
    }
    let issued_on = input.issued_on.unwrap_or(now);
    let expires = match (input.expires, &c.valid_for) {
        (Some(e), _) => Some(e),
        (None, Some(v)) => Some(issuer::add_valid_for(issued_on, v)?),
        (None, None) => None,
    };
    if expires.is_some_and(|e| e <= issued_on) {
        return Err(invalid(
            "the expiry date is not after the issue date; give a later --expires".to_owned(),
        ));
    }
    if issued_on > now {
        return Err(invalid(
            "the issue date is in the future; give today or an earlier day".to_owned(),
        ));
    }
    let evidence_url = input
        .evidence_url
        .as_deref()
        .map(|u| issuer::check_web_url("evidence URL", u))
        .transpose()?;
    Ok(Planned {
        line,
        input: input.clone(),
        kind,
        recipient,
        issued_on,
        expires,
        evidence_url,
    })
}

fn io_error(out: &Path, e: &std::io::Error) -> AppError {
    AppError::new(
        ErrorCode::Io,
        format!(
            "the badge files could not be written to {} ({e}); check the folder and the free space",
            out.display()
        ),
    )
}

/// What every award of one run shares.
struct Run<'a> {
    app: &'a App,
    issuer: IssuerRecord,
    identity: Identity,
    class: ClassRecord,
    signing: SigningKeys,
    now: i64,
    out: &'a Path,
    site: CheckSite,
    scratch: crate::atomic::Partial,
    /// The status positions taken, by purpose.
    taken: Mutex<HashMap<&'static str, HashSet<u64>>>,
}

impl<'a> Run<'a> {
    /// Reads what the run needs and writes the self-check's folder and the
    /// scratch folder (`out` exists).
    fn new(app: &'a App, class: ClassRecord, out: &'a Path) -> Result<Run<'a>, AppError> {
        let store = app.store();
        let i = App::issuer_record(&store, class.issuer_id)?;
        let identity = identity_of(&i);
        let keys = store.issuer_keys(i.id)?;
        let signing = app.keys().load(&keys)?;
        let classes = store.classes(Some(i.id))?;
        let mut taken = HashMap::new();
        for p in docs::PURPOSES {
            let used: HashSet<u64> = store
                .status_indexes(i.id, p)?
                .into_iter()
                .map(|(_, idx)| idx)
                .collect();
            taken.insert(p, used);
        }
        drop(store);
        // The folder as a new award sees it: the issuer's documents, keys,
        // classes and status lists (new awards change no bit), without the
        // other awards' hosted assertions.
        let folder = publish::build(
            &State {
                issuer: &i,
                identity: &identity,
                keys: &keys,
                classes: &classes,
                awards: &[],
                status: &[],
            },
            &signing,
        )?;
        let site = CheckSite::new(&folder, &out.join(".self-check"))?;
        let scratch_name = out.join(".awarding");
        crate::atomic::clean_stale(&scratch_name);
        let scratch = crate::atomic::Partial::dir(&scratch_name).map_err(|e| io_error(out, &e))?;
        Ok(Run {
            app,
            issuer: i,
            identity,
            class,
            signing,
            now: app.now(),
            out,
            site,
            scratch,
            taken: Mutex::new(taken),
        })
    }

    /// A free random position in the issuer's `purpose` list.
    fn take_position(&self, purpose: &'static str) -> Result<u64, AppError> {
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let used = taken.entry(purpose).or_default();
        for _ in 0..1000 {
            let idx = issuer::random_status_index()?;
            if used.insert(idx) {
                return Ok(idx);
            }
        }
        Err(invalid(format!(
            "the {purpose} status list of issuer {} is full",
            self.issuer.id
        )))
    }

    /// Signs, bakes and self-checks one award and writes its files into the
    /// scratch folder.
    fn make(&self, p: &Planned) -> Result<Made, AppError> {
        let c = &self.class;
        let hashed = p.kind != IdentityKind::Did && !p.input.plaintext;
        let text = |t: &Option<String>| t.clone().filter(|n| !n.trim().is_empty());
        let mut record = AwardRecord {
            id: 0,
            class_id: c.id,
            uid: issuer::new_uuid()?,
            recipient: p.recipient.clone(),
            recipient_kind: p.kind.as_str().to_owned(),
            hashed,
            salt: if hashed {
                Some(issuer::new_salt()?)
            } else {
                None
            },
            recipient_name: text(&p.input.name),
            issued_on: p.issued_on,
            expires: p.expires,
            narrative: text(&p.input.narrative),
            evidence_url: p.evidence_url.clone(),
            evidence_narrative: text(&p.input.evidence_narrative),
            document: String::new(),
            jwt: None,
            revoked: None,
            revocation_reason: None,
            suspended: false,
            status_changed: None,
            created: self.now,
        };
        let mut status = Vec::new();
        if Format::parse(&c.format)? == Format::Ob3 {
            let n = if c.suspendable { 2 } else { 1 };
            for purpose in docs::PURPOSES.iter().take(n).copied() {
                status.push((purpose, self.take_position(purpose)?));
            }
        }
        let issued = issuer::award::issue(
            &self.issuer,
            &self.identity,
            c,
            &record,
            &status,
            &self.signing,
        )?;
        record.document.clone_from(&issued.document);
        record.jwt.clone_from(&issued.jwt);
        if Format::parse(&c.format)? == Format::Ob2Hosted {
            self.site.add_hosted(&record)?;
        }
        let who = &p.recipient;
        let mut expect = vec![Expect {
            name: format!("the badge for {who}"),
            bytes: &issued.baked,
            recipient: who,
            verdict: Verdict::Verified,
        }];
        if let Some(jwt) = &issued.jwt {
            expect.push(Expect {
                name: format!("the VC-JWT for {who}"),
                bytes: jwt.as_bytes(),
                recipient: who,
                verdict: Verdict::Verified,
            });
        }
        self.site.check(&expect, self.now)?;
        let mut files = issued.files;
        let note = if p.input.eml {
            super::delivery::eml_draft(&self.issuer, c, &record, &mut files)?
        } else {
            None
        };
        for (name, bytes) in &files {
            let target = self.out.join(name);
            if target.exists() {
                return Err(invalid(format!(
                    "{} already exists; choose another output folder",
                    target.display()
                )));
            }
            std::fs::write(self.scratch.path().join(name), bytes)
                .map_err(|e| io_error(self.out, &e))?;
        }
        Ok(Made {
            record,
            status,
            files: files.into_iter().map(|(name, _)| name).collect(),
            note,
        })
    }

    /// Stores `made` in one transaction, with their files moved into the
    /// output folder before the commit (and removed again if it fails).
    fn store(&self, made: Vec<(usize, Made)>, went: &mut Went) -> Result<(), AppError> {
        let io = |e: std::io::Error| io_error(self.out, &e);
        let scratch: Vec<PathBuf> = made
            .iter()
            .flat_map(|(_, m)| m.files.iter().map(|f| self.scratch.path().join(f)))
            .collect();
        crate::atomic::sync_files(&scratch).map_err(io)?;
        let mut moved: Vec<PathBuf> = Vec::new();
        let store = self.app.store();
        let result = store.atomically(|s| -> Result<Vec<i64>, AppError> {
            let mut ids = Vec::with_capacity(made.len());
            for (_, m) in &made {
                let a = &m.record;
                let id = s.insert_award(&NewAward {
                    class_id: a.class_id,
                    uid: &a.uid,
                    recipient: &a.recipient,
                    recipient_kind: &a.recipient_kind,
                    hashed: a.hashed,
                    salt: a.salt.as_deref(),
                    recipient_name: a.recipient_name.as_deref(),
                    issued_on: a.issued_on,
                    expires: a.expires,
                    narrative: a.narrative.as_deref(),
                    evidence_url: a.evidence_url.as_deref(),
                    evidence_narrative: a.evidence_narrative.as_deref(),
                    document: &a.document,
                    jwt: a.jwt.as_deref(),
                    created: a.created,
                })?;
                for (purpose, idx) in &m.status {
                    if !s.take_status_index(self.issuer.id, purpose, *idx, id)? {
                        return Err(AppError::new(
                            ErrorCode::Busy,
                            format!(
                                "another program awarded badges of issuer {} at the same time; run the award again",
                                self.issuer.id
                            ),
                        ));
                    }
                }
                ids.push(id);
            }
            for name in made.iter().flat_map(|(_, m)| &m.files) {
                let target = self.out.join(name);
                if target.exists() {
                    return Err(invalid(format!(
                        "{} already exists; choose another output folder",
                        target.display()
                    )));
                }
                std::fs::rename(self.scratch.path().join(name), &target).map_err(io)?;
                moved.push(target);
            }
            crate::atomic::sync_dir(self.out).map_err(io)?;
            Ok(ids)
        });
        drop(store);
        let ids = match result {
            Ok(ids) => ids,
            Err(e) => {
                for f in &moved {
                    let _ = std::fs::remove_file(f);
                }
                return Err(e);
            }
        };
        for ((at, m), id) in made.into_iter().zip(ids) {
            went.stored.push((
                at,
                AwardDone {
                    id,
                    class: m.record.class_id,
                    recipient: m.record.recipient,
                    files: m
                        .files
                        .iter()
                        .map(|f| self.out.join(f).display().to_string())
                        .collect(),
                    note: m.note,
                },
            ));
        }
        Ok(())
    }

    /// Makes every award of `jobs` on the worker pool and stores them in
    /// input order, `progress(done, total)` after each one made; stops at
    /// the first that fails or when `cancel` is set, keeping those before.
    fn go(&self, jobs: &[Planned], progress: &dyn Fn(usize, usize), cancel: &AtomicBool) -> Went {
        let total = jobs.len();
        let source = Window::new(jobs, AHEAD);
        let halt = AtomicBool::new(false);
        let (send, receive) = std::sync::mpsc::channel::<(usize, Result<Made, AppError>)>();
        let cpus = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let mut went = Went::default();
        crate::pool::run(
            crate::pool::workers(cpus, total),
            &halt,
            &source,
            &|i, job: &Planned, _| {
                let made =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.make(job)))
                        .unwrap_or_else(|_| {
                            Err(AppError::new(
                                ErrorCode::Internal,
                                "making the award stopped unexpectedly".to_owned(),
                            ))
                        });
                let _ = send.send((i, made));
            },
            || {
                // However the loop ends (a panic in `progress` too), the
                // workers waiting for a job are let go.
                let _release = Release(&source);
                let mut early = BTreeMap::new();
                let mut chunk = Vec::new();
                let mut next = 0;
                while next < total && went.failed.is_none() {
                    if cancel.load(Ordering::SeqCst) {
                        went.cancelled = true;
                        break;
                    }
                    let made = match early.remove(&next) {
                        Some(m) => m,
                        None => match receive.recv() {
                            Ok((i, m)) if i == next => m,
                            Ok((i, m)) => {
                                early.insert(i, m);
                                continue;
                            }
                            Err(_) => break,
                        },
                    };
                    source.taken_back(next);
                    match made {
                        Ok(m) => {
                            chunk.push((next, m));
                            next += 1;
                            progress(next, total);
                        }
                        Err(e) => went.failed = Some((next, e)),
                    }
                    if chunk.len() >= CHUNK {
                        let at = chunk[0].0;
                        if let Err(e) = self.store(std::mem::take(&mut chunk), &mut went) {
                            went.failed = Some((at, e));
                        }
                    }
                }
                halt.store(true, Ordering::SeqCst);
                source.halt();
                if !chunk.is_empty() {
                    let at = chunk[0].0;
                    if let Err(e) = self.store(chunk, &mut went) {
                        went.failed.get_or_insert((at, e));
                    }
                }
            },
        );
        went
    }
}

/// The jobs of a slice for the pool, at most `ahead` past the last one the
/// calling thread took back, so finished work waiting to be stored stays
/// bounded however long the slice.
struct Window<'a, T> {
    items: &'a [T],
    ahead: usize,
    /// (next to hand out, first not to hand out yet, halted)
    state: Mutex<(usize, usize, bool)>,
    moved: Condvar,
}

impl<'a, T> Window<'a, T> {
    fn new(items: &'a [T], ahead: usize) -> Window<'a, T> {
        Window {
            items,
            ahead,
            state: Mutex::new((0, ahead, false)),
            moved: Condvar::new(),
        }
    }

    /// Job `i`'s result was taken back: the workers may go further.
    fn taken_back(&self, i: usize) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.1 = s.1.max(i + 1 + self.ahead);
        self.moved.notify_all();
    }

    /// No more jobs are handed out.
    fn halt(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).2 = true;
        self.moved.notify_all();
    }
}

/// Halts a [`Window`] when dropped.
struct Release<'w, 'a, T>(&'w Window<'a, T>);

impl<T> Drop for Release<'_, '_, T> {
    fn drop(&mut self) {
        self.0.halt();
    }
}

impl<'a, T: Sync> crate::pool::Source<&'a T> for Window<'a, T> {
    fn next_job(&self) -> Option<(usize, &'a T)> {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if s.2 || s.0 >= self.items.len() {
                return None;
            }
            if s.0 < s.1 {
                let i = s.0;
                s.0 += 1;
                return self.items.get(i).map(|item| (i, item));
            }
            s = self.moved.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl App {
    /// Awards a badge class to one recipient: signs, self-checks against
    /// the would-be publish folder, bakes, writes the files into `out` and
    /// stores the award — all of it, or nothing.
    pub fn award(&self, class: i64, input: &AwardInput, out: &Path) -> Result<AwardDone, AppError> {
        let c = self.class(class)?;
        let planned = plan(&c, self.now(), 0, input)?;
        create_out(out)?;
        let run = Run::new(self, c, out)?;
        let mut went = run.go(&[planned], &|_, _| {}, &AtomicBool::new(false));
        if let Some((_, e)) = went.failed {
            return Err(e);
        }
        went.stored
            .pop()
            .map(|(_, done)| done)
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "the award was not made".to_owned()))
    }

    /// Awards a class to every row of a CSV file (see `issuer::bulk` for
    /// its columns). Every row is checked first; if any is bad, nothing is
    /// awarded and the report lists the problems by line and column. A row
    /// whose recipient already has this class from the same day is skipped,
    /// so running a file again awards nobody twice. `dry_run` only says what
    /// would be done. Each award is whole on its own: setting `cancel`
    /// stops after the award in hand, and what was awarded stays awarded.
    pub fn award_csv(
        &self,
        class: i64,
        csv: &Path,
        dry_run: bool,
        out: &Path,
        progress: &dyn Fn(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<BulkReport, AppError> {
        let options = BulkOptions {
            dry_run,
            eml: false,
        };
        self.award_csv_with(class, csv, options, out, progress, cancel)
    }

    /// [`App::award_csv`] with an `.eml` draft beside each badge when
    /// `options.eml` (email recipients only). The awards are made on the
    /// worker pool and stored in order, a few hundred per transaction;
    /// `progress(done, total)` follows each award in file order.
    pub fn award_csv_with(
        &self,
        class: i64,
        csv: &Path,
        options: BulkOptions,
        out: &Path,
        progress: &dyn Fn(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<BulkReport, AppError> {
        let BulkOptions { dry_run, eml } = options;
        let file = std::fs::File::open(csv).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!("{} cannot be read ({e})", csv.display()),
            )
        })?;
        let (rows, errors) = issuer::bulk::read(&csv.display().to_string(), file)?;
        let c = self.class(class)?;
        let mut report = BulkReport {
            dry_run,
            errors,
            ..BulkReport::default()
        };
        let day = |t: i64| t.div_euclid(86_400);
        let mut seen: HashSet<(String, i64)> = self
            .store()
            .class_recipients(c.id)?
            .into_iter()
            .map(|(recipient, issued_on)| (recipient, day(issued_on)))
            .collect();
        let now = self.now();
        let mut todo = Vec::new();
        for row in rows {
            let input = AwardInput { eml, ..row.input };
            let planned = match plan(&c, now, row.line, &input) {
                Ok(p) => p,
                Err(e) => {
                    report.errors.push(issuer::bulk::RowError {
                        line: row.line,
                        column: None,
                        reason: e.message().to_owned(),
                    });
                    continue;
                }
            };
            let mut line = BulkRow {
                line: row.line,
                recipient: planned.recipient.clone(),
                outcome: "already awarded",
                id: None,
                files: Vec::new(),
                note: None,
            };
            if seen.insert((planned.recipient.clone(), day(planned.issued_on))) {
                line.outcome = if dry_run { "would award" } else { "to award" };
                todo.push((report.rows.len(), planned));
            }
            report.rows.push(line);
        }
        report.errors.sort_by_key(|e| e.line);
        if dry_run || !report.errors.is_empty() || todo.is_empty() {
            return Ok(report);
        }
        create_out(out)?;
        let (places, jobs): (Vec<usize>, Vec<Planned>) = todo.into_iter().unzip();
        let went = Run::new(self, c, out)?.go(&jobs, progress, cancel);
        for (at, done) in went.stored {
            let r = &mut report.rows[places[at]];
            r.outcome = "awarded";
            r.id = Some(done.id);
            r.files = done.files;
            r.note = done.note;
        }
        if let Some((at, e)) = went.failed {
            let before = report
                .rows
                .iter()
                .filter(|r| r.outcome == "awarded")
                .count();
            return Err(AppError::new(
                e.code(),
                format!(
                    "line {}: {} ({before} awarded before it)",
                    jobs[at].line,
                    e.message()
                ),
            ));
        }
        report.cancelled = went.cancelled;
        report.rows.retain(|r| r.outcome != "to award");
        Ok(report)
    }
}

/// Creates the output folder.
fn create_out(out: &Path) -> Result<(), AppError> {
    std::fs::create_dir_all(out).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!(
                "the output folder {} could not be created ({e}); choose a folder you can write to",
                out.display()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::Source;

    #[test]
    fn the_window_hands_out_no_further_than_it_may_and_a_halt_lets_waiters_go() {
        let items: Vec<u32> = (0..10).collect();
        let w = Window::new(&items, 3);
        let taken: Vec<usize> = (0..3)
            .filter_map(|_| w.next_job().map(|(i, _)| i))
            .collect();
        assert_eq!(taken, [0, 1, 2]);
        w.taken_back(0);
        assert_eq!(w.next_job().map(|(i, _)| i), Some(3));
        std::thread::scope(|scope| {
            // Waits: job 4 is more than 3 past the last taken back.
            let waiter = scope.spawn(|| w.next_job().map(|(i, _)| i));
            w.halt();
            assert_eq!(waiter.join().unwrap(), None);
        });
        assert!(w.next_job().is_none());
    }
}
