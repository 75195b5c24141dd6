"""What an entity document says: the entity's triples, the related things it embeds, and who says what.

A few quads queries, all with the entity bound through ``substitutions`` (never spliced), give a tree
of ``Node`` objects; ``triples()`` and ``claim_quads()`` are exactly the RDF that the JSON-LD, Turtle,
N-Triples, RDF/XML and HTML renderings of that tree carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from graph.namespaces import ALL_GRAPH, ASP, CLAIMS_GRAPH, ORG, PROV, TIME

Term = ox.NamedNode | ox.BlankNode | ox.Literal  # what an object can be (no RDF-star here)
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ASP_TITLE = ox.NamedNode(str(ASP.title))
DERIVED_FROM = ox.NamedNode(str(PROV.wasDerivedFrom))
SKOS_IN_SCHEME = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")


def _a(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(ASP[local]))


def _org(local: str) -> ox.NamedNode:
    return ox.NamedNode(str(ORG[local]))


@dataclass(frozen=True)
class Rev:
    """Embed the things that point at the entity through ``prop`` under the reverse term ``key``."""

    key: str
    prop: ox.NamedNode
    full: bool = True
    type: ox.NamedNode | None = None
    nested: tuple[Rev, ...] = ()


# Things owned by the entity they hang from; embedded with all their facts.
FULL_FORWARD = {
    ox.NamedNode(str(p))
    for p in (ASP.partyStatus, ORG.memberDuring, TIME.hasBeginning, TIME.hasEnd, ASP.adoptsAmendment)
}

REVERSE_BY_KIND: dict[str, tuple[Rev, ...]] = {
    "state": (
        Rev("posts", _org("member"), type=_a("Mandate")),
        Rev("candidatures", _a("candidate")),
        Rev("pledges", _a("donor")),
        Rev("nationals", _a("nationality"), full=False),
        Rev("venues", _a("country"), full=False),
    ),
    "session": (
        Rev("resolutions", _a("adoptedAt")),
        Rev("elections", _a("session"), type=_a("Election"), nested=(Rev("mandates", _a("electedIn")),)),
        Rev("statements", _a("session"), type=_a("Statement")),
        Rev("participation", _a("session"), type=_a("Participation")),
        Rev("resumptions", _a("resumptionOf"), full=False),
        Rev("decisions", _a("decidedAt")),
    ),
    "election": (
        Rev("candidacies", _a("candidacyIn")),
        Rev("rounds", _a("roundOf"), nested=(Rev("counts", _a("countIn")),)),
        Rev("mandates", _a("electedIn")),
    ),
    "organ": (
        Rev("seatAllocations", _a("allocationOf")),
        Rev("subOrganizations", _org("subOrganizationOf"), full=False),
        Rev("electionsHeld", _a("electionFor"), full=False),
        Rev("members", _org("organization"), type=_a("Mandate")),
        Rev("sessions", _a("heldBy"), full=False),
    ),
    "person": (Rev("posts", _org("member"), type=_a("Mandate")), Rev("candidatures", _a("candidate"))),
    "resolution": (Rev("budgetFigures", _a("resolution")),),
    "regional-group": (Rev("states", _a("regionalGroup"), full=False), Rev("allocations", _a("allocatedTo"))),
    "venue": (Rev("sessionsHeld", _a("venue"), full=False),),
    "source": (Rev("describes", DERIVED_FROM, full=False),),
    "legal-instrument": (Rev("amendmentsOf", _a("amends")),),
}
SCHEME_REVERSE = (Rev("concepts", SKOS_IN_SCHEME, full=False),)


@dataclass
class Node:
    """One resource of the document: its facts (in order), what it embeds and what points at it."""

    iri: ox.NamedNode
    props: dict[ox.NamedNode, list[Term]] = field(default_factory=dict)
    embedded: dict[ox.NamedNode, Node] = field(default_factory=dict)
    children: list[tuple[Rev, list[Node]]] = field(default_factory=list)

    def add(self, p: ox.NamedNode, o: Term) -> None:
        values = self.props.setdefault(p, [])
        if o not in values:
            values.append(o)

    def walk(self):
        yield self
        for child in self.embedded.values():
            yield from child.walk()
        for _, nodes in self.children:
            for child in nodes:
                yield from child.walk()


@dataclass(frozen=True)
class RankedClaim:
    """One source's claim of a functional fact of the entity, with its rank and the reason for it."""

    iri: ox.NamedNode
    predicate: ox.NamedNode
    value: Term
    source: ox.NamedNode
    rank: str  # preferred, normal or deprecated
    rule: ox.NamedNode
    reason: ox.Literal
    rows: tuple[str, ...] = ()

    def facts(self, subject: ox.NamedNode) -> list[tuple[ox.NamedNode, Term]]:
        """The claim node's own triples (predicate, object), as the claims graph holds them."""
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        out: list[tuple[ox.NamedNode, Term]] = [
            (RDF_TYPE, _a("Claim")), (ox.NamedNode(rdf + "subject"), subject),
            (ox.NamedNode(rdf + "predicate"), self.predicate), (ox.NamedNode(rdf + "object"), self.value),
            (_a("statedBy"), self.source), (WIKIBASE_RANK, RANK_IRIS[self.rank]), (_a("rankRule"), self.rule),
            (_a("rankReason"), self.reason),
        ]
        return out + [(_a("tableRow"), ox.Literal(r)) for r in self.rows]


