"""The build on the real tables: deterministic, cited, inferences apart, and party status by date."""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from graph.build import build
from graph.conflicts import conflicts
from graph.dumps import Ordered, sorted_lines, split_lines
from graph.namespaces import ALL_GRAPH, CLAIMS_GRAPH
from graph.settings import Settings
from graph.store import Layout, open_read_only

ID = "https://w3id.org/asp-kg/id/"
ASP = "https://w3id.org/asp-kg/ontology#"


def canonical_order(quads: list[ox.Quad], default: list[ox.Quad] | None = None) -> Ordered:
    """What the build orders, made from quads: their N-Quads lines, and the N-Triples lines of
    ``default`` (their triples in the default graph), each serialised by pyoxigraph, in canonical order."""
    items: list[ox.Quad | ox.Triple] = [*quads, *(q.triple for q in default or [])]
    marks = bytes(len(quads)) + b"\x01" * (len(items) - len(quads))
    return sorted_lines(split_lines(ox.serialize(items, format=ox.RdfFormat.N_QUADS) or b""), marks)


@pytest.fixture(scope="module")
def store(built_layout: Layout) -> ox.Store:
    return open_read_only(built_layout)


def ask(store: ox.Store, q: str) -> bool:
    return bool(store.query(q))


def test_rebuild_gives_byte_identical_sorted_nquads(built_layout: Layout, tmp_path) -> None:
    first = (built_layout.dumps() / "dataset.nq").read_bytes()
    other = Settings.from_env(data_dir=tmp_path)
    build(other, quiet=True)
    second = (Layout(tmp_path).dumps() / "dataset.nq").read_bytes()
    assert first == second
    lines = first.decode().splitlines()
    assert lines == sorted(lines) and len(lines) > 10_000


def test_every_fact_of_a_source_is_in_its_named_graph(store: ox.Store) -> None:
    # ASP16's closing date: the two seed pages disagree, and each claim stays with its page.
    rows = {(s["g"].value, s["end"].value) for s in store.query(
        f"SELECT ?g ?end WHERE {{ GRAPH ?g {{ <{ID}session/16> <{ASP}endDate> ?end }} }}")}
    assert (f"{ID}source/cicc-asp16", "2017-12-14") in rows
    assert (f"{ID}source/cicc-asp-overview", "2017-12-12") in rows


def test_conflict_report_lists_the_seed_disagreements(store: ox.Store) -> None:
    disputed = {(r["subject"], r["property"]) for r in conflicts(store)}
    assert (f"{ID}session/16", f"{ASP}endDate") in disputed
    assert (f"{ID}session/19-r2", f"{ASP}startDate") in disputed


def test_inferences_live_in_their_own_graph(store: ox.Store) -> None:
    inferred = "https://w3id.org/asp-kg/graph/inferred"
    everything = "https://w3id.org/asp-kg/graph/all"
    assert ask(store, f"ASK {{ GRAPH <{inferred}> {{ <{ID}session/22> a <{ASP}Session> }} }}")
    assert not ask(store, f"""ASK {{ GRAPH ?g {{ <{ID}session/22> a <{ASP}Session> }}
                                 FILTER(?g != <{inferred}> && ?g != <{everything}>) }}""")
    assert ask(store, f"ASK {{ <{ID}session/22> a <https://schema.org/Event> }}")


def test_default_graph_holds_the_preferred_value_and_all_graph_every_claim(store: ox.Store) -> None:
    """ASP16 closed on 14 December 2017 (the UN treaty record, tier 1); a seed page says 12 December.
    The default graph holds the preferred date only; graph/all and the seed page's graph keep the other."""
    q = f"SELECT ?e WHERE {{ <{ID}session/16> <{ASP}endDate> ?e }}"
    assert [r["e"].value for r in store.query(q)] == ["2017-12-14"]
    q = f"SELECT ?e WHERE {{ GRAPH <https://w3id.org/asp-kg/graph/all> {{ <{ID}session/16> <{ASP}endDate> ?e }} }}"
    assert sorted(r["e"].value for r in store.query(q)) == ["2017-12-12", "2017-12-14"]


