"""What the API may ask of the store, whatever engine answers: the repository interface.

Two implementations: ``EmbeddedRepository`` (the built Oxigraph store, queried in-process and by a
pool of worker processes) and ``RemoteRepository`` (any SPARQL 1.1 server, over the protocol). The
routers and renderers see only this interface and rdflib terms, so the same API runs on either.

Values are always *bound*, never spliced into query text: the embedded store substitutes them,
the remote one adds a ``VALUES`` block built from validated, escaped terms.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO, NamedTuple

from rdflib.term import BNode, Literal, URIRef

Term = URIRef | BNode | Literal
Row = dict[str, Term]  # a solution: unbound variables are absent
Bindings = Mapping[str, Term]


class Graph(enum.Enum):
    """Where ``match`` looks: the default graph (the preferred view) or every named graph."""

    DEFAULT = "default"
    NAMED = "named"


class Quad(NamedTuple):
    subject: URIRef | BNode
    predicate: URIRef
    object: Term
    graph: URIRef | None  # None: the default graph


@dataclass(frozen=True)
class ClientQuery:
    """A client's SPARQL query, already checked (read-only, no SERVICE), to run with the limits."""

    query: str
    media_type: str  # of the serialised result the client asked for
    default_graphs: tuple[str, ...] | None = None  # None: the service's own dataset
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None  # relative IRIs resolve against the endpoint's address
    bindings: Mapping[str, Term] | None = None  # a canned query's parameters


@dataclass
class Complete:
    body: bytes


@dataclass
class Spooled:
    """A large result, complete, in a temporary file of ``size`` bytes (the caller closes it)."""

    file: IO[bytes]
    size: int

    def chunks(self, size: int = 1 << 20):
        self.file.seek(0)
        while chunk := self.file.read(size):
            yield chunk

    def close(self) -> None:
        self.file.close()


class StoreUnavailable(Exception):
    """The store cannot answer now (no graph built, the remote engine down): a 503 for clients."""


Disconnected = Callable[[], Awaitable[bool]]


class Repository(ABC):
    """The operations the API needs. Synchronous ones may block: call them from a thread."""

    kind: str  # "embedded" or "remote", for the service description and the logs

    @abstractmethod
    def version(self) -> str:
        """Identifier of the dataset version served now; raises ``StoreUnavailable``."""

    @abstractmethod
    def select(self, query: str, bindings: Bindings | None = None) -> list[Row]:
        """Solutions of one of *our* SELECT queries (not a client's: those go through ``execute``)."""

    @abstractmethod
    def ask(self, query: str, bindings: Bindings | None = None) -> bool: ...

    @abstractmethod
    def construct(self, query: str, bindings: Bindings | None = None) -> list[tuple[Term, Term, Term]]: ...

    @abstractmethod
    def match(
        self,
        subjects: Iterable[Term] | None = None,
        predicates: Iterable[URIRef] | None = None,
        objects: Iterable[Term] | None = None,
        graph: Graph | URIRef = Graph.DEFAULT,
    ) -> list[Quad]:
        """Every quad whose positions take one of the given values (``None``: any), in one round trip."""

    @abstractmethod
    def graphs(self) -> list[URIRef]:
        """The named graphs of the dataset."""

    @abstractmethod
    async def execute(self, job: ClientQuery, disconnected: Disconnected | None = None,
                      client: str = "-") -> Complete | Spooled:
        """Run a client's query within the deadline and size limit; the result is complete or a
        ``SparqlError`` is raised (never a short body that looks complete)."""

    async def start(self) -> None:  # noqa: B027 - optional hook
        """Prepare (start workers, open connections) before the first request."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Release workers and connections at shutdown."""

    def files(self, version: str):  # -> Path | None
        """The folder holding this version's files (ontology, shapes, context, dumps, docs), if any here."""
        return None
