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
pub(crate) mod integrity;
pub(crate) mod jwt;
pub(crate) mod keys;
mod sd;

pub use super::report::issuer_domain;
pub use crate::data_integrity::{
    bundled_urls, canonicalize, hash_data, hash_data_jcs, CanonError, HashData,
};
pub(crate) use crate::data_integrity::{hash_with_document, unsecured};

use serde_json::Value;

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
