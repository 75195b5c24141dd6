"""Fill a new pyoxigraph store on a thread of its own, while the build goes on.

pyoxigraph's loader parses files and bytes in Rust without holding the GIL, so the store (the
largest step of a big build) loads on the second core while the claims are ranked, the graph is
validated and the dumps are written on the first. The loading thread, and the RocksDB threads it
starts, run at the lowest priority (``graph/priority.py``). Loads run one after the other, in the
order given; ``compact`` then compacts the store, ``wait`` re-raises the first error, and leaving
the ``with`` block always waits for the thread, so a failed build never removes a directory that
is still being written.

Everything loaded here was written by pyoxigraph's own serialiser from terms it had already
checked, so the loads are lenient: the parser does not check every IRI again (a quarter of the
load's time).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox

from graph.priority import lowest_priority


class StoreLoad:
    def __init__(self, db: Path) -> None:
        self._store: ox.Store | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-load", initializer=lowest_priority)
        self._jobs: list[Future[None]] = [self._pool.submit(self._open, db)]
        self._compacting = False

    def __enter__(self) -> StoreLoad:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=exc is not None)
        self._store = None  # closes the database

    def file(self, path: Path, format: ox.RdfFormat, graph: ox.NamedNode | None = None) -> None:
        """Load a file, as written: graph names kept, triples into ``graph`` (default: the default graph)."""
        self._jobs.append(self._pool.submit(self._run, lambda s: s.bulk_load(
            path=str(path), format=format, to_graph=graph, lenient=True)))

    def data(self, data: bytes, format: ox.RdfFormat, graph: ox.NamedNode | None = None) -> None:
        """Load a serialisation held in memory; triples go into ``graph`` (the store drops what it has)."""
        self._jobs.append(self._pool.submit(self._run, lambda s: s.bulk_load(
            input=data, format=format, to_graph=graph, lenient=True)))

    def compact(self) -> None:
        """Compact the store once everything is in (loading nothing more), while the build goes on."""
        if not self._compacting:
            self._compacting = True
            self._jobs.append(self._pool.submit(self._run, lambda s: (s.flush(), s.optimize())))

    def wait(self) -> None:
        """Compact the store if not yet asked, then wait; the first load's error is raised here."""
        self.compact()
        for job in self._jobs:
            job.result()

    def _open(self, db: Path) -> None:
        self._store = ox.Store(str(db))  # on the thread: RocksDB's own threads start at its priority

    def _run(self, load) -> None:  # type: ignore[no-untyped-def]
        if self._store is None:
            raise RuntimeError("the store is closed")
        load(self._store)
