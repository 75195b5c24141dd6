"""Entity-document latency over real HTTP on loopback (uvicorn in its own process, keep-alive client).

    python bench/entity_bench.py                       # on the test fixture (built in a temp dir)
    python bench/entity_bench.py --data-dir var        # on a real build (`aspkg build`)

Reports the median and p95 per format over repeated GETs (served from the per-version document cache,
which is the steady state), plus the uncached in-process cost of describing and rendering.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from conftest_sparql import free_port, uvicorn_command  # noqa: E402 - the tests' own way to start our server

KEYS = ["session/22", "state/BDI", "election/2023-judges", "resolution/ICC-ASP/22/Res.3", "organ/assembly"]
FORMATS = {"jsonld": "application/ld+json", "ttl": "text/turtle", "html": "text/html"}



def _fixture() -> Path:
    sys.path.insert(0, str(REPO / "tests"))
    from ld_fixtures import build_fixture

    return build_fixture(Path(tempfile.mkdtemp(prefix="aspkg-bench-"))).root


def _uncached(data_dir: Path, keys: list[str], rounds: int = 50) -> dict[str, float]:
    from api.linked_data.describe import describe
    from api.linked_data.render_jsonld import document
    from api.store.embedded import EmbeddedRepository
    from graph.settings import Settings
    from graph.store import Layout

    store = EmbeddedRepository(Layout(data_dir), Settings.from_env(data_dir=data_dir))
    base = "https://w3id.org/asp-kg/id/"
    out = {}
    for key in keys:
        samples = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            desc = describe(store, base + key, base)
            if desc is not None:
                document(desc, "http://127.0.0.1/context.jsonld")
            samples.append(time.perf_counter() - t0)
        out[key] = statistics.median(samples) * 1000
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", help="a data directory with a published graph (default: the test fixture)")
    ap.add_argument("-n", type=int, default=400, help="requests per entity and format")
    ap.add_argument("--keys", nargs="*", default=KEYS, help="entity keys (kind/key)")
    args = ap.parse_args()
    data_dir = Path(args.data_dir).resolve() if args.data_dir else _fixture()
    port = free_port()
    env = os.environ | {"ASPKG_DATA_DIR": str(data_dir)}
    cmd = uvicorn_command(port)
    server = subprocess.Popen(cmd, cwd=REPO, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(100):
                try:
                    client.get("/context.jsonld")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(f"graph: {data_dir}   server: {base}   n={args.n} per entity and format\n")
            print(f"{'format':8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  entities")
            overall = []
            for suffix, media in FORMATS.items():
                samples = []
                for key in args.keys:
                    r = client.get(f"/id/{key}", headers={"Accept": media})
                    if r.status_code != 200:
                        print(f"  skip {key}: HTTP {r.status_code}")
                        continue
                    for _ in range(args.n):
                        t0 = time.perf_counter()
                        r = client.get(f"/id/{key}", headers={"Accept": media})
                        samples.append(time.perf_counter() - t0)
                        assert r.status_code == 200
                if not samples:
                    continue
                samples.sort()
                ms = [s * 1000 for s in samples]
                overall += ms if suffix == "jsonld" else []
                print(
                    f"{suffix:8} {statistics.median(ms):10.2f} {ms[int(len(ms) * 0.95)]:8.2f} {ms[-1]:8.2f}"
                    f"  {len(args.keys)}"
                )
            print("\nuncached describe + JSON-LD render, in-process (median ms):")
            for key, ms in _uncached(data_dir, args.keys).items():
                print(f"  {key:40} {ms:6.2f}")
            median = statistics.median(overall) if overall else float("nan")
            print(
                f"\nentity JSON-LD median over HTTP: {median:.2f} ms (target < 5 ms): "
                + ("OK" if median < 5 else "TOO SLOW")
            )
            return 0 if median < 5 else 1
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
