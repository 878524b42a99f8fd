//! OB 3.0 / CLR 2.0 verification: the test vectors byte for byte, every OB 3.0
//! and CLR 2.0 fixture of the shared corpus against the verdict its SOURCES.md
//! gives, and generated cases signed here with the published test key
//! (tampering, undefined terms, refused algorithms, key resolution, status
//! lists, endorsements, CLRs, hostile input), plus a few over loopback HTTP.
//!
//! [`World`] stands in for the network layer only: it serves the fixture URLs
//! SOURCES.md maps (the DCC status lists and did:web documents, the 1EdTech
//! bit-string test list) and per-test documents, and says "unreachable" for
//! everything else.

use crate::server::{Route, TestServer};
use crate::support::{self, Web};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use satchel::data_integrity::sign_eddsa_rdfc_2022;
use satchel::detect::Version;
use satchel::fetch::{HttpFetch, NetPolicy};
use satchel::inspect::{inspect, inspect_path, Inspection};
use satchel::verify::proof::{canonicalize, hash_data, hash_data_jcs, CanonError};
use satchel::verify::{verify, Check, CheckStatus, Options, Report, Verdict};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::{Duration, Instant};

/// 2026-06-01T00:00:00Z: after every fixture's proof was created, before 2030.
const NOW: i64 = 1_780_272_000;

/// The OB 3.0 test vector's published TEST key (never a real key).
const TEST_SEED_HEX: &str = "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4";
const TEST_KEY: &str = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi";

const DCC: &str = "ob3/dcc-vc-test-fixtures";

fn opts() -> Options {
    Options {
        now: NOW,
        recipients: Vec::new(),
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn json_file(root: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(root, rel)).unwrap()
}

// ---------------------------------------------------------------------------
// The offline world

/// The offline web: per-test documents and the corpus documents SOURCES.md
/// maps, written into a temporary folder and read back by `DirFetch`.
type World = Web;

/// The corpus world, with the profile of [`ISSUER`] listing the test key
/// (so the test's own badges are the issuer's).
fn corpus_world(root: Option<&Path>) -> World {
    bare_world(root).serve_json(ISSUER, &issuer_profile(ISSUER))
}

/// The corpus world without any issuer profile: the corpus files served at
/// the URLs SOURCES.md gives them.
fn bare_world(root: Option<&Path>) -> World {
    let mut world = Web::new();
    let Some(root) = root else { return world };
    let files = |dir: &str| {
        std::fs::read_dir(root.join(dir))
            .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    for file in files(&format!("{DCC}/statusLists")) {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&file).unwrap();
        if name == "e5WK8CbZ1GjycuPombrj" {
            world.put("https://raw.githubusercontent.com/digitalcredentials/verifier-core/refs/heads/main/src/test-fixtures/status/e5WK8CbZ1GjycuPombrj", 200, bytes.clone());
        }
        world.put(&format!("https://digitalcredentials.github.io/vc-test-fixtures/statusLists/didkey-ed25519Signature2020/{name}"), 200, bytes);
    }
    for file in files(&format!("{DCC}/dids")) {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(did) = name.strip_suffix("-did.json") {
            let url = format!(
                "https://digitalcredentials.github.io/vc-test-fixtures/dids/{did}/did.json"
            );
            world.put(&url, 200, std::fs::read(&file).unwrap());
        }
    }
    let list = root.join("ob3/1edtech-validator/bit-string-list/testlist");
    if let Ok(bytes) = std::fs::read(list) {
        world.put("https://raw.githubusercontent.com/1EdTech/digital-credentials-public-validator/refs/heads/main/inspector-vc/src/test/resources/ob30/bit-string-list/testlist", 200, bytes);
    }
    world
}

/// What the OB 3.0 tests add to the offline web.
trait Ob3World: Sized {
    /// Serves, at the issuer id of every signed credential inside `doc` (the
    /// credential itself, a CLR's credentials, endorsements), a profile that
    /// lists the keys its proofs name: the issuer's own document, at hand.
    fn vouching(self, doc: &Value) -> World;
    /// Serves a profile at `issuer` listing `entry` (a key id or a key object).
    fn listing(self, issuer: &str, entry: Value) -> World;
    /// Serves `body` at `url`.
    fn serve_json(self, url: &str, body: &Value) -> World;
    /// Answers `url` with `status`.
    fn serve_status(self, url: &str, status: u16) -> World;
}

impl Ob3World for Web {
    fn vouching(mut self, doc: &Value) -> World {
        fn walk(v: &Value, found: &mut Vec<(String, Value)>) {
            match v {
                Value::Object(m) => {
                    let issuer = match m.get("issuer") {
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(Value::Object(i)) => {
                            i.get("id").and_then(Value::as_str).map(str::to_owned)
                        }
                        _ => None,
                    };
                    if let (Some(issuer), Some(proof)) = (issuer, m.get("proof")) {
                        let proofs = match proof {
                            Value::Array(a) => a.clone(),
                            one => vec![one.clone()],
                        };
                        for p in proofs {
                            if let Some(vm) = p.get("verificationMethod") {
                                found.push((issuer.clone(), vm.clone()));
                            }
                        }
                    }
                    m.values().for_each(|v| walk(v, found));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, found)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        walk(doc, &mut found);
        for (issuer, vm) in found {
            if !issuer.starts_with("http") {
                continue;
            }
            let mut profile = self
                .body(&issuer)
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .unwrap_or_else(|| json!({"id": issuer, "type": "Profile", "assertionMethod": []}));
            profile["assertionMethod"].as_array_mut().unwrap().push(vm);
            self = self.serve_json(&issuer, &profile);
        }
        self
    }

    fn listing(self, issuer: &str, entry: Value) -> World {
        self.serve_json(
            issuer,
            &json!({"id": issuer, "type": "Profile", "assertionMethod": [entry]}),
        )
    }

    fn serve_json(self, url: &str, body: &Value) -> World {
        self.serve(url, 200, body.to_string())
    }

    fn serve_status(self, url: &str, status: u16) -> World {
        self.serve(url, status, "not here")
    }
}

// ---------------------------------------------------------------------------
// Helpers

fn check<'a>(report: &'a Report, id: &str) -> &'a Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {}", describe(report)))
}

fn status_of(report: &Report, id: &str) -> CheckStatus {
    check(report, id).status
}

fn describe(report: &Report) -> String {
    let mut s = format!("{:?}", report.status);
    for c in &report.checks {
        s.push_str(&format!("\n  {} {:?}: {}", c.id, c.status, c.message));
        if let Some(d) = &c.detail {
            s.push_str(&format!("\n      {}", d.replace('\n', "\n      ")));
        }
    }
    s
}

/// Verifies JSON text (a credential) in `world`.
fn verify_json(doc: &Value, world: &World) -> Report {
    verify_inspection(
        &inspect(doc.to_string().as_bytes()).unwrap(),
        world,
        &opts(),
    )
}

/// `verify`, but a Verifiable Credential without an Open Badges context (which
/// detection gives no OB version, so `verify` routes it away from the OB 3.0
/// verifier) is checked as OB 3.0, so the OB 3.0 checks can be asserted on it.
fn verify_inspection(inspection: &Inspection, world: &World, opts: &Options) -> Report {
    let mut found = inspection.clone();
    if found.version.is_none() && found.vcdm.is_some() {
        found.version = Some(Version::V3_0);
    }
    verify(&found, world, opts)
}

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&unhex(TEST_SEED_HEX).try_into().unwrap())
}

/// Adds an `eddsa-rdfc-2022` proof made with the test key under verification method `vm`.
fn sign(cred: Value, vm: &str) -> Value {
    crate::key_binding::sign_di(cred, vm, &signing_key())
}

/// [`sign`] for documents Satchel may refuse to canonicalize: the proof is
/// made over a placeholder when canonicalization fails.
fn sign_unchecked(cred: Value, vm: &str) -> Value {
    let proof = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-01-01T00:00:00Z", "verificationMethod": vm, "proofPurpose": "assertionMethod"});
    match hash_data(&cred, &proof) {
        Ok(_) => sign(cred, vm),
        Err(_) => {
            let mut cred = cred;
            let mut proof = proof;
            proof["proofValue"] = json!(format!("z{}", bs58::encode([7u8; 64]).into_string()));
            cred["proof"] = proof;
            cred
        }
    }
}

/// A VCDM 2.0 OpenBadgeCredential from `issuer`.
fn badge(issuer: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:0b3c6a5e-2c49-4b1a-9d8e-5f7b0a1c2d3e",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Test Guild"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Rust Ranger",
        "credentialSubject": {
            "id": "did:example:ada",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://issuer.example/achievements/rust",
                "type": ["Achievement"],
                "name": "Rust Ranger",
                "description": "Wrote safe systems code.",
                "criteria": {"narrative": "Ship a crate."}
            }
        }
    })
}

const ISSUER: &str = "https://issuer.example/profile";

/// The profile of `issuer`, listing the test key in the 1EdTech fragment form.
fn issuer_profile(issuer: &str) -> Value {
    json!({"id": issuer, "type": "Profile", "name": "Test Guild",
           "assertionMethod": [fragment_vm(issuer)]})
}

fn fragment_vm(issuer: &str) -> String {
    format!("{issuer}#{TEST_KEY}")
}

fn jws(header: &Value, payload: &Value, sign_with: Option<&SigningKey>) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    );
    let sig = sign_with
        .map(|k| URL_SAFE_NO_PAD.encode(k.sign(input.as_bytes()).to_bytes()))
        .unwrap_or_default();
    format!("{input}.{sig}")
}

fn verify_text(text: &str, world: &World) -> Report {
    verify(&inspect(text.as_bytes()).unwrap(), world, &opts())
}

// ---------------------------------------------------------------------------
// Test vectors

