/* The economy cockpit: draws the ECharts charts from the data in #cockpit-data. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cockpit-data").textContent);
  var charts = [];
  var BLUE = "#1f5fa8", GREY = "#9aa5b1";
  var UNIT = (data.primary && data.primary.unit) || "";
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
      // tooltips drawn on the canvas: the HTML ones carry style attributes the CSP refuses
      tooltip: { trigger: "axis", renderMode: "richText" },
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

  // On a phone (a chart narrower than 480 px) the value axis keeps three ticks, the category
  // names are cut to 6 characters (the tooltip has the whole name) and the bar labels show
  // the value only, so nothing overlaps at 390 px.
  function narrow(id) { var node = document.getElementById(id); return node && node.clientWidth < 480; }

  function barOption(rows, small) {
    return {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText",
        formatter: function (items) {
          var r = rows[items[0].dataIndex];
          return r.name + "\n累计 " + r.ytd + " " + UNIT + "\n同比 " + pct(r.growth) +
            (r.pull_pp === null ? "" : "\n拉动 " + r.pull_pp + " 个百分点");
        }
      },
      grid: { left: 8, right: small ? 48 : 96, top: 8, bottom: small ? 4 : 8, containLabel: true },
      xAxis: {
        type: "value", name: small ? "" : UNIT, splitNumber: small ? 2 : 5,
        axisLabel: { hideOverlap: true, fontSize: small ? 10 : 12 }
      },
      yAxis: {
        type: "category", inverse: true, data: rows.map(function (r) { return r.name; }),
        axisLabel: small ? { width: 78, overflow: "truncate", fontSize: 11 } : {}
      },
      series: [{
        type: "bar", data: rows.map(function (r) { return r.ytd; }), itemStyle: { color: BLUE },
        label: {
          show: true, position: "right", fontSize: small ? 10 : 12,
          formatter: function (p) { return small ? String(p.value) : p.value + "（" + pct(rows[p.dataIndex].growth) + "）"; }
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
    var bars = [["chart-chains", data.chains], ["chart-zones", data.zones]].map(function (pair) {
      return { id: pair[0], rows: pair[1], chart: make(pair[0], barOption(pair[1], narrow(pair[0])), barClick(pair[1])) };
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (c) { c.resize(); });
      bars.forEach(function (b) { if (b.chart) b.chart.setOption(barOption(b.rows, narrow(b.id)), true); });
    });
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
