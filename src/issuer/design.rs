//! The badge designer's core: a [`Design`] (shape, colours, title, subtitle,
//! icon) drawn as a clean SVG and rendered to PNG.
//!
//! [`svg`] lays the badge out on a 512×512 canvas and hands the markup to
//! usvg, which sets the text in the bundled font (DejaVu Sans Condensed Bold,
//! `assets/fonts/`, loaded from bytes: never a system font) and writes the
//! document back with every glyph as a path. The result needs no font, has no
//! script, link or external reference, and passes
//! [`check_badge_image`](super::image::check_badge_image). [`png`] renders
//! that SVG with resvg. Nothing reads the clock, the environment or the
//! system's fonts, so the same design gives the same bytes on every machine.
//!
//! The icons are simple filled paths on a 24×24 grid, drawn for Satchel.

use std::sync::{Arc, OnceLock};

/// The bundled font (Bitstream Vera licence, `assets/fonts/DejaVu-LICENSE.txt`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed-Bold.ttf");
/// The family the font names itself by (its width is condensed).
const FONT_FAMILY: &str = "DejaVu Sans";

/// The canvas side the SVG is laid out on.
const SIDE: f64 = 512.0;

/// Contrast under this (WCAG AA for normal text) gets a warning.
pub const MIN_CONTRAST: f64 = 4.5;

/// A badge's outline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A round badge with a ring.
    Circle,
    /// A heraldic shield.
    Shield,
    /// A hexagon standing on a point.
    Hexagon,
    /// A round medal with two ribbon tails.
    Ribbon,
}

impl Shape {
    /// Every shape, in the order a picker shows them.
    pub const ALL: [Shape; 4] = [Shape::Circle, Shape::Shield, Shape::Hexagon, Shape::Ribbon];

    /// The shape's name in lower case (`circle`, …).
    pub fn name(self) -> &'static str {
        match self {
            Shape::Circle => "circle",
            Shape::Shield => "shield",
            Shape::Hexagon => "hexagon",
            Shape::Ribbon => "ribbon",
        }
    }
}

/// A bundled icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    /// A five-pointed star.
    Star,
    /// A check mark.
    Check,
    /// An open book.
    Book,
    /// Angle brackets and a slash.
    Code,
    /// A heart.
    Heart,
    /// A cup with handles.
    Trophy,
    /// A leaf with its vein.
    Leaf,
    /// A light bulb.
    Lightbulb,
    /// A flag on a pole.
    Flag,
    /// A mortarboard.
    GraduationCap,
}

impl Icon {
    /// Every icon, in the order a picker shows them.
    pub const ALL: [Icon; 10] = [
        Icon::Star,
        Icon::Check,
        Icon::Book,
        Icon::Code,
        Icon::Heart,
        Icon::Trophy,
        Icon::Leaf,
        Icon::Lightbulb,
        Icon::Flag,
        Icon::GraduationCap,
    ];

