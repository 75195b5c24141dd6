"""The OpenAPI description, completed with what every route really answers.

FastAPI documents a route's 200 from its return annotation and its 422 from parameter validation;
our routes also answer in other formats (by content negotiation) and with documented errors (400,
404, 406, 413, 414, 429, 503), in JSON by default, or text or HTML when the client asks for them.
This module adds those once, for every route, so a client generated from ``/openapi.json`` (or a
schema-driven test such as schemathesis) meets no undocumented status or content type.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["error"],
}
ERROR_TYPES = ("application/json", "text/plain", "text/html")
ERRORS = {
    "400": "The request is malformed or refused: a syntax error in the query, an update or SERVICE, an unknown "
           "graph, a bad filter value, an invalid IRI path",
    "404": "Nothing by that name",
    "405": "A method the route does not allow",
    "406": "None of the formats the route offers is acceptable",
    "413": "The query or the result is larger than this endpoint allows",
    "414": "The request target is too long: send the query with POST",
    "415": "A request body of a media type the endpoint does not read",
    "429": "This client has too many queries waiting or running; see Retry-After",
    "503": "No graph is built yet, the query hit its deadline, or the endpoint is busy; see Retry-After",
}
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json",
             "application/trig", "application/n-quads")
SPARQL_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", *RDF_TYPES, "text/html")
SUCCESS_TYPES: dict[str, tuple[str, ...]] = {
    "/sparql": SPARQL_TYPES,
    "/queries": ("application/json", "text/html"),
    "/ontology.{suffix}": (*RDF_TYPES, "text/html"),
    "/shapes/{name}": ("text/turtle",),
    "/shapes": ("text/html", "application/json"),
    "/dumps": ("text/html", "application/json"),
    "/dumps/{name}": RDF_TYPES,
}


def _content(types: tuple[str, ...], schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {t: {"schema": schema or ({"type": "string"} if not t.endswith("json") else {})} for t in types}


def canned_paths() -> dict[str, Any]:
    """One documented path per canned query (``/queries/NAME``), with its parameters."""
    from api.sparql.canned import KINDS, canned_queries

    paths: dict[str, Any] = {}
    for q in canned_queries().values():
        parameters = [{"name": p.name, "in": "query", "required": False,
                       "description": f"{p.help} ({KINDS[p.kind]}; default {p.default})",
                       "schema": {"type": "string", "example": p.default}} for p in q.params]
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "csv, tsv, json, xml (results) or ttl, nt, jsonld, rdfxml (graphs); "
                                          "otherwise by Accept", "schema": {"type": "string"}})
        paths[f"/queries/{q.slug}"] = {"get": {"tags": ["Canned queries"], "summary": q.title,
                                               "operationId": f"canned_{q.slug.replace('-', '_')}",
                                               "parameters": parameters, "responses": {}}}
    return paths


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("paths", {}).update(canned_paths())
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            ok = responses.setdefault("200", {"description": "Successful Response"})
            if path in SUCCESS_TYPES or path.startswith("/queries/"):
                ok["content"] = _content(SUCCESS_TYPES.get(path, SPARQL_TYPES))
            for code, description in ERRORS.items():
                entry = responses.setdefault(code, {"description": description})
                entry["content"] = _content(ERROR_TYPES, ERROR_SCHEMA)
                for media in ("text/plain", "text/html"):
                    entry["content"][media] = {"schema": {"type": "string"}}
            if "304" not in responses and path in ("/sparql", "/id/{path}"):
                responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)"}
    return schema


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` with the completed description (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
