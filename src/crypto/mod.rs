//! Keys and signatures: public keys from PEM or JWK, and compact JWS
//! verification under an algorithm allow-list.
//!
//! Satchel accepts exactly three JWS algorithms: `RS256` (RSA PKCS#1 v1.5 with
//! SHA-256, keys of at least 2048 bits), `ES256` (ECDSA on P-256 with SHA-256)
//! and `EdDSA` (Ed25519). `alg` is compared case-sensitively, as RFC 7515
//! requires; `none`, the HMAC algorithms (`HS256` …) and everything else are
//! refused with a sentence saying why. A key's type must fit the algorithm, so
//! an RSA key can never be used as an HMAC secret.
//!
//! No cryptography is written here: the primitives are aws-lc-rs's, reached
//! through `jsonwebtoken`'s aws-lc provider (called directly, so no
//! process-wide provider has to be installed). Only public keys are accepted;
//! a key carrying private material is refused.
//!
//! Error messages are worded to follow "the signature could not be verified: "
//! or to stand as a sentence once capitalized.

use crate::jws::CompactJws;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER;
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind};
use serde_json::Value;
use std::fmt;

/// The smallest RSA modulus Satchel trusts, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// A JWS algorithm Satchel accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JwsAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (the OB 2.0 algorithm).
    Rs256,
    /// ECDSA on P-256 with SHA-256 (fixed-size `r‖s` signature).
    Es256,
    /// Ed25519.
    EdDsa,
}

impl JwsAlg {
    /// The `alg` value as written in a JWS header.
    pub fn as_str(self) -> &'static str {
        match self {
            JwsAlg::Rs256 => "RS256",
            JwsAlg::Es256 => "ES256",
            JwsAlg::EdDsa => "EdDSA",
        }
    }

    /// The algorithm for a header `alg` value (exact, case-sensitive match).
    pub fn from_header(alg: &str) -> Option<JwsAlg> {
        match alg {
            "RS256" => Some(JwsAlg::Rs256),
            "ES256" => Some(JwsAlg::Es256),
            "EdDSA" => Some(JwsAlg::EdDsa),
            _ => None,
        }
    }

    fn key_kind(self) -> KeyKind {
        match self {
            JwsAlg::Rs256 => KeyKind::Rsa,
            JwsAlg::Es256 => KeyKind::P256,
            JwsAlg::EdDsa => KeyKind::Ed25519,
        }
    }

    fn jwt_algorithm(self) -> Algorithm {
        match self {
            JwsAlg::Rs256 => Algorithm::RS256,
            JwsAlg::Es256 => Algorithm::ES256,
            JwsAlg::EdDsa => Algorithm::EdDSA,
        }
    }
}

impl fmt::Display for JwsAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// An RSA key (for `RS256`).
    Rsa,
    /// An elliptic-curve key on P-256 (for `ES256`).
    P256,
    /// An Ed25519 key (for `EdDSA`).
    Ed25519,
}

impl KeyKind {
    /// "an RSA key", "a P-256 key", "an Ed25519 key".
    fn with_article(self) -> &'static str {
        match self {
            KeyKind::Rsa => "an RSA key",
            KeyKind::P256 => "an EC P-256 key",
            KeyKind::Ed25519 => "an Ed25519 key",
        }
    }
}

/// Why a key could not be read or a signature could not be verified. The
/// message is one plain sentence without a capital or full stop.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum CryptoError {
    /// The JWS header has no `alg`.
    #[error("the badge's signature does not say which algorithm it uses")]
    NoAlgorithm,
    /// `none` or a symmetric algorithm: refused on principle.
    #[error("the badge's signature uses alg {alg}, which Satchel refuses: {why}")]
    Refused {
        /// The `alg` value as written.
        alg: String,
        /// Why it is refused.
        why: &'static str,
    },
    /// An algorithm outside the allow-list.
    #[error("the badge's signature uses alg {alg}, which Satchel does not accept{hint}")]
    Unsupported {
        /// The `alg` value as written.
        alg: String,
        /// What Satchel accepts instead, starting with a separator.
        hint: String,
    },
    /// The header lists critical extensions (`crit`), which Satchel does not implement.
    #[error("the badge's signature marks header fields as critical ({0}), which Satchel does not understand")]
    Critical(String),
    /// The key does not fit the algorithm (an RSA key for `ES256` …).
    #[error("the signature uses {alg}, but the key is {key}")]
    KeyMismatch {
        /// The algorithm.
        alg: JwsAlg,
        /// What the key is, with an article.
        key: &'static str,
    },
    /// The key says it is for another algorithm (JWK `alg`).
    #[error("the signature uses {alg}, but the key is meant for {key_alg}")]
    KeyAlgMismatch {
        /// The algorithm of the signature.
        alg: JwsAlg,
        /// The key's own `alg`.
        key_alg: String,
    },
    /// The signature is wrong: changed data or another key.
    #[error("the signature does not match: the badge was changed after it was signed, or it was signed with another key")]
    Mismatch,
    /// The key could not be read.
    #[error("the key is not a usable public key ({0})")]
    BadKey(String),
    /// The key includes private material.
    #[error("the key includes private key material; Satchel only accepts public keys")]
    PrivateKey,
    /// An RSA key below [`MIN_RSA_BITS`].
    #[error("the RSA key has only {0} bits; Satchel requires at least 2048")]
    WeakKey(usize),
}

