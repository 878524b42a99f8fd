//! Open Badges 3.0 and CLR 2.0: VC-JWT and Data Integrity proofs, status, dates.
//!
//! The procedure of the OB 3.0 specification (`verification.md`): conformance
//! of the document, one valid proof, validity dates, credential status, the
//! recipient, then every embedded endorsement verified as a credential of its
//! own. For a CLR the outer credential is verified, and the proof of each
//! credential inside it is reported too.
//!
//! Check ids:
//!
//! | id | what |
//! |---|---|
//! | `context` | `@context`: the VC context first (fail), the OB / CLR context and its version (warn) |
//! | `data-model` | warn: W3C VC Data Model 1.1 (`issuanceDate`, `vc` claim) |
//! | `type` | `VerifiableCredential` and an Open Badges / CLR credential type (fail) |
//! | `schema` | structure: VC essentials and nested `type` values (fail), other required OB fields (warn) |
//! | `schema.json` | the official OB 3.0 / CLR 2.0 JSON Schema of its class, bundled (warn on violations) |
//! | `proof` | the signature: any one valid Data Integrity proof, or the VC-JWT signature |
//! | `proof.suite` | warn: the old cryptosuite name `eddsa-2022` |
//! | `proof.identity` | warn: the key proves the credential intact, not who issued it (did:key, `jwk`, key-in-fragment) |
//! | `proof.jwt-claims` | `iss`, `jti`, `sub`, `nbf`, `exp` against the credential |
//! | `dates.format`, `dates.start`, `dates.order`, `expiry` | validity dates ([`super::common::check_dates`]) |
//! | `status` | revocation: 1EdTechRevocationList, BitstringStatusListEntry, StatusList2021Entry |
//! | `refresh` | the credential's `refreshService`, said in words (never contacted) |
//! | `recipient` | the subject against the user's identities ([`super::common::check_recipient`]) |
//! | `endorsement.N` | each embedded endorsement, verified as a credential (warn when not verified) |
//! | `clr.credential.N` | the proof of each credential inside a CLR |

mod json_schema;
mod schema;
mod status;

use super::common::{self, lower_first, DateField};
use super::proof::binding::{self, Binding};
use super::proof::integrity::{self, Outcome};
use super::proof::issuer_id;
use super::proof::jwt;
use super::proof::keys::ResolvedKey;
use super::report::{BadgeFormat, Check, CheckStatus, Verdict};
use super::{Options, Report};
use crate::detect;
use crate::fetch::Fetch;
use crate::inspect::Inspection;
use crate::jws::CompactJws;
use crate::verify::checks;
use serde_json::Value;

/// Most endorsements (or CLR credentials) of one credential that are verified.
const MAX_NESTED: usize = 32;
/// Most nested credentials (endorsements at any depth) one run verifies: each
/// may fetch keys and status lists, so a badge must not be able to make
/// Satchel fetch without end.
const MAX_NESTED_TOTAL: usize = 64;
/// Endorsements of endorsements are verified to this depth, no deeper.
const MAX_DEPTH: usize = 2;

const VC2: &str = "https://www.w3.org/ns/credentials/v2";
const VC1: &str = "https://www.w3.org/2018/credentials/v1";
const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context";
const OB_CURRENT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
const CLR_CONTEXT: &str = "https://purl.imsglobal.org/spec/clr/v2p0/context";

/// The issuer's name, or its id, for messages.
fn issuer_name(credential: &Value) -> String {
    credential
        .get("issuer")
        .and_then(|i| i.get("name"))
        .and_then(Value::as_str)
        .or_else(|| issuer_id(credential))
        .unwrap_or("an unnamed issuer")
        .to_owned()
}

/// What kind of credential a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// An OpenBadgeCredential / AchievementCredential.
    Achievement,
    /// An EndorsementCredential.
    Endorsement,
    /// A CLR 2.0 ClrCredential.
    Clr,
    /// Some other credential.
    Other,
}

impl Kind {
    fn of(credential: &Value) -> Kind {
        let t = detect::strings(credential.get("type"));
        if t.contains(&"ClrCredential") {
            Kind::Clr
        } else if t.contains(&"OpenBadgeCredential") || t.contains(&"AchievementCredential") {
            Kind::Achievement
        } else if t.contains(&"EndorsementCredential") {
            Kind::Endorsement
        } else {
            Kind::Other
        }
    }
}

