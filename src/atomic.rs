//! Files and folders written beside their destination and renamed into place
//! (backups, restores, `export-all`, share pages, baked images, settings), so
//! a failed or interrupted run never leaves a half-written file under the
//! real name, nor a stray copy beside it.
//!
//! A [`Partial`] is `.{name}.{pid}-{n}.partial` (a file or a folder) beside
//! the destination `name`, with a lock file `.{name}.{pid}-{n}.lock` that the
//! running program holds locked (the standard library's file lock, which the
//! system releases when a program dies) for as long as the copy exists.
//! [`Partial::persist`] flushes the copy to disk (the file, or every file and
//! folder of a folder), renames it into place and flushes the folder that
//! holds it, so after a crash or power loss the destination holds either the
//! old or the new content, whole. A folder already at the destination is
//! moved aside first, then removed; if the rename fails it is put back.
//! Dropping a `Partial` that was not persisted removes the copy and its lock
//! file, on every error path. A program killed outright cannot clean up; the
//! next run for the same destination calls [`clean_stale`], which removes
//! every copy of that destination whose lock file is no longer locked (or
//! gone), and leaves copies that a running program still holds.
//!
//! [`write_file`] is the whole round for bytes in memory. Nothing here knows
//! what it writes; the module uses nothing else of the crate.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A distinct number for each copy a process makes.
static NEXT: AtomicU64 = AtomicU64::new(0);

const PARTIAL: &str = ".partial";
const LOCK: &str = ".lock";
/// A previous folder moved aside while its replacement is renamed in.
const OLD: &str = ".old";
/// What SQLite may write beside a database copy while writing it.
const SIDE_FILES: [&str; 3] = ["-journal", "-wal", "-shm"];
/// How many files are flushed at once when a folder is persisted (the
/// waits overlap: the disk commits them together).
const SYNC_THREADS: usize = 8;

/// A temporary file or folder beside a destination; removed on drop unless
/// persisted.
#[derive(Debug)]
pub struct Partial {
    path: PathBuf,
    stem: PathBuf,
    lock_path: PathBuf,
    lock: Option<File>,
    persisted: bool,
}

