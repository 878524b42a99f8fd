//! Sample badges for a first run: a few Open Badges 3.0 credentials that
//! Satchel makes itself, so a new user can try the backpack without a badge
//! of their own.
//!
//! Each sample is an `OpenBadgeCredential` issued by a `did:key` issuer whose
//! Ed25519 key comes from a fixed, published demo seed ([`DEMO_SEED`]; never a
//! real key), signed with an `eddsa-rdfc-2022` Data Integrity proof and baked
//! into a small PNG or SVG drawn here. A `did:key` needs no network, so every
//! sample verifies offline as "verified" (with the usual warning that anyone
//! can make a `did:key`). Names and descriptions say plainly that they are
//! samples. They name no recipient on purpose: a sample belongs to nobody, so
//! the user's identities neither match nor contradict it (the report says it
//! cannot tell whose it is).
//!
//! ```
//! let all = satchel::samples::samples();
//! assert!(all.len() >= 3);
//! assert!(all.iter().all(|s| s.name.starts_with("Sample:")));
//! ```

use crate::bake::{bake, write_png_chunk, Slot};
use crate::data_integrity::sign_eddsa_rdfc_2022;
use ed25519_dalek::SigningKey;
use serde_json::{json, Value};
use std::io::Write as _;

/// The demo issuer's Ed25519 seed. Public on purpose: samples are not meant to
/// be trusted, only to be verifiable.
pub const DEMO_SEED: [u8; 32] = *b"satchel-sample-badges-demo-seed!";

/// The demo issuer's name as the samples carry it.
pub const ISSUER_NAME: &str = "Satchel Samples (demo issuer)";

/// When every sample was issued.
const VALID_FROM: &str = "2025-01-01T00:00:00Z";

/// Whom the samples are awarded to: a made-up address, hashed with a salt as
/// issuers should (the address itself never appears in the badge).
pub const SAMPLE_RECIPIENT: &str = "sample.learner@example.org";
const SAMPLE_SALT: &str = "satchel-sample-salt";

/// The `identifier` of the sample recipient: a salted SHA-256 email hash.
fn sample_identifier() -> Value {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{SAMPLE_RECIPIENT}{SAMPLE_SALT}").as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    json!([{
        "type": "IdentityObject",
        "identityHash": format!("sha256${hex}"),
        "identityType": "emailAddress",
        "hashed": true,
        "salt": SAMPLE_SALT
    }])
}

/// One sample badge: a baked image ready to import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sample {
    /// A file name for it (`sample-trail-explorer.svg`).
    pub file_name: String,
    /// The badge's name (starts with `Sample:`).
    pub name: String,
    /// The baked image (PNG or SVG).
    pub bytes: Vec<u8>,
}

/// The demo issuer's `did:key` (a base58btc multibase Ed25519 public key).
pub fn issuer_did() -> String {
    crate::keys::ed25519_did_key(signing_key().verifying_key().as_bytes())
}

fn signing_key() -> SigningKey {
    SigningKey::from_bytes(&DEMO_SEED)
}

struct Design {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    criteria: &'static str,
    tags: &'static [&'static str],
    /// Main colour and darker rim, as RGB.
    colour: [u8; 3],
    rim: [u8; 3],
    /// Star points (0: a ring only) for the art.
    points: u32,
    png: bool,
}

const DESIGNS: [Design; 4] = [
    Design {
        slug: "trail-explorer",
        name: "Sample: Trail Explorer",
        description: "A sample badge made by Satchel for trying out the app. It stands for walking a marked trail from start to end.",
        criteria: "Walk a marked trail of at least 10 km and log the route.",
        tags: &["sample", "outdoors"],
        colour: [46, 158, 96],
        rim: [22, 94, 55],
        points: 3,
        png: false,
    },
    Design {
        slug: "community-helper",
        name: "Sample: Community Helper",
        description: "A sample badge made by Satchel for trying out the app. It stands for volunteering at a neighbourhood event.",
        criteria: "Volunteer for at least one day at a community event.",
        tags: &["sample", "volunteering"],
        colour: [232, 126, 42],
        rim: [160, 72, 14],
        points: 5,
        png: true,
    },
    Design {
        slug: "open-source-contributor",
        name: "Sample: Open Source Contributor",
        description: "A sample badge made by Satchel for trying out the app. It stands for a first accepted change to an open-source project.",
        criteria: "Have a pull request merged into a public open-source project.",
        tags: &["sample", "software"],
        colour: [43, 89, 195],
        rim: [24, 52, 120],
        points: 6,
        png: true,
    },
    Design {
        slug: "night-sky-observer",
        name: "Sample: Night Sky Observer",
        description: "A sample badge made by Satchel for trying out the app. It stands for identifying ten constellations by eye.",
        criteria: "Identify ten constellations in the night sky and sketch two of them.",
        tags: &["sample", "astronomy"],
        colour: [109, 68, 190],
        rim: [58, 32, 112],
        points: 8,
        png: false,
    },
];