/// What one verification run shares.
struct Ctx<'a> {
    fetch: &'a dyn Fetch,
    opts: &'a Options,
    /// 0 for the input, 1 for its endorsements, …
    depth: usize,
    /// Nested credentials still allowed in this run.
    budget: &'a std::cell::Cell<usize>,
}

/// A credential to verify: embedded JSON, or a VC-JWT with its claims.
enum Credential<'a> {
    Json(&'a Value),
    Jwt(CompactJws, Value),
    /// A string that should be a VC-JWT but is not one (why, in words).
    Unreadable(String),
}

/// Verifies an OB 3.0 / CLR 2.0 input into `report`.
pub(crate) fn verify(input: &Inspection, fetch: &dyn Fetch, opts: &Options, report: &mut Report) {
    let budget = std::cell::Cell::new(MAX_NESTED_TOTAL);
    let ctx = Ctx {
        fetch,
        opts,
        depth: 0,
        budget: &budget,
    };
    let credential = match input.payload_kind {
        crate::inspect::PayloadKind::Jws => {
            match crate::jws::decode(&input.payload) {
                Ok(jws) => {
                    match jws.payload_json() {
                        Ok(claims @ Value::Object(_)) => Credential::Jwt(jws, claims),
                        _ => {
                            report.push(Check::fail(checks::PROOF, "The JWT's payload is not a JSON object, so it is not a credential.", None));
                            return;
                        }
                    }
                }
                Err(e) => {
                    report.push(Check::fail(
                        checks::PROOF,
                        common::sentence(&format!("the badge is not a readable JWT: {e}")),
                        None,
                    ));
                    return;
                }
            }
        }
        _ => match &input.document {
            Some(doc) => Credential::Json(doc),
            None => {
                report.push(Check::skip(
                    checks::VERIFICATION_SUPPORTED,
                    "Satchel cannot verify this kind of document yet.",
                    None,
                ));
                return;
            }
        },
    };
    let identities = input
        .badge
        .as_ref()
        .map(|b| b.recipient.clone())
        .unwrap_or_default();
    verify_credential(&credential, &ctx, report, Some(&identities));
}

/// Runs every check on one credential. `identities` (the recipient as the
/// badge names it) is given for the input itself, not for nested credentials.
fn verify_credential(
    credential: &Credential<'_>,
    ctx: &Ctx<'_>,
    report: &mut Report,
    identities: Option<&[crate::model::RecipientIdentity]>,
) {
    let (cred, jwt) = match credential {
        Credential::Json(v) => ((*v).clone(), None),
        Credential::Jwt(jws, claims) => {
            let (cred, v11) = jwt::credential_of(claims);
            (cred, Some((jws, claims, v11)))
        }
        Credential::Unreadable(why) => {
            report.push(Check::fail(checks::PROOF, common::sentence(why), None));
            return;
        }
    };
    if !cred.is_object() {
        report.push(Check::fail(
            checks::SCHEMA,
            "The credential is not a JSON object.",
            None,
        ));
        return;
    }
    let kind = Kind::of(&cred);
    check_context(&cred, kind, jwt.is_some_and(|(_, _, v11)| v11), report);
    check_type(&cred, kind, report);
    schema::check(&cred, kind, report);
    json_schema::check(&cred, kind, report);

    // The proof, then whether the issuer's own documents list its key.
    let issuer = issuer_id(&cred);
    let key: Option<ResolvedKey> = match jwt {
        Some((jws, claims, _)) => {
            report.format = BadgeFormat::VcJwt;
            let r = jwt::check(jws, claims, ctx.fetch);
            report.push(check_of(
                checks::PROOF,
                r.outcome,
                r.message,
                Some(r.detail),
            ));
            check_claims(&cred, claims, report);
            r.key.filter(|_| r.outcome == Outcome::Valid)
        }
        None => {
            let r = integrity::check(&cred, issuer, ctx.fetch, ctx.opts.now);
            if cred.get("proof").is_some_and(|p| !p.is_null()) {
                report.format = BadgeFormat::DataIntegrity;
            }
            let suite = r.valid.as_ref().map(|v| v.suite.clone());
            report.push(check_of(
                checks::PROOF,
                r.outcome,
                r.message,
                Some(r.detail),
            ));
            if suite.as_deref() == Some("eddsa-2022") {
                report.push(Check::warn(
                    checks::PROOF_SUITE,
                    "The signature uses the cryptosuite's old name eddsa-2022; it is the same algorithm as eddsa-rdfc-2022, which issuers should now write.",
                    None,
                ));
            }
            r.valid.and_then(|v| v.key)
        }
    };
    if let Some(key) = &key {
        let (outcome, message, detail) = issuer_key(&cred, key, ctx.fetch);
        report.push(check_of(
            checks::PROOF_ISSUER,
            outcome,
            message,
            Some(detail),
        ));
        if outcome == Outcome::Valid && issuer.is_some_and(|i| i.starts_with("did:key:")) {
            report.push(did_key_note(&cred));
        }
    }

    check_validity(&cred, jwt.map(|(_, claims, _)| claims), ctx, report);
    status::check(&cred, ctx.fetch, ctx.opts.now, report);
    check_refresh(&cred, report);
    if let Some(ids) = identities {
        common::check_recipient(report, ctx.opts, ids);
    }
    check_endorsements(&cred, ctx, report);
    if kind == Kind::Clr {
        check_clr_credentials(&cred, ctx, report);
    }
}

