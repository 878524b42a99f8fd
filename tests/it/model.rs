//! The data model: normalizing real badges of every version into a `BadgeView`,
//! the lenient serde types, and recipient identity matching.

use crate::support::corpus;

use satchel::detect::{detect_json, DocKind, Vcdm, Version};
use satchel::model::recipient::{hash_identity, HashAlg, MatchVariant};
use satchel::model::{
    normalize, v2, v3, AlignmentView, BadgeView, EvidenceView, IdentityCheck, RecipientIdentity,
};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------- helpers

fn load(root: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn view_of(doc: &Value) -> Option<BadgeView> {
    normalize(doc, &detect_json(doc))
}

fn view(root: &Path, rel: &str) -> BadgeView {
    view_of(&load(root, rel)).unwrap_or_else(|| panic!("{rel}: no view"))
}

/// The JSON claims of a compact JWS file.
fn jws_claims(root: &Path, rel: &str) -> Value {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    match satchel::payload::classify(&text).unwrap() {
        satchel::payload::Payload::Jws { claims, .. } => claims,
        other => panic!("{rel}: not a JWS: {other:?}"),
    }
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

fn ident(kind: &str, value: &str, hashed: bool, salt: Option<&str>) -> RecipientIdentity {
    RecipientIdentity {
        kind: kind.into(),
        value: value.into(),
        hashed,
        salt: salt.map(Into::into),
    }
}

const NOBODY: &str = "sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942";
const DID: &str = "did:example:ebfeb1f712ebc6f1c276e12ec21";
const AS_GIVEN: IdentityCheck = IdentityCheck::Match {
    variant: MatchVariant::AsGiven,
};
const LOWERCASED: IdentityCheck = IdentityCheck::Match {
    variant: MatchVariant::Lowercased,
};

// ---------------------------------------------------------------- OB 0.5 – 2.0

#[test]
fn v0_5_plaintext_recipient() {
    let Some(root) = corpus() else { return };
    let v = view(&root, "ob2/legacy/vcore_0_5_assertion.json");
    assert_eq!(v.name, s("Basic McBadge"));
    assert_eq!(v.description, s("A basic badge."));
    assert_eq!(v.image, s("http://oldstyle.com/images/1"));
    assert_eq!(v.criteria.url, s("http://oldsyle.com/criteria/1"));
    assert_eq!(v.issuer.name, s("Basic Issuer"));
    assert_eq!(v.issuer.url, s("http://oldstyle.com"));
    assert_eq!(v.issuer.id, None);
    assert_eq!(v.issued_on, None);
    assert_eq!(
        v.recipient,
        vec![ident("email", "test@example.com", false, None)]
    );
    assert_eq!(v.recipient[0].check("test@example.com"), AS_GIVEN);
    assert_eq!(v.recipient[0].check(" Test@Example.com "), LOWERCASED);
}

#[test]
fn v0_5_1_hashed_recipient_with_top_level_salt() {
    let Some(root) = corpus() else { return };
    let v = view(&root, "ob2/legacy/vcore_0_5_1_assertion.json");
    assert_eq!(v.name, s("Basic McBadge"));
    assert_eq!(v.image, s("http://oldstyle.com/images/2"));
    assert_eq!(v.issued_on, s("2011-06-01"));
    let r = &v.recipient[0];
    assert_eq!(
        r,
        &ident(
            "email",
            "sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087",
            true,
            Some("sel gris")
        )
    );
    assert_eq!(r.check("test@example.com"), AS_GIVEN);
    assert_eq!(r.check("Test@Example.COM"), LOWERCASED);
    assert_eq!(r.check("other@example.com"), IdentityCheck::NoMatch);
}

#[test]
fn v1_0_assertion_badge_class_and_issuer() {
    let Some(root) = corpus() else { return };
    let doc = load(&root, "ob2/legacy/vcore_1_0_basic_assertion.json");
    assert_eq!(detect_json(&doc).version, Some(Version::V1_0));
    let v = view_of(&doc).unwrap();
    assert_eq!(v.badge_id, s("http://a.com/badgeclass"));
    assert_eq!(v.name, None, "the badge is only a URL");
    assert_eq!(
        v.id,
        s("http://a.com/instance"),
        "hosted: verify.url is the assertion's URL"
    );
    assert_eq!(v.issued_on, s("2015-04-30"));
    assert_eq!(
        v.recipient,
        vec![ident("email", "test@example.com", false, None)]
    );

    let bc = view(&root, "ob2/legacy/vcore_1_0_basic_badgeclass.json");
    assert_eq!(bc.name, s("Basic Badge"));
    assert_eq!(bc.description, s("Basic as it gets. v1.0"));
    assert_eq!(bc.image, s("http://a.com/badgeclass_image"));
    assert_eq!(bc.criteria.url, s("http://a.com/badgeclass_criteria"));
    assert_eq!(bc.issuer.id, s("http://a.com/issuer"));
    assert!(bc.recipient.is_empty());

    assert_eq!(
        view_of(&load(&root, "ob2/legacy/vcore_1_0_basic_issuer.json")),
        None
    );
    // A 1.0 assertion with a bare string recipient still names it.
    let bad = view(&root, "ob2/legacy/vcore_1_0_assertion_with_errors.json");
    assert_eq!(
        bad.recipient,
        vec![ident("email", "test@example.com", false, None)]
    );
}

#[test]
fn v1_1_assertion() {
    let Some(root) = corpus() else { return };
    let doc = load(&root, "ob2/legacy/vcore_1_1_basic_assertion.json");
    assert_eq!(detect_json(&doc).version, Some(Version::V1_1));
    let v = view_of(&doc).unwrap();
    assert_eq!(v.id, s("https://example.org/beths-robotics-badge.json"));
    assert_eq!(v.badge_id, s("https://example.org/robotics-badge.json"));
    assert_eq!(v.image, s("https://example.org/beths-robot-badge.png"));
    assert_eq!(v.issued_on, s("2016-12-31T23:59:59Z"));
    assert_eq!(
        v.evidence,
        vec![EvidenceView {
            url: s("https://example.org/beths-robot-work.html"),
            ..Default::default()
        }]
    );
    assert_eq!(
        v.recipient,
        vec![ident("email", NOBODY, true, Some("deadsea"))]
    );
    assert_eq!(v.recipient[0].check("nobody@example.org"), AS_GIVEN);

    let bc = view(&root, "ob2/legacy/vcore_1_1_basic_badgeclass.json");
    assert_eq!(bc.name, s("Awesome Robotics Badge"));
    assert_eq!(bc.badge_id, s("https://example.org/robotics-badge.json"));
    assert_eq!(bc.issuer.id, s("https://example.org/organization.json"));
    assert_eq!(
        view_of(&load(&root, "ob2/legacy/vcore_1_1_basic_issuer.json")),
        None
    );
}

#[test]
fn v2_0_assertions() {
    let Some(root) = corpus() else { return };
    for rel in [
        "ob2/legacy/vcore_2_0_basic_assertion.json",
        "ob2/hosted/basic-assertion.json",
    ] {
        let doc = load(&root, rel);
        assert_eq!(detect_json(&doc).version, Some(Version::V2_0), "{rel}");
        let v = view_of(&doc).unwrap();
        assert_eq!(
            v.id,
            s("https://example.org/beths-robotics-badge.json"),
            "{rel}"
        );
        assert_eq!(
            v.badge_id,
            s("https://example.org/robotics-badge.json"),
            "{rel}"
        );
        assert_eq!(v.name, None, "{rel}");
        assert_eq!(v.issuer, Default::default(), "{rel}");
        assert_eq!(
            v.image,
            s("https://example.org/beths-robot-badge.png"),
            "{rel}"
        );
        assert_eq!(v.issued_on, s("2016-12-31T23:59:59Z"), "{rel}");
        assert_eq!(v.expires, None, "{rel}");
        assert_eq!(
            v.evidence[0].url,
            s("https://example.org/beths-robot-work.html"),
            "{rel}"
        );
        assert_eq!(
            v.recipient,
            vec![ident("email", NOBODY, true, Some("deadsea"))],
            "{rel}"
        );
        assert!(
            v.recipient[0].check("Nobody@Example.org").is_match(),
            "{rel}"
        );
    }
    let expired = view(&root, "ob2/spec-examples/assertion-example-1.json");
    assert_eq!(expired.expires, s("2017-06-30T23:59:59Z"));
}

#[test]
fn v2_0_embedded_badge_endorsements_and_linked_documents() {
    let Some(root) = corpus() else { return };
    let v = view(&root, "ob2/hosted/assertion-with-endorsements.json");
    assert_eq!(v.name, s("Awesome Robotics Badge"));
    assert_eq!(
        v.badge_id,
        s("https://example.org/badgeclass-with-endorsements.json")
    );
    assert_eq!(v.criteria.url, s("https://example.org/badgecriteria.json"));
    assert_eq!(v.issuer.id, s("https://example.org/organization.json"));
    assert_eq!(v.issuer.name, None);
    assert_eq!(
        v.endorsement_count, 4,
        "2 on the assertion + 2 on its badge class"
    );

    let img = view(
        &root,
        "ob2/hosted/assets/badgeclass-with-complex-image.json",
    );
    assert_eq!(img.image, s("http://example.org/beths-robot-badge.png"));
    assert_eq!(img.issuer.id, s("http://example.org/issuer1.json"));

    let e = view(&root, "ob2/hosted/assets/endorsement-1.json");
    assert_eq!(e.description, s("Pretty good"));
    assert_eq!(e.issuer.id, s("http://example.org/issuer1.json"));
    assert_eq!(e.issued_on, s("2017-10-01T00:00Z"));

    for none in [
        "ob2/hosted/assets/organization.json",
        "ob2/hosted/assets/key1.json",
        "ob2/hosted/assets/revocation-list.json",
        "ob2/spec-examples/criteria-example-1.json",
    ] {
        assert_eq!(view_of(&load(&root, none)), None, "{none}");
    }
}

#[test]
fn v2_0_revocation_list_entries() {
    let Some(root) = corpus() else { return };
    let doc = load(&root, "ob2/spec-examples/revocationlist-example-1.json");
    let list: v2::RevocationList = serde_json::from_value(doc).unwrap();
    assert_eq!(list.revoked_assertions.len(), 3);
    assert!(list
        .lookup("urn:uuid:3c574c87-b96f-4f06-8eb5-68a29335b60e")
        .is_some());
    let e = list
        .lookup("urn:uuid:e79a6c18-787e-4868-8e65-e6a4530fb418")
        .unwrap();
    assert_eq!(e.reason(), Some("Honor code violation"));
    assert_eq!(
        list.lookup("abc123").unwrap().reason(),
        Some("Issued in error.")
    );
    assert!(list.lookup("urn:uuid:not-there").is_none());
    let not_revoked: v2::RevocationList =
        serde_json::from_value(json!({"revokedAssertions": [{"id": "x", "revoked": false}, 7]}))
            .unwrap();
    assert_eq!(not_revoked.revoked_assertions.len(), 1);
    assert!(not_revoked.lookup("x").is_none());
}

// ---------------------------------------------------------------- OB 3.0, CLR 2.0

#[test]
fn v3_full_open_badge() {
    let Some(root) = corpus() else { return };
    let doc = load(&root, "ob3/spec-examples/fullOpenBadge.json");
    let d = detect_json(&doc);
    assert_eq!(
        (d.version, d.kind, d.vcdm),
        (
            Some(Version::V3_0),
            DocKind::AchievementCredential,
            Some(Vcdm::V2_0)
        )
    );
    let v = normalize(&doc, &d).unwrap();
    assert_eq!(
        v.name,
        s("1EdTech University Degree"),
        "the achievement's name, not the credential's"
    );
    assert_eq!(v.description, s("1EdTech University Degree Description"));
    assert_eq!(v.image, s("https://1edtech.edu/achievements/degree/image"));
    assert_eq!(v.criteria.url, s("https://1edtech.edu/achievements/degree"));
    assert_eq!(
        v.criteria.narrative,
        s("# Degree Requirements\\nStudents must complete...")
    );
    assert_eq!(v.issuer.id, s("https://1edtech.edu/issuers/565049"));
    assert_eq!(v.issuer.name, s("1EdTech University"));
    assert_eq!(v.issuer.url, s("https://1edtech.edu"));
    assert_eq!(v.issuer.email, s("registrar@1edtech.edu"));
    assert_eq!(v.issuer.image, s("https://1edtech.edu/logo.png"));
    assert_eq!(
        v.issuer.description,
        s("1EdTech University provides online degree programs.")
    );
    assert_eq!(v.issued_on, s("2010-01-01T00:00:00Z"));
    assert_eq!(v.expires, s("2030-01-01T00:00:00Z"));
    assert_eq!(
        v.recipient,
        vec![
            ident("id", DID, false, None),
            ident(
                "emailAddress",
                "student@1edtech.edu",
                false,
                Some("not-used")
            ),
            ident(
                "emailAddress",
                "somebody@gmail.com",
                false,
                Some("not-used")
            ),
        ]
    );
    assert_eq!(v.recipient[1].check("Student@1EdTech.edu"), LOWERCASED);
    assert_eq!(v.evidence.len(), 2);
    assert_eq!(
        v.evidence[0],
        EvidenceView {
            url: s("https://1edtech.edu/credentials/3732/evidence/1"),
            name: s("Final Project Report"),
            description: s("This is the final project report."),
            narrative: s("# Final Project Report \\n This project was ..."),
        }
    );
    assert_eq!(v.alignments.len(), 2);
    assert_eq!(
        v.alignments[0],
        AlignmentView {
            name: s("1EdTech University Degree"),
            url: s("https://1edtech.edu/catalog/degree"),
            description: s("1EdTech University Degree programs."),
            framework: s("1EdTech University Program and Course Catalog"),
            code: s("degree"),
        }
    );
    assert_eq!(v.tags, vec!["research", "computer science"]);
    assert_eq!(v.id, s("http://1edtech.edu/credentials/3732"));
    assert_eq!(v.badge_id, s("https://1edtech.edu/achievements/degree"));
    assert_eq!(
        v.narrative,
        s("There is a final project report and source code evidence.")
    );
    assert_eq!(
        v.endorsement_count, 3,
        "one each on the credential, the achievement and the issuer"
    );

    let typed: v3::AchievementCredential = serde_json::from_value(doc).unwrap();
    let subject = typed.credential_subject.unwrap();
    assert_eq!(subject.result.len(), 3);
    assert_eq!(subject.result[0].value, s("A"));
    assert_eq!(subject.result[2].status, s("Completed"));
    assert_eq!(subject.credits_earned, Some(42.0));
    let achievement = subject.achievement.unwrap();
    assert_eq!(achievement.achievement_type, s("Degree"));
    let creator = achievement.creator.unwrap();
    let creator = creator.object().unwrap();
    assert_eq!(creator.phone, s("1-222-333-4444"));
    assert_eq!(creator.endorsement.len(), 2);
    assert_eq!(
        creator.parent_org.as_ref().unwrap().name,
        s("Universal Universities")
    );
    assert_eq!(typed.proof.len(), 0);
}

#[test]
fn v3_simple_vcdm_2_and_1_1() {
    let Some(root) = corpus() else { return };
    for (rel, vcdm) in [
        ("ob3/1edtech-validator/simple.json", Vcdm::V2_0),
        ("ob3/1edtech-validator/simple_v1.json", Vcdm::V1_1),
    ] {
        let doc = load(&root, rel);
        assert_eq!(detect_json(&doc).vcdm, Some(vcdm), "{rel}");
        let v = view_of(&doc).unwrap();
        assert_eq!(v.name, s("Teamwork"), "{rel}");
        assert_eq!(
            v.description,
            s("This badge recognizes the development of the capacity to collaborate within a group environment."),
            "{rel}"
        );
        assert_eq!(v.criteria.url, None, "{rel}");
        assert!(
            v.criteria
                .narrative
                .as_deref()
                .unwrap()
                .starts_with("Team members are nominated"),
            "{rel}"
        );
        assert_eq!(
            v.issuer.id,
            s("https://example.com/issuers/876543"),
            "{rel}"
        );
        assert_eq!(v.issuer.name, s("Example Corp"), "{rel}");
        assert_eq!(v.issued_on, s("2010-01-01T00:00:00Z"), "{rel}");
        assert_eq!(v.expires, None, "{rel}");
        assert_eq!(v.id, s("http://example.com/credentials/3527"), "{rel}");
        assert_eq!(
            v.badge_id,
            s("https://example.com/achievements/21st-century-skills/teamwork"),
            "{rel}"
        );
        assert_eq!(v.recipient, vec![ident("id", DID, false, None)], "{rel}");
        assert_eq!(v.recipient[0].check(DID), AS_GIVEN);
        assert_eq!(
            v.recipient[0].check(&DID.to_uppercase()),
            IdentityCheck::NoMatch,
            "ids compare exactly"
        );
    }
}

#[test]
fn v3_dcc_fixtures() {
    let Some(root) = corpus() else { return };
    let dir = "ob3/dcc-vc-test-fixtures";
    let v = view(
        &root,
        &format!(
            "{dir}/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-identityHash.json"
        ),
    );
    assert_eq!(v.name, s("Truth, veracity, candor, and verisimilitude."));
    assert_eq!(
        v.image,
        s("https://digitalcredentials.github.io/badge-assets/brain.png")
    );
    assert_eq!(v.issuer.name, s("The Learned"));
    assert_eq!(
        v.issuer.image,
        s("https://digitalcredentials.github.io/badge-assets/classroom.png")
    );
    assert_eq!(
        v.issuer.id,
        s("did:key:z6MkjoriXdbyWD25YXTed114F8hdJrLXQ567xxPHAUKxpKkS")
    );
    assert_eq!(v.issued_on, s("2025-02-24T00:00:00Z"));
    // `identifier` is a single object here, not an array; there is no subject id.
    assert_eq!(
        v.recipient,
        vec![ident("name", "Parker Pearl", false, Some("not-used"))]
    );

    let v = view(
        &root,
        &format!("{dir}/v2/ed25519/didKey/legacy-noStatus-noExpiry-stringIssuerId.json"),
    );
    assert_eq!(
        v.issuer.id,
        s("did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q")
    );
    assert_eq!(v.issuer.name, None);
    assert_eq!(v.name, s("Teamwork"));

    let v = view(
        &root,
        &format!(
            "{dir}/v2/dataIntegrityProof/didKey/legacyRegistry-noStatus-noExpiry-alignments.json"
        ),
    );
    assert_eq!(v.name, s("Text analysis"));
    assert_eq!(v.alignments.len(), 2);
    assert_eq!(
        v.alignments[0].code,
        s("ce-cf4dee18-7cea-443a-b920-158a0762c6bf")
    );
    assert_eq!(
        v.alignments[0].framework,
        s("Edmonds College Course Catalog")
    );
    assert_eq!(
        v.alignments[1],
        AlignmentView {
            name: s("Requirements Analysis"),
            url: s("https://credentialfinder.org/credential/20229/Requirements_Analysis"),
            description: s("This is a description"),
            ..Default::default()
        }
    );

    let doc = load(
        &root,
        &format!("{dir}/v1/ed25519/didKey/legacy-noStatus-expired.json"),
    );
    assert_eq!(detect_json(&doc).vcdm, Some(Vcdm::V1_1));
    let v = view_of(&doc).unwrap();
    assert_eq!(v.name, s("Badge"));
    assert_eq!(v.issued_on, s("2025-01-09T15:06:31Z"));
    assert_eq!(v.expires, s("2025-01-09T16:23:24Z"));
    assert_eq!(v.issuer.url, s("https://dcconsortium.org"));
    assert!(v
        .issuer
        .image
        .as_deref()
        .unwrap()
        .starts_with("https://user-images.githubusercontent.com/"));
    assert!(
        v.recipient.is_empty(),
        "no subject id or identifier (only a `name`)"
    );

    let e = view(
        &root,
        &format!("{dir}/v2/bothSignatureTypes/didkey/legacy-noStatus-notExpired-endorsement.json"),
    );
    assert_eq!(e.description, s("1EdTech University is in good standing"));
    let other = load(
        &root,
        &format!(
            "{dir}/v2/bothSignatureTypes/didkey/legacy-noStatus-noExpiry-nonOBWithOBContext.json"
        ),
    );
    assert_eq!(detect_json(&other).kind, DocKind::OtherCredential);
    assert_eq!(view_of(&other), None);
}

#[test]
fn v3_endorsement_credential() {
    let Some(root) = corpus() else { return };
    let v = view(&root, "ob3/1edtech-validator/endorsement-valid.json");
    assert!(v.name.is_some());
    assert_eq!(v.description, s("1EdTech University is in good standing"));
    assert!(v.issuer.id.is_some());
    assert!(v.issued_on.is_some() && v.expires.is_some());
    assert!(v.recipient.is_empty());
}

#[test]
fn clr2_simple() {
    let Some(root) = corpus() else { return };
    let doc = load(&root, "clr2/1edtech-validator/simple.json");
    assert_eq!(detect_json(&doc).kind, DocKind::ClrCredential);
    let v = view_of(&doc).unwrap();
    assert_eq!(v.name, s("Sample Transcript"));
    assert_eq!(v.issuer.name, s("Example University"));
    assert_eq!(v.issuer.id, s("https://example.edu/issuers/565049"));
    assert_eq!(v.issued_on, s("2010-01-01T00:00:00Z"));
    assert_eq!(v.id, s("http://example.edu/credentials/3732"));
    assert_eq!(v.recipient, vec![ident("id", DID, false, None)]);

    let typed: v3::ClrCredential = serde_json::from_value(doc).unwrap();
    let subject = typed.credential_subject.unwrap();
    assert_eq!(subject.verifiable_credential.len(), 1);
    assert_eq!(subject.achievement.len(), 2);
    assert_eq!(subject.achievement[1].name, s("Achievement 2"));
    match &subject.verifiable_credential[0] {
        v3::CredentialOrJwt::Credential(c) => assert_eq!(c.name, s("Teamwork Badge")),
        other => panic!("expected an embedded credential, got {other:?}"),
    }
    let complex: v3::ClrCredential =
        serde_json::from_value(load(&root, "clr2/1edtech-validator/complex.json")).unwrap();
    assert_eq!(
        complex
            .credential_subject
            .unwrap()
            .verifiable_credential
            .len(),
        6
    );
}

#[test]
fn vc_jwt_claims() {
    let Some(root) = corpus() else { return };
    let claims = jws_claims(&root, "ob3/1edtech-validator/simple.jwt");
    let v = view_of(&claims).unwrap();
    assert_eq!(
        v.name,
        s("Example University Degree"),
        "no achievement: the credential's name"
    );
    assert_eq!(v.issuer.name, s("Example University"));
    assert_eq!(v.issued_on, s("2010-01-01T00:00:00Z"));
    assert_eq!(v.recipient, vec![ident("id", DID, false, None)]);

    let clr = jws_claims(&root, "clr2/1edtech-validator/simple.jwt");
    assert_eq!(view_of(&clr).unwrap().name, s("Sample Transcript"));
    let typed: v3::ClrCredential = serde_json::from_value(clr["vc"].clone()).unwrap();
    assert!(matches!(
        typed.credential_subject.unwrap().verifiable_credential[0],
        v3::CredentialOrJwt::Jwt(_)
    ));

    let ob2 = view_of(&jws_claims(&root, "ob2/signed/dcpv_simple.jwt")).unwrap();
    assert_eq!(ob2.badge_id, s("https://example.org/robotics-badge.json"));
    assert_eq!(
        ob2.recipient,
        vec![ident("email", NOBODY, true, Some("deadsea"))]
    );
}

#[test]
fn vc_jwt_registered_claims_fill_missing_fields() {
    let claims = json!({
        "iss": "https://example.edu/issuers/1", "sub": "did:example:abc", "jti": "urn:uuid:1",
        "nbf": 1262304000, "exp": 4102444800i64,
        "vc": {"@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
               "type": ["VerifiableCredential", "OpenBadgeCredential"],
               "credentialSubject": {"achievement": {"name": "Claims"}}}
    });
    let v = view_of(&claims).unwrap();
    assert_eq!(v.name, s("Claims"));
    assert_eq!(v.issued_on, s("2010-01-01T00:00:00Z"));
    assert_eq!(v.expires, s("2100-01-01T00:00:00Z"));
    assert_eq!(v.id, s("urn:uuid:1"));
    assert_eq!(v.issuer.id, s("https://example.edu/issuers/1"));
    assert_eq!(
        v.recipient,
        vec![ident("id", "did:example:abc", false, None)]
    );

    // VCDM 2.0 JWT: the claims are the credential itself.
    let v2 = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                    "issuer": "did:example:issuer", "validFrom": "2024-01-01T00:00:00Z", "name": "Top level",
                    "credentialSubject": {"id": "did:example:me"}});
    let v = view_of(&v2).unwrap();
    assert_eq!(v.name, s("Top level"));
    assert_eq!(v.issuer.id, s("did:example:issuer"));
    assert_eq!(v.issued_on, s("2024-01-01T00:00:00Z"));
}

