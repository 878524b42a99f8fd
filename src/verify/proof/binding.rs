//! Is the key that signed a credential the issuer's own?
//!
//! A valid signature says the credential is intact and who holds the key. It
//! says nothing about the issuer until a document the issuer controls lists
//! that key. One rule for every proof (Data Integrity, VC-JWT, and the proofs
//! of status lists):
//!
//! | issuer id | the document asked | the key counts when |
//! |---|---|---|
//! | `did:key:z…` | none: the key is the identifier | the signing key *is* that did:key |
//! | `did:web:…` | its DID document (`did.json`) | it is listed under `assertionMethod` |
//! | `https://…` | the profile fetched from the issuer id | it is listed under `assertionMethod` (or `publicKey`, the 1EdTech profile property) |
//! | anything else (`urn:uuid:…`) | none exists | never: "could not check" |
//!
//! "Listed" means an entry of that list names the key by the reference the
//! proof used (the `verificationMethod` or `kid`, relative `#frag` entries
//! resolved against the document's id), or carries the same public key
//! (`publicKeyMultibase`, `publicKeyJwk`, `publicKeyBase58`, or a did:key /
//! key-in-fragment id), compared by key bytes, not by spelling.
//!
//! What proves integrity only, never the issuer: a key document's own
//! `controller` claim, a key in a JWT `jwk` header, a controller-less JWK set,
//! a did:key `kid` for an https issuer, and an issuer URL with a key in its
//! fragment (the 1EdTech sample convention; the 1EdTech validator accepts that
//! form without asking the issuer, Satchel asks the issuer's profile).
//!
//! Outcomes: listed (pass), the issuer's document is at hand and does not list
//! the key (invalid), the document cannot be had (could not check).

use super::keys::{self, KeyMaterial, ResolvedKey};
use crate::fetch::Fetch;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// What the issuer's own documents say about a signing key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    /// A document the issuer controls lists the key (how, in words).
    Listed(String),
    /// The issuer is a did:key and the key is that did:key: the issuer is
    /// identified by the key alone.
    SelfKey,
    /// The issuer's document is at hand and does not list the key (why).
    NotListed(String),
    /// The issuer's document could not be had, or cannot exist (why).
    Unconfirmed(String),
}

/// A public key reduced to comparable bytes: the algorithm and its canonical
/// encoding (raw Ed25519, compressed EC point, RSA modulus and exponent).
fn fingerprint(material: &KeyMaterial) -> Option<(&'static str, Vec<u8>)> {
    match material {
        KeyMaterial::Ed25519(k) => Some(("ed25519", k.to_vec())),
        KeyMaterial::P256(p) => Some(("p256", p.clone())),
        KeyMaterial::P384(p) => Some(("p384", p.clone())),
        KeyMaterial::Jwk(j) => jwk_fingerprint(j),
    }
}

fn jwk_fingerprint(j: &Map<String, Value>) -> Option<(&'static str, Vec<u8>)> {
    let b64 = |k: &str| URL_SAFE_NO_PAD.decode(j.get(k)?.as_str()?).ok();
    match (
        j.get("kty")?.as_str()?,
        j.get("crv").and_then(Value::as_str),
    ) {
        ("OKP", Some("Ed25519")) => Some(("ed25519", b64("x")?)),
        ("EC", Some(crv @ ("P-256" | "P-384"))) => {
            let (x, y) = (b64("x")?, b64("y")?);
            let mut point = vec![2 + (y.last()? & 1)];
            point.extend(x);
            Some((if crv == "P-256" { "p256" } else { "p384" }, point))
        }
        ("RSA", _) => {
            let strip = |v: Vec<u8>| v.into_iter().skip_while(|b| *b == 0).collect::<Vec<u8>>();
            let (n, e) = (strip(b64("n")?), strip(b64("e")?));
            let mut out = (n.len() as u32).to_be_bytes().to_vec();
            out.extend(n);
            out.extend(e);
            Some(("rsa", out))
        }
        _ => None,
    }
}

