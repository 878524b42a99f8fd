//! JSON-LD → RDF (in safe mode) → RDFC-1.0 canonical N-Quads.
//!
//! The recipe measured in `crypto-and-proofs-in-rust.md`: `json-ld` 0.21
//! expands with a policy that rejects undefined terms (otherwise they are
//! silently dropped and ride along unsigned), the quads are handed straight to
//! `oxrdf` 0.2 terms (no text round trip, so no escaping or language-tag case
//! is lost), and `rdf-canon` labels blank nodes with a bounded number of
//! Hash N-Degree Quads calls. Two other canonicalizers get a real credential
//! (`complete.json`) wrong; this one does not.

use super::contexts::{is_bundled, LOADER};
use json_ld::expansion::{Action, Policy};
use json_ld::rdf_types::{self, generator, LiteralType};
use json_ld::syntax::Parse;
use json_ld::syntax::TryFromJson;
use json_ld::{Expand, JsonLdProcessor, Process, RdfQuads, RemoteDocument};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

type ActiveContext = json_ld::Context<json_ld::IriBuf, json_ld::BlankIdBuf>;

/// Most Hash N-Degree Quads calls canonicalization may make. Real credentials
/// need a few dozen (`complete.json`, with four byte-identical endorsement
/// proofs, needs the most); poisoned blank-node graphs are cut off here.
pub(crate) const HNDQ_CALL_LIMIT: usize = 2_000;

/// Most quads one document may produce before Satchel declines to canonicalize it.
pub(crate) const MAX_QUADS: usize = 100_000;

/// Largest set of indistinguishable blank nodes one blank node may be related
/// to in the same way. Canonicalization tries every ordering of such a set
/// (n!), and the call limit does not bound that loop; real credentials have
/// sets of one or two.
pub(crate) const MAX_INDISTINGUISHABLE: usize = 6;

/// Why a document could not be turned into canonical N-Quads.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CanonError {
    /// It names a JSON-LD context Satchel does not bundle (never fetched).
    #[error("it uses a JSON-LD context Satchel does not have: {0}")]
    UnknownContext(String),
    /// It has a property or type no context defines: that data would not be signed.
    #[error("it contains data its signature does not cover ({0} is not defined by its JSON-LD contexts)")]
    Undefined(String),
    /// It is not valid JSON-LD.
    #[error("it is not valid JSON-LD ({0})")]
    Malformed(String),
    /// It is too large or too tangled to canonicalize within Satchel's limits.
    #[error("it is too large or too complex to check ({0})")]
    TooComplex(String),
}

impl CanonError {
    /// Is this "could not check" (a context Satchel lacks, a size limit) rather
    /// than evidence that the document is wrong?
    pub fn is_unverifiable(&self) -> bool {
        matches!(
            self,
            CanonError::UnknownContext(_) | CanonError::TooComplex(_)
        )
    }
}

/// The first context URL in `doc` that Satchel does not bundle, if any. Every
/// `@context` and `@import` at any depth is looked at, so an unknown context is
/// reported by URL before JSON-LD processing starts.
fn unknown_context(doc: &Value) -> Option<String> {
    fn in_context(ctx: &Value) -> Option<String> {
        match ctx {
            Value::String(url) if !is_bundled(url) => Some(url.clone()),
            Value::Array(items) => items.iter().find_map(in_context),
            Value::Object(map) => map.iter().find_map(|(k, v)| match (k.as_str(), v) {
                ("@import", Value::String(url)) if !is_bundled(url) => Some(url.clone()),
                _ => walk(v),
            }),
            _ => None,
        }
    }
    fn walk(v: &Value) -> Option<String> {
        match v {
            Value::Object(map) => map.iter().find_map(|(k, v)| {
                if k == "@context" {
                    in_context(v)
                } else {
                    walk(v)
                }
            }),
            Value::Array(items) => items.iter().find_map(walk),
            _ => None,
        }
    }
    walk(doc)
}

const A_TYPE: &str = "a type value";

