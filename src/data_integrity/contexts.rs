//! The bundled JSON-LD contexts and the offline document loader built from them.
//!
//! Data Integrity verification must never fetch a context: a context served
//! today may differ from the one the issuer signed against, and a differing
//! copy changes which terms are signed and which are silently dropped. So the
//! loader knows exactly the URLs below, each mapped to a file in
//! `src/data_integrity/contexts/` (origins and licences in its `SOURCES.md`), and
//! nothing else. The loader is built once per process.

use json_ld::syntax::Parse;
use json_ld::{IriBuf, RemoteDocument};
use std::collections::HashMap;
use std::sync::LazyLock;

/// One bundled context: its URL, file name and text.
struct Bundled {
    url: &'static str,
    /// Read by the pinning test.
    #[cfg_attr(not(test), allow(dead_code))]
    file: &'static str,
    text: &'static str,
}

macro_rules! bundled {
    ($($url:literal => $file:literal,)*) => {
        &[$(Bundled { url: $url, file: $file, text: include_str!(concat!("contexts/", $file)) },)*]
    };
}

/// Every context Satchel has, by URL (the `context-map.json` rows of the
/// fixture set that OB 3.0 / CLR 2.0 verification needs).
static BUNDLED: &[Bundled] = bundled! {
    "https://www.w3.org/ns/credentials/v2" => "credentials-v2.jsonld",
    "https://www.w3.org/2018/credentials/v1" => "2018-credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2" => "credentials-examples-v2.context.json",
    "https://www.w3.org/ns/credentials/status/v1" => "vc-bitstring-status-list-v1.jsonld",
    "https://w3id.org/vc/status-list/2021/v1" => "vc-status-list-2021-v1.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json" => "ob-v3p0.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld" => "ob-v3p0.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json" => "ob-v3p0-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json" => "ob-v3p0-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json" => "ob-v3p0-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json" => "ob-v3p0-extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json" => "clr-v2p0.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json" => "clr-v2p0-2.0.1.json",
    "https://w3id.org/security/data-integrity/v1" => "data-integrity-v1.jsonld",
    "https://w3id.org/security/data-integrity/v2" => "security-data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1" => "security-multikey-v1.json",
    "https://w3id.org/security/suites/ed25519-2020/v1" => "security-suites-ed25519-2020-v1.jsonld",
    "https://w3id.org/security/v1" => "security-v1.jsonld",
    "https://w3id.org/security/v2" => "security-v2.jsonld",
    "https://www.w3.org/ns/did/v1" => "did-v1.jsonld",
    "https://w3id.org/dcc/v1" => "dcc-v1.json",
    "https://www.w3.org/ns/odrl.jsonld" => "odrl.jsonld",
};

/// The offline loader: bundled URL → parsed document. Built on first use.
pub(crate) static LOADER: LazyLock<HashMap<IriBuf, RemoteDocument>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for b in BUNDLED {
        // Both always succeed for the pinned files (see the unit test); a
        // failure would only leave that URL unknown ("could not check").
        let (Ok(url), Ok((doc, _))) = (
            IriBuf::new(b.url.to_owned()),
            json_ld::syntax::Value::parse_str(b.text),
        ) else {
            continue;
        };
        map.insert(url.clone(), RemoteDocument::new(Some(url), None, doc));
    }
    map
});

/// Is `url` a context Satchel has?
pub(crate) fn is_bundled(url: &str) -> bool {
    BUNDLED.iter().any(|b| b.url == url)
}

/// Does any bundled context contain `text`?
pub(crate) fn mentions(text: &str) -> bool {
    BUNDLED.iter().any(|b| b.text.contains(text))
}