fn check_of(id: &str, outcome: Outcome, message: String, detail: Option<String>) -> Check {
    match outcome {
        Outcome::Valid => Check::pass(id, message, detail),
        Outcome::Invalid => Check::fail(id, message, detail),
        Outcome::Unverifiable => Check::skip(id, message, detail),
    }
}

/// The `proof.issuer` outcome: does a document the issuer controls list the
/// key that made a valid signature ([`binding`])?
pub(super) fn issuer_key(
    cred: &Value,
    key: &ResolvedKey,
    fetch: &dyn Fetch,
) -> (Outcome, String, String) {
    let name = issuer_name(cred);
    let id = issuer_id(cred);
    let at = id
        .and_then(crate::verify::proof::issuer_domain)
        .map(|d| format!(" at {d}"))
        .unwrap_or_default();
    let detail = |why: &str| format!("{why}; key: {}", key.reference);
    match binding::confirm(id, key, fetch) {
        Binding::Listed(how) => (
            Outcome::Valid,
            format!("The key that signed it is one {name} publishes{at}."),
            detail(&how),
        ),
        Binding::SelfKey => (
            Outcome::Valid,
            format!("It was signed with the key that identifies {name} (its did:key)."),
            detail("the issuer id is the did:key of the signing key"),
        ),
        Binding::NotListed(why) => (
            Outcome::Invalid,
            format!("{name} does not list the key this badge was signed with, so it cannot be shown to come from {name}."),
            detail(&why),
        ),
        Binding::Unconfirmed(why) => (
            Outcome::Unverifiable,
            format!("The signature is intact, but Satchel could not confirm that the key belongs to {name}{at}."),
            detail(&why),
        ),
    }
}

/// The note for an issuer identified only by a did:key.
fn did_key_note(cred: &Value) -> Check {
    let issuer = issuer_name(cred);
    Check::warn(
        checks::PROOF_IDENTITY,
        format!(
            "The issuer ({issuer}) is identified only by a key (did:key), not by a web address: anyone can create such a key, so the name is the issuer's own claim."
        ),
        issuer_id(cred).map(|i| format!("issuer: {i}")),
    )
}

