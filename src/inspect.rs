//! Read one input all the way through: sniff, unbake, classify the payload,
//! detect its version and kind, and normalize it into a [`BadgeView`].
//!
//! No network and no clock: a URL payload is reported as a URL, not fetched.

use crate::bake::{self, BakeError, ImageFormat, Unbaked};
use crate::detect::{self, DocKind, InputKind, Vcdm, Version};
use crate::model::{self, BadgeView};
pub use crate::payload::PayloadKind;
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
    /// JSON, a JWS or a URL (serialized as `"JSON"`, `"JWS"`, `"URL"`).
    pub payload_kind: PayloadKind,
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
    /// For a JWS: the decoded JWS (header, payload, signature), so a verifier
    /// does not decode it again.
    #[serde(skip)]
    pub jws: Option<crate::jws::CompactJws>,
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
    /// Over one of Satchel's size limits for text input.
    #[error("{0}")]
    TooLarge(String),
    /// The file could not be read (the reason, in plain words).
    #[error("{0}")]
    Io(String),
}

impl InspectError {
    /// Is this "the input is not a badge or is broken" (exit code 1), as
    /// opposed to an I/O failure (exit code 2)?
    pub fn is_rejection(&self) -> bool {
        !matches!(
            self,
            InspectError::Io(_) | InspectError::Image(BakeError::Io(_))
        )
    }
}

fn payload_error(in_image: bool, e: PayloadError) -> InspectError {
    let prefix = if in_image { "the baked badge " } else { "" };
    let too_large = matches!(e, PayloadError::TooLarge(..));
    let text = match e {
        PayloadError::Unrecognized if !in_image => {
            "this is not a badge: not a PNG or SVG image, JSON, a JWS or an http(s) URL".to_owned()
        }
        e => format!(
            "{prefix}{}",
            e.to_string()
                .replacen("it is", if in_image { "is" } else { "it is" }, 1)
        ),
    };
    if too_large {
        InspectError::TooLarge(text)
    } else {
        InspectError::Payload(text)
    }
}

/// Inspects bytes already in memory.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, InspectError> {
    match detect::sniff(bytes) {
        InputKind::Png => from_unbaked(InputKind::Png, bake::unbake_png(bytes)?),
        InputKind::Svg => from_unbaked(InputKind::Svg, bake::unbake_svg_full(bytes)?),
        _ => inspect_text_bytes(bytes),
    }
}

/// How much of a file is read first. For a PNG this holds the signature,
/// `IHDR` and a typical OB 2.0 badge chunk baked right after it (where bakers
/// put it; a larger chunk costs one more positioned read, and copying a
/// bigger head into every file's buffer cost more than that); the
/// rest of a larger PNG is walked chunk header by chunk header with seeks, so
/// pixel data is never read, while a truncated file is still caught (every
/// chunk must fit in the file, and the file must end with `IEND`).
const HEAD_BYTES: usize = 4 * 1024;

thread_local! {
    /// The buffer [`load`] reads a file's head into, kept per thread.
    static HEAD_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A file's contents as far as unbaking needs them.
enum Loaded {
    /// The whole file.
    Bytes(Vec<u8>),
    /// A PNG larger than the head, already unbaked by walking its chunks.
    WalkedPng(Option<Unbaked>),
}

/// Why a file could not be read, in plain words.
fn read_failure(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => {
            "Satchel is not allowed to read this file (permission denied)".to_owned()
        }
        _ => format!("could not read the file ({e})"),
    }
}

