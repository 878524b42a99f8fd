//! `ecdsa-sd-2023` derived proofs: a credential the holder disclosed in part
//! (W3C vc-di-ecdsa, "Verify Derived Proof").
//!
//! The issuer signed, with its P-256 key, the proof configuration's hash, a
//! one-time ("ephemeral") P-256 public key and the hash of the statements
//! that must always be disclosed; every other statement is signed on its own
//! with the one-time key. The holder reveals some statements and hands over
//! the issuer's signature, the one-time key, the signatures of the revealed
//! optional statements, and how the revealed blank nodes were labelled (an
//! HMAC of their canonical labels, so nothing about hidden ones leaks).
//!
//! Checking it:
//!
//! 1. decode the `proofValue`: multibase base64url (`u…`), the header
//!    `0xd9 0x5d 0x01`, then a CBOR array of the base signature, the one-time
//!    public key (multikey `0x80 0x24` + a compressed point), the statement
//!    signatures, the compressed label map (`N` → the bytes of the HMAC label
//!    for `c14nN`) and the indexes of the mandatory statements;
//! 2. canonicalize the revealed document (RDFC-1.0, as every other suite),
//!    replace each canonical blank node label by its label from the map, and
//!    sort the N-Quads;
//! 3. the statements at the mandatory indexes are hashed together; the others
//!    are, in order, the optional statements;
//! 4. the issuer's key must verify the base signature over SHA-256(proof
//!    configuration) ‖ one-time key ‖ SHA-256(mandatory statements), and the
//!    one-time key each optional statement's signature over that statement.
//!
//! Cryptography is aws-lc's ECDSA ([`crate::crypto::verify_p256_sha256`]) and
//! SHA-256; the CBOR is read by `ciborium`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The header of a derived proof value.
const DERIVED_HEADER: [u8; 3] = [0xd9, 0x5d, 0x01];
/// The header of a base proof value (what the issuer hands the holder).
const BASE_HEADER: [u8; 3] = [0xd9, 0x5d, 0x00];
/// The multikey prefix of a P-256 public key.
const P256_MULTIKEY: [u8; 2] = [0x80, 0x24];
/// Most statements a derived proof may sign (each costs one ECDSA check).
const MAX_STATEMENTS: usize = 10_000;

/// A decoded derived proof value.
#[derive(Debug)]
pub(crate) struct DerivedProof {
    base_signature: Vec<u8>,
    /// The one-time key as a compressed SEC1 point (the multikey prefix removed).
    ephemeral_point: Vec<u8>,
    /// The one-time key as it was signed (with its multikey prefix).
    ephemeral_multikey: Vec<u8>,
    signatures: Vec<Vec<u8>>,
    /// `c14nN` → the label that replaces it.
    labels: HashMap<String, String>,
    mandatory: Vec<usize>,
}

/// Why a `proofValue` is not a derived proof Satchel can check.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotDerived {
    /// The issuer's base proof, which the holder receives and derives
    /// shareable proofs from: genuine, but not checkable by a verifier.
    BaseProof,
    /// Not a well-formed derived proof, in words.
    Malformed(String),
}

impl From<String> for NotDerived {
    fn from(why: String) -> NotDerived {
        NotDerived::Malformed(why)
    }
}

impl From<&str> for NotDerived {
    fn from(why: &str) -> NotDerived {
        NotDerived::Malformed(why.to_owned())
    }
}

/// Decodes a derived `proofValue`.
pub(crate) fn parse_derived(proof_value: &str) -> Result<DerivedProof, NotDerived> {
    let bytes = proof_value
        .strip_prefix('u')
        .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
        .ok_or("the proofValue is not multibase base64url (u…)")?;
    if bytes.starts_with(&BASE_HEADER) {
        return Err(NotDerived::BaseProof);
    }
    Ok(decode_derived(&bytes)?)
}

