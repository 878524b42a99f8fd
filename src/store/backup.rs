//! Backup and restore: the whole database as one file.
//!
//! A backup is SQLite's `VACUUM INTO`: a consistent snapshot taken inside one
//! read transaction, so it is safe while the app is running and writing. It
//! is written owner-only (0600) to a temporary file beside the target and
//! renamed into place (see `crate::atomic`), so a failed or killed backup never
//! leaves a half-written file under the real name nor a stray copy beside it.
//!
//! A backup file is untrusted input: it may come from anywhere, and SQLite
//! keeps code in a database (triggers, views, expressions in table and index
//! definitions). It is opened read-only with SQLite's defensive mode, an
//! untrusted schema (`trusted_schema` off) and triggers and views disabled,
//! and it must be exactly what Satchel creates: every object in
//! `sqlite_master` (tables, indexes, the full-text index and its shadow
//! tables) is compared, by type, name and SQL text (comments and whitespace
//! aside), with a fresh in-memory database migrated to the backup's
//! `user_version`, and the full-text index's settings likewise. Anything
//! else (a trigger, a view, an extra table or column, a changed definition)
//! is refused with a sentence naming it, rather than dropped quietly: a file
//! Satchel did not write is not a backup, and the user should hear so. The
//! restore then copies the file (`VACUUM INTO`, triggers disabled) beside
//! the target, checks the copy again the same way (so the file cannot
//! change between check and copy) with `integrity_check`, and renames it
//! into place over an empty database.

use super::{db, plain_sqlite_reason, Store, StoreError, MIGRATIONS};
use crate::atomic::{clean_stale, Partial};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
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
    /// not exist yet; owner-only on Unix) and returns what it holds.
    pub fn backup_to(&self, out: &Path) -> Result<BackupSummary, StoreError> {
        if let Ok(meta) = std::fs::symlink_metadata(out) {
            let reason = if meta.is_dir() {
                format!(
                    "this is a folder; name a new file for the backup, such as {}",
                    out.join("satchel-backup.sqlite3").display()
                )
            } else {
                "the file already exists; choose a new name".to_owned()
            };
            return Err(StoreError::File {
                path: out.to_path_buf(),
                reason,
            });
        }
        clean_stale(out);
        let temp = Partial::private_file(out).map_err(|e| io_err(out, &e))?;
        let target = temp.path().to_str().ok_or_else(|| StoreError::File {
            path: out.to_path_buf(),
            reason: "the path is not UTF-8 text".to_owned(),
        })?;
        self.conn
            .execute("VACUUM INTO ?1", [target])
            .map_err(|e| StoreError::File {
                path: out.to_path_buf(),
                reason: plain_sqlite_reason(&e),
            })?;
        temp.persist(out).map_err(|e| io_err(out, &e))?;
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

/// Opens a backup (or the copy a restore made of one) as untrusted input:
/// defensive mode, untrusted schema, no triggers or views.
fn open_untrusted(file: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(file, flags)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    Ok(conn)
}

/// SQL text with comments dropped and whitespace runs made one space,
/// outside quoted strings and names (which are kept as they are).
fn normalize_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        let close = match c {
            '\'' | '"' | '`' => Some(c),
            '[' => Some(']'),
            _ => None,
        };
        if let Some(close) = close {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
            for q in chars.by_ref() {
                out.push(q);
                if q == close {
                    break;
                }
            }
            continue;
        }
        if c == '-' && chars.peek() == Some(&'-') {
            for q in chars.by_ref() {
                if q == '\n' {
                    break;
                }
            }
            space = true;
        } else if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut star = false;
            for q in chars.by_ref() {
                if star && q == '/' {
                    break;
                }
                star = q == '*';
            }
            space = true;
        } else if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Every schema object by name: its type, table and normalized SQL.
type Schema = BTreeMap<String, (String, String, Option<String>)>;

fn schema_of(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut st = conn.prepare("SELECT name, type, tbl_name, sql FROM sqlite_master")?;
    let rows = st.query_map([], |r| {
        let sql: Option<String> = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            (r.get(1)?, r.get(2)?, sql.as_deref().map(normalize_sql)),
        ))
    })?;
    rows.collect()
}

