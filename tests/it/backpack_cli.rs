//! The backpack from the command line: the real `satchel` binary on a real
//! data directory against a real issuer server on 127.0.0.1, a crash in the
//! middle of a bulk import, and the whole shared corpus imported offline.

use crate::backpack::{baked_png, issuer, NOW};
use crate::support::{check_expectation, corpus};
use satchel::backpack::{self, ImportInput, ImportOptions, ItemOutcome};
use satchel::fetch::{import_dir, CachingFetch};
use satchel::store::Store;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use crate::support::satchel_in as satchel;

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn lines(o: &Output) -> Vec<Value> {
    ok(o);
    any_lines(o)
}

/// JSON lines whatever the exit code.
fn any_lines(o: &Output) -> Vec<Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn one_line_error(o: &Output, code: i32) -> String {
    assert_eq!(o.status.code(), Some(code), "{o:?}");
    let err = String::from_utf8(o.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(
        err.starts_with("satchel: ") && err.trim_end().ends_with('.'),
        "{err}"
    );
    err
}

#[test]
fn a_backpack_from_import_to_backup_restore_and_export() {
    let server = issuer(4);
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    for i in 0..3 {
        std::fs::write(files.path().join(format!("{i}.png")), baked_png(&server, i)).unwrap();
    }
    std::fs::write(files.path().join("notes.txt"), "hello").unwrap();
    let d = data.path();
    let dir = files.path().to_str().unwrap();

    // Private addresses are refused by default, with the way to allow them.
    let url = server.url("/a/3.json");
    let refused = satchel(d, &["import", &url, "--json"]);
    assert_eq!(
        refused.status.code(),
        Some(1),
        "the URL could not be fetched"
    );
    let item = &any_lines(&refused)[0];
    assert_eq!(item["outcome"], "failed");
    assert!(item["reason"]
        .as_str()
        .unwrap()
        .contains("unless private network addresses are allowed"));
    let err = String::from_utf8(refused.stderr.clone()).unwrap();
    assert!(err.contains("pass --allow-private-network"), "{err}");

    let imported = satchel(d, &["import", dir, "--allow-private-network", "--json"]);
    assert_eq!(imported.status.code(), Some(1), "notes.txt is not a badge");
    let report = any_lines(&imported);
    assert_eq!(report.len(), 5);
    assert_eq!(report[4]["summary"]["imported"], 3);
    assert_eq!(report[4]["summary"]["not_a_badge"], 1);
    let text = satchel(d, &["import", dir, "--allow-private-network"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("0 imported, 3 already present, 1 not a badge, 0 failed."),
        "{text}"
    );
    assert!(text.contains("not a badge "), "{text}");

    let listed = lines(&satchel(d, &["list", "--json", "--sort", "name"]));
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["name"], "Loopback Listener");
    assert_eq!(listed[0]["status"], "verified");
    let first = listed[0]["id"].as_i64().unwrap().to_string();
    let found = lines(&satchel(d, &["list", "--json", "--search", "socket"]));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["name"], "Port Prowler");
    assert!(ok(&satchel(d, &["list", "--status", "revoked"])).contains("No badge matches."));
    one_line_error(&satchel(d, &["list", "--status", "shiny"]), 2);
    one_line_error(&satchel(d, &["list", "--issued-after", "yesterday"]), 2);

    ok(&satchel(d, &["tag", &first, "career", "2024"]));
    ok(&satchel(d, &["untag", &first, "2024"]));
    ok(&satchel(d, &["note", &first, "Shown at the interview"]));
    let shown = &lines(&satchel(d, &["show", &first, "--json"]))[0];
    assert_eq!(shown["tags"], serde_json::json!(["career"]));
    assert_eq!(shown["note"], "Shown at the interview");
    assert_eq!(shown["badge"]["name"], "Loopback Listener");
    assert_eq!(shown["verification"]["status"], "verified");
    let text = ok(&satchel(d, &["show", &first]));
    assert!(text.contains("Status:      VERIFIED"), "{text}");
    assert!(text.contains("Tags:        career"), "{text}");
    one_line_error(&satchel(d, &["show", "999"]), 1);
    assert!(ok(&satchel(d, &["list", "--tag", "career"])).contains("Loopback Listener"));

    ok(&satchel(
        d,
        &["collection", "create", "CV", "-d", "For employers"],
    ));
    one_line_error(&satchel(d, &["collection", "create", "cv"]), 1);
    let ids: Vec<String> = listed.iter().map(|b| b["id"].to_string()).collect();
    ok(&satchel(d, &["collection", "add", "CV", &ids[2], &ids[1]]));
    ok(&satchel(d, &["collection", "move", "CV", &ids[1], "1"]));
    let c = &lines(&satchel(d, &["collection", "show", "cv", "--json"]))[0];
    let order: Vec<String> = c["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["id"].to_string())
        .collect();
    assert_eq!(order, vec![ids[1].clone(), ids[2].clone()]);
    assert!(ok(&satchel(d, &["collection", "list"])).contains("CV  (2 badges) — For employers"));
    ok(&satchel(d, &["collection", "rename", "CV", "Career"]));
    let in_collection = lines(&satchel(d, &["list", "--collection", "Career", "--json"]));
    assert_eq!(in_collection.len(), 2);

    ok(&satchel(
        d,
        &["identity", "add", "ada@example.org", "+44 20 7946 0958"],
    ));
    let ids_list = lines(&satchel(d, &["identity", "list", "--json"]));
    assert_eq!(ids_list[1]["kind"], "telephone");
    one_line_error(&satchel(d, &["identity", "add", "nobody"]), 1);

    // Re-verify: the issuer revokes one badge.
    server.set(
        "/a/0.json",
        crate::server::Route::new(410, "application/ld+json", r#"{"revoked":true}"#),
    );
    let re = lines(&satchel(
        d,
        &["reverify", "--all", "--json", "--allow-private-network"],
    ));
    assert_eq!(re.len(), 3);
    let revoked = re.iter().find(|r| r["after"] == "revoked").unwrap();
    assert_eq!(revoked["changes"][0]["kind"], "newly_revoked");
    assert!(revoked["changes"][0]["message"]
        .as_str()
        .unwrap()
        .contains("revoked"));
    // A scheduled re-check takes only badges last checked long enough ago:
    // none right after the check above, all three as seen two days later.
    let fresh = ok(&satchel(
        d,
        &["reverify", "--older-than", "1", "--allow-private-network"],
    ));
    assert!(
        fresh.contains("No badge was last checked more than 1 day ago"),
        "{fresh}"
    );
    let later = lines(&satchel(
        d,
        &[
            "reverify",
            "--older-than",
            "1",
            "--json",
            "--allow-private-network",
            "--now",
            &in_days(2),
        ],
    ));
    assert_eq!(later.len(), 3);
    // The recipient now matches the identity added after the import.
    let shown = &lines(&satchel(d, &["show", &ids[2], "--json"]))[0];
    assert_eq!(shown["recipient_match"]["result"], "matched", "{shown}");
    assert_eq!(
        shown["recipient_match"]["identity"]
            .as_str()
            .map(str::to_lowercase),
        Some("ada@example.org".to_owned()),
        "{shown}"
    );
    assert_eq!(shown["history"].as_array().unwrap().len(), 3);

    // Backup, restore into an empty data dir, and the open export.
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("satchel.backup");
    let b = backup.to_str().unwrap();
    assert!(
        ok(&satchel(d, &["backup", "--out", b])).contains("Backed up 3 badges, 1 collection and")
    );
    one_line_error(&satchel(d, &["backup", "--out", b]), 2);
    let other = tempfile::tempdir().unwrap();
    ok(&satchel(other.path(), &["restore", b]));
    assert_eq!(
        ok(&satchel(other.path(), &["list", "--json"])),
        ok(&satchel(d, &["list", "--json"]))
    );
    let err = one_line_error(&satchel(other.path(), &["restore", b]), 1);
    assert!(err.contains("already holds"), "{err}");
    let export = out.path().join("everything");
    ok(&satchel(
        d,
        &["export-all", "--out", export.to_str().unwrap()],
    ));
    assert!(export.join("manifest.json").exists());

    // Share pages of a collection, from the store.
    let pages = out.path().join("share");
    let shared = &lines(&satchel(
        d,
        &[
            "export",
            "career",
            "--out",
            pages.to_str().unwrap(),
            "--json",
        ],
    ))[0];
    assert!(shared["pages"].as_array().unwrap().len() >= 3, "{shared}");
    let index = std::fs::read_to_string(pages.join("index.html")).unwrap();
    assert!(index.contains("Career"), "the collection's title");
    assert!(index.contains("Port Prowler") && index.contains("Loopback Listener"));
    assert!(
        index.contains("Local Guild"),
        "the issuer, resolved from its profile"
    );
    let mut originals = 0;
    for entry in crate::support::files_under(&pages.join("files")) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        if ["0.png", "1.png", "2.png"].contains(&name.as_str()) {
            let bytes = std::fs::read(&entry).unwrap();
            let found = (0..3)
                .any(|i| std::fs::read(files.path().join(format!("{i}.png"))).unwrap() == bytes);
            assert!(found, "{} is an original, byte for byte", entry.display());
            originals += 1;
        }
    }
    assert_eq!(originals, 2);
    one_line_error(
        &satchel(d, &["export", "nope", "--out", pages.to_str().unwrap()]),
        1,
    );

    // The preview: what would be published, nothing written.
    let preview = ok(&satchel(d, &["export", "career", "--dry-run"]));
    assert!(
        preview.starts_with("Career would publish 2 badges: 2 of 2 with the original file;"),
        "{preview}"
    );
    assert!(
        preview.contains("original file and JSON included"),
        "{preview}"
    );
    assert!(
        preview.contains("warning: badges/")
            && preview.contains("a hash of the recipient's email address"),
        "{preview}"
    );
    assert!(
        preview.ends_with("Nothing was written (--dry-run).\n"),
        "{preview}"
    );
    let dry = out.path().join("dry");
    ok(&satchel(
        d,
        &[
            "export",
            "career",
            "--dry-run",
            "--out",
            dry.to_str().unwrap(),
        ],
    ));
    assert!(!dry.exists(), "a dry run writes nothing");
    let plan = &lines(&satchel(
        d,
        &[
            "export",
            "career",
            "--dry-run",
            "--leave-out-originals",
            "--json",
        ],
    ))[0];
    assert_eq!(plan["originals"], 0, "{plan}");
    assert_eq!(plan["warnings"], 0, "{plan}");
    assert_eq!(plan["badges"].as_array().unwrap().len(), 2, "{plan}");

    ok(&satchel(d, &["delete", &ids[1]]));
    assert_eq!(lines(&satchel(d, &["list", "--json"])).len(), 2);
    one_line_error(&satchel(d, &["delete", &ids[1]]), 1);
}

fn count_badges(db: &Path) -> i64 {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| c.query_row("SELECT count(*) FROM badges", [], |r| r.get(0)))
        .unwrap_or(0)
}