/// Decodes the bytes of a derived proof value; the error says, in words, why
/// they are not one.
fn decode_derived(bytes: &[u8]) -> Result<DerivedProof, String> {
    let cbor = bytes
        .strip_prefix(&DERIVED_HEADER)
        .ok_or("the proofValue does not start with the ecdsa-sd-2023 derived proof header")?;
    let value: ciborium::Value = ciborium::from_reader(cbor)
        .map_err(|e| format!("the derived proof is not readable CBOR ({e})"))?;
    let ciborium::Value::Array(parts) = value else {
        return Err("the derived proof is not a CBOR array".to_owned());
    };
    let [base_signature, public_key, signatures, label_map, mandatory] =
        <[ciborium::Value; 5]>::try_from(parts)
            .map_err(|p| format!("the derived proof has {} parts, not 5", p.len()))?;
    let bytes_of = |v: ciborium::Value, what: &str| match v {
        ciborium::Value::Bytes(b) => Ok(b),
        _ => Err(format!("the derived proof's {what} is not a byte string")),
    };
    let base_signature = bytes_of(base_signature, "base signature")?;
    let ephemeral_multikey = bytes_of(public_key, "public key")?;
    let ephemeral_point = match ephemeral_multikey.strip_prefix(&P256_MULTIKEY) {
        Some(point) if point.len() == 33 => point.to_vec(),
        _ => return Err("the derived proof's one-time key is not a P-256 multikey".to_owned()),
    };
    let ciborium::Value::Array(signatures) = signatures else {
        return Err("the derived proof's statement signatures are not a list".to_owned());
    };
    if signatures.len() > MAX_STATEMENTS {
        return Err(format!(
            "the derived proof signs more than {MAX_STATEMENTS} statements"
        ));
    }
    let signatures = signatures
        .into_iter()
        .map(|s| bytes_of(s, "statement signature"))
        .collect::<Result<Vec<_>, _>>()?;
    let ciborium::Value::Map(entries) = label_map else {
        return Err("the derived proof's label map is not a CBOR map".to_owned());
    };
    let mut labels = HashMap::with_capacity(entries.len());
    for (k, v) in entries {
        let index = k
            .as_integer()
            .and_then(|i| u64::try_from(i).ok())
            .ok_or("a label map key is not a canonical blank node number")?;
        let label = bytes_of(v, "label")?;
        labels.insert(
            format!("c14n{index}"),
            format!("u{}", URL_SAFE_NO_PAD.encode(label)),
        );
    }
    let ciborium::Value::Array(mandatory) = mandatory else {
        return Err("the derived proof's mandatory indexes are not a list".to_owned());
    };
    let mandatory = mandatory
        .into_iter()
        .map(|i| {
            i.as_integer()
                .and_then(|i| usize::try_from(i).ok())
                .ok_or_else(|| "a mandatory index is not a number".to_owned())
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DerivedProof {
        base_signature,
        ephemeral_point,
        ephemeral_multikey,
        signatures,
        labels,
        mandatory,
    })
}

/// Why a derived proof does not verify.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum SdError {
    /// The proof does not fit the revealed document (wrong labels, indexes,
    /// signature count): the document or the proof was changed.
    Mismatch(String),
    /// The issuer's key is not a usable P-256 key.
    BadKey(String),
}

