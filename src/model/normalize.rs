//! Any version -> BadgeView (placeholder).
use super::BadgeView;
use crate::detect::Detected;
use serde_json::Value;

/// Normalizes a document into the view people see; `None` for documents that
/// do not describe a badge (keys, revocation lists ...).
pub fn normalize(_doc: &Value, _detected: &Detected) -> Option<BadgeView> {
    None
}
