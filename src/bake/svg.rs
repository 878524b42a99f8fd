//! SVG baking: the payload lives in one element of a badge namespace.
//!
//! Both directions share one streaming, namespace-aware pass over the document
//! ([`scan`], built on quick-xml's `NsReader`). It never loads a DTD or an
//! external entity and never expands a custom entity: a DOCTYPE that declares
//! entities, or a reference to an entity XML does not predefine, is refused
//! with [`BakeError::UnsafeSvg`]. A DOCTYPE without entity declarations (the
//! official OB 3.0 samples carry one) is ignored with a warning. The caps in
//! [`crate::limits`] bound the input size, element count, nesting depth and
//! payload size.
//!
//! Baking edits byte ranges of the original document: it removes every badge
//! element, adds a namespace declaration to the root start tag and inserts the
//! new element right after that tag. Every other byte is kept as it was.

use std::borrow::Cow;
use std::ops::Range;

use quick_xml::escape::{unescape, EscapeError};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::{Namespace, PrefixDeclaration, QName, ResolveResult};
use quick_xml::reader::{NsReader, Reader};

use super::{too_large_payload, BakeError, ImageFormat, Slot, Unbaked};
use crate::limits::{MAX_PAYLOAD_BYTES, MAX_SVG_BYTES, MAX_SVG_DEPTH, MAX_SVG_ELEMENTS};

/// The SVG namespace.
const SVG_NS: &str = "http://www.w3.org/2000/svg";
/// The UTF-8 byte-order mark.
const BOM: &str = "\u{feff}";
/// The warning for scripts, event-handler attributes and `javascript:` links.
const SCRIPT_WARNING: &str = "the SVG contains a script; Satchel never runs it";
/// The warning for a DOCTYPE without entity declarations.
const DOCTYPE_WARNING: &str = "the SVG has a DOCTYPE, which Satchel ignored (no DTD was loaded)";

/// Cheap sniff: after an optional UTF-8 BOM and whitespace, the first byte is `<`.
pub(crate) fn looks_like_xml(bytes: &[u8]) -> bool {
    let t = bytes.strip_prefix(BOM.as_bytes()).unwrap_or(bytes);
    t.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<')
}

/// Is the root element of this XML document `svg` (in the SVG namespace, or
/// in no namespace)? Skips the XML declaration, comments, processing
/// instructions and a DOCTYPE, and stops reading at the root start tag, so a
/// long prologue is no problem and a large document costs nothing more.
pub(crate) fn root_is_svg(bytes: &[u8]) -> bool {
    let mut reader = NsReader::from_reader(bytes);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let (ns, local) = reader.resolver().resolve_element(e.name());
                return is_svg_root(&ns, local.into_inner());
            }
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_)) => {}
            Ok(Event::Text(t)) if is_blank(&t) => {}
            _ => return false,
        }
    }
}

/// Extracts the badge payload from an SVG document.
///
/// The first element named `assertion` in `http://openbadges.org`, or
/// `credential` in the OB 3.0 or CLR 2.0 namespace, is read (any prefix, or a
/// default namespace). The choice between its text and its `verify` attribute
/// is made by content: a body that is not blank is the payload (CDATA kept
/// exactly as embedded, plain text with XML's predefined entities and
/// character references resolved) and the attribute is reported in
/// [`Unbaked::verify_attribute`]; an empty body means the `verify` attribute
/// is the payload.
///
/// Returns `Ok(None)` for a well-formed SVG without a badge element.
///
/// # Errors
///
/// [`BakeError::BadSvg`] for a document that is not well-formed UTF-8 XML
/// with an `svg` root, [`BakeError::UnsafeSvg`] for entity declarations or
/// custom entity references, [`BakeError::TooLarge`] past a cap.
pub fn unbake_svg(svg: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    unbake_svg_in(svg, Extent::FirstBadge)
}

/// Like [`unbake_svg`], but parses and checks the whole document, so damage
/// anywhere is an error and the warnings cover everything after the badge
/// element too (scripts, further badge elements). What `inspect` uses.
pub fn unbake_svg_full(svg: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    unbake_svg_in(svg, Extent::Whole)
}

