//! The privacy rules: what a public page may carry. A plaintext recipient
//! email withholds the original file, its JSON and the in-browser check; a
//! hashed one is a warning; the recipient's name and the evidence are shown
//! only when asked for (and a warning says when the published original still
//! carries them); the owner's own advice and raw schema error paths never
//! appear on a page.

use super::view::CheckItem;
use super::words::{human_dates, status_words};
use super::ExportOptions;
use crate::inspect::Inspection;
use crate::model::{BadgeView, RecipientIdentity};
use crate::verify::{checks, Report};
use serde_json::Value;

/// What the privacy rules decide for one badge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Rules {
    /// The badge names its recipient's email address in plain text: its
    /// original file, JSON and in-browser check are never published.
    pub(super) plaintext_email: bool,
    /// The original file, its JSON and the in-browser check are published
    /// (no plaintext email, and the options do not leave originals out).
    pub(super) publish_original: bool,
    /// The badge's files carry a hash of the recipient's email address.
    pub(super) hashed_email: bool,
    /// The recipient's name, when the credential names one.
    pub(super) recipient_name: Option<String>,
    /// Show the recipient's name on the page.
    pub(super) show_name: bool,
    /// The badge's evidence items.
    pub(super) evidence: usize,
    /// Show the evidence on the page.
    pub(super) show_evidence: bool,
}

/// Applies the rules to one badge (`view` is what the page shows of it).
pub(super) fn rules(ins: &Inspection, view: &BadgeView, opts: &ExportOptions) -> Rules {
    let plain_email = view.recipient.iter().any(|r| !r.hashed && is_email_kind(r));
    let hashed_email = view.recipient.iter().any(|r| r.hashed && is_email_kind(r));
    let plaintext_email = plain_email || plain_emails_in_payload(&ins.payload);
    Rules {
        plaintext_email,
        publish_original: !plaintext_email && !opts.leave_out_originals,
        hashed_email,
        recipient_name: recipient_name(ins.document.as_ref()),
        show_name: opts.include_recipient_name,
        evidence: view.evidence.len(),
        show_evidence: opts.include_evidence,
    }
}

impl Rules {
    /// How many evidence items the page leaves out.
    pub(super) fn evidence_hidden(&self) -> usize {
        if self.show_evidence {
            0
        } else {
            self.evidence
        }
    }

    /// What the owner should know before publishing the page `page`, one
    /// sentence each: the recipient's email address, and what the page hides
    /// but the published original still carries.
    pub(super) fn warnings(&self, page: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.plaintext_email {
            out.push(format!(
                "{page}: the badge names its recipient's email address in plain text, so its original file, JSON and in-browser check are left out"
            ));
        } else if self.hashed_email && self.publish_original {
            out.push(format!(
                "{page} publishes a hash of the recipient's email address (in the original file and JSON), and such hashes can be brute-forced"
            ));
        }
        if self.evidence_hidden() > 0 && self.publish_original {
            out.push(format!(
                "{page} does not show the badge's evidence, but its original file, published for download, still contains it"
            ));
        }
        if self.recipient_name.is_some() && !self.show_name && self.publish_original {
            out.push(format!(
                "{page} does not show the recipient's name, but its original file, published for download, still contains it"
            ));
        }
        out
    }

    /// Said on the page where the files would be, when they are withheld.
    pub(super) fn withheld_note(&self) -> Option<String> {
        if self.plaintext_email {
            Some("The original file, its JSON and the in-browser check are not published here: the badge names its recipient's email address in plain text.".to_owned())
        } else if !self.publish_original {
            Some(
                "The original file, its JSON and the in-browser check are not published here."
                    .to_owned(),
            )
        } else {
            None
        }
    }
}

/// The checks as a public page shows them, read by people who are not the
/// badge's owner: whether the recipient is one of the owner's identities
/// is the owner's business (and would advise them), and the JSON Schema's
/// own error paths are left in the credential's technical data.
pub(super) fn public_checks(report: &Report) -> Vec<CheckItem> {
    report
        .checks
        .iter()
        .filter(|c| c.id != checks::RECIPIENT)
        .map(|c| {
            let (status, symbol) = status_words(c.status);
            let (message, technical) = plain_message(&c.id, &c.message);
            CheckItem {
                status,
                symbol,
                message: human_dates(&message),
                technical: technical.map(|t| human_dates(&t)),
            }
        })
        .collect()
}

