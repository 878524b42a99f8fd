//! Finding the public key a proof or a VC-JWT was made with.
//!
//! | reference | how |
//! |---|---|
//! | `did:key:z6Mk…` (bare, or `#z6Mk…`) | the key is the identifier: multicodec `0xed 0x01` + 32 bytes |
//! | `did:key:zDn…` / `z82…` | a P-256 / P-384 key: multicodec `0x80 0x24` / `0x81 0x24` + a compressed point (Data Integrity only) |
//! | `https://issuer#z6Mk…` or `#zDn…` (any non-DID URI) | the 1EdTech shortcut: the fragment is the key (Ed25519 or P-256); the part before `#` must be the issuer id |
//! | `did:web:host[:path]#frag` | fetch `https://host/.well-known/did.json` or `https://host/path/did.json` |
//! | `https://…` (other) | fetch: a key document, a controller document, a JWK or a JWK set |
//! | JWT `jwk` header | used as is (never with a private part `d`) |
//! | JWT `kid` | a DID URL or URL as above; a bare `#frag` is relative to `iss` |
//!
//! A key that names a controller other than the issuer is refused at once (the
//! DID of a did:web key, the `controller` of an https key document, the part
//! before `#` of a key-in-fragment reference). A controller that *is* the
//! issuer proves nothing yet: whether the issuer's own documents list the key
//! is decided by [`super::binding`], for every kind of key alike.
//!
//! A key that cannot be fetched is "could not check" ([`KeyError::Unresolvable`]);
//! a reference that can never name a usable key is [`KeyError::Invalid`].

use crate::fetch::Fetch;
pub(crate) use crate::keys::{decode_multikey_material, key_of, KeyMaterial};
use serde_json::{Map, Value};

/// Most bytes of a DID or key document Satchel reads.
const MAX_KEY_DOCUMENT_BYTES: usize = 1024 * 1024;

/// Where a key came from and what it proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResolvedKey {
    /// The key.
    pub material: KeyMaterial,
    /// The key reference as written (verification method or `kid`), or "the JWT header".
    pub reference: String,
    /// How it was found, in words, for the check's detail.
    pub how: String,
}

/// Why no key could be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// The key could not be fetched (network, offline, server error): not evidence of anything.
    Unresolvable(String),
    /// The reference cannot name a usable key, or names one that is not the issuer's.
    Invalid(String),
}

impl KeyError {
    /// Why, in words.
    pub(crate) fn reason(&self) -> String {
        match self {
            KeyError::Unresolvable(why) | KeyError::Invalid(why) => why.clone(),
        }
    }
}

fn short(key: &str) -> String {
    if key.chars().count() > 24 {
        format!("{}…", key.chars().take(20).collect::<String>())
    } else {
        key.to_owned()
    }
}

/// Splits `did:key:z…[#frag]` into the key (Ed25519, P-256 or P-384).
fn did_key(reference: &str) -> Result<KeyMaterial, KeyError> {
    let rest = &reference["did:key:".len()..];
    let (id, frag) = rest.split_once('#').unwrap_or((rest, ""));
    let key = decode_multikey_material(id)
        .map_err(|e| KeyError::Invalid(format!("the did:key is malformed: {e}")))?;
    if !frag.is_empty() && frag != id {
        return Err(KeyError::Invalid(format!(
            "the did:key fragment #{frag} does not name the did:key's own key"
        )));
    }
    Ok(key)
}

/// The https URL of a did:web DID document (`did:web:host[:path]`, `%3A` for a port).
pub(crate) fn did_web_url(did: &str) -> Result<String, String> {
    let msid = did
        .strip_prefix("did:web:")
        .ok_or_else(|| format!("{did} is not a did:web"))?;
    let msid = msid.split(['#', '?']).next().unwrap_or("");
    let mut parts = msid.split(':');
    let host = parts
        .next()
        .unwrap_or("")
        .replace("%3A", ":")
        .replace("%3a", ":");
    let ok_host = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !ok_host {
        return Err(format!("{did} does not name a valid host"));
    }
    let path: Vec<String> = parts.map(|p| p.to_owned()).collect();
    if path
        .iter()
        .any(|p| p.is_empty() || p.contains('/') || p == ".." || p == ".")
    {
        return Err(format!("{did} has an invalid path"));
    }
    let url = if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", path.join("/"))
    };
    url::Url::parse(&url).map_err(|_| format!("{did} does not name a valid host"))?;
    Ok(url)
}

