//! End-to-end tests of the desktop app in the real webview (WebKitGTK).
//!
//! Each test starts its own Xvfb on a free display and a W3C WebDriver server
//! on free ports — `tauri-driver` when it is installed, otherwise
//! `WebKitWebDriver` directly with `TAURI_WEBVIEW_AUTOMATION=true` (override
//! with `E2E_DRIVER=tauri-driver|webkit`) — and drives the app, started on a
//! fresh temporary data folder (`--data-dir`), with a small client over
//! `reqwest::blocking`. Nothing reaches the network: the sample badges need
//! none, and the app is switched to offline mode before anything else is
//! imported. Screenshots go to `<workspace>/target/screenshots/`.
//!
//! - `backpack_app_end_to_end`: first run, samples, reverse order (mouse and
//!   keyboard), settings, paste import, hostile files, search, detail
//!   (keyboard), tags, verify again, collections (buttons, keyboard, drop),
//!   share, verify all, backup, a cancelled bulk import with progress, delete.
//! - `a_backpack_that_cannot_be_opened_shows_an_error_screen`: garbage in
//!   `satchel.sqlite3`: the error screen, refused commands, Try again.
//! - `dark_theme_follows_the_system`: `GTK_THEME=Adwaita:dark` turns the window dark.
//! - `badges_not_checked_recently_are_checked_again_at_launch`: a stale badge
//!   is checked again at launch and the dialog lists what changed.
//! - `screens::*` (`tests/e2e/screens.rs`): late answers never replace the
//!   badge or collection opened since; no horizontal overflow at 1024×700
//!   and 1280×800 with long names; adding several badges to a collection;
//!   keeping a duplicate whose file differs instead of the kept one, or both.
//! - `open_with::*` (`tests/e2e/open_with.rs`): files on the command line
//!   land on the Import screen; a second launch hands its file to the window.
//! - `backpack_with_10000_badges_stays_bounded`: measures launch-to-ready and
//!   scrolling a 10,000-badge backpack (prints `bench:` lines; BENCHMARKS.md)
//!   and asserts only that the grid's DOM stays bounded.
//! - `issue_awards::*` (`tests/e2e/issue_awards.rs`): Issue mode's awards:
//!   one award by keyboard, a CSV with bad rows then 200 awarded with
//!   progress, revoke, publish to a folder served on 127.0.0.1 and the
//!   badges imported into Backpack mode (verified, revoked); 10,000 awards
//!   listed with the DOM bounded (dark theme).
//!
//! Skipped unless `TAURI_E2E=1` (the Makefile sets it):
//! `TAURI_E2E=1 cargo test -p satchel-desktop --test e2e`.

use serde_json::{json, Value};
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The app under test: this build's, or `SATCHEL_E2E_APP` (the binary
/// unpacked from the .deb, `packaging/check.sh`).
fn app() -> String {
    std::env::var("SATCHEL_E2E_APP")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_satchel-desktop").to_owned())
}
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(30);

/// The tests share nothing, but one display and driver at a time keeps them simple.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// A small Open Badges 2.0 assertion, everything embedded (its issuer's
/// server does not exist: in offline mode it is "could not check").
const ASSERTION: &str = r#"{
  "@context": "https://w3id.org/openbadges/v2",
  "type": "Assertion",
  "id": "https://badges.example.org/assertions/1042",
  "recipient": { "type": "email", "hashed": false, "identity": "ada@example.org" },
  "badge": {
    "type": "BadgeClass",
    "id": "https://badges.example.org/classes/analytical-engines",
    "name": "Analytical Engines",
    "description": "Awarded for writing a working program for the Analytical Engine, including a loop and a conditional branch.",
    "image": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxMjAgMTIwIj48Y2lyY2xlIGN4PSI2MCIgY3k9IjYwIiByPSI1NiIgZmlsbD0iIzJiNTljMyIvPjxjaXJjbGUgY3g9IjYwIiBjeT0iNjAiIHI9IjQyIiBmaWxsPSJub25lIiBzdHJva2U9IiNmZmYiIHN0cm9rZS13aWR0aD0iNCIvPjxwYXRoIGQ9Ik02MCAzMiA2OCA1MiA5MCA1MiA3MiA2NSA3OSA4NiA2MCA3MyA0MSA4NiA0OCA2NSAzMCA1MiA1MiA1MnoiIGZpbGw9IiNmNTllMGIiLz48L3N2Zz4=",
    "criteria": { "narrative": "Write a program for the Analytical Engine that computes Bernoulli numbers." },
    "issuer": { "type": "Issuer", "id": "https://badges.example.org/issuer", "name": "Example Computing Society", "url": "https://example.org" },
    "tags": ["programming"]
  },
  "issuedOn": "2024-05-01T09:30:00Z",
  "verification": { "type": "hosted" }
}"#;

/// A fresh folder under the test target directory.
fn temp_dir(name: &str) -> PathBuf {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{name}-{}-{stamp}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn e2e_enabled() -> bool {
    if std::env::var("TAURI_E2E").as_deref() == Ok("1") {
        return true;
    }
    eprintln!("skipped: the desktop E2E tests run only with TAURI_E2E=1 (they need Xvfb and WebKitWebDriver)");
    false
}

fn shots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

/// Xvfb, driver and a session on the app started with `args`. Drop order
/// (reverse of the tuple) ends the session first, then the driver, then X.
fn launch(args: &[String]) -> (KillOnDrop, KillOnDrop, WebDriver) {
    launch_with(args, &[])
}

/// [`launch`] with extra environment for the driver and so the app (`GTK_THEME`).
fn launch_with(args: &[String], env: &[(&str, &str)]) -> (KillOnDrop, KillOnDrop, WebDriver) {
    let logs = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let (xvfb, display) = start_xvfb(&logs);
    let (driver, port, mode) = start_driver(&display, &logs, env);
    eprintln!(
        "e2e: display {display}, {mode:?} on port {port}; logs in {}",
        logs.display()
    );
    let wd = WebDriver::start(port, mode, args);
    (xvfb, driver, wd)
}

fn count(wd: &WebDriver, css: &str) -> u64 {
    wd.execute(
        "return document.querySelectorAll(arguments[0]).length",
        json!([css]),
    )
    .as_u64()
    .unwrap_or(0)
}

fn set_value(wd: &WebDriver, css: &str, text: &str) {
    let e = wd.find(css);
    wd.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        json!([element_ref(&e), text]),
    );
}

