//! End-to-end test of the inspector window in the real webview (WebKitGTK).
//!
//! Starts its own Xvfb on a free display and a W3C WebDriver server on free
//! ports — `tauri-driver` when it is installed, otherwise `WebKitWebDriver`
//! directly with `TAURI_WEBVIEW_AUTOMATION=true` (override with
//! `E2E_DRIVER=tauri-driver|webkit`) — and drives the app with a small client
//! over `reqwest::blocking`. Screenshots go to `<workspace>/target/screenshots/`.
//!
//! Skipped unless `TAURI_E2E=1` (the Makefile sets it):
//! `TAURI_E2E=1 cargo test -p satchel-desktop --test e2e`.

use serde_json::{json, Value};
use std::fs::File;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

const APP: &str = env!("CARGO_BIN_EXE_satchel-desktop");
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const WAIT: Duration = Duration::from_secs(20);

/// A small Open Badges 2.0 assertion, everything embedded.
const ASSERTION: &str = r#"{
  "@context": "https://w3id.org/openbadges/v2",
  "type": "Assertion",
  "id": "https://badges.example.org/assertions/1042",
  "recipient": {
    "type": "email",
    "hashed": true,
    "salt": "deadsea",
    "identity": "sha256$4018b7cec54d6d5cc3ec76749ea071574112349b9cb7600bfdd2bf667dfb0e5d"
  },
  "badge": {
    "type": "BadgeClass",
    "id": "https://badges.example.org/classes/analytical-engines",
    "name": "Analytical Engines",
    "description": "Awarded for writing a working program for the Analytical Engine, including a loop and a conditional branch.",
    "image": "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxMjAgMTIwIj48Y2lyY2xlIGN4PSI2MCIgY3k9IjYwIiByPSI1NiIgZmlsbD0iIzJiNTljMyIvPjxjaXJjbGUgY3g9IjYwIiBjeT0iNjAiIHI9IjQyIiBmaWxsPSJub25lIiBzdHJva2U9IiNmZmYiIHN0cm9rZS13aWR0aD0iNCIvPjxwYXRoIGQ9Ik02MCAzMiA2OCA1MiA5MCA1MiA3MiA2NSA3OSA4NiA2MCA3MyA0MSA4NiA0OCA2NSAzMCA1MiA1MiA1MnoiIGZpbGw9IiNmNTllMGIiLz48L3N2Zz4=",
    "criteria": {
      "id": "https://badges.example.org/classes/analytical-engines/criteria",
      "narrative": "Write a program for the Analytical Engine that computes Bernoulli numbers, with a loop and a conditional branch."
    },
    "issuer": {
      "type": "Issuer",
      "id": "https://badges.example.org/issuer",
      "name": "Example Computing Society",
      "url": "https://example.org",
      "email": "badges@example.org"
    },
    "tags": ["programming", "history of computing"],
    "alignment": [{
      "targetName": "Algorithms and Programming",
      "targetUrl": "https://standards.example.org/cs/ap",
      "targetFramework": "Example CS Framework",
      "targetCode": "AP-2"
    }]
  },
  "evidence": {
    "id": "https://portfolio.example.org/ada/notes-g",
    "name": "Note G",
    "narrative": "The program, with a table of its operations."
  },
  "issuedOn": "2024-05-01T09:30:00Z",
  "expires": "2034-05-01T00:00:00Z",
  "verification": { "type": "hosted" }
}"#;

const GARBAGE: &str = "this is just some text, not a badge";

#[test]
fn inspector_window_shows_a_badge_and_an_error() {
    if std::env::var("TAURI_E2E").as_deref() != Ok("1") {
        eprintln!("skipped: the desktop E2E test runs only with TAURI_E2E=1 (it needs Xvfb and WebKitWebDriver)");
        return;
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&shots).expect("create target/screenshots");
    let logs = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));

    // Drop order is the reverse of declaration: session, then driver, then X.
    let (_xvfb, display) = start_xvfb(&logs);
    let (_driver, port, mode) = start_driver(&display, &logs);
    eprintln!(
        "e2e: display {display}, {mode:?} on port {port}; logs in {}",
        logs.display()
    );
    let wd = WebDriver::start(port, mode);

    // The window and its empty state.
    wd.wait_for_script("return document.body && document.body.dataset.ready === 'true'");
    assert_eq!(wd.title(), "Satchel");
    assert!(
        wd.is_visible("#empty-state"),
        "the empty state is shown at start"
    );
    assert!(!wd.is_visible("#result") && !wd.is_visible("#error"));
    let empty = wd.text(&wd.find("#empty-state"));
    assert!(
        empty.contains("Open Badge"),
        "empty state explains badges: {empty}"
    );
    let drop = wd.text(&wd.find("#drop-zone"));
    assert!(
        drop.contains(
            "Drop a badge image (PNG or SVG), a JSON file or a JWS here, or choose a file"
        ),
        "drop zone text: {drop}"
    );
    assert!(wd.text(&wd.find("#choose-file")).contains("Choose file"));
    wd.find("#file-input");
    wd.screenshot(&shots.join("inspector-empty.png"));

    // Paste an OB 2.0 assertion and inspect it. The JSON is put in with a
    // script (typing 2 KB key by key is slow); the garbage below is typed.
    let paste = wd.find("#paste-input");
    wd.click(&paste);
    wd.execute(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        json!([element_ref(&paste), ASSERTION]),
    );
    wd.click(&wd.find("#paste-submit"));
    let name = wd.wait_for_text("#badge-name", |t| t == "Analytical Engines");
    assert_eq!(name, "Analytical Engines");
    let version = wd.text(&wd.find("#badge-version"));
    assert!(version.contains("2.0"), "version pill: {version}");
    let issuer = wd.text(&wd.find("#badge-issuer"));
    assert!(
        issuer.contains("Example Computing Society"),
        "issuer: {issuer}"
    );
    assert!(wd.is_visible("#result") && !wd.is_visible("#empty-state") && !wd.is_visible("#error"));
    let result = wd.text(&wd.find("#result"));
    assert!(
        result.contains("hashed email"),
        "a hashed recipient is shown as such: {result}"
    );
    wd.screenshot(&shots.join("inspector-badge.png"));

    // Paste garbage: a clear error naming the input, and no stale result.
    wd.clear(&paste);
    wd.send_keys(&paste, GARBAGE);
    wd.click(&wd.find("#paste-submit"));
    wd.wait_for_script("return !document.querySelector('#error').hidden");
    let error = wd.text(&wd.find("#error"));
    assert!(
        error.contains("Pasted text"),
        "the error names the input: {error}"
    );
    assert!(
        error.contains("not a badge"),
        "the error says what is wrong: {error}"
    );
    assert!(!wd.is_visible("#result"), "the old result is hidden");
    wd.screenshot(&shots.join("inspector-error.png"));
}

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

fn start_driver(display: &str, logs: &Path) -> (KillOnDrop, u16, DriverMode) {
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
    fn start(port: u16, mode: DriverMode) -> WebDriver {
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let caps = match mode {
            DriverMode::TauriDriver => json!({ "tauri:options": { "application": APP } }),
            DriverMode::WebKit => {
                json!({ "webkitgtk:browserOptions": { "binary": APP, "args": [] } })
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
        let error = self.execute(
            "return document.querySelector('#error').innerText",
            json!([]),
        );
        panic!("timed out waiting for {css}; last text {last}; #error says {error}");
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
