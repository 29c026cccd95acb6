// Swagger UI (/api/docs/) for assistive technology: what its own markup leaves out, added as it renders.
// - a name for each parameter's drop-down (enum parameters in "Try it out" have a <select> with no label);
// - a tab stop on each code example that scrolls sideways (axe: scrollable-region-focusable), so a keyboard reaches it.
// Loaded by templates/drf_spectacular/swagger_ui.html; checked by axe in tests/browser/test_api_docs.py.
"use strict";
(() => {
  const root = document.getElementById("swagger-ui");
  if (!root) return;
  const mend = () => {
    for (const select of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
      select.setAttribute("aria-label", select.closest("tr").dataset.paramName);
    }
    for (const example of root.querySelectorAll("pre.microlight:not([tabindex])")) {
      example.setAttribute("tabindex", "0");
    }
  };
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
  mend();
})();
