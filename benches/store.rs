//! Listing and searching a backpack of 100,000 badges.
//!
//! `cargo bench --bench store` builds a real database file of N synthetic
//! badges (default 100,000; `SATCHEL_BENCH_BADGES` overrides) through
//! `Store::insert_badge` — the same path an import takes — then times the
//! queries the CLI and the desktop app make, each the median of 15 runs.
//! See BENCHMARKS.md.

use satchel::store::{BadgeQuery, NewBadge, NewVerification, SortBy, Store};
use std::time::Instant;

const WORDS: &[&str] = &[
    "Rust",
    "Python",
    "Networking",
    "Safety",
    "Leadership",
    "Design",
    "Data",
    "Cloud",
    "Security",
    "Writing",
    "Research",
    "Teaching",
    "Robotics",
    "Chemistry",
    "Music",
    "Mentor",
    "Advanced",
    "Foundations",
    "Practitioner",
    "Expert",
    "Community",
    "Volunteer",
    "First Aid",
    "Language",
];
const STATUSES: &[&str] = &[
    "verified",
    "verified",
    "verified",
    "verified",
    "expired",
    "revoked",
    "invalid",
    "unverifiable",
];

fn pick<'a>(list: &[&'a str], n: usize) -> &'a str {
    list[n % list.len()]
}

fn median_ms(mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..15 {
        let t = Instant::now();
        n = f();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], n)
}

fn main() {
    let n: usize = std::env::var("SATCHEL_BENCH_BADGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("satchel.sqlite3");
    let store = Store::open(&path).unwrap();
    let t = Instant::now();
    let original = vec![0x5au8; 2048];
    let report = r#"{"status":"verified","checks":[]}"#;
    store
        .atomically(|s| -> Result<(), satchel::store::StoreError> {
            for i in 0..n {
                let name = format!("{} {} {}", pick(WORDS, i), pick(WORDS, i / 7 + 3), i);
                let issuer = format!("Issuer {}", i % 50);
                let description = format!(
                    "Awarded for {} work in {}.",
                    pick(WORDS, i / 3),
                    pick(WORDS, i / 11)
                );
                let mut bytes = original.clone();
                bytes.extend_from_slice(&(i as u64).to_le_bytes());
                let id = format!("https://issuer{}.example/a/{i}", i % 50);
                let tags = if i % 10 == 0 {
                    vec!["career".to_owned()]
                } else {
                    Vec::new()
                };
                s.insert_badge(&NewBadge {
                    original: &bytes,
                    sha256: None,
                    media_type: "image/png",
                    container: "png",
                    source: "bench",
                    version: Some("2.0"),
                    format: "signed",
                    assertion_id: Some(&id),
                    payload: "{}",
                    badge_json: "{}",
                    name: Some(&name),
                    description: Some(&description),
                    criteria: Some("Complete the course."),
                    issuer_name: Some(&issuer),
                    issuer_id: Some(&id),
                    issued_on: Some(1_600_000_000 + i as i64 * 600),
                    expires: (i % 4 == 0).then_some(1_800_000_000 + i as i64),
                    imported_at: 1_700_000_000 + i as i64,
                    verification: NewVerification {
                        checked_at: 1_700_000_000,
                        status: pick(STATUSES, i),
                        offline: true,
                        report_json: report,
                        documents: &[],
                        recipient: &satchel::store::RecipientMatch::NoRecipient,
                    },
                    tags: &tags,
                })?;
            }
            Ok(())
        })
        .unwrap();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("satchel.sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "built {n} badges in {:.1} s ({} MB on disk)",
        t.elapsed().as_secs_f64(),
        size >> 20
    );
    drop(store);
    let store = Store::open(&path).unwrap();
    let cases: Vec<(&str, BadgeQuery)> = vec![
        (
            "first page (200), newest first + total count",
            BadgeQuery::default(),
        ),
        (
            "first page (200), by name + total count",
            BadgeQuery {
                sort: SortBy::Name,
                ..BadgeQuery::default()
            },
        ),
        (
            "search \"rust\" (page + count)",
            BadgeQuery {
                search: Some("rust".into()),
                ..BadgeQuery::default()
            },
        ),
        (
            "search \"advanced secu\" (two words, prefix)",
            BadgeQuery {
                search: Some("advanced secu".into()),
                ..BadgeQuery::default()
            },
        ),
        (
            "search \"issuer 7\" + status revoked",
            BadgeQuery {
                search: Some("issuer 7".into()),
                status: vec!["revoked".into()],
                ..BadgeQuery::default()
            },
        ),
        (
            "filter tag career",
            BadgeQuery {
                tag: Some("career".into()),
                ..BadgeQuery::default()
            },
        ),
        (
            "filter issuer \"issuer 4\", by issued date",
            BadgeQuery {
                issuer: Some("issuer 4".into()),
                sort: SortBy::Issued,
                ..BadgeQuery::default()
            },
        ),
        (
            "filter expires before 1,800,010,000",
            BadgeQuery {
                expires_to: Some(1_800_010_000),
                sort: SortBy::Expires,
                ..BadgeQuery::default()
            },
        ),
    ];
    println!("| query over {n} badges | median ms | matches |");
    println!("|---|---:|---:|");
    for (label, q) in cases {
        let (ms, found) = median_ms(|| {
            let page = store
                .list_badges(&BadgeQuery {
                    limit: Some(200),
                    ..q.clone()
                })
                .unwrap();
            let total = store.count_badges(&q).unwrap() as usize;
            assert!(page.len() <= 200);
            total
        });
        println!("| {label} | {ms:.2} | {found} |");
    }
    let (ms, found) = median_ms(|| store.list_badges(&BadgeQuery::default()).unwrap().len());
    println!("| every badge (all {found} summaries, newest first) | {ms:.2} | {found} |");
    let (ms, found) = median_ms(|| {
        store
            .list_badges(&BadgeQuery {
                search: Some("data".into()),
                ..BadgeQuery::default()
            })
            .unwrap()
            .len()
    });
    println!("| search \"data\", every match | {ms:.2} | {found} |");
}
