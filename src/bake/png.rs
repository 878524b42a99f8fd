//! PNG baking: the badge payload lives in a text chunk (`iTXt`, or the legacy
//! `tEXt`/`zTXt`) whose keyword names the badge slot.
//!
//! A byte-level chunk walker, not an image decoder: pixel data (`IDAT`) is
//! skipped with a seek, never read or inflated. CRCs are checked for the chunks
//! that are read (text chunks); a bad CRC on an intact badge chunk is reported
//! as a warning, because early bakers wrote wrong CRCs.

use super::{too_large_payload, BakeError, ImageFormat, Slot, Unbaked, PNG_SIGNATURE};
use crate::limits::{MAX_PAYLOAD_BYTES, MAX_PNG_BAKE_BYTES, MAX_PNG_CHUNKS};
use std::io::{Read, Seek, SeekFrom};

/// Longest PNG keyword (79 bytes) plus its NUL separator.
const MAX_KEYWORD_WITH_NUL: usize = 80;

/// Chunks longer than this are malformed (the PNG spec caps lengths at 2^31 - 1).
const MAX_CHUNK_LEN: u64 = (1 << 31) - 1;

pub(crate) fn is_png(bytes: &[u8]) -> bool {
    bytes.starts_with(&PNG_SIGNATURE)
}

/// A chunk's 4-byte type, printable for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
struct ChunkType([u8; 4]);

impl ChunkType {
    const IHDR: ChunkType = ChunkType(*b"IHDR");
    const IEND: ChunkType = ChunkType(*b"IEND");
    const ITXT: ChunkType = ChunkType(*b"iTXt");
    const TEXT: ChunkType = ChunkType(*b"tEXt");
    const ZTXT: ChunkType = ChunkType(*b"zTXt");

    fn is_text(self) -> bool {
        self == Self::ITXT || self == Self::TEXT || self == Self::ZTXT
    }

    fn is_valid(self) -> bool {
        self.0.iter().all(u8::is_ascii_alphabetic)
    }

    fn name(self) -> String {
        self.0
            .iter()
            .map(|&b| if b.is_ascii_graphic() { b as char } else { '?' })
            .collect()
    }

    /// How much an unbaker prefers a badge found in this chunk type (lower wins):
    /// the baking specification says to extract the first `iTXt`.
    fn preference(self) -> u8 {
        match self.0 {
            [b'i', ..] => 0,
            [b't', ..] => 1,
            _ => 2,
        }
    }
}

fn bad(msg: impl Into<String>) -> BakeError {
    BakeError::BadPng(msg.into())
}

fn io_err(e: std::io::Error) -> BakeError {
    BakeError::Io(e.to_string())
}

/// One badge text chunk as read from the stream.
struct Found {
    ty: ChunkType,
    slot: Slot,
    index: usize,
    payload: String,
    crc_ok: bool,
}

/// Extracts the badge payload from PNG bytes in memory.
///
/// `Ok(None)` means a well-formed PNG with no badge chunk.
pub fn unbake_png(png: &[u8]) -> Result<Option<Unbaked>, BakeError> {
    unbake_png_reader(std::io::Cursor::new(png))
}

