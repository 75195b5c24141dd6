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
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from api.sparql.errors import SparqlError, too_many_queries
from api.sparql.messages import syntax_message, unknown_function
from api.store.base import Complete, Spooled
from api.store.embedded.processes import Template, Worker, quads_of, read_frame
from api.store.spool import ResultBuffer
from graph.settings import Settings
from graph.store import Layout, NoGraphBuilt, current_version

log = logging.getLogger("aspkg.sparql")

POLL = 0.1  # seconds between checks for a disconnected client or a query to preempt
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
class _Ticket:
    """A query waiting for a worker, then running on it."""

    client: str
    seq: int
    assigned: asyncio.Future
    worker: Worker | None = None
    started: float | None = None
    preempted: bool = False


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
        self.memory_max = settings.memory_store_max_quads
        self._template: Template | None = None
        self._template_db: str | None = None  # the store the template was started for
        self._template_lock = asyncio.Lock()
        self._moving_to: str | None = None  # a version whose template is starting
        self._retired: list[Template] = []  # older templates, closed when their last worker is gone
        self._idle: list[Worker] = []
        self._workers: set[Worker] = set()
        self._waiting: list[_Ticket] = []
        self._running: dict[Worker, _Ticket] = {}
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
        """Start the template, then every worker, and wait until they are ready."""
        if self._started:
            return
        self._started = True
        try:
            db: str | None = str(self.layout.db(current_version(self.layout)))
        except NoGraphBuilt:
            db = None
        await self._use_template(db)
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    def _in_memory(self, db: str | None) -> str | None:
        quads = quads_of(db) if db else None
        return db if quads is not None and quads <= self.memory_max else None

    async def _use_template(self, db: str | None) -> Template:
        """The template for ``db``, started if it is not running (a new version, or it died)."""
        async with self._template_lock:
            current = self._template
            if current is not None and current.alive and self._template_db == db:
                return current
            memory = self._in_memory(db)
            template = Template(memory)
            try:
                await template.start()
            except Exception:
                if memory is None:
                    raise
                # the copy failed (out of memory, say): serve from disk rather than not at all
                log.exception("could not copy the store %s into memory; the query workers read it on disk", db)
                template = Template(None)
                await template.start()
            if not template.info.get("netns"):
                self._no_sandbox(template)
            if self._closed:
                template.close()
                raise RuntimeError("the pool is closed")
            self._template, self._template_db = template, db
            if current is not None:
                self._retired.append(current)  # its workers serve on until they are replaced
                self._close_retired()
            return template

    async def _move_to(self, db: str) -> None:
        """A new version was published: start its template, then replace the idle workers of the old
        one (busy ones are replaced when their query ends)."""
        try:
            template = await self._use_template(db)
        except Exception:  # noqa: BLE001 - the old workers go on serving (from disk); logged
            log.exception("could not start query workers for %s", db)
            return
        finally:
            self._moving_to = None
        for worker in [w for w in self._idle if w.template is not template]:
            self._idle.remove(worker)
            self._replace(worker, retired=True)

    async def _spawn(self) -> None:
        template = self._template
        if template is None or not template.alive:
            template = await self._use_template(self._template_db)
        worker = await template.fork()
        if self._closed:
            worker.kill()
            return
        self._workers.add(worker)
        self._idle.append(worker)
        self._dispatch()

    def _no_sandbox(self, template: Template) -> None:
        text = ("QUERY WORKERS HAVE NO NETWORK SANDBOX: this host does not let them enter an empty network "
                "namespace, so the SERVICE check in api/sparql/safety.py is the only barrier against "
                "outbound requests. Set ASPKG_REQUIRE_NETWORK_SANDBOX=true to refuse to start in this case.")
        if self.require_sandbox:
            template.close()
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
            victim.worker.kill()

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
            usable = reuse and worker.alive and not ticket.preempted
            if usable and worker.template is self._template:
                self._idle.append(worker)
            else:
                self._replace(worker, retired=usable)
        self._dispatch()

    def _replace(self, worker: Worker, retired: bool = False) -> None:
        """Kill ``worker`` now (``retired``: it serves an older version); a new one takes its place."""
        if not retired:
            self.killed += 1
        self._workers.discard(worker)
        worker.kill()
        self._close_retired()
        if not self._closed:
            self._background(self._respawn())

    def _close_retired(self) -> None:
        """Close older templates once none of their workers is left (a template reaps its workers)."""
        for template in list(self._retired):
            if not any(w.template is template for w in self._workers):
                self._retired.remove(template)
                template.close()

    def _background(self, work: Awaitable) -> None:
        task = asyncio.ensure_future(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _respawn(self) -> None:
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
        if job.db != self._template_db and job.db != self._moving_to:
            self._moving_to = job.db
            self._background(self._move_to(job.db))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        ticket = self._enter(client)
        reuse = written = False
        try:
            worker = await self._wait(ticket.assigned, deadline, disconnected, ticket,
                                      SparqlError(503, "busy", "no query worker became free before the deadline",
                                                  {"Retry-After": "5"}))
            worker.send(job.encode())
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

    async def _collect(self, worker: Worker, query: str = "") -> Complete | Spooled:
        """Read frames until the end, an error or ``max_result_bytes``; past ``spool_after`` bytes the
        result goes to a temporary file, so memory stays bounded and the answer is still complete."""
        reader = worker.reader
        buffer = ResultBuffer(self.max_result_bytes, self.spool_after)
        try:
            while True:
                kind, payload = await read_frame(reader)
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
        """Kill every worker and the template (server shutdown)."""
        self._closed = True
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        for task in list(self._pending):
            task.cancel()
        for template in [*self._retired, self._template]:
            if template is not None:
                template.close()

    async def aclose(self) -> None:
        """Kill every worker and wait for the template, so no process outlives the event loop."""
        templates = [*self._retired, self._template]
        self.close()
        for template in templates:
            if template is not None:
                await template.aclose()
