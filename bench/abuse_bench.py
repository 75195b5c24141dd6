"""Fairness under abuse: an ordinary client's latency while runaway clients flood the endpoint.

Runs the abuse load of the tests (``tests/conftest_sparql.abuse``: four abusive clients, each from
its own loopback address, keeping six runaway queries in flight; an ordinary client asking a cheap
query every 100 ms) twice, in one run: with the protections off (no per-client limit, no preemption)
and on (the defaults), and prints p50/p99 of the ordinary client and the ratio.

    python bench/abuse_bench.py [--data-dir var] [--seconds 12]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from conftest_sparql import abuse, start_server, stop_server  # noqa: E402 - the tests' own load


def measure(data_dir: Path, seconds: float, **env: str) -> tuple[float, float, int]:
    server = start_server(data_dir, timeout=10.0, workers=3, ASPKG_CACHE_ENTRIES="0", **env)
    try:
        run = abuse(server.endpoint, seconds=seconds)
    finally:
        stop_server(server)
    ok = sum(1 for s in run.statuses if s == 200)
    return run.pct(0.5), run.pct(0.99), ok


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", default=str(REPO / "var"))
    p.add_argument("--seconds", type=float, default=12.0)
    a = p.parse_args()
    off = measure(Path(a.data_dir), a.seconds, ASPKG_MAX_QUERIES_PER_CLIENT="1000", ASPKG_PREEMPT_AFTER="0")
    on = measure(Path(a.data_dir), a.seconds)
    print(f"{'protections':<14}{'p50 ms':>10}{'p99 ms':>10}{'answered':>10}")
    for name, (p50, p99, n) in (("off", off), ("on", on)):
        print(f"{name:<14}{p50 * 1000:>10.0f}{p99 * 1000:>10.0f}{n:>10}")
    print(f"p99 on/off: {on[1] / off[1]:.3f}x")


if __name__ == "__main__":
    main()