// ---------------------------------------------------------------- inline edge cases

#[test]
fn inline_v2_shapes() {
    let doc = json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:a",
        "recipient": {"type": "url", "identity": "https://me.example", "hashed": "false"},
        "issuedOn": "2020-01-01T00:00:00Z", "narrative": "Did it.",
        "evidence": [{"id": "https://e/1", "name": "One", "narrative": "n"}, "https://e/2", 5],
        "badge": {"type": "BadgeClass", "id": "https://b", "name": ["Only name"], "tags": "solo",
                  "image": {"id": "data:image/png;base64,AAAA", "caption": "c"},
                  "criteria": {"narrative": "Do things."},
                  "issuer": "https://issuer.example/profile",
                  "alignment": {"targetName": "T", "targetUrl": "https://t", "targetCode": 12}}
    });
    let v = view_of(&doc).unwrap();
    assert_eq!(v.name, s("Only name"), "a one-item array reads as its item");
    assert_eq!(v.image, s("data:image/png;base64,AAAA"));
    assert_eq!(v.criteria.narrative, s("Do things."));
    assert_eq!(v.criteria.url, None);
    assert_eq!(v.issuer.id, s("https://issuer.example/profile"));
    assert_eq!(v.issuer.name, None);
    assert_eq!(v.tags, vec!["solo"]);
    assert_eq!(
        v.alignments,
        vec![AlignmentView {
            name: s("T"),
            url: s("https://t"),
            code: s("12"),
            ..Default::default()
        }]
    );
    assert_eq!(v.narrative, s("Did it."));
    assert_eq!(v.evidence.len(), 2, "the number is left out");
    assert_eq!(v.evidence[0].name, s("One"));
    assert_eq!(v.evidence[1].url, s("https://e/2"));
    assert_eq!(
        v.recipient,
        vec![ident("url", "https://me.example", false, None)]
    );
    assert_eq!(
        v.recipient[0].check("https://ME.example"),
        IdentityCheck::NoMatch
    );
}

