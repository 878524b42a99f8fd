//! Cleaning badge-supplied SVG before a share export publishes it.
//!
//! A badge's SVG (the baked original, a `data:` image, an issuer image) shown
//! with `<img>` cannot run script or load anything, but the same file opened
//! directly runs its scripts in the origin of the site that hosts the export.
//! So an export publishes an SVG only as the copy [`clean_svg`] writes: a new
//! document rebuilt from the parsed one, holding only what an allow-list of
//! SVG elements and attributes admits.
//!
//! **Allow-list, not deny-list.** SVG keeps growing and browsers accept more
//! than any list of dangers remembers (`<script>`, `on*` handlers and
//! `<foreignObject>` are well known; `<handler>`, `<discard>`, SVG fonts with
//! `<font-face-uri>`, `xml:base`, a new event attribute or a new element that
//! takes a URL are not). Anything not known to be inert is dropped, so a
//! feature nobody thought of is left out rather than let through. The price is
//! that harmless markup Satchel does not know (editor metadata such as
//! Inkscape's, custom namespaces, the baked badge element itself) is left out
//! of the copy, which does not change the picture; the original is published
//! unchanged beside it.
//!
//! What the copy keeps and drops:
//!
//! - elements: the SVG drawing, text, paint-server, clipping, masking, filter
//!   and animation elements, in the SVG namespace (or none); any other element
//!   is dropped with everything inside it: `<script>`, `<foreignObject>`,
//!   `<iframe>`, fonts, `<metadata>`, and elements of other namespaces;
//! - `<a>` becomes `<g>`: the content stays, the link goes (whatever its target);
//! - attributes: presentation, geometry, text, gradient, filter and timing
//!   attributes by name, plus `xlink:href`, `xml:space` and `xml:lang`; never
//!   an event handler, `xml:base`, a namespace-less `data-*` or any other name;
//! - `href` / `xlink:href` only to a same-document `#fragment` or a
//!   `data:image/png|jpeg|gif|webp` URI;
//! - CSS (`style` attributes, `<style>` elements, and every other attribute
//!   value, since presentation attributes are CSS values) only when every `url()` points into the document or is such a
//!   `data:` image, and it has no `@import`, no `image-set()`/`image()`/`src()`,
//!   no `expression()`/`-moz-binding`/`behavior` and no backslash escape (which
//!   could spell any of those); otherwise the attribute or element is dropped;
//! - `<animate>`, `<set>`, `<animateTransform>`, `<animateMotion>` only when
//!   the attribute they animate is an allowed one other than `href` and `style`;
//! - comments, processing instructions, the XML declaration and a DOCTYPE are
//!   dropped; a DOCTYPE that declares entities, or a reference to an entity
//!   XML does not predefine, makes the document refused (no entity is ever
//!   expanded, no DTD loaded).
//!
//! The work is one streaming pass with quick-xml under the caps of
//! [`crate::limits`] (document size, element count, nesting depth), and the
//! copy is never larger than the SVG size cap.

