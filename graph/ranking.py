"""Choose one preferred value for every functional fact, by a documented rule, and say why.

Every source's claims are kept (each in its source's named graph); this module only decides which
value of a property that has one true value (an ``owl:FunctionalProperty`` of the ontology, or the
main label in each language) users see by default. After Wikidata's statement ranks, each claim
ends up *preferred*, *normal* (kept, outranked) or *deprecated* (a curator marked it wrong), and the
decision records the rule that settled it:

1. **override**: a curator marked a claim ``preferred`` (or ``deprecated``) on its table row, with a
   reason. Deprecated claims never win; a preferred override wins over everything below.
2. **tier**: the value stated by the most authoritative source wins (tier 1 official records of the
   Assembly, the Court and the UN depositary; 2 official press releases and the Coalition for the
   ICC; 3 other press, NGOs, academic work; 4 copies, mirrors, aggregators, wikis).
3. **agreement**: among values stated at that best tier, the one stated by more independent sources
   (distinct publishers, counting sources of any tier down to 3: copies are not independent) wins.
4. **recency**: then the value whose best-tier source is the most recent wins (a closing press
   release corrects the dates announced before a session).
5. Otherwise it is a **tie**: no value is preferred (a wrong fact is worse than a missing one), the
   build warns and ``aspkg conflicts`` lists it until a curator adds an override.

A fact stated by one source only, or by several that agree, is **uncontested** / **unanimous**.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from graph.facts import Grouped, grouped
from mappings.rdf import Origin

PREFERRED, NORMAL, DEPRECATED = "preferred", "normal", "deprecated"
RULES = ("uncontested", "unanimous", "override", "tier", "agreement", "recency", "tie", "deprecated")
TIER_NAMES = {1: "official record", 2: "official press release or Coalition report",
              3: "other press, NGO or academic work", 4: "copy, mirror or wiki"}


class OverrideConflict(ValueError):
    """Two curated overrides prefer different values of one fact: a curator must choose."""


@dataclass(frozen=True)
class SourceInfo:
    iri: str
    tier: int
    publisher: str
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    title: str = ""

    @cached_property  # read for every claim: worked out once per source
    def independent_as(self) -> str:
        """Sources of one publisher are not independent of each other ("UN (copy at X)" is the UN)."""
        return re.sub(r"\s*\(.*?\)\s*", " ", self.publisher).strip().lower()

    @cached_property
    def key(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(slots=True, init=False)
class Claim:
    """One source's statement of a value (a quad), with where it was read and any override."""

    quad: ox.Quad
    source: SourceInfo
    origins: list[Origin]
    # Read once: the ranking compares values and tiers many times, and each read of a pyoxigraph
    # term makes a new Python object.
    value: ox.NamedNode | ox.Literal | ox.BlankNode
    tier: int
    override: str | None  # a curator's rank on the claim's rows, if any

    def __init__(self, quad: ox.Quad, source: SourceInfo, origins: list[Origin] | None = None) -> None:
        # Written out rather than made by the dataclass with a __post_init__: one is made for every
        # claim of a functional fact, in 0.66 us against 1.10.
        self.quad, self.source, self.origins = quad, source, [] if origins is None else origins
        self.value = quad.object  # type: ignore[assignment]
        self.tier, self.override = source.tier, None
        for o in self.origins:
            if o.tier is not None or o.rank is not None:  # rare: a computed or a curated claim
                self._curated()
                return

    def _curated(self) -> None:
        # a computed claim takes the tier of the fact it is computed from
        computed = [o.tier for o in self.origins if o.tier is not None]
        self.tier = min(computed) if computed else self.source.tier
        ranks = {o.rank for o in self.origins}
        self.override = (PREFERRED if PREFERRED in ranks
                         else DEPRECATED if self.origins and ranks == {DEPRECATED} else None)

    def sort_key(self) -> tuple[int, str, str]:
        """Best tier first, then by source and value: only facts with several claims are sorted."""
        return (self.tier, self.source.key, str(self.value))

    @property
    def override_reason(self) -> str:
        return "; ".join(f"{o.reason} ({o.where})" for o in self.origins if o.rank and o.reason)

    @property
    def rows(self) -> list[str]:
        return [o.where for o in self.origins]