    /// The icon's path on a 24×24 grid (filled, even-odd).
    pub fn path(self) -> &'static str {
        match self {
            Icon::Star => "M12 1.8 15 8.4 22.2 9.1 16.8 13.9 18.4 21 12 17.3 5.6 21 7.2 13.9 1.8 9.1 9 8.4Z",
            Icon::Check => "M9.5 16.2 4.8 11.5 2.6 13.7 9.5 20.6 21.4 8.7 19.2 6.5Z",
            Icon::Book => "M2.5 5C5.5 3.6 8.6 3.7 11.2 5.4V20.3C8.6 18.8 5.5 18.7 2.5 19.9ZM12.8 5.4C15.4 3.7 18.5 3.6 21.5 5V19.9C18.5 18.7 15.4 18.8 12.8 20.3Z",
            Icon::Code => "M8.6 7.4 7.2 6 1.2 12 7.2 18 8.6 16.6 4 12ZM15.4 7.4 16.8 6 22.8 12 16.8 18 15.4 16.6 20 12ZM13.3 4 15.2 4.6 10.7 20 8.8 19.4Z",
            Icon::Heart => "M12 21.2 10.6 19.9C5.4 15.2 2 12.1 2 8.3 2 5.2 4.4 2.8 7.5 2.8 9.2 2.8 10.9 3.6 12 4.9 13.1 3.6 14.8 2.8 16.5 2.8 19.6 2.8 22 5.2 22 8.3 22 12.1 18.6 15.2 13.4 19.9Z",
            Icon::Trophy => "M7 3H17V5H21V8C21 10.5 19.2 12.6 16.7 13 15.9 15 14.2 16.4 13 16.8V19H16V21H8V19H11V16.8C9.8 16.4 8.1 15 7.3 13 4.8 12.6 3 10.5 3 8V5H7ZM5 7V8C5 9.3 5.8 10.4 7 10.8V7ZM17 7V10.8C18.2 10.4 19 9.3 19 8V7Z",
            Icon::Leaf => "M21 2.5C11.5 2.5 5 7.5 5 14.8 5 16.4 5.4 17.9 6.1 19.2L3.6 21.7 5 23.1 7.5 20.6C8.8 21.3 10.3 21.7 11.9 21.7 18.2 21.7 21.6 15.4 21 2.5ZM8.6 18.5C10.2 13.8 13.1 10.4 17.2 8.3 13.8 10.9 11.2 14.3 9.9 19.2Z",
            Icon::Lightbulb => "M12 1.5C8.1 1.5 5 4.6 5 8.5 5 10.9 6.2 13 8 14.3V17C8 17.6 8.4 18 9 18H15C15.6 18 16 17.6 16 17V14.3C17.8 13 19 10.9 19 8.5 19 4.6 15.9 1.5 12 1.5ZM9 19.2H15V20.6C15 21.4 14.4 22.1 13.6 22.1H10.4C9.6 22.1 9 21.4 9 20.6Z",
            Icon::Flag => "M4.5 2H6.7V22H4.5ZM8 3H20L17.2 7.5 20 12H8Z",
            Icon::GraduationCap => "M12 3 1 9 12 15 20.5 10.4V16.5H22.5V9ZM5 12.3V16.6L12 20.4 19 16.6V12.3L12 16.1Z",
        }
    }

    /// The icon's name in lower case (`star`, `graduation-cap`, …).
    pub fn name(self) -> &'static str {
        match self {
            Icon::Star => "star",
            Icon::Check => "check",
            Icon::Book => "book",
            Icon::Code => "code",
            Icon::Heart => "heart",
            Icon::Trophy => "trophy",
            Icon::Leaf => "leaf",
            Icon::Lightbulb => "lightbulb",
            Icon::Flag => "flag",
            Icon::GraduationCap => "graduation-cap",
        }
    }
}

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#rrggbb` or `#rgb` (case-insensitive; the `#` is optional).
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().trim_start_matches('#');
        let digit = |i: usize, len: usize| u8::from_str_radix(hex.get(i..i + len)?, 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance, 0 (black) to 1 (white).
    fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }
}

/// A badge design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Design {
    /// The outline.
    pub shape: Shape,
    /// The fill inside the outline.
    pub background: Rgb,
    /// Text and icon.
    pub foreground: Rgb,
    /// The rim and ribbon tails.
    pub accent: Rgb,
    /// The badge's name on the badge (long titles wrap and shrink).
    pub title: String,
    /// A smaller line under the title.
    pub subtitle: Option<String>,
    /// An icon above the title.
    pub icon: Option<Icon>,
}

/// Why a design could not be drawn (a fault in the drawing, not the user's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesignError(pub String);

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the badge design could not be drawn ({}).", self.0)
    }
}

impl std::error::Error for DesignError {}

