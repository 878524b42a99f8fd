//! Compact JWS syntax: split and decode, without verifying.
//!
//! Verification (allow-listed algorithms, keys) lives in the verifier; this
//! module only reads the structure so a signed badge can be detected and shown.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

/// A decoded compact JWS.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactJws {
    /// The protected header (a JSON object with at least `alg`).
    pub header: serde_json::Map<String, Value>,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
    /// `BASE64URL(header) "." BASE64URL(payload)`: the bytes that were signed.
    pub signing_input: String,
}

impl CompactJws {
    /// The `alg` header value.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The payload parsed as JSON, if it is JSON.
    pub fn payload_json(&self) -> Result<Value, serde_json::Error> {
        serde_json::from_slice(&self.payload)
    }
}

/// Why a string is not a usable compact JWS.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum JwsError {
    /// Not three dot-separated base64url segments.
    #[error("it is not a compact JWS (three base64url parts separated by dots)")]
    Shape,
    /// A segment is not valid base64url.
    #[error("the JWS {0} is not valid base64url")]
    Base64(&'static str),
    /// The header is not a JSON object with an `alg`.
    #[error("the JWS header is not a JSON object with an \"alg\"")]
    Header,
}

fn is_b64url_segment(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Does `text` have the shape of a compact JWS (three base64url segments; the
/// signature may be empty)? Cheap: nothing is decoded.
pub fn has_compact_shape(text: &str) -> bool {
    let mut parts = text.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(p), Some(s), None) => {
            is_b64url_segment(h) && is_b64url_segment(p) && (s.is_empty() || is_b64url_segment(s))
        }
        _ => false,
    }
}

/// Does `text` have the shape of a compact JWS whose header is JSON with `alg`?
pub fn looks_like_compact_jws(text: &str) -> bool {
    decode(text).is_ok()
}

/// Decodes a compact JWS (surrounding whitespace is ignored).
pub fn decode(text: &str) -> Result<CompactJws, JwsError> {
    let text = text.trim();
    let mut parts = text.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Shape);
    };
    // The signature may be empty only for `alg: none`, which is still worth
    // recognizing (and refusing) as a JWS. The base64url alphabet is checked
    // by decoding; a segment that fails is then told apart as "not base64url
    // at all" (not a JWS) or "base64url that does not decode".
    if h.is_empty() || p.is_empty() {
        return Err(JwsError::Shape);
    }
    let decode = |segment: &str, what: &'static str| {
        URL_SAFE_NO_PAD.decode(segment).map_err(|_| {
            if is_b64url_segment(segment) {
                JwsError::Base64(what)
            } else {
                JwsError::Shape
            }
        })
    };
    let header_bytes = decode(h, "header")?;
    let header: serde_json::Map<String, Value> =
        serde_json::from_slice(&header_bytes).map_err(|_| JwsError::Header)?;
    if !header.get("alg").is_some_and(Value::is_string) {
        return Err(JwsError::Header);
    }
    let payload = decode(p, "payload")?;
    let signature = decode(s, "signature")?;
    Ok(CompactJws {
        header,
        payload,
        signature,
        // `h.p` is the start of the text itself.
        signing_input: text[..h.len() + 1 + p.len()].to_owned(),
    })
}
