"""Facts that follow from preferred values: computed entry into force, party status, intervals.

They are made after ranking so that they follow the preferred value only: an entry into force
computed from a mirror's wrong deposit date, or a W3C Time interval built from an outranked end
date, would put a second value back into the default view. Each derived quad goes into the graph
of a source that states the value it follows from (the computed entry into force into the graph of
the article 126 computation), so every fact still names who says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pyoxigraph as ox

from graph.ranking import Decision
from mappings.rdf import PROV_DERIVED, RDF_TYPE, RDFS_LABEL, Emitter, Origin, asp, english, iri, org, source_graph
from mappings.states import ART126_SOURCE, FIRST_ENTRY_INTO_FORCE, FIRST_INSTRUMENTS, entry_into_force

TIME = "http://www.w3.org/2006/time#"


def preferred(decisions: Mapping[tuple, Decision], s: ox.NamedNode, p: ox.NamedNode) -> Decision | None:
    d = decisions.get((s, p, None))
    return d if d is not None and d.winner is not None else None


def _winning_graphs(d: Decision) -> list[str]:
    return sorted({str(c.quad.graph_name).strip("<>").rsplit("/", 1)[-1] for c in d.claims if c.value == d.winner})


def computed_entry_into_force(out: Emitter, decisions: Mapping[tuple, Decision]) -> None:
    """Article 126(2) applied to each State's preferred deposit date, with the deposit's tier; for a
    State whose deposit date no source gives but whose instrument a source numbers among the first
    60, article 126(1): the Statute's own entry into force (1 July 2002)."""
    deposit_p, number_p = asp("instrumentDepositDate"), asp("partyNumber")
    relevant = [(k, d) for k, d in decisions.items() if k[1] == deposit_p or k[1] == number_p]
    dated = {s for (s, p, _), d in relevant if p == deposit_p and d.winner is not None}
    for (s, p, _), d in sorted(relevant, key=lambda kv: str(kv[0][0])):  # the few that matter, not every fact
        if d.winner is None or not isinstance(d.winner, ox.Literal):
            continue
        if p == deposit_p:
            day, field = entry_into_force(date.fromisoformat(d.winner.value)), "deposit_date"
        elif p == number_p and s not in dated and int(d.winner.value) <= FIRST_INSTRUMENTS:
            day, field = FIRST_ENTRY_INTO_FORCE, "party_number"
        else:
            continue
        winners = [c for c in d.claims if c.value == d.winner]
        tier = min(c.tier for c in winners)
        where = winners[0].origins[0] if winners[0].origins else None
        origin = Origin(where.file if where else "-", where.line if where else 0, field, tier=tier)
        out.add(s, asp("entryIntoForceDate"), day, ART126_SOURCE, origin=origin)  # type: ignore[arg-type]
        out.entity(s, "State", ART126_SOURCE)  # type: ignore[arg-type]
        for c in winners:
            out.add(s, PROV_DERIVED, c.quad.graph_name, ART126_SOURCE, origin=origin)  # type: ignore[arg-type]


def party_status(decisions: Mapping[tuple, Decision]) -> set[ox.Quad]:
    """A State Party membership from the preferred entry into force to the preferred withdrawal."""
    quads: set[ox.Quad] = set()
    eif_p, end_p = asp("entryIntoForceDate"), asp("withdrawalEffectiveDate")
    for (s, p, _), d in decisions.items():
        if p != eif_p or d.winner is None or not s.value.startswith(iri("state", "").value):
            continue
        code = s.value.rsplit("/", 1)[-1]
        membership = iri("membership", f"{code}-party")
        for src in _winning_graphs(d):
            g = source_graph(src)
            for t in (
                (membership, RDF_TYPE, asp("StatePartyMembership")),
                (membership, PROV_DERIVED, g),
                (membership, RDFS_LABEL, english(f"{code} as a State Party to the Rome Statute")),
                (s, asp("partyStatus"), membership),
                (membership, asp("partyState"), s),
                (membership, org("member"), s),
                (membership, org("organization"), iri("organ", "assembly")),
                (membership, org("role"), iri("role", "state-party")),
                (membership, asp("startDate"), d.winner),
            ):
                quads.add(ox.Quad(t[0], t[1], t[2], g))  # type: ignore[arg-type]
        end = preferred(decisions, s, end_p)
        if end is not None:
            for src in _winning_graphs(end):
                g = source_graph(src)
                quads.add(ox.Quad(membership, asp("endDate"), end.winner, g))  # type: ignore[arg-type]
                quads.add(ox.Quad(membership, PROV_DERIVED, g, g))
    return quads


def read_by_derivations() -> frozenset[ox.NamedNode]:
    """The only properties ``intervals`` and ``elected_candidates`` look at: a caller can pick out those
    quads in one pass and give both of them just these."""
    return frozenset({asp("startDate"), asp("endDate"), asp("candidacyIn"), asp("candidate")})


def intervals(holders: set[ox.NamedNode], quads: set[ox.Quad], decisions: Mapping[tuple, Decision]) -> set[ox.Quad]:
    """W3C ORG ``memberDuring`` as a W3C Time interval built from the preferred start and end dates,
    in each graph that states them."""
    out: set[ox.Quad] = set()
    ends = {asp("startDate"): ("hasBeginning", "start"), asp("endDate"): ("hasEnd", "end")}
    for q in quads:
        if q.predicate not in ends or q.subject not in holders:
            continue
        d = decisions.get((q.subject, q.predicate, None))
        if d is not None and q.object != d.winner:
            continue
        link, frag = ends[q.predicate]  # type: ignore[index]
        holder = q.subject
        interval = ox.NamedNode(holder.value + "#interval")  # type: ignore[union-attr]
        instant = ox.NamedNode(f"{holder.value}#{frag}")  # type: ignore[union-attr]
        for t in (
            (holder, org("memberDuring"), interval),
            (interval, RDF_TYPE, ox.NamedNode(TIME + "Interval")),
            (interval, ox.NamedNode(TIME + link), instant),
            (instant, RDF_TYPE, ox.NamedNode(TIME + "Instant")),
            (instant, ox.NamedNode(TIME + "inXSDDate"), q.object),
        ):
            out.add(ox.Quad(t[0], t[1], t[2], q.graph_name))  # type: ignore[arg-type]
    return out


def elected_candidates(quads: set[ox.Quad], decisions: Mapping[tuple, Decision]) -> set[ox.Quad]:
    """``asp:electedCandidate`` of an election for each candidacy whose preferred ``asp:elected`` is true."""
    out: set[ox.Quad] = set()
    elected_p, of_p, who_p = asp("elected"), asp("candidacyIn"), asp("candidate")
    links = {(q.subject, q.predicate): q.object for q in quads if q.predicate in (of_p, who_p)}
    for (s, p, _), d in decisions.items():
        if p != elected_p or not isinstance(d.winner, ox.Literal) or d.winner.value != "true":
            continue
        election, candidate = links.get((s, of_p)), links.get((s, who_p))
        if election is None or candidate is None:
            continue
        for src in _winning_graphs(d):
            out.add(ox.Quad(election, asp("electedCandidate"), candidate, source_graph(src)))  # type: ignore[arg-type]
    return out