@dataclass(slots=True)
class Decision:
    """The ranking of all claims of one fact: a subject's value of one property (in one language)."""

    subject: ox.NamedNode | ox.BlankNode
    predicate: ox.NamedNode
    language: str | None
    claims: list[Claim]
    winner: ox.NamedNode | ox.Literal | ox.BlankNode | None = None
    rule: str = "uncontested"
    why: str = ""

    @property
    def contested(self) -> bool:
        """Sources state more than one value (whatever the outcome)."""
        first = self.claims[0].value if self.claims else None
        return any(c.value != first for c in self.claims)

    @property
    def annotated(self) -> bool:
        """Worth a rank and a reason in the graph: sources disagree, or a curator ranked a claim.
        (Where sources agree, every claim is preferred and the graphs themselves show who says so.)"""
        return self.contested or any(c.override for c in self.claims)

    def rank(self, claim: Claim) -> str:
        if claim.override == DEPRECATED:
            return DEPRECATED
        return PREFERRED if self.winner is not None and claim.value == self.winner else NORMAL

    def reason(self, claim: Claim) -> str:
        """Why this claim has its rank, in a sentence."""
        rank = self.rank(claim)
        if rank == DEPRECATED:
            return f"deprecated by a curator: {claim.override_reason}"
        if rank == PREFERRED:
            return self.why
        if self.winner is None:
            return f"not preferred: {self.why}"
        return f"outranked by {_show(self.winner)}: {self.why}"


def _show(term: object) -> str:
    return term.value if isinstance(term, ox.Literal | ox.NamedNode) else str(term)


def _date_key(text: str | None) -> str:
    return text or ""


def decide(decision: Decision) -> Decision:
    """Apply the rule to one fact's claims (in place) and return the decision."""
    live = [c for c in decision.claims if c.override != DEPRECATED]
    if not live:
        decision.winner, decision.rule = None, "deprecated"
        decision.why = "every claim was deprecated by a curator"
        return decision
    preferred = {_show(c.value): c for c in live if c.override == PREFERRED}
    if len(preferred) > 1:
        rows = "; ".join(r for c in preferred.values() for r in c.rows)
        raise OverrideConflict(f"two curated overrides prefer different values of {_show(decision.subject)} "
                               f"{_show(decision.predicate)}: {', '.join(preferred)} ({rows})")
    if preferred:
        chosen = next(iter(preferred.values()))
        decision.winner, decision.rule = chosen.value, "override"
        decision.why = f"preferred by a curator: {chosen.override_reason}"
        return decision
    by_value: dict[str, list[Claim]] = defaultdict(list)
    for c in live:
        by_value[_show(c.value)].append(c)
    if len(by_value) == 1:
        decision.winner = live[0].value
        n = len({c.source.independent_as for c in live})
        decision.rule = "uncontested" if len(live) == 1 else "unanimous"
        decision.why = ("the only value stated" if len(live) == 1
                        else f"every source that states this fact agrees ({n} independent)")
        return decision
    best = min(c.tier for c in live)
    top = {v: [c for c in cs if c.tier == best] for v, cs in by_value.items()}
    top = {v: cs for v, cs in top.items() if cs}
    if len(top) == 1:
        value = next(iter(top))
        others = sorted({c.tier for v, cs in by_value.items() if v != value for c in cs})
        decision.winner, decision.rule = top[value][0].value, "tier"
        decision.why = (f"stated by a tier-{best} source ({TIER_NAMES[best]}: "
                        f"{', '.join(sorted({c.source.key for c in top[value]}))}); other values only by tier "
                        + "/".join(map(str, others)))
        return decision
    # Copies are not independent witnesses: below the best tier, only tiers 1-3 count as support.
    counted = max(best, 3)
    support = {v: len({c.source.independent_as for c in by_value[v] if c.tier <= counted}) for v in top}
    most = max(support.values())
    leaders = [v for v, n in support.items() if n == most]
    if len(leaders) == 1:
        value = leaders[0]
        against = ", ".join(f"{n} for {v}" for v, n in sorted(support.items()) if v != value)
        decision.winner, decision.rule = top[value][0].value, "agreement"
        decision.why = (f"tier-{best} sources disagree; {most} independent sources (tier {counted} or better) "
                        f"state it, against {against}")
        return decision
    latest = {v: max(_date_key(c.source.date) for c in top[v]) for v in leaders}
    newest = max(latest.values())
    recent = [v for v, d in latest.items() if d == newest]
    if newest and len(recent) == 1:
        value = recent[0]
        decision.winner, decision.rule = top[value][0].value, "recency"
        decision.why = (f"tier-{best} sources disagree equally; the most recent ({newest}, "
                        f"{', '.join(sorted({c.source.key for c in top[value]}))}) states it")
        return decision
    decision.winner, decision.rule = None, "tie"
    decision.why = (f"tier-{best} sources of equal weight and date disagree ({', '.join(sorted(leaders))}); "
                    "no value is preferred until a curator adds an override")
    return decision


