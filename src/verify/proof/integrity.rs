//! Checking the Data Integrity proofs embedded in a credential.
//!
//! A credential may carry several proofs; any one valid proof is enough.
//!
//! Suites: `eddsa-rdfc-2022` (and its old name `eddsa-2022`),
//! `Ed25519Signature2020`, `eddsa-jcs-2022` (JCS via `serde_jcs`) and
//! `ecdsa-rdfc-2019` with P-256 keys (aws-lc through [`crate::crypto`]), and
//! `ecdsa-sd-2023` derived (selectively disclosed) credentials ([`super::sd`]:
//! the CBOR proof value, relabelled canonical statements and per-statement
//! P-256 signatures, all checked with aws-lc's ECDSA).
//! `ecdsa-rdfc-2019` and `ecdsa-jcs-2019` take P-256 (SHA-256) or P-384
//! (SHA-384) keys.
//! Proof types Satchel does not know (the `SomeProofType` of the 1EdTech
//! samples) cannot make a credential valid, and cannot make it invalid either.

use super::keys::{resolve_verification_method, KeyError, ResolvedKey};
use super::{canonicalize, hash_data_jcs, hash_with_document, unsecured, CanonError};
use crate::fetch::Fetch;
use crate::verify::common::parse_date;
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value};

/// Seconds a proof's `created` may lie ahead of "now" (issuers' clocks drift).
const CLOCK_SKEW_SECONDS: i64 = 300;

/// What became of one proof, or of all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The signature verifies.
    Valid,
    /// Evidence that something is wrong.
    Invalid,
    /// Could not be checked.
    Unverifiable,
}

/// The result of one proof.
#[derive(Clone, Debug)]
pub(crate) struct ProofResult {
    /// Valid, invalid or unverifiable.
    pub outcome: Outcome,
    /// The suite, as written (`eddsa-rdfc-2022`, `Ed25519Signature2020` ...).
    pub suite: String,
    /// Why (for invalid / unverifiable), or how (for valid), in words.
    pub reason: String,
    /// The key, when one was resolved.
    pub key: Option<ResolvedKey>,
}

/// The result of all proofs of a credential.
#[derive(Clone, Debug)]
pub(crate) struct ProofsResult {
    /// Valid if any proof is; else invalid if any is; else unverifiable.
    pub outcome: Outcome,
    /// One plain-language sentence.
    pub message: String,
    /// One line per proof.
    pub detail: String,
    /// The proof that decided, when it is valid.
    pub valid: Option<ProofResult>,
}

/// The suites Satchel checks: Ed25519 over RDFC-1.0 canonical N-Quads
/// (`eddsa-rdfc-2022`, its old name `eddsa-2022`, `Ed25519Signature2020`) or
/// over JCS canonical JSON (`eddsa-jcs-2022`), and ECDSA P-256 with SHA-256
/// or P-384 with SHA-384 over RDFC-1.0 or JCS (`ecdsa-rdfc-2019`,
/// `ecdsa-jcs-2019`), and the selective-disclosure `ecdsa-sd-2023`.
fn suite_of(proof: &Map<String, Value>) -> Result<String, String> {
    let ty = proof.get("type").and_then(Value::as_str).unwrap_or("");
    match ty {
        "DataIntegrityProof" => match proof.get("cryptosuite").and_then(Value::as_str) {
            Some(
                s @ ("eddsa-rdfc-2022" | "eddsa-2022" | "eddsa-jcs-2022" | "ecdsa-rdfc-2019"
                | "ecdsa-jcs-2019" | "ecdsa-sd-2023"),
            ) => Ok(s.to_owned()),
            Some(other) => Err(format!(
                "the proof uses the {other} cryptosuite, which Satchel cannot check yet"
            )),
            None => Err("the DataIntegrityProof names no cryptosuite".to_owned()),
        },
        "Ed25519Signature2020" => Ok(ty.to_owned()),
        "" => Err("a proof has no type".to_owned()),
        other => Err(format!("the proof type {other} is not one Satchel knows")),
    }
}

/// The RDFC-1.0 hashes of a credential and one of its proofs; `document` is
/// the credential's canonical N-Quads, computed once for all its proofs. An
/// error is the outcome and the reason.
fn rdfc_hashes(
    credential: &Value,
    proof: &Value,
    document: &mut Option<Result<String, CanonError>>,
) -> Result<super::HashData, (Outcome, String)> {
    let outcome_of = |e: &CanonError| {
        if e.is_unverifiable() {
            Outcome::Unverifiable
        } else {
            Outcome::Invalid
        }
    };
    let canonical_document =
        match document.get_or_insert_with(|| canonicalize(&unsecured(credential))) {
            Ok(d) => d.clone(),
            Err(e) => {
                return Err((
                    outcome_of(e),
                    format!("the credential cannot be canonicalized: {e}"),
                ))
            }
        };
    hash_with_document(credential, proof, canonical_document).map_err(|e| {
        (
            outcome_of(&e),
            format!("the proof cannot be canonicalized: {e}"),
        )
    })
}

