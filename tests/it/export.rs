//! Share pages (`satchel::export`): the shared corpus exported and parsed as
//! HTML5 with every local link resolved; generated signed badges (OB 2.0
//! RS256/ES256/EdDSA, OB 3.0 VC-JWT and Data Integrity), valid and tampered,
//! re-checked in headless Chromium with the same verdict as Satchel; a hostile
//! corpus that runs no script and makes no request; privacy; the output
//! folder's rules; screenshots in `target/screenshots/export-*.png`.

pub(crate) mod badges;
mod browser;
mod svg;

use crate::server::{Route, TestServer};
use crate::support;
use badges::{offline_web, Alg, NOW};
use satchel::export::{
    export_collection, share_plan, ExportBadge, ExportCollection, ExportError, ExportOptions,
    SharePlan,
};
use satchel::verify::Verdict;
use scraper::{Html, Selector};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn opts() -> ExportOptions {
    ExportOptions {
        base_url: None,
        include_recipient_name: false,
        include_evidence: false,
        leave_out_originals: false,
        now: NOW,
    }
}

fn collection(title: &str, badges: Vec<ExportBadge>) -> ExportCollection {
    ExportCollection {
        title: title.to_owned(),
        description: Some("Badges I earned while learning.\n\nAll checked by Satchel.".to_owned()),
        badges,
    }
}

/// Parses every HTML page of an export as HTML5 and checks every local link
/// (`href`, `src`) resolves to a file of the export; returns the pages.
fn check_pages(out: &Path) -> Vec<(PathBuf, Html)> {
    let mut pages = Vec::new();
    let attrs = Selector::parse("[href], [src]").unwrap();
    for f in crate::support::files_under(out) {
        if f.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let is_snippet = f == out.join("embed.html");
        let doc = if is_snippet {
            Html::parse_fragment(&text)
        } else {
            Html::parse_document(&text)
        };
        assert!(
            doc.errors.is_empty(),
            "{}: HTML5 parse errors {:?}",
            f.display(),
            doc.errors
        );
        if !is_snippet {
            assert!(text.starts_with("<!DOCTYPE html>"), "{}", f.display());
            let csp = Selector::parse(r#"meta[http-equiv="Content-Security-Policy"]"#).unwrap();
            let csp = doc.select(&csp).next().expect("a CSP meta tag");
            assert!(csp
                .value()
                .attr("content")
                .unwrap()
                .starts_with("default-src 'none'"));
        }
        for el in doc.select(&attrs) {
            for name in ["href", "src"] {
                let Some(target) = el.value().attr(name) else {
                    continue;
                };
                let lower = target.trim().to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    // Only links people follow, never a resource the page loads.
                    assert!(
                        el.value().name() == "a"
                            || (el.value().name() == "link"
                                && el.value().attr("rel") == Some("canonical"))
                            || is_snippet,
                        "{}: <{}> loads {target} from elsewhere",
                        f.display(),
                        el.value().name()
                    );
                    continue;
                }
                assert!(
                    !lower.contains(':'),
                    "{}: a link with a scheme other than http(s): {target}",
                    f.display()
                );
                let path = target.split(['#', '?']).next().unwrap();
                let base = f.parent().unwrap().to_path_buf();
                assert!(
                    base.join(path).is_file(),
                    "{}: the link {target} does not resolve",
                    f.display()
                );
            }
        }
        pages.push((f, doc));
    }
    pages
}

fn corpus_badges(root: &Path) -> Vec<ExportBadge> {
    corpus_badges_at(root, NOW)
}

/// The corpus's badges verified at `now` against its OB 2.0 issuer documents.
fn corpus_badges_at(root: &Path, now: i64) -> Vec<ExportBadge> {
    let mut world = offline_web(Some(root.join("ob2/hosted/assets")));
    world.add("https://issuer.test/none", "{}");
    let mut files = Vec::new();
    files.extend(crate::support::files_under(root));
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(found) = satchel::inspect::inspect(&bytes) else {
            continue;
        };
        if !found.kind.is_award() && found.payload_kind != satchel::inspect::PayloadKind::Url {
            continue;
        }
        let b = badges::export_badge_at(
            &format!("{i}"),
            bytes,
            f.file_name().and_then(|n| n.to_str()),
            &world,
            now,
        );
        out.push(b);
    }
    out
}

#[test]
fn the_shared_corpus_exports_to_valid_html5_whose_links_all_resolve() {
    let Some(root) = support::corpus() else {
        return;
    };
    let badges = corpus_badges(&root);
    assert!(badges.len() > 80, "only {} corpus badges", badges.len());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("corpus-site");
    let mut o = opts();
    o.base_url = Some("https://ada.example/badges".to_owned());
    let summary = export_collection(&collection("The corpus", badges.clone()), &o, &out).unwrap();
    assert_eq!(summary.pages.len(), badges.len() + 1);
    assert_eq!(summary.pages[0], PathBuf::from("index.html"));
    let pages = check_pages(&out);
    assert_eq!(
        pages
            .iter()
            .filter(|(p, _)| p.file_name().unwrap() != "embed.html")
            .count(),
        badges.len() + 1
    );

    // Every original is there byte for byte, and listed in the manifest.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "satchel-export/1");
    assert_eq!(manifest["badges"].as_array().unwrap().len(), badges.len());
    for (b, m) in badges.iter().zip(manifest["badges"].as_array().unwrap()) {
        assert!(
            out.join(m["page"].as_str().unwrap()).is_file(),
            "page of {}",
            b.id
        );
        assert!(
            m["embed_html"].as_str().unwrap().starts_with("<a href="),
            "{}",
            b.id
        );
        match m["original"].as_str() {
            Some(rel) => assert_eq!(
                std::fs::read(out.join(rel)).unwrap(),
                b.original,
                "{}",
                b.id
            ),
            None => assert!(summary
                .warnings
                .iter()
                .any(|w| w.contains(m["page"].as_str().unwrap()) && w.contains("plain text"))),
        }
        assert_eq!(m["verdict"], serde_json::to_value(b.report.status).unwrap());
        // The page names the verdict with the app's and the CLI's words.
        let page = std::fs::read_to_string(out.join(m["page"].as_str().unwrap())).unwrap();
        let chip = format!(
            "chip-{}\">{}</span>",
            b.report.status.as_str(),
            b.report.status.label()
        );
        assert!(page.contains(&chip), "{}: {chip}", b.id);
        assert!(m["url"]
            .as_str()
            .unwrap()
            .starts_with("https://ada.example/badges/badges/"));
    }
    // Open Graph with absolute URLs on every page.
    let og = Selector::parse(r#"meta[property="og:url"]"#).unwrap();
    for (p, doc) in &pages {
        if p.file_name().unwrap() == "embed.html" {
            continue;
        }
        let url = doc
            .select(&og)
            .next()
            .unwrap_or_else(|| panic!("{}: no og:url", p.display()));
        assert!(url
            .value()
            .attr("content")
            .unwrap()
            .starts_with("https://ada.example/badges/"));
    }
    // Privacy: the corpus's plaintext recipient emails appear nowhere.
    for f in crate::support::files_under(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for email in ["test@example.com", "nobody@example.org"] {
            assert!(!text.contains(email), "{} publishes {email}", f.display());
        }
    }
}

/// The text a page shows outside its "Technical details" block and scripts.
fn plain_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let body = Selector::parse("body").unwrap();
    let hidden = Selector::parse("script, details.technical").unwrap();
    let mut text: String = doc.select(&body).flat_map(|b| b.text()).collect();
    for s in doc.select(&hidden) {
        let inner: String = s.text().collect();
        text = text.replace(&inner, "");
    }
    text
}