/// The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white).
pub fn contrast(foreground: Rgb, background: Rgb) -> f64 {
    let (a, b) = (foreground.luminance(), background.luminance());
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// Sentences about a design that works but could be better (today: text
/// contrast under [`MIN_CONTRAST`]).
pub fn warnings(design: &Design) -> Vec<String> {
    let ratio = contrast(design.foreground, design.background);
    if ratio < MIN_CONTRAST {
        vec![format!(
            "The text colour {} on the background {} has a contrast of {:.1}:1; {MIN_CONTRAST}:1 or more keeps the title readable for everyone.",
            design.foreground.hex(),
            design.background.hex(),
            ratio
        )]
    } else {
        Vec::new()
    }
}

/// The design as a self-contained 512×512 SVG, text as paths.
///
/// # Errors
///
/// Only if the drawing itself is faulty (usvg refuses the layout).
pub fn svg(design: &Design) -> Result<String, DesignError> {
    let tree = tree(&layout(design))?;
    Ok(tree.to_string(&resvg::usvg::WriteOptions::default()))
}

/// The design as a `size`×`size` PNG (`size` is kept within 16–2048).
///
/// # Errors
///
/// Only if the drawing itself is faulty.
pub fn png(design: &Design, size: u32) -> Result<Vec<u8>, DesignError> {
    let size = size.clamp(16, 2048);
    let tree = tree(&svg(design)?)?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size)
        .ok_or_else(|| DesignError(format!("no {size}×{size} canvas")))?;
    let scale = size as f32 / tree.size().width();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| DesignError(e.to_string()))
}

fn tree(svg: &str) -> Result<resvg::usvg::Tree, DesignError> {
    static FONTS: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut db = resvg::usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        Arc::new(db)
    });
    let options = resvg::usvg::Options {
        font_family: FONT_FAMILY.to_owned(),
        fontdb: fonts.clone(),
        ..Default::default()
    };
    resvg::usvg::Tree::from_str(svg, &options).map_err(|e| DesignError(e.to_string()))
}

/// Where the content sits inside a shape: centre y and usable width.
fn content_box(shape: Shape) -> (f64, f64) {
    match shape {
        Shape::Circle => (256.0, 330.0),
        Shape::Shield => (236.0, 300.0),
        Shape::Hexagon => (256.0, 300.0),
        Shape::Ribbon => (210.0, 250.0),
    }
}

