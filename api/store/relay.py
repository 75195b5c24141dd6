"""Clients' queries relayed to a remote SPARQL engine, under the limits the embedded pool keeps.

The engine is another process we cannot kill, so the limits are kept on our side of the socket:
at most ``query_workers`` queries in flight to the engine (others wait, within the deadline), at most
``max_queries_per_client`` per client (one more is a 429), the whole exchange under a deadline of
``query_timeout`` seconds, and the request dropped when the client goes away. The answer is read
whole into a ``ResultBuffer`` before any status is sent, so a result too large is a 413 and a broken
one an error, never a 200 that stops short.

An engine may fail after it has sent its 200 (Oxigraph's server writes the error message into the
body and ends it cleanly), so a body must also *end* the way its format ends (``_ends_well``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from api.sparql.errors import SparqlError, too_many_queries
from api.sparql.messages import syntax_message, unknown_function
from api.sparql.protocol import DEFAULT_GRAPH_MARK
from api.store.base import ClientQuery, Complete, Disconnected, Spooled
from api.store.spool import ResultBuffer
from api.store.values import bind_values, sparql_iri
from graph.namespaces import sparql_prologue
from graph.settings import Settings

log = logging.getLogger("aspkg.sparql")

POLL = 0.1  # seconds between checks for a client that went away
MAX_MESSAGE = 500  # characters of an engine's message passed on to the client
UNAVAILABLE = {"Retry-After": "10"}
PROLOGUE_LINES = 1  # our BASE and PREFIX declarations take the first line of what the engine parses

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_POSITION = re.compile(r"^error at (\d+):(\d+)")
_SYNTAX = re.compile(r"error at \d+:\d+|pars(e|ing)|syntax|lexical|encountered|malformed", re.I)
_ENGINE_TIMEOUT = re.compile(r"cancel|time ?out|timed out", re.I)
_ENDINGS: dict[str, tuple[bytes, ...]] = {  # how a complete body of each format ends (whitespace stripped)
    "application/sparql-results+json": (b"}",),
    "application/sparql-results+xml": (b"</sparql>",),
    "application/rdf+xml": (b"</rdf:RDF>", b"/>"),
    "application/ld+json": (b"]", b"}"),
}
_LINES = ("text/csv", "text/tab-separated-values", "application/n-triples", "application/n-quads",
          "text/turtle", "application/trig")  # line-based: a complete body ends with a newline


def _clean(message: str) -> str:
    return _CONTROL.sub(" ", message).strip()[:MAX_MESSAGE]


def _relative_lines(message: str) -> str:
    """The engine counts lines from our prologue; the client counts from its own first line."""
    m = _POSITION.match(message)
    if m is None or int(m.group(1)) <= PROLOGUE_LINES:
        return message
    return f"error at {int(m.group(1)) - PROLOGUE_LINES}:{m.group(2)}" + message[m.end():]


def _ends_well(media_type: str, tail: bytes, size: int) -> bool:
    if media_type in _LINES:
        return size == 0 or tail.endswith(b"\n") or tail.strip() in (b"true", b"false")  # ASK as CSV/TSV
    endings = _ENDINGS.get(media_type)
    return endings is None or tail.rstrip().endswith(endings)


def timeout_error(seconds: float) -> SparqlError:
    return SparqlError(503, "timeout", f"the query did not finish within {seconds:g} s and was stopped; "
                       "add a LIMIT or make it more selective")


def unavailable(reason: str) -> SparqlError:
    return SparqlError(503, "store unavailable", f"the SPARQL engine behind this endpoint {reason}; "
                       "try again shortly", dict(UNAVAILABLE))


def cut_short() -> SparqlError:
    return SparqlError(502, "bad gateway", "the SPARQL engine stopped in the middle of the result (its own time "
                       "limit, or an error); the partial answer was discarded")


def engine_error(status: int, body: bytes, media_type: str, headers: httpx.Headers, query: str = "") -> SparqlError:
    """The error for a client when the engine answered ``status`` (not 200); ``query`` is the client's
    text, so a parser message in Oxigraph's form reads as on the embedded endpoint."""
    message = _clean(body.decode("utf-8", "replace"))
    known = unknown_function(message)
    if known and (status == 400 or status >= 500):
        return SparqlError(400, "query not supported", known)
    if status == 400:
        relative = _relative_lines(message)
        if _POSITION.match(relative):
            return SparqlError(400, "syntax error", syntax_message(relative, query))
        error = "syntax error" if _SYNTAX.search(message) else "query not supported"
        return SparqlError(400, error, "the SPARQL engine rejected the query: " + relative)
    if status == 406:
        return SparqlError(406, "not acceptable", f"{media_type} does not fit the form of this query")
    if status in (413, 414):
        return SparqlError(413, "request too large", "the SPARQL engine refused a query this long")
    if status in (429, 503):
        retry = headers.get("retry-after", "")
        return SparqlError(503, "busy", "the SPARQL engine is busy; try again shortly",
                           {"Retry-After": retry if retry.isdigit() else "5"})
    if status == 504 or (status >= 500 and _ENGINE_TIMEOUT.search(message)):
        return SparqlError(503, "timeout", "the SPARQL engine stopped the query at its own time limit; "
                           "add a LIMIT or make it more selective")
    log.error("the SPARQL engine answered HTTP %s: %s", status, message[:300])
    return SparqlError(502, "bad gateway", f"the SPARQL engine failed (HTTP {status}); the error is logged")