/// Every `d Month yyyy` date in `text`, with what follows it (`, hh:mm UTC` or not).
fn shown_dates(text: &str) -> Vec<String> {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut found = Vec::new();
    for m in MONTHS {
        let mut rest = text;
        while let Some(at) = rest.find(&format!(" {m} ")) {
            let day: String = rest[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            let tail = &rest[at + m.len() + 2..];
            found.push(format!(
                "{} {m} {}",
                day.chars().rev().collect::<String>(),
                &tail[..tail.len().min(16)]
            ));
            rest = tail;
        }
    }
    found
}

#[test]
fn share_pages_speak_plainly_with_one_date_format_and_the_jargon_in_technical_details() {
    let Some(root) = support::corpus() else {
        return;
    };
    let badges = corpus_badges(&root);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    export_collection(&collection("The corpus", badges), &opts(), &out).unwrap();
    let mut technical = 0;
    let mut with_time = 0;
    for f in crate::support::files_under(&out) {
        if f.extension().is_none_or(|e| e != "html") || f.ends_with("embed.html") {
            continue;
        }
        let html = std::fs::read_to_string(&f).unwrap();
        let text = plain_text(&html);
        for jargon in [
            "N-Quads",
            "RDFC",
            "canonical",
            "JSON Schema:",
            "/credentialSubject",
            "your identities",
            "Your identities",
        ] {
            assert!(
                !text.contains(jargon),
                "{}: {jargon:?} outside the technical details",
                f.display()
            );
        }
        // No ISO 8601 date in the text people read: every date is `5 December 2026`.
        let bytes = text.as_bytes();
        for w in bytes.windows(10) {
            let iso = w.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
            assert!(
                !iso,
                "{}: an ISO date {:?}",
                f.display(),
                String::from_utf8_lossy(w)
            );
        }
        for d in shown_dates(&text) {
            let mut parts = d.splitn(3, ' ');
            let (day, tail) = (parts.next().unwrap(), parts.nth(1).unwrap_or(""));
            assert!(
                day.parse::<u8>().is_ok_and(|n| (1..=31).contains(&n)),
                "{}: {d:?}",
                f.display()
            );
            assert!(
                tail.get(..4)
                    .is_some_and(|y| y.bytes().all(|c| c.is_ascii_digit())),
                "{}: {d:?}",
                f.display()
            );
            let time = tail[4..].strip_prefix(", ");
            if let Some(time) = time.filter(|t| t.as_bytes().get(2) == Some(&b':')) {
                assert_eq!(
                    time.get(5..9),
                    Some(" UTC"),
                    "{}: a time without its zone {d:?}",
                    f.display()
                );
                with_time += 1;
            }
        }
        let doc = Html::parse_document(&html);
        technical += doc
            .select(&Selector::parse("details.technical > summary").unwrap())
            .filter(|s| s.text().collect::<String>() == "Technical details")
            .count();
        // The same verdict words as the app.
        for chip in doc.select(&Selector::parse(".chip").unwrap()) {
            let word: String = chip.text().collect();
            assert!(
                Verdict::ALL.map(Verdict::label).contains(&word.trim()),
                "{}: {word:?}",
                f.display()
            );
        }
    }
    assert!(
        technical > 80,
        "every badge page ends with its technical details ({technical})"
    );
    assert!(
        with_time > 80,
        "checked and exported times are shown ({with_time})"
    );
    let verify_js = std::fs::read_to_string(out.join("assets/verify.js")).unwrap();
    assert!(
        !verify_js.contains("toUTCString"),
        "the browser check writes dates the same way"
    );
}

/// The text a page shows (without the data block of its in-browser check).
fn shown_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let body = Selector::parse("body").unwrap();
    let data = Selector::parse("script").unwrap();
    let mut text: String = doc.select(&body).flat_map(|b| b.text()).collect();
    for s in doc.select(&data) {
        let inner: String = s.text().collect();
        text = text.replace(&inner, "");
    }
    text
}

/// What Chromium asked the proxy for, less its own housekeeping (component
/// updates, sign-in, autofill and time queries to Google hosts, which a
/// headless browser makes whatever page it shows): every request a page
/// made to any other host is in the list.
fn page_requests(proxy: &TestServer) -> Vec<String> {
    proxy
        .requests()
        .into_iter()
        .filter(|r| {
            let host = r
                .strip_prefix("http://")
                .or_else(|| r.strip_prefix("https://"))
                .unwrap_or(r)
                .split(['/', ':'])
                .next()
                .unwrap_or("")
                .to_owned();
            !(host.ends_with(".google.com")
                || host.ends_with(".googleapis.com")
                || host.ends_with(".gvt1.com"))
        })
        .collect()
}

/// Serves an export over loopback like a static host: `TestServer::serve_dir`
/// with the web types for pages, styles and scripts.
fn serve_export(out: &Path) -> TestServer {
    let mut typed = Vec::new();
    for f in crate::support::files_under(out) {
        let ty = match f.extension().and_then(|e| e.to_str()) {
            Some("html") => "text/html; charset=utf-8",
            Some("css") => "text/css",
            Some("js") => "text/javascript",
            Some("json") => "application/json",
            _ => continue,
        };
        let path = format!("/{}", f.strip_prefix(out).unwrap().display());
        typed.push((path, Route::ok(ty, std::fs::read(&f).unwrap())));
    }
    TestServer::serve_dir_with(out, typed)
}

