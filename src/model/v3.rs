//! Open Badges 3.0 and CLR 2.0 types: W3C Verifiable Credentials.
//!
//! Both VC data models are read: 2.0 (`validFrom`/`validUntil`) and 1.1
//! (`issuanceDate`/`expirationDate`). A VC-JWT (VCDM 1.1) carries the credential
//! in the `vc` claim of [`JwtClaims`]. Lenient like every model type: see
//! [`super::v0`].

use super::v0::{flag, lenient_structs, many, opt, text, IriOrObject, Lenient};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::v2::{Criteria, Evidence, Image};

/// The spec's other name for an [`AchievementCredential`].
pub type OpenBadgeCredential = AchievementCredential;

/// An OB 3.0 OpenBadgeCredential / AchievementCredential.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct AchievementCredential {
    /// The credential id (URI).
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`VerifiableCredential`, `OpenBadgeCredential` ...).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Display name for wallets.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Display description for wallets.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Display image for wallets.
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// The issuer: a Profile or its URI.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<Profile>>,
    /// VCDM 2.0: valid from (issue date).
    #[serde(deserialize_with = "opt")]
    pub valid_from: Option<String>,
    /// VCDM 2.0: valid until (expiry).
    #[serde(deserialize_with = "opt")]
    pub valid_until: Option<String>,
    /// VCDM 1.1: issue date.
    #[serde(deserialize_with = "opt")]
    pub issuance_date: Option<String>,
    /// VCDM 1.1: expiry.
    #[serde(deserialize_with = "opt")]
    pub expiration_date: Option<String>,
    /// When the achievement was awarded.
    #[serde(deserialize_with = "opt")]
    pub awarded_date: Option<String>,
    /// The recipient and the achievement.
    #[serde(deserialize_with = "opt")]
    pub credential_subject: Option<AchievementSubject>,
    /// Embedded endorsements.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements as compact JWS strings.
    #[serde(deserialize_with = "many")]
    pub endorsement_jwt: Vec<String>,
    /// Evidence objects (or links).
    #[serde(deserialize_with = "many")]
    pub evidence: Vec<IriOrObject<Evidence>>,
    /// Status (revocation / suspension) information, as written.
    #[serde(deserialize_with = "opt")]
    pub credential_status: Option<Value>,
    /// Embedded proofs, as written.
    #[serde(deserialize_with = "many")]
    pub proof: Vec<Value>,
}

/// The subject of an [`AchievementCredential`]: the recipient and what they achieved.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct AchievementSubject {
    /// The recipient's id (often a DID).
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`AchievementSubject`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Other identifiers of the recipient (possibly hashed).
    #[serde(deserialize_with = "many")]
    pub identifier: Vec<IdentityObject>,
    /// What was achieved.
    #[serde(deserialize_with = "opt")]
    pub achievement: Option<Achievement>,
    /// Results (grades, levels, statuses).
    #[serde(deserialize_with = "many")]
    pub result: Vec<AchievementResult>,
    /// Narrative of this award (Markdown).
    #[serde(deserialize_with = "opt")]
    pub narrative: Option<String>,
    /// Image of this award (the baked image).
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// The earner's name. Not in the spec, but written by some issuers.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// When the activity started.
    #[serde(deserialize_with = "opt")]
    pub activity_start_date: Option<String>,
    /// When the activity ended.
    #[serde(deserialize_with = "opt")]
    pub activity_end_date: Option<String>,
    /// Credits earned.
    #[serde(deserialize_with = "opt")]
    pub credits_earned: Option<f64>,
    /// License number, for licenses.
    #[serde(deserialize_with = "text")]
    pub license_number: Option<String>,
    /// Role of the recipient.
    #[serde(deserialize_with = "opt")]
    pub role: Option<String>,
    /// Academic term.
    #[serde(deserialize_with = "opt")]
    pub term: Option<String>,
    /// The organization that assessed the achievement, when not the issuer.
    #[serde(deserialize_with = "opt")]
    pub source: Option<Profile>,
}

/// An OB 3.0 IdentityObject (`identity` → `identityHash`, `type` → `identityType` vs 2.0).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct IdentityObject {
    /// The identity: plaintext, or `alg$hex` when `hashed`.
    #[serde(deserialize_with = "opt")]
    pub identity_hash: Option<String>,
    /// Its type: `emailAddress`, `sourcedId`, `name`, `ext:...` ...
    #[serde(deserialize_with = "opt")]
    pub identity_type: Option<String>,
    /// Is `identityHash` a hash?
    #[serde(deserialize_with = "flag")]
    pub hashed: Option<bool>,
    /// Salt appended before hashing.
    #[serde(deserialize_with = "text")]
    pub salt: Option<String>,
}

