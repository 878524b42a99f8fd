//! Issuer mode's self-contained parts, with real files and servers: badge
//! image checks, criteria Markdown, badge emails, sealed exports.

use satchel::bake::ImageFormat;
use satchel::issuer::image::{check_badge_image, Problem};

/// A real RGBA PNG of the given size, written by the `png` crate.
fn png_of(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height * 4).map(|i| (i % 251) as u8).collect();
    w.write_image_data(&pixels).unwrap();
    w.finish().unwrap();
    out
}

fn svg_with(root_attrs: &str, body: &str) -> Vec<u8> {
    format!(r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" {root_attrs}>{body}</svg>"#)
        .into_bytes()
}

fn problem(name: &str, bytes: &[u8]) -> (Problem, String) {
    let err = check_badge_image(name, bytes).expect_err("the image should be refused");
    let text = err.to_string();
    assert!(text.starts_with(name), "{text}");
    assert!(text.ends_with('.'), "{text}");
    assert_eq!(
        text.replace("e.g. ", "").matches(". ").count(),
        0,
        "one sentence: {text}"
    );
    (err.problem, text)
}

#[test]
fn a_square_png_passes_with_its_size() {
    let ok = check_badge_image("badge.png", &png_of(512, 512)).unwrap();
    assert_eq!(ok.format, ImageFormat::Png);
    assert_eq!((ok.width, ok.height), (512, 512));
    assert!(ok.warnings.is_empty());
}

#[test]
fn a_baked_png_passes() {
    let baked = satchel::bake::bake(
        &png_of(300, 300),
        r#"{"type":"Assertion"}"#,
        satchel::bake::Slot::OpenBadgeCredential,
    )
    .unwrap();
    let ok = check_badge_image("baked.png", &baked).unwrap();
    assert_eq!((ok.width, ok.height), (300, 300));
}

#[test]
fn a_small_png_passes_with_a_warning_and_a_tiny_one_is_refused() {
    let ok = check_badge_image("small.png", &png_of(128, 128)).unwrap();
    assert_eq!(ok.warnings.len(), 1);
    assert!(ok.warnings[0].contains("128×128"), "{:?}", ok.warnings);
    let (p, text) = problem("tiny.png", &png_of(64, 64));
    assert_eq!(p, Problem::TooSmall(64, 64));
    assert!(text.contains("at least 90×90"), "{text}");
    assert!(check_badge_image("edge.png", &png_of(90, 90)).is_ok());
}

#[test]
fn a_png_that_is_not_square_is_refused_with_the_fix() {
    let (p, text) = problem("badge.png", &png_of(300, 200));
    assert_eq!(p, Problem::NotSquare(300, 200));
    assert_eq!(
        text,
        "badge.png is 300×200 pixels; a badge image must be square (e.g. 512×512)."
    );
}

#[test]
fn a_file_over_256_kb_is_refused_before_it_is_read() {
    let mut big = png_of(100, 100);
    big.resize(256 * 1024 + 1, 0);
    let (p, text) = problem("big.png", &big);
    assert_eq!(p, Problem::TooLarge(256 * 1024 + 1));
    assert!(text.contains("at most 256 KB"), "{text}");
}

#[test]
fn truncated_and_damaged_pngs_are_refused() {
    let whole = png_of(256, 256);
    for cut in [9, 20, 33, whole.len() / 2, whole.len() - 1] {
        let (p, text) = problem("cut.png", &whole[..cut]);
        assert!(matches!(p, Problem::BadPng(_)), "{cut}: {p:?}");
        assert!(text.contains("cut short"), "{cut}: {text}");
    }
    let mut bad_crc = whole.clone();
    bad_crc[29] ^= 0xff;
    let (_, text) = problem("crc.png", &bad_crc);
    assert!(text.contains("bad checksum"), "{text}");
    // A header claiming a huge size is caught by its checksum or its size.
    let mut huge = whole.clone();
    huge[16..20].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(problem("huge.png", &huge).0, Problem::BadPng(_)));
    // A length field pointing far past the end.
    let mut long = whole;
    long[33..37].copy_from_slice(&0x7fff_ffffu32.to_be_bytes());
    assert!(problem("long.png", &long).1.contains("cut short"));
}

