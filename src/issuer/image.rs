//! Checks on an image an issuer wants to use as a badge image.
//!
//! [`check_badge_image`] accepts a PNG or an SVG (judged by content, never by
//! the file name) that is square, at least [`MIN_SIDE`] pixels a side and at
//! most [`MAX_BYTES`] bytes, and warns under [`GOOD_SIDE`]. A PNG's size comes
//! from its `IHDR` chunk; pixels are never decoded, but every chunk is walked
//! so a file cut short is refused. An SVG's size comes from the root's
//! `width`/`height` (px, pt, mm, cm, in) or else its `viewBox`.
//!
//! An SVG that could run code or load anything is refused with the reason:
//! scripts, event handlers (`on*`), `<foreignObject>`, links to anything but a
//! `#fragment` or a raster `data:` image, `xml:base`, `xml-stylesheet` and
//! other processing instructions, CSS that imports or loads (`@import`,
//! `url(http…)`; the rules are the share pages' cleaner's), a DOCTYPE, and
//! entity references other than XML's own. A badge image is baked and sent to
//! other people's backpacks, so the check refuses rather than cleans: the
//! issuer fixes the file once instead of publishing something else.

use crate::bake::ImageFormat;
use crate::export::svg_clean::{css_is_safe, reference_is_safe};
use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::fmt;

/// The largest badge image accepted, in bytes (256 KB).
pub const MAX_BYTES: usize = 256 * 1024;
/// The smallest side accepted, in pixels.
pub const MIN_SIDE: u32 = 90;
/// Sides under this many pixels get a warning (they look blurry in backpacks).
pub const GOOD_SIDE: u32 = 256;

/// The deepest SVG element nesting accepted.
const MAX_DEPTH: usize = 256;

/// An image that passed the checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedImage {
    /// PNG or SVG.
    pub format: ImageFormat,
    /// Width in pixels (an SVG's user units or CSS pixels, rounded).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Sentences about things that work but could be better.
    pub warnings: Vec<String>,
}

/// Why an image cannot be a badge image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Neither a PNG nor an SVG.
    NotAnImage,
    /// Over [`MAX_BYTES`]; carries the size.
    TooLarge(usize),
    /// A PNG whose structure is broken; carries the reason.
    BadPng(String),
    /// An SVG that is not well-formed; carries the reason.
    BadSvg(String),
    /// An SVG without a usable width/height or viewBox.
    NoSize,
    /// Width and height differ.
    NotSquare(u32, u32),
    /// Under [`MIN_SIDE`] a side.
    TooSmall(u32, u32),
    /// An SVG with something that could run or load; carries what, e.g. "a `<script>` element".
    Unsafe(String),
}

/// A refused badge image: the file name and the [`Problem`]. Displays as one
/// sentence naming the file, the problem and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageProblem {
    /// The file name as given.
    pub name: String,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for ImageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match &self.problem {
            Problem::NotAnImage => write!(
                f,
                "{name} is not a PNG or SVG image; save the badge image as PNG or SVG."
            ),
            Problem::TooLarge(n) => write!(
                f,
                "{name} is {} KB; a badge image must be at most {} KB (save it smaller, e.g. as a 512×512 PNG).",
                n.div_ceil(1024),
                MAX_BYTES / 1024
            ),
            Problem::BadPng(why) => write!(
                f,
                "{name} is not a readable PNG image ({why}); export it again from your image editor."
            ),
            Problem::BadSvg(why) => write!(
                f,
                "{name} is not a readable SVG image ({why}); export it again from your image editor."
            ),
            Problem::NoSize => write!(
                f,
                "{name} does not say its size; give its svg element a width and height or a viewBox (e.g. viewBox=\"0 0 512 512\")."
            ),
            Problem::NotSquare(w, h) => write!(
                f,
                "{name} is {w}×{h} pixels; a badge image must be square (e.g. 512×512)."
            ),
            Problem::TooSmall(w, h) => write!(
                f,
                "{name} is {w}×{h} pixels; a badge image must be at least {MIN_SIDE}×{MIN_SIDE} (e.g. 512×512)."
            ),
            Problem::Unsafe(what) => write!(
                f,
                "{name} contains {what}; a badge image must be a plain picture, so remove it and save the file again."
            ),
        }
    }
}

impl std::error::Error for ImageProblem {}

