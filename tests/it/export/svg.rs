//! Badge-supplied SVG in share exports. Hostile SVGs (as the baked original,
//! a display image, a `data:` image and an issuer image) are published only
//! as cleaned copies, and a baked SVG original only as text; every written
//! file is opened directly in Chromium, from disk and from a loopback server,
//! and runs no script and requests nothing, while the same trap, opened on the
//! hostile files themselves, catches every one of them. Benign SVG badges (the
//! corpus's and a generated one) look the same after cleaning.

use super::{badges, browser, collection, opts, page_requests, screenshot_path, serve_export};
use crate::server::{Route, TestServer};
use crate::support;
use badges::offline_web;
use satchel::detect::InputKind;
use satchel::export::{export_collection, ExportBadge};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// What a script in a hostile SVG sets the document's title to (then `-<name>`).
const PWNED: &str = "pwned";

/// The fill of every test SVG's background square, looked for in screenshots.
const GREEN: [u8; 3] = [0x1a, 0x7f, 0x37];

fn svg_doc(root_attrs: &str, body: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"{root_attrs}><rect width="64" height="64" fill="#1a7f37"/>{body}</svg>"##
    )
}

/// Hostile SVGs by name. A script in one would set the document's title to
/// `pwned-<name>` and request `<loopback>/<name>` and `<canary>/<name>`; the
/// others load from `loopback` (a recording server on 127.0.0.1) or from
/// `canary` (another site, which Chromium reaches only through the recording
/// proxy).
fn hostile_svgs(loopback: &str, canary: &str) -> Vec<(&'static str, String)> {
    let act = |name: &str| {
        format!(
            "document.title='{PWNED}-{name}';fetch('{loopback}/{name}');new Image().src='{canary}/{name}'"
        )
    };
    let bodies = [
        (
            "script",
            String::new(),
            format!("<script>{}</script>", act("script")),
        ),
        (
            "onload",
            format!(" onload=\"{}\"", act("onload")),
            String::new(),
        ),
        (
            "foreign-object",
            String::new(),
            format!(
                r#"<foreignObject width="64" height="64"><div xmlns="http://www.w3.org/1999/xhtml"><img src="{loopback}/fo.png"/><script>{}</script></div></foreignObject>"#,
                act("foreign-object")
            ),
        ),
        (
            "image",
            String::new(),
            format!(
                r#"<image href="{loopback}/image.png" width="32" height="32"/><image xlink:href="{canary}/image.png" x="32" width="32" height="32"/>"#
            ),
        ),
        (
            "use",
            String::new(),
            format!(r#"<use href="{loopback}/use.svg#x"/><use xlink:href="{canary}/use.svg#x"/>"#),
        ),
        (
            "css",
            String::new(),
            format!(
                r#"<style>@import url({loopback}/import.css); circle {{ stroke: url({loopback}/stroke.svg#p) }}</style><circle cx="32" cy="32" r="16" style="fill: url({loopback}/style-fill.svg#p)"/><circle cx="32" cy="32" r="8" fill="url({canary}/fill.svg#p)"/>"#
            ),
        ),
        (
            "link",
            String::new(),
            format!(
                r#"<a xlink:href="javascript:{}"><text x="4" y="40">link</text></a><a href="{canary}/a"><set attributeName="href" to="javascript:{}"/><text x="4" y="60">set</text></a>"#,
                act("link"),
                act("link-set")
            ),
        ),
    ];
    bodies
        .into_iter()
        .map(|(name, attrs, body)| (name, svg_doc(&attrs, &body)))
        .collect()
}

/// All the hostile SVGs' content in one document.
fn all_in_one(svgs: &[(&str, String)]) -> String {
    let onload = svgs.iter().find(|(n, _)| *n == "onload").unwrap();
    let attrs = onload.1.split_once(" onload=").unwrap().1;
    let attrs = attrs.split_once('>').unwrap().0;
    let body: String = svgs
        .iter()
        .map(|(_, s)| {
            let inner = s.split_once("fill=\"#1a7f37\"/>").unwrap().1;
            inner.strip_suffix("</svg>").unwrap().to_owned()
        })
        .collect();
    svg_doc(&format!(" onload={attrs}"), &body)
}

/// An OB 2.0 hosted assertion (not served: its verdict does not matter here).
fn assertion(id: &str, class_image: &str, issuer_image: Option<&str>) -> Value {
    let mut issuer =
        json!({"type": "Issuer", "id": "https://issuer.test/issuer", "name": "Hostile"});
    if let Some(img) = issuer_image {
        issuer["image"] = json!(img);
    }
    json!({"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": format!("https://issuer.test/svg-assertions/{id}"), "recipient": badges::hashed_ada(),
        "badge": {"type": "BadgeClass", "id": format!("https://issuer.test/svg/{id}"),
            "name": format!("SVG {id}"), "description": "d", "image": class_image,
            "criteria": {"narrative": "n"}, "issuer": issuer},
        "issuedOn": "2024-05-01T12:00:00Z", "verification": {"type": "hosted"}})
}

/// Each hostile SVG baked as a badge's original, plus badges carrying all of
/// them at once as a display image, a `data:` image and an issuer image.
fn hostile_svg_badges(svgs: &[(&'static str, String)]) -> Vec<ExportBadge> {
    let world = offline_web(None);
    let mut out = Vec::new();
    for (name, svg) in svgs {
        let baked = satchel::bake::bake(
            svg.as_bytes(),
            &assertion(name, "https://issuer.test/x.png", None).to_string(),
            satchel::bake::Slot::OpenBadges,
        )
        .unwrap();
        out.push(badges::export_badge(
            name,
            baked,
            Some(&format!("hostile-{name}.svg")),
            &world,
        ));
    }
    let all = all_in_one(svgs);
    let mut display = badges::export_badge(
        "display",
        assertion("display", "https://issuer.test/x.png", None)
            .to_string()
            .into_bytes(),
        None,
        &world,
    );
    display.image = Some(("image/svg+xml".to_owned(), all.clone().into_bytes()));
    out.push(display);
    use base64::Engine;
    let data = format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&all)
    );
    let issuer_url = "https://issuer.test/issuer.svg";
    let mut data_badge = badges::export_badge(
        "data-uri",
        assertion("data-uri", &data, Some(issuer_url))
            .to_string()
            .into_bytes(),
        None,
        &world,
    );
    data_badge
        .documents
        .push((issuer_url.to_owned(), all.into_bytes()));
    out.push(data_badge);
    out
}

/// Runs `f` over `jobs` in two browsers at once (one per core).
fn in_two_browsers<T: Sync, R: Send>(
    bin: &Path,
    proxy_port: u16,
    jobs: &[T],
    f: impl Fn(&browser::Browser, &T) -> R + Sync,
) -> Vec<R> {
    let f = &f;
    std::thread::scope(|scope| {
        let halves = [0, 1].map(|start| {
            scope.spawn(move || {
                let browser = browser::Browser::new(bin.to_path_buf(), proxy_port);
                jobs.iter()
                    .skip(start)
                    .step_by(2)
                    .map(|j| f(&browser, j))
                    .collect::<Vec<R>>()
            })
        });
        let [a, b] = halves.map(|h| h.join().unwrap());
        // Back in the order of `jobs`.
        let mut out = Vec::with_capacity(jobs.len());
        let (mut a, mut b) = (a.into_iter(), b.into_iter());
        for i in 0..jobs.len() {
            out.push(if i % 2 == 0 { a.next() } else { b.next() }.unwrap());
        }
        out
    })
}

/// The pixels of a screenshot as RGB.
fn rgb_pixels(png_path: &Path) -> (u32, u32, Vec<[u8; 3]>) {
    let mut decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png_path).unwrap(),
    ));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = buf[..info.buffer_size()]
        .chunks(channels)
        .map(|p| match channels {
            1 | 2 => [p[0]; 3],
            _ => [p[0], p[1], p[2]],
        })
        .collect();
    (info.width, info.height, pixels)
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

