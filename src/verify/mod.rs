//! Verification: turn an inspected badge into a [`Report`] of named checks.
//!
//! Verification never fails: every input, garbage included, yields a report.
//! "Could not check" (the issuer's server is down, a key cannot be resolved)
//! is a check with status [`CheckStatus::Skip`] and an overall status of
//! [`Verdict::Unverifiable`], never an error and never "invalid".
//!
//! Network only through a [`Fetch`]; time only through [`Options::now`].

pub mod checks;
pub(crate) mod common;
mod ob2;
mod ob3;
pub mod proof;
mod report;

pub use report::{
    BadgeFormat, Check, CheckStatus, IdentifiedBy, IssuerIdentity, Report, Verdict, EXPIRY,
    ISSUER_CONFIRMING,
};

use crate::fetch::Fetch;
use crate::inspect::Inspection;

/// What a verification run knows besides the badge.
#[derive(Clone, Debug)]
pub struct Options {
    /// "Now", as seconds since the Unix epoch (UTC). Expiry and not-yet-valid
    /// checks compare against it; the report records it as the time of the check.
    pub now: i64,
    /// The user's identities (emails, URLs, phone numbers, DIDs) to match the
    /// recipient against. Empty: the recipient is not checked.
    pub recipients: Vec<String>,
    /// What a recipient that matches none of `recipients` means.
    pub recipient_rule: RecipientRule,
}

/// What a badge whose recipient matches none of the given identities means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RecipientRule {
    /// The badge must be issued to one of them: a mismatch fails the
    /// `recipient` check and the badge is `invalid` (`satchel verify
    /// --recipient`, a verifier asking "is this badge this person's?").
    #[default]
    MustMatch,
    /// A mismatch is a warning and the verdict stays about the badge itself
    /// (the backpack: a badge sent to an address the user has not added yet
    /// is still a genuine badge; adding the address re-matches it).
    Note,
}

/// Verifies one inspected input.
pub fn verify(input: &Inspection, fetch: &dyn Fetch, opts: &Options) -> Report {
    let mut report = Report::new(input, opts.now);
    dispatch(input, fetch, opts, &mut report);
    report.finish();
    report
}

fn dispatch(input: &Inspection, fetch: &dyn Fetch, opts: &Options, report: &mut Report) {
    use crate::detect::Version;
    match input.version {
        Some(Version::V3_0 | Version::Clr2_0) => ob3::verify(input, fetch, opts, report),
        // A Verifiable Credential without an Open Badges context: the OB 3.0
        // checks say what it lacks.
        None if input.vcdm.is_some() => ob3::verify(input, fetch, opts, report),
        // A bare URL (a legacy baked PNG, a pasted link) is an OB 0.5–2.0 hosted
        // assertion until fetched; ob2 fetches it and hands OB 3.0 over.
        Some(_) | None => ob2::verify(input, fetch, opts, report),
    }
    if report.checks.is_empty() {
        report.push(Check::skip(
            checks::VERIFICATION_SUPPORTED,
            "Satchel cannot verify this kind of document yet.",
            None,
        ));
    }
}
