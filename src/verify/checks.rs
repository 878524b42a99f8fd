//! The ids of verification checks, in one place. A [`Check`](super::Check)'s
//! id is a stable, dotted word (the same string in JSON output, the stored
//! reports and the share pages); tests and the UI refer to checks by it.
//! Rust code names a check only through these constants.
//!
//! A few ids are made from a prefix: `badge.fetch` / `issuer.fetch` and
//! `badge.id` / `issuer.id` (OB 2.0 linked documents, see
//! [`linked_fetch`] and [`linked_id`]), `verification.creator` (OB 2.0
//! signed: the key's address), and `extension.N` (the N-th extension
//! checked against its schema, [`extension`]), `endorsement.N` (the N-th
//! endorsement, [`numbered_endorsement`]) and `clr.credential.N` (the proof
//! of the N-th credential in a CLR, [`numbered_clr_credential`]).

/// The id of the check of a linked OB 2.0 document's fetch: `badge.fetch`, `issuer.fetch`.
pub fn linked_fetch(what: &str) -> String {
    format!("{what}.fetch")
}

/// The id of the check of a linked OB 2.0 document's id: `badge.id`, `issuer.id`.
pub fn linked_id(what: &str) -> String {
    format!("{what}.id")
}

/// The id of the check of extension number `n` against its schema: `extension.N`.
pub fn extension(n: usize) -> String {
    format!("extension.{n}")
}

/// The id of the check of the proof of credential number `n` inside a CLR: `clr.credential.N`.
pub fn numbered_clr_credential(n: usize) -> String {
    format!("{CLR_CREDENTIAL}.{n}")
}

/// The id of the check of endorsement number `n`: `endorsement.N`.
pub fn numbered_endorsement(n: usize) -> String {
    format!("{ENDORSEMENT}.{n}")
}

/// `assertion.context`: OB 2.0: the assertion's JSON-LD context.
pub const ASSERTION_CONTEXT: &str = "assertion.context";

/// `assertion.extensions`: OB 2.0: extensions that could not be checked against their schemas.
pub const ASSERTION_EXTENSIONS: &str = "assertion.extensions";

/// `assertion.fields`: OB 0.5–2.0: the assertion's required fields.
pub const ASSERTION_FIELDS: &str = "assertion.fields";

/// `assertion.image`: OB 2.0: the assertion's own image.
pub const ASSERTION_IMAGE: &str = "assertion.image";

/// `assertion.kind`: The input holds nothing Satchel can verify as an assertion.
pub const ASSERTION_KIND: &str = "assertion.kind";

/// `assertion.recipient`: OB 2.0: the recipient identity object.
pub const ASSERTION_RECIPIENT: &str = "assertion.recipient";

/// `assertion.type`: OB 2.0: the assertion's type.
pub const ASSERTION_TYPE: &str = "assertion.type";

/// `badge.fields`: OB 2.0: the badge class's required fields.
pub const BADGE_FIELDS: &str = "badge.fields";

/// `badge.image`: OB 2.0: the badge class's image.
pub const BADGE_IMAGE: &str = "badge.image";

/// `badge.type`: OB 2.0: the badge class's type.
pub const BADGE_TYPE: &str = "badge.type";

/// `clr.credential`: CLR 2.0: one credential the CLR carries.
pub const CLR_CREDENTIAL: &str = "clr.credential";

/// `context`: OB 3.0 / CLR 2.0: the credential's JSON-LD contexts.
pub const CONTEXT: &str = "context";

/// `data-model`: OB 3.0 / CLR 2.0: the Verifiable Credentials data model version.
pub const DATA_MODEL: &str = "data-model";

/// `dates.format`: Validity dates that cannot be read, or are written loosely.
pub const DATES_FORMAT: &str = "dates.format";

/// `dates.order`: The expiry date is before the issue date.
pub const DATES_ORDER: &str = "dates.order";

/// `dates.start`: Not valid yet (issued in the future).
pub const DATES_START: &str = "dates.start";

/// `endorsement`: One endorsement, verified as a document of its own.
pub const ENDORSEMENT: &str = "endorsement";

/// `endorsement.context`: OB 2.0: an endorsement's JSON-LD context.
pub const ENDORSEMENT_CONTEXT: &str = "endorsement.context";

/// `endorsement.fields`: OB 2.0: an endorsement's required fields.
pub const ENDORSEMENT_FIELDS: &str = "endorsement.fields";

/// `endorsement.kind`: OB 2.0: a document given as an endorsement is none.
pub const ENDORSEMENT_KIND: &str = "endorsement.kind";

/// `endorsement.type`: OB 2.0: an endorsement's type.
pub const ENDORSEMENT_TYPE: &str = "endorsement.type";

/// `expiry`: The expiry date: when it fails the badge is expired, not invalid.
pub const EXPIRY: &str = "expiry";

/// `hosted.copy`: OB 2.0 hosted: the copy at hand against the issuer's.
pub const HOSTED_COPY: &str = "hosted.copy";

/// `hosted.fetch`: OB 2.0 hosted: fetching the assertion from its address.
pub const HOSTED_FETCH: &str = "hosted.fetch";

/// `hosted.id`: OB 2.0 hosted: the assertion's id against its address.
pub const HOSTED_ID: &str = "hosted.id";

/// `hosted.scope`: OB 2.0 hosted: the address inside the issuer's verification policy.
pub const HOSTED_SCOPE: &str = "hosted.scope";

/// `hosted.url`: OB 2.0 hosted: the assertion's address itself.
pub const HOSTED_URL: &str = "hosted.url";

/// `input`: the CLI could not read the input at all (no report was made).
pub const INPUT: &str = "input";

