// The SPARQL query page: YASQE (editor) and YASR (result views) from the vendored YASGUI bundle,
// wired to this endpoint only. Completion reads our prefixes and terms from the page, never LOV or
// prefix.cc; the URL holds the query (shareable, and the browser's history); recent queries are
// kept in this browser; our entity IRIs link to this server's pages.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var Yasqe = window.Yasgui.Yasqe;
  var Yasr = window.Yasgui.Yasr;
  var statusEl = document.getElementById("status");
  var downloads = document.getElementById("downloads");
  var share = document.getElementById("share");
  var idBase = config.publicBase + "id/";
  var RECENT_KEY = "aspkg.recent-queries";
  var RECENT_MAX = 15;
  var RESULT_FORMATS = [["json", "SPARQL JSON"], ["xml", "SPARQL XML"], ["csv", "CSV"], ["tsv", "TSV"]];
  var GRAPH_FORMATS = [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["rdfxml", "RDF/XML"],
    ["jsonld", "JSON-LD"], ["trig", "TriG"], ["nquads", "N-Quads"]];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function queryUrl(q, format) {
    var params = new URLSearchParams({query: q});
    if (format) { params.set("format", format); }
    return config.endpoint + "?" + params.toString();
  }

  // ---- completion from our own vocabulary ----------------------------------------------------
  var labels = {};
  function termList(kind) {
    return (config.terms[kind] || []).map(function (t) {
      if (t[1]) { labels[t[0]] = t[1]; }
      return t[0];
    });
  }

  function expand(yasqe, text) {
    if (text.charAt(0) === "<") { return text.slice(1, -1); }
    var colon = text.indexOf(":");
    var ns = yasqe.getPrefixesFromQuery()[text.slice(0, colon)] || config.prefixes[text.slice(0, colon)];
    return ns ? ns + text.slice(colon + 1) : text;
  }

  function withLabels(yasqe, hints) {
    hints.forEach(function (h) {
      var label = labels[expand(yasqe, h.text)];
      if (label) { h.displayText = h.text + "  — " + label; }
    });
    return hints;
  }

  function localTerms(name, kind) {
    var base = Yasqe.Autocompleters[name];
    Yasqe.registerAutocompleter(Object.assign({}, base, {
      get: termList(kind), bulk: true, autoShow: true, persistenceId: undefined, postprocessHints: withLabels
    }));
  }

  var bundledPrefixes = Yasqe.Autocompleters.prefixes;
  Yasqe.registerAutocompleter(Object.assign({}, bundledPrefixes, {
    persistenceId: undefined,
    get: function (yasqe) {
      var ours = Object.keys(config.prefixes).map(function (p) { return p + ": <" + config.prefixes[p] + ">"; });
      return Promise.resolve(bundledPrefixes.get(yasqe)).then(function (list) {
        return ours.concat((list || []).filter(function (s) { return !(s.split(":")[0] in config.prefixes); }));
      });
    }
  }));
  localTerms("class", "class");
  localTerms("property", "property");

  // ---- editor and result views ---------------------------------------------------------------
  var params = new URLSearchParams(location.search);
  var initial = params.get("query") || (config.prologue + "\nSELECT ?class (COUNT(?s) AS ?instances) WHERE {\n" +
    "  ?s a ?class .\n}\nGROUP BY ?class ORDER BY DESC(?instances) LIMIT 25\n");

  var yasqe = new Yasqe(document.getElementById("editor"), {
    value: initial,
    persistenceId: null,
    consumeShareLink: null,
    prefixCcApi: null,
    resizeable: true,
    editorHeight: "22rem",
    createShareableLink: function (y) { return location.origin + queryUrl(y.getValue()); },
    requestConfig: {
      endpoint: location.origin + config.endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle"
    }
  });

  // YASR's table renders every cell of every row as sanitised HTML at start-up (for type detection
  // and column widths): 9 s for 20,000 rows. Only the visible page needs HTML; sorting, filtering
  // and type detection get the plain value (a number for numeric columns), and widths come from CSS.
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|(non)?(Positive|Negative)Integer|nonNegativeInteger|unsigned(Int|Long|Short|Byte))$/;
  var BaseTable = Yasr.plugins.table;
  class PagedTable extends BaseTable {
    constructor(yasr) {
      super(yasr);
      var table = Object.assign({}, BaseTable.defaults.tableConfig, {autoWidth: false, pageLength: config.pageSize});
      this.config = Object.assign({}, BaseTable.defaults, {tableConfig: table});
    }
    getColumns() {
      var bindings = (this.yasr.results && this.yasr.results.getBindings()) || [];
      return super.getColumns().map(function (column, i) {
        if (i === 0) { return column; }
        var numeric = bindings.length > 0 && bindings.every(function (b) {
          var t = b[column.name];
          return !t || (t.type !== "uri" && NUMERIC.test(t.datatype || ""));
        });
        var display = column.render;
        column.type = numeric ? "num" : "string";
        column.render = function (data, type, row, meta) {
          if (type === "display") { return display(data, type, row, meta); }
          if (data === "" || data === undefined) { return numeric && type === "sort" ? -Infinity : ""; }
          return numeric && type !== "filter" ? Number(data.value) : data.value;
        };
        return column;
      });
    }
  }
  Yasr.registerPlugin("table", PagedTable);

  function renderError(error) {
    var text = error.text || error.statusText || "the query failed";
    try {
      var body = JSON.parse(text);
      text = body.error + (body.detail ? ": " + body.detail : "");
    } catch (ignored) { /* plain text */ }
    var pre = el("pre", {id: "error", "class": "error"}, text);
    return Promise.resolve(pre);
  }

  var yasr = new Yasr(document.getElementById("results"), {
    persistenceId: null,
    prefixes: function () { return Object.assign({}, config.prefixes, yasqe.getPrefixesFromQuery()); },
    pluginOrder: ["table", "chart", "response"],
    defaultPlugin: "table",
    errorRenderers: [renderError],
    getPlainQueryLinkToEndpoint: function () { return queryUrl(yasqe.getValue()); }
  });

  // Our entity IRIs lead to this server's pages (the table draws pages lazily, so watch it).
  function localLinks(root) {
    root.querySelectorAll("a[href^='" + idBase + "']").forEach(function (a) {
      a.setAttribute("title", a.getAttribute("href"));
      a.setAttribute("href", "/id/" + a.getAttribute("href").slice(idBase.length));
    });
  }
  new MutationObserver(function () { localLinks(yasr.resultsEl); })
    .observe(yasr.resultsEl, {childList: true, subtree: true});

  // ---- downloads, share URL, history ---------------------------------------------------------
  function showDownloads(q, form) {
    downloads.textContent = "";
    if (form === "UNKNOWN") { return; }
    var formats = (form === "CONSTRUCT" || form === "DESCRIBE") ? GRAPH_FORMATS : RESULT_FORMATS;
    downloads.appendChild(document.createTextNode("Download: "));
    formats.forEach(function (f) {
      downloads.appendChild(el("a", {href: queryUrl(q, f[0]), download: "result." + f[0], "class": "download",
        "data-format": f[0]}, f[1]));
      downloads.appendChild(document.createTextNode(" "));
    });
  }

  function recent() {
    try { return JSON.parse(localStorage.getItem(RECENT_KEY) || "[]"); } catch (ignored) { return []; }
  }

  function remember(q) {
    var list = recent().filter(function (x) { return x !== q; });
    list.unshift(q);
    try { localStorage.setItem(RECENT_KEY, JSON.stringify(list.slice(0, RECENT_MAX))); } catch (ignored) { /* full */ }
    drawRecent();
  }

  function drawRecent() {
    var ol = document.getElementById("recent-list");
    ol.textContent = "";
    recent().forEach(function (q) {
      var body = q.replace(/^\s*(PREFIX|BASE)\b[^\n]*\n/gim, "").trim();
      var a = el("a", {href: queryUrl(q), title: body}, body.slice(0, 80) + (body.length > 80 ? "…" : ""));
      a.addEventListener("click", function (event) { event.preventDefault(); load(q, true); });
      ol.appendChild(el("li")).appendChild(a);
    });
  }

  var pending = null;
  yasqe.on("query", function (y) {
    var q = y.getValue();
    pending = {query: q, form: y.getQueryType()};
    share.value = location.origin + queryUrl(q);
    if (new URLSearchParams(location.search).get("query") !== q) { history.pushState({query: q}, "", queryUrl(q)); }
    remember(q);
    statusEl.textContent = "running…";
    downloads.textContent = "";
  });

  yasqe.on("queryResponse", function (y, response, duration) {
    yasr.setResponse(response, duration);
    var results = yasr.results;
    var summary;
    if (!results || results.hasError()) {
      summary = "error";
    } else if (typeof results.getBoolean() === "boolean") {
      summary = "ASK: " + results.getBoolean();
    } else {
      var rows = results.getBindings() || [];
      var graph = pending && (pending.form === "CONSTRUCT" || pending.form === "DESCRIBE");
      summary = rows.length.toLocaleString("en") + (graph ? " triples" : " rows");
    }
    statusEl.textContent = summary + " · " + Math.round(duration) + " ms";
    if (pending && summary !== "error") { showDownloads(pending.query, pending.form); }
  });

  function run() { yasqe.query().catch(function () { /* shown by the error view */ }); }
  document.getElementById("run").addEventListener("click", run);

  function load(q, autorun) {
    yasqe.setValue(q);
    if (autorun) { run(); }
  }

  window.addEventListener("popstate", function () {
    var q = new URLSearchParams(location.search).get("query");
    if (q && q !== yasqe.getValue()) { yasqe.setValue(q); run(); }
  });

  // ---- example questions ---------------------------------------------------------------------
  var list = document.getElementById("example-list");
  config.examples.forEach(function (ex) {
    var a = el("a", {href: queryUrl(ex.query), "data-example": ex.slug}, ex.title);
    a.addEventListener("click", function (event) {
      event.preventDefault();
      load(ex.query, true);
      if (window.matchMedia("(max-width: 900px)").matches) { document.getElementById("work").scrollIntoView(); }
    });
    list.appendChild(el("li")).appendChild(a);
  });

  drawRecent();
  share.value = location.origin + queryUrl(yasqe.getValue());
  // For tests and bench/query_page_bench.py: the parts, and YASR's stock table as the baseline.
  window.aspQueryPage = {
    yasqe: yasqe, yasr: yasr, run: run,
    useStockTable: function () { yasr.plugins.table = new BaseTable(yasr); }
  };
  if (params.get("query")) { run(); }
}());
