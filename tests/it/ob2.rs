//! OB 0.5–2.0 verification against the shared corpus's offline "world"
//! (`ob2/hosted/assets` served for `https://example.org/`, `http://example.org/`
//! and `https://www.example.org/`), plus generated cases: tampering, refused
//! algorithms, wrong keys, hosted revocation, missing and unreachable servers,
//! recipients, legacy versions.
//!
//! [`World`] stands in for the network layer only: it answers from files
//! (`DirFetch`) and per-test overrides, and says "unreachable" for every
//! other host.

use crate::support::{self, Web};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use satchel::crypto::{self, CryptoError, JwsAlg, PublicKey};
use satchel::fetch::FetchError;
use satchel::inspect::{inspect, inspect_path, Inspection};
use satchel::verify::{verify, BadgeFormat, CheckStatus, Options, Report, Verdict};
use std::path::{Path, PathBuf};

/// 2025-01-01T00:00:00Z.
const NOW: i64 = 1_735_689_600;
/// The recipient of the 1EdTech samples (salt "deadsea").
const NOBODY: &str = "nobody@example.org";

/// The offline web (files read back by `satchel::fetch::DirFetch`).
type World = Web;

/// The corpus assets under the example.org prefixes (a missing file is a 404).
fn with_assets(assets: &Path) -> World {
    [
        "https://example.org/",
        "http://example.org/",
        "https://www.example.org/",
    ]
    .into_iter()
    .fold(Web::new(), |w, base| w.site(base, assets))
}

fn ob2() -> Option<PathBuf> {
    support::corpus().map(|c| c.join("ob2"))
}

fn opts(recipients: &[&str]) -> Options {
    Options {
        now: NOW,
        recipients: recipients.iter().map(|s| (*s).to_owned()).collect(),
        recipient_rule: satchel::verify::RecipientRule::MustMatch,
    }
}

/// The OB 2.0 extension contexts (the corpus's bundled copies) and the JSON
/// Schemas they name (`tests/data/ob2-extensions/`, from the 1EdTech
/// specification repository), at their published URLs.
fn extension_documents(ob2: &Path) -> Vec<(&'static str, PathBuf)> {
    let contexts = ob2.parent().unwrap().join("contexts");
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ob2-extensions");
    vec![
        (
            "https://w3id.org/openbadges/extensions/exampleExtension/context.json",
            contexts.join("obv2x-example-extension.json"),
        ),
        (
            "https://w3id.org/openbadges/extensions/applyLinkExtension/context.json",
            contexts.join("obv2x-applylink-extensions.json"),
        ),
        (
            "https://openbadgespec.org/extensions/exampleExtension/schema.json",
            schemas.join("exampleExtension-schema.json"),
        ),
        (
            "https://openbadgespec.org/extensions/applyLinkExtension/schema.json",
            schemas.join("applyLinkExtension-schema.json"),
        ),
    ]
}

fn world(ob2: &Path) -> World {
    let mut w = with_assets(&ob2.join("hosted/assets"));
    for (url, file) in extension_documents(ob2) {
        w = w.serve(
            url,
            200,
            std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
        );
    }
    w
}

/// A world where a presented hosted assertion is also served at its own id
/// (upstream validates the JSON as given, which is the same thing).
fn world_with_self(ob2: &Path, file: &Path) -> World {
    let bytes = std::fs::read(file).unwrap();
    let found = inspect(&bytes).unwrap();
    let doc = found.document.expect("a JSON assertion");
    let id = doc["id"].as_str().unwrap().to_owned();
    world(ob2).serve(&id, 200, serde_json::to_vec(&doc).unwrap())
}

fn run(world: &World, input: &Inspection, recipients: &[&str]) -> Report {
    verify(input, world, &opts(recipients))
}

fn run_path(world: &World, path: &Path) -> Report {
    run(world, &inspect_path(path).unwrap(), &[])
}

fn dump(report: &Report) -> String {
    let mut s = format!("verdict {:?}, format {}\n", report.status, report.format);
    for c in &report.checks {
        s.push_str(&format!(
            "  {:?} {}: {} [{}]\n",
            c.status,
            c.id,
            c.message,
            c.detail.as_deref().unwrap_or("")
        ));
    }
    s
}

/// The first check with this id and status (panics with the report otherwise).
fn check<'r>(report: &'r Report, id: &str, status: CheckStatus) -> &'r satchel::verify::Check {
    report
        .checks
        .iter()
        .find(|c| c.id == id && c.status == status)
        .unwrap_or_else(|| panic!("no {status:?} check {id} in\n{}", dump(report)))
}

fn assert_verdict(report: &Report, verdict: Verdict, what: &str) {
    assert_eq!(report.status, verdict, "{what}:\n{}", dump(report));
}

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// A compact JWS with the given header and payload and the signature of `base`.
fn reforge(base: &str, header: Option<&str>, payload: Option<&str>) -> String {
    let parts: Vec<&str> = base.trim().split('.').collect();
    let h = header.map(b64).unwrap_or_else(|| parts[0].to_owned());
    let p = payload.map(b64).unwrap_or_else(|| parts[1].to_owned());
    format!("{h}.{p}.{}", parts[2])
}

