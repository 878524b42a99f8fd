//! Passphrase encryption for what must not leave the machine in the clear:
//! an issuer's signing-key export, a backup carried elsewhere.
//!
//! [`seal`] writes an ASCII-armored [age](https://age-encryption.org) file
//! encrypted to an scrypt passphrase recipient; [`open`] reads one back. The
//! cryptography is the `age` crate's: the file opens with any age tool
//! (`age -d`), so a user is never locked into Satchel to get a key back.
//!
//! The scrypt work factor is age's default, which age picks so that deriving
//! the key takes about a second on the machine that seals. A second per seal
//! or open is nothing for a key export, and it is what makes guessing
//! passphrases from a stolen file slow; choosing a lower one would trade that
//! away for no gain the user could notice. On open, age refuses a file asking
//! for far more work than this machine's default (a hostile file cannot make
//! Satchel spin for hours).

use age::secrecy::SecretString;
use std::fmt;
use std::io::{Read, Write};

/// Why a sealed file could not be made or opened. Messages are worded to
/// follow "FILE: ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// An empty passphrase was given.
    EmptyPassphrase,
    /// The passphrase does not open this file.
    WrongPassphrase,
    /// Not an age file sealed with a passphrase.
    NotSealed,
    /// An age file cut short or changed after it was sealed; carries the detail.
    Damaged(String),
    /// The file asks for far more key-derivation work than this machine does.
    TooMuchWork,
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SealError::EmptyPassphrase => f.write_str("the passphrase is empty; choose one to protect the file with"),
            SealError::WrongPassphrase => f.write_str("the passphrase is not the one this file was sealed with"),
            SealError::NotSealed => f.write_str("it is not a file sealed with a passphrase (an age file with a passphrase)"),
            SealError::Damaged(why) => write!(f, "the sealed file is damaged or incomplete ({why}); use an intact copy"),
            SealError::TooMuchWork => f.write_str("the file asks for far more passphrase work than this computer does in a few seconds, so it was not opened"),
        }
    }
}

impl std::error::Error for SealError {}

/// `plaintext` encrypted to `passphrase`, as an ASCII-armored age file.
///
/// # Errors
///
/// [`SealError::EmptyPassphrase`] for an empty passphrase.
pub fn seal(plaintext: &[u8], passphrase: &str) -> Result<Vec<u8>, SealError> {
    if passphrase.is_empty() {
        return Err(SealError::EmptyPassphrase);
    }
    let encryptor = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.to_owned()));
    let mut out = Vec::with_capacity(plaintext.len() * 4 / 3 + 512);
    // Writing into a Vec cannot fail; the errors are mapped rather than unwrapped
    // so nothing on this path can panic.
    let write = || -> std::io::Result<()> {
        let armor =
            age::armor::ArmoredWriter::wrap_output(&mut out, age::armor::Format::AsciiArmor)?;
        let mut writer = encryptor.wrap_output(armor)?;
        writer.write_all(plaintext)?;
        writer.finish()?.finish()?;
        Ok(())
    };
    write().map_err(|e| SealError::Damaged(e.to_string()))?;
    Ok(out)
}

/// The plaintext of a file [`seal`] (or any age tool, armored or binary,
/// with a passphrase) wrote.
///
/// # Errors
///
/// A wrong passphrase, a file that is not passphrase-sealed age, or a file
/// cut short or changed: each its own [`SealError`].
pub fn open(sealed: &[u8], passphrase: &str) -> Result<Vec<u8>, SealError> {
    let start = sealed.trim_ascii_start();
    if !(start.starts_with(b"age-encryption.org/")
        || start.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----"))
    {
        return Err(SealError::NotSealed);
    }
    let decryptor = age::Decryptor::new_buffered(age::armor::ArmoredReader::new(sealed))
        .map_err(header_error)?;
    if !decryptor.is_scrypt() {
        return Err(SealError::NotSealed);
    }
    let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
                SealError::WrongPassphrase
            }
            other => header_error(other),
        })?;
    let mut plaintext = Vec::with_capacity(sealed.len());
    reader
        .read_to_end(&mut plaintext)
        .map_err(|e| SealError::Damaged(e.to_string()))?;
    Ok(plaintext)
}

fn header_error(e: age::DecryptError) -> SealError {
    match e {
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => SealError::NotSealed,
        age::DecryptError::ExcessiveWork { .. } => SealError::TooMuchWork,
        age::DecryptError::Io(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            SealError::Damaged("it ends too early".to_owned())
        }
        other => SealError::Damaged(other.to_string().lines().next().unwrap_or("").to_owned()),
    }
}