fn unbake_svg_in(svg: &[u8], extent: Extent) -> Result<Option<Unbaked>, BakeError> {
    let scan = scan(svg, extent)?;
    let Some(first) = scan.first else {
        return Ok(None);
    };
    let mut warnings = scan.warnings;
    let mut location = format!(
        "<{}> element (namespace {})",
        first.qname,
        first.slot.svg_namespace()
    );
    let body = scan.body.finish()?;
    let (payload, verify_attribute) = if !super::trim_text(&body).is_empty() {
        if let Some(verify) = &first.verify {
            // Bakers often write the same JWS or URL in both places.
            if body.trim() != verify.trim() && !looks_usable(&body) && looks_usable(verify) {
                warnings.push(format!(
                    "the text of the badge element is not JSON, a JWS or a URL; \
                     its verify attribute ({}) was not used",
                    shorten(verify)
                ));
            }
        }
        (body, first.verify)
    } else if let Some(verify) = first.verify {
        if verify.len() > MAX_PAYLOAD_BYTES {
            return Err(too_large_payload(verify.len()));
        }
        location.push_str(", verify attribute");
        (verify, None)
    } else {
        warnings.push("the badge element has no text and no verify attribute".to_owned());
        (body, None)
    };
    Ok(Some(Unbaked {
        format: ImageFormat::Svg,
        slot: first.slot,
        payload,
        location,
        verify_attribute,
        warnings,
    }))
}

/// Bakes `payload` into an SVG document and returns the new document.
///
/// Every existing badge element (of any slot, with any prefix) is removed, the
/// root start tag gains a namespace declaration for `slot` if it lacks one, and
/// the new element becomes the root's first child. A JSON payload goes into a
/// CDATA body (OB 1.x/2.0 also get `verify` = the hosted URL from `id` or
/// `verify.url` when it is http(s)); any other payload (a JWS or URL) goes into
/// the `verify` attribute of an empty element. All other bytes are unchanged.
/// The result is read back and compared with `payload` before it is returned.
///
/// # Errors
///
/// Those of [`unbake_svg`] for the input document, and
/// [`BakeError::TooLarge`] for a payload or result past a cap.
pub fn bake_svg(svg: &[u8], payload: &str, slot: Slot) -> Result<Vec<u8>, BakeError> {
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(too_large_payload(payload.len()));
    }
    let scan = scan(svg, Extent::Whole)?;
    let root = &scan.root;
    let (prefix, declare) = choose_prefix(&root.bindings, slot);
    let element = badge_element(&prefix, payload, slot);

    // Offsets come from the parser; `get` keeps a mistake an error, not a panic.
    let lost = || BakeError::BadSvg("its markup could not be edited safely".to_owned());
    // The root start tag without its closing `>` or `/>`, split before any
    // whitespace that precedes the close so the declaration follows the last
    // attribute.
    let close: &[u8] = if root.self_closing { b"/>" } else { b">" };
    let inner = svg
        .get(root.tag.clone())
        .and_then(|t| t.strip_suffix(close))
        .ok_or_else(lost)?;
    let attrs_end = inner
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |p| p + 1);

    let mut out = Vec::with_capacity(svg.len() + element.len() + 96);
    out.extend_from_slice(svg.get(..root.tag.start).ok_or_else(lost)?);
    out.extend_from_slice(&inner[..attrs_end]);
    if declare {
        out.extend_from_slice(format!(" xmlns:{prefix}=\"{}\"", slot.svg_namespace()).as_bytes());
    }
    out.extend_from_slice(&inner[attrs_end..]);
    out.push(b'>');
    out.extend_from_slice(element.as_bytes());
    if root.self_closing {
        out.extend_from_slice(format!("</{}>", root.qname).as_bytes());
    }
    // The rest of the document, without the old badge elements.
    let mut pos = root.tag.end;
    for range in scan.badges.iter().chain([&(svg.len()..svg.len())]) {
        out.extend_from_slice(svg.get(pos..range.start).ok_or_else(lost)?);
        pos = range.end;
    }

    if out.len() > MAX_SVG_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the baked SVG would be {} bytes, over Satchel's limit of {MAX_SVG_BYTES} bytes",
            out.len()
        )));
    }
    // Self-check (reference §2.6 step 5): the new document must read back.
    match unbake_svg(&out)? {
        Some(u) if u.payload == payload && u.slot == slot => Ok(out),
        _ => Err(BakeError::BadSvg(
            "the baked SVG did not read back the same payload".to_owned(),
        )),
    }
}

