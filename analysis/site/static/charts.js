/* talentgap.site: embed a Vega-Lite chart so that it takes the width of its container.
   Single and layered views use Vega-Lite's own width "container". Concatenated views cannot, so each
   view whose width is "container" is given a number: the container's width less what the axes and
   padding take, measured after a first draw and corrected once. Redrawn when the width changes. */
(function () {
  "use strict";
  function sized(spec, width) {
    var copy = JSON.parse(JSON.stringify(spec));
    ["vconcat", "concat", "hconcat"].forEach(function (key) {
      (copy[key] || []).forEach(function (view) { if (view.width === "container") view.width = width; });
    });
    return copy;
  }
  function isConcat(spec) {
    return ["vconcat", "concat", "hconcat"].some(function (k) { return Array.isArray(spec[k]); });
  }
  window.tgEmbed = function (id, spec, options) {
    var el = document.getElementById(id);
    if (!el) return Promise.resolve();
    var view = null, drawnFor = -1, chain = Promise.resolve();
    function draw() {
      var avail = el.clientWidth;
      if (avail === drawnFor) return chain;
      drawnFor = avail;
      if (!isConcat(spec)) {
        chain = chain.then(function () { return view ? null : vegaEmbed(el, spec, options).then(function (r) { view = r.view; }); });
        return chain;
      }
      chain = chain.then(function () {
        var guess = Math.max(120, avail - 90);
        function once(width) {
          if (view) view.finalize();
          return vegaEmbed(el, sized(spec, width), options).then(function (r) { view = r.view; return r; });
        }
        return once(guess).then(function () {
          var svg = el.querySelector("svg");
          var drawn = svg ? svg.getBoundingClientRect().width : avail;
          var corrected = Math.max(120, Math.floor(guess + (avail - drawn)));
          return corrected !== guess ? once(corrected) : null;
        });
      });
      return chain;
    }
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { if (isConcat(spec)) draw(); }, 150);
    });
    return draw().catch(function (err) { console.error(err); });
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
  function csvOf(spec) {
    var data = spec && spec.data;
    if (!data) return null;
    if (typeof data.values === "string") return data.values;
    return spec.datasets && typeof spec.datasets[data.name] === "string" ? spec.datasets[data.name] : null;
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
/* ==== explore controls and phone layout (issue 18, items 2 and 3) ====
   Keeps each chart's Vega view in window.tgViews[container id], so that a test (or a reader's console) can read
   a chart's parameters and drawn data; the explore controls themselves are Vega-Lite parameters in the spec. */
(function () {
  "use strict";
  if (typeof window.vegaEmbed !== "function" || window.vegaEmbed.tgWrapped) return;
  var embed = window.vegaEmbed;
  window.tgViews = window.tgViews || {};
  var wrapped = function (el, spec, options) {
    return embed(el, spec, options).then(function (result) {
      var node = typeof el === "string" ? document.querySelector(el) : el;
      if (node && node.id) window.tgViews[node.id] = result.view;
      return result;
    });
  };
  Object.keys(embed).forEach(function (k) { wrapped[k] = embed[k]; });
  wrapped.tgWrapped = true;
  window.vegaEmbed = wrapped;
})();