/// The sample badges, baked and signed. Deterministic: the same bytes every time.
pub fn samples() -> Vec<Sample> {
    let key = signing_key();
    let did = crate::keys::ed25519_did_key(key.verifying_key().as_bytes());
    DESIGNS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let credential = sign(&key, &did, credential(d, i, &did));
            let payload = credential.to_string();
            let (image, ext) = if d.png {
                (png_art(d), "png")
            } else {
                (svg_art(d).into_bytes(), "svg")
            };
            let bytes = bake(&image, &payload, Slot::OpenBadgeCredential)
                .expect("the sample art is a valid image and the payload is small");
            Sample {
                file_name: format!("sample-{}.{ext}", d.slug),
                name: d.name.to_owned(),
                bytes,
            }
        })
        .collect()
}

fn credential(d: &Design, i: usize, did: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("urn:uuid:5a7c4e10-0000-4000-8000-00000000000{}", i + 1),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": d.name,
        "issuer": {
            "id": did,
            "type": ["Profile"],
            "name": ISSUER_NAME,
            "description": "A demo issuer built into Satchel. Its badges are samples, not real achievements."
        },
        "validFrom": VALID_FROM,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": sample_identifier(),
            "achievement": {
                "id": format!("urn:uuid:5a7c4e10-0000-4000-8000-0000000000a{}", i + 1),
                "type": ["Achievement"],
                "name": d.name,
                "description": d.description,
                "criteria": {"narrative": d.criteria},
                "tag": d.tags
            }
        }
    })
}

fn sign(key: &SigningKey, did: &str, credential: Value) -> Value {
    let options = json!({
        "created": VALID_FROM,
        "verificationMethod": format!("{did}#{}", did.trim_start_matches("did:key:")),
        "proofPurpose": "assertionMethod"
    });
    sign_eddsa_rdfc_2022(&credential, &options, key)
        .expect("the sample credential uses only bundled contexts and defined terms")
}

// ------------------------------------------------------------------ art

/// The points of a star (or a polygon when `inner == outer`) around (cx, cy).
fn star(points: u32, cx: f64, cy: f64, outer: f64, inner: f64) -> Vec<(f64, f64)> {
    let n = points.max(3) * 2;
    (0..n)
        .map(|k| {
            let r = if k % 2 == 0 { outer } else { inner };
            let a = std::f64::consts::PI * (k as f64) / f64::from(points.max(3))
                - std::f64::consts::FRAC_PI_2;
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect()
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn svg_art(d: &Design) -> String {
    let pts: Vec<String> = star(d.points, 80.0, 80.0, 42.0, 20.0)
        .into_iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect();
    format!(
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"160\" height=\"160\" viewBox=\"0 0 160 160\">",
            "<title>{title}</title>",
            "<circle cx=\"80\" cy=\"80\" r=\"76\" fill=\"{rim}\"/>",
            "<circle cx=\"80\" cy=\"80\" r=\"66\" fill=\"{main}\"/>",
            "<circle cx=\"80\" cy=\"80\" r=\"56\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-dasharray=\"6 5\"/>",
            "<polygon points=\"{pts}\" fill=\"#ffffff\"/>",
            "</svg>"
        ),
        title = d.name,
        rim = hex(d.rim),
        main = hex(d.colour),
        pts = pts.join(" ")
    )
}

fn inside(poly: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut inside = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// A 160×160 RGBA PNG: rim, disc, white ring and star, 4× supersampled.
fn png_art(d: &Design) -> Vec<u8> {
    const SIZE: u32 = 160;
    let poly = star(d.points, 80.0, 80.0, 42.0, 20.0);
    let mut raw = Vec::with_capacity((SIZE * (SIZE * 4 + 1)) as usize);
    for y in 0..SIZE {
        raw.push(0); // filter: none
        for x in 0..SIZE {
            let mut acc = [0f64; 4];
            for sy in 0..2 {
                for sx in 0..2 {
                    let px = f64::from(x) + 0.25 + 0.5 * f64::from(sx);
                    let py = f64::from(y) + 0.25 + 0.5 * f64::from(sy);
                    let r = ((px - 80.0).powi(2) + (py - 80.0).powi(2)).sqrt();
                    let c: Option<[u8; 3]> = if inside(&poly, px, py) || (54.5..57.5).contains(&r) {
                        Some([255, 255, 255])
                    } else if r < 66.0 {
                        Some(d.colour)
                    } else if r < 76.0 {
                        Some(d.rim)
                    } else {
                        None
                    };
                    if let Some(c) = c {
                        for k in 0..3 {
                            acc[k] += f64::from(c[k]);
                        }
                        acc[3] += 255.0;
                    }
                }
            }
            let alpha = acc[3] / 4.0;
            for k in 0..3 {
                // Colour averaged over the covered samples (straight alpha).
                let covered = acc[3] / 255.0;
                raw.push(if covered > 0.0 {
                    (acc[k] / covered).round() as u8
                } else {
                    0
                });
            }
            raw.push(alpha.round() as u8);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&SIZE.to_be_bytes());
    ihdr.extend_from_slice(&SIZE.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA, no interlace
    write_png_chunk(&mut out, b"IHDR", &ihdr);
    write_png_chunk(&mut out, b"IDAT", &idat);
    write_png_chunk(&mut out, b"IEND", &[]);
    out
}
