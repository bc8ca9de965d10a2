// The printable quote: its "Print" button (no inline handlers: the page runs under a CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
