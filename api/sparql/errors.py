"""Errors of the endpoint and their HTTP form: JSON ``{"error", "detail"}`` unless text was asked for."""

from __future__ import annotations

import json

from fastapi import Response

from api.negotiation import Format, NotAcceptable, choose

_JSON = Format("json", "application/json", "json")
_TEXT = Format("text", "text/plain", "txt")
_HTML = Format("html", "text/html", "html")


class SparqlError(Exception):
    """Any failure answered with an HTTP error: ``status``, short ``error`` and a helpful ``detail``."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}


def too_many_queries(running: int, per_client: int) -> SparqlError:
    """The 429 a client gets for one query more than its share (embedded pool and remote relay alike)."""
    return SparqlError(
        429, "too many queries",
        f"this client already has {running} queries waiting or running; this endpoint "
        f"evaluates at most {per_client} at a time per client: wait for an answer, then retry",
        {"Retry-After": "2"},
    )


def error_response(exc: SparqlError, accept: str | None) -> Response:
    """JSON by default; plain text when the client prefers text (a browser gets text, not JSON)."""
    try:
        chosen = choose(accept, (_JSON, _TEXT, _HTML))
    except NotAcceptable:
        chosen = _JSON
    headers = {"Cache-Control": "no-store", **exc.headers}
    if chosen is _JSON:
        body = json.dumps({"error": exc.error, "detail": exc.detail}).encode()
        return Response(body, exc.status, headers=headers, media_type="application/json")
    return Response(f"{exc.error}: {exc.detail}\n", exc.status, headers=headers, media_type="text/plain")
