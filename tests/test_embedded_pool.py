"""The worker pool in-process: streaming of large results, deadlines, network containment, and the
template the workers are forked from (the store in memory, a new version after a publish)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import socket
from pathlib import Path

import pytest
import rdflib
from conftest_sparql import sparql_data_dir  # noqa: F401
from sparql_data import make_data_dir

from api.sparql.errors import SparqlError
from api.sparql.examples import EXAMPLES
from api.sparql.safety import analyse
from api.store.base import Complete, Spooled
from api.store.embedded.pool import Job, QueryPool
from graph.settings import Settings
from graph.store import Layout, current_version


def make_pool(data_dir, **overrides) -> tuple[QueryPool, str]:
    settings = dataclasses.replace(Settings(), data_dir=data_dir, **{"query_workers": 1, **overrides})
    layout = Layout(data_dir)
    return QueryPool(layout, settings), str(layout.db(current_version(layout)))


def test_large_results_are_spooled_complete_to_a_file(sparql_data_dir, monkeypatch):  # noqa: F811
    pool, db = make_pool(sparql_data_dir, spool_after_bytes=50_000)

    async def scenario():
        await pool.start()
        try:
            result = await pool.run(Job(db, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"))
            assert isinstance(result, Spooled) and result.size > 50_000
            body = b"".join(result.chunks())
            assert len(body) == result.size
            result.close()
            small = await pool.run(Job(db, "ASK { ?s ?p ?o }", "application/sparql-results+json"))
            assert isinstance(small, Complete)  # the worker went back to the pool after the large result
            return body
        finally:
            await pool.aclose()

    body = asyncio.run(scenario())
    assert len(rdflib.Graph().parse(data=body.decode(), format="nt")) > 5000


def test_deadline_kills_and_replaces_the_worker(sparql_data_dir):  # noqa: F811
    pool, db = make_pool(sparql_data_dir, query_timeout=1.0)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    async def scenario():
        await pool.start()
        try:
            with pytest.raises(SparqlError) as e:
                await pool.run(Job(db, runaway, "application/sparql-results+json"))
            assert e.value.status == 503 and pool.killed == 1
            again = await pool.run(Job(db, "ASK {}", "text/csv"))  # served by the replacement
            assert isinstance(again, Complete) and again.body.strip() == b"true"
        finally:
            await pool.aclose()

    asyncio.run(scenario())


def test_workers_cannot_reach_the_network_even_past_the_checks(sparql_data_dir):  # noqa: F811
    """Defence in depth: a SERVICE sent straight to a worker (bypassing safety.py) goes nowhere."""
    pool, db = make_pool(sparql_data_dir)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"

    async def scenario():
        await pool.start()
        try:
            worker = next(iter(pool._workers))
            if not worker.info.get("netns"):
                pytest.skip("this kernel does not allow a private network namespace")
            with pytest.raises(SparqlError):
                await pool.run(
                    Job(
                        db,
                        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
                        "application/sparql-results+json",
                    )
                )
        finally:
            await pool.aclose()

    asyncio.run(scenario())
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_workers_are_forks_sharing_the_store_in_memory(sparql_data_dir):  # noqa: F811
    """Every worker, and the replacement of a killed one, is a fork of the template holding the store."""
    pool, db = make_pool(sparql_data_dir, query_workers=2, query_timeout=1.0)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    async def scenario():
        await pool.start()
        try:
            template = pool._template
            assert template is not None and template.info["memory"] == db
            first = {w.pid for w in pool._workers}
            assert len(first) == 2 and all(parent_of(pid) == template.proc.pid for pid in first)
            assert all(w.info["memory"] == db for w in pool._workers)
            with pytest.raises(SparqlError):
                await pool.run(Job(db, runaway, "application/sparql-results+json"))
            for _ in range(50):  # the replacement is a fork: it is ready within moments
                if len(pool._idle) == 2:
                    break
                await asyncio.sleep(0.05)
            now = {w.pid for w in pool._workers}
            assert len(now) == 2 and len(now - first) == 1
            assert all(parent_of(pid) == template.proc.pid for pid in now)
            answer = await pool.run(Job(db, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "text/csv"))
            assert isinstance(answer, Complete) and int(answer.body.split()[1]) > 1000
        finally:
            await pool.aclose()

    asyncio.run(scenario())


def _answers(pool: QueryPool, db: str) -> list:
    """Every example query's answer, in a form that does not depend on the order of unordered results."""
    out = []

    async def scenario():
        await pool.start()
        try:
            for ex in EXAMPLES:
                graph = analyse(ex.query).form in ("CONSTRUCT", "DESCRIBE")
                fmt = "application/n-triples" if graph else "application/sparql-results+json"
                whole = re.sub(r"\bLIMIT\s+\d+\s*$", "", ex.query.strip())  # a LIMIT cuts among ties anywhere
                result = await pool.run(Job(db, whole, fmt))
                assert isinstance(result, Complete)
                if graph:
                    out.append(sorted(result.body.decode().splitlines()))
                else:
                    data = json.loads(result.body)
                    rows = data.get("results", {}).get("bindings", [data.get("boolean")])
                    out.append(sorted(json.dumps(r, sort_keys=True) for r in rows))  # ties may come in any order
        finally:
            await pool.aclose()

    asyncio.run(scenario())
    return out


