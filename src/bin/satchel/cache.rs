//! `satchel cache …`: the offline document cache from the command line.
//!
//! Pin files as the documents for URLs (`add`, `import-dir`), list what is
//! kept, forget a document. The work is done by `satchel::fetch` (pinning)
//! and `satchel::store` (the database); this file only parses arguments and
//! prints plain text. Errors come back as one sentence naming the file or
//! URL; `main.rs` maps them to the exit code.

use clap::Subcommand;
use satchel::fetch::{cache_key, import_dir, pin_file};
use satchel::store::{self, DocumentSummary, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Manage the offline document cache.
#[derive(Subcommand, Debug, Clone, PartialEq, Eq)]
pub enum CacheCommand {
    /// Pin a file as the document for a URL.
    ///
    /// From then on Satchel uses the file instead of asking the network for
    /// that URL, online or offline: use it for an issuer's key or profile
    /// that you have a trusted copy of, or that is no longer online.
    Add {
        /// The http(s) URL the file answers for.
        url: String,
        /// The file (JSON, JWS, PEM, PNG, SVG …), at most 16 MiB.
        file: PathBuf,
    },
    /// Pin every file under a directory as the document for BASE plus its path.
    ///
    /// `DIR/keys/k1.json` answers for `BASE/keys/k1.json`. Hidden files and
    /// directories are skipped. Either every file is pinned or none is.
    ImportDir {
        /// The directory (for example a saved copy of an issuer's site).
        dir: PathBuf,
        /// The http(s) URL the directory stands for.
        #[arg(long, value_name = "URL")]
        base: String,
    },
    /// List the kept documents: URL, status, size, age and source.
    List,
    /// Forget the kept document for a URL (fetched or pinned).
    Remove {
        /// The URL whose document to forget.
        url: String,
    },
}

/// Runs one `satchel cache` command against the database in `data_dir`
/// (the `--data-dir` flag; else `SATCHEL_DATA_DIR`; else the platform's data
/// directory), printing to standard output.
pub fn run(cmd: CacheCommand, data_dir: Option<PathBuf>) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match run_to(cmd, data_dir, &mut out) {
        Err(e) => Err(e),
        Ok(()) => match out.flush() {
            // A closed pipe (`satchel cache list | head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(format!("Could not write to standard output ({e})."))
            }
            _ => Ok(()),
        },
    }
}

/// [`run`], writing to `out`.
pub fn run_to(
    cmd: CacheCommand,
    data_dir: Option<PathBuf>,
    out: &mut dyn Write,
) -> Result<(), String> {
    let dir = store::data_dir(data_dir).map_err(|e| sentence(&e.to_string()))?;
    let store = Store::open_default(&dir).map_err(|e| sentence(&e.to_string()))?;
    let text = match cmd {
        CacheCommand::Add { url, file } => add(&store, &url, &file)?,
        CacheCommand::ImportDir { dir, base } => import(&store, &dir, &base)?,
        CacheCommand::List => list(&store, satchel::clock::now())?,
        CacheCommand::Remove { url } => remove(&store, &url)?,
    };
    match out.write_all(crate::output::clean_lines(&text).as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("Could not write to standard output ({e})."))
        }
        _ => Ok(()),
    }
}

fn add(store: &Store, url: &str, file: &Path) -> Result<String, String> {
    let pinned = pin_file(store, url, file).map_err(|e| sentence(&e.to_string()))?;
    let short: String = pinned.sha256.chars().take(12).collect();
    Ok(format!(
        "Pinned {} ({} bytes, sha256 {short}…).\n",
        pinned.url, pinned.size
    ))
}

fn import(store: &Store, dir: &Path, base: &str) -> Result<String, String> {
    let n = import_dir(store, dir, base).map_err(|e| sentence(&e.to_string()))?;
    let mut shown = cache_key(base).unwrap_or_else(|_| base.to_owned());
    if !shown.ends_with('/') {
        shown.push('/');
    }
    let noun = if n == 1 { "document" } else { "documents" };
    Ok(format!("Imported {n} {noun} for {shown}.\n"))
}

fn remove(store: &Store, url: &str) -> Result<String, String> {
    let key = cache_key(url).unwrap_or_else(|_| url.to_owned());
    match store.remove_document(&key) {
        Ok(true) => Ok(format!("Removed {key} from the document cache.\n")),
        Ok(false) => Err(format!("{url} is not in Satchel's document cache.")),
        Err(e) => Err(sentence(&e.to_string())),
    }
}

fn list(store: &Store, now: i64) -> Result<String, String> {
    let docs = store
        .list_documents()
        .map_err(|e| sentence(&e.to_string()))?;
    Ok(table(&docs, now))
}

