"""The worker pool in-process: streaming of large results, deadlines, and network containment."""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import pytest
import rdflib
from conftest_sparql import sparql_data_dir  # noqa: F401

from api.sparql.errors import SparqlError
from api.store.base import Complete, Spooled
from api.store.embedded.pool import Job, QueryPool
from graph.settings import Settings
from graph.store import Layout, current_version


def make_pool(data_dir, **overrides) -> tuple[QueryPool, str]:
    settings = dataclasses.replace(Settings(), data_dir=data_dir, query_workers=1, **overrides)
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
