// Draws every chart on the page from its JSON data element, with our own plotly.min.js,
// and wires the print button. No inline script anywhere (the CSP forbids it).
(function () {
  "use strict";
  const narrow = window.matchMedia("(max-width: 576px)");

  function draw(container) {
    const source = container.querySelector(".chart-figure");
    const area = container.querySelector(".chart-area");
    if (!source || !area || typeof Plotly === "undefined") return;
    const figure = JSON.parse(source.textContent);
    const layout = Object.assign({}, figure.layout, { autosize: true });
    if (narrow.matches) {
      layout.margin = Object.assign({}, layout.margin, { l: Math.min(layout.margin.l || 40, 90), r: 8 });
      layout.title = Object.assign({}, layout.title, { font: { size: 13 } });
    }
    Plotly.newPlot(area, figure.data, layout, {
      responsive: true, displaylogo: false,
      modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
    }).then(function () { container.dataset.drawn = "true"; });
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
