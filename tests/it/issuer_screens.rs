//! What the desktop app's award and publish screens ask of the application
//! façade, on a real data folder: the paged, searchable awards list, one
//! award as issued with Satchel's report on it, the publish preview (nothing
//! written), the remembered publish folder and the "not yet published" state.

use crate::issuer::World;
use satchel::app::ErrorCode;
use satchel::issuer::AwardInput;
use satchel::verify::Verdict;

fn award_to(w: &World, class: i64, who: &str, name: &str) -> i64 {
    let issuer = w.issuer_app.class(class).unwrap().issuer_id;
    w.issuer_app
        .award(
            class,
            &AwardInput {
                recipient: who.into(),
                name: Some(name.into()),
                ..AwardInput::default()
            },
            &w.issuer_app.award_folder(issuer),
        )
        .unwrap()
        .id
}

#[test]
fn the_awards_list_pages_and_searches_without_documents() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class_valid_for(issuer, "ob3", false, true, None);
    for n in 0..25 {
        award_to(
            &w,
            class,
            &format!("sailor{n}@example.org"),
            &format!("Sailor {n}"),
        );
    }
    let app = &w.issuer_app;
    let page = app.award_page(issuer, None, 10, 0).unwrap();
    assert_eq!(page.total, 25);
    assert_eq!(page.items.len(), 10);
    assert_eq!(
        page.items[0].recipient, "sailor24@example.org",
        "newest first"
    );
    assert_eq!(page.items[0].class_name, "Harbour Navigator");
    assert_eq!(page.items[0].format, "ob3");
    let last = app.award_page(issuer, None, 10, 20).unwrap();
    assert_eq!(last.items.len(), 5);
    assert_eq!(last.items[4].recipient, "sailor0@example.org");

    // By recipient, by name (any case), by class name; a blank search is no search.
    let found = app.award_page(issuer, Some("sailor1"), 100, 0).unwrap();
    assert_eq!(found.total, 11, "sailor1 and sailor10..19");
    assert_eq!(
        app.award_page(issuer, Some("SAILOR 7"), 100, 0)
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        app.award_page(issuer, Some("navigator"), 100, 0)
            .unwrap()
            .total,
        25
    );
    assert_eq!(app.award_page(issuer, Some("  "), 1, 0).unwrap().total, 25);
    assert_eq!(
        app.award_page(issuer, Some("nobody"), 100, 0)
            .unwrap()
            .total,
        0
    );

    // Revoked and suspended show in the rows.
    let first = page.items[0].id;
    app.revoke(first, "Awarded by mistake").unwrap();
    app.suspend(page.items[1].id, true).unwrap();
    let page = app.award_page(issuer, None, 2, 0).unwrap();
    assert!(page.items[0].revoked.is_some());
    assert!(page.items[1].suspended);

    let e = app.award_page(issuer + 100, None, 10, 0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);
}

#[test]
fn an_award_shows_as_issued_with_its_report_and_files() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class_valid_for(issuer, "ob3", false, true, None);
    let id = award_to(&w, class, "Ada.Lovelace@example.org", "Ada Lovelace");
    let app = &w.issuer_app;

    let d = app.award_detail(id).unwrap();
    assert_eq!(d.report.status, Verdict::Verified, "{:?}", d.report.checks);
    assert_eq!(d.award.recipient, "ada.lovelace@example.org");
    assert_eq!(d.class_name, "Harbour Navigator");
    let badge = d.badge.as_ref().expect("the badge as a backpack shows it");
    assert_eq!(badge.name.as_deref(), Some("Harbour Navigator"));
    assert!(d.files[0].ends_with(".png"), "{:?}", d.files);
    assert!(std::path::Path::new(&d.files[0]).is_file());
    assert!(
        d.files.iter().any(|f| f.ends_with(".json")),
        "{:?}",
        d.files
    );

    app.suspend(id, true).unwrap();
    assert_eq!(
        app.award_detail(id).unwrap().report.status,
        Verdict::Suspended
    );
    app.suspend(id, false).unwrap();
    app.revoke(id, "Awarded by mistake").unwrap();
    let d = app.award_detail(id).unwrap();
    assert_eq!(d.report.status, Verdict::Revoked);
    assert_eq!(
        d.award.revocation_reason.as_deref(),
        Some("Awarded by mistake")
    );
    // The check's scratch copy of the folder is gone.
    let left: Vec<_> = std::fs::read_dir(app.data_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".check"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn publish_previews_remembers_its_folder_and_says_when_changes_wait() {
    let w = World::new();
    let issuer = w.issuer("https://club.example/badges/", None);
    let class = w.class_valid_for(issuer, "ob3", false, false, None);
    let app = &w.issuer_app;
    let state = app.publish_state(issuer).unwrap();
    assert!(!state.pending, "nothing awarded, nothing to publish");
    assert_eq!(state.folder, None);
    assert_eq!(state.base_url, "https://club.example/badges/");

    let ada = award_to(&w, class, "ada@example.org", "Ada");
    assert!(app.publish_state(issuer).unwrap().pending, "an award waits");

    let out = w.path("site");
    let preview = app.publish_preview(issuer, &out).unwrap();
    assert!(!out.exists(), "a preview writes nothing");
    assert!(preview.changed.is_empty() && preview.removed.is_empty());
    assert!(
        preview.added.iter().any(|f| f == "manifest.json"),
        "{preview:?}"
    );

    // The remembered folder survives reopening the data folder.
    app.set_publish_folder(issuer, &out).unwrap();
    let written = app.publish(issuer, &out).unwrap();
    assert_eq!(
        written.added, preview.added,
        "the preview said what publish did"
    );
    let state = app.publish_state(issuer).unwrap();
    assert!(!state.pending);
    assert_eq!(
        state.folder.as_deref(),
        Some(out.display().to_string().as_str())
    );
    assert!(state.published.is_some());
    let again = crate::app::app(app.data_dir());
    assert_eq!(again.publish_folder(issuer), Some(out.clone()));

    // Nothing changed: the preview is empty. A revocation changes the
    // status list (and the manifest) and waits to be published.
    let same = app.publish_preview(issuer, &out).unwrap();
    assert!(
        same.added.is_empty() && same.changed.is_empty() && same.removed.is_empty(),
        "{same:?}"
    );
    app.revoke(ada, "Awarded by mistake").unwrap();
    assert!(app.publish_state(issuer).unwrap().pending);
    let after = app.publish_preview(issuer, &out).unwrap();
    assert!(after.added.is_empty(), "{after:?}");
    assert!(
        after.changed.iter().any(|f| f == "manifest.json"),
        "{after:?}"
    );
    assert!(after.changed.len() >= 2, "{after:?}");
    let written = app.publish(issuer, &out).unwrap();
    assert_eq!(written.changed, after.changed);
    assert!(!app.publish_state(issuer).unwrap().pending);

    // A folder that is not a publish folder is refused by the preview too.
    let other = w.path("photos");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("holiday.jpg"), b"not a badge").unwrap();
    let e = app.publish_preview(issuer, &other).unwrap_err();
    assert!(
        e.message()
            .contains("is not a publish folder Satchel wrote"),
        "{e}"
    );
}
