/* Dashboards: draw the charts from the numbers embedded in the page (json_script).
   Clicking a bar, a point or a funnel step opens the list of the records behind it. */
(function () {
  "use strict";
  var dataEl = document.getElementById("gd-dashboard-data");
  if (!dataEl || !window.echarts) return;
  var data = JSON.parse(dataEl.textContent);
  var L = JSON.parse(document.getElementById("gd-dashboard-labels").textContent);
  var lang = (document.documentElement.lang || "en").toLowerCase();
  var locale = lang.indexOf("zh") === 0 ? "ZH" : "EN";
  var moneyFmt = new Intl.NumberFormat(lang, { style: "currency", currency: "CNY", maximumFractionDigits: 0 });
  var shortFmt = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  var pct = function (v) { return v === null || v === undefined ? "—" : Math.round(v * 1000) / 10 + "%"; };
  var money = function (v) { return v === null || v === undefined ? "—" : moneyFmt.format(v); };
  var COLORS = ["#1f6feb", "#2da44e", "#bf8700", "#cf222e", "#8250df", "#0a7ea4", "#57606a"];
  var charts = [];

  function chart(name, option, links) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el) return;
    var c = echarts.init(el, null, { locale: locale, renderer: "canvas" });
    c.setOption(Object.assign({ color: COLORS, animationDuration: 400 }, option));
    if (links) {
      c.on("click", function (params) {
        var url = links[params.dataIndex];
        if (url) window.location.href = url;
      });
      c.getZr().on("mousemove", function (e) { c.getZr().setCursorStyle(e.target ? "pointer" : "default"); });
    }
    el.dataset.ready = "1";
    charts.push(c);
  }

  function empty(name) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el) return;
    el.classList.add("gd-chart-empty");
    el.textContent = L.no_data;
    el.dataset.ready = "1";
  }

  // Funnel ------------------------------------------------------------------------------------
  var steps = data.funnel.steps;
  if (data.funnel.deals) {
    chart("funnel", {
      tooltip: {
        trigger: "item",
        formatter: function (p) {
          var s = steps[p.dataIndex];
          return "<b>" + s.name + "</b><br>" + L.reached + ": " + s.value + "<br>" + L.amount + ": " + money(s.amount) +
            "<br>" + L.to_next + ": " + pct(s.to_next) + "<br>" + L.to_won + ": " + pct(s.to_won);
        }
      },
      series: [{
        type: "funnel", sort: "none", left: "4%", width: "62%", top: 10, bottom: 10, minSize: "8%", gap: 2,
        label: { show: true, position: "right", formatter: function (p) { var s = steps[p.dataIndex]; return s.name + "  " + s.value + "  " + money(s.amount); } },
        labelLine: { show: true, length: 12 },
        data: steps.map(function (s, i) {
          var blues = ["#0b3d91", "#1f6feb", "#4a8ff5", "#7cb0fa", "#a9cbfc"];
          var color = i === steps.length - 1 ? "#2da44e" : blues[Math.min(i, blues.length - 1)];
          return { name: s.name, value: s.value, itemStyle: { color: color } };
        })
      }]
    }, steps.map(function (s) { return s.url; }));
  } else { empty("funnel"); }

  // Conversion trend --------------------------------------------------------------------------
  var pts = data.trend.points;
  if (pts.length) {
    chart("trend", {
      tooltip: { trigger: "axis", valueFormatter: pct },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 34, bottom: 28 },
      xAxis: { type: "category", data: pts.map(function (p) { return p.month; }) },
      yAxis: { type: "value", min: 0, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
      series: [
        { name: L.lead_conversion_rate, type: "line", smooth: true, symbolSize: 8, data: pts.map(function (p) { return p.lead_conversion_rate; }) },
        { name: L.win_rate, type: "line", smooth: true, symbolSize: 8, data: pts.map(function (p) { return p.win_rate; }) }
      ]
    }, pts.map(function (p) { return p.url; }));
  } else { empty("trend"); }

  // Stage durations ---------------------------------------------------------------------------
  var st = data.durations.stages;
  if (st.some(function (s) { return s.stays; })) {
    chart("durations", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + " " + L.days; } },
      legend: { top: 0 },
      grid: { left: 44, right: 16, top: 34, bottom: 48 },
      xAxis: { type: "category", data: st.map(function (s) { return s.name; }), axisLabel: { interval: 0, rotate: st.length > 5 ? 20 : 0 } },
      yAxis: { type: "value", name: L.days, nameGap: 8 },
      series: ["mean", "median", "p90"].map(function (k) {
        return { name: L[k], type: "bar", data: st.map(function (s) { return s[k]; }) };
      })
    }, st.map(function (s) { return s.url; }));
  } else { empty("durations"); }

  // Forecast ----------------------------------------------------------------------------------
  var months = data.forecast.months;
  if (months.length) {
    chart("forecast", {
      tooltip: { trigger: "axis", valueFormatter: money },
      legend: { top: 0 },
      grid: { left: 60, right: 16, top: 34, bottom: 28 },
      xAxis: { type: "category", data: months.map(function (m) { return m.month; }) },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return shortFmt.format(v); } } },
      series: [
        { name: L.amount, type: "bar", data: months.map(function (m) { return m.amount; }) },
        { name: L.weighted_amount, type: "bar", data: months.map(function (m) { return m.weighted_amount; }) },
        { name: L.won_amount, type: "line", symbolSize: 7, data: months.map(function (m) { return m.won_amount; }) }
      ]
    }, months.map(function (m) { return m.url; }));
  } else { empty("forecast"); }

  // Target gauges -----------------------------------------------------------------------------
  var gauges = data.gauges;
  if (gauges.length) {
    var n = gauges.length, w = 100 / n;
    chart("gauges", {
      tooltip: {
        formatter: function (p) {
          var g = gauges[p.seriesIndex], f = g.money ? money : function (v) { return v; };
          return "<b>" + g.name + "</b> · " + g.metric + "<br>" + g.period + "<br>" + L.actual + ": " + f(g.actual) + "<br>" + L.target + ": " + f(g.target);
        }
      },
      series: gauges.map(function (g, i) {
        var value = g.attainment === null ? 0 : Math.round(g.attainment * 1000) / 10;
        return {
          type: "gauge", center: [(i + 0.5) * w + "%", "58%"], radius: Math.min(28 * 6 / n, 80) + "%",
          min: 0, max: Math.max(100, Math.ceil(value / 50) * 50), splitNumber: 4,
          progress: { show: true, width: 10 }, axisLine: { lineStyle: { width: 10 } },
          axisTick: { show: false }, splitLine: { length: 6 }, axisLabel: { distance: 14, fontSize: 9 },
          pointer: { width: 4 }, title: { offsetCenter: [0, "88%"], fontSize: 11 },
          detail: { valueAnimation: true, formatter: "{value}%", fontSize: 15, offsetCenter: [0, "45%"] },
          itemStyle: { color: value >= 100 ? "#2da44e" : value >= 60 ? "#1f6feb" : "#cf222e" },
          data: [{ value: value, name: g.name + " · " + g.metric }]
        };
      })
    });
  }

  // Leaderboard -------------------------------------------------------------------------------
  var rows = data.leaderboard.rows.slice().reverse();
  if (rows.length) {
    chart("leaderboard", {
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: function (ps) { var r = rows[ps[0].dataIndex]; return "<b>" + r.name + "</b><br>" + L.won_amount + ": " + money(r.won_amount) + "<br>" + L.deals_won + ": " + r.deals_won; }
      },
      grid: { left: 90, right: 60, top: 8, bottom: 20 },
      xAxis: { type: "value", axisLabel: { formatter: function (v) { return shortFmt.format(v); } } },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
      series: [{ type: "bar", data: rows.map(function (r) { return r.won_amount; }), barMaxWidth: 18,
                 label: { show: true, position: "right", formatter: function (p) { return shortFmt.format(p.value); } } }]
    }, rows.map(function (r) { return r.url; }));
  } else { empty("leaderboard"); }

  // Collection aging --------------------------------------------------------------------------
  var buckets = data.aging.buckets;
  if (buckets.some(function (b) { return b.value; })) {
    chart("aging", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: money },
      grid: { left: 60, right: 16, top: 16, bottom: 28 },
      xAxis: { type: "category", data: buckets.map(function (b) { return b.name; }) },
      yAxis: { type: "value", axisLabel: { formatter: function (v) { return shortFmt.format(v); } } },
      series: [{ name: L.overdue, type: "bar", barMaxWidth: 48,
                 data: buckets.map(function (b, i) { return { value: b.value, itemStyle: { color: ["#bf8700", "#e16f24", "#cf222e", "#82071e"][i] } }; }),
                 label: { show: true, position: "top", formatter: function (p) { return p.value ? shortFmt.format(p.value) : ""; } } }]
    }, buckets.map(function (b) { return b.url; }));
  } else { empty("aging"); }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
