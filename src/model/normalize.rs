//! Any version → [`BadgeView`], the one view the UI, the CLI and exports show.
//!
//! Reading never fails on odd input: a value of the wrong type is simply
//! missing from the view. Embedded badge classes and issuers are used when
//! present; when only a link is given its IRI is kept (`badge_id`,
//! `issuer.id`) and the names stay `None` (fetching is not this module's job).

use super::recipient::looks_hashed;
pub use super::v0::unix_to_rfc3339;
use super::v0::{DateValue, IriOrObject};
use super::{v0, v1, v2, v3};
use super::{AlignmentView, BadgeView, Criteria, EvidenceView, IssuerView, RecipientIdentity};
use crate::detect::{Detected, DocKind, Vcdm, Version};
use serde::Deserialize;
use serde_json::Value;

/// Normalizes a document into the view people see; `None` for documents that
/// do not describe a badge (keys, revocation lists, profiles alone, unknown).
///
/// Handles assertions of every version, OB 3.0 credentials (also as VC-JWT
/// claims, the credential in the `vc` claim), CLR credentials (the record
/// itself), badge classes and achievements alone, and endorsements.
pub fn normalize(doc: &Value, detected: &Detected) -> Option<BadgeView> {
    let obj = doc.as_object()?;
    // VC-JWT with VCDM 1.1: the credential is the `vc` claim, and registered
    // claims (`iss`, `nbf`, `jti`, `sub`, `exp`) stand in for missing fields.
    let inner = obj
        .get("vc")
        .filter(|vc| vc.is_object() && !obj.contains_key("credentialSubject"));
    let (doc, claims) = match inner {
        Some(vc) => (vc, parse::<v3::JwtClaims>(doc)),
        None if detected.vcdm.is_some() => (doc, parse::<v3::JwtClaims>(doc)),
        None => (doc, None),
    };
    let mut view = match (detected.kind, detected.version) {
        (DocKind::Assertion, Some(Version::V0_5)) => from_v0(doc)?,
        (DocKind::Assertion, Some(Version::V1_0 | Version::V1_1)) => from_v1(doc)?,
        (DocKind::Assertion, _) => from_v2(doc)?,
        (DocKind::BadgeClass, Some(Version::V1_0 | Version::V1_1)) => {
            let mut view = BadgeView::default();
            v1_badge_class(&mut view, &parse(doc)?);
            view
        }
        (DocKind::BadgeClass, _) => {
            let mut view = BadgeView::default();
            v2_badge_class(&mut view, &parse(doc)?);
            view
        }
        (DocKind::Endorsement, _) => from_v2_endorsement(doc)?,
        (DocKind::AchievementCredential, _) => from_v3(doc, detected.vcdm)?,
        (DocKind::EndorsementCredential, _) => from_endorsement_credential(doc, detected.vcdm)?,
        (DocKind::ClrCredential, _) => from_clr(doc, detected.vcdm)?,
        (DocKind::Achievement, _) => {
            let achievement: v3::Achievement = parse(doc)?;
            let mut view = BadgeView::default();
            if let Some(creator) = &achievement.creator {
                view.issuer = v3_issuer(creator);
            }
            v3_achievement(&mut view, &achievement);
            view
        }
        _ => return None,
    };
    if let Some(claims) = claims {
        fill_from_claims(&mut view, &claims);
    }
    Some(view)
}

fn parse<T: for<'de> Deserialize<'de>>(doc: &Value) -> Option<T> {
    T::deserialize(doc).ok()
}

fn date(d: &Option<DateValue>) -> Option<String> {
    d.as_ref().map(DateValue::display)
}

fn image(img: &Option<IriOrObject<v2::Image>>) -> Option<String> {
    match img.as_ref()? {
        IriOrObject::Iri(s) => Some(s.clone()),
        IriOrObject::Object(o) => o.id.clone(),
    }
}

fn criteria(c: &Option<IriOrObject<v2::Criteria>>) -> Criteria {
    match c {
        Some(IriOrObject::Iri(url)) => Criteria {
            url: Some(url.clone()),
            narrative: None,
        },
        Some(IriOrObject::Object(o)) => Criteria {
            url: o.id.clone(),
            narrative: o.narrative.clone(),
        },
        None => Criteria::default(),
    }
}

fn evidence(items: &[IriOrObject<v2::Evidence>]) -> Vec<EvidenceView> {
    items
        .iter()
        .map(|e| match e {
            IriOrObject::Iri(url) => EvidenceView {
                url: Some(url.clone()),
                ..Default::default()
            },
            IriOrObject::Object(o) => EvidenceView {
                url: o.id.clone(),
                name: o.name.clone(),
                description: o.description.clone(),
                narrative: o.narrative.clone(),
            },
        })
        .collect()
}

