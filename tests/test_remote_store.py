"""The remote repository on Oxigraph's own server, holding the real graph published by ``aspkg publish``:
the same answers as the embedded store, and the same limits and errors for clients' queries."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from conftest_oxigraph import Oxigraph, oxigraph_server, published, start_oxigraph, stop_oxigraph  # noqa: F401
from rdflib.compare import isomorphic
from rdflib.term import Literal, URIRef

from api.sparql.canned import canned_queries
from api.sparql.errors import SparqlError
from api.sparql.lexer import tokenize
from api.sparql.protocol import DEFAULT_GRAPH_MARK
from api.store.base import ClientQuery, Complete, Graph, Spooled, StoreUnavailable
from api.store.embedded import EmbeddedRepository
from api.store.remote import DATASET, RemoteRepository
from graph.cli import _settings, main, parser
from graph.namespaces import ALL_GRAPH, METADATA_GRAPH
from graph.publish import publish
from graph.settings import Settings
from graph.store import Layout, current_version

JSON = "application/sparql-results+json"
NT = "application/n-triples"
ASP = "https://w3id.org/asp-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
UKR = URIRef("https://w3id.org/asp-kg/id/state/UKR")
# Cannot finish within the engine's own limit, which then stops it: an abandoned query does not keep the
# engine busy (Oxigraph checks its limit too rarely to stop a three-way cross join in any useful time).
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"


def settings(layout: Layout, server: Oxigraph | None = None, **overrides) -> Settings:
    backend = server.query if server is not None else ""
    values: dict = {"data_dir": layout.root, "sparql_backend": backend, "query_workers": 2, **overrides}
    return dataclasses.replace(Settings(), **values)


@pytest.fixture(scope="module")
def remote(published, oxigraph_server, built_layout):  # noqa: F811
    repo = RemoteRepository(settings(built_layout, oxigraph_server), built_layout)
    yield repo
    repo.close()


@pytest.fixture(scope="module")
def embedded(built_layout) -> EmbeddedRepository:
    return EmbeddedRepository(built_layout, settings(built_layout))


def rows(result: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in result)


def quads(result) -> list[tuple]:
    return sorted(tuple(t.n3() if t is not None else "" for t in q) for q in result)


def execute_both(embedded_settings: Settings, remote: RemoteRepository, jobs: list[ClientQuery]) -> list[tuple]:
    """Each job's result from a fresh embedded pool and from the remote engine."""
    layout = remote.layout

    async def scenario():
        local = EmbeddedRepository(layout, embedded_settings)
        await local.start()
        try:
            out = []
            for job in jobs:
                mine, theirs = await local.execute(job), await remote.execute(job)
                assert isinstance(mine, Complete) and isinstance(theirs, Complete), job.query
                out.append((mine.body, theirs.body))
            return out
        finally:
            await local.aclose()
            await remote.aclose()

    return asyncio.run(scenario())


def run(repo: RemoteRepository, job: ClientQuery, **kwargs):
    async def scenario():
        try:
            return await repo.execute(job, **kwargs)
        finally:
            await repo.aclose()

    return asyncio.run(scenario())


def solutions(body: bytes):
    doc = json.loads(body)
    if "boolean" in doc:
        return doc["boolean"]
    return set(doc["head"]["vars"]), Counter(frozenset((k, json.dumps(v, sort_keys=True)) for k, v in b.items())
                                             for b in doc["results"]["bindings"])


def graph_of(body: bytes) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body.decode("utf-8"), format="nt")


# --- publish ------------------------------------------------------------------------------------------


def store_counts(layout: Layout) -> dict[str | None, int]:
    store = ox.Store.read_only(str(layout.db()))
    counts = Counter(q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None for q in store)
    return dict(counts)


def test_publish_loads_every_graph_and_the_default_graph(published, built_layout):  # noqa: F811
    expected = store_counts(built_layout)
    assert published.version == current_version(built_layout) and published.protocol == "graph store"
    assert published.triples == expected
    assert ALL_GRAPH in expected and METADATA_GRAPH in expected and expected[None] > 1000


