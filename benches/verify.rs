//! The raw RS256 cost of the crypto library Satchel uses (aws-lc, through
//! aws-lc-rs), next to what `satchel verify --offline` costs per badge.
//!
//! `cargo bench --bench verify -- PEM DIR [N]` unbakes the first N (default
//! 10,000) PNG/SVG badges under DIR (the peer harness's
//! `data/n10000/png-signed`, signed with the key in PEM, its `site/public-key.pem`)
//! outside the clock, then times on one thread, REPS times (default 5):
//!
//!   aws-lc raw:  `ParsedPublicKey::verify_sig` (RSA PKCS#1 v1.5 SHA-256) on
//!                each token's signing input, the key parsed once;
//!   satchel:     `satchel::crypto::verify_jws` (the allow-list checks and the
//!                same verification), the key read once with `PublicKey::from_pem`.
//!
//! Medians in µs per signature. Every signature must verify (the bench stops
//! otherwise), so the loop cannot be optimized into nothing.

use std::path::Path;
use std::time::Instant;

mod common;
use common::{files_under, median};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (Some(pem), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: cargo bench --bench verify -- PEM DIR [N]");
        return;
    };
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let pem_text = std::fs::read_to_string(pem).expect("read the PEM");
    let mut files = Vec::new();
    files_under(Path::new(dir), &mut files);
    files.truncate(n);
    let tokens: Vec<satchel::jws::CompactJws> = files
        .iter()
        .map(|p| {
            let found = satchel::inspect::unbake_path(p).expect("a baked badge");
            satchel::jws::decode(&found.payload).expect("a compact JWS")
        })
        .collect();
    assert!(!tokens.is_empty(), "no badges under {dir}");

    // The raw primitive: the SubjectPublicKeyInfo DER from the PEM, parsed once.
    let b64: String = pem_text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64.trim())
        .expect("PEM base64");
    let raw = aws_lc_rs::signature::ParsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        &der,
    )
    .expect("an RSA public key");
    let key = satchel::crypto::PublicKey::from_pem(&pem_text).expect("Satchel reads the key");

    let mut raw_us = Vec::new();
    let mut ours_us = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        for jws in &tokens {
            raw.verify_sig(jws.signing_input.as_bytes(), &jws.signature)
                .expect("every signature verifies");
        }
        raw_us.push(t.elapsed().as_secs_f64() * 1e6 / tokens.len() as f64);
        let t = Instant::now();
        for jws in &tokens {
            satchel::crypto::verify_jws(jws, &key).expect("every signature verifies");
        }
        ours_us.push(t.elapsed().as_secs_f64() * 1e6 / tokens.len() as f64);
    }
    println!(
        "{} signatures, {reps} reps, one thread: aws-lc raw RS256 {:.2} µs/verify (min {:.2}); satchel::crypto::verify_jws {:.2} µs/verify (min {:.2})",
        tokens.len(),
        median(raw_us.clone()),
        raw_us.iter().cloned().fold(f64::INFINITY, f64::min),
        median(ours_us.clone()),
        ours_us.iter().cloned().fold(f64::INFINITY, f64::min),
    );
}
