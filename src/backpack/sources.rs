//! What an import reads: files, folders (recursively), zip archives (the
//! exports Mozilla Backpack and Badgr handed out), URLs and pasted text,
//! turned into a list of items first (so progress knows the total) and read
//! one at a time later (so memory stays bounded however large the import).

use super::problem::Problem;
use crate::limits;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The most items one import takes (files, archive members, URLs).
pub const MAX_ITEMS: usize = 1_000_000;
/// The largest file an import reads (a baked PNG may be large).
pub const MAX_FILE_BYTES: u64 = limits::MAX_PNG_BAKE_BYTES as u64;
/// The most a zip archive may inflate to in all, counted in the bytes
/// actually inflated (never the sizes the archive declares).
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
    /// Pasted text: assertion or credential JSON, a JWS, or a URL; or
    /// several of these, one a line (each line is then its own item).
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
    /// A file on disk, named `path`, read from `read` (a link's target
    /// inside the folder walked), following a link there only if `follow`.
    File {
        path: PathBuf,
        read: PathBuf,
        follow: bool,
    },
    /// Member `index` of a zip archive.
    Member {
        archive: PathBuf,
        follow: bool,
        index: usize,
        name: String,
    },
    /// A URL to fetch.
    Url(String),
    /// Pasted text, or its line `line` (counted from 1 as pasted) when a
    /// paste holds several items.
    Text { text: String, line: Option<usize> },
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
            Item::File { path, .. } => path.display().to_string(),
            Item::Member { archive, name, .. } => format!("{}!{name}", archive.display()),
            Item::Url(u) => u.clone(),
            Item::Text { line: None, .. } => PASTED.to_owned(),
            Item::Text { line: Some(n), .. } => format!("{PASTED}, line {n}"),
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
            ImportInput::Path(p) => walk(p, 0, None, &mut items),
            ImportInput::Url(u) => items.push(Item::Url(u.clone())),
            ImportInput::Text(t) => pasted(t, &mut items),
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
/// How pasted text is named in reports (a line of it adds ", line N").
const PASTED: &str = "pasted text";

/// Whether a report's source names pasted text (which has no file name).
pub(crate) fn is_pasted(source: &str) -> bool {
    source
        .strip_prefix(PASTED)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(", line "))
}

/// Lists the items of a paste: one JSON document (which may span many
/// lines) or one line is a single item, as pasted; otherwise each non-blank
/// line is its own item, numbered as pasted.
fn pasted(text: &str, items: &mut Vec<Item>) {
    let lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    if lines.clone().nth(1).is_none() || is_one_json_document(text) {
        items.push(Item::Text {
            text: text.to_owned(),
            line: None,
        });
        return;
    }
    for (i, line) in lines {
        if items.len() >= MAX_ITEMS {
            break;
        }
        items.push(Item::Text {
            text: line.trim().to_owned(),
            line: Some(i + 1),
        });
    }
}

/// Whether text spread over lines is one JSON object or array: it parses
/// as one, or it starts like one whose first line is not JSON by itself (a
/// damaged document, reported once rather than line by line). Several
/// one-line JSON documents are not one.
fn is_one_json_document(text: &str) -> bool {
    use serde::de::IgnoredAny;
    let text = text.trim_start();
    if !text.starts_with(['{', '[']) {
        return false;
    }
    let first_line = text.lines().next().unwrap_or_default();
    serde_json::from_str::<IgnoredAny>(text).is_ok()
        || serde_json::from_str::<IgnoredAny>(first_line).is_err()
}

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

/// What a path is, found without opening it.
enum Entry {
    /// A folder to walk.
    Dir,
    /// A regular file, read from `read` (the path itself, or the target of
    /// a link that stays inside the folder walked).
    File { read: PathBuf, follow: bool },
    /// A link to a folder: skipped without a word (no loops).
    LinkedDir,
    /// Not imported, for this reason.
    Skipped(Refusal),
}

/// Why something that is not a regular file is not read.
fn not_regular(kind: std::fs::FileType) -> Refusal {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a named pipe"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_block_device() || kind.is_char_device() {
            "a device"
        } else if kind.is_dir() {
            "a folder"
        } else {
            "something else"
        }
    };
    #[cfg(not(unix))]
    let what = if kind.is_dir() {
        "a folder"
    } else {
        "something else"
    };
    (
        Problem::Unsupported,
        format!("this is {what}, not a regular file"),
    )
}

/// A refusal met while walking a folder reads "skipped: ...".
fn skipped((problem, why): Refusal) -> Refusal {
    (problem, format!("skipped: {why}"))
}

