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
