"""The files the new store loads from while the build goes on, each quad serialised once: every quad
as N-Quads, and what graph/all holds (every graph but the claims) as N-Triples; and, in memory, the
N-Triples of what the shapes check (the preferred view and the claims).

A line of graph ``g`` ends with `` <g> .`` and a line break, and N-Quads escapes line breaks inside
literals, so cutting that ending off gives the N-Triples line of the same triple. The store merges
a triple stated in several graphs, so Python keeps no set of the union.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.dumps import Statement


@dataclass
class Written:
    order: list[Statement]  # the quads in the order of the N-Quads file's lines (a triple: default graph)
    per_graph: dict[ox.NamedNode, int]  # the size of each named graph, which the VoID states
    checked: bytes  # N-Triples: the preferred view and the triples of the claims graph


def write_load_files(named: Iterable[ox.Quad], preferred: Iterable[ox.Triple], entailed: Iterable[ox.Triple],
                     nquads: Path, union: Path, claims: ox.NamedNode) -> Written:
    """Write both files; the default graph is ``preferred`` and ``entailed``, which must not share
    a triple (``graph.inference.infer`` gives only new ones)."""
    by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
    for q in named:
        graph = q.graph_name
        if not isinstance(graph, ox.NamedNode):
            raise ValueError(f"{q} is not in a named graph")
        by_graph.setdefault(graph, []).append(q)
    order: list[Statement] = []
    checked = b""
    with nquads.open("wb") as nq, union.open("wb") as nt:
        for graph, quads in by_graph.items():
            lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
            nq.write(lines)
            order += quads
            as_triples = lines.replace(f" <{graph.value}> .\n".encode(), b" .\n")
            if graph == claims:
                checked += as_triples
            else:
                nt.write(as_triples)
        for triples, shaped in ((list(preferred), True), (list(entailed), False)):
            lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            nq.write(lines)
            nt.write(lines)
            order += triples
            if shaped:
                checked = lines + checked
    return Written(order, {graph: len(quads) for graph, quads in by_graph.items()}, checked)
