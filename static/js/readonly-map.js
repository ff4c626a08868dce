// Read-only maps of the admin (neighbourhood contours): one Leaflet map per
// .readonly-map element, drawn from its data-geojson, with tiles when data-tiles is set.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".readonly-map[data-geojson]").forEach(function (element) {
    var map = L.map(element, { scrollWheelZoom: false, attributionControl: Boolean(element.dataset.tiles) });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution }).addTo(map);
    }
    var layer = L.geoJSON(JSON.parse(element.dataset.geojson)).addTo(map);
    map.fitBounds(layer.getBounds());
  });
});
