"""Dumps of the built graph. The sorted N-Quads file is the canonical, byte-reproducible form."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import pyoxigraph as ox

from graph.convert import Conversion, convert
from graph.namespaces import PREFIXES


@dataclass(frozen=True)
class Ordered:
    """N-Quads lines (UTF-8, without the line break) in canonical order, each made once by pyoxigraph's
    serialiser; ``default`` marks the lines of triples in the default graph (N-Triples lines). No
    Python object is kept for any quad: the dumps in other formats parse the canonical file back
    (``write_dumps``), so the build can let its quads go before validation."""

    lines: list[bytes]
    default: bytes | bytearray

    def __len__(self) -> int:
        return len(self.lines)

    def has(self, line: bytes) -> bool:
        at = bisect.bisect_left(self.lines, line)
        return at < len(self.lines) and self.lines[at] == line


def split_lines(document: bytes) -> list[bytes]:
    """An N-Quads document's lines, without their line breaks. N-Quads escapes line breaks inside
    literals, so there is exactly one line per quad."""
    lines = document.split(b"\n")
    lines.pop()  # the empty piece after the last line break
    return lines


def sorted_lines(lines: list[bytes], default: bytes | bytearray) -> Ordered:
    """``lines`` in order (UTF-8 bytes sort as the code points do; sorted in place), each keeping its
    ``default`` mark. A marked line is an N-Triples line and an unmarked one names its graph, so no
    line is both: the marks are found again by the marked lines' set, which is faster than sorting
    positions by their lines and reordering both (6.7 against 8.5 s for 4.5 million lines)."""
    if len(lines) != len(default):
        raise ValueError(f"{len(lines)} N-Quads lines, {len(default)} marked")
    marked = set(compress(lines, default))
    lines.sort()
    return Ordered(lines, bytes(map(marked.__contains__, lines)))


def lines_of(paths: Iterable[Path]) -> list[bytes]:
    """The lines of N-Quads files, without their line breaks, file by file: a whole document is
    never in memory beside its lines."""
    lines: list[bytes] = []
    for path in paths:
        lines += split_lines(path.read_bytes())
    return lines


@dataclass(frozen=True)
class Statements:
    """Quads of one graph, each serialised once: its N-Quads line and, at the same position, the
    N-Triples line of its triple (the N-Quads line without the graph: N-Quads escapes line breaks
    inside literals, so only a line's own end can match, as in ``graph/load_files.py``)."""

    quads: list[bytes]
    triples: list[bytes]

    def __add__(self, other: Statements) -> Statements:
        return Statements(self.quads + other.quads, self.triples + other.triples)


def statements(quads: Iterable[ox.Quad], graph: ox.NamedNode) -> Statements:
    """``quads``, all in ``graph``, as ``Statements``."""
    ending = f" <{graph.value}> .".encode()
    lines = split_lines(ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b"")
    if not all(line.endswith(ending) for line in lines):
        raise ValueError(f"quads given as in <{graph.value}> are not all in it")
    return Statements(lines, [line[:-len(ending)] + b" ." for line in lines])


def stated_anew(ordered: Ordered, made: Statements) -> Ordered:
    """The statements whose N-Quads line is not among ``ordered``'s lines, each also standing for
    its triple in the default graph, in canonical order."""
    keep = [not ordered.has(line) for line in made.quads]
    fresh, triples = list(compress(made.quads, keep)), list(compress(made.triples, keep))
    return sorted_lines(fresh + triples, bytes(len(fresh)) + b"\x01" * len(triples))


def stated_before(ordered: Ordered, made: Statements, anew: Ordered) -> list[bytes]:
    """The default graph's lines of the statements ``ordered`` holds already that it lacks: what
    ``stated_anew`` left out (``anew`` is what it gave) but a load of all the statements would add."""
    fresh = set(anew.lines)
    return [t for q, t in zip(made.quads, made.triples, strict=True) if q not in fresh and not ordered.has(t)]


def document(lines: Iterable[bytes]) -> bytes:
    """The document of a few lines (a long one is never made whole: ``_chunks``)."""
    return b"\n".join([*lines, b""])


def merge_ordered(a: Ordered, b: Ordered) -> Ordered:
    """Two canonically ordered lists as one. ``b`` is the short one (the VoID description): each of its
    lines is placed by binary search, and ``a`` is copied in slices between them, so no key is
    compared for the million lines of ``a``."""
    lines: list[bytes] = []
    marks = bytearray()
    start = 0
    for line, mark in zip(b.lines, b.default, strict=True):
        at = bisect.bisect_right(a.lines, line, lo=start)  # after equal lines of a, as a stable sort puts them
        lines += a.lines[start:at]
        marks += a.default[start:at]
        lines.append(line)
        marks.append(mark)
        start = at
    lines += a.lines[start:]
    marks += a.default[start:]
    return Ordered(lines, marks)


def _chunks(lines: list[bytes], size: int = 4096) -> Iterator[bytes]:
    """A document of many lines in pieces of a megabyte or so: the whole of it never needs to be in
    memory at once. Joined with the line break after the last line as an empty last item, not added
    to the joined piece (which copies it again); pieces of 65,536 lines, tens of megabytes each,
    took three times as long to join (0.15 against 0.05 s for a million lines, each time the lines
    are hashed or written)."""
    for i in range(0, len(lines), size):
        piece = lines[i:i + size]
        piece.append(b"")
        yield b"\n".join(piece)


def nquads_sha256(ordered: Ordered) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(ordered.lines):
        digest.update(chunk)
    return digest.hexdigest()


def write_nquads(ordered: Ordered, path: Path) -> str:
    """The canonical N-Quads dump, hashed as it is written: its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for chunk in _chunks(ordered.lines):
            digest.update(chunk)
            fh.write(chunk)
    return digest.hexdigest()


def graph_groups(ordered: Ordered) -> list[list[bytes]]:
    """``ordered``'s lines graph by graph: the default graph's first, then each named graph's, by its
    IRI; canonical order within each. TriG and JSON-LD write a graph's block (and a subject's node)
    once for each run of its lines, and the canonical order, which sorts by subject first, puts
    the graphs that state one subject side by side. Grouped, both files are about half as large on
    the real graph and a third smaller at 100x, where they take a quarter less CPU to write (TriG
    6.4 against 9.0 s, JSON-LD 14.3 against 18.1 s) for about 5 s to group and write the lines.

    A named graph's line ends with its IRI, the one term that cannot hold `` <``."""
    default: list[bytes] = []
    named: dict[bytes, list[bytes]] = {}
    for line, mark in zip(ordered.lines, ordered.default, strict=True):
        if mark:
            default.append(line)
        else:
            named.setdefault(line[line.rindex(b" <") + 2:-3], []).append(line)  # " <" IRI "> ."
    return [default] + [named[g] for g in sorted(named)]


