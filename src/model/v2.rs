//! Open Badges 2.0 types (2018).
//!
//! Every field is optional and a value of the wrong type reads as `None` (or
//! is left out of a list) instead of failing the whole document; see
//! [`super::v0`] for the shared lenient shapes. Unknown properties are ignored.

use super::v0::{flag, lenient_structs, many, opt, text, DateValue, IriOrObject, Lenient};
use serde::{Deserialize, Serialize};

/// An OB 2.0 Assertion: the award of a badge to one recipient.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Assertion {
    /// IRI of the assertion (hosted: its URL; signed: often `urn:uuid:`).
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (should contain `Assertion`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Who received it.
    #[serde(deserialize_with = "opt")]
    pub recipient: Option<IdentityObject>,
    /// The BadgeClass: its IRI or the embedded object.
    #[serde(deserialize_with = "opt")]
    pub badge: Option<IriOrObject<BadgeClass>>,
    /// How to verify it.
    #[serde(deserialize_with = "opt")]
    pub verification: Option<VerificationObject>,
    /// `verify`, the 1.x alias of `verification`.
    #[serde(deserialize_with = "opt")]
    pub verify: Option<VerificationObject>,
    /// When it was issued.
    #[serde(deserialize_with = "opt")]
    pub issued_on: Option<DateValue>,
    /// Image of this award (IRI or Image object).
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// Evidence: IRIs or Evidence objects.
    #[serde(deserialize_with = "many")]
    pub evidence: Vec<IriOrObject<Evidence>>,
    /// What the recipient did to earn it (Markdown).
    #[serde(deserialize_with = "opt")]
    pub narrative: Option<String>,
    /// When it expires.
    #[serde(deserialize_with = "opt")]
    pub expires: Option<DateValue>,
    /// `true` in the body of a revoked hosted assertion.
    #[serde(deserialize_with = "flag")]
    pub revoked: Option<bool>,
    /// Why it was revoked.
    #[serde(deserialize_with = "opt")]
    pub revocation_reason: Option<String>,
    /// Deprecated 1.x local identifier.
    #[serde(deserialize_with = "text")]
    pub uid: Option<String>,
    /// Endorsements: IRIs or Endorsement objects.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<IriOrObject<Endorsement>>,
}

/// An OB 2.0 BadgeClass: the achievement a badge stands for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct BadgeClass {
    /// Its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (should contain `BadgeClass`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image: an IRI, a `data:` URI or an Image object.
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// Criteria: a URL or a Criteria object.
    #[serde(deserialize_with = "opt")]
    pub criteria: Option<IriOrObject<Criteria>>,
    /// Issuer: IRI of its Profile or the embedded Profile.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<Profile>>,
    /// Alignments to frameworks.
    #[serde(deserialize_with = "many")]
    pub alignment: Vec<AlignmentObject>,
    /// Tags.
    #[serde(deserialize_with = "many")]
    pub tags: Vec<String>,
    /// Endorsements: IRIs or Endorsement objects.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<IriOrObject<Endorsement>>,
}

/// An OB 2.0 Profile (an issuer, or an endorser).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Profile {
    /// Its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`Issuer` or `Profile`).
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
    /// Phone number (E.164).
    #[serde(deserialize_with = "text")]
    pub telephone: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image: an IRI, a `data:` URI or an Image object.
    #[serde(deserialize_with = "opt")]
    pub image: Option<IriOrObject<Image>>,
    /// Public keys: IRIs or CryptographicKey objects.
    #[serde(deserialize_with = "many")]
    pub public_key: Vec<IriOrObject<CryptographicKey>>,
    /// Verification policy for hosted assertions.
    #[serde(deserialize_with = "opt")]
    pub verification: Option<VerificationObject>,
    /// IRI of the issuer's RevocationList.
    #[serde(deserialize_with = "opt")]
    pub revocation_list: Option<String>,
    /// Endorsements: IRIs or Endorsement objects.
    #[serde(deserialize_with = "many")]
    pub endorsement: Vec<IriOrObject<Endorsement>>,
}

/// Who a badge was awarded to (OB 1.0 – 2.0).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct IdentityObject {
    /// The identity type: `email`, `url`, `telephone`, `id`.
    #[serde(rename = "type", deserialize_with = "opt")]
    pub kind: Option<String>,
    /// Plaintext identity or `alg$hex` hash.
    #[serde(deserialize_with = "opt")]
    pub identity: Option<String>,
    /// Is `identity` a hash?
    #[serde(deserialize_with = "flag")]
    pub hashed: Option<bool>,
    /// Salt appended to the identity before hashing.
    #[serde(deserialize_with = "text")]
    pub salt: Option<String>,
}

/// How to verify an assertion, or (in a Profile) the issuer's hosting policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct VerificationObject {
    /// `HostedBadge`/`hosted`, `SignedBadge`/`signed`, or `VerificationObject`.
    #[serde(rename = "type", deserialize_with = "opt")]
    pub kind: Option<String>,
    /// Signed: IRI of the CryptographicKey used.
    #[serde(deserialize_with = "opt")]
    pub creator: Option<String>,
    /// 1.x: URL of the hosted assertion or of the signing key.
    #[serde(deserialize_with = "opt")]
    pub url: Option<String>,
    /// Property checked by the policy (only `id`).
    #[serde(deserialize_with = "opt")]
    pub verification_property: Option<String>,
    /// URL prefixes hosted assertion ids must start with.
    #[serde(deserialize_with = "many")]
    pub starts_with: Vec<String>,
    /// Hosts (`host[:port]`) hosted assertions may live on.
    #[serde(deserialize_with = "many")]
    pub allowed_origins: Vec<String>,
}

