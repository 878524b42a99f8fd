//! The issuer's awards as the shells show them: a paged, searchable list;
//! one award as its recipient's backpack would show it, with the report
//! Satchel's verifier gives it against the would-be publish folder; and
//! the folder where the desktop app writes an issuer's badge files.

use super::{App, AppError, ErrorCode};
use crate::model::BadgeView;
use crate::store::{AwardRecord, AwardRow};
use crate::verify::{Options, RecipientRule, Report};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One page of an issuer's awards.
#[derive(Clone, Debug, Serialize)]
pub struct AwardPage {
    /// How many awards match in all.
    pub total: u64,
    /// The first row's position.
    pub offset: u32,
    /// The rows, newest first.
    pub items: Vec<AwardRow>,
}

/// One award: the record, the badge as a backpack shows it, the verifier's
/// report against the folder as the next publish would write it, and the
/// badge files found in the issuer's award folder.
#[derive(Clone, Debug, Serialize)]
pub struct AwardDetail {
    /// The record.
    pub award: AwardRecord,
    /// The class's name.
    pub class_name: String,
    /// The class's format.
    pub format: String,
    /// Whether the class can be suspended.
    pub suspendable: bool,
    /// The badge as issued, normalized.
    pub badge: Option<BadgeView>,
    /// Satchel's verification of it against the would-be publish folder.
    pub report: Report,
    /// The award's files in [`App::award_folder`] (baked badge first).
    pub files: Vec<String>,
}

impl App {
    /// A page of issuer `issuer`'s awards, newest first, optionally only
    /// those whose recipient, name, class or id contains `search`.
    pub fn award_page(
        &self,
        issuer: i64,
        search: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<AwardPage, AppError> {
        let store = self.store();
        App::issuer_record(&store, issuer)?;
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let (total, items) = store.award_rows(issuer, search, limit.min(1000), offset)?;
        Ok(AwardPage {
            total,
            offset,
            items,
        })
    }

    /// Where the desktop app writes issuer `issuer`'s badge files.
    pub fn award_folder(&self, issuer: i64) -> PathBuf {
        self.data_dir()
            .join("awarded")
            .join(format!("issuer-{issuer}"))
    }

    /// The baked badge file of award `id` in its issuer's award folder.
    pub fn award_file(&self, id: i64) -> Result<PathBuf, AppError> {
        let store = self.store();
        let a = App::award_record(&store, id)?;
        let issuer = App::class_record(&store, a.class_id)?.issuer_id;
        drop(store);
        let folder = self.award_folder(issuer);
        award_files(&folder, &a.uid)
            .into_iter()
            .next()
            .map(PathBuf::from)
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!(
                        "the badge file of award {id} ({}) is not in {}; it was written elsewhere or removed",
                        a.recipient,
                        folder.display()
                    ),
                )
            })
    }

    /// Award `id` as issued, with Satchel's report on it.
    pub fn award_detail(&self, id: i64) -> Result<AwardDetail, AppError> {
        let store = self.store();
        let award = App::award_record(&store, id)?;
        let class = App::class_record(&store, award.class_id)?;
        let issuer = App::issuer_record(&store, class.issuer_id)?;
        let (folder, _) = self.build_folder(&store, &issuer, Some(id))?;
        drop(store);
        let inspection = crate::inspect::inspect(award.document.as_bytes()).map_err(|e| {
            AppError::new(
                ErrorCode::Internal,
                format!("award {id} could not be read back ({e})"),
            )
        })?;
        let scratch = self.data_dir().join(format!("award-{id}.check"));
        crate::atomic::clean_stale(&scratch);
        let partial = crate::atomic::Partial::dir(&scratch).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!(
                    "award {id} could not be checked: {} cannot be written ({e})",
                    scratch.display()
                ),
            )
        })?;
        let site = partial.path().join("site");
        folder.write(&site)?;
        let fetch = crate::fetch::DirFetch::new(&folder.base, site)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let report = crate::verify::verify(
            &inspection,
            &fetch,
            &Options {
                now: self.now(),
                recipients: vec![award.recipient.clone()],
                recipient_rule: RecipientRule::MustMatch,
            },
        );
        drop(partial);
        let files = award_files(&self.award_folder(issuer.id), &award.uid);
        Ok(AwardDetail {
            badge: inspection.badge,
            report,
            files,
            class_name: class.name,
            format: class.format,
            suspendable: class.suspendable,
            award,
        })
    }
}

/// The files in `folder` written for the award with `uid` (their names end
/// in the uid's first 8 characters), the baked image first.
fn award_files(folder: &Path, uid: &str) -> Vec<String> {
    let tag = format!("-{}.", &uid[..8.min(uid.len())]);
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.contains(&tag) && !n.starts_with('.'))
        })
        .collect();
    let rank = |p: &PathBuf| match p.extension().and_then(|e| e.to_str()) {
        Some("png" | "svg") => 0,
        _ => 1,
    };
    files.sort_by_key(|p| (rank(p), p.clone()));
    files.into_iter().map(|p| p.display().to_string()).collect()
}
