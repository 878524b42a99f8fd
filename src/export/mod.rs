//! Share pages: a collection exported as a folder of static pages that anyone
//! can host anywhere or open from disk, and that verify themselves.
//!
//! The input is plain data ([`ExportCollection`]: each badge's original bytes,
//! its [`Inspection`], its last verification [`Report`] and the issuer documents
//! that verification fetched), so the store, the CLI and the desktop app all
//! call the same [`export_collection`]. Nothing here touches the network, the
//! clock (time comes in [`ExportOptions::now`]) or SQLite.
//!
//! What is written (`out/`):
//!
//! ```text
//! index.html                  title, description, a grid of badge cards, the collection's embed snippet
//! manifest.json               machine-readable: every badge, its files, verdict and date of check
//! assets/satchel.css          the only stylesheet (screen and print)
//! assets/verify.js            the in-browser verifier (WebCrypto; no other script)
//! badges/<id>.html            one page per badge
//! files/<id>/<original name>  the badge as it came in, byte for byte (an SVG as `<name>.svg.txt`)
//! files/<id>/credential.json  the assertion or credential JSON (credential.jws too for a JWS)
//! files/<id>/image.<ext>      the display image when the original is not a PNG (an SVG is a cleaned copy)
//! files/<id>/issuer.<ext>     the issuer's image, when verification saved it (an SVG is a cleaned copy)
//! embed.html                  the collection's embed snippet (each badge's is on its page and in the manifest)
//! ```
//!
//! Rules the output keeps, whatever the badge says:
//!
//! - every badge-controlled string goes through minijinja with HTML
//!   auto-escaping; links are emitted only for `http`/`https` targets;
//! - every page has a strict Content-Security-Policy (`default-src 'none'`,
//!   scripts and styles from the export only, no connections), and nothing on a
//!   page makes a request outside the export folder: badge images are local
//!   files shown with `<img>` (never inlined SVG markup);
//! - no published SVG can run script or load anything when opened directly:
//!   every badge-supplied SVG image is published as the copy `svg_clean`
//!   rebuilds from an allow-list, and a baked SVG original (kept byte for byte,
//!   it carries the signed badge) is published as text (`.svg.txt`, which no
//!   browser renders) and downloads under its `.svg` name;
//! - the recipient's plaintext email never appears: a badge that carries one is
//!   published without its original file, JSON and self-check (and a warning
//!   says so); a published email hash is reported as a warning; the recipient's
//!   name and the evidence are shown only when the options ask for them;
//! - the folder is built beside `out` and renamed into place, so a failed export
//!   never leaves a half-written folder; a non-empty `out` that is not a previous
//!   Satchel export is never overwritten;
//! - over a previous export, everything its `manifest.json` does not list in
//!   `files` (a `CNAME`, a `README.md`, a folder the user added) is carried into
//!   the new folder before the rename (hard-linked, or copied where links are not
//!   possible; symbolic links stay links); when the new export would write one of
//!   those paths, nothing is changed and the error names the files. (A manifest
//!   from before `files` was written counts `index.html`, `embed.html` and
//!   everything under `assets/`, `badges/` and `files/` as the export's.)

//! The command line's `satchel export COLLECTION --out DIR [--base-url URL]
//! [--include-recipient-name] [--include-evidence]` is one call: read the
//! collection's badges from the store (original bytes, `inspect` of them, the
//! last `Report`, the cached documents that report used), then
//! `export_collection(&collection, &ExportOptions { base_url, include_recipient_name,
//! include_evidence, now }, out)`, print `ExportSummary::warnings` and the pages.

mod layout;
mod page;
mod plan;
mod privacy;
mod render;
pub(crate) mod svg_clean;
mod verify_data;
mod view;
mod words;

use crate::inspect::Inspection;
use crate::verify::Report;
use std::path::{Path, PathBuf};

pub use plan::{share_plan, PlannedBadge, SharePlan};
pub use view::linkedin_url;

