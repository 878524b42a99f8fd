//! The commands `ui/api.js` calls. Each one is a call into the core plus
//! error mapping. They are `async`, so none runs on the UI thread; the long
//! ones (import, re-verify, export) also run on a blocking worker and stream
//! progress as `job-progress` events (see [`crate::jobs`]).

use crate::state::{now, same_file, AppState, NetSettings, Startup, StartupFailure};
use crate::CommandError;
use satchel::store::{BadgeQuery, BadgeRecord, BadgeSummary, CollectionSummary, Identity};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

type Shared<'a> = State<'a, Arc<AppState>>;
type Answer<T> = Result<T, CommandError>;

// ------------------------------------------------------------------ startup

/// Why the backpack could not be opened at start; `None` when it is open.
#[tauri::command]
pub async fn startup_status(startup: State<'_, Startup>) -> Answer<Option<StartupFailure>> {
    Ok(startup.failure())
}

/// Tries to open the backpack again (after the user fixed or moved the file);
/// answers why not, or `None` when it is open now (the window then reloads).
#[tauri::command]
pub async fn retry_startup(
    app: AppHandle,
    startup: State<'_, Startup>,
) -> Answer<Option<StartupFailure>> {
    if startup.failure().is_none() {
        return Ok(None);
    }
    match crate::state::open_from_args(&startup.args) {
        Ok(state) => {
            app.manage(Arc::new(state));
            startup.set_failure(None);
            Ok(None)
        }
        Err(failure) => {
            startup.set_failure(Some(failure.clone()));
            Ok(Some(failure))
        }
    }
}

/// Closes Satchel.
#[tauri::command]
pub async fn quit(app: AppHandle) -> Answer<()> {
    app.exit(0);
    Ok(())
}

/// When the page started loading and became interactive, by the page's clock
/// (`performance.timeOrigin` and `performance.now()`), for the launch timing.
#[derive(Debug, Default, Deserialize)]
pub struct PageTiming {
    /// Navigation start, milliseconds since the Unix epoch.
    pub time_origin: f64,
    /// Milliseconds from navigation start to `main.js` running.
    #[serde(default)]
    pub script: f64,
    /// Milliseconds from navigation start to the first data in hand (before
    /// the frame that shows it).
    #[serde(default)]
    pub data: f64,
    /// Milliseconds from navigation start to interactive.
    pub ready: f64,
}

/// The window says it is interactive. With `SATCHEL_LAUNCH_TIMING=1`, prints
/// one line to stderr, once: `launch_to_interactive_ms=N` (from the start of
/// `main`), `interactive_unix_ms=M` (the wall clock, for timing from
/// outside) and, when the page sent its timing, `main_to_page_ms` (process
/// start, store, window and webview up to the page's navigation start) and
/// `page_to_interactive_ms` (loading the page, the first `list_badges`, the
/// first paint; with when `main.js` started and when the data was in hand). With `SATCHEL_LAUNCH_TIMING_EXIT=1` it then quits.
#[tauri::command]
pub async fn launch_ready(
    app: AppHandle,
    startup: State<'_, Startup>,
    page: Option<PageTiming>,
) -> Answer<()> {
    if !startup.timing || startup.timed.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let ms = startup.launched.elapsed().as_secs_f64() * 1000.0;
    let unix_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0);
    let mut line = format!("launch_to_interactive_ms={ms:.0} interactive_unix_ms={unix_ms:.0}");
    if let Some(p) = page.filter(|p| p.time_origin > 0.0) {
        let main_unix_ms = unix_ms - ms;
        line += &format!(
            " main_to_page_ms={:.0} page_to_interactive_ms={:.0} (script {:.0}, data {:.0})",
            p.time_origin - main_unix_ms,
            p.ready,
            p.script,
            p.data
        );
    }
    eprintln!("{line}");
    if startup.timing_exit {
        app.exit(0);
    }
    Ok(())
}

// ------------------------------------------------------------------ app

/// What the Settings screen and the first-run check need.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// The data folder.
    pub data_dir: String,
    /// The database file.
    pub database: String,
    /// Satchel's version.
    pub version: &'static str,
    /// How many badges the backpack holds.
    pub badges: u64,
    /// Network settings.
    pub net: NetSettings,
}