def test_memory_and_disk_answer_every_example_alike(built_layout):
    """The in-memory copy is the same dataset: each example gives the same answer as on disk."""
    db = str(built_layout.db(current_version(built_layout)))
    memory = QueryPool(built_layout, dataclasses.replace(Settings(), data_dir=built_layout.root, query_workers=1))
    disk = QueryPool(built_layout, dataclasses.replace(Settings(), data_dir=built_layout.root, query_workers=1,
                                                       memory_store_max_quads=0))
    in_memory = _answers(memory, db)
    assert memory._template is not None and memory._template.info["memory"] == db
    on_disk = _answers(disk, db)
    assert disk._template is not None and disk._template.info["memory"] is None
    assert len(in_memory) == len(EXAMPLES) and sum(map(len, in_memory)) > 100
    for example, a, b in zip(EXAMPLES, in_memory, on_disk, strict=True):
        assert a == b, example.title


def test_a_new_version_moves_the_workers_to_a_new_template(tmp_path):
    """After a publish, the first query already reads the new version; the workers then move to a
    template holding it, and the old template leaves once its last worker is gone."""
    layout = make_data_dir(tmp_path, version="v1")
    pool = QueryPool(layout, dataclasses.replace(Settings(), data_dir=tmp_path, query_workers=2))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    async def scenario():
        await pool.start()
        try:
            old = pool._template
            v1 = str(layout.db("v1"))
            before = await pool.run(Job(v1, count, "text/csv"))
            make_data_dir(tmp_path, version="v2", scale=2)
            v2 = str(layout.db("v2"))
            after = await pool.run(Job(v2, count, "text/csv"))
            assert isinstance(before, Complete) and isinstance(after, Complete)
            assert int(after.body.split()[1]) > int(before.body.split()[1])
            for _ in range(100):
                if pool._template is not old and len(pool._idle) == 2 and \
                        all(w.template is pool._template for w in pool._workers):
                    break
                await asyncio.sleep(0.05)
            assert pool._template is not old and pool._template.info["memory"] == v2
            assert all(w.info["memory"] == v2 for w in pool._workers) and pool.killed == 0
            await asyncio.wait_for(old.proc.wait(), 5)  # the old template is gone
            again = await pool.run(Job(v2, count, "text/csv"))
            assert isinstance(again, Complete) and again.body == after.body
        finally:
            await pool.aclose()

    asyncio.run(scenario())


def test_a_dead_template_is_started_again_and_a_failed_copy_falls_back_to_disk(tmp_path, caplog):
    """Workers are still replaced after the template died; a store that cannot be copied into memory
    (here a manifest that promises a store the copy cannot read) is served from disk instead."""
    layout = make_data_dir(tmp_path, version="v1")
    db = str(layout.db("v1"))
    pool = QueryPool(layout, dataclasses.replace(Settings(), data_dir=tmp_path, query_workers=1, query_timeout=1.0))
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    ask = Job(db, "ASK { ?s ?p ?o }", "text/csv")

    async def scenario():
        await pool.start()
        try:
            first = pool._template
            first.proc.kill()
            await first.proc.wait()
            with pytest.raises(SparqlError):  # the worker is killed at the deadline: a fork is needed
                await pool.run(Job(db, runaway, "application/sparql-results+json"))
            answer = await pool.run(ask)
            assert isinstance(answer, Complete) and answer.body.strip() == b"true"
            assert pool._template is not first and pool._template.alive
        finally:
            await pool.aclose()

    asyncio.run(scenario())
    # the copy into memory fails: a v2 whose manifest names quads its folder does not hold
    broken = layout.store_dir("v2")
    broken.mkdir()
    (broken / "manifest.json").write_text(json.dumps({"version": "v2", "quads": 10}), encoding="utf-8")
    (broken / "db").mkdir()
    pool = QueryPool(layout, dataclasses.replace(Settings(), data_dir=tmp_path, query_workers=1))

    async def fallback():
        try:
            template = await pool._use_template(str(broken / "db"))
            assert template.alive and template.info["memory"] is None
        finally:
            await pool.aclose()

    asyncio.run(fallback())
    assert "could not copy the store" in caplog.text
