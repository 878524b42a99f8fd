//! Screen behaviour the main walk-through does not reach: late answers
//! dropped when another badge or collection was opened meanwhile, layouts
//! without horizontal overflow at small window sizes and with long names,
//! adding several badges to a collection in a row, and keeping a duplicate
//! whose file differs instead of the kept badge or beside it.

use super::*;

/// A fresh app on a fresh data folder with the four samples in it, on the Backpack screen.
fn with_samples(name: &str) -> (KillOnDrop, KillOnDrop, WebDriver) {
    let data = temp_dir(name);
    let (x, d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    wd.click(&wd.find("#try-samples"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '4'");
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 4");
    (x, d, wd)
}

/// Calls an app command as the page does; returns its answer or `{ error }`.
pub(super) fn invoke(wd: &WebDriver, command: &str, args: Value) -> Value {
    wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke(arguments[0], arguments[1]).then(done, (e) => done({ error: e }));",
        json!([command, args]),
    )
}

/// Holds back the next answer to `command` whose argument (or query field)
/// `key` is `value` for `ms` milliseconds; `window.__late` says when it
/// has been handed to the page. The command itself runs as always.
fn hold_back(wd: &WebDriver, command: &str, key: &str, value: Value, ms: u64) {
    wd.execute(
        "const [command, key, value, ms] = arguments;
         // The page's `__TAURI__.core` is read-only: the page is handed a
         // copy whose `invoke` holds the answer back.
         const tauri = window.__TAURI__;
         const invoke = tauri.core.invoke;
         window.__late = 'armed';
         const held = (c, args, options) => {
           const a = args || {};
           const hit = c === command && (a[key] === value || (a.query && a.query[key] === value));
           if (!hit || window.__late !== 'armed') return invoke(c, args, options);
           window.__late = 'held';
           const settle = (f) => (v) => new Promise((resolve, reject) => setTimeout(() => {
             window.__late = 'answered';
             f === 'ok' ? resolve(v) : reject(v);
           }, ms));
           return invoke(c, args, options).then(settle('ok'), settle('err'));
         };
         window.__TAURI__ = { ...tauri, core: { ...tauri.core, invoke: held } };
         if (window.__TAURI__.core.invoke !== held) throw new Error('the page cannot be given a held invoke');",
        json!([command, key, value, ms]),
    );
}

/// Waits until the held answer reached the page, and a moment more for it to be drawn.
fn wait_for_late_answer(wd: &WebDriver) {
    wd.wait_for_script("return window.__late === 'answered'");
    wd.execute_async(
        "const done = arguments[arguments.length - 1]; setTimeout(done, 300);",
        json!([]),
    );
}

#[test]
fn a_late_answer_never_replaces_what_was_opened_since() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_x, _d, wd) = with_samples("e2e-late");
    let tiles = wd.execute(
        "return [...document.querySelectorAll('#grid .tile[data-id]')]
           .sort((a, b) => a.dataset.index - b.dataset.index)
           .map(t => [Number(t.dataset.id), t.querySelector('.tile__name').textContent])",
        json!([]),
    );
    let (a_id, a_name) = (
        tiles[0][0].clone(),
        tiles[0][1].as_str().unwrap().to_owned(),
    );
    let (b_id, b_name) = (
        tiles[1][0].clone(),
        tiles[1][1].as_str().unwrap().to_owned(),
    );

    // Badge A is opened, its answer is late; badge B is opened meanwhile.
    hold_back(&wd, "badge_detail", "id", a_id.clone(), 1500);
    wd.execute(
        "for (const id of arguments) document.querySelector(`#grid .tile[data-id='${id}']`).click();",
        json!([a_id, b_id]),
    );
    wd.wait_for_text("#detail-name", |t| t == b_name);
    assert_eq!(
        wd.execute("return window.__late", json!([])),
        json!("held"),
        "A's answer is still on its way"
    );
    wait_for_late_answer(&wd);
    assert_eq!(
        wd.text(&wd.find("#detail-name")),
        b_name,
        "B stays on screen"
    );
    assert_eq!(wd.title(), format!("{b_name} — Satchel"));
    let body = wd.text(&wd.find("#detail-body"));
    assert!(!body.contains(&a_name), "nothing of A is shown: {body}");
    wd.click(&wd.find("#detail-back"));

    // The same for collections: Alpha's badges arrive after Beta was chosen.
    let alpha = invoke(
        &wd,
        "create_collection",
        json!({ "name": "Alpha", "description": "" }),
    );
    let beta = invoke(
        &wd,
        "create_collection",
        json!({ "name": "Beta", "description": "" }),
    );
    let (alpha, beta) = (alpha["id"].clone(), beta["id"].clone());
    for (c, badge) in [(&alpha, &a_id), (&beta, &b_id)] {
        let added = invoke(
            &wd,
            "add_to_collection",
            json!({ "id": c, "badges": [badge], "position": null }),
        );
        assert!(added.get("error").is_none(), "{added}");
    }
    wd.click(&wd.find("#nav-collections"));
    wd.wait_for_text("#collection-title", |t| t == "Alpha");
    hold_back(&wd, "list_badges", "collection", alpha.clone(), 1500);
    let pick = |id: &Value| {
        wd.execute(
            "document.querySelector(`#collection-list [data-id='${arguments[0]}']`).click();",
            json!([id]),
        )
    };
    pick(&alpha);
    wd.wait_for_script("return window.__late === 'held'");
    pick(&beta);
    wd.wait_for_text("#collection-title", |t| t == "Beta");
    wait_for_late_answer(&wd);
    assert_eq!(wd.text(&wd.find("#collection-title")), "Beta");
    let members = wd.text(&wd.find("#collection-badges"));
    assert!(
        members.contains(&b_name) && !members.contains(&a_name),
        "{members}"
    );
    let current = wd.execute(
        "return document.querySelector('#collection-list [aria-current=true]').textContent",
        json!([]),
    );
    assert!(current.as_str().unwrap().contains("Beta"), "{current}");
}