fn load(path: &Path) -> Result<Loaded, InspectError> {
    let io = |e: std::io::Error| InspectError::Io(read_failure(&e));
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(InspectError::Io("it is a folder, not a file".to_owned()));
    }
    let size = meta.len();
    // One byte more than the size, so a file that grew is noticed.
    let want = (size.saturating_add(1)).min(HEAD_BYTES as u64) as usize;
    // One read call for a regular file (`read_to_end` would read 8 KiB at a
    // time), into this thread's reusable head buffer (a batch reads thousands
    // of files; a fresh zeroed buffer each time costs more than the read).
    let mut head = HEAD_BUFFER.with(|b| std::mem::take(&mut *b.borrow_mut()));
    head.resize(HEAD_BYTES, 0);
    let mut n = 0;
    while n < want {
        match file.read(&mut head[n..want]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(e)),
        }
    }
    let at_end = n < want;
    let give_back = |head: Vec<u8>| HEAD_BUFFER.with(|b| *b.borrow_mut() = head);
    if head[..n].starts_with(&bake::PNG_SIGNATURE) {
        if at_end {
            // The whole (small) file is in memory.
            let bytes = head[..n].to_vec();
            give_back(head);
            return Ok(Loaded::Bytes(bytes));
        }
        let mut reader = HeadThenFile {
            total: size.max(n as u64),
            head,
            len: n,
            file,
            pos: 0,
            file_pos: n as u64,
        };
        let found = bake::unbake_png_reader(&mut reader);
        give_back(reader.head);
        return Ok(Loaded::WalkedPng(found?));
    }
    let bytes_head = head[..n].to_vec();
    give_back(head);
    let head = bytes_head;
    let cap = crate::limits::MAX_SVG_BYTES.max(crate::limits::MAX_DOCUMENT_BYTES);
    let mut bytes = head;
    if !at_end {
        bytes.reserve(size.min(cap as u64 + 1).saturating_sub(n as u64) as usize);
        file.take((cap as u64 + 1).saturating_sub(n as u64))
            .read_to_end(&mut bytes)
            .map_err(io)?;
    }
    if bytes.len() > cap {
        return Err(InspectError::TooLarge(format!(
            "the file is larger than {} MiB, Satchel's limit for SVG, JSON and JWS input",
            cap / (1024 * 1024)
        )));
    }
    Ok(Loaded::Bytes(bytes))
}

/// The head of a file (already read) followed by the file itself: reads
/// inside the head cost nothing, a seek is only a position until the next
/// read past the head.
struct HeadThenFile {
    head: Vec<u8>,
    /// How much of `head` holds the file's first bytes.
    len: usize,
    file: std::fs::File,
    /// The file's size when opened.
    total: u64,
    /// The reader's position.
    pos: u64,
    /// Where the file's own cursor is (where positioned reads are not used).
    #[cfg_attr(unix, allow(dead_code))]
    file_pos: u64,
}

impl Read for HeadThenFile {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(rest) = usize::try_from(self.pos)
            .ok()
            .and_then(|p| self.head[..self.len].get(p..))
            .filter(|rest| !rest.is_empty())
        {
            let k = rest.len().min(buf.len());
            buf[..k].copy_from_slice(&rest[..k]);
            self.pos += k as u64;
            return Ok(k);
        }
        #[cfg(unix)]
        {
            // One positioned read instead of a seek and a read.
            use std::os::unix::fs::FileExt;
            let k = self.file.read_at(buf, self.pos)?;
            self.pos += k as u64;
            Ok(k)
        }
        #[cfg(not(unix))]
        {
            if self.file_pos != self.pos {
                use std::io::Seek;
                self.file.seek(std::io::SeekFrom::Start(self.pos))?;
                self.file_pos = self.pos;
            }
            let k = self.file.read(buf)?;
            self.pos += k as u64;
            self.file_pos += k as u64;
            Ok(k)
        }
    }
}

impl std::io::Seek for HeadThenFile {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        use std::io::SeekFrom;
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.total.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(t) => {
                self.pos = t;
                Ok(t)
            }
            None => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}

/// Inspects a file. Small files are read whole; a PNG over 4 KiB is walked
/// chunk by chunk (pixel data is skipped, not read). SVG, JSON and JWS files
/// are capped by [`crate::limits`].
pub fn inspect_path(path: &Path) -> Result<Inspection, InspectError> {
    match load(path)? {
        Loaded::Bytes(bytes) => inspect(&bytes),
        Loaded::WalkedPng(found) => from_unbaked(InputKind::Png, found),
    }
}

