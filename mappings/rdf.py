"""Turning checked rows into quads: IRIs, typed literals, and one named graph per source."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

import pyoxigraph as ox

from graph.namespaces import ASP, BASE, ORG, PROV, TIME
from mappings.load import PartialDate

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"
ID_BASE = BASE + "id/"


def iri(kind: str, key: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID_BASE}{kind}/{key}")


def term(ns: object, local: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ns}{local}")


def asp(local: str) -> ox.NamedNode:
    return term(ASP, local)


def org(local: str) -> ox.NamedNode:
    return term(ORG, local)


def source_graph(source_id: str) -> ox.NamedNode:
    return iri("source", source_id)


def literal(value: object) -> ox.Literal:
    """A typed literal: dates as xsd:date, money as xsd:decimal, counts as xsd:integer."""
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, Decimal):
        text = format(value, "f")
        return ox.Literal(text if "." in text else text + ".0", datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(value, PartialDate):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + value.datatype))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Emitter:
    """Collects quads; every statement goes into the named graph of the source that makes it."""

    def __init__(self) -> None:
        self.quads: set[ox.Quad] = set()

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: object, source: str) -> None:
        if o is None:
            return
        obj = o if isinstance(o, ox.NamedNode | ox.Literal | ox.BlankNode) else literal(o)
        self.quads.add(ox.Quad(s, p, obj, source_graph(source)))

    def entity(self, s: ox.NamedNode, cls: str | ox.NamedNode, source: str, label: str | None = None) -> None:
        """Type an entity, cite its source, and label it, in that source's graph."""
        self.add(s, RDF_TYPE, asp(cls) if isinstance(cls, str) else cls, source)
        self.add(s, PROV_DERIVED, source_graph(source), source)
        if label:
            self.add(s, RDFS_LABEL, english(label), source)

    def interval(self, holder: ox.NamedNode, start: date | None, end: date | None, source: str) -> None:
        """W3C ORG ``memberDuring`` as a W3C Time interval, plus plain start and end dates for queries."""
        self.add(holder, asp("startDate"), start, source)
        self.add(holder, asp("endDate"), end, source)
        if start is None and end is None:
            return
        interval = ox.NamedNode(holder.value + "#interval")
        self.add(holder, org("memberDuring"), interval, source)
        self.add(interval, RDF_TYPE, term(TIME, "Interval"), source)
        for prop, day, frag in (("hasBeginning", start, "start"), ("hasEnd", end, "end")):
            if day is not None:
                instant = ox.NamedNode(f"{holder.value}#{frag}")
                self.add(interval, term(TIME, prop), instant, source)
                self.add(instant, RDF_TYPE, term(TIME, "Instant"), source)
                self.add(instant, term(TIME, "inXSDDate"), day, source)


PROV_DERIVED = term(PROV, "wasDerivedFrom")
