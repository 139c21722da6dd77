// Side-by-side reader: statements of the two outlets that report the same claim light up together.
// A statement with `data-linked` (ids of the other outlet's statements of its claim, from
// coverage/claim_reads.py) lights up its matches while it is hovered or focused; Enter, Space
// or a click selects it, which keeps the matches lit, scrolls the first into view and tells
// screen readers what the other outlet reports (a polite live region, #claim-status). Escape or selecting it again clears.
// Works with whatever the compare panel holds after an htmx swap (events are delegated).
(function () {
  "use strict";

  var LIT = "is-match", SOURCE = "is-match-source", SELECTED = "is-selected";

  function markOf(target) {
    return target && target.closest ? target.closest("mark.statement[data-linked]") : null;
  }

  function matchesOf(mark) {
    var panel = mark.closest("#compare-panel") || document;
    var found = [];
    mark.getAttribute("data-linked").split(" ").forEach(function (id) {
      if (!id) return;
      panel.querySelectorAll('mark.statement[data-statement="' + id + '"]').forEach(function (m) { found.push(m); });
    });
    return found;
  }

  function partsOf(mark) {
    // A statement cut by an overlapping one is several marks with the same id.
    var panel = mark.closest("#compare-panel") || document;
    return Array.prototype.slice.call(
      panel.querySelectorAll('mark.statement[data-statement="' + mark.getAttribute("data-statement") + '"]')
    );
  }

  function clear(className) {
    document.querySelectorAll("mark." + className).forEach(function (m) { m.classList.remove(className); });
  }

  function light(mark) {
    clear(LIT);
    clear(SOURCE);
    if (!mark) return;
    partsOf(mark).forEach(function (m) { m.classList.add(SOURCE); });
    matchesOf(mark).forEach(function (m) { m.classList.add(LIT); });
  }

  function selected() {
    return document.querySelector("mark." + SELECTED);
  }

  function textOf(mark) {
    var copy = mark.cloneNode(true);
    copy.querySelectorAll(".tip").forEach(function (tip) { tip.remove(); });
    return copy.textContent.trim();
  }

  function say(message) {
    var status = document.getElementById("claim-status");
    if (status) status.textContent = message;
  }

  function select(mark) {
    var current = selected();
    clear(SELECTED);
    if (!mark || (current && current.getAttribute("data-statement") === mark.getAttribute("data-statement"))) {
      light(null);
      say("");
      return;
    }
    partsOf(mark).forEach(function (m) { m.classList.add(SELECTED); });
    light(mark);
    var matches = matchesOf(mark);
    if (!matches.length) {
      say("The other outlet reports this claim in another of its articles.");
      return;
    }
    matches[0].scrollIntoView({ block: "nearest", behavior: "smooth" });
    var column = matches[0].closest(".compare-column");
    var name = (column && column.getAttribute("data-outlet")) || "The other outlet";
    say(name + " reports the same claim: " + matches.map(textOf).join(" … "));
  }

  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event.target);
    if (mark) light(mark);
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markOf(event.target);
    if (mark && !mark.contains(event.relatedTarget)) light(selected());
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) light(mark);
  });
  document.addEventListener("focusout", function (event) {
    if (markOf(event.target)) light(selected());
  });
  document.addEventListener("click", function (event) {
    var mark = markOf(event.target);
    if (mark) select(mark);
  });
  document.addEventListener("keydown", function (event) {
    var mark = markOf(event.target);
    if (event.key === "Escape" && selected()) {
      select(null);
      return;
    }
    if (mark && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(mark);
    }
  });
})();
