//! SVG baking and unbaking: the real fixtures, round trips in every slot,
//! byte-for-byte preservation, and hostile documents.

use satchel::bake::{
    bake, bake_svg, is_svg, unbake, unbake_svg, unbake_svg_full, BakeError, ImageFormat, Slot,
};

use crate::support::corpus;

fn read(dir: &std::path::Path, rel: &str) -> Vec<u8> {
    std::fs::read(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text between the first `<![CDATA[` and the following `]]>`.
fn first_cdata(svg: &[u8]) -> String {
    let s = std::str::from_utf8(svg).unwrap();
    let start = s.find("<![CDATA[").unwrap() + 9;
    let end = start + s[start..].find("]]>").unwrap();
    s[start..end].to_owned()
}

/// How many badge start tags (`assertion` or `credential`, any prefix) `svg` has.
fn badge_tags(svg: &[u8]) -> usize {
    let s = String::from_utf8_lossy(svg);
    s.match_indices('<')
        .filter(|(i, _)| {
            let name: String = s[i + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            let local = name.rsplit(':').next().unwrap_or("");
            local == "assertion" || local == "credential"
        })
        .count()
}

const PLAIN: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- a badge image -->
<svg xmlns="http://www.w3.org/2000/svg"
     viewBox="0 0 10 10"
     width="10" height="10">
  <title>Plain – ünïcode</title>
  <rect width="10" height="10" fill="#E44D26"/>
</svg>
"##;

const JWS: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpZCI6InVybjp1dWlkOjEifQ.c2lnbmF0dXJl";

fn ob2_json(id: &str) -> String {
    format!(
        r#"{{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"{id}","recipient":{{"type":"email","hashed":false,"identity":"ada@example.org"}},"badge":"https://example.org/b","verification":{{"type":"hosted"}},"issuedOn":"2024-05-01T00:00:00Z"}}"#
    )
}

// ---------------------------------------------------------------- fixtures

#[test]
fn ob2_fixtures_extract_as_documented() {
    let Some(dir) = corpus() else { return };

    let f = read(&dir, "ob2/baked-svg/csbakery_baked_example.svg");
    let u = unbake_svg(&f).unwrap().unwrap();
    assert_eq!(u.format, ImageFormat::Svg);
    assert_eq!(u.slot, Slot::OpenBadges);
    assert_eq!(
        u.payload,
        first_cdata(&f),
        "the CDATA body, exactly as embedded"
    );
    assert_eq!(
        u.verify_attribute.as_deref(),
        Some("https://example.org/assertion.json")
    );
    assert_eq!(
        u.location,
        "<openbadges:assertion> element (namespace http://openbadges.org)"
    );
    let v: serde_json::Value = serde_json::from_str(&u.payload).unwrap();
    assert_eq!(v["uid"], "abcdef12345");
    assert!(u.warnings.is_empty(), "{:?}", u.warnings);

    let f = read(&dir, "ob2/baked-svg/mozbakery_baked.svg");
    let u = unbake_svg(&f).unwrap().unwrap();
    assert_eq!(u.payload, first_cdata(&f));
    let v: serde_json::Value = serde_json::from_str(&u.payload).unwrap();
    assert_eq!(v["verify"]["url"], "http://example.org");
    assert_eq!(u.verify_attribute.as_deref(), Some("http://example.org"));

    let f = read(&dir, "ob2/baked-svg/mozbakery_no-json.svg");
    let u = unbake_svg(&f).unwrap().unwrap();
    assert_eq!(
        u.payload, "http://example.org",
        "an empty CDATA falls back to verify"
    );
    assert_eq!(u.verify_attribute, None);
    assert!(u.location.contains("verify attribute"), "{}", u.location);

    let f = read(&dir, "invalid/mozbakery_bad-json.svg");
    let u = unbake_svg(&f).unwrap().unwrap();
    assert_eq!(u.payload, first_cdata(&f));
    assert!(u.payload.contains("{verify:{\"url\""), "{}", u.payload);
    assert!(serde_json::from_str::<serde_json::Value>(&u.payload).is_err());
    assert_eq!(u.verify_attribute.as_deref(), Some("http://example.org"));

    for rel in [
        "ob2/baked-svg/csbakery_unbaked_example.svg",
        "ob2/baked-svg/mozbakery_unbaked.svg",
        "ob3/dcc-vc-test-fixtures/v1/dataIntegrityProof/didKey/mixedRegistry-validStatus-noExpiry.qr.svg",
    ] {
        let f = read(&dir, rel);
        assert!(is_svg(&f), "{rel}");
        assert_eq!(unbake_svg(&f), Ok(None), "{rel}");
        assert_eq!(unbake(&f), Ok(None), "{rel}");
    }
}

#[test]
fn ob3_fixtures_extract_as_documented() {
    let Some(dir) = corpus() else { return };

    let f = read(&dir, "ob3/1edtech-validator/simple-json.svg");
    let u = unbake_svg(&f).unwrap().unwrap();
    assert_eq!(u.slot, Slot::OpenBadgeCredential);
    assert_eq!(u.payload, first_cdata(&f));
    assert_eq!(u.verify_attribute, None);
    let v: serde_json::Value = serde_json::from_str(&u.payload).unwrap();
    assert!(v["type"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "OpenBadgeCredential"));
    assert!(
        u.warnings.iter().any(|w| w.contains("DOCTYPE")),
        "{:?}",
        u.warnings
    );
    assert!(
        u.location.contains("https://purl.imsglobal.org/ob/v3p0"),
        "{}",
        u.location
    );

    for rel in [
        "ob3/1edtech-validator/simple-jwt.svg",
        "ob3/1edtech-validator/simple-jwt_v1.svg",
    ] {
        let f = read(&dir, rel);
        let s = std::str::from_utf8(&f).unwrap();
        let start = s.find("verify=\"").unwrap() + 8;
        let expected = &s[start..start + s[start..].find('"').unwrap()];
        let u = unbake(&f).unwrap().unwrap();
        assert_eq!(u.slot, Slot::OpenBadgeCredential, "{rel}");
        assert_eq!(u.payload, expected, "{rel}");
        assert_eq!(u.payload.split('.').count(), 3, "{rel}");
        assert_eq!(u.verify_attribute, None, "{rel}");
    }
}

#[test]
fn every_baked_fixture_rebakes_to_one_element_with_the_same_payload() {
    let Some(dir) = corpus() else { return };
    for rel in [
        "ob2/baked-svg/csbakery_baked_example.svg",
        "ob2/baked-svg/mozbakery_baked.svg",
        "ob2/baked-svg/mozbakery_no-json.svg",
        "invalid/mozbakery_bad-json.svg",
        "ob3/1edtech-validator/simple-json.svg",
        "ob3/1edtech-validator/simple-jwt.svg",
        "ob3/1edtech-validator/simple-jwt_v1.svg",
    ] {
        let f = read(&dir, rel);
        let u = unbake_svg(&f).unwrap().unwrap();
        let out = bake_svg(&f, &u.payload, u.slot).unwrap();
        assert_eq!(badge_tags(&out), 1, "{rel}");
        let again = unbake_svg(&out).unwrap().unwrap();
        assert_eq!(
            (again.payload.as_str(), again.slot),
            (u.payload.as_str(), u.slot),
            "{rel}"
        );
        assert_eq!(
            bake_svg(&out, &u.payload, u.slot).unwrap(),
            out,
            "{rel}: baking is idempotent"
        );
    }
    // Unbaked fixtures take a badge and keep every other byte.
    for rel in [
        "ob2/baked-svg/csbakery_unbaked_example.svg",
        "ob2/baked-svg/mozbakery_unbaked.svg",
    ] {
        let f = read(&dir, rel);
        let out = bake(&f, JWS, Slot::OpenBadges).unwrap();
        let text = std::str::from_utf8(&f).unwrap();
        let gt = text.find("<svg").unwrap() + text[text.find("<svg").unwrap()..].find('>').unwrap();
        let added = format!(
            " xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"{JWS}\"/>"
        );
        assert_eq!(&out[..gt], &f[..gt], "{rel}");
        assert_eq!(&out[gt..gt + added.len()], added.as_bytes(), "{rel}");
        assert_eq!(&out[gt + added.len()..], &f[gt + 1..], "{rel}");
    }
}

// ---------------------------------------------------------------- round trips

fn payloads() -> Vec<(&'static str, String)> {
    vec![
        ("ob2 json", ob2_json("https://example.org/assertions/1")),
        (
            "json with CDATA end",
            r#"{"narrative":"a ]]> b ]]]]> c ]]","id":"urn:uuid:x"}"#.to_owned(),
        ),
        (
            "json with markup",
            r#"{"name":"<b>&amp; \"q\" 'a' & < > ünï 徽章 🎖"}"#.to_owned(),
        ),
        ("indented json", "\n   {\r\n  \"a\": 1\n}\n  ".to_owned()),
        ("jws", JWS.to_owned()),
        ("url", "https://example.org/a?x=1&y=<2>&z=\"3\"".to_owned()),
        ("text with newlines", "line 1\n\tline 2\r\nünï".to_owned()),
    ]
}

#[test]
fn every_payload_round_trips_in_every_slot() {
    for slot in Slot::ALL {
        for (what, p) in payloads() {
            let out = bake_svg(PLAIN.as_bytes(), &p, slot).unwrap();
            assert!(is_svg(&out), "{what}");
            let u = unbake_svg(&out).unwrap().unwrap();
            assert_eq!(u.payload, p, "{slot:?} {what}");
            assert_eq!(u.slot, slot, "{what}");
            assert_eq!(badge_tags(&out), 1, "{what}");
            let text = std::str::from_utf8(&out).unwrap();
            assert!(
                text.contains(&format!("xmlns:openbadges=\"{}\"", slot.svg_namespace())),
                "{text}"
            );
            // The generic entry points agree.
            assert_eq!(bake(PLAIN.as_bytes(), &p, slot).unwrap(), out);
            assert_eq!(unbake(&out).unwrap().unwrap(), u);
        }
    }
}

#[test]
fn json_goes_into_cdata_and_other_payloads_into_verify() {
    let json = ob2_json("https://example.org/assertions/1");
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), &json, Slot::OpenBadges).unwrap()).unwrap();
    assert!(out.contains(&format!(
        "<openbadges:assertion verify=\"https://example.org/assertions/1\"><![CDATA[{json}]]></openbadges:assertion>"
    )));
    let u = unbake_svg(out.as_bytes()).unwrap().unwrap();
    assert_eq!(
        u.verify_attribute.as_deref(),
        Some("https://example.org/assertions/1")
    );

    // 1.x: verify.url when id is not an http(s) URL.
    let v1 = r#"{"uid":"1","verify":{"type":"hosted","url":"http://example.org/badge1"}}"#;
    let out = String::from_utf8(bake_svg(PLAIN.as_bytes(), v1, Slot::OpenBadges).unwrap()).unwrap();
    assert!(
        out.contains("<openbadges:assertion verify=\"http://example.org/badge1\"><![CDATA["),
        "{out}"
    );
    // No usable URL: no verify attribute.
    let signed = ob2_json("urn:uuid:1");
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), &signed, Slot::OpenBadges).unwrap()).unwrap();
    assert!(out.contains("<openbadges:assertion><![CDATA["), "{out}");

    // OB 3.0 JSON: body only; OB 3.0 JWS: verify only.
    let ob3 =
        r#"{"id":"https://example.org/c/1","type":["VerifiableCredential","OpenBadgeCredential"]}"#;
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), ob3, Slot::OpenBadgeCredential).unwrap())
            .unwrap();
    assert!(
        out.contains(&format!(
            "<openbadges:credential><![CDATA[{ob3}]]></openbadges:credential>"
        )),
        "{out}"
    );
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), JWS, Slot::ClrCredential).unwrap()).unwrap();
    assert!(
        out.contains(&format!("<openbadges:credential verify=\"{JWS}\"/>")),
        "{out}"
    );
    assert!(
        out.contains("xmlns:openbadges=\"https://purl.imsglobal.org/clr/v2p0\""),
        "{out}"
    );

    // `]]>` is split across CDATA sections, and special characters are escaped in attributes.
    let tricky = r#"{"a":"]]>"}"#;
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), tricky, Slot::OpenBadgeCredential).unwrap())
            .unwrap();
    assert!(
        out.contains(r#"<![CDATA[{"a":"]]]]><![CDATA[>"}]]>"#),
        "{out}"
    );
    let url = "https://example.org/?a=1&b=\"<\"";
    let out =
        String::from_utf8(bake_svg(PLAIN.as_bytes(), url, Slot::OpenBadges).unwrap()).unwrap();
    assert!(
        out.contains(r#"verify="https://example.org/?a=1&amp;b=&quot;&lt;&quot;""#),
        "{out}"
    );
}

#[test]
fn only_the_root_start_tag_and_the_new_element_change() {
    let root_end = PLAIN.find("height=\"10\"").unwrap() + "height=\"10\"".len();
    for (_, p) in payloads() {
        let out = bake_svg(PLAIN.as_bytes(), &p, Slot::OpenBadges).unwrap();
        let decl = " xmlns:openbadges=\"http://openbadges.org\"";
        assert_eq!(&out[..root_end], &PLAIN.as_bytes()[..root_end]);
        assert_eq!(&out[root_end..root_end + decl.len()], decl.as_bytes());
        assert_eq!(out[root_end + decl.len()], b'>');
        let rest = &PLAIN.as_bytes()[root_end + 1..];
        assert!(
            out.ends_with(rest),
            "everything after the root start tag is kept"
        );
        let inserted = &out[root_end + decl.len() + 1..out.len() - rest.len()];
        assert!(
            inserted.starts_with(b"<openbadges:assertion"),
            "{}",
            String::from_utf8_lossy(inserted)
        );
    }
}

#[test]
fn rebaking_replaces_the_old_element() {
    let first = bake_svg(
        PLAIN.as_bytes(),
        &ob2_json("https://example.org/old"),
        Slot::OpenBadges,
    )
    .unwrap();
    for slot in Slot::ALL {
        let second = bake_svg(&first, JWS, slot).unwrap();
        assert_eq!(badge_tags(&second), 1, "{slot:?}");
        assert!(!String::from_utf8_lossy(&second).contains("https://example.org/old"));
        let u = unbake_svg(&second).unwrap().unwrap();
        assert_eq!((u.payload.as_str(), u.slot), (JWS, slot));
        assert!(u.warnings.is_empty(), "{:?}", u.warnings);
    }

    // Two elements (different prefixes, one nested in a group, one self-closing):
    // the first wins with a warning, and baking removes both.
    let two = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:a="http://openbadges.org"><g><a:assertion verify="https://example.org/1">  </a:assertion></g><c:credential xmlns:c="https://purl.imsglobal.org/ob/v3p0" verify="https://example.org/2"/><rect/></svg>"#;
    // Extraction stops after the first badge element; the full reading warns.
    assert_eq!(
        unbake_svg(two.as_bytes()).unwrap().unwrap().payload,
        "https://example.org/1"
    );
    let u = unbake_svg_full(two.as_bytes()).unwrap().unwrap();
    assert_eq!(u.payload, "https://example.org/1");
    assert!(
        u.warnings.iter().any(|w| w.contains("2 badge elements")),
        "{:?}",
        u.warnings
    );
    let out = String::from_utf8(bake_svg(two.as_bytes(), JWS, Slot::OpenBadges).unwrap()).unwrap();
    assert_eq!(
        out,
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:a="http://openbadges.org" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="{JWS}"/><g></g><rect/></svg>"#
        )
    );
}

