//! The engine of a run of awards (see the parent module): the state every
//! award shares ([`Run`]), the per-award work on the pool, the in-order
//! take-back and the chunked transactions, and the bounded job window.

use super::Planned;
use crate::app::issuer::{identity_of, invalid};
use crate::app::{App, AppError, AwardDone, ErrorCode};
use crate::issuer::publish::{self, CheckSite, Expect, State};
use crate::issuer::{self, docs, Format, Identity, SigningKeys};
use crate::store::{AwardRecord, ClassRecord, IdentityKind, IssuerRecord, NewAward, Store};
use crate::verify::Verdict;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Condvar, Mutex, PoisonError};

/// Awards stored per database transaction.
const CHUNK: usize = 200;
/// How many awards the workers may finish ahead of the one the calling
/// thread waits for (bounds the memory a long file takes).
const AHEAD: usize = 64;

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
pub(super) struct Went {
    pub(super) stored: Vec<(usize, AwardDone)>,
    pub(super) failed: Option<(usize, AppError)>,
    pub(super) cancelled: bool,
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
pub(super) struct Run<'a> {
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
    pub(super) fn new(
        app: &'a App,
        class: ClassRecord,
        out: &'a Path,
    ) -> Result<Run<'a>, AppError> {
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
        let mut record = self.record(p)?;
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
        self.self_check(&p.recipient, &issued)?;
        let mut files = issued.files;
        let note = if p.input.eml {
            crate::app::delivery::eml_draft(&self.issuer, c, &record, &mut files)?
        } else {
            None
        };
        self.write_scratch(&files)?;
        Ok(Made {
            record,
            status,
            files: files.into_iter().map(|(name, _)| name).collect(),
            note,
        })
    }

    /// The record of a new award (its number is the store's; no document yet).
    fn record(&self, p: &Planned) -> Result<AwardRecord, AppError> {
        let hashed = p.kind != IdentityKind::Did && !p.input.plaintext;
        let text = |t: &Option<String>| t.clone().filter(|n| !n.trim().is_empty());
        Ok(AwardRecord {
            id: 0,
            class_id: self.class.id,
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
        })
    }

    /// Satchel's own verifier on the baked badge (and the VC-JWT): both
    /// must come out verified for `who`.
    fn self_check(&self, who: &str, issued: &issuer::Issued) -> Result<(), AppError> {
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
        Ok(self.site.check(&expect, self.now)?)
    }

    /// Writes an award's files into the scratch folder, refusing names
    /// already taken in the output folder.
    fn write_scratch(&self, files: &[(String, Vec<u8>)]) -> Result<(), AppError> {
        for (name, bytes) in files {
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
        Ok(())
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
            let ids = self.insert(s, &made)?;
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

    /// Inserts the awards `made` and their status positions; returns their numbers.
    fn insert(&self, s: &Store, made: &[(usize, Made)]) -> Result<Vec<i64>, AppError> {
        let mut ids = Vec::with_capacity(made.len());
        for (_, m) in made {
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
        Ok(ids)
    }

    /// Makes every award of `jobs` on the worker pool and stores them in
    /// input order, `progress(done, total)` after each one made; stops at
    /// the first that fails or when `cancel` is set, keeping those before.
    pub(super) fn go(
        &self,
        jobs: &[Planned],
        progress: &dyn Fn(usize, usize),
        cancel: &AtomicBool,
    ) -> Went {
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
                // However this ends (a panic in `progress` too), the workers
                // waiting for a job are let go.
                let _release = Release(&source);
                went = self.take_back(total, &receive, &source, progress, cancel);
                halt.store(true, Ordering::SeqCst);
            },
        );
        went
    }

    /// The calling thread's part of [`Run::go`]: takes the awards back in
    /// input order, reports each, stores them a chunk at a time.
    fn take_back(
        &self,
        total: usize,
        receive: &Receiver<(usize, Result<Made, AppError>)>,
        source: &Window<'_, Planned>,
        progress: &dyn Fn(usize, usize),
        cancel: &AtomicBool,
    ) -> Went {
        let mut went = Went::default();
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
        source.halt();
        if !chunk.is_empty() {
            let at = chunk[0].0;
            if let Err(e) = self.store(chunk, &mut went) {
                went.failed.get_or_insert((at, e));
            }
        }
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
