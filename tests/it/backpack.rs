//! The backpack on a real database file: import from files, folders, zip
//! archives, URLs and pasted text against a real issuer server on
//! 127.0.0.1; duplicates; identities; collections; search and filters;
//! re-verification history; backup and restore; the open export folder;
//! cancellation.

use crate::server::{Route, TestServer};
use crate::support::make_png;
use satchel::backpack::{
    self, Change, ImportInput, ImportOptions, ImportReport, ItemOutcome, Problem, ReverifyOptions,
};
use satchel::bake::{bake, Slot};
use satchel::fetch::{CachingFetch, HttpFetch, NetPolicy};
use satchel::store::{
    BadgeQuery, DuplicateBy, IdentityKind, MatchedIdentity, RecipientMatch, SortBy, Store,
    StoreError,
};
use satchel::verify::Verdict;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// 2025-01-01T00:00:00Z.
pub const NOW: i64 = 1_735_689_600;

/// An OB 2.0 hosted assertion `n` on the issuer at `{{base}}`, awarded to
/// ada@example.org (hashed, salted) of badge class `class`.
pub fn assertion(n: usize, class: &str) -> String {
    let day = 1 + n % 28;
    format!(
        r#"{{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"{{{{base}}}}/a/{n}.json","recipient":{{"type":"email","hashed":true,"salt":"pepper","identity":"sha256${}"}},"badge":"{{{{base}}}}/{class}.json","issuedOn":"2024-03-{day:02}T12:00:00Z","verification":{{"type":"hosted"}}}}"#,
        sha256_hex("ada@example.orgpepper")
    )
}

fn sha256_hex(s: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An issuer site with `n` hosted assertions of two badge classes.
pub fn issuer(n: usize) -> TestServer {
    let mut routes: Vec<(String, Route)> = vec![
        (
            "/listener.json".to_owned(),
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"BadgeClass","id":"{{base}}/listener.json","name":"Loopback Listener","description":"Listened on port zero without dropping a packet.","image":"{{base}}/listener.png","criteria":{"narrative":"Answer every request."},"issuer":"{{base}}/issuer.json","tags":["networking"]}"#,
            ),
        ),
        (
            "/prowler.json".to_owned(),
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"BadgeClass","id":"{{base}}/prowler.json","name":"Port Prowler","description":"Found every open socket on the machine.","image":"{{base}}/prowler.png","criteria":{"narrative":"Scan politely."},"issuer":"{{base}}/issuer.json"}"#,
            ),
        ),
        (
            "/issuer.json".to_owned(),
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"Issuer","id":"{{base}}/issuer.json","name":"Local Guild","url":"{{base}}/","email":"guild@example.org","image":"{{base}}/guild.png"}"#,
            ),
        ),
        (
            "/listener.png".to_owned(),
            Route::ok("image/png", make_png(4, 4)),
        ),
        (
            "/prowler.png".to_owned(),
            Route::ok("image/png", make_png(5, 5)),
        ),
        (
            "/guild.png".to_owned(),
            Route::ok("image/png", make_png(3, 3)),
        ),
    ];
    for i in 0..n {
        let class = if i % 2 == 0 { "listener" } else { "prowler" };
        routes.push((format!("/a/{i}.json"), Route::json(assertion(i, class))));
    }
    TestServer::start(routes)
}

/// Assertion `n` as served (with the server's base filled in).
pub fn served(server: &TestServer, n: usize) -> String {
    let class = if n.is_multiple_of(2) {
        "listener"
    } else {
        "prowler"
    };
    assertion(n, class).replace("{{base}}", &server.base())
}

/// A PNG with assertion `n` baked in (by value, as issuers bake it).
pub fn baked_png(server: &TestServer, n: usize) -> Vec<u8> {
    bake(&make_png(8, 8), &served(server, n), Slot::OpenBadges).unwrap()
}

fn baked_svg(server: &TestServer, n: usize) -> Vec<u8> {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>"#;
    bake(svg, &served(server, n), Slot::OpenBadges).unwrap()
}

struct Backpack {
    _dir: tempfile::TempDir,
    path: PathBuf,
    store: Mutex<Store>,
    http: HttpFetch,
}

impl Backpack {
    fn new() -> Backpack {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("satchel.sqlite3");
        let store = Mutex::new(Store::open(&path).unwrap());
        let mut policy = NetPolicy::from_env();
        policy.allow_private = true;
        Backpack {
            _dir: dir,
            path,
            store,
            http: HttpFetch::new(policy),
        }
    }

    fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap()
    }

    fn import(&self, inputs: &[ImportInput]) -> ImportReport {
        let fetch = CachingFetch::online(&self.http, &self.store);
        backpack::import(
            &self.store,
            &fetch,
            inputs,
            &ImportOptions {
                now: Some(NOW),
                ..ImportOptions::default()
            },
            &|_| {},
            &AtomicBool::new(false),
        )
    }

    fn reverify(&self, ids: &[i64], offline: bool) -> backpack::ReverifyReport {
        let fetch = if offline {
            CachingFetch::offline(&self.store)
        } else {
            CachingFetch::online(&self.http, &self.store)
        };
        backpack::reverify(
            &self.store,
            &fetch,
            ids,
            &ReverifyOptions {
                now: Some(NOW),
                offline,
                workers: 2,
            },
            &|_, _, _| {},
            &AtomicBool::new(false),
        )
    }

    fn ids(&self, q: BadgeQuery) -> Vec<i64> {
        self.store()
            .list_badges(&q)
            .unwrap()
            .iter()
            .map(|b| b.id)
            .collect()
    }
}

fn outcome_of<'r>(report: &'r ImportReport, source_end: &str) -> &'r backpack::ItemReport {
    report
        .items
        .iter()
        .find(|i| i.source.ends_with(source_end))
        .unwrap_or_else(|| panic!("no item {source_end} in {:#?}", report.items))
}

pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

