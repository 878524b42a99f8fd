//! Exporting a collection of 1,000 badges as share pages (issue 5: at most 2 s).
//!
//! `cargo bench --bench export` builds collections of 1,000 generated badges,
//! each verified first (not timed) against in-memory issuer documents, and
//! times `satchel::export::export_collection` into a fresh folder on disk:
//! rendering every page, computing the canonical N-Quads of each Data
//! Integrity credential for the in-browser check, writing every file and
//! renaming the folder into place. Five repetitions; the median and the range
//! are printed, and beside them the floor: the same files written with plain
//! `fs::write` on one thread, nothing rendered. Timings are measured, never
//! asserted. `SATCHEL_BENCH_DIR=/dev/shm` writes to memory (leaves the disk out).
//!
//! Collections:
//! - `mixed`: one third each of OB 2.0 EdDSA-signed badges baked in PNG, OB 2.0
//!   hosted badges baked in PNG, and OB 3.0 Data Integrity credentials (JSON);
//! - `ob2-signed-png`: 1,000 OB 2.0 signed PNG badges;
//! - `ob3-data-integrity`: 1,000 OB 3.0 Data Integrity credentials (the costly
//!   kind: each is canonicalized again for its page).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use satchel::export::{export_collection, ExportBadge, ExportCollection, ExportOptions};
use satchel::fetch::{Fetch, FetchError, Fetched, Source};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

const NOW: i64 = 1_735_689_600;
const ISSUER: &str = "https://issuer.test/issuer";
const KEY: &str = "https://issuer.test/key";

struct World {
    docs: HashMap<String, Vec<u8>>,
    log: Mutex<Vec<String>>,
}

impl Fetch for World {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        match self.docs.get(url) {
            Some(body) => {
                self.log.lock().unwrap().push(url.to_owned());
                Ok(Fetched {
                    url: url.to_owned(),
                    final_url: url.to_owned(),
                    status: 200,
                    content_type: Some("application/ld+json".to_owned()),
                    body: body.clone(),
                    fetched_at: NOW,
                    source: Source::Network,
                })
            }
            None => Err(FetchError::Unreachable {
                url: url.to_owned(),
                reason: "not in the bench world".to_owned(),
            }),
        }
    }
}

fn key() -> SigningKey {
    SigningKey::from_bytes(&[11u8; 32])
}

fn did_key() -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(key().verifying_key().as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// A 256×256 RGBA PNG (about the size of real badge images).
fn png_image(seed: u8) -> Vec<u8> {
    let (w, h) = (256u32, 256u32);
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    let mut data = vec![0u8; (w * h * 4) as usize];
    for (i, px) in data.chunks_mut(4).enumerate() {
        let (x, y) = (i as u32 % w, i as u32 / w);
        px.copy_from_slice(&[(x as u8) ^ seed, (y as u8).wrapping_add(seed), 128, 255]);
    }
    writer.write_image_data(&data).unwrap();
    drop(writer);
    out
}

fn world() -> World {
    let mut der = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    der.extend_from_slice(key().verifying_key().as_bytes());
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        STANDARD.encode(der)
    );
    let mut docs = HashMap::new();
    let mut serve = |u: &str, v: Value| {
        docs.insert(u.to_owned(), v.to_string().into_bytes());
    };
    serve(
        ISSUER,
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": ISSUER,
        "name": "Bench Guild", "url": "https://issuer.test", "email": "b@issuer.test",
        "publicKey": KEY, "revocationList": "https://issuer.test/revoked"}),
    );
    serve(
        KEY,
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
        "id": KEY, "owner": ISSUER, "publicKeyPem": pem}),
    );
    serve(
        "https://issuer.test/revoked",
        json!({"type": "RevocationList", "revokedAssertions": []}),
    );
    for k in 0..10 {
        serve(
            &format!("https://issuer.test/badges/{k}"),
            json!({"@context": "https://w3id.org/openbadges/v2",
            "type": "BadgeClass", "id": format!("https://issuer.test/badges/{k}"), "name": format!("Bench Badge {k}"),
            "description": "A badge for the export benchmark, with a description of a realistic length that spans a couple of lines.",
            "image": format!("https://issuer.test/badges/{k}.png"), "criteria": {"narrative": "Do the thing, then document it."},
            "issuer": ISSUER}),
        );
    }
    World {
        docs,
        log: Mutex::new(Vec::new()),
    }
}

