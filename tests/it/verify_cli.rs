//! `satchel verify` and `satchel cache` end to end: the real binary, a real
//! HTTP server on 127.0.0.1, a real SQLite data directory.

use crate::server::{Route, TestServer};
use std::process::Output;

use crate::support::satchel_in as satchel;

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(o.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A hosted OB 2.0 badge: assertion, badge class and issuer on one server.
fn hosted_issuer() -> TestServer {
    TestServer::start([
        (
            "/assertions/1.json",
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"{{base}}/assertions/1.json","recipient":{"type":"email","hashed":true,"salt":"deadsea","identity":"sha256$ecf5409f3f4b91ab60cc5ef4c02aef7032354375e70cf4d8e43f6a1d29891942"},"badge":"{{base}}/badge.json","issuedOn":"2024-05-01T12:00:00Z","verification":{"type":"hosted"}}"#,
            ),
        ),
        (
            "/assertions/gone.json",
            Route::new(
                410,
                "application/ld+json",
                r#"{"@context":"https://w3id.org/openbadges/v2","id":"{{base}}/assertions/gone.json","revoked":true,"revocationReason":"Awarded by mistake"}"#,
            ),
        ),
        (
            "/badge.json",
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"BadgeClass","id":"{{base}}/badge.json","name":"Loopback Listener","description":"Served from 127.0.0.1.","image":"{{base}}/badge.png","criteria":{"narrative":"Answer on port zero."},"issuer":"{{base}}/issuer.json"}"#,
            ),
        ),
        (
            "/issuer.json",
            Route::json(
                r#"{"@context":"https://w3id.org/openbadges/v2","type":"Issuer","id":"{{base}}/issuer.json","name":"Local Guild","url":"{{base}}/","email":"guild@example.org"}"#,
            ),
        ),
    ])
}

#[test]
fn private_addresses_are_refused_unless_allowed() {
    let server = hosted_issuer();
    let data = tempfile::tempdir().unwrap();
    let url = server.url("/assertions/1.json");
    let o = satchel(data.path(), &["verify", "--json", &url]);
    assert_eq!(o.status.code(), Some(1));
    let line = &json_lines(&o)[0];
    assert_eq!(
        line["status"], "unverifiable",
        "refused is not invalid: {line}"
    );
    assert!(
        line.to_string()
            .contains("unless private network addresses are allowed"),
        "{line}"
    );
    // In text, the verdict has the app's words.
    let text = String::from_utf8(satchel(data.path(), &["verify", &url]).stdout).unwrap();
    assert!(text.contains("COULD NOT CHECK"), "{text}");
    assert!(!text.contains("UNVERIFIABLE"), "{text}");
    // The report speaks of the setting; the CLI says how to set it.
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("pass --allow-private-network"), "{err}");
    assert_eq!(
        server.requests().len(),
        0,
        "nothing may reach a private address by default"
    );
}

