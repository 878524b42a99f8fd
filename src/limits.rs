//! Hard caps that keep hostile input bounded in time and memory.
//!
//! Every reader in the crate checks against these numbers before it allocates;
//! an input over a cap is refused with an error that names the cap.

/// Largest badge payload (the JSON, JWS or URL text) Satchel accepts, after
/// decompression: 4 MiB. Real badges are a few KiB; OB 3.0 credentials with an
/// embedded image reach a few hundred KiB.
pub const MAX_PAYLOAD_BYTES: usize = 4 * 1024 * 1024;

/// Largest SVG document Satchel parses: 16 MiB.
pub const MAX_SVG_BYTES: usize = 16 * 1024 * 1024;

/// Largest JSON or JWS document read from a file or an HTTP body: 16 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;

/// Largest PNG file Satchel bakes into: 64 MiB. (Unbaking reads only chunk
/// headers and text chunks, so it has no file-size cap of its own.)
pub const MAX_PNG_BAKE_BYTES: usize = 64 * 1024 * 1024;

/// Deepest JSON nesting accepted (serde_json's own recursion limit is 128;
/// this is the number reported to users).
pub const MAX_JSON_DEPTH: usize = 128;

/// Largest number of PNG chunks walked before the file is refused: 1,000,000.
/// Walking a chunk costs a 12-byte read and a seek, so even this many is fast.
pub const MAX_PNG_CHUNKS: usize = 1_000_000;

/// Largest number of XML elements in an SVG that is walked: 1,000,000.
pub const MAX_SVG_ELEMENTS: usize = 1_000_000;

/// Deepest XML element nesting in an SVG: 256.
pub const MAX_SVG_DEPTH: usize = 256;

/// Most bytes an import holds read and waiting for a worker: 16 MiB. The
/// reader (folder walker, zip reader) waits while more are queued; one item
/// larger than this still goes through, alone.
pub const MAX_IMPORT_QUEUE_BYTES: usize = 16 * 1024 * 1024;