#[test]
fn a_prefix_bound_elsewhere_is_not_reused() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a"/></svg>"#;
    let out = String::from_utf8(bake_svg(svg.as_bytes(), JWS, Slot::OpenBadgeCredential).unwrap())
        .unwrap();
    assert!(
        out.contains("xmlns:openbadges3=\"https://purl.imsglobal.org/ob/v3p0\""),
        "{out}"
    );
    assert!(
        out.contains(&format!("<openbadges3:credential verify=\"{JWS}\"/>")),
        "{out}"
    );
    assert!(!out.contains("openbadges:assertion"), "{out}");
    assert_eq!(
        unbake_svg(out.as_bytes()).unwrap().unwrap().slot,
        Slot::OpenBadgeCredential
    );

    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="urn:other" xmlns:openbadges2="urn:other2"/>"#;
    let out = String::from_utf8(bake_svg(svg.as_bytes(), JWS, Slot::OpenBadges).unwrap()).unwrap();
    assert!(
        out.contains("xmlns:openbadges4=\"http://openbadges.org\""),
        "{out}"
    );
    assert_eq!(unbake_svg(out.as_bytes()).unwrap().unwrap().payload, JWS);
}

#[test]
fn self_closing_and_prefixed_roots_can_be_baked() {
    let out = bake_svg(
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        JWS,
        Slot::OpenBadges,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"{JWS}\"/></svg>")
    );
    let svg = "\u{feff}<s:svg xmlns:s=\"http://www.w3.org/2000/svg\"\n  width=\"1\"\n/>\n";
    let json = ob2_json("https://example.org/x");
    let out = bake_svg(svg.as_bytes(), &json, Slot::OpenBadges).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.starts_with("\u{feff}<s:svg xmlns:s=\"http://www.w3.org/2000/svg\"\n  width=\"1\" xmlns:openbadges=\"http://openbadges.org\"\n><openbadges:assertion"), "{text}");
    assert!(
        text.ends_with("</openbadges:assertion></s:svg>\n"),
        "{text}"
    );
    assert_eq!(unbake(&out).unwrap().unwrap().payload, json);

    // A `>` inside a quoted attribute value does not end the start tag.
    let svg = "<svg xmlns='http://www.w3.org/2000/svg' data-x='a>b' ><g/></svg>";
    let out = String::from_utf8(bake_svg(svg.as_bytes(), JWS, Slot::OpenBadges).unwrap()).unwrap();
    assert_eq!(
        out,
        format!("<svg xmlns='http://www.w3.org/2000/svg' data-x='a>b' xmlns:openbadges=\"http://openbadges.org\" ><openbadges:assertion verify=\"{JWS}\"/><g/></svg>")
    );
}