/// An OB 3.0 Achievement (the badge class of 3.0).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Achievement {
    /// Its URI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`Achievement`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Criteria `{id?, narrative?}` (or, leniently, a URL).
    #[serde(deserialize_with = "opt")]
    pub criteria: Option<IriOrObject<Criteria>>,
    /// Image: an Image object (or, leniently, a URL).
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// Alignments to frameworks.
    #[serde(deserialize_with = "many")]
    pub alignment: Vec<Alignment>,
    /// Tags.
    #[serde(deserialize_with = "many")]
    pub tag: Vec<String>,
    /// Kind of achievement (`Badge`, `Certificate`, `Degree`, `ext:...` ...).
    #[serde(deserialize_with = "opt")]
    pub achievement_type: Option<String>,
    /// Who created the achievement.
    #[serde(deserialize_with = "opt")]
    pub creator: Option<IriOrObject<Profile>>,
    /// Credits available.
    #[serde(deserialize_with = "opt")]
    pub credits_available: Option<f64>,
    /// Field of study.
    #[serde(deserialize_with = "opt")]
    pub field_of_study: Option<String>,
    /// Human-readable code ("CS101").
    #[serde(deserialize_with = "text")]
    pub human_code: Option<String>,
    /// Specialization.
    #[serde(deserialize_with = "opt")]
    pub specialization: Option<String>,
    /// Version of the achievement.
    #[serde(deserialize_with = "text")]
    pub version: Option<String>,
    /// Embedded endorsements.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements as compact JWS strings.
    #[serde(deserialize_with = "many")]
    pub endorsement_jwt: Vec<String>,
}

/// An OB 3.0 Alignment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Alignment {
    /// Name of the target.
    #[serde(deserialize_with = "opt")]
    pub target_name: Option<String>,
    /// Link to the target.
    #[serde(deserialize_with = "opt")]
    pub target_url: Option<String>,
    /// Description of the target.
    #[serde(deserialize_with = "opt")]
    pub target_description: Option<String>,
    /// Framework the target belongs to.
    #[serde(deserialize_with = "opt")]
    pub target_framework: Option<String>,
    /// Code of the target within its framework.
    #[serde(deserialize_with = "text")]
    pub target_code: Option<String>,
    /// Kind of target (`CFItem`, `CTDL`, `ext:...` ...).
    #[serde(deserialize_with = "opt")]
    pub target_type: Option<String>,
}

/// An OB 3.0 Profile: an issuer, creator or endorser.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Profile {
    /// Its URI (HTTPS URL, DID, `urn:uuid:`).
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`Profile`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Homepage.
    #[serde(deserialize_with = "opt")]
    pub url: Option<String>,
    /// Contact email.
    #[serde(deserialize_with = "opt")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(deserialize_with = "text")]
    pub phone: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image: an Image object (or a URL).
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// Embedded endorsements.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<EndorsementCredential>,
    /// Endorsements as compact JWS strings.
    #[serde(deserialize_with = "many")]
    pub endorsement_jwt: Vec<String>,
    /// Parent organization.
    #[serde(deserialize_with = "opt")]
    pub parent_org: Option<Box<Profile>>,
}

/// An OB 3.0 `Result` (a grade, level or status; renamed so as not to shadow
/// `std::result::Result`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct AchievementResult {
    /// The `type` values (`Result`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Id of the RubricCriterionLevel achieved.
    #[serde(deserialize_with = "opt")]
    pub achieved_level: Option<String>,
    /// Alignments.
    #[serde(deserialize_with = "many")]
    pub alignment: Vec<Alignment>,
    /// Id of the ResultDescription this result is for.
    #[serde(deserialize_with = "opt")]
    pub result_description: Option<String>,
    /// `Completed`, `Enrolled`, `Failed`, `InProgress`, `OnHold`, `Provisional`, `Withdrew`.
    #[serde(deserialize_with = "opt")]
    pub status: Option<String>,
    /// The value ("A", "92" ...).
    #[serde(deserialize_with = "text")]
    pub value: Option<String>,
}

