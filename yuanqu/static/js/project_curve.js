/* The key-project page: the investment curve (completed cumulative against the evenly
   phased plan) from the data in #curve-data. */
(function () {
  "use strict";
  var node = document.getElementById("curve-chart");
  var source = document.getElementById("curve-data");
  if (!node || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(node, null, { renderer: "canvas" });
  chart.setOption({
    animation: false,
    // tooltips drawn on the canvas: the HTML ones carry style attributes the CSP refuses
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { data: ["累计完成投资", "序时计划累计"], top: 0 },
    grid: { left: 70, right: 16, top: 30, bottom: 28 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: "万元" },
    series: [
      { name: "累计完成投资", type: "line", data: data.done, color: "#1f5fa8", connectNulls: false },
      { name: "序时计划累计", type: "line", data: data.planned, color: "#9aa5b1", lineStyle: { type: "dashed" } }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