// ---------------------------------------------------------------- reading rules

#[test]
fn badge_elements_are_found_by_namespace_not_by_prefix() {
    let default_ns = r#"<svg xmlns="http://www.w3.org/2000/svg"><assertion xmlns="http://openbadges.org" verify="https://example.org/a"/></svg>"#;
    let u = unbake_svg(default_ns.as_bytes()).unwrap().unwrap();
    assert_eq!(
        (u.payload.as_str(), u.slot),
        ("https://example.org/a", Slot::OpenBadges)
    );
    assert!(
        u.location
            .starts_with("<assertion> element (namespace http://openbadges.org)"),
        "{}",
        u.location
    );

    let clr = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="https://purl.imsglobal.org/clr/v2p0"><x:credential><![CDATA[{"a":1}]]></x:credential></svg>"#;
    let u = unbake_svg(clr.as_bytes()).unwrap().unwrap();
    assert_eq!(
        (u.payload.as_str(), u.slot),
        (r#"{"a":1}"#, Slot::ClrCredential)
    );

    // The right prefix in the wrong namespace, or the wrong local name, is not a badge.
    let wrong = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://example.org/ns"><openbadges:assertion verify="https://example.org/a"/><credential xmlns="http://openbadges.org"/></svg>"#;
    assert_eq!(unbake_svg(wrong.as_bytes()), Ok(None));

    // No xmlns at all on the root is accepted.
    let bare = r#"<svg><ob:assertion xmlns:ob="http://openbadges.org" verify="https://example.org/a"/></svg>"#;
    assert!(is_svg(bare.as_bytes()));
    assert_eq!(
        unbake_svg(bare.as_bytes()).unwrap().unwrap().payload,
        "https://example.org/a"
    );
}

#[test]
fn text_bodies_resolve_predefined_entities_and_character_references() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion verify="https://example.org/a?x=1&amp;y=2">{"n":"&lt;&amp;&gt;&quot;&apos;&#233;&#x1F396;"}<!-- c --></o:assertion></svg>"#;
    let u = unbake_svg(svg.as_bytes()).unwrap().unwrap();
    assert_eq!(u.payload, "{\"n\":\"<&>\"'é🎖\"}");
    assert_eq!(
        u.verify_attribute.as_deref(),
        Some("https://example.org/a?x=1&y=2")
    );

    // Text around CDATA that is not whitespace makes the whole text the payload.
    let mixed = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion>{"a":<![CDATA["b"]]>}</o:assertion></svg>"#;
    assert_eq!(
        unbake_svg(mixed.as_bytes()).unwrap().unwrap().payload,
        r#"{"a":"b"}"#
    );

    // An element with neither text nor verify is still reported (empty payload, warning).
    let empty = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion/></svg>"#;
    let u = unbake_svg(empty.as_bytes()).unwrap().unwrap();
    assert_eq!(u.payload, "");
    assert!(!u.warnings.is_empty());
}

