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
