//! Re-verification: check stored badges again, keep the history, and say
//! what changed since the last check.

use super::{lock, recorded, Recording};
use crate::fetch::Fetch;
use crate::pool::{self, Indexed, Slots};
use crate::store::{NewVerification, Store};
use crate::verify::{self, Options, Verdict};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

/// How a re-verification runs.
#[derive(Clone, Debug, Default)]
pub struct ReverifyOptions {
    /// Check as of this time (seconds since the Unix epoch) instead of the clock.
    pub now: Option<i64>,
    /// Whether the fetcher is offline (recorded with each verification).
    pub offline: bool,
    /// How many badges are checked at once (0: four per core).
    pub workers: usize,
}

/// One thing that changed since the last check. Serialized as
/// `{"kind", "url"?, "message"}` (`message` is [`Change::message`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// The issuer revoked it since.
    NewlyRevoked,
    /// The issuer suspended it since.
    NewlySuspended,
    /// The issuer lifted its suspension since, and it verifies again.
    NoLongerSuspended,
    /// It expired since.
    NewlyExpired,
    /// It verifies now and did not before.
    NowVerified,
    /// A check fails now that did not before.
    NowInvalid,
    /// Something needed could not be reached this time.
    CouldNotCheck,
    /// The issuer changed the hosted assertion itself.
    BadgeChanged {
        /// The assertion's URL.
        url: String,
    },
    /// The issuer changed a document the badge depends on (badge class, profile, key, list).
    DocumentChanged {
        /// The document's URL.
        url: String,
    },
}

impl Change {
    /// The kind, as serialized (`newly_revoked` ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Change::NewlyRevoked => "newly_revoked",
            Change::NewlySuspended => "newly_suspended",
            Change::NoLongerSuspended => "no_longer_suspended",
            Change::NewlyExpired => "newly_expired",
            Change::NowVerified => "now_verified",
            Change::NowInvalid => "now_invalid",
            Change::CouldNotCheck => "could_not_check",
            Change::BadgeChanged { .. } => "badge_changed",
            Change::DocumentChanged { .. } => "document_changed",
        }
    }

    /// One plain sentence.
    pub fn message(&self) -> String {
        match self {
            Change::NewlyRevoked => "The issuer has revoked this badge since the last check.".to_owned(),
            Change::NewlySuspended => "This badge has been suspended by the issuer since the last check; the issuer may lift the suspension.".to_owned(),
            Change::NoLongerSuspended => "This badge is no longer suspended: the issuer lifted the suspension, and it verifies again.".to_owned(),
            Change::NewlyExpired => "This badge has expired since the last check.".to_owned(),
            Change::NowVerified => "This badge verifies now; it did not at the last check.".to_owned(),
            Change::NowInvalid => "A check fails now that passed at the last check.".to_owned(),
            Change::CouldNotCheck => {
                "Satchel could not check this badge this time (a document could not be reached); this is not evidence against it.".to_owned()
            }
            Change::BadgeChanged { url } => {
                format!("The issuer changed this badge's hosted copy since the last check ({url}).")
            }
            Change::DocumentChanged { url } => {
                format!("The issuer changed a document this badge depends on since the last check ({url}).")
            }
        }
    }
}

impl Serialize for Change {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.kind())?;
        if let Change::BadgeChanged { url } | Change::DocumentChanged { url } = self {
            map.serialize_entry("url", url)?;
        }
        map.serialize_entry("message", &self.message())?;
        map.end()
    }
}

/// The result for one badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReverifyItem {
    /// The badge's number.
    pub id: i64,
    /// Its name.
    pub name: Option<String>,
    /// Its status before.
    pub before: Option<Verdict>,
    /// Its status now (None when it could not be re-read at all).
    pub after: Option<Verdict>,
    /// What changed (empty: nothing).
    pub changes: Vec<Change>,
    /// One sentence: why it has its status now, or what went wrong.
    pub message: String,
}

/// The whole run's result.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReverifyReport {
    /// One entry per badge checked, in the order asked.
    pub items: Vec<ReverifyItem>,
    /// Whether it was cancelled before every badge was checked.
    pub cancelled: bool,
}