impl CryptoError {
    /// Is this about the key's form (unreadable), rather than the badge or
    /// its signature? Such a key cannot be used, which proves nothing about the badge.
    pub fn is_unreadable_key(&self) -> bool {
        matches!(self, CryptoError::BadKey(_))
    }
}

/// A public key for signature verification.
#[derive(Clone)]
pub struct PublicKey {
    key: DecodingKey,
    /// An RSA key parsed once by aws-lc for RS256 (PKCS#1 v1.5, SHA-256,
    /// 2048–8192 bits), so checking many signatures with one key does not
    /// rebuild it every time.
    rs256: Option<std::sync::Arc<aws_lc_rs::signature::ParsedPublicKey>>,
    kind: KeyKind,
    /// RSA modulus size.
    bits: Option<usize>,
    /// A JWK's declared `alg`, if any.
    alg: Option<String>,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("key", &self.key)
            .field("kind", &self.kind)
            .field("bits", &self.bits)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Reads a PEM public key: SubjectPublicKeyInfo (`PUBLIC KEY`: RSA, EC
    /// P-256 or Ed25519) or PKCS#1 (`RSA PUBLIC KEY`). Private keys and
    /// certificates are refused.
    pub fn from_pem(text: &str) -> Result<PublicKey, CryptoError> {
        let label = pem_label(text)
            .ok_or_else(|| CryptoError::BadKey("it is not PEM: no -----BEGIN line".to_owned()))?;
        if label.contains("PRIVATE") {
            return Err(CryptoError::PrivateKey);
        }
        let bytes = text.trim().as_bytes();
        match label {
            "RSA PUBLIC KEY" => rsa_from_pem(bytes),
            "PUBLIC KEY" => {
                if let Ok(key) = rsa_from_pem(bytes) {
                    return Ok(key);
                }
                if let Ok(key) = DecodingKey::from_ec_pem(bytes) {
                    return match der_len(&key) {
                        65 => Ok(PublicKey::new(key, KeyKind::P256)),
                        _ => Err(CryptoError::BadKey(
                            "an elliptic-curve key on a curve other than P-256".to_owned(),
                        )),
                    };
                }
                if let Ok(key) = DecodingKey::from_ed_pem(bytes) {
                    return match der_len(&key) {
                        32 => Ok(PublicKey::new(key, KeyKind::Ed25519)),
                        _ => Err(CryptoError::BadKey(
                            "an Edwards-curve key other than Ed25519".to_owned(),
                        )),
                    };
                }
                Err(CryptoError::BadKey(
                    "not an RSA, P-256 or Ed25519 public key".to_owned(),
                ))
            }
            other => Err(CryptoError::BadKey(format!(
                "PEM of type \"{}\", not PUBLIC KEY or RSA PUBLIC KEY",
                other.chars().take(40).collect::<String>()
            ))),
        }
    }

    /// Reads a public JWK: `RSA` (`n`, `e`), `EC` on `P-256` (`x`, `y`) or
    /// `OKP` `Ed25519` (`x`). A JWK with private members (`d` …) or a
    /// symmetric (`oct`) key is refused.
    pub fn from_jwk(jwk: &Value) -> Result<PublicKey, CryptoError> {
        let obj = jwk
            .as_object()
            .ok_or_else(|| CryptoError::BadKey("the JWK is not a JSON object".to_owned()))?;
        if ["d", "p", "q", "dp", "dq", "qi", "k"]
            .iter()
            .any(|m| obj.contains_key(*m))
        {
            return Err(CryptoError::PrivateKey);
        }
        let member = |name: &str| -> Result<&str, CryptoError> {
            obj.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| CryptoError::BadKey(format!("the JWK has no \"{name}\"")))
        };
        let b64 = |name: &str| -> Result<Vec<u8>, CryptoError> {
            URL_SAFE_NO_PAD
                .decode(member(name)?.trim_end_matches('='))
                .map_err(|_| CryptoError::BadKey(format!("the JWK's \"{name}\" is not base64url")))
        };
        let mut key = match member("kty")? {
            "RSA" => {
                let (n, e) = (b64("n")?, b64("e")?);
                let bits = modulus_bits(&n);
                let mut key =
                    PublicKey::new(DecodingKey::from_rsa_raw_components(&n, &e), KeyKind::Rsa);
                key.bits = Some(bits);
                key
            }
            "EC" => {
                let crv = member("crv")?;
                if crv != "P-256" {
                    return Err(CryptoError::BadKey(format!(
                        "an elliptic-curve key on {crv}, not P-256"
                    )));
                }
                let (x, y) = (b64("x")?, b64("y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(CryptoError::BadKey(
                        "the P-256 coordinates are not 32 bytes each".to_owned(),
                    ));
                }
                let mut point = Vec::with_capacity(65);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                PublicKey::new(DecodingKey::from_ec_der(&point), KeyKind::P256)
            }
            "OKP" => {
                let crv = member("crv")?;
                if crv != "Ed25519" {
                    return Err(CryptoError::BadKey(format!(
                        "an OKP key on {crv}, not Ed25519"
                    )));
                }
                let x = b64("x")?;
                if x.len() != 32 {
                    return Err(CryptoError::BadKey(
                        "the Ed25519 key is not 32 bytes".to_owned(),
                    ));
                }
                PublicKey::new(DecodingKey::from_ed_der(&x), KeyKind::Ed25519)
            }
            "oct" => return Err(CryptoError::PrivateKey),
            other => {
                return Err(CryptoError::BadKey(format!(
                    "unknown JWK key type \"{}\"",
                    other.chars().take(20).collect::<String>()
                )))
            }
        };
        key.alg = obj.get("alg").and_then(Value::as_str).map(str::to_owned);
        Ok(key)
    }

    fn new(key: DecodingKey, kind: KeyKind) -> PublicKey {
        PublicKey {
            key,
            rs256: None,
            kind,
            bits: None,
            alg: None,
        }
    }

    /// The key's type.
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// For people and report details: "RSA 2048-bit", "EC P-256", "Ed25519".
    pub fn describe(&self) -> String {
        match (self.kind, self.bits) {
            (KeyKind::Rsa, Some(bits)) => format!("RSA {bits}-bit"),
            (KeyKind::Rsa, None) => "RSA".to_owned(),
            (KeyKind::P256, _) => "EC P-256".to_owned(),
            (KeyKind::Ed25519, _) => "Ed25519".to_owned(),
        }
    }
}

