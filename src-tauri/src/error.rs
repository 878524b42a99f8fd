//! The one error type the window sees.

use satchel::export::ExportError;
use satchel::inspect::InspectError;
use satchel::store::StoreError;
use serde::Serialize;

/// An error as the UI receives it: a stable `code` to branch on and a
/// `message` that is one sentence.
///
/// Codes: `not_baked` (an image without a badge), `not_a_badge` (any other
/// input that is not a readable badge), `io` (a file could not be read or
/// written), `bad_request` (the UI sent something the command cannot take),
/// `not_found` (no such badge or collection), `exists` (the name is taken),
/// `invalid` (a value the store refuses), `busy` (another long task runs, or
/// another Satchel program held the database past the busy timeout),
/// `store` (the database failed), `cancelled` (the user closed a dialog),
/// `unavailable` (the backpack could not be opened at start; see `crate::run_from`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// Stable, machine-readable kind.
    pub code: String,
    /// One sentence for people.
    pub message: String,
}

impl CommandError {
    pub(crate) fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl From<InspectError> for CommandError {
    fn from(e: InspectError) -> Self {
        let code = match &e {
            InspectError::NotBaked(..) => "not_baked",
            _ if e.is_rejection() => "not_a_badge",
            _ => "io",
        };
        CommandError::new(code, e.to_string())
    }
}

impl From<StoreError> for CommandError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::NoSuchBadge(_) | StoreError::NoSuchCollection(_) => "not_found",
            StoreError::CollectionExists(_) => "exists",
            StoreError::Invalid(_) => "invalid",
            StoreError::Busy => "busy",
            StoreError::File { .. } | StoreError::DataDir { .. } => "io",
            _ => "store",
        };
        CommandError::new(code, e.to_string())
    }
}

impl From<ExportError> for CommandError {
    fn from(e: ExportError) -> Self {
        let code = match &e {
            ExportError::Io { .. } | ExportError::NotEmpty(_) | ExportError::NotADirectory(_) => {
                "io"
            }
            _ => "invalid",
        };
        CommandError::new(code, e.to_string())
    }
}

impl From<satchel::backpack::ShareError> for CommandError {
    fn from(e: satchel::backpack::ShareError) -> Self {
        use satchel::backpack::ShareError;
        match e {
            ShareError::Store(e) => e.into(),
            ShareError::Export(e) => e.into(),
            other @ ShareError::Badge { .. } => CommandError::new("invalid", other.to_string()),
        }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CommandError {}
