/* Draws every chart whose figure the page carries as JSON (Django's json_script). No inline
 * script and no eval: the CSP forbids both. Charts that htmx swaps in are drawn too; charts
 * swapped out are purged.
 *
 * The figure JSON is made for a wide screen. In a narrow container (a phone) the figure is
 * adapted here, at draw time, without changing its numbers: the legend goes below the plot,
 * titles, axis titles, long category labels and notes are wrapped, margins shrink, and a
 * heatmap drops its colour bar (every cell writes its number) and, when its columns would be
 * too narrow to read, shows one column (outlet) at a time with a picker above it. */
(function () {
  "use strict";

  var NARROW = 600; // px of the chart's container, below which the figure is adapted
  var HEATMAP_COLUMN = 84; // px a heatmap column needs for its "6 · 27.3%" label
  var HEATMAP_LABELS = 118; // px taken by wrapped row labels on the left of a narrow heatmap

  function config(el) {
    return {
      responsive: true,
      displaylogo: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d"],
      toImageButtonOptions: { format: "png", scale: 2, filename: el.dataset.filename || "framescope-chart" }
    };
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  // Text -------------------------------------------------------------------------------------

  /* Break Plotly text (which may hold <br> and simple tags) into lines of at most `chars`
   * visible characters, at spaces; a word longer than a line stays whole. */
  function wrap(text, chars) {
    if (typeof text !== "string" || chars < 4) return text;
    return text.split(/<br\s*\/?>/i).map(function (line) {
      var out = [];
      var current = "";
      // Spaces inside a tag (<span style=...>) are not places to break, nor are those inside a
      // styled span (an event's date after its name): it moves to the next line whole.
      var words = line.replace(/<span[^>]*>[^<]*<\/span>|<[^>]*>/g, function (tag) { return tag.replace(/ /g, "\u0000"); }).split(" ");
      words.map(function (word) { return word.replace(/\u0000/g, " "); }).forEach(function (word) {
        var candidate = current ? current + " " + word : word;
        if (current && visibleLength(candidate) > chars) {
          out.push(current);
          current = word;
        } else {
          current = candidate;
        }
      });
      if (current) out.push(current);
      return out.join("<br>");
    }).join("<br>");
  }

  function visibleLength(text) {
    return text.replace(/<[^>]*>/g, "").replace(/&[#a-z0-9]+;/gi, "x").length;
  }

  function lineCount(text) {
    return typeof text === "string" ? text.split(/<br\s*\/?>/i).length : 0;
  }

  function charsFor(width, fontSize) {
    return Math.max(8, Math.floor(width / (fontSize * 0.56)));
  }

  function titleText(title) {
    return title && typeof title === "object" ? title : { text: title || "" };
  }

  // Narrow layouts ---------------------------------------------------------------------------

  function labelsOf(data, letter) {
    var labels = [];
    data.forEach(function (trace) {
      if (trace.type !== "bar") return;
      (trace[letter] || []).forEach(function (label) {
        if (typeof label === "string" && labels.indexOf(label) === -1) labels.push(label);
      });
    });
    return labels;
  }

  /* Category names down the side of dot plots (scatter traces), in the axis's own order. */
  function sideCategories(data, axis) {
    if (Array.isArray(axis.categoryarray) && axis.categoryarray.length) return axis.categoryarray.slice();
    var labels = labelsOf(data, "y");
    data.forEach(function (trace) {
      if (trace.type !== "scatter") return;
      (trace.y || []).forEach(function (label) {
        if (typeof label === "string" && labels.indexOf(label) === -1) labels.push(label);
      });
    });
    return labels;
  }

  function maxLines(texts) {
    return (texts || []).reduce(function (most, text) { return Math.max(most, lineCount(String(text))); }, 1);
  }

  /* Vertical bars (one column per category) do not fit a phone: draw them horizontally,
   * categories down the side, in the same order. */
  function barsAcross(data, layout) {
    var bars = data.filter(function (trace) { return trace.type === "bar"; });
    if (!bars.length || bars.length !== data.length || bars.some(function (t) { return t.orientation === "h"; })) return 0;
    bars.forEach(function (trace) {
      var x = trace.x;
      trace.x = trace.y;
      trace.y = x;
      trace.orientation = "h";
    });
    var xaxis = layout.xaxis || {};
    layout.xaxis = layout.yaxis || {};
    layout.yaxis = xaxis;
    layout.yaxis.autorange = "reversed";
    return labelsOf(data, "y").length * (bars.length * 20 + 14) + 20;
  }

  /* Axis titles and labels for a narrow figure; returns the plot height that wrapped category
   * names down the side need (0 when there are none). */
  function adaptAxes(data, layout, width) {
    var needed = 0;
    ["x", "y"].forEach(function (letter) {
      var axis = layout[letter + "axis"];
      if (!axis) return;
      if (axis.title) {
        var title = titleText(axis.title);
        // An x title is centred on the plot, which is narrower than the figure.
        title.text = wrap(title.text, charsFor(letter === "x" ? width * 0.5 : width, 12));
        title.font = Object.assign({}, title.font, { size: 12 });
        // A standoff makes Plotly place the title beyond the widest label, not in their band.
        if (title.standoff === undefined) title.standoff = 8;
        axis.title = title;
      }
      axis.automargin = true;
      axis.tickfont = Object.assign({}, axis.tickfont, { size: 11 });
      var categories = letter === "y" ? sideCategories(data, axis) : labelsOf(data, letter);
      var isCategoryAxis = axis.type === "category" || (categories.length && !Array.isArray(axis.tickvals));
      if (categories.length && isCategoryAxis && letter === "y") {
        // Topic, frame and source-type names down the side, wrapped onto short lines.
        axis.tickmode = "array";
        axis.tickvals = categories;
        axis.ticktext = categories.map(function (label) { return wrap(label, 16); });
        var bars = data.filter(function (trace) { return trace.type === "bar"; }).length;
        needed = categories.length * Math.max(bars ? bars * 20 + 14 : 28, maxLines(axis.ticktext) * 13 + 12);
      } else if (Array.isArray(axis.ticktext) && !heatmapOf(data)) {
        // Worded ticks ("−2 very negative"): along the bottom only their numbers fit side by
        // side (the axis title says what the ends mean); down the side they stack their words.
        axis.ticktext = axis.ticktext.map(function (text) {
          return letter === "x" ? String(text).split(" ")[0] : wrap(String(text), 16);
        });
        axis.tickangle = 0;
      }
    });
    valueRoom(data, layout);
    return needed;
  }

  /* Room at the end of horizontal bars for the numbers written outside them. */
  function valueRoom(data, layout) {
    var axis = layout.xaxis;
    if (!axis || axis.range) return;
    var values = [];
    data.forEach(function (trace) {
      if (trace.type === "bar" && trace.orientation === "h" && trace.textposition === "outside") {
        (trace.x || []).forEach(function (v) { if (typeof v === "number") values.push(v); });
      }
    });
    if (!values.length) return;
    var most = Math.max.apply(null, values.concat([0]));
    var least = Math.min.apply(null, values.concat([0]));
    axis.range = [least < 0 ? least * 1.3 : 0, most > 0 ? most * 1.3 : 1];
  }

  function adaptTitle(layout, width, topAxis) {
    var title = titleText(layout.title);
    if (!title.text) return;
    title.text = wrap(title.text, charsFor(width - 16, 15));
    title.font = Object.assign({}, title.font, { size: 15 });
    var lines = lineCount(title.text) * 20;
    if (title.subtitle && title.subtitle.text) {
      title.subtitle = Object.assign({}, title.subtitle, {
        text: wrap(title.subtitle.text, charsFor(width - 16, 12)),
        font: Object.assign({}, title.subtitle.font, { size: 12 })
      });
      lines += lineCount(title.subtitle.text) * 16 + 6;
    }
    // Placed from the top of the figure, with the top margin made to fit it (and an axis drawn
    // on top of the plot, as the heatmap's is): Plotly's own title margin ignores that axis.
    title.xref = "container";
    title.x = 0;
    title.xanchor = "left";
    title.pad = { l: 4 };
    title.yref = "container";
    title.yanchor = "top";
    title.automargin = false; // its y is set once the figure's height is known (adapt)
    layout.title = title;
    layout.margin = Object.assign({}, layout.margin, { t: 28 + lines + topAxis });
  }

  /* Notes anchored below the plot (the sources chart's "Experts quoted") leave the figure and
   * are written under it as text, where they wrap like any paragraph. */
  function takeNotes(layout) {
    var notes = [];
    layout.annotations = (layout.annotations || []).filter(function (note) {
      var below = note.xref === "paper" && note.yref === "paper" && note.y < 0 && typeof note.text === "string";
      if (below) notes.push(note.text);
      return !below;
    });
    if (notes.length) layout.margin = Object.assign({}, layout.margin, { b: 48 });
    return notes;
  }

  function adaptLegend(layout, width) {
    if (layout.showlegend === false) return;
    layout.legend = Object.assign({}, layout.legend, {
      orientation: "h",
      xref: "container",
      yref: "container",
      x: 6 / width,
      xanchor: "left",
      y: 0,
      yanchor: "bottom",
      font: Object.assign({}, (layout.legend || {}).font, { size: 12 })
    });
  }

  function heatmapOf(data) {
    for (var i = 0; i < data.length; i++) if (data[i].type === "heatmap") return data[i];
    return null;
  }

  function heatmapFits(trace, width) {
    var columns = (trace.x || (trace.z && trace.z[0]) || []).length;
    return columns * HEATMAP_COLUMN <= width - HEATMAP_LABELS;
  }

  /* Keep only column `column` of the heatmap, with its axis label, notes and outlines. */
  function oneColumn(data, layout, column) {
    var trace = heatmapOf(data);
    var xs = trace.x || trace.z[0].map(function (_, i) { return i; });
    var x = xs[column];
    ["z", "text", "hovertext", "customdata"].forEach(function (key) {
      if (Array.isArray(trace[key])) trace[key] = trace[key].map(function (row) { return Array.isArray(row) ? [row[column]] : row; });
    });
    trace.x = [x];
    var axis = layout.xaxis || {};
    if (Array.isArray(axis.tickvals)) {
      var at = axis.tickvals.indexOf(x);
      axis.tickvals = at === -1 ? [] : [x];
      axis.ticktext = at === -1 || !axis.ticktext ? [] : [axis.ticktext[at]];
    }
    function here(item) {
      if (item.xref !== "x") return true;
      var centre = item.x !== undefined ? item.x : (item.x0 + item.x1) / 2;
      return centre === x || Math.round(centre) === x;
    }
    layout.annotations = (layout.annotations || []).filter(here);
    layout.shapes = (layout.shapes || []).filter(here);
  }

  /* A heatmap on a phone: no colour bar (every cell writes its number), names wrapped, rows
   * as tall as their wrapped names, and one column at a time when they would not fit. */
  function adaptHeatmap(data, layout, column) {
    var trace = heatmapOf(data);
    if (!trace) return null;
    trace.showscale = false;
    trace.textfont = Object.assign({}, trace.textfont, { size: 11 });
    if (column !== null) oneColumn(data, layout, column);
    var xaxis = layout.xaxis || {};
    var yaxis = layout.yaxis || {};
    if (Array.isArray(yaxis.ticktext)) yaxis.ticktext = yaxis.ticktext.map(function (t) { return wrap(String(t), 18); });
    if (Array.isArray(xaxis.ticktext)) xaxis.ticktext = xaxis.ticktext.map(function (t) { return wrap(String(t), 14); });
    xaxis.title = { text: "" }; // the column names say what they are
    var rows = (trace.y || trace.z || []).length;
    return {
      plot: rows * Math.max(30, maxLines(yaxis.ticktext) * 14 + 8),
      topAxis: xaxis.side === "top" ? maxLines(xaxis.ticktext) * 15 + 14 : 0
    };
  }

  /* The figure to draw in a container `width` px wide; `column` picks a heatmap column. */
  function adapt(figure, width, column) {
    var data = copy(figure.data || []);
    var layout = copy(figure.layout || {});
    delete layout.width;
    layout.autosize = true;
    if (width >= NARROW) return { data: data, layout: layout, notes: [] };
    var margin = layout.margin || {};
    // The height of the plot area itself in the wide figure; narrow figures keep it unless
    // their shape changes (bars turned sideways, heatmap rows as tall as their names).
    var plot = Math.max(200, (layout.height || 450) - (margin.t || 80) - (margin.b || 80));
    layout.margin = Object.assign({}, margin, { l: 8, r: 12, b: 48 });
    layout.font = Object.assign({}, layout.font, { size: 12 });
    plot = barsAcross(data, layout) || plot;
    plot = Math.max(plot, adaptAxes(data, layout, width));
    var notes = takeNotes(layout);
    adaptLegend(layout, width);
    var heatmap = adaptHeatmap(data, layout, column);
    if (heatmap) plot = heatmap.plot;
    adaptTitle(layout, width, heatmap ? heatmap.topAxis : 0);
    var legend = layout.showlegend === true || (layout.showlegend !== false && data.length > 1) ? 40 : 0;
    layout.height = plot + layout.margin.t + layout.margin.b + legend + 8;
    if (layout.title && layout.title.yref === "container") layout.title.y = 1 - 16 / layout.height;
    return { data: data, layout: layout, notes: notes };
  }

  /* Notes taken out of a narrow figure, written under it (Plotly markup reduced to text,
   * bold and line breaks, through an inert document: no HTML from the figure is inserted). */
  function showNotes(el, notes) {
    var box = el.parentElement.querySelector(".chart-notes");
    if (box) box.remove();
    if (!notes.length) return;
    box = document.createElement("div");
    box.className = "chart-notes";
    notes.forEach(function (note) {
      var p = document.createElement("p");
      var body = new DOMParser().parseFromString(note, "text/html").body;
      body.childNodes.forEach(function (node) {
        if (node.nodeName === "BR") p.append(document.createElement("br"));
        else if (node.nodeName === "B" || node.nodeName === "STRONG") {
          var strong = document.createElement("strong");
          strong.textContent = node.textContent;
          p.append(strong);
        } else p.append(node.textContent);
      });
      box.append(p);
    });
    el.insertAdjacentElement("afterend", box);
  }

  // One column at a time ---------------------------------------------------------------------

  function columnNames(figure) {
    var trace = heatmapOf(figure.data || []);
    var axis = (figure.layout || {}).xaxis || {};
    var xs = trace.x || trace.z[0].map(function (_, i) { return i; });
    return xs.map(function (x, i) {
      var at = Array.isArray(axis.tickvals) ? axis.tickvals.indexOf(x) : -1;
      var label = at !== -1 && axis.ticktext ? axis.ticktext[at] : String(x);
      // Plotly label markup (names escaped by the server), read back as text in an inert document.
      var text = new DOMParser().parseFromString(String(label), "text/html").body.textContent;
      return (text || String(i + 1)).replace(/^\s*■\s*/, "");
    });
  }

  function picker(el, figure, state) {
    var existing = el.parentElement.querySelector(".chart-column-picker");
    var trace = heatmapOf(figure.data || []);
    var needed = state.width < NARROW && trace && !heatmapFits(trace, state.width);
    if (!needed) {
      if (existing) existing.remove();
      state.column = null;
      return;
    }
    if (state.column === null) state.column = 0;
    if (existing) return;
    var names = columnNames(figure);
    var label = document.createElement("label");
    label.className = "chart-column-picker";
    label.append("Outlet shown ");
    var select = document.createElement("select");
    names.forEach(function (name, i) {
      var option = document.createElement("option");
      option.value = String(i);
      option.textContent = name;
      select.append(option);
    });
    select.value = String(state.column);
    select.addEventListener("change", function () {
      state.column = Number(select.value);
      render(el);
    });
    label.append(select);
    var hint = document.createElement("span");
    hint.className = "muted";
    hint.textContent = " one at a time on a narrow screen; the data table below has them all";
    label.append(hint);
    el.parentElement.insertBefore(label, el);
  }

  // Drawing ----------------------------------------------------------------------------------

  var states = new WeakMap();

  function render(el) {
    var state = states.get(el);
    state.width = el.clientWidth || el.parentElement.clientWidth || window.innerWidth;
    picker(el, state.figure, state);
    var narrow = state.width < NARROW;
    var figure = adapt(state.figure, state.width, narrow ? state.column : null);
    showNotes(el, figure.notes);
    if (state.drawn) window.Plotly.react(el, figure.data, figure.layout, config(el));
    else window.Plotly.newPlot(el, figure.data, figure.layout, config(el));
    state.drawn = true;
  }

  /* Each chart is drawn in a task of its own, those nearest the top of the screen first: a
   * chart of many outlets takes Plotly half a second or more, and drawing them all in one go
   * would keep the page from answering (the matrix above them included) until the last one. */
  var pending = [];
  var drainTimer = null;

  function drainOne() {
    drainTimer = null;
    var el = pending.shift();
    if (el && document.contains(el) && !states.get(el).drawn) render(el);
    if (pending.length) drainTimer = window.setTimeout(drainOne, 0);
  }

  function draw(root) {
    if (!window.Plotly || !root.querySelectorAll) return;
    root.querySelectorAll("[data-figure]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var source = document.getElementById(el.dataset.figure);
      if (!source) return;
      el.dataset.drawn = "true";
      states.set(el, { figure: JSON.parse(source.textContent), column: null, width: 0, drawn: false });
      pending.push(el);
    });
    pending.sort(function (a, b) {
      return Math.abs(a.getBoundingClientRect().top) - Math.abs(b.getBoundingClientRect().top);
    });
    if (pending.length && drainTimer === null) drainTimer = window.setTimeout(drainOne, 0);
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      document.querySelectorAll("[data-figure][data-drawn]").forEach(function (el) {
        var state = states.get(el);
        if (!state) return;
        var width = el.clientWidth;
        // Redraw when crossing the breakpoint, or when a narrow figure's wrapping would change.
        if ((width < NARROW) !== (state.width < NARROW) || (width < NARROW && Math.abs(width - state.width) > 24)) {
          render(el);
        }
      });
    }, 150);
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
