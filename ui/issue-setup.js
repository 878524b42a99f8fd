// Issue mode's set-up: the first visit to Issue with no issuer asks who
// issues, where the badges will be hosted and in which format, then makes
// the issuer and its signing key. Also the image field (drop or native
// picker, checked by the core before anything is saved) that the set-up,
// the class editor and the issuer's profile share.

import * as api from "./api.js";
import { currentIssuer, registerIssueScreen, setCurrentIssuer, showIssueScreen } from "./issue.js";

const $ = (id) => document.getElementById(id);

/**
 * Wires an image field: `prefix`-preview, -empty, -pick, -clear (optional),
 * -error and -warnings (optional). `logo`: any shape is fine. Returns
 * { path(), set(path), setChecked(checked), reset(uri), drop(paths) }.
 * onChange(checked) runs after a good image was taken.
 */
export function imageField(prefix, { logo = false, title = "Choose an image", onChange = () => {} } = {}) {
  let path = null;
  let shownUri = null;
  const preview = $(`${prefix}-preview`);
  const empty = $(`${prefix}-empty`);
  const error = $(`${prefix}-error`);
  const warnings = $(`${prefix}-warnings`);
  const clear = $(`${prefix}-clear`);
  const pickButton = $(`${prefix}-pick`);

  const draw = (uri) => {
    shownUri = uri;
    preview.hidden = !uri;
    if (uri) preview.src = uri;
    else preview.removeAttribute("src");
    empty.hidden = Boolean(uri);
    if (clear) clear.hidden = !uri;
  };
  const sayWarnings = (list) => {
    if (!warnings) return;
    warnings.replaceChildren(...list.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  };
  const setChecked = (checked) => {
    path = checked.path;
    error.textContent = "";
    pickButton.removeAttribute("aria-invalid");
    sayWarnings(checked.warnings || []);
    draw(checked.uri);
    onChange(checked);
  };
  const take = async (candidate) => {
    if (!candidate) return;
    try {
      setChecked(await api.checkImage(candidate, logo));
    } catch (err) {
      // The image is refused before anything is saved; what was there stays.
      error.textContent = err.message;
      pickButton.setAttribute("aria-invalid", "true");
      sayWarnings([]);
    }
  };
  pickButton.addEventListener("click", async () => {
    try {
      await take(await api.pickBadgeImage(title));
    } catch (err) {
      error.textContent = err.message;
    }
  });
  if (clear) {
    clear.addEventListener("click", () => {
      path = null;
      error.textContent = "";
      sayWarnings([]);
      draw(null);
      pickButton.focus();
    });
  }
  return {
    path: () => path,
    set: take,
    setChecked,
    /** Shows `uri` (the saved image) with no new file chosen. */
    reset(uri = null) {
      path = null;
      error.textContent = "";
      pickButton.removeAttribute("aria-invalid");
      sayWarnings([]);
      draw(uri);
    },
    hasImage: () => Boolean(shownUri),
    drop: (paths) => take(paths[0]),
  };
}

let image = null;

function value(id) {
  return $(id).value.trim();
}

async function submit(e) {
  e.preventDefault();
  const required = [
    ["setup-name", "the issuer's name"],
    ["setup-url", "a website"],
    ["setup-email", "a contact email"],
    ["setup-base", "the web address where the badges will be published"],
  ];
  for (const [id] of required) $(id).removeAttribute("aria-invalid");
  const missing = required.find(([id]) => !value(id));
  if (missing) {
    $(missing[0]).setAttribute("aria-invalid", "true");
    $("setup-error").textContent = `Give ${missing[1]}.`;
    $(missing[0]).focus();
    return;
  }
  const button = $("setup-create");
  button.disabled = true;
  $("setup-error").textContent = "";
  try {
    const issuer = await api.createIssuer({
      name: value("setup-name"),
      url: value("setup-url"),
      email: value("setup-email"),
      base_url: value("setup-base"),
      description: value("setup-description"),
      image: image.path(),
    });
    const format = document.querySelector('input[name="setup-format"]:checked');
    if (format && format.value !== "ob3") {
      await api.setDefaultFormat(issuer.id, format.value).catch((err) => {
        $("setup-error").textContent = `The badge format could not be saved: ${err.message}`;
      });
    }
    setCurrentIssuer(issuer);
    $("setup-form").reset();
    image.reset();
    await showIssueScreen("classes", { created: true });
  } catch (err) {
    $("setup-error").textContent = `The issuer could not be created: ${err.message}`;
  } finally {
    button.disabled = false;
  }
}

registerIssueScreen("setup", {
  init() {
    image = imageField("setup-image", { logo: true, title: "Choose the issuer's image" });
    $("setup-form").addEventListener("submit", submit);
    $("setup-cancel").addEventListener("click", () => showIssueScreen("issuer"));
  },
  show() {
    $("setup-error").textContent = "";
    // A further issuer can be set up from "Issuer and keys"; the first cannot be skipped.
    $("setup-cancel").hidden = !currentIssuer();
  },
  drop: (paths) => image.drop(paths),
});
