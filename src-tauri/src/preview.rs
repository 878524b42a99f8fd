//! A `data:` URL of a dropped badge image, so the window can show the very
//! file that was inspected (the webview cannot read local paths itself).

use base64::Engine as _;
use satchel::detect::InputKind;
use std::path::Path;

/// Images larger than this are inspected but not previewed.
const MAX_PREVIEW_BYTES: u64 = 16 * 1024 * 1024;

/// The file at `path` as a `data:image/png` or `data:image/svg+xml` URL, for
/// PNG and SVG inputs under the size cap; `None` otherwise.
pub(crate) fn image_data_url(path: &Path, container: InputKind) -> Option<String> {
    let mime = match container {
        InputKind::Png => "image/png",
        InputKind::Svg => "image/svg+xml",
        _ => return None,
    };
    if std::fs::metadata(path).ok()?.len() > MAX_PREVIEW_BYTES {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    Some(format!("data:{mime};base64,{b64}"))
}
