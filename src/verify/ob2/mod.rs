//! Open Badges 0.5, 1.0, 1.1 and 2.0: hosted and signed verification.
//!
//! The pipeline (1EdTech's validator-core, made explicit; see the shared
//! reference §5–6):
//!
//! 1. **Get the assertion.** A URL (a legacy baked PNG, a pasted link), or JSON
//!    whose `id` (2.0) or `verify.url` (1.x hosted) is an http(s) URL, is
//!    fetched; the issuer's copy is authoritative and a presented copy that
//!    differs only earns a warning. HTTP 410 or `"revoked": true` means
//!    revoked, 404 means gone (fail), an unreachable server means
//!    unverifiable. A fetched baked image is unbaked and followed; a fetched
//!    OB 3.0 credential is handed to the OB 3.0 verifier. A compact JWS is a
//!    signed assertion and is never fetched.
//! 2. **Check its structure** ([`structure`]): context, type, required
//!    fields, the recipient's IdentityObject, images, extensions.
//! 3. **Resolve the BadgeClass and the issuer Profile** ([`linked`]): URLs are
//!    fetched (each once; the [`Fetch`] memoizes); embedded objects are used as
//!    given, except that hosted badges use the fetched copies of objects with
//!    http(s) ids and signed badges always fetch the issuer's Profile (keys
//!    named only in an embedded Profile are not trusted).
//! 4. **Hosted:** the issuer's `verification` policy (`startsWith`,
//!    `allowedOrigins`, by default the issuer's own host) must cover the
//!    assertion's address. **Signed** ([`signed`]): allow-listed algorithm,
//!    key from `verification.creator` owned by and listed in the issuer's
//!    Profile (1.x: the PEM at `verify.url`), signature, revocation list.
//! 5. **Dates, expiry and recipient** (shared with OB 3.0 in `common`).
//! 6. **Endorsements** ([`endorse`]) of the assertion, its BadgeClass and its
//!    issuer, each verified as an Endorsement document of its own (fetched
//!    from its address, the endorser's Profile and hosting policy or key);
//!    one `endorsement.N` check each, a warning when it does not verify.
//!
//! Check ids: `hosted.url`, `hosted.fetch`, `hosted.id`, `hosted.copy`,
//! `hosted.scope`, `revocation.hosted`, `format.ob3`, `assertion.kind`,
//! `assertion.context`, `assertion.type`, `assertion.fields`,
//! `assertion.recipient`, `assertion.image`, `assertion.extensions`,
//! `extension.N` (each extension against its schema, [`extension`]),
//! `badge.fetch`, `badge.id`, `badge.type`, `badge.fields`, `badge.image`,
//! `issuer.fetch`, `issuer.id`, `issuer.type`, `issuer.fields`,
//! `issuer.image`, `issuer.http`, `signature.jws`, `signature.key`,
//! `signature.issuer`, `revocation.list`, `endorsement.N`, `endorsement`
//! (more than Satchel checks), and from `common`: `dates.start`,
//! `dates.order`, `dates.format`, `expiry`, `recipient`. An endorsement's own
//! report adds `endorsement.context`, `endorsement.type`,
//! `endorsement.fields`, `endorsement.kind`.

mod endorse;
mod extension;
mod linked;
mod signed;
mod structure;

use super::common::{self, clip, DateField};
use super::{BadgeFormat, Check, Options, Report};
use crate::detect::{self, DocKind, Version};
use crate::fetch::{Fetch, Fetched};
use crate::inspect::{Inspection, PayloadKind};
use crate::jws::CompactJws;
use crate::verify::checks;
use linked::Node;
use serde_json::Value;

/// How many hosted addresses one verification may follow (a baked image
/// served at a URL whose badge names another URL …).
const MAX_HOPS: usize = 4;

/// Verifies an OB 0.5–2.0 input into `report`.
pub(crate) fn verify(input: &Inspection, fetch: &dyn Fetch, opts: &Options, report: &mut Report) {
    let mut run = Run {
        fetch,
        opts,
        report,
        visited: Vec::new(),
        depth: 0,
    };
    run.input(input);
}

/// One verification run.
struct Run<'a> {
    fetch: &'a dyn Fetch,
    opts: &'a Options,
    report: &'a mut Report,
    /// Hosted addresses fetched so far (loops and chains stop here).
    visited: Vec<String>,
    /// 0 for the input; 1 for one of its endorsements (an Endorsement, not an
    /// Assertion, is then what is verified).
    depth: usize,
}

