//! Hostile and broken input: every case ends in a clear error (or a clear
//! "not a badge"), in bounded time and memory, never a panic.

use crate::support::{chunk, chunks, make_png};
use satchel::bake::{unbake_png, BakeError};
use satchel::inspect::{inspect, inspect_path, InspectError};
use std::io::Write;

fn with_chunk_after_ihdr(png: &[u8], extra: &[u8]) -> Vec<u8> {
    let mut out = png[..8].to_vec();
    for (i, (_, c)) in chunks(png).into_iter().enumerate() {
        out.extend_from_slice(&c);
        if i == 0 {
            out.extend_from_slice(extra);
        }
    }
    out
}

#[test]
fn a_100_mb_badge_chunk_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.png");
    let base = make_png(8, 8);
    let ch = chunks(&base);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(&base[..8]).unwrap();
    f.write_all(&ch[0].1).unwrap();
    // iTXt "openbadges" claiming 100 MB of text (written, so the file is real).
    let len: u32 = 100 * 1024 * 1024;
    f.write_all(&len.to_be_bytes()).unwrap();
    f.write_all(b"iTXt").unwrap();
    f.write_all(b"openbadges\0\0\0\0\0").unwrap();
    let block = vec![b'a'; 1 << 20];
    let mut left = len as usize - 15;
    while left > 0 {
        let n = left.min(block.len());
        f.write_all(&block[..n]).unwrap();
        left -= n;
    }
    f.write_all(&[0, 0, 0, 0]).unwrap();
    for (_, c) in &ch[1..] {
        f.write_all(c).unwrap();
    }
    drop(f);
    let err = inspect_path(&path).unwrap_err();
    assert!(err.to_string().contains("over Satchel's limit"), "{err}");
    assert!(err.is_rejection());
}

#[test]
fn a_zlib_bomb_in_a_compressed_itxt_is_capped() {
    // 64 MiB of zeros compress to about 64 KiB.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        z.write_all(&zeros).unwrap();
    }
    let mut data = b"openbadges\0\x01\0\0\0".to_vec();
    data.extend_from_slice(&z.finish().unwrap());
    let png = with_chunk_after_ihdr(&make_png(8, 8), &chunk(b"iTXt", &data));
    let err = unbake_png(&png).unwrap_err();
    assert!(
        matches!(err, BakeError::TooLarge(ref m) if m.contains("inflates to more than")),
        "{err}"
    );
}

#[test]
fn a_corrupt_zlib_stream_is_reported() {
    let mut data = b"openbadges\0\x01\0\0\0".to_vec();
    data.extend_from_slice(b"\x78\x9cthis is not deflate");
    let png = with_chunk_after_ihdr(&make_png(8, 8), &chunk(b"iTXt", &data));
    assert!(matches!(
        unbake_png(&png).unwrap_err(),
        BakeError::BadCompression(_)
    ));
}

#[test]
fn a_hundred_thousand_chunks_are_walked_quickly() {
    let base = make_png(8, 8);
    let filler = chunk(b"tEXt", b"Comment\0x");
    let mut extra = Vec::with_capacity(filler.len() * 100_000);
    for _ in 0..100_000 {
        extra.extend_from_slice(&filler);
    }
    let png = with_chunk_after_ihdr(&base, &extra);
    assert_eq!(unbake_png(&png).unwrap(), None);
    let err = inspect(&png).unwrap_err();
    assert!(matches!(err, InspectError::NotBaked(..)), "{err}");
}

#[test]
fn non_utf8_badge_text_is_refused() {
    let mut data = b"openbadges\0\0\0\0\0{\"name\":\"".to_vec();
    data.extend_from_slice(&[0xff, 0xfe, 0x80]);
    data.extend_from_slice(b"\"}");
    let png = with_chunk_after_ihdr(&make_png(8, 8), &chunk(b"iTXt", &data));
    let err = unbake_png(&png).unwrap_err();
    assert!(
        matches!(err, BakeError::NotText(ref m) if m.contains("offset 9")),
        "{err}"
    );
}

#[test]
fn json_nested_100000_deep_is_refused() {
    let deep = format!("{}{}", "{\"a\":[".repeat(50_000), "]}".repeat(50_000));
    let err = inspect(deep.as_bytes()).unwrap_err();
    assert!(
        err.to_string().contains("nested more than 128 levels"),
        "{err}"
    );
    // The same inside a baked image.
    let png = with_chunk_after_ihdr(
        &make_png(8, 8),
        &chunk(
            b"iTXt",
            &[b"openbadges\0\0\0\0\0".as_slice(), deep.as_bytes()].concat(),
        ),
    );
    let err = inspect(&png).unwrap_err();
    assert!(
        err.to_string().contains("nested more than 128 levels"),
        "{err}"
    );
}

#[test]
fn garbage_empty_and_binary_inputs_are_not_badges() {
    for (input, says) in [
        (&b""[..], "empty"),
        (b"   \n", "empty"),
        (b"\x00\x01\x02\xff", "not UTF-8"),
        (b"hello world", "not a badge"),
        (b"GIF89a", "GIF image"),
        (b"{\"name\": \"just json\"}", "not an Open Badges document"),
        (b"{not json", "not valid JSON"),
        (b"[1,2,3]", "not an object"),
        (b"eyJhbGciOiJSUzI1NiJ9.!!!.abc", "not a compact JWS"),
        (b"ftp://example.org/badge", "not a badge"),
    ] {
        let err = inspect(input).unwrap_err();
        assert!(
            err.to_string().contains(says),
            "{:?}: {err}",
            String::from_utf8_lossy(input)
        );
        assert!(err.is_rejection());
    }
}

#[test]
fn hostile_svgs_are_refused_or_read_safely() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion verify="https://example.org/a">&lol3;</openbadges:assertion></svg>"#;
    let err = inspect(laughs.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("refuses"), "{err}");

    let xxe = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org"><openbadges:assertion>&xxe;</openbadges:assertion></svg>"#;
    let err = inspect(xxe.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("refuses"), "{err}");
    assert!(
        !err.to_string().contains("root:"),
        "the entity must never be loaded"
    );

    let script = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org"><script>alert(1)</script><ob:assertion verify="https://example.org/assertions/7"/></svg>"#;
    let found = inspect(script.as_bytes()).unwrap();
    assert_eq!(found.payload, "https://example.org/assertions/7");
    assert!(
        found.warnings.iter().any(|w| w.contains("script")),
        "{:?}",
        found.warnings
    );
}
