//! Put a badge payload into a PNG or SVG image, and get it back out.
//!
//! This module knows PNG chunk syntax, SVG/XML syntax and the keywords and
//! element names of the baking specifications; it knows nothing about what a
//! badge means. It never decodes pixel data: the cost of both directions grows
//! with the number of chunks (PNG) or the size of the markup (SVG), not with
//! the number of pixels.
//!
//! Invariants:
//! - baking keeps every other PNG chunk and every other byte of the SVG as it was;
//! - baking replaces an existing badge chunk or element instead of adding a second;
//! - no DTD, external entity or custom entity is ever loaded or expanded.

mod png;
mod svg;

use std::fmt;

pub use png::{bake_png, unbake_png, unbake_png_reader, write_chunk as write_png_chunk};
pub use svg::{bake_svg, unbake_svg, unbake_svg_full};

/// The kind of image a payload is baked into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// A PNG image: the payload is in a text chunk.
    Png,
    /// An SVG image: the payload is in an element of a badge namespace.
    Svg,
}

impl fmt::Display for ImageFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Svg => "SVG",
        })
    }
}

/// Which badge family a baked slot belongs to: it decides the PNG keyword and
/// the SVG element and namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// Open Badges 0.5–2.x: PNG keyword `openbadges`; SVG `assertion` in
    /// `http://openbadges.org`.
    OpenBadges,
    /// Open Badges 3.0: PNG keyword `openbadgecredential`; SVG `credential` in
    /// `https://purl.imsglobal.org/ob/v3p0`.
    OpenBadgeCredential,
    /// CLR 2.0: PNG keyword `clrcredential`; SVG `credential` in
    /// `https://purl.imsglobal.org/clr/v2p0`.
    ClrCredential,
}

impl Slot {
    /// All slots, in the order an unbaker prefers them.
    pub const ALL: [Slot; 3] = [
        Slot::OpenBadges,
        Slot::OpenBadgeCredential,
        Slot::ClrCredential,
    ];

    /// The PNG text-chunk keyword of this slot.
    pub fn png_keyword(self) -> &'static str {
        match self {
            Slot::OpenBadges => "openbadges",
            Slot::OpenBadgeCredential => "openbadgecredential",
            Slot::ClrCredential => "clrcredential",
        }
    }

    /// The SVG namespace of this slot's element.
    pub fn svg_namespace(self) -> &'static str {
        match self {
            Slot::OpenBadges => "http://openbadges.org",
            Slot::OpenBadgeCredential => "https://purl.imsglobal.org/ob/v3p0",
            Slot::ClrCredential => "https://purl.imsglobal.org/clr/v2p0",
        }
    }

    /// The SVG element's local name in this slot's namespace.
    pub fn svg_element(self) -> &'static str {
        match self {
            Slot::OpenBadges => "assertion",
            Slot::OpenBadgeCredential | Slot::ClrCredential => "credential",
        }
    }

    /// The slot whose PNG keyword is `keyword` (compared exactly).
    pub fn from_png_keyword(keyword: &[u8]) -> Option<Slot> {
        Slot::ALL
            .into_iter()
            .find(|s| s.png_keyword().as_bytes() == keyword)
    }
}

/// A payload found in an image.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unbaked {
    /// The image format the payload came from.
    pub format: ImageFormat,
    /// The badge slot (keyword or element) it was found in.
    pub slot: Slot,
    /// The payload exactly as embedded (decompressed, decoded to UTF-8, never trimmed).
    pub payload: String,
    /// Where it was found, for people: e.g. `iTXt chunk "openbadges" (chunk 2 of 9)`.
    pub location: String,
    /// For SVG: the `verify` attribute when the element also had a body. For a
    /// hosted assertion this is the URL it is served at.
    pub verify_attribute: Option<String>,
    /// Things that were wrong but did not stop extraction (a bad CRC on an
    /// intact text chunk, a second badge chunk, a script element in an SVG ...).
    pub warnings: Vec<String>,
}

/// Why an image could not be read or baked. Each message is one sentence
/// fragment that reads well after a file name and a colon.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BakeError {
    /// The bytes are neither a PNG nor an SVG image.
    #[error("this is not a PNG or SVG image")]
    NotAnImage,
    /// The PNG is structurally broken (truncated, missing IHDR/IEND, bad length ...).
    #[error("the PNG is damaged: {0}")]
    BadPng(String),
    /// The SVG is not well-formed XML, or not an SVG document.
    #[error("the SVG is damaged: {0}")]
    BadSvg(String),
    /// The SVG declares a DTD with entities, or uses an entity Satchel will not expand.
    #[error("the SVG uses {0}, which Satchel refuses to load for safety")]
    UnsafeSvg(String),
    /// A cap from [`crate::limits`] was exceeded.
    #[error("{0}")]
    TooLarge(String),
    /// The badge payload is not valid text (not UTF-8 where UTF-8 is required).
    #[error("the baked badge text is not valid UTF-8 ({0})")]
    NotText(String),
    /// A compressed badge chunk could not be inflated.
    #[error("the compressed badge chunk could not be decompressed ({0})")]
    BadCompression(String),
    /// Reading from the underlying file failed.
    #[error("could not read the image: {0}")]
    Io(String),
}

/// Sniffs `image` and extracts its badge payload.
///
/// Returns `Ok(None)` for a valid image that carries no badge ("not baked").
pub fn unbake(image: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    if png::is_png(image) {
        unbake_png(image)
    } else if svg::looks_like_xml(image) {
        unbake_svg(image)
    } else {
        Err(BakeError::NotAnImage)
    }
}

/// Bakes `payload` into `image` in `slot` and returns the new image bytes.
///
/// Any existing badge chunk or element (of any slot) is replaced, so the result
/// carries exactly one badge.
pub fn bake(image: &[u8], payload: &str, slot: Slot) -> Result<Vec<u8>, BakeError> {
    if payload.len() > crate::limits::MAX_PAYLOAD_BYTES {
        return Err(too_large_payload(payload.len()));
    }
    if png::is_png(image) {
        bake_png(image, payload, slot)
    } else if svg::looks_like_xml(image) {
        bake_svg(image, payload, slot)
    } else {
        Err(BakeError::NotAnImage)
    }
}

/// The format of `image`, judged by content only.
pub fn image_format(image: &[u8]) -> Option<ImageFormat> {
    if png::is_png(image) {
        Some(ImageFormat::Png)
    } else if svg::looks_like_xml(image) {
        Some(ImageFormat::Svg)
    } else {
        None
    }
}

pub(crate) fn too_large_payload(len: usize) -> BakeError {
    BakeError::TooLarge(format!(
        "the badge payload is {} bytes, over Satchel's limit of {} bytes",
        len,
        crate::limits::MAX_PAYLOAD_BYTES
    ))
}

/// The 8-byte PNG signature.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Is `bytes` an XML document whose root element is `svg`? Reads only as far
/// as the root element's name, so it is cheap on large files.
pub fn is_svg(bytes: &[u8]) -> bool {
    svg::root_is_svg(bytes)
}

// Text shapes, shared with `detect` (which re-exports them).

/// Strips a leading UTF-8 byte-order mark and surrounding whitespace.
pub fn trim_text(text: &str) -> &str {
    text.trim_start_matches('\u{feff}').trim()
}

/// Is `s` an absolute http(s) URL with a host and no whitespace?
pub fn is_http_url(s: &str) -> bool {
    if s.chars().any(char::is_whitespace) {
        return false;
    }
    match url::Url::parse(s) {
        Ok(u) => matches!(u.scheme(), "http" | "https") && u.host().is_some(),
        Err(_) => false,
    }
}