#[test]
fn files_folders_zips_urls_and_pasted_text_are_imported_with_a_report_per_item() {
    let server = issuer(8);
    let bp = Backpack::new();
    let files = tempfile::tempdir().unwrap();
    let root = files.path();
    std::fs::create_dir_all(root.join("nested/deeper")).unwrap();
    std::fs::write(root.join("one.png"), baked_png(&server, 0)).unwrap();
    std::fs::write(root.join("nested/two.svg"), baked_svg(&server, 1)).unwrap();
    std::fs::write(root.join("nested/deeper/notes.txt"), b"shopping list").unwrap();
    std::fs::write(root.join("nested/plain.png"), make_png(2, 2)).unwrap();
    let mut truncated = baked_png(&server, 2);
    truncated.truncate(truncated.len() - 20);
    std::fs::write(root.join("nested/truncated.png"), truncated).unwrap();
    std::fs::write(root.join(".hidden.png"), baked_png(&server, 7)).unwrap();
    let zip = zip_of(&[
        ("backpack/three.png", &baked_png(&server, 3)),
        ("backpack/README.txt", b"Exported from a backpack"),
        ("__MACOSX/._three.png", b"resource fork"),
    ]);
    std::fs::write(root.join("export.zip"), zip).unwrap();

    let report = bp.import(&[
        ImportInput::Path(root.to_path_buf()),
        ImportInput::Url(server.url("/a/4.json")),
        ImportInput::Text(served(&server, 5)),
        ImportInput::Bytes {
            name: "dropped.png".to_owned(),
            bytes: baked_png(&server, 6),
        },
        ImportInput::Path(root.join("missing.png")),
    ]);

    let imported: Vec<&str> = report
        .items
        .iter()
        .filter(|i| i.outcome == ItemOutcome::Imported)
        .map(|i| i.source.as_str())
        .collect();
    assert_eq!(imported.len(), 6, "{:#?}", report.items);
    for (source, name) in [
        ("one.png", "Loopback Listener"),
        ("nested/two.svg", "Port Prowler"),
        ("export.zip!backpack/three.png", "Port Prowler"),
        ("/a/4.json", "Loopback Listener"),
        ("pasted text", "Port Prowler"),
        ("dropped.png", "Loopback Listener"),
    ] {
        let item = outcome_of(&report, source);
        assert_eq!(item.outcome, ItemOutcome::Imported, "{item:?}");
        assert_eq!(item.status, Some(Verdict::Verified), "{item:?}");
        assert_eq!(item.name.as_deref(), Some(name));
        assert_eq!(item.issuer.as_deref(), Some("Local Guild"));
    }
    let not_badge = |s: &str| outcome_of(&report, s).outcome == ItemOutcome::NotABadge;
    assert!(not_badge("notes.txt"));
    assert!(not_badge("plain.png"));
    let truncated = outcome_of(&report, "truncated.png");
    assert_eq!(
        truncated.outcome,
        ItemOutcome::Failed,
        "a damaged file may be a badge"
    );
    assert!(
        truncated.reason.as_deref().unwrap().contains("truncated"),
        "{truncated:?}"
    );
    assert!(not_badge("export.zip!backpack/README.txt"));
    assert!(outcome_of(&report, "plain.png")
        .reason
        .as_deref()
        .unwrap()
        .contains("carries no badge"));
    let missing = outcome_of(&report, "missing.png");
    assert_eq!(missing.outcome, ItemOutcome::Failed);
    assert_eq!(
        missing.reason.as_deref(),
        Some("there is no such file or folder")
    );
    // Each item not added names its kind of problem, for screens that
    // advise what to do; imported items name none.
    for (source, problem) in [
        ("notes.txt", Problem::Unsupported),
        ("plain.png", Problem::PlainImage),
        ("truncated.png", Problem::Damaged),
        ("export.zip!backpack/README.txt", Problem::Unsupported),
        ("missing.png", Problem::Unreadable),
    ] {
        let item = outcome_of(&report, source);
        assert_eq!(item.problem, Some(problem), "{item:?}");
    }
    assert_eq!(outcome_of(&report, "one.png").problem, None);
    assert!(!report
        .items
        .iter()
        .any(|i| i.source.contains("hidden") || i.source.contains("__MACOSX")));
    assert_eq!(report.total, report.items.len());
    assert!(!report.cancelled);

    // What was stored: the original bytes exactly, the payload, the fields.
    let s = bp.store();
    assert_eq!(s.badge_count().unwrap(), 6);
    let png_id = outcome_of(&report, "one.png").badge_id.unwrap();
    let (media, bytes) = s.badge_file(png_id).unwrap().unwrap();
    assert_eq!(media, "image/png");
    assert!(
        bytes == std::fs::read(root.join("one.png")).unwrap(),
        "the original bytes, exactly"
    );
    let record = s.badge(png_id).unwrap().unwrap();
    assert_eq!(record.summary.status, "verified");
    assert_eq!(record.summary.version.as_deref(), Some("2.0"));
    assert_eq!(record.summary.format, "hosted");
    assert_eq!(record.summary.container, "png");
    assert_eq!(record.summary.issued_on, Some(1_709_294_400)); // 2024-03-01T12:00Z
    assert_eq!(record.payload, served(&server, 0));
    assert_eq!(
        record.summary.assertion_id.as_deref(),
        Some(server.url("/a/0.json").as_str())
    );
    // The documents its check used (and its images) are linked and kept.
    for doc in ["/a/0.json", "/listener.json", "/issuer.json", "/guild.png"] {
        let url = server.url(doc);
        assert!(
            record.documents.contains(&url),
            "{doc}: {:?}",
            record.documents
        );
        assert!(s.get_document(&url).unwrap().is_some(), "{doc} not kept");
    }
    let url_item = s
        .badge(outcome_of(&report, "/a/4.json").badge_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(url_item.summary.container, "url");
    assert!(url_item.documents.contains(&server.url("/listener.png")));
    assert_eq!(s.verifications(png_id).unwrap().len(), 1);
    drop(s);

    // Importing everything again stores nothing twice.
    let again = bp.import(&[
        ImportInput::Path(root.to_path_buf()),
        ImportInput::Url(server.url("/a/4.json")),
    ]);
    assert_eq!(again.count(ItemOutcome::Imported), 0, "{:#?}", again.items);
    assert_eq!(again.count(ItemOutcome::Duplicate), 4);
    assert_eq!(
        outcome_of(&again, "one.png").duplicate_by,
        Some(DuplicateBy::SameBytes)
    );
    assert_eq!(bp.store().badge_count().unwrap(), 6);
}

#[test]
fn a_paste_of_several_lines_is_judged_line_by_line_and_one_json_document_stays_whole() {
    let server = issuer(3);
    let bp = Backpack::new();
    let paste = format!(
        "{}\n{}\nnot a badge at all\n",
        server.url("/a/0.json"),
        server.url("/a/1.json")
    );
    let report = bp.import(&[ImportInput::Text(paste)]);
    assert_eq!(report.items.len(), 2 + 1, "{:#?}", report.items);
    for (source, name) in [
        ("/a/0.json", "Loopback Listener"),
        ("/a/1.json", "Port Prowler"),
    ] {
        let item = outcome_of(&report, source);
        assert_eq!(item.outcome, ItemOutcome::Imported, "{item:?}");
        assert_eq!(item.name.as_deref(), Some(name));
    }
    let junk = outcome_of(&report, "line 3");
    assert_eq!(junk.source, "pasted text, line 3");
    assert_eq!(junk.outcome, ItemOutcome::NotABadge, "{junk:?}");

    // A pretty-printed assertion spans many lines and is one badge.
    let doc: serde_json::Value = serde_json::from_str(&served(&server, 2)).unwrap();
    let pretty = serde_json::to_string_pretty(&doc).unwrap();
    assert!(pretty.lines().count() > 5);
    let report = bp.import(&[ImportInput::Text(pretty)]);
    assert_eq!(report.items.len(), 1, "{:#?}", report.items);
    let item = &report.items[0];
    assert_eq!(item.source, "pasted text");
    assert_eq!(item.outcome, ItemOutcome::Imported, "{item:?}");
    assert_eq!(item.status, Some(Verdict::Verified), "{item:?}");
    assert_eq!(bp.store().badge_count().unwrap(), 3);
}

#[test]
fn the_same_badge_in_another_container_is_a_duplicate_by_id() {
    let server = issuer(2);
    let bp = Backpack::new();
    let first = bp.import(&[ImportInput::Bytes {
        name: "a.png".to_owned(),
        bytes: baked_png(&server, 0),
    }]);
    let id = first.items[0].badge_id.unwrap();
    let second = bp.import(&[
        ImportInput::Text(served(&server, 0)),
        ImportInput::Url(server.url("/a/0.json")),
    ]);
    for item in &second.items {
        assert_eq!(item.outcome, ItemOutcome::Duplicate, "{item:?}");
        assert_eq!(item.badge_id, Some(id));
        assert_eq!(item.duplicate_by, Some(DuplicateBy::SameId));
        assert!(item
            .reason
            .as_deref()
            .unwrap()
            .contains(&format!("badge {id}")));
    }
}

#[test]
fn badges_that_do_not_verify_are_stored_with_the_reason() {
    let server = issuer(3);
    server.set(
        "/a/1.json",
        Route::new(
            410,
            "application/ld+json",
            r#"{"id":"{{base}}/a/1.json","revoked":true,"revocationReason":"Awarded by mistake"}"#,
        ),
    );
    server.set("/a/2.json", Route::status(404));
    let bp = Backpack::new();
    let report = bp.import(&[
        ImportInput::Bytes {
            name: "revoked.png".to_owned(),
            bytes: baked_png(&server, 1),
        },
        ImportInput::Bytes {
            name: "gone.png".to_owned(),
            bytes: baked_png(&server, 2),
        },
    ]);
    let revoked = outcome_of(&report, "revoked.png");
    assert_eq!(revoked.outcome, ItemOutcome::Imported);
    assert_eq!(revoked.status, Some(Verdict::Revoked));
    assert!(
        revoked
            .reason
            .as_deref()
            .unwrap()
            .contains("Awarded by mistake"),
        "{revoked:?}"
    );
    let gone = outcome_of(&report, "gone.png");
    assert_eq!(gone.outcome, ItemOutcome::Imported);
    assert_eq!(gone.status, Some(Verdict::Invalid));
    assert_eq!(
        bp.ids(BadgeQuery {
            status: vec!["revoked".into()],
            ..BadgeQuery::default()
        }),
        vec![revoked.badge_id.unwrap()]
    );
}

#[test]
fn every_badge_is_matched_against_every_identity() {
    let server = issuer(2);
    let bp = Backpack::new();
    {
        let s = bp.store();
        let (first, new) = s.add_identity("ada@work.example", NOW).unwrap();
        assert!(new);
        assert_eq!(first.kind.as_str(), "email");
        // The recipient's address, in another case: still a match.
        s.add_identity("Ada@Example.org", NOW).unwrap();
        let (_, again) = s.add_identity("ADA@EXAMPLE.ORG", NOW).unwrap();
        assert!(!again, "a case variant is not a second identity");
        s.add_identity("did:example:ada", NOW).unwrap();
        assert!(matches!(
            s.add_identity("not an identity", NOW),
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(s.identities().unwrap().len(), 3);
    }
    let report = bp.import(&[ImportInput::Text(served(&server, 0))]);
    let id = report.items[0].badge_id.unwrap();
    let record = bp.store().badge(id).unwrap().unwrap();
    // The badge names a hashed email; the address as added matched once lower-cased.
    assert_eq!(
        record.recipient_match,
        matched_email("Ada@Example.org", true),
        "{record:?}"
    );
    let last = bp.store().last_verification(id).unwrap().unwrap();
    assert!(last.report_json.contains("\"recipient_matched\":true"));

    // Without the matching identity, the badge is not the user's; it is still
    // a genuine badge: the backpack warns instead of calling it invalid.
    assert!(bp.store().remove_identity("ada@example.org").unwrap());
    bp.reverify(&[id], false);
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(record.recipient_match, RecipientMatch::NoMatch);
    assert_eq!(record.summary.status, "verified");
    let last = bp.store().last_verification(id).unwrap().unwrap();
    let report: serde_json::Value = serde_json::from_str(&last.report_json).unwrap();
    assert_eq!(report["recipient_matched"], false);
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "recipient")
        .expect("a recipient check");
    assert_eq!(check["status"], "warn", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("if it is yours, add it"),
        "{check}"
    );
}

#[test]
fn a_badge_that_could_not_be_checked_is_still_matched_to_its_recipient() {
    let server = issuer(1);
    let text = served(&server, 0);
    drop(server); // the issuer's site is gone
    let bp = Backpack::new();
    bp.store().add_identity("ada@example.org", NOW).unwrap();
    let report = bp.import(&[ImportInput::Text(text)]);
    let id = report.items[0].badge_id.expect("imported");
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(record.summary.status, "unverifiable");
    assert_eq!(
        record.recipient_match,
        matched_email("ada@example.org", false)
    );
    // And again after a check that still cannot reach the issuer.
    bp.reverify(&[id], true);
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(record.summary.status, "unverifiable");
    assert_eq!(
        record.recipient_match,
        matched_email("ada@example.org", false)
    );
}

#[test]
fn a_badge_sent_to_an_identity_not_yet_added_is_imported_as_verified_with_a_warning() {
    let server = issuer(1);
    let bp = Backpack::new();
    bp.store()
        .add_identity("someone@else.example", NOW)
        .unwrap();
    let report = bp.import(&[ImportInput::Text(served(&server, 0))]);
    let item = &report.items[0];
    let id = item.badge_id.expect("imported");
    // The import line says there is something to read.
    assert_eq!(
        item.reason.as_deref(),
        Some("Every required check passed, with 1 warning."),
        "{item:?}"
    );
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(record.summary.status, "verified");
    assert_eq!(record.recipient_match, RecipientMatch::NoMatch);
    // Adding the address it was sent to makes it the user's at once.
    bp.store().add_identity("ada@example.org", NOW).unwrap();
    assert_eq!(backpack::rematch_identities(&bp.store).unwrap(), 1);
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(
        record.recipient_match,
        matched_email("ada@example.org", false)
    );
}

/// A match of the hashed email the test issuer's badges name.
fn matched_email(identity: &str, lowercased: bool) -> RecipientMatch {
    RecipientMatch::Matched(MatchedIdentity {
        identity: identity.to_owned(),
        kind: IdentityKind::Email,
        hashed: true,
        lowercased,
    })
}

#[test]
fn collections_keep_order_and_follow_deleted_badges() {
    let server = issuer(4);
    let bp = Backpack::new();
    let report = bp.import(
        &(0..4)
            .map(|i| ImportInput::Text(served(&server, i)))
            .collect::<Vec<_>>(),
    );
    let ids: Vec<i64> = report.items.iter().map(|i| i.badge_id.unwrap()).collect();
    let s = bp.store();
    let work = s.create_collection("Work", "For my CV", NOW).unwrap();
    let fun = s.create_collection("Fun", "", NOW).unwrap();
    assert!(matches!(
        s.create_collection("work", "", NOW),
        Err(StoreError::CollectionExists(_))
    ));
    assert_eq!(
        s.add_to_collection(work, &[ids[2], ids[0]], None, NOW)
            .unwrap(),
        2
    );
    assert_eq!(
        s.add_to_collection(work, &[ids[1], ids[0]], Some(0), NOW)
            .unwrap(),
        1
    );
    assert_eq!(
        s.collection_badge_ids(work).unwrap(),
        vec![ids[1], ids[2], ids[0]]
    );
    s.move_in_collection(work, ids[0], 0, NOW).unwrap();
    assert_eq!(
        s.collection_badge_ids(work).unwrap(),
        vec![ids[0], ids[1], ids[2]]
    );
    s.add_to_collection(fun, &[ids[1]], None, NOW).unwrap();
    assert!(matches!(
        s.add_to_collection(fun, &[9999], None, NOW),
        Err(StoreError::NoSuchBadge(9999))
    ));
    // A badge in several collections knows them all.
    let names: Vec<String> = s
        .badge(ids[1])
        .unwrap()
        .unwrap()
        .collections
        .into_iter()
        .map(|(_, n)| n)
        .collect();
    assert_eq!(names, vec!["Fun", "Work"]);
    // Listing a collection follows its order.
    drop(s);
    assert_eq!(
        bp.ids(BadgeQuery {
            collection: Some(work),
            ..BadgeQuery::default()
        }),
        vec![ids[0], ids[1], ids[2]]
    );
    let s = bp.store();
    s.rename_collection(work, "Career", NOW).unwrap();
    s.describe_collection(work, "Badges for employers", NOW)
        .unwrap();
    let c = s.find_collection("career").unwrap();
    assert_eq!((c.name.as_str(), c.count), ("Career", 3));
    assert_eq!(c.description, "Badges for employers");
    assert_eq!(s.find_collection(&work.to_string()).unwrap().id, work);
    // Deleting a badge takes it out of its collections and closes the gap.
    assert!(s.delete_badge(ids[1]).unwrap());
    assert_eq!(s.collection_badge_ids(work).unwrap(), vec![ids[0], ids[2]]);
    assert_eq!(s.collection(fun).unwrap().unwrap().count, 0);
    assert!(s.badge(ids[1]).unwrap().is_none());
    assert!(s.badge_file(ids[1]).unwrap().is_none());
    assert!(s.verifications(ids[1]).unwrap().is_empty());
    s.reorder_collection(work, &[ids[2], ids[0]], NOW).unwrap();
    assert_eq!(s.collection_badge_ids(work).unwrap(), vec![ids[2], ids[0]]);
    assert!(s.reorder_collection(work, &[ids[2]], NOW).is_err());
    s.remove_from_collection(work, &[ids[2]], NOW).unwrap();
    assert_eq!(s.collection_badge_ids(work).unwrap(), vec![ids[0]]);
    // Deleting a collection keeps its badges.
    assert!(s.delete_collection(work).unwrap());
    assert!(s.badge(ids[0]).unwrap().is_some());
    assert!(matches!(
        s.find_collection("Career"),
        Err(StoreError::NoSuchCollection(_))
    ));
}

#[test]
fn search_and_filters_find_badges_by_text_tags_notes_status_issuer_and_dates() {
    let server = issuer(6);
    let bp = Backpack::new();
    let report = bp.import(
        &(0..6)
            .map(|i| ImportInput::Text(served(&server, i)))
            .collect::<Vec<_>>(),
    );
    let ids: Vec<i64> = report.items.iter().map(|i| i.badge_id.unwrap()).collect();
    {
        let s = bp.store();
        s.add_tags(ids[0], &["Career".into(), "  ".into(), "career".into()])
            .unwrap();
        assert_eq!(s.tags(ids[0]).unwrap(), vec!["Career"]);
        s.add_tags(ids[3], &["career".into(), "2024".into()])
            .unwrap();
        s.set_note(ids[5], "Shown to the hiring committee in Zürich")
            .unwrap();
        assert_eq!(
            s.remove_tags(ids[3], &["2024".into()]).unwrap(),
            vec!["Career"],
            "a tag in use keeps its first spelling"
        );
        assert_eq!(s.all_tags().unwrap(), vec![("Career".to_owned(), 2)]);
    }
    let search = |text: &str| {
        let mut found = bp.ids(BadgeQuery {
            search: Some(text.into()),
            ..BadgeQuery::default()
        });
        found.sort();
        found
    };
    let sorted = |mut v: Vec<i64>| {
        v.sort();
        v
    };
    let evens = sorted(ids.iter().step_by(2).copied().collect());
    let odds = sorted(ids.iter().skip(1).step_by(2).copied().collect());
    assert_eq!(search("loopback"), evens, "name");
    assert_eq!(search("LISTEN"), evens, "prefix, any case");
    assert_eq!(search("socket"), odds, "description");
    assert_eq!(search("politely"), search("prowler"), "criteria");
    assert_eq!(search("networking").len(), 3, "the badge's own tags");
    assert_eq!(search("guild").len(), 6, "issuer");
    assert_eq!(search("career"), sorted(vec![ids[0], ids[3]]), "user tags");
    assert_eq!(
        search("zurich committee"),
        vec![ids[5]],
        "note, without accents"
    );
    assert!(
        search("loopback prowler").is_empty(),
        "every word must match"
    );
    assert!(search("\" OR *").is_empty(), "operators are plain words");
    assert_eq!(
        sorted(bp.ids(BadgeQuery {
            tag: Some("CAREER".into()),
            ..BadgeQuery::default()
        })),
        sorted(vec![ids[0], ids[3]])
    );
    // By name: the Listeners (badges 0, 2, 4) before the Prowlers.
    let by_name = bp.ids(BadgeQuery {
        sort: SortBy::Name,
        ..BadgeQuery::default()
    });
    assert_eq!(sorted(by_name[..3].to_vec()), evens);
    assert_eq!(
        bp.ids(BadgeQuery {
            issuer: Some("LOCAL guild".into()),
            ..BadgeQuery::default()
        })
        .len(),
        6
    );
    assert!(bp
        .ids(BadgeQuery {
            issuer: Some("local".into()),
            ..BadgeQuery::default()
        })
        .is_empty());
    // Issued 2024-03-01 .. 2024-03-06 (badge n on day n+1).
    assert_eq!(
        bp.ids(BadgeQuery {
            issued_from: Some(1_709_294_400 + 2 * 86_400),
            issued_to: Some(1_709_294_400 + 4 * 86_400),
            sort: SortBy::Issued,
            reverse: true,
            ..BadgeQuery::default()
        }),
        vec![ids[2], ids[3]]
    );
    assert_eq!(
        bp.ids(BadgeQuery {
            sort: SortBy::Issued,
            limit: Some(2),
            offset: 1,
            ..BadgeQuery::default()
        }),
        vec![ids[4], ids[3]]
    );
    assert!(bp
        .ids(BadgeQuery {
            status: vec!["revoked".into()],
            ..BadgeQuery::default()
        })
        .is_empty());
    assert_eq!(
        bp.store()
            .count_badges(&BadgeQuery {
                search: Some("guild".into()),
                limit: Some(1),
                ..BadgeQuery::default()
            })
            .unwrap(),
        6
    );
}

#[test]
fn reverify_keeps_history_and_says_what_changed() {
    let server = issuer(4);
    let bp = Backpack::new();
    let report = bp.import(
        &(0..4)
            .map(|i| ImportInput::Text(served(&server, i)))
            .collect::<Vec<_>>(),
    );
    let ids: Vec<i64> = report.items.iter().map(|i| i.badge_id.unwrap()).collect();

    // Nothing changed.
    let same = bp.reverify(&ids, false);
    assert!(same.items.iter().all(|i| i.changes.is_empty()), "{same:#?}");

    // The issuer revokes one, edits another's hosted copy, renames a badge class.
    server.set(
        "/a/0.json",
        Route::new(
            410,
            "application/ld+json",
            r#"{"revoked":true,"revocationReason":"Cheated"}"#,
        ),
    );
    let edited = served(&server, 1).replace("2024-03-02T12:00:00Z", "2024-03-02T12:00:01Z");
    server.set("/a/1.json", Route::json(edited));
    server.set(
        "/listener.json",
        Route::json(
            r#"{"@context":"https://w3id.org/openbadges/v2","type":"BadgeClass","id":"{{base}}/listener.json","name":"Loopback Listener II","description":"d","image":"{{base}}/listener.png","criteria":{"narrative":"n"},"issuer":"{{base}}/issuer.json"}"#,
        ),
    );
    let changed = bp.reverify(&ids, false);
    let item = |id: i64| changed.items.iter().find(|i| i.id == id).unwrap();
    assert_eq!(item(ids[0]).after, Some(Verdict::Revoked));
    assert!(item(ids[0]).changes.contains(&Change::NewlyRevoked));
    assert!(
        item(ids[1]).changes.contains(&Change::BadgeChanged {
            url: server.url("/a/1.json")
        }),
        "{:?}",
        item(ids[1])
    );
    assert!(item(ids[2]).changes.contains(&Change::DocumentChanged {
        url: server.url("/listener.json")
    }));
    assert!(item(ids[3]).changes.is_empty());
    assert!(Change::NewlyRevoked.message().contains("revoked"));

    // Offline with no kept copy of a changed document: could not check,
    // never "invalid".
    server.set("/a/3.json", Route::status(500));
    let history_before = bp.store().verifications(ids[3]).unwrap().len();
    let offline = bp.reverify(&[ids[3]], true);
    assert_eq!(
        offline.items[0].after,
        Some(Verdict::Verified),
        "{offline:#?}"
    );
    bp.store()
        .atomically(|s| -> Result<(), StoreError> {
            let _ = s.badge_count()?;
            Ok(())
        })
        .unwrap();
    let fresh = Backpack::new();
    let r = fresh.import(&[ImportInput::Text(served(&server, 2))]);
    let lonely = r.items[0].badge_id.unwrap();
    drop(server);
    let down = fresh.reverify(&[lonely], false);
    // The server is gone, but the kept documents still answer.
    assert_eq!(down.items[0].after, Some(Verdict::Verified), "{down:#?}");
    assert_eq!(
        bp.store().verifications(ids[3]).unwrap().len(),
        history_before + 1
    );
    let history = bp.store().verifications(ids[0]).unwrap();
    let statuses: Vec<&str> = history.iter().map(|h| h.status.as_str()).collect();
    assert_eq!(statuses, vec!["verified", "verified", "revoked"]);
    assert_eq!(
        bp.store().badge(ids[0]).unwrap().unwrap().summary.status,
        "revoked"
    );
}

#[test]
fn a_badge_whose_documents_were_never_kept_could_not_be_checked_offline() {
    let server = issuer(1);
    let bp = Backpack::new();
    let report = bp.import(&[ImportInput::Text(served(&server, 0))]);
    let id = report.items[0].badge_id.unwrap();
    // Forget the kept documents, then check offline.
    {
        let s = bp.store();
        for doc in s.list_documents().unwrap() {
            s.remove_document(&doc.url).unwrap();
        }
    }
    let offline = bp.reverify(&[id], true);
    assert_eq!(offline.items[0].after, Some(Verdict::Unverifiable));
    assert_eq!(offline.items[0].changes, vec![Change::CouldNotCheck]);
    let last = bp.store().last_verification(id).unwrap().unwrap();
    assert!(last.offline);
}

fn dump(path: &Path) -> String {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'badge_search_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut st = conn
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1, 2"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        for row in rows {
            out.push_str(&format!("{t}: {}\n", row.unwrap()));
        }
    }
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    out.push_str(&format!("user_version {version}\n"));
    out
}

