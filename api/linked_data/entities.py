"""``/id/{kind}/{key}``: every instance IRI dereferenced, in five formats, with alternates and a kind 404."""

from __future__ import annotations

import difflib
import json
import zlib

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from rdflib.term import Literal
from starlette.concurrency import run_in_threadpool

from api.deps import GraphHandle
from api.linked_data import chart_data, render_html
from api.linked_data.common import (
    ENTITY_FORMATS,
    bad_iri,
    bad_request,
    context_url,
    frozen,
    graph,
    id_base,
    link_header,
    local_path,
    public_base,
    split_suffix,
)
from api.linked_data.describe import describe, kind_of
from api.linked_data.render_jsonld import document
from api.linked_data.render_rdf import serialize
from api.linked_data.vocab import vocab
from api.negotiation import HTML, JSONLD, Format, NotAcceptable, UnknownFormat, choose

router = APIRouter(tags=["Linked data"])

EXAMPLES = {
    "application/ld+json": {
        "example": {
            "@context": "http://127.0.0.1:8000/context.jsonld",
            "id": "https://w3id.org/asp-kg/id/session/22",
            "type": "RegularSession",
            "label": "22nd session of the Assembly of States Parties",
            "startDate": "2023-12-04",
            "endDate": "2023-12-14",
            "venue": {"id": "https://w3id.org/asp-kg/id/venue/un-hq-new-york", "label": "UN Headquarters"},
            "sources": [{"id": "https://w3id.org/asp-kg/id/source/cicc-asp22", "title": "ASP22"}],
            "resolutions": [
                {"id": "https://w3id.org/asp-kg/id/resolution/ICC-ASP/22/Res.3", "symbol": "ICC-ASP/22/Res.3"}
            ],
            "claims": [
                {
                    "id": "https://w3id.org/asp-kg/id/source/cicc-asp22",
                    "@graph": [{"id": "https://w3id.org/asp-kg/id/session/22", "endDate": "2023-12-14"}],
                }
            ],
        }
    },
    "text/turtle": {
        "example": 'id:session\\/22 a asp:RegularSession ;\n  asp:startDate "2023-12-04"^^xsd:date .'
    },
    "application/n-triples": {
        "example": '<https://w3id.org/asp-kg/id/session/22> <…#startDate> "2023-12-04"^^<…#date> .'
    },
    "application/rdf+xml": {"example": "<rdf:RDF>…</rdf:RDF>"},
    "text/html": {"example": "<!doctype html>…"},
}


def negotiate(
    request: Request, suffix: str | None, fmt: str | None, offered: tuple[Format, ...] = ENTITY_FORMATS
) -> Format | Response:
    try:
        return choose(request.headers.get("accept"), offered, suffix or fmt)
    except NotAcceptable as e:
        return JSONResponse(
            {"error": "not acceptable", "detail": str(e), "offered": [f.media_type for f in offered]},
            status_code=406,
            headers={"Vary": "Accept"},
        )
    except UnknownFormat as e:
        return JSONResponse({"error": "unknown format", "detail": str(e)}, status_code=400)


def entity_keys(handle: GraphHandle, base: str, kind: str) -> list[str]:
    """Keys of every subject of one kind, for 'did you mean' (computed once per graph version)."""
    cache_key = (handle.version, base, kind)
    known = handle.cache("keys", 64)
    keys = known.get(cache_key)
    if keys is None:
        prefix = base + kind + "/"
        q = "SELECT DISTINCT ?s ?prefix WHERE { ?s a ?type FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?prefix)) }"
        keys = sorted({str(row["s"])[len(prefix) :] for row in handle.repo.select(q, {"prefix": Literal(prefix)})})
        known.put(cache_key, keys)
    return keys


def not_found(request: Request, handle: GraphHandle, iri: str, fmt: Format) -> Response:
    base = id_base(request)
    kind, _ = kind_of(iri, base)
    key = iri[len(base) + len(kind) + 1 :]
    keys = entity_keys(handle, base, kind) if kind else []
    near = difflib.get_close_matches(key, keys, n=5, cutoff=0.6)
    if not near and key:
        near = [k for k in keys if k.lower() == key.lower() or k.lower().startswith(key.lower())][:5]
    suggestions = [
        {"iri": base + kind + "/" + k, "href": f"/id/{kind}/{k}", "text": f"{kind}/{k}"} for k in near
    ]
    message = f"The graph says nothing about <{iri}>." + (
        f" There are {len(keys)} entities of kind '{kind}'."
        if keys
        else f" No entity of kind '{kind}' exists; kinds look like state, session, organ, election, "
        "resolution, person, venue, source."
    )
    if fmt is HTML:
        html = render_html.render(
            "ld_message.html",
            title="Not found",
            message=message,
            suggestions=suggestions,
            links=[{"href": "/", "text": "Home"}],
            version=handle.version,
        )
        return HTMLResponse(html, status_code=404, headers={"Vary": "Accept"})
    body: dict[str, object] = {
        "error": "not found",
        "iri": iri,
        "detail": message,
        "suggestions": [s["iri"] for s in suggestions],
    }
    if kind:
        body["collection"] = (
            f"/{kind}s" if kind in ("state", "session", "organ", "election", "resolution", "person") else None
        )
    return JSONResponse(body, status_code=404, headers={"Vary": "Accept"})


