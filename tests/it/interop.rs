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
//! 127.0.0.1: the scripts refuse every other URL and say which.

use crate::server::{Route, TestServer};
use crate::support::make_png;
use satchel::bake::{bake, unbake, Slot};
use satchel::samples::samples;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

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

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// `payload` baked by Satchel into `NAME.png` and `NAME.svg` (OB 2.0 slot) in `dir`.
fn bake_ob2(dir: &Path, name: &str, payload: &str) -> (PathBuf, PathBuf) {
    let png = bake(&make_png(256, 256), payload, Slot::OpenBadges).unwrap();
    let svg = bake(SVG_IMAGE.as_bytes(), payload, Slot::OpenBadges).unwrap();
    (
        write(dir, &format!("{name}.png"), &png),
        write(dir, &format!("{name}.svg"), &svg),
    )
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
    unbake(image).unwrap().expect("a baked badge").payload
}

// ------------------------------------------------------------------ OB 3.0: the samples

/// Satchel's sample badges (OB 3.0, `eddsa-rdfc-2022`, did:key issuer) verify
/// in Digital Bazaar's vc library and in openbadgeslib.
#[test]
fn samples_verify_in_digital_bazaar_vc_and_openbadgeslib() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for sample in samples() {
        let credential = satchel_payload(&sample.bytes);
        let json = write(
            tmp.path(),
            &format!("{}.json", sample.file_name),
            credential.as_bytes(),
        );
        let vc = vc_verify(&json, &[]);
        assert!(
            vc.ok && vc.verdict == "verified",
            "{}: {vc:?}",
            sample.file_name
        );
        let baked = write(tmp.path(), &sample.file_name, &sample.bytes);
        let lib = openbadgeslib_verify(&baked, &[]);
        assert!(lib.ok, "{}: {lib:?}", sample.file_name);
        assert_eq!(lib.line["ob_version"], "3");
        // A did:key proves the signature, not who the issuer is.
        assert_eq!(lib.line["trusted"], false);
    }
}

/// The baked samples unbake to the same credential in openbadgeslib's reader.
/// The Python and npm bakeries read only the OB 2.0 slot (`openbadges` iTXt,
/// `openbadges:assertion`), so they find no badge in an OB 3.0 image: the test
/// pins that, so a bakery that starts reading OB 3.0 is noticed.
#[test]
fn samples_unbake_alike_in_the_peer_readers() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for sample in samples() {
        let baked = write(tmp.path(), &sample.file_name, &sample.bytes);
        let ours = satchel_payload(&sample.bytes);
        let lib = unbake_openbadgeslib(&baked);
        assert!(lib.ok, "{}: {lib:?}", sample.file_name);
        assert_eq!(lib.payload(), Some(ours.as_str()), "{}", sample.file_name);
        for peer in [unbake_py(&baked), unbake_npm(&baked)] {
            assert_eq!(peer.verdict, "none", "{}: {peer:?}", sample.file_name);
        }
    }
}

/// A credential changed after signing is rejected by vc, and a key the loader
/// cannot map is refused by name rather than fetched.
#[test]
fn vc_rejects_a_tampered_sample_and_refuses_unmapped_urls() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sample = &samples()[0];
    let credential: Value = serde_json::from_str(&satchel_payload(&sample.bytes)).unwrap();

    let mut tampered = credential.clone();
    tampered["credentialSubject"]["achievement"]["criteria"]["narrative"] =
        json!("Walk a marked trail of at least 1 km.");
    let path = write(tmp.path(), "tampered.json", tampered.to_string().as_bytes());
    let vc = vc_verify(&path, &[]);
    assert_eq!(vc.verdict, "invalid", "{vc:?}");
    assert_rejected(&vc, "Invalid signature");

    let mut elsewhere = credential;
    elsewhere["proof"]["verificationMethod"] = json!("did:web:issuer.example#key-1");
    let path = write(
        tmp.path(),
        "elsewhere.json",
        elsewhere.to_string().as_bytes(),
    );
    assert_rejected(
        &vc_verify(&path, &[]),
        "refused to load https://issuer.example/.well-known/did.json",
    );
}

// ------------------------------------------------------------------ OB 2.0 hosted, baked by Satchel

