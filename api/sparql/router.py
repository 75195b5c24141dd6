"""The SPARQL endpoint as a router any FastAPI app can mount: ``SparqlRouter(repository, settings)``.

Protocol, safety checks, negotiation and the result cache live here; evaluation is the repository's
(the embedded worker pool or a remote engine). Cheap work happens inline on the event loop (a cache
hit never leaves it); anything that could block (a store lookup, lexing a very long query) goes to
a thread. The handlers are plain functions; each request gets its router's ``SparqlEndpoint``
through a dependency, so two routers over two repositories can live in one app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from api.deps import Mounted, Services, get_services
from api.negotiation import (
    CSV,
    HTML,
    JSONLD,
    NQUADS,
    NTRIPLES,
    RDFXML,
    SPARQL_JSON,
    SPARQL_XML,
    TRIG,
    TSV,
    TURTLE,
    Format,
    NotAcceptable,
    UnknownFormat,
    choose,
)
from api.sparql import assets
from api.sparql import service_description as sd
from api.sparql.cache import Entry, ResultCache, etag_for, etag_matches, make_key
from api.sparql.errors import SparqlError, error_response
from api.sparql.page import ASSETS_PATH, render_page
from api.sparql.protocol import DEFAULT_GRAPH_MARK, QueryRequest, read_request
from api.sparql.safety import Analysis, analyse, check
from api.store.base import ClientQuery, Complete, Repository, StoreUnavailable, Term
from graph.settings import Settings

RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS)
MAX_AGE = 300
LONG_QUERY = 4096
ALLOW = "GET, HEAD, POST, OPTIONS"

routes = APIRouter(tags=["SPARQL"])  # the route table; SparqlRouter mounts it with its endpoint


@dataclass
class SparqlEndpoint:
    """One endpoint over one repository: the result cache and service descriptions of the version
    served now (dropped when the version changes)."""

    repository: Repository
    settings: Settings
    cache: ResultCache = field(init=False)
    version: str | None = None
    descriptions: dict[tuple, bytes] = field(default_factory=dict)
    graphs: set[str] | None = None  # named graphs of the served version

    def __post_init__(self) -> None:
        self.cache = ResultCache(self.settings.cache_entries)

    def current_version(self) -> str:
        try:
            version = self.repository.version()
        except StoreUnavailable as e:
            raise SparqlError(503, "no graph", str(e), {"Retry-After": "60"}) from None
        if version != self.version:
            self.cache.clear()
            self.descriptions.clear()
            self.graphs = None
            self.version = version
        return version


async def sparql_endpoint(request: Request) -> SparqlEndpoint:
    """async: a plain-def dependency would cost a thread hop on every query."""
    return get_services(request).extras["sparql"]


Endpoint = Annotated[SparqlEndpoint, Depends(sparql_endpoint)]


# format=/output= values that clients send (SPARQLWrapper, Jena and Fuseki, Virtuoso conventions),
# by query form: "xml" is SPARQL XML results for SELECT/ASK but RDF/XML for CONSTRUCT/DESCRIBE.
FORMAT_ALIASES: dict[str, tuple[Format, Format | None]] = {  # alias -> (for results, for graphs)
    "xml": (SPARQL_XML, RDFXML), "json": (SPARQL_JSON, JSONLD), "csv": (CSV, None), "tsv": (TSV, None),
    "text": (TSV, NTRIPLES), "sparql-results+json": (SPARQL_JSON, None), "sparql-results+xml": (SPARQL_XML, None),
    "srj": (SPARQL_JSON, None), "srx": (SPARQL_XML, None), "rdf": (SPARQL_XML, RDFXML),
    "rdf+xml": (SPARQL_XML, RDFXML), "rdfxml": (SPARQL_XML, RDFXML), "application/rdf+xml": (SPARQL_XML, RDFXML),
    "n3": (SPARQL_JSON, TURTLE), "text/rdf+n3": (SPARQL_JSON, TURTLE), "text/n3": (SPARQL_JSON, TURTLE),
    "turtle": (SPARQL_JSON, TURTLE), "ttl": (SPARQL_JSON, TURTLE), "nt": (SPARQL_JSON, NTRIPLES),
    "ntriples": (SPARQL_JSON, NTRIPLES), "n-triples": (SPARQL_JSON, NTRIPLES), "json-ld": (SPARQL_JSON, JSONLD),
    "jsonld": (SPARQL_JSON, JSONLD), "html": (HTML, HTML), "trig": (SPARQL_JSON, TRIG), "nq": (SPARQL_JSON, NQUADS),
    "nquads": (SPARQL_JSON, NQUADS),
}


def _explicit(values: tuple[str, ...], offered: tuple[Format, ...], graph: bool) -> Format | None:
    """The first ``format=`` value we understand for this query form; None: decide by Accept."""
    for value in values:
        key = value.strip().lower()
        for f in offered:
            if key in (f.name, f.suffix, f.media_type) or key in f.aliases:
                return f
        pair = FORMAT_ALIASES.get(key) or FORMAT_ALIASES.get(key.removeprefix("application/"))
        if pair is not None:
            chosen = pair[1] if graph else pair[0]
            if chosen is not None and chosen in offered:
                return chosen
    return None


def _negotiate(accept: str | None, offered: tuple[Format, ...], explicit: tuple[str, ...] = (),
               graph: bool = False) -> Format:
    """``format=`` when we understand it, else the Accept header (an unknown alias is not an error)."""
    chosen = _explicit(explicit, offered, graph)
    if chosen is not None:
        return chosen
    try:
        return choose(accept, offered)
    except NotAcceptable as e:
        raise SparqlError(406, "not acceptable", str(e)) from None
    except UnknownFormat as e:
        raise SparqlError(400, "unknown format", str(e)) from None


@routes.api_route("/sparql", methods=["GET", "HEAD", "POST"], summary="SPARQL 1.1 query endpoint")
async def sparql(request: Request, ep: Endpoint) -> Response:
    """SPARQL 1.1 Protocol queries; without a query, the service description or the query page."""
    accept = request.headers.get("accept")
    try:
        req = await read_request(request, ep.settings.max_query_bytes)
        if req.query is None:
            return await _describe(request, ep, req, accept)
        return await _answer(request, ep, req, accept)
    except SparqlError as e:
        return error_response(e, accept)


@routes.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    """Other methods: 405 naming what is allowed (OPTIONS: just the list)."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    err = SparqlError(
        405, "method not allowed", "use GET or POST (this endpoint is read-only)", {"Allow": ALLOW}
    )
    return error_response(err, request.headers.get("accept"))