/// Checks `bytes` (named `name` in messages) as a badge image.
///
/// # Errors
///
/// An [`ImageProblem`] for anything but a square PNG or safe SVG of
/// 90×90 pixels or more and at most 256 KB.
pub fn check_badge_image(name: &str, bytes: &[u8]) -> Result<CheckedImage, ImageProblem> {
    let refuse = |problem| ImageProblem {
        name: name.to_owned(),
        problem,
    };
    if bytes.len() > MAX_BYTES {
        return Err(refuse(Problem::TooLarge(bytes.len())));
    }
    let (format, (width, height)) = match crate::media::sniff_image(bytes) {
        Some((_, "image/png")) => (
            ImageFormat::Png,
            png_size(bytes).map_err(|why| refuse(Problem::BadPng(why)))?,
        ),
        Some((_, "image/svg+xml")) => (ImageFormat::Svg, svg_size(bytes).map_err(refuse)?),
        _ => return Err(refuse(Problem::NotAnImage)),
    };
    if width != height {
        return Err(refuse(Problem::NotSquare(width, height)));
    }
    if width < MIN_SIDE {
        return Err(refuse(Problem::TooSmall(width, height)));
    }
    let mut warnings = Vec::new();
    if width < GOOD_SIDE {
        warnings.push(format!(
            "{name} is {width}×{height} pixels; it may look blurry in backpacks, so {GOOD_SIDE}×{GOOD_SIDE} or more (e.g. 512×512) is better."
        ));
    }
    Ok(CheckedImage {
        format,
        width,
        height,
        warnings,
    })
}

/// A PNG's width and height from its `IHDR`, after walking every chunk to
/// `IEND` (so a truncated file is refused). Pixels are not decoded.
fn png_size(png: &[u8]) -> Result<(u32, u32), String> {
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let mut at = crate::bake::PNG_SIGNATURE.len();
    let mut size = None;
    let mut saw_idat = false;
    loop {
        let Some(head) = png.get(at..at + 8) else {
            return Err("the file is cut short before its end chunk".to_owned());
        };
        let len = be(&head[..4]) as usize;
        let kind = &head[4..8];
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(format!("a chunk at byte {at} has no valid type"));
        }
        let Some(data) = png.get(at + 8..at + 8 + len) else {
            return Err("the file is cut short inside a chunk".to_owned());
        };
        let Some(crc) = png.get(at + 8 + len..at + 12 + len) else {
            return Err("the file is cut short inside a chunk".to_owned());
        };
        if size.is_none() {
            if kind != b"IHDR" || len != 13 {
                return Err("it does not start with an IHDR chunk".to_owned());
            }
            let mut hasher = crc32fast::Hasher::new();
            hasher.update(kind);
            hasher.update(data);
            if hasher.finalize() != be(crc) {
                return Err("its IHDR chunk is damaged (bad checksum)".to_owned());
            }
            let (w, h) = (be(&data[..4]), be(&data[4..8]));
            if w == 0 || h == 0 || w > i32::MAX as u32 || h > i32::MAX as u32 {
                return Err(format!("its header gives the impossible size {w}×{h}"));
            }
            size = Some((w, h));
        }
        saw_idat |= kind == b"IDAT";
        at += 12 + len;
        if kind == b"IEND" {
            break;
        }
    }
    if !saw_idat {
        return Err("it has no image data".to_owned());
    }
    size.ok_or_else(|| "it has no IHDR chunk".to_owned())
}

/// An SVG's size in pixels, after refusing anything unsafe (see the module doc).
fn svg_size(svg: &[u8]) -> Result<(u32, u32), Problem> {
    let bad = |why: String| Problem::BadSvg(why);
    let text = std::str::from_utf8(svg)
        .map_err(|e| bad(format!("it is not UTF-8 text at byte {}", e.valid_up_to())))?;
    let mut reader = Reader::from_str(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut depth = 0usize;
    let mut size = None;
    // The text of an open `<style>` element.
    let mut style: Option<String> = None;
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| bad(format!("it is not well-formed XML ({e} near byte {at})")))?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                check_element(&e)?;
                if size.is_none() {
                    size = Some(root_size(&e)?);
                }
                style =
                    (!empty && local(e.name().0).eq_ignore_ascii_case("style")).then(String::new);
                if !empty {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(bad(format!("it nests elements deeper than {MAX_DEPTH}")));
                    }
                } else if depth == 0 {
                    break;
                }
            }
            Event::End(_) => {
                if let Some(css) = style.take() {
                    if !css_is_safe(&css) {
                        return Err(Problem::Unsafe(
                            "a style sheet that loads or imports something".to_owned(),
                        ));
                    }
                }
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) => {
                if let Some(css) = style.as_mut() {
                    css.push_str(&t);
                }
            }
            Event::CData(t) => {
                if let Some(css) = style.as_mut() {
                    css.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().ok().flatten()
                } else {
                    quick_xml::escape::resolve_predefined_entity(name)
                        .and_then(|s| s.chars().next())
                };
                let Some(c) = resolved else {
                    return Err(Problem::Unsafe(format!(
                        "the entity reference &{};",
                        short(name)
                    )));
                };
                // A style sheet is checked whole, references resolved, so
                // `@&#105;mport` is caught.
                if let Some(css) = style.as_mut() {
                    css.push(c);
                }
            }
            Event::DocType(_) => return Err(Problem::Unsafe("a DOCTYPE".to_owned())),
            Event::PI(p) => {
                let target = p.target().to_owned();
                return Err(Problem::Unsafe(if target == "xml-stylesheet" {
                    "an xml-stylesheet instruction".to_owned()
                } else {
                    format!("the processing instruction <?{}?>", short(&target))
                }));
            }
            Event::Eof => {
                return Err(bad(
                    "it ends before its svg element is closed (the file is cut short)".to_owned(),
                ))
            }
            _ => {}
        }
    }
    size.ok_or(Problem::NoSize)
}

