//! The SQLite store: migrations, the schema snapshot, refusing newer
//! databases, the documents table, restores that refuse a backup carrying
//! anything Satchel did not create, owner-only files, waiting for another
//! writer, and no temporary copies left behind, on real database files.
//!
//! The schema snapshot is `tests/data/schema.sql`; regenerate it with
//! `UPDATE_EXPECT=1 cargo test store` and review the diff like code.

use satchel::store::{data_dir, DocumentRecord, DocumentSource, Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn user_version(path: &Path) -> i64 {
    raw(path)
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap()
}

/// The schema as SQLite reports it, one statement per entry, by name.
fn schema(path: &Path) -> String {
    let conn = raw(path);
    let mut stmt = conn
        .prepare(
            "SELECT sql FROM sqlite_master
             WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
             ORDER BY type, name",
        )
        .unwrap();
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::from(
        "-- The schema after all migrations (tests/it/store.rs; UPDATE_EXPECT=1 to regenerate).\n",
    );
    for sql in rows {
        out.push_str(&sql);
        out.push_str(";\n");
    }
    out
}

#[test]
fn an_empty_database_is_migrated_to_the_newest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        Store::known_schema_version()
    );
    assert!(Store::known_schema_version() >= 1);
    drop(store);
    assert_eq!(user_version(&path), Store::known_schema_version());
    let mode: String = raw(&path)
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Opening again is a no-op, and keeps what was stored.
    let store = Store::open(&path).unwrap();
    store
        .put_document(
            &DocumentRecord {
                url: "https://a.example/x",
                final_url: "https://a.example/x",
                status: 200,
                content_type: None,
                body: b"x",
                fetched_at: 5,
            },
            false,
        )
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.list_documents().unwrap().len(), 1);
}

#[test]
fn the_schema_matches_the_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    drop(Store::open(&path).unwrap());
    let actual = schema(&path);
    crate::support::check_expectation("schema.sql", &actual);
}

#[test]
fn a_database_from_a_newer_satchel_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    drop(Store::open(&path).unwrap());
    raw(&path).pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(&path).unwrap_err();
    let known = Store::known_schema_version();
    assert_eq!(err, StoreError::SchemaTooNew { found: 99, known });
    assert_eq!(
        err.to_string(),
        format!(
            "this database was written by a newer Satchel (schema 99; this Satchel knows up to {known}); upgrade Satchel to open it"
        )
    );
    assert_eq!(user_version(&path), 99, "the database was left alone");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "could not open the database {} (the file is not a Satchel database)",
            path.display()
        )
    );
}

#[test]
fn open_default_uses_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(Some(dir.path().join("a/b"))).unwrap();
    assert_eq!(data, dir.path().join("a/b"));
    assert!(data.is_dir(), "data_dir creates the directory");
    drop(Store::open_default(&data).unwrap());
    assert!(data.join("satchel.sqlite3").is_file());
}

#[test]
fn documents_keep_their_hash_time_and_source() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
    let doc = DocumentRecord {
        url: "https://a.example/k",
        final_url: "https://b.example/k",
        status: 410,
        content_type: Some("application/json"),
        body: b"",
        fetched_at: 1_700_000_000,
    };
    assert!(store.put_document(&doc, false).unwrap());
    let got = store.get_document("https://a.example/k").unwrap().unwrap();
    assert_eq!(got.final_url, "https://b.example/k");
    assert_eq!(got.status, 410);
    assert_eq!(
        got.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(got.source, DocumentSource::Network);
    assert_eq!(got.age_seconds(1_700_000_100), 100);
    let listed = store.list_documents().unwrap();
    assert_eq!((listed[0].size, listed[0].fetched_at), (0, 1_700_000_000));
    assert!(store.remove_document("https://a.example/k").unwrap());
    assert!(store.list_documents().unwrap().is_empty());
}

fn document(url: &str, body: &[u8]) -> DocumentRecord<'static> {
    let url: &'static str = Box::leak(url.to_owned().into_boxed_str());
    let body: &'static [u8] = Box::leak(body.to_vec().into_boxed_slice());
    DocumentRecord {
        url,
        final_url: url,
        status: 200,
        content_type: Some("application/json"),
        body,
        fetched_at: 1_700_000_000,
    }
}