/// An issuer's OB 2.0 documents at `base` (no final `/`), by path: Profile,
/// BadgeClass and its image, hosted assertion `1`; for signed badges also the
/// `CryptographicKey` (`publicKeyPem`) and a `RevocationList` revoking `revoked`.
fn ob2_documents(
    base: &str,
    public_key_pem: Option<&str>,
    revoked: &[&str],
) -> Vec<(&'static str, Vec<u8>)> {
    let ctx = "https://w3id.org/openbadges/v2";
    let mut issuer = json!({
        "@context": ctx,
        "type": "Issuer",
        "id": format!("{base}/issuer.json"),
        "name": "Interop Test Club",
        "url": format!("{base}/"),
        "email": "badges@club.example"
    });
    let badge_class = json!({
        "@context": ctx,
        "type": "BadgeClass",
        "id": format!("{base}/badges/1.json"),
        "name": "Trail Steward",
        "description": "Kept a club trail clear for a season.",
        "image": format!("{base}/images/class.png"),
        "criteria": {"narrative": "Clear the trail **four** times in one season."},
        "issuer": format!("{base}/issuer.json")
    });
    let mut docs = vec![
        ("/badges/1.json", badge_class.to_string().into_bytes()),
        ("/images/class.png", make_png(256, 256)),
        (
            "/assertions/1.json",
            hosted_assertion(base).to_string().into_bytes(),
        ),
    ];
    if let Some(pem) = public_key_pem {
        issuer["publicKey"] = json!(format!("{base}/key.json"));
        issuer["revocationList"] = json!(format!("{base}/revocations.json"));
        docs.push(("/key.json", key_document(base, pem).into_bytes()));
        docs.push((
            "/revocations.json",
            revocation_list(base, revoked).into_bytes(),
        ));
    }
    docs.push(("/issuer.json", issuer.to_string().into_bytes()));
    docs
}

/// [`ob2_documents`] served on 127.0.0.1.
fn ob2_issuer(public_key_pem: Option<&str>, revoked: &[&str]) -> TestServer {
    TestServer::start(
        ob2_documents("{{base}}", public_key_pem, revoked)
            .into_iter()
            .map(|(path, body)| match path.ends_with(".png") {
                true => (path, Route::ok("image/png", body)),
                false => (path, Route::json(body)),
            }),
    )
}

/// The issuer's `CryptographicKey` document holding `pem`.
fn key_document(base: &str, pem: &str) -> String {
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": format!("{base}/key.json"),
        "owner": format!("{base}/issuer.json"),
        "publicKeyPem": pem
    })
    .to_string()
}

/// The issuer's `RevocationList` revoking `ids`.
fn revocation_list(base: &str, ids: &[&str]) -> String {
    let entries: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "revocationReason": "Awarded by mistake."}))
        .collect();
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "RevocationList",
        "id": format!("{base}/revocations.json"),
        "issuer": format!("{base}/issuer.json"),
        "revokedAssertions": entries
    })
    .to_string()
}

/// The recipient of the test awards: `learner@club.example`, salted and hashed.
fn recipient() -> Value {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(b"learner@club.exampleinterop-salt");
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    json!({"type": "email", "hashed": true, "salt": "interop-salt", "identity": format!("sha256${hex}")})
}

fn hosted_assertion(base: &str) -> Value {
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": format!("{base}/assertions/1.json"),
        "recipient": recipient(),
        "badge": format!("{base}/badges/1.json"),
        "issuedOn": "2026-01-15T10:00:00Z",
        "verification": {"type": "HostedBadge"}
    })
}

/// A 256×256 SVG badge image with a title, as issuers draw them.
const SVG_IMAGE: &str = concat!(
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">",
    "<title>Trail Steward</title><circle cx=\"128\" cy=\"128\" r=\"120\" fill=\"#2e9e60\"/>",
    "</svg>"
);

