//! The file read path of `inspect_path` for PNGs larger than the first read:
//! the head is read once and the rest is walked chunk header by chunk header,
//! so it must find what reading the whole file finds, and still catch a
//! truncated file.

use crate::support::{chunk, chunks, make_png, OB2_ASSERTION};
use satchel::bake::{bake_png, Slot};
use satchel::inspect::{inspect, inspect_path};

/// `png` with a chunk of `len` bytes of an ancillary private type inserted
/// before chunk number `at` (1: right after `IHDR`).
fn with_padding(png: &[u8], at: usize, len: usize) -> Vec<u8> {
    let pad = chunk(b"ruSt", &vec![7u8; len]);
    let mut out = png[..8].to_vec();
    for (i, (_, c)) in chunks(png).into_iter().enumerate() {
        if i == at {
            out.extend_from_slice(&pad);
        }
        out.extend_from_slice(&c);
    }
    out
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_large_png_read_from_a_file_matches_the_same_bytes_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let baked = bake_png(&make_png(200, 200), OB2_ASSERTION, Slot::OpenBadges).unwrap();
    // The badge right after IHDR (in the head), and the badge 60 KB in
    // (past the head, read by the walker).
    let last = chunks(&baked).len() - 1;
    for (name, png) in [
        // Small enough to be read whole.
        ("small.png", baked.clone()),
        // Large, badge in the head, 60 KB of other data after it.
        ("head.png", with_padding(&baked, last, 60_000)),
        // Large, badge 60 KB in: past the head, read by the walker.
        ("late.png", with_padding(&baked, 1, 60_000)),
    ] {
        assert!(png.len() > 16 * 1024 || name == "small.png");
        let path = write(&dir, name, &png);
        let from_file = inspect_path(&path).unwrap();
        let in_memory = inspect(&png).unwrap();
        assert_eq!(from_file.payload, OB2_ASSERTION, "{name}");
        assert_eq!(from_file, in_memory, "{name}");
    }
}

#[test]
fn a_badge_chunk_that_starts_in_the_first_read_and_ends_past_it_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    // A 20 KB assertion (a long description), baked right after IHDR: it
    // starts inside the first read of the file and ends well past it.
    let mut assertion: serde_json::Value = serde_json::from_str(OB2_ASSERTION).unwrap();
    assertion["x-note"] = serde_json::Value::from("long text ".repeat(2_000));
    let payload = assertion.to_string();
    let baked = bake_png(&make_png(64, 64), &payload, Slot::OpenBadges).unwrap();
    let last = chunks(&baked).len() - 1;
    let png = with_padding(&baked, last, 60_000);
    let path = write(&dir, "straddling.png", &png);
    let from_file = inspect_path(&path).unwrap();
    assert_eq!(from_file.payload, payload);
    assert_eq!(from_file, inspect(&png).unwrap());
    // Cut inside the badge chunk: truncated, from the file as in memory.
    let cut = &png[..10_000];
    let path = write(&dir, "straddling-cut.png", cut);
    let err = inspect_path(&path).unwrap_err().to_string();
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn a_large_png_cut_inside_its_pixel_data_is_reported_as_truncated() {
    let dir = tempfile::tempdir().unwrap();
    let baked = bake_png(&make_png(200, 200), OB2_ASSERTION, Slot::OpenBadges).unwrap();
    let padded = with_padding(&baked, 1, 50_000);
    assert!(padded.len() > 40_000);
    // Cut in the middle of the last chunk before IEND, and cut off IEND only.
    for cut in [padded.len() - 20, padded.len() - 12, padded.len() - 5] {
        let path = write(&dir, "cut.png", &padded[..cut]);
        let err = inspect_path(&path).unwrap_err().to_string();
        assert!(err.contains("truncated"), "cut at {cut}: {err}");
        // The same bytes in memory say the same.
        assert_eq!(err, inspect(&padded[..cut]).unwrap_err().to_string());
    }
    // Bytes after IEND are a warning, as in memory.
    let mut longer = padded.clone();
    longer.extend_from_slice(b"trailing");
    let path = write(&dir, "long.png", &longer);
    assert_eq!(inspect_path(&path).unwrap(), inspect(&longer).unwrap());
    assert!(inspect_path(&path)
        .unwrap()
        .warnings
        .iter()
        .any(|w| w.contains("follow the IEND")));
}

#[test]
fn a_large_png_with_a_damaged_chunk_header_is_refused_with_a_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let baked = bake_png(&make_png(200, 200), OB2_ASSERTION, Slot::OpenBadges).unwrap();
    let mut padded = with_padding(&baked, 1, 50_000);
    // Damage the type of the chunk after the padding (past the head).
    let pad_end = 8 + 25 + 50_012;
    padded[pad_end + 4] = b'!';
    let path = write(&dir, "bad.png", &padded);
    let err = inspect_path(&path).unwrap_err().to_string();
    assert!(err.contains("invalid type"), "{err}");
    assert!(!err.contains('\n'));
}
