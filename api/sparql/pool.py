"""A pool of query worker processes, so a deadline is enforced for real.

pyoxigraph's ``Store.query`` cannot be interrupted, and a thread running it cannot be stopped; a
process can. Each job runs in a worker (``worker.py``) talking over pipes through asyncio, so the
event loop never blocks. On deadline, client disconnect, oversized result or crash the worker is
killed and a replacement is spawned in the background while the other workers keep serving.

Results up to ``STREAM_AFTER`` bytes come back whole (cacheable, with Content-Length); bigger ones
come back as a stream of chunks that the route passes on as they are produced.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import struct
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from api.sparql.errors import SparqlError
from graph.namespaces import PREFIXES
from graph.settings import Settings
from graph.store import Layout

log = logging.getLogger("aspkg.sparql")

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
STREAM_AFTER = 4 * 1024 * 1024
POLL_DISCONNECT = 0.1
SPAWN_TIMEOUT = 60.0
MAX_WAITING_PER_WORKER = 64


@dataclass
class Job:
    """What a worker needs: the store path, the query, the result media type, the dataset."""

    db: str
    query: str
    media_type: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None

    def encode(self) -> bytes:
        return (
            json.dumps(
                {
                    "db": self.db,
                    "q": self.query,
                    "fmt": self.media_type,
                    "dg": self.default_graphs,
                    "ng": self.named_graphs,
                }
            ).encode()
            + b"\n"
        )


@dataclass
class Complete:
    body: bytes


@dataclass
class Streaming:
    """A large result: ``chunks`` (read so far) then the rest from ``more``."""

    chunks: list[bytes]
    more: AsyncIterator[bytes]


@dataclass(eq=False)
class _Worker:
    proc: asyncio.subprocess.Process
    info: dict = field(default_factory=dict)

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None


async def _read_frame(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readexactly(5)
    (length,) = struct.unpack(">I", head[1:])
    return head[:1], (await reader.readexactly(length) if length else b"")


def _failure(payload: bytes) -> SparqlError:
    """The error a worker reported; it is still usable afterwards (``clean``)."""
    info = json.loads(payload)
    if info["kind"] == "syntax":
        err = SparqlError(400, "syntax error", f"the query does not parse: {info['message']}")
    elif info["kind"] == "form":
        err = SparqlError(406, "not acceptable", info["message"])
    else:
        err = SparqlError(500, "evaluation error", info["message"])
    err.clean = True  # type: ignore[attr-defined]
    return err


class QueryPool:
    """``query_workers`` processes; ``run`` evaluates one job within ``query_timeout`` seconds."""

    def __init__(self, layout: Layout, settings: Settings):
        self.layout = layout
        self.size = max(1, settings.query_workers)
        self.timeout = settings.query_timeout
        self.max_result_bytes = settings.max_result_bytes
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._pending: set[asyncio.Task] = set()
        self._waiting = 0
        self._closed = False
        self.killed = 0  # workers killed so far (deadline, disconnect, size); exposed for tests/metrics

    async def start(self) -> None:
        """Spawn every worker and wait until they are ready."""
        if self._idle is not None:
            return
        self._idle = asyncio.Queue()
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        env = dict(os.environ, ASPKG_WORKER_PREFIXES=json.dumps(PREFIXES), PYTHONUNBUFFERED="0")
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(WORKER_SCRIPT),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=env,
            limit=2**20,
        )
        worker = _Worker(proc)
        try:
            kind, payload = await asyncio.wait_for(_read_frame(proc.stdout), SPAWN_TIMEOUT)  # type: ignore[arg-type]
            if kind != b"R":
                raise RuntimeError(f"worker sent {kind!r} before ready")
            worker.info = json.loads(payload)
        except Exception:
            log.exception("query worker failed to start")
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise
        if self._closed:
            proc.kill()
            return
        self._workers.add(worker)
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; a new one takes its place when it has started."""
        self.killed += 1
        self._workers.discard(worker)
        with contextlib.suppress(ProcessLookupError):
            worker.proc.kill()
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _respawn(self, old: _Worker) -> None:
        with contextlib.suppress(Exception):
            await old.proc.wait()
        for attempt in range(5):
            try:
                await self._spawn()
                return
            except Exception:  # noqa: BLE001 - retried, then logged
                await asyncio.sleep(0.5 * (attempt + 1))
        log.error("could not replace a query worker")

    async def _acquire(self, deadline: float) -> _Worker:
        if self._idle is None:
            await self.start()
        assert self._idle is not None
        if self._waiting >= MAX_WAITING_PER_WORKER * self.size:
            raise SparqlError(
                503, "busy", "too many queries are waiting; try again shortly", {"Retry-After": "5"}
            )
        self._waiting += 1
        try:
            loop = asyncio.get_running_loop()
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError
                worker = await asyncio.wait_for(self._idle.get(), remaining)
                if worker.alive:
                    return worker
                self._replace(worker)
        except TimeoutError:
            raise SparqlError(
                503, "busy", "no query worker became free before the deadline", {"Retry-After": "5"}
            ) from None
        finally:
            self._waiting -= 1

    def _release(self, worker: _Worker) -> None:
        assert self._idle is not None
        self._idle.put_nowait(worker)

    async def run(
        self, job: Job, disconnected: Callable[[], Awaitable[bool]] | None = None
    ) -> Complete | Streaming:
        """Evaluate ``job``; raises :class:`SparqlError` on syntax errors, deadline, size, crash."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        worker = await self._acquire(deadline)
        owned = True
        try:
            worker.proc.stdin.write(job.encode())  # type: ignore[union-attr]
            collect = loop.create_task(self._collect(worker))
            try:
                outcome = await self._await(collect, deadline, disconnected)
            finally:
                if not collect.done():
                    collect.cancel()
            kind, chunks, total = outcome
            if kind == "done":
                self._release(worker)
                owned = False
                return Complete(b"".join(chunks))
            owned = False  # the stream now owns the worker
            return Streaming(chunks, self._stream(worker, deadline, total))
        except SparqlError as e:
            if owned and getattr(e, "clean", False) and worker.alive:  # the worker finished its job
                self._release(worker)
                owned = False
            raise
        finally:
            if owned:
                self._replace(worker)

    async def _await(self, task: asyncio.Task, deadline: float, disconnected) -> tuple:
        loop = asyncio.get_running_loop()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise SparqlError(
                    503,
                    "timeout",
                    f"the query did not finish within {self.timeout:g} s and was stopped; "
                    "add a LIMIT or make it more selective",
                )
            wait = remaining if disconnected is None else min(remaining, POLL_DISCONNECT)
            done, _ = await asyncio.wait({task}, timeout=wait)
            if done:
                return task.result()
            if disconnected is not None and await disconnected():
                raise SparqlError(499, "client closed request", "the client went away; the query was stopped")

    async def _collect(self, worker: _Worker) -> tuple[str, list[bytes], int]:
        """Read frames until the end, an error, or STREAM_AFTER bytes."""
        reader = worker.proc.stdout
        chunks: list[bytes] = []
        total = 0
        try:
            while True:
                kind, payload = await _read_frame(reader)  # type: ignore[arg-type]
                if kind == b"D":
                    chunks.append(payload)
                    total += len(payload)
                    if total > self.max_result_bytes:
                        raise self._too_big()
                    if total > STREAM_AFTER:
                        return "stream", chunks, total
                elif kind == b"E":
                    return "done", chunks, total
                elif kind == b"X":
                    raise _failure(payload)
        except asyncio.IncompleteReadError:
            raise SparqlError(500, "worker crashed", "the query worker stopped unexpectedly") from None

    def _too_big(self) -> SparqlError:
        return SparqlError(
            413,
            "result too large",
            f"the result exceeds {self.max_result_bytes} bytes; add a LIMIT, or download the dumps",
        )

    async def _stream(self, worker: _Worker, deadline: float, total: int) -> AsyncIterator[bytes]:
        """The rest of a large result; a stream cut short (deadline, size) kills the worker."""
        finished = False
        loop = asyncio.get_running_loop()
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise SparqlError(503, "timeout", "the result stream hit the deadline")
                kind, payload = await asyncio.wait_for(_read_frame(worker.proc.stdout), remaining)  # type: ignore[arg-type]
                if kind == b"D":
                    total += len(payload)
                    if total > self.max_result_bytes:
                        raise self._too_big()
                    yield payload
                elif kind == b"E":
                    finished = True
                    return
                else:
                    raise _failure(payload)
        finally:
            if finished:
                self._release(worker)
            else:
                self._replace(worker)

    def close(self) -> None:
        """Kill every worker (server shutdown)."""
        self._closed = True
        for worker in list(self._workers):
            with contextlib.suppress(ProcessLookupError):
                worker.proc.kill()
        self._workers.clear()
        for task in list(self._pending):
            task.cancel()

    async def aclose(self) -> None:
        """Kill every worker and wait for them, so no pipe outlives the event loop."""
        procs = [w.proc for w in self._workers]
        self.close()
        for proc in procs:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(proc.wait(), 5)
            transport = getattr(proc, "_transport", None)
            if transport is not None:
                transport.close()