/// What `path` is, looked at without opening it. `root` is the canonical
/// folder being walked (`None` for a path the user named directly, whose
/// links are followed wherever they lead).
fn entry(path: &Path, root: Option<&Path>) -> Result<Entry, Refusal> {
    let own = std::fs::symlink_metadata(path).map_err(|e| io_reason(&e))?;
    let kind = own.file_type();
    if kind.is_dir() {
        return Ok(Entry::Dir);
    }
    if kind.is_file() {
        return Ok(Entry::File {
            read: path.to_path_buf(),
            follow: root.is_none(),
        });
    }
    let walked = |why: Refusal| {
        Ok(Entry::Skipped(if root.is_some() {
            skipped(why)
        } else {
            why
        }))
    };
    if !kind.is_symlink() {
        return walked(not_regular(kind));
    }
    let target = std::fs::canonicalize(path).map_err(|e| io_reason(&e))?;
    let meta = std::fs::metadata(&target).map_err(|e| io_reason(&e))?;
    match root {
        Some(_) if meta.is_dir() => Ok(Entry::LinkedDir),
        Some(root) if !target.starts_with(root) => walked((
            Problem::Unsafe,
            "a link to a file outside the folder".to_owned(),
        )),
        _ if meta.is_dir() => Ok(Entry::Dir),
        _ if !meta.is_file() => walked(not_regular(meta.file_type())),
        _ => Ok(Entry::File {
            read: target,
            follow: false,
        }),
    }
}

/// Opens `path` for reading only if it is a regular file, without ever
/// blocking: the type was checked before, and the open handle is checked
/// again (a named pipe swapped in meanwhile is opened non-blocking and
/// refused). With `follow` false a link swapped in is refused too.
pub(crate) fn open_regular(path: &Path, follow: bool) -> Result<std::fs::File, Refusal> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = if follow { 0 } else { libc::O_NOFOLLOW };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    #[cfg(not(unix))]
    let _ = follow;
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return (
                Problem::Unsafe,
                "the file was replaced by a link while Satchel read the folder".to_owned(),
            );
        }
        io_reason(&e)
    })?;
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    if !meta.is_file() {
        return Err(not_regular(meta.file_type()));
    }
    Ok(file)
}

fn walk(path: &Path, depth: usize, root: Option<&Path>, items: &mut Vec<Item>) {
    if items.len() >= MAX_ITEMS {
        return;
    }
    let broken = |why: Refusal| Item::Broken(path.display().to_string(), why);
    let (read, follow) = match entry(path, root) {
        Err(why) | Ok(Entry::Skipped(why)) => return items.push(broken(why)),
        Ok(Entry::LinkedDir) => return,
        Ok(Entry::File { read, follow }) => (read, follow),
        Ok(Entry::Dir) => {
            if depth > MAX_DEPTH {
                return items.push(broken((
                    Problem::TooLarge,
                    format!("folders nested deeper than {MAX_DEPTH} levels are not imported"),
                )));
            }
            let canonical;
            let root = match root {
                Some(r) => r,
                None => match std::fs::canonicalize(path) {
                    Ok(c) => {
                        canonical = c;
                        &canonical
                    }
                    Err(e) => return items.push(broken(io_reason(&e))),
                },
            };
            let children = match children(path) {
                Ok(c) => c,
                Err(e) => return items.push(broken(io_reason(&e))),
            };
            for child in children {
                walk(&child, depth + 1, Some(root), items);
            }
            return;
        }
    };
    match is_zip(&read, follow) {
        Err(why) => items.push(broken(why)),
        Ok(true) => list_archive(&read, follow, items),
        Ok(false) => items.push(Item::File {
            path: path.to_path_buf(),
            read,
            follow,
        }),
    }
}

/// What a folder holds, as imports and the CLI walk it: in path order,
/// without hidden entries.
fn children(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut children: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    children.sort();
    Ok(children)
}

