//! Issuer mode's records: issuer profiles, their keys' public halves, badge
//! classes, awards and status list positions. Plain data in and out; what
//! the records mean (documents, signatures, the publish folder) is
//! `crate::issuer`'s. Private keys are never stored here.

use super::{db, Store, StoreError};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

/// An issuer profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IssuerRecord {
    /// Its number.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its website.
    pub url: String,
    /// Its contact email.
    pub email: String,
    /// What it is.
    pub description: String,
    /// Its image (PNG or SVG bytes), if any.
    #[serde(skip)]
    pub image: Option<Vec<u8>>,
    /// The image's media type.
    pub image_type: Option<String>,
    /// Where its publish folder is hosted (ends with `/`).
    pub base_url: String,
    /// How OB 3.0 badges name it: `did` (did:web) or `url` (its profile URL).
    pub ob3_identity: String,
    /// When it was created (Unix seconds).
    pub created: i64,
    /// When it was last changed.
    pub updated: i64,
}

/// The public half of one of an issuer's signing keys (the private half is
/// a file in the data folder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyRecord {
    /// Its number.
    pub id: i64,
    /// The issuer.
    pub issuer_id: i64,
    /// `ed25519` or `rsa`.
    pub algorithm: String,
    /// Its name within the issuer (`key-1`, `rsa-1`): the DID fragment and file name.
    pub name: String,
    /// The public key: a multibase `z6Mk…` or an SPKI PEM.
    pub public_key: String,
    /// When it was made.
    pub created: i64,
    /// When it stopped signing (it stays published).
    pub retired: Option<i64>,
}

/// A badge class (an OB 3.0 achievement).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClassRecord {
    /// Its number.
    pub id: i64,
    /// The issuer.
    pub issuer_id: i64,
    /// Its name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Its image (PNG or SVG).
    #[serde(skip)]
    pub image: Vec<u8>,
    /// The image's media type.
    pub image_type: String,
    /// The criteria narrative (Markdown).
    pub criteria: String,
    /// A page with the criteria, if any.
    pub criteria_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Alignments (JSON objects as given).
    pub alignments: Vec<serde_json::Value>,
    /// The OB 3.0 achievement type, if any.
    pub achievement_type: Option<String>,
    /// Default validity (`2y`, `18m`, `90d`), if any.
    pub valid_for: Option<String>,
    /// `ob2-hosted`, `ob2-signed` or `ob3`.
    pub format: String,
    /// Whether OB 3.0 awards are also issued as a VC-JWT.
    pub vc_jwt: bool,
    /// Whether OB 3.0 awards carry a suspension status entry too.
    pub suspendable: bool,
    /// When it was created.
    pub created: i64,
    /// When it was last changed.
    pub updated: i64,
}

/// One award of a badge class to a recipient, with the document as issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AwardRecord {
    /// Its number.
    pub id: i64,
    /// The badge class.
    pub class_id: i64,
    /// The random id its documents carry.
    pub uid: String,
    /// The recipient's identity as the issuer knows it (never published in plain text unless `hashed` is false).
    pub recipient: String,
    /// `email`, `url`, `telephone` or `did`.
    pub recipient_kind: String,
    /// Whether the badge carries the identity hashed.
    pub hashed: bool,
    /// The salt of the hash.
    pub salt: Option<String>,
    /// The recipient's name (never published).
    pub recipient_name: Option<String>,
    /// When it was issued.
    pub issued_on: i64,
    /// When it expires.
    pub expires: Option<i64>,
    /// What the recipient did.
    pub narrative: Option<String>,
    /// Evidence: a URL.
    pub evidence_url: Option<String>,
    /// Evidence: a narrative.
    pub evidence_narrative: Option<String>,
    /// The document as issued: assertion or credential JSON, or a compact JWS.
    #[serde(skip)]
    pub document: String,
    /// The VC-JWT, when the class asks for one.
    #[serde(skip)]
    pub jwt: Option<String>,
    /// When it was revoked.
    pub revoked: Option<i64>,
    /// Why it was revoked.
    pub revocation_reason: Option<String>,
    /// Whether it is suspended.
    pub suspended: bool,
    /// When it was last revoked, suspended or unsuspended.
    pub status_changed: Option<i64>,
    /// When it was stored.
    pub created: i64,
}

