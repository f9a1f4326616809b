/* The economy cockpit: draws the ECharts charts from the data in #cockpit-data. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cockpit-data").textContent);
  var charts = [];
  var BLUE = "#1f5fa8", GREY = "#9aa5b1";
  var MONTHS = [];
  for (var m = 1; m <= 12; m++) MONTHS.push(m + "月");

  function pct(x) { return x === null || x === undefined ? "—" : (x * 100).toFixed(1) + "%"; }

  function make(id, option, onClick) {
    var node = document.getElementById(id);
    if (!node) return null;
    var chart = echarts.init(node, null, { renderer: "canvas" });
    option.animation = false;
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    charts.push(chart);
    return chart;
  }

  function go(url) { if (url) window.location.href = url; }

  function trendOption(t) {
    return {
      tooltip: { trigger: "axis" },
      legend: { data: ["今年", "去年"], top: 0 },
      grid: { left: 50, right: 16, top: 30, bottom: 28 },
      xAxis: { type: "category", data: MONTHS },
      yAxis: { type: "value", name: t.unit },
      series: [
        { name: "今年", type: "line", data: t.this_year, itemStyle: { color: BLUE }, symbolSize: 8 },
        { name: "去年", type: "line", data: t.last_year, itemStyle: { color: GREY }, lineStyle: { type: "dashed" } }
      ]
    };
  }

  function barOption(rows) {
    return {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (items) {
          var r = rows[items[0].dataIndex];
          return r.name + "<br>累计 " + r.ytd + " 亿元<br>同比 " + pct(r.growth) +
            (r.pull_pp === null ? "" : "<br>拉动 " + r.pull_pp + " 个百分点");
        }
      },
      grid: { left: 8, right: 96, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "亿元" },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.name; }) },
      series: [{
        type: "bar", data: rows.map(function (r) { return r.ytd; }), itemStyle: { color: BLUE },
        label: {
          show: true, position: "right",
          formatter: function (p) { return p.value + "（" + pct(rows[p.dataIndex].growth) + "）"; }
        }
      }]
    };
  }

  function barClick(rows) { return function (p) { go(rows[p.dataIndex].url); }; }

  function draw() {
    var select = document.getElementById("trend-indicator");
    if (data.trends.length) {
      var trend = make("chart-trend", trendOption(data.trends[0]), function (p) {
        if (p.seriesName === "今年") go(data.trends[select.value].urls[p.dataIndex]);
      });
      select.addEventListener("change", function () { trend.setOption(trendOption(data.trends[select.value]), true); });
    }
    ["chart-chains", "chart-zones"].forEach(function (id, i) {
      var rows = i ? data.zones : data.chains, node = document.getElementById(id);
      if (node) node.style.height = Math.max(200, rows.length * 30 + 30) + "px";
    });
    make("chart-chains", barOption(data.chains), barClick(data.chains));
    make("chart-zones", barOption(data.zones), barClick(data.zones));
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    document.body.dataset.cockpitReady = "1";
  }

  var form = document.getElementById("cockpit-filters");
  if (form) {
    form.querySelectorAll("select, input").forEach(function (el) {
      el.addEventListener("change", function () { form.submit(); });
    });
  }
  draw();
})();