#[test]
fn corpus_pages_re_checked_in_chromium_agree_with_satchel() {
    let Some(root) = support::corpus() else {
        return;
    };
    let Some(bin) = browser::chromium() else {
        return;
    };
    // Checked now, as the visitor's browser checks them (dates agree).
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let badges: Vec<ExportBadge> = corpus_badges_at(&root, now)
        .into_iter()
        .filter(|b| b.report.format.is_signed())
        .collect();
    assert!(badges.len() > 40, "{}", badges.len());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("corpus");
    export_collection(&collection("Signed corpus", badges.clone()), &opts(), &out).unwrap();
    // Badges naming their recipient's email in plain text carry no self-check.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let checkable: BTreeSet<String> = manifest["badges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["self_check"] == json!(true))
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect();
    // The browser check is offered only for badges Satchel verified.
    let mut broken = 0;
    for b in &badges {
        if b.report.status != Verdict::Verified {
            assert!(
                !checkable.contains(&b.id),
                "{}: a self-check for a badge Satchel did not verify",
                b.id
            );
        }
        broken += usize::from(satchel_signature_says(b) == Some(false));
    }
    assert!(
        broken >= 4,
        "{broken} corpus badges with a failing signature"
    );
    let badges: Vec<ExportBadge> = badges
        .into_iter()
        .filter(|b| checkable.contains(&b.id))
        .collect();
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    // Two browsers at a time (one per core).
    let halves: Vec<Vec<&ExportBadge>> = vec![
        badges.iter().step_by(2).collect(),
        badges.iter().skip(1).step_by(2).collect(),
    ];
    let results: Vec<(String, Verdict, Option<String>, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = halves
            .into_iter()
            .map(|half| {
                let (bin, out, port) = (bin.clone(), &out, proxy.port());
                scope.spawn(move || {
                    let browser = browser::Browser::new(bin, port);
                    half.into_iter()
                        .filter(|b| satchel_signature_says(b).is_some())
                        .map(|b| {
                            let dom = browser.dump_dom(&browser::file_url(
                                &out.join(format!("badges/{}.html", b.id)),
                            ));
                            (
                                b.id.clone(),
                                b.report.status,
                                browser_verdict(&dom),
                                browser_steps(&dom),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let (mut verified, mut tampered) = (0, 0);
    for (id, satchel, browser, steps) in &results {
        let b = badges.iter().find(|b| &b.id == id).unwrap();
        match satchel_signature_says(b) {
            // Suites the in-browser check does not cover: the page says so.
            Some(true) if *satchel == Verdict::Verified && !browser_checkable(b) => {
                assert_eq!(
                    browser.as_deref(),
                    Some("unverifiable"),
                    "corpus badge {id}\n{steps}"
                );
                assert!(
                    steps.contains("Satchel's own check"),
                    "corpus badge {id}\n{steps}"
                );
            }
            Some(true) if *satchel == Verdict::Verified => {
                verified += 1;
                assert_eq!(
                    browser.as_deref(),
                    Some("verified"),
                    "corpus badge {id}: Satchel verified it\n{steps}\n{}",
                    badges::describe(&b.report)
                );
            }
            Some(false) => {
                tampered += 1;
                assert_eq!(
                    browser.as_deref(),
                    None,
                    "corpus badge {id}: its signature fails for Satchel, so the browser check is not offered\n{steps}\n{}",
                    badges::describe(&b.report)
                );
            }
            _ => {}
        }
    }
    assert!(
        verified >= 12 && tampered == 0,
        "{verified} verified, {tampered} with a failing signature"
    );
    assert!(
        page_requests(&proxy).is_empty(),
        "{:?}",
        page_requests(&proxy)
    );
}

/// Whether the page's in-browser check covers the badge's signature: JWS,
/// VC-JWT and Data Integrity over RDFC-1.0 (Ed25519, P-256, selective
/// disclosure) do; the JCS suites do not.
fn browser_checkable(b: &ExportBadge) -> bool {
    let proofs = match b
        .inspection
        .document
        .as_ref()
        .and_then(|v| v.get("proof").cloned())
    {
        Some(Value::Array(a)) => a,
        Some(one) => vec![one],
        None => return true,
    };
    proofs.iter().any(|p| {
        let suite = p
            .get("cryptosuite")
            .or(p.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        !matches!(suite, "ecdsa-jcs-2019" | "eddsa-jcs-2022")
    })
}

/// What Satchel's report says of the signature itself: `Some(true)` valid,
/// `Some(false)` fails (tampered, wrong key; not "created in the future",
/// which depends on when the check ran), `None` not decided.
fn satchel_signature_says(b: &ExportBadge) -> Option<bool> {
    use satchel::verify::CheckStatus;
    let sig: Vec<_> = b
        .report
        .checks
        .iter()
        .filter(|c| c.id == "proof" || c.id == "signature.jws")
        .collect();
    let broken = ["does not match", "does not cover", "verification method"];
    if sig
        .iter()
        .any(|c| c.status == CheckStatus::Fail && broken.iter().any(|w| c.message.contains(w)))
    {
        return Some(false);
    }
    if !sig.is_empty() && sig.iter().all(|c| c.status == CheckStatus::Pass) {
        return Some(true);
    }
    None
}

// ---------------------------------------------------------------- generated badges

/// Valid and tampered badges of every signed kind, in one world, with the
/// verdicts Satchel gives them.
fn signed_badges() -> Vec<ExportBadge> {
    let mut out = Vec::new();
    for (i, alg) in [Alg::Rs256, Alg::Es256, Alg::EdDsa].into_iter().enumerate() {
        let mut world = offline_web(None);
        badges::ob2_issuer(
            &mut world,
            alg,
            &["urn:uuid:00000000-0000-4000-8000-000000000099"],
        );
        let jws = badges::ob2_signed(alg, i as u32 + 1);
        let color = [[222, 99, 40], [52, 81, 178], [6, 118, 71]][i];
        out.push(badges::export_badge(
            &format!("ob2-{}", alg.name().to_lowercase()),
            badges::baked(&jws, false, color),
            Some("rust-ranger.png"),
            &world,
        ));
        let tampered = badges::tamper_jws(&jws, |p| p["issuedOn"] = json!("2020-01-01T00:00:00Z"));
        let world = {
            let mut w = offline_web(None);
            badges::ob2_issuer(&mut w, alg, &[]);
            w
        };
        out.push(badges::export_badge(
            &format!("ob2-{}-tampered", alg.name().to_lowercase()),
            badges::baked(&tampered, false, color),
            None,
            &world,
        ));
    }
    // Revoked (OB 2.0, EdDSA).
    let mut world = offline_web(None);
    badges::ob2_issuer(
        &mut world,
        Alg::EdDsa,
        &["urn:uuid:00000000-0000-4000-8000-000000000099"],
    );
    out.push(badges::export_badge(
        "ob2-revoked",
        badges::baked(&badges::ob2_signed(Alg::EdDsa, 99), false, [120, 120, 120]),
        None,
        &world,
    ));
    // OB 3.0 VC-JWT.
    for alg in [Alg::EdDsa, Alg::Es256] {
        let world = offline_web(None);
        let jwt = badges::ob3_vc_jwt(alg, "Graph Gardener");
        out.push(badges::export_badge(
            &format!("vcjwt-{}", alg.name().to_lowercase()),
            badges::baked(&jwt, true, [120, 60, 160]),
            None,
            &world,
        ));
        let tampered = badges::tamper_jws(&jwt, |p| p["vc"]["name"] = json!("Graph Grandmaster"));
        out.push(badges::export_badge(
            &format!("vcjwt-{}-tampered", alg.name().to_lowercase()),
            tampered.into_bytes(),
            None,
            &world,
        ));
    }
    // OB 3.0 Data Integrity.
    let world = offline_web(None);
    let cred = badges::sign_di(badges::ob3_credential("Graph Gardener"));
    out.push(badges::export_badge(
        "di",
        badges::baked(&cred.to_string(), true, [6, 118, 71]),
        None,
        &world,
    ));
    let mut tampered = cred.clone();
    tampered["credentialSubject"]["achievement"]["description"] = json!("Did something else.");
    out.push(badges::export_badge(
        "di-tampered",
        tampered.to_string().into_bytes(),
        Some("di.json"),
        &world,
    ));
    // The same with P-256 and P-384 keys (ecdsa-rdfc-2019).
    for (curve, p384) in [("p256", false), ("p384", true)] {
        let cred = badges::sign_di_ecdsa(badges::ob3_credential("Curve Keeper"), p384);
        out.push(badges::export_badge(
            &format!("di-{curve}"),
            cred.to_string().into_bytes(),
            Some("ecdsa.json"),
            &world,
        ));
        let mut tampered = cred.clone();
        tampered["credentialSubject"]["achievement"]["name"] = json!("Curve Breaker");
        out.push(badges::export_badge(
            &format!("di-{curve}-tampered"),
            tampered.to_string().into_bytes(),
            Some("ecdsa.json"),
            &world,
        ));
    }
    out
}

fn verdict_word(v: Verdict) -> String {
    serde_json::to_value(v)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

/// `<html data-browser-verdict="…">` of a dumped DOM.
fn browser_verdict(dom: &str) -> Option<String> {
    let doc = Html::parse_document(dom);
    let html = Selector::parse("html").unwrap();
    doc.select(&html)
        .next()?
        .value()
        .attr("data-browser-verdict")
        .map(str::to_owned)
}

fn browser_steps(dom: &str) -> String {
    let doc = Html::parse_document(dom);
    let sel = Selector::parse("#browser-steps li, #browser-summary").unwrap();
    doc.select(&sel)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn generated_badges_get_the_verdicts_the_tests_expect_from_satchel() {
    let badges = signed_badges();
    let want = |id: &str| {
        if id == "ob2-revoked" {
            Verdict::Revoked
        } else if id.ends_with("-tampered") {
            Verdict::Invalid
        } else {
            Verdict::Verified
        }
    };
    for b in &badges {
        assert_eq!(
            b.report.status,
            want(&b.id),
            "{}: {}",
            b.id,
            badges::describe(&b.report)
        );
    }
}

#[test]
fn forged_badges_fail_in_the_browser_even_under_a_stale_verified_report() {
    use crate::key_binding::{
        attacker_key, credential, issuer_key, jwk, multikey, sign_di, sign_jwt,
    };
    let Some(bin) = browser::chromium() else {
        return;
    };
    // The issuer's site (its profile lists its key document) and an attacker's.
    let issuer = "https://issuer.test/issuers/med";
    let key_url = "https://issuer.test/keys/1.json";
    let mut world = offline_web(None);
    world.add(
        key_url,
        json!({"id": key_url, "type": "Multikey", "controller": issuer,
               "publicKeyMultibase": multikey(&issuer_key())})
        .to_string(),
    );
    world.add(
        issuer,
        json!({"id": issuer, "type": "Profile", "name": "Harvard Medical School",
               "assertionMethod": [key_url]})
        .to_string(),
    );
    let attacker_doc = "https://attacker.test/key.json";
    world.add(
        attacker_doc,
        json!({"id": attacker_doc, "type": "Multikey", "controller": issuer,
               "publicKeyMultibase": multikey(&attacker_key())})
        .to_string(),
    );
    let mut set_key = jwk(&attacker_key());
    set_key["kid"] = json!("k1");
    world.add(
        "https://attacker.test/jwks.json",
        json!({"keys": [set_key]}).to_string(),
    );
    let cred = credential(issuer);
    let did_key = format!("did:key:{0}#{0}", multikey(&attacker_key()));
    let cases: Vec<(&str, String, Verdict)> = vec![
        (
            "valid-di",
            sign_di(cred.clone(), key_url, &issuer_key()).to_string(),
            Verdict::Verified,
        ),
        (
            "valid-jwt",
            sign_jwt(&cred, json!({"kid": key_url}), &issuer_key()),
            Verdict::Verified,
        ),
        (
            "jwt-jwk",
            sign_jwt(&cred, json!({"jwk": jwk(&attacker_key())}), &attacker_key()),
            Verdict::Invalid,
        ),
        (
            "jwt-jwks",
            sign_jwt(
                &cred,
                json!({"kid": "https://attacker.test/jwks.json#k1"}),
                &attacker_key(),
            ),
            Verdict::Invalid,
        ),
        (
            "di-claimed-controller",
            sign_di(cred.clone(), attacker_doc, &attacker_key()).to_string(),
            Verdict::Invalid,
        ),
        (
            "di-fragment",
            sign_di(
                cred.clone(),
                &format!("{issuer}#{}", multikey(&attacker_key())),
                &attacker_key(),
            )
            .to_string(),
            Verdict::Invalid,
        ),
        (
            "jwt-did-key",
            sign_jwt(&cred, json!({"kid": did_key}), &attacker_key()),
            Verdict::Invalid,
        ),
        (
            "di-did-key",
            sign_di(cred.clone(), &did_key, &attacker_key()).to_string(),
            Verdict::Invalid,
        ),
    ];
    let mut exported = Vec::new();
    for (id, text, want) in &cases {
        let mut b = badges::export_badge(id, text.clone().into_bytes(), Some("badge.json"), &world);
        assert_eq!(
            b.report.status,
            *want,
            "{id}: {}",
            badges::describe(&b.report)
        );
        // As an older Satchel (before the key rule) would have reported it.
        b.report.status = Verdict::Verified;
        exported.push(b);
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    export_collection(&collection("Forgeries", exported.clone()), &opts(), &out).unwrap();
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    let browser = browser::Browser::new(bin, proxy.port());
    // The page says how the issuer is identified (from the report as given).
    let page = std::fs::read_to_string(out.join("badges/valid-di.html")).unwrap();
    assert!(page.contains("Issuer confirmed by issuer.test."), "{page}");
    for (id, _, want) in &cases {
        let dom = browser.dump_dom(&browser::file_url(&out.join(format!("badges/{id}.html"))));
        assert_eq!(
            browser_verdict(&dom).as_deref(),
            Some(verdict_word(*want).as_str()),
            "{id}: the browser must apply Satchel's key rule\n{}",
            browser_steps(&dom)
        );
    }
}

#[test]
fn pages_verify_themselves_in_chromium_with_satchels_verdict() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let mut badges = signed_badges();
    if let Some(root) = support::corpus() {
        // A real RS256-signed 1EdTech badge with its real issuer documents.
        let world = offline_web(Some(root.join("ob2/hosted/assets")));
        let bytes = std::fs::read(root.join("ob2/signed/dcpv_simple.jwt")).unwrap();
        badges.push(badges::export_badge(
            "dcpv-simple",
            bytes,
            Some("simple.jwt"),
            &world,
        ));
        // A selectively disclosed (ecdsa-sd-2023) credential, as shared and
        // with one disclosed value changed or one statement left out.
        let sd: Value = serde_json::from_slice(
            &std::fs::read(root.join("ob3/1edtech-validator/sd/derivedcredential.json")).unwrap(),
        )
        .unwrap();
        let mut changed = sd.clone();
        changed["credentialSubject"]["achievement"]["name"] = json!("Leadership");
        let mut dropped = sd.clone();
        dropped["credentialSubject"]["achievement"]
            .as_object_mut()
            .unwrap()
            .remove("description");
        // The issuer's base proof (what the holder receives): could not check, in both.
        let mut base = sd.clone();
        use base64::Engine;
        base["proof"][0]["proofValue"] = json!(format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode([0xd9, 0x5d, 0x00, 0x85, 0x40, 0x40, 0x40, 0x80, 0x80])
        ));
        for (id, doc) in [
            ("sd", sd),
            ("sd-changed", changed),
            ("sd-dropped", dropped),
            ("sd-base", base),
        ] {
            badges.push(badges::export_badge(
                id,
                doc.to_string().into_bytes(),
                Some("derived.json"),
                &world,
            ));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    export_collection(&collection("Signed badges", badges.clone()), &opts(), &out).unwrap();
    check_pages(&out);

    let site = serve_export(&out);
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    let browser = browser::Browser::new(bin, proxy.port());
    for b in &badges {
        let url = site.url(&format!("/badges/{}.html", b.id));
        let dom = browser.dump_dom(&url);
        let got = browser_verdict(&dom);
        if b.report.status != Verdict::Verified {
            // Offered only for badges Satchel verified.
            assert_eq!(
                got, None,
                "{}: the browser check ran on a badge Satchel did not verify",
                b.id
            );
            assert!(
                dom.contains("offered only for badges Satchel verified"),
                "{}",
                b.id
            );
            continue;
        }
        assert_eq!(
            got.as_deref(),
            Some(verdict_word(b.report.status).as_str()),
            "{}: the browser says {got:?}, Satchel {:?}\nbrowser:\n{}\nSatchel: {}",
            b.id,
            b.report.status,
            browser_steps(&dom),
            badges::describe(&b.report)
        );
        assert!(browser_steps(&dom).contains("made no request"), "{}", b.id);
    }
    // From disk too (file://), where the script and styles are local files.
    let dom = browser.dump_dom(&browser::file_url(&out.join("badges/ob2-rs256.html")));
    assert_eq!(
        browser_verdict(&dom).as_deref(),
        Some("verified"),
        "{}",
        browser_steps(&dom)
    );
    let dom = browser.dump_dom(&browser::file_url(&out.join("badges/di.html")));
    assert_eq!(
        browser_verdict(&dom).as_deref(),
        Some("verified"),
        "{}",
        browser_steps(&dom)
    );

    // Every request stayed in the export folder: no 404, nothing proxied out.
    let files: BTreeSet<String> = crate::support::files_under(&out)
        .iter()
        .map(|f| format!("/{}", f.strip_prefix(&out).unwrap().display()))
        .collect();
    for r in site.requests() {
        let path = r.split('?').next().unwrap();
        assert!(
            files.contains(path) || path == "/favicon.ico",
            "the page asked for {r}"
        );
    }
    assert_eq!(
        page_requests(&proxy),
        Vec::<String>::new(),
        "requests left the page"
    );
}

#[test]
fn a_hosted_badge_page_explains_how_to_check_live() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let mut world = offline_web(None);
    badges::ob2_issuer(&mut world, Alg::EdDsa, &[]);
    let assertion = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "https://issuer.test/assertions/7", "recipient": badges::hashed_ada(),
        "badge": "https://issuer.test/badges/rust", "issuedOn": "2024-05-01T12:00:00Z",
        "verification": {"type": "hosted"}});
    world.add("https://issuer.test/assertions/7", assertion.to_string());
    let b = badges::export_badge(
        "hosted",
        badges::baked(&assertion.to_string(), false, [1, 2, 3]),
        None,
        &world,
    );
    assert_eq!(
        b.report.status,
        Verdict::Verified,
        "{}",
        badges::describe(&b.report)
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    export_collection(&collection("Hosted", vec![b]), &opts(), &out).unwrap();
    let html = std::fs::read_to_string(out.join("badges/hosted.html")).unwrap();
    assert!(html.contains("Check it live"));
    assert!(html.contains("satchel verify https://issuer.test/assertions/7"));
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    let dom = browser::Browser::new(bin, proxy.port())
        .dump_dom(&browser::file_url(&out.join("badges/hosted.html")));
    assert_eq!(browser_verdict(&dom).as_deref(), Some("unverifiable"));
    let steps = browser_steps(&dom);
    assert!(
        steps.contains("same as the copy the issuer's server returned"),
        "{steps}"
    );
    assert!(steps.contains("check it live"), "{steps}");
    assert!(
        page_requests(&proxy).is_empty(),
        "{:?}",
        page_requests(&proxy)
    );
}

// ---------------------------------------------------------------- hostile corpus

const MARK: &str = "data-pwned";

/// Badges whose every string tries to run script, load something or restyle the page.
fn hostile_badges(canary: &str) -> Vec<ExportBadge> {
    let script = format!(
        "<script>document.documentElement.setAttribute('{MARK}','script');fetch('{canary}/script')</script>"
    );
    let handler = format!(
        "<img src=x onerror=\"document.documentElement.setAttribute('{MARK}','onerror')\"><svg onload=\"fetch('{canary}/svg-onload')\">"
    );
    let css = format!("</style><style>body{{background:url({canary}/css)}}</style><link rel=stylesheet href={canary}/link.css>");
    let breakout = format!("\"><script src=\"{canary}/attr.js\"></script><x a=\"");
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" onload="fetch('{canary}/svg-image-onload')"><script>fetch('{canary}/svg-image-script');parent.document.documentElement.setAttribute('{MARK}','svg')</script><image href="{canary}/svg-image.png" width="64" height="64"/><rect width="64" height="64" fill="red"/></svg>"#
    );
    let mut world = offline_web(None);
    world.add("https://issuer.test/hostile-image.svg", svg.clone());
    let mut out = Vec::new();
    let variants: Vec<(&str, Value)> = vec![
        (
            "script",
            json!({"name": script, "description": format!("{handler}{css}"), "criteria": {"narrative": breakout, "id": "javascript:document.documentElement.setAttribute('data-pwned','criteria')"}}),
        ),
        (
            "handlers",
            json!({"name": handler, "description": script, "criteria": {"id": format!("data:text/html,{script}")}}),
        ),
        (
            "css",
            json!({"name": css, "description": breakout, "criteria": {"id": " JaVaScRiPt:alert(1)"}}),
        ),
        (
            "image-url",
            json!({"name": "Remote image", "description": "Its image is on another server.", "image": format!("{canary}/remote.png")}),
        ),
    ];
    for (i, (id, badge)) in variants.into_iter().enumerate() {
        let mut class = json!({"type": "BadgeClass", "id": format!("https://issuer.test/hostile/{i}"),
            "name": "x", "description": "x", "image": "https://issuer.test/hostile-image.svg",
            "criteria": {"narrative": "x"},
            "alignment": [{"targetName": script, "targetUrl": "javascript:alert(1)", "targetDescription": css}],
            "tags": [script.clone(), css.clone()],
            "issuer": {"type": "Issuer", "id": "https://issuer.test/issuer", "name": breakout,
                "url": format!("javascript:fetch('{canary}/issuer')"), "image": format!("{canary}/issuer.png")}});
        for (k, v) in badge.as_object().unwrap() {
            class[k] = v.clone();
        }
        let assertion = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
            "id": format!("https://issuer.test/hostile-assertions/{i}"), "recipient": badges::hashed_ada(),
            "badge": class, "issuedOn": "2024-05-01T12:00:00Z", "expires": script,
            "evidence": [{"id": format!("javascript:fetch('{canary}/evidence')"), "name": script, "narrative": css}],
            "verification": {"type": "hosted"}});
        let mut b = badges::export_badge(
            id,
            assertion.to_string().into_bytes(),
            Some(&format!("../../{script}.json")),
            &world,
        );
        if id == "script" {
            // The display image: the hostile SVG (shown with <img>, never inlined).
            b.image = Some(("image/svg+xml".to_owned(), svg.clone().into_bytes()));
        }
        out.push(b);
    }
    // A hostile SVG badge itself, baked (its image is the original).
    let svg_badge = {
        let assertion = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
            "id": "https://issuer.test/hostile-assertions/svg", "recipient": badges::hashed_ada(),
            "badge": {"type": "BadgeClass", "id": "https://issuer.test/hostile/svg", "name": "SVG with a script",
                "description": "d", "image": "https://issuer.test/hostile-image.svg", "criteria": {"narrative": "n"},
                "issuer": {"type": "Issuer", "id": "https://issuer.test/issuer", "name": "Hostile"}},
            "issuedOn": "2024-05-01T12:00:00Z", "verification": {"type": "hosted"}});
        satchel::bake::bake(
            svg.as_bytes(),
            &assertion.to_string(),
            satchel::bake::Slot::OpenBadges,
        )
        .unwrap()
    };
    out.push(badges::export_badge(
        "svg",
        svg_badge,
        Some("hostile.svg"),
        &world,
    ));
    out
}

#[test]
fn the_hostile_corpus_runs_no_script_and_makes_no_request_in_chromium() {
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    // The canary is "another site": Chromium reaches it only through the proxy.
    let canary = "http://canary.test";
    let badges = hostile_badges(canary);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("hostile");
    let mut o = opts();
    o.include_evidence = true;
    o.include_recipient_name = true;
    export_collection(
        &collection(&format!("<script>alert(1)</script>{canary}"), badges),
        &o,
        &out,
    )
    .unwrap();
    let pages = check_pages(&out);

    // Statically: no badge markup survived, no link to anything but http(s).
    let scripts = Selector::parse("script").unwrap();
    let handlers = Selector::parse(
        "[onerror], [onload], [style], style, iframe, object, embed, svg, link[rel=stylesheet]",
    )
    .unwrap();
    for (p, doc) in &pages {
        if p.file_name().unwrap() == "embed.html" {
            continue;
        }
        for s in doc.select(&scripts) {
            let src = s.value().attr("src");
            let ty = s.value().attr("type");
            assert!(
                src == Some("../assets/verify.js") || ty == Some("application/json"),
                "{}: a script element {:?}",
                p.display(),
                s.html().chars().take(200).collect::<String>()
            );
        }
        for el in doc.select(&handlers) {
            let ok = el.value().name() == "link"
                && el
                    .value()
                    .attr("href")
                    .is_some_and(|h| h.ends_with("assets/satchel.css"));
            assert!(
                ok,
                "{}: {}",
                p.display(),
                el.html().chars().take(200).collect::<String>()
            );
        }
    }
    for f in crate::support::files_under(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        if f.extension().is_some_and(|e| e == "html") {
            assert!(
                !text.to_ascii_lowercase().contains("href=\"javascript:"),
                "{}",
                f.display()
            );
            assert!(!text.contains("href=\"data:"), "{}", f.display());
        }
    }
    // The hostile SVG is shown only through <img>, and only as its cleaned copy.
    let page = std::fs::read_to_string(out.join("badges/svg.html")).unwrap();
    assert!(page.contains("<img class=\"badge-image\" src=\"../files/svg/image.svg\""));

    // Dynamically, in Chromium, served over loopback and from disk.
    let Some(bin) = browser::chromium() else {
        return;
    };
    let site = serve_export(&out);
    let browser = browser::Browser::new(bin, proxy.port());
    // The trap works: a page that does load something from elsewhere is caught.
    let control = tempfile::tempdir().unwrap();
    std::fs::write(
        control.path().join("control.html"),
        format!("<!DOCTYPE html><img src=\"{canary}/control.png\">"),
    )
    .unwrap();
    browser.dump_dom(&browser::file_url(&control.path().join("control.html")));
    assert_eq!(page_requests(&proxy), vec![format!("{canary}/control.png")]);
    let caught = proxy.requests().len();
    let mut urls = vec![
        site.url("/index.html"),
        browser::file_url(&out.join("index.html")),
    ];
    for id in ["script", "handlers", "css", "image-url", "svg"] {
        urls.push(site.url(&format!("/badges/{id}.html")));
    }
    urls.push(browser::file_url(&out.join("badges/script.html")));
    urls.push(site.url("/embed.html"));
    for url in &urls {
        let dom = browser.dump_dom(url);
        assert!(
            !dom.contains(&format!("{MARK}=")),
            "{url}: a badge script ran"
        );
        if url.contains("/badges/") {
            // Our own script did run, and said what it found.
            assert!(
                dom.contains("data-satchel-script=\"ran\""),
                "{url}: the page's own script did not run"
            );
        }
    }
    browser.screenshot(
        &site.url("/badges/script.html"),
        &screenshot_path("export-hostile.png"),
        1200,
        1400,
    );
    assert_eq!(
        page_requests(&proxy),
        vec![format!("{canary}/control.png")],
        "requests left the page"
    );
    assert!(proxy.requests().len() >= caught);
    for r in site.requests() {
        assert!(!r.contains("canary"), "{r}");
        let path = r.split('?').next().unwrap().trim_start_matches('/');
        assert!(
            path == "favicon.ico" || out.join(path).is_file(),
            "the page asked the site for {r}"
        );
    }
}

// ---------------------------------------------------------------- screenshots and print

fn screenshot_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn screenshots_of_the_index_and_badge_pages_and_a_one_page_print() {
    let Some(bin) = browser::chromium() else {
        return;
    };
    let mut badges = signed_badges();
    badges.retain(|b| {
        [
            "ob2-rs256",
            "vcjwt-eddsa",
            "di",
            "ob2-es256-tampered",
            "ob2-revoked",
            "di-tampered",
        ]
        .contains(&b.id.as_str())
    });
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut o = opts();
    o.base_url = Some("https://ada.example/badges/".to_owned());
    o.include_evidence = true;
    o.include_recipient_name = true;
    export_collection(&collection("Ada's badges", badges), &o, &out).unwrap();
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    let site = serve_export(&out);
    let browser = browser::Browser::new(bin, proxy.port());
    browser.screenshot(
        &site.url("/index.html"),
        &screenshot_path("export-index.png"),
        1200,
        900,
    );
    browser.screenshot(
        &browser::file_url(&out.join("index.html")),
        &screenshot_path("export-index-file.png"),
        1200,
        900,
    );
    browser.screenshot(
        &site.url("/badges/ob2-rs256.html"),
        &screenshot_path("export-badge-ob2.png"),
        1200,
        2000,
    );
    browser.screenshot(
        &site.url("/badges/di.html"),
        &screenshot_path("export-badge-di.png"),
        1200,
        2000,
    );
    browser.screenshot(
        &site.url("/badges/ob2-es256-tampered.html"),
        &screenshot_path("export-badge-tampered.png"),
        1200,
        1600,
    );
    browser.screenshot(
        &site.url("/badges/ob2-rs256.html"),
        &screenshot_path("export-badge-mobile.png"),
        400,
        1800,
    );
    for id in ["ob2-rs256", "di"] {
        let pdf = tmp.path().join(format!("{id}.pdf"));
        browser.print_pdf(&site.url(&format!("/badges/{id}.html")), &pdf);
        let bytes = std::fs::read(&pdf).unwrap();
        std::fs::copy(&pdf, screenshot_path(&format!("export-print-{id}.pdf"))).unwrap();
        assert_eq!(
            browser::pdf_pages(&bytes),
            1,
            "{id} prints to more than one page"
        );
    }
    assert!(
        page_requests(&proxy).is_empty(),
        "{:?}",
        page_requests(&proxy)
    );
}

// ---------------------------------------------------------------- privacy, LinkedIn, Open Graph

/// An issuer's documents and a hosted assertion naming its recipient's
/// email address in plain text (with evidence).
fn plain_email_world() -> (badges::World, Value) {
    let mut world = offline_web(None);
    badges::ob2_issuer(&mut world, Alg::EdDsa, &[]);
    let plain = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": "https://issuer.test/assertions/plain",
        "recipient": {"type": "email", "hashed": false, "identity": "grace.hopper@navy.example"},
        "badge": "https://issuer.test/badges/rust", "issuedOn": "2024-05-01T12:00:00Z",
        "evidence": [{"id": "https://evidence.test/secret", "narrative": "A private story."}],
        "verification": {"type": "hosted"}});
    world.add("https://issuer.test/assertions/plain", plain.to_string());
    (world, plain)
}

/// A badge publishing a hash of the recipient's email address (`hashed`, with
/// evidence) and one naming its recipient (`named`).
fn hashed_and_named(world: &badges::World) -> [ExportBadge; 2] {
    [
        badges::export_badge(
            "hashed",
            badges::baked(&badges::ob2_signed(Alg::EdDsa, 5), false, [9, 9, 9]),
            None,
            world,
        ),
        badges::export_badge(
            "named",
            badges::sign_di(badges::ob3_credential("Named"))
                .to_string()
                .into_bytes(),
            None,
            world,
        ),
    ]
}

#[test]
fn a_plaintext_email_is_never_published_and_hashes_and_names_are_warned_about() {
    let (world, plain) = plain_email_world();
    let signed_plain = badges::sign_jws(
        Alg::EdDsa,
        json!({"alg": "EdDSA"}),
        &json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:1",
            "recipient": {"type": "email", "hashed": false, "identity": "Grace.Hopper@Navy.example"},
            "badge": "https://issuer.test/badges/rust", "issuedOn": "2024-05-01T12:00:00Z",
            "verification": {"type": "SignedBadge", "creator": "https://issuer.test/keys/EdDSA"}}),
    );
    let mut badges = vec![
        badges::export_badge(
            "plain",
            badges::baked(&plain.to_string(), false, [9, 9, 9]),
            None,
            &world,
        ),
        badges::export_badge(
            "signed-plain",
            signed_plain.clone().into_bytes(),
            None,
            &world,
        ),
    ];
    badges.extend(hashed_and_named(&world));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let summary = export_collection(&collection("Private", badges.clone()), &opts(), &out).unwrap();
    for f in crate::support::files_under(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).to_ascii_lowercase();
        assert!(
            !text.contains("grace.hopper"),
            "{} publishes the plaintext email",
            f.display()
        );
        assert!(
            !text.contains(&signed_plain[signed_plain.len() - 40..].to_ascii_lowercase()),
            "{} publishes the JWS",
            f.display()
        );
        assert!(
            !text.contains("a private story"),
            "{} publishes evidence not asked for",
            f.display()
        );
        if f.extension().is_some_and(|e| e == "html") {
            assert!(
                !shown_text(&text)
                    .to_ascii_lowercase()
                    .contains("ada lovelace"),
                "{} shows the recipient's name",
                f.display()
            );
        }
    }
    let w = |needle: &str| summary.warnings.iter().any(|w| w.contains(needle));
    assert!(
        w("badges/plain.html: the badge names its recipient's email address in plain text"),
        "{:#?}",
        summary.warnings
    );
    assert!(
        w("badges/signed-plain.html: the badge names"),
        "{:#?}",
        summary.warnings
    );
    assert!(
        w("badges/hashed.html publishes a hash of the recipient's email address"),
        "{:#?}",
        summary.warnings
    );
    assert!(
        w("badges/hashed.html does not show the badge's evidence"),
        "{:#?}",
        summary.warnings
    );
    assert!(
        w("badges/named.html does not show the recipient's name"),
        "{:#?}",
        summary.warnings
    );
    let page = std::fs::read_to_string(out.join("badges/plain.html")).unwrap();
    assert!(page.contains("not published here"));
    // Only the snippet and the badge class's and issuer's images (not the baked file).
    for f in crate::support::files_under(&out.join("files/plain")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            ["image.png", "issuer.png"].contains(&name.as_str()),
            "{name}"
        );
    }

    // Opted in: the name and the evidence are shown.
    let mut o = opts();
    o.include_evidence = true;
    o.include_recipient_name = true;
    let out2 = tmp.path().join("site2");
    export_collection(&collection("Private", badges), &o, &out2).unwrap();
    let named = std::fs::read_to_string(out2.join("badges/named.html")).unwrap();
    assert!(named.contains("Awarded to</dt><dd>Ada Lovelace"));
    let hashed = std::fs::read_to_string(out2.join("badges/hashed.html")).unwrap();
    assert!(hashed.contains("Published on a registry."));
    assert!(hashed.contains("href=\"https://evidence.test/ada/crate\""));
}

