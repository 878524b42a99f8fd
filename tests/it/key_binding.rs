//! "Verified" means the issuer signed: a key counts as the issuer's only when
//! a document the issuer controls lists it. Every forgery an attacker with a
//! fresh key can make of an issuer's badge is invalid (the issuer's document
//! is at hand and lists another key) or could not check (it is not), never
//! verified; properly bound https, did:web and did:key badges stay verified.
//!
//! The https cases run against a real HTTP server on 127.0.0.1 with the real
//! client; did:web (which always means https) is served from memory.

use crate::server::{Route, TestServer};
use crate::support::Web;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use satchel::data_integrity::sign_eddsa_rdfc_2022;
use satchel::fetch::{Fetch, HttpFetch, NetPolicy};
use satchel::inspect::inspect;
use satchel::verify::{verify, CheckStatus, IdentifiedBy, Options, RecipientRule, Report, Verdict};
use serde_json::{json, Value};

/// 2026-06-01T00:00:00Z.
const NOW: i64 = 1_780_272_000;

pub(crate) fn issuer_key() -> SigningKey {
    SigningKey::from_bytes(&[0x11; 32])
}

pub(crate) fn attacker_key() -> SigningKey {
    SigningKey::from_bytes(&[0xa7; 32])
}

pub(crate) fn multikey(key: &SigningKey) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend(key.verifying_key().to_bytes());
    format!("z{}", bs58::encode(bytes).into_string())
}

pub(crate) fn jwk(key: &SigningKey) -> Value {
    json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(key.verifying_key().to_bytes())})
}

pub(crate) fn credential(issuer: &str) -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": "urn:uuid:3f1c9a52-7d1e-4b8a-9c1d-2b0e5f6a7c8d",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Harvard Medical School"},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Doctor of Medicine",
        "credentialSubject": {
            "id": "did:example:mallory",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://achievements.example/md",
                "type": ["Achievement"],
                "name": "Doctor of Medicine",
                "description": "Completed the medical degree.",
                "criteria": {"narrative": "Four years of study."}
            }
        }
    })
}

/// An `eddsa-rdfc-2022` proof by `key` naming verification method `vm`.
pub(crate) fn sign_di(cred: Value, vm: &str, key: &SigningKey) -> Value {
    sign_eddsa_rdfc_2022(
        &cred,
        &json!({
            "created": "2024-01-01T00:00:00Z",
            "verificationMethod": vm,
            "proofPurpose": "assertionMethod"
        }),
        key,
    )
    .unwrap()
}

/// A VC-JWT (VCDM 2.0 claims) signed by `key` with `header` fields.
pub(crate) fn sign_jwt(cred: &Value, header: Value, key: &SigningKey) -> String {
    let mut h = json!({"alg": "EdDSA", "typ": "vc+jwt"});
    for (k, v) in header.as_object().unwrap() {
        h[k] = v.clone();
    }
    let mut claims = cred.clone();
    claims["iss"] = cred["issuer"]["id"].clone();
    claims["jti"] = cred["id"].clone();
    claims["sub"] = cred["credentialSubject"]["id"].clone();
    claims["nbf"] = json!(1_704_067_200);
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(h.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let sig = URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()).to_bytes());
    format!("{input}.{sig}")
}

fn verify_text(text: &str, fetch: &dyn Fetch) -> Report {
    let opts = Options {
        now: NOW,
        recipients: Vec::new(),
        recipient_rule: RecipientRule::MustMatch,
    };
    verify(&inspect(text.as_bytes()).unwrap(), fetch, &opts)
}

fn describe(report: &Report) -> String {
    let mut s = format!("{:?}", report.status);
    for c in &report.checks {
        s.push_str(&format!("\n  {} {:?}: {}", c.id, c.status, c.message));
        if let Some(d) = &c.detail {
            s.push_str(&format!("\n      {}", d.replace('\n', "\n      ")));
        }
    }
    s
}

fn binding_check(report: &Report) -> (CheckStatus, String) {
    let c = report
        .checks
        .iter()
        .find(|c| c.id == "proof.issuer")
        .unwrap_or_else(|| panic!("no proof.issuer check in {}", describe(report)));
    (c.status, c.message.clone())
}

