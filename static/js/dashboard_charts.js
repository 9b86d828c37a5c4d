// The supervisor dashboard's charts (Chart.js, vendored): open and overdue work per procedure,
// on-time rates this month against the last, and the figures' twelve-month trends. The numbers
// come from the page's json_script block; the tables beside them hold the same.
(function () {
  "use strict";
  function bars(canvas, labels, datasets, percent) {
    // Many procedures: horizontal bars, the values along x.
    var horizontal = labels.length > 6;
    var scales = {};
    if (percent) scales[horizontal ? "x" : "y"] = { min: 0, max: 100 };
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        indexAxis: horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var colours = ["#0d6efd", "#fd7e14", "#198754", "#6f42c1"];
    var work = document.querySelector("canvas[data-chart='work']");
    if (work) {
      bars(work, data.work.labels, [
        { label: data.labels.open, data: data.work.open, backgroundColor: "#0d6efd" },
        { label: data.labels.overdue, data: data.work.overdue, backgroundColor: "#dc3545" }
      ], false);
    }
    var onTime = document.querySelector("canvas[data-chart='on_time']");
    if (onTime) {
      bars(onTime, data.on_time.labels, [
        { label: data.months[0], data: data.on_time["this"], backgroundColor: "#0d6efd" },
        { label: data.months[1], data: data.on_time.last, backgroundColor: "#adb5bd" }
      ], true);
    }
    document.querySelectorAll("canvas[data-trend]").forEach(function (canvas) {
      var trend = data.trends[Number(canvas.getAttribute("data-trend"))];
      if (!trend) return;
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: trend.labels,
          datasets: trend.lines.map(function (line, i) {
            return { label: line.label, data: line.values, borderColor: colours[i % colours.length], spanGaps: true };
          })
        },
        options: {
          animation: false,
          scales: trend.unit === "%" ? { y: { min: 0, max: 100 } } : {},
          plugins: { legend: { display: trend.lines.length > 1, position: "bottom" } }
        }
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
