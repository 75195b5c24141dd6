"""The embedded repository: the built pyoxigraph store, the default and fastest way to serve.

Our own queries and quad lookups run in-process on a read-only store (reopened when a build
publishes a new version); clients' queries run in a pool of worker processes that can be killed at
the deadline (``pool.py``, ``worker.py``). This package is the only part of ``api/`` that knows
pyoxigraph: everything leaves it as rdflib terms.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib.term import BNode, Literal, URIRef

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
from api.store.embedded.pool import Job, QueryPool
from graph.settings import Settings
from graph.store import Layout, NoGraphBuilt, current_version, open_read_only

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(t: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
    """pyoxigraph term -> rdflib term; the lexical form is kept as it is (no normalisation)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        dt = t.datatype.value
        return Literal(t.value) if dt == XSD_STRING else Literal(t.value, datatype=URIRef(dt), normalize=False)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise TypeError(f"unexpected term {t!r}")


def to_ox(t: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD_STRING)))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    raise TypeError(f"unexpected term {t!r}")


def json_term(t: Term) -> dict[str, str]:
    """A term in SPARQL JSON results form: how bound values travel to a worker process."""
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, Literal):
        out = {"type": "literal", "value": str(t)}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype is not None:
            out["datatype"] = str(t.datatype)
        return out
    return {"type": "bnode", "value": str(t)}


class EmbeddedRepository(Repository):
    kind = "embedded"

    def __init__(self, layout: Layout, settings: Settings):
        self.layout = layout
        self.settings = settings
        self.pool = QueryPool(layout, settings)
        self._lock = threading.Lock()
        self._opened: tuple[str, ox.Store] | None = None

    # --- the store of the version served now ------------------------------------------------------

    def version(self) -> str:
        try:
            return current_version(self.layout)
        except NoGraphBuilt as e:
            raise StoreUnavailable(str(e)) from None

    def _store(self) -> ox.Store:
        """The read-only store of the current version (one readlink per call; reopened after a build)."""
        version = self.version()
        opened = self._opened
        if opened is not None and opened[0] == version:
            return opened[1]
        with self._lock:
            if self._opened is None or self._opened[0] != version:
                try:
                    self._opened = (version, open_read_only(self.layout))
                except NoGraphBuilt as e:
                    raise StoreUnavailable(str(e)) from None
            return self._opened[1]

    def files(self, version: str) -> Path | None:
        folder = self.layout.store_dir(version)
        return folder if folder.is_dir() else None

    # --- our own queries ----------------------------------------------------------------------------

    def _query(self, query: str, bindings: Bindings | None):
        store = self._store()
        if bindings:
            subs: dict = {ox.Variable(k): to_ox(v) for k, v in bindings.items()}
            return store.query(query, substitutions=subs)
        return store.query(query)

    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        solutions = self._query(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in solutions.variables]
        out: list[Row] = []
        for solution in solutions:
            row: Row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)  # type: ignore[arg-type]
            out.append(row)
        return out

    def ask(self, query: str, bindings: Bindings | None = None) -> bool:
        return bool(self._query(query, bindings))

    def construct(self, query: str, bindings: Bindings | None = None) -> list[tuple[Term, Term, Term]]:
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))  # type: ignore[arg-type]
                for t in self._query(query, bindings)]

    def match(self, subjects: Iterable[Term] | None = None, predicates: Iterable[URIRef] | None = None,
              objects: Iterable[Term] | None = None, graph: Graph | URIRef = Graph.DEFAULT) -> list[Quad]:
        store = self._store()
        ss = [to_ox(s) for s in subjects] if subjects is not None else [None]
        ps = [to_ox(p) for p in predicates] if predicates is not None else [None]
        os_ = [to_ox(o) for o in objects] if objects is not None else [None]
        g = ox.DefaultGraph() if graph is Graph.DEFAULT else None if graph is Graph.NAMED else ox.NamedNode(str(graph))
        out: list[Quad] = []
        for s, p, o in itertools.product(ss, ps, os_):
            for q in store.quads_for_pattern(s, p, o, g):  # type: ignore[arg-type]
                name = q.graph_name
                if isinstance(name, ox.DefaultGraph):
                    if graph is Graph.NAMED:
                        continue
                    gname = None
                else:
                    gname = URIRef(name.value)  # type: ignore[union-attr]
                out.append(Quad(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object),  # type: ignore[arg-type]
                                gname))
        return out

    def graphs(self) -> list[URIRef]:
        return sorted(URIRef(g.value) for g in self._store().named_graphs() if isinstance(g, ox.NamedNode))

    # --- clients' queries ---------------------------------------------------------------------------

    async def execute(self, job: ClientQuery, disconnected: Disconnected | None = None,
                      client: str = "-") -> Complete | Spooled:
        work = Job(
            db=str(self.layout.db(self.version())),
            query=job.query,
            media_type=job.media_type,
            default_graphs=list(job.default_graphs) if job.default_graphs is not None else None,
            named_graphs=list(job.named_graphs) if job.named_graphs is not None else None,
            base_iri=job.base_iri,
            bindings={k: json_term(v) for k, v in job.bindings.items()} if job.bindings else None,
        )
        return await self.pool.run(work, disconnected, client)

    async def start(self) -> None:
        await self.pool.start()

    async def aclose(self) -> None:
        await self.pool.aclose()
