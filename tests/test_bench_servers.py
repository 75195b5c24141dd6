"""The SPARQL benchmark starts servers of its own: one that never comes up must not outlive the run
(it would also hold the output pipe of whatever reads the benchmark's output)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest_sparql import free_port

from bench.sparql_bench import wait_http


def test_a_server_that_does_not_answer_is_stopped_before_the_error() -> None:
    silent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # never listens
    try:
        with pytest.raises(RuntimeError, match="did not start"):
            wait_http(free_port(), "/sparql", silent, limit=1.0)
        assert silent.poll() is not None, "the server was left running"
    finally:
        if silent.poll() is None:
            silent.kill()
        silent.wait()