#[test]
fn inline_v1_unix_dates_and_alignment_names() {
    let doc = json!({
        "uid": 42, "recipient": {"type": "email", "identity": NOBODY, "salt": "deadsea"},
        "issuedOn": 1361561067, "expires": "4102444800",
        "verify": {"type": "signed", "url": "https://issuer.example/key.pem"},
        "badge": {"name": "Old", "image": "https://i/b.png", "criteria": "https://c",
                  "issuer": {"name": "Org", "url": "https://org", "email": "a@org"},
                  "alignment": [{"name": "CCSS.ELA", "url": "https://ccss", "description": "Reading"}],
                  "tags": ["a", "b"]}
    });
    assert_eq!(detect_json(&doc).version, Some(Version::V1_0));
    let v = view_of(&doc).unwrap();
    assert_eq!(v.issued_on, s("2013-02-22T19:24:27Z"));
    assert_eq!(
        v.expires,
        s("2100-01-01T00:00:00Z"),
        "a 10-digit string is Unix seconds too"
    );
    assert_eq!(v.id, None, "signed: verify.url is a key, not the assertion");
    assert_eq!(v.name, s("Old"));
    assert_eq!(v.issuer.name, s("Org"));
    assert_eq!(v.issuer.email, s("a@org"));
    assert_eq!(
        v.alignments,
        vec![AlignmentView {
            name: s("CCSS.ELA"),
            url: s("https://ccss"),
            description: s("Reading"),
            ..Default::default()
        }]
    );
    assert_eq!(v.tags, vec!["a", "b"]);
    assert_eq!(
        v.recipient,
        vec![ident("email", NOBODY, true, Some("deadsea"))],
        "hashed inferred from the value"
    );
}

