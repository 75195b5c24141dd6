"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES


def nquads_line(quad: ox.Quad) -> str:
    return str(quad) + " .\n"


@dataclass(frozen=True)
class Ordered:
    """Quads in the order of their N-Quads lines, with the lines: each line is made once."""

    quads: list[ox.Quad]
    lines: list[str]

    def __len__(self) -> int:
        return len(self.quads)


def canonical_order(quads: Iterable[ox.Quad]) -> Ordered:
    """Quads in the order of their N-Quads lines: sorted once, reused by every later step."""
    items = list(quads)
    lines = [nquads_line(q) for q in items]
    order = sorted(range(len(items)), key=lines.__getitem__)
    return Ordered([items[i] for i in order], [lines[i] for i in order])


def merge_ordered(a: Ordered, b: Ordered) -> Ordered:
    """Two canonically ordered lists as one: Timsort merges the two sorted runs in linear time."""
    quads, lines = a.quads + b.quads, a.lines + b.lines
    order = sorted(range(len(lines)), key=lines.__getitem__)
    return Ordered([quads[i] for i in order], [lines[i] for i in order])


def nquads_bytes(ordered: Ordered) -> bytes:
    return "".join(ordered.lines).encode("utf-8")


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