/// `@context`: the VC context first; the OB 3.0 / CLR 2.0 context, current version.
fn check_context(cred: &Value, kind: Kind, jwt_v11: bool, report: &mut Report) {
    let contexts: Vec<&str> = match cred.get("@context") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let first = match cred.get("@context") {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str),
        Some(Value::String(s)) => Some(s.as_str()),
        _ => None,
    };
    let v11 = first == Some(VC1) || jwt_v11;
    match first {
        Some(VC2) | Some(VC1) => {}
        Some(other) => {
            report.push(Check::fail(
                checks::CONTEXT,
                "The credential's first JSON-LD context is not the W3C Verifiable Credentials context, so it is not a valid Verifiable Credential.",
                Some(format!("first @context: {other}")),
            ));
            return;
        }
        None => {
            report.push(Check::fail(
                checks::CONTEXT,
                "The credential has no @context naming the W3C Verifiable Credentials context, so it is not a valid Verifiable Credential.",
                None,
            ));
            return;
        }
    }
    if v11 {
        report.push(Check::warn(
            checks::DATA_MODEL,
            "The credential uses the older W3C Verifiable Credentials Data Model 1.1; Satchel accepts it, but Open Badges 3.0 asks for version 2.0.",
            Some(if jwt_v11 { "VC-JWT with a vc claim".to_owned() } else { format!("@context {VC1}") }),
        ));
    }
    let ob = contexts
        .iter()
        .find(|c| c.starts_with(OB_CONTEXT) && c.ends_with(".json"))
        .copied();
    let clr = contexts
        .iter()
        .find(|c| c.starts_with(CLR_CONTEXT))
        .copied();
    let listed = contexts.join(", ");
    let check = match kind {
        Kind::Clr => match clr {
            Some(c) => Check::pass(checks::CONTEXT, "The credential uses the CLR 2.0 JSON-LD context.", Some(c.to_owned())),
            None => Check::warn(
                checks::CONTEXT,
                "The credential does not use the CLR 2.0 JSON-LD context.",
                Some(format!("@context: {listed}")),
            ),
        },
        Kind::Achievement | Kind::Endorsement => match ob {
            Some(OB_CURRENT) => {
                Check::pass(checks::CONTEXT, "The credential uses the current Open Badges 3.0 JSON-LD context.", None)
            }
            Some(older) => Check::warn(
                checks::CONTEXT,
                format!("The credential uses an older version of the Open Badges 3.0 JSON-LD context; the current one is {OB_CURRENT}."),
                Some(format!("uses {older}")),
            ),
            None => Check::warn(
                checks::CONTEXT,
                "The credential does not use the Open Badges 3.0 JSON-LD context.",
                Some(format!("@context: {listed}")),
            ),
        },
        Kind::Other => Check::pass(checks::CONTEXT, "The credential uses the W3C Verifiable Credentials context.", None),
    };
    report.push(check);
}

/// `type`: a Verifiable Credential, and an Open Badges / CLR one.
fn check_type(cred: &Value, kind: Kind, report: &mut Report) {
    let t = detect::strings(cred.get("type"));
    let listed = if t.is_empty() {
        "none".to_owned()
    } else {
        t.join(", ")
    };
    let check = if !t.contains(&"VerifiableCredential") {
        Check::fail(
            checks::TYPE,
            "The credential's type does not include VerifiableCredential, so it is not a Verifiable Credential.",
            Some(format!("type: {listed}")),
        )
    } else {
        match kind {
            Kind::Achievement => Check::pass(checks::TYPE, "It is an Open Badges 3.0 credential.", Some(format!("type: {listed}"))),
            Kind::Endorsement => {
                Check::pass(checks::TYPE, "It is an Open Badges 3.0 endorsement.", Some(format!("type: {listed}")))
            }
            Kind::Clr => Check::pass(
                checks::TYPE,
                "It is a CLR 2.0 Comprehensive Learner Record.",
                Some(format!("type: {listed}")),
            ),
            Kind::Other => Check::fail(
                checks::TYPE,
                "This is a Verifiable Credential, but not an Open Badge: its type includes neither OpenBadgeCredential, AchievementCredential, EndorsementCredential nor ClrCredential.",
                Some(format!("type: {listed}")),
            ),
        }
    };
    report.push(check);
}

