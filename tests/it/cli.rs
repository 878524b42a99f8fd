//! The real `satchel` binary: output, exit codes and error sentences.

use crate::support::{make_png, OB2_ASSERTION};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn satchel(args: &[&str]) -> Output {
    satchel_stdin(args, None)
}

fn satchel_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        pipe.write_all(bytes).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// An error is one line: "satchel: FILE: what is wrong." naming the file.
fn assert_one_sentence(o: &Output, file: &Path) {
    let e = stderr(o);
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.starts_with(&format!("satchel: {}: ", file.display())),
        "{e}"
    );
    assert!(e.trim_end().ends_with('.'), "{e}");
}

#[test]
fn version_names_the_commit_and_the_licence() {
    let out = satchel(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim(), format!("satchel {}", satchel::LONG_VERSION));
    let commit = text
        .split("(commit ")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .unwrap_or_default();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.bytes().all(|b| b.is_ascii_hexdigit())),
        "{text}"
    );
    assert!(text.contains("licence Apache-2.0"), "{text}");
}

#[test]
fn help_is_everywhere() {
    for args in [
        &["--help"][..],
        &["unbake", "--help"],
        &["bake", "--help"],
        &["inspect", "--help"],
    ] {
        let o = satchel(args);
        assert_eq!(code(&o), 0, "{args:?}");
        assert!(String::from_utf8_lossy(&o.stdout).contains("Usage:"));
    }
    assert_eq!(code(&satchel(&[])), 2);
    assert_eq!(code(&satchel(&["frobnicate"])), 2);
    assert_eq!(
        code(&satchel(&["bake", "x.png"])),
        2,
        "missing --payload/--out is a usage error"
    );
}

