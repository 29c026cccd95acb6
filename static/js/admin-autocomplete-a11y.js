// The Django admin's search pickers (autocomplete_fields: select2) for assistive technology. Select2 names its
// combobox by the text of the choice shown, which is empty until something is chosen, so a screen reader announced
// an unnamed field (axe: aria-input-field-name). Each combobox, and the text box showing the choice, is named by the
// field's own <label> too.
// Loaded by cco.admin_widgets.SearchedSelect's media; checked by axe in tests/browser/test_admin_autocomplete.py.
"use strict";
(() => {
  const mend = () => {
    for (const select of document.querySelectorAll("select.admin-autocomplete[id]")) {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const combobox = select.parentElement.querySelector(".select2-selection[role='combobox']");
      if (!label || !combobox) continue;
      label.id ||= `${select.id}-label`;
      const named = (combobox.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (!named.includes(label.id)) combobox.setAttribute("aria-labelledby", [label.id, ...named].join(" "));
      const shown = combobox.querySelector(".select2-selection__rendered[role]");
      if (shown && !shown.hasAttribute("aria-labelledby")) shown.setAttribute("aria-labelledby", label.id);
      // Several choices (a department's heads): the box typed into, and the mouse-only "×" that clears them all,
      // which select2 puts among the list of choices.
      for (const search of combobox.querySelectorAll(".select2-search__field:not([aria-labelledby])")) {
        search.setAttribute("aria-labelledby", label.id);
      }
      for (const clear of combobox.querySelectorAll("ul > .select2-selection__clear:not([aria-hidden])")) {
        clear.setAttribute("aria-hidden", "true");
      }
    }
  };
  new MutationObserver(mend).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", mend);
})();
