//! The application façade (`satchel::app::App`) driven without any shell,
//! the way the CLI and the desktop app use it: a real data folder with a
//! real SQLite file, a real issuer on 127.0.0.1, real baked images.

use crate::backpack::{baked_png, issuer, NOW};
use satchel::app::{App, Clock, ErrorCode, Reverify, Settings, ShareOptions, SETTINGS_FILE};
use satchel::backpack::{ImportInput, ItemOutcome};
use satchel::store::{BadgeQuery, RecipientMatch};
use std::sync::atomic::AtomicBool;

/// An app in a fresh data folder that may reach 127.0.0.1, at [`NOW`].
pub fn app(dir: &std::path::Path) -> App {
    App::open_at(dir)
        .unwrap()
        .with_settings(Settings {
            allow_private: true,
            ..Settings::default()
        })
        .with_clock(Clock::Fixed(NOW))
}

fn never() -> AtomicBool {
    AtomicBool::new(false)
}

/// Imports baked badges 0..n of `server` from files in `dir`.
fn import(
    app: &App,
    server: &crate::server::TestServer,
    dir: &std::path::Path,
    n: usize,
) -> Vec<i64> {
    let inputs: Vec<ImportInput> = (0..n)
        .map(|i| {
            let path = dir.join(format!("badge-{i}.png"));
            std::fs::write(&path, baked_png(server, i)).unwrap();
            ImportInput::Path(path)
        })
        .collect();
    let (report, unkept) = app.import(&inputs, &|_| {}, &never());
    assert!(unkept.is_empty(), "{unkept:?}");
    assert_eq!(report.count(ItemOutcome::Imported), n, "{report:?}");
    report.items.iter().filter_map(|i| i.badge_id).collect()
}

#[test]
fn identities_rematch_every_badge_when_they_change() {
    let server = issuer(3);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 3);
    // Nobody's yet: the recipient is a hashed ada@example.org.
    let yours = |app: &App| app.badge(ids[0]).unwrap().record.recipient_match;
    assert_eq!(yours(&app), RecipientMatch::NoMatch);

    let added = app.add_identity("ada@example.org").unwrap();
    assert!(added.changed);
    assert_eq!(added.yours, 3);
    assert_eq!(added.identities.len(), 1);
    let detail = app.badge(ids[0]).unwrap();
    let matched = detail.record.recipient_match.matched().expect("matched");
    assert_eq!(matched.identity, "ada@example.org");
    assert!(matched.hashed);
    assert!(detail.has_identities);
    let listed = |app: &App| -> Vec<bool> {
        let page = app.list(&BadgeQuery::default()).unwrap();
        page.items.iter().map(|b| b.yours).collect()
    };
    assert_eq!(listed(&app), [true, true, true], "the grid's 'yours' mark");

    // Adding it again changes nothing.
    let again = app.add_identity("ADA@example.org").unwrap();
    assert!(!again.changed);
    assert_eq!(again.yours, 3);

    // Removing it: nobody's again, at once.
    let removed = app.remove_identity("ada@example.org").unwrap();
    assert_eq!(removed.yours, 0);
    assert!(removed.identities.is_empty());
    assert_eq!(yours(&app), RecipientMatch::NoMatch);
    assert_eq!(listed(&app), [false, false, false]);

    let missing = app.remove_identity("ada@example.org").unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
    assert!(missing.code().is_rejection());
}

#[test]
fn a_badge_detail_is_one_typed_value_and_missing_things_are_not_found() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 1);
    let detail = app.badge(ids[0]).unwrap();
    assert_eq!(detail.badge.name.as_deref(), Some("Loopback Listener"));
    assert_eq!(detail.verifications.len(), 1);
    let report = detail.last_report().expect("the import's report");
    assert_eq!(report.status.as_str(), detail.record.summary.status);
    assert_eq!(report.checked_at, NOW);

    for e in [
        app.badge(999).unwrap_err(),
        app.delete(999).unwrap_err(),
        app.collection(42).unwrap_err(),
        app.find_collection("no such").unwrap_err(),
    ] {
        assert_eq!(e.code(), ErrorCode::NotFound, "{e}");
        assert!(!e.message().is_empty());
    }
    app.delete(ids[0]).unwrap();
    assert_eq!(app.badge_count().unwrap(), 0);
}