/// The outline, filled with the background and rimmed with the accent.
fn outline(d: &Design) -> String {
    let (bg, accent, fg) = (d.background.hex(), d.accent.hex(), d.foreground.hex());
    let rim = format!(r#"fill="{bg}" stroke="{accent}" stroke-width="18" stroke-linejoin="round""#);
    let inner = format!(r#"fill="none" stroke="{fg}" stroke-opacity="0.35" stroke-width="4""#);
    match d.shape {
        Shape::Circle => format!(
            r#"<circle cx="256" cy="256" r="238" {rim}/><circle cx="256" cy="256" r="206" {inner}/>"#
        ),
        Shape::Shield => format!(
            r#"<path d="M256 22 458 84V236C458 362 374 444 256 490 138 444 54 362 54 236V84Z" {rim}/><path d="M256 54 428 107V236C428 344 356 414 256 456 156 414 84 344 84 236V107Z" {inner}/>"#
        ),
        Shape::Hexagon => format!(
            r#"<path d="M256 16 464 136V376L256 496 48 376V136Z" {rim}/><path d="M256 50 435 153V359L256 462 77 359V153Z" {inner}/>"#
        ),
        Shape::Ribbon => format!(
            r#"<path d="M168 330 120 496 178 462 222 504 262 360Z" fill="{accent}"/><path d="M344 330 392 496 334 462 290 504 250 360Z" fill="{accent}"/><circle cx="256" cy="210" r="190" {rim}/><circle cx="256" cy="210" r="160" {inner}/>"#
        ),
    }
}

/// The whole layout as SVG markup with `<text>` (usvg turns it into paths).
fn layout(d: &Design) -> String {
    let (cy, width) = content_box(d.shape);
    let fg = d.foreground.hex();
    let title_lines = wrap(&clean(&d.title), 16, 24);
    let longest = title_lines
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(4);
    let title_size = (width / (0.56 * longest as f64)).clamp(22.0, 64.0).round();
    let subtitle = d
        .subtitle
        .as_deref()
        .map(|s| truncate(&clean(s), 36))
        .filter(|s| !s.is_empty());
    let subtitle_size = subtitle
        .as_ref()
        .map(|s| {
            (0.9 * width / (0.55 * s.chars().count().max(8) as f64))
                .clamp(16.0, 28.0)
                .min(title_size * 0.6)
                .round()
        })
        .unwrap_or(0.0);
    let line_gap = title_size * 1.08;
    let text_height = title_size
        + line_gap * (title_lines.len() as f64 - 1.0)
        + if subtitle.is_some() {
            subtitle_size * 1.6
        } else {
            0.0
        };
    let icon_size = 112.0;
    let gap = 22.0;
    let block = text_height
        + if d.icon.is_some() {
            icon_size + gap
        } else {
            0.0
        };
    let mut top = cy - block / 2.0;
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 {SIDE} {SIDE}">"#
    );
    out.push_str(&outline(d));
    if let Some(icon) = d.icon {
        let scale = icon_size / 24.0;
        out.push_str(&format!(
            r#"<path transform="translate({} {top}) scale({scale})" d="{}" fill="{fg}" fill-rule="evenodd"/>"#,
            256.0 - icon_size / 2.0,
            icon.path()
        ));
        top += icon_size + gap;
    }
    let text = |y: f64, size: f64, s: &str| {
        format!(
            r#"<text x="256" y="{y:.1}" font-family="{FONT_FAMILY}" font-weight="bold" font-stretch="condensed" font-size="{size}" text-anchor="middle" fill="{fg}">{}</text>"#,
            super::markdown::escape(s)
        )
    };
    // Baselines sit about 0.8 of the font size under the top of a line.
    let mut y = top + title_size * 0.8;
    for line in &title_lines {
        out.push_str(&text(y, title_size, line));
        y += line_gap;
    }
    if let Some(s) = &subtitle {
        let y = y - line_gap + title_size * 0.2 + subtitle_size * 1.4;
        out.push_str(&format!(
            r#"<g fill-opacity="0.85">{}</g>"#,
            text(y, subtitle_size, s)
        ));
    }
    out.push_str("</svg>");
    out
}

/// `s` without control characters (XML cannot carry most) and runs of space.
fn clean(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line, or two split at the space nearest the middle when longer than
/// `wrap_at`; each line at most `max` characters.
fn wrap(s: &str, wrap_at: usize, max: usize) -> Vec<String> {
    let n = s.chars().count();
    if n <= wrap_at || !s.contains(' ') {
        return vec![truncate(s, max)];
    }
    let middle = s.char_indices().nth(n / 2).map_or(s.len(), |(i, _)| i);
    let split = s
        .match_indices(' ')
        .map(|(i, _)| i)
        .min_by_key(|&i| i.abs_diff(middle))
        .unwrap_or(middle);
    vec![truncate(&s[..split], max), truncate(&s[split + 1..], max)]
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", s[..i].trim_end()),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wcag_contrast_matches_known_values() {
        assert!((contrast(Rgb(0, 0, 0), Rgb(255, 255, 255)) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb(255, 255, 255), Rgb(255, 255, 255)) - 1.0).abs() < 1e-9);
        // #777 on white is the classic just-under-AA grey (4.48:1).
        let grey = contrast(Rgb::parse("#777").unwrap(), Rgb(255, 255, 255));
        assert!((grey - 4.48).abs() < 0.01, "{grey}");
    }

    #[test]
    fn colours_parse() {
        assert_eq!(Rgb::parse("#1a2B3c"), Some(Rgb(0x1a, 0x2b, 0x3c)));
        assert_eq!(Rgb::parse("fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb::parse("#gggggg"), None);
        assert_eq!(Rgb(1, 2, 255).hex(), "#0102ff");
    }

    #[test]
    fn long_titles_wrap_and_truncate() {
        assert_eq!(wrap("Rust", 16, 24), vec!["Rust"]);
        assert_eq!(
            wrap("Introduction to Systems Programming", 16, 24),
            vec!["Introduction to", "Systems Programming"]
        );
        assert_eq!(
            wrap(&"x".repeat(30), 16, 24),
            vec![format!("{}…", "x".repeat(24))]
        );
        assert_eq!(clean(" a\u{7}\n b  c "), "a b c");
    }
}
