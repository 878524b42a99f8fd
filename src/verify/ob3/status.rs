//! The `status` check: has the issuer revoked (or suspended) the credential?
//!
//! - `1EdTechRevocationList`: fetch the list; an entry whose `id` is the
//!   credential's id and whose `revoked` is absent or true revokes it.
//! - `BitstringStatusListEntry` / `StatusList2021Entry`: fetch the status list
//!   credential, check ITS proof, type, validity window and purpose, decode the
//!   list (multibase `u` base64url or plain base64, GZIP, decompressed size
//!   capped) and read bit `statusListIndex`, most significant bit first.
//!
//! A set bit of a `revocation` list revokes the badge (`Report::revoked`);
//! of a `suspension` list, suspends it (`Report::suspended`, the verdict
//! `suspended`: temporary, unlike a revocation).
//!
//! A list that cannot be fetched, or has expired / is not valid yet, is "could
//! not check" (skip). A tampered or mistyped list is a failure. A status method
//! Satchel does not know is "status unknown" (skip), never a pass.

use crate::fetch::{Fetch, FetchError, Fetched, SharedDoc};
use crate::verify::checks;
use crate::verify::common::{self, fetch_failure, lower_first, parse_date};
use crate::verify::proof::integrity::{self, Outcome};
use crate::verify::report::{Check, SUSPENDED};
use crate::verify::Report;
use serde_json::Value;
use std::io::Read;
use std::sync::{Arc, Mutex, PoisonError};

/// Largest decompressed status list Satchel reads (32 million entries).
const MAX_LIST_BYTES: usize = 4 * 1024 * 1024;
/// Largest status document Satchel parses.
const MAX_STATUS_DOCUMENT_BYTES: usize = 8 * 1024 * 1024;
/// Most status entries of one credential that are checked.
const MAX_ENTRIES: usize = 8;

/// The result of one status entry.
struct Found {
    check: Check,
    revoked: bool,
    suspended: bool,
}

fn skip(message: String, detail: Option<String>) -> Found {
    Found {
        check: Check::skip(checks::STATUS, message, detail),
        revoked: false,
        suspended: false,
    }
}

fn fail(message: String, detail: Option<String>) -> Found {
    Found {
        check: Check::fail(checks::STATUS, message, detail),
        revoked: false,
        suspended: false,
    }
}

fn pass(message: String, detail: Option<String>) -> Found {
    Found {
        check: Check::pass(checks::STATUS, message, detail),
        revoked: false,
        suspended: false,
    }
}

/// A status document as fetched: JSON, or a VC-JWT (a compact JWS, as
/// openbadgeslib publishes status lists).
enum StatusDoc {
    Json(Value),
    Jwt(crate::jws::CompactJws, Value),
}

/// Fetches `url` as a status document; a failure is a finished "could not check".
/// The answer is the shared copy of this run (see [`Fetch::get_shared`]).
fn fetch_doc(
    fetch: &dyn Fetch,
    url: &str,
    what: &str,
) -> Result<(StatusDoc, Arc<SharedDoc>), Found> {
    let shared = fetch.get_shared(url).map_err(|e| {
        skip(
            common::sentence(&format!(
                "Satchel could not check whether the badge was revoked: it {}",
                fetch_failure("the issuer's status server", &e)
            )),
            Some(format!("{what}: {url}")),
        )
    })?;
    let got = &shared.fetched;
    if !(200..300).contains(&got.status) {
        return Err(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the {what} at {} answered HTTP {}.",
                common::host_of(url),
                got.status
            ),
            Some(format!("{what}: {url}")),
        ));
    }
    if got.body.len() > MAX_STATUS_DOCUMENT_BYTES {
        return Err(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the {what} is too large."
            ),
            Some(url.to_owned()),
        ));
    }
    if let Ok(v) = serde_json::from_slice::<Value>(&got.body) {
        return Ok((StatusDoc::Json(v), shared));
    }
    let text = std::str::from_utf8(&got.body).unwrap_or("").trim();
    match crate::jws::decode(text).ok().and_then(|j| {
        let claims = j.payload_json().ok().filter(Value::is_object)?;
        Some((j, claims))
    }) {
        Some((jws, claims)) => Ok((StatusDoc::Jwt(jws, claims), Arc::clone(&shared))),
        None => Err(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the {what} is neither JSON nor a signed JWT."
            ),
            Some(url.to_owned()),
        )),
    }
}

