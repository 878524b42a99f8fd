//! What the app keeps while it runs: the store, the data folder, the network
//! settings and the cancel switch of the one long task that may run.

pub use satchel::clock::now;
use satchel::fetch::NetPolicy;
use satchel::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

/// The network settings the user chose (kept in `desktop-settings.json` in
/// the data folder).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetSettings {
    /// Use kept documents only, never the network.
    pub offline: bool,
    /// Allow private and local network addresses.
    pub allow_private: bool,
    /// At launch, check again the badges whose last check is older than this
    /// many days (0: never).
    pub recheck_days: u32,
}

impl Default for NetSettings {
    fn default() -> NetSettings {
        NetSettings {
            offline: false,
            allow_private: false,
            recheck_days: 7,
        }
    }
}

const SETTINGS_FILE: &str = "desktop-settings.json";

/// Shared by every command (always behind an `Arc`).
pub struct AppState {
    /// The backpack.
    pub store: Mutex<Store>,
    /// The data folder.
    pub data_dir: PathBuf,
    /// Network settings.
    pub net: Mutex<NetSettings>,
    /// Set to stop the running long task.
    pub cancel: AtomicBool,
    /// Whether a long task runs (one at a time).
    pub busy: AtomicBool,
}

impl AppState {
    /// Opens the store in `data_dir` and reads the saved settings.
    pub fn open(data_dir: PathBuf) -> Result<AppState, StoreError> {
        let store = Store::open_default(&data_dir)?;
        let net = std::fs::read(data_dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(NetSettings {
                allow_private: NetPolicy::from_env().allow_private,
                ..NetSettings::default()
            });
        Ok(AppState {
            store: Mutex::new(store),
            data_dir,
            net: Mutex::new(net),
            cancel: AtomicBool::new(false),
            busy: AtomicBool::new(false),
        })
    }

    /// The store, locked.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current network settings.
    pub fn net(&self) -> NetSettings {
        *self.net.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Changes and saves the network settings.
    pub fn set_net(&self, net: NetSettings) -> std::io::Result<()> {
        *self.net.lock().unwrap_or_else(PoisonError::into_inner) = net;
        let text = serde_json::to_vec_pretty(&net).unwrap_or_default();
        satchel::atomic::write_file(self.data_dir.join(SETTINGS_FILE), text)
    }

    /// The network policy for the current settings.
    pub fn policy(&self) -> NetPolicy {
        NetPolicy {
            allow_private: self.net().allow_private,
            ..NetPolicy::default()
        }
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join(satchel::store::DATABASE_FILE)
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
    fn new(e: &StoreError, data_dir: Option<&Path>) -> StartupFailure {
        let code = match e {
            StoreError::SchemaTooNew { .. } => "newer_version",
            StoreError::Database(_) | StoreError::Open { .. } => "unreadable",
            StoreError::NoDataDir => "no_data_dir",
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
    AppState::open(dir.clone()).map_err(|e| StartupFailure::new(&e, Some(&dir)))
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
pub fn data_dir_from_args(args: &[String]) -> Result<PathBuf, StoreError> {
    let mut explicit = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--data-dir" {
            explicit = it.next().map(PathBuf::from);
        } else if let Some(v) = a.strip_prefix("--data-dir=") {
            explicit = Some(PathBuf::from(v));
        }
    }
    satchel::store::data_dir(explicit)
}

/// Whether `path` is inside `dir` (for refusing to back up into the data folder's own database).
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