/// A new award's fields (the store gives it its number).
#[derive(Clone, Debug)]
pub struct NewAward<'a> {
    /// The badge class.
    pub class_id: i64,
    /// The random id.
    pub uid: &'a str,
    /// The identity.
    pub recipient: &'a str,
    /// Its kind.
    pub recipient_kind: &'a str,
    /// Hashed in the badge.
    pub hashed: bool,
    /// The salt.
    pub salt: Option<&'a str>,
    /// The recipient's name.
    pub recipient_name: Option<&'a str>,
    /// Issue time.
    pub issued_on: i64,
    /// Expiry.
    pub expires: Option<i64>,
    /// Narrative.
    pub narrative: Option<&'a str>,
    /// Evidence URL.
    pub evidence_url: Option<&'a str>,
    /// Evidence narrative.
    pub evidence_narrative: Option<&'a str>,
    /// The document as issued.
    pub document: &'a str,
    /// The VC-JWT.
    pub jwt: Option<&'a str>,
    /// Now.
    pub created: i64,
}

const ISSUER_COLUMNS: &str = "id, name, url, email, description, image, image_type, base_url, ob3_identity, created, updated";
const KEY_COLUMNS: &str = "id, issuer_id, algorithm, name, public_key, created, retired";
const CLASS_COLUMNS: &str = "id, issuer_id, name, description, image, image_type, criteria, criteria_url, tags, alignments, achievement_type, valid_for, format, vc_jwt, created, updated, suspendable";
const AWARD_COLUMNS: &str = "id, class_id, uid, recipient, recipient_kind, hashed, salt, recipient_name, issued_on, expires, narrative, evidence_url, evidence_narrative, document, jwt, revoked, revocation_reason, suspended, status_changed, created";

fn issuer_row(r: &Row<'_>) -> rusqlite::Result<IssuerRecord> {
    Ok(IssuerRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        url: r.get(2)?,
        email: r.get(3)?,
        description: r.get(4)?,
        image: r.get(5)?,
        image_type: r.get(6)?,
        base_url: r.get(7)?,
        ob3_identity: r.get(8)?,
        created: r.get(9)?,
        updated: r.get(10)?,
    })
}

fn key_row(r: &Row<'_>) -> rusqlite::Result<KeyRecord> {
    Ok(KeyRecord {
        id: r.get(0)?,
        issuer_id: r.get(1)?,
        algorithm: r.get(2)?,
        name: r.get(3)?,
        public_key: r.get(4)?,
        created: r.get(5)?,
        retired: r.get(6)?,
    })
}

fn json_list<T: serde::de::DeserializeOwned>(text: String) -> Vec<T> {
    serde_json::from_str(&text).unwrap_or_default()
}

fn class_row(r: &Row<'_>) -> rusqlite::Result<ClassRecord> {
    Ok(ClassRecord {
        id: r.get(0)?,
        issuer_id: r.get(1)?,
        name: r.get(2)?,
        description: r.get(3)?,
        image: r.get(4)?,
        image_type: r.get(5)?,
        criteria: r.get(6)?,
        criteria_url: r.get(7)?,
        tags: json_list(r.get(8)?),
        alignments: json_list(r.get(9)?),
        achievement_type: r.get(10)?,
        valid_for: r.get(11)?,
        format: r.get(12)?,
        vc_jwt: r.get(13)?,
        created: r.get(14)?,
        updated: r.get(15)?,
        suspendable: r.get(16)?,
    })
}

fn award_row(r: &Row<'_>) -> rusqlite::Result<AwardRecord> {
    Ok(AwardRecord {
        id: r.get(0)?,
        class_id: r.get(1)?,
        uid: r.get(2)?,
        recipient: r.get(3)?,
        recipient_kind: r.get(4)?,
        hashed: r.get(5)?,
        salt: r.get(6)?,
        recipient_name: r.get(7)?,
        issued_on: r.get(8)?,
        expires: r.get(9)?,
        narrative: r.get(10)?,
        evidence_url: r.get(11)?,
        evidence_narrative: r.get(12)?,
        document: r.get(13)?,
        jwt: r.get(14)?,
        revoked: r.get(15)?,
        revocation_reason: r.get(16)?,
        suspended: r.get(17)?,
        status_changed: r.get(18)?,
        created: r.get(19)?,
    })
}