#[test]
fn a_failed_call_is_shown_to_the_user() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_x, _d, wd) = with_samples("e2e-failures");

    // A collection deleted behind the screen's back: adding to it fails,
    // and the toast says what could not be done and why.
    let gone = invoke(
        &wd,
        "create_collection",
        json!({ "name": "Gone", "description": "" }),
    );
    wd.click(&wd.find("#nav-collections"));
    wd.wait_for_text("#collection-title", |t| t == "Gone");
    wd.wait_for_script(
        "return document.querySelectorAll('#collection-picker .picker__row').length === 4",
    );
    let deleted = invoke(&wd, "delete_collection", json!({ "id": gone["id"] }));
    assert!(deleted.get("error").is_none(), "{deleted}");
    wd.click(&wd.find("#collection-picker .picker__row button"));
    let said = wd.wait_for_text("#toast", |t| !t.is_empty());
    assert!(
        said.starts_with("The badge could not be added to “Gone”: "),
        "{said}"
    );
    assert_eq!(
        wd.execute(
            "return document.querySelector('#toast').dataset.tone",
            json!([])
        ),
        json!("error")
    );
    wd.screenshot(&shots().join("15-error-toast.png"));

    // A badge deleted while its detail is open: adding a tag fails.
    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 4");
    wd.click(&wd.find("#grid .tile[data-id]"));
    wd.wait_for_script("return !!document.querySelector('#tag-input')");
    let id = wd.execute(
        "return Number(document.querySelector('#grid .tile[data-id]').dataset.id)",
        json!([]),
    );
    let deleted = invoke(&wd, "delete_badge", json!({ "id": id }));
    assert!(deleted.get("error").is_none(), "{deleted}");
    wd.execute("document.querySelector('#toast').hidden = true", json!([]));
    let tag = wd.find("#tag-input");
    wd.click(&tag);
    wd.send_keys(&tag, "lost\u{E007}");
    let said = wd.wait_for_text("#toast", |t| t.starts_with("The tag could not be added: "));
    assert!(
        said.len() > "The tag could not be added: ".len(),
        "the reason is given: {said}"
    );
}

