-- A new verdict, `suspended`: the issuer suspended an OB 3.0 credential
-- (a status list with the purpose `suspension`), which is temporary, unlike
-- a revocation. SQLite cannot change a CHECK constraint, so the two tables
-- with a `status` column are rebuilt (foreign keys off, checked before
-- commit; see `Store::migrate`). Row ids are kept: every table that names a
-- badge, and the full-text index, stays right.
CREATE TABLE badges_new (
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
INSERT INTO badges_new (id, name, issuer_name, issuer_id, status, checked_at, issued_on,
    expires, imported_at, container, version, format, assertion_id, sha256, source, note,
    payload, badge_json, recipient_match, recipient_identity, recipient_kind,
    recipient_hashed, recipient_lowercased)
SELECT id, name, issuer_name, issuer_id, status, checked_at, issued_on,
    expires, imported_at, container, version, format, assertion_id, sha256, source, note,
    payload, badge_json, recipient_match, recipient_identity, recipient_kind,
    recipient_hashed, recipient_lowercased
FROM badges;
DROP TABLE badges;
ALTER TABLE badges_new RENAME TO badges;
CREATE INDEX badges_status ON badges (status);
CREATE INDEX badges_issuer ON badges (issuer_name COLLATE NOCASE);
CREATE INDEX badges_issuer_id ON badges (issuer_id COLLATE NOCASE);
CREATE INDEX badges_name ON badges (name COLLATE NOCASE);
CREATE INDEX badges_issued ON badges (issued_on);
CREATE INDEX badges_expires ON badges (expires);
CREATE INDEX badges_assertion ON badges (assertion_id);

CREATE TABLE verifications_new (
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
INSERT INTO verifications_new (id, badge_id, checked_at, status, offline, report, documents,
    replaced_source)
SELECT id, badge_id, checked_at, status, offline, report, documents, replaced_source
FROM verifications;
DROP TABLE verifications;
ALTER TABLE verifications_new RENAME TO verifications;
CREATE INDEX verifications_badge ON verifications (badge_id, id);
