//! The only SQLite code: Satchel's local database.
//!
//! One file, `<data dir>/satchel.sqlite3` (see [`data_dir`]), opened with
//! [`Store::open`]: WAL journal, foreign keys on, SQLite's defensive mode and
//! `trusted_schema` off (the schema holds no code). Two Satchel processes
//! wait for each other instead of failing: every write transaction begins
//! `BEGIN IMMEDIATE` (a deferred transaction that reads and then writes
//! cannot wait on the busy handler and fails at once), and waits up to
//! [`BUSY_TIMEOUT`] for another writer, then fails with the plain
//! [`StoreError::Busy`]. The data folder is created owner-only (0700 on
//! Unix); the database is created 0600 (SQLite gives its `-wal` and `-shm`
//! the same mode) and an existing one is tightened when opened. The schema is a
//! list of append-only, numbered migrations (`src/store/migrations/NNNN_*.sql`,
//! embedded in the binary) applied in order inside one transaction each;
//! `PRAGMA user_version` is the number of migrations applied. A database from
//! a newer Satchel (a higher `user_version` than this binary knows) is refused
//! with [`StoreError::SchemaTooNew`] rather than guessed at. Never edit a
//! migration that has shipped: add the next number.
//!
//! It keeps documents (see [`StoredDocument`]: every document fetched or
//! pinned, so badges stay verifiable offline) and the backpack: badges with
//! their original bytes and verification history, tags, notes, identities,
//! collections and a full-text index (`badges`, `collections`, `identities`),
//! issuer mode's profiles, key metadata, badge classes and awards (`issuer`),
//! and whole-database backup and restore (`backup`, which refuses a backup
//! whose schema is not exactly Satchel's), with temporary copies that never
//! outlive their run (`crate::atomic`).
//!
//! It must not: fetch, parse or judge documents or badges, or know about
//! HTTP; it stores what it is given. No other module may use SQLite.

mod award_list;
mod backup;
mod badges;
mod collections;
mod documents;
mod identities;
mod issuer;
mod recipient;

pub use award_list::AwardRow;
pub use backup::{inspect_backup, restore, BackupSummary};
pub use badges::{
    BadgeQuery, BadgeRecord, BadgeSummary, DuplicateBy, Inserted, NewBadge, NewVerification,
    SortBy, VerificationRecord,
};
pub use collections::CollectionSummary;
pub(crate) use documents::sha256_hex;
pub use documents::{DocumentRecord, DocumentSource, DocumentSummary, StoredDocument};
pub use identities::{Identity, IdentityKind};
pub use issuer::{AwardRecord, ClassRecord, IssuerRecord, KeyRecord, NewAward};
pub use recipient::{MatchedIdentity, RecipientMatch};

use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The environment variable naming Satchel's data directory (when the CLI's
/// `--data-dir` is not given).
pub const DATA_DIR_ENV: &str = "SATCHEL_DATA_DIR";

/// The database file's name inside the data directory.
pub const DATABASE_FILE: &str = "satchel.sqlite3";

/// The migrations, in order: migration `i` (0-based) brings the schema to
/// version `i + 1`. Append only.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_documents.sql"),
    include_str!("migrations/0002_badges.sql"),
    include_str!("migrations/0003_recipient_match.sql"),
    include_str!("migrations/0004_keep_both.sql"),
    include_str!("migrations/0005_issuer.sql"),
    include_str!("migrations/0006_suspended.sql"),
];

/// How long a write waits for another process writing to the database
/// before it gives up with [`StoreError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not do something. Messages are one sentence.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The database's schema is newer than this Satchel knows.
    #[error("this database was written by a newer Satchel (schema {found}; this Satchel knows up to {known}); upgrade Satchel to open it")]
    SchemaTooNew {
        /// The database's `user_version`.
        found: i64,
        /// The newest schema version this binary knows.
        known: i64,
    },
    /// The database file could not be opened or set up.
    #[error("could not open the database {path} ({reason})")]
    Open {
        /// The database file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A query failed.
    #[error("the database could not be read or written ({0})")]
    Database(String),
    /// Another program held the database for longer than the busy timeout.
    #[error(
        "the backpack is busy: another Satchel program is writing to it; try again in a moment"
    )]
    Busy,
    /// The data directory could not be created.
    #[error("could not create the data directory {path} ({reason})")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A file given to the store (backup, restore) could not be used.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// There is no badge with this number.
    #[error("there is no badge {0} in this backpack")]
    NoSuchBadge(i64),
    /// There is no collection with this name or number.
    #[error("there is no collection named {0:?}")]
    NoSuchCollection(String),
    /// A collection with this name exists.
    #[error("a collection named {0:?} already exists")]
    CollectionExists(String),
    /// A value given to the store is not acceptable (too long, empty ...).
    #[error("{0}")]
    Invalid(String),
    /// No data directory was given and the system has none for this user.
    #[error("could not find a data directory for Satchel; pass --data-dir or set {DATA_DIR_ENV}")]
    NoDataDir,
}

