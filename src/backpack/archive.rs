//! `export-all`: the whole backpack as an open folder anyone can read
//! without Satchel: every badge's original file byte for byte, a JSON file
//! per badge (the normalized badge, the payload, the last verification and
//! its history, tags and note), the documents kept for verification, and a
//! manifest tying them together.
//!
//! The folder is written beside its destination under a temporary name and
//! renamed into place at the end (`atomic`), so a failed export
//! leaves nothing behind, and a copy left by a killed run is removed by the
//! next export into the same place.

use super::lock;
use crate::atomic::{clean_stale, Partial};
use crate::store::{Store, StoreError};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What `export_all` wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExportAllSummary {
    /// The folder.
    pub path: PathBuf,
    /// How many badges.
    pub badges: usize,
    /// How many kept documents.
    pub documents: usize,
    /// How many collections.
    pub collections: usize,
}

fn io(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::File {
        path: path.to_path_buf(),
        reason: match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            std::io::ErrorKind::NotFound => "there is no such folder".to_owned(),
            _ => e.to_string(),
        },
    }
}

/// A file-name-safe short form of a badge name.
pub(crate) fn slug(name: Option<&str>) -> String {
    let mut out = String::new();
    for c in name.unwrap_or("badge").chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "badge".to_owned()
    } else {
        out
    }
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/svg+xml" => "svg",
        "application/json" => "json",
        "application/jwt" => "jws",
        "text/uri-list" => "url.txt",
        _ => "bin",
    }
}

const README: &str = "This folder is an export of a Satchel backpack (Open Badges).

manifest.json        every badge, collection and identity, and where its files are
badges/NNNN-name.*   each badge's original file exactly as received (a baked PNG or
                     SVG still holds the badge and can be verified anywhere)
badges/NNNN-name.satchel.json  the badge as Satchel read it: the normalized
                     badge, the payload, the last verification report and the
                     history, tags and note
documents/           the issuer documents (badge classes, profiles, keys, lists)
                     Satchel kept to verify the badges; documents/index.json maps
                     each URL to its file

Everything is plain JSON and the original files; no Satchel is needed to read it.
";

/// Writes the whole backpack to the folder `out`, which must not exist or
/// be empty.
pub fn export_all(store: &Mutex<Store>, out: &Path) -> Result<ExportAllSummary, StoreError> {
    if out.exists() {
        let empty = std::fs::read_dir(out)
            .map_err(|e| io(out, &e))?
            .next()
            .is_none();
        if !empty {
            return Err(StoreError::File {
                path: out.to_path_buf(),
                reason: "the folder is not empty; choose a new or empty folder".to_owned(),
            });
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| io(parent, &e))?;
    }
    clean_stale(out);
    let temp = Partial::dir(out).map_err(|e| io(out, &e))?;
    // Dropping `temp` on any error below removes the half-written folder.
    let mut summary = write_all(store, temp.path())?;
    temp.persist(out).map_err(|e| io(out, &e))?;
    summary.path = out.to_path_buf();
    Ok(summary)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    std::fs::write(path, bytes).map_err(|e| io(path, &e))
}

