/* Draw the statistics charts from the numbers the page passes with json_script
   (the Content Security Policy allows no inline script). The same numbers are in the table. */
"use strict";

(function () {
  const source = document.getElementById("statistics-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const palette = ["#1f5f8b", "#c0561a", "#2e7d32", "#6a3d9a", "#a07800", "#5d6d7e"];
  const common = {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: "bottom" } },
  };

  new Chart(document.getElementById("chart-sectors"), {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.sectors.map(function (sector, i) {
        return { label: sector.label, data: sector.data, backgroundColor: palette[i % palette.length] };
      }),
    },
    options: Object.assign({}, common, {
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.axis.cases } },
      },
    }),
  });

  new Chart(document.getElementById("chart-categories"), {
    type: "bar",
    data: {
      labels: data.categories.labels,
      datasets: [{ label: data.axis.recommendations, data: data.categories.data, backgroundColor: palette[0] }],
    },
    options: Object.assign({}, common, {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
    }),
  });
})();
