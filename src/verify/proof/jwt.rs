//! VC-JWT: a credential signed as a compact JWS.
//!
//! VCDM 1.1 carries the credential in the `vc` claim; with VCDM 2.0 the claims
//! are the credential. The key comes from the header (`jwk`, or `kid` as a DID
//! URL or URL); the algorithm must be RS256, ES256 or EdDSA and agree with the
//! key's type. The registered claims must agree with the credential.

use super::integrity::Outcome;
use super::keys::{resolve_jwt_key, KeyError, ResolvedKey};
use crate::crypto::{self, CryptoError, PublicKey};
use crate::fetch::Fetch;
use crate::jws::CompactJws;
use serde_json::Value;

/// The signature result of a VC-JWT.
#[derive(Clone, Debug)]
pub(crate) struct JwtResult {
    /// Valid, invalid or unverifiable.
    pub outcome: Outcome,
    /// One plain-language sentence.
    pub message: String,
    /// Algorithm and key.
    pub detail: String,
    /// The key, when one was resolved.
    pub key: Option<ResolvedKey>,
}

/// The credential inside VC-JWT claims: `vc` (VCDM 1.1) or the claims themselves (VCDM 2.0).
pub(crate) fn credential_of(claims: &Value) -> (Value, bool) {
    match claims.get("vc") {
        Some(vc @ Value::Object(_)) => (vc.clone(), true),
        _ => (claims.clone(), false),
    }
}

/// Checks the signature of a VC-JWT.
pub(crate) fn check(jws: &CompactJws, claims: &Value, fetch: &dyn Fetch) -> JwtResult {
    let fail = |message: String, detail: String, key| JwtResult {
        outcome: Outcome::Invalid,
        message,
        detail,
        key,
    };
    let alg = match crypto::allowed_alg(jws) {
        Ok(alg) => alg,
        Err(e) => {
            return fail(
                format!("The signature cannot be trusted: {e}."),
                format!("alg {}", jws.alg().unwrap_or("(none)")),
                None,
            )
        }
    };
    if let Some(typ) = jws.header.get("typ").and_then(Value::as_str) {
        if !typ.eq_ignore_ascii_case("JWT")
            && !typ.eq_ignore_ascii_case("vc+jwt")
            && !typ.eq_ignore_ascii_case("vc+ld+jwt")
        {
            return fail(
                format!("The JWT header says it is a {typ}, not a credential JWT."),
                format!("typ {typ}"),
                None,
            );
        }
    }
    let (credential, _) = credential_of(claims);
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .or_else(|| super::issuer_id(&credential));
    let key = match resolve_jwt_key(&jws.header, iss, fetch) {
        Ok(k) => k,
        Err(KeyError::Unresolvable(why)) => {
            return JwtResult {
                outcome: Outcome::Unverifiable,
                message: format!("Satchel could not check the signature: {why}."),
                detail: format!("alg {alg}"),
                key: None,
            }
        }
        Err(KeyError::Invalid(why)) => {
            return fail(
                format!("The JWT signature cannot be checked: {why}."),
                format!("alg {alg}"),
                None,
            )
        }
    };
    let public = match PublicKey::from_jwk(&Value::Object(key.material.to_jwk())) {
        Ok(p) => p,
        Err(e) if e.is_unreadable_key() => {
            return JwtResult {
                outcome: Outcome::Unverifiable,
                message: format!("Satchel could not check the signature: {e}."),
                detail: format!("VC-JWT, alg {alg}, key: {}", key.how),
                key: Some(key),
            }
        }
        Err(e) => {
            let detail = format!("VC-JWT, alg {alg}, key: {}", key.how);
            return fail(
                format!("The signature cannot be checked: {e}."),
                detail,
                Some(key),
            );
        }
    };
    let detail = format!("VC-JWT, alg {alg}, {} key: {}", public.describe(), key.how);
    match crypto::verify_jws(jws, &public) {
        Ok(()) => JwtResult {
            outcome: Outcome::Valid,
            message: "The signature is valid: the credential has not been changed since it was signed.".to_owned(),
            detail,
            key: Some(key),
        },
        Err(CryptoError::Mismatch) => fail(
            "The signature does not match: the credential was changed after it was signed, or signed with another key."
                .to_owned(),
            detail,
            Some(key),
        ),
        Err(e) => fail(format!("The signature cannot be checked: {e}."), detail, Some(key)),
    }
}
