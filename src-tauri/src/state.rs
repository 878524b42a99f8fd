//! What the app keeps while it runs: the open backpack ([`App`], which owns
//! the store, the settings and the network policy) and the cancel switch of
//! the one long task that may run; and how it started.

use satchel::app::{App, AppError, ErrorCode};
use serde::Serialize;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

/// Shared by every command (always behind an `Arc`): the open backpack and
/// the one long task that may run.
pub struct AppState {
    /// The backpack.
    pub app: App,
    /// Set to stop the running long task.
    pub cancel: AtomicBool,
    /// Whether a long task runs (one at a time).
    pub busy: AtomicBool,
}

impl AppState {
    /// Opens the backpack in `data_dir` with its saved settings.
    pub fn open(data_dir: &Path) -> Result<AppState, AppError> {
        Ok(AppState {
            app: App::open_at(data_dir)?,
            cancel: AtomicBool::new(false),
            busy: AtomicBool::new(false),
        })
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}

/// Why the backpack could not be opened when the app started. The window then
/// shows only its error screen, and every other command refuses (see
/// `crate::run`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StartupFailure {
    /// `newer_version` (written by a newer Satchel), `unreadable` (not a
    /// Satchel database, or damaged), `no_data_dir`, or `io`.
    pub code: &'static str,
    /// One sentence naming the file (or folder).
    pub message: String,
    /// The data folder, when there is one.
    pub data_dir: Option<String>,
    /// The database file, when there is a data folder.
    pub database: Option<String>,
}

impl StartupFailure {
    fn new(e: &AppError, data_dir: Option<&Path>) -> StartupFailure {
        let code = match e.code() {
            ErrorCode::NewerVersion => "newer_version",
            ErrorCode::Store => "unreadable",
            ErrorCode::NoDataDir => "no_data_dir",
            _ => "io",
        };
        let database = data_dir.map(|d| d.join(satchel::store::DATABASE_FILE));
        let text = e.to_string();
        // "FILE: what is wrong", unless the core's sentence names it already.
        let message = match &database {
            Some(db) if !text.contains(&*db.to_string_lossy()) => {
                format!("{}: {text}", db.display())
            }
            _ => text,
        };
        StartupFailure {
            code,
            message,
            data_dir: data_dir.map(|d| d.display().to_string()),
            database: database.map(|d| d.display().to_string()),
        }
    }
}

/// Opens the backpack named by the command line (see [`data_dir_from_args`]).
pub fn open_from_args(args: &[String]) -> Result<AppState, StartupFailure> {
    let dir = data_dir_from_args(args).map_err(|e| StartupFailure::new(&e, None))?;
    AppState::open(&dir).map_err(|e| StartupFailure::new(&e, Some(&dir)))
}

/// How the app started: kept for the whole run, whether the backpack opened
/// or not.
pub struct Startup {
    /// The command line's arguments (to open the backpack again).
    pub args: Vec<String>,
    /// Why the backpack is not open (`None` once it is).
    pub failure: Mutex<Option<StartupFailure>>,
    /// When `main` started.
    pub launched: Instant,
    /// `SATCHEL_LAUNCH_TIMING=1`: print `launch_to_interactive_ms=N` once the
    /// window is interactive.
    pub timing: bool,
    /// `SATCHEL_LAUNCH_TIMING_EXIT=1`: and quit right after.
    pub timing_exit: bool,
    /// Whether the timing was printed.
    pub timed: AtomicBool,
}

impl Startup {
    /// The failure, if the backpack is not open.
    pub fn failure(&self) -> Option<StartupFailure> {
        self.failure
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Records that the backpack is open (or why not).
    pub fn set_failure(&self, failure: Option<StartupFailure>) {
        *self.failure.lock().unwrap_or_else(PoisonError::into_inner) = failure;
    }
}

/// The data folder: `--data-dir DIR` (or `--data-dir=DIR`) among `args`,
/// else `SATCHEL_DATA_DIR`, else the platform's (see `satchel::store::data_dir`).
pub fn data_dir_from_args(args: &[String]) -> Result<PathBuf, AppError> {
    // `main` refused a command line `read` cannot read before this runs.
    let explicit = crate::args::read(args).ok().and_then(|line| line.data_dir);
    Ok(satchel::store::data_dir(explicit.map(PathBuf::from))?)
}
