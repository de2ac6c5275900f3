/* The events map. Reads the events from the json_script element named by the map's
   data-map attribute; draws tiles only when a tile server is configured, so the markers
   show even offline. No inline script: the CSP forbids it. */
(function () {
  "use strict";

  function escapeText(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function popup(point) {
    return '<a href="' + encodeURI(point.url) + '">' + escapeText(point.title) + "</a><br>" +
      escapeText(point.when) + (point.place ? "<br>" + escapeText(point.place) : "");
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-map"));
    if (!source || typeof L === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, { scrollWheelZoom: false });
    element.setAttribute("role", "region");
    element.setAttribute("aria-label", data.label);
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    }
    var markers = data.events.map(function (point) {
      return L.marker([point.lat, point.lng], { title: point.title, alt: point.title })
        .bindPopup(popup(point))
        .addTo(map);
    });
    if (markers.length === 1) {
      map.setView(markers[0].getLatLng(), 13);
    } else if (markers.length > 1) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.1));
    } else {
      map.setView([30, 10], 2);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-map]").forEach(draw);
  });
})();