/// A collection to export.
#[derive(Clone, Debug, Default)]
pub struct ExportCollection {
    /// The collection's title (shown as the heading of `index.html`).
    pub title: String,
    /// Its description (plain text; blank lines separate paragraphs).
    pub description: Option<String>,
    /// The badges, in the order shown.
    pub badges: Vec<ExportBadge>,
}

/// One badge of a collection, with everything its page shows.
#[derive(Clone, Debug)]
pub struct ExportBadge {
    /// A stable identifier used for file names (`badges/<id>.html`): letters,
    /// digits, `-` and `_`, at most 64 characters (other characters are
    /// replaced by `-`). Two badges of one collection must not share one.
    pub id: String,
    /// The badge's original file (baked PNG or SVG, JSON, JWS), byte for byte.
    pub original: Vec<u8>,
    /// The original file name, if known (only its safe characters are used).
    pub original_name: Option<String>,
    /// What `inspect` read from `original`.
    pub inspection: Inspection,
    /// The last verification (its `checked_at` is shown as the date of the check).
    pub report: Report,
    /// Documents fetched while verifying (issuer profile, badge class, keys,
    /// DID documents, revocation and status lists, images), by URL: embedded in
    /// the page so the visitor's browser can re-check the badge offline.
    pub documents: Vec<(String, Vec<u8>)>,
    /// The display image (media type, bytes) when `original` is not an image.
    pub image: Option<(String, Vec<u8>)>,
}

/// How to export.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Where the folder will be published (`https://example.org/badges/`):
    /// makes Open Graph, embed and LinkedIn URLs absolute. Must be http(s).
    pub base_url: Option<String>,
    /// Show the recipient's name (when the badge names one).
    pub include_recipient_name: bool,
    /// Show the badge's evidence.
    pub include_evidence: bool,
    /// Publish no badge's original file, JSON or in-browser check (they
    /// carry everything the issuer wrote, the recipient's name included).
    pub leave_out_originals: bool,
    /// The time of the export, seconds since the Unix epoch (UTC).
    pub now: i64,
}

/// What an export wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportSummary {
    /// The folder written.
    pub out_dir: PathBuf,
    /// The HTML pages written, relative to `out_dir` (`index.html` first).
    pub pages: Vec<PathBuf>,
    /// Every file written, relative to `out_dir`.
    pub files: Vec<PathBuf>,
    /// Things the user should know before publishing, one sentence each
    /// (`badges/3.html publishes a hash of the recipient's email address …`).
    pub warnings: Vec<String>,
}

/// Why an export failed. Each message is one sentence naming the path and the problem.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The output folder holds files that are not a previous Satchel export.
    #[error(
        "{0}: the folder is not empty and is not a previous Satchel export, so it is left alone"
    )]
    NotEmpty(PathBuf),
    /// The output path exists and is not a folder.
    #[error("{0}: this exists and is not a folder")]
    NotADirectory(PathBuf),
    /// A file system operation failed.
    #[error("{path}: could not {action} ({message})")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What was being done ("write the file", "create the folder").
        action: &'static str,
        /// The system's message.
        message: String,
    },
    /// The base URL is not an absolute http(s) URL.
    #[error("{0}: the base URL must be an absolute http or https URL")]
    BadBaseUrl(String),
    /// A badge id is empty after keeping its safe characters, or used twice.
    #[error("{path}: {problem}")]
    BadId {
        /// The page the id would name.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// Files added to a previous export cannot be carried over into the new
    /// one (the new export writes the same path, or they are not files).
    #[error("{path}: {problem}")]
    AddedFiles {
        /// The output folder.
        path: PathBuf,
        /// What is wrong, naming the files.
        problem: String,
    },
    /// A template could not be rendered (a bug in Satchel, reported as an error).
    #[error("{path}: could not render the page ({message})")]
    Render {
        /// The page.
        path: PathBuf,
        /// The template engine's message.
        message: String,
    },
}

fn io_error(path: &Path, action: &'static str, e: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.to_path_buf(),
        action,
        message: e.to_string(),
    }
}

/// The file that marks a folder as a Satchel export (besides the pages).
pub const MANIFEST: &str = "manifest.json";

