// After a failed save the page shows an error summary (templates/partials/_error_summary.html) at the top of the
// form that failed. Focus moves to it and it is scrolled into view, so a person (and a screen reader) starts from
// what went wrong, even when the form sits far down a long page (the mandate checklist, the org chart).
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }
});

// A summary's link goes to its input: the input gets focus and its label (or its group's legend) is shown above it;
// a plain jump to the fragment would scroll the label out of sight and leave focus where it was.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-error-summary] a[href^='#']");
  const input = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!input) {
    return;
  }
  event.preventDefault();
  const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`) || input.closest("fieldset")?.querySelector("legend");
  (label || input).scrollIntoView({ block: "start" });
  input.focus({ preventScroll: true });
});
