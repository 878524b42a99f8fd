//! Issue mode's set-up screens in the real webview: the mode switch, set-up
//! from nothing, badge classes (the designer, image checks shown inline,
//! the editor's preview), keys export and import with a passphrase, email
//! settings, and a key file others may read. Screenshots of every screen in
//! light and dark (`target/screenshots/issue-*.png`).

use super::screens::{invoke, overflow, resize};
use super::*;

/// A fresh app on a fresh data folder, ready, in `theme` (GTK_THEME) if given.
fn fresh(name: &str, theme: Option<&str>) -> (KillOnDrop, KillOnDrop, WebDriver, PathBuf) {
    let data = temp_dir(name);
    let env: Vec<(&str, &str)> = theme.map(|t| ("GTK_THEME", t)).into_iter().collect();
    let (x, d, wd) = launch_with(&["--data-dir".to_owned(), data.display().to_string()], &env);
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    (x, d, wd, data)
}

/// Types into a field as a person does (clears it first).
fn type_into(wd: &WebDriver, css: &str, text: &str) {
    let e = wd.find(css);
    wd.clear(&e);
    wd.send_keys(&e, text);
}

/// Fills in and sends the set-up form; waits for the badge classes screen.
fn set_up(wd: &WebDriver) {
    wd.click(&wd.find("#mode-issue"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-setup').hidden");
    type_into(wd, "#setup-name", "Riverside Coding Club");
    type_into(wd, "#setup-url", "https://riverside-coding.example");
    type_into(wd, "#setup-email", "badges@riverside-coding.example");
    type_into(
        wd,
        "#setup-base",
        "https://riverside-coding.github.io/badges/",
    );
    wd.click(&wd.find("#setup-create"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-classes').hidden");
}

#[test]
fn issue_setup_from_nothing() {
    if !e2e_enabled() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_x, _d, wd, _data) = fresh("e2e-issue-setup", None);
    let shots = shots();

    // Issue is a mode of its own; the Backpack keeps its state meanwhile.
    wd.click(&wd.find("#nav-settings"));
    wd.click(&wd.find("#mode-issue"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-setup').hidden");
    assert!(
        !wd.is_visible("#screen-settings"),
        "the Backpack's screens are hidden in Issue mode"
    );
    assert!(
        !wd.is_visible("#nav-import"),
        "Add badges belongs to the Backpack"
    );
    assert_eq!(wd.title(), "Set up issuing — Satchel");
    wd.screenshot(&shots.join("issue-01-setup.png"));

    // Nothing given: one sentence, the first missing field marked, nothing made.
    wd.click(&wd.find("#setup-create"));
    wd.wait_for_text("#setup-error", |t| t == "Give the issuer's name.");
    assert_eq!(
        wd.execute("return document.activeElement.id", json!([])),
        json!("setup-name")
    );
    assert_eq!(invoke(&wd, "issuers", json!({})), json!([]));

    // A base URL that is not a web address: the core's sentence, inline.
    type_into(&wd, "#setup-name", "Riverside Coding Club");
    type_into(&wd, "#setup-url", "https://riverside-coding.example");
    type_into(&wd, "#setup-email", "badges@riverside-coding.example");
    type_into(&wd, "#setup-base", "riverside badges");
    wd.click(&wd.find("#setup-create"));
    let said = wd.wait_for_text("#setup-error", |t| {
        t.starts_with("The issuer could not be created")
    });
    assert!(said.contains("riverside badges"), "{said}");
    assert_eq!(invoke(&wd, "issuers", json!({})), json!([]));

    // Back to the Backpack with the keyboard: it is where it was.
    let body = wd.find("body");
    wd.send_keys(&body, "\u{E009}\u{E008}b\u{E000}"); // Ctrl+Shift+B
    wd.wait_for_script("return document.body.dataset.mode === 'backpack'");
    assert!(
        wd.is_visible("#screen-settings"),
        "the Backpack came back on Settings"
    );
    wd.send_keys(&body, "\u{E009}\u{E008}i\u{E000}"); // Ctrl+Shift+I
    wd.wait_for_script("return document.body.dataset.mode === 'issue'");
    assert_eq!(
        wd.execute(
            "return document.querySelector('#setup-base').value",
            json!([])
        ),
        json!("riverside badges"),
        "Issue mode kept what was typed"
    );

    type_into(
        &wd,
        "#setup-base",
        "https://riverside-coding.github.io/badges/",
    );
    // A logo may have any shape (a badge image may not); a hostile one is refused.
    let files = temp_dir("e2e-issue-setup-files");
    answer_pickers(&wd);
    let hostile = files.join("logo.svg");
    std::fs::write(&hostile, HOSTILE).unwrap();
    will_pick(&wd, "pick_badge_image", &hostile);
    wd.click(&wd.find("#setup-image-pick"));
    wd.wait_for_text("#setup-image-error", |t| {
        t.contains("logo.svg") && t.contains("script")
    });
    let wide = files.join("wide-logo.svg");
    std::fs::write(&wide, NOT_SQUARE).unwrap();
    will_pick(&wd, "pick_badge_image", &wide);
    wd.click(&wd.find("#setup-image-pick"));
    wd.wait_for_script("return document.querySelector('#setup-image-error').textContent === '' && !document.querySelector('#setup-image-preview').hidden");
    wd.click(&wd.find("#setup-create"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-classes').hidden");
    let issuers = invoke(&wd, "issuers", json!({}));
    assert_eq!(issuers[0]["image_type"], json!("image/svg+xml"));
    assert!(issuers[0]["image_uri"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));
    assert_eq!(issuers[0]["name"], json!("Riverside Coding Club"));
    assert_eq!(
        issuers[0]["ob3_issuer"],
        json!("did:web:riverside-coding.github.io:badges")
    );
    assert_eq!(
        issuers[0]["keys"].as_array().map(Vec::len),
        Some(1),
        "a signing key was made"
    );
    assert!(
        wd.is_visible("#classes-empty"),
        "no classes yet: the empty state says what they are"
    );
    wd.screenshot(&shots.join("issue-02-classes-empty.png"));

    // Ctrl+1…4 open Issue tabs in Issue mode and leave the Backpack alone.
    wd.send_keys(&body, "\u{E009}4\u{E000}");
    wd.wait_for_script("return !document.querySelector('#issue-screen-issuer').hidden");
    wd.wait_for_script("return (document.querySelector('#issuer-image-preview').src || '').startsWith('data:image/svg+xml')");

    // New keys: the old one is retired and stays listed.
    wd.click(&wd.find("#keys-rotate"));
    wd.click(&wd.find("#confirm-ok"));
    wd.wait_for_text("#keys-message", |t| t.starts_with("New keys made"));
    let rows = wd.execute(
        "return [...document.querySelectorAll('#key-list .key-row')].map(r => r.dataset.key + ' ' + r.querySelector('.status').textContent)",
        json!([]),
    );
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0], "key-2 in use");
    assert!(rows[1].starts_with("key-1 retired"), "{rows:?}");

    // A second issuer: set up from here, then either can be chosen.
    wd.click(&wd.find("#issuer-another"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-setup').hidden");
    assert!(
        wd.is_visible("#setup-cancel"),
        "a further set-up can be left"
    );
    type_into(&wd, "#setup-name", "Harbour Sailing Club");
    type_into(&wd, "#setup-url", "https://sailing.example");
    type_into(&wd, "#setup-email", "club@sailing.example");
    type_into(&wd, "#setup-base", "https://sailing.example/badges/");
    wd.click(&wd.find("input[name='setup-format'][value='ob2-hosted']"));
    wd.click(&wd.find("#setup-create"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-classes').hidden");
    wd.click(&wd.find("#class-new"));
    wd.wait_for_script("return document.querySelector('#class-format').value === 'ob2-hosted'");
    wd.click(&wd.find("[data-issue-screen='issuer']"));
    wd.wait_for_script("return document.querySelectorAll('#issuer-select option').length === 2");
    assert_eq!(
        wd.execute(
            "return document.querySelector('#issuer-name').value",
            json!([])
        ),
        json!("Harbour Sailing Club")
    );
    wd.execute(
        "const s = document.querySelector('#issuer-select'); s.value = s.options[0].value; s.dispatchEvent(new Event('change'));",
        json!([]),
    );
    wd.wait_for_script(
        "return document.querySelector('#issuer-name').value === 'Riverside Coding Club'",
    );
    wd.click(&wd.find("#mode-backpack"));
    assert!(wd.is_visible("#screen-settings"));
    wd.click(&wd.find("#mode-issue"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-issuer').hidden");
}

/// Answers the window's native-dialog commands (`pick_badge_image`,
/// `pick_key_file`, `pick_ca_file`) with the paths queued in `window.__picks[command]`, as
/// the dialogs would; every other command goes to the app as always.
fn answer_pickers(wd: &WebDriver) {
    wd.execute(
        "const tauri = window.__TAURI__;
         const invoke = tauri.core.invoke;
         window.__picks = { pick_badge_image: [], pick_key_file: [], pick_ca_file: [] };
         const picking = (c, args, options) => c in window.__picks
           ? Promise.resolve(window.__picks[c].shift() ?? null)
           : invoke(c, args, options);
         window.__TAURI__ = { ...tauri, core: { ...tauri.core, invoke: picking } };",
        json!([]),
    );
}

/// A certificate authority's self-signed certificate (P-256) at `pem`, made
/// with the `openssl` command in `dir`.
fn make_ca(dir: &Path, pem: &Path) {
    let out = Command::new("openssl")
        .args("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2".split(' '))
        .arg("-keyout")
        .arg(dir.join("riverside-ca.key"))
        .arg("-out")
        .arg(pem)
        .args([
            "-subj",
            "/CN=Riverside Coding Club CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
        ])
        .output()
        .expect("the openssl command (package openssl)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The next native dialog for `command` answers `path`.
fn will_pick(wd: &WebDriver, command: &str, path: &Path) {
    wd.execute(
        "window.__picks[arguments[0]].push(arguments[1])",
        json!([command, path.display().to_string()]),
    );
}

const NOT_SQUARE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200"><rect width="300" height="200" fill="#2b59c3"/></svg>"##;
const HOSTILE: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><script>document.title = "pwned"</script><circle cx="256" cy="256" r="250" fill="#1d6b47"/></svg>"##;
const GOOD: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><circle cx="256" cy="256" r="250" fill="#5b2c91"/><circle cx="256" cy="256" r="150" fill="#f0a8d8"/></svg>"##;

/// Classes (designer, editor, image checks), keys and email settings, with
/// screenshots named `issue-<theme>-*.png`.
fn classes_keys_and_email(theme: Option<&str>, tag: &str) {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let (_x, _d, wd, data) = fresh(&format!("e2e-issue-{tag}"), theme);
    let files = temp_dir(&format!("e2e-issue-files-{tag}"));
    let shots = shots();
    let shot = |name: &str| wd.screenshot(&shots.join(format!("issue-{tag}-{name}.png")));
    answer_pickers(&wd);
    wd.click(&wd.find("#mode-issue"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-setup').hidden");
    shot("01-setup");
    set_up(&wd);
    shot("02-classes-empty");
    let issuer = invoke(&wd, "issuers", json!({}))[0].clone();
    let id = issuer["id"].as_i64().unwrap();

    // ---- design a badge and save it as a class
    wd.click(&wd.find("#class-new-empty"));
    wd.wait_for_script("return !document.querySelector('#issue-screen-class').hidden");
    type_into(&wd, "#class-name", "Python Basics");
    wd.click(&wd.find("#class-image-design"));
    wd.wait_for_script("return !!document.querySelector('dialog[open] #designer-preview')");
    assert_eq!(
        wd.execute("return document.activeElement.id", json!([])),
        json!("designer-title"),
        "the designer opens on its title line"
    );
    assert_eq!(
        wd.execute(
            "return document.querySelector('#designer-title').value",
            json!([])
        ),
        json!("Python Basics"),
        "the title line starts as the class name"
    );
    // Shapes are radio buttons: Space on one picks it.
    wd.send_keys(&wd.find("#designer-shape-shield"), " ");
    wd.wait_for_script("return document.querySelector('#designer-shape-shield').checked");
    type_into(&wd, "#designer-subtitle", "2026");
    wd.wait_for_script("return (document.querySelector('#designer-preview').src || '').startsWith('data:image/png')");
    wd.wait_for_text("#designer-contrast", |t| t.starts_with("Text contrast"));
    // Low contrast is said before the design is taken.
    wd.execute(
        "const f = document.querySelector('#designer-foreground'); f.value = '#2a58b0'; f.dispatchEvent(new Event('input', {bubbles: true}));",
        json!([]),
    );
    wd.wait_for_text("#designer-contrast", |t| {
        t.contains("contrast of") && t.contains("4.5:1")
    });
    shot("03-designer-low-contrast");
    wd.click(&wd.find("[data-palette='Green']"));
    wd.wait_for_text("#designer-contrast", |t| t.starts_with("Text contrast"));
    shot("04-designer");
    wd.click(&wd.find("#designer-use"));
    wd.wait_for_script("return !document.querySelector('dialog[open]') && !document.querySelector('#class-image-preview').hidden");
    assert_eq!(
        wd.execute("return document.activeElement.id", json!([])),
        json!("class-image-design"),
        "focus returns to the button that opened the designer"
    );
    let designed = std::fs::read_dir(data.join("designer")).unwrap().count();
    assert_eq!(designed, 1, "the design is a PNG in the data folder");

    // Saving without criteria: one sentence, on the field.
    type_into(
        &wd,
        "#class-description",
        "Awarded for writing and running a first Python program.",
    );
    wd.click(&wd.find("#class-save"));
    wd.wait_for_text("#class-error", |t| {
        t.starts_with("Say what it takes to earn the badge")
    });
    assert_eq!(invoke(&wd, "classes", json!({ "issuer": id })), json!([]));

    // Criteria in Markdown, previewed safely (markup as text, no script).
    type_into(
        &wd,
        "#class-criteria",
        "- Attend **four** sessions\u{E007}- Write a program <script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">",
    );
    type_into(&wd, "#class-tags", "programming, python");
    // An alignment, from the keyboard: the new row's first field has focus.
    wd.click(&wd.find("#class-alignment-add"));
    wd.wait_for_script(
        "return document.activeElement.getAttribute('aria-label') === 'Alignment 1: Name'",
    );
    let focused = wd.execute("return document.activeElement", json!([]));
    let focused = focused[ELEMENT_KEY].as_str().unwrap().to_owned();
    wd.send_keys(
        &focused,
        "Programming\u{E004}https://competences.example/dc/3.4\u{E004}DigComp\u{E004}3.4",
    );
    wd.wait_for_text("#class-preview-alignments li", |t| {
        t == "Programming (DigComp 3.4)"
    });
    wd.wait_for_text("#class-preview-criteria li:nth-child(2)", |t| {
        t.starts_with("Write a program <script>")
    });
    assert_eq!(
        wd.execute(
            "return document.querySelector('#class-preview-criteria strong').textContent",
            json!([])
        ),
        json!("four")
    );
    assert_eq!(
        wd.execute("return document.querySelectorAll('#class-preview-criteria script, #class-preview-criteria img, #class-preview [onerror]').length", json!([])),
        json!(0),
        "no markup from the criteria becomes an element that runs or loads"
    );
    assert_eq!(
        wd.execute(
            "return document.querySelectorAll('#class-preview-tags .tag').length",
            json!([])
        ),
        json!(2)
    );
    wd.click(&wd.find("#class-save"));
    wd.wait_for_text("#class-title", |t| t == "Python Basics");
    let classes = invoke(&wd, "classes", json!({ "issuer": id }));
    assert_eq!(classes[0]["name"], json!("Python Basics"));
    assert_eq!(classes[0]["image_type"], json!("image/png"));
    assert_eq!(classes[0]["tags"], json!(["programming", "python"]));
    assert_eq!(
        classes[0]["alignments"],
        json!([{
            "targetName": "Programming",
            "targetUrl": "https://competences.example/dc/3.4",
            "targetFramework": "DigComp",
            "targetCode": "3.4",
        }])
    );
    assert!(
        wd.is_visible("#class-award"),
        "a saved class offers to award it"
    );
    shot("05-class-editor");

    // Leaving for the Backpack and coming back keeps an edit in progress.
    type_into(&wd, "#class-name", "Python Basics (draft)");
    wd.click(&wd.find("#mode-backpack"));
    wd.wait_for_script("return document.body.dataset.mode === 'backpack'");
    wd.click(&wd.find("#mode-issue"));
    wd.wait_for_script("return document.body.dataset.mode === 'issue' && !document.querySelector('#issue-screen-class').hidden");
    assert_eq!(
        wd.execute(
            "return document.querySelector('#class-name').value",
            json!([])
        ),
        json!("Python Basics (draft)")
    );
    type_into(&wd, "#class-name", "Python Basics");

    // ---- the image checks, inline, before saving
    let not_square = files.join("wide.svg");
    std::fs::write(&not_square, NOT_SQUARE).unwrap();
    will_pick(&wd, "pick_badge_image", &not_square);
    wd.click(&wd.find("#class-image-pick"));
    let said = wd.wait_for_text("#class-image-error", |t| !t.is_empty());
    assert!(
        said.contains("wide.svg") && said.contains("300×200") && said.contains("must be square"),
        "{said}"
    );
    let hostile = files.join("hostile.svg");
    std::fs::write(&hostile, HOSTILE).unwrap();
    will_pick(&wd, "pick_badge_image", &hostile);
    wd.click(&wd.find("#class-image-pick"));
    let said = wd.wait_for_text("#class-image-error", |t| t.contains("hostile.svg"));
    assert!(said.contains("script"), "{said}");
    shot("06-class-image-refused");
    assert_ne!(wd.title(), "pwned");
    // The refused images changed nothing: the saved class keeps its image.
    wd.click(&wd.find("#class-save"));
    wd.wait_for_script(
        "return document.querySelector('#toast').textContent.startsWith('Changes to')",
    );
    assert_eq!(
        invoke(&wd, "class", json!({ "id": classes[0]["id"] }))["image_type"],
        json!("image/png")
    );

    // A good SVG dropped on the window (the event Tauri sends for a drop)
    // replaces it.
    let good = files.join("good.svg");
    std::fs::write(&good, GOOD).unwrap();
    wd.execute(
        "window.__TAURI__.event.emit('tauri://drag-drop', { paths: [arguments[0]], position: { x: 10, y: 10 } })",
        json!([good.display().to_string()]),
    );
    wd.wait_for_script("return document.querySelector('#class-image-error').textContent === '' && document.querySelector('#class-image-preview').src.startsWith('data:image/svg+xml')");
    type_into(
        &wd,
        "#class-description",
        "Awarded for writing and running a first Python program in class.",
    );
    wd.click(&wd.find("#class-save"));
    wd.wait_for_script(
        "return document.querySelector('#toast').textContent.startsWith('Changes to')",
    );
    let class = invoke(&wd, "class", json!({ "id": classes[0]["id"] }));
    assert_eq!(class["image_type"], json!("image/svg+xml"));
    assert!(class["description"]
        .as_str()
        .unwrap()
        .ends_with("in class."));

    // Escape goes back to the list, which shows the class with its image.
    let name = wd.find("#class-name");
    wd.send_keys(&name, "\u{E00C}");
    wd.wait_for_script("return !document.querySelector('#issue-screen-classes').hidden");
    wd.wait_for_script("return [...document.querySelectorAll('#class-list .class-card__image')].every(i => i.complete && i.naturalWidth > 0) && document.querySelectorAll('#class-list .class-card').length === 1");
    assert_eq!(wd.text(&wd.find(".class-card__meta")), "0 awards");
    shot("07-classes");

    // ---- keys: a warning for a key file others may read
    let key = data
        .join("issuer-keys")
        .join(format!("issuer-{id}-key-1.pem"));
    let mode = |m: u32| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(m)).unwrap();
    };
    mode(0o644);
    wd.click(&wd.find("[data-issue-screen='issuer']"));
    let warning = wd.wait_for_text("#key-warnings .key-warning", |t| !t.is_empty());
    assert!(
        warning.contains("can be read by other users") && warning.contains("chmod 600"),
        "{warning}"
    );
    assert_eq!(wd.text(&wd.find("#key-list .key-row .status")), "in use");
    shot("08-issuer-key-warning");
    mode(0o600);

    // Export with a passphrase typed in the window, twice.
    let export = files.join("club-keys.age");
    will_pick(&wd, "pick_key_file", &export);
    wd.click(&wd.find("#keys-export"));
    wd.wait_for_script(
        "return document.activeElement && document.activeElement.id === 'passphrase'",
    );
    type_into(&wd, "#passphrase", "short");
    type_into(&wd, "#passphrase-again", "short");
    wd.click(&wd.find("#passphrase-ok"));
    wd.wait_for_text("#passphrase-error", |t| t == "Use 8 characters or more.");
    type_into(&wd, "#passphrase", "correct horse battery");
    type_into(&wd, "#passphrase-again", "correct horse battery");
    shot("09-key-export-passphrase");
    wd.click(&wd.find("#passphrase-ok"));
    wd.wait_for_text("#keys-message", |t| t.starts_with("Exported to"));
    let sealed = std::fs::read(&export).unwrap();
    assert!(
        sealed.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"),
        "an age file"
    );
    let pem = std::fs::read_to_string(&key).unwrap();
    let secret = pem.lines().nth(1).unwrap();
    assert!(
        !String::from_utf8_lossy(&sealed).contains(secret),
        "the key is sealed"
    );

    // The key file is lost; importing the export with a wrong passphrase
    // says so, with the right one brings it back.
    std::fs::remove_file(&key).unwrap();
    wd.click(&wd.find("[data-issue-screen='classes']"));
    wd.click(&wd.find("[data-issue-screen='issuer']"));
    wd.wait_for_text("#key-warnings .key-warning", |t| t.contains("is missing"));
    will_pick(&wd, "pick_key_file", &export);
    wd.click(&wd.find("#keys-import"));
    wd.wait_for_script(
        "return document.activeElement && document.activeElement.id === 'passphrase'",
    );
    type_into(&wd, "#passphrase", "wrong horse battery");
    wd.click(&wd.find("#passphrase-ok"));
    let said = wd.wait_for_text("#keys-message", |t| {
        t.starts_with("The keys were not imported")
    });
    assert!(said.contains("club-keys.age"), "{said}");
    will_pick(&wd, "pick_key_file", &export);
    wd.click(&wd.find("#keys-import"));
    wd.wait_for_script(
        "return document.activeElement && document.activeElement.id === 'passphrase'",
    );
    type_into(&wd, "#passphrase", "correct horse battery");
    wd.click(&wd.find("#passphrase-ok"));
    wd.wait_for_text("#keys-message", |t| t.contains("key-1 (ed25519): imported"));
    assert_eq!(
        std::fs::read_to_string(&key).unwrap(),
        pem,
        "the same key came back"
    );
    wd.wait_for_script(
        "return document.querySelectorAll('#key-warnings .key-warning').length === 0",
    );

    // ---- email settings: saved, the password kept in memory only
    type_into(&wd, "#smtp-host", "smtp.riverside-coding.example");
    type_into(&wd, "#smtp-user", "badges@riverside-coding.example");
    type_into(&wd, "#smtp-password", "Tr0ub4dor&3-mail");
    wd.click(&wd.find("#smtp-save"));
    wd.wait_for_text("#smtp-message", |t| t == "Email settings saved.");
    let saved = invoke(&wd, "smtp_settings", json!({}));
    assert_eq!(
        saved["config"]["host"],
        json!("smtp.riverside-coding.example")
    );
    assert_eq!(saved["config"]["port"], json!(587));
    assert_eq!(saved["has_password"], json!(true));
    assert_eq!(
        wd.execute(
            "return document.querySelector('#smtp-password').value",
            json!([])
        ),
        json!(""),
        "the password leaves the page once handed over"
    );
    for file in files_in(&data) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes.windows(16).any(|w| w == b"Tr0ub4dor&3-mail"),
            "{} holds the SMTP password",
            file.display()
        );
    }
    // Plain SMTP to another computer is refused with a sentence.
    wd.execute(
        "document.querySelector('#smtp-security').value = 'plain'",
        json!([]),
    );
    wd.click(&wd.find("#smtp-save"));
    let said = wd.wait_for_text("#smtp-error", |t| !t.is_empty());
    assert!(said.contains("only allowed to this computer"), "{said}");
    wd.execute(
        "document.querySelector('#smtp-security').value = 'starttls'",
        json!([]),
    );
    // A private certificate authority, chosen in the file dialog: a file
    // that holds no certificate is named in the error; the CA's certificate
    // is saved by its path and shown again.
    let not_pem = files.join("not-a-certificate.pem");
    std::fs::write(&not_pem, "hello, not a certificate\n").unwrap();
    will_pick(&wd, "pick_ca_file", &not_pem);
    wd.click(&wd.find("#smtp-ca-pick"));
    wd.wait_for_script(&format!(
        "return document.querySelector('#smtp-ca-file').value === {}",
        json!(not_pem.display().to_string())
    ));
    wd.click(&wd.find("#smtp-save"));
    let said = wd.wait_for_text("#smtp-error", |t| t.contains("CA file"));
    assert_eq!(
        said,
        format!(
            "The email settings were not saved: the CA file {} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----); give the certificate authority's certificate as a PEM file",
            not_pem.display()
        )
    );
    let ca = files.join("riverside-ca.pem");
    make_ca(&files, &ca);
    will_pick(&wd, "pick_ca_file", &ca);
    wd.click(&wd.find("#smtp-ca-pick"));
    wd.click(&wd.find("#smtp-save"));
    wd.wait_for_text("#smtp-message", |t| t == "Email settings saved.");
    let saved = invoke(&wd, "smtp_settings", json!({}));
    assert_eq!(saved["config"]["ca_file"], json!(ca.display().to_string()));
    assert_eq!(saved["config"]["security"], json!("starttls"));
    shot("10-issuer-settings");
    wd.execute(
        "document.querySelector('#issue-screen-issuer').scrollTop = 1e6",
        json!([]),
    );
    shot("11-issuer-email");

    // Nothing spills sideways at the smallest common window size.
    resize(&wd, 1024, 700);
    for (tab, screen) in [("issuer", "issuer"), ("classes", "classes")] {
        wd.click(&wd.find(&format!("[data-issue-screen='{tab}']")));
        wd.wait_for_script(&format!(
            "return !document.querySelector('#issue-screen-{screen}').hidden"
        ));
        let problems = overflow(&wd, &[".tabs--issue .tab:last-child", ".mode-switch"]);
        assert!(problems.is_empty(), "{screen} at 1024×700: {problems:?}");
    }
    wd.click(&wd.find(".class-card"));
    wd.wait_for_text("#class-title", |t| t == "Python Basics");
    let problems = overflow(&wd, &["#class-save", "#class-preview"]);
    assert!(
        problems.is_empty(),
        "the class editor at 1024×700: {problems:?}"
    );
    shot("13-class-editor-1024");

    // The Backpack is untouched by all of it.
    wd.click(&wd.find("#mode-backpack"));
    wd.wait_for_script("return !document.querySelector('#screen-backpack').hidden && document.body.dataset.mode === 'backpack'");
    shot("12-backpack-after-issue");
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_in(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn issue_classes_designer_keys_and_email() {
    if !e2e_enabled() {
        return;
    }
    classes_keys_and_email(None, "light");
}

#[test]
fn issue_screens_in_the_dark() {
    if !e2e_enabled() {
        return;
    }
    classes_keys_and_email(Some("Adwaita:dark"), "dark");
}
