//! The application layer: one façade, [`App`], over the backpack for both
//! shells. The `satchel` CLI and the desktop app (`src-tauri`) open an
//! `App` and make one call per use case; they only parse their input and
//! format what comes back.
//!
//! An `App` owns the store, the network policy (with its memory of
//! unreachable hosts, kept across calls), the user's settings and the
//! clock. Every use case answers a typed value or an [`AppError`], whose
//! [`ErrorCode`] the CLI maps to an exit code and the desktop app sends as
//! `{code, message}`.
//!
//! - `badges`: list and search, one badge's detail, delete, tags, notes,
//!   the badges due for a check;
//! - `collections`: create, rename, describe, delete, add, remove, move,
//!   reorder, list, show;
//! - `identities`: add and remove, each followed by matching every badge's
//!   recipient again;
//! - `issuer`: issuer mode (profiles, badge classes, awards, revocation,
//!   suspension, the publish folder; `issuer_awards` the awards list and
//!   one award as issued, `issuer_publish` the publish preview and the
//!   folder remembered per issuer);
//! - `tasks`: import, re-verify, backup, restore, export-all and share
//!   pages (the long ones take a progress callback and a cancel switch).
//!
//! It must not: print, parse command lines or know about windows.

mod awarding;
mod badges;
mod collections;
mod delivery;
mod documents;
mod error;
mod identities;
mod issuer;
mod issuer_awards;
mod issuer_keys;
mod issuer_publish;
mod issuer_settings;
mod tasks;

pub use badges::{BadgeDetail, BadgePage, TagCount, VerificationView};
pub use delivery::Delivery;
pub use error::{AppError, ErrorCode};
pub use identities::IdentityChange;
pub use issuer::{
    AwardDone, BulkOptions, BulkReport, BulkRow, ClassEdit, IssuerEdit, IssuerView, NewClass,
    NewIssuer,
};
pub use issuer_awards::{AwardDetail, AwardPage};
pub use issuer_keys::{keys_beside, KeyBundle, KeyMoved};
pub use issuer_publish::{PublishState, PUBLISH_FILE};
pub use issuer_settings::{SmtpConfig, ISSUER_SETTINGS_FILE};
pub use tasks::{RestoreDone, Reverify, ShareOptions};

use crate::fetch::{CachingFetch, HttpFetch, NetPolicy};
use crate::store::{self, Store};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The user's settings for checking badges (kept in `settings.json` in the
/// data folder by [`App::save_settings`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Use kept documents only, never the network.
    pub offline: bool,
    /// Allow private and local network addresses.
    pub allow_private: bool,
    /// Check again, at the desktop app's launch, the badges whose last check
    /// is older than this many days (0: never).
    pub recheck_days: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            offline: false,
            allow_private: NetPolicy::from_env().allow_private,
            recheck_days: 7,
        }
    }
}

/// The settings file in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";
/// Where the desktop app kept its settings before they moved here.
const OLD_SETTINGS_FILE: &str = "desktop-settings.json";

/// Where time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    System,
    /// A fixed time, seconds since the Unix epoch (`satchel … --now`, tests).
    Fixed(i64),
}

impl Clock {
    /// Seconds since the Unix epoch.
    pub fn now(self) -> i64 {
        match self {
            Clock::Fixed(t) => t,
            Clock::System => crate::clock::now(),
        }
    }
}

/// The backpack, open.
pub struct App {
    store: Mutex<Store>,
    data_dir: PathBuf,
    settings: Mutex<Settings>,
    http: Mutex<Arc<HttpFetch>>,
    clock: Clock,
}

/// What the shells show about the backpack itself.
#[derive(Clone, Debug, Serialize)]
pub struct AppInfo {
    /// The data folder.
    pub data_dir: String,
    /// The database file.
    pub database: String,
    /// Satchel's version.
    pub version: &'static str,
    /// The commit it was built from, or `unknown`.
    pub commit: &'static str,
    /// Its licence (SPDX).
    pub license: &'static str,
    /// How many badges the backpack holds.
    pub badges: u64,
    /// The settings.
    pub net: Settings,
}

