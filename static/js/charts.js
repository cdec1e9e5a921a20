// Renders every server-built Plotly figure on the page. The figure JSON sits in a
// <script type="application/json"> next to its container; plotly.js is served from static/.
// Charts speak the page's language: Spanish month and day names, a decimal comma and a
// point between thousands on Spanish pages (the same as the page's own numbers).
(function () {
  var SPANISH = {
    moduleType: "locale",
    name: "es",
    dictionary: {},
    format: {
      days: ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
      shortDays: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
      months: ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
        "octubre", "noviembre", "diciembre"],
      shortMonths: ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
      date: "%d/%m/%Y",
      decimal: ",",
      thousands: "\u00a0"
    }
  };
  var language = (document.documentElement.lang || "es").slice(0, 2);

  function render(container) {
    var source = document.getElementById(container.dataset.figure);
    if (!source || !window.Plotly) return;
    var figure = JSON.parse(source.textContent);
    var layout = figure.layout || {};
    if (language === "es" && !layout.separators) layout.separators = ",.";  // as portal/numbers.py writes: 18.500,5
    window.Plotly.react(container, figure.data, layout, { responsive: true, displaylogo: false, locale: language });
    container.dataset.rendered = "true";
  }
  function renderAll() { document.querySelectorAll("[data-figure]").forEach(render); }
  if (window.Plotly) window.Plotly.register(SPANISH);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
  window.portalCharts = { renderAll: renderAll };
})();
