//! Fetching what an assertion links to (BadgeClass, issuer Profile, keys,
//! revocation lists), with failures worded as skip checks.
//!
//! A linked document that declares an `id` other than the address it was
//! fetched from is accepted, with a warning, when both are on the same site;
//! one that claims an address on another site is fetched again from that
//! address, so a document can never borrow another site's identity.

use super::Check;
use super::{common, prop_str, same_authority, same_url, shared_detail, shared_source, Run};
use crate::fetch::{Fetched, SharedDoc};
use serde_json::Value;
use std::sync::Arc;

/// A BadgeClass or Profile as used for checking.
#[derive(Clone, Debug)]
pub(super) struct Node {
    /// The document (shared: a fetched document is parsed once per run).
    pub doc: Arc<Value>,
    /// Where it was fetched from (`None` when embedded).
    pub url: Option<String>,
    /// Was it fetched from its own address (rather than embedded)?
    pub fetched: bool,
}

impl Node {
    /// An object embedded in its parent, used as given.
    pub fn embedded(doc: Value) -> Node {
        Node {
            doc: Arc::new(doc),
            url: None,
            fetched: false,
        }
    }

    /// Its id: the declared `id`, else the address it was fetched from.
    pub fn id(&self) -> Option<&str> {
        prop_str(&self.doc, "id")
            .map(str::trim)
            .or(self.url.as_deref())
    }
}

/// A fetched body read as JSON, kept with the [`SharedDoc`].
pub(super) struct ParsedJson(pub Result<Arc<Value>, String>);

impl ParsedJson {
    pub fn of(f: &Fetched) -> ParsedJson {
        ParsedJson(
            std::str::from_utf8(&f.body)
                .map_err(|_| "the body is not UTF-8 text".to_owned())
                .and_then(|t| crate::payload::parse_json(t).map_err(|e| e.to_string()))
                .map(Arc::new),
        )
    }
}

/// Why a linked document could not be had: a message and a detail.
pub(super) type Problem = (String, String);

impl Run<'_> {
    /// Fetches `url` and insists on a 2xx answer. `what` names the document
    /// in messages ("the badge description").
    pub(super) fn get(&mut self, url: &str, what: &str) -> Result<Arc<SharedDoc>, Problem> {
        match self.fetch.get_shared(url) {
            Err(e) => Err((
                format!(
                    "Satchel could not get {what}: {}.",
                    common::fetch_failure("the issuer's server", &e)
                ),
                e.to_string(),
            )),
            Ok(f) if (200..300).contains(&f.fetched.status) => Ok(f),
            Ok(f) if matches!(f.fetched.status, 404 | 410) => Err((
                format!(
                    "Satchel could not get {what}: the issuer's server no longer has it (HTTP {}).",
                    f.fetched.status
                ),
                shared_detail(&f),
            )),
            Ok(f) => Err((
                format!(
                    "Satchel could not get {what}: the issuer's server answered with an error (HTTP {}).",
                    f.fetched.status
                ),
                shared_detail(&f),
            )),
        }
    }

    /// Fetches `url` and reads the body as a JSON document (parsed once per
    /// run and shared).
    pub(super) fn get_json(
        &mut self,
        url: &str,
        what: &str,
    ) -> Result<(Arc<Value>, Arc<SharedDoc>), Problem> {
        let shared = self.get(url, what)?;
        let parsed = shared.derive(ParsedJson::of);
        match &parsed.0 {
            Ok(doc) => Ok((Arc::clone(doc), shared)),
            Err(why) => Err((
                format!("Satchel could not read {what}: the issuer's server did not return a JSON document."),
                format!("{}: {why}", shared_detail(&shared)),
            )),
        }
    }

    /// Fetches a linked BadgeClass or Profile, pushing `{prefix}.fetch`
    /// (pass, or skip when it cannot be had) and `{prefix}.id` (warn when it
    /// declares another address).
    pub(super) fn linked(&mut self, url: &str, prefix: &str, what: &str) -> Option<Node> {
        let fetch_id = crate::verify::checks::linked_fetch(prefix);
        let id_id = crate::verify::checks::linked_id(prefix);
        let (doc, f) = match self.get_json(url, what) {
            Ok((doc, shared)) => (doc, shared),
            Err((message, detail)) => {
                self.push(Check::skip(&fetch_id, message, Some(detail)));
                return None;
            }
        };
        let declared = prop_str(&doc, "id")
            .map(str::trim)
            .filter(|d| common::is_http_url(d))
            .map(str::to_owned);
        if let Some(d) = declared {
            if !same_url(&d, url) && !same_url(&d, &f.fetched.final_url) {
                let detail = Some(format!("fetched {url}; its id is {d}"));
                if same_authority(&d, url) || same_authority(&d, &f.fetched.final_url) {
                    self.push(Check::pass(
                        &fetch_id,
                        format!("Satchel got {what} {}.", shared_source(&f)),
                        Some(shared_detail(&f)),
                    ));
                    self.push(Check::warn(
                        &id_id,
                        common::sentence(&format!(
                            "{what} gives a different address for itself than the one it was fetched from; Satchel used it because both are on the same site"
                        )),
                        detail,
                    ));
                    return Some(Node {
                        doc,
                        url: Some(url.to_owned()),
                        fetched: true,
                    });
                } else {
                    self.push(Check::warn(
                        &id_id,
                        common::sentence(&format!(
                            "{what} says it lives on another site, so Satchel fetched it from there"
                        )),
                        detail,
                    ));
                    return match self.get_json(&d, what) {
                        Ok((doc2, f2))
                            if prop_str(&doc2, "id").is_some_and(|i| same_url(i, &d)) =>
                        {
                            self.push(Check::pass(
                                &fetch_id,
                                format!("Satchel got {what} {}.", shared_source(&f2)),
                                Some(shared_detail(&f2)),
                            ));
                            Some(Node {
                                doc: doc2,
                                url: Some(d),
                                fetched: true,
                            })
                        }
                        Ok((_, f2)) => {
                            self.push(Check::skip(
                                &fetch_id,
                                common::sentence(&format!(
                                    "{what} gives conflicting addresses for itself, so Satchel cannot tell which copy is the issuer's"
                                )),
                                Some(shared_detail(&f2)),
                            ));
                            None
                        }
                        Err((message, detail)) => {
                            self.push(Check::skip(&fetch_id, message, Some(detail)));
                            None
                        }
                    };
                }
            }
        }
        self.push(Check::pass(
            &fetch_id,
            format!("Satchel got {what} {}.", shared_source(&f)),
            Some(shared_detail(&f)),
        ));
        Some(Node {
            doc,
            url: Some(url.to_owned()),
            fetched: true,
        })
    }
}