fn assertion(n: usize, hosted: bool) -> Value {
    let id = if hosted {
        format!("https://issuer.test/assertions/{n}")
    } else {
        format!("urn:uuid:00000000-0000-4000-8000-{n:012}")
    };
    let verification = if hosted {
        json!({"type": "hosted"})
    } else {
        json!({"type": "SignedBadge", "creator": KEY})
    };
    json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": id,
        "recipient": {"type": "email", "hashed": true, "salt": "s", "identity": "sha256$0000000000000000000000000000000000000000000000000000000000000000"},
        "badge": format!("https://issuer.test/badges/{}", n % 10), "issuedOn": "2024-05-01T12:00:00Z",
        "verification": verification})
}

fn signed(n: usize) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"EdDSA"}"#),
        URL_SAFE_NO_PAD.encode(assertion(n, false).to_string())
    );
    format!(
        "{input}.{}",
        URL_SAFE_NO_PAD.encode(key().sign(input.as_bytes()).to_bytes())
    )
}

fn credential(n: usize) -> Value {
    let mut cred = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": format!("urn:uuid:10000000-0000-4000-8000-{n:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(), "type": ["Profile"], "name": "Bench Guild"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": format!("Bench Credential {n}"),
        "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
            "id": format!("https://issuer.test/achievements/{}", n % 10), "type": ["Achievement"],
            "name": format!("Bench Credential {n}"), "description": "A credential for the export benchmark.",
            "criteria": {"narrative": "Do the thing."}}}
    });
    let vm = format!("{}#{}", did_key(), &did_key()["did:key:".len()..]);
    let mut proof = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
        "created": "2024-01-01T00:00:00Z", "verificationMethod": vm, "proofPurpose": "assertionMethod"});
    let hashes = satchel::verify::proof::hash_data(&cred, &proof).unwrap();
    proof["proofValue"] = json!(format!(
        "z{}",
        bs58::encode(key().sign(&hashes.signed_bytes()).to_bytes()).into_string()
    ));
    cred["proof"] = proof;
    cred
}