/// How the assertion under check was obtained.
#[derive(Clone, Copy)]
enum Mode<'m> {
    /// Fetched from the issuer's server; `id` is the address it was confirmed at.
    Hosted { id: &'m str },
    /// A compact JWS: the signature decides.
    Signed { jws: &'m CompactJws },
    /// A presented copy that could not be confirmed (no address, server
    /// unreachable, or a signed badge without its signature).
    Presented,
}

/// How an assertion says it is verified.
enum Method {
    /// Hosted, at this address (if it has one).
    Hosted(Option<String>),
    /// Signed (but here without its JWS).
    Signed,
}

impl Run<'_> {
    fn push(&mut self, check: Check) {
        self.report.push(check);
    }

    fn input(&mut self, input: &Inspection) {
        match input.payload_kind {
            PayloadKind::Url => {
                let url = input.payload.trim().to_owned();
                self.hosted(&url, None);
            }
            PayloadKind::Jws => self.signed_jws(input),
            PayloadKind::Json => match &input.document {
                Some(doc) => self.presented(doc, input.version),
                None => self.push(Check::skip(
                    checks::ASSERTION_KIND,
                    "Satchel found nothing it can verify in this input.",
                    None,
                )),
            },
        }
    }

    /// JSON handed in by the user (or unbaked from an image).
    fn presented(&mut self, doc: &Value, version: Option<Version>) {
        let version = version.unwrap_or_else(|| version_of(doc));
        if !self.accepts(doc) {
            self.not_an_assertion(doc);
            return;
        }
        self.describe(doc, version);
        match method(doc, version) {
            Method::Hosted(Some(url)) => self.hosted(&url, Some(doc)),
            Method::Hosted(None) => {
                self.report.format = BadgeFormat::Hosted;
                let message = if version == Version::V0_5 {
                    "This Open Badges 0.5 badge came without the web address it was published at, so Satchel cannot check it with its issuer.".to_owned()
                } else {
                    let id = prop_str(doc, "id").unwrap_or("none");
                    format!("This badge has no web address where its issuer hosts it (its id is {}), so Satchel cannot check it with its issuer.", clip(id, 80))
                };
                self.push(Check::skip(
                    checks::HOSTED_URL,
                    message,
                    Some("a hosted assertion is verified by fetching its http(s) id (1.x: verify.url)".to_owned()),
                ));
                self.assertion(doc, version, Mode::Presented);
            }
            Method::Signed => {
                self.report.format = BadgeFormat::Signed;
                self.push(Check::skip(
                    checks::SIGNATURE_JWS,
                    "This badge says it is signed, but Satchel was given it without its signature, so the signature cannot be checked.",
                    Some("verification type is signed, but the input is plain JSON, not a compact JWS".to_owned()),
                ));
                self.assertion(doc, version, Mode::Presented);
            }
        }
    }

    /// A compact JWS (a signed assertion).
    fn signed_jws(&mut self, input: &Inspection) {
        self.report.format = BadgeFormat::Signed;
        let decoded = match &input.jws {
            Some(jws) => Ok(std::borrow::Cow::Borrowed(jws)),
            None => crate::jws::decode(&input.payload).map(std::borrow::Cow::Owned),
        };
        let jws = match decoded {
            Ok(jws) => jws,
            Err(e) => {
                self.push(Check::fail(
                    checks::SIGNATURE_JWS,
                    "The badge's signature is damaged and cannot be read.",
                    Some(e.to_string()),
                ));
                return;
            }
        };
        let Some(doc) = input.document.as_ref() else {
            self.push(Check::fail(
                checks::SIGNATURE_JWS,
                "The signed badge's content is not readable JSON.",
                None,
            ));
            return;
        };
        let version = input.version.unwrap_or_else(|| version_of(doc));
        if !self.accepts(doc) {
            self.not_an_assertion(doc);
            return;
        }
        self.describe(doc, version);
        self.assertion(doc, version, Mode::Signed { jws: &jws });
    }

    fn not_an_assertion(&mut self, doc: &Value) {
        let d = detect::detect_json(doc);
        let what = match d.kind {
            DocKind::BadgeClass => "a badge description (BadgeClass)",
            DocKind::Profile => "an issuer profile",
            DocKind::CryptographicKey => "a public key",
            DocKind::RevocationList => "a revocation list",
            DocKind::Endorsement => "an endorsement",
            _ => "",
        };
        let message = if what.is_empty() {
            "This is not an Open Badges assertion Satchel can verify.".to_owned()
        } else {
            format!(
                "This is {what}, not a badge awarded to someone, so there is nothing to verify."
            )
        };
        self.push(Check::skip(
            checks::ASSERTION_KIND,
            message,
            Some(format!("document kind: {}", d.kind)),
        ));
    }

    /// Fetches a hosted assertion at `url`; `presented` is the copy the user has.
    fn hosted(&mut self, url: &str, presented: Option<&Value>) {
        self.report.format = BadgeFormat::Hosted;
        let Some(fetched) = self.fetch_hosted(url, presented) else {
            return;
        };
        let found = match crate::inspect::inspect(&fetched.body) {
            Ok(found) => found,
            Err(e) => {
                self.push(Check::fail(
                    checks::HOSTED_FETCH,
                    "The issuer's server did not return a badge at this badge's address.",
                    Some(format!("{}: {e}", fetched_detail(&fetched))),
                ));
                return;
            }
        };
        let how = match found.baked {
            Some(_) => "baked into an image",
            None => "",
        };
        if matches!(found.version, Some(Version::V3_0 | Version::Clr2_0)) {
            self.push(fetched_check(&fetched, how));
            self.hosted_ob3(url, &found);
            return;
        }
        match found.payload_kind {
            PayloadKind::Url => {
                // A baked image (legacy 0.5/1.0) that holds a URL: follow it.
                self.push(fetched_check(&fetched, how));
                let next = found.payload.trim().to_owned();
                self.hosted(&next, presented);
                return;
            }
            PayloadKind::Jws => {
                self.push(fetched_check(&fetched, how));
                self.signed_jws(&found);
                return;
            }
            PayloadKind::Json => {}
        }
        let Some(doc) = found.document.as_ref() else {
            return;
        };
        let version = found.version.unwrap_or_else(|| version_of(doc));
        if !self.accepts(doc) {
            self.push(Check::fail(
                checks::HOSTED_FETCH,
                format!(
                    "The issuer's server returned {} at this badge's address, not a badge.",
                    match found.kind {
                        DocKind::BadgeClass => "a badge description",
                        DocKind::Profile => "an issuer profile",
                        _ => "a document",
                    }
                ),
                Some(fetched_detail(&fetched)),
            ));
            return;
        }
        let Some(id) = self.hosted_id(url, &fetched, &found, doc, version, presented) else {
            return;
        };
        self.push(fetched_check(&fetched, how));
        self.push(Check::pass(
            checks::REVOCATION_HOSTED,
            "The issuer's server does not say this badge was revoked.",
            None,
        ));
        if let Some(presented) = presented {
            self.compare_copy(presented, doc);
        }
        self.describe(doc, version);
        self.assertion(doc, version, Mode::Hosted { id: &id });
    }

    /// Fetches `url` (unless the addresses followed lead in a circle or too
    /// far) and answers the HTTP status: `None` when that decided the check
    /// (revoked, gone, or unreachable with the presented copy checked instead).
    fn fetch_hosted(&mut self, url: &str, presented: Option<&Value>) -> Option<Fetched> {
        if self.visited.len() >= MAX_HOPS || self.visited.iter().any(|v| same_url(v, url)) {
            self.push(Check::skip(
                checks::HOSTED_FETCH,
                "The badge's web addresses lead in a circle or too far, so Satchel stopped following them.",
                Some(format!("followed: {}; next: {url}", self.visited.join(" → "))),
            ));
            self.fallback(presented);
            return None;
        }
        self.visited.push(url.to_owned());
        let fetched = match self.fetch.get(url) {
            Ok(f) => f,
            Err(e) => {
                let message = format!(
                    "Satchel could not check this badge with its issuer: {}.",
                    common::fetch_failure("the issuer's server", &e)
                );
                self.push(Check::skip(
                    checks::HOSTED_FETCH,
                    message,
                    Some(e.to_string()),
                ));
                self.fallback(presented);
                return None;
            }
        };
        match fetched.status {
            410 => {
                let reason = body_json(&fetched).and_then(|d| revocation_reason(&d));
                let detail = fetched_detail(&fetched);
                self.revoked_by_server(reason, detail);
                return None;
            }
            404 => {
                self.push(Check::fail(
                    checks::HOSTED_FETCH,
                    "The issuer's server no longer has this badge.",
                    Some(fetched_detail(&fetched)),
                ));
                return None;
            }
            200..=299 => {}
            status => {
                self.push(Check::skip(
                    checks::HOSTED_FETCH,
                    format!("Satchel could not check this badge with its issuer: the issuer's server answered with an error (HTTP {status})."),
                    Some(fetched_detail(&fetched)),
                ));
                self.fallback(presented);
                return None;
            }
        }
        // A revoked assertion's body may hold only `id`, `revoked` and a reason.
        if let Some(doc) = body_json(&fetched).filter(is_revoked) {
            let detail = format!(
                "{}; the body says \"revoked\": true",
                fetched_detail(&fetched)
            );
            self.revoked_by_server(revocation_reason(&doc), detail);
            return None;
        }
        Some(fetched)
    }

    /// The issuer's server returned an OB 3.0 credential: check it as one.
    fn hosted_ob3(&mut self, url: &str, found: &Inspection) {
        self.push(Check::pass(
            "format.ob3",
            "The issuer's server returned an Open Badges 3.0 credential, so Satchel checked it as one.",
            Some(format!("{}: {}", url, found.kind)),
        ));
        self.report.version = found.version;
        self.report.kind = found.kind;
        if let Some(badge) = &found.badge {
            self.report.assertion_id = badge.id.clone().or(self.report.assertion_id.take());
            self.report.badge_name = badge.name.clone().or(self.report.badge_name.take());
        }
        super::ob3::verify(found, self.fetch, self.opts, self.report);
    }

    /// The assertion's address: where the issuer's copy `doc` (fetched from
    /// `url`) says it lives, when that is the same site. `None` when it lives
    /// elsewhere and was followed there instead (as is an image baked with an
    /// assertion that lives elsewhere).
    fn hosted_id(
        &mut self,
        url: &str,
        fetched: &Fetched,
        found: &Inspection,
        doc: &Value,
        version: Version,
        presented: Option<&Value>,
    ) -> Option<String> {
        let declared = match method(doc, version) {
            Method::Hosted(Some(id)) => Some(id),
            _ => None,
        };
        let elsewhere = |d: &&str| !same_url(d, url) && !same_url(d, &fetched.final_url);
        if found.baked.is_some() {
            // An image baked with an assertion that lives elsewhere: the
            // image is only a copy; check the assertion at its own address.
            if let Some(d) = declared.as_deref().filter(elsewhere) {
                self.push(fetched_check(fetched, "baked into an image"));
                let d = d.to_owned();
                self.hosted(&d, presented.or(Some(doc)));
                return None;
            }
        }
        match declared {
            Some(d) if elsewhere(&d.as_str()) => {
                if same_authority(&d, url) {
                    self.push(Check::warn(
                        checks::HOSTED_ID,
                        "The issuer's copy gives a slightly different address for itself; Satchel accepted it because it is on the same site.",
                        Some(format!("fetched {url}; the assertion's id is {d}")),
                    ));
                    Some(d)
                } else {
                    self.push(Check::warn(
                        checks::HOSTED_ID,
                        "The badge found at this address says it lives on another site; Satchel checked it there.",
                        Some(format!("fetched {url}; the assertion's id is {d}")),
                    ));
                    self.hosted(&d, Some(doc));
                    None
                }
            }
            Some(d) => Some(d),
            None => Some(url.to_owned()),
        }
    }

    /// Says whether the user's copy of a hosted badge is the issuer's.
    fn compare_copy(&mut self, presented: &Value, doc: &Value) {
        if presented == doc {
            self.push(Check::pass(
                checks::HOSTED_COPY,
                "Your copy of the badge is the same as the issuer's.",
                None,
            ));
        } else {
            self.push(Check::warn(
                checks::HOSTED_COPY,
                "Your copy of the badge differs from the issuer's; Satchel checked the issuer's copy.",
                Some(format!("differing properties: {}", differing_keys(presented, doc))),
            ));
        }
    }

    /// The hosted copy is unavailable: check what the user has, unconfirmed.
    fn fallback(&mut self, presented: Option<&Value>) {
        if let Some(doc) = presented {
            let version = version_of(doc);
            self.assertion(doc, version, Mode::Presented);
        }
    }

    fn revoked_by_server(&mut self, reason: Option<String>, detail: String) {
        self.report.revoked = true;
        let message = match reason {
            Some(r) => common::sentence(&format!(
                "The issuer's server says this badge was revoked. Reason: {}",
                clip(&r, 300)
            )),
            None => "The issuer's server says this badge was revoked.".to_owned(),
        };
        self.push(Check::fail(
            checks::REVOCATION_HOSTED,
            message,
            Some(detail),
        ));
    }

    /// Is `doc` what this run verifies: an assertion (or trying to be one),
    /// or, for an endorsement's run, an Endorsement?
    fn accepts(&self, doc: &Value) -> bool {
        if self.depth == 0 {
            is_assertion(doc)
        } else {
            detect::detect_json(doc).kind == DocKind::Endorsement
                || (doc.get("claim").is_some() && doc.get("issuer").is_some())
        }
    }

    /// Fills the report's display fields from an assertion.
    fn describe(&mut self, doc: &Value, version: Version) {
        if self.depth > 0 {
            // An endorsement: its id and endorser (named once its profile is read).
            self.report.version = Some(version);
            self.report.assertion_id = prop_str(doc, "id").map(str::to_owned);
            self.report.issuer = prop_id(doc, "issuer").map(str::to_owned);
            return;
        }
        self.report.version = Some(version);
        self.report.kind = DocKind::Assertion;
        let view = view_of(doc, version);
        if let Some(view) = view {
            if view.id.is_some() {
                self.report.assertion_id = view.id;
            }
            if view.name.is_some() {
                self.report.badge_name = view.name;
            }
            if let Some(issuer) = view.issuer.name.or(view.issuer.id) {
                self.report.issuer = Some(issuer);
            }
        }
    }

    /// Every check of one assertion, once its copy is settled.
    fn assertion(&mut self, doc: &Value, version: Version, mode: Mode<'_>) {
        if self.depth > 0 {
            self.endorsement_doc(doc, mode);
            return;
        }
        structure::assertion(self.report, doc, version);
        let badge = self.badge_class(doc, version, mode);
        if let Some(badge) = &badge {
            structure::badge_class(self.report, &badge.doc, version);
            if let Some(name) = prop_str(&badge.doc, "name") {
                self.report.badge_name = Some(name.to_owned());
            }
        }
        let issuer = badge
            .as_ref()
            .and_then(|b| self.issuer(&b.doc, version, mode));
        if let Some(issuer) = &issuer {
            if let Some(id) = issuer.id() {
                self.report.issuer_id = Some(id.to_owned());
            }
            structure::issuer(self.report, &issuer.doc, version);
            if let Some(name) = prop_str(&issuer.doc, "name").or(issuer.id()) {
                self.report.issuer = Some(name.to_owned());
            }
        }
        if version == Version::V2_0 {
            let mut nodes: Vec<(&str, &Value)> = vec![("the badge", doc)];
            if let Some(b) = &badge {
                nodes.push(("the badge description", &b.doc));
            }
            if let Some(i) = &issuer {
                nodes.push(("the issuer's profile", &i.doc));
            }
            self.extensions(&nodes);
        }
        match mode {
            Mode::Hosted { id } => self.scope(id, issuer.as_ref(), version),
            Mode::Signed { jws } => signed::check(self, doc, version, jws, issuer.as_ref()),
            Mode::Presented => {}
        }
        let (start, end) = match version {
            Version::V0_5 => ("issued_on", "expires"),
            _ => ("issuedOn", "expires"),
        };
        let field = |name: &'static str| {
            doc.get(name)
                .or_else(|| {
                    doc.get(if name == "issuedOn" {
                        "issued_on"
                    } else {
                        name
                    })
                })
                .map(|value| DateField { name, value })
        };
        common::check_dates(
            self.report,
            self.opts,
            field(start),
            field(end),
            version == Version::V2_0,
        );
        // The recipient is compared only with identities the user gave.
        if self.opts.recipients.iter().any(|r| !r.trim().is_empty()) {
            let identities = view_of(doc, version)
                .map(|v| v.recipient)
                .unwrap_or_default();
            common::check_recipient(self.report, self.opts, &identities);
        }
        self.endorsements(
            doc,
            badge.as_ref().map(|b| &*b.doc),
            issuer.as_ref().map(|i| &*i.doc),
        );
    }

    /// Every check of one OB 2.0 Endorsement (in an endorsement's run):
    /// structure, the endorser's profile, hosting policy or signature, dates.
    fn endorsement_doc(&mut self, doc: &Value, mode: Mode<'_>) {
        structure::endorsement(self.report, doc);
        let refetch_embedded = !matches!(mode, Mode::Presented);
        let issuer = match prop(doc, "issuer") {
            Some(v) => self.resolve(v, "issuer", "the endorser's profile", refetch_embedded),
            None => None,
        };
        if let Some(issuer) = &issuer {
            structure::issuer(self.report, &issuer.doc, Version::V2_0);
            if let Some(name) = prop_str(&issuer.doc, "name").or(issuer.id()) {
                self.report.issuer = Some(name.to_owned());
            }
        }
        match mode {
            Mode::Hosted { id } => self.scope(id, issuer.as_ref(), Version::V2_0),
            Mode::Signed { jws } => signed::check(self, doc, Version::V2_0, jws, issuer.as_ref()),
            Mode::Presented => {}
        }
        let field = |name: &'static str| doc.get(name).map(|value| DateField { name, value });
        common::check_dates(
            self.report,
            self.opts,
            field("issuedOn"),
            field("expires"),
            true,
        );
    }

    /// The BadgeClass: fetched when a URL (or, for hosted badges, when an
    /// embedded object has an http(s) id), else used as given.
    fn badge_class(&mut self, doc: &Value, version: Version, mode: Mode<'_>) -> Option<Node> {
        if version == Version::V0_5 {
            return prop(doc, "badge")
                .filter(|b| b.is_object())
                .map(|b| Node::embedded(b.clone()));
        }
        let refetch_embedded = matches!(mode, Mode::Hosted { .. });
        self.resolve(
            prop(doc, "badge")?,
            "badge",
            "the badge description",
            refetch_embedded,
        )
    }

    /// The issuer Profile named by a BadgeClass. Signed badges always use the
    /// copy fetched from the issuer's address when it has one.
    fn issuer(&mut self, badge: &Value, version: Version, mode: Mode<'_>) -> Option<Node> {
        if version == Version::V0_5 {
            return prop(badge, "issuer")
                .filter(|i| i.is_object())
                .map(|i| Node::embedded(i.clone()));
        }
        let refetch_embedded = !matches!(mode, Mode::Presented);
        self.resolve(
            prop(badge, "issuer")?,
            "issuer",
            "the issuer's profile",
            refetch_embedded,
        )
    }

    fn resolve(
        &mut self,
        value: &Value,
        prefix: &str,
        what: &str,
        refetch_embedded: bool,
    ) -> Option<Node> {
        match value {
            Value::String(iri) if common::is_http_url(iri.trim()) => {
                self.linked(iri.trim(), prefix, what)
            }
            Value::String(iri) => {
                self.push(Check::skip(
                    &format!("{prefix}.fetch"),
                    common::sentence(&format!(
                        "The badge refers to {what} as {}, which is not a web address Satchel can look up",
                        clip(iri, 80)
                    )),
                    None,
                ));
                None
            }
            Value::Object(_) => {
                let id = prop_str(value, "id")
                    .map(str::trim)
                    .filter(|id| common::is_http_url(id));
                match id {
                    Some(id) if refetch_embedded => {
                        let id = id.to_owned();
                        self.linked(&id, prefix, what)
                            .or_else(|| Some(Node::embedded(value.clone())))
                    }
                    _ => Some(Node::embedded(value.clone())),
                }
            }
            _ => None,
        }
    }

    /// Hosted: is the assertion's address covered by the issuer's policy?
    fn scope(&mut self, id: &str, issuer: Option<&Node>, version: Version) {
        let Some(host) = authority(id) else {
            return;
        };
        if version != Version::V2_0 {
            self.scope_before_2_0(id, &host, issuer);
            return;
        }
        let Some(issuer) = issuer else {
            self.push(Check::skip(
                checks::HOSTED_SCOPE,
                "Satchel could not check that the badge is hosted on its issuer's site, because the issuer's profile could not be read.",
                None,
            ));
            return;
        };
        let policy = prop(&issuer.doc, "verification").filter(|p| p.is_object());
        let starts: Vec<&str> = policy
            .map(|p| strings(p.get("startsWith")))
            .unwrap_or_default();
        let origins: Vec<&str> = policy
            .map(|p| strings(p.get("allowedOrigins")))
            .unwrap_or_default();
        let outside = "This badge is not hosted where its issuer says its badges live.";
        if !starts.is_empty() && !starts.iter().any(|s| id.starts_with(s)) {
            self.push(Check::fail(
                checks::HOSTED_SCOPE,
                outside,
                Some(format!(
                    "the id {id} does not start with any of the issuer's startsWith values: {}",
                    starts.join(", ")
                )),
            ));
            return;
        }
        if !origins.is_empty() {
            if origins.iter().any(|o| o.trim().eq_ignore_ascii_case(&host)) {
                self.push(Check::pass(
                    checks::HOSTED_SCOPE,
                    format!("The badge is hosted on a site its issuer allows ({host})."),
                    Some(format!("allowedOrigins: {}", origins.join(", "))),
                ));
            } else {
                self.push(Check::fail(
                    checks::HOSTED_SCOPE,
                    outside,
                    Some(format!(
                        "host {host} is not in the issuer's allowedOrigins: {}",
                        origins.join(", ")
                    )),
                ));
            }
            return;
        }
        if !starts.is_empty() {
            self.push(Check::pass(
                checks::HOSTED_SCOPE,
                "The badge is hosted where its issuer says its badges live.",
                Some(format!("startsWith: {}", starts.join(", "))),
            ));
            return;
        }
        match issuer.id().and_then(authority) {
            Some(site) if site.eq_ignore_ascii_case(&host) => self.push(Check::pass(
                checks::HOSTED_SCOPE,
                format!("The badge is hosted on its issuer's site ({host})."),
                None,
            )),
            Some(site) => self.push(Check::fail(
                checks::HOSTED_SCOPE,
                format!("This badge is hosted on another site ({host}) than its issuer's ({site})."),
                Some(format!("assertion {id}; issuer {}", issuer.id().unwrap_or_default())),
            )),
            None => self.push(Check::warn(
                checks::HOSTED_SCOPE,
                "The issuer is not identified by a web address, so Satchel cannot check that the badge is hosted on the issuer's site.",
                Some(format!("issuer id: {}", issuer.id().unwrap_or("none"))),
            )),
        }
    }

    /// 0.5/1.x have no hosting policy: say whether the assertion's `host` is
    /// the issuer's.
    fn scope_before_2_0(&mut self, id: &str, host: &str, issuer: Option<&Node>) {
        let issuer_site = issuer.and_then(|i| {
            prop_str(&i.doc, "origin")
                .or_else(|| prop_str(&i.doc, "url"))
                .map(str::to_owned)
                .or_else(|| i.url.clone())
        });
        let Some(site) = issuer_site.as_deref().and_then(authority) else {
            return;
        };
        self.push(if site.eq_ignore_ascii_case(host) {
            Check::pass(
                checks::HOSTED_SCOPE,
                format!("The badge is hosted on its issuer's site ({host})."),
                None,
            )
        } else {
            Check::warn(
                checks::HOSTED_SCOPE,
                format!("The badge is hosted on another site ({host}) than its issuer's ({site}); badges of this version cannot prove that the issuer made them."),
                Some(format!("assertion {id}; issuer site {site}")),
            )
        });
    }
}