WIKIBASE_RANK = ox.NamedNode("http://wikiba.se/ontology#rank")
RANK_IRIS = {r: ox.NamedNode(f"http://wikiba.se/ontology#{r.capitalize()}Rank")
             for r in ("preferred", "normal", "deprecated")}


@dataclass
class Description:
    """An entity's document: the root node tree (the preferred view), labels of what it links to,
    per-graph claims, and the ranks of the claims of its contested facts."""

    root: Node
    labels: dict[ox.NamedNode, list[ox.Literal]]
    titles: dict[ox.NamedNode, list[ox.Literal]]
    claims: dict[ox.NamedNode, list[tuple[ox.NamedNode, Term]]]
    ranked: list[RankedClaim] = field(default_factory=list)

    def references(self) -> set[ox.NamedNode]:
        """IRIs shown as links (with their label) rather than embedded."""
        refs: set[ox.NamedNode] = set()
        for node in self.root.walk():
            for p, values in node.props.items():
                if p == RDF_TYPE:
                    continue
                for o in values:
                    if isinstance(o, ox.NamedNode) and o not in node.embedded:
                        refs.add(o)
        return refs

    def triples(self) -> set[ox.Triple]:
        out: set[ox.Triple] = set()
        for node in self.root.walk():
            for p, values in node.props.items():
                out.update(ox.Triple(node.iri, p, o) for o in values)
            for rev, kids in node.children:
                out.update(ox.Triple(k.iri, rev.prop, node.iri) for k in kids)
        for ref in self.references():
            out.update(ox.Triple(ref, RDFS_LABEL, lit) for lit in self.labels.get(ref, ()))
            out.update(ox.Triple(ref, ASP_TITLE, lit) for lit in self.titles.get(ref, ()))
        for g in self.claims:
            out.update(ox.Triple(g, RDFS_LABEL, lit) for lit in self.labels.get(g, ()))
        for rc in self.ranked:
            out.update(ox.Triple(rc.iri, p, o) for p, o in rc.facts(self.root.iri))
        return out

    def claim_quads(self) -> set[ox.Quad]:
        return {ox.Quad(self.root.iri, p, o, g) for g, facts in self.claims.items() for p, o in facts}

    def graphs_of(self) -> dict[tuple[ox.NamedNode, Term], list[ox.NamedNode]]:
        """(predicate, object) -> the named graphs stating it."""
        out: dict[tuple[ox.NamedNode, Term], list[ox.NamedNode]] = {}
        for g, facts in self.claims.items():
            for fact in facts:
                out.setdefault(fact, []).append(g)
        return out


def select(store: ox.Store, text: str, **bind: Term) -> ox.QuerySolutions:
    """A SELECT query with values bound through ``substitutions`` (never spliced into the text)."""
    subs: dict = {ox.Variable(k): v for k, v in bind.items()}
    return cast(ox.QuerySolutions, store.query(text, substitutions=subs) if subs else store.query(text))


DEFAULT = ox.DefaultGraph()


def _facts(store: ox.Store, s: ox.NamedNode, p: ox.NamedNode | None = None):
    """(predicate, object) of ``s`` in the default graph: a direct index lookup, no query parsing."""
    return ((q.predicate, q.object) for q in store.quads_for_pattern(s, p, None, DEFAULT))


def _fill(store: ox.Store, nodes: dict[ox.NamedNode, Node]) -> None:
    """Read all facts of ``nodes``, then embed what they own, level by level."""
    pending = dict(nodes)
    seen: set[ox.NamedNode] = set()
    while pending:
        seen.update(pending)
        for iri, node in pending.items():
            for p, o in _facts(store, iri):
                node.add(p, o)
        nxt: dict[ox.NamedNode, Node] = {}
        for node in pending.values():
            for p, values in node.props.items():
                if p in FULL_FORWARD:
                    for o in values:
                        if isinstance(o, ox.NamedNode) and o not in seen:
                            child = nxt.setdefault(o, Node(o))
                            node.embedded[o] = child
        pending = nxt