/// An OB 3.0 EndorsementCredential.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct EndorsementCredential {
    /// The credential id.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`VerifiableCredential`, `EndorsementCredential`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// The endorser.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<Profile>>,
    /// VCDM 2.0: valid from.
    #[serde(deserialize_with = "opt")]
    pub valid_from: Option<String>,
    /// VCDM 2.0: valid until.
    #[serde(deserialize_with = "opt")]
    pub valid_until: Option<String>,
    /// VCDM 1.1: issue date.
    #[serde(deserialize_with = "opt")]
    pub issuance_date: Option<String>,
    /// VCDM 1.1: expiry.
    #[serde(deserialize_with = "opt")]
    pub expiration_date: Option<String>,
    /// What is endorsed, and the comment.
    #[serde(deserialize_with = "opt")]
    pub credential_subject: Option<EndorsementSubject>,
}

/// The subject of an [`EndorsementCredential`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct EndorsementSubject {
    /// Id of the endorsed entity (achievement, profile, credential).
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`EndorsementSubject`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// The endorser's comment (Markdown).
    #[serde(deserialize_with = "opt")]
    pub endorsement_comment: Option<String>,
}

/// A CLR 2.0 ClrCredential: a learner record bundling OB 3.0 credentials.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct ClrCredential {
    /// The credential id.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`VerifiableCredential`, `ClrCredential`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image.
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// The issuer.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<Profile>>,
    /// VCDM 2.0: valid from.
    #[serde(deserialize_with = "opt")]
    pub valid_from: Option<String>,
    /// VCDM 2.0: valid until.
    #[serde(deserialize_with = "opt")]
    pub valid_until: Option<String>,
    /// VCDM 1.1: issue date.
    #[serde(deserialize_with = "opt")]
    pub issuance_date: Option<String>,
    /// VCDM 1.1: expiry.
    #[serde(deserialize_with = "opt")]
    pub expiration_date: Option<String>,
    /// The learner and their credentials.
    #[serde(deserialize_with = "opt")]
    pub credential_subject: Option<ClrSubject>,
}

/// The subject of a [`ClrCredential`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct ClrSubject {
    /// The learner's id.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`ClrSubject`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Other identifiers of the learner.
    #[serde(deserialize_with = "many")]
    pub identifier: Vec<IdentityObject>,
    /// The bundled credentials (each independently signed).
    #[serde(deserialize_with = "many")]
    pub verifiable_credential: Vec<CredentialOrJwt>,
    /// Achievements the record refers to.
    #[serde(deserialize_with = "many")]
    pub achievement: Vec<Achievement>,
    /// Relations between achievements, as written.
    #[serde(deserialize_with = "many")]
    pub association: Vec<Value>,
}

/// A credential inside a CLR: embedded JSON or a compact JWS (VC-JWT).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum CredentialOrJwt {
    /// A compact JWS.
    Jwt(String),
    /// An embedded credential.
    Credential(Box<AchievementCredential>),
}

/// The claims of a VC-JWT. With VCDM 1.1 the credential is in `vc`; with
/// VCDM 2.0 the claims are the credential itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct JwtClaims {
    /// The credential (VCDM 1.1 VC-JWT).
    #[serde(deserialize_with = "opt")]
    pub vc: Option<Value>,
    /// Issuer id.
    #[serde(deserialize_with = "opt")]
    pub iss: Option<String>,
    /// Subject (recipient) id.
    #[serde(deserialize_with = "opt")]
    pub sub: Option<String>,
    /// Credential id.
    #[serde(deserialize_with = "opt")]
    pub jti: Option<String>,
    /// Not before (Unix seconds): the issue date.
    #[serde(deserialize_with = "opt")]
    pub nbf: Option<i64>,
    /// Expiry (Unix seconds).
    #[serde(deserialize_with = "opt")]
    pub exp: Option<i64>,
    /// Issued at (Unix seconds).
    #[serde(deserialize_with = "opt")]
    pub iat: Option<i64>,
}

lenient_structs!(
    AchievementCredential,
    AchievementSubject,
    IdentityObject,
    Achievement,
    Alignment,
    Profile,
    AchievementResult,
    EndorsementCredential,
    EndorsementSubject,
    ClrCredential,
    ClrSubject,
    JwtClaims,
);

impl Lenient for CredentialOrJwt {
    fn from_string(s: String) -> Option<Self> {
        Some(CredentialOrJwt::Jwt(s))
    }
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(AchievementCredential::from_map(map)?.map(|c| CredentialOrJwt::Credential(Box::new(c))))
    }
}
