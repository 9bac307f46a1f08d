// A scheme's money by month as grouped bars (万元), drawn from the JSON next to the chart.
// Plotly is served from the installed plotly package, never a CDN.
(function () {
  "use strict";
  const en = (document.documentElement.lang || "").startsWith("en");
  const SERIES = [["issued", "发放", "Issued", "#1e40af"], ["redeemed", "兑付", "Redeemed", "#b45309"],
    ["settled", "结算", "Settled", "#166534"]];
  document.querySelectorAll("[data-voucher-chart]").forEach(function (el) {
    const data = JSON.parse(document.getElementById(el.dataset.voucherChart).textContent);
    const traces = SERIES.map(function (s) {
      return {type: "bar", name: en ? s[2] : s[1], x: data.months, y: data[s[0]], marker: {color: s[3]}};
    });
    Plotly.newPlot(el, traces, {barmode: "group", margin: {l: 48, r: 12, t: 8, b: 40},
      legend: {orientation: "h", y: -0.18}, xaxis: {type: "category", fixedrange: true},
      yaxis: {title: en ? "10k yuan" : "万元", fixedrange: true, rangemode: "tozero"},
      font: {family: getComputedStyle(document.body).fontFamily, size: 11},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"},
      {displaylogo: false, responsive: true, locale: en ? "en" : "zh-CN"});
  });
})();
