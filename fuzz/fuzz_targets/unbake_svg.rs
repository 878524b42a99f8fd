//! SVG unbaking never panics on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = satchel::bake::unbake_svg(data);
});
