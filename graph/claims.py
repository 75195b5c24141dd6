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

from graph.namespaces import CLAIMS_GRAPH, WIKIBASE
from graph.ranking import DEPRECATED, PREFERRED, Claim, Decision
from mappings.rdf import RDF_TYPE, asp, english, iri

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RANK_TERMS = {
    PREFERRED: ox.NamedNode(f"{WIKIBASE}PreferredRank"),
    "normal": ox.NamedNode(f"{WIKIBASE}NormalRank"),
    DEPRECATED: ox.NamedNode(f"{WIKIBASE}DeprecatedRank"),
}


def claim_iri(claim: Claim) -> ox.NamedNode:
    q = claim.quad
    digest = hashlib.sha256(f"{q.subject} {q.predicate} {q.object} {q.graph_name}".encode()).hexdigest()[:16]
    return iri("claim", digest)


def claim_quads(decisions: Iterable[Decision]) -> set[ox.Quad]:
    g = ox.NamedNode(CLAIMS_GRAPH)
    out: set[ox.Quad] = set()
    for d in decisions:
        if not d.annotated:
            continue
        rule = iri("rank-rule", d.rule)
        for c in d.claims:
            node = claim_iri(c)
            rank = d.rank(c)
            triples: list[tuple[ox.NamedNode, object]] = [
                (RDF_TYPE, asp("Claim")),
                (ox.NamedNode(RDF + "subject"), c.quad.subject),
                (ox.NamedNode(RDF + "predicate"), c.quad.predicate),
                (ox.NamedNode(RDF + "object"), c.quad.object),
                (asp("statedBy"), c.quad.graph_name),
                (ox.NamedNode(f"{WIKIBASE}rank"), RANK_TERMS[rank]),
                (asp("rankRule"), iri("rank-rule", "override") if c.override and rank != "normal" else rule),
                (asp("rankReason"), english(d.reason(c))),
            ]
            triples += [(asp("tableRow"), ox.Literal(where)) for where in c.rows]
            out.update(ox.Quad(node, p, o, g) for p, o in triples)  # type: ignore[arg-type]
    return out