pub(crate) fn db(e: rusqlite::Error) -> StoreError {
    if is_busy(&e) {
        StoreError::Busy
    } else {
        StoreError::Database(e.to_string())
    }
}

/// Whether SQLite gave up waiting for another connection's lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Satchel's data directory, created if missing: `explicit` (the CLI's
/// `--data-dir`), else the `SATCHEL_DATA_DIR` environment variable, else the
/// platform's data directory for Satchel (for example
/// `~/.local/share/satchel` on Linux).
pub fn data_dir(explicit: Option<PathBuf>) -> Result<PathBuf, StoreError> {
    let dir =
        choose_data_dir(explicit, std::env::var_os(DATA_DIR_ENV)).ok_or(StoreError::NoDataDir)?;
    create_private_dir(&dir).map_err(|e| StoreError::DataDir {
        path: dir.clone(),
        reason: e.to_string(),
    })?;
    Ok(dir)
}

/// Creates `dir` and any missing parents owner-only (0700 on Unix); an
/// existing folder is left as it is.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes the database file owner-only before SQLite opens it: a new file is
/// created 0600 (SQLite gives its `-wal` and `-shm` files the database's
/// mode), and an existing database and its side files lose any group and
/// other permissions. Best effort on files owned by someone else.
fn make_private(path: &Path) {
    match crate::atomic::create_private(path) {
        Ok(_) => return,
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return,
        Err(_) => {}
    }
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm"] {
        use std::os::unix::fs::PermissionsExt;
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        if let Ok(meta) = std::fs::metadata(&file) {
            let mode = meta.permissions().mode();
            if meta.is_file() && mode & 0o077 != 0 {
                let tight = std::fs::Permissions::from_mode(mode & 0o700);
                let _ = std::fs::set_permissions(&file, tight);
            }
        }
    }
}

fn choose_data_dir(explicit: Option<PathBuf>, env: Option<std::ffi::OsString>) -> Option<PathBuf> {
    explicit
        .filter(|p| !p.as_os_str().is_empty())
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .or_else(|| {
            directories::ProjectDirs::from("org", "Satchel", "Satchel")
                .map(|d| d.data_dir().to_path_buf())
        })
}