fn badge(n: usize, kind: usize, images: &[Vec<u8>], w: &World) -> ExportBadge {
    let (original, name) = match kind {
        0 => (
            satchel::bake::bake(
                &images[n % images.len()],
                &signed(n),
                satchel::bake::Slot::OpenBadges,
            )
            .unwrap(),
            format!("badge-{n}.png"),
        ),
        1 => (
            satchel::bake::bake(
                &images[n % images.len()],
                &assertion(n, true).to_string(),
                satchel::bake::Slot::OpenBadges,
            )
            .unwrap(),
            format!("badge-{n}.png"),
        ),
        _ => (
            credential(n).to_string().into_bytes(),
            format!("credential-{n}.json"),
        ),
    };
    let inspection = satchel::inspect::inspect(&original).unwrap();
    w.log.lock().unwrap().clear();
    let report = satchel::verify::verify(
        &inspection,
        w,
        &satchel::verify::Options {
            now: NOW,
            recipients: vec![],
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    );
    let documents = w
        .log
        .lock()
        .unwrap()
        .iter()
        .map(|u| (u.clone(), w.docs[u].clone()))
        .collect();
    ExportBadge {
        id: format!("{n}"),
        original,
        original_name: Some(name),
        inspection,
        report,
        documents,
        image: None,
    }
}

/// The part of a Data Integrity export that is canonicalization: `hash_data`
/// (document and proof configuration to RDFC-1.0 N-Quads) over `n` credentials, one thread.
fn canonicalization_only(n: usize) {
    let creds: Vec<Value> = (0..n).map(credential).collect();
    let start = Instant::now();
    for c in &creds {
        let proof = &c["proof"];
        std::hint::black_box(satchel::verify::proof::hash_data(c, proof).unwrap());
    }
    let t = start.elapsed().as_secs_f64();
    println!(
        "{:20} {n} credentials: {:.3} s on one thread, {:.0} µs/credential",
        "hash_data only",
        t,
        t * 1e6 / n as f64
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(1000);
    let mut w = world();
    for (k, u) in (0..n).map(|k| (k, format!("https://issuer.test/assertions/{k}"))) {
        w.docs
            .insert(u, assertion(k, true).to_string().into_bytes());
    }
    let images: Vec<Vec<u8>> = (0..10u8).map(png_image).collect();
    canonicalization_only(n.min(300));
    let sets: Vec<(&str, Vec<usize>)> = vec![
        ("mixed", (0..n).map(|i| i % 3).collect()),
        ("ob2-signed-png", vec![0; n]),
        ("ob3-data-integrity", vec![2; n]),
    ];
    // SATCHEL_BENCH_DIR: where to write (e.g. /dev/shm to leave the disk out).
    let tmp = match std::env::var_os("SATCHEL_BENCH_DIR") {
        Some(d) => tempfile::tempdir_in(d).unwrap(),
        None => tempfile::tempdir().unwrap(),
    };
    println!(
        "export of {n} badges, {} threads available",
        std::thread::available_parallelism()
            .map(|p| p.get())
            .unwrap_or(1)
    );
    for (name, kinds) in sets {
        let badges: Vec<ExportBadge> = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| badge(i, *k, &images, &w))
            .collect();
        let bytes: usize = badges.iter().map(|b| b.original.len()).sum();
        let collection = ExportCollection {
            title: format!("Bench: {name}"),
            description: Some("A thousand badges.".to_owned()),
            badges,
        };
        let opts = ExportOptions {
            base_url: Some("https://bench.example/badges/".to_owned()),
            include_recipient_name: false,
            include_evidence: false,
            leave_out_originals: false,
            now: NOW,
        };
        let mut times = Vec::new();
        let mut floor = Vec::new();
        let mut files = 0;
        for rep in 0..5 {
            let out = tmp.path().join(format!("{name}-{rep}"));
            let start = Instant::now();
            let summary = export_collection(&collection, &opts, &out).unwrap();
            times.push(start.elapsed().as_secs_f64());
            files = summary.files.len();
            // The floor: writing the same files (same bytes, same folders) with
            // plain create_dir_all + fs::write on one thread, nothing rendered.
            let written: Vec<(std::path::PathBuf, Vec<u8>)> = summary
                .files
                .iter()
                .map(|f| (f.clone(), std::fs::read(out.join(f)).unwrap()))
                .collect();
            std::fs::remove_dir_all(&out).unwrap();
            let copy = tmp.path().join(format!("{name}-floor-{rep}"));
            let start = Instant::now();
            for (rel, bytes) in &written {
                let path = copy.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, bytes).unwrap();
            }
            floor.push(start.elapsed().as_secs_f64());
            std::fs::remove_dir_all(&copy).unwrap();
        }
        floor.sort_by(|a, b| a.partial_cmp(b).unwrap());
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "{name:20} {n} badges ({:.1} MB of originals), {files} files: median {:.3} s (min {:.3}, max {:.3}), {:.0} µs/badge; writing the same files alone: median {:.3} s",
            bytes as f64 / 1e6,
            times[2],
            times[0],
            times[4],
            times[2] * 1e6 / n as f64,
            floor[2]
        );
    }
}
