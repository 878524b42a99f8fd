//! A badge class's criteria narrative, written in Markdown, as HTML that is
//! safe to put in a page.
//!
//! pulldown-cmark parses; this module writes the HTML itself from the parse
//! events (pulldown-cmark's own writer passes raw HTML through, so it is not
//! used). What comes out:
//!
//! - raw HTML, block or inline, is escaped and shown as text, never passed through;
//! - links only to absolute `http`, `https` and `mailto` URLs (after entity
//!   decoding, so `jav&#x61;script:` is caught), with `rel="nofollow noopener"`;
//!   any other link keeps its text and loses the link;
//! - images are never `<img>` (a page must not load anything): an image
//!   becomes a link to it, under the same rule, with its alt text;
//! - every text and attribute is escaped (`&`, `<`, `>`, `"`, `'`);
//! - the same input always gives the same output.
//!
//! pulldown-cmark parses in linear time, so hostile input costs time in
//! proportion to its length.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The criteria Markdown `markdown` as safe HTML (see the module doc).
pub fn to_html(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / 2);
    // Per open link or image: whether an `</a>` closes it.
    let mut links: Vec<bool> = Vec::new();
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    for event in parser {
        match event {
            Event::Start(tag) => start(&mut out, tag, &mut links),
            Event::End(tag) => end(&mut out, tag, &mut links),
            Event::Text(t) => escape_into(&mut out, &t),
            Event::Code(t) => {
                out.push_str("<code>");
                escape_into(&mut out, &t);
                out.push_str("</code>");
            }
            Event::Html(t) | Event::InlineHtml(t) => escape_into(&mut out, &t),
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::FootnoteReference(t) => {
                escape_into(&mut out, &t)
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
        }
    }
    out
}

fn start(out: &mut String, tag: Tag, links: &mut Vec<bool>) {
    match tag {
        // Raw HTML shows as an escaped paragraph of text.
        Tag::Paragraph | Tag::HtmlBlock => out.push_str("<p>"),
        Tag::Heading { level, .. } => {
            out.push_str(&format!("<h{}>", heading(level)));
        }
        Tag::BlockQuote(_) => out.push_str("<blockquote>\n"),
        Tag::CodeBlock(kind) => {
            out.push_str("<pre><code");
            if let CodeBlockKind::Fenced(lang) = kind {
                let lang = lang.split_whitespace().next().unwrap_or("");
                if !lang.is_empty() {
                    out.push_str(" class=\"language-");
                    escape_into(out, lang);
                    out.push('"');
                }
            }
            out.push('>');
        }
        Tag::List(Some(1)) => out.push_str("<ol>\n"),
        Tag::List(Some(n)) => out.push_str(&format!("<ol start=\"{n}\">\n")),
        Tag::List(None) => out.push_str("<ul>\n"),
        Tag::Item => out.push_str("<li>"),
        Tag::Emphasis => out.push_str("<em>"),
        Tag::Strong => out.push_str("<strong>"),
        Tag::Strikethrough => out.push_str("<del>"),
        Tag::Link {
            dest_url, title, ..
        }
        | Tag::Image {
            dest_url, title, ..
        } => match safe_url(&dest_url) {
            Some(url) => {
                out.push_str("<a href=\"");
                escape_into(out, &url);
                out.push('"');
                if !title.is_empty() {
                    out.push_str(" title=\"");
                    escape_into(out, &title);
                    out.push('"');
                }
                out.push_str(" rel=\"nofollow noopener\">");
                links.push(true);
            }
            None => links.push(false),
        },
        // Not enabled in the parser options; their content still shows.
        _ => {}
    }
}

fn end(out: &mut String, tag: TagEnd, links: &mut Vec<bool>) {
    match tag {
        TagEnd::Paragraph | TagEnd::HtmlBlock => out.push_str("</p>\n"),
        TagEnd::Heading(level) => out.push_str(&format!("</h{}>\n", heading(level))),
        TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
        TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
        TagEnd::List(true) => out.push_str("</ol>\n"),
        TagEnd::List(false) => out.push_str("</ul>\n"),
        TagEnd::Item => out.push_str("</li>\n"),
        TagEnd::Emphasis => out.push_str("</em>"),
        TagEnd::Strong => out.push_str("</strong>"),
        TagEnd::Strikethrough => out.push_str("</del>"),
        TagEnd::Link | TagEnd::Image if links.pop() == Some(true) => out.push_str("</a>"),
        _ => {}
    }
}

fn heading(level: HeadingLevel) -> u8 {
    level as u8
}

/// `url` if it is an absolute http(s) or mailto URL, normalized; else `None`.
fn safe_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some() => Some(parsed.into()),
        "mailto" => Some(parsed.into()),
        _ => None,
    }
}

/// `text` with `& < > " '` escaped, for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// Appends `text` with `& < > " '` escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_markdown_renders() {
        assert_eq!(
            to_html("# Criteria\n\nDo **this** and *that*:\n\n1. one\n2. `two`\n"),
            "<h1>Criteria</h1>\n<p>Do <strong>this</strong> and <em>that</em>:</p>\n<ol>\n<li>one</li>\n<li><code>two</code></li>\n</ol>\n"
        );
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        assert_eq!(
            safe_url("https://example.org/a b"),
            Some("https://example.org/a%20b".into())
        );
        assert_eq!(
            safe_url("mailto:a@example.org"),
            Some("mailto:a@example.org".into())
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }
}