/// `proof.jwt-claims`: the JWT's registered claims must agree with the credential.
fn check_claims(cred: &Value, claims: &Value, report: &mut Report) {
    let mut wrong = Vec::new();
    let mut notes = Vec::new();
    let claim = |name: &str| claims.get(name);
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    match (text(claim("iss")), issuer_id(cred)) {
        (Some(iss), Some(id)) if iss != id => {
            wrong.push(format!("iss is {iss}, but the issuer is {id}"))
        }
        (None, _) => notes.push("there is no iss claim".to_owned()),
        _ => {}
    }
    match (text(claim("jti")), cred.get("id").and_then(Value::as_str)) {
        (Some(jti), Some(id)) if jti != id => {
            wrong.push(format!("jti is {jti}, but the credential id is {id}"))
        }
        (None, Some(_)) => notes.push("there is no jti claim".to_owned()),
        _ => {}
    }
    let subject_id = cred
        .get("credentialSubject")
        .and_then(|s| s.get("id"))
        .and_then(Value::as_str);
    match (text(claim("sub")), subject_id) {
        (Some(sub), Some(id)) if sub != id => {
            wrong.push(format!("sub is {sub}, but the recipient is {id}"))
        }
        (Some(sub), None) => wrong.push(format!(
            "sub is {sub}, but the credential names no recipient id"
        )),
        (None, _) => notes
            .push("there is no sub claim (the official 1EdTech samples omit it too)".to_owned()),
        _ => {}
    }
    let date = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| cred.get(*n))
            .and_then(|v| common::parse_date(v).ok())
    };
    let numeric = |name: &str| claim(name).and_then(|v| common::parse_date(v).ok());
    for (claim_name, fields) in [
        ("nbf", ["validFrom", "issuanceDate"]),
        ("exp", ["validUntil", "expirationDate"]),
    ] {
        if let (Some(c), Some(d)) = (numeric(claim_name), date(&fields)) {
            if (c.secs - d.secs).abs() > 1 {
                wrong.push(format!(
                    "{claim_name} is {}, but the credential says {}",
                    crate::clock::rfc3339(c.secs),
                    crate::clock::rfc3339(d.secs)
                ));
            }
        }
    }
    if !wrong.is_empty() {
        report.push(Check::fail(
            checks::PROOF_JWT_CLAIMS,
            "The JWT's claims contradict the credential it carries.",
            Some(wrong.join("; ")),
        ));
    } else if !notes.is_empty() {
        report.push(Check::warn(
            checks::PROOF_JWT_CLAIMS,
            "The JWT's claims agree with the credential, but some are missing.",
            Some(notes.join("; ")),
        ));
    } else {
        report.push(Check::pass(
            checks::PROOF_JWT_CLAIMS,
            "The JWT's claims agree with the credential.",
            None,
        ));
    }
}

/// Validity dates: `validFrom`/`validUntil` (VCDM 2.0) or
/// `issuanceDate`/`expirationDate` (1.1); a VC-JWT's `nbf`/`exp` stand in
/// when the credential has none.
fn check_validity(cred: &Value, claims: Option<&Value>, ctx: &Ctx<'_>, report: &mut Report) {
    let pick = |v: &Value, names: &[&'static str]| {
        names
            .iter()
            .find_map(|n| v.get(*n).map(|x| (*n, x.clone())))
    };
    let from_jwt = |name: &'static str| claims.and_then(|c| pick(c, &[name]));
    let (start_cred, end_cred) = (
        pick(cred, &["validFrom", "issuanceDate"]),
        pick(cred, &["validUntil", "expirationDate"]),
    );
    // NumericDate claims are Unix seconds, not the date-times the credential must use.
    let from_claims = (start_cred.is_none() && from_jwt("nbf").is_some())
        || (end_cred.is_none() && from_jwt("exp").is_some());
    let strict = !from_claims;
    let start = start_cred.or_else(|| from_jwt("nbf"));
    let end = end_cred.or_else(|| from_jwt("exp"));
    common::check_dates(
        report,
        ctx.opts,
        start
            .as_ref()
            .map(|(name, value)| DateField { name, value }),
        end.as_ref().map(|(name, value)| DateField { name, value }),
        strict,
    );
}

/// Every endorsement embedded anywhere in `cred` (not inside a CLR's
/// credentials, which are reported on their own): JSON objects and JWT strings.
fn endorsements(cred: &Value) -> Vec<Credential<'_>> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<Credential<'a>>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match k.as_str() {
                        "proof" | "verifiableCredential" => {}
                        "endorsement" => {
                            let items: Vec<&Value> = match x {
                                Value::Array(a) => a.iter().collect(),
                                other => vec![other],
                            };
                            out.extend(
                                items
                                    .into_iter()
                                    .filter(|i| i.is_object())
                                    .map(Credential::Json),
                            );
                        }
                        "endorsementJwt" => {
                            let items: Vec<&Value> = match x {
                                Value::Array(a) => a.iter().collect(),
                                other => vec![other],
                            };
                            out.extend(items.into_iter().map(jwt_value));
                        }
                        _ => walk(x, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(cred, &mut out);
    out
}

/// A compact JWS string as a credential to verify.
fn decode_jwt<'a>(s: &str) -> Credential<'a> {
    match crate::jws::decode(s) {
        Ok(jws) => match jws.payload_json() {
            Ok(claims @ Value::Object(_)) => Credential::Jwt(jws, claims),
            _ => Credential::Unreadable("the JWT's payload is not a JSON object".to_owned()),
        },
        Err(e) => Credential::Unreadable(format!("it is not a readable JWT: {e}")),
    }
}

/// An `endorsementJwt` / `verifiableCredential` entry that should be a JWT string.
fn jwt_value<'a>(v: &Value) -> Credential<'a> {
    match v {
        Value::String(s) => decode_jwt(s),
        _ => Credential::Unreadable("it is neither a credential nor a JWT string".to_owned()),
    }
}

/// A fresh report for a credential inside the input.
fn nested_report(cred: &Value, now: i64) -> Report {
    let d = detect::detect_json(cred);
    Report {
        assertion_id: cred.get("id").and_then(Value::as_str).map(str::to_owned),
        badge_name: cred.get("name").and_then(Value::as_str).map(str::to_owned),
        issuer: Some(issuer_name(cred)),
        issuer_id: issuer_id(cred).map(str::to_owned),
        ..Report::blank(now, d.version, d.kind)
    }
}

fn credential_value(c: &Credential<'_>) -> Value {
    match c {
        Credential::Json(v) => (*v).clone(),
        Credential::Jwt(_, claims) => jwt::credential_of(claims).0,
        Credential::Unreadable(_) => Value::Null,
    }
}

fn status_word(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "pass",
        CheckStatus::Fail => "fail",
        CheckStatus::Warn => "warn",
        CheckStatus::Skip => "skip",
    }
}

