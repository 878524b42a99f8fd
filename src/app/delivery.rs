//! Getting awarded badges to their earners: an `.eml` draft beside the
//! baked badge, or the badge sent by SMTP with one result per recipient.
//! Only email identities can be written to; anyone else gets a sentence
//! saying so. Sending never undoes an award. The SMTP password is handed in
//! for one call and never stored.

use super::{App, AppError, ErrorCode};
use crate::issuer::mail::{self, MailBadge, SmtpSettings};
use crate::store::{AwardRecord, ClassRecord, IdentityKind, IssuerRecord};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// What happened to one award's email.
#[derive(Clone, Debug, Serialize)]
pub struct Delivery {
    /// The award's number.
    pub award: i64,
    /// The recipient as stored.
    pub recipient: String,
    /// Whether the mail server accepted the message.
    pub sent: bool,
    /// Why not, in one sentence (`not sent: …`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The sentence for a recipient that cannot be written to.
fn no_email(a: &AwardRecord) -> String {
    format!(
        "not sent: {} has no email address (only badges awarded to an email address can be emailed)",
        a.recipient
    )
}

/// The email for award `a` of class `c`, the badge file `baked` attached,
/// from `from` (else the issuer's address); `None` when the recipient has
/// no email address.
fn badge_mail(
    i: &IssuerRecord,
    c: &ClassRecord,
    a: &AwardRecord,
    attachment_name: &str,
    baked: Vec<u8>,
    from: Option<&str>,
) -> Option<MailBadge> {
    if a.recipient_kind != IdentityKind::Email.as_str() {
        return None;
    }
    Some(MailBadge {
        from_name: i.name.clone(),
        from_email: from.unwrap_or(&i.email).to_owned(),
        to_name: a.recipient_name.clone(),
        to_email: a.recipient.clone(),
        badge_name: c.name.clone(),
        issuer_name: i.name.clone(),
        narrative: Some(a.narrative.clone().unwrap_or_else(|| c.description.clone())),
        attachment_name: attachment_name.to_owned(),
        attachment: baked,
    })
}

/// Adds the `.eml` draft of award `a` to its `files` (the baked badge
/// first), named like the badge; or says why there is none.
pub(super) fn eml_draft(
    i: &IssuerRecord,
    c: &ClassRecord,
    a: &AwardRecord,
    files: &mut Vec<(String, Vec<u8>)>,
) -> Result<Option<String>, AppError> {
    let Some((name, baked)) = files.first() else {
        return Ok(None);
    };
    let Some(m) = badge_mail(i, c, a, name, baked.clone(), None) else {
        return Ok(Some(format!(
            "no email draft: {} has no email address",
            a.recipient
        )));
    };
    let eml = mail::draft(&m).map_err(|e| AppError::new(ErrorCode::Invalid, e.to_string()))?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    files.push((format!("{stem}.eml"), eml));
    Ok(None)
}

impl App {
    /// Emails each award's baked badge (award number, badge file) to its
    /// recipient over SMTP, from `from` (else the issuer's address);
    /// `progress(done, total)` after each, `cancel` stops before the next.
    /// Recipients without an email address are reported, not sent.
    ///
    /// # Errors
    ///
    /// An unknown award, an unreadable badge file, or settings that cannot
    /// be used at all (plain SMTP to another computer); a server that
    /// refuses or cannot be reached is a per-recipient [`Delivery`].
    pub fn send_awards(
        &self,
        awards: &[(i64, PathBuf)],
        smtp: &SmtpSettings,
        from: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<Vec<Delivery>, AppError> {
        let mut report = Vec::with_capacity(awards.len());
        let mut outgoing = Vec::new();
        {
            let store = self.store();
            for (id, file) in awards {
                let a = App::award_record(&store, *id)?;
                let c = App::class_record(&store, a.class_id)?;
                let i = App::issuer_record(&store, c.issuer_id)?;
                let baked = read_badge(file)?;
                let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
                let mail = badge_mail(&i, &c, &a, name.as_deref().unwrap_or(""), baked, from);
                if let Some(m) = mail {
                    outgoing.push((report.len(), m));
                }
                report.push(Delivery {
                    award: a.id,
                    reason: Some(no_email(&a)),
                    recipient: a.recipient,
                    sent: false,
                });
            }
        }
        if outgoing.is_empty() {
            return Ok(report);
        }
        let (slots, badges): (Vec<usize>, Vec<MailBadge>) = outgoing.into_iter().unzip();
        let results = mail::send(smtp, &badges, progress, cancel)
            .map_err(|e| AppError::new(ErrorCode::Invalid, e.to_string()))?;
        for (slot, r) in slots.into_iter().zip(results) {
            let d = &mut report[slot];
            d.sent = r.outcome.is_ok();
            d.reason = r.outcome.err().map(|why| format!("not sent: {why}"));
        }
        Ok(report)
    }
}

fn read_badge(file: &Path) -> Result<Vec<u8>, AppError> {
    std::fs::read(file).map_err(|e| {
        AppError::new(
            ErrorCode::Io,
            format!("the badge file {} cannot be read ({e})", file.display()),
        )
    })
}
