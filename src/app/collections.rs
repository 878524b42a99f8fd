//! Collections: named, ordered sets of badges.

use super::{App, AppError};
use crate::store::{BadgeQuery, BadgeSummary, CollectionSummary, StoreError};

impl App {
    /// Every collection, by name.
    pub fn collections(&self) -> Result<Vec<CollectionSummary>, AppError> {
        Ok(self.store().collections()?)
    }

    /// The collection named `name_or_number` (its name, any case, or its number).
    pub fn find_collection(&self, name_or_number: &str) -> Result<CollectionSummary, AppError> {
        Ok(self.store().find_collection(name_or_number)?)
    }

    /// Collection `id`.
    pub fn collection(&self, id: i64) -> Result<CollectionSummary, AppError> {
        Ok(self
            .store()
            .collection(id)?
            .ok_or_else(|| StoreError::NoSuchCollection(id.to_string()))?)
    }

    /// The badge numbers of collection `id`, in its order.
    pub fn collection_badge_ids(&self, id: i64) -> Result<Vec<i64>, AppError> {
        Ok(self.store().collection_badge_ids(id)?)
    }

    /// The badges of collection `id`, in its order.
    pub fn collection_badges(&self, id: i64) -> Result<Vec<BadgeSummary>, AppError> {
        Ok(self.store().list_badges(&BadgeQuery {
            collection: Some(id),
            ..BadgeQuery::default()
        })?)
    }

    /// Creates a collection; returns it.
    pub fn create_collection(
        &self,
        name: &str,
        description: &str,
    ) -> Result<CollectionSummary, AppError> {
        let id = self
            .store()
            .create_collection(name, description, self.now())?;
        self.collection(id)
    }

    /// Renames collection `id`; returns it.
    pub fn rename_collection(&self, id: i64, name: &str) -> Result<CollectionSummary, AppError> {
        self.store().rename_collection(id, name, self.now())?;
        self.collection(id)
    }

    /// Replaces the description of collection `id`; returns it.
    pub fn describe_collection(
        &self,
        id: i64,
        description: &str,
    ) -> Result<CollectionSummary, AppError> {
        self.store()
            .describe_collection(id, description, self.now())?;
        self.collection(id)
    }

    /// Deletes collection `id` (its badges stay in the backpack).
    pub fn delete_collection(&self, id: i64) -> Result<(), AppError> {
        if self.store().delete_collection(id)? {
            Ok(())
        } else {
            Err(StoreError::NoSuchCollection(id.to_string()).into())
        }
    }

    /// Adds badges at the end of collection `id` (or before `position`,
    /// 0 = first); returns how many were added (badges already in it stay
    /// where they are).
    pub fn add_to_collection(
        &self,
        id: i64,
        badges: &[i64],
        position: Option<usize>,
    ) -> Result<usize, AppError> {
        Ok(self
            .store()
            .add_to_collection(id, badges, position, self.now())?)
    }

    /// Removes badges from collection `id`; returns how many were in it.
    pub fn remove_from_collection(&self, id: i64, badges: &[i64]) -> Result<usize, AppError> {
        Ok(self
            .store()
            .remove_from_collection(id, badges, self.now())?)
    }

    /// Moves one badge of collection `id` to `position` (0 = first).
    pub fn move_in_collection(&self, id: i64, badge: i64, position: usize) -> Result<(), AppError> {
        Ok(self
            .store()
            .move_in_collection(id, badge, position, self.now())?)
    }
}
