"""Facts grouped by predicate give the same ranking, view and inferences as the facts themselves."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.facts import Grouped, by_predicate, count, every, extend, grouped
from graph.inference import infer
from graph.ranking import SourceInfo, preferred_view, rank_claims

EX = "https://example.org/"
END, LABEL, NOTE = ox.NamedNode(EX + "end"), ox.NamedNode(EX + "label"), ox.NamedNode(EX + "note")
SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
DOMAIN = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#domain")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _quads() -> list[ox.Quad]:
    sources = [ox.NamedNode(EX + f"source/{k}") for k in ("a", "b")]
    return [ox.Quad(ox.NamedNode(EX + f"s{i}"), p, o, g)
            for i in range(3) for g in sources
            for p, o in ((END, ox.Literal(f"202{i}-01-0{1 + sources.index(g)}")),
                         (LABEL, ox.Literal(f"S {i}", language="en")), (NOTE, ox.Literal("same note")))]


def test_groups_hold_every_fact_once_under_its_predicate() -> None:
    quads = _quads()
    groups = by_predicate(quads)
    assert isinstance(groups, Grouped) and set(groups) == {END, LABEL, NOTE}
    assert all(q.predicate == p for p, facts in groups.items() for q in facts)
    assert sorted(map(str, every(groups))) == sorted(map(str, quads)) and count(groups) == len(quads)
    extra = ox.Quad(ox.NamedNode(EX + "s9"), NOTE, ox.Literal("x"), ox.NamedNode(EX + "source/a"))
    extend(groups, [extra])
    assert groups[NOTE][-1] == extra
    assert grouped(groups) is groups


def test_a_mapping_of_quads_is_not_taken_for_groups() -> None:
    """``rank_again`` hands ``rank_claims`` a ``dict.fromkeys`` of quads: a mapping, but not groups."""
    quads = _quads()
    assert grouped(dict.fromkeys(quads)) == by_predicate(quads)


def test_ranking_the_view_and_the_inferences_agree_grouped_or_not() -> None:
    quads = _quads()
    sources = {EX + f"source/{k}": SourceInfo(EX + f"source/{k}", tier, k) for k, tier in (("a", 1), ("b", 2))}
    plain = rank_claims(quads, {}, sources, {END}, {LABEL})
    by_group = rank_claims(by_predicate(quads), {}, sources, {END}, {LABEL})
    assert {k: (d.winner, d.rule) for k, d in plain.items()} == {k: (d.winner, d.rule) for k, d in by_group.items()}
    assert len(plain) == 6  # three ends and three English labels
    view = preferred_view(quads, plain, {LABEL}, {})
    assert {q.triple for q in every(view)} == {q.triple for q in every(preferred_view(by_predicate(quads), plain,
                                                                                      {LABEL}, {}))}
    assert len(view[NOTE]) == 3  # one quad for each triple two sources state
    noted, thing = ox.NamedNode(EX + "Noted"), ox.NamedNode(EX + "Thing")
    facts = [q.triple for q in every(view)] + [ox.Triple(NOTE, DOMAIN, noted), ox.Triple(noted, SUBCLASS, thing)]
    inferred = infer(set(facts))
    assert inferred == infer(by_predicate(facts))
    assert ox.Triple(ox.NamedNode(EX + "s0"), TYPE, thing) in inferred


def test_the_emitter_hands_over_what_it_made_by_graph_once() -> None:
    """``Emitter.stated`` gives every quad made since the last call under the graph ``add`` put it in,
    a quad stated twice once; a quad added another way makes it refuse rather than hand over an
    incomplete set."""
    from mappings.rdf import Emitter, source_graph

    out = Emitter()
    s = ox.NamedNode(EX + "s")
    for source in ("a", "b", "a"):
        out.add(s, NOTE, "same note", source)
    out.add(s, END, "2020-01-01", "b")
    stated = out.stated()
    assert {g.value: len(quads) for g, quads in stated.items()} == {source_graph("a").value: 1,
                                                                     source_graph("b").value: 2}
    assert {q for quads in stated.values() for q in quads} == out.quads
    assert all(q.graph_name == g for g, quads in stated.items() for q in quads)
    out.add(s, NOTE, "same note", "b")  # known already: not handed over again
    out.add(s, END, "2021-01-01", "a")
    assert {g.value: [q.object.value for q in quads] for g, quads in out.stated().items()} == {
        source_graph("a").value: ["2021-01-01"]}
    assert out.stated() == {}
    out.quads.add(ox.Quad(s, NOTE, ox.Literal("added another way"), source_graph("a")))
    with pytest.raises(RuntimeError, match="without add"):
        out.stated()