def _reverse(store: ox.Store, parents: dict[ox.NamedNode, Node], rev: Rev, depth: int = 0) -> None:
    if not parents or depth > 3:
        return
    kids: dict[ox.NamedNode, Node] = {}
    for parent_iri, parent in parents.items():
        found: list[Node] = []
        for q in store.quads_for_pattern(None, rev.prop, parent_iri, DEFAULT):
            x = q.subject
            if not isinstance(x, ox.NamedNode):
                continue
            if rev.type is not None and not any(
                True for _ in store.quads_for_pattern(x, RDF_TYPE, rev.type, DEFAULT)
            ):
                continue
            found.append(kids.setdefault(x, Node(x)))
        if found:
            parent.children.append(
                (rev, sorted({n.iri: n for n in found}.values(), key=lambda n: n.iri.value))
            )
    if rev.full and kids:
        _fill(store, kids)
        for kid in kids.values():  # the link back to the parent is carried by the nesting itself
            back = kid.props.get(rev.prop)
            if back is not None:
                kid.props[rev.prop] = [o for o in back if o not in parents]
                if not kid.props[rev.prop]:
                    del kid.props[rev.prop]
    for nested in rev.nested:
        _reverse(store, kids, nested, depth + 1)


def _literals(store: ox.Store, nodes, predicate: ox.NamedNode) -> dict[ox.NamedNode, list[ox.Literal]]:
    out: dict[ox.NamedNode, list[ox.Literal]] = {}
    for x in nodes:
        values = [o for _, o in _facts(store, x, predicate) if isinstance(o, ox.Literal)]
        if values:
            out[x] = values
    return out


def kind_of(iri: str, id_base: str) -> tuple[str, bool]:
    """(kind, is_scheme): ``state`` for ``…/id/state/UKR``; a bare ``…/id/role`` is a code list."""
    rest = iri[len(id_base) :] if iri.startswith(id_base) else ""
    kind, sep, _ = rest.partition("/")
    return kind, not sep


NOT_SOURCES = {ox.NamedNode(ALL_GRAPH), ox.NamedNode(CLAIMS_GRAPH)}
RANKS_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX asp: <https://w3id.org/asp-kg/ontology#>
PREFIX wikibase: <http://wikiba.se/ontology#>
SELECT ?e ?c ?p ?o ?g ?rank ?rule ?why (GROUP_CONCAT(?row; separator="|") AS ?rows) WHERE {
  GRAPH <https://w3id.org/asp-kg/graph/claims> {
    ?c rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ; asp:statedBy ?g ;
       wikibase:rank ?rank ; asp:rankRule ?rule ; asp:rankReason ?why .
    OPTIONAL { ?c asp:tableRow ?row }
  }
} GROUP BY ?e ?c ?p ?o ?g ?rank ?rule ?why ORDER BY ?p ?rank ?g"""


def ranked_claims(store: ox.Store, e: ox.NamedNode) -> list[RankedClaim]:
    out = []
    for row in select(store, RANKS_QUERY, e=e):
        rank = row["rank"].value.rsplit("#", 1)[-1].removesuffix("Rank").lower()
        rows = tuple(sorted(row["rows"].value.split("|"))) if row["rows"] and row["rows"].value else ()
        out.append(RankedClaim(row["c"], row["p"], row["o"], row["g"], rank, row["rule"], row["why"], rows))
    return out


def describe(store: ox.Store, iri: str, id_base: str) -> Description | None:
    """The document of ``iri`` (None when the graph says nothing about it): its facts as the default
    graph holds them (one preferred value per functional property), and every source's claims."""
    e = ox.NamedNode(iri)
    root = Node(e)
    for p, o in _facts(store, e):
        root.add(p, o)
    claims: dict[ox.NamedNode, list[tuple[ox.NamedNode, Term]]] = {}
    for row in select(store, "SELECT ?e ?p ?o ?g WHERE { GRAPH ?g { ?e ?p ?o } }", e=e):
        if row["g"] not in NOT_SOURCES:
            claims.setdefault(row["g"], []).append((row["p"], row["o"]))
    if not root.props and not claims:
        return None
    _fill_forward(store, root)
    kind, is_scheme = kind_of(iri, id_base)
    specs = SCHEME_REVERSE if is_scheme else REVERSE_BY_KIND.get(kind, ())
    if kind == "election" and "/" in iri[len(id_base) + len(kind) + 1 :]:  # a candidacy, round or count
        specs = (Rev("counts", _a("countIn")),) if _a("VotingRound") in root.props.get(RDF_TYPE, []) else ()
    for rev in specs:
        _reverse(store, {e: root}, rev)
    desc = Description(root=root, labels={}, titles={}, claims=claims, ranked=ranked_claims(store, e))
    refs = desc.references() | set(claims)
    desc.labels = _literals(store, refs, RDFS_LABEL)
    sources = {o for o in root.props.get(DERIVED_FROM, []) if isinstance(o, ox.NamedNode)}
    desc.titles = _literals(store, sources, ASP_TITLE)
    return desc


def _fill_forward(store: ox.Store, root: Node) -> None:
    owned = {
        o: Node(o)
        for p, vs in root.props.items()
        if p in FULL_FORWARD
        for o in vs
        if isinstance(o, ox.NamedNode)
    }
    if owned:
        root.embedded.update(owned)
        _fill(store, owned)