/// Every file under `dir`, walked as an import walks folders (path order,
/// hidden entries and links to folders skipped, at most [`MAX_ITEMS`] files
/// and 64 levels deep); zip archives are files here. Links to files outside
/// `dir`, named pipes, sockets and devices are left out (an import reports
/// them). The error is a sentence naming the folder.
pub fn files_in_folder(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, root: &Path, depth: usize, files: &mut Vec<PathBuf>) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "{}: folders nested deeper than {MAX_DEPTH} levels are not read",
                dir.display()
            ));
        }
        let unreadable = |e: &std::io::Error| {
            format!(
                "{}: could not read the folder ({})",
                dir.display(),
                io_reason(e).1
            )
        };
        for child in children(dir).map_err(|e| unreadable(&e))? {
            match entry(&child, Some(root)) {
                Ok(Entry::Dir) => walk(&child, root, depth + 1, files)?,
                Ok(Entry::File { .. }) => files.push(child),
                _ => {}
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
    let root = std::fs::canonicalize(dir).map_err(|e| {
        format!(
            "{}: could not read the folder ({})",
            dir.display(),
            io_reason(&e).1
        )
    })?;
    let mut files = Vec::new();
    walk(dir, &root, 0, &mut files)?;
    Ok(files)
}

fn is_zip(path: &Path, follow: bool) -> Result<bool, Refusal> {
    let mut magic = [0u8; 4];
    let mut file = open_regular(path, follow)?;
    Ok(file
        .read_exact(&mut magic)
        .map(|()| magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06")
        .unwrap_or(false))
}

/// Why a member name is unsafe, if it is: an absolute path or one that
/// climbs out with `..` (Satchel never extracts members, but a name like
/// that is a sign of a hostile archive, and is reported, not read).
fn unsafe_member_name(name: &str) -> Option<&'static str> {
    let absolute = name.starts_with(['/', '\\'])
        || (name.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && name.as_bytes().get(1) == Some(&b':'))
        || name.contains('\0');
    if absolute {
        Some("skipped: the member's name is an absolute path")
    } else if name.split(['/', '\\']).any(|part| part == "..") {
        Some("skipped: the member's name leads out of the archive with '..'")
    } else {
        None
    }
}

/// The names of the central directory's records, in order, as the archive
/// spells them (the `zip` crate keeps one member per name, so a second
/// member of the same name is only seen here). At most [`MAX_ITEMS`].
fn central_names(file: &mut std::io::BufReader<std::fs::File>, start: u64) -> Vec<Vec<u8>> {
    use std::io::{Seek, SeekFrom};
    let mut names = Vec::new();
    if file.seek(SeekFrom::Start(start)).is_err() {
        return names;
    }
    let mut header = [0u8; 46];
    while names.len() < MAX_ITEMS && file.read_exact(&mut header).is_ok() {
        if header[..4] != *b"PK\x01\x02" {
            break;
        }
        let field = |at: usize| u16::from_le_bytes([header[at], header[at + 1]]);
        let (name_len, rest) = (
            usize::from(field(28)),
            i64::from(field(30)) + i64::from(field(32)),
        );
        let mut name = vec![0u8; name_len];
        if file.read_exact(&mut name).is_err() || file.seek_relative(rest).is_err() {
            break;
        }
        names.push(name);
    }
    names
}

fn list_archive(path: &Path, follow: bool, items: &mut Vec<Item>) {
    let broken = |reason: Refusal| Item::Broken(path.display().to_string(), reason);
    let member = |name: &str, (problem, why): (Problem, &str)| {
        Item::Broken(
            format!("{}!{name}", path.display()),
            (problem, why.to_owned()),
        )
    };
    let file = match open_regular(path, follow) {
        Ok(f) => f,
        Err(why) => return items.push(broken(why)),
    };
    // A second handle, so walking the directory never moves the archive's.
    let directory = open_regular(path, follow).map(std::io::BufReader::new);
    let mut archive = match zip::ZipArchive::new(std::io::BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            return items.push(broken(damaged(format!(
                "the zip archive cannot be read ({e})"
            ))))
        }
    };
    // Records beyond the one the archive keeps per name.
    let mut extra: std::collections::HashMap<Vec<u8>, usize> = std::collections::HashMap::new();
    let records = match directory {
        Ok(mut d) => central_names(&mut d, archive.central_directory_start()),
        Err(_) => Vec::new(),
    };
    if records.len() > archive.len() {
        for name in records {
            *extra.entry(name).or_default() += 1;
        }
        extra.retain(|_, n| *n > 1);
    }
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
        let name = entry.name().to_owned();
        if let Some(copies) = extra.get(entry.name_raw()) {
            for _ in 1..*copies {
                items.push(member(
                    &name,
                    (
                        Problem::Damaged,
                        "skipped: another member of the archive has the same name, and only the last one is read",
                    ),
                ));
            }
        }
        if entry.is_dir() {
            continue;
        }
        let hidden = name
            .split('/')
            .any(|part| part.starts_with('.') && part != ".." || part == "__MACOSX");
        if hidden {
            continue;
        }
        if let Some(why) = unsafe_member_name(&name) {
            items.push(member(&name, (Problem::Unsafe, why)));
            continue;
        }
        if entry.encrypted() {
            items.push(member(
                &name,
                (
                    Problem::Unsupported,
                    "skipped: the member is encrypted, and Satchel does not read encrypted archives",
                ),
            ));
            continue;
        }
        items.push(Item::Member {
            archive: path.to_path_buf(),
            follow,
            index,
            name,
        });
    }
}

