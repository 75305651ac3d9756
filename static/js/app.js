// Small behaviours shared by every page. No inline scripts anywhere: the CSP forbids them.
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  window.csrfToken = meta ? meta.content : "";

  // Selects marked data-autosubmit send their form when changed (the period selector).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      const form = select.form;
      form.querySelectorAll('input[name="from"], input[name="to"]').forEach(function (input) {
        input.disabled = true; // a chosen period wins over stale custom dates
      });
      form.submit();
    });
  });

  // Progress bars take their width from data-width: inline styles are not allowed by the CSP.
  document.querySelectorAll("[data-width]").forEach(function (bar) {
    bar.style.width = bar.dataset.width + "%";
  });

  // "Select all" checkboxes: data-select-all="name" toggles every checkbox of that name.
  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      document.querySelectorAll('input[type=checkbox][name="' + master.dataset.selectAll + '"]')
        .forEach(function (box) { box.checked = master.checked; });
    });
  });

  // Forms marked data-confirm ask before they are sent (undoing, deleting).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Parts of a form that apply to some choices only: data-shown-for="merge split" next to a
  // select marked data-shows-parts.
  document.querySelectorAll("select[data-shows-parts]").forEach(function (select) {
    function show() {
      select.form.querySelectorAll("[data-shown-for]").forEach(function (part) {
        part.hidden = part.dataset.shownFor.split(" ").indexOf(select.value) < 0;
      });
    }
    select.addEventListener("change", show);
    show();
  });

  // Target grids: mark edited cells so the supervisor sees what Save will change.
  document.querySelectorAll(".target-grid input[type=number]").forEach(function (input) {
    input.addEventListener("input", function () {
      input.classList.toggle("changed", input.value !== input.defaultValue);
    });
  });
})();
