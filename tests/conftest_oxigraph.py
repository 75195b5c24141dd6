"""Fixtures for the remote-store tests: Oxigraph's own SPARQL server on loopback, holding the real
built graph published with ``graph.publish``.

Import them into a test module with ``from conftest_oxigraph import oxigraph_server, published  # noqa: F401``.
The server binary comes with the ``oxigraph`` package of the test extras, next to the interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest_sparql import free_port

from graph.publish import PublishResult, publish
from graph.store import Layout

OXIGRAPH = Path(sys.executable).with_name("oxigraph")
ENGINE_TIMEOUT_S = 3  # the engine's own limit: it stops the runaway queries the tests abandon


@dataclass
class Oxigraph:
    base: str
    location: Path
    proc: subprocess.Popen

    @property
    def store(self) -> str:
        return self.base + "/store"

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def update(self) -> str:
        return self.base + "/update"



def start_oxigraph(location: Path, *options: str, timeout_s: int | None = ENGINE_TIMEOUT_S) -> Oxigraph:
    """``oxigraph serve`` on a free loopback port; waits (bounded) until it answers a query."""
    if not OXIGRAPH.exists():
        raise RuntimeError(f"{OXIGRAPH} is missing: install the test extras (pip install -e '.[test]')")
    port = free_port()
    command = [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *options]
    if timeout_s:
        command += ["--timeout-s", str(timeout_s)]
    log = (location.parent / f"{location.name}.log").open("wb")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = Oxigraph(f"http://127.0.0.1:{port}", location, proc)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph exited with {proc.returncode}: see {log.name}")
        try:
            if httpx.post(server.query, data={"query": "ASK {}"}, timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_oxigraph(server)
    raise RuntimeError("oxigraph did not answer within 30 s")


def stop_oxigraph(server: Oxigraph) -> None:
    if server.proc.poll() is not None:
        return
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    server = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
    yield server
    stop_oxigraph(server)


@pytest.fixture(scope="session")
def published(oxigraph_server: Oxigraph, built_layout: Layout) -> PublishResult:
    """The real built graph, published to the session's Oxigraph server."""
    return publish(built_layout, oxigraph_server.store, progress=lambda line: None)