use crate::limits::{MAX_SVG_BYTES, MAX_SVG_DEPTH, MAX_SVG_ELEMENTS};
use quick_xml::escape::{escape, partial_escape, resolve_predefined_entity, unescape};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, NamespaceResolver, ResolveResult};
use quick_xml::reader::NsReader;
use std::borrow::Cow;
use std::path::PathBuf;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// SVG elements kept in the copy (sorted, for binary search).
const ELEMENTS: &[&str] = &[
    "a",
    "animate",
    "animateMotion",
    "animateTransform",
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "mpath",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "set",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Attributes without a namespace kept in the copy (sorted, for binary
/// search). `href` is here but its value is checked too.
const ATTRIBUTES: &[&str] = &[
    "accumulate",
    "additive",
    "alignment-baseline",
    "amplitude",
    "aria-describedby",
    "aria-hidden",
    "aria-label",
    "aria-labelledby",
    "attributeName",
    "attributeType",
    "azimuth",
    "baseFrequency",
    "baseProfile",
    "baseline-shift",
    "begin",
    "bias",
    "by",
    "calcMode",
    "class",
    "clip",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "color",
    "color-interpolation",
    "color-interpolation-filters",
    "color-rendering",
    "cx",
    "cy",
    "d",
    "diffuseConstant",
    "direction",
    "display",
    "divisor",
    "dominant-baseline",
    "dur",
    "dx",
    "dy",
    "edgeMode",
    "elevation",
    "enable-background",
    "end",
    "exponent",
    "fill",
    "fill-opacity",
    "fill-rule",
    "filter",
    "filterUnits",
    "flood-color",
    "flood-opacity",
    "font-family",
    "font-size",
    "font-size-adjust",
    "font-stretch",
    "font-style",
    "font-variant",
    "font-weight",
    "fr",
    "from",
    "fx",
    "fy",
    "glyph-orientation-horizontal",
    "glyph-orientation-vertical",
    "gradientTransform",
    "gradientUnits",
    "height",
    "href",
    "id",
    "image-rendering",
    "in",
    "in2",
    "intercept",
    "k1",
    "k2",
    "k3",
    "k4",
    "kernelMatrix",
    "kernelUnitLength",
    "kerning",
    "keyPoints",
    "keySplines",
    "keyTimes",
    "lang",
    "lengthAdjust",
    "letter-spacing",
    "lighting-color",
    "limitingConeAngle",
    "marker-end",
    "marker-mid",
    "marker-start",
    "markerHeight",
    "markerUnits",
    "markerWidth",
    "mask",
    "mask-type",
    "maskContentUnits",
    "maskUnits",
    "max",
    "method",
    "min",
    "mode",
    "numOctaves",
    "offset",
    "opacity",
    "operator",
    "order",
    "orient",
    "overflow",
    "paint-order",
    "path",
    "pathLength",
    "patternContentUnits",
    "patternTransform",
    "patternUnits",
    "points",
    "pointsAtX",
    "pointsAtY",
    "pointsAtZ",
    "preserveAlpha",
    "preserveAspectRatio",
    "primitiveUnits",
    "r",
    "radius",
    "refX",
    "refY",
    "repeatCount",
    "repeatDur",
    "restart",
    "result",
    "role",
    "rotate",
    "rx",
    "ry",
    "scale",
    "seed",
    "shape-rendering",
    "side",
    "slope",
    "spacing",
    "specularConstant",
    "specularExponent",
    "spreadMethod",
    "startOffset",
    "stdDeviation",
    "stitchTiles",
    "stop-color",
    "stop-opacity",
    "stroke",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-opacity",
    "stroke-width",
    "style",
    "surfaceScale",
    "systemLanguage",
    "tableValues",
    "targetX",
    "targetY",
    "text-anchor",
    "text-decoration",
    "text-rendering",
    "textLength",
    "to",
    "transform",
    "transform-origin",
    "type",
    "unicode-bidi",
    "values",
    "vector-effect",
    "version",
    "viewBox",
    "visibility",
    "width",
    "word-spacing",
    "writing-mode",
    "x",
    "x1",
    "x2",
    "xChannelSelector",
    "y",
    "y1",
    "y2",
    "yChannelSelector",
    "z",
];

/// Elements that animate another element's attribute.
const ANIMATIONS: &[&str] = &["animate", "animateMotion", "animateTransform", "set"];

/// Raster types a `data:` URI may carry.
const DATA_IMAGES: &[&str] = &[
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
];

/// Rebuilds `svg` keeping only allowed elements and attributes (see the
/// module doc), as UTF-8 markup with an `svg` root in the SVG namespace.
///
/// # Errors
///
/// The reason, worded to follow "could not be cleaned because", when the
/// document is not well-formed UTF-8 XML with an `svg` root, declares or uses
/// custom entities, or is past a cap.
pub(crate) fn clean_svg(svg: &[u8]) -> Result<Vec<u8>, String> {
    if svg.len() > MAX_SVG_BYTES {
        return Err(format!(
            "it is {} bytes, over Satchel's limit of {MAX_SVG_BYTES} bytes",
            svg.len()
        ));
    }
    let text = std::str::from_utf8(svg).map_err(|e| {
        format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = NsReader::from_str(text);
    let mut out = Cleaner::default();
    loop {
        let at = reader.buffer_position();
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("it is not well-formed XML ({e} near byte {at})"))?;
        let element_ns = svg_namespace(&ns);
        match event {
            Event::Start(e) => out.start(&e, element_ns, reader.resolver(), false)?,
            Event::Empty(e) => {
                out.start(&e, element_ns, reader.resolver(), true)?;
                if out.open.is_empty() {
                    // A self-closing root.
                    break;
                }
            }
            // `end` closes the element, and says whether it was the root.
            Event::End(_) if out.end() => break,
            Event::Text(t) => out.text(&t),
            Event::CData(c) => out.text(&c),
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(|c| Cow::Owned(c.to_string()))
                } else {
                    resolve_predefined_entity(&r).map(Cow::Borrowed)
                };
                let Some(s) = resolved else {
                    return Err(format!("it refers to the entity &{};", shorten(&r)));
                };
                out.text(&s);
            }
            Event::DocType(d) if d.contains("<!ENTITY") => {
                return Err("its DOCTYPE declares entities".to_owned());
            }
            Event::Eof => {
                return Err(if out.root_seen {
                    "it ends before its root element is closed".to_owned()
                } else {
                    "it has no root element".to_owned()
                });
            }
            // Comments, processing instructions, the declaration, a DOCTYPE.
            _ => {}
        }
        if out.markup.len() > MAX_SVG_BYTES {
            return Err(format!(
                "its cleaned copy would be over Satchel's limit of {MAX_SVG_BYTES} bytes"
            ));
        }
    }
    Ok(out.markup.into_bytes())
}

/// Is an element in the SVG namespace (or in none, as in SVG written without
/// `xmlns`)?
fn svg_namespace(ns: &ResolveResult) -> bool {
    matches!(
        ns,
        ResolveResult::Unbound | ResolveResult::Bound(Namespace(SVG_NS))
    )
}

/// The state of one pass: the copy so far and what is open.
#[derive(Default)]
struct Cleaner {
    markup: String,
    /// Names written for the open elements that are kept, innermost last.
    open: Vec<&'static str>,
    /// How deep inside a dropped element the reader is (0: not inside one).
    skipping: usize,
    /// The open elements, kept or not.
    depth: usize,
    elements: usize,
    root_seen: bool,
    /// The text of an open `<style>` element, checked when it closes.
    style: Option<String>,
}

impl Cleaner {
    fn start(
        &mut self,
        e: &BytesStart,
        in_svg_ns: bool,
        resolver: &NamespaceResolver,
        empty: bool,
    ) -> Result<(), String> {
        self.elements += 1;
        if self.elements > MAX_SVG_ELEMENTS {
            return Err(format!(
                "it has more than {MAX_SVG_ELEMENTS} elements, Satchel's limit"
            ));
        }
        if !empty {
            self.depth += 1;
            if self.depth > MAX_SVG_DEPTH {
                return Err(format!(
                    "it nests elements more than {MAX_SVG_DEPTH} deep, Satchel's limit"
                ));
            }
        }
        let local = e.local_name().into_inner();
        let root = !self.root_seen;
        if root {
            if !(in_svg_ns && local == "svg") {
                return Err(format!(
                    "its root element <{}> is not an SVG <svg>",
                    shorten(e.name().into_inner())
                ));
            }
            self.root_seen = true;
        }
        let kept = if self.skipping > 0 || self.style.is_some() || !in_svg_ns {
            None
        } else {
            element_name(local)
        };
        let attributes = match kept {
            Some(name) => clean_attributes(e, name, resolver)?,
            None => None,
        };
        let (Some(name), Some(attributes)) = (kept, attributes) else {
            if !empty {
                self.skipping += 1;
            }
            return Ok(());
        };
        let name = if name == "a" { "g" } else { name };
        self.markup.push('<');
        self.markup.push_str(name);
        if root {
            self.markup.push_str(" xmlns=\"");
            self.markup.push_str(SVG_NS);
            self.markup.push_str("\" xmlns:xlink=\"");
            self.markup.push_str(XLINK_NS);
            self.markup.push('"');
        }
        self.markup.push_str(&attributes);
        if empty {
            self.markup.push_str("/>");
        } else {
            self.markup.push('>');
            self.open.push(name);
            if name == "style" {
                self.style = Some(String::new());
            }
        }
        Ok(())
    }

    /// Closes an element; `true` when it was the root.
    fn end(&mut self) -> bool {
        self.depth = self.depth.saturating_sub(1);
        if self.skipping > 0 {
            self.skipping -= 1;
            return false;
        }
        let Some(name) = self.open.pop() else {
            return true;
        };
        if name == "style" {
            if let Some(css) = self.style.take().filter(|css| css_is_safe(css)) {
                self.markup.push_str(&partial_escape(css.as_str()));
            }
        }
        self.markup.push_str("</");
        self.markup.push_str(name);
        self.markup.push('>');
        self.open.is_empty()
    }

    fn text(&mut self, s: &str) {
        if self.skipping > 0 || self.open.is_empty() {
            return;
        }
        match &mut self.style {
            Some(css) => css.push_str(s),
            None => self.markup.push_str(&partial_escape(s)),
        }
    }
}

/// The allowed element `local`, as a `'static` name.
fn element_name(local: &str) -> Option<&'static str> {
    ELEMENTS.binary_search(&local).ok().map(|i| ELEMENTS[i])
}

