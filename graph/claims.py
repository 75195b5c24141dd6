"""Ranks and reasons in the graph: one reified claim node per claim of a contested or curated fact.

A claim node (``id/claim/{hash}``, an ``asp:Claim``, subclass of ``rdf:Statement``) names the
triple with ``rdf:subject``/``rdf:predicate``/``rdf:object``, the source that states it
(``asp:statedBy``), its rank with Wikidata's rank terms (``wikibase:rank wikibase:PreferredRank``,
``NormalRank`` or ``DeprecatedRank``), the rule that decided (``asp:rankRule``, a code list) and a
sentence saying why (``asp:rankReason``), plus the CSV rows it was read from (``asp:tableRow``).
Plain RDF reification rather than RDF-star: it survives every format and client we serve (JSON-LD
1.1, N-Triples, RDF/XML, SPARQL 1.1 engines), and the claims live in their own named graph, so the
default graph stays one clean value per fact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from graph.dumps import Statements, document
from graph.namespaces import CLAIMS_GRAPH, WIKIBASE
from graph.ranking import DEPRECATED, PREFERRED, Decision
from mappings.rdf import RDF_TYPE, asp, english, iri

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RANK_TERMS = {
    PREFERRED: ox.NamedNode(f"{WIKIBASE}PreferredRank"),
    "normal": ox.NamedNode(f"{WIKIBASE}NormalRank"),
    DEPRECATED: ox.NamedNode(f"{WIKIBASE}DeprecatedRank"),
}


SUBJECT, PREDICATE, OBJECT = (ox.NamedNode(RDF + name) for name in ("subject", "predicate", "object"))
RANK = ox.NamedNode(f"{WIKIBASE}rank")


def claim_iri(*terms: object) -> ox.NamedNode:
    """The claim node of a quad, from its subject, predicate, object and graph."""
    digest = hashlib.sha256(" ".join(map(str, terms)).encode()).hexdigest()[:16]
    return iri("claim", digest)


def claim_statements(decisions: Iterable[Decision]) -> Statements:
    """The claim nodes' quads as N-Quads lines (and their triples' N-Triples lines), written from
    each term's own N-Triples form, which the claim node's name hashes anyway: no Python quad is made
    for them. With 20 claims per fact, 174,000 quads, made, serialised and freed in about 2.6 us each
    as quads (half of it in pyoxigraph's constructor trying the other kinds of term before a literal)."""
    g = f" <{CLAIMS_GRAPH}> ."
    claim_class, stated_by, rank_rule, rank_reason, table_row, rdf_type, subject, predicate, object_, rank = (
        str(t) for t in (asp("Claim"), asp("statedBy"), asp("rankRule"), asp("rankReason"), asp("tableRow"),
                         RDF_TYPE, SUBJECT, PREDICATE, OBJECT, RANK))
    ranks = {name: str(t) for name, t in RANK_TERMS.items()}
    override = str(iri("rank-rule", "override"))
    triples: dict[str, None] = {}  # a set, in the order made
    for d in decisions:
        if not d.annotated:
            continue
        rule = str(iri("rank-rule", d.rule))
        for c in d.claims:
            q = c.quad
            s, p, o, source = (str(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
            node = str(claim_iri(s, p, o, source))
            ranked = d.rank(c)
            for prop, value in ((rdf_type, claim_class), (subject, s), (predicate, p), (object_, o),
                                (stated_by, source), (rank, ranks[ranked]),
                                (rank_rule, override if c.override and ranked != "normal" else rule),
                                (rank_reason, str(english(d.reason(c)))),
                                *((table_row, str(ox.Literal(where))) for where in c.rows)):
                triples[f"{node} {prop} {value}"] = None
    return Statements([f"{t}{g}".encode() for t in triples], [f"{t} .".encode() for t in triples])


def claim_quads(decisions: Iterable[Decision]) -> set[ox.Quad]:
    """``claim_statements`` as quads."""
    lines = claim_statements(decisions).quads
    return set(ox.parse(document(lines), format=ox.RdfFormat.N_QUADS))  # type: ignore[arg-type]
