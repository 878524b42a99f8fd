//! PNG unbaking never panics, and agrees between the slice and stream readers.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut png = satchel::bake::PNG_SIGNATURE.to_vec();
    png.extend_from_slice(data);
    let a = satchel::bake::unbake_png(&png);
    let b = satchel::bake::unbake_png_reader(std::io::Cursor::new(&png));
    assert_eq!(a, b);
});
