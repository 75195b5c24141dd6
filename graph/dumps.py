"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES


def canonical_nquads(quads: set[ox.Quad]) -> bytes:
    lines = sorted(str(q) + " .\n" for q in quads)
    return "".join(lines).encode("utf-8")


def write_dumps(quads: set[ox.Quad], nquads: bytes, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dataset.nq").write_bytes(nquads)
    ordered = sorted(quads, key=str)
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
    (directory / "dataset.trig").write_bytes(
        ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b"")
    union = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    (directory / "union.ttl").write_bytes(
        ox.serialize(union, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"")
    (directory / "dataset.jsonld").write_bytes(
        ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"")
    return {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
