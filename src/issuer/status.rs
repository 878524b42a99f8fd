//! Bitstring Status List encoding: bit `i` is byte `i / 8`, mask
//! `0x80 >> (i % 8)`; the bytes GZIP-compressed (no time in the header, so
//! the same bits give the same text), base64url without padding, with the
//! multibase prefix `u`.

use super::{IssuerError, STATUS_LIST_SIZE};
use base64::Engine as _;
use std::io::Write as _;

/// The `encodedList` of a list of [`STATUS_LIST_SIZE`] entries with the
/// positions `set` on.
pub fn encode(set: impl IntoIterator<Item = u64>) -> Result<String, IssuerError> {
    let mut bits = vec![0u8; (STATUS_LIST_SIZE / 8) as usize];
    for i in set {
        if i < STATUS_LIST_SIZE {
            bits[(i / 8) as usize] |= 0x80 >> (i % 8);
        }
    }
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    gz.write_all(&bits)
        .and_then(|_| gz.try_finish())
        .map_err(|e| {
            IssuerError::Internal(format!("the status list could not be compressed ({e})"))
        })?;
    let bytes = gz.finish().map_err(|e| {
        IssuerError::Internal(format!("the status list could not be compressed ({e})"))
    })?;
    Ok(format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    ))
}
