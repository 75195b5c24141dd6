"""The whole API twice over the same data: on the embedded store, and on Oxigraph's own server
(``aspkg serve --sparql-backend``) holding the dataset published by ``aspkg publish``. Every example
question, every canned query, entity documents of every kind in every format, the collections, the
home page and the charts must give the same answers.
"""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import quote

import httpx
import pytest
import rdflib
from conftest_oxigraph import oxigraph_server, published  # noqa: F401
from conftest_sparql import start_server, stop_server
from rdflib.compare import isomorphic

from api.sparql.canned import canned_queries
from api.sparql.examples import EXAMPLES
from api.sparql.safety import analyse

pytestmark = pytest.mark.e2e
ID = "https://w3id.org/asp-kg/id/"
KINDS = ("state", "session", "election", "organ", "person", "resolution", "source", "venue", "regional-group",
         "budget", "amendment", "mandate")


@pytest.fixture(scope="module")
def both(published, oxigraph_server, built_layout, tmp_path_factory):  # noqa: F811
    embedded = start_server(built_layout.root, timeout=10.0)
    remote = start_server(built_layout.root, timeout=10.0, ASPKG_SPARQL_BACKEND=oxigraph_server.query)
    bare = tmp_path_factory.mktemp("replica-without-files")  # a replica with no copy of the version folder
    replica = start_server(bare, timeout=10.0, ASPKG_SPARQL_BACKEND=oxigraph_server.query)
    clients = [httpx.Client(base_url=s.base, timeout=60) for s in (embedded, remote, replica)]
    yield clients
    for c in clients:
        c.close()
    for s in (embedded, remote, replica):
        stop_server(s)


def norm(client: httpx.Client, response: httpx.Response) -> object:
    """A JSON answer with the server's own address (context URL, page links) taken out."""
    return json.loads(response.text.replace(str(client.base_url).rstrip("/"), "SERVER"))


def solutions(body: bytes) -> object:
    doc = json.loads(body)
    if "boolean" in doc:
        return doc["boolean"]
    return Counter(tuple(sorted((k, json.dumps(v, sort_keys=True)) for k, v in b.items()))
                   for b in doc["results"]["bindings"])


def same_answer(a: httpx.Response, b: httpx.Response, graph: bool, what: str) -> None:
    assert a.status_code == b.status_code == 200, (what, a.text[:300], b.text[:300])
    if graph:
        ga = rdflib.Graph().parse(data=a.content, format="turtle")
        gb = rdflib.Graph().parse(data=b.content, format="turtle")
        assert len(ga) > 0 and isomorphic(ga, gb), what
    else:
        assert solutions(a.content) == solutions(b.content), what


def test_every_example_question_has_the_same_answer(both):
    embedded, remote, _ = both
    for ex in EXAMPLES:
        graph = analyse(ex.query).form in ("CONSTRUCT", "DESCRIBE")
        accept = "text/turtle" if graph else "application/sparql-results+json"
        answers = [c.get("/sparql", params={"query": ex.query}, headers={"Accept": accept}) for c in (embedded, remote)]
        same_answer(*answers, graph, ex.slug)


def test_every_canned_query_has_the_same_answer(both):
    embedded, remote, _ = both
    for name, query in canned_queries().items():
        graph = analyse(query.text).form in ("CONSTRUCT", "DESCRIBE")
        path = f"/queries/{name}.{'ttl' if graph else 'json'}"
        same_answer(embedded.get(path), remote.get(path), graph, name)


def sample_entities(client: httpx.Client, per_kind: int = 3) -> list[str]:
    query = f"""SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), "{ID}")) }}"""
    r = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    found: dict[str, list[str]] = {}
    for b in r.json()["results"]["bindings"]:
        iri = b["s"]["value"]
        kind = iri[len(ID):].split("/", 1)[0]
        found.setdefault(kind, []).append(iri)
    picked = []
    for kind in KINDS:
        picked += sorted(found.get(kind, []))[:per_kind]
    assert len(picked) >= 25
    return picked


def test_entity_documents_are_the_same_in_every_format(both):
    embedded, remote, replica = both
    for iri in sample_entities(embedded):
        path = "/id/" + quote(iri[len(ID):], safe="/:.-_~")
        for suffix in ("jsonld", "html"):
            a, b = embedded.get(f"{path}.{suffix}"), remote.get(f"{path}.{suffix}")
            assert a.status_code == b.status_code == 200, (path, suffix, b.text[:300])
            if suffix == "jsonld":
                assert norm(embedded, a) == norm(remote, b), path
                assert norm(replica, replica.get(f"{path}.jsonld")) == norm(embedded, a), path
            else:
                assert a.text == b.text, path
        for suffix, fmt in (("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml")):
            ga = rdflib.Graph().parse(data=embedded.get(f"{path}.{suffix}").content, format=fmt)
            gb = rdflib.Graph().parse(data=remote.get(f"{path}.{suffix}").content, format=fmt)
            assert len(ga) > 0 and isomorphic(ga, gb), (path, suffix)
    missing = "/id/state/XXX"
    a, b = embedded.get(missing), remote.get(missing)
    assert a.status_code == b.status_code == 404 and a.json() == b.json()  # the same suggestions


@pytest.mark.parametrize("path", [
    "/states?page_size=200", "/states?party_on=2024-02-01&page_size=200", "/sessions?page_size=100",
    "/elections?page_size=100", "/resolutions?session=22", "/persons?page_size=50", "/organs",
])
def test_collections_are_the_same(both, path):
    embedded, remote, _ = both
    headers = {"Accept": "application/ld+json"}
    a, b = embedded.get(path, headers=headers), remote.get(path, headers=headers)
    assert a.status_code == b.status_code == 200
    assert norm(embedded, a) == norm(remote, b)


def test_home_charts_and_service_description_are_the_same(both):
    embedded, remote, replica = both
    ld = {"Accept": "application/ld+json"}
    assert norm(embedded, embedded.get("/", headers=ld)) == norm(remote, remote.get("/", headers=ld))
    for chart in ("states-parties", "sessions", "budgets"):
        assert embedded.get(f"/charts/{chart}.svg").text == remote.get(f"/charts/{chart}.svg").text
    sd = [rdflib.Graph().parse(data=c.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
          for c in (embedded, remote)]
    name = rdflib.URIRef("http://www.w3.org/ns/sparql-service-description#name")
    assert set(sd[0].objects(None, name)) == set(sd[1].objects(None, name)) != set()
    # a replica without the version's folder still serves the definitions (the checkout's) and says
    # that it has no dumps, instead of failing
    assert replica.get("/ontology.ttl").status_code == 200 and replica.get("/shapes").status_code == 200
    assert replica.get("/dumps", headers={"Accept": "application/json"}).json()["files"] == []
    assert remote.get("/dumps", headers={"Accept": "application/json"}).json()["files"]


def test_the_remote_endpoint_keeps_the_safety_rules(both):
    _, remote, _ = both
    r = remote.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert r.status_code == 400 and "SERVICE" in r.json()["detail"]
    r = remote.get("/sparql", params={"update": "CLEAR ALL"})
    assert r.status_code == 400
    r = remote.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and r.json()["error"] == "syntax error"
    versions = {c.get("/sparql", params={"query": "ASK {}"}).headers["etag"].strip('"').split("-")[0]
                for c in both}
    assert len(versions) == 1  # the same dataset version (ETags start with it)