#[test]
fn ob3_test_vector_is_reproduced_byte_for_byte() {
    let Some(root) = support::corpus() else {
        return;
    };
    let dir = "ob3/test-vectors/ob3-eddsa-rdfc-2022";
    let cred = json_file(&root, &format!("{dir}/signed-credential.json"));
    let vectors = json_file(&root, &format!("{dir}/vectors.json"));
    let proof = match &cred["proof"] {
        Value::Array(all) => &all[0],
        one => one,
    };
    let h = hash_data(&cred, proof).unwrap();
    assert_eq!(
        h.canonical_document,
        read(&root, &format!("{dir}/document-canon.nq"))
    );
    assert_eq!(
        h.canonical_proof,
        read(&root, &format!("{dir}/proof-canon.nq"))
    );
    assert_eq!(
        hex(&h.document_hash),
        vectors["documentHashHex"].as_str().unwrap()
    );
    assert_eq!(
        hex(&h.proof_hash),
        vectors["proofHashHex"].as_str().unwrap()
    );
    // Proof hash first.
    assert_eq!(
        hex(&h.signed_bytes()),
        vectors["dataToSignHex"].as_str().unwrap()
    );
    // Ed25519 is deterministic: the test key reproduces the published signature.
    let key = SigningKey::from_bytes(
        &unhex(&vectors["privateKeyHex"].as_str().unwrap()[..64])
            .try_into()
            .unwrap(),
    );
    assert_eq!(
        hex(key.verifying_key().as_bytes()),
        vectors["publicKeyHex"].as_str().unwrap()
    );
    let signature = key.sign(&h.signed_bytes()).to_bytes();
    assert_eq!(hex(&signature), vectors["signatureHex"].as_str().unwrap());
    let proof_value = format!("z{}", bs58::encode(signature).into_string());
    assert_eq!(proof_value, vectors["proofValue"].as_str().unwrap());
    assert_eq!(proof_value, proof["proofValue"].as_str().unwrap());
    let report = verify_json(&cred, &corpus_world(None).vouching(&cred));
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
}

#[test]
fn clr2_test_vector_is_canonical() {
    // The CLR vector's source credential is not in the corpus (its inner
    // credential differs from clr2/1edtech-validator/simple.json), so check
    // that its N-Quads are a fixed point of canonicalization, and that its
    // proof configuration is the OB 3.0 vector's, byte for byte.
    let Some(root) = support::corpus() else {
        return;
    };
    let dir = "ob3/test-vectors/clr2-eddsa-rdfc-2022";
    let document = read(&root, &format!("{dir}/document-canon.nq"));
    let quads = oxttl::NQuadsParser::new()
        .for_reader(document.as_bytes())
        .map(Result::unwrap);
    let dataset = oxrdf::Dataset::from_iter(quads);
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(2_000),
    };
    assert_eq!(
        rdf_canon::canonicalize_with::<sha2_010::Sha256>(&dataset, &options).unwrap(),
        document
    );
    let ob3 = json_file(
        &root,
        "ob3/test-vectors/ob3-eddsa-rdfc-2022/signed-credential.json",
    );
    let proof = match &ob3["proof"] {
        Value::Array(all) => all[0].clone(),
        one => one.clone(),
    };
    assert_eq!(
        hash_data(&ob3, &proof).unwrap().canonical_proof,
        read(&root, &format!("{dir}/proof-canon.nq"))
    );
    // The CLR 2.0 sample of the validator canonicalizes and verifies.
    let clr = json_file(&root, "clr2/1edtech-validator/simple.json");
    assert_eq!(
        verify_json(&clr, &corpus_world(None).vouching(&clr)).status,
        Verified
    );
    // Without the issuers' profiles the keys cannot be confirmed.
    assert_eq!(verify_json(&clr, &corpus_world(None)).status, Unverifiable);
}

#[test]
fn w3c_test_vectors_are_reproduced_byte_for_byte() {
    let Some(root) = support::corpus() else {
        return;
    };
    let dir = "ob3/test-vectors/w3c-vc-di-eddsa";
    for (suite, tag) in [
        ("eddsa-rdfc-2022", "DataInt"),
        ("Ed25519Signature2020", "EdSig"),
    ] {
        let cred = json_file(&root, &format!("{dir}/{suite}/signed{tag}.json"));
        let h = hash_data(&cred, &cred["proof"]).unwrap();
        let file = |name: &str| read(&root, &format!("{dir}/{suite}/{name}{tag}.txt"));
        assert_eq!(h.canonical_document, file("canonDoc"), "{suite}");
        assert_eq!(h.canonical_proof, file("proofCanon"), "{suite}");
        assert_eq!(
            hex(&h.signed_bytes()),
            file("combinedHash").trim(),
            "{suite}"
        );
        assert_eq!(
            cred["proof"]["proofValue"].as_str().unwrap(),
            file("sigBTC58").trim(),
            "{suite}"
        );
        if suite == "eddsa-rdfc-2022" {
            assert_eq!(hex(&h.document_hash), file("docHash").trim());
            assert_eq!(hex(&h.proof_hash), file("proofHash").trim());
        }
        // The proof configuration as published is what Satchel canonicalizes.
        let config = json_file(&root, &format!("{dir}/{suite}/proofConfig{tag}.json"));
        assert_eq!(canonicalize(&config).unwrap(), h.canonical_proof, "{suite}");
        assert_eq!(
            hex(&Sha256::digest(h.canonical_proof.as_bytes())),
            hex(&h.proof_hash)
        );
        let report = verify_inspection(
            &inspect(read(&root, &format!("{dir}/{suite}/signed{tag}.json")).as_bytes()).unwrap(),
            &corpus_world(None),
            &opts(),
        );
        assert_eq!(
            status_of(&report, "proof"),
            CheckStatus::Pass,
            "{suite}: {}",
            describe(&report)
        );
    }
}

/// The one signer (`data_integrity::sign_eddsa_rdfc_2022`) reproduces the
/// W3C vc-di-eddsa `eddsa-rdfc-2022` example byte for byte from its unsigned
/// credential and published test key, and its output passes the verifier.
#[test]
fn the_signer_reproduces_the_w3c_eddsa_rdfc_2022_vector() {
    let Some(root) = support::corpus() else {
        return;
    };
    let dir = "ob3/test-vectors/w3c-vc-di-eddsa";
    let pair = json_file(&root, &format!("{dir}/keyPair.json"));
    let private = bs58::decode(&pair["privateKeyMultibase"].as_str().unwrap()[1..])
        .into_vec()
        .unwrap();
    // Multicodec ed25519-priv (0x8026), then the 32-byte seed.
    assert_eq!(&private[..2], &[0x80, 0x26]);
    let key = SigningKey::from_bytes(&private[2..].try_into().unwrap());
    let unsigned = json_file(&root, &format!("{dir}/unsigned.json"));
    let published = json_file(&root, &format!("{dir}/eddsa-rdfc-2022/signedDataInt.json"));
    let mut options = published["proof"].clone();
    options.as_object_mut().unwrap().remove("proofValue");
    let signed = sign_eddsa_rdfc_2022(&unsigned, &options, &key).unwrap();
    assert_eq!(
        signed["proof"]["proofValue"],
        read(&root, &format!("{dir}/eddsa-rdfc-2022/sigBTC58DataInt.txt")).trim()
    );
    assert_eq!(signed, published);
    let report = verify_inspection(
        &inspect(signed.to_string().as_bytes()).unwrap(),
        &World::new(),
        &opts(),
    );
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Pass,
        "{}",
        describe(&report)
    );
    // A proof over other content does not verify.
    let mut tampered = signed.clone();
    tampered["credentialSubject"]["id"] = json!("did:example:someone-else");
    let report = verify_inspection(
        &inspect(tampered.to_string().as_bytes()).unwrap(),
        &World::new(),
        &opts(),
    );
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
}

#[test]
fn canonicalization_escapes_control_characters_as_rdfc_requires() {
    let doc = json!({"@context": {"name": "https://schema.org/name"}, "@id": "urn:x",
        "name": "tab\there\u{1}\u{7f} \"quoted\" back\\slash\nnew"});
    assert_eq!(
        canonicalize(&doc).unwrap(),
        "<urn:x> <https://schema.org/name> \"tab\\there\\u0001\\u007F \\\"quoted\\\" back\\\\slash\\nnew\" .\n"
    );
}

// ---------------------------------------------------------------------------
// Every fixture, against SOURCES.md

