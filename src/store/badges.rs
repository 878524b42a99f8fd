//! The `badges` tables: each badge's original bytes, what was read from it,
//! its verification history, tags, note, and the full-text index.
//!
//! The store does not read badges: callers (the `backpack` module) hand it
//! every field already extracted. A badge and everything that belongs to it
//! (file, first verification, document links, index row) is written in one
//! savepoint: it lands whole or not at all.

use super::recipient::{self, RecipientMatch};
use super::{db, Store, StoreError};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};
use serde::Serialize;

/// A badge to store, everything already extracted by the caller.
#[derive(Clone, Debug)]
pub struct NewBadge<'a> {
    /// The original bytes exactly as imported.
    pub original: &'a [u8],
    /// Their SHA-256, lowercase hex, when the caller has it already (else
    /// the store computes it).
    pub sha256: Option<&'a str>,
    /// Their media type (`image/png`, `image/svg+xml`, `application/json`, `application/jwt`, `text/uri-list`).
    pub media_type: &'a str,
    /// What the user gave: `png`, `svg`, `json`, `jws` or `url`.
    pub container: &'a str,
    /// Where it came from: a path, an archive member (`a.zip!b/c.png`) or a URL.
    pub source: &'a str,
    /// The Open Badges version ("2.0" ...), if known.
    pub version: Option<&'a str>,
    /// hosted, signed, vc-jwt, data-integrity or unknown.
    pub format: &'a str,
    /// The assertion or credential id.
    pub assertion_id: Option<&'a str>,
    /// The badge text as embedded or given.
    pub payload: &'a str,
    /// The normalized badge as JSON.
    pub badge_json: &'a str,
    /// Badge name.
    pub name: Option<&'a str>,
    /// Badge description (indexed for search).
    pub description: Option<&'a str>,
    /// Criteria narrative or URL (indexed for search).
    pub criteria: Option<&'a str>,
    /// Issuer name.
    pub issuer_name: Option<&'a str>,
    /// Issuer id or URL.
    pub issuer_id: Option<&'a str>,
    /// Issue date, seconds since the Unix epoch.
    pub issued_on: Option<i64>,
    /// Expiry date, seconds since the Unix epoch.
    pub expires: Option<i64>,
    /// When it was imported, seconds since the Unix epoch.
    pub imported_at: i64,
    /// The verification made at import.
    pub verification: NewVerification<'a>,
    /// Tags the badge itself carries, kept as the user's first tags.
    pub tags: &'a [String],
}

/// A verification to record.
#[derive(Clone, Debug)]
pub struct NewVerification<'a> {
    /// When it was made.
    pub checked_at: i64,
    /// The verdict's word (`verify::Verdict::as_str`: `verified`, `expired`,
    /// `revoked`, `suspended`, `invalid`, `unverifiable`; the column's CHECK refuses others).
    pub status: &'a str,
    /// Whether it used only kept documents.
    pub offline: bool,
    /// The report as JSON.
    pub report_json: &'a str,
    /// The documents the check used, `(url, sha256)`.
    pub documents: &'a [(String, String)],
    /// Whether the recipient is one of the user's identities, and which.
    pub recipient: &'a RecipientMatch,
}

/// How a badge was found to be already present.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateBy {
    /// The same bytes were imported before.
    SameBytes,
    /// A badge with the same assertion or credential id is stored.
    SameId,
}

/// What [`Store::insert_badge`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inserted {
    /// Stored under this id.
    New(i64),
    /// Already present under this id; nothing was written.
    Duplicate(i64, DuplicateBy),
}

/// A badge as listed: what a grid or a table row shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadgeSummary {
    /// The badge's number in this backpack.
    pub id: i64,
    /// Badge name.
    pub name: Option<String>,
    /// Issuer name.
    pub issuer_name: Option<String>,
    /// Issuer id or URL.
    pub issuer_id: Option<String>,
    /// The latest verdict.
    pub status: String,
    /// When it was last checked.
    pub checked_at: i64,
    /// Issue date.
    pub issued_on: Option<i64>,
    /// Expiry date.
    pub expires: Option<i64>,
    /// When it was imported.
    pub imported_at: i64,
    /// png, svg, json, jws or url.
    pub container: String,
    /// Open Badges version.
    pub version: Option<String>,
    /// hosted, signed, vc-jwt, data-integrity or unknown.
    pub format: String,
    /// Assertion or credential id.
    pub assertion_id: Option<String>,
    /// Whether it was issued to one of the user's identities.
    pub yours: bool,
    /// Where it came from (the file name, the URL, "pasted text").
    pub source: String,
}

