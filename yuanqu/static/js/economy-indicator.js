/* The indicator page: month values and YTD of the last 24 months against a year earlier. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("indicator-data").textContent);
  var BLUE = "#1f5fa8", GREY = "#9aa5b1";
  var charts = [];

  function draw(id, now, before) {
    var node = document.getElementById(id);
    if (!node || typeof echarts === "undefined") return;
    var chart = echarts.init(node, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      // tooltips drawn on the canvas: the HTML ones carry style attributes the CSP refuses
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { data: ["本期", "上年同期"], top: 0 },
      grid: { left: 60, right: 16, top: 30, bottom: 28 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", name: data.unit },
      series: [
        { name: "本期", type: "line", data: now, itemStyle: { color: BLUE }, connectNulls: false },
        { name: "上年同期", type: "line", data: before, itemStyle: { color: GREY }, lineStyle: { type: "dashed" } }
      ]
    });
    charts.push(chart);
  }

  draw("chart-month", data.month_value, data.last_month_value);
  draw("chart-ytd", data.ytd, data.last_ytd);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.dataset.indicatorReady = "1";
})();
