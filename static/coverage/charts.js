/* Draws every chart whose figure the page carries as JSON (Django's json_script), and
 * wires the "Copy link" buttons. No inline script and no eval: the CSP forbids both.
 * Charts that htmx swaps in are drawn too; charts swapped out are purged. */
(function () {
  "use strict";

  function config(el) {
    return {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", scale: 2, filename: el.dataset.filename || "framescope-chart" }
    };
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      var figure = JSON.parse(source.textContent);
      el.dataset.drawn = "true";
      window.Plotly.newPlot(el, figure.data, figure.layout, config(el));
    });
  }

  function say(button, text) {
    var status = button.parentElement.querySelector(".copy-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-copy-link");
    if (!button) return;
    var input = document.getElementById(button.dataset.copyFrom);
    if (!input) return;
    function fallback() {
      // No clipboard API (plain http, or permission refused): select the link for Ctrl+C.
      input.focus();
      input.select();
      say(button, "Press Ctrl+C (⌘C) to copy the selected link.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { say(button, "Link copied."); }, fallback);
    } else {
      fallback();
    }
  });

  document.addEventListener("htmx:load", function (event) { draw(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) {
    if (window.Plotly && event.target.classList && event.target.classList.contains("js-plotly-plot")) {
      window.Plotly.purge(event.target);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
