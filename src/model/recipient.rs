//! Recipient identities, and checking whether one of them is the user.
//!
//! A hashed identity is `alg$hex` with `hex = alg(identity || salt)` (salt
//! appended, empty when absent); `alg` is `sha256` or `md5`. Issuers hash
//! whatever case they have on file, so a candidate is tried as given and then
//! lower-cased, and the check reports which variant matched. Nothing here
//! brute-forces hashes: only the candidates the caller passes are tried.

use md5::Md5;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One identity of the recipient, as a badge names it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientIdentity {
    /// The identity type as written: `email`, `url`, `telephone`, `id` (OB 3.0
    /// `credentialSubject.id`), `emailAddress`, `sourcedId` ...
    pub kind: String,
    /// The identity as written: plaintext, or `alg$hex` when hashed.
    pub value: String,
    /// Is `value` a hash?
    pub hashed: bool,
    /// Salt appended to the identity before hashing.
    pub salt: Option<String>,
}

/// How a candidate matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchVariant {
    /// The candidate as given (whitespace trimmed) matched.
    AsGiven,
    /// Only the lower-cased candidate matched (or, for plaintext emails, the
    /// comparison ignoring case).
    Lowercased,
}

/// The result of [`RecipientIdentity::check`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum IdentityCheck {
    /// The candidate is this identity.
    Match {
        /// Which variant of the candidate matched.
        variant: MatchVariant,
    },
    /// The candidate is not this identity.
    NoMatch,
    /// The identity cannot be checked (unknown hash algorithm, malformed hash).
    Unsupported {
        /// Why, in words for people.
        reason: String,
    },
}

impl IdentityCheck {
    /// Did the candidate match?
    pub fn is_match(&self) -> bool {
        matches!(self, IdentityCheck::Match { .. })
    }
}

/// A hash algorithm for recipient identities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashAlg {
    /// SHA-256 (what issuers should use).
    Sha256,
    /// MD5 (allowed by OB 1.x/2.0; weak).
    Md5,
}

impl HashAlg {
    /// The prefix as written before `$`: `sha256` or `md5`.
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlg::Sha256 => "sha256",
            HashAlg::Md5 => "md5",
        }
    }

    /// Length of the digest in hex digits.
    pub fn hex_len(self) -> usize {
        match self {
            HashAlg::Sha256 => 64,
            HashAlg::Md5 => 32,
        }
    }

    fn hex_digest(self, data: &[u8]) -> String {
        match self {
            HashAlg::Sha256 => to_hex(&Sha256::digest(data)),
            HashAlg::Md5 => to_hex(&Md5::digest(data)),
        }
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}

/// Hashes an identity the way badges do: `alg$lowerhex(alg(identity || salt))`.
///
/// The identity is used exactly as given; issuers should lower-case emails first.
pub fn hash_identity(alg: HashAlg, identity: &str, salt: Option<&str>) -> String {
    let mut data = identity.as_bytes().to_vec();
    data.extend_from_slice(salt.unwrap_or("").as_bytes());
    format!("{}${}", alg.as_str(), alg.hex_digest(&data))
}

/// Does `value` look like an identity hash (`sha1$`, `sha256$` or `md5$` and
/// hex digits, algorithm in any case)? This is how an OB 0.5 string recipient,
/// or an IdentityObject without `hashed`, is told apart from plaintext.
pub fn looks_hashed(value: &str) -> bool {
    match value.trim().split_once('$') {
        Some((alg, hex)) => {
            ["sha1", "sha256", "md5"]
                .iter()
                .any(|a| alg.eq_ignore_ascii_case(a))
                && !hex.is_empty()
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

impl RecipientIdentity {
    /// Is this an email identity (`email`, OB 3.0 `emailAddress`)?
    pub fn is_email(&self) -> bool {
        self.kind.eq_ignore_ascii_case("email") || self.kind.eq_ignore_ascii_case("emailAddress")
    }

    /// Checks whether `candidate` (one of the user's own identifiers) is this
    /// identity. Plaintext: emails compare ignoring case, other kinds exactly
    /// (after trimming). Hashed: the candidate is hashed with this identity's
    /// salt as given, then lower-cased; hex digits compare ignoring case.
    pub fn check(&self, candidate: &str) -> IdentityCheck {
        let candidate = candidate.trim();
        if self.hashed {
            return self.check_hashed(candidate);
        }
        let value = self.value.trim();
        if candidate.is_empty() || value.is_empty() {
            IdentityCheck::NoMatch
        } else if candidate == value {
            IdentityCheck::Match {
                variant: MatchVariant::AsGiven,
            }
        } else if self.is_email() && candidate.to_lowercase() == value.to_lowercase() {
            IdentityCheck::Match {
                variant: MatchVariant::Lowercased,
            }
        } else {
            IdentityCheck::NoMatch
        }
    }

    fn check_hashed(&self, candidate: &str) -> IdentityCheck {
        let (alg, expected) = match parse_hash(&self.value) {
            Ok(parsed) => parsed,
            Err(reason) => return IdentityCheck::Unsupported { reason },
        };
        if candidate.is_empty() {
            return IdentityCheck::NoMatch;
        }
        let salt = self.salt.as_deref();
        let matches = |c: &str| hash_identity(alg, c, salt)[alg.as_str().len() + 1..] == expected;
        if matches(candidate) {
            return IdentityCheck::Match {
                variant: MatchVariant::AsGiven,
            };
        }
        let lower = candidate.to_lowercase();
        if lower != candidate && matches(&lower) {
            return IdentityCheck::Match {
                variant: MatchVariant::Lowercased,
            };
        }
        IdentityCheck::NoMatch
    }
}

/// Parses `alg$hex` into the algorithm and the lower-cased hex digest.
fn parse_hash(value: &str) -> Result<(HashAlg, String), String> {
    let value = value.trim();
    let Some((alg_name, hex)) = value.split_once('$') else {
        return Err(
            "the hashed identity has no algorithm prefix (expected sha256$… or md5$…)".to_owned(),
        );
    };
    let alg = if alg_name.eq_ignore_ascii_case("sha256") {
        HashAlg::Sha256
    } else if alg_name.eq_ignore_ascii_case("md5") {
        HashAlg::Md5
    } else if alg_name.eq_ignore_ascii_case("sha1") {
        return Err(
            "the identity is hashed with SHA-1 (an OB 0.5 form), which Satchel does not support"
                .to_owned(),
        );
    } else {
        let shown: String = alg_name.chars().take(20).collect();
        return Err(format!(
            "unknown identity hash algorithm \"{shown}\" (expected sha256 or md5)"
        ));
    };
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "the {} identity hash is not hexadecimal",
            alg.as_str()
        ));
    }
    if hex.len() != alg.hex_len() {
        return Err(format!(
            "the {} identity hash has {} hex digits instead of {}",
            alg.as_str(),
            hex.len(),
            alg.hex_len()
        ));
    }
    Ok((alg, hex.to_ascii_lowercase()))
}