#[test]
fn inline_v0_5_relative_urls_and_org() {
    let doc = json!({
        "recipient": "md5$df7f6ab472edfcaf9040a8bbdee36400", "salt": "deadsea", "issued_on": 1300000000,
        "evidence": "/work/1",
        "badge": {"name": "Rel", "image": "/img.png", "criteria": "criteria.html",
                  "issuer": {"origin": "https://old.example/", "name": "Agent", "org": "Org", "contact": "c@old.example"}}
    });
    assert_eq!(detect_json(&doc).version, Some(Version::V0_5));
    let v = view_of(&doc).unwrap();
    assert_eq!(v.image, s("https://old.example/img.png"));
    assert_eq!(v.criteria.url, s("https://old.example/criteria.html"));
    assert_eq!(v.evidence[0].url, s("https://old.example/work/1"));
    assert_eq!(v.issuer.name, s("Agent (Org)"));
    assert_eq!(v.issuer.url, s("https://old.example/"));
    assert_eq!(v.issuer.email, s("c@old.example"));
    assert_eq!(v.issued_on, s("2011-03-13T07:06:40Z"));
    assert_eq!(v.recipient[0].check("nobody@example.org"), AS_GIVEN);
    let org_only = json!({"recipient": "a@b.c", "badge": {"issuer": {"org": "Org"}}});
    assert_eq!(view_of(&org_only).unwrap().issuer.name, s("Org"));
}

