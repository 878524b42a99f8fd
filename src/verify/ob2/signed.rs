//! Signed assertions (compact JWS): the algorithm allow-list, the issuer's
//! key, that the key is the issuer's, the signature, and the issuer's
//! revocation list.
//!
//! OB 2.0: the key is the CryptographicKey at `verification.creator`; its
//! `owner` must be the issuer's id and the issuer's Profile, fetched from its
//! own address, must list it in `publicKey` (keys named only in an embedded
//! Profile are not trusted). Without `creator`, the keys the issuer's Profile
//! lists are tried. OB 1.0/1.1: the key is the PEM at `verify.url`; nothing in
//! those versions ties it to the issuer beyond sharing the issuer's site.
//!
//! Check ids: `signature.jws`, `signature.key`, `signature.issuer`, `revocation.list`.

use super::linked::Node;
use super::Check;
use super::{authority, clip, common, prop, prop_id, prop_str, same_url, strings, Run};
use crate::crypto::{self, CryptoError, PublicKey};
use crate::detect::{self, Version};
use crate::fetch::Fetched;
use crate::jws::CompactJws;
use crate::verify::checks;
use serde_json::Value;

/// At most this many keys of an issuer are tried when the badge names none.
const MAX_KEYS: usize = 5;

/// Checks a signed assertion's signature, key and revocation.
pub(super) fn check(
    run: &mut Run<'_>,
    doc: &Value,
    version: Version,
    jws: &CompactJws,
    issuer: Option<&Node>,
) {
    match crypto::allowed_alg(jws) {
        Ok(_) => signature(run, doc, version, jws, issuer),
        Err(e) => run.push(Check::fail(
            checks::SIGNATURE_JWS,
            common::sentence(&e.to_string()),
            Some(header_detail(jws)),
        )),
    }
    revocation(run, doc, issuer);
}

fn header_detail(jws: &CompactJws) -> String {
    format!(
        "JWS header: {}",
        clip(&Value::Object(jws.header.clone()).to_string(), 200)
    )
}

fn signature(
    run: &mut Run<'_>,
    doc: &Value,
    version: Version,
    jws: &CompactJws,
    issuer: Option<&Node>,
) {
    let verification = prop(doc, "verification")
        .filter(|v| v.is_object())
        .or_else(|| prop(doc, "verify").filter(|v| v.is_object()));
    let creator = verification
        .and_then(|v| prop_id(v, "creator"))
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let key_url = verification
        .and_then(|v| prop_str(v, "url"))
        .map(str::trim)
        .filter(|u| !u.is_empty());
    match (creator, key_url) {
        (Some(creator), _) => by_creator(run, jws, creator, issuer),
        (None, Some(url)) if version < Version::V2_0 => legacy_key(run, jws, url, issuer),
        _ => listed_keys(run, jws, issuer),
    }
}

/// A key document: the key, its declared owner, and where it came from.
#[derive(Clone)]
struct Key {
    key: PublicKey,
    owner: Option<String>,
    url: String,
}

/// Reads a fetched key: a CryptographicKey JSON (`publicKeyPem`, or a
/// `publicKeyJwk`), or PEM text.
fn read_key(f: &Fetched, url: &str) -> Result<Key, CryptoError> {
    let text = std::str::from_utf8(&f.body)
        .map_err(|_| CryptoError::BadKey("the key document is not text".to_owned()))?;
    let text = detect::trim_text(text);
    if text.starts_with('{') {
        let doc = crate::payload::parse_json(text)
            .map_err(|e| CryptoError::BadKey(format!("the key document is not JSON: {e}")))?;
        let owner = prop_id(&doc, "owner")
            .or_else(|| prop_id(&doc, "controller"))
            .map(|o| o.trim().to_owned());
        let key = match (prop_str(&doc, "publicKeyPem"), prop(&doc, "publicKeyJwk")) {
            (Some(pem), _) => PublicKey::from_pem(pem)?,
            (None, Some(jwk)) => PublicKey::from_jwk(jwk)?,
            (None, None) => {
                return Err(CryptoError::BadKey(
                    "the key document has no publicKeyPem".to_owned(),
                ))
            }
        };
        Ok(Key {
            key,
            owner,
            url: url.to_owned(),
        })
    } else {
        Ok(Key {
            key: PublicKey::from_pem(text)?,
            owner: None,
            url: url.to_owned(),
        })
    }
}