/// The issuer's site: its profile lists its real key (a Multikey document)
/// when `profile` is true; an attacker's host serves the attacker's keys.
struct Sites {
    issuer: TestServer,
    attacker: TestServer,
    fetch: HttpFetch,
}

impl Sites {
    fn new(profile: bool) -> Sites {
        let issuer = TestServer::start(Vec::<(String, Route)>::new());
        let attacker = TestServer::start(Vec::<(String, Route)>::new());
        let sites = Sites {
            issuer,
            attacker,
            fetch: HttpFetch::new(NetPolicy {
                allow_private: true,
                ..NetPolicy::default()
            }),
        };
        let id = sites.issuer_id();
        let key_url = sites.issuer.url("/keys/1.json");
        sites.issuer.set(
            "/keys/1.json",
            Route::json(
                json!({"id": key_url, "type": "Multikey", "controller": id,
                       "publicKeyMultibase": multikey(&issuer_key())})
                .to_string(),
            ),
        );
        if profile {
            sites.issuer.set(
                "/issuers/med",
                Route::json(
                    json!({
                        "@context": ["https://www.w3.org/ns/did/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
                        "id": id, "type": "Profile", "name": "Harvard Medical School",
                        "assertionMethod": [key_url]
                    })
                    .to_string(),
                ),
            );
        }
        sites
    }

    fn issuer_id(&self) -> String {
        self.issuer.url("/issuers/med")
    }

    /// The attacker's key document claiming the issuer as its controller,
    /// and a controller-less JWK set, both on the attacker's host.
    fn attacker_documents(&self) -> (String, String) {
        let doc = self.attacker.url("/key.json");
        self.attacker.set(
            "/key.json",
            Route::json(
                json!({"id": doc, "type": "Multikey", "controller": self.issuer_id(),
                       "publicKeyMultibase": multikey(&attacker_key())})
                .to_string(),
            ),
        );
        let set = self.attacker.url("/jwks.json");
        let mut k = jwk(&attacker_key());
        k["kid"] = json!("k1");
        self.attacker
            .set("/jwks.json", Route::json(json!({"keys": [k]}).to_string()));
        (doc, format!("{set}#k1"))
    }

    /// Every forgery of the issue, as badge text.
    fn forgeries(&self) -> Vec<(&'static str, String)> {
        let id = self.issuer_id();
        let cred = credential(&id);
        let (key_doc, jwks_kid) = self.attacker_documents();
        let did_key = format!("did:key:{0}#{0}", multikey(&attacker_key()));
        vec![
            (
                "VC-JWT with the attacker's key in the jwk header",
                sign_jwt(&cred, json!({"jwk": jwk(&attacker_key())}), &attacker_key()),
            ),
            (
                "VC-JWT whose kid is a JWK set on the attacker's host",
                sign_jwt(&cred, json!({"kid": jwks_kid}), &attacker_key()),
            ),
            (
                "Data Integrity proof with a key document claiming the issuer as controller",
                sign_di(cred.clone(), &key_doc, &attacker_key()).to_string(),
            ),
            (
                "Data Integrity proof with the attacker's key in the issuer URL's fragment",
                sign_di(
                    cred.clone(),
                    &format!("{id}#{}", multikey(&attacker_key())),
                    &attacker_key(),
                )
                .to_string(),
            ),
            (
                "VC-JWT with a did:key kid for an https issuer",
                sign_jwt(&cred, json!({"kid": did_key}), &attacker_key()),
            ),
            (
                "Data Integrity proof with a did:key verification method for an https issuer",
                sign_di(cred.clone(), &did_key, &attacker_key()).to_string(),
            ),
        ]
    }
}

#[test]
fn forgeries_are_invalid_when_the_issuer_lists_another_key() {
    let sites = Sites::new(true);
    for (what, text) in sites.forgeries() {
        let report = verify_text(&text, &sites.fetch);
        assert_eq!(
            report.status,
            Verdict::Invalid,
            "{what}: {}",
            describe(&report)
        );
        let (status, message) = binding_check(&report);
        assert_eq!(status, CheckStatus::Fail, "{what}");
        assert!(
            message.starts_with(
                "Harvard Medical School does not list the key this badge was signed with"
            ),
            "{what}: {message}"
        );
        let identity = report.issuer_identity.as_ref().expect("issuer identity");
        assert_eq!(identity.by, IdentifiedBy::Web, "{what}");
        assert!(!identity.confirmed, "{what}: {identity:?}");
    }
    // The issuer's profile was asked, once per forgery at most.
    assert!(sites.issuer.count("/issuers/med") >= 1);
}

#[test]
fn forgeries_could_not_be_checked_when_the_issuer_is_unreachable() {
    let sites = Sites::new(false);
    for (what, text) in sites.forgeries() {
        let report = verify_text(&text, &sites.fetch);
        assert_ne!(
            report.status,
            Verdict::Verified,
            "{what}: {}",
            describe(&report)
        );
        let (status, message) = binding_check(&report);
        // A did:key kid whose key is also written in the fragment form is
        // refused before the issuer is asked; everything else could not be
        // confirmed.
        assert_eq!(status, CheckStatus::Skip, "{what}: {}", describe(&report));
        assert!(
            message.starts_with("The signature is intact, but Satchel could not confirm that the key belongs to Harvard Medical School"),
            "{what}: {message}"
        );
        assert_eq!(report.status, Verdict::Unverifiable, "{what}");
    }
}

#[test]
fn keys_the_issuer_lists_verify_in_every_form() {
    let sites = Sites::new(true);
    let id = sites.issuer_id();
    let key_url = sites.issuer.url("/keys/1.json");
    let cred = credential(&id);
    // The key document the profile lists, as a Data Integrity method and as a JWT kid.
    let di = sign_di(cred.clone(), &key_url, &issuer_key()).to_string();
    let jwt = sign_jwt(&cred, json!({"kid": key_url}), &issuer_key());
    // The same key in a jwk header: the profile lists those key bytes.
    let header = sign_jwt(&cred, json!({"jwk": jwk(&issuer_key())}), &issuer_key());
    for (what, text) in [
        ("data integrity", di),
        ("vc-jwt kid", jwt),
        ("vc-jwt jwk", header),
    ] {
        let report = verify_text(&text, &sites.fetch);
        assert_eq!(
            report.status,
            Verdict::Verified,
            "{what}: {}",
            describe(&report)
        );
        let identity = report.issuer_identity.as_ref().unwrap();
        assert_eq!(
            (identity.by, identity.confirmed),
            (IdentifiedBy::Web, true),
            "{what}"
        );
        assert_eq!(
            identity.name,
            "127.0.0.1:".to_owned() + &sites.issuer.port().to_string()
        );
        assert!(
            identity
                .sentence()
                .starts_with("Issuer confirmed by 127.0.0.1"),
            "{what}"
        );
    }

    // The 1EdTech key-in-fragment form verifies once the profile lists it,
    // by id or as an embedded Multikey.
    let fragment = format!("{id}#{}", multikey(&issuer_key()));
    for listed in [
        json!(fragment),
        json!({"id": format!("{id}#key-2"), "type": "Multikey", "controller": id,
               "publicKeyMultibase": multikey(&issuer_key())}),
    ] {
        sites.issuer.set(
            "/issuers/med",
            Route::json(
                json!({"id": id, "type": "Profile", "name": "Harvard Medical School",
                               "assertionMethod": [listed]})
                .to_string(),
            ),
        );
        let report = verify_text(
            &sign_di(cred.clone(), &fragment, &issuer_key()).to_string(),
            &sites.fetch,
        );
        assert_eq!(
            report.status,
            Verdict::Verified,
            "{listed}: {}",
            describe(&report)
        );
    }
}

#[test]
fn did_web_and_did_key_issuers() {
    let did = "did:web:club.example:badges";
    let vm = format!("{did}#key-1");
    let document = |listed: bool| {
        let method = json!({"id": vm, "type": "Multikey", "controller": did,
                            "publicKeyMultibase": multikey(&issuer_key())});
        let mut doc = json!({"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
                             "verificationMethod": [method]});
        if listed {
            doc["assertionMethod"] = json!([vm]);
        }
        Web::new().serve("https://club.example/badges/did.json", 200, doc.to_string())
    };
    let cred = credential(did);
    let signed = sign_di(cred.clone(), &vm, &issuer_key()).to_string();
    let report = verify_text(&signed, &document(true));
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    let identity = report.issuer_identity.clone().unwrap();
    assert_eq!(
        (identity.by, identity.name.as_str(), identity.confirmed),
        (IdentifiedBy::Web, "club.example", true)
    );

    // A key the DID document describes but does not allow for assertions.
    let report = verify_text(&signed, &document(false));
    assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));

    // The attacker's did:key, or the attacker's key in a jwk header, for a did:web issuer.
    let did_key = format!("did:key:{0}#{0}", multikey(&attacker_key()));
    for text in [
        sign_di(cred.clone(), &did_key, &attacker_key()).to_string(),
        sign_jwt(&cred, json!({"jwk": jwk(&attacker_key())}), &attacker_key()),
    ] {
        let report = verify_text(&text, &document(true));
        assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));
        assert_eq!(binding_check(&report).0, CheckStatus::Fail);
        let report = verify_text(&text, &Web::new());
        assert_eq!(
            report.status,
            Verdict::Unverifiable,
            "{}",
            describe(&report)
        );
    }

    // A did:key issuer signing with its own key: verified, identified only by the key.
    let own = format!("did:key:{}", multikey(&issuer_key()));
    let text = sign_di(
        credential(&own),
        &format!("{own}#{}", multikey(&issuer_key())),
        &issuer_key(),
    );
    let report = verify_text(&text.to_string(), &Web::new());
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    let identity = report.issuer_identity.clone().unwrap();
    assert_eq!(identity.by, IdentifiedBy::Key);
    assert_eq!(
        identity.sentence(),
        "The issuer is identified only by a key (did:key), not by a web address."
    );
    // The same did:key issuer, signed by another did:key: invalid.
    let text = sign_di(credential(&own), &did_key, &attacker_key());
    let report = verify_text(&text.to_string(), &Web::new());
    assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));
}

