//! Badges for the export tests, signed here with test keys: OB 2.0 signed
//! (RS256, ES256, EdDSA), OB 3.0 VC-JWT (EdDSA with did:key, ES256 with a
//! JWK), OB 3.0 Data Integrity (eddsa-rdfc-2022), OB 2.0 hosted, each baked
//! into a real PNG, plus the [`World`] of issuer documents that verification
//! fetches (and the export embeds).

use crate::support::Web;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use satchel::bake::{bake, Slot};
use satchel::export::ExportBadge;
use satchel::inspect::inspect;
use satchel::verify::{verify, Options, Report};
use serde_json::{json, Value};
use std::path::PathBuf;

/// 2025-01-01T00:00:00Z: when the test badges were "checked".
pub const NOW: i64 = 1_735_689_600;

const RS256_PRIVATE: &str = include_str!("rs256-private.pem");
const RS256_PUBLIC: &str = include_str!("rs256-public.pem");
const ES256_PRIVATE: &str = include_str!("es256-private.pem");
const ES256_PUBLIC: &str = include_str!("es256-public.pem");

pub const ISSUER: &str = "https://issuer.test/issuer";

/// Issuer documents by URL, written into a temporary folder and read back by
/// `DirFetch`; records what verification fetched.
pub type World = Web;

/// The offline web, serving the corpus's OB 2.0 assets for
/// `https://example.org/`, `http://example.org/` and `https://www.example.org/`
/// when given.
pub fn offline_web(assets: Option<PathBuf>) -> World {
    let Some(assets) = assets else {
        return Web::new();
    };
    [
        "https://example.org/",
        "http://example.org/",
        "https://www.example.org/",
    ]
    .into_iter()
    .fold(Web::new(), |w, base| w.site(base, &assets))
}

/// Verifies `original` in `world` and packs everything an export needs.
pub fn export_badge(id: &str, original: Vec<u8>, name: Option<&str>, world: &World) -> ExportBadge {
    export_badge_at(id, original, name, world, NOW)
}

/// [`export_badge`], verified at `now`.
pub fn export_badge_at(
    id: &str,
    original: Vec<u8>,
    name: Option<&str>,
    world: &World,
    now: i64,
) -> ExportBadge {
    let inspection = inspect(&original).unwrap_or_else(|e| panic!("{id}: {e}"));
    world.forget();
    let report = verify(
        &inspection,
        world,
        &Options {
            now,
            recipients: Vec::new(),
            recipient_rule: satchel::verify::RecipientRule::MustMatch,
        },
    );
    ExportBadge {
        id: id.to_owned(),
        original,
        original_name: name.map(str::to_owned),
        inspection,
        report,
        documents: world.answered(),
        image: None,
    }
}

/// A 64×64 PNG with a coloured disc (the display image of generated badges).
pub fn disc_png(rgb: [u8; 3]) -> Vec<u8> {
    let (w, h) = (64u32, 64u32);
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().unwrap();
        let mut data = vec![0u8; (w * h * 4) as usize];
        for (i, px) in data.chunks_mut(4).enumerate() {
            let (x, y) = (i as i32 % 64 - 32, i as i32 / 64 - 32);
            let inside = x * x + y * y < 30 * 30;
            let ring = x * x + y * y < 22 * 22;
            let c = if ring { [255, 255, 255] } else { rgb };
            px.copy_from_slice(&[c[0], c[1], c[2], if inside { 255 } else { 0 }]);
        }
        writer.write_image_data(&data).unwrap();
    }
    out
}

pub fn data_uri(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", STANDARD.encode(png))
}

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// A compact JWS with `payload` replaced and the old signature kept.
pub fn tamper_jws(jws: &str, edit: impl Fn(&mut Value)) -> String {
    let parts: Vec<&str> = jws.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    edit(&mut payload);
    format!("{}.{}.{}", parts[0], b64(&payload.to_string()), parts[2])
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    Es256,
    EdDsa,
}

impl Alg {
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::Es256 => "ES256",
            Alg::EdDsa => "EdDSA",
        }
    }
}

pub fn ed25519_key() -> SigningKey {
    SigningKey::from_bytes(&[11u8; 32])
}

fn ed25519_spki_pem(key: &SigningKey) -> String {
    let mut der = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    der.extend_from_slice(key.verifying_key().as_bytes());
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        STANDARD.encode(der)
    )
}