/// Resizes the window (the viewport follows) and waits until the page has laid out at that size.
pub(super) fn resize(wd: &WebDriver, width: u64, height: u64) {
    wd.post("/window/rect", json!({ "width": width, "height": height }));
    wd.wait_for_script(&format!(
        "return Math.abs(window.innerWidth - {width}) <= 40 && Math.abs(window.innerHeight - {height}) <= 80"
    ));
    wd.execute_async(
        "const done = arguments[arguments.length - 1];
         requestAnimationFrame(() => requestAnimationFrame(() => done()));",
        json!([]),
    );
}

/// What overflows the window sideways on the screen shown: the page
/// itself, any area the user could scroll sideways, and the controls named in `inside`.
pub(super) fn overflow(wd: &WebDriver, inside: &[&str]) -> Vec<String> {
    let found = wd.execute(
        "const vw = window.innerWidth;
         const out = [];
         const page = document.documentElement.scrollWidth;
         if (page > vw) out.push(`the page is ${page} px wide in a ${vw} px window`);
         const shown = (e) => !e.closest('[hidden]') && e.getClientRects().length > 0;
         for (const e of document.querySelectorAll('.screen, .collections__main, .collections__side, .grid-scroll, .page, .job-bar')) {
           const scrolls = ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
           if (shown(e) && scrolls && e.scrollWidth > e.clientWidth + 1) {
             out.push(`${e.id || e.className} scrolls sideways (${e.scrollWidth} > ${e.clientWidth})`);
           }
         }
         for (const css of arguments[0]) {
           const e = document.querySelector(css);
           if (!e || !shown(e)) { out.push(`${css} is not shown`); continue; }
           const r = e.getBoundingClientRect();
           if (r.left < 0 || r.right > vw) out.push(`${css} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${vw}`);
         }
         return out;",
        json!([inside]),
    );
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// A badge name no line can hold, and a file name as long as file systems allow.
fn long_name(i: usize) -> String {
    format!("Certificate-of-Advanced-Professional-Achievement-in-Distributed-Systems-Engineering-{i:04} and Cloud Infrastructure Operations")
}

const SIZES: [(u64, u64); 2] = [(1024, 700), (1280, 800)];

fn layout_at_small_sizes(theme: &str, env: &[(&str, &str)]) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir(&format!("e2e-layout-{theme}"));
    let files = temp_dir(&format!("e2e-layout-files-{theme}"));
    let (_x, _d, wd) = launch_with(&["--data-dir".to_owned(), data.display().to_string()], env);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    let net = invoke(
        &wd,
        "set_network",
        json!({ "net": { "offline": true, "allow_private": false, "recheck_days": 0 } }),
    );
    assert_eq!(net["offline"], json!(true), "{net}");
    let shot = |name: &str, (w, h): (u64, u64)| {
        wd.screenshot(&shots().join(format!("16-layout-{name}-{w}x{h}-{theme}.png")))
    };
    let check = |what: &str, inside: &[&str]| {
        for size in SIZES {
            resize(&wd, size.0, size.1);
            let problems = overflow(&wd, inside);
            assert!(problems.is_empty(), "{what} at {size:?}: {problems:?}");
            shot(what, size);
        }
    };

    // Many badges with long names in files with long names: the progress
    // line names each as it is added.
    for i in 0..1500 {
        let json = ASSERTION
            .replace("assertions/1042", &format!("assertions/long-{i}"))
            .replace("Analytical Engines", &long_name(i));
        let file = format!(
            "{}-{i:04}.json",
            "a-badge-downloaded-from-a-learning-platform-with-a-very-long-file-name".repeat(3)
        );
        std::fs::write(files.join(file), json).unwrap();
    }
    wd.click(&wd.find("#nav-import"));
    set_value(&wd, "#import-paste", &files.display().to_string());
    wd.click(&wd.find("#import-submit"));
    wd.wait_for_script(
        "return !document.querySelector('#job-bar').hidden && document.querySelector('#job-label').textContent.length > 60",
    );
    check(
        "import-progress",
        &["#nav-import", "#job-count", "#job-cancel"],
    );
    // Stopped, unless it finished in the meantime.
    wd.execute(
        "if (!document.querySelector('#job-bar').hidden) document.querySelector('#job-cancel').click();",
        json!([]),
    );
    wd.wait_for_text("#import-counts", |t| t.contains("added"));
    wd.wait_for_script("return document.querySelector('#job-bar').hidden");
    check(
        "import-results",
        &[
            "#nav-import",
            "#pick-files",
            "#pick-folder",
            "#import-submit",
        ],
    );
    // The drop zone centres its buttons as it centres its text.
    for size in SIZES {
        resize(&wd, size.0, size.1);
        let offset = wd.execute(
            "const zone = document.querySelector('.dropzone').getBoundingClientRect();
             const rows = new Map();
             for (const b of document.querySelectorAll('.dropzone .button')) {
               const r = b.getBoundingClientRect();
               const row = rows.get(r.top) || { left: Infinity, right: -Infinity };
               rows.set(r.top, { left: Math.min(row.left, r.left), right: Math.max(row.right, r.right) });
             }
             const centre = zone.left + zone.width / 2;
             return Math.max(...[...rows.values()].map(r => Math.abs((r.left + r.right) / 2 - centre)));",
            json!([]),
        );
        assert!(
            offset.as_f64().unwrap() <= 2.0,
            "the drop zone's buttons are centred at {size:?}: {offset}"
        );
    }

    // A collection and a tag with long names, so the Backpack has filters to show.
    // Created on the screen, so the Backpack's filter menu learns of it.
    wd.click(&wd.find("#nav-collections"));
    let cname = wd.find("#collection-name-input");
    wd.click(&cname);
    wd.send_keys(
        &cname,
        "Applications to Example Corporation International, Research and Development Division\u{E007}",
    );
    wd.wait_for_text("#collection-title", |t| t.starts_with("Applications"));
    let collection = json!({ "id": wd.execute(
        "return Number(document.querySelector('#collection-list [aria-current=true]').dataset.id)",
        json!([]),
    ) });
    let ids = wd.execute_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI__.core.invoke('list_badges', { query: { sort: 'imported', limit: 3, offset: 0, status: [], reverse: false } })
           .then(p => done(p.items.map(b => b.id)), e => done({ error: e }));",
        json!([]),
    );
    let added = invoke(
        &wd,
        "add_to_collection",
        json!({ "id": collection["id"], "badges": ids, "position": null }),
    );
    assert!(added.get("error").is_none(), "{added}");
    let tagged = invoke(
        &wd,
        "add_tags",
        json!({ "id": ids[0], "tags": ["distributed-systems-and-cloud-infrastructure-operations"] }),
    );
    assert!(tagged.get("error").is_none(), "{tagged}");

    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelector('#filter-collection').options.length === 2");
    wd.execute(
        "const s = document.querySelector('#filter-collection'); s.selectedIndex = 1; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 3");
    check(
        "backpack",
        &["#nav-import", "#search", "#sort-reverse", "#verify-all"],
    );
    for size in SIZES {
        resize(&wd, size.0, size.1);
        // "Verify all" stays on the toolbar's line, and the grid lines up with the toolbar.
        let rows = wd.execute(
            "const top = (css) => document.querySelector(css).getBoundingClientRect().top;
             const left = (css) => document.querySelector(css).getBoundingClientRect().left;
             const first = [...document.querySelectorAll('#grid .tile[data-id]')].find(t => t.dataset.index === '0');
             return { search: top('#search'), verify: top('#verify-all'), searchLeft: left('.search'), tileLeft: first.getBoundingClientRect().left };",
            json!([]),
        );
        let (search, verify) = (
            rows["search"].as_f64().unwrap(),
            rows["verify"].as_f64().unwrap(),
        );
        assert!(
            verify - search < 10.0,
            "Verify all is on the toolbar's line at {size:?}: {rows}"
        );
        let indent = rows["tileLeft"].as_f64().unwrap() - rows["searchLeft"].as_f64().unwrap();
        assert!(
            indent.abs() <= 1.0,
            "the grid lines up with the toolbar at {size:?}: {rows}"
        );
    }

    wd.click(&wd.find("#nav-collections"));
    wd.wait_for_script(
        "return document.querySelectorAll('#collection-badges .member').length === 3",
    );
    check(
        "collections",
        &[
            "#nav-import",
            "#collection-share",
            "#collection-picker-search",
        ],
    );

    wd.click(&wd.find("#nav-backpack"));
    wd.wait_for_script("return document.querySelectorAll('#grid .tile[data-id]').length === 3");
    wd.click(&wd.find("#grid .tile[data-id]"));
    wd.wait_for_text("#detail-name", |t| t.contains("Certificate-of-Advanced"));
    check("detail", &["#nav-import", "#verify-again", "#tag-input"]);
}