/// What SOURCES.md says of a fixture, as Satchel reports it.
#[derive(Clone, Copy, Debug)]
enum Want {
    /// This verdict.
    Is(Verdict),
    /// This verdict, with this check in this state.
    With(Verdict, &'static str, CheckStatus),
    /// Not a badge: inspection refuses it.
    NotABadge,
}

use CheckStatus::{Fail, Pass, Skip, Warn};
use Verdict::{Expired, Invalid, Revoked, Suspended, Unverifiable, Verified};
use Want::{Is, NotABadge, With};

/// Every OB 3.0 / CLR 2.0 credential, JWT and image of the corpus (the
/// schemas, test-vector intermediates, DID documents and status lists
/// themselves are covered elsewhere in this file).
const FIXTURES: &[(&str, Want)] = &[
    // 1EdTech validator samples.
    // The 1EdTech validator (and SOURCES.md) call the samples below valid: it
    // takes a key written in the issuer URL's fragment, or a did:web it
    // resolves, as the issuer's without asking the issuer. Satchel asks the
    // issuer's own profile or DID document, which is not in the corpus: the
    // signature is intact, but the key cannot be confirmed (could not check).
    ("ob3/1edtech-validator/bit-string-list/credential-status-revoked-blank-nodes.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/bit-string-list/credential-status-revoked.json", With(Unverifiable, "proof.issuer", Skip)),
    // Its 1EdTechRevocationList is not in the corpus: offline the status cannot be checked.
    ("ob3/1edtech-validator/complete.json", With(Unverifiable, "proof", Pass)),
    // Safe mode: `JsonSchemaValidator2018` is defined by no context (upstream: an error too).
    ("ob3/1edtech-validator/complete_v1.json", With(Invalid, "proof", Fail)),
    // did:web key and revocation list are remote: offline, unverifiable (online: revoked).
    ("ob3/1edtech-validator/credential-status-revoked.json", With(Unverifiable, "proof", Skip)),
    ("ob3/1edtech-validator/endorsement-err-schema-status-refresh.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/endorsement-valid.json", With(Unverifiable, "proof.issuer", Skip)),
    // ecdsa-sd-2023, a selectively disclosed credential (SOURCES.md: valid; its signature verifies).
    ("ob3/1edtech-validator/sd/derivedcredential.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-context-alias.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-context-version.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-did-key-method.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-did-web-method.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-eddsa-2022.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-err-context.json", With(Invalid, "context", Fail)),
    ("ob3/1edtech-validator/simple-err-credential-subject-achievement-result-description-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-credential-subject-identifier-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-credential-subject-profile-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-credential-subject-result-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-credential-subject-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-evidence-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-expired.json", With(Expired, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-err-issued.json", With(Invalid, "dates.start", Fail)),
    ("ob3/1edtech-validator/simple-err-issuer-otheridentifier-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-issuer-parentorg-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-issuer-type.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-issuer.json", With(Invalid, "schema", Fail)),
    ("ob3/1edtech-validator/simple-err-proof-method-no-scheme.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple-err-proof-method-unknown-did-method.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple-err-proof-method-unknown-scheme.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple-err-proof-method.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple-err-proof-value.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple-err-type.json", With(Invalid, "type", Fail)),
    ("ob3/1edtech-validator/simple-json.png", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-json.svg", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-jwt.png", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-jwt.svg", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-jwt_v1.png", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-jwt_v1.svg", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-multiple-proofs.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple-noproof.json", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple.1ob", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/simple.json", With(Unverifiable, "proof.issuer", Skip)),
    // Neither jwk nor kid: no key can ever be found.
    ("ob3/1edtech-validator/simple.jwt", With(Invalid, "proof", Fail)),
    ("ob3/1edtech-validator/simple_v1.json", With(Unverifiable, "proof.issuer", Skip)),
    ("ob3/1edtech-validator/velocity.jwt", With(Invalid, "proof", Fail)),
    // Digital Credentials Consortium fixtures.
    (
        "ob3/dcc-vc-test-fixtures/v1/bothSignatureTypes/didKey/legacy-noStatus-noExpiry.json",
        With(Verified, "data-model", Warn),
    ),
    ("ob3/dcc-vc-test-fixtures/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json", Is(Verified)),
    (
        "ob3/dcc-vc-test-fixtures/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.json",
        With(Verified, "status", Pass),
    ),
    ("ob3/dcc-vc-test-fixtures/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.qr.svg", NotABadge),
    ("ob3/dcc-vc-test-fixtures/v1/ed25519/didKey/legacy-noStatus-expired.json", With(Expired, "proof", Pass)),
    (
        "ob3/dcc-vc-test-fixtures/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json",
        With(Invalid, "proof", Pass),
    ),
    ("ob3/dcc-vc-test-fixtures/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-OBSpecExample.json", Is(Verified)),
    (
        "ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-achievementTypeExample.json",
        Is(Verified),
    ),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-basicOBv3.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json", Is(Verified)),
    // Signature valid, but not an OpenBadgeCredential.
    (
        "ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-minimal.json",
        With(Invalid, "proof", Pass),
    ),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-notExpired-withSchema.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json", With(Revoked, "status", Fail)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json", Is(Verified)),
    (
        "ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-notYetValid.json",
        With(Invalid, "dates.start", Fail),
    ),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/twoOIDF-revoked-notExpired-badSchema.json", With(Revoked, "status", Fail)),
    ("ob3/dcc-vc-test-fixtures/v2/dataIntegrityProof/didKey/twoOIDF-validStatus-expired.json", With(Expired, "status", Pass)),
    // Plain VCs (not badges) whose status list is expired / untyped / not yet valid / tampered.
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-expiredStatus-noExpiry.json", With(Invalid, "status", Skip)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-missingTypeStatus-noExpiry.json", With(Invalid, "status", Fail)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-expired.json", With(Expired, "proof", Pass)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry-tampered.json", With(Invalid, "proof", Fail)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry.json", Is(Verified)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-notYetValidStatus-noExpiry.json", With(Invalid, "status", Skip)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-tamperedStatus-noExpiry.json", With(Invalid, "status", Fail)),
    // did:web that does not resolve: could not check.
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didWeb/badDidWeb.json", With(Unverifiable, "proof", Skip)),
    ("ob3/dcc-vc-test-fixtures/v2/ed25519/didWeb/oidf-noStatus-notExpired.json", Is(Verified)),
    // Unsigned spec examples: no proof.
    ("ob3/spec-examples/achievementAlignmentCase.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/achievementAlignmentCe.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/basicOpenBadgeCredential.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/docformat-sample.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/endorsement.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/fullOpenBadge.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/skillAssertionCase.json", With(Invalid, "proof", Fail)),
    ("ob3/spec-examples/skillAssertionCtdl.json", With(Invalid, "proof", Fail)),
    // The test vector's issuer profile is not published: the key in its
    // fragment cannot be confirmed (its hashes and signature are checked byte
    // for byte above).
    ("ob3/test-vectors/ob3-eddsa-rdfc-2022/signed-credential.json", With(Unverifiable, "proof.issuer", Skip)),
    // CLR 2.0 (1EdTech samples: keys in the issuer URL's fragment, as above).
    ("clr2/1edtech-validator/complex.json", With(Unverifiable, "proof.issuer", Skip)),
    ("clr2/1edtech-validator/simple-noproof.json", With(Invalid, "proof", Fail)),
    ("clr2/1edtech-validator/simple.json", With(Unverifiable, "proof.issuer", Skip)),
    ("clr2/1edtech-validator/simple.jwt", With(Unverifiable, "proof.issuer", Skip)),
    // Needs an unbundled draft context: the outer proof cannot be checked; the
    // inner credential relies on an undefined type (safe mode).
    ("clr2/1edtech-validator/simple_old_safesigned.json", With(Invalid, "proof", Skip)),
    ("clr2/1edtech-validator/simple_v1.json", With(Unverifiable, "proof.issuer", Skip)),
];

#[test]
fn every_fixture_gets_the_verdict_sources_md_gives() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let mut wrong = Vec::new();
    for (rel, want) in FIXTURES {
        let found = inspect_path(&root.join(rel));
        let report = match (found, want) {
            (Err(_), NotABadge) => continue,
            (Err(e), _) => {
                wrong.push(format!("{rel}: not inspected: {e}"));
                continue;
            }
            (Ok(_), NotABadge) => {
                wrong.push(format!("{rel}: inspected, but it is not a badge"));
                continue;
            }
            (Ok(found), _) => verify_inspection(&found, &world, &opts()),
        };
        let (verdict, id, status) = match *want {
            Is(v) => (v, None, None),
            With(v, id, s) => (v, Some(id), Some(s)),
            NotABadge => continue,
        };
        let check_ok = id.is_none_or(|id| {
            report
                .checks
                .iter()
                .any(|c| c.id == id && Some(c.status) == status)
        });
        if report.status != verdict || !check_ok {
            wrong.push(format!("{rel}: want {want:?}, got {}", describe(&report)));
        }
        // Every report is plain language: no empty messages, one sentence each.
        for c in &report.checks {
            assert!(
                !c.message.is_empty() && c.message.ends_with(['.', '!', ')']),
                "{rel}: {c:?}"
            );
        }
    }
    assert!(
        wrong.is_empty(),
        "{} fixture(s) wrong:\n{}",
        wrong.len(),
        wrong.join("\n\n")
    );
}

#[test]
fn every_ob3_and_clr2_credential_in_the_corpus_is_in_the_table() {
    let Some(root) = support::corpus() else {
        return;
    };
    let mut missing = Vec::new();
    for dir in ["ob3", "clr2"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let rel = p
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let covered_elsewhere = rel.starts_with("ob3/schemas/")
                    || rel.starts_with(&format!("{DCC}/dids/"))
                    || rel.starts_with(&format!("{DCC}/statusLists/"))
                    || rel.ends_with("bit-string-list/testlist")
                    || (rel.starts_with("ob3/test-vectors/")
                        && !rel.ends_with("signed-credential.json"));
                if !covered_elsewhere && !FIXTURES.iter().any(|(f, _)| *f == rel) {
                    missing.push(rel);
                }
            }
        }
    }
    assert!(missing.is_empty(), "not in FIXTURES: {missing:?}");
}

#[test]
fn status_list_credentials_verify_as_credentials() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let list = |name: &str| {
        let i = inspect_path(&root.join(format!("{DCC}/statusLists/{name}.json"))).unwrap();
        verify_inspection(&i, &world, &opts())
    };
    assert_eq!(status_of(&list("e5WK8CbZ1GjycuPombrj"), "proof"), Pass);
    assert_eq!(status_of(&list("missingBitStringType"), "proof"), Pass);
    let expired = list("expired");
    assert_eq!(status_of(&expired, "proof"), Pass);
    assert_eq!(status_of(&expired, "expiry"), Fail);
    assert_eq!(status_of(&list("notYetValid"), "dates.start"), Fail);
    assert_eq!(status_of(&list("tampered"), "proof"), Fail);
    let testlist =
        inspect_path(&root.join("ob3/1edtech-validator/bit-string-list/testlist")).unwrap();
    assert_eq!(
        status_of(&verify_inspection(&testlist, &world, &opts()), "proof"),
        Pass
    );
}

#[test]
fn status_list_failures_are_worded() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let run = |name: &str| {
        let i = inspect_path(&root.join(format!("{DCC}/v2/ed25519/didKey/{name}.json"))).unwrap();
        verify_inspection(&i, &world, &opts())
    };
    let expired = run("legacy-expiredStatus-noExpiry");
    assert!(
        check(&expired, "status")
            .message
            .contains("status list expired on 2021-01-09"),
        "{}",
        describe(&expired)
    );
    let not_yet = run("legacy-notYetValidStatus-noExpiry");
    assert!(
        check(&not_yet, "status")
            .message
            .contains("not valid until 3000-01-09"),
        "{}",
        describe(&not_yet)
    );
    let untyped = run("legacy-missingTypeStatus-noExpiry");
    assert!(check(&untyped, "status")
        .message
        .contains("not a BitstringStatusListCredential"));
    let tampered = run("legacy-tamperedStatus-noExpiry");
    assert!(check(&tampered, "status")
        .message
        .contains("changed after it was signed"));
    for r in [&expired, &not_yet, &untyped, &tampered] {
        assert!(!r.revoked);
        assert_eq!(
            status_of(r, "proof"),
            Pass,
            "the credentials themselves are intact"
        );
    }
}

