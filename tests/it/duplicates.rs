//! Duplicates within one import and across imports: the first item in
//! input order is kept, whatever the workers' timing; a duplicate whose
//! file differs can replace the kept badge or be kept beside it.

use crate::app::app;
use crate::backpack::{baked_png, issuer, served, zip_of, NOW};
use crate::server::TestServer;
use crate::support::make_png;
use satchel::backpack::{self, ImportInput, ImportOptions, ImportReport, ItemOutcome};
use satchel::bake::{bake, Slot};
use satchel::fetch::{CachingFetch, HttpFetch, NetPolicy};
use satchel::store::{BadgeQuery, DuplicateBy, Store};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

fn http() -> HttpFetch {
    let mut policy = NetPolicy::from_env();
    policy.allow_private = true;
    HttpFetch::new(policy)
}

/// Imports `inputs` into a fresh backpack at `db` with `workers` workers.
fn import_fresh(db: &Path, inputs: &[ImportInput], workers: usize) -> (Mutex<Store>, ImportReport) {
    let _ = std::fs::remove_file(db);
    let store = Mutex::new(Store::open(db).unwrap());
    let http = http();
    let report = {
        let fetch = CachingFetch::online(&http, &store);
        backpack::import(
            &store,
            &fetch,
            inputs,
            &ImportOptions {
                now: Some(NOW),
                workers,
                ..ImportOptions::default()
            },
            &|_| {},
            &AtomicBool::new(false),
        )
    };
    (store, report)
}

/// Assertion 0 three ways, all with the same id: baked in a PNG (slowest
/// to read), as served, and laid out differently (other bytes).
fn same_id_three_ways(server: &TestServer) -> Vec<(&'static str, Vec<u8>)> {
    let json = served(server, 0);
    let pretty = json.replacen('{', "{\n  ", 1);
    vec![
        ("a-complete.png", baked_png(server, 0)),
        ("b-complete.json", json.clone().into_bytes()),
        ("c-complete_v1.json", pretty.into_bytes()),
        ("d-complete-copy.json", json.into_bytes()),
    ]
}

/// The report says the first item was kept and every later one is a
/// duplicate of it by id (the copy of an item not kept too).
fn assert_first_kept(store: &Mutex<Store>, report: &ImportReport) {
    let items = &report.items;
    assert_eq!(items.len(), 4, "{items:#?}");
    assert_eq!(items[0].outcome, ItemOutcome::Imported, "{items:#?}");
    let kept = items[0].badge_id.unwrap();
    let by: Vec<_> = items[1..]
        .iter()
        .map(|i| {
            assert_eq!(i.outcome, ItemOutcome::Duplicate, "{items:#?}");
            assert_eq!(i.badge_id, Some(kept), "{items:#?}");
            i.duplicate_by.unwrap()
        })
        .collect();
    assert_eq!(by, [DuplicateBy::SameId; 3], "{items:#?}");
    let store = store.lock().unwrap();
    assert_eq!(store.badge_count().unwrap(), 1);
    let badge = store.badge(kept).unwrap().unwrap();
    assert!(badge.source.ends_with("a-complete.png"), "{}", badge.source);
}

#[test]
fn of_several_files_with_one_id_in_a_folder_the_first_by_name_is_always_kept() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("badges");
    std::fs::create_dir(&folder).unwrap();
    // Written last-first, so the folder's own order is not name order.
    for (name, bytes) in same_id_three_ways(&server).iter().rev() {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let db = dir.path().join("satchel.sqlite3");
    for workers in [2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4] {
        let (store, report) = import_fresh(&db, &[ImportInput::Path(folder.clone())], workers);
        assert_first_kept(&store, &report);
    }
}

