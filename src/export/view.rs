//! The view models the templates render: a badge as its page and card show
//! it (`BadgeModel` and its parts), with the documents verification fetched
//! filled in, its endorsements and the LinkedIn link.

use super::layout::{safe_link, FileLink};
use super::words::year_month;
use crate::inspect::PayloadKind;
use crate::model::BadgeView;
use crate::verify::{BadgeFormat, Report, Verdict};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// The LinkedIn "Add to profile" URL for a certification, or `None` when the
/// badge is not verified (LinkedIn should only ever list checked badges).
///
/// `cert_url` is the badge page's public URL (needs a base URL at export).
pub fn linkedin_url(report: &Report, badge: &BadgeView, cert_url: Option<&str>) -> Option<String> {
    if report.status != Verdict::Verified {
        return None;
    }
    let name = badge.name.as_deref().filter(|s| !s.trim().is_empty())?;
    let mut params: Vec<(&str, String)> = vec![
        ("startTask", "CERTIFICATION_NAME".to_owned()),
        ("name", name.trim().to_owned()),
    ];
    if let Some(org) = badge
        .issuer
        .name
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        params.push(("organizationName", org.trim().to_owned()));
    }
    if let Some((y, m)) = badge.issued_on.as_deref().and_then(year_month) {
        params.push(("issueYear", y.to_string()));
        params.push(("issueMonth", m.to_string()));
    }
    if let Some((y, m)) = badge.expires.as_deref().and_then(year_month) {
        params.push(("expirationYear", y.to_string()));
        params.push(("expirationMonth", m.to_string()));
    }
    if let Some(id) = badge.id.as_deref().filter(|s| !s.trim().is_empty()) {
        params.push(("certId", id.trim().to_owned()));
    }
    if let Some(u) = cert_url.and_then(safe_link) {
        params.push(("certUrl", u));
    }
    url::Url::parse_with_params("https://www.linkedin.com/profile/add", &params)
        .ok()
        .map(|u| u.to_string())
}

#[derive(Serialize)]
pub(super) struct Link {
    pub(super) text: String,
    pub(super) url: Option<String>,
}

#[derive(Serialize)]
pub(super) struct EvidenceItem {
    pub(super) name: Option<String>,
    pub(super) url: Option<String>,
    pub(super) description: Option<String>,
    pub(super) narrative: Option<String>,
}