#[test]
fn inline_badge_class_and_achievement_alone() {
    let bc = json!({"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://b",
                    "name": "Alone", "description": "d", "image": "https://i", "criteria": "https://c",
                    "issuer": {"id": "https://i", "type": "Issuer", "name": "Iss", "image": {"id": "https://logo"},
                               "endorsement": ["https://e1"]}});
    let v = view_of(&bc).unwrap();
    assert_eq!(
        (v.name.as_deref(), v.badge_id.as_deref(), v.id.as_deref()),
        (Some("Alone"), Some("https://b"), None)
    );
    assert_eq!(v.issuer.name, s("Iss"));
    assert_eq!(v.issuer.image, s("https://logo"));
    assert_eq!(v.endorsement_count, 1);
    assert!(v.recipient.is_empty());

    let a = json!({"@context": ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"], "type": "Achievement",
                   "id": "urn:uuid:x", "name": "Ach", "criteria": "https://crit", "image": "https://img",
                   "creator": {"id": "did:web:c", "name": "Creator"}, "tag": "t", "endorsementJwt": ["a.b.c"]});
    assert_eq!(detect_json(&a).kind, DocKind::Achievement);
    let v = view_of(&a).unwrap();
    assert_eq!(v.name, s("Ach"));
    assert_eq!(v.criteria.url, s("https://crit"));
    assert_eq!(v.image, s("https://img"));
    assert_eq!(v.issuer.name, s("Creator"));
    assert_eq!(v.tags, vec!["t"]);
    assert_eq!(v.endorsement_count, 1);
}

