//! Import: every item is read, inspected, verified and stored whole, or
//! reported as a duplicate, as not a badge, or as failed, with the reason.

use super::problem::Problem;
use super::queue::Queue;
use super::sources::{self, Item, OpenArchive, Refusal};
use super::{lock, recorded, unix_date, view_of, Recording};
use crate::detect::InputKind;
use crate::fetch::Fetch;
use crate::inspect::{self, InspectError, Inspection};
use crate::limits;
use crate::model::BadgeView;
use crate::pool::{self, Slots};
use crate::store::{DuplicateBy, Inserted, NewBadge, NewVerification, Store};
use crate::verify::{self, Options, Report};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// How an import runs.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Check as of this time (seconds since the Unix epoch) instead of the clock.
    pub now: Option<i64>,
    /// How many items are worked on at once (0: four per core).
    pub workers: usize,
    /// Whether the fetcher is offline (recorded with each verification).
    pub offline: bool,
    /// What to do with a file whose assertion or credential id is already
    /// stored from a different file.
    pub same_id: SameId,
}

/// What to do with a file whose assertion or credential id is already
/// stored from a different file (the same bytes are never stored twice).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SameId {
    /// Report it as a duplicate of the badge kept.
    #[default]
    Skip,
    /// Put it in place of the kept badge's file, checked again; the badge
    /// keeps its number, tags, note, collections and history.
    Replace,
    /// Store it as a badge of its own beside the one kept.
    KeepBoth,
}

/// What happened to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Stored (whatever its verification status).
    Imported,
    /// Already in the backpack; not stored twice.
    Duplicate,
    /// Not a badge (a plain image, a badge definition, unrelated JSON ...).
    NotABadge,
    /// Could not be read or stored.
    Failed,
}

/// The report line of one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// The file, archive member (`archive.zip!path`), URL, "pasted text" or
    /// "pasted text, line N" (a line of a paste of several).
    pub source: String,
    /// What happened.
    pub outcome: ItemOutcome,
    /// The badge's number (imported or already present).
    pub badge_id: Option<i64>,
    /// The badge's name, when known.
    pub name: Option<String>,
    /// The issuer's name, when known.
    pub issuer: Option<String>,
    /// The verification status of an imported badge.
    pub status: Option<crate::verify::Verdict>,
    /// For duplicates: how it was recognized.
    pub duplicate_by: Option<DuplicateBy>,
    /// For an imported file that took a kept badge's place (see
    /// [`SameId::Replace`]): where the file it replaced had come from.
    pub replaced_source: Option<String>,
    /// Why: the not-a-badge or failure reason, or what the verification said.
    pub reason: Option<String>,
    /// For items not added (not a badge, failed): what kind of problem.
    pub problem: Option<Problem>,
}

impl ItemReport {
    fn new(source: String, outcome: ItemOutcome) -> ItemReport {
        ItemReport {
            source,
            outcome,
            badge_id: None,
            name: None,
            issuer: None,
            status: None,
            duplicate_by: None,
            replaced_source: None,
            reason: None,
            problem: None,
        }
    }
    fn because(mut self, reason: impl Into<String>) -> ItemReport {
        self.reason = Some(reason.into());
        self
    }
    /// Not added, for this reason.
    fn refused(source: String, outcome: ItemOutcome, (problem, why): Refusal) -> ItemReport {
        let mut line = ItemReport::new(source, outcome).because(why);
        line.problem = Some(problem);
        line
    }
}

/// The whole import's result, items in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// One line per item handled.
    pub items: Vec<ItemReport>,
    /// How many items were found in all.
    pub total: usize,
    /// Whether the import was cancelled before every item was handled.
    pub cancelled: bool,
}

impl ImportReport {
    /// How many items ended with `outcome`.
    pub fn count(&self, outcome: ItemOutcome) -> usize {
        self.items.iter().filter(|i| i.outcome == outcome).count()
    }
}

/// Progress, sent after every item.
#[derive(Clone, Copy, Debug)]
pub struct ImportProgress<'a> {
    /// Items handled so far.
    pub done: usize,
    /// Items found in all.
    pub total: usize,
    /// The item just handled.
    pub item: &'a ItemReport,
}

