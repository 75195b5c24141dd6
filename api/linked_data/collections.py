"""Collection endpoints (``/states``, ``/sessions``, ...): filter, sort and page as Hydra partial collections.

Each kind's table (every entity of the class with all its facts) is read once per graph version; a
request then filters, sorts and pages it in Python, so no request value ever reaches a query text.
Members carry only true triples of the store (label, type and a few summary facts).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from rdflib.term import URIRef

from api.deps import GraphHandle, get_settings
from api.linked_data import render_html
from api.linked_data.common import context_url, current_graph, frozen, id_base, public_base
from api.linked_data.describe import RDF_TYPE, RDFS_LABEL, Description, Node, _literals
from api.linked_data.entities import negotiate
from api.linked_data.render_jsonld import node_json
from api.linked_data.vocab import vocab
from api.negotiation import HTML, JSONLD
from api.store.base import Repository
from graph.namespaces import ASP

router = APIRouter(tags=["Collections"])
A = str(ASP)
MAX_PAGE_SIZE = 500


def _first(node: Node, local: str) -> str | None:
    values = node.props.get(URIRef(A + local))
    return str(values[0]) if values else None


@dataclass
class Row:
    """One member with what filters and sorting need."""

    node: Node
    label: str
    year: int | None = None
    periods: list[tuple[str, str | None]] = field(default_factory=list)


KEY = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"  # a code or key as it appears in an IRI


@dataclass(frozen=True)
class Filter:
    name: str
    description: str
    example: str
    test: Callable[[Row, str, str], bool]  # (row, value, id_base) -> keep?
    options: tuple[str, ...] = ()
    pattern: str = KEY  # what a value must look like (a bad one is a 400, not a silent miss)
    expects: str = "a code such as the example"

    def invalid(self, value: str) -> str | None:
        """Why ``value`` is not acceptable, or None."""
        if not re.fullmatch(self.pattern, value):
            return f"{self.name}={value!r} is not valid: expected {self.expects} (e.g. {self.example})"
        if self.name == "party_on":
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"party_on={value!r} is not a real calendar date (YYYY-MM-DD)"
        return None


@dataclass(frozen=True)
class Spec:
    path: str
    title: str
    noun: str
    cls: str
    columns: tuple[str, ...]
    sorts: tuple[str, ...]
    filters: tuple[Filter, ...]
    example: str


def _obj_is(local: str, kind: str) -> Callable[[Row, str, str], bool]:
    def test(row: Row, value: str, base: str) -> bool:
        wanted = URIRef(base + kind + "/" + value)
        return wanted in row.node.props.get(URIRef(A + local), [])

    return test


def _party_on(row: Row, value: str, base: str) -> bool:
    return any(start <= value and (end is None or value < end) for start, end in row.periods)


def _year(row: Row, value: str, base: str) -> bool:
    return value.isdigit() and row.year == int(value)


def _session_kind(row: Row, value: str, base: str) -> bool:
    cls = {
        "regular": "RegularSession",
        "resumed": "ResumedSession",
        "special": "SpecialSession",
        "review-conference": "ReviewConference",
    }.get(value)
    return cls is not None and URIRef(A + cls) in row.node.props.get(RDF_TYPE, [])


def _text(row: Row, value: str, base: str) -> bool:
    return value.lower() in row.label.lower()


Q = Filter("q", "Words the label contains (case-insensitive).", "court", _text, pattern=r"[^\x00-\x1f]{1,200}",
           expects="up to 200 characters of text")
YEAR = Filter("year", "Year (of the date, or of the session's start).", "2023", _year, pattern=r"[0-9]{4}",
              expects="a year of four digits")
SPECS = {
    s.path: s
    for s in (
        Spec(
            "states",
            "States",
            "states",
            "State",
            ("isoAlpha3", "regionalGroup", "entryIntoForceDate", "withdrawalEffectiveDate", "partyNumber"),
            ("label", "isoAlpha3", "entryIntoForceDate", "partyNumber"),
            (
                Filter(
                    "party_on",
                    "Only states that were party on this date (YYYY-MM-DD).",
                    "2020-01-01",
                    _party_on,
                    pattern=r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
                    expects="a date YYYY-MM-DD",
                ),
                Filter(
                    "group",
                    "UN regional group code.",
                    "GRULAC",
                    _obj_is("regionalGroup", "regional-group"),
                    ("AFRICAN", "APG", "EEG", "GRULAC", "WEOG"),
                ),
                Q,
            ),
            "/states?party_on=2020-01-01&group=GRULAC",
        ),
        Spec(
            "sessions",
            "Sessions",
            "sessions",
            "Session",
            ("sessionNumber", "startDate", "endDate", "venue"),
            ("startDate", "label", "sessionNumber"),
            (
                Filter(
                    "kind",
                    "Kind of session.",
                    "regular",
                    _session_kind,
                    ("regular", "resumed", "special", "review-conference"),
                ),
                YEAR,
                Q,
            ),
            "/sessions?kind=regular",
        ),
        Spec(
            "organs",
            "Organs",
            "organs",
            "Organ",
            ("abbreviation", "organKind", "seatCount", "termYears"),
            ("label", "abbreviation"),
            (Filter("kind", "Organ kind code.", "committee", _obj_is("organKind", "organ-kind")), Q),
            "/organs?kind=committee",
        ),
        Spec(
            "elections",
            "Elections",
            "elections",
            "Election",
            ("electionKind", "session", "date", "seatsToFill", "roundCount"),
            ("year", "label", "date"),
            (
                Filter("kind", "Election kind code.", "judges", _obj_is("electionKind", "election-kind")),
                YEAR,
                Q,
            ),
            "/elections?kind=judges&year=2023",
        ),
        Spec(
            "resolutions",
            "Resolutions",
            "resolutions",
            "Resolution",
            ("symbol", "title", "adoptedAt", "adoptionDate"),
            ("symbol", "year", "adoptionDate"),
            (
                Filter("session", "Session key (22, 19-r2, rc-2010).", "22", _obj_is("adoptedAt", "session")),
                YEAR,
                Q,
            ),
            "/resolutions?session=22",
        ),
        Spec(
            "persons",
            "Persons",
            "persons",
            "Person",
            ("nationality",),
            ("label",),
            (
                Filter(
                    "nationality",
                    "ISO 3166-1 alpha-3 code of the nationality.",
                    "GBR",
                    _obj_is("nationality", "state"),
                ),
                Q,
            ),
            "/persons?nationality=GBR",
        ),
    )
}


def _table(handle: GraphHandle, spec: Spec, base: str) -> list[Row]:
    key = (handle.version, spec.path, base)
    tables = handle.cache("tables", 64)
    rows = tables.get(key)
    if rows is not None:
        return rows
    repo = handle.repo
    nodes: dict[URIRef, Node] = {}
    q = "SELECT ?cls ?e ?p ?o WHERE { ?e a ?cls . ?e ?p ?o }"
    found = repo.select(q, {"cls": URIRef(A + spec.cls)})
    for r in sorted(found, key=lambda r: (str(r["e"]), str(r["p"]), r["o"].n3())):  # engine-independent order
        e = r["e"]
        if isinstance(e, URIRef):
            nodes.setdefault(e, Node(e)).add(r["p"], r["o"])  # type: ignore[arg-type]
    starts = _session_starts(repo)
    periods: dict[URIRef, list[tuple[str, str | None]]] = {}
    if spec.path == "states":
        q = (
            f"SELECT ?e (MIN(?s) AS ?start) (MIN(?x) AS ?end) WHERE {{ ?e <{A}partyStatus> ?m . "
            f"?m <{A}startDate> ?s OPTIONAL {{ ?m <{A}endDate> ?x }} }} GROUP BY ?e ?m"
        )
        for r in repo.select(q):
            if "start" in r:
                periods.setdefault(r["e"], []).append(  # type: ignore[arg-type]
                    (str(r["start"]), str(r["end"]) if "end" in r else None)
                )
    rows = []
    for iri, node in nodes.items():
        labels = node.props.get(RDFS_LABEL)
        label = str(labels[0]) if labels else str(iri).rsplit("/", 1)[-1]
        rows.append(Row(node, label, _row_year(node, starts, str(iri), base), periods.get(iri, [])))
    tables.put(key, rows)
    return rows


def _session_starts(repo: Repository) -> dict[URIRef, str]:
    q = f"SELECT ?s (MIN(?d) AS ?start) WHERE {{ ?s a <{A}Session> ; <{A}startDate> ?d }} GROUP BY ?s"
    return {r["s"]: str(r["start"]) for r in repo.select(q)}  # type: ignore[misc]


def _row_year(node: Node, starts: dict, iri: str, base: str) -> int | None:
    for local in ("date", "adoptionDate", "startDate"):
        value = _first(node, local)
        if value and value[:4].isdigit():
            return int(value[:4])
    for local in ("session", "adoptedAt"):
        for s in node.props.get(URIRef(A + local), []):
            if s in starts and starts[s][:4].isdigit():
                return int(starts[s][:4])
    key = iri[len(base) :].split("/", 2)[-1]
    return int(key[:4]) if key[:4].isdigit() else None


def _sort_key(name: str) -> Callable[[Row], tuple]:
    def key(row: Row) -> tuple:
        if name == "label":
            value: object = row.label.lower()
        elif name == "year":
            value = row.year
        else:
            raw = _first(row.node, name)
            value = int(raw) if raw is not None and raw.lstrip("-").isdigit() else raw
        return (value is None, value if value is not None else 0, row.label.lower())

    return key


def _summary(row: Row, spec: Spec) -> Node:
    keep = {RDF_TYPE, RDFS_LABEL} | {URIRef(A + c) for c in spec.columns}
    node = Node(row.node.iri)
    node.props = {p: v for p, v in row.node.props.items() if p in keep}
    return node


def _url(request: Request, **changes: object) -> str:
    """This request's URL with ``changes`` applied (None removes a parameter); ``format`` is dropped."""
    params = {k: v for k, v in request.query_params.items() if k != "format"}
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = str(v)
    query = urlencode({k: v for k, v in params.items() if v != ""})
    return str(request.url.replace(query=query)) if query else str(request.url.replace(query=""))


