// Framing matrix, side-by-side reader and outlets overview: the little behaviour htmx does not give.
// - keeps the matrix filter form in step with the address bar (after a swap, back/forward, clear);
// - opens a cell's statements in a drawer, focuses it, closes it with its button or Escape;
// - shows the 400 page when a filter is invalid (htmx does not swap error responses).
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

  var opener = null;
  var drilling = false;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    drilling = Boolean(target && target.id === "statements-panel");
    if (drilling) opener = event.detail.elt;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!drilling) return;
    drilling = false;
    var panel = document.getElementById("statements-panel");
    if (panel && !panel.hidden) panel.focus();
  });

  function closeDrawer() {
    var panel = document.getElementById("statements-panel");
    if (!panel || panel.hidden) return;
    panel.replaceChildren();
    panel.hidden = true;
    if (opener && document.body.contains(opener)) opener.focus();
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-drawer]")) closeDrawer();
    var clear = event.target.closest(".clear-filters");
    if (clear) {
      var form = clear.closest("form");
      if (form) form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.closest && event.target.closest("#statements-panel")) closeDrawer();
  });

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 400 && xhr.responseURL) window.location.assign(xhr.responseURL);
  });
})();
