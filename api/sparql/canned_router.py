"""``/queries``: the canned queries, with a form for people and results in every format.

``/queries/NAME`` takes the query's parameters from the URL (``?date=2024-02-01``), binds them through
substitutions and answers like ``/sparql``: by Accept, a ``format=`` value or a suffix
(``/queries/parties-on-date.csv``); for a browser, a form and a table of the results.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.negotiation import HTML, SPARQL_JSON, Format
from api.sparql.canned import BadParameter, CannedQuery, canned_queries
from api.sparql.errors import SparqlError, error_response
from api.sparql.page import query_page_url
from api.sparql.safety import analyse

router = APIRouter(tags=["Canned queries"])
SHOWN_ROWS = 500


def _render(**context) -> HTMLResponse:
    from api.linked_data import render_html

    return HTMLResponse(render_html.render("queries.html", version="", **context))


@router.get("/queries", summary="The canned queries (example questions with parameters)")
def list_queries(request: Request) -> Response:
    queries = list(canned_queries().values())
    if "text/html" in request.headers.get("accept", ""):
        return _render(title="Canned queries", query=None, queries=queries)
    return JSONResponse({"queries": [
        {"name": q.slug, "title": q.title, "href": f"/queries/{q.slug}",
         "parameters": [{"name": p.name, "kind": p.kind, "default": p.default, "help": p.help} for p in q.params]}
        for q in queries]})


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, suffix = name.rpartition(".")
    return (stem, suffix) if dot and stem in canned_queries() else (name, None)


@router.api_route("/queries/{name}", methods=["GET", "HEAD"], include_in_schema=False)
async def run_query(request: Request, name: str) -> Response:
    """One canned query (documented per query in the OpenAPI description, see api/openapi.py)."""
    from api.sparql.router import GRAPH_FORMATS, RESULT_FORMATS, _negotiate, evaluate, sparql_endpoint

    accept = request.headers.get("accept")
    slug, suffix = _split(name)
    query = canned_queries().get(slug)
    if query is None:
        return error_response(SparqlError(404, "not found", f"no canned query {slug!r}; see /queries"), accept)
    values = {k: v for k, v in request.query_params.items() if k in {p.name for p in query.params}}
    analysis = analyse(query.text)
    graph = analysis.form in ("CONSTRUCT", "DESCRIBE")
    offered = (*(GRAPH_FORMATS if graph else RESULT_FORMATS), HTML)
    explicit = tuple(v for v in (suffix, request.query_params.get("format")) if v)
    try:
        fmt = _negotiate(accept, offered, explicit, graph)
        bindings = query.bindings(values)
    except BadParameter as exc:
        return error_response(SparqlError(400, "bad parameter", str(exc)), accept)
    except SparqlError as exc:
        return error_response(exc, accept)
    if fmt is HTML:
        return await _page(request, query, values, offered, graph)
    try:
        return await evaluate(request, await sparql_endpoint(request), query.text, analysis, fmt, None, bindings)
    except SparqlError as exc:
        return error_response(exc, accept)


async def _page(request: Request, query: CannedQuery, values: dict[str, str], offered: tuple[Format, ...],
                graph: bool) -> Response:
    from api.linked_data.common import local_path, public_base
    from api.sparql.router import evaluate, sparql_endpoint

    params = [{"name": p.name, "help": p.help, "kind": p.kind, "value": values.get(p.name) or p.default}
              for p in query.params]
    qs = urlencode({p["name"]: p["value"] for p in params})
    formats = [{"label": f.suffix, "href": f"/queries/{query.slug}.{f.suffix}" + (f"?{qs}" if qs else "")}
               for f in offered if f is not HTML]
    context = {"title": query.title, "query": query, "params": params, "formats": formats,
               "editor": query_page_url(query.with_defaults), "head": None, "rows": [], "boolean": None,
               "truncated": False, "error": None, "queries": []}
    if not graph:
        try:
            bindings = query.bindings(values)
            response = await evaluate(request, await sparql_endpoint(request), query.text, analyse(query.text),
                                      SPARQL_JSON, None, bindings)
        except (SparqlError, BadParameter) as exc:
            context["error"] = getattr(exc, "detail", str(exc))
            return _render(**context)
        if response.status_code != 200:
            context["error"] = json.loads(bytes(response.body)).get("detail", "the query failed")
            return _render(**context)
        data = json.loads(bytes(response.body))
        if "boolean" in data:
            context["boolean"] = data["boolean"]
        else:
            base = public_base(request)
            head = data["head"]["vars"]
            rows = []
            for b in data["results"]["bindings"][:SHOWN_ROWS]:
                row = []
                for var in head:
                    cell = b.get(var)
                    text = cell["value"] if cell else ""
                    href = (local_path(text, base) or text) if cell and cell["type"] == "uri" else None
                    row.append({"text": text, "href": href})
                rows.append(row)
            context.update(head=head, rows=rows, truncated=len(data["results"]["bindings"]) > SHOWN_ROWS)
    return _render(**context)
