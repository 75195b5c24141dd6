"""The validation's queries, evaluated ahead on two worker threads while pySHACL runs.

Each compiled core constraint and each SPARQL constraint is one query over the whole store; asked
one after the other they were half of the validation at 100x (19 s of 41). pyoxigraph evaluates a
query without holding the GIL, so all of them are handed to two workers as soon as the store is
ready, and the report is then written from their answers in the order it always was: the same
report, in less time on two cores. The first worker stands in for the thread that waits for it;
the second runs only on a CPU nothing else wants (``graph/priority.py``), so that in a build it
never takes the store's loader's. A query asked that was not handed over beforehand is answered
on the spot.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import NamedTuple

import pyoxigraph as ox

from graph.priority import idle_only


class Solutions(NamedTuple):
    variables: list[str]
    rows: list[ox.QuerySolution]


def _evaluate(store: ox.Store, query: str) -> Solutions:
    solutions = store.query(query)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError(f"a validation query must be a SELECT: {query[:80]}")
    return Solutions([v.value for v in solutions.variables], list(solutions))


class Answers:
    """The answers of ``queries`` (SELECTs) over ``store``, worked out ahead by ``workers`` threads."""

    def __init__(self, store: ox.Store, queries: Iterable[str] = (), workers: int = 2) -> None:
        self.store = store
        wanted = list(dict.fromkeys(queries))
        started = itertools.count()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="validate",
                                        initializer=lambda: None if next(started) == 0 else idle_only()
                                        ) if wanted else None
        self._ahead: dict[str, Future[Solutions]] = {
            q: self._pool.submit(_evaluate, store, q) for q in wanted} if self._pool else {}

    def __enter__(self) -> Answers:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def solutions(self, query: str) -> Solutions:
        """The query's answer (a query's error is raised here, where it is read)."""
        ahead = self._ahead.get(query)
        return ahead.result() if ahead is not None else _evaluate(self.store, query)
