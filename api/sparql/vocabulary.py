"""The terms the query editor completes: the ontology's classes and properties, and those the data uses.

Read from the served dataset (never a remote vocabulary service such as LOV), once per graph version.
"""

from __future__ import annotations

from functools import lru_cache

from api.store.base import Repository
from graph.namespaces import ONTOLOGY_GRAPH

KINDS = """
VALUES (?type ?kind) {
  (owl:Class "class") (rdfs:Class "class")
  (owl:ObjectProperty "property") (owl:DatatypeProperty "property") (owl:AnnotationProperty "property")
  (rdf:Property "property")
}"""
QUERY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?kind (SAMPLE(?l) AS ?label) WHERE {{
  {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?term a ?type {KINDS} }} }}
  UNION {{ SELECT DISTINCT ?term ("property" AS ?kind) WHERE {{
    {{ ?s ?term ?o }} UNION {{ GRAPH ?g {{ ?s ?term ?o }} }}
  }} }}
  UNION {{ SELECT DISTINCT ?term ("class" AS ?kind) WHERE {{ ?s a ?term }} }}
  FILTER(isIRI(?term))
  OPTIONAL {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?term rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }} }}
}} GROUP BY ?term ?kind ORDER BY ?kind ?term
"""


@lru_cache(maxsize=2)
def terms(version: str, repo: Repository) -> dict[str, list[list[str]]]:
    """``{"class": [[iri, label], ...], "property": [...]}``; ``version`` keys the cache."""
    found: dict[str, list[list[str]]] = {"class": [], "property": []}
    for row in repo.select(QUERY):
        found[str(row["kind"])].append([str(row["term"]), str(row.get("label", ""))])
    return found