/// What one pass over a document found.
struct Scan {
    /// The root element's start tag.
    root: Root,
    /// Byte ranges of the outermost badge elements, in document order.
    badges: Vec<Range<usize>>,
    /// The first badge element.
    first: Option<FirstBadge>,
    /// The text and CDATA children of the first badge element.
    body: Body,
    /// Findings that do not stop reading.
    warnings: Vec<String>,
    /// Whether parsing stopped after the first badge element ([`Extent::FirstBadge`]).
    stopped_early: bool,
}

/// The root element's start tag.
struct Root {
    /// Byte range of the start tag, `<` to `>` inclusive.
    tag: Range<usize>,
    /// Whether the root is written `<svg .../>`.
    self_closing: bool,
    /// The root's qualified name as written (`svg`, `svg:svg` ...).
    qname: String,
    /// Prefix declarations (`xmlns:p="ns"`) on the root start tag.
    bindings: Vec<(String, String)>,
}

/// The first badge element of a document.
struct FirstBadge {
    slot: Slot,
    /// Its qualified name as written (`openbadges:assertion` ...).
    qname: String,
    /// Its `verify` attribute, entity references resolved.
    verify: Option<String>,
}

/// The text and CDATA children of the first badge element, in order, each
/// copied once, collected up to the payload cap (only the lengths grow past it).
#[derive(Default)]
struct Body {
    /// The pieces and whether each is CDATA.
    pieces: Vec<(String, bool)>,
    /// Length of all text and CDATA content.
    all_len: usize,
    /// Length of the CDATA content only.
    cdata_len: usize,
    /// Whether some text outside CDATA sections is not whitespace.
    text_outside_cdata: bool,
}

impl Body {
    fn push(&mut self, s: &str, is_cdata: bool) {
        self.all_len = self.all_len.saturating_add(s.len());
        if is_cdata {
            self.cdata_len = self.cdata_len.saturating_add(s.len());
        } else if !is_blank(s) {
            self.text_outside_cdata = true;
        }
        let within = if is_cdata {
            self.cdata_len
        } else {
            self.all_len
        };
        if within <= MAX_PAYLOAD_BYTES {
            self.pieces.push((s.to_owned(), is_cdata));
        }
    }

    /// The payload: the CDATA content, exactly, when only whitespace is
    /// outside the CDATA sections (a blank body is blank either way),
    /// otherwise all the text.
    fn finish(self) -> Result<String, BakeError> {
        let all = self.text_outside_cdata;
        let len = if all { self.all_len } else { self.cdata_len };
        if len > MAX_PAYLOAD_BYTES {
            return Err(too_large_payload(len));
        }
        let mut chosen = self
            .pieces
            .into_iter()
            .filter(|(_, cdata)| all || *cdata)
            .map(|(p, _)| p);
        let first = chosen.next().unwrap_or_default();
        Ok(chosen.fold(first, |mut acc, p| {
            acc.push_str(&p);
            acc
        }))
    }
}

/// How much of a document [`scan`] parses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extent {
    /// Every byte: baking needs every badge element's range.
    Whole,
    /// Up to the end of the first badge element, when the rest of the document
    /// ends with the root's end tag. Extraction needs no more, and bakers put
    /// the badge element first, so this reads a fraction of a large SVG; the
    /// rest is neither parsed nor checked (no warnings about it). A rest that
    /// does not end properly is parsed in full, so errors stay precise.
    FirstBadge,
}