/// Fetches `url` as a JSON document; a failure is a finished "could not check".
fn fetch_json(fetch: &dyn Fetch, url: &str, what: &str) -> Result<(Value, Arc<SharedDoc>), Found> {
    match fetch_doc(fetch, url, what)? {
        (StatusDoc::Json(v), got) => Ok((v, got)),
        (StatusDoc::Jwt(..), _) => Err(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the {what} is not JSON."
            ),
            Some(url.to_owned()),
        )),
    }
}

/// The kept-copy rule of [`common::kept_list_age`] as a finished check, or
/// the note for the detail.
fn kept_copy(got: &Fetched, now: i64, ttl: Option<i64>, what: &str) -> Result<String, Found> {
    match common::kept_list_age(got, now, ttl, what) {
        Ok(note) => Ok(note.map(|n| format!("; {n}")).unwrap_or_default()),
        Err(why) => Err(skip(
            common::sentence(&format!(
                "Satchel could not check whether the badge was revoked: {why}"
            )),
            Some(got.url.clone()),
        )),
    }
}

/// `1EdTechRevocationList`.
fn revocation_list(entry: &Value, cred: &Value, fetch: &dyn Fetch, now: i64) -> Found {
    let Some(url) = entry.get("id").and_then(Value::as_str) else {
        return fail(
            "The credential's revocation list entry has no id (the list's URL).".to_owned(),
            None,
        );
    };
    let Some(cred_id) = cred.get("id").and_then(Value::as_str) else {
        return skip(
            "Satchel cannot look the badge up in its issuer's revocation list: the badge has no id.".to_owned(),
            Some(url.to_owned()),
        );
    };
    let (list, got) = match fetch_json(fetch, url, "revocation list") {
        Ok(l) => l,
        Err(found) => return found,
    };
    // A revocation found in an old copy still stands (revocation is final);
    // "not revoked" is only as good as the copy is recent.
    let kept = kept_copy(&got.fetched, now, None, "revocation list");
    let Some(entries) = list.get("revokedCredential").and_then(Value::as_array) else {
        return skip(
            "Satchel could not check whether the badge was revoked: the issuer's revocation list has no revokedCredential list.".to_owned(),
            Some(url.to_owned()),
        );
    };
    let hit = entries.iter().find(|e| {
        e.get("id").and_then(Value::as_str) == Some(cred_id)
            && e.get("revoked").and_then(Value::as_bool) != Some(false)
    });
    match hit {
        Some(e) => {
            let reason = e.get("revocationReason").and_then(Value::as_str);
            Found {
                check: Check::fail(
                    checks::STATUS,
                    match reason {
                        Some(r) => {
                            format!("The issuer revoked this badge: {}", common::sentence(r))
                        }
                        None => "The issuer revoked this badge.".to_owned(),
                    },
                    Some(format!("1EdTechRevocationList {url} lists {cred_id}")),
                ),
                revoked: true,
                suspended: false,
            }
        }
        None => match kept {
            Err(found) => found,
            Ok(note) => pass(
                "The issuer has not revoked this badge.".to_owned(),
                Some(format!(
                    "1EdTechRevocationList {url}: {cred_id} not listed ({} entries){note}",
                    entries.len()
                )),
            ),
        },
    }
}

/// Decodes an `encodedList`: `u` + base64url (Bitstring), or plain base64
/// (StatusList2021), of a GZIP stream; decompressed size is capped.
pub(super) fn decode_list(encoded: &str, multibase: bool) -> Result<Vec<u8>, String> {
    use base64::alphabet;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    let body = match encoded.strip_prefix('u') {
        Some(b) => b,
        None if multibase => {
            return Err(
                "the encoded list is not multibase base64url (it does not start with u)".to_owned(),
            )
        }
        None => encoded,
    };
    let config =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let compressed = GeneralPurpose::new(&alphabet::URL_SAFE, config)
        .decode(body)
        .or_else(|_| GeneralPurpose::new(&alphabet::STANDARD, config).decode(body))
        .map_err(|_| "the encoded list is not base64".to_owned())?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .take(MAX_LIST_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| "the encoded list is not GZIP-compressed".to_owned())?;
    if out.len() > MAX_LIST_BYTES {
        return Err(format!(
            "the list is larger than {} MiB",
            MAX_LIST_BYTES / (1024 * 1024)
        ));
    }
    Ok(out)
}