/// The `format` value [`MANIFEST`] carries, by which a previous export is recognized.
pub const MANIFEST_FORMAT: &str = "satchel-export/1";

/// Exports `collection` into `out_dir` (created, or replaced when it is empty
/// or a previous Satchel export).
///
/// The folder is written beside `out_dir` under a temporary name and renamed
/// into place only when complete.
pub fn export_collection(
    collection: &ExportCollection,
    opts: &ExportOptions,
    out_dir: &Path,
) -> Result<ExportSummary, ExportError> {
    let base_url = match &opts.base_url {
        Some(b) => {
            Some(layout::normalize_base_url(b).ok_or_else(|| ExportError::BadBaseUrl(b.clone()))?)
        }
        None => None,
    };
    check_target(out_dir)?;
    let plan = share_plan(collection, opts)?;
    let site = page::build_site(collection, &plan, opts, base_url.as_deref())?;

    if let Some(parent) = out_dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, "create the folder", e))?;
    }
    crate::atomic::clean_stale(out_dir);
    // Dropping `tmp` on any error below removes the half-built folder.
    let tmp = crate::atomic::Partial::dir(out_dir)
        .map_err(|e| io_error(out_dir, "create a temporary folder beside it", e))?;
    write_files(tmp.path(), &site.files)?;
    keep_added_files(out_dir, tmp.path())?;
    // Checked again right before the swap: the folder may have changed meanwhile.
    check_target(out_dir)?;
    tmp.persist(out_dir)
        .map_err(|e| io_error(out_dir, "move the new export into place", e))?;
    Ok(ExportSummary {
        out_dir: out_dir.to_path_buf(),
        pages: site.pages,
        files: site.files.iter().map(|(p, _)| p.clone()).collect(),
        warnings: site.warnings,
    })
}

/// Is `dir` a folder written by [`export_collection`]?
pub fn is_previous_export(dir: &Path) -> bool {
    let Ok(bytes) = std::fs::read(dir.join(MANIFEST)) else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| {
            v.get("format")
                .and_then(|f| f.as_str())
                .map(|f| f == MANIFEST_FORMAT)
        })
        .unwrap_or(false)
}

fn check_target(out_dir: &Path) -> Result<(), ExportError> {
    match std::fs::symlink_metadata(out_dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(out_dir, "read the folder", e)),
        Ok(m) if !m.is_dir() => Err(ExportError::NotADirectory(out_dir.to_path_buf())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(out_dir).map_err(|e| io_error(out_dir, "read the folder", e))?;
            if entries.next().is_none() || is_previous_export(out_dir) {
                Ok(())
            } else {
                Err(ExportError::NotEmpty(out_dir.to_path_buf()))
            }
        }
    }
}

fn write_files(root: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<(), ExportError> {
    std::fs::create_dir_all(root).map_err(|e| io_error(root, "create the folder", e))?;
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|(rel, _)| rel.parent().map(|d| root.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for dir in &dirs {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "create the folder", e))?;
    }
    // Creating files is most of an export's time on a slow disk: one writer per core.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    for (rel, bytes) in part {
                        let path = root.join(rel);
                        std::fs::write(&path, bytes)
                            .map_err(|e| io_error(&path, "write the file", e))?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap_or_else(|_| {
                Err(ExportError::Io {
                    path: root.to_path_buf(),
                    action: "write the files",
                    message: "a writer stopped unexpectedly".to_owned(),
                })
            })?;
        }
        Ok(())
    })
}

/// How deep, and how many entries, of a previous export are looked through
/// for files the user added.
const MAX_ADDED_DEPTH: usize = 64;
const MAX_ADDED_ENTRIES: usize = 100_000;

/// The paths (relative, `/`-separated) the previous export in `dir` wrote,
/// or `None` for a manifest from before the list was kept.
fn previous_files(dir: &Path) -> Option<std::collections::HashSet<String>> {
    let bytes = std::fs::read(dir.join(MANIFEST)).ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let files = manifest.get("files")?.as_array()?;
    Some(
        files
            .iter()
            .filter_map(|f| f.as_str().map(str::to_owned))
            .collect(),
    )
}

