/* Behaviour every page shares (loaded by base.html; no inline script, the CSP forbids it):
 * - feedback while htmx loads: the region being replaced is aria-busy and dimmed, the
 *   element that asked is marked, and the loading bar (hx-indicator on <body>) shows;
 * - an htmx request that fails opens the error page itself (htmx does not swap errors),
 *   or says that the server could not be reached;
 * - forms with data-confirm ask before they are sent (revoking a share link);
 * - "Copy link" buttons copy the text of the field they name. */
(function () {
  "use strict";

  function say(text) {
    var status = document.getElementById("page-status");
    if (status) status.textContent = text;
  }

  function busy(event, on) {
    var detail = event.detail || {};
    var target = detail.target;
    var elt = detail.elt;
    if (target && target.isConnected) {
      if (on) target.setAttribute("aria-busy", "true");
      else target.removeAttribute("aria-busy");
    }
    if (elt && elt.classList && elt.isConnected) elt.classList.toggle("is-loading", on);
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    say("");
    busy(event, true);
  });
  document.addEventListener("htmx:afterRequest", function (event) { busy(event, false); });

  document.addEventListener("htmx:responseError", function (event) {
    // The page at that address is the filter's 400 (naming the bad value), a 403, 404 or 500
    // in the site's layout: open it rather than leave the old content as if nothing happened.
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL) window.location.assign(xhr.responseURL);
  });
  document.addEventListener("htmx:sendError", function () {
    say("Framescope could not be reached. Check the connection and try again.");
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });

  function copied(button, text) {
    var status = button.parentElement.querySelector(".copy-status");
    if (status) status.textContent = text;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".js-copy-link");
    if (!button) return;
    var field = document.getElementById(button.dataset.copyFrom);
    if (!field) return;
    function fallback() {
      // No clipboard API (plain http, or permission refused): select the link for Ctrl+C.
      field.focus();
      field.select();
      copied(button, "Press Ctrl+C (⌘C) to copy the selected link.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { copied(button, "Link copied."); }, fallback);
    } else {
      fallback();
    }
  });
})();