/// Words only specialists read: a check message that uses them is shown up
/// to its first colon, and whole in the page's technical details.
const JARGON: [&str; 3] = ["canonical", "N-Quads", "RDFC"];

/// A check's message as the page shows it, and the whole message for the
/// technical details when the page shortens it.
fn plain_message(id: &str, message: &str) -> (String, Option<String>) {
    if let Some((said, _)) = message.split_once(" JSON Schema: ") {
        if id == checks::SCHEMA_JSON {
            return (format!("{said} JSON Schema."), Some(message.to_owned()));
        }
    }
    if !JARGON.iter().any(|j| message.contains(j)) {
        return (message.to_owned(), None);
    }
    let head = message.split_once(": ").map_or(message, |(h, _)| h);
    let head = if JARGON.iter().any(|j| head.contains(j)) {
        "A technical check did not pass"
    } else {
        head.trim_end_matches('.')
    };
    (format!("{head}."), Some(message.to_owned()))
}

pub(super) fn is_email_kind(r: &RecipientIdentity) -> bool {
    let k = r.kind.to_ascii_lowercase();
    k == "email"
        || k == "emailaddress"
        || (k == "id" && r.value.starts_with("mailto:"))
        || (!r.hashed && r.value.contains('@') && !r.value.contains(':') && k != "url")
}

/// The recipient's name, when the credential names one.
pub(super) fn recipient_name(doc: Option<&Value>) -> Option<String> {
    let doc = doc?;
    let subject = match doc.get("credentialSubject") {
        Some(Value::Array(a)) => a.first(),
        other => other,
    };
    let s = subject
        .and_then(|s| s.get("name"))
        .or_else(|| doc.get("recipient").and_then(|r| r.get("name")))?;
    let s = match s {
        Value::String(s) => s.clone(),
        Value::Object(m) => m.values().find_map(|v| v.as_str().map(str::to_owned))?,
        _ => return None,
    };
    Some(s).filter(|s| !s.trim().is_empty())
}

/// Does the payload carry something that looks like a plaintext email in a
/// recipient field? (Belt and braces for badges whose recipient the model
/// could not read.)
pub(super) fn plain_emails_in_payload(payload: &str) -> bool {
    // Only JSON payloads are looked at; a JWS payload was decoded into the
    // recipient list already.
    let Ok(doc) = serde_json::from_str::<Value>(payload) else {
        return false;
    };
    let recipient = doc.get("recipient");
    let identity = recipient
        .and_then(|r| r.get("identity"))
        .and_then(Value::as_str);
    let hashed = recipient
        .and_then(|r| r.get("hashed"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let from_ob2 = identity
        .is_some_and(|i| i.contains('@') && !hashed && !crate::model::recipient::looks_hashed(i));
    let subject = doc.get("credentialSubject");
    let from_ob3 = subject
        .and_then(|s| s.get("identifier"))
        .map(|ids| {
            let list: Vec<&Value> = match ids {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            list.iter().any(|i| {
                let hashed = i.get("hashed").and_then(Value::as_bool).unwrap_or(false);
                let v = i.get("identityHash").and_then(Value::as_str).unwrap_or("");
                !hashed && v.contains('@')
            })
        })
        .unwrap_or(false)
        || subject
            .and_then(|s| s.get("email"))
            .and_then(Value::as_str)
            .is_some_and(|e| e.contains('@'));
    from_ob2 || from_ob3
}

#[cfg(test)]
mod public_tests {
    use super::*;
    use crate::verify::Check;

    #[test]
    fn public_pages_leave_out_owner_advice_and_schema_error_paths() {
        let mut report = Report::blank(0, None, crate::detect::DocKind::Unknown);
        report.checks = vec![
            Check::warn(
                checks::RECIPIENT,
                "The recipient matches none of your identities; add it under Your identities.",
                None,
            ),
            Check::warn(
                checks::SCHEMA_JSON,
                "The credential does not fully match the official OB 3.0 JSON Schema: at /credentialSubject: oneOf failed.",
                Some("at /credentialSubject: oneOf failed".to_owned()),
            ),
            Check::pass(checks::EXPIRY, "This badge does not expire.", None),
        ];
        let shown: Vec<String> = public_checks(&report)
            .into_iter()
            .map(|c| c.message)
            .collect();
        assert_eq!(
            shown,
            [
                "The credential does not fully match the official OB 3.0 JSON Schema.",
                "This badge does not expire."
            ]
        );
    }
}
