//! Proofs of OB 3.0 / CLR 2.0 credentials: Data Integrity (`eddsa-rdfc-2022`,
//! its old name `eddsa-2022`, `Ed25519Signature2020`, `eddsa-jcs-2022`,
//! `ecdsa-rdfc-2019`, `ecdsa-jcs-2019`, `ecdsa-sd-2023`; see [`integrity`]),
//! VC-JWT, and finding the key either was made with.
//!
//! Data Integrity in five steps (W3C vc-di-eddsa, reproduced byte for byte by
//! the fixtures' test vectors):
//!
//! 1. the document is the credential without `proof`; the proof configuration
//!    is the proof without `proofValue`, with the document's `@context` when it
//!    has none of its own;
//! 2. each becomes RDFC-1.0 canonical N-Quads ([`canonicalize`]: JSON-LD in safe
//!    mode, bundled contexts only, bounded blank-node labelling);
//! 3. the signed bytes are SHA-256(proof configuration) ‖ SHA-256(document),
//!    proof hash first ([`hash_data`]);
//! 4. the key comes from `verificationMethod` (did:key, did:web, an https key
//!    document, or the 1EdTech `https://issuer#z6Mk…` fragment);
//! 5. Ed25519 (`verify_strict`) over the 64 bytes.
//!
//! Nothing here returns an error to the caller of verification: each outcome
//! becomes a check in the report.

pub(crate) mod binding;
mod canon;
mod contexts;
pub(crate) mod integrity;
pub(crate) mod jwt;
pub(crate) mod keys;
mod sd;

pub use super::report::issuer_domain;
pub use canon::{canonicalize, CanonError};
pub use contexts::bundled_urls;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The intermediate values of a Data Integrity proof: what was hashed and the hashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HashData {
    /// Canonical N-Quads of the credential without its `proof`.
    pub canonical_document: String,
    /// Canonical N-Quads of the proof configuration (the proof without `proofValue`).
    pub canonical_proof: String,
    /// SHA-256 of `canonical_document`.
    pub document_hash: [u8; 32],
    /// SHA-256 of `canonical_proof`.
    pub proof_hash: [u8; 32],
}

impl HashData {
    /// The 64 bytes that are signed: the proof hash, then the document hash.
    pub fn signed_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.proof_hash);
        out[32..].copy_from_slice(&self.document_hash);
        out
    }
}

/// The credential as signed: without its `proof` member.
pub(crate) fn unsecured(credential: &Value) -> Value {
    let mut doc = credential.clone();
    if let Value::Object(map) = &mut doc {
        map.remove("proof");
    }
    doc
}

/// The proof configuration of `proof` for `credential`: the proof without
/// `proofValue`, with the credential's `@context` when it has none.
pub(crate) fn proof_config(credential: &Value, proof: &Value) -> Value {
    let mut config = proof.clone();
    if let Value::Object(map) = &mut config {
        map.remove("proofValue");
        if !map.contains_key("@context") {
            if let Some(ctx) = credential.get("@context") {
                map.insert("@context".to_owned(), ctx.clone());
            }
        }
    }
    config
}

/// Canonicalizes and hashes a credential (its `proof` member is ignored) and
/// one of its proofs (its `proofValue` is ignored), as `eddsa-rdfc-2022` and
/// `Ed25519Signature2020` do.
pub fn hash_data(credential: &Value, proof: &Value) -> Result<HashData, CanonError> {
    let canonical_document = canonicalize(&unsecured(credential))?;
    hash_with_document(credential, proof, canonical_document)
}

/// The hashes an `eddsa-jcs-2022` proof signs: the credential (without
/// `proof`) and the proof configuration (without `proofValue`, with the
/// credential's `@context` when it has none), each canonicalized with JCS
/// (RFC 8785) instead of RDFC-1.0. No JSON-LD processing is involved.
pub fn hash_data_jcs(credential: &Value, proof: &Value) -> Result<HashData, CanonError> {
    let jcs =
        |v: &Value| serde_jcs::to_string(v).map_err(|e| CanonError::Malformed(format!("JCS: {e}")));
    let canonical_document = jcs(&unsecured(credential))?;
    let canonical_proof = jcs(&proof_config(credential, proof))?;
    Ok(HashData {
        document_hash: Sha256::digest(canonical_document.as_bytes()).into(),
        proof_hash: Sha256::digest(canonical_proof.as_bytes()).into(),
        canonical_document,
        canonical_proof,
    })
}

/// [`hash_data`] with the document already canonicalized (shared by several proofs).
pub(crate) fn hash_with_document(
    credential: &Value,
    proof: &Value,
    canonical_document: String,
) -> Result<HashData, CanonError> {
    let canonical_proof = canonicalize(&proof_config(credential, proof))?;
    Ok(HashData {
        document_hash: Sha256::digest(canonical_document.as_bytes()).into(),
        proof_hash: Sha256::digest(canonical_proof.as_bytes()).into(),
        canonical_document,
        canonical_proof,
    })
}

/// Most proofs of one credential that are checked.
pub(crate) const MAX_PROOFS: usize = 8;

/// The issuer id of a credential (`issuer` as a string, or its `id`).
pub(crate) fn issuer_id(credential: &Value) -> Option<&str> {
    match credential.get("issuer")? {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("id")?.as_str(),
        _ => None,
    }
}
