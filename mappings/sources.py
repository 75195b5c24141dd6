"""Source records: who says what. They describe the named graphs, so they live in the metadata graph."""

from __future__ import annotations

import pyoxigraph as ox

from graph.namespaces import METADATA_GRAPH, PROV, SCHEMA
from mappings.load import Tables
from mappings.rdf import RDF_TYPE, RDFS_LABEL, asp, english, literal, source_graph, term

DCT = "http://purl.org/dc/terms/"


def map_sources(tables: Tables) -> set[ox.Quad]:
    graph = ox.NamedNode(METADATA_GRAPH)
    quads: set[ox.Quad] = set()

    def add(s: ox.NamedNode, p: ox.NamedNode, o: object) -> None:
        if o is not None:
            quads.add(ox.Quad(s, p, o if isinstance(o, ox.NamedNode | ox.Literal) else literal(o), graph))

    for row in tables["sources"]:
        s = source_graph(str(row["source_id"]))
        add(s, RDF_TYPE, asp("Source"))
        add(s, RDF_TYPE, term(PROV, "Entity"))
        add(s, RDFS_LABEL, english(str(row["title"])))
        add(s, asp("title"), row["title"])
        add(s, ox.NamedNode(DCT + "publisher"), row["publisher"])
        add(s, ox.NamedNode(DCT + "date"), row["date"])
        if row["url"]:
            add(s, term(SCHEMA, "url"), ox.NamedNode(str(row["url"])))
        add(s, asp("sourceKind"), row["kind"])
        add(s, asp("sourceTier"), int(str(row["tier"])))
        add(s, asp("note"), row["note"])
    return quads