#[test]
fn wrong_types_yield_missing_fields() {
    let doc = json!({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": 5,
        "recipient": [], "issuedOn": {}, "badge": 7, "image": [[1]], "evidence": {"id": false},
        "expires": null, "narrative": ["x", "y"], "endorsement": "https://e"
    });
    let v = view_of(&doc).unwrap();
    assert_eq!(v.id, None);
    assert_eq!(v.badge_id, None);
    assert_eq!(v.issued_on, None);
    assert_eq!(v.image, None);
    assert!(v.recipient.is_empty());
    assert_eq!(v.evidence, vec![EvidenceView::default()]);
    assert_eq!(v.narrative, s("x"));
    assert_eq!(v.endorsement_count, 1);

    let cred = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "OpenBadgeCredential"],
                      "issuer": 1, "validFrom": 2, "credentialSubject": "x", "name": {"en": "n"}});
    assert_eq!(view_of(&cred), Some(BadgeView::default()));
    let d = detect_json(&json!({"type": "Assertion"}));
    assert_eq!(normalize(&json!("not an object"), &d), None);
    assert_eq!(normalize(&json!([1, 2]), &d), None);
}

// ---------------------------------------------------------------- robustness

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every value in `doc`, replaced in turn by values of other types.
fn mutations(doc: &Value) -> Vec<Value> {
    let odd = [
        json!(null),
        json!(42),
        json!("x"),
        json!([]),
        json!({}),
        json!([1, "a", {}]),
        json!(true),
    ];
    let mut out = Vec::new();
    fn paths(v: &Value, here: &mut Vec<Value>, all: &mut Vec<Vec<Value>>) {
        all.push(here.clone());
        match v {
            Value::Object(m) => m.iter().for_each(|(k, c)| {
                here.push(json!(k));
                paths(c, here, all);
                here.pop();
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, c)| {
                here.push(json!(i));
                paths(c, here, all);
                here.pop();
            }),
            _ => {}
        }
    }
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    for path in all.iter().skip(1) {
        for o in &odd {
            let mut copy = doc.clone();
            let mut at = &mut copy;
            for step in path {
                at = match step {
                    Value::String(k) => &mut at[k.as_str()],
                    _ => &mut at[step.as_u64().unwrap() as usize],
                };
            }
            *at = o.clone();
            out.push(copy);
        }
    }
    out
}