#[test]
fn status_lists_must_be_signed_with_a_key_their_issuer_lists() {
    let sites = Sites::new(true);
    let id = sites.issuer_id();
    let key_url = sites.issuer.url("/keys/1.json");
    let list_url = sites.issuer.url("/status/1.json");
    let list = |signer: &SigningKey, vm: &str, issuer: &str| {
        let encoded = {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(&[0u8; 16384]).unwrap();
            format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().unwrap()))
        };
        sign_di(
            json!({
                "@context": ["https://www.w3.org/ns/credentials/v2"],
                "id": list_url,
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": issuer,
                "validFrom": "2024-01-01T00:00:00Z",
                "credentialSubject": {"id": format!("{list_url}#list"), "type": "BitstringStatusList",
                                      "statusPurpose": "revocation", "encodedList": encoded}
            }),
            vm,
            signer,
        )
    };
    let mut cred = credential(&id);
    cred["credentialStatus"] = json!({"id": format!("{list_url}#7"), "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "7", "statusListCredential": list_url});
    let badge = sign_di(cred, &key_url, &issuer_key()).to_string();
    let status = |report: &Report| {
        let c = report.checks.iter().find(|c| c.id == "status").unwrap();
        (c.status, c.message.clone())
    };

    sites.issuer.set(
        "/status/1.json",
        Route::json(list(&issuer_key(), &key_url, &id).to_string()),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));

    // Signed by the attacker with a key document claiming the issuer.
    let (attacker_doc, _) = sites.attacker_documents();
    sites.issuer.set(
        "/status/1.json",
        Route::json(list(&attacker_key(), &attacker_doc, &id).to_string()),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));
    assert!(
        status(&report)
            .1
            .starts_with("The issuer's status list cannot be trusted"),
        "{}",
        describe(&report)
    );

    // Issued by someone else, whose key nothing confirms: whether the badge
    // was revoked could not be checked (never "verified").
    let other = sites.attacker.url("/issuer");
    sites.issuer.set(
        "/status/1.json",
        Route::json(
            list(
                &attacker_key(),
                &format!("did:key:{0}#{0}", multikey(&attacker_key())),
                &other,
            )
            .to_string(),
        ),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(
        report.status,
        Verdict::Unverifiable,
        "{}",
        describe(&report)
    );
    assert_eq!(status(&report).0, CheckStatus::Skip);
}