/// Satchel's baker on an OB 2.0 hosted assertion served on 127.0.0.1: the
/// 1EdTech validator core accepts the URL and both baked images, and the
/// Python and npm bakeries read back what Satchel baked.
#[test]
fn ob2_hosted_baked_by_satchel_validates_and_unbakes() {
    if !available() {
        return;
    }
    let server = ob2_issuer(None, &[]);
    let url = server.url("/assertions/1.json");
    let assertion = hosted_assertion(&server.base());
    let tmp = tempfile::tempdir().unwrap();
    // The PNG carries the URL, the SVG the assertion (with `verify` = its URL).
    let png = bake_ob2(tmp.path(), "hosted-url", &url).0;
    let svg = bake_ob2(tmp.path(), "hosted-json", &assertion.to_string()).1;

    let by_url = ob2_validate(&url);
    assert!(by_url.ok && by_url.verdict == "valid", "{by_url:?}");
    for file in [&png, &svg] {
        let v = ob2_validate(path_str(file));
        assert!(v.ok, "{}: {v:?}", file.display());
    }
    assert!(
        server.count("/assertions/1.json") >= 3,
        "{:?}",
        server.requests()
    );
    assert!(
        server.count("/images/class.png") >= 1,
        "{:?}",
        server.requests()
    );

    // PNG: the URL itself. SVG: the Python bakery answers the `verify`
    // attribute (the URL), the npm bakery the assertion in the element.
    for peer in [unbake_py(&png), unbake_npm(&png)] {
        assert_eq!(peer.payload(), Some(url.as_str()), "{peer:?}");
    }
    let py = unbake_py(&svg);
    assert_eq!(py.payload(), Some(url.as_str()), "{py:?}");
    let npm = unbake_npm(&svg);
    let npm_json: Value = serde_json::from_str(npm.payload().expect("a payload")).unwrap();
    assert_eq!(npm_json, assertion, "{npm:?}");
}

/// The validator is not lenient about everything: an assertion whose badge
/// lacks a required property, or one served from another origin than its
/// issuer's, is invalid.
#[test]
fn ob2_validator_rejects_broken_hosted_assertions() {
    if !available() {
        return;
    }
    let server = ob2_issuer(None, &[]);
    let mut no_recipient = hosted_assertion("{{base}}");
    no_recipient["id"] = json!("{{base}}/assertions/2.json");
    no_recipient.as_object_mut().unwrap().remove("recipient");
    server.set("/assertions/2.json", Route::json(no_recipient.to_string()));
    let v = ob2_validate(&server.url("/assertions/2.json"));
    assert_rejected(&v, "recipient");

    // A BadgeClass elsewhere: the validator would have to fetch it, and the
    // sandbox refuses anything but 127.0.0.1, saying which URL.
    let mut elsewhere = hosted_assertion("{{base}}");
    elsewhere["id"] = json!("{{base}}/assertions/3.json");
    elsewhere["badge"] = json!("https://badges.example/badges/1.json");
    server.set("/assertions/3.json", Route::json(elsewhere.to_string()));
    let v = ob2_validate(&server.url("/assertions/3.json"));
    assert_rejected(
        &v,
        "refused a request to https://badges.example/badges/1.json",
    );
}

// ------------------------------------------------------------------ OB 2.0 signed (a test signer)

/// A fresh 3072-bit RSA key: (private PKCS#8 PEM, public SPKI PEM).
fn rsa_key() -> (String, String) {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    let pair = KeyPair::generate(KeySize::Rsa3072).unwrap();
    let private: Pkcs8V1Der = pair.as_der().unwrap();
    let public: PublicKeyX509Der = pair.public_key().as_der().unwrap();
    (
        pem("PRIVATE KEY", private.as_ref()),
        pem("PUBLIC KEY", public.as_ref()),
    )
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// An OB 2.0 signed assertion (RS256 compact JWS) for the issuer at `base`.
fn signed_badge(base: &str, id: &str, private_pem: &str) -> String {
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": id,
        "recipient": recipient(),
        "badge": format!("{base}/badges/1.json"),
        "issuedOn": "2026-01-15T10:00:00Z",
        "verification": {"type": "SignedBadge", "creator": format!("{base}/key.json")}
    });
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap();
    let header = jsonwebtoken::Header {
        typ: None,
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256)
    };
    jsonwebtoken::encode(&header, &assertion, &key).unwrap()
}

