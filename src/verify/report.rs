//! The verification report: named checks in plain words, and an overall verdict.

use crate::detect::{DocKind, Version};
use crate::inspect::Inspection;
use crate::verify::checks;
use serde::{Deserialize, Serialize};

/// The id of the expiry check: when it fails the badge is expired, not invalid.
pub use crate::verify::checks::EXPIRY;

/// The checks that, when they pass, confirm the issuer through a document or
/// address the issuer controls: the OB 3.0 key binding, the OB 2.0 key owned
/// by and listed in the issuer's profile, the OB 2.0 hosted address inside
/// the issuer's verification policy.
pub const ISSUER_CONFIRMING: [&str; 3] = [
    checks::PROOF_ISSUER,
    checks::SIGNATURE_ISSUER,
    checks::HOSTED_SCOPE,
];

/// How an issuer is identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentifiedBy {
    /// A web address: an https id or a did:web, whose domain people know.
    Web,
    /// A did:key: the key alone, which anyone can create.
    Key,
    /// Anything else (`urn:uuid:…`, another DID method).
    Other,
}

/// How the issuer of a badge is identified, for people: the name in a badge is
/// the issuer's own claim, the domain (or its absence) is what can be judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuerIdentity {
    /// Web address, key, or other.
    pub by: IdentifiedBy,
    /// The domain (`harvard.edu`) for [`IdentifiedBy::Web`], else the id.
    pub name: String,
    /// Whether a document or address the issuer controls confirmed this badge
    /// (one of [`ISSUER_CONFIRMING`] passed; for a did:key, the key signed it).
    pub confirmed: bool,
}

impl IssuerIdentity {
    /// The identity of issuer id `id`.
    pub fn of(id: &str, confirmed: bool) -> IssuerIdentity {
        let id = id.trim();
        if let Some(domain) = issuer_domain(id) {
            IssuerIdentity {
                by: IdentifiedBy::Web,
                name: domain,
                confirmed,
            }
        } else {
            IssuerIdentity {
                by: if id.starts_with("did:key:") {
                    IdentifiedBy::Key
                } else {
                    IdentifiedBy::Other
                },
                name: id.to_owned(),
                confirmed,
            }
        }
    }

    /// One sentence for people.
    pub fn sentence(&self) -> String {
        match (self.by, self.confirmed) {
            (IdentifiedBy::Web, true) => format!("Issuer confirmed by {}.", self.name),
            (IdentifiedBy::Web, false) => format!(
                "The issuer names the web address {}, but Satchel has not confirmed it.",
                self.name
            ),
            (IdentifiedBy::Key, _) => {
                "The issuer is identified only by a key (did:key), not by a web address.".to_owned()
            }
            (IdentifiedBy::Other, _) => format!(
                "The issuer is identified by {}, not by a web address.",
                self.name
            ),
        }
    }
}

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
    /// Past its expiry date (authentic, or not checkable otherwise: an
    /// expired badge is no longer valid either way).
    Expired,
    /// The issuer revoked it.
    Revoked,
    /// The issuer has suspended it (an OB 3.0 status list with the purpose
    /// `suspension` sets its bit). Unlike a revocation this is temporary:
    /// the issuer may lift it, and the badge verifies again. It ranks like
    /// revoked, but below it and below invalid: a revoked badge stays
    /// revoked and a badge with a failed check stays invalid, whatever its
    /// suspension; a suspended badge is suspended even when expired or when
    /// something else could not be checked (see [`Report::finish`]).
    Suspended,
    /// A check failed: tampered, forged, malformed, or not valid yet.
    Invalid,
    /// Something needed could not be reached or resolved: not evidence of forgery.
    Unverifiable,
}

impl Verdict {
    /// What people read, the same in the app, the share pages and the
    /// CLI's text: Verified, Expired, Revoked, Suspended, Invalid, Could not check.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Verified => "Verified",
            Verdict::Expired => "Expired",
            Verdict::Revoked => "Revoked",
            Verdict::Suspended => "Suspended",
            Verdict::Invalid => "Invalid",
            Verdict::Unverifiable => "Could not check",
        }
    }

    /// Every verdict, in the order of the words the store's `status` columns allow.
    pub const ALL: [Verdict; 6] = [
        Verdict::Verified,
        Verdict::Expired,
        Verdict::Revoked,
        Verdict::Suspended,
        Verdict::Invalid,
        Verdict::Unverifiable,
    ];

    /// The verdict named by its word (see [`Verdict::as_str`]), if it is one.
    pub fn parse(word: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.as_str() == word)
    }

    /// The word for it: `verified`, `expired`, `revoked`, `suspended`,
    /// `invalid`, `unverifiable` (as in JSON output and the store). The one
    /// list of these words: the store's `status` columns hold exactly these.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verified => "verified",
            Verdict::Expired => "expired",
            Verdict::Revoked => "revoked",
            Verdict::Suspended => "suspended",
            Verdict::Invalid => "invalid",
            Verdict::Unverifiable => "unverifiable",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a badge is made verifiable (serialized as `hosted`, `signed`,
/// `vc-jwt`, `data-integrity`, `unknown`, in JSON output and the store).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadgeFormat {
    /// OB 0.5–2.0 hosted: the issuer serves the assertion at its id.
    Hosted,
    /// OB 1.0–2.0 signed: a compact JWS over the assertion.
    Signed,
    /// OB 3.0 / CLR 2.0 as a VC-JWT.
    VcJwt,
    /// OB 3.0 / CLR 2.0 with a Data Integrity proof.
    DataIntegrity,
    /// Not told (yet): nothing verifiable was found.
    #[default]
    Unknown,
}

