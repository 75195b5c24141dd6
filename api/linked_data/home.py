"""``/``: what the dataset is, how big (VoID from the metadata graph), how to cite it, where everything is.

Also the charts as standalone SVG files and a small page per named graph, so every link on the
pages resolves.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from markupsafe import Markup
from rdflib.term import Literal, URIRef

from api.deps import GraphHandle
from api.linked_data import chart_data, render_html
from api.linked_data.common import bad_iri, bad_request, context_url, current_graph, id_base, public_base
from api.linked_data.describe import describe
from api.linked_data.entities import negotiate
from api.linked_data.files import dump_files
from api.linked_data.render_jsonld import document
from api.negotiation import HTML, JSONLD
from graph.namespaces import METADATA_GRAPH, VOID

router = APIRouter(tags=["Home"])
STATS = [
    ("triples", "triples"),
    ("entities", "typed entities"),
    ("distinctSubjects", "subjects"),
    ("properties", "properties"),
    ("classes", "classes"),
]


def void_stats(handle: GraphHandle, dataset: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for q in handle.repo.match([URIRef(dataset)], graph=URIRef(METADATA_GRAPH)):
        if isinstance(q.object, Literal):
            out.setdefault(str(q.predicate), str(q.object))
    return out


def citation(meta: dict[str, str], version: str, base: str) -> str:
    title = meta.get("http://purl.org/dc/terms/title", "ASP Knowledge Graph")
    creator = meta.get("http://purl.org/dc/terms/creator", "ASP Knowledge Graph developers")
    year = (
        meta.get("http://purl.org/dc/terms/modified")
        or meta.get("http://purl.org/dc/terms/issued")
        or str(date.today().year)
    )[:4]
    return f"{creator} ({year}). {title}, graph version {version}. {base} . Licensed under CC BY 4.0."


@router.api_route(
    "/",
    methods=["GET"],
    summary="Home page: the dataset, its size, how to cite it",
    description="HTML for browsers; JSON-LD (the VoID description of the dataset) for "
    "`Accept: application/ld+json`.",
    responses={
        200: {
            "content": {
                "text/html": {},
                "application/ld+json": {
                    "example": {
                        "id": "https://w3id.org/asp-kg/dataset",
                        "type": "void:Dataset",
                        "void:triples": 12345,
                    }
                },
            }
        }
    },
)
def home(request: Request, handle: Annotated[GraphHandle, Depends(current_graph)]) -> Response:
    chosen = negotiate(request, None, None, (HTML, JSONLD))
    if isinstance(chosen, Response):
        return chosen
    base = public_base(request)
    dataset = base + "dataset"
    if chosen is JSONLD:
        desc = describe(handle.repo, dataset, id_base(request))
        body = (
            document(desc, context_url(request))
            if desc
            else {"@context": context_url(request), "id": dataset}
        )
        return Response(
            json.dumps(body, ensure_ascii=False), media_type=JSONLD.content_type, headers={"Vary": "Accept"}
        )
    meta = void_stats(handle, dataset)
    stats = [
        {"label": label, "value": f"{int(meta[str(VOID) + key]):,}"}
        for key, label in STATS
        if str(VOID) + key in meta and meta[str(VOID) + key].isdigit()
    ]
    svgs = chart_data.home_charts(handle, base)
    charts = {k: Markup(v) for k, v in svgs.items()}  # noqa: S704 - our own SVG, its text escaped
    html = render_html.render(
        "ld_home.html",
        title="Home",
        stats=stats,
        charts=charts,
        dumps=dump_files(request),
        citation=citation(meta, handle.version, base),
        version=handle.version,
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})


@router.get(
    "/charts/{name}.svg",
    summary="A dataset chart as SVG",
    description="`states-parties` (number of States Parties over time), `sessions` (timeline), "
    "`budgets` (approved budget per year).",
    responses={200: {"content": {"image/svg+xml": {}}}, 404: {"description": "No such chart"}},
)
def chart(name: str, request: Request, handle: Annotated[GraphHandle, Depends(current_graph)]) -> Response:
    charts = chart_data.home_charts(handle, public_base(request))
    if name not in charts:
        return JSONResponse({"error": "not found", "charts": sorted(charts)}, status_code=404)
    return Response(charts[name], media_type="image/svg+xml")


@router.get("/graph/{name}", summary="A named graph of the dataset", include_in_schema=False)
def named_graph(name: str, request: Request, handle: Annotated[GraphHandle, Depends(current_graph)]) -> Response:
    if name == "ontology":
        return RedirectResponse("/ontology", status_code=303)
    iri = public_base(request) + "graph/" + name
    problem = bad_iri(iri)
    if problem:
        return bad_request(f"/graph/{name} names no valid graph IRI: {problem}", request)
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    rows = handle.repo.select(q, {"g": URIRef(iri)})
    count = int(str(rows[0]["n"])) if rows else 0
    if not count:
        return HTMLResponse(
            render_html.render(
                "ld_message.html",
                title="Not found",
                message=f"There is no named graph <{iri}>.",
                version=handle.version,
            ),
            status_code=404,
        )
    from urllib.parse import quote

    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100"
    return HTMLResponse(
        render_html.render(
            "ld_message.html",
            title=f"Named graph {name}",
            version=handle.version,
            message=f"The named graph <{iri}> holds {count:,} triples.",
            links=[
                {"href": "/sparql?query=" + quote(query, safe=""), "text": "Query it with SPARQL"},
                {"href": "/", "text": "Home"},
            ],
        )
    )


router.add_api_route("/", home, methods=["HEAD"], include_in_schema=False)
