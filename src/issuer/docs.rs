//! The documents an issuer publishes and awards, built from its records.
//! Pure: no clock (every time comes from a record), no randomness, no IO;
//! the same records give the same JSON, key for key.
//!
//! Paths under the base URL: `issuer.json` (OB 2.0 Profile), `profile.json`
//! (OB 3.0 Profile, when the issuer is named by URL), `did.json` or
//! `.well-known/did.json` (when named by did:web), `keys/<name>.json`
//! (CryptographicKey or Multikey), `revocations.json` (OB 2.0
//! RevocationList), `status/revocation.json` and `status/suspension.json`
//! (Bitstring Status List credentials), `classes/<n>.json` (BadgeClass or
//! Achievement), `classes/<n>.html`, `images/…`, `assertions/<uid>.json`
//! (hosted OB 2.0 assertions).

use super::{Identity, IssuerError, Ob3Id};
use crate::clock::rfc3339;
use crate::store::{AwardRecord, ClassRecord, IssuerRecord, KeyRecord};
use serde_json::{json, Map, Value};

/// The OB 2.0 Profile.
pub const OB2_PROFILE: &str = "issuer.json";
/// The OB 3.0 Profile (issuers named by URL).
pub const OB3_PROFILE: &str = "profile.json";
/// The OB 2.0 RevocationList.
pub const REVOCATIONS: &str = "revocations.json";

const OB2_CONTEXT: &str = "https://w3id.org/openbadges/v2";
const VC2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Defines `1EdTechJsonSchemaValidator2019` (the `credentialSchema` type).
const OB3_EXTENSIONS: &str = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";
const MULTIKEY_CONTEXT: &str = "https://w3id.org/security/multikey/v1";
const DID_CONTEXT: &str = "https://www.w3.org/ns/did/v1";
/// The 1EdTech JSON Schema every OB 3.0 credential names.
pub const OB3_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// The two OB 3.0 status purposes.
pub const PURPOSES: [&str; 2] = ["revocation", "suspension"];

/// `keys/<name>.json`.
pub fn key_path(name: &str) -> String {
    format!("keys/{name}.json")
}

/// `status/<purpose>.json`.
pub fn status_path(purpose: &str) -> String {
    format!("status/{purpose}.json")
}

/// `classes/<n>.json`.
pub fn class_path(id: i64) -> String {
    format!("classes/{id}.json")
}

/// `classes/<n>.html`, the criteria page.
pub fn class_page(id: i64) -> String {
    format!("classes/{id}.html")
}

/// `assertions/<uid>.json`.
pub fn assertion_path(uid: &str) -> String {
    format!("assertions/{uid}.json")
}

fn ext(media_type: &str) -> &'static str {
    if media_type == "image/svg+xml" {
        "svg"
    } else {
        "png"
    }
}

/// `images/class-<n>.png|svg`.
pub fn class_image(c: &ClassRecord) -> String {
    format!("images/class-{}.{}", c.id, ext(&c.image_type))
}

/// `images/issuer.png|svg`, when the issuer has an image.
pub fn issuer_image(i: &IssuerRecord) -> Option<String> {
    i.image_type
        .as_deref()
        .filter(|_| i.image.is_some())
        .map(|t| format!("images/issuer.{}", ext(t)))
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<impl Into<Value>>) {
    if let Some(v) = value {
        map.insert(key.to_owned(), v.into());
    }
}

fn non_empty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.trim().is_empty())
}

/// The OB 2.0 Profile: `publicKey` lists every RSA key (retired ones too),
/// `revocationList` the RevocationList.
pub fn ob2_profile(i: &IssuerRecord, id: &Identity, keys: &[KeyRecord]) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), OB2_CONTEXT.into());
    m.insert("type".into(), "Issuer".into());
    m.insert("id".into(), id.ob2_profile().into());
    m.insert("name".into(), i.name.clone().into());
    m.insert("url".into(), i.url.clone().into());
    m.insert("email".into(), i.email.clone().into());
    put(&mut m, "description", non_empty(&i.description));
    put(&mut m, "image", issuer_image(i).map(|p| id.url(&p)));
    let rsa: Vec<Value> = keys
        .iter()
        .filter(|k| k.algorithm == "rsa")
        .map(|k| id.url(&key_path(&k.name)).into())
        .collect();
    if !rsa.is_empty() {
        m.insert("publicKey".into(), rsa.into());
    }
    m.insert("revocationList".into(), id.url(REVOCATIONS).into());
    Value::Object(m)
}

/// An OB 2.0 CryptographicKey owned by the issuer's profile.
pub fn ob2_key(id: &Identity, k: &KeyRecord) -> Value {
    json!({
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": id.url(&key_path(&k.name)),
        "owner": id.ob2_profile(),
        "publicKeyPem": k.public_key,
    })
}

