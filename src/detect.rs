//! What is this input? Classifies bytes by content (never by file name) and a
//! JSON document by Open Badges version and document kind.
//!
//! Detection never fails: an unrecognized input is [`InputKind::Unknown`] and
//! an unrecognized document is [`DocKind::Unknown`].

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The container an input arrived in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// A PNG image (by its 8-byte signature).
    Png,
    /// An SVG image (an XML document whose root element is `svg`).
    Svg,
    /// JSON text (an object or an array; a UTF-8 BOM and surrounding whitespace are tolerated).
    Json,
    /// A compact JWS (three base64url segments, the first a JSON header with `alg`).
    Jws,
    /// An absolute http or https URL.
    Url,
    /// None of the above.
    Unknown,
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputKind::Png => "PNG image",
            InputKind::Svg => "SVG image",
            InputKind::Json => "JSON",
            InputKind::Jws => "compact JWS",
            InputKind::Url => "URL",
            InputKind::Unknown => "unknown",
        })
    }
}

/// Sniffs raw input bytes.
pub fn sniff(bytes: &[u8]) -> InputKind {
    if bytes.starts_with(&crate::bake::PNG_SIGNATURE) {
        return InputKind::Png;
    }
    if crate::bake::is_svg(bytes) {
        return InputKind::Svg;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => sniff_text(text),
        Err(_) => InputKind::Unknown,
    }
}

/// Like [`sniff`], but takes any markup (`markup`: the first non-blank byte is
/// `<`) for SVG without parsing it first: for callers that parse it next
/// anyway and report a document that is not SVG themselves.
pub fn sniff_fast(bytes: &[u8], markup: bool) -> InputKind {
    if bytes.starts_with(&crate::bake::PNG_SIGNATURE) {
        InputKind::Png
    } else if markup {
        InputKind::Svg
    } else {
        sniff(bytes)
    }
}

/// Sniffs text (a file's contents, a pasted string or a baked payload).
pub fn sniff_text(text: &str) -> InputKind {
    let t = trim_text(text);
    if t.starts_with('{') || t.starts_with('[') {
        InputKind::Json
    } else if crate::jws::looks_like_compact_jws(t) {
        InputKind::Jws
    } else if is_http_url(t) {
        InputKind::Url
    } else {
        InputKind::Unknown
    }
}

pub use crate::bake::{is_http_url, trim_text};

/// An Open Badges (or CLR) version.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub enum Version {
    /// Open Badges 0.5 (2011–12): recipient is a string, badge and issuer embedded.
    #[serde(rename = "0.5")]
    V0_5,
    /// Open Badges 1.0 (2013): `uid`, `verify`, IdentityObject, linked BadgeClass.
    #[serde(rename = "1.0")]
    V1_0,
    /// Open Badges 1.1 (2015): JSON-LD with the v1 context.
    #[serde(rename = "1.1")]
    V1_1,
    /// Open Badges 2.0 (2018): JSON-LD with the v2 context.
    #[serde(rename = "2.0")]
    V2_0,
    /// Open Badges 3.0: a W3C Verifiable Credential.
    #[serde(rename = "3.0")]
    V3_0,
    /// Comprehensive Learner Record 2.0: a Verifiable Credential of OB 3.0 credentials.
    #[serde(rename = "CLR 2.0")]
    Clr2_0,
}