/// Satchel's database. Not `Sync`: share it between threads in a `Mutex`.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_err = |e: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            reason: plain_sqlite_reason(&e),
        };
        make_private(path);
        let conn = Connection::open(path).map_err(open_err)?;
        Store::setup(conn).map_err(|e| match e {
            StoreError::Database(reason) => StoreError::Open {
                path: path.to_path_buf(),
                reason,
            },
            other => other,
        })
    }

    /// Opens `<data_dir>/satchel.sqlite3` (see [`data_dir`]).
    pub fn open_default(data_dir: &Path) -> Result<Store, StoreError> {
        Store::open(&data_dir.join(DATABASE_FILE))
    }

    /// A fresh database in memory (for tests and one-off runs).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory().map_err(db)?)
    }

    fn setup(conn: Connection) -> Result<Store, StoreError> {
        let reason = |e: rusqlite::Error| StoreError::Database(plain_sqlite_reason(&e));
        conn.busy_timeout(BUSY_TIMEOUT).map_err(reason)?;
        // Our schema holds no code and needs no trust; a database file
        // cannot make this connection run anything or corrupt itself.
        conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
            .map_err(reason)?;
        conn.pragma_update(None, "trusted_schema", "OFF")
            .map_err(reason)?;
        // In-memory databases answer "memory"; that is fine.
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(reason)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(reason)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(reason)?;
        // Checkpoint every 32 MiB of WAL instead of every 4 MiB: a bulk import
        // writes hundreds of megabytes of original files, and each checkpoint
        // ends in an fsync.
        conn.pragma_update(None, "wal_autocheckpoint", 8192)
            .map_err(reason)?;
        let store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    /// The newest schema version this Satchel knows.
    pub fn known_schema_version() -> i64 {
        MIGRATIONS.len() as i64
    }

    /// The database's schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(db)
    }

    fn migrate(&self) -> Result<(), StoreError> {
        let known = Store::known_schema_version();
        if self.schema_version()? == known {
            return Ok(());
        }
        // A migration may rebuild a table others refer to: with foreign keys
        // on, dropping the old table would delete every row that refers to
        // it. They are off while migrating (a no-op inside a transaction,
        // hence here) and checked before the commit.
        self.conn
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(db)?;
        let migrated = self.migrate_unchecked(known);
        let on = self.conn.pragma_update(None, "foreign_keys", "ON");
        migrated?;
        on.map_err(db)
    }

    fn migrate_unchecked(&self, known: i64) -> Result<(), StoreError> {
        // Immediate: a second process opening at the same time waits, then
        // sees the migrated version and does nothing.
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(db)?;
        let found = self.schema_version()?;
        if found > known {
            return Err(StoreError::SchemaTooNew { found, known });
        }
        let start = usize::try_from(found).unwrap_or(0);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(start) {
            tx.execute_batch(sql).map_err(db)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(db)?;
        }
        let dangling: i64 = tx
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .map_err(db)?;
        if dangling > 0 {
            return Err(StoreError::Database(format!(
                "upgrading the database would leave {dangling} rows referring to missing ones"
            )));
        }
        tx.commit().map_err(db)
    }

    /// How long a write waits for another program writing to the database
    /// ([`BUSY_TIMEOUT`] unless changed here) before it fails with
    /// [`StoreError::Busy`].
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(timeout).map_err(db)
    }

    /// Runs `f` in one transaction: everything it writes lands together, or
    /// (when it returns an error) not at all. The transaction takes the
    /// write lock at once (`BEGIN IMMEDIATE`), waiting up to the busy
    /// timeout for another writer.
    pub fn atomically<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(db)?;
        let value = f(self)?;
        tx.commit().map_err(db)?;
        Ok(value)
    }
}

/// SQLite's own words, minus the error-code noise, for messages.
fn plain_sqlite_reason(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => "the file is not a Satchel database".to_owned(),
        Some(rusqlite::ErrorCode::CannotOpen) => "the file cannot be opened".to_owned(),
        Some(rusqlite::ErrorCode::ReadOnly) => "the file is read-only".to_owned(),
        Some(rusqlite::ErrorCode::DatabaseBusy) => {
            "another program is holding the database".to_owned()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_dir_prefers_the_flag_then_the_environment() {
        let flag = Some(PathBuf::from("/flag"));
        let env = Some(std::ffi::OsString::from("/env"));
        assert_eq!(choose_data_dir(flag.clone(), env.clone()), flag);
        assert_eq!(choose_data_dir(None, env), Some(PathBuf::from("/env")));
        assert_eq!(
            choose_data_dir(Some(PathBuf::new()), Some(std::ffi::OsString::new())),
            choose_data_dir(None, None)
        );
    }

    #[test]
    fn a_fresh_database_has_the_newest_schema() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(
            store.schema_version().unwrap(),
            Store::known_schema_version()
        );
        assert_eq!(Store::known_schema_version(), MIGRATIONS.len() as i64);
    }

    #[test]
    fn a_failed_transaction_leaves_nothing_behind() {
        let store = Store::open_in_memory().unwrap();
        let doc = DocumentRecord {
            url: "https://a.example/x",
            final_url: "https://a.example/x",
            status: 200,
            content_type: None,
            body: b"{}",
            fetched_at: 1,
        };
        let result: Result<(), StoreError> = store.atomically(|s| {
            s.put_document(&doc, false)?;
            Err(StoreError::NoDataDir)
        });
        assert!(result.is_err());
        assert!(store.get_document("https://a.example/x").unwrap().is_none());
    }
}