def test_publishing_again_leaves_exactly_the_dataset(published, oxigraph_server, built_layout,  # noqa: F811
                                                     remote, embedded, capsys):
    stray = "https://w3id.org/asp-kg/id/source/withdrawn-source"  # ours, from an older version
    foreign = "http://example.org/engine-own-graph"  # the engine's or another dataset's: left alone
    for graph in (stray, foreign):
        triple = b"<http://a> <http://b> <http://c> .\n"
        resp = httpx.put(oxigraph_server.store, params={"graph": graph}, content=triple,
                         headers={"Content-Type": "application/n-triples"})
        assert resp.status_code in (201, 204)
    code = main(["--data-dir", str(built_layout.root), "publish", "--endpoint", oxigraph_server.store,
                 "--batch-size", "7000"])  # several requests per large graph: PUT, then POSTs
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"deleted {stray}" in err and "triples sent" in err and "checked: the server holds version" in err
    assert foreign not in err
    assert URIRef(stray) not in remote.graphs() and URIRef(foreign) in remote.graphs()
    httpx.delete(oxigraph_server.store, params={"graph": foreign})
    assert remote.graphs() == embedded.graphs()
    counts = remote.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {str(r["g"]): int(r["n"]) for r in counts} == {k: v for k, v in published.triples.items() if k}


def test_publish_falls_back_to_sparql_update(published, oxigraph_server, built_layout, remote, embedded):  # noqa: F811
    result = publish(built_layout, oxigraph_server.base + "/no-graph-store", query_endpoint=oxigraph_server.query,
                     update_endpoint=oxigraph_server.update, batch_size=40_000, progress=lambda line: None)
    assert result.protocol == "update" and result.triples == published.triples
    assert remote.graphs() == embedded.graphs()


def test_publish_refuses_a_server_whose_default_graph_is_the_union(built_layout, tmp_path, capsys):
    union = start_oxigraph(tmp_path / "union", "--union-default-graph")
    try:
        code = main(["--data-dir", str(built_layout.root), "publish", "--endpoint", union.store])
    finally:
        stop_oxigraph(union)
    err = capsys.readouterr().err
    assert code == 1
    assert "publish failed: the server does not hold the dataset" in err and "the default graph" in err
    assert "union default graph" in err


def test_serve_takes_a_sparql_backend():
    args = parser().parse_args(["serve", "--sparql-backend", "http://127.0.0.1:7878/query"])
    assert _settings(args).sparql_backend == "http://127.0.0.1:7878/query"


# --- our own queries: the same answers ----------------------------------------------------------------


def test_version_graphs_and_files(remote, embedded, built_layout):
    assert DATASET == ox.NamedNode("https://w3id.org/asp-kg/dataset").value  # graph/void.py's DATASET
    assert remote.version() == embedded.version() == current_version(built_layout)
    assert remote.graphs() == embedded.graphs() and len(remote.graphs()) > 100
    assert remote.files(remote.version()) == built_layout.store_dir(remote.version())
    assert remote.files("no-such-version") is None


def pick(embedded: EmbeddedRepository, condition: str):
    (row,) = embedded.select(f"SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER({condition}) }} ORDER BY ?s ?o LIMIT 1")
    return row["o"]


def test_select_with_and_without_bindings(remote, embedded):
    label = pick(embedded, 'LANG(?o) = "en"')
    date = pick(embedded, f"DATATYPE(?o) = <{XSD}date>")
    text = pick(embedded, f"DATATYPE(?o) = <{XSD}string> && STRLEN(?o) > 9")
    cases = [
        ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"s": UKR}),
        ("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }", {"label": label}),
        ("SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
         {"label": Literal(str(label))}),  # the same text without its language: other rows (or none)
        (f"SELECT ?m ?d WHERE {{ ?m <{ASP}startDate> ?d }}", {"d": date}),
        ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"o": pick(embedded, f"DATATYPE(?o) = <{XSD}integer>")}),
        ("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", {"o": text}),
        ("SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": Literal('} ; DROP ALL # "\\', lang="en")}),
        (f"SELECT ?m ?end WHERE {{ ?m a <{ASP}StatePartyMembership> OPTIONAL {{ ?m <{ASP}endDate> ?end }} }}", None),
        (f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?o }} }} GROUP BY ?g", None),
    ]
    for query, bindings in cases:
        mine = embedded.select(query, bindings)
        assert rows(remote.select(query, bindings)) == rows(mine), query
    assert any(not r.get("end") for r in embedded.select(cases[-2][0]))  # unbound variables are dropped alike


