// Behaviour for the app's pages, kept in a file: the Content-Security-Policy allows no inline script or handler.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-action='print']")) {
    window.print();
  }
});
