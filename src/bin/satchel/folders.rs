//! Folders named on the command line stand for the files under them.

use std::path::Path;

/// `inputs` with every folder replaced by the files under it, walked as an
/// import walks folders ([`satchel::backpack::files_in_folder`]). Returns
/// whether any input was a folder.
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
        let files = satchel::backpack::files_in_folder(path)?;
        if files.is_empty() {
            return Err(format!("{input}: the folder holds no files"));
        }
        out.extend(files.into_iter().map(|f| f.display().to_string()));
    }
    Ok((out, any))
}