fn payload_of(jws: &str) -> String {
    let p = jws.trim().split('.').nth(1).unwrap();
    String::from_utf8(URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}

// ------------------------------------------------------------------ corpus

#[test]
fn the_signed_corpus_gets_the_expected_verdicts() {
    let Some(ob2) = ob2() else { return };
    let w = world(&ob2);
    let simple = run_path(&w, &ob2.join("signed/dcpv_simple.jwt"));
    assert_verdict(&simple, Verdict::Verified, "dcpv_simple.jwt");
    assert_eq!(simple.format, BadgeFormat::Signed);
    check(&simple, "signature.jws", CheckStatus::Pass);
    check(&simple, "signature.key", CheckStatus::Pass);
    check(&simple, "signature.issuer", CheckStatus::Pass);
    check(&simple, "revocation.list", CheckStatus::Pass);
    assert_eq!(simple.recipient_matched, None);
    assert_eq!(simple.badge_name.as_deref(), Some("Awesome Robotics Badge"));
    assert_eq!(simple.issuer.as_deref(), Some("An Example Badge Issuer"));
    // The assertion's own http id is never fetched for a signed badge.
    assert!(!w
        .requested()
        .contains(&"https://example.org/beths-robotics-badge.json".to_owned()));

    let kept = run_path(&w, &ob2.join("signed/dcpv_simple-not-revoked.jwt"));
    assert_verdict(&kept, Verdict::Verified, "dcpv_simple-not-revoked.jwt");
    assert!(check(&kept, "revocation.list", CheckStatus::Pass)
        .detail
        .as_deref()
        .unwrap()
        .contains("empty-revocation-list.json"));

    let revoked = run_path(&w, &ob2.join("signed/dcpv_simple-revoked.jwt"));
    assert_verdict(&revoked, Verdict::Revoked, "dcpv_simple-revoked.jwt");
    assert!(revoked.revoked);
    check(&revoked, "signature.jws", CheckStatus::Pass);
    assert_eq!(
        check(&revoked, "revocation.list", CheckStatus::Fail).message,
        "The issuer has revoked this badge. Reason: A good reason, for sure."
    );

    let spec = run_path(&w, &ob2.join("signed/spec_example_unverifiable.jws"));
    assert_verdict(
        &spec,
        Verdict::Unverifiable,
        "spec_example_unverifiable.jws",
    );
    assert!(check(&spec, "signature.key", CheckStatus::Skip)
        .message
        .contains("no longer has it (HTTP 404)"));
    check(&spec, "signature.jws", CheckStatus::Skip);
}

/// Every presented assertion in `ob2/hosted`, served at its own id, with the
/// verdict SOURCES.md gives (and the check that decides it).
#[test]
fn the_hosted_corpus_gets_the_expected_verdicts() {
    let Some(ob2) = ob2() else { return };
    use CheckStatus::{Fail, Pass, Warn};
    type Case<'a> = (&'a str, Verdict, Option<(&'a str, CheckStatus)>);
    let cases: &[Case] = &[
        ("basic-assertion.json", Verdict::Verified, None),
        (
            "basic-assertion-no-public-key.json",
            Verdict::Verified,
            None,
        ),
        (
            "basic-assertion-with-language.json",
            Verdict::Verified,
            None,
        ),
        ("assertion-with-endorsements.json", Verdict::Verified, None),
        (
            "assertion-with-multiple-extensions.json",
            Verdict::Verified,
            Some(("extension.1", Pass)),
        ),
        (
            "assertion-with-extension-node-basic.json",
            Verdict::Verified,
            Some(("extension.1", Pass)),
        ),
        // The extension's value breaks the extension's JSON schema (an integer
        // where text is expected).
        (
            "assertion-with-extension-node-invalid.json",
            Verdict::Invalid,
            Some(("extension.1", Fail)),
        ),
        (
            "basic-assertion-with-allowed-origins.json",
            Verdict::Verified,
            Some(("badge.id", Warn)),
        ),
        (
            "basic-assertion-with-allowed-origins-valid-starts-with.json",
            Verdict::Verified,
            None,
        ),
        (
            "basic-assertion-with-allowed-origins-valid-multiple-starts-with.json",
            Verdict::Verified,
            None,
        ),
        (
            "basic-assertion-with-allowed-origins-invalid-starts-with.json",
            Verdict::Invalid,
            Some(("hosted.scope", Fail)),
        ),
        (
            "basic-assertion-with-allowed-origins-invalid-multiple-starts-with.json",
            Verdict::Invalid,
            Some(("hosted.scope", Fail)),
        ),
        (
            "basic-assertion-expired.json",
            Verdict::Expired,
            Some(("expiry", Fail)),
        ),
        (
            "basic-assertion-in-future.json",
            Verdict::Invalid,
            Some(("dates.start", Fail)),
        ),
        (
            "basic-assertion-expired-before-issued.json",
            Verdict::Invalid,
            Some(("dates.order", Fail)),
        ),
        (
            "assertion-with-data-image.json",
            Verdict::Invalid,
            Some(("assertion.image", Fail)),
        ),
        (
            "basic-assertion-invalid-type.json",
            Verdict::Invalid,
            Some(("assertion.type", Fail)),
        ),
        (
            "basic-assertion-invalid-context.json",
            Verdict::Invalid,
            Some(("assertion.context", Fail)),
        ),
        (
            "warning-issuer-non-http.json",
            Verdict::Verified,
            Some(("issuer.http", Warn)),
        ),
        (
            "warning-with-redirection.json",
            Verdict::Verified,
            Some(("badge.id", Warn)),
        ),
    ];
    for (file, verdict, decisive) in cases {
        let path = ob2.join("hosted").join(file);
        let w = world_with_self(&ob2, &path);
        let report = run(&w, &inspect_path(&path).unwrap(), &[NOBODY]);
        assert_verdict(&report, *verdict, file);
        assert_eq!(report.format, BadgeFormat::Hosted, "{file}");
        if let Some((id, status)) = decisive {
            check(&report, id, *status);
        }
        if *verdict == Verdict::Verified {
            check(&report, "hosted.fetch", CheckStatus::Pass);
            check(&report, "hosted.copy", CheckStatus::Pass);
            assert_eq!(report.recipient_matched, Some(true), "{file}");
        }
    }
}

#[test]
fn messages_say_what_is_wrong_in_plain_words() {
    let Some(ob2) = ob2() else { return };
    let report_for = |file: &str| {
        let path = ob2.join("hosted").join(file);
        let w = world_with_self(&ob2, &path);
        run(&w, &inspect_path(&path).unwrap(), &[])
    };
    let expired = report_for("basic-assertion-expired.json");
    assert!(expired.expired);
    assert_eq!(
        check(&expired, "expiry", CheckStatus::Fail).message,
        "This badge expired on 2022-11-15."
    );
    let future = report_for("basic-assertion-in-future.json");
    assert!(check(&future, "dates.start", CheckStatus::Fail)
        .message
        .starts_with("This badge is not valid yet: it says it was issued on 2100-12-31"));
    let wrong_type = report_for("basic-assertion-invalid-type.json");
    assert_eq!(
        check(&wrong_type, "assertion.type", CheckStatus::Fail).message,
        "This is not an Open Badges assertion: its type is OtherAssertion."
    );
    let outside = report_for("basic-assertion-with-allowed-origins-invalid-starts-with.json");
    let scope = check(&outside, "hosted.scope", CheckStatus::Fail);
    assert_eq!(
        scope.message,
        "This badge is not hosted where its issuer says its badges live."
    );
    assert!(scope
        .detail
        .as_deref()
        .unwrap()
        .contains("https://example.org/NOT"));
    let non_http = report_for("warning-issuer-non-http.json");
    check(&non_http, "hosted.scope", CheckStatus::Warn);
}

#[test]
fn baked_images_from_the_corpus() {
    let Some(ob2) = ob2() else { return };
    // The PNG holds basic-assertion.json; served at its id it verifies.
    let png = ob2.join("baked-png/dcpv_simple-badge_ob2.png");
    let w = world_with_self(&ob2, &ob2.join("hosted/basic-assertion.json"));
    let report = run(&w, &inspect_path(&png).unwrap(), &[NOBODY]);
    assert_verdict(&report, Verdict::Verified, "dcpv_simple-badge_ob2.png");
    assert_eq!(report.recipient_matched, Some(true));

    // Legacy tEXt URLs: the 404 one is gone; the other is not in the world.
    let gone = run_path(
        &world(&ob2),
        &ob2.join("baked-png/mozbackpack_legacy_text_url_404.png"),
    );
    assert_verdict(&gone, Verdict::Invalid, "legacy 404 PNG");
    assert_eq!(
        check(&gone, "hosted.fetch", CheckStatus::Fail).message,
        "The issuer's server no longer has this badge."
    );
    let offline = World::new();
    let legacy = run_path(
        &offline,
        &ob2.join("baked-png/mozbackpack_legacy_text_hosted_url.png"),
    );
    assert_verdict(&legacy, Verdict::Unverifiable, "legacy URL PNG offline");
    assert!(check(&legacy, "hosted.fetch", CheckStatus::Skip)
        .message
        .contains(
            "could not reach the issuer's server at example.org (no such host in the test world)"
        ));
    assert_eq!(
        offline.requested(),
        vec!["https://example.org/assertion".to_owned()]
    );

    // The validator-core heart: its id is not in the world.
    let heart = run_path(
        &world(&ob2),
        &ob2.join("baked-png/vcore_baked_heart_ob2.png"),
    );
    assert_verdict(&heart, Verdict::Invalid, "vcore heart (id answers 404)");
}

// ------------------------------------------------------------------ signed, generated

#[test]
fn a_tampered_payload_fails_the_signature() {
    let Some(ob2) = ob2() else { return };
    let jws = std::fs::read_to_string(ob2.join("signed/dcpv_simple.jwt")).unwrap();
    let payload = payload_of(&jws).replace("2016-12-31T23:59:59Z", "2016-12-31T23:59:58Z");
    let tampered = reforge(&jws, None, Some(&payload));
    let report = run(&world(&ob2), &inspect(tampered.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Invalid, "tampered");
    assert_eq!(
        check(&report, "signature.jws", CheckStatus::Fail).message,
        "The signature does not match: the badge was changed after it was signed, or it was signed with another key."
    );
}

#[test]
fn refused_algorithms_are_named_and_explained() {
    let Some(ob2) = ob2() else { return };
    let jws = std::fs::read_to_string(ob2.join("signed/dcpv_simple.jwt")).unwrap();
    let hs = reforge(&jws, Some(r#"{"typ":"JWT","alg":"HS256"}"#), None);
    let report = run(&world(&ob2), &inspect(hs.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Invalid, "HS256");
    assert_eq!(
        check(&report, "signature.jws", CheckStatus::Fail).message,
        "The badge's signature uses alg HS256, which Satchel refuses: anyone holding the key could forge it."
    );

    let parts: Vec<&str> = jws.trim().split('.').collect();
    let none = format!("{}.{}.", b64(r#"{"alg":"none"}"#), parts[1]);
    let w = world(&ob2);
    let report = run(&w, &inspect(none.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Invalid, "alg none");
    assert!(check(&report, "signature.jws", CheckStatus::Fail)
        .message
        .contains("uses alg none, which Satchel refuses"));
    // No key was fetched for a refused algorithm.
    assert!(!w.requested().iter().any(|u| u.contains("key1")));

    let lower = reforge(&jws, Some(r#"{"alg":"rs256"}"#), None);
    let report = run(&world(&ob2), &inspect(lower.as_bytes()).unwrap(), &[]);
    assert!(check(&report, "signature.jws", CheckStatus::Fail)
        .message
        .contains("case-sensitive"));
}

#[test]
fn a_badge_checked_against_another_issuers_key_is_invalid() {
    let Some(ob2) = ob2() else { return };
    let assets = ob2.join("hosted/assets");
    // The server at key1's address now serves key2 (owned by another issuer).
    let w = world(&ob2).serve(
        "http://example.org/key1.json",
        200,
        std::fs::read(assets.join("key2.json")).unwrap(),
    );
    let report = run_path(&w, &ob2.join("signed/dcpv_simple.jwt"));
    assert_verdict(&report, Verdict::Invalid, "key substituted");
    check(&report, "signature.jws", CheckStatus::Fail);
    assert_eq!(
        check(&report, "signature.issuer", CheckStatus::Fail).message,
        "The key this badge was signed with belongs to someone else, not to the badge's issuer."
    );

    // A key the issuer does not list: organization.json without publicKey.
    let org: serde_json::Value =
        serde_json::from_slice(&std::fs::read(assets.join("organization.json")).unwrap()).unwrap();
    let mut unlisted = org.clone();
    unlisted.as_object_mut().unwrap().remove("publicKey");
    let w = world(&ob2).serve(
        "https://example.org/organization.json",
        200,
        serde_json::to_vec(&unlisted).unwrap(),
    );
    let report = run_path(&w, &ob2.join("signed/dcpv_simple.jwt"));
    assert_verdict(&report, Verdict::Invalid, "key not listed");
    check(&report, "signature.jws", CheckStatus::Pass);
    assert!(check(&report, "signature.issuer", CheckStatus::Fail)
        .message
        .contains("does not list the key"));

    // Keys listed only in an embedded profile are not trusted: with the
    // issuer's server down, the key cannot be tied to the issuer.
    let w = world(&ob2).fail(
        "https://example.org/organization.json",
        FetchError::Timeout {
            url: "https://example.org/organization.json".to_owned(),
            seconds: 10,
        },
    );
    let report = run_path(&w, &ob2.join("signed/dcpv_simple.jwt"));
    assert_verdict(&report, Verdict::Unverifiable, "issuer profile unreachable");
    check(&report, "signature.jws", CheckStatus::Pass);
    check(&report, "signature.issuer", CheckStatus::Skip);
}

#[test]
fn an_unreachable_revocation_list_makes_a_signed_badge_unverifiable() {
    let Some(ob2) = ob2() else { return };
    let w = world(&ob2).fail(
        "http://example.org/revocation-list.json",
        FetchError::NotCached("http://example.org/revocation-list.json".to_owned()),
    );
    let report = run_path(&w, &ob2.join("signed/dcpv_simple-revoked.jwt"));
    assert_verdict(&report, Verdict::Unverifiable, "revocation list offline");
    assert!(!report.revoked);
    assert!(check(&report, "revocation.list", CheckStatus::Skip)
        .message
        .contains("Satchel is offline and has no saved copy"));
}

#[test]
fn legacy_revocation_entries_by_uid_count() {
    let Some(ob2) = ob2() else { return };
    // A 1.x-style list keyed by uid, and a 2.0 list with a legacy {uid} entry.
    for list in [
        r#"{"abc-123": "Issued in error"}"#,
        r#"{"type":"RevocationList","revokedAssertions":[{"uid":"abc-123","revocationReason":"Issued in error"}]}"#,
    ] {
        let w = world(&ob2).serve("http://example.org/revocation-list.json", 200, list);
        // dcpv_simple-revoked with a uid: the signature breaks, but revocation
        // is still reported (and beats everything).
        let jws = std::fs::read_to_string(ob2.join("signed/dcpv_simple-revoked.jwt")).unwrap();
        let payload = payload_of(&jws).replacen('{', r#"{"uid":"abc-123","#, 1);
        let forged = reforge(&jws, None, Some(&payload));
        let report = run(&w, &inspect(forged.as_bytes()).unwrap(), &[]);
        assert_verdict(&report, Verdict::Revoked, list);
        assert!(check(&report, "revocation.list", CheckStatus::Fail)
            .message
            .ends_with("Reason: Issued in error."));
    }
}

// ------------------------------------------------------------------ hosted, generated

fn hosted_assertion(id: &str) -> String {
    format!(
        r#"{{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"{id}",
        "recipient":{{"type":"email","hashed":true,"salt":"deadsea","identity":"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"}},
        "issuedOn":"2016-12-31T23:59:59Z","badge":"https://example.org/robotics-badge.json",
        "verification":{{"type":"hosted"}}}}"#
    )
}

const ID: &str = "https://example.org/awards/7";

#[test]
fn a_hosted_badge_the_server_revokes_is_revoked() {
    let Some(ob2) = ob2() else { return };
    let input = inspect(hosted_assertion(ID).as_bytes()).unwrap();

    let gone = world(&ob2).serve(
        ID,
        410,
        format!(r#"{{"id":"{ID}","revoked":true,"revocationReason":"Awarded by mistake"}}"#),
    );
    let report = run(&gone, &input, &[]);
    assert_verdict(&report, Verdict::Revoked, "410");
    assert_eq!(
        check(&report, "revocation.hosted", CheckStatus::Fail).message,
        "The issuer's server says this badge was revoked. Reason: Awarded by mistake."
    );

    let bare_410 = world(&ob2).serve(ID, 410, "Gone");
    let report = run(&bare_410, &input, &[]);
    assert_verdict(&report, Verdict::Revoked, "410 without body");
    assert_eq!(
        check(&report, "revocation.hosted", CheckStatus::Fail).message,
        "The issuer's server says this badge was revoked."
    );

    let flagged = world(&ob2).serve(ID, 200, format!(r#"{{"id":"{ID}","revoked":true}}"#));
    assert_verdict(
        &run(&flagged, &input, &[]),
        Verdict::Revoked,
        "revoked: true",
    );
}

#[test]
fn a_hosted_badge_that_is_gone_or_unreachable() {
    let Some(ob2) = ob2() else { return };
    let input = inspect(hosted_assertion(ID).as_bytes()).unwrap();

    let report = run(&world(&ob2), &input, &[]);
    assert_verdict(&report, Verdict::Invalid, "404");
    assert_eq!(
        check(&report, "hosted.fetch", CheckStatus::Fail).message,
        "The issuer's server no longer has this badge."
    );

    let down = world(&ob2).fail(
        ID,
        FetchError::Unreachable {
            url: ID.to_owned(),
            reason: "connection refused".to_owned(),
        },
    );
    let report = run(&down, &input, &[]);
    assert_verdict(&report, Verdict::Unverifiable, "unreachable");
    assert_eq!(
        check(&report, "hosted.fetch", CheckStatus::Skip).message,
        "Satchel could not check this badge with its issuer: could not reach the issuer's server at example.org (connection refused)."
    );

    let broken = world(&ob2).serve(ID, 503, "busy");
    assert_verdict(&run(&broken, &input, &[]), Verdict::Unverifiable, "503");

    let html = world(&ob2).serve(ID, 200, "<html><body>Welcome</body></html>");
    assert_verdict(
        &run(&html, &input, &[]),
        Verdict::Invalid,
        "HTML instead of a badge",
    );
}

#[test]
fn the_issuers_copy_is_authoritative() {
    let Some(ob2) = ob2() else { return };
    let presented = hosted_assertion(ID);
    let issuers = presented.replace("2016-12-31T23:59:59Z", "2016-12-30T10:00:00Z");
    let w = world(&ob2).serve(ID, 200, issuers);
    let report = run(&w, &inspect(presented.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "differing copy");
    let copy = check(&report, "hosted.copy", CheckStatus::Warn);
    assert_eq!(
        copy.message,
        "Your copy of the badge differs from the issuer's; Satchel checked the issuer's copy."
    );
    assert!(copy.detail.as_deref().unwrap().contains("issuedOn"));
    assert!(check(&report, "dates.start", CheckStatus::Pass)
        .message
        .contains("2016-12-30"));

    // A presented copy that hides its expiry is still checked as the issuer's.
    let expired = hosted_assertion(ID).replacen('{', r#"{"expires":"2020-01-01T00:00:00Z","#, 1);
    let w = world(&ob2).serve(ID, 200, expired);
    let report = run(&w, &inspect(presented.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Expired, "issuer's copy expired");
}

#[test]
fn a_hosted_badge_without_a_web_address_is_unverifiable() {
    let Some(ob2) = ob2() else { return };
    let doc = hosted_assertion("urn:uuid:6deb4a00-ebce-4b28-8cc2-afa705ef7be4");
    let report = run(&world(&ob2), &inspect(doc.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Unverifiable, "urn:uuid hosted");
    assert!(check(&report, "hosted.url", CheckStatus::Skip)
        .message
        .contains("urn:uuid:6deb4a00"));
}

#[test]
fn a_url_serving_a_baked_image_is_unbaked_and_followed() {
    let Some(ob2) = ob2() else { return };
    let image = std::fs::read(ob2.join("hosted/assets/robotics-badge.png")).unwrap();
    let baked = satchel::bake::bake(
        &image,
        &hosted_assertion(ID),
        satchel::bake::Slot::OpenBadges,
    )
    .unwrap();
    let w = world(&ob2)
        .serve("https://example.org/badge.png", 200, baked)
        .serve(ID, 200, hosted_assertion(ID));
    let input = satchel::inspect::inspect_text("https://example.org/badge.png").unwrap();
    let report = run(&w, &input, &[NOBODY]);
    assert_verdict(&report, Verdict::Verified, "URL → baked PNG → id");
    assert!(check(&report, "hosted.fetch", CheckStatus::Pass)
        .message
        .contains("baked into an image"));

    // An image whose badge is its own URL: no endless loop.
    let looped = satchel::bake::bake(
        &image,
        "https://example.org/loop.png",
        satchel::bake::Slot::OpenBadges,
    )
    .unwrap();
    let w = world(&ob2).serve("https://example.org/loop.png", 200, looped);
    let input = satchel::inspect::inspect_text("https://example.org/loop.png").unwrap();
    let report = run(&w, &input, &[]);
    assert_verdict(&report, Verdict::Unverifiable, "loop");
    assert!(w.requested().len() <= 2, "{:?}", w.requested());
}

#[test]
fn an_ob3_credential_at_the_address_is_handed_over() {
    let Some(ob2) = ob2() else { return };
    let ob3 = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
      "type":["VerifiableCredential","OpenBadgeCredential"],"id":"https://example.org/ob3",
      "issuer":{"id":"https://example.org/issuer","type":["Profile"],"name":"X"},"validFrom":"2024-01-01T00:00:00Z",
      "credentialSubject":{"type":["AchievementSubject"],"achievement":{"id":"https://example.org/a","type":["Achievement"],"name":"A","description":"d","criteria":{"narrative":"n"}}}}"#;
    let w = world(&ob2).serve("https://example.org/ob3", 200, ob3);
    let input = satchel::inspect::inspect_text("https://example.org/ob3").unwrap();
    let report = run(&w, &input, &[]);
    check(&report, "format.ob3", CheckStatus::Pass);
    assert_eq!(report.version, Some(satchel::detect::Version::V3_0));
}

// ------------------------------------------------------------------ recipient

#[test]
fn recipients_are_matched_against_the_users_identities() {
    let Some(ob2) = ob2() else { return };
    let path = ob2.join("signed/dcpv_simple.jwt");
    let input = inspect_path(&path).unwrap();
    let w = world(&ob2);

    let mine = run(&w, &input, &[NOBODY]);
    assert_eq!(mine.recipient_matched, Some(true));
    assert_eq!(
        mine.recipient_detail.as_deref(),
        Some("matched nobody@example.org (as given)")
    );
    assert_verdict(&mine, Verdict::Verified, "matching recipient");

    let cased = run(&w, &input, &["someone@else.org", "Nobody@Example.org"]);
    assert_eq!(
        cased.recipient_detail.as_deref(),
        Some("matched Nobody@Example.org (as lowercased)")
    );

    let theirs = run(&w, &input, &["someone@else.org"]);
    assert_eq!(theirs.recipient_matched, Some(false));
    assert_eq!(
        check(&theirs, "recipient", CheckStatus::Fail).message,
        "This badge was not issued to any of your identities."
    );
    assert_verdict(&theirs, Verdict::Invalid, "someone else's badge");

    let unasked = run(&w, &input, &[]);
    assert_eq!(unasked.recipient_matched, None);
    assert!(!unasked.checks.iter().any(|c| c.id == "recipient"));
}

// ------------------------------------------------------------------ legacy versions

#[test]
fn an_ob1_0_hosted_badge_with_its_badge_class_and_issuer() {
    let Some(ob2) = ob2() else { return };
    let legacy = ob2.join("legacy");
    let read = |f: &str| std::fs::read(legacy.join(f)).unwrap();
    let w = World::new()
        .serve(
            "http://a.com/instance",
            200,
            read("vcore_1_0_basic_assertion.json"),
        )
        .serve(
            "http://a.com/badgeclass",
            200,
            read("vcore_1_0_basic_badgeclass.json"),
        )
        .serve(
            "http://a.com/issuer",
            200,
            read("vcore_1_0_basic_issuer.json"),
        );
    let input = inspect_path(&legacy.join("vcore_1_0_basic_assertion.json")).unwrap();
    let report = run(&w, &input, &["test@example.com"]);
    assert_verdict(&report, Verdict::Verified, "1.0 hosted");
    assert_eq!(report.version, Some(satchel::detect::Version::V1_0));
    check(&report, "hosted.scope", CheckStatus::Pass);
    assert_eq!(report.recipient_matched, Some(true));
    assert_eq!(report.badge_name.as_deref(), Some("Basic Badge"));

    // A bare-string recipient where 1.0 wants an identity object.
    let errors = inspect_path(&legacy.join("vcore_1_0_assertion_with_errors.json")).unwrap();
    let report = run(&World::new(), &errors, &[]);
    assert_verdict(&report, Verdict::Invalid, "1.0 with errors");
    check(&report, "assertion.recipient", CheckStatus::Fail);
}

#[test]
fn ob1_1_and_ob0_5_badges() {
    let Some(ob2) = ob2() else { return };
    let path = ob2.join("legacy/vcore_1_1_basic_assertion.json");
    let w = world_with_self(&ob2, &path);
    let report = run(&w, &inspect_path(&path).unwrap(), &[NOBODY]);
    assert_verdict(&report, Verdict::Verified, "1.1 hosted");
    check(&report, "assertion.context", CheckStatus::Pass);

    // 0.5 JSON on its own has no address to check it at …
    let old = ob2.join("legacy/vcore_0_5_assertion.json");
    let report = run(
        &World::new(),
        &inspect_path(&old).unwrap(),
        &["test@example.com"],
    );
    assert_verdict(&report, Verdict::Unverifiable, "0.5 without its URL");
    check(&report, "hosted.url", CheckStatus::Skip);
    assert_eq!(report.recipient_matched, Some(true));
    // … but the URL it was baked with is checked on the issuer's origin.
    let w = World::new().serve("http://oldstyle.com/a/1", 200, std::fs::read(&old).unwrap());
    let input = satchel::inspect::inspect_text("http://oldstyle.com/a/1").unwrap();
    let report = run(&w, &input, &[]);
    assert_verdict(&report, Verdict::Verified, "0.5 at its URL");
    check(&report, "hosted.scope", CheckStatus::Pass);
    assert_eq!(report.version, Some(satchel::detect::Version::V0_5));
}

#[test]
fn a_signed_badge_without_its_signature_is_unverifiable() {
    let Some(ob2) = ob2() else { return };
    let jws = std::fs::read_to_string(ob2.join("signed/dcpv_simple.jwt")).unwrap();
    let report = run(
        &world(&ob2),
        &inspect(payload_of(&jws).as_bytes()).unwrap(),
        &[],
    );
    assert_verdict(&report, Verdict::Unverifiable, "signed JSON without JWS");
    assert_eq!(report.format, BadgeFormat::Signed);
    check(&report, "signature.jws", CheckStatus::Skip);
}

#[test]
fn documents_that_are_not_awards_are_not_verified() {
    let Some(ob2) = ob2() else { return };
    let class = ob2.join("hosted/assets/robotics-badge.json");
    let report = run_path(&World::new(), &class);
    assert_verdict(&report, Verdict::Unverifiable, "a BadgeClass");
    assert!(check(&report, "assertion.kind", CheckStatus::Skip)
        .message
        .contains("not a badge awarded to someone"));
}

// ------------------------------------------------------------------ keys and JWS

#[test]
fn keys_load_from_spki_pkcs1_and_jwk() {
    let Some(ob2) = ob2() else { return };
    let key1: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ob2.join("hosted/assets/key1.json")).unwrap())
            .unwrap();
    let spki_pem = key1["publicKeyPem"].as_str().unwrap();
    let spki = PublicKey::from_pem(spki_pem).unwrap();
    assert_eq!(spki.describe(), "RSA 2048-bit");
    let token = std::fs::read_to_string(ob2.join("signed/dcpv_simple.jwt")).unwrap();
    let jws = satchel::jws::decode(&token).unwrap();
    assert_eq!(crypto::allowed_alg(&jws), Ok(JwsAlg::Rs256));
    assert_eq!(crypto::verify_jws(&jws, &spki), Ok(()));

    // The same key as PKCS#1: the SPKI DER minus its 24-byte header.
    let body: String = spki_pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = STANDARD.decode(body).unwrap();
    let pkcs1 = STANDARD.encode(&der[24..]);
    let pem = format!("-----BEGIN RSA PUBLIC KEY-----\n{pkcs1}\n-----END RSA PUBLIC KEY-----\n");
    assert_eq!(
        crypto::verify_jws(&jws, &PublicKey::from_pem(&pem).unwrap()),
        Ok(())
    );

    // key2 is another key: the signature does not match.
    let key2: serde_json::Value =
        serde_json::from_slice(&std::fs::read(ob2.join("hosted/assets/key2.json")).unwrap())
            .unwrap();
    let other = PublicKey::from_pem(key2["publicKeyPem"].as_str().unwrap()).unwrap();
    assert_eq!(crypto::verify_jws(&jws, &other), Err(CryptoError::Mismatch));

    // The Mozilla bakery's test key reads too.
    let moz = std::fs::read_to_string(ob2.join("signed/mozbakery_rsa-public.pem")).unwrap();
    assert_eq!(
        PublicKey::from_pem(&moz).unwrap().kind(),
        crypto::KeyKind::Rsa
    );
}

#[test]
fn es256_from_rfc7515_verifies_and_the_wrong_key_type_is_refused() {
    // RFC 7515 appendix A.3.
    let jwk = serde_json::json!({"kty":"EC","crv":"P-256",
        "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
    let key = PublicKey::from_jwk(&jwk).unwrap();
    let token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    let jws = satchel::jws::decode(token).unwrap();
    assert_eq!(crypto::verify_jws(&jws, &key), Ok(()));
    let with_d = serde_json::json!({"kty":"EC","crv":"P-256",
        "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
        "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"});
    assert_eq!(
        PublicKey::from_jwk(&with_d).unwrap_err(),
        CryptoError::PrivateKey
    );
    let ed = PublicKey::from_jwk(&serde_json::json!({"kty":"OKP","crv":"Ed25519",
        "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}))
    .unwrap();
    assert_eq!(
        crypto::verify_jws(&jws, &ed).unwrap_err().to_string(),
        "the signature uses ES256, but the key is an Ed25519 key"
    );
}

// ------------------------------------------------------------------ generated issuers (Ed25519)

/// An issuer of our own at https://issuer.test, signing with Ed25519 (the
/// one algorithm a private key is available for in tests).
struct Issuer {
    key: ed25519_dalek::SigningKey,
}

const ISSUER: &str = "https://issuer.test/issuer";
const KEY: &str = "https://issuer.test/key";

impl Issuer {
    fn new() -> Issuer {
        Issuer {
            key: ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]),
        }
    }

    /// The public key as SPKI PEM.
    fn pem(&self) -> String {
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(self.key.verifying_key().as_bytes());
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            STANDARD.encode(der)
        )
    }

    fn sign(&self, payload: &str) -> String {
        use ed25519_dalek::Signer;
        let input = format!("{}.{}", b64(r#"{"alg":"EdDSA"}"#), b64(payload));
        let sig = self.key.sign(input.as_bytes());
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(sig.to_bytes()))
    }

    /// The issuer's site: profile, key, badge class, revocation list.
    fn world(&self, revoked: &str) -> World {
        let profile = serde_json::json!({
            "@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": ISSUER,
            "name": "Test Issuer", "url": "https://issuer.test", "email": "badges@issuer.test",
            "publicKey": KEY, "revocationList": "https://issuer.test/revoked"});
        let key = serde_json::json!({
            "@context": "https://w3id.org/openbadges/v2", "type": "CryptographicKey", "id": KEY,
            "owner": ISSUER, "publicKeyPem": self.pem()});
        let class = serde_json::json!({
            "@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass",
            "id": "https://issuer.test/badge", "name": "Test Badge", "description": "d",
            "image": "https://issuer.test/badge.png", "criteria": {"narrative": "Do it."},
            "issuer": ISSUER});
        World::new()
            .serve(ISSUER, 200, profile.to_string())
            .serve(KEY, 200, key.to_string())
            .serve("https://issuer.test/badge", 200, class.to_string())
            .serve("https://issuer.test/revoked", 200, revoked)
    }
}

fn signed_assertion(extra: &str) -> String {
    format!(
        r#"{{"@context":"https://w3id.org/openbadges/v2","type":"Assertion",
        "id":"urn:uuid:0b8e1b4e-7ff1-4b0a-9d4e-2f6a5c1d3e10",
        "recipient":{{"type":"email","hashed":false,"identity":"ada@example.org"}},
        "badge":"https://issuer.test/badge","issuedOn":"2024-05-01T12:00:00Z",
        {extra}"verification":{{"type":"SignedBadge","creator":"{KEY}"}}}}"#
    )
}

const EMPTY_LIST: &str = r#"{"type":"RevocationList","revokedAssertions":[]}"#;

#[test]
fn an_ed25519_signed_ob2_badge_of_our_own_issuer() {
    let issuer = Issuer::new();
    let w = issuer.world(EMPTY_LIST);
    let jws = issuer.sign(&signed_assertion(""));
    let report = run(&w, &inspect(jws.as_bytes()).unwrap(), &["ADA@example.org"]);
    assert_verdict(&report, Verdict::Verified, "EdDSA signed");
    check(&report, "signature.issuer", CheckStatus::Pass);
    assert_eq!(
        report.recipient_detail.as_deref(),
        Some("matched ADA@example.org (as lowercased)")
    );

    // Expired, but authentic: expired, not invalid.
    let jws = issuer.sign(&signed_assertion(r#""expires":"2024-12-31T00:00:00Z","#));
    let report = run(&w, &inspect(jws.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Expired, "EdDSA signed, expired");
    check(&report, "signature.jws", CheckStatus::Pass);

    // Revoked by its urn:uuid id (a bare string entry).
    let list = r#"{"type":"RevocationList","revokedAssertions":["urn:uuid:0b8e1b4e-7ff1-4b0a-9d4e-2f6a5c1d3e10"]}"#;
    let jws = issuer.sign(&signed_assertion(""));
    let report = run(&issuer.world(list), &inspect(jws.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Revoked, "EdDSA signed, revoked");
    assert_eq!(
        check(&report, "revocation.list", CheckStatus::Fail).message,
        "The issuer has revoked this badge."
    );
}

#[test]
fn without_a_creator_the_issuers_listed_keys_are_tried() {
    let issuer = Issuer::new();
    let w = issuer.world(EMPTY_LIST);
    let payload = signed_assertion("").replace(&format!(r#","creator":"{KEY}""#), "");
    let report = run(&w, &inspect(issuer.sign(&payload).as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "no creator");
    assert!(check(&report, "signature.key", CheckStatus::Pass)
        .message
        .contains("among the keys the issuer's profile lists"));

    // Signed with another key: none of the issuer's keys matches.
    let stranger = Issuer {
        key: ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]),
    };
    let report = run(
        &w,
        &inspect(stranger.sign(&payload).as_bytes()).unwrap(),
        &[],
    );
    assert_verdict(&report, Verdict::Invalid, "no creator, foreign key");
    assert!(check(&report, "signature.jws", CheckStatus::Fail)
        .message
        .starts_with("The signature does not match any of the issuer's keys"));
}

#[test]
fn a_key_of_the_wrong_type_is_refused() {
    let Some(ob2) = ob2() else { return };
    let issuer = Issuer::new();
    // The key address serves the RSA key1 instead of the Ed25519 key.
    let key1 = std::fs::read_to_string(ob2.join("hosted/assets/key1.json")).unwrap();
    let key1 = key1
        .replace("http://example.org/key1.json", KEY)
        .replace("https://example.org/organization.json", ISSUER);
    let w = issuer.world(EMPTY_LIST).serve(KEY, 200, key1);
    let report = run(
        &w,
        &inspect(issuer.sign(&signed_assertion("")).as_bytes()).unwrap(),
        &[],
    );
    assert_verdict(&report, Verdict::Invalid, "EdDSA signature, RSA key");
    assert_eq!(
        check(&report, "signature.jws", CheckStatus::Fail).message,
        "The signature uses EdDSA, but the key is an RSA key."
    );
}

#[test]
fn an_ob1_1_signed_badge_with_a_pem_key_and_a_uid_revocation_list() {
    let issuer = Issuer::new();
    let payload = |uid: &str| {
        format!(
            r#"{{"@context":"https://w3id.org/openbadges/v1","type":"Assertion","uid":"{uid}",
            "recipient":{{"type":"email","hashed":false,"identity":"ada@example.org"}},
            "badge":"https://issuer.test/badge-1x","issuedOn":1714564800,
            "verify":{{"type":"signed","url":"https://issuer.test/key.pem"}}}}"#
        )
    };
    let class = r#"{"@context":"https://w3id.org/openbadges/v1","type":"BadgeClass","name":"Old Badge",
        "description":"d","image":"https://issuer.test/b.png","criteria":"https://issuer.test/c",
        "issuer":"https://issuer.test/org"}"#;
    let org = r#"{"@context":"https://w3id.org/openbadges/v1","type":"Issuer","name":"Old Issuer",
        "url":"https://issuer.test","revocationList":"https://issuer.test/revoked-1x"}"#;
    let w = World::new()
        .serve("https://issuer.test/key.pem", 200, issuer.pem())
        .serve("https://issuer.test/badge-1x", 200, class)
        .serve("https://issuer.test/org", 200, org)
        .serve(
            "https://issuer.test/revoked-1x",
            200,
            r#"{"abc": "Issued in error"}"#,
        );

    let kept = run(
        &w,
        &inspect(issuer.sign(&payload("xyz")).as_bytes()).unwrap(),
        &[],
    );
    assert_verdict(&kept, Verdict::Verified, "1.1 signed");
    assert_eq!(kept.version, Some(satchel::detect::Version::V1_1));
    check(&kept, "signature.issuer", CheckStatus::Pass);
    check(&kept, "revocation.list", CheckStatus::Pass);

    let revoked = run(
        &w,
        &inspect(issuer.sign(&payload("abc")).as_bytes()).unwrap(),
        &[],
    );
    assert_verdict(&revoked, Verdict::Revoked, "1.1 signed, revoked");
    assert_eq!(
        check(&revoked, "revocation.list", CheckStatus::Fail).message,
        "The issuer has revoked this badge. Reason: Issued in error."
    );
}

// ------------------------------------------------------------------ over real HTTP (loopback)

mod loopback {
    use super::{check, dump, opts, NOBODY};
    use crate::server::{Route, TestServer};
    use satchel::fetch::{HttpFetch, NetPolicy};
    use satchel::inspect::inspect_text;
    use satchel::verify::{verify, CheckStatus, Report, Verdict};
    use std::time::Duration;

    fn local() -> NetPolicy {
        NetPolicy {
            allow_private: true,
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(2),
            ..NetPolicy::default()
        }
    }

    const ASSERTION: &str = r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion",
      "id":"{{base}}/a.json","recipient":{"type":"email","hashed":true,"salt":"deadsea",
      "identity":"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"},
      "issuedOn":"2016-12-31T23:59:59Z","badge":"{{base}}/badge.json","verification":{"type":"hosted"}}"#;
    const BADGE: &str = r#"{"@context":"https://w3id.org/openbadges/v2","type":"BadgeClass",
      "id":"{{base}}/badge.json","name":"Loopback Badge","description":"d","image":"{{base}}/b.png",
      "criteria":{"narrative":"n"},"issuer":"{{base}}/issuer.json"}"#;
    const ISSUER: &str = r#"{"@context":"https://w3id.org/openbadges/v2","type":"Issuer",
      "id":"{{base}}/issuer.json","name":"Loopback Issuer","url":"{{base}}/","email":"i@example.org"}"#;

    fn server(extra: Vec<(&str, Route)>) -> TestServer {
        let mut routes = vec![
            ("/a.json", Route::json(ASSERTION)),
            ("/badge.json", Route::json(BADGE)),
            ("/issuer.json", Route::json(ISSUER)),
        ];
        routes.extend(extra);
        TestServer::start(routes)
    }

    fn verify_url(url: &str, policy: NetPolicy) -> Report {
        let input = inspect_text(url).unwrap();
        verify(&input, &HttpFetch::new(policy), &opts(&[NOBODY]))
    }

    #[test]
    fn a_hosted_badge_over_http_fetches_each_document_once() {
        let server = server(vec![("/old", Route::redirect("/a.json"))]);
        let report = verify_url(&server.url("/a.json"), local());
        assert_eq!(report.status, Verdict::Verified, "{}", dump(&report));
        assert_eq!(report.badge_name.as_deref(), Some("Loopback Badge"));
        assert_eq!(report.issuer.as_deref(), Some("Loopback Issuer"));
        check(&report, "hosted.scope", CheckStatus::Pass);
        for path in ["/a.json", "/badge.json", "/issuer.json"] {
            assert_eq!(server.count(path), 1, "{path}: {:?}", server.requests());
        }
        // Through a redirect, the declared id is the final address: fine.
        let report = verify_url(&server.url("/old"), local());
        assert_eq!(report.status, Verdict::Verified, "{}", dump(&report));
    }

    #[test]
    fn gone_missing_and_silent_servers() {
        let server = server(vec![(
            "/gone",
            Route::new(
                410,
                "application/json",
                r#"{"revoked":true,"revocationReason":"Duplicate award"}"#,
            ),
        )]);
        let revoked = verify_url(&server.url("/gone"), local());
        assert_eq!(revoked.status, Verdict::Revoked, "{}", dump(&revoked));
        assert!(check(&revoked, "revocation.hosted", CheckStatus::Fail)
            .message
            .ends_with("Reason: Duplicate award."));

        let missing = verify_url(&server.url("/missing.json"), local());
        assert_eq!(missing.status, Verdict::Invalid, "{}", dump(&missing));

        server.set("/hang", Route::never_answer());
        let silent = verify_url(&server.url("/hang"), local());
        assert_eq!(silent.status, Verdict::Unverifiable, "{}", dump(&silent));
        check(&silent, "hosted.fetch", CheckStatus::Skip);

        // The default policy refuses loopback: unverifiable, never invalid.
        let refused = verify_url(&server.url("/a.json"), NetPolicy::default());
        assert_eq!(refused.status, Verdict::Unverifiable, "{}", dump(&refused));
    }

    #[test]
    fn a_closed_port_is_unverifiable() {
        let url = {
            let server = TestServer::start(Vec::<(String, Route)>::new());
            server.url("/a.json")
        };
        let report = verify_url(&url, local());
        assert_eq!(report.status, Verdict::Unverifiable, "{}", dump(&report));
        assert!(check(&report, "hosted.fetch", CheckStatus::Skip)
            .message
            .contains("could not reach the issuer's server at 127.0.0.1:"));
    }
}

// ------------------------------------------------------------ endorsements

/// An OB 2.0 Endorsement of `claim_id` by the corpus issuer `issuer1.json`,
/// hosted at `id`.
fn endorsement_doc(id: &str, claim_id: &str, extra: &str) -> String {
    format!(
        r#"{{"@context":"https://w3id.org/openbadges/v2","id":"{id}","type":"Endorsement",
        "claim":{{"id":"{claim_id}","endorsementComment":"Solid work"}},
        "issuedOn":"2017-10-01T00:00:00Z","issuer":"https://example.org/issuer1.json",
        "verification":{{"type":"HostedBadge"}}{extra}}}"#
    )
}

#[test]
fn the_corpus_endorsements_are_fetched_and_verified_as_their_own_documents() {
    let Some(ob2) = ob2() else { return };
    let file = ob2.join("hosted/assertion-with-endorsements.json");
    let w = world_with_self(&ob2, &file);
    let report = run_path(&w, &file);
    assert_verdict(&report, Verdict::Verified, "assertion-with-endorsements");
    // Two on the assertion, two on its BadgeClass (fetched from its address).
    for (n, of) in [
        (1, "this badge"),
        (2, "this badge"),
        (3, "the badge description"),
        (4, "the badge description"),
    ] {
        let c = check(&report, &format!("endorsement.{n}"), CheckStatus::Pass);
        assert!(
            c.message.starts_with(&format!(
                "The endorsement of {of} by Example Issuer is verified"
            )),
            "{}",
            c.message
        );
        assert!(c
            .detail
            .as_deref()
            .unwrap()
            .contains("endorsement.fields (pass)"));
    }
    let fetched = w.requested();
    for n in 1..=4 {
        let url = format!("https://example.org/endorsement-{n}.json");
        assert!(fetched.contains(&url), "{url} not fetched: {fetched:?}");
    }
    // The endorser's profile was fetched from its own address.
    assert!(fetched
        .iter()
        .any(|u| u == "http://example.org/issuer1.json"));
}

#[test]
fn a_bad_or_unreachable_endorsement_is_a_warning_not_a_failure() {
    let Some(ob2) = ob2() else { return };
    let e_gone = "https://example.org/e-gone.json";
    let e_down = "https://endorser.example/e.json";
    let e_elsewhere = "https://example.org/e-elsewhere.json";
    let e_not_endorsement = "https://example.org/robotics-badge.json";
    let e_expired = "https://example.org/e-expired.json";
    let mut doc: serde_json::Value = serde_json::from_str(&hosted_assertion(ID)).unwrap();
    doc["endorsement"] = serde_json::json!([
        e_gone,
        e_down,
        e_elsewhere,
        e_not_endorsement,
        e_expired,
        42
    ]);
    let body = serde_json::to_string(&doc).unwrap();
    let w = world(&ob2)
        .serve(ID, 200, body.clone())
        .serve(e_gone, 404, "Not Found")
        // An endorser whose profile is on another site than the endorsement.
        .serve(
            e_elsewhere,
            200,
            endorsement_doc(e_elsewhere, ID, "")
                .replace("https://example.org/issuer1.json", "https://endorser.example/profile"),
        )
        .serve(
            "https://endorser.example/profile",
            200,
            r#"{"@context":"https://w3id.org/openbadges/v2","id":"https://endorser.example/profile","type":"Profile","name":"Far Away Guild","url":"https://endorser.example","email":"guild@endorser.example"}"#,
        )
        .serve(
            e_expired,
            200,
            endorsement_doc(e_expired, ID, r#","expires":"2018-01-01T00:00:00Z""#),
        );
    let report = run(&w, &inspect(body.as_bytes()).unwrap(), &[]);
    // The badge itself is fine: endorsements only add warnings.
    assert_verdict(&report, Verdict::Verified, "badge with bad endorsements");
    let gone = check(&report, "endorsement.1", CheckStatus::Warn);
    assert_eq!(
        gone.message,
        "The endorsement of this badge by an unnamed endorser is not valid: the endorser's server no longer has the endorsement."
    );
    let down = check(&report, "endorsement.2", CheckStatus::Warn);
    assert!(
        down.message.starts_with(
            "Satchel could not verify the endorsement of this badge by an unnamed endorser: Satchel could not check the endorsement with its endorser"
        ),
        "{}",
        down.message
    );
    // Hosted on example.org, by an endorser whose profile is on endorser.example.
    let elsewhere = check(&report, "endorsement.3", CheckStatus::Warn);
    assert!(
        elsewhere
            .message
            .starts_with("The endorsement of this badge by Far Away Guild is not valid: "),
        "{}",
        elsewhere.message
    );
    assert!(elsewhere
        .detail
        .as_deref()
        .unwrap()
        .contains("hosted.scope (fail)"));
    check(&report, "endorsement.4", CheckStatus::Warn);
    let expired = check(&report, "endorsement.5", CheckStatus::Warn);
    assert!(
        expired.message.ends_with("has expired."),
        "{}",
        expired.message
    );
    let junk = check(&report, "endorsement.6", CheckStatus::Warn);
    assert!(
        junk.message
            .contains("neither a web address nor an endorsement"),
        "{}",
        junk.message
    );
    assert!(report
        .checks
        .iter()
        .all(|c| !c.id.starts_with("endorsement") || c.status == CheckStatus::Warn));
}

#[test]
fn embedded_endorsements_and_a_cap_on_how_many_are_checked() {
    let Some(ob2) = ob2() else { return };
    let hosted_at = "https://example.org/e-embedded.json";
    let embedded: serde_json::Value =
        serde_json::from_str(&endorsement_doc(hosted_at, ID, "")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&hosted_assertion(ID)).unwrap();
    let mut list = vec![embedded.clone()];
    list.extend((0..11).map(|_| embedded.clone()));
    doc["endorsement"] = serde_json::Value::Array(list);
    let body = serde_json::to_string(&doc).unwrap();
    let w = world(&ob2).serve(ID, 200, body.clone()).serve(
        hosted_at,
        200,
        endorsement_doc(hosted_at, ID, ""),
    );
    let report = run(&w, &inspect(body.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "embedded endorsements");
    // The embedded copy is checked at its own address, once per run of the fetcher.
    let c = check(&report, "endorsement.1", CheckStatus::Pass);
    assert!(
        c.message.contains("It says: “Solid work”."),
        "{}",
        c.message
    );
    check(&report, "endorsement.10", CheckStatus::Pass);
    assert!(report.checks.iter().all(|c| c.id != "endorsement.11"));
    let capped = check(&report, "endorsement", CheckStatus::Warn);
    assert!(
        capped.message.contains("12 endorsements"),
        "{}",
        capped.message
    );
}

// -------------------------------------------------------------- extensions

const EXAMPLE_CONTEXT: &str =
    "https://w3id.org/openbadges/extensions/exampleExtension/context.json";
const EXAMPLE_SCHEMA: &str = "https://openbadgespec.org/extensions/exampleExtension/schema.json";

/// A hosted assertion at [`ID`] carrying `extension` under `extensions:exampleExtension`.
fn with_extension(extension: serde_json::Value) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&hosted_assertion(ID)).unwrap();
    doc["extensions:exampleExtension"] = extension;
    serde_json::to_string(&doc).unwrap()
}

fn example_extension(value: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "@context": EXAMPLE_CONTEXT,
        "type": ["Extension", "extensions:ExampleExtension"],
        "http://schema.org/text": value
    })
}

#[test]
fn extensions_are_checked_against_the_schema_their_context_names() {
    let Some(ob2) = ob2() else { return };
    // A full IRI property is renamed to the context's term before validation.
    let good = with_extension(example_extension(serde_json::json!("short and sweet")));
    let w = world(&ob2).serve(ID, 200, good.clone());
    let report = run(&w, &inspect(good.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "valid extension");
    let c = check(&report, "extension.1", CheckStatus::Pass);
    assert_eq!(
        c.message,
        "The exampleExtension extension of the badge matches its schema."
    );
    assert!(w.requested().iter().any(|u| u == EXAMPLE_SCHEMA));

    // Missing its required property, written with the term.
    let bad = with_extension(serde_json::json!({
        "@context": EXAMPLE_CONTEXT,
        "type": ["Extension", "extensions:ExampleExtension"],
        "exampleProprety": "typo"
    }));
    let w = world(&ob2).serve(ID, 200, bad.clone());
    let report = run(&w, &inspect(bad.as_bytes()).unwrap(), &[]);
    assert_verdict(
        &report,
        Verdict::Invalid,
        "extension without its required property",
    );
    let c = check(&report, "extension.1", CheckStatus::Fail);
    assert!(
        c.message
            .contains("\"exampleProperty\" is a required property"),
        "{}",
        c.message
    );
}

#[test]
fn an_extension_that_cannot_be_checked_is_a_warning() {
    let Some(ob2) = ob2() else { return };
    let doc = with_extension(example_extension(serde_json::json!("text")));
    // The schema's host is down.
    let w = world(&ob2).serve(ID, 200, doc.clone()).fail(
        EXAMPLE_SCHEMA,
        FetchError::Unreachable {
            url: EXAMPLE_SCHEMA.to_owned(),
            reason: "connection refused".to_owned(),
        },
    );
    let report = run(&w, &inspect(doc.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "schema unreachable");
    let c = check(&report, "extension.1", CheckStatus::Warn);
    assert!(
        c.message
            .starts_with("The exampleExtension extension of the badge could not be fully checked"),
        "{}",
        c.message
    );

    // A schema that points elsewhere is not followed (no resolver), and says so.
    let w = world(&ob2).serve(ID, 200, doc.clone()).serve(
        EXAMPLE_SCHEMA,
        200,
        r#"{"$schema":"http://json-schema.org/draft-04/schema#","$ref":"https://evil.example/schema.json"}"#,
    );
    let report = run(&w, &inspect(doc.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "schema with a remote $ref");
    let c = check(&report, "extension.1", CheckStatus::Warn);
    assert!(
        c.detail.as_deref().unwrap().contains("cannot be used"),
        "{:?}",
        c.detail
    );
    assert!(!w.requested().iter().any(|u| u.contains("evil.example")));

    // A schema that is not JSON.
    let w = world(&ob2)
        .serve(ID, 200, doc.clone())
        .serve(EXAMPLE_SCHEMA, 200, "<html>");
    let report = run(&w, &inspect(doc.as_bytes()).unwrap(), &[]);
    check(&report, "extension.1", CheckStatus::Warn);

    // An extension whose context names no schema: said, not checked.
    let plain =
        with_extension(serde_json::json!({"type": ["Extension", "extensions:Other"], "x": 1}));
    let w = world(&ob2).serve(ID, 200, plain.clone());
    let report = run(&w, &inspect(plain.as_bytes()).unwrap(), &[]);
    assert_verdict(&report, Verdict::Verified, "extension without a schema");
    let c = check(&report, "assertion.extensions", CheckStatus::Warn);
    assert!(
        c.message.contains("exampleExtension (the badge)"),
        "{}",
        c.message
    );
}
