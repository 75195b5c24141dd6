"""SPARQL benchmark: our endpoint (cache on and off; embedded with the store in memory, the default for
stores up to ``memory_store_max_quads``, and on disk as Oxigraph's server reads it; on Oxigraph's server
with one and two API replicas) vs ``oxigraph serve-read-only`` vs rdflib-endpoint.

All four servers read the same data (the published store; rdflib-endpoint gets an N-Quads dump of
it) and run on loopback. A bounded load generator (``--concurrency`` keep-alive connections, for
``--duration`` seconds after a warm-up) replays the example researcher questions of the query page
round-robin, then prints requests per second, p50/p99 latency, and our ratios to the other two. Our
server with its defaults and Oxigraph's server also get a mix in which every request is new (each
declares a prefix of its own): what no cache can answer. For that mix both servers are up at once
and are loaded in turns, ``--rounds`` windows each (``unique_in_turns``), so that both see the same
stretches of a machine whose speed drifts; each round's ratio is printed too. On our embedded
server one more connection fetches entity documents (JSON-LD) meanwhile; their p50/p99 under that
load are printed too.

    python bench/sparql_bench.py [--data-dir var] [--duration 10] [--concurrency 8] [--rounds 3]

Without a built graph in ``--data-dir`` it publishes the synthetic test graph under ``bench/out``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from conftest_sparql import free_port, uvicorn_command  # noqa: E402 - the tests' own way to start our server

from api.sparql.examples import EXAMPLES  # noqa: E402
from api.sparql.safety import analyse  # noqa: E402
from graph.store import Layout, current_version  # noqa: E402

GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
UNIQUE_OURS = "ours (defaults, unique)"
UNIQUE_OXIGRAPH = "oxigraph (unique)"


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    probe: Result | None = None  # entity documents fetched by one more client during the same load

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000



def requests_for(path: str, unique: bool = False, serial: Iterator[int] | None = None) -> Callable[[int], bytes]:
    """The ``i``-th request: a raw HTTP/1.1 GET of an example query (round-robin), with the Accept
    header a client would send. ``unique``: each request declares a prefix of its own (``PREFIX
    u7:``), numbered by ``serial`` (a new count if none is given; loads that share one never repeat
    each other's requests), which no cache can have seen, while the engine's work stays the same."""
    examples = []
    for ex in EXAMPLES:
        graph = analyse(ex.query).form in GRAPH_FORMS
        examples.append((ex.query, "text/turtle" if graph else "application/sparql-results+json"))

    def make(query: str, accept: str) -> bytes:
        target = f"{path}?{urlencode({'query': query})}"
        return f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: {accept}\r\n\r\n".encode()

    if not unique:
        made = [make(q, a) for q, a in examples]
        return lambda i: made[i % len(made)]

    numbers = serial if serial is not None else itertools.count()  # shared by every connection

    def nth(i: int) -> bytes:
        query, accept = examples[i % len(examples)]
        n = next(numbers)
        return make(f"PREFIX u{n}: <urn:x-bench:{n}>\n{query}", accept)

    return nth


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {
        k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(
    port: int, reqs: Callable[[int], bytes], offset: int, stop: float, warm: float, result: Result, timeout: float,
    pace: float = 0.0,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**24)
    i = offset
    try:
        while True:
            now = time.perf_counter()
            if now >= stop:
                return
            writer.write(reqs(i))
            i += 1
            try:
                status = await asyncio.wait_for(_read_response(reader), timeout)
            except (TimeoutError, asyncio.IncompleteReadError, ConnectionError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=2**24)
                continue
            took = time.perf_counter() - now
            if now >= warm:
                if 200 <= status < 300:
                    result.latencies.append(took)
                else:
                    result.errors += 1
            if pace:
                await asyncio.sleep(pace)
    finally:
        writer.close()


async def load(
    name: str, port: int | list[int], path: str, duration: float, concurrency: int, warmup: float, timeout: float,
    entities: list[str] | None = None, unique: bool = False, serial: Iterator[int] | None = None,
) -> Result:
    """``concurrency`` keep-alive connections for ``warmup + duration`` seconds; only the latter counts.
    With several ports (API replicas) the connections are spread over them, as a load balancer would.
    With ``entities`` (paths such as ``/id/session/22``), one more connection fetches their JSON-LD
    documents meanwhile: what a linked-data client sees while researchers query."""
    ports = port if isinstance(port, list) else [port]
    reqs = requests_for(path, unique, serial)
    result = Result(name)
    start = time.perf_counter()
    warm = start + warmup
    stop = warm + duration
    clients = [_client(ports[k % len(ports)], reqs, k * 3, stop, warm, result, timeout) for k in range(concurrency)]
    if entities:
        result.probe = Result(f"{name}: entity JSON-LD")
        docs = [f"GET {e} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/ld+json\r\n\r\n".encode()
                for e in entities]
        # paced (about 20 a second) so that it measures the load rather than adding to it
        clients.append(_client(ports[0], lambda i: docs[i % len(docs)], 0, stop, warm, result.probe, timeout,
                               pace=0.05))
    await asyncio.gather(*clients)
    result.elapsed = max(time.perf_counter(), stop) - warm
    if result.probe is not None:
        result.probe.elapsed = result.elapsed
    return result


def entity_paths(db: Path, n: int = 6) -> list[str]:
    """A few entities of different kinds from the served graph, as paths under ``/id/``."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(db))
    found = store.query("""SELECT (SAMPLE(?s) AS ?e) WHERE { ?s a ?c
        FILTER(STRSTARTS(STR(?s), "https://w3id.org/asp-kg/id/")) } GROUP BY ?c ORDER BY ?c""")
    paths = sorted({"/id/" + r["e"].value.split("/id/", 1)[1] for r in found})  # type: ignore[index, union-attr]
    return paths[:n]


def wait_http(port: int, path: str, proc: subprocess.Popen, limit: float = 120) -> None:
    """Until the server answers; if it does not, it is stopped before the error is raised, so a failed
    run leaves no server behind (one would also hold the output pipe of whoever reads this one's)."""
    try:
        _wait_http(port, path, proc, limit)
    except BaseException:
        stop(proc)
        raise


def _wait_http(port: int, path: str, proc: subprocess.Popen, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(
                    f"GET {path}?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
                )
                if s.recv(12).startswith(b"HTTP/1.1 2"):
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"server on {port} did not start")


def start_ours(data_dir: Path, cache: bool, workers: int | None, backend: str = "",
               memory: bool = True) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(
        os.environ,
        ASPKG_DATA_DIR=str(data_dir),
        ASPKG_CACHE_ENTRIES="512" if cache else "0",
        ASPKG_SPARQL_BACKEND=backend,
        **({} if memory else {"ASPKG_MEMORY_STORE_MAX_QUADS": "0"}),
        # the load generator is one address standing in for many clients: no per-client limit, and no
        # preemption (Oxigraph's server has neither), so every server runs the same work
        ASPKG_MAX_QUERIES_PER_CLIENT="1000",
        ASPKG_PREEMPT_AFTER="0",
    )
    if workers is not None:
        env["ASPKG_QUERY_WORKERS"] = str(workers)
    proc = subprocess.Popen(
        uvicorn_command(port),
        cwd=REPO,
        env=env,
    )
    wait_http(port, "/sparql", proc)
    return proc, port


def start_oxigraph(db: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    proc = subprocess.Popen(
        [
            exe,
            "serve-read-only",
            "--location",
            str(db),
            "--bind",
            f"127.0.0.1:{port}",
            # no --union-default-graph: the build already materialised the union as the default graph
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(port, "/query", proc)
    return proc, port


def start_rdflib(db: Path) -> tuple[subprocess.Popen, int]:
    import pyoxigraph as ox

    dump = OUT / "rdflib-data.nq"
    store = ox.Store.read_only(str(db))
    store.dump(str(dump), ox.RdfFormat.N_QUADS)
    del store
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve-rdflib", str(dump), "--port", str(port)], cwd=REPO
    )
    wait_http(port, "/", proc, limit=300)
    return proc, port


def serve_rdflib(dump: str, port: int) -> None:
    """rdflib-endpoint over the same dataset: its default graph is the build's materialised union."""
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    ds = Dataset(default_union=False)
    ds.parse(dump, format="nquads")
    app = SparqlEndpoint(graph=ds, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def data_layout(data_dir: Path | None) -> Layout:
    if data_dir is not None:
        layout = Layout(data_dir)
        current_version(layout)
        return layout
    from sparql_data import make_data_dir

    root = OUT / "data"
    layout = Layout(root)
    if not layout.current.exists():
        root.mkdir(parents=True, exist_ok=True)
        make_data_dir(root, version="bench")
        state_version(layout.db("bench"), "bench")
    return layout


def state_version(db: Path, version: str) -> None:
    """The dataset's version in the metadata graph, as a build's description states it: what our API
    on Oxigraph's server reads to know which dataset the engine holds (``api/store/remote.py``)."""
    import pyoxigraph as ox

    from api.store.remote import DATASET, OWL_VERSION_INFO
    from graph.namespaces import METADATA_GRAPH

    store = ox.Store(str(db))
    store.add(ox.Quad(ox.NamedNode(DATASET), ox.NamedNode(OWL_VERSION_INFO), ox.Literal(version),
                      ox.NamedNode(METADATA_GRAPH)))
    store.flush()


def report(results: list[Result]) -> None:
    print(f"\n{'server':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'ok':>8}{'errors':>8}")
    for r in results:
        print(
            f"{r.name:<28}{r.rps:>10.1f}{r.pct(0.5):>10.1f}{r.pct(0.99):>10.1f}{len(r.latencies):>8}{r.errors:>8}"
        )
    probes = [r.probe for r in results if r.probe is not None and r.probe.latencies]
    if probes:
        print("\nentity documents fetched by one more client during the same load:")
        for pr in probes:
            print(f"{pr.name:<44}{pr.pct(0.5):>8.1f} ms p50{pr.pct(0.99):>8.1f} ms p99"
                  f"{len(pr.latencies):>8} ok{pr.errors:>6} errors")
    by = {r.name: r for r in results}
    print()
    if UNIQUE_OURS in by and UNIQUE_OXIGRAPH in by and by[UNIQUE_OXIGRAPH].rps:
        print(f"{UNIQUE_OURS} / {UNIQUE_OXIGRAPH}: {by[UNIQUE_OURS].rps / by[UNIQUE_OXIGRAPH].rps:.2f}x req/s")
    for ours in ("ours (cache on)", "ours (cache off)", "ours (cache off, on disk)", "ours on oxigraph x1 (cache off)",
                 "ours on oxigraph x2 (cache off)"):
        for other in ("oxigraph serve-read-only", "rdflib-endpoint"):
            if ours in by and other in by and by[other].rps:
                print(f"{ours} / {other}: {by[ours].rps / by[other].rps:.2f}x req/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3,
                    help="windows per server for the every-request-new mix, taken in turns (each "
                         "--duration / --rounds seconds after its warm-up)")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--workers", type=int, default=None,
                    help="query worker processes of our server (default: the server's own default)")
    ap.add_argument("--rdflib-duration", type=float, default=30.0, help="seconds for rdflib-endpoint")
    ap.add_argument("--skip-rdflib", action="store_true")
    ap.add_argument("--skip-remote", action="store_true", help="skip our API on Oxigraph's server")
    ap.add_argument("--serve-rdflib", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve_rdflib:
        serve_rdflib(args.serve_rdflib, args.port)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    layout = data_layout(args.data_dir)
    db = layout.db(current_version(layout)).resolve()
    print(f"data: {db}; {len(EXAMPLES)} queries; concurrency {args.concurrency}; {args.duration:g} s each")
    # each server, then the repeated mix against it
    plan = [
        (lambda: start_ours(layout.root, True, args.workers), "/sparql", "ours (cache on)"),
        (lambda: start_ours(layout.root, False, args.workers), "/sparql", "ours (cache off)"),
        # the same store on disk, as Oxigraph's server reads it: what our own layers cost
        (lambda: start_ours(layout.root, False, args.workers, memory=False), "/sparql", "ours (cache off, on disk)"),
        (lambda: start_oxigraph(db), "/query", "oxigraph serve-read-only"),
    ]
    if not args.skip_rdflib:
        plan.append((lambda: start_rdflib(db), "/", "rdflib-endpoint"))
    entities = entity_paths(db)
    results = []
    for starter, path, name in plan:
        proc, port = starter()
        try:
            duration = args.rdflib_duration if name == "rdflib-endpoint" else args.duration
            print(f"running {name} for {duration:g} s ...", flush=True)
            results.append(asyncio.run(load(name, port, path, duration, args.concurrency, args.warmup, args.timeout,
                                            entities if name.startswith("ours") else None)))
        finally:
            stop(proc)
    # the mix no cache can answer (the defaults meet it), reported right after the defaults' repeated mix
    results[1:1] = unique_in_turns(layout, db, args, entities)
    if not args.skip_remote:
        results += remote_modes(layout, db, args)
    report(results)


def absorb(total: Result, part: Result) -> None:
    """Add one window's measurements (and its probe's) to the total of its server."""
    total.latencies += part.latencies
    total.errors += part.errors
    total.elapsed += part.elapsed
    if part.probe is not None:
        if total.probe is None:
            total.probe = Result(part.probe.name)
        absorb(total.probe, part.probe)


def unique_in_turns(layout: Layout, db: Path, args: argparse.Namespace, entities: list[str]) -> list[Result]:
    """Every request new, on our server with its defaults and on Oxigraph's, both up at once and
    loaded in turns (``--rounds`` windows each, ours first): the speed of a shared machine drifts
    by a third within a minute, and two windows side by side see the same stretch of it where one
    window each, minutes apart, might not. Each round's ratio is printed as it ends; the totals
    are over all rounds. Every window numbers its prefixes from one count, so that no cache ever
    sees a request twice."""
    window = args.duration / args.rounds
    serial = itertools.count()
    totals = {UNIQUE_OURS: Result(UNIQUE_OURS), UNIQUE_OXIGRAPH: Result(UNIQUE_OXIGRAPH)}
    ours, ours_port = start_ours(layout.root, True, args.workers)
    try:
        oxigraph, oxigraph_port = start_oxigraph(db)
        try:
            for k in range(args.rounds):
                rps = {}
                for name, port, path, probe in ((UNIQUE_OURS, ours_port, "/sparql", entities),
                                                (UNIQUE_OXIGRAPH, oxigraph_port, "/query", None)):
                    print(f"running {name}, round {k + 1} of {args.rounds}, for {window:g} s ...", flush=True)
                    part = asyncio.run(load(name, port, path, window, args.concurrency, args.warmup, args.timeout,
                                            probe, unique=True, serial=serial))
                    rps[name] = part.rps
                    absorb(totals[name], part)
                if rps[UNIQUE_OXIGRAPH]:
                    print(f"round {k + 1}: {UNIQUE_OURS} / {UNIQUE_OXIGRAPH}: "
                          f"{rps[UNIQUE_OURS] / rps[UNIQUE_OXIGRAPH]:.2f}x req/s", flush=True)
        finally:
            stop(oxigraph)
    finally:
        stop(ours)
    return list(totals.values())


def remote_modes(layout: Layout, db: Path, args: argparse.Namespace) -> list[Result]:
    """Our API on Oxigraph's server (``--sparql-backend``) over the same store: one replica, then two
    replicas sharing the engine (connections spread over both, as behind a load balancer)."""
    engine, engine_port = start_oxigraph(db)
    backend = f"http://127.0.0.1:{engine_port}/query"
    out = []
    try:
        for replicas in (1, 2):
            name = f"ours on oxigraph x{replicas} (cache off)"
            started: list[tuple[subprocess.Popen, int]] = []
            try:
                for _ in range(replicas):  # one by one: those up are stopped if the next one fails
                    started.append(start_ours(layout.root, False, args.workers, backend))
                print(f"running {name} for {args.duration:g} s ...", flush=True)
                ports = [port for _, port in started]
                out.append(asyncio.run(load(name, ports, "/sparql", args.duration, args.concurrency, args.warmup,
                                            args.timeout)))
            finally:
                for proc, _ in started:
                    stop(proc)
    finally:
        stop(engine)
    return out


if __name__ == "__main__":
    main()
