//! Detection by content: containers, versions and document kinds.

use satchel::detect::{detect_json, sniff, sniff_text, DocKind, InputKind, Vcdm, Version};
use serde_json::json;

#[test]
fn containers_are_told_by_content_not_by_name() {
    assert_eq!(sniff(&crate::support::make_png(2, 2)), InputKind::Png);
    assert_eq!(
        sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        InputKind::Svg
    );
    // A long prologue defeats 256-byte sniffers, not this one.
    let long = format!(
        "\u{feff}<?xml version=\"1.0\"?>\n<!-- {} -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
        "x".repeat(4000)
    );
    assert_eq!(sniff(long.as_bytes()), InputKind::Svg);
    assert_eq!(sniff(b"\xef\xbb\xbf  \n {\"a\": 1}\n"), InputKind::Json);
    assert_eq!(
        sniff(b"eyJhbGciOiJSUzI1NiJ9.eyJhIjoxfQ.c2lnbmF0dXJl\n"),
        InputKind::Jws
    );
    assert_eq!(
        sniff(b"  https://example.org/assertions/1 \n"),
        InputKind::Url
    );
    assert_eq!(sniff(b"<html><body>hi</body></html>"), InputKind::Unknown);
    assert_eq!(sniff_text("https://exa mple.org/"), InputKind::Unknown);
    assert_eq!(sniff_text("javascript:alert(1)"), InputKind::Unknown);
    // Three dotted parts whose header is not JSON with "alg" are not a JWS.
    assert_eq!(sniff_text("abc.def.ghi"), InputKind::Unknown);
}

fn check(doc: serde_json::Value, version: Option<Version>, kind: DocKind, vcdm: Option<Vcdm>) {
    let d = detect_json(&doc);
    assert_eq!((d.version, d.kind, d.vcdm), (version, kind, vcdm), "{doc}");
}

#[test]
fn every_open_badges_version_is_detected() {
    check(
        json!({"recipient": "a@example.org", "badge": {"version": "0.5.0", "issuer": {"origin": "https://x"}}}),
        Some(Version::V0_5),
        DocKind::Assertion,
        None,
    );
    check(
        json!({"recipient": "sha256$abc", "salt": "s", "badge": {"issuer": {"origin": "https://x"}}}),
        Some(Version::V0_5),
        DocKind::Assertion,
        None,
    );
    check(
        json!({"uid": "1", "recipient": {"type": "email"}, "badge": "https://x/b", "verify": {"type": "hosted", "url": "https://x/a"}}),
        Some(Version::V1_0),
        DocKind::Assertion,
        None,
    );
    check(
        json!({"name": "B", "description": "d", "image": "i", "criteria": "c", "issuer": "https://x/i"}),
        Some(Version::V1_0),
        DocKind::BadgeClass,
        None,
    );
    check(
        json!({"name": "Org", "url": "https://x"}),
        Some(Version::V1_0),
        DocKind::Profile,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v1", "type": "Assertion", "recipient": {}}),
        Some(Version::V1_1),
        DocKind::Assertion,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion"}),
        Some(Version::V2_0),
        DocKind::Assertion,
        None,
    );
    check(
        json!({"@context": ["https://w3id.org/openbadges/v2", "https://w3id.org/openbadges/extensions/exampleExtension/context.json"], "type": "BadgeClass"}),
        Some(Version::V2_0),
        DocKind::BadgeClass,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Issuer"}),
        Some(Version::V2_0),
        DocKind::Profile,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey"}),
        Some(Version::V2_0),
        DocKind::CryptographicKey,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "RevocationList"}),
        Some(Version::V2_0),
        DocKind::RevocationList,
        None,
    );
    check(
        json!({"@context": "https://w3id.org/openbadges/v2", "type": "Endorsement"}),
        Some(Version::V2_0),
        DocKind::Endorsement,
        None,
    );
    check(
        json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "type": ["VerifiableCredential", "OpenBadgeCredential"]}),
        Some(Version::V3_0),
        DocKind::AchievementCredential,
        Some(Vcdm::V2_0),
    );
    check(
        json!({"@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"], "type": ["VerifiableCredential", "AchievementCredential"]}),
        Some(Version::V3_0),
        DocKind::AchievementCredential,
        Some(Vcdm::V1_1),
    );
    check(
        json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "EndorsementCredential"]}),
        Some(Version::V3_0),
        DocKind::EndorsementCredential,
        Some(Vcdm::V2_0),
    );
    check(
        json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"], "type": ["VerifiableCredential", "ClrCredential"]}),
        Some(Version::Clr2_0),
        DocKind::ClrCredential,
        Some(Vcdm::V2_0),
    );
    // A VC-JWT (VC data model 1.1) carries the credential in its `vc` claim.
    check(
        json!({"iss": "did:example:1", "vc": {"@context": ["https://www.w3.org/2018/credentials/v1"], "type": ["VerifiableCredential", "OpenBadgeCredential"]}}),
        Some(Version::V3_0),
        DocKind::AchievementCredential,
        Some(Vcdm::V1_1),
    );
    check(json!({"hello": "world"}), None, DocKind::Unknown, None);
}

#[test]
fn the_payload_decides_the_baking_slot() {
    use satchel::bake::Slot;
    assert_eq!(Version::V2_0.slot(), Slot::OpenBadges);
    assert_eq!(Version::V0_5.slot(), Slot::OpenBadges);
    assert_eq!(Version::V3_0.slot(), Slot::OpenBadgeCredential);
    assert_eq!(Version::Clr2_0.slot(), Slot::ClrCredential);
}
