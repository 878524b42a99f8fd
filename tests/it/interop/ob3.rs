//! OB 3.0: Satchel's samples, a did:web issuer's Data Integrity credentials
//! with status lists, and VC-JWTs, in Digital Bazaar's vc, openbadgeslib and
//! the bakeries.

use super::*;
use crate::support::make_png;
use satchel::bake::{bake, Slot};
use satchel::samples::samples;

// ------------------------------------------------------------------ OB 3.0: the samples

/// Satchel's sample badges (OB 3.0, `eddsa-rdfc-2022`, did:key issuer) verify
/// in Digital Bazaar's vc library and in openbadgeslib.
#[test]
fn samples_verify_in_digital_bazaar_vc_and_openbadgeslib() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for sample in samples() {
        let credential = satchel_payload(&sample.bytes);
        let json = write(
            tmp.path(),
            &format!("{}.json", sample.file_name),
            credential.as_bytes(),
        );
        let vc = vc_verify(&json, &[]);
        assert!(
            vc.ok && vc.verdict == "verified",
            "{}: {vc:?}",
            sample.file_name
        );
        let baked = write(tmp.path(), &sample.file_name, &sample.bytes);
        let lib = openbadgeslib_verify(&baked, &[]);
        assert!(lib.ok, "{}: {lib:?}", sample.file_name);
        assert_eq!(lib.line["ob_version"], "3");
        // A did:key proves the signature, not who the issuer is.
        assert_eq!(lib.line["trusted"], false);
    }
}

/// The baked samples unbake to the same credential in openbadgeslib's reader.
/// The Python and npm bakeries read only the OB 2.0 slot (`openbadges` iTXt,
/// `openbadges:assertion`), so they find no badge in an OB 3.0 image: the test
/// pins that, so a bakery that starts reading OB 3.0 is noticed.
#[test]
fn samples_unbake_alike_in_the_peer_readers() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for sample in samples() {
        let baked = write(tmp.path(), &sample.file_name, &sample.bytes);
        let ours = satchel_payload(&sample.bytes);
        let lib = unbake_openbadgeslib(&baked);
        assert!(lib.ok, "{}: {lib:?}", sample.file_name);
        assert_eq!(lib.payload(), Some(ours.as_str()), "{}", sample.file_name);
        for peer in [unbake_py(&baked), unbake_npm(&baked)] {
            assert_eq!(peer.verdict, "none", "{}: {peer:?}", sample.file_name);
        }
    }
}

/// A credential changed after signing is rejected by vc, and a key the loader
/// cannot map is refused by name rather than fetched.
#[test]
fn vc_rejects_a_tampered_sample_and_refuses_unmapped_urls() {
    if !available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sample = &samples()[0];
    let credential: Value = serde_json::from_str(&satchel_payload(&sample.bytes)).unwrap();

    let mut tampered = credential.clone();
    tampered["credentialSubject"]["achievement"]["criteria"]["narrative"] =
        json!("Walk a marked trail of at least 1 km.");
    let path = write(tmp.path(), "tampered.json", tampered.to_string().as_bytes());
    let vc = vc_verify(&path, &[]);
    assert_eq!(vc.verdict, "invalid", "{vc:?}");
    assert_rejected(&vc, "Invalid signature");

    let mut elsewhere = credential;
    elsewhere["proof"]["verificationMethod"] = json!("did:web:issuer.example#key-1");
    let path = write(
        tmp.path(),
        "elsewhere.json",
        elsewhere.to_string().as_bytes(),
    );
    assert_rejected(
        &vc_verify(&path, &[]),
        "refused to load https://issuer.example/.well-known/did.json",
    );
}

// ------------------------------------------------------------------ OB 3.0: did:web and status lists

/// The publish layout of `../shared/docs/issuing-interop-notes.md` for base
/// `https://club.example/badges/`, signed by Satchel's `eddsa-rdfc-2022`
/// signer: `did.json` at the folder's root for `did:web:club.example:badges`,
/// a revocation and a suspension `BitstringStatusListCredential` (131,072
/// entries, each signed) with bits 9 and 7 set.
struct Published {
    dir: tempfile::TempDir,
    key: ed25519_dalek::SigningKey,
}

