/* An Sinh: the little JavaScript the pages need. Every page also works without it. */
(function () {
  "use strict";

  /* Draw the Plotly figures the server built (data-plotly holds the figure's JSON). */
  function drawCharts(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-plotly]").forEach(function (el) {
      var figure = JSON.parse(el.dataset.plotly);
      window.Plotly.newPlot(el, figure.data, figure.layout, { displaylogo: false, responsive: true });
    });
  }

  /* Selects marked data-autosubmit reload the page on change (a plain GET form underneath). */
  function wireAutosubmit(root) {
    root.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    wireAutosubmit(document);
  });

  /* Upload progress for long imports: htmx reports the bytes sent. */
  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = document.querySelector("#upload-progress progress");
    if (bar && event.detail.lengthComputable && event.detail.total) {
      bar.value = Math.round((100 * event.detail.loaded) / event.detail.total);
    }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    var bar = document.querySelector("#upload-progress progress");
    if (bar) bar.value = 0;
  });
})();
