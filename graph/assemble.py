"""From tables to the complete set of quads: claims, ranks, the preferred view, inferences, metadata.

1. map every table row to quads in its source's named graph (``mappings``);
2. rank the claims of each functional fact (``graph.ranking``), compute the entry into force from
   each preferred deposit date, and rank again with those computed claims;
3. derive what follows from preferred values only (party status, W3C Time intervals, elected
   candidates) and record every rank and reason as claim nodes (``graph.claims``);
4. the preferred view (one value per functional fact, every uncontested fact) is what the default
   graph serves and what the shapes validate; RDFS/OWL-RL inferences are drawn from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph import derive
from graph.claims import claim_statements
from graph.dumps import Statements
from graph.facts import Grouped, count, extend
from graph.inference import infer
from graph.load_files import InGraph
from graph.namespaces import INFERRED_GRAPH, METADATA_GRAPH, ONTOLOGY_GRAPH
from graph.ontology import PER_LANGUAGE, code_lists, functional_properties, ontology_quads
from graph.progress import Progress
from graph.ranking import Decision, SourceInfo, preferred_view, rank_again, rank_claims
from mappings import TABLES_DIR, load_tables, map_all
from mappings.load import TableError, Tables
from mappings.rdf import RDF_TYPE, Emitter, Origin, source_graph


@dataclass
class Assembled:
    # What the tables state (every claim in its source graph, the source records, the ontology) is
    # handed to ``on_mapped`` as soon as it is mapped (the build loads it); no set of it all is kept.
    tables: Tables
    # the default view, asserted triples minus outranked values, by predicate (graph.facts): one of
    # the quads that state each triple
    preferred: Grouped[ox.Quad]
    claims: Statements  # rank and reason of each claim of a contested or curated fact, as lines
    inferred: set[ox.Quad]  # entailments of the preferred view: none of them is in it
    # the quads derived from preferred values (in the graphs of the sources that state those values)
    # that no table states: what ``on_mapped`` did not see
    derived: set[ox.Quad] = field(default_factory=set)
    # the facts whose sources of equal weight disagree. Of all the decisions (a kilobyte each with
    # their claims, 354,000 at 100x) only these are kept: the claim nodes state every rank and reason.
    ties: list[Decision] = field(default_factory=list)
    origins: dict[ox.Quad, list[Origin]] = field(default_factory=dict)


def source_infos(tables: Tables) -> dict[str, SourceInfo]:
    return {source_graph(str(r["source_id"])).value: SourceInfo(
        iri=source_graph(str(r["source_id"])).value, tier=int(r["tier"]),  # type: ignore[call-overload]
        publisher=str(r["publisher"]), date=str(r["date"]) if r["date"] else None, title=str(r["title"]))
        for r in tables["sources"]}


def rank_and_derive(out: Emitter, tables: Tables, functional: set[ox.NamedNode]) -> tuple[
        dict[tuple, Decision], set[ox.Quad], Grouped[ox.Quad]]:
    """Rank, add the claims computed from preferred values, rank again, then derive the rest.
    Returns the decisions, the quads derived here that the tables did not state, and every quad of
    ``out`` by predicate (``graph.facts``: each predicate read once, here)."""
    from graph.ranking import OverrideConflict

    sources = source_infos(tables)
    groups = out.grouped()
    try:
        decisions = rank_claims(groups, out.origins, sources, functional, PER_LANGUAGE)
        computed = Emitter()
        derive.computed_entry_into_force(computed, decisions)
        derived = computed.quads - out.quads
        extend(groups, derived)
        out.merge(computed)
        rank_again(decisions, computed.quads, out.origins, sources, functional, PER_LANGUAGE)
    except OverrideConflict as exc:
        raise TableError("mappings/tables", 0, "rank", str(exc)) from None
    status = derive.party_status(decisions)
    new = status - out.quads
    derived |= new
    extend(groups, new)
    out.quads |= new
    memberships = {q.subject for q in status if q.predicate == RDF_TYPE and isinstance(q.subject, ox.NamedNode)}
    read = {q for p in derive.read_by_derivations() for q in groups.get(p, ())}  # for both, from the groups
    for more in (derive.intervals(out.interval_holders | memberships, read, decisions),
                 derive.elected_candidates(read, decisions)):
        new = more - out.quads
        derived |= new
        extend(groups, new)
        out.quads |= new
    return decisions, derived, groups


def assemble(tables_dir: Path | None, progress: Progress,
             on_mapped: Callable[[tuple[InGraph, ...]], object] | None = None) -> Assembled:
    """``on_mapped`` is given what the tables state (then the source records and the ontology), in
    graphs of their own, area by area as soon as each is mapped: the build starts loading it into the
    store while the next area is mapped (at 100x, the load started about 12 s sooner than after the
    last area)."""
    with progress.step("read ontology and code lists") as r:
        onto = ontology_quads()
        lists = code_lists(onto)
        functional = functional_properties(onto)
        r["detail"] = f"{len(onto)} triples, {len(lists)} code lists, {len(functional)} functional properties"
    with progress.step("check source tables") as r:
        tables = load_tables(tables_dir or TABLES_DIR, lists)
        r["detail"] = ", ".join(f"{name} {len(rows)}" for name, rows in tables.rows.items())
    with progress.step("map tables to RDF, loading each area's quads into the store") as r:
        def hand_over(stated: Mapping[ox.NamedNode, Iterable[ox.Quad]]) -> None:
            if on_mapped is not None:
                on_mapped(tuple(InGraph(g, quads) for g, quads in stated.items()))

        out, sources_meta = map_all(tables, on_step=hand_over)
        hand_over({ox.NamedNode(METADATA_GRAPH): sources_meta, ox.NamedNode(ONTOLOGY_GRAPH): set(onto)})
        r["detail"] = f"{len(out.quads)} quads, {len(sources_meta)} in the source records"
    with progress.step("rank claims, derive from preferred values, make the preferred view") as r:
        decisions, derived, groups = rank_and_derive(out, tables, functional)
        contested = sum(1 for d in decisions.values() if d.contested)
        ties = [d for d in decisions.values() if d.rule == "tie"]
        claims = claim_statements(decisions.values())
        extend(groups, sources_meta | set(onto))  # in graphs of their own: in none of the groups yet
        preferred = preferred_view(groups, decisions, PER_LANGUAGE, out.origins)
        n_decisions = len(decisions)
        del groups, decisions
        r["detail"] = (f"{n_decisions} functional facts, {contested} contested, {len(ties)} ties; "
                       f"{count(preferred)} triples in the preferred view")
    with progress.step("materialise RDFS/OWL-RL inferences") as r:
        graph = ox.NamedNode(INFERRED_GRAPH)
        inferred = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in infer(preferred)}
        r["detail"] = f"{len(inferred)} new triples"
    return Assembled(tables=tables, preferred=preferred, claims=claims, inferred=inferred,
                     derived=derived, ties=ties, origins=out.origins)


def source_titles(tables: Tables) -> dict[str, str]:
    """Each source graph's title, as its source record in the metadata graph states it
    (``mappings/sources.py``): read from the table, not by scanning every quad."""
    return {source_graph(str(r["source_id"])).value: str(r["title"]) for r in tables["sources"] if r["title"]}