def test_default_graph_has_one_value_per_functional_property_and_one_label_per_language(store: ox.Store) -> None:
    functional = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
    SELECT ?s ?p WHERE { GRAPH <https://w3id.org/asp-kg/graph/ontology> { ?p a owl:FunctionalProperty }
      ?s ?p ?o } GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?o) > 1)"""
    assert list(store.query(functional)) == []
    labels = """SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }
      GROUP BY ?s (LANG(?l) AS ?lang) HAVING (COUNT(DISTINCT ?l) > 1)"""
    assert list(store.query(labels)) == []
    # the unranked union does have such pairs: the gate is not vacuous
    unranked = """PREFIX owl: <http://www.w3.org/2002/07/owl#>
    SELECT ?s ?p WHERE { GRAPH <https://w3id.org/asp-kg/graph/ontology> { ?p a owl:FunctionalProperty }
      GRAPH <https://w3id.org/asp-kg/graph/all> { ?s ?p ?o } } GROUP BY ?s ?p HAVING (COUNT(DISTINCT ?o) > 1)"""
    assert len(list(store.query(unranked))) > 50


def parties_on(store: ox.Store, day: str) -> set[str]:
    q = f"""PREFIX asp: <{ASP}>
    SELECT DISTINCT ?code WHERE {{
      ?m a asp:StatePartyMembership ; asp:partyState ?s ; asp:startDate ?start .
      ?s asp:isoAlpha3 ?code .
      FILTER(?start <= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>)
      FILTER NOT EXISTS {{ ?m asp:endDate ?end FILTER(?end <= "{day}"^^<http://www.w3.org/2001/XMLSchema#date>) }}
    }}"""
    return {s["code"].value for s in store.query(q)}


def test_party_status_is_answerable_for_a_date(store: ox.Store) -> None:
    assert "BDI" in parties_on(store, "2017-01-01")
    assert "BDI" not in parties_on(store, "2018-01-01")
    assert "UKR" not in parties_on(store, "2024-12-31")
    assert "UKR" in parties_on(store, "2025-01-01")
    assert "ARM" in parties_on(store, "2024-02-01")


def test_every_source_graph_has_a_source_record(store: ox.Store) -> None:
    missing = list(store.query(f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{ID}source/"))
        FILTER NOT EXISTS {{ ?g a <{ASP}Source> ; <{ASP}title> ?t }} }}"""))
    assert missing == []


def test_void_counts_match_the_store(store: ox.Store) -> None:
    declared = next(iter(store.query(
        "SELECT ?n WHERE { <https://w3id.org/asp-kg/dataset> <http://rdfs.org/ns/void#triples> ?n }")))["n"]
    actual = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"]
    # the VoID triples describe the graph before they were added to it
    assert 0 < int(declared.value) <= int(actual.value)


def test_the_store_holds_the_dump_and_graph_all_holds_every_graph_but_the_claims(built_layout: Layout) -> None:
    """The store is loaded from the N-Quads dump on a thread of its own, and graph/all from the
    union of the other graphs: compare with the dump loaded again (the same store normalises
    literals the same way)."""
    served = open_read_only(built_layout)
    expected = ox.Store()
    expected.bulk_load(path=str(built_layout.dumps() / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    everything, claims = ox.NamedNode(ALL_GRAPH), ox.NamedNode(CLAIMS_GRAPH)
    expected.bulk_extend([ox.Quad(q.subject, q.predicate, q.object, everything) for q in expected
                          if q.graph_name != claims])
    assert len(served) == len(expected) > 100_000
    assert set(served) == set(expected)


def test_a_build_leaves_none_of_its_data_alive(tmp_path) -> None:
    """With the cyclic collector paused, the assembly and the ordered quads must go as soon as the
    build returns: nothing (no frame kept by a traceback cycle from validation) holds them."""
    import gc

    from graph.assemble import Assembled
    from graph.build import _build, no_cyclic_gc
    from graph.dumps import Ordered
    from graph.progress import Progress

    with no_cyclic_gc():
        _build(Settings.from_env(data_dir=tmp_path), None, Progress(quiet=True))
        alive = [type(o).__name__ for o in gc.get_objects() if isinstance(o, Assembled | Ordered)]
    assert alive == []


def test_an_error_in_the_store_load_is_raised_and_the_thread_is_waited_for(tmp_path) -> None:
    from graph.store_load import StoreLoad

    bad = tmp_path / "bad.nq"
    bad.write_text('<https://example.org/s> <https://example.org/p> "unterminated .\n', encoding="utf-8")
    with pytest.raises(SyntaxError), StoreLoad(tmp_path / "db") as load:
        load.file(bad, ox.RdfFormat.N_QUADS)
        load.wait()
    with StoreLoad(tmp_path / "db2") as load:
        load.data(b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n",
                  ox.RdfFormat.N_TRIPLES, ox.NamedNode("https://example.org/g"))
        load.wait()
    store = ox.Store.read_only(str(tmp_path / "db2"))
    assert [q.graph_name.value for q in store] == ["https://example.org/g"]


def test_the_store_loads_at_the_lowest_priority_and_the_build_keeps_its_own(tmp_path) -> None:
    """The build's own steps come first on a machine with few cores: the loading thread (and the
    RocksDB threads it starts) yield the CPU to them."""
    import os
    import threading

    from graph.store_load import StoreLoad

    if not hasattr(os, "setpriority"):
        pytest.skip("no per-thread priority on this platform")
    mine = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    with StoreLoad(tmp_path / "db") as load:
        loader = load._pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()
        load.wait()
    assert loader == 19
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine


def test_every_dump_holds_the_canonical_quads(built_layout: Layout) -> None:
    """TriG and JSON-LD hold the quads of the canonical N-Quads file, Turtle and N-Triples its
    default graph (the preferred view): the same statements in every format."""
    dumps = built_layout.dumps()
    canonical = ox.Dataset(ox.parse(path=dumps / "dataset.nq", format=ox.RdfFormat.N_QUADS))
    for name, fmt in (("dataset.trig", ox.RdfFormat.TRIG), ("dataset.jsonld", ox.RdfFormat.JSON_LD)):
        assert ox.Dataset(ox.parse(path=dumps / name, format=fmt)) == canonical, name
    preferred = {q.triple for q in canonical if isinstance(q.graph_name, ox.DefaultGraph)}
    for name, fmt in (("preferred.ttl", ox.RdfFormat.TURTLE), ("preferred.nt", ox.RdfFormat.N_TRIPLES)):
        assert {q.triple for q in ox.parse(path=dumps / name, format=fmt)} == preferred, name
    assert len(preferred) > 10_000


def test_trig_and_json_ld_state_each_graph_in_one_block(built_layout: Layout) -> None:
    """Read back in document order, the TriG and JSON-LD dumps never return to a graph they have left:
    one block per graph, not one per run of the canonical order (a subject's graphs side by side)."""
    dumps = built_layout.dumps()
    graphs = {q.graph_name for q in ox.parse(path=dumps / "dataset.nq", format=ox.RdfFormat.N_QUADS)}
    assert len(graphs) > 100
    for name, fmt in (("dataset.trig", ox.RdfFormat.TRIG), ("dataset.jsonld", ox.RdfFormat.JSON_LD)):
        runs = [g for g, _ in itertools.groupby(q.graph_name for q in ox.parse(path=dumps / name, format=fmt))]
        assert len(runs) == len(graphs), name
        assert isinstance(runs[0], ox.DefaultGraph), name


def test_graph_groups_keep_every_line_and_the_order_within_each_graph() -> None:
    """The graph is read off each line's end, even when a literal before it looks like one; the
    default graph comes first, then the named graphs by IRI (``g1`` < ``g10`` < ``g2``)."""
    from graph.dumps import graph_groups

    def quad(s: int, g: int | None, text: str) -> ox.Quad:
        return ox.Quad(ox.NamedNode(f"https://example.org/s{s}"), ox.NamedNode("https://example.org/p"),
                       ox.Literal(f"{text} <https://example.org/g{s}> ."),  # what a graph's ending looks like
                       ox.NamedNode(f"https://example.org/g{g}") if g is not None else ox.DefaultGraph())

    named = [quad(s, g, t) for s in range(5) for g in (2, 1, 10) for t in ("a", "b")]
    ordered = canonical_order(named, default=[quad(s, None, t) for s in range(5) for t in ("a", "b")])
    groups = graph_groups(ordered)
    assert sorted(line for group in groups for line in group) == ordered.lines
    assert [len(group) for group in groups] == [10, 10, 10, 10]
    assert all(group == sorted(group) for group in groups)
    assert [group[0].rsplit(b" ", 2)[-2] for group in groups] == [
        b'."', b"<https://example.org/g1>", b"<https://example.org/g10>", b"<https://example.org/g2>"]


def test_merging_two_ordered_lists_is_sorting_them_together() -> None:
    """``merge_ordered`` places the short list by binary search: the result must be what sorting the
    two together gives, with duplicates and lines equal across the two lists."""
    import random

    from graph.dumps import merge_ordered

    rng = random.Random(1)

    def quad(i: int) -> ox.Quad:
        return ox.Quad(ox.NamedNode(f"https://example.org/{i}"), ox.NamedNode("https://example.org/p"),
                       ox.Literal(str(i % 7)))

    for _ in range(200):
        a = [quad(rng.randrange(50)) for _ in range(rng.randrange(0, 60))]
        b = [quad(rng.randrange(50)) for _ in range(rng.randrange(0, 10))]
        merged, whole = merge_ordered(canonical_order(a), canonical_order(b)), canonical_order(a + b)
        assert merged.lines == whole.lines and merged.default == whole.default


def test_a_description_is_what_is_not_stated_yet_in_its_graph_and_in_the_default_graph() -> None:
    """``statements`` serialises each quad once and cuts its graph off for the default graph's line;
    ``stated_anew`` keeps those not stated yet: the result must be what ``canonical_order`` makes of
    the same quads, less those already stated, even with literals that look like a line's end; a quad
    in another graph is refused."""
    from graph.dumps import stated_anew, statements

    g = ox.NamedNode("https://example.org/meta")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    objects = [ox.Literal(f"x <{g.value}> ."), ox.Literal("a\nb"), g, ox.Literal("7", language="en"),
               ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))]
    quads = [ox.Quad(s, p, o, g) for o in objects]
    stated = canonical_order(quads[:2] + [ox.Quad(s, p, ox.Literal("other"), g)])
    anew = stated_anew(stated, statements(quads, g))
    expected = canonical_order(quads[2:], default=quads[2:])
    assert anew.lines == expected.lines and anew.default == expected.default
    assert sum(anew.default) == 3
    # nothing stated yet: the literals that look like a line's end are cut too
    whole, everything = stated_anew(canonical_order([]), statements(quads, g)), canonical_order(quads, default=quads)
    assert whole.lines == everything.lines and whole.default == everything.default
    with pytest.raises(ValueError, match="not all in it"):
        statements([ox.Quad(s, p, ox.Literal("elsewhere"), ox.NamedNode("https://example.org/g2"))], g)