impl App {
    /// Opens the backpack in `data_dir` (else `SATCHEL_DATA_DIR`, else the
    /// platform's data folder), with the settings saved there.
    pub fn open(data_dir: Option<PathBuf>) -> Result<App, AppError> {
        let dir = store::data_dir(data_dir)?;
        App::open_at(&dir)
    }

    /// Opens the backpack in the folder `dir` (created owner-only when missing).
    pub fn open_at(dir: &Path) -> Result<App, AppError> {
        let dir = &store::data_dir(Some(dir.to_path_buf()))?;
        let store = Store::open_default(dir)?;
        let settings = [SETTINGS_FILE, OLD_SETTINGS_FILE]
            .iter()
            .find_map(|f| std::fs::read(dir.join(f)).ok())
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        Ok(App {
            store: Mutex::new(store),
            data_dir: dir.to_path_buf(),
            http: Mutex::new(Arc::new(HttpFetch::new(policy(&settings)))),
            settings: Mutex::new(settings),
            clock: Clock::System,
        })
    }

    /// Uses `settings` from now on without saving them (the CLI's flags).
    pub fn with_settings(self, settings: Settings) -> App {
        self.use_settings(settings);
        self
    }

    /// Uses `clock` from now on.
    pub fn with_clock(mut self, clock: Clock) -> App {
        self.clock = clock;
        self
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The database file.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join(store::DATABASE_FILE)
    }

    /// The current time, by the app's clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The clock.
    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// The settings in use.
    pub fn settings(&self) -> Settings {
        *self.settings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Uses `settings` from now on and saves them in the data folder.
    pub fn save_settings(&self, settings: Settings) -> Result<Settings, AppError> {
        self.use_settings(settings);
        let text = serde_json::to_vec_pretty(&settings).unwrap_or_default();
        let path = self.data_dir.join(SETTINGS_FILE);
        crate::atomic::write_file(&path, &text).map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!(
                    "the settings could not be saved in {} ({e})",
                    path.display()
                ),
            )
        })?;
        Ok(settings)
    }

    fn use_settings(&self, settings: Settings) {
        let old = std::mem::replace(
            &mut *self.settings.lock().unwrap_or_else(PoisonError::into_inner),
            settings,
        );
        if old.allow_private != settings.allow_private {
            *self.http.lock().unwrap_or_else(PoisonError::into_inner) =
                Arc::new(HttpFetch::new(policy(&settings)));
        }
    }

    /// The data folder, the database, the version, the badge count and the
    /// settings.
    pub fn info(&self) -> Result<AppInfo, AppError> {
        Ok(AppInfo {
            data_dir: self.data_dir.display().to_string(),
            database: self.database().display().to_string(),
            version: env!("CARGO_PKG_VERSION"),
            commit: env!("SATCHEL_COMMIT"),
            license: env!("CARGO_PKG_LICENSE"),
            badges: self.store().badge_count()?,
            net: self.settings(),
        })
    }

    /// The store, locked (for the few reads the use cases do not cover,
    /// such as the desktop app's image scheme).
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The store behind its lock, for the `backpack` functions.
    pub(crate) fn shared_store(&self) -> &Mutex<Store> {
        &self.store
    }

    /// Runs `f` with the document source the settings ask for: kept
    /// documents only when offline (or `offline`), else the network through
    /// the policy, keeping what it fetches. Returns `f`'s answer and the
    /// documents that could not be kept.
    pub fn with_fetch<T>(
        &self,
        offline: bool,
        f: impl FnOnce(&CachingFetch<'_>) -> T,
    ) -> (T, Vec<String>) {
        let http = self
            .http
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let fetch = if offline || self.settings().offline {
            CachingFetch::offline(&self.store)
        } else {
            CachingFetch::online(&*http, &self.store)
        };
        let answer = f(&fetch);
        (answer, fetch.store_errors())
    }
}

fn policy(settings: &Settings) -> NetPolicy {
    NetPolicy {
        allow_private: settings.allow_private,
        ..NetPolicy::default()
    }
}