#[test]
fn backpack_app_end_to_end() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let shots = shots();
    let data = temp_dir("e2e-data");
    let files = temp_dir("e2e-files");
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);

    // First run: the empty state explains badges and offers the samples.
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    assert_eq!(wd.title(), "Satchel");
    assert!(wd.is_visible("#first-run"), "the first-run state is shown");
    let intro = wd.text(&wd.find("#first-run"));
    assert!(
        intro.contains("An Open Badge is a digital record"),
        "{intro}"
    );
    assert!(intro.contains("Try with sample badges"), "{intro}");
    wd.screenshot(&shots.join("01-first-run.png"));

    // Try with sample badges: four signed samples, all verified offline.
    wd.click(&wd.find("#try-samples"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '4'");
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 4");
    assert_eq!(
        count(&wd, "#grid .tile[data-status='verified']"),
        4,
        "every sample verifies"
    );
    wd.screenshot(&shots.join("02-backpack.png"));
    let names = wd
        .execute(
            "return document.querySelector('#grid').textContent",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(names.contains("Sample: Trail Explorer"), "{names}");
    assert!(names.contains("Satchel Samples (demo issuer)"), "{names}");
    // Every tile's image loaded from the app's own scheme.
    wd.wait_for_script(
        "return [...document.querySelectorAll('#grid .tile__image')].every(i => i.complete && i.naturalWidth > 0)",
    );
    wd.screenshot(&shots.join("02-backpack.png"));

    // Reverse order: a labelled toggle next to Sort flips the grid.
    let tile_names = "return [...document.querySelectorAll('#grid .tile[data-id]')]
        .sort((a, b) => a.dataset.index - b.dataset.index)
        .map(t => t.querySelector('.tile__name').textContent)";
    let before: Vec<Value> = wd
        .execute(tile_names, json!([]))
        .as_array()
        .cloned()
        .unwrap();
    assert_eq!(before.len(), 4, "{before:?}");
    let toggle = wd.find("#sort-reverse");
    assert_eq!(wd.attribute(&toggle, "aria-label"), "Reverse order");
    assert!(wd.is_visible("#sort-reverse"));
    assert_eq!(wd.attribute(&toggle, "aria-pressed"), "false");
    wd.click(&toggle);
    let reversed: Vec<Value> = before.iter().rev().cloned().collect();
    wd.wait_for_script(&format!(
        "const names = (() => {{ {tile_names} }})(); return JSON.stringify(names) === {:?}",
        Value::from(reversed.clone()).to_string()
    ));
    assert_eq!(wd.attribute(&toggle, "aria-pressed"), "true");
    wd.screenshot(&shots.join("02-backpack-reversed.png"));
    // From the keyboard: Space on the focused toggle puts the order back.
    wd.send_keys(&toggle, " ");
    wd.wait_for_script(&format!(
        "const names = (() => {{ {tile_names} }})(); return JSON.stringify(names) === {:?}",
        Value::from(before.clone()).to_string()
    ));
    assert_eq!(wd.attribute(&toggle, "aria-pressed"), "false");

    // Settings: offline mode (so nothing below reaches the network) and an identity.
    wd.click(&wd.find("#nav-settings"));
    wd.wait_for_text("#data-dir", |t| t.contains("e2e-data"));
    // About: the version, the commit it was built from and the licence.
    wd.wait_for_text("#about-version", |t| {
        t == format!("Satchel {}", satchel::VERSION)
    });
    wd.wait_for_text("#about-commit", |t| {
        t == format!("commit {}", satchel::COMMIT)
    });
    wd.wait_for_text("#about-license", |t| t == "Apache License 2.0");
    wd.click(&wd.find("#net-offline"));
    wd.wait_for_script("return document.querySelector('#net-offline').checked");
    let id_input = wd.find("#identity-input");
    wd.click(&id_input);
    wd.send_keys(&id_input, "ada@example.org\u{E007}");
    wd.wait_for_text("#identity-list", |t| t.contains("ada@example.org"));
    wd.screenshot(&shots.join("07-settings.png"));
    let saved = std::fs::read_to_string(data.join("settings.json")).unwrap();
    assert!(saved.contains("\"offline\": true"), "{saved}");

    // Import by pasting JSON: stored, and "could not check" offline.
    wd.click(&wd.find("#nav-import"));
    set_value(&wd, "#import-paste", ASSERTION);
    wd.click(&wd.find("#import-submit"));
    wd.wait_for_text("#import-counts", |t| t.contains("1 added"));
    let results = wd.text(&wd.find("#import-results"));
    assert!(results.contains("Analytical Engines"), "{results}");
    assert!(results.contains("Could not check"), "{results}");

    // Changing identities matches every badge's recipient again at once: the
    // pasted badge is ada@example.org's, then nobody's, then hers again (the
    // detail below shows it).
    wd.click(&wd.find("#nav-settings"));
    // Clicked in the page: the list is drawn again once Settings has loaded.
    wd.wait_for_script(
        "const b = document.querySelector(\"#identity-list button[aria-label='Remove ada@example.org']\"); if (b) b.click(); return !!b;",
    );
    wd.wait_for_text("#identity-matched", |t| {
        t == "0 badges in your backpack are yours."
    });
    let id_input = wd.find("#identity-input");
    wd.click(&id_input);
    wd.send_keys(&id_input, "ada@example.org\u{E007}");
    wd.wait_for_text("#identity-matched", |t| {
        t == "1 badge in your backpack is yours."
    });
    wd.click(&wd.find("#nav-import"));

    // Import hostile files by path: a truncated PNG and a text file.
    let sample_png = satchel::samples::samples()
        .into_iter()
        .find(|s| s.file_name.ends_with(".png"))
        .unwrap();
    let truncated = &sample_png.bytes[..sample_png.bytes.len() / 2];
    let broken = files.join("broken-download.png");
    std::fs::write(&broken, truncated).unwrap();
    let notes = files.join("notes.txt");
    std::fs::write(&notes, "this is just some text, not a badge").unwrap();
    set_value(
        &wd,
        "#import-paste",
        &format!("{}\n{}", broken.display(), notes.display()),
    );
    wd.click(&wd.find("#import-submit"));
    // A damaged file may be a badge: it "could not be added"; the text
    // file is not a badge at all.
    wd.wait_for_text("#import-counts", |t| {
        t == "1 not a badge · 1 could not be added"
    });
    let results = wd.text(&wd.find("#import-results"));
    eprintln!("e2e: hostile import results: {results}");
    let broken_row = wd.text(&wd.find("#import-results li:nth-child(1)"));
    assert!(broken_row.contains("broken-download.png"), "{broken_row}");
    assert!(
        broken_row.contains("Download it again"),
        "the advice says what to do: {broken_row}"
    );
    let notes_row = wd.text(&wd.find("#import-results li:nth-child(2)"));
    assert!(notes_row.contains("notes.txt"), "{notes_row}");
    assert!(
        notes_row.contains("Satchel reads baked PNG and SVG"),
        "{notes_row}"
    );
    wd.screenshot(&shots.join("03-import-results.png"));

    // Search finds the pasted badge only.
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '5'");
    let search = wd.find("#search");
    wd.click(&search);
    wd.send_keys(&search, "analytical");
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 1");
    let tile = wd
        .execute(
            "return document.querySelector('#grid .tile[data-id]').textContent",
            json!([]),
        )
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        tile.contains("Analytical Engines") && tile.contains("Could not check"),
        "{tile}"
    );
    // It is ada@example.org's, and the grid marks it as the user's.
    assert_eq!(
        wd.execute(
            "return document.querySelector('#grid .tile[data-id]').dataset.yours || null",
            json!([])
        ),
        json!("true")
    );
    wd.screenshot(&shots.join("04-search.png"));
    // Its recipient is the identity added in Settings: the detail says so.
    wd.click(&wd.find("#grid .tile[data-id]"));
    wd.wait_for_text("#detail-name", |t| t == "Analytical Engines");
    let notice = wd.wait_for_text("#recipient-notice", |t| t.contains("Awarded to you"));
    assert!(
        notice.contains("Awarded to you (ada@example.org)."),
        "{notice}"
    );
    wd.screenshot(&shots.join("05-detail-recipient.png"));
    wd.click(&wd.find("#detail-back"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 1");

    // Open a sample from the keyboard and read its status.
    wd.clear(&search);
    wd.send_keys(&search, "trail\u{E007}");
    wd.wait_for_script(
        "const t = document.querySelectorAll('#grid .tile[data-id]'); return t.length === 1 && t[0].innerText.includes('Trail')",
    );
    wd.send_keys(&search, "\u{E015}"); // ArrowDown: into the grid
    wd.wait_for_script(
        "return document.activeElement && document.activeElement.classList.contains('tile')",
    );
    wd.send_keys(&wd.find("#grid .tile[data-id]"), "\u{E007}"); // Enter opens it
    let name = wd.wait_for_text("#detail-name", |t| t == "Sample: Trail Explorer");
    assert_eq!(name, "Sample: Trail Explorer");
    assert_eq!(wd.title(), "Sample: Trail Explorer — Satchel");
    assert_eq!(wd.text(&wd.find("#detail-status")), "Verified");
    // How the issuer is identified: the samples' demo issuer is a did:key.
    assert_eq!(
        wd.text(&wd.find("#detail-issuer-identity")),
        "The issuer is identified only by a key (did:key), not by a web address."
    );
    let checks = wd.text(&wd.find("#checks"));
    assert!(!checks.is_empty(), "the report lists its checks");
    assert!(count(&wd, "#checks .check[data-result='fail']") == 0);
    assert!(
        count(&wd, "#history li") >= 1,
        "the history has the import check"
    );
    wd.screenshot(&shots.join("05-detail.png"));
    // A tag, added from the keyboard.
    let tag = wd.find("#tag-input");
    wd.click(&tag);
    wd.send_keys(&tag, "hiking\u{E007}");
    wd.wait_for_text("#detail-tags", |t| t.contains("hiking"));
    wd.screenshot(&shots.join("05-detail-tags.png"));
    // Verify again adds to the history.
    let before = count(&wd, "#history li");
    wd.click(&wd.find("#verify-again"));
    wd.wait_for_script(&format!(
        "return document.querySelectorAll('#history li').length > {before}"
    ));
    let again = wd.text(&wd.find("#detail-status"));
    assert_eq!(again, "Verified", "{}", wd.text(&wd.find("#checks")));
    wd.click(&wd.find("#detail-back"));

    // Collections: create one and add the badge.
    wd.click(&wd.find("#nav-collections"));
    let cname = wd.find("#collection-name-input");
    wd.click(&cname);
    wd.send_keys(&cname, "Job application\u{E007}");
    wd.wait_for_text("#collection-title", |t| t == "Job application");
    wd.wait_for_text("#collection-picker", |t| {
        t.contains("Sample: Trail Explorer")
    });
    let add = wd.find(
        "#collection-picker button[aria-label='Add Sample: Trail Explorer to Job application']",
    );
    wd.click(&add);
    wd.wait_for_text("#collection-badges", |t| {
        t.contains("Sample: Trail Explorer")
    });
    let add2 = wd
        .find("#collection-picker button[aria-label='Add Analytical Engines to Job application']");
    wd.click(&add2);
    wd.wait_for_script(
        "return document.querySelectorAll('#collection-badges .member').length === 2",
    );
    // Reorder from the keyboard: Alt+Up on the second moves it first.
    let handle = wd.find("#collection-badges .member:nth-child(2) .member__handle");
    wd.send_keys(&handle, "\u{E00A}\u{E013}\u{E000}");
    wd.wait_for_script(
        "const m = document.querySelector('#collection-badges .member'); return m && m.innerText.includes('Analytical')",
    );
    // Drag and drop: a badge from "Add badges" onto the drop area at the
    // end. WebDriver cannot perform a native drag in WebKitGTK, so the
    // page's own drag events are dispatched (the app's handlers run as for a
    // real drag). The picker redraws after the keyboard add above: wait for
    // its row first.
    wd.wait_for_script(
        "return [...document.querySelectorAll('#collection-picker .picker__row')].some(r => r.textContent.includes('Community Helper')) && !!document.querySelector('#collection-badges .members__drop')",
    );
    wd.execute(
        "const row = [...document.querySelectorAll('#collection-picker .picker__row')].find(r => r.textContent.includes('Community Helper'));
         const target = document.querySelector('#collection-badges .members__drop');
         const dt = new DataTransfer();
         row.dispatchEvent(new DragEvent('dragstart', { bubbles: true, dataTransfer: dt }));
         target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
         target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));",
        json!([]),
    );
    wd.wait_for_script(
        "const m = document.querySelectorAll('#collection-badges .member'); return m.length === 3 && m[2].textContent.includes('Community Helper')",
    );
    let list = wd.text(&wd.find("#collection-list"));
    assert!(
        list.contains("Job application") && list.contains('3'),
        "{list}"
    );
    wd.screenshot(&shots.join("06-collections.png"));

    // Share: the Share button picks a folder with the native dialog, which
    // WebDriver cannot drive; the same command is called here with the
    // folder given, and the share pages are checked on disk.
    let share_to = temp_dir("e2e-share");
    let done = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         const id = Number(document.querySelector('#collection-list [aria-current=true]').dataset.id);
         window.__TAURI__.core.invoke('export_collection', { id, into: arguments[0], open: false })
           .then(done, (e) => done({ error: e }));",
        json!([share_to.display().to_string()]),
    );
    assert!(done["error"].is_null(), "export failed: {done}");
    let out = PathBuf::from(done["out_dir"].as_str().unwrap());
    assert_eq!(out, share_to.join("job-application"));
    assert_eq!(
        done["pages"].as_u64(),
        Some(4),
        "index and three badge pages: {done}"
    );
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("Job application") && index.contains("Sample: Trail Explorer"));
    // The pasted badge names its recipient's email in plain text: the export says so.
    let warnings = done["warnings"].to_string();
    assert!(warnings.contains("in plain text"), "{warnings}");

    // The backpack filters by the collection.
    wd.click(&wd.find("#nav-backpack"));
    wd.clear(&wd.find("#search"));
    wd.send_keys(&wd.find("#search"), "\u{E007}");
    wd.wait_for_script("return document.querySelector('#filter-collection').options.length === 2");
    wd.execute(
        "const s = document.querySelector('#filter-collection'); s.selectedIndex = 1; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 3");

    // Verify all: every badge checked again, offline; nothing changed.
    wd.click(&wd.find("#verify-all"));
    let toast = wd.wait_for_text("#toast", |t| t.contains("again"));
    assert_eq!(toast, "Checked 5 badges again; nothing changed.");

    // Backup (the button asks for a file with the native dialog; the command
    // is called here with the file given).
    let backup = files.join("satchel-backup.sqlite3");
    let done = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('backup', { path: arguments[0] }).then(done, (e) => done({ error: e }));",
        json!([backup.display().to_string()]),
    );
    assert_eq!(done["badges"].as_u64(), Some(5), "{done}");
    assert!(backup.is_file());

    // A large import shows progress and stops on Cancel; what was stored stays.
    let many = temp_dir("e2e-many");
    for i in 0..4000 {
        let json = ASSERTION.replace("assertions/1042", &format!("assertions/bulk-{i}"));
        std::fs::write(many.join(format!("badge-{i:04}.json")), json).unwrap();
    }
    wd.click(&wd.find("#nav-import"));
    set_value(&wd, "#import-paste", &many.display().to_string());
    wd.click(&wd.find("#import-submit"));
    wd.wait_for_script(
        "return !document.querySelector('#job-bar').hidden && /^[1-9][0-9]* of 4000$/.test(document.querySelector('#job-count').textContent)",
    );
    wd.screenshot(&shots.join("09-import-progress.png"));
    wd.click(&wd.find("#job-cancel"));
    let counts = wd.wait_for_text("#import-counts", |t| t.contains("cancelled after"));
    eprintln!("e2e: cancelled import: {counts}");
    assert!(!wd.is_visible("#job-bar"), "the progress bar goes away");
    let added: u64 = counts.split(' ').next().unwrap().parse().unwrap();
    assert!(added > 0 && added < 4000, "{counts}");
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script(&format!(
        "return document.body.dataset.badgeCount === '{}'",
        5 + added
    ));
    // Delete a badge (after confirming) and it leaves the backpack.
    wd.execute(
        "const s = document.querySelector('#filter-collection'); s.selectedIndex = 0; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let search = wd.find("#search");
    wd.clear(&search);
    wd.send_keys(&search, "night sky\u{E007}");
    wd.wait_for_script(
        "const t = document.querySelectorAll('#grid .tile[data-id]'); return t.length === 1 && t[0].textContent.includes('Night Sky')",
    );
    wd.click(&wd.find("#grid .tile[data-id]"));
    wd.wait_for_text("#detail-name", |t| t == "Sample: Night Sky Observer");
    wd.click(&wd.find("#delete-badge"));
    let question = wd.wait_for_text("dialog.confirm", |t| t.contains("Delete"));
    assert!(
        question.contains("Sample: Night Sky Observer"),
        "{question}"
    );
    wd.screenshot(&shots.join("12-confirm-delete.png"));
    wd.click(&wd.find("#confirm-ok"));
    wd.wait_for_script(&format!(
        "return document.body.dataset.screen === 'backpack' && document.body.dataset.badgeCount === '{}'",
        4 + added
    ));
}