/// One checked pass over `svg`: size and UTF-8 checks, well-formedness,
/// caps, entity safety, the root, all badge elements and the first one's content.
fn scan(svg: &[u8], extent: Extent) -> Result<Scan, BakeError> {
    if svg.len() > MAX_SVG_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the SVG is {} bytes, over Satchel's limit of {MAX_SVG_BYTES} bytes",
            svg.len()
        )));
    }
    if extent == Extent::FirstBadge {
        // Parse only up to the first end tag of a badge element (bakers put
        // the badge first): neither the rest's UTF-8 nor its markup is read.
        // Anything unexpected falls through to the careful path below.
        // The first of either end-tag word; the second word is only looked
        // for before the first one, so an OB 2.0 file costs one short search.
        // The first `>` that closes a name ending in `assertion` or
        // `credential` (the badge element's end tag, or a self-closing one):
        // one memchr pass over `>`, which is rare in a badge's base64 and JSON.
        let close = memchr::memchr_iter(b'>', svg)
            .find(|&i| {
                let tag = svg[..i].strip_suffix(b"/").unwrap_or(&svg[..i]);
                let name_end = tag
                    .iter()
                    .rposition(|b| !b.is_ascii_whitespace())
                    .map_or(0, |p| p + 1);
                let name = &tag[..name_end];
                name.ends_with(b"assertion") || name.ends_with(b"credential")
            })
            .map(|i| i + 1);
        if let Some(prefix) = close.and_then(|cut| std::str::from_utf8(&svg[..cut]).ok()) {
            if let Ok(found) = scan_in(svg, prefix, extent) {
                if found.stopped_early {
                    return Ok(found);
                }
            }
        }
    }
    let text = std::str::from_utf8(svg).map_err(|e| {
        BakeError::BadSvg(format!(
            "it is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    scan_in(svg, text, extent)
}

/// [`scan`] over `text`, which is all of `svg` or, for
/// [`Extent::FirstBadge`], a prefix of it that should hold the first badge element.
fn scan_in(svg: &[u8], text: &str, extent: Extent) -> Result<Scan, BakeError> {
    // quick-xml drops a BOM without counting it in its offsets, so drop it here.
    let base = if text.starts_with(BOM) { BOM.len() } else { 0 };
    // A plain reader plus Satchel's own namespace scopes: the attributes of
    // each start tag are split once (with memchr) and serve both the
    // namespace declarations and the badge checks.
    let mut reader = Reader::from_str(&text[base..]);
    let mut scopes = Scopes::default();

    let mut root: Option<Root> = None;
    let mut root_closed = false;
    let mut depth = 0usize;
    let mut elements = 0usize;
    let mut badges = Vec::new();
    let mut badge_count = 0usize;
    // The outermost open badge element: (its depth, the offset of its `<`).
    let mut open_badge: Option<(usize, usize)> = None;
    let mut first: Option<FirstBadge> = None;
    // The depth of the first badge element while it is open, and its content.
    let mut first_open: Option<usize> = None;
    let mut body = Body::default();
    let mut warnings = Vec::new();
    let mut stopped_at: Option<usize> = None;

    loop {
        let start = base + offset(reader.buffer_position());
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(e) => return Err(bad_xml(&e, base + offset(reader.error_position()))),
        };
        let end = base + offset(reader.buffer_position());
        if let Some((data, is_cdata)) = character_data(&event, start)? {
            if depth == 0 && !(matches!(event, Event::Text(_)) && is_blank(&data)) {
                return Err(BakeError::BadSvg(format!(
                    "there is text outside the root element at byte {start}"
                )));
            }
            if first_open == Some(depth) {
                body.push(&data, is_cdata);
            }
            continue;
        }
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                elements += 1;
                if elements > MAX_SVG_ELEMENTS {
                    return Err(BakeError::TooLarge(format!(
                        "the SVG has more than {MAX_SVG_ELEMENTS} elements, Satchel's limit"
                    )));
                }
                if root_closed {
                    return Err(BakeError::BadSvg(format!(
                        "there is a second root element <{}> at byte {start}",
                        e.name().into_inner()
                    )));
                }
                let qname = e.name().into_inner();
                let attributes = attributes_of(e, start)?;
                scopes.push(&attributes, start)?;
                let ns = scopes.resolve(qname, true);
                let local = e.name().local_name().into_inner();
                if root.is_none() {
                    if local != "svg" {
                        return Err(BakeError::BadSvg(format!(
                            "the root element is <{qname}>, not <svg>"
                        )));
                    }
                    if !is_svg_root(&ns, local) {
                        return Err(BakeError::BadSvg(format!(
                            "the root element <{qname}> is not in the SVG namespace"
                        )));
                    }
                    root = Some(Root {
                        tag: start..end,
                        self_closing: empty,
                        qname: qname.to_owned(),
                        bindings: namespace_bindings(e),
                    });
                }
                let slot = badge_slot(&ns, local);
                let (script, verify) = read_attributes(&attributes, &scopes, slot, start)?;
                if empty {
                    scopes.pop();
                }
                if script || local == "script" {
                    add_once(&mut warnings, SCRIPT_WARNING);
                }
                if !empty {
                    depth += 1;
                    if depth > MAX_SVG_DEPTH {
                        return Err(BakeError::TooLarge(format!(
                            "the SVG nests elements more than {MAX_SVG_DEPTH} deep, Satchel's limit"
                        )));
                    }
                }
                if let Some(slot) = slot {
                    badge_count += 1;
                    if first.is_none() {
                        let qname = qname.to_owned();
                        first = Some(FirstBadge {
                            slot,
                            qname,
                            verify,
                        });
                        first_open = (!empty).then_some(depth);
                    }
                    if open_badge.is_none() {
                        if empty {
                            badges.push(start..end);
                        } else {
                            open_badge = Some((depth, start));
                        }
                    }
                }
                if empty && depth == 0 {
                    root_closed = true;
                }
                if empty && slot.is_some() && badge_count == 1 && extent == Extent::FirstBadge {
                    stopped_at = Some(end);
                    break;
                }
            }
            Event::End(_) => {
                scopes.pop();
                if let Some((_, start)) = open_badge.take_if(|o| o.0 == depth) {
                    badges.push(start..end);
                }
                if first_open == Some(depth) {
                    first_open = None;
                    if extent == Extent::FirstBadge {
                        stopped_at = Some(end);
                        break;
                    }
                }
                depth = depth.saturating_sub(1);
                root_closed = depth == 0;
            }
            Event::DocType(ref d) => {
                if d.contains("<!ENTITY") {
                    return Err(BakeError::UnsafeSvg(
                        "a DTD that declares entities".to_owned(),
                    ));
                }
                add_once(&mut warnings, DOCTYPE_WARNING);
            }
            Event::Eof => break,
            _ => {}
        }
    }

    let Some(root) = root else {
        return Err(BakeError::BadSvg("there is no root element".to_owned()));
    };
    if let Some(stop) = stopped_at {
        let rest = svg.get(stop..).unwrap_or_default();
        let root_end = format!("</{}>", root.qname);
        if !rest.trim_ascii_end().ends_with(root_end.as_bytes()) {
            return scan(svg, Extent::Whole);
        }
        return Ok(Scan {
            root,
            badges,
            first,
            body,
            warnings,
            stopped_early: true,
        });
    }
    if depth > 0 {
        return Err(BakeError::BadSvg(format!(
            "the document ends at byte {} before <{}> is closed (the file may be truncated)",
            svg.len(),
            root.qname
        )));
    }
    if badge_count > 1 {
        warnings.push(format!(
            "the SVG contains {badge_count} badge elements; only the first was read"
        ));
    }
    Ok(Scan {
        root,
        badges,
        first,
        body,
        warnings,
        stopped_early: false,
    })
}

