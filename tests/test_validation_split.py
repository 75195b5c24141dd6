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


ILL_TYPED = """
@prefix asp: <https://w3id.org/asp-kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/asp-kg/id/state/BDI> asp:signatureDate "13 January 1999"^^xsd:date ;
    asp:partyNumber "ninety-seven"^^xsd:integer .
<https://w3id.org/asp-kg/id/source/x> a asp:Source ; dct:date "2020-13-45"^^xsd:date ;
    dct:publisher "someone" .
"""


def test_same_report_as_pyshacl_on_ill_typed_literals():
    """A literal of the right datatype whose lexical form is not valid for it breaks sh:datatype
    (and a datatype member of sh:or): the compiled queries leave that test to rdflib, as pySHACL does."""
    store = _fixture_store(FIXTURES / "StateShape-pass.ttl")
    store.bulk_load(ILL_TYPED.encode(), format=ox.RdfFormat.TURTLE)
    fast, reference = _both(store)
    assert fast == reference
    assert any("13 January 1999" in t for t in fast[1]) and any("2020-13-45" in t for t in fast[1])


def test_most_core_constraints_run_as_queries():
    """The compiled part must stay the bulk of the work: if a change to the shapes made them
    uncompilable, validation would silently fall back to pySHACL's node-by-node speed."""
    from graph.validation_compiled import compile_shapes
    from graph.validation_core import shapes_graph

    compiled, residual = compile_shapes(shapes_graph())
    left = sum(1 for p in (rdflib.SH.datatype, rdflib.SH["class"], rdflib.SH.minCount, rdflib.SH.maxCount)
               for _ in residual.subject_objects(p))
    assert len(compiled) > 250 and left < 0.1 * len(compiled)


LANGUAGES = """
@prefix asp: <https://w3id.org/asp-kg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix wikibase: <http://wikiba.se/ontology#> .
<https://w3id.org/asp-kg/id/claim/t1> a asp:Claim ; asp:rankReason "because"@EN-gb .
<https://w3id.org/asp-kg/id/claim/t2> a asp:Claim ; asp:rankReason "parce que"@fr .
<https://w3id.org/asp-kg/id/claim/t3> a asp:Claim ; asp:rankReason "plain" .
<https://w3id.org/asp-kg/id/claim/t4> a asp:Claim ; asp:rankReason <https://example.org/x> .
"""


def test_same_report_as_pyshacl_on_language_tags():
    """sh:languageIn as pySHACL reads it: the whole tag or its first subtag, in any case."""
    store = _fixture_store(FIXTURES / "ClaimShape-pass.ttl")
    store.bulk_load(LANGUAGES.encode(), format=ox.RdfFormat.TURTLE)
    fast, reference = _both(store)
    assert fast == reference
    said = "\n".join(fast[1])
    assert "claim/t2" in said and "claim/t3" in said and "claim/t4" in said


NEAR_MISSES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/asp-kg/id/membership/UKR-party#start> time:inXSDDate "2025-02-30"^^xsd:date .
<https://w3id.org/asp-kg/id/person/twice> a <https://w3id.org/asp-kg/ontology#Person> ;
    rdfs:label "Twice"@en, "Twice again"@EN .
"""


def test_prechecks_find_what_only_rdflib_or_lower_case_tags_reveal():
    """The prechecks of sh:node and sh:uniqueLang must not miss a failure pySHACL sees: a date of
    the right datatype but no such day (inside an sh:node), and one language tag in two cases."""
    store = _fixture_store(FIXTURES / "IntervalShape-pass.ttl", FIXTURES / "PersonShape-pass.ttl")
    store.bulk_load(NEAR_MISSES.encode(), format=ox.RdfFormat.TURTLE)
    fast, reference = _both(store)
    assert fast == reference
    said = "\n".join(fast[1])
    assert "UKR-party#interval" in said and "person/twice" in said


def test_prechecks_take_out_what_cannot_fail(built_layout):
    """On the real graph, no sh:node or sh:uniqueLang is left for pySHACL to check node by node:
    otherwise validation would silently fall back to its speed."""
    from graph.validation_answers import Answers
    from graph.validation_compiled import PARAMETERS
    from graph.validation_core import _as_store, _split_shapes, shape_files
    from graph.validation_prechecked import passed, without
    from graph.validation_sparql import _targets

    key = tuple((str(p), p.stat().st_mtime) for p in shape_files())
    _compiled, residual, checks = _split_shapes(key)
    assert {c.constraint[1] for c in checks} == {rdflib.SH.node, rdflib.SH.uniqueLang}
    left = without(residual, passed(Answers(_as_store(ox.Store.read_only(str(built_layout.db())))), checks))
    assert not any((None, p, None) in left for p in (rdflib.SH.node, rdflib.SH.uniqueLang))
    # what pySHACL still checks: property shapes of constraints no precheck covers
    owned = {prop for shape, prop in left.subject_objects(rdflib.SH.property) if _targets(left, shape)}
    assert {p for prop in owned for p in left.predicates(prop) if p in PARAMETERS} == {rdflib.SH.qualifiedValueShape}


def test_answers_ahead_are_the_store_s_in_order_and_errors_surface_when_read():
    """The validation's queries are answered ahead on worker threads: each answer must be what the
    store gives, rows in the store's order, and a query that fails must fail where it is read."""
    from graph.validation_answers import Answers

    store = _fixture_store(FIXTURES / "StateShape-pass.ttl")
    asked = ["SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
             "SELECT ?s WHERE { ?s a ?t }", "SELECT ?x WHERE { ?x <not an iri> ?y }"]
    with Answers(store, asked) as answers:
        for query in asked[:2]:
            direct = store.query(query)
            assert answers.solutions(query) == ([v.value for v in direct.variables], list(direct))
        assert len(answers.solutions(asked[0]).rows) == len(store)
        with pytest.raises(SyntaxError):
            answers.solutions(asked[2])
        # a query not asked ahead is answered on the spot
        assert answers.solutions("SELECT ?s WHERE { ?s ?p 42 }").rows == []


def test_one_query_worker_stands_in_for_the_caller_and_the_other_takes_only_idle_cpu() -> None:
    """In a build the second worker must not take the store's loader's CPU (graph/priority.py): it
    runs only on a CPU nothing else wants; the first runs as the caller, who waits for it."""
    import os
    import threading

    from graph.validation_answers import Answers

    if not hasattr(os, "SCHED_IDLE"):
        pytest.skip("no SCHED_IDLE on this platform")
    both = threading.Barrier(2, timeout=10)

    def policy() -> int:
        both.wait()  # both workers are started, each holding one of these
        return os.sched_getscheduler(threading.get_native_id())

    mine = os.sched_getscheduler(threading.get_native_id())
    with Answers(ox.Store(), ["SELECT * WHERE { ?s ?p ?o }"]) as answers:
        assert answers._pool is not None
        policies = sorted(f.result() for f in [answers._pool.submit(policy), answers._pool.submit(policy)])
    assert policies == sorted([mine, os.SCHED_IDLE])
    assert os.sched_getscheduler(threading.get_native_id()) == mine
