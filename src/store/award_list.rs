//! The issuer's awards as a list to page through (without the signed
//! documents, so a page of 10,000 awards reads only what a row shows), and
//! a fingerprint of everything a publish folder is built from.

use super::{db, Store, StoreError};
use rusqlite::params;
use serde::Serialize;

/// One row of the awards list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRow {
    /// The award's number.
    pub id: i64,
    /// Its badge class.
    pub class_id: i64,
    /// The class's name.
    pub class_name: String,
    /// The class's format (`ob3`, `ob2-hosted`, `ob2-signed`).
    pub format: String,
    /// The recipient's identity.
    pub recipient: String,
    /// `email`, `url`, `telephone` or `did`.
    pub recipient_kind: String,
    /// The recipient's name.
    pub recipient_name: Option<String>,
    /// When it was issued.
    pub issued_on: i64,
    /// When it expires.
    pub expires: Option<i64>,
    /// When it was revoked.
    pub revoked: Option<i64>,
    /// Whether it is suspended.
    pub suspended: bool,
}

const SEARCH: &str = "c.issuer_id = ?1 AND (?2 IS NULL
       OR instr(lower(a.recipient), lower(?2)) > 0
       OR instr(lower(coalesce(a.recipient_name, '')), lower(?2)) > 0
       OR instr(lower(c.name), lower(?2)) > 0
       OR instr(lower(a.uid), lower(?2)) > 0)";

impl Store {
    /// A page of an issuer's awards, newest first, with an optional
    /// substring of the recipient, their name, the class name or the uid;
    /// and how many awards match in all.
    pub fn award_rows(
        &self,
        issuer_id: i64,
        search: Option<&str>,
        limit: u32,
        offset: u32,
    ) -> Result<(u64, Vec<AwardRow>), StoreError> {
        let total: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM awards a JOIN badge_classes c ON c.id = a.class_id WHERE {SEARCH}"
            ))
            .and_then(|mut st| st.query_row(params![issuer_id, search], |r| r.get(0)))
            .map_err(db)?;
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT a.id, a.class_id, c.name, c.format, a.recipient, a.recipient_kind,
                        a.recipient_name, a.issued_on, a.expires, a.revoked, a.suspended
                 FROM awards a JOIN badge_classes c ON c.id = a.class_id
                 WHERE {SEARCH} ORDER BY a.id DESC LIMIT ?3 OFFSET ?4"
            ))
            .and_then(|mut st| {
                st.query_map(params![issuer_id, search, limit, offset], |r| {
                    Ok(AwardRow {
                        id: r.get(0)?,
                        class_id: r.get(1)?,
                        class_name: r.get(2)?,
                        format: r.get(3)?,
                        recipient: r.get(4)?,
                        recipient_kind: r.get(5)?,
                        recipient_name: r.get(6)?,
                        issued_on: r.get(7)?,
                        expires: r.get(8)?,
                        revoked: r.get(9)?,
                        suspended: r.get(10)?,
                    })
                })?
                .collect()
            })
            .map_err(db)?;
        Ok((total.max(0) as u64, rows))
    }

    /// A value that changes whenever anything the issuer's publish folder
    /// is built from changes: the profile, keys, classes, awards and their
    /// revocations and suspensions.
    pub fn publish_fingerprint(&self, issuer_id: i64) -> Result<String, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT coalesce((SELECT updated FROM issuers WHERE id = ?1), 0)
                  || '/' || (SELECT count(*) || ':' || coalesce(max(created), 0) || ':' || coalesce(max(retired), 0)
                             FROM issuer_keys WHERE issuer_id = ?1)
                  || '/' || (SELECT count(*) || ':' || coalesce(max(updated), 0)
                             FROM badge_classes WHERE issuer_id = ?1)
                  || '/' || (SELECT count(*) || ':' || coalesce(max(a.id), 0) || ':' || count(a.revoked)
                             || ':' || coalesce(sum(a.suspended), 0) || ':' || coalesce(max(a.status_changed), 0)
                             FROM awards a JOIN badge_classes c ON c.id = a.class_id WHERE c.issuer_id = ?1)",
            )
            .and_then(|mut st| st.query_row([issuer_id], |r| r.get(0)))
            .map_err(db)
    }
}