/// Does badge text look like JSON, a compact JWS or an http(s) URL? A cheap
/// test of shape only: the payload classifier decides for real.
fn looks_usable(text: &str) -> bool {
    let t = super::trim_text(text);
    t.starts_with('{') || crate::jws::has_compact_shape(t) || super::is_http_url(t)
}

fn offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

fn add_once(warnings: &mut Vec<String>, warning: &str) {
    if !warnings.iter().any(|w| w == warning) {
        warnings.push(warning.to_owned());
    }
}

/// Is `(ns, local)` an SVG root: local name `svg`, in the SVG namespace or in none?
fn is_svg_root(ns: &ResolveResult, local: &str) -> bool {
    local == "svg"
        && matches!(
            ns,
            ResolveResult::Unbound | ResolveResult::Bound(Namespace(SVG_NS))
        )
}

/// The slot whose element `(ns, local)` is, if it is a badge element.
fn badge_slot(ns: &ResolveResult, local: &str) -> Option<Slot> {
    let ResolveResult::Bound(Namespace(ns)) = ns else {
        return None;
    };
    Slot::ALL
        .into_iter()
        .find(|s| s.svg_namespace() == *ns && s.svg_element() == local)
}

/// Reads an element's attributes: refuses syntax errors and custom entities,
/// tells whether one is script (an `on*` event handler or a `javascript:`
/// URL) and, for a badge element of `slot`, returns its `verify` attribute
/// (unprefixed or in the badge namespace) with references resolved.
fn read_attributes(
    pairs: &[(QName<'_>, Cow<'_, str>)],
    scopes: &Scopes,
    slot: Option<Slot>,
    at: usize,
) -> Result<(bool, Option<String>), BakeError> {
    let (mut script, mut verify) = (false, None);
    for (key, raw) in pairs {
        let value = unescape_value(raw, at)?;
        let local = key.local_name().into_inner();
        let on = local.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on")) && local.len() > 2;
        let js = value
            .trim_start()
            .get(..11)
            .is_some_and(|p| p.eq_ignore_ascii_case("javascript:"));
        script |= on || js;
        let Some(slot) = slot.filter(|_| local == "verify" && verify.is_none()) else {
            continue;
        };
        let in_badge_ns = match scopes.resolve(key.into_inner(), false) {
            ResolveResult::Unbound => true,
            ResolveResult::Bound(Namespace(ns)) => ns == slot.svg_namespace(),
            ResolveResult::Unknown(_) => false,
        };
        if in_badge_ns {
            verify = Some(value.into_owned());
        }
    }
    Ok((script, verify))
}