#[test]
fn the_share_plan_says_what_the_export_publishes_and_leaving_originals_out_clears_the_warnings() {
    let (world, plain) = plain_email_world();
    let mut badges = vec![badges::export_badge(
        "plain",
        badges::baked(&plain.to_string(), false, [9, 9, 9]),
        None,
        &world,
    )];
    badges.extend(hashed_and_named(&world));
    let c = collection("Private", badges);
    let plan = share_plan(&c, &opts()).unwrap();
    assert_eq!(plan.title, "Private");
    let by = |plan: &SharePlan, id: &str| plan.badges.iter().find(|b| b.id == id).cloned().unwrap();
    let plain_badge = by(&plan, "plain");
    assert!(
        plain_badge.plaintext_email && !plain_badge.original,
        "{plain_badge:?}"
    );
    assert!(plain_badge.warnings[0].contains("names its recipient's email address in plain text"));
    let named = by(&plan, "named");
    assert!(named.original && named.names_recipient && !named.recipient_name_shown);
    assert_eq!(
        named.warnings,
        ["badges/named.html does not show the recipient's name, but its original file, published for download, still contains it"]
    );
    assert!(by(&plan, "hashed").warnings[0]
        .contains("publishes a hash of the recipient's email address"));
    assert_eq!(plan.originals, 2);
    assert_eq!(plan.recipient_names, 0);

    // The export says exactly what the plan said, page by page.
    let tmp = tempfile::tempdir().unwrap();
    let summary = export_collection(&c, &opts(), &tmp.path().join("site")).unwrap();
    let planned: Vec<String> = plan
        .badges
        .iter()
        .flat_map(|b| b.warnings.clone())
        .collect();
    assert_eq!(summary.warnings, planned);
    let pages: Vec<String> = summary.pages[1..]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        pages,
        plan.badges
            .iter()
            .map(|b| b.page.clone())
            .collect::<Vec<_>>()
    );

    // Originals left out: no original, JSON or self-check is published, so
    // nothing is left in them to warn about (the plaintext email still is).
    let mut o = opts();
    o.leave_out_originals = true;
    let left_out = share_plan(&c, &o).unwrap();
    assert_eq!(left_out.originals, 0);
    assert!(by(&left_out, "named").warnings.is_empty());
    assert!(by(&left_out, "hashed").warnings.is_empty());
    assert_eq!(by(&left_out, "plain").warnings, plain_badge.warnings);
    let out = tmp.path().join("site2");
    let summary = export_collection(&c, &o, &out).unwrap();
    assert_eq!(summary.warnings.len(), 1, "{:#?}", summary.warnings);
    for f in crate::support::files_under(&out.join("files")) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("image.") || name.starts_with("issuer."),
            "{}",
            f.display()
        );
    }
    let named_page = std::fs::read_to_string(out.join("badges/named.html")).unwrap();
    assert!(
        named_page.contains("are not published here."),
        "the page says so"
    );

    // A base URL that is not http(s) is refused before anything else.
    let mut bad = opts();
    bad.base_url = Some("ftp://example.org/".to_owned());
    assert!(matches!(
        share_plan(&c, &bad),
        Err(ExportError::BadBaseUrl(_))
    ));
}