struct Context<'a> {
    store: &'a Mutex<Store>,
    fetch: &'a dyn Fetch,
    identities: Vec<String>,
    opts: &'a ImportOptions,
    order: InputOrder,
    cancel: &'a AtomicBool,
}

/// Where each item of an import stands, so that of several items with the
/// same bytes or the same assertion id the first in input order is the one
/// stored, however the workers finish. An item says what it would store
/// ([`InputOrder::claim`]) once it knows, and waits only for earlier items
/// that have not said yet or that claim the same bytes or id.
struct InputOrder {
    state: Mutex<Vec<Claim>>,
    changed: Condvar,
}

#[derive(Clone, Default)]
enum Claim {
    /// Not yet known.
    #[default]
    Pending,
    /// Would store a file with this SHA-256 and this id.
    Storing(String, Option<String>),
    /// Stored, reported or dropped: nothing left to wait for.
    Settled,
}

impl InputOrder {
    fn new(total: usize) -> InputOrder {
        InputOrder {
            state: Mutex::new(vec![Claim::Pending; total]),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Claim>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, i: usize, claim: Claim) {
        if let Some(slot) = self.lock().get_mut(i) {
            *slot = claim;
        }
        self.changed.notify_all();
    }

    /// Item `i` would store these bytes under this id: returns once no
    /// earlier item may still store the same (or the import is cancelled).
    fn claim(&self, i: usize, sha: &str, id: Option<&str>, cancel: &AtomicBool) {
        let mut state = self.lock();
        if let Some(slot) = state.get_mut(i) {
            *slot = Claim::Storing(sha.to_owned(), id.map(str::to_owned));
        }
        self.changed.notify_all();
        loop {
            let waiting = state.iter().take(i).any(|c| match c {
                Claim::Pending => true,
                Claim::Storing(s, other) => s == sha || (id.is_some() && other.as_deref() == id),
                Claim::Settled => false,
            });
            if !waiting || cancel.load(Ordering::Relaxed) {
                return;
            }
            // Timed, so that a cancel (which drops items unhandled) is seen.
            state = self
                .changed
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Imports `inputs` into `store`, verifying each badge through `fetch`
/// (which should keep the documents it fetches: a [`crate::fetch::CachingFetch`]).
/// `progress` is called after every item from the worker that handled it;
/// setting `cancel` stops the import after the items in hand (every stored
/// badge stays whole). Never fails as a whole: problems are per item.
pub fn import(
    store: &Mutex<Store>,
    fetch: &dyn Fetch,
    inputs: &[sources::ImportInput],
    opts: &ImportOptions,
    progress: &(dyn Fn(ImportProgress<'_>) + Sync),
    cancel: &AtomicBool,
) -> ImportReport {
    let items = sources::discover(inputs);
    let total = items.len();
    let identities = super::identities(store).unwrap_or_default();
    let ctx = Context {
        store,
        fetch,
        identities,
        opts,
        order: InputOrder::new(total),
        cancel,
    };
    let workers = pool::workers(opts.workers, total);
    let results = Slots::new(total);
    // Items travel through a small queue bounded in items and in bytes:
    // folders and archives of any size never sit in memory as bytes;
    // archive members are read in order by one reader (this thread).
    let queue = Queue::<(usize, Loaded)>::new(workers * 2, limits::MAX_IMPORT_QUEUE_BYTES);
    pool::run(
        workers,
        cancel,
        &queue,
        &|i, loaded, done| {
            let report = ctx.handle(i, loaded);
            ctx.order.set(i, Claim::Settled);
            progress(ImportProgress {
                done,
                total,
                item: &report,
            });
            results.put(i, report);
        },
        || {
            let mut archive: Option<OpenArchive> = None;
            for (i, item) in items.into_iter().enumerate() {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                let loaded = load(item, &mut archive);
                let bytes = loaded.bytes();
                queue.push((i, loaded), bytes);
            }
            queue.close();
        },
    );
    let items = results.into_done();
    ImportReport {
        cancelled: items.len() < total,
        items,
        total,
    }
}

/// An item with what the reader could get for it.
enum Loaded {
    Bytes(String, Vec<u8>),
    Url(String),
    /// Pasted text and how the report names it.
    Text(String, String),
    Failed(String, Refusal),
}

impl Loaded {
    /// What the item holds in memory, as the queue counts it.
    fn bytes(&self) -> usize {
        match self {
            Loaded::Bytes(source, bytes) => source.len() + bytes.len(),
            Loaded::Url(text) => text.len(),
            Loaded::Text(source, text) => source.len() + text.len(),
            Loaded::Failed(source, (_, why)) => source.len() + why.len(),
        }
    }
}

fn load(item: Item, archive: &mut Option<OpenArchive>) -> Loaded {
    let source = item.source();
    match item {
        Item::File { read, follow, .. } => match sources::read_file(&read, follow) {
            Ok(bytes) => Loaded::Bytes(source, bytes),
            Err(why) => Loaded::Failed(source, why),
        },
        Item::Member {
            archive: path,
            follow,
            index,
            ..
        } => {
            if archive.as_ref().is_none_or(|a| a.path() != path) {
                *archive = match OpenArchive::open(&path, follow) {
                    Ok(a) => Some(a),
                    Err(why) => return Loaded::Failed(source, why),
                };
            }
            match archive.as_mut().map(|a| a.read(index)) {
                Some(Ok(bytes)) => Loaded::Bytes(source, bytes),
                Some(Err(why)) => Loaded::Failed(source, why),
                None => Loaded::Failed(
                    source,
                    (
                        Problem::Damaged,
                        "the archive could not be opened".to_owned(),
                    ),
                ),
            }
        }
        Item::Url(u) => Loaded::Url(u),
        Item::Text { text, .. } => Loaded::Text(source, text),
        Item::Bytes(name, bytes) => Loaded::Bytes(name, bytes),
        Item::Broken(name, why) => Loaded::Failed(name, why),
    }
}

fn media_type(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Png => "image/png",
        InputKind::Svg => "image/svg+xml",
        InputKind::Json => "application/json",
        InputKind::Jws => "application/jwt",
        InputKind::Url => "text/uri-list",
        InputKind::Unknown => "application/octet-stream",
    }
}

fn container_word(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Png => "png",
        InputKind::Svg => "svg",
        InputKind::Json => "json",
        InputKind::Jws => "jws",
        InputKind::Url => "url",
        InputKind::Unknown => "unknown",
    }
}

/// An item that passed the import's first checks, on its way to be verified
/// and stored.
struct Admitted<'f> {
    source: String,
    bytes: Vec<u8>,
    sha: String,
    found: Inspection,
    /// The fetcher that notes which documents verification used.
    recording: Recording<'f>,
    view: Option<(BadgeView, Option<String>)>,
    assertion_id: Option<String>,
    /// The kept badge this item replaces (`SameId::Replace`).
    replacing: Option<i64>,
}

/// The refusal of an item that could not be inspected.
fn unread(source: String, bytes: &[u8], e: &InspectError) -> ItemReport {
    match e {
        // A good image without a badge, a document that is not one, or
        // something that is no image, JSON, JWS or URL at all.
        InspectError::NotBaked(..) | InspectError::NotABadge(_) => ItemReport::refused(
            source,
            ItemOutcome::NotABadge,
            (Problem::of(e), e.to_string()),
        ),
        _ if crate::detect::sniff(bytes) == InputKind::Unknown => ItemReport::refused(
            source,
            ItemOutcome::NotABadge,
            (Problem::Unsupported, e.to_string()),
        ),
        // A damaged image, an unreadable baked payload, an I/O error:
        // it may well be a badge, and it could not be read.
        _ => ItemReport::refused(source, ItemOutcome::Failed, (Problem::of(e), e.to_string())),
    }
}

/// What a document that is no award is instead, after "this is not":
/// "an awarded badge: it is an Endorsement".
fn what_instead(kind: crate::detect::DocKind) -> String {
    match kind {
        crate::detect::DocKind::Unknown => "an Open Badges document".to_owned(),
        kind => {
            let name = kind.as_str();
            let article = if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            format!("an awarded badge: it is {article} {name}")
        }
    }
}

/// Fetches (through `recording`, so they are kept) the images a badge's page
/// shows, so it displays offline too: the badge image unless the badge is its
/// own image, and the issuer's.
fn keep_images(found: &Inspection, view: Option<&BadgeView>, recording: &Recording) {
    let Some(v) = view else { return };
    let own_image = matches!(found.container, InputKind::Png | InputKind::Svg);
    for image in [
        v.image.as_deref().filter(|_| !own_image),
        v.issuer.image.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        if crate::detect::is_http_url(image) {
            let _ = recording.get(image);
        }
    }
}

/// The stored fields derived from a badge's view and first report.
struct Fields {
    /// The view as JSON (`{}` without one).
    badge_json: String,
    version: Option<String>,
    /// The description and the tags, for the full-text index.
    description: Option<String>,
    /// The criteria's narrative, else their URL.
    criteria: Option<String>,
}

impl Fields {
    fn of(view: Option<&(BadgeView, Option<String>)>, report: &Report) -> Fields {
        let v = view.map(|(v, _)| v);
        Fields {
            badge_json: v
                .and_then(|v| serde_json::to_string(v).ok())
                .unwrap_or_else(|| "{}".to_owned()),
            version: view
                .and_then(|(_, ver)| ver.clone())
                .or_else(|| report.version.map(|x| x.as_str().to_owned())),
            description: v.map(|v| {
                let mut text = v.description.clone().unwrap_or_default();
                for tag in &v.tags {
                    text.push(' ');
                    text.push_str(tag);
                }
                text
            }),
            criteria: v.and_then(|v| v.criteria.narrative.clone().or(v.criteria.url.clone())),
        }
    }
}

impl Context<'_> {
    fn now(&self) -> i64 {
        self.opts.now.unwrap_or_else(crate::clock::now)
    }

    /// Handles item `i` (its place in input order).
    fn handle(&self, i: usize, loaded: Loaded) -> ItemReport {
        match loaded {
            Loaded::Failed(source, why) => ItemReport::refused(source, ItemOutcome::Failed, why),
            Loaded::Bytes(source, bytes) => {
                let found = inspect::inspect(&bytes);
                self.store_one(i, source, bytes, found, None)
            }
            Loaded::Text(source, text) => {
                let trimmed = text.trim();
                if crate::detect::is_http_url(trimmed) {
                    return self.handle(i, Loaded::Url(trimmed.to_owned()));
                }
                let found = inspect::inspect_text(&text);
                self.store_one(i, source, text.into_bytes(), found, None)
            }
            Loaded::Url(url) => self.fetch_url(i, url),
        }
    }

    fn fetch_url(&self, i: usize, url: String) -> ItemReport {
        let failed = |why: String| {
            ItemReport::refused(
                url.clone(),
                ItemOutcome::Failed,
                (Problem::Unreachable, why),
            )
        };
        let doc = match self.fetch.get(&url) {
            Ok(doc) => doc,
            Err(e) => return failed(e.to_string()),
        };
        if !(200..300).contains(&doc.status) {
            return failed(format!("{url} answered HTTP {}", doc.status));
        }
        let found = inspect::inspect(&doc.body);
        self.store_one(i, url.clone(), doc.body, found, Some(url))
    }

    fn store_one(
        &self,
        i: usize,
        source: String,
        bytes: Vec<u8>,
        found: Result<Inspection, InspectError>,
        url: Option<String>,
    ) -> ItemReport {
        let found = match found {
            Ok(f) => f,
            Err(e) => return unread(source, &bytes, &e),
        };
        match self.admit(i, source, bytes, found) {
            Ok(item) => self.verify_and_store(item, url.is_some()),
            Err(report) => *report,
        }
    }

    /// Refuses what is no award or a duplicate; else waits for the earlier items
    /// that may store the same badge (`InputOrder`) and says which kept badge
    /// the item replaces, if any.
    fn admit<'f>(
        &'f self,
        i: usize,
        source: String,
        bytes: Vec<u8>,
        found: Inspection,
    ) -> Result<Admitted<'f>, Box<ItemReport>> {
        let sha = crate::store::sha256_hex(&bytes);
        if let Some(report) = self.duplicate(&source, &sha, None) {
            return Err(Box::new(report));
        }
        let is_link = found.payload_kind == crate::inspect::PayloadKind::Url;
        if !found.kind.is_award() && !is_link {
            return Err(Box::new(ItemReport::refused(
                source,
                ItemOutcome::NotABadge,
                (
                    Problem::NotAnAward,
                    format!("this is not {}", what_instead(found.kind)),
                ),
            )));
        }
        let recording = Recording::new(self.fetch);
        let view = view_of(&found, &recording);
        let assertion_id = view
            .as_ref()
            .and_then(|(v, _)| v.id.clone())
            .or_else(|| is_link.then(|| found.payload.trim().to_owned()));
        // Of several items with these bytes or this id, the first in input
        // order is stored: wait for the earlier ones that may store the same.
        self.order
            .claim(i, &sha, assertion_id.as_deref(), self.cancel);
        // A different file with a kept badge's id: reported, or (as asked)
        // put in that badge's place, or kept beside it.
        let mut replacing = None;
        if let Some(report) = self.duplicate(&source, &sha, assertion_id.as_deref()) {
            match (report.duplicate_by, self.opts.same_id) {
                (Some(DuplicateBy::SameId), SameId::Replace) => replacing = report.badge_id,
                (Some(DuplicateBy::SameId), SameId::KeepBoth) => {}
                _ => return Err(Box::new(report)),
            }
        }
        Ok(Admitted {
            source,
            bytes,
            sha,
            found,
            recording,
            view,
            assertion_id,
            replacing,
        })
    }

