"""RDFS and the OWL RL rules our ontology uses, materialised to a fixpoint.

owlrl (the well-kept pure-Python reasoner) computes the same entailments but is orders of magnitude
slower on the synthetic benchmark graphs. Each rule here joins one data triple with the ontology
(the class and property hierarchies, domains, ranges, inverses), so the ontology is read into
lookup tables once and every triple is matched against them: one pass over the data, and after that
only over what the last round found (semi-naive), as long as no round adds to the ontology. Loading
the data into a store to run the rules as SPARQL cost more than the rules themselves.
``tests/test_inference.py`` checks the result against owlrl on the real graph and rule by rule.

- rdfs9: ``x a c``, ``c rdfs:subClassOf+ d`` gives ``x a d``;
- rdfs7: ``x p y``, ``p rdfs:subPropertyOf+ q`` gives ``x q y``;
- rdfs2: ``x p y``, ``p rdfs:domain c`` gives ``x a c``;
- rdfs3: ``x p y``, ``p rdfs:range c`` gives ``y a c`` when y is an IRI and c a class (not an
  rdfs:Datatype, nor in the XSD namespace);
- prp-inv: ``x p y``, ``p owl:inverseOf q`` (either way round) gives ``y q x`` when y is an IRI;
- rdfs11 and rdfs5: the transitive closures of rdfs:subClassOf and rdfs:subPropertyOf.

Only IRIs are taken as the classes and properties a rule concludes. The result holds only *new*
triples; it goes into its own named graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import chain

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SUBCLASS, SUBPROPERTY = ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(RDFS + "subPropertyOf")
DOMAIN, RANGE, DATATYPE = ox.NamedNode(RDFS + "domain"), ox.NamedNode(RDFS + "range"), ox.NamedNode(RDFS + "Datatype")
INVERSE = ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf")
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY = {SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, INVERSE}

Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # a triple term, in RDF 1.2
Fact = ox.Triple | ox.Quad  # what the rules read: a quad stands for its triple (its graph is not read)


def _reachable(edges: dict[Node, set[Node]]) -> dict[Node, set[Node]]:
    """For each node, what one or more edges lead to (itself too when it is on a cycle)."""
    out: dict[Node, set[Node]] = {}
    for start in edges:
        seen: set[Node] = set()
        todo = list(edges[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(edges.get(node, ()))
        out[start] = seen
    return out


class Ontology:
    """The lookup tables the rules join with, read from every triple that states them."""

    def __init__(self, triples: Iterable[Fact]) -> None:
        subclass: dict[Node, set[Node]] = defaultdict(set)
        subproperty: dict[Node, set[Node]] = defaultdict(set)
        self.domain: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        ranges: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        self.inverse: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        datatypes: set[Node] = set()
        for t in triples:
            p, s, o = t.predicate, t.subject, t.object
            if p == RDF_TYPE:
                if o == DATATYPE:
                    datatypes.add(s)
            elif p == SUBCLASS:
                subclass[s].add(o)
            elif p == SUBPROPERTY:
                subproperty[s].add(o)
            elif p == DOMAIN and isinstance(o, ox.NamedNode):
                self.domain[s].add(o)
            elif p == RANGE and isinstance(o, ox.NamedNode):
                ranges[s].add(o)
            elif p == INVERSE:
                if isinstance(o, ox.NamedNode):
                    self.inverse[s].add(o)
                if isinstance(s, ox.NamedNode):
                    self.inverse[o].add(s)
        self.superclasses = _reachable(subclass)
        self.superproperties = _reachable(subproperty)
        self.range = {p: {c for c in cs if c not in datatypes and not c.value.startswith(XSD)}
                      for p, cs in ranges.items()}
        self.closures = self._closures()

    def _closures(self) -> set[ox.Triple]:
        """rdfs11 and rdfs5: every rdfs:subClassOf and rdfs:subPropertyOf the hierarchies imply."""
        return {ox.Triple(low, relation, high)
                for relation, reach in ((SUBCLASS, self.superclasses), (SUBPROPERTY, self.superproperties))
                for low, highs in reach.items() if isinstance(low, ox.NamedNode | ox.BlankNode)
                for high in highs}

    def known(self, facts: Iterable[Fact]) -> set[ox.Triple]:
        """The triples of ``facts`` that a rule could conclude (by their predicate): all that telling
        a new conclusion from a known one needs, a fraction of the whole."""
        concluded = {RDF_TYPE, SUBCLASS, SUBPROPERTY}.union(*self.superproperties.values(), *self.inverse.values())
        return {ox.Triple(f.subject, f.predicate, f.object) for f in facts if f.predicate in concluded}

    def entailed(self, triples: Iterable[Fact]) -> Iterator[ox.Triple]:
        """What rdfs9, rdfs7, rdfs2, rdfs3 and prp-inv conclude from each of ``triples``."""
        for t in triples:
            s, p, o = t.subject, t.predicate, t.object
            if p == RDF_TYPE:
                for c in self.superclasses.get(o, ()):
                    if isinstance(c, ox.NamedNode):
                        yield ox.Triple(s, RDF_TYPE, c)
            for q in self.superproperties.get(p, ()):
                if isinstance(q, ox.NamedNode):
                    yield ox.Triple(s, q, o)
            for c in self.domain.get(p, ()):
                yield ox.Triple(s, RDF_TYPE, c)
            if isinstance(o, ox.NamedNode):
                for c in self.range.get(p, ()):
                    yield ox.Triple(o, RDF_TYPE, c)
                for q in self.inverse.get(p, ()):
                    yield ox.Triple(o, q, s)


def _states_ontology(t: ox.Triple) -> bool:
    return t.predicate in ONTOLOGY or (t.predicate == RDF_TYPE and t.object == DATATYPE)


def infer(asserted: Collection[Fact], max_rounds: int = 8) -> set[ox.Triple]:
    """Triples entailed by ``asserted`` (data and ontology together) and not already in it. The build
    gives the preferred view as quads, one per triple, and no Triple is made for each of them."""
    new: set[ox.Triple] = set()
    ontology = Ontology(asserted)
    known = ontology.known(asserted)
    delta: Iterable[Fact] = asserted
    closures: set[ox.Triple] = ontology.closures
    for _ in range(max_rounds):
        found = {t for t in chain(closures, ontology.entailed(delta)) if t not in known and t not in new}
        if not found:
            break
        new |= found
        if any(_states_ontology(t) for t in found - ontology.closures):
            # the ontology itself grew: every rule again, over everything, with the new tables
            everything = [*asserted, *new]
            ontology = Ontology(everything)
            known = ontology.known(asserted)
            delta, closures = everything, ontology.closures
        else:
            delta, closures = found, set()
    return new
