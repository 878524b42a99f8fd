//! OB 2.0 endorsements, each verified as a document of its own.
//!
//! An Assertion, its BadgeClass and its issuer's Profile may list
//! `endorsement`s: Endorsement documents by URL, or embedded. Each is verified
//! the way a hosted assertion is (fetched from its own address through the
//! [`Fetch`](crate::fetch::Fetch), the endorser's Profile fetched, the
//! endorser's hosting policy applied; a signed one needs its JWS, which an
//! embedded copy does not carry), in a report of its own. The badge's report
//! gets one `endorsement.N` check per endorsement: pass when it verified, and
//! otherwise a warning saying why: a bad endorsement says nothing against the
//! badge.

use super::{common, prop, Run};
use crate::detect::DocKind;
use crate::verify::checks;
use crate::verify::report::{Check, CheckStatus, Report, Verdict};
use serde_json::Value;

/// Most endorsements of one badge (assertion, BadgeClass and Profile
/// together) that are verified; the rest are counted.
const MAX_ENDORSEMENTS: usize = 10;

/// Whose endorsement it is, for sentences.
#[derive(Clone, Copy)]
enum Of {
    Badge,
    BadgeClass,
    Issuer,
}

impl Of {
    fn phrase(self) -> &'static str {
        match self {
            Of::Badge => "this badge",
            Of::BadgeClass => "the badge description",
            Of::Issuer => "the issuer",
        }
    }
}

/// The values of a property: each item of an array, or the value itself.
fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

/// A sentence of the endorsement's own report, reworded to follow a colon in
/// the badge's report: its checks speak of "this badge" and "the issuer".
fn reworded(s: &str) -> String {
    let s = s
        .replace("this badge", "the endorsement")
        .replace("This badge", "The endorsement")
        .replace("the issuer's", "the endorser's")
        .replace("The issuer's", "The endorser's")
        .replace("its issuer", "its endorser");
    if s.starts_with("Satchel ") {
        return s;
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
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

impl Run<'_> {
    /// Verifies the endorsements of the assertion `doc`, its BadgeClass and its
    /// issuer's Profile, pushing `endorsement.N` (and `endorsement` when there
    /// are more than Satchel checks). Endorsements of endorsements are not
    /// followed.
    pub(super) fn endorsements(
        &mut self,
        doc: &Value,
        badge: Option<&Value>,
        issuer: Option<&Value>,
    ) {
        if self.depth > 0 {
            return;
        }
        let mut found: Vec<(Of, &Value)> = Vec::new();
        for (of, owner) in [
            (Of::Badge, Some(doc)),
            (Of::BadgeClass, badge),
            (Of::Issuer, issuer),
        ] {
            if let Some(owner) = owner {
                found.extend(items(owner.get("endorsement")).into_iter().map(|e| (of, e)));
            }
        }
        for (i, (of, e)) in found.iter().enumerate().take(MAX_ENDORSEMENTS) {
            let check = self.endorsement(&checks::numbered_endorsement(i + 1), *of, e);
            self.push(check);
        }
        if found.len() > MAX_ENDORSEMENTS {
            self.push(Check::warn(
                checks::ENDORSEMENT,
                format!(
                    "This badge carries {} endorsements; Satchel checked the first {MAX_ENDORSEMENTS}.",
                    found.len()
                ),
                None,
            ));
        }
    }

    /// Verifies one endorsement in a report of its own and sums it up as `id`.
    fn endorsement(&mut self, id: &str, of: Of, e: &Value) -> Check {
        let mut sub = Report::blank(self.opts.now, None, DocKind::Endorsement);
        {
            let mut run = Run {
                fetch: self.fetch,
                opts: self.opts,
                report: &mut sub,
                visited: Vec::new(),
                depth: self.depth + 1,
            };
            match e {
                Value::String(url) if common::is_http_url(url.trim()) => {
                    run.hosted(url.trim(), None)
                }
                Value::Object(_) => run.presented(e, None),
                _ => run.push(Check::skip(
                    checks::ENDORSEMENT_KIND,
                    "It is neither a web address nor an endorsement document.",
                    Some(format!("endorsement: {}", super::clip(&e.to_string(), 120))),
                )),
            }
        }
        sub.finish();
        let who = sub
            .issuer
            .clone()
            .map(|w| format!("by {}", super::clip(&w, 80)))
            .unwrap_or_else(|| "by an unnamed endorser".to_owned());
        let said = prop(e, "claim")
            .and_then(|c| super::prop_str(c, "endorsementComment"))
            .map(|c| common::sentence(&format!(" It says: “{}”", super::clip(c.trim(), 200))))
            .unwrap_or_default();
        let what = of.phrase();
        let mut detail = sub
            .checks
            .iter()
            .map(|c| format!("{} ({}): {}", c.id, status_word(c.status), c.message))
            .collect::<Vec<_>>()
            .join("\n");
        if let Value::String(url) = e {
            detail = format!("{}\n{detail}", url.trim());
        }
        let first = |status: CheckStatus| {
            sub.checks
                .iter()
                .find(|c| {
                    c.status == status
                        && !(status == CheckStatus::Fail && c.id == crate::verify::EXPIRY)
                })
                .map(|c| reworded(&c.message))
                .unwrap_or_default()
        };
        match sub.status {
            Verdict::Verified => Check::pass(
                id,
                format!("The endorsement of {what} {who} is verified.{said}"),
                Some(detail),
            ),
            Verdict::Expired => Check::warn(
                id,
                format!("The endorsement of {what} {who} has expired."),
                Some(detail),
            ),
            Verdict::Revoked => Check::warn(
                id,
                format!("The endorsement of {what} {who} was revoked by the endorser."),
                Some(detail),
            ),
            Verdict::Suspended => Check::warn(
                id,
                format!("The endorsement of {what} {who} is suspended by the endorser."),
                Some(detail),
            ),
            Verdict::Invalid => Check::warn(
                id,
                format!(
                    "The endorsement of {what} {who} is not valid: {}",
                    first(CheckStatus::Fail)
                ),
                Some(detail),
            ),
            Verdict::Unverifiable => Check::warn(
                id,
                format!(
                    "Satchel could not verify the endorsement of {what} {who}: {}",
                    first(CheckStatus::Skip)
                ),
                Some(detail),
            ),
        }
    }
}