/// The settings rows of every full-text index's `_config` shadow table.
fn fts_settings(conn: &Connection, expected: &Schema) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, (kind, _, sql)) in expected {
        let fts = sql
            .as_deref()
            .is_some_and(|s| s.to_ascii_lowercase().contains("using fts5"));
        if kind == "table" && fts {
            let mut st = conn.prepare(&format!(
                "SELECT k, quote(v) FROM \"{}_config\" ORDER BY k",
                name.replace('"', "\"\"")
            ))?;
            let rows = st.query_map([], |r| {
                Ok(format!(
                    "{name}: {}={}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?
                ))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
    }
    Ok(out)
}

/// A name from a file, safe to quote in a one-line message.
fn quoted(name: &str) -> String {
    let short: String = name.chars().take(60).collect();
    format!("{short:?}")
}

/// `Err(reason)` unless `conn`'s schema is exactly what Satchel's migrations
/// create at schema `version`.
fn check_schema(conn: &Connection, version: i64) -> Result<(), String> {
    let reason = |e: rusqlite::Error| plain_sqlite_reason(&e);
    let fresh = Connection::open_in_memory().map_err(reason)?;
    let upto = usize::try_from(version).unwrap_or(0).min(MIGRATIONS.len());
    for sql in &MIGRATIONS[..upto] {
        fresh.execute_batch(sql).map_err(reason)?;
    }
    let expected = schema_of(&fresh).map_err(reason)?;
    let found =
        schema_of(conn).map_err(|e| format!("its schema cannot be read ({})", reason(e)))?;
    const NOT_OURS: &str = "so it is not a backup Satchel wrote";
    // Code (triggers, views) is named first: it is the reason to refuse.
    let mut objects: Vec<_> = found.iter().collect();
    objects.sort_by_key(|(name, (kind, _, _))| (kind != "trigger" && kind != "view", *name));
    for (name, entry) in objects {
        let kind = &entry.0;
        match expected.get(name) {
            None => {
                return Err(format!(
                    "it holds a {kind} named {} that Satchel does not create, {NOT_OURS}",
                    quoted(name)
                ))
            }
            Some(want) if want != entry => {
                return Err(format!(
                    "its {kind} {} is not defined as Satchel defines it, {NOT_OURS}",
                    quoted(name)
                ))
            }
            Some(_) => {}
        }
    }
    if let Some((name, (kind, _, _))) = expected.iter().find(|(n, _)| !found.contains_key(*n)) {
        return Err(format!(
            "it lacks the {kind} {} that Satchel creates, {NOT_OURS}",
            quoted(name)
        ));
    }
    let settings = fts_settings(conn, &expected).map_err(reason)?;
    if settings != fts_settings(&fresh, &expected).map_err(reason)? {
        return Err(format!(
            "its full-text index has settings Satchel does not use, {NOT_OURS}"
        ));
    }
    Ok(())
}

/// Checks an open backup: a Satchel schema this binary knows, exactly as
/// Satchel creates it, and intact. Returns its schema version.
fn check_backup(conn: &Connection) -> Result<i64, StoreError> {
    let bad = |reason: String| StoreError::Database(reason);
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
    check_schema(conn, version).map_err(bad)?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    if check != "ok" {
        return Err(bad(format!("it is damaged ({check})")));
    }
    Ok(version)
}

/// `check_backup` on `file`, with a failure worded after the file's name.
fn open_checked(file: &Path) -> Result<(Connection, i64), StoreError> {
    let bad = |reason: String| StoreError::File {
        path: file.to_path_buf(),
        reason,
    };
    let conn = open_untrusted(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| bad(plain_sqlite_reason(&e)))?;
    match check_backup(&conn) {
        Ok(version) => Ok((conn, version)),
        Err(StoreError::Database(reason)) => Err(bad(reason)),
        Err(other) => Err(other),
    }
}

/// Opens `file` read-only and says what it holds, refusing anything that is
/// not an intact Satchel database this binary can read, exactly as Satchel
/// creates it.
pub fn inspect_backup(file: &Path) -> Result<BackupSummary, StoreError> {
    let meta = std::fs::metadata(file).map_err(|e| io_err(file, &e))?;
    if !meta.is_file() {
        return Err(StoreError::File {
            path: file.to_path_buf(),
            reason: "it is not a file".to_owned(),
        });
    }
    let (conn, version) = open_checked(file)?;
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
/// first, copied beside `target`, the copy checked again and renamed into
/// place, then opened (and migrated, when it comes from an older Satchel).
pub fn restore(file: &Path, target: &Path) -> Result<(Store, BackupSummary), StoreError> {
    let summary = inspect_backup(file)?;
    if target.exists() {
        let existing = Store::open(target)?;
        if !existing.is_empty()? {
            return Err(StoreError::File {
                path: target.to_path_buf(),
                reason: "this data folder already holds badges or documents; restore into an empty data folder".to_owned(),
            });
        }
        drop(existing);
    }
    clean_stale(target);
    let temp = Partial::private_file(target).map_err(|e| io_err(target, &e))?;
    let temp_str = temp.path().to_str().ok_or_else(|| StoreError::File {
        path: target.to_path_buf(),
        reason: "the path is not UTF-8 text".to_owned(),
    })?;
    let src =
        open_untrusted(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| StoreError::File {
            path: file.to_path_buf(),
            reason: plain_sqlite_reason(&e),
        })?;
    src.execute("VACUUM INTO ?1", [temp_str])
        .map_err(|e| StoreError::File {
            path: target.to_path_buf(),
            reason: plain_sqlite_reason(&e),
        })?;
    drop(src);
    // The copy is what will be used: check it, not only the file it came from.
    let (copy, _) = open_checked(temp.path()).map_err(|e| match e {
        StoreError::File { reason, .. } => StoreError::File {
            path: file.to_path_buf(),
            reason,
        },
        other => other,
    })?;
    drop(copy);
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        let _ = std::fs::remove_file(side);
    }
    temp.persist(target).map_err(|e| io_err(target, &e))?;
    Ok((Store::open(target)?, summary))
}
