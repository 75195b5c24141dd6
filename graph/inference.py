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
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import cast

import pyoxigraph as ox

from graph.facts import ByPredicate, Fact, Grouped, by_predicate, every

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SUBCLASS, SUBPROPERTY = ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(RDFS + "subPropertyOf")
DOMAIN, RANGE, DATATYPE = ox.NamedNode(RDFS + "domain"), ox.NamedNode(RDFS + "range"), ox.NamedNode(RDFS + "Datatype")
INVERSE = ox.NamedNode("http://www.w3.org/2002/07/owl#inverseOf")
XSD = "http://www.w3.org/2001/XMLSchema#"
ONTOLOGY = {SUBCLASS, SUBPROPERTY, DOMAIN, RANGE, INVERSE}

Node = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple  # a triple term, in RDF 1.2


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
    """The lookup tables the rules join with, read from every triple that states them (only the
    groups of the ontology's own predicates are read)."""

    def __init__(self, groups: ByPredicate) -> None:
        subclass: dict[Node, set[Node]] = defaultdict(set)
        subproperty: dict[Node, set[Node]] = defaultdict(set)
        self.domain: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        ranges: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        self.inverse: dict[Node, set[ox.NamedNode]] = defaultdict(set)
        datatypes = {t.subject for t in groups.get(RDF_TYPE, ()) if t.object == DATATYPE}
        for t in groups.get(SUBCLASS, ()):
            subclass[t.subject].add(t.object)
        for t in groups.get(SUBPROPERTY, ()):
            subproperty[t.subject].add(t.object)
        for t in groups.get(DOMAIN, ()):
            if isinstance(o := t.object, ox.NamedNode):
                self.domain[t.subject].add(o)
        for t in groups.get(RANGE, ()):
            if isinstance(o := t.object, ox.NamedNode):
                ranges[t.subject].add(o)
        for t in groups.get(INVERSE, ()):
            s, o = t.subject, t.object
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

    def known(self, groups: ByPredicate) -> set[ox.Triple]:
        """The triples of ``groups`` that a rule could conclude (by their predicate): all that telling
        a new conclusion from a known one needs, a fraction of the whole."""
        concluded = {RDF_TYPE, SUBCLASS, SUBPROPERTY}.union(*self.superproperties.values(), *self.inverse.values())
        return {ox.Triple(f.subject, p, f.object) for p, facts in groups.items() if p in concluded for f in facts}

    def entailed(self, groups: ByPredicate) -> Iterator[ox.Triple]:
        """What rdfs9, rdfs7, rdfs2, rdfs3 and prp-inv conclude from each fact of ``groups``: the
        rules are looked up once per predicate, and a predicate no rule reads is skipped."""
        for p, facts in groups.items():
            typing = p == RDF_TYPE
            supers = [q for q in self.superproperties.get(p, ()) if isinstance(q, ox.NamedNode)]
            domains, ranges, inverses = self.domain.get(p, ()), self.range.get(p, ()), self.inverse.get(p, ())
            if not (typing or supers or ranges or inverses):
                if domains:
                    for t in facts:
                        s = t.subject
                        for c in domains:
                            yield ox.Triple(s, RDF_TYPE, c)
                continue
            for t in facts:
                s, o = t.subject, t.object
                if typing:
                    for sup in self.superclasses.get(o, ()):
                        if isinstance(sup, ox.NamedNode):
                            yield ox.Triple(s, RDF_TYPE, sup)
                for q in supers:
                    yield ox.Triple(s, q, o)
                for c in domains:
                    yield ox.Triple(s, RDF_TYPE, c)
                if isinstance(o, ox.NamedNode):
                    for c in ranges:
                        yield ox.Triple(o, RDF_TYPE, c)
                    for q in inverses:
                        yield ox.Triple(o, q, s)


def _states_ontology(t: ox.Triple) -> bool:
    return t.predicate in ONTOLOGY or (t.predicate == RDF_TYPE and t.object == DATATYPE)


def infer(asserted: ByPredicate | Iterable[Fact], max_rounds: int = 8) -> set[ox.Triple]:
    """Triples entailed by ``asserted`` (data and ontology together) and not already in it. The build
    gives the preferred view grouped by predicate (``graph.facts``), as quads, one per triple."""
    groups: ByPredicate = asserted if isinstance(asserted, Grouped) else by_predicate(cast(Iterable[Fact], asserted))
    new: set[ox.Triple] = set()
    ontology = Ontology(groups)
    known = ontology.known(groups)
    delta: ByPredicate = groups
    closures: set[ox.Triple] = ontology.closures
    for _ in range(max_rounds):
        found = {t for t in chain(closures, ontology.entailed(delta)) if t not in known and t not in new}
        if not found:
            break
        new |= found
        if any(_states_ontology(t) for t in found - ontology.closures):
            # the ontology itself grew: every rule again, over everything, with the new tables
            everything = by_predicate(chain(every(groups), new))
            ontology = Ontology(everything)
            known = ontology.known(groups)
            delta, closures = everything, ontology.closures
        else:
            delta, closures = by_predicate(found), set()
    return new
