// The progress bar for long tasks (import, re-verify, export) with its
// cancel button. Progress comes as `job-progress` events from the app.

import * as api from "./api.js";
import { showError } from "./notify.js";

const $ = (id) => document.getElementById(id);
let running = 0;
let showTimer = null;

export function initJobs() {
  api.onProgress((p) => {
    if (!running) return;
    const bar = $("job-progress");
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
    $("job-count").textContent = `${p.done} of ${p.total}`;
    $("job-label").textContent = p.label || "";
  });
  $("job-cancel").addEventListener("click", () => {
    $("job-cancel").disabled = true;
    $("job-title").textContent = "Stopping…";
    api.cancelJob().catch((err) => showError("The task could not be stopped", err));
  });
}

/** Runs `task()` with the progress bar showing `title`; resolves with its result. */
export async function runJob(title, task) {
  running++;
  const bar = $("job-progress");
  bar.removeAttribute("value");
  $("job-title").textContent = title;
  $("job-label").textContent = "";
  $("job-count").textContent = "";
  $("job-cancel").disabled = false;
  document.body.classList.add("is-working");
  // Quick tasks finish before the bar appears, so nothing flickers.
  clearTimeout(showTimer);
  showTimer = setTimeout(() => {
    $("job-bar").hidden = false;
  }, 120);
  try {
    return await task();
  } finally {
    running--;
    if (!running) {
      clearTimeout(showTimer);
      $("job-bar").hidden = true;
      document.body.classList.remove("is-working");
    }
  }
}