#[test]
fn killing_the_cli_mid_import_leaves_only_whole_badges() {
    const N: usize = 3000;
    let server = issuer(N);
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    for i in 0..N {
        std::fs::write(
            files.path().join(format!("{i:05}.png")),
            baked_png(&server, i),
        )
        .unwrap();
    }
    let db = data.path().join("satchel.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data.path())
        .args(["import", "--allow-private-network", "--no-progress"])
        .arg(files.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while count_badges(&db) < 200 && started.elapsed() < std::time::Duration::from_secs(120) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the import was killed before it finished"
    );

    let store = Store::open(&db).unwrap();
    store.integrity_check().unwrap();
    let stored = store.badge_count().unwrap() as usize;
    assert!((200..N).contains(&stored), "{stored} badges stored");
    for id in store.badge_ids().unwrap() {
        let record = store.badge(id).unwrap().unwrap();
        assert!(
            store.badge_file(id).unwrap().is_some(),
            "badge {id} lost its file"
        );
        assert_eq!(store.verifications(id).unwrap().len(), 1, "badge {id}");
        assert!(record.summary.name.is_some());
    }
    let indexed = store
        .count_badges(&satchel::store::BadgeQuery {
            search: Some("guild".into()),
            ..Default::default()
        })
        .unwrap() as usize;
    assert_eq!(indexed, stored, "every stored badge is in the search index");
    drop(store);

    // Running the import again completes it, storing nothing twice.
    let again = satchel(
        data.path(),
        &[
            "import",
            "--allow-private-network",
            "--json",
            files.path().to_str().unwrap(),
        ],
    );
    let summary = lines(&again).pop().unwrap();
    assert_eq!(
        summary["summary"]["duplicate"].as_u64().unwrap() as usize,
        stored
    );
    assert_eq!(
        summary["summary"]["imported"].as_u64().unwrap() as usize,
        N - stored
    );
    assert_eq!(count_badges(&db) as usize, N);
}

/// The whole shared corpus imported offline, with `ob2/hosted/assets`
/// answering for example.org as in `corpus_verify`: one line per file with
/// the outcome, compared with `tests/data/corpus-import.expected`.
#[test]
fn the_shared_corpus_imports_with_the_expected_report() {
    let Some(root) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("satchel.sqlite3")).unwrap();
    for base in [
        "https://example.org/",
        "http://example.org/",
        "https://www.example.org/",
    ] {
        import_dir(&store, &root.join("ob2/hosted/assets"), base).unwrap();
    }
    let store = Mutex::new(store);
    let fetch = CachingFetch::offline(&store);
    let report = backpack::import(
        &store,
        &fetch,
        &[ImportInput::Path(root.clone())],
        &ImportOptions {
            now: Some(NOW),
            workers: 1,
            offline: true,
            ..ImportOptions::default()
        },
        &|_| {},
        &AtomicBool::new(false),
    );
    assert!(!report.cancelled);
    let mut out = String::new();
    for item in &report.items {
        let rel = item
            .source
            .strip_prefix(&format!("{}/", root.display()))
            .unwrap_or(&item.source);
        let detail = match item.outcome {
            ItemOutcome::Imported => item.status.map(|s| s.to_string()).unwrap_or_default(),
            ItemOutcome::Duplicate => format!("{:?}", item.duplicate_by.unwrap()),
            _ => item.reason.clone().unwrap_or_default(),
        };
        out.push_str(&format!("{rel}: {:?} {detail}\n", item.outcome));
    }
    check_expectation("corpus-import.expected", &out);
    let s = store.lock().unwrap();
    assert_eq!(
        s.badge_count().unwrap() as usize,
        report.count(ItemOutcome::Imported)
    );
    assert!(report.count(ItemOutcome::Imported) > 20);
    // What fails is damaged: malformed JSON, truncated images.
    for item in report
        .items
        .iter()
        .filter(|i| i.outcome == ItemOutcome::Failed)
    {
        let why = item.reason.as_deref().unwrap_or("");
        assert!(
            why.contains("not valid JSON") || why.contains("damaged") || why.contains("truncated"),
            "{}: {why}",
            item.source
        );
    }
    s.integrity_check().unwrap();
}