/// Extracts the badge payload from a PNG stream, reading only chunk headers
/// and the badge chunk itself; every other chunk is skipped with a seek.
pub fn unbake_png_reader<R: Read + Seek>(mut r: R) -> Result<Option<Unbaked>, BakeError> {
    let total = r.seek(SeekFrom::End(0)).map_err(io_err)?;
    r.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let mut sig = [0u8; 8];
    if total < 8 || r.read_exact(&mut sig).is_err() || sig != PNG_SIGNATURE {
        return Err(BakeError::NotAnImage);
    }
    let mut pos: u64 = 8;
    let mut index = 0usize;
    let mut found: Vec<Found> = Vec::new();
    let mut warnings = Vec::new();
    loop {
        index += 1;
        if index > MAX_PNG_CHUNKS {
            return Err(BakeError::TooLarge(format!(
                "the PNG has more than {MAX_PNG_CHUNKS} chunks, over Satchel's limit"
            )));
        }
        if pos == total {
            return Err(bad(format!(
                "it is truncated: it ends after chunk {} without an IEND chunk",
                index - 1
            )));
        }
        if total - pos < 12 {
            return Err(bad(format!(
                "it is truncated inside the header of chunk {index}"
            )));
        }
        let mut head = [0u8; 8];
        r.read_exact(&mut head).map_err(io_err)?;
        let len = u64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
        let ty = ChunkType([head[4], head[5], head[6], head[7]]);
        if !ty.is_valid() {
            return Err(bad(format!(
                "chunk {index} has an invalid type (bytes {:02x?})",
                ty.0
            )));
        }
        if len > MAX_CHUNK_LEN {
            return Err(bad(format!(
                "chunk {index} ({}) declares an impossible length of {len} bytes",
                ty.name()
            )));
        }
        if index == 1 && ty != ChunkType::IHDR {
            return Err(bad(format!("the first chunk is {}, not IHDR", ty.name())));
        }
        let end = pos + 8 + len + 4;
        if end > total {
            return Err(bad(format!(
                "it is truncated: chunk {index} ({}) needs {} bytes but the file ends {} bytes in",
                ty.name(),
                len + 12,
                total - pos
            )));
        }
        if ty == ChunkType::IEND {
            if end < total {
                warnings.push(format!(
                    "{} bytes follow the IEND chunk and were ignored",
                    total - end
                ));
            }
            break;
        }
        if ty.is_text() {
            if let Some(f) = read_text_chunk(&mut r, ty, len, index)? {
                found.push(f);
            }
        } else {
            r.seek(SeekFrom::Current((len + 4) as i64))
                .map_err(io_err)?;
        }
        pos = end;
    }

    Ok(choose(found, index, warnings))
}

/// The badge to read of those `found` in a PNG of `chunks` chunks: the first of
/// the most preferred chunk type (iTXt, then tEXt, then zTXt), with warnings
/// about a wrong CRC, other badge chunks and a legacy chunk type.
fn choose(mut found: Vec<Found>, chunks: usize, mut warnings: Vec<String>) -> Option<Unbaked> {
    let best = found
        .iter()
        .enumerate()
        .min_by_key(|(i, f)| (f.ty.preference(), *i))
        .map(|(i, _)| i)?;
    let chosen = found.swap_remove(best);
    if !chosen.crc_ok {
        warnings.insert(
            0,
            format!(
                "the {} chunk \"{}\" has a wrong CRC checksum; its text was read as it is",
                chosen.ty.name(),
                chosen.slot.png_keyword()
            ),
        );
    }
    if !found.is_empty() {
        let others: Vec<String> = found
            .iter()
            .map(|f| {
                format!(
                    "{} \"{}\" (chunk {})",
                    f.ty.name(),
                    f.slot.png_keyword(),
                    f.index
                )
            })
            .collect();
        warnings.push(format!(
            "the image holds more than one badge chunk; Satchel read chunk {} and ignored {}",
            chosen.index,
            others.join(", ")
        ));
    }
    if chosen.ty != ChunkType::ITXT {
        warnings.push(format!(
            "the badge is in a legacy {} chunk rather than the iTXt chunk the baking specification asks for",
            chosen.ty.name()
        ));
    }
    Some(Unbaked {
        format: ImageFormat::Png,
        slot: chosen.slot,
        location: format!(
            "{} chunk \"{}\" (chunk {} of {})",
            chosen.ty.name(),
            chosen.slot.png_keyword(),
            chosen.index,
            chunks
        ),
        payload: chosen.payload,
        verify_attribute: None,
        warnings,
    })
}

