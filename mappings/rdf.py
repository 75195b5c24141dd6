"""Turning checked rows into quads: IRIs, typed literals, and one named graph per source."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, cast

import pyoxigraph as ox

from graph.facts import Grouped, count
from graph.namespaces import ASP, BASE, ORG, PROV
from mappings.load import PartialDate, Row

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TERMS = (ox.NamedNode, ox.Literal, ox.BlankNode)
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"
ID_BASE = BASE + "id/"


# Terms are immutable and the same ones are made again for every row that names them: remembered.
@lru_cache(maxsize=1 << 16)
def iri(kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID_BASE}{kind}/{key}")


@lru_cache(maxsize=1 << 12)
def term(ns: object, local: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ns}{local}")


def asp(local: str) -> ox.NamedNode:
    return term(ASP, local)


def org(local: str) -> ox.NamedNode:
    return term(ORG, local)


def source_graph(source_id: str) -> ox.NamedNode:
    return iri("source", source_id)


def xsd(local: str) -> ox.NamedNode:
    return term(XSD, local)


def literal(value: object) -> ox.Literal:
    """A typed literal: dates as xsd:date, money as xsd:decimal, counts as xsd:integer."""
    if type(value) is str:  # most cells (a PartialDate is a str too)
        return ox.Literal(value)
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=xsd("boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=xsd("integer"))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return ox.Literal(text if "." in text else text + ".0", datatype=xsd("decimal"))
    if isinstance(value, PartialDate):
        return ox.Literal(str(value), datatype=xsd(value.datatype))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=xsd("date"))
    return ox.Literal(str(value))


def english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Origin(NamedTuple):
    """Where a claim comes from: the table row (file, line, column) and any curated override on it.
    (A named tuple: one is made for every claim, three times faster than a frozen dataclass.)"""

    file: str
    line: int
    column: str | None = None
    rank: str | None = None  # "preferred" or "deprecated": a curator's override of the ranking rule
    reason: str | None = None
    tier: int | None = None  # set for computed claims, which take the tier of what they are computed from

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" + (f" ({self.column})" if self.column else "")


class Emitter:
    """Collects quads; every statement goes into the named graph of the source that makes it.

    Each quad also remembers the table row (and column) it came from, so the ranking can apply a
    curator's override to exactly that claim and error messages can point back to the CSV line.
    """

    def __init__(self) -> None:
        self.quads: set[ox.Quad] = set()
        # what ``add`` made, by graph: the build hands the mapped quads over graph by graph, and a
        # quad's graph name read back would be a new object each time (about a microsecond)
        self.by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
        # and by predicate, for the ranking (``graph.facts``): grouped as they are made, from the
        # predicate given, rather than read back from each quad after the last area
        self.by_predicate: Grouped[ox.Quad] = Grouped()
        self.handed = 0  # how many quads ``stated`` has handed over so far
        self.origins: dict[ox.Quad, list[Origin]] = {}
        self.interval_holders: set[ox.NamedNode] = set()
        self.row: Row | None = None  # the row being mapped (set by ``rows``)

    def rows(self, rows: Iterable[Row]) -> Iterator[Row]:
        """Iterate rows, remembering each as the origin of what is emitted while it is current."""
        for row in rows:
            self.row = row
            yield row
        self.row = None

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: object, source: str, column: str | None = None,
            origin: Origin | None = None) -> None:
        if o is None:
            return
        obj = o if isinstance(o, TERMS) else literal(o)
        graph = source_graph(source)
        quad = ox.Quad(s, p, obj, graph)
        known = len(self.quads)
        self.quads.add(quad)
        if len(self.quads) > known:
            self.by_graph.setdefault(graph, []).append(quad)
            self.by_predicate.setdefault(p, []).append(quad)
        if origin is None and self.row is not None:
            origin = row_origin(self.row, column)
        if origin is not None:
            self._cite(quad, origin)

    def _cite(self, quad: ox.Quad, origin: Origin) -> None:
        found = self.origins.get(quad)
        if found is None:
            self.origins[quad] = [origin]
        elif origin not in found:
            found.append(origin)

    def stated(self) -> dict[ox.NamedNode, list[ox.Quad]]:
        """The quads made since the last call, by the graph ``add`` put them in (the groups are let
        go here): complete as long as nothing but ``add`` has added to ``quads``."""
        by_graph, self.by_graph = self.by_graph, {}
        self.handed += sum(map(len, by_graph.values()))
        if self.handed != len(self.quads):
            raise RuntimeError("quads were added without add(): their graphs are not known")
        return by_graph

    def grouped(self) -> Grouped[ox.Quad]:
        """Every quad by predicate, as ``graph.facts.by_predicate`` groups them (each group in the
        order the quads were made): complete as long as nothing but ``add`` has added to ``quads``."""
        if count(self.by_predicate) != len(self.quads):
            raise RuntimeError("quads were added without add(): their predicates are not known")
        return self.by_predicate

    def merge(self, other: Emitter) -> None:
        """Add what another emitter collected, as ``add`` would have (but not to ``stated``)."""
        self.quads |= other.quads
        for quad, origins in other.origins.items():
            for origin in origins:
                self._cite(quad, origin)
        self.interval_holders |= other.interval_holders

    def fact(self, s: ox.NamedNode, p: ox.NamedNode, row: Row, column: str, value: object = None) -> None:
        """The value of ``row[column]`` (or ``value`` made from it), stated by the row's source."""
        if row[column] is None:
            return
        self.add(s, p, row[column] if value is None else value, row.source, column, row_origin(row, column))

    def link(self, s: ox.NamedNode, p: ox.NamedNode, row: Row, column: str, kind: str) -> None:
        """A link to the entity of ``kind`` whose key is ``row[column]`` (a session, a code, a state)."""
        if row[column] is not None:
            self.fact(s, p, row, column, iri(kind, str(row[column])))

    def entity(self, s: ox.NamedNode, cls: str | ox.NamedNode, source: str, label: str | None = None,
               label_column: str | None = None) -> None:
        """Type an entity, cite its source, and label it (from ``label_column`` if the label is a cell)."""
        self.add(s, RDF_TYPE, asp(cls) if isinstance(cls, str) else cls, source)
        self.add(s, PROV_DERIVED, source_graph(source), source)
        if label:
            self.add(s, RDFS_LABEL, english(label), source, label_column)

    def interval(self, holder: ox.NamedNode, row: Row, start: str = "start_date", end: str = "end_date") -> None:
        """Plain start and end dates; the W3C Time interval is made from the preferred ones after ranking."""
        self.fact(holder, asp("startDate"), row, start)
        self.fact(holder, asp("endDate"), row, end)
        self.interval_holders.add(holder)


@lru_cache(maxsize=256)
def _file_name(path: Path) -> str:
    return path.name


def row_origin(row: Row, column: str | None) -> Origin:
    """The origin of a claim made by ``row`` (in ``column``), with the row's override if it covers it."""
    rank = row.values.get("rank")
    if rank is None:  # nearly every row
        return Origin(_file_name(row.file), row.line, column)
    fields = row.get("rank_fields")
    covers = not fields or column in cast(tuple[str, ...], fields)
    return Origin(_file_name(row.file), row.line, column, str(rank) if covers else None,
                  str(row["rank_reason"]) if covers else None)


PROV_DERIVED = term(PROV, "wasDerivedFrom")