#[test]
fn other_formats_are_refused() {
    for (name, bytes) in [
        ("photo.jpg", &b"\xff\xd8\xff\xe0\0\x10JFIF\0"[..]),
        ("anim.gif", b"GIF89a\x01\0\x01\0"),
        ("notes.txt", b"just text"),
        ("empty.png", b""),
        ("page.html", b"<html><body/></html>"),
    ] {
        let (p, text) = problem(name, bytes);
        assert_eq!(p, Problem::NotAnImage, "{name}");
        assert!(text.contains("not a PNG or SVG image"), "{text}");
    }
}

#[test]
fn svg_size_comes_from_width_height_or_view_box() {
    for (attrs, side) in [
        (r#"width="512" height="512""#, 512),
        (r#"width="300px" height="300px" viewBox="0 0 10 10""#, 300),
        (r#"viewBox="0 0 400 400""#, 400),
        (r#"width="100%" height="100%" viewBox="0,0,200,200""#, 200),
        (r#"width="3in" height="288px""#, 288),
    ] {
        let ok = check_badge_image("b.svg", &svg_with(attrs, "<circle r='5'/>")).unwrap();
        assert_eq!(ok.format, ImageFormat::Svg);
        assert_eq!((ok.width, ok.height), (side, side), "{attrs}");
    }
    let (p, text) = problem("nosize.svg", &svg_with("", "<circle r='5'/>"));
    assert_eq!(p, Problem::NoSize);
    assert!(text.contains("viewBox"), "{text}");
    assert_eq!(
        problem("wide.svg", &svg_with(r#"viewBox="0 0 600 300""#, "")).0,
        Problem::NotSquare(600, 300)
    );
    assert_eq!(
        problem("bad.svg", &svg_with(r#"viewBox="0 0 x y""#, "")).0,
        Problem::NoSize
    );
}

#[test]
fn safe_svg_features_pass() {
    let body = r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>
        <style>circle { fill: url(#g); }</style>
        <circle r="40" fill="url(#g)"/><use href="#g"/>
        <image xlink:href="data:image/png;base64,iVBORw0KGgo="/>
        <text>A &amp; B &#169;</text>"##;
    check_badge_image("ok.svg", &svg_with(r#"viewBox="0 0 512 512""#, body)).unwrap();
}

#[test]
fn hostile_svgs_are_refused_with_the_reason() {
    let cases: &[(&str, &str)] = &[
        ("<script>alert(1)</script>", "<script>"),
        (
            "<svg:script xmlns:svg='http://www.w3.org/2000/svg'/>",
            "<script>",
        ),
        (
            r#"<circle r="4" onload="alert(1)"/>"#,
            "event handler onload",
        ),
        (r#"<circle r="4" ONCLICK="x()"/>"#, "event handler ONCLICK"),
        (
            "<foreignObject><p>hi</p></foreignObject>",
            "<foreignObject>",
        ),
        (
            r#"<image href="https://tracker.example/p.png"/>"#,
            "link to https://tracker.example",
        ),
        (
            r#"<a xlink:href="javascript:alert(1)"><circle r="4"/></a>"#,
            "link to javascript:",
        ),
        (r#"<use href="other.svg#x"/>"#, "link to other.svg"),
        (
            r#"<image href="data:image/svg+xml;base64,PHN2Zy8+"/>"#,
            "link to data:image/svg+xml",
        ),
        (
            "<style>@import url(https://x.example/a.css);</style>",
            "style sheet",
        ),
        (
            "<style><![CDATA[circle{fill:url(http://x.example/f)}]]></style>",
            "style sheet",
        ),
        (
            r#"<circle style="fill:url(http://x.example/f)"/>"#,
            "style attribute",
        ),
        (
            r#"<circle fill="url( 'https://x.example/f')"/>"#,
            "fill attribute",
        ),
        (
            r#"<set attributeName="href" to="javascript:alert(1)"/>"#,
            "animation of its href",
        ),
        (
            r#"<animate attributeName="onbegin" to="x"/>"#,
            "animation of its onbegin",
        ),
        (r#"<g xml:base="https://x.example/"/>"#, "xml:base"),
        ("<text>&ent;</text>", "entity reference &ent;"),
        (r#"<circle fill="&ent;"/>"#, "entity reference in its fill"),
        ("<?php echo 1; ?>", "processing instruction"),
    ];
    for (body, reason) in cases {
        let bytes = svg_with(r#"width="512" height="512""#, body);
        let (p, text) = problem("hostile.svg", &bytes);
        assert!(matches!(p, Problem::Unsafe(_)), "{body}: {p:?}");
        assert!(text.contains(reason), "{body}: {text}");
        assert!(text.contains("plain picture"), "{text}");
    }
    let stylesheet = br#"<?xml version="1.0"?><?xml-stylesheet href="https://x.example/s.css"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"/>"#;
    assert!(problem("pi.svg", stylesheet).1.contains("xml-stylesheet"));
    let doctype = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY lol "lol">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">&lol;</svg>"#;
    assert!(problem("dtd.svg", doctype).1.contains("DOCTYPE"));
}

#[test]
fn truncated_and_malformed_svgs_are_refused() {
    let whole = svg_with(r#"viewBox="0 0 512 512""#, "<g><circle r='40'/></g>");
    let after_root = whole.iter().position(|&b| b == b'>').unwrap() + 3;
    for cut in [after_root, whole.len() - 10, whole.len() - 1] {
        let (p, text) = problem("cut.svg", &whole[..cut]);
        assert!(matches!(p, Problem::BadSvg(_)), "{cut}: {p:?} {text}");
    }
    let deep = svg_with(r#"viewBox="0 0 512 512""#, &"<g>".repeat(300));
    assert!(problem("deep.svg", &deep).1.contains("deeper"));
    let latin1 = b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 512 512\"><text>\xe9</text></svg>";
    assert!(problem("latin1.svg", latin1).1.contains("UTF-8"));
}

// Criteria Markdown.

use satchel::issuer::markdown::to_html;

/// Every `<` in `html` opens one of the tags the renderer writes.
fn only_known_tags(html: &str) {
    const TAGS: &[&str] = &[
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "code",
        "ol",
        "ul",
        "li",
        "em",
        "strong",
        "del",
        "a",
        "br",
        "hr",
    ];
    for (at, _) in html.match_indices('<') {
        let name: String = html[at + 1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected <{name} in {html}"
        );
    }
}

#[test]
fn markdown_raw_html_is_escaped_never_passed_through() {
    for input in [
        "<script>alert(1)</script>",
        "Hello <img src=x onerror=alert(1)> there",
        "<div onclick=\"x()\">\n\n*block*\n\n</div>",
        "<iframe src=\"https://x.example\"></iframe>",
        "<!-- comment --><svg onload=alert(1)>",
        "<a href=\"javascript:alert(1)\">raw link</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "<style>body{display:none}</style>",
    ] {
        let html = to_html(input);
        only_known_tags(&html);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<svg"), "{html}");
        assert!(!html.contains("<style"), "{html}");
    }
    assert_eq!(
        to_html("<script>alert(1)</script>"),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    );
    // Entities decode to text, which is escaped again: never markup.
    assert_eq!(
        to_html("&lt;b&gt; &#60;i&#62; &amp;"),
        "<p>&lt;b&gt; &lt;i&gt; &amp;</p>\n"
    );
}

#[test]
fn markdown_links_only_to_http_and_mailto() {
    assert_eq!(
        to_html("[site](https://example.org/criteria?a=1&b=\"2\" \"The title\")"),
        "<p><a href=\"https://example.org/criteria?a=1&amp;b=%222%22\" title=\"The title\" rel=\"nofollow noopener\">site</a></p>\n"
    );
    assert_eq!(
        to_html("<mailto:coach@example.org>"),
        "<p><a href=\"mailto:coach@example.org\" rel=\"nofollow noopener\">mailto:coach@example.org</a></p>\n"
    );
    for input in [
        "[click](javascript:alert(1))",
        "[click](jav&#x61;script:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[click]( javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "[click](vbscript:msgbox)",
        "[click](/relative/path)",
        "[click][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ] {
        let html = to_html(input);
        only_known_tags(&html);
        assert!(!html.contains("<a"), "{input}: {html}");
        assert!(
            !html.to_ascii_lowercase().contains("href"),
            "{input}: {html}"
        );
    }
    assert_eq!(to_html("[click](javascript:alert(1))"), "<p>click</p>\n");
}

#[test]
fn markdown_images_become_links_never_img() {
    assert_eq!(
        to_html("![the badge](https://example.org/b.png)"),
        "<p><a href=\"https://example.org/b.png\" rel=\"nofollow noopener\">the badge</a></p>\n"
    );
    assert_eq!(to_html("![x](javascript:alert(1))"), "<p>x</p>\n");
    let html = to_html("![a \"quoted\" <alt>](https://example.org/b.png \"t'\")");
    only_known_tags(&html);
    assert!(html.contains("title=\"t&#39;\""), "{html}");
}

#[test]
fn markdown_output_is_deterministic_and_escapes_code() {
    let input = "Intro\n\n```html\n<b onclick=x>\n```\n\n> quote `<i>`\n\n- [a](http://a.example)\n- ~~old~~\n\n---\nline  \nbreak";
    let first = to_html(input);
    only_known_tags(&first);
    assert!(
        first.contains("<pre><code class=\"language-html\">&lt;b onclick=x&gt;\n</code></pre>"),
        "{first}"
    );
    assert!(first.contains("<code>&lt;i&gt;</code>"), "{first}");
    for _ in 0..3 {
        assert_eq!(to_html(input), first);
    }
    // Deep nesting and long input stay quick and well-formed.
    let deep = format!("{}x", "> ".repeat(5_000));
    only_known_tags(&to_html(&deep));
    let many = "[a](javascript:x) <b> ".repeat(20_000);
    assert!(!to_html(&many).contains("<a"));
}

// Sealed (passphrase-encrypted) exports.

use satchel::issuer::sealed::{open, seal, SealError};

#[test]
fn a_sealed_file_is_armored_age_opens_with_its_passphrase_and_hides_the_plaintext() {
    use base64::Engine;
    let secret: Vec<u8> =
        b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIExampleIssuerSigningKeyMaterial\n-----END PRIVATE KEY-----\n"
            .to_vec();
    let sealed = seal(&secret, "correct horse battery staple").unwrap();
    let text = std::str::from_utf8(&sealed).expect("ASCII armor");
    assert!(
        text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----\n"),
        "{text}"
    );
    assert!(
        text.trim_end()
            .ends_with("-----END AGE ENCRYPTED FILE-----"),
        "{text}"
    );
    // Inside the armor: an age v1 header with one scrypt stanza.
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    let binary = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    assert!(
        binary.starts_with(b"age-encryption.org/v1\n-> scrypt "),
        "{:?}",
        &binary[..40]
    );
    assert_eq!(
        binary.windows(b"-> ".len()).filter(|w| w == b"-> ").count(),
        1
    );
    // The plaintext appears nowhere, in any of its encodings.
    for needle in [
        &b"PRIVATE KEY"[..],
        b"ExampleIssuerSigningKey",
        b"correct horse",
    ] {
        assert!(!sealed.windows(needle.len()).any(|w| w == needle));
        assert!(!binary.windows(needle.len()).any(|w| w == needle));
    }
    assert_eq!(
        open(&sealed, "correct horse battery staple").unwrap(),
        secret
    );

    let wrong = open(&sealed, "incorrect horse").unwrap_err();
    assert_eq!(wrong, SealError::WrongPassphrase);
    assert_eq!(
        format!("key.age: {wrong}."),
        "key.age: the passphrase is not the one this file was sealed with."
    );

    // Cut short inside the payload, or changed after sealing.
    let cut = &binary[..binary.len() - 10];
    assert!(matches!(
        open(cut, "correct horse battery staple"),
        Err(SealError::Damaged(_))
    ));
    let mut changed = binary.clone();
    let last = changed.len() - 1;
    changed[last] ^= 1;
    let err = open(&changed, "correct horse battery staple").unwrap_err();
    assert!(matches!(err, SealError::Damaged(_)), "{err:?}");
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn files_that_are_not_sealed_are_refused_without_work() {
    for bytes in [
        &b""[..],
        b"hello",
        b"-----BEGIN AGE ENCRYPTED FILE-----\n",
        b"age-encryption.org/v1\n",
        b"{\"not\":\"age\"}",
    ] {
        let err = open(bytes, "pass").unwrap_err();
        assert!(
            matches!(err, SealError::NotSealed | SealError::Damaged(_)),
            "{bytes:?}: {err:?}"
        );
        assert!(!err.to_string().is_empty());
    }
    assert_eq!(open(b"hello", "pass").unwrap_err(), SealError::NotSealed);
    assert_eq!(seal(b"x", "").unwrap_err(), SealError::EmptyPassphrase);
}

// Badge emails, checked with Python's own email parser and sent to a real
// SMTP server (aiosmtpd) on 127.0.0.1.

use satchel::issuer::mail::{draft, send, MailBadge, MailError, Security, SmtpSettings};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// The venv `make smtp-venv` installs aiosmtpd into, or `None` (and a note,
/// or a failure under CI) when it is missing.
pub(crate) fn smtp_python() -> Option<PathBuf> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/smtp-venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but {} is missing: run `make smtp-venv`",
        python.display()
    );
    eprintln!(
        "skipped: no SMTP test server ({} is missing; run `make smtp-venv`)",
        python.display()
    );
    None
}

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py")
}

/// What Python's email parser reads in an `.eml`.
pub(crate) fn python_parse(python: &PathBuf, eml: &[u8]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.eml");
    std::fs::write(&file, eml).unwrap();
    let out = Command::new(python)
        .arg(script())
        .arg("parse")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) struct SmtpServer {
    child: Child,
    pub(crate) port: u16,
    folder: tempfile::TempDir,
}

impl SmtpServer {
    /// A server taking plain SMTP (logins without TLS).
    pub(crate) fn start(python: &PathBuf) -> SmtpServer {
        SmtpServer::start_with(python, &[])
    }

    /// A server with `mode` (`smtp_server.py`'s arguments after the
    /// password: `starttls CERT KEY`, `tls CERT KEY`); waits until it
    /// listens (the script gives up after 10 seconds).
    pub(crate) fn start_with(python: &PathBuf, mode: &[&std::ffi::OsStr]) -> SmtpServer {
        use std::io::BufRead;
        let folder = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut child = Command::new(python)
            .arg(script())
            .arg(port.to_string())
            .arg(folder.path())
            .args(["issuer", "s3cret"])
            .args(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server did not start");
        SmtpServer {
            child,
            port,
            folder,
        }
    }

    /// The parsed message number `n` (from 1), waiting until it is written.
    pub(crate) fn received(&self, n: usize) -> serde_json::Value {
        let file = self.folder.path().join(format!("{n}.json"));
        for _ in 0..200 {
            if let Ok(text) = std::fs::read_to_string(&file) {
                return serde_json::from_str(&text).unwrap();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server wrote no message {n}");
    }

    /// Whether message number `n` (from 1) arrived (no waiting).
    pub(crate) fn has(&self, n: usize) -> bool {
        self.folder.path().join(format!("{n}.eml")).exists()
    }

    /// Plain SMTP to this server as `issuer` with `password`.
    pub(crate) fn settings(&self, password: &str) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: self.port,
            security: Security::PlainLocalOnly,
            username: Some("issuer".into()),
            password: Some(password.into()),
            timeout: Duration::from_secs(10),
            ca_file: None,
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn mail_badge(to: &str) -> MailBadge {
    MailBadge {
        from_name: "Ada from Example Academy".into(),
        from_email: "badges@academy.example".into(),
        to_name: Some("Grace Hopper".into()),
        to_email: to.into(),
        badge_name: "Rust <Basics> & More".into(),
        issuer_name: "Example Academy".into(),
        narrative: Some("Wrote **three** programs. <script>alert(1)</script>".into()),
        attachment_name: "../Rust Basics.png".into(),
        attachment: png_of(128, 128),
    }
}

pub(crate) fn attachment_bytes(parsed: &serde_json::Value) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(parsed["attachments"][0]["base64"].as_str().unwrap())
        .unwrap()
}

#[test]
fn a_draft_is_an_eml_with_both_bodies_and_the_badge_byte_for_byte() {
    let badge = mail_badge("grace@example.org");
    let eml = draft(&badge).unwrap();
    let text = String::from_utf8(eml.clone()).expect("7-bit message");
    assert!(text.contains("\r\n"), "CRLF line ends");
    assert!(text.contains("Content-Type: multipart/mixed"), "{text}");
    assert!(text.contains("multipart/alternative"), "{text}");
    let Some(python) = smtp_python() else { return };
    let parsed = python_parse(&python, &eml);
    assert_eq!(parsed["defects"], serde_json::json!([]));
    assert_eq!(parsed["content_type"], "multipart/mixed");
    assert_eq!(
        parsed["subject"],
        "You earned the badge \u{201c}Rust <Basics> & More\u{201d} from Example Academy"
    );
    assert_eq!(parsed["to"], "Grace Hopper <grace@example.org>");
    assert_eq!(
        parsed["from"],
        "Ada from Example Academy <badges@academy.example>"
    );
    let body = parsed["text"].as_str().unwrap();
    assert!(
        body.contains("Example Academy has awarded you the badge"),
        "{body}"
    );
    assert!(body.contains("open Satchel and add this file"), "{body}");
    assert!(body.contains("any Open Badges backpack"), "{body}");
    let html = parsed["html"].as_str().unwrap();
    assert!(
        html.contains("<strong>Rust &lt;Basics&gt; &amp; More</strong>"),
        "{html}"
    );
    assert!(
        html.contains("Wrote <strong>three</strong> programs."),
        "{html}"
    );
    assert!(!html.contains("<script"), "{html}");
    let att = &parsed["attachments"][0];
    assert_eq!(att["filename"], "Rust-Basics.png");
    assert_eq!(att["content_type"], "image/png");
    assert_eq!(attachment_bytes(&parsed), badge.attachment);
}

#[test]
fn a_draft_refuses_bad_addresses_and_files() {
    let mut b = mail_badge("not an address");
    assert_eq!(
        draft(&b).unwrap_err(),
        MailError::BadAddress("not an address".into())
    );
    b.to_email = "x@example.org\r\nBcc: all@example.org".into();
    assert!(matches!(draft(&b), Err(MailError::BadAddress(_))));
    b.to_email = "x@example.org".into();
    b.attachment = b"MZ\x90\0 not a badge".to_vec();
    b.attachment_name = "payload.exe".into();
    let err = draft(&b).unwrap_err();
    assert_eq!(
        err.to_string(),
        "payload.exe is not a badge image or credential (PNG, SVG or JSON); attach the baked badge file."
    );
    // A name with a header break in it stays in its header.
    let mut b = mail_badge("x@example.org");
    b.to_name = Some("Eve\r\nBcc: all@example.org".into());
    let eml = String::from_utf8(draft(&b).unwrap()).unwrap();
    assert!(!eml.contains("\r\nBcc:"), "{eml}");
}

#[test]
fn badges_are_sent_over_smtp_and_arrive_whole() {
    let Some(python) = smtp_python() else { return };
    let server = SmtpServer::start(&python);
    let mut svg_badge = mail_badge("linus@example.org");
    svg_badge.to_name = None;
    svg_badge.attachment = svg_with(r#"viewBox="0 0 512 512""#, "<circle r='9'/>");
    svg_badge.attachment_name = "badge.svg".into();
    let badges = vec![mail_badge("grace@example.org"), svg_badge.clone()];
    let mut seen = Vec::new();
    let results = send(
        &server.settings("s3cret"),
        &badges,
        &mut |done, total| seen.push((done, total)),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(seen, vec![(1, 2), (2, 2)]);
    for r in &results {
        assert_eq!(r.outcome, Ok(()), "{}", r.to_email);
    }
    let first = server.received(1);
    assert_eq!(first["to"], "Grace Hopper <grace@example.org>");
    assert_eq!(attachment_bytes(&first), badges[0].attachment);
    let second = server.received(2);
    assert_eq!(second["to"], "linus@example.org");
    assert_eq!(second["attachments"][0]["content_type"], "image/svg+xml");
    assert_eq!(attachment_bytes(&second), svg_badge.attachment);
    assert!(second["text"].as_str().unwrap().starts_with("Hello there,"));
    let rcpt = std::fs::read_to_string(server.folder.path().join("2.rcpt")).unwrap();
    assert_eq!(rcpt, "linus@example.org");

    // A cancelled batch sends nothing more.
    let results = send(
        &server.settings("s3cret"),
        &badges,
        &mut |_, _| {},
        &AtomicBool::new(true),
    )
    .unwrap();
    assert_eq!(
        results[0].outcome,
        Err("not sent: sending was cancelled.".to_owned())
    );
}

#[test]
fn a_refused_login_and_an_unreachable_server_say_so_per_recipient() {
    let badges = vec![
        mail_badge("grace@example.org"),
        mail_badge("ada@example.org"),
    ];
    if let Some(python) = smtp_python() {
        let server = SmtpServer::start(&python);
        let results = send(
            &server.settings("wrong"),
            &badges,
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        for r in &results {
            assert_eq!(
                r.outcome,
                Err("the mail server 127.0.0.1 refused the login for issuer; check the user name and password.".to_owned())
            );
        }
        assert!(!server.folder.path().join("1.eml").exists());
    }
    let port = free_port();
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        security: Security::PlainLocalOnly,
        username: None,
        password: None,
        timeout: Duration::from_secs(5),
        ca_file: None,
    };
    let results = send(&settings, &badges, &mut |_, _| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(results.len(), 2);
    for r in &results {
        let err = r.outcome.clone().unwrap_err();
        assert!(
            err.starts_with(&format!(
                "could not reach the mail server 127.0.0.1:{port} ("
            )),
            "{err}"
        );
        assert!(err.ends_with(")."), "{err}");
    }
    // A server that takes the connection and never answers: bounded wait.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let quiet = SmtpSettings {
        port: silent.local_addr().unwrap().port(),
        timeout: Duration::from_secs(2),
        ..settings.clone()
    };
    let results = send(
        &quiet,
        &badges[..1],
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(
        results[0].outcome,
        Err(format!(
            "the mail server 127.0.0.1:{} did not answer within 2 seconds.",
            quiet.port
        ))
    );
    // Plain SMTP goes to this computer only.
    let remote = SmtpSettings {
        host: "mail.example.org".into(),
        ..settings
    };
    assert_eq!(
        send(&remote, &badges, &mut |_, _| {}, &AtomicBool::new(false)).unwrap_err(),
        MailError::PlainToRemoteHost("mail.example.org".into())
    );
}

// The badge designer.

use satchel::issuer::design::{self, Design, Icon, Rgb, Shape};

fn sample_design(shape: Shape, icon: Option<Icon>) -> Design {
    Design {
        shape,
        background: Rgb::parse("#1d3557").unwrap(),
        foreground: Rgb::parse("#ffffff").unwrap(),
        accent: Rgb::parse("#e9c46a").unwrap(),
        title: "Rust Basics".into(),
        subtitle: Some("Example Academy 2026".into()),
        icon,
    }
}

/// Decodes a PNG with the `png` crate: (width, height, RGBA pixels).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn every_shape_renders_a_512_png_and_a_clean_svg() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/designer");
    std::fs::create_dir_all(&out).unwrap();
    let icons = [Icon::Star, Icon::Code, Icon::Trophy, Icon::Leaf];
    for (shape, icon) in Shape::ALL.into_iter().zip(icons) {
        let d = sample_design(shape, Some(icon));
        let svg = design::svg(&d).unwrap();
        assert!(!svg.contains("<text"), "text is drawn as paths: {shape:?}");
        assert!(
            !svg.contains("http://") || !svg.replace("http://www.w3.org/", "").contains("http://")
        );
        let checked = check_badge_image("design.svg", svg.as_bytes()).unwrap();
        assert_eq!((checked.width, checked.height), (512, 512));
        assert!(checked.warnings.is_empty());

        let png = design::png(&d, 512).unwrap();
        let checked = check_badge_image("design.png", &png).unwrap();
        assert_eq!(
            (checked.format, checked.width, checked.height),
            (ImageFormat::Png, 512, 512)
        );
        let (w, h, pixels) = decode_png(&png);
        assert_eq!((w, h), (512, 512));
        let at = |x: usize, y: usize| &pixels[(y * 512 + x) * 4..(y * 512 + x) * 4 + 4];
        // The corner is outside every shape (transparent); inside the rim, the
        // background colour shows somewhere on the middle row.
        assert_eq!(at(2, 2)[3], 0, "{shape:?}");
        assert!(
            (0..512).any(|x| at(x, 256)[..3] == [0x1d, 0x35, 0x57]),
            "{shape:?}: no background on the middle row"
        );
        // The title's white glyphs are drawn.
        assert!(
            pixels
                .chunks(4)
                .filter(|p| p == &[255, 255, 255, 255])
                .count()
                > 2_000
        );
        std::fs::write(out.join(format!("{}.png", shape.name())), &png).unwrap();
        // The same design gives the same bytes.
        assert_eq!(design::png(&d, 512).unwrap(), png, "{shape:?}");
        assert_eq!(design::svg(&d).unwrap(), svg);
    }
}

#[test]
fn every_icon_and_hostile_titles_draw_safely() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/designer");
    std::fs::create_dir_all(&out).unwrap();
    for (i, icon) in Icon::ALL.into_iter().enumerate() {
        let mut d = sample_design(Shape::ALL[i % 4], Some(icon));
        d.title = icon.name().replace('-', " ");
        d.subtitle = None;
        let svg = design::svg(&d).unwrap();
        check_badge_image("icon.svg", svg.as_bytes()).unwrap();
        let png = design::png(&d, 256).unwrap();
        assert_eq!(decode_png(&png).0, 256);
        std::fs::write(out.join(format!("icon-{}.png", icon.name())), &png).unwrap();
    }
    let mut d = sample_design(Shape::Shield, None);
    d.title = "</text><script>alert(1)</script> & \u{7}\u{0} A very long title that goes on and on"
        .into();
    d.subtitle = Some("<foreignObject/>".into());
    let svg = design::svg(&d).unwrap();
    assert!(
        !svg.contains("script") && !svg.contains("foreignObject"),
        "{svg}"
    );
    check_badge_image("hostile.svg", svg.as_bytes()).unwrap();
    let png = design::png(&d, 512).unwrap();
    std::fs::write(out.join("long-title.png"), &png).unwrap();
    assert_eq!(decode_png(&design::png(&d, 1).unwrap()).0, 16);
}

#[test]
fn low_contrast_designs_get_a_warning() {
    let mut d = sample_design(Shape::Circle, None);
    assert!(design::warnings(&d).is_empty());
    d.foreground = Rgb::parse("#777777").unwrap();
    d.background = Rgb::parse("#ffffff").unwrap();
    let w = design::warnings(&d);
    assert_eq!(w.len(), 1);
    assert!(
        w[0].contains("contrast of 4.5:1") || w[0].contains("4.48") || w[0].contains("4.5:1"),
        "{w:?}"
    );
    assert!(w[0].contains("#777777"), "{w:?}");
    assert!(design::contrast(d.foreground, d.background) < design::MIN_CONTRAST);
}