impl Store {
    fn all<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        row: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut st| st.query_map(args, row)?.collect())
            .map_err(db)
    }

    fn one<T>(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        row: fn(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>, StoreError> {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut st| st.query_row(args, row).optional())
            .map_err(db)
    }

    /// Stores a new issuer (its `id` is ignored) and returns its number.
    pub fn insert_issuer(&self, i: &IssuerRecord) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO issuers (name, url, email, description, image, image_type, base_url, ob3_identity, created, updated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![i.name, i.url, i.email, i.description, i.image, i.image_type, i.base_url, i.ob3_identity, i.created, i.updated],
            )
            .map_err(db)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Writes every field of an existing issuer.
    pub fn update_issuer(&self, i: &IssuerRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE issuers SET name = ?2, url = ?3, email = ?4, description = ?5, image = ?6, image_type = ?7,
                 base_url = ?8, ob3_identity = ?9, updated = ?10 WHERE id = ?1",
                params![i.id, i.name, i.url, i.email, i.description, i.image, i.image_type, i.base_url, i.ob3_identity, i.updated],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Every issuer, by number.
    pub fn issuers(&self) -> Result<Vec<IssuerRecord>, StoreError> {
        self.all(
            &format!("SELECT {ISSUER_COLUMNS} FROM issuers ORDER BY id"),
            [],
            issuer_row,
        )
    }

    /// One issuer.
    pub fn issuer(&self, id: i64) -> Result<Option<IssuerRecord>, StoreError> {
        self.one(
            &format!("SELECT {ISSUER_COLUMNS} FROM issuers WHERE id = ?1"),
            [id],
            issuer_row,
        )
    }

    /// Stores a key's public half (its `id` is ignored); returns its number.
    pub fn insert_issuer_key(&self, k: &KeyRecord) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO issuer_keys (issuer_id, algorithm, name, public_key, created, retired)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    k.issuer_id,
                    k.algorithm,
                    k.name,
                    k.public_key,
                    k.created,
                    k.retired
                ],
            )
            .map_err(db)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// An issuer's keys, oldest first (retired ones too: they stay published).
    pub fn issuer_keys(&self, issuer_id: i64) -> Result<Vec<KeyRecord>, StoreError> {
        self.all(
            &format!("SELECT {KEY_COLUMNS} FROM issuer_keys WHERE issuer_id = ?1 ORDER BY id"),
            [issuer_id],
            key_row,
        )
    }

    /// Marks a key retired: it signs no more, and stays published.
    pub fn retire_issuer_key(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE issuer_keys SET retired = ?2 WHERE id = ?1 AND retired IS NULL",
                params![id, now],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Stores a new badge class (its `id` is ignored); returns its number.
    pub fn insert_class(&self, c: &ClassRecord) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO badge_classes (issuer_id, name, description, image, image_type, criteria, criteria_url,
                 tags, alignments, achievement_type, valid_for, format, vc_jwt, created, updated, suspendable)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                params![
                    c.issuer_id, c.name, c.description, c.image, c.image_type, c.criteria, c.criteria_url,
                    serde_json::to_string(&c.tags).unwrap_or_default(),
                    serde_json::to_string(&c.alignments).unwrap_or_default(),
                    c.achievement_type, c.valid_for, c.format, c.vc_jwt, c.created, c.updated, c.suspendable
                ],
            )
            .map_err(db)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Writes every field of an existing badge class (not its issuer).
    pub fn update_class(&self, c: &ClassRecord) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE badge_classes SET name = ?2, description = ?3, image = ?4, image_type = ?5, criteria = ?6,
                 criteria_url = ?7, tags = ?8, alignments = ?9, achievement_type = ?10, valid_for = ?11,
                 format = ?12, vc_jwt = ?13, updated = ?14 WHERE id = ?1",
                params![
                    c.id, c.name, c.description, c.image, c.image_type, c.criteria, c.criteria_url,
                    serde_json::to_string(&c.tags).unwrap_or_default(),
                    serde_json::to_string(&c.alignments).unwrap_or_default(),
                    c.achievement_type, c.valid_for, c.format, c.vc_jwt, c.updated
                ],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Badge classes, of one issuer or all, by number.
    pub fn classes(&self, issuer_id: Option<i64>) -> Result<Vec<ClassRecord>, StoreError> {
        self.all(
            &format!("SELECT {CLASS_COLUMNS} FROM badge_classes WHERE ?1 IS NULL OR issuer_id = ?1 ORDER BY id"),
            [issuer_id],
            class_row,
        )
    }

    /// One badge class.
    pub fn class(&self, id: i64) -> Result<Option<ClassRecord>, StoreError> {
        self.one(
            &format!("SELECT {CLASS_COLUMNS} FROM badge_classes WHERE id = ?1"),
            [id],
            class_row,
        )
    }

    /// How many awards an issuer has made.
    pub fn issuer_award_count(&self, issuer_id: i64) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM awards a JOIN badge_classes c ON c.id = a.class_id WHERE c.issuer_id = ?1",
                [issuer_id],
                |r| r.get::<_, i64>(0).map(|n| n as u64),
            )
            .map_err(db)
    }

    /// How many awards a badge class has.
    pub fn class_award_count(&self, class_id: i64) -> Result<u64, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM awards WHERE class_id = ?1",
                [class_id],
                |r| r.get::<_, i64>(0).map(|n| n as u64),
            )
            .map_err(db)
    }

    /// Stores an award; returns its number.
    pub fn insert_award(&self, a: &NewAward<'_>) -> Result<i64, StoreError> {
        self.conn
            .execute(
                "INSERT INTO awards (class_id, uid, recipient, recipient_kind, hashed, salt, recipient_name, issued_on,
                 expires, narrative, evidence_url, evidence_narrative, document, jwt, created)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                params![
                    a.class_id, a.uid, a.recipient, a.recipient_kind, a.hashed, a.salt, a.recipient_name,
                    a.issued_on, a.expires, a.narrative, a.evidence_url, a.evidence_narrative, a.document,
                    a.jwt, a.created
                ],
            )
            .map_err(db)?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Awards of an issuer (all classes) or of one class, with an optional
    /// substring of the recipient, the recipient's name or the uid; by number.
    pub fn awards(
        &self,
        issuer_id: Option<i64>,
        class_id: Option<i64>,
        search: Option<&str>,
    ) -> Result<Vec<AwardRecord>, StoreError> {
        let columns = AWARD_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.all(
            &format!(
                "SELECT {columns} FROM awards a JOIN badge_classes c ON c.id = a.class_id
                 WHERE (?1 IS NULL OR c.issuer_id = ?1) AND (?2 IS NULL OR a.class_id = ?2)
                   AND (?3 IS NULL OR instr(lower(a.recipient), lower(?3)) > 0
                        OR instr(lower(coalesce(a.recipient_name, '')), lower(?3)) > 0
                        OR instr(lower(a.uid), lower(?3)) > 0)
                 ORDER BY a.id"
            ),
            params![issuer_id, class_id, search],
            award_row,
        )
    }

    /// The recipient and issue time of every award of a class (what a bulk
    /// award compares to, without the documents).
    pub fn class_recipients(&self, class_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
        self.conn
            .prepare_cached("SELECT recipient, issued_on FROM awards WHERE class_id = ?1")
            .and_then(|mut st| {
                st.query_map([class_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .collect()
            })
            .map_err(db)
    }

    /// One award.
    pub fn award(&self, id: i64) -> Result<Option<AwardRecord>, StoreError> {
        self.one(
            &format!("SELECT {AWARD_COLUMNS} FROM awards WHERE id = ?1"),
            [id],
            award_row,
        )
    }

    /// Marks an award revoked (final).
    pub fn revoke_award(&self, id: i64, reason: &str, now: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE awards SET revoked = ?2, revocation_reason = ?3, status_changed = ?2 WHERE id = ?1 AND revoked IS NULL",
                params![id, now, reason],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Suspends or unsuspends an award.
    pub fn set_award_suspended(
        &self,
        id: i64,
        suspended: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE awards SET suspended = ?2, status_changed = ?3 WHERE id = ?1",
                params![id, suspended, now],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Takes status list position `idx` of `purpose` in the issuer's list for
    /// `award_id`; false when it is taken.
    pub fn take_status_index(
        &self,
        issuer_id: i64,
        purpose: &str,
        idx: u64,
        award_id: i64,
    ) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO status_entries (issuer_id, purpose, idx, award_id) VALUES (?1, ?2, ?3, ?4)",
                params![issuer_id, purpose, idx as i64, award_id],
            )
            .map_err(db)?;
        Ok(n > 0)
    }

    /// The status positions of an issuer's list: (award, index) pairs.
    pub fn status_indexes(
        &self,
        issuer_id: i64,
        purpose: &str,
    ) -> Result<Vec<(i64, u64)>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT award_id, idx FROM status_entries WHERE issuer_id = ?1 AND purpose = ?2 ORDER BY idx",
            )
            .and_then(|mut st| {
                st.query_map(params![issuer_id, purpose], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? as u64))
                })?
                .collect()
            })
            .map_err(db)
    }

    /// Sets an award's document (after its status positions are known).
    pub fn set_award_document(
        &self,
        id: i64,
        document: &str,
        jwt: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE awards SET document = ?2, jwt = ?3 WHERE id = ?1",
                params![id, document, jwt],
            )
            .map_err(db)?;
        Ok(())
    }
}
