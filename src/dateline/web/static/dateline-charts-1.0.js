/* dateline dashboard charts, v1.0: small SVG charts and the map, no dependencies.
 * Each <figure data-chart=KIND data-key=KEY> is drawn from the page's JSON twin, which the
 * server embeds in <script type="application/json" id="page-data">. */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var QUADS = ["q1", "q2", "q3", "q4"];
  var QUAD_NAMES = {q1: "verbal cooperation", q2: "material cooperation",
                    q3: "verbal conflict", q4: "material conflict"};

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function title(node, text) { el("title", {}, node).textContent = text; }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }

  function frame(fig, w, h) {
    var svg = el("svg", {viewBox: "0 0 " + w + " " + h, role: "img",
                         preserveAspectRatio: "xMidYMid meet"});
    fig.appendChild(svg);
    return svg;
  }

  function xLabels(svg, periods, x, y0) {
    var step = Math.max(1, Math.ceil(periods.length / 10));
    periods.forEach(function (p, i) {
      if (i % step !== 0 && i !== periods.length - 1) { return; }
      el("text", {x: x(i), y: y0 + 14, "text-anchor": "middle"}, svg).textContent = p;
    });
  }

  function niceMax(v) {
    var steps = [1, 2, 2.5, 5, 10];
    var mag = Math.pow(10, Math.floor(Math.log10(Math.max(v, 1))));
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * mag >= v) { return steps[i] * mag; }
    }
    return 10 * mag;
  }

  function quadTimeline(fig, rows) {
    var W = 900, H = 270, L = 52, R = 12, T = 30, B = 24;
    var svg = frame(fig, W, H);
    if (!rows || !rows.length) { return; }
    var max = 1;
    rows.forEach(function (r) { max = Math.max(max, r.q1 + r.q2 + r.q3 + r.q4); });
    max = max < 4 ? 4 : niceMax(max);
    var n = rows.length, bars = n <= 36;
    var band = (W - L - R) / n;
    var x = function (i) { return L + band * (i + 0.5); };
    var y = function (v) { return H - B - (H - T - B) * v / max; };
    for (var g = 0; g <= 4; g++) {
      var v = max * g / 4, gy = y(v);
      el("line", {x1: L, x2: W - R, y1: gy, y2: gy, "class": "grid"}, svg);
      el("text", {x: L - 6, y: gy + 4, "text-anchor": "end"}, svg).textContent = fmt(Math.round(v * 100) / 100);
    }
    var base = rows.map(function () { return 0; });
    QUADS.forEach(function (q) {
      var tops = rows.map(function (r, i) { return base[i] + r[q]; });
      if (bars) {
        rows.forEach(function (r, i) {
          var rect = el("rect", {x: x(i) - band * 0.35, width: band * 0.7, y: y(tops[i]),
                                 height: Math.max(0, y(base[i]) - y(tops[i])), "class": q}, svg);
          title(rect, r.period + ": " + fmt(r[q]) + " " + QUAD_NAMES[q]);
        });
      } else {
        var d = "M" + rows.map(function (r, i) { return x(i) + " " + y(tops[i]); }).join("L");
        for (var i = n - 1; i >= 0; i--) { d += "L" + x(i) + " " + y(base[i]); }
        title(el("path", {d: d + "Z", "class": "area " + q}, svg), QUAD_NAMES[q]);
      }
      base = tops;
    });
    el("line", {x1: L, x2: W - R, y1: H - B, y2: H - B, "class": "axis"}, svg);
    xLabels(svg, rows.map(function (r) { return r.period; }), x, H - B);
    var legend = el("g", {transform: "translate(" + L + ",6)"}, svg);
    QUADS.forEach(function (q, i) {
      el("rect", {x: i * 150, y: 0, width: 10, height: 10, "class": q}, legend);
      el("text", {x: i * 150 + 14, y: 9}, legend).textContent = QUAD_NAMES[q];
    });
  }

  function netLine(fig, rows, comparison) {
    var W = 900, H = 190, L = 52, R = 12, T = 22, B = 24;
    var svg = frame(fig, W, H);
    if (!rows || !rows.length) { return; }
    var periods = rows.map(function (r) { return r.period; });
    (comparison || []).forEach(function (c) {
      c.series.forEach(function (s) { if (periods.indexOf(s.period) < 0) { periods.push(s.period); } });
    });
    periods.sort();
    var n = periods.length, band = (W - L - R) / n;
    var x = function (i) { return L + band * (i + 0.5); };
    var y = function (v) { return T + (H - T - B) * (1 - v) / 2; };
    [-1, -0.5, 0, 0.5, 1].forEach(function (v) {
      el("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), "class": v === 0 ? "axis" : "grid"}, svg);
      el("text", {x: L - 6, y: y(v) + 4, "text-anchor": "end"}, svg).textContent = (v > 0 ? "+" : "") + v;
    });
    function draw(series, cls, label) {
      var byPeriod = {};
      series.forEach(function (s) { byPeriod[s.period] = s; });
      // A period without events breaks the line instead of bridging the gap.
      var d = "", pts = [], prev = -2;
      periods.forEach(function (p, i) {
        var s = byPeriod[p];
        if (!s || !(s.n > 0)) { return; }
        var pt = [x(i), y(s.net / s.n), s];
        d += (i === prev + 1 ? "L" : "M") + pt[0] + " " + pt[1];
        pts.push(pt);
        prev = i;
      });
      if (!pts.length) { return; }
      var path = el("path", {d: d, "class": cls}, svg);
      title(path, label);
      pts.forEach(function (p) {
        var dot = el("circle", {cx: p[0], cy: p[1], r: cls === "net" ? 3 : 5,
                                "class": cls === "net" ? "net-dot" : "net-dot cmp"}, svg);
        title(dot, label + " " + p[2].period + ": net " + fmt(p[2].net) + " of " + fmt(p[2].n) + " events");
      });
    }
    draw(rows, "net", "dateline");
    (comparison || []).forEach(function (c) { draw(c.series, "net cmp", c.origin); });
    xLabels(svg, periods, x, H - B);
    var legend = el("g", {transform: "translate(" + (W - R - 260) + ",4)"}, svg);
    el("line", {x1: 0, x2: 24, y1: 6, y2: 6, "class": "net"}, legend);
    el("text", {x: 30, y: 10}, legend).textContent = "dateline";
    (comparison || []).forEach(function (c, i) {
      el("line", {x1: 100 + i * 80, x2: 124 + i * 80, y1: 6, y2: 6, "class": "net cmp"}, legend);
      el("text", {x: 130 + i * 80, y: 10}, legend).textContent = c.origin;
    });
  }

  function drawMap(fig, points) {
    var svg = frame(fig, 360, 180);
    el("rect", {x: 0, y: 0, width: 360, height: 180, "class": "ocean"}, svg);
    var land = el("g", {"class": "countries"}, svg);
    var dots = el("g", {"class": "points"}, svg);
    var max = 1;
    (points || []).forEach(function (p) { max = Math.max(max, p.n); });
    (points || []).forEach(function (p) {
      var r = 0.7 + 4.5 * Math.sqrt(p.n / max);
      var c = el("circle", {cx: (p.lon + 180).toFixed(2), cy: (90 - p.lat).toFixed(2),
                            r: r.toFixed(2), "class": "point q" + (p.quad_class || 0)}, dots);
      title(c, (p.name || "?") + (p.country ? ", " + p.country : "") + ": " + fmt(p.n) + " events");
      c.addEventListener("click", function () {
        var q = new URLSearchParams(window.location.search);
        if (p.name) { q.set("place", p.name); }
        window.location.href = "/events?" + q.toString();
      });
    });
    fetch("/static/world-110m-1.json").then(function (r) { return r.json(); }).then(function (world) {
      world.countries.forEach(function (c) {
        var path = el("path", {d: c.d, "class": "land"}, land);
        title(path, c.name);
      });
      fig.setAttribute("data-ready", "1");
    }).catch(function () {
      // Leaving the page aborts the fetch; the points are drawn already, so stay quiet.
      fig.setAttribute("data-outline", "missing");
    });
  }

  function main() {
    var node = document.getElementById("page-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (fig) {
      var kind = fig.getAttribute("data-chart"), rows = data[fig.getAttribute("data-key")];
      if (kind === "quad-timeline") { quadTimeline(fig, rows); }
      else if (kind === "net-line") { netLine(fig, rows, data.comparison); }
      else if (kind === "map") { drawMap(fig, rows); }
      if (kind !== "map") { fig.setAttribute("data-ready", "1"); }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", main); }
  else { main(); }
})();
