-- Issuer mode: the issuer's own profiles, badge classes and awards. Private
-- keys never live here (they are owner-only files in the data folder); only
-- their public halves and dates. Recipient identities are the issuer's
-- records: published only hashed unless the award asks for plain text, and
-- display names never.
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
CREATE INDEX badge_classes_issuer ON badge_classes (issuer_id);

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
CREATE INDEX awards_class ON awards (class_id);

-- Status list positions: random, never reused within an issuer's list.
CREATE TABLE status_entries (
    issuer_id INTEGER NOT NULL REFERENCES issuers (id),
    purpose   TEXT    NOT NULL CHECK (purpose IN ('revocation', 'suspension')),
    idx       INTEGER NOT NULL CHECK (idx >= 0),
    award_id  INTEGER NOT NULL REFERENCES awards (id),
    PRIMARY KEY (issuer_id, purpose, idx),
    UNIQUE (award_id, purpose)
) STRICT, WITHOUT ROWID;