/// Fetches and reads the key at `url`, pushing `signature.key`; on failure
/// also pushes the `signature.jws` skip.
fn fetch_key(run: &mut Run<'_>, url: &str) -> Option<Key> {
    let shared = match run.get(url, "the key this badge was signed with") {
        Ok(f) => f,
        Err((message, detail)) => {
            run.push(Check::skip(checks::SIGNATURE_KEY, message, Some(detail)));
            no_signature_check(run);
            return None;
        }
    };
    // Read (and, for RSA, prepared for verification) once per run.
    let read = shared.derive(|f| KeyRead(read_key(f, &f.url)));
    match read.0.clone() {
        Ok(mut key) => {
            url.clone_into(&mut key.url);
            run.push(Check::pass(
                checks::SIGNATURE_KEY,
                "Satchel got the public key this badge was signed with.",
                Some(format!(
                    "{url}: {} key; {}",
                    key.key.describe(),
                    super::shared_detail(&shared)
                )),
            ));
            Some(key)
        }
        Err(e) => {
            let message = common::sentence(&format!("the issuer's key cannot be used: {e}"));
            if e.is_unreadable_key() {
                run.push(Check::skip(
                    checks::SIGNATURE_KEY,
                    message,
                    Some(url.to_owned()),
                ));
                no_signature_check(run);
            } else {
                run.push(Check::fail(
                    checks::SIGNATURE_KEY,
                    message,
                    Some(url.to_owned()),
                ));
            }
            None
        }
    }
}

/// A fetched key as read, kept with the shared document.
struct KeyRead(Result<Key, CryptoError>);

fn no_signature_check(run: &mut Run<'_>) {
    run.push(Check::skip(
        checks::SIGNATURE_JWS,
        "The signature could not be checked without the issuer's key.",
        None,
    ));
}

fn verify_with(run: &mut Run<'_>, jws: &CompactJws, key: &Key) -> bool {
    match crypto::verify_jws(jws, &key.key) {
        Ok(()) => {
            run.push(Check::pass(
                checks::SIGNATURE_JWS,
                "The signature is valid: the badge has not been changed since it was signed.",
                Some(format!(
                    "{} with the {} key at {}",
                    jws.alg().unwrap_or("?"),
                    key.key.describe(),
                    key.url
                )),
            ));
            true
        }
        Err(e) => {
            run.push(Check::fail(
                checks::SIGNATURE_JWS,
                common::sentence(&e.to_string()),
                Some(format!(
                    "{}; key {} ({})",
                    header_detail(jws),
                    key.url,
                    key.key.describe()
                )),
            ));
            false
        }
    }
}

/// The fetched issuer Profile, or a skip saying why the key cannot be tied to it.
fn fetched_issuer<'n>(run: &mut Run<'_>, issuer: Option<&'n Node>) -> Option<&'n Node> {
    let found = issuer.filter(|i| i.fetched);
    if found.is_none() {
        run.push(Check::skip(
            checks::SIGNATURE_ISSUER,
            "Satchel could not get the issuer's profile from its web address, so it cannot confirm that the signing key is the issuer's.",
            issuer.and_then(Node::id).map(|id| format!("issuer: {id}")),
        ));
    }
    found
}

/// OB 2.0: the key named by `verification.creator`.
fn by_creator(run: &mut Run<'_>, jws: &CompactJws, creator: &str, issuer: Option<&Node>) {
    if !common::is_http_url(creator) {
        run.push(Check::skip(
            checks::SIGNATURE_KEY,
            format!(
                "The badge names its signing key as {}, which is not a web address Satchel can look up.",
                clip(creator, 80)
            ),
            None,
        ));
        no_signature_check(run);
        return;
    }
    let Some(key) = fetch_key(run, creator) else {
        return;
    };
    verify_with(run, jws, &key);
    let Some(issuer) = fetched_issuer(run, issuer) else {
        return;
    };
    let issuer_id = issuer.id().unwrap_or_default();
    let listed = strings(issuer.doc.get("publicKey"));
    if let Some(owner) = key.owner.as_deref().filter(|o| !same_url(o, issuer_id)) {
        run.push(Check::fail(
            checks::SIGNATURE_ISSUER,
            "The key this badge was signed with belongs to someone else, not to the badge's issuer.",
            Some(format!("key {creator} is owned by {owner}; the issuer is {issuer_id}")),
        ));
    } else if !listed.iter().any(|k| same_url(k, creator)) {
        run.push(Check::fail(
            checks::SIGNATURE_ISSUER,
            "The issuer's profile does not list the key this badge was signed with, so nothing shows that the issuer signed it.",
            Some(format!(
                "key {creator}; keys in the issuer's profile ({issuer_id}): {}",
                if listed.is_empty() { "none".to_owned() } else { listed.join(", ") }
            )),
        ));
    } else if key.owner.is_none() {
        run.push(Check::warn(
            checks::SIGNATURE_ISSUER,
            "The signing key does not name its owner, but the issuer's profile lists it.",
            Some(format!("key {creator}; issuer {issuer_id}")),
        ));
    } else {
        run.push(Check::pass(
            checks::SIGNATURE_ISSUER,
            "The signing key belongs to the badge's issuer, and the issuer's profile lists it.",
            Some(format!("key {creator}; issuer {issuer_id}")),
        ));
    }
}

