"""Query worker processes: each evaluates one query at a time over the read-only store.

``python worker.py --template FD`` starts the *template*: it enters an empty network namespace,
loads the store into memory when asked (``--memory DB``), then waits on the control socket ``FD``
for connected sockets (SCM_RIGHTS); for each one it forks a worker that serves that socket. So every
worker shares the template's in-memory store copy-on-write, and replacing a killed worker costs a
fork, not a second load. A worker speaks a tiny framed protocol: one JSON job per line in; frames
``kind(1) length(4) payload`` out, ``R`` ready, ``D`` a chunk of the serialised result, ``E`` end,
``X`` error (JSON). pyoxigraph cannot cancel a running query, so the parent enforces deadlines by
killing the worker.

Why in memory: Oxigraph's in-memory store answers our query mix about 3.8 times faster than its
on-disk store (RocksDB) over the same data. A job naming a store other than the loaded one (a new
build was published) is answered from that store on disk until the pool moves to a new template.

The network namespace is defence in depth: even a query that slipped past the SERVICE check could
not open a connection (the check in ``safety.py`` is what the endpoint relies on).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import struct
import sys

CHUNK = 64 * 1024
DEFAULT_GRAPH_MARK = "urn:x-aspkg:default-graph"  # api.sparql.protocol: the store's default graph
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def isolate_network() -> bool:
    """Enter an empty network namespace if the kernel lets us; True when it worked."""
    if os.environ.get("ASPKG_WORKER_NO_NETNS") or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
    return False


class FrameWriter:
    """File-like sink for pyoxigraph's serializers that ships ``D`` frames of about CHUNK bytes."""

    def __init__(self, out):
        self.out = out
        self.buf = bytearray()

    def write(self, data) -> int:
        self.buf += data
        if len(self.buf) >= CHUNK:
            self.flush_frame()
        return len(data)

    def flush(self) -> None:
        pass

    def flush_frame(self) -> None:
        if self.buf:
            send(self.out, b"D", bytes(self.buf))
            self.buf.clear()


def term(t: dict):
    """A SPARQL JSON results term as a pyoxigraph term (the values of a canned query's parameters)."""
    import pyoxigraph as ox

    if t["type"] == "uri":
        return ox.NamedNode(t["value"])
    if t.get("datatype"):
        return ox.Literal(t["value"], datatype=ox.NamedNode(t["datatype"]))
    return ox.Literal(t["value"])


def send(out, kind: bytes, payload: bytes) -> None:
    out.write(kind + struct.pack(">I", len(payload)) + payload)
    if kind != b"D":
        out.flush()


def formats():
    """Media type -> pyoxigraph format, for query results and for graphs."""
    import pyoxigraph as ox

    results = {f.media_type.split(";")[0]: f for f in (
        ox.QueryResultsFormat.JSON, ox.QueryResultsFormat.XML, ox.QueryResultsFormat.CSV, ox.QueryResultsFormat.TSV)}
    graphs = {f.media_type.split(";")[0]: f for f in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD, ox.RdfFormat.TRIG,
        ox.RdfFormat.N_QUADS)}
    return results, graphs


def load_in_memory(db: str):
    """The store at ``db`` copied into an in-memory store.

    A short-lived child opens the on-disk store and streams it as N-Quads through a pipe: RocksDB
    starts background threads, and a process that forks workers must have none."""
    import pyoxigraph as ox

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: dump and leave
        code = 0
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                ox.Store.read_only(db).dump(out, format=ox.RdfFormat.N_QUADS)
        except BaseException:  # noqa: BLE001 - reported through the exit status
            code = 1
        os._exit(code)
    os.close(write)
    store = ox.Store()
    with os.fdopen(read, "rb") as data:
        store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(f"could not copy the store at {db} into memory")
    return store