def test_ask_and_construct(remote, embedded):
    for query, bindings in [("ASK { ?s ?p ?o }", {"s": UKR}), ("ASK { ?s ?p ?o }", {"s": URIRef("http://nope/")}),
                            (f"ASK {{ <{UKR}> <{RDFS_LABEL}> ?l }}", None)]:
        assert remote.ask(query, bindings) is embedded.ask(query, bindings)
    canned = canned_queries()["describe-session"]
    for query, bindings in [(canned.text, canned.bindings({})),
                            (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{METADATA_GRAPH}> {{ ?s ?p ?o }} }}", None)]:
        mine = embedded.construct(query, bindings)
        assert mine and sorted(remote.construct(query, bindings)) == sorted(mine)


def test_match_in_each_graph_mode(remote, embedded):
    label = pick(embedded, 'LANG(?o) = "en"')
    cases = [
        dict(subjects=[UKR]),
        dict(subjects=[UKR], graph=Graph.NAMED),
        dict(subjects=[URIRef(DATASET)], graph=URIRef(METADATA_GRAPH)),
        dict(subjects=[UKR], predicates=[RDFS_LABEL, RDF_TYPE], graph=Graph.NAMED),
        dict(predicates=[RDFS_LABEL], objects=[label]),
        dict(objects=[Literal(remote.version())], graph=URIRef(METADATA_GRAPH)),
        dict(objects=[UKR], graph=URIRef(ALL_GRAPH)),
        dict(subjects=[]),
    ]
    for case in cases:
        mine = embedded.match(**case)  # type: ignore[arg-type]
        assert quads(remote.match(**case)) == quads(mine), case  # type: ignore[arg-type]
    assert embedded.match(**cases[0]) and embedded.match(**cases[1]) and embedded.match(**cases[2])