/// The did:key of the test Ed25519 key.
pub fn did_key() -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(ed25519_key().verifying_key().as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// Signs `payload` (JSON) as a compact JWS with `alg`.
pub fn sign_jws(alg: Alg, header: Value, payload: &Value) -> String {
    match alg {
        Alg::EdDsa => {
            let input = format!("{}.{}", b64(&header.to_string()), b64(&payload.to_string()));
            let sig = ed25519_key().sign(input.as_bytes());
            format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
        }
        Alg::Rs256 | Alg::Es256 => {
            use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
            let (algorithm, key) = if alg == Alg::Rs256 {
                (
                    Algorithm::RS256,
                    EncodingKey::from_rsa_pem(RS256_PRIVATE.as_bytes()).unwrap(),
                )
            } else {
                (
                    Algorithm::ES256,
                    EncodingKey::from_ec_pem(ES256_PRIVATE.as_bytes()).unwrap(),
                )
            };
            let mut h = Header::new(algorithm);
            h.kid = header.get("kid").and_then(Value::as_str).map(str::to_owned);
            if let Some(jwk) = header.get("jwk") {
                h.jwk = Some(serde_json::from_value(jwk.clone()).unwrap());
            }
            encode(&h, payload, &key).unwrap()
        }
    }
}

/// The ES256 test public key as a JWK.
pub fn es256_jwk() -> Value {
    // x and y from the SPKI: the last 64 bytes of the DER.
    let body: String = ES256_PUBLIC
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(body).unwrap();
    let xy = &der[der.len() - 64..];
    json!({"kty": "EC", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(&xy[..32]), "y": URL_SAFE_NO_PAD.encode(&xy[32..])})
}

/// The issuer's site for OB 2.0 signed badges signed with `alg`.
pub fn ob2_issuer(world: &mut World, alg: Alg, revoked: &[&str]) {
    let key_url = format!("https://issuer.test/keys/{}", alg.name());
    let pem = match alg {
        Alg::Rs256 => RS256_PUBLIC.to_owned(),
        Alg::Es256 => ES256_PUBLIC.to_owned(),
        Alg::EdDsa => ed25519_spki_pem(&ed25519_key()),
    };
    world.add(
        ISSUER,
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": ISSUER,
            "name": "Test Guild of Makers", "url": "https://issuer.test", "email": "badges@issuer.test",
            "image": data_uri(&disc_png([52, 81, 178])),
            "publicKey": [
                "https://issuer.test/keys/RS256", "https://issuer.test/keys/ES256", "https://issuer.test/keys/EdDSA"
            ],
            "revocationList": "https://issuer.test/revoked"})
        .to_string(),
    );
    world.add(
        &key_url,
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey",
            "id": key_url, "owner": ISSUER, "publicKeyPem": pem})
        .to_string(),
    );
    world.add(
        "https://issuer.test/badges/rust",
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
            "id": "https://issuer.test/badges/rust", "name": "Rust Ranger",
            "description": "Wrote safe systems code and shipped it.\n\nReviewed by two maintainers.",
            "image": data_uri(&disc_png([222, 99, 40])),
            "criteria": {"id": "https://issuer.test/criteria/rust", "narrative": "Ship a crate with tests and documentation."},
            "alignment": [{"targetName": "Systems programming", "targetUrl": "https://framework.test/sys",
                "targetFramework": "Test Skills", "targetCode": "SYS-1"}],
            "tags": ["rust", "systems"],
            "issuer": ISSUER})
        .to_string(),
    );
    let list: Vec<Value> = revoked.iter().map(|id| json!({"id": id})).collect();
    world.add(
        "https://issuer.test/revoked",
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "RevocationList",
            "id": "https://issuer.test/revoked", "issuer": ISSUER, "revokedAssertions": list})
        .to_string(),
    );
}

/// A salted sha256 hash of ada@example.org.
pub fn hashed_ada() -> Value {
    let hash = satchel::model::recipient::hash_identity(
        satchel::model::recipient::HashAlg::Sha256,
        "ada@example.org",
        Some("pepper"),
    );
    json!({"type": "email", "hashed": true, "salt": "pepper", "identity": hash})
}

/// An OB 2.0 signed assertion, as a compact JWS.
pub fn ob2_signed(alg: Alg, n: u32) -> String {
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": format!("urn:uuid:00000000-0000-4000-8000-{n:012}"),
        "recipient": hashed_ada(),
        "badge": "https://issuer.test/badges/rust",
        "issuedOn": "2024-05-01T12:00:00Z",
        "evidence": [{"id": "https://evidence.test/ada/crate", "name": "The crate", "narrative": "Published on a registry."}],
        "verification": {"type": "SignedBadge", "creator": format!("https://issuer.test/keys/{}", alg.name())}
    });
    sign_jws(alg, json!({"alg": alg.name()}), &assertion)
}

/// A VCDM 2.0 OpenBadgeCredential whose issuer is the test did:key.
pub fn ob3_credential(name: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:0b3c6a5e-2c49-4b1a-9d8e-5f7b0a1c2d3e",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did_key(), "type": ["Profile"], "name": "Test Guild of Makers"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": "Ada Lovelace",
            "achievement": {
                "id": "https://issuer.test/achievements/rdf",
                "type": ["Achievement"],
                "name": name,
                "description": "Canonicalized a graph by hand.",
                "criteria": {"narrative": "Explain blank node labelling to a friend."},
                "image": {"id": data_uri(&disc_png([6, 118, 71])), "type": "Image"}
            }
        }
    })
}

