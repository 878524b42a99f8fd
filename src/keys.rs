//! Public keys as credentials write them, for verifying and signing alike:
//! multibase multikeys (`z6Mk…` Ed25519, `zDn…` P-256, `z82…` P-384), JWKs,
//! `did:key` identifiers and the key members of a verification method.
//! Only encoding and decoding: finding a key (did:web, https documents) and
//! checking signatures happen in `verify`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// The key material itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyMaterial {
    /// A raw Ed25519 public key.
    Ed25519([u8; 32]),
    /// A P-256 public key as a compressed SEC1 point (33 bytes), from a
    /// `zDn…` multikey.
    P256(Vec<u8>),
    /// A P-384 public key as a compressed SEC1 point (49 bytes), from a
    /// `z82…` multikey.
    P384(Vec<u8>),
    /// A public JWK (RSA, EC or OKP), as published.
    Jwk(Map<String, Value>),
}

impl KeyMaterial {
    /// The key as a public JWK.
    pub(crate) fn to_jwk(&self) -> Map<String, Value> {
        match self {
            KeyMaterial::Jwk(j) => j.clone(),
            // A compressed point has no `y` to write: such keys are used only
            // by Data Integrity proofs (see [`KeyMaterial::p256_point`]).
            KeyMaterial::P256(_) | KeyMaterial::P384(_) => {
                let mut j = Map::new();
                j.insert("kty".into(), "EC".into());
                let crv = if matches!(self, KeyMaterial::P256(_)) {
                    "P-256"
                } else {
                    "P-384"
                };
                j.insert("crv".into(), crv.into());
                j
            }
            KeyMaterial::Ed25519(k) => {
                let mut j = Map::new();
                j.insert("kty".into(), "OKP".into());
                j.insert("crv".into(), "Ed25519".into());
                j.insert("x".into(), URL_SAFE_NO_PAD.encode(k).into());
                j
            }
        }
    }

    /// The P-256 key as a SEC1 point, if this is one: a `zDn…` multikey, or
    /// an EC P-256 JWK (uncompressed from its `x` and `y`).
    pub(crate) fn p256_point(&self) -> Option<Vec<u8>> {
        match self {
            KeyMaterial::P256(p) => Some(p.clone()),
            KeyMaterial::Ed25519(_) | KeyMaterial::P384(_) => None,
            KeyMaterial::Jwk(j) => jwk_point(j, "P-256", 32),
        }
    }

    /// The P-384 key as a SEC1 point, if this is one: a `z82…` multikey, or
    /// an EC P-384 JWK.
    pub(crate) fn p384_point(&self) -> Option<Vec<u8>> {
        match self {
            KeyMaterial::P384(p) => Some(p.clone()),
            KeyMaterial::Ed25519(_) | KeyMaterial::P256(_) => None,
            KeyMaterial::Jwk(j) => jwk_point(j, "P-384", 48),
        }
    }

    /// The raw Ed25519 key, if this is one (also from an OKP/Ed25519 JWK).
    pub(crate) fn ed25519(&self) -> Option<[u8; 32]> {
        match self {
            KeyMaterial::Ed25519(k) => Some(*k),
            KeyMaterial::P256(_) | KeyMaterial::P384(_) => None,
            KeyMaterial::Jwk(j) => {
                if j.get("kty")?.as_str()? != "OKP" || j.get("crv")?.as_str()? != "Ed25519" {
                    return None;
                }
                URL_SAFE_NO_PAD
                    .decode(j.get("x")?.as_str()?)
                    .ok()?
                    .try_into()
                    .ok()
            }
        }
    }
}

/// The bytes of a base58btc multibase string (`z…`).
fn multibase_bytes(s: &str) -> Result<Vec<u8>, String> {
    let b58 = s.strip_prefix('z').ok_or_else(|| {
        format!("{s} is not a base58btc multibase key (it does not start with z)")
    })?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|_| format!("{s} is not valid base58btc"))?;
    Ok(bytes)
}

