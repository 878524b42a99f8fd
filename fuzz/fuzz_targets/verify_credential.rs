//! An OB 3.0 credential whose `ecdsa-sd-2023` derived proof carries any
//! CBOR: inspection and verification never panic, hang or blow memory.
#![no_main]
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use libfuzzer_sys::fuzz_target;
use satchel::fetch::{Fetch, FetchError, Fetched};
use satchel::verify::{Options, RecipientRule};

/// The network, always down.
struct Offline;

impl Fetch for Offline {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        Err(FetchError::NotCached(url.to_owned()))
    }
}

/// The header of a derived `ecdsa-sd-2023` proof value.
const DERIVED_HEADER: [u8; 3] = [0xd9, 0x5d, 0x01];

fuzz_target!(|data: &[u8]| {
    let mut raw = DERIVED_HEADER.to_vec();
    raw.extend_from_slice(data);
    let proof_value = format!("u{}", URL_SAFE_NO_PAD.encode(&raw));
    let credential = serde_json::json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:2d1f8a0e-5c3b-4c8e-9a57-0b6f3f2b9c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": "https://example.org/issuers/1",
            "type": ["Profile"],
            "name": "Example Issuer"
        },
        "validFrom": "2020-01-01T00:00:00Z",
        "name": "Fuzz Badge",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Fuzz Badge",
                "description": "Survived the fuzzer.",
                "criteria": { "narrative": "Decode any CBOR without panicking." }
            }
        },
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "ecdsa-sd-2023",
            "created": "2020-01-01T00:00:00Z",
            "verificationMethod": "https://example.org/issuers/1#zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9",
            "proofPurpose": "assertionMethod",
            "proofValue": proof_value
        }
    });
    let json = serde_json::to_vec(&credential).expect("a JSON value serializes");
    if let Ok(inspection) = satchel::inspect::inspect(&json) {
        let opts = Options {
            now: 1_700_000_000,
            recipients: vec![],
            recipient_rule: RecipientRule::MustMatch,
        };
        let _ = satchel::verify::verify(&inspection, &Offline, &opts);
    }
});