#[test]
fn fixture_details_name_the_key_and_what_it_proves() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let run =
        |rel: &str| verify_inspection(&inspect_path(&root.join(rel)).unwrap(), &world, &opts());
    let did_key = run(&format!(
        "{DCC}/v2/ed25519/didKey/legacy-noStatus-noExpiry.json"
    ));
    let detail = check(&did_key, "proof").detail.clone().unwrap();
    assert!(detail.contains("did:key:z6MknNQD1WHL"), "{detail}");
    assert_eq!(
        status_of(&did_key, "proof.issuer"),
        Pass,
        "the issuer is that did:key"
    );
    assert!(check(&did_key, "proof.identity")
        .message
        .contains("identified only by a key (did:key), not by a web address"));
    let did_web = run(&format!(
        "{DCC}/v2/ed25519/didWeb/oidf-noStatus-notExpired.json"
    ));
    let detail = check(&did_web, "proof").detail.clone().unwrap();
    assert!(
        detail.contains("https://digitalcredentials.github.io/vc-test-fixtures/dids/oidf/did.json"),
        "{detail}"
    );
    assert!(
        did_web.checks.iter().all(|c| c.id != "proof.identity"),
        "a did:web key is the issuer's own"
    );
    let shortcut = run("ob3/1edtech-validator/simple.json");
    assert!(check(&shortcut, "proof")
        .detail
        .as_deref()
        .unwrap()
        .contains("fragment"));
    let jwt = run("ob3/1edtech-validator/simple-jwt.svg");
    assert!(check(&jwt, "proof")
        .detail
        .as_deref()
        .unwrap()
        .contains("RS256"));
    assert!(check(&jwt, "proof.jwt-claims")
        .detail
        .as_deref()
        .unwrap()
        .contains("no sub claim"));
    // A key in the JWT header proves integrity only: with no issuer profile
    // at hand it cannot be confirmed as the issuer's.
    assert_eq!(status_of(&jwt, "proof.issuer"), Skip);
    let revoked = run(&format!(
        "{DCC}/v2/dataIntegrityProof/didKey/noRegistry-revokedStatus-noExpiry.json"
    ));
    assert!(revoked.revoked);
    assert!(revoked.expired, "expired as well as revoked; revoked wins");
    // Endorsements are verified as credentials of their own.
    let endorsed = run(&format!(
        "{DCC}/v2/dataIntegrityProof/didKey/oidf-noStatus-notExpired-complexIssuer.json"
    ));
    assert!(
        endorsed
            .checks
            .iter()
            .any(|c| c.id.starts_with("endorsement.")),
        "{}",
        describe(&endorsed)
    );
}

#[test]
fn recipients_are_matched() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let i = inspect_path(&root.join("ob3/1edtech-validator/simple.json")).unwrap();
    let mine = Options {
        now: NOW,
        recipients: vec!["did:example:ebfeb1f712ebc6f1c276e12ec21".into()],
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    };
    let r = verify(&i, &world, &mine);
    assert_eq!(status_of(&r, "recipient"), Pass);
    assert_eq!(r.recipient_matched, Some(true));
    let theirs = Options {
        now: NOW,
        recipients: vec!["did:example:someone-else".into()],
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    };
    let r = verify(&i, &world, &theirs);
    assert_eq!(r.recipient_matched, Some(false));
    assert_eq!(status_of(&r, "recipient"), Fail);
    let named = inspect_path(&root.join(format!(
        "{DCC}/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json"
    )))
    .unwrap();
    let parker = Options {
        now: NOW,
        recipients: vec!["Parker Pearl".into()],
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    };
    assert_eq!(
        verify(&named, &world, &parker).recipient_matched,
        Some(true)
    );
}

// ---------------------------------------------------------------------------
// Tampering, safe mode, contexts

#[test]
fn an_edited_field_makes_the_badge_invalid() {
    let Some(root) = support::corpus() else {
        return;
    };
    let mut world = corpus_world(None);
    for rel in [
        "ob3/1edtech-validator/simple.json",
        "clr2/1edtech-validator/simple.json",
    ] {
        world = world.vouching(&json_file(&root, rel));
    }
    for rel in [
        "ob3/1edtech-validator/simple.json",
        "ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry.json",
        "clr2/1edtech-validator/simple.json",
    ] {
        let mut cred = json_file(&root, rel);
        assert_eq!(verify_json(&cred, &world).status, Verified, "{rel}");
        cred["name"] = json!("Something Else Entirely");
        let r = verify_json(&cred, &world);
        assert_eq!(r.status, Invalid, "{rel}: {}", describe(&r));
        assert!(
            check(&r, "proof")
                .message
                .contains("changed after it was signed"),
            "{rel}"
        );
    }
    let mut cred = json_file(&root, "ob3/1edtech-validator/simple.json");
    cred["validFrom"] = json!("2009-12-31T00:00:00Z");
    assert_eq!(verify_json(&cred, &world).status, Invalid);
}

#[test]
fn an_injected_undefined_term_makes_the_badge_invalid() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(None);
    for rel in [
        "ob3/1edtech-validator/simple.json",
        "ob3/dcc-vc-test-fixtures/v1/dataIntegrityProof/didKey/legacy-noStatus-noExpiry.json",
    ] {
        let mut cred = json_file(&root, rel);
        cred["credentialSubject"]["injectedUndefinedTerm"] = json!("not signed");
        let r = verify_json(&cred, &world);
        assert_eq!(r.status, Invalid, "{rel}: {}", describe(&r));
        let proof = check(&r, "proof");
        assert_eq!(proof.status, Fail);
        assert!(
            proof.message.contains("data its signature does not cover"),
            "{}",
            proof.message
        );
        assert!(
            proof.message.contains("injectedUndefinedTerm"),
            "{}",
            proof.message
        );
    }
    let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "VerifiableCredential", "sneaky": 1});
    assert!(matches!(canonicalize(&doc), Err(CanonError::Undefined(_))));
}

#[test]
fn an_unknown_context_is_unverifiable_and_never_fetched() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(None);
    let mut cred = json_file(&root, "ob3/1edtech-validator/simple.json");
    cred["@context"]
        .as_array_mut()
        .unwrap()
        .push(json!("https://contexts.example/unknown.jsonld"));
    let r = verify_json(&cred, &world);
    assert_eq!(r.status, Unverifiable, "{}", describe(&r));
    let proof = check(&r, "proof");
    assert_eq!(proof.status, Skip);
    assert!(proof.message.contains(
        "uses a JSON-LD context Satchel does not have: https://contexts.example/unknown.jsonld"
    ));
    assert!(
        world.requested().is_empty(),
        "contexts are never fetched: {:?}",
        world.requested()
    );
}

#[test]
fn proof_rules() {
    let world = corpus_world(None);
    let vm = fragment_vm(ISSUER);
    let good = sign(badge(ISSUER), &vm);
    assert_eq!(verify_json(&good, &world).status, Verified);
    // Another purpose.
    let mut other = good.clone();
    other["proof"]["proofPurpose"] = json!("authentication");
    assert_eq!(verify_json(&other, &world).status, Invalid);
    // Created in the future.
    let mut cred = badge(ISSUER);
    cred = {
        let mut proof = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
            "created": "2099-01-01T00:00:00Z", "verificationMethod": vm, "proofPurpose": "assertionMethod"});
        let h = hash_data(&cred, &proof).unwrap();
        proof["proofValue"] = json!(format!(
            "z{}",
            bs58::encode(signing_key().sign(&h.signed_bytes()).to_bytes()).into_string()
        ));
        cred["proof"] = proof;
        cred
    };
    let r = verify_json(&cred, &world);
    assert_eq!(r.status, Invalid);
    assert!(check(&r, "proof").message.contains("created in the future"));
    // A key whose controller is not the issuer.
    let stolen = sign(badge(ISSUER), &fragment_vm("https://someone.example/else"));
    let r = verify_json(&stolen, &world);
    assert_eq!(r.status, Invalid);
    assert!(
        check(&r, "proof").message.contains("not to the issuer"),
        "{}",
        describe(&r)
    );
    // Multiple proofs: an unknown one and a broken one do not spoil a valid one.
    let mut multi = good.clone();
    let mut broken = good["proof"].clone();
    broken["proofValue"] = json!("z3broken");
    multi["proof"] = json!([{"type": "SomeProofType", "proofPurpose": "assertionMethod"}, broken, good["proof"].clone()]);
    let r = verify_json(&multi, &world);
    assert_eq!(r.status, Verified, "{}", describe(&r));
    // Only unknown proof types: could not check.
    let mut unknown = good.clone();
    unknown["proof"] = json!({"type": "SomeProofType", "proofPurpose": "assertionMethod"});
    assert_eq!(verify_json(&unknown, &world).status, Unverifiable);
    // The old suite name still verifies (signed under it), with a warning.
    let mut old = badge(ISSUER);
    let mut proof = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-2022", "created": "2024-01-01T00:00:00Z",
        "verificationMethod": vm, "proofPurpose": "assertionMethod"});
    let h = hash_data(&old, &proof).unwrap();
    proof["proofValue"] = json!(format!(
        "z{}",
        bs58::encode(signing_key().sign(&h.signed_bytes()).to_bytes()).into_string()
    ));
    old["proof"] = proof;
    let r = verify_json(&old, &world);
    assert_eq!(r.status, Verified);
    assert_eq!(status_of(&r, "proof.suite"), Warn);
}

// ---------------------------------------------------------------------------
// Keys

fn did_document(did: &str, key_id: &str, listed: bool) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": key_id, "type": "Multikey", "controller": did, "publicKeyMultibase": TEST_KEY}],
        "assertionMethod": if listed { json!([key_id]) } else { json!([]) }
    })
}

#[test]
fn did_web_keys_are_fetched_with_ports_and_paths() {
    let did = "did:web:issuer.example%3A8443:badges";
    let key_id = format!("{did}#key-1");
    let cred = sign(badge(did), &key_id);
    let url = "https://issuer.example:8443/badges/did.json";
    let world = corpus_world(None).serve_json(url, &did_document(did, &key_id, true));
    let r = verify_json(&cred, &world);
    assert_eq!(r.status, Verified, "{}", describe(&r));
    assert!(check(&r, "proof").detail.as_deref().unwrap().contains(url));
    // Fetched to find the key, then asked whether it lists it (a caching
    // fetcher answers the second from the first).
    let mut fetched = world.requested();
    fetched.dedup();
    assert_eq!(fetched, vec![url.to_owned()]);
    // Unreachable: could not check.
    assert_eq!(verify_json(&cred, &corpus_world(None)).status, Unverifiable);
    // The document answers 404: could not check.
    assert_eq!(
        verify_json(&cred, &corpus_world(None).serve_status(url, 404)).status,
        Unverifiable
    );
    // The key is not an assertion key of the DID.
    let r = verify_json(
        &cred,
        &corpus_world(None).serve_json(url, &did_document(did, &key_id, false)),
    );
    assert_eq!(r.status, Invalid, "{}", describe(&r));
    // The document is another DID's.
    let r = verify_json(
        &cred,
        &corpus_world(None).serve_json(url, &did_document("did:web:evil.example", &key_id, true)),
    );
    assert_eq!(r.status, Invalid);
    // A bare host: /.well-known/did.json.
    let did = "did:web:issuer.example";
    let key_id = format!("{did}#{TEST_KEY}");
    let cred = sign(badge(did), &key_id);
    let world = corpus_world(None).serve_json(
        "https://issuer.example/.well-known/did.json",
        &did_document(did, &key_id, true),
    );
    assert_eq!(verify_json(&cred, &world).status, Verified);
}