impl BadgeFormat {
    /// The word for it, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeFormat::Hosted => "hosted",
            BadgeFormat::Signed => "signed",
            BadgeFormat::VcJwt => "vc-jwt",
            BadgeFormat::DataIntegrity => "data-integrity",
            BadgeFormat::Unknown => "unknown",
        }
    }

    /// Its name for people: "Hosted", "Signed", "VC-JWT", "Data Integrity
    /// proof", "Unknown format".
    pub fn label(self) -> &'static str {
        match self {
            BadgeFormat::Hosted => "Hosted",
            BadgeFormat::Signed => "Signed",
            BadgeFormat::VcJwt => "VC-JWT",
            BadgeFormat::DataIntegrity => "Data Integrity proof",
            BadgeFormat::Unknown => "Unknown format",
        }
    }

    /// Does a signature or proof carry it (as opposed to a hosted or unknown badge)?
    pub fn is_signed(self) -> bool {
        matches!(
            self,
            BadgeFormat::Signed | BadgeFormat::VcJwt | BadgeFormat::DataIntegrity
        )
    }
}

impl std::fmt::Display for BadgeFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
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
    /// Hosted, signed, VC-JWT, Data Integrity, or unknown.
    pub format: BadgeFormat,
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
    /// How the issuer is identified and whether that was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_identity: Option<IssuerIdentity>,
    /// The issuer's id, as the verifier found it (for [`Report::issuer_identity`]).
    #[serde(skip)]
    pub(crate) issuer_id: Option<String>,
    /// Set by a check that proves revocation.
    #[serde(skip)]
    pub revoked: bool,
    /// Set by a check that proves suspension: the failed [`checks::STATUS`]
    /// check whose message is [`SUSPENDED`].
    #[serde(skip)]
    pub suspended: bool,
    /// Set by a check that proves expiry (the failed [`EXPIRY`] check).
    #[serde(skip)]
    pub expired: bool,
}

impl Report {
    /// A new, empty report for `input`.
    pub fn new(input: &Inspection, now: i64) -> Report {
        let badge = input.badge.as_ref();
        Report {
            assertion_id: badge.and_then(|b| b.id.clone()),
            badge_name: badge.and_then(|b| b.name.clone()),
            issuer: badge.and_then(|b| b.issuer.name.clone().or_else(|| b.issuer.id.clone())),
            issuer_id: badge.and_then(|b| b.issuer.id.clone()),
            ..Report::blank(now, input.version, input.kind)
        }
    }

    /// A report with no checks and nothing known about the badge yet.
    pub(crate) fn blank(now: i64, version: Option<Version>, kind: DocKind) -> Report {
        Report {
            status: Verdict::Unverifiable,
            checked_at: now,
            version,
            kind,
            format: BadgeFormat::Unknown,
            checks: Vec::new(),
            assertion_id: None,
            badge_name: None,
            issuer: None,
            recipient_matched: None,
            recipient_detail: None,
            issuer_identity: None,
            issuer_id: None,
            revoked: false,
            suspended: false,
            expired: false,
        }
    }

    /// Adds a check.
    pub fn push(&mut self, check: Check) {
        self.checks.push(check);
    }

    /// Decides the verdict from the checks, in one order of precedence:
    /// revoked (the issuer's own, authenticated and final word), then invalid
    /// (a failed check), then suspended (the issuer's authenticated but
    /// temporary word), then expired (the expiry date has certainly passed,
    /// whatever could not be checked), then could not check (a skipped
    /// check), then verified. The failed `expiry` check of an expired badge
    /// makes it expired, not invalid, and the failed suspension check of a
    /// suspended one makes it suspended. A certain failure always outranks
    /// "could not check".
    pub fn finish(&mut self) {
        let suspended = self.suspended;
        let any = |s: CheckStatus| {
            self.checks.iter().any(|c| {
                c.status == s
                    && !(s == CheckStatus::Fail
                        && (c.id == EXPIRY || (suspended && is_suspension(c))))
            })
        };
        self.status = if self.revoked {
            Verdict::Revoked
        } else if any(CheckStatus::Fail) {
            Verdict::Invalid
        } else if suspended {
            Verdict::Suspended
        } else if self.expired {
            Verdict::Expired
        } else if any(CheckStatus::Skip) || self.checks.is_empty() {
            Verdict::Unverifiable
        } else {
            Verdict::Verified
        };
        if let Some(id) = self.issuer_id.as_deref().filter(|i| !i.trim().is_empty()) {
            let confirmed = self.checks.iter().any(|c| {
                c.status == CheckStatus::Pass && ISSUER_CONFIRMING.contains(&c.id.as_str())
            });
            self.issuer_identity = Some(IssuerIdentity::of(id, confirmed));
        }
    }
}

