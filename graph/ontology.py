"""The ontology and code lists as data: parsed once for the build and the table checks."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import ONTOLOGY_GRAPH
from graph.settings import REPO_ROOT

ONTOLOGY_DIR = REPO_ROOT / "ontology"
SHAPES_DIR = REPO_ROOT / "shapes"
ONTOLOGY_FILES = ("asp.ttl", "vocabularies.ttl")
SKOS = "http://www.w3.org/2004/02/skos/core#"
ID_BASE = "https://w3id.org/asp-kg/id/"


def ontology_quads(directory: Path = ONTOLOGY_DIR) -> list[ox.Quad]:
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads: list[ox.Quad] = []
    for name in ONTOLOGY_FILES:
        path = directory / name
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
    return quads


def code_lists(quads: list[ox.Quad]) -> dict[str, set[str]]:
    """Scheme key (``role``) -> notations (``judge``, ...), read from the SKOS code lists."""
    in_scheme = ox.NamedNode(SKOS + "inScheme")
    notation = ox.NamedNode(SKOS + "notation")
    notations = {q.subject: q.object.value for q in quads  # type: ignore[union-attr]
                 if q.predicate == notation}
    lists: dict[str, set[str]] = {}
    for q in quads:
        if q.predicate == in_scheme and q.subject in notations:
            scheme = q.object.value.removeprefix(ID_BASE)  # type: ignore[union-attr]
            lists.setdefault(scheme, set()).add(notations[q.subject])
    return lists


OWL_FUNCTIONAL = "http://www.w3.org/2002/07/owl#FunctionalProperty"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The main label: one preferred value per language (they are annotation properties, so the ontology
# cannot declare them functional; the shapes check them with sh:uniqueLang / sh:maxCount).
PER_LANGUAGE = frozenset({ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.NamedNode("http://xmlns.com/foaf/0.1/name")})


def functional_properties(quads: list[ox.Quad]) -> set[ox.NamedNode]:
    """Properties the ontology declares functional: one true value, chosen by the ranking."""
    return {q.subject for q in quads  # type: ignore[misc]
            if q.predicate.value == RDF_TYPE and q.object == ox.NamedNode(OWL_FUNCTIONAL)
            and isinstance(q.subject, ox.NamedNode)}
