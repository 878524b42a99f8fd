//! What an import reads: files, folders (recursively), zip archives (the
//! exports Mozilla Backpack and Badgr handed out), URLs and pasted text,
//! turned into a list of items first (so progress knows the total) and read
//! one at a time later (so memory stays bounded however large the import).

use super::import::Problem;
use crate::limits;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most items one import takes (files, archive members, URLs).
pub const MAX_ITEMS: usize = 1_000_000;
/// The largest file an import reads (a baked PNG may be large).
pub const MAX_FILE_BYTES: u64 = limits::MAX_PNG_BAKE_BYTES as u64;
/// The most a zip archive may inflate to in all.
pub const MAX_ARCHIVE_TOTAL: u64 = 4 * 1024 * 1024 * 1024;
/// How deep folders are walked.
const MAX_DEPTH: usize = 64;

/// Something to import, as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportInput {
    /// A file or folder (folders are walked; zip archives are opened).
    Path(PathBuf),
    /// A URL of a hosted badge or a baked image.
    Url(String),
    /// Pasted text: assertion or credential JSON, a JWS, or a URL.
    Text(String),
    /// Bytes already in memory (a dropped file), with a name for the report.
    Bytes {
        /// The name shown in the report.
        name: String,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl ImportInput {
    /// Reads a command-line argument: an http(s) URL, `-` for standard
    /// input (the caller reads it into [`ImportInput::Bytes`]), else a path.
    pub fn from_arg(arg: &str) -> ImportInput {
        if crate::detect::is_http_url(arg) {
            ImportInput::Url(arg.trim().to_owned())
        } else {
            ImportInput::Path(PathBuf::from(arg))
        }
    }
}

/// One item found, not read yet.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// A file on disk.
    File(PathBuf),
    /// Member `index` of a zip archive.
    Member {
        archive: PathBuf,
        index: usize,
        name: String,
    },
    /// A URL to fetch.
    Url(String),
    /// Pasted text.
    Text(String),
    /// Bytes given directly.
    Bytes(String, Vec<u8>),
    /// Something that could not even be listed (a missing file, an
    /// unreadable folder, a damaged archive): reported as failed.
    Broken(String, Refusal),
}

impl Item {
    /// How the item is named in reports.
    pub(crate) fn source(&self) -> String {
        match self {
            Item::File(p) => p.display().to_string(),
            Item::Member { archive, name, .. } => format!("{}!{name}", archive.display()),
            Item::Url(u) => u.clone(),
            Item::Text(_) => "pasted text".to_owned(),
            Item::Bytes(name, _) | Item::Broken(name, _) => name.clone(),
        }
    }
}

/// Lists every item of `inputs`, in order: folders sorted by name, archive
/// members in archive order.
pub(crate) fn discover(inputs: &[ImportInput]) -> Vec<Item> {
    let mut items = Vec::new();
    for input in inputs {
        match input {
            ImportInput::Path(p) => walk(p, 0, &mut items),
            ImportInput::Url(u) => items.push(Item::Url(u.clone())),
            ImportInput::Text(t) => items.push(Item::Text(t.clone())),
            ImportInput::Bytes { name, bytes } => {
                items.push(Item::Bytes(name.clone(), bytes.clone()))
            }
        }
        if items.len() >= MAX_ITEMS {
            items.truncate(MAX_ITEMS);
            break;
        }
    }
    items
}

/// Why an item could not be read: what kind of problem, and in words.
pub(crate) type Refusal = (Problem, String);

fn io_reason(e: &std::io::Error) -> Refusal {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let t = e.to_string();
            match t.find(" (os error") {
                Some(i) => t[..i].to_owned(),
                None => t,
            }
        }
    };
    (Problem::Unreadable, why)
}

fn damaged(why: String) -> Refusal {
    (Problem::Damaged, why)
}