#[test]
fn deep_and_large_documents_read_in_one_pass() {
    // Each level of a long endorsement chain carries a large unknown value:
    // reading must not re-read it per level (that took minutes before).
    let mut profile = json!({"id": "leaf", "name": "Leaf", "junk": vec![0u8; 1_000_000]});
    for i in 0..40 {
        profile = json!({"id": format!("p{i}"), "junk": vec![1u8; 10_000],
                         "endorsement": [{"type": ["EndorsementCredential"], "issuer": profile}]});
    }
    let mut org = json!({"id": "root"});
    for i in 0..100 {
        org = json!({"id": format!("o{i}"), "parentOrg": org});
    }
    profile["parentOrg"] = org;
    let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"],
                     "type": ["VerifiableCredential", "OpenBadgeCredential"], "issuer": profile});
    let doc: Value = serde_json::from_str(&doc.to_string()).unwrap();
    let started = std::time::Instant::now();
    let v = view_of(&doc).unwrap();
    assert_eq!(v.issuer.id, s("p39"));
    assert_eq!(v.endorsement_count, 1);
    let typed: v3::AchievementCredential = serde_json::from_value(doc).unwrap();
    let issuer = typed.issuer.unwrap();
    assert_eq!(
        issuer.object().unwrap().parent_org.as_ref().unwrap().id,
        s("o99")
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn typed_reads_from_text_owned_and_borrowed_values() {
    let text = r#"{"type": "Assertion", "badge": ["https://b", "https://c"], "issuedOn": 1.3e9,
                   "recipient": {"identity": "a@b.c", "hashed": "FALSE", "salt": 12},
                   "evidence": [[1], null, "https://e", {"narrative": "n", "x": [{"y": {}}]}],
                   "unknown": {"deep": [1, 2, {"three": 3}]}}"#;
    let from_text: v2::Assertion = serde_json::from_str(text).unwrap();
    let value: Value = serde_json::from_str(text).unwrap();
    let from_ref = v2::Assertion::deserialize(&value).unwrap();
    let from_owned: v2::Assertion = serde_json::from_value(value).unwrap();
    assert_eq!(from_text, from_ref);
    assert_eq!(from_text, from_owned);
    assert_eq!(from_text.badge.unwrap().iri(), Some("https://b"));
    assert_eq!(
        from_text.issued_on.unwrap().display(),
        "2011-03-13T07:06:40Z"
    );
    let r = from_text.recipient.unwrap();
    assert_eq!((r.hashed, r.salt.as_deref()), (Some(false), Some("12")));
    assert_eq!(from_text.evidence.len(), 2);
    // Serialized types read back the same.
    let again: v2::Assertion =
        serde_json::from_value(serde_json::to_value(&from_owned).unwrap()).unwrap();
    assert_eq!(again, from_owned);
}

#[test]
fn normalizing_every_corpus_file_never_panics() {
    let Some(root) = corpus() else { return };
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let mut views = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let doc = match satchel::payload::classify(&text) {
            Ok(p) => p.document().cloned(),
            Err(_) => serde_json::from_str::<Value>(&text).ok(),
        };
        if let Some(doc) = doc {
            views += usize::from(view_of(&doc).is_some());
        }
    }
    assert!(views > 100, "only {views} views from {} files", files.len());
}

#[test]
fn normalizing_mutated_documents_never_panics() {
    let Some(root) = corpus() else { return };
    for rel in [
        "ob2/legacy/vcore_0_5_1_assertion.json",
        "ob2/legacy/vcore_1_0_basic_assertion.json",
        "ob2/hosted/assertion-with-endorsements.json",
        "ob3/1edtech-validator/simple.json",
        "ob3/1edtech-validator/simple_v1.json",
        "clr2/1edtech-validator/simple.json",
        "ob3/1edtech-validator/endorsement-valid.json",
    ] {
        for doc in mutations(&load(&root, rel)) {
            let d = detect_json(&doc);
            let _ = normalize(&doc, &d);
        }
    }
}

// ---------------------------------------------------------------- recipient identities

#[test]
fn hash_identity_known_values() {
    assert_eq!(
        hash_identity(HashAlg::Sha256, "mayze", None),
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6"
    );
    assert_eq!(
        hash_identity(HashAlg::Sha256, "a@example.com", Some("Kosher")),
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
    );
    assert_eq!(
        hash_identity(HashAlg::Sha256, "nobody@example.org", Some("deadsea")),
        NOBODY
    );
    assert_eq!(
        hash_identity(HashAlg::Sha256, "test@example.com", Some("sel gris")),
        "sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087"
    );
    assert_eq!(
        hash_identity(HashAlg::Md5, "mayze", None),
        "md5$5e36a192d84cbdde83e633fce5540cb9"
    );
}

