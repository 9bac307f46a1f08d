// The review board's strip chart: each expert's total for the top ranked applications, with
// the final score. Plotly is served from the installed plotly package, never a CDN.
(function () {
  "use strict";
  const el = document.querySelector("[data-review-chart]");
  if (!el) return;
  const en = (document.documentElement.lang || "").startsWith("en");
  const t = (zh, e) => (en ? e : zh);
  const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
  const x = [], y = [];
  data.forEach((r) => r.totals.forEach((v) => { x.push(r.code); y.push(Number(v)); }));
  Plotly.newPlot(el, [
    {x: x, y: y, type: "box", boxpoints: "all", jitter: 0.4, pointpos: 0, name: t("专家总分", "Expert totals"),
      marker: {color: "#1e40af", size: 6}, line: {color: "#94a3b8"}, fillcolor: "rgba(0,0,0,0)"},
    {x: data.map((r) => r.code), y: data.map((r) => Number(r.final)), mode: "markers", name: t("最终得分", "Final score"),
      marker: {symbol: "diamond", size: 11, color: "#b3261e"}},
  ], {
    margin: {l: 44, r: 12, t: 8, b: 80}, showlegend: true, legend: {orientation: "h", y: 1.08},
    xaxis: {type: "category", tickangle: -40, fixedrange: true}, yaxis: {title: t("总分", "Total"), range: [0, 100]},
    font: {family: getComputedStyle(document.body).fontFamily, size: 11},
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
  }, {displaylogo: false, responsive: true, locale: en ? "en" : "zh-CN"});
})();