/// Everything about one badge except its original bytes (see [`Store::badge_file`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadgeRecord {
    /// The listing fields.
    #[serde(flatten)]
    pub summary: BadgeSummary,
    /// SHA-256 of the original bytes.
    pub sha256: String,
    /// Where it came from.
    pub source: String,
    /// Whether the recipient is one of the user's identities, and which.
    pub recipient_match: RecipientMatch,
    /// The user's note.
    pub note: String,
    /// The badge text as embedded or given.
    pub payload: String,
    /// The normalized badge as JSON.
    pub badge_json: String,
    /// The user's tags, sorted.
    pub tags: Vec<String>,
    /// The collections it is in: `(id, name)`.
    pub collections: Vec<(i64, String)>,
    /// The kept documents its checks used.
    pub documents: Vec<String>,
}

/// One recorded verification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerificationRecord {
    /// Its number.
    pub id: i64,
    /// When it was made.
    pub checked_at: i64,
    /// The verdict.
    pub status: String,
    /// Whether it used only kept documents.
    pub offline: bool,
    /// The report as JSON.
    pub report_json: String,
    /// The documents the check used, as a JSON object `{url: sha256}`.
    pub documents_json: String,
    /// For the check made when the user replaced the badge's original file:
    /// where the replaced file had come from.
    pub replaced_source: Option<String>,
}

/// How to order a listing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortBy {
    /// Newest import first (or, within a collection, the collection's order).
    #[default]
    Imported,
    /// By name, A to Z.
    Name,
    /// By issuer name, A to Z.
    Issuer,
    /// Newest issue date first.
    Issued,
    /// Soonest expiry first (badges that never expire last).
    Expires,
    /// By status, then name.
    Status,
}

/// Which badges to list. Every field narrows; the default lists everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct BadgeQuery {
    /// Words to find in name, description, issuer, criteria, tags and note
    /// (every word must match; a word matches as a prefix).
    pub search: Option<String>,
    /// Only these statuses (empty: all).
    pub status: Vec<String>,
    /// Only badges from this issuer: its name or id, in any case (words of
    /// an issuer's name are also found by [`BadgeQuery::search`]).
    pub issuer: Option<String>,
    /// Only badges with this tag (case-insensitive).
    pub tag: Option<String>,
    /// Only badges in this collection, in its order.
    pub collection: Option<i64>,
    /// Issued at or after (seconds since the Unix epoch).
    pub issued_from: Option<i64>,
    /// Issued before.
    pub issued_to: Option<i64>,
    /// Expiring at or after.
    pub expires_from: Option<i64>,
    /// Expiring before.
    pub expires_to: Option<i64>,
    /// Order.
    pub sort: SortBy,
    /// Reverse the order.
    pub reverse: bool,
    /// At most this many (None: all).
    pub limit: Option<u32>,
    /// Skip this many.
    pub offset: u32,
}

const SUMMARY_COLUMNS: &str = "b.id, b.name, b.issuer_name, b.issuer_id, b.status, b.checked_at, \
     b.issued_on, b.expires, b.imported_at, b.container, b.version, b.format, b.assertion_id, \
     b.recipient_match = 'matched', b.source";

fn summary_from(row: &Row<'_>) -> rusqlite::Result<BadgeSummary> {
    Ok(BadgeSummary {
        id: row.get(0)?,
        name: row.get(1)?,
        issuer_name: row.get(2)?,
        issuer_id: row.get(3)?,
        status: row.get(4)?,
        checked_at: row.get(5)?,
        issued_on: row.get(6)?,
        expires: row.get(7)?,
        imported_at: row.get(8)?,
        container: row.get(9)?,
        version: row.get(10)?,
        format: row.get(11)?,
        assertion_id: row.get(12)?,
        yours: row.get(13)?,
        source: row.get(14)?,
    })
}

