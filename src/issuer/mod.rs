//! Issuer mode: the parts an issuer's tools are built from. Each file is
//! self-contained with a small API: badge image checks (`image`), criteria
//! Markdown to safe HTML (`markdown`), badge emails (`mail`), passphrase
//! encryption of key exports and backups (`sealed`), the badge designer
//! (`design`).

pub mod design;
pub mod image;
pub mod mail;
pub mod markdown;
pub mod sealed;