#[test]
fn a_backup_restores_exactly_and_only_into_an_empty_backpack() {
    let server = issuer(3);
    let bp = Backpack::new();
    let report = bp.import(
        &(0..3)
            .map(|i| ImportInput::Bytes {
                name: format!("{i}.png"),
                bytes: baked_png(&server, i),
            })
            .collect::<Vec<_>>(),
    );
    let ids: Vec<i64> = report.items.iter().map(|i| i.badge_id.unwrap()).collect();
    {
        let s = bp.store();
        let c = s.create_collection("CV", "mine", NOW).unwrap();
        s.add_to_collection(c, &ids, None, NOW).unwrap();
        s.add_tags(ids[0], &["x".into()]).unwrap();
        s.set_note(ids[1], "note").unwrap();
        s.add_identity("ada@example.org", NOW).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("backup.satchel");
    let summary = bp.store().backup_to(&file).unwrap();
    assert_eq!((summary.badges, summary.collections), (3, 1));
    assert!(summary.documents >= 4);
    assert!(matches!(
        bp.store().backup_to(&file),
        Err(StoreError::File { .. })
    ));

    let target = tempfile::tempdir().unwrap();
    let db = target.path().join("satchel.sqlite3");
    // An empty database (a Satchel that was started once) may be replaced.
    drop(Store::open(&db).unwrap());
    let (restored, _) = satchel::store::restore(&file, &db).unwrap();
    drop(restored);
    assert_eq!(dump(&bp.path), dump(&db));
    // Search works in the restored copy.
    let s = Store::open(&db).unwrap();
    assert_eq!(
        s.list_badges(&BadgeQuery {
            search: Some("note".into()),
            ..BadgeQuery::default()
        })
        .unwrap()
        .len(),
        1
    );
    s.integrity_check().unwrap();
    drop(s);
    // A backpack that holds something is never overwritten.
    let err = satchel::store::restore(&file, &db).unwrap_err();
    assert!(err.to_string().contains("already holds"), "{err}");
    // Not a backup: refused with the file named.
    let junk = out.path().join("junk.satchel");
    std::fs::write(&junk, b"not a database at all, just text").unwrap();
    let err = satchel::store::restore(&junk, &target.path().join("other.sqlite3")).unwrap_err();
    assert!(
        err.to_string().starts_with(&junk.display().to_string()),
        "{err}"
    );
    assert!(!target.path().join("other.sqlite3").exists());
}

#[test]
fn export_all_writes_every_original_file_its_json_and_a_manifest() {
    let server = issuer(3);
    let bp = Backpack::new();
    let report = bp.import(&[
        ImportInput::Bytes {
            name: "a.png".to_owned(),
            bytes: baked_png(&server, 0),
        },
        ImportInput::Bytes {
            name: "b.svg".to_owned(),
            bytes: baked_svg(&server, 1),
        },
        ImportInput::Text(served(&server, 2)),
    ]);
    let ids: Vec<i64> = report.items.iter().map(|i| i.badge_id.unwrap()).collect();
    bp.store().create_collection("CV", "", NOW).unwrap();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("export");
    let summary = backpack::export_all(&bp.store, &dir).unwrap();
    assert_eq!(summary.badges, 3);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let badges = manifest["badges"].as_array().unwrap();
    assert_eq!(badges.len(), 3);
    for entry in badges {
        let id = entry["id"].as_i64().unwrap();
        assert!(ids.contains(&id));
        let original = std::fs::read(dir.join(entry["original"].as_str().unwrap())).unwrap();
        let (_, stored) = bp.store().badge_file(id).unwrap().unwrap();
        assert!(
            original == stored,
            "badge {id}: the exported file differs from the original"
        );
        let json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.join(entry["json"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        assert_eq!(json["status"], "verified");
        assert_eq!(json["verification"]["status"], "verified");
        assert_eq!(json["payload"]["type"], "Assertion");
    }
    let mut kinds: Vec<&str> = badges
        .iter()
        .map(|b| b["original"].as_str().unwrap().rsplit('.').next().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, vec!["json", "png", "svg"]);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("documents/index.json")).unwrap()).unwrap();
    let issuer_doc = &index[server.url("/issuer.json")];
    let kept = std::fs::read(dir.join(issuer_doc["file"].as_str().unwrap())).unwrap();
    assert!(String::from_utf8(kept).unwrap().contains("Local Guild"));
    assert_eq!(manifest["collections"][0]["name"], "CV");
    assert!(dir.join("README.txt").exists());
    // Never into a folder that holds something.
    let err = backpack::export_all(&bp.store, &dir).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    let leftovers: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no partial folders left: {leftovers:?}");
}

#[test]
fn a_cancelled_import_keeps_whole_badges_only() {
    let server = issuer(20);
    let bp = Backpack::new();
    let inputs: Vec<ImportInput> = (0..20)
        .map(|i| ImportInput::Text(served(&server, i)))
        .collect();
    let cancel = AtomicBool::new(false);
    let fetch = CachingFetch::online(&bp.http, &bp.store);
    let report = backpack::import(
        &bp.store,
        &fetch,
        &inputs,
        &ImportOptions {
            now: Some(NOW),
            workers: 2,
            offline: false,
            ..ImportOptions::default()
        },
        &|p| {
            assert!(p.done <= p.total);
            if p.done >= 5 {
                cancel.store(true, Ordering::SeqCst);
            }
        },
        &cancel,
    );
    assert!(report.cancelled);
    assert!(
        report.items.len() >= 5 && report.items.len() < 20,
        "{}",
        report.items.len()
    );
    let s = bp.store();
    assert_eq!(
        s.badge_count().unwrap() as usize,
        report.count(ItemOutcome::Imported)
    );
    for id in s.badge_ids().unwrap() {
        assert!(s.badge_file(id).unwrap().is_some());
        assert_eq!(s.verifications(id).unwrap().len(), 1);
    }
}

#[test]
fn hostile_archives_and_oversized_files_are_refused_per_item() {
    let bp = Backpack::new();
    let dir = tempfile::tempdir().unwrap();
    // A zip bomb: 200 MiB of zeros in one member.
    let bomb = {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "bomb.png",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true),
        )
        .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..200 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    };
    assert!(bomb.len() < 1 << 20);
    std::fs::write(dir.path().join("bomb.zip"), bomb).unwrap();
    let mut damaged = zip_of(&[("a.png", b"x")]);
    damaged.truncate(damaged.len() / 2);
    std::fs::write(dir.path().join("damaged.zip"), damaged).unwrap();
    let report = bp.import(&[ImportInput::Path(dir.path().to_path_buf())]);
    let bomb = outcome_of(&report, "bomb.zip!bomb.png");
    assert_eq!(bomb.outcome, ItemOutcome::Failed);
    assert!(
        bomb.reason.as_deref().unwrap().contains("limit"),
        "{bomb:?}"
    );
    assert_eq!(bomb.problem, Some(Problem::TooLarge));
    let damaged = outcome_of(&report, "damaged.zip");
    assert_eq!(damaged.outcome, ItemOutcome::Failed);
    assert_eq!(damaged.problem, Some(Problem::Damaged));
    assert!(
        damaged.reason.as_deref().unwrap().contains("zip archive"),
        "{damaged:?}"
    );
    assert_eq!(bp.store().badge_count().unwrap(), 0);
}