def fact_key(quad: ox.Quad | ox.Triple, per_language: AbstractSet[ox.NamedNode],
             predicate: ox.NamedNode | None = None, value: object = None) -> tuple:
    """What one true value is held for: (subject, property), and the language for labels. A caller
    that has read the quad's predicate or object already passes them: each read makes a new object."""
    p = quad.predicate if predicate is None else predicate
    lang = None
    if p in per_language:
        o = quad.object if value is None else value
        if isinstance(o, ox.Literal):
            lang = o.language or ""
    return (quad.subject, p, lang)


def rank_claims(quads: Iterable[ox.Quad] | Grouped[ox.Quad],
                origins: Mapping[ox.Quad, list[Origin]],
                sources: Mapping[str, SourceInfo], functional: AbstractSet[ox.NamedNode],
                per_language: AbstractSet[ox.NamedNode]) -> dict[tuple, Decision]:
    """A decision for every functional fact stated in a source graph. ``quads`` may come grouped by
    predicate (``graph.facts``): only the groups of ranked properties are read."""
    decisions: dict[tuple, Decision] = {}
    ranked = functional | per_language
    for p, stated in grouped(quads).items():
        if p not in ranked:
            continue
        for q in stated:
            g = q.graph_name
            info = sources.get(g.value) if isinstance(g, ox.NamedNode) else None
            if info is None:
                continue
            key = fact_key(q, per_language, p)
            d = decisions.get(key)
            if d is None:
                d = decisions[key] = Decision(key[0], p, key[2], [])
            d.claims.append(Claim(q, info, list(origins.get(q, ()))))
    for d in decisions.values():
        if len(d.claims) > 1:
            d.claims.sort(key=Claim.sort_key)
        decide(d)
    return decisions


def rank_again(decisions: dict[tuple, Decision], added: Iterable[ox.Quad],
               origins: Mapping[ox.Quad, list[Origin]], sources: Mapping[str, SourceInfo],
               functional: AbstractSet[ox.NamedNode], per_language: AbstractSet[ox.NamedNode]) -> None:
    """Decide again, in place, the facts that claims ``added`` after a ranking are about: the decisions
    of ranking every claim again, for the cost of those facts only."""
    added = list(added)
    touched = {fact_key(q, per_language) for q in added
               if q.predicate in functional or q.predicate in per_language}
    earlier = [c.quad for key in touched if key in decisions for c in decisions[key].claims]
    decisions.update(rank_claims(dict.fromkeys(earlier + added), origins, sources, functional, per_language))


def preferred_view(quads: Iterable[ox.Quad] | Grouped[ox.Quad],
                   decisions: Mapping[tuple, Decision],
                   per_language: AbstractSet[ox.NamedNode],
                   origins: Mapping[ox.Quad, list[Origin]]) -> Grouped[ox.Quad]:
    """The default view, by predicate (``graph.facts``): every triple, except the values of
    functional facts that were not preferred and whatever only deprecated rows state (a curator
    marked the whole claim wrong).

    Each triple of the view comes as one of the quads that state it, so the build keeps no second
    object for it: a Triple costs about 400 bytes, and the view holds 1.4 million at 100x."""
    ranked = {key[1] for key in decisions}
    deprecated = {q for q, found in origins.items()  # the first test is all most claims need
                  if found and found[0].rank == DEPRECATED and all(o.rank == DEPRECATED for o in found)}
    out: Grouped[ox.Quad] = Grouped()
    for p, stated in grouped(quads).items():
        mine = out.setdefault(p, [])
        checked = p in ranked
        decided: set[ox.Triple] = set()  # in the view or outranked: the same for every source stating it
        for q in stated:
            t = q.triple
            if t in decided:
                continue
            if checked:
                o = t.object
                d = decisions.get(fact_key(t, per_language, p, o))
                if d is not None and (d.winner is None or o != d.winner):
                    decided.add(t)
                    continue
            if not deprecated or q not in deprecated:  # another source may state it without a deprecated row
                decided.add(t)
                mine.append(q)
        if not mine:
            del out[p]
    return out
