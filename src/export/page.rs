//! From badges to files: the page models, the templates and every file of an
//! export, built in memory (in parallel, one chunk of badges per core).

use super::{svg_clean, verify_data};
use super::{ExportBadge, ExportCollection, ExportError, ExportOptions, MANIFEST, MANIFEST_FORMAT};
use crate::detect::InputKind;
use crate::inspect::PayloadKind;
use crate::media::{data_uri_bytes, sniff_image};
use crate::model::{BadgeView, RecipientIdentity};
use crate::verify::{checks, BadgeFormat, CheckStatus, Report, Verdict};
use minijinja::{context, Environment, Value as JValue};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

const BASE_TEMPLATE: &str = include_str!("templates/base.html");
const INDEX_TEMPLATE: &str = include_str!("templates/index.html");
const BADGE_TEMPLATE: &str = include_str!("templates/badge.html");
const EMBED_TEMPLATE: &str = include_str!("templates/embed.html");
const EMBED_COLLECTION_TEMPLATE: &str = include_str!("templates/embed-collection.html");
const CSS: &str = include_str!("assets/satchel.css");
const VERIFY_JS: &str = include_str!("assets/verify.js");

/// The Content-Security-Policy of every page: nothing but the export's own
/// stylesheet, script and images; no connections, frames, forms or plugins.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; font-src 'none'; object-src 'none'; media-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none'; base-uri 'none'";

/// Largest image (display, issuer) copied into an export.
const MAX_IMAGE_BYTES: usize = 16 * 1024 * 1024;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Auto-escaping by name: every template is `.html`, so every value is
        // HTML-escaped unless it was built with `JValue::from_safe_string`.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // HTML escaping of `& < > " '` (minijinja's default also escapes `/`,
        // which makes embed snippets shown in a text area hard to read).
        env.set_formatter(|out, state, value| {
            if value.is_safe() || state.auto_escape() == minijinja::AutoEscape::None {
                return minijinja::escape_formatter(out, state, value);
            }
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let text = value.to_string();
            let mut escaped = String::with_capacity(text.len() + 8);
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write")
            })
        });
        for (name, source) in [
            ("base.html", BASE_TEMPLATE),
            ("index.html", INDEX_TEMPLATE),
            ("badge.html", BADGE_TEMPLATE),
            ("embed.html", EMBED_TEMPLATE),
            ("embed-collection.html", EMBED_COLLECTION_TEMPLATE),
        ] {
            // The templates are part of the binary; a syntax error is caught by
            // the tests, and rendering reports a missing template as an error.
            let _ = env.add_template(name, source);
        }
        env
    })
}

/// The files of an export, in memory.
pub(crate) struct Site {
    /// (relative path, bytes), in writing order.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The HTML pages, `index.html` first.
    pub pages: Vec<PathBuf>,
    /// Warnings for the user.
    pub warnings: Vec<String>,
}

/// `https://example.org/x` → `https://example.org/x/` (http(s) only).
pub(crate) fn normalize_base_url(base: &str) -> Option<String> {
    let url = url::Url::parse(base.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return None;
    }
    let mut s = url.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Some(s)
}

/// A link target badge data may supply: only absolute http and https URLs,
/// re-serialized by the URL parser (so no `javascript:`, `data:`, relative or
/// control-character tricks survive).
pub(crate) fn safe_link(s: &str) -> Option<String> {
    let url = url::Url::parse(s.trim()).ok()?;
    if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() {
        Some(url.to_string())
    } else {
        None
    }
}

/// Keeps letters, digits, `-` and `_` of a badge id (others become `-`).
fn slug(id: &str) -> String {
    let s: String = id
        .chars()
        .take(64)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    s.trim_matches('-').to_owned()
}

