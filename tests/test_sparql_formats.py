"""Every result format, parsed back by an independent parser (json, xml.etree, csv, rdflib)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
import rdflib
from conftest_sparql import sparql_data_dir, sparql_server  # noqa: F401

pytestmark = pytest.mark.e2e

SELECT = """PREFIX asp: <https://w3id.org/asp-kg/ontology#>
SELECT ?session ?number ?start WHERE { ?session asp:sessionNumber ?number ; asp:startDate ?start }
ORDER BY ?number"""
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = """PREFIX asp: <https://w3id.org/asp-kg/ontology#>
CONSTRUCT { ?s ?p ?o } WHERE { ?s a asp:RegularSession ; ?p ?o }"""
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(sparql_server):  # noqa: F811
    with httpx.Client(base_url=sparql_server.base, timeout=20) as c:
        yield c


def get(client, query, fmt):
    r = client.get("/sparql", params={"query": query, "format": fmt})
    assert r.status_code == 200, r.text
    return r


def test_select_in_every_format_has_the_same_rows(client):
    data = get(client, SELECT, "json").json()
    rows = [
        (b["session"]["value"], b["number"]["value"], b["start"]["value"])
        for b in data["results"]["bindings"]
    ]
    assert data["head"]["vars"] == ["session", "number", "start"] and len(rows) == 23

    root = ET.fromstring(get(client, SELECT, "xml").content)
    xml_rows = []
    for result in root.iter(SRX + "result"):
        cells = {b.get("name"): next(iter(b)).text for b in result.iter(SRX + "binding")}
        xml_rows.append((cells["session"], cells["number"], cells["start"]))
    assert xml_rows == rows

    csv_rows = list(csv.reader(io.StringIO(get(client, SELECT, "csv").text)))
    assert csv_rows[0] == ["session", "number", "start"] and [tuple(r) for r in csv_rows[1:]] == rows

    tsv = list(csv.reader(io.StringIO(get(client, SELECT, "tsv").text), delimiter="\t"))
    assert tsv[0] == ["?session", "?number", "?start"]
    assert [r[0].strip("<>") for r in tsv[1:]] == [r[0] for r in rows]


def test_ask_in_every_format(client):
    assert get(client, ASK, "json").json()["boolean"] is True
    assert ET.fromstring(get(client, ASK, "xml").content).find(SRX + "boolean").text == "true"
    assert get(client, ASK, "csv").text.strip() == "true"
    assert get(client, ASK, "tsv").text.strip() == "true"


@pytest.mark.parametrize(
    ("fmt", "parser"),
    [
        ("turtle", "turtle"),
        ("ntriples", "nt"),
        ("rdfxml", "xml"),
        ("jsonld", "json-ld"),
        ("trig", "trig"),
        ("nquads", "nquads"),
    ],
)
def test_construct_in_every_format_has_the_same_triples(client, fmt, parser):
    reference = rdflib.Graph().parse(data=get(client, CONSTRUCT, "ntriples").text, format="nt")
    assert len(reference) > 100
    text = get(client, CONSTRUCT, fmt).text
    if parser in ("trig", "nquads"):
        parsed = rdflib.Dataset()
        parsed.parse(data=text, format=parser)
        triples = {(s, p, o) for s, p, o, _ in parsed.quads()}
    else:
        triples = set(rdflib.Graph().parse(data=text, format=parser))
    assert triples == set(reference)


def test_describe_defaults_to_turtle(client):
    r = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/asp-kg/id/session/22>"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=r.text, format="turtle")) > 5


def test_large_results_are_streamed_and_complete(client):
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "jsonld"})
    body = json.loads(r.content)
    assert len(body) > 1000
