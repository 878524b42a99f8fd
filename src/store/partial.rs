//! Temporary copies written beside their destination and renamed into place
//! (backups, restores, `export-all`), so a failed or interrupted run never
//! leaves a half-written file under the real name, nor a stray copy of the
//! backpack beside it.
//!
//! A [`Partial`] is `.{name}.{pid}-{n}.partial` (a file or a folder) beside
//! the destination `name`, with a lock file `.{name}.{pid}-{n}.lock` that the
//! running program holds locked for as long as the copy exists. The lock
//! file is an (empty) SQLite database held in a write transaction: SQLite's
//! file locking is already here, works on every platform Satchel runs on,
//! and is released by the system when a program dies. Dropping a `Partial` that was not [`Partial::persist`]ed removes
//! the copy and its lock file, on every error path. A program killed
//! outright cannot clean up; the next run for the same destination calls
//! [`clean_stale`], which removes every copy of that destination whose lock
//! file is no longer locked (or gone), and leaves copies that a running
//! program still holds. Files are created owner-only (0600) on Unix.

use rusqlite::{Connection, OpenFlags};
use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// A distinct number for each copy a process makes.
static NEXT: AtomicU64 = AtomicU64::new(0);

const PARTIAL: &str = ".partial";
const LOCK: &str = ".lock";
/// What SQLite may write beside a database copy while writing it.
const SIDE_FILES: [&str; 3] = ["-journal", "-wal", "-shm"];

/// A temporary file or folder beside a destination; removed on drop unless
/// persisted.
#[derive(Debug)]
pub(crate) struct Partial {
    path: PathBuf,
    lock_path: PathBuf,
    lock: Option<Connection>,
    persisted: bool,
}

/// `name` of `target`, or `fallback` when it has none.
fn base_name(target: &Path, fallback: &str) -> String {
    target
        .file_name()
        .map_or_else(|| fallback.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Opens a new file owner-only (0600 on Unix), failing if it exists (so a
/// symbolic link planted under the name is never followed).
pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
}

impl Partial {
    fn begin(target: &Path, fallback: &str) -> io::Result<Partial> {
        let name = base_name(target, fallback);
        let stem = format!(
            ".{name}.{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = target.with_file_name(format!("{stem}{PARTIAL}"));
        let lock_path = target.with_file_name(format!("{stem}{LOCK}"));
        create_private(&lock_path)?;
        let mut partial = Partial {
            path,
            lock_path,
            lock: None,
            persisted: false,
        };
        partial.lock = Some(take_lock(&partial.lock_path).map_err(io::Error::other)?);
        Ok(partial)
    }

    /// An empty temporary file beside `target` (0600 on Unix).
    pub(crate) fn file(target: &Path) -> io::Result<Partial> {
        let partial = Partial::begin(target, "satchel-backup")?;
        create_private(&partial.path)?;
        Ok(partial)
    }

    /// An empty temporary folder beside `target`.
    pub(crate) fn dir(target: &Path) -> io::Result<Partial> {
        let partial = Partial::begin(target, "satchel-export")?;
        std::fs::create_dir(&partial.path)?;
        Ok(partial)
    }

    /// The temporary file or folder.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the copy to `target`. On failure the copy is removed (when
    /// the returned error is dropped with `self`).
    pub(crate) fn persist(mut self, target: &Path) -> io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.persisted = true;
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

/// Locks the lock file `path` (an SQLite database, possibly empty) by
/// beginning a write transaction on it; fails at once when another
/// connection, in this program or another, holds it.
fn take_lock(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::ZERO)?;
    // Nothing is ever written: no journal file beside the lock.
    conn.execute_batch("PRAGMA journal_mode = OFF; BEGIN IMMEDIATE")?;
    Ok(conn)
}

/// Removes the copy `path` (a file with any SQLite side files, or a folder).
/// Returns whether there was anything to remove.
fn remove_any(path: &Path) -> bool {
    let mut found = false;
    for side in SIDE_FILES {
        found |= std::fs::remove_file(format!("{}{side}", path.display())).is_ok();
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

/// Removes the copies of `target` left behind by programs that ended
/// without cleaning up (killed, crashed, power lost): every
/// `.{name}.{pid}-{n}.partial` (with any `-journal`, `-wal`, `-shm` SQLite
/// left beside it) and `.lock` whose lock file no
/// running program holds. Returns how many copies were removed. Best effort:
/// what cannot be read or removed is left alone.
pub(crate) fn clean_stale(target: &Path) -> usize {
    let name = base_name(target, "");
    let dir = match target.parent() {
        Some(p) if p.as_os_str().is_empty() => Path::new("."),
        Some(p) => p,
        None => return 0,
    };
    if name.is_empty() {
        return 0;
    }
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut stems = std::collections::BTreeSet::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let rest = SIDE_FILES
            .iter()
            .find_map(|side| rest.strip_suffix(side))
            .unwrap_or(rest);
        let Some(id) = rest
            .strip_suffix(PARTIAL)
            .or_else(|| rest.strip_suffix(LOCK))
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
        let lock_path = PathBuf::from(format!("{}{LOCK}", stem.display()));
        let copy = PathBuf::from(format!("{}{PARTIAL}", stem.display()));
        // Held by a running program: not stale.
        let held = take_lock(&lock_path).is_err() && lock_path.exists();
        if held {
            continue;
        }
        if remove_any(&copy) {
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
        let p = Partial::file(&target).unwrap();
        std::fs::write(p.path(), b"half").unwrap();
        assert_eq!(entries(dir.path()), 2, "the copy and its lock file");
        drop(p);
        assert_eq!(entries(dir.path()), 0);

        let p = Partial::dir(&target).unwrap();
        std::fs::write(p.path().join("a"), b"x").unwrap();
        p.persist(&target).unwrap();
        assert_eq!(entries(dir.path()), 1);
        assert_eq!(std::fs::read(target.join("a")).unwrap(), b"x");
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
        // and a folder copy without a lock file.
        std::fs::write(at(".out.999999-0.partial"), b"x").unwrap();
        std::fs::write(at(".out.999999-0.partial-journal"), b"x").unwrap();
        std::fs::write(at(".out.999999-0.lock"), b"").unwrap();
        std::fs::create_dir(at(".out.999999-1.partial")).unwrap();
        // Not ours: other names are never touched.
        std::fs::write(at(".out.notes.partial"), b"x").unwrap();
        std::fs::write(at(".other.1-0.partial"), b"x").unwrap();
        let live = Partial::file(&target).unwrap();
        assert_eq!(clean_stale(&target), 2);
        for gone in [
            ".out.999999-0.partial",
            ".out.999999-0.partial-journal",
            ".out.999999-0.lock",
            ".out.999999-1.partial",
        ] {
            assert!(!at(gone).exists(), "{gone}");
        }
        assert!(at(".out.notes.partial").exists());
        assert!(at(".other.1-0.partial").exists());
        assert!(live.path().exists(), "a copy in use is kept");
        assert_eq!(entries(dir.path()), 4);
        drop(live);
    }
}