/// The OB 2.0 RevocationList: every revoked OB 2.0 award (hosted ones too,
/// since a static host cannot answer 410 and verifiers read the list).
pub fn ob2_revocations(id: &Identity, revoked: &[(String, String)]) -> Value {
    let list: Vec<Value> = revoked
        .iter()
        .map(|(aid, reason)| json!({"id": aid, "revocationReason": reason}))
        .collect();
    json!({
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": id.url(REVOCATIONS),
        "issuer": id.ob2_profile(),
        "revokedAssertions": list,
    })
}

fn criteria_url(id: &Identity, c: &ClassRecord) -> String {
    c.criteria_url
        .clone()
        .unwrap_or_else(|| id.url(&class_page(c.id)))
}

/// The OB 2.0 BadgeClass.
pub fn ob2_class(id: &Identity, c: &ClassRecord) -> Value {
    let mut criteria = Map::new();
    criteria.insert("id".into(), criteria_url(id, c).into());
    put(&mut criteria, "narrative", non_empty(&c.criteria));
    let mut m = Map::new();
    m.insert("@context".into(), OB2_CONTEXT.into());
    m.insert("type".into(), "BadgeClass".into());
    m.insert("id".into(), id.url(&class_path(c.id)).into());
    m.insert("name".into(), c.name.clone().into());
    m.insert("description".into(), c.description.clone().into());
    m.insert("image".into(), id.url(&class_image(c)).into());
    m.insert("criteria".into(), Value::Object(criteria));
    m.insert("issuer".into(), id.ob2_profile().into());
    if !c.tags.is_empty() {
        m.insert("tags".into(), c.tags.clone().into());
    }
    if !c.alignments.is_empty() {
        m.insert("alignment".into(), c.alignments.clone().into());
    }
    Value::Object(m)
}

/// The OB 2.0 recipient object of an award.
fn ob2_recipient(a: &AwardRecord) -> Value {
    let kind = match a.recipient_kind.as_str() {
        "telephone" => "telephone",
        "url" => "url",
        _ => "email",
    };
    if a.hashed {
        json!({
            "type": kind,
            "hashed": true,
            "salt": a.salt.clone().unwrap_or_default(),
            "identity": hashed_identity(a),
        })
    } else {
        json!({"type": kind, "hashed": false, "identity": a.recipient})
    }
}

/// `sha256$…` of the award's identity and salt.
pub fn hashed_identity(a: &AwardRecord) -> String {
    crate::model::recipient::hash_identity(
        crate::model::recipient::HashAlg::Sha256,
        &a.recipient,
        a.salt.as_deref(),
    )
}

/// The id of an OB 2.0 award: its hosted URL, or `urn:uuid:` when signed.
pub fn ob2_assertion_id(id: &Identity, a: &AwardRecord, hosted: bool) -> String {
    if hosted {
        id.url(&assertion_path(&a.uid))
    } else {
        format!("urn:uuid:{}", a.uid)
    }
}

fn ob2_evidence(a: &AwardRecord) -> Option<Value> {
    if a.evidence_url.is_none() && a.evidence_narrative.is_none() {
        return None;
    }
    let mut e = Map::new();
    put(&mut e, "id", a.evidence_url.clone());
    put(&mut e, "narrative", a.evidence_narrative.clone());
    Some(Value::Array(vec![Value::Object(e)]))
}

/// An OB 2.0 Assertion: hosted (`verification.type` hosted), or signed by
/// the RSA key `key` (`verification.creator` its URL).
pub fn ob2_assertion(
    id: &Identity,
    c: &ClassRecord,
    a: &AwardRecord,
    signed_by: Option<&str>,
) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), OB2_CONTEXT.into());
    m.insert("type".into(), "Assertion".into());
    m.insert(
        "id".into(),
        ob2_assertion_id(id, a, signed_by.is_none()).into(),
    );
    m.insert("recipient".into(), ob2_recipient(a));
    m.insert("badge".into(), id.url(&class_path(c.id)).into());
    m.insert("issuedOn".into(), rfc3339(a.issued_on).into());
    put(&mut m, "expires", a.expires.map(rfc3339));
    put(&mut m, "narrative", a.narrative.clone());
    put(&mut m, "evidence", ob2_evidence(a));
    let verification = match signed_by {
        None => json!({"type": "hosted"}),
        Some(key) => json!({"type": "signed", "creator": id.url(&key_path(key))}),
    };
    m.insert("verification".into(), verification);
    Value::Object(m)
}

/// A hosted assertion in its revoked form: `revoked: true` and the reason.
pub fn ob2_revoked(assertion: &Value, reason: &str) -> Value {
    let mut v = assertion.clone();
    if let Value::Object(m) = &mut v {
        m.insert("revoked".into(), true.into());
        m.insert("revocationReason".into(), reason.into());
    }
    v
}

