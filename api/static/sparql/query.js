// The SPARQL query page: a plain textarea editor, example questions, a results table whose IRIs
// link to the entity pages, downloads in every format and a shareable URL. No dependencies.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("config").textContent);
  var editor = document.getElementById("query");
  var statusEl = document.getElementById("status");
  var results = document.getElementById("results");
  var downloads = document.getElementById("downloads");
  var share = document.getElementById("share");
  var idBase = config.publicBase + "id/";
  var RESULT_FORMATS = [["json", "SPARQL JSON"], ["xml", "SPARQL XML"], ["csv", "CSV"], ["tsv", "TSV"]];
  var GRAPH_FORMATS = [["turtle", "Turtle"], ["ntriples", "N-Triples"], ["rdfxml", "RDF/XML"],
    ["jsonld", "JSON-LD"], ["trig", "TriG"], ["nquads", "N-Quads"]];

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // Where an IRI should lead: our own entities to this server's /id/... pages.
  function href(iri) {
    return iri.indexOf(idBase) === 0 ? "/id/" + iri.substring(idBase.length) : iri;
  }

  // The query form, for the Accept header and the download formats: IRIs, strings and comments
  // are removed first, so a '#' inside an IRI is not taken for a comment.
  function queryForm(q) {
    var body = q.replace(/<[^<>"{}|^`\\\s]*>/g, " ")
      .replace(/"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, " ")
      .replace(/#[^\n]*/g, " ");
    var m = /(?:^|[^\w?$:])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])/i.exec(body);
    return m ? m[1].toUpperCase() : "SELECT";
  }

  function queryUrl(q, format) {
    var params = new URLSearchParams({query: q});
    if (format) { params.set("format", format); }
    return config.endpoint + "?" + params.toString();
  }

  function termCell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      td.appendChild(el("a", {href: href(term.value), title: term.value}, term.value));
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
      td.className = "bnode";
    } else {
      td.textContent = term.value;
      var note = term["xml:lang"] ? "@" + term["xml:lang"] : "";
      if (term.datatype) { note = term.datatype.replace(/^.*[#\/]/, ""); }
      if (note) { td.appendChild(el("span", {"class": "dt"}, " " + note)); }
    }
    return td;
  }

  function showSelect(data) {
    var vars = data.head.vars || [];
    var table = el("table", {id: "result-table"});
    var head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", {}, v)); });
    table.appendChild(el("thead")).appendChild(head);
    var tbody = table.appendChild(el("tbody"));
    data.results.bindings.forEach(function (b) {
      var tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(termCell(b[v])); });
      tbody.appendChild(tr);
    });
    results.appendChild(table);
    return data.results.bindings.length + " rows";
  }

  // N-Triples are simple enough to split into a subject/predicate/object table.
  function ntTerm(text) {
    text = text.trim();
    if (text[0] === "<") { return {type: "uri", value: text.slice(1, -1)}; }
    if (text.slice(0, 2) === "_:") { return {type: "bnode", value: text.slice(2)}; }
    var m = /^"((?:[^"\\]|\\.)*)"(.*)$/.exec(text);
    if (!m) { return {type: "literal", value: text}; }
    var value = JSON.parse('"' + m[1] + '"');
    var rest = m[2];
    if (rest.slice(0, 3) === "^^<") { return {type: "literal", value: value, datatype: rest.slice(3, -1)}; }
    if (rest[0] === "@") { return {type: "literal", value: value, "xml:lang": rest.slice(1)}; }
    return {type: "literal", value: value};
  }

  function showTriples(text) {
    var table = el("table", {id: "result-table"});
    var head = el("tr");
    ["subject", "predicate", "object"].forEach(function (v) { head.appendChild(el("th", {}, v)); });
    table.appendChild(el("thead")).appendChild(head);
    var tbody = table.appendChild(el("tbody"));
    var re = /^(<[^>]*>|_:\S+)\s+(<[^>]*>)\s+(.*)\s+\.\s*$/;
    var n = 0;
    text.split("\n").forEach(function (line) {
      var m = re.exec(line);
      if (!m) { return; }
      var tr = el("tr");
      [m[1], m[2], m[3]].forEach(function (t) { tr.appendChild(termCell(ntTerm(t))); });
      tbody.appendChild(tr);
      n += 1;
    });
    results.appendChild(table);
    return n + " triples";
  }

  function showDownloads(q, form) {
    downloads.textContent = "";
    var formats = (form === "CONSTRUCT" || form === "DESCRIBE") ? GRAPH_FORMATS : RESULT_FORMATS;
    downloads.appendChild(document.createTextNode("Download: "));
    formats.forEach(function (f) {
      var a = el("a", {href: queryUrl(q, f[0]), download: "result." + f[0], "class": "download",
        "data-format": f[0]}, f[1]);
      downloads.appendChild(a);
      downloads.appendChild(document.createTextNode(" "));
    });
  }

  function fail(text) {
    var detail = text;
    try { var e = JSON.parse(text); detail = e.error + ": " + e.detail; } catch (ignored) { /* text */ }
    results.appendChild(el("pre", {"class": "error", id: "error"}, detail));
    return "error";
  }

  function run() {
    var q = editor.value;
    var form = queryForm(q);
    var graph = form === "CONSTRUCT" || form === "DESCRIBE";
    var accept = graph ? "application/n-triples" : "application/sparql-results+json";
    var shareUrl = location.origin + queryUrl(q);
    share.value = shareUrl;
    history.replaceState(null, "", queryUrl(q));
    results.textContent = "";
    statusEl.textContent = "running…";
    var started = performance.now();
    var request = q.length < 1800
      ? fetch(queryUrl(q), {headers: {Accept: accept}})
      : fetch(config.endpoint, {method: "POST", headers: {Accept: accept,
        "Content-Type": "application/x-www-form-urlencoded"}, body: new URLSearchParams({query: q})});
    request.then(function (response) {
      return response.text().then(function (text) {
        var took = Math.round(performance.now() - started) + " ms";
        var summary;
        if (!response.ok) {
          summary = fail(text);
        } else if (graph) {
          summary = showTriples(text);
        } else {
          var data = JSON.parse(text);
          if (typeof data.boolean === "boolean") {
            results.appendChild(el("p", {id: "boolean", "class": "boolean"}, data.boolean ? "true" : "false"));
            summary = "ASK";
          } else {
            summary = showSelect(data);
          }
        }
        statusEl.textContent = summary + " · " + took;
        showDownloads(q, form);
      });
    }).catch(function (err) {
      statusEl.textContent = "";
      fail(String(err));
    });
  }

  function load(query, autorun) {
    editor.value = query;
    if (autorun) { run(); }
  }

  var list = document.getElementById("example-list");
  config.examples.forEach(function (ex) {
    var li = el("li");
    var a = el("a", {href: queryUrl(ex.query), "data-example": ex.slug}, ex.title);
    a.addEventListener("click", function (event) {
      event.preventDefault();
      load(ex.query, true);
    });
    li.appendChild(a);
    list.appendChild(li);
  });

  document.getElementById("query-form").addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    } else if (event.key === "Tab") {
      event.preventDefault();
      var s = editor.selectionStart;
      editor.value = editor.value.slice(0, s) + "  " + editor.value.slice(editor.selectionEnd);
      editor.selectionStart = editor.selectionEnd = s + 2;
    }
  });

  var initial = new URLSearchParams(location.search).get("query");
  if (initial) {
    load(initial, true);
  } else {
    load(config.prologue + "\nSELECT ?class (COUNT(?s) AS ?instances) WHERE {\n  ?s a ?class .\n}" +
      "\nGROUP BY ?class ORDER BY DESC(?instances) LIMIT 25\n", false);
  }
}());
