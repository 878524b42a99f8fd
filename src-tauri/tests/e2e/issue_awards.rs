//! Issue mode's awards in the real webview: one award typed with the
//! keyboard only; a CSV file of 200 rows with bad rows (the table shows
//! them), fixed, reloaded and awarded with progress; a revocation; publish
//! (preview, then write) into a folder served on 127.0.0.1; the awarded
//! badges imported into Backpack mode of the same app, where they show
//! verified and the revoked one revoked. And 10,000 awards listed with the
//! list's DOM bounded while scrolling (dark theme, figures in BENCHMARKS.md).

use super::*;
use std::io::{BufRead, BufReader, Write};

/// Calls an app command as the page does; panics on an error answer.
fn call(wd: &WebDriver, command: &str, args: Value) -> Value {
    let answer = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke(arguments[0], arguments[1]).then((v) => done({ ok: v === undefined ? null : v }), (e) => done({ error: e }));",
        json!([command, args]),
    );
    assert!(answer.get("error").is_none(), "{command}: {answer}");
    answer["ok"].clone()
}

/// Serves the files of `dir` under `/badges/` on 127.0.0.1 (a thread that
/// lives as long as the test process); returns the base URL.
fn serve_folder(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Skip the headers.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("/");
            let rel = path
                .split('?')
                .next()
                .unwrap_or("")
                .strip_prefix("/badges/");
            let file = rel
                .filter(|r| !r.split('/').any(|s| s == ".." || s.is_empty()))
                .map(|r| dir.join(r))
                .filter(|f| f.is_file());
            let (status, body, kind) = match file {
                Some(f) => {
                    let kind = match f.extension().and_then(|e| e.to_str()) {
                        Some("json") => "application/json",
                        Some("png") => "image/png",
                        Some("svg") => "image/svg+xml",
                        _ => "text/html",
                    };
                    ("200 OK", std::fs::read(&f).unwrap(), kind)
                }
                None => ("404 Not Found", b"not here".to_vec(), "text/plain"),
            };
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://127.0.0.1:{port}/badges/")
}

const CLASS_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><circle cx="128" cy="128" r="120" fill="#2b59c3"/><circle cx="128" cy="128" r="80" fill="#f59e0b"/></svg>"##;

/// The CSV of 200 sailors; with `bad`, three lines are wrong (lines 43 and
/// 101: no usable identity; line 152: a date that is not one).
fn sailors_csv(bad: bool) -> String {
    let mut csv = String::from("identity,name,issue date,narrative\n");
    for i in 0..200 {
        let who = match i {
            41 if bad => "not an address".to_owned(),
            99 if bad => String::new(),
            _ => format!("sailor{i}@example.org"),
        };
        let date = if i == 150 && bad { "31/01/2026" } else { "" };
        csv.push_str(&format!(
            "{who},Sailor {i},{date},Crossed the harbour in fog.\n"
        ));
    }
    csv
}

/// Opens Issue mode's screen `name` by its tab.
fn issue_tab(wd: &WebDriver, name: &str) {
    wd.click(&wd.find(&format!("#issue-nav [data-issue-screen='{name}']")));
    wd.wait_for_script(&format!(
        "return !document.getElementById('issue-screen-{name}').hidden"
    ));
}