#[test]
fn hashed_identity_matching_rules() {
    let unsalted = ident(
        "email",
        "sha256$7a1a1b3f7d40552e4299180e346e3add12bf9a751a43d9c4ca4518febc2c60c6",
        true,
        None,
    );
    assert_eq!(unsalted.check("mayze"), AS_GIVEN);
    assert_eq!(unsalted.check("MAYZE"), LOWERCASED);
    assert_eq!(unsalted.check("maize"), IdentityCheck::NoMatch);
    assert_eq!(unsalted.check(""), IdentityCheck::NoMatch);

    let ob3 = ident(
        "emailAddress",
        "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399",
        true,
        Some("Kosher"),
    );
    assert_eq!(ob3.check("a@example.com"), AS_GIVEN);

    let upper = ident("email", &NOBODY.to_uppercase(), true, Some("deadsea"));
    assert_eq!(
        upper.check("nobody@example.org"),
        AS_GIVEN,
        "upper-case hex and algorithm"
    );
    let nobody = ident("email", NOBODY, true, Some("deadsea"));
    assert_eq!(nobody.check("Nobody@Example.org"), LOWERCASED);
    assert_eq!(
        nobody.check("  nobody@example.org\n"),
        AS_GIVEN,
        "surrounding whitespace is trimmed"
    );
    // The issuer hashed a mixed-case email: only the case as given matches.
    let mixed = ident(
        "email",
        &hash_identity(HashAlg::Sha256, "Nobody@Example.org", Some("deadsea")),
        true,
        Some("deadsea"),
    );
    assert_eq!(mixed.check("Nobody@Example.org"), AS_GIVEN);
    assert_eq!(mixed.check("nobody@example.org"), IdentityCheck::NoMatch);

    let md5 = ident(
        "email",
        "md5$DF7F6AB472EDFCAF9040A8BBDEE36400",
        true,
        Some("deadsea"),
    );
    assert_eq!(md5.check("nobody@example.org"), AS_GIVEN);
    assert_eq!(md5.check("NOBODY@example.org"), LOWERCASED);
}

#[test]
fn unsupported_hashes_say_why() {
    let reason = |value: &str| match ident("email", value, true, None).check("x@y.z") {
        IdentityCheck::Unsupported { reason } => reason,
        other => panic!("{value}: {other:?}"),
    };
    assert!(reason("sha1$c0b19425e0f2c8021ab06c79b19144e127b0f2cb").contains("SHA-1"));
    assert!(reason("bcrypt$5$something").contains("unknown identity hash algorithm"));
    assert!(reason("sha256$zz").contains("not hexadecimal"));
    assert!(reason("sha256$abcd").contains("4 hex digits instead of 64"));
    assert!(reason("md5$abcd").contains("instead of 32"));
    assert!(reason("7a1a1b3f7d40552e").contains("no algorithm prefix"));
}

#[test]
fn plaintext_identity_matching_rules() {
    let email = ident("email", "Ada@Example.org", false, None);
    assert_eq!(email.check("Ada@Example.org"), AS_GIVEN);
    assert_eq!(email.check("ada@example.org"), LOWERCASED);
    assert_eq!(email.check("bob@example.org"), IdentityCheck::NoMatch);
    let phone = ident("telephone", "+15555550100", false, None);
    assert_eq!(phone.check(" +15555550100 "), AS_GIVEN);
    assert_eq!(phone.check("+15555550101"), IdentityCheck::NoMatch);
    let url = ident("url", "https://Example.org/ada", false, None);
    assert_eq!(
        url.check("https://example.org/ada"),
        IdentityCheck::NoMatch,
        "non-email kinds compare exactly"
    );
}

#[test]
fn zero_five_strings_are_hashed_only_when_they_look_hashed() {
    use satchel::model::recipient::looks_hashed;
    assert!(looks_hashed(
        "sha256$85c4196c5516561cef673642157499b70066cb1070852b2a37fdbf3cc599b087"
    ));
    assert!(looks_hashed(
        "SHA1$c0b19425e0f2c8021ab06c79b19144e127b0f2cb"
    ));
    assert!(looks_hashed("md5$abc"));
    assert!(!looks_hashed("test@example.com"));
    assert!(!looks_hashed("sha256$"));
    assert!(!looks_hashed("bcrypt$5$something"));
    let doc = json!({"recipient": "sha1$c0b19425e0f2c8021ab06c79b19144e127b0f2cb", "badge": {"issuer": {"name": "x"}}});
    let v = view_of(&doc).unwrap();
    assert!(v.recipient[0].hashed);
    assert!(matches!(
        v.recipient[0].check("a@b.c"),
        IdentityCheck::Unsupported { .. }
    ));
}

#[test]
fn identity_check_serializes_for_the_ui() {
    let json = serde_json::to_value(AS_GIVEN).unwrap();
    assert_eq!(json, json!({"result": "match", "variant": "as_given"}));
    assert_eq!(
        serde_json::to_value(IdentityCheck::NoMatch).unwrap(),
        json!({"result": "no_match"})
    );
    let r = ident("email", NOBODY, true, Some("deadsea"));
    let back: RecipientIdentity =
        serde_json::from_value(serde_json::to_value(&r).unwrap()).unwrap();
    assert_eq!(back, r);
}
