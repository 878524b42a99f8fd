//! Screen behaviour the main walk-through does not reach: late answers
//! dropped when another badge or collection was opened meanwhile, layouts
//! without horizontal overflow at small window sizes and with long names,
//! and adding several badges to a collection in a row.

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
fn invoke(wd: &WebDriver, command: &str, args: Value) -> Value {
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
