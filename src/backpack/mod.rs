//! The backpack's work: importing badges into the store, re-verifying
//! them, and writing the open export folder. This is where `inspect`,
//! `verify`, `fetch` and `store` meet; the CLI and the desktop app call these
//! functions and only format what they return.
//!
//! - [`import`]: files, folders, zip archives, URLs, pasted text → a
//!   per-item [`ImportReport`], several items at a time, with progress and
//!   cancellation; each badge is stored whole in one transaction.
//! - [`reverify`]: checks stored badges again and says what changed.
//! - [`export_all`]: every badge's original file and JSON plus a manifest,
//!   readable without Satchel.
//! - [`share_collection`]: a collection as static share pages (`export`).
//! - [`rematch_identities`]: which badges are the user's, after the
//!   identities changed.
//!
//! It must not: talk to SQLite or the network directly (only through
//! `store::Store` and `fetch::Fetch`), or print anything.

mod archive;
mod images;
mod import;
mod problem;
mod queue;
mod reverify;
mod share;
mod sources;

pub use archive::{export_all, ExportAllSummary};
pub use images::{badge_image, image_media_type, issuer_image};
pub use import::{
    import, ImportOptions, ImportProgress, ImportReport, ItemOutcome, ItemReport, SameId,
};
pub use problem::Problem;
pub use reverify::{reverify, Change, ReverifyItem, ReverifyOptions, ReverifyReport};
pub use share::{share_collection, share_plan, ShareError};
pub use sources::{files_in_folder, ImportInput, MAX_ITEMS};

use crate::fetch::{cache_key, Fetch, FetchError, Fetched, SharedDoc};
use crate::inspect::Inspection;
use crate::model::BadgeView;
use crate::store::{IdentityKind, MatchedIdentity, RecipientMatch, Store, StoreError};
use crate::verify::Report;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    // SQLite keeps its own consistency; a panic elsewhere is no reason to stop.
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A [`Fetch`] that notes which documents one badge's check used, with
/// the SHA-256 of each body, so the store can link them to the badge and a
/// later check can tell when the issuer changed one.
pub(crate) struct Recording<'a> {
    inner: &'a dyn Fetch,
    seen: Mutex<Vec<(String, String)>>,
}

impl<'a> Recording<'a> {
    pub(crate) fn new(inner: &'a dyn Fetch) -> Recording<'a> {
        Recording {
            inner,
            seen: Mutex::new(Vec::new()),
        }
    }

    /// `(cache key, sha256)` of every document answered, in order, once each.
    pub(crate) fn documents(&self) -> Vec<(String, String)> {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let mut keys = std::collections::HashSet::new();
        seen.retain(|(k, _)| keys.insert(k.clone()));
        seen
    }
}

/// A document's SHA-256, computed once per run (see [`SharedDoc::derive`]).
struct BodyHash(String);

impl Recording<'_> {
    fn note(&self, url: &str, doc: &SharedDoc) {
        if let Ok(key) = cache_key(url) {
            let sha = doc.derive(|f| BodyHash(crate::store::sha256_hex(&f.body)));
            self.seen
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((key, sha.0.clone()));
        }
    }
}

impl Fetch for Recording<'_> {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        self.get_shared(url).map(|d| d.fetched.clone())
    }

    fn get_shared(&self, url: &str) -> Result<Arc<SharedDoc>, FetchError> {
        let answer = self.inner.get_shared(url);
        if let Ok(doc) = &answer {
            self.note(url, doc);
        }
        answer
    }
}

/// The badge as people see it for an inspected input. For OB 0.5–2.0
/// assertions that link their badge class (and the class its issuer) by
/// URL, the linked documents are fetched (the verification fetched them
/// already, so this costs nothing) and embedded before normalizing, so the
/// stored badge has its name, description, image, criteria and issuer. A
/// bare URL (a legacy baked image, a pasted link) is followed first.
pub(crate) fn view_of(
    found: &Inspection,
    fetch: &dyn Fetch,
) -> Option<(BadgeView, Option<String>)> {
    use crate::detect::Version;
    let hosted;
    let (doc, version, own) = match &found.document {
        Some(doc) => (doc, found.version, found.badge.as_ref()),
        None if found.payload_kind == crate::inspect::PayloadKind::Url => {
            let answer = fetch.get(found.payload.trim()).ok()?;
            if !(200..300).contains(&answer.status) {
                return None;
            }
            hosted = crate::inspect::inspect(&answer.body).ok()?;
            (
                hosted.document.as_ref()?,
                hosted.version,
                hosted.badge.as_ref(),
            )
        }
        None => return None,
    };
    let label = version.map(|v| v.as_str().to_owned());
    let linked = match version {
        Some(Version::V3_0 | Version::Clr2_0) => None,
        _ => with_linked_documents(doc, fetch),
    };
    let view = linked
        .and_then(|d| crate::model::normalize(&d, &crate::detect::detect_json(&d)))
        .or_else(|| own.cloned())?;
    Some((view, label))
}