/// A genuine backup (a document, an identity, a collection) in `dir`.
fn genuine_backup(dir: &Path) -> PathBuf {
    let store = Store::open(&dir.join("source.sqlite3")).unwrap();
    store
        .put_document(&document("https://a.example/k", b"{}"), false)
        .unwrap();
    store.add_identity("ada@example.org", 5).unwrap();
    store.create_collection("CV", "", 5).unwrap();
    let file = dir.join("backup.satchel");
    store.backup_to(&file).unwrap();
    file
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_backup_carrying_anything_satchel_did_not_create_is_refused() {
    let cases: &[(&str, &str)] = &[
        (
            "CREATE TABLE stolen (value TEXT);
             CREATE TRIGGER copy_identity AFTER INSERT ON identities
             BEGIN INSERT INTO stolen VALUES (new.value); END;",
            "it holds a trigger named \"copy_identity\" that Satchel does not create",
        ),
        (
            "CREATE TRIGGER copy_identity AFTER INSERT ON identities
             BEGIN DELETE FROM documents; END;",
            "it holds a trigger named \"copy_identity\" that Satchel does not create",
        ),
        (
            "CREATE TABLE stolen (value TEXT)",
            "it holds a table named \"stolen\" that Satchel does not create",
        ),
        (
            "CREATE VIEW everything AS SELECT * FROM documents",
            "it holds a view named \"everything\" that Satchel does not create",
        ),
        (
            "ALTER TABLE identities ADD COLUMN extra TEXT",
            "its table \"identities\" is not defined as Satchel defines it",
        ),
        (
            "DROP INDEX tags_tag; CREATE INDEX tags_tag ON tags (badge_id)",
            "its index \"tags_tag\" is not defined as Satchel defines it",
        ),
        (
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master
                SET sql = replace(sql, 'CHECK (status BETWEEN 100 AND 999)', '')
              WHERE name = 'documents';",
            "its table \"documents\" is not defined as Satchel defines it",
        ),
        (
            "DROP INDEX badges_status",
            "it lacks the index \"badges_status\" that Satchel creates",
        ),
        (
            "DROP TABLE badge_search_docsize",
            "it lacks the table \"badge_search_docsize\" that Satchel creates",
        ),
        (
            "INSERT INTO badge_search (badge_search, rank) VALUES ('rank', 'bm25(10.0)')",
            "its full-text index has settings Satchel does not use",
        ),
    ];
    for (sql, reason) in cases {
        let dir = tempfile::tempdir().unwrap();
        let file = genuine_backup(dir.path());
        raw(&file).execute_batch(sql).unwrap();
        let expected = format!(
            "{}: {reason}, so it is not a backup Satchel wrote",
            file.display()
        );
        let err = satchel::store::inspect_backup(&file).unwrap_err();
        assert_eq!(err.to_string(), expected, "{sql}");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let target = data.join("satchel.sqlite3");
        let err = satchel::store::restore(&file, &target).unwrap_err();
        assert_eq!(err.to_string(), expected, "{sql}");
        assert!(names(&data).is_empty(), "{sql}: nothing was written");
    }
}

#[test]
fn a_genuine_backup_with_its_schema_intact_restores_and_runs_no_code() {
    let dir = tempfile::tempdir().unwrap();
    let file = genuine_backup(dir.path());
    let target = dir.path().join("restored.sqlite3");
    let (store, summary) = satchel::store::restore(&file, &target).unwrap();
    assert_eq!((summary.documents, summary.collections), (1, 1));
    // What a trigger would have used is there and behaves as Satchel's own.
    store.add_identity("bob@example.org", 6).unwrap();
    assert_eq!(store.identities().unwrap().len(), 2);
    assert_eq!(store.list_documents().unwrap().len(), 1);
    let objects: i64 = raw(&target)
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(objects, 0);
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_data_folder_database_and_backups_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir(Some(dir.path().join("new/data"))).unwrap();
    assert_eq!(mode(&data), 0o700);
    let db = data.join("satchel.sqlite3");
    let store = Store::open(&db).unwrap();
    store
        .put_document(&document("https://a.example/x", b"x"), false)
        .unwrap();
    for file in [
        "satchel.sqlite3",
        "satchel.sqlite3-wal",
        "satchel.sqlite3-shm",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let backup = dir.path().join("backup.satchel");
    store.backup_to(&backup).unwrap();
    assert_eq!(mode(&backup), 0o600);
    drop(store);

    // An existing database readable by others is tightened when opened.
    for file in ["satchel.sqlite3", "satchel.sqlite3-wal"] {
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(data.join(file));
        std::fs::set_permissions(data.join(file), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&data.join("satchel.sqlite3-wal")), 0o600);
    drop(store);

    // A restored database too.
    let restored = dir.path().join("restored.sqlite3");
    drop(satchel::store::restore(&backup, &restored).unwrap());
    assert_eq!(mode(&restored), 0o600);
}

/// Holds the write lock of `db` from a second connection (`BEGIN
/// IMMEDIATE`, as another Satchel program writing) for `hold`; returns once
/// the lock is taken.
fn hold_write_lock(db: &Path, hold: Duration) -> std::thread::JoinHandle<()> {
    let db = db.to_path_buf();
    let (taken, wait) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = raw(&db);
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        taken.send(()).unwrap();
        std::thread::sleep(hold);
        conn.execute_batch("COMMIT").unwrap();
    });
    wait.recv().unwrap();
    holder
}

