//! The backpack commands: import, list, show, delete, tag, untag, note,
//! collection, identity, reverify, backup, restore, export-all. Each opens
//! the store in the data dir, makes one call into `satchel::backpack` or
//! `satchel::store`, and prints text or (with `--json`) JSON.

use crate::output::{clean, clean_lines, json_text};
use crate::{sentence, Failure};
use satchel::backpack::{self, ImportInput, ImportOptions, ItemOutcome, ReverifyOptions};
use satchel::fetch::{CachingFetch, HttpFetch, NetPolicy};
use satchel::store::{self, BadgeQuery, SortBy, Store};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Set by Ctrl-C: long runs stop after the badges in hand.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// How to reach issuers.
#[derive(clap::Args, Clone, Debug)]
pub struct NetArgs {
    /// Use only documents kept from earlier fetches or pinned with `satchel cache`; no network.
    #[arg(long)]
    pub offline: bool,
    /// Allow fetching from loopback, private and link-local addresses (also SATCHEL_ALLOW_PRIVATE_NETWORK=1).
    #[arg(long)]
    pub allow_private_network: bool,
    /// Check as of this time (RFC 3339, e.g. 2026-01-31T12:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

/// `satchel import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    /// Badge files, folders (walked recursively), zip archives, URLs, or `-` for standard input.
    #[arg(value_name = "INPUT", required_unless_present = "paste")]
    pub inputs: Vec<String>,
    /// Import this pasted text: assertion or credential JSON, a JWS, or a URL (repeatable).
    #[arg(long, value_name = "TEXT")]
    pub paste: Vec<String>,
    /// Print one JSON object per item and line, then a summary line.
    #[arg(long)]
    pub json: bool,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

/// `satchel list`.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Words to find in name, description, issuer, criteria, tags and note.
    #[arg(long, short = 's', value_name = "TEXT")]
    pub search: Option<String>,
    /// Only this status: verified, expired, revoked, invalid, unverifiable (repeatable).
    #[arg(long, value_name = "S")]
    pub status: Vec<String>,
    /// Only badges from this issuer (its name or id, any case).
    #[arg(long, value_name = "I")]
    pub issuer: Option<String>,
    /// Only badges with this tag.
    #[arg(long, value_name = "T")]
    pub tag: Option<String>,
    /// Only badges in this collection (name or number), in its order.
    #[arg(long, value_name = "C")]
    pub collection: Option<String>,
    /// Issued on or after this date (YYYY-MM-DD or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub issued_after: Option<String>,
    /// Issued before this date.
    #[arg(long, value_name = "DATE")]
    pub issued_before: Option<String>,
    /// Expiring on or after this date.
    #[arg(long, value_name = "DATE")]
    pub expires_after: Option<String>,
    /// Expiring before this date.
    #[arg(long, value_name = "DATE")]
    pub expires_before: Option<String>,
    /// Order: imported (newest first), name, issuer, issued, expires, status.
    #[arg(long, value_name = "KEY", default_value = "imported")]
    pub sort: String,
    /// Reverse the order.
    #[arg(long)]
    pub reverse: bool,
    /// At most this many.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Skip this many.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u32,
    /// Print one JSON object per badge and line.
    #[arg(long)]
    pub json: bool,
}