#[test]
fn linkedin_is_offered_only_for_verified_badges_with_absolute_urls() {
    let badges = signed_badges();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut o = opts();
    o.base_url = Some("https://ada.example/my badges".to_owned());
    export_collection(&collection("Mine", badges.clone()), &o, &out).unwrap();
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for (b, m) in badges.iter().zip(manifest["badges"].as_array().unwrap()) {
        let page = std::fs::read_to_string(out.join(format!("badges/{}.html", b.id))).unwrap();
        if b.report.status == Verdict::Verified {
            let url = url::Url::parse(m["linkedin"].as_str().unwrap()).unwrap();
            assert_eq!(url.host_str(), Some("www.linkedin.com"));
            assert_eq!(url.path(), "/profile/add");
            let q: std::collections::HashMap<String, String> =
                url.query_pairs().into_owned().collect();
            assert_eq!(q["startTask"], "CERTIFICATION_NAME");
            assert!(
                ["Rust Ranger", "Graph Gardener", "Curve Keeper"].contains(&q["name"].as_str()),
                "{q:?}"
            );
            assert_eq!(q["organizationName"], "Test Guild of Makers");
            assert_eq!(
                q["certUrl"],
                format!("https://ada.example/my%20badges/badges/{}.html", b.id)
            );
            assert_eq!(
                q["certId"],
                b.inspection.badge.as_ref().unwrap().id.clone().unwrap()
            );
            if b.id.starts_with("ob2") {
                assert_eq!(
                    (q["issueYear"].as_str(), q["issueMonth"].as_str()),
                    ("2024", "5")
                );
            }
            assert!(page.contains("Add to LinkedIn profile"));
            let og = format!("<meta property=\"og:url\" content=\"https://ada.example/my%20badges/badges/{}.html\">", b.id);
            assert!(page.contains(&og), "{}", b.id);
            assert!(page.contains(
                "<meta property=\"og:image\" content=\"https://ada.example/my%20badges/files/"
            ));
        } else {
            assert!(m["linkedin"].is_null(), "{}", b.id);
            assert!(!page.contains("linkedin.com/profile/add"), "{}", b.id);
        }
        // The embed snippet: a card with an absolute link and image, no iframe.
        let embed = m["embed_html"].as_str().unwrap();
        assert!(
            page.contains(
                &embed
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('\'', "&#39;")
            ),
            "{}",
            b.id
        );
        assert!(embed.contains(&format!(
            "href=\"https://ada.example/my%20badges/badges/{}.html\"",
            b.id
        )));
        assert!(embed.contains("<img src=\"https://ada.example/my%20badges/files/"));
        assert!(!embed.contains("iframe"));
    }
    let embed = std::fs::read_to_string(out.join("embed.html")).unwrap();
    assert_eq!(embed.matches("<a href=").count(), badges.len() + 1);
    assert!(std::fs::read_to_string(out.join("index.html"))
        .unwrap()
        .contains(
            &embed
                .trim()
                .replace('"', "&quot;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")[..60]
        ));
}

