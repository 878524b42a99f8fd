//! Rendering: the templates (every badge string HTML-escaped), the page's
//! Content-Security-Policy and JSON safe inside a `<script>` element.

use super::ExportError;
use minijinja::{Environment, Value as JValue};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

const BASE_TEMPLATE: &str = include_str!("templates/base.html");
const INDEX_TEMPLATE: &str = include_str!("templates/index.html");
const BADGE_TEMPLATE: &str = include_str!("templates/badge.html");
const EMBED_TEMPLATE: &str = include_str!("templates/embed.html");
const EMBED_COLLECTION_TEMPLATE: &str = include_str!("templates/embed-collection.html");
pub(super) const CSS: &str = include_str!("assets/satchel.css");
pub(super) const VERIFY_JS: &str = include_str!("assets/verify.js");

/// The Content-Security-Policy of every page: nothing but the export's own
/// stylesheet, script and images; no connections, frames, forms or plugins.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; font-src 'none'; object-src 'none'; media-src 'none'; frame-src 'none'; child-src 'none'; worker-src 'none'; manifest-src 'none'; form-action 'none'; base-uri 'none'";

pub(super) fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Auto-escaping by name: every template is `.html`, so every value is
        // HTML-escaped unless it was built with `JValue::from_safe_string`.
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // HTML escaping of `& < > " '` (minijinja's default also escapes `/`,
        // which makes embed snippets shown in a text area hard to read).
        env.set_formatter(|out, state, value| {
            if value.is_safe() || state.auto_escape() == minijinja::AutoEscape::None {
                return minijinja::escape_formatter(out, state, value);
            }
            if value.is_undefined() || value.is_none() {
                return Ok(());
            }
            let text = value.to_string();
            let mut escaped = String::with_capacity(text.len() + 8);
            for c in text.chars() {
                match c {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    c => escaped.push(c),
                }
            }
            out.write_str(&escaped).map_err(|_| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, "could not write")
            })
        });
        for (name, source) in [
            ("base.html", BASE_TEMPLATE),
            ("index.html", INDEX_TEMPLATE),
            ("badge.html", BADGE_TEMPLATE),
            ("embed.html", EMBED_TEMPLATE),
            ("embed-collection.html", EMBED_COLLECTION_TEMPLATE),
        ] {
            // The templates are part of the binary; a syntax error is caught by
            // the tests, and rendering reports a missing template as an error.
            let _ = env.add_template(name, source);
        }
        env
    })
}

pub(super) fn render(name: &str, ctx: JValue, page: &str) -> Result<String, ExportError> {
    let err = |e: minijinja::Error| ExportError::Render {
        path: PathBuf::from(page),
        message: e.to_string(),
    };
    env()
        .get_template(name)
        .map_err(err)?
        .render(ctx)
        .map_err(err)
}

/// JSON for an inline `<script type="application/json">` block: `<`, `>` and
/// `&` are written as `\u003c` … so no badge string can close the element.
pub(crate) fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned());
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}