/// Adds an eddsa-rdfc-2022 proof made with the test key (did:key).
pub fn sign_di(cred: Value) -> Value {
    let vm = format!("{}#{}", did_key(), &did_key()["did:key:".len()..]);
    let options = json!({
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": vm,
        "proofPurpose": "assertionMethod"
    });
    satchel::data_integrity::sign_eddsa_rdfc_2022(&cred, &options, &ed25519_key()).unwrap()
}

/// The multikey (`z…`) of an uncompressed EC point (`0x04 ‖ x ‖ y`, each
/// `size` bytes) under the multicodec prefix `codec`.
pub fn ec_multikey(point: &[u8], codec: [u8; 2], size: usize) -> String {
    let mut multikey = codec.to_vec();
    multikey.push(2 + (point[2 * size] & 1));
    multikey.extend_from_slice(&point[1..=size]);
    format!("z{}", bs58::encode(multikey).into_string())
}

/// Re-issues `cred` from a fresh P-256 (or P-384) did:key and adds an
/// ecdsa-rdfc-2019 proof (SHA-256 or SHA-384 hashes, as the curve asks).
pub fn sign_di_ecdsa(mut cred: Value, p384: bool) -> Value {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING, ECDSA_P384_SHA384_FIXED_SIGNING,
    };
    use sha2::{Digest, Sha384};
    let (alg, size, codec) = if p384 {
        (&ECDSA_P384_SHA384_FIXED_SIGNING, 48, [0x81, 0x24])
    } else {
        (&ECDSA_P256_SHA256_FIXED_SIGNING, 32, [0x80, 0x24])
    };
    let pair = EcdsaKeyPair::generate(alg).unwrap();
    let key = ec_multikey(pair.public_key().as_ref(), codec, size);
    let did = format!("did:key:{key}");
    cred["issuer"]["id"] = json!(did);
    let mut proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": "ecdsa-rdfc-2019",
        "created": "2024-01-01T00:00:00Z",
        "verificationMethod": format!("{did}#{key}"),
        "proofPurpose": "assertionMethod"
    });
    let hashes = satchel::verify::proof::hash_data(&cred, &proof).unwrap();
    let signed = if p384 {
        let mut b = Sha384::digest(hashes.canonical_proof.as_bytes()).to_vec();
        b.extend_from_slice(&Sha384::digest(hashes.canonical_document.as_bytes()));
        b
    } else {
        hashes.signed_bytes().to_vec()
    };
    let sig = pair.sign(&SystemRandom::new(), &signed).unwrap();
    proof["proofValue"] = json!(format!("z{}", bs58::encode(sig.as_ref()).into_string()));
    cred["proof"] = proof;
    cred
}

/// An OB 3.0 VC-JWT: EdDSA with the did:key as `kid`, or ES256 with a `jwk` header.
pub fn ob3_vc_jwt(alg: Alg, name: &str) -> String {
    let mut cred = ob3_credential(name);
    let (header, iss) = match alg {
        Alg::EdDsa => {
            let kid = format!("{}#{}", did_key(), &did_key()["did:key:".len()..]);
            (json!({"alg": "EdDSA", "kid": kid}), did_key())
        }
        // Issued by the P-256 did:key of the key in the header.
        _ => {
            let jwk = es256_jwk();
            let mut point = vec![4u8];
            point.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap());
            point.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str().unwrap()).unwrap());
            let did = format!("did:key:{}", ec_multikey(&point, [0x80, 0x24], 32));
            cred["issuer"]["id"] = json!(did);
            (json!({"alg": "ES256", "jwk": jwk}), did)
        }
    };
    let claims = json!({"iss": iss, "jti": cred["id"], "nbf": 1_704_067_200, "vc": cred});
    sign_jws(alg, header, &claims)
}

/// `payload` baked into a PNG (the OB 2.0 or OB 3.0 slot).
pub fn baked(payload: &str, v3: bool, rgb: [u8; 3]) -> Vec<u8> {
    let slot = if v3 {
        Slot::OpenBadgeCredential
    } else {
        Slot::OpenBadges
    };
    bake(&disc_png(rgb), payload, slot).unwrap()
}

/// A quick look at a report, for failure messages.
pub fn describe(r: &Report) -> String {
    let mut s = format!("{:?} ({})", r.status, r.format);
    for c in &r.checks {
        s.push_str(&format!("\n  {} {:?}: {}", c.id, c.status, c.message));
    }
    s
}