/// The first check with `status`, for a summary.
fn first(report: &Report, status: CheckStatus) -> Option<&Check> {
    report
        .checks
        .iter()
        .find(|c| c.status == status && !(status == CheckStatus::Fail && c.id == super::EXPIRY))
}

/// `refresh`: the credential names a `refreshService`, where its issuer offers
/// an updated copy. Said in plain words; never contacted (a refresh service
/// is for the holder's wallet, and may ask for authentication).
fn check_refresh(cred: &Value, report: &mut Report) {
    let services: Vec<&Value> = match cred.get("refreshService") {
        None | Some(Value::Null) => return,
        Some(Value::Array(a)) => a.iter().collect(),
        Some(one) => vec![one],
    };
    let described: Vec<String> = services
        .iter()
        .map(|s| {
            let id = s
                .get("id")
                .and_then(Value::as_str)
                .or_else(|| s.as_str())
                .unwrap_or("an unnamed address");
            let ty = s.get("type").and_then(Value::as_str).unwrap_or("untyped");
            format!("{} ({})", common::clip(id, 120), common::clip(ty, 60))
        })
        .collect();
    let first = services
        .first()
        .and_then(|s| s.get("id").and_then(Value::as_str).or_else(|| s.as_str()));
    let message = match first.filter(|u| crate::detect::is_http_url(u)) {
        Some(url) => format!(
            "The issuer offers an updated copy of this credential at {}; Satchel checked the copy you have and did not contact that address.",
            common::clip(url, 120)
        ),
        None => "The credential names a refresh service where its issuer may offer an updated copy; Satchel checked the copy you have and did not contact it.".to_owned(),
    };
    report.push(Check::pass(
        checks::REFRESH,
        message,
        Some(format!("refreshService: {}", described.join(", "))),
    ));
}