/// Verifies a derived proof against the revealed document's canonical
/// N-Quads (with `_:c14nN` labels), the proof configuration's hash and the
/// issuer's P-256 key (a SEC1 point). Returns how many statements were
/// checked.
pub(crate) fn verify_derived(
    proof: &DerivedProof,
    canonical_document: &str,
    proof_hash: &[u8; 32],
    issuer_point: &[u8],
) -> Result<usize, SdError> {
    // Relabel and sort.
    let mut quads = Vec::new();
    for line in canonical_document.lines().filter(|l| !l.is_empty()) {
        let mut out = String::with_capacity(line.len() + 64);
        for (i, token) in line.split(' ').enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match token.strip_prefix("_:") {
                Some(label) if label.starts_with("c14n") => {
                    let new = proof.labels.get(label).ok_or_else(|| {
                        SdError::Mismatch(format!(
                            "the proof's label map does not name blank node {label}"
                        ))
                    })?;
                    out.push_str("_:");
                    out.push_str(new);
                }
                _ => out.push_str(token),
            }
        }
        out.push('\n');
        quads.push(out);
    }
    // Sorted as the issuers' JavaScript libraries sort strings (UTF-16 code
    // units), which differs from byte order only past U+FFFF.
    quads.sort_unstable_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
    // Mandatory and optional statements.
    let mut is_mandatory = vec![false; quads.len()];
    for &i in &proof.mandatory {
        match is_mandatory.get_mut(i) {
            Some(m) => *m = true,
            None => {
                return Err(SdError::Mismatch(format!(
                    "the proof names mandatory statement {i}, but the credential has {}",
                    quads.len()
                )))
            }
        }
    }
    let mut mandatory = Sha256::new();
    let mut optional = Vec::new();
    for (quad, m) in quads.iter().zip(&is_mandatory) {
        if *m {
            mandatory.update(quad.as_bytes());
        } else {
            optional.push(quad);
        }
    }
    if optional.len() != proof.signatures.len() {
        return Err(SdError::Mismatch(format!(
            "the credential discloses {} optional statements but the proof signs {}",
            optional.len(),
            proof.signatures.len()
        )));
    }
    let mandatory_hash: [u8; 32] = mandatory.finalize().into();
    let mut signed = Vec::with_capacity(32 + proof.ephemeral_multikey.len() + 32);
    signed.extend_from_slice(proof_hash);
    signed.extend_from_slice(&proof.ephemeral_multikey);
    signed.extend_from_slice(&mandatory_hash);
    use crate::crypto::{verify_p256_sha256, CryptoError};
    match verify_p256_sha256(issuer_point, &signed, &proof.base_signature) {
        Ok(()) => {}
        Err(CryptoError::Mismatch) => {
            return Err(SdError::Mismatch(
                "the issuer's signature does not match the mandatory statements: the credential was changed after it was signed, or signed with another key".to_owned(),
            ))
        }
        Err(e) => return Err(SdError::BadKey(format!("the key cannot be used: {e}"))),
    }
    for (n, (quad, signature)) in optional.iter().zip(&proof.signatures).enumerate() {
        if verify_p256_sha256(&proof.ephemeral_point, quad.as_bytes(), signature).is_err() {
            return Err(SdError::Mismatch(format!(
                "disclosed statement {} does not match its signature: the credential was changed after it was signed",
                n + 1
            )));
        }
    }
    Ok(quads.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_proof_or_garbage_is_refused_with_a_sentence() {
        let base = format!("u{}", URL_SAFE_NO_PAD.encode([0xd9, 0x5d, 0x00, 0x80]));
        assert_eq!(parse_derived(&base).unwrap_err(), NotDerived::BaseProof);
        let says = |v: &str| match parse_derived(v).unwrap_err() {
            NotDerived::Malformed(why) => why,
            NotDerived::BaseProof => panic!("{v} is not a base proof"),
        };
        assert!(says("zabc").contains("base64url"));
        let bad = format!(
            "u{}",
            URL_SAFE_NO_PAD.encode([0xd9, 0x5d, 0x01, 0xff, 0x00])
        );
        assert!(says(&bad).contains("CBOR"));
        // Lengths that claim far more than is there: refused, nothing allocated for them.
        for claim in [
            vec![0x85, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            vec![0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            vec![0xbb, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        ] {
            let mut bytes = vec![0xd9, 0x5d, 0x01];
            bytes.extend(claim);
            let v = format!("u{}", URL_SAFE_NO_PAD.encode(bytes));
            assert!(parse_derived(&v).is_err());
        }
        // Deep nesting stays within the decoder's recursion limit.
        let mut deep = vec![0xd9, 0x5d, 0x01];
        deep.extend(std::iter::repeat_n(0x81, 100_000));
        let v = format!("u{}", URL_SAFE_NO_PAD.encode(deep));
        assert!(parse_derived(&v).is_err());
        // A CBOR array of the wrong length.
        let short = format!(
            "u{}",
            URL_SAFE_NO_PAD.encode([0xd9, 0x5d, 0x01, 0x81, 0x01])
        );
        assert!(says(&short).contains("not 5"));
    }
}
