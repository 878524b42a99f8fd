//! Issuer keys leaving and entering the data folder: a key export is one
//! JSON document of the key files, sealed with a passphrase (`issuer::sealed`,
//! an age file any age tool opens). Importing matches each key to the issuer
//! here whose public key it is, writes it 0600 into the 0700 key folder, and
//! never replaces a different key under the same name.

use super::{App, AppError, ErrorCode};
use crate::issuer::{sealed, ExportedKey};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a key export holds.
const FORMAT: &str = "satchel-issuer-keys";

/// The largest key export read.
const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// The keys of a key export, opened.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyBundle {
    format: String,
    version: u32,
    keys: Vec<ExportedKey>,
}

/// One key exported or imported.
#[derive(Clone, Debug, Serialize)]
pub struct KeyMoved {
    /// The issuer's number here.
    pub issuer: i64,
    /// The key's name.
    pub name: String,
    /// `ed25519` or `rsa`.
    pub algorithm: String,
    /// `exported`, `imported`, `already here` or (imported, but no issuer
    /// here lists it yet) `imported, not used by any issuer here`.
    pub outcome: &'static str,
}

/// Where `backup --include-keys` puts the issuer keys: `BACKUP.keys.age`
/// beside the backup file.
pub fn keys_beside(backup: &Path) -> std::path::PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".keys.age");
    name.into()
}

fn key_error(file: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::new(ErrorCode::Invalid, format!("{}: {e}", file.display()))
}

impl App {
    /// Writes the private keys of `issuer` (every issuer's with `None`),
    /// retired ones too, to the new file `out`, sealed with `passphrase`
    /// (0600; an existing file is never replaced).
    pub fn export_keys(
        &self,
        issuer: Option<i64>,
        out: &Path,
        passphrase: &str,
    ) -> Result<Vec<KeyMoved>, AppError> {
        if std::fs::symlink_metadata(out).is_ok() {
            return Err(AppError::new(
                ErrorCode::Exists,
                format!(
                    "{} already exists; Satchel never overwrites a key export, so choose a new file name",
                    out.display()
                ),
            ));
        }
        let records = {
            let store = self.store();
            let issuers = match issuer {
                Some(id) => vec![App::issuer_record(&store, id)?],
                None => store.issuers()?,
            };
            let mut records = Vec::new();
            for i in issuers {
                records.extend(store.issuer_keys(i.id)?);
            }
            records
        };
        let folder = crate::issuer::KeyFolder::new(self.data_dir());
        let keys = records
            .iter()
            .map(|k| folder.export(k))
            .collect::<Result<Vec<_>, _>>()?;
        let bundle = KeyBundle {
            format: FORMAT.to_owned(),
            version: 1,
            keys,
        };
        let plain = serde_json::to_vec(&bundle)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let sealed = sealed::seal(&plain, passphrase).map_err(|e| key_error(out, e))?;
        let io = |e: std::io::Error| {
            AppError::new(
                ErrorCode::Io,
                format!("{} could not be written ({e})", out.display()),
            )
        };
        let partial = crate::atomic::Partial::private_file(out).map_err(io)?;
        std::fs::write(partial.path(), sealed).map_err(io)?;
        partial.persist(out).map_err(io)?;
        Ok(bundle
            .keys
            .iter()
            .map(|k| KeyMoved {
                issuer: k.issuer,
                name: k.name.clone(),
                algorithm: k.algorithm.clone(),
                outcome: "exported",
            })
            .collect())
    }

    /// Opens a key export with its passphrase (nothing is written).
    pub fn open_keys(&self, file: &Path, passphrase: &str) -> Result<KeyBundle, AppError> {
        let read = || -> std::io::Result<Vec<u8>> {
            let f = std::fs::File::open(file)?;
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(
                &mut std::io::Read::take(f, MAX_EXPORT_BYTES + 1),
                &mut bytes,
            )?;
            Ok(bytes)
        };
        let bytes = read().map_err(|e| {
            AppError::new(
                ErrorCode::Io,
                format!("{} cannot be read ({e})", file.display()),
            )
        })?;
        if bytes.len() as u64 > MAX_EXPORT_BYTES {
            return Err(key_error(file, "it is far larger than any key export"));
        }
        let plain = sealed::open(&bytes, passphrase).map_err(|e| key_error(file, e))?;
        serde_json::from_slice::<KeyBundle>(&plain)
            .ok()
            .filter(|b| b.format == FORMAT && b.version == 1)
            .ok_or_else(|| key_error(file, "it opens, but it is not a Satchel key export"))
    }

    /// Puts the keys of an opened export into the key folder: each under
    /// the issuer here whose key it is (else under its exported issuer
    /// number). Every key is checked before any is written; a different key
    /// under the same name refuses the whole import, naming the file.
    pub fn import_keys(&self, bundle: &KeyBundle) -> Result<Vec<KeyMoved>, AppError> {
        let records = {
            let store = self.store();
            let mut records = Vec::new();
            for i in store.issuers()? {
                records.extend(store.issuer_keys(i.id)?);
            }
            records
        };
        let folder = crate::issuer::KeyFolder::new(self.data_dir());
        let mut plan = Vec::new();
        for k in &bundle.keys {
            let here = records
                .iter()
                .find(|r| r.algorithm == k.algorithm && r.public_key == k.public_key);
            let (issuer, name) = here.map_or((k.issuer, k.name.as_str()), |r| {
                (r.issuer_id, r.name.as_str())
            });
            let present = folder.check_import(issuer, name, k)?;
            let outcome = match (present, here.is_some()) {
                (true, _) => "already here",
                (false, true) => "imported",
                (false, false) => "imported, not used by any issuer here",
            };
            plan.push((k, issuer, name.to_owned(), outcome));
        }
        let mut done = Vec::new();
        for (k, issuer, name, outcome) in plan {
            if outcome != "already here" {
                folder.import(issuer, &name, k)?;
            }
            done.push(KeyMoved {
                issuer,
                name,
                algorithm: k.algorithm.clone(),
                outcome,
            });
        }
        Ok(done)
    }
}
