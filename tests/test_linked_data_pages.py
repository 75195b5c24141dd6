"""Ontology, home page, dumps, shapes and charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from ld_fixtures import build_fixture
from ld_support import to_quads

from api.app import create_app
from api.linked_data import charts
from graph.settings import Settings


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("ldp"))


@pytest.fixture(scope="module")
def client(layout):
    return TestClient(create_app(Settings.from_env(data_dir=layout.root)))


@pytest.mark.parametrize(
    "accept,suffix,fmt",
    [
        ("text/turtle", "ttl", ox.RdfFormat.TURTLE),
        ("application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
    ],
)
def test_ontology_in_rdf_formats(client, accept, suffix, fmt):
    by_accept = client.get("/ontology", headers={"Accept": accept})
    by_suffix = client.get(f"/ontology.{suffix}")
    assert by_accept.status_code == by_suffix.status_code == 200
    triples = set(ox.parse(by_suffix.content, format=fmt))
    assert len(triples) > 500
    assert by_accept.content == by_suffix.content
    assert "Accept" in by_accept.headers["vary"] and 'rel="alternate"' in by_accept.headers["link"]


def test_ontology_jsonld_expands(client):
    r = client.get("/ontology", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    turtle = set(ox.parse(client.get("/ontology.ttl").content, format=ox.RdfFormat.TURTLE))
    assert len(to_quads(r.json())) == len(turtle)


def test_ontology_html_missing_then_present(client, layout):
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "not been built" in r.text and 'href="/ontology.ttl"' in r.text
    docs = layout.docs()
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "ontology.html").write_text("<html><body>pyLODE docs</body></html>")
    try:
        r = client.get("/ontology", headers={"Accept": "text/html"})
        assert r.status_code == 200 and "pyLODE docs" in r.text
    finally:
        (docs / "ontology.html").unlink()


def test_home_page(client):
    r = client.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200
    html = r.text
    assert "Assembly of States Parties" in html and "How to cite" in html
    assert "triples" in html and "typed entities" in html
    for href in ('href="/sparql"', 'href="/ontology"', 'href="/shapes"', 'href="/context.jsonld"'):
        assert href in html
    assert html.count("<svg") == 3
    doc = client.get("/", headers={"Accept": "application/ld+json"}).json()
    assert doc["id"] == "https://w3id.org/asp-kg/dataset"
    assert any(q.predicate.value == "http://rdfs.org/ns/void#triples" for q in to_quads(doc))


def test_dumps(client, layout):
    assert client.get("/dumps").json()["files"] == []
    dumps = layout.dumps()
    dumps.mkdir(parents=True, exist_ok=True)
    (dumps / "dataset.nq").write_text("<http://a> <http://b> <http://c> .\n")
    try:
        assert [f["name"] for f in client.get("/dumps").json()["files"]] == ["dataset.nq"]
        r = client.get("/dumps/dataset.nq")
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-quads")
        assert 'href="/dumps/dataset.nq"' in client.get("/", headers={"Accept": "text/html"}).text
        assert client.get("/dumps/..%2Fmanifest.json").status_code == 404
        assert client.get("/dumps/missing.nq").status_code == 404
    finally:
        (dumps / "dataset.nq").unlink()


def test_shapes(client):
    r = client.get("/shapes", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "SHACL shapes" in r.text
    assert client.get("/shapes/../pyproject.toml").status_code == 404


def test_static_and_graph_pages(client):
    assert client.get("/static/ld/site.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/ld/nope.css").status_code == 404
    assert client.get("/graph/metadata").status_code == 200
    assert client.get("/graph/nothing").status_code == 404


@pytest.mark.parametrize("name", ["states-parties", "sessions", "budgets"])
def test_chart_svgs_are_well_formed(client, name):
    r = client.get(f"/charts/{name}.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    assert root.tag.endswith("svg")


def test_states_parties_counts():
    svg = charts.states_parties_over_time(
        [(date(2002, 7, 1), None), (date(2004, 12, 1), date(2017, 10, 27)), (date(2024, 2, 1), None)],
        today=date(2025, 1, 1),
    )
    assert "2 States Parties on 2025-01-01" in svg
    ET.fromstring(svg)


def test_votes_chart_and_empty_charts():
    svg = charts.votes_per_round([1, 2], {"A & B": {1: 72, 2: 85}, "C": {1: 41}}, {1: 80, 2: 79})
    ET.fromstring(svg)
    assert "A &amp; B: 85 votes in round 2" in svg
    for empty in (charts.votes_per_round([], {}), charts.budgets_per_year({}), charts.sessions_timeline([])):
        assert "no data" in empty
