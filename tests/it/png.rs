//! PNG baking and unbaking on real, generated images.

use crate::support::{chunk, chunks, make_png, OB2_ASSERTION};
use satchel::bake::{
    bake, bake_png, unbake, unbake_png, unbake_png_reader, BakeError, ImageFormat, Slot,
};

fn itxt(keyword: &str, flag: u8, text: &[u8]) -> Vec<u8> {
    let mut d = keyword.as_bytes().to_vec();
    d.extend_from_slice(&[0, flag, 0, 0, 0]);
    d.extend_from_slice(text);
    chunk(b"iTXt", &d)
}

/// Rebuilds `png` with `extra` chunks inserted before chunk number `at`.
fn insert_chunks(png: &[u8], at: usize, extra: &[Vec<u8>]) -> Vec<u8> {
    let mut out = png[..8].to_vec();
    for (i, (_, c)) in chunks(png).into_iter().enumerate() {
        if i == at {
            extra.iter().for_each(|e| out.extend_from_slice(e));
        }
        out.extend_from_slice(&c);
    }
    out
}

#[test]
fn bake_then_unbake_gives_the_payload_back_in_every_slot() {
    let image = make_png(64, 48);
    for (slot, payload) in [
        (Slot::OpenBadges, OB2_ASSERTION.to_owned()),
        (
            Slot::OpenBadges,
            "https://example.org/assertions/1".to_owned(),
        ),
        (
            Slot::OpenBadgeCredential,
            "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2ln".to_owned(),
        ),
        (
            Slot::ClrCredential,
            "{\"name\":\"Zoë — ünïcode ✓\"}\n".to_owned(),
        ),
    ] {
        let baked = bake_png(&image, &payload, slot).unwrap();
        let got = unbake_png(&baked)
            .unwrap()
            .expect("baked image has a badge");
        assert_eq!(got.payload, payload);
        assert_eq!(got.slot, slot);
        assert_eq!(got.format, ImageFormat::Png);
        assert!(got.warnings.is_empty(), "{:?}", got.warnings);
        // The generic entry points agree.
        assert_eq!(unbake(&baked).unwrap().unwrap().payload, payload);
        assert_eq!(bake(&image, &payload, slot).unwrap(), baked);
    }
}

#[test]
fn baked_png_is_a_valid_png_with_one_uncompressed_itxt_after_ihdr() {
    let image = make_png(32, 32);
    let baked = bake_png(&image, OB2_ASSERTION, Slot::OpenBadges).unwrap();
    // A strict decoder reads the pixels and sees our iTXt chunk.
    let mut decoder = png::Decoder::new(std::io::Cursor::new(&baked));
    decoder.set_ignore_text_chunk(false);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    reader.next_frame(&mut buf).unwrap();
    reader.finish().unwrap();
    let texts = &reader.info().utf8_text;
    assert_eq!(texts.len(), 1);
    assert_eq!(texts[0].keyword, "openbadges");
    assert!(!texts[0].compressed);
    assert_eq!(texts[0].get_text().unwrap(), OB2_ASSERTION);

    let types: Vec<[u8; 4]> = chunks(&baked).into_iter().map(|(t, _)| t).collect();
    assert_eq!(&types[..2], &[*b"IHDR", *b"iTXt"]);
}

#[test]
fn baking_keeps_every_other_chunk_byte_for_byte_and_replaces_an_existing_badge() {
    let image = make_png(40, 40);
    let first = bake_png(&image, "https://example.org/a/1", Slot::OpenBadges).unwrap();
    let second = bake_png(&first, OB2_ASSERTION, Slot::OpenBadges).unwrap();
    let keep = |png: &[u8]| -> Vec<Vec<u8>> {
        chunks(png)
            .into_iter()
            .filter(|(t, _)| t != b"iTXt")
            .map(|(_, c)| c)
            .collect()
    };
    assert_eq!(
        keep(&image),
        keep(&second),
        "non-badge chunks must be untouched"
    );
    let badge_chunks = chunks(&second)
        .into_iter()
        .filter(|(t, _)| t == b"iTXt")
        .count();
    assert_eq!(badge_chunks, 1, "re-baking replaces, never adds");
    assert_eq!(unbake_png(&second).unwrap().unwrap().payload, OB2_ASSERTION);

    // Baking an OB 3.0 credential over an OB 2.0 badge also leaves only one badge.
    let third = bake_png(
        &second,
        "{\"type\":[\"VerifiableCredential\"]}",
        Slot::OpenBadgeCredential,
    )
    .unwrap();
    let found = unbake_png(&third).unwrap().unwrap();
    assert_eq!(found.slot, Slot::OpenBadgeCredential);
    assert!(found.warnings.is_empty());
}