def serve(jobs, out, info: dict, store=None, loaded: str | None = None) -> None:
    """Answer jobs (one JSON line each) until the input ends; ``store`` is the one at ``loaded``."""
    import pyoxigraph as ox

    results_formats, rdf_formats = formats()
    prefixes = json.loads(os.environ.get("ASPKG_WORKER_PREFIXES", "{}"))
    send(out, b"R", json.dumps({**info, "pid": os.getpid()}).encode())
    disk = None
    opened = None
    for line in jobs:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            if job["db"] == loaded:
                current = store
            else:  # another version than the one in memory: read it on disk
                if job["db"] != opened:
                    disk = None
                    disk = ox.Store.read_only(job["db"])
                    opened = job["db"]
                current = disk
            kwargs: dict = {"prefixes": prefixes}
            if job.get("bind"):
                kwargs["substitutions"] = {ox.Variable(name): term(t) for name, t in job["bind"].items()}
            if job.get("base"):
                kwargs["base_iri"] = job["base"]  # relative IRIs resolve against the endpoint's address
            if job.get("dg") is not None or job.get("ng") is not None:
                kwargs["default_graph"] = [ox.DefaultGraph() if g == DEFAULT_GRAPH_MARK else ox.NamedNode(g)
                                           for g in job.get("dg") or []]
                if job.get("ng") is not None:
                    kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["ng"]]
            # Otherwise the store's own default graph: the build materialised it as the
            # deduplicated union of the named graphs (a set, unlike use_default_graph_as_union).
            result = current.query(job["q"], **kwargs)  # type: ignore[union-attr]
            media = job["fmt"]
            fmt: ox.QueryResultsFormat | ox.RdfFormat | None
            if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                fmt = results_formats.get(media)
            else:
                fmt = rdf_formats.get(media)
            if fmt is None:
                raise LookupError(f"{media} does not fit the form of this query")
            writer = FrameWriter(out)
            result.serialize(writer, fmt)  # type: ignore[arg-type]
            writer.flush_frame()
            send(out, b"E", b"")
        except SyntaxError as e:
            send(out, b"X", json.dumps({"kind": "syntax", "message": str(e)}).encode())
        except LookupError as e:
            send(out, b"X", json.dumps({"kind": "form", "message": str(e)}).encode())
        except RuntimeError as e:  # the engine refused the query as written (an unknown function, ...)
            send(out, b"X", json.dumps({"kind": "query", "message": str(e)}).encode())
        except Exception as e:  # noqa: BLE001 - every failure must reach the parent as a frame
            send(out, b"X", json.dumps({"kind": "eval", "message": f"{type(e).__name__}: {e}"}).encode())


def template(control_fd: int, memory_db: str | None) -> None:
    """Load, say ready, then fork one worker per socket received on the control socket."""
    isolated = isolate_network()
    sys.stdout = sys.stderr  # nothing but frames may reach a socket
    control = socket.socket(fileno=control_fd)
    store = load_in_memory(memory_db) if memory_db else None
    info = {"netns": isolated, "memory": memory_db}
    send(control.makefile("wb"), b"R", json.dumps({**info, "pid": os.getpid()}).encode())
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps killed workers
    while True:
        _, fds, _, _ = socket.recv_fds(control, 1, 4)
        if not fds:  # the pool closed the control socket (or sent no socket): leave
            return
        for fd in fds[1:]:
            os.close(fd)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                channel = socket.socket(fileno=fds[0])
                serve(channel.makefile("rb"), channel.makefile("wb"), info, store, memory_db)
            except BaseException:  # noqa: BLE001 - a worker never returns into the template's loop
                code = 1
            os._exit(code)
        os.close(fds[0])


def main() -> None:
    """``worker.py --template FD [--memory DB]``: see the module's docstring."""
    args = sys.argv[1:]
    if args[:1] != ["--template"] or len(args) not in (2, 4):
        sys.exit("usage: worker.py --template FD [--memory DB]")
    template(int(args[1]), args[3] if len(args) == 4 else None)


if __name__ == "__main__":
    main()