/// An OB 2.0 signed badge baked by Satchel passes openbadgeslib (with the
/// trusted key, and resolving the key from the issuer) and the validator core;
/// a wrong key and a revoked assertion are rejected by both.
#[test]
fn ob2_signed_badge_verifies_in_openbadgeslib_and_the_validator() {
    if !available() {
        return;
    }
    let (private, public) = rsa_key();
    let (_, other_public) = rsa_key();
    let revoked_id = "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000002";
    // Two entries: with exactly one, validator core 1.1.2 misses the revocation
    // (its JSON-LD compaction turns the one-element list into an object and the
    // check walks that object's keys; see tests/interop/README.md).
    let other_id = "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000099";
    let server = ob2_issuer(Some(&public), &[revoked_id, other_id]);
    let base = server.base();
    let tmp = tempfile::tempdir().unwrap();
    let key = write(tmp.path(), "key.pem", public.as_bytes());
    let wrong_key = write(tmp.path(), "wrong.pem", other_public.as_bytes());

    let good = signed_badge(
        &base,
        "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000001",
        &private,
    );
    let (png, svg) = bake_ob2(tmp.path(), "signed", &good);
    for file in [&png, &svg] {
        let trusted = openbadgeslib_verify(file, &["--key", path_str(&key)]);
        assert!(trusted.ok, "{}: {trusted:?}", file.display());
        assert_eq!(trusted.line["trusted"], true);
        let resolved = openbadgeslib_verify(file, &[]);
        assert!(resolved.ok, "{}: {resolved:?}", file.display());
        let validator = ob2_validate(path_str(file));
        assert!(validator.ok, "{}: {validator:?}", file.display());
        for peer in [unbake_py(file), unbake_npm(file)] {
            assert_eq!(peer.payload(), Some(good.as_str()), "{peer:?}");
        }
    }
    assert!(server.count("/key.json") >= 1 && server.count("/revocations.json") >= 1);

    let wrong = openbadgeslib_verify(&png, &["--key", path_str(&wrong_key)]);
    assert_rejected(&wrong, "Invalid signature");

    let revoked = signed_badge(&base, revoked_id, &private);
    let (revoked_png, _) = bake_ob2(tmp.path(), "revoked", &revoked);
    let lib = openbadgeslib_verify(&revoked_png, &["--key", path_str(&key)]);
    assert_rejected(&lib, "revoked");
    let validator = ob2_validate(path_str(&revoked_png));
    assert_rejected(&validator, "has been revoked");

    // Where the validator is more lenient: a RevocationList with exactly one
    // entry does not revoke (openbadgeslib still does).
    server.set(
        "/revocations.json",
        Route::json(revocation_list("{{base}}", &[revoked_id])),
    );
    assert!(ob2_validate(path_str(&revoked_png)).ok);
    assert!(!openbadgeslib_verify(&revoked_png, &[]).ok);

    // The issuer's key document now holds another key: the signature fails
    // in both peers when they resolve the key themselves.
    server.set(
        "/key.json",
        Route::json(key_document("{{base}}", &other_public)),
    );
    let validator = ob2_validate(path_str(&png));
    assert_rejected(&validator, "failed verification");
    assert_rejected(&openbadgeslib_verify(&png, &[]), "Invalid signature");
}

// ------------------------------------------------------------------ OB 3.0: did:web and status lists

/// The publish layout of `../shared/docs/issuing-interop-notes.md` for base
/// `https://club.example/badges/`, signed by Satchel's `eddsa-rdfc-2022`
/// signer: `did.json` at the folder's root for `did:web:club.example:badges`,
/// a revocation and a suspension `BitstringStatusListCredential` (131,072
/// entries, each signed) with bits 9 and 7 set.
struct Published {
    dir: tempfile::TempDir,
    key: ed25519_dalek::SigningKey,
}

const BASE: &str = "https://club.example/badges/";
const DID: &str = "did:web:club.example:badges";

impl Published {
    fn new() -> Published {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let dir = tempfile::tempdir().unwrap();
        let did_doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID,
            "verificationMethod": [{
                "id": format!("{DID}#key-1"),
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": satchel::keys::ed25519_multikey(key.verifying_key().as_bytes())
            }],
            "assertionMethod": [format!("{DID}#key-1")]
        });
        let published = Published { dir, key };
        published.put("did.json", &did_doc);
        std::fs::create_dir(published.dir.path().join("status")).unwrap();
        for (purpose, set) in [("revocation", 9), ("suspension", 7)] {
            let url = format!("{BASE}status/{purpose}.json");
            let list = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": DID,
                "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {
                    "id": format!("{url}#list"),
                    "type": "BitstringStatusList",
                    "statusPurpose": purpose,
                    "encodedList": encoded_list(131_072, &[set])
                }
            });
            let signed = published.sign(list);
            published.put(&format!("status/{purpose}.json"), &signed);
        }
        published
    }

    fn put(&self, name: &str, doc: &Value) {
        write(self.dir.path(), name, doc.to_string().as_bytes());
    }

    fn sign(&self, doc: Value) -> Value {
        let options = json!({
            "created": "2026-01-01T00:00:00Z",
            "verificationMethod": format!("{DID}#key-1"),
            "proofPurpose": "assertionMethod"
        });
        satchel::data_integrity::sign_eddsa_rdfc_2022(&doc, &options, &self.key).unwrap()
    }

    /// A signed OB 3.0 credential with a `BitstringStatusListEntry` at `index`
    /// of the list for `purpose`.
    fn credential(&self, purpose: &str, index: u32) -> Value {
        self.sign(unsigned_credential(purpose, index))
    }
}

