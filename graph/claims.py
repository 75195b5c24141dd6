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


def claim_quads(decisions: Iterable[Decision]) -> set[ox.Quad]:
    g = ox.NamedNode(CLAIMS_GRAPH)
    out: set[ox.Quad] = set()
    claim_class, stated_by, rank_rule, rank_reason, table_row = (
        asp("Claim"), asp("statedBy"), asp("rankRule"), asp("rankReason"), asp("tableRow"))
    override = iri("rank-rule", "override")
    for d in decisions:
        if not d.annotated:
            continue
        rule = iri("rank-rule", d.rule)
        for c in d.claims:
            q = c.quad
            s, p, o, source = q.subject, q.predicate, q.object, q.graph_name  # each read makes a new object
            node = claim_iri(s, p, o, source)
            rank = d.rank(c)
            triples: list[tuple[ox.NamedNode, object]] = [
                (RDF_TYPE, claim_class),
                (SUBJECT, s),
                (PREDICATE, p),
                (OBJECT, o),
                (stated_by, source),
                (RANK, RANK_TERMS[rank]),
                (rank_rule, override if c.override and rank != "normal" else rule),
                (rank_reason, english(d.reason(c))),
            ]
            triples += [(table_row, ox.Literal(where)) for where in c.rows]
            out.update(ox.Quad(node, prop, value, g) for prop, value in triples)  # type: ignore[arg-type]
    return out