#[test]
fn of_several_members_with_one_id_in_a_zip_the_first_in_the_archive_is_always_kept() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let files = same_id_three_ways(&server);
    // Archive order, not name order: the member named last comes first.
    let mut entries: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    entries.rotate_right(1);
    let zip = dir.path().join("badges.zip");
    std::fs::write(&zip, zip_of(&entries)).unwrap();
    let db = dir.path().join("satchel.sqlite3");
    for workers in [2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4, 8, 2, 4] {
        let (store, report) = import_fresh(&db, &[ImportInput::Path(zip.clone())], workers);
        let items = &report.items;
        assert_eq!(items.len(), 4, "{items:#?}");
        assert!(
            items[0].source.ends_with("d-complete-copy.json"),
            "{items:#?}"
        );
        assert_eq!(items[0].outcome, ItemOutcome::Imported, "{items:#?}");
        let kept = items[0].badge_id.unwrap();
        for later in &items[1..] {
            assert_eq!(later.outcome, ItemOutcome::Duplicate, "{items:#?}");
            assert_eq!(later.badge_id, Some(kept), "{items:#?}");
        }
        // The exact copy of the first member is a duplicate by its bytes.
        assert_eq!(
            items[2].duplicate_by,
            Some(DuplicateBy::SameBytes),
            "{items:#?}"
        );
        let source = store.lock().unwrap().badge(kept).unwrap().unwrap().source;
        assert!(source.ends_with("d-complete-copy.json"), "{source}");
    }
}

/// Assertion 0 of `server` baked into a `side`×`side` PNG written to
/// `dir/name`: the same badge in another file for every size.
fn baked_file(server: &TestServer, dir: &Path, name: &str, side: u32) -> ImportInput {
    let bytes = bake(&make_png(side, side), &served(server, 0), Slot::OpenBadges).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    ImportInput::Path(path)
}

#[test]
fn a_differing_duplicate_replaces_the_kept_file_or_is_kept_beside_it() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let never = AtomicBool::new(false);
    let first = baked_file(&server, dir.path(), "first.png", 8);
    let (report, _) = app.import(&[first], &|_| {}, &never);
    let kept = report.items[0].badge_id.unwrap();
    app.add_tags(kept, &["networking-2024".to_owned()]).unwrap();
    app.set_note(kept, "shown at the interview").unwrap();
    let cv = app.create_collection("CV", "").unwrap().id;
    app.add_to_collection(cv, &[kept], None).unwrap();

    // Replacing: the kept badge takes the other file, and keeps the rest.
    let second = baked_file(&server, dir.path(), "second.png", 16);
    let (report, _) = app.import_replacing(std::slice::from_ref(&second), &|_| {}, &never);
    let item = &report.items[0];
    assert_eq!(item.outcome, ItemOutcome::Imported, "{item:?}");
    assert_eq!(item.badge_id, Some(kept), "{item:?}");
    let reason = item.reason.as_deref().unwrap();
    assert!(
        reason.starts_with(&format!("kept instead of the file badge {kept} had (from "))
            && reason.contains("first.png): "),
        "{item:?}"
    );
    assert!(item
        .replaced_source
        .as_deref()
        .unwrap()
        .ends_with("first.png"));
    assert_eq!(app.badge_count().unwrap(), 1);
    let detail = app.badge(kept).unwrap();
    assert!(
        detail.record.source.ends_with("second.png"),
        "{}",
        detail.record.source
    );
    assert_eq!(detail.record.tags, ["networking-2024"]);
    assert_eq!(detail.record.note, "shown at the interview");
    assert_eq!(detail.record.collections, [(cv, "CV".to_owned())]);
    let ImportInput::Path(second_path) = &second else {
        unreachable!()
    };
    assert_eq!(
        app.store().badge_file(kept).unwrap().unwrap().1,
        std::fs::read(second_path).unwrap()
    );
    let history = &detail.verifications;
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].replaced_source, None);
    let replaced = history[1].replaced_source.as_deref().unwrap();
    assert!(replaced.ends_with("first.png"), "{replaced}");
    assert_eq!(history[1].status, "verified");
    // The note and tags are still found by search.
    let found = app
        .list(&BadgeQuery {
            search: Some("interview".to_owned()),
            ..BadgeQuery::default()
        })
        .unwrap();
    assert_eq!(found.items.iter().map(|b| b.id).collect::<Vec<_>>(), [kept]);

    // Keeping both: a second badge with the same id, another file.
    let third = baked_file(&server, dir.path(), "third.png", 24);
    let (report, _) = app.import_keeping_both(std::slice::from_ref(&third), &|_| {}, &never);
    let item = &report.items[0];
    assert_eq!(item.outcome, ItemOutcome::Imported, "{item:?}");
    let beside = item.badge_id.unwrap();
    assert_ne!(beside, kept);
    assert_eq!(app.badge_count().unwrap(), 2);
    assert_eq!(app.badge(beside).unwrap().record.tags, Vec::<String>::new());
    assert_eq!(app.badge(kept).unwrap().record.tags, ["networking-2024"]);
    // The very same bytes are never kept twice, even when asked.
    let (report, _) = app.import_keeping_both(&[third], &|_| {}, &never);
    assert_eq!(report.items[0].outcome, ItemOutcome::Duplicate);
    assert_eq!(report.items[0].duplicate_by, Some(DuplicateBy::SameBytes));
    assert_eq!(report.items[0].badge_id, Some(beside));
    // A plain import of yet another file names the first badge kept.
    let fourth = baked_file(&server, dir.path(), "fourth.png", 32);
    let (report, _) = app.import(&[fourth], &|_| {}, &never);
    assert_eq!(report.items[0].outcome, ItemOutcome::Duplicate);
    assert_eq!(report.items[0].duplicate_by, Some(DuplicateBy::SameId));
    assert_eq!(report.items[0].badge_id, Some(kept));
    app.store().integrity_check().unwrap();
}