/// Refuses an element that could run or load something.
fn check_element(e: &BytesStart) -> Result<(), Problem> {
    let name = e.name();
    let element = local(name.0).to_owned();
    let lower = element.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "script" | "foreignobject" | "iframe" | "embed" | "object" | "handler" | "listener"
    ) {
        return Err(Problem::Unsafe(format!("a <{}> element", short(&element))));
    }
    let unsafe_attr = |what: String| Err(Problem::Unsafe(what));
    for attr in e.attributes() {
        let attr =
            attr.map_err(|err| Problem::BadSvg(format!("it is not well-formed XML ({err})")))?;
        let key = attr.key.0.to_owned();
        let key_local = local(attr.key.0).to_ascii_lowercase();
        let value = match unescape(&attr.value) {
            Ok(v) => v.into_owned(),
            Err(_) => {
                return unsafe_attr(format!(
                    "an entity reference in its {} attribute",
                    short(&key)
                ))
            }
        };
        if key_local.starts_with("on") {
            return unsafe_attr(format!("the event handler {}", short(&key)));
        }
        if key.eq_ignore_ascii_case("xml:base") {
            return unsafe_attr("an xml:base attribute".to_owned());
        }
        if key_local == "href" && !reference_is_safe(value.trim()) {
            return unsafe_attr(format!("a link to {}", short(value.trim())));
        }
        if key_local == "attributename" {
            let target = value.trim().to_ascii_lowercase();
            let target = target.rsplit(':').next().unwrap_or(&target);
            if target.starts_with("on") || target == "href" || target == "style" {
                return unsafe_attr(format!("an animation of its {} attribute", short(&value)));
            }
        }
        if !css_is_safe(&value) {
            return unsafe_attr(format!(
                "a {} attribute that loads or imports something",
                short(&key)
            ));
        }
    }
    Ok(())
}

/// The root `svg` element's size: `width` and `height` in absolute units, or
/// else the `viewBox`'s.
fn root_size(e: &BytesStart) -> Result<(u32, u32), Problem> {
    let get = |name: &str| {
        e.attributes()
            .flatten()
            .find(|a| a.key.0 == name)
            .and_then(|a| unescape(&a.value).ok().map(|v| v.into_owned()))
    };
    let width = get("width").and_then(|v| length(&v));
    let height = get("height").and_then(|v| length(&v));
    if let (Some(w), Some(h)) = (width, height) {
        return Ok((w, h));
    }
    let view_box = get("viewBox").ok_or(Problem::NoSize)?;
    let parts: Vec<f64> = view_box
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| Problem::NoSize)?;
    match parts[..] {
        [_, _, w, h] => Ok((
            pixels(w).ok_or(Problem::NoSize)?,
            pixels(h).ok_or(Problem::NoSize)?,
        )),
        _ => Err(Problem::NoSize),
    }
}

/// An absolute SVG length in CSS pixels (`px`, `pt`, `pc`, `mm`, `cm`, `in`,
/// or no unit); `None` for percentages, font-relative units and nonsense.
fn length(value: &str) -> Option<u32> {
    let v = value.trim();
    let split = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+' || c == 'e'))
        .unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let n: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "" | "px" => 1.0,
        "pt" => 4.0 / 3.0,
        "pc" => 16.0,
        "mm" => 96.0 / 25.4,
        "cm" => 96.0 / 2.54,
        "in" => 96.0,
        _ => return None,
    };
    pixels(n * scale)
}

/// A positive, finite size rounded to whole pixels.
fn pixels(n: f64) -> Option<u32> {
    (n.is_finite() && n > 0.0 && n < f64::from(u32::MAX)).then(|| n.round() as u32)
}

/// The part of an XML name after its prefix.
fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// `s` cut to at most 40 characters for a message.
fn short(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_in_absolute_units() {
        assert_eq!(length("512"), Some(512));
        assert_eq!(length("512px"), Some(512));
        assert_eq!(length("96pt"), Some(128));
        assert_eq!(length("1in"), Some(96));
        assert_eq!(length("100%"), None);
        assert_eq!(length("10em"), None);
        assert_eq!(length("-5"), None);
        assert_eq!(length("NaN"), None);
    }

    #[test]
    fn messages_name_the_file_problem_and_fix() {
        let p = ImageProblem {
            name: "badge.png".into(),
            problem: Problem::NotSquare(300, 200),
        };
        assert_eq!(
            p.to_string(),
            "badge.png is 300×200 pixels; a badge image must be square (e.g. 512×512)."
        );
    }

    #[test]
    fn local_names_drop_the_prefix() {
        assert_eq!(local("svg:script"), "script");
        assert_eq!(local("script"), "script");
    }
}