/// `endorsement.N`: each endorsement verified as a credential of its own. An
/// endorsement that does not verify is a warning about the endorsement, not
/// evidence against the badge.
fn check_endorsements(cred: &Value, ctx: &Ctx<'_>, report: &mut Report) {
    if ctx.depth >= MAX_DEPTH {
        return;
    }
    let found = endorsements(cred);
    let mut checked = 0;
    for (i, e) in found.iter().enumerate().take(MAX_NESTED) {
        if ctx.budget.get() == 0 {
            break;
        }
        ctx.budget.set(ctx.budget.get() - 1);
        checked += 1;
        let value = credential_value(e);
        let mut sub = nested_report(&value, ctx.opts.now);
        let inner = Ctx {
            fetch: ctx.fetch,
            opts: ctx.opts,
            depth: ctx.depth + 1,
            budget: ctx.budget,
        };
        verify_credential(e, &inner, &mut sub, None);
        sub.finish();
        let who = issuer_name(&value);
        let id = checks::numbered_endorsement(i + 1);
        let detail = Some(
            sub.checks
                .iter()
                .map(|c| format!("{} ({}): {}", c.id, status_word(c.status), c.message))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let check = match sub.status {
            Verdict::Verified => Check::pass(
                &id,
                format!("The endorsement by {who} is verified."),
                detail,
            ),
            Verdict::Expired => Check::warn(
                &id,
                format!("The endorsement by {who} has expired."),
                detail,
            ),
            Verdict::Revoked => Check::warn(
                &id,
                format!("The endorsement by {who} was revoked by its issuer."),
                detail,
            ),
            Verdict::Suspended => Check::warn(
                &id,
                format!("The endorsement by {who} is suspended by its issuer."),
                detail,
            ),
            Verdict::Invalid => {
                let why = first(&sub, CheckStatus::Fail)
                    .map(|c| lower_first(&c.message))
                    .unwrap_or_default();
                Check::warn(
                    &id,
                    format!("The endorsement by {who} is not valid: {why}"),
                    detail,
                )
            }
            Verdict::Unverifiable => {
                let why = first(&sub, CheckStatus::Skip)
                    .map(|c| lower_first(&c.message))
                    .unwrap_or_default();
                Check::warn(
                    &id,
                    format!("Satchel could not verify the endorsement by {who}: {why}"),
                    detail,
                )
            }
        };
        report.push(check);
    }
    if found.len() > checked {
        report.push(Check::warn(
            checks::ENDORSEMENT,
            format!(
                "The credential carries {} endorsements; Satchel checked {checked} of them.",
                found.len()
            ),
            None,
        ));
    }
}

/// A valid signature's outcome once the issuer's documents were asked about
/// its key: a key they do not list, or could not be asked about, decides.
fn bound(
    cred: &Value,
    key: Option<ResolvedKey>,
    signature: (Outcome, String, String),
    fetch: &dyn Fetch,
) -> (Outcome, String, String) {
    match key {
        Some(key) if signature.0 == Outcome::Valid => {
            let (outcome, message, detail) = issuer_key(cred, &key, fetch);
            let detail = format!("{}\n{detail}", signature.2);
            if outcome == Outcome::Valid {
                (outcome, signature.1, detail)
            } else {
                (outcome, message, detail)
            }
        }
        _ => signature,
    }
}

/// `clr.credential.N`: the proof of each credential a CLR bundles.
fn check_clr_credentials(cred: &Value, ctx: &Ctx<'_>, report: &mut Report) {
    let inner: Vec<Credential<'_>> = match cred
        .get("credentialSubject")
        .and_then(|s| s.get("verifiableCredential"))
    {
        Some(Value::Array(a)) => a
            .iter()
            .map(|v| match v {
                Value::Object(_) => Credential::Json(v),
                other => jwt_value(other),
            })
            .collect(),
        Some(v @ Value::Object(_)) => vec![Credential::Json(v)],
        Some(v @ Value::String(_)) => vec![jwt_value(v)],
        _ => Vec::new(),
    };
    for (i, c) in inner.iter().enumerate().take(MAX_NESTED) {
        let value = credential_value(c);
        let name = value
            .get("name")
            .and_then(Value::as_str)
            .map(|n| format!("\"{n}\""))
            .unwrap_or_else(|| "an unnamed credential".to_owned());
        let (outcome, message, detail) = match c {
            Credential::Json(v) => {
                let r = integrity::check(v, issuer_id(v), ctx.fetch, ctx.opts.now);
                let key = r.valid.and_then(|v| v.key);
                bound(v, key, (r.outcome, r.message, r.detail), ctx.fetch)
            }
            Credential::Jwt(jws, claims) => {
                let r = jwt::check(jws, claims, ctx.fetch);
                bound(&value, r.key, (r.outcome, r.message, r.detail), ctx.fetch)
            }
            Credential::Unreadable(why) => (
                Outcome::Invalid,
                common::sentence(why),
                "an entry of credentialSubject.verifiableCredential".to_owned(),
            ),
        };
        let id = checks::numbered_clr_credential(i + 1);
        let message = match outcome {
            Outcome::Valid => {
                format!("The record's credential {name} has a valid signature of its own.")
            }
            _ => format!("The record's credential {name}: {}", lower_first(&message)),
        };
        report.push(check_of(&id, outcome, message, Some(detail)));
    }
    if inner.len() > MAX_NESTED {
        report.push(Check::warn(
            checks::CLR_CREDENTIAL,
            format!(
                "The record bundles {} credentials; Satchel checked the first {MAX_NESTED}.",
                inner.len()
            ),
            None,
        ));
    }
}
