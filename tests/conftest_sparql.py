"""Fixtures for the SPARQL end-to-end tests: a published data dir and a real uvicorn server.

Import them into a test module with ``from conftest_sparql import sparql_server  # noqa: F401``.
When ``ASPKG_TEST_DATA_DIR`` names a data dir holding a real build, it is served instead of the
synthetic graph (the lead's switch to the real build).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sparql_data import make_data_dir

REPO = Path(__file__).resolve().parent.parent
QUERY_TIMEOUT = 3.0


@dataclass
class Server:
    base: str
    data_dir: Path
    proc: subprocess.Popen

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uvicorn_command(port: int) -> list[str]:
    """Our app under uvicorn on loopback: shared by the tests and the benchmarks."""
    return [sys.executable, "-m", "api.server", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log"]


def start_server(data_dir: Path, timeout: float = QUERY_TIMEOUT, workers: int = 2, stderr: Path | None = None,
                 **env: str) -> Server:
    """Start ``uvicorn`` on a free loopback port and wait (bounded) until it answers."""
    port = free_port()
    environ = dict(
        os.environ,
        ASPKG_DATA_DIR=str(data_dir),
        ASPKG_QUERY_TIMEOUT=str(timeout),
        ASPKG_QUERY_WORKERS=str(workers),
        **env,
    )
    proc = subprocess.Popen(
        uvicorn_command(port),
        cwd=REPO,
        env=environ,
        stderr=stderr.open("wb") if stderr is not None else None,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/sparql", timeout=2).status_code == 200:
                return Server(base, data_dir, proc)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(5)


@pytest.fixture(scope="session")
def sparql_data_dir(tmp_path_factory) -> Path:
    given = os.environ.get("ASPKG_TEST_DATA_DIR")
    if given:
        return Path(given)
    root = tmp_path_factory.mktemp("sparql-data")
    make_data_dir(root)
    return root


@pytest.fixture(scope="session")
def sparql_server(sparql_data_dir):
    server = start_server(sparql_data_dir)
    yield server
    stop_server(server)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class AbuseRun:
    latencies: list[float]  # the ordinary client's, in seconds, sorted
    statuses: list[int]  # the ordinary client's
    abusive: list[int]  # statuses the abusive clients got (0: transport error)

    def pct(self, p: float) -> float:
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * p))]


def abuse(endpoint: str, seconds: float = 10.0, addresses: int = 4, per_address: int = 6) -> AbuseRun:
    """A bounded abuse load: ``addresses`` clients, each from its own loopback address, keep
    ``per_address`` runaway queries in flight (backing off 0.2 s after a 429) while an ordinary
    client asks a cheap, never-repeated query every 100 ms. Shared by the test and the benchmark."""
    import threading

    stop = time.monotonic() + seconds
    abusive: list[int] = []

    def runaway(address: str) -> None:
        with httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=seconds + 5) as c:
            while time.monotonic() < stop:
                try:
                    status = c.get(endpoint, params={"query": RUNAWAY}).status_code
                except httpx.HTTPError:
                    status = 0
                abusive.append(status)
                if status == 429:
                    time.sleep(0.2)

    threads = [threading.Thread(target=runaway, args=(f"127.0.0.{2 + i // per_address}",))
               for i in range(addresses * per_address)]
    latencies: list[float] = []
    statuses: list[int] = []
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        with httpx.Client(timeout=seconds + 5) as c:
            n = 0
            while time.monotonic() < stop - 0.5:
                n += 1
                t0 = time.perf_counter()
                cheap = f"SELECT ?s WHERE {{ ?s ?p {n} }} LIMIT 1"
                statuses.append(c.get(endpoint, params={"query": cheap}).status_code)
                latencies.append(time.perf_counter() - t0)
                time.sleep(0.1)
    finally:
        for t in threads:
            t.join(timeout=seconds + 30)
    return AbuseRun(sorted(latencies), statuses, abusive)
