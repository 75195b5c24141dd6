"""The files the new store loads from while the build goes on, each quad serialised once: every quad
as N-Quads, and what graph/all holds (every graph but the claims) as N-Triples; and, in memory, the
N-Triples of what the shapes check (the preferred view and the claims).

The files come in chunks of at most ``CHUNK`` lines: Oxigraph's bulk loader holds a whole batch
in memory, and one load of the 100x benchmark's 4.7 million quads took more than a gigabyte; chunks
of 250,000 lines take about a tenth of that, for a slightly longer load on a thread that has time.

A line of graph ``g`` ends with `` <g> .`` and a line break, and N-Quads escapes line breaks inside
literals, so cutting that ending off gives the N-Triples line of the same triple. Each call of
``LoadFiles.named`` writes graph/all's lines once each (a set of them is kept while it runs): a
triple that many sources state would otherwise be loaded once per source, only for the store to
merge it. A triple that a later call states again (derived, or inferred, into another graph) is
loaded again and merged by the store: 529 lines of 121,236 at 30x, 7,217 of 74,607 with 20
claims per fact; keeping the set from the first call to the last held 430 MB more at 100x through
the ranking, the inferences and their loading, when the build's memory is highest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

import pyoxigraph as ox

from graph.dumps import Statements, document

CHUNK = 250_000


@dataclass
class Written:
    default: bytearray  # for each line of the N-Quads files, 1 if it is a triple of the default graph
    per_graph: dict[ox.NamedNode, int]  # the size of each named graph, which the VoID states
    checked: list[bytes]  # N-Triples: the preferred view and the triples of the claims graph
    nquads: list[Path]  # every quad, in chunks
    union: list[Path]  # graph/all's triples, in chunks


class InGraph(NamedTuple):
    """Quads that their maker put in one graph (a source's mapped rows, the claims, the inferences,
    the source records, the ontology): their graph names are not read (each read makes a new
    object, about a microsecond), and the lines written are checked to end with ``graph``."""

    graph: ox.NamedNode
    quads: Iterable[ox.Quad]


class _Chunks:
    """Files ``{stem}-{n}{suffix}`` of at most ``CHUNK`` lines, each write going whole into one;
    ``done`` is called with each file once it is complete and closed."""

    def __init__(self, directory: Path, stem: str, suffix: str, done: Callable[[Path], None]) -> None:
        self.directory, self.stem, self.suffix, self.done = directory, stem, suffix, done
        self.paths: list[Path] = []
        self.file: BinaryIO | None = None
        self.lines = 0

    def write(self, data: bytes, lines: int) -> None:
        if self.file is None or self.lines + lines > CHUNK:
            self.close()
            self.paths.append(self.directory / f"{self.stem}-{len(self.paths):04d}{self.suffix}")
            self.file = self.paths[-1].open("wb")
        self.file.write(data)
        self.lines += lines

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file, self.lines = None, 0
            self.done(self.paths[-1])


def _slices(items: list) -> list[list]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def _ignore(path: Path) -> None:
    pass


class LoadFiles:
    """Writes the chunks into ``directory`` as the quads come, calling ``nquads_done`` or
    ``union_done`` with each file as soon as it is complete (the store can start loading it).

    The build writes what the tables state as soon as they are mapped, so the store loads it while
    the claims are ranked; then the rest (``named`` again, for quads derived into the same graphs,
    which the caller keeps apart from those already written), then the default graph, once."""

    def __init__(self, directory: Path, claims: ox.NamedNode, nquads_done: Callable[[Path], None] = _ignore,
                 union_done: Callable[[Path], None] = _ignore) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.claims = claims
        self.nq = _Chunks(directory, "load", ".nq", nquads_done)
        self.nt = _Chunks(directory, "all", ".nt", union_done)
        self.lines = 0  # in the N-Quads files so far
        self.checked: list[bytes] = []
        self.per_graph: dict[ox.NamedNode, int] = {}

    def named(self, parts: Iterable[Iterable[ox.Quad] | InGraph]) -> int:
        """Quads in named graphs: ``parts`` are sets of quads, each in graphs of its own. Returns how
        many were written."""
        by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
        for part in parts:
            mine: dict[ox.NamedNode, list[ox.Quad]] = {}
            if isinstance(part, InGraph):
                mine[part.graph] = list(part.quads)
            else:
                for q in part:
                    graph = q.graph_name
                    if not isinstance(graph, ox.NamedNode):
                        raise ValueError(f"{q} is not in a named graph")
                    mine.setdefault(graph, []).append(q)
            if shared := mine.keys() & by_graph.keys():
                raise ValueError(f"two parts have quads in {sorted(g.value for g in shared)}")
            by_graph.update(mine)
        union: set[bytes] = set()  # graph/all's lines written by this call
        for graph, quads in by_graph.items():
            ending = f" <{graph.value}> .\n".encode()
            for piece in _slices(quads):
                lines = ox.serialize(piece, format=ox.RdfFormat.N_QUADS) or b""
                # N-Quads escapes line breaks inside literals: only a line's own end can match
                if lines.count(ending) != len(piece):
                    raise ValueError(f"quads given as in <{graph.value}> are not all in it")
                self._piece(graph, lines, len(piece), lines.replace(ending, b" .\n"), union)
            self.per_graph[graph] = self.per_graph.get(graph, 0) + len(quads)
        # Handed over now, not when a chunk is full: the store loads what an area states while the
        # next area is mapped, and the last area's lines while the claims are ranked. Left open
        # until full, the last chunks' 200,000 lines (of 1.2 million, at 20 claims per fact) waited
        # for the default graph, and the loader for them, idle, through the ranking (3 s).
        self.nq.close()
        self.nt.close()
        return sum(len(quads) for quads in by_graph.values())

    def statements(self, graph: ox.NamedNode, made: Statements) -> int:
        """Quads of ``graph`` already serialised (``graph.dumps.Statements``: the claim nodes), as
        ``named`` writes quads. Returns how many were written."""
        ending = f" <{graph.value}> .".encode()
        if not all(line.endswith(ending) for line in made.quads):
            raise ValueError(f"lines given as in <{graph.value}> are not all in it")
        union: set[bytes] = set()
        for i in range(0, len(made.quads), CHUNK):
            quads, triples = made.quads[i:i + CHUNK], made.triples[i:i + CHUNK]
            self._piece(graph, document(quads), len(quads), document(triples), union)
        self.per_graph[graph] = self.per_graph.get(graph, 0) + len(made.quads)
        return len(made.quads)

    def _piece(self, graph: ox.NamedNode, nquads: bytes, lines: int, ntriples: bytes, union: set[bytes]) -> None:
        """``lines`` N-Quads lines of ``graph`` and the N-Triples lines of the same triples: the claims'
        go to validation's store, the others' to graph/all (``_union``)."""
        self.nq.write(nquads, lines)
        self.lines += lines
        if graph == self.claims:
            self.checked.append(ntriples)
        else:
            self._union(ntriples, union)

    def _union(self, ntriples: bytes, written: set[bytes]) -> None:
        """Only graph/all's lines not written before in this call: a triple many sources state (twenty
        of them, in the claims benchmark) is loaded once, not once per source. Two thirds of
        graph/all's lines in that benchmark, a quarter with more entities."""
        fresh = set(ntriples.split(b"\n"))
        fresh.discard(b"")
        fresh -= written
        if fresh:
            written |= fresh
            self.nt.write(b"\n".join(fresh) + b"\n", len(fresh))

    def default(self, preferred: Iterable[ox.Quad], entailed: Iterable[ox.Quad]) -> Written:
        """The default graph: the triples of ``preferred`` and ``entailed``, which must not share a
        triple (the preferred view holds one quad per triple, and ``graph.inference.infer`` gives only
        new ones); the last files are then closed.

        Not in graph/all's files: every preferred triple is a triple of a named graph (the preferred
        view only leaves values out), and every entailed one is in the inferred graph, both already
        written there. At 100x, a sixth fewer lines for the store to load."""
        named = self.lines
        for quads, shaped in ((list(preferred), True), (list(entailed), False)):
            for piece in _slices(quads):
                lines = ox.serialize([q.triple for q in piece], format=ox.RdfFormat.N_TRIPLES) or b""
                self.nq.write(lines, len(piece))
                self.lines += len(piece)
                if shaped:
                    self.checked.append(lines)
        self.nq.close()
        self.nt.close()
        default = bytearray(named) + b"\x01" * (self.lines - named)
        written = Written(default, self.per_graph, self.checked, self.nq.paths, self.nt.paths)
        self.checked = []  # the caller holds them now, and frees them when it wants
        return written