    /// Verifies an admitted item, keeps the images its page shows, and stores
    /// it with its first verification. `from_url`: the item was fetched.
    fn verify_and_store(&self, item: Admitted, from_url: bool) -> ItemReport {
        let now = self.now();
        let report = verify::verify(
            &item.found,
            &item.recording,
            &Options {
                now,
                recipients: self.identities.clone(),
                recipient_rule: crate::verify::RecipientRule::Note,
            },
        );
        let v = item.view.as_ref().map(|(v, _)| v);
        keep_images(&item.found, v, &item.recording);
        let rec = recorded(&report, item.recording.documents(), v, &self.identities);
        let fields = Fields::of(item.view.as_ref(), &report);
        let container = if from_url && item.found.container == InputKind::Json {
            "url"
        } else {
            container_word(item.found.container)
        };
        let new = NewBadge {
            original: &item.bytes,
            sha256: Some(&item.sha),
            media_type: media_type(item.found.container),
            container,
            source: &item.source,
            version: fields.version.as_deref(),
            format: report.format.as_str(),
            assertion_id: item.assertion_id.as_deref(),
            payload: &item.found.payload,
            badge_json: &fields.badge_json,
            name: v
                .and_then(|v| v.name.as_deref())
                .or(report.badge_name.as_deref()),
            description: fields.description.as_deref(),
            criteria: fields.criteria.as_deref(),
            issuer_name: v
                .and_then(|v| v.issuer.name.as_deref())
                .or(report.issuer.as_deref()),
            issuer_id: v.and_then(|v| v.issuer.id.as_deref()),
            issued_on: unix_date(v.and_then(|v| v.issued_on.as_deref())),
            expires: unix_date(v.and_then(|v| v.expires.as_deref())),
            imported_at: now,
            verification: NewVerification {
                checked_at: report.checked_at,
                status: report.status.as_str(),
                offline: self.opts.offline,
                report_json: &rec.report_json,
                documents: &rec.documents,
                recipient: &rec.recipient,
            },
            tags: &[],
        };
        let mut line = ItemReport::new(item.source.clone(), ItemOutcome::Imported);
        line.name = new.name.map(str::to_owned);
        line.issuer = new.issuer_name.map(str::to_owned);
        match item.replacing {
            Some(kept) => self.replace(kept, &new, line, &report),
            None => self.insert(&new, line, &report),
        }
    }