fn rsa_from_pem(bytes: &[u8]) -> Result<PublicKey, CryptoError> {
    let key = DecodingKey::from_rsa_pem(bytes)
        .map_err(|e| CryptoError::BadKey(format!("unreadable RSA key: {e}")))?;
    let der = match key.kind() {
        DecodingKeyKind::SecretOrDer(der) => der,
        DecodingKeyKind::RsaModulusExponent { .. } => {
            return Err(CryptoError::BadKey("unexpected RSA key form".to_owned()))
        }
    };
    let (n, e) = (DEFAULT_PROVIDER
        .key_utils
        .rsa_pub_components_from_public_key)(der)
    .map_err(|e| CryptoError::BadKey(format!("unreadable RSA key: {e}")))?;
    let mut out = PublicKey::new(DecodingKey::from_rsa_raw_components(&n, &e), KeyKind::Rsa);
    out.bits = Some(modulus_bits(&n));
    // `der` is the PKCS#1 RSAPublicKey; a key aws-lc will not take for RS256
    // (too small, too large) is left to the general path, which says why.
    out.rs256 = aws_lc_rs::signature::ParsedPublicKey::new(
        &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
        der,
    )
    .ok()
    .map(std::sync::Arc::new);
    Ok(out)
}

/// The size of a big-endian modulus in bits (leading zeros ignored).
fn modulus_bits(n: &[u8]) -> usize {
    match n.iter().position(|&b| b != 0) {
        Some(i) => (n.len() - i) * 8 - n[i].leading_zeros() as usize,
        None => 0,
    }
}

fn der_len(key: &DecodingKey) -> usize {
    key.try_get_as_bytes().map(<[u8]>::len).unwrap_or(0)
}