// ------------------------------------------------------------------ helpers

/// The version of a document without one (fetched, unbaked).
fn version_of(doc: &Value) -> Version {
    detect::detect_json(doc).version.unwrap_or(Version::V2_0)
}

/// Is this an assertion (or trying to be one: an invalid `type` is reported,
/// not a reason to stop)?
fn is_assertion(doc: &Value) -> bool {
    let d = detect::detect_json(doc);
    d.kind == DocKind::Assertion
        || (doc.get("recipient").is_some()
            && ["badge", "verify", "verification"]
                .iter()
                .any(|k| doc.get(*k).is_some()))
}

/// How the assertion says it is verified, and where it is hosted.
fn method(doc: &Value, version: Version) -> Method {
    let verification = prop(doc, "verification")
        .filter(|v| v.is_object())
        .or_else(|| prop(doc, "verify").filter(|v| v.is_object()));
    let kind = verification
        .and_then(|v| prop_str(v, "type"))
        .map(|t| t.trim().to_ascii_lowercase());
    if matches!(kind.as_deref(), Some("signed" | "signedbadge")) {
        return Method::Signed;
    }
    if version == Version::V0_5 {
        return Method::Hosted(None);
    }
    let http = |s: &str| common::is_http_url(s.trim()).then(|| s.trim().to_owned());
    let verify_url = verification.and_then(|v| prop_str(v, "url")).and_then(http);
    let id = prop_str(doc, "id").and_then(http);
    Method::Hosted(match version {
        Version::V1_0 => verify_url.or(id),
        _ => id.or(verify_url),
    })
}