#[test]
fn did_key_and_https_key_documents() {
    let world = corpus_world(None);
    let did = format!("did:key:{TEST_KEY}");
    for vm in [did.clone(), format!("{did}#{TEST_KEY}")] {
        let r = verify_json(&sign(badge(&did), &vm), &world);
        assert_eq!(r.status, Verified, "{vm}: {}", describe(&r));
        assert_eq!(status_of(&r, "proof.identity"), Warn);
    }
    // A did:key whose fragment names another key.
    let r = verify_json(
        &sign(
            badge(&did),
            &format!("{did}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
        ),
        &world,
    );
    assert_eq!(r.status, Invalid);
    // An https key document controlled by the issuer.
    let key_url = "https://issuer.example/keys/1";
    let doc = json!({"@context": "https://w3id.org/security/multikey/v1", "id": key_url, "type": "Multikey",
        "controller": ISSUER, "publicKeyMultibase": TEST_KEY});
    let cred = sign(badge(ISSUER), key_url);
    let r = verify_json(&cred, &corpus_world(None).serve_json(key_url, &doc));
    assert_eq!(r.status, Verified, "{}", describe(&r));
    assert!(r.checks.iter().all(|c| c.id != "proof.identity"));
    // Controlled by someone else.
    let mut theirs = doc.clone();
    theirs["controller"] = json!("https://someone.example/");
    assert_eq!(
        verify_json(&cred, &corpus_world(None).serve_json(key_url, &theirs)).status,
        Invalid
    );
    // A controller document listing the key.
    let controller = json!({"id": ISSUER, "verificationMethod": [{"id": format!("{ISSUER}#k"), "type": "Multikey",
        "controller": ISSUER, "publicKeyMultibase": TEST_KEY}], "assertionMethod": [format!("{ISSUER}#k")]});
    let cred = sign(badge(ISSUER), &format!("{ISSUER}#k"));
    assert_eq!(
        verify_json(&cred, &corpus_world(None).serve_json(ISSUER, &controller)).status,
        Verified
    );
    assert_eq!(verify_json(&cred, &bare_world(None)).status, Unverifiable);
    // The issuer's profile at hand, listing another key: invalid.
    assert_eq!(verify_json(&cred, &corpus_world(None)).status, Invalid);
}

// ---------------------------------------------------------------------------
// VC-JWT

fn jwt_claims(cred: &Value, v11: bool) -> Value {
    let mut claims = if v11 {
        json!({"vc": cred})
    } else {
        cred.clone()
    };
    claims["iss"] = cred["issuer"]["id"].clone();
    claims["jti"] = cred["id"].clone();
    claims["sub"] = cred["credentialSubject"]["id"].clone();
    claims["nbf"] = json!(1_704_067_200); // 2024-01-01
    claims
}

#[test]
fn vc_jwt_with_did_key_and_jwk() {
    let did = format!("did:key:{TEST_KEY}");
    let cred = badge(&did);
    let world = corpus_world(None);
    for v11 in [false, true] {
        let token = jws(
            &json!({"alg": "EdDSA", "typ": "JWT", "kid": format!("{did}#{TEST_KEY}")}),
            &jwt_claims(&cred, v11),
            Some(&signing_key()),
        );
        let r = verify_text(&token, &world);
        assert_eq!(r.status, Verified, "v11 {v11}: {}", describe(&r));
        assert_eq!(r.format, satchel::verify::BadgeFormat::VcJwt);
        assert_eq!(status_of(&r, "proof.jwt-claims"), Pass);
        assert_eq!(r.checks.iter().any(|c| c.id == "data-model"), v11);
    }
    let x = URL_SAFE_NO_PAD.encode(signing_key().verifying_key().as_bytes());
    let header = json!({"alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x}});
    let token = jws(&header, &jwt_claims(&cred, false), Some(&signing_key()));
    assert_eq!(verify_text(&token, &world).status, Verified);
    // A header jwk carrying the private key is refused.
    let d = URL_SAFE_NO_PAD.encode(signing_key().to_bytes());
    let header = json!({"alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x, "d": d}});
    let r = verify_text(
        &jws(&header, &jwt_claims(&cred, false), Some(&signing_key())),
        &world,
    );
    assert_eq!(r.status, Invalid);
    assert!(check(&r, "proof").message.contains("private key"));
}

#[test]
fn vc_jwt_refusals_and_tampering() {
    let Some(root) = support::corpus() else {
        return;
    };
    let found = inspect_path(&root.join("ob3/1edtech-validator/simple-jwt.svg")).unwrap();
    let token = found.payload.trim().to_owned();
    let parts: Vec<&str> = token.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    // The issuer's profile lists the RSA key the header carries.
    let issuer = claims["iss"]
        .as_str()
        .or(claims["vc"]["issuer"]["id"].as_str())
        .unwrap()
        .to_owned();
    let world = corpus_world(None).listing(
        &issuer,
        json!({"id": format!("{issuer}#rsa"), "type": "JsonWebKey2020", "publicKeyJwk": header["jwk"]}),
    );
    assert_eq!(verify_text(&token, &world).status, Verified);
    // alg none, no signature.
    let mut none = header.clone();
    none["alg"] = json!("none");
    let r = verify_text(
        &format!("{}.{}.", URL_SAFE_NO_PAD.encode(none.to_string()), parts[1]),
        &world,
    );
    assert_eq!(r.status, Invalid, "{}", describe(&r));
    assert!(check(&r, "proof").message.contains("none"));
    // HS256 "signed" with the public modulus as the secret.
    let mut hs = header.clone();
    hs["alg"] = json!("HS256");
    let forged = format!(
        "{}.{}.{}",
        URL_SAFE_NO_PAD.encode(hs.to_string()),
        parts[1],
        parts[2]
    );
    let r = verify_text(&forged, &world);
    assert_eq!(r.status, Invalid);
    assert!(check(&r, "proof").message.contains("HS256"));
    // A changed payload under the original signature.
    let mut edited = claims.clone();
    edited["name"] = json!("Forged Badge");
    let r = verify_text(
        &format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(edited.to_string()),
            parts[2]
        ),
        &world,
    );
    assert_eq!(r.status, Invalid);
    assert!(check(&r, "proof").message.contains("does not match"));
    // Claims that contradict the credential (signed by us, so only the claims are wrong).
    let did = format!("did:key:{TEST_KEY}");
    let mut claims = jwt_claims(&badge(&did), false);
    claims["iss"] = json!("https://impostor.example/");
    let r = verify_text(
        &jws(
            &json!({"alg": "EdDSA", "kid": did}),
            &claims,
            Some(&signing_key()),
        ),
        &world,
    );
    assert_eq!(r.status, Invalid);
    assert_eq!(status_of(&r, "proof.jwt-claims"), Fail);
    // nbf in the future: not valid yet.
    let mut cred = badge(&did);
    cred.as_object_mut().unwrap().remove("validFrom");
    let mut claims = jwt_claims(&cred, false);
    claims["nbf"] = json!(4_102_444_800_i64); // 2100
    let r = verify_text(
        &jws(
            &json!({"alg": "EdDSA", "kid": did}),
            &claims,
            Some(&signing_key()),
        ),
        &world,
    );
    assert_eq!(status_of(&r, "dates.start"), Fail, "{}", describe(&r));
    // An unresolvable kid: could not check.
    let r = verify_text(
        &jws(
            &json!({"alg": "EdDSA", "kid": "https://issuer.example/jwks.json#k1"}),
            &jwt_claims(&badge(ISSUER), false),
            Some(&signing_key()),
        ),
        &world,
    );
    assert_eq!(r.status, Unverifiable);
}

#[test]
fn vc_jwt_kid_from_a_jwk_set() {
    let x = URL_SAFE_NO_PAD.encode(signing_key().verifying_key().as_bytes());
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "k1"}]});
    let token = jws(
        &json!({"alg": "EdDSA", "kid": "https://issuer.example/jwks.json#k1"}),
        &jwt_claims(&badge(ISSUER), false),
        Some(&signing_key()),
    );
    let world = corpus_world(None).serve_json("https://issuer.example/jwks.json", &jwks);
    let r = verify_text(&token, &world);
    assert_eq!(r.status, Verified, "{}", describe(&r));
}

// ---------------------------------------------------------------------------
// Status

/// A signed badge with `status`; the contexts that define the status types are added.
fn with_status(status: Value) -> Value {
    let mut cred = badge(ISSUER);
    let contexts = cred["@context"].as_array_mut().unwrap();
    contexts.push(json!(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
    ));
    contexts.push(json!("https://w3id.org/vc/status-list/2021/v1"));
    cred["credentialStatus"] = status;
    sign(cred, &fragment_vm(ISSUER))
}

