"""RDFS and the OWL RL rules our ontology uses, materialised with SPARQL on pyoxigraph.

owlrl (the well-kept pure-Python reasoner) computes the same entailments but is orders of magnitude
slower on the synthetic benchmark graph, so the rules run as SPARQL CONSTRUCTs inside pyoxigraph
and iterate to a fixpoint. ``tests/test_inference.py`` checks them against owlrl on the real graph.
The result holds only *new* triples; it goes into its own named graph.
"""

from __future__ import annotations

from typing import cast

import pyoxigraph as ox

RULES = {
    "rdfs9 subclass": """
        CONSTRUCT { ?x a ?d } WHERE { ?x a ?c . ?c rdfs:subClassOf+ ?d . FILTER(isIRI(?d)) }""",
    "rdfs7 subproperty": """
        CONSTRUCT { ?x ?q ?y } WHERE { ?p rdfs:subPropertyOf+ ?q . ?x ?p ?y . FILTER(isIRI(?q)) }""",
    "rdfs2 domain": """
        CONSTRUCT { ?x a ?c } WHERE { ?p rdfs:domain ?c . ?x ?p ?y . FILTER(isIRI(?c)) }""",
    "rdfs3 range": """
        CONSTRUCT { ?y a ?c } WHERE {
          ?p rdfs:range ?c . ?x ?p ?y . FILTER(isIRI(?y) && isIRI(?c))
          FILTER NOT EXISTS { ?c a rdfs:Datatype } FILTER(!STRSTARTS(STR(?c), STR(xsd:))) }""",
    "prp-inv inverse": """
        CONSTRUCT { ?y ?q ?x } WHERE {
          { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } ?x ?p ?y . FILTER(isIRI(?y)) }""",
    "rdfs11 subclass transitivity": """
        CONSTRUCT { ?c rdfs:subClassOf ?e } WHERE { ?c rdfs:subClassOf/rdfs:subClassOf+ ?e }""",
    "rdfs5 subproperty transitivity": """
        CONSTRUCT { ?p rdfs:subPropertyOf ?r } WHERE { ?p rdfs:subPropertyOf/rdfs:subPropertyOf+ ?r }""",
}
PROLOGUE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def infer(asserted: set[ox.Triple], max_rounds: int = 8) -> set[ox.Triple]:
    """Triples entailed by ``asserted`` (data and ontology together) and not already in it."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in asserted)
    known = set(asserted)
    new: set[ox.Triple] = set()
    for _ in range(max_rounds):
        found: set[ox.Triple] = set()
        for rule in RULES.values():
            triples = cast(ox.QueryTriples, store.query(PROLOGUE + rule))
            found.update(t for t in triples if t not in known)
        if not found:
            break
        known |= found
        new |= found
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in found)
    return new
