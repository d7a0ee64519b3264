// staffrole's own script, loaded from a file (the Content-Security-Policy allows no inline script and no
// eval: docs/adr/0023-content-security-policy.md). It replaces what used to be hx-on attributes and htmx
// trigger filters, both of which htmx runs through eval.
(function () {
  "use strict";

  // A failed htmx request (an error answer, or no answer at all) shows the banner at the top of the page.
  function showHtmxError() {
    const banner = document.getElementById("htmx-error");
    if (banner) {
      banner.hidden = false;
    }
  }
  document.addEventListener("htmx:responseError", showHtmxError);
  document.addEventListener("htmx:sendError", showHtmxError);

  // A 503 that says what is down (the export queue: X-Swap-Error) takes the place of the result, so the
  // message shows where the export's progress would have, instead of the general banner.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    if (xhr.status === 503 && xhr.getResponseHeader("X-Swap-Error") === "true") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Autosaving fields (data-autosave): a chosen radio button saves at once, typing in a text area saves a
  // second after the last key (hx-trigger="autosave-choice, autosave-text delay:1s" on the field).
  // Other controls inside the field (the KPI buttons, the hidden versions) start no save.
  function autosaveField(target) {
    return target instanceof Element ? target.closest("[data-autosave]") : null;
  }
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "radio") {
      const field = autosaveField(target);
      if (field) {
        field.dispatchEvent(new CustomEvent("autosave-choice"));
      }
    }
  });
  document.addEventListener("input", function (event) {
    const target = event.target;
    if (target instanceof HTMLTextAreaElement) {
      const field = autosaveField(target);
      if (field) {
        field.dispatchEvent(new CustomEvent("autosave-text"));
      }
    }
  });
})();