/// Now plus `days` days, as RFC 3339.
fn in_days(days: i64) -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::days(days))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

#[test]
fn importing_an_empty_folder_says_there_was_nothing_to_import() {
    let data = tempfile::tempdir().unwrap();
    let empty = data.path().join("nothing here");
    std::fs::create_dir_all(empty.join(".hidden")).unwrap();
    std::fs::write(empty.join(".hidden/badge.json"), "{}").unwrap();
    let text = ok(&satchel(data.path(), &["import", empty.to_str().unwrap()]));
    assert!(text.starts_with("Nothing to import"), "{text}");
}

#[test]
fn a_pasted_list_of_urls_imports_each_line() {
    let server = issuer(2);
    let data = tempfile::tempdir().unwrap();
    let paste = format!("{}\n{}", server.url("/a/0.json"), server.url("/a/1.json"));
    let out = satchel(
        data.path(),
        &[
            "import",
            "--paste",
            &paste,
            "--allow-private-network",
            "--json",
        ],
    );
    let report = lines(&out);
    assert_eq!(report.len(), 2 + 1, "two items and the summary: {report:?}");
    for path in ["/a/0.json", "/a/1.json"] {
        let item = report[..2]
            .iter()
            .find(|i| i["source"].as_str().is_some_and(|s| s.ends_with(path)))
            .unwrap_or_else(|| panic!("no item {path}: {report:?}"));
        assert_eq!(item["outcome"], "imported", "{item}");
    }
    assert_eq!(report[2]["summary"]["imported"], 2);
}

