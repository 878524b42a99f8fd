//! The `schema.json` check: the credential against 1EdTech's published JSON
//! Schema for its class (OB 3.0 AchievementCredential / OpenBadgeCredential,
//! OB 3.0 EndorsementCredential, CLR 2.0 ClrCredential).
//!
//! The schemas are bundled (`src/verify/schemas/`, provenance in `SOURCES.md`
//! there) and compiled once per process. The `jsonschema` crate is built
//! without its HTTP and file resolvers, so validation never fetches anything;
//! the schemas are self-contained. Violations are warnings: whether a
//! credential is malformed is decided by the structural `schema` check.

use super::Kind;
use crate::verify::checks;
use crate::verify::common::clip;
use crate::verify::report::Check;
use crate::verify::Report;
use serde_json::Value;
use std::sync::OnceLock;

/// Violations listed in the check's detail, at most.
const MAX_LISTED: usize = 20;
/// Violations named in the sentence itself.
const MAX_SAID: usize = 3;

/// A bundled schema: its file and what it is called in sentences.
struct Bundled {
    text: &'static str,
    name: &'static str,
    cell: &'static OnceLock<Result<jsonschema::Validator, String>>,
}

static ACHIEVEMENT: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
static ENDORSEMENT: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
static CLR: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();

fn bundled(kind: Kind) -> Option<Bundled> {
    Some(match kind {
        Kind::Achievement => Bundled {
            text: include_str!("../schemas/ob_v3p0_achievementcredential_schema.json"),
            name: "Open Badges 3.0 AchievementCredential",
            cell: &ACHIEVEMENT,
        },
        Kind::Endorsement => Bundled {
            text: include_str!("../schemas/ob_v3p0_endorsementcredential_schema.json"),
            name: "Open Badges 3.0 EndorsementCredential",
            cell: &ENDORSEMENT,
        },
        Kind::Clr => Bundled {
            text: include_str!("../schemas/clr_v2p0_clrcredential_schema.json"),
            name: "CLR 2.0 ClrCredential",
            cell: &CLR,
        },
        Kind::Other => return None,
    })
}

/// Compiles a bundled schema: draft 2019-09, formats asserted, and no way to
/// reach anything outside the schema itself.
fn compile(text: &str) -> Result<jsonschema::Validator, String> {
    let schema: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft201909)
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| e.to_string())
}

/// One violation for people: where, and what. The crate's message quotes the
/// offending value, which can be a whole object; a long one is replaced by
/// "the value" (the path says which).
fn describe(e: &jsonschema::ValidationError<'_>) -> String {
    let at = e.instance_path().to_string();
    let at = if at.is_empty() {
        "the credential".to_owned()
    } else {
        at
    };
    let full = e.to_string();
    let what = if full.chars().count() <= 120 {
        full
    } else {
        clip(&e.masked_with("the value").to_string(), 160)
    };
    format!("at {at}: {what}")
}

/// Pushes `schema.json` for a credential of `kind` (nothing for a credential
/// of no class Satchel has a schema for).
pub(super) fn check(cred: &Value, kind: Kind, report: &mut Report) {
    let Some(b) = bundled(kind) else {
        return;
    };
    let validator = match b.cell.get_or_init(|| compile(b.text)) {
        Ok(v) => v,
        Err(e) => {
            // A bundled schema that does not compile is Satchel's bug; say so
            // rather than pretend the credential was checked.
            report.push(Check::skip(
                checks::SCHEMA_JSON,
                format!(
                    "Satchel could not use its copy of the {} JSON Schema, so it did not check the credential against it.",
                    b.name
                ),
                Some(clip(e, 300)),
            ));
            return;
        }
    };
    let mut total = 0usize;
    let mut listed = Vec::new();
    for e in validator.iter_errors(cred) {
        total += 1;
        if listed.len() < MAX_LISTED {
            listed.push(describe(&e));
        }
    }
    if total == 0 {
        report.push(Check::pass(
            checks::SCHEMA_JSON,
            format!(
                "The credential matches the official {} JSON Schema.",
                b.name
            ),
            None,
        ));
        return;
    }
    let said: Vec<&str> = listed.iter().take(MAX_SAID).map(String::as_str).collect();
    let more = match total {
        n if n > MAX_SAID => format!(" (and {} more)", n - MAX_SAID),
        _ => String::new(),
    };
    let mut detail = listed.join("\n");
    if total > listed.len() {
        detail.push_str(&format!("\n… {} more", total - listed.len()));
    }
    report.push(Check::warn(
        checks::SCHEMA_JSON,
        format!(
            "The credential does not fully match the official {} JSON Schema: {}{more}.",
            b.name,
            said.join("; ")
        ),
        Some(detail),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_schemas_are_the_published_files_and_compile() {
        use sha2::Digest;
        for (kind, sha) in [
            (Kind::Achievement, "b7358e895f492e74"),
            (Kind::Endorsement, "786b1190ea97e7e3"),
            (Kind::Clr, "59d778659204b0bd"),
        ] {
            let b = bundled(kind).unwrap();
            let digest = sha2::Sha256::digest(b.text.as_bytes());
            let hex: String = digest.iter().map(|x| format!("{x:02x}")).collect();
            assert_eq!(&hex[..16], sha, "{}", b.name);
            assert!(compile(b.text).is_ok(), "{}", b.name);
        }
        assert!(bundled(Kind::Other).is_none());
    }

    #[test]
    fn a_schema_that_points_outside_itself_is_refused_not_fetched() {
        // No resolver is compiled in: an external $ref cannot be followed.
        let schema = r#"{"$schema":"https://json-schema.org/draft/2019-09/schema","$ref":"http://127.0.0.1:9/never.json"}"#;
        assert!(compile(schema).is_err());
    }
}