/// `name` of `target`, or `satchel` when it has none.
fn base_name(target: &Path) -> String {
    target.file_name().map_or_else(
        || "satchel".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The folder holding `target` (`.` for a bare name).
fn parent_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens a new file owner-only (0600 on Unix), failing if it exists (so a
/// symbolic link planted under the name is never followed).
pub fn create_private(path: &Path) -> io::Result<File> {
    create_new(path, true)
}

fn create_new(path: &Path, private: bool) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create_new(true);
    #[cfg(unix)]
    if private {
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    opts.open(path)
}

impl Partial {
    fn begin(target: &Path) -> io::Result<Partial> {
        let stem = parent_of(target).join(format!(
            ".{}.{}-{}",
            base_name(target),
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let lock_path = with_suffix(&stem, LOCK);
        let lock = create_private(&lock_path)?;
        let mut partial = Partial {
            path: with_suffix(&stem, PARTIAL),
            stem,
            lock_path,
            lock: None,
            persisted: false,
        };
        lock.try_lock().map_err(io::Error::other)?;
        partial.lock = Some(lock);
        Ok(partial)
    }

    /// An empty temporary file beside `target`, with the usual permissions.
    pub fn file(target: &Path) -> io::Result<Partial> {
        let partial = Partial::begin(target)?;
        create_new(&partial.path, false)?;
        Ok(partial)
    }

    /// An empty temporary file beside `target`, owner-only (0600 on Unix).
    pub fn private_file(target: &Path) -> io::Result<Partial> {
        let partial = Partial::begin(target)?;
        create_private(&partial.path)?;
        Ok(partial)
    }

    /// An empty temporary folder beside `target`.
    pub fn dir(target: &Path) -> io::Result<Partial> {
        let partial = Partial::begin(target)?;
        std::fs::create_dir(&partial.path)?;
        Ok(partial)
    }

    /// The temporary file or folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the copy to disk and renames it to `target` (a file replaces
    /// a file; a folder replaces a folder, which is moved aside and then
    /// removed). On failure `target` is as it was and the copy is removed
    /// (when `self` is dropped with the error).
    pub fn persist(mut self, target: &Path) -> io::Result<()> {
        let is_dir = std::fs::symlink_metadata(&self.path)?.is_dir();
        if is_dir {
            sync_tree(&self.path)?;
        } else {
            File::open(&self.path)?.sync_all()?;
        }
        let aside = with_suffix(&self.stem, OLD);
        let replaced = is_dir && std::fs::symlink_metadata(target).is_ok_and(|m| m.is_dir());
        if replaced {
            std::fs::rename(target, &aside)?;
        }
        if let Err(e) = std::fs::rename(&self.path, target) {
            if replaced {
                let _ = std::fs::rename(&aside, target);
            }
            return Err(e);
        }
        self.persisted = true;
        sync_dir(parent_of(target))?;
        if replaced {
            // The new copy is in place; what is left of the old one is
            // removed now or by the next `clean_stale`.
            let _ = std::fs::remove_dir_all(&aside);
        }
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if !self.persisted {
            remove_any(&self.path);
        }
        // Unlock only once the copy is gone, so a cleaner never takes a
        // copy in use for a stale one.
        drop(self.lock.take());
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// Writes `bytes` to `target` through a [`Partial`]: the file under the real
/// name is the old one or the new one, never a mix.
pub fn write_file(target: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> io::Result<()> {
    let target = target.as_ref();
    clean_stale(target);
    let partial = Partial::file(target)?;
    File::options()
        .write(true)
        .open(partial.path())?
        .write_all(bytes.as_ref())?;
    partial.persist(target)
}

/// Flushes a folder's entry list to disk (Unix; elsewhere the rename is
/// flushed by the system).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Flushes the files `files` to disk, several at once (the waits overlap:
/// the disk commits them together).
pub fn sync_files(files: &[PathBuf]) -> io::Result<()> {
    let chunk = files.len().div_ceil(SYNC_THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .try_for_each(|f| File::open(f).and_then(|f| f.sync_all()))
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("a flushing thread stopped")))
        })
    })
}

/// Flushes every file and folder under `root` (links are not followed).
fn sync_tree(root: &Path) -> io::Result<()> {
    let (mut files, mut dirs, mut pending) = (Vec::new(), Vec::new(), vec![root.to_path_buf()]);
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                files.push(entry.path());
            }
        }
        dirs.push(dir);
    }
    sync_files(&files)?;
    dirs.iter().try_for_each(|d| sync_dir(d))
}

/// Removes the copy `path` (a file with any SQLite side files, or a folder).
/// Returns whether there was anything to remove.
fn remove_any(path: &Path) -> bool {
    let mut found = false;
    for side in SIDE_FILES {
        found |= std::fs::remove_file(with_suffix(path, side)).is_ok();
    }
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(path);
            true
        }
        Ok(_) => {
            let _ = std::fs::remove_file(path);
            true
        }
        Err(_) => found,
    }
}

/// Whether a running program holds the lock file at `path`.
fn held(path: &Path) -> bool {
    match File::options().read(true).write(true).open(path) {
        Ok(f) => f.try_lock().is_err(),
        Err(_) => false,
    }
}

