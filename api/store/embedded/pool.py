"""A pool of query worker processes: real deadlines, complete answers, and fairness under abuse.

pyoxigraph's ``Store.query`` cannot be interrupted, and a thread running it cannot be stopped; a
process can. Each job runs in a worker (``worker.py``) talking over pipes through asyncio, so the
event loop never blocks. On deadline, client disconnect, oversized result or crash the worker is
killed and a replacement is spawned in the background while the other workers keep serving.

**Complete or visibly an error.** A result is read whole before any status is sent: small ones in
memory, larger ones spooled to a temporary file, never more than ``max_result_bytes``. So a result
that is too large is a 413 and a deadline is a 503, never a 200 whose body stops short; a spooled
result is then sent with its exact Content-Length.

**Fair under abuse.** Runaway queries must not starve ordinary ones:
- each client (peer address) may have at most ``max_queries_per_client`` queries waiting or running;
  one more is a 429 with Retry-After;
- a free worker goes to the waiting query of the client that has used the least worker time lately
  (seconds of evaluation, decaying with a half-life of ``USAGE_HALF_LIFE``), so a client asking
  cheap questions is served before one that keeps the workers busy;
- when queries wait and every worker is busy, a query that has run ``preempt_after`` seconds (or,
  at once, one of a client that has used far more worker time than the lightest waiting client)
  is stopped and answered 503 with Retry-After: a query that needs the whole endpoint for long only
  gets it while nobody else waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import struct
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from api.sparql.errors import SparqlError, too_many_queries
from api.sparql.messages import syntax_message, unknown_function
from api.store.base import Complete, Spooled
from api.store.spool import ResultBuffer
from graph.namespaces import PREFIXES
from graph.settings import Settings
from graph.store import Layout

log = logging.getLogger("aspkg.sparql")

WORKER_SCRIPT = Path(__file__).with_name("worker.py")
POLL = 0.1  # seconds between checks for a disconnected client or a query to preempt
SPAWN_TIMEOUT = 60.0
USAGE_HALF_LIFE = 30.0  # seconds
MAX_WAITING_PER_WORKER = 64


@dataclass
class Job:
    """What a worker needs: the store path, the query, the result media type, the dataset."""

    db: str
    query: str
    media_type: str
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    base_iri: str | None = None
    bindings: dict[str, dict[str, str]] | None = None  # variable -> SPARQL JSON term, for substitutions

    def encode(self) -> bytes:
        return (
            json.dumps(
                {
                    "db": self.db,
                    "q": self.query,
                    "fmt": self.media_type,
                    "dg": self.default_graphs,
                    "ng": self.named_graphs,
                    "base": self.base_iri,
                    "bind": self.bindings,
                }
            ).encode()
            + b"\n"
        )


@dataclass(eq=False)
class _Worker:
    proc: asyncio.subprocess.Process
    info: dict = field(default_factory=dict)

    @property
    def alive(self) -> bool:
        return self.proc.returncode is None


@dataclass(eq=False)
class _Ticket:
    """A query waiting for a worker, then running on it."""

    client: str
    seq: int
    assigned: asyncio.Future
    worker: _Worker | None = None
    started: float | None = None
    preempted: bool = False


async def _read_frame(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    head = await reader.readexactly(5)
    (length,) = struct.unpack(">I", head[1:])
    return head[:1], (await reader.readexactly(length) if length else b"")


def _failure(payload: bytes, query: str = "") -> SparqlError:
    """The error a worker reported; it is still usable afterwards (``clean``).

    Only our own parser's message is passed on verbatim; an engine error becomes a message of ours
    (an unknown function is named), so nothing a remote party could have written reaches a client.
    """
    info = json.loads(payload)
    if info["kind"] == "syntax":
        err = SparqlError(400, "syntax error", syntax_message(info["message"], query))
    elif info["kind"] == "form":
        err = SparqlError(406, "not acceptable", info["message"])
    elif info["kind"] == "query":
        known = unknown_function(info["message"])
        detail = known or "the query engine cannot evaluate this query as written"
        if not known:
            log.warning("query refused by the engine: %s", info["message"][:300])
        err = SparqlError(400, "query not supported", detail)
    else:
        log.error("query evaluation failed: %s", info["message"][:300])
        err = SparqlError(500, "evaluation error", "the query failed while it was evaluated; the error is logged")
    err.clean = True  # type: ignore[attr-defined]
    return err


class NoNetworkSandbox(RuntimeError):
    """Workers could not enter an empty network namespace and the settings require one."""


class QueryPool:
    """``query_workers`` processes; ``run`` evaluates one job within ``query_timeout`` seconds."""

    def __init__(self, layout: Layout, settings: Settings):
        self.layout = layout
        self.size = max(1, settings.query_workers)
        self.timeout = settings.query_timeout
        self.max_result_bytes = settings.max_result_bytes
        self.spool_after = settings.spool_after_bytes  # results up to this size stay in memory (and may be cached)
        self.per_client = max(1, settings.max_queries_per_client)
        self.preempt_after = settings.preempt_after
        self.require_sandbox = settings.require_network_sandbox
        self._idle: list[_Worker] = []
        self._workers: set[_Worker] = set()
        self._waiting: list[_Ticket] = []
        self._running: dict[_Worker, _Ticket] = {}
        self._load: Counter[str] = Counter()  # queries waiting or running, per client
        self._usage: dict[str, tuple[float, float]] = {}  # client -> (worker seconds, as of loop time)
        self._pending: set[asyncio.Task] = set()
        self._seq = 0
        self._started = False
        self._closed = False
        self._warned = False
        self.killed = 0  # workers killed so far (deadline, disconnect, size); exposed for tests/metrics
        self.preempted = 0

    async def start(self) -> None:
        """Spawn every worker and wait until they are ready."""
        if self._started:
            return
        self._started = True
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
        if not worker.info.get("netns"):
            self._no_sandbox(proc)
        if self._closed:
            proc.kill()
            return
        self._workers.add(worker)
        self._idle.append(worker)
        self._dispatch()

    def _no_sandbox(self, proc: asyncio.subprocess.Process) -> None:
        text = ("QUERY WORKERS HAVE NO NETWORK SANDBOX: this host does not let them enter an empty network "
                "namespace, so the SERVICE check in api/sparql/safety.py is the only barrier against "
                "outbound requests. Set ASPKG_REQUIRE_NETWORK_SANDBOX=true to refuse to start in this case.")
        if self.require_sandbox:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            raise NoNetworkSandbox(text)
        if not self._warned:
            self._warned = True
            log.warning(text)
            print(f"WARNING: {text}", file=sys.stderr, flush=True)

    # --- scheduling ---------------------------------------------------------------------------------

    def usage(self, client: str, now: float | None = None) -> float:
        """Worker seconds the client used lately (decayed), counting its queries still running."""
        now = asyncio.get_running_loop().time() if now is None else now
        spent, when = self._usage.get(client, (0.0, now))
        decayed = spent * 0.5 ** ((now - when) / USAGE_HALF_LIFE)
        return decayed + sum(now - t.started for t in self._running.values()
                             if t.client == client and t.started is not None)

    def _charge(self, ticket: _Ticket) -> None:
        if ticket.started is None:
            return
        now = asyncio.get_running_loop().time()
        spent, when = self._usage.get(ticket.client, (0.0, now))
        self._usage[ticket.client] = (spent * 0.5 ** ((now - when) / USAGE_HALF_LIFE) + now - ticket.started, now)
        if len(self._usage) > 10_000:  # forget the lightest clients; a bounded table
            for key, _ in sorted(self._usage.items(), key=lambda kv: kv[1][0])[:5_000]:
                del self._usage[key]

    def _dispatch(self) -> None:
        """Give free workers to waiting queries, the client that used the least worker time first."""
        while self._idle and self._waiting:
            worker = self._idle.pop()
            if not worker.alive:
                self._replace(worker)
                continue
            now = asyncio.get_running_loop().time()
            ticket = min(self._waiting, key=lambda t: (self.usage(t.client, now), t.seq))
            self._waiting.remove(ticket)
            ticket.worker = worker
            ticket.started = asyncio.get_running_loop().time()
            self._running[worker] = ticket
            if not ticket.assigned.done():
                ticket.assigned.set_result(worker)

    def _preempt(self) -> None:
        """When queries wait and no worker is free, stop one running query: one that has run
        ``preempt_after`` s, or at once one of a client that has used far more worker time lately
        than the lightest waiting client; the heaviest client's, then the longest running, first."""
        if not self._waiting or self._idle or self.preempt_after <= 0:
            return
        now = asyncio.get_running_loop().time()
        lightest = min(self.usage(t.client, now) for t in self._waiting)
        heavy = lightest + 10 * self.preempt_after
        candidates = [t for t in self._running.values()
                      if not t.preempted and t.started is not None
                      and (now - t.started >= self.preempt_after or self.usage(t.client, now) > heavy)]
        if not candidates:
            return
        victim = max(candidates, key=lambda t: (self.usage(t.client, now), now - (t.started or now)))
        victim.preempted = True
        self.preempted += 1
        if victim.worker is not None:
            with contextlib.suppress(ProcessLookupError):
                victim.worker.proc.kill()

    def _enter(self, client: str) -> _Ticket:
        if self._load[client] >= self.per_client:
            raise too_many_queries(self._load[client], self.per_client)
        if len(self._waiting) >= MAX_WAITING_PER_WORKER * self.size:
            raise SparqlError(503, "busy", "too many queries are waiting; try again shortly", {"Retry-After": "5"})
        self._seq += 1
        ticket = _Ticket(client, self._seq, asyncio.get_running_loop().create_future())
        self._load[client] += 1
        self._waiting.append(ticket)
        self._dispatch()
        return ticket

    def _leave(self, ticket: _Ticket, reuse: bool) -> None:
        self._charge(ticket)
        self._load[ticket.client] -= 1
        if self._load[ticket.client] <= 0:
            del self._load[ticket.client]
        if ticket in self._waiting:
            self._waiting.remove(ticket)
        worker = ticket.worker
        if worker is not None:
            self._running.pop(worker, None)
            if reuse and worker.alive and not ticket.preempted:
                self._idle.append(worker)
            else:
                self._replace(worker)
        self._dispatch()

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

    # --- running a job ------------------------------------------------------------------------------

    async def run(
        self, job: Job, disconnected: Callable[[], Awaitable[bool]] | None = None, client: str = "-"
    ) -> Complete | Spooled:
        """Evaluate ``job`` completely; raises :class:`SparqlError` on syntax errors, deadline, size, crash."""
        if not self._started:
            await self.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        ticket = self._enter(client)
        reuse = written = False
        try:
            worker = await self._wait(ticket.assigned, deadline, disconnected, ticket,
                                      SparqlError(503, "busy", "no query worker became free before the deadline",
                                                  {"Retry-After": "5"}))
            worker.proc.stdin.write(job.encode())  # type: ignore[union-attr]
            written = True
            collect = loop.create_task(self._collect(worker, job.query))
            try:
                result = await self._wait(collect, deadline, disconnected, ticket, SparqlError(
                    503, "timeout", f"the query did not finish within {self.timeout:g} s and was stopped; "
                    "add a LIMIT or make it more selective"))
            finally:
                if not collect.done():
                    collect.cancel()
                    with contextlib.suppress(BaseException):
                        await collect
                elif not collect.cancelled():
                    collect.exception()  # retrieved: the outcome is the SparqlError raised here
            reuse = True
            return result
        except SparqlError as e:
            # a worker that finished its job (a syntax error, say) or never got it can go on
            reuse = bool(getattr(e, "clean", False)) or (ticket.worker is not None and not written)
            raise
        finally:
            self._leave(ticket, reuse)

    async def _wait(self, fut: Awaitable, deadline: float, disconnected, ticket: _Ticket,
                    on_timeout: SparqlError):
        loop = asyncio.get_running_loop()
        task = fut if isinstance(fut, asyncio.Future) else asyncio.ensure_future(fut)
        while True:
            if ticket.preempted:
                raise SparqlError(503, "preempted", f"the endpoint is busy: this query ran longer than "
                                  f"{self.preempt_after:g} s while other queries waited, and was stopped; retry "
                                  "later, or make it more selective", {"Retry-After": "10"})
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise on_timeout
            done, _ = await asyncio.wait({task}, timeout=min(remaining, POLL))
            if done and not ticket.preempted:
                return task.result()
            if disconnected is not None and await disconnected():
                raise SparqlError(499, "client closed request", "the client went away; the query was stopped")
            self._preempt()

    async def _collect(self, worker: _Worker, query: str = "") -> Complete | Spooled:
        """Read frames until the end, an error or ``max_result_bytes``; past ``spool_after`` bytes the
        result goes to a temporary file, so memory stays bounded and the answer is still complete."""
        reader = worker.proc.stdout
        buffer = ResultBuffer(self.max_result_bytes, self.spool_after)
        try:
            while True:
                kind, payload = await _read_frame(reader)  # type: ignore[arg-type]
                if kind == b"D":
                    buffer.add(payload)
                elif kind == b"E":
                    return buffer.finish()
                elif kind == b"X":
                    raise _failure(payload, query)
        except asyncio.IncompleteReadError:
            raise SparqlError(500, "worker crashed", "the query worker stopped unexpectedly") from None
        finally:
            buffer.discard()

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
