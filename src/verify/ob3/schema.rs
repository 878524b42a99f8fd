//! The `schema` check: the structure the OB 3.0 / CLR 2.0 JSON Schemas ask for,
//! checked by hand on the parts that matter.
//!
//! What makes a credential wrong (fail): no issuer or issuer id, no
//! credentialSubject, or a nested object whose `type` names another class
//! (the 1EdTech `simple-err-*-type` samples: an `InvalidProfile` issuer, an
//! `InvalidResult` result …). Everything else the schemas require (names,
//! descriptions, criteria, a subject `id` or `identifier` …) is a warning:
//! real badges bend it, and it does not change what was signed.

use super::Kind;
use crate::verify::checks;
use crate::verify::report::Check;
use crate::verify::Report;
use serde_json::Value;

#[derive(Default)]
struct Findings {
    errors: Vec<String>,
    warnings: Vec<String>,
}

/// The values of a property: each item of an array, or the value itself.
fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}

impl Findings {
    /// An object that must be of class `want` (a string is a reference: fine).
    fn typed(&mut self, v: &Value, want: &str, path: &str) -> bool {
        if !v.is_object() {
            return false;
        }
        let t = crate::detect::strings(v.get("type"));
        if v.get("type").is_none() {
            self.warnings
                .push(format!("{path} has no type (it should be {want})"));
        } else if !t.contains(&want) {
            let shown = if t.is_empty() {
                "an invalid type".to_owned()
            } else {
                t.join(", ")
            };
            self.errors
                .push(format!("{path} has the type {shown}, not {want}"));
        }
        true
    }

    fn require(&mut self, v: &Value, fields: &[&str], path: &str) {
        for f in fields {
            if v.get(*f).is_none_or(Value::is_null) {
                self.warnings.push(format!("{path} has no {f}"));
            }
        }
    }

    fn each(&mut self, parent: &Value, key: &str, want: &str, path: &str) {
        for (i, v) in items(parent.get(key)).into_iter().enumerate() {
            let p = if path.is_empty() {
                format!("{key}[{i}]")
            } else {
                format!("{path}.{key}[{i}]")
            };
            self.typed(v, want, &p);
        }
    }

    fn profile(&mut self, p: &Value, path: &str, depth: usize) {
        if !self.typed(p, "Profile", path) || depth > 8 {
            return;
        }
        self.each(p, "otherIdentifier", "IdentifierEntry", path);
        if let Some(addr) = p.get("address") {
            self.typed(addr, "Address", &format!("{path}.address"));
        }
        if let Some(parent) = p.get("parentOrg") {
            self.profile(parent, &format!("{path}.parentOrg"), depth + 1);
        }
    }

    fn alignments(&mut self, parent: &Value, path: &str) {
        self.each(parent, "alignment", "Alignment", path);
    }

    fn achievement(&mut self, a: &Value, path: &str) {
        if !self.typed(a, "Achievement", path) {
            return;
        }
        self.require(a, &["id", "name", "description", "criteria"], path);
        if let Some(creator) = a.get("creator") {
            self.profile(creator, &format!("{path}.creator"), 0);
        }
        self.alignments(a, path);
        self.each(a, "otherIdentifier", "IdentifierEntry", path);
        self.each(a, "related", "Related", path);
        for (i, rd) in items(a.get("resultDescription")).into_iter().enumerate() {
            let p = format!("{path}.resultDescription[{i}]");
            if self.typed(rd, "ResultDescription", &p) {
                self.alignments(rd, &p);
                for (j, level) in items(rd.get("rubricCriterionLevel"))
                    .into_iter()
                    .enumerate()
                {
                    let q = format!("{p}.rubricCriterionLevel[{j}]");
                    if self.typed(level, "RubricCriterionLevel", &q) {
                        self.alignments(level, &q);
                    }
                }
            }
        }
    }

    fn identifiers(&mut self, subject: &Value, path: &str) {
        for (i, idobj) in items(subject.get("identifier")).into_iter().enumerate() {
            let p = format!("{path}.identifier[{i}]");
            if self.typed(idobj, "IdentityObject", &p) {
                self.require(idobj, &["hashed", "identityHash", "identityType"], &p);
            }
        }
    }