#[test]
fn a_database_from_the_previous_schema_is_migrated_with_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!(
            "../../src/store/migrations/0001_documents.sql"
        ))
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO documents (url, final_url, status, body, sha256, fetched_at, source)
             VALUES ('https://a.example/x', 'https://a.example/x', 200, x'7b7d', ?1, 5, 'network')",
            [sha256_hex("{}")],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        Store::known_schema_version()
    );
    assert_eq!(
        store
            .get_document("https://a.example/x")
            .unwrap()
            .unwrap()
            .body,
        b"{}"
    );
    assert_eq!(store.badge_count().unwrap(), 0);
    store.integrity_check().unwrap();
}

/// Schema 2 kept the recipient match as a sentence ("matched ada@example.org
/// (as lowercased)"); opening such a database turns each row into data.
#[test]
fn recipient_sentences_from_schema_2_become_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    let hashed =
        r#"{"recipient":[{"kind":"email","value":"sha256$ab12","hashed":true,"salt":null}]}"#;
    let plain =
        r#"{"recipient":[{"kind":"email","value":"ada@example.org","hashed":false,"salt":null}]}"#;
    let url = r#"{"recipient":[{"kind":"url","value":"https://ada.example/me","hashed":false,"salt":null}]}"#;
    let rows: [(i64, Option<&str>, &str); 6] = [
        (1, Some("matched Ada@Example.org (as lowercased)"), hashed),
        (2, Some("matched ada@example.org (as given)"), plain),
        (3, Some("matched https://ada.example/me (as given)"), url),
        (4, Some("matched +44 20 7946 0000 (as given)"), hashed),
        (5, None, hashed),
        (6, None, "{}"),
    ];
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../../src/store/migrations/0001_documents.sql"),
            include_str!("../../src/store/migrations/0002_badges.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute(
            "INSERT INTO identities (kind, value, added_at) VALUES ('email', 'ada@example.org', 1)",
            [],
        )
        .unwrap();
        for (id, sentence, badge_json) in rows {
            conn.execute(
                "INSERT INTO badges (id, status, checked_at, imported_at, container, format,
                    sha256, source, recipient_matched, payload, badge_json)
                 VALUES (?1, 'verified', 1, 1, 'json', 'hosted', ?2, 'x.json', ?3, '{}', ?4)",
                rusqlite::params![id, sha256_hex(&id.to_string()), sentence, badge_json],
            )
            .unwrap();
        }
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        Store::known_schema_version()
    );
    store.integrity_check().unwrap();
    let matched = |identity: &str, kind, hashed, lowercased| {
        RecipientMatch::Matched(MatchedIdentity {
            identity: identity.to_owned(),
            kind,
            hashed,
            lowercased,
        })
    };
    let expected = [
        matched("Ada@Example.org", IdentityKind::Email, true, true),
        matched("ada@example.org", IdentityKind::Email, false, false),
        matched("https://ada.example/me", IdentityKind::Url, false, false),
        matched("+44 20 7946 0000", IdentityKind::Telephone, true, false),
        RecipientMatch::NoMatch,
        RecipientMatch::NoRecipient,
    ];
    for ((id, ..), want) in rows.iter().zip(expected) {
        let record = store.badge(*id).unwrap().unwrap();
        assert_eq!(record.recipient_match, want, "badge {id}");
    }
    // The columns refuse a match without its identity.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let refused = conn.execute(
        "UPDATE badges SET recipient_match = 'matched' WHERE id = 5",
        [],
    );
    assert!(refused.is_err(), "{refused:?}");
}