/// An element's attributes as they are written in the copy (` name="value"`
/// each), or `None` when the element is to be dropped (an animation of a
/// link or an event attribute).
fn clean_attributes(
    e: &BytesStart,
    element: &'static str,
    resolver: &NamespaceResolver,
) -> Result<Option<String>, String> {
    let mut written: Vec<&'static str> = Vec::new();
    let mut markup = String::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| format!("it is not well-formed XML ({err})"))?;
        let value = unescape(&attr.value).map_err(|err| match err {
            quick_xml::escape::EscapeError::UnrecognizedEntity(_, name) => {
                format!("it refers to the entity &{};", shorten(&name))
            }
            err => format!("it is not well-formed XML ({err})"),
        })?;
        let (ns, local) = resolver.resolve_attribute(attr.key);
        let local = local.into_inner();
        let name: &'static str = match ns {
            ResolveResult::Unbound => match ATTRIBUTES.binary_search(&local) {
                Ok(i) => ATTRIBUTES[i],
                Err(_) => continue,
            },
            ResolveResult::Bound(Namespace(XLINK_NS)) if local == "href" => "xlink:href",
            ResolveResult::Bound(Namespace(XML_NS)) if local == "space" => "xml:space",
            ResolveResult::Bound(Namespace(XML_NS)) if local == "lang" => "xml:lang",
            _ => continue,
        };
        let is_link = matches!(name, "href" | "xlink:href");
        if element == "a" && (is_link || name == "type") {
            continue;
        }
        if is_link && !reference_is_safe(&value) {
            continue;
        }
        // Presentation attributes are CSS values (with CSS escapes), so
        // every value gets the CSS check.
        if !css_is_safe(&value) {
            continue;
        }
        if name == "attributeName" && ANIMATIONS.contains(&element) && !animatable(&value) {
            return Ok(None);
        }
        if written.contains(&name) {
            continue;
        }
        written.push(name);
        markup.push(' ');
        markup.push_str(name);
        markup.push_str("=\"");
        markup.push_str(&escape(value.as_ref()));
        markup.push('"');
    }
    Ok(Some(markup))
}

