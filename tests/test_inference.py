"""Our rule materialisation agrees with owlrl, the well-kept reference reasoner, and rule by rule
with RDFS and OWL RL on a small ontology."""

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


def test_each_rule_on_a_small_ontology() -> None:
    """Every rule, the closures, a cycle, and an ontology triple that a rule itself concludes."""
    from graph.inference import DATATYPE, DOMAIN, INVERSE, RANGE, RDF_TYPE, SUBCLASS, SUBPROPERTY

    def n(name: str) -> ox.NamedNode:
        return ox.NamedNode("https://example.org/" + name)

    def t(s, p, o) -> ox.Triple:
        return ox.Triple(s, p, o)

    a, b, c, e, f, k, l_, x, y, z, w = map(n, "A B C E F K L x y z w".split())
    p, q, r, isa, inv = map(n, "p q r isa inv".split())
    date, datatype = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"), n("Kind")
    text = ox.Literal("a value")
    asserted = {
        t(a, SUBCLASS, b), t(b, SUBCLASS, c), t(x, RDF_TYPE, a),                     # rdfs9, rdfs11
        t(e, SUBCLASS, f), t(f, SUBCLASS, e), t(z, RDF_TYPE, e),                     # a cycle
        t(p, SUBPROPERTY, q), t(q, SUBPROPERTY, r), t(x, p, y), t(x, p, text),       # rdfs7, rdfs5
        t(p, DOMAIN, n("D")), t(p, RANGE, n("R")), t(p, RANGE, date),                # rdfs2, rdfs3
        t(p, RANGE, datatype), t(datatype, RDF_TYPE, DATATYPE),
        t(p, INVERSE, inv),                                                           # prp-inv
        t(isa, SUBPROPERTY, SUBCLASS), t(k, isa, l_), t(w, RDF_TYPE, k),             # the ontology grows
    }
    assert infer(asserted) == {
        t(x, RDF_TYPE, b), t(x, RDF_TYPE, c), t(a, SUBCLASS, c),
        t(z, RDF_TYPE, f), t(e, SUBCLASS, e), t(f, SUBCLASS, f),
        t(x, q, y), t(x, r, y), t(x, q, text), t(x, r, text), t(p, SUBPROPERTY, r),
        t(x, RDF_TYPE, n("D")), t(y, RDF_TYPE, n("R")),  # no range type for the literal, the datatypes
        t(y, inv, x),
        t(k, SUBCLASS, l_), t(w, RDF_TYPE, l_),
    }