    /// Puts `new` in the place of badge `kept` (`SameId::Replace`).
    fn replace(
        &self,
        kept: i64,
        new: &NewBadge,
        mut line: ItemReport,
        report: &Report,
    ) -> ItemReport {
        let before = lock(self.store).badge(kept).ok().flatten();
        match lock(self.store).replace_badge(kept, new) {
            Ok(true) => {
                line.badge_id = Some(kept);
                line.status = Some(report.status);
                line.replaced_source = before.map(|b| b.source);
                line.reason = Some(format!(
                    "kept instead of the file badge {kept} had{}: {}",
                    line.replaced_source
                        .as_deref()
                        .map(|s| format!(" (from {s})"))
                        .unwrap_or_default(),
                    summary_sentence(report)
                ));
                line
            }
            Ok(false) => ItemReport::refused(
                line.source,
                ItemOutcome::Failed,
                (
                    Problem::Storage,
                    format!("badge {kept} is no longer in the backpack"),
                ),
            ),
            Err(e) => ItemReport::refused(
                line.source,
                ItemOutcome::Failed,
                (Problem::Storage, format!("it could not be stored: {e}")),
            ),
        }
    }

    /// Stores `new` as a new badge (beside one with its id, if so asked), or
    /// reports the badge it duplicates.
    fn insert(&self, new: &NewBadge, mut line: ItemReport, report: &Report) -> ItemReport {
        let inserted = if self.opts.same_id == SameId::KeepBoth {
            lock(self.store).insert_badge_beside(new)
        } else {
            lock(self.store).insert_badge(new)
        };
        match inserted {
            Ok(Inserted::New(id)) => {
                line.badge_id = Some(id);
                line.status = Some(report.status);
                line.reason = Some(summary_sentence(report));
                line
            }
            Ok(Inserted::Duplicate(id, by)) => {
                line.outcome = ItemOutcome::Duplicate;
                line.badge_id = Some(id);
                line.duplicate_by = Some(by);
                line.reason = Some(self.duplicate_reason(id, by));
                line
            }
            Err(e) => ItemReport::refused(
                line.source,
                ItemOutcome::Failed,
                (Problem::Storage, format!("it could not be stored: {e}")),
            ),
        }
    }

