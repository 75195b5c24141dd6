"""A query worker process: evaluates one query at a time over the read-only store.

It runs as ``python worker.py`` (stdlib and pyoxigraph only, so it starts fast) and speaks a tiny
framed protocol: one JSON job per line on stdin; frames ``kind(1) length(4) payload`` on stdout,
``R`` ready, ``D`` a chunk of the serialised result, ``E`` end, ``X`` error (JSON). pyoxigraph
cannot cancel a running query, so the parent enforces deadlines by killing this process.

Before anything else the worker tries to move into a fresh network namespace with no interfaces,
so even a query that slipped past the SERVICE check could not open a connection (defence in
depth; the check in ``safety.py`` is what the endpoint relies on).
"""

from __future__ import annotations

import ctypes
import json
import os
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


def main() -> None:
    isolated = isolate_network()
    import pyoxigraph as ox

    results_formats = {
        f.media_type.split(";")[0]: f
        for f in (
            ox.QueryResultsFormat.JSON,
            ox.QueryResultsFormat.XML,
            ox.QueryResultsFormat.CSV,
            ox.QueryResultsFormat.TSV,
        )
    }
    rdf_formats = {
        f.media_type.split(";")[0]: f
        for f in (
            ox.RdfFormat.TURTLE,
            ox.RdfFormat.N_TRIPLES,
            ox.RdfFormat.RDF_XML,
            ox.RdfFormat.JSON_LD,
            ox.RdfFormat.TRIG,
            ox.RdfFormat.N_QUADS,
        )
    }
    prefixes = json.loads(os.environ.get("ASPKG_WORKER_PREFIXES", "{}"))
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames may reach the pipe
    send(out, b"R", json.dumps({"pid": os.getpid(), "netns": isolated}).encode())
    store = None
    opened = None
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            if job["db"] != opened:
                store = None
                store = ox.Store.read_only(job["db"])
                opened = job["db"]
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
            result = store.query(job["q"], **kwargs)  # type: ignore[union-attr]
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


if __name__ == "__main__":
    main()
