//! Headless Chromium (Debian's `chromium`) for the export tests: dump the DOM
//! after scripts ran, take screenshots, print to PDF.
//!
//! Every run gets its own profile directory and a proxy: Chromium sends every
//! request that is not for the loopback address to `proxy` (a recording test
//! server), so "no request leaves the page" is asserted by that server's log,
//! and nothing can ever reach the internet.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The browser binary: `SATCHEL_CHROMIUM`, or `chromium` on the PATH. `None`
/// (with a message) when absent; with `CI=true` its absence fails the test.
pub fn chromium() -> Option<PathBuf> {
    let bin = std::env::var_os("SATCHEL_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("chromium"));
    let found = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(bin);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but headless Chromium is missing (apt-get install chromium; or set SATCHEL_CHROMIUM)");
    }
    eprintln!("skipped the browser checks: no `chromium` (apt-get install chromium)");
    None
}

pub struct Browser {
    bin: PathBuf,
    proxy_port: u16,
    profile: tempfile::TempDir,
}

impl Browser {
    /// A browser whose non-loopback traffic goes to `127.0.0.1:proxy_port`.
    pub fn new(bin: PathBuf, proxy_port: u16) -> Browser {
        Browser {
            bin,
            proxy_port,
            profile: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-domain-reliability",
            "--disable-breakpad",
            "--disable-client-side-phishing-detection",
            "--disable-features=AutofillServerCommunication,OptimizationHints,MediaRouter,Translate,CertificateTransparencyComponentUpdater",
            "--metrics-recording-only",
            "--mute-audio",
            "--hide-scrollbars",
        ]);
        c.arg(format!("--user-data-dir={}", self.profile.path().display()));
        c.arg(format!(
            "--proxy-server=http://127.0.0.1:{}",
            self.proxy_port
        ));
        c.env("HOME", self.profile.path());
        c
    }

    fn run(&self, mut c: Command, what: &str) -> String {
        use std::io::Read;
        c.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stdout.read_to_string(&mut s);
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        let deadline = std::time::Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let out = out.join().unwrap();
                let err = err.join().unwrap();
                assert!(
                    status.success(),
                    "{what}: chromium failed ({status}):\n{err}"
                );
                return out;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{what}: chromium did not finish in 90 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The DOM of `url` after its scripts ran (up to 5 s of page time).
    pub fn dump_dom(&self, url: &str) -> String {
        let mut c = self.command();
        c.args([
            "--virtual-time-budget=5000",
            "--run-all-compositor-stages-before-draw",
            "--dump-dom",
            url,
        ]);
        self.run(c, &format!("dump-dom {url}"))
    }

    /// A screenshot of `url` into `png`, `width`×`height` CSS pixels.
    pub fn screenshot(&self, url: &str, png: &Path, width: u32, height: u32) {
        let mut c = self.command();
        c.args([
            "--virtual-time-budget=5000",
            "--run-all-compositor-stages-before-draw",
        ]);
        c.arg(format!("--window-size={width},{height}"));
        c.arg(format!("--screenshot={}", png.display()));
        c.arg(url);
        self.run(c, &format!("screenshot {url}"));
        assert!(png.is_file(), "no screenshot at {}", png.display());
    }

    /// Prints `url` to a PDF file (as the print stylesheet lays it out).
    pub fn print_pdf(&self, url: &str, pdf: &Path) {
        let mut c = self.command();
        c.args(["--virtual-time-budget=5000", "--no-pdf-header-footer"]);
        c.arg(format!("--print-to-pdf={}", pdf.display()));
        c.arg(url);
        self.run(c, &format!("print {url}"));
        assert!(pdf.is_file(), "no PDF at {}", pdf.display());
    }
}

/// The number of pages of a PDF Chromium wrote (`/Type /Page` objects).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut n = 0;
    let mut rest: &str = &text;
    while let Some(at) = rest.find("/Type /Page") {
        let after = &rest[at + "/Type /Page".len()..];
        if !after.starts_with('s') {
            n += 1;
        }
        rest = after;
    }
    n
}

/// `file://` URL of a path.
pub fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}