/// Turns what a person typed into an FTS5 query: each word quoted (so no
/// word is read as an operator) and matched as a prefix; all must match.
/// `None` when nothing searchable remains.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '@' && c != '.')
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .take(32)
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// Runs `f` inside a savepoint nested in a caller's transaction, or on
    /// its own in a write transaction begun with `BEGIN IMMEDIATE` (so it
    /// waits for another writer up to the busy timeout instead of failing
    /// when it first writes after reading); on error everything `f` wrote is
    /// undone.
    pub(crate) fn savepoint<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.conn.is_autocommit() {
            return self.atomically(f);
        }
        self.conn.execute_batch("SAVEPOINT satchel").map_err(db)?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("RELEASE satchel").map_err(db)?;
                Ok(v)
            }
            Err(e) => {
                let _ = self
                    .conn
                    .execute_batch("ROLLBACK TO satchel; RELEASE satchel");
                Err(e)
            }
        }
    }

    /// The badge already stored with these bytes or this id, if any.
    pub fn find_duplicate(
        &self,
        sha256: &str,
        assertion_id: Option<&str>,
    ) -> Result<Option<(i64, DuplicateBy)>, StoreError> {
        let by_bytes: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM badges WHERE sha256 = ?1")
            .and_then(|mut s| s.query_row([sha256], |r| r.get(0)).optional())
            .map_err(db)?;
        if let Some(id) = by_bytes {
            return Ok(Some((id, DuplicateBy::SameBytes)));
        }
        let Some(aid) = assertion_id else {
            return Ok(None);
        };
        let by_id: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT min(id) FROM badges WHERE assertion_id = ?1 HAVING count(*) > 0",
            )
            .and_then(|mut s| s.query_row([aid], |r| r.get(0)).optional())
            .map_err(db)?;
        Ok(by_id.map(|id| (id, DuplicateBy::SameId)))
    }

    /// Stores a badge with its file, first verification, document links,
    /// tags and index row, all or nothing. A badge whose bytes or id are
    /// already stored is not written again.
    pub fn insert_badge(&self, b: &NewBadge<'_>) -> Result<Inserted, StoreError> {
        self.insert_badge_checking(b, true)
    }

    /// Stores a badge as [`Store::insert_badge`] does, beside any badge with
    /// the same assertion or credential id (the user keeps both files); a
    /// badge whose bytes are already stored is still not written again.
    pub fn insert_badge_beside(&self, b: &NewBadge<'_>) -> Result<Inserted, StoreError> {
        self.insert_badge_checking(b, false)
    }

    fn insert_badge_checking(&self, b: &NewBadge<'_>, by_id: bool) -> Result<Inserted, StoreError> {
        let sha = sha_of(b);
        self.savepoint(|s| {
            let id_to_check = b.assertion_id.filter(|_| by_id);
            if let Some((id, by)) = s.find_duplicate(&sha, id_to_check)? {
                return Ok(Inserted::Duplicate(id, by));
            }
            let v = &b.verification;
            let recipient = v.recipient.to_sql();
            s.conn
                .prepare_cached(&format!(
                    "INSERT INTO badges ({BADGE_COLUMNS}, {})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                        ?17, ?18, ?19, ?20, ?21)",
                    recipient::COLUMNS
                ))
                .and_then(|mut st| st.execute(&badge_values(b, &sha, &recipient)[..]))
                .map_err(db)?;
            let id = s.conn.last_insert_rowid();
            s.conn
                .prepare_cached(
                    "INSERT INTO badge_files (badge_id, media_type, bytes) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut st| st.execute(params![id, b.media_type, b.original]))
                .map_err(db)?;
            s.record_verification(id, v, None)?;
            for tag in b.tags {
                let tag = tag.trim();
                if !tag.is_empty() && tag.chars().count() <= 200 {
                    s.conn
                        .prepare_cached(
                            "INSERT OR IGNORE INTO tags (badge_id, tag) VALUES (?1, ?2)",
                        )
                        .and_then(|mut st| st.execute(params![id, tag]))
                        .map_err(db)?;
                }
            }
            s.index_badge_text(id, b)?;
            if !b.tags.is_empty() {
                s.reindex_user_text(id)?;
            }
            Ok(Inserted::New(id))
        })
    }

    /// The full-text row of badge `id` from what `b` says (tags and note
    /// left empty: see `reindex_user_text`).
    fn index_badge_text(&self, id: i64, b: &NewBadge<'_>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO badge_search (rowid, name, description, issuer, criteria, tags, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, '', '')",
            )
            .and_then(|mut st| {
                st.execute(params![
                    id,
                    b.name.unwrap_or(""),
                    b.description.unwrap_or(""),
                    format!(
                        "{} {}",
                        b.issuer_name.unwrap_or(""),
                        b.issuer_id.unwrap_or("")
                    ),
                    b.criteria.unwrap_or(""),
                ])
            })
            .map_err(db)?;
        Ok(())
    }

    /// Replaces the original file of badge `id` with `b`'s and everything
    /// read from it (name, issuer, dates, payload, source ...), and records
    /// `b`'s verification as the newest, noting the source of the file it
    /// replaced; the badge keeps its number, tags, note, collections and
    /// history. All or nothing. Returns false when there is no such badge.
    pub fn replace_badge(&self, id: i64, b: &NewBadge<'_>) -> Result<bool, StoreError> {
        let sha = sha_of(b);
        self.savepoint(|s| {
            let Some(old) = s.badge(id)? else {
                return Ok(false);
            };
            let v = &b.verification;
            let recipient = v.recipient.to_sql();
            let mut values = badge_values(b, &sha, &recipient).to_vec();
            values.push(&id);
            // Every column as `insert_badge` writes it but `imported_at` (?8).
            s.conn
                .prepare_cached(
                    "UPDATE badges SET name = ?1, issuer_name = ?2, issuer_id = ?3, status = ?4,
                        checked_at = ?5, issued_on = ?6, expires = ?7, container = ?9,
                        version = ?10, format = ?11, assertion_id = ?12, sha256 = ?13,
                        source = ?14, payload = ?15, badge_json = ?16, recipient_match = ?17,
                        recipient_identity = ?18, recipient_kind = ?19, recipient_hashed = ?20,
                        recipient_lowercased = ?21
                     WHERE id = ?22",
                )
                .and_then(|mut st| st.execute(&values[..]))
                .map_err(db)?;
            s.conn
                .prepare_cached(
                    "UPDATE badge_files SET media_type = ?2, bytes = ?3 WHERE badge_id = ?1",
                )
                .and_then(|mut st| st.execute(params![id, b.media_type, b.original]))
                .map_err(db)?;
            s.record_verification(id, v, Some(&old.source))?;
            s.index_badge_text(id, b)?;
            s.reindex_user_text(id)?;
            Ok(true)
        })
    }

    fn record_verification(
        &self,
        id: i64,
        v: &NewVerification<'_>,
        replaced_source: Option<&str>,
    ) -> Result<(), StoreError> {
        let docs: serde_json::Map<String, serde_json::Value> = v
            .documents
            .iter()
            .map(|(u, h)| (u.clone(), serde_json::Value::String(h.clone())))
            .collect();
        self.conn
            .prepare_cached(
                "INSERT INTO verifications (badge_id, checked_at, status, offline, report, documents,
                    replaced_source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    id,
                    v.checked_at,
                    v.status,
                    v.offline,
                    v.report_json,
                    serde_json::Value::Object(docs).to_string(),
                    replaced_source
                ])
            })
            .map_err(db)?;
        for (url, _) in v.documents {
            self.conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO badge_documents (badge_id, url) VALUES (?1, ?2)",
                )
                .and_then(|mut st| st.execute(params![id, url]))
                .map_err(db)?;
        }
        Ok(())
    }

    /// Records a new verification of badge `id` and makes it the badge's
    /// current status. Returns false when there is no such badge.
    pub fn add_verification(&self, id: i64, v: &NewVerification<'_>) -> Result<bool, StoreError> {
        self.savepoint(|s| {
            let n = s
                .conn
                .prepare_cached("UPDATE badges SET status = ?2, checked_at = ?3 WHERE id = ?1")
                .and_then(|mut st| st.execute(params![id, v.status, v.checked_at]))
                .map_err(db)?;
            if n == 0 {
                return Ok(false);
            }
            s.set_recipient_match(id, v.recipient)?;
            s.record_verification(id, v, None)?;
            Ok(true)
        })
    }

    /// Records whether, and which, identity the recipient of badge `id`
    /// matches now (see `backpack::rematch_identities`).
    pub fn set_recipient_match(&self, id: i64, found: &RecipientMatch) -> Result<(), StoreError> {
        let [m, identity, kind, hashed, lowercased] = found.to_sql();
        self.conn
            .prepare_cached(
                "UPDATE badges SET recipient_match = ?2, recipient_identity = ?3,
                    recipient_kind = ?4, recipient_hashed = ?5, recipient_lowercased = ?6
                 WHERE id = ?1",
            )
            .and_then(|mut st| st.execute(params![id, m, identity, kind, hashed, lowercased]))
            .map_err(db)?;
        Ok(())
    }

    /// Every verification of badge `id`, oldest first.
    pub fn verifications(&self, id: i64) -> Result<Vec<VerificationRecord>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT id, checked_at, status, offline, report, documents, replaced_source
                 FROM verifications
                 WHERE badge_id = ?1 ORDER BY id",
            )
            .map_err(db)?;
        let rows = st
            .query_map([id], |r| {
                Ok(VerificationRecord {
                    id: r.get(0)?,
                    checked_at: r.get(1)?,
                    status: r.get(2)?,
                    offline: r.get(3)?,
                    report_json: r.get(4)?,
                    documents_json: r.get(5)?,
                    replaced_source: r.get(6)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// The newest verification of badge `id`.
    pub fn last_verification(&self, id: i64) -> Result<Option<VerificationRecord>, StoreError> {
        Ok(self.verifications(id)?.pop())
    }

    /// One badge, without its original bytes.
    pub fn badge(&self, id: i64) -> Result<Option<BadgeRecord>, StoreError> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, b.sha256, b.source, b.note, b.payload, b.badge_json, {}
             FROM badges b WHERE b.id = ?1",
            recipient::COLUMNS
        );
        let found = self
            .conn
            .prepare_cached(&sql)
            .and_then(|mut st| {
                st.query_row([id], |r| {
                    Ok(BadgeRecord {
                        summary: summary_from(r)?,
                        sha256: r.get(15)?,
                        source: r.get(16)?,
                        note: r.get(17)?,
                        payload: r.get(18)?,
                        badge_json: r.get(19)?,
                        recipient_match: RecipientMatch::from_row(r, 20)?,
                        tags: Vec::new(),
                        collections: Vec::new(),
                        documents: Vec::new(),
                    })
                })
                .optional()
            })
            .map_err(db)?;
        let Some(mut record) = found else {
            return Ok(None);
        };
        record.tags = self.tags(id)?;
        record.collections = self.strings2(
            "SELECT c.id, c.name FROM collection_badges cb JOIN collections c ON c.id = cb.collection_id
             WHERE cb.badge_id = ?1 ORDER BY c.name COLLATE NOCASE",
            id,
        )?;
        record.documents = self
            .conn
            .prepare_cached("SELECT url FROM badge_documents WHERE badge_id = ?1 ORDER BY url")
            .and_then(|mut st| {
                st.query_map([id], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()
            })
            .map_err(db)?;
        Ok(Some(record))
    }

    fn strings2(&self, sql: &str, id: i64) -> Result<Vec<(i64, String)>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut st| {
                st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(db)
    }

    /// The original bytes of badge `id` and their media type.
    pub fn badge_file(&self, id: i64) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        self.conn
            .prepare_cached("SELECT media_type, bytes FROM badge_files WHERE badge_id = ?1")
            .and_then(|mut st| {
                st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(db)
    }

    /// Every badge id, in import order.
    pub fn badge_ids(&self) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM badges ORDER BY id")
            .and_then(|mut st| {
                st.query_map([], |r| r.get(0))?
                    .collect::<Result<Vec<i64>, _>>()
            })
            .map_err(db)
    }

    /// Every badge last checked before `before` (seconds since the epoch),
    /// the longest unchecked first.
    pub fn badge_ids_checked_before(&self, before: i64) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM badges WHERE checked_at < ?1 ORDER BY checked_at, id")
            .and_then(|mut st| {
                st.query_map([before], |r| r.get(0))?
                    .collect::<Result<Vec<i64>, _>>()
            })
            .map_err(db)
    }

    /// Deletes badge `id` with its file, history, tags and collection
    /// memberships (later badges in its collections move up). Returns false
    /// when there is no such badge.
    pub fn delete_badge(&self, id: i64) -> Result<bool, StoreError> {
        self.savepoint(|s| {
            let memberships = s.strings2(
                "SELECT collection_id, '' FROM collection_badges WHERE badge_id = ?1",
                id,
            )?;
            let n = s
                .conn
                .execute("DELETE FROM badges WHERE id = ?1", [id])
                .map_err(db)?;
            s.conn
                .execute("DELETE FROM badge_search WHERE rowid = ?1", [id])
                .map_err(db)?;
            for (collection, _) in memberships {
                s.renumber(collection)?;
            }
            Ok(n > 0)
        })
    }

    /// The tags of badge `id`, sorted.
    pub fn tags(&self, id: i64) -> Result<Vec<String>, StoreError> {
        self.conn
            .prepare_cached("SELECT tag FROM tags WHERE badge_id = ?1 ORDER BY tag")
            .and_then(|mut st| {
                st.query_map([id], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()
            })
            .map_err(db)
    }

    /// Every tag in use with how many badges carry it, by tag.
    pub fn all_tags(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.conn
            .prepare_cached("SELECT tag, count(*) FROM tags GROUP BY tag ORDER BY tag")
            .and_then(|mut st| {
                st.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(db)
    }

    pub(crate) fn require_badge(&self, id: i64) -> Result<(), StoreError> {
        let exists: bool = self
            .conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM badges WHERE id = ?1)")
            .and_then(|mut st| st.query_row([id], |r| r.get(0)))
            .map_err(db)?;
        if exists {
            Ok(())
        } else {
            Err(StoreError::NoSuchBadge(id))
        }
    }

    /// Adds tags to badge `id` (trimmed; empty ones ignored; case-insensitive
    /// duplicates kept once). Returns the badge's tags.
    pub fn add_tags(&self, id: i64, tags: &[String]) -> Result<Vec<String>, StoreError> {
        self.savepoint(|s| {
            s.require_badge(id)?;
            for tag in tags {
                let tag = tag.trim();
                if tag.is_empty() {
                    continue;
                }
                if tag.chars().count() > 200 {
                    return Err(StoreError::Invalid(
                        "a tag may be at most 200 characters long".to_owned(),
                    ));
                }
                // A tag in use keeps the spelling it was first given.
                let spelled: Option<String> = s
                    .conn
                    .prepare_cached("SELECT tag FROM tags WHERE tag = ?1 LIMIT 1")
                    .and_then(|mut st| st.query_row([tag], |r| r.get(0)).optional())
                    .map_err(db)?;
                s.conn
                    .prepare_cached("INSERT OR IGNORE INTO tags (badge_id, tag) VALUES (?1, ?2)")
                    .and_then(|mut st| st.execute(params![id, spelled.as_deref().unwrap_or(tag)]))
                    .map_err(db)?;
            }
            s.reindex_user_text(id)?;
            s.tags(id)
        })
    }

    /// Removes tags from badge `id` (case-insensitive). Returns the badge's tags.
    pub fn remove_tags(&self, id: i64, tags: &[String]) -> Result<Vec<String>, StoreError> {
        self.savepoint(|s| {
            s.require_badge(id)?;
            for tag in tags {
                s.conn
                    .prepare_cached("DELETE FROM tags WHERE badge_id = ?1 AND tag = ?2")
                    .and_then(|mut st| st.execute(params![id, tag.trim()]))
                    .map_err(db)?;
            }
            s.reindex_user_text(id)?;
            s.tags(id)
        })
    }

    /// Replaces the note of badge `id` (empty text clears it).
    pub fn set_note(&self, id: i64, note: &str) -> Result<(), StoreError> {
        if note.len() > 100_000 {
            return Err(StoreError::Invalid(
                "a note may be at most 100,000 bytes long".to_owned(),
            ));
        }
        self.savepoint(|s| {
            s.require_badge(id)?;
            s.conn
                .execute(
                    "UPDATE badges SET note = ?2 WHERE id = ?1",
                    params![id, note],
                )
                .map_err(db)?;
            s.reindex_user_text(id)
        })
    }

    /// Brings the index's tags and note columns up to date for badge `id`.
    fn reindex_user_text(&self, id: i64) -> Result<(), StoreError> {
        let tags = self.tags(id)?.join(" ");
        self.conn
            .prepare_cached(
                "UPDATE badge_search SET tags = ?2, note = (SELECT note FROM badges WHERE id = ?1)
                 WHERE rowid = ?1",
            )
            .and_then(|mut st| st.execute(params![id, tags]))
            .map_err(db)?;
        Ok(())
    }

    /// How many badges the backpack holds.
    pub fn badge_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM badges", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(db)
    }

    /// The badges matching `q`, in its order.
    pub fn list_badges(&self, q: &BadgeQuery) -> Result<Vec<BadgeSummary>, StoreError> {
        let (from_where, args) = match where_clause(q) {
            Some(w) => w,
            None => return Ok(Vec::new()),
        };
        let order = match (q.sort, q.collection.is_some()) {
            (SortBy::Imported, true) => "cb.position ASC",
            (SortBy::Imported, false) => "b.id DESC",
            (SortBy::Name, _) => "b.name IS NULL, b.name COLLATE NOCASE ASC, b.id ASC",
            (SortBy::Issuer, _) => "b.issuer_name IS NULL, b.issuer_name COLLATE NOCASE ASC, b.name COLLATE NOCASE, b.id",
            (SortBy::Issued, _) => "b.issued_on IS NULL, b.issued_on DESC, b.id DESC",
            (SortBy::Expires, _) => "b.expires IS NULL, b.expires ASC, b.id",
            (SortBy::Status, _) => "CASE b.status WHEN 'revoked' THEN 0 WHEN 'invalid' THEN 1 WHEN 'suspended' THEN 2 WHEN 'expired' THEN 3 WHEN 'unverifiable' THEN 4 ELSE 5 END, b.name COLLATE NOCASE, b.id",
        };
        let order = if q.reverse {
            reverse_order(order)
        } else {
            order.to_owned()
        };
        let limit = q.limit.map_or(-1, i64::from);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} {from_where} ORDER BY {order} LIMIT {limit} OFFSET {}",
            q.offset
        );
        let mut st = self.conn.prepare_cached(&sql).map_err(db)?;
        let rows = st
            .query_map(params_from_iter(args.iter()), summary_from)
            .map_err(db)?;
        rows.collect::<Result<_, _>>().map_err(db)
    }

    /// How many badges match `q` (ignoring its limit and offset).
    pub fn count_badges(&self, q: &BadgeQuery) -> Result<u64, StoreError> {
        let Some((from_where, args)) = where_clause(q) else {
            return Ok(0);
        };
        let sql = format!("SELECT count(*) {from_where}");
        self.conn
            .prepare_cached(&sql)
            .and_then(|mut st| st.query_row(params_from_iter(args.iter()), |r| r.get::<_, i64>(0)))
            .map(|n| n as u64)
            .map_err(db)
    }

    /// Tags of many badges at once: `(badge id, tag)` pairs for the given ids.
    pub fn tags_of(&self, ids: &[i64]) -> Result<Vec<(i64, String)>, StoreError> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT badge_id, tag FROM tags WHERE badge_id IN ({marks}) ORDER BY badge_id, tag"
            );
            let mut st = self.conn.prepare(&sql).map_err(db)?;
            let rows = st
                .query_map(params_from_iter(chunk.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(db)?;
            for row in rows {
                out.push(row.map_err(db)?);
            }
        }
        Ok(out)
    }
}

