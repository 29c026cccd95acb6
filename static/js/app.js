// Behaviour for the app's pages, kept in a file: the Content-Security-Policy allows no inline script or handler.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-action='print']")) {
    window.print();
  }
});

// A <select data-action="navigate"> whose options are URLs: choosing one opens it (the quarterly review's period).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-action='navigate']");
  if (select && select.value) {
    window.location.assign(select.value);
  }
});

// Text limits (cco/form_rendering.py): the help text says "At most N characters"; this counts as you type, so a
// long paste is seen to be over before saving (the server refuses it with a field error and keeps the text).
function showLimit(field) {
  const limit = Number(field.dataset.limit);
  let count = field.parentElement.querySelector(`.limit-count[data-for="${field.id}"]`);
  if (!count) {
    count = document.createElement("span");
    count.className = "limit-count small muted";
    count.dataset.for = field.id;
    field.insertAdjacentElement("afterend", count);
  }
  const used = field.value.length;
  count.textContent = `${used.toLocaleString()} / ${limit.toLocaleString()}`;
  count.classList.toggle("over", used > limit);
}
document.addEventListener("input", (event) => {
  const field = event.target.closest("[data-limit]");
  if (field) {
    showLimit(field);
  }
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-limit]").forEach((field) => {
    if (field.value.length > Number(field.dataset.limit) * 0.8) {
      showLimit(field);
    }
  });
});

// On a phone every table is a list of cards (static/css/app.css): each cell is labelled with its column's header
// (a header's data-label when it has one). Done again when htmx swaps a region in.
function labelCells(root) {
  root.querySelectorAll(".table-wrap > table").forEach((table) => {
    const heads = [...table.querySelectorAll(":scope > thead > tr:last-child > th")].map(
      (th) => th.dataset.label || th.textContent.replace(/\s+/g, " ").trim(),
    );
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach((row) => {
      [...row.children].forEach((cell, index) => {
        if (cell.tagName === "TD" && heads[index] && !cell.dataset.label) {
          cell.dataset.label = heads[index];
        }
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));
document.addEventListener("htmx:afterSwap", (event) => labelCells(event.target));

// A form with data-confirm asks first (revoking a feed key cannot be undone).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// One-time form tokens (the check-in form's `submission`, goals/forms.py) stay with the page they were first drawn
// on: the token is kept in this history entry's state, and a page the browser loads again on Back, instead of showing
// it as it was, is given it back with the values it restores. Submitted again, it sends the same token and the
// service records nothing twice; a page opened anew is a new entry and keeps its new token.
document.querySelectorAll("input[data-once]").forEach((input) => {
  const key = `once:${input.name}`;
  const state = history.state || {};
  if (state[key]) {
    input.value = state[key];
  } else if (input.value) {
    history.replaceState({ ...state, [key]: input.value }, "");
  }
});
