-- The backpack: badges, their verification history, tags, notes,
-- identities and collections, and a full-text index.

-- One row per badge. The columns a list or a search needs come first; the
-- large texts (payload, normalized badge) last, and the original bytes live
-- in `badge_files`, so listing 100,000 badges never reads them.
CREATE TABLE badges (
    id            INTEGER PRIMARY KEY,
    name          TEXT,
    issuer_name   TEXT,
    issuer_id     TEXT,
    -- The latest verdict: verified, expired, revoked, invalid, unverifiable.
    status        TEXT    NOT NULL CHECK (status IN ('verified', 'expired', 'revoked', 'invalid', 'unverifiable')),
    checked_at    INTEGER NOT NULL,
    issued_on     INTEGER,
    expires       INTEGER,
    imported_at   INTEGER NOT NULL,
    -- png, svg, json, jws, url: what the user gave Satchel.
    container     TEXT    NOT NULL,
    -- "0.5" .. "3.0", "CLR 2.0"; NULL when it could not be told.
    version       TEXT,
    -- hosted, signed, vc-jwt, data-integrity, unknown.
    format        TEXT    NOT NULL,
    -- The assertion or credential id: a badge is stored once per id.
    assertion_id  TEXT    UNIQUE,
    -- SHA-256 of the original bytes: a file is stored once.
    sha256        TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    -- Where it came from: the file path, archive member or URL.
    source        TEXT    NOT NULL,
    -- The identity the recipient matched at the last check, if any.
    recipient_matched TEXT,
    note          TEXT    NOT NULL DEFAULT '',
    -- The badge text exactly as embedded or given (JSON, JWS or URL).
    payload       TEXT    NOT NULL,
    -- The normalized badge (satchel::model::BadgeView as JSON).
    badge_json    TEXT    NOT NULL
) STRICT;
CREATE INDEX badges_status ON badges (status);
CREATE INDEX badges_issuer ON badges (issuer_name COLLATE NOCASE);
CREATE INDEX badges_issuer_id ON badges (issuer_id COLLATE NOCASE);
CREATE INDEX badges_name ON badges (name COLLATE NOCASE);
CREATE INDEX badges_issued ON badges (issued_on);
CREATE INDEX badges_expires ON badges (expires);

-- The original bytes, exactly as imported.
CREATE TABLE badge_files (
    badge_id   INTEGER NOT NULL PRIMARY KEY REFERENCES badges (id) ON DELETE CASCADE,
    media_type TEXT    NOT NULL,
    bytes      BLOB    NOT NULL
) STRICT;

-- Every verification, newest last. `documents` is a JSON object
-- {url: sha256} of the documents the check used, so a later check can tell
-- when the issuer changed one.
CREATE TABLE verifications (
    id         INTEGER PRIMARY KEY,
    badge_id   INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    checked_at INTEGER NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('verified', 'expired', 'revoked', 'invalid', 'unverifiable')),
    offline    INTEGER NOT NULL CHECK (offline IN (0, 1)),
    report     TEXT    NOT NULL,
    documents  TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX verifications_badge ON verifications (badge_id, id);

-- Which kept documents (see `documents`) a badge's checks used. No foreign
-- key: a document may be forgotten from the cache, the link stays.
CREATE TABLE badge_documents (
    badge_id INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    url      TEXT    NOT NULL,
    PRIMARY KEY (badge_id, url)
) STRICT, WITHOUT ROWID;

CREATE TABLE tags (
    badge_id INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 200),
    PRIMARY KEY (badge_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag);

-- The recipient's identities; every badge is matched against all of them.
CREATE TABLE identities (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('email', 'url', 'telephone', 'did')),
    value    TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    added_at INTEGER NOT NULL
) STRICT;

CREATE TABLE collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Ordered membership: `position` 0, 1, 2 ... within a collection.
CREATE TABLE collection_badges (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    badge_id      INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, badge_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX collection_badges_badge ON collection_badges (badge_id);

-- Full text over what people search for; rowid = badges.id. Kept by the
-- store's code in the same transaction as the badge, its tags and note.
CREATE VIRTUAL TABLE badge_search USING fts5 (
    name, description, issuer, criteria, tags, note,
    tokenize = 'unicode61 remove_diacritics 2'
);