#[test]
fn hosted_badge_verifies_online_then_offline_from_kept_documents() {
    let server = hosted_issuer();
    let data = tempfile::tempdir().unwrap();
    let url = server.url("/assertions/1.json");
    let o = satchel(
        data.path(),
        &[
            "verify",
            "--json",
            "--allow-private-network",
            "--recipient",
            "Nobody@Example.org",
            &url,
        ],
    );
    let line = &json_lines(&o)[0];
    assert_eq!(o.status.code(), Some(0), "{line}");
    assert_eq!(line["status"], "verified");
    assert_eq!(line["format"], "hosted");
    assert_eq!(line["badge"]["name"], "Loopback Listener");
    assert_eq!(line["recipient"]["matched"], true);
    for check in line["checks"].as_array().unwrap() {
        assert!(
            check["id"].is_string() && check["message"].is_string() && check["status"].is_string(),
            "{check}"
        );
    }
    assert_eq!(server.count("/badge.json"), 1);

    // The issuer's site goes away: the kept documents still verify the badge offline.
    drop(server);
    let o = satchel(data.path(), &["verify", "--json", "--offline", &url]);
    let line = &json_lines(&o)[0];
    assert_eq!(line["status"], "verified", "{line}");
    assert_eq!(
        line["recipient"]["matched"],
        serde_json::Value::Null,
        "no identity given"
    );

    // `cache list` shows them.
    let o = satchel(data.path(), &["cache", "list"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("/badge.json") && text.contains("/issuer.json"),
        "{text}"
    );
}

#[test]
fn a_gone_badge_is_revoked_and_an_unknown_one_unverifiable_offline() {
    let server = hosted_issuer();
    let data = tempfile::tempdir().unwrap();
    let gone = server.url("/assertions/gone.json");
    let o = satchel(
        data.path(),
        &["verify", "--json", "--allow-private-network", &gone],
    );
    let line = &json_lines(&o)[0];
    assert_eq!(line["status"], "revoked", "{line}");
    assert!(line.to_string().contains("Awarded by mistake"), "{line}");
    let o = satchel(
        data.path(),
        &[
            "verify",
            "--json",
            "--offline",
            &server.url("/assertions/never-fetched.json"),
        ],
    );
    assert_eq!(json_lines(&o)[0]["status"], "unverifiable");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn pinned_documents_verify_the_corpus_signed_badge_offline() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let assets = root.join("ob2/hosted/assets");
    // SOURCES.md: the assets folder answers for these three origins.
    for base in [
        "https://example.org/",
        "http://example.org/",
        "https://www.example.org/",
    ] {
        let o = satchel(
            data.path(),
            &[
                "cache",
                "import-dir",
                assets.to_str().unwrap(),
                "--base",
                base,
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    let jwt = root.join("ob2/signed/dcpv_simple.jwt");
    let o = satchel(
        data.path(),
        &[
            "verify",
            "--offline",
            "--json",
            "--now",
            "2024-01-01T00:00:00Z",
            jwt.to_str().unwrap(),
        ],
    );
    let line = &json_lines(&o)[0];
    assert_eq!(line["status"], "verified", "{line}");
    assert_eq!(line["format"], "signed");
    assert_eq!(line["checked_at"], "2024-01-01T00:00:00Z");

    let o = satchel(
        data.path(),
        &["verify", "--now", "yesterday", jwt.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "a bad --now is a usage error");
}

#[test]
fn a_list_of_inputs_is_verified_in_order_with_a_stats_line() {
    let server = hosted_issuer();
    let data = tempfile::tempdir().unwrap();
    let list = data.path().join("inputs.txt");
    let missing = data.path().join("missing.png");
    std::fs::write(
        &list,
        format!(
            "{}\n\n{}\n{}\n",
            server.url("/assertions/1.json"),
            missing.display(),
            server.url("/assertions/gone.json")
        ),
    )
    .unwrap();
    let o = satchel(
        data.path(),
        &[
            "verify",
            "--json",
            "--allow-private-network",
            "--list",
            list.to_str().unwrap(),
            "--stats",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "a file could not be read");
    let lines = json_lines(&o);
    assert_eq!(lines.len(), 4, "three reports and the stats line");
    assert_eq!(lines[0]["status"], "verified");
    assert_eq!(
        lines[1]["status"], "unreadable",
        "a missing file is reported, not skipped"
    );
    assert_eq!(lines[1]["checks"][0]["message"], "there is no such file");
    assert_eq!(lines[2]["status"], "revoked");
    assert_eq!(
        (lines[3]["n"].as_u64(), lines[3]["ok"].as_u64()),
        (Some(3), Some(1))
    );
}

#[test]
fn a_folder_is_verified_file_by_file_and_an_empty_one_is_refused() {
    let server = hosted_issuer();
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().join("badges");
    std::fs::create_dir_all(dir.join("nested")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    let assertion = reqwest::blocking::get(server.url("/assertions/1.json"))
        .unwrap()
        .text()
        .unwrap();
    let png = satchel::bake::bake(
        &crate::support::make_png(4, 4),
        &server.url("/assertions/1.json"),
        satchel::bake::Slot::OpenBadges,
    )
    .unwrap();
    std::fs::write(dir.join("b.json"), &assertion).unwrap();
    std::fs::write(dir.join("nested/a.png"), &png).unwrap();
    std::fs::write(dir.join(".hidden/skipped.json"), &assertion).unwrap();
    std::fs::write(dir.join(".skipped.json"), &assertion).unwrap();
    let o = satchel(
        data.path(),
        &[
            "verify",
            "--json",
            "--allow-private-network",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let inputs: Vec<String> = json_lines(&o)
        .iter()
        .map(|l| {
            assert_eq!(l["status"], "verified", "{l}");
            l["input"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        inputs,
        [
            dir.join("b.json").display().to_string(),
            dir.join("nested/a.png").display().to_string()
        ],
        "every file under the folder, in path order, hidden ones skipped"
    );
    // `unbake` takes folders too, as a batch: a line of text per image,
    // or with `--json` a JSON object per image.
    let nested = dir.join("nested");
    let o = satchel(data.path(), &["unbake", nested.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        format!(
            "{}: {}\n",
            nested.join("a.png").display(),
            server.url("/assertions/1.json")
        )
    );
    let o = satchel(data.path(), &["unbake", nested.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().trim()).unwrap();
    assert_eq!(line["payload"], server.url("/assertions/1.json"));
    // An empty folder is a usage error with a sentence naming it.
    let empty = data.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let o = satchel(data.path(), &["verify", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("empty") && err.contains("holds no files"),
        "{err}"
    );
}

#[test]
fn the_text_report_says_how_the_issuer_is_identified() {
    let Some(root) = crate::support::corpus() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let file =
        root.join("ob3/dcc-vc-test-fixtures/v2/ed25519/didKey/legacy-noStatus-noExpiry.json");
    let o = satchel(
        data.path(),
        &["verify", "--offline", file.to_str().unwrap()],
    );
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(
            "  The issuer is identified only by a key (did:key), not by a web address.\n"
        ),
        "{text}"
    );
    let o = satchel(
        data.path(),
        &["verify", "--json", "--offline", file.to_str().unwrap()],
    );
    let line = &json_lines(&o)[0];
    assert_eq!(line["issuer_identity"]["by"], "key", "{line}");
}
