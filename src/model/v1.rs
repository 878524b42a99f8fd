//! Open Badges 1.0 (2013) and 1.1 (2015) types.
//!
//! 1.0 documents have no `@context` or `type`; 1.1 adds the
//! `https://w3id.org/openbadges/v1` context, `id` and `type`. The recipient is
//! an [`IdentityObject`] (the same shape as in 2.0). Lenient like every model
//! type: see [`super::v0`].

use super::v0::{lenient_structs, many, opt, text, DateValue, IriOrObject};
use serde::{Deserialize, Serialize};

pub use super::v2::IdentityObject;

/// An OB 1.0/1.1 Assertion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Assertion {
    /// Identifier unique per issuer origin (required in 1.0).
    #[serde(deserialize_with = "text")]
    pub uid: Option<String>,
    /// 1.1: IRI of the assertion.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// 1.1: the `type` values.
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Who received it.
    #[serde(deserialize_with = "opt")]
    pub recipient: Option<IdentityObject>,
    /// The BadgeClass: its URL (the norm) or the embedded object.
    #[serde(deserialize_with = "opt")]
    pub badge: Option<IriOrObject<BadgeClass>>,
    /// How to verify it.
    #[serde(deserialize_with = "opt")]
    pub verify: Option<Verify>,
    /// `verification`, as some 1.1 documents write `verify`.
    #[serde(deserialize_with = "opt")]
    pub verification: Option<Verify>,
    /// When it was issued: ISO 8601 date or date-time, or Unix seconds.
    #[serde(deserialize_with = "opt")]
    pub issued_on: Option<DateValue>,
    /// Image of this award: URL or `data:` URI.
    #[serde(deserialize_with = "opt")]
    pub image: Option<String>,
    /// URL of the evidence.
    #[serde(deserialize_with = "opt")]
    pub evidence: Option<String>,
    /// When it expires.
    #[serde(deserialize_with = "opt")]
    pub expires: Option<DateValue>,
}

/// How to verify a 1.x assertion.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Verify {
    /// `hosted` or `signed` (any case).
    #[serde(rename = "type", deserialize_with = "opt")]
    pub kind: Option<String>,
    /// Hosted: the assertion's URL. Signed: the issuer's public key (PEM) URL.
    #[serde(deserialize_with = "opt")]
    pub url: Option<String>,
}

/// An OB 1.0/1.1 BadgeClass.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct BadgeClass {
    /// 1.1: its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// 1.1: the `type` values.
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image: URL or `data:` URI.
    #[serde(deserialize_with = "opt")]
    pub image: Option<String>,
    /// Criteria URL.
    #[serde(deserialize_with = "opt")]
    pub criteria: Option<String>,
    /// Issuer: URL of its IssuerOrganization or the embedded object.
    #[serde(deserialize_with = "opt")]
    pub issuer: Option<IriOrObject<IssuerOrganization>>,
    /// Alignments to standards.
    #[serde(deserialize_with = "many")]
    pub alignment: Vec<Alignment>,
    /// Tags.
    #[serde(deserialize_with = "many")]
    pub tags: Vec<String>,
}

/// An OB 1.x alignment (renamed `targetName`/`targetUrl`/... in 2.0).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Alignment {
    /// Name of the standard.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// URL of the standard.
    #[serde(deserialize_with = "opt")]
    pub url: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
}

/// An OB 1.x issuer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct IssuerOrganization {
    /// 1.1: its IRI.
    #[serde(deserialize_with = "opt")]
    pub id: Option<String>,
    /// 1.1: the `type` values.
    #[serde(rename = "type", deserialize_with = "many")]
    pub types: Vec<String>,
    /// Name.
    #[serde(deserialize_with = "opt")]
    pub name: Option<String>,
    /// Homepage.
    #[serde(deserialize_with = "opt")]
    pub url: Option<String>,
    /// Description.
    #[serde(deserialize_with = "opt")]
    pub description: Option<String>,
    /// Image: URL or `data:` URI.
    #[serde(deserialize_with = "opt")]
    pub image: Option<String>,
    /// Contact email.
    #[serde(deserialize_with = "opt")]
    pub email: Option<String>,
    /// URL of the signed-badge revocation list: a JSON object whose keys are
    /// revoked `uid`s (1.1: or ids) and whose values are reasons.
    #[serde(deserialize_with = "opt")]
    pub revocation_list: Option<String>,
}

lenient_structs!(Assertion, Verify, BadgeClass, Alignment, IssuerOrganization);