/// Fetches `url` and parses it as a JSON object.
pub(crate) fn fetch_json(
    fetch: &dyn Fetch,
    url: &str,
    what: &str,
) -> Result<Map<String, Value>, KeyError> {
    let got = fetch
        .get(url)
        .map_err(|e| KeyError::Unresolvable(format!("could not fetch {what} {url}: {e}")))?;
    if !(200..300).contains(&got.status) {
        return Err(KeyError::Unresolvable(format!(
            "{what} {url} answered HTTP {}",
            got.status
        )));
    }
    if got.body.len() > MAX_KEY_DOCUMENT_BYTES {
        return Err(KeyError::Unresolvable(format!("{what} {url} is too large")));
    }
    match serde_json::from_slice::<Value>(&got.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(KeyError::Unresolvable(format!(
            "{what} {url} is not a JSON object"
        ))),
    }
}

/// The key of one verification method object.
/// Is `entry` (an id string or an object with `id`) the method `want` of document `base`?
fn names(entry: &Value, want: &str, base: &str) -> bool {
    let id = match entry {
        Value::String(s) => s.as_str(),
        Value::Object(m) => m.get("id").and_then(Value::as_str).unwrap_or(""),
        _ => return false,
    };
    id == want || (id.starts_with('#') && format!("{base}{id}") == want)
}

fn entries<'a>(doc: &'a Map<String, Value>, key: &str) -> Vec<&'a Value> {
    match doc.get(key) {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v @ (Value::Object(_) | Value::String(_))) => vec![v],
        _ => Vec::new(),
    }
}

/// Finds verification method `want` in a DID / controller document whose id is `base`,
/// and checks that it may be used for assertions: a DID document must list it
/// under `assertionMethod`; a controller document must when it has that list.
fn find_method(
    doc: &Map<String, Value>,
    want: &str,
    base: &str,
    did: bool,
) -> Result<Map<String, Value>, KeyError> {
    let assertion = entries(doc, "assertionMethod");
    let listed = assertion.iter().any(|e| names(e, want, base));
    let method = ["verificationMethod", "assertionMethod", "publicKey"]
        .iter()
        .flat_map(|k| entries(doc, k))
        .find_map(|e| match e {
            Value::Object(m) if names(e, want, base) => Some(m.clone()),
            _ => None,
        });
    match method {
        None => Err(KeyError::Invalid(format!("the document {base} does not list the key {want}"))),
        Some(_) if !listed && (did || doc.contains_key("assertionMethod")) => Err(KeyError::Invalid(format!(
            "the document {base} does not allow the key {want} to sign credentials (it is not an assertionMethod)"
        ))),
        Some(m) => Ok(m),
    }
}

/// Resolves a `did:web` DID URL to its key.
fn did_web(reference: &str, fetch: &dyn Fetch) -> Result<ResolvedKey, KeyError> {
    let did = reference.split('#').next().unwrap_or(reference);
    let url = did_web_url(did).map_err(KeyError::Invalid)?;
    let doc = fetch_json(fetch, &url, "the DID document")?;
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(KeyError::Invalid(format!(
            "the DID document at {url} is not the document of {did}"
        )));
    }
    let want = if reference.contains('#') {
        reference.to_owned()
    } else {
        // A bare DID: its only assertion key, if there is exactly one.
        let all = entries(&doc, "assertionMethod");
        match all.as_slice() {
            [one] => match one {
                Value::String(s) => s.clone(),
                Value::Object(m) => m.get("id").and_then(Value::as_str).unwrap_or("").to_owned(),
                _ => String::new(),
            },
            _ => {
                return Err(KeyError::Invalid(format!(
                    "{did} does not say which of its keys signed"
                )))
            }
        }
    };
    let method = find_method(&doc, &want, did, true)?;
    let material = key_of(&method).map_err(|e| KeyError::Invalid(format!("{want}: {e}")))?;
    Ok(ResolvedKey {
        material,
        reference: reference.to_owned(),
        how: format!("the key {want} from the DID document {url}"),
    })
}

