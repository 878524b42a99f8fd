//! Independent Open Badges implementations check what Satchel signs and bakes.
//!
//! The peers are installed, pinned, into `target/interop/` by `make interop-deps`
//! (`tests/interop/install.sh`; `SATCHEL_INTEROP_DIR` moves it) and called through
//! the scripts in `tests/interop/`, each printing one JSON line
//! `{ok, verdict, errors[]}` (see `tests/interop/README.md`):
//!
//! - [`ob2_validate`]: the 1EdTech validator core (`openbadges`) on a hosted
//!   assertion URL on 127.0.0.1 or a baked file;
//! - [`openbadgeslib_verify`]: openbadgeslib 4.6.3 on a baked OB 2.0 signed or
//!   OB 3.0 badge;
//! - [`vc_verify`]: Digital Bazaar's `vc` with `eddsa-rdfc-2022` and the
//!   bitstring status list checker, documents read from folders (`--base`);
//! - [`unbake_py`], [`unbake_npm`], [`unbake_openbadgeslib`]: the Python bakery,
//!   the npm bakery and openbadgeslib's reader.
//!
//! Tests call [`available`] first: without the peers it prints that the interop
//! tests were skipped (and fails with `CI=true`). Nothing here reaches beyond
//! 127.0.0.1: the scripts refuse every other URL and say which. The tests are in
//! `interop/ob2.rs` (hosted and signed, served by `server.rs` or read from a
//! publish folder), `interop/ob3.rs` (samples, did:web, status lists, VC-JWT)
//! and `interop/issued.rs` (what issuer mode awards, revokes and publishes).

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

mod issued;
mod ob2;
mod ob3;

// ------------------------------------------------------------------ helpers

/// One peer's answer: the script's JSON line.
#[derive(Debug, Clone)]
pub struct PeerVerdict {
    /// The peer accepted the input (a valid badge; a payload found).
    pub ok: bool,
    /// Its word: `valid`/`invalid` (Python verifiers), `verified`/`revoked`/
    /// `suspended`/`invalid` (vc), `found`/`none` (bakeries), `error` (could not run).
    pub verdict: String,
    /// Why not, in the peer's words.
    pub errors: Vec<String>,
    /// The whole line (`payload`, `tool`, `status`, `warnings` ...).
    pub line: Value,
}

impl PeerVerdict {
    /// The unbaked payload, for the bakeries.
    pub fn payload(&self) -> Option<&str> {
        self.line.get("payload").and_then(Value::as_str)
    }
}

/// `target/interop` (or `SATCHEL_INTEROP_DIR`).
pub fn interop_dir() -> PathBuf {
    std::env::var_os("SATCHEL_INTEROP_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/interop"))
}

fn scripts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Are the peers installed? If not, says the interop tests were skipped, or
/// fails with `CI=true`.
pub fn available() -> bool {
    let dir = interop_dir();
    let installed = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("installed-"))
        })
        .unwrap_or(false);
    if installed {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but the interoperability peers are not installed in {} (run `make interop-deps`)",
            dir.display()
        );
    }
    eprintln!(
        "interop tests skipped: the peers are not installed in {} (run `make interop-deps`)",
        dir.display()
    );
    false
}

/// How long one peer may take before the test fails (they take about a second).
const PEER_DEADLINE: std::time::Duration = std::time::Duration::from_secs(180);

