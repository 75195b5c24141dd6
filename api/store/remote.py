"""The remote repository: the API served from an existing SPARQL 1.1 server (``sparql_backend``).

Everything goes through the SPARQL 1.1 Protocol, so any engine holding the dataset published by
``aspkg publish`` can answer: our own queries with a pooled synchronous client (the routers call
them from threads), clients' queries through the ``Relay`` with the same limits as the embedded
pool. Bound values travel as ``VALUES`` blocks (``values.py``), answers come back as rdflib terms
(``answers.py``).

The engine's default graph must be the dataset's default graph (the preferred view), not the union
of its named graphs: run it without a union default graph.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import httpx
from rdflib.term import URIRef

from api.store.answers import ask_boolean, ntriples, select_rows
from api.store.base import (
    Bindings,
    ClientQuery,
    Complete,
    Disconnected,
    Graph,
    Quad,
    Repository,
    Row,
    Spooled,
    StoreUnavailable,
    Term,
)
from api.store.relay import Relay
from api.store.values import bind_values, sparql_iri, sparql_term
from graph.namespaces import BASE, METADATA_GRAPH
from graph.settings import Settings
from graph.store import Layout

DATASET = BASE + "dataset"  # graph/void.py's DATASET, named here so api/ need not import the build code
OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"
VERSION_QUERY = f"SELECT ?v WHERE {{ GRAPH <{METADATA_GRAPH}> {{ <{DATASET}> <{OWL_VERSION_INFO}> ?v }} }}"
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
JSON_RESULTS = "application/sparql-results+json"
NTRIPLES = "application/n-triples"


class EngineError(RuntimeError):
    """The engine refused one of *our* queries (a 4xx, or a 5xx other than unavailable): a bug on our
    side or an engine that cannot run it, not something to retry."""

    def __init__(self, status: int, message: str):
        super().__init__(f"the SPARQL engine answered HTTP {status}: {message}")
        self.status = status


class RemoteRepository(Repository):
    kind = "remote"
    # Seconds a version() answer is reused: every request asks for the version (cache keys, ETags),
    # and a round trip each time would double the load; a newly published version shows this late.
    VERSION_TTL = 5.0
    MATCH_CHUNK = 500  # values per VALUES block in match(): larger lists take several queries

    def __init__(self, settings: Settings, layout: Layout):
        self.settings = settings
        self.layout = layout
        self.endpoint = settings.sparql_backend
        self._http = httpx.Client(timeout=settings.query_timeout)
        self._relay = Relay(settings)
        self._version: tuple[float, str] | None = None
        self._version_error: str | None = None
        self._version_lock = threading.Lock()
        self._refreshing = threading.Event()

    # --- the protocol ---------------------------------------------------------------------------------

    def _post(self, query: str, accept: str) -> bytes:
        try:
            resp = self._http.post(self.endpoint, data={"query": query}, headers={"Accept": accept})
        except httpx.TimeoutException:
            raise StoreUnavailable(f"the SPARQL engine at {self.endpoint} did not answer within "
                                   f"{self.settings.query_timeout:g} s") from None
        except httpx.HTTPError as e:
            raise StoreUnavailable(f"the SPARQL engine at {self.endpoint} cannot be reached: {e}") from None
        if resp.status_code in (502, 503, 504):
            raise StoreUnavailable(f"the SPARQL engine at {self.endpoint} is unavailable (HTTP {resp.status_code})")
        if resp.status_code != 200:
            raise EngineError(resp.status_code, resp.text[:500])
        return resp.content

    def _answer(self, query: str, bindings: Bindings | None, accept: str, read):
        body = self._post(bind_values(query, bindings) if bindings else query, accept)
        try:
            return read(body)
        except ValueError as e:  # an answer cut short (the engine's own time limit) or garbled
            raise StoreUnavailable(f"the SPARQL engine at {self.endpoint} sent an incomplete answer: {e}") from None

    # --- the version served now -----------------------------------------------------------------------

    def version(self) -> str:
        """The cached version; past ``VERSION_TTL`` it is refreshed in a background thread while the
        old answer is still returned, so a request on the event loop never waits for the engine (only
        the very first call, before ``start()`` primed it, does)."""
        cached = self._version
        if cached is None:
            return self._refresh()
        if time.monotonic() - cached[0] >= self.VERSION_TTL and not self._refreshing.is_set():
            self._refreshing.set()
            threading.Thread(target=self._refresh_quietly, daemon=True, name="aspkg-version").start()
        if self._version_error is not None:
            raise StoreUnavailable(self._version_error)
        return cached[1]

    def _refresh(self) -> str:
        with self._version_lock:
            values = sorted({str(row["v"]) for row in self.select(VERSION_QUERY) if "v" in row})
            if not values:
                raise StoreUnavailable(
                    f"the SPARQL engine at {self.endpoint} holds no published dataset (no owl:versionInfo of "
                    f"<{DATASET}> in <{METADATA_GRAPH}>): run `aspkg publish`")
            if len(values) > 1:
                raise StoreUnavailable(f"the SPARQL engine at {self.endpoint} holds several dataset versions at "
                                       f"once ({', '.join(values)}): publish one with `aspkg publish`")
            self._version = (time.monotonic(), values[0])
            self._version_error = None
            return values[0]

    def _refresh_quietly(self) -> None:
        try:
            self._refresh()
        except StoreUnavailable as e:  # served as a 503 until the engine answers again
            self._version_error = str(e)
            self._version = (time.monotonic(), self._version[1]) if self._version else None
        finally:
            self._refreshing.clear()

    def files(self, version: str) -> Path | None:
        folder = self.layout.store_dir(version)
        return folder if folder.is_dir() else None

    # --- our own queries ------------------------------------------------------------------------------

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        rows: list[Row] = self._answer(query, bindings, JSON_RESULTS, select_rows)
        return rows

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return bool(self._answer(query, bindings, JSON_RESULTS, ask_boolean))

    def construct(self, query: str, bindings: Bindings | None = None) -> list[tuple[Term, Term, Term]]:
        triples: list[tuple[Term, Term, Term]] = self._answer(query, bindings, NTRIPLES, ntriples)
        return triples

    def match(self, subjects: Iterable[Term] | None = None, predicates: Iterable[URIRef] | None = None,
              objects: Iterable[Term] | None = None, graph: Graph | URIRef = Graph.DEFAULT) -> list[Quad]:
        given = {name: list(values) for name, values in (("s", subjects), ("p", predicates), ("o", objects))
                 if values is not None}
        if any(not values for values in given.values()):
            return []
        if graph is Graph.DEFAULT:
            pattern, fixed = "?s ?p ?o", None
        elif graph is Graph.NAMED:
            pattern, fixed = "GRAPH ?g { ?s ?p ?o }", None
        else:
            pattern, fixed = f"GRAPH {sparql_iri(str(graph))} {{ ?s ?p ?o }}", URIRef(str(graph))
        chunked = [[(name, values[i:i + self.MATCH_CHUNK]) for i in range(0, len(values), self.MATCH_CHUNK)]
                   for name, values in given.items()]
        out: list[Quad] = []
        for combination in itertools.product(*chunked):
            blocks = " ".join(f"VALUES ?{name} {{ {' '.join(sparql_term(v) for v in chunk)} }}"
                              for name, chunk in combination)
            for row in self.select(f"SELECT * WHERE {{ {blocks} {pattern} }}"):
                g = row.get("g")
                out.append(Quad(row["s"], row["p"], row["o"], g if isinstance(g, URIRef) else fixed))  # type: ignore[arg-type]
        return out

    def graphs(self) -> list[URIRef]:
        return sorted(row["g"] for row in self.select(GRAPHS_QUERY) if isinstance(row.get("g"), URIRef))  # type: ignore[misc]

    # --- clients' queries -----------------------------------------------------------------------------

    async def execute(self, job: ClientQuery, disconnected: Disconnected | None = None,
                      client: str = "-") -> Complete | Spooled:
        return await self._relay.run(job, disconnected, client)

    async def start(self) -> None:
        await self._relay.start()
        with contextlib.suppress(StoreUnavailable):  # an engine still empty or down: requests get 503s
            await asyncio.to_thread(self._refresh)

    async def aclose(self) -> None:
        await self._relay.aclose()  # the synchronous client stays usable: a restarted app may use it again

    def close(self) -> None:
        """Close the synchronous client too (when the repository is dropped for good)."""
        self._http.close()
