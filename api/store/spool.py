"""A result read whole before any status is sent: in memory while small, in a temporary file past
``spool_after`` bytes, refused past ``max_bytes``. Both repositories collect results this way, so a
too-large result is a 413 and a broken one an error, never a 200 whose body stops short."""

from __future__ import annotations

import tempfile
from typing import IO

from api.sparql.errors import SparqlError
from api.store.base import Complete, Spooled


def too_large(max_bytes: int) -> SparqlError:
    return SparqlError(413, "result too large",
                       f"the result exceeds {max_bytes} bytes; add a LIMIT, or download the dumps")


class ResultBuffer:
    def __init__(self, max_bytes: int, spool_after: int):
        self.max_bytes = max_bytes
        self.spool_after = spool_after
        self.total = 0
        self._chunks: list[bytes] = []
        self._spool: IO[bytes] | None = None

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.max_bytes:
            raise too_large(self.max_bytes)
        if self._spool is not None:
            self._spool.write(chunk)
        elif self.total > self.spool_after:
            self._spool = tempfile.TemporaryFile(prefix="aspkg-result-")  # noqa: SIM115 - handed over open
            for c in self._chunks:
                self._spool.write(c)
            self._spool.write(chunk)
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    def finish(self) -> Complete | Spooled:
        """The complete result; the buffer no longer owns a spooled file afterwards."""
        if self._spool is not None:
            self._spool.flush()
            result = Spooled(self._spool, self.total)
            self._spool = None
            return result
        return Complete(b"".join(self._chunks))

    def discard(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._chunks.clear()
