/* The portal's one script of its own, for narrow screens. Everything works without it.
   1. The site menu as a disclosure: one button, aria-expanded, Escape closes. Without this
      script the button stays hidden and the menu open.
   2. A wide table scrolls inside its own region, named after its caption, reachable by the
      keyboard and with a visible hint, never the page. Without this script a table scrolls by
      itself (portal.css), which is less tidy but never pushes the page sideways. */
(function () {
  "use strict";
  var root = document.documentElement;

  function menu() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;
    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("is-open", open);
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
    root.classList.add("menu-ready");
  }

  var counter = 0;
  function regions(scope) {
    var hint = root.getAttribute("data-scroll-hint") || "";
    var tables = (scope || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".table-scroll")) return;
      var region = document.createElement("div");
      region.className = "table-scroll";
      region.setAttribute("role", "region");
      region.tabIndex = 0;
      var caption = table.querySelector("caption");
      if (caption) {
        if (!caption.id) caption.id = "table-caption-" + (++counter);
        region.setAttribute("aria-labelledby", caption.id);
      } else {
        var heading = table.previousElementSibling;
        region.setAttribute("aria-label", heading && /^H[2-4]$/.test(heading.tagName) ? heading.textContent.trim() : hint);
      }
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
      var note = document.createElement("p");
      note.className = "table-scroll__hint";
      note.textContent = hint;
      note.hidden = true;
      region.parentNode.insertBefore(note, region);
      function measure() { note.hidden = region.scrollWidth <= region.clientWidth + 1; }
      measure();
      window.addEventListener("resize", measure);
    });
    root.classList.add("tables-ready");
  }

  menu();
  regions(document);
  document.addEventListener("htmx:load", function (event) { regions(event.target); });
})();