/// A safe file name for the original file: `[A-Za-z0-9._-]`, no leading dot,
/// with the extension the content deserves.
fn original_file_name(name: Option<&str>, container: InputKind) -> String {
    let ext = match container {
        InputKind::Png => "png",
        InputKind::Svg => "svg",
        InputKind::Json => "json",
        InputKind::Jws => "jws",
        InputKind::Url | InputKind::Unknown => "txt",
    };
    let base = name
        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n))
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .unwrap_or_default();
    let stem = base
        .rsplit_once('.')
        .map(|(s, _)| s.to_owned())
        .unwrap_or(base)
        .trim_matches(['.', '-'])
        .chars()
        .take(80)
        .collect::<String>();
    let stem = if stem.is_empty() || matches!(stem.as_str(), "credential" | "image" | "issuer") {
        format!("original-{}", if stem.is_empty() { "badge" } else { &stem })
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

/// The bytes of an image named by a badge: a `data:` URI, or a URL whose
/// bytes verification fetched. Never fetched here.
fn image_bytes(src: &str, docs: &HashMap<&str, &[u8]>) -> Option<(&'static str, Vec<u8>)> {
    let src = src.trim();
    let bytes = if let Some(rest) = src.strip_prefix("data:") {
        data_uri_bytes(rest)?
    } else {
        docs.get(src)?.to_vec()
    };
    if bytes.len() > MAX_IMAGE_BYTES {
        return None;
    }
    let (ext, _) = sniff_image(&bytes)?;
    Some((ext, bytes))
}

// ---------------------------------------------------------------- dates

/// A date as written in a badge, read: (seconds, whether a time of day was given).
pub(crate) fn parse_badge_date(s: &str) -> Option<i64> {
    use time::format_description::well_known::{Iso8601, Rfc3339};
    let s = s.trim();
    if (9..=10).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if let Ok(t) = time::OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| time::OffsetDateTime::parse(s, &Iso8601::DEFAULT))
    {
        return Some(t.unix_timestamp());
    }
    if let Ok(t) = time::PrimitiveDateTime::parse(s, &Iso8601::DEFAULT) {
        return Some(t.assume_utc().unix_timestamp());
    }
    // A plain date (`2024-05-01`), or a date followed by something unreadable.
    let day = s.get(..10)?.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        std::str::from_utf8(&day[r]).ok()?.parse().ok()
    };
    if day[4] != b'-' || day[7] != b'-' {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let date =
        time::Date::from_calendar_date(num(0..4)?, month, u8::try_from(num(8..10)?).ok()?).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp())
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn civil(secs: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// `1 May 2024`.
fn show_date(secs: i64) -> String {
    match civil(secs) {
        Some(t) => format!(
            "{} {} {}",
            t.day(),
            MONTHS[t.month() as usize - 1],
            t.year()
        ),
        None => secs.to_string(),
    }
}

/// `27 November 2026, 23:53 UTC`.
fn show_time(secs: i64) -> String {
    match civil(secs) {
        Some(t) => format!("{}, {:02}:{:02} UTC", show_date(secs), t.hour(), t.minute()),
        None => secs.to_string(),
    }
}

/// Year and month of a badge date.
fn year_month(s: &str) -> Option<(i32, u8)> {
    let t = civil(parse_badge_date(s)?)?;
    Some((t.year(), t.month() as u8))
}

// ---------------------------------------------------------------- LinkedIn

/// The LinkedIn "Add to profile" URL for a certification, or `None` when the
/// badge is not verified (LinkedIn should only ever list checked badges).
///
/// `cert_url` is the badge page's public URL (needs a base URL at export).
pub fn linkedin_url(report: &Report, badge: &BadgeView, cert_url: Option<&str>) -> Option<String> {
    if report.status != Verdict::Verified {
        return None;
    }
    let name = badge.name.as_deref().filter(|s| !s.trim().is_empty())?;
    let mut params: Vec<(&str, String)> = vec![
        ("startTask", "CERTIFICATION_NAME".to_owned()),
        ("name", name.trim().to_owned()),
    ];
    if let Some(org) = badge
        .issuer
        .name
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        params.push(("organizationName", org.trim().to_owned()));
    }
    if let Some((y, m)) = badge.issued_on.as_deref().and_then(year_month) {
        params.push(("issueYear", y.to_string()));
        params.push(("issueMonth", m.to_string()));
    }
    if let Some((y, m)) = badge.expires.as_deref().and_then(year_month) {
        params.push(("expirationYear", y.to_string()));
        params.push(("expirationMonth", m.to_string()));
    }
    if let Some(id) = badge.id.as_deref().filter(|s| !s.trim().is_empty()) {
        params.push(("certId", id.trim().to_owned()));
    }
    if let Some(u) = cert_url.and_then(safe_link) {
        params.push(("certUrl", u));
    }
    url::Url::parse_with_params("https://www.linkedin.com/profile/add", &params)
        .ok()
        .map(|u| u.to_string())
}

// ---------------------------------------------------------------- models