impl Version {
    /// The version as people write it: "0.5", "2.0", "3.0", "CLR 2.0" ...
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V0_5 => "0.5",
            Version::V1_0 => "1.0",
            Version::V1_1 => "1.1",
            Version::V2_0 => "2.0",
            Version::V3_0 => "3.0",
            Version::Clr2_0 => "CLR 2.0",
        }
    }

    /// The baking slot this version's payloads belong in.
    pub fn slot(self) -> crate::bake::Slot {
        match self {
            Version::V3_0 => crate::bake::Slot::OpenBadgeCredential,
            Version::Clr2_0 => crate::bake::Slot::ClrCredential,
            _ => crate::bake::Slot::OpenBadges,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which W3C Verifiable Credentials data model a credential uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Vcdm {
    /// VC data model 1.1 (`https://www.w3.org/2018/credentials/v1`, `issuanceDate`).
    #[serde(rename = "1.1")]
    V1_1,
    /// VC data model 2.0 (`https://www.w3.org/ns/credentials/v2`, `validFrom`).
    #[serde(rename = "2.0")]
    V2_0,
}

/// What kind of document a JSON object is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum DocKind {
    /// An OB 0.5–2.0 Assertion (an award to one recipient).
    Assertion,
    /// An OB 1.x/2.0 BadgeClass.
    BadgeClass,
    /// An OB 1.x/2.0 issuer Profile (`Issuer`, `Profile`) or an OB 3.0 Profile.
    Profile,
    /// An OB 2.0 CryptographicKey.
    CryptographicKey,
    /// An OB 2.0 RevocationList.
    RevocationList,
    /// An OB 2.0 Endorsement.
    Endorsement,
    /// An OB 3.0 OpenBadgeCredential / AchievementCredential.
    AchievementCredential,
    /// An OB 3.0 EndorsementCredential.
    EndorsementCredential,
    /// A CLR 2.0 ClrCredential.
    ClrCredential,
    /// An OB 3.0 Achievement on its own.
    Achievement,
    /// A Verifiable Credential of another kind.
    OtherCredential,
    /// A JSON object Satchel does not recognize as an Open Badges document.
    Unknown,
}

impl DocKind {
    /// Is this a document a backpack keeps as a badge (an award)?
    pub fn is_award(self) -> bool {
        matches!(
            self,
            DocKind::Assertion | DocKind::AchievementCredential | DocKind::ClrCredential
        )
    }

    /// Name as in the specs: "Assertion", "OpenBadgeCredential", ...
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Assertion => "Assertion",
            DocKind::BadgeClass => "BadgeClass",
            DocKind::Profile => "Profile",
            DocKind::CryptographicKey => "CryptographicKey",
            DocKind::RevocationList => "RevocationList",
            DocKind::Endorsement => "Endorsement",
            DocKind::AchievementCredential => "OpenBadgeCredential",
            DocKind::EndorsementCredential => "EndorsementCredential",
            DocKind::ClrCredential => "ClrCredential",
            DocKind::Achievement => "Achievement",
            DocKind::OtherCredential => "VerifiableCredential",
            DocKind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The result of [`detect_json`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Detected {
    /// The Open Badges version, when it can be told.
    pub version: Option<Version>,
    /// The kind of document.
    pub kind: DocKind,
    /// For Verifiable Credentials: which VC data model.
    pub vcdm: Option<Vcdm>,
}

const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
const VC_V1: &str = "https://www.w3.org/2018/credentials/v1";

/// Classifies a JSON document by version and kind.
///
/// A JWT claims set whose `vc` claim holds a credential (VC-JWT with VC data
/// model 1.1) is classified by that credential.
pub fn detect_json(doc: &Value) -> Detected {
    let Some(obj) = doc.as_object() else {
        return Detected {
            version: None,
            kind: DocKind::Unknown,
            vcdm: None,
        };
    };
    if let Some(vc) = obj.get("vc").filter(|v| v.is_object()) {
        let inner = detect_json(vc);
        if inner.vcdm.is_some() {
            return inner;
        }
    }
    let contexts = context_strings(obj.get("@context"));
    let types = types(doc);
    let has_type = |t: &str| {
        types
            .iter()
            .any(|x| *x == t || x.ends_with(&format!("#{t}")))
    };

    // Verifiable Credentials (OB 3.0, CLR 2.0).
    let vcdm = match contexts.first().map(String::as_str) {
        Some(VC_V2) => Some(Vcdm::V2_0),
        Some(VC_V1) => Some(Vcdm::V1_1),
        _ => None,
    };
    let ob3_context = contexts
        .iter()
        .any(|c| c.contains("purl.imsglobal.org/spec/ob/v3p0"));
    let clr_context = contexts
        .iter()
        .any(|c| c.contains("purl.imsglobal.org/spec/clr/v2p0"));
    if vcdm.is_some() || has_type("VerifiableCredential") {
        let (version, kind) = credential_kind(&has_type, ob3_context, clr_context);
        return Detected {
            version,
            kind,
            vcdm,
        };
    }
    if ob3_context || clr_context {
        let version = Some(if clr_context && !ob3_context {
            Version::Clr2_0
        } else {
            Version::V3_0
        });
        let kind = if has_type("Achievement") {
            DocKind::Achievement
        } else if has_type("Profile") {
            DocKind::Profile
        } else {
            DocKind::Unknown
        };
        return Detected {
            version,
            kind,
            vcdm: None,
        };
    }

    // Open Badges 0.5 – 2.0 (the rules of 1EdTech's validator core, made explicit).
    let version = ob2_version(obj);
    let kind = ob2_kind(obj, &has_type, types.is_empty(), version);
    let version = if kind == DocKind::Unknown && !obj.contains_key("@context") {
        None
    } else {
        Some(version)
    };
    Detected {
        version,
        kind,
        vcdm: None,
    }
}

/// The version and kind of a Verifiable Credential, by its types, else by the
/// OB 3.0 / CLR 2.0 contexts it names.
fn credential_kind(
    has_type: &impl Fn(&str) -> bool,
    ob3_context: bool,
    clr_context: bool,
) -> (Option<Version>, DocKind) {
    if has_type("ClrCredential") {
        (Some(Version::Clr2_0), DocKind::ClrCredential)
    } else if has_type("OpenBadgeCredential") || has_type("AchievementCredential") {
        (Some(Version::V3_0), DocKind::AchievementCredential)
    } else if has_type("EndorsementCredential") {
        (Some(Version::V3_0), DocKind::EndorsementCredential)
    } else if clr_context {
        (Some(Version::Clr2_0), DocKind::OtherCredential)
    } else if ob3_context {
        (Some(Version::V3_0), DocKind::OtherCredential)
    } else {
        (None, DocKind::OtherCredential)
    }
}

/// The version of an Open Badges 0.5–2.0 document, by its `@context` or, without
/// one, by its fields.
fn ob2_version(obj: &serde_json::Map<String, Value>) -> Version {
    match obj.get("@context") {
        Some(Value::String(c)) if c.contains("openbadges/v1") => Version::V1_1,
        Some(Value::String(c)) if c.contains("/v2") || c.contains("openbadgespec.org") => {
            Version::V2_0
        }
        Some(Value::String(_)) => Version::V2_0,
        Some(Value::Array(items)) => match items.first() {
            Some(Value::String(c)) if c.contains("openbadges/v1") => Version::V1_1,
            _ => Version::V2_0,
        },
        Some(_) => Version::V2_0,
        // No context: 1.0 has `verify`; 0.5 has a string recipient or an embedded
        // badge with an embedded issuer (the Mozilla validator's rule).
        None if obj.contains_key("verify") => Version::V1_0,
        None if obj.get("recipient").is_some_and(Value::is_string)
            || obj
                .get("badge")
                .and_then(|b| b.get("issuer"))
                .is_some_and(Value::is_object) =>
        {
            Version::V0_5
        }
        None => Version::V1_0,
    }
}

/// The kind of an Open Badges 0.5–2.0 document, by its type or, `untyped`, by
/// its fields.
fn ob2_kind(
    obj: &serde_json::Map<String, Value>,
    has_type: &impl Fn(&str) -> bool,
    untyped: bool,
    version: Version,
) -> DocKind {
    let looks_like_assertion = obj.contains_key("recipient")
        && (obj.contains_key("badge")
            || obj.contains_key("verify")
            || obj.contains_key("verification"));
    if has_type("Assertion") || (untyped && looks_like_assertion) {
        DocKind::Assertion
    } else if has_type("BadgeClass") {
        DocKind::BadgeClass
    } else if has_type("Issuer") || has_type("Profile") {
        DocKind::Profile
    } else if has_type("CryptographicKey") {
        DocKind::CryptographicKey
    } else if has_type("RevocationList") {
        DocKind::RevocationList
    } else if has_type("Endorsement") {
        DocKind::Endorsement
    } else if untyped && version <= Version::V1_0 {
        // 1.0 documents carry no type: tell them apart by their fields.
        if obj.contains_key("criteria") && obj.contains_key("issuer") {
            DocKind::BadgeClass
        } else if obj.contains_key("name")
            && (obj.contains_key("url") || obj.contains_key("origin"))
        {
            DocKind::Profile
        } else {
            DocKind::Unknown
        }
    } else {
        DocKind::Unknown
    }
}

/// The strings of a one-or-many JSON value (a string, or the strings inside
/// an array; anything else is left out).
pub fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The types of a JSON-LD node: its `type` strings, or its `@type` strings
/// when it has no `type`.
pub fn types(node: &Value) -> Vec<&str> {
    strings(node.get("type").or_else(|| node.get("@type")))
}

/// The strings of a `@context` value (a string, or strings inside an array).
pub fn context_strings(ctx: Option<&Value>) -> Vec<String> {
    strings(ctx).into_iter().map(str::to_owned).collect()
}

/// The strings of a `type` value (a string, or strings inside an array).
pub fn type_strings(ty: Option<&Value>) -> Vec<String> {
    context_strings(ty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_or_many_strings_and_types() {
        assert_eq!(strings(Some(&json!("a"))), ["a"]);
        assert_eq!(
            strings(Some(&json!(["a", 1, {"id": "x"}, "b"]))),
            ["a", "b"]
        );
        assert!(strings(Some(&json!({"id": "x"}))).is_empty());
        assert!(strings(None).is_empty());
        assert_eq!(
            types(&json!({"type": ["A", "B"], "@type": "C"})),
            ["A", "B"]
        );
        assert_eq!(types(&json!({"@type": "C"})), ["C"]);
        assert!(types(&json!(["A"])).is_empty());
        assert_eq!(type_strings(Some(&json!("A"))), ["A".to_owned()]);
    }
}
