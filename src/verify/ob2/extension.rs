//! OB 2.0 extensions checked against the JSON Schemas their contexts name.
//!
//! An extension is a property of an Assertion, BadgeClass or Profile whose
//! value is an object typed `Extension` (usually under an `extensions:…`
//! name). Its JSON-LD context (the node's own `@context`, or an extension
//! context in the document's) lists `obi:validation` rules: a type
//! (`obi:validatesType`) and the URL of a JSON Schema
//! (`obi:validationSchema`). Satchel fetches the context and the schema through
//! the [`Fetch`](crate::fetch::Fetch) (so the offline cache and pinned copies
//! work), renames the node's full-IRI property names to the context's terms
//! (`http://schema.org/text` → `exampleProperty`: the compaction validator-core
//! does, limited to the terms the extension context defines), and validates
//! it with the `jsonschema` crate (no resolver: a schema cannot make Satchel
//! fetch anything else).
//!
//! A rule applies when its type names one of the node's types, compared as
//! full IRIs or, when the prefixes differ, by the name after the last `#`,
//! `/` or `:` (the 1EdTech sample writes `obi:extensions/#ExampleExtension`
//! for the context's `extensions:ExampleExtension`).
//!
//! Check ids: `extension.N`, fail when the node breaks its schema (the badge
//! is then invalid, as validator-core says), warn when its context or schema
//! cannot be had or used (an extension is an add-on: the badge's own claims
//! are still checked), pass when it matches; `assertion.extensions` (warn)
//! for extensions with no schema to check.

use super::{clip, common, Run};
use crate::detect;
use crate::verify::checks;
use crate::verify::report::Check;
use serde_json::{Map, Value};
use std::sync::Arc;

/// Extension nodes checked per badge, at most.
const MAX_EXTENSIONS: usize = 10;
/// Contexts read per extension, at most.
const MAX_CONTEXTS: usize = 4;

const OBI: &str = "https://w3id.org/openbadges#";
const EXTENSIONS: &str = "https://w3id.org/openbadges/extensions#";

/// What an extension context says: its term map and its validation rules.
struct ExtContext {
    terms: Map<String, Value>,
    rules: Vec<(String, String)>,
}

/// A fetched schema, compiled once per run.
struct Compiled(Result<jsonschema::Validator, String>);

fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

fn is_extension_context(url: &str) -> bool {
    let u = url
        .trim_start_matches("https://")
        .trim_start_matches("http://");
    !(u.starts_with("w3id.org/openbadges/v")
        || u.starts_with("openbadgespec.org/v")
        || u.starts_with("w3id.org/openbadges/legacy-v1"))
}

/// Expands `prefix:name` with the context's prefixes (and `obi:`,
/// `extensions:`); other strings are returned as they are.
fn expand(term: &str, terms: &Map<String, Value>) -> String {
    if let Some((prefix, rest)) = term.split_once(':') {
        if rest.starts_with("//") {
            return term.to_owned();
        }
        let base = match prefix {
            "obi" => Some(OBI),
            "extensions" => Some(EXTENSIONS),
            p => terms.get(p).and_then(Value::as_str),
        };
        if let Some(base) = base {
            return format!("{base}{rest}");
        }
    }
    term.to_owned()
}

/// The name after the last `#`, `/` or `:`.
fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