#[test]
fn a_backpack_that_cannot_be_opened_shows_an_error_screen() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-garbage");
    let db = data.join("satchel.sqlite3");
    // Garbage bytes where the database should be (not even an SQLite header).
    let garbage: Vec<u8> = (0..64 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&db, &garbage).unwrap();
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");

    // The window opens on the error screen, not the app.
    assert_eq!(
        wd.execute("return document.body.dataset.screen", json!([])),
        json!("startup-error")
    );
    assert!(wd.is_visible("#startup-error"));
    assert!(!wd.is_visible(".app"), "the app's screens are not shown");
    assert_eq!(wd.title(), "Satchel could not open your backpack");
    let heading = wd.text(&wd.find("#startup-title"));
    assert_eq!(heading, "Satchel could not open your backpack");
    // The one-sentence error names the file.
    let message = wd.text(&wd.find("#startup-message"));
    assert_eq!(
        message,
        format!(
            "Could not open the database {} (the file is not a Satchel database).",
            db.display()
        )
    );
    // What to do, and where.
    let steps = wd.text(&wd.find("#startup-steps"));
    assert!(
        steps.contains("Open data folder")
            && steps.contains("move satchel.sqlite3 out of it")
            && steps.contains("Try again")
            && steps.contains("--data-dir"),
        "{steps}"
    );
    assert_eq!(
        wd.text(&wd.find("#startup-dir")),
        data.display().to_string()
    );
    assert_eq!(wd.text(&wd.find("#startup-db")), db.display().to_string());
    for button in ["#startup-open", "#startup-retry", "#startup-quit"] {
        assert!(wd.is_visible(button), "{button}");
    }
    assert_eq!(wd.text(&wd.find("#startup-quit")), "Quit Satchel");
    assert_eq!(
        wd.execute("return document.activeElement.id", json!([])),
        json!("startup-retry"),
        "focus starts on Try again"
    );
    wd.screenshot(&shots().join("13-startup-error.png"));

    // Every other command refuses politely.
    for (command, args) in [
        (
            "list_badges",
            json!({ "query": { "sort": "imported", "limit": 10 } }),
        ),
        ("app_info", json!({})),
        ("import", json!({ "request": { "samples": true } })),
    ] {
        let answer = wd.execute_async(
            "const done = arguments[arguments.length - 1];
             window.__TAURI__.core.invoke(arguments[0], arguments[1]).then((v) => done({ value: v }), (e) => done({ error: e }));",
            json!([command, args]),
        );
        assert_eq!(
            answer["error"]["code"],
            json!("unavailable"),
            "{command}: {answer}"
        );
        assert_eq!(
            answer["error"]["message"],
            json!("Satchel could not open your backpack, so this cannot be done now"),
            "{command}: {answer}"
        );
    }
    // Try again while the file is still there: the same error.
    wd.click(&wd.find("#startup-retry"));
    wd.wait_for_text("#startup-status", |t| t == "It still cannot be opened.");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        garbage,
        "the file is untouched"
    );

    // The user moves the file aside; Try again opens an empty backpack.
    std::fs::rename(&db, data.join("satchel.sqlite3.broken")).unwrap();
    wd.click(&wd.find("#startup-retry"));
    wd.wait_for_script(
        "return document.body.dataset.screen === 'backpack' && document.body.dataset.badgeCount === '0'",
    );
    assert!(!wd.is_visible("#startup-error"));
    assert!(wd.is_visible("#first-run"), "the first-run state is shown");
    assert_eq!(wd.title(), "Satchel");
    wd.click(&wd.find("#try-samples"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '4'");
    drop((_x, _d, wd));

    // A backpack from a newer Satchel: its schema version (SQLite's
    // user_version, big-endian at byte 60 of the header) is beyond this one's.
    let newer = temp_dir("e2e-newer");
    drop(satchel::store::Store::open_default(&newer).unwrap());
    let db = newer.join("satchel.sqlite3");
    assert!(
        !newer.join("satchel.sqlite3-wal").exists(),
        "checkpointed on close"
    );
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&db, &bytes).unwrap();
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), newer.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    let message = wd.text(&wd.find("#startup-message"));
    let expected = format!(
        "{}: this database was written by a newer Satchel (schema 999; this Satchel knows up to",
        db.display()
    );
    assert!(message.starts_with(&expected), "{message}");
    let steps = wd.text(&wd.find("#startup-steps"));
    assert!(
        steps.contains("Install the newer version of Satchel"),
        "{steps}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the file is untouched");
}

