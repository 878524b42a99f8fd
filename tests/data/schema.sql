-- The schema after all migrations (tests/it/store.rs; UPDATE_EXPECT=1 to regenerate).
CREATE INDEX awards_class ON awards (class_id);
CREATE INDEX badge_classes_issuer ON badge_classes (issuer_id);
CREATE INDEX badges_assertion ON badges (assertion_id);
CREATE INDEX badges_expires ON badges (expires);
CREATE INDEX badges_issued ON badges (issued_on);
CREATE INDEX badges_issuer ON badges (issuer_name COLLATE NOCASE);
CREATE INDEX badges_issuer_id ON badges (issuer_id COLLATE NOCASE);
CREATE INDEX badges_name ON badges (name COLLATE NOCASE);
CREATE INDEX badges_status ON badges (status);
CREATE INDEX collection_badges_badge ON collection_badges (badge_id);
CREATE INDEX tags_tag ON tags (tag);
CREATE INDEX verifications_badge ON verifications (badge_id, id);
CREATE TABLE awards (
    id                 INTEGER PRIMARY KEY,
    class_id           INTEGER NOT NULL REFERENCES badge_classes (id),
    uid                TEXT    NOT NULL UNIQUE,
    recipient          TEXT    NOT NULL,
    recipient_kind     TEXT    NOT NULL
        CHECK (recipient_kind IN ('email', 'url', 'telephone', 'did')),
    hashed             INTEGER NOT NULL CHECK (hashed IN (0, 1)),
    salt               TEXT,
    recipient_name     TEXT,
    issued_on          INTEGER NOT NULL,
    expires            INTEGER,
    narrative          TEXT,
    evidence_url       TEXT,
    evidence_narrative TEXT,
    document           TEXT    NOT NULL,
    jwt                TEXT,
    revoked            INTEGER,
    revocation_reason  TEXT,
    suspended          INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    status_changed     INTEGER,
    created            INTEGER NOT NULL
) STRICT;
CREATE TABLE badge_classes (
    id               INTEGER PRIMARY KEY,
    issuer_id        INTEGER NOT NULL REFERENCES issuers (id),
    name             TEXT    NOT NULL,
    description      TEXT    NOT NULL,
    image            BLOB    NOT NULL,
    image_type       TEXT    NOT NULL,
    criteria         TEXT    NOT NULL DEFAULT '',
    criteria_url     TEXT,
    tags             TEXT    NOT NULL DEFAULT '[]',
    alignments       TEXT    NOT NULL DEFAULT '[]',
    achievement_type TEXT,
    valid_for        TEXT,
    format           TEXT    NOT NULL CHECK (format IN ('ob2-hosted', 'ob2-signed', 'ob3')),
    vc_jwt           INTEGER NOT NULL DEFAULT 0 CHECK (vc_jwt IN (0, 1)),
    suspendable      INTEGER NOT NULL DEFAULT 0 CHECK (suspendable IN (0, 1)),
    created          INTEGER NOT NULL,
    updated          INTEGER NOT NULL
) STRICT;
CREATE TABLE badge_documents (
    badge_id INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    url      TEXT    NOT NULL,
    PRIMARY KEY (badge_id, url)
) STRICT, WITHOUT ROWID;
CREATE TABLE badge_files (
    badge_id   INTEGER NOT NULL PRIMARY KEY REFERENCES badges (id) ON DELETE CASCADE,
    media_type TEXT    NOT NULL,
    bytes      BLOB    NOT NULL
) STRICT;
CREATE VIRTUAL TABLE badge_search USING fts5 (
    name, description, issuer, criteria, tags, note,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TABLE 'badge_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'badge_search_content'(id INTEGER PRIMARY KEY, c0, c1, c2, c3, c4, c5);
CREATE TABLE 'badge_search_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'badge_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'badge_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE "badges" (
    id            INTEGER PRIMARY KEY,
    name          TEXT,
    issuer_name   TEXT,
    issuer_id     TEXT,
    -- The latest verdict: verified, expired, revoked, suspended, invalid, unverifiable.
    status        TEXT    NOT NULL CHECK (status IN ('verified', 'expired', 'revoked', 'suspended', 'invalid', 'unverifiable')),
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
    -- The assertion or credential id: stored once per id unless the user
    -- kept a second, different file with the same id.
    assertion_id  TEXT,
    -- SHA-256 of the original bytes: a file is stored once.
    sha256        TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    -- Where it came from: the file path, archive member or URL.
    source        TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    -- The badge text exactly as embedded or given (JSON, JWS or URL).
    payload       TEXT    NOT NULL,
    -- The normalized badge (satchel::model::BadgeView as JSON).
    badge_json    TEXT    NOT NULL,
    -- Whether the recipient is the user's (see 0003_recipient_match.sql).
    recipient_match TEXT NOT NULL DEFAULT 'no_match'
        CHECK (recipient_match IN ('matched', 'no_match', 'no_recipient')),
    recipient_identity TEXT,
    recipient_kind TEXT
        CHECK (recipient_kind IN ('email', 'url', 'telephone', 'did')),
    recipient_hashed INTEGER
        CHECK (recipient_hashed IN (0, 1)),
    recipient_lowercased INTEGER
        CHECK (CASE recipient_match
            WHEN 'matched' THEN recipient_identity IS NOT NULL AND recipient_kind IS NOT NULL
                AND recipient_hashed IS NOT NULL AND recipient_lowercased IN (0, 1)
            ELSE recipient_identity IS NULL AND recipient_kind IS NULL
                AND recipient_hashed IS NULL AND recipient_lowercased IS NULL
        END)
) STRICT;
CREATE TABLE collection_badges (
    collection_id INTEGER NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    badge_id      INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (collection_id, badge_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE collections (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE documents (
    url          TEXT    NOT NULL PRIMARY KEY,
    final_url    TEXT    NOT NULL,
    status       INTEGER NOT NULL CHECK (status BETWEEN 100 AND 999),
    content_type TEXT,
    body         BLOB    NOT NULL,
    sha256       TEXT    NOT NULL CHECK (length(sha256) = 64),
    fetched_at   INTEGER NOT NULL,
    source       TEXT    NOT NULL CHECK (source IN ('network', 'pinned')),
    pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1))
) STRICT;
CREATE TABLE identities (
    id       INTEGER PRIMARY KEY,
    kind     TEXT    NOT NULL CHECK (kind IN ('email', 'url', 'telephone', 'did')),
    value    TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    added_at INTEGER NOT NULL
) STRICT;
CREATE TABLE issuer_keys (
    id         INTEGER PRIMARY KEY,
    issuer_id  INTEGER NOT NULL REFERENCES issuers (id) ON DELETE CASCADE,
    algorithm  TEXT    NOT NULL CHECK (algorithm IN ('ed25519', 'rsa')),
    name       TEXT    NOT NULL,
    public_key TEXT    NOT NULL,
    created    INTEGER NOT NULL,
    retired    INTEGER,
    UNIQUE (issuer_id, name)
) STRICT;
CREATE TABLE issuers (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    email        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    image        BLOB,
    image_type   TEXT,
    base_url     TEXT    NOT NULL,
    ob3_identity TEXT    NOT NULL CHECK (ob3_identity IN ('did', 'url')),
    created      INTEGER NOT NULL,
    updated      INTEGER NOT NULL
) STRICT;
CREATE TABLE status_entries (
    issuer_id INTEGER NOT NULL REFERENCES issuers (id),
    purpose   TEXT    NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    idx       INTEGER NOT NULL CHECK (idx >= 0),
    award_id  INTEGER NOT NULL REFERENCES awards (id),
    PRIMARY KEY (issuer_id, purpose, idx),
    UNIQUE (award_id, purpose)
) STRICT, WITHOUT ROWID;
CREATE TABLE tags (
    badge_id INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL COLLATE NOCASE CHECK (length(tag) BETWEEN 1 AND 200),
    PRIMARY KEY (badge_id, tag)
) STRICT, WITHOUT ROWID;
CREATE TABLE "verifications" (
    id         INTEGER PRIMARY KEY,
    badge_id   INTEGER NOT NULL REFERENCES badges (id) ON DELETE CASCADE,
    checked_at INTEGER NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('verified', 'expired', 'revoked', 'suspended', 'invalid', 'unverifiable')),
    offline    INTEGER NOT NULL CHECK (offline IN (0, 1)),
    report     TEXT    NOT NULL,
    documents  TEXT    NOT NULL DEFAULT '{}',
    -- Set when the user replaced the badge's file (see 0004_keep_both.sql).
    replaced_source TEXT
) STRICT;
