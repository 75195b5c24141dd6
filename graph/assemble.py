"""From tables to the complete set of quads: mapped facts, ontology, inferences, metadata."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.inference import infer
from graph.namespaces import INFERRED_GRAPH, METADATA_GRAPH
from graph.ontology import code_lists, ontology_quads
from graph.progress import Progress
from mappings import TABLES_DIR, load_tables, map_all
from mappings.load import Tables


@dataclass
class Assembled:
    tables: Tables
    asserted: set[ox.Quad]  # source graphs + ontology graph + metadata (source records)
    inferred: set[ox.Quad]

    @property
    def quads(self) -> set[ox.Quad]:
        return self.asserted | self.inferred


def assemble(tables_dir: Path | None, progress: Progress) -> Assembled:
    with progress.step("read ontology and code lists") as r:
        onto = ontology_quads()
        lists = code_lists(onto)
        r["detail"] = f"{len(onto)} triples, {len(lists)} code lists"
    with progress.step("check source tables") as r:
        tables = load_tables(tables_dir or TABLES_DIR, lists)
        r["detail"] = ", ".join(f"{name} {len(rows)}" for name, rows in tables.rows.items())
    with progress.step("map tables to RDF") as r:
        mapped = map_all(tables)
        graphs = {q.graph_name for q in mapped}
        r["detail"] = f"{len(mapped)} quads in {len(graphs)} graphs"
    asserted = mapped | set(onto)
    with progress.step("materialise RDFS/OWL-RL inferences") as r:
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in asserted}
        graph = ox.NamedNode(INFERRED_GRAPH)
        inferred = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in infer(triples)}
        r["detail"] = f"{len(inferred)} new triples"
    return Assembled(tables=tables, asserted=asserted, inferred=inferred)


def source_titles(quads: set[ox.Quad]) -> dict[str, str]:
    title = "https://w3id.org/asp-kg/ontology#title"
    meta = ox.NamedNode(METADATA_GRAPH)
    return {q.subject.value: q.object.value for q in quads  # type: ignore[union-attr]
            if q.graph_name == meta and q.predicate.value == title}