@dataclass
class PageOf:
    """One page of a filtered, sorted collection, with what both renderings need."""

    members: list[Node]
    desc: Description  # labels of what the members link to
    total: int
    page: int
    pages: int
    sort: str
    next: str | None
    previous: str | None


def _problem(spec: Spec, sort: str, values: dict[str, str | None]) -> Response | None:
    """A 400 for a sort key or filter value this collection does not take."""
    if sort.lstrip("-") not in spec.sorts:
        return JSONResponse({"error": "bad sort",
                             "detail": f"sort by one of {', '.join(spec.sorts)} (prefix - for descending)"},
                            status_code=400)
    for f in spec.filters:
        value = (values.get(f.name) or "").strip()
        problem = f.invalid(value) if value else None
        if problem:
            return JSONResponse({"error": "bad filter", "detail": problem}, status_code=400)
    return None


def _select(request: Request, spec: Spec, handle: GraphHandle, values: dict[str, str | None], sort: str,
            page: int, size: int) -> PageOf:
    """Filter, sort (missing values last either way) and cut the page; the table is cached per version."""
    base = id_base(request)
    rows = _table(handle, spec, base)
    for f in spec.filters:
        value = (values.get(f.name) or "").strip()
        if value:
            rows = [r for r in rows if f.test(r, value, base)]
    key = _sort_key(sort.lstrip("-"))
    present = sorted((r for r in rows if not key(r)[0]), key=key, reverse=sort.startswith("-"))
    rows = present + sorted((r for r in rows if key(r)[0]), key=key)
    total = len(rows)
    pages = max(1, math.ceil(total / size))
    page = max(1, page)
    members = [_summary(r, spec) for r in rows[(page - 1) * size : page * size]]
    refs = {o for m in members for p, vs in m.props.items() if p != RDF_TYPE for o in vs if isinstance(o, URIRef)}
    desc = Description(root=Node(URIRef(base)), labels=_literals(handle.repo, refs, RDFS_LABEL), titles={},
                       claims={})
    return PageOf(members, desc, total, page, pages, sort,
                  _url(request, page=page + 1) if page < pages else None,
                  _url(request, page=min(page - 1, pages)) if page > 1 else None)


