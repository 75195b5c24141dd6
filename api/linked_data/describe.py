"""What an entity document says: the entity's triples, the related things it embeds, and who says what.

A handful of repository lookups, one per level of the tree (never one per node), all with the
entity bound (never spliced), give a tree of ``Node`` objects; ``triples()`` and ``claim_quads()``
are exactly the RDF that the JSON-LD, Turtle, N-Triples, RDF/XML and HTML renderings carry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib.term import BNode, Literal, URIRef

from api.store.base import Graph, Quad, Repository, Term
from graph.namespaces import ALL_GRAPH, ASP, CLAIMS_GRAPH, ORG, PROV, TIME

RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
ASP_TITLE = URIRef(str(ASP.title))
DERIVED_FROM = URIRef(str(PROV.wasDerivedFrom))
SKOS_IN_SCHEME = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
Triple = tuple[URIRef | BNode, URIRef, Term]
QuadT = tuple[URIRef | BNode, URIRef, Term, URIRef]


def _a(local: str) -> URIRef:
    return URIRef(str(ASP[local]))


def _org(local: str) -> URIRef:
    return URIRef(str(ORG[local]))


@dataclass(frozen=True)
class Rev:
    """Embed the things that point at the entity through ``prop`` under the reverse term ``key``."""

    key: str
    prop: URIRef
    full: bool = True
    type: URIRef | None = None
    nested: tuple[Rev, ...] = ()


# Things owned by the entity they hang from; embedded with all their facts.
FULL_FORWARD = {
    URIRef(str(p))
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

    iri: URIRef
    props: dict[URIRef, list[Term]] = field(default_factory=dict)
    embedded: dict[URIRef, Node] = field(default_factory=dict)
    children: list[tuple[Rev, list[Node]]] = field(default_factory=list)

    def add(self, p: URIRef, o: Term) -> None:
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

    iri: URIRef
    predicate: URIRef
    value: Term
    source: URIRef
    rank: str  # preferred, normal or deprecated
    rule: URIRef
    reason: Literal
    rows: tuple[str, ...] = ()

    def facts(self, subject: URIRef) -> list[tuple[URIRef, Term]]:
        """The claim node's own triples (predicate, object), as the claims graph holds them."""
        rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        out: list[tuple[URIRef, Term]] = [
            (RDF_TYPE, _a("Claim")), (URIRef(rdf + "subject"), subject),
            (URIRef(rdf + "predicate"), self.predicate), (URIRef(rdf + "object"), self.value),
            (_a("statedBy"), self.source), (WIKIBASE_RANK, RANK_IRIS[self.rank]), (_a("rankRule"), self.rule),
            (_a("rankReason"), self.reason),
        ]
        return out + [(_a("tableRow"), Literal(r)) for r in self.rows]


WIKIBASE_RANK = URIRef("http://wikiba.se/ontology#rank")
RANK_IRIS = {r: URIRef(f"http://wikiba.se/ontology#{r.capitalize()}Rank")
             for r in ("preferred", "normal", "deprecated")}


@dataclass
class Description:
    """An entity's document: the root node tree (the preferred view), labels of what it links to,
    per-graph claims, and the ranks of the claims of its contested facts."""

    root: Node
    labels: dict[URIRef, list[Literal]]
    titles: dict[URIRef, list[Literal]]
    claims: dict[URIRef, list[tuple[URIRef, Term]]]
    ranked: list[RankedClaim] = field(default_factory=list)

    def references(self) -> set[URIRef]:
        """IRIs shown as links (with their label) rather than embedded."""
        refs: set[URIRef] = set()
        for node in self.root.walk():
            for p, values in node.props.items():
                if p == RDF_TYPE:
                    continue
                for o in values:
                    if isinstance(o, URIRef) and o not in node.embedded:
                        refs.add(o)
        return refs

    def triples(self) -> set[Triple]:
        out: set[Triple] = set()
        for node in self.root.walk():
            for p, values in node.props.items():
                out.update((node.iri, p, o) for o in values)
            for rev, kids in node.children:
                out.update((k.iri, rev.prop, node.iri) for k in kids)
        for ref in self.references():
            out.update((ref, RDFS_LABEL, lit) for lit in self.labels.get(ref, ()))
            out.update((ref, ASP_TITLE, lit) for lit in self.titles.get(ref, ()))
        for g in self.claims:
            out.update((g, RDFS_LABEL, lit) for lit in self.labels.get(g, ()))
        for rc in self.ranked:
            out.update((rc.iri, p, o) for p, o in rc.facts(self.root.iri))
        return out

    def claim_quads(self) -> set[QuadT]:
        return {(self.root.iri, p, o, g) for g, facts in self.claims.items() for p, o in facts}

    def graphs_of(self) -> dict[tuple[URIRef, Term], list[URIRef]]:
        """(predicate, object) -> the named graphs stating it."""
        out: dict[tuple[URIRef, Term], list[URIRef]] = {}
        for g, facts in self.claims.items():
            for fact in facts:
                out.setdefault(fact, []).append(g)
        return out


def _facts(repo: Repository, subjects: Iterable[URIRef], p: URIRef | None = None) -> dict[Term, list[tuple]]:
    """(predicate, object) of each subject in the default graph: one lookup for all of them."""
    subjects = list(subjects)
    out: dict[Term, list[tuple]] = {s: [] for s in subjects}
    if subjects:
        for q in sorted(repo.match(subjects, [p] if p is not None else None), key=_order):
            out[q.subject].append((q.predicate, q.object))
    return out


def _order(q: Quad) -> tuple:
    """Engines list matches in their own index order; documents must not depend on the engine."""
    return (str(q.predicate), q.object.n3(), str(q.graph or ""))


