//! Issuer signing keys as owner-only files: `<data>/issuer-keys/` (0700),
//! one PKCS#8 PEM file per key (0600), named `issuer-<n>-<key name>.pem`.
//! Never in the database, never logged. Ed25519 keys sign OB 3.0 badges
//! (proofs and VC-JWTs); RSA 3072 keys sign OB 2.0 JWS badges. Generation and
//! signing are aws-lc-rs's and ed25519-dalek's; this module only encodes
//! and keeps the files. A key file that group or others may read is
//! refused, with the `chmod` command that fixes it.

use super::IssuerError;
use crate::store::KeyRecord;
use aws_lc_rs::encoding::AsDer;
use base64::Engine as _;
use std::path::{Path, PathBuf};

/// The folder of issuer key files inside the data folder.
pub const KEY_FOLDER: &str = "issuer-keys";

/// RSA key size for OB 2.0 signed badges.
const RSA_BITS: aws_lc_rs::rsa::KeySize = aws_lc_rs::rsa::KeySize::Rsa3072;

/// The fixed DER prefix of an Ed25519 private key in PKCS#8 v1 (RFC 8410),
/// before the 32-byte seed.
const ED25519_PKCS8_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// The key files of every issuer.
#[derive(Clone, Debug)]
pub struct KeyFolder {
    dir: PathBuf,
}

/// An issuer's current signing keys, loaded.
#[derive(Default)]
pub struct SigningKeys {
    /// The Ed25519 key (name, key), for OB 3.0.
    pub ed25519: Option<(String, ed25519_dalek::SigningKey)>,
    /// The RSA key (name, key), for OB 2.0 signed.
    pub rsa: Option<(String, aws_lc_rs::rsa::KeyPair)>,
}

/// A new key: its public half for the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKey {
    /// `ed25519` or `rsa`.
    pub algorithm: &'static str,
    /// The public key: multibase `z6Mk…` or SPKI PEM.
    pub public_key: String,
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

fn unpem(label: &str, text: &str) -> Option<Vec<u8>> {
    let body = text
        .trim()
        .strip_prefix(&format!("-----BEGIN {label}-----"))?
        .strip_suffix(&format!("-----END {label}-----"))?;
    let joined: String = body.split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(joined)
        .ok()
}

/// One private key in a key export (its `Debug` leaves the key out).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct ExportedKey {
    /// The issuer's number where it was exported.
    pub issuer: i64,
    /// The key's name (`key-1`, `rsa-1`).
    pub name: String,
    /// `ed25519` or `rsa`.
    pub algorithm: String,
    /// Its public half as the store keeps it.
    pub public_key: String,
    /// The PKCS#8 PEM text of the private key.
    pub pem: String,
}

impl std::fmt::Debug for ExportedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportedKey")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("algorithm", &self.algorithm)
            .field("public_key", &self.public_key)
            .finish_non_exhaustive()
    }
}

/// The public half (as the store keeps it) of a PKCS#8 private key.
fn public_of(algorithm: &str, der: &[u8]) -> Option<String> {
    match algorithm {
        "ed25519" => {
            let seed: [u8; 32] = der
                .strip_prefix(&ED25519_PKCS8_PREFIX[..])?
                .try_into()
                .ok()?;
            let key = ed25519_dalek::SigningKey::from_bytes(&seed);
            Some(crate::keys::ed25519_multikey(
                key.verifying_key().as_bytes(),
            ))
        }
        "rsa" => rsa_public_pem(&aws_lc_rs::rsa::KeyPair::from_pkcs8(der).ok()?).ok(),
        _ => None,
    }
}

/// An RSA public key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
pub fn rsa_public_pem(key: &aws_lc_rs::rsa::KeyPair) -> Result<String, IssuerError> {
    use aws_lc_rs::signature::KeyPair as _;
    let der = key
        .public_key()
        .as_der()
        .map_err(|_| IssuerError::Internal("the RSA public key could not be encoded".to_owned()))?;
    Ok(pem("PUBLIC KEY", der.as_ref()))
}

