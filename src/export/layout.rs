//! The file layout of an export: the names of the pages and files (from a
//! badge's id and its original name), the images an export may copy, and the
//! URLs a page may link to.

use super::words::human_size;
use super::ExportBadge;
use crate::detect::InputKind;
use crate::inspect::PayloadKind;
use crate::media::{data_uri_bytes, sniff_image};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

/// Largest image (display, issuer) copied into an export.
const MAX_IMAGE_BYTES: usize = 16 * 1024 * 1024;

/// The page of the badge with this slug.
pub(super) fn badge_page(slug: &str) -> String {
    format!("badges/{slug}.html")
}

/// The folder of the badge's files.
pub(super) fn files_dir(slug: &str) -> String {
    format!("files/{slug}")
}

/// `https://example.org/x` → `https://example.org/x/` (http(s) only).
pub(crate) fn normalize_base_url(base: &str) -> Option<String> {
    let url = url::Url::parse(base.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return None;
    }
    let mut s = url.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

/// A link target badge data may supply: only absolute http and https URLs,
/// re-serialized by the URL parser (so no `javascript:`, `data:`, relative or
/// control-character tricks survive).
pub(crate) fn safe_link(s: &str) -> Option<String> {
    let url = url::Url::parse(s.trim()).ok()?;
    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() {
        Some(url.to_string())
    } else {
        None
    }
}

/// Keeps letters, digits, `-` and `_` of a badge id (others become `-`).
pub(super) fn slug(id: &str) -> String {
    let s: String = id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_owned()
}

/// A safe file name for the original file: `[A-Za-z0-9._-]`, no leading dot,
/// with the extension the content deserves.
pub(super) fn original_file_name(name: Option<&str>, container: InputKind) -> String {
    let ext = match container {
        InputKind::Png => "png",
        InputKind::Svg => "svg",
        InputKind::Json => "json",
        InputKind::Jws => "jws",
        InputKind::Url | InputKind::Unknown => "txt",
    };
    let base = name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n))
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .unwrap_or_default();
    let stem = base
        .rsplit_once('.')
        .map(|(s, _)| s.to_owned())
        .unwrap_or(base)
        .trim_matches(['.', '-'])
        .chars()
        .take(80)
        .collect::<String>();
    let stem = if stem.is_empty() || matches!(stem.as_str(), "credential" | "image" | "issuer") {
        format!("original-{}", if stem.is_empty() { "badge" } else { &stem })
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

/// The bytes of an image named by a badge: a `data:` URI, or a URL whose
/// bytes verification fetched. Never fetched here.
pub(super) fn image_bytes(
    src: &str,
    docs: &HashMap<&str, &[u8]>,
) -> Option<(&'static str, Vec<u8>)> {
    let src = src.trim();
    let bytes = if let Some(rest) = src.strip_prefix("data:") {
        data_uri_bytes(rest)?
    } else {
        docs.get(src)?.to_vec()
    };
    if bytes.len() > MAX_IMAGE_BYTES {
        return None;
    }
    let (ext, _) = sniff_image(&bytes)?;
    Some((ext, bytes))
}

#[derive(Clone, Serialize)]
pub(super) struct FileLink {
    pub(super) href: String,
    pub(super) label: String,
    pub(super) size: String,
    /// The name to save it under, when it differs from the published one.
    pub(super) download: Option<String>,
}

/// The badge's own files a page offers for download.
pub(super) struct Published {
    /// The links the page shows, in order.
    pub(super) links: Vec<FileLink>,
    /// (relative path, bytes) of each.
    pub(super) files: Vec<(PathBuf, Vec<u8>)>,
    /// The original file's path.
    pub(super) original: String,
}

/// The original file byte for byte (a baked SVG as `.svg.txt`), the
/// credential JSON and, for a JWS, its compact form, under `dir`.
pub(super) fn original_files(b: &ExportBadge, dir: &str, docs: &HashMap<&str, &[u8]>) -> Published {
    let ins = &b.inspection;
    let is_svg = ins.container == InputKind::Svg;
    let name = original_file_name(b.original_name.as_deref(), ins.container);
    // An SVG original may carry script: published as text, saved as .svg.
    let original = if is_svg {
        format!("{dir}/{name}.txt")
    } else {
        format!("{dir}/{name}")
    };
    let label = match ins.container {
        InputKind::Png => "The badge image with the badge baked in (PNG)",
        InputKind::Svg => "The badge image with the badge baked in, as the issuer made it (SVG)",
        _ => "The badge file as received",
    };
    let mut out = Published {
        links: Vec::new(),
        files: Vec::new(),
        original: original.clone(),
    };
    out.add(original, label, b.original.clone(), is_svg.then_some(name));
    let json_text: Option<Vec<u8>> = match ins.payload_kind {
        PayloadKind::Json => Some(ins.payload.clone().into_bytes()),
        PayloadKind::Jws => ins
            .document
            .as_ref()
            .and_then(|d| serde_json::to_vec_pretty(d).ok()),
        PayloadKind::Url => docs
            .get(ins.payload.trim())
            .map(|d| d.to_vec())
            .filter(|d| serde_json::from_slice::<Value>(d).is_ok()),
    };
    let jws = ins.payload_kind == PayloadKind::Jws;
    if let Some(json_bytes) = json_text {
        let label = if jws {
            "The signed assertion or credential, decoded (JSON)"
        } else {
            "The assertion or credential (JSON)"
        };
        out.add(format!("{dir}/credential.json"), label, json_bytes, None);
    }
    if jws {
        let bytes = ins.payload.trim().as_bytes().to_vec();
        let label = "The signed form, as issued (compact JWS)";
        out.add(format!("{dir}/credential.jws"), label, bytes, None);
    }
    out
}

impl Published {
    fn add(&mut self, rel: String, label: &str, bytes: Vec<u8>, download: Option<String>) {
        self.links.push(FileLink {
            href: format!("../{rel}"),
            label: label.to_owned(),
            size: human_size(bytes.len()),
            download,
        });
        self.files.push((PathBuf::from(rel), bytes));
    }
}