/// Bit `index` of `list`, index 0 being the most significant bit of the first byte.
pub(super) fn bit(list: &[u8], index: u64) -> Option<bool> {
    let byte = list.get(usize::try_from(index / 8).ok()?)?;
    Some(byte & (0x80 >> (index % 8)) != 0)
}

/// `BitstringStatusListEntry` and `StatusList2021Entry`.
fn status_list(entry: &Value, cred: &Value, fetch: &dyn Fetch, now: i64, legacy: bool) -> Found {
    let (list_type, subject_type) = if legacy {
        ("StatusList2021Credential", "StatusList2021")
    } else {
        ("BitstringStatusListCredential", "BitstringStatusList")
    };
    let (url, index, purpose) = match read_entry(entry) {
        Ok(e) => e,
        Err(found) => return found,
    };
    let (doc, got) = match fetch_doc(fetch, url, "status list") {
        Ok(d) => d,
        Err(found) => return found,
    };
    let detail = |more: &str| {
        Some(format!(
            "{list_type} {url}, index {index}, purpose {purpose}; {more}"
        ))
    };
    let list = list_credential(&doc);
    if !crate::detect::strings(list.get("type")).contains(&list_type) {
        return fail(
            format!("The issuer's status list is not a {list_type}, so it cannot say whether the badge was revoked."),
            detail(&format!("its type is {}", crate::detect::strings(list.get("type")).join(", "))),
        );
    }
    let signer = match &doc {
        StatusDoc::Json(_) => list_signer(&list, &got, fetch, now, &detail),
        StatusDoc::Jwt(jws, claims) => jwt_list_signer(jws, claims, &list, fetch, &detail),
    };
    if let Some(found) = signer.or_else(|| list_dates(&list, now, &detail)) {
        return found;
    }
    let (subject, bits) = match list_bits(&list, subject_type, purpose, legacy, &detail) {
        Ok(b) => b,
        Err(found) => return found,
    };
    let Some(set) = bit(&bits, index) else {
        return fail(
            format!("The badge's status index {index} is outside the issuer's status list ({} entries).", bits.len() * 8),
            detail("index out of range"),
        );
    };
    let issuers = match (super::issuer_id(cred), super::issuer_id(&list)) {
        (Some(a), Some(b)) if a != b => format!("; the list is issued by {b}, the badge by {a}"),
        _ => String::new(),
    };
    // A list's own `ttl` (milliseconds) says how long a copy may be trusted.
    let ttl = subject
        .get("ttl")
        .and_then(Value::as_i64)
        .map(|ms| ms / 1000);
    let kept = kept_copy(&got.fetched, now, ttl, "status list");
    let note = kept.as_ref().map(String::as_str).unwrap_or("");
    let detail = detail(&format!("bit {}{issuers}{note}", u8::from(set)));
    if !set {
        if let Err(found) = kept {
            return found;
        }
    }
    status_of(set, purpose, detail)
}