/// Evidence of an achievement.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Evidence {
    /// Link to the evidence.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// Narrative (Markdown).
    #[serde(deserialize_with = "opt")]
    pub narrative: Option<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Genre ("Research", "Photograph" ...).
    #[serde(deserialize_with = "opt")]
    pub genre: Option<String>,
    /// Intended audience.
    #[serde(deserialize_with = "opt")]
    pub audience: Option<String>,
}

/// An image with metadata.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Image {
    /// URL or `data:` URI of the image.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// Caption.
    #[serde(deserialize_with = "opt")]
    pub caption: Option<String>,
    /// IRI of the author.
    #[serde(deserialize_with = "opt")]
    pub author: Option<String>,
}

/// What the earner had to do.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Criteria {
    /// Link to the criteria page.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// Criteria text (Markdown).
    #[serde(deserialize_with = "opt")]
    pub narrative: Option<String>,
}

/// An alignment to an external framework.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct AlignmentObject {
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
}

/// An OB 2.0 Endorsement: a third party's claim about a badge, issuer or assertion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Endorsement {
    /// Its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (should contain `Endorsement`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// What is claimed, about which entity.
    #[serde(deserialize_with = "opt")]
    pub claim: Option<EndorsementClaim>,
    /// The endorser.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<Profile>>,
    /// When it was issued.
    #[serde(deserialize_with = "opt")]
    pub issued_on: Option<DateValue>,
    /// How to verify it.
    #[serde(deserialize_with = "opt")]
    pub verification: Option<VerificationObject>,
    /// `true` when revoked.
    #[serde(deserialize_with = "flag")]
    pub revoked: Option<bool>,
    /// Why it was revoked.
    #[serde(deserialize_with = "opt")]
    pub revocation_reason: Option<String>,
}

/// The claim of an [`Endorsement`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct EndorsementClaim {
    /// IRI of the endorsed entity.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The endorser's comment (Markdown).
    #[serde(deserialize_with = "opt")]
    pub endorsement_comment: Option<String>,
}

/// A public key of an issuer (signed assertions).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct CryptographicKey {
    /// Its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`CryptographicKey`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// IRI of the owning issuer Profile.
    #[serde(deserialize_with = "opt")]
    pub owner: Option<String>,
    /// PEM SubjectPublicKeyInfo.
    #[serde(deserialize_with = "opt")]
    pub public_key_pem: Option<String>,
}

/// An issuer's list of revoked assertions.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct RevocationList {
    /// Its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// The `type` values (`RevocationList`).
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// IRI of the issuer.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<String>,
    /// The revoked assertions.
    #[serde(deserialize_with = "many")]
    pub revoked_assertions: Vec<RevokedAssertion>,
}

impl RevocationList {
    /// The entry revoking the assertion with this `id` (or 1.x `uid`), if any.
    /// Entries that say `"revoked": false` do not count.
    pub fn lookup(&self, id_or_uid: &str) -> Option<&RevokedAssertion> {
        self.revoked_assertions
            .iter()
            .find(|e| e.revoked() && (e.id() == Some(id_or_uid) || e.uid() == Some(id_or_uid)))
    }
}

/// One entry of a [`RevocationList`].
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(untagged)]
pub enum RevokedAssertion {
    /// Just the assertion id.
    Id(String),
    /// `{id, revocationReason?, revoked?}`, or legacy `{uid, revocationReason?}`.
    Entry(RevokedEntry),
}

/// An object entry of a [`RevocationList`].
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct RevokedEntry {
    /// The revoked assertion's id.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// Legacy: the revoked assertion's 1.x `uid`.
    #[serde(deserialize_with = "text")]
    pub uid: Option<String>,
    /// Why it was revoked.
    #[serde(deserialize_with = "opt")]
    pub revocation_reason: Option<String>,
    /// Revoked? Presence in the list means yes; `false` is unusual.
    #[serde(deserialize_with = "flag")]
    pub revoked: Option<bool>,
}

impl RevokedAssertion {
    /// The revoked assertion's id.
    pub fn id(&self) -> Option<&str> {
        match self {
            RevokedAssertion::Id(id) => Some(id),
            RevokedAssertion::Entry(e) => e.id.as_deref(),
        }
    }

    /// The revoked assertion's legacy `uid`.
    pub fn uid(&self) -> Option<&str> {
        match self {
            RevokedAssertion::Id(_) => None,
            RevokedAssertion::Entry(e) => e.uid.as_deref(),
        }
    }

    /// The reason given, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            RevokedAssertion::Id(_) => None,
            RevokedAssertion::Entry(e) => e.revocation_reason.as_deref(),
        }
    }

    /// Does this entry revoke (`revoked` defaults to true)?
    pub fn revoked(&self) -> bool {
        match self {
            RevokedAssertion::Id(_) => true,
            RevokedAssertion::Entry(e) => e.revoked != Some(false),
        }
    }
}

lenient_structs!(
    Assertion,
    BadgeClass,
    Profile,
    IdentityObject,
    VerificationObject,
    Evidence,
    Image,
    Criteria,
    AlignmentObject,
    Endorsement,
    EndorsementClaim,
    CryptographicKey,
    RevocationList,
    RevokedEntry,
);

impl Lenient for RevokedAssertion {
    fn from_string(s: String) -> Option<Self> {
        Some(RevokedAssertion::Id(s))
    }
    fn from_map<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        Ok(RevokedEntry::from_map(map)?.map(RevokedAssertion::Entry))
    }
}
