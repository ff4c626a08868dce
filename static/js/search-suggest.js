// The search bar's suggestions (templates/public/includes/search_bar.html), as the ARIA 1.2
// combobox pattern: the input keeps the focus, arrows move aria-activedescendant over the
// listbox's options, Enter opens the chosen one (or submits the form when none is chosen),
// Escape closes the list; a live region says how many suggestions there are. Without
// JavaScript the form is a plain GET to the results page.
"use strict";
(function () {
  var DELAY_MS = 200;
  var MIN_CHARS = 2;

  function setUp(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var status = document.getElementById("recherche-annonce");
    var timer = null;
    var active = -1;
    var items = [];
    var lastQuery = "";
    var controller = null;

    function close() {
      lastQuery = "";
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      window.location.assign(items[index].dataset.url);
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = "recherche-suggestion-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = suggestion.url;
        option.textContent = suggestion.type_libelle + " : " + suggestion.nom;
        var detail = document.createElement("span");
        detail.className = "search-suggestions__detail";
        detail.textContent = suggestion.detail;
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(index); });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      status.textContent = items.length
        ? items.length + (items.length > 1 ? " suggestions disponibles." : " suggestion disponible.")
        : "Aucune suggestion.";
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) { return; }
      lastQuery = query;
      if (query.length < MIN_CHARS) { close(); status.textContent = ""; return; }
      if (controller) { controller.abort(); }
      controller = new AbortController();
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" }, signal: controller.signal,
      })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === query) { show(data.suggestions); } })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (!items.length) { lastQuery = ""; fetchSuggestions(); return; }
        event.preventDefault();
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!items.length) { return; }
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (active >= 0 && !list.hidden) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) { event.preventDefault(); close(); status.textContent = ""; }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function start() {
    document.querySelectorAll("input[role=combobox][data-suggest-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