#[test]
fn a_body_that_is_no_payload_is_kept_but_flagged_when_verify_is_usable() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion verify="https://example.org/a">not a badge</o:assertion></svg>"#;
    let u = unbake_svg(svg.as_bytes()).unwrap().unwrap();
    assert_eq!(u.payload, "not a badge");
    assert_eq!(u.verify_attribute.as_deref(), Some("https://example.org/a"));
    assert!(
        u.warnings.iter().any(|w| w.contains("verify attribute")),
        "{:?}",
        u.warnings
    );
}

#[test]
fn sniffing_reads_past_long_prologues_and_stops_at_the_root() {
    let long = format!(
        "\u{feff}<?xml version=\"1.0\"?>\n<!-- {} -->\n<?pi x?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\"><g>",
        "x".repeat(5000)
    );
    // Truncated after the root start tag: sniffing does not care, unbaking does.
    assert!(is_svg(long.as_bytes()));
    assert!(matches!(
        unbake_svg(long.as_bytes()),
        Err(BakeError::BadSvg(_))
    ));
    assert!(!is_svg(b"<html xmlns=\"http://www.w3.org/1999/xhtml\"/>"));
    assert!(!is_svg(b"<svg xmlns=\"urn:not-svg\"/>"));
    assert!(!is_svg(b"text<svg/>"));
    assert!(!is_svg(b"\xff\xfe<\0s\0v\0g\0"));
}

