"""What the UX audit measures on a loaded page: horizontal overflow, axe-core's serious and
critical violations, and cumulative layout shift. Each answers a list of findings that name the
offending element, so a failure says where to look.

axe-core comes from axe-playwright-python's bundled axe.min.js, evaluated in the page: the
app's CSP refuses injected <script> tags, not page.evaluate.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# Besides every serious and critical violation, two lesser ones the issue found and that must
# not come back: a table column without a name, a page without a title heading.
ALSO_REPORTED = ["empty-table-header", "page-has-heading-one"]
CLS_LIMIT = 0.1

# Elements sticking out past the right edge, outermost first; those inside a scrolling box
# (a .table-responsive) scroll there and do not widen the page.
OVERFLOW_JS = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += "#" + el.id;
    const classes = [...el.classList].slice(0, 3);
    if (classes.length) name += "." + classes.join(".");
    const text = (el.innerText || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return name + (text ? ' "' + text + '"' : "");
  };
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => {
    if (!el.checkVisibility()) return false;  // not drawn: inside a closed <details>, hidden
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  };
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!sticksOut(el) || clipped(el)) continue;
    if (el.parentElement !== document.body && sticksOut(el.parentElement)) continue;
    found.push(describe(el) + " ends at " + Math.round(el.getBoundingClientRect().right) + " px");
    if (found.length === 3) break;
  }
  if (!found.length) {
    // Something positioned escapes a scrolling box (its containing block lies outside it).
    for (const el of document.body.querySelectorAll("*")) {
      const position = getComputedStyle(el).position;
      if (!sticksOut(el) || (position !== "absolute" && position !== "fixed")) continue;
      found.push(describe(el) + " (positioned, escapes its scrolling box) ends at " +
        Math.round(el.getBoundingClientRect().right) + " px");
      if (found.length === 3) break;
    }
  }
  if (!found.length) {
    // Content wider than its own box: a ::before label or an unbreakable line overflows it.
    for (const el of document.body.querySelectorAll("*")) {
      if (!el.checkVisibility() || clipped(el) || el.scrollWidth <= el.clientWidth + 1) continue;
      if (getComputedStyle(el).overflowX !== "visible") continue;
      const box = el.getBoundingClientRect();
      if (box.left + el.scrollWidth <= width + 0.5) continue;
      found.push(describe(el) + " (its content overflows it) ends at " +
        Math.round(box.left + el.scrollWidth) + " px");
      if (found.length === 3) break;
    }
  }
  if (!found.length) {
    // Words that cannot wrap (a badge, a nowrap cell) run out of their box.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node && found.length < 3; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      const box = range.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5 && !clipped(node.parentElement)) {
        found.push(describe(node.parentElement) + " (its text runs out) ends at " +
          Math.round(box.right) + " px");
      }
    }
  }
  return [`page is ${root.scrollWidth} px wide in ${width} px`, ...found];
}"""

# Layout shifts since the page began loading (buffered), summed into session windows as the
# CLS metric does (gaps under 1 s, windows of at most 5 s), with the elements that moved most.
CLS_JS = """() => new Promise((resolve) => {
  const shifts = [];
  const observer = new PerformanceObserver((list) => shifts.push(...list.getEntries()));
  observer.observe({ type: "layout-shift", buffered: true });
  setTimeout(() => {
    shifts.push(...observer.takeRecords());
    observer.disconnect();
    let worst = 0, window = 0, first = 0, last = 0;
    const movers = {};
    for (const shift of shifts) {
      if (shift.hadRecentInput) continue;
      if (shift.startTime - last > 1000 || shift.startTime - first > 5000) {
        window = 0; first = shift.startTime;
      }
      window += shift.value; last = shift.startTime;
      worst = Math.max(worst, window);
      for (const source of shift.sources || []) {
        const node = source.node;
        if (!node || !node.tagName) continue;
        let name = node.tagName.toLowerCase() + (node.id ? "#" + node.id : "");
        const classes = [...node.classList].slice(0, 3);
        if (classes.length) name += "." + classes.join(".");
        movers[name] = (movers[name] || 0) + shift.value;
      }
    }
    const named = Object.entries(movers).sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([name]) => name);
    resolve({ cls: worst, movers: named });
  }, 50);
})"""

AXE_JS = """async (named) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical" || named.includes(v.id))
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
                   count: v.nodes.length }));
}"""


@cache
def axe_source() -> str:
    path = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    return path.read_text(encoding="utf-8") + ";0"


# Plotly redraws a chart 100 ms after the window is resized: wait for that, not a fixed time.
CHARTS_FIT_JS = """() => [...document.querySelectorAll(".js-plotly-plot .main-svg")]
  .every((svg) => svg.getBoundingClientRect().right <= document.documentElement.clientWidth)"""


def overflow(page) -> list[str]:
    """The page's width past the viewport and the elements that make it, or nothing."""
    if page.locator(".js-plotly-plot").count():
        try:
            page.wait_for_function(CHARTS_FIT_JS, timeout=2_000)
        except PlaywrightTimeoutError:
            pass  # a chart that never fits is reported below
    return page.evaluate(OVERFLOW_JS)


def serious_violations(page) -> list[str]:
    page.evaluate(axe_source())
    found = page.evaluate(AXE_JS, ALSO_REPORTED)
    return [
        f"{v['impact']} {v['id']} ({v['help']}) on {v['count']} element(s): "
        + "; ".join(v["nodes"])
        for v in found
    ]


def layout_shift(page) -> tuple[float, list[str]]:
    measured = page.evaluate(CLS_JS)
    return measured["cls"], measured["movers"]
