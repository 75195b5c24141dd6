"""``aspkg publish``: load a built version into a SPARQL 1.1 server, so the API can be served from it
(the ``sparql_backend`` setting), then check that the server holds exactly that dataset.

Every named graph (``graph/all`` and the metadata graph included) and the default graph (the
preferred view) go through the Graph Store HTTP Protocol: per graph a PUT, which replaces the graph,
then POSTs of ``batch_size`` triples, so publishing twice leaves the same data. A server without that
protocol (404 or 405 on the first request) gets SPARQL Update instead (``DROP SILENT`` then
``INSERT DATA``). The metadata graph, where the API reads the version, goes last, after the graphs
the dataset does not have were deleted: a server that is answering meanwhile switches to the new
version only once the rest of it is there. Then the triples of every graph are counted through the
query endpoint and compared with the store's.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import quote

import httpx
import pyoxigraph as ox

from graph.namespaces import BASE, METADATA_GRAPH
from graph.store import Layout, NoGraphBuilt, current_version

TIMEOUT = 600.0  # seconds for one request: a batch of 50,000 triples takes a few on a small server
DEFAULT = None  # the default graph, among graph names
GraphName = str | None

NAMED_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
DEFAULT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SERVER_GRAPHS = "SELECT DISTINCT ?g WHERE { { GRAPH ?g { } } UNION { GRAPH ?g { ?s ?p ?o } } }"


class PublishFailed(RuntimeError):
    """Publishing stopped or the server does not hold the dataset; the message says what to do."""


@dataclass
class PublishResult:
    version: str
    protocol: str  # "graph store" or "update"
    triples: dict[GraphName, int] = field(default_factory=dict)  # per graph, as loaded and checked
    deleted: list[str] = field(default_factory=list)  # graphs on the server that the dataset does not have


def _derived(endpoint: str, given: str | None, last: str) -> str | None:
    if given:
        return given
    if endpoint.rstrip("/").endswith("/store"):
        return endpoint.rstrip("/")[: -len("store")] + last
    return None


def _label(graph: GraphName) -> str:
    return "the default graph" if graph is DEFAULT else graph


class _Server:
    """The SPARQL server's three endpoints, and which protocol loads it."""

    def __init__(self, client: httpx.Client, store: str, query: str | None, update: str | None):
        self.http = client
        self.store = store
        self.query_url = query
        self.update_url = update
        self.protocol = "graph store"
        self.probed = False  # the first request decides whether the Graph Store Protocol is there

    def _fail(self, what: str, resp: httpx.Response) -> PublishFailed:
        return PublishFailed(f"{what}: {resp.request.url} answered HTTP {resp.status_code}: {resp.text[:500]}")

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        try:
            return self.http.request(method, url, **kwargs)
        except httpx.HTTPError as e:
            raise PublishFailed(f"cannot reach {url}: {e}") from None

    def _graph_url(self, graph: GraphName) -> str:
        sep = "&" if "?" in self.store else "?"
        return self.store + sep + ("default" if graph is DEFAULT else "graph=" + quote(graph, safe=""))

    def load(self, graph: GraphName, body: bytes, first: bool) -> None:
        """Replace the graph by these N-Triples (``first``), or add them."""
        if self.protocol == "graph store":
            resp = self._request("PUT" if first else "POST", self._graph_url(graph), content=body,
                                 headers={"Content-Type": "application/n-triples"})
            if not self.probed and resp.status_code in (404, 405):
                if not self.update_url:
                    raise PublishFailed(f"{self.store} has no Graph Store Protocol (HTTP {resp.status_code}) and "
                                        "no update endpoint is known: give --update-endpoint")
                self.protocol = "update"
            elif resp.status_code >= 300:
                raise self._fail(f"loading {_label(graph)} failed", resp)
            self.probed = True
            if self.protocol == "graph store":
                return
        target = "DEFAULT" if graph is DEFAULT else f"GRAPH <{graph}>"
        triples = body.decode("utf-8")
        parts = [f"DROP SILENT {target}"] if first else []
        if triples:
            parts.append(f"INSERT DATA {{ {triples} }}" if graph is DEFAULT else
                         f"INSERT DATA {{ GRAPH <{graph}> {{ {triples} }} }}")
        if parts:
            self.update(" ;\n".join(parts), f"loading {_label(graph)} failed")

    def update(self, text: str, what: str) -> None:
        resp = self._request("POST", self.update_url or "", content=text.encode("utf-8"),
                             headers={"Content-Type": "application/sparql-update"})
        if resp.status_code >= 300:
            raise self._fail(what, resp)

    def delete(self, graph: str) -> None:
        if self.protocol == "graph store":
            resp = self._request("DELETE", self._graph_url(graph))
            if resp.status_code >= 300 and resp.status_code != 404:
                raise self._fail(f"deleting {graph} failed", resp)
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>", f"deleting {graph} failed")

    def select(self, query: str) -> list[dict]:
        if not self.query_url:
            raise PublishFailed(f"cannot derive the query endpoint from {self.store}: give --query-endpoint")
        resp = self._request("POST", self.query_url, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"})
        if resp.status_code != 200:
            raise self._fail("a check query failed", resp)
        try:
            return list(json.loads(resp.content)["results"]["bindings"])
        except (ValueError, KeyError, TypeError) as e:
            raise PublishFailed(f"{self.query_url} did not answer SPARQL JSON results: {e}") from None


def _batches(store: ox.Store, graph: GraphName, size: int) -> Iterator[list[ox.Triple]]:
    """The graph's triples in lists of ``size``; in one list when it has blank nodes, whose labels
    hold within one request only."""
    name = ox.DefaultGraph() if graph is DEFAULT else ox.NamedNode(graph)
    if any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
           for q in store.quads_for_pattern(None, None, None, name)):
        size = sys.maxsize
    batch: list[ox.Triple] = []
    for q in store.quads_for_pattern(None, None, None, name):
        batch.append(ox.Triple(q.subject, q.predicate, q.object))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _load(server: _Server, store: ox.Store, graph: GraphName, batch_size: int, say: Callable[[str], None]) -> int:
    """Replace the graph on the server by the store's; the number of triples sent."""
    count = requests = 0
    for batch in _batches(store, graph, batch_size):
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""  # bytes when no output is given
        server.load(graph, body, first=requests == 0)
        count += len(batch)
        requests += 1
        if requests > 1:
            say(f"{_label(graph)}: {count} triples sent")
    if requests == 0:
        server.load(graph, b"", first=True)  # an empty graph: still replace what the server has
    return count