/// OB 2.0 without `creator`: try the keys the issuer's Profile lists.
fn listed_keys(run: &mut Run<'_>, jws: &CompactJws, issuer: Option<&Node>) {
    let Some(issuer) = fetched_issuer(run, issuer) else {
        run.push(Check::skip(
            checks::SIGNATURE_KEY,
            "The badge does not name its signing key, and the issuer's profile could not be read to find it.",
            None,
        ));
        no_signature_check(run);
        return;
    };
    let entries: Vec<Value> = match issuer.doc.get("publicKey") {
        Some(Value::Array(items)) => items.clone(),
        Some(v) => vec![v.clone()],
        None => Vec::new(),
    };
    if entries.is_empty() {
        run.push(Check::skip(
            checks::SIGNATURE_KEY,
            "Neither the badge nor its issuer's profile names a key to check the signature with.",
            None,
        ));
        no_signature_check(run);
        return;
    }
    let mut unreachable = false;
    let mut tried = Vec::new();
    for entry in entries.iter().take(MAX_KEYS) {
        let key = match entry {
            Value::Object(_) => prop_str(entry, "publicKeyPem")
                .and_then(|pem| PublicKey::from_pem(pem).ok())
                .map(|key| Key {
                    key,
                    owner: None,
                    url: prop_str(entry, "id")
                        .unwrap_or("(in the issuer's profile)")
                        .to_owned(),
                }),
            Value::String(url) if common::is_http_url(url.trim()) => {
                match run.get(url.trim(), "the issuer's key") {
                    Ok(shared) => shared
                        .derive(|f| KeyRead(read_key(f, &f.url)))
                        .0
                        .clone()
                        .ok()
                        .map(|mut key| {
                            url.trim().clone_into(&mut key.url);
                            key
                        }),
                    Err(_) => {
                        unreachable = true;
                        None
                    }
                }
            }
            _ => None,
        };
        let Some(key) = key else {
            continue;
        };
        tried.push(key.url.clone());
        if crypto::verify_jws(jws, &key.key).is_ok() {
            run.push(Check::pass(
                checks::SIGNATURE_KEY,
                "Satchel found the signing key among the keys the issuer's profile lists.",
                Some(format!("{}: {} key", key.url, key.key.describe())),
            ));
            verify_with(run, jws, &key);
            run.push(Check::pass(
                checks::SIGNATURE_ISSUER,
                "The signing key is listed in the issuer's profile.",
                Some(format!("issuer {}", issuer.id().unwrap_or_default())),
            ));
            return;
        }
    }
    if unreachable || tried.is_empty() {
        run.push(Check::skip(
            checks::SIGNATURE_KEY,
            "The badge does not name its signing key, and Satchel could not get every key the issuer's profile lists.",
            Some(format!("keys tried: {}", tried.join(", "))),
        ));
        no_signature_check(run);
    } else {
        run.push(Check::fail(
            checks::SIGNATURE_JWS,
            "The signature does not match any of the issuer's keys: the badge was changed after it was signed, or it was signed with another key.",
            Some(format!("{}; keys tried: {}", header_detail(jws), tried.join(", "))),
        ));
    }
}

/// OB 1.0/1.1: the PEM at `verify.url`.
fn legacy_key(run: &mut Run<'_>, jws: &CompactJws, url: &str, issuer: Option<&Node>) {
    if !common::is_http_url(url) {
        run.push(Check::skip(
            checks::SIGNATURE_KEY,
            format!(
                "The badge gives its key's address as {}, which is not a web address.",
                clip(url, 80)
            ),
            None,
        ));
        no_signature_check(run);
        return;
    }
    let Some(key) = fetch_key(run, url) else {
        return;
    };
    verify_with(run, jws, &key);
    let site = issuer.and_then(|i| {
        prop_str(&i.doc, "url")
            .and_then(authority)
            .or_else(|| i.url.as_deref().and_then(authority))
    });
    match (site, authority(url)) {
        (Some(site), Some(key_site)) if site == key_site => run.push(Check::pass(
            checks::SIGNATURE_ISSUER,
            format!("The key is published on the issuer's website ({site})."),
            None,
        )),
        (Some(site), Some(key_site)) => run.push(Check::warn(
            checks::SIGNATURE_ISSUER,
            format!("The key is published on another site ({key_site}) than the issuer's ({site}), so nothing ties it to the issuer."),
            Some(format!("key {url}")),
        )),
        _ => run.push(Check::warn(
            checks::SIGNATURE_ISSUER,
            "Satchel cannot tell whether the key is the issuer's: badges of this version do not say.",
            Some(format!("key {url}")),
        )),
    }
}