/// A gzip-compressed, base64url (`u…`) bitstring of 131,072 entries with `set` bits on.
fn encoded_list(set: &[usize]) -> String {
    use std::io::Write;
    let mut bits = vec![0u8; 16384];
    for i in set {
        bits[i / 8] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bits).unwrap();
    format!("u{}", URL_SAFE_NO_PAD.encode(gz.finish().unwrap()))
}

fn status_of(report: &Report) -> (CheckStatus, String, String) {
    let c = report
        .checks
        .iter()
        .find(|c| c.id == "status")
        .unwrap_or_else(|| panic!("no status check in {}", describe(report)));
    (
        c.status,
        c.message.clone(),
        c.detail.clone().unwrap_or_default(),
    )
}

/// A badge of the issuer whose status entry points at `list_url`, index 7.
fn badge_with_status(sites: &Sites, list_url: &str) -> String {
    let mut cred = credential(&sites.issuer_id());
    cred["credentialStatus"] = json!({"id": format!("{list_url}#7"), "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation", "statusListIndex": "7", "statusListCredential": list_url});
    sign_di(cred, &sites.issuer.url("/keys/1.json"), &issuer_key()).to_string()
}

#[test]
fn status_lists_published_as_vc_jwt_are_read_under_the_same_key_rule() {
    let sites = Sites::new(true);
    let list_url = sites.issuer.url("/status/1.jwt");
    let list = |set: &[usize]| {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": list_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": {"id": sites.issuer_id()},
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": format!("{list_url}#list"), "type": "BitstringStatusList",
                                  "statusPurpose": "revocation", "encodedList": encoded_list(set)}
        })
    };
    let jwt_of = |cred: &Value, header: Value, key: &SigningKey| {
        let mut h = json!({"alg": "EdDSA", "typ": "vc+jwt"});
        for (k, v) in header.as_object().unwrap() {
            h[k] = v.clone();
        }
        let mut claims = cred.clone();
        claims["iss"] = cred["issuer"]["id"].clone();
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(h.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(key.sign(input.as_bytes()).to_bytes())
        )
    };
    let badge = badge_with_status(&sites, &list_url);
    let kid = json!({"kid": sites.issuer.url("/keys/1.json")});

    sites.issuer.set(
        "/status/1.jwt",
        Route::ok(
            "application/jwt",
            jwt_of(&list(&[3]), kid.clone(), &issuer_key()),
        ),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    assert_eq!(status_of(&report).0, CheckStatus::Pass);

    sites.issuer.set(
        "/status/1.jwt",
        Route::ok(
            "application/jwt",
            jwt_of(&list(&[7]), kid.clone(), &issuer_key()),
        ),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Revoked, "{}", describe(&report));

    // Signed by an attacker's key in the header: the issuer's profile lists another.
    sites.issuer.set(
        "/status/1.jwt",
        Route::ok(
            "application/jwt",
            jwt_of(
                &list(&[]),
                json!({"jwk": jwk(&attacker_key())}),
                &attacker_key(),
            ),
        ),
    );
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));
    assert!(
        status_of(&report)
            .1
            .starts_with("The issuer's status list cannot be trusted"),
        "{}",
        describe(&report)
    );

    // Tampered after signing.
    let good = jwt_of(&list(&[7]), kid, &issuer_key());
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(list(&[]).to_string()),
        parts[2]
    );
    sites
        .issuer
        .set("/status/1.jwt", Route::ok("application/jwt", forged));
    let report = verify_text(&badge, &sites.fetch);
    assert_eq!(report.status, Verdict::Invalid, "{}", describe(&report));
}