def _html(request: Request, spec: Spec, handle: GraphHandle, values: dict[str, str | None], got: PageOf) -> Response:
    builder = render_html.PageBuilder(got.desc, public_base(request), render_html.Labels.get(handle))
    cols = [URIRef(A + c) for c in spec.columns]
    table = [
        {
            "text": render_html._label(m),
            "href": builder.href(str(m.iri)),
            "cells": [[builder.value(o) for o in m.props.get(c, [])] for c in cols],
        }
        for m in got.members
    ]
    active = {k: v for k, v in values.items() if v}
    html = render_html.render(
        "ld_collection.html",
        title=spec.title,
        noun=spec.noun,
        total=got.total,
        rows=table,
        page=got.page,
        pages=got.pages,
        next=got.next,
        previous=got.previous,
        sort=got.sort,
        sorts=list(spec.sorts) + [f"-{s}" for s in spec.sorts],
        columns=[builder.prop(c)["label"] for c in cols],
        filters=[
            {"name": f.name, "label": f.name.replace("_", " "), "value": values.get(f.name), "example": f.example,
             "options": f.options}
            for f in spec.filters
        ],
        filters_text=", ".join(f"{k} = {v}" for k, v in active.items()),
        jsonld_href=_url(request, format="jsonld"),
        version=handle.version,
    )
    return HTMLResponse(html, headers={"Vary": "Accept"})


