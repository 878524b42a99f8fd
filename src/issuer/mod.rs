//! Issuer mode: define badge classes, award them, sign, bake and publish
//! Open Badges from the issuer's own machine.
//!
//! The records (issuer profiles, key metadata, badge classes, awards) are
//! `store`'s plain data; this module gives them meaning:
//!
//! - [`Identity`]: what an issuer's base URL makes of it (the OB 2.0 profile
//!   URL, the OB 3.0 `did:web` or profile URL, where every document lives);
//! - `keys`: signing keys as owner-only files in the data folder (Ed25519
//!   for OB 3.0, RSA 3072 for OB 2.0 signed), refused when others may read
//!   them;
//! - `docs`: pure builders of every published document (OB 2.0 Profile,
//!   BadgeClass, Assertion, CryptographicKey, RevocationList; OB 3.0
//!   OpenBadgeCredential, `did.json`, Multikey documents, Bitstring Status
//!   List credentials) with stable key order and no time but stored ones;
//! - `sign`: compact JWS (RS256, EdDSA) and `eddsa-rdfc-2022` proofs (via
//!   `data_integrity`);
//! - `award`: one award's signed document and its baked image;
//! - `bulk`: a CSV file of awards read into checked rows (errors by line
//!   and column);
//! - `publish`: the publish folder as bytes per path, written beside the
//!   target and renamed into place, its `manifest.json` and what changed,
//!   and the self-check (Satchel's own verifier over the would-be folder
//!   through `fetch::DirFetch`, offline);
//! - self-contained parts with small APIs: badge image checks (`image`),
//!   criteria Markdown to safe HTML (`markdown`), badge emails (`mail`),
//!   passphrase encryption of key exports and backups (`sealed`), the badge
//!   designer (`design`).
//!
//! It must not: open SQLite (it takes `store`'s record types as data), touch
//! the network, or write a private key anywhere but the key folder.

pub mod award;
pub mod bulk;
pub mod design;
pub mod docs;
pub mod image;
pub mod keys;
pub mod mail;
pub mod markdown;
pub mod publish;
pub mod sealed;
mod sign;
mod status;

pub use award::{AwardInput, Issued};
pub use keys::{ExportedKey, KeyFolder, SigningKeys};
pub use publish::{Folder, PublishReport};

use serde::Serialize;

/// The size of every status list, in entries (16 KiB): herd privacy.
pub const STATUS_LIST_SIZE: u64 = 131_072;

/// Why an issuer-mode step was refused or failed. Messages are one sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IssuerError {
    /// A value is not acceptable; the sentence says which and how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// A key file is missing, unreadable or readable by others.
    #[error("{0}")]
    Key(String),
    /// A file or folder could not be written.
    #[error("{0}")]
    Io(String),
    /// An issued badge did not verify in the self-check.
    #[error("{0}")]
    SelfCheck(String),
    /// Something that should not fail did.
    #[error("{0}")]
    Internal(String),
}

/// The badge format of a class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Format {
    /// OB 2.0, hosted assertions.
    #[serde(rename = "ob2-hosted")]
    Ob2Hosted,
    /// OB 2.0, JWS-signed assertions (RS256).
    #[serde(rename = "ob2-signed")]
    Ob2Signed,
    /// OB 3.0 credentials with an `eddsa-rdfc-2022` proof.
    #[serde(rename = "ob3")]
    Ob3,
}

impl Format {
    /// Reads `ob2-hosted`, `ob2-signed` or `ob3`.
    pub fn parse(text: &str) -> Result<Format, IssuerError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ob2-hosted" => Ok(Format::Ob2Hosted),
            "ob2-signed" => Ok(Format::Ob2Signed),
            "ob3" => Ok(Format::Ob3),
            _ => Err(IssuerError::Invalid(format!(
                "the format {text:?} is not one of ob2-hosted, ob2-signed or ob3"
            ))),
        }
    }

    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Ob2Hosted => "ob2-hosted",
            Format::Ob2Signed => "ob2-signed",
            Format::Ob3 => "ob3",
        }
    }
}

/// How an OB 3.0 issuer is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ob3Id {
    /// `did:web` from the base URL.
    Did,
    /// The https profile URL (`profile.json` under the base URL).
    Url,
}

impl Ob3Id {
    /// Reads `did` or `url`.
    pub fn parse(text: &str) -> Result<Ob3Id, IssuerError> {
        match text.trim() {
            "did" => Ok(Ob3Id::Did),
            "url" => Ok(Ob3Id::Url),
            _ => Err(IssuerError::Invalid(format!(
                "the OB 3.0 identity {text:?} is not `did` (did:web) or `url` (the profile URL)"
            ))),
        }
    }

    /// The word stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Ob3Id::Did => "did",
            Ob3Id::Url => "url",
        }
    }

    /// The default for a base URL: did:web over https, the profile URL otherwise
    /// (did:web resolves over https only).
    pub fn default_for(base: &url::Url) -> Ob3Id {
        if base.scheme() == "https" {
            Ob3Id::Did
        } else {
            Ob3Id::Url
        }
    }
}