const BASE: &str = "https://club.example/badges/";
const DID: &str = "did:web:club.example:badges";

impl Published {
    fn new() -> Published {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let dir = tempfile::tempdir().unwrap();
        let did_doc = json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID,
            "verificationMethod": [{
                "id": format!("{DID}#key-1"),
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": satchel::keys::ed25519_multikey(key.verifying_key().as_bytes())
            }],
            "assertionMethod": [format!("{DID}#key-1")]
        });
        let published = Published { dir, key };
        published.put("did.json", &did_doc);
        std::fs::create_dir(published.dir.path().join("status")).unwrap();
        for (purpose, set) in [("revocation", 9), ("suspension", 7)] {
            let url = format!("{BASE}status/{purpose}.json");
            let list = json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": DID,
                "validFrom": "2026-01-01T00:00:00Z",
                "credentialSubject": {
                    "id": format!("{url}#list"),
                    "type": "BitstringStatusList",
                    "statusPurpose": purpose,
                    "encodedList": encoded_list(131_072, &[set])
                }
            });
            let signed = published.sign(list);
            published.put(&format!("status/{purpose}.json"), &signed);
        }
        published
    }

    fn put(&self, name: &str, doc: &Value) {
        write(self.dir.path(), name, doc.to_string().as_bytes());
    }

    fn sign(&self, doc: Value) -> Value {
        let options = json!({
            "created": "2026-01-01T00:00:00Z",
            "verificationMethod": format!("{DID}#key-1"),
            "proofPurpose": "assertionMethod"
        });
        satchel::data_integrity::sign_eddsa_rdfc_2022(&doc, &options, &self.key).unwrap()
    }

    /// A signed OB 3.0 credential with a `BitstringStatusListEntry` at `index`
    /// of the list for `purpose`.
    fn credential(&self, purpose: &str, index: u32) -> Value {
        self.sign(unsigned_credential(purpose, index))
    }
}

/// An OB 3.0 credential of the published issuer, not yet signed.
fn unsigned_credential(purpose: &str, index: u32) -> Value {
    let list = format!("{BASE}status/{purpose}.json");
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("urn:uuid:7d3c1a52-0000-4000-8000-{index:012}"),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Trail Steward",
        "issuer": {"id": DID, "type": ["Profile"], "name": "Interop Test Club", "url": BASE},
        "validFrom": "2026-01-15T10:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": recipient()["identity"],
                "identityType": "emailAddress",
                "hashed": true,
                "salt": "interop-salt"
            }],
            "achievement": {
                "id": format!("{BASE}classes/trail-steward.json"),
                "type": ["Achievement"],
                "name": "Trail Steward",
                "description": "Kept a club trail clear for a season.",
                "criteria": {"narrative": "Clear the trail four times in one season."}
            }
        },
        "credentialStatus": {
            "id": format!("{list}#{index}"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": index.to_string(),
            "statusListCredential": list
        }
    })
}

/// A Bitstring Status List `encodedList`: `bits` bits (index 0 the first
/// byte's high bit) with `set` on, GZIP-compressed, multibase base64url.
fn encoded_list(bits: usize, set: &[usize]) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut list = vec![0u8; bits / 8];
    for &i in set {
        list[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&list).unwrap();
    let zipped = gz.finish().unwrap();
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
    )
}