/// `FROM ... WHERE ...` and its arguments; `None` when the query can match nothing.
fn where_clause(q: &BadgeQuery) -> Option<(String, Vec<SqlValue>)> {
    let mut from = String::from("FROM badges b");
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<SqlValue> = Vec::new();
    if let Some(text) = q.search.as_deref().filter(|t| !t.trim().is_empty()) {
        // The words anywhere in the indexed text; or the whole text inside
        // the file name it came from, its assertion or credential id, or
        // its issuer's id (a host such as badges.example.org), so badges
        // with little data are found by what is known about them.
        let like = format!(
            "%{}%",
            text.trim()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let mut either = vec![
            "b.source LIKE ? ESCAPE '\\'",
            "b.assertion_id LIKE ? ESCAPE '\\'",
            "b.issuer_id LIKE ? ESCAPE '\\'",
        ];
        let mut found = Vec::new();
        if let Some(query) = fts_query(text) {
            either.insert(
                0,
                "b.id IN (SELECT rowid FROM badge_search WHERE badge_search MATCH ?)",
            );
            found.push(SqlValue::Text(query));
        }
        conds.push(format!("({})", either.join(" OR ")));
        args.extend(found);
        args.extend(std::iter::repeat_n(SqlValue::Text(like), 3));
    }
    if let Some(c) = q.collection {
        from.push_str(" JOIN collection_badges cb ON cb.badge_id = b.id");
        conds.push("cb.collection_id = ?".to_owned());
        args.push(SqlValue::Integer(c));
    }
    if !q.status.is_empty() {
        let marks = vec!["?"; q.status.len()].join(", ");
        conds.push(format!("b.status IN ({marks})"));
        args.extend(q.status.iter().map(|s| SqlValue::Text(s.to_lowercase())));
    }
    if let Some(issuer) = q.issuer.as_deref().filter(|s| !s.is_empty()) {
        conds.push(
            "(b.issuer_name = ? COLLATE NOCASE OR b.issuer_id = ? COLLATE NOCASE)".to_owned(),
        );
        args.push(SqlValue::Text(issuer.to_owned()));
        args.push(SqlValue::Text(issuer.to_owned()));
    }
    if let Some(tag) = q.tag.as_deref().filter(|s| !s.is_empty()) {
        conds.push("b.id IN (SELECT t.badge_id FROM tags t WHERE t.tag = ?)".to_owned());
        args.push(SqlValue::Text(tag.trim().to_owned()));
    }
    for (col, op, v) in [
        ("b.issued_on", ">=", q.issued_from),
        ("b.issued_on", "<", q.issued_to),
        ("b.expires", ">=", q.expires_from),
        ("b.expires", "<", q.expires_to),
    ] {
        if let Some(v) = v {
            conds.push(format!("{col} {op} ?"));
            args.push(SqlValue::Integer(v));
        }
    }
    let mut sql = from;
    if !conds.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conds.join(" AND "));
    }
    Some((sql, args))
}