fn view_of(doc: &Value, version: Version) -> Option<crate::model::BadgeView> {
    let detected = detect::Detected {
        version: Some(version),
        kind: DocKind::Assertion,
        vcdm: None,
    };
    crate::model::normalize(doc, &detected)
}

fn is_revoked(doc: &Value) -> bool {
    match doc.get("revoked") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn revocation_reason(doc: &Value) -> Option<String> {
    prop_str(doc, "revocationReason")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

fn body_json(f: &Fetched) -> Option<Value> {
    std::str::from_utf8(&f.body)
        .ok()
        .and_then(|t| crate::payload::parse_json(t).ok())
}

/// "GET url → HTTP 200 (network, 2025-01-01T00:00:00Z)".
fn fetched_detail(f: &Fetched) -> String {
    let via = if f.final_url != f.url {
        format!(" via {}", f.final_url)
    } else {
        String::new()
    };
    let source = match f.source {
        crate::fetch::Source::Network => "fetched",
        crate::fetch::Source::Cache => "from Satchel's saved copy of",
    };
    format!(
        "GET {}{via} → HTTP {} ({source} {})",
        f.url,
        f.status,
        crate::clock::rfc3339(f.fetched_at)
    )
}

/// [`fetched_detail`] and [`source_phrase`] of a shared document, worded
/// once per run.
struct Phrases {
    detail: String,
    source: String,
}

fn phrases(doc: &crate::fetch::SharedDoc) -> std::sync::Arc<Phrases> {
    doc.derive(|f| Phrases {
        detail: fetched_detail(f),
        source: source_phrase(f),
    })
}

/// [`fetched_detail`] of a shared document.
pub(super) fn shared_detail(doc: &crate::fetch::SharedDoc) -> String {
    phrases(doc).detail.clone()
}

/// [`source_phrase`] of a shared document.
pub(super) fn shared_source(doc: &crate::fetch::SharedDoc) -> String {
    phrases(doc).source.clone()
}

/// Where a document came from, for people: the issuer's server now, or the
/// copy Satchel kept (offline, or the server unreachable), with its date.
pub(super) fn source_phrase(f: &Fetched) -> String {
    match f.source {
        crate::fetch::Source::Network => "from the issuer's server".to_owned(),
        crate::fetch::Source::Cache => format!(
            "from the copy Satchel kept of the issuer's document (fetched {})",
            crate::clock::date(f.fetched_at)
        ),
    }
}

fn fetched_check(f: &Fetched, how: &str) -> Check {
    let from = source_phrase(f);
    let message = if how.is_empty() {
        format!("Satchel got this badge {from}.")
    } else {
        format!("Satchel got this badge {from} ({how}).")
    };
    Check::pass(checks::HOSTED_FETCH, message, Some(fetched_detail(f)))
}

/// Top-level properties whose values differ, for a detail line.
fn differing_keys(a: &Value, b: &Value) -> String {
    let (Some(a), Some(b)) = (a.as_object(), b.as_object()) else {
        return "the whole document".to_owned();
    };
    let mut keys: Vec<&str> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.as_str())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    clip(&keys.join(", "), 200)
}

/// The first value of a JSON-LD property: a one-item array reads as its item.
fn prop<'v>(doc: &'v Value, key: &str) -> Option<&'v Value> {
    match doc.get(key)? {
        Value::Array(items) => items.first(),
        Value::Null => None,
        v => Some(v),
    }
}

/// A property's text.
fn prop_str<'v>(doc: &'v Value, key: &str) -> Option<&'v str> {
    prop(doc, key).and_then(Value::as_str)
}

/// A property's IRI: the string, or an embedded object's `id`.
fn prop_id<'v>(doc: &'v Value, key: &str) -> Option<&'v str> {
    match prop(doc, key)? {
        Value::String(s) => Some(s.as_str()),
        v @ Value::Object(_) => prop_str(v, "id"),
        _ => None,
    }
}

/// Strings (or objects' ids) of a one-or-many value.
fn strings(v: Option<&Value>) -> Vec<&str> {
    fn one(v: &Value) -> Option<&str> {
        match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(_) => prop_str(v, "id"),
            _ => None,
        }
    }
    match v {
        Some(Value::Array(items)) => items.iter().filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}

fn same_url(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    a == b || matches!((url::Url::parse(a), url::Url::parse(b)), (Ok(x), Ok(y)) if x == y)
}

/// `host[:port]` of an http(s) URL (port only when not the default).
fn authority(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_ascii_lowercase();
    Some(match u.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    })
}

fn same_authority(a: &str, b: &str) -> bool {
    matches!((authority(a), authority(b)), (Some(x), Some(y)) if x == y)
}
