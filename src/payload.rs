//! Turn badge text (a baked payload, a file's contents, a pasted string) into
//! a JSON document, a compact JWS or a URL.

use crate::detect::{self, InputKind};
use crate::jws::{self, CompactJws};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Badge text, classified.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// A JSON object.
    Json(Value),
    /// A compact JWS; `claims` is its payload parsed as JSON.
    Jws {
        /// The decoded JWS.
        jws: CompactJws,
        /// The JWS payload as JSON (an assertion, or JWT claims of a VC-JWT).
        claims: Value,
    },
    /// An http(s) URL of a hosted assertion.
    Url(String),
}

/// Which of the three forms badge text took, without its content
/// (serialized as `"JSON"`, `"JWS"`, `"URL"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PayloadKind {
    /// A JSON object.
    #[serde(rename = "JSON")]
    Json,
    /// A compact JWS.
    #[serde(rename = "JWS")]
    Jws,
    /// An http(s) URL of a hosted assertion.
    #[serde(rename = "URL")]
    Url,
}

impl PayloadKind {
    /// "JSON", "JWS" or "URL".
    pub fn as_str(self) -> &'static str {
        match self {
            PayloadKind::Json => "JSON",
            PayloadKind::Jws => "JWS",
            PayloadKind::Url => "URL",
        }
    }
}

impl std::fmt::Display for PayloadKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Payload {
    /// Which form it is.
    pub fn kind(&self) -> PayloadKind {
        match self {
            Payload::Json(_) => PayloadKind::Json,
            Payload::Jws { .. } => PayloadKind::Jws,
            Payload::Url(_) => PayloadKind::Url,
        }
    }

    /// The JSON document this payload carries, if any (the JWS claims for a JWS).
    pub fn document(&self) -> Option<&Value> {
        match self {
            Payload::Json(v) => Some(v),
            Payload::Jws { claims, .. } => Some(claims),
            Payload::Url(_) => None,
        }
    }
}

/// Why badge text could not be read.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Empty or only whitespace.
    #[error("it is empty")]
    Empty,
    /// It looks like JSON but does not parse.
    #[error("it is not valid JSON ({0})")]
    BadJson(String),
    /// It is JSON but not an object.
    #[error("it is JSON but not an object")]
    NotAnObject,
    /// It looks like a JWS but is broken.
    #[error("{0}")]
    BadJws(String),
    /// The JWS payload is not JSON.
    #[error("the JWS payload is not valid JSON ({0})")]
    BadJwsPayload(String),
    /// Over the size cap.
    #[error("it is {0} bytes, over Satchel's limit of {1} bytes")]
    TooLarge(usize, usize),
    /// None of JSON, JWS or URL.
    #[error("it is not JSON, a JWS or an http(s) URL")]
    Unrecognized,
}

/// Parses JSON with serde_json (which refuses nesting deeper than 128 levels)
/// and words the error for people.
pub fn parse_json(text: &str) -> Result<Value, PayloadError> {
    let t = detect::trim_text(text);
    let value: Value = serde_json::from_str(t).map_err(|e| {
        let msg = e.to_string();
        if msg.contains("recursion limit") {
            PayloadError::BadJson(format!(
                "nested more than {} levels deep at line {} column {}",
                crate::limits::MAX_JSON_DEPTH,
                e.line(),
                e.column()
            ))
        } else {
            PayloadError::BadJson(msg)
        }
    })?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(PayloadError::NotAnObject)
    }
}

/// Classifies badge text as JSON, JWS or URL.
pub fn classify(text: &str) -> Result<Payload, PayloadError> {
    if text.len() > crate::limits::MAX_PAYLOAD_BYTES.max(crate::limits::MAX_DOCUMENT_BYTES) {
        return Err(PayloadError::TooLarge(
            text.len(),
            crate::limits::MAX_DOCUMENT_BYTES,
        ));
    }
    let t = detect::trim_text(text);
    if t.is_empty() {
        return Err(PayloadError::Empty);
    }
    match detect::sniff_text(t) {
        InputKind::Json => parse_json(t).map(Payload::Json),
        InputKind::Jws => {
            let jws = jws::decode(t).map_err(|e| PayloadError::BadJws(e.to_string()))?;
            let claims = jws
                .payload_json()
                .map_err(|e| PayloadError::BadJwsPayload(e.to_string()))?;
            Ok(Payload::Jws { jws, claims })
        }
        InputKind::Url => Ok(Payload::Url(t.to_owned())),
        _ if t.split('.').count() == 3 && !t.contains(char::is_whitespace) => {
            // Three dot-separated parts: say what is wrong with the JWS.
            match jws::decode(t) {
                Err(e) => Err(PayloadError::BadJws(e.to_string())),
                Ok(_) => Err(PayloadError::Unrecognized),
            }
        }
        _ => Err(PayloadError::Unrecognized),
    }
}
