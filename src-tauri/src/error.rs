//! The one error type the window sees.

use satchel::inspect::InspectError;
use serde::Serialize;

/// An error as the UI receives it: a stable `code` to branch on and a
/// `message` that reads well after a file name and a colon.
///
/// Codes: `not_baked` (an image without a badge), `not_a_badge` (any other
/// input that is not a readable badge), `io` (the file could not be read),
/// `bad_request` (the UI sent something the command cannot take).
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

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for CommandError {}