/// Reads a file, refusing more than [`MAX_FILE_BYTES`].
pub(crate) fn read_file(path: &Path, follow: bool) -> Result<Vec<u8>, Refusal> {
    let file = open_regular(path, follow)?;
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

/// An open archive that reads members in order without reopening it, and
/// counts what it really inflated (declared sizes are never trusted).
pub(crate) struct OpenArchive {
    path: PathBuf,
    archive: zip::ZipArchive<std::io::BufReader<std::fs::File>>,
    inflated: u64,
}

impl OpenArchive {
    pub(crate) fn open(path: &Path, follow: bool) -> Result<OpenArchive, Refusal> {
        let file = open_regular(path, follow)?;
        let archive = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| damaged(format!("the zip archive cannot be read ({e})")))?;
        Ok(OpenArchive {
            path: path.to_path_buf(),
            archive,
            inflated: 0,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Member `index`, inflated through a cap so a zip bomb (or a member
    /// whose declared size lies) costs at most the cap: [`MAX_FILE_BYTES`]
    /// for the member, and what is left of [`MAX_ARCHIVE_TOTAL`] for the
    /// archive.
    pub(crate) fn read(&mut self, index: usize) -> Result<Vec<u8>, Refusal> {
        let left = MAX_ARCHIVE_TOTAL.saturating_sub(self.inflated);
        let total_refusal = || {
            (
                Problem::TooLarge,
                format!(
                    "the zip archive inflates to more than {} GiB; import it in parts",
                    MAX_ARCHIVE_TOTAL >> 30
                ),
            )
        };
        if left == 0 {
            return Err(total_refusal());
        }
        let cap = MAX_FILE_BYTES.min(left);
        let entry = self
            .archive
            .by_index(index)
            .map_err(|e| damaged(format!("the archive member cannot be read ({e})")))?;
        let mut bytes = Vec::new();
        let read = entry.take(cap + 1).read_to_end(&mut bytes);
        self.inflated = self.inflated.saturating_add(bytes.len() as u64);
        read.map_err(|e| damaged(format!("the archive member cannot be inflated ({e})")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err((
                Problem::TooLarge,
                format!(
                    "the archive member inflates to more than Satchel's limit of {} MiB for a badge",
                    MAX_FILE_BYTES >> 20
                ),
            ));
        }
        if bytes.len() as u64 > cap {
            return Err(total_refusal());
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::{is_pasted, pasted, unsafe_member_name, Item};

    /// The items of a paste, as (report name, text).
    fn items_of(text: &str) -> Vec<(String, String)> {
        let mut items = Vec::new();
        pasted(text, &mut items);
        items
            .into_iter()
            .map(|item| match &item {
                Item::Text { text, .. } => (item.source(), text.clone()),
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_paste_of_several_lines_is_one_item_a_line_named_by_its_number() {
        let text = "https://a.example/1.json\r\n\n  eyJ.eyJ.sig  \n{\"a\":1}\njunk\n";
        let items = items_of(text);
        let expected = [
            ("pasted text, line 1", "https://a.example/1.json"),
            ("pasted text, line 3", "eyJ.eyJ.sig"),
            ("pasted text, line 4", "{\"a\":1}"),
            ("pasted text, line 5", "junk"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .collect();
        assert_eq!(items, expected);
        assert!(items.iter().all(|(source, _)| is_pasted(source)));
        // Two one-line JSON documents are two items.
        assert_eq!(items_of("{\"a\":1}\n[2]").len(), 2);
    }

    #[test]
    fn one_line_and_one_json_document_over_many_lines_stay_one_item_as_pasted() {
        for text in [
            "  https://a.example/1.json \n\n",
            "{\n  \"a\": [\n    1,\n    2\n  ]\n}\n",
            "[\n  {\"a\": 1},\n  {\"b\": 2}\n]",
            // Damaged JSON over many lines is reported once, not per line.
            "{\n  \"a\": 1,\n  \"b\": \n",
        ] {
            assert_eq!(
                items_of(text),
                vec![("pasted text".to_owned(), text.to_owned())],
                "{text:?}"
            );
        }
        assert!(is_pasted("pasted text"));
        assert!(!is_pasted("pasted text.png"));
    }

    #[test]
    fn member_names_that_leave_the_archive_are_unsafe() {
        for name in ["/etc/passwd", "\\\\server\\x.png", "C:\\x.png", "c:/x.png"] {
            assert!(
                unsafe_member_name(name).unwrap().contains("absolute"),
                "{name}"
            );
        }
        for name in ["../x.png", "a/../../x.png", "a\\..\\x.png"] {
            assert!(unsafe_member_name(name).unwrap().contains("'..'"), "{name}");
        }
        for name in ["badges/x.png", "ab:c.png", "x..png", "..x/y.png"] {
            assert_eq!(unsafe_member_name(name), None, "{name}");
        }
    }
}