fn write_all(store: &Mutex<Store>, dir: &Path) -> Result<ExportAllSummary, StoreError> {
    let badges_dir = dir.join("badges");
    let docs_dir = dir.join("documents");
    for d in [dir, &badges_dir, &docs_dir] {
        std::fs::create_dir_all(d).map_err(|e| io(d, &e))?;
    }
    write(&dir.join("README.txt"), README.as_bytes())?;
    let ids = lock(store).badge_ids()?;
    let mut manifest_badges = Vec::with_capacity(ids.len());
    let mut doc_urls = std::collections::BTreeSet::new();
    for id in &ids {
        if let Some(entry) = write_badge(store, dir, *id, &mut doc_urls)? {
            manifest_badges.push(entry);
        }
    }
    let documents = write_documents(store, dir, &doc_urls)?;
    let (collections, identities) = {
        let s = lock(store);
        let mut cs = Vec::new();
        for c in s.collections()? {
            cs.push(json!({"name": c.name, "description": c.description, "badges": s.collection_badge_ids(c.id)?}));
        }
        (cs, s.identities()?)
    };
    let n_collections = collections.len();
    let manifest = json!({
        "format": "satchel-export-all",
        "format_version": 1,
        "exported_at": crate::clock::now(),
        "badges": manifest_badges,
        "collections": collections,
        "identities": identities,
    });
    write(
        &dir.join("manifest.json"),
        serde_json::to_string_pretty(&manifest)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    Ok(ExportAllSummary {
        path: dir.to_path_buf(),
        badges: ids.len(),
        documents,
        collections: n_collections,
    })
}

/// Writes badge `id`'s original file and its `.satchel.json` under `badges/`,
/// adds the documents its verification used to `doc_urls`, and returns its
/// manifest entry (`None` when the badge is gone).
fn write_badge(
    store: &Mutex<Store>,
    dir: &Path,
    id: i64,
    doc_urls: &mut std::collections::BTreeSet<String>,
) -> Result<Option<Value>, StoreError> {
    let (record, file, history) = {
        let s = lock(store);
        (s.badge(id)?, s.badge_file(id)?, s.verifications(id)?)
    };
    let Some(record) = record else {
        return Ok(None);
    };
    let base = format!("{id:04}-{}", slug(record.summary.name.as_deref()));
    let original = match &file {
        Some((media, bytes)) => {
            let rel = format!("badges/{base}.{}", extension(media));
            write(&dir.join(&rel), bytes)?;
            Some(rel)
        }
        None => None,
    };
    let payload: Value = serde_json::from_str(&record.payload)
        .unwrap_or_else(|_| Value::String(record.payload.clone()));
    let badge: Value = serde_json::from_str(&record.badge_json).unwrap_or(Value::Null);
    let last: Value = history
        .last()
        .and_then(|v| serde_json::from_str(&v.report_json).ok())
        .unwrap_or(Value::Null);
    let json_rel = format!("badges/{base}.satchel.json");
    let body = json!({
        "id": id,
        "badge": badge,
        "payload": payload,
        "status": record.summary.status,
        "checked_at": record.summary.checked_at,
        "verification": last,
        "history": history.iter().map(|v| json!({"checked_at": v.checked_at, "status": v.status, "offline": v.offline})).collect::<Vec<_>>(),
        "tags": record.tags,
        "note": record.note,
        "source": record.source,
        "sha256": record.sha256,
    });
    write(
        &dir.join(&json_rel),
        serde_json::to_string_pretty(&body)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    doc_urls.extend(record.documents.iter().cloned());
    Ok(Some(json!({
        "id": id,
        "name": record.summary.name,
        "issuer": record.summary.issuer_name,
        "version": record.summary.version,
        "status": record.summary.status,
        "checked_at": record.summary.checked_at,
        "assertion_id": record.summary.assertion_id,
        "sha256": record.sha256,
        "original": original,
        "json": json_rel,
        "tags": record.tags,
        "collections": record.collections.iter().map(|(_, n)| n).collect::<Vec<_>>(),
    })))
}

/// Writes the kept documents at `doc_urls` under `documents/`, with their
/// `index.json`; returns how many there were.
fn write_documents(
    store: &Mutex<Store>,
    dir: &Path,
    doc_urls: &std::collections::BTreeSet<String>,
) -> Result<usize, StoreError> {
    let mut index = serde_json::Map::new();
    for url in doc_urls {
        let Some(doc) = lock(store).get_document(url)? else {
            continue;
        };
        let rel = format!("documents/{}", &doc.sha256[..32]);
        write(&dir.join(&rel), &doc.body)?;
        index.insert(
            url.clone(),
            json!({"file": rel, "status": doc.status, "content_type": doc.content_type, "fetched_at": doc.fetched_at, "sha256": doc.sha256}),
        );
    }
    let documents = index.len();
    write(
        &dir.join("documents").join("index.json"),
        serde_json::to_string_pretty(&Value::Object(index))
            .unwrap_or_default()
            .as_bytes(),
    )?;
    Ok(documents)
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_short_and_safe() {
        assert_eq!(
            super::slug(Some("Rust: Web & <Script>!")),
            "rust-web-script"
        );
        assert_eq!(super::slug(Some("ÄÖ")), "badge");
        assert_eq!(super::slug(None), "badge");
        assert!(super::slug(Some(&"a".repeat(100))).len() <= 40);
    }
}