/// A status entry's list address, index and purpose (`revocation` unless it
/// says); a multi-bit entry cannot be read.
fn read_entry(entry: &Value) -> Result<(&str, u64, &str), Found> {
    let Some(url) = entry.get("statusListCredential").and_then(Value::as_str) else {
        return Err(fail(
            "The credential's status entry does not say where its status list is.".to_owned(),
            None,
        ));
    };
    let index = match entry.get("statusListIndex") {
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let Some(index) = index else {
        return Err(fail(
            "The credential's status entry has no valid statusListIndex.".to_owned(),
            Some(url.to_owned()),
        ));
    };
    let purpose = entry
        .get("statusPurpose")
        .and_then(Value::as_str)
        .unwrap_or("revocation");
    if entry
        .get("statusSize")
        .and_then(Value::as_u64)
        .is_some_and(|s| s != 1)
    {
        return Err(skip(
            "Satchel does not read multi-bit status messages, so it cannot tell this badge's status.".to_owned(),
            Some(url.to_owned()),
        ));
    }
    Ok((url, index, purpose))
}

/// The status list credential: the JSON document, or a VC-JWT's credential
/// (with the JWT's `iss` as its issuer when it names none).
fn list_credential(doc: &StatusDoc) -> Value {
    match doc {
        StatusDoc::Json(v) => v.clone(),
        StatusDoc::Jwt(_, claims) => {
            let mut list = crate::verify::proof::jwt::credential_of(claims).0;
            if list.get("issuer").is_none() {
                if let (Some(map), Some(iss)) = (list.as_object_mut(), claims.get("iss")) {
                    map.insert("issuer".to_owned(), iss.clone());
                }
            }
            list
        }
    }
}

/// A list not valid yet or expired cannot answer: `Some` says so.
fn list_dates(list: &Value, now: i64, detail: &dyn Fn(&str) -> Option<String>) -> Option<Found> {
    let date = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| list.get(*n))
            .and_then(|v| parse_date(v).ok())
    };
    if let Some(from) = date(&["validFrom", "issuanceDate"]).filter(|d| d.secs > now) {
        return Some(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the issuer's status list is not valid until {}.",
                crate::clock::date(from.secs)
            ),
            detail("status list not valid yet"),
        ));
    }
    if let Some(until) = date(&["validUntil", "expirationDate"]).filter(|d| d.secs <= now) {
        return Some(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the issuer's status list expired on {}.",
                crate::clock::date(until.secs)
            ),
            detail("status list expired"),
        ));
    }
    None
}

/// The list's subject (of type `subject_type`, for `purpose`) and its decoded
/// bits.
fn list_bits<'a>(
    list: &'a Value,
    subject_type: &str,
    purpose: &str,
    legacy: bool,
    detail: &dyn Fn(&str) -> Option<String>,
) -> Result<(&'a Value, Vec<u8>), Found> {
    let Some(subject) = list.get("credentialSubject").filter(|s| s.is_object()) else {
        return Err(fail(
            "The issuer's status list has no credentialSubject.".to_owned(),
            detail("no list"),
        ));
    };
    if !crate::detect::strings(subject.get("type")).contains(&subject_type) {
        return Err(fail(
            format!("The issuer's status list does not hold a {subject_type}."),
            detail(&format!(
                "credentialSubject type {}",
                crate::detect::strings(subject.get("type")).join(", ")
            )),
        ));
    }
    let list_purpose = subject.get("statusPurpose").and_then(Value::as_str);
    if list_purpose.is_some_and(|p| p != purpose) {
        return Err(fail(
            format!(
                "The status list is for {}, but the badge points to it for {purpose}.",
                list_purpose.unwrap_or("")
            ),
            detail("purposes differ"),
        ));
    }
    let Some(encoded) = subject.get("encodedList").and_then(Value::as_str) else {
        return Err(fail(
            "The issuer's status list has no encodedList.".to_owned(),
            detail("no encodedList"),
        ));
    };
    match decode_list(encoded, !legacy) {
        Ok(bits) => Ok((subject, bits)),
        Err(why) => Err(fail(
            common::sentence(&format!("the issuer's status list cannot be read: {why}")),
            detail(&why),
        )),
    }
}

/// What the badge's bit (`set` or not) in a list for `purpose` means.
fn status_of(set: bool, purpose: &str, detail: Option<String>) -> Found {
    match (set, purpose) {
        (false, "revocation" | "suspension") => pass(format!("The issuer has not {}ed this badge.", if purpose == "revocation" { "revok" } else { "suspend" }), detail),
        (false, other) => pass(format!("The issuer's status list ({other}) sets nothing for this badge."), detail),
        (true, "revocation") => Found {
            check: Check::fail(checks::STATUS, "The issuer revoked this badge.", detail),
            revoked: true,
            suspended: false,
        },
        (true, "suspension") => Found {
            check: Check::fail(checks::STATUS, SUSPENDED, detail),
            revoked: false,
            suspended: true,
        },
        (true, other) => Found {
            check: Check::warn(
                checks::STATUS,
                format!("The issuer's status list flags this badge for {other}; Satchel does not act on that purpose."),
                detail,
            ),
            revoked: false,
            suspended: false,
        },
    }
}

