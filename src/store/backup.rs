//! Backup and restore: the whole database as one file.
//!
//! A backup is SQLite's `VACUUM INTO`: a consistent snapshot taken inside one
//! read transaction, so it is safe while the app is running and writing. It
//! is written to a temporary file beside the target and renamed into place,
//! so a failed backup never leaves a half-written file under the real name.
//! A restore checks the file (a SQLite database, `integrity_check` ok, a
//! Satchel schema this binary knows) before it replaces an empty database.

use super::{db, plain_sqlite_reason, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What a backup file holds, from its own tables.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BackupSummary {
    /// The file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its schema version.
    pub schema_version: i64,
    /// How many badges it holds.
    pub badges: u64,
    /// How many collections.
    pub collections: u64,
    /// How many kept documents.
    pub documents: u64,
}

fn temp_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "satchel-backup".to_owned());
    target.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

fn io_err(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::File {
        path: path.to_path_buf(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "there is no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string(),
        },
    }
}

fn count(conn: &Connection, table: &str) -> u64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
        r.get::<_, i64>(0)
    })
    .map_or(0, |n| n.max(0) as u64)
}

impl Store {
    /// Writes a consistent copy of the whole database to `out` (which must
    /// not exist yet) and returns what it holds.
    pub fn backup_to(&self, out: &Path) -> Result<BackupSummary, StoreError> {
        if out.exists() {
            return Err(StoreError::File {
                path: out.to_path_buf(),
                reason: "the file already exists; choose a new name".to_owned(),
            });
        }
        let temp = temp_beside(out);
        let _ = std::fs::remove_file(&temp);
        let target = temp.to_str().ok_or_else(|| StoreError::File {
            path: out.to_path_buf(),
            reason: "the path is not UTF-8 text".to_owned(),
        })?;
        if let Err(e) = self.conn.execute("VACUUM INTO ?1", [target]) {
            let _ = std::fs::remove_file(&temp);
            return Err(StoreError::File {
                path: out.to_path_buf(),
                reason: plain_sqlite_reason(&e),
            });
        }
        if let Err(e) = std::fs::rename(&temp, out) {
            let _ = std::fs::remove_file(&temp);
            return Err(io_err(out, &e));
        }
        inspect_backup(out)
    }

    /// Whether the database holds nothing a user made or kept: no badges,
    /// collections, identities or documents.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM badges) + (SELECT count(*) FROM collections)
                      + (SELECT count(*) FROM identities) + (SELECT count(*) FROM documents)",
                [],
                |r| r.get(0),
            )
            .map_err(db)?;
        Ok(n == 0)
    }

    /// `PRAGMA integrity_check`: `Ok(())` or SQLite's first complaint.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let answer: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(db)?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(StoreError::Database(format!(
                "the integrity check failed: {answer}"
            )))
        }
    }
}

/// Opens `file` read-only and says what it holds, refusing anything that is
/// not an intact Satchel database this binary can read.
pub fn inspect_backup(file: &Path) -> Result<BackupSummary, StoreError> {
    let bad = |reason: String| StoreError::File {
        path: file.to_path_buf(),
        reason,
    };
    let meta = std::fs::metadata(file).map_err(|e| io_err(file, &e))?;
    if !meta.is_file() {
        return Err(bad("it is not a file".to_owned()));
    }
    let conn = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    let has_documents: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    if version < 1 || !has_documents {
        return Err(bad("it is not a Satchel backup".to_owned()));
    }
    let known = Store::known_schema_version();
    if version > known {
        return Err(StoreError::SchemaTooNew {
            found: version,
            known,
        });
    }
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    if check != "ok" {
        return Err(bad(format!("it is damaged ({check})")));
    }
    let has_badges = version >= 2;
    Ok(BackupSummary {
        path: file.to_path_buf(),
        bytes: meta.len(),
        schema_version: version,
        badges: if has_badges {
            count(&conn, "badges")
        } else {
            0
        },
        collections: if has_badges {
            count(&conn, "collections")
        } else {
            0
        },
        documents: count(&conn, "documents"),
    })
}

/// Restores the backup `file` as the database at `target`. `target` must
/// not exist or be empty (see [`Store::is_empty`]); the backup is checked
/// first, copied beside `target` and renamed into place, then opened (and
/// migrated, when it comes from an older Satchel).
pub fn restore(file: &Path, target: &Path) -> Result<(Store, BackupSummary), StoreError> {
    let summary = inspect_backup(file)?;
    if target.exists() {
        let existing = Store::open(target)?;
        if !existing.is_empty()? {
            return Err(StoreError::File {
                path: target.to_path_buf(),
                reason: "this data folder already holds badges or documents; restore into an empty data folder (--data-dir)".to_owned(),
            });
        }
        drop(existing);
    }
    let temp = temp_beside(target);
    let _ = std::fs::remove_file(&temp);
    let temp_str = temp.to_str().ok_or_else(|| StoreError::File {
        path: target.to_path_buf(),
        reason: "the path is not UTF-8 text".to_owned(),
    })?;
    let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| {
        StoreError::File {
            path: file.to_path_buf(),
            reason: plain_sqlite_reason(&e),
        }
    })?;
    if let Err(e) = src.execute("VACUUM INTO ?1", [temp_str]) {
        let _ = std::fs::remove_file(&temp);
        return Err(StoreError::File {
            path: target.to_path_buf(),
            reason: plain_sqlite_reason(&e),
        });
    }
    drop(src);
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&temp, target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        io_err(target, &e)
    })?;
    Ok((Store::open(target)?, summary))
}