def test_a_description_loaded_ahead_adds_nothing_the_graph_lacks() -> None:
    """The store loads the description, all but the version, before the graph is in order; what the
    graph states already must then be there with its default graph's line (``stated_before``), or
    the store would hold a line no dump holds."""
    from graph.dumps import stated_anew, stated_before, statements

    g = ox.NamedNode("https://example.org/meta")
    s, p, version = (ox.NamedNode(f"https://example.org/{n}") for n in ("s", "p", "version"))
    described = statements([ox.Quad(s, p, ox.Literal(str(i)), g) for i in range(4)], g)
    versioned = statements([ox.Quad(s, version, ox.Literal("abc"), g)], g)
    first = ox.Quad(s, p, ox.Literal("0"), g)
    stated = canonical_order([first], default=[first])  # the graph states one of them, in both graphs
    void = stated_anew(stated, described + versioned)
    assert len(void) == 8 and stated_anew(stated, versioned).lines == [v for v in void.lines if b"version" in v]
    assert stated_before(stated, described, void) == []
    only_named = canonical_order([first])  # stated in its graph, not in the default graph
    missing = stated_before(only_named, described, stated_anew(only_named, described))
    assert missing == [b'<https://example.org/s> <https://example.org/p> "0" .']


def test_the_load_files_hold_each_quad_once_and_graph_all_without_the_claims(tmp_path, monkeypatch) -> None:
    """``LoadFiles`` cuts each line's graph name off by text: literals that look like the end of a
    line (a graph name, a line break) must not fool it. Quads come in two rounds, as in the build
    (what the tables state, then what is derived into the same graphs), then the default graph."""
    from graph.load_files import InGraph, LoadFiles

    g, claims = ox.NamedNode("https://example.org/g"), ox.NamedNode(CLAIMS_GRAPH)
    inferred = ox.NamedNode("https://example.org/inferred")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    tricky = [ox.Literal(f"x <{g.value}> .\n<{g.value}> ."), ox.Literal("a\nb"), g, ox.Literal("1", language="en")]
    other = ox.NamedNode("https://example.org/other-source")  # states some of g's triples again
    mapped = {ox.Quad(s, p, o, graph) for o in tricky for graph in (g, claims)} | {
        ox.Quad(s, p, o, other) for o in tricky[1:3]}
    derived = {ox.Quad(s, p, ox.Literal("derived"), g)}
    entailed = {ox.Triple(g, p, s)}
    inferences = {ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entailed}
    preferred = [ox.Quad(s, p, o, g) for o in tricky[:2]]  # what the named graphs state, some left out
    monkeypatch.setattr("graph.load_files.CHUNK", 3)  # several chunks, a graph cut across two
    done: list = []
    files = LoadFiles(tmp_path, claims=claims, nquads_done=done.append, union_done=done.append)
    files.named([mapped])
    files.named([derived, InGraph(inferred, inferences)])  # the inferences' graph given, not read
    written = files.default(preferred, inferences)

    assert len(written.nquads) > 2 and len(written.union) > 1
    assert sorted(done) == sorted(written.nquads + written.union)  # each handed over once
    assert all(len(path.read_bytes().splitlines()) <= 3 for path in written.nquads + written.union)
    loaded = [q for path in written.nquads for q in ox.parse(path=path, format=ox.RdfFormat.N_QUADS)]
    named = mapped | derived | inferences
    as_quads = named | {ox.Quad(q.subject, q.predicate, q.object) for q in preferred} | {
        ox.Quad(t.subject, t.predicate, t.object) for t in entailed}
    assert set(loaded) == as_quads and len(loaded) == len(named) + len(preferred) + len(entailed)
    assert list(written.default) == [isinstance(q.graph_name, ox.DefaultGraph) for q in loaded]  # each line marked
    assert written.default.count(1) == len(preferred) + len(entailed)  # the default graph, marked
    union_lines = [q.triple for path in written.union for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)]
    union = set(union_lines)
    assert union == {q.triple for q in named if q.graph_name != claims}
    assert len(union_lines) == len(union)  # a triple stated in two graphs is written once
    assert union >= {q.triple for q in preferred} | entailed  # graph/all holds the default graph, not written again
    assert {q.triple for piece in written.checked for q in ox.parse(piece, format=ox.RdfFormat.N_TRIPLES)} == (
        {q.triple for q in named if q.graph_name == claims} | {q.triple for q in preferred})
    assert written.per_graph == {g: len(tricky) + 1, claims: len(tricky), other: 2, inferred: 1}
    with pytest.raises(ValueError, match="two parts"):  # the parts must not share a graph, or a quad
        LoadFiles(tmp_path / "again", claims=claims).named([mapped, mapped])
    with pytest.raises(ValueError, match="not all in it"):  # a graph given is checked on the lines written
        LoadFiles(tmp_path / "wrong", claims=claims).named([InGraph(g, [*derived, ox.Quad(s, p, g, other)])])