/// The label of the first PEM block (`PUBLIC KEY`, `RSA PUBLIC KEY` …).
fn pem_label(text: &str) -> Option<&str> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let rest = &text[start..];
    let end = rest.find("-----")?;
    Some(rest[..end].trim())
}

/// Checks a JWS header against the allow-list and returns its algorithm:
/// `RS256`, `ES256` or `EdDSA`, compared case-sensitively; a header with
/// critical extensions (`crit`) is refused. Needs no key, so a refused
/// algorithm can be reported before any key is fetched.
pub fn allowed_alg(jws: &CompactJws) -> Result<JwsAlg, CryptoError> {
    let alg = jws.alg().ok_or(CryptoError::NoAlgorithm)?;
    let accepted = JwsAlg::from_header(alg).ok_or_else(|| refusal(alg))?;
    if let Some(crit) = jws.header.get("crit") {
        let names = match crit {
            Value::Array(items) => items
                .iter()
                .map(|v| v.as_str().unwrap_or("?").to_owned())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        return Err(CryptoError::Critical(names.chars().take(100).collect()));
    }
    Ok(accepted)
}

fn refusal(alg: &str) -> CryptoError {
    let shown: String = alg.chars().take(30).collect();
    if alg.eq_ignore_ascii_case("none") || alg.is_empty() {
        return CryptoError::Refused {
            alg: if alg.is_empty() {
                "\"\"".to_owned()
            } else {
                shown
            },
            why: "it means the badge is not signed at all",
        };
    }
    if alg.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS")) {
        return CryptoError::Refused {
            alg: shown,
            why: "anyone holding the key could forge it",
        };
    }
    let hint = match [JwsAlg::Rs256, JwsAlg::Es256, JwsAlg::EdDsa]
        .into_iter()
        .find(|a| a.as_str().eq_ignore_ascii_case(alg))
    {
        Some(a) => format!(": algorithm names are case-sensitive, and this is not {a}"),
        None => " (only RS256, ES256 and EdDSA)".to_owned(),
    };
    CryptoError::Unsupported { alg: shown, hint }
}

/// Verifies a compact JWS with `key`: the algorithm must pass
/// [`allowed_alg`], the key must fit it (RSA ≥ 2048 bits for `RS256`, P-256
/// for `ES256`, Ed25519 for `EdDSA`), and the signature must match the exact
/// signing input `BASE64URL(header).BASE64URL(payload)`.
pub fn verify_jws(jws: &CompactJws, key: &PublicKey) -> Result<(), CryptoError> {
    let alg = allowed_alg(jws)?;
    verify_signature(alg, jws.signing_input.as_bytes(), &jws.signature, key)
}

/// Verifies a raw signature over `message` (for proofs that are not compact
/// JWS). ES256 signatures are the fixed 64-byte `r‖s` form.
pub fn verify_signature(
    alg: JwsAlg,
    message: &[u8],
    signature: &[u8],
    key: &PublicKey,
) -> Result<(), CryptoError> {
    if key.kind != alg.key_kind() {
        return Err(CryptoError::KeyMismatch {
            alg,
            key: key.kind.with_article(),
        });
    }
    if let Some(key_alg) = key.alg.as_deref() {
        if key_alg != alg.as_str() {
            return Err(CryptoError::KeyAlgMismatch {
                alg,
                key_alg: key_alg.chars().take(30).collect(),
            });
        }
    }
    if let Some(bits) = key.bits {
        if bits < MIN_RSA_BITS {
            return Err(CryptoError::WeakKey(bits));
        }
    }
    if signature.is_empty() {
        return Err(CryptoError::Mismatch);
    }
    if let (JwsAlg::Rs256, Some(parsed)) = (alg, key.rs256.as_deref()) {
        return parsed
            .verify_sig(message, signature)
            .map_err(|_| CryptoError::Mismatch);
    }
    let verifier = (DEFAULT_PROVIDER.verifier_factory)(&alg.jwt_algorithm(), &key.key)
        .map_err(|e| CryptoError::BadKey(e.to_string()))?;
    verifier
        .verify(message, &signature.to_vec())
        .map_err(|_| CryptoError::Mismatch)
}

/// Verifies an ECDSA P-256 / SHA-256 signature in the fixed 64-byte `r‖s`
/// form (as Data Integrity `ecdsa-rdfc-2019` proofs carry it) over
/// `message`, with a public key given as a SEC1 point: compressed (33 bytes,
/// as a P-256 `did:key` holds it) or uncompressed (65 bytes). aws-lc does the
/// work; the point is checked to be on the curve.
pub fn verify_p256_sha256(
    point: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    verify_ecdsa_fixed(
        &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED,
        "P-256",
        32,
        point,
        message,
        signature,
    )
}