/// An OB 3.0 credential of the published issuer, not yet signed.
fn unsigned_credential(purpose: &str, index: u32) -> Value {
    let list = format!("{BASE}status/{purpose}.json");
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("urn:uuid:7d3c1a52-0000-4000-8000-{index:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Trail Steward",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Interop Test Club", "url": BASE},
        "validFrom": "2026-01-15T10:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": recipient()["identity"],
                "identityType": "emailAddress",
                "hashed": true,
                "salt": "interop-salt"
            }],
            "achievement": {
                "id": format!("{BASE}classes/trail-steward.json"),
                "type": ["Achievement"],
                "name": "Trail Steward",
                "description": "Kept a club trail clear for a season.",
                "criteria": {"narrative": "Clear the trail four times in one season."}
            }
        },
        "credentialStatus": {
            "id": format!("{list}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": index.to_string(),
            "statusListCredential": list
        }
    })
}

/// A Bitstring Status List `encodedList`: `bits` bits (index 0 the first
/// byte's high bit) with `set` on, GZIP-compressed, multibase base64url.
fn encoded_list(bits: usize, set: &[usize]) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut list = vec![0u8; bits / 8];
    for &i in set {
        list[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&list).unwrap();
    let zipped = gz.finish().unwrap();
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
    )
}

/// Satchel's own verdict on a credential (JSON or VC-JWT) against the published folder.
fn satchel_verdict(published: &Published, credential: &[u8]) -> satchel::verify::Verdict {
    let web = crate::support::Web::new().site(BASE, published.dir.path());
    let found = satchel::inspect::inspect(credential).unwrap();
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

/// A did:web issuer's credentials with status lists, laid out as a publish
/// folder: Digital Bazaar vc and Satchel agree on verified, revoked and
/// suspended; openbadgeslib resolves the did:web and checks the lists too.
#[test]
fn did_web_status_lists_agree_in_vc_openbadgeslib_and_satchel() {
    use satchel::verify::Verdict;
    if !available() {
        return;
    }
    let published = Published::new();
    let base = [(BASE, published.dir.path())];
    let mapped = format!("{BASE}={}", published.dir.path().display());
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "good",
            published.credential("revocation", 7),
            "verified",
            Some(Verdict::Verified),
        ),
        (
            "revoked",
            published.credential("revocation", 9),
            "revoked",
            Some(Verdict::Revoked),
        ),
        (
            "suspended",
            published.credential("suspension", 7),
            "suspended",
            // Not verified: which verdict Satchel gives a suspension is its
            // report's business (the status check fails today).
            None,
        ),
    ];
    for (name, credential, vc_word, ours) in cases {
        let json = write(
            tmp.path(),
            &format!("{name}.json"),
            credential.to_string().as_bytes(),
        );
        let vc = vc_verify(&json, &base);
        assert_eq!(vc.verdict, vc_word, "{name}: {vc:?}");
        let satchel = satchel_verdict(&published, credential.to_string().as_bytes());
        match ours {
            Some(ours) => assert_eq!(satchel, ours, "{name}"),
            None => assert_ne!(satchel, Verdict::Verified, "{name}"),
        }

        let png = bake(
            &make_png(256, 256),
            &credential.to_string(),
            Slot::OpenBadgeCredential,
        )
        .unwrap();
        let png = write(tmp.path(), &format!("{name}.png"), &png);
        // openbadgeslib checks a list's own proof only when it is a VC-JWT.
        let lib = openbadgeslib_verify(&png, &["--base", &mapped, "--status", "--no-list-proof"]);
        assert_eq!(lib.ok, name == "good", "{name}: {lib:?}");
        if name == "good" {
            assert_eq!(lib.line["trusted"], true, "a did:web is anchored: {lib:?}");
        }
    }

    // The status list changed after it was signed: vc refuses it.
    let path = published.dir.path().join("status/revocation.json");
    let mut list: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    list["credentialSubject"]["encodedList"] = json!(encoded_list(131_072, &[]));
    published.put("status/revocation.json", &list);
    let json = write(
        tmp.path(),
        "after.json",
        published.credential("revocation", 9).to_string().as_bytes(),
    );
    assert_rejected(&vc_verify(&json, &base), "not verified");
}