// ---------------------------------------------------------------- the output folder

/// Checks no temporary folder of an export is left in `dir`.
fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("satchel-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_output_folder_is_replaced_whole_or_left_alone() {
    let world = offline_web(None);
    let cred = badges::sign_di(badges::ob3_credential("One"));
    let one = badges::export_badge("one", cred.to_string().into_bytes(), None, &world);
    let tmp = tempfile::tempdir().unwrap();
    let c = collection("C", vec![one.clone()]);

    // Into an empty folder, then over a previous export.
    let out = tmp.path().join("site");
    std::fs::create_dir(&out).unwrap();
    export_collection(&c, &opts(), &out).unwrap();
    let summary = export_collection(&c, &opts(), &out).unwrap();
    assert_eq!(summary.files.len(), crate::support::files_under(&out).len());
    assert!(satchel::export::is_previous_export(&out));

    // A folder of someone else's files is never touched.
    let mine = tmp.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("thesis.tex"), "precious").unwrap();
    let err = export_collection(&c, &opts(), &mine).unwrap_err();
    assert_eq!(err, ExportError::NotEmpty(mine.clone()));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the folder is not empty and is not a previous Satchel export, so it is left alone",
            mine.display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("thesis.tex")).unwrap(),
        "precious"
    );
    assert_eq!(std::fs::read_dir(&mine).unwrap().count(), 1);

    // A path under a file: an error naming the path, and nothing left behind.
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let err = export_collection(&c, &opts(), &file.join("site")).unwrap_err();
    assert!(matches!(err, ExportError::Io { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&file.display().to_string()),
        "{err}"
    );
    let err = export_collection(&c, &opts(), &file).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}: this exists and is not a folder", file.display())
    );

    // Bad input is an error, not a half-written folder.
    let mut o = opts();
    o.base_url = Some("javascript:alert(1)".to_owned());
    let fresh = tmp.path().join("fresh");
    let err = export_collection(&c, &o, &fresh).unwrap_err();
    assert_eq!(
        err.to_string(),
        "javascript:alert(1): the base URL must be an absolute http or https URL"
    );
    let dup = collection("C", vec![one.clone(), one.clone()]);
    let err = export_collection(&dup, &opts(), &fresh).unwrap_err();
    assert_eq!(
        err.to_string(),
        "badges/one.html: two badges of the collection have this id"
    );
    let mut nameless = one.clone();
    nameless.id = "../..".to_owned();
    let err = export_collection(&collection("C", vec![nameless]), &opts(), &fresh).unwrap_err();
    assert!(
        err.to_string().contains("has no letters or digits"),
        "{err}"
    );
    assert!(!fresh.exists());
    assert_no_leftovers(tmp.path());

    // Ids keep only safe characters.
    let mut odd = one;
    odd.id = "Badge #7 / <b>".to_owned();
    let s = export_collection(&collection("C", vec![odd]), &opts(), &fresh).unwrap();
    assert!(
        s.pages
            .contains(&PathBuf::from("badges/Badge--7----b.html")),
        "{:?}",
        s.pages
    );
}

