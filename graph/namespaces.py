"""IRIs of the ontology, the instances and the vocabularies we reuse, declared once."""

from rdflib import Namespace

BASE = "https://w3id.org/asp-kg/"
ONTOLOGY_IRI = BASE + "ontology"
ASP = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
ONTOLOGY_GRAPH = BASE + "graph/ontology"
INFERRED_GRAPH = BASE + "graph/inferred"
METADATA_GRAPH = BASE + "graph/metadata"
CLAIMS_GRAPH = BASE + "graph/claims"  # rank and reason of each claim of a functional fact
ALL_GRAPH = BASE + "graph/all"  # every claim of every source, unranked (the default graph is the preferred view)
WIKIBASE = Namespace("http://wikiba.se/ontology#")

ORG = Namespace("http://www.w3.org/ns/org#")
OPENGOV = Namespace("http://www.w3.org/ns/opengov#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
TIME = Namespace("http://www.w3.org/2006/time#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")

PREFIXES: dict[str, str] = {
    "asp": str(ASP),
    "id": str(ID),
    "org": str(ORG),
    "opengov": str(OPENGOV),
    "eli": str(ELI),
    "time": str(TIME),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcat": str(DCAT),
    "dct": "http://purl.org/dc/terms/",
    "void": str(VOID),
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "wikibase": str(WIKIBASE),
}


def sparql_prologue() -> str:
    """PREFIX lines for queries and for the query page's editor."""
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"
