// Draws every chart on the page from its JSON data element, and wires the print button.
// plotly.js (1.5 MB, the cartesian bundle) is fetched only when a chart nears the screen, so a
// phone paints the page first. No inline script anywhere (the CSP forbids it).
(function () {
  "use strict";
  const script = document.currentScript;
  const narrow = window.matchMedia("(max-width: 576px)");
  const settings = JSON.parse((document.getElementById("chart-config") || {}).textContent || "{}");
  const charts = Array.from(document.querySelectorAll("[data-chart]"));

  function figureOf(container) {
    const source = container.querySelector(".chart-figure");
    return source ? JSON.parse(source.textContent) : null;
  }
  function plainText(html) {
    // Titles reach Plotly HTML-escaped (tracker/charts.py): screen readers get the words.
    return new DOMParser().parseFromString(html || "", "text/html").body.textContent.trim();
  }

  // Named and sized before plotly.js arrives: no layout shift when a chart is drawn.
  charts.forEach(function (container) {
    const area = container.querySelector(".chart-area");
    const figure = figureOf(container);
    if (!area || !figure) return;
    const title = plainText(((figure.layout || {}).title || {}).text);
    if (title) area.setAttribute("aria-label", title);
    if (figure.layout && figure.layout.height) area.style.minHeight = figure.layout.height + "px";
  });

  function load(src) {
    return new Promise(function (resolve, reject) {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.append(tag);
    });
  }
  let plotly = null;
  function loadPlotly() {
    if (!plotly) {
      plotly = load(script.dataset.plotly).then(function () {
        if (settings.locale === "vi" && script.dataset.localeVi) return load(script.dataset.localeVi);
      });
    }
    return plotly;
  }

  function config() {
    const locales = {};
    locales[settings.locale || "en"] = { dictionary: settings.dictionary || {} };
    return {
      responsive: true, displaylogo: false, locale: settings.locale || "en", locales: locales,
      // Phones: no toolbar over the titles (pinch zoom is the browser's); elsewhere on hover.
      displayModeBar: narrow.matches ? false : "hover",
      modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d", "zoomIn2d", "zoomOut2d"],
    };
  }

  const drawing = new WeakMap();
  function draw(container) {
    if (drawing.has(container)) return drawing.get(container);
    const area = container.querySelector(".chart-area");
    const figure = figureOf(container);
    if (!area || !figure) return Promise.resolve();
    const layout = Object.assign({}, figure.layout, { autosize: true });
    if (narrow.matches) {
      layout.margin = Object.assign({}, layout.margin, { l: Math.min(layout.margin.l || 40, 90), r: 8 });
      layout.title = Object.assign({}, layout.title, { font: { size: 13 } });
    }
    const drawn = Plotly.newPlot(area, figure.data, layout, config()).then(function () {
      container.dataset.drawn = "true";
    });
    drawing.set(container, drawn);
    return drawn;
  }
  function drawWhenLoaded(container) {
    return loadPlotly().then(function () { return draw(container); });
  }

  if (charts.length && "IntersectionObserver" in window) {
    const observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        drawWhenLoaded(entry.target);
      });
    }, { rootMargin: "200px 0px" });
    charts.forEach(function (container) { observer.observe(container); });
  } else {
    charts.forEach(drawWhenLoaded);
  }

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      // Every chart on paper, also those nobody scrolled to.
      Promise.all(charts.map(drawWhenLoaded)).then(function () { window.print(); });
    });
  });
})();