#[test]
fn exporting_again_keeps_the_files_added_to_the_folder() {
    let world = offline_web(None);
    let badge = |name: &str| {
        let cred = badges::sign_di(badges::ob3_credential(name));
        badges::export_badge(
            &name.to_lowercase(),
            cred.to_string().into_bytes(),
            None,
            &world,
        )
    };
    let (one, two) = (badge("One"), badge("Two"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    export_collection(&collection("C", vec![one.clone(), two]), &opts(), &out).unwrap();
    let old_files = crate::support::files_under(&out);
    assert!(out.join("badges/two.html").exists());
    // What someone publishing the folder adds to it.
    let cname = b"badges.example.org\n".to_vec();
    let notes: Vec<u8> = (0..=255u8).collect();
    std::fs::write(out.join("CNAME"), &cname).unwrap();
    std::fs::create_dir_all(out.join("extra/empty")).unwrap();
    std::fs::write(out.join("extra/notes.txt"), &notes).unwrap();
    std::fs::write(out.join("badges/mine.txt"), "my own note").unwrap();
    std::os::unix::fs::symlink("CNAME", out.join("alias")).unwrap();

    // Again, without badge two.
    let summary = export_collection(&collection("C", vec![one.clone()]), &opts(), &out).unwrap();
    assert_eq!(std::fs::read(out.join("CNAME")).unwrap(), cname);
    assert_eq!(std::fs::read(out.join("extra/notes.txt")).unwrap(), notes);
    assert_eq!(
        std::fs::read_to_string(out.join("badges/mine.txt")).unwrap(),
        "my own note"
    );
    assert!(out.join("extra/empty").is_dir());
    assert_eq!(
        std::fs::read_link(out.join("alias")).unwrap(),
        PathBuf::from("CNAME")
    );
    // The old export's files the new one does not have are gone.
    assert!(!out.join("badges/two.html").exists());
    assert!(!out.join("files/two").exists());
    let now: BTreeSet<PathBuf> = crate::support::files_under(&out).into_iter().collect();
    let written: BTreeSet<PathBuf> = summary.files.iter().map(|f| out.join(f)).collect();
    let kept: Vec<_> = now.difference(&written).collect();
    assert_eq!(
        kept,
        ["CNAME", "alias", "badges/mine.txt", "extra/notes.txt"]
            .map(|f| out.join(f))
            .iter()
            .collect::<Vec<_>>()
    );
    assert!(old_files.len() > summary.files.len());

    // A third export that would write over an added file changes nothing.
    std::fs::write(out.join("badges/two.html"), "my page").unwrap();
    let before = crate::support::files_under(&out);
    let err =
        export_collection(&collection("C", vec![one, badge("Two")]), &opts(), &out).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}: the new export would replace what was added to the folder (badges/two.html), so nothing was changed; move those out and export again",
            out.display()
        )
    );
    assert_eq!(crate::support::files_under(&out), before);
    assert_eq!(
        std::fs::read_to_string(out.join("badges/two.html")).unwrap(),
        "my page"
    );
    assert_no_leftovers(tmp.path());
}