#[test]
fn tags_notes_collections_and_listing() {
    let server = issuer(4);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 4);
    assert_eq!(
        app.add_tags(ids[1], &["work".into(), "net".into()])
            .unwrap(),
        ["net", "work"]
    );
    app.set_note(ids[1], "from the meetup").unwrap();
    let page = app
        .list(&BadgeQuery {
            tag: Some("work".into()),
            ..BadgeQuery::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].id, ids[1]);
    assert_eq!(page.tags[&ids[1]], ["net", "work"]);
    assert_eq!(app.all_tags().unwrap().len(), 2);

    let cv = app.create_collection("CV", "for applications").unwrap();
    let exists = app.create_collection("cv", "").unwrap_err();
    assert_eq!(exists.code(), ErrorCode::Exists);
    assert_eq!(app.add_to_collection(cv.id, &ids[..3], None).unwrap(), 3);
    assert_eq!(app.add_to_collection(cv.id, &ids[..1], None).unwrap(), 0);
    app.move_in_collection(cv.id, ids[2], 0).unwrap();
    assert_eq!(
        app.collection_badge_ids(cv.id).unwrap(),
        [ids[2], ids[0], ids[1]]
    );
    let renamed = app.rename_collection(cv.id, "Résumé").unwrap();
    assert_eq!(renamed.name, "Résumé");
    assert_eq!(renamed.count, 3);
    assert_eq!(app.find_collection("résumé").unwrap().id, cv.id);
    assert_eq!(app.remove_from_collection(cv.id, &ids[..1]).unwrap(), 1);
    app.delete_collection(cv.id).unwrap();
    assert!(app.collections().unwrap().is_empty());
    assert_eq!(app.badge_count().unwrap(), 4, "badges outlive collections");
}

#[test]
fn reverify_offline_uses_kept_documents_and_says_what_changed() {
    let server = issuer(2);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ids = import(&app(&data), &server, dir.path(), 2);
    drop(server);
    // The issuer is gone; offline, the kept documents answer.
    let offline = app(&data).with_settings(Settings {
        offline: true,
        allow_private: true,
        recheck_days: 7,
    });
    let which = offline.reverify_ids(&Reverify::All).unwrap();
    assert_eq!(which.len(), 2);
    let (report, _) = offline.reverify(&which, &|_, _, _| {}, &never());
    assert_eq!(report.items.len(), 2);
    for item in &report.items {
        assert_eq!(item.before, item.after, "{item:?}");
        assert!(item.changes.is_empty(), "{item:?}");
    }
    let detail = offline.badge(ids[0]).unwrap();
    assert_eq!(detail.verifications.len(), 2);
    assert!(detail.verifications[1].offline);
    // Checked at NOW: nothing is older than a day.
    assert!(offline
        .reverify_ids(&Reverify::OlderThan(1))
        .unwrap()
        .is_empty());
}

#[test]
fn settings_are_saved_in_the_data_folder_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = App::open_at(&data).unwrap();
    let chosen = Settings {
        offline: true,
        allow_private: false,
        recheck_days: 30,
    };
    assert_eq!(first.save_settings(chosen).unwrap(), chosen);
    drop(first);
    assert!(data.join(SETTINGS_FILE).is_file());
    assert_eq!(App::open_at(&data).unwrap().settings(), chosen);
    // Settings given for one run (the CLI's flags) are not saved.
    let once = App::open_at(&data)
        .unwrap()
        .with_settings(Settings::default());
    drop(once);
    assert_eq!(App::open_at(&data).unwrap().settings(), chosen);
}

#[test]
fn backup_restore_and_exports_through_the_facade() {
    let server = issuer(2);
    let dir = tempfile::tempdir().unwrap();
    let source = app(&dir.path().join("data"));
    let ids = import(&source, &server, dir.path(), 2);
    let cv = source.create_collection("CV", "").unwrap();
    source.add_to_collection(cv.id, &ids, None).unwrap();

    // A backup onto Satchel's own database is refused; a new file works.
    let own = source.backup(&source.database()).unwrap_err();
    assert_eq!(own.code(), ErrorCode::BadRequest);
    let file = dir.path().join("backup.sqlite3");
    let summary = source.backup(&file).unwrap();
    assert_eq!((summary.badges, summary.collections), (2, 1));

    // Restored into an empty backpack, which stays open and usable.
    let target = app(&dir.path().join("other"));
    let done = target.restore(&file).unwrap();
    assert_eq!(done.summary.badges, 2);
    assert_eq!(target.badge_count().unwrap(), 2);
    assert_eq!(target.find_collection("CV").unwrap().count, 2);
    // Not into a backpack that holds badges.
    let refused = target.restore(&file).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Invalid);
    assert_eq!(target.badge_count().unwrap(), 2, "nothing lost");
    // Not from a file that is no backup.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database").unwrap();
    let fresh = app(&dir.path().join("third"));
    assert_eq!(fresh.restore(&junk).unwrap_err().code(), ErrorCode::Invalid);

    // The open export folder and the share pages.
    let all = source.export_all(&dir.path().join("all")).unwrap();
    assert_eq!(all.badges, 2);
    assert_eq!(source.share_folder_name(cv.id).unwrap(), "cv");
    let pages = source
        .share(cv.id, &ShareOptions::default(), &dir.path().join("cv"))
        .unwrap();
    assert_eq!(pages.pages.len(), 3, "the index and one page per badge");
    assert!(dir.path().join("cv/index.html").is_file());
}