/// A start tag's attributes: split with memchr when plainly well formed,
/// otherwise through quick-xml's checking iterator (which reports the error).
fn attributes_of<'e>(
    e: &'e BytesStart,
    at: usize,
) -> Result<Vec<(QName<'e>, Cow<'e, str>)>, BakeError> {
    match split_attributes(e.attributes_raw()) {
        Some(pairs) => Ok(pairs
            .into_iter()
            .map(|(k, v)| (QName(k), Cow::Borrowed(v)))
            .collect()),
        None => e
            .attributes()
            .map(|a| {
                a.map(|a| (a.key, a.value))
                    .map_err(|err| bad_attribute(&err, at))
            })
            .collect(),
    }
}

/// The namespace declarations in scope, innermost last: one frame per open
/// element (Satchel's own, so attributes are split only once per tag).
#[derive(Default)]
struct Scopes {
    /// `(prefix, namespace)`; the prefix is empty for a default namespace.
    bindings: Vec<(String, String)>,
    /// Where each open element's declarations start in `bindings`.
    frames: Vec<usize>,
}

impl Scopes {
    /// Opens an element's scope with its `xmlns` / `xmlns:p` declarations.
    fn push(
        &mut self,
        attributes: &[(QName<'_>, Cow<'_, str>)],
        at: usize,
    ) -> Result<(), BakeError> {
        self.frames.push(self.bindings.len());
        for (key, value) in attributes {
            let name = key.into_inner();
            let prefix = match name.strip_prefix("xmlns") {
                Some("") => "",
                Some(rest) => match rest.strip_prefix(':') {
                    Some(p) if !p.is_empty() => p,
                    _ => continue,
                },
                None => continue,
            };
            self.bindings
                .push((prefix.to_owned(), unescape_value(value, at)?.into_owned()));
        }
        Ok(())
    }

