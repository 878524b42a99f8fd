//! Renders the app icon `icons/satchel.svg` to a PNG at every size the
//! freedesktop icon theme specification lists for applications (16 to 512),
//! into `icons/` (the packages and the window take them from there).
//!
//! `cargo run --example icons`; the outputs are committed, so run it again
//! only after changing the SVG. The result is the same bytes on every machine:
//! resvg renders without system fonts (the icon has no text).

use std::path::Path;

/// The sizes of `icons/<N>x<N>.png`.
const SIZES: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];

fn main() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("icons");
    let source = dir.join("satchel.svg");
    let svg = std::fs::read(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default())
        .map_err(|e| format!("{}: {e}", source.display()))?;
    for size in SIZES {
        let png = render(&tree, size)?;
        let out = dir.join(format!("{size}x{size}.png"));
        std::fs::write(&out, &png).map_err(|e| format!("{}: {e}", out.display()))?;
        // The largest is also the window's icon (tauri.conf.json names it).
        if size == 512 {
            let out = dir.join("icon.png");
            std::fs::write(&out, &png).map_err(|e| format!("{}: {e}", out.display()))?;
        }
        println!("{}", out.display());
    }
    Ok(())
}

fn render(tree: &resvg::usvg::Tree, size: u32) -> Result<Vec<u8>, String> {
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).ok_or("empty icon size")?;
    let scale = size as f32 / tree.size().width();
    resvg::render(
        tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| e.to_string())
}