#[test]
fn the_share_preview_lists_what_share_will_publish() {
    let server = issuer(2);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 2);
    let cv = app.create_collection("CV", "").unwrap();
    app.add_to_collection(cv.id, &ids, None).unwrap();

    // The badges carry a hash of the recipient's email address.
    let plan = app.share_plan(cv.id, &ShareOptions::default()).unwrap();
    assert_eq!(plan.title, "CV");
    assert_eq!((plan.badges.len(), plan.originals), (2, 2));
    for b in &plan.badges {
        assert!(b.original, "{b:?}");
        assert!(
            b.warnings
                .iter()
                .any(|w| w.contains("a hash of the recipient's email address")),
            "{b:?}"
        );
    }
    let out = dir.path().join("cv");
    let pages = app.share(cv.id, &ShareOptions::default(), &out).unwrap();
    let planned: Vec<String> = plan
        .badges
        .iter()
        .flat_map(|b| b.warnings.clone())
        .collect();
    assert_eq!(pages.warnings, planned, "the preview and the export agree");

    // Originals left out: nothing to warn about, and none is written.
    let opts = ShareOptions {
        leave_out_originals: true,
        ..ShareOptions::default()
    };
    let plan = app.share_plan(cv.id, &opts).unwrap();
    assert_eq!((plan.originals, plan.warnings), (0, 0));
    assert!(plan
        .badges
        .iter()
        .all(|b| !b.original && b.warnings.is_empty()));
    let pages = app.share(cv.id, &opts, &out).unwrap();
    assert!(pages.warnings.is_empty(), "{:?}", pages.warnings);
    assert!(!pages.files.iter().any(|f| f.ends_with("credential.json")));

    // Nothing is written by a preview; an unknown collection is not found.
    let err = app.share_plan(9999, &opts).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
}

#[test]
fn kept_documents_can_be_pinned_listed_and_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let key = dir.path().join("key.json");
    std::fs::write(&key, "{}").unwrap();
    let pinned = app
        .pin_document("https://issuer.example/key.json", &key)
        .unwrap();
    assert_eq!(pinned.size, 2);
    assert_eq!(app.documents().unwrap().len(), 1);
    assert_eq!(
        app.forget_document("https://issuer.example/key.json")
            .unwrap(),
        "https://issuer.example/key.json"
    );
    let gone = app
        .forget_document("https://issuer.example/key.json")
        .unwrap_err();
    assert_eq!(gone.code(), ErrorCode::NotFound);
    let bad = app
        .pin_document("ftp://issuer.example/key.json", &key)
        .unwrap_err();
    assert_eq!(bad.code(), ErrorCode::Invalid);
}

#[test]
fn search_finds_badges_by_file_name_assertion_id_and_issuer_host() {
    let server = issuer(3);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 3);
    let found = |text: &str| -> Vec<i64> {
        let q = BadgeQuery {
            search: Some(text.to_owned()),
            ..BadgeQuery::default()
        };
        let mut ids: Vec<i64> = app.list(&q).unwrap().items.iter().map(|b| b.id).collect();
        ids.sort_unstable();
        ids
    };
    let mut all = ids.clone();
    all.sort_unstable();
    assert_eq!(found("badge-1.png"), [ids[1]], "by the file it came from");
    assert_eq!(found("/a/2.json"), [ids[2]], "by its assertion id");
    let host = server.base().trim_start_matches("http://").to_owned();
    assert_eq!(found(&host), all, "by the issuer's host");
    assert_eq!(
        found("Prowler"),
        [ids[1]],
        "by the words of its name, as before"
    );
    assert!(
        found("100%_").is_empty(),
        "LIKE wildcards are taken literally"
    );
    let listed = app.list(&BadgeQuery::default()).unwrap();
    assert!(listed.items.iter().all(|b| b.source.ends_with(".png")));
}

#[test]
fn a_duplicate_names_the_badge_kept_and_says_when_its_file_differs() {
    let server = issuer(1);
    let dir = tempfile::tempdir().unwrap();
    let app = app(&dir.path().join("data"));
    let ids = import(&app, &server, dir.path(), 1);
    let again = |name: &str, bytes: Vec<u8>| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let (report, _) = app.import(&[ImportInput::Path(path)], &|_| {}, &never());
        assert_eq!(
            report.items[0].outcome,
            ItemOutcome::Duplicate,
            "{report:?}"
        );
        assert_eq!(report.items[0].badge_id, Some(ids[0]));
        report.items[0].reason.clone().unwrap()
    };
    let same = again("copy.png", baked_png(&server, 0));
    assert_eq!(
        same,
        format!(
            "already in the backpack as “Loopback Listener” (badge {}, from {}): the same file",
            ids[0],
            dir.path().join("badge-0.png").display()
        )
    );
    // The same assertion baked into another image: another file.
    let other = satchel::bake::bake(
        &crate::support::make_png(16, 16),
        &crate::backpack::served(&server, 0),
        satchel::bake::Slot::OpenBadges,
    )
    .unwrap();
    let differs = again("other.png", other);
    assert!(
        differs.contains("this file differs from the one kept")
            && differs.ends_with("this one can be kept instead, or both"),
        "{differs}"
    );
}
