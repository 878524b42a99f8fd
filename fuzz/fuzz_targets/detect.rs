//! Detection and the whole inspection pipeline never panic on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = satchel::detect::sniff(data);
    let _ = satchel::inspect::inspect(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = satchel::inspect::inspect_text(text);
    }
});