/// The SVG files of an export, relative to it.
fn svg_files(out: &Path) -> Vec<String> {
    let mut found: Vec<String> = support::files_under(out)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "svg"))
        .map(|f| f.strip_prefix(out).unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    found
}

#[test]
fn hostile_svgs_are_published_cleaned_and_run_nothing_when_opened_directly_in_chromium() {
    let canary_site = TestServer::start(Vec::<(String, Route)>::new());
    let loopback = canary_site.base();
    let canary = "http://canary.test";
    let svgs = hostile_svgs(&loopback, canary);
    let badges = hostile_svg_badges(&svgs);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("svg");
    let summary = export_collection(&collection("SVG", badges), &opts(), &out).unwrap();
    let pages = super::check_pages(&out);
    assert!(!pages.is_empty());

    // Statically: every SVG written is a cleaned copy the manifest names, and
    // still a well-formed SVG document.
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut sanitized: Vec<String> = manifest["badges"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["sanitized"].as_array().unwrap().clone())
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    sanitized.sort();
    let mut expected: Vec<String> = svgs
        .iter()
        .map(|(n, _)| format!("files/{n}/image.svg"))
        .collect();
    expected.extend([
        "files/data-uri/image.svg".to_owned(),
        "files/data-uri/issuer.svg".to_owned(),
        "files/display/image.svg".to_owned(),
    ]);
    expected.sort();
    assert_eq!(sanitized, expected);
    assert_eq!(svg_files(&out), expected, "an SVG was written uncleaned");
    for rel in &expected {
        let bytes = std::fs::read(out.join(rel)).unwrap();
        assert!(
            matches!(satchel::bake::unbake_svg_full(&bytes), Ok(None)),
            "{rel} is not a well-formed SVG without a badge"
        );
        let text = String::from_utf8(bytes).unwrap().to_ascii_lowercase();
        for bad in [
            "script",
            "onload",
            "foreignobject",
            "javascript",
            "@import",
            "127.0.0.1",
            "canary",
            "<a ",
            "<set",
        ] {
            assert!(!text.contains(bad), "{rel} still holds {bad}: {text}");
        }
        assert!(text.contains("<rect"), "{rel} lost its drawing: {text}");
    }
    assert!(summary
        .warnings
        .iter()
        .all(|w| !w.contains("could not be cleaned")));

    // The originals: byte for byte, as text, saved under their .svg names.
    for (name, _) in &svgs {
        let original = std::fs::read(out.join(format!("files/{name}/hostile-{name}.svg.txt")))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let page = std::fs::read_to_string(out.join(format!("badges/{name}.html"))).unwrap();
        assert!(
            satchel::bake::unbake_svg(&original).unwrap().is_some(),
            "{name}: the original lost its badge"
        );
        assert!(
            page.contains(&format!(
                "href=\"../files/{name}/hostile-{name}.svg.txt\" download=\"hostile-{name}.svg\""
            )),
            "{name}: {page}"
        );
        assert!(page.contains("The image shown is a cleaned copy"), "{name}");
        assert!(page.contains(&format!("src=\"../files/{name}/image.svg\"")));
    }

    let Some(bin) = browser::chromium() else {
        return;
    };
    let proxy = TestServer::start(Vec::<(String, Route)>::new());

    // The trap works: the hostile files themselves, opened directly from disk
    // and from the loopback server (so `<use>` is same-origin), run their
    // scripts or make their requests.
    let raw = tempfile::tempdir().unwrap();
    for (name, svg) in &svgs {
        std::fs::write(raw.path().join(format!("{name}.svg")), svg).unwrap();
        canary_site.set(
            &format!("/raw/{name}.svg"),
            Route::ok("image/svg+xml", svg.clone()),
        );
    }
    let controls: Vec<(&str, String)> = svgs
        .iter()
        .flat_map(|(name, _)| {
            let path = raw.path().join(format!("{name}.svg"));
            [
                (*name, browser::file_url(&path)),
                (*name, canary_site.url(&format!("/raw/{name}.svg"))),
            ]
        })
        .collect();
    let doms = in_two_browsers(&bin, proxy.port(), &controls, |b, (_, url)| b.dump_dom(url));
    for ((name, url), dom) in controls.iter().zip(&doms) {
        let seen = canary_site.requests();
        let caught = match *name {
            "script" | "onload" | "foreign-object" => dom.contains(&format!("{PWNED}-{name}")),
            "image" => seen.iter().any(|r| r == "/image.png"),
            "use" => seen.iter().any(|r| r == "/use.svg"),
            "css" => seen.iter().any(|r| r == "/import.css"),
            // A javascript: link runs only when clicked; checked statically.
            _ => true,
        };
        assert!(caught, "the trap missed {url}: {dom}\n{seen:?}");
    }
    assert!(
        !page_requests(&proxy).is_empty(),
        "the proxy saw none of the hostile files' requests"
    );
    let (loopback_before, proxy_before) = (canary_site.requests().len(), page_requests(&proxy));

    // The export's files, opened directly: cleaned SVGs from disk and from a
    // loopback server (screenshots: they still draw), originals as text.
    let site = serve_export(&out);
    let shots = tempfile::tempdir().unwrap();
    let mut jobs: Vec<(String, String, Option<PathBuf>)> = Vec::new();
    for rel in &expected {
        jobs.push((rel.clone(), browser::file_url(&out.join(rel)), None));
        let shot = shots.path().join(rel.replace('/', "-") + ".png");
        jobs.push((rel.clone(), site.url(&format!("/{rel}")), Some(shot)));
    }
    for (name, _) in &svgs {
        let rel = format!("files/{name}/hostile-{name}.svg.txt");
        jobs.push((rel.clone(), browser::file_url(&out.join(&rel)), None));
        jobs.push((rel.clone(), site.url(&format!("/{rel}")), None));
    }
    let doms = in_two_browsers(&bin, proxy.port(), &jobs, |b, (_, url, shot)| {
        if let Some(png) = shot {
            b.screenshot(url, png, 200, 200);
        }
        b.dump_dom(url)
    });
    for ((rel, url, shot), dom) in jobs.iter().zip(&doms) {
        assert!(
            !dom.contains(&format!("<title>{PWNED}")),
            "{url}: a script ran: {dom}"
        );
        if rel.ends_with(".txt") {
            assert!(dom.contains("<pre"), "{url} is not shown as text: {dom}");
        } else {
            assert!(!dom.contains(PWNED), "{url}: {dom}");
            assert!(dom.contains("<svg"), "{url} is not shown as SVG: {dom}");
        }
        if let Some(png) = shot {
            let (_, _, pixels) = rgb_pixels(png);
            let green = pixels.iter().filter(|p| near(**p, GREEN, 12)).count();
            assert!(green >= 64 * 64 / 2, "{url} draws nothing ({green} pixels)");
        }
    }
    assert_eq!(
        canary_site.requests()[loopback_before..],
        [] as [String; 0],
        "an exported file made a request to the loopback server"
    );
    assert_eq!(
        page_requests(&proxy),
        proxy_before,
        "an exported file made a request to another site"
    );
    for r in site.requests() {
        let path = r.split('?').next().unwrap().trim_start_matches('/');
        assert!(
            path == "favicon.ico" || out.join(path).is_file(),
            "an exported file asked the site for {r}"
        );
    }

    // What a visitor sees: the page of a hostile SVG badge.
    browser::Browser::new(bin, proxy.port()).screenshot(
        &site.url("/badges/script.html"),
        &screenshot_path("export-svg-badge.png"),
        1000,
        1500,
    );
}

