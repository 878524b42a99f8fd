//! From badges to files: each badge's page, files and manifest entry, then
//! the index, the collection's embed snippet and the manifest, built in
//! memory (in parallel, one chunk of badges per core). The rules live beside
//! it: `privacy` (what a public page may carry), `layout` (paths and names),
//! `view` (the models the templates render), `words` and `render`.

use super::layout::FileLink;
use super::layout::{self, image_bytes, safe_link};
use super::plan::{PlannedBadge, SharePlan};
use super::privacy::{public_checks, Rules};
use super::render::{render, script_json, CSP, CSS, VERIFY_JS};
use super::view::{endorsements, enriched_view, linkedin_url};
use super::view::{AlignmentItem, BadgeModel, EvidenceItem};
use super::words::{nonblank, paragraphs, parse_badge_date, show_date, show_time, verdict_words};
use super::{svg_clean, verify_data};
use super::{ExportBadge, ExportCollection, ExportError, ExportOptions, MANIFEST, MANIFEST_FORMAT};
use crate::detect::InputKind;
use crate::media::sniff_image;
use crate::model::BadgeView;
use crate::verify::{BadgeFormat, Verdict};
use minijinja::{context, Value as JValue};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// The files of an export, in memory.
pub(crate) struct Site {
    /// (relative path, bytes), in writing order.
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The HTML pages, `index.html` first.
    pub pages: Vec<PathBuf>,
    /// Warnings for the user.
    pub warnings: Vec<String>,
}

/// One badge's files and page.
struct BadgeOut {
    model: BadgeModel,
    files: Vec<(PathBuf, Vec<u8>)>,
    warnings: Vec<String>,
    manifest: Value,
    og_image: Option<String>,
}

/// One badge while its page is built: what it is, where it goes, what the
/// rules allow, and the files and warnings so far.
struct Work<'a> {
    b: &'a ExportBadge,
    slug: &'a str,
    page: &'a str,
    dir: String,
    docs: HashMap<&'a str, &'a [u8]>,
    view: BadgeView,
    rules: &'a Rules,
    files: Vec<(PathBuf, Vec<u8>)>,
    cleaned: Vec<String>,
    warnings: Vec<String>,
}

impl Work<'_> {
    /// Adds an image under `stem` (an SVG cleaned first); its path, if written.
    fn add_image(&mut self, stem: &str, (ext, bytes): (&str, &[u8])) -> Option<String> {
        let stem = format!("{}/{stem}", self.dir);
        let (files, cleaned, warnings) = (&mut self.files, &mut self.cleaned, &mut self.warnings);
        svg_clean::add_image(files, cleaned, warnings, &stem, (ext, bytes))
    }
}

/// What a badge's page links to besides its text.
struct Parts {
    file_links: Vec<FileLink>,
    original: Option<String>,
    image: Option<String>,
    issuer_image: Option<String>,
    files_note: Option<String>,
}

