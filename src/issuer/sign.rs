//! Signatures: compact JWS (RS256 with aws-lc-rs, EdDSA with ed25519-dalek)
//! over `BASE64URL(header).BASE64URL(payload)`. Both are deterministic, so
//! the same document signs to the same bytes.

use super::IssuerError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::Value;

fn signing_input(header: &Value, payload: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

/// A compact JWS of `payload`, RS256.
pub fn rs256(
    key: &aws_lc_rs::rsa::KeyPair,
    header: &Value,
    payload: &Value,
) -> Result<String, IssuerError> {
    let input = signing_input(header, payload);
    let mut sig = vec![0u8; key.public_modulus_len()];
    key.sign(
        &aws_lc_rs::signature::RSA_PKCS1_SHA256,
        &aws_lc_rs::rand::SystemRandom::new(),
        input.as_bytes(),
        &mut sig,
    )
    .map_err(|_| IssuerError::Internal("the RSA signature failed".to_owned()))?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig)))
}

/// A compact JWS of `payload`, EdDSA (Ed25519).
pub fn eddsa(key: &ed25519_dalek::SigningKey, header: &Value, payload: &Value) -> String {
    use ed25519_dalek::Signer;
    let input = signing_input(header, payload);
    let sig = key.sign(input.as_bytes()).to_bytes();
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig))
}