    /// Closes the innermost element's scope.
    fn pop(&mut self) {
        if let Some(start) = self.frames.pop() {
            self.bindings.truncate(start);
        }
    }

    /// Resolves a qualified name: an element without a prefix takes the
    /// default namespace, an attribute without one has none.
    fn resolve<'s>(&'s self, qname: &str, element: bool) -> ResolveResult<'s> {
        let prefix = match qname.split_once(':') {
            Some((p, _)) => p,
            None if element => "",
            None => return ResolveResult::Unbound,
        };
        if prefix == "xml" {
            return ResolveResult::Bound(Namespace("http://www.w3.org/XML/1998/namespace"));
        }
        match self.bindings.iter().rev().find(|(p, _)| p == prefix) {
            Some((_, ns)) if ns.is_empty() => ResolveResult::Unbound,
            Some((_, ns)) => ResolveResult::Bound(Namespace(ns)),
            None if prefix.is_empty() => ResolveResult::Unbound,
            None => ResolveResult::Unknown(prefix.to_owned()),
        }
    }
}

/// Splits a start tag's attribute text (`a="1" b='2'`) into name/value pairs
/// with memchr. `None` for anything that is not plainly well formed (a
/// missing quote or `=`, `<` in a value, a repeated name), so the caller
/// falls back to quick-xml's checking iterator and its precise error.
fn split_attributes(raw: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = raw.as_bytes();
    let skip_ws = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut i = skip_ws(0);
    while i < bytes.len() {
        let start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'=')
        {
            i += 1;
        }
        let name = raw.get(start..i)?;
        i = skip_ws(i);
        if name.is_empty() || bytes.get(i) != Some(&b'=') {
            return None;
        }
        i = skip_ws(i + 1);
        let quote = *bytes.get(i).filter(|q| **q == b'"' || **q == b'\'')?;
        let len = memchr::memchr(quote, &bytes[i + 1..])?;
        let value = raw.get(i + 1..i + 1 + len)?;
        if value.contains('<') || pairs.iter().any(|(n, _)| *n == name) {
            return None;
        }
        pairs.push((name, value));
        i += len + 2;
        if bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
            return None;
        }
        i = skip_ws(i);
    }
    Some(pairs)
}

/// The `xmlns:prefix="namespace"` declarations of a start tag.
fn namespace_bindings(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .filter_map(|a| match a.key.as_namespace_binding() {
            Some(PrefixDeclaration::Named(prefix)) => {
                let ns = unescape(&a.value).map_or_else(|_| a.value.to_string(), Cow::into_owned);
                Some((prefix.to_owned(), ns))
            }
            _ => None,
        })
        .collect()
}

/// Resolves XML's five predefined entities and character references;
/// anything else is a custom entity, which is refused.
fn unescape_value(raw: &str, at: usize) -> Result<Cow<'_, str>, BakeError> {
    unescape(raw).map_err(|e| match e {
        EscapeError::UnrecognizedEntity(_, name) => custom_entity(&name),
        e => BakeError::BadSvg(format!("{e} in an attribute at byte {at}")),
    })
}

/// The text of a text, CDATA or reference event, and whether it is CDATA.
fn character_data<'a>(
    event: &'a Event,
    at: usize,
) -> Result<Option<(Cow<'a, str>, bool)>, BakeError> {
    Ok(match event {
        Event::Text(t) => Some((Cow::Borrowed(&**t), false)),
        Event::CData(c) => Some((Cow::Borrowed(&**c), true)),
        Event::GeneralRef(r) => Some((resolve_reference(r, at)?, false)),
        _ => None,
    })
}

/// The text a reference in character data stands for.
fn resolve_reference(r: &BytesRef, at: usize) -> Result<Cow<'static, str>, BakeError> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(Cow::Owned(c.to_string())),
            Ok(None) | Err(_) => Err(BakeError::BadSvg(format!(
                "the character reference &{}; at byte {at} is invalid",
                &**r
            ))),
        };
    }
    Ok(Cow::Borrowed(match &**r {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        name => return Err(custom_entity(name)),
    }))
}

