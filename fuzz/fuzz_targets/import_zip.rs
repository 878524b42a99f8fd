//! Importing any bytes as a zip archive never panics and never inflates
//! more than the import caps allow (zip bombs included).
#![no_main]
use libfuzzer_sys::fuzz_target;
use satchel::backpack::{self, ImportInput, ImportOptions};
use satchel::fetch::CachingFetch;
use satchel::store::Store;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, OnceLock};

/// 2025-01-01T00:00:00Z.
const NOW: i64 = 1_735_689_600;

/// A private folder for this fuzzing process, removed by the OS's tmp cleaning.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("satchel-fuzz-import-zip-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        dir
    })
}

fn remove_db(db: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

fuzz_target!(|data: &[u8]| {
    let dir = dir();
    let zip = dir.join("fuzz.zip");
    let db = dir.join("backpack.db");
    std::fs::write(&zip, data).expect("the archive is written");
    remove_db(&db);
    let store = Mutex::new(Store::open(&db).expect("a fresh backpack opens"));
    {
        let fetch = CachingFetch::offline(&store);
        let report = backpack::import(
            &store,
            &fetch,
            &[ImportInput::Path(zip.clone())],
            &ImportOptions {
                now: Some(NOW),
                workers: 1,
                offline: true,
            },
            &|_| {},
            &AtomicBool::new(false),
        );
        assert_eq!(report.items.len(), report.total);
    }
    drop(store);
    remove_db(&db);
});
