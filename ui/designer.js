// The badge designer: a dialog where a shape, colours (with a contrast
// check), a title line, a smaller line and an optional bundled icon become a
// badge image. The app draws it (`satchel::issuer::design`: an SVG with the
// text as paths in the bundled font, rendered to PNG by resvg), so it looks
// the same on every machine; the preview is that PNG, shown with <img>.

import * as api from "./api.js";
import { el } from "./dom.js";
import { latestOnly } from "./latest.js";

const PALETTES = [
  { name: "Blue", background: "#1f4fa3", foreground: "#ffffff", accent: "#f2b632" },
  { name: "Green", background: "#1d6b47", foreground: "#ffffff", accent: "#a7e07c" },
  { name: "Purple", background: "#5b2c91", foreground: "#ffffff", accent: "#f0a8d8" },
  { name: "Red", background: "#a3262a", foreground: "#ffffff", accent: "#ffd166" },
  { name: "Light", background: "#f4efe4", foreground: "#2b2b2b", accent: "#c0872f" },
];
const LABELS = { "graduation-cap": "Graduation cap", lightbulb: "Light bulb" };
const label = (name) => LABELS[name] || name[0].toUpperCase() + name.slice(1);

let choices = null;

function choiceGroup(name, legend, values, checked) {
  return el(
    "fieldset",
    { class: "field" },
    el("legend", {}, legend),
    el(
      "div",
      { class: "designer__choices" },
      values.map((v) =>
        el(
          "label",
          { class: "designer__choice", for: `${name}-${v}` },
          el("input", { type: "radio", name, id: `${name}-${v}`, value: v, checked: v === checked }),
          label(v),
        ),
      ),
    ),
  );
}

function colour(id, text, value) {
  return el(
    "div",
    { class: "field" },
    el("label", { for: id }, text),
    el("input", { type: "color", id, value }),
  );
}

/**
 * Opens the designer; resolves { path, uri } of the saved 512×512 PNG when
 * the user takes the design, or null when cancelled (Escape, Cancel).
 */
export async function openDesigner({ title = "" } = {}) {
  if (!choices) {
    try {
      choices = await api.designerChoices();
    } catch (err) {
      return Promise.reject(err);
    }
  }
  return new Promise((resolve) => {
    const take = latestOnly();
    const p = PALETTES[0];
    const preview = el("img", { id: "designer-preview", alt: "Preview of the badge", width: "256", height: "256" });
    const contrast = el("p", { id: "designer-contrast", class: "contrast", role: "status" });
    const error = el("p", { id: "designer-error", class: "form-error", role: "alert" });
    const titleInput = el("input", { type: "text", id: "designer-title", maxlength: "60", value: title || "", autocomplete: "off" });
    const subtitleInput = el("input", { type: "text", id: "designer-subtitle", maxlength: "60", autocomplete: "off", placeholder: "e.g. 2026" });
    const iconSelect = el(
      "select",
      { id: "designer-icon" },
      el("option", { value: "" }, "No icon"),
      choices.icons.map((i) => el("option", { value: i, selected: i === "star" }, label(i))),
    );
    const palettes = el(
      "div",
      { class: "designer__choices", role: "group", "aria-label": "Colour sets" },
      PALETTES.map((pal) => {
        const b = el("button", { type: "button", class: "button button--small", "data-palette": pal.name }, pal.name);
        b.addEventListener("click", () => {
          form.querySelector("#designer-background").value = pal.background;
          form.querySelector("#designer-foreground").value = pal.foreground;
          form.querySelector("#designer-accent").value = pal.accent;
          redraw();
        });
        return b;
      }),
    );
    const cancel = el("button", { type: "button", class: "button", id: "designer-cancel" }, "Cancel");
    const use = el("button", { type: "submit", class: "button button--primary", id: "designer-use" }, "Use this design");
    const form = el(
      "form",
      { class: "designer__form", method: "dialog", novalidate: true },
      el(
        "div",
        { class: "designer__body" },
        el(
          "div",
          { class: "issue-form" },
          choiceGroup("designer-shape", "Shape", choices.shapes, "circle"),
          el("div", { class: "field" }, el("label", { for: "designer-title" }, "Title line"), titleInput),
          el("div", { class: "field" }, el("label", { for: "designer-subtitle" }, "Second line (optional)"), subtitleInput),
          el("div", { class: "field" }, el("label", { for: "designer-icon" }, "Icon"), iconSelect),
          el("fieldset", { class: "field" }, el("legend", {}, "Colours"), palettes),
          el(
            "div",
            { class: "designer__colours" },
            colour("designer-background", "Background", p.background),
            colour("designer-foreground", "Text", p.foreground),
            colour("designer-accent", "Rim", p.accent),
          ),
        ),
        el("div", { class: "designer__preview" }, preview, contrast),
      ),
      error,
      el("div", { class: "button-row confirm__actions" }, cancel, use),
    );
    const dialog = el(
      "dialog",
      { class: "confirm confirm--wide designer", "aria-labelledby": "designer-heading" },
      el("h2", { id: "designer-heading", class: "confirm__title" }, "Design a badge image"),
      form,
    );
    const design = () => ({
      shape: form.querySelector('input[name="designer-shape"]:checked').value,
      background: form.querySelector("#designer-background").value,
      foreground: form.querySelector("#designer-foreground").value,
      accent: form.querySelector("#designer-accent").value,
      title: titleInput.value,
      subtitle: subtitleInput.value,
      icon: iconSelect.value || null,
    });
    let timer = null;
    const redraw = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const fresh = take();
        if (!titleInput.value.trim()) {
          error.textContent = "Type the title line to show on the badge.";
          return;
        }
        try {
          const r = await api.renderDesign(design(), false);
          if (!fresh()) return;
          error.textContent = "";
          preview.src = r.uri;
          const low = r.warnings.length > 0;
          contrast.className = low ? "contrast contrast--bad" : "contrast";
          contrast.textContent = low ? r.warnings[0] : `Text contrast ${r.contrast.toFixed(1)}:1, easy to read.`;
        } catch (err) {
          if (fresh()) error.textContent = err.message;
        }
      }, 120);
    };
    const finish = (answer) => {
      clearTimeout(timer);
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    form.addEventListener("input", redraw);
    form.addEventListener("change", redraw);
    cancel.addEventListener("click", () => finish(null));
    dialog.addEventListener("cancel", (e) => {
      e.preventDefault();
      finish(null);
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!titleInput.value.trim()) {
        error.textContent = "Type the title line to show on the badge.";
        titleInput.focus();
        return;
      }
      use.disabled = true;
      try {
        const r = await api.renderDesign(design(), true);
        finish({ path: r.path, uri: r.uri });
      } catch (err) {
        error.textContent = `The design could not be saved: ${err.message}`;
        use.disabled = false;
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    titleInput.focus();
    redraw();
  });
}
