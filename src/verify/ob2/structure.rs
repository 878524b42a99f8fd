//! Structure checks of OB 0.5–2.0 objects: `@context`, `type`, required
//! properties, the recipient's IdentityObject, images and extensions.
//!
//! Lenient where old badges commonly bend the rules (1.x types and recipient
//! types are warnings), strict where validator-core is (2.0 required
//! properties, hashed identities, an Assertion image that is a `data:` URI).

use super::{clip, common, prop, prop_str};
use super::{Check, Report};
use crate::detect::{self, types, Version};
use crate::model::recipient::looks_hashed;
use crate::verify::checks;
use serde_json::Value;

const OB2_CONTEXTS: &[&str] = &[
    "https://w3id.org/openbadges/v2",
    "http://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
    "http://openbadgespec.org/v2/context.json",
];
const OB1_CONTEXTS: &[&str] = &[
    "https://w3id.org/openbadges/v1",
    "http://w3id.org/openbadges/v1",
    "https://w3id.org/openbadges/legacy-v1",
];

/// Extension contexts and other vocabularies commonly mixed into OB 2.0.
fn is_extension_context(c: &str) -> bool {
    let c = c
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    c.starts_with("w3id.org/openbadges/extensions/")
        || c.starts_with("openbadgespec.org/extensions/")
        || c.starts_with("w3id.org/openbadges/legacy-v1")
}

/// Does a `type` list contain `name` (as a term, `obi:` term or full IRI)?
fn has_type(doc: &Value, name: &str) -> bool {
    types(doc).iter().any(|t| {
        *t == name
            || t.strip_prefix("obi:") == Some(name)
            || t.strip_prefix("https://w3id.org/openbadges#") == Some(name)
            || t.strip_prefix("http://w3id.org/openbadges#") == Some(name)
    })
}