async def _answer(request: Request, ep: SparqlEndpoint, req: QueryRequest, accept: str | None) -> Response:
    query = req.query or ""
    if len(query) > LONG_QUERY:
        await run_in_threadpool(analyse, query)  # memoised: check() below is then instant
    analysis = check(query)
    offered = GRAPH_FORMATS if analysis.form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    if request.method != "POST":
        offered = (*offered, HTML)
    fmt = _negotiate(accept, offered, req.explicit_formats, analysis.form in ("CONSTRUCT", "DESCRIBE"))
    if fmt is HTML:
        return await render_page(ep.repository, ep.settings.public_base, request.url.path)
    if req.has_dataset:
        ep.current_version()
        await _check_graphs(ep, req)
    return await evaluate(request, ep, query, analysis, fmt, req)


async def evaluate(request: Request, ep: SparqlEndpoint, query: str, analysis: Analysis, fmt: Format,
                   req: QueryRequest | None = None, bindings: dict[str, Term] | None = None) -> Response:
    """Run a checked query through the repository (or answer from the cache) and make the response.

    Shared by ``/sparql`` and the canned queries of ``/queries``; ``bindings`` are bound by the
    repository (substitutions or a VALUES block), never spliced into the text by us."""
    version = ep.current_version()
    base = str(request.url.replace(query="", fragment=""))
    dataset = req.dataset_key if req is not None else ()
    bound = tuple(sorted((k, v.n3()) for k, v in (bindings or {}).items()))
    key = make_key(version, analysis.normalised, (dataset, base, bound), fmt.media_type)
    headers = {"Vary": "Accept"}
    cacheable = analysis.deterministic
    if cacheable:
        etag = etag_for(key)
        headers["ETag"] = etag
        headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        if request.method != "POST" and etag_matches(request.headers.get("if-none-match"), etag):
            return Response(status_code=304, headers=headers)
        entry = ep.cache.get(key)
        if entry is not None:
            headers["X-Cache"] = "hit"
            return Response(entry.body, headers=headers, media_type=fmt.content_type)
    else:
        headers["Cache-Control"] = "no-cache"
    has_dataset = req is not None and req.has_dataset
    job = ClientQuery(
        query=query,
        media_type=fmt.media_type,
        default_graphs=req.default_graphs if req is not None and has_dataset else None,
        named_graphs=req.named_graphs if req is not None and has_dataset else None,
        base_iri=base,
        bindings=bindings,
    )
    client = request.client.host if request.client else "-"
    result = await ep.repository.execute(job, request.is_disconnected, client)
    headers["X-Cache"] = "miss"
    if isinstance(result, Complete):
        if cacheable:
            ep.cache.put(key, Entry(result.body, headers["ETag"]))
        return Response(result.body, headers=headers, media_type=fmt.content_type)
    # A large result, already complete on disk: sent with its exact length, so a client that gets
    # fewer bytes knows the transfer broke.
    headers["Content-Length"] = str(result.size)
    return StreamingResponse(iterate_in_threadpool(result.chunks()), headers=headers, media_type=fmt.content_type,
                             background=BackgroundTask(result.close))


