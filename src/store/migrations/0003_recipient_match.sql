-- Whether a badge is the user's, kept as data rather than a sentence
-- ("matched ada@example.org (as lowercased)"): the result, and for a match
-- which of the user's identities it was, its kind, whether the badge names
-- it hashed, and whether it matched only lower-cased. A match names all
-- four; no match and no recipient name none.
ALTER TABLE badges ADD COLUMN recipient_match TEXT NOT NULL DEFAULT 'no_match'
    CHECK (recipient_match IN ('matched', 'no_match', 'no_recipient'));
ALTER TABLE badges ADD COLUMN recipient_identity TEXT;
ALTER TABLE badges ADD COLUMN recipient_kind TEXT
    CHECK (recipient_kind IN ('email', 'url', 'telephone', 'did'));
ALTER TABLE badges ADD COLUMN recipient_hashed INTEGER
    CHECK (recipient_hashed IN (0, 1));
ALTER TABLE badges ADD COLUMN recipient_lowercased INTEGER
    CHECK (CASE recipient_match
        WHEN 'matched' THEN recipient_identity IS NOT NULL AND recipient_kind IS NOT NULL
            AND recipient_hashed IS NOT NULL AND recipient_lowercased IN (0, 1)
        ELSE recipient_identity IS NULL AND recipient_kind IS NULL
            AND recipient_hashed IS NULL AND recipient_lowercased IS NULL
    END);

-- Existing rows. A sentence names the identity and whether it matched
-- lower-cased. The identity's kind is its own (from `identities`, else told
-- by its form as `store::IdentityKind::classify` tells it); the badge names
-- it hashed unless one of the badge's plain-text recipients is the identity
-- itself.
WITH sentence AS (
    SELECT id, identity, lowercased,
           CASE WHEN json_valid(badge_json) THEN badge_json ELSE '{}' END AS badge
    FROM (
        SELECT id, badge_json,
               substr(recipient_matched, 9, length(recipient_matched) - 8 - length(' (as given)'))
                   AS identity,
               0 AS lowercased
        FROM badges WHERE recipient_matched LIKE 'matched _% (as given)'
        UNION ALL
        SELECT id, badge_json,
               substr(recipient_matched, 9, length(recipient_matched) - 8 - length(' (as lowercased)')),
               1
        FROM badges WHERE recipient_matched LIKE 'matched _% (as lowercased)'
    )
)
UPDATE badges SET
    recipient_match = 'matched',
    recipient_identity = s.identity,
    recipient_kind = coalesce(
        (SELECT i.kind FROM identities i WHERE i.value = s.identity),
        CASE
            WHEN lower(s.identity) LIKE 'did:_%:%' THEN 'did'
            WHEN lower(s.identity) LIKE 'http://%' OR lower(s.identity) LIKE 'https://%' THEN 'url'
            WHEN s.identity LIKE '+%' OR s.identity LIKE 'tel:+%' THEN 'telephone'
            ELSE 'email'
        END),
    recipient_hashed = NOT EXISTS (
        SELECT 1 FROM json_each(s.badge, '$.recipient') r
        WHERE NOT coalesce(json_extract(r.value, '$.hashed'), 0)
          AND lower(trim(json_extract(r.value, '$.value'))) = lower(trim(s.identity))),
    recipient_lowercased = s.lowercased
FROM sentence s
WHERE badges.id = s.id;

-- Without a sentence: no recipient when the stored badge names none.
UPDATE badges SET recipient_match = 'no_recipient'
WHERE recipient_match = 'no_match'
  AND (NOT json_valid(badge_json)
       OR coalesce(json_array_length(badge_json, '$.recipient'), 0) = 0);

ALTER TABLE badges DROP COLUMN recipient_matched;
