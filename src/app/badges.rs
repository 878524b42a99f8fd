//! Listing, one badge's detail, deleting, tags and notes.

use super::{App, AppError};
use crate::model::BadgeView;
use crate::store::{BadgeQuery, BadgeRecord, BadgeSummary, StoreError};
use crate::verify::Report;
use serde::Serialize;
use std::collections::HashMap;

/// One page of the backpack.
#[derive(Clone, Debug, Serialize)]
pub struct BadgePage {
    /// How many badges match the query in all.
    pub total: u64,
    /// The first item's position.
    pub offset: u32,
    /// The badges on this page.
    pub items: Vec<BadgeSummary>,
    /// The tags of the badges on this page, by badge number.
    #[serde(skip)]
    pub tags: HashMap<i64, Vec<String>>,
}

/// One recorded verification with its report.
#[derive(Clone, Debug, Serialize)]
pub struct VerificationView {
    /// Its number.
    pub id: i64,
    /// When it was made.
    pub checked_at: i64,
    /// The verdict.
    pub status: String,
    /// Whether only kept documents were used.
    pub offline: bool,
    /// The report (`None` when the stored one could not be read back).
    pub report: Option<Report>,
    /// For the check made when the badge's original file was replaced by
    /// another with the same id: where the replaced file had come from.
    pub replaced_source: Option<String>,
}

/// Everything known about one badge.
#[derive(Clone, Debug, Serialize)]
pub struct BadgeDetail {
    /// The stored record.
    #[serde(flatten)]
    pub record: BadgeRecord,
    /// The normalized badge.
    pub badge: BadgeView,
    /// Every verification, oldest first.
    pub verifications: Vec<VerificationView>,
    /// Whether the user has added any identity (so an unmatched recipient
    /// is worth a word).
    pub has_identities: bool,
}

impl BadgeDetail {
    /// The last verification's report.
    pub fn last_report(&self) -> Option<&Report> {
        self.verifications.last().and_then(|v| v.report.as_ref())
    }
}

/// A tag with the number of badges carrying it.
#[derive(Clone, Debug, Serialize)]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// How many badges carry it.
    pub count: u64,
}

impl App {
    /// The badges matching `query` (search, filters, sort, limit and
    /// offset), with how many match in all and their tags.
    pub fn list(&self, query: &BadgeQuery) -> Result<BadgePage, AppError> {
        let store = self.store();
        let total = store.count_badges(query)?;
        let items = store.list_badges(query)?;
        let ids: Vec<i64> = items.iter().map(|b| b.id).collect();
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, tag) in store.tags_of(&ids)? {
            tags.entry(id).or_default().push(tag);
        }
        Ok(BadgePage {
            total,
            offset: query.offset,
            items,
            tags,
        })
    }

    /// How many badges the backpack holds.
    pub fn badge_count(&self) -> Result<u64, AppError> {
        Ok(self.store().badge_count()?)
    }

    /// One badge with its history.
    pub fn badge(&self, id: i64) -> Result<BadgeDetail, AppError> {
        let store = self.store();
        let record = store.badge(id)?.ok_or(StoreError::NoSuchBadge(id))?;
        let verifications = store
            .verifications(id)?
            .into_iter()
            .map(|v| VerificationView {
                id: v.id,
                checked_at: v.checked_at,
                status: v.status,
                offline: v.offline,
                report: serde_json::from_str(&v.report_json).ok(),
                replaced_source: v.replaced_source,
            })
            .collect();
        let badge = serde_json::from_str(&record.badge_json).unwrap_or_default();
        let has_identities = !store.identity_values()?.is_empty();
        Ok(BadgeDetail {
            record,
            badge,
            verifications,
            has_identities,
        })
    }

    /// Deletes a badge (and takes it out of its collections).
    pub fn delete(&self, id: i64) -> Result<(), AppError> {
        if self.store().delete_badge(id)? {
            Ok(())
        } else {
            Err(StoreError::NoSuchBadge(id).into())
        }
    }

    /// Adds tags to a badge; returns its tags.
    pub fn add_tags(&self, id: i64, tags: &[String]) -> Result<Vec<String>, AppError> {
        Ok(self.store().add_tags(id, tags)?)
    }

    /// Removes tags from a badge; returns its tags.
    pub fn remove_tags(&self, id: i64, tags: &[String]) -> Result<Vec<String>, AppError> {
        Ok(self.store().remove_tags(id, tags)?)
    }

    /// Every tag in use, with how many badges carry it.
    pub fn all_tags(&self) -> Result<Vec<TagCount>, AppError> {
        Ok(self
            .store()
            .all_tags()?
            .into_iter()
            .map(|(tag, count)| TagCount { tag, count })
            .collect())
    }

    /// Replaces a badge's note (an empty text clears it).
    pub fn set_note(&self, id: i64, note: &str) -> Result<(), AppError> {
        Ok(self.store().set_note(id, note)?)
    }

    /// The badges last checked more than `days` days ago, the longest
    /// unchecked first (none when `days` is 0).
    pub fn badges_checked_before(&self, days: u32) -> Result<Vec<i64>, AppError> {
        if days == 0 {
            return Ok(Vec::new());
        }
        Ok(self
            .store()
            .badge_ids_checked_before(self.now() - i64::from(days) * 86_400)?)
    }

    /// The badges due for the launch-time check (by the settings' `recheck_days`).
    pub fn stale_badges(&self) -> Result<Vec<i64>, AppError> {
        self.badges_checked_before(self.settings().recheck_days)
    }
}