/// The issuer's revocation list: 2.0 `RevocationList` (entries by id, or
/// legacy `{uid}`), or a 1.x object keyed by `uid` with reasons as values.
fn revocation(run: &mut Run<'_>, doc: &Value, issuer: Option<&Node>) {
    const ID: &str = checks::REVOCATION_LIST;
    let Some(issuer) = issuer else {
        run.push(Check::skip(
            ID,
            "Satchel could not check whether the issuer revoked this badge, because the issuer's profile could not be read.",
            None,
        ));
        return;
    };
    let Some(url) = prop_id(&issuer.doc, "revocationList").map(str::trim) else {
        run.push(Check::pass(
            ID,
            "The issuer publishes no revocation list, so it has not revoked this badge that way.",
            None,
        ));
        return;
    };
    if !common::is_http_url(url) {
        run.push(Check::skip(
            ID,
            format!(
                "Satchel could not check whether the issuer revoked this badge: its revocation list's address ({}) is not a web address.",
                clip(url, 80)
            ),
            None,
        ));
        return;
    }
    let url = url.to_owned();
    let (list, f) = match run.get_json(&url, "the issuer's revocation list") {
        Ok(got) => got,
        Err((message, detail)) => {
            run.push(Check::skip(
                ID,
                message.replacen(
                    "Satchel could not get the issuer's revocation list",
                    "Satchel could not check whether the issuer revoked this badge",
                    1,
                ),
                Some(detail),
            ));
            return;
        }
    };
    let f_shared = std::sync::Arc::clone(&f);
    let id = prop_str(doc, "id").map(str::trim);
    let uid = match prop(doc, "uid") {
        Some(Value::String(s)) => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let (found, reason, entries) = find_entry(&list, &f_shared, id, uid.as_deref());
    let detail = Some(format!(
        "{} ({entries} entr{}); looked for {}",
        super::shared_detail(&f_shared),
        if entries == 1 { "y" } else { "ies" },
        [id.map(str::to_owned), uid.map(|u| format!("uid {u}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" and ")
    ));
    if found {
        run.report.revoked = true;
        let message = match reason.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => common::sentence(&format!(
                "The issuer has revoked this badge. Reason: {}",
                clip(r, 300)
            )),
            None => "The issuer has revoked this badge.".to_owned(),
        };
        run.push(Check::fail(ID, message, detail));
    } else {
        // "Not revoked" is only as good as the copy is recent.
        match common::kept_list_age(&f_shared.fetched, run.opts.now, None, "revocation list") {
            Ok(note) => run.push(Check::pass(
                ID,
                "The issuer has not revoked this badge.",
                detail.map(|d| match note {
                    Some(n) => format!("{d}; {n}"),
                    None => d,
                }),
            )),
            Err(why) => run.push(Check::skip(
                ID,
                common::sentence(&format!(
                    "Satchel could not check whether the issuer revoked this badge: {why}"
                )),
                detail,
            )),
        }
    }
}

/// Looks for the assertion (by `id`, else `uid`; 1.x lists by `uid` first) in a
/// revocation list: whether it is there, the reason given, and how many entries
/// the list has.
fn find_entry(
    list: &Value,
    shared: &crate::fetch::SharedDoc,
    id: Option<&str>,
    uid: Option<&str>,
) -> (bool, Option<String>, usize) {
    if list.get("revokedAssertions").is_some() {
        let parsed = shared.derive(|_| {
            ParsedRevocationList(serde::Deserialize::deserialize(&*list).unwrap_or_default())
        });
        let parsed = &parsed.0;
        let entry = id
            .and_then(|id| parsed.lookup(id))
            .or_else(|| uid.and_then(|u| parsed.lookup(u)));
        (
            entry.is_some(),
            entry.and_then(|e| e.reason()).map(str::to_owned),
            parsed.revoked_assertions.len(),
        )
    } else {
        // OB 1.x: {"<uid>": "<reason>", …}
        let obj = list.as_object();
        let entry = obj.and_then(|o| {
            uid.and_then(|u| o.get(u))
                .or_else(|| id.and_then(|i| o.get(i)))
        });
        (
            entry.is_some(),
            entry.and_then(Value::as_str).map(str::to_owned),
            obj.map_or(0, |o| o.len()),
        )
    }
}

/// A revocation list as read, kept with the shared document.
struct ParsedRevocationList(crate::model::v2::RevocationList);