#[test]
fn identities_added_later_are_matched_without_a_new_check() {
    let server = issuer(2);
    let bp = Backpack::new();
    let report = bp.import(&[
        ImportInput::Text(served(&server, 0)),
        ImportInput::Text(served(&server, 1)),
    ]);
    let id = report.items[0].badge_id.unwrap();
    assert_eq!(
        bp.store().badge(id).unwrap().unwrap().recipient_match,
        RecipientMatch::NoMatch
    );
    bp.store().add_identity("ADA@example.org", NOW).unwrap();
    assert_eq!(backpack::rematch_identities(&bp.store).unwrap(), 2);
    let record = bp.store().badge(id).unwrap().unwrap();
    assert_eq!(
        record.recipient_match,
        matched_email("ADA@example.org", true)
    );
    assert_eq!(
        bp.store().verifications(id).unwrap().len(),
        1,
        "no new check"
    );
    bp.store().remove_identity("ada@example.org").unwrap();
    assert_eq!(backpack::rematch_identities(&bp.store).unwrap(), 0);
    assert_eq!(
        bp.store().badge(id).unwrap().unwrap().recipient_match,
        RecipientMatch::NoMatch
    );
}

#[test]
fn items_not_added_name_their_kind_of_problem() {
    let server = issuer(1);
    let class_url = server.url("/listener.json");
    let unreachable = {
        let gone = issuer(0);
        gone.url("/a/0.json")
    };
    let dir = tempfile::tempdir().unwrap();
    let too_big = dir.path().join("huge.json");
    let cap = satchel::limits::MAX_SVG_BYTES.max(satchel::limits::MAX_DOCUMENT_BYTES);
    let mut huge =
        br#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","x":""#.to_vec();
    huge.resize(cap + 10, b'a');
    huge.extend_from_slice(br#""}"#);
    std::fs::write(&too_big, huge).unwrap();
    let bp = Backpack::new();
    let report = bp.import(&[
        // A badge class: an Open Badges document, but not an awarded badge.
        ImportInput::Url(class_url.clone()),
        ImportInput::Url(unreachable.clone()),
        ImportInput::Bytes {
            name: "entities.svg".to_owned(),
            bytes: br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#.to_vec(),
        },
        ImportInput::Path(too_big),
    ]);
    let problem = |source: &str| {
        let item = outcome_of(&report, source);
        assert_ne!(item.outcome, ItemOutcome::Imported, "{item:?}");
        item.problem
    };
    assert_eq!(problem(&class_url), Some(Problem::NotAnAward));
    assert_eq!(problem(&unreachable), Some(Problem::Unreachable));
    assert_eq!(problem("entities.svg"), Some(Problem::Unsafe));
    assert_eq!(problem("huge.json"), Some(Problem::TooLarge));
    assert_eq!(bp.store().badge_count().unwrap(), 0);
}

/// Imports `inputs` into a fresh backpack on a thread of its own and returns
/// the report and how many badges were stored; fails the test if the import
/// has not finished after a minute (a blocking open of a named pipe never
/// would).
fn import_within_deadline(inputs: Vec<ImportInput>) -> (ImportReport, u64) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let bp = Backpack::new();
        let report = bp.import(&inputs);
        let count = bp.store().badge_count().unwrap();
        let _ = tx.send((report, count));
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("the import did not finish: it hung on a special file")
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn folder_import_skips_pipes_sockets_and_links_out_of_the_folder() {
    let server = issuer(4);
    let outside = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("badges");
    std::fs::create_dir_all(folder.join(".kept")).unwrap();
    std::fs::write(folder.join("a.png"), baked_png(&server, 0)).unwrap();
    // A link to a file inside the folder (under a hidden folder the walk skips).
    std::fs::write(folder.join(".kept/b.png"), baked_png(&server, 1)).unwrap();
    std::os::unix::fs::symlink(".kept/b.png", folder.join("inside.png")).unwrap();
    // Links to badges outside the folder, absolute and relative.
    std::fs::write(outside.path().join("c.png"), baked_png(&server, 2)).unwrap();
    std::fs::write(dir.path().join("d.png"), baked_png(&server, 3)).unwrap();
    std::os::unix::fs::symlink(outside.path().join("c.png"), folder.join("out-abs.png")).unwrap();
    std::os::unix::fs::symlink("../d.png", folder.join("out-rel.png")).unwrap();
    mkfifo(&folder.join("pipe.png"));
    let _listener = std::os::unix::net::UnixListener::bind(folder.join("sock.png")).unwrap();

    let (report, count) = import_within_deadline(vec![ImportInput::Path(folder.clone())]);
    assert_eq!(outcome_of(&report, "a.png").outcome, ItemOutcome::Imported);
    assert_eq!(
        outcome_of(&report, "inside.png").outcome,
        ItemOutcome::Imported
    );
    for link in ["out-abs.png", "out-rel.png"] {
        let item = outcome_of(&report, link);
        assert_eq!(item.outcome, ItemOutcome::Failed, "{item:?}");
        assert_eq!(item.problem, Some(Problem::Unsafe));
        assert_eq!(
            item.reason.as_deref(),
            Some("skipped: a link to a file outside the folder")
        );
    }
    for (special, what) in [("pipe.png", "a named pipe"), ("sock.png", "a socket")] {
        let item = outcome_of(&report, special);
        assert_eq!(item.outcome, ItemOutcome::Failed, "{item:?}");
        assert_eq!(item.problem, Some(Problem::Unsupported));
        assert_eq!(
            item.reason.as_deref(),
            Some(format!("skipped: this is {what}, not a regular file").as_str())
        );
    }
    assert_eq!(report.items.len(), 6, "{:#?}", report.items);
    assert_eq!(count, 2);

    // The CLI's folder walk leaves out the same entries.
    let names: Vec<String> = backpack::files_in_folder(&folder)
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.png", "inside.png"]);
}

#[test]
fn a_named_pipe_or_device_given_directly_is_refused_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("badge.png");
    mkfifo(&pipe);
    let (report, count) = import_within_deadline(vec![
        ImportInput::Path(pipe.clone()),
        ImportInput::Path(PathBuf::from("/dev/zero")),
    ]);
    assert_eq!(count, 0);
    let item = outcome_of(&report, "badge.png");
    assert_eq!(item.outcome, ItemOutcome::Failed);
    assert_eq!(item.problem, Some(Problem::Unsupported));
    assert_eq!(
        item.reason.as_deref(),
        Some("this is a named pipe, not a regular file")
    );
    let device = outcome_of(&report, "/dev/zero");
    assert_eq!(
        device.reason.as_deref(),
        Some("this is a device, not a regular file")
    );
}

