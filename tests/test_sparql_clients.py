"""Real SPARQL clients against our endpoint: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import pytest
import rdflib
from conftest_sparql import sparql_data_dir, sparql_server  # noqa: F401
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.e2e

SESSIONS = """PREFIX asp: <https://w3id.org/asp-kg/ontology#>
SELECT ?s ?n WHERE { ?s asp:sessionNumber ?n } ORDER BY ?n"""


def test_sparqlwrapper_select_ask_construct(sparql_server):  # noqa: F811
    sw = SPARQLWrapper(sparql_server.endpoint)
    sw.setQuery(SESSIONS)
    for fmt in (JSON, XML, CSV):
        sw.setReturnFormat(fmt)
        result = sw.query().convert()
        assert result
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert len(rows) == 23 and rows[0]["n"]["value"] == "1"
    sw.setMethod("POST")
    assert len(sw.query().convert()["results"]["bindings"]) == 23
    sw.setQuery("ASK { ?s ?p ?o }")
    assert sw.query().convert()["boolean"] is True
    sw.setMethod("GET")
    sw.setQuery("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20")
    sw.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=sw.query().convert(), format="turtle")
    assert len(g) == 20


def test_rdflib_sparqlstore(sparql_server):  # noqa: F811
    store = SPARQLStore(sparql_server.endpoint, returnFormat="xml")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(SESSIONS))
    assert len(rows) == 23 and int(rows[-1].n) == 23
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    constructed = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 10").graph
    assert len(constructed) == 10
    store_json = SPARQLStore(sparql_server.endpoint, returnFormat="json", method="POST_FORM")
    assert len(list(rdflib.Graph(store=store_json).query(SESSIONS))) == 23