/// `satchel collection ...`.
#[derive(clap::Subcommand)]
pub enum CollectionCommand {
    /// Create a collection.
    Create {
        /// Its name.
        name: String,
        /// What it is for.
        #[arg(long, short = 'd', default_value = "")]
        description: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Rename a collection.
    Rename {
        /// The collection (name or number).
        collection: String,
        /// The new name.
        name: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Set a collection's description (empty text clears it).
    Describe {
        /// The collection (name or number).
        collection: String,
        /// The description.
        text: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Delete a collection (its badges stay in the backpack).
    Delete {
        /// The collection (name or number).
        collection: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Add badges to a collection (at the end, or at a position).
    Add {
        /// The collection (name or number).
        collection: String,
        /// Badge numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
        /// Insert at this position (1 = first).
        #[arg(long, value_name = "POS")]
        at: Option<usize>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Remove badges from a collection.
    Remove {
        /// The collection (name or number).
        collection: String,
        /// Badge numbers.
        #[arg(required = true)]
        ids: Vec<i64>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Move a badge to a position within a collection (1 = first).
    Move {
        /// The collection (name or number).
        collection: String,
        /// The badge number.
        id: i64,
        /// The new position (1 = first).
        position: usize,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// List collections.
    List {
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Show a collection and its badges in order.
    Show {
        /// The collection (name or number).
        collection: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
}

/// `satchel identity ...`.
#[derive(clap::Subcommand)]
pub enum IdentityCommand {
    /// Add identities: email addresses, web addresses, phone numbers (+...), DIDs.
    Add {
        /// The identities.
        #[arg(required = true)]
        values: Vec<String>,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// List identities.
    List {
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
    /// Remove an identity (by value or number).
    Remove {
        /// The identity.
        value: String,
        #[arg(long)]
        /// Print JSON.
        json: bool,
    },
}

/// `satchel reverify`.
#[derive(clap::Args)]
pub struct ReverifyArgs {
    /// Badge numbers to check again.
    #[arg(required_unless_present_any = ["all", "older_than"], conflicts_with_all = ["all", "older_than"])]
    pub ids: Vec<i64>,
    /// Check every badge in the backpack.
    #[arg(long, conflicts_with = "older_than")]
    pub all: bool,
    /// Check every badge whose last check is more than DAYS days old (for a scheduled job).
    #[arg(long, value_name = "DAYS")]
    pub older_than: Option<u32>,
    /// Print one JSON object per badge and line.
    #[arg(long)]
    pub json: bool,
    /// Never draw a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

fn usage(message: impl std::fmt::Display) -> Failure {
    Failure {
        code: 2,
        message: sentence(&message.to_string()),
    }
}

fn rejected(message: impl std::fmt::Display) -> Failure {
    Failure {
        code: 1,
        message: sentence(&message.to_string()),
    }
}

fn store_failure(e: store::StoreError) -> Failure {
    match e {
        store::StoreError::NoSuchBadge(_)
        | store::StoreError::NoSuchCollection(_)
        | store::StoreError::CollectionExists(_)
        | store::StoreError::Invalid(_) => rejected(e),
        other => usage(other),
    }
}

/// Opens the store in the data dir.
pub fn open(data_dir: Option<PathBuf>) -> Result<Mutex<Store>, Failure> {
    let dir = store::data_dir(data_dir).map_err(usage)?;
    Store::open_default(&dir).map(Mutex::new).map_err(usage)
}

fn lock(store: &Mutex<Store>) -> std::sync::MutexGuard<'_, Store> {
    store
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn now() -> i64 {
    crate::verify::parse_now(None).unwrap_or(0)
}

fn out() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::new(std::io::stdout().lock())
}

fn print_json(v: &Value) {
    let mut o = out();
    let _ = write!(o, "{}", json_text(format!("{v}\n")));
    let _ = o.flush();
}

fn date(t: Option<i64>) -> String {
    t.map(|t| {
        let full = crate::verify::rfc3339(t);
        full.get(..10).unwrap_or(&full).to_owned()
    })
    .unwrap_or_else(|| "—".to_owned())
}

/// Parses a date argument: YYYY-MM-DD (midnight UTC) or RFC 3339.
fn parse_day(flag: &str, text: Option<&str>) -> Result<Option<i64>, Failure> {
    let Some(text) = text else { return Ok(None) };
    let rfc = time::format_description::well_known::Rfc3339;
    if let Ok(t) = time::OffsetDateTime::parse(text, &rfc) {
        return Ok(Some(t.unix_timestamp()));
    }
    let day = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(text, &day)
        .map(|d| Some(d.midnight().assume_utc().unix_timestamp()))
        .map_err(|_| usage(format!("{flag} {text:?} is not a date such as 2026-01-31")))
}

/// Installs the Ctrl-C handler: the first press cancels after the badges
/// in hand; a second press stops at once (every stored badge is whole).
fn on_ctrl_c() {
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\nsatchel: stopping after the badges in hand (press Ctrl-C again to stop now)…");
    });
}

fn progress_bar(hidden: bool, message: &'static str) -> indicatif::ProgressBar {
    let bar = if hidden {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
    bar
}

struct Net {
    http: HttpFetch,
    offline: bool,
    now: Option<i64>,
}

fn net(args: &NetArgs) -> Result<Net, Failure> {
    let now = match &args.now {
        Some(t) => Some(crate::verify::parse_now(Some(t)).map_err(usage)?),
        None => None,
    };
    let mut policy = NetPolicy::from_env();
    policy.allow_private |= args.allow_private_network;
    Ok(Net {
        http: HttpFetch::new(policy),
        offline: args.offline,
        now,
    })
}

fn fetcher<'a>(net: &'a Net, store: &'a Mutex<Store>) -> CachingFetch<'a> {
    if net.offline {
        CachingFetch::offline(store)
    } else {
        CachingFetch::online(&net.http, store)
    }
}

fn outcome_word(o: ItemOutcome) -> &'static str {
    match o {
        ItemOutcome::Imported => "imported",
        ItemOutcome::Duplicate => "duplicate",
        ItemOutcome::NotABadge => "not_a_badge",
        ItemOutcome::Failed => "failed",
    }
}

/// `satchel import`.
pub fn import(args: ImportArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let net = net(&args.net)?;
    let fetch = fetcher(&net, &store);
    let mut inputs = Vec::new();
    for arg in &args.inputs {
        if arg == "-" {
            let bytes = crate::read_stdin(satchel::limits::MAX_PNG_BAKE_BYTES)?;
            inputs.push(ImportInput::Bytes {
                name: "standard input".to_owned(),
                bytes,
            });
        } else {
            inputs.push(ImportInput::from_arg(arg));
        }
    }
    inputs.extend(args.paste.iter().cloned().map(ImportInput::Text));
    on_ctrl_c();
    let bar = progress_bar(args.no_progress || args.json, "Importing");
    let opts = ImportOptions {
        now: net.now,
        workers: 0,
        offline: net.offline,
    };
    let report = backpack::import(
        &store,
        &fetch,
        &inputs,
        &opts,
        &|p| {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        },
        &CANCEL,
    );
    bar.finish_and_clear();
    let mut o = out();
    for item in &report.items {
        let line = if args.json {
            let mut v = serde_json::to_value(item).unwrap_or(Value::Null);
            v["outcome"] = json!(outcome_word(item.outcome));
            format!("{v}\n")
        } else {
            let what = match (&item.name, &item.issuer) {
                (Some(n), Some(i)) => format!(" — {}, issued by {}", clean(n), clean(i)),
                (Some(n), None) => format!(" — {}", clean(n)),
                _ => String::new(),
            };
            let source = clean(&item.source);
            let reason = clean(item.reason.as_deref().unwrap_or(""));
            match item.outcome {
                ItemOutcome::Imported => format!(
                    "imported    {source}{what} as badge {} ({}): {reason}\n",
                    item.badge_id.unwrap_or(0),
                    item.status.map_or("?", |s| s.as_str()),
                ),
                ItemOutcome::Duplicate => format!("duplicate   {source}: {reason}\n"),
                ItemOutcome::NotABadge => format!("not a badge {source}: {}\n", sentence(&reason)),
                ItemOutcome::Failed => format!("failed      {source}: {}\n", sentence(&reason)),
            }
        };
        let line = if args.json {
            json_text(line).into()
        } else {
            clean_lines(&line)
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    let counts = json!({
        "total": report.total,
        "imported": report.count(ItemOutcome::Imported),
        "duplicate": report.count(ItemOutcome::Duplicate),
        "not_a_badge": report.count(ItemOutcome::NotABadge),
        "failed": report.count(ItemOutcome::Failed),
        "cancelled": report.cancelled,
    });
    if args.json {
        let _ = writeln!(o, "{}", json!({ "summary": counts }));
    } else if report.total == 0 {
        let _ = writeln!(
            o,
            "Nothing to import: the folders and archives named hold no files (hidden ones are skipped)."
        );
    } else {
        let _ = writeln!(
            o,
            "{} imported, {} already present, {} not badges, {} failed{}.",
            counts["imported"],
            counts["duplicate"],
            counts["not_a_badge"],
            counts["failed"],
            if report.cancelled {
                format!(
                    "; cancelled after {} of {} items",
                    report.items.len(),
                    report.total
                )
            } else {
                String::new()
            }
        );
    }
    let _ = o.flush();
    for e in fetch.store_errors() {
        eprintln!("satchel: warning: {}.", clean(&e.to_string()));
    }
    if report.cancelled {
        return Err(rejected(format!(
            "import cancelled after {} of {} items; every badge listed above is stored whole",
            report.items.len(),
            report.total
        )));
    }
    let bad = report.count(ItemOutcome::NotABadge) + report.count(ItemOutcome::Failed);
    if bad > 0 {
        return Err(Failure {
            code: 1,
            message: String::new(),
        });
    }
    Ok(())
}

fn sort_by(word: &str) -> Result<SortBy, Failure> {
    Ok(match word {
        "imported" => SortBy::Imported,
        "name" => SortBy::Name,
        "issuer" => SortBy::Issuer,
        "issued" => SortBy::Issued,
        "expires" => SortBy::Expires,
        "status" => SortBy::Status,
        other => {
            return Err(usage(format!(
                "--sort {other:?} is not one of imported, name, issuer, issued, expires, status"
            )))
        }
    })
}

/// `satchel list`.
pub fn list(args: ListArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    for st in &args.status {
        let st = st.to_lowercase();
        if satchel::verify::Verdict::parse(&st).is_none() {
            return Err(usage(format!(
                "--status {st:?} is not one of verified, expired, revoked, invalid, unverifiable"
            )));
        }
    }
    let collection = match &args.collection {
        Some(c) => Some(s.find_collection(c).map_err(store_failure)?.id),
        None => None,
    };
    let q = BadgeQuery {
        search: args.search.clone(),
        status: args.status.iter().map(|x| x.to_lowercase()).collect(),
        issuer: args.issuer.clone(),
        tag: args.tag.clone(),
        collection,
        issued_from: parse_day("--issued-after", args.issued_after.as_deref())?,
        issued_to: parse_day("--issued-before", args.issued_before.as_deref())?,
        expires_from: parse_day("--expires-after", args.expires_after.as_deref())?,
        expires_to: parse_day("--expires-before", args.expires_before.as_deref())?,
        sort: sort_by(&args.sort)?,
        reverse: args.reverse,
        limit: args.limit,
        offset: args.offset,
    };
    let badges = s.list_badges(&q).map_err(store_failure)?;
    let ids: Vec<i64> = badges.iter().map(|b| b.id).collect();
    let mut tags: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for (id, tag) in s.tags_of(&ids).map_err(store_failure)? {
        tags.entry(id).or_default().push(tag);
    }
    let mut o = out();
    if !args.json && badges.is_empty() {
        let total = s.badge_count().map_err(store_failure)?;
        let _ = writeln!(
            o,
            "{}",
            if total == 0 {
                "The backpack is empty. Add badges with `satchel import FILE...`."
            } else {
                "No badge matches."
            }
        );
    }
    for b in &badges {
        let t = tags.get(&b.id).cloned().unwrap_or_default();
        let line = if args.json {
            let mut v = serde_json::to_value(b).unwrap_or(Value::Null);
            v["tags"] = json!(t);
            format!("{v}\n")
        } else {
            format!(
                "{:>5}  {:<12} {}  —  {}  (issued {}{}){}\n",
                b.id,
                b.status,
                clean(b.name.as_deref().unwrap_or("(unnamed badge)")),
                clean(b.issuer_name.as_deref().unwrap_or("unknown issuer")),
                date(b.issued_on),
                b.expires
                    .map(|e| format!(", expires {}", date(Some(e))))
                    .unwrap_or_default(),
                if t.is_empty() {
                    String::new()
                } else {
                    format!("  [{}]", clean(&t.join(", ")))
                }
            )
        };
        let line = if args.json {
            json_text(line).into()
        } else {
            clean_lines(&line)
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    let _ = o.flush();
    Ok(())
}

/// `satchel show`.
pub fn show(id: i64, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    let record = s
        .badge(id)
        .map_err(store_failure)?
        .ok_or_else(|| rejected(store::StoreError::NoSuchBadge(id)))?;
    let history = s.verifications(id).map_err(store_failure)?;
    let badge: Value = serde_json::from_str(&record.badge_json).unwrap_or(Value::Null);
    let last: Value = history
        .last()
        .and_then(|v| serde_json::from_str(&v.report_json).ok())
        .unwrap_or(Value::Null);
    if json_out {
        let mut v = serde_json::to_value(&record).unwrap_or(Value::Null);
        v["badge"] = badge;
        v["verification"] = last;
        v["history"] = json!(history
            .iter()
            .map(|h| json!({"checked_at": h.checked_at, "status": h.status, "offline": h.offline}))
            .collect::<Vec<_>>());
        if let Some(obj) = v.as_object_mut() {
            obj.remove("badge_json");
        }
        print_json(&v);
        return Ok(());
    }
    let b = &record.summary;
    let mut t = String::new();
    let text = |v: &Value| v.as_str().map(str::to_owned);
    t.push_str(&format!(
        "Badge {}: {}\n",
        b.id,
        clean(b.name.as_deref().unwrap_or("(unnamed badge)"))
    ));
    t.push_str(&format!(
        "  Issuer:      {}{}\n",
        clean(b.issuer_name.as_deref().unwrap_or("unknown")),
        b.issuer_id
            .as_deref()
            .map(|i| format!(" <{}>", clean(i)))
            .unwrap_or_default()
    ));
    if let Some(d) = text(&badge["description"]) {
        t.push_str(&format!("  Description: {}\n", clean(&d)));
    }
    if let Some(c) = text(&badge["criteria"]["narrative"]).or(text(&badge["criteria"]["url"])) {
        t.push_str(&format!("  Criteria:    {}\n", clean(&c)));
    }
    t.push_str(&format!(
        "  Issued:      {}   Expires: {}\n",
        date(b.issued_on),
        b.expires.map_or("never".to_owned(), |e| date(Some(e)))
    ));
    t.push_str(&format!(
        "  Status:      {} (checked {})\n",
        b.status.to_uppercase(),
        crate::verify::rfc3339(b.checked_at)
    ));
    if let Some(checks) = last["checks"].as_array() {
        for c in checks {
            let mark = match c["status"].as_str() {
                Some("pass") => "✓",
                Some("fail") => "✗",
                Some("warn") => "!",
                _ => "?",
            };
            t.push_str(&format!(
                "    {mark} {}\n",
                clean(c["message"].as_str().unwrap_or(""))
            ));
        }
    }
    if let Some(m) = record.recipient_match.matched() {
        let (who, how) = (clean(&m.identity), m.how());
        t.push_str(&format!("  Recipient:   matched {who} ({how})\n"));
    }
    t.push_str(&format!(
        "  Format:      Open Badges {} {} ({})\n",
        b.version.as_deref().unwrap_or("?"),
        b.format,
        b.container
    ));
    if let Some(a) = &b.assertion_id {
        t.push_str(&format!("  Id:          {}\n", clean(a)));
    }
    t.push_str(&format!("  Source:      {}\n", clean(&record.source)));
    t.push_str(&format!(
        "  Imported:    {}\n",
        crate::verify::rfc3339(b.imported_at)
    ));
    if !record.tags.is_empty() {
        t.push_str(&format!(
            "  Tags:        {}\n",
            clean(&record.tags.join(", "))
        ));
    }
    if !record.collections.is_empty() {
        let names: Vec<&str> = record.collections.iter().map(|(_, n)| n.as_str()).collect();
        t.push_str(&format!("  Collections: {}\n", clean(&names.join(", "))));
    }
    if !record.note.is_empty() {
        t.push_str(&format!("  Note:        {}\n", clean(&record.note)));
    }
    if history.len() > 1 {
        t.push_str("  History:\n");
        for h in &history {
            t.push_str(&format!(
                "    {}  {}{}\n",
                crate::verify::rfc3339(h.checked_at),
                h.status,
                if h.offline { " (offline)" } else { "" }
            ));
        }
    }
    crate::write_text(&t)
}

/// `satchel delete`.
pub fn delete(ids: &[i64], json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    let mut missing = Vec::new();
    for &id in ids {
        let gone = s.delete_badge(id).map_err(store_failure)?;
        if json_out {
            print_json(&json!({"id": id, "deleted": gone}));
        } else if gone {
            say!("Deleted badge {id}.");
        }
        if !gone {
            missing.push(id);
        }
    }
    match missing.first() {
        None => Ok(()),
        Some(&id) => Err(rejected(store::StoreError::NoSuchBadge(id))),
    }
}

/// `satchel tag` / `satchel untag`.
pub fn tag(
    id: i64,
    tags: &[String],
    remove: bool,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    let now = if remove {
        s.remove_tags(id, tags)
    } else {
        s.add_tags(id, tags)
    }
    .map_err(store_failure)?;
    if json_out {
        print_json(&json!({"id": id, "tags": now}));
    } else if now.is_empty() {
        say!("Badge {id} has no tags.");
    } else {
        say!("Badge {id} is tagged {}.", now.join(", "));
    }
    Ok(())
}

/// `satchel note`.
pub fn note(id: i64, text: &str, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    lock(&store).set_note(id, text).map_err(store_failure)?;
    if json_out {
        print_json(&json!({"id": id, "note": text}));
    } else if text.is_empty() {
        say!("Cleared the note of badge {id}.");
    } else {
        say!("Saved the note of badge {id}.");
    }
    Ok(())
}

fn collection_json(s: &Store, c: &store::CollectionSummary) -> Result<Value, Failure> {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    v["badges"] = json!(s.collection_badge_ids(c.id).map_err(store_failure)?);
    Ok(v)
}

/// `satchel collection ...`.
pub fn collection(cmd: CollectionCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    let t = now();
    let find = |name: &str| s.find_collection(name).map_err(store_failure);
    let (json_out, value, text) = match cmd {
        CollectionCommand::Create {
            name,
            description,
            json,
        } => {
            let id = s
                .create_collection(&name, &description, t)
                .map_err(store_failure)?;
            let c = find(&id.to_string())?;
            (
                json,
                collection_json(&s, &c)?,
                format!("Created collection {} ({}).", c.name, c.id),
            )
        }
        CollectionCommand::Rename {
            collection,
            name,
            json,
        } => {
            let c = find(&collection)?;
            s.rename_collection(c.id, &name, t).map_err(store_failure)?;
            let c = find(&c.id.to_string())?;
            (
                json,
                collection_json(&s, &c)?,
                format!("Renamed the collection to {}.", c.name),
            )
        }
        CollectionCommand::Describe {
            collection,
            text,
            json,
        } => {
            let c = find(&collection)?;
            s.describe_collection(c.id, &text, t)
                .map_err(store_failure)?;
            let c = find(&c.id.to_string())?;
            (
                json,
                collection_json(&s, &c)?,
                format!("Saved the description of {}.", c.name),
            )
        }
        CollectionCommand::Delete { collection, json } => {
            let c = find(&collection)?;
            s.delete_collection(c.id).map_err(store_failure)?;
            (
                json,
                json!({"id": c.id, "name": c.name, "deleted": true}),
                format!(
                    "Deleted collection {} (its badges stay in the backpack).",
                    c.name
                ),
            )
        }
        CollectionCommand::Add {
            collection,
            ids,
            at,
            json,
        } => {
            let c = find(&collection)?;
            let added = s
                .add_to_collection(c.id, &ids, at.map(|p| p.saturating_sub(1)), t)
                .map_err(store_failure)?;
            let c = find(&c.id.to_string())?;
            (
                json,
                collection_json(&s, &c)?,
                format!(
                    "Added {added} badge{} to {} (now {}).",
                    if added == 1 { "" } else { "s" },
                    c.name,
                    c.count
                ),
            )
        }
        CollectionCommand::Remove {
            collection,
            ids,
            json,
        } => {
            let c = find(&collection)?;
            let n = s
                .remove_from_collection(c.id, &ids, t)
                .map_err(store_failure)?;
            let c = find(&c.id.to_string())?;
            (
                json,
                collection_json(&s, &c)?,
                format!(
                    "Removed {n} badge{} from {}.",
                    if n == 1 { "" } else { "s" },
                    c.name
                ),
            )
        }
        CollectionCommand::Move {
            collection,
            id,
            position,
            json,
        } => {
            let c = find(&collection)?;
            s.move_in_collection(c.id, id, position.saturating_sub(1), t)
                .map_err(store_failure)?;
            (
                json,
                collection_json(&s, &c)?,
                format!("Moved badge {id} to position {position} in {}.", c.name),
            )
        }
        CollectionCommand::List { json } => {
            let all = s.collections().map_err(store_failure)?;
            if json {
                for c in &all {
                    print_json(&collection_json(&s, c)?);
                }
                return Ok(());
            }
            let mut text = String::new();
            if all.is_empty() {
                text.push_str(
                    "No collections yet. Create one with `satchel collection create NAME`.",
                );
            }
            for c in &all {
                text.push_str(&format!(
                    "{:>4}  {}  ({} badge{}){}\n",
                    c.id,
                    clean(&c.name),
                    c.count,
                    if c.count == 1 { "" } else { "s" },
                    if c.description.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", clean(&c.description))
                    }
                ));
            }
            (false, Value::Null, text.trim_end().to_owned())
        }
        CollectionCommand::Show { collection, json } => {
            let c = find(&collection)?;
            let badges = s
                .list_badges(&BadgeQuery {
                    collection: Some(c.id),
                    ..BadgeQuery::default()
                })
                .map_err(store_failure)?;
            let mut v = serde_json::to_value(&c).unwrap_or(Value::Null);
            v["badges"] = serde_json::to_value(&badges).unwrap_or(Value::Null);
            let mut text = format!("{} ({})\n", clean(&c.name), c.id);
            if !c.description.is_empty() {
                text.push_str(&format!("{}\n", c.description));
            }
            for (i, b) in badges.iter().enumerate() {
                text.push_str(&format!(
                    "{:>4}. badge {:<5} {:<12} {} — {}\n",
                    i + 1,
                    b.id,
                    b.status,
                    clean(b.name.as_deref().unwrap_or("(unnamed badge)")),
                    clean(b.issuer_name.as_deref().unwrap_or("unknown issuer"))
                ));
            }
            if badges.is_empty() {
                text.push_str("No badges yet. Add some with `satchel collection add`.\n");
            }
            (json, v, text.trim_end().to_owned())
        }
    };
    if json_out {
        print_json(&value);
    } else {
        say!("{text}");
    }
    Ok(())
}

/// `satchel identity ...`.
pub fn identity(cmd: IdentityCommand, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let s = lock(&store);
    match cmd {
        IdentityCommand::Add { values, json } => {
            for v in &values {
                let (id, new) = s.add_identity(v, now()).map_err(store_failure)?;
                if json {
                    print_json(
                        &json!({"id": id.id, "kind": id.kind, "value": id.value, "added": new}),
                    );
                } else if new {
                    say!("Added {} {}.", id.kind.as_str(), id.value);
                } else {
                    say!("{} is already one of your identities.", id.value);
                }
            }
            drop(s);
            let n = backpack::rematch_identities(&store).map_err(store_failure)?;
            if !json {
                say!(
                    "{n} badge{} in your backpack {} issued to one of your identities.",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "was" } else { "were" }
                );
            }
            return Ok(());
        }
        IdentityCommand::List { json } => {
            let all = s.identities().map_err(store_failure)?;
            if all.is_empty() && !json {
                say!("No identities yet. Add your email addresses with `satchel identity add EMAIL`.");
            }
            for i in all {
                if json {
                    print_json(&serde_json::to_value(&i).unwrap_or(Value::Null));
                } else {
                    say!("{:>4}  {:<9} {}", i.id, i.kind.as_str(), i.value);
                }
            }
        }
        IdentityCommand::Remove { value, json } => {
            let gone = s.remove_identity(&value).map_err(store_failure)?;
            if json {
                print_json(&json!({"value": value, "removed": gone}));
            }
            if !gone {
                return Err(rejected(format!("{value:?} is not one of your identities")));
            }
            drop(s);
            backpack::rematch_identities(&store).map_err(store_failure)?;
            if !json {
                say!("Removed {value}.");
            }
            return Ok(());
        }
    }
    Ok(())
}

/// `satchel reverify`.
pub fn reverify(args: ReverifyArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let net = net(&args.net)?;
    let fetch = fetcher(&net, &store);
    let ids = if args.all {
        lock(&store).badge_ids().map_err(store_failure)?
    } else if let Some(days) = args.older_than {
        let now = net
            .now
            .unwrap_or_else(|| crate::verify::parse_now(None).unwrap_or(0));
        lock(&store)
            .badge_ids_checked_before(now - i64::from(days) * 86_400)
            .map_err(store_failure)?
    } else {
        args.ids.clone()
    };
    on_ctrl_c();
    let bar = progress_bar(args.no_progress || args.json, "Verifying");
    bar.set_length(ids.len() as u64);
    let report = backpack::reverify(
        &store,
        &fetch,
        &ids,
        &ReverifyOptions {
            now: net.now,
            offline: net.offline,
            workers: 0,
        },
        &|done, _, _| bar.set_position(done as u64),
        &CANCEL,
    );
    bar.finish_and_clear();
    let mut o = out();
    let mut changed = 0;
    for item in &report.items {
        changed += usize::from(!item.changes.is_empty());
        let line = if args.json {
            let v = serde_json::to_value(item).unwrap_or(Value::Null);
            format!("{v}\n")
        } else {
            let mut l = format!(
                "{:>5}  {:<12} {}",
                item.id,
                item.after.map_or("not checked", |s| s.as_str()),
                clean(item.name.as_deref().unwrap_or("(unnamed badge)"))
            );
            if item.changes.is_empty() {
                l.push_str(if item.after.is_some() {
                    "  (unchanged)\n"
                } else {
                    "\n"
                });
            } else {
                l.push('\n');
            }
            for c in &item.changes {
                l.push_str(&format!("         {}\n", clean(&c.message())));
            }
            if item.after != Some(satchel::verify::Verdict::Verified) {
                l.push_str(&format!("         {}\n", clean(&sentence(&item.message))));
            }
            l
        };
        let line = if args.json {
            json_text(line).into()
        } else {
            clean_lines(&line)
        };
        if o.write_all(line.as_bytes()).is_err() {
            break;
        }
    }
    if !args.json {
        let _ = match args.older_than {
            Some(days) if report.items.is_empty() => writeln!(
                o,
                "No badge was last checked more than {days} day{} ago; nothing to check.",
                if days == 1 { "" } else { "s" }
            ),
            _ => writeln!(
                o,
                "Checked {} badge{}; {changed} changed since the last check.",
                report.items.len(),
                if report.items.len() == 1 { "" } else { "s" }
            ),
        };
    }
    let _ = o.flush();
    if report.cancelled {
        return Err(rejected(format!(
            "cancelled after {} of {} badges; the reports above are kept",
            report.items.len(),
            ids.len()
        )));
    }
    if report.items.iter().any(|i| i.after.is_none()) {
        return Err(Failure {
            code: 1,
            message: String::new(),
        });
    }
    Ok(())
}

/// `satchel backup`.
pub fn backup(out_file: &Path, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let summary = lock(&store).backup_to(out_file).map_err(usage)?;
    if json_out {
        print_json(&serde_json::to_value(&summary).unwrap_or(Value::Null));
    } else {
        say!(
            "Backed up {} badges, {} collections and {} documents to {} ({} bytes).",
            summary.badges,
            summary.collections,
            summary.documents,
            out_file.display(),
            summary.bytes
        );
    }
    Ok(())
}

/// `satchel restore`.
pub fn restore(file: &Path, json_out: bool, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let dir = store::data_dir(data_dir).map_err(usage)?;
    let target = dir.join(store::DATABASE_FILE);
    let (_, summary) = store::restore(file, &target).map_err(|e| match e {
        store::StoreError::File { .. } | store::StoreError::SchemaTooNew { .. } => rejected(e),
        other => usage(other),
    })?;
    if json_out {
        print_json(&serde_json::to_value(&summary).unwrap_or(Value::Null));
    } else {
        say!(
            "Restored {} badges, {} collections and {} documents into {}.",
            summary.badges,
            summary.collections,
            summary.documents,
            dir.display()
        );
    }
    Ok(())
}

/// `satchel export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// The collection (name or number).
    pub collection: String,
    /// The folder to write (new, empty, or a previous export of Satchel's).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Where the folder will be published (https://example.org/badges/): absolute links for
    /// social cards, embeds and LinkedIn.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Show the recipient's name on the pages (when the badge names one).
    #[arg(long)]
    pub include_recipient_name: bool,
    /// Show the badges' evidence on the pages.
    #[arg(long)]
    pub include_evidence: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// `satchel export`.
pub fn export(args: ExportArgs, data_dir: Option<PathBuf>) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let collection = lock(&store)
        .find_collection(&args.collection)
        .map_err(store_failure)?;
    let opts = satchel::export::ExportOptions {
        base_url: args.base_url.clone(),
        include_recipient_name: args.include_recipient_name,
        include_evidence: args.include_evidence,
        now: now(),
    };
    let summary = backpack::share_collection(&store, collection.id, &opts, &args.out).map_err(
        |e| match e {
            backpack::ShareError::Export(_) => rejected(e),
            other => usage(other),
        },
    )?;
    if args.json {
        print_json(&json!({
            "out_dir": summary.out_dir,
            "pages": summary.pages,
            "files": summary.files.len(),
            "warnings": summary.warnings,
        }));
    } else {
        say!(
            "Exported {} ({} badge{}) to {}: open {} in a browser, or publish the folder on any web host.",
            collection.name,
            collection.count,
            if collection.count == 1 { "" } else { "s" },
            args.out.display(),
            summary.out_dir.join("index.html").display()
        );
        for w in &summary.warnings {
            eprintln!("satchel: warning: {}", clean(&sentence(w)));
        }
    }
    Ok(())
}

/// `satchel export-all`.
pub fn export_all(
    out_dir: &Path,
    json_out: bool,
    data_dir: Option<PathBuf>,
) -> Result<(), Failure> {
    let store = open(data_dir)?;
    let summary = backpack::export_all(&store, out_dir).map_err(usage)?;
    if json_out {
        print_json(&serde_json::to_value(&summary).unwrap_or(Value::Null));
    } else {
        say!(
            "Wrote {} badges, {} documents and {} collections to {} (see manifest.json and README.txt there).",
            summary.badges,
            summary.documents,
            summary.collections,
            out_dir.display()
        );
    }
    Ok(())
}
