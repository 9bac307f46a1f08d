// Draws each [data-series-chart] from the JSON embedded next to it:
// {x: [years], series: [{zh, en, values, kind: "bar"|"line", axis: "y"|"y2"}], y2_zh, y2_en}.
// Shared by the carrier detail page and the science-popularization totals. Plotly is served
// from the installed plotly package, never a CDN.
(function () {
  "use strict";
  const en = (document.documentElement.lang || "").startsWith("en");
  const COLORS = ["#1e40af", "#b45309", "#166534", "#7c3aed", "#b91c1c", "#0f766e"];

  function draw(el) {
    const data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    const traces = data.series.map((s, i) => ({
      x: data.x,
      y: s.values.map((v) => (v === null ? null : Number(v))),
      name: en ? s.en : s.zh,
      type: s.kind === "bar" ? "bar" : "scatter",
      mode: s.kind === "bar" ? undefined : "lines+markers",
      yaxis: s.axis === "y2" ? "y2" : "y",
      marker: {color: COLORS[i % COLORS.length]},
      connectgaps: false,
    }));
    const layout = {
      margin: {l: 48, r: data.y2_zh ? 56 : 12, t: 8, b: 40},
      legend: {orientation: "h", y: -0.2},
      xaxis: {dtick: 1, fixedrange: true},
      yaxis: {rangemode: "tozero", fixedrange: true},
      font: {family: getComputedStyle(document.body).fontFamily, size: 11},
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    };
    if (data.y2_zh) {
      layout.yaxis2 = {overlaying: "y", side: "right", rangemode: "tozero", fixedrange: true,
        title: en ? data.y2_en : data.y2_zh};
    }
    Plotly.newPlot(el, traces, layout,
      {displayModeBar: false, responsive: true, locale: en ? "en" : "zh-CN"});
  }

  document.querySelectorAll("[data-series-chart]").forEach(draw);
})();
