//! Collections: named, described, ordered sets of badges. A badge may be in
//! several; positions within a collection are 0, 1, 2 ... without gaps.

use super::{db, Store, StoreError};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// A collection with how many badges it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CollectionSummary {
    /// Its number.
    pub id: i64,
    /// Its name (unique, case-insensitive).
    pub name: String,
    /// Its description.
    pub description: String,
    /// How many badges it holds.
    pub count: u64,
    /// When it was created.
    pub created_at: i64,
    /// When it last changed.
    pub updated_at: i64,
}

fn check_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::Invalid("a collection needs a name".to_owned()));
    }
    if name.chars().count() > 200 {
        return Err(StoreError::Invalid(
            "a collection name may be at most 200 characters long".to_owned(),
        ));
    }
    Ok(name)
}

fn check_description(text: &str) -> Result<&str, StoreError> {
    if text.len() > 100_000 {
        return Err(StoreError::Invalid(
            "a collection description may be at most 100,000 bytes long".to_owned(),
        ));
    }
    Ok(text.trim())
}

impl Store {
    /// Creates a collection; its name must not be taken (case-insensitive).
    pub fn create_collection(
        &self,
        name: &str,
        description: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let name = check_name(name)?;
        let description = check_description(description)?;
        self.savepoint(|s| {
            if s.collection_id(name)?.is_some() {
                return Err(StoreError::CollectionExists(name.to_owned()));
            }
            s.conn
                .execute(
                    "INSERT INTO collections (name, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                    params![name, description, now],
                )
                .map_err(db)?;
            Ok(s.conn.last_insert_rowid())
        })
    }

    /// The id of the collection named `name` (case-insensitive).
    pub fn collection_id(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM collections WHERE name = ?1")
            .and_then(|mut st| st.query_row([name.trim()], |r| r.get(0)).optional())
            .map_err(db)
    }

    /// Finds a collection by name (case-insensitive) or, failing that, by its number.
    pub fn find_collection(&self, name_or_id: &str) -> Result<CollectionSummary, StoreError> {
        if let Some(id) = self.collection_id(name_or_id)? {
            if let Some(c) = self.collection(id)? {
                return Ok(c);
            }
        }
        if let Ok(id) = name_or_id.trim().parse::<i64>() {
            if let Some(c) = self.collection(id)? {
                return Ok(c);
            }
        }
        Err(StoreError::NoSuchCollection(name_or_id.to_owned()))
    }

