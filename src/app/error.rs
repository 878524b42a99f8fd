//! The one error type of the application layer, and its stable codes.

use crate::backpack::ShareError;
use crate::export::ExportError;
use crate::inspect::InspectError;
use crate::store::StoreError;
use serde::Serialize;

/// What kind of failure an [`AppError`] is: the desktop app sends it as the
/// `code` of `{code, message}`, the CLI maps it to an exit code
/// ([`ErrorCode::is_rejection`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// An image without a badge baked into it.
    NotBaked,
    /// Any other input that is not a readable badge.
    NotABadge,
    /// No such badge or collection.
    NotFound,
    /// The name is taken.
    Exists,
    /// A value Satchel refuses (too long, empty, a backup it did not write …).
    Invalid,
    /// The request cannot be taken as it is (nothing to import, a backup
    /// onto Satchel's own database …).
    BadRequest,
    /// Another task runs, or another Satchel program held the database past
    /// the busy timeout.
    Busy,
    /// A file or folder could not be read or written.
    Io,
    /// The database failed.
    Store,
    /// The user stopped it.
    Cancelled,
    /// The backpack could not be opened at start.
    Unavailable,
    /// The database was written by a newer Satchel.
    NewerVersion,
    /// The system names no data folder for this user.
    NoDataDir,
    /// A bug: something that should not happen did.
    Internal,
}

impl ErrorCode {
    /// The code as the desktop app sends it (`not_found`, `busy`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotBaked => "not_baked",
            ErrorCode::NotABadge => "not_a_badge",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Exists => "exists",
            ErrorCode::Invalid => "invalid",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Busy => "busy",
            ErrorCode::Io => "io",
            ErrorCode::Store => "store",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::NewerVersion => "newer_version",
            ErrorCode::NoDataDir => "no_data_dir",
            ErrorCode::Internal => "internal",
        }
    }

    /// Whether the input or request was refused (the CLI's exit code 1),
    /// rather than Satchel failing to do its work (exit code 2).
    pub fn is_rejection(self) -> bool {
        matches!(
            self,
            ErrorCode::NotBaked
                | ErrorCode::NotABadge
                | ErrorCode::NotFound
                | ErrorCode::Exists
                | ErrorCode::Invalid
                | ErrorCode::Cancelled
        )
    }
}

/// A failure of one use case: a [`code`](AppError::code) to branch on and
/// one sentence for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppError {
    code: ErrorCode,
    message: String,
}

impl AppError {
    /// An error of kind `code` saying `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> AppError {
        AppError {
            code,
            message: message.into(),
        }
    }

    /// Its kind.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The sentence (without the final full stop the shells add).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let code = match &e {
            StoreError::NoSuchBadge(_) | StoreError::NoSuchCollection(_) => ErrorCode::NotFound,
            StoreError::CollectionExists(_) => ErrorCode::Exists,
            StoreError::Invalid(_) => ErrorCode::Invalid,
            StoreError::SchemaTooNew { .. } => ErrorCode::NewerVersion,
            StoreError::Busy => ErrorCode::Busy,
            StoreError::NoDataDir => ErrorCode::NoDataDir,
            StoreError::File { .. } | StoreError::DataDir { .. } => ErrorCode::Io,
            StoreError::Open { .. } | StoreError::Database(_) => ErrorCode::Store,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<ExportError> for AppError {
    fn from(e: ExportError) -> AppError {
        let code = match &e {
            ExportError::Io { .. } => ErrorCode::Io,
            _ => ErrorCode::Invalid,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<ShareError> for AppError {
    fn from(e: ShareError) -> AppError {
        match e {
            ShareError::Store(e) => e.into(),
            ShareError::Export(e) => e.into(),
            other @ ShareError::Badge { .. } => {
                AppError::new(ErrorCode::Invalid, other.to_string())
            }
        }
    }
}

impl From<InspectError> for AppError {
    fn from(e: InspectError) -> AppError {
        let code = match &e {
            InspectError::NotBaked(..) => ErrorCode::NotBaked,
            _ if e.is_rejection() => ErrorCode::NotABadge,
            _ => ErrorCode::Io,
        };
        AppError::new(code, e.to_string())
    }
}