/// Reads a text chunk positioned just after its header. Returns the badge it
/// holds, or skips it (leaving the stream after its CRC) when its keyword is
/// not a badge slot.
fn read_text_chunk<R: Read + Seek>(
    r: &mut R,
    ty: ChunkType,
    len: u64,
    index: usize,
) -> Result<Option<Found>, BakeError> {
    let peek_len = len.min(MAX_KEYWORD_WITH_NUL as u64) as usize;
    let mut data = vec![0u8; peek_len];
    r.read_exact(&mut data).map_err(io_err)?;
    let slot = data
        .iter()
        .position(|&b| b == 0)
        .and_then(|nul| Slot::from_png_keyword(&data[..nul]));
    let Some(slot) = slot else {
        r.seek(SeekFrom::Current((len - peek_len as u64 + 4) as i64))
            .map_err(io_err)?;
        return Ok(None);
    };
    // Keyword, separators and headers add well under 1 KiB to the payload.
    if len > (MAX_PAYLOAD_BYTES + 1024) as u64 {
        return Err(too_large_payload(len as usize));
    }
    data.resize(len as usize, 0);
    r.read_exact(&mut data[peek_len..]).map_err(io_err)?;
    let mut crc = [0u8; 4];
    r.read_exact(&mut crc).map_err(io_err)?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&ty.0);
    hasher.update(&data);
    let crc_ok = hasher.finalize() == u32::from_be_bytes(crc);
    let keyword_len = slot.png_keyword().len();
    let payload = decode_text(ty, &data[keyword_len + 1..], slot, index)?;
    Ok(Some(Found {
        ty,
        slot,
        index,
        payload,
        crc_ok,
    }))
}

/// Decodes the part of a text chunk after `keyword\0`.
fn decode_text(ty: ChunkType, rest: &[u8], slot: Slot, index: usize) -> Result<String, BakeError> {
    let what = || {
        format!(
            "{} chunk \"{}\" (chunk {index})",
            ty.name(),
            slot.png_keyword()
        )
    };
    match ty {
        ChunkType::ITXT => {
            // compression flag, compression method, language tag\0, translated keyword\0, text
            let [flag, method, tail @ ..] = rest else {
                return Err(bad(format!("the {} ends before its text", what())));
            };
            let lang_end = tail
                .iter()
                .position(|&b| b == 0)
                .ok_or_else(|| bad(format!("the {} has no language tag terminator", what())))?;
            let tail = &tail[lang_end + 1..];
            let tk_end = tail.iter().position(|&b| b == 0).ok_or_else(|| {
                bad(format!(
                    "the {} has no translated-keyword terminator",
                    what()
                ))
            })?;
            let text = &tail[tk_end + 1..];
            let bytes = match (flag, method) {
                (0, _) => text.to_vec(),
                (1, 0) => inflate(text)?,
                (1, m) => {
                    return Err(BakeError::BadCompression(format!(
                        "unknown compression method {m} in the {}",
                        what()
                    )))
                }
                (f, _) => {
                    return Err(bad(format!(
                        "the {} has an invalid compression flag {f}",
                        what()
                    )))
                }
            };
            String::from_utf8(bytes).map_err(|e| {
                BakeError::NotText(format!(
                    "invalid byte at offset {} of the {}",
                    e.utf8_error().valid_up_to(),
                    what()
                ))
            })
        }
        ChunkType::ZTXT => {
            let [method, stream @ ..] = rest else {
                return Err(bad(format!("the {} ends before its text", what())));
            };
            if *method != 0 {
                return Err(BakeError::BadCompression(format!(
                    "unknown compression method {method} in the {}",
                    what()
                )));
            }
            Ok(latin1_or_utf8(inflate(stream)?))
        }
        _ => Ok(latin1_or_utf8(rest.to_vec())),
    }
}

/// `tEXt`/`zTXt` text is Latin-1 by the PNG spec, but some bakers wrote UTF-8:
/// valid UTF-8 is taken as UTF-8, anything else as Latin-1.
fn latin1_or_utf8(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    }
}

/// Inflates a zlib stream, refusing to produce more than the payload cap
/// (so a zlib bomb costs at most that much memory).
fn inflate(stream: &[u8]) -> Result<Vec<u8>, BakeError> {
    let mut out = Vec::new();
    let mut dec = flate2::read::ZlibDecoder::new(stream).take(MAX_PAYLOAD_BYTES as u64 + 1);
    dec.read_to_end(&mut out)
        .map_err(|e| BakeError::BadCompression(e.to_string()))?;
    if out.len() > MAX_PAYLOAD_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the compressed badge chunk inflates to more than {MAX_PAYLOAD_BYTES} bytes, over Satchel's limit"
        )));
    }
    Ok(out)
}

