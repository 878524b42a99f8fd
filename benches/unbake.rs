//! Unbake cost against the cost of just reading the file.
//!
//! `cargo bench --bench unbake -- DIR...` times, for every PNG and SVG under
//! each DIR (for example the peer harness's `data/n10000/png-signed`), two
//! loops over the same files with a warm page cache:
//!   read:   std::fs::read (open + read + close)
//!   unbake: satchel::inspect::unbake_path (open + read + find + decode payload)
//! The files are taken 500 at a time, read then unbaked back to back (the
//! machine drifts), REPS times (default 5); medians over all chunks are
//! reported as µs per badge, with the median of the per-chunk ratios. Without DIR it generates its own
//! 10,000 PNG (256×256, noisy, ~40 KB) and 10,000 SVG (~12 KB) badges in a
//! temporary folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::{files_under, median};

fn time_loop(files: &[PathBuf], f: &dyn Fn(&Path) -> usize) -> (f64, usize) {
    let t = Instant::now();
    let mut total = 0;
    for p in files {
        total += f(p);
    }
    (t.elapsed().as_secs_f64(), total)
}

/// A deterministic noisy RGBA image, so the PNG is about 40 KB like a real badge.
fn generate(dir: &Path, n: usize) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let payload = |i: usize| {
        format!(
            r#"{{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://badges.example.org/assertions/{i}","recipient":{{"type":"email","hashed":true,"salt":"s{i}","identity":"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"}},"badge":"https://badges.example.org/classes/{}.json","issuedOn":"2024-05-01T12:00:00Z","verification":{{"type":"hosted"}}}}"#,
            i % 10
        )
    };
    let (w, h) = (256u32, 256u32);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut pixels = vec![0u8; (w * h * 4) as usize];
    for (i, px) in pixels.chunks_mut(4).enumerate() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (x, y) = (i as u32 % w, i as u32 / w);
        let noise = (seed & 0x0f) as u8;
        px.copy_from_slice(&[
            (x as u8).wrapping_add(noise),
            (y as u8) ^ noise,
            160u8.wrapping_add(noise),
            255,
        ]);
    }
    let mut base = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut base, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&pixels).unwrap();
    }
    let mut svg_base = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><defs><linearGradient id="g"><stop offset="0" stop-color="#fc0"/><stop offset="1" stop-color="#c60"/></linearGradient></defs><circle cx="128" cy="128" r="120" fill="url(#g)"/>"##,
    );
    for k in 0..40 {
        svg_base.push_str(&format!(
            r##"<circle cx="{}" cy="{}" r="{}" fill="#fff" opacity="0.{}"/>"##,
            20 + k * 5,
            128 + (k % 7) * 9,
            3 + k % 5,
            k % 9 + 1
        ));
    }
    svg_base.push_str(r##"<polyline fill="none" stroke="#333" points=""##);
    for k in 0..600 {
        svg_base.push_str(&format!("{},{} ", k % 256, (k * 37) % 256));
    }
    svg_base.push_str(
        r##""/><text x="128" y="140" text-anchor="middle" font-size="24">Satchel</text></svg>"##,
    );
    let (mut pngs, mut svgs) = (Vec::new(), Vec::new());
    std::fs::create_dir_all(dir.join("png")).unwrap();
    std::fs::create_dir_all(dir.join("svg")).unwrap();
    for i in 0..n {
        let p = dir.join(format!("png/b{i}.png"));
        std::fs::write(
            &p,
            satchel::bake::bake(&base, &payload(i), satchel::bake::Slot::OpenBadges).unwrap(),
        )
        .unwrap();
        pngs.push(p);
        let s = dir.join(format!("svg/b{i}.svg"));
        std::fs::write(
            &s,
            satchel::bake::bake(
                svg_base.as_bytes(),
                &payload(i),
                satchel::bake::Slot::OpenBadges,
            )
            .unwrap(),
        )
        .unwrap();
        svgs.push(s);
    }
    (pngs, svgs)
}

fn report(label: &str, files: &[PathBuf], reps: usize) {
    if files.is_empty() {
        return;
    }
    let read = |p: &Path| std::fs::read(p).map(|b| b.len()).unwrap_or(0);
    let unbake = |p: &Path| {
        satchel::inspect::unbake_path(p)
            .map(|u| u.payload.len())
            .expect("every benchmark file is baked")
    };
    let bytes: u64 = files
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    // Warm the page cache once.
    time_loop(files, &read);
    // The machine drifts (shared VM): compare read and unbake on the same
    // chunk of 500 files back to back, and take medians over all chunks and reps.
    let (mut r, mut u, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..reps {
        for chunk in files.chunks(500) {
            let n = chunk.len() as f64;
            let rt = time_loop(chunk, &read).0 / n;
            let ut = time_loop(chunk, &unbake).0 / n;
            r.push(rt);
            u.push(ut);
            ratios.push(ut / rt);
        }
    }
    let (rm, um, ratio) = (median(r) * 1e6, median(u) * 1e6, median(ratios));
    println!(
        "{label:<32} n={:<6} mean size {:>6.1} KB   read {rm:>6.2} µs/badge   unbake {um:>6.2} µs/badge   ratio {ratio:.2}×",
        files.len(),
        bytes as f64 / files.len() as f64 / 1000.0,
    );
}

fn main() {
    let reps: usize = std::env::var("REPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dirs: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .collect();
    println!("unbake vs read, medians of {reps} interleaved reps, warm page cache, one thread");
    if dirs.is_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let n: usize = std::env::var("N")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10_000);
        let (pngs, svgs) = generate(tmp.path(), n);
        report("generated PNG (256x256)", &pngs, reps);
        report("generated SVG", &svgs, reps);
        return;
    }
    for d in dirs {
        let mut files = Vec::new();
        files_under(&d, &mut files);
        report(&d.display().to_string(), &files, reps);
    }
}
