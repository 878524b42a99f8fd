//! SVG baking (placeholder signatures; implemented by the SVG work).
use super::{BakeError, Slot, Unbaked};

pub(crate) fn looks_like_xml(bytes: &[u8]) -> bool {
    let t = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    t.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

pub(crate) fn root_is_svg(_bytes: &[u8]) -> bool {
    false
}

/// Extracts the badge payload from an SVG document.
pub fn unbake_svg(_svg: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    Err(BakeError::BadSvg("not yet".into()))
}

/// Bakes `payload` into an SVG document.
pub fn bake_svg(_svg: &[u8], _payload: &str, _slot: Slot) -> Result<Vec<u8>, BakeError> {
    Err(BakeError::BadSvg("not yet".into()))
}