/// Every bundled context URL (for documentation and tests).
pub fn bundled_urls() -> impl Iterator<Item = &'static str> {
    BUNDLED.iter().map(|b| b.url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The pinned SHA-256 of every bundled file (equal to the fixture set's copies).
    const PINNED: &[(&str, &str)] = &[
        (
            "2018-credentials-v1.jsonld",
            "3d0b277522ed24385c850b9882b9688687189b8f37a9bd9f1577e348b1019c44",
        ),
        (
            "clr-v2p0-2.0.1.json",
            "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
        ),
        (
            "clr-v2p0.json",
            "e198d7b517d74c5036434ce495086f67b10244709e9a3df9dcb7f8b1579b6167",
        ),
        (
            "credentials-examples-v2.context.json",
            "57393fbc69d6efb9b9b5dc9cb6b9880b0944360abfe2eaf459c9e58cf2279d7c",
        ),
        (
            "credentials-v2.jsonld",
            "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
        ),
        (
            "data-integrity-v1.jsonld",
            "c6e5073f4bd4bf6d08f245736e6f32c29b012860b18583644b2d71e1de862669",
        ),
        (
            "dcc-v1.json",
            "1543695325471b0d23e839a28166ba4ea445cca294ac46fe034ca584cbfc6077",
        ),
        (
            "did-v1.jsonld",
            "adefa50311393eb1bd788a38ac9fe2696c65367928f6996812cd54577394f4da",
        ),
        (
            "ob-v3p0-3.0.1.json",
            "cfc147db5fd5e3575b06bd471fe04784e92de69296f64a351b8dff0ec3372e9c",
        ),
        (
            "ob-v3p0-3.0.2.json",
            "bba433989e1e700ca60838a3c22378e7d8381aeb0c9590f9ddf84d1714f10296",
        ),
        (
            "ob-v3p0-3.0.3.json",
            "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
        ),
        (
            "ob-v3p0-extensions.json",
            "146f85aa16effd7ca1da8056eb443f53ce1eca8a34186cb062832c0a97d889c3",
        ),
        (
            "ob-v3p0.json",
            "b077fa134d909d92c1dcd1c153f2af1b244aeb415967fdc1467d7fc5dd48ac10",
        ),
        (
            "odrl.jsonld",
            "f9937a5cf820abc39a1b954a3752132a9334fb23ec4a379e77a74a007c8f567d",
        ),
        (
            "security-data-integrity-v2.json",
            "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
        ),
        (
            "security-multikey-v1.json",
            "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
        ),
        (
            "security-suites-ed25519-2020-v1.jsonld",
            "67646fbc0d6582ad7fbf08ccf0d3a4bedbb4177fd2d63385de52dc1b092ed6c5",
        ),
        (
            "security-v1.jsonld",
            "abaf97e107d1925503c433dcaf3ffd2831697cacc1ed2a293e1bc8030d5bcb47",
        ),
        (
            "security-v2.jsonld",
            "611bd81151d5efe53ec9aed78f5a813e577287bc9451ee26d6879b1b8b46bc3b",
        ),
        (
            "vc-bitstring-status-list-v1.jsonld",
            "fd08cbf28ddd829ab2f1978c48f43ab07a112c1c90245a0cfac7ba721c65170c",
        ),
        (
            "vc-status-list-2021-v1.jsonld",
            "634d71c159289f068c96012e4511c657fdf82ac4231900081bda3ba24e2e1160",
        ),
    ];

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn every_bundled_context_is_pinned_and_parses() {
        for b in BUNDLED {
            let pinned = PINNED.iter().find(|(f, _)| *f == b.file).map(|(_, h)| *h);
            assert_eq!(
                Some(hex(&Sha256::digest(b.text.as_bytes())).as_str()),
                pinned,
                "{}",
                b.file
            );
            let url = IriBuf::new(b.url.to_owned()).unwrap();
            assert!(LOADER.contains_key(&url), "{} did not load", b.url);
        }
        assert_eq!(LOADER.len(), BUNDLED.len());
    }

    #[test]
    fn every_file_in_the_folder_is_bundled() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data_integrity/contexts");
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if name != "SOURCES.md" {
                assert!(
                    BUNDLED.iter().any(|b| b.file == name),
                    "{name} is not bundled"
                );
                let sources = include_str!("contexts/SOURCES.md");
                assert!(
                    sources.contains(&format!("`{name}`")),
                    "SOURCES.md does not list {name}"
                );
            }
        }
    }
}
