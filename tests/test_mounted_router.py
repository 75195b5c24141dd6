"""The SPARQL router in someone else's app: a bare FastAPI app mounts ``SparqlRouter`` under a
prefix (and ``LinkedDataRouter`` beside it) and serves the W3C SPARQL 1.1 Protocol test cases,
under a real uvicorn server on loopback.

The cases follow the W3C protocol test suite (https://www.w3.org/2009/sparql/docs/tests/ , the
``protocol`` manifest): query by GET, by form and by direct POST, protocol datasets overriding the
query's, content types per query form, and the bad requests that must be 4xx.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
import time
from contextlib import asynccontextmanager
from urllib.parse import urlencode

import httpx
import pytest
import rdflib
import uvicorn
from conftest_sparql import sparql_data_dir  # noqa: F401
from fastapi import FastAPI

from api.linked_data.router import LinkedDataRouter
from api.sparql.router import SparqlRouter
from api.store.embedded import EmbeddedRepository
from graph.settings import Settings
from graph.store import Layout

pytestmark = pytest.mark.e2e
ID = "https://w3id.org/asp-kg/id/"
ONE = ID + "source/news-digest"
TWO = ID + "source/un-press"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base(sparql_data_dir):  # noqa: F811
    settings = dataclasses.replace(Settings(), data_dir=sparql_data_dir, query_workers=1)
    repository = EmbeddedRepository(Layout(sparql_data_dir), settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await repository.start()
        yield
        await repository.aclose()

    app = FastAPI(title="Someone else's app", lifespan=lifespan)

    @app.get("/")
    def hello() -> dict:
        return {"hello": "their own route"}

    app.include_router(SparqlRouter(repository, settings), prefix="/kg")
    app.include_router(LinkedDataRouter(repository, settings), prefix="/kg")
    port = _port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=15)


@pytest.fixture(scope="module")
def client(base):
    with httpx.Client(base_url=base + "/kg", timeout=30) as c:
        yield c


def n(r: httpx.Response) -> int:
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_their_app_keeps_its_own_routes_and_ours_live_under_the_prefix(base, client):
    assert httpx.get(base + "/").json() == {"hello": "their own route"}
    assert client.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    assert client.get("/id/session/20", headers={"Accept": "application/ld+json"}).status_code == 200


def test_query_get_post_form_and_post_direct(client):  # query_get, query_post_form, query_post_direct
    got = n(client.get("/sparql", params={"query": COUNT}))
    form = n(client.post("/sparql", data={"query": COUNT}))
    direct = n(client.post("/sparql", content=COUNT, headers={"Content-Type": "application/sparql-query"}))
    assert got == form == direct > 0


def test_protocol_datasets(client):
    """query_dataset_default_graph(s), query_dataset_named_graphs, query_dataset_full, query_multiple_dataset."""
    total = n(client.get("/sparql", params={"query": COUNT}))
    one = n(client.get("/sparql", params={"query": COUNT, "default-graph-uri": ONE}))
    form = urlencode([("query", COUNT), ("default-graph-uri", ONE), ("default-graph-uri", TWO)])
    both = n(client.post("/sparql", content=form, headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert 0 < one < both <= total
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n(client.get("/sparql", params=[("query", named), ("named-graph-uri", ONE), ("named-graph-uri", TWO)])) == 2
    full = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o GRAPH <{TWO}> {{ ?x ?y ?z }} }}"
    assert n(client.get("/sparql", params=[("query", full), ("default-graph-uri", ONE), ("named-graph-uri", TWO)])) > 0
    # the protocol's dataset overrides the query's FROM
    overridden = f"SELECT (COUNT(*) AS ?n) FROM <{TWO}> WHERE {{ ?s ?p ?o }}"
    assert n(client.get("/sparql", params={"query": overridden, "default-graph-uri": ONE})) == one


@pytest.mark.parametrize(("query", "accept", "expect"), [
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+xml", "application/sparql-results+xml"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json", "application/sparql-results+json"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "text/csv", "text/csv"),
    ("ASK { ?s ?p ?o }", "application/sparql-results+json", "application/sparql-results+json"),
    ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", "text/turtle", "text/turtle"),
    ("DESCRIBE <" + ID + "session/20>", "application/rdf+xml", "application/rdf+xml"),
])
def test_content_types_per_query_form(client, query, accept, expect):  # query_content_type_*
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(expect)
    if expect in ("text/turtle", "application/rdf+xml"):
        assert len(rdflib.Graph().parse(data=r.text, format="turtle" if "turtle" in expect else "xml")) > 0


def test_relative_iris_resolve_against_the_mounted_endpoint(client):  # query_base (CONSTRUCT { <s> <p> 1 })
    r = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                   headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert str(client.base_url).rstrip("/") + "/s" in r.text


@pytest.mark.parametrize(("request_kwargs", "status"), [
    # bad_query_method
    ({"method": "PUT", "content": COUNT, "headers": {"Content-Type": "application/sparql-query"}}, 405),
    ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),  # bad_multiple_queries
    ({"method": "POST", "content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),  # wrong_media_type
    ({"method": "POST", "content": "query=ASK%20%7B%7D"}, 415),  # bad_query_missing_form_type
    ({"method": "POST", "content": "ASK {}"}, 415),  # bad_query_missing_direct_type
    ({"method": "POST", "content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ({"method": "GET", "params": {"query": "ASK { ?s ?p }"}}, 400),  # bad_query_syntax
    ({"method": "GET", "params": {"update": "CLEAR ALL"}}, 400),  # bad_update_get
    ({"method": "POST", "content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}, 400),
])
def test_bad_requests_are_4xx_with_a_reason(client, request_kwargs, status):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method")
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def test_service_description_names_the_mounted_endpoint(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoints = {str(o) for o in g.objects(None, sd.endpoint)}
    assert endpoints == {str(client.base_url).rstrip("/") + "/sparql"}


def test_the_query_page_works_under_the_prefix(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert '"/kg/sparql/assets/yasgui.min.js"' in page.text.replace("src=", "")
    assert '"endpoint": "/kg/sparql"' in page.text
    for name in ("yasgui.min.js", "query.js", "chart.js", "query.css"):
        assert client.get(f"/sparql/assets/{name}").status_code == 200