/// Flips every ASC/DESC in an ORDER BY list and puts NULLs where the flip expects them.
fn reverse_order(order: &str) -> String {
    order
        .split(", ")
        .map(|term| {
            if let Some(t) = term.strip_suffix(" ASC") {
                format!("{t} DESC")
            } else if let Some(t) = term.strip_suffix(" DESC") {
                format!("{t} ASC")
            } else if term.ends_with(" IS NULL") {
                term.to_owned()
            } else {
                format!("{term} DESC")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SHA-256 of `b`'s original bytes (as given, else computed).
fn sha_of(b: &NewBadge<'_>) -> String {
    match b.sha256 {
        Some(h) if h.len() == 64 => h.to_owned(),
        _ => super::documents::sha256_hex(b.original),
    }
}

/// The badge columns `insert_badge` writes, before the recipient's.
const BADGE_COLUMNS: &str = "name, issuer_name, issuer_id, status, checked_at, issued_on, expires,
    imported_at, container, version, format, assertion_id, sha256, source, payload, badge_json";

/// The values of [`BADGE_COLUMNS`] and then [`recipient::COLUMNS`] for `b`.
fn badge_values<'a>(
    b: &'a NewBadge<'_>,
    sha: &'a dyn rusqlite::ToSql,
    recipient: &'a [SqlValue; 5],
) -> [&'a dyn rusqlite::ToSql; 21] {
    let v = &b.verification;
    let [m, identity, kind, hashed, lowercased] = recipient;
    [
        &b.name,
        &b.issuer_name,
        &b.issuer_id,
        &v.status,
        &v.checked_at,
        &b.issued_on,
        &b.expires,
        &b.imported_at,
        &b.container,
        &b.version,
        &b.format,
        &b.assertion_id,
        sha,
        &b.source,
        &b.payload,
        &b.badge_json,
        m,
        identity,
        kind,
        hashed,
        lowercased,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_becomes_quoted_prefix_words() {
        assert_eq!(
            fts_query("rust  web"),
            Some("\"rust\"* \"web\"*".to_owned())
        );
        assert_eq!(
            fts_query("NOT OR \"x"),
            Some("\"NOT\"* \"OR\"* \"x\"*".to_owned())
        );
        assert_eq!(fts_query("  ()* "), None);
    }

    fn badge<'a>(bytes: &'a [u8], name: &'a str, source: &'a str) -> NewBadge<'a> {
        NewBadge {
            original: bytes,
            sha256: None,
            media_type: "application/json",
            container: "json",
            source,
            version: Some("2.0"),
            format: "hosted",
            assertion_id: Some("https://issuer.example/a/1"),
            payload: "{}",
            badge_json: "{}",
            name: Some(name),
            description: None,
            criteria: None,
            issuer_name: None,
            issuer_id: None,
            issued_on: None,
            expires: None,
            imported_at: 5,
            verification: NewVerification {
                checked_at: 5,
                status: "verified",
                offline: true,
                report_json: "{}",
                documents: &[],
                recipient: &RecipientMatch::NoRecipient,
            },
            tags: &[],
        }
    }

    #[test]
    fn a_replacement_that_fails_leaves_the_badge_as_it_was() {
        let store = Store::open_in_memory().unwrap();
        let Inserted::New(kept) = store
            .insert_badge(&badge(b"{ }", "Kept", "a.json"))
            .unwrap()
        else {
            panic!("not stored");
        };
        store.add_tags(kept, &["mine".to_owned()]).unwrap();
        let Inserted::New(beside) = store
            .insert_badge_beside(&badge(b"{  }", "Beside", "b.json"))
            .unwrap()
        else {
            panic!("not stored beside");
        };
        assert_ne!(kept, beside);
        // The bytes of badge `beside`: refused (the SHA-256 is unique), and
        // nothing of badge `kept` changes.
        let clash = badge(b"{  }", "Clash", "c.json");
        assert!(store.replace_badge(kept, &clash).is_err());
        let after = store.badge(kept).unwrap().unwrap();
        assert_eq!(after.summary.name.as_deref(), Some("Kept"));
        assert_eq!(after.source, "a.json");
        assert_eq!(after.tags, ["mine"]);
        assert_eq!(store.badge_file(kept).unwrap().unwrap().1, b"{ }");
        assert_eq!(store.verifications(kept).unwrap().len(), 1);
        // A good one replaces all of it and keeps the tags.
        assert!(store
            .replace_badge(kept, &badge(b"{}", "New", "d.json"))
            .unwrap());
        let after = store.badge(kept).unwrap().unwrap();
        assert_eq!(after.summary.name.as_deref(), Some("New"));
        assert_eq!(after.tags, ["mine"]);
        let history = store.verifications(kept).unwrap();
        assert_eq!(history[1].replaced_source.as_deref(), Some("a.json"));
        assert!(!store
            .replace_badge(999, &badge(b"[]", "None", "e.json"))
            .unwrap());
    }

    #[test]
    fn reversing_keeps_nulls_last() {
        assert_eq!(
            reverse_order("b.issued_on IS NULL, b.issued_on DESC, b.id DESC"),
            "b.issued_on IS NULL, b.issued_on ASC, b.id ASC"
        );
    }
}