fn image_object(url: String) -> Value {
    json!({"id": url, "type": "Image"})
}

/// The OB 3.0 Profile embedded in credentials (and published at
/// `profile.json` for an issuer named by URL, with its keys under
/// `assertionMethod`).
pub fn ob3_profile(i: &IssuerRecord, id: &Identity, keys: &[KeyRecord], published: bool) -> Value {
    let mut m = Map::new();
    if published {
        m.insert(
            "@context".into(),
            json!([VC2_CONTEXT, OB3_CONTEXT, DID_CONTEXT]),
        );
    }
    m.insert("id".into(), id.ob3_issuer().into());
    m.insert("type".into(), json!(["Profile"]));
    m.insert("name".into(), i.name.clone().into());
    m.insert("url".into(), i.url.clone().into());
    m.insert("email".into(), i.email.clone().into());
    put(&mut m, "description", non_empty(&i.description));
    put(
        &mut m,
        "image",
        issuer_image(i).map(|p| image_object(id.url(&p))),
    );
    if published {
        m.insert("assertionMethod".into(), ed25519_ids(id, keys).into());
    }
    Value::Object(m)
}

/// The Ed25519 keys' verification method ids, current key first.
fn ed25519_ids(id: &Identity, keys: &[KeyRecord]) -> Vec<Value> {
    ed25519_current_first(keys)
        .into_iter()
        .map(|k| id.ob3_key_id(&k.name).into())
        .collect()
}

fn ed25519_current_first(keys: &[KeyRecord]) -> Vec<&KeyRecord> {
    let mut ed: Vec<&KeyRecord> = keys.iter().filter(|k| k.algorithm == "ed25519").collect();
    ed.sort_by_key(|k| (k.retired.is_some(), std::cmp::Reverse(k.id)));
    ed
}

/// A Multikey document for an issuer named by URL: `controller` is the issuer.
pub fn multikey(id: &Identity, k: &KeyRecord) -> Value {
    json!({
        "@context": MULTIKEY_CONTEXT,
        "id": id.ob3_key_id(&k.name),
        "type": "Multikey",
        "controller": id.ob3_issuer(),
        "publicKeyMultibase": k.public_key,
    })
}

/// The did:web DID document: every Ed25519 key as a Multikey, each listed
/// under `assertionMethod`, the current key first.
pub fn did_document(id: &Identity, keys: &[KeyRecord]) -> Value {
    let did = id.did();
    let methods: Vec<Value> = ed25519_current_first(keys)
        .into_iter()
        .map(|k| {
            json!({
                "id": id.ob3_key_id(&k.name),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k.public_key,
            })
        })
        .collect();
    json!({
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ed25519_ids(id, keys),
    })
}

/// The OB 3.0 Achievement of a class (also published at its id).
pub fn achievement(id: &Identity, c: &ClassRecord) -> Value {
    let mut criteria = Map::new();
    criteria.insert("id".into(), criteria_url(id, c).into());
    put(&mut criteria, "narrative", non_empty(&c.criteria));
    let mut m = Map::new();
    m.insert("id".into(), id.url(&class_path(c.id)).into());
    m.insert("type".into(), json!(["Achievement"]));
    m.insert("name".into(), c.name.clone().into());
    m.insert("description".into(), c.description.clone().into());
    m.insert("criteria".into(), Value::Object(criteria));
    m.insert("image".into(), image_object(id.url(&class_image(c))));
    put(&mut m, "achievementType", c.achievement_type.clone());
    if !c.tags.is_empty() {
        m.insert("tag".into(), c.tags.clone().into());
    }
    if !c.alignments.is_empty() {
        // Stored in the OB 2.0 shape; OB 3.0 names the type.
        let typed: Vec<Value> = c
            .alignments
            .iter()
            .map(|a| {
                let mut a = a.clone();
                if let Some(o) = a.as_object_mut() {
                    o.entry("type").or_insert_with(|| json!(["Alignment"]));
                }
                a
            })
            .collect();
        m.insert("alignment".into(), typed.into());
    }
    Value::Object(m)
}

/// The published form of an OB 3.0 Achievement (with its contexts).
pub fn achievement_document(id: &Identity, c: &ClassRecord) -> Value {
    let mut a = achievement(id, c);
    if let Value::Object(m) = &mut a {
        let mut out = Map::new();
        out.insert("@context".into(), json!([VC2_CONTEXT, OB3_CONTEXT]));
        out.append(m);
        return Value::Object(out);
    }
    a
}