#[test]
fn replacing_with_a_file_already_kept_as_another_badge_changes_nothing() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let never = AtomicBool::new(false);
    let first = baked_file(&server, dir.path(), "first.png", 8);
    let second = baked_file(&server, dir.path(), "second.png", 16);
    let (report, _) = app.import(&[first], &|_| {}, &never);
    let kept = report.items[0].badge_id.unwrap();
    let (report, _) = app.import_keeping_both(std::slice::from_ref(&second), &|_| {}, &never);
    let beside = report.items[0].badge_id.unwrap();
    // second.png is badge `beside` already: not a replacement of `kept`.
    let (report, _) = app.import_replacing(&[second], &|_| {}, &never);
    assert_eq!(report.items[0].outcome, ItemOutcome::Duplicate);
    assert_eq!(report.items[0].badge_id, Some(beside));
    let detail = app.badge(kept).unwrap();
    assert!(detail.record.source.ends_with("first.png"));
    assert_eq!(detail.verifications.len(), 1);
}

/// Schema 3 allowed one badge per assertion id; opening such a database
/// keeps every badge with its file, history, tags and collections, and
/// no longer requires one file per id.
#[test]
fn a_database_from_schema_3_is_upgraded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        for sql in [
            include_str!("../../src/store/migrations/0001_documents.sql"),
            include_str!("../../src/store/migrations/0002_badges.sql"),
            include_str!("../../src/store/migrations/0003_recipient_match.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO badges (id, name, status, checked_at, imported_at, container, format,
                assertion_id, sha256, source, note, payload, badge_json)
             VALUES (7, 'Loopback Listener', 'verified', 5, 5, 'json', 'hosted',
                'https://issuer.example/a/0.json', '{}', 'a.json', 'kept note', '{{}}', '{{}}');
             INSERT INTO badge_files (badge_id, media_type, bytes) VALUES (7, 'application/json', x'7b7d');
             INSERT INTO verifications (badge_id, checked_at, status, offline, report)
                VALUES (7, 5, 'verified', 0, '{{}}');
             INSERT INTO tags (badge_id, tag) VALUES (7, 'kept');
             INSERT INTO collections (id, name, created_at, updated_at) VALUES (1, 'CV', 5, 5);
             INSERT INTO collection_badges (collection_id, badge_id, position) VALUES (1, 7, 0);
             INSERT INTO badge_search (rowid, name, description, issuer, criteria, tags, note)
                VALUES (7, 'Loopback Listener', '', '', '', 'kept', 'kept note');",
            "a".repeat(64)
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        Store::known_schema_version()
    );
    store.integrity_check().unwrap();
    let badge = store.badge(7).unwrap().unwrap();
    assert_eq!(badge.note, "kept note");
    assert_eq!(badge.tags, ["kept"]);
    assert_eq!(badge.collections, [(1, "CV".to_owned())]);
    assert_eq!(store.badge_file(7).unwrap().unwrap().1, b"{}");
    assert_eq!(store.verifications(7).unwrap().len(), 1);
    assert_eq!(store.collection_badge_ids(1).unwrap(), [7]);
    // Foreign keys hold again: deleting the badge takes it out of its
    // collection.
    assert!(store.delete_badge(7).unwrap());
    assert_eq!(store.collection_badge_ids(1).unwrap(), Vec::<i64>::new());
}