def test_lines_already_made_are_written_as_quads_would_be(tmp_path, monkeypatch) -> None:
    """``LoadFiles.statements`` takes the claim nodes' lines as made (``graph.claims``): the same files,
    counts and validation lines as ``named`` writes for the same quads; lines of another graph are refused."""
    from graph.dumps import statements
    from graph.load_files import InGraph, LoadFiles

    claims, other = ox.NamedNode(CLAIMS_GRAPH), ox.NamedNode("https://example.org/other")
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    quads = [ox.Quad(s, p, ox.Literal(f"{i}\n<{claims.value}> ."), claims) for i in range(7)]
    monkeypatch.setattr("graph.load_files.CHUNK", 3)
    as_quads = LoadFiles(tmp_path / "quads", claims=claims)
    as_quads.named([InGraph(claims, quads)])
    as_lines = LoadFiles(tmp_path / "lines", claims=claims)
    assert as_lines.statements(claims, statements(quads, claims)) == 7
    a, b = as_quads.default([], []), as_lines.default([], [])
    assert [x.read_bytes() for x in a.nquads] == [x.read_bytes() for x in b.nquads] and len(b.nquads) == 3
    assert a.checked == b.checked and a.per_graph == b.per_graph == {claims: 7} and not b.union
    with pytest.raises(ValueError, match="not all in it"):
        LoadFiles(tmp_path / "wrong", claims=claims).statements(other, statements(quads, claims))


def test_freed_pyoxigraph_memory_is_given_back_to_the_system() -> None:
    """The build gives the C allocator's free memory back once the assembly is gone: the terms of
    pyoxigraph's objects, freed, would otherwise stay in the process for good."""
    from pathlib import Path

    from graph.build import give_back_freed_memory

    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc on this platform")

    def rss_mib() -> int:
        line = next(ln for ln in status.read_text().splitlines() if ln.startswith("VmRSS"))
        return int(line.split()[1]) // 1024

    g = ox.NamedNode("https://example.org/graph/" + "g" * 60)
    quads = [ox.Quad(ox.NamedNode(f"https://example.org/s/{i:08d}/" + "x" * 60), g, ox.Literal("v" * 80), g)
             for i in range(300_000)]
    kept = ox.NamedNode("https://example.org/made-after-them")  # noqa: F841  # the heap's top stays in use
    del quads  # freed below the top of the heap, which plain free() keeps
    before = rss_mib()
    give_back_freed_memory()
    assert rss_mib() < before - 30