// ---------------------------------------------------------------- hostile input

fn assert_unsafe(svg: &str) {
    for result in [
        unbake_svg(svg.as_bytes()).map(|_| ()),
        bake_svg(svg.as_bytes(), JWS, Slot::OpenBadges).map(|_| ()),
    ] {
        match result {
            Err(e @ BakeError::UnsafeSvg(_)) => assert!(e.to_string().contains("refuses"), "{e}"),
            other => panic!("expected UnsafeSvg, got {other:?} for {svg}"),
        }
    }
}

#[test]
fn dtds_with_entities_and_custom_entities_are_refused() {
    assert_unsafe(
        r#"<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a">&lol9;</openbadges:assertion></svg>"#,
    );
    assert_unsafe(
        r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion>&xxe;</openbadges:assertion></svg>"#,
    );
    assert_unsafe(
        r#"<!DOCTYPE svg [<!ENTITY % ext SYSTEM "http://example.org/evil.dtd"> %ext;]><svg xmlns="http://www.w3.org/2000/svg"/>"#,
    );
    // Undeclared custom entities, in text or in an attribute, without any DTD.
    assert_unsafe(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion>&lol9;</o:assertion></svg>"#,
    );
    assert_unsafe(r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="&xxe;"/></svg>"#);
    assert_unsafe(
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:o="http://openbadges.org"><o:assertion verify="&xxe;"/></svg>"#,
    );
}

#[test]
fn an_external_dtd_id_alone_is_ignored_with_a_warning() {
    let svg = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\"><openbadges:credential verify=\"{JWS}\"></openbadges:credential></svg>"
    );
    let u = unbake_svg(svg.as_bytes()).unwrap().unwrap();
    assert_eq!(u.payload, JWS);
    assert!(
        u.warnings.iter().any(|w| w.contains("DOCTYPE")),
        "{:?}",
        u.warnings
    );
    let out = bake_svg(
        svg.as_bytes(),
        "https://example.org/x",
        Slot::OpenBadgeCredential,
    )
    .unwrap();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("<!DOCTYPE svg PUBLIC"));
}

