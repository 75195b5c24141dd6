"""``/context.jsonld``: the published, stable JSON-LD @context every document refers to."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request, Response

from api.linked_data.common import frozen

router = APIRouter(tags=["Linked data"])


@cache
def _body(path: Path, mtime: float) -> bytes:
    return path.read_bytes()


@router.api_route(
    "/context.jsonld",
    methods=["GET", "HEAD"],
    summary="The JSON-LD @context",
    description="Short keys (`label`, `startDate`, `session`, ...) with typed dates, decimals and "
    "integers; reverse keys (`resolutions`, `rounds`, ...) nest related entities; "
    "`claims` is `@included` and holds each source graph's statements.",
    responses={
        200: {
            "content": {
                "application/ld+json": {
                    "example": {
                        "@context": {
                            "label": {"@id": "rdfs:label"},
                            "startDate": {"@id": "asp:startDate", "@type": "xsd:date"},
                        }
                    }
                }
            }
        }
    },
)
def context(request: Request) -> Response:
    path = frozen(request, "context.jsonld")  # the served version's, so documents and context agree
    return Response(
        _body(path, path.stat().st_mtime),
        media_type="application/ld+json",
        headers={"Cache-Control": "public, max-age=86400", "Access-Control-Allow-Origin": "*"},
    )
