// Draws each indicator chart from the JSON embedded next to it: baseline, yearly values,
// target and forecast. Plotly is served from the installed plotly package, never a CDN.
(function () {
  "use strict";
  const lang = document.documentElement.lang || "zh-hans";
  const en = lang.startsWith("en");
  const t = (zh, e) => (en ? e : zh);
  const STATUS_COLORS = {achieved: "#166534", on_track: "#1e40af", at_risk: "#b45309", lagging: "#b91c1c", no_data: "#64748b"};

  function draw(el) {
    const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const pts = data.series.filter((p) => p.value !== null);
    const traces = [];
    const color = STATUS_COLORS[data.status.code] || "#334155";
    if (data.baseline) {
      traces.push({x: [data.baseline.year], y: [Number(data.baseline.value)], mode: "markers",
        name: t("基期", "Baseline"), marker: {symbol: "diamond", size: 9, color: "#64748b"}});
    }
    traces.push({x: pts.map((p) => p.year), y: pts.map((p) => Number(p.value)), mode: "lines+markers",
      name: t("实际值", "Actual"), line: {color: color, width: 2.5},
      marker: {size: 7, symbol: pts.map((p) => (p.is_demo ? "circle-open" : "circle"))}});
    if (data.forecast && data.forecast.value !== null && pts.length) {
      const last = pts[pts.length - 1];
      if (data.target.year > last.year) {
        traces.push({x: [last.year, data.target.year], y: [Number(last.value), Number(data.forecast.value)],
          mode: "lines+markers", name: t("趋势预测", "Forecast"),
          line: {dash: "dot", color: color}, marker: {size: 6, symbol: "circle-open"}});
      }
    }
    const shapes = [];
    if (data.target.value !== null) {
      traces.push({x: [data.target.year], y: [Number(data.target.value)], mode: "markers",
        name: t("目标", "Target"), marker: {symbol: "star", size: 13, color: "#b3261e"}});
      shapes.push({type: "line", xref: "paper", x0: 0, x1: 1, y0: Number(data.target.value),
        y1: Number(data.target.value), line: {color: "#b3261e", width: 1, dash: "dash"}});
    }
    const big = el.classList.contains("big");
    Plotly.newPlot(el, traces, {
      margin: {l: 48, r: 12, t: 8, b: big ? 40 : 28}, showlegend: big,
      legend: {orientation: "h", y: -0.2}, shapes: shapes,
      xaxis: {dtick: 1, fixedrange: true}, yaxis: {title: big ? data.unit : "", fixedrange: !big, rangemode: "tozero"},
      font: {family: getComputedStyle(document.body).fontFamily, size: 11},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    }, {displayModeBar: big, displaylogo: false, responsive: true, locale: en ? "en" : "zh-CN"});
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