#[test]
fn scripts_are_reported_never_run_and_kept() {
    for svg in [
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org"><script>alert(1)</script><ob:assertion verify="https://example.org/assertions/7"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org" onload="alert(1)"><ob:assertion verify="https://example.org/assertions/7"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org"><a href=" JavaScript:alert(1)"/><ob:assertion verify="https://example.org/assertions/7"/></svg>"#,
    ] {
        let u = unbake_svg_full(svg.as_bytes()).unwrap().unwrap();
        assert_eq!(u.payload, "https://example.org/assertions/7");
        assert_eq!(
            u.warnings,
            ["the SVG contains a script; Satchel never runs it"],
            "{svg}"
        );
        let out = bake_svg(svg.as_bytes(), JWS, Slot::OpenBadges).unwrap();
        assert_eq!(unbake_svg_full(&out).unwrap().unwrap().warnings.len(), 1);
        // Fast extraction reads the same payload.
        assert_eq!(unbake_svg(&out).unwrap().unwrap().payload, JWS);
    }
}

#[test]
fn deep_nesting_is_refused() {
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
        "<g>".repeat(300),
        "</g>".repeat(300)
    );
    match unbake_svg(svg.as_bytes()) {
        Err(BakeError::TooLarge(m)) => assert!(m.contains("256"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        bake_svg(svg.as_bytes(), JWS, Slot::OpenBadges),
        Err(BakeError::TooLarge(_))
    ));
    // Just under the cap is fine.
    let ok = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\">{}{}</svg>",
        "<g>".repeat(255),
        "</g>".repeat(255)
    );
    assert_eq!(unbake_svg(ok.as_bytes()), Ok(None));
}

