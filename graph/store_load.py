"""Fill a new pyoxigraph store on a thread of its own, while the build goes on.

pyoxigraph's loader parses files and bytes in Rust without holding the GIL, so the store (the
largest step of a big build) loads on the second core while validation runs and the dumps are
written on the first. Loads run one after the other, in the order given; ``wait`` compacts the
store and re-raises the first error, and leaving the ``with`` block always waits for the thread, so
a failed build never removes a directory that is still being written.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType

import pyoxigraph as ox


class StoreLoad:
    def __init__(self, db: Path) -> None:
        self._store: ox.Store | None = ox.Store(str(db))
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-load")
        self._jobs: list[Future[None]] = []

    def __enter__(self) -> StoreLoad:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._pool.shutdown(wait=True, cancel_futures=exc is not None)
        self._store = None  # closes the database

    def file(self, path: Path, format: ox.RdfFormat) -> None:
        """Load a file, as written: graph names kept, triples into the default graph."""
        self._jobs.append(self._pool.submit(self._run, lambda s: s.bulk_load(path=str(path), format=format)))

    def data(self, data: bytes, format: ox.RdfFormat, graph: ox.NamedNode | None = None) -> None:
        """Load a serialisation held in memory; triples go into ``graph`` (the store drops what it has)."""
        self._jobs.append(self._pool.submit(self._run, lambda s: s.bulk_load(input=data, format=format,
                                                                                 to_graph=graph)))

    def wait(self) -> None:
        """Compact the store once everything is in, then wait; the first load's error is raised here."""
        self._jobs.append(self._pool.submit(self._run, lambda s: (s.flush(), s.optimize())))
        for job in self._jobs:
            job.result()

    def _run(self, load) -> None:  # type: ignore[no-untyped-def]
        if self._store is None:
            raise RuntimeError("the store is closed")
        load(self._store)