/// The offsets of every member's local header and central directory record
/// in a zip written without a comment, read from its end record.
fn zip_headers(zip: &[u8]) -> Vec<(usize, usize)> {
    let end = zip.len() - 22;
    assert_eq!(&zip[end..end + 4], b"PK\x05\x06");
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([zip[at], zip[at + 1]]));
    let u32_at = |at: usize| u32::from_le_bytes(zip[at..at + 4].try_into().unwrap()) as usize;
    let mut central = u32_at(end + 16);
    let mut headers = Vec::new();
    for _ in 0..u16_at(end + 10) {
        assert_eq!(&zip[central..central + 4], b"PK\x01\x02");
        headers.push((u32_at(central + 42), central));
        central += 46 + u16_at(central + 28) + u16_at(central + 30) + u16_at(central + 32);
    }
    headers
}

/// Rewrites member `index`'s name (same length) in both of its headers.
fn rename_member(zip: &mut [u8], index: usize, name: &str) {
    let (local, central) = zip_headers(zip)[index];
    zip[local + 30..local + 30 + name.len()].copy_from_slice(name.as_bytes());
    zip[central + 46..central + 46 + name.len()].copy_from_slice(name.as_bytes());
}

#[test]
fn zip_caps_count_the_bytes_really_inflated_and_skipped_members_are_reported() {
    let server = issuer(3);
    let dir = tempfile::tempdir().unwrap();
    // A member that declares 1 KiB and inflates to 100 MiB.
    let mut liar = {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        zip.start_file(
            "liar.png",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..100 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    };
    let (local, central) = zip_headers(&liar)[0];
    liar[local + 22..local + 26].copy_from_slice(&1024u32.to_le_bytes());
    liar[central + 24..central + 28].copy_from_slice(&1024u32.to_le_bytes());
    std::fs::write(dir.path().join("liar.zip"), &liar).unwrap();
    // Members named out of the archive, twice the same name, and encrypted.
    let (a, b, c) = (
        baked_png(&server, 0),
        baked_png(&server, 1),
        baked_png(&server, 2),
    );
    let mut odd = zip_of(&[
        ("../evil.png", &a),
        ("/abs.png", &a),
        ("same.png", &a),
        ("samf.png", &b),
        ("secret.png", &c),
    ]);
    rename_member(&mut odd, 3, "same.png");
    let (local, central) = zip_headers(&odd)[4];
    odd[local + 6] |= 1;
    odd[central + 8] |= 1;
    std::fs::write(dir.path().join("odd.zip"), &odd).unwrap();

    let (report, count) = import_within_deadline(vec![ImportInput::Path(dir.path().to_path_buf())]);
    let failed = |source: &str, problem: Problem, words: &str| {
        let item = outcome_of(&report, source);
        assert_eq!(item.outcome, ItemOutcome::Failed, "{item:?}");
        assert_eq!(item.problem, Some(problem), "{item:?}");
        assert!(item.reason.as_deref().unwrap().contains(words), "{item:?}");
    };
    failed("liar.zip!liar.png", Problem::TooLarge, "limit");
    failed("odd.zip!../evil.png", Problem::Unsafe, "'..'");
    failed("odd.zip!/abs.png", Problem::Unsafe, "absolute");
    failed("odd.zip!secret.png", Problem::Unsupported, "encrypted");
    let same: Vec<_> = report
        .items
        .iter()
        .filter(|i| i.source.ends_with("odd.zip!same.png"))
        .collect();
    assert_eq!(same.len(), 2, "{same:#?}");
    let skipped = same
        .iter()
        .find(|i| i.outcome == ItemOutcome::Failed)
        .expect("the hidden copy is reported");
    assert!(
        skipped.reason.as_deref().unwrap().contains("same name"),
        "{skipped:?}"
    );
    // One copy is read and stored.
    let read = same
        .iter()
        .find(|i| i.outcome == ItemOutcome::Imported)
        .expect("one copy is read");
    assert_eq!(report.items.len(), 6, "{:#?}", report.items);
    assert_eq!(count, 1);
    assert!(read.badge_id.is_some());
}
