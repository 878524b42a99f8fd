//! The Open Badges data model, version by version, and the one normalized
//! view ([`BadgeView`]) that the UI, the CLI and exports show.
//!
//! Pure data: no IO, no clock, no network. Parsing is lenient (real badges
//! bend the specs); judging conformance is verification's job.

pub mod normalize;
pub mod recipient;
pub mod v0;
pub mod v1;
pub mod v2;
pub mod v3;

pub use normalize::normalize;
pub use recipient::{IdentityCheck, RecipientIdentity};

use serde::{Deserialize, Serialize};

/// One badge as people see it, whatever version it came in.
///
/// Every field is optional because real badges omit things; a missing value is
/// `None` (or empty), never a made-up placeholder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BadgeView {
    /// The badge (achievement, badge class) name.
    pub name: Option<String>,
    /// The badge description.
    pub description: Option<String>,
    /// Image of the badge: a URL or a `data:` URI.
    pub image: Option<String>,
    /// What the earner had to do.
    pub criteria: Criteria,
    /// Who issued it.
    pub issuer: IssuerView,
    /// When it was issued (`issuedOn`, `validFrom`, `issuanceDate`, `issued_on`), as written.
    pub issued_on: Option<String>,
    /// When it expires (`expires`, `validUntil`, `expirationDate`), as written.
    pub expires: Option<String>,
    /// The recipient identities the badge names.
    pub recipient: Vec<RecipientIdentity>,
    /// Evidence of the achievement.
    pub evidence: Vec<EvidenceView>,
    /// Alignments to frameworks and standards.
    pub alignments: Vec<AlignmentView>,
    /// Tags / keywords.
    pub tags: Vec<String>,
    /// The assertion or credential id (a URL, `urn:uuid:`, ...).
    pub id: Option<String>,
    /// The badge class or achievement id.
    pub badge_id: Option<String>,
    /// Narrative the issuer wrote about this award.
    pub narrative: Option<String>,
    /// Number of endorsements attached to the badge, its class or its issuer.
    pub endorsement_count: usize,
}

/// What the earner had to do.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Criteria {
    /// Link to the criteria page.
    pub url: Option<String>,
    /// The criteria text (Markdown).
    pub narrative: Option<String>,
}

/// The issuer as shown to people.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssuerView {
    /// The issuer's id (URL, DID, `urn:uuid:`).
    pub id: Option<String>,
    /// The issuer's name.
    pub name: Option<String>,
    /// The issuer's homepage.
    pub url: Option<String>,
    /// The issuer's contact email.
    pub email: Option<String>,
    /// The issuer's image.
    pub image: Option<String>,
    /// The issuer's description.
    pub description: Option<String>,
}

/// One piece of evidence.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvidenceView {
    /// Link to the evidence.
    pub url: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its description.
    pub description: Option<String>,
    /// The narrative of the evidence.
    pub narrative: Option<String>,
}

/// One alignment to an external framework.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlignmentView {
    /// The target's name.
    pub name: Option<String>,
    /// Link to the target.
    pub url: Option<String>,
    /// The target's description.
    pub description: Option<String>,
    /// The framework it belongs to.
    pub framework: Option<String>,
    /// The code of the target within its framework.
    pub code: Option<String>,
}