/// The key an id carries in itself: a did:key, or a multikey in the fragment.
fn key_in_id(id: &str) -> Option<KeyMaterial> {
    let tail = id
        .strip_prefix("did:key:")
        .map(|rest| rest.split('#').next().unwrap_or(rest))
        .or_else(|| id.split_once('#').map(|(_, frag)| frag))?;
    keys::decode_multikey_material(tail).ok()
}

/// `#frag` against the document's id; anything else as written.
fn absolute(id: &str, base: &str) -> String {
    if id.starts_with('#') {
        format!("{}{id}", base.split('#').next().unwrap_or(base))
    } else {
        id.to_owned()
    }
}

/// Most key documents an issuer's document names by URL that are fetched to
/// compare their keys with the signing key.
const MAX_LISTED_DOCUMENTS: usize = 8;

/// Does `doc` (whose id is `base`) list `key` under one of `lists`? Entries
/// that only name another document by URL are fetched (a few) when nothing
/// else matched, so a key used under another name (a JWT `jwk` header) is
/// still recognized by its bytes.
fn lists_key(
    doc: &Map<String, Value>,
    base: &str,
    lists: &[&str],
    key: &ResolvedKey,
    fetch: &dyn Fetch,
) -> bool {
    let want = fingerprint(&key.material);
    let same = |m: &KeyMaterial| want.is_some() && fingerprint(m) == want;
    // Objects anywhere in the document's key lists, by absolute id, so a
    // string entry can point at a method described elsewhere in it.
    let described: Vec<&Map<String, Value>> =
        ["verificationMethod", "assertionMethod", "publicKey"]
            .iter()
            .flat_map(|k| entries(doc, k))
            .filter_map(Value::as_object)
            .collect();
    let by_reference = key.reference.contains(':');
    let mut elsewhere = Vec::new();
    let listed = lists.iter().flat_map(|k| entries(doc, k)).any(|entry| {
        let (id, object) = match entry {
            Value::String(s) => {
                let id = absolute(s, base);
                let object = described
                    .iter()
                    .find(|m| {
                        m.get("id")
                            .and_then(Value::as_str)
                            .map(|i| absolute(i, base))
                            == Some(id.clone())
                    })
                    .copied();
                (id, object)
            }
            Value::Object(m) => (
                absolute(m.get("id").and_then(Value::as_str).unwrap_or(""), base),
                Some(m),
            ),
            _ => return false,
        };
        if let Some(m) = object {
            // Described here: its key decides, whatever the reference says.
            return keys::key_of(m).is_ok_and(|k| same(&k))
                || (!has_key(m) && by_reference && id == key.reference);
        }
        if (by_reference && !id.is_empty() && id == key.reference)
            || key_in_id(&id).is_some_and(|k| same(&k))
        {
            return true;
        }
        if id.starts_with("https://") || id.starts_with("http://") {
            elsewhere.push(id);
        }
        false
    });
    listed
        || elsewhere.iter().take(MAX_LISTED_DOCUMENTS).any(|url| {
            let doc_url = url.split('#').next().unwrap_or(url);
            let Ok(found) = keys::fetch_json(fetch, doc_url, "a key the issuer lists") else {
                return false;
            };
            let named = found.get("id").and_then(Value::as_str);
            (named.is_none() || named == Some(url.as_str()))
                && keys::key_of(&found).is_ok_and(|k| same(&k))
        })
}

fn has_key(m: &Map<String, Value>) -> bool {
    [
        "publicKeyMultibase",
        "publicKeyJwk",
        "publicKeyBase58",
        "publicKeyPem",
    ]
    .iter()
    .any(|k| m.contains_key(*k))
}

fn entries<'a>(doc: &'a Map<String, Value>, key: &str) -> Vec<&'a Value> {
    match doc.get(key) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ (Value::Object(_) | Value::String(_))) => vec![v],
        _ => Vec::new(),
    }
}