fn run(program: &Path, script: &str, args: &[&str]) -> PeerVerdict {
    use std::io::Read as _;
    use std::process::Stdio;
    let mut child = Command::new(program)
        .arg(scripts().join(script))
        .args(args)
        .env("SATCHEL_INTEROP_DIR", interop_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        // 127.0.0.1 is never sent through a proxy.
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", program.display()));
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > PEER_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{script} {args:?} did not finish within {PEER_DEADLINE:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let (out_bytes, err_bytes) = (stdout.join().unwrap(), stderr.join().unwrap());
    let stdout = String::from_utf8_lossy(&out_bytes);
    let stderr = String::from_utf8_lossy(&err_bytes);
    let line: Value = stdout
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| {
            panic!("{script} {args:?} printed no JSON line\nstdout: {stdout}\nstderr: {stderr}")
        });
    let verdict = PeerVerdict {
        ok: line["ok"].as_bool().unwrap_or(false),
        verdict: line["verdict"].as_str().unwrap_or_default().to_owned(),
        errors: line["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        line,
    };
    assert_ne!(
        verdict.verdict, "error",
        "{script} {args:?} could not run: {:?}\nstderr: {stderr}",
        verdict.errors
    );
    verdict
}

fn python() -> PathBuf {
    interop_dir().join("venv/bin/python")
}

fn oblib_python() -> PathBuf {
    interop_dir().join("venv-oblib/bin/python")
}

fn node() -> PathBuf {
    PathBuf::from("node")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The 1EdTech validator core on a hosted assertion URL or a baked/JSON file.
pub fn ob2_validate(url_or_file: &str) -> PeerVerdict {
    ob2_validate_with(url_or_file, &[])
}

/// [`ob2_validate`], with URLs under each base answered from its folder (a
/// publish folder for `https://club.example/badges/`, no server needed).
pub fn ob2_validate_with(url_or_file: &str, bases: &[(&str, &Path)]) -> PeerVerdict {
    let mut args = base_args(bases);
    args.push(url_or_file.to_owned());
    run(&python(), "ob2_validate.py", &strs(&args))
}

/// `--base URL=DIR` for each pair.
fn base_args(bases: &[(&str, &Path)]) -> Vec<String> {
    bases
        .iter()
        .flat_map(|(url, dir)| ["--base".to_owned(), format!("{url}={}", dir.display())])
        .collect()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// openbadgeslib on a baked badge; `args` as `openbadgeslib_verify.py` takes
/// them (`--key PEM`, `--base URL=DIR`, `--no-revocation`, `--status`).
pub fn openbadgeslib_verify(file: &Path, args: &[&str]) -> PeerVerdict {
    let mut all: Vec<&str> = args.to_vec();
    all.push(path_str(file));
    run(&oblib_python(), "openbadgeslib_verify.py", &all)
}

/// Digital Bazaar vc on a credential JSON file, with `(base URL, folder)` pairs
/// the document loader maps (did:web resolves through them too).
pub fn vc_verify(path: &Path, bases: &[(&str, &Path)]) -> PeerVerdict {
    let mut args = vec![path_str(path).to_owned()];
    args.extend(base_args(bases));
    run(&node(), "vc_verify.mjs", &strs(&args))
}

/// The Python bakery (`openbadges-bakery` 2.0.0) unbaking a PNG or SVG.
pub fn unbake_py(path: &Path) -> PeerVerdict {
    let python = interop_dir().join("venv-bakery2/bin/python");
    run(&python, "unbake.py", &["--impl", "bakery", path_str(path)])
}

/// The npm bakery (`openbadges-bakery` 1.0.5) unbaking a PNG or SVG.
pub fn unbake_npm(path: &Path) -> PeerVerdict {
    run(&node(), "unbake.mjs", &[path_str(path)])
}

/// openbadgeslib's reader (OB 2.0 and OB 3.0 slots) unbaking a PNG or SVG.
pub fn unbake_openbadgeslib(path: &Path) -> PeerVerdict {
    run(
        &oblib_python(),
        "unbake.py",
        &["--impl", "openbadgeslib", path_str(path)],
    )
}

/// Writes `bytes` to `dir/name` and returns that path.
fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The peer said no, and one of its reasons contains `reason`.
#[track_caller]
fn assert_rejected(v: &PeerVerdict, reason: &str) {
    assert!(!v.ok, "accepted: {v:?}");
    assert!(
        v.errors.iter().any(|e| e.contains(reason)),
        "no reason with {reason:?}: {v:?}"
    );
}

fn satchel_payload(image: &[u8]) -> String {
    satchel::bake::unbake(image)
        .unwrap()
        .expect("a baked badge")
        .payload
}

/// Satchel's own verdict on a badge (baked image, JSON, JWS or URL) with the
/// folder `dir` served at `base`, as a static host would.
fn satchel_verdict(base: &str, dir: &Path, badge: &[u8]) -> satchel::verify::Verdict {
    let web = crate::support::Web::new().site(base, dir);
    let found = satchel::inspect::inspect(badge).unwrap();
    satchel::verify::verify(
        &found,
        &web,
        &satchel::verify::Options {
            now: 1_800_000_000,
            recipients: Vec::new(),
            recipient_rule: satchel::verify::RecipientRule::Note,
        },
    )
    .status
}

/// The recipient of the test awards: `learner@club.example`, salted and hashed.
fn recipient() -> Value {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(b"learner@club.exampleinterop-salt");
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    json!({"type": "email", "hashed": true, "salt": "interop-salt", "identity": format!("sha256${hex}")})
}
