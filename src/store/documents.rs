//! The `documents` table: every document Satchel fetched or the user pinned.
//!
//! Rows are keyed by URL exactly as given; callers decide the key (the
//! fetch cache uses the URL without its fragment). A network copy never
//! replaces a pinned row.

use super::{db, Store, StoreError};
use rusqlite::{params, OptionalExtension, Row};
use sha2::{Digest, Sha256};

/// A document to keep, borrowed from whoever has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocumentRecord<'a> {
    /// The key: the URL the document answers for.
    pub url: &'a str,
    /// The URL that finally answered, after redirects.
    pub final_url: &'a str,
    /// The HTTP status (200 for a pinned file).
    pub status: u16,
    /// The `Content-Type`, if known.
    pub content_type: Option<&'a str>,
    /// The bytes.
    pub body: &'a [u8],
    /// When it was fetched or pinned, seconds since the Unix epoch (UTC).
    pub fetched_at: i64,
}

/// Where a stored document's bytes came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentSource {
    /// Fetched from the network by Satchel.
    Network,
    /// A file the user pinned (`satchel cache add` / `import-dir`).
    Pinned,
}

impl DocumentSource {
    /// The word stored in the database and shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentSource::Network => "network",
            DocumentSource::Pinned => "pinned",
        }
    }

    fn parse(s: &str) -> DocumentSource {
        if s == "pinned" {
            DocumentSource::Pinned
        } else {
            DocumentSource::Network
        }
    }
}

impl std::fmt::Display for DocumentSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored document, body included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredDocument {
    /// The key it is stored under.
    pub url: String,
    /// The URL that finally answered, after redirects.
    pub final_url: String,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if known.
    pub content_type: Option<String>,
    /// The bytes.
    pub body: Vec<u8>,
    /// SHA-256 of the body, lowercase hex.
    pub sha256: String,
    /// When it was fetched or pinned, seconds since the Unix epoch (UTC).
    pub fetched_at: i64,
    /// Where the bytes came from.
    pub source: DocumentSource,
    /// Whether the network may replace it (`false`) or not (`true`).
    pub pinned: bool,
}

impl StoredDocument {
    /// How old the copy is at `now` (seconds since the Unix epoch), never negative.
    pub fn age_seconds(&self, now: i64) -> i64 {
        now.saturating_sub(self.fetched_at).max(0)
    }
}