#[test]
fn no_sideways_overflow_at_small_sizes_with_long_names() {
    if !e2e_enabled() {
        return;
    }
    layout_at_small_sizes("light", &[]);
}

#[test]
fn no_sideways_overflow_at_small_sizes_with_long_names_dark() {
    if !e2e_enabled() {
        return;
    }
    layout_at_small_sizes("dark", &[("GTK_THEME", "Adwaita:dark")]);
}

#[test]
fn several_badges_are_added_to_a_collection_in_a_row() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_x, _d, wd) = with_samples("e2e-picker");
    resize(&wd, 1024, 700);
    wd.click(&wd.find("#nav-collections"));
    let cname = wd.find("#collection-name-input");
    wd.click(&cname);
    wd.send_keys(&cname, "Portfolio\u{E007}");
    wd.wait_for_text("#collection-title", |t| t == "Portfolio");
    let rows = "return [...document.querySelectorAll('#collection-picker .picker__row')].map(r => r.querySelector('.picker__name').textContent)";
    let members = "return document.querySelectorAll('#collection-badges .member').length";
    let search = wd.find("#collection-picker-search");
    wd.click(&search);
    wd.send_keys(&search, "sample");
    wd.wait_for_script(&format!("return (() => {{ {rows} }})().length === 4"));
    assert_eq!(
        wd.text(&wd.find("#collection-add-selected")),
        "Add selected badges"
    );

    // Two ticked, added together; the find box keeps its words.
    // Ticked in the page: the picker may still be drawn again for the last
    // keystrokes between finding a box and a click from outside.
    for name in ["Sample: Trail Explorer", "Sample: Night Sky Observer"] {
        wd.wait_for_script(&format!(
            "const b = document.querySelector(\"#collection-picker input[aria-label='Select {name}']\"); if (b && !b.checked) b.click(); return !!b && b.checked;"
        ));
    }
    wd.wait_for_text("#collection-add-selected", |t| t == "Add 2 selected badges");
    wd.screenshot(&shots().join("17-picker-ticked.png"));
    wd.click(&wd.find("#collection-add-selected"));
    wd.wait_for_script(&format!("return (() => {{ {members} }})() === 2"));
    wd.wait_for_script(&format!("return (() => {{ {rows} }})().length === 2"));
    let left = wd.execute(rows, json!([]));
    assert!(
        !left.to_string().contains("Trail") && !left.to_string().contains("Night"),
        "{left}"
    );
    assert_eq!(
        wd.execute(
            "return document.querySelector('#collection-picker-search').value",
            json!([])
        ),
        json!("sample"),
        "the query is kept"
    );
    assert_eq!(
        wd.text(&wd.find("#collection-add-selected")),
        "Add selected badges"
    );

    // Enter adds the one badge the search finds, and the find box keeps focus for the next.
    let search = wd.find("#collection-picker-search");
    set_value(&wd, "#collection-picker-search", "");
    wd.send_keys(&search, "community\u{E007}");
    wd.wait_for_script(&format!("return (() => {{ {members} }})() === 3"));
    assert!(wd
        .text(&wd.find("#collection-badges"))
        .contains("Sample: Community Helper"));
    wd.wait_for_text("#collection-picker", |t| t == "No other badges match.");
    assert_eq!(
        wd.execute(
            "const s = document.querySelector('#collection-picker-search'); return [s.value, document.activeElement === s]",
            json!([])
        ),
        json!(["community", true])
    );

    // Add from the button: the screen stays where it was scrolled to.
    set_value(&wd, "#collection-picker-search", "");
    wd.wait_for_script(&format!("return (() => {{ {rows} }})().length === 1"));
    let before = wd.execute(
        "const v = document.querySelector('#collection-view'); v.scrollTop = v.scrollHeight; return v.scrollTop",
        json!([]),
    );
    assert!(
        before.as_f64().unwrap() > 0.0,
        "the view scrolls at 1024x700"
    );
    // Clicked in the page: the picker may be drawn again between finding the button and a click from outside.
    wd.wait_for_script(
        "const b = document.querySelector('#collection-picker .picker__row button'); if (b) b.click(); return !!b;",
    );
    wd.wait_for_script(&format!("return (() => {{ {members} }})() === 4"));
    wd.wait_for_text("#collection-picker", |t| t == "No other badges match.");
    let after = wd.execute(
        "return document.querySelector('#collection-view').scrollTop",
        json!([]),
    );
    assert!(
        (after.as_f64().unwrap() - before.as_f64().unwrap()).abs() <= 2.0,
        "the view stays put: {before} then {after}"
    );
    wd.screenshot(&shots().join("17-picker-done.png"));
}

