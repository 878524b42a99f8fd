//! PNG baking (placeholder signatures).
use super::{BakeError, Slot, Unbaked};
use std::io::{Read, Seek};

pub(crate) fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(&super::PNG_SIGNATURE)
}

/// Extracts the badge payload from PNG bytes.
pub fn unbake_png(png: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    unbake_png_reader(std::io::Cursor::new(png))
}

/// Extracts the badge payload from a PNG stream.
pub fn unbake_png_reader<R: Read + Seek>(_r: R) -> Result<Option<Unbaked>, BakeError> {
    Err(BakeError::BadPng("not yet".into()))
}

/// Bakes `payload` into PNG bytes.
pub fn bake_png(_png: &[u8], _payload: &str, _slot: Slot) -> Result<Vec<u8>, BakeError> {
    Err(BakeError::BadPng("not yet".into()))
}