#[test]
fn a_kept_status_list_says_how_old_it_is_and_expires_after_30_days() {
    use satchel::fetch::CachingFetch;
    use satchel::store::Store;
    use std::sync::Mutex;
    let sites = Sites::new(true);
    let list_url = sites.issuer.url("/status/1.json");
    let list = sign_di(
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": list_url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": sites.issuer_id(),
            "validFrom": "2024-01-01T00:00:00Z",
            "credentialSubject": {"id": format!("{list_url}#list"), "type": "BitstringStatusList",
                                  "statusPurpose": "revocation", "encodedList": encoded_list(&[])}
        }),
        &sites.issuer.url("/keys/1.json"),
        &issuer_key(),
    );
    sites
        .issuer
        .set("/status/1.json", Route::json(list.to_string()));
    let badge = badge_with_status(&sites, &list_url);
    let dir = tempfile::tempdir().unwrap();
    let store = Mutex::new(Store::open(&dir.path().join("satchel.sqlite3")).unwrap());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let run = |at: i64, fetch: &dyn Fetch| {
        let opts = Options {
            now: at,
            recipients: Vec::new(),
            recipient_rule: RecipientRule::MustMatch,
        };
        verify(&inspect(badge.as_bytes()).unwrap(), fetch, &opts)
    };
    // Online: fetched now and kept.
    let report = run(now, &CachingFetch::online(&sites.fetch, &store));
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    assert!(
        !status_of(&report).2.contains("kept it"),
        "{}",
        describe(&report)
    );

    // The issuer's site is gone: the kept copy answers and says how old it is.
    let Sites {
        issuer,
        attacker,
        fetch,
    } = sites;
    drop((issuer, attacker));
    // An hour past five days: the copy was kept a moment after `now`.
    let report = run(
        now + 5 * 86_400 + 3_600,
        &CachingFetch::online(&fetch, &store),
    );
    assert_eq!(report.status, Verdict::Verified, "{}", describe(&report));
    assert!(
        status_of(&report).2.contains("as Satchel kept it on"),
        "{}",
        describe(&report)
    );
    assert!(
        status_of(&report).2.contains("(5 days ago)"),
        "{}",
        describe(&report)
    );

    // Older than 30 days: whether it was revoked could not be checked.
    let report = run(now + 40 * 86_400, &CachingFetch::online(&fetch, &store));
    assert_eq!(
        report.status,
        Verdict::Unverifiable,
        "{}",
        describe(&report)
    );
    let (status, message, _) = status_of(&report);
    assert_eq!(status, CheckStatus::Skip);
    assert!(message.contains("older than 30 days"), "{message}");
    // Offline mode reads the same copy under the same rule.
    let report = run(now + 40 * 86_400, &CachingFetch::offline(&store));
    assert_eq!(
        status_of(&report).0,
        CheckStatus::Skip,
        "{}",
        describe(&report)
    );
}

#[test]
fn the_cli_calls_every_forgery_invalid_and_imports_none_as_verified() {
    use crate::support::satchel_in;
    let sites = Sites::new(true);
    let files = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let forgeries = sites.forgeries();
    for (i, (_, text)) in forgeries.iter().enumerate() {
        std::fs::write(files.path().join(format!("forgery-{i}.json")), text).unwrap();
    }
    let folder = files.path().to_str().unwrap();
    let o = satchel_in(
        data.path(),
        &["verify", "--json", "--allow-private-network", folder],
    );
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .filter(|v: &Value| v.get("input").is_some())
        .collect();
    assert_eq!(lines.len(), forgeries.len());
    for line in &lines {
        assert_eq!(line["status"], "invalid", "{line}");
        assert_eq!(line["issuer_identity"]["confirmed"], false, "{line}");
    }
    // Imported into the backpack (the desktop app's import too): not verified.
    let one = files.path().join("forgery-0.json");
    let o = satchel_in(
        data.path(),
        &["import", "--allow-private-network", one.to_str().unwrap()],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = satchel_in(data.path(), &["list", "--json"]);
    let listed: Value =
        serde_json::from_str(String::from_utf8(o.stdout).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(listed["status"], "invalid", "{listed}");
}
