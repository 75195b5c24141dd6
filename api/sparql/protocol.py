"""Reading a SPARQL 1.1 Protocol query request (GET, form POST, direct POST) into one shape.

The protocol's error cases are decided here: several ``query`` parameters (400), a body that is
neither form-encoded nor ``application/sparql-query`` (415), updates (400), oversized input (413).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import Request

from api.iri import iri_problem
from api.sparql.errors import SparqlError

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
# rdflib's Dataset(store=SPARQLStore(...)) names the default graph with this marker
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"
DEFAULT_GRAPH_MARK = "urn:x-aspkg:default-graph"  # internal: "the store's default graph" (see worker.py)


@dataclass(frozen=True)
class QueryRequest:
    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    explicit_formats: tuple[str, ...] = ()  # every format=/output= value, in order

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)

    @property
    def dataset_key(self) -> tuple:
        return (self.default_graphs, self.named_graphs)


def _refuse_update() -> SparqlError:
    # 400, not 403: the common clients (SPARQLWrapper, rdflib) show a 400's body to the user, and only
    # the status line of a 403
    return SparqlError(
        400, "update refused", "this endpoint is read-only: SPARQL Update operations are not accepted"
    )


def _too_large(max_bytes: int) -> SparqlError:
    return SparqlError(
        413, "request too large", f"queries and request bodies are limited to {max_bytes} bytes"
    )


async def _read_body(request: Request, max_bytes: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise _too_large(max_bytes)
    return bytes(body)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError(400, "bad encoding", "the request body must be UTF-8") from None


def _build(params: list[tuple[str, str]], direct_query: str | None, max_bytes: int) -> QueryRequest:
    names = [k for k, _ in params]
    if "update" in names:
        raise _refuse_update()
    queries = [v for k, v in params if k == "query"]
    if direct_query is not None:
        queries.insert(0, direct_query)
    if len(queries) > 1:
        raise SparqlError(400, "several queries", "give exactly one query (the request had several)")
    query = queries[0] if queries else None
    if query is not None and len(query.encode("utf-8")) > max_bytes:
        raise _too_large(max_bytes)
    dg = tuple(v for k, v in params if k == "default-graph-uri")
    ng = tuple(v for k, v in params if k == "named-graph-uri")
    for iri in dg + ng:
        problem = iri_problem(iri)
        if problem:
            raise SparqlError(400, "bad graph IRI", f"{iri[:200]!r} names no graph: {problem}")
    dg = tuple(DEFAULT_GRAPH_MARK if g == RDFLIB_DEFAULT_GRAPH else g for g in dg)
    formats = tuple(v for k, v in params if k in ("format", "output", "results"))
    return QueryRequest(query, dg, ng, formats)


async def read_request(request: Request, max_bytes: int) -> QueryRequest:
    """The query request carried by ``request``; raises :class:`SparqlError` on protocol errors."""
    raw_qs = request.scope.get("query_string", b"")
    if len(raw_qs) > 3 * max_bytes:
        raise _too_large(max_bytes)
    if raw_qs.isascii():  # the usual case: Starlette's parse (which FastAPI has already made) is ours
        url_params = request.query_params.multi_items()
    else:  # raw non-ASCII bytes: read as UTF-8, where Starlette would read Latin-1
        url_params = parse_qsl(raw_qs.decode("utf-8", "replace"), keep_blank_values=True)
    if request.method in ("GET", "HEAD"):
        return _build(url_params, None, max_bytes)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == UPDATE:
        raise _refuse_update()
    if media == FORM:
        body = _decode(await _read_body(request, max_bytes))
        params = parse_qsl(body, keep_blank_values=True)
        built = _build(url_params + params, None, max_bytes)
        if built.query is None:
            raise SparqlError(400, "missing query", "the form has no `query` field")
        return built
    if media == DIRECT:
        body = _decode(await _read_body(request, max_bytes))
        return _build(url_params, body, max_bytes)
    raise SparqlError(
        415,
        "unsupported media type",
        f"POST a body of type {FORM} (with a `query` field) or {DIRECT}; got {media or 'none'!r}",
    )