/// A stored document without its body, for listings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DocumentSummary {
    /// The key it is stored under.
    pub url: String,
    /// The URL that finally answered, after redirects.
    pub final_url: String,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type`, if known.
    pub content_type: Option<String>,
    /// The body's size in bytes.
    pub size: u64,
    /// SHA-256 of the body, lowercase hex.
    pub sha256: String,
    /// When it was fetched or pinned, seconds since the Unix epoch (UTC).
    pub fetched_at: i64,
    /// Where the bytes came from.
    pub source: DocumentSource,
    /// Whether the network may replace it (`false`) or not (`true`).
    pub pinned: bool,
}

impl DocumentSummary {
    /// How old the copy is at `now` (seconds since the Unix epoch), never negative.
    pub fn age_seconds(&self, now: i64) -> i64 {
        now.saturating_sub(self.fetched_at).max(0)
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

impl Store {
    /// Keeps `doc`, replacing any earlier copy of the same URL, except that
    /// an unpinned copy never replaces a pinned one. `pinned` marks a file
    /// the user supplied (source `pinned`). Returns whether the row was written.
    pub fn put_document(&self, doc: &DocumentRecord<'_>, pinned: bool) -> Result<bool, StoreError> {
        let source = if pinned {
            DocumentSource::Pinned
        } else {
            DocumentSource::Network
        };
        let changed = self
            .conn
            .execute(
                "INSERT INTO documents
                     (url, final_url, status, content_type, body, sha256, fetched_at, source, pinned)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (url) DO UPDATE SET
                     final_url = excluded.final_url,
                     status = excluded.status,
                     content_type = excluded.content_type,
                     body = excluded.body,
                     sha256 = excluded.sha256,
                     fetched_at = excluded.fetched_at,
                     source = excluded.source,
                     pinned = excluded.pinned
                 WHERE documents.pinned = 0 OR excluded.pinned = 1",
                params![
                    doc.url,
                    doc.final_url,
                    doc.status,
                    doc.content_type,
                    doc.body,
                    sha256_hex(doc.body),
                    doc.fetched_at,
                    source.as_str(),
                    pinned,
                ],
            )
            .map_err(db)?;
        Ok(changed > 0)
    }

    /// The stored copy of `url`, if any.
    pub fn get_document(&self, url: &str) -> Result<Option<StoredDocument>, StoreError> {
        self.conn
            .query_row(
                "SELECT url, final_url, status, content_type, body, sha256, fetched_at, source, pinned
                 FROM documents WHERE url = ?1",
                [url],
                |r: &Row<'_>| {
                    Ok(StoredDocument {
                        url: r.get(0)?,
                        final_url: r.get(1)?,
                        status: r.get(2)?,
                        content_type: r.get(3)?,
                        body: r.get(4)?,
                        sha256: r.get(5)?,
                        fetched_at: r.get(6)?,
                        source: DocumentSource::parse(&r.get::<_, String>(7)?),
                        pinned: r.get(8)?,
                    })
                },
            )
            .optional()
            .map_err(db)
    }

    /// Every stored document, without bodies, ordered by URL.
    pub fn list_documents(&self) -> Result<Vec<DocumentSummary>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT url, final_url, status, content_type, length(body), sha256, fetched_at, source, pinned
                 FROM documents ORDER BY url",
            )
            .map_err(db)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DocumentSummary {
                    url: r.get(0)?,
                    final_url: r.get(1)?,
                    status: r.get(2)?,
                    content_type: r.get(3)?,
                    size: u64::try_from(r.get::<_, i64>(4)?).unwrap_or(0),
                    sha256: r.get(5)?,
                    fetched_at: r.get(6)?,
                    source: DocumentSource::parse(&r.get::<_, String>(7)?),
                    pinned: r.get(8)?,
                })
            })
            .map_err(db)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(db)
    }

    /// Forgets the stored copy of `url`. Returns whether there was one.
    pub fn remove_document(&self, url: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM documents WHERE url = ?1", [url])
            .map(|n| n > 0)
            .map_err(db)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record<'a>(url: &'a str, body: &'a [u8], at: i64) -> DocumentRecord<'a> {
        DocumentRecord {
            url,
            final_url: url,
            status: 200,
            content_type: Some("application/ld+json"),
            body,
            fetched_at: at,
        }
    }

    #[test]
    fn put_get_list_remove() {
        let store = Store::open_in_memory().unwrap();
        let url = "https://a.example/doc";
        assert!(store
            .put_document(&record(url, b"abc", 100), false)
            .unwrap());
        let got = store.get_document(url).unwrap().unwrap();
        assert_eq!(got.body, b"abc");
        assert_eq!(
            got.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(got.source, DocumentSource::Network);
        assert!(!got.pinned);
        assert_eq!(got.age_seconds(160), 60);
        assert_eq!(got.age_seconds(10), 0);
        let list = store.list_documents().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].size, 3);
        assert!(store.remove_document(url).unwrap());
        assert!(!store.remove_document(url).unwrap());
        assert!(store.get_document(url).unwrap().is_none());
    }

    #[test]
    fn a_network_copy_never_replaces_a_pinned_one() {
        let store = Store::open_in_memory().unwrap();
        let url = "https://a.example/key";
        assert!(store.put_document(&record(url, b"mine", 1), true).unwrap());
        assert!(!store
            .put_document(&record(url, b"theirs", 2), false)
            .unwrap());
        let got = store.get_document(url).unwrap().unwrap();
        assert_eq!((got.body.as_slice(), got.pinned), (&b"mine"[..], true));
        assert_eq!(got.source, DocumentSource::Pinned);
        // Pinning again replaces the pin.
        assert!(store.put_document(&record(url, b"mine2", 3), true).unwrap());
        assert_eq!(store.get_document(url).unwrap().unwrap().body, b"mine2");
    }
}