/// Resolves an http(s) key URL: a key document, a controller document, a JWK
/// or a JWK set. Also returns the key's controller, when the document names one.
fn https_document(
    reference: &str,
    fetch: &dyn Fetch,
) -> Result<(ResolvedKey, Option<String>), KeyError> {
    let (doc_url, frag) = reference.split_once('#').unwrap_or((reference, ""));
    let doc = fetch_json(fetch, doc_url, "the key document")?;
    let found = |material: KeyMaterial, what: &str| ResolvedKey {
        material,
        reference: reference.to_owned(),
        how: format!("{what} fetched from {doc_url}"),
    };
    // A JWK set: pick by `kid` (the fragment or the whole reference).
    if let Some(keys) = doc.get("keys").and_then(Value::as_array) {
        let key = keys.iter().filter_map(Value::as_object).find(|k| {
            let kid = k.get("kid").and_then(Value::as_str).unwrap_or("");
            kid == reference
                || (!frag.is_empty() && kid == frag)
                || (frag.is_empty() && keys.len() == 1)
        });
        return match key {
            Some(k) if k.contains_key("d") => Err(KeyError::Invalid(format!(
                "the JWK set {doc_url} publishes a private key"
            ))),
            Some(k) => Ok((found(KeyMaterial::Jwk(k.clone()), "the JWK"), None)),
            None => Err(KeyError::Invalid(format!(
                "the JWK set {doc_url} has no key {reference}"
            ))),
        };
    }
    // A bare JWK.
    if doc.contains_key("kty") {
        if doc.contains_key("d") {
            return Err(KeyError::Invalid(format!(
                "{doc_url} publishes a private key"
            )));
        }
        return Ok((found(KeyMaterial::Jwk(doc), "the JWK"), None));
    }
    // The key document itself (id = reference), or a controller document listing it.
    let id = doc.get("id").and_then(Value::as_str).unwrap_or("");
    let (method, owner) = if id == reference {
        (doc.clone(), None)
    } else {
        (
            find_method(&doc, reference, id, false)?,
            Some(id.to_owned()).filter(|i| !i.is_empty()),
        )
    };
    let controller = method
        .get("controller")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or(owner);
    let material = key_of(&method).map_err(|e| KeyError::Invalid(format!("{reference}: {e}")))?;
    Ok((found(material, "the key"), controller))
}

/// The controller a key reference claims (the part before `#`).
fn controller_of(reference: &str) -> &str {
    reference.split('#').next().unwrap_or(reference)
}

/// Resolves the `verificationMethod` of a Data Integrity proof for a credential
/// whose issuer id is `issuer`.
pub(crate) fn resolve_verification_method(
    reference: &str,
    issuer: Option<&str>,
    fetch: &dyn Fetch,
) -> Result<ResolvedKey, KeyError> {
    let reference = reference.trim();
    if reference.starts_with("did:key:") {
        let key = did_key(reference)?;
        return Ok(ResolvedKey {
            material: key,
            reference: reference.to_owned(),
            how: format!(
                "the did:key {} (the key is the identifier itself)",
                short(controller_of(reference))
            ),
        });
    }
    let bound = |controller: &str| -> Result<(), KeyError> {
        match issuer {
            Some(i) if i != controller => Err(KeyError::Invalid(format!(
                "the key belongs to {controller}, not to the issuer {i}"
            ))),
            _ => Ok(()),
        }
    };
    if reference.starts_with("did:web:") {
        bound(controller_of(reference))?;
        return did_web(reference, fetch);
    }
    if let Some(method) = reference.strip_prefix("did:") {
        let name = method.split(':').next().unwrap_or("");
        return Err(KeyError::Invalid(format!(
            "the key is a did:{name} DID, a method Satchel cannot resolve (it knows did:key and did:web)"
        )));
    }
    let Ok(url) = url::Url::parse(reference) else {
        return Err(KeyError::Invalid(format!(
            "the verification method {reference} is not a URL or a DID"
        )));
    };
    // The 1EdTech shortcut: `https://issuer#z6Mk…` (or `urn:uuid:…#z6Mk…`)
    // carries the key in its fragment; the part before `#` must be the issuer.
    if let Some(frag) = url.fragment().filter(|f| f.starts_with('z')) {
        match decode_multikey_material(frag) {
            Ok(material) => {
                bound(controller_of(reference))?;
                return Ok(ResolvedKey {
                    material,
                    reference: reference.to_owned(),
                    how: format!(
                        "the key {} written in the verification method's fragment (the 1EdTech convention)",
                        short(frag)
                    ),
                });
            }
            Err(e) if frag.starts_with("z6Mk") || frag.starts_with("zDn") => {
                return Err(KeyError::Invalid(format!(
                    "the key in the verification method is malformed: {e}"
                )));
            }
            Err(_) => {}
        }
    }
    if !matches!(url.scheme(), "https" | "http") {
        return Err(KeyError::Invalid(format!(
            "the verification method {reference} uses the {}: scheme, which cannot name a key",
            url.scheme()
        )));
    }
    let (key, controller) = https_document(reference, fetch)?;
    // The key's controller (as its document says, else the URL before `#`) must be the issuer.
    bound(controller.as_deref().unwrap_or(controller_of(reference)))?;
    Ok(key)
}