#[test]
fn issue_award_csv_revoke_publish_and_verify_in_the_backpack() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let shots = shots();
    let data = temp_dir("e2e-issue-data");
    let files = temp_dir("e2e-issue-files");
    let site = files.join("site");
    let base = serve_folder(site.clone());
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    wd.post("/timeouts", json!({ "script": 300_000 }));

    // The issuer hosts on the 127.0.0.1 server; the backpack may reach it.
    call(
        &wd,
        "set_network",
        json!({ "net": { "offline": false, "allow_private": true, "recheck_days": 0 } }),
    );
    let issuer = call(
        &wd,
        "create_issuer",
        json!({ "form": { "name": "Harbour Coding Club", "url": "https://club.example/",
                 "email": "badges@club.example", "base_url": base, "ob3_identity": "url" } }),
    );
    let issuer_id = issuer["id"].as_i64().unwrap();
    let image = files.join("class.svg");
    std::fs::write(&image, CLASS_SVG).unwrap();
    let class = |name: &str, format: &str| {
        call(
            &wd,
            "create_class",
            json!({ "issuer": issuer_id, "form": { "name": name, "description": "Plotted a course.",
                     "image": image.display().to_string(), "criteria": "Plot a course.",
                     "format": format, "suspendable": format == "ob3" } }),
        )["id"]
            .as_i64()
            .unwrap()
    };
    let hosted = class("Harbour Pilot", "ob2-hosted");
    let navigator = class("Harbour Navigator", "ob3");

    wd.click(&wd.find("#mode-issue"));
    issue_tab(&wd, "awards");
    wd.wait_for_text("#awards-empty", |t| t.contains("No badges awarded yet"));
    wd.screenshot(&shots.join("issue-awards-empty.png"));

    // One award with the keyboard only: from the search field, Tab to
    // "Award a badge" and Enter; type; Enter submits.
    wd.send_keys(&wd.find("#awards-search"), "\u{E004}\u{E007}");
    wd.wait_for_script(
        "return document.activeElement && document.activeElement.id === 'award-recipient'",
    );
    // The first class (OB 2.0 hosted) is chosen.
    assert_eq!(
        wd.execute(
            "return Number(document.getElementById('award-class').value)",
            json!([])
        ),
        json!(hosted)
    );
    let recipient = wd.find("#award-recipient");
    wd.send_keys(&recipient, "Ada.Lovelace@example.org");
    assert!(wd
        .text(&wd.find("#award-recipient-help"))
        .contains("Email address"));
    wd.send_keys(&wd.find("#award-name"), "Ada Lovelace\u{E007}");
    let title = wd.wait_for_text("#award-result-title", |t| t.starts_with("Awarded"));
    assert!(title.contains("ada.lovelace@example.org"), "{title}");
    wd.screenshot(&shots.join("issue-award-one.png"));

    // A CSV with three bad lines: the table shows each with its reason, and
    // nothing can be awarded.
    let csv = files.join("sailors.csv");
    std::fs::write(&csv, sailors_csv(true)).unwrap();
    wd.click(&wd.find("#award-mode-csv"));
    wd.execute(
        "const s = document.getElementById('award-class'); s.value = String(arguments[0]); s.dispatchEvent(new Event('change'));",
        json!([navigator]),
    );
    // The file dropped on the window (as Tauri hands a drop to the page).
    wd.execute(
        "window.__TAURI__.event.emit('tauri://drag-drop', { paths: [arguments[0]], position: { x: 10, y: 10 } })",
        json!([csv.display().to_string()]),
    );
    wd.wait_for_script("return document.querySelectorAll('#award-csv-table tbody tr').length >= 200 || !document.getElementById('toast').hidden");
    assert!(!wd.is_visible("#toast"), "{}", wd.text(&wd.find("#toast")));
    let bad_lines = wd.execute(
        "return [...document.querySelectorAll('#award-csv-table tr[data-bad]')].map((r) => Number(r.dataset.line))",
        json!([]),
    );
    assert_eq!(
        bad_lines,
        json!([43, 101, 152]),
        "lines 43, 101 and 152 of the file"
    );
    let bad_text = wd.text(&wd.find("#award-csv-table tr[data-line='43']"));
    assert!(bad_text.contains("identity"), "{bad_text}");
    let bad_date = wd.text(&wd.find("#award-csv-table tr[data-line='152']"));
    assert!(
        bad_date.contains("issue date") && bad_date.contains("not a date"),
        "{bad_date}"
    );
    assert!(wd.is_visible("#award-csv-bad"));
    assert_eq!(
        count(&wd, "#award-csv-go"),
        0,
        "nothing to award while lines are bad"
    );
    wd.screenshot(&shots.join("issue-award-csv-bad.png"));

    // Fixed and reloaded: 200 to award; awarded with progress.
    std::fs::write(&csv, sailors_csv(false)).unwrap();
    wd.click(&wd.find("#award-csv-reload"));
    wd.wait_for_text("#award-csv-ok", |t| t.contains("200 badges to award"));
    assert_eq!(count(&wd, "#award-csv-table tr[data-bad]"), 0);
    wd.execute(
        "window.__progress = []; window.__TAURI__.event.listen('job-progress', (e) => window.__progress.push(e.payload));",
        json!([]),
    );
    // How late a 50 ms timer runs while awarding: the window's answer time.
    wd.execute(
        "window.__lag = { max: 0, n: 0 }; let last = performance.now();
         window.__lagTimer = setInterval(() => { const now = performance.now();
           window.__lag.max = Math.max(window.__lag.max, now - last - 50); window.__lag.n++; last = now; }, 50);",
        json!([]),
    );
    let awarding = Instant::now();
    wd.click(&wd.find("#award-csv-go"));
    wd.wait_for_script("return document.getElementById('job-bar').hidden === false");
    wd.screenshot(&shots.join("issue-award-csv-progress.png"));
    // Signing and checking 200 badges in a debug build takes a while.
    let deadline = Instant::now() + Duration::from_secs(900);
    while wd.execute(
        "return document.getElementById('job-bar').hidden",
        json!([]),
    ) != json!(true)
    {
        assert!(Instant::now() < deadline, "the 200 awards did not finish");
        sleep(Duration::from_millis(250));
    }
    eprintln!(
        "bench: awarded 200 from CSV in the app (debug build) in {:.1} s",
        awarding.elapsed().as_secs_f64()
    );
    let lag = wd.execute(
        "clearInterval(window.__lagTimer); return window.__lag",
        json!([]),
    );
    eprintln!(
        "bench: while awarding, a 50 ms timer ran at most {:.0} ms late ({} ticks)",
        lag["max"].as_f64().unwrap_or(f64::NAN),
        lag["n"]
    );
    let title = wd.wait_for_text("#award-result-title", |t| t.contains("200 badges"));
    assert_eq!(title, "Awarded 200 badges");
    let progress = wd.execute(
        "return window.__progress.filter((p) => p.task === 'award').map((p) => [p.done, p.total])",
        json!([]),
    );
    let progress = progress.as_array().unwrap();
    assert!(progress.len() >= 2, "progress while awarding: {progress:?}");
    assert_eq!(progress.last().unwrap(), &json!([200, 200]));
    wd.screenshot(&shots.join("issue-award-csv-done.png"));

    // Cancel: 60 more sailors, stopped after a few; what was awarded stays,
    // and checking the file again skips them.
    let more = files.join("more.csv");
    let mut text = String::from("identity,name\n");
    for i in 200..260 {
        text.push_str(&format!("sailor{i}@example.org,Sailor {i}\n"));
    }
    std::fs::write(&more, text).unwrap();
    set_value(&wd, "#award-csv-path", &more.display().to_string());
    wd.click(&wd.find("#award-csv-check"));
    wd.wait_for_text("#award-csv-ok", |t| t.contains("60 badges to award"));
    wd.execute("window.__progress = []", json!([]));
    wd.click(&wd.find("#award-csv-go"));
    wd.wait_for_script("return window.__progress.some((p) => p.task === 'award' && p.done >= 3)");
    wd.click(&wd.find("#job-cancel"));
    let deadline = Instant::now() + Duration::from_secs(300);
    while wd.execute(
        "return document.getElementById('job-bar').hidden",
        json!([]),
    ) != json!(true)
    {
        assert!(
            Instant::now() < deadline,
            "the cancelled awarding did not stop"
        );
        sleep(Duration::from_millis(250));
    }
    let stopped = wd.wait_for_text("#award-result-title", |t| t.starts_with("Stopped"));
    let kept: usize = stopped
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stopped}"));
    assert!((3..60).contains(&kept), "{stopped}");
    wd.screenshot(&shots.join("issue-award-csv-cancelled.png"));
    wd.click(&wd.find("#award-csv-check"));
    wd.wait_for_text("#award-csv-ok", |t| {
        t.contains(&format!("{kept} already awarded (skipped)"))
    });
    let total = 201 + kept;

    // The list: every award, searchable; revoke one with a reason and the
    // final confirmation.
    issue_tab(&wd, "awards");
    wd.wait_for_text("#awards-count", |t| t == format!("{total} awards"));
    wd.wait_for_script(
        "return document.querySelectorAll('#awards-list .award-row[data-award]').length >= 8",
    );
    let tops = wd.execute(
        "return [...document.querySelectorAll('#awards-list .award-row')].slice(0, 3).map((r) => r.getBoundingClientRect().top)",
        json!([]),
    );
    let tops: Vec<f64> = tops
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap())
        .collect();
    assert!(
        tops[0] < tops[1] && tops[1] < tops[2],
        "rows one below the other: {tops:?}"
    );
    wd.screenshot(&shots.join("issue-awards-list.png"));
    let search = wd.find("#awards-search");
    wd.send_keys(&search, "sailor7@\u{E007}");
    wd.wait_for_text("#awards-count", |t| t == "1 award found");
    wd.wait_for_script("return !!document.querySelector('#awards-list .award-row[data-award]')");
    wd.send_keys(&search, "\u{E015}"); // ArrowDown: into the list
    wd.send_keys(&wd.find("#awards-list .award-row__open"), "\u{E007}");
    wd.wait_for_script(
        "return !!document.querySelector('#award-detail-status[data-status=\"verified\"]')",
    );
    assert!(
        wd.is_visible("#award-resend"),
        "an emailed recipient's badge can be sent again"
    );
    assert!(
        wd.text(&wd.find("#award-files")).contains(".svg"),
        "the baked SVG"
    );
    wd.screenshot(&shots.join("issue-award-detail.png"));
    wd.click(&wd.find("#award-revoke"));
    let reason = wd.find("#revoke-reason");
    wd.send_keys(&reason, "Awarded by mistake");
    wd.click(&wd.find("#revoke-next"));
    wd.wait_for_text("#confirm-text", |t| t.contains("final"));
    wd.screenshot(&shots.join("issue-award-revoke-confirm.png"));
    wd.click(&wd.find("#confirm-ok"));
    wd.wait_for_script(
        "return !!document.querySelector('#award-detail-status[data-status=\"revoked\"]')",
    );
    assert_eq!(count(&wd, "#award-revoke"), 0, "revocation is final");
    // Escape goes back to the list, where the row says revoked.
    wd.send_keys(&wd.find("#award-detail-name"), "\u{E00C}");
    wd.wait_for_script(
        "return !!document.querySelector('#awards-list .award-row[data-status=\"revoked\"]')",
    );
    assert_eq!(
        wd.execute("return document.activeElement && document.activeElement.classList.contains('award-row__open')", json!([])),
        json!(true),
        "focus back on the row"
    );

    // Publish: the folder (a native dialog for people; given here), what
    // will change, written, and the upload instructions.
    issue_tab(&wd, "publish");
    wd.wait_for_script("return !!document.getElementById('publish-folder-none')");
    let warning = wd.wait_for_text("#issue-warning", |t| {
        t.contains("will not verify until you publish")
    });
    assert!(
        warning.contains(&format!("{total} awarded badges")),
        "{warning}"
    );
    call(
        &wd,
        "choose_publish_folder",
        json!({ "issuer": issuer_id, "folder": site.display().to_string() }),
    );
    issue_tab(&wd, "awards");
    issue_tab(&wd, "publish");
    let summary = wd.wait_for_text("#publish-summary", |t| t.contains("new file"));
    assert!(summary.contains("0 changed files"), "{summary}");
    assert!(wd.text(&wd.find("#publish-base")).contains(&base));
    wd.screenshot(&shots.join("issue-publish-preview.png"));
    wd.click(&wd.find("#publish-go"));
    wd.wait_for_script("return !!document.getElementById('publish-uptodate')");
    wd.wait_for_script("return document.getElementById('issue-warning').hidden");
    wd.wait_for_text("#publish-summary", |t| t.contains("up to date"));
    assert!(site.join("manifest.json").is_file());
    wd.screenshot(&shots.join("issue-publish-done.png"));

    // The awarded badges into Backpack mode of the same app, from the
    // server: verified, and the revoked one revoked.
    let file_of = |search: &str| -> String {
        let page = call(
            &wd,
            "awards_page",
            json!({ "issuer": issuer_id, "search": search, "limit": 5, "offset": 0 }),
        );
        let id = page["items"][0]["id"].as_i64().unwrap();
        call(&wd, "award_detail", json!({ "id": id }))["files"][0]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let paths = vec![
        file_of("ada.lovelace@"),
        file_of("sailor7@"),
        file_of("sailor8@"),
    ];
    let report = call(&wd, "import", json!({ "request": { "paths": paths } }));
    assert_eq!(report["items"].as_array().unwrap().len(), 3, "{report}");
    let added = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["outcome"] == "imported")
        .count();
    assert_eq!(added, 3, "{report}");
    // Imported behind the window's back: the Backpack screen reloads when
    // it is shown again from another screen.
    wd.click(&wd.find("#mode-backpack"));
    wd.click(&wd.find("#nav-settings"));
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 3");
    assert_eq!(count(&wd, "#grid .tile[data-status='verified']"), 2);
    assert_eq!(count(&wd, "#grid .tile[data-status='revoked']"), 1);
    wd.screenshot(&shots.join("issue-round-trip-backpack.png"));
}