/// The `list` table: one row per document, columns aligned.
fn table(docs: &[DocumentSummary], now: i64) -> String {
    if docs.is_empty() {
        return "The document cache is empty.\n".to_owned();
    }
    let rows: Vec<[String; 5]> = docs
        .iter()
        .map(|d| {
            [
                d.url.clone(),
                d.status.to_string(),
                size(d.size),
                age(d.age_seconds(now)),
                d.source.to_string(),
            ]
        })
        .collect();
    let header = ["URL", "STATUS", "SIZE", "AGE", "SOURCE"].map(str::to_owned);
    let mut width = [0usize; 5];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in width.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let line = format!(
            "{:<w0$}  {:>w1$}  {:>w2$}  {:>w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = width[0],
            w1 = width[1],
            w2 = width[2],
            w3 = width[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    let noun = if docs.len() == 1 {
        "document"
    } else {
        "documents"
    };
    out.push_str(&format!("{} {noun}.\n", docs.len()));
    out
}

fn size(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

fn age(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

/// Ends a message with exactly one full stop.
fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_owned()
    } else {
        format!("{t}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use satchel::store::DocumentSource;

    #[test]
    fn sizes_and_ages_read_plainly() {
        assert_eq!(size(451), "451 B");
        assert_eq!(size(2048), "2.0 KiB");
        assert_eq!(size(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(age(5), "5 s");
        assert_eq!(age(600), "10 min");
        assert_eq!(age(7200), "2 h");
        assert_eq!(age(3 * 86_400), "3 d");
    }

    #[test]
    fn the_table_aligns_columns() {
        let doc = |url: &str, size: u64, source| DocumentSummary {
            url: url.to_owned(),
            final_url: url.to_owned(),
            status: 200,
            content_type: None,
            size,
            sha256: "0".repeat(64),
            fetched_at: 1000,
            source,
            pinned: source == DocumentSource::Pinned,
        };
        let text = table(
            &[
                doc("https://example.org/key.json", 451, DocumentSource::Pinned),
                doc("https://example.org/i", 20_000, DocumentSource::Network),
            ],
            1000 + 7200,
        );
        assert_eq!(
            text,
            "URL                           STATUS      SIZE  AGE  SOURCE\n\
             https://example.org/key.json     200     451 B  2 h  pinned\n\
             https://example.org/i            200  19.5 KiB  2 h  network\n\
             2 documents.\n"
        );
        assert_eq!(table(&[], 0), "The document cache is empty.\n");
    }

    #[test]
    fn add_import_list_remove_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let data = Some(dir.path().join("data"));
        let file = dir.path().join("key.json");
        std::fs::write(&file, "{}").unwrap();
        let run = |cmd| {
            let mut out = Vec::new();
            run_to(cmd, data.clone(), &mut out).map(|()| String::from_utf8(out).unwrap())
        };
        let added = run(CacheCommand::Add {
            url: "https://example.org/key.json".into(),
            file: file.clone(),
        })
        .unwrap();
        assert!(
            added.starts_with(
                "Pinned https://example.org/key.json (2 bytes, sha256 44136fa355b3…)."
            ),
            "{added}"
        );
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("keys")).unwrap();
        std::fs::write(site.join("issuer.json"), "{}").unwrap();
        std::fs::write(site.join("keys/k.pem"), "PEM").unwrap();
        let imported = run(CacheCommand::ImportDir {
            dir: site,
            base: "https://example.org/site".into(),
        })
        .unwrap();
        assert_eq!(
            imported,
            "Imported 2 documents for https://example.org/site/.\n"
        );
        let listed = run(CacheCommand::List).unwrap();
        assert!(
            listed.contains("https://example.org/site/keys/k.pem"),
            "{listed}"
        );
        assert!(listed.ends_with("3 documents.\n"), "{listed}");
        let removed = run(CacheCommand::Remove {
            url: "https://example.org/key.json".into(),
        })
        .unwrap();
        assert_eq!(
            removed,
            "Removed https://example.org/key.json from the document cache.\n"
        );
        let err = run(CacheCommand::Remove {
            url: "https://example.org/key.json".into(),
        })
        .unwrap_err();
        assert_eq!(
            err,
            "https://example.org/key.json is not in Satchel's document cache."
        );
        let err = run(CacheCommand::Add {
            url: "https://example.org/x".into(),
            file: dir.path().join("missing.json"),
        })
        .unwrap_err();
        assert!(err.contains("missing.json: could not read it ("), "{err}");
        assert!(err.ends_with('.'), "{err}");
    }
}