    /// Why an item was not stored again, naming the badge kept: "already
    /// in the backpack as “Loopback Listener” (badge 7, from 0.png): the same
    /// file". A different file with the same assertion or credential id says
    /// so, and how to keep this one instead.
    fn duplicate_reason(&self, id: i64, by: DuplicateBy) -> String {
        let what = self.kept_badge(id);
        match by {
            DuplicateBy::SameBytes => format!("already in the backpack as {what}: the same file"),
            DuplicateBy::SameId => format!(
                "already in the backpack as {what}, with the same assertion or credential id, but this file differs from the one kept: this one can be kept instead, or both"
            ),
        }
    }

    /// A kept badge as a report names it: "“Loopback Listener” (badge 7,
    /// from 0.png)".
    fn kept_badge(&self, id: i64) -> String {
        match lock(self.store).badge(id).ok().flatten() {
            Some(r) => format!(
                "“{}” (badge {id}, from {})",
                r.summary.name.as_deref().unwrap_or("Untitled badge"),
                r.source
            ),
            None => format!("badge {id}"),
        }
    }

    fn duplicate(&self, source: &str, sha: &str, id: Option<&str>) -> Option<ItemReport> {
        let found = lock(self.store).find_duplicate(sha, id);
        match found {
            Ok(Some((badge, by))) => {
                let mut line = ItemReport::new(source.to_owned(), ItemOutcome::Duplicate);
                line.badge_id = Some(badge);
                line.duplicate_by = Some(by);
                line.reason = Some(self.duplicate_reason(badge, by));
                Some(line)
            }
            Ok(None) => None,
            Err(e) => Some(ItemReport::refused(
                source.to_owned(),
                ItemOutcome::Failed,
                (
                    Problem::Storage,
                    format!("the backpack could not be read: {e}"),
                ),
            )),
        }
    }
}

/// The sentence that says why a badge has its status: the first failed
/// check, else the first that could not be made, else how many warnings a
/// verified badge has.
pub(crate) fn summary_sentence(report: &crate::verify::Report) -> String {
    use crate::verify::CheckStatus as S;
    for wanted in [S::Fail, S::Skip] {
        if let Some(c) = report.checks.iter().find(|c| c.status == wanted) {
            return c.message.clone();
        }
    }
    let warnings = report.checks.iter().filter(|c| c.status == S::Warn).count();
    match report.status {
        crate::verify::Verdict::Verified if warnings == 0 => "Every check passed.".to_owned(),
        crate::verify::Verdict::Verified => format!(
            "Every required check passed, with {warnings} warning{}.",
            if warnings == 1 { "" } else { "s" }
        ),
        _ => report
            .checks
            .first()
            .map(|c| c.message.clone())
            .unwrap_or_default(),
    }
}
