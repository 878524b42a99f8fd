//! Duplicates within one import and across imports: the first item in
//! input order is kept, whatever the workers' timing; a duplicate whose
//! file differs can replace the kept badge or be kept beside it.

use crate::backpack::{baked_png, issuer, served, zip_of, NOW};
use crate::server::TestServer;
use satchel::backpack::{self, ImportInput, ImportOptions, ImportReport, ItemOutcome};
use satchel::fetch::{CachingFetch, HttpFetch, NetPolicy};
use satchel::store::{DuplicateBy, Store};
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