/// A chunk's place in the file: `start..end` covers length, type, data and CRC.
struct Span {
    ty: ChunkType,
    start: usize,
    end: usize,
}

/// Lists the chunks of a complete PNG, checking its structure.
fn chunk_spans(png: &[u8]) -> Result<(Vec<Span>, usize), BakeError> {
    if !is_png(png) {
        return Err(BakeError::NotAnImage);
    }
    let mut spans = Vec::new();
    let mut pos = 8usize;
    loop {
        let index = spans.len() + 1;
        if index > MAX_PNG_CHUNKS {
            return Err(BakeError::TooLarge(format!(
                "the PNG has more than {MAX_PNG_CHUNKS} chunks, over Satchel's limit"
            )));
        }
        let Some(head) = png.get(pos..pos + 8) else {
            return Err(bad(format!(
                "it is truncated: it ends after chunk {} without an IEND chunk",
                index - 1
            )));
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let ty = ChunkType([head[4], head[5], head[6], head[7]]);
        if !ty.is_valid() {
            return Err(bad(format!(
                "chunk {index} has an invalid type (bytes {:02x?})",
                ty.0
            )));
        }
        if index == 1 && ty != ChunkType::IHDR {
            return Err(bad(format!("the first chunk is {}, not IHDR", ty.name())));
        }
        let end = pos
            .checked_add(12)
            .and_then(|p| p.checked_add(len))
            .filter(|&e| e <= png.len());
        let Some(end) = end else {
            return Err(bad(format!(
                "it is truncated: chunk {index} ({}) runs past the end of the file",
                ty.name()
            )));
        };
        spans.push(Span {
            ty,
            start: pos,
            end,
        });
        pos = end;
        if ty == ChunkType::IEND {
            return Ok((spans, pos));
        }
    }
}

fn is_badge_chunk(png: &[u8], span: &Span) -> bool {
    if !span.ty.is_text() {
        return false;
    }
    let data = &png[span.start + 8..span.end - 4];
    let kw_end = data.iter().take(MAX_KEYWORD_WITH_NUL).position(|&b| b == 0);
    kw_end.is_some_and(|n| Slot::from_png_keyword(&data[..n]).is_some())
}

/// Bakes `payload` into a PNG: removes every existing badge text chunk (of any
/// slot), inserts one uncompressed `iTXt` chunk with the slot's keyword right
/// after `IHDR`, and copies every other chunk byte for byte.
pub fn bake_png(png: &[u8], payload: &str, slot: Slot) -> Result<Vec<u8>, BakeError> {
    if png.len() > MAX_PNG_BAKE_BYTES {
        return Err(BakeError::TooLarge(format!(
            "the PNG is {} bytes, over Satchel's limit of {MAX_PNG_BAKE_BYTES} bytes for baking",
            png.len()
        )));
    }
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(too_large_payload(payload.len()));
    }
    let (spans, iend_end) = chunk_spans(png)?;
    let mut out = Vec::with_capacity(png.len() + payload.len() + 64);
    out.extend_from_slice(&PNG_SIGNATURE);
    for (i, span) in spans.iter().enumerate() {
        if is_badge_chunk(png, span) {
            continue;
        }
        out.extend_from_slice(&png[span.start..span.end]);
        if i == 0 {
            write_itxt(&mut out, slot.png_keyword(), payload);
        }
    }
    // Anything after IEND is kept as it was.
    out.extend_from_slice(&png[iend_end..]);
    Ok(out)
}

/// Appends an uncompressed iTXt chunk: keyword, NUL, flag 0, method 0, empty
/// language tag, empty translated keyword, UTF-8 text.
fn write_itxt(out: &mut Vec<u8>, keyword: &str, text: &str) {
    let mut data = Vec::with_capacity(keyword.len() + 5 + text.len());
    data.extend_from_slice(keyword.as_bytes());
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    write_chunk(out, &ChunkType::ITXT.0, &data);
}

/// Appends one PNG chunk: length, type, data, CRC-32 of type and data. The
/// caller keeps `data` under 2^31 bytes (PNG's limit; every caller here is
/// bounded far below it).
pub fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(kind);
    hasher.update(data);
    out.extend_from_slice(&hasher.finalize().to_be_bytes());
}
