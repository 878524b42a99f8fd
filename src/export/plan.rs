//! The share plan: what an export will publish, decided before anything is
//! written. [`share_plan`] applies the privacy rules to every badge of a
//! collection under the given [`ExportOptions`]; [`super::export_collection`]
//! builds its pages from the same plan, so a preview and the folder written
//! cannot disagree.

use super::layout::{self, normalize_base_url, slug};
use super::privacy::{self, Rules};
use super::view::enriched_view;
use super::words::nonblank;
use super::{ExportBadge, ExportCollection, ExportError, ExportOptions};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// What an export of a collection will publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharePlan {
    /// The title of the index page.
    pub title: String,
    /// The badges, in the order shown.
    pub badges: Vec<PlannedBadge>,
    /// How many badges are published with their original file and JSON.
    pub originals: usize,
    /// How many pages show the recipient's name.
    pub recipient_names: usize,
    /// How many pages show evidence.
    pub evidence: usize,
    /// How many warnings the badges carry in all.
    pub warnings: usize,
}

/// What one badge's page will publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlannedBadge {
    /// The id its files are named by (`badges/<id>.html`).
    pub id: String,
    /// Its page, relative to the folder.
    pub page: String,
    /// Its name, as the page shows it.
    pub name: String,
    /// Its original file, JSON and in-browser check are published.
    pub original: bool,
    /// It names its recipient's email address in plain text, so its original
    /// file is never published.
    pub plaintext_email: bool,
    /// It names its recipient (the page shows the name only when asked).
    pub names_recipient: bool,
    /// The page shows the recipient's name.
    pub recipient_name_shown: bool,
    /// How many evidence items it has.
    pub evidence: usize,
    /// The page shows them.
    pub evidence_shown: bool,
    /// What to know before publishing, one sentence each ("… its original
    /// file, published for download, still contains it").
    pub warnings: Vec<String>,
    #[serde(skip)]
    pub(super) rules: Rules,
}

/// What exporting `collection` with `opts` will publish. Fails, as the export
/// would, on a base URL that is not http(s) and on badge ids that cannot name
/// files.
pub fn share_plan(
    collection: &ExportCollection,
    opts: &ExportOptions,
) -> Result<SharePlan, ExportError> {
    if let Some(b) = &opts.base_url {
        normalize_base_url(b).ok_or_else(|| ExportError::BadBaseUrl(b.clone()))?;
    }
    let slugs = badge_slugs(collection)?;
    let badges: Vec<PlannedBadge> = collection
        .badges
        .iter()
        .zip(slugs)
        .map(|(b, id)| plan_badge(b, id, opts))
        .collect();
    let title = collection.title.trim();
    Ok(SharePlan {
        title: if title.is_empty() { "Badges" } else { title }.to_owned(),
        originals: badges.iter().filter(|b| b.original).count(),
        recipient_names: badges.iter().filter(|b| b.recipient_name_shown).count(),
        evidence: badges.iter().filter(|b| b.evidence_shown).count(),
        warnings: badges.iter().map(|b| b.warnings.len()).sum(),
        badges,
    })
}

fn plan_badge(b: &ExportBadge, id: String, opts: &ExportOptions) -> PlannedBadge {
    let docs: HashMap<&str, &[u8]> = (b.documents.iter())
        .map(|(u, d)| (u.as_str(), d.as_slice()))
        .collect();
    let view = enriched_view(&b.inspection, &docs);
    let rules = privacy::rules(&b.inspection, &view, opts);
    let page = layout::badge_page(&id);
    PlannedBadge {
        name: nonblank(&view.name).unwrap_or_else(|| "Untitled badge".to_owned()),
        original: rules.publish_original,
        plaintext_email: rules.plaintext_email,
        names_recipient: rules.recipient_name.is_some(),
        recipient_name_shown: rules.recipient_name.is_some() && rules.show_name,
        evidence: rules.evidence,
        evidence_shown: rules.evidence > 0 && rules.show_evidence,
        warnings: rules.warnings(&page),
        id,
        page,
        rules,
    }
}

/// The badges' file names: safe, unique.
fn badge_slugs(c: &ExportCollection) -> Result<Vec<String>, ExportError> {
    let mut slugs = Vec::with_capacity(c.badges.len());
    let mut seen = HashSet::new();
    for b in &c.badges {
        let s = slug(&b.id);
        let path = PathBuf::from(layout::badge_page(&s));
        if s.is_empty() {
            return Err(ExportError::BadId {
                path,
                problem: format!(
                    "the badge id {:?} has no letters or digits to name its files with",
                    b.id.chars().take(80).collect::<String>()
                ),
            });
        }
        if !seen.insert(s.clone()) {
            return Err(ExportError::BadId {
                path,
                problem: "two badges of the collection have this id".to_owned(),
            });
        }
        slugs.push(s);
    }
    Ok(slugs)
}
