/* Starts Redoc on /api/redoc/ (templates/api/redoc.html) without an inline script. Redoc's
   styles are injected at run time: they carry this script's nonce, which the page's policy
   allows for styles (portal/api/urls.py). */
(function () {
  "use strict";
  var script = document.currentScript;
  var container = document.getElementById("redoc-container");
  if (!container || typeof Redoc === "undefined") {
    return;
  }
  Redoc.init(
    container.getAttribute("data-spec-url"),
    {
      nonce: script && script.nonce ? script.nonce : undefined,
      hideDownloadButton: false,
      expandResponses: "200",
      jsonSampleExpandLevel: 2,
      theme: { colors: { primary: { main: "#000091" } } }
    },
    container
  );
})();