#[test]
fn the_cli_keeps_the_other_file_instead_or_both_when_asked() {
    use crate::support::satchel_in as satchel;
    let server = issuer(1);
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let d = data.path();
    let path = |input: ImportInput| match input {
        ImportInput::Path(p) => p.to_str().unwrap().to_owned(),
        _ => unreachable!(),
    };
    let first = path(baked_file(&server, files.path(), "first.png", 8));
    let second = path(baked_file(&server, files.path(), "second.png", 16));
    let third = path(baked_file(&server, files.path(), "third.png", 24));
    let json_lines = |o: std::process::Output| -> Vec<serde_json::Value> {
        assert!(o.status.success(), "{o:?}");
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let net = "--allow-private-network";
    let imported = json_lines(satchel(d, &["import", &first, net, "--json"]));
    let kept = imported[0]["badge_id"].as_i64().unwrap().to_string();
    assert!(satchel(d, &["tag", &kept, "career"]).status.success());

    // Told how, in the report of a differing duplicate.
    let told = satchel(d, &["import", &second, net]);
    assert!(told.status.success(), "{told:?}");
    let text = String::from_utf8(told.stdout).unwrap();
    assert!(
        text.contains("this file differs from the one kept")
            && text.contains(
                "import it again with --replace-duplicate; to keep both, with --keep-both"
            ),
        "{text}"
    );

    let replaced = json_lines(satchel(
        d,
        &["import", &second, net, "--replace-duplicate", "--json"],
    ));
    assert_eq!(replaced[0]["outcome"], "imported", "{replaced:?}");
    assert_eq!(replaced[0]["badge_id"].to_string(), kept);
    let shown = json_lines(satchel(d, &["show", &kept, "--json"]));
    assert!(
        shown[0]["source"].as_str().unwrap().ends_with("second.png"),
        "{shown:?}"
    );
    assert_eq!(shown[0]["tags"], serde_json::json!(["career"]));
    let history = shown[0]["history"].as_array().unwrap();
    assert!(
        history[1]["replaced_source"]
            .as_str()
            .unwrap()
            .ends_with("first.png"),
        "{history:?}"
    );
    let text = String::from_utf8(satchel(d, &["show", &kept]).stdout).unwrap();
    assert!(
        text.contains(&format!("(file replaced; it was {first})")),
        "{text}"
    );

    let both = json_lines(satchel(
        d,
        &["import", &third, net, "--keep-both", "--json"],
    ));
    assert_eq!(both[0]["outcome"], "imported", "{both:?}");
    assert_ne!(both[0]["badge_id"].to_string(), kept);
    assert_eq!(json_lines(satchel(d, &["list", "--json"])).len(), 2);

    let conflicting = satchel(d, &["import", &third, "--keep-both", "--replace-duplicate"]);
    assert_eq!(conflicting.status.code(), Some(2), "{conflicting:?}");
}