/// A duplicate whose file differs from the kept one: its import row offers
/// "Keep both" and "Keep this one instead", and each does what it says.
#[test]
fn a_differing_duplicate_can_be_kept_instead_or_beside() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir("e2e-keep-duplicate");
    let files = temp_dir("e2e-keep-duplicate-files");
    std::fs::write(
        data.join("desktop-settings.json"),
        r#"{"offline": true, "allow_private": false, "recheck_days": 0}"#,
    )
    .unwrap();
    // One assertion id, three files: as written, and laid out two other ways.
    let kept = files.join("engines.json");
    let other = files.join("engines-v1.json");
    let third = files.join("engines-v2.json");
    std::fs::write(&kept, ASSERTION).unwrap();
    std::fs::write(&other, ASSERTION.replace("\n  ", "\n    ")).unwrap();
    std::fs::write(&third, ASSERTION.replace('\n', " ")).unwrap();
    let (_x, _d, wd) = launch(&["--data-dir".to_owned(), data.display().to_string()]);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    resize(&wd, 1024, 700);
    let add = |path: &Path, counts: &str| {
        wd.click(&wd.find("#nav-import"));
        set_value(&wd, "#import-paste", &path.display().to_string());
        wd.click(&wd.find("#import-submit"));
        wd.wait_for_text("#import-counts", |t| t.contains(counts));
    };
    add(&kept, "1 added");
    wd.wait_for_script("return document.body.dataset.badgeCount === '1'");

    // Keep both: a second badge with the same id.
    add(&other, "1 already in your backpack");
    let row = wd.text(&wd.find("#import-results"));
    assert!(
        row.contains("this file differs from the one kept") && row.contains("Keep both"),
        "{row}"
    );
    wd.click(&wd.find("#import-results button[data-keep='keep_both']"));
    wd.wait_for_script("return document.body.dataset.badgeCount === '2'");
    wd.wait_for_script(
        "return document.querySelector('#import-results li').dataset.outcome === 'imported'",
    );

    // Keep this one instead: the first badge takes the third file.
    add(&third, "1 already in your backpack");
    wd.wait_for_script(
        "const b = document.querySelector(\"#import-results button[data-keep='replace']\"); if (b) b.scrollIntoView({ block: 'center', behavior: 'instant' }); return !!b;",
    );
    wd.screenshot(&shots().join("18-keep-duplicate.png"));
    wd.click(&wd.find("#import-results button[data-keep='replace']"));
    let replaced = wd.wait_for_text("#import-results", |t| t.contains("Kept instead"));
    assert!(replaced.contains("engines.json)"), "{replaced}");
    wd.wait_for_text("#import-counts", |t| t == "1 kept instead");
    wd.screenshot(&shots().join("18-kept-instead.png"));
    assert_eq!(
        wd.execute("return document.body.dataset.badgeCount", json!([])),
        json!("2")
    );
    // The badge's history says its file was replaced.
    wd.click(&wd.find("#import-results li[data-outcome='imported'] button"));
    let history = wd.wait_for_text("#history", |t| t.contains("file replaced"));
    assert!(history.contains("engines.json"), "{history}");
}