/// A signed status list credential with bits `set` of `size` bits.
fn status_list(url: &str, purpose: &str, set: &[usize], legacy: bool) -> Value {
    let mut bits = vec![0u8; 16 * 1024];
    for &i in set {
        bits[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, &bits).unwrap();
    let zipped = gz.finish().unwrap();
    let (contexts, list_type, subject_type, encoded) = if legacy {
        (
            json!([
                "https://www.w3.org/2018/credentials/v1",
                "https://w3id.org/vc/status-list/2021/v1",
                "https://w3id.org/security/data-integrity/v2"
            ]),
            "StatusList2021Credential",
            "StatusList2021",
            STANDARD.encode(&zipped),
        )
    } else {
        (
            json!(["https://www.w3.org/ns/credentials/v2"]),
            "BitstringStatusListCredential",
            "BitstringStatusList",
            format!("u{}", URL_SAFE_NO_PAD.encode(&zipped)),
        )
    };
    let mut list = json!({
        "@context": contexts,
        "id": url,
        "type": ["VerifiableCredential", list_type],
        "issuer": ISSUER,
        "credentialSubject": {"id": format!("{url}#list"), "type": subject_type, "statusPurpose": purpose, "encodedList": encoded}
    });
    if legacy {
        list["issuanceDate"] = json!("2024-01-01T00:00:00Z");
    } else {
        list["validFrom"] = json!("2024-01-01T00:00:00Z");
    }
    sign(list, &fragment_vm(ISSUER))
}

fn entry(url: &str, index: usize, purpose: &str, legacy: bool) -> Value {
    json!({"id": format!("{url}#{index}"), "type": if legacy { "StatusList2021Entry" } else { "BitstringStatusListEntry" },
        "statusPurpose": purpose, "statusListIndex": index.to_string(), "statusListCredential": url})
}

#[test]
fn revocation_lists() {
    let list_url = "https://issuer.example/revocations";
    let cred = with_status(json!({"id": list_url, "type": "1EdTechRevocationList"}));
    let id = cred["id"].as_str().unwrap();
    let listed = json!({"revokedCredential": [{"id": id, "revocationReason": "Issued in error"}]});
    let r = verify_json(&cred, &corpus_world(None).serve_json(list_url, &listed));
    assert_eq!(r.status, Revoked, "{}", describe(&r));
    assert!(check(&r, "status").message.contains("Issued in error"));
    let unrevoked =
        json!({"revokedCredential": [{"id": id, "revoked": false}, {"id": "urn:other"}]});
    assert_eq!(
        verify_json(&cred, &corpus_world(None).serve_json(list_url, &unrevoked)).status,
        Verified
    );
    assert_eq!(verify_json(&cred, &corpus_world(None)).status, Unverifiable);
    assert_eq!(
        verify_json(&cred, &corpus_world(None).serve_status(list_url, 500)).status,
        Unverifiable
    );
}

#[test]
fn bitstring_and_status_list_2021() {
    let url = "https://issuer.example/status/1";
    for legacy in [false, true] {
        let world = || {
            corpus_world(None).serve_json(url, &status_list(url, "revocation", &[5, 42], legacy))
        };
        let r = verify_json(&with_status(entry(url, 42, "revocation", legacy)), &world());
        assert_eq!(r.status, Revoked, "legacy {legacy}: {}", describe(&r));
        let r = verify_json(&with_status(entry(url, 41, "revocation", legacy)), &world());
        assert_eq!(r.status, Verified, "legacy {legacy}: {}", describe(&r));
        // Outside the list.
        let r = verify_json(
            &with_status(entry(url, 1_000_000, "revocation", legacy)),
            &world(),
        );
        assert_eq!(r.status, Invalid);
        // The purposes differ.
        let r = verify_json(&with_status(entry(url, 42, "suspension", legacy)), &world());
        assert_eq!(r.status, Invalid);
    }
    // Suspension: suspended, neither revoked nor invalid.
    let world = corpus_world(None).serve_json(url, &status_list(url, "suspension", &[3], false));
    let r = verify_json(&with_status(entry(url, 3, "suspension", false)), &world);
    assert_eq!(r.status, Suspended, "{}", describe(&r));
    assert!(!r.revoked);
    assert!(check(&r, "status").message.contains("suspended"));
    let r = verify_json(&with_status(entry(url, 4, "suspension", false)), &world);
    assert_eq!(r.status, Verified, "{}", describe(&r));
    // A tampered list.
    let mut list = status_list(url, "revocation", &[], false);
    list["credentialSubject"]["encodedList"] =
        status_list(url, "revocation", &[42], false)["credentialSubject"]["encodedList"].clone();
    let r = verify_json(
        &with_status(entry(url, 42, "revocation", false)),
        &corpus_world(None).serve_json(url, &list),
    );
    assert_eq!(r.status, Invalid);
    assert!(!r.revoked);
    // Unknown status types are "status unknown", never a pass.
    let mut cred = badge(ISSUER);
    cred["@context"].as_array_mut().unwrap().push(json!({"VelocityRevocationListJan2021": "https://x.example/vocab#VelocityRevocationListJan2021"}));
    cred["credentialStatus"] =
        json!({"id": "https://x.example/s", "type": "VelocityRevocationListJan2021"});
    let r = verify_json(&sign(cred, &fragment_vm(ISSUER)), &corpus_world(None));
    assert_eq!(r.status, Unverifiable);
    assert!(check(&r, "status").message.contains("status is unknown"));
}

#[test]
fn a_suspension_beside_a_revocation_list() {
    let rev = "https://issuer.example/status/revocation";
    let sus = "https://issuer.example/status/suspension";
    let world = |revoked: &[usize], suspended: &[usize]| {
        corpus_world(None)
            .serve_json(rev, &status_list(rev, "revocation", revoked, false))
            .serve_json(sus, &status_list(sus, "suspension", suspended, false))
    };
    let cred = with_status(json!([
        entry(rev, 10, "revocation", false),
        entry(sus, 20, "suspension", false)
    ]));
    assert_eq!(verify_json(&cred, &world(&[], &[])).status, Verified);
    let r = verify_json(&cred, &world(&[], &[20]));
    assert_eq!(r.status, Suspended, "{}", describe(&r));
    assert_eq!(r.status.label(), "Suspended");
    // A revoked badge stays revoked, suspended or not.
    assert_eq!(verify_json(&cred, &world(&[10], &[20])).status, Revoked);
    // A failed check outranks the suspension: a tampered revocation list.
    let mut tampered = status_list(rev, "revocation", &[], false);
    tampered["credentialSubject"]["encodedList"] =
        status_list(rev, "revocation", &[10], false)["credentialSubject"]["encodedList"].clone();
    let w = corpus_world(None)
        .serve_json(rev, &tampered)
        .serve_json(sus, &status_list(sus, "suspension", &[20], false));
    let r = verify_json(&cred, &w);
    assert_eq!(r.status, Invalid, "{}", describe(&r));
    // An unreachable revocation list does not hide the suspension.
    let w = corpus_world(None).serve_json(sus, &status_list(sus, "suspension", &[20], false));
    assert_eq!(verify_json(&cred, &w).status, Suspended);
}

// ---------------------------------------------------------------------------
// Endorsements and CLRs

fn endorsement(issuer: &str, subject: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:e1e1e1e1-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Endorser"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Endorsement",
        "credentialSubject": {"id": subject, "type": ["EndorsementSubject"], "endorsementComment": "Good."}
    })
}

#[test]
fn endorsements_are_verified_as_credentials() {
    let endorser = "https://endorser.example/";
    let good = sign(
        endorsement(endorser, "https://issuer.example/achievements/rust"),
        &fragment_vm(endorser),
    );
    let mut bad = good.clone();
    bad["credentialSubject"]["endorsementComment"] = json!("Changed.");
    let mut cred = badge(ISSUER);
    cred["endorsement"] = json!([good.clone()]);
    cred["credentialSubject"]["achievement"]["endorsement"] = json!([bad]);
    let did = format!("did:key:{TEST_KEY}");
    let token = jws(
        &json!({"alg": "EdDSA", "kid": did}),
        &jwt_claims(&badge(&did), false),
        Some(&signing_key()),
    );
    cred["issuer"]["endorsementJwt"] = json!([token]);
    let r = verify_json(
        &sign(cred, &fragment_vm(ISSUER)),
        &corpus_world(None).listing(endorser, json!(fragment_vm(endorser))),
    );
    let statuses: Vec<CheckStatus> = (1..=3)
        .map(|i| status_of(&r, &format!("endorsement.{i}")))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Pass).count(),
        2,
        "{}",
        describe(&r)
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == Warn).count(),
        1,
        "{}",
        describe(&r)
    );
    // A broken endorsement is a warning about the endorsement, not about the badge.
    assert_eq!(r.status, Verified);
    // Endorsements are verified up to a budget.
    let mut many = badge(ISSUER);
    many["endorsement"] = json!(vec![good; 40]);
    let r = verify_json(&many, &corpus_world(None));
    assert!(
        check(&r, "endorsement")
            .message
            .contains("checked 32 of them"),
        "{}",
        describe(&r)
    );
    assert!(r.checks.iter().any(|c| c.id == "endorsement.32"));
    assert!(r.checks.iter().all(|c| c.id != "endorsement.33"));
}

#[test]
fn clr_credentials_report_their_own_proofs() {
    let inner = sign(badge(ISSUER), &fragment_vm(ISSUER));
    let mut tampered = inner.clone();
    tampered["name"] = json!("Changed");
    let clr = |credentials: Vec<Value>| {
        sign(
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2",
                    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
                    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                "id": "urn:uuid:c1c1c1c1-0000-4000-8000-000000000001",
                "type": ["VerifiableCredential", "ClrCredential"],
                "issuer": {"id": ISSUER, "type": ["Profile"], "name": "Test Guild"},
                "validFrom": "2024-01-01T00:00:00Z",
                "name": "Record",
                "credentialSubject": {"id": "did:example:ada", "type": ["ClrSubject"], "verifiableCredential": credentials}
            }),
            &fragment_vm(ISSUER),
        )
    };
    let r = verify_json(&clr(vec![inner.clone()]), &corpus_world(None));
    assert_eq!(r.status, Verified, "{}", describe(&r));
    assert_eq!(status_of(&r, "clr.credential.1"), Pass);
    let r = verify_json(&clr(vec![inner, tampered]), &corpus_world(None));
    assert_eq!(status_of(&r, "clr.credential.2"), Fail);
    assert_eq!(r.status, Invalid);
}

// ---------------------------------------------------------------------------
// Hostile input