def ours(graph: str) -> bool:
    """Graphs named under our base; an engine keeps graphs of its own (Virtuoso's ``virtrdf#``...),
    which publishing must neither delete nor count."""
    return graph.startswith(BASE)


def _delete_stale(server: _Server, keep: set[str], version: str, say: Callable[[str], None]) -> list[str]:
    stale = sorted({row["g"]["value"] for row in server.select(SERVER_GRAPHS)} - keep)
    stale = [g for g in stale if ours(g)]
    for graph in stale:
        server.delete(graph)
        say(f"deleted {graph}: not in version {version}")
    return stale


def _order(store: ox.Store) -> list[GraphName]:
    """Named graphs, the default graph, and the metadata graph (the version) last."""
    named = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return [g for g in named if g != METADATA_GRAPH] + [DEFAULT] + ([METADATA_GRAPH] if METADATA_GRAPH in named else [])


def _check(server: _Server, expected: dict[GraphName, int]) -> None:
    counts: dict[GraphName, int] = {row["g"]["value"]: int(row["n"]["value"]) for row in server.select(NAMED_COUNTS)}
    default = server.select(DEFAULT_COUNT)
    counts[DEFAULT] = int(default[0]["n"]["value"]) if default else 0
    wrong = [(g, n, counts.get(g, 0)) for g, n in expected.items() if counts.get(g, 0) != n]
    wrong += [(g, 0, n) for g, n in counts.items() if g not in expected and n and g is not DEFAULT and ours(g)]
    if not wrong:
        return
    lines = [f"  {_label(g)}: the store has {want} triples, the server {got}" for g, want, got in wrong[:10]]
    more = f"\n  ... and {len(wrong) - 10} more" if len(wrong) > 10 else ""
    hint = ("\nthe server's default graph differs: it must hold the default graph alone (no union default graph)"
            if any(g is DEFAULT for g, _, _ in wrong) else "")
    raise PublishFailed(f"the server does not hold the dataset ({len(wrong)} graphs differ):\n"
                        + "\n".join(lines) + more + hint)


def publish(layout: Layout, endpoint: str, query_endpoint: str | None = None, update_endpoint: str | None = None,
            version: str | None = None, batch_size: int = 50_000,
            progress: Callable[[str], None] | None = None, client: httpx.Client | None = None) -> PublishResult:
    """Load ``version`` (default: the current one) into the server at ``endpoint`` and check it."""
    say = progress or (lambda line: print(f"publish: {line}", file=sys.stderr, flush=True))
    if batch_size < 1:
        raise PublishFailed("the batch size must be at least 1")
    try:
        version = version or current_version(layout)
    except NoGraphBuilt as e:
        raise PublishFailed(str(e)) from None
    db = layout.db(version)
    if not db.is_dir():
        raise PublishFailed(f"version {version} is not built here ({db} does not exist)")
    store = ox.Store.read_only(str(db))
    http = client or httpx.Client(timeout=TIMEOUT)
    server = _Server(http, endpoint, _derived(endpoint, query_endpoint, "query"),
                     _derived(endpoint, update_endpoint, "update"))
    result = PublishResult(version, server.protocol)
    try:
        order = _order(store)
        say(f"version {version}: {len(order)} graphs from {db} to {endpoint}")
        for i, graph in enumerate(order, 1):
            if graph == METADATA_GRAPH:  # the version switches last: first drop what the dataset lacks
                result.deleted = _delete_stale(server, set(filter(None, order)), version, say)
            result.triples[graph] = _load(server, store, graph, batch_size, say)
            if i % 50 == 0 or i == len(order):
                say(f"[{i}/{len(order)}] {_label(graph)}: {result.triples[graph]} triples ({server.protocol})")
        if METADATA_GRAPH not in order:
            result.deleted = _delete_stale(server, set(filter(None, order)), version, say)
        result.protocol = server.protocol
        _check(server, result.triples)
        say(f"checked: the server holds version {version}, {len(order)} graphs, "
            f"{sum(result.triples.values())} triples")
        return result
    finally:
        if client is None:
            http.close()
