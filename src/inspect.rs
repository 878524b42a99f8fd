//! Read one input all the way through: sniff, unbake, classify the payload,
//! detect its version and kind, and normalize it into a [`BadgeView`].
//!
//! No network and no clock: a URL payload is reported as a URL, not fetched.

use crate::bake::{self, BakeError, ImageFormat, Unbaked};
use crate::detect::{self, DocKind, InputKind, Vcdm, Version};
use crate::model::{self, BadgeView};
use crate::payload::{self, Payload, PayloadError};
use serde::Serialize;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// Everything Satchel can tell about one input without the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inspection {
    /// What the input was: a PNG or SVG image, JSON, a JWS or a URL.
    pub container: InputKind,
    /// For images: where the payload was found and what was odd about it.
    pub baked: Option<Unbaked>,
    /// "JSON", "JWS" or "URL".
    pub payload_kind: &'static str,
    /// The payload exactly as embedded or given.
    pub payload: String,
    /// The Open Badges version, when it can be told.
    pub version: Option<Version>,
    /// What kind of document it is.
    pub kind: DocKind,
    /// For Verifiable Credentials: which VC data model.
    pub vcdm: Option<Vcdm>,
    /// For a JWS: its `alg` header.
    pub jws_alg: Option<String>,
    /// The badge as people see it, for documents that describe a badge.
    pub badge: Option<BadgeView>,
    /// The JSON document (for a JWS, its claims).
    #[serde(skip)]
    pub document: Option<Value>,
    /// Oddities that did not stop reading.
    pub warnings: Vec<String>,
}

/// Why an input is not a badge, or could not be read. The message reads well
/// after a file name and a colon.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum InspectError {
    /// A valid image without a baked badge.
    #[error("this {0} image carries no badge (it has no {1})")]
    NotBaked(ImageFormat, &'static str),
    /// The image could not be read.
    #[error(transparent)]
    Image(#[from] BakeError),
    /// The badge text could not be read.
    #[error("{0}")]
    Payload(String),
    /// Recognizable input that is not an Open Badges document.
    #[error("{0}")]
    NotABadge(String),
    /// The file could not be read.
    #[error("could not read the file ({0})")]
    Io(String),
}

impl InspectError {
    /// Is this "the input is not a badge or is broken" (exit code 1), as
    /// opposed to an I/O failure (exit code 2)?
    pub fn is_rejection(&self) -> bool {
        !matches!(self, InspectError::Io(_) | InspectError::Image(BakeError::Io(_)))
    }
}

fn payload_error(in_image: bool, e: PayloadError) -> InspectError {
    let prefix = if in_image { "the baked badge " } else { "" };
    InspectError::Payload(match e {
        PayloadError::Unrecognized if !in_image => {
            "this is not a badge: not a PNG or SVG image, JSON, a JWS or an http(s) URL".to_owned()
        }
        e => format!("{prefix}{}", e.to_string().replacen("it is", if in_image { "is" } else { "it is" }, 1)),
    })
}

/// Inspects bytes already in memory.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, InspectError> {
    match detect::sniff(bytes) {
        InputKind::Png => from_unbaked(InputKind::Png, bake::unbake_png(bytes)?),
        InputKind::Svg => from_unbaked(InputKind::Svg, bake::unbake_svg(bytes)?),
        _ => inspect_text_bytes(bytes),
    }
}

/// Inspects a file. A PNG is read chunk by chunk (pixel data is skipped, not
/// read); other files are read whole, up to the caps in [`crate::limits`].
pub fn inspect_path(path: &Path) -> Result<Inspection, InspectError> {
    let io = |e: std::io::Error| InspectError::Io(e.to_string());
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut head = [0u8; 8];
    let n = read_up_to(&mut file, &mut head).map_err(io)?;
    if n == 8 && head == bake::PNG_SIGNATURE {
        let reader = std::io::BufReader::with_capacity(16 * 1024, file);
        let mut reader = reader;
        use std::io::Seek;
        reader.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
        return from_unbaked(InputKind::Png, bake::unbake_png_reader(reader)?);
    }
    let cap = crate::limits::MAX_SVG_BYTES.max(crate::limits::MAX_DOCUMENT_BYTES);
    let mut bytes = head[..n].to_vec();
    file.take(cap as u64 + 1 - n as u64).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() > cap {
        return Err(InspectError::NotABadge(format!(
            "the file is larger than {} MiB, Satchel's limit for SVG, JSON and JWS input",
            cap / (1024 * 1024)
        )));
    }
    inspect(&bytes)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..])? {
            0 => break,
            k => filled += k,
        }
    }
    Ok(filled)
}

/// Inspects badge text: JSON, a JWS or a URL (also used for pasted text).
pub fn inspect_text(text: &str) -> Result<Inspection, InspectError> {
    let p = payload::classify(text).map_err(|e| payload_error(false, e))?;
    let container = match &p {
        Payload::Json(_) => InputKind::Json,
        Payload::Jws { .. } => InputKind::Jws,
        Payload::Url(_) => InputKind::Url,
    };
    finish(container, None, text.to_owned(), p)
}

fn inspect_text_bytes(bytes: &[u8]) -> Result<Inspection, InspectError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InspectError::NotABadge("the file is empty".to_owned()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => inspect_text(text),
        Err(e) => Err(InspectError::NotABadge(format!(
            "this is not a badge: not a PNG or SVG image, and not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))),
    }
}

fn from_unbaked(container: InputKind, unbaked: Option<Unbaked>) -> Result<Inspection, InspectError> {
    let Some(unbaked) = unbaked else {
        let (format, what) = match container {
            InputKind::Png => (ImageFormat::Png, "openbadges, openbadgecredential or clrcredential text chunk"),
            _ => (ImageFormat::Svg, "Open Badges assertion or credential element"),
        };
        return Err(InspectError::NotBaked(format, what));
    };
    let p = payload::classify(&unbaked.payload).map_err(|e| payload_error(true, e))?;
    let text = unbaked.payload.clone();
    finish(container, Some(unbaked), text, p)
}

fn finish(
    container: InputKind,
    baked: Option<Unbaked>,
    payload_text: String,
    p: Payload,
) -> Result<Inspection, InspectError> {
    let mut warnings = baked.as_ref().map(|u| u.warnings.clone()).unwrap_or_default();
    let jws_alg = match &p {
        Payload::Jws { jws, .. } => jws.alg().map(str::to_owned),
        _ => None,
    };
    let (detected, badge, document) = match p.document() {
        Some(doc) => {
            let d = detect::detect_json(doc);
            if d.kind == DocKind::Unknown && d.version.is_none() {
                return Err(InspectError::NotABadge(
                    "this is JSON, but not an Open Badges document (no badge context, type or fields)".to_owned(),
                ));
            }
            (d, model::normalize(doc, &d), Some(doc.clone()))
        }
        None => (detect::Detected { version: None, kind: DocKind::Assertion, vcdm: None }, None, None),
    };
    if let (Some(slot), Some(version)) = (baked.as_ref().map(|b| b.slot), detected.version) {
        if slot != version.slot() {
            warnings.push(format!(
                "an Open Badges {} document is baked in the {} slot, where it does not belong",
                version,
                slot.png_keyword()
            ));
        }
    }
    Ok(Inspection {
        container,
        baked,
        payload_kind: p.kind_name(),
        payload: payload_text,
        version: detected.version,
        kind: detected.kind,
        vcdm: detected.vcdm,
        jws_alg,
        badge,
        document,
        warnings,
    })
}