#[test]
fn hostile_documents_are_bounded_and_never_panic() {
    let world = corpus_world(None);
    let vm = fragment_vm(ISSUER);
    // Poisoned blank-node graphs: cliques of indistinguishable blank nodes.
    // Canonicalization would try every ordering of a clique (n!); Satchel
    // refuses large ones ("too complex": could not check) and finishes small
    // ones quickly.
    let clique = |prefix: &str, n: usize| -> Vec<Value> {
        (0..n)
            .map(|i| {
                json!({"@id": format!("_:{prefix}{i}"), "knows":
                    (0..n).filter(|j| *j != i).map(|j| json!({"@id": format!("_:{prefix}{j}")})).collect::<Vec<_>>()})
            })
            .collect()
    };
    for (cliques, size, refused) in [
        (1, 3, false),
        (4, 3, false),
        (1, 6, true),
        (12, 6, true),
        (1, 7, true),
        (1, 40, true),
        (1, 120, true),
    ] {
        let mut cred = badge(ISSUER);
        cred["@context"].as_array_mut().unwrap().push(
            json!({"knows": "https://schema.org/knows", "graph": "https://schema.org/hasPart"}),
        );
        cred["graph"] = json!((0..cliques)
            .flat_map(|c| clique(&format!("c{c}n"), size))
            .collect::<Vec<_>>());
        let cred = sign_unchecked(cred, &vm);
        let start = Instant::now();
        let r = verify_json(&cred, &world);
        let took = start.elapsed();
        assert!(
            took < Duration::from_secs(20),
            "{cliques}×{size}: took {took:?}"
        );
        let proof = check(&r, "proof");
        if refused {
            assert_eq!(r.status, Unverifiable, "{cliques}×{size}: {}", describe(&r));
            assert!(
                proof.message.contains("too large or too complex"),
                "{}",
                proof.message
            );
        } else {
            assert_eq!(proof.status, Pass, "{cliques}×{size}: {}", describe(&r));
        }
    }
    // Deep nesting, odd shapes, wrong types everywhere: reports, no panics.
    let mut deep = json!("leaf");
    for _ in 0..100 {
        deep = json!({"credentialSubject": deep});
    }
    for doc in [
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": "OpenBadgeCredential", "proof": 5}),
        json!({"@context": 7, "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": [], "credentialSubject": "x", "proof": [null, "z", {"type": 3}]}),
        json!({"@context": ["https://www.w3.org/ns/credentials/v2", {"@import": "https://evil.example/c"}], "type": ["VerifiableCredential", "OpenBadgeCredential"], "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod", "proofValue": "z11", "verificationMethod": vm}}),
        json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": deep, "credentialStatus": [{"type": "BitstringStatusListEntry", "statusListIndex": "-1"}, {"type": "1EdTechRevocationList"}], "validFrom": "not a date", "validUntil": 12, "endorsement": [1, "x", {"endorsement": []}], "endorsementJwt": ["a.b.c", 5]}),
    ] {
        let text = doc.to_string();
        if let Ok(found) = inspect(text.as_bytes()) {
            let mut found = found;
            found.version = Some(Version::V3_0);
            let r = verify(&found, &world, &opts());
            assert!(!r.checks.is_empty());
            assert_ne!(r.status, Verified, "{}", describe(&r));
        }
    }
}

// ---------------------------------------------------------------------------
// Over loopback HTTP, with the real client

#[test]
fn loopback_status_list_key_document_and_revocation_list() {
    let server = TestServer::start(Vec::<(String, Route)>::new());
    let fetch = HttpFetch::new(NetPolicy {
        allow_private: true,
        ..NetPolicy::default()
    });
    let base = server.base();
    let issuer = format!("{base}/issuer");
    let key_url = format!("{base}/keys/1");
    server.set(
        "/keys/1",
        Route::json(json!({"id": key_url, "type": "Multikey", "controller": issuer, "publicKeyMultibase": TEST_KEY}).to_string()),
    );
    server.set(
        "/issuer",
        Route::json(
            json!({"id": issuer, "type": "Profile", "assertionMethod": [key_url]}).to_string(),
        ),
    );
    let list_url = format!("{base}/status/1");
    let mut list = status_list(&list_url, "revocation", &[7], false);
    list["issuer"] = json!(issuer);
    list.as_object_mut().unwrap().remove("proof");
    let list = sign(list, &key_url);
    server.set("/status/1", Route::json(list.to_string()));
    let make = |index: usize| {
        let mut cred = badge(&issuer);
        cred["credentialStatus"] = entry(&list_url, index, "revocation", false);
        sign(cred, &key_url)
    };
    let verify_real = |cred: &Value| {
        verify(
            &inspect(cred.to_string().as_bytes()).unwrap(),
            &fetch,
            &opts(),
        )
    };
    let r = verify_real(&make(7));
    assert_eq!(r.status, Revoked, "{}", describe(&r));
    assert!(
        r.checks.iter().all(|c| c.id != "proof.identity"),
        "the key document is the issuer's"
    );
    assert_eq!(verify_real(&make(8)).status, Verified);
    assert!(server.count("/keys/1") >= 1 && server.count("/status/1") >= 1);
    // The revocation list of 1EdTech.
    let revocations = format!("{base}/revocations");
    let mut cred = badge(&issuer);
    cred["@context"].as_array_mut().unwrap().push(json!(
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
    ));
    cred["credentialStatus"] = json!({"id": revocations, "type": "1EdTechRevocationList"});
    let cred = sign(cred, &key_url);
    server.set(
        "/revocations",
        Route::json(
            json!({"revokedCredential": [{"id": cred["id"], "revocationReason": "Cheating"}]})
                .to_string(),
        ),
    );
    let r = verify_real(&cred);
    assert_eq!(r.status, Revoked, "{}", describe(&r));
    // The status server goes away: could not check, never invalid.
    server.set("/revocations", Route::status(503));
    assert_eq!(verify_real(&cred).status, Unverifiable);
    server.set("/keys/1", Route::status(404));
    assert_eq!(verify_real(&make(8)).status, Unverifiable);
}

// ---------------------------------------------------------------------------
// The official JSON Schemas (bundled)

#[test]
fn json_schema_violations_are_warnings_that_say_where() {
    let world = corpus_world(None);
    // A well-formed signed badge matches the AchievementCredential schema.
    let good = verify_json(&sign(badge(ISSUER), &fragment_vm(ISSUER)), &world);
    let c = check(&good, "schema.json");
    assert_eq!(c.status, CheckStatus::Pass, "{}", describe(&good));
    assert!(c.message.contains("Open Badges 3.0 AchievementCredential"));

    // Signed with a schema violation (an achievementType outside the
    // vocabulary, a name that is a number): a warning naming the places, and
    // the badge still verifies (the signature covers what was issued).
    let mut odd = badge(ISSUER);
    odd["credentialSubject"]["achievement"]["achievementType"] = json!("Wizardry");
    odd["name"] = json!(42);
    let report = verify_json(&sign(odd, &fragment_vm(ISSUER)), &world);
    let c = check(&report, "schema.json");
    assert_eq!(c.status, CheckStatus::Warn, "{}", describe(&report));
    assert!(c.message.contains("/name"), "{}", c.message);
    let detail = c.detail.as_deref().unwrap();
    assert!(
        detail.contains("/credentialSubject/achievement/achievementType"),
        "{detail}"
    );
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    // A violation quoting a whole object is shortened, not dumped.
    assert!(c.message.chars().count() < 800, "{}", c.message);
}

#[test]
fn json_schema_follows_the_credential_class_and_runs_on_corpus_files() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    for (rel, status, names) in [
        (
            "ob3/spec-examples/basicOpenBadgeCredential.json",
            CheckStatus::Pass,
            "Open Badges 3.0 AchievementCredential",
        ),
        (
            "ob3/spec-examples/endorsement.json",
            CheckStatus::Pass,
            "Open Badges 3.0 EndorsementCredential",
        ),
        (
            "clr2/1edtech-validator/simple.json",
            CheckStatus::Pass,
            "CLR 2.0 ClrCredential",
        ),
        // The 1EdTech "wrong type" sample: the structural check fails it, and
        // the schema says where.
        (
            "ob3/1edtech-validator/simple-err-credential-subject-type.json",
            CheckStatus::Warn,
            "/credentialSubject/type",
        ),
        // Written to the VCDM 1.1 draft: the final schema asks for validFrom.
        (
            "ob3/1edtech-validator/simple_v1.json",
            CheckStatus::Warn,
            "\"validFrom\" is a required property",
        ),
    ] {
        let report = verify_inspection(&inspect_path(&root.join(rel)).unwrap(), &world, &opts());
        let c = check(&report, "schema.json");
        assert_eq!(c.status, status, "{rel}: {}", describe(&report));
        assert!(c.message.contains(names), "{rel}: {}", c.message);
    }
    // Nothing was fetched for a schema.
    assert!(world.requested().iter().all(|u| !u.contains("schema")));
}

#[test]
fn a_refresh_service_is_reported_in_plain_words_and_never_contacted() {
    let world = corpus_world(None);
    let mut cred = badge(ISSUER);
    cred["refreshService"] =
        json!({"id": "https://issuer.example/refresh/7", "type": "1EdTechCredentialRefresh"});
    // (Unsigned: the refresh service type is not in the bundled contexts, so
    // a Data Integrity proof over it could not be canonicalized; the check
    // does not depend on the proof.)
    let report = verify_json(&cred, &world);
    let c = check(&report, "refresh");
    assert_eq!(c.status, CheckStatus::Pass);
    assert_eq!(
        c.message,
        "The issuer offers an updated copy of this credential at https://issuer.example/refresh/7; Satchel checked the copy you have and did not contact that address."
    );
    assert!(c
        .detail
        .as_deref()
        .unwrap()
        .contains("1EdTechCredentialRefresh"));
    assert!(world.requested().iter().all(|u| !u.contains("refresh")));
    // Without one, no such check.
    let plain = verify_json(&sign(badge(ISSUER), &fragment_vm(ISSUER)), &world);
    assert!(plain.checks.iter().all(|c| c.id != "refresh"));
}

