"""Generates ``api/context.jsonld`` from the ontology, so the published @context cannot drift from it.

Run ``python -m api.linked_data.contextgen`` after changing ``ontology/asp.ttl``; a test fails when the
committed file and the generated one differ. Keys are the ontology's own local names; ranges give the
type coercions (dates, decimals, integers, IRIs), so documents read as plain JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph, URIRef

from graph.namespaces import PREFIXES

REPO = Path(__file__).resolve().parents[2]
CONTEXT_FILE = REPO / "api" / "context.jsonld"
ONTOLOGY_FILE = REPO / "ontology" / "asp.ttl"
ASP = PREFIXES["asp"]
OWL = PREFIXES["owl"]
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_RANGE = PREFIXES["rdfs"] + "range"
XSD = PREFIXES["xsd"]
HYDRA = "http://www.w3.org/ns/hydra/core#"

# Terms of reused vocabularies that entity documents use; (term, compact IRI, coercion or None).
REUSED = [
    ("label", "rdfs:label", None),
    ("comment", "rdfs:comment", None),
    ("seeAlso", "rdfs:seeAlso", "@id"),
    ("prefLabel", "skos:prefLabel", None),
    ("altLabel", "skos:altLabel", None),
    ("notation", "skos:notation", None),
    ("definition", "skos:definition", None),
    ("inScheme", "skos:inScheme", "@id"),
    ("name", "foaf:name", None),
    ("member", "org:member", "@id"),
    ("organization", "org:organization", "@id"),
    ("role", "org:role", "@id"),
    ("memberDuring", "org:memberDuring", "@id"),
    ("subOrganizationOf", "org:subOrganizationOf", "@id"),
    ("hasBeginning", "time:hasBeginning", "@id"),
    ("hasEnd", "time:hasEnd", "@id"),
    ("inXSDDate", "time:inXSDDate", "xsd:date"),
    ("sources", "prov:wasDerivedFrom", "@id"),
    ("publisher", "dct:publisher", None),
    ("license", "dct:license", "@id"),
    ("url", "schema:url", None),
    ("predicate", "rdf:predicate", "@id"),
    ("object", "rdf:object", None),
    ("rank", "wikibase:rank", "@id"),
]
# Reverse terms: how a document nests the things that point at it (a session's resolutions, ...).
REVERSE = [
    ("resolutions", "asp:adoptedAt"),
    ("elections", "asp:session"),
    ("statements", "asp:session"),
    ("participation", "asp:session"),
    ("resumptions", "asp:resumptionOf"),
    ("decisions", "asp:decidedAt"),
    ("candidacies", "asp:candidacyIn"),
    ("rounds", "asp:roundOf"),
    ("counts", "asp:countIn"),
    ("mandates", "asp:electedIn"),
    ("posts", "org:member"),
    ("candidatures", "asp:candidate"),
    ("pledges", "asp:donor"),
    ("members", "org:organization"),
    ("seatAllocations", "asp:allocationOf"),
    ("subOrganizations", "org:subOrganizationOf"),
    ("electionsHeld", "asp:electionFor"),
    ("sessions", "asp:heldBy"),
    ("budgetFigures", "asp:resolution"),
    ("states", "asp:regionalGroup"),
    ("allocations", "asp:allocatedTo"),
    ("sessionsHeld", "asp:venue"),
    ("describes", "prov:wasDerivedFrom"),
    ("venues", "asp:country"),
    ("nationals", "asp:nationality"),
    ("concepts", "skos:inScheme"),
    ("amendmentsOf", "asp:amends"),
    ("rankedClaims", "rdf:subject"),
]
OTHER_CLASSES = [
    ("Concept", "skos:Concept"),
    ("ConceptScheme", "skos:ConceptScheme"),
    ("Membership", "org:Membership"),
    ("Interval", "time:Interval"),
    ("Instant", "time:Instant"),
    ("Dataset", "void:Dataset"),
    ("Collection", "hydra:Collection"),
    ("PartialCollectionView", "hydra:PartialCollectionView"),
]
HYDRA_TERMS = [
    ("totalItems", "hydra:totalItems", None),
    ("items", "hydra:member", None),
    ("view", "hydra:view", None),
    ("first", "hydra:first", "@id"),
    ("last", "hydra:last", "@id"),
    ("next", "hydra:next", "@id"),
    ("previous", "hydra:previous", "@id"),
]


def _compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if prefix != "id" and iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def generate() -> dict:
    """The @context document, built from the ontology's classes and properties."""
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    kinds: dict[str, set[str]] = {}
    ranges: dict[str, str] = {}
    for s, p, o in graph:
        if not isinstance(s, URIRef) or not str(s).startswith(ASP):
            continue
        if str(p) == RDF_TYPE:
            kinds.setdefault(str(s), set()).add(str(o))
        elif str(p) == RDFS_RANGE:
            ranges[str(s)] = str(o)
    ctx: dict[str, object] = {"@version": 1.1, "id": "@id", "type": "@type", "claims": "@included"}
    for prefix, ns in PREFIXES.items():
        if prefix != "id":
            ctx[prefix] = ns
    ctx["hydra"] = HYDRA
    for iri in sorted(k for k, v in kinds.items() if OWL + "Class" in v):
        ctx[iri[len(ASP) :]] = _compact(iri)
    for term, compact in OTHER_CLASSES:
        ctx[term] = compact
    for iri in sorted(kinds):
        k = kinds[iri]
        if OWL + "ObjectProperty" in k:
            ctx[iri[len(ASP) :]] = {"@id": _compact(iri), "@type": "@id"}
        elif OWL + "DatatypeProperty" in k:
            rng = ranges.get(iri, XSD + "string")
            definition: dict[str, str] = {"@id": _compact(iri)}
            if rng not in (XSD + "string", PREFIXES["rdf"] + "langString"):
                definition["@type"] = _compact(rng)
            ctx[iri[len(ASP) :]] = definition
    for term_name, compact, coercion in REUSED + HYDRA_TERMS:
        ctx[term_name] = {"@id": compact, "@type": coercion} if coercion else {"@id": compact}
    for term_name, compact in REVERSE:
        ctx[term_name] = {"@reverse": compact, "@type": "@id"}
    return {"@context": ctx}


def render() -> str:
    return json.dumps(generate(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    CONTEXT_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {CONTEXT_FILE}")