/// Asks the issuer's own documents whether `key` is theirs. `issuer` is the
/// credential's issuer id.
pub(crate) fn confirm(issuer: Option<&str>, key: &ResolvedKey, fetch: &dyn Fetch) -> Binding {
    let Some(issuer) = issuer.map(str::trim).filter(|i| !i.is_empty()) else {
        return Binding::NotListed(
            "the credential names no issuer id, so nothing the issuer publishes can vouch for the key".to_owned(),
        );
    };
    if issuer.starts_with("did:key:") {
        let own = key_in_id(issuer);
        return match own {
            Some(own)
                if fingerprint(&own).is_some()
                    && fingerprint(&own) == fingerprint(&key.material) =>
            {
                Binding::SelfKey
            }
            Some(_) => Binding::NotListed(format!(
                "the issuer is the did:key {}, but the badge was signed with another key",
                short(issuer)
            )),
            None => Binding::NotListed(format!(
                "the issuer's did:key {} is malformed",
                short(issuer)
            )),
        };
    }
    if issuer.starts_with("did:web:") {
        let url = match keys::did_web_url(issuer) {
            Ok(u) => u,
            Err(why) => return Binding::NotListed(why),
        };
        let doc = match keys::fetch_json(fetch, &url, "the issuer's DID document") {
            Ok(d) => d,
            Err(e) => return Binding::Unconfirmed(e.reason()),
        };
        if doc.get("id").and_then(Value::as_str) != Some(issuer) {
            return Binding::NotListed(format!(
                "the DID document at {url} is not the document of {issuer}"
            ));
        }
        return if lists_key(&doc, issuer, &["assertionMethod"], key, fetch) {
            Binding::Listed(format!(
                "the issuer's DID document {url} lists the key under assertionMethod"
            ))
        } else {
            Binding::NotListed(format!(
                "the issuer's DID document {url} does not list the key {} under assertionMethod",
                short(&key.reference)
            ))
        };
    }
    if issuer.starts_with("did:") {
        let method = issuer.split(':').nth(1).unwrap_or("");
        return Binding::Unconfirmed(format!(
            "the issuer is a did:{method} DID, which Satchel cannot resolve (it knows did:key and did:web)"
        ));
    }
    match url::Url::parse(issuer) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => {}
        _ => {
            return Binding::Unconfirmed(format!(
                "the issuer is identified by {issuer}, which names no document that could list its keys"
            ))
        }
    }
    let doc = match keys::fetch_json(fetch, issuer, "the issuer's profile") {
        Ok(d) => d,
        Err(e) => return Binding::Unconfirmed(e.reason()),
    };
    let base = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or(issuer)
        .to_owned();
    if lists_key(&doc, &base, &["assertionMethod", "publicKey"], key, fetch) {
        Binding::Listed(format!(
            "the issuer's profile {issuer} lists the key (assertionMethod)"
        ))
    } else {
        Binding::NotListed(format!(
            "the issuer's profile {issuer} does not list the key {} (assertionMethod)",
            short(&key.reference)
        ))
    }
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(56).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::report::issuer_domain;

    #[test]
    fn domains_people_judge_by() {
        assert_eq!(
            issuer_domain("https://www.harvard.edu/issuers/med").as_deref(),
            Some("harvard.edu")
        );
        assert_eq!(
            issuer_domain("did:web:club.example:badges").as_deref(),
            Some("club.example")
        );
        assert_eq!(
            issuer_domain("did:web:localhost%3A8443").as_deref(),
            Some("localhost:8443")
        );
        assert_eq!(issuer_domain("did:key:z6Mk"), None);
        assert_eq!(issuer_domain("urn:uuid:1234"), None);
    }

    #[test]
    fn ec_jwk_and_multikey_compare_equal() {
        // The same P-256 point as a JWK and as a compressed multikey.
        let jwk: Map<String, Value> = serde_json::from_value(serde_json::json!({
            "kty": "EC", "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode([7u8; 32]),
            "y": URL_SAFE_NO_PAD.encode({ let mut y = [9u8; 32]; y[31] = 3; y }),
        }))
        .unwrap();
        let mut compressed = vec![3u8];
        compressed.extend([7u8; 32]);
        assert_eq!(
            fingerprint(&KeyMaterial::Jwk(jwk)),
            fingerprint(&KeyMaterial::P256(compressed))
        );
    }
}