#[test]
fn w3c_eddsa_jcs_2022_vectors_are_reproduced_byte_for_byte() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/w3c-eddsa-jcs-2022");
    let file = |name: &str| read(&dir, name);
    let signed = file("signedJCS.json");
    let cred: Value = serde_json::from_str(&signed).unwrap();
    let h = hash_data_jcs(&cred, &cred["proof"]).unwrap();
    assert_eq!(h.canonical_document, file("canonDocJCS.txt").trim_end());
    assert_eq!(h.canonical_proof, file("proofCanonJCS.txt").trim_end());
    assert_eq!(hex(&h.document_hash), file("docHashJCS.txt").trim());
    assert_eq!(hex(&h.proof_hash), file("proofHashJCS.txt").trim());
    assert_eq!(hex(&h.signed_bytes()), file("combinedHashJCS.txt").trim());
    assert_eq!(
        cred["proof"]["proofValue"].as_str().unwrap(),
        file("sigBTC58JCS.txt").trim()
    );
    // The published credential verifies (its did:key resolves locally) …
    let world = corpus_world(None);
    let report = verify_inspection(&inspect(signed.as_bytes()).unwrap(), &world, &opts());
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Pass,
        "{}",
        describe(&report)
    );
    assert!(check(&report, "proof")
        .detail
        .as_deref()
        .unwrap()
        .contains("eddsa-jcs-2022"));
    // … and any change to it, even one JSON-LD would not see (a key order
    // change is not a change; a new member is), breaks the signature.
    let mut edited = cred.clone();
    edited["credentialSubject"]["alumniOf"] = json!("The School of Forgery");
    let report = verify_json(&edited, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    let mut extra = cred.clone();
    extra["undefinedTerm"] = json!("not in any context");
    let report = verify_json(&extra, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    // A proof whose @context is not the credential's.
    let mut other_ctx = cred.clone();
    other_ctx["proof"]["@context"] = json!(["https://www.w3.org/ns/credentials/examples/v2"]);
    let report = verify_json(&other_ctx, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    assert!(
        check(&report, "proof").message.contains("@context"),
        "{}",
        describe(&report)
    );
}

#[test]
fn w3c_ecdsa_rdfc_2019_p256_vectors_verify_with_a_p256_did_key() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/w3c-ecdsa-rdfc-2019-p256");
    let file = |name: &str| read(&dir, name);
    let signed = file("signedECDSAP256.json");
    let cred: Value = serde_json::from_str(&signed).unwrap();
    let h = hash_data(&cred, &cred["proof"]).unwrap();
    assert_eq!(h.canonical_document, file("canonDocECDSAP256.txt"));
    assert_eq!(h.canonical_proof, file("proofCanonECDSAP256.txt"));
    assert_eq!(hex(&h.document_hash), file("docHashECDSAP256.txt").trim());
    assert_eq!(hex(&h.proof_hash), file("proofHashECDSAP256.txt").trim());
    assert_eq!(
        hex(&h.signed_bytes()),
        file("combinedHashECDSAP256.txt").trim()
    );
    let world = corpus_world(None);
    let report = verify_inspection(&inspect(signed.as_bytes()).unwrap(), &world, &opts());
    let proof = check(&report, "proof");
    assert_eq!(proof.status, CheckStatus::Pass, "{}", describe(&report));
    assert!(proof.detail.as_deref().unwrap().contains("ecdsa-rdfc-2019"));
    assert!(proof.detail.as_deref().unwrap().contains("did:key:zDnaep"));
    // A changed claim breaks it.
    let mut edited = cred.clone();
    edited["credentialSubject"]["alumniOf"] = json!("The School of Forgery");
    let report = verify_json(&edited, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    // An Ed25519 key cannot make an ECDSA proof, and a P-256 key not an EdDSA one.
    let mut wrong_key = cred.clone();
    wrong_key["proof"]["verificationMethod"] = json!(format!("did:key:{TEST_KEY}#{TEST_KEY}"));
    let report = verify_json(&wrong_key, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    assert!(
        check(&report, "proof")
            .message
            .contains("not a P-256 or P-384 key"),
        "{}",
        describe(&report)
    );
    let mut wrong_suite = cred.clone();
    wrong_suite["proof"]["cryptosuite"] = json!("eddsa-rdfc-2022");
    let report = verify_json(&wrong_suite, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
    assert!(
        check(&report, "proof")
            .message
            .contains("not an Ed25519 key"),
        "{}",
        describe(&report)
    );
    // A damaged P-256 did:key is refused with a sentence.
    let mut bad_key = cred.clone();
    bad_key["proof"]["verificationMethod"] =
        json!("did:key:zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaY");
    let report = verify_json(&bad_key, &world);
    assert_eq!(
        status_of(&report, "proof"),
        CheckStatus::Fail,
        "{}",
        describe(&report)
    );
}

/// A selectively disclosed (`ecdsa-sd-2023`) credential verifies, and any
/// change to what it discloses, to its proof or to the key breaks it.
#[test]
fn selective_disclosure_proofs_verify_and_catch_every_change() {
    let Some(root) = support::corpus() else {
        return;
    };
    let world = corpus_world(Some(&root));
    let original: Value = serde_json::from_str(&read(
        &root,
        "ob3/1edtech-validator/sd/derivedcredential.json",
    ))
    .unwrap();
    let world = world.vouching(&original);
    let good = verify_json(&original, &world);
    assert_eq!(good.status, Verified, "{}", describe(&good));
    let proof = good.checks.iter().find(|c| c.id == "proof").unwrap();
    assert!(
        proof
            .detail
            .as_deref()
            .unwrap()
            .contains("selective disclosure"),
        "{proof:?}"
    );
    assert!(proof.message.contains("disclose"), "{proof:?}");

    let changed = |edit: &dyn Fn(&mut Value)| {
        let mut doc = original.clone();
        edit(&mut doc);
        verify_json(&doc, &world)
    };
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Edit)> = vec![
        // A disclosed value changed.
        (
            "a disclosed value",
            Box::new(|v| v["credentialSubject"]["achievement"]["name"] = json!("Leadership")),
        ),
        // A disclosed statement left out.
        (
            "a statement removed",
            Box::new(|v| {
                v["credentialSubject"]["achievement"]
                    .as_object_mut()
                    .unwrap()
                    .remove("description");
            }),
        ),
        // A statement added that the issuer never signed.
        (
            "a statement added",
            Box::new(|v| {
                v["credentialSubject"]["achievement"]["image"] =
                    json!({"id": "https://example.com/i.png", "type": "Image"})
            }),
        ),
        // The proof configuration changed (its hash is what the issuer signed).
        (
            "the proof's date",
            Box::new(|v| v["proof"][0]["created"] = json!("2011-01-01T19:23:24Z")),
        ),
        // Another (valid, freshly made) P-256 key in the fragment.
        (
            "another key",
            Box::new(|v| {
                v["proof"][0]["verificationMethod"] = json!(format!(
                    "https://1edtech.edu/issuers/565049#{}",
                    fresh_p256_multikey()
                ))
            }),
        ),
    ];
    for (what, edit) in cases {
        let report = changed(&*edit);
        assert_eq!(report.status, Invalid, "{what}: {}", describe(&report));
        assert_eq!(status_of(&report, "proof"), Fail, "{what}");
    }
    // The issuer's base proof is not for sharing: refused with a sentence.
    let base = changed(&|v| {
        use base64::Engine;
        let value = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([0xd9, 0x5d, 0x00, 0x85])
        );
        v["proof"][0]["proofValue"] = json!(value);
    });
    // What the issuer hands the holder is genuine but not checkable by others:
    // "could not check", never "invalid".
    assert_eq!(base.status, Unverifiable, "{}", describe(&base));
    let check = base.checks.iter().find(|c| c.id == "proof").unwrap();
    assert_eq!(check.status, Skip, "{check:?}");
    assert!(check.message.contains("base proof"), "{check:?}");
}

/// A new P-256 public key as a multikey (`zDn…`).
fn fresh_p256_multikey() -> String {
    use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).unwrap();
    crate::export::badges::ec_multikey(pair.public_key().as_ref(), [0x80, 0x24], 32)
}

/// The W3C vc-di-ecdsa vectors for P-384 over RDFC-1.0 and for
/// `ecdsa-jcs-2019` (P-256 and P-384): Satchel's canonical forms and hashes
/// are the published ones, the signed credentials verify with their did:key,
/// and a changed claim does not.
#[test]
fn w3c_ecdsa_p384_and_jcs_vectors_verify() {
    use sha2::{Digest, Sha256, Sha384};
    for (dir, jcs, p384, suffix) in [
        ("w3c-ecdsa-rdfc-2019-p384", false, true, "ECDSAP384"),
        ("w3c-ecdsa-jcs-2019-p256", true, false, "JCSECDSAP256"),
        ("w3c-ecdsa-jcs-2019-p384", true, true, "JCSECDSAP384"),
    ] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(dir);
        let file = |name: &str| read(&dir, &format!("{name}{suffix}.txt"));
        let signed = read(&dir, &format!("signed{suffix}.json"));
        let cred: Value = serde_json::from_str(&signed).unwrap();
        let h = if jcs {
            satchel::verify::proof::hash_data_jcs(&cred, &cred["proof"]).unwrap()
        } else {
            hash_data(&cred, &cred["proof"]).unwrap()
        };
        assert_eq!(h.canonical_document, file("canonDoc"), "{suffix}");
        assert_eq!(h.canonical_proof, file("proofCanon"), "{suffix}");
        let digest = |text: &str| {
            if p384 {
                hex(&Sha384::digest(text.as_bytes()))
            } else {
                hex(&Sha256::digest(text.as_bytes()))
            }
        };
        assert_eq!(
            digest(&h.canonical_document),
            file("docHash").trim(),
            "{suffix}"
        );
        assert_eq!(
            digest(&h.canonical_proof),
            file("proofHash").trim(),
            "{suffix}"
        );
        assert_eq!(
            format!(
                "{}{}",
                digest(&h.canonical_proof),
                digest(&h.canonical_document)
            ),
            file("combinedHash").trim(),
            "{suffix}"
        );
        let world = corpus_world(None);
        let report = verify_inspection(&inspect(signed.as_bytes()).unwrap(), &world, &opts());
        let proof = check(&report, "proof");
        assert_eq!(
            proof.status,
            CheckStatus::Pass,
            "{suffix}: {}",
            describe(&report)
        );
        let mut edited = cred.clone();
        edited["credentialSubject"]["alumniOf"] = json!("The School of Forgery");
        let report = verify_json(&edited, &world);
        assert_eq!(
            status_of(&report, "proof"),
            CheckStatus::Fail,
            "{suffix}: {}",
            describe(&report)
        );
        // The P-256 signature with the P-384 key's twin suite and vice
        // versa: a key of the other curve cannot make the proof.
        let mut other = cred.clone();
        let key = if p384 {
            "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP"
        } else {
            "z82LkuBieyGShVBhvtE2zoiD6Kma4tJGFtkAhxR5pfkp5QPw4LutoYWhvQCnGjdVn14kujQ"
        };
        other["proof"]["verificationMethod"] = json!(format!("did:key:{key}#{key}"));
        let report = verify_json(&other, &world);
        assert_eq!(
            status_of(&report, "proof"),
            CheckStatus::Fail,
            "{suffix}: {}",
            describe(&report)
        );
    }
}

/// `keys` encodes the published test key's public half as the vector's
/// multikey and did:key, and decodes it back (what a signer will publish).
#[test]
fn keys_encode_the_test_vectors_ed25519_key() {
    let public = signing_key().verifying_key().to_bytes();
    assert_eq!(satchel::keys::ed25519_multikey(&public), TEST_KEY);
    assert_eq!(
        satchel::keys::ed25519_did_key(&public),
        format!("did:key:{TEST_KEY}")
    );
}