/// The first `type` value of `doc` that no bundled or inline context mentions:
/// the likely culprit when expansion rejects a type (json-ld does not say
/// which). Only used to word the message.
fn undefined_type(doc: &Value) -> Option<String> {
    fn types<'a>(v: &'a Value, out: &mut Vec<&'a str>, contexts: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match (k.as_str(), x) {
                        ("@context", ctx) => contexts.push(ctx.to_string()),
                        ("type" | "@type", Value::String(t)) => out.push(t),
                        ("type" | "@type", Value::Array(a)) => {
                            out.extend(a.iter().filter_map(Value::as_str))
                        }
                        _ => types(x, out, contexts),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|x| types(x, out, contexts)),
            _ => {}
        }
    }
    let (mut found, mut inline) = (Vec::new(), Vec::new());
    types(doc, &mut found, &mut inline);
    found
        .into_iter()
        .find(|t| {
            let quoted = format!("\"{t}\"");
            !t.contains(':')
                && !super::contexts::mentions(&quoted)
                && !inline.iter().any(|c| c.contains(&quoted))
        })
        .map(str::to_owned)
}

fn expansion_error(e: &json_ld::ExpandError) -> CanonError {
    use json_ld::expansion::Error as E;
    use json_ld::ExpandError as X;
    match e {
        X::Expansion(E::KeyExpansionFailed(term)) => CanonError::Undefined(format!("\"{term}\"")),
        X::Expansion(E::InvalidTypeValue) => CanonError::Undefined(A_TYPE.to_owned()),
        X::Loading(l) => CanonError::UnknownContext(l.target.to_string()),
        X::ContextLoading(json_ld::ContextLoadError::LoadingDocumentFailed(l)) => {
            CanonError::UnknownContext(l.target.to_string())
        }
        X::ContextProcessing(json_ld::context_processing::Error::ContextLoadingFailed(l))
        | X::Expansion(E::ContextProcessing(
            json_ld::context_processing::Error::ContextLoadingFailed(l),
        )) => CanonError::UnknownContext(l.target.to_string()),
        other => CanonError::Malformed(other.to_string()),
    }
}

/// Converts a JSON-LD term to an `oxrdf` subject / graph name.
fn id(id: rdf_types::Id) -> oxrdf::Subject {
    match id {
        rdf_types::Id::Iri(iri) => oxrdf::NamedNode::new_unchecked(iri.into_string()).into(),
        rdf_types::Id::Blank(b) => blank(b.as_str()).into(),
    }
}

fn blank(label: &str) -> oxrdf::BlankNode {
    oxrdf::BlankNode::new_unchecked(label.strip_prefix("_:").unwrap_or(label))
}

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// The JSON-LD options of every expansion: safe mode.
fn options() -> json_ld::Options {
    json_ld::Options {
        expansion_policy: Policy {
            invalid: Action::Reject,
            // `@vocab` must stay allowed: contexts such as the W3C examples context
            // and issuers' `issuer-dependent#` vocabularies are pure `@vocab`.
            vocab: Action::Keep,
            allow_undefined: false,
        },
        ..json_ld::Options::default()
    }
    .unordered()
}

/// Most distinct top-level `@context` values kept processed.
const MAX_CACHED_CONTEXTS: usize = 64;

/// Top-level `@context` values made only of (bundled) context URLs, by their
/// JSON text, processed once per process: processing the OB 3.0 and VC
/// contexts was most of the cost of a credential.
static PROCESSED: LazyLock<Mutex<HashMap<String, Arc<ActiveContext>>>> =
    LazyLock::new(Default::default);

/// The active context that JSON-LD expansion of a document whose top-level
/// `@context` is `ctx` starts its top-level object with, exactly as expansion
/// computes it (the initial empty context, no base URL, the same processing
/// options and loader), when `ctx` names only context URLs. `None` when `ctx`
/// is anything else or processing it fails (then the document takes the
/// ordinary path, which reports the error).
fn processed_context(ctx: &Value, options: &json_ld::Options) -> Option<Arc<ActiveContext>> {
    let only_urls = match ctx {
        Value::String(_) => true,
        Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
        _ => false,
    };
    if !only_urls {
        return None;
    }
    let key = ctx.to_string();
    if let Some(found) = PROCESSED.lock().ok()?.get(&key) {
        return Some(found.clone());
    }
    let (json, _) = json_ld::syntax::Value::parse_str(&key).ok()?;
    let local = json_ld::syntax::context::Context::try_from_json(json).ok()?;
    let processed = pollster::block_on(local.process_with(
        &mut (),
        &ActiveContext::new(None),
        &*LOADER,
        None,
        options.expansion_options().into(),
    ))
    .ok()?
    .into_processed();
    let processed = Arc::new(processed);
    let mut cache = PROCESSED.lock().ok()?;
    if cache.len() < MAX_CACHED_CONTEXTS {
        cache.insert(key, processed.clone());
    }
    Some(processed)
}