/// Checks the badges `ids` again through `fetch`, records each new report,
/// and says what changed. `progress(done, total, item)` is called after
/// each badge; setting `cancel` stops after the badges in hand.
pub fn reverify(
    store: &Mutex<Store>,
    fetch: &dyn Fetch,
    ids: &[i64],
    opts: &ReverifyOptions,
    progress: &(dyn Fn(usize, usize, &ReverifyItem) + Sync),
    cancel: &AtomicBool,
) -> ReverifyReport {
    let identities = super::identities(store).unwrap_or_default();
    let total = ids.len();
    let results = Slots::new(total);
    pool::run(
        pool::workers(opts.workers, total),
        cancel,
        &Indexed::new(ids),
        &|i, &id, done| {
            let item = one(store, fetch, id, opts, &identities);
            progress(done, total, &item);
            results.put(i, item);
        },
        || {},
    );
    let items = results.into_done();
    ReverifyReport {
        cancelled: items.len() < total,
        items,
    }
}

fn one(
    store: &Mutex<Store>,
    fetch: &dyn Fetch,
    id: i64,
    opts: &ReverifyOptions,
    identities: &[String],
) -> ReverifyItem {
    let failed = |name: Option<String>, before: Option<Verdict>, message: String| ReverifyItem {
        id,
        name,
        before,
        after: None,
        changes: Vec::new(),
        message,
    };
    let (record, file, last) = {
        let s = lock(store);
        (s.badge(id), s.badge_file(id), s.last_verification(id))
    };
    let record = match record {
        Ok(Some(r)) => r,
        Ok(None) => {
            return failed(
                None,
                None,
                format!("There is no badge {id} in this backpack."),
            )
        }
        Err(e) => return failed(None, None, format!("The backpack could not be read: {e}.")),
    };
    let name = record.summary.name.clone();
    let before = Verdict::parse(&record.summary.status);
    let bytes = match file {
        Ok(Some((_, bytes))) => bytes,
        _ => record.payload.clone().into_bytes(),
    };
    let found = match crate::inspect::inspect(&bytes) {
        Ok(f) => f,
        Err(e) => {
            return failed(
                name,
                before,
                format!("The stored badge could not be read again: {e}."),
            )
        }
    };
    let recording = Recording::new(fetch);
    let report = verify::verify(
        &found,
        &recording,
        &Options {
            now: opts.now.unwrap_or_else(crate::clock::now),
            recipients: identities.to_vec(),
            recipient_rule: crate::verify::RecipientRule::Note,
        },
    );
    let view: Option<crate::model::BadgeView> = serde_json::from_str(&record.badge_json).ok();
    let rec = recorded(&report, recording.documents(), view.as_ref(), identities);
    let after = report.status;
    let mut changes = status_changes(before, after);
    if let Ok(Some(last)) = &last {
        changes.extend(document_changes(
            &last.documents_json,
            &rec.documents,
            record.summary.assertion_id.as_deref(),
        ));
    }
    let written = lock(store).add_verification(
        id,
        &NewVerification {
            checked_at: report.checked_at,
            status: after.as_str(),
            offline: opts.offline,
            report_json: &rec.report_json,
            documents: &rec.documents,
            recipient: &rec.recipient,
        },
    );
    if let Err(e) = written {
        return failed(
            name,
            before,
            format!("The new report could not be kept: {e}."),
        );
    }
    ReverifyItem {
        id,
        name,
        before,
        after: Some(after),
        changes,
        message: super::import::summary_sentence(&report),
    }
}

/// The documents (URL, sha256) a new verification used whose bytes differ
/// from those the last one (`old_json`) used: the badge itself, when the URL
/// is its assertion id's, or a document it depends on.
fn document_changes(
    old_json: &str,
    documents: &[(String, String)],
    assertion_id: Option<&str>,
) -> Vec<Change> {
    let old: BTreeMap<String, String> = serde_json::from_str(old_json).unwrap_or_default();
    let mut changes = Vec::new();
    for (url, sha) in documents {
        if old.get(url).is_some_and(|o| o != sha) {
            let is_badge =
                assertion_id.is_some_and(|a| crate::fetch::cache_key(a).is_ok_and(|k| &k == url));
            changes.push(if is_badge {
                Change::BadgeChanged { url: url.clone() }
            } else {
                Change::DocumentChanged { url: url.clone() }
            });
        }
    }
    changes
}

fn status_changes(before: Option<Verdict>, after: Verdict) -> Vec<Change> {
    if before == Some(after) {
        return Vec::new();
    }
    vec![match after {
        Verdict::Verified if before == Some(Verdict::Suspended) => Change::NoLongerSuspended,
        Verdict::Revoked => Change::NewlyRevoked,
        Verdict::Suspended => Change::NewlySuspended,
        Verdict::Expired => Change::NewlyExpired,
        Verdict::Verified => Change::NowVerified,
        Verdict::Invalid => Change::NowInvalid,
        Verdict::Unverifiable => Change::CouldNotCheck,
    }]
}
