//! The user's identities, and which badges were issued to them.

use super::{App, AppError, ErrorCode};
use crate::backpack;
use crate::store::Identity;
use serde::Serialize;

/// What adding or removing an identity changed.
#[derive(Clone, Debug, Serialize)]
pub struct IdentityChange {
    /// The identity added or removed, as stored (`None` when it was
    /// removed by a number or value that matched nothing).
    pub identity: Option<Identity>,
    /// Whether the list changed (false: it was there already, or was not there).
    pub changed: bool,
    /// Every identity now.
    pub identities: Vec<Identity>,
    /// How many badges are issued to one of the identities now.
    pub yours: usize,
}

impl App {
    /// The user's identities.
    pub fn identities(&self) -> Result<Vec<Identity>, AppError> {
        Ok(self.store().identities()?)
    }

    /// Adds an identity (email, web address, phone number, DID), then
    /// matches every badge's recipient again.
    pub fn add_identity(&self, value: &str) -> Result<IdentityChange, AppError> {
        let (identity, added) = self.store().add_identity(value, self.now())?;
        self.after_identities(Some(identity), added)
    }

    /// Removes an identity (by value, any case, or number), then matches
    /// every badge's recipient again. Not one of the identities: `NotFound`.
    pub fn remove_identity(&self, value_or_number: &str) -> Result<IdentityChange, AppError> {
        let identity = self.identities()?.into_iter().find(|i| {
            i.value.eq_ignore_ascii_case(value_or_number.trim())
                || i.id.to_string() == value_or_number.trim()
        });
        if !self.store().remove_identity(value_or_number)? {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("{value_or_number:?} is not one of your identities"),
            ));
        }
        self.after_identities(identity, true)
    }

    fn after_identities(
        &self,
        identity: Option<Identity>,
        changed: bool,
    ) -> Result<IdentityChange, AppError> {
        let yours = backpack::rematch_identities(self.shared_store())?;
        Ok(IdentityChange {
            identity,
            changed,
            identities: self.identities()?,
            yours,
        })
    }
}
