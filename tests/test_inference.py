"""Our SPARQL-rule materialisation agrees with owlrl, the well-kept reference reasoner."""

from __future__ import annotations

import owlrl
import pyoxigraph as ox
import rdflib

from graph.inference import infer
from graph.ontology import ontology_quads

ID = "https://w3id.org/asp-kg/id/"


def _sample(built_layout) -> set[ox.Triple]:
    """The ontology plus the facts of one seed page: small enough for owlrl, rich in classes."""
    store = ox.Store.read_only(str(built_layout.db()))
    graph = ox.NamedNode(ID + "source/cicc-asp22")
    data = {ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}
    return data | {ox.Triple(q.subject, q.predicate, q.object) for q in ontology_quads()}


def _to_rdflib(triples: set[ox.Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def _instance_facts(g: rdflib.Graph) -> set[tuple[str, str, str]]:
    """Facts about our instances with IRI objects: what a user of the data would query."""
    trivial = {rdflib.RDFS.Resource}  # RDFS axiom: everything is a resource; we do not materialise it
    return {(str(s), str(p), str(o)) for s, p, o in g
            if isinstance(s, rdflib.URIRef) and str(s).startswith(ID) and isinstance(o, rdflib.URIRef)
            and o not in trivial}


def test_rules_match_owlrl_on_instances(built_layout) -> None:
    asserted = _sample(built_layout)
    ours = _to_rdflib(asserted | infer(asserted))
    reference = _to_rdflib(asserted)
    owlrl.DeductiveClosure(owlrl.RDFS_Semantics).expand(reference)
    ours_facts, ref_facts = _instance_facts(ours), _instance_facts(reference)
    missing = ref_facts - ours_facts
    assert not missing, sorted(missing)[:10]
    extra = ours_facts - ref_facts
    # owlrl's RDFS semantics has no owl:inverseOf; everything else we infer, it infers too
    inverse_props = {str(p) for p in ours.subjects(rdflib.OWL.inverseOf, None)} | {
        str(o) for o in ours.objects(None, rdflib.OWL.inverseOf)}
    assert {f for f in extra if f[1] not in inverse_props} == set()
