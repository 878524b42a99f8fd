//! The verification report: named checks in plain words, and an overall verdict.

use crate::detect::{DocKind, Version};
use crate::inspect::Inspection;
use serde::{Deserialize, Serialize};

/// The id of the expiry check: when it fails the badge is expired, not invalid.
pub const EXPIRY: &str = "expiry";

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// The check passed.
    Pass,
    /// The check failed: evidence that something is wrong.
    Fail,
    /// Acceptable, but worth knowing.
    Warn,
    /// Could not be checked (offline, unreachable, unsupported): not evidence of anything.
    Skip,
}

/// One check, with a stable id tests and the UI refer to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// A stable, dotted id such as `signature.jws`, `revocation.list`, `expiry`.
    pub id: String,
    /// Pass, fail, warn or skip.
    pub status: CheckStatus,
    /// One plain-language sentence for people.
    pub message: String,
    /// Technical detail (URLs, algorithms, hashes), shown on request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Check {
    fn new(
        id: &str,
        status: CheckStatus,
        message: impl Into<String>,
        detail: Option<String>,
    ) -> Check {
        Check {
            id: id.to_owned(),
            status,
            message: message.into(),
            detail,
        }
    }
    /// A passed check.
    pub fn pass(id: &str, message: impl Into<String>, detail: Option<String>) -> Check {
        Check::new(id, CheckStatus::Pass, message, detail)
    }
    /// A failed check.
    pub fn fail(id: &str, message: impl Into<String>, detail: Option<String>) -> Check {
        Check::new(id, CheckStatus::Fail, message, detail)
    }
    /// A warning.
    pub fn warn(id: &str, message: impl Into<String>, detail: Option<String>) -> Check {
        Check::new(id, CheckStatus::Warn, message, detail)
    }
    /// A check that could not be made.
    pub fn skip(id: &str, message: impl Into<String>, detail: Option<String>) -> Check {
        Check::new(id, CheckStatus::Skip, message, detail)
    }
}

/// The overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every required check passed.
    Verified,
    /// Authentic, but past its expiry date.
    Expired,
    /// The issuer revoked it.
    Revoked,
    /// A check failed: tampered, forged, malformed, or not valid yet.
    Invalid,
    /// Something needed could not be reached or resolved: not evidence of forgery.
    Unverifiable,
}

impl Verdict {
    /// The word for it: `verified`, `expired`, `revoked`, `invalid`,
    /// `unverifiable` (as in JSON output and the store).
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Expired => "expired",
            Verdict::Revoked => "revoked",
            Verdict::Invalid => "invalid",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

/// A verification report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The overall verdict.
    pub status: Verdict,
    /// When the check was made, seconds since the Unix epoch (UTC).
    pub checked_at: i64,
    /// The Open Badges version.
    pub version: Option<Version>,
    /// The document kind.
    pub kind: DocKind,
    /// "hosted", "signed", "vc-jwt", "data-integrity", or "unknown".
    pub format: String,
    /// Every check, in the order made.
    pub checks: Vec<Check>,
    /// The assertion or credential id.
    pub assertion_id: Option<String>,
    /// Badge name and issuer name, for display.
    pub badge_name: Option<String>,
    /// Issuer name (or id when unnamed).
    pub issuer: Option<String>,
    /// Whether the recipient matched one of the given identities (`None`: none given).
    pub recipient_matched: Option<bool>,
    /// Which identity matched, and how ("ada@example.org, lowercased").
    pub recipient_detail: Option<String>,
    /// Set by a check that proves revocation.
    #[serde(skip)]
    pub revoked: bool,
    /// Set by a check that proves expiry (the failed [`EXPIRY`] check).
    #[serde(skip)]
    pub expired: bool,
}

impl Report {
    /// A new, empty report for `input`.
    pub fn new(input: &Inspection, now: i64) -> Report {
        let badge = input.badge.as_ref();
        Report {
            status: Verdict::Unverifiable,
            checked_at: now,
            version: input.version,
            kind: input.kind,
            format: "unknown".to_owned(),
            checks: Vec::new(),
            assertion_id: badge.and_then(|b| b.id.clone()),
            badge_name: badge.and_then(|b| b.name.clone()),
            issuer: badge.and_then(|b| b.issuer.name.clone().or_else(|| b.issuer.id.clone())),
            recipient_matched: None,
            recipient_detail: None,
            revoked: false,
            expired: false,
        }
    }

    /// Adds a check.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Decides the verdict from the checks: revoked beats everything, then a
    /// failed check (invalid), then a skipped one (unverifiable), then expiry.
    /// The failed `expiry` check of an expired badge makes it expired, not invalid.
    pub fn finish(&mut self) {
        let any = |s: CheckStatus| {
            self.checks
                .iter()
                .any(|c| c.status == s && !(s == CheckStatus::Fail && c.id == EXPIRY))
        };
        self.status = if self.revoked {
            Verdict::Revoked
        } else if any(CheckStatus::Fail) {
            Verdict::Invalid
        } else if any(CheckStatus::Skip) || self.checks.is_empty() {
            Verdict::Unverifiable
        } else if self.expired {
            Verdict::Expired
        } else {
            Verdict::Verified
        };
    }
}
