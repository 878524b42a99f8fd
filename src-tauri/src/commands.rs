//! The commands `ui/api.js` calls. Each one is a call into the core plus
//! error mapping. They are `async`, so none runs on the UI thread; the long
//! ones (import, re-verify, export) also run on a blocking worker and stream
//! progress as `job-progress` events (see [`crate::jobs`]).

use crate::state::{AppState, Startup, StartupFailure};
use crate::CommandError;
use satchel::app::{
    AppInfo, BadgeDetail, BadgePage, ErrorCode, IdentityChange, RestoreDone, Settings,
    ShareOptions, TagCount,
};
use satchel::backpack::{ImportInput, ImportReport, SameId};
use satchel::export::SharePlan;
use satchel::store::{BackupSummary, BadgeQuery, CollectionSummary, Identity};
use serde::Deserialize;
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

/// The app's data folder, badge count and settings.
#[tauri::command]
pub async fn app_info(state: Shared<'_>) -> Answer<AppInfo> {
    Ok(state.info()?)
}

/// Imports a duplicate's file or link again (`source`, as its report row
/// names it) to keep it after all: in place of the kept badge's file
/// (`replace`: the badge keeps its number, tags, note and collections) or
/// as a badge of its own beside it (`keep_both`).
#[tauri::command]
pub async fn keep_duplicate(
    state: Shared<'_>,
    source: String,
    how: SameId,
) -> Answer<ImportReport> {
    let state = state.inner().clone();
    let busy = crate::jobs::Busy::take(&state)?;
    crate::jobs::run_blocking(move || {
        let _busy = busy;
        let input = [ImportInput::from_arg(&source)];
        let (report, _) = match how {
            SameId::Replace => state.import_replacing(&input, &|_| {}, &state.cancel),
            SameId::KeepBoth => state.import_keeping_both(&input, &|_| {}, &state.cancel),
            SameId::Skip => state.import(&input, &|_| {}, &state.cancel),
        };
        Ok(report)
    })
    .await
}

/// The badges due for a check at launch: last checked longer ago than the
/// user's `recheck_days` (none when that is 0), the longest unchecked first.
#[tauri::command]
pub async fn stale_badges(state: Shared<'_>) -> Answer<Vec<i64>> {
    Ok(state.stale_badges()?)
}

/// Changes the settings (offline mode, private addresses, automatic checks).
#[tauri::command]
pub async fn set_network(state: Shared<'_>, net: Settings) -> Answer<Settings> {
    Ok(state.save_settings(net)?)
}

// ------------------------------------------------------------------ badges

/// The badges matching `query` (search, filters, sort, limit and offset).
#[tauri::command]
pub async fn list_badges(state: Shared<'_>, query: BadgeQuery) -> Answer<BadgePage> {
    Ok(state.list(&query)?)
}

/// One badge with its history.
#[tauri::command]
pub async fn badge_detail(state: Shared<'_>, id: i64) -> Answer<BadgeDetail> {
    Ok(state.badge(id)?)
}

/// Deletes a badge.
#[tauri::command]
pub async fn delete_badge(state: Shared<'_>, id: i64) -> Answer<bool> {
    state.delete(id)?;
    Ok(true)
}

/// Adds tags; returns the badge's tags.
#[tauri::command]
pub async fn add_tags(state: Shared<'_>, id: i64, tags: Vec<String>) -> Answer<Vec<String>> {
    Ok(state.add_tags(id, &tags)?)
}

/// Removes tags; returns the badge's tags.
#[tauri::command]
pub async fn remove_tags(state: Shared<'_>, id: i64, tags: Vec<String>) -> Answer<Vec<String>> {
    Ok(state.remove_tags(id, &tags)?)
}

/// Every tag in use.
#[tauri::command]
pub async fn all_tags(state: Shared<'_>) -> Answer<Vec<TagCount>> {
    Ok(state.all_tags()?)
}

/// Replaces a badge's note.
#[tauri::command]
pub async fn set_note(state: Shared<'_>, id: i64, note: String) -> Answer<()> {
    Ok(state.set_note(id, &note)?)
}

// ------------------------------------------------------------------ collections

/// Every collection, by name.
#[tauri::command]
pub async fn collections(state: Shared<'_>) -> Answer<Vec<CollectionSummary>> {
    Ok(state.collections()?)
}

/// What sharing collection `id` with `options` would publish: the badges,
/// whether each original, recipient name and evidence is included, and the
/// warnings. Writes nothing.
#[tauri::command]
pub async fn share_plan(
    state: Shared<'_>,
    id: i64,
    options: Option<ShareOptions>,
) -> Answer<SharePlan> {
    let state = state.inner().clone();
    let options = options.unwrap_or_default();
    crate::jobs::run_blocking(move || Ok(state.share_plan(id, &options)?)).await
}