def test_match_splits_long_value_lists_into_several_queries(remote, embedded, monkeypatch):
    subjects = [r["s"] for r in embedded.select(f"SELECT DISTINCT ?s WHERE {{ ?s a <{ASP}State> }} ORDER BY ?s")]
    assert len(subjects) > 100
    calls: list[int] = []
    post = remote._post

    def counted(query: str, accept: str) -> bytes:
        calls.append(len(query))
        return post(query, accept)

    monkeypatch.setattr(remote, "_post", counted)
    monkeypatch.setattr(remote, "MATCH_CHUNK", 40)
    for graph in (Graph.DEFAULT, Graph.NAMED):
        calls.clear()
        mine = embedded.match(subjects=subjects, predicates=[RDFS_LABEL, RDF_TYPE], graph=graph)
        assert quads(remote.match(subjects=subjects, predicates=[RDFS_LABEL, RDF_TYPE], graph=graph)) == quads(mine)
        assert len(calls) == -(-len(subjects) // 40) and len(mine) > len(subjects)


# --- clients' queries ---------------------------------------------------------------------------------


def form(text: str) -> str:
    return next(t.text.upper() for t in tokenize(text) if t.text.upper() in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"))


def test_every_canned_query_gives_the_same_answer(remote, built_layout):
    queries = canned_queries()
    jobs = [ClientQuery(q.text, NT if form(q.text) in ("CONSTRUCT", "DESCRIBE") else JSON,
                        bindings=q.bindings({}) or None) for q in queries.values()]
    results = execute_both(settings(built_layout), remote, jobs)
    answered = 0
    for slug, job, (mine, theirs) in zip(queries, jobs, results, strict=True):
        if job.media_type == NT:
            assert isomorphic(graph_of(theirs), graph_of(mine)), slug
            answered += len(graph_of(mine)) > 0
        else:
            assert solutions(theirs) == solutions(mine), slug
            answered += solutions(mine) is True or (isinstance(solutions(mine), tuple) and bool(solutions(mine)[1]))
    assert answered >= len(queries) - 2  # nearly every one has an answer to compare


def test_clients_may_omit_prefixes_and_name_a_dataset_and_a_base(remote, built_layout):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    jobs = [
        ClientQuery("SELECT ?s WHERE { ?s a asp:State ; rdfs:label ?l } ORDER BY ?s LIMIT 5", JSON),
        ClientQuery(count, JSON, default_graphs=(METADATA_GRAPH,)),
        ClientQuery(named, JSON, named_graphs=(METADATA_GRAPH, ALL_GRAPH)),
        ClientQuery(count, JSON, default_graphs=(DEFAULT_GRAPH_MARK,)),
        ClientQuery(count, JSON),
        ClientQuery("SELECT ?x WHERE { BIND(<id/state/UKR> AS ?x) }", "text/csv", base_iri="http://127.0.0.1:8000/"),
        ClientQuery("SELECT * WHERE { ?s ?p ?o } ORDER BY ?p ?o LIMIT 3", "text/tab-separated-values",
                    bindings={"s": UKR}),  # ordered: an unordered LIMIT may pick any three
        ClientQuery("ASK { ?s ?p ?o }", "application/sparql-results+xml", bindings={"s": UKR}),
        ClientQuery(f"CONSTRUCT {{ <{UKR}> ?p ?o }} WHERE {{ <{UKR}> ?p ?o }}", "text/turtle"),
    ]
    results = execute_both(settings(built_layout), remote, jobs)
    for job, (mine, theirs) in zip(jobs, results, strict=True):
        if job.media_type == JSON:
            assert solutions(theirs) == solutions(mine), job
        elif job.media_type == "text/turtle":
            assert isomorphic(rdflib.Graph().parse(data=theirs, format="turtle"),
                              rdflib.Graph().parse(data=mine, format="turtle"))
        else:
            assert theirs.replace(b"\r\n", b"\n") == mine.replace(b"\r\n", b"\n"), job
    assert b"http://127.0.0.1:8000/id/state/UKR" in results[5][1]
    assert solutions(results[3][1]) == solutions(results[4][1])  # the default graph alone: the service's own


def test_a_dataset_naming_the_default_graph_with_others_is_refused(remote):
    job = ClientQuery("SELECT * WHERE { ?s ?p ?o } LIMIT 1", JSON, default_graphs=(DEFAULT_GRAPH_MARK, ALL_GRAPH))
    with pytest.raises(SparqlError) as e:
        run(remote, job)
    assert e.value.status == 400 and "cannot name its default graph" in e.value.detail


def test_engine_errors_are_passed_on_short_and_clean(remote):
    with pytest.raises(SparqlError) as e:
        run(remote, ClientQuery("SELECT *\nWHERE {\n  ?s ?p ?o \x07", JSON))
    assert e.value.status == 400 and e.value.error == "syntax error"
    assert e.value.detail.startswith("syntax error at line 3, column")  # the client's lines, not ours
    assert len(e.value.detail) <= 500 and "\x07" not in e.value.detail
    with pytest.raises(SparqlError) as e:
        run(remote, ClientQuery("SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/f>(?o)) }", JSON))
    assert e.value.status == 400 and e.value.error == "query not supported"
    assert e.value.detail.startswith("unknown function <http://example.org/f>")  # as on the embedded endpoint
    with pytest.raises(SparqlError) as e:
        run(remote, ClientQuery("CONSTRUCT WHERE { ?s ?p ?o }", JSON))
    assert e.value.status == 406


def test_deadline_is_a_503(published, oxigraph_server, built_layout):  # noqa: F811
    repo = RemoteRepository(settings(built_layout, oxigraph_server, query_timeout=0.5), built_layout)
    started = time.monotonic()
    with pytest.raises(SparqlError) as e:
        run(repo, ClientQuery(RUNAWAY, JSON))
    assert e.value.status == 503 and e.value.error == "timeout" and "within 0.5 s" in e.value.detail
    assert time.monotonic() - started < 2.5


def test_an_answer_the_engine_cuts_short_is_an_error_not_a_result(published, oxigraph_server, built_layout):  # noqa: F811
    """Oxigraph's server, at its own time limit (``--timeout-s``), writes the error into a 200 body."""
    repo = RemoteRepository(settings(built_layout, oxigraph_server, query_timeout=30), built_layout)
    with pytest.raises(SparqlError) as e:
        run(repo, ClientQuery(RUNAWAY, JSON))
    assert e.value.status == 502 and "stopped in the middle of the result" in e.value.detail
    with pytest.raises(StoreUnavailable):
        repo.select(RUNAWAY)
    repo.close()


def test_results_past_the_size_limit_are_413_and_large_ones_spooled(published, oxigraph_server, built_layout):  # noqa: F811
    small = RemoteRepository(settings(built_layout, oxigraph_server, max_result_bytes=2_000), built_layout)
    with pytest.raises(SparqlError) as e:
        run(small, ClientQuery("SELECT * WHERE { ?s ?p ?o }", JSON))
    assert e.value.status == 413
    spooling = RemoteRepository(settings(built_layout, oxigraph_server, spool_after_bytes=10_000), built_layout)
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{METADATA_GRAPH}> {{ ?s ?p ?o }} }}"
    result = run(spooling, ClientQuery(query, NT))
    assert isinstance(result, Spooled) and result.size > 10_000
    body = b"".join(result.chunks())
    result.close()
    assert len(body) == result.size and len(graph_of(body)) == len(spooling.construct(query))