/// What an issuer's base URL makes of it: every id and path it publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Identity {
    /// The base URL, ending with `/`.
    pub base: String,
    /// How OB 3.0 badges name the issuer.
    pub ob3: Ob3Id,
}

impl Identity {
    /// The identity of an issuer published under `base` (already checked by
    /// [`check_base_url`]).
    pub fn new(base: &str, ob3: Ob3Id) -> Identity {
        Identity {
            base: base.to_owned(),
            ob3,
        }
    }

    /// The absolute URL of `path` in the publish folder.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The OB 2.0 Profile's id.
    pub fn ob2_profile(&self) -> String {
        self.url(docs::OB2_PROFILE)
    }

    /// `did:web:host[%3Aport][:seg…]` for the base URL.
    pub fn did(&self) -> String {
        let u = url::Url::parse(&self.base).expect("the base URL was checked");
        let mut did = format!("did:web:{}", u.host_str().unwrap_or(""));
        if let Some(port) = u.port() {
            did.push_str(&format!("%3A{port}"));
        }
        for seg in u.path().split('/').filter(|s| !s.is_empty()) {
            did.push(':');
            did.push_str(seg);
        }
        did
    }

    /// Where the DID document lies in the folder: `did.json` for a base with
    /// a path, `.well-known/did.json` for a host root.
    pub fn did_path(&self) -> &'static str {
        let u = url::Url::parse(&self.base).expect("the base URL was checked");
        if u.path() == "/" {
            ".well-known/did.json"
        } else {
            "did.json"
        }
    }

    /// The OB 3.0 issuer id: the DID or the OB 3.0 profile URL.
    pub fn ob3_issuer(&self) -> String {
        match self.ob3 {
            Ob3Id::Did => self.did(),
            Ob3Id::Url => self.url(docs::OB3_PROFILE),
        }
    }

    /// The verification method id of the Ed25519 key `name`: `DID#name` or
    /// the URL of its Multikey document.
    pub fn ob3_key_id(&self, name: &str) -> String {
        match self.ob3 {
            Ob3Id::Did => format!("{}#{name}", self.did()),
            Ob3Id::Url => self.url(&docs::key_path(name)),
        }
    }
}

/// Checks and normalizes a base URL: https (http only on the loopback
/// address, for trying a folder locally), no credentials, query or fragment,
/// ending with `/`.
pub fn check_base_url(text: &str) -> Result<String, IssuerError> {
    let bad = |why: &str| {
        IssuerError::Invalid(format!(
            "the base URL {text:?} {why}; give the https address where the publish folder will be hosted, such as https://club.example/badges/"
        ))
    };
    let mut u = url::Url::parse(text.trim()).map_err(|_| bad("is not a web address"))?;
    let loopback = matches!(
        u.host(),
        Some(url::Host::Ipv4(ip)) if ip.is_loopback()
    ) || u.host_str() == Some("localhost");
    match u.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => return Err(bad("is not https")),
        _ => return Err(bad("is not an https address")),
    }
    if u.host_str().is_none_or(str::is_empty) {
        return Err(bad("has no host"));
    }
    if !u.username().is_empty() || u.password().is_some() {
        return Err(bad("carries a user name or password"));
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err(bad("has a query or fragment"));
    }
    if u.path().split('/').any(|s| s.contains(':') || s == "..") {
        return Err(bad("has a path segment that cannot be part of a did:web"));
    }
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    Ok(u.to_string())
}

/// Checks an http(s) URL given for a profile, criteria or evidence.
pub fn check_web_url(what: &str, text: &str) -> Result<String, IssuerError> {
    let t = text.trim();
    match url::Url::parse(t) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(u.to_string())
        }
        _ => Err(IssuerError::Invalid(format!(
            "the {what} {text:?} is not a web address; give one such as https://club.example/"
        ))),
    }
}

/// Checks a contact email address.
pub fn check_email(text: &str) -> Result<String, IssuerError> {
    let t = text.trim();
    match crate::store::IdentityKind::classify(t) {
        Ok(crate::store::IdentityKind::Email) => {
            Ok(t.strip_prefix("mailto:").unwrap_or(t).to_owned())
        }
        _ => Err(IssuerError::Invalid(format!(
            "{text:?} is not an email address; give one such as badges@club.example"
        ))),
    }
}

/// Checks a name or other required text: not empty, at most `max` characters.
pub fn check_text(what: &str, text: &str, max: usize) -> Result<String, IssuerError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(IssuerError::Invalid(format!("the {what} cannot be empty")));
    }
    if t.chars().count() > max {
        return Err(IssuerError::Invalid(format!(
            "the {what} may be at most {max} characters long"
        )));
    }
    Ok(t.to_owned())
}

/// A validity such as `2y`, `18m` or `90d`: checked and normalized.
pub fn check_valid_for(text: &str) -> Result<String, IssuerError> {
    parse_valid_for(text).map(|(n, unit)| format!("{n}{unit}"))
}

