//! Satchel's core: read, check and keep Open Badges.
//!
//! Everything Satchel does goes through this crate; the `satchel` command-line
//! tool (`src/bin/satchel`) and the desktop app (`src-tauri`) are thin shells
//! over it. The crate has no dependency on a GUI toolkit, a CLI parser or an
//! async runtime.
//!
//! The pipeline for a file a user drops in:
//!
//! ```text
//! bytes ──detect::sniff──▶ PNG / SVG / JSON / JWS / URL
//!         │ PNG, SVG: bake::unbake ──▶ payload text
//!         ▼
//!       payload::classify ──▶ JSON value │ compact JWS │ URL
//!         ▼
//!       detect::detect_json ──▶ version (0.5 … 3.0, CLR 2.0) and document kind
//!         ▼
//!       model::normalize ──▶ BadgeView (what the UI and exports show)
//! ```
//!
//! [`inspect::inspect`] runs that whole pipeline on one input.
//!
//! ```
//! let json = br#"{"@context":"https://w3id.org/openbadges/v2","type":"Assertion",
//!   "id":"https://example.org/a/1","recipient":{"type":"email","hashed":false,"identity":"ada@example.org"},
//!   "badge":{"type":"BadgeClass","id":"https://example.org/b","name":"Analytical Engines",
//!            "description":"d","image":"https://example.org/b.png","criteria":"https://example.org/c",
//!            "issuer":{"type":"Issuer","id":"https://example.org/i","name":"Example Org"}},
//!   "issuedOn":"2024-05-01T00:00:00Z","verification":{"type":"hosted"}}"#;
//! let found = satchel::inspect::inspect(json).unwrap();
//! assert_eq!(found.version, Some(satchel::detect::Version::V2_0));
//! assert_eq!(found.badge.unwrap().name.as_deref(), Some("Analytical Engines"));
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod app;
pub mod atomic;
pub mod backpack;
pub mod bake;
pub mod clock;
pub mod crypto;
pub mod data_integrity;
pub mod detect;
/// Share pages: a collection exported as static pages that verify themselves.
pub mod export;
pub mod fetch;
pub mod inspect;
pub mod issuer;
pub mod jws;
pub mod keys;
pub mod limits;
pub mod media;
pub mod model;
pub mod payload;
pub mod pool;
pub mod samples;
pub mod store;
pub mod verify;