/// The app's data folder, badge count and settings.
#[tauri::command]
pub async fn app_info(state: Shared<'_>) -> Answer<AppInfo> {
    let badges = state.store().badge_count()?;
    Ok(AppInfo {
        data_dir: state.data_dir.display().to_string(),
        database: state.database().display().to_string(),
        version: env!("CARGO_PKG_VERSION"),
        badges,
        net: state.net(),
    })
}

/// The badges due for a check at launch: last checked longer ago than the
/// user's `recheck_days` (none when that is 0), the longest unchecked first.
#[tauri::command]
pub async fn stale_badges(state: Shared<'_>) -> Answer<Vec<i64>> {
    let days = state.net().recheck_days;
    if days == 0 {
        return Ok(Vec::new());
    }
    Ok(state
        .store()
        .badge_ids_checked_before(now() - i64::from(days) * 86_400)?)
}

/// Changes the network settings (offline mode, private addresses, automatic checks).
#[tauri::command]
pub async fn set_network(state: Shared<'_>, net: NetSettings) -> Answer<NetSettings> {
    state
        .set_net(net)
        .map_err(|e| CommandError::new("io", format!("the settings could not be saved ({e})")))?;
    Ok(state.net())
}

// ------------------------------------------------------------------ badges

/// One page of the backpack.
#[derive(Debug, Serialize)]
pub struct BadgePage {
    /// How many badges match the query in all.
    pub total: u64,
    /// The first item's position.
    pub offset: u32,
    /// The badges on this page.
    pub items: Vec<BadgeSummary>,
}

/// The badges matching `query` (search, filters, sort, limit and offset).
#[tauri::command]
pub async fn list_badges(state: Shared<'_>, query: BadgeQuery) -> Answer<BadgePage> {
    let store = state.store();
    let total = store.count_badges(&query)?;
    let items = store.list_badges(&query)?;
    Ok(BadgePage {
        total,
        offset: query.offset,
        items,
    })
}

/// One recorded verification, its report parsed.
#[derive(Debug, Serialize)]
pub struct VerificationView {
    /// Its number.
    pub id: i64,
    /// When it was made.
    pub checked_at: i64,
    /// The verdict.
    pub status: String,
    /// Whether only kept documents were used.
    pub offline: bool,
    /// The `satchel::verify::Report`.
    pub report: Value,
}

/// Everything the detail screen shows.
#[derive(Debug, Serialize)]
pub struct BadgeDetail {
    /// The stored record.
    #[serde(flatten)]
    pub record: BadgeRecord,
    /// The normalized badge (`satchel::model::BadgeView`), parsed.
    pub badge: Value,
    /// Every verification, oldest first.
    pub verifications: Vec<VerificationView>,
    /// Whether the user has added any identity (so an unmatched recipient
    /// is worth a word).
    pub has_identities: bool,
}

/// One badge with its history.
#[tauri::command]
pub async fn badge_detail(state: Shared<'_>, id: i64) -> Answer<BadgeDetail> {
    let store = state.store();
    let record = store.badge(id)?.ok_or_else(|| {
        CommandError::new(
            "not_found",
            format!("there is no badge {id} in this backpack"),
        )
    })?;
    let verifications = store
        .verifications(id)?
        .into_iter()
        .map(|v| VerificationView {
            id: v.id,
            checked_at: v.checked_at,
            status: v.status,
            offline: v.offline,
            report: serde_json::from_str(&v.report_json).unwrap_or(Value::Null),
        })
        .collect();
    let badge = serde_json::from_str(&record.badge_json).unwrap_or(Value::Null);
    let has_identities = !store.identity_values()?.is_empty();
    Ok(BadgeDetail {
        record,
        badge,
        verifications,
        has_identities,
    })
}

/// Deletes a badge.
#[tauri::command]
pub async fn delete_badge(state: Shared<'_>, id: i64) -> Answer<bool> {
    Ok(state.store().delete_badge(id)?)
}

/// Adds tags; returns the badge's tags.
#[tauri::command]
pub async fn add_tags(state: Shared<'_>, id: i64, tags: Vec<String>) -> Answer<Vec<String>> {
    Ok(state.store().add_tags(id, &tags)?)
}

/// Removes tags; returns the badge's tags.
#[tauri::command]
pub async fn remove_tags(state: Shared<'_>, id: i64, tags: Vec<String>) -> Answer<Vec<String>> {
    Ok(state.store().remove_tags(id, &tags)?)
}

