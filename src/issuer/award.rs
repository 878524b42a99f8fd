//! One award: its signed document in the class's format and the baked
//! image named after the badge and the recipient.

use super::docs;
use super::publish::{sign_ob3, vc_jwt};
use super::{Format, Identity, IssuerError, SigningKeys};
use crate::bake::{bake, Slot};
use crate::store::{AwardRecord, ClassRecord, IssuerRecord};
use serde_json::json;

/// What the issuer asks for one award (also as the desktop app's award
/// form sends it: dates as Unix seconds, missing fields empty).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AwardInput {
    /// The recipient: an email address, URL, phone number (+…) or DID.
    pub recipient: String,
    /// The recipient's name (kept by the issuer, never published).
    pub name: Option<String>,
    /// When it is issued (default: now).
    pub issued_on: Option<i64>,
    /// When it expires (default: from the class's validity).
    pub expires: Option<i64>,
    /// What the recipient did.
    pub narrative: Option<String>,
    /// Evidence: a URL.
    pub evidence_url: Option<String>,
    /// Evidence: a narrative.
    pub evidence_narrative: Option<String>,
    /// Publish the identity in plain text instead of hashed.
    pub plaintext: bool,
    /// Also write an `.eml` draft for the recipient (email identities only).
    pub eml: bool,
}

/// An award's files.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The document as stored: credential or assertion JSON, or the JWS.
    pub document: String,
    /// The VC-JWT, when the class asks for one.
    pub jwt: Option<String>,
    /// The baked image.
    pub baked: Vec<u8>,
    /// Files to write: (file name, bytes), the baked image first.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Signs and bakes award `a` of class `c` (status positions given for OB 3.0).
pub fn issue(
    i: &IssuerRecord,
    id: &Identity,
    c: &ClassRecord,
    a: &AwardRecord,
    status: &[(&str, u64)],
    signing: &SigningKeys,
) -> Result<Issued, IssuerError> {
    let format = Format::parse(&c.format)?;
    let svg = c.image_type == "image/svg+xml";
    let stem = format!(
        "{}-{}",
        super::safe_name(&c.name),
        super::safe_name(a.recipient_name.as_deref().unwrap_or(&a.recipient))
    );
    let stem = format!("{stem}-{}", &a.uid[..8.min(a.uid.len())]);
    let (document, jwt, payload, slot, json_file) = match format {
        Format::Ob3 => {
            let unsigned = docs::ob3_credential(i, id, c, a, status);
            let signed = sign_ob3(id, signing, &unsigned, a.issued_on)?;
            let jwt = if c.vc_jwt {
                Some(vc_jwt(id, signing, &docs::jwt_claims(&signed, a))?)
            } else {
                None
            };
            let text = serde_json::to_string(&signed).unwrap_or_default();
            (text.clone(), jwt, text, Slot::OpenBadgeCredential, true)
        }
        Format::Ob2Hosted => {
            let assertion = docs::ob2_assertion(id, c, a, None);
            let text = serde_json::to_string(&assertion).unwrap_or_default();
            (text.clone(), None, text, Slot::OpenBadges, true)
        }
        Format::Ob2Signed => {
            let (name, key) = signing.rsa.as_ref().ok_or_else(|| {
                IssuerError::Key("the issuer has no RSA key to sign OB 2.0 badges".to_owned())
            })?;
            let assertion = docs::ob2_assertion(id, c, a, Some(name));
            let jws = super::sign::rs256(key, &json!({"alg": "RS256"}), &assertion)?;
            (jws.clone(), None, jws, Slot::OpenBadges, false)
        }
    };
    let baked = bake(&c.image, &payload, slot).map_err(|e| {
        IssuerError::Invalid(format!(
            "the image of badge class {} could not be baked ({e}); replace it with `satchel badgeclass edit`",
            c.id
        ))
    })?;
    let mut files = vec![(
        format!("{stem}.{}", if svg { "svg" } else { "png" }),
        baked.clone(),
    )];
    if json_file {
        let pretty = serde_json::from_str::<serde_json::Value>(&document)
            .ok()
            .and_then(|v| serde_json::to_vec_pretty(&v).ok())
            .unwrap_or_else(|| document.clone().into_bytes());
        files.push((format!("{stem}.json"), pretty));
    } else {
        files.push((format!("{stem}.jws"), document.clone().into_bytes()));
    }
    if let Some(j) = &jwt {
        files.push((format!("{stem}.jwt"), j.clone().into_bytes()));
    }
    Ok(Issued {
        document,
        jwt,
        baked,
        files,
    })
}