/// May an animation change this attribute? Only an allowed one that is not
/// a link or a style (so never an event handler or an unknown name).
fn animatable(target: &str) -> bool {
    let target = target.trim();
    let local = target.rsplit(':').next().unwrap_or(target);
    !matches!(local, "href" | "style") && ATTRIBUTES.binary_search(&target).is_ok()
}

/// Is a link target one the copy may keep: a same-document `#fragment`, or
/// a `data:` URI of a raster image?
pub(crate) fn reference_is_safe(value: &str) -> bool {
    if value.starts_with('#') {
        return true;
    }
    let lower = value.get(..20).unwrap_or(value).to_ascii_lowercase();
    DATA_IMAGES.iter().any(|prefix| {
        lower
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with([';', ',']))
    })
}

/// Is this CSS (a `<style>` element's text or an attribute value) free of
/// anything that loads from elsewhere or runs code? See the module doc.
pub(crate) fn css_is_safe(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    const REFUSED: &[&str] = &[
        "\\",
        "@import",
        "image-set(",
        "image(",
        "src(",
        "expression(",
        "-moz-binding",
        "behavior",
    ];
    if REFUSED.iter().any(|r| lower.contains(r)) {
        return false;
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let arg = rest.trim_start();
        let arg = arg
            .strip_prefix(['"', '\''])
            .unwrap_or(arg)
            .trim_start_matches(['\t', '\n', '\r', '\x0c']);
        if !reference_is_safe(arg) {
            return false;
        }
    }
    true
}

