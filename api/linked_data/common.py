"""Shared by the linked-data routes: the public-base mapping, the graph dependency, the document cache."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import HTTPException, Request, Response

from api.deps import GraphHandle, get_graph, get_settings
from api.iri import iri_problem
from api.negotiation import HTML, JSONLD, NTRIPLES, RDFXML, TURTLE, Format
from api.store.base import StoreUnavailable
from graph.version_files import CONTEXT_FILE, ONTOLOGY_DIR, SHAPES_DIR

ENTITY_FORMATS: tuple[Format, ...] = (JSONLD, TURTLE, NTRIPLES, RDFXML, HTML)
SUFFIXES = {f.suffix: f for f in ENTITY_FORMATS}


def public_base(request: Request) -> str:
    base = get_settings(request).public_base
    return base if base.endswith("/") else base + "/"


def id_base(request: Request) -> str:
    return public_base(request) + "id/"


def local_path(iri: str, base: str) -> str | None:
    """The server path serving ``iri`` (``/id/state/UKR``), or None when it is not ours."""
    if not iri.startswith(base):
        return None
    rest = iri[len(base) :]
    if rest.startswith("graph/"):
        rest = "graph/" + quote(rest[len("graph/") :], safe="/")
    return "/" + quote(rest, safe="/#.-_~:")


def context_url(request: Request) -> str:
    return str(request.base_url) + "context.jsonld"


def graph(request: Request) -> GraphHandle:
    """The published graph, or 503 with a hint when none has been built yet."""
    try:
        return get_graph(request)
    except StoreUnavailable as e:
        raise HTTPException(503, detail=str(e), headers={"Retry-After": "60"}) from None


async def current_graph(request: Request) -> GraphHandle:
    """``graph`` as a dependency: async, so FastAPI does not spend a thread hop on it (the remote
    repository's version is cached and revalidated in the background, so this never waits)."""
    return graph(request)


def version_folder(request: Request) -> Path | None:
    """The served version's folder on this machine (dumps, docs, frozen definitions), if any."""
    try:
        return get_graph(request).files()
    except StoreUnavailable:
        return None


def frozen(request: Request, name: str) -> Path:
    """``ontology``, ``shapes`` or ``context.jsonld`` as the served version was built with (see
    graph/version_files.py); the checkout's own when this machine has no copy of the version."""
    folder = version_folder(request)
    copy = folder / "files" / name if folder is not None else None
    if copy is not None and copy.exists():
        return copy
    return {"ontology": ONTOLOGY_DIR, "shapes": SHAPES_DIR, "context.jsonld": CONTEXT_FILE}[name]


def split_suffix(path: str) -> tuple[str, str | None]:
    """``state/UKR.ttl`` -> (``state/UKR``, ``ttl``); keys such as ``Res.3`` keep their dot."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in SUFFIXES and stem:
        return stem, suffix
    return path, None


def link_header(path: str, current: Format, formats: tuple[Format, ...] = ENTITY_FORMATS) -> str:
    """``Link`` to the other formats of the resource at ``path``, readable by the JSON-LD loaders.

    pyld's and jsonld.js's document loaders read ``rel="alternate"`` as a single link (pyld fails on
    a list), and JSON-LD 1.1 uses it to point from another format to the JSON-LD document. So there
    is exactly one ``alternate``: the JSON-LD document (or, from the JSON-LD document, the HTML page);
    every other format is listed with the relation ``alternate-format`` (an extension relation
    type, a URI of ours), with its media type, as Datasette lists each format."""
    main = HTML if current is JSONLD else JSONLD
    links = []
    for f in formats:
        if f is current:
            continue
        rel = "alternate" if f is main else ALTERNATE_FORMAT
        links.append(f'<{quote(path, safe="/:.-_~")}.{f.suffix}>; rel="{rel}"; type="{f.media_type}"')
    return ", ".join(links)


ALTERNATE_FORMAT = "https://w3id.org/asp-kg/ontology#alternateFormat"


def bad_iri(iri: str) -> str | None:
    """Why ``iri`` is not a valid IRI (a space, ``<``, ``>``, ``{``, a control character...), or None."""
    return iri_problem(iri)


def bad_request(detail: str, request: Request) -> Response:
    """A 400 in the form the client reads: HTML for a browser, JSON otherwise."""
    from fastapi.responses import HTMLResponse, JSONResponse

    accept = request.headers.get("accept", "")
    if "text/html" in accept and "json" not in accept:
        from api.linked_data import render_html

        page = render_html.render("ld_message.html", title="Bad request", message=detail, version="")
        return HTMLResponse(page, status_code=400)
    return JSONResponse({"error": "bad request", "detail": detail}, status_code=400)