/// `issuer.fields`: OB 2.0: the issuer profile's required fields.
pub const ISSUER_FIELDS: &str = "issuer.fields";

/// `issuer.http`: OB 2.0: an issuer profile served over plain http.
pub const ISSUER_HTTP: &str = "issuer.http";

/// `issuer.image`: OB 2.0: the issuer's image.
pub const ISSUER_IMAGE: &str = "issuer.image";

/// `issuer.type`: OB 2.0: the issuer profile's type.
pub const ISSUER_TYPE: &str = "issuer.type";

/// `proof`: OB 3.0 / CLR 2.0: the Data Integrity proof or VC-JWT signature.
pub const PROOF: &str = "proof";

/// `proof.identity`: OB 3.0: a did:key issuer is identified only by its key.
pub const PROOF_IDENTITY: &str = "proof.identity";

/// `proof.jwt-claims`: OB 3.0 VC-JWT: the JWT claims against the credential.
pub const PROOF_JWT_CLAIMS: &str = "proof.jwt-claims";

/// `proof.issuer`: OB 3.0: the signing key belongs to the issuer.
pub const PROOF_ISSUER: &str = "proof.issuer";

/// `proof.suite`: OB 3.0: a proof suite Satchel does not check.
pub const PROOF_SUITE: &str = "proof.suite";

/// `recipient`: The recipient against the user's identities.
pub const RECIPIENT: &str = "recipient";

/// `refresh`: OB 3.0: the credential's refresh service.
pub const REFRESH: &str = "refresh";

/// `revocation.hosted`: OB 2.0 hosted: the issuer answered that the assertion is revoked (HTTP 410 or `revoked`).
pub const REVOCATION_HOSTED: &str = "revocation.hosted";

/// `revocation.list`: OB 2.0 signed: the issuer's revocation list.
pub const REVOCATION_LIST: &str = "revocation.list";

/// `schema`: OB 3.0 / CLR 2.0: the structural checks that decide validity.
pub const SCHEMA: &str = "schema";

/// `schema.json`: OB 3.0 / CLR 2.0: the official JSON Schema (warnings only).
pub const SCHEMA_JSON: &str = "schema.json";

/// `signature.issuer`: OB 2.0 signed: the key is owned by and listed in the issuer's profile.
pub const SIGNATURE_ISSUER: &str = "signature.issuer";

/// `signature.jws`: OB 2.0 signed: the JWS signature.
pub const SIGNATURE_JWS: &str = "signature.jws";

/// `signature.key`: OB 2.0 signed: fetching and reading the public key.
pub const SIGNATURE_KEY: &str = "signature.key";

/// `status`: OB 3.0 / CLR 2.0: revocation and status lists.
pub const STATUS: &str = "status";

/// `type`: OB 3.0 / CLR 2.0: the credential's type.
pub const TYPE: &str = "type";

/// `verification.supported`: A kind of document Satchel cannot verify yet.
pub const VERIFICATION_SUPPORTED: &str = "verification.supported";

/// `verification.type`: OB 2.0: the assertion's verification object.
pub const VERIFICATION_TYPE: &str = "verification.type";

/// Every fixed id above.
pub const ALL: [&str; 50] = [
    ASSERTION_CONTEXT,
    ASSERTION_EXTENSIONS,
    ASSERTION_FIELDS,
    ASSERTION_IMAGE,
    ASSERTION_KIND,
    ASSERTION_RECIPIENT,
    ASSERTION_TYPE,
    BADGE_FIELDS,
    BADGE_IMAGE,
    BADGE_TYPE,
    CLR_CREDENTIAL,
    CONTEXT,
    DATA_MODEL,
    DATES_FORMAT,
    DATES_ORDER,
    DATES_START,
    ENDORSEMENT,
    ENDORSEMENT_CONTEXT,
    ENDORSEMENT_FIELDS,
    ENDORSEMENT_KIND,
    ENDORSEMENT_TYPE,
    EXPIRY,
    HOSTED_COPY,
    HOSTED_FETCH,
    HOSTED_ID,
    HOSTED_SCOPE,
    HOSTED_URL,
    INPUT,
    ISSUER_FIELDS,
    ISSUER_HTTP,
    ISSUER_IMAGE,
    ISSUER_TYPE,
    PROOF,
    PROOF_IDENTITY,
    PROOF_JWT_CLAIMS,
    PROOF_ISSUER,
    PROOF_SUITE,
    RECIPIENT,
    REFRESH,
    REVOCATION_HOSTED,
    REVOCATION_LIST,
    SCHEMA,
    SCHEMA_JSON,
    SIGNATURE_ISSUER,
    SIGNATURE_JWS,
    SIGNATURE_KEY,
    STATUS,
    TYPE,
    VERIFICATION_SUPPORTED,
    VERIFICATION_TYPE,
];

/// Is `id` one of Satchel's check ids (a fixed one or a prefixed form)?
pub fn is_known(id: &str) -> bool {
    ALL.contains(&id)
        || ["badge", "issuer"]
            .iter()
            .any(|p| id == linked_fetch(p) || id == linked_id(p))
        || ["extension.", "endorsement.", "clr.credential."]
            .iter()
            .any(|p| {
                id.strip_prefix(p)
                    .is_some_and(|n| n.parse::<usize>().is_ok())
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_lowercase_dotted_words() {
        for (i, id) in ALL.iter().enumerate() {
            assert!(!ALL[..i].contains(id), "{id} twice");
            assert!(
                id.split('.').all(
                    |w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                ),
                "{id}"
            );
        }
        assert!(is_known("extension.3") && is_known("issuer.fetch"));
        assert!(!is_known("extension.x") && !is_known("proof.nothing"));
    }
}
