//! Architecture rules checked as tests (see ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_core_library_has_no_gui_cli_or_anyhow_dependency() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap()
        .split("\n[")
        .next()
        .unwrap();
    for line in deps.lines() {
        let name = line.split('=').next().unwrap().trim();
        assert!(
            !["tauri", "anyhow", "tokio"].contains(&name),
            "core depends on {name}"
        );
        if name == "clap" {
            assert!(
                line.contains("optional = true"),
                "clap must stay optional (the `cli` feature)"
            );
        }
    }
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    for f in files
        .iter()
        .filter(|f| !f.starts_with(root().join("src/bin")))
    {
        let text = std::fs::read_to_string(f).unwrap();
        for word in ["clap::", "tauri::", "anyhow"] {
            assert!(!text.contains(word), "{} mentions {word}", f.display());
        }
        // Only `fetch` opens sockets; only `store` touches SQLite.
        if !f.starts_with(root().join("src/fetch")) {
            assert!(
                !text.contains("reqwest"),
                "{} uses reqwest outside src/fetch",
                f.display()
            );
        }
        if !f.starts_with(root().join("src/store")) {
            assert!(
                !text.contains("rusqlite"),
                "{} uses rusqlite outside src/store",
                f.display()
            );
        }
    }
    let desktop = std::fs::read_to_string(root().join("src-tauri/Cargo.toml")).unwrap();
    let line = desktop
        .lines()
        .find(|l| l.trim_start().starts_with("satchel"))
        .unwrap();
    assert!(
        line.contains("default-features = false"),
        "the desktop app must not pull in the CLI: {line}"
    );
}

#[test]
fn architecture_md_names_every_core_module() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let lib = std::fs::read_to_string(root().join("src/lib.rs")).unwrap();
    for line in lib.lines().filter_map(|l| l.strip_prefix("pub mod ")) {
        let module = line.trim_end_matches(';');
        assert!(
            doc.contains(&format!("`{module}`")),
            "ARCHITECTURE.md does not describe module `{module}`"
        );
    }
}

#[test]
fn no_stubs_or_skipped_tests() {
    let mut files = Vec::new();
    for dir in ["src", "tests", "src-tauri/src", "src-tauri/tests"] {
        rust_files(&root().join(dir), &mut files);
    }
    let banned = [
        ["todo", "!("].concat(),
        ["unimplemented", "!("].concat(),
        ["#[", "ignore]"].concat(),
    ];
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for b in &banned {
            assert!(!text.contains(b.as_str()), "{} contains {b}", f.display());
        }
    }
}
