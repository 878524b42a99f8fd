//! The `satchel:` URI scheme: badge and issuer images for `<img>` tags, read
//! from the store (the original file when it is an image, else the image the
//! badge names, from a `data:` URI or the documents kept at import). Nothing
//! is fetched from the network here, and only image bytes (judged by content)
//! are answered; an SVG is served with a CSP that forbids scripts, and it is
//! only ever shown through `<img>`, where scripts never run anyway.
//!
//! URLs: `satchel://localhost/badge/<id>` and `satchel://localhost/issuer/<id>`
//! (`http://satchel.localhost/...` on Windows); a `?v=` query is ignored (the
//! UI uses it to bust the cache).

use crate::state::AppState;
use satchel::backpack::{badge_image, issuer_image};
use std::sync::Arc;
use tauri::http::{Request, Response, StatusCode};

/// Answers one request.
pub fn respond(state: &Arc<AppState>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let path = request.uri().path().trim_start_matches('/');
    let mut parts = path.split('/');
    let (kind, id) = (
        parts.next(),
        parts.next().and_then(|s| s.parse::<i64>().ok()),
    );
    let found = match (kind, id) {
        (Some("badge"), Some(id)) => badge_image(&state.store(), id),
        (Some("issuer"), Some(id)) => issuer_image(&state.store(), id),
        _ => None,
    };
    match found {
        Some((mime, bytes)) => Response::builder()
            .status(StatusCode::OK)
            .header("Content-Type", mime)
            .header(
                "Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
            )
            .header("X-Content-Type-Options", "nosniff")
            .header("Cache-Control", "max-age=31536000, immutable")
            .body(bytes)
            .unwrap_or_else(|_| not_found()),
        None => not_found(),
    }
}

/// A 404 (also what every request gets while the backpack is not open).
pub fn not_found() -> Response<Vec<u8>> {
    let mut r = Response::new(Vec::new());
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}