/// [`verify_p256_sha256`] for P-384 with SHA-384: a 96-byte `r‖s` signature,
/// a 49-byte compressed or 97-byte uncompressed point.
pub fn verify_p384_sha384(
    point: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    verify_ecdsa_fixed(
        &aws_lc_rs::signature::ECDSA_P384_SHA384_FIXED,
        "P-384",
        48,
        point,
        message,
        signature,
    )
}

fn verify_ecdsa_fixed(
    alg: &'static aws_lc_rs::signature::EcdsaVerificationAlgorithm,
    curve: &str,
    size: usize,
    point: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    let well_formed = match point.first() {
        Some(2 | 3) => point.len() == size + 1,
        Some(4) => point.len() == 2 * size + 1,
        _ => false,
    };
    if !well_formed {
        return Err(CryptoError::BadKey(format!(
            "the {curve} key is not a {}-byte compressed or {}-byte uncompressed point",
            size + 1,
            2 * size + 1
        )));
    }
    if signature.len() != 2 * size {
        return Err(CryptoError::Mismatch);
    }
    let key = aws_lc_rs::signature::ParsedPublicKey::new(alg, point)
        .map_err(|_| CryptoError::BadKey(format!("the {curve} key is not a point on the curve")))?;
    key.verify_sig(message, signature)
        .map_err(|_| CryptoError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jws(header: &str, payload: &str, sig: &[u8]) -> CompactJws {
        let h = URL_SAFE_NO_PAD.encode(header);
        let p = URL_SAFE_NO_PAD.encode(payload);
        let s = URL_SAFE_NO_PAD.encode(sig);
        crate::jws::decode(&format!("{h}.{p}.{s}")).unwrap()
    }

    #[test]
    fn the_allow_list_is_case_sensitive_and_refuses_symmetric_and_none() {
        let ok = |alg: &str| allowed_alg(&jws(&format!(r#"{{"alg":"{alg}"}}"#), "{}", b"x"));
        assert_eq!(ok("RS256"), Ok(JwsAlg::Rs256));
        assert_eq!(ok("ES256"), Ok(JwsAlg::Es256));
        assert_eq!(ok("EdDSA"), Ok(JwsAlg::EdDsa));
        assert_eq!(
            ok("HS256").unwrap_err().to_string(),
            "the badge's signature uses alg HS256, which Satchel refuses: anyone holding the key could forge it"
        );
        assert!(ok("none")
            .unwrap_err()
            .to_string()
            .contains("not signed at all"));
        assert!(ok("rs256")
            .unwrap_err()
            .to_string()
            .contains("case-sensitive"));
        assert!(ok("PS256")
            .unwrap_err()
            .to_string()
            .contains("only RS256, ES256 and EdDSA"));
        let crit = allowed_alg(&jws(
            r#"{"alg":"RS256","crit":["b64"],"b64":false}"#,
            "{}",
            b"x",
        ));
        assert!(matches!(crit, Err(CryptoError::Critical(_))));
    }

    #[test]
    fn private_and_symmetric_keys_are_refused() {
        let jwk = serde_json::json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"});
        assert_eq!(
            PublicKey::from_jwk(&jwk).unwrap_err(),
            CryptoError::PrivateKey
        );
        let oct = serde_json::json!({"kty":"oct","k":"c2VjcmV0"});
        assert_eq!(
            PublicKey::from_jwk(&oct).unwrap_err(),
            CryptoError::PrivateKey
        );
        let pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            PublicKey::from_pem(pem).unwrap_err(),
            CryptoError::PrivateKey
        );
    }

    #[test]
    fn an_rfc8037_ed25519_signature_verifies_and_a_changed_one_does_not() {
        // RFC 8037 appendix A.4: the Ed25519 JWS example.
        let jwk = serde_json::json!({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"});
        let key = PublicKey::from_jwk(&jwk).unwrap();
        assert_eq!(key.describe(), "Ed25519");
        let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
        let signed = crate::jws::decode(token).unwrap();
        assert_eq!(verify_jws(&signed, &key), Ok(()));
        let mut changed = signed.clone();
        changed.signing_input.push('A');
        assert_eq!(verify_jws(&changed, &key), Err(CryptoError::Mismatch));
        let rsa = serde_json::json!({"kty":"RSA","n":"AQAB","e":"AQAB"});
        let rsa = PublicKey::from_jwk(&rsa).unwrap();
        assert!(matches!(
            verify_jws(&signed, &rsa),
            Err(CryptoError::KeyMismatch { .. })
        ));
    }
}