/// Everything in the previous export `out_dir` that it did not write itself:
/// files, links and empty folders, relative to `out_dir`.
fn added_entries(out_dir: &Path) -> Result<Vec<(PathBuf, std::fs::FileType)>, ExportError> {
    let listed = previous_files(out_dir);
    let written = |rel: &str| {
        rel == MANIFEST
            || match &listed {
                Some(files) => files.contains(rel),
                None => {
                    ["index.html", "embed.html"].contains(&rel)
                        || ["assets/", "badges/", "files/"]
                            .iter()
                            .any(|d| rel.starts_with(d))
                }
            }
    };
    let mut found = Vec::new();
    let mut seen = 0usize;
    let mut stack = vec![(PathBuf::new(), 0usize)];
    while let Some((rel, depth)) = stack.pop() {
        let dir = out_dir.join(&rel);
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, "read the folder", e))?;
        let mut empty = true;
        for entry in entries {
            empty = false;
            let entry = entry.map_err(|e| io_error(&dir, "read the folder", e))?;
            let kind = entry
                .file_type()
                .map_err(|e| io_error(&entry.path(), "read the file", e))?;
            let child = rel.join(entry.file_name());
            seen += 1;
            if seen > MAX_ADDED_ENTRIES || depth >= MAX_ADDED_DEPTH {
                return Err(ExportError::AddedFiles {
                    path: out_dir.to_path_buf(),
                    problem: format!(
                        "the previous export holds more than {MAX_ADDED_ENTRIES} entries or folders deeper than {MAX_ADDED_DEPTH} levels, so it is left alone"
                    ),
                });
            }
            if kind.is_dir() {
                stack.push((child, depth + 1));
            } else if !written(&child.to_string_lossy().replace('\\', "/")) {
                found.push((child, kind));
            }
        }
        if empty && !rel.as_os_str().is_empty() {
            found.push((
                rel,
                std::fs::symlink_metadata(&dir)
                    .map_err(|e| io_error(&dir, "read the folder", e))?
                    .file_type(),
            ));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// Carries the files the user added to the previous export at `out_dir`
/// into the new build `tmp`, or refuses (changing nothing in `out_dir`)
/// with a sentence naming those the new export would overwrite.
fn keep_added_files(out_dir: &Path, tmp: &Path) -> Result<(), ExportError> {
    if !is_previous_export(out_dir) {
        return Ok(());
    }
    let added = added_entries(out_dir)?;
    let clash = |rel: &Path| {
        // The new build has this path, or a file where a folder of it goes.
        rel.ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| match std::fs::symlink_metadata(tmp.join(a)) {
                Ok(m) => a == rel || !m.is_dir(),
                Err(_) => false,
            })
    };
    let refused: Vec<String> = added
        .iter()
        .filter(|(rel, kind)| clash(rel) || !(kind.is_file() || kind.is_dir() || kind.is_symlink()))
        .map(|(rel, _)| rel.display().to_string())
        .collect();
    if !refused.is_empty() {
        let mut named = refused
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if refused.len() > 5 {
            named.push_str(&format!(" and {} more", refused.len() - 5));
        }
        return Err(ExportError::AddedFiles {
            path: out_dir.to_path_buf(),
            problem: format!(
                "the new export would replace what was added to the folder ({named}), so nothing was changed; move those out and export again"
            ),
        });
    }
    for (rel, kind) in &added {
        let (from, to) = (out_dir.join(rel), tmp.join(rel));
        if kind.is_dir() {
            std::fs::create_dir_all(&to).map_err(|e| io_error(&to, "create the folder", e))?;
            continue;
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| io_error(parent, "create the folder", e))?;
        }
        let carried = if kind.is_symlink() {
            std::fs::read_link(&from).and_then(|target| link(&target, &to))
        } else {
            std::fs::hard_link(&from, &to).or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
        };
        carried.map_err(|e| io_error(&from, "keep the file in the new export", e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::fs::copy(at.parent().unwrap_or(Path::new(".")).join(target), at).map(|_| ())
}
