// Accessible names for the admin's autocomplete boxes: Select2 draws a combobox that its
// <label> does not name, so screen readers announce an unnamed field.
"use strict";
window.addEventListener("load", function () {
  document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var container = select.nextElementSibling;
    if (!label || !container) {
      return;
    }
    var name = label.textContent.replace(/\s*:\s*$/, "").trim();
    // A multiple choice also draws an inline search box of its own.
    container
      .querySelectorAll('[role="combobox"], [role="textbox"], input.select2-search__field')
      .forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
  });
});
