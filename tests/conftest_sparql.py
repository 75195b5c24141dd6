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
