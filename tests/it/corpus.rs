//! Tests as data: every file of the shared corpus of real public badges is
//! inspected, and the result is compared with `tests/data/corpus.expected`.
//!
//! Regenerate with `UPDATE_EXPECT=1 cargo test corpus` and review the diff
//! like code: each line says what Satchel concludes about one file.

use satchel::inspect::{inspect_path, Inspection};
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn describe(found: &Inspection) -> String {
    let mut parts = Vec::new();
    match &found.baked {
        Some(b) => parts.push(format!(
            "{} {} -> {}",
            found.container,
            b.location.split(" (").next().unwrap_or(""),
            found.payload_kind
        )),
        None => parts.push(found.container.to_string()),
    }
    let version = found
        .version
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    let mut kind = format!("{version} {}", found.kind);
    if let Some(vcdm) = found.vcdm {
        kind.push_str(&format!(
            " vcdm={}",
            serde_json::to_value(vcdm).unwrap().as_str().unwrap()
        ));
    }
    if let Some(alg) = &found.jws_alg {
        kind.push_str(&format!(" alg={alg}"));
    }
    parts.push(kind);
    if let Some(name) = found.badge.as_ref().and_then(|b| b.name.as_ref()) {
        parts.push(format!("{name:?}"));
    }
    if found.document.is_none() {
        parts.push(format!(
            "url={}",
            satchel::detect::trim_text(&found.payload)
        ));
    }
    if !found.warnings.is_empty() {
        parts.push(format!("warnings={}", found.warnings.len()));
    }
    parts.join(" | ")
}

#[test]
fn every_corpus_file_is_read_as_expected() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(
        files.len() > 250,
        "the corpus looks incomplete: {} files",
        files.len()
    );
    let mut actual = String::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let line = match inspect_path(f) {
            Ok(found) => describe(&found),
            Err(e) => format!("ERROR {}", e),
        };
        actual.push_str(&format!("{rel}: {line}\n"));
    }
    let expected_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus.expected");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    if expected != actual {
        let exp: Vec<&str> = expected.lines().collect();
        let act: Vec<&str> = actual.lines().collect();
        let mut diff = String::new();
        for l in &exp {
            if !act.contains(l) {
                diff.push_str(&format!("- {l}\n"));
            }
        }
        for l in &act {
            if !exp.contains(l) {
                diff.push_str(&format!("+ {l}\n"));
            }
        }
        panic!("corpus results differ from tests/data/corpus.expected (rerun with UPDATE_EXPECT=1 and review):\n{diff}");
    }
}
