//! The recipient's identities: emails, URLs, phone numbers and DIDs that
//! badges are matched against. Values are unique regardless of case.

use super::{db, Store, StoreError};
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// What kind of identity a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityKind {
    /// An email address.
    Email,
    /// A web address.
    Url,
    /// A phone number.
    Telephone,
    /// A decentralized identifier (`did:...`).
    Did,
}

impl IdentityKind {
    /// The word stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Email => "email",
            IdentityKind::Url => "url",
            IdentityKind::Telephone => "telephone",
            IdentityKind::Did => "did",
        }
    }

    pub(crate) fn parse(s: &str) -> IdentityKind {
        match s {
            "url" => IdentityKind::Url,
            "telephone" => IdentityKind::Telephone,
            "did" => IdentityKind::Did,
            _ => IdentityKind::Email,
        }
    }

    /// Tells what `value` is, or says in one phrase why it is none of them.
    pub fn classify(value: &str) -> Result<IdentityKind, String> {
        let v = value.trim();
        let lower = v.to_ascii_lowercase();
        if v.is_empty() {
            return Err("an identity cannot be empty".to_owned());
        }
        if v.len() > 2048 {
            return Err("an identity may be at most 2,048 characters long".to_owned());
        }
        if lower.starts_with("did:") && v.len() > 5 && v[4..].contains(':') {
            return Ok(IdentityKind::Did);
        }
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Ok(IdentityKind::Url);
        }
        let digits = v.strip_prefix("tel:").unwrap_or(v);
        if digits.starts_with('+')
            && digits.len() > 4
            && digits[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || " -().".contains(c))
        {
            return Ok(IdentityKind::Telephone);
        }
        let email = v.strip_prefix("mailto:").unwrap_or(v);
        if let Some((local, domain)) = email.rsplit_once('@') {
            if !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
            {
                return Ok(IdentityKind::Email);
            }
        }
        Err(format!(
            "{v:?} is not an email address, a web address (https://...), a phone number in international form (+...) or a DID (did:...)"
        ))
    }
}

/// One of the user's identities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// Its number.
    pub id: i64,
    /// What it is.
    pub kind: IdentityKind,
    /// The value as the user wrote it.
    pub value: String,
    /// When it was added.
    pub added_at: i64,
}

impl Store {
    /// Adds an identity; returns it and whether it was new (a case variant
    /// of an existing one is not added twice).
    pub fn add_identity(&self, value: &str, now: i64) -> Result<(Identity, bool), StoreError> {
        let kind = IdentityKind::classify(value).map_err(StoreError::Invalid)?;
        let value = value.trim();
        let value = value
            .strip_prefix("mailto:")
            .or_else(|| value.strip_prefix("tel:"))
            .unwrap_or(value);
        let n = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO identities (kind, value, added_at) VALUES (?1, ?2, ?3)",
                params![kind.as_str(), value, now],
            )
            .map_err(db)?;
        let found = self
            .identities()?
            .into_iter()
            .find(|i| i.value.eq_ignore_ascii_case(value))
            .ok_or_else(|| StoreError::Database("the identity was not kept".to_owned()))?;
        Ok((found, n > 0))
    }

    /// Every identity, in the order added.
    pub fn identities(&self) -> Result<Vec<Identity>, StoreError> {
        self.conn
            .prepare_cached("SELECT id, kind, value, added_at FROM identities ORDER BY id")
            .and_then(|mut st| {
                st.query_map([], |r| {
                    Ok(Identity {
                        id: r.get(0)?,
                        kind: IdentityKind::parse(&r.get::<_, String>(1)?),
                        value: r.get(2)?,
                        added_at: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(db)
    }

    /// The identity values, for matching recipients.
    pub fn identity_values(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.identities()?.into_iter().map(|i| i.value).collect())
    }

    /// Removes an identity by value (case-insensitive) or number. Returns false when none matched.
    pub fn remove_identity(&self, value_or_id: &str) -> Result<bool, StoreError> {
        let v = value_or_id.trim();
        let mut n = self
            .conn
            .execute("DELETE FROM identities WHERE value = ?1", [v])
            .map_err(db)?;
        if n == 0 {
            if let Ok(id) = v.parse::<i64>() {
                n = self
                    .conn
                    .execute("DELETE FROM identities WHERE id = ?1", [id])
                    .map_err(db)?;
            }
        }
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::IdentityKind as K;

    #[test]
    fn identities_are_classified_by_shape() {
        assert_eq!(K::classify("Ada@Example.org"), Ok(K::Email));
        assert_eq!(K::classify("mailto:ada@example.org"), Ok(K::Email));
        assert_eq!(K::classify("https://ada.example/"), Ok(K::Url));
        assert_eq!(K::classify("+44 20 7946 0958"), Ok(K::Telephone));
        assert_eq!(K::classify("did:key:z6Mk"), Ok(K::Did));
        assert!(K::classify("ada").is_err());
        assert!(K::classify("").is_err());
        assert!(K::classify("a@b").is_err());
    }
}