/// The OB 3.0 recipient: a DID as the subject's `id`, anything else as a
/// (hashed) IdentityObject.
fn ob3_subject(id: &Identity, c: &ClassRecord, a: &AwardRecord) -> Value {
    let mut m = Map::new();
    if a.recipient_kind == "did" {
        m.insert("id".into(), a.recipient.clone().into());
    }
    m.insert("type".into(), json!(["AchievementSubject"]));
    if a.recipient_kind != "did" {
        let kind = match a.recipient_kind.as_str() {
            "email" => "emailAddress",
            "url" => "identifier",
            _ => "identifier",
        };
        let mut o = Map::new();
        o.insert("type".into(), "IdentityObject".into());
        if a.hashed {
            o.insert("identityHash".into(), hashed_identity(a).into());
        } else {
            o.insert("identityHash".into(), a.recipient.clone().into());
        }
        o.insert("identityType".into(), kind.into());
        o.insert("hashed".into(), a.hashed.into());
        put(&mut o, "salt", a.salt.clone().filter(|_| a.hashed));
        m.insert("identifier".into(), json!([Value::Object(o)]));
    }
    m.insert("achievement".into(), achievement(id, c));
    put(&mut m, "narrative", a.narrative.clone());
    Value::Object(m)
}

/// One status entry of an OB 3.0 credential.
pub fn status_entry(id: &Identity, purpose: &str, index: u64) -> Value {
    let list = id.url(&status_path(purpose));
    json!({
        "id": format!("{list}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": index.to_string(),
        "statusListCredential": list,
    })
}

/// The unsigned OB 3.0 credential of an award, with its status entries
/// (`(purpose, index)`).
pub fn ob3_credential(
    i: &IssuerRecord,
    id: &Identity,
    c: &ClassRecord,
    a: &AwardRecord,
    status: &[(&str, u64)],
) -> Value {
    let mut m = Map::new();
    m.insert(
        "@context".into(),
        json!([VC2_CONTEXT, OB3_CONTEXT, OB3_EXTENSIONS]),
    );
    m.insert("id".into(), format!("urn:uuid:{}", a.uid).into());
    m.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    m.insert("name".into(), c.name.clone().into());
    m.insert("issuer".into(), ob3_profile(i, id, &[], false));
    m.insert("validFrom".into(), rfc3339(a.issued_on).into());
    put(&mut m, "validUntil", a.expires.map(rfc3339));
    m.insert("credentialSubject".into(), ob3_subject(id, c, a));
    if a.evidence_url.is_some() || a.evidence_narrative.is_some() {
        let mut e = Map::new();
        put(&mut e, "id", a.evidence_url.clone());
        e.insert("type".into(), json!(["Evidence"]));
        put(&mut e, "narrative", a.evidence_narrative.clone());
        m.insert("evidence".into(), json!([Value::Object(e)]));
    }
    m.insert(
        "credentialSchema".into(),
        json!([{"id": OB3_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}]),
    );
    let entries: Vec<Value> = status
        .iter()
        .map(|(p, idx)| status_entry(id, p, *idx))
        .collect();
    match entries.len() {
        0 => {}
        1 => {
            m.insert("credentialStatus".into(), entries[0].clone());
        }
        _ => {
            m.insert("credentialStatus".into(), entries.into());
        }
    }
    Value::Object(m)
}

/// The unsigned Bitstring Status List credential of `purpose`, valid from
/// `valid_from` (the time of the last change to it).
pub fn status_list(
    id: &Identity,
    purpose: &str,
    encoded: &str,
    valid_from: i64,
) -> Result<Value, IssuerError> {
    let url = id.url(&status_path(purpose));
    Ok(json!({
        "@context": [VC2_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": id.ob3_issuer(),
        "validFrom": rfc3339(valid_from),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded,
        },
    }))
}

/// The proof options of an `eddsa-rdfc-2022` proof made at `created` with
/// the Ed25519 key `name`.
pub fn proof_options(id: &Identity, name: &str, created: i64) -> Value {
    json!({
        "created": rfc3339(created),
        "verificationMethod": id.ob3_key_id(name),
        "proofPurpose": "assertionMethod",
    })
}

/// The JWT claims of a VC-JWT (VCDM 2.0 style: the credential itself plus
/// `iss`, `jti`, `nbf`, `exp`, `sub`).
pub fn jwt_claims(credential: &Value, a: &AwardRecord) -> Value {
    let mut v = credential.clone();
    if let Value::Object(m) = &mut v {
        m.remove("proof");
        if let Some(iss) = credential.pointer("/issuer/id").cloned() {
            m.insert("iss".into(), iss);
        }
        if let Some(jti) = credential.get("id").cloned() {
            m.insert("jti".into(), jti);
        }
        m.insert("nbf".into(), a.issued_on.into());
        put(m, "exp", a.expires);
        if a.recipient_kind == "did" {
            m.insert("sub".into(), a.recipient.clone().into());
        }
    }
    v
}

/// Whether an issuer named by URL (and not a DID).
pub fn named_by_url(id: &Identity) -> bool {
    id.ob3 == Ob3Id::Url
}
