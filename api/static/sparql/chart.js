// A chart view for YASR's result area: bar, line and timeline charts drawn as SVG from a SELECT
// result's numbers and dates. No charting service and no network: YASR's own chart plugin loads
// Google Charts from a CDN, which this page must never do.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort",
    "unsignedByte"].map(function (n) { return XSD + n; });
  var DATES = ["date", "dateTime", "dateTimeStamp", "gYear", "gYearMonth"].map(function (n) { return XSD + n; });
  var MAX_ITEMS = 400;
  var ALL = "*";  // the line chart's "every numeric column" choice
  // What each chart needs: roles, in order, with the column kinds each role accepts.
  var TYPES = {
    bar: {label: "Bar", roles: [["label", ["label", "date", "number"]], ["value", ["number"]]]},
    line: {label: "Line", roles: [["x", ["date", "number"]], ["y", ["number"]]]},
    timeline: {label: "Timeline", roles: [["label", ["label", "number", "date"]], ["start", ["date"]],
      ["end", ["date", "none"]]]}
  };

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function termKind(term) {
    if (term.type === "literal" || term.type === "typed-literal") {
      if (NUMERIC.indexOf(term.datatype) >= 0) { return "number"; }
      if (DATES.indexOf(term.datatype) >= 0 && !isNaN(toTime(term.value))) { return "date"; }
    }
    return "label";
  }

  // A column's kind is the kind all its bound values share; a column with mixed kinds is a label.
  function columnKinds(vars, bindings) {
    var kinds = {};
    vars.forEach(function (v) {
      var kind = null;
      for (var i = 0; i < bindings.length; i++) {
        var term = bindings[i][v];
        if (!term) { continue; }
        var k = termKind(term);
        if (kind === null) { kind = k; } else if (kind !== k) { kind = "label"; break; }
      }
      kinds[v] = kind || "label";
    });
    return kinds;
  }

  // Milliseconds since 1970 for xsd:date, dateTime, gYear and gYearMonth values (UTC, day precision).
  function toTime(value) {
    var m = /^(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?/.exec(value);
    if (!m) { return NaN; }
    return Date.UTC(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
  }

  function numeric(term, kind) {
    if (!term) { return NaN; }
    return kind === "date" ? toTime(term.value) : Number(term.value);
  }

  function shortText(term, prefixes) {
    if (!term) { return ""; }
    if (term.type === "uri") {
      for (var p in prefixes) {
        if (prefixes[p] && term.value.indexOf(prefixes[p]) === 0) { return p + ":" + term.value.slice(prefixes[p].length); }
      }
      return term.value;
    }
    return term.value;
  }

  // Round tick values covering [lo, hi]: 1, 2 or 5 times a power of ten.
  function ticks(lo, hi, count) {
    if (!(hi > lo)) { return [lo]; }
    var raw = (hi - lo) / count;
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (f) { return f * power; }).filter(function (s) { return s >= raw; })[0];
    var out = [];
    for (var t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) { out.push(Number(t.toPrecision(12))); }
    return out;
  }

  function yearTicks(lo, hi, count) {
    var y0 = new Date(lo).getUTCFullYear(), y1 = new Date(hi).getUTCFullYear() + 1;
    var step = Math.max(1, Math.ceil((y1 - y0) / count));
    var out = [];
    for (var y = Math.ceil(y0 / step) * step; y <= y1; y += step) {
      var t = Date.UTC(y, 0, 1);
      if (t >= lo && t <= hi) { out.push(t); }
    }
    return out;
  }

  function formatNumber(n) {
    if (Number.isInteger(n) && Math.abs(n) < 10000) { return String(n); }
    return Math.abs(n) >= 1e6 ? (n / 1e6).toLocaleString("en", {maximumFractionDigits: 2}) + "M"
      : n.toLocaleString("en", {maximumFractionDigits: 2});
  }

  function formatTick(t, kind) {
    return kind === "date" ? String(new Date(t).getUTCFullYear()) : formatNumber(t);
  }

  function scale(lo, hi, a, b) {
    var span = hi - lo || 1;
    return function (v) { return a + (v - lo) / span * (b - a); };
  }

  function clip(text, chars) {
    return text.length > chars ? text.slice(0, Math.max(1, chars - 1)) + "…" : text;
  }

  function ChartPlugin(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
    this.helpReference = undefined;
    this.svgEl = null;
  }

  ChartPlugin.prototype.data = function () {
    var results = this.yasr.results;
    if (!results || results.hasError()) { return null; }
    var vars = results.getVariables ? results.getVariables() : [];
    var bindings = results.getBindings ? results.getBindings() : null;
    if (!vars || !vars.length || !bindings || !bindings.length) { return null; }
    var iris = {};
    vars.forEach(function (v) {
      iris[v] = bindings.every(function (b) { return !b[v] || b[v].type === "uri"; });
    });
    return {vars: vars, bindings: bindings, kinds: columnKinds(vars, bindings), iris: iris};
  };

  // Pick a column for each role of a chart type; null when the result has none that fits.
  function assign(type, data, wanted) {
    var used = {}, roles = {};
    for (var i = 0; i < TYPES[type].roles.length; i++) {
      var role = TYPES[type].roles[i][0], accepts = TYPES[type].roles[i][1];
      var fits = data.vars.filter(function (v) { return accepts.indexOf(data.kinds[v]) >= 0; });
      if (role === "y" && wanted && wanted.y === ALL && fits.length) { roles.y = ALL; continue; }
      var free = fits.filter(function (v) { return !used[v]; });
      if (role === "label") {  // a name reads better than an IRI
        free.sort(function (a, b) { return (data.iris[a] ? 1 : 0) - (data.iris[b] ? 1 : 0); });
      }
      var choice = wanted && wanted[role] && fits.indexOf(wanted[role]) >= 0 ? wanted[role] : free[0];
      if (!choice) {
        if (accepts.indexOf("none") >= 0) { roles[role] = null; continue; }
        return null;
      }
      used[choice] = true;
      roles[role] = choice;
    }
    return roles;
  }

  function possibleTypes(data) {
    return Object.keys(TYPES).filter(function (t) { return assign(t, data) !== null; });
  }

  // The chart a reader most likely wants: spans of dates as a timeline, a series over time as a
  // line, amounts per item as bars.
  function defaultType(data) {
    var kinds = data.vars.map(function (v) { return data.kinds[v]; });
    var dates = kinds.filter(function (k) { return k === "date"; }).length;
    var numbers = kinds.filter(function (k) { return k === "number"; }).length;
    if (dates >= 2) { return "timeline"; }
    if (dates >= 1 && numbers >= 1) { return "line"; }
    if (numbers >= 1 && kinds.indexOf("label") >= 0) { return "bar"; }
    if (numbers >= 2) { return "line"; }
    return possibleTypes(data)[0] || null;
  }

  ChartPlugin.prototype.canHandleResults = function () {
    var data = this.data();
    return !!data && possibleTypes(data).length > 0;
  };

  ChartPlugin.prototype.getIcon = function () {
    var icon = el("div", {"class": "chart-icon", "aria-hidden": "true"});
    var s = svg("svg", {viewBox: "0 0 16 16", width: "16", height: "16"});
    [[1, 9, 3, 6], [6, 4, 3, 11], [11, 7, 3, 8]].forEach(function (r) {
      s.appendChild(svg("rect", {x: r[0], y: r[1], width: r[2], height: r[3], fill: "currentColor"}));
    });
    icon.appendChild(s);
    return icon;
  };

  ChartPlugin.prototype.draw = function (persistent) {
    var data = this.data();
    var root = this.yasr.resultsEl;
    var wrap = el("div", {"class": "chart-view"});
    root.appendChild(wrap);
    if (!data) { return; }
    var state = persistent && persistent.type && TYPES[persistent.type] ? persistent : {type: defaultType(data), roles: {}};
    if (!assign(state.type, data, state.roles)) { state = {type: defaultType(data), roles: {}}; }
    var roles = assign(state.type, data, state.roles);
    var self = this;
    wrap.appendChild(this.controls(data, state, roles, function (next) {
      self.yasr.storePluginConfig("chart", next);
      root.textContent = "";
      self.draw(next);
    }));
    var width = Math.max(280, Math.min(root.clientWidth || 800, 1400));
    var chart = {bar: this.bar, line: this.line, timeline: this.timeline}[state.type].call(this, data, roles, width);
    this.svgEl = chart;
    wrap.appendChild(chart);
  };

  ChartPlugin.prototype.controls = function (data, state, roles, redraw) {
    var bar = el("div", {"class": "chart-controls"});
    var typeLabel = el("label", {}, "Chart ");
    var typeSelect = el("select", {"data-role": "type"});
    possibleTypes(data).forEach(function (t) {
      var o = el("option", {value: t}, TYPES[t].label);
      if (t === state.type) { o.selected = true; }
      typeSelect.appendChild(o);
    });
    typeSelect.addEventListener("change", function () { redraw({type: typeSelect.value, roles: {}}); });
    typeLabel.appendChild(typeSelect);
    bar.appendChild(typeLabel);
    TYPES[state.type].roles.forEach(function (spec) {
      var role = spec[0], accepts = spec[1];
      var label = el("label", {}, " " + role + " ");
      var select = el("select", {"data-role": role});
      if (accepts.indexOf("none") >= 0) { select.appendChild(el("option", {value: ""}, "(none)")); }
      if (role === "y") {
        var all = el("option", {value: ALL}, "(every numeric column)");
        if (roles.y === ALL) { all.selected = true; }
        select.appendChild(all);
      }
      data.vars.forEach(function (v) {
        if (accepts.indexOf(data.kinds[v]) < 0) { return; }
        var o = el("option", {value: v}, "?" + v);
        if (roles[role] === v) { o.selected = true; }
        select.appendChild(o);
      });
      select.addEventListener("change", function () {
        var next = {type: state.type, roles: Object.assign({}, roles)};
        next.roles[role] = select.value || null;
        redraw(next);
      });
      label.appendChild(select);
      bar.appendChild(label);
    });
    return bar;
  };

  function frame(width, height, title) {
    var s = svg("svg", {"class": "yasr-chart", viewBox: "0 0 " + width + " " + height, width: "100%",
      role: "img", "aria-label": title});
    s.appendChild(svg("title", {}, title));
    return s;
  }

  function note(s, x, y, text) {
    s.appendChild(svg("text", {x: x, y: y, "class": "chart-note"}, text));
  }

  // One horizontal bar per row: long labels stay readable and the chart grows downwards.
  ChartPlugin.prototype.bar = function (data, roles, width) {
    var prefixes = this.yasr.getPrefixes();
    var rows = data.bindings.filter(function (b) { return !isNaN(numeric(b[roles.value], "number")); });
    var shown = rows.slice(0, MAX_ITEMS);
    var values = shown.map(function (b) { return Number(b[roles.value].value); });
    var lo = Math.min(0, Math.min.apply(null, values)), hi = Math.max(0, Math.max.apply(null, values));
    var labelChars = Math.max(8, Math.min(40, Math.floor(width * 0.35 / 7)));
    var left = labelChars * 7 + 8, right = 50, top = 24, rowH = 18;
    var height = top + shown.length * rowH + 30;
    var s = frame(width, height, "?" + roles.value + " by ?" + roles.label);
    var x = scale(lo, hi, left, width - right);
    ticks(lo, hi, Math.max(2, Math.floor((width - left - right) / 90))).forEach(function (t) {
      s.appendChild(svg("line", {x1: x(t), x2: x(t), y1: top - 4, y2: height - 26, "class": "chart-grid"}));
      s.appendChild(svg("text", {x: x(t), y: height - 10, "text-anchor": "middle", "class": "chart-tick"}, formatNumber(t)));
    });
    shown.forEach(function (b, i) {
      var v = values[i], y = top + i * rowH;
      var name = shortText(b[roles.label], prefixes);
      var g = svg("g", {"class": "chart-bar"});
      g.appendChild(svg("title", {}, name + ": " + b[roles.value].value));
      g.appendChild(svg("text", {x: left - 6, y: y + rowH * 0.7, "text-anchor": "end", "class": "chart-label"}, clip(name, labelChars)));
      g.appendChild(svg("rect", {x: Math.min(x(0), x(v)), y: y + 2, width: Math.max(1, Math.abs(x(v) - x(0))), height: rowH - 4}));
      g.appendChild(svg("text", {x: Math.max(x(0), x(v)) + 4, y: y + rowH * 0.7, "class": "chart-value"}, formatNumber(v)));
      s.appendChild(g);
    });
    if (rows.length > shown.length) { note(s, left, 14, "first " + shown.length + " of " + rows.length + " rows"); }
    return s;
  };

  // A series per numeric column over a date or number axis, sorted by x.
  ChartPlugin.prototype.line = function (data, roles, width) {
    var xKind = data.kinds[roles.x];
    var series = roles.y === ALL ? data.vars.filter(function (v) { return v !== roles.x && data.kinds[v] === "number"; })
      : [roles.y];
    var points = data.bindings.map(function (b) { return {x: numeric(b[roles.x], xKind), b: b}; })
      .filter(function (p) { return !isNaN(p.x); }).sort(function (a, b) { return a.x - b.x; });
    var ys = [];
    points.forEach(function (p) { series.forEach(function (v) { var n = numeric(p.b[v], "number"); if (!isNaN(n)) { ys.push(n); } }); });
    var height = 320, left = 64, right = 20, top = 30, bottom = 40;
    var s = frame(width, height, series.map(function (v) { return "?" + v; }).join(", ") + " over ?" + roles.x);
    if (!points.length || !ys.length) { note(s, left, top, "no numeric values to draw"); return s; }
    var x0 = points[0].x, x1 = points[points.length - 1].x;
    var y0 = Math.min(0, Math.min.apply(null, ys)), y1 = Math.max.apply(null, ys);
    var x = scale(x0, x1, left, width - right), y = scale(y0, y1, height - bottom, top);
    var count = Math.max(2, Math.floor((width - left - right) / 80));
    (xKind === "date" ? yearTicks(x0, x1, count) : ticks(x0, x1, count)).forEach(function (t) {
      s.appendChild(svg("line", {x1: x(t), x2: x(t), y1: top, y2: height - bottom, "class": "chart-grid"}));
      s.appendChild(svg("text", {x: x(t), y: height - bottom + 16, "text-anchor": "middle", "class": "chart-tick"}, formatTick(t, xKind)));
    });
    ticks(y0, y1, 5).forEach(function (t) {
      s.appendChild(svg("line", {x1: left, x2: width - right, y1: y(t), y2: y(t), "class": "chart-grid"}));
      s.appendChild(svg("text", {x: left - 6, y: y(t) + 4, "text-anchor": "end", "class": "chart-tick"}, formatNumber(t)));
    });
    series.forEach(function (v, k) {
      var pts = points.filter(function (p) { return !isNaN(numeric(p.b[v], "number")); });
      var g = svg("g", {"class": "chart-series series-" + (k % 6)});
      g.appendChild(svg("polyline", {points: pts.map(function (p) { return x(p.x).toFixed(1) + "," + y(Number(p.b[v].value)).toFixed(1); }).join(" ")}));
      pts.slice(0, MAX_ITEMS).forEach(function (p) {
        var c = svg("circle", {cx: x(p.x).toFixed(1), cy: y(Number(p.b[v].value)).toFixed(1), r: 3});
        c.appendChild(svg("title", {}, p.b[roles.x].value + ": " + p.b[v].value));
        g.appendChild(c);
      });
      s.appendChild(g);
      s.appendChild(svg("text", {x: left + 8 + k * 140, y: 16, "class": "chart-legend series-" + (k % 6)}, "— ?" + v));
    });
    return s;
  };

  // A span per row from start to end date (a dot where the end is unknown), on a time axis.
  ChartPlugin.prototype.timeline = function (data, roles, width) {
    var prefixes = this.yasr.getPrefixes();
    var rows = data.bindings.map(function (b) {
      var a = numeric(b[roles.start], "date"), e = roles.end ? numeric(b[roles.end], "date") : NaN;
      return {b: b, start: a, end: isNaN(e) ? a : Math.max(a, e)};
    }).filter(function (r) { return !isNaN(r.start); }).sort(function (a, b) { return a.start - b.start; });
    var shown = rows.slice(0, MAX_ITEMS);
    var labelChars = Math.max(8, Math.min(32, Math.floor(width * 0.3 / 7)));
    var left = labelChars * 7 + 8, right = 20, top = 24, rowH = 16;
    var height = top + shown.length * rowH + 30;
    var s = frame(width, height, "?" + roles.label + " from ?" + roles.start + (roles.end ? " to ?" + roles.end : ""));
    if (!shown.length) { note(s, left, top, "no dates to draw"); return s; }
    var t0 = Math.min.apply(null, shown.map(function (r) { return r.start; }));
    var t1 = Math.max.apply(null, shown.map(function (r) { return r.end; }));
    var x = scale(t0, t1 === t0 ? t0 + 864e5 : t1, left, width - right);
    yearTicks(t0, t1, Math.max(2, Math.floor((width - left - right) / 60))).forEach(function (t) {
      s.appendChild(svg("line", {x1: x(t), x2: x(t), y1: top - 4, y2: height - 26, "class": "chart-grid"}));
      s.appendChild(svg("text", {x: x(t), y: height - 10, "text-anchor": "middle", "class": "chart-tick"}, formatTick(t, "date")));
    });
    shown.forEach(function (r, i) {
      var y = top + i * rowH, name = shortText(r.b[roles.label], prefixes);
      var g = svg("g", {"class": "chart-span"});
      var span = r.b[roles.start].value + (roles.end && r.b[roles.end] ? " – " + r.b[roles.end].value : "");
      g.appendChild(svg("title", {}, name + ": " + span));
      g.appendChild(svg("text", {x: left - 6, y: y + rowH * 0.75, "text-anchor": "end", "class": "chart-label"}, clip(name, labelChars)));
      if (r.end > r.start) {
        g.appendChild(svg("rect", {x: x(r.start), y: y + 2, width: Math.max(2, x(r.end) - x(r.start)), height: rowH - 4}));
      } else {
        g.appendChild(svg("circle", {cx: x(r.start), cy: y + rowH / 2, r: 4}));
      }
      s.appendChild(g);
    });
    if (rows.length > shown.length) { note(s, left, 14, "first " + shown.length + " of " + rows.length + " rows"); }
    return s;
  };

  ChartPlugin.prototype.download = function () {
    var chart = this.svgEl;
    if (!chart) { return undefined; }
    return {
      contentType: "image/svg+xml",
      getData: function () { return new XMLSerializer().serializeToString(chart); },
      filename: "chart.svg",
      title: "Download the chart (SVG)"
    };
  };

  ChartPlugin.prototype.destroy = function () { this.svgEl = null; };

  window.AspChartPlugin = ChartPlugin;
  if (window.Yasgui && window.Yasgui.Yasr) { window.Yasgui.Yasr.registerPlugin("chart", ChartPlugin); }
}());
