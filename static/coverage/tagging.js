"use strict";
// Tagging in admin: a selection in the article's text fills the new statement's start, end
// and text. Offsets are character (code point) offsets into the exact body string, which
// the page carries as JSON; every run of text sits in a .seg element with its data-offset.
function setUpTagging() {
  const panel = document.getElementById("tagging");
  const form = document.getElementById("tag-form");
  if (!panel || !form) return;

  const textEl = panel.querySelector("[data-tag-body]");
  const body = Array.from(JSON.parse(document.getElementById("tag-body-text").textContent));
  const segs = Array.from(textEl.querySelectorAll(".seg"));
  const startInput = form.querySelector("[name=start]");
  const endInput = form.querySelector("[name=end]");
  const textInput = form.querySelector("[name=text]");
  const preview = form.querySelector("[data-tag-preview]");
  const saveButton = form.querySelector("[data-tag-save]");
  const OPENERS = "“\"‘'«";
  const CLOSERS = "”\"’'»";

  function codePoints(s) { return Array.from(s).length; }

  // The body offset of a DOM boundary point (node, offset) inside the text.
  function offsetAt(node, offset) {
    if (node.nodeType === Node.TEXT_NODE && node.parentElement && node.parentElement.classList.contains("seg")) {
      return Number(node.parentElement.dataset.offset) + codePoints(node.data.slice(0, offset));
    }
    // An element boundary, or a point inside a tooltip: the first run that starts at or after it.
    const point = document.createRange();
    point.setStart(node, offset);
    for (const seg of segs) {
      if (point.comparePoint(seg, 0) >= 0) return Number(seg.dataset.offset);
    }
    return body.length;
  }

  function isQuoted(start, end) {
    let after = end;
    while (after < body.length && ",.;:!?".includes(body[after])) after++;
    return start > 0 && OPENERS.includes(body[start - 1]) && after < body.length && CLOSERS.includes(body[after]);
  }

  function show(start, end, fromSelection) {
    const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= body.length;
    textInput.value = valid ? body.slice(start, end).join("") : "";
    saveButton.disabled = !valid;
    if (!valid) {
      preview.textContent = "Select text on the left, or type the start and end.";
      preview.classList.remove("has-selection");
      return;
    }
    preview.textContent = "“" + textInput.value + "” (" + start + "–" + end + ", " + (end - start) + " characters)";
    preview.classList.add("has-selection");
    if (fromSelection) {
      startInput.value = start;
      endInput.value = end;
      if (isQuoted(start, end)) {
        const quote = form.querySelector("[name=kind][value=quote]");
        if (quote) quote.checked = true;
      }
    }
  }

  function fromSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!textEl.contains(range.commonAncestorContainer)) return;
    let start = offsetAt(range.startContainer, range.startOffset);
    let end = offsetAt(range.endContainer, range.endOffset);
    // Spaces and quotation marks at the edges are not part of what was said.
    while (start < end && /\s/.test(body[start])) start++;
    while (end > start && /\s/.test(body[end - 1])) end--;
    if (end - start > 1 && OPENERS.includes(body[start])) start++;
    if (end - start > 1 && CLOSERS.includes(body[end - 1])) end--;
    if (end <= start) return;
    show(start, end, true);
    panel.dispatchEvent(new CustomEvent("tagging:selected", { detail: { start, end } }));
  }

  function fromInputs() {
    show(parseInt(startInput.value, 10), parseInt(endInput.value, 10), false);
  }

  textEl.addEventListener("mouseup", fromSelection);
  textEl.addEventListener("keyup", (event) => { if (event.shiftKey) fromSelection(); });
  startInput.addEventListener("input", fromInputs);
  endInput.addEventListener("input", fromInputs);
  form.querySelector("[data-tag-clear]").addEventListener("click", () => {
    startInput.value = "";
    endInput.value = "";
    show(NaN, NaN, false);
    window.getSelection().removeAllRanges();
  });
  fromInputs();
}

// Admin's autocomplete boxes (source, topic) name their combobox after the choice shown, which
// is empty on a new statement: add the field's label to the name, for screen readers. Runs as a
// jQuery ready handler registered after admin's autocomplete.js has registered the one that
// builds the boxes.
function nameAutocompletes() {
  document.querySelectorAll("#tag-form select.admin-autocomplete").forEach((select) => {
    const label = document.querySelector(`label[for="${select.id}"]`);
    const box = select.parentElement.querySelector(".select2-selection[role=combobox]");
    if (!label || !box) return;
    label.id = label.id || `${select.id}-label`;
    const shown = box.getAttribute("aria-labelledby") || "";
    if (!shown.split(" ").includes(label.id)) box.setAttribute("aria-labelledby", `${label.id} ${shown}`.trim());
    const rendered = box.querySelector("[role=textbox]");
    if (rendered) rendered.setAttribute("aria-labelledby", label.id);
  });
}
document.addEventListener("DOMContentLoaded", () => {
  if (window.django && window.django.jQuery) window.django.jQuery(nameAutocompletes);
});

// Admin puts form media in <head>: wait for the page.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", setUpTagging);
} else {
  setUpTagging();
}
