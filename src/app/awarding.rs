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
//! order, reports each one, and stores them a chunk (200) at a time in one
//! transaction, in which the files are flushed and renamed into place
//! before the commit (removed again if it fails): an award is stored with
//! its files, or neither is. Stopping (cancel or a failed award) stores
//! the awards already reported and drops the rest, whose files go with the
//! scratch folder.
//!
//! Status list positions are drawn at random, each checked against the
//! positions the issuer's lists already hold and those drawn in this run;
//! the database's unique index refuses one another program took meanwhile.

mod run;

use super::issuer::{invalid, recipient_of};
use super::{App, AppError, AwardDone, BulkOptions, BulkReport, BulkRow, ErrorCode};
use crate::issuer::{self, AwardInput, Format};
use crate::store::{ClassRecord, IdentityKind};
use run::Run;
use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::AtomicBool;

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
        let todo = self.plan_rows(&c, rows, eml, &mut report)?;
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

impl App {
    /// Checks every row against the class and sorts it into the report:
    /// a bad row into its errors, a recipient who already has the class
    /// from that day as "already awarded", the rest to award (returned
    /// with their places in the report).
    fn plan_rows(
        &self,
        c: &ClassRecord,
        rows: Vec<issuer::bulk::Row>,
        eml: bool,
        report: &mut BulkReport,
    ) -> Result<Vec<(usize, Planned)>, AppError> {
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
            let planned = match plan(c, now, row.line, &input) {
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
                line.outcome = if report.dry_run {
                    "would award"
                } else {
                    "to award"
                };
                todo.push((report.rows.len(), planned));
            }
            report.rows.push(line);
        }
        Ok(todo)
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
