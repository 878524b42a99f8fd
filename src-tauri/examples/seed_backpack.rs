//! Fills a fresh backpack with generated badges, straight through the store
//! (the sample images with numbered names and all five statuses), for the
//! launch benchmark (`bench/launch.sh`) and the 10,000-badge E2E test.
//!
//! `cargo run --release -p satchel-desktop --example seed_backpack -- DATA_DIR COUNT`

use std::path::Path;

#[allow(dead_code)] // the E2E test includes this file for `seed` only
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: seed_backpack DATA_DIR COUNT");
        std::process::exit(2);
    };
    std::fs::create_dir_all(dir).expect("create the data folder");
    seed(Path::new(dir), n);
}

/// Stores `n` badges into the backpack in `data`, in one transaction.
pub fn seed(data: &Path, n: usize) {
    use satchel::store::{NewBadge, NewVerification, Store};
    let store = Store::open_default(data).unwrap();
    let samples = satchel::samples::samples();
    let statuses = ["verified", "expired", "revoked", "invalid", "unverifiable"];
    // Checked just now, so the app's launch-time check of badges not checked
    // recently leaves this backpack alone.
    let checked_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1_700_000_000, |d| d.as_secs() as i64);
    store
        .atomically(|s| {
            for i in 0..n {
                let sample = &samples[i % samples.len()];
                let mut bytes = sample.bytes.clone();
                bytes.extend_from_slice(format!("\n<!-- {i} -->").as_bytes());
                let name = format!("Badge number {i}");
                let status = statuses[i % statuses.len()];
                let png = sample.file_name.ends_with(".png");
                s.insert_badge(&NewBadge {
                    original: &bytes,
                    sha256: None,
                    media_type: if png { "image/png" } else { "image/svg+xml" },
                    container: if png { "png" } else { "svg" },
                    source: &sample.file_name,
                    version: Some("3.0"),
                    format: "data-integrity",
                    assertion_id: None,
                    payload: "{}",
                    badge_json: "{}",
                    name: Some(&name),
                    description: Some("A generated badge for the benchmark."),
                    criteria: None,
                    issuer_name: Some("Benchmark Issuer"),
                    issuer_id: Some("https://bench.example/issuer"),
                    issued_on: Some(1_700_000_000 + i as i64),
                    expires: None,
                    imported_at: 1_700_000_000 + i as i64,
                    verification: NewVerification {
                        checked_at,
                        status,
                        offline: true,
                        report_json: "{}",
                        documents: &[],
                        recipient: &satchel::store::RecipientMatch::NoRecipient,
                    },
                    tags: &[],
                })?;
            }
            Ok::<_, satchel::store::StoreError>(())
        })
        .unwrap();
}
