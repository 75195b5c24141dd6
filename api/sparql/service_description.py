"""The SPARQL 1.1 Service Description (``sd:``) answered to GET ``/sparql`` without a query.

It tells clients what the endpoint accepts and returns, that the default graph is the union of the
named graphs, and which named graphs (one per source, plus ontology, inferences, metadata) exist.
"""

from __future__ import annotations

from rdflib import BNode, Dataset, Literal, URIRef

from api.negotiation import CSV, JSONLD, NQUADS, NTRIPLES, RDFXML, SPARQL_JSON, SPARQL_XML, TRIG, TSV, TURTLE

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
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
RDFLIB_FORMATS = {
    TURTLE.media_type: "turtle",
    NTRIPLES.media_type: "nt",
    RDFXML.media_type: "xml",
    JSONLD.media_type: "json-ld",
    TRIG.media_type: "trig",
    NQUADS.media_type: "nquads",
}
QUERY_RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, CSV, TSV)


def _sd(local: str) -> URIRef:
    return URIRef(SD + local)


def describe(endpoint: str, named_graphs: list[str]) -> list[tuple]:
    """The triples describing the service at ``endpoint`` over a store holding ``named_graphs``."""
    service = URIRef(endpoint)
    dataset = BNode("dataset")
    default = BNode("defaultGraph")
    triples = [
        (service, RDF_TYPE, _sd("Service")),
        (service, _sd("endpoint"), service),
        (service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        (
            service, _sd("defaultEntailmentRegime"), URIRef("http://www.w3.org/ns/entailment/Simple")
        ),
        (
            service,
            URIRef(DCT + "description"),
            Literal(
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
                lang="en",
            ),
        ),
        (service, _sd("defaultDataset"), dataset),
        (dataset, RDF_TYPE, _sd("Dataset")),
        (dataset, _sd("defaultGraph"), default),
        (default, RDF_TYPE, _sd("Graph")),
        (default, URIRef(DCT + "description"), Literal(
            "The preferred view: one preferred value per functional fact and every uncontested fact.",
            lang="en")),
    ]
    triples += [(service, _sd("resultFormat"), URIRef(FORMATS + f)) for f in RESULT_FORMATS]
    for i, name in enumerate(sorted(named_graphs)):
        node = BNode(f"g{i}")
        triples += [
            (dataset, _sd("namedGraph"), node),
            (node, RDF_TYPE, _sd("NamedGraph")),
            (node, _sd("name"), URIRef(name)),
        ]
    return triples


def serialize(triples: list[tuple], media_type: str) -> bytes:
    ds = Dataset()
    for prefix, ns in (("sd", SD), ("dct", DCT), ("formats", FORMATS)):
        ds.bind(prefix, ns)
    for t in triples:
        ds.add(t)
    return ds.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")
