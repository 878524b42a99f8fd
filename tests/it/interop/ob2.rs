//! OB 2.0 hosted and signed badges, baked by Satchel, in the 1EdTech validator
//! core, openbadgeslib and the Python and npm bakeries.

use super::*;
use crate::server::{Route, TestServer};
use crate::support::make_png;
use satchel::bake::{bake, Slot};
use satchel::verify::Verdict;

/// `payload` baked by Satchel into `NAME.png` and `NAME.svg` (OB 2.0 slot) in `dir`.
fn bake_ob2(dir: &Path, name: &str, payload: &str) -> (PathBuf, PathBuf) {
    let png = bake(&make_png(256, 256), payload, Slot::OpenBadges).unwrap();
    let svg = bake(SVG_IMAGE.as_bytes(), payload, Slot::OpenBadges).unwrap();
    (
        write(dir, &format!("{name}.png"), &png),
        write(dir, &format!("{name}.svg"), &svg),
    )
}

// ------------------------------------------------------------------ OB 2.0 hosted, baked by Satchel

/// An issuer's OB 2.0 documents at `base` (no final `/`), by path: Profile,
/// BadgeClass and its image, hosted assertion `1`; for signed badges also the
/// `CryptographicKey` (`publicKeyPem`) and a `RevocationList` revoking `revoked`.
fn ob2_documents(
    base: &str,
    public_key_pem: Option<&str>,
    revoked: &[&str],
) -> Vec<(&'static str, Vec<u8>)> {
    let ctx = "https://w3id.org/openbadges/v2";
    let mut issuer = json!({
        "@context": ctx,
        "type": "Issuer",
        "id": format!("{base}/issuer.json"),
        "name": "Interop Test Club",
        "url": format!("{base}/"),
        "email": "badges@club.example"
    });
    let badge_class = json!({
        "@context": ctx,
        "type": "BadgeClass",
        "id": format!("{base}/badges/1.json"),
        "name": "Trail Steward",
        "description": "Kept a club trail clear for a season.",
        "image": format!("{base}/images/class.png"),
        "criteria": {"narrative": "Clear the trail **four** times in one season."},
        "issuer": format!("{base}/issuer.json")
    });
    let mut docs = vec![
        ("/badges/1.json", badge_class.to_string().into_bytes()),
        ("/images/class.png", make_png(256, 256)),
        (
            "/assertions/1.json",
            hosted_assertion(base).to_string().into_bytes(),
        ),
    ];
    if let Some(pem) = public_key_pem {
        issuer["publicKey"] = json!(format!("{base}/key.json"));
        issuer["revocationList"] = json!(format!("{base}/revocations.json"));
        docs.push(("/key.json", key_document(base, pem).into_bytes()));
        docs.push((
            "/revocations.json",
            revocation_list(base, revoked).into_bytes(),
        ));
    }
    docs.push(("/issuer.json", issuer.to_string().into_bytes()));
    docs
}

/// [`ob2_documents`] served on 127.0.0.1.
fn ob2_issuer(public_key_pem: Option<&str>, revoked: &[&str]) -> TestServer {
    TestServer::start(
        ob2_documents("{{base}}", public_key_pem, revoked)
            .into_iter()
            .map(|(path, body)| match path.ends_with(".png") {
                true => (path, Route::ok("image/png", body)),
                false => (path, Route::json(body)),
            }),
    )
}

/// The issuer's `CryptographicKey` document holding `pem`.
fn key_document(base: &str, pem: &str) -> String {
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "CryptographicKey",
        "id": format!("{base}/key.json"),
        "owner": format!("{base}/issuer.json"),
        "publicKeyPem": pem
    })
    .to_string()
}

/// The issuer's `RevocationList` revoking `ids`.
fn revocation_list(base: &str, ids: &[&str]) -> String {
    let entries: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "revocationReason": "Awarded by mistake."}))
        .collect();
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "RevocationList",
        "id": format!("{base}/revocations.json"),
        "issuer": format!("{base}/issuer.json"),
        "revokedAssertions": entries
    })
    .to_string()
}

fn hosted_assertion(base: &str) -> Value {
    json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": format!("{base}/assertions/1.json"),
        "recipient": recipient(),
        "badge": format!("{base}/badges/1.json"),
        "issuedOn": "2026-01-15T10:00:00Z",
        "verification": {"type": "HostedBadge"}
    })
}

/// A 256×256 SVG badge image with a title, as issuers draw them.
const SVG_IMAGE: &str = concat!(
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"256\" height=\"256\" viewBox=\"0 0 256 256\">",
    "<title>Trail Steward</title><circle cx=\"128\" cy=\"128\" r=\"120\" fill=\"#2e9e60\"/>",
    "</svg>"
);