/// Removes the copies of `target` left behind by programs that ended
/// without cleaning up (killed, crashed, power lost): every
/// `.{name}.{pid}-{n}.partial` (with any `-journal`, `-wal`, `-shm` SQLite
/// left beside it) and `.lock` whose lock file no running program holds,
/// and a previous folder left aside (`.old`) once `target` is in place.
/// Returns how many copies were removed. Best effort: what cannot be read or
/// removed is left alone.
pub fn clean_stale(target: &Path) -> usize {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy()) else {
        return 0;
    };
    let dir = parent_of(target);
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut stems = std::collections::BTreeSet::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let rest = SIDE_FILES
            .iter()
            .find_map(|side| rest.strip_suffix(side))
            .unwrap_or(rest);
        let Some(id) = [PARTIAL, LOCK, OLD]
            .iter()
            .find_map(|suffix| rest.strip_suffix(suffix))
        else {
            continue;
        };
        let ours = id.split_once('-').is_some_and(|(pid, n)| {
            !pid.is_empty()
                && !n.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        });
        if ours {
            stems.insert(dir.join(format!("{prefix}{id}")));
        }
    }
    let mut removed = 0;
    for stem in stems {
        let lock_path = with_suffix(&stem, LOCK);
        if held(&lock_path) {
            continue;
        }
        if remove_any(&with_suffix(&stem, PARTIAL)) {
            removed += 1;
        }
        // Without its replacement in place, a folder moved aside is the
        // only copy left: it stays.
        let old = with_suffix(&stem, OLD);
        if std::fs::symlink_metadata(target).is_ok() && remove_any(&old) {
            removed += 1;
        }
        let _ = std::fs::remove_file(&lock_path);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> usize {
        std::fs::read_dir(dir).unwrap().count()
    }

    #[test]
    fn a_dropped_copy_leaves_nothing_and_a_persisted_one_only_the_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("backup.satchel");
        let p = Partial::private_file(&target).unwrap();
        std::fs::write(p.path(), b"half").unwrap();
        assert_eq!(entries(dir.path()), 2, "the copy and its lock file");
        drop(p);
        assert_eq!(entries(dir.path()), 0);

        let p = Partial::dir(&target).unwrap();
        std::fs::create_dir(p.path().join("sub")).unwrap();
        std::fs::write(p.path().join("sub/a"), b"x").unwrap();
        p.persist(&target).unwrap();
        assert_eq!(entries(dir.path()), 1);
        assert_eq!(std::fs::read(target.join("sub/a")).unwrap(), b"x");
    }

    #[test]
    fn a_folder_replaces_a_folder_and_a_file_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.html"), b"old").unwrap();
        let p = Partial::dir(&target).unwrap();
        std::fs::write(p.path().join("new.html"), b"new").unwrap();
        p.persist(&target).unwrap();
        assert_eq!(entries(dir.path()), 1, "nothing left aside");
        assert_eq!(entries(&target), 1);
        assert_eq!(std::fs::read(target.join("new.html")).unwrap(), b"new");

        let file = dir.path().join("settings.json");
        write_file(&file, b"{\"a\":1}").unwrap();
        write_file(&file, "{}").unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"{}");
        assert_eq!(entries(dir.path()), 2);
    }

    #[test]
    fn a_failed_rename_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A file cannot replace a folder that holds something.
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), b"k").unwrap();
        let p = Partial::file(&target).unwrap();
        std::fs::write(p.path(), b"copy").unwrap();
        assert!(p.persist(&target).is_err());
        assert!(write_file(&target, b"copy").is_err());
        assert_eq!(entries(dir.path()), 1);
        assert_eq!(entries(&target), 1);
        assert_eq!(std::fs::read(target.join("keep")).unwrap(), b"k");
    }

    #[test]
    fn only_copies_no_running_program_holds_are_stale() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let at = |name: &str| dir.path().join(name);
        // Left by a killed program: a copy whose lock file nobody holds,
        // a folder copy without a lock file, and a folder left aside after
        // its replacement was renamed in.
        std::fs::write(at(".out.999999-0.partial"), b"x").unwrap();
        std::fs::write(at(".out.999999-0.partial-journal"), b"x").unwrap();
        std::fs::write(at(".out.999999-0.lock"), b"").unwrap();
        std::fs::create_dir(at(".out.999999-1.partial")).unwrap();
        std::fs::create_dir(at(".out.999999-2.old")).unwrap();
        // Not ours: other names are never touched.
        std::fs::write(at(".out.notes.partial"), b"x").unwrap();
        std::fs::write(at(".other.1-0.partial"), b"x").unwrap();
        let live = Partial::file(&target).unwrap();
        // Without the target, a folder left aside is the only copy: kept.
        assert_eq!(clean_stale(&target), 2);
        assert!(at(".out.999999-2.old").exists());
        std::fs::create_dir(&target).unwrap();
        assert_eq!(clean_stale(&target), 1);
        for gone in [
            ".out.999999-0.partial",
            ".out.999999-0.partial-journal",
            ".out.999999-0.lock",
            ".out.999999-1.partial",
            ".out.999999-2.old",
        ] {
            assert!(!at(gone).exists(), "{gone}");
        }
        assert!(at(".out.notes.partial").exists());
        assert!(at(".other.1-0.partial").exists());
        assert!(live.path().exists(), "a copy in use is kept");
        assert_eq!(entries(dir.path()), 5);
        drop(live);
    }
}