/// Why a proof does not verify: the outcome, the reason, and the key when one
/// was resolved.
type Failure = (Outcome, String, Option<ResolvedKey>);

/// The two suites that sign with ECDSA (P-256 or P-384) rather than Ed25519.
fn is_ecdsa(suite: &str) -> bool {
    matches!(suite, "ecdsa-rdfc-2019" | "ecdsa-jcs-2019")
}

/// Checks one proof. `document` is the credential's canonical N-Quads, computed
/// once for all its proofs.
fn check_one(
    credential: &Value,
    proof: &Value,
    issuer: Option<&str>,
    document: &mut Option<Result<String, CanonError>>,
    fetch: &dyn Fetch,
    now: i64,
) -> ProofResult {
    let result = |outcome, suite: &str, reason: String, key| ProofResult {
        outcome,
        suite: suite.to_owned(),
        reason,
        key,
    };
    let Some(map) = proof.as_object() else {
        return result(
            Outcome::Invalid,
            "",
            "a proof is not a JSON object".to_owned(),
            None,
        );
    };
    let suite = match suite_of(map) {
        Ok(s) => s,
        Err(why) => {
            let name = map
                .get("cryptosuite")
                .or(map.get("type"))
                .and_then(Value::as_str)
                .unwrap_or("");
            return result(Outcome::Unverifiable, name, why, None);
        }
    };
    let step = Proof {
        credential,
        proof,
        map,
        suite: &suite,
    };
    match step.check(issuer, document, fetch, now) {
        Ok((how, key)) => result(Outcome::Valid, &suite, how, Some(key)),
        Err((outcome, why, key)) => result(outcome, &suite, why, key),
    }
}

/// One proof of a suite Satchel knows, beside the credential it secures.
struct Proof<'a> {
    credential: &'a Value,
    proof: &'a Value,
    map: &'a Map<String, Value>,
    suite: &'a str,
}

