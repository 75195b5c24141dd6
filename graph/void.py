"""The VoID/DCAT description of the dataset: size per graph, licence, version, sources, dumps.

No timestamps: the same sources must give byte-identical output.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from graph.facts import ByPredicate
from graph.namespaces import BASE, DCAT, METADATA_GRAPH, VOID

DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INT = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
DATASET = ox.NamedNode(BASE + "dataset")
LICENCE = ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")
DUMPS = {"dataset.nq": "application/n-quads", "dataset.trig": "application/trig",
         "preferred.ttl": "text/turtle", "preferred.nt": "application/n-triples",
         "dataset.jsonld": "application/ld+json"}


@dataclass(frozen=True)
class DefaultStats:
    triples: int
    entities: int
    subjects: int
    properties: int


def default_stats(*parts: ByPredicate) -> DefaultStats:
    """What VoID says of the default graph (the preferred view and its entailments, ``parts`` that
    share no triple), by predicate (``graph.facts``): only the subjects are read."""
    subjects: set[ox.NamedNode | ox.BlankNode] = set()
    entities: set[ox.NamedNode | ox.BlankNode] = set()
    properties: set[ox.NamedNode] = set()
    triples = 0
    for groups in parts:
        for predicate, facts in groups.items():
            if not facts:
                continue
            triples += len(facts)
            properties.add(predicate)
            named = {f.subject for f in facts}
            subjects |= named  # type: ignore[arg-type]
            if predicate == RDF_TYPE:
                entities |= named  # type: ignore[arg-type]
    return DefaultStats(triples, len(entities), len(subjects), len(properties))


def describe(per_graph: dict[ox.NamedNode, int], default: DefaultStats, version: str | None,
             titles: dict[str, str]) -> set[ox.Quad]:
    """VoID of the named graphs (the size of each, ``per_graph``) and of the default graph (the
    preferred view), all in the metadata graph. Without a ``version`` (the build knows it only once
    the quads are in order), all but the two statements of it."""
    g = ox.NamedNode(METADATA_GRAPH)
    out: set[ox.Quad] = set()

    def add(s: ox.NamedNode, p: str, o: object) -> None:
        obj = o if isinstance(o, ox.NamedNode | ox.Literal) else ox.Literal(str(o), datatype=XSD_INT) \
            if isinstance(o, int) else ox.Literal(str(o))
        out.add(ox.Quad(s, ox.NamedNode(p) if isinstance(p, str) else p, obj, g))

    out.add(ox.Quad(DATASET, RDF_TYPE, ox.NamedNode(f"{VOID}Dataset"), g))
    out.add(ox.Quad(DATASET, RDF_TYPE, ox.NamedNode(f"{DCAT}Dataset"), g))
    add(DATASET, DCT + "title", ox.Literal("ASP Knowledge Graph", language="en"))
    add(DATASET, DCT + "description", ox.Literal(
        "Cited facts about the Assembly of States Parties to the Rome Statute of the International Criminal "
        "Court: States Parties, sessions, organs, elections, resolutions, amendments and budgets.", language="en"))
    add(DATASET, DCT + "license", LICENCE)
    if version is not None:
        out |= version_quads(version)
    add(DATASET, f"{VOID}sparqlEndpoint", ox.NamedNode(BASE + "sparql"))
    add(DATASET, f"{VOID}uriSpace", BASE + "id/")
    add(DATASET, f"{VOID}vocabulary", ox.NamedNode(BASE + "ontology#"))
    add(DATASET, f"{VOID}triples", default.triples)
    add(DATASET, f"{VOID}entities", default.entities)
    add(DATASET, f"{VOID}distinctSubjects", default.subjects)
    add(DATASET, f"{VOID}properties", default.properties)
    for name, media_type in DUMPS.items():
        dist = ox.NamedNode(f"{BASE}dumps/{name}")
        add(DATASET, f"{VOID}dataDump", dist)
        add(DATASET, f"{DCAT}distribution", dist)
        out.add(ox.Quad(dist, RDF_TYPE, ox.NamedNode(f"{DCAT}Distribution"), g))
        add(dist, f"{DCAT}mediaType", media_type)
        add(dist, f"{DCAT}downloadURL", dist)
    for graph_name, count in sorted(per_graph.items(), key=lambda kv: str(kv[0])):
        sub = ox.NamedNode(graph_name.value + "#void")
        add(DATASET, f"{VOID}subset", sub)
        out.add(ox.Quad(sub, RDF_TYPE, ox.NamedNode(f"{VOID}Dataset"), g))
        add(sub, "http://www.w3.org/ns/sparql-service-description#name", graph_name)
        add(sub, f"{VOID}triples", count)
        add(sub, DCT + "source", graph_name)
        if graph_name.value in titles:
            add(sub, DCT + "title", ox.Literal(titles[graph_name.value], language="en"))
            add(DATASET, DCT + "source", graph_name)
    return out


def version_quads(version: str) -> set[ox.Quad]:
    """What the description says of the version, in the metadata graph."""
    g = ox.NamedNode(METADATA_GRAPH)
    return {ox.Quad(DATASET, ox.NamedNode(p), ox.Literal(version), g)
            for p in (f"{DCAT}version", "http://www.w3.org/2002/07/owl#versionInfo")}