def _jsonld(request: Request, got: PageOf) -> Response:
    """A Hydra partial collection."""
    v = vocab(frozen(request, "context.jsonld"))
    view: dict[str, object] = {
        "id": _url(request, page=got.page),
        "type": "PartialCollectionView",
        "first": _url(request, page=1),
        "last": _url(request, page=got.pages),
    }
    if got.next:
        view["next"] = got.next
    if got.previous:
        view["previous"] = got.previous
    body = {
        "@context": context_url(request),
        "id": _url(request, page=None),
        "type": "Collection",
        "totalItems": got.total,
        "items": [node_json(m, got.desc, v) for m in got.members],
        "view": view,
    }
    return Response(
        json.dumps(body, ensure_ascii=False),
        media_type=JSONLD.content_type,
        headers={"Vary": "Accept", "Link": f'<{_url(request, format="html")}>; rel="alternate"; type="text/html"'},
    )


def collection(request: Request, spec: Spec, handle: GraphHandle, values: dict[str, str | None], sort: str | None,
               page: int, page_size: int | None, fmt: str | None) -> Response:
    """Negotiate, check the request, select the page, render it."""
    chosen = negotiate(request, None, fmt, (JSONLD, HTML))
    if isinstance(chosen, Response):
        return chosen
    sort = sort or spec.sorts[0]
    problem = _problem(spec, sort, values)
    if problem is not None:
        return problem
    size = max(1, min(page_size or get_settings(request).page_size, MAX_PAGE_SIZE))
    got = _select(request, spec, handle, values, sort, page, size)
    return _html(request, spec, handle, values, got) if chosen is HTML else _jsonld(request, got)


def _route(spec: Spec):
    params = {f.name: f for f in spec.filters}

    def endpoint(
        request: Request,
        handle: Annotated[GraphHandle, Depends(current_graph)],
        sort: str | None = Query(
            None,
            description="Sort key, `-` for descending: " + ", ".join(spec.sorts),
            examples=[spec.sorts[0]],
        ),
        page: int = Query(1, ge=1, description="Page number, from 1."),
        page_size: int | None = Query(None, ge=1, le=MAX_PAGE_SIZE, description="Members per page."),
        format: str | None = Query(None, description="jsonld or html"),  # noqa: A002
    ) -> Response:
        values = {name: request.query_params.get(name) for name in params}
        return collection(request, spec, handle, values, sort, page, page_size, format)

    doc = (
        "Filters: "
        + "; ".join(f"`{f.name}` — {f.description} (e.g. `{f.example}`)" for f in spec.filters)
        + f". Example: `{spec.example}`. JSON-LD responses are Hydra partial collections "
        "(`totalItems`, `items`, `view` with `first`/`last`/`next`/`previous`)."
    )
    extra = [
        {
            "name": f.name,
            "in": "query",
            "required": False,
            "description": f.description,
            "schema": {"type": "string", **({"enum": list(f.options)} if f.options else {})},
            "example": f.example,
        }
        for f in spec.filters
    ]
    example = {
        "@context": "http://127.0.0.1:8000/context.jsonld",
        "id": f"http://127.0.0.1:8000/{spec.path}",
        "type": "Collection",
        "totalItems": 1,
        "items": [{"id": f"https://w3id.org/asp-kg/id/{spec.path[:-1]}/…", "type": spec.cls, "label": "…"}],
        "view": {
            "id": f"http://127.0.0.1:8000/{spec.path}?page=1",
            "type": "PartialCollectionView",
            "first": f"http://127.0.0.1:8000/{spec.path}?page=1",
        },
    }
    router.add_api_route(
        f"/{spec.path}",
        endpoint,
        methods=["GET"],
        summary=f"List {spec.noun}",
        description=doc,
        name=f"list_{spec.path}",
        openapi_extra={"parameters": extra},
        responses={
            200: {"content": {"application/ld+json": {"example": example}, "text/html": {}}},
            400: {"description": "Unknown sort key"},
        },
    )


for _spec in SPECS.values():
    _route(_spec)
