//! Why an item stayed out of the backpack, as a kind: shared by the import
//! and the sources it reads from.

use crate::inspect::InspectError;
use serde::Serialize;

/// What kind of problem kept an item out of the backpack, for programs and
/// screens that say what to do about it (the reason says it in words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A readable image with no badge baked in.
    PlainImage,
    /// An Open Badges document that is not an awarded badge (a badge
    /// class, an issuer profile ...).
    NotAnAward,
    /// Neither an image, JSON, a JWS nor a link Satchel reads.
    Unsupported,
    /// A damaged or cut-off file, archive or baked text.
    Damaged,
    /// Over one of Satchel's size limits.
    TooLarge,
    /// Refused for safety (an SVG declaring entities ...).
    Unsafe,
    /// The file or folder could not be read (gone, permissions).
    Unreadable,
    /// A link could not be fetched, or its server refused it.
    Unreachable,
    /// The backpack itself could not be read or written.
    Storage,
}

impl Problem {
    /// The kind of problem an inspection error is.
    pub fn of(e: &InspectError) -> Problem {
        use crate::bake::BakeError;
        match e {
            InspectError::NotBaked(..) => Problem::PlainImage,
            InspectError::NotABadge(_) => Problem::Unsupported,
            InspectError::Payload(_) => Problem::Damaged,
            InspectError::Io(_) | InspectError::Image(BakeError::Io(_)) => Problem::Unreadable,
            InspectError::Image(BakeError::NotAnImage) => Problem::Unsupported,
            InspectError::TooLarge(_) | InspectError::Image(BakeError::TooLarge(_)) => {
                Problem::TooLarge
            }
            InspectError::Image(BakeError::UnsafeSvg(_)) => Problem::Unsafe,
            InspectError::Image(
                BakeError::BadPng(_)
                | BakeError::BadSvg(_)
                | BakeError::NotText(_)
                | BakeError::BadCompression(_),
            ) => Problem::Damaged,
        }
    }
}