fn link_evidence(url: &Option<String>) -> Vec<EvidenceView> {
    url.iter()
        .map(|u| EvidenceView {
            url: Some(u.clone()),
            ..Default::default()
        })
        .collect()
}

/// A string recipient (OB 0.5, or a malformed 1.x assertion): an email or its hash.
fn string_recipient(value: &str, salt: Option<String>) -> RecipientIdentity {
    RecipientIdentity {
        kind: "email".to_owned(),
        hashed: looks_hashed(value),
        value: value.to_owned(),
        salt,
    }
}

fn v2_identity(id: &v2::IdentityObject) -> Option<RecipientIdentity> {
    let value = id.identity.clone()?;
    Some(RecipientIdentity {
        kind: id.kind.clone().unwrap_or_else(|| "email".to_owned()),
        hashed: id.hashed.unwrap_or_else(|| looks_hashed(&value)),
        value,
        salt: id.salt.clone(),
    })
}

fn v3_identity(id: &v3::IdentityObject) -> Option<RecipientIdentity> {
    let value = id.identity_hash.clone()?;
    Some(RecipientIdentity {
        kind: id.identity_type.clone().unwrap_or_default(),
        hashed: id.hashed.unwrap_or_else(|| looks_hashed(&value)),
        value,
        salt: id.salt.clone(),
    })
}

fn subject_recipients(
    id: &Option<String>,
    identifiers: &[v3::IdentityObject],
) -> Vec<RecipientIdentity> {
    let by_id = id.iter().map(|id| RecipientIdentity {
        kind: "id".to_owned(),
        value: id.clone(),
        hashed: false,
        salt: None,
    });
    by_id
        .chain(identifiers.iter().filter_map(v3_identity))
        .collect()
}

fn from_v0(doc: &Value) -> Option<BadgeView> {
    let a: v0::Assertion = parse(doc)?;
    let badge = a.badge.unwrap_or_default();
    let issuer = badge.issuer.unwrap_or_default();
    let abs = |s: &Option<String>| s.as_deref().map(|s| issuer.absolutize(s));
    let name = match (&issuer.name, &issuer.org) {
        (Some(name), Some(org)) if name != org => Some(format!("{name} ({org})")),
        (name, org) => name.clone().or_else(|| org.clone()),
    };
    Some(BadgeView {
        name: badge.name,
        description: badge.description,
        image: abs(&badge.image),
        criteria: Criteria {
            url: abs(&badge.criteria),
            narrative: None,
        },
        issuer: IssuerView {
            name,
            url: issuer.origin.clone(),
            email: issuer.contact.clone(),
            ..Default::default()
        },
        issued_on: date(&a.issued_on),
        expires: date(&a.expires),
        recipient: a
            .recipient
            .iter()
            .map(|r| string_recipient(r, a.salt.clone()))
            .collect(),
        evidence: link_evidence(&abs(&a.evidence)),
        ..Default::default()
    })
}

fn from_v1(doc: &Value) -> Option<BadgeView> {
    let a: v1::Assertion = parse(doc)?;
    let mut view = BadgeView::default();
    match &a.badge {
        Some(IriOrObject::Iri(url)) => view.badge_id = Some(url.clone()),
        Some(IriOrObject::Object(bc)) => v1_badge_class(&mut view, bc),
        None => {}
    }
    let hosted_url = [&a.verify, &a.verification]
        .into_iter()
        .flatten()
        .find(|v| {
            v.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("hosted"))
        })
        .and_then(|v| v.url.clone());
    view.id = a.id.or(hosted_url);
    view.image = view.image.or(a.image);
    view.issued_on = date(&a.issued_on);
    view.expires = date(&a.expires);
    view.evidence = link_evidence(&a.evidence);
    view.recipient = match doc.get("recipient") {
        Some(Value::String(s)) => vec![string_recipient(s, top_level_salt(doc))],
        _ => a
            .recipient
            .as_ref()
            .and_then(v2_identity)
            .into_iter()
            .collect(),
    };
    Some(view)
}

/// Top-level `salt` (OB 0.5 style), read leniently.
fn top_level_salt(doc: &Value) -> Option<String> {
    doc.get("salt").and_then(Value::as_str).map(str::to_owned)
}

