//! The long and the file-bound use cases: import, re-verify, backup,
//! restore, export-all and share pages.

use super::{App, AppError, Clock, ErrorCode};
use crate::backpack::{
    self, ExportAllSummary, ImportInput, ImportOptions, ImportProgress, ImportReport, ReverifyItem,
    ReverifyOptions, ReverifyReport, SameId,
};
use crate::export::{ExportOptions, ExportSummary, SharePlan};
use crate::store::{self, BackupSummary, Store};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// Which badges to check again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reverify {
    /// These badges, in this order.
    Ids(Vec<i64>),
    /// Every badge.
    All,
    /// Every badge whose last check is more than this many days old.
    OlderThan(u32),
}

/// What a share export may publish beyond the badges themselves.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShareOptions {
    /// Where the folder will be published (`https://example.org/badges/`).
    pub base_url: Option<String>,
    /// Show the recipient's name on the pages (when the badge names one).
    pub include_recipient_name: bool,
    /// Show the badges' evidence on the pages.
    pub include_evidence: bool,
    /// Publish no badge's original file, JSON or in-browser check.
    pub leave_out_originals: bool,
}

/// What a restore brought back.
#[derive(Clone, Debug, Serialize)]
pub struct RestoreDone {
    /// The backup's contents.
    #[serde(flatten)]
    pub summary: BackupSummary,
    /// The data folder restored into.
    pub data_dir: String,
}

impl App {
    fn fixed_now(&self) -> Option<i64> {
        match self.clock() {
            Clock::Fixed(t) => Some(t),
            Clock::System => None,
        }
    }