/// Resolves the key of a VC-JWT from its header (`jwk` or `kid`); `iss` makes a
/// bare `#fragment` kid absolute.
pub(crate) fn resolve_jwt_key(
    header: &Map<String, Value>,
    iss: Option<&str>,
    fetch: &dyn Fetch,
) -> Result<ResolvedKey, KeyError> {
    if let Some(jwk) = header.get("jwk") {
        let Some(jwk) = jwk.as_object() else {
            return Err(KeyError::Invalid(
                "the JWT header's jwk is not a JSON object".to_owned(),
            ));
        };
        if jwk.contains_key("d") {
            return Err(KeyError::Invalid(
                "the JWT header's jwk contains a private key, which a signed credential must never carry".to_owned(),
            ));
        }
        return Ok(ResolvedKey {
            material: KeyMaterial::Jwk(jwk.clone()),
            reference: "the JWT header".to_owned(),
            how: format!(
                "the {} key embedded in the JWT header (jwk)",
                jwk.get("kty").and_then(Value::as_str).unwrap_or("unknown")
            ),
        });
    }
    let Some(kid) = header.get("kid").and_then(Value::as_str) else {
        return Err(KeyError::Invalid(
            "the JWT header names no key (neither jwk nor kid), as OB 3.0 requires".to_owned(),
        ));
    };
    let kid = if kid.starts_with('#') {
        match iss {
            Some(iss) => format!("{}{kid}", controller_of(iss)),
            None => {
                return Err(KeyError::Invalid(format!(
                    "the JWT kid {kid} is relative and there is no iss"
                )))
            }
        }
    } else {
        kid.to_owned()
    };
    if kid.starts_with("did:key:") {
        let key = did_key(&kid)?;
        if matches!(key, KeyMaterial::P256(_) | KeyMaterial::P384(_)) {
            return Err(KeyError::Invalid(format!(
                "the JWT kid {kid} is an ECDSA did:key; Satchel checks ECDSA did:key keys for Data Integrity proofs only"
            )));
        }
        return Ok(ResolvedKey {
            material: key,
            reference: kid.clone(),
            how: format!(
                "the did:key {} (the key is the identifier itself)",
                short(controller_of(&kid))
            ),
        });
    }
    if kid.starts_with("did:web:") {
        if let Some(i) = iss.filter(|i| *i != controller_of(&kid)) {
            return Err(KeyError::Invalid(format!(
                "the key belongs to {}, not to the issuer {i}",
                controller_of(&kid)
            )));
        }
        return did_web(&kid, fetch);
    }
    if let Some(method) = kid.strip_prefix("did:") {
        let name = method.split(':').next().unwrap_or("");
        return Err(KeyError::Invalid(format!(
            "the JWT key is a did:{name} DID, a method Satchel cannot resolve (it knows did:key and did:web)"
        )));
    }
    match url::Url::parse(&kid) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => {
            let (key, controller) = https_document(&kid, fetch)?;
            match (controller, iss) {
                (Some(c), Some(i)) if c != i => Err(KeyError::Invalid(format!(
                    "the key belongs to {c}, not to the issuer {i}"
                ))),
                _ => Ok(key),
            }
        }
        _ => Err(KeyError::Invalid(format!(
            "the JWT kid {kid} is not a URL or a DID"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::decode_multikey;

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("did:web:example.com").unwrap(),
            "https://example.com/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("did:web:example.com%3A3000:user:alice#key-1").unwrap(),
            "https://example.com:3000/user/alice/did.json"
        );
        assert!(did_web_url("did:web:exa/mple.com").is_err());
        assert!(did_web_url("did:web:example.com:..").is_err());
        assert!(did_web_url("did:web:").is_err());
    }

    #[test]
    fn multikeys() {
        let k = decode_multikey("z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi").unwrap();
        assert_eq!(k.len(), 32);
        assert!(decode_multikey("z6MkjZRsdasZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi").is_err());
        assert!(
            decode_multikey("zDnaekGZTbQBerwcehBSXLqAg6s55hVEBms1zFy89VHXtJSa9")
                .unwrap_err()
                .contains("P-256")
        );
        assert!(decode_multikey("6Mk").is_err());
        assert!(decode_multikey("z0OIl").is_err());
    }
}