/// An RDF object as oxrdf has it; language tags are kept exactly as written,
/// like the JavaScript reference implementation (oxrdf's checked constructor
/// would lowercase them).
fn object(o: rdf_types::Term) -> Option<oxrdf::Term> {
    Some(match o {
        rdf_types::Term::Id(i) => match id(i) {
            oxrdf::Subject::NamedNode(n) => n.into(),
            oxrdf::Subject::BlankNode(b) => b.into(),
            #[allow(unreachable_patterns)]
            _ => return None,
        },
        rdf_types::Term::Literal(lit) => match lit.type_ {
            LiteralType::Any(ty) if ty.as_str() == XSD_STRING => {
                oxrdf::Literal::new_simple_literal(lit.value)
            }
            LiteralType::Any(ty) => oxrdf::Literal::new_typed_literal(
                lit.value,
                oxrdf::NamedNode::new_unchecked(ty.into_string()),
            ),
            LiteralType::LangString(tag) => {
                oxrdf::Literal::new_language_tagged_literal_unchecked(lit.value, tag.as_str())
            }
        }
        .into(),
    })
}

/// A quad's graph as oxrdf names it (the default graph for none).
fn graph_name(g: Option<rdf_types::Id>) -> Option<oxrdf::GraphName> {
    Some(match g.map(id) {
        None => oxrdf::GraphName::DefaultGraph,
        Some(oxrdf::Subject::NamedNode(n)) => n.into(),
        Some(oxrdf::Subject::BlankNode(b)) => b.into(),
        #[allow(unreachable_patterns)]
        Some(_) => return None,
    })
}

/// The document's RDF dataset, expanded in safe mode with the bundled contexts
/// only; with `reuse_context`, its top-level `@context` is taken already
/// processed when it can be (the tests compare both ways).
fn to_dataset(doc: &Value, reuse_context: bool) -> Result<oxrdf::Dataset, CanonError> {
    if let Some(url) = unknown_context(doc) {
        return Err(CanonError::UnknownContext(url));
    }
    let text = serde_json::to_string(doc).map_err(|e| CanonError::Malformed(e.to_string()))?;
    let (mut value, _) = json_ld::syntax::Value::parse_str(&text)
        .map_err(|e| CanonError::Malformed(e.to_string()))?;
    let options = options();
    // What `to_rdf_using` does, with the document's top-level `@context` taken
    // already processed when it only names contexts: expansion would process
    // it first thing, against the empty context, and nothing before that
    // depends on it.
    let reusable = doc
        .get("@context")
        .filter(|_| reuse_context)
        .and_then(|c| processed_context(c, &options));
    let expanded = match reusable {
        Some(active) => {
            if let Some(object) = value.as_object_mut() {
                let _ = object.remove_unique("@context");
            }
            pollster::block_on(value.expand_full(
                &mut (),
                ActiveContext::clone(&active),
                None,
                &*LOADER,
                options.expansion_options(),
                (),
            ))
            .map_err(json_ld::ExpandError::Expansion)
        }
        None => pollster::block_on(JsonLdProcessor::expand_full(
            &RemoteDocument::new(None, None, value),
            &mut (),
            &*LOADER,
            options.clone(),
            (),
        )),
    };
    let mut expanded = expanded.map_err(|e| match expansion_error(&e) {
        CanonError::Undefined(what) if what == A_TYPE => {
            CanonError::Undefined(undefined_type(doc).map_or(what, |t| format!("the type \"{t}\"")))
        }
        other => other,
    })?;
    let (mut vocabulary, mut generator) = ((), generator::Blank::new());
    expanded.relabel_and_canonicalize_with(&mut vocabulary, &mut generator);
    let quads = expanded
        .rdf_quads_full(
            &mut vocabulary,
            &mut generator,
            options.rdf_direction,
            options.produce_generalized_rdf,
        )
        .cloned();
    let mut dataset = oxrdf::Dataset::new();
    for rdf_types::Quad(s, p, o, g) in quads {
        let subject = id(s);
        let predicate = match p {
            rdf_types::Id::Iri(iri) => oxrdf::NamedNode::new_unchecked(iri.into_string()),
            // Generalized RDF is off, so predicates are IRIs; skip anything else.
            rdf_types::Id::Blank(_) => continue,
        };
        let (Some(object), Some(graph)) = (object(o), graph_name(g)) else {
            continue;
        };
        dataset.insert(&oxrdf::Quad::new(subject, predicate, object, graph));
        if dataset.len() > MAX_QUADS {
            return Err(CanonError::TooComplex(format!(
                "more than {MAX_QUADS} RDF statements"
            )));
        }
    }
    Ok(dataset)
}

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document (sorted lines, each
/// ending in `\n`), with JSON-LD in safe mode and only the bundled contexts.
pub fn canonicalize(doc: &Value) -> Result<String, CanonError> {
    canonicalize_with(doc, true)
}

fn canonicalize_with(doc: &Value, reuse_context: bool) -> Result<String, CanonError> {
    let dataset = to_dataset(doc, reuse_context)?;
    check_blank_nodes(&dataset)?;
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(HNDQ_CALL_LIMIT),
    };
    rdf_canon::canonicalize_with::<sha2_010::Sha256>(&dataset, &options).map_err(|e| match e {
        rdf_canon::CanonicalizationError::HndqCallLimitExceeded(n) => {
            CanonError::TooComplex(format!("blank-node labelling needs more than {n} steps"))
        }
        other => CanonError::Malformed(other.to_string()),
    })
}

