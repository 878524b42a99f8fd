//! The kept documents: what verification fetched, and files pinned as the
//! documents for URLs.

use super::{App, AppError, ErrorCode};
use crate::fetch::{cache_key, import_dir, pin_file, CacheError};
use crate::store::DocumentSummary;
use std::path::Path;

impl From<CacheError> for AppError {
    fn from(e: CacheError) -> AppError {
        let code = match &e {
            CacheError::Read { .. } => ErrorCode::Io,
            CacheError::Store(inner) => return AppError::from(inner.clone()),
            _ => ErrorCode::Invalid,
        };
        AppError::new(code, e.to_string())
    }
}

impl App {
    /// Pins `file` as the document for `url`: from then on it answers for
    /// that URL, online or offline.
    pub fn pin_document(&self, url: &str, file: &Path) -> Result<DocumentSummary, AppError> {
        Ok(pin_file(&self.store(), url, file)?)
    }

    /// Pins every file under `dir` as the document for `base` plus its
    /// path; all or none. Returns how many.
    pub fn pin_folder(&self, dir: &Path, base: &str) -> Result<usize, AppError> {
        Ok(import_dir(&self.store(), dir, base)?)
    }

    /// Every kept document, fetched or pinned.
    pub fn documents(&self) -> Result<Vec<DocumentSummary>, AppError> {
        Ok(self.store().list_documents()?)
    }

    /// Forgets the kept document for `url`; returns the URL as kept.
    pub fn forget_document(&self, url: &str) -> Result<String, AppError> {
        let key = cache_key(url).unwrap_or_else(|_| url.to_owned());
        if self.store().remove_document(&key)? {
            Ok(key)
        } else {
            Err(AppError::new(
                ErrorCode::NotFound,
                format!("{url} is not in Satchel's document cache"),
            ))
        }
    }
}
