//! Recipient identities (placeholder).
use serde::Serialize;

/// A recipient identity named by a badge.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RecipientIdentity {}

/// The result of checking an identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum IdentityCheck {}