fn parse_valid_for(text: &str) -> Result<(u32, char), IssuerError> {
    let t = text.trim().to_ascii_lowercase();
    let bad = || {
        IssuerError::Invalid(format!(
            "the validity {text:?} is not a number of years, months or days such as 2y, 18m or 90d"
        ))
    };
    let unit = t.chars().last().ok_or_else(bad)?;
    let n: u32 = t[..t.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
    let max = match unit {
        'y' => 100,
        'm' => 1200,
        'd' => 36_500,
        _ => return Err(bad()),
    };
    if n == 0 || n > max {
        return Err(bad());
    }
    Ok((n, unit))
}

/// `from` plus a validity (`2y`, `18m`, `90d`), in Unix seconds; a month
/// past the end of a shorter month ends on its last day.
pub fn add_valid_for(from: i64, valid_for: &str) -> Result<i64, IssuerError> {
    let (n, unit) = parse_valid_for(valid_for)?;
    let start = time::OffsetDateTime::from_unix_timestamp(from)
        .map_err(|_| IssuerError::Invalid("the issue date is out of range".to_owned()))?;
    let months = match unit {
        'd' => return Ok(from + i64::from(n) * 86_400),
        'm' => i64::from(n),
        _ => i64::from(n) * 12,
    };
    let total = i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12))
        .map_err(|_| IssuerError::Invalid("the expiry is out of range".to_owned()))?;
    let month = time::Month::try_from((total.rem_euclid(12) + 1) as u8)
        .map_err(|_| IssuerError::Invalid("the expiry is out of range".to_owned()))?;
    let day = start.day().min(time::util::days_in_month(month, year));
    let date = time::Date::from_calendar_date(year, month, day)
        .map_err(|_| IssuerError::Invalid("the expiry is out of range".to_owned()))?;
    Ok(start.replace_date(date).unix_timestamp())
}

/// `n` random bytes from the system's generator.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], IssuerError> {
    let mut out = [0u8; N];
    aws_lc_rs::rand::fill(&mut out)
        .map_err(|_| IssuerError::Internal("the system's random generator failed".to_owned()))?;
    Ok(out)
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random (version 4) UUID.
pub fn new_uuid() -> Result<String, IssuerError> {
    let mut b = random_bytes::<16>()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

/// A fresh salt for a recipient hash: 16 random bytes as hex.
pub fn new_salt() -> Result<String, IssuerError> {
    Ok(hex(&random_bytes::<16>()?))
}

/// A random status list position in `0..STATUS_LIST_SIZE`.
pub fn random_status_index() -> Result<u64, IssuerError> {
    Ok(u64::from_be_bytes(random_bytes::<8>()?) % STATUS_LIST_SIZE)
}

/// A file name made from free text: lower-case letters, digits and dashes.
pub fn safe_name(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && c.is_ascii() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_matches('-').to_owned();
    if out.is_empty() {
        "badge".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_with_a_path_is_a_did_web_with_segments() {
        let base = check_base_url("https://club.example/badges").unwrap();
        assert_eq!(base, "https://club.example/badges/");
        let id = Identity::new(&base, Ob3Id::Did);
        assert_eq!(id.did(), "did:web:club.example:badges");
        assert_eq!(id.did_path(), "did.json");
        assert_eq!(id.ob3_key_id("key-1"), "did:web:club.example:badges#key-1");
        let root = Identity::new(&check_base_url("https://club.example").unwrap(), Ob3Id::Did);
        assert_eq!(root.did(), "did:web:club.example");
        assert_eq!(root.did_path(), ".well-known/did.json");
        let port = Identity::new("https://club.example:8443/a/b/", Ob3Id::Did);
        assert_eq!(port.did(), "did:web:club.example%3A8443:a:b");
    }

    #[test]
    fn base_urls_are_https_or_loopback_http() {
        assert!(check_base_url("http://club.example/").is_err());
        assert!(check_base_url("http://127.0.0.1:8080/b/").is_ok());
        assert!(check_base_url("https://u:p@club.example/").is_err());
        assert!(check_base_url("https://club.example/?x=1").is_err());
        assert!(check_base_url("ftp://club.example/").is_err());
        assert!(check_base_url("club.example").is_err());
    }

    #[test]
    fn validities_add_calendar_units() {
        let jan31 = 1_706_659_200; // 2024-01-31T00:00:00Z
        assert_eq!(
            crate::clock::rfc3339(add_valid_for(jan31, "1m").unwrap()),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(
            crate::clock::rfc3339(add_valid_for(jan31, "2y").unwrap()),
            "2026-01-31T00:00:00Z"
        );
        assert_eq!(add_valid_for(jan31, "90d").unwrap(), jan31 + 90 * 86_400);
        assert!(check_valid_for("2w").is_err());
        assert!(check_valid_for("0y").is_err());
        assert_eq!(check_valid_for(" 18M ").unwrap(), "18m");
    }

    #[test]
    fn safe_names_keep_letters_and_digits() {
        assert_eq!(
            safe_name("Trail Explorer: Level 2!"),
            "trail-explorer-level-2"
        );
        assert_eq!(safe_name("../../etc"), "etc");
        assert_eq!(safe_name("日本"), "badge");
    }
}