def engine_form(job: ClientQuery) -> list[tuple[str, str]]:
    """The form fields sent to the engine: our prologue on one line, then the client's query."""
    query = job.query
    try:
        if job.bindings:
            query = bind_values(query, job.bindings)
        base = f"BASE {sparql_iri(job.base_iri)} " if job.base_iri else ""
    except ValueError as e:
        raise SparqlError(400, "bad parameter", str(e)) from None
    fields = [("query", base + sparql_prologue().replace("\n", " ").strip() + "\n" + query)]
    dg, ng = job.default_graphs, job.named_graphs
    if dg is None and ng is None:
        return fields
    defaults, named = list(dg or ()), list(ng or ())
    if DEFAULT_GRAPH_MARK in defaults:
        if len(defaults) > 1 or named:
            raise SparqlError(400, "dataset not supported", (
                "the SPARQL engine behind this endpoint cannot name its default graph in a dataset: give the "
                "default graph alone (no other default-graph-uri and no named-graph-uri), or only named graphs"))
        defaults = []  # the engine's own default graph: no default-graph-uri at all
    return fields + [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]


@dataclass
class _Exchange:
    """How far one query got: whether it held a slot (a deadline then is a timeout, not busy)."""

    query: str = ""  # the client's text, for readable syntax errors
    started: bool = False


class Relay:
    def __init__(self, settings: Settings):
        self.url = settings.sparql_backend
        self.timeout = settings.query_timeout
        self.max_result_bytes = settings.max_result_bytes
        self.spool_after = settings.spool_after_bytes
        self.per_client = max(1, settings.max_queries_per_client)
        self.slots = max(1, settings.query_workers)
        self._load: Counter[str] = Counter()
        self._client: httpx.AsyncClient | None = None
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self._client is not None and self._loop is loop:
            return
        self._loop = loop  # a client and a semaphore belong to one event loop
        self._semaphore = asyncio.Semaphore(self.slots)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout + 5, connect=min(5.0, self.timeout)),  # the deadline comes first
            limits=httpx.Limits(max_connections=self.slots, max_keepalive_connections=self.slots),
        )

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _enter(self, client: str) -> None:
        if self._load[client] >= self.per_client:
            raise too_many_queries(self._load[client], self.per_client)
        self._load[client] += 1

    def _leave(self, client: str) -> None:
        self._load[client] -= 1
        if self._load[client] <= 0:
            del self._load[client]

    async def run(self, job: ClientQuery, disconnected: Disconnected | None = None,
                  client: str = "-") -> Complete | Spooled:
        """The engine's complete answer to ``job``, or a :class:`SparqlError`."""
        form = engine_form(job)
        await self.start()
        self._enter(client)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        state = _Exchange(job.query)
        task = loop.create_task(self._exchange(form, job.media_type, state))
        try:
            while True:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    if state.started:
                        raise timeout_error(self.timeout)
                    raise SparqlError(503, "busy", "no query slot became free before the deadline",
                                      {"Retry-After": "5"})
                done, _ = await asyncio.wait({task}, timeout=min(remaining, POLL))
                if done:
                    return task.result()
                if disconnected is not None and await disconnected():
                    raise SparqlError(499, "client closed request", "the client went away; the query was stopped")
        finally:
            if not task.done():
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
            elif not task.cancelled():
                task.exception()  # retrieved: the outcome is what was raised or returned above
            self._leave(client)

    async def _exchange(self, form: list[tuple[str, str]], media_type: str, state: _Exchange) -> Complete | Spooled:
        if self._semaphore is None or self._client is None:
            raise RuntimeError("Relay.start() was not awaited")
        async with self._semaphore:
            state.started = True
            buffer = ResultBuffer(self.max_result_bytes, self.spool_after)
            answered = False
            try:
                async with self._client.stream("POST", self.url, content=urlencode(form).encode(), headers={
                        "Accept": media_type, "Content-Type": "application/x-www-form-urlencoded"}) as resp:
                    answered = True
                    if resp.status_code != 200:
                        body = b""
                        async for chunk in resp.aiter_bytes():
                            body += chunk
                            if len(body) > 64 * 1024:
                                break
                        raise engine_error(resp.status_code, body, media_type, resp.headers, state.query)
                    got = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                    if got != media_type:
                        log.error("the SPARQL engine answered %s to a request for %s", got, media_type)
                        raise SparqlError(502, "bad gateway", f"the SPARQL engine answered {got or 'no type'} "
                                          f"instead of {media_type}")
                    tail = b""
                    async for chunk in resp.aiter_bytes():
                        buffer.add(chunk)
                        tail = (tail + chunk)[-256:]
                    if not _ends_well(media_type, tail, buffer.total):
                        raise cut_short()
                    return buffer.finish()
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
                raise unavailable("cannot be reached") from None
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError):
                if answered:
                    raise cut_short() from None
                raise unavailable("closed the connection") from None
            except httpx.TimeoutException:
                raise timeout_error(self.timeout) from None
            finally:
                buffer.discard()