fn v1_badge_class(view: &mut BadgeView, bc: &v1::BadgeClass) {
    view.badge_id = bc.id.clone();
    view.name = bc.name.clone();
    view.description = bc.description.clone();
    view.image = bc.image.clone();
    view.criteria = Criteria {
        url: bc.criteria.clone(),
        narrative: None,
    };
    view.issuer = match &bc.issuer {
        Some(IriOrObject::Iri(id)) => IssuerView {
            id: Some(id.clone()),
            ..Default::default()
        },
        Some(IriOrObject::Object(o)) => IssuerView {
            id: o.id.clone(),
            name: o.name.clone(),
            url: o.url.clone(),
            email: o.email.clone(),
            image: o.image.clone(),
            description: o.description.clone(),
        },
        None => IssuerView::default(),
    };
    view.alignments = bc
        .alignment
        .iter()
        .map(|a| AlignmentView {
            name: a.name.clone(),
            url: a.url.clone(),
            description: a.description.clone(),
            ..Default::default()
        })
        .collect();
    view.tags = bc.tags.clone();
}

fn from_v2(doc: &Value) -> Option<BadgeView> {
    let a: v2::Assertion = parse(doc)?;
    let mut view = BadgeView::default();
    match &a.badge {
        Some(IriOrObject::Iri(url)) => view.badge_id = Some(url.clone()),
        Some(IriOrObject::Object(bc)) => v2_badge_class(&mut view, bc),
        None => {}
    }
    view.id = a.id;
    view.image = view.image.or_else(|| image(&a.image));
    view.issued_on = date(&a.issued_on);
    view.expires = date(&a.expires);
    view.evidence = evidence(&a.evidence);
    view.narrative = a.narrative;
    view.endorsement_count += a.endorsement.len();
    view.recipient = match doc.get("recipient") {
        Some(Value::String(s)) => vec![string_recipient(s, top_level_salt(doc))],
        _ => a
            .recipient
            .as_ref()
            .and_then(v2_identity)
            .into_iter()
            .collect(),
    };
    Some(view)
}

fn v2_badge_class(view: &mut BadgeView, bc: &v2::BadgeClass) {
    view.badge_id = bc.id.clone();
    view.name = bc.name.clone();
    view.description = bc.description.clone();
    view.image = image(&bc.image);
    view.criteria = criteria(&bc.criteria);
    view.issuer = match &bc.issuer {
        Some(issuer) => v2_issuer(issuer),
        None => IssuerView::default(),
    };
    if let Some(IriOrObject::Object(issuer)) = &bc.issuer {
        view.endorsement_count += issuer.endorsement.len();
    }
    view.alignments = bc.alignment.iter().map(v2_alignment).collect();
    view.tags = bc.tags.clone();
    view.endorsement_count += bc.endorsement.len();
}

fn v2_issuer(issuer: &IriOrObject<v2::Profile>) -> IssuerView {
    match issuer {
        IriOrObject::Iri(id) => IssuerView {
            id: Some(id.clone()),
            ..Default::default()
        },
        IriOrObject::Object(p) => IssuerView {
            id: p.id.clone(),
            name: p.name.clone(),
            url: p.url.clone(),
            email: p.email.clone(),
            image: image(&p.image),
            description: p.description.clone(),
        },
    }
}

fn v2_alignment(a: &v2::AlignmentObject) -> AlignmentView {
    AlignmentView {
        name: a.target_name.clone(),
        url: a.target_url.clone(),
        description: a.target_description.clone(),
        framework: a.target_framework.clone(),
        code: a.target_code.clone(),
    }
}

fn from_v2_endorsement(doc: &Value) -> Option<BadgeView> {
    let e: v2::Endorsement = parse(doc)?;
    Some(BadgeView {
        id: e.id,
        issuer: e.issuer.as_ref().map(v2_issuer).unwrap_or_default(),
        issued_on: date(&e.issued_on),
        description: e.claim.and_then(|c| c.endorsement_comment),
        ..Default::default()
    })
}

/// Issue and expiry dates of a credential, by data model: VCDM 1.1 prefers
/// `issuanceDate`/`expirationDate`, 2.0 (and unknown) `validFrom`/`validUntil`.
fn vc_dates(
    vcdm: Option<Vcdm>,
    from: &Option<String>,
    until: &Option<String>,
    issued: &Option<String>,
    expires: &Option<String>,
) -> (Option<String>, Option<String>) {
    match vcdm {
        Some(Vcdm::V1_1) => (
            issued.clone().or_else(|| from.clone()),
            expires.clone().or_else(|| until.clone()),
        ),
        _ => (
            from.clone().or_else(|| issued.clone()),
            until.clone().or_else(|| expires.clone()),
        ),
    }
}