/// Share shows what will be published before any folder is chosen: the
/// badges, whether originals are included, and the warnings, with the
/// options as checkboxes that update the list.
fn share_preview(theme: &str, env: &[(&str, &str)]) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let data = temp_dir(&format!("e2e-share-preview-{theme}"));
    let (_x, _d, wd) = launch_with(&["--data-dir".to_owned(), data.display().to_string()], env);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    let net = invoke(
        &wd,
        "set_network",
        json!({ "net": { "offline": true, "allow_private": false, "recheck_days": 0 } }),
    );
    assert_eq!(net["offline"], json!(true), "{net}");
    for request in [
        json!({ "paths": [], "text": null, "samples": true }),
        json!({ "paths": [], "text": ASSERTION, "samples": false }),
    ] {
        let report = invoke(&wd, "import", json!({ "request": request }));
        assert!(report["error"].is_null(), "{report}");
    }
    let ids = invoke(&wd, "list_badges", json!({ "query": {} }));
    let ids: Vec<i64> = ids["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{ids}"))
        .iter()
        .map(|b| b["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
    let c = invoke(
        &wd,
        "create_collection",
        json!({ "name": "Portfolio", "description": "" }),
    );
    let added = invoke(
        &wd,
        "add_to_collection",
        json!({ "id": c["id"], "badges": ids, "position": null }),
    );
    assert_eq!(added, json!(5), "{added}");
    wd.execute("location.reload()", json!([]));
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    resize(&wd, 1280, 800);
    wd.click(&wd.find("#nav-collections"));
    wd.wait_for_text("#collection-title", |t| t == "Portfolio");
    wd.wait_for_script("return !document.querySelector('#collection-share').disabled");
    wd.click(&wd.find("#collection-share"));

    // The preview: every badge, and the pasted badge's plaintext email.
    wd.wait_for_script(
        "return document.querySelectorAll('#share-badges .share__badge').length === 5",
    );
    let summary = wd.text(&wd.find("#share-summary"));
    assert!(
        summary.starts_with("5 badges will be published: 4 of 5 with the original file"),
        "{summary}"
    );
    let badges = wd.text(&wd.find("#share-badges"));
    assert!(
        badges.contains("Analytical Engines") && badges.contains("email address in plain text"),
        "{badges}"
    );
    wd.screenshot(&shots().join(format!("18-share-preview-{theme}.png")));

    // Leaving the originals out updates the preview at once.
    wd.click(&wd.find("#share-leave-out-originals"));
    wd.wait_for_text("#share-summary", |t| {
        t.contains("0 of 5 with the original file")
    });
    wd.screenshot(&shots().join(format!("18-share-preview-left-out-{theme}.png")));

    // Cancel closes it and writes nothing.
    wd.click(&wd.find("#share-cancel"));
    wd.wait_for_script("return !document.querySelector('dialog.share')");
}

#[test]
fn share_shows_what_will_be_published_before_a_folder_is_chosen() {
    if !e2e_enabled() {
        return;
    }
    share_preview("light", &[]);
}

#[test]
fn share_shows_what_will_be_published_before_a_folder_is_chosen_dark() {
    if !e2e_enabled() {
        return;
    }
    share_preview("dark", &[("GTK_THEME", "Adwaita:dark")]);
}
