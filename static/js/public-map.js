// Public maps: one Leaflet map per .public-map element, drawn from the GeoJSON layer at its
// data-layer URL, with tiles only when data-tiles is set (the pages work without tiles).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".public-map[data-layer]").forEach(function (element) {
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: Boolean(element.dataset.tiles) });
    map.setView([46.6, 2.4], 5);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution }).addTo(map);
    }
    fetch(element.dataset.layer, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data).addTo(map);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds()); }
        element.dataset.ready = "true";
      });
  });
});