/// Decodes a multibase (`z` = base58btc) multicodec Ed25519 public key (`z6Mk…`).
pub(crate) fn decode_multikey(s: &str) -> Result<[u8; 32], String> {
    let bytes = multibase_bytes(s)?;
    match bytes.as_slice() {
        [0xed, 0x01, key @ ..] if key.len() == 32 => Ok(key.try_into().unwrap_or([0; 32])),
        [0x80, 0x24, ..] => Err(format!(
            "{s} is a P-256 key; Satchel checks Ed25519 keys for this proof type"
        )),
        _ => Err(format!(
            "{s} is not an Ed25519 public key (multicodec 0xed01 and 32 bytes)"
        )),
    }
}

/// Decodes a multibase (`z` = base58btc) multicodec public key: Ed25519
/// (`z6Mk…`, 0xed01 + 32 bytes) or P-256 (`zDn…`, 0x8024 + a 33-byte
/// compressed point).
pub(crate) fn decode_multikey_material(s: &str) -> Result<KeyMaterial, String> {
    let bytes = multibase_bytes(s)?;
    match bytes.as_slice() {
        [0x80, 0x24, point @ ..] if point.len() == 33 && matches!(point[0], 2 | 3) => {
            Ok(KeyMaterial::P256(point.to_vec()))
        }
        [0x80, 0x24, ..] => Err(format!(
            "{s} is not a P-256 public key (multicodec 0x8024 and a 33-byte compressed point)"
        )),
        [0x81, 0x24, point @ ..] if point.len() == 49 && matches!(point[0], 2 | 3) => {
            Ok(KeyMaterial::P384(point.to_vec()))
        }
        [0x81, 0x24, ..] => Err(format!(
            "{s} is not a P-384 public key (multicodec 0x8124 and a 49-byte compressed point)"
        )),
        _ => decode_multikey(s).map(KeyMaterial::Ed25519),
    }
}

/// The uncompressed SEC1 point of an EC JWK on `crv` (coordinates of `len` bytes).
fn jwk_point(j: &Map<String, Value>, crv: &str, len: usize) -> Option<Vec<u8>> {
    if j.get("kty")?.as_str()? != "EC" || j.get("crv")?.as_str()? != crv {
        return None;
    }
    let coord = |k: &str| -> Option<Vec<u8>> {
        let v = URL_SAFE_NO_PAD.decode(j.get(k)?.as_str()?).ok()?;
        (v.len() == len).then_some(v)
    };
    let mut point = vec![4u8];
    point.extend(coord("x")?);
    point.extend(coord("y")?);
    Some(point)
}

pub(crate) fn key_of(vm: &Map<String, Value>) -> Result<KeyMaterial, String> {
    if let Some(mb) = vm.get("publicKeyMultibase").and_then(Value::as_str) {
        return decode_multikey_material(mb);
    }
    if let Some(jwk) = vm.get("publicKeyJwk").and_then(Value::as_object) {
        if jwk.contains_key("d") {
            return Err("the published JWK contains a private key".to_owned());
        }
        return Ok(KeyMaterial::Jwk(jwk.clone()));
    }
    if let Some(b58) = vm.get("publicKeyBase58").and_then(Value::as_str) {
        let bytes = bs58::decode(b58)
            .into_vec()
            .map_err(|_| "publicKeyBase58 is not base58".to_owned())?;
        return <[u8; 32]>::try_from(bytes.as_slice())
            .map(KeyMaterial::Ed25519)
            .map_err(|_| "publicKeyBase58 is not a 32-byte Ed25519 key".to_owned());
    }
    Err(
        "the verification method has no publicKeyMultibase, publicKeyJwk or publicKeyBase58"
            .to_owned(),
    )
}

/// The multikey (`z6Mk…`) of an Ed25519 public key: multicodec 0xed01 and
/// the 32 bytes, base58btc.
pub fn ed25519_multikey(public: &[u8; 32]) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(public);
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The `did:key` of an Ed25519 public key.
pub fn ed25519_did_key(public: &[u8; 32]) -> String {
    format!("did:key:{}", ed25519_multikey(public))
}