#[test]
fn dark_theme_follows_the_system() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-dark");
    let (_x, _d, wd) = launch_with(
        &["--data-dir".to_owned(), data.display().to_string()],
        &[("GTK_THEME", "Adwaita:dark")],
    );
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    assert_eq!(
        wd.execute(
            "return matchMedia('(prefers-color-scheme: dark)').matches",
            json!([])
        ),
        json!(true),
        "a dark GTK theme makes the window dark"
    );
    wd.click(&wd.find("#try-samples"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '4'");
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script(
        "return [...document.querySelectorAll('#grid .tile__image')].filter(i => i.complete && i.naturalWidth > 0).length === 4",
    );
    let bg = wd.execute(
        "return getComputedStyle(document.body).backgroundColor",
        json!([]),
    );
    assert_eq!(bg, json!("rgb(21, 23, 28)"), "the dark background");
    wd.screenshot(&shots().join("10-backpack-dark.png"));
    wd.click(&wd.find("#grid .tile[data-id]"));
    wd.wait_for_text("#detail-status", |t| t == "Verified");
    wd.screenshot(&shots().join("11-detail-dark.png"));
}

#[test]
fn restore_a_backup_into_an_empty_backpack() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let old = temp_dir("e2e-old");
    seed(&old, 3);
    let backup = old.join("backup.sqlite3");
    satchel::store::Store::open_default(&old)
        .unwrap()
        .backup_to(&backup)
        .unwrap();
    let data = temp_dir("e2e-restore");
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    assert!(wd.is_visible("#first-run"));
    // The Restore button asks for the file with the native dialog; the
    // command is called here with the file given.
    let restored = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('restore', { path: arguments[0] }).then(done, (e) => done({ error: e }));",
        json!([backup.display().to_string()]),
    );
    assert_eq!(restored["badges"], json!(3), "{restored}");
    wd.click(&wd.find("#nav-settings"));
    wd.wait_for_text("#data-count", |t| t == "3");
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 3");
    // A second restore is refused: the backpack is no longer empty.
    let again = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('restore', { path: arguments[0] }).then(done, (e) => done({ error: e }));",
        json!([backup.display().to_string()]),
    );
    assert_eq!(again["error"]["code"], json!("invalid"), "{again}");
}