fn custom_entity(name: &str) -> BakeError {
    BakeError::UnsafeSvg(format!("the custom entity &{};", shorten(name)))
}

/// An attribute syntax error; `at` is the offset of the tag's `<`, and
/// quick-xml counts from the byte after it.
fn bad_attribute(e: &AttrError, at: usize) -> BakeError {
    let (what, pos) = match *e {
        AttrError::ExpectedEq(p) => ("an attribute name is not followed by `=`", p),
        AttrError::ExpectedValue(p) => ("an `=` is not followed by an attribute value", p),
        AttrError::UnquotedValue(p) => ("an attribute value is not in quotes", p),
        AttrError::ExpectedQuote(p, _) => ("an attribute value has no closing quote", p),
        AttrError::Duplicated(p, _) => ("an attribute appears twice in one tag", p),
    };
    BakeError::BadSvg(format!(
        "{what} at byte {}",
        at.saturating_add(1).saturating_add(pos)
    ))
}

fn bad_xml(e: &quick_xml::Error, at: usize) -> BakeError {
    BakeError::BadSvg(format!("{e} at byte {at}"))
}

/// Is `s` only XML whitespace?
fn is_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// `s`, cut to at most 80 characters for a message.
fn shorten(s: &str) -> Cow<'_, str> {
    match s.char_indices().nth(80) {
        Some((i, _)) => Cow::Owned(format!("{}…", &s[..i])),
        None => Cow::Borrowed(s),
    }
}

/// The prefix to write the badge element with, and whether the root start
/// tag still needs to declare it. `openbadges` unless the root binds it to
/// another namespace; then `openbadges2`/`openbadges3`/`clr`, then numbered.
fn choose_prefix(bindings: &[(String, String)], slot: Slot) -> (String, bool) {
    let alternative = match slot {
        Slot::OpenBadges => "openbadges2",
        Slot::OpenBadgeCredential => "openbadges3",
        Slot::ClrCredential => "clr",
    };
    ["openbadges".to_owned(), alternative.to_owned()]
        .into_iter()
        .chain((4u32..).map(|n| format!("openbadges{n}")))
        .find_map(|prefix| match bindings.iter().find(|(p, _)| *p == prefix) {
            None => Some((prefix, true)),
            Some((_, ns)) => (ns == slot.svg_namespace()).then_some((prefix, false)),
        })
        .unwrap_or_else(|| ("openbadges".to_owned(), true))
}

/// The badge element's markup.
fn badge_element(prefix: &str, payload: &str, slot: Slot) -> String {
    let name = format!("{prefix}:{}", slot.svg_element());
    if !super::trim_text(payload).starts_with('{') {
        return format!("<{name} verify=\"{}\"/>", escape_attribute(payload));
    }
    let url = if slot == Slot::OpenBadges {
        hosted_url(payload)
    } else {
        None
    };
    let verify = url.map_or(String::new(), |u| {
        format!(" verify=\"{}\"", escape_attribute(&u))
    });
    let body = payload.replace("]]>", "]]]]><![CDATA[>");
    format!("<{name}{verify}><![CDATA[{body}]]></{name}>")
}

/// The hosted URL of an OB 1.x/2.0 assertion: `id` if it is an http(s) URL,
/// else the 1.x `verify.url` if it is one.
fn hosted_url(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(super::trim_text(json)).ok()?;
    let http = |v: Option<&serde_json::Value>| {
        v.and_then(serde_json::Value::as_str)
            .filter(|s| super::is_http_url(s))
            .map(str::to_owned)
    };
    http(value.get("id")).or_else(|| http(value.get("verify").and_then(|v| v.get("url"))))
}

/// Escapes text for a double-quoted attribute value. Tab, newline and
/// carriage return become character references so that attribute-value
/// normalization in other parsers keeps them.
fn escape_attribute(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '"', '\t', '\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}
