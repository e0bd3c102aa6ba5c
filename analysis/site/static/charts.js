/* talentgap.site: draw each chart with Vega alone. The page carries the chart's Vega spec, compiled from its
   Vega-Lite spec when the page was rendered (talentgap.site.vega), so neither Vega-Lite's compiler nor vega-embed
   is loaded. A vega.View draws it into its element as SVG and puts the inputs of its parameters under it;
   tooltips are this file's own. Each chart's view is kept in window.tgViews[container id], so that a test (or a
   reader's console) can read a chart's parameters and drawn data. */
(function () {
  "use strict";
  window.tgViews = window.tgViews || {};
  var tip = null;
  // Vega's tooltip hook: a field -> value table (or a plain text) in one box that follows the pointer.
  // Text is set with textContent only, so markup in a value (a company's name, say) stays text.
  function tooltip(handler, event, item, value) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "tg-tooltip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    if (value === null || value === undefined || value === "") { tip.hidden = true; return; }
    tip.textContent = "";
    if (typeof value === "object" && !Array.isArray(value)) {
      var table = document.createElement("table");
      Object.keys(value).forEach(function (key) {
        var tr = document.createElement("tr"), th = document.createElement("th"), td = document.createElement("td");
        th.textContent = key; td.textContent = String(value[key]);
        tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
      });
      tip.appendChild(table);
    } else tip.textContent = String(value);
    tip.hidden = false;
    var x = event.clientX + 12, y = event.clientY + 12, box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth) x = Math.max(0, event.clientX - 12 - box.width);
    if (y + box.height > window.innerHeight) y = Math.max(0, event.clientY - 12 - box.height);
    tip.style.left = (x + window.scrollX) + "px";
    tip.style.top = (y + window.scrollY) + "px";
  }
  // Draw a chart's Vega spec (compiled from Vega-Lite when the page was rendered) into its element. A spec whose
  // width is the container's follows it when the window is resized (Vega's own signal; nothing to do here).
  window.tgEmbed = function (id, spec, options) {
    var el = document.getElementById(id);
    if (!el) return Promise.resolve();
    return Promise.resolve().then(function () {
      var view = new vega.View(vega.parse(spec), {
        renderer: (options && options.renderer) || "svg", container: el, hover: true, tooltip: tooltip,
      });
      window.tgViews[id] = view;
      return view.runAsync();
    }).catch(function (err) { console.error(err); });
  };
})();

/* ---- chart toolbar (issue 18, item 1): table view and cite copy ----
   tgEmbed keeps each chart's spec on its element. A chart's <details class="chart-table" data-chart=ID>
   builds, when first opened, a table of exactly the CSV embedded in the spec (no fetch: works from file://).
   The "Copy" button of a cite line copies its text. */
(function () {
  "use strict";
  var embed = window.tgEmbed;
  window.tgEmbed = function (id, spec) {
    var el = document.getElementById(id);
    if (el) el.tgSpec = spec;
    return embed.apply(this, arguments);
  };
  // RFC 4180 rows: quoted fields may hold commas, doubled quotes and line breaks.
  function parseCsv(text) {
    var rows = [], row = [], field = "", quoted = false, i, c;
    for (i = 0; i < text.length; i++) {
      c = text[i];
      if (quoted) {
        if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
      } else if (c === '"') quoted = true;
      else if (c === ",") { row.push(field); field = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") i++;
        row.push(field); rows.push(row); row = []; field = "";
      } else field += c;
    }
    if (field !== "" || row.length) { row.push(field); rows.push(row); }
    return rows;
  }
  function chartAfter(anchor) {
    var charts = document.querySelectorAll(".vega-chart");
    for (var i = 0; i < charts.length; i++) {
      if (anchor.compareDocumentPosition(charts[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return charts[i];
    }
    return null;
  }
  // The chart's CSV: the Vega dataset that usermeta.tgTable names (set when the spec was compiled).
  function csvOf(spec) {
    var name = spec && spec.usermeta && spec.usermeta.tgTable;
    var found = (spec && spec.data || []).filter(function (d) { return d.name === name; })[0];
    return found && typeof found.values === "string" ? found.values : null;
  }
  function cell(tag, text, scope) {
    var c = document.createElement(tag);
    c.textContent = text;
    if (scope) c.setAttribute("scope", scope);
    return c;
  }
  function buildTable(details) {
    var id = details.getAttribute("data-chart"), anchor = document.getElementById(id);
    var chart = anchor && chartAfter(anchor), text = chart && csvOf(chart.tgSpec);
    var box = document.createElement("div");
    box.className = "tg-table chart-table-box";
    if (text === null || text === undefined) {
      box.textContent = "The table needs the chart's data; use the CSV link above.";
      details.appendChild(box);
      return;
    }
    var rows = parseCsv(text), head = rows.shift() || [], table = document.createElement("table");
    var t = chart.tgSpec.title, title = t && typeof t === "object" && !Array.isArray(t) ? t.text : t;
    title = Array.isArray(title) ? title.join(" ") : (title || id);
    var caption = cell("caption", title + ": the chart's data, " + rows.length + " rows, as in its CSV");
    var thead = document.createElement("thead"), tr = document.createElement("tr"), tbody = document.createElement("tbody");
    head.forEach(function (h) { tr.appendChild(cell("th", h, "col")); });
    thead.appendChild(tr);
    rows.forEach(function (r) {
      var line = document.createElement("tr");
      r.forEach(function (v) { line.appendChild(cell("td", v)); });
      tbody.appendChild(line);
    });
    table.appendChild(caption); table.appendChild(thead); table.appendChild(tbody);
    box.appendChild(table);
    details.appendChild(box);
  }
  function copy(button) {
    var code = button.parentNode.querySelector("code"), text = code ? code.textContent : "";
    function done(ok) { button.textContent = ok ? "Copied" : "Select and copy the text"; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
    } else {
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      sel.removeAllRanges(); sel.addRange(range);
      try { done(document.execCommand("copy")); } catch (e) { done(false); }
    }
  }
  function setUp() {
    Array.prototype.forEach.call(document.querySelectorAll("details.chart-table"), function (d) {
      d.addEventListener("toggle", function () { if (d.open && !d.tgBuilt) { d.tgBuilt = true; buildTable(d); } });
    });
    Array.prototype.forEach.call(document.querySelectorAll("button.cite-copy"), function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { copy(b); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp); else setUp();
})();
/* ---- end of chart toolbar ---- */