/// Creates a collection; returns it.
#[tauri::command]
pub async fn create_collection(
    state: Shared<'_>,
    name: String,
    description: String,
) -> Answer<CollectionSummary> {
    Ok(state.create_collection(&name, &description)?)
}

/// Renames a collection.
#[tauri::command]
pub async fn rename_collection(state: Shared<'_>, id: i64, name: String) -> Answer<()> {
    state.rename_collection(id, &name)?;
    Ok(())
}

/// Replaces a collection's description.
#[tauri::command]
pub async fn describe_collection(state: Shared<'_>, id: i64, description: String) -> Answer<()> {
    state.describe_collection(id, &description)?;
    Ok(())
}

/// Deletes a collection (its badges stay).
#[tauri::command]
pub async fn delete_collection(state: Shared<'_>, id: i64) -> Answer<bool> {
    state.delete_collection(id)?;
    Ok(true)
}

/// Adds badges at the end (or before `position`); returns how many were added.
#[tauri::command]
pub async fn add_to_collection(
    state: Shared<'_>,
    id: i64,
    badges: Vec<i64>,
    position: Option<usize>,
) -> Answer<usize> {
    Ok(state.add_to_collection(id, &badges, position)?)
}

/// Removes badges from a collection; returns how many were in it.
#[tauri::command]
pub async fn remove_from_collection(state: Shared<'_>, id: i64, badges: Vec<i64>) -> Answer<usize> {
    Ok(state.remove_from_collection(id, &badges)?)
}

/// Moves one badge within a collection.
#[tauri::command]
pub async fn move_in_collection(
    state: Shared<'_>,
    id: i64,
    badge: i64,
    position: usize,
) -> Answer<()> {
    Ok(state.move_in_collection(id, badge, position)?)
}

// ------------------------------------------------------------------ identities

/// The user's identities.
#[tauri::command]
pub async fn identities(state: Shared<'_>) -> Answer<Vec<Identity>> {
    Ok(state.identities()?)
}

/// Adds an identity and matches every badge's recipient again; returns
/// the identities and how many badges are the user's now.
#[tauri::command]
pub async fn add_identity(state: Shared<'_>, value: String) -> Answer<IdentityChange> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || Ok(state.add_identity(&value)?)).await
}

/// Removes an identity by value or number and matches every badge's
/// recipient again.
#[tauri::command]
pub async fn remove_identity(state: Shared<'_>, value: String) -> Answer<IdentityChange> {
    let state = state.inner().clone();
    crate::jobs::run_blocking(move || Ok(state.remove_identity(&value)?)).await
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

/// Backs the whole backpack up to a file the user chooses (or `path`, for
/// tests and scripts). `None` when the dialog was cancelled.
#[tauri::command]
pub async fn backup(
    app: AppHandle,
    state: Shared<'_>,
    path: Option<String>,
) -> Answer<Option<BackupSummary>> {
    let target = match path {
        Some(p) => Some(PathBuf::from(p)),
        None => app
            .dialog()
            .file()
            .set_title("Back up Satchel")
            .set_file_name(format!(
                "satchel-backup-{}.sqlite3",
                satchel::clock::date(state.now())
            ))
            .blocking_save_file()
            .and_then(|p| p.into_path().ok()),
    };
    let Some(target) = target else {
        return Ok(None);
    };
    Ok(Some(state.backup(&target)?))
}

/// Restores a backup into this (empty) backpack. `None` when cancelled.
#[tauri::command]
pub async fn restore(
    app: AppHandle,
    state: Shared<'_>,
    path: Option<String>,
) -> Answer<Option<RestoreDone>> {
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
    Ok(Some(state.restore(&source)?))
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
            ErrorCode::BadRequest,
            "only web and e-mail links can be opened",
        ));
    }
    open::that_detached(url.trim())
        .map_err(|e| CommandError::new(ErrorCode::Io, format!("could not open the link ({e})")))
}

/// Opens the data folder in the file manager (also from the startup error
/// screen, when the backpack is not open).
#[tauri::command]
pub async fn open_data_folder(app: AppHandle, startup: State<'_, Startup>) -> Answer<()> {
    let dir = match app.try_state::<Arc<AppState>>() {
        Some(state) => state.data_dir().to_path_buf(),
        None => startup
            .failure()
            .and_then(|f| f.data_dir)
            .map(PathBuf::from)
            .ok_or_else(|| {
                CommandError::new(ErrorCode::NotFound, "Satchel has no data folder yet")
            })?,
    };
    open::that_detached(&dir)
        .map_err(|e| CommandError::new(ErrorCode::Io, format!("could not open the folder ({e})")))
}
