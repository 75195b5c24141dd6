"""The real graph, built by `aspkg build`, served by a real uvicorn server, read by real clients."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import rdflib
from conftest_oxigraph import oxigraph_server, published  # noqa: F401
from conftest_sparql import start_server, stop_server
from pyld import jsonld
from SPARQLWrapper import JSON, SPARQLWrapper

CONTEXT = json.loads((Path(__file__).resolve().parent.parent / "api" / "context.jsonld").read_text())
ID = "https://w3id.org/asp-kg/id/"


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def server(request, built_settings):
    """Our server on the embedded store, then on Oxigraph's server holding the published dataset."""
    env = {}
    if request.param == "oxigraph":
        request.getfixturevalue("published")
        env["ASPKG_SPARQL_BACKEND"] = request.getfixturevalue("oxigraph_server").query
    srv = start_server(built_settings.data_dir, timeout=10.0, **env)
    yield srv
    stop_server(srv)


def local_loader(url, options=None):
    """Resolve our published context locally; refuse anything else (nothing is fetched)."""
    if url.endswith("/context.jsonld"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(f"refusing to fetch {url}", "loading document failed")


def test_sparql_counts_states_parties_on_a_date(server) -> None:
    client = SPARQLWrapper(server.endpoint)
    client.setReturnFormat(JSON)
    client.setQuery("""PREFIX asp: <https://w3id.org/asp-kg/ontology#>
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
          ?m a asp:StatePartyMembership ; asp:partyState ?s ; asp:startDate ?start .
          FILTER(?start <= "2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date>)
          FILTER NOT EXISTS { ?m asp:endDate ?e FILTER(?e <= "2025-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }
        }""")
    n = int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    client.setQuery("""PREFIX asp: <https://w3id.org/asp-kg/ontology#>
        SELECT ?s WHERE { ?s asp:instrumentType ?t FILTER NOT EXISTS { ?s asp:entryIntoForceDate ?d } }""")
    undated = sorted(b["s"]["value"].rsplit("/", 1)[-1] for b in client.queryAndConvert()["results"]["bindings"])
    # The public record: 125 States Parties on 1 January 2025. Mauritius has no sourced deposit date
    # but is numbered among the first 60 (article 126(1)); the Gambia is the one gap left.
    assert undated == ["GMB"]
    assert n == 125 - len(undated)


def test_who_says_so_names_the_source_graphs(server) -> None:
    query = f"""SELECT ?source ?end WHERE {{ GRAPH ?source {{ <{ID}session/16>
        <https://w3id.org/asp-kg/ontology#endDate> ?end }} }}"""
    r = httpx.get(server.endpoint, params={"query": query, "format": "json"})
    pairs = {(b["source"]["value"].rsplit("/", 1)[-1], b["end"]["value"]) for b in r.json()["results"]["bindings"]}
    assert ("cicc-asp16", "2017-12-14") in pairs and ("cicc-asp-overview", "2017-12-12") in pairs


def test_session_document_is_real_json_ld_with_the_store_triples(server) -> None:
    r = httpx.get(server.base + "/id/session/22", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and "application/ld+json" in r.headers["content-type"]
    doc = r.json()
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": local_loader})
    from_jsonld = rdflib.Dataset()
    from_jsonld.parse(data=nquads, format="nquads")
    ttl = httpx.get(server.base + "/id/session/22.ttl").text
    from_turtle = rdflib.Graph().parse(data=ttl, format="turtle")
    subject = rdflib.URIRef(ID + "session/22")
    assert set(from_turtle.triples((subject, None, None))) <= set(from_jsonld.triples((subject, None, None)))
    assert any("2023-12-04" in str(o) for _, _, o in from_jsonld.triples((subject, None, None)))


def test_service_and_update_are_refused_on_the_real_endpoint(server) -> None:
    r = httpx.get(server.endpoint, params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert 400 <= r.status_code < 500
    r = httpx.post(server.endpoint, data={"update": "DROP ALL"})
    assert 400 <= r.status_code < 500
    r = httpx.get(server.endpoint, params={"query": "ASK { ?s ?p ?o }"})
    assert r.json()["boolean"] is True