def _fill(repo: Repository, nodes: dict[URIRef, Node]) -> None:
    """Read all facts of ``nodes``, then embed what they own, level by level (one lookup a level)."""
    pending = dict(nodes)
    seen: set[URIRef] = set()
    while pending:
        seen.update(pending)
        for iri, facts in _facts(repo, pending).items():
            node = pending[iri]  # type: ignore[index]
            for p, o in facts:
                node.add(p, o)
        nxt: dict[URIRef, Node] = {}
        for node in pending.values():
            for p, values in node.props.items():
                if p in FULL_FORWARD:
                    for o in values:
                        if isinstance(o, URIRef) and o not in seen:
                            child = nxt.setdefault(o, Node(o))
                            node.embedded[o] = child
        pending = nxt


def _reverse(repo: Repository, parents: dict[URIRef, Node], rev: Rev, depth: int = 0) -> None:
    if not parents or depth > 3:
        return
    pointing: dict[Term, list[URIRef]] = {}
    for q in repo.match(None, [rev.prop], list(parents)):
        if isinstance(q.subject, URIRef):
            pointing.setdefault(q.object, []).append(q.subject)
    if rev.type is not None and pointing:
        candidates = {x for xs in pointing.values() for x in xs}
        typed = {q.subject for q in repo.match(candidates, [RDF_TYPE], [rev.type])}
        pointing = {o: [x for x in xs if x in typed] for o, xs in pointing.items()}
    kids: dict[URIRef, Node] = {}
    for parent_iri, parent in parents.items():
        found = [kids.setdefault(x, Node(x)) for x in pointing.get(parent_iri, [])]
        if found:
            parent.children.append((rev, sorted({n.iri: n for n in found}.values(), key=lambda n: str(n.iri))))
    if rev.full and kids:
        _fill(repo, kids)
        for kid in kids.values():  # the link back to the parent is carried by the nesting itself
            back = kid.props.get(rev.prop)
            if back is not None:
                kid.props[rev.prop] = [o for o in back if o not in parents]
                if not kid.props[rev.prop]:
                    del kid.props[rev.prop]
    for nested in rev.nested:
        _reverse(repo, kids, nested, depth + 1)


def _literals(repo: Repository, nodes: Iterable[URIRef], predicate: URIRef) -> dict[URIRef, list[Literal]]:
    out: dict[URIRef, list[Literal]] = {}
    for x, facts in _facts(repo, nodes, predicate).items():
        values = [o for _, o in facts if isinstance(o, Literal)]
        if values:
            out[x] = values  # type: ignore[index]
    return out


def kind_of(iri: str, id_base: str) -> tuple[str, bool]:
    """(kind, is_scheme): ``state`` for ``…/id/state/UKR``; a bare ``…/id/role`` is a code list."""
    rest = iri[len(id_base) :] if iri.startswith(id_base) else ""
    kind, sep, _ = rest.partition("/")
    return kind, not sep


NOT_SOURCES = {URIRef(ALL_GRAPH), URIRef(CLAIMS_GRAPH)}
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
} GROUP BY ?e ?c ?p ?o ?g ?rank ?rule ?why ORDER BY ?p ?rank ?g ?c"""


def ranked_claims(repo: Repository, e: URIRef) -> list[RankedClaim]:
    out = []
    for row in repo.select(RANKS_QUERY, {"e": e}):
        rank = str(row["rank"]).rsplit("#", 1)[-1].removesuffix("Rank").lower()
        rows = tuple(sorted(str(row["rows"]).split("|"))) if str(row.get("rows", "")) else ()
        out.append(RankedClaim(row["c"], row["p"], row["o"], row["g"], rank, row["rule"],  # type: ignore[arg-type]
                               row["why"], rows))  # type: ignore[arg-type]
    return out


def describe(repo: Repository, iri: str, id_base: str) -> Description | None:
    """The document of ``iri`` (None when the graph says nothing about it): its facts as the default
    graph holds them (one preferred value per functional property), and every source's claims."""
    e = URIRef(iri)
    root = Node(e)
    for p, o in _facts(repo, [e])[e]:
        root.add(p, o)
    claims: dict[URIRef, list[tuple[URIRef, Term]]] = {}
    for q in sorted(repo.match([e], graph=Graph.NAMED), key=_order):
        if q.graph not in NOT_SOURCES and q.graph is not None:
            claims.setdefault(q.graph, []).append((q.predicate, q.object))
    if not root.props and not claims:
        return None
    _fill_forward(repo, root)
    kind, is_scheme = kind_of(iri, id_base)
    specs = SCHEME_REVERSE if is_scheme else REVERSE_BY_KIND.get(kind, ())
    if kind == "election" and "/" in iri[len(id_base) + len(kind) + 1 :]:  # a candidacy, round or count
        specs = (Rev("counts", _a("countIn")),) if _a("VotingRound") in root.props.get(RDF_TYPE, []) else ()
    for rev in specs:
        _reverse(repo, {e: root}, rev)
    desc = Description(root=root, labels={}, titles={}, claims=claims, ranked=ranked_claims(repo, e))
    refs = desc.references() | set(claims)
    desc.labels = _literals(repo, refs, RDFS_LABEL)
    sources = {o for o in root.props.get(DERIVED_FROM, []) if isinstance(o, URIRef)}
    desc.titles = _literals(repo, sources, ASP_TITLE)
    return desc


def _fill_forward(repo: Repository, root: Node) -> None:
    owned = {
        o: Node(o)
        for p, vs in root.props.items()
        if p in FULL_FORWARD
        for o in vs
        if isinstance(o, URIRef)
    }
    if owned:
        root.embedded.update(owned)
        _fill(repo, owned)