fn walk(path: &Path, depth: usize, items: &mut Vec<Item>) {
    if items.len() >= MAX_ITEMS {
        return;
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            items.push(Item::Broken(path.display().to_string(), io_reason(&e)));
            return;
        }
    };
    if meta.is_dir() {
        if depth > MAX_DEPTH {
            items.push(Item::Broken(
                path.display().to_string(),
                (
                    Problem::TooLarge,
                    format!("folders nested deeper than {MAX_DEPTH} levels are not imported"),
                ),
            ));
            return;
        }
        let children = match children(path) {
            Ok(c) => c,
            Err(e) => {
                items.push(Item::Broken(path.display().to_string(), io_reason(&e)));
                return;
            }
        };
        for child in children {
            walk(&child, depth + 1, items);
        }
    } else if is_zip(path) {
        list_archive(path, items);
    } else {
        items.push(Item::File(path.to_path_buf()));
    }
}

/// What a folder holds, as imports and the CLI walk it: in path order,
/// without hidden entries, and without symbolic links to folders (no loops).
fn children(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| {
            e.file_type()
                .map(|t| !(t.is_symlink() && e.path().is_dir()))
                .unwrap_or(false)
        })
        .map(|e| e.path())
        .collect();
    children.sort();
    Ok(children)
}

/// Every file under `dir`, walked as an import walks folders (path order,
/// hidden entries and links to folders skipped, at most [`MAX_ITEMS`] files
/// and 64 levels deep); zip archives are files here. The error is a sentence
/// naming the folder.
pub fn files_in_folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "{}: folders nested deeper than {MAX_DEPTH} levels are not read",
                dir.display()
            ));
        }
        let children = children(dir).map_err(|e| {
            format!(
                "{}: could not read the folder ({})",
                dir.display(),
                io_reason(&e).1
            )
        })?;
        for child in children {
            if child.is_dir() {
                walk(&child, depth + 1, files)?;
            } else if child.is_file() {
                files.push(child);
            }
            if files.len() > MAX_ITEMS {
                return Err(format!(
                    "{}: more than {MAX_ITEMS} files; name fewer at a time",
                    dir.display()
                ));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, 0, &mut files)?;
    Ok(files)
}

fn is_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .map(|()| magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06")
        .unwrap_or(false)
}

fn list_archive(path: &Path, items: &mut Vec<Item>) {
    let broken = |reason: Refusal| Item::Broken(path.display().to_string(), reason);
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return items.push(broken(io_reason(&e))),
    };
    let mut archive = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            return items.push(broken(damaged(format!(
                "the zip archive cannot be read ({e})"
            ))))
        }
    };
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        if items.len() >= MAX_ITEMS {
            return;
        }
        let Ok(entry) = archive.by_index_raw(index) else {
            items.push(broken(damaged(format!(
                "member {index} of the zip archive cannot be read"
            ))));
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let hidden = name
            .split('/')
            .any(|part| part.starts_with('.') || part == "__MACOSX");
        if hidden {
            continue;
        }
        total = total.saturating_add(entry.size());
        if total > MAX_ARCHIVE_TOTAL {
            items.push(broken((
                Problem::TooLarge,
                format!(
                    "the zip archive inflates to more than {} GiB; import it in parts",
                    MAX_ARCHIVE_TOTAL >> 30
                ),
            )));
            return;
        }
        items.push(Item::Member {
            archive: path.to_path_buf(),
            index,
            name,
        });
    }
}

/// Reads a file, refusing more than [`MAX_FILE_BYTES`].
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Refusal> {
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_reason(&e))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err((
            Problem::TooLarge,
            format!(
                "the file is larger than Satchel's limit of {} MiB for a badge",
                MAX_FILE_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// An open archive that reads members in order without reopening it.
pub(crate) struct OpenArchive {
    path: PathBuf,
    archive: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
}

impl OpenArchive {
    pub(crate) fn open(path: &Path) -> Result<OpenArchive, Refusal> {
        let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
        let archive = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| damaged(format!("the zip archive cannot be read ({e})")))?;
        Ok(OpenArchive {
            path: path.to_path_buf(),
            archive,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Member `index`, inflated through a cap so a zip bomb costs at most the cap.
    pub(crate) fn read(&mut self, index: usize) -> Result<Vec<u8>, Refusal> {
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| damaged(format!("the archive member cannot be read ({e})")))?;
        let mut bytes = Vec::new();
        entry
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| damaged(format!("the archive member cannot be inflated ({e})")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err((
                Problem::TooLarge,
                format!(
                    "the archive member inflates to more than Satchel's limit of {} MiB for a badge",
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        Ok(bytes)
    }
}