/// Extracts the payload baked into an image file, exactly as embedded,
/// without judging it. Fails with [`InspectError::NotBaked`] for an image
/// without a badge and [`InspectError::NotABadge`] for input that is not an image.
pub fn unbake_path(path: &Path) -> Result<Unbaked, InspectError> {
    let found = match load(path)? {
        Loaded::WalkedPng(found) => found.map(Ok),
        Loaded::Bytes(bytes) => unbake_bytes(&bytes).transpose(),
    };
    found.unwrap_or(Err(InspectError::NotBaked(ImageFormat::Png, NO_PNG_BADGE)))
}

/// Extracts the payload baked into image bytes (see [`unbake_path`]).
pub fn unbake_bytes(bytes: &[u8]) -> Result<Option<Unbaked>, InspectError> {
    // Markup goes straight to the SVG reader, which checks the root itself
    // (no separate sniffing parse).
    let markup = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'<');
    match detect::sniff_fast(bytes, markup) {
        InputKind::Png => Ok(bake::unbake_png(bytes)?),
        InputKind::Svg => match bake::unbake_svg(bytes) {
            Ok(Some(found)) => Ok(Some(found)),
            Ok(None) => Err(InspectError::NotBaked(ImageFormat::Svg, NO_SVG_BADGE)),
            // Markup that is not SVG at all (HTML, other XML) is "not a badge",
            // not "a damaged SVG".
            Err(_) if !bake::is_svg(bytes) => Err(InspectError::NotABadge(
                "this is markup, but not an SVG image".to_owned(),
            )),
            Err(e) => Err(e.into()),
        },
        other => Err(InspectError::NotABadge(format!(
            "this is {}, not a baked PNG or SVG image",
            describe_kind(other)
        ))),
    }
}

fn describe_kind(kind: InputKind) -> &'static str {
    match kind {
        InputKind::Json => "JSON",
        InputKind::Jws => "a compact JWS",
        InputKind::Url => "a URL",
        _ => "neither a PNG nor an SVG image",
    }
}

const NO_PNG_BADGE: &str = "openbadges, openbadgecredential or clrcredential text chunk";
const NO_SVG_BADGE: &str = "Open Badges assertion or credential element";

/// Inspects badge text: JSON, a JWS or a URL (also used for pasted text).
pub fn inspect_text(text: &str) -> Result<Inspection, InspectError> {
    let p = classify_once(text).map_err(|e| payload_error(false, e))?;
    let container = match &p {
        Payload::Json(_) => InputKind::Json,
        Payload::Jws { .. } => InputKind::Jws,
        Payload::Url(_) => InputKind::Url,
    };
    finish(container, None, text.to_owned(), p)
}

/// Common files people mistake for badges, by their signature.
fn other_format(bytes: &[u8]) -> Option<&'static str> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(&[0xff, 0xd8, 0xff]) {
        Some("a JPEG image")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("a GIF image")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("a WebP image")
    } else if bytes
        .get(4..12)
        .is_some_and(|b| b == b"ftypavif" || b == b"ftypheic")
    {
        Some("an AVIF or HEIC image")
    } else if starts(b"%PDF-") {
        Some("a PDF document")
    } else {
        None
    }
}

/// A JSON-LD context document: an object `@context` (a vocabulary file, such
/// as the ones badges point at) and nothing a badge has (type, id, recipient,
/// badge, issuer, credentialSubject).
fn is_jsonld_context(doc: &serde_json::Value) -> bool {
    const BADGE_MEMBERS: [&str; 8] = [
        "type",
        "@type",
        "id",
        "@id",
        "recipient",
        "badge",
        "issuer",
        "credentialSubject",
    ];
    doc.as_object().is_some_and(|m| {
        let defines = |c: &serde_json::Value| match c {
            serde_json::Value::Object(_) => true,
            serde_json::Value::Array(a) => a.iter().any(serde_json::Value::is_object),
            _ => false,
        };
        m.get("@context").is_some_and(defines) && !BADGE_MEMBERS.iter().any(|k| m.contains_key(*k))
    })
}

