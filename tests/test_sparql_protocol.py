"""SPARQL 1.1 Protocol end to end, against a real uvicorn server on loopback."""

from __future__ import annotations

import httpx
import pytest
import rdflib
from conftest_sparql import sparql_data_dir, sparql_server  # noqa: F401

pytestmark = pytest.mark.e2e

ID = "https://w3id.org/asp-kg/id/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def client(sparql_server):  # noqa: F811
    with httpx.Client(base_url=sparql_server.base, timeout=20) as c:
        yield c


def count(response: httpx.Response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_form_post_and_direct_post_agree(client):
    n_get = count(client.get("/sparql", params={"query": COUNT}))
    n_form = count(client.post("/sparql", data={"query": COUNT}))
    n_direct = count(
        client.post(
            "/sparql",
            content=COUNT.encode(),
            headers={"Content-Type": "application/sparql-query; charset=utf-8"},
        )
    )
    assert n_get == n_form == n_direct > 1000


def test_default_graph_is_the_union_and_graphs_can_be_named(client):
    total = count(client.get("/sparql", params={"query": COUNT}))
    one = f"{ID}source/news-digest"
    in_one = count(client.get("/sparql", params={"query": COUNT, "default-graph-uri": one}))
    assert 0 < in_one < total
    two = count(
        client.get(
            "/sparql",
            params=[
                ("query", COUNT),
                ("default-graph-uri", one),
                ("default-graph-uri", f"{ID}source/un-press"),
            ],
        )
    )
    assert in_one < two < total
    named = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client.get("/sparql", params={"query": named, "named-graph-uri": one})) == 1
    assert count(client.get("/sparql", params={"query": named})) >= 4
    from_query = f"SELECT (COUNT(*) AS ?n) FROM <{one}> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", params={"query": from_query})) == in_one
    # a protocol dataset with only named graphs has an empty default graph
    assert count(client.get("/sparql", params={"query": COUNT, "named-graph-uri": one})) == 0


@pytest.mark.parametrize(
    ("kwargs", "status", "words"),
    [
        ({"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "line 1"),
        ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
        ({"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "IRI"),
        ({"params": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}}, 400, "read-only"),
        ({"params": {"update": "CLEAR ALL"}}, 400, "read-only"),
    ],
)
def test_get_errors(client, kwargs, status, words):
    r = client.get("/sparql", **kwargs)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error", "detail"} and words in body["detail"]


def test_post_errors(client):
    r = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "application/sparql-query" in r.json()["detail"]
    r = client.post("/sparql", content=b"ASK {}")
    assert r.status_code == 415
    r = client.post("/sparql", content=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400
    r = client.post("/sparql", data={"default-graph-uri": ID + "source/x"})
    assert r.status_code == 400 and "query" in r.json()["detail"]
    r = client.post("/sparql?query=ASK%7B%7D", data={"query": "ASK {}"})
    assert r.status_code == 400
    r = client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400


def test_wrong_methods_are_405_with_allow(client):
    for method in ("PUT", "DELETE", "PATCH"):
        r = client.request(method, "/sparql", params={"query": "ASK {}"})
        assert r.status_code == 405 and "GET" in r.headers["allow"]
        assert r.json()["error"] == "method not allowed"


def test_request_size_is_bounded(client):
    big = "ASK { " + "?s ?p ?o . " * 20_000 + "}"
    r = client.post("/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413 and "bytes" in r.json()["detail"]


def test_errors_are_text_when_text_is_asked_for(client):
    accept = "text/plain, application/sparql-results+json;q=0.1"
    r = client.get("/sparql", params={"query": "SELECT nonsense"}, headers={"Accept": accept})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("syntax error")


def test_content_negotiation_with_q_values(client):
    q = {"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"}
    pick = {
        "text/csv;q=0.5, application/sparql-results+xml;q=0.9": "application/sparql-results+xml",
        "text/tab-separated-values, */*;q=0.1": "text/tab-separated-values",
        "application/json": "application/sparql-results+json",
        "*/*": "application/sparql-results+json",
        "": "application/sparql-results+json",
    }
    for accept, expected in pick.items():
        r = client.get("/sparql", params=q, headers={"Accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(expected), accept
    r = client.get("/sparql", params=q, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"] == "not acceptable"
    r = client.get(
        "/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 406
    c = {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"}
    r = client.get(
        "/sparql", params=c, headers={"Accept": "application/n-triples;q=0.4, application/rdf+xml"}
    )
    assert r.headers["content-type"].startswith("application/rdf+xml")
    r = client.get("/sparql", params={**c, "format": "nt"}, headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("application/n-triples")
    assert client.get("/sparql", params=c).headers["content-type"].startswith("text/turtle")


def test_etag_cache_control_and_304(client):
    q = {"query": "SELECT ?s WHERE { ?s a <https://w3id.org/asp-kg/ontology#RegularSession> }"}
    first = client.get("/sparql", params=q)
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"] and first.headers["vary"].startswith("Accept")
    second = client.get("/sparql", params=q)
    assert second.headers["x-cache"] == "hit" and second.content == first.content
    assert client.get("/sparql", params=q, headers={"If-None-Match": etag}).status_code == 304
    other = client.get("/sparql", params=q, headers={"Accept": "text/csv"})
    assert other.headers["etag"] != etag
    now = client.get("/sparql", params={"query": "SELECT (NOW() AS ?t) {}"})
    assert "etag" not in now.headers and now.headers["cache-control"] == "no-cache"


def test_service_description_lists_named_graphs(client):
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.feature, SD.UnionDefaultGraph) not in g  # the default graph is the preferred view
    description = str(g.value(service, rdflib.URIRef("http://purl.org/dc/terms/description")))
    assert "preferred view" in description and "https://w3id.org/asp-kg/graph/all" in description
    names = {str(n) for n in g.objects(None, SD.name)}
    assert f"{ID}source/un-press" in names and len(names) >= 4
    for fmt, parser in (
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ):
        r = client.get("/sparql", headers={"Accept": fmt})
        assert len(rdflib.Graph().parse(data=r.text, format=parser)) == len(g)


def test_browsers_get_the_query_page(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "/sparql/assets/query.js" in r.text and "/sparql/assets/yasgui.min.js" in r.text and "PREFIX asp:" in r.text
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": accept})
    assert r.headers["content-type"].startswith("text/html")
    assert client.get("/sparql/assets/query.js").status_code == 200
    assert client.get("/sparql/assets/nothing.js").status_code == 404


def test_cors_headers(client):
    r = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        "/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}
    )
    assert pre.status_code == 200 and "POST" in pre.headers["access-control-allow-methods"]