#[test]
fn two_million_elements_hit_the_element_cap() {
    let mut svg = String::with_capacity(8_100_000);
    svg.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\">");
    for _ in 0..2_000_000 {
        svg.push_str("<g/>");
    }
    svg.push_str("</svg>");
    match unbake_svg(svg.as_bytes()) {
        Err(BakeError::TooLarge(m)) => assert!(m.contains("elements"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oversized_documents_and_payloads_are_refused() {
    let mut big = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><!--".to_vec();
    big.resize(20 * 1024 * 1024, b'x');
    big.extend_from_slice(b"--></svg>");
    for result in [
        unbake_svg(&big).map(|_| ()),
        bake_svg(&big, JWS, Slot::OpenBadges).map(|_| ()),
    ] {
        match result {
            Err(BakeError::TooLarge(m)) => assert!(
                m.starts_with("the SVG is 20971529 bytes, over Satchel's limit of"),
                "{m}"
            ),
            other => panic!("{other:?}"),
        }
    }

    let payload = format!("{{\"a\":\"{}\"}}", "x".repeat(5 * 1024 * 1024));
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:o=\"http://openbadges.org\"><o:assertion><![CDATA[{payload}]]></o:assertion></svg>"
    );
    match unbake_svg(svg.as_bytes()) {
        Err(BakeError::TooLarge(m)) => assert!(m.contains("badge payload"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        bake_svg(PLAIN.as_bytes(), &payload, Slot::OpenBadges),
        Err(BakeError::TooLarge(_))
    ));
    // The same in a verify attribute.
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:o=\"http://openbadges.org\"><o:assertion verify=\"{}\"/></svg>",
        "x".repeat(5 * 1024 * 1024)
    );
    assert!(matches!(
        unbake_svg(svg.as_bytes()),
        Err(BakeError::TooLarge(_))
    ));
}

#[test]
fn broken_documents_give_bad_svg_with_a_position() {
    let baked = bake_svg(
        PLAIN.as_bytes(),
        &ob2_json("https://example.org/a"),
        Slot::OpenBadges,
    )
    .unwrap();
    let end = String::from_utf8_lossy(&baked).rfind("</svg>").unwrap();
    // Every truncation before the end tag is complete is refused, never a panic.
    for cut in 0..end + 5 {
        let r = unbake_svg(&baked[..cut]);
        assert!(
            matches!(r, Err(BakeError::BadSvg(_))),
            "cut at {cut}: {r:?}"
        );
        assert!(bake_svg(&baked[..cut], JWS, Slot::OpenBadges).is_err());
    }
    match unbake_svg(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g></svg>") {
        Err(BakeError::BadSvg(m)) => assert!(m.contains("at byte"), "{m}"),
        other => panic!("{other:?}"),
    }
    match unbake_svg(b"<svg xmlns=\"http://www.w3.org/2000/svg\"><title>caf\xe9</title></svg>") {
        Err(BakeError::BadSvg(m)) => assert!(m.contains("UTF-8") && m.contains("offset 50"), "{m}"),
        other => panic!("{other:?}"),
    }
    match unbake(
        b"<?xml version=\"1.0\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>",
    ) {
        Err(BakeError::BadSvg(m)) => assert_eq!(m, "the root element is <html>, not <svg>"),
        other => panic!("{other:?}"),
    }
    for junk in [
        &b"<svg xmlns=\"http://www.w3.org/2000/svg\"/><svg/>"[..],
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>trailing",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" a=\"1\" a=\"2\"/>",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" a=1/>",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\">&#0;</svg>",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\">& </svg>",
        b"",
        b"   ",
        b"<!-- only a comment -->",
    ] {
        let r = unbake_svg(junk);
        assert!(
            matches!(r, Err(BakeError::BadSvg(_))),
            "{}: {r:?}",
            String::from_utf8_lossy(junk)
        );
    }
}

#[test]
fn mutated_documents_never_panic() {
    let base = bake_svg(
        PLAIN.as_bytes(),
        &ob2_json("https://example.org/a"),
        Slot::OpenBadges,
    )
    .unwrap();
    let alphabet = b"<>/&;\"'![]CDATA-:=? x\n\xc3\xa9";
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let mut doc = base.clone();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() % doc.len() as u64) as usize;
            match next() % 3 {
                0 => doc[at] = alphabet[(next() % alphabet.len() as u64) as usize],
                1 => {
                    doc.remove(at);
                }
                _ => doc.insert(at, alphabet[(next() % alphabet.len() as u64) as usize]),
            }
        }
        if let Ok(Some(u)) = unbake_svg(&doc) {
            // Whatever was read bakes back in and reads back the same, unless
            // the damage lies after the badge element: unbaking stops there,
            // baking parses the whole document and refuses it.
            match bake_svg(&doc, &u.payload, u.slot) {
                Ok(out) => assert_eq!(unbake_svg(&out).unwrap().unwrap().payload, u.payload),
                Err(e) => assert!(matches!(e, BakeError::BadSvg(_)), "{e}"),
            }
        }
        let _ = bake_svg(&doc, JWS, Slot::ClrCredential);
    }
}

