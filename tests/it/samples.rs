//! The first-run sample badges: each one is a baked OB 3.0 credential that
//! verifies offline (no network, an empty store) as "verified", is clearly a
//! sample, and is the same bytes every time.

use satchel::detect::Version;
use satchel::fetch::CachingFetch;
use satchel::inspect::inspect;
use satchel::samples::{issuer_did, samples, ISSUER_NAME};
use satchel::store::Store;
use satchel::verify::{verify, CheckStatus, Options, Verdict};
use std::sync::Mutex;

#[test]
fn every_sample_verifies_offline() {
    let store = Mutex::new(Store::open_in_memory().unwrap());
    let offline = CachingFetch::offline(&store);
    let all = samples();
    assert!(all.len() >= 3, "at least three samples");
    let mut names = std::collections::HashSet::new();
    for sample in &all {
        let found = inspect(&sample.bytes).unwrap_or_else(|e| panic!("{}: {e}", sample.file_name));
        assert!(found.baked.is_some(), "{} is baked", sample.file_name);
        assert_eq!(found.version, Some(Version::V3_0), "{}", sample.file_name);
        let badge = found.badge.as_ref().expect("a badge view");
        assert_eq!(badge.name.as_deref(), Some(sample.name.as_str()));
        assert!(sample.name.starts_with("Sample: "), "{}", sample.name);
        assert_eq!(badge.issuer.name.as_deref(), Some(ISSUER_NAME));
        assert_eq!(badge.issuer.id.as_deref(), Some(issuer_did().as_str()));
        assert!(names.insert(sample.name.clone()), "names differ");
        let report = verify(
            &found,
            &offline,
            &Options {
                now: 1_800_000_000,
                recipients: Vec::new(),
                recipient_rule: satchel::verify::RecipientRule::MustMatch,
            },
        );
        let failed: Vec<_> = report
            .checks
            .iter()
            .filter(|c| matches!(c.status, CheckStatus::Fail | CheckStatus::Skip))
            .map(|c| format!("{} {:?}: {}", c.id, c.status, c.message))
            .collect();
        assert_eq!(
            report.status,
            Verdict::Verified,
            "{}: {failed:?}",
            sample.file_name
        );
        assert_eq!(report.format, satchel::verify::BadgeFormat::DataIntegrity);
        // Exemplary: no warning beyond the note on how the demo issuer is identified.
        let warnings: Vec<_> = report
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Warn)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(warnings, vec!["proof.identity"], "{}", sample.file_name);
        // Awarded to the sample address, hashed.
        let matched = verify(
            &found,
            &offline,
            &Options {
                now: 1_800_000_000,
                recipients: vec![satchel::samples::SAMPLE_RECIPIENT.to_owned()],
                recipient_rule: satchel::verify::RecipientRule::MustMatch,
            },
        );
        assert_eq!(
            matched.recipient_matched,
            Some(true),
            "{}",
            sample.file_name
        );
        assert!(
            !String::from_utf8_lossy(&sample.bytes).contains(satchel::samples::SAMPLE_RECIPIENT)
        );
    }
    let kinds: std::collections::HashSet<_> = all
        .iter()
        .map(|s| s.file_name.rsplit('.').next().unwrap().to_owned())
        .collect();
    assert!(kinds.contains("png") && kinds.contains("svg"), "{kinds:?}");
}

#[test]
fn samples_are_deterministic_and_tamper_evident() {
    assert_eq!(samples(), samples());
    // Changing one signed byte of a sample makes it invalid.
    let sample = &samples()[0];
    let text = String::from_utf8(sample.bytes.clone()).unwrap();
    let tampered = text.replacen("Walk a marked trail", "Walk a marked trial", 1);
    assert_ne!(tampered, text);
    let found = inspect(tampered.as_bytes()).unwrap();
    let store = Mutex::new(Store::open_in_memory().unwrap());
    let report = verify(
        &found,
        &CachingFetch::offline(&store),
        &Options {
            now: 1_800_000_000,
            recipients: Vec::new(),
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    );
    assert_eq!(report.status, Verdict::Invalid);
}

/// The sample PNGs are written with `bake`'s chunk writer; a real PNG decoder
/// (which checks every chunk's CRC) reads their pixels and the baked text.
#[test]
fn sample_pngs_decode_with_a_real_png_decoder() {
    let mut seen = 0;
    for sample in samples().iter().filter(|s| s.file_name.ends_with(".png")) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(sample.bytes.clone()));
        decoder.ignore_checksums(false);
        let mut reader = decoder
            .read_info()
            .unwrap_or_else(|e| panic!("{}: {e}", sample.file_name));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader
            .next_frame(&mut pixels)
            .unwrap_or_else(|e| panic!("{}: {e}", sample.file_name));
        reader.finish().unwrap();
        let info = reader.info();
        assert!(
            info.utf8_text
                .iter()
                .any(|t| t.keyword == "openbadgecredential"),
            "{} carries the credential in iTXt",
            sample.file_name
        );
        seen += 1;
    }
    assert!(seen > 0, "at least one PNG sample");
}
