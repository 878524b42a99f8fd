//! Tests as data: every file of the shared corpus of real public badges is
//! inspected, and the result is compared with `tests/data/corpus.expected`.
//!
//! Regenerate with `UPDATE_EXPECT=1 cargo test corpus` and review the diff
//! like code: each line says what Satchel concludes about one file.

use satchel::inspect::{inspect_path, Inspection};

fn describe(found: &Inspection) -> String {
    let mut parts = Vec::new();
    match &found.baked {
        Some(b) => parts.push(format!(
            "{} {} -> {}",
            found.container,
            b.location.split(" (").next().unwrap_or(""),
            found.payload_kind
        )),
        None => parts.push(found.container.to_string()),
    }
    let version = found
        .version
        .map(|v| v.to_string())
        .unwrap_or_else(|| "?".into());
    let mut kind = format!("{version} {}", found.kind);
    if let Some(vcdm) = found.vcdm {
        kind.push_str(&format!(
            " vcdm={}",
            serde_json::to_value(vcdm).unwrap().as_str().unwrap()
        ));
    }
    if let Some(alg) = &found.jws_alg {
        kind.push_str(&format!(" alg={alg}"));
    }
    parts.push(kind);
    if let Some(name) = found.badge.as_ref().and_then(|b| b.name.as_ref()) {
        parts.push(format!("{name:?}"));
    }
    if found.document.is_none() {
        parts.push(format!(
            "url={}",
            satchel::detect::trim_text(&found.payload)
        ));
    }
    if !found.warnings.is_empty() {
        parts.push(format!("warnings={}", found.warnings.len()));
    }
    parts.join(" | ")
}

#[test]
fn every_corpus_file_is_read_as_expected() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let mut files = Vec::new();
    files.extend(crate::support::files_under(&root));
    assert!(
        files.len() > 250,
        "the corpus looks incomplete: {} files",
        files.len()
    );
    let mut actual = String::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let line = match inspect_path(f) {
            Ok(found) => describe(&found),
            Err(e) => format!("ERROR {}", e),
        };
        actual.push_str(&format!("{rel}: {line}\n"));
    }
    crate::support::check_expectation("corpus.expected", &actual);
}

/// The extraction results SOURCES.md states for the corpus's images, checked
/// one by one (independently of the expectation file).
#[test]
fn corpus_images_extract_what_sources_md_says() {
    use satchel::bake::Slot;
    use satchel::inspect::{unbake_path, InspectError};
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let payload = |rel: &str| unbake_path(&root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let not_baked = |rel: &str| {
        let e = unbake_path(&root.join(rel)).unwrap_err();
        assert!(matches!(e, InspectError::NotBaked(..)), "{rel}: {e}");
    };

    let u = payload("ob2/baked-png/csbakery_baked_heart_ob1.png");
    assert!(u.payload.starts_with(r#"{"uid":"123""#), "{}", u.payload);
    assert!(payload("ob2/baked-png/dcpv_simple-badge_ob2.png")
        .payload
        .contains("\"@context\""));
    assert!(payload("ob2/baked-png/vcore_baked_heart_ob2.png")
        .payload
        .contains("https://example.org/beths-robotics-badge.json"));
    assert_eq!(
        payload("ob2/baked-png/mozbackpack_legacy_text_hosted_url.png").payload,
        "https://example.org/assertion"
    );
    assert_eq!(
        payload("ob2/baked-png/mozbackpack_legacy_text_url_404.png").payload,
        "https://example.org/404"
    );
    not_baked("ob2/baked-png/csbakery_public_domain_heart_unbaked.png");
    not_baked("ob2/baked-png/mozbakery_unbaked.png");
    not_baked("invalid/dcc_qr_code_not_baked.png");

    let u = payload("ob2/baked-svg/csbakery_baked_example.svg");
    assert_eq!(
        u.verify_attribute.as_deref(),
        Some("https://example.org/assertion.json")
    );
    let u = payload("ob2/baked-svg/mozbakery_baked.svg");
    let v: serde_json::Value = serde_json::from_str(&u.payload).unwrap();
    assert_eq!(v["verify"]["url"], "http://example.org");
    assert_eq!(
        payload("ob2/baked-svg/mozbakery_no-json.svg").payload,
        "http://example.org"
    );
    not_baked("ob2/baked-svg/csbakery_unbaked_example.svg");
    not_baked("ob2/baked-svg/mozbakery_unbaked.svg");
    let u = payload("invalid/mozbakery_bad-json.svg");
    assert!(serde_json::from_str::<serde_json::Value>(&u.payload).is_err());
    assert_eq!(u.verify_attribute.as_deref(), Some("http://example.org"));

    for rel in [
        "ob3/1edtech-validator/simple-json.png",
        "ob3/1edtech-validator/simple-json.svg",
    ] {
        let u = payload(rel);
        assert_eq!(u.slot, Slot::OpenBadgeCredential, "{rel}");
        assert!(u.payload.trim_start().starts_with('{'), "{rel}");
    }
    for rel in [
        "ob3/1edtech-validator/simple-jwt.png",
        "ob3/1edtech-validator/simple-jwt.svg",
        "ob3/1edtech-validator/simple-jwt_v1.png",
        "ob3/1edtech-validator/simple-jwt_v1.svg",
    ] {
        let u = payload(rel);
        assert_eq!(u.slot, Slot::OpenBadgeCredential, "{rel}");
        assert!(
            satchel::jws::decode(&u.payload).is_ok(),
            "{rel}: {}",
            u.payload
        );
    }
    // Not an image at all.
    assert!(matches!(
        unbake_path(&root.join("invalid/vcore_heart.jpg")).unwrap_err(),
        InspectError::NotABadge(_)
    ));
}
