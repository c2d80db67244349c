// The data screen: draws its charts from /screen/data with ECharts, and fetches the
// figures again (debounced) whenever the event stream says something happened.
(function () {
  "use strict";
  var root = document.getElementById("main");
  var labels = JSON.parse(document.getElementById("screen-labels").textContent);
  var charts = {};
  var TEXT = "#e8eef7", GRID = "rgba(232,238,247,0.15)";

  function chart(id) {
    if (!charts[id]) { charts[id] = echarts.init(document.getElementById(id), null, { renderer: "svg" }); }
    return charts[id];
  }
  function axis(extra) {
    return Object.assign({ axisLabel: { color: TEXT }, axisLine: { lineStyle: { color: GRID } },
                           splitLine: { lineStyle: { color: GRID } } }, extra || {});
  }
  function percent(value) { return value === null ? "—" : (value * 100).toFixed(1) + "%"; }
  function setText(id, value) { var el = document.getElementById(id); if (el) { el.textContent = value; } }

  function list(id, rows) {
    var ol = document.getElementById(id);
    ol.replaceChildren();
    if (!rows.length) {
      var none = document.createElement("li"); none.className = "none"; none.textContent = labels.none;
      ol.appendChild(none); return;
    }
    rows.forEach(function (row) {
      var li = document.createElement("li"), a = document.createElement("a"), t = document.createElement("time");
      a.href = "/petitions/" + encodeURIComponent(row.number); a.textContent = row.number;
      t.textContent = row.dueAt || "";
      li.append(a, " " + row.title + " ", t); ol.appendChild(li);
    });
  }

  function draw(data) {
    setText("as-of", data.today);
    setText("today-received", data.todayReceived);
    setText("year-received", data.year.received);
    setText("year-overdue", data.year.overdue);
    document.getElementById("year-overdue").parentNode.classList.toggle("zero", !data.year.overdue);
    setText("year-backlog", data.year.backlog);
    ["completion_rate", "on_time_rate", "resolution_rate", "satisfaction_rate"].forEach(function (key) {
      setText("rate-" + key, percent(data.year[key]));
      var tile = document.querySelector('[data-rate="' + key + '"]');
      var target = data.targets[key];
      tile.classList.toggle("below", data.year[key] !== null && target !== undefined && data.year[key] < target);
    });
    document.getElementById("pyramid-warning").hidden = !data.pyramidInverted;

    chart("chart-trend").setOption({
      textStyle: { color: TEXT }, tooltip: { trigger: "axis" },
      legend: { data: [labels.weekly, labels.monthly], textStyle: { color: TEXT } },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: [axis({ type: "category", data: data.weekly.map(function (d) { return d[0].slice(5); }) }),
              axis({ type: "category", data: data.monthly.map(function (d) { return d[0]; }), position: "top", show: false })],
      yAxis: [axis({ type: "value" }), axis({ type: "value", splitLine: { show: false } })],
      series: [{ name: labels.weekly, type: "line", smooth: true, data: data.weekly.map(function (d) { return d[1]; }) },
               { name: labels.monthly, type: "bar", xAxisIndex: 1, yAxisIndex: 1, barWidth: "40%",
                 itemStyle: { opacity: 0.35 }, data: data.monthly.map(function (d) { return d[1]; }) }]
    });
    chart("chart-pyramid").setOption({
      textStyle: { color: TEXT }, tooltip: {},
      grid: { left: 64, right: 24, top: 12, bottom: 24 },
      xAxis: axis({ type: "value" }),
      yAxis: axis({ type: "category", data: data.pyramid.map(function (p) { return p.label; }) }),
      series: [{ type: "bar", data: data.pyramid.map(function (p) { return p.received; }),
                 itemStyle: { color: data.pyramidInverted ? "#e06666" : "#6fa8dc" },
                 label: { show: true, position: "right", color: TEXT } }]
    });
    chart("chart-mix").setOption({
      textStyle: { color: TEXT }, tooltip: { trigger: "item" },
      series: [
        { name: labels.category, type: "pie", radius: ["20%", "42%"], center: ["25%", "55%"],
          label: { color: TEXT }, data: data.byCategory.map(function (r) { return { name: r.label, value: r.received }; }) },
        { name: labels.matter, type: "pie", radius: ["20%", "42%"], center: ["74%", "55%"],
          label: { color: TEXT }, data: data.byMatter.map(function (r) { return { name: r.label, value: r.received }; }) }
      ]
    });
    var places = data.communities;
    chart("chart-places").setOption({
      textStyle: { color: TEXT }, tooltip: { trigger: "axis" },
      legend: { data: [labels.per10k, labels.overdue], textStyle: { color: TEXT } },
      grid: { left: 48, right: 48, top: 36, bottom: 96 },
      xAxis: axis({ type: "category", data: places.map(function (c) { return c.street + "·" + c.name; }),
                    axisLabel: { color: TEXT, rotate: 45, interval: 0 } }),
      yAxis: [axis({ type: "value" }), axis({ type: "value", splitLine: { show: false } })],
      visualMap: { show: false, seriesIndex: 0, min: 0,
                   max: Math.max.apply(null, places.map(function (c) { return c.per10k || 0; }).concat([1])),
                   inRange: { color: ["#93c47d", "#ffd966", "#e06666"] } },
      series: [{ name: labels.per10k, type: "bar", data: places.map(function (c) { return c.per10k; }) },
               { name: labels.overdue, type: "line", yAxisIndex: 1, data: places.map(function (c) { return c.overdue; }) }]
    });
    list("list-overdue", data.overdueList);
    list("list-due-soon", data.dueSoonList);
    list("list-backlog", data.backlogList);
  }

  var pending = null;
  function refresh() {
    fetch(root.dataset.source, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { draw(data); document.body.dataset.updated = String(Date.now()); })
      .catch(function () { setText("live", labels.offline); });
  }
  function soon() { clearTimeout(pending); pending = setTimeout(refresh, 800); }

  refresh();
  var events = new EventSource(root.dataset.events);
  events.addEventListener("worklist", soon);
  events.onopen = function () { setText("live", labels.live); };
  events.onerror = function () { setText("live", labels.offline); };
  window.addEventListener("resize", function () { Object.values(charts).forEach(function (c) { c.resize(); }); });
}());
