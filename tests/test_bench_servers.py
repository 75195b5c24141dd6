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


def test_the_unique_mix_never_repeats_a_request_across_windows() -> None:
    """Windows taken in turns number their prefixes from one count: a window that started again
    from 0 would send the earlier window's requests, which our cache has seen."""
    import itertools

    from bench.sparql_bench import Result, absorb, requests_for

    serial = itertools.count()
    first, second = requests_for("/sparql", unique=True, serial=serial), requests_for("/sparql", unique=True,
                                                                                     serial=serial)
    one = {first(i) for i in range(50)}
    two = {second(i) for i in range(50)}
    assert len(one) == 50 and len(two) == 50 and not one & two
    total, part = Result("u"), Result("u", latencies=[0.1, 0.2], errors=1, elapsed=5.0, probe=Result("p", [0.3]))
    absorb(total, part)
    absorb(total, part)
    assert (len(total.latencies), total.errors, total.elapsed) == (4, 2, 10.0)
    assert total.probe is not None and total.probe.latencies == [0.3, 0.3]