#[test]
fn bake_unbake_and_inspect_a_png() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("plain.png");
    let payload = dir.path().join("assertion.json");
    let out = dir.path().join("baked.png");
    std::fs::write(&image, make_png(48, 48)).unwrap();
    std::fs::write(&payload, OB2_ASSERTION).unwrap();

    let o = satchel(&[
        "bake",
        image.to_str().unwrap(),
        "--payload",
        &format!("@{}", payload.display()),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));

    let o = satchel(&["unbake", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(
        o.stdout,
        OB2_ASSERTION.as_bytes(),
        "printed exactly as embedded"
    );

    let o = satchel(&["inspect", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    for needle in [
        "PNG image, iTXt chunk \"openbadges\"",
        "Open Badges 2.0, Assertion",
        "Rust Ranger",
        "Example Guild",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }

    let o = satchel(&["inspect", "--json", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["container"], "png");
    assert_eq!(v["version"], "2.0");
    assert_eq!(v["kind"], "Assertion");
    assert_eq!(v["payload_kind"], "JSON");
    assert_eq!(v["baked"]["slot"], "open_badges");
    assert_eq!(v["badge"]["name"], "Rust Ranger");
    assert_eq!(v["file"], out.to_str().unwrap());

    // Standard input works for unbake and inspect.
    let o = satchel_stdin(&["unbake", "-"], Some(&std::fs::read(&out).unwrap()));
    assert_eq!(o.stdout, OB2_ASSERTION.as_bytes());
}

#[test]
fn the_payload_decides_the_keyword_and_element() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("plain.png");
    std::fs::write(&image, make_png(8, 8)).unwrap();
    let svg = dir.path().join("plain.svg");
    std::fs::write(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"><rect width=\"8\" height=\"8\"/></svg>").unwrap();
    let ob3 = r#"{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],"type":["VerifiableCredential","OpenBadgeCredential"],"id":"urn:uuid:1","issuer":{"id":"did:example:1","type":["Profile"],"name":"I"},"validFrom":"2024-01-01T00:00:00Z","credentialSubject":{"type":["AchievementSubject"],"achievement":{"id":"urn:uuid:2","type":["Achievement"],"name":"Three","description":"d","criteria":{"narrative":"n"}}}}"#;
    for (input, name) in [(&image, "ob3.png"), (&svg, "ob3.svg")] {
        let out = dir.path().join(name);
        let o = satchel(&[
            "bake",
            input.to_str().unwrap(),
            "--payload",
            ob3,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let o = satchel(&["inspect", "--json", out.to_str().unwrap()]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(v["baked"]["slot"], "open_badge_credential", "{name}");
        assert_eq!(v["version"], "3.0");
        assert_eq!(
            satchel(&["unbake", out.to_str().unwrap()]).stdout,
            ob3.as_bytes()
        );
    }
    let baked = std::fs::read(dir.path().join("ob3.png")).unwrap();
    assert!(baked.windows(20).any(|w| w == b"openbadgecredential\0"));
    let baked_svg = std::fs::read_to_string(dir.path().join("ob3.svg")).unwrap();
    assert!(
        baked_svg.contains("https://purl.imsglobal.org/ob/v3p0"),
        "{baked_svg}"
    );
}

#[test]
fn rejected_input_exits_1_and_io_errors_exit_2_with_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.png");
    std::fs::write(&plain, make_png(8, 8)).unwrap();
    let o = satchel(&["unbake", plain.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert_one_sentence(&o, &plain);
    assert!(stderr(&o).contains("carries no badge"));

    let truncated = dir.path().join("truncated.png");
    let bytes = make_png(32, 32);
    std::fs::write(&truncated, &bytes[..bytes.len() - 20]).unwrap();
    let o = satchel(&["inspect", truncated.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert_one_sentence(&o, &truncated);
    assert!(stderr(&o).contains("truncated"));

    let json = dir.path().join("assertion.json");
    std::fs::write(&json, OB2_ASSERTION).unwrap();
    let o = satchel(&["unbake", json.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "JSON is a badge but not a baked image");
    assert_one_sentence(&o, &json);

    let missing = dir.path().join("missing.png");
    let o = satchel(&["inspect", missing.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert_one_sentence(&o, &missing);

    // A folder where a file is expected.
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let o = satchel(&["inspect", folder.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert_one_sentence(&o, &folder);
    assert!(
        stderr(&o).contains("it is a folder, not a file"),
        "{}",
        stderr(&o)
    );

    // Baking a payload that is not a badge is refused, and nothing is written.
    let out = dir.path().join("out.png");
    let o = satchel(&[
        "bake",
        plain.to_str().unwrap(),
        "--payload",
        "hello",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(!out.exists());
    // Baking into something that is not an image is refused.
    let o = satchel(&[
        "bake",
        json.to_str().unwrap(),
        "--payload",
        OB2_ASSERTION,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 1);
    assert_one_sentence(&o, &json);
    assert!(!out.exists());
}

#[test]
fn batch_unbake_prints_one_json_line_per_image_and_stats() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.png");
    let b = dir.path().join("b.png");
    let plain = dir.path().join("plain.png");
    let image = make_png(8, 8);
    std::fs::write(
        &a,
        satchel::bake::bake(&image, OB2_ASSERTION, satchel::bake::Slot::OpenBadges).unwrap(),
    )
    .unwrap();
    std::fs::write(
        &b,
        satchel::bake::bake(
            &image,
            "https://example.org/b",
            satchel::bake::Slot::OpenBadges,
        )
        .unwrap(),
    )
    .unwrap();
    std::fs::write(&plain, &image).unwrap();
    let list = dir.path().join("list.txt");
    std::fs::write(&list, format!("{}\n\n{}\n", b.display(), plain.display())).unwrap();

    let o = satchel(&[
        "unbake",
        a.to_str().unwrap(),
        "--list",
        list.to_str().unwrap(),
        "--stats",
    ]);
    assert_eq!(code(&o), 1, "one image is not baked");
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["payload"], OB2_ASSERTION);
    assert_eq!(lines[1]["payload"], "https://example.org/b");
    assert!(lines[2]["error"]
        .as_str()
        .unwrap()
        .contains("carries no badge"));
    assert_eq!(
        (lines[3]["n"].as_u64(), lines[3]["ok"].as_u64()),
        (Some(3), Some(2))
    );
    assert!(lines[3]["per_badge_us_mean"].as_f64().is_some());
}

#[test]
fn unbaking_markup_that_is_not_svg_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("page.svg");
    std::fs::write(
        &html,
        "<!DOCTYPE html><html><body>not a badge</body></html>",
    )
    .unwrap();
    let o = satchel(&["unbake", html.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert_one_sentence(&o, &html);
    assert!(stderr(&o).contains("not an SVG image"), "{}", stderr(&o));
}

#[test]
fn files_that_are_not_badges_are_named_for_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 4] = [
        ("photo.jpg", &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 0x80, 0x81], "is a JPEG image: badges are baked only into PNG and SVG images"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x80\xff", "is a GIF image"),
        ("doc.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "is a PDF document"),
        (
            "context.json",
            br#"{"@context": {"id": "@id", "type": "@type", "Assertion": "https://w3id.org/openbadges#Assertion"}}"#,
            "is a JSON-LD context (the vocabulary badges use), not a badge",
        ),
    ];
    for (name, bytes, says) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let o = satchel(&["inspect", file.to_str().unwrap()]);
        assert_eq!(code(&o), 1, "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{name}: {}", stderr(&o));
        assert_one_sentence(&o, &file);
    }
}