/// A quad as Hash First Degree Quads sees it from blank node `me`: `_:a` for
/// `me`, `_:z` for every other blank node.
fn first_degree_line(q: &oxrdf::QuadRef<'_>, me: &str) -> String {
    let blank =
        |b: oxrdf::BlankNodeRef<'_>| if b.as_str() == me { "_:a" } else { "_:z" }.to_owned();
    let subject = match q.subject {
        oxrdf::SubjectRef::BlankNode(b) => blank(b),
        other => other.to_string(),
    };
    let object = match q.object {
        oxrdf::TermRef::BlankNode(b) => blank(b),
        other => other.to_string(),
    };
    let graph = match q.graph_name {
        oxrdf::GraphNameRef::BlankNode(b) => blank(b),
        oxrdf::GraphNameRef::DefaultGraph => String::new(),
        other => other.to_string(),
    };
    format!("{subject} {} {object} {graph}", q.predicate)
}

/// The blank nodes of a quad, with their positions (`s`, `o`, `g`).
fn blanks<'a>(q: &oxrdf::QuadRef<'a>) -> Vec<(char, &'a str)> {
    let mut out = Vec::new();
    if let oxrdf::SubjectRef::BlankNode(b) = q.subject {
        out.push(('s', b.as_str()));
    }
    if let oxrdf::TermRef::BlankNode(b) = q.object {
        out.push(('o', b.as_str()));
    }
    if let oxrdf::GraphNameRef::BlankNode(b) = q.graph_name {
        out.push(('g', b.as_str()));
    }
    out
}