/// A tag with the number of badges carrying it.
#[derive(Debug, Serialize)]
pub struct TagCount {
    /// The tag.
    pub tag: String,
    /// How many badges carry it.
    pub count: u64,
}

/// Every tag in use.
#[tauri::command]
pub async fn all_tags(state: Shared<'_>) -> Answer<Vec<TagCount>> {
    Ok(state
        .store()
        .all_tags()?
        .into_iter()
        .map(|(tag, count)| TagCount { tag, count })
        .collect())
}

/// Replaces a badge's note.
#[tauri::command]
pub async fn set_note(state: Shared<'_>, id: i64, note: String) -> Answer<()> {
    Ok(state.store().set_note(id, &note)?)
}

// ------------------------------------------------------------------ collections

/// Every collection, by name.
#[tauri::command]
pub async fn collections(state: Shared<'_>) -> Answer<Vec<CollectionSummary>> {
    Ok(state.store().collections()?)
}

/// Creates a collection; returns it.
#[tauri::command]
pub async fn create_collection(
    state: Shared<'_>,
    name: String,
    description: String,
) -> Answer<CollectionSummary> {
    let store = state.store();
    let id = store.create_collection(&name, &description, now())?;
    store
        .collection(id)?
        .ok_or_else(|| CommandError::new("store", "the new collection could not be read back"))
}

/// Renames a collection.
#[tauri::command]
pub async fn rename_collection(state: Shared<'_>, id: i64, name: String) -> Answer<()> {
    Ok(state.store().rename_collection(id, &name, now())?)
}

/// Replaces a collection's description.
#[tauri::command]
pub async fn describe_collection(state: Shared<'_>, id: i64, description: String) -> Answer<()> {
    Ok(state.store().describe_collection(id, &description, now())?)
}

/// Deletes a collection (its badges stay).
#[tauri::command]
pub async fn delete_collection(state: Shared<'_>, id: i64) -> Answer<bool> {
    Ok(state.store().delete_collection(id)?)
}

/// Adds badges at the end (or before `position`); returns how many were added.
#[tauri::command]
pub async fn add_to_collection(
    state: Shared<'_>,
    id: i64,
    badges: Vec<i64>,
    position: Option<usize>,
) -> Answer<usize> {
    Ok(state
        .store()
        .add_to_collection(id, &badges, position, now())?)
}

/// Removes badges from a collection; returns how many were in it.
#[tauri::command]
pub async fn remove_from_collection(state: Shared<'_>, id: i64, badges: Vec<i64>) -> Answer<usize> {
    Ok(state.store().remove_from_collection(id, &badges, now())?)
}

/// Moves one badge within a collection.
#[tauri::command]
pub async fn move_in_collection(
    state: Shared<'_>,
    id: i64,
    badge: i64,
    position: usize,
) -> Answer<()> {
    Ok(state
        .store()
        .move_in_collection(id, badge, position, now())?)
}

/// Replaces a collection's order.
#[tauri::command]
pub async fn reorder_collection(state: Shared<'_>, id: i64, order: Vec<i64>) -> Answer<()> {
    Ok(state.store().reorder_collection(id, &order, now())?)
}

// ------------------------------------------------------------------ identities

/// The user's identities.
#[tauri::command]
pub async fn identities(state: Shared<'_>) -> Answer<Vec<Identity>> {
    Ok(state.store().identities()?)
}

/// Adds an identity; returns the list.
#[tauri::command]
pub async fn add_identity(state: Shared<'_>, value: String) -> Answer<Vec<Identity>> {
    let store = state.store();
    store.add_identity(&value, now())?;
    Ok(store.identities()?)
}

/// Removes an identity by value or number; returns the list.
#[tauri::command]
pub async fn remove_identity(state: Shared<'_>, value: String) -> Answer<Vec<Identity>> {
    let store = state.store();
    store.remove_identity(&value)?;
    Ok(store.identities()?)
}

// ------------------------------------------------------------------ files