/// Satchel's baker on an OB 2.0 hosted assertion served on 127.0.0.1: the
/// 1EdTech validator core accepts the URL and both baked images, and the
/// Python and npm bakeries read back what Satchel baked.
#[test]
fn hosted_badge_baked_by_satchel_validates_and_unbakes() {
    if !available() {
        return;
    }
    let server = ob2_issuer(None, &[]);
    let url = server.url("/assertions/1.json");
    let assertion = hosted_assertion(&server.base());
    let tmp = tempfile::tempdir().unwrap();
    // The PNG carries the URL, the SVG the assertion (with `verify` = its URL).
    let png = bake_ob2(tmp.path(), "hosted-url", &url).0;
    let svg = bake_ob2(tmp.path(), "hosted-json", &assertion.to_string()).1;

    let by_url = ob2_validate(&url);
    assert!(by_url.ok && by_url.verdict == "valid", "{by_url:?}");
    for file in [&png, &svg] {
        let v = ob2_validate(path_str(file));
        assert!(v.ok, "{}: {v:?}", file.display());
    }
    assert!(
        server.count("/assertions/1.json") >= 3,
        "{:?}",
        server.requests()
    );
    assert!(
        server.count("/images/class.png") >= 1,
        "{:?}",
        server.requests()
    );

    // PNG: the URL itself. SVG: the Python bakery answers the `verify`
    // attribute (the URL), the npm bakery the assertion in the element.
    for peer in [unbake_py(&png), unbake_npm(&png)] {
        assert_eq!(peer.payload(), Some(url.as_str()), "{peer:?}");
    }
    let py = unbake_py(&svg);
    assert_eq!(py.payload(), Some(url.as_str()), "{py:?}");
    let npm = unbake_npm(&svg);
    let npm_json: Value = serde_json::from_str(npm.payload().expect("a payload")).unwrap();
    assert_eq!(npm_json, assertion, "{npm:?}");
}

/// The validator is not lenient about everything: an assertion whose badge
/// lacks a required property, or one served from another origin than its
/// issuer's, is invalid.
#[test]
fn validator_rejects_broken_hosted_assertions() {
    if !available() {
        return;
    }
    let server = ob2_issuer(None, &[]);
    let mut no_recipient = hosted_assertion("{{base}}");
    no_recipient["id"] = json!("{{base}}/assertions/2.json");
    no_recipient.as_object_mut().unwrap().remove("recipient");
    server.set("/assertions/2.json", Route::json(no_recipient.to_string()));
    let v = ob2_validate(&server.url("/assertions/2.json"));
    assert_rejected(&v, "recipient");

    // A BadgeClass elsewhere: the validator would have to fetch it, and the
    // sandbox refuses anything but 127.0.0.1, saying which URL.
    let mut elsewhere = hosted_assertion("{{base}}");
    elsewhere["id"] = json!("{{base}}/assertions/3.json");
    elsewhere["badge"] = json!("https://badges.example/badges/1.json");
    server.set("/assertions/3.json", Route::json(elsewhere.to_string()));
    let v = ob2_validate(&server.url("/assertions/3.json"));
    assert_rejected(
        &v,
        "refused a request to https://badges.example/badges/1.json",
    );
}

// ------------------------------------------------------------------ OB 2.0 signed (a test signer)

/// A fresh 3072-bit RSA key: (private PKCS#8 PEM, public SPKI PEM).
fn rsa_key() -> (String, String) {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::KeyPair as _;
    let pair = KeyPair::generate(KeySize::Rsa3072).unwrap();
    let private: Pkcs8V1Der = pair.as_der().unwrap();
    let public: PublicKeyX509Der = pair.public_key().as_der().unwrap();
    (
        pem("PRIVATE KEY", private.as_ref()),
        pem("PUBLIC KEY", public.as_ref()),
    )
}

fn pem(label: &str, der: &[u8]) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

/// An OB 2.0 signed assertion (RS256 compact JWS) for the issuer at `base`.
fn signed_badge(base: &str, id: &str, private_pem: &str) -> String {
    let assertion = json!({
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": id,
        "recipient": recipient(),
        "badge": format!("{base}/badges/1.json"),
        "issuedOn": "2026-01-15T10:00:00Z",
        "verification": {"type": "SignedBadge", "creator": format!("{base}/key.json")}
    });
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem.as_bytes()).unwrap();
    let header = jsonwebtoken::Header {
        typ: None,
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256)
    };
    jsonwebtoken::encode(&header, &assertion, &key).unwrap()
}

