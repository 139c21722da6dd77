// Framing matrix, side-by-side reader and outlets overview: the little behaviour htmx does not give.
// - keeps the matrix filter form in step with the address bar (after a swap, back/forward, clear);
// - side by side: choosing the outlet the other side shows swaps the two sides;
// - filter dropdowns: one open at a time, closed by a choice, a click outside or Escape;
// - opens a cell's statements in a drawer at once (saying it is loading), focuses it, keeps
//   Tab inside it, closes it with its button, Escape or a click outside, and puts focus
//   back on the cell that opened it;
// - keeps the matrix's second header row stuck just under the first.
(function () {
  "use strict";

  function syncFilters() {
    var form = document.getElementById("matrix-filters");
    if (!form) return;
    var params = new URLSearchParams(window.location.search);
    form.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") input.checked = params.getAll(input.name).indexOf(input.value) !== -1;
      else if (input.type === "date") input.value = params.get(input.name) || "";
    });
    form.querySelectorAll("details.filter").forEach(function (details) {
      var n = details.querySelectorAll("input:checked").length;
      var badge = details.querySelector(".badge");
      details.toggleAttribute("data-active", n > 0);
      if (!n) {
        if (badge) badge.remove();
        return;
      }
      if (!badge) {
        badge = document.createElement("span");
        badge.className = "badge";
        details.querySelector("summary").append(" ", badge);
      }
      badge.textContent = String(n);
      badge.setAttribute("aria-label", n + " chosen");
    });
  }

  document.addEventListener("htmx:pushedIntoHistory", syncFilters);
  document.addEventListener("htmx:historyRestore", syncFilters);
  window.addEventListener("popstate", function () { window.setTimeout(syncFilters, 0); });

  // Filter dropdowns ------------------------------------------------------------------------

  function openFilters() {
    return Array.prototype.slice.call(document.querySelectorAll("details.filter[open]"));
  }

  function closeFilter(details, refocus) {
    details.open = false;
    if (refocus) details.querySelector("summary").focus();
  }

  function placeFilter(details) {
    // A list that would run off the right edge opens leftwards instead.
    var list = details.querySelector("fieldset");
    details.classList.remove("opens-left");
    if (!list || getComputedStyle(list).position !== "absolute") return;
    if (list.getBoundingClientRect().right > document.documentElement.clientWidth - 8) {
      details.classList.add("opens-left");
    }
  }

  // `toggle` does not bubble: listen in the capture phase.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.filter") || !details.open) return;
    openFilters().forEach(function (other) { if (other !== details) other.open = false; });
    placeFilter(details);
  }, true);

  document.addEventListener("change", function (event) {
    var details = event.target.closest && event.target.closest("details.filter");
    if (details && details.open) closeFilter(details, details.contains(document.activeElement));
  });

  // Side by side: choosing for one side the outlet the other side shows swaps the two sides
  // (the other side takes the outlet this one showed). Runs in the capture phase, before htmx
  // sends the form on the same change.
  document.addEventListener("change", function (event) {
    var select = event.target;
    var form = select.closest && select.closest("form.compare-form");
    if (!form || (select.name !== "a" && select.name !== "b")) return;
    var other = form.elements[select.name === "a" ? "b" : "a"];
    var shown = select.querySelector("option[selected]"); // what the page showed on this side
    if (other && shown && other.value === select.value) other.value = shown.value;
  }, true);

  // Drill-down drawer -----------------------------------------------------------------------

  var opener = null;
  var drilling = false;
  var cancelled = false;

  function panel() {
    return document.getElementById("statements-panel");
  }

  function loadingDrawer(drawer) {
    var note = document.createElement("p");
    note.className = "drawer-loading";
    note.textContent = "Loading the statements…";
    drawer.replaceChildren(note);
    drawer.hidden = false;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    drilling = Boolean(target && target.id === "statements-panel");
    if (!drilling) return;
    opener = event.detail.elt;
    cancelled = false;
    if (target.hidden) loadingDrawer(target);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (cancelled && target && target.id === "statements-panel") {
      event.detail.shouldSwap = false;
      cancelled = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    measureHeads();
    if (!drilling) return;
    drilling = false;
    var drawer = panel();
    if (drawer && !drawer.hidden) drawer.focus();
  });

  function closeDrawer() {
    var drawer = panel();
    if (!drawer || drawer.hidden || !drawer.classList.contains("drawer")) return false;
    if (drilling) {
      // Closed while still loading: its answer must not open the drawer again.
      drilling = false;
      cancelled = true;
    }
    drawer.removeAttribute("aria-busy");
    drawer.replaceChildren();
    drawer.hidden = true;
    if (opener && document.body.contains(opener)) opener.focus();
    return true;
  }

  function drawerOpen() {
    var drawer = panel();
    return drawer && !drawer.hidden && drawer.classList.contains("drawer") ? drawer : null;
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-drawer]")) {
      closeDrawer();
      return;
    }
    var clear = event.target.closest(".clear-filters");
    if (clear) {
      var form = clear.closest("form");
      if (form) form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    }
    openFilters().forEach(function (details) { if (!details.contains(event.target)) closeFilter(details, false); });
    var drawer = drawerOpen();
    // A click outside the drawer closes it, unless it opens another cell's statements.
    if (drawer && !drawer.contains(event.target) && !event.target.closest("[hx-get]")) closeDrawer();
  });

  function focusables(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll("a[href], button:not([disabled]), input, select, textarea, [tabindex]:not([tabindex='-1'])"),
      function (el) { return el.offsetParent !== null; }
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var details = event.target.closest && event.target.closest("details.filter[open]");
      if (details) {
        closeFilter(details, true);
        return;
      }
      if (closeDrawer()) return;
      openFilters().forEach(function (open) { closeFilter(open, false); });
      return;
    }
    var drawer = drawerOpen();
    if (event.key !== "Tab" || !drawer) return;
    // The drawer covers the page (all of it on a phone): Tab cycles inside it until it closes.
    var items = focusables(drawer);
    if (!items.length) return;
    var first = items[0];
    var last = items[items.length - 1];
    var inside = drawer.contains(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || document.activeElement === drawer || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });

  // Sticky matrix headers ---------------------------------------------------------------------

  function measureHeads() {
    // The topic headings (second header row) stick just below the first row, whatever its height.
    document.querySelectorAll("table.matrix").forEach(function (table) {
      var first = table.tHead && table.tHead.rows[0];
      if (first) table.style.setProperty("--head-row-1", first.getBoundingClientRect().height + "px");
    });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(measureHeads, 100);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", measureHeads);
  else measureHeads();
})();