#[test]
fn fast_and_full_extraction_agree_on_every_corpus_svg() {
    let Some(root) = corpus() else { return };
    let mut n = 0;
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "svg") {
                let bytes = std::fs::read(&p).unwrap();
                let fast =
                    unbake_svg(&bytes).map(|u| u.map(|u| (u.payload, u.slot, u.verify_attribute)));
                let full = unbake_svg_full(&bytes)
                    .map(|u| u.map(|u| (u.payload, u.slot, u.verify_attribute)));
                assert_eq!(fast, full, "{}", p.display());
                n += 1;
            }
        }
    }
    assert!(n >= 10, "only {n} SVGs in the corpus");
}

#[test]
fn damage_after_the_badge_stops_only_the_full_reading() {
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a/1"/><g><rect></g></svg>"#;
    assert_eq!(
        unbake_svg(svg.as_bytes()).unwrap().unwrap().payload,
        "https://example.org/a/1"
    );
    assert!(matches!(
        unbake_svg_full(svg.as_bytes()),
        Err(BakeError::BadSvg(_))
    ));
    // A document that does not end with the root's end tag is read in full.
    let cut = &svg[..svg.len() - 6];
    assert!(matches!(
        unbake_svg(cut.as_bytes()),
        Err(BakeError::BadSvg(_))
    ));
}
