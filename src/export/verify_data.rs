//! The data a badge page's in-browser check reads (`assets/verify.js`).
//!
//! The page carries the signed form of the badge (the compact JWS, or the
//! credential with its Data Integrity proofs) and the issuer documents that
//! Satchel's verification fetched (profile, badge class, keys, DID documents,
//! revocation lists), so the visitor's browser re-checks the signature with
//! WebCrypto without any request.
//!
//! For Data Integrity, the browser cannot run JSON-LD expansion with the bundled
//! contexts, so the page also carries the RDFC-1.0 canonical N-Quads Satchel
//! computed for the credential and each proof configuration. The browser
//! hashes them itself, checks the Ed25519, P-256 or P-384 signature over those hashes
//! (for `ecdsa-sd-2023`, relabels and splits the statements as the proof
//! says and checks the issuer's and every statement's signature), and
//! checks that every string of the credential it shows appears in the signed
//! N-Quads; the page says exactly that.

use crate::inspect::{Inspection, PayloadKind};
use crate::verify::Report;
use serde_json::{json, Map, Value};

/// Documents larger than this are not embedded (the check says they are missing).
const MAX_EMBEDDED_DOCUMENT: usize = 1024 * 1024;

/// The data for the in-browser check, or `None` when there is nothing the
/// browser could check (no badge document).
pub(crate) fn build(
    input: &Inspection,
    report: &Report,
    documents: &[(String, Vec<u8>)],
) -> Option<Value> {
    let doc = input.document.as_ref()?;
    let mut docs = Map::new();
    for (url, bytes) in documents {
        if bytes.len() > MAX_EMBEDDED_DOCUMENT || crate::media::sniff_image(bytes).is_some() {
            continue;
        }
        if let Ok(text) = std::str::from_utf8(bytes) {
            docs.insert(url.clone(), Value::String(text.to_owned()));
        }
    }
    let mut data = json!({
        "format": report.format,
        "version": report.version.map(|v| v.as_str()),
        "payload_kind": input.payload_kind,
        "documents": docs,
        "satchel": {
            "verdict": report.status,
            "checked_at": crate::clock::rfc3339(report.checked_at),
            "checked_at_text": super::words::show_time(report.checked_at),
            "failed": report
                .checks
                .iter()
                .filter(|c| c.status == crate::verify::CheckStatus::Fail)
                .map(|c| c.message.clone())
                .collect::<Vec<_>>(),
        },
    });
    match input.payload_kind {
        PayloadKind::Jws => data["jws"] = Value::String(input.payload.trim().to_owned()),
        PayloadKind::Url => data["assertion_url"] = Value::String(input.payload.trim().to_owned()),
        PayloadKind::Json => data["credential"] = doc.clone(),
    }
    if input.payload_kind != PayloadKind::Jws {
        if let Some(id) = doc.get("id").and_then(Value::as_str) {
            data["assertion_url"] = Value::String(id.to_owned());
        }
    }
    if report.format == crate::verify::BadgeFormat::DataIntegrity {
        let (ok, errors) = integrity(doc);
        data["di"] = Value::Array(ok);
        data["di_errors"] = Value::Array(errors);
    }
    Some(data)
}

/// Canonical forms for each Data Integrity proof of `credential` the browser
/// checks (Ed25519, P-256 and P-384 ECDSA over RDFC-1.0, selective disclosure included), and
/// why a proof could not be canonicalized (the browser reports it as Satchel's finding).
fn integrity(credential: &Value) -> (Vec<Value>, Vec<Value>) {
    let proofs: Vec<&Value> = match credential.get("proof") {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(p @ Value::Object(_)) => vec![p],
        _ => Vec::new(),
    };
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (index, proof) in proofs.into_iter().enumerate().take(8) {
        let ty = proof.get("type").and_then(Value::as_str).unwrap_or("");
        let suite = proof
            .get("cryptosuite")
            .and_then(Value::as_str)
            .unwrap_or("");
        let browser_checks = ty == "Ed25519Signature2020"
            || (ty == "DataIntegrityProof"
                && matches!(
                    suite,
                    "eddsa-rdfc-2022" | "eddsa-2022" | "ecdsa-rdfc-2019" | "ecdsa-sd-2023"
                ));
        if !browser_checks {
            continue;
        }
        match crate::data_integrity::hash_data(credential, proof) {
            Ok(h) => out.push(json!({
                "index": index,
                "canonical_document": h.canonical_document,
                "canonical_proof": h.canonical_proof,
            })),
            Err(e) => errors.push(json!({
                "index": index,
                "message": e.to_string(),
                "unverifiable": e.is_unverifiable(),
            })),
        }
    }
    (out, errors)
}