def cache_key(request: Request, handle: GraphHandle, iri: str, fmt: Format) -> tuple:
    return (handle.version, iri, fmt.name, context_url(request) if fmt is JSONLD else "")


def render_entity(
    request: Request, handle: GraphHandle, iri: str, path: str, fmt: Format
) -> tuple[bytes, int]:
    """The document body and status, rendered and cached per (graph version, IRI, format, context URL)."""
    key = cache_key(request, handle, iri, fmt)
    documents = handle.cache("documents", 4096)
    hit = documents.get(key)
    if hit is not None:
        return hit
    ctx_url = context_url(request)
    desc = describe(handle.repo, iri, id_base(request))
    if desc is None:
        return b"", 404
    v = vocab(frozen(request, "context.jsonld"))  # the context the served version was built with
    if fmt is JSONLD:
        body = json.dumps(document(desc, ctx_url, v), ensure_ascii=False, separators=(",", ":")).encode()
    elif fmt is HTML:
        base = public_base(request)
        builder = render_html.PageBuilder(desc, base, render_html.Labels.get(handle), v)
        chart = chart_data.election_chart(desc)
        body = render_html.render(
            "ld_entity.html",
            title=render_html._label(desc.root),
            page=builder.page(path, chart),
            version=handle.version,
        ).encode()
    else:
        body = serialize(desc.triples(), fmt, id_base(request))
    documents.put(key, (body, 200))
    return body, 200


@router.api_route(
    "/id/{path:path}",
    methods=["GET"],
    summary="Dereference an instance IRI",
    description="Serves `https://w3id.org/asp-kg/id/{kind}/{key}` (the public base is configurable) as "
    "JSON-LD (default), Turtle, N-Triples, RDF/XML or HTML, chosen by `Accept` (q-values honoured), by a "
    "suffix (`.jsonld`, `.ttl`, `.nt`, `.rdf`, `.html`) or by `format=`. JSON-LD documents use the "
    "published `/context.jsonld`, embed related entities and list per-source `claims` (named graphs). "
    "Keys may contain slashes: `/id/resolution/ICC-ASP/22/Res.3`.",
    responses={
        200: {"content": EXAMPLES, "description": "The entity's description"},
        404: {"description": "Unknown entity, with suggestions of near keys"},
        406: {"description": "No offered format is acceptable"},
    },
)
async def entity(
    request: Request,
    path: str,
    format: str | None = Query(  # noqa: A002
        None, description="jsonld, turtle, ntriples, rdfxml or html", examples=["turtle"]
    ),
) -> Response:
    stem, suffix = split_suffix(path)
    chosen = negotiate(request, suffix, format)
    if isinstance(chosen, Response):
        return chosen
    iri = id_base(request) + stem
    problem = bad_iri(iri)
    if problem:
        return bad_request(f"/id/{stem} names no valid IRI: {problem}", request)
    local = local_path(iri, public_base(request)) or "/id/" + stem
    handle = graph(request)  # cheap: the repository knows its version without a round trip
    # a hit never leaves the event loop
    hit = handle.cache("documents", 4096).get(cache_key(request, handle, iri, chosen))
    body, status = hit or await run_in_threadpool(render_entity, request, handle, iri, local, chosen)
    if status == 404:
        return await run_in_threadpool(not_found, request, handle, iri, chosen)
    headers = {
        "Vary": "Accept",
        "Link": link_header(local, chosen) + f', <{iri}>; rel="canonical"',
        "ETag": f'"{handle.version}-{chosen.suffix}-{zlib.crc32(iri.encode()):x}"',
    }
    if not suffix:
        headers["Content-Location"] = f"{local}.{chosen.suffix}"
    if request.method == "HEAD":
        return Response(
            status_code=200,
            media_type=chosen.content_type,
            headers=headers | {"Content-Length": str(len(body))},
        )
    return Response(body, media_type=chosen.content_type, headers=headers)


router.add_api_route("/id/{path:path}", entity, methods=["HEAD"], include_in_schema=False)
