"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES

# A triple among quads is in the default graph: pyoxigraph's serialisers take both in one list (its
# type stubs say one kind or the other), and the build makes no second object for each triple. In
# the build's lists a quad is always in a named graph, so the default graph is told by type alone
# (reading a quad's graph name makes a new object each time: 1.5 µs a quad).
Statement = ox.Quad | ox.Triple


@dataclass(frozen=True)
class Ordered:
    """Quads in the order of their N-Quads lines, with the lines (UTF-8, without the line break):
    each line is made once."""

    quads: Sequence[Statement]
    lines: list[bytes]

    def __len__(self) -> int:
        return len(self.quads)

    def has(self, line: bytes) -> bool:
        at = bisect.bisect_left(self.lines, line)
        return at < len(self.lines) and self.lines[at] == line


def nquads_document(quads: Sequence[Statement]) -> bytes:
    """The quads as N-Quads, in order, by pyoxigraph's serialiser."""
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[arg-type]


def sorted_by_lines(quads: Sequence[Statement], document: bytes | list[bytes]) -> Ordered:
    """Quads in the order of their N-Quads lines (UTF-8 bytes sort as the code points do), given
    ``document``, their N-Quads in the same order (or its lines). N-Quads escapes line breaks
    inside literals, so the document splits into exactly one line per quad."""
    if isinstance(document, bytes):
        lines = document.split(b"\n")
        lines.pop()  # the empty piece after the last line break
    else:
        lines = document
    if len(lines) != len(quads):
        raise ValueError(f"{len(quads)} quads serialised as {len(lines)} N-Quads lines")
    order = sorted(range(len(quads)), key=lines.__getitem__)
    return Ordered([quads[i] for i in order], [lines[i] for i in order])


def canonical_order(quads: Iterable[Statement]) -> Ordered:
    """Quads in the order of their N-Quads lines: each line made once, sorted once, reused by every
    later step."""
    items = list(quads)
    return sorted_by_lines(items, nquads_document(items))


def not_in(ordered: Ordered, quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The ``quads`` whose N-Quads line is not among ``ordered``'s lines."""
    mine = canonical_order(quads)
    return {q for q, line in zip(mine.quads, mine.lines, strict=True) if not ordered.has(line)}  # type: ignore[misc]


def merge_ordered(a: Ordered, b: Ordered) -> Ordered:
    """Two canonically ordered lists as one. ``b`` is the short one (the VoID description): each of its
    lines is placed by binary search, and ``a`` is copied in slices between them, so no key is
    compared for the million lines of ``a``."""
    quads: list[Statement] = []
    lines: list[bytes] = []
    start = 0
    for quad, line in zip(b.quads, b.lines, strict=True):
        at = bisect.bisect_right(a.lines, line, lo=start)  # after equal lines of a, as a stable sort puts them
        quads += a.quads[start:at]
        lines += a.lines[start:at]
        quads.append(quad)
        lines.append(line)
        start = at
    quads += a.quads[start:]
    lines += a.lines[start:]
    return Ordered(quads, lines)


def _chunks(ordered: Ordered, size: int = 65536) -> Iterator[bytes]:
    """The N-Quads document in pieces: the whole of it never needs to be in memory at once."""
    for i in range(0, len(ordered.lines), size):
        yield b"\n".join(ordered.lines[i:i + size]) + b"\n"


def nquads_sha256(ordered: Ordered) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(ordered):
        digest.update(chunk)
    return digest.hexdigest()


def write_nquads(ordered: Ordered, path: Path) -> str:
    """The canonical N-Quads dump, hashed as it is written: its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for chunk in _chunks(ordered):
            digest.update(chunk)
            fh.write(chunk)
    return digest.hexdigest()


def write_dumps(ordered: Ordered, directory: Path) -> dict[str, int]:
    """The dumps other than ``dataset.nq`` (``write_nquads``), each written straight to its file; the
    size of every file in ``directory``. A line of the default graph in N-Quads is its N-Triples line."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
    everything: Iterable[ox.Quad] = ordered.quads  # type: ignore[assignment]  # see Statement
    ox.serialize(everything, str(directory / "dataset.trig"), format=ox.RdfFormat.TRIG, prefixes=prefixes)
    preferred: list[ox.Triple] = []
    with (directory / "preferred.nt").open("wb") as nt:
        for q, line in zip(ordered.quads, ordered.lines, strict=True):
            if isinstance(q, ox.Triple):  # the default graph (see Statement)
                preferred.append(q)
                nt.write(line + b"\n")
    ox.serialize(preferred, str(directory / "preferred.ttl"), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    ox.serialize(everything, str(directory / "dataset.jsonld"), format=ox.RdfFormat.JSON_LD)
    return {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
