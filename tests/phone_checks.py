"""Measurements of a rendered page at phone width (issue 18, item 3): chart text boxes and wide tables.

Each check runs in the page (Playwright ``page.evaluate``) and returns a list of problems as text, so that a
test can name the page, chart and label at fault.
"""

from __future__ import annotations

# NOTE: excluded from the overlap check: axis tick labels (role-axis-label). Vega itself hides tick labels that
# would overlap (labelOverlap, on by default for continuous axes) by setting their opacity to 0, and a band axis
# with one label per bar never overlaps at the step we set. Every other text (titles, axis titles, legend labels,
# text marks such as milestone, point and line-end labels) is measured; hidden text (opacity 0, empty) is skipped.
CHART_TEXT_JS = r"""() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const visible = (el) => {
    if (!el.textContent.trim()) return false;
    for (let n = el; n && n.nodeName !== "svg"; n = n.parentNode) {
      const cs = getComputedStyle(n);
      if (cs.display === "none" || cs.visibility === "hidden") return false;
      if (n.getAttribute && ["opacity", "fill-opacity"].some((a) => n.getAttribute(a) !== null && parseFloat(n.getAttribute(a)) === 0)) return false;
      if (parseFloat(cs.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const roleOf = (el) => {
    for (let n = el.parentNode; n && n.nodeName !== "svg"; n = n.parentNode) {
      const cls = (n.getAttribute && n.getAttribute("class")) || "";
      const m = cls.match(/role-([a-z-]+)/);
      if (m) return m[1];
    }
    return "";
  };
  document.querySelectorAll(".vega-chart").forEach((chart) => {
    const svg = chart.querySelector("svg");
    if (!svg) { problems.push(`${chart.id}: no SVG drawn`); return; }
    const box = svg.getBoundingClientRect();
    const texts = Array.from(svg.querySelectorAll("text")).filter(visible).map((el) => {
      const r = el.getBoundingClientRect();
      return { el, role: roleOf(el), text: el.textContent.trim(), l: r.left, r: r.right, t: r.top, b: r.bottom };
    });
    const tol = 0.5;
    for (const x of texts) {
      if (x.role.startsWith("title")) {
        if (x.l < box.left - tol || x.r > box.right + tol) problems.push(`${chart.id}: title text "${x.text}" runs past the chart (${x.l.toFixed(0)}-${x.r.toFixed(0)} of ${box.left.toFixed(0)}-${box.right.toFixed(0)})`);
        if (x.l < -tol || x.r > vw + tol) problems.push(`${chart.id}: title text "${x.text}" runs past the screen (${x.r.toFixed(0)} > ${vw})`);
      } else if (x.l < -tol || x.r > vw + tol) {
        problems.push(`${chart.id}: ${x.role} text "${x.text}" runs past the screen (${x.l.toFixed(0)}-${x.r.toFixed(0)} of 0-${vw})`);
      }
    }
    const measured = texts.filter((x) => x.role !== "axis-label");
    for (let i = 0; i < measured.length; i++) {
      for (let j = i + 1; j < measured.length; j++) {
        const a = measured[i], b = measured[j];
        const w = Math.min(a.r, b.r) - Math.max(a.l, b.l), h = Math.min(a.b, b.b) - Math.max(a.t, b.t);
        if (w > 1 && h > 1) problems.push(`${chart.id}: "${a.text}" (${a.role}) overlaps "${b.text}" (${b.role}) by ${w.toFixed(0)}x${h.toFixed(0)} px`);
      }
    }
  });
  return problems;
}"""

# A table wider than its box must keep its first (key) column in view when scrolled sideways, and show a cue
# that it scrolls: a shadow at the scrolling edge (background gradient attached to the scrolling content).
WIDE_TABLE_JS = r"""() => {
  const problems = [];
  const boxes = Array.from(document.querySelectorAll("main table")).map((t) => {
    for (let n = t.parentElement; n; n = n.parentElement) {
      const ox = getComputedStyle(n).overflowX;
      if (ox === "auto" || ox === "scroll") return { t, box: n };
    }
    return { t, box: null };
  });
  boxes.forEach(({ t, box }, i) => {
    const name = (t.querySelector("caption") || t.querySelector("th") || t).textContent.trim().slice(0, 40);
    const vw = document.documentElement.clientWidth;
    if (!box) {
      if (t.getBoundingClientRect().right > vw + 0.5) problems.push(`table ${i} "${name}": wider than the screen and does not scroll`);
      return;
    }
    if (box.scrollWidth <= box.clientWidth + 1) return;
    const first = t.querySelector("tbody tr td:first-child, tbody tr th:first-child");
    if (!first) return;
    if (getComputedStyle(first).position !== "sticky") problems.push(`table ${i} "${name}": key column is not pinned`);
    const before = first.getBoundingClientRect().left;
    box.scrollLeft = box.scrollWidth;
    const after = first.getBoundingClientRect().left;
    const boxLeft = box.getBoundingClientRect().left;
    box.scrollLeft = 0;
    if (Math.abs(after - before) > 1 || after < boxLeft - 1) problems.push(`table ${i} "${name}": key column scrolls out of view (${before.toFixed(0)} -> ${after.toFixed(0)})`);
    const cs = getComputedStyle(box);
    const cue = (cs.backgroundImage && cs.backgroundImage !== "none") || (cs.boxShadow && cs.boxShadow !== "none");
    if (!cue) problems.push(`table ${i} "${name}": scrolls sideways with no visible cue`);
  });
  return problems;
}"""


def phone_problems(page) -> list[str]:
    """Every chart-text and wide-table problem of the page open in ``page``."""
    return page.evaluate(CHART_TEXT_JS) + page.evaluate(WIDE_TABLE_JS)