def write_lines(groups: Iterable[list[bytes]], path: Path) -> None:
    with path.open("wb") as fh:
        for lines in groups:
            for chunk in _chunks(lines):
                fh.write(chunk)


def write_dumps(ordered: Ordered, directory: Path) -> tuple[str, dict[str, int]]:
    """Every dump, each written straight to its file: the lines graph by graph (``graph_groups``),
    whose first group, the default graph's, is the N-Triples file; TriG and JSON-LD by pyoxigraph's
    serialisers from the grouped lines, parsed back from a file beside ``directory``, each in a
    process of its own (``graph/convert.py``) started as soon as that file is written, while the
    build writes the canonical N-Quads (hashed as it is written) and Turtle from the N-Triples file.
    With the TriG written here too, the step took 4.4 s instead of 4.0 at 20 claims per fact (the
    medians of three builds). Returns the N-Quads file's SHA-256 and the size of every file in
    ``directory``.

    ``ordered`` is emptied once its lines are written. Parsing back costs the TriG and JSON-LD a
    tenth and a third more time than serialising quads held in a list (at 100x: 8.5 against 7.8 s,
    11.6 against 8.5 s), but no Python object is kept for any quad: 1.5 GB at 100x."""
    directory.mkdir(parents=True, exist_ok=True)
    prefixes = {k: v for k, v in PREFIXES.items() if k not in ("sh",)}
    nquads, ntriples = directory / "dataset.nq", directory / "preferred.nt"
    grouped = directory.with_name(directory.name + "-by-graph.nq")
    try:
        groups = graph_groups(ordered)
        write_lines(groups, grouped)
        write_lines(groups[:1], ntriples)  # the default graph's lines are its N-Triples
        del groups
        with Conversion(grouped, "nq", directory / "dataset.jsonld", "jsonld") as jsonld, \
                Conversion(grouped, "nq", directory / "dataset.trig", "trig", prefixes) as trig:
            sha256 = write_nquads(ordered, nquads)
            ordered.lines.clear()
            convert(ntriples, "nt", directory / "preferred.ttl", "ttl", prefixes)
            trig.wait()
            jsonld.wait()
    finally:
        grouped.unlink(missing_ok=True)
    return sha256, {p.name: p.stat().st_size for p in sorted(directory.iterdir())}