/// A linked JSON object, parsed once per run however many badges link it.
struct ParsedObject(Option<serde_json::Value>);

fn fetch_object(fetch: &dyn Fetch, url: &str) -> Option<serde_json::Value> {
    if !crate::detect::is_http_url(url) {
        return None;
    }
    let doc = fetch.get_shared(url).ok()?;
    let parsed = doc.derive(|f| {
        ParsedObject(
            (200..300)
                .contains(&f.status)
                .then(|| serde_json::from_slice::<serde_json::Value>(&f.body).ok())
                .flatten()
                .filter(serde_json::Value::is_object),
        )
    });
    parsed.0.clone()
}

/// A copy of `doc` with its `badge` (and the badge's `issuer`) embedded when
/// they are URLs; `None` when nothing was linked.
fn with_linked_documents(doc: &serde_json::Value, fetch: &dyn Fetch) -> Option<serde_json::Value> {
    use serde_json::Value;
    let mut doc = doc.clone();
    let obj = doc.as_object_mut()?;
    let mut changed = false;
    let mut class = match obj.get("badge") {
        Some(Value::String(url)) => {
            let c = fetch_object(fetch, url)?;
            changed = true;
            c
        }
        Some(Value::Object(c)) => Value::Object(c.clone()),
        _ => return None,
    };
    if let Some(Value::String(url)) = class.get("issuer") {
        if let Some(issuer) = fetch_object(fetch, url) {
            class["issuer"] = issuer;
            changed = true;
        }
    }
    obj.insert("badge".to_owned(), class);
    changed.then_some(doc)
}

/// Seconds since the Unix epoch for a badge date as written, if readable.
pub(crate) fn unix_date(text: Option<&str>) -> Option<i64> {
    let text = text?;
    crate::verify::common::parse_date(&serde_json::Value::String(text.to_owned()))
        .ok()
        .map(|d| d.secs)
}

/// The verification as the store records it.
pub(crate) struct Recorded {
    pub(crate) report_json: String,
    pub(crate) documents: Vec<(String, String)>,
    pub(crate) recipient: RecipientMatch,
}

/// `view` is the badge as displayed (verification compares the same
/// recipient identities, those of the badge it read), matched against
/// `identities`; a badge with no view names no recipient as stored.
pub(crate) fn recorded(
    report: &Report,
    documents: Vec<(String, String)>,
    view: Option<&BadgeView>,
    identities: &[String],
) -> Recorded {
    Recorded {
        report_json: serde_json::to_string(report).unwrap_or_else(|_| "{}".to_owned()),
        documents,
        recipient: view.map_or(RecipientMatch::NoRecipient, |v| {
            match_identities(v, identities)
        }),
    }
}

/// Whether the badge's recipient is one of `identities` (the user's, as
/// stored): the first that matches, tried in the order the badge names its
/// identities and then the order given.
pub(crate) fn match_identities(view: &BadgeView, identities: &[String]) -> RecipientMatch {
    use crate::model::recipient::MatchVariant;
    use crate::model::IdentityCheck;
    if view.recipient.is_empty() {
        return RecipientMatch::NoRecipient;
    }
    view.recipient
        .iter()
        .find_map(|r| {
            identities
                .iter()
                .find_map(|candidate| match r.check(candidate) {
                    IdentityCheck::Match { variant } => Some(MatchedIdentity {
                        identity: candidate.trim().to_owned(),
                        // Stored identities were classified when added.
                        kind: IdentityKind::classify(candidate).unwrap_or(IdentityKind::Email),
                        hashed: r.hashed,
                        lowercased: variant == MatchVariant::Lowercased,
                    }),
                    _ => None,
                })
        })
        .map_or(RecipientMatch::NoMatch, RecipientMatch::Matched)
}

/// The identities to match recipients against, read once per run.
pub(crate) fn identities(store: &Mutex<Store>) -> Result<Vec<String>, StoreError> {
    lock(store).identity_values()
}

/// Matches every stored badge's recipient against the user's identities
/// again (after an identity was added or removed), without re-verifying:
/// each badge's [`RecipientMatch`] then names the identity that matches
/// now, or says that none does. The verification history is left as it
/// was. Returns how many badges match one of the identities.
pub fn rematch_identities(store: &Mutex<Store>) -> Result<usize, StoreError> {
    let identities = identities(store)?;
    let ids = lock(store).badge_ids()?;
    let mut matched = 0;
    for id in ids {
        let Some(record) = lock(store).badge(id)? else {
            continue;
        };
        let view: BadgeView = serde_json::from_str(&record.badge_json).unwrap_or_default();
        let found = match_identities(&view, &identities);
        matched += usize::from(found.matched().is_some());
        if found != record.recipient_match {
            lock(store).set_recipient_match(id, &found)?;
        }
    }
    Ok(matched)
}