/// A did:web issuer's credentials with status lists, laid out as a publish
/// folder: Digital Bazaar vc and Satchel agree on verified, revoked and
/// suspended; openbadgeslib resolves the did:web and checks the lists too.
#[test]
fn did_web_status_lists_agree_in_vc_openbadgeslib_and_satchel() {
    use satchel::verify::Verdict;
    if !available() {
        return;
    }
    let published = Published::new();
    let base = [(BASE, published.dir.path())];
    let mapped = format!("{BASE}={}", published.dir.path().display());
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "good",
            published.credential("revocation", 7),
            "verified",
            Verdict::Verified,
        ),
        (
            "revoked",
            published.credential("revocation", 9),
            "revoked",
            Verdict::Revoked,
        ),
        (
            "suspended",
            published.credential("suspension", 7),
            "suspended",
            Verdict::Suspended,
        ),
    ];
    for (name, credential, vc_word, ours) in cases {
        let json = write(
            tmp.path(),
            &format!("{name}.json"),
            credential.to_string().as_bytes(),
        );
        let vc = vc_verify(&json, &base);
        assert_eq!(vc.verdict, vc_word, "{name}: {vc:?}");
        let satchel = satchel_verdict(
            BASE,
            published.dir.path(),
            credential.to_string().as_bytes(),
        );
        // Satchel's word is vc's: verified, revoked, suspended.
        assert_eq!(satchel, ours, "{name}");
        assert_eq!(satchel.as_str(), vc_word, "{name}");

        let png = bake(
            &make_png(256, 256),
            &credential.to_string(),
            Slot::OpenBadgeCredential,
        )
        .unwrap();
        let png = write(tmp.path(), &format!("{name}.png"), &png);
        // openbadgeslib checks a list's own proof only when it is a VC-JWT.
        let lib = openbadgeslib_verify(&png, &["--base", &mapped, "--status", "--no-list-proof"]);
        assert_eq!(lib.ok, name == "good", "{name}: {lib:?}");
        if name == "good" {
            assert_eq!(lib.line["trusted"], true, "a did:web is anchored: {lib:?}");
        }
    }

    // The status list changed after it was signed: vc refuses it.
    let path = published.dir.path().join("status/revocation.json");
    let mut list: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    list["credentialSubject"]["encodedList"] = json!(encoded_list(131_072, &[]));
    published.put("status/revocation.json", &list);
    let json = write(
        tmp.path(),
        "after.json",
        published.credential("revocation", 9).to_string().as_bytes(),
    );
    assert_rejected(&vc_verify(&json, &base), "not verified");
}

/// An OB 3.0 VC-JWT (EdDSA; the payload is the credential with `iss`, `nbf`
/// and `jti`) signed with the Ed25519 key whose seed is `seed`, `kid` naming
/// the published issuer's key.
fn vc_jwt(seed: [u8; 32], credential: &Value) -> String {
    let pair = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
    let key = jsonwebtoken::EncodingKey::from_ed_der(pair.to_pkcs8().unwrap().as_ref());
    let mut payload = credential.clone();
    payload["iss"] = json!(DID);
    payload["jti"] = credential["id"].clone();
    payload["nbf"] = json!(1_768_471_200); // validFrom, 2026-01-15T10:00:00Z
    let header = jsonwebtoken::Header {
        kid: Some(format!("{DID}#key-1")),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA)
    };
    jsonwebtoken::encode(&header, &payload, &key).unwrap()
}

/// openbadgeslib 4.6.3 reads OB 3.0 VC-JWTs: one of the published did:web
/// issuer passes (key by `kid` from `did.json`, status list read), a revoked
/// one and one signed by another key do not; Satchel agrees.
#[test]
fn vc_jwt_verifies_in_openbadgeslib_and_satchel() {
    use satchel::verify::Verdict;
    if !available() {
        return;
    }
    let published = Published::new();
    let mapped = format!("{BASE}={}", published.dir.path().display());
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "good",
            vc_jwt([7; 32], &unsigned_credential("revocation", 7)),
            true,
            Verdict::Verified,
        ),
        (
            "revoked",
            vc_jwt([7; 32], &unsigned_credential("revocation", 9)),
            false,
            Verdict::Revoked,
        ),
        (
            "forged",
            vc_jwt([8; 32], &unsigned_credential("revocation", 7)),
            false,
            Verdict::Invalid,
        ),
    ];
    for (name, token, accepted, ours) in cases {
        let png = bake(&make_png(256, 256), &token, Slot::OpenBadgeCredential).unwrap();
        let png = write(tmp.path(), &format!("{name}.png"), &png);
        let lib = openbadgeslib_verify(&png, &["--base", &mapped, "--status", "--no-list-proof"]);
        assert_eq!(lib.ok, accepted, "{name}: {lib:?}");
        assert_eq!(
            satchel_verdict(BASE, published.dir.path(), token.as_bytes()),
            ours,
            "{name}"
        );
    }
    let forged = openbadgeslib_verify(&tmp.path().join("forged.png"), &["--base", &mapped]);
    assert_rejected(&forged, "Invalid signature");
}
