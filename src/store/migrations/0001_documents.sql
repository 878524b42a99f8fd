-- Every document Satchel fetched or the user pinned, so badges stay
-- verifiable offline. One row per URL (the cache key: the URL without its
-- fragment). `source` says where the bytes came from ('network': fetched by
-- Satchel; 'pinned': a file the user supplied); `pinned` = 1 means the network
-- never replaces the row.
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