    /// Imports files, folders, zip archives, URLs and pasted text, verifying
    /// each badge; several at a time. `progress` is called after every item;
    /// setting `cancel` stops after the items in hand (every stored badge is
    /// whole). Returns the per-item report and the documents that could not
    /// be kept for offline use.
    pub fn import(
        &self,
        inputs: &[ImportInput],
        progress: &(dyn Fn(ImportProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> (ImportReport, Vec<String>) {
        self.import_with(inputs, false, SameId::Skip, progress, cancel)
    }

    /// Imports as [`App::import`] does, but a file whose assertion or
    /// credential id is already stored from a different file is put in
    /// place of the kept badge's file and checked again (the badge keeps
    /// its number, tags, note, collections and history, which records the
    /// replacement).
    pub fn import_replacing(
        &self,
        inputs: &[ImportInput],
        progress: &(dyn Fn(ImportProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> (ImportReport, Vec<String>) {
        self.import_with(inputs, false, SameId::Replace, progress, cancel)
    }

    /// Imports as [`App::import`] does, but a file whose assertion or
    /// credential id is already stored from a different file is stored as
    /// a badge of its own beside the kept one.
    pub fn import_keeping_both(
        &self,
        inputs: &[ImportInput],
        progress: &(dyn Fn(ImportProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> (ImportReport, Vec<String>) {
        self.import_with(inputs, false, SameId::KeepBoth, progress, cancel)
    }

    /// Imports Satchel's sample badges (no network needed: their issuer is
    /// a `did:key`).
    pub fn import_samples(
        &self,
        progress: &(dyn Fn(ImportProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> (ImportReport, Vec<String>) {
        let inputs: Vec<ImportInput> = crate::samples::samples()
            .into_iter()
            .map(|s| ImportInput::Bytes {
                name: s.file_name,
                bytes: s.bytes,
            })
            .collect();
        self.import_with(&inputs, true, SameId::Skip, progress, cancel)
    }

    fn import_with(
        &self,
        inputs: &[ImportInput],
        offline: bool,
        same_id: SameId,
        progress: &(dyn Fn(ImportProgress<'_>) + Sync),
        cancel: &AtomicBool,
    ) -> (ImportReport, Vec<String>) {
        let offline = offline || self.settings().offline;
        self.with_fetch(offline, |fetch| {
            let opts = ImportOptions {
                now: self.fixed_now(),
                workers: 0,
                offline,
                same_id,
            };
            backpack::import(self.shared_store(), fetch, inputs, &opts, progress, cancel)
        })
    }

    /// The badge numbers `which` names.
    pub fn reverify_ids(&self, which: &Reverify) -> Result<Vec<i64>, AppError> {
        Ok(match which {
            Reverify::Ids(ids) => ids.clone(),
            Reverify::All => self.store().badge_ids()?,
            Reverify::OlderThan(days) => self
                .store()
                .badge_ids_checked_before(self.now() - i64::from(*days) * 86_400)?,
        })
    }

    /// Checks the badges `ids` again, records each report and says what
    /// changed; `progress(done, total, item)` after each badge, `cancel`
    /// stops after the badges in hand. Returns the report and the documents
    /// that could not be kept.
    pub fn reverify(
        &self,
        ids: &[i64],
        progress: &(dyn Fn(usize, usize, &ReverifyItem) + Sync),
        cancel: &AtomicBool,
    ) -> (ReverifyReport, Vec<String>) {
        let offline = self.settings().offline;
        self.with_fetch(offline, |fetch| {
            let opts = ReverifyOptions {
                now: self.fixed_now(),
                offline,
                workers: 0,
            };
            backpack::reverify(self.shared_store(), fetch, ids, &opts, progress, cancel)
        })
    }

    /// Writes the whole backpack to the new file `out`.
    pub fn backup(&self, out: &Path) -> Result<BackupSummary, AppError> {
        if same_file(out, &self.database()) {
            return Err(AppError::new(
                ErrorCode::BadRequest,
                "choose a file outside Satchel's own database",
            ));
        }
        Ok(self.store().backup_to(out)?)
    }

    /// Restores the backup `file` into this backpack, which must be empty
    /// (no badges, collections, identities or kept documents). The backup is
    /// checked before anything changes; whatever happens, the backpack is
    /// open again afterwards.
    pub fn restore(&self, file: &Path) -> Result<RestoreDone, AppError> {
        store::inspect_backup(file).map_err(|e| match e {
            store::StoreError::File { .. } | store::StoreError::SchemaTooNew { .. } => {
                AppError::new(ErrorCode::Invalid, e.to_string())
            }
            other => other.into(),
        })?;
        let mut current = self.store();
        if !current.is_empty()? {
            return Err(AppError::new(
                ErrorCode::Invalid,
                format!(
                    "this backpack ({}) already holds badges or documents; restore into an empty data folder",
                    self.data_dir.display()
                ),
            ));
        }
        // Close the database before it is replaced; reopen it whatever happens.
        let db = self.database();
        *current = Store::open_in_memory()?;
        match store::restore(file, &db) {
            Ok((restored, summary)) => {
                *current = restored;
                Ok(RestoreDone {
                    summary,
                    data_dir: self.data_dir.display().to_string(),
                })
            }
            Err(e) => {
                *current = Store::open(&db)?;
                Err(e.into())
            }
        }
    }

    /// Writes every badge's original file and JSON, with a manifest, to the
    /// new or empty folder `out`.
    pub fn export_all(&self, out: &Path) -> Result<ExportAllSummary, AppError> {
        Ok(backpack::export_all(self.shared_store(), out)?)
    }

    /// Exports collection `id` as share pages into the folder `out` (new,
    /// empty, or a previous export).
    pub fn share(
        &self,
        id: i64,
        opts: &ShareOptions,
        out: &Path,
    ) -> Result<ExportSummary, AppError> {
        let opts = self.export_options(opts);
        Ok(backpack::share_collection(
            self.shared_store(),
            id,
            &opts,
            out,
        )?)
    }

    /// What [`App::share`] of collection `id` with `opts` will publish: the
    /// badges, whether each original, recipient name and evidence is
    /// included, and the warnings. Writes nothing.
    pub fn share_plan(&self, id: i64, opts: &ShareOptions) -> Result<SharePlan, AppError> {
        let opts = self.export_options(opts);
        Ok(backpack::share_plan(self.shared_store(), id, &opts)?)
    }

    fn export_options(&self, opts: &ShareOptions) -> ExportOptions {
        ExportOptions {
            base_url: opts.base_url.clone(),
            include_recipient_name: opts.include_recipient_name,
            include_evidence: opts.include_evidence,
            leave_out_originals: opts.leave_out_originals,
            now: self.now(),
        }
    }

    /// The folder name for collection `id`'s share pages: its name in
    /// lowercase letters, digits and dashes (`collection` when none is left).
    pub fn share_folder_name(&self, id: i64) -> Result<String, AppError> {
        let name = self.collection(id)?.name;
        let slug = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        Ok(if slug.is_empty() {
            "collection".to_owned()
        } else {
            slug
        })
    }
}

/// Whether `a` and `b` name the same file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