/// An OB 2.0 signed badge baked by Satchel passes openbadgeslib (with the
/// trusted key, and resolving the key from the issuer) and the validator core;
/// a wrong key and a revoked assertion are rejected by both.
#[test]
fn signed_badge_verifies_in_openbadgeslib_and_the_validator() {
    if !available() {
        return;
    }
    let (private, public) = rsa_key();
    let (_, other_public) = rsa_key();
    let revoked_id = "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000002";
    // Two entries: with exactly one, validator core 1.1.2 misses the revocation
    // (its JSON-LD compaction turns the one-element list into an object and the
    // check walks that object's keys; see tests/interop/README.md).
    let other_id = "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000099";
    let server = ob2_issuer(Some(&public), &[revoked_id, other_id]);
    let base = server.base();
    let tmp = tempfile::tempdir().unwrap();
    let key = write(tmp.path(), "key.pem", public.as_bytes());
    let wrong_key = write(tmp.path(), "wrong.pem", other_public.as_bytes());

    let good = signed_badge(
        &base,
        "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000001",
        &private,
    );
    let (png, svg) = bake_ob2(tmp.path(), "signed", &good);
    for file in [&png, &svg] {
        let trusted = openbadgeslib_verify(file, &["--key", path_str(&key)]);
        assert!(trusted.ok, "{}: {trusted:?}", file.display());
        assert_eq!(trusted.line["trusted"], true);
        let resolved = openbadgeslib_verify(file, &[]);
        assert!(resolved.ok, "{}: {resolved:?}", file.display());
        let validator = ob2_validate(path_str(file));
        assert!(validator.ok, "{}: {validator:?}", file.display());
        for peer in [unbake_py(file), unbake_npm(file)] {
            assert_eq!(peer.payload(), Some(good.as_str()), "{peer:?}");
        }
    }
    assert!(server.count("/key.json") >= 1 && server.count("/revocations.json") >= 1);

    let wrong = openbadgeslib_verify(&png, &["--key", path_str(&wrong_key)]);
    assert_rejected(&wrong, "Invalid signature");

    let revoked = signed_badge(&base, revoked_id, &private);
    let (revoked_png, _) = bake_ob2(tmp.path(), "revoked", &revoked);
    let lib = openbadgeslib_verify(&revoked_png, &["--key", path_str(&key)]);
    assert_rejected(&lib, "revoked");
    let validator = ob2_validate(path_str(&revoked_png));
    assert_rejected(&validator, "has been revoked");

    // Where the validator is more lenient: a RevocationList with exactly one
    // entry does not revoke (openbadgeslib still does).
    server.set(
        "/revocations.json",
        Route::json(revocation_list("{{base}}", &[revoked_id])),
    );
    assert!(ob2_validate(path_str(&revoked_png)).ok);
    assert!(!openbadgeslib_verify(&revoked_png, &[]).ok);

    // The issuer's key document now holds another key: the signature fails
    // in both peers when they resolve the key themselves.
    server.set(
        "/key.json",
        Route::json(key_document("{{base}}", &other_public)),
    );
    let validator = ob2_validate(path_str(&png));
    assert_rejected(&validator, "failed verification");
    assert_rejected(&openbadgeslib_verify(&png, &[]), "Invalid signature");
}

/// The OB 2.0 signed issuer's documents as a publish folder for
/// `https://club.example/badges/`: the validator core and openbadgeslib read
/// them from the folder, no server, the URLs as issued, and agree with Satchel
/// (except on a revoked hosted assertion, which the validator never checks).
#[test]
fn publish_folder_badges_agree_in_the_validator_openbadgeslib_and_satchel() {
    if !available() {
        return;
    }
    let base = "https://club.example/badges";
    let (private, public) = rsa_key();
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("badges")).unwrap();
    std::fs::create_dir_all(folder.path().join("images")).unwrap();
    std::fs::create_dir_all(folder.path().join("assertions")).unwrap();
    for (path, body) in ob2_documents(base, Some(&public), &[]) {
        std::fs::write(folder.path().join(&path[1..]), body).unwrap();
    }
    let bases = [("https://club.example/badges/", folder.path())];
    let token = signed_badge(
        base,
        "urn:uuid:0b2e7d6a-4c1f-4f3e-9a55-000000000003",
        &private,
    );
    let tmp = tempfile::tempdir().unwrap();
    let (png, _) = bake_ob2(tmp.path(), "signed", &token);
    let v = ob2_validate_with(path_str(&png), &bases);
    assert!(v.ok, "{v:?}");
    let hosted = ob2_validate_with(&format!("{base}/assertions/1.json"), &bases);
    assert!(hosted.ok, "{hosted:?}");
    let mapped = format!("{}={}", bases[0].0, folder.path().display());
    let lib = openbadgeslib_verify(&png, &["--base", &mapped]);
    assert!(lib.ok, "{lib:?}");
    let url = format!("{base}/assertions/1.json");
    for badge in [token.as_bytes(), url.as_bytes()] {
        assert_eq!(
            satchel_verdict(bases[0].0, folder.path(), badge),
            Verdict::Verified
        );
    }

    // Where the validator is more lenient: it never checks whether a hosted
    // assertion was revoked, and a static host can only say so in the
    // assertion itself. Satchel reports it revoked.
    let mut revoked = hosted_assertion(base);
    revoked["id"] = json!(format!("{base}/assertions/2.json"));
    revoked["revoked"] = json!(true);
    revoked["revocationReason"] = json!("Awarded by mistake.");
    std::fs::write(folder.path().join("assertions/2.json"), revoked.to_string()).unwrap();
    let url = format!("{base}/assertions/2.json");
    assert!(ob2_validate_with(&url, &bases).ok);
    assert_eq!(
        satchel_verdict(bases[0].0, folder.path(), url.as_bytes()),
        Verdict::Revoked
    );

    // A document the folder lacks is a 404, not a trip to the internet.
    std::fs::remove_file(folder.path().join("key.json")).unwrap();
    let v = ob2_validate_with(path_str(&png), &bases);
    assert_rejected(&v, "https://club.example/badges/key.json");
}
