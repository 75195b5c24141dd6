"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import PREFIXES

# What pyoxigraph's serialisers take: quads and triples (a triple is in the default graph) in one
# stream; its type stubs say one kind or the other. The build's lists hold quads only, and a quad
# marked ``default`` stands for its triple in the default graph: the preferred view's triples are
# quads of the graphs that state them, and no second object is kept for each (a Triple costs about
# 400 bytes; 1.4 million at 100x). The triple is made when it is serialised.
Statement = ox.Quad | ox.Triple


def statements(quads: Iterable[ox.Quad], default: bytes | bytearray) -> Iterator[Statement]:
    """What the serialisers take: each quad, or the triple of one marked ``default``."""
    for q, mark in zip(quads, default, strict=True):
        yield q.triple if mark else q


@dataclass(frozen=True)
class Ordered:
    """Quads in the order of their N-Quads lines, with the lines (UTF-8, without the line break):
    each line is made once. ``default`` marks the quads that stand for their triple in the default
    graph (``Statement``); their lines are the triples' lines."""

    quads: list[ox.Quad]
    lines: list[bytes]
    default: bytes | bytearray

    def __len__(self) -> int:
        return len(self.quads)

    def has(self, line: bytes) -> bool:
        at = bisect.bisect_left(self.lines, line)
        return at < len(self.lines) and self.lines[at] == line


def nquads_document(quads: Sequence[ox.Quad], default: bytes | bytearray) -> bytes:
    """The quads as N-Quads, in order, by pyoxigraph's serialiser."""
    return ox.serialize(statements(quads, default), format=ox.RdfFormat.N_QUADS) or b""  # type: ignore[arg-type]


def sorted_by_lines(quads: Sequence[ox.Quad], document: bytes | list[bytes], default: bytes | bytearray) -> Ordered:
    """Quads in the order of their N-Quads lines (UTF-8 bytes sort as the code points do), given
    ``document``, their N-Quads in the same order (or its lines), and which of them stand for their
    triple in the default graph. N-Quads escapes line breaks inside literals, so the document splits
    into exactly one line per quad."""
    if isinstance(document, bytes):
        lines = document.split(b"\n")
        lines.pop()  # the empty piece after the last line break
    else:
        lines = document
    if not len(lines) == len(quads) == len(default):
        raise ValueError(f"{len(quads)} quads ({len(default)} marked) serialised as {len(lines)} N-Quads lines")
    order = sorted(range(len(quads)), key=lines.__getitem__)
    return Ordered([quads[i] for i in order], [lines[i] for i in order], bytes(map(default.__getitem__, order)))


def lines_of(paths: Iterable[Path]) -> list[bytes]:
    """The lines of N-Quads files, without their line breaks, file by file: a whole document is
    never in memory beside its lines."""
    lines: list[bytes] = []
    for path in paths:
        mine = path.read_bytes().split(b"\n")
        mine.pop()  # the empty piece after the last line break
        lines += mine
    return lines


def canonical_order(quads: Iterable[ox.Quad], default: Iterable[ox.Quad] = ()) -> Ordered:
    """``quads``, and ``default`` standing for their triples in the default graph, in the order of
    their N-Quads lines: each line made once, sorted once, reused by every later step."""
    items = list(quads)
    marks = bytearray(len(items))
    items += default
    marks += b"\x01" * (len(items) - len(marks))
    return sorted_by_lines(items, nquads_document(items, marks), marks)


def not_in(ordered: Ordered, quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    """The ``quads`` whose N-Quads line is not among ``ordered``'s lines."""
    mine = canonical_order(quads)
    return {q for q, line in zip(mine.quads, mine.lines, strict=True) if not ordered.has(line)}


def merge_ordered(a: Ordered, b: Ordered) -> Ordered:
    """Two canonically ordered lists as one. ``b`` is the short one (the VoID description): each of its
    lines is placed by binary search, and ``a`` is copied in slices between them, so no key is
    compared for the million lines of ``a``."""
    quads: list[ox.Quad] = []
    lines: list[bytes] = []
    marks = bytearray()
    start = 0
    for quad, line, mark in zip(b.quads, b.lines, b.default, strict=True):
        at = bisect.bisect_right(a.lines, line, lo=start)  # after equal lines of a, as a stable sort puts them
        quads += a.quads[start:at]
        lines += a.lines[start:at]
        marks += a.default[start:at]
        quads.append(quad)
        lines.append(line)
        marks.append(mark)
        start = at
    quads += a.quads[start:]
    lines += a.lines[start:]
    marks += a.default[start:]
    return Ordered(quads, lines, marks)


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
    size of every file in ``directory``. A line of the default graph in N-Quads is its N-Triples line.

    ``ordered`` is emptied as it goes: its lines go once the N-Triples are written, before a Triple
    is made for each statement of the default graph, because pyoxigraph's serialisers read a list
    about three times faster than a generator."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
    with (directory / "preferred.nt").open("wb") as nt:
        for line in compress(ordered.lines, ordered.default):
            nt.write(line + b"\n")
    ordered.lines.clear()
    everything: list[Statement] = list(ordered.quads)
    for i in compress(range(len(everything)), ordered.default):
        everything[i] = everything[i].triple  # type: ignore[union-attr]  # a quad, before this line
    default = list(compress(everything, ordered.default))
    del ordered.quads[:]
    ox.serialize(everything, str(directory / "dataset.trig"), format=ox.RdfFormat.TRIG,  # type: ignore[arg-type]
                 prefixes=prefixes)
    ox.serialize(default, str(directory / "preferred.ttl"), format=ox.RdfFormat.TURTLE,  # type: ignore[arg-type]
                 prefixes=prefixes)
    ox.serialize(everything, str(directory / "dataset.jsonld"), format=ox.RdfFormat.JSON_LD)  # type: ignore[arg-type]
    return {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