fn present(doc: &Value, key: &str) -> bool {
    match doc.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// "a", "b and c", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Checks an assertion's own structure: `assertion.context`, `assertion.type`,
/// `assertion.fields`, `assertion.recipient`, `assertion.image`, `assertion.extensions`.
pub(super) fn assertion(report: &mut Report, doc: &Value, version: Version) {
    context(report, doc, version);
    if matches!(version, Version::V1_1 | Version::V2_0) {
        let found = types(doc);
        if has_type(doc, "Assertion") {
            report.push(Check::pass(
                checks::ASSERTION_TYPE,
                "The document says it is an Open Badges assertion.",
                None,
            ));
        } else if found.is_empty() && version == Version::V1_1 {
            report.push(Check::warn(
                checks::ASSERTION_TYPE,
                "The badge does not say what type of document it is (it should say Assertion).",
                None,
            ));
        } else if found.is_empty() {
            report.push(Check::fail(
                checks::ASSERTION_TYPE,
                "The badge does not say what type of document it is, and an Open Badges 2.0 assertion must say Assertion.",
                None,
            ));
        } else {
            report.push(Check::fail(
                checks::ASSERTION_TYPE,
                format!(
                    "This is not an Open Badges assertion: its type is {}.",
                    clip(&found.join(", "), 80)
                ),
                Some("an assertion's type must include Assertion".to_owned()),
            ));
        }
    }
    fields(report, doc, version);
    recipient(report, doc, version);
    if version == Version::V2_0 {
        if let Some(image) = prop(doc, "image") {
            let src = match image {
                Value::String(s) => Some(s.as_str()),
                Value::Object(_) => prop_str(image, "id"),
                _ => None,
            };
            if let Some(src) = src {
                if is_data_uri(src) {
                    report.push(Check::fail(
                        checks::ASSERTION_IMAGE,
                        "The badge's own image is embedded in it (a data: URI), which Open Badges 2.0 does not allow for an award; it must be a link.",
                        Some(format!("image: {}", clip(src, 60))),
                    ));
                } else {
                    report.push(Check::pass(
                        checks::ASSERTION_IMAGE,
                        "The badge's own image is a link, as Open Badges 2.0 requires.",
                        Some(format!("image: {}", clip(src, 120))),
                    ));
                }
            }
        }
    }
}

fn context(report: &mut Report, doc: &Value, version: Version) {
    let known = match version {
        Version::V2_0 => OB2_CONTEXTS,
        Version::V1_1 => OB1_CONTEXTS,
        _ => return,
    };
    let ctx = doc.get("@context");
    let urls = detect::context_strings(ctx);
    let inline = match ctx {
        Some(Value::Object(_)) => true,
        Some(Value::Array(items)) => items.iter().any(Value::is_object),
        _ => false,
    };
    let has_known = urls.iter().any(|u| known.contains(&u.trim()));
    let unknown: Vec<String> = urls
        .iter()
        .filter(|u| !known.contains(&u.trim()) && !is_extension_context(u))
        .map(|u| clip(u, 100))
        .collect();
    let detail = Some(format!(
        "@context: {}",
        clip(&ctx.map(Value::to_string).unwrap_or_default(), 200)
    ));
    if !has_known && !inline {
        report.push(Check::fail(
            checks::ASSERTION_CONTEXT,
            format!(
                "The badge does not use the Open Badges {version} vocabulary: its @context is {}.",
                if unknown.is_empty() {
                    "missing".to_owned()
                } else {
                    list(&unknown)
                }
            ),
            detail,
        ));
    } else if !unknown.is_empty() {
        report.push(Check::warn(
            checks::ASSERTION_CONTEXT,
            format!(
                "The badge also uses vocabularies Satchel does not know ({}).",
                list(&unknown)
            ),
            detail,
        ));
    } else {
        report.push(Check::pass(
            checks::ASSERTION_CONTEXT,
            format!("The badge uses the Open Badges {version} vocabulary."),
            detail,
        ));
    }
}

fn fields(report: &mut Report, doc: &Value, version: Version) {
    let required: &[&str] = match version {
        Version::V0_5 => &["recipient", "badge"],
        Version::V1_0 => &["uid", "recipient", "badge", "verify", "issuedOn"],
        Version::V1_1 => &["recipient", "badge", "verify", "issuedOn"],
        _ => &[
            "id",
            "type",
            "recipient",
            "badge",
            "verification",
            "issuedOn",
        ],
    };
    let mut missing: Vec<String> = required
        .iter()
        .filter(|k| match **k {
            "verify" | "verification" => !present(doc, "verify") && !present(doc, "verification"),
            "type" => !present(doc, "type") && !present(doc, "@type"),
            k => !present(doc, k),
        })
        .map(|k| (*k).to_owned())
        .collect();
    let mut problems = Vec::new();
    if version == Version::V2_0 {
        let verification = prop(doc, "verification").or_else(|| prop(doc, "verify"));
        if let Some(v) = verification {
            let kind = prop_str(v, "type").map(str::trim);
            match kind {
                Some(k)
                    if ["hosted", "hostedbadge", "signed", "signedbadge"]
                        .contains(&k.to_ascii_lowercase().as_str()) => {}
                Some(k) => problems.push(format!(
                    "its verification type \"{}\" is neither HostedBadge nor SignedBadge",
                    clip(k, 40)
                )),
                None => missing.push(checks::VERIFICATION_TYPE.to_owned()),
            }
        }
    }
    if version >= Version::V1_0
        && present(doc, "badge")
        && !matches!(
            prop(doc, "badge"),
            Some(Value::String(_) | Value::Object(_))
        )
    {
        problems.push("its badge is neither a link nor a badge description".to_owned());
    }
    if missing.is_empty() && problems.is_empty() {
        report.push(Check::pass(
            checks::ASSERTION_FIELDS,
            format!("The badge has everything Open Badges {version} requires of an award."),
            None,
        ));
        return;
    }
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("it lacks {}", list(&missing)));
    }
    parts.extend(problems);
    report.push(Check::fail(
        checks::ASSERTION_FIELDS,
        format!("The badge is incomplete or malformed: {}.", list(&parts)),
        Some(format!(
            "required for Open Badges {version}: {}",
            required.join(", ")
        )),
    ));
}

