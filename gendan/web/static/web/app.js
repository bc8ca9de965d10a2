// Gendan web app: small glue between htmx and Bootstrap.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  document.body.addEventListener("htmx:configRequest", function (event) {
    if (csrf) { event.detail.headers["X-CSRFToken"] = csrf.content; }
  });
  // Dialogs: htmx loads content into #gd-dialog-body, then we show the Bootstrap modal.
  var dialogEl = document.getElementById("gd-dialog");
  var dialog = dialogEl ? new bootstrap.Modal(dialogEl) : null;
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (dialog && event.detail.target.id === "gd-dialog-body") { dialog.show(); }
  });
  document.body.addEventListener("followUpLogged", function () {
    if (dialog) { setTimeout(function () { dialog.hide(); }, 600); }
    var workbench = document.getElementById("gd-workbench");
    if (workbench) { htmx.ajax("GET", window.location.pathname, { target: "#gd-workbench", select: "#gd-workbench", swap: "outerHTML" }); }
  });
  // Close the search results when clicking elsewhere.
  document.addEventListener("click", function (event) {
    var box = document.getElementById("gd-search-results");
    if (box && !event.target.closest(".gd-search")) { box.innerHTML = ""; }
  });
})();
// Bulk selection on list pages: "select all", and the chosen ids into the form.
(function () {
  "use strict";
  document.querySelectorAll("form.gd-bulk").forEach(function (form) {
    var all = form.querySelector("[data-bulk-all]");
    var items = function () { return form.querySelectorAll("[data-bulk-item]"); };
    if (all) {
      all.addEventListener("change", function () {
        items().forEach(function (box) { box.checked = all.checked; });
      });
    }
    form.addEventListener("submit", function () {
      var ids = [];
      items().forEach(function (box) { if (box.checked) { ids.push(box.value); } });
      form.querySelector("input[name=ids]").value = ids.join(",");
    });
  });
})();
// A deal moved from its record page (not the board): show the new state.
document.body.addEventListener("dealMoved", function () {
  if (!document.getElementById("gd-board")) { window.location.reload(); }
});
// Behaviour declared in the markup, for every page and every swapped fragment (the pages run
// under a Content-Security-Policy without inline scripts):
//   data-autosubmit        a filter control submits its form when it changes;
//   data-confirm="…"       a form asks before it is sent;
//   data-fill="…"          a button puts a value into the field data-fill-field of its form.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var control = event.target.closest("[data-autosubmit]");
    if (control && control.form) { control.form.submit(); }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill]");
    if (!button || !button.form) { return; }
    var field = button.form.elements[button.dataset.fillField];
    if (field) { field.value = button.dataset.fill; field.focus(); }
  });
})();