def test_per_client_limit_and_waiting_for_a_slot(published, oxigraph_server, built_layout):  # noqa: F811
    repo = RemoteRepository(settings(built_layout, oxigraph_server, query_timeout=1.5, query_workers=1,
                                     max_queries_per_client=1), built_layout)
    cheap = ClientQuery("ASK { ?s ?p ?o }", JSON)

    async def scenario():
        try:
            runaway = asyncio.create_task(repo.execute(ClientQuery(RUNAWAY, JSON), client="a"))
            await asyncio.sleep(0.3)
            with pytest.raises(SparqlError) as e:
                await repo.execute(cheap, client="a")
            assert e.value.status == 429 and e.value.headers["Retry-After"]
            started = time.monotonic()
            waited = await repo.execute(cheap, client="b")  # waits for the one slot, within its deadline
            took = time.monotonic() - started
            with pytest.raises(SparqlError) as e:
                await runaway
            assert e.value.status == 503
            return waited, took
        finally:
            await repo.aclose()

    waited, took = asyncio.run(scenario())
    assert isinstance(waited, Complete) and json.loads(waited.body)["boolean"] is True and 0.8 < took < 1.5


def test_a_client_that_leaves_stops_its_query(remote):
    async def gone_after(seconds: float):
        deadline = time.monotonic() + seconds

        async def disconnected() -> bool:
            return time.monotonic() > deadline

        return disconnected

    async def scenario():
        try:
            started = time.monotonic()
            with pytest.raises(SparqlError) as e:
                await remote.execute(ClientQuery(RUNAWAY, JSON), await gone_after(0.3))
            return e.value.status, time.monotonic() - started
        finally:
            await remote.aclose()

    status, took = asyncio.run(scenario())
    assert status == 499 and took < 1.5


def test_an_engine_that_is_empty_or_stopped_is_unavailable(built_layout, tmp_path: Path):
    engine = start_oxigraph(tmp_path / "empty")
    repo = RemoteRepository(settings(built_layout, engine), built_layout)
    try:
        with pytest.raises(StoreUnavailable, match="holds no published dataset"):
            repo.version()
    finally:
        stop_oxigraph(engine)
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        repo.version()
    with pytest.raises(StoreUnavailable):
        repo.match(subjects=[UKR])
    with pytest.raises(SparqlError) as e:
        run(repo, ClientQuery("ASK {}", JSON))
    assert e.value.status == 503 and e.value.error == "store unavailable" and e.value.headers["Retry-After"]
    repo.close()