fn inspect_text_bytes(bytes: &[u8]) -> Result<Inspection, InspectError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(InspectError::NotABadge("the file is empty".to_owned()));
    }
    if let Some(what) = other_format(bytes) {
        return Err(InspectError::NotABadge(format!(
            "this is {what}: badges are baked only into PNG and SVG images"
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => inspect_text(text),
        Err(e) => Err(InspectError::NotABadge(format!(
            "this is not a badge: not a PNG or SVG image, and not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))),
    }
}

fn from_unbaked(
    container: InputKind,
    unbaked: Option<Unbaked>,
) -> Result<Inspection, InspectError> {
    let Some(unbaked) = unbaked else {
        let (format, what) = match container {
            InputKind::Png => (ImageFormat::Png, NO_PNG_BADGE),
            _ => (ImageFormat::Svg, NO_SVG_BADGE),
        };
        return Err(InspectError::NotBaked(format, what));
    };
    let body = classify_once(&unbaked.payload);
    let usable = matches!(&body, Ok(p) if p.document().is_none_or(|d| detect::detect_json(d).kind != DocKind::Unknown));
    // An SVG element whose body is not a usable badge but whose `verify`
    // attribute holds a URL or a JWS: the attribute is the badge (what the
    // Python bakery reads first). Say so rather than fail.
    if !usable {
        if let Some(Ok(attr)) = unbaked.verify_attribute.as_deref().map(payload::classify) {
            if !matches!(attr, Payload::Json(_)) {
                let why = match &body {
                    Err(e) => e.to_string().replacen("it is", "is", 1),
                    Ok(_) => "is not an Open Badges document".to_owned(),
                };
                let mut unbaked = unbaked;
                unbaked.warnings.push(format!(
                    "the text inside the badge element {why}, so Satchel used its verify attribute instead"
                ));
                let text = unbaked.verify_attribute.clone().unwrap_or_default();
                return finish(container, Some(unbaked), text, attr);
            }
        }
    }
    let p = body.map_err(|e| payload_error(true, e))?;
    let text = unbaked.payload.clone();
    finish(container, Some(unbaked), text, p)
}

/// [`payload::classify`], deciding a JWS with one decode (`classify` sniffs
/// a JWS by decoding it, then decodes it again).
fn classify_once(text: &str) -> Result<Payload, PayloadError> {
    let t = detect::trim_text(text);
    let small =
        text.len() <= crate::limits::MAX_PAYLOAD_BYTES.max(crate::limits::MAX_DOCUMENT_BYTES);
    if small && !t.starts_with('{') && !t.starts_with('[') {
        if let Ok(jws) = crate::jws::decode(t) {
            return match jws.payload_json() {
                Ok(claims) => Ok(Payload::Jws { jws, claims }),
                Err(e) => Err(PayloadError::BadJwsPayload(e.to_string())),
            };
        }
    }
    payload::classify(text)
}

fn finish(
    container: InputKind,
    baked: Option<Unbaked>,
    payload_text: String,
    p: Payload,
) -> Result<Inspection, InspectError> {
    let mut warnings = baked
        .as_ref()
        .map(|u| u.warnings.clone())
        .unwrap_or_default();
    let jws_alg = match &p {
        Payload::Jws { jws, .. } => jws.alg().map(str::to_owned),
        _ => None,
    };
    let payload_kind = p.kind();
    let (document, jws) = match p {
        Payload::Json(doc) => (Some(doc), None),
        Payload::Jws { jws, claims } => (Some(claims), Some(jws)),
        Payload::Url(_) => (None, None),
    };
    let (detected, badge) = match &document {
        Some(doc) => {
            if is_jsonld_context(doc) {
                return Err(InspectError::NotABadge(
                    "this is a JSON-LD context (the vocabulary badges use), not a badge".to_owned(),
                ));
            }
            let d = detect::detect_json(doc);
            if d.kind == DocKind::Unknown && d.version.is_none() {
                return Err(InspectError::NotABadge(
                    "this is JSON, but not an Open Badges document (no badge context, type or fields)".to_owned(),
                ));
            }
            (d, model::normalize(doc, &d))
        }
        None => (
            detect::Detected {
                version: None,
                kind: DocKind::Assertion,
                vcdm: None,
            },
            None,
        ),
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
        payload_kind,
        payload: payload_text,
        version: detected.version,
        kind: detected.kind,
        vcdm: detected.vcdm,
        jws_alg,
        badge,
        document,
        jws,
        warnings,
    })
}