/// The message of the failed [`checks::STATUS`] check of a suspended badge.
pub const SUSPENDED: &str = "The issuer has suspended this badge.";

/// Is `c` the failed check that says the issuer suspended the badge?
fn is_suspension(c: &Check) -> bool {
    c.id == checks::STATUS && c.message == SUSPENDED
}

/// The domain people judge an issuer by: the host of an https id or a
/// did:web, without a leading `www.`; `None` for a did:key and other ids.
pub fn issuer_domain(issuer: &str) -> Option<String> {
    let host = if let Some(rest) = issuer.strip_prefix("did:web:") {
        let host = rest.split([':', '#', '?']).next().unwrap_or("");
        host.replace("%3A", ":").replace("%3a", ":")
    } else {
        let url = url::Url::parse(issuer).ok()?;
        if !matches!(url.scheme(), "https" | "http") {
            return None;
        }
        let mut h = url.host_str()?.to_owned();
        if let Some(port) = url.port() {
            h.push_str(&format!(":{port}"));
        }
        h
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(checks: &[(&str, CheckStatus)], revoked: bool, expired: bool) -> Verdict {
        let mut r = Report::blank(0, None, DocKind::Unknown);
        r.checks = checks
            .iter()
            .map(|(id, s)| Check::new(id, *s, "…", None))
            .collect();
        r.revoked = revoked;
        r.expired = expired;
        r.finish();
        r.status
    }

    #[test]
    fn a_certain_failure_outranks_could_not_check() {
        use CheckStatus::{Fail, Pass, Skip};
        // Expired, and the revocation list unreachable: expired.
        assert_eq!(
            verdict(
                &[("proof", Pass), (EXPIRY, Fail), ("status", Skip)],
                false,
                true
            ),
            Verdict::Expired
        );
        assert_eq!(
            verdict(
                &[("proof", Fail), (EXPIRY, Fail), ("status", Skip)],
                false,
                true
            ),
            Verdict::Invalid
        );
        assert_eq!(
            verdict(
                &[("proof", Pass), ("status", Fail), (EXPIRY, Fail)],
                true,
                true
            ),
            Verdict::Revoked
        );
        assert_eq!(
            verdict(&[("proof", Pass), ("status", Skip)], false, false),
            Verdict::Unverifiable
        );
        assert_eq!(verdict(&[("proof", Pass)], false, false), Verdict::Verified);
        assert_eq!(verdict(&[], false, false), Verdict::Unverifiable);
    }

    #[test]
    fn a_suspension_ranks_below_revoked_and_invalid() {
        use CheckStatus::{Fail, Pass, Skip};
        let suspended = |extra: &[(&str, CheckStatus)], revoked: bool, expired: bool| {
            let mut r = Report::blank(0, None, DocKind::Unknown);
            r.checks = extra
                .iter()
                .map(|(id, s)| Check::new(id, *s, "…", None))
                .collect();
            r.push(Check::fail(checks::STATUS, SUSPENDED, None));
            r.revoked = revoked;
            r.expired = expired;
            r.suspended = true;
            r.finish();
            r.status
        };
        assert_eq!(
            suspended(&[("proof", Pass)], false, false),
            Verdict::Suspended
        );
        assert_eq!(
            suspended(&[("proof", Pass), (EXPIRY, Fail)], false, true),
            Verdict::Suspended
        );
        assert_eq!(
            suspended(&[("proof", Pass), ("schema", Skip)], false, false),
            Verdict::Suspended
        );
        assert_eq!(
            suspended(&[("proof", Fail)], false, false),
            Verdict::Invalid
        );
        assert_eq!(
            suspended(&[("proof", Pass), ("status", Fail)], true, false),
            Verdict::Revoked
        );
        // The suspension check alone, without the flag, is a plain failure.
        assert_eq!(
            verdict(&[("proof", Pass), (checks::STATUS, Fail)], false, false),
            Verdict::Invalid
        );
        assert_eq!(Verdict::Suspended.label(), "Suspended");
        assert_eq!(Verdict::parse("suspended"), Some(Verdict::Suspended));
    }

    #[test]
    fn enums_serialize_as_their_words() {
        for v in Verdict::ALL {
            assert_eq!(serde_json::to_value(v).unwrap(), v.as_str());
            assert_eq!(Verdict::parse(v.as_str()), Some(v));
        }
        assert_eq!(Verdict::parse("Verified"), None);
        for f in [
            BadgeFormat::Hosted,
            BadgeFormat::Signed,
            BadgeFormat::VcJwt,
            BadgeFormat::DataIntegrity,
            BadgeFormat::Unknown,
        ] {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
            assert_eq!(
                serde_json::from_value::<BadgeFormat>(f.as_str().into()).unwrap(),
                f
            );
        }
    }
}