/// `s`, cut to at most 40 characters for a message.
fn shorten(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(40) {
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
        None => Cow::Borrowed(s),
    }
}

/// Adds an image to a badge's files as `<stem>.<ext>`: an SVG only as its
/// cleaned copy (and then its path goes into `cleaned`), anything else as it
/// is. Returns the path, or `None` with a warning when an SVG cannot be
/// cleaned (the image is then left out).
pub(crate) fn add_image(
    files: &mut Vec<(PathBuf, Vec<u8>)>,
    cleaned: &mut Vec<String>,
    warnings: &mut Vec<String>,
    stem: &str,
    (ext, bytes): (&str, &[u8]),
) -> Option<String> {
    let rel = format!("{stem}.{ext}");
    let bytes = if ext == "svg" {
        match clean_svg(bytes) {
            Ok(clean) => {
                cleaned.push(rel.clone());
                clean
            }
            Err(why) => {
                warnings.push(format!(
                    "{rel} is left out: the SVG image could not be cleaned of scripts and outside references because {why}"
                ));
                return None;
            }
        }
    } else {
        bytes.to_vec()
    };
    files.push((PathBuf::from(&rel), bytes));
    Some(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(svg: &str) -> String {
        String::from_utf8(clean_svg(svg.as_bytes()).unwrap()).unwrap()
    }

    fn wrap(inner: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{inner}</svg>"#
        )
    }

    const ROOT: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">"#;

    #[test]
    fn the_allow_lists_are_sorted_for_binary_search() {
        assert!(ELEMENTS.is_sorted());
        assert!(ATTRIBUTES.is_sorted());
    }

    #[test]
    fn a_plain_drawing_is_kept() {
        let svg = wrap(
            r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#f00"/></linearGradient></defs><circle cx="5" cy="5" r="4" fill="url(#g)" style="stroke: blue; fill: url('#g')"/><text x="1" y="9">A &amp; B &#65;</text>"##,
        );
        let expected = svg.replace("&#65;", "A").replace("'#g'", "&apos;#g&apos;");
        assert_eq!(clean(&svg), expected);
    }

    #[test]
    fn scripts_handlers_and_foreign_content_are_dropped() {
        let out = clean(&wrap(
            r#"<script>alert(1)</script><rect onload="alert(1)" onclick="x()" width="1"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(2)</script></div></foreignObject><svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(3)</svg:script><handler>alert(4)</handler>"#,
        ));
        assert_eq!(out, format!(r#"{ROOT}<rect width="1"/></svg>"#));
        // Also on the root, and with the handler's name in capitals.
        let out =
            clean(r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)" ONLOAD="x"/>"#);
        assert!(!out.to_lowercase().contains("onload"), "{out}");
    }

    #[test]
    fn links_keep_their_content_and_lose_their_target() {
        let out = clean(&wrap(
            r#"<a xlink:href="javascript:alert(1)" target="_top"><text>hi</text></a><a href="https://example.org/"><rect width="1"/></a>"#,
        ));
        assert_eq!(
            out,
            format!(r#"{ROOT}<g><text>hi</text></g><g><rect width="1"/></g></svg>"#)
        );
    }

    #[test]
    fn only_fragments_and_raster_data_uris_are_referenced() {
        let out = clean(&wrap(
            r##"<image href="http://127.0.0.1:1/x.png" width="1"/><image xlink:href="data:image/png;base64,AAAA"/><image href="data:image/svg+xml,&lt;svg/>"/><use href="http://127.0.0.1:1/a.svg#x"/><use xlink:href="#x"/><use href=" #x"/><feImage href="//evil/x"/><image href="DATA:image/gif,x"/>"##,
        ));
        assert_eq!(
            out,
            format!(
                r##"{ROOT}<image width="1"/><image xlink:href="data:image/png;base64,AAAA"/><image/><use/><use xlink:href="#x"/><use/><feImage/><image href="DATA:image/gif,x"/></svg>"##
            )
        );
    }

    #[test]
    fn css_reaching_outside_is_dropped() {
        for css in [
            "fill: url(http://127.0.0.1:1/p)",
            "fill: url( 'https://x/' )",
            "fill: URL(//x/y)",
            "background-image: image-set('http://x/' 1x)",
            "@import 'http://x/a.css'",
            "fill: u\\72l(http://x)",
            "behavior: url(x.htc)",
            "fill: url(data:image/svg+xml,x)",
        ] {
            assert!(!css_is_safe(css), "{css}");
            let out = clean(&wrap(&format!(
                r#"<style>rect {{ {css} }}</style><rect style="{css}" fill="{css}" width="1"/>"#
            )));
            assert_eq!(
                out,
                format!(r#"{ROOT}<style></style><rect width="1"/></svg>"#),
                "{css}"
            );
        }
        let out = clean(&wrap(
            r##"<style><![CDATA[rect { fill: url(#g) } a > b { stroke: red }]]></style>"##,
        ));
        assert!(
            out.contains("<style>rect { fill: url(#g) } a &gt; b { stroke: red }</style>"),
            "{out}"
        );
    }

    #[test]
    fn animations_of_links_or_handlers_are_dropped() {
        let out = clean(&wrap(
            r#"<a><set attributeName="href" to="javascript:alert(1)"/><animate attributeName="xlink:href" values="javascript:alert(1)"/><set attributeName="onclick" to="alert(1)"/><set attributeName="style" to="x"/><animate attributeName="fill" values="url(http://x/p);red"/><animate attributeName="opacity" from="0" to="1" dur="1s"/></a>"#,
        ));
        assert_eq!(
            out,
            format!(
                r#"{ROOT}<g><animate attributeName="fill"/><animate attributeName="opacity" from="0" to="1" dur="1s"/></g></svg>"#
            )
        );
    }

    #[test]
    fn prologue_comments_and_foreign_namespaces_are_dropped() {
        let out = clean(
            r#"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><?xml-stylesheet href="http://x/a.css"?>
<!-- hi --><svg xmlns="http://www.w3.org/2000/svg" xmlns:ob="http://openbadges.org" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:version="1" xml:base="http://x/" xml:space="preserve"><ob:assertion verify="https://x/a"><![CDATA[{"a":1}]]></ob:assertion><inkscape:thing/><rect width="1"/></svg>"#,
        );
        assert_eq!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xml:space="preserve"><rect width="1"/></svg>"#
        );
    }

    #[test]
    fn an_svg_without_a_namespace_gets_one() {
        assert_eq!(
            clean(r#"<svg width="1"><rect/></svg>"#),
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1"><rect/></svg>"#
        );
    }

    #[test]
    fn bad_and_hostile_documents_are_refused_with_a_reason() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "no root element"),
            (b"not xml", "no root element"),
            (b"<html><script/></html>", "not an SVG"),
            (
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><g>",
                "ends before",
            ),
            (b"<svg><g></svg>", "not well-formed"),
            (b"<svg>\xff</svg>", "not UTF-8"),
            (
                b"<!DOCTYPE svg [<!ENTITY a \"aaaa\">]><svg>&a;</svg>",
                "declares entities",
            ),
            (b"<svg><text>&a;</text></svg>", "entity &a;"),
            (b"<svg><rect fill=\"&a;\"/></svg>", "entity &a;"),
        ];
        for (svg, why) in cases {
            let err = refused(svg);
            assert!(err.contains(why), "{err}");
            assert!(!err.contains('\n') && !err.ends_with('.'), "{err}");
        }
    }

    /// Why `svg` is refused (without printing a huge copy when it is not).
    fn refused(svg: &[u8]) -> String {
        match clean_svg(svg) {
            Ok(out) => panic!("cleaned into {} bytes instead of refused", out.len()),
            Err(why) => why,
        }
    }

    #[test]
    fn caps_bound_the_work() {
        let deep = format!("<svg>{}", "<g>".repeat(MAX_SVG_DEPTH + 1));
        assert!(refused(deep.as_bytes()).contains("deep"));
        let many = format!("<svg>{}</svg>", "<g/>".repeat(MAX_SVG_ELEMENTS + 1));
        assert!(refused(many.as_bytes()).contains("more than"));
        let big = vec![b' '; MAX_SVG_BYTES + 1];
        assert!(refused(&big).contains("limit"));
        // Escaping cannot grow the copy past the cap either.
        let wide = format!("<svg><text>{}</text></svg>", ">".repeat(MAX_SVG_BYTES / 2));
        assert!(refused(wide.as_bytes()).contains("limit"));
    }
}
