"""The ranking rule on small fixtures: override, then tier, then agreement, then recency, else a tie."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.claims import claim_quads
from graph.derive import computed_entry_into_force
from graph.ranking import OverrideConflict, SourceInfo, preferred_view, rank_again, rank_claims
from mappings.rdf import Origin

ID = "https://w3id.org/asp-kg/id/"
END = ox.NamedNode("https://w3id.org/asp-kg/ontology#endDate")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
NOTE = ox.NamedNode("https://w3id.org/asp-kg/ontology#note")
SESSION = ox.NamedNode(ID + "session/20")
DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def src(key: str, tier: int, publisher: str | None = None, date: str | None = None) -> SourceInfo:
    return SourceInfo(ID + "source/" + key, tier, publisher or key, date)


def claim(source: SourceInfo, value: str, p: ox.NamedNode = END) -> ox.Quad:
    obj = ox.Literal(value, datatype=DATE) if p == END else ox.Literal(value, language="en")
    return ox.Quad(SESSION, p, obj, ox.NamedNode(source.iri))


def decide(sources: list[SourceInfo], quads: list[ox.Quad], origins: dict | None = None):
    decisions = rank_claims(quads, origins or {}, {s.iri: s for s in sources}, {END}, {LABEL})
    return decisions[(SESSION, END, None)], decisions


def test_tier_beats_the_number_of_sources():
    record, news1, news2, news3 = src("record", 1), src("a", 3), src("b", 3), src("c", 3)
    d, _ = decide([record, news1, news2, news3], [claim(record, "2021-12-10"), claim(news1, "2021-12-11"),
                                                  claim(news2, "2021-12-11"), claim(news3, "2021-12-11")])
    assert d.winner.value == "2021-12-10" and d.rule == "tier"
    assert "tier-1" in d.why and "record" in d.why


def test_override_beats_tier():
    record, press = src("record", 1), src("press", 2)
    preferred = Origin("sessions.csv", 7, "end_date", "preferred", "the record prints the planned date")
    q = claim(press, "2021-12-10")
    d, _ = decide([record, press], [claim(record, "2021-12-11"), q], {q: [preferred]})
    assert d.winner.value == "2021-12-10" and d.rule == "override"
    assert "the record prints the planned date (sessions.csv:7 (end_date))" in d.why


def test_deprecated_claim_never_wins_even_from_the_best_source():
    record, press = src("record", 1), src("press", 2)
    q = claim(record, "2020-12-10")
    wrong = Origin("sessions.csv", 3, "end_date", "deprecated", "the year is a slip")
    d, _ = decide([record, press], [q, claim(press, "2021-12-10")], {q: [wrong]})
    assert d.winner.value == "2021-12-10"
    [c] = [c for c in d.claims if c.value.value == "2020-12-10"]
    assert d.rank(c) == "deprecated" and "the year is a slip" in d.reason(c)


def test_agreement_of_independent_sources_breaks_a_tie_in_tier():
    a, b, c = src("a", 2, "ICC"), src("b", 2, "CICC"), src("c", 3, "Reuters")
    d, _ = decide([a, b, c], [claim(a, "2021-12-10"), claim(b, "2021-12-11"), claim(c, "2021-12-10")])
    assert d.winner.value == "2021-12-10" and d.rule == "agreement"


def test_copies_and_the_same_publisher_are_not_independent():
    a, b = src("a", 2, "ICC"), src("b", 2, "CICC")
    b_copy = src("b-mirror", 4, "CICC (copy at mirror.example)")
    a_again = src("a2", 2, "ICC (press release archive)")
    d, _ = decide([a, b, b_copy, a_again], [claim(a, "2021-12-10"), claim(a_again, "2021-12-10"),
                                           claim(b, "2021-12-11"), claim(b_copy, "2021-12-11")])
    assert d.winner is None and d.rule == "tie"


def test_recency_settles_equal_support():
    early, late = src("early", 2, "ICC", "2021-12-06"), src("late", 2, "CICC", "2021-12-11")
    d, _ = decide([early, late], [claim(early, "2021-12-11"), claim(late, "2021-12-10")])
    assert d.winner.value == "2021-12-10" and d.rule == "recency" and "2021-12-11" in d.why


def test_an_unresolvable_tie_prefers_nothing_and_says_so():
    a, b = src("a", 2, "ICC"), src("b", 2, "CICC")
    quads = [claim(a, "2021-12-10"), claim(b, "2021-12-11")]
    d, decisions = decide([a, b], quads)
    assert d.winner is None and d.rule == "tie" and "no value is preferred" in d.why
    assert END not in preferred_view(quads, decisions, {LABEL}, {})
    ranks = {q.object.value for q in claim_quads(decisions.values()) if q.predicate.value.endswith("#rank")}
    assert ranks == {"http://wikiba.se/ontology#NormalRank"}


def test_two_preferred_overrides_for_different_values_stop_the_build():
    a, b = src("a", 2), src("b", 3)
    qa, qb = claim(a, "2021-12-10"), claim(b, "2021-12-11")
    why = {qa: [Origin("x.csv", 2, None, "preferred", "one")], qb: [Origin("x.csv", 3, None, "preferred", "two")]}
    with pytest.raises(OverrideConflict, match="x.csv:2"):
        decide([a, b], [qa, qb], why)


def test_labels_rank_per_language_and_other_properties_are_not_ranked():
    a, b = src("a", 1), src("b", 3)
    quads = [claim(a, "Twentieth session", LABEL), claim(b, "20th session", LABEL),
             ox.Quad(SESSION, LABEL, ox.Literal("Vingtième session", language="fr"), ox.NamedNode(b.iri)),
             ox.Quad(SESSION, NOTE, ox.Literal("one note"), ox.NamedNode(a.iri)),
             ox.Quad(SESSION, NOTE, ox.Literal("another note"), ox.NamedNode(b.iri))]
    _, decisions = decide([a, b], quads + [claim(a, "2021-12-10")])
    view = preferred_view(quads, decisions, {LABEL}, {})
    assert all(q.predicate == p for p, stated in view.items() for q in stated)
    labels = {t.object.value for t in view[LABEL]}
    assert labels == {"Twentieth session", "Vingtième session"}
    assert {t.object.value for t in view[NOTE]} == {"one note", "another note"}


def test_a_uncontested_fact_gets_no_claim_nodes():
    a, b = src("a", 1), src("b", 3)
    d, decisions = decide([a, b], [claim(a, "2021-12-10"), claim(b, "2021-12-10")])
    assert d.rule == "unanimous" and not d.contested
    assert claim_quads(decisions.values()) == set()


def test_a_whole_deprecated_row_leaves_the_view():
    a = src("a", 2)
    q = ox.Quad(SESSION, NOTE, ox.Literal("wrong"), ox.NamedNode(a.iri))
    gone = Origin("sessions.csv", 4, None, "deprecated", "the page describes another session")
    view = preferred_view([q], {}, {LABEL}, {q: [gone]})
    assert view == {}


def _entry_into_force(quads: list[ox.Quad], sources: list[SourceInfo]) -> set[str]:
    from graph.derive import computed_entry_into_force
    from mappings.rdf import Emitter

    functional = {ox.NamedNode(ASP + p) for p in ("instrumentDepositDate", "partyNumber", "entryIntoForceDate")}
    out = Emitter()
    out.quads |= set(quads)
    computed_entry_into_force(out, rank_claims(out.quads, {}, {s.iri: s for s in sources}, functional, {LABEL}))
    return {q.object.value for q in out.quads if q.predicate == ox.NamedNode(ASP + "entryIntoForceDate")}


ASP = "https://w3id.org/asp-kg/ontology#"
STATE = ox.NamedNode(ID + "state/MUS")


def test_entry_into_force_follows_the_preferred_deposit_date_only():
    record, copy = src("record", 1), src("copy", 4)
    deposit = ox.NamedNode(ASP + "instrumentDepositDate")
    quads = [ox.Quad(STATE, deposit, ox.Literal("2004-09-22", datatype=DATE), ox.NamedNode(record.iri)),
             ox.Quad(STATE, deposit, ox.Literal("2004-09-02", datatype=DATE), ox.NamedNode(copy.iri))]
    assert _entry_into_force(quads, [record, copy]) == {"2004-12-01"}


def test_a_first_sixty_party_number_without_deposit_date_gives_article_126_1():
    ngo = src("ngo", 3)
    number = ox.NamedNode(ASP + "partyNumber")
    xsd_int = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    assert _entry_into_force([ox.Quad(STATE, number, ox.Literal("53", datatype=xsd_int), ox.NamedNode(ngo.iri))],
                             [ngo]) == {"2002-07-01"}
    # the 61st instrument and later: nothing can be computed without the deposit date
    assert _entry_into_force([ox.Quad(STATE, number, ox.Literal("61", datatype=xsd_int), ox.NamedNode(ngo.iri))],
                             [ngo]) == set()


def _outcome(decisions: dict) -> dict:
    return {k: (d.winner, d.rule, d.why, [(c.quad, c.tier, tuple(c.rows)) for c in d.claims])
            for k, d in decisions.items()}


def test_ranking_again_after_new_claims_decides_as_ranking_everything():
    news, record, other = src("news", 3), src("record", 1), src("other", 3)
    first = [claim(news, "2021-12-11"), claim(other, "2021-12-12"), claim(news, "Twentieth session", LABEL)]
    added = [claim(record, "2021-12-10")]
    sources = {s.iri: s for s in (news, record, other)}
    decisions = rank_claims(first, {}, sources, {END}, {LABEL})
    assert decisions[(SESSION, END, None)].rule == "tie"
    rank_again(decisions, added, {}, sources, {END}, {LABEL})
    assert decisions[(SESSION, END, None)].winner.value == "2021-12-10"
    assert _outcome(decisions) == _outcome(rank_claims(first + added, {}, sources, {END}, {LABEL}))


def test_ranking_again_with_the_computed_entries_into_force_of_the_real_tables():
    """What the build does (rank, compute article 126, rank the touched facts again) gives the
    decisions of ranking every claim of the real tables again."""
    from graph.assemble import source_infos
    from graph.ontology import PER_LANGUAGE, code_lists, functional_properties, ontology_quads
    from mappings import TABLES_DIR, load_tables, map_all
    from mappings.rdf import Emitter

    onto = ontology_quads()
    tables = load_tables(TABLES_DIR, code_lists(onto))
    functional, sources = functional_properties(onto), source_infos(tables)
    out, _meta = map_all(tables)
    decisions = rank_claims(out.quads, out.origins, sources, functional, PER_LANGUAGE)
    computed = Emitter()
    computed_entry_into_force(computed, decisions)
    out.merge(computed)
    assert len(computed.quads) > 100
    rank_again(decisions, computed.quads, out.origins, sources, functional, PER_LANGUAGE)
    assert _outcome(decisions) == _outcome(rank_claims(out.quads, out.origins, sources, functional, PER_LANGUAGE))


def test_claim_nodes_are_written_as_pyoxigraph_serialises_them():
    """``claim_statements`` writes the claim nodes' lines from each term's N-Triples form, not through
    pyoxigraph's serialiser: the lines must be exactly what the serialiser writes (the canonical
    order and the version hash sort and hash them), for literals that need escaping too."""
    from graph.claims import claim_statements
    from graph.dumps import split_lines

    a, b, c = src("a", 2), src("b", 3), src("c", 3)
    tricky = ['say "no"\nthen\\stop', "tab\there", "é ü 中文 \U0001f600", "back\\slash"]
    quads = [ox.Quad(SESSION, LABEL, ox.Literal(text, language="en"), ox.NamedNode(s.iri))
             for text, s in zip(tricky, (a, b, c, a), strict=True)]
    quads += [claim(a, "2021-12-10"), claim(b, "2021-12-11"),
              ox.Quad(SESSION, NOTE, ox.Literal("x", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")),
                      ox.NamedNode(c.iri))]
    rows = {q: [Origin(f'we"ird\n{i}.csv', i, "col\\umn")] for i, q in enumerate(quads)}
    decisions = rank_claims(quads, rows, {s.iri: s for s in (a, b, c)}, {END}, {LABEL})
    made = claim_statements(decisions.values())
    assert len(made.quads) > 20 and len(set(made.quads)) == len(made.quads)
    parsed = list(ox.parse(b"\n".join(made.quads), format=ox.RdfFormat.N_QUADS))
    assert split_lines(ox.serialize(parsed, format=ox.RdfFormat.N_QUADS) or b"") == made.quads
    assert split_lines(ox.serialize([q.triple for q in parsed], format=ox.RdfFormat.N_TRIPLES) or b"") == made.triples
    assert set(parsed) == claim_quads(decisions.values())