impl KeyFolder {
    /// The key folder of the data folder `data_dir`.
    pub fn new(data_dir: &Path) -> KeyFolder {
        KeyFolder {
            dir: data_dir.join(KEY_FOLDER),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of key `name` of issuer `issuer`.
    pub fn file(&self, issuer: i64, name: &str) -> PathBuf {
        self.dir.join(format!("issuer-{issuer}-{name}.pem"))
    }

    fn write(&self, issuer: i64, name: &str, text: &str) -> Result<(), IssuerError> {
        let io = |e: std::io::Error| {
            IssuerError::Io(format!(
                "the key folder {} could not be written ({e})",
                self.dir.display()
            ))
        };
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&self.dir).map_err(io)?;
        let target = self.file(issuer, name);
        if target.exists() {
            return Err(IssuerError::Key(format!(
                "the key file {} already exists; Satchel never overwrites a key",
                target.display()
            )));
        }
        let partial = crate::atomic::Partial::private_file(&target).map_err(io)?;
        std::fs::write(partial.path(), text).map_err(io)?;
        partial.persist(&target).map_err(io)
    }

    /// Makes a new Ed25519 key for `issuer`, saved as `name`.
    pub fn generate_ed25519(&self, issuer: i64, name: &str) -> Result<NewKey, IssuerError> {
        let seed = super::random_bytes::<32>()?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let mut der = ED25519_PKCS8_PREFIX.to_vec();
        der.extend_from_slice(&seed);
        self.write(issuer, name, &pem("PRIVATE KEY", &der))?;
        Ok(NewKey {
            algorithm: "ed25519",
            public_key: crate::keys::ed25519_multikey(key.verifying_key().as_bytes()),
        })
    }

    /// Makes a new RSA 3072 key for `issuer`, saved as `name`.
    pub fn generate_rsa(&self, issuer: i64, name: &str) -> Result<NewKey, IssuerError> {
        let key = aws_lc_rs::rsa::KeyPair::generate(RSA_BITS)
            .map_err(|_| IssuerError::Internal("the RSA key could not be generated".to_owned()))?;
        let der = key.as_der().map_err(|_| {
            IssuerError::Internal("the RSA private key could not be encoded".to_owned())
        })?;
        let public_key = rsa_public_pem(&key)?;
        self.write(issuer, name, &pem("PRIVATE KEY", der.as_ref()))?;
        Ok(NewKey {
            algorithm: "rsa",
            public_key,
        })
    }

    /// Reads a key file, refusing one that others may read.
    fn read(&self, issuer: i64, name: &str) -> Result<Vec<u8>, IssuerError> {
        let path = self.file(issuer, name);
        let meta = std::fs::symlink_metadata(&path).map_err(|e| {
            IssuerError::Key(if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "the key file {} is missing; restore it from a key export, or the badges it signs cannot be issued",
                    path.display()
                )
            } else {
                format!("the key file {} cannot be read ({e})", path.display())
            })
        })?;
        if !meta.is_file() {
            return Err(IssuerError::Key(format!(
                "the key file {} is not a regular file; put the key file itself there",
                path.display()
            )));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(IssuerError::Key(format!(
                    "the key file {} can be read by other users of this computer; run `chmod 600 {}` and try again",
                    path.display(),
                    path.display()
                )));
            }
        }
        let text = std::fs::read_to_string(&path).map_err(|e| {
            IssuerError::Key(format!(
                "the key file {} cannot be read ({e})",
                path.display()
            ))
        })?;
        unpem("PRIVATE KEY", &text).ok_or_else(|| {
            IssuerError::Key(format!(
                "the key file {} is not a PEM private key; restore it from a key export",
                path.display()
            ))
        })
    }

    /// Key `k` as a key export carries it (its PEM file's text).
    pub fn export(&self, k: &KeyRecord) -> Result<ExportedKey, IssuerError> {
        let der = self.read(k.issuer_id, &k.name)?;
        if public_of(&k.algorithm, &der).as_deref() != Some(k.public_key.as_str()) {
            return Err(IssuerError::Key(format!(
                "the key file {} does not hold the issuer's {} key; restore the right file from a key export",
                self.file(k.issuer_id, &k.name).display(),
                k.algorithm
            )));
        }
        Ok(ExportedKey {
            issuer: k.issuer_id,
            name: k.name.clone(),
            algorithm: k.algorithm.clone(),
            public_key: k.public_key.clone(),
            pem: pem("PRIVATE KEY", &der),
        })
    }

    /// Whether `key` can be saved as key `name` of `issuer`: `Ok(true)`
    /// when that very key is there already, `Ok(false)` when the name is
    /// free; a different key under the name is refused, naming its file.
    pub fn check_import(
        &self,
        issuer: i64,
        name: &str,
        key: &ExportedKey,
    ) -> Result<bool, IssuerError> {
        let path = self.file(issuer, name);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(false);
        }
        let same = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| unpem("PRIVATE KEY", &t))
            .and_then(|der| public_of(&key.algorithm, &der))
            .is_some_and(|p| p == key.public_key);
        if same {
            Ok(true)
        } else {
            Err(IssuerError::Key(format!(
                "the key file {} already holds a different key; Satchel never replaces a key, so move that file away first if it is not needed",
                path.display()
            )))
        }
    }

    /// Saves an exported key as key `name` of `issuer` (0600 in the 0700
    /// folder), after checking it is the key its public half names.
    pub fn import(&self, issuer: i64, name: &str, key: &ExportedKey) -> Result<(), IssuerError> {
        let der = unpem("PRIVATE KEY", &key.pem);
        if der.and_then(|d| public_of(&key.algorithm, &d)).as_deref()
            != Some(key.public_key.as_str())
        {
            return Err(IssuerError::Key(format!(
                "the exported key {} of issuer {} is damaged (it does not match its public key)",
                key.name, key.issuer
            )));
        }
        self.write(issuer, name, &key.pem)
    }

    /// Loads the current (not retired) keys among `keys` (the newest of each
    /// algorithm), checking each against its stored public half.
    pub fn load(&self, keys: &[KeyRecord]) -> Result<SigningKeys, IssuerError> {
        let mut out = SigningKeys::default();
        for k in keys.iter().filter(|k| k.retired.is_none()) {
            let der = self.read(k.issuer_id, &k.name)?;
            let path = self.file(k.issuer_id, &k.name);
            let mismatch = || {
                IssuerError::Key(format!(
                    "the key file {} does not hold the issuer's {} key; restore the right file from a key export",
                    path.display(),
                    k.algorithm
                ))
            };
            match k.algorithm.as_str() {
                "ed25519" => {
                    let seed: [u8; 32] = der
                        .strip_prefix(&ED25519_PKCS8_PREFIX[..])
                        .and_then(|s| s.try_into().ok())
                        .ok_or_else(mismatch)?;
                    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
                    if crate::keys::ed25519_multikey(key.verifying_key().as_bytes()) != k.public_key
                    {
                        return Err(mismatch());
                    }
                    out.ed25519 = Some((k.name.clone(), key));
                }
                _ => {
                    let key = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).map_err(|_| mismatch())?;
                    if rsa_public_pem(&key)? != k.public_key {
                        return Err(mismatch());
                    }
                    out.rsa = Some((k.name.clone(), key));
                }
            }
        }
        Ok(out)
    }
}
