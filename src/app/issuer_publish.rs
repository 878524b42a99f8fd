//! Publishing from the shells: what a publish would change (nothing
//! written), the folder remembered per issuer, and whether awards,
//! revocations or other changes wait to be published. The memory is
//! `publish.json` in the data folder (issuer number → folder, time and the
//! store's fingerprint of what the folder was built from).

use super::{App, AppError, ErrorCode};
use crate::issuer::PublishReport;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file in the data folder that remembers each issuer's publish folder.
pub const PUBLISH_FILE: &str = "publish.json";

/// One issuer's last publish, as remembered.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Remembered {
    folder: Option<String>,
    published: Option<i64>,
    fingerprint: Option<String>,
}

/// Where an issuer publishes and whether the folder is up to date.
#[derive(Clone, Debug, Serialize)]
pub struct PublishState {
    /// The issuer's number.
    pub issuer: i64,
    /// Where its folder will be hosted.
    pub base_url: String,
    /// The folder chosen for publishing (remembered), if any.
    pub folder: Option<String>,
    /// When it was last published from this app.
    pub published: Option<i64>,
    /// Whether anything changed since then (or, never published, whether
    /// there is anything to publish): awards, revocations, suspensions,
    /// classes, keys or the profile.
    pub pending: bool,
    /// How many awards the issuer has made.
    pub awards: u64,
}

impl App {
    fn publish_memory(&self) -> BTreeMap<String, Remembered> {
        std::fs::read(self.data_dir().join(PUBLISH_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    fn remember(&self, issuer: i64, change: impl FnOnce(&mut Remembered)) -> Result<(), AppError> {
        let mut all = self.publish_memory();
        change(all.entry(issuer.to_string()).or_default());
        let target = self.data_dir().join(PUBLISH_FILE);
        let io = |e: std::io::Error| {
            AppError::new(
                ErrorCode::Io,
                format!(
                    "{} could not be written ({e}); check the data folder's free space and permissions",
                    target.display()
                ),
            )
        };
        let bytes = serde_json::to_vec_pretty(&all)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let p = crate::atomic::Partial::private_file(&target).map_err(io)?;
        std::fs::write(p.path(), bytes).map_err(io)?;
        p.persist(&target).map_err(io)
    }

    /// Where issuer `issuer` publishes and whether something waits to be
    /// published.
    pub fn publish_state(&self, issuer: i64) -> Result<PublishState, AppError> {
        let store = self.store();
        let i = App::issuer_record(&store, issuer)?;
        let fingerprint = store.publish_fingerprint(issuer)?;
        let awards = store.issuer_award_count(issuer)?;
        drop(store);
        let r = self
            .publish_memory()
            .remove(&issuer.to_string())
            .unwrap_or_default();
        let pending = match &r.fingerprint {
            Some(f) => *f != fingerprint,
            None => awards > 0,
        };
        Ok(PublishState {
            issuer,
            base_url: i.base_url,
            folder: r.folder,
            published: r.published,
            pending,
            awards,
        })
    }

    /// Remembers `folder` as where issuer `issuer` publishes.
    pub fn set_publish_folder(&self, issuer: i64, folder: &Path) -> Result<PublishState, AppError> {
        App::issuer_record(&self.store(), issuer)?;
        let folder = folder.display().to_string();
        self.remember(issuer, |r| {
            if r.folder.as_deref() != Some(&folder) {
                r.folder = Some(folder);
            }
        })?;
        self.publish_state(issuer)
    }

    /// Records that issuer `issuer` was just published to `out` (called by
    /// [`App::publish`] once the folder is written).
    pub(super) fn record_publish(&self, issuer: i64, out: &Path) -> Result<(), AppError> {
        let fingerprint = self.store().publish_fingerprint(issuer)?;
        let now = self.now();
        let folder = out.display().to_string();
        self.remember(issuer, |r| {
            r.folder = Some(folder);
            r.published = Some(now);
            r.fingerprint = Some(fingerprint);
        })
    }

    /// What publishing issuer `issuer` to `out` would add, change and
    /// remove; nothing is written or checked (the publish itself checks
    /// every award first).
    pub fn publish_preview(&self, issuer: i64, out: &Path) -> Result<PublishReport, AppError> {
        let store = self.store();
        let i = App::issuer_record(&store, issuer)?;
        let (folder, _) = self.build_folder(&store, &i, None)?;
        drop(store);
        Ok(folder.preview(out)?)
    }

    /// The remembered publish folder of `issuer`, if any.
    pub fn publish_folder(&self, issuer: i64) -> Option<PathBuf> {
        self.publish_memory()
            .remove(&issuer.to_string())
            .and_then(|r| r.folder)
            .map(PathBuf::from)
    }
}
