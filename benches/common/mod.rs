//! What the benches share: finding the baked images of a data set, medians.

use std::path::{Path, PathBuf};

/// Appends every `.png` and `.svg` file under `dir` (recursively, sorted) to `out`.
pub fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("png" | "svg")) {
            out.push(p);
        }
    }
}

/// The median of `v` (not empty).
pub fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}