#[test]
fn badges_not_checked_recently_are_checked_again_at_launch() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-stale");
    // A sample badge imported and checked in mid-2024, before it became
    // valid (its validFrom is 2025-01-01): stored as invalid, and stale.
    {
        use satchel::backpack::{import, ImportInput, ImportOptions};
        let store = std::sync::Mutex::new(satchel::store::Store::open_default(&data).unwrap());
        let fetch = satchel::fetch::CachingFetch::offline(&store);
        let sample = satchel::samples::samples()
            .into_iter()
            .find(|s| s.file_name.ends_with(".png"))
            .unwrap();
        let report = import(
            &store,
            &fetch,
            &[ImportInput::Bytes {
                name: sample.file_name.clone(),
                bytes: sample.bytes.clone(),
            }],
            &ImportOptions {
                now: Some(1_717_200_000), // 2024-06-01
                offline: true,
                ..ImportOptions::default()
            },
            &|_| {},
            &std::sync::atomic::AtomicBool::new(false),
        );
        assert_eq!(
            report.items[0].status,
            Some(satchel::verify::Verdict::Invalid),
            "{report:?}"
        );
    }
    std::fs::write(
        data.join("desktop-settings.json"),
        r#"{"offline": true, "allow_private": false, "recheck_days": 7}"#,
    )
    .unwrap();
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    // Checked again on its own; the dialog says what changed.
    let listed = wd.wait_for_text("#changes-list", |t| t.contains("verifies now"));
    assert!(listed.contains("Invalid → Verified"), "{listed}");
    let title = wd.text(&wd.find("#changes-title"));
    assert!(
        title.contains("Checked again at launch: 1 badge changed"),
        "{title}"
    );
    wd.screenshot(&shots().join("14-changes-at-launch.png"));
    // Its name opens the badge, which now has two checks in its history.
    wd.click(&wd.find("#changes-list .changes__name"));
    wd.wait_for_text("#detail-status", |t| t == "Verified");
    assert_eq!(count(&wd, "#history li"), 2);
    // The setting is shown as saved, and "Never" turns it off.
    wd.click(&wd.find("#nav-settings"));
    wd.wait_for_script("return document.querySelector('#net-recheck').value === '7'");
    wd.execute(
        "const s = document.querySelector('#net-recheck'); s.value = '0'; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // Saved under the new name (the old file was read at launch).
        let saved = std::fs::read_to_string(data.join("settings.json")).unwrap_or_default();
        if saved.contains("\"recheck_days\": 0") {
            break;
        }
        assert!(Instant::now() < deadline, "{saved}");
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn backpack_with_10000_badges_stays_bounded() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-10k");
    let seeded = Instant::now();
    seed(&data, 10_000);
    eprintln!(
        "bench: seeded 10,000 badges in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true' && document.querySelectorAll('#grid .tile[data-id]').length > 0");
    let to_ready = started.elapsed();
    let in_page = wd
        .execute("return window.__satchelReadyAt", json!([]))
        .as_f64()
        .unwrap_or(f64::NAN);
    eprintln!(
        "bench: launch to interactive {:.0} ms (session start to first tiles; page load to ready {in_page:.0} ms)",
        to_ready.as_secs_f64() * 1000.0
    );
    assert_eq!(wd.text(&wd.find("#result-count")), "10000 badges");

    wd.post("/timeouts", json!({ "script": 300_000 }));
    // Scroll the whole grid in steps, as a user dragging the scrollbar would,
    // waiting for each frame; count the grid's nodes at every step.
    let scroll = |label: &str, rows_per_step: Option<u32>| -> Value {
        let result = wd.execute_async(
            r#"const done = arguments[arguments.length - 1];
            const rowsPerStep = arguments[0];
            const s = document.querySelector('#grid-scroll');
            const grid = document.querySelector('#grid');
            const timings = window.__satchelGridTimings;
            timings.length = 0;
            const waits = [];
            let maxNodes = 0, maxTiles = 0, step = 0, t = 0;
            const steps = 100;
            const t0 = performance.now();
            s.scrollTop = 0;
            // After the app's own scroll handler: force style and layout, then
            // note how long the step took from setting scrollTop.
            const onScroll = () => {
              void grid.getBoundingClientRect();
              waits.push(performance.now() - t);
              maxNodes = Math.max(maxNodes, grid.getElementsByTagName('*').length);
              maxTiles = Math.max(maxTiles, grid.children.length);
              setTimeout(next, 16);
            };
            s.addEventListener('scroll', onScroll);
            const pct = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
            function next() {
              if (++step > steps) {
                s.removeEventListener('scroll', onScroll);
                return setTimeout(() => done({
                  ms: Math.round(performance.now() - t0), steps: waits.length,
                  render_median: pct(timings, 0.5), render_p95: pct(timings, 0.95), render_max: pct(timings, 1),
                  step_median: pct(waits, 0.5), step_p95: pct(waits, 0.95),
                  maxNodes, maxTiles, loaded: grid.querySelectorAll('.tile[data-id]').length,
                  last: grid.lastElementChild && grid.lastElementChild.getAttribute('aria-posinset') }), 1500);
              }
              t = performance.now();
              if (rowsPerStep) s.scrollTop += rowsPerStep * 268;
              else s.scrollTop = (s.scrollHeight - s.clientHeight) * step / steps;
            }
            next();"#,
            json!([rows_per_step]),
        );
        eprintln!("bench: {label}: {result}");
        result
    };
    let wheel = scroll("scroll 100 steps of one row (wheel)", Some(1));
    let result = scroll(
        "scroll 10,000 badges top to bottom in 100 jumps (scrollbar drag)",
        None,
    );

    for r in [&wheel, &result] {
        assert!(r["maxTiles"].as_u64().unwrap() <= 120, "bounded tiles: {r}");
    }
    let max_tiles = result["maxTiles"].as_u64().unwrap();
    let max_nodes = result["maxNodes"].as_u64().unwrap();
    assert!(
        max_tiles <= 120,
        "the grid holds at most ~visible tiles: {max_tiles}"
    );
    assert!(
        max_nodes <= 1200,
        "the grid's DOM stays bounded: {max_nodes}"
    );
    assert!(result["loaded"].as_u64().unwrap() > 0, "the last rows load");
    // The last tile is in the DOM at the bottom.
    wd.wait_for_script(
        "return !!document.querySelector('#grid .tile[aria-posinset=\"10000\"][data-id]')",
    );
    wd.screenshot(&shots().join("08-backpack-10000.png"));
}