fn build_badge(
    b: &ExportBadge,
    planned: &PlannedBadge,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<BadgeOut, ExportError> {
    let docs: HashMap<&str, &[u8]> = b
        .documents
        .iter()
        .map(|(u, d)| (u.as_str(), d.as_slice()))
        .collect();
    let view = enriched_view(&b.inspection, &docs);
    let mut w = Work {
        b,
        slug: &planned.id,
        page: &planned.page,
        dir: layout::files_dir(&planned.id),
        docs,
        view,
        rules: &planned.rules,
        files: Vec::new(),
        cleaned: Vec::new(),
        warnings: Vec::new(),
    };
    w.warnings.extend(planned.warnings.iter().cloned());
    let parts = badge_parts(&mut w);
    let (self_data, withheld) = self_check(&w);
    let mut model = badge_model(&w, &parts, opts, base);
    model.withheld = withheld;
    model.self_check = self_data.is_some();
    model.embed = render_embed(&model, w.page)?;
    let html = render_page(&model, self_data, base, w.page)?;
    w.files.push((PathBuf::from(w.page), html.into_bytes()));
    let manifest = badge_manifest(&w, &model, &parts);
    Ok(BadgeOut {
        og_image: model.image_abs.clone(),
        model,
        files: w.files,
        warnings: w.warnings,
        manifest,
    })
}

/// The badge's files: the original and its JSON (unless withheld), the
/// display image (the original when it is a PNG, a cleaned copy when it is an
/// SVG, else given or found, an SVG cleaned too) and the issuer's image.
fn badge_parts(w: &mut Work) -> Parts {
    let b = w.b;
    let mut file_links = Vec::new();
    let mut original = None;
    if w.rules.publish_original {
        let published = layout::original_files(b, &w.dir, &w.docs);
        file_links = published.links;
        w.files.extend(published.files);
        original = Some(published.original);
    }
    let container = b.inspection.container;
    let image = match (container, &original) {
        (InputKind::Png, Some(p)) => Some(p.clone()),
        (InputKind::Svg, Some(_)) => w.add_image("image", ("svg", &b.original)),
        _ => {
            let found = b
                .image
                .as_ref()
                .and_then(|(_, bytes)| sniff_image(bytes).map(|(ext, _)| (ext, bytes.clone())))
                .or_else(|| {
                    let src = w.view.image.as_deref()?;
                    image_bytes(src, &w.docs)
                });
            found.and_then(|(ext, bytes)| w.add_image("image", (ext, &bytes)))
        }
    };
    let files_note = (container == InputKind::Svg && original.is_some() && image.is_some()).then(|| {
        "The image shown is a cleaned copy without scripts or outside references. The original SVG below is byte for byte the file the issuer baked (it carries the badge); it is stored as text, so no browser runs it, and saves as an .svg file.".to_owned()
    });
    let issuer_found = w
        .view
        .issuer
        .image
        .as_deref()
        .and_then(|s| image_bytes(s, &w.docs));
    let issuer_image = issuer_found
        .and_then(|(ext, bytes)| w.add_image("issuer", (ext, &bytes)))
        .map(|rel| format!("../{rel}"));
    Parts {
        file_links,
        original,
        image,
        issuer_image,
        files_note,
    }
}

/// The data the in-browser check reads, and why it is not offered when it
/// is not. Offered only for badges Satchel verified: a page never claims
/// more than Satchel's last report.
fn self_check(w: &Work) -> (Option<Value>, Option<String>) {
    let report = &w.b.report;
    let checkable = report.format.is_signed() || report.format == BadgeFormat::Hosted;
    let satchel_verified = report.status == Verdict::Verified;
    let data = if !w.rules.publish_original || !checkable || !satchel_verified {
        None
    } else {
        verify_data::build(&w.b.inspection, report, &w.b.documents)
    };
    let withheld = w.rules.withheld_note().or_else(|| {
        (checkable && !satchel_verified).then(|| {
            "the check in your browser is offered only for badges Satchel verified".to_owned()
        })
    });
    (data, withheld)
}

fn evidence_items(view: &BadgeView, opts: &ExportOptions) -> Vec<EvidenceItem> {
    if !opts.include_evidence {
        return Vec::new();
    }
    view.evidence
        .iter()
        .map(|e| EvidenceItem {
            name: nonblank(&e.name),
            url: e.url.as_deref().and_then(safe_link),
            description: nonblank(&e.description),
            narrative: nonblank(&e.narrative),
        })
        .collect()
}

fn alignment_items(view: &BadgeView) -> Vec<AlignmentItem> {
    view.alignments
        .iter()
        .filter_map(|a| {
            let name = nonblank(&a.name).or_else(|| nonblank(&a.code))?;
            Some(AlignmentItem {
                name,
                url: a.url.as_deref().and_then(safe_link),
                description: nonblank(&a.description),
                framework: nonblank(&a.framework),
                code: nonblank(&a.code),
            })
        })
        .collect()
}

/// Everything the badge's page and card show (`withheld`, `self_check` and
/// `embed` are filled in after).
fn badge_model(w: &Work, parts: &Parts, opts: &ExportOptions, base: Option<&str>) -> BadgeModel {
    let (view, report) = (&w.view, &w.b.report);
    let abs = |rel: &str| base.map(|b| format!("{b}{rel}"));
    let page_url = abs(w.page);
    let issued_secs = view.issued_on.as_deref().and_then(parse_badge_date);
    let expires_secs = view.expires.as_deref().and_then(parse_badge_date);
    let (verdict, verdict_text, explained) = verdict_words(report.status);
    let endorsements = endorsements(w.b.inspection.document.as_ref());
    BadgeModel {
        id: w.slug.to_owned(),
        page: w.page.to_owned(),
        url: page_url.clone(),
        name: nonblank(&view.name).unwrap_or_else(|| "Untitled badge".to_owned()),
        description: nonblank(&view.description),
        description_paras: paragraphs(view.description.as_deref()),
        image: parts.image.as_ref().map(|r| format!("../{r}")),
        image_from_index: parts.image.clone(),
        image_abs: parts.image.as_deref().and_then(abs),
        issuer_identity: report.issuer_identity.as_ref().map(|i| i.sentence()),
        issuer_name: nonblank(&view.issuer.name),
        issuer_url: (view.issuer.url.as_deref())
            .or(view.issuer.id.as_deref())
            .and_then(safe_link),
        issuer_image: parts.issuer_image.clone(),
        issuer_description: nonblank(&view.issuer.description),
        issued: (issued_secs.map(show_date)).or_else(|| nonblank(&view.issued_on)),
        expires: (expires_secs.map(show_date)).or_else(|| nonblank(&view.expires)),
        expired: expires_secs.is_some_and(|e| e <= opts.now),
        criteria_url: view.criteria.url.as_deref().and_then(safe_link),
        criteria_text: nonblank(&view.criteria.narrative),
        criteria_paras: paragraphs(view.criteria.narrative.as_deref()),
        narrative: nonblank(&view.narrative),
        recipient_name: w.rules.recipient_name.clone().filter(|_| w.rules.show_name),
        evidence: evidence_items(view, opts),
        evidence_hidden: w.rules.evidence_hidden(),
        alignments: alignment_items(view),
        endorsement_count: view.endorsement_count.max(endorsements.len()),
        endorsements,
        tags: view.tags.iter().take(30).cloned().collect(),
        verdict,
        verdict_text,
        verdict_explained: explained.to_owned(),
        checked_at: show_time(report.checked_at),
        checked_at_iso: crate::clock::rfc3339(report.checked_at),
        format: report.format,
        version: report.version.map(|v| v.as_str()),
        checks: public_checks(report),
        files: parts.file_links.clone(),
        files_note: parts.files_note.clone(),
        withheld: None,
        linkedin: linkedin_url(report, view, page_url.as_deref()),
        assertion_url: (view.id.as_deref())
            .and_then(safe_link)
            .filter(|_| report.format == BadgeFormat::Hosted),
        self_check: false,
        embed: String::new(),
    }
}

/// The badge's embed snippet: absolute links with a base URL, else relative to the export.
fn render_embed(model: &BadgeModel, page: &str) -> Result<String, ExportError> {
    let embed = render(
        "embed.html",
        context! {
            href => model.url.clone().unwrap_or_else(|| page.to_owned()),
            img => model.image_abs.clone().or_else(|| model.image_from_index.clone()),
            name => &model.name,
            issuer => &model.issuer_name,
        },
        page,
    )?;
    Ok(embed.trim().to_owned())
}

fn render_page(
    model: &BadgeModel,
    self_data: Option<Value>,
    base: Option<&str>,
    page: &str,
) -> Result<String, ExportError> {
    let data_json = self_data.map(|d| script_json(&d));
    render(
        "badge.html",
        context! {
            root => "../",
            csp => CSP,
            b => model,
            title => &model.name,
            og_title => &model.name,
            og_description => model.description.clone().unwrap_or_else(|| format!("A badge issued by {}", model.issuer_name.clone().unwrap_or_else(|| "its issuer".into()))),
            og_image => model.image_abs.clone().or_else(|| model.image.clone()),
            og_url => model.url.clone(),
            verify_data => data_json.map(JValue::from_safe_string),
            base_url => base.is_some(),
        },
        page,
    )
}

fn badge_manifest(w: &Work, model: &BadgeModel, parts: &Parts) -> Value {
    let file = |suffix: &str| {
        (w.files.iter())
            .map(|(p, _)| p.to_string_lossy().into_owned())
            .find(|p| p.ends_with(suffix))
    };
    json!({
        "id": w.slug,
        "name": model.name,
        "issuer": model.issuer_name,
        "page": w.page,
        "url": model.url,
        "original": parts.original,
        "credential_json": file("/credential.json"),
        "credential_jws": file("/credential.jws"),
        "image": parts.image,
        "sanitized": w.cleaned,
        "embed_html": model.embed,
        "assertion_id": w.view.id,
        "version": model.version,
        "format": w.b.report.format,
        "verdict": model.verdict,
        "checked_at": model.checked_at_iso,
        "issued_on": w.view.issued_on,
        "expires": w.view.expires,
        "linkedin": model.linkedin,
        "self_check": model.self_check,
    })
}
/// Builds every file of the export.
pub(crate) fn build_site(
    c: &ExportCollection,
    plan: &SharePlan,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<Site, ExportError> {
    let outs = build_badges(c, plan, opts, base)?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (PathBuf::from("assets/satchel.css"), CSS.as_bytes().to_vec()),
        (
            PathBuf::from("assets/verify.js"),
            VERIFY_JS.as_bytes().to_vec(),
        ),
    ];
    let mut pages = vec![PathBuf::from("index.html")];
    let mut warnings = Vec::new();
    let title = plan.title.as_str();
    let description = c
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let (index, collection_embed) = render_index(&outs, title, description, opts, base)?;
    files.push((PathBuf::from("index.html"), index.into_bytes()));
    files.push((PathBuf::from("embed.html"), collection_embed.into_bytes()));

    let mut manifest_badges = Vec::with_capacity(outs.len());
    for o in outs {
        pages.push(PathBuf::from(&o.model.page));
        warnings.extend(o.warnings);
        manifest_badges.push(o.manifest);
        files.extend(o.files);
    }
    let manifest = json!({
        "format": MANIFEST_FORMAT,
        "generator": concat!("Satchel ", env!("CARGO_PKG_VERSION")),
        "exported_at": crate::clock::rfc3339(opts.now),
        "title": title,
        "description": description,
        "base_url": base,
        "index": "index.html",
        "embed": "embed.html",
        "options": {
            "include_recipient_name": opts.include_recipient_name,
            "include_evidence": opts.include_evidence,
        },
        "badges": manifest_badges,
        // Every file of the export but this one: a later export over this
        // folder replaces these and keeps everything else (files the user added).
        "files": files.iter().map(|(p, _)| p.to_string_lossy().replace('\\', "/")).collect::<Vec<_>>(),
    });
    files.push((
        PathBuf::from(MANIFEST),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    ));
    Ok(Site {
        files,
        pages,
        warnings,
    })
}

/// Every badge's page and files, one chunk of badges per core.
fn build_badges(
    c: &ExportCollection,
    plan: &SharePlan,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<Vec<BadgeOut>, ExportError> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = c.badges.len().div_ceil(threads).max(1);
    let results: Vec<Result<BadgeOut, ExportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = c
            .badges
            .chunks(chunk)
            .zip(plan.badges.chunks(chunk))
            .map(|(badges, planned)| {
                scope.spawn(move || {
                    badges
                        .iter()
                        .zip(planned)
                        .map(|(b, p)| build_badge(b, p, opts, base))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join().unwrap_or_else(|_| {
                    vec![Err(ExportError::Render {
                        path: PathBuf::from("badges"),
                        message: "a page builder stopped unexpectedly".to_owned(),
                    })]
                })
            })
            .collect()
    });
    results.into_iter().collect()
}

/// The index page and the collection's embed snippet.
fn render_index(
    outs: &[BadgeOut],
    title: &str,
    description: Option<&str>,
    opts: &ExportOptions,
    base: Option<&str>,
) -> Result<(String, String), ExportError> {
    let models: Vec<&BadgeModel> = outs.iter().map(|o| &o.model).collect();
    let collection_embed = render(
        "embed-collection.html",
        context! {
            title => title,
            href => base.map(|b| format!("{b}index.html")).unwrap_or_else(|| "index.html".to_owned()),
            badges => models.iter().map(|m| context! {
                href => m.url.clone().unwrap_or_else(|| m.page.clone()),
                img => m.image_abs.clone().or_else(|| m.image.as_ref().map(|i| i.trim_start_matches("../").to_owned())),
                name => &m.name,
                issuer => &m.issuer_name,
            }).collect::<Vec<_>>(),
        },
        "embed.html",
    )?;
    let index = render(
        "index.html",
        context! {
            root => "",
            csp => CSP,
            title => title,
            description => description,
            description_paras => paragraphs(description),
            badges => &models,
            og_title => title,
            og_description => description.map(str::to_owned).unwrap_or_else(|| format!("{} badges", models.len())),
            og_image => outs.iter().find_map(|o| o.og_image.clone()).or_else(|| models.iter().find_map(|m| m.image.as_ref().map(|i| i.trim_start_matches("../").to_owned()))),
            og_url => base.map(|b| format!("{b}index.html")),
            embed => collection_embed.trim(),
            base_url => base.is_some(),
            exported_at => show_time(opts.now),
        },
        "index.html",
    )?;
    Ok((index, collection_embed))
}
