//! Bulk awards from a CSV file through the application façade, at a size
//! that spans several workers and more than one stored chunk: every badge
//! verifies against the published folder, status positions are unique and
//! random, a stopped run leaves only whole awards (files and rows agree)
//! and a second run finishes the rest without awarding anyone twice, and a
//! bad row stops everything before any award.

use crate::backpack::NOW;
use crate::issuer::World;
use satchel::verify::Verdict;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

const BASE: &str = "https://club.example/badges/";

fn csv_of(w: &World, name: &str, rows: usize) -> PathBuf {
    let mut text = String::from("email,name,evidence url\n");
    for n in 0..rows {
        text.push_str(&format!(
            "learner{n}@example.org,Learner {n},https://club.example/logs/{n}\n"
        ));
    }
    let path = w.path(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn verify(file: &Path, fetch: &dyn satchel::fetch::Fetch, who: &str) -> Verdict {
    let inspection = satchel::inspect::inspect_path(file).unwrap();
    let report = satchel::verify::verify(
        &inspection,
        fetch,
        &satchel::verify::Options {
            now: NOW,
            recipients: vec![who.to_owned()],
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    );
    assert_eq!(
        report.status,
        Verdict::Verified,
        "{}: {:#?}",
        file.display(),
        report.checks
    );
    report.status
}

/// The files in `dir`, by name (hidden scratch copies included).
fn names_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Every award's files exist, and the folder holds nothing else.
fn files_agree_with_rows(w: &World, out: &Path, class: i64) {
    let awards = w.issuer_app.awards(Some(class), None).unwrap();
    let mut expected = BTreeSet::new();
    for a in &awards {
        let short = &a.uid[..8];
        let mine: Vec<String> = names_in(out)
            .into_iter()
            .filter(|n| n.contains(short))
            .collect();
        assert!(mine.len() >= 2, "award {} has files {mine:?}", a.id);
        expected.extend(mine);
    }
    assert_eq!(names_in(out), expected, "files without an award");
}

fn status_positions(w: &World, issuer: i64) -> Vec<u64> {
    w.issuer_app
        .store()
        .status_indexes(issuer, "revocation")
        .unwrap()
        .into_iter()
        .map(|(_, idx)| idx)
        .collect()
}

/// An issuer with one class of `format` and a CSV of 300 good rows.
struct Bulk {
    w: World,
    issuer: i64,
    class: i64,
    csv: PathBuf,
    out: PathBuf,
}

impl Bulk {
    fn new(format: &str, vc_jwt: bool) -> Bulk {
        let w = World::new();
        let issuer = w.issuer(BASE, None);
        let class = w.class_valid_for(issuer, format, vc_jwt, false, Some("2y"));
        let csv = csv_of(&w, "learners.csv", 300);
        let out = w.path("out");
        Bulk {
            w,
            issuer,
            class,
            csv,
            out,
        }
    }

    fn run(
        &self,
        progress: &dyn Fn(usize, usize),
        cancel: &AtomicBool,
    ) -> satchel::app::BulkReport {
        self.w
            .issuer_app
            .award_csv(self.class, &self.csv, false, &self.out, progress, cancel)
            .unwrap()
    }
}

#[test]
fn three_hundred_rows_in_each_format_are_awarded_and_every_badge_verifies() {
    for (format, vc_jwt) in [("ob3", true), ("ob2-signed", false), ("ob2-hosted", false)] {
        let b = Bulk::new(format, vc_jwt);
        let (w, issuer, class, out) = (&b.w, b.issuer, b.class, &b.out);
        let reported = std::sync::Mutex::new(Vec::new());
        let report = b.run(
            &|n, total| reported.lock().unwrap().push((n, total)),
            &AtomicBool::new(false),
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        assert!(!report.cancelled);
        assert_eq!(report.rows.len(), 300);
        assert!(report.rows.iter().all(|r| r.outcome == "awarded"));
        // Progress: once per award, in order.
        let reported = reported.into_inner().unwrap();
        assert_eq!(reported, (1..=300).map(|n| (n, 300)).collect::<Vec<_>>());
        // Rows keep file order and their own recipient's files.
        for (n, r) in report.rows.iter().enumerate() {
            assert_eq!(r.line, n as u64 + 2);
            assert_eq!(r.recipient, format!("learner{n}@example.org"));
            assert!(
                r.files[0].contains(&format!("learner-{n}-")),
                "{:?}",
                r.files
            );
        }
        let ids: HashSet<i64> = report.rows.iter().filter_map(|r| r.id).collect();
        assert_eq!(ids.len(), 300);
        files_agree_with_rows(w, out, class);

        w.issuer_app.publish(issuer, &w.path("site")).unwrap();
        let fetch = satchel::fetch::DirFetch::new(BASE, w.path("site")).unwrap();
        for r in &report.rows {
            for f in &r.files {
                if !f.ends_with(".json") {
                    verify(Path::new(f), &fetch, &r.recipient);
                }
            }
        }
        if format == "ob3" {
            let positions = status_positions(w, issuer);
            assert_eq!(positions.len(), 300);
            let distinct: HashSet<u64> = positions.iter().copied().collect();
            assert_eq!(distinct.len(), 300, "a status position given twice");
            // Random over the whole list, not handed out in a row.
            let (lo, hi) = (positions[0], positions[299]);
            assert!(hi - lo > 100_000, "{lo}..{hi}");
            // Each credential carries the position stored for it.
            for a in w.issuer_app.awards(Some(class), None).unwrap() {
                let doc: serde_json::Value = serde_json::from_str(&a.document).unwrap();
                let idx: u64 = doc["credentialStatus"]["statusListIndex"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                assert!(distinct.contains(&idx));
            }
        }
    }
}

#[test]
fn a_stopped_run_keeps_whole_awards_and_a_second_run_finishes_the_rest() {
    let b = Bulk::new("ob3", true);
    let (w, issuer, class, out) = (&b.w, b.issuer, b.class, &b.out);
    // Stopped in the middle of the first chunk of stored awards.
    let stop = AtomicBool::new(false);
    let report = b.run(
        &|n, _| {
            if n == 137 {
                stop.store(true, Ordering::SeqCst);
            }
        },
        &stop,
    );
    assert!(report.cancelled);
    assert_eq!(report.rows.len(), 137);
    assert!(report.rows.iter().all(|r| r.outcome == "awarded"));
    let stored = w.issuer_app.awards(Some(class), None).unwrap();
    assert_eq!(stored.len(), 137);
    let recipients: Vec<&str> = stored.iter().map(|a| a.recipient.as_str()).collect();
    let first: Vec<String> = (0..137)
        .map(|n| format!("learner{n}@example.org"))
        .collect();
    assert_eq!(recipients, first);
    files_agree_with_rows(w, out, class);
    assert_eq!(status_positions(w, issuer).len(), 137);

    // The second run awards the other 163 and nobody twice.
    let again = b.run(&|_, _| {}, &AtomicBool::new(false));
    assert!(!again.cancelled);
    let outcome = |o: &str| again.rows.iter().filter(|r| r.outcome == o).count();
    assert_eq!(outcome("already awarded"), 137);
    assert_eq!(outcome("awarded"), 163);
    let stored = w.issuer_app.awards(Some(class), None).unwrap();
    assert_eq!(stored.len(), 300);
    let distinct: HashSet<&str> = stored.iter().map(|a| a.recipient.as_str()).collect();
    assert_eq!(distinct.len(), 300);
    files_agree_with_rows(w, out, class);
    let positions: HashSet<u64> = status_positions(w, issuer).into_iter().collect();
    assert_eq!(positions.len(), 300);
}

#[test]
fn a_bad_row_stops_everything_before_any_award() {
    let b = Bulk::new("ob3", true);
    // Line 252: an issue date in the future (the file's own checks pass it;
    // the award's do not), line 281: not an address.
    let text = std::fs::read_to_string(&b.csv)
        .unwrap()
        .replacen("evidence url", "evidence url,issue date", 1)
        .replace("/logs/250", "/logs/250,2099-01-01")
        .replace("learner279@example.org", "nobody");
    std::fs::write(&b.csv, text).unwrap();
    let report = b.run(
        &|_, _| panic!("nothing may be awarded"),
        &AtomicBool::new(false),
    );
    let said: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(
        said[0].starts_with("line 252: the issue date is in the future"),
        "{said:?}"
    );
    assert!(
        said[1].starts_with("line 281, column \"email\""),
        "{said:?}"
    );
    assert!(b.w.issuer_app.awards(None, None).unwrap().is_empty());
    assert!(status_positions(&b.w, b.issuer).is_empty());
    assert!(!b.out.exists());
}
