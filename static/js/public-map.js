// Public maps: one Leaflet map per .public-map element (templates/public/includes/map.html),
// drawn from the GeoJSON layer at its data-layer URL. Tiles only when data-tiles is set: the
// pages work without them. The map is aria-hidden: the page gives the same data in a table or a
// list, so nothing inside it may take the keyboard focus.
//
// Options (data-*): focus="CODE,CODE" highlights those neighbourhoods and fits the view to them;
// zoom-reload asks the layer again, simplified for the new zoom, when the zoom changes tier;
// lookup="FORM_ID" fills that form's longitude/latitude with a click and submits it;
// point="LON,LAT" marks the place a lookup answered.
"use strict";
(function () {
  // Highest zoom of each simplification tier, as in neighbourhoods/geojson.py ZOOM_TIERS.
  var TIER_LIMITS = [6, 9, 12];
  var STYLE = { color: "#000091", weight: 1.5, fillColor: "#6a6af4", fillOpacity: 0.35 };
  var FOCUS_STYLE = { color: "#e1000f", weight: 3, fillColor: "#e1000f", fillOpacity: 0.35 };
  var METROPOLE = L.latLngBounds([41.0, -5.5], [51.5, 10.0]);
  var APPROXIMATE_STYLE = {
    radius: 6, color: "#b34000", weight: 2, dashArray: "3 3", fillColor: "#ff9575", fillOpacity: 0.6,
  };

  function tierOf(zoom) {
    for (var i = 0; i < TIER_LIMITS.length; i++) {
      if (zoom <= TIER_LIMITS[i]) { return i; }
    }
    return TIER_LIMITS.length;
  }

  function withZoom(url, zoom) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "zoom=" + zoom;
  }

  // Nothing inside an aria-hidden map may be focusable (zoom buttons, popup links).
  function keepOutOfTabOrder(element) {
    element.removeAttribute("tabindex");
    element.querySelectorAll("a, button, input, [tabindex]").forEach(function (node) {
      node.setAttribute("tabindex", "-1");
    });
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var title = document.createElement("p");
    title.className = "fr-text--bold fr-mb-1v";
    title.textContent = properties.nom + " (" + properties.code + ")";
    box.appendChild(title);
    if (properties.approximate) {
      var note = document.createElement("p");
      note.className = "fr-text--sm fr-mb-1v";
      note.textContent = "Position approximative : centre de la commune" +
        (properties.commune ? " de " + properties.commune : "") + ", faute de contour.";
      box.appendChild(note);
    }
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = "Voir la page du quartier";
    box.appendChild(link);
    return box;
  }

  function draw(element) {
    if (element.dataset.mapInit) { return; }
    element.dataset.mapInit = "true";
    var focus = (element.dataset.focus || "").split(",").filter(Boolean);
    var map = L.map(element, {
      scrollWheelZoom: false,
      keyboard: false,
      attributionControl: Boolean(element.dataset.tiles),
    });
    map.setView([46.6, 2.4], 5);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { attribution: element.dataset.attribution }).addTo(map);
    }
    new MutationObserver(function () { keepOutOfTabOrder(element); })
      .observe(element, { childList: true, subtree: true });
    keepOutOfTabOrder(element);

    var current = null;
    var marked = null;
    if (element.dataset.point) {
      var point = element.dataset.point.split(",").map(Number);
      marked = L.latLng(point[1], point[0]);
    }
    var loadedTier = null;
    var zoomReload = "zoomReload" in element.dataset;

    function isFocused(feature) {
      return focus.indexOf(feature.properties.code) !== -1;
    }

    function pointStyle(feature) {
      var style = Object.assign({}, APPROXIMATE_STYLE);
      if (isFocused(feature)) { style.color = FOCUS_STYLE.color; style.radius = 9; }
      return style;
    }

    // Without a focus, the view fits metropolitan France's features when there are some: the
    // overseas ones would zoom the map out to the whole globe.
    function fitTarget(layer) {
      var all = layer.getLayers();
      var focused = all.filter(function (l) { return isFocused(l.feature); });
      if (focused.length) { return L.featureGroup(focused); }
      var metropolitan = all.filter(function (l) { return METROPOLE.contains(l.getBounds ? l.getBounds() : l.getLatLng()); });
      return metropolitan.length ? L.featureGroup(metropolitan) : layer;
    }

    function load(zoom, fit) {
      var url = element.dataset.layer;
      if (zoomReload) {
        loadedTier = tierOf(zoom);
        url = withZoom(url, zoom);
      }
      return fetch(url, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (data) {
          var layer = L.geoJSON(data, {
            // Called for points too (after pointToLayer): they keep their own style.
            style: function (feature) {
              if (feature.geometry.type === "Point") { return pointStyle(feature); }
              return isFocused(feature) ? FOCUS_STYLE : STYLE;
            },
            pointToLayer: function (feature, latlng) {
              return L.circleMarker(latlng, pointStyle(feature));
            },
            onEachFeature: function (feature, featureLayer) {
              featureLayer.bindPopup(popupContent(feature.properties));
              if (feature.properties.approximate) {
                featureLayer.options.className = "public-map__approximate";
              }
            },
          });
          if (current) { map.removeLayer(current); }
          current = layer.addTo(map);
          var hasFocus = layer.getLayers().some(function (l) { return isFocused(l.feature); });
          if (fit && marked && !hasFocus) {
            map.setView(marked, 13);  // a lookup that found nothing: show the place asked about
          } else if (fit && layer.getLayers().length) {
            // Not animated: the zoom is final at once, so the tier reload below is asked now.
            map.fitBounds(fitTarget(layer).getBounds(), { maxZoom: 14, padding: [10, 10], animate: false });
          }
          element.dataset.features = String(layer.getLayers().length);
        })
        .catch(function () {
          if (current) { return; }  // a failed reload keeps the layer already drawn
          element.dataset.ready = "error";
          var figure = element.closest("figure");
          var message = figure && figure.querySelector(".public-map__error");
          if (message) { message.hidden = false; }
        });
    }

    // data-ready="true" once the map has settled: the first fit is done and, with zoom-reload,
    // the layer of the fitted zoom's tier is the one drawn (nothing is about to be replaced).
    load(map.getZoom(), true)
      .then(function () {
        if (current && zoomReload && tierOf(map.getZoom()) !== loadedTier) {
          return load(map.getZoom(), false);
        }
      })
      .then(function () {
        if (!current) { return; }
        element.dataset.ready = "true";
        if (!zoomReload) { return; }
        map.on("zoomend", function () {
          if (tierOf(map.getZoom()) !== loadedTier) { load(map.getZoom(), false); }
        });
      });

    if (marked) {
      L.circleMarker(marked, { radius: 8, color: "#161616", weight: 3, fillOpacity: 0, interactive: false })
        .addTo(map);
    }

    if (element.dataset.lookup) {
      var form = document.getElementById(element.dataset.lookup);
      element.classList.add("public-map--lookup");
      map.on("click", function (event) {
        if (!form) { return; }
        var latlng = event.latlng.wrap();
        form.querySelector("[name=longitude]").value = latlng.lng.toFixed(6);
        form.querySelector("[name=latitude]").value = latlng.lat.toFixed(6);
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    }
  }

  function start() {
    document.querySelectorAll(".public-map[data-layer]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
