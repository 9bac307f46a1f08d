// The funnel as grouped bars, one group per year, drawn from the JSON next to the chart.
(function () {
  "use strict";
  const en = (document.documentElement.lang || "").startsWith("en");
  const NAMES = {discovered: ["发现", "Discovered"], served: ["服务", "Served"],
    put_forward: ["推出", "Put forward"], certified: ["认定", "Certified"]};
  const COLORS = {discovered: "#64748b", served: "#1e40af", put_forward: "#b45309", certified: "#166534"};
  document.querySelectorAll("[data-funnel]").forEach(function (el) {
    const data = JSON.parse(document.getElementById(el.dataset.funnel).textContent);
    const traces = data.series.map(function (s) {
      return {type: "bar", name: NAMES[s.key][en ? 1 : 0], x: data.years, y: s.values,
        marker: {color: COLORS[s.key]}};
    });
    Plotly.newPlot(el, traces, {barmode: "group", margin: {l: 40, r: 12, t: 8, b: 40},
      legend: {orientation: "h", y: -0.15}, xaxis: {dtick: 1, fixedrange: true},
      yaxis: {fixedrange: true, rangemode: "tozero"},
      font: {family: getComputedStyle(document.body).fontFamily, size: 11},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"},
      {displaylogo: false, responsive: true});
  });
})();