impl Proof<'_> {
    /// The proof's purpose and date, its value, the hashes it signs, its key and
    /// the signature, in that order; `Ok` says how it verified, with the key.
    fn check(
        &self,
        issuer: Option<&str>,
        document: &mut Option<Result<String, CanonError>>,
        fetch: &dyn Fetch,
        now: i64,
    ) -> Result<(String, ResolvedKey), Failure> {
        let no_key = |(outcome, why)| (outcome, why, None);
        self.purpose_and_date(now)
            .map_err(|why| (Outcome::Invalid, why, None))?;
        let (signature, derived) = self.value().map_err(no_key)?;
        let hashes = self.hashes(document).map_err(no_key)?;
        let key = self.key(issuer, fetch).map_err(no_key)?;
        let verified = if let Some(derived) = derived {
            self.verify_derived(&derived, &hashes, &key)
        } else if is_ecdsa(self.suite) {
            self.verify_ecdsa(&hashes, &signature, &key)
        } else {
            self.verify_ed25519(&hashes, &signature, &key)
        };
        match verified {
            Ok(how) => Ok((how, key)),
            Err(why) => Err((Outcome::Invalid, why, Some(key))),
        }
    }

    /// The purpose must be `assertionMethod`; a `created` date must be readable
    /// and not in the future.
    fn purpose_and_date(&self, now: i64) -> Result<(), String> {
        match self.map.get("proofPurpose").and_then(Value::as_str) {
            Some("assertionMethod") => {}
            Some(other) => {
                return Err(format!(
                    "the proof's purpose is {other}, not assertionMethod, so it does not vouch for the credential"
                ))
            }
            None => return Err("the proof has no proofPurpose".to_owned()),
        }
        if let Some(created) = self.map.get("created") {
            match parse_date(created) {
                Ok(t) if t.secs > now + CLOCK_SKEW_SECONDS => {
                    return Err(format!(
                        "the proof says it was created in the future ({})",
                        crate::clock::rfc3339(t.secs)
                    ))
                }
                Ok(_) => {}
                Err(why) => return Err(format!("the proof's created date cannot be read: {why}")),
            }
        }
        Ok(())
    }

    /// The `proofValue`: a selective-disclosure proof carries a CBOR structure,
    /// every other suite one 64-byte (or, for P-384, 96-byte) signature.
    fn value(&self) -> Result<(Vec<u8>, Option<super::sd::DerivedProof>), (Outcome, String)> {
        let invalid = |why: String| (Outcome::Invalid, why);
        let Some(proof_value) = self.map.get("proofValue").and_then(Value::as_str) else {
            return Err(invalid("the proof has no proofValue".to_owned()));
        };
        if self.suite == "ecdsa-sd-2023" {
            return match super::sd::parse_derived(proof_value) {
                Ok(d) => Ok((Vec::new(), Some(d))),
                Err(super::sd::NotDerived::Malformed(why)) => Err(invalid(why)),
                // What the issuer hands the holder: genuine, but only the
                // derived proofs made from it can be checked by anyone else.
                Err(super::sd::NotDerived::BaseProof) => Err((
                    Outcome::Unverifiable,
                    "this is the issuer's ecdsa-sd-2023 base proof, which only the holder can use; Satchel checks the derived (disclosed) copies holders share, so it could not check this one"
                        .to_owned(),
                )),
            };
        }
        let ecdsa = is_ecdsa(self.suite);
        match proof_value
            .strip_prefix('z')
            .map(|b| bs58::decode(b).into_vec())
        {
            Some(Ok(bytes)) if bytes.len() == 64 || (ecdsa && bytes.len() == 96) => {
                Ok((bytes, None))
            }
            _ => Err(invalid(if ecdsa {
                "the proofValue is not a base58btc (z…) ECDSA signature of 64 (P-256) or 96 (P-384) bytes".to_owned()
            } else {
                "the proofValue is not a base58btc (z…) Ed25519 signature of 64 bytes".to_owned()
            })),
        }
    }

    /// The hashes the proof signs: JCS for the `-jcs-` suites (whose own
    /// `@context`, when there is one, must open the credential's), else RDFC-1.0.
    fn hashes(
        &self,
        document: &mut Option<Result<String, CanonError>>,
    ) -> Result<super::HashData, (Outcome, String)> {
        if !matches!(self.suite, "eddsa-jcs-2022" | "ecdsa-jcs-2019") {
            return rdfc_hashes(self.credential, self.proof, document);
        }
        let invalid = |why: String| (Outcome::Invalid, why);
        if let Some(ctx) = self.map.get("@context") {
            let items = |v: &Value| match v {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            let (want, have) = (
                items(ctx),
                self.credential
                    .get("@context")
                    .map(items)
                    .unwrap_or_default(),
            );
            if !have.starts_with(&want) {
                return Err(invalid(
                    "the proof's @context does not match the start of the credential's".to_owned(),
                ));
            }
        }
        hash_data_jcs(self.credential, self.proof)
            .map_err(|e| invalid(format!("the credential cannot be canonicalized: {e}")))
    }

    /// The key the `verificationMethod` names.
    fn key(
        &self,
        issuer: Option<&str>,
        fetch: &dyn Fetch,
    ) -> Result<ResolvedKey, (Outcome, String)> {
        let method = match self.map.get("verificationMethod") {
            Some(Value::String(s)) => s.as_str(),
            Some(Value::Object(m)) => m.get("id").and_then(Value::as_str).unwrap_or(""),
            _ => {
                return Err((
                    Outcome::Invalid,
                    "the proof has no verificationMethod".to_owned(),
                ))
            }
        };
        resolve_verification_method(method, issuer, fetch).map_err(|e| match e {
            KeyError::Unresolvable(why) => (Outcome::Unverifiable, why),
            KeyError::Invalid(why) => (Outcome::Invalid, why),
        })
    }

    /// An `ecdsa-sd-2023` derived proof: the disclosed statements, each signed
    /// with the P-256 key.
    fn verify_derived(
        &self,
        derived: &super::sd::DerivedProof,
        hashes: &super::HashData,
        key: &ResolvedKey,
    ) -> Result<String, String> {
        let Some(point) = key.material.p256_point() else {
            return Err(format!(
                "{} is not a P-256 key, which {} requires",
                key.reference, self.suite
            ));
        };
        match super::sd::verify_derived(
            derived,
            &hashes.canonical_document,
            &hashes.proof_hash,
            &point,
        ) {
            Ok(n) => Ok(format!(
                "verified with {}; the holder disclosed {n} signed statements (selective disclosure)",
                key.how
            )),
            Err(super::sd::SdError::Mismatch(why) | super::sd::SdError::BadKey(why)) => Err(why),
        }
    }

    /// An ECDSA signature: P-256 signs SHA-256 hashes, P-384 SHA-384 hashes of
    /// the same canonical forms (W3C vc-di-ecdsa).
    fn verify_ecdsa(
        &self,
        hashes: &super::HashData,
        signature: &[u8],
        key: &ResolvedKey,
    ) -> Result<String, String> {
        let checked = if let Some(point) = key.material.p256_point() {
            crate::crypto::verify_p256_sha256(&point, &hashes.signed_bytes(), signature)
        } else if let Some(point) = key.material.p384_point() {
            use sha2::{Digest, Sha384};
            let mut signed = Sha384::digest(hashes.canonical_proof.as_bytes()).to_vec();
            signed.extend_from_slice(&Sha384::digest(hashes.canonical_document.as_bytes()));
            crate::crypto::verify_p384_sha384(&point, &signed, signature)
        } else {
            return Err(format!(
                "{} is not a P-256 or P-384 key, which {} requires",
                key.reference, self.suite
            ));
        };
        match checked {
            Ok(()) => Ok(format!("verified with {}", key.how)),
            Err(crate::crypto::CryptoError::Mismatch) => Err(MISMATCH.to_owned()),
            Err(e) => Err(format!("the key cannot be used: {e}")),
        }
    }

    /// An Ed25519 signature, checked strictly.
    fn verify_ed25519(
        &self,
        hashes: &super::HashData,
        signature: &[u8],
        key: &ResolvedKey,
    ) -> Result<String, String> {
        let Ok(signature) = Signature::from_slice(signature) else {
            return Err("the proofValue is not an Ed25519 signature".to_owned());
        };
        let Some(raw) = key.material.ed25519() else {
            return Err(format!(
                "{} is not an Ed25519 key, which {} requires",
                key.reference, self.suite
            ));
        };
        let Ok(verifying) = VerifyingKey::from_bytes(&raw) else {
            return Err("the public key is not a valid Ed25519 point".to_owned());
        };
        if verifying
            .verify_strict(&hashes.signed_bytes(), &signature)
            .is_err()
        {
            return Err(MISMATCH.to_owned());
        }
        Ok(format!("verified with {}", key.how))
    }
}