fn read_context(doc: &Value) -> ExtContext {
    let mut terms = Map::new();
    for c in items(doc.get("@context")) {
        if let Some(obj) = c.as_object() {
            terms.extend(obj.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    let mut rules = Vec::new();
    let validation = doc
        .get("obi:validation")
        .or_else(|| doc.get("validation"))
        .or_else(|| doc.get("https://w3id.org/openbadges#validation"));
    for rule in items(validation) {
        let get = |k: &str| {
            rule.get(format!("obi:{k}"))
                .or_else(|| rule.get(k))
                .and_then(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Object(o) => o
                        .get("@id")
                        .or_else(|| o.get("id"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    _ => None,
                })
        };
        if let (Some(t), Some(s)) = (get("validatesType"), get("validationSchema")) {
            rules.push((t, s));
        }
    }
    ExtContext { terms, rules }
}

/// The node with full-IRI (or `prefix:`) property names renamed to the
/// context's terms.
fn compacted(node: &Map<String, Value>, terms: &Map<String, Value>) -> Value {
    let mut by_iri: Vec<(String, &str)> = Vec::new();
    for (term, def) in terms {
        let iri = match def {
            Value::String(s) => s.as_str(),
            Value::Object(o) => match o.get("@id").and_then(Value::as_str) {
                Some(s) => s,
                None => continue,
            },
            _ => continue,
        };
        by_iri.push((expand(iri, terms), term.as_str()));
    }
    let mut out = Map::new();
    for (k, v) in node {
        let full = expand(k, terms);
        let name = by_iri
            .iter()
            .find(|(iri, term)| *iri == full && k != term)
            .map_or(k.as_str(), |(_, term)| term);
        out.insert(name.to_owned(), v.clone());
    }
    Value::Object(out)
}

fn compile(doc: &Value) -> Compiled {
    Compiled(
        jsonschema::options()
            .should_validate_formats(true)
            .build(doc)
            .map_err(|e| clip(&e.to_string(), 200)),
    )
}

impl Run<'_> {
    /// Checks every extension of the assertion `doc`, its BadgeClass and its
    /// issuer's Profile.
    pub(super) fn extensions(&mut self, nodes: &[(&str, &Value)]) {
        let doc_contexts: Vec<String> = nodes
            .iter()
            .flat_map(|(_, owner)| detect::strings(owner.get("@context")))
            .filter(|u| is_extension_context(u))
            .map(str::to_owned)
            .collect();
        let mut found: Vec<(String, &str, &Map<String, Value>)> = Vec::new();
        for (whose, owner) in nodes {
            let Some(obj) = owner.as_object() else {
                continue;
            };
            for (k, v) in obj {
                let Some(node) = v.as_object() else {
                    continue;
                };
                let typed = detect::strings(node.get("type").or_else(|| node.get("@type")))
                    .iter()
                    .any(|t| local(t) == "Extension");
                if k.starts_with("extensions:") || k.starts_with(EXTENSIONS) || typed {
                    let name = k
                        .trim_start_matches("extensions:")
                        .trim_start_matches(EXTENSIONS);
                    found.push((name.to_owned(), whose, node));
                }
            }
        }
        let mut unchecked = Vec::new();
        for (i, (name, whose, node)) in found.iter().enumerate().take(MAX_EXTENSIONS) {
            let id = crate::verify::checks::extension(i + 1);
            let mut urls: Vec<String> = detect::strings(node.get("@context"))
                .into_iter()
                .map(str::to_owned)
                .collect();
            urls.extend(doc_contexts.iter().cloned());
            urls.dedup();
            if let Some(check) = self.extension(&id, name, whose, node, &urls) {
                self.push(check);
            } else {
                unchecked.push(format!("{name} ({whose})"));
            }
        }
        if found.len() > MAX_EXTENSIONS {
            unchecked.push(format!("{} more", found.len() - MAX_EXTENSIONS));
        }
        if !unchecked.is_empty() {
            self.push(Check::warn(
                checks::ASSERTION_EXTENSIONS,
                format!(
                    "This badge carries extensions that name no schema to check them against ({}); Satchel shows them but does not check them.",
                    unchecked.join(", ")
                ),
                None,
            ));
        }
    }

    /// One extension node: `None` when no context names a schema for it.
    fn extension(
        &mut self,
        id: &str,
        name: &str,
        whose: &str,
        node: &Map<String, Value>,
        urls: &[String],
    ) -> Option<Check> {
        let types: Vec<&str> = detect::strings(node.get("type").or_else(|| node.get("@type")))
            .into_iter()
            .filter(|t| local(t) != "Extension")
            .collect();
        let what = format!("The {name} extension of {whose}");
        let mut problems = Vec::new();
        let rules = self.rules(&types, urls, &mut problems);
        if rules.is_empty() {
            if problems.is_empty() {
                return None;
            }
            return Some(Check::warn(
                id,
                format!("{what} could not be checked: Satchel could not read its context."),
                Some(problems.join("\n")),
            ));
        }
        let mut violations = Vec::new();
        let mut checked = Vec::new();
        for (schema_url, ctx) in &rules {
            if let Some(url) = self.validate(schema_url, ctx, node, &mut violations, &mut problems)
            {
                checked.push(url);
            }
        }
        Some(verdict(id, &what, &checked, &violations, &problems))
    }

    /// The schemas that apply to a node of `types`, by the rules of the
    /// contexts at `urls`; contexts that cannot be read are noted in `problems`.
    fn rules(
        &mut self,
        types: &[&str],
        urls: &[String],
        problems: &mut Vec<String>,
    ) -> Vec<(String, Arc<ExtContext>)> {
        let mut rules = Vec::new();
        for url in urls
            .iter()
            .filter(|u| common::is_http_url(u))
            .take(MAX_CONTEXTS)
        {
            match self.get_json(url, "the extension's context") {
                Ok((doc, shared)) => {
                    let ctx = shared.derive(|_| read_context(&doc));
                    for (t, schema) in &ctx.rules {
                        let want = expand(t, &ctx.terms);
                        let applies = types.iter().any(|have| {
                            let have = expand(have, &ctx.terms);
                            have == want || local(&have) == local(&want)
                        });
                        if applies {
                            rules.push((schema.clone(), Arc::clone(&ctx)));
                        }
                    }
                }
                Err((message, detail)) => problems.push(format!("{message} ({detail})")),
            }
        }
        rules
    }

    /// Validates `node` (compacted with `ctx`'s terms) against the schema at
    /// `schema_url`, adding what it violates to `violations`; `None` (and a
    /// note in `problems`) when the schema cannot be had or used.
    fn validate(
        &mut self,
        schema_url: &str,
        ctx: &ExtContext,
        node: &Map<String, Value>,
        violations: &mut Vec<String>,
        problems: &mut Vec<String>,
    ) -> Option<String> {
        if !common::is_http_url(schema_url) {
            problems.push(format!(
                "the schema address {} is not a web address",
                clip(schema_url, 100)
            ));
            return None;
        }
        let (schema, shared) = match self.get_json(schema_url, "the extension's schema") {
            Ok(got) => got,
            Err((message, detail)) => {
                problems.push(format!("{message} ({detail})"));
                return None;
            }
        };
        let compiled = shared.derive(|_| compile(&schema));
        let validator = match &compiled.0 {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("the schema at {schema_url} cannot be used: {e}"));
                return None;
            }
        };
        let instance = compacted(node, &ctx.terms);
        for e in validator.iter_errors(&instance).take(10) {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() {
                "the extension".to_owned()
            } else {
                at
            };
            violations.push(format!("at {at}: {}", clip(&e.to_string(), 160)));
        }
        Some(schema_url.to_owned())
    }
}

/// The extension's check: it fails on a violation, warns when a schema could
/// not be had or used, and passes otherwise.
fn verdict(
    id: &str,
    what: &str,
    checked: &[String],
    violations: &[String],
    problems: &[String],
) -> Check {
    let detail = [
        checked
            .iter()
            .map(|u| format!("schema {u}"))
            .collect::<Vec<_>>(),
        violations.to_vec(),
        problems.to_vec(),
    ]
    .concat()
    .join("\n");
    if !violations.is_empty() {
        Check::fail(
            id,
            format!(
                "{what} does not match its schema: {}.",
                violations
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Some(detail),
        )
    } else if !problems.is_empty() {
        Check::warn(
            id,
            common::sentence(&format!(
                "{what} could not be fully checked: {}",
                clip(&problems[0], 300)
            )),
            Some(detail),
        )
    } else {
        Check::pass(id, format!("{what} matches its schema."), Some(detail))
    }
}
