//! Whether a badge is the user's, as the store keeps it: the result of
//! matching the badge's recipient against the user's identities, and for a
//! match which identity it was and how it was told. The caller (the
//! `backpack` module) does the matching; the store keeps the answer in the
//! `badges.recipient_*` columns (migration 0003, whose CHECK refuses a
//! match without its identity or a non-match with one).

use super::IdentityKind;
use rusqlite::types::Value as SqlValue;
use rusqlite::Row;
use serde::{Deserialize, Serialize};

/// Whether a badge's recipient is one of the user's identities. In JSON:
/// `{"result": "matched", "identity": …, "kind": …, "hashed": …,
/// "lowercased": …}`, `{"result": "no_match"}` or `{"result": "no_recipient"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum RecipientMatch {
    /// The recipient is one of the user's identities.
    Matched(MatchedIdentity),
    /// The badge names a recipient, and none of the user's identities is it
    /// (or the user has added none).
    NoMatch,
    /// The badge, as stored, names no recipient.
    NoRecipient,
}

/// Which of the user's identities a badge's recipient is, and how that was told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedIdentity {
    /// The user's identity, as the user added it.
    pub identity: String,
    /// What kind of identity it is.
    pub kind: IdentityKind,
    /// Whether the badge names it hashed (`sha256$…`), rather than in plain text.
    pub hashed: bool,
    /// Whether it matched only once lower-cased.
    pub lowercased: bool,
}

impl MatchedIdentity {
    /// How it matched, in words: "email hash", "plain email", "URL", "phone
    /// number hash", … with ", lower-cased" when only the lower-cased form matched.
    pub fn how(&self) -> String {
        let kind = match self.kind {
            IdentityKind::Email => "email",
            IdentityKind::Url => "URL",
            IdentityKind::Telephone => "phone number",
            IdentityKind::Did => "DID",
        };
        let how = match (self.hashed, self.kind) {
            (true, _) => format!("{kind} hash"),
            (false, IdentityKind::Email) => "plain email".to_owned(),
            (false, _) => kind.to_owned(),
        };
        if self.lowercased {
            format!("{how}, lower-cased")
        } else {
            how
        }
    }
}

impl RecipientMatch {
    /// The identity that matched, if one did.
    pub fn matched(&self) -> Option<&MatchedIdentity> {
        match self {
            RecipientMatch::Matched(m) => Some(m),
            _ => None,
        }
    }

    /// The word in `recipient_match`.
    fn word(&self) -> &'static str {
        match self {
            RecipientMatch::Matched(_) => "matched",
            RecipientMatch::NoMatch => "no_match",
            RecipientMatch::NoRecipient => "no_recipient",
        }
    }

    /// The values of the five columns, in the order of [`COLUMNS`].
    pub(crate) fn to_sql(&self) -> [SqlValue; 5] {
        let m = self.matched();
        let flag = |f: fn(&MatchedIdentity) -> bool| {
            m.map_or(SqlValue::Null, |m| SqlValue::Integer(i64::from(f(m))))
        };
        [
            SqlValue::Text(self.word().to_owned()),
            m.map_or(SqlValue::Null, |m| SqlValue::Text(m.identity.clone())),
            m.map_or(SqlValue::Null, |m| {
                SqlValue::Text(m.kind.as_str().to_owned())
            }),
            flag(|m| m.hashed),
            flag(|m| m.lowercased),
        ]
    }

    /// Reads the five columns of [`COLUMNS`] starting at column `at`.
    pub(crate) fn from_row(row: &Row<'_>, at: usize) -> rusqlite::Result<RecipientMatch> {
        let word: String = row.get(at)?;
        Ok(match word.as_str() {
            "matched" => RecipientMatch::Matched(MatchedIdentity {
                identity: row.get(at + 1)?,
                kind: IdentityKind::parse(&row.get::<_, String>(at + 2)?),
                hashed: row.get(at + 3)?,
                lowercased: row.get(at + 4)?,
            }),
            "no_recipient" => RecipientMatch::NoRecipient,
            _ => RecipientMatch::NoMatch,
        })
    }
}

/// The columns of `badges` that hold a [`RecipientMatch`], in order.
pub(crate) const COLUMNS: &str =
    "recipient_match, recipient_identity, recipient_kind, recipient_hashed, recipient_lowercased";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_serializes_as_fields_and_says_how_it_matched() {
        let m = RecipientMatch::Matched(MatchedIdentity {
            identity: "ada@example.org".to_owned(),
            kind: IdentityKind::Email,
            hashed: true,
            lowercased: true,
        });
        assert_eq!(
            serde_json::to_value(&m).unwrap(),
            serde_json::json!({"result": "matched", "identity": "ada@example.org",
                "kind": "email", "hashed": true, "lowercased": true})
        );
        assert_eq!(m.matched().unwrap().how(), "email hash, lower-cased");
        assert_eq!(
            serde_json::to_value(RecipientMatch::NoRecipient).unwrap(),
            serde_json::json!({"result": "no_recipient"})
        );
        let url = MatchedIdentity {
            identity: "https://ada.example".to_owned(),
            kind: IdentityKind::Url,
            hashed: false,
            lowercased: false,
        };
        assert_eq!(url.how(), "URL");
    }
}
