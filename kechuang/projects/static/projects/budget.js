// The budget chart on a project page: fiscal and self-raised budget by category, and the
// approved fiscal funds against what has been paid and what the organisation reports spent.
// Plotly comes from the installed plotly package, never a CDN.
(function () {
  "use strict";
  const en = (document.documentElement.lang || "").startsWith("en");
  const t = (zh, e) => (en ? e : zh);
  const wan = (v) => (v === null ? null : Number(v) / 10000);
  document.querySelectorAll("[data-budget-chart]").forEach(function (el) {
    const d = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const totals = [t("批准财政资金", "Approved"), t("已拨付", "Disbursed")];
    const values = [wan(d.approved), wan(d.disbursed)];
    if (d.spend !== null) { totals.push(t("已报告支出", "Reported spend")); values.push(wan(d.spend)); }
    const traces = [
      {type: "bar", x: d.categories, y: d.fiscal.map(wan), name: t("财政资金预算", "Fiscal budget"), marker: {color: "#1e40af"}},
      {type: "bar", x: d.categories, y: d.own.map(wan), name: t("自筹资金预算", "Self-raised budget"), marker: {color: "#93c5fd"}},
      {type: "bar", x: totals, y: values, name: t("资金执行", "Funds"), marker: {color: ["#64748b", "#166534", "#b45309"]}},
    ];
    Plotly.newPlot(el, traces, {
      barmode: "group", margin: {l: 48, r: 12, t: 8, b: 60}, legend: {orientation: "h", y: -0.25},
      yaxis: {title: t("万元", "10k yuan"), fixedrange: true, rangemode: "tozero"}, xaxis: {fixedrange: true},
      font: {family: getComputedStyle(document.body).fontFamily, size: 11},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    }, {displayModeBar: false, responsive: true, locale: en ? "en" : "zh-CN"});
  });
})();
