//! The SQLite store: migrations, the schema snapshot, refusing newer
//! databases, and the documents table, on real database files.
//!
//! The schema snapshot is `tests/data/schema.sql`; regenerate it with
//! `UPDATE_EXPECT=1 cargo test store` and review the diff like code.

use satchel::store::{data_dir, DocumentRecord, DocumentSource, Store, StoreError};
use std::path::Path;

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
