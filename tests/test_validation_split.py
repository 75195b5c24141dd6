"""The fast validation (pySHACL for the core constraints, each SPARQL constraint once over the whole
store: ``graph/validation_sparql.py``) gives the same report as pySHACL alone: the same results, in
the same words, on every shape's pass and fail fixtures, on all of them at once, and on the real
graph. pySHACL stays the reference."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graph.validation_core import validate_with_report

FIXTURES = Path(__file__).resolve().parent / "shape_fixtures"
T = rdflib.Namespace("https://w3id.org/asp-kg/test#")


def _fixture_store(*paths: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load((FIXTURES / "_base.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    for path in paths:
        g = rdflib.Graph().parse(path, format="turtle")
        for e in list(g.subjects(rdflib.RDF.type, T.Expected)):
            g.remove((e, None, None))
        store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _both(store: ox.Store) -> tuple[tuple, tuple]:
    fast = validate_with_report(store, whole_graph_sparql=True)
    reference = validate_with_report(store, whole_graph_sparql=False)
    return (fast[0], [r.text for r in fast[2]]), (reference[0], [r.text for r in reference[2]])


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_")),
                         ids=lambda p: p.stem)
def test_same_report_as_pyshacl_on_each_fixture(path):
    fast, reference = _both(_fixture_store(path))
    assert fast == reference


def test_same_report_as_pyshacl_on_all_fail_fixtures_at_once():
    fast, reference = _both(_fixture_store(*sorted(FIXTURES.glob("*-fail.ttl"))))
    assert not reference[0] and len(reference[1]) > 50
    assert fast == reference


def test_same_report_as_pyshacl_on_the_real_graph(built_layout):
    store = ox.Store.read_only(str(built_layout.db()))
    fast, reference = _both(store)
    assert fast == reference and fast[0]
