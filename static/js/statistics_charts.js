// The monthly service statistics' charts (Chart.js, vendored): this month against the last.
// The numbers come from the page's json_script block; the tables beside them hold the same.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("statistics-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#0d6efd", "#adb5bd"];
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var series = data[canvas.getAttribute("data-chart")];
      if (!series) return;
      var percent = canvas.getAttribute("data-chart") === "rates";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: series.labels,
          datasets: [
            { label: data.months[0], data: series["this"], backgroundColor: colours[0] },
            { label: data.months[1], data: series["last"], backgroundColor: colours[1] }
          ]
        },
        options: {
          animation: false,
          indexAxis: series.labels.length > 6 ? "y" : "x",
          scales: percent ? { y: { min: 0, max: 100 } } : {},
          plugins: { legend: { position: "bottom" } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