/// Characters that could control a terminal: C0 controls but the line
/// break, DEL, C1 controls, bidi embeddings, overrides and isolates.
fn terminal_controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

#[test]
fn badge_text_reaches_the_terminal_without_control_characters() {
    let evil = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J";
    let credential = |id: &str| {
        serde_json::json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "id": id,
            "issuer": {"id": "did:example:evil", "type": ["Profile"], "name": format!("Issuer\u{9b}31m\u{202e}txt.exe")},
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
                "id": "urn:uuid:2", "type": ["Achievement"], "name": evil,
                "description": "one\nline\r\tonly\u{7f}\u{85}\u{1b}c",
                "criteria": {"narrative": "\u{1b}[1;1H\u{1b}[2Kfake prompt$ "}
            }}
        })
        .to_string()
    };
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let badge = files.path().join("evil\u{1b}[31m.json");
    std::fs::write(&badge, credential("urn:uuid:evil-1")).unwrap();
    let zip = files.path().join("badges.zip");
    let member = credential("urn:uuid:evil-2");
    std::fs::write(
        &zip,
        crate::backpack::zip_of(&[("in\u{1b}]0;zip\u{7}.json", member.as_bytes())]),
    )
    .unwrap();
    let junk = files.path().join("junk\u{1b}[2J\u{9b}.txt");
    std::fs::write(&junk, "not a badge").unwrap();
    let (badge, zip, junk) = (
        badge.to_str().unwrap(),
        zip.to_str().unwrap(),
        junk.to_str().unwrap(),
    );
    let d = data.path();
    let runs: Vec<(&str, Output)> = vec![
        (
            "import",
            satchel(
                d,
                &["import", badge, zip, junk, "--offline", "--no-progress"],
            ),
        ),
        ("list", satchel(d, &["list"])),
        ("show", satchel(d, &["show", "1"])),
        ("show 2", satchel(d, &["show", "2"])),
        ("inspect", satchel(d, &["inspect", badge])),
        ("inspect junk", satchel(d, &["inspect", junk])),
        ("verify", satchel(d, &["verify", badge, junk, "--offline"])),
        (
            "verify json",
            satchel(d, &["verify", badge, "--offline", "--json"]),
        ),
        ("reverify", satchel(d, &["reverify", "--all", "--offline"])),
    ];
    for (what, o) in &runs {
        assert!(o.status.code().is_some(), "{what}: {o:?}");
        for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            assert_eq!(
                terminal_controls(bytes),
                Vec::<char>::new(),
                "{what} {stream}: {}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
    // The strings were printed, with visible marks where the controls were.
    let text = |what: &str| {
        let o = &runs.iter().find(|(w, _)| *w == what).unwrap().1;
        String::from_utf8_lossy(&[o.stdout.as_slice(), &o.stderr].concat()).into_owned()
    };
    let shown = "Evil\u{fffd}]0;pwned\u{fffd}\u{fffd}[2J";
    let expected = ["import", "list", "show", "inspect", "verify", "reverify"]
        .map(|what| (what, shown))
        .into_iter()
        .chain([
            ("import", "in\u{fffd}]0;zip\u{fffd}.json"),
            ("import", "junk\u{fffd}[2J\u{fffd}.txt"),
            ("inspect junk", "junk\u{fffd}[2J\u{fffd}.txt"),
            ("show", "one line  only\u{fffd} \u{fffd}c"),
        ]);
    for (what, part) in expected {
        assert!(text(what).contains(part), "{what}: {}", text(what));
    }
    // JSON keeps the exact strings, escaped.
    let json: Value = serde_json::from_str(text("verify json").lines().next().unwrap()).unwrap();
    assert_eq!(json["badge"]["name"], evil);
}

#[test]
fn common_mistakes_get_one_plain_sentence_and_the_promised_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let missing = d.join("no-such-badge.png");
    let missing = missing.to_str().unwrap();

    // A missing file is an I/O error (exit 2), not "not a badge".
    let o = satchel(d, &["verify", missing]);
    assert_eq!(o.status.code(), Some(2));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(
        out.contains("COULD NOT READ — there is no such file"),
        "{out}"
    );
    assert!(!out.contains("NOT A BADGE"), "{out}");
    let err = one_line_error(&satchel(d, &["inspect", missing]), 2);
    assert!(err.contains("there is no such file"), "{err}");

    // A folder where a file belongs.
    let folder = d.join("folder");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    let err = one_line_error(
        &satchel(
            d,
            &[
                "bake",
                f,
                "--payload",
                "https://example.org/a",
                "--out",
                "x.png",
            ],
        ),
        2,
    );
    assert!(
        err.contains("this is a folder; name the PNG or SVG image"),
        "{err}"
    );
    let err = one_line_error(&satchel(d, &["backup", "--out", f]), 2);
    assert!(
        err.contains("this is a folder; name a new file for the backup"),
        "{err}"
    );

    // Not a badge number.
    for args in [
        &["show", "abc"][..],
        &["tag", "0", "x"],
        &["collection", "add", "CV", "7", "x7"],
    ] {
        let err = one_line_error(&satchel(d, args), 2);
        assert!(err.contains("is not a badge number"), "{args:?}: {err}");
    }

    // The benchmarks' flag is not in the help; SATCHEL_DATA_DIR is not a
    // required option in usage lines.
    for cmd in ["unbake", "verify"] {
        let help = ok(&satchel(d, &[cmd, "--help"]));
        assert!(!help.contains("--stats"), "{cmd}: {help}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("show")
        .env("SATCHEL_DATA_DIR", d)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("Usage: satchel show <ID>"), "{err}");
}

#[test]
fn counts_of_zero_one_and_two_read_right() {
    let server = issuer(2);
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    for i in 0..2 {
        std::fs::write(files.path().join(format!("{i}.png")), baked_png(&server, i)).unwrap();
    }
    let d = data.path();
    let imported = lines(&satchel(
        d,
        &[
            "import",
            files.path().to_str().unwrap(),
            "--allow-private-network",
            "--json",
        ],
    ));
    let ids: Vec<String> = imported[..2]
        .iter()
        .map(|l| l["badge_id"].to_string())
        .collect();
    let (a, b) = (ids[0].as_str(), ids[1].as_str());
    ok(&satchel(d, &["collection", "create", "CV"]));
    ok(&satchel(d, &["collection", "create", "Empty"]));
    for (args, says) in [
        (vec![a], "Added 1 badge to CV (now 1)."),
        (
            vec![a, b],
            "Added 1 badge to CV (now 2); 1 was already in it.",
        ),
        (
            vec![a, b],
            "Added 0 badges to CV (now 2); 2 were already in it.",
        ),
    ] {
        let mut all = vec!["collection", "add", "CV"];
        all.extend(args);
        assert_eq!(ok(&satchel(d, &all)).trim(), says);
    }
    let listed = ok(&satchel(d, &["collection", "list"]));
    assert!(listed.contains("CV  (2 badges)"), "{listed}");
    assert!(listed.contains("Empty  (0 badges)"), "{listed}");
    ok(&satchel(d, &["collection", "remove", "CV", b]));
    let listed = ok(&satchel(d, &["collection", "list"]));
    assert!(listed.contains("CV  (1 badge)"), "{listed}");
    let out = tempfile::tempdir().unwrap();
    let backup = out.path().join("b.sqlite3");
    let said = ok(&satchel(d, &["backup", "--out", backup.to_str().unwrap()]));
    assert!(
        said.starts_with("Backed up 2 badges, 2 collections and "),
        "{said}"
    );
    let said = ok(&satchel(d, &["identity", "add", "ada@example.org"]));
    assert!(
        said.contains("2 badges in your backpack were issued to one of your identities."),
        "{said}"
    );
    let said = ok(&satchel(d, &["reverify", a, "--offline"]));
    assert!(said.contains("Checked 1 badge; 0 changed"), "{said}");
}
