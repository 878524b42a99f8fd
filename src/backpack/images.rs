//! The images a badge is shown with, from the store alone: the original file
//! when it is an image, else the image the badge names (a `data:` URI, or a
//! document kept at import), and the issuer's image. Only real image bytes,
//! judged by content, are returned; nothing is fetched.

use crate::store::Store;
use base64::Engine as _;

/// The media type of image bytes, by content (PNG, JPEG, GIF, WebP, SVG);
/// `None` for anything else.
pub fn image_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&crate::bake::PNG_SIGNATURE) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if crate::bake::is_svg(bytes) {
        Some("image/svg+xml")
    } else {
        None
    }
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
        let (meta, data) = rest.split_once(',')?;
        let bytes = if meta.ends_with(";base64") {
            base64::engine::general_purpose::STANDARD
                .decode(data.trim())
                .ok()?
        } else {
            percent_decode(data)
        };
        return typed(bytes);
    }
    let key = crate::fetch::cache_key(reference).ok()?;
    let doc = store.get_document(&key).ok()??;
    typed(doc.body)
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    out
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
        assert_eq!(super::percent_decode("a%20b%zz"), b"a b%zz");
    }
}
