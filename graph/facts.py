"""Facts grouped by predicate.

pyoxigraph makes a new Python object at every read of a quad's or a triple's term (about a
microsecond each), so the build reads each fact's predicate once, when the preferred view is made,
and the steps after it (inferences, the default graph's statistics) take the facts by predicate:
four reads fewer for each of the 1.4 million facts of the 100x benchmark.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import TypeVar

import pyoxigraph as ox

Fact = ox.Triple | ox.Quad  # a quad stands for its triple: its graph is not read
ByPredicate = Mapping[ox.NamedNode, Sequence[Fact]]
F = TypeVar("F", ox.Triple, ox.Quad, Fact)


def by_predicate(facts: Iterable[Fact]) -> dict[ox.NamedNode, list[Fact]]:
    groups: dict[ox.NamedNode, list[Fact]] = {}
    for f in facts:
        groups.setdefault(f.predicate, []).append(f)
    return groups


def every(groups: Mapping[ox.NamedNode, Sequence[F]]) -> Iterator[F]:
    return chain.from_iterable(groups.values())


def count(groups: ByPredicate) -> int:
    return sum(len(facts) for facts in groups.values())