#[derive(Serialize)]
pub(super) struct AlignmentItem {
    pub(super) name: String,
    pub(super) url: Option<String>,
    pub(super) description: Option<String>,
    pub(super) framework: Option<String>,
    pub(super) code: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CheckItem {
    pub(super) status: &'static str,
    pub(super) symbol: &'static str,
    pub(super) message: String,
    /// The whole message, for the technical details, when `message` is shortened.
    pub(super) technical: Option<String>,
}

/// Everything a badge page and its card show.
#[derive(Serialize)]
pub(super) struct BadgeModel {
    pub(super) id: String,
    pub(super) page: String,
    pub(super) url: Option<String>,
    pub(super) name: String,
    pub(super) description: Option<String>,
    pub(super) description_paras: Vec<String>,
    pub(super) image: Option<String>,
    pub(super) image_from_index: Option<String>,
    pub(super) image_abs: Option<String>,
    pub(super) issuer_name: Option<String>,
    pub(super) issuer_url: Option<String>,
    /// How the issuer is identified ("Issuer confirmed by club.example.").
    pub(super) issuer_identity: Option<String>,
    pub(super) issuer_image: Option<String>,
    pub(super) issuer_description: Option<String>,
    pub(super) issued: Option<String>,
    pub(super) expires: Option<String>,
    pub(super) expired: bool,
    pub(super) criteria_url: Option<String>,
    pub(super) criteria_text: Option<String>,
    pub(super) criteria_paras: Vec<String>,
    pub(super) narrative: Option<String>,
    pub(super) recipient_name: Option<String>,
    pub(super) evidence: Vec<EvidenceItem>,
    pub(super) evidence_hidden: usize,
    pub(super) alignments: Vec<AlignmentItem>,
    pub(super) endorsements: Vec<Link>,
    pub(super) endorsement_count: usize,
    pub(super) tags: Vec<String>,
    pub(super) verdict: &'static str,
    pub(super) verdict_text: &'static str,
    pub(super) verdict_explained: String,
    pub(super) checked_at: String,
    pub(super) checked_at_iso: String,
    pub(super) format: BadgeFormat,
    pub(super) version: Option<&'static str>,
    pub(super) checks: Vec<CheckItem>,
    pub(super) files: Vec<FileLink>,
    /// Said beside the files when the image shown is a cleaned copy of the original.
    pub(super) files_note: Option<String>,
    pub(super) withheld: Option<String>,
    pub(super) linkedin: Option<String>,
    pub(super) assertion_url: Option<String>,
    pub(super) self_check: bool,
    pub(super) embed: String,
}

/// Endorsements named in the document (OB 2.0 `endorsement`, OB 3.0
/// `endorsement` on the credential, achievement or issuer): the endorser's name
/// and link.
pub(super) fn endorsements(doc: Option<&Value>) -> Vec<Link> {
    let mut out = Vec::new();
    let Some(doc) = doc else { return out };
    let mut places = vec![doc.get("endorsement")];
    if let Some(cs) = doc.get("credentialSubject") {
        let cs = cs.as_array().and_then(|a| a.first()).unwrap_or(cs);
        places.push(cs.get("achievement").and_then(|a| a.get("endorsement")));
    }
    places.push(doc.get("badge").and_then(|b| b.get("endorsement")));
    places.push(doc.get("issuer").and_then(|i| i.get("endorsement")));
    for list in places.into_iter().flatten() {
        let items: Vec<&Value> = match list {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        for e in items.into_iter().take(50) {
            let issuer = e.get("issuer");
            let name = issuer
                .and_then(|i| i.get("name"))
                .and_then(Value::as_str)
                .or_else(|| e.get("name").and_then(Value::as_str))
                .or_else(|| issuer.and_then(Value::as_str))
                .or_else(|| e.as_str())
                .unwrap_or("An endorser");
            let url = issuer
                .and_then(|i| i.get("url").or(i.get("id")))
                .and_then(Value::as_str)
                .or_else(|| issuer.and_then(Value::as_str))
                .and_then(safe_link);
            out.push(Link {
                text: name.chars().take(300).collect(),
                url,
            });
        }
    }
    out
}

/// The badge as people see it, with the linked documents verification fetched
/// filled in: an OB 2.0 assertion that names its badge class (and the class
/// its issuer) by URL shows their name, image and criteria; a hosted badge
/// baked as a URL shows the assertion the issuer served.
pub(super) fn enriched_view(
    ins: &crate::inspect::Inspection,
    docs: &HashMap<&str, &[u8]>,
) -> BadgeView {
    let json_doc = |u: &str| {
        docs.get(u.trim())
            .and_then(|b| serde_json::from_slice::<Value>(b).ok())
            .filter(Value::is_object)
    };
    let base = ins.document.clone().or_else(|| {
        (ins.payload_kind == PayloadKind::Url)
            .then(|| json_doc(&ins.payload))
            .flatten()
    });
    let Some(mut doc) = base else {
        return ins.badge.clone().unwrap_or_default();
    };
    let mut changed = ins.document.is_none();
    if let Some(class) = doc.get("badge").and_then(Value::as_str).and_then(&json_doc) {
        doc["badge"] = class;
        changed = true;
    }
    if let Some(issuer) = doc
        .get("badge")
        .and_then(|b| b.get("issuer"))
        .and_then(Value::as_str)
        .and_then(&json_doc)
    {
        doc["badge"]["issuer"] = issuer;
        changed = true;
    }
    if !changed {
        return ins.badge.clone().unwrap_or_default();
    }
    let detected = crate::detect::detect_json(&doc);
    crate::model::normalize(&doc, &detected)
        .or_else(|| ins.badge.clone())
        .unwrap_or_default()
}
