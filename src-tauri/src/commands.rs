//! The commands `ui/api.js` calls. Each one is a call into the core plus
//! error mapping; they are `async` so they run off the UI thread.

use crate::{preview, CommandError};
use satchel::inspect::{self, Inspection};
use serde::Serialize;
use std::path::PathBuf;
use tauri::ipc::{InvokeBody, Request};

/// Inspects a file's bytes, sent by the window as the raw request body
/// (a file chosen with `<input type=file>`).
#[tauri::command]
pub async fn inspect_bytes(request: Request<'_>) -> Result<Inspection, CommandError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CommandError::new(
            "bad_request",
            "expected the file's bytes",
        ));
    };
    Ok(inspect::inspect(bytes)?)
}

/// Inspects pasted text: JSON, a compact JWS or a URL.
#[tauri::command]
pub async fn inspect_text(text: String) -> Result<Inspection, CommandError> {
    Ok(inspect::inspect_text(&text)?)
}

/// A file inspected by path (dropped on the window).
#[derive(Debug, Serialize)]
pub struct FileInspection {
    /// The file's name, for headings and messages.
    pub name: String,
    /// What the core found.
    pub inspection: Inspection,
    /// For a PNG or SVG: the image itself as a `data:` URL.
    pub image: Option<String>,
}

/// Inspects a file by path (dropped on the window).
#[tauri::command]
pub async fn inspect_file(path: PathBuf) -> Result<FileInspection, CommandError> {
    let inspection = inspect::inspect_path(&path)?;
    let image = preview::image_data_url(&path, inspection.container);
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(FileInspection {
        name,
        inspection,
        image,
    })
}

/// Opens an `http(s):` or `mailto:` link from a badge in the user's browser or
/// mail program; other schemes are refused.
#[tauri::command]
pub async fn open_link(url: String) -> Result<(), CommandError> {
    let lower = url.trim_start().to_ascii_lowercase();
    if !["https://", "http://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return Err(CommandError::new(
            "bad_request",
            "only web and e-mail links can be opened",
        ));
    }
    open::that_detached(url.trim())
        .map_err(|e| CommandError::new("io", format!("could not open the link ({e})")))
}
