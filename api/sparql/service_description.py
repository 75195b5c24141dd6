"""The SPARQL 1.1 Service Description (``sd:``) answered to GET ``/sparql`` without a query.

It tells clients what the endpoint accepts and returns, that the default graph is the union of the
named graphs, and which named graphs (one per source, plus ontology, inferences, metadata) exist.
"""

from __future__ import annotations

import pyoxigraph as ox

from api.negotiation import CSV, JSONLD, NQUADS, NTRIPLES, RDFXML, SPARQL_JSON, SPARQL_XML, TRIG, TSV, TURTLE

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "TriG",
    "N-Quads",
)
SD_FORMATS = (TURTLE, NTRIPLES, RDFXML, JSONLD, TRIG, NQUADS)
OX_FORMATS = {
    TURTLE.media_type: ox.RdfFormat.TURTLE,
    NTRIPLES.media_type: ox.RdfFormat.N_TRIPLES,
    RDFXML.media_type: ox.RdfFormat.RDF_XML,
    JSONLD.media_type: ox.RdfFormat.JSON_LD,
    TRIG.media_type: ox.RdfFormat.TRIG,
    NQUADS.media_type: ox.RdfFormat.N_QUADS,
}
QUERY_RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(SD + local)


def describe(endpoint: str, named_graphs: list[str]) -> list[ox.Triple]:
    """The triples describing the service at ``endpoint`` over a store holding ``named_graphs``."""
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(
            service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        ox.Triple(
            service,
            ox.NamedNode(DCT + "description"),
            ox.Literal(
                "Read-only SPARQL 1.1 endpoint of the knowledge graph of the Assembly of States Parties "
                "to the Rome Statute. The default graph is the preferred view: one value for every fact "
                "that has one true value, chosen by source authority (official records, then official "
                "press releases and the Coalition for the ICC, then other press, then copies), then "
                "agreement of independent sources, then recency, plus every uncontested fact. Every "
                "source's claims stay in the source's named graph (GRAPH ?source); the graph "
                "https://w3id.org/asp-kg/graph/all holds all claims unranked, and "
                "https://w3id.org/asp-kg/graph/claims the rank and reason of each claim of a disputed "
                "fact. SERVICE and updates are refused. Relative IRIs in a query resolve against this "
                f"endpoint's address, {endpoint}; default-graph-uri=urn:x-rdflib:default (rdflib's name for "
                "the default graph) selects the default graph, and a graph this dataset does not hold is "
                "an error (400).",
                language="en",
            ),
        ),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _sd("Graph")),
        ox.Triple(default, ox.NamedNode(DCT + "description"), ox.Literal(
            "The preferred view: one preferred value per functional fact and every uncontested fact.",
            language="en")),
    ]
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + f)) for f in RESULT_FORMATS]
    for i, name in enumerate(sorted(named_graphs)):
        node = ox.BlankNode(f"g{i}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), node),
            ox.Triple(node, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(node, _sd("name"), ox.NamedNode(name)),
        ]
    return triples


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    return ox.serialize(  # type: ignore[return-value]
        triples, format=OX_FORMATS[media_type], prefixes={"sd": SD, "dct": DCT, "formats": FORMATS}
    )


def named_graphs(store: ox.Store) -> list[str]:
    """IRIs of the store's named graphs (blank-node graphs cannot be named in a query, so skipped)."""
    return [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