/// Checks the status list's own proof: valid, and made with a key its issuer's
/// documents list (the rule of [`crate::verify::proof::binding`]). `None` when
/// it was. The list's issuer may differ from the badge's (the badge, signed by
/// its issuer, names the list); the check's detail then names both.
fn list_signer(
    list: &Value,
    copy: &SharedDoc,
    fetch: &dyn Fetch,
    now: i64,
    detail: &dyn Fn(&str) -> Option<String>,
) -> Option<Found> {
    let proof = list_proof(list, copy, fetch, now);
    let key = match proof.outcome {
        Outcome::Valid => proof.valid.and_then(|v| v.key),
        Outcome::Invalid => {
            return Some(fail(
                "The issuer's status list does not verify: it was changed after it was signed, so it cannot be trusted."
                    .to_owned(),
                detail(&proof.detail),
            ))
        }
        Outcome::Unverifiable => {
            return Some(skip(
                format!(
                    "Satchel could not check whether the badge was revoked: {}",
                    lower_first(&proof.message)
                ),
                detail(&proof.detail),
            ))
        }
    };
    signer_bound(list, key, fetch, detail)
}

/// A status list's proof check, kept with the fetched copy of the list it was
/// made on (one per copy and `now`), and the documents it fetched.
#[derive(Default)]
struct ListProof(Mutex<Option<(i64, Arc<Checked>)>>);

/// A proof check and the addresses it fetched.
type Checked = (integrity::ProofsResult, Vec<String>);

/// The proof check of a status list, made once per run: 10,000 badges that
/// share a list (and an award's baked badge and VC-JWT) check its proof once.
/// The result depends only on the list's bytes (the shared copy), `now`, and
/// the documents the check fetched through `fetch`, which a fetcher that
/// shares copies (see [`Fetch::get_shared`]) answers the same for the whole
/// run; a fetcher that does not share gives a fresh copy, so nothing is
/// reused. When the result is reused, the documents it fetched are asked for
/// again, so a fetcher that notes each badge's documents notes them.
fn list_proof(
    list: &Value,
    copy: &SharedDoc,
    fetch: &dyn Fetch,
    now: i64,
) -> integrity::ProofsResult {
    let memo = copy.derive(|_| ListProof::default());
    let kept = memo
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    if let Some((_, done)) = kept.filter(|(at, _)| *at == now) {
        for url in &done.1 {
            let _ = fetch.get_shared(url);
        }
        return done.0.clone();
    }
    let noting = Noting {
        inner: fetch,
        urls: Mutex::new(Vec::new()),
    };
    let proof = integrity::check(list, super::issuer_id(list), &noting, now);
    let urls = noting
        .urls
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    *memo.0.lock().unwrap_or_else(PoisonError::into_inner) =
        Some((now, Arc::new((proof.clone(), urls))));
    proof
}

/// A fetcher that notes the addresses asked of it.
struct Noting<'a> {
    inner: &'a dyn Fetch,
    urls: Mutex<Vec<String>>,
}

impl Noting<'_> {
    fn note(&self, url: &str) {
        self.urls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(url.to_owned());
    }
}

impl Fetch for Noting<'_> {
    fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        self.note(url);
        self.inner.get(url)
    }

    fn get_shared(&self, url: &str) -> Result<Arc<SharedDoc>, FetchError> {
        self.note(url);
        self.inner.get_shared(url)
    }
}

/// Checks a status list published as a VC-JWT: its signature, and that its
/// key is its issuer's (the same rule as every proof). `None` when it is.
fn jwt_list_signer(
    jws: &crate::jws::CompactJws,
    claims: &Value,
    list: &Value,
    fetch: &dyn Fetch,
    detail: &dyn Fn(&str) -> Option<String>,
) -> Option<Found> {
    let r = crate::verify::proof::jwt::check(jws, claims, fetch);
    match r.outcome {
        Outcome::Valid => signer_bound(list, r.key, fetch, detail),
        Outcome::Invalid => Some(fail(
            "The issuer's status list does not verify: it was changed after it was signed, so it cannot be trusted."
                .to_owned(),
            detail(&format!("VC-JWT status list: {}", r.message)),
        )),
        Outcome::Unverifiable => Some(skip(
            format!(
                "Satchel could not check whether the badge was revoked: the status list's {}",
                lower_first(r.message.trim_start_matches("Satchel could not check the "))
            ),
            detail(&r.detail),
        )),
    }
}