#[test]
fn legacy_text_compressed_itxt_and_late_chunks_are_read() {
    let image = make_png(16, 16);
    let n = chunks(&image).len();
    // Legacy tEXt with a URL, placed after IDAT (just before IEND).
    let mut d = b"openbadges\0".to_vec();
    d.extend_from_slice(b"https://example.org/assertion");
    let legacy = insert_chunks(&image, n - 1, &[chunk(b"tEXt", &d)]);
    let got = unbake_png(&legacy).unwrap().unwrap();
    assert_eq!(got.payload, "https://example.org/assertion");
    assert!(
        got.warnings.iter().any(|w| w.contains("legacy tEXt")),
        "{:?}",
        got.warnings
    );

    // Compressed iTXt (flag 1) is inflated.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, OB2_ASSERTION.as_bytes()).unwrap();
    let compressed = insert_chunks(&image, 1, &[itxt("openbadges", 1, &z.finish().unwrap())]);
    assert_eq!(
        unbake_png(&compressed).unwrap().unwrap().payload,
        OB2_ASSERTION
    );

    // A language tag and translated keyword are skipped properly.
    let mut d = b"openbadgecredential\0\0\0en\0Abzeichen\0".to_vec();
    d.extend_from_slice(b"{\"a\":1}");
    let tagged = insert_chunks(&image, 1, &[chunk(b"iTXt", &d)]);
    let got = unbake_png(&tagged).unwrap().unwrap();
    assert_eq!(
        (got.payload.as_str(), got.slot),
        ("{\"a\":1}", Slot::OpenBadgeCredential)
    );

    // zTXt as a last resort.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut z, b"https://example.org/z").unwrap();
    let mut d = b"openbadges\0\0".to_vec();
    d.extend_from_slice(&z.finish().unwrap());
    assert_eq!(
        unbake_png(&insert_chunks(&image, 1, &[chunk(b"zTXt", &d)]))
            .unwrap()
            .unwrap()
            .payload,
        "https://example.org/z"
    );
}

#[test]
fn itxt_is_preferred_over_an_earlier_text_and_duplicates_are_reported() {
    let image = make_png(8, 8);
    let mut d = b"openbadges\0".to_vec();
    d.extend_from_slice(b"https://example.org/old");
    let both = insert_chunks(
        &image,
        1,
        &[
            chunk(b"tEXt", &d),
            itxt("openbadges", 0, OB2_ASSERTION.as_bytes()),
        ],
    );
    let got = unbake_png(&both).unwrap().unwrap();
    assert_eq!(got.payload, OB2_ASSERTION);
    assert!(
        got.warnings
            .iter()
            .any(|w| w.contains("more than one badge chunk")),
        "{:?}",
        got.warnings
    );
}

#[test]
fn a_bad_crc_on_an_intact_badge_chunk_is_a_warning() {
    let image = make_png(8, 8);
    let mut c = itxt("openbadges", 0, OB2_ASSERTION.as_bytes());
    let last = c.len() - 1;
    c[last] ^= 0xff;
    let got = unbake_png(&insert_chunks(&image, 1, &[c]))
        .unwrap()
        .unwrap();
    assert_eq!(got.payload, OB2_ASSERTION);
    assert!(got.warnings[0].contains("wrong CRC"), "{:?}", got.warnings);
}

#[test]
fn unbaked_images_are_not_badges() {
    let image = make_png(8, 8);
    assert_eq!(unbake_png(&image).unwrap(), None);
    assert_eq!(
        unbake_png_reader(std::io::Cursor::new(&image)).unwrap(),
        None
    );
}

#[test]
fn broken_pngs_give_clear_errors() {
    let image = bake_png(&make_png(64, 64), OB2_ASSERTION, Slot::OpenBadges).unwrap();
    // Truncated anywhere after the signature.
    for cut in [9, 20, 33, image.len() / 2, image.len() - 1] {
        let err = unbake_png(&image[..cut]).unwrap_err();
        assert!(
            matches!(err, BakeError::BadPng(ref m) if m.contains("truncated")),
            "cut {cut}: {err}"
        );
    }
    // First chunk not IHDR.
    let mut no_ihdr = image[..8].to_vec();
    no_ihdr.extend(chunk(b"tEXt", b"a\0b"));
    no_ihdr.extend_from_slice(&image[8..]);
    assert!(unbake_png(&no_ihdr)
        .unwrap_err()
        .to_string()
        .contains("not IHDR"));
    // Not a PNG at all.
    assert_eq!(
        unbake_png(b"GIF89a........").unwrap_err(),
        BakeError::NotAnImage
    );
    // Baking refuses broken PNGs too.
    assert!(bake_png(&image[..image.len() - 5], "x", Slot::OpenBadges)
        .unwrap_err()
        .to_string()
        .contains("truncated"));
}