/// Refuses blank-node graphs whose canonical labelling would need to try
/// more than `MAX_INDISTINGUISHABLE!` orderings at one step (the "poisoned
/// graphs" of the RDFC-1.0 specification's security considerations).
fn check_blank_nodes(dataset: &oxrdf::Dataset) -> Result<(), CanonError> {
    use std::collections::{HashMap, HashSet};
    let mut quads_of: HashMap<&str, Vec<oxrdf::QuadRef<'_>>> = HashMap::new();
    for q in dataset.iter() {
        let mut seen = HashSet::new();
        for (_, b) in blanks(&q) {
            if seen.insert(b) {
                quads_of.entry(b).or_default().push(q);
            }
        }
    }
    let signature: HashMap<&str, String> = quads_of
        .iter()
        .map(|(b, quads)| {
            let mut lines: Vec<String> = quads.iter().map(|q| first_degree_line(q, b)).collect();
            lines.sort_unstable();
            (*b, lines.join("\n"))
        })
        .collect();
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for sig in signature.values() {
        *shared.entry(sig.as_str()).or_default() += 1;
    }
    for (b, quads) in &quads_of {
        if shared[signature[b].as_str()] < 2 {
            continue; // a unique first-degree hash: no search from this node
        }
        let mut groups: HashMap<(char, &str, &str), HashSet<&str>> = HashMap::new();
        for q in quads {
            for (position, r) in blanks(q) {
                if r != *b {
                    groups
                        .entry((position, q.predicate.as_str(), signature[r].as_str()))
                        .or_default()
                        .insert(r);
                }
            }
        }
        if let Some(big) = groups
            .values()
            .map(HashSet::len)
            .max()
            .filter(|n| *n > MAX_INDISTINGUISHABLE)
        {
            return Err(CanonError::TooComplex(format!(
                "a blank node is related to {big} indistinguishable blank nodes; Satchel allows {MAX_INDISTINGUISHABLE}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_contexts_are_named_before_processing() {
        let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"], "id": "urn:x"});
        assert_eq!(
            canonicalize(&doc),
            Err(CanonError::UnknownContext("https://example.org/ctx".into()))
        );
        let nested = json!({"@context": [{"@import": "https://example.org/i"}]});
        assert_eq!(
            unknown_context(&nested).as_deref(),
            Some("https://example.org/i")
        );
    }

    #[test]
    fn undefined_terms_are_rejected() {
        let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "type": "VerifiableCredential", "sneaky": 1});
        assert!(
            matches!(canonicalize(&doc), Err(CanonError::Undefined(t)) if t.contains("sneaky"))
        );
    }

    #[test]
    fn control_characters_and_language_tags_survive() {
        let doc = json!({"@context": {"name": "https://schema.org/name"}, "@id": "urn:x",
            "name": [{"@value": "a\tb\u{1}c", "@language": "en-US"}]});
        assert_eq!(
            canonicalize(&doc).unwrap(),
            "<urn:x> <https://schema.org/name> \"a\\tb\\u0001c\"@en-US .\n"
        );
    }

    /// Every JSON document of the test data and the shared corpus (when it is
    /// there), its proof configurations, and hand-made edge cases give the same
    /// canonical N-Quads, or the same error, with the top-level `@context`
    /// taken already processed as with it processed by expansion.
    #[test]
    fn reusing_processed_contexts_changes_nothing() {
        fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    files(&path, out);
                } else if path
                    .extension()
                    .is_some_and(|x| x == "json" || x == "jsonld")
                {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        files(&root.join("tests/data"), &mut paths);
        files(&root.join("../shared/fixtures/public"), &mut paths);
        let mut docs: Vec<Value> = vec![
            json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "type": "VerifiableCredential", "sneaky": 1}),
            json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "Nope"]}),
            json!({"@context": "https://www.w3.org/ns/credentials/v2", "id": "urn:x", "name": "n"}),
            json!({"@context": ["https://www.w3.org/ns/credentials/v2"]}),
            json!({"@context": [], "@id": "urn:x", "https://schema.org/name": "n"}),
            json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "@context2": 1, "id": "urn:x",
                "credentialSubject": {"@context": {"x": "https://example.org/x"}, "x": 1.0}}),
        ];
        for path in &paths {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            if doc.get("@context").is_none() {
                continue;
            }
            let proofs: Vec<Value> = match doc.get("proof") {
                Some(Value::Array(p)) => p.clone(),
                Some(p) => vec![p.clone()],
                None => Vec::new(),
            };
            for p in proofs {
                docs.push(crate::data_integrity::proof_config(&doc, &p));
            }
            docs.push(crate::data_integrity::unsecured(&doc));
            docs.push(doc);
        }
        assert!(docs.len() > 20, "only {} documents", docs.len());
        let mut reused = 0;
        for doc in &docs {
            let slow = canonicalize_with(doc, false);
            assert_eq!(canonicalize_with(doc, true), slow, "{doc}");
            // Twice: the second time from the cache.
            assert_eq!(canonicalize_with(doc, true), slow, "{doc}");
            if doc
                .get("@context")
                .and_then(|c| processed_context(c, &options()))
                .is_some()
            {
                reused += 1;
            }
        }
        assert!(reused > 10, "only {reused} documents reused a context");
    }
}
