//! The one error type the window sees.

use satchel::app::{AppError, ErrorCode};
use serde::Serialize;

/// An error as the UI receives it: a stable `code` to branch on and a
/// `message` that is one sentence. The codes are the core's
/// [`ErrorCode`]s (`not_found`, `busy`, `io`, `unavailable`, …; see its
/// docs); every core error reaches the window through [`From<AppError>`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    /// Stable, machine-readable kind.
    pub code: ErrorCode,
    /// One sentence for people.
    pub message: String,
}

impl CommandError {
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CommandError {
            code,
            message: message.into(),
        }
    }
}

impl From<AppError> for CommandError {
    fn from(e: AppError) -> Self {
        CommandError::new(e.code(), e.message())
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code.as_str())
    }
}

impl std::error::Error for CommandError {}
