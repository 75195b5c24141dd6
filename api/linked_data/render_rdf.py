"""A description's triples as Turtle, N-Triples or RDF/XML, via pyoxigraph's serialisers."""

from __future__ import annotations

import pyoxigraph as ox

from api.negotiation import NTRIPLES, RDFXML, TURTLE, Format
from graph.namespaces import PREFIXES

OX_FORMATS = {
    TURTLE.name: ox.RdfFormat.TURTLE,
    NTRIPLES.name: ox.RdfFormat.N_TRIPLES,
    RDFXML.name: ox.RdfFormat.RDF_XML,
}


def _order(t: ox.Triple) -> tuple:
    return (str(t.subject), t.predicate.value, str(t.object))


def serialize(triples, fmt: Format, id_base: str) -> bytes:
    prefixes = {k: v for k, v in PREFIXES.items() if k != "id"}
    if fmt is TURTLE:
        prefixes["id"] = id_base
    out = ox.serialize(
        sorted(triples, key=_order),
        format=OX_FORMATS[fmt.name],
        prefixes=prefixes if fmt is not NTRIPLES else None,
    )
    return out or b""