/// Asks for files to import (native dialog); empty when cancelled.
#[tauri::command]
pub async fn pick_import_files(app: AppHandle) -> Answer<Vec<String>> {
    let picked = app
        .dialog()
        .file()
        .set_title("Add badges")
        .add_filter(
            "Badges (PNG, SVG, JSON, JWS, ZIP)",
            &["png", "svg", "json", "jsonld", "jws", "jwt", "txt", "zip"],
        )
        .blocking_pick_files()
        .unwrap_or_default();
    Ok(picked
        .into_iter()
        .filter_map(|p| p.into_path().ok())
        .map(|p| p.display().to_string())
        .collect())
}

/// Asks for a folder to import; `None` when cancelled.
#[tauri::command]
pub async fn pick_import_folder(app: AppHandle) -> Answer<Option<String>> {
    Ok(app
        .dialog()
        .file()
        .set_title("Add a folder of badges")
        .blocking_pick_folder()
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Where a backup was written.
#[derive(Debug, Serialize)]
pub struct BackupDone {
    /// The file.
    pub path: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Badges in it.
    pub badges: u64,
}

/// Backs the whole backpack up to a file the user chooses (or `path`, for
/// tests and scripts). `None` when the dialog was cancelled.
#[tauri::command]
pub async fn backup(
    app: AppHandle,
    state: Shared<'_>,
    path: Option<String>,
) -> Answer<Option<BackupDone>> {
    let target = match path {
        Some(p) => Some(PathBuf::from(p)),
        None => app
            .dialog()
            .file()
            .set_title("Back up Satchel")
            .set_file_name(format!(
                "satchel-backup-{}.sqlite3",
                satchel::clock::date(now())
            ))
            .blocking_save_file()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(target) = target else {
        return Ok(None);
    };
    if same_file(&target, &state.database()) {
        return Err(CommandError::new(
            "bad_request",
            "choose a file outside Satchel's own database",
        ));
    }
    let summary = state.store().backup_to(&target)?;
    Ok(Some(BackupDone {
        path: summary.path.display().to_string(),
        bytes: summary.bytes,
        badges: summary.badges,
    }))
}

/// Restores a backup into this (empty) backpack. `None` when cancelled.
#[tauri::command]
pub async fn restore(
    app: AppHandle,
    state: Shared<'_>,
    path: Option<String>,
) -> Answer<Option<u64>> {
    let source = match path {
        Some(p) => Some(PathBuf::from(p)),
        None => app
            .dialog()
            .file()
            .set_title("Restore a Satchel backup")
            .add_filter("Satchel backup", &["sqlite3", "sqlite", "db"])
            .blocking_pick_file()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(source) = source else {
        return Ok(None);
    };
    satchel::store::inspect_backup(&source)?;
    let mut store = state.store();
    if !store.is_empty()? {
        return Err(CommandError::new(
            "invalid",
            "this backpack already holds badges or documents; restore into an empty data folder (start Satchel with --data-dir)",
        ));
    }
    // Close the database before it is replaced; reopen it whatever happens.
    let db = state.database();
    *store = satchel::store::Store::open_in_memory()?;
    match satchel::store::restore(&source, &db) {
        Ok((restored, summary)) => {
            *store = restored;
            Ok(Some(summary.badges))
        }
        Err(e) => {
            *store = satchel::store::Store::open(&db)?;
            Err(e.into())
        }
    }
}

/// Opens an `http(s):` or `mailto:` link from a badge in the user's browser or
/// mail program; other schemes are refused.
#[tauri::command]
pub async fn open_link(url: String) -> Answer<()> {
    let lower = url.trim_start().to_ascii_lowercase();
    if !["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Err(CommandError::new(
            "bad_request",
            "only web and e-mail links can be opened",
        ));
    }
    open::that_detached(url.trim())
        .map_err(|e| CommandError::new("io", format!("could not open the link ({e})")))
}

/// Opens the data folder in the file manager (also from the startup error
/// screen, when the backpack is not open).
#[tauri::command]
pub async fn open_data_folder(app: AppHandle, startup: State<'_, Startup>) -> Answer<()> {
    let dir = match app.try_state::<Arc<AppState>>() {
        Some(state) => state.data_dir.clone(),
        None => startup
            .failure()
            .and_then(|f| f.data_dir)
            .map(PathBuf::from)
            .ok_or_else(|| CommandError::new("not_found", "Satchel has no data folder yet"))?,
    };
    open::that_detached(&dir)
        .map_err(|e| CommandError::new("io", format!("could not open the folder ({e})")))
}
