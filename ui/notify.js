// How the app tells the user something happened: one toast at the bottom
// right of the window. Every failed call to the app is shown this way
// (showError), naming what could not be done and why.

const TOAST_MS = 7000;
let timer = null;

/** Shows `message` in the toast ("error" or "info" tone) for a few seconds. */
export function toast(message, tone = "error") {
  const t = document.getElementById("toast");
  t.textContent = message;
  t.dataset.tone = tone;
  t.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => {
    t.hidden = true;
  }, TOAST_MS);
}

/** Tells the user that `what` failed ("The badge could not be deleted") and why. */
export function showError(what, err) {
  const why = err && typeof err.message === "string" ? err.message : String(err);
  toast(`${what}: ${why}`);
}

/** Runs task(); a failure is shown with showError, and the result is then undefined. */
export async function attempt(what, task) {
  try {
    return await task();
  } catch (err) {
    showError(what, err);
    return undefined;
  }
}