#[derive(Serialize)]
struct Link {
    text: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct EvidenceItem {
    name: Option<String>,
    url: Option<String>,
    description: Option<String>,
    narrative: Option<String>,
}

#[derive(Serialize)]
struct AlignmentItem {
    name: String,
    url: Option<String>,
    description: Option<String>,
    framework: Option<String>,
    code: Option<String>,
}

#[derive(Serialize)]
struct CheckItem {
    status: &'static str,
    symbol: &'static str,
    message: String,
}

#[derive(Serialize)]
struct FileLink {
    href: String,
    label: String,
    size: String,
    /// The name to save it under, when it differs from the published one.
    download: Option<String>,
}

/// Everything a badge page and its card show.
#[derive(Serialize)]
struct BadgeModel {
    id: String,
    page: String,
    url: Option<String>,
    name: String,
    description: Option<String>,
    description_paras: Vec<String>,
    image: Option<String>,
    image_from_index: Option<String>,
    image_abs: Option<String>,
    issuer_name: Option<String>,
    issuer_url: Option<String>,
    /// How the issuer is identified ("Issuer confirmed by club.example.").
    issuer_identity: Option<String>,
    issuer_image: Option<String>,
    issuer_description: Option<String>,
    issued: Option<String>,
    expires: Option<String>,
    expired: bool,
    criteria_url: Option<String>,
    criteria_text: Option<String>,
    criteria_paras: Vec<String>,
    narrative: Option<String>,
    recipient_name: Option<String>,
    evidence: Vec<EvidenceItem>,
    evidence_hidden: usize,
    alignments: Vec<AlignmentItem>,
    endorsements: Vec<Link>,
    endorsement_count: usize,
    tags: Vec<String>,
    verdict: &'static str,
    verdict_text: &'static str,
    verdict_explained: String,
    checked_at: String,
    checked_at_iso: String,
    format: BadgeFormat,
    version: Option<&'static str>,
    checks: Vec<CheckItem>,
    files: Vec<FileLink>,
    /// Said beside the files when the image shown is a cleaned copy of the original.
    files_note: Option<String>,
    withheld: Option<String>,
    linkedin: Option<String>,
    assertion_url: Option<String>,
    self_check: bool,
    embed: String,
}

fn verdict_words(v: Verdict) -> (&'static str, &'static str, &'static str) {
    match v {
        Verdict::Verified => (v.as_str(), v.label(), "every required check passed"),
        Verdict::Expired => (v.as_str(), v.label(), "authentic, but past its expiry date"),
        Verdict::Revoked => (v.as_str(), v.label(), "the issuer has revoked it"),
        Verdict::Invalid => (
            v.as_str(),
            v.label(),
            "a check failed: it was changed, forged or is malformed",
        ),
        Verdict::Unverifiable => (
            v.as_str(),
            v.label(),
            "something needed could not be reached or resolved; this is not evidence of forgery",
        ),
    }
}

/// The checks as a public page shows them, read by people who are not the
/// badge's owner: whether the recipient is one of the owner's identities
/// is the owner's business (and would advise them), and the JSON Schema's
/// own error paths are left in the credential's technical data.
fn public_checks(report: &Report) -> Vec<CheckItem> {
    report
        .checks
        .iter()
        .filter(|c| c.id != checks::RECIPIENT)
        .map(|c| {
            let (status, symbol) = status_words(c.status);
            let message = match c.message.split_once(" JSON Schema: ") {
                Some((said, _)) if c.id == checks::SCHEMA_JSON => format!("{said} JSON Schema."),
                _ => c.message.clone(),
            };
            CheckItem {
                status,
                symbol,
                message,
            }
        })
        .collect()
}

fn status_words(s: CheckStatus) -> (&'static str, &'static str) {
    match s {
        CheckStatus::Pass => ("pass", "✓"),
        CheckStatus::Fail => ("fail", "✗"),
        CheckStatus::Warn => ("warn", "!"),
        CheckStatus::Skip => ("skip", "–"),
    }
}

fn human_size(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}

fn nonblank(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// Plain text split into paragraphs at blank lines (at most 100).
fn paragraphs(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .take(100)
        .map(str::to_owned)
        .collect()
}

fn is_email_kind(r: &RecipientIdentity) -> bool {
    let k = r.kind.to_ascii_lowercase();
    k == "email"
        || k == "emailaddress"
        || (k == "id" && r.value.starts_with("mailto:"))
        || (!r.hashed && r.value.contains('@') && !r.value.contains(':') && k != "url")
}

/// The recipient's name, when the credential names one.
fn recipient_name(doc: Option<&Value>) -> Option<String> {
    let doc = doc?;
    let subject = match doc.get("credentialSubject") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    };
    let s = subject
        .and_then(|s| s.get("name"))
        .or_else(|| doc.get("recipient").and_then(|r| r.get("name")))?;
    let s = match s {
        Value::String(s) => s.clone(),
        Value::Object(m) => m.values().find_map(|v| v.as_str().map(str::to_owned))?,
        _ => return None,
    };
    Some(s).filter(|s| !s.trim().is_empty())
}

/// Endorsements named in the document (OB 2.0 `endorsement`, OB 3.0
/// `endorsement` on the credential, achievement or issuer): the endorser's name
/// and link.
fn endorsements(doc: Option<&Value>) -> Vec<Link> {
    let mut out = Vec::new();
    let Some(doc) = doc else { return out };
    let mut places = vec![doc.get("endorsement")];
    if let Some(cs) = doc.get("credentialSubject") {
        let cs = cs.as_array().and_then(|a| a.first()).unwrap_or(cs);
        places.push(cs.get("achievement").and_then(|a| a.get("endorsement")));
    }
    places.push(doc.get("badge").and_then(|b| b.get("endorsement")));
    places.push(doc.get("issuer").and_then(|i| i.get("endorsement")));
    for list in places.into_iter().flatten() {
        let items: Vec<&Value> = match list {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for e in items.into_iter().take(50) {
            let issuer = e.get("issuer");
            let name = issuer
                .and_then(|i| i.get("name"))
                .and_then(Value::as_str)
                .or_else(|| e.get("name").and_then(Value::as_str))
                .or_else(|| issuer.and_then(Value::as_str))
                .or_else(|| e.as_str())
                .unwrap_or("An endorser");
            let url = issuer
                .and_then(|i| i.get("url").or(i.get("id")))
                .and_then(Value::as_str)
                .or_else(|| issuer.and_then(Value::as_str))
                .and_then(safe_link);
            out.push(Link {
                text: name.chars().take(300).collect(),
                url,
            });
        }
    }
    out
}

/// The badge as people see it, with the linked documents verification fetched
/// filled in: an OB 2.0 assertion that names its badge class (and the class
/// its issuer) by URL shows their name, image and criteria; a hosted badge
/// baked as a URL shows the assertion the issuer served.
fn enriched_view(ins: &crate::inspect::Inspection, docs: &HashMap<&str, &[u8]>) -> BadgeView {
    let json_doc = |u: &str| {
        docs.get(u.trim())
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .filter(Value::is_object)
    };
    let base = ins.document.clone().or_else(|| {
        (ins.payload_kind == PayloadKind::Url)
            .then(|| json_doc(&ins.payload))
            .flatten()
    });
    let Some(mut doc) = base else {
        return ins.badge.clone().unwrap_or_default();
    };
    let mut changed = ins.document.is_none();
    if let Some(class) = doc.get("badge").and_then(Value::as_str).and_then(&json_doc) {
        doc["badge"] = class;
        changed = true;
    }
    if let Some(issuer) = doc
        .get("badge")
        .and_then(|b| b.get("issuer"))
        .and_then(Value::as_str)
        .and_then(&json_doc)
    {
        doc["badge"]["issuer"] = issuer;
        changed = true;
    }
    if !changed {
        return ins.badge.clone().unwrap_or_default();
    }
    let detected = crate::detect::detect_json(&doc);
    crate::model::normalize(&doc, &detected)
        .or_else(|| ins.badge.clone())
        .unwrap_or_default()
}

/// One badge's files and page.
struct BadgeOut {
    model: BadgeModel,
    files: Vec<(PathBuf, Vec<u8>)>,
    warnings: Vec<String>,
    manifest: Value,
    og_image: Option<String>,
}

fn render(name: &str, ctx: JValue, page: &str) -> Result<String, ExportError> {
    let err = |e: minijinja::Error| ExportError::Render {
        path: PathBuf::from(page),
        message: e.to_string(),
    };
    env()
        .get_template(name)
        .map_err(err)?
        .render(ctx)
        .map_err(err)
}

fn build_badge(
    b: &ExportBadge,
    slug: &str,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<BadgeOut, ExportError> {
    let page = format!("badges/{slug}.html");
    let dir = format!("files/{slug}");
    let docs: HashMap<&str, &[u8]> = b
        .documents
        .iter()
        .map(|(u, d)| (u.as_str(), d.as_slice()))
        .collect();
    let view = enriched_view(&b.inspection, &docs);
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut warnings = Vec::new();
    let abs = |rel: &str| base.map(|b| format!("{b}{rel}"));

    // Privacy: what identity information the published files would carry.
    let plain_emails: Vec<&RecipientIdentity> = view
        .recipient
        .iter()
        .filter(|r| !r.hashed && is_email_kind(r))
        .collect();
    let hashed_emails = view.recipient.iter().any(|r| r.hashed && is_email_kind(r));
    let withhold = !plain_emails.is_empty() || plain_emails_in_payload(&b.inspection.payload);
    let withheld = withhold.then(|| {
        "The original file, its JSON and the in-browser check are not published here: the badge names its recipient's email address in plain text.".to_owned()
    });
    if withhold {
        warnings.push(format!(
            "{page}: the badge names its recipient's email address in plain text, so its original file, JSON and in-browser check are left out"
        ));
    } else if hashed_emails {
        warnings.push(format!(
            "{page} publishes a hash of the recipient's email address (in the original file and JSON), and such hashes can be brute-forced"
        ));
    }

    // The original file, byte for byte, and the JSON.
    let mut file_links = Vec::new();
    let mut original_path = None;
    let is_svg = b.inspection.container == InputKind::Svg;
    if !withhold {
        let name = original_file_name(b.original_name.as_deref(), b.inspection.container);
        // An SVG original may carry script: published as text, saved as .svg.
        let rel = if is_svg {
            format!("{dir}/{name}.txt")
        } else {
            format!("{dir}/{name}")
        };
        file_links.push(FileLink {
            href: format!("../{rel}"),
            label: match b.inspection.container {
                InputKind::Png => "The badge image with the badge baked in (PNG)".to_owned(),
                InputKind::Svg => {
                    "The badge image with the badge baked in, as the issuer made it (SVG)"
                        .to_owned()
                }
                _ => "The badge file as received".to_owned(),
            },
            size: human_size(b.original.len()),
            download: is_svg.then(|| name.clone()),
        });
        files.push((PathBuf::from(&rel), b.original.clone()));
        original_path = Some(rel);
        let json_text: Option<Vec<u8>> = match b.inspection.payload_kind {
            PayloadKind::Json => Some(b.inspection.payload.clone().into_bytes()),
            PayloadKind::Jws => b
                .inspection
                .document
                .as_ref()
                .and_then(|d| serde_json::to_vec_pretty(d).ok()),
            PayloadKind::Url => docs
                .get(b.inspection.payload.trim())
                .map(|d| d.to_vec())
                .filter(|d| serde_json::from_slice::<Value>(d).is_ok()),
        };
        if let Some(json_bytes) = json_text {
            let rel = format!("{dir}/credential.json");
            file_links.push(FileLink {
                href: format!("../{rel}"),
                label: if b.inspection.payload_kind == PayloadKind::Jws {
                    "The signed assertion or credential, decoded (JSON)".to_owned()
                } else {
                    "The assertion or credential (JSON)".to_owned()
                },
                size: human_size(json_bytes.len()),
                download: None,
            });
            files.push((PathBuf::from(rel), json_bytes));
        }
        if b.inspection.payload_kind == PayloadKind::Jws {
            let rel = format!("{dir}/credential.jws");
            let jws = b.inspection.payload.trim().as_bytes().to_vec();
            file_links.push(FileLink {
                href: format!("../{rel}"),
                label: "The signed form, as issued (compact JWS)".to_owned(),
                size: human_size(jws.len()),
                download: None,
            });
            files.push((PathBuf::from(rel), jws));
        }
    }

    // The display image: the original when it is a PNG, a cleaned copy when
    // it is an SVG, else given or found (an SVG cleaned too).
    let mut cleaned = Vec::new();
    let image_rel: Option<String> = match (b.inspection.container, &original_path) {
        (InputKind::Png, Some(p)) => Some(p.clone()),
        (InputKind::Svg, Some(_)) => svg_clean::add_image(
            &mut files,
            &mut cleaned,
            &mut warnings,
            &format!("{dir}/image"),
            ("svg", &b.original),
        ),
        _ => {
            let found = b
                .image
                .as_ref()
                .and_then(|(_, bytes)| sniff_image(bytes).map(|(ext, _)| (ext, bytes.clone())))
                .or_else(|| view.image.as_deref().and_then(|s| image_bytes(s, &docs)));
            found.and_then(|(ext, bytes)| {
                svg_clean::add_image(
                    &mut files,
                    &mut cleaned,
                    &mut warnings,
                    &format!("{dir}/image"),
                    (ext, &bytes),
                )
            })
        }
    };
    let files_note = (is_svg && original_path.is_some() && image_rel.is_some()).then(|| {
        "The image shown is a cleaned copy without scripts or outside references. The original SVG below is byte for byte the file the issuer baked (it carries the badge); it is stored as text, so no browser runs it, and saves as an .svg file.".to_owned()
    });
    let issuer_image = view
        .issuer
        .image
        .as_deref()
        .and_then(|s| image_bytes(s, &docs))
        .and_then(|(ext, bytes)| {
            svg_clean::add_image(
                &mut files,
                &mut cleaned,
                &mut warnings,
                &format!("{dir}/issuer"),
                (ext, &bytes),
            )
        })
        .map(|rel| format!("../{rel}"));

    // Words.
    let name = nonblank(&view.name).unwrap_or_else(|| "Untitled badge".to_owned());
    let issued_secs = view.issued_on.as_deref().and_then(parse_badge_date);
    let expires_secs = view.expires.as_deref().and_then(parse_badge_date);
    let (verdict, verdict_text, explained) = verdict_words(b.report.status);
    let checks = public_checks(&b.report);
    let evidence: Vec<EvidenceItem> = if opts.include_evidence {
        view.evidence
            .iter()
            .map(|e| EvidenceItem {
                name: nonblank(&e.name),
                url: e.url.as_deref().and_then(safe_link),
                description: nonblank(&e.description),
                narrative: nonblank(&e.narrative),
            })
            .collect()
    } else {
        Vec::new()
    };
    let evidence_hidden = if opts.include_evidence {
        0
    } else {
        view.evidence.len()
    };
    if evidence_hidden > 0 && !withhold {
        warnings.push(format!(
            "{page} does not show the badge's evidence, but its original file, published for download, still contains it"
        ));
    }
    let doc = b.inspection.document.as_ref();
    let rname = recipient_name(doc);
    if rname.is_some() && !opts.include_recipient_name && !withhold {
        warnings.push(format!(
            "{page} does not show the recipient's name, but its original file, published for download, still contains it"
        ));
    }
    let alignments = view
        .alignments
        .iter()
        .filter_map(|a| {
            let name = nonblank(&a.name).or_else(|| nonblank(&a.code))?;
            Some(AlignmentItem {
                name,
                url: a.url.as_deref().and_then(safe_link),
                description: nonblank(&a.description),
                framework: nonblank(&a.framework),
                code: nonblank(&a.code),
            })
        })
        .collect();
    let page_url = abs(&page);
    let linkedin = linkedin_url(&b.report, &view, page_url.as_deref());
    let assertion_url = view
        .id
        .as_deref()
        .and_then(safe_link)
        .filter(|_| b.report.format == BadgeFormat::Hosted);

    // The data the in-browser check reads.
    let checkable = b.report.format.is_signed() || b.report.format == BadgeFormat::Hosted;
    // Offered only for badges Satchel verified: a page never claims more
    // than Satchel's last report.
    let satchel_verified = b.report.status == crate::verify::Verdict::Verified;
    let self_data = if withhold || !checkable || !satchel_verified {
        None
    } else {
        verify_data::build(&b.inspection, &b.report, &b.documents)
    };
    let withheld = withheld.or_else(|| {
        (checkable && !satchel_verified).then(|| {
            "the check in your browser is offered only for badges Satchel verified".to_owned()
        })
    });

    let image_page = image_rel.as_ref().map(|r| format!("../{r}"));
    let mut model = BadgeModel {
        id: slug.to_owned(),
        page: page.clone(),
        url: page_url.clone(),
        name: name.clone(),
        description: nonblank(&view.description),
        description_paras: paragraphs(view.description.as_deref()),
        image: image_page,
        image_from_index: image_rel.clone(),
        image_abs: image_rel.as_deref().and_then(abs),
        issuer_identity: b.report.issuer_identity.as_ref().map(|i| i.sentence()),
        issuer_name: nonblank(&view.issuer.name),
        issuer_url: view
            .issuer
            .url
            .as_deref()
            .or(view.issuer.id.as_deref())
            .and_then(safe_link),
        issuer_image,
        issuer_description: nonblank(&view.issuer.description),
        issued: issued_secs
            .map(show_date)
            .or_else(|| nonblank(&view.issued_on)),
        expires: expires_secs
            .map(show_date)
            .or_else(|| nonblank(&view.expires)),
        expired: expires_secs.is_some_and(|e| e <= opts.now),
        criteria_url: view.criteria.url.as_deref().and_then(safe_link),
        criteria_text: nonblank(&view.criteria.narrative),
        criteria_paras: paragraphs(view.criteria.narrative.as_deref()),
        narrative: nonblank(&view.narrative),
        recipient_name: rname.filter(|_| opts.include_recipient_name),
        evidence,
        evidence_hidden,
        alignments,
        endorsements: endorsements(doc),
        endorsement_count: view.endorsement_count,
        tags: view.tags.iter().take(30).cloned().collect(),
        verdict,
        verdict_text,
        verdict_explained: explained.to_owned(),
        checked_at: show_time(b.report.checked_at),
        checked_at_iso: crate::clock::rfc3339(b.report.checked_at),
        format: b.report.format,
        version: b.report.version.map(|v| v.as_str()),
        checks,
        files: file_links,
        files_note,
        withheld,
        linkedin: linkedin.clone(),
        assertion_url,
        self_check: self_data.is_some(),
        embed: String::new(),
    };
    model.endorsement_count = model.endorsement_count.max(model.endorsements.len());

    // The embed snippet: absolute links with a base URL, else relative to the export.
    let embed = render(
        "embed.html",
        context! {
            href => page_url.clone().unwrap_or_else(|| page.clone()),
            img => model.image_abs.clone().or_else(|| image_rel.clone()),
            name => &model.name,
            issuer => &model.issuer_name,
        },
        &page,
    )?;
    model.embed = embed.trim().to_owned();

    let data_json = self_data.map(|d| script_json(&d));
    let html = render(
        "badge.html",
        context! {
            root => "../",
            csp => CSP,
            b => &model,
            title => &model.name,
            og_title => &model.name,
            og_description => model.description.clone().unwrap_or_else(|| format!("A badge issued by {}", model.issuer_name.clone().unwrap_or_else(|| "its issuer".into()))),
            og_image => model.image_abs.clone().or_else(|| model.image.clone()),
            og_url => page_url.clone(),
            verify_data => data_json.map(JValue::from_safe_string),
            base_url => base.is_some(),
        },
        &page,
    )?;
    files.push((PathBuf::from(&page), html.into_bytes()));

    let manifest = json!({
        "id": slug,
        "name": model.name,
        "issuer": model.issuer_name,
        "page": page,
        "url": page_url,
        "original": original_path,
        "credential_json": files.iter().map(|(p, _)| p.to_string_lossy().into_owned()).find(|p| p.ends_with("/credential.json")),
        "credential_jws": files.iter().map(|(p, _)| p.to_string_lossy().into_owned()).find(|p| p.ends_with("/credential.jws")),
        "image": image_rel,
        "sanitized": cleaned,
        "embed_html": model.embed,
        "assertion_id": view.id,
        "version": model.version,
        "format": b.report.format,
        "verdict": verdict,
        "checked_at": model.checked_at_iso,
        "issued_on": view.issued_on,
        "expires": view.expires,
        "linkedin": linkedin,
        "self_check": model.self_check,
    });
    Ok(BadgeOut {
        og_image: model.image_abs.clone(),
        model,
        files,
        warnings,
        manifest,
    })
}

/// Does the payload carry something that looks like a plaintext email in a
/// recipient field? (Belt and braces for badges whose recipient the model
/// could not read.)
fn plain_emails_in_payload(payload: &str) -> bool {
    // Only JSON payloads are looked at; a JWS payload was decoded into the
    // recipient list already.
    let Ok(doc) = serde_json::from_str::<Value>(payload) else {
        return false;
    };
    let recipient = doc.get("recipient");
    let identity = recipient
        .and_then(|r| r.get("identity"))
        .and_then(Value::as_str);
    let hashed = recipient
        .and_then(|r| r.get("hashed"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let from_ob2 = identity
        .is_some_and(|i| i.contains('@') && !hashed && !crate::model::recipient::looks_hashed(i));
    let subject = doc.get("credentialSubject");
    let from_ob3 = subject
        .and_then(|s| s.get("identifier"))
        .map(|ids| {
            let list: Vec<&Value> = match ids {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            list.iter().any(|i| {
                let hashed = i.get("hashed").and_then(Value::as_bool).unwrap_or(false);
                let v = i.get("identityHash").and_then(Value::as_str).unwrap_or("");
                !hashed && v.contains('@')
            })
        })
        .unwrap_or(false)
        || subject
            .and_then(|s| s.get("email"))
            .and_then(Value::as_str)
            .is_some_and(|e| e.contains('@'));
    from_ob2 || from_ob3
}

/// JSON for an inline `<script type="application/json">` block: `<`, `>` and
/// `&` are written as `\u003c` … so no badge string can close the element.
pub(crate) fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Builds every file of the export.
pub(crate) fn build_site(
    c: &ExportCollection,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<Site, ExportError> {
    // Ids: safe, unique.
    let mut slugs = Vec::with_capacity(c.badges.len());
    let mut seen = HashSet::new();
    for b in &c.badges {
        let s = slug(&b.id);
        let path = PathBuf::from(format!("badges/{s}.html"));
        if s.is_empty() {
            return Err(ExportError::BadId {
                path,
                problem: format!(
                    "the badge id {:?} has no letters or digits to name its files with",
                    b.id.chars().take(80).collect::<String>()
                ),
            });
        }
        if !seen.insert(s.clone()) {
            return Err(ExportError::BadId {
                path,
                problem: "two badges of the collection have this id".to_owned(),
            });
        }
        slugs.push(s);
    }

    // The badges, one chunk per core.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = c.badges.len().div_ceil(threads).max(1);
    let results: Vec<Result<BadgeOut, ExportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = c
            .badges
            .chunks(chunk)
            .zip(slugs.chunks(chunk))
            .map(|(badges, slugs)| {
                scope.spawn(move || {
                    badges
                        .iter()
                        .zip(slugs)
                        .map(|(b, s)| build_badge(b, s, opts, base))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![Err(ExportError::Render {
                        path: PathBuf::from("badges"),
                        message: "a page builder stopped unexpectedly".to_owned(),
                    })]
                })
            })
            .collect()
    });
    let mut outs = Vec::with_capacity(results.len());
    for r in results {
        outs.push(r?);
    }

    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from("assets/satchel.css"), CSS.as_bytes().to_vec()),
        (
            PathBuf::from("assets/verify.js"),
            VERIFY_JS.as_bytes().to_vec(),
        ),
    ];
    let mut pages = vec![PathBuf::from("index.html")];
    let mut warnings = Vec::new();
    let models: Vec<&BadgeModel> = outs.iter().map(|o| &o.model).collect();

    let title = c.title.trim();
    let title = if title.is_empty() { "Badges" } else { title };
    let collection_embed = render(
        "embed-collection.html",
        context! {
            title => title,
            href => base.map(|b| format!("{b}index.html")).unwrap_or_else(|| "index.html".to_owned()),
            badges => models.iter().map(|m| context! {
                href => m.url.clone().unwrap_or_else(|| m.page.clone()),
                img => m.image_abs.clone().or_else(|| m.image.as_ref().map(|i| i.trim_start_matches("../").to_owned())),
                name => &m.name,
                issuer => &m.issuer_name,
            }).collect::<Vec<_>>(),
        },
        "embed.html",
    )?;
    let description = c
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let index = render(
        "index.html",
        context! {
            root => "",
            csp => CSP,
            title => title,
            description => description,
            description_paras => paragraphs(description),
            badges => &models,
            og_title => title,
            og_description => description.map(str::to_owned).unwrap_or_else(|| format!("{} badges", models.len())),
            og_image => outs.iter().find_map(|o| o.og_image.clone()).or_else(|| models.iter().find_map(|m| m.image.as_ref().map(|i| i.trim_start_matches("../").to_owned()))),
            og_url => base.map(|b| format!("{b}index.html")),
            embed => collection_embed.trim(),
            base_url => base.is_some(),
            exported_at => show_time(opts.now),
        },
        "index.html",
    )?;
    files.push((PathBuf::from("index.html"), index.into_bytes()));
    files.push((PathBuf::from("embed.html"), collection_embed.into_bytes()));

    let mut manifest_badges = Vec::with_capacity(outs.len());
    for o in outs {
        pages.push(PathBuf::from(&o.model.page));
        warnings.extend(o.warnings);
        manifest_badges.push(o.manifest);
        files.extend(o.files);
    }
    let manifest = json!({
        "format": MANIFEST_FORMAT,
        "generator": concat!("Satchel ", env!("CARGO_PKG_VERSION")),
        "exported_at": crate::clock::rfc3339(opts.now),
        "title": title,
        "description": description,
        "base_url": base,
        "index": "index.html",
        "embed": "embed.html",
        "options": {
            "include_recipient_name": opts.include_recipient_name,
            "include_evidence": opts.include_evidence,
        },
        "badges": manifest_badges,
        // Every file of the export but this one: a later export over this
        // folder replaces these and keeps everything else (files the user added).
        "files": files.iter().map(|(p, _)| p.to_string_lossy().replace('\\', "/")).collect::<Vec<_>>(),
    });
    files.push((
        PathBuf::from(MANIFEST),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    ));
    Ok(Site {
        files,
        pages,
        warnings,
    })
}

#[cfg(test)]
mod public_tests {
    use super::*;
    use crate::verify::Check;

    #[test]
    fn public_pages_leave_out_owner_advice_and_schema_error_paths() {
        let mut report = Report::blank(0, None, crate::detect::DocKind::Unknown);
        report.checks = vec![
            Check::warn(
                checks::RECIPIENT,
                "The recipient matches none of your identities; add it under Your identities.",
                None,
            ),
            Check::warn(
                checks::SCHEMA_JSON,
                "The credential does not fully match the official OB 3.0 JSON Schema: at /credentialSubject: oneOf failed.",
                Some("at /credentialSubject: oneOf failed".to_owned()),
            ),
            Check::pass(checks::EXPIRY, "This badge does not expire.", None),
        ];
        let shown: Vec<String> = public_checks(&report)
            .into_iter()
            .map(|c| c.message)
            .collect();
        assert_eq!(
            shown,
            [
                "The credential does not fully match the official OB 3.0 JSON Schema.",
                "This badge does not expire."
            ]
        );
    }
}
