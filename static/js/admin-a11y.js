// Accessible names and structure for the admin's autocomplete boxes. Select2 draws a combobox
// that its <label> does not name, so screen readers announce an unnamed field; a multiple
// choice also draws an inline search box, and lists its chosen values in a <ul> that holds a
// bare « clear » <span> (an invalid list). Select2 redraws these on every change, so they are
// fixed again whenever the box's content changes.
"use strict";
(function () {
  // The field's label, or in a tabular inline (no label per row) its column's heading.
  function nameOf(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      return label.textContent;
    }
    var cell = select.closest("td");
    var table = select.closest("table");
    if (cell && table) {
      var column = Array.prototype.indexOf.call(cell.parentNode.children, cell);
      var heading = table.querySelectorAll("thead th")[column];
      if (heading) {
        return heading.textContent;
      }
    }
    return select.name;
  }

  function fix(select) {
    var container = select.nextElementSibling;
    if (!container) {
      return;
    }
    var name = nameOf(select).replace(/\s*:\s*$/, "").trim();
    container
      .querySelectorAll('[role="combobox"], [role="textbox"], input.select2-search__field')
      .forEach(function (box) {
        if (box.getAttribute("aria-label") !== name) {
          box.setAttribute("aria-label", name);
        }
      });
    // The chosen values are read through the named combobox: their <ul> is only layout.
    container.querySelectorAll("ul.select2-selection__rendered").forEach(function (list) {
      [list].concat(Array.prototype.slice.call(list.children)).forEach(function (element) {
        if (element.getAttribute("role") !== "presentation") {
          element.setAttribute("role", "presentation");
        }
      });
    });
  }

  function watch(select) {
    fix(select);
    var container = select.nextElementSibling;
    if (container && !container.dataset.a11yWatched) {
      container.dataset.a11yWatched = "true";
      new MutationObserver(function () {
        fix(select);
      }).observe(container, { childList: true, subtree: true });
    }
  }

  function watchAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(watch);
    document.documentElement.dataset.autocompleteNamed = "true";
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchAll();
    // Boxes Select2 draws later (its own start-up, inline rows added with « Ajouter … »).
    var pending = false;
    new MutationObserver(function () {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          watchAll();
        });
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", watchAll);
})();