#[test]
fn an_empty_collection_and_badges_without_images_still_make_good_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("empty");
    let s = export_collection(&ExportCollection::default(), &opts(), &out).unwrap();
    assert_eq!(s.pages, vec![PathBuf::from("index.html")]);
    check_pages(&out);
    let world = offline_web(None);
    let bare = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.test/a",
        "recipient": badges::hashed_ada(), "badge": {"type": "BadgeClass", "id": "https://x.test/b", "name": "Bare",
        "description": "No image.", "criteria": {"narrative": "n"}, "issuer": {"type": "Issuer", "id": "https://x.test/i", "name": "X"}},
        "issuedOn": "2024-05-01", "verification": {"type": "hosted"}});
    let b = badges::export_badge(
        "bare",
        bare.to_string().into_bytes(),
        Some("bare.json"),
        &world,
    );
    let out = tmp.path().join("bare");
    export_collection(&collection("Bare", vec![b.clone()]), &opts(), &out).unwrap();
    check_pages(&out);
    let page = std::fs::read_to_string(out.join("badges/bare.html")).unwrap();
    assert!(page.contains("placeholder"));
    assert!(page.contains("Issued</dt><dd>1 May 2024"));
    assert_eq!(
        std::fs::read(out.join("files/bare/bare.json")).unwrap(),
        b.original
    );
    // A display image given by the caller is copied.
    let mut with_image = b;
    with_image.image = Some(("image/png".to_owned(), badges::disc_png([1, 2, 3])));
    export_collection(&collection("Bare", vec![with_image]), &opts(), &out).unwrap();
    assert!(out.join("files/bare/image.png").is_file());
    check_pages(&out);
}

#[test]
fn a_suspended_badge_page_says_suspended_and_that_it_may_be_reinstated() {
    let tmp = tempfile::tempdir().unwrap();
    let world = offline_web(None);
    let bare = json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "https://x.test/a",
        "recipient": badges::hashed_ada(), "badge": {"type": "BadgeClass", "id": "https://x.test/b", "name": "Paused",
        "description": "d", "criteria": {"narrative": "n"}, "issuer": {"type": "Issuer", "id": "https://x.test/i", "name": "X"}},
        "issuedOn": "2024-05-01", "verification": {"type": "hosted"}});
    let mut b = badges::export_badge(
        "paused",
        bare.to_string().into_bytes(),
        Some("paused.json"),
        &world,
    );
    // The report a backpack keeps for a badge whose issuer suspended it.
    b.report.status = Verdict::Suspended;
    let out = tmp.path().join("out");
    export_collection(&collection("Paused", vec![b]), &opts(), &out).unwrap();
    check_pages(&out);
    let page = std::fs::read_to_string(out.join("badges/paused.html")).unwrap();
    assert!(page.contains("chip-suspended\">Suspended</span>"), "{page}");
    assert!(page.contains("verdict-suspended"), "{page}");
    assert!(page.contains("may be reinstated"), "{page}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest.to_string().contains("\"verdict\":\"suspended\""));
}
