//! Folders named on the command line stand for the files under them.

use std::path::{Path, PathBuf};

/// The most files one command line may expand to.
const MAX_FILES: usize = satchel::backpack::MAX_ITEMS;

/// `inputs` with every folder replaced by the files under it (recursively,
/// in path order; hidden files and folders and symbolic links to folders
/// are skipped). Returns whether any input was a folder.
pub fn expand(inputs: Vec<String>) -> Result<(Vec<String>, bool), String> {
    let mut out = Vec::with_capacity(inputs.len());
    let mut any = false;
    for input in inputs {
        let path = Path::new(&input);
        if input == "-" || satchel::detect::is_http_url(&input) || !path.is_dir() {
            out.push(input);
            continue;
        }
        any = true;
        let before = out.len();
        let mut files = Vec::new();
        walk(path, &mut files)?;
        files.sort();
        out.extend(files.into_iter().map(|f| f.display().to_string()));
        if out.len() == before {
            return Err(format!("{input}: the folder holds no files"));
        }
        if out.len() > MAX_FILES {
            return Err(format!(
                "{input}: more than {MAX_FILES} files; name fewer at a time"
            ));
        }
    }
    Ok((out, any))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: could not read the folder ({e})", dir.display()))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("{}: could not read the folder ({e})", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // The entry itself, not what a link points to: links to folders are
        // not followed (no cycles), links to files are read as files.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, files)?;
        } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
            files.push(path);
        }
        if files.len() > MAX_FILES {
            return Ok(());
        }
    }
    Ok(())
}
