// The collection dashboard's charts (Chart.js, vendored): the collection rate per month and
// the overdue amounts by age. The numbers come from the page's json_script block; the tables
// below them hold the same figures as text.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("collection-data");
    if (!source || typeof window.Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var rates = document.querySelector("canvas[data-chart='rates']");
    if (rates) {
      new window.Chart(rates, {
        type: "line",
        data: {
          labels: data.months,
          datasets: [
            { label: data.rate_label, data: data.rate, borderColor: "#0d6efd", backgroundColor: "#0d6efd" },
            {
              label: data.rate_with_arrears_label,
              data: data.rate_with_arrears,
              borderColor: "#6c757d",
              backgroundColor: "#6c757d",
              borderDash: [6, 4]
            }
          ]
        },
        options: {
          animation: false,
          spanGaps: false,
          scales: { y: { min: 0, max: 100 } },
          plugins: { legend: { position: "bottom" } }
        }
      });
    }
    var aging = document.querySelector("canvas[data-chart='aging']");
    if (aging) {
      new window.Chart(aging, {
        type: "bar",
        data: {
          labels: data.aging.labels,
          datasets: [{ label: data.aging_label, data: data.aging.amounts, backgroundColor: ["#ffc107", "#fd7e14", "#dc3545", "#842029"] }]
        },
        options: { animation: false, plugins: { legend: { display: false } } }
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
