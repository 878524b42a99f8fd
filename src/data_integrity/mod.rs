//! Data Integrity proofs as W3C vc-data-integrity defines them, for
//! verification and signing alike: RDFC-1.0 canonicalization of JSON-LD with
//! bundled contexts only ([`canonicalize`]), the proof configuration, and the
//! hashes a proof signs ([`hash_data`], [`hash_data_jcs`]).
//!
//! The signed bytes are SHA-256(proof configuration) ‖ SHA-256(document),
//! proof hash first; the document is the credential without `proof`, the proof
//! configuration the proof without `proofValue`, with the document's
//! `@context` when it has none of its own.

mod canon;
mod contexts;

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

/// Signs `credential` with an `eddsa-rdfc-2022` Data Integrity proof and
/// returns it with that proof as its `proof` (any proof it had is replaced).
/// `options` are the proof's other members (`created`, `verificationMethod`,
/// `proofPurpose` …); `type` and `cryptosuite` are set here and any
/// `proofValue` is dropped. The signature is Ed25519 (deterministic) over
/// [`HashData::signed_bytes`], written as base58btc multibase (`z…`).
pub fn sign_eddsa_rdfc_2022(
    credential: &Value,
    options: &Value,
    key: &ed25519_dalek::SigningKey,
) -> Result<Value, CanonError> {
    use ed25519_dalek::Signer;
    let Value::Object(mut proof) = options.clone() else {
        return Err(CanonError::Malformed(
            "the proof options are not a JSON object".to_owned(),
        ));
    };
    proof.insert("type".to_owned(), Value::from("DataIntegrityProof"));
    proof.insert("cryptosuite".to_owned(), Value::from("eddsa-rdfc-2022"));
    proof.remove("proofValue");
    let mut proof = Value::Object(proof);
    let hashes = hash_data(credential, &proof)?;
    let signature = key.sign(&hashes.signed_bytes()).to_bytes();
    proof["proofValue"] = Value::from(format!("z{}", bs58::encode(signature).into_string()));
    let mut signed = unsecured(credential);
    let Value::Object(map) = &mut signed else {
        return Err(CanonError::Malformed(
            "the credential is not a JSON object".to_owned(),
        ));
    };
    map.insert("proof".to_owned(), proof);
    Ok(signed)
}