// The seeding helper, also an example for measuring by hand.
#[path = "../../examples/seed_awards.rs"]
mod seed_awards;

#[test]
fn issue_awards_10000_stay_bounded() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-issue-10k");
    let seeded = Instant::now();
    seed_awards::seed_awards(&data, 10_000);
    eprintln!(
        "bench: seeded 10,000 awards in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let (_x, _d, wd) = launch_with(
        &["--data-dir".to_owned(), data.display().to_string()],
        &[("GTK_THEME", "Adwaita:dark")],
    );
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    wd.click(&wd.find("#mode-issue"));
    let opened = Instant::now();
    issue_tab(&wd, "awards");
    wd.wait_for_text("#awards-count", |t| t == "10001 awards");
    wd.wait_for_script("return !!document.querySelector('#awards-list .award-row[data-award]')");
    eprintln!(
        "bench: awards tab to first rows of 10,000 {:.0} ms",
        opened.elapsed().as_secs_f64() * 1000.0
    );
    wd.screenshot(&shots().join("issue-awards-10000-dark.png"));

    wd.post("/timeouts", json!({ "script": 300_000 }));
    let result = wd.execute_async(
        r#"const done = arguments[arguments.length - 1];
        const s = document.getElementById('awards-scroll');
        const list = document.getElementById('awards-list');
        const waits = [];
        let maxNodes = 0, maxRows = 0, step = 0, t = 0;
        const steps = 100;
        const t0 = performance.now();
        s.scrollTop = 0;
        const onScroll = () => {
          void list.getBoundingClientRect();
          waits.push(performance.now() - t);
          maxNodes = Math.max(maxNodes, list.getElementsByTagName('*').length);
          maxRows = Math.max(maxRows, list.children.length);
          setTimeout(next, 16);
        };
        s.addEventListener('scroll', onScroll);
        const pct = (a, p) => a.slice().sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(a.length * p))];
        function next() {
          if (++step > steps) {
            s.removeEventListener('scroll', onScroll);
            return setTimeout(() => done({ ms: Math.round(performance.now() - t0), steps: waits.length,
              step_median: pct(waits, 0.5), step_p95: pct(waits, 0.95), maxNodes, maxRows }), 1500);
          }
          t = performance.now();
          s.scrollTop = (s.scrollHeight - s.clientHeight) * step / steps;
        }
        next();"#,
        json!([]),
    );
    eprintln!("bench: scroll 10,000 awards top to bottom in 100 jumps: {result}");
    assert!(
        result["maxRows"].as_u64().unwrap() <= 80,
        "bounded rows: {result}"
    );
    assert!(
        result["maxNodes"].as_u64().unwrap() <= 1000,
        "bounded DOM: {result}"
    );
    wd.wait_for_script(
        "return !!document.querySelector('#awards-list .award-row[aria-posinset=\"10001\"][data-award]')",
    );
    wd.screenshot(&shots().join("issue-awards-10000-bottom-dark.png"));

    // An award opened from the list (dark), then the publish screen and the
    // award form in dark.
    wd.execute(
        "document.getElementById('awards-scroll').scrollTop = 0",
        json!([]),
    );
    wd.wait_for_script("return !!document.querySelector('#awards-list .award-row[aria-posinset=\"1\"][data-award]')");
    wd.click(&wd.find("#awards-list .award-row[aria-posinset='1'] .award-row__open"));
    wd.wait_for_script("return !!document.getElementById('award-detail-name')");
    wd.screenshot(&shots().join("issue-award-detail-dark.png"));
    issue_tab(&wd, "publish");
    wd.wait_for_script("return !!document.getElementById('publish-folder-none')");
    wd.screenshot(&shots().join("issue-publish-dark.png"));
    wd.click(&wd.find("#mode-issue"));
    issue_tab(&wd, "awards");
    wd.click(&wd.find("#awards-csv"));
    wd.wait_for_script("return !document.getElementById('award-csv').hidden");
    wd.screenshot(&shots().join("issue-award-csv-dark.png"));
}
