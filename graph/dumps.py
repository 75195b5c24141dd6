"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES


def nquads_line(quad: ox.Quad) -> str:
    return str(quad) + " .\n"


def canonical_order(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in the order of their N-Quads lines: sorted once, reused by every later step."""
    return sorted(quads, key=nquads_line)


def merge_ordered(a: list[ox.Quad], b: list[ox.Quad]) -> list[ox.Quad]:
    """Two canonically ordered lists as one, without sorting everything again."""
    return list(heapq.merge(a, b, key=nquads_line))


def nquads_bytes(ordered: list[ox.Quad]) -> bytes:
    return "".join(map(nquads_line, ordered)).encode("utf-8")


def write_dumps(ordered: list[ox.Quad], nquads: bytes, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "dataset.nq").write_bytes(nquads)
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
    (directory / "dataset.trig").write_bytes(
        ox.serialize(ordered, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b"")
    preferred = [ox.Triple(q.subject, q.predicate, q.object) for q in ordered
                 if isinstance(q.graph_name, ox.DefaultGraph)]
    (directory / "preferred.ttl").write_bytes(
        ox.serialize(preferred, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"")
    (directory / "preferred.nt").write_bytes(ox.serialize(preferred, format=ox.RdfFormat.N_TRIPLES) or b"")
    (directory / "dataset.jsonld").write_bytes(
        ox.serialize(ordered, format=ox.RdfFormat.JSON_LD) or b"")
    return {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
