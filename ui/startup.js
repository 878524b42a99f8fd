// The screen shown instead of the app when the backpack could not be opened
// (a satchel.sqlite3 that is not a database, one from a newer Satchel, an
// unusable data folder): the app's one-sentence error naming the file, what
// the user can do, the paths, and Try again / Quit.

import * as api from "./api.js";
import { el } from "./dom.js";
import { attempt, showError } from "./notify.js";

const $ = (id) => document.getElementById(id);

const code = (text) => el("code", {}, text);
const strong = (text) => el("strong", {}, text);

/** The app's error reads as a sentence: capital first letter, full stop. */
function sentence(text) {
  const t = String(text || "").trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

function steps(failure) {
  const dir = failure.data_dir;
  const other = [
    "Or start Satchel with another data folder: ",
    code("satchel-desktop --data-dir FOLDER"),
    " (or set ",
    code("SATCHEL_DATA_DIR"),
    ").",
  ];
  if (failure.code === "newer_version") {
    return [
      ["Install the newer version of Satchel that wrote this backpack, and open it with that one."],
      other,
    ];
  }
  if (failure.code === "unreadable") {
    return [
      [
        "Select ",
        strong("Open data folder"),
        " and move ",
        code("satchel.sqlite3"),
        " out of it (keep it: it may be a damaged backpack you can still recover).",
      ],
      ["Select ", strong("Try again"), ". Satchel starts with an empty backpack; restore a backup from Settings if you have one."],
      other,
    ];
  }
  return [
    [dir ? "Check that the data folder exists and that you may write to it, then select " : "Choose a data folder, then select ", strong("Try again"), "."],
    other,
  ];
}

function draw(failure) {
  $("startup-message").textContent = sentence(failure.message);
  $("startup-steps").replaceChildren(...steps(failure).map((parts) => el("li", {}, parts)));
  $("startup-dir").textContent = failure.data_dir || "none";
  $("startup-db").textContent = failure.database || "none";
  $("startup-open").hidden = !failure.data_dir;
  $("startup-error").dataset.code = failure.code;
}

/**
 * Shows the error screen for failure ({ code, message, data_dir, database });
 * calls opened() when Try again opens the backpack (the error screen is gone).
 */
export function showStartupError(failure, { opened }) {
  document.querySelector(".app").hidden = true;
  document.querySelector(".skip-link").hidden = true;
  document.body.dataset.screen = "startup-error";
  document.title = "Satchel could not open your backpack";
  draw(failure);
  $("startup-error").hidden = false;
  $("startup-open").addEventListener("click", () => attempt("The folder could not be opened", api.openDataFolder));
  $("startup-retry").addEventListener("click", async () => {
    $("startup-status").textContent = "Opening the backpack…";
    try {
      const still = await api.retryStartup();
      if (!still) {
        $("startup-error").hidden = true;
        document.querySelector(".app").hidden = false;
        document.querySelector(".skip-link").hidden = false;
        document.title = "Satchel";
        opened();
        return;
      }
      draw(still);
      $("startup-status").textContent = "It still cannot be opened.";
    } catch (err) {
      $("startup-status").textContent = "";
      showError("The backpack could not be opened", err);
    }
  });
  $("startup-quit").addEventListener("click", () => attempt("Satchel could not quit", api.quit));
  $("startup-retry").focus();
}