/// The key binding of a status list's valid signature, as a finished check
/// when the issuer's documents do not list the key or cannot be asked.
fn signer_bound(
    list: &Value,
    key: Option<crate::verify::proof::keys::ResolvedKey>,
    fetch: &dyn Fetch,
    detail: &dyn Fn(&str) -> Option<String>,
) -> Option<Found> {
    let Some(key) = key else {
        return Some(skip(
            "Satchel could not check whether the badge was revoked: the status list's signing key is unknown.".to_owned(),
            detail("no key"),
        ));
    };
    let (outcome, message, why) = super::issuer_key(list, &key, fetch);
    match outcome {
        Outcome::Valid => None,
        Outcome::Invalid => Some(fail(
            format!(
                "The issuer's status list cannot be trusted: {}",
                lower_first(&message)
            ),
            detail(&why),
        )),
        Outcome::Unverifiable => Some(skip(
            format!(
                "Satchel could not check whether the badge was revoked: {}",
                lower_first(&message)
            ),
            detail(&why),
        )),
    }
}

/// Pushes the `status` check(s) of `cred`; sets `report.revoked` when the
/// issuer revoked it, `report.suspended` when the issuer suspended it.
pub(super) fn check(cred: &Value, fetch: &dyn Fetch, now: i64, report: &mut Report) {
    let entries: Vec<&Value> = match cred.get("credentialStatus") {
        None | Some(Value::Null) => {
            report.push(Check::pass(
                checks::STATUS,
                "The issuer publishes no revocation status for this badge.",
                None,
            ));
            return;
        }
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    };
    for entry in entries.iter().take(MAX_ENTRIES) {
        let ty = crate::detect::strings(entry.get("type"));
        let found = if ty.contains(&"1EdTechRevocationList") {
            revocation_list(entry, cred, fetch, now)
        } else if ty.contains(&"BitstringStatusListEntry") {
            status_list(entry, cred, fetch, now, false)
        } else if ty.contains(&"StatusList2021Entry") {
            status_list(entry, cred, fetch, now, true)
        } else {
            let name = if ty.is_empty() {
                "(no type)".to_owned()
            } else {
                ty.join(", ")
            };
            skip(
                format!("The badge's status is unknown: it uses the status method {name}, which Satchel does not know."),
                entry.get("id").and_then(Value::as_str).map(str::to_owned),
            )
        };
        report.revoked |= found.revoked;
        report.suspended |= found.suspended;
        report.push(found.check);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_most_significant_first() {
        let list = [0b1010_0000u8, 0x01];
        assert_eq!(bit(&list, 0), Some(true));
        assert_eq!(bit(&list, 1), Some(false));
        assert_eq!(bit(&list, 2), Some(true));
        assert_eq!(bit(&list, 15), Some(true));
        assert_eq!(bit(&list, 16), None);
        assert_eq!(bit(&list, u64::MAX), None);
    }

    #[test]
    fn dcc_list_decodes() {
        let bits = decode_list(
            "uH4sIAAAAAAAAA-3BMQEAAAwCoGUx6aLbwgvIHwAAAAAAAAAAAAAAwFwBZnztF9QwAAA",
            true,
        )
        .unwrap();
        assert_eq!(bits.len(), 12_500);
        let set: Vec<u64> = (0..100_000)
            .filter(|i| bit(&bits, *i) == Some(true))
            .collect();
        assert_eq!(set, vec![2, 6, 8]);
        assert!(decode_list(
            "H4sIAAAAAAAAA-3BMQEAAAwCoGUx6aLbwgvIHwAAAAAAAAAAAAAAwFwBZnztF9QwAAA",
            true
        )
        .is_err());
        assert!(decode_list(
            "H4sIAAAAAAAAA-3BMQEAAAwCoGUx6aLbwgvIHwAAAAAAAAAAAAAAwFwBZnztF9QwAAA",
            false
        )
        .is_ok());
        assert!(decode_list("uH4sIAAAAAAAAA-I-CHANGED-THISAAwFwBZnztF9QwAAA", true).is_err());
    }

    #[test]
    fn a_gzip_bomb_is_capped() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![0u8; MAX_LIST_BYTES + 10]).unwrap();
        let zipped = gz.finish().unwrap();
        use base64::Engine;
        let text = format!(
            "u{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(zipped)
        );
        assert!(decode_list(&text, true).unwrap_err().contains("larger"));
    }
}