async def _check_graphs(ep: SparqlEndpoint, req: QueryRequest) -> None:
    """A graph named in default-graph-uri or named-graph-uri that the dataset does not hold is a
    mistake (a typo, another dataset's IRI): say so instead of answering from an empty graph."""
    if ep.graphs is None:
        ep.graphs = {str(g) for g in await run_in_threadpool(ep.repository.graphs)}
    unknown = [g for g in (*req.default_graphs, *req.named_graphs) if g != DEFAULT_GRAPH_MARK and g not in ep.graphs]
    if unknown:
        raise SparqlError(400, "unknown graph", f"this dataset has no graph <{unknown[0]}>; its graphs are listed "
                          "in the service description (GET /sparql without a query), and urn:x-rdflib:default "
                          "names the default graph")


async def _describe(request: Request, ep: SparqlEndpoint, req: QueryRequest, accept: str | None) -> Response:
    fmt = _negotiate(accept, (*sd.SD_FORMATS, HTML), req.explicit_formats, True)
    if fmt is HTML:
        return await render_page(ep.repository, ep.settings.public_base, request.url.path)
    version = ep.current_version()
    endpoint = str(request.url.replace(query="", fragment=""))
    key = (endpoint, fmt.media_type)
    body = ep.descriptions.get(key)
    if body is None:

        def build() -> bytes:
            graphs = [str(g) for g in ep.repository.graphs()]
            return sd.serialize(sd.describe(endpoint, graphs), fmt.media_type)

        body = await run_in_threadpool(build)
        ep.descriptions[key] = body
    headers = {
        "Vary": "Accept",
        "Cache-Control": f"public, max-age={MAX_AGE}",
        "ETag": etag_for(make_key(version, "service-description", (endpoint,), fmt.media_type)),
    }
    return Response(body, headers=headers, media_type=fmt.content_type)


@routes.get(ASSETS_PATH + "/{name}", include_in_schema=False)
async def asset(name: str, request: Request) -> Response:
    """The query page's script, style sheets and vendored editor (served here: the page must work offline)."""
    if name not in assets.FILES:
        return error_response(SparqlError(404, "not found", f"no asset {name!r}"), None)
    return assets.respond(await run_in_threadpool(assets.load, name), request)


class SparqlRouter(Mounted):
    """``/sparql`` (protocol, service description, query page), its assets and, unless
    ``canned=False``, the canned queries of ``/queries``: mount it in any FastAPI app."""

    def __init__(self, repository: Repository, settings: Settings, canned: bool = True, **kwargs: Any):
        from api.sparql.canned_router import router as canned_routes

        services = Services(repository, settings)
        services.extras["sparql"] = SparqlEndpoint(repository, settings)
        super().__init__(services, [routes, canned_routes] if canned else [routes], **kwargs)