#[test]
fn a_write_waits_for_another_writer_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("satchel.sqlite3");
    let store = Store::open(&db).unwrap();
    // Read first, as a write transaction that checks before it writes.
    assert!(store.collections().unwrap().is_empty());
    let holder = hold_write_lock(&db, Duration::from_secs(1));
    let id = store.create_collection("CV", "", 5).unwrap();
    holder.join().unwrap();
    assert_eq!(store.collections().unwrap()[0].id, id);
}

#[test]
fn a_writer_holding_on_past_the_timeout_gives_one_plain_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("satchel.sqlite3");
    let store = Store::open(&db).unwrap();
    store.set_busy_timeout(Duration::from_millis(100)).unwrap();
    let holder = hold_write_lock(&db, Duration::from_secs(2));
    let err = store.create_collection("CV", "", 5).unwrap_err();
    assert_eq!(err, StoreError::Busy);
    assert_eq!(
        err.to_string(),
        "the backpack is busy: another Satchel program is writing to it; try again in a moment"
    );
    holder.join().unwrap();
    // Nothing half-written; the same write works once the other is done.
    assert!(store.collections().unwrap().is_empty());
    store.create_collection("CV", "", 5).unwrap();
}

#[test]
fn satchel_tag_waits_for_another_writer() {
    let server = crate::backpack::issuer(1);
    let data = tempfile::tempdir().unwrap();
    let file = data.path().join("badge.png");
    std::fs::write(&file, crate::backpack::baked_png(&server, 0)).unwrap();
    let out = crate::support::satchel_in(
        data.path(),
        &[
            "import",
            "--allow-private-network",
            "--no-progress",
            file.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = data.path().join("satchel.sqlite3");
    let id: i64 = raw(&db)
        .query_row("SELECT id FROM badges", [], |r| r.get(0))
        .unwrap();
    let holder = hold_write_lock(&db, Duration::from_secs(1));
    let out = crate::support::satchel_in(data.path(), &["tag", &id.to_string(), "waited"]);
    holder.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tag: String = raw(&db)
        .query_row("SELECT tag FROM tags WHERE badge_id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(tag, "waited");
}

/// Whether `dir` holds a temporary copy (`.partial`) or its lock file.
fn leftovers(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.ends_with(".partial") || n.ends_with(".lock"))
        .collect()
}

#[test]
fn a_killed_backup_leaves_a_copy_the_next_backup_removes() {
    let data = tempfile::tempdir().unwrap();
    {
        // About 256 MiB, so the backup is still being written when killed.
        let store = Store::open(&data.path().join("satchel.sqlite3")).unwrap();
        let mut body = vec![0u8; 1 << 20];
        store
            .atomically(|s| {
                for i in 0..256u32 {
                    body[..4].copy_from_slice(&i.to_le_bytes());
                    s.put_document(&document(&format!("https://a.example/{i}"), &body), false)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
    let outdir = tempfile::tempdir().unwrap();
    let out = outdir.path().join("backup.satchel");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["backup", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    while leftovers(outdir.path()).len() < 2 && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    assert!(
        !child.wait().unwrap().success(),
        "the backup was killed before it finished"
    );
    assert_eq!(
        leftovers(outdir.path()).len(),
        2,
        "a copy and its lock file"
    );
    assert!(!out.exists());

    let again =
        crate::support::satchel_in(data.path(), &["backup", "--out", out.to_str().unwrap()]);
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(names(outdir.path()), vec!["backup.satchel"]);
}

#[cfg(unix)]
#[test]
fn an_export_all_whose_final_rename_fails_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Mutex::new(Store::open(&dir.path().join("s.sqlite3")).unwrap());
    let outdir = tempfile::tempdir().unwrap();
    // A link to nowhere: not an existing folder, and a folder cannot be
    // renamed over it.
    let out = outdir.path().join("export");
    std::os::unix::fs::symlink(outdir.path().join("nowhere"), &out).unwrap();
    let err = satchel::backpack::export_all(&store, &out).unwrap_err();
    assert!(
        err.to_string().starts_with(&out.display().to_string()),
        "{err}"
    );
    assert_eq!(names(outdir.path()), vec!["export"]);
}
