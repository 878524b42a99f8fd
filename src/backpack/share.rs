//! Share: a collection from the store as static share pages (see
//! [`crate::export`]). This gathers, for each badge in the collection's
//! order, what its page needs — the original bytes, the badge as read (with
//! its linked badge class and issuer resolved at import), the last
//! verification report and the documents that check used — and hands them to
//! [`crate::export::export_collection`].

use super::lock;
use crate::export::{
    self, ExportBadge, ExportCollection, ExportError, ExportOptions, ExportSummary, SharePlan,
};
use crate::model::BadgeView;
use crate::store::{Store, StoreError};
use crate::verify::Report;
use std::path::Path;
use std::sync::Mutex;

/// Why a collection could not be shared. One sentence each.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The store failed or the collection does not exist.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Writing the pages failed.
    #[error("{0}")]
    Export(#[from] ExportError),
    /// A stored badge could not be read back.
    #[error("badge {id} could not be read back from the backpack ({reason})")]
    Badge {
        /// The badge number.
        id: i64,
        /// What went wrong.
        reason: String,
    },
}

/// One stored badge as the export wants it.
pub(crate) fn export_badge(store: &Mutex<Store>, id: i64) -> Result<ExportBadge, ShareError> {
    let bad = |reason: String| ShareError::Badge { id, reason };
    let (record, file, last) = {
        let s = lock(store);
        (s.badge(id)?, s.badge_file(id)?, s.last_verification(id)?)
    };
    let record = record.ok_or(StoreError::NoSuchBadge(id))?;
    let (media, original) = file.ok_or_else(|| bad("its original file is missing".to_owned()))?;
    let mut inspection = crate::inspect::inspect(&original).map_err(|e| bad(e.to_string()))?;
    if let Ok(view) = serde_json::from_str::<BadgeView>(&record.badge_json) {
        if view.name.is_some() || view.issuer.name.is_some() {
            inspection.badge = Some(view);
        }
    }
    let report: Report = last
        .and_then(|v| serde_json::from_str(&v.report_json).ok())
        .ok_or_else(|| bad("it has no verification report".to_owned()))?;
    let mut documents = Vec::new();
    for url in &record.documents {
        if let Some(doc) = lock(store).get_document(url)? {
            if (200..300).contains(&doc.status) {
                documents.push((url.clone(), doc.body));
            }
        }
    }
    let image = if media.starts_with("image/") {
        None
    } else {
        super::images::badge_image(&lock(store), id).map(|(m, b)| (m.to_owned(), b))
    };
    let original_name = Path::new(&record.source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|_| {
            record.summary.container != "url" && !super::sources::is_pasted(&record.source)
        });
    Ok(ExportBadge {
        id: format!(
            "{id}-{}",
            super::archive::slug(record.summary.name.as_deref())
        ),
        original,
        original_name,
        inspection,
        report,
        documents,
        image,
    })
}

/// The collection `collection` (its number) as the export wants it.
fn export_input(store: &Mutex<Store>, collection: i64) -> Result<ExportCollection, ShareError> {
    let (summary, ids) = {
        let s = lock(store);
        let c = s
            .collection(collection)?
            .ok_or_else(|| StoreError::NoSuchCollection(collection.to_string()))?;
        (c, s.collection_badge_ids(collection)?)
    };
    let badges = ids
        .iter()
        .map(|&id| export_badge(store, id))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ExportCollection {
        title: summary.name,
        description: Some(summary.description).filter(|d| !d.trim().is_empty()),
        badges,
    })
}

/// What exporting the collection `collection` (its number) with `opts` will
/// publish (see [`export::share_plan`]); writes nothing.
pub fn share_plan(
    store: &Mutex<Store>,
    collection: i64,
    opts: &ExportOptions,
) -> Result<SharePlan, ShareError> {
    let c = export_input(store, collection)?;
    Ok(export::share_plan(&c, opts)?)
}

/// Exports the collection `collection` (its number) to the folder `out` as
/// share pages.
pub fn share_collection(
    store: &Mutex<Store>,
    collection: i64,
    opts: &ExportOptions,
    out: &Path,
) -> Result<ExportSummary, ShareError> {
    let c = export_input(store, collection)?;
    Ok(export::export_collection(&c, opts, out)?)
}