    fn achievement_subject(&mut self, s: &Value, path: &str) {
        if !self.typed(s, "AchievementSubject", path) {
            return;
        }
        if s.get("id").is_none() && s.get("identifier").is_none() {
            self.warnings.push(format!(
                "{path} has neither an id nor an identifier, so it names no recipient"
            ));
        }
        self.identifiers(s, path);
        match s.get("achievement") {
            Some(a) => self.achievement(a, &format!("{path}.achievement")),
            None => self.warnings.push(format!("{path} has no achievement")),
        }
        for (i, r) in items(s.get("result")).into_iter().enumerate() {
            let p = format!("{path}.result[{i}]");
            if self.typed(r, "Result", &p) {
                self.alignments(r, &p);
            }
        }
        if let Some(source) = s.get("source") {
            self.profile(source, &format!("{path}.source"), 0);
        }
    }
}

/// Pushes the `schema` check for a credential of `kind`.
pub(super) fn check(cred: &Value, kind: Kind, report: &mut Report) {
    let mut f = Findings::default();
    match cred.get("issuer") {
        None | Some(Value::Null) => f.errors.push("there is no issuer".to_owned()),
        Some(Value::String(s)) if s.trim().is_empty() => {
            f.errors.push("the issuer is empty".to_owned())
        }
        Some(Value::String(_)) => {}
        Some(issuer @ Value::Object(_)) => {
            if issuer
                .get("id")
                .and_then(Value::as_str)
                .is_none_or(|s| s.trim().is_empty())
            {
                f.errors.push("the issuer has no id".to_owned());
            }
            f.profile(issuer, "issuer", 0);
        }
        Some(_) => f
            .errors
            .push("the issuer is neither a Profile nor an id".to_owned()),
    }
    let subjects = items(cred.get("credentialSubject"));
    if subjects.is_empty() {
        f.errors.push("there is no credentialSubject".to_owned());
    }
    if kind != Kind::Other {
        f.require(cred, &["id", "name"], "the credential");
    }
    if cred.get("validFrom").is_none() && cred.get("issuanceDate").is_none() {
        f.warnings
            .push("the credential has no validFrom (or issuanceDate)".to_owned());
    }
    for (i, s) in subjects.into_iter().enumerate() {
        let path = if i == 0 {
            "credentialSubject".to_owned()
        } else {
            format!("credentialSubject[{i}]")
        };
        match kind {
            Kind::Achievement => f.achievement_subject(s, &path),
            Kind::Endorsement => {
                if f.typed(s, "EndorsementSubject", &path) {
                    f.require(s, &["id"], &path);
                }
            }
            Kind::Clr => {
                if f.typed(s, "ClrSubject", &path) {
                    f.identifiers(s, &path);
                    for (j, a) in items(s.get("achievement")).into_iter().enumerate() {
                        f.achievement(a, &format!("{path}.achievement[{j}]"));
                    }
                    f.require(s, &["verifiableCredential"], &path);
                }
            }
            Kind::Other => {}
        }
    }
    f.each(cred, "evidence", "Evidence", "");
    let check = if !f.errors.is_empty() {
        Check::fail(
            checks::SCHEMA,
            format!("The credential is malformed: {}.", f.errors.join("; ")),
            (!f.warnings.is_empty()).then(|| format!("also: {}", f.warnings.join("; "))),
        )
    } else if !f.warnings.is_empty() {
        let shown: Vec<&str> = f.warnings.iter().take(3).map(String::as_str).collect();
        let more = match f.warnings.len() {
            n if n > 3 => format!(" (and {} more)", n - 3),
            _ => String::new(),
        };
        Check::warn(
            checks::SCHEMA,
            format!(
                "The credential lacks things the Open Badges 3.0 schema asks for: {}{more}.",
                shown.join("; ")
            ),
            Some(f.warnings.join("; ")),
        )
    } else {
        Check::pass(
            checks::SCHEMA,
            "The credential has the structure the standard asks for.",
            None,
        )
    };
    report.push(check);
}