    /// One collection.
    pub fn collection(&self, id: i64) -> Result<Option<CollectionSummary>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT c.id, c.name, c.description,
                        (SELECT count(*) FROM collection_badges cb WHERE cb.collection_id = c.id),
                        c.created_at, c.updated_at
                 FROM collections c WHERE c.id = ?1",
            )
            .and_then(|mut st| st.query_row([id], collection_from).optional())
            .map_err(db)
    }

    /// Every collection, by name.
    pub fn collections(&self) -> Result<Vec<CollectionSummary>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT c.id, c.name, c.description,
                        (SELECT count(*) FROM collection_badges cb WHERE cb.collection_id = c.id),
                        c.created_at, c.updated_at
                 FROM collections c ORDER BY c.name COLLATE NOCASE",
            )
            .and_then(|mut st| {
                st.query_map([], collection_from)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(db)
    }

    fn require_collection(&self, id: i64) -> Result<(), StoreError> {
        match self.collection(id)? {
            Some(_) => Ok(()),
            None => Err(StoreError::NoSuchCollection(id.to_string())),
        }
    }

    fn touch(&self, id: i64, now: i64) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE collections SET updated_at = ?2 WHERE id = ?1",
                params![id, now],
            )
            .map_err(db)?;
        Ok(())
    }

    /// Renames collection `id`; the new name must not be taken by another.
    pub fn rename_collection(&self, id: i64, name: &str, now: i64) -> Result<(), StoreError> {
        let name = check_name(name)?;
        self.savepoint(|s| {
            s.require_collection(id)?;
            if s.collection_id(name)?.is_some_and(|other| other != id) {
                return Err(StoreError::CollectionExists(name.to_owned()));
            }
            s.conn
                .execute(
                    "UPDATE collections SET name = ?2 WHERE id = ?1",
                    params![id, name],
                )
                .map_err(db)?;
            s.touch(id, now)
        })
    }

    /// Replaces the description of collection `id`.
    pub fn describe_collection(&self, id: i64, text: &str, now: i64) -> Result<(), StoreError> {
        let text = check_description(text)?;
        self.savepoint(|s| {
            s.require_collection(id)?;
            s.conn
                .execute(
                    "UPDATE collections SET description = ?2 WHERE id = ?1",
                    params![id, text],
                )
                .map_err(db)?;
            s.touch(id, now)
        })
    }

    /// Deletes collection `id` (its badges stay in the backpack). Returns
    /// false when there is no such collection.
    pub fn delete_collection(&self, id: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM collections WHERE id = ?1", [id])
            .map_err(db)?;
        Ok(n > 0)
    }

    /// The badge ids of collection `id`, in order.
    pub fn collection_badge_ids(&self, id: i64) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT badge_id FROM collection_badges WHERE collection_id = ?1 ORDER BY position",
            )
            .and_then(|mut st| {
                st.query_map([id], |r| r.get(0))?
                    .collect::<Result<Vec<i64>, _>>()
            })
            .map_err(db)
    }

    /// Adds badges to collection `id` at the end (or before `position`);
    /// badges already in it stay where they are. Returns how many were added.
    pub fn add_to_collection(
        &self,
        id: i64,
        badges: &[i64],
        position: Option<usize>,
        now: i64,
    ) -> Result<usize, StoreError> {
        self.savepoint(|s| {
            s.require_collection(id)?;
            let mut order = s.collection_badge_ids(id)?;
            let mut at = position.unwrap_or(order.len()).min(order.len());
            let mut added = 0;
            for &badge in badges {
                s.require_badge(badge)?;
                if order.contains(&badge) {
                    continue;
                }
                order.insert(at, badge);
                at += 1;
                added += 1;
            }
            s.write_order(id, &order)?;
            s.touch(id, now)?;
            Ok(added)
        })
    }

    /// Removes badges from collection `id`. Returns how many were in it.
    pub fn remove_from_collection(
        &self,
        id: i64,
        badges: &[i64],
        now: i64,
    ) -> Result<usize, StoreError> {
        self.savepoint(|s| {
            s.require_collection(id)?;
            let before = s.collection_badge_ids(id)?;
            let order: Vec<i64> = before
                .iter()
                .copied()
                .filter(|b| !badges.contains(b))
                .collect();
            s.write_order(id, &order)?;
            s.touch(id, now)?;
            Ok(before.len() - order.len())
        })
    }

    /// Moves `badge` to `position` (0 = first; past the end = last) within collection `id`.
    pub fn move_in_collection(
        &self,
        id: i64,
        badge: i64,
        position: usize,
        now: i64,
    ) -> Result<(), StoreError> {
        self.savepoint(|s| {
            s.require_collection(id)?;
            let mut order = s.collection_badge_ids(id)?;
            let Some(from) = order.iter().position(|&b| b == badge) else {
                return Err(StoreError::Invalid(format!(
                    "badge {badge} is not in this collection"
                )));
            };
            order.remove(from);
            order.insert(position.min(order.len()), badge);
            s.write_order(id, &order)?;
            s.touch(id, now)
        })
    }

    /// Replaces the whole order of collection `id` (the same badges, reordered).
    pub fn reorder_collection(&self, id: i64, order: &[i64], now: i64) -> Result<(), StoreError> {
        self.savepoint(|s| {
            s.require_collection(id)?;
            let mut current = s.collection_badge_ids(id)?;
            let mut wanted = order.to_vec();
            current.sort_unstable();
            wanted.sort_unstable();
            if current != wanted {
                return Err(StoreError::Invalid(
                    "a new order must hold exactly the collection's badges".to_owned(),
                ));
            }
            s.write_order(id, order)?;
            s.touch(id, now)
        })
    }

    fn write_order(&self, id: i64, order: &[i64]) -> Result<(), StoreError> {
        self.conn
            .execute(
                "DELETE FROM collection_badges WHERE collection_id = ?1",
                [id],
            )
            .map_err(db)?;
        let mut st = self
            .conn
            .prepare_cached(
                "INSERT INTO collection_badges (collection_id, badge_id, position) VALUES (?1, ?2, ?3)",
            )
            .map_err(db)?;
        for (i, b) in order.iter().enumerate() {
            st.execute(params![id, b, i as i64]).map_err(db)?;
        }
        Ok(())
    }

    /// Closes the gaps a deleted badge left in collection `id`.
    pub(crate) fn renumber(&self, id: i64) -> Result<(), StoreError> {
        let order = self.collection_badge_ids(id)?;
        self.write_order(id, &order)
    }
}

fn collection_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<CollectionSummary> {
    Ok(CollectionSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        count: r.get::<_, i64>(3)? as u64,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}