fn v3_issuer(issuer: &IriOrObject<v3::Profile>) -> IssuerView {
    match issuer {
        IriOrObject::Iri(id) => IssuerView {
            id: Some(id.clone()),
            ..Default::default()
        },
        IriOrObject::Object(p) => IssuerView {
            id: p.id.clone(),
            name: p.name.clone(),
            url: p.url.clone(),
            email: p.email.clone(),
            image: image(&p.image),
            description: p.description.clone(),
        },
    }
}

fn v3_achievement(view: &mut BadgeView, a: &v3::Achievement) {
    view.badge_id = a.id.clone();
    view.name = a.name.clone();
    view.description = a.description.clone();
    view.image = image(&a.image);
    view.criteria = criteria(&a.criteria);
    view.alignments = a
        .alignment
        .iter()
        .map(|a| AlignmentView {
            name: a.target_name.clone(),
            url: a.target_url.clone(),
            description: a.target_description.clone(),
            framework: a.target_framework.clone(),
            code: a.target_code.clone(),
        })
        .collect();
    view.tags = a.tag.clone();
    view.endorsement_count += a.endorsement.len() + a.endorsement_jwt.len();
}

fn from_v3(doc: &Value, vcdm: Option<Vcdm>) -> Option<BadgeView> {
    let c: v3::AchievementCredential = parse(doc)?;
    let subject = c.credential_subject.unwrap_or_default();
    let mut view = BadgeView::default();
    if let Some(achievement) = &subject.achievement {
        v3_achievement(&mut view, achievement);
        if c.issuer.is_none() {
            view.issuer = achievement
                .creator
                .as_ref()
                .map(v3_issuer)
                .unwrap_or_default();
        }
    }
    view.name = view.name.or(c.name);
    view.description = view.description.or(c.description);
    view.image = view
        .image
        .or_else(|| image(&subject.image))
        .or_else(|| image(&c.image));
    if let Some(issuer) = &c.issuer {
        view.issuer = v3_issuer(issuer);
        if let IriOrObject::Object(p) = issuer {
            view.endorsement_count += p.endorsement.len() + p.endorsement_jwt.len();
        }
    }
    (view.issued_on, view.expires) = vc_dates(
        vcdm,
        &c.valid_from,
        &c.valid_until,
        &c.issuance_date,
        &c.expiration_date,
    );
    view.recipient = subject_recipients(&subject.id, &subject.identifier);
    view.evidence = evidence(&c.evidence);
    view.id = c.id;
    view.narrative = subject.narrative;
    view.endorsement_count += c.endorsement.len() + c.endorsement_jwt.len();
    Some(view)
}

fn from_endorsement_credential(doc: &Value, vcdm: Option<Vcdm>) -> Option<BadgeView> {
    let c: v3::EndorsementCredential = parse(doc)?;
    let (issued_on, expires) = vc_dates(
        vcdm,
        &c.valid_from,
        &c.valid_until,
        &c.issuance_date,
        &c.expiration_date,
    );
    let comment = c.credential_subject.and_then(|s| s.endorsement_comment);
    Some(BadgeView {
        id: c.id,
        name: c.name,
        description: c.description.or(comment),
        issuer: c.issuer.as_ref().map(v3_issuer).unwrap_or_default(),
        issued_on,
        expires,
        ..Default::default()
    })
}

fn from_clr(doc: &Value, vcdm: Option<Vcdm>) -> Option<BadgeView> {
    let c: v3::ClrCredential = parse(doc)?;
    let (issued_on, expires) = vc_dates(
        vcdm,
        &c.valid_from,
        &c.valid_until,
        &c.issuance_date,
        &c.expiration_date,
    );
    let subject = c.credential_subject.unwrap_or_default();
    Some(BadgeView {
        id: c.id,
        name: c.name,
        description: c.description,
        image: image(&c.image),
        issuer: c.issuer.as_ref().map(v3_issuer).unwrap_or_default(),
        issued_on,
        expires,
        recipient: subject_recipients(&subject.id, &subject.identifier),
        ..Default::default()
    })
}

fn fill_from_claims(view: &mut BadgeView, claims: &v3::JwtClaims) {
    if view.issued_on.is_none() {
        view.issued_on = claims.nbf.or(claims.iat).map(unix_to_rfc3339);
    }
    if view.expires.is_none() {
        view.expires = claims.exp.map(unix_to_rfc3339);
    }
    if view.id.is_none() {
        view.id = claims.jti.clone();
    }
    if view.issuer.id.is_none() {
        view.issuer.id = claims.iss.clone();
    }
    if view.recipient.is_empty() {
        if let Some(sub) = &claims.sub {
            view.recipient = subject_recipients(&Some(sub.clone()), &[]);
        }
    }
}
