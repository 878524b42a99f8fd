//! The images a badge is shown with, from the store alone: the original file
//! when it is an image, else the image the badge names (a `data:` URI, or a
//! document kept at import), and the issuer's image. Only real image bytes,
//! judged by content, are returned; nothing is fetched.

use crate::store::Store;

/// The media type of image bytes, by content (PNG, JPEG, GIF, WebP, SVG);
/// `None` for anything else.
pub fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    crate::media::sniff_image(bytes).map(|(_, media)| media)
}

fn typed(bytes: Vec<u8>) -> Option<(&'static str, Vec<u8>)> {
    image_media_type(&bytes).map(|m| (m, bytes))
}

/// Badge `id`'s image: its original file when that is an image, else the
/// image its badge names.
pub fn badge_image(store: &Store, id: i64) -> Option<(&'static str, Vec<u8>)> {
    if let Ok(Some((_, bytes))) = store.badge_file(id) {
        if let Some(found) = typed(bytes) {
            return Some(found);
        }
    }
    named_image(store, id, |view| view.get("image"))
}

/// The image of badge `id`'s issuer, when its profile names one Satchel has.
pub fn issuer_image(store: &Store, id: i64) -> Option<(&'static str, Vec<u8>)> {
    named_image(store, id, |view| view.get("issuer")?.get("image"))
}

fn named_image(
    store: &Store,
    id: i64,
    pick: impl Fn(&serde_json::Value) -> Option<&serde_json::Value>,
) -> Option<(&'static str, Vec<u8>)> {
    let record = store.badge(id).ok()??;
    let view: serde_json::Value = serde_json::from_str(&record.badge_json).ok()?;
    image_from(store, pick(&view)?.as_str()?)
}

/// The bytes behind an image reference: a `data:` URI, or a kept document.
fn image_from(store: &Store, reference: &str) -> Option<(&'static str, Vec<u8>)> {
    let reference = reference.trim();
    if let Some(rest) = reference.strip_prefix("data:") {
        return typed(crate::media::data_uri_bytes(rest)?);
    }
    let key = crate::fetch::cache_key(reference).ok()?;
    let doc = store.get_document(&key).ok()??;
    typed(doc.body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_image_bytes_are_images() {
        use super::image_media_type as t;
        assert_eq!(t(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(t(b"GIF89a"), Some("image/gif"));
        assert_eq!(
            t(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some("image/svg+xml")
        );
        assert_eq!(t(b"<html><script>alert(1)</script>"), None);
    }
}
