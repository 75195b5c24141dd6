"""The HTML query page for people: editor, example questions, results table, downloads.

Everything it needs is served by this application (no CDN), so it works offline. The page is a
static shell; ``query.js`` reads its configuration from an inline JSON block.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.sparql.examples import EXAMPLES
from graph.namespaces import sparql_prologue

QUERY_PAGE_PATH = "/sparql"
ASSETS_PATH = "/sparql/assets"
TEMPLATE = Path(__file__).with_name("templates") / "query.html"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "sparql"


def query_page_url(query: str | None = None) -> str:
    """Link to the query page (optionally with a query filled in); for the home page and entity pages."""
    return QUERY_PAGE_PATH + ("?" + urlencode({"query": query}) if query else "")


@lru_cache(maxsize=4)
def _page(public_base: str) -> bytes:
    config = {
        "endpoint": QUERY_PAGE_PATH,
        "publicBase": public_base,
        "prologue": sparql_prologue(),
        "examples": [{"slug": e.slug, "title": e.title, "query": e.query} for e in EXAMPLES],
    }
    payload = json.dumps(config).replace("</", "<\\/")
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        config=payload, assets=ASSETS_PATH, title=html.escape("SPARQL query — ASP Knowledge Graph")
    )
    return text.encode("utf-8")


def render_page(request: Request) -> HTMLResponse:
    body = _page(request.app.state.settings.public_base)
    return HTMLResponse(body, headers={"Vary": "Accept", "Cache-Control": "public, max-age=300"})