/// A benign SVG using what badge art uses: gradients, a clip path, a
/// pattern, reused symbols, text, a filter, CSS and an embedded raster image.
fn benign_svg() -> String {
    let png = badges::data_uri(&badges::disc_png([200, 40, 40]));
    format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Made by hand -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="240" height="240" viewBox="0 0 240 240">
  <title>Benign badge</title>
  <style>.label {{ font: bold 22px sans-serif; fill: #ffffff; }} .ring {{ stroke: url(#ring); }}</style>
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1a7f37"/><stop offset="1" stop-color="#0b3d91"/></linearGradient>
    <radialGradient id="ring"><stop offset="0.6" stop-color="#ffd33d"/><stop offset="1" stop-color="#b08800"/></radialGradient>
    <clipPath id="disc"><circle cx="120" cy="120" r="100"/></clipPath>
    <pattern id="dots" width="12" height="12" patternUnits="userSpaceOnUse"><circle cx="6" cy="6" r="2" fill="#ffffff" fill-opacity="0.3"/></pattern>
    <symbol id="star" viewBox="0 0 10 10"><path d="M5 0 6.2 3.8 10 3.8 6.9 6 8.1 10 5 7.6 1.9 10 3.1 6 0 3.8 3.8 3.8Z" fill="#ffd33d"/></symbol>
    <filter id="shadow"><feDropShadow dx="2" dy="2" stdDeviation="2" flood-opacity="0.5"/></filter>
  </defs>
  <g clip-path="url(#disc)">
    <rect width="240" height="240" fill="url(#sky)"/>
    <rect width="240" height="240" fill="url(#dots)"/>
  </g>
  <circle class="ring" cx="120" cy="120" r="104" fill="none" stroke-width="8"/>
  <use href="#star" x="60" y="40" width="30" height="30"/>
  <use xlink:href="#star" x="150" y="40" width="30" height="30"/>
  <image href="{png}" x="88" y="70" width="64" height="64"/>
  <text class="label" x="120" y="170" text-anchor="middle" filter="url(#shadow)">Rust &amp; SVG</text>
</svg>
"##
    )
}

#[test]
fn benign_svg_badges_look_the_same_after_cleaning() {
    let world = offline_web(None);
    let generated = satchel::bake::bake(
        benign_svg().as_bytes(),
        &assertion("benign", "https://issuer.test/x.png", None).to_string(),
        satchel::bake::Slot::OpenBadges,
    )
    .unwrap();
    let mut badges = vec![badges::export_badge(
        "benign",
        generated,
        Some("benign.svg"),
        &world,
    )];
    if let Some(root) = support::corpus() {
        let corpus: Vec<ExportBadge> = super::corpus_badges(&root)
            .into_iter()
            .filter(|b| b.inspection.container == InputKind::Svg)
            .collect();
        assert!(
            corpus.len() >= 3,
            "{} SVG badges in the corpus",
            corpus.len()
        );
        badges.extend(corpus);
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("benign");
    let summary = export_collection(&collection("Benign", badges.clone()), &opts(), &out).unwrap();
    assert!(
        summary
            .warnings
            .iter()
            .all(|w| !w.contains("could not be cleaned")),
        "{:?}",
        summary.warnings
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    // (badge id, original as a file, cleaned copy) for every badge showing its SVG.
    let raw = tempfile::tempdir().unwrap();
    let pairs: Vec<(String, PathBuf, PathBuf)> = manifest["badges"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| {
            m["original"].as_str()?;
            let image = m["image"].as_str()?;
            let id = m["id"].as_str().unwrap().to_owned();
            let b = badges.iter().find(|b| b.id == id).unwrap();
            assert_eq!(m["sanitized"], json!([image]), "{id}");
            let original = raw.path().join(format!("{id}.svg"));
            std::fs::write(&original, &b.original).unwrap();
            Some((id, original, out.join(image)))
        })
        .collect();
    assert!(pairs.iter().any(|(id, _, _)| id == "benign"));
    for (id, original, _) in &pairs {
        // The original is published byte for byte.
        let published = out.join(
            manifest["badges"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == json!(id))
                .unwrap()["original"]
                .as_str()
                .unwrap(),
        );
        assert_eq!(
            std::fs::read(&published).unwrap(),
            std::fs::read(original).unwrap()
        );
    }

    let Some(bin) = browser::chromium() else {
        return;
    };
    let proxy = TestServer::start(Vec::<(String, Route)>::new());
    let shots = tempfile::tempdir().unwrap();
    let jobs: Vec<(String, PathBuf, PathBuf)> = pairs
        .iter()
        .flat_map(|(id, original, cleaned)| {
            [
                (format!("{id}-original"), original.clone()),
                (format!("{id}-cleaned"), cleaned.clone()),
            ]
        })
        .map(|(name, file)| {
            let png = shots.path().join(format!("{name}.png"));
            (name, file, png)
        })
        .collect();
    in_two_browsers(&bin, proxy.port(), &jobs, |b, (_, file, png)| {
        b.screenshot(&browser::file_url(file), png, 560, 560)
    });
    for pair in jobs.chunks(2) {
        let (name, _, original) = &pair[0];
        let (_, cleaned_file, cleaned) = &pair[1];
        let (w, h, a) = rgb_pixels(original);
        let (w2, h2, b) = rgb_pixels(cleaned);
        assert_eq!((w, h), (w2, h2), "{name}");
        let drawn = b.iter().filter(|p| !near(**p, [255, 255, 255], 4)).count();
        assert!(drawn > 500, "{} draws nothing", cleaned_file.display());
        let differ = a
            .iter()
            .zip(&b)
            .filter(|(x, y)| !near(**x, **y, 16))
            .count();
        assert!(
            differ * 1000 <= a.len(),
            "{name}: {differ} of {} pixels differ after cleaning",
            a.len()
        );
    }
    // Kept to look at: the generated badge, cleaned.
    std::fs::copy(
        shots.path().join("benign-cleaned.png"),
        screenshot_path("export-svg-benign-cleaned.png"),
    )
    .unwrap();
    assert!(
        page_requests(&proxy).is_empty(),
        "{:?}",
        page_requests(&proxy)
    );
}