// Screens in detail: late answers, layout, collections.
#[path = "e2e/open_with.rs"]
mod open_with;
#[path = "e2e/screens.rs"]
mod screens;

// issuer: set-up (Issue mode's shell, set-up, classes, designer, keys, email settings)
#[path = "e2e/issue_setup.rs"]
mod issue_setup;

// issuer: awards
#[path = "e2e/issue_awards.rs"]
mod issue_awards;

// The seeding helper, shared with `bench/launch.sh` (run as an example there).
#[path = "../examples/seed_backpack.rs"]
mod seed_backpack;
use seed_backpack::seed;

// ------------------------------------------------------------------ processes

/// A child process that is stopped when the guard drops, also when a test
/// fails. SIGTERM first: SIGKILL on tauri-driver orphans WebKitWebDriver.
struct KillOnDrop {
    name: &'static str,
    child: Child,
}

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        eprintln!("e2e: {} did not stop on SIGTERM; killing it", self.name);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_file(dir: &Path, name: &str) -> (Stdio, Stdio) {
    let f = File::create(dir.join(name)).expect("create log file");
    (
        Stdio::from(f.try_clone().expect("clone log file")),
        Stdio::from(f),
    )
}

fn start_xvfb(logs: &Path) -> (KillOnDrop, String) {
    for n in 90..190u32 {
        if Path::new(&format!("/tmp/.X{n}-lock")).exists()
            || Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
        {
            continue;
        }
        let display = format!(":{n}");
        let (out, err) = log_file(logs, "e2e-xvfb.log");
        let child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1280x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start Xvfb (apt-get install xvfb)");
        let mut guard = KillOnDrop {
            name: "Xvfb",
            child,
        };
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if socket.exists() {
                return (guard, display);
            }
            if let Ok(Some(_)) = guard.child.try_wait() {
                break; // display taken in the meantime: try the next one
            }
            sleep(Duration::from_millis(50));
        }
    }
    panic!("could not start Xvfb on any display from :90 to :189");
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum DriverMode {
    TauriDriver,
    WebKit,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

fn start_driver(display: &str, logs: &Path, env: &[(&str, &str)]) -> (KillOnDrop, u16, DriverMode) {
    let tauri_driver = find_on_path("tauri-driver");
    let mode = match std::env::var("E2E_DRIVER").as_deref() {
        Ok("webkit") => DriverMode::WebKit,
        Ok("tauri-driver") => DriverMode::TauriDriver,
        _ if tauri_driver.is_some() => DriverMode::TauriDriver,
        _ => DriverMode::WebKit,
    };
    let port = free_port();
    let (out, err) = log_file(logs, "e2e-driver.log");
    let mut cmd = match mode {
        DriverMode::TauriDriver => {
            let mut c = Command::new(
                tauri_driver.expect("E2E_DRIVER=tauri-driver, but tauri-driver is not installed"),
            );
            c.args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ]);
            c
        }
        DriverMode::WebKit => {
            let mut c = Command::new("WebKitWebDriver");
            // Without this variable Tauri refuses automation and POST /session hangs.
            c.env("TAURI_WEBVIEW_AUTOMATION", "true");
            c.args([format!("--port={port}"), "--host=127.0.0.1".to_owned()]);
            c
        }
    };
    let child = cmd
        .envs(env.iter().copied())
        .env("DISPLAY", display)
        .env_remove("WAYLAND_DISPLAY")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("start the WebDriver server (apt-get install webkit2gtk-driver)");
    let mut guard = KillOnDrop {
        name: "WebDriver server",
        child,
    };
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        let ready = http
            .get(format!("http://127.0.0.1:{port}/status"))
            .send()
            .and_then(|r| r.json::<Value>())
            .map(|v| v["value"]["ready"].as_bool() != Some(false))
            .unwrap_or(false);
        if ready {
            return (guard, port, mode);
        }
        if let Ok(Some(status)) = guard.child.try_wait() {
            panic!(
                "the WebDriver server exited early ({status}); see {}",
                logs.join("e2e-driver.log").display()
            );
        }
        sleep(Duration::from_millis(100));
    }
    panic!("the WebDriver server did not come up on port {port}");
}

