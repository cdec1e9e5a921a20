// Renders every server-built Plotly figure on the page. The figure JSON sits in a
// <script type="application/json"> next to its container; plotly.js is served from static/.
(function () {
  function render(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    window.Plotly.react(container, figure.data, figure.layout, { responsive: true, displaylogo: false });
    container.dataset.rendered = "true";
  }
  function renderAll() { document.querySelectorAll("[data-figure]").forEach(render); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
  window.portalCharts = { renderAll: renderAll };
})();
