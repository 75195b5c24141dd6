"""The HTML query page for people: YASGUI's editor and result views, example questions, downloads.

Everything it needs is served by this application (no CDN), so it works offline. The page is a
static shell; ``query.js`` reads its configuration (endpoint, prefixes, examples and the terms to
complete) from an inline JSON block, so completion never asks a remote vocabulary service.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path
from string import Template
from urllib.parse import urlencode

from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.sparql.examples import EXAMPLES
from api.sparql.vocabulary import terms
from api.store.base import Repository, StoreUnavailable
from graph.namespaces import PREFIXES, sparql_prologue

QUERY_PAGE_PATH = "/sparql"
ASSETS_PATH = "/sparql/assets"
TEMPLATE = Path(__file__).with_name("templates") / "query.html"
PAGE_SIZE = 50


def query_page_url(query: str | None = None) -> str:
    """Link to the query page (optionally with a query filled in); for the home page and entity pages."""
    return QUERY_PAGE_PATH + ("?" + urlencode({"query": query}) if query else "")


@lru_cache(maxsize=4)
def _page(public_base: str, version: str, vocabulary_json: str, endpoint: str) -> bytes:
    config = {
        "endpoint": endpoint,
        "publicBase": public_base,
        "prologue": sparql_prologue(),
        "prefixes": PREFIXES,
        "terms": json.loads(vocabulary_json),
        "pageSize": PAGE_SIZE,
        "examples": [{"slug": e.slug, "title": e.title, "query": e.query} for e in EXAMPLES],
    }
    payload = json.dumps(config).replace("</", "<\\/")
    text = Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        config=payload, assets=endpoint + "/assets", title=html.escape("SPARQL query — ASP Knowledge Graph")
    )
    return text.encode("utf-8")


def _build(repo: Repository, public_base: str, endpoint: str) -> bytes:
    try:
        version = repo.version()
        vocabulary = terms(version, repo)
    except StoreUnavailable:  # the page still works as an editor; queries will say no graph is built
        version, vocabulary = "", {"class": [], "property": []}
    return _page(public_base, version, json.dumps(vocabulary), endpoint)


async def render_page(repo: Repository, public_base: str, endpoint: str = QUERY_PAGE_PATH) -> HTMLResponse:
    """``endpoint``: the path the router is mounted at (``/sparql``, or ``/kg/sparql`` under a prefix)."""
    body = await run_in_threadpool(_build, repo, public_base, endpoint)
    return HTMLResponse(body, headers={"Vary": "Accept", "Cache-Control": "public, max-age=300"})