/// An OB 3.0 VC-JWT (EdDSA; the payload is the credential with `iss`, `nbf`
/// and `jti`) signed with the Ed25519 key whose seed is `seed`, `kid` naming
/// the published issuer's key.
fn vc_jwt(seed: [u8; 32], credential: &Value) -> String {
    let pair = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let key = jsonwebtoken::EncodingKey::from_ed_der(pair.to_pkcs8().unwrap().as_ref());
    let mut payload = credential.clone();
    payload["iss"] = json!(DID);
    payload["jti"] = credential["id"].clone();
    payload["nbf"] = json!(1_768_471_200); // validFrom, 2026-01-15T10:00:00Z
    let header = jsonwebtoken::Header {
        kid: Some(format!("{DID}#key-1")),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA)
    };
    jsonwebtoken::encode(&header, &payload, &key).unwrap()
}

/// openbadgeslib 4.6.3 reads OB 3.0 VC-JWTs: one of the published did:web
/// issuer passes (key by `kid` from `did.json`, status list read), a revoked
/// one and one signed by another key do not; Satchel agrees.
#[test]
fn vc_jwt_verifies_in_openbadgeslib_and_satchel() {
    use satchel::verify::Verdict;
    if !available() {
        return;
    }
    let published = Published::new();
    let mapped = format!("{BASE}={}", published.dir.path().display());
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "good",
            vc_jwt([7; 32], &unsigned_credential("revocation", 7)),
            true,
            Verdict::Verified,
        ),
        (
            "revoked",
            vc_jwt([7; 32], &unsigned_credential("revocation", 9)),
            false,
            Verdict::Revoked,
        ),
        (
            "forged",
            vc_jwt([8; 32], &unsigned_credential("revocation", 7)),
            false,
            Verdict::Invalid,
        ),
    ];
    for (name, token, accepted, ours) in cases {
        let png = bake(&make_png(256, 256), &token, Slot::OpenBadgeCredential).unwrap();
        let png = write(tmp.path(), &format!("{name}.png"), &png);
        let lib = openbadgeslib_verify(&png, &["--base", &mapped, "--status", "--no-list-proof"]);
        assert_eq!(lib.ok, accepted, "{name}: {lib:?}");
        assert_eq!(
            satchel_verdict(&published, token.as_bytes()),
            ours,
            "{name}"
        );
    }
    let forged = openbadgeslib_verify(&tmp.path().join("forged.png"), &["--base", &mapped]);
    assert_rejected(&forged, "Invalid signature");
}

/// The OB 2.0 signed issuer's documents as a publish folder for
/// `https://club.example/badges/`: the validator core and openbadgeslib read
/// them from the folder, no server, the URLs as issued.
#[test]
fn ob2_signed_badge_validates_from_a_publish_folder() {
    if !available() {
        return;
    }
    let base = "https://club.example/badges";
    let (private, public) = rsa_key();
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("badges")).unwrap();
    std::fs::create_dir_all(folder.path().join("images")).unwrap();
    std::fs::create_dir_all(folder.path().join("assertions")).unwrap();
    for (path, body) in ob2_documents(base, Some(&public), &[]) {
        std::fs::write(folder.path().join(&path[1..]), body).unwrap();
    }
    let bases = [("https://club.example/badges/", folder.path())];
    let token = signed_badge(
        base,
        "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000003",
        &private,
    );
    let tmp = tempfile::tempdir().unwrap();
    let (png, _) = bake_ob2(tmp.path(), "signed", &token);
    let v = ob2_validate_with(path_str(&png), &bases);
    assert!(v.ok, "{v:?}");
    let hosted = ob2_validate_with(&format!("{base}/assertions/1.json"), &bases);
    assert!(hosted.ok, "{hosted:?}");
    let mapped = format!("{}={}", bases[0].0, folder.path().display());
    let lib = openbadgeslib_verify(&png, &["--base", &mapped]);
    assert!(lib.ok, "{lib:?}");

    // A document the folder lacks is a 404, not a trip to the internet.
    std::fs::remove_file(folder.path().join("key.json")).unwrap();
    let v = ob2_validate_with(path_str(&png), &bases);
    assert_rejected(&v, "https://club.example/badges/key.json");
}