/// Why a signature that does not verify fails, in words.
const MISMATCH: &str = "the signature does not match: the credential was changed after it was signed, or signed with another key";

/// Checks every embedded proof of `credential`, whose issuer id is `issuer`.
pub(crate) fn check(
    credential: &Value,
    issuer: Option<&str>,
    fetch: &dyn Fetch,
    now: i64,
) -> ProofsResult {
    let proofs: Vec<&Value> = match credential.get("proof") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    if proofs.is_empty() {
        return ProofsResult {
            outcome: Outcome::Invalid,
            message: "The credential carries no proof (no signature), so nothing shows who issued it or that it is intact."
                .to_owned(),
            detail: "no `proof` member and not a VC-JWT".to_owned(),
            valid: None,
        };
    }
    let mut document = None;
    let results: Vec<ProofResult> = proofs
        .iter()
        .take(super::MAX_PROOFS)
        .map(|p| check_one(credential, p, issuer, &mut document, fetch, now))
        .collect();
    let detail = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let suite = if r.suite.is_empty() {
                "proof"
            } else {
                r.suite.as_str()
            };
            let what = match r.outcome {
                Outcome::Valid => "valid",
                Outcome::Invalid => "invalid",
                Outcome::Unverifiable => "not checked",
            };
            format!("proof {} ({suite}): {what}: {}", i + 1, r.reason)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let first = |o: Outcome| results.iter().find(|r| r.outcome == o);
    if let Some(valid) = first(Outcome::Valid) {
        let message = if valid.suite == "ecdsa-sd-2023" {
            "The signature is valid: what this credential discloses has not been changed since the issuer signed it (selective disclosure: the holder may have left other parts out)."
        } else {
            "The signature is valid: the credential has not been changed since it was signed."
        };
        return ProofsResult {
            outcome: Outcome::Valid,
            message: message.to_owned(),
            detail,
            valid: Some(valid.clone()),
        };
    }
    if let Some(bad) = first(Outcome::Invalid) {
        return ProofsResult {
            outcome: Outcome::Invalid,
            message: format!("The signature check failed: {}.", bad.reason),
            detail,
            valid: None,
        };
    }
    let why = first(Outcome::Unverifiable)
        .map(|r| r.reason.clone())
        .unwrap_or_default();
    ProofsResult {
        outcome: Outcome::Unverifiable,
        message: format!("Satchel could not check the signature: {why}."),
        detail,
        valid: None,
    }
}