// ------------------------------------------------------------------ client

/// A minimal W3C WebDriver client. The session is deleted (closing the app)
/// when it drops.
struct WebDriver {
    http: reqwest::blocking::Client,
    base: String,
}

fn element_ref(id: &str) -> Value {
    json!({ ELEMENT_KEY: id })
}

impl WebDriver {
    fn start(port: u16, mode: DriverMode, args: &[String]) -> WebDriver {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()
            .unwrap();
        let app = app();
        let caps = match mode {
            DriverMode::TauriDriver => {
                json!({ "tauri:options": { "application": app, "args": args } })
            }
            DriverMode::WebKit => {
                json!({ "webkitgtk:browserOptions": { "binary": app, "args": args } })
            }
        };
        let root = format!("http://127.0.0.1:{port}");
        let resp: Value = http
            .post(format!("{root}/session"))
            .json(&json!({ "capabilities": { "alwaysMatch": caps } }))
            .send()
            .and_then(|r| r.json())
            .expect("POST /session");
        let id = resp["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {resp}"))
            .to_owned();
        WebDriver {
            http,
            base: format!("{root}/session/{id}"),
        }
    }

    fn request(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{}", self.base, path);
        let mut req = self.http.request(method.clone(), &url);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp: Value = req
            .send()
            .and_then(|r| r.json())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        if let Some(error) = resp["value"]["error"].as_str() {
            panic!("{method} {path}: {error}: {}", resp["value"]["message"]);
        }
        resp["value"].clone()
    }

    fn get(&self, path: &str) -> Value {
        self.request(reqwest::Method::GET, path, None)
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.request(reqwest::Method::POST, path, Some(body))
    }

    fn title(&self) -> String {
        self.get("/title").as_str().unwrap_or_default().to_owned()
    }

    fn find(&self, css: &str) -> String {
        let v = self.post("/element", json!({ "using": "css selector", "value": css }));
        v[ELEMENT_KEY]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_owned()
    }

    fn text(&self, element: &str) -> String {
        self.get(&format!("/element/{element}/text"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn attribute(&self, element: &str, name: &str) -> String {
        self.get(&format!("/element/{element}/attribute/{name}"))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    fn click(&self, element: &str) {
        self.post(&format!("/element/{element}/click"), json!({}));
    }

    fn clear(&self, element: &str) {
        self.post(&format!("/element/{element}/clear"), json!({}));
    }

    fn send_keys(&self, element: &str, text: &str) {
        self.post(
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    fn execute(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
    }

    fn execute_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": args }))
    }

    fn is_visible(&self, css: &str) -> bool {
        let script = "const e = document.querySelector(arguments[0]); \
                      return !!e && !e.hidden && e.getClientRects().length > 0;";
        self.execute(script, json!([css]))
            .as_bool()
            .unwrap_or(false)
    }

    fn wait_for_script(&self, script: &str) {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if self.execute(script, json!([])).as_bool() == Some(true) {
                return;
            }
            sleep(Duration::from_millis(100));
        }
        panic!("timed out waiting for: {script}");
    }

    /// Waits until the element exists and its text satisfies `ok`; returns the text.
    fn wait_for_text(&self, css: &str, ok: impl Fn(&str) -> bool) -> String {
        let script =
            "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;";
        let deadline = Instant::now() + WAIT;
        let mut last = Value::Null;
        while Instant::now() < deadline {
            last = self.execute(script, json!([css]));
            if let Some(text) = last.as_str() {
                if ok(text.trim()) {
                    return text.trim().to_owned();
                }
            }
            sleep(Duration::from_millis(100));
        }
        let toast = self.execute(
            "const t = document.querySelector('#toast'); return t ? t.innerText : null",
            json!([]),
        );
        panic!("timed out waiting for {css}; last text {last}; toast says {toast}");
    }

    fn screenshot(&self, path: &Path) {
        use base64::Engine as _;
        // Let CSS images (the mask icons) finish loading and paint.
        self.wait_for_script("return document.readyState === 'complete'");
        sleep(Duration::from_millis(400));
        let b64 = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("screenshot is base64"))
            .expect("decode screenshot");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        eprintln!("e2e: screenshot {}", path.display());
    }
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self
            .http
            .delete(&self.base)
            .timeout(Duration::from_secs(10))
            .send();
    }
}