/// Is this `sha256$` + 64 hex digits or `md5$` + 32 (any case)?
fn is_valid_hash(identity: &str) -> bool {
    match identity.trim().split_once('$') {
        Some((alg, hex)) => {
            let len = if alg.eq_ignore_ascii_case("sha256") {
                64
            } else if alg.eq_ignore_ascii_case("md5") {
                32
            } else {
                return false;
            };
            hex.len() == len && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

fn recipient(report: &mut Report, doc: &Value, version: Version) {
    const ID: &str = checks::ASSERTION_RECIPIENT;
    let Some(r) = prop(doc, "recipient") else {
        return;
    };
    if version == Version::V0_5 {
        report.push(recipient_0_5(r));
        return;
    }
    let Some(obj) = r.as_object() else {
        report.push(Check::fail(
            ID,
            "The recipient must be an identity object (type, identity, hashed), not plain text.",
            Some(format!("recipient: {}", clip(&r.to_string(), 80))),
        ));
        return;
    };
    let Some(identity) = obj.get("identity").and_then(Value::as_str).map(str::trim) else {
        report.push(Check::fail(
            ID,
            "The recipient's identity is missing.",
            None,
        ));
        return;
    };
    let kind = obj.get("type").and_then(Value::as_str).map(str::trim);
    let hashed = hashed_flag(obj.get("hashed"), version);
    let effectively_hashed = hashed.unwrap_or_else(|| looks_hashed(identity));
    let detail = Some(format!(
        "type {}, hashed {}, identity {}",
        kind.unwrap_or("(none)"),
        hashed.map_or("(not given)".to_owned(), |h| h.to_string()),
        clip(identity, 80)
    ));
    if effectively_hashed && !is_valid_hash(identity) {
        report.push(Check::fail(
            ID,
            "The recipient's hashed identity is malformed: it must be sha256$ or md5$ followed by the hash in hexadecimal.",
            detail,
        ));
        return;
    }
    if hashed == Some(false) && looks_hashed(identity) {
        report.push(Check::fail(
            ID,
            "The recipient's identity looks like a hash but the badge says it is not hashed.",
            detail,
        ));
        return;
    }
    let is_email = kind.is_none_or(|k| k.eq_ignore_ascii_case("email"));
    if is_email && !effectively_hashed && !identity.contains('@') {
        report.push(Check::fail(
            ID,
            "The recipient's email address is not an email address.",
            detail,
        ));
        return;
    }
    report.push(recipient_identity(
        kind,
        hashed,
        effectively_hashed,
        version,
        detail,
    ));
}

/// A 0.5 recipient: an email address, plain or hashed.
fn recipient_0_5(r: &Value) -> Check {
    const ID: &str = checks::ASSERTION_RECIPIENT;
    match r.as_str().map(str::trim) {
        Some(s) if looks_hashed(s) || s.contains('@') => Check::pass(
            ID,
            if looks_hashed(s) {
                "The recipient is identified by a hashed email address."
            } else {
                "The recipient is identified by an email address."
            },
            None,
        ),
        _ => Check::fail(
            ID,
            "The recipient is neither an email address nor a hashed one.",
            Some(format!("recipient: {}", clip(&r.to_string(), 80))),
        ),
    }
}

/// An IdentityObject's `hashed`: a boolean (before 2.0, also the strings
/// "true" and "false"), or `None`.
fn hashed_flag(value: Option<&Value>, version: Version) -> Option<bool> {
    match value {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) if version < Version::V2_0 && s.eq_ignore_ascii_case("true") => {
            Some(true)
        }
        Some(Value::String(s)) if version < Version::V2_0 && s.eq_ignore_ascii_case("false") => {
            Some(false)
        }
        _ => None,
    }
}

/// The check of a well-formed identity: what identifies the recipient, or
/// what the IdentityObject leaves unsaid (a missing type fails in 2.0).
fn recipient_identity(
    kind: Option<&str>,
    hashed: Option<bool>,
    effectively_hashed: bool,
    version: Version,
    detail: Option<String>,
) -> Check {
    const ID: &str = checks::ASSERTION_RECIPIENT;
    let mut notes = Vec::new();
    match kind {
        None => notes.push("it does not say what kind of identity it is"),
        Some(k)
            if !["email", "url", "telephone", "id"]
                .iter()
                .any(|t| t.eq_ignore_ascii_case(k)) =>
        {
            notes.push("its identity type is not one Open Badges defines")
        }
        _ => {}
    }
    if hashed.is_none() {
        notes.push("it does not say whether the identity is hashed");
    }
    if notes.is_empty() {
        let what = match (
            kind.unwrap_or("email").to_ascii_lowercase().as_str(),
            effectively_hashed,
        ) {
            ("email", true) => "a hashed email address",
            ("email", false) => "an email address",
            ("url", true) => "a hashed web address",
            ("url", false) => "a web address",
            ("telephone", true) => "a hashed telephone number",
            ("telephone", false) => "a telephone number",
            (_, true) => "a hashed identifier",
            (_, false) => "an identifier",
        };
        Check::pass(
            ID,
            format!("The recipient is identified by {what}."),
            detail,
        )
    } else {
        let notes: Vec<String> = notes.into_iter().map(str::to_owned).collect();
        let missing_type_in_2 = kind.is_none() && version == Version::V2_0;
        let message = format!("The recipient's identity is incomplete: {}.", list(&notes));
        if missing_type_in_2 {
            Check::fail(ID, message, detail)
        } else {
            Check::warn(ID, message, detail)
        }
    }
}

/// Checks a BadgeClass: `badge.type`, `badge.fields`, `badge.image`.
pub(super) fn badge_class(report: &mut Report, doc: &Value, version: Version) {
    if version >= Version::V1_1 {
        let found = types(doc);
        if !has_type(doc, "BadgeClass") && (!found.is_empty() || version != Version::V1_1) {
            report.push(Check::fail(
                checks::BADGE_TYPE,
                if found.is_empty() {
                    "The badge description does not say it is a BadgeClass.".to_owned()
                } else {
                    format!(
                        "The badge description is not a BadgeClass: its type is {}.",
                        clip(&found.join(", "), 80)
                    )
                },
                None,
            ));
        }
    }
    let required = ["name", "description", "image", "criteria", "issuer"];
    let mut missing: Vec<String> = required
        .iter()
        .filter(|k| !present(doc, k))
        .map(|k| (*k).to_owned())
        .collect();
    if version == Version::V2_0 {
        if let Some(c) = prop(doc, "criteria").filter(|c| c.is_object()) {
            if !present(c, "id") && !present(c, "narrative") {
                missing.push("criteria (a link or a narrative)".to_owned());
            }
        }
    }
    if missing.is_empty() {
        report.push(Check::pass(
            checks::BADGE_FIELDS,
            "The badge description is complete.",
            None,
        ));
    } else {
        report.push(Check::fail(
            checks::BADGE_FIELDS,
            format!(
                "The badge description is incomplete: it lacks {}.",
                list(&missing)
            ),
            Some(format!("a BadgeClass requires {}", required.join(", "))),
        ));
    }
    image(report, doc, checks::BADGE_IMAGE, "The badge image");
}

/// Checks an issuer Profile: `issuer.type`, `issuer.fields`, `issuer.http`, `issuer.image`.
pub(super) fn issuer(report: &mut Report, doc: &Value, version: Version) {
    if version >= Version::V1_1 {
        let found = types(doc);
        let ok = has_type(doc, "Issuer") || has_type(doc, "Profile");
        if !ok && (!found.is_empty() || version != Version::V1_1) {
            report.push(Check::fail(
                checks::ISSUER_TYPE,
                if found.is_empty() {
                    "The issuer's profile does not say it is an issuer profile.".to_owned()
                } else {
                    format!(
                        "The issuer's profile is not an issuer profile: its type is {}.",
                        clip(&found.join(", "), 80)
                    )
                },
                None,
            ));
        }
    }
    if version == Version::V0_5 {
        let missing: Vec<String> = ["origin", "name"]
            .iter()
            .filter(|k| !present(doc, k))
            .map(|k| (*k).to_owned())
            .collect();
        report.push(if missing.is_empty() {
            Check::pass(
                checks::ISSUER_FIELDS,
                "The issuer's details are complete.",
                None,
            )
        } else {
            Check::fail(
                checks::ISSUER_FIELDS,
                format!(
                    "The issuer's details are incomplete: they lack {}.",
                    list(&missing)
                ),
                None,
            )
        });
        return;
    }
    let mut soft = Vec::new();
    if !present(doc, "url") {
        soft.push("a website address".to_owned());
    }
    if version == Version::V2_0 && !present(doc, "email") {
        soft.push("an email address".to_owned());
    }
    if !present(doc, "name") {
        report.push(Check::fail(
            checks::ISSUER_FIELDS,
            "The issuer's profile has no name.",
            None,
        ));
    } else if !soft.is_empty() {
        report.push(Check::warn(
            checks::ISSUER_FIELDS,
            format!("The issuer's profile lacks {}.", list(&soft)),
            None,
        ));
    } else {
        report.push(Check::pass(
            checks::ISSUER_FIELDS,
            "The issuer's profile is complete.",
            None,
        ));
    }
    if version == Version::V2_0 {
        if let Some(id) = prop_str(doc, "id") {
            if !common::is_http_url(id.trim()) {
                report.push(Check::warn(
                    checks::ISSUER_HTTP,
                    "The issuer is not identified by a web address, so nothing ties it to a website.",
                    Some(format!("issuer id: {}", clip(id, 100))),
                ));
            }
        }
    }
    image(report, doc, checks::ISSUER_IMAGE, "The issuer's image");
}

fn is_data_uri(src: &str) -> bool {
    src.trim_start()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
}

/// A BadgeClass or Profile image may be a `data:` URI, but only PNG or SVG.
fn image(report: &mut Report, doc: &Value, id: &str, what: &str) {
    let src = match prop(doc, "image") {
        Some(Value::String(s)) => s.as_str(),
        Some(v @ Value::Object(_)) => match prop_str(v, "id") {
            Some(s) => s,
            None => return,
        },
        _ => return,
    };
    if !is_data_uri(src) {
        return;
    }
    let mime = src.trim_start()[5..]
        .split([';', ','])
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime == "image/png" || mime == "image/svg+xml" {
        report.push(Check::pass(
            id,
            format!(
                "{what} is embedded as {}.",
                if mime == "image/png" {
                    "a PNG"
                } else {
                    "an SVG"
                }
            ),
            None,
        ));
    } else {
        report.push(Check::fail(
            id,
            format!(
                "{what} is embedded as {}, but only PNG and SVG images are allowed.",
                if mime.is_empty() {
                    "an image of unknown type".to_owned()
                } else {
                    clip(&mime, 40)
                }
            ),
            Some(format!("image: {}", clip(src, 60))),
        ));
    }
}

/// Checks an OB 2.0 Endorsement's own structure: `endorsement.context`,
/// `endorsement.type`, `endorsement.fields` (`id`, `claim` with the `id` of
/// what is endorsed, `issuer`, `issuedOn`, `verification`).
pub(super) fn endorsement(report: &mut Report, doc: &Value) {
    context(report, doc, Version::V2_0);
    if let Some(c) = report
        .checks
        .last_mut()
        .filter(|c| c.id == checks::ASSERTION_CONTEXT)
    {
        c.id = checks::ENDORSEMENT_CONTEXT.to_owned();
        c.message = c.message.replace("The badge", "The endorsement");
    }
    if !has_type(doc, "Endorsement") {
        let found = types(doc);
        report.push(Check::fail(
            checks::ENDORSEMENT_TYPE,
            if found.is_empty() {
                "The endorsement does not say it is an Endorsement.".to_owned()
            } else {
                format!(
                    "The document is not an Endorsement: its type is {}.",
                    clip(&found.join(", "), 80)
                )
            },
            None,
        ));
    }
    let mut missing: Vec<String> = ["id", "claim", "issuer", "issuedOn", "verification"]
        .iter()
        .filter(|k| !present(doc, k))
        .map(|k| (*k).to_owned())
        .collect();
    if let Some(claim) = prop(doc, "claim").filter(|c| c.is_object()) {
        if !present(claim, "id") {
            missing.push("the id of what it endorses (claim.id)".to_owned());
        }
    }
    if missing.is_empty() {
        report.push(Check::pass(
            checks::ENDORSEMENT_FIELDS,
            "The endorsement has everything Open Badges 2.0 requires of one.",
            None,
        ));
    } else {
        report.push(Check::fail(
            checks::ENDORSEMENT_FIELDS,
            format!(
                "The endorsement is incomplete: it lacks {}.",
                list(&missing)
            ),
            Some(
                "an Endorsement requires id, claim (with id), issuer, issuedOn and verification"
                    .to_owned(),
            ),
        ));
    }
}
