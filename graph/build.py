"""``aspkg build``: tables -> RDF -> inferences -> SHACL -> a new store, swapped in atomically.

Nothing touches the served store until the new graph has passed validation and is fully written;
any failure before the final swap leaves the previous graph served as it was.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.assemble import assemble, source_titles
from graph.docs import write_ontology_docs
from graph.dumps import canonical_order, merge_ordered, nquads_sha256, write_dumps
from graph.namespaces import ALL_GRAPH, CLAIMS_GRAPH
from graph.progress import Progress
from graph.settings import Settings
from graph.store import Layout, publish
from graph.validation import validate_assembled
from graph.version_files import freeze
from graph.void import describe


class BuildFailed(RuntimeError):
    """The build stopped; the message says why (a table error or the SHACL report)."""


@dataclass
class BuildResult:
    version: str
    quads: int
    path: Path


def build(settings: Settings, tables_dir: Path | None = None, quiet: bool = False,
          progress: Progress | None = None) -> BuildResult:
    from mappings.load import TableError

    progress = progress or Progress(quiet=quiet)
    layout = Layout(settings.data_dir)
    try:
        assembled = assemble(tables_dir, progress)
    except TableError as exc:
        raise BuildFailed(f"source table error: {exc}") from exc
    with progress.step("validate with SHACL shapes") as r:
        conforms, report = validate_assembled(assembled)
        r["detail"] = "conforms" if conforms else "VIOLATIONS"
    if not conforms:
        raise BuildFailed("the graph does not conform to the SHACL shapes:\n" + report)

    ties = len(assembled.ties)
    if ties:
        progress.warn(f"{ties} facts have no preferred value (sources of equal weight disagree): "
                      "see `aspkg conflicts --ties`")
    with progress.step("describe dataset (VoID/DCAT)") as r:
        named = assembled.quads
        default = assembled.preferred | {ox.Triple(q.subject, q.predicate, q.object) for q in assembled.inferred}
        default_quads = {ox.Quad(t.subject, t.predicate, t.object) for t in default}
        ordered = canonical_order(named | default_quads)
        version = nquads_sha256(ordered)[:16]
        void = describe(named, default, version, source_titles(assembled.tables)) - named
        ordered = merge_ordered(ordered, canonical_order(void | {
            ox.Quad(q.subject, q.predicate, q.object) for q in void}))
        r["detail"] = f"version {version}, {len(ordered)} quads"
    # From here on only the ordered quads are needed: let the assembly's sets go before the store load.
    del assembled, named, default, default_quads, void

    staging = layout.staging / version
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with progress.step("load pyoxigraph store") as r:
        store = ox.Store(str(staging / "db"))
        store.bulk_extend(ordered.quads)
        all_graph, claims_graph = ox.NamedNode(ALL_GRAPH), ox.NamedNode(CLAIMS_GRAPH)
        everything = {ox.Quad(q.subject, q.predicate, q.object, all_graph) for q in ordered.quads
                      if q.graph_name != claims_graph}
        store.bulk_extend(everything)
        store.flush()
        store.optimize()
        del store
        n_default = sum(1 for q in ordered.quads if isinstance(q.graph_name, ox.DefaultGraph))
        r["detail"] = (f"{len(ordered) - n_default} quads in named graphs, {n_default} in the default graph "
                       f"(preferred view), {len(everything)} in {ALL_GRAPH}")
    with progress.step("write dumps and ontology docs") as r:
        sizes = write_dumps(ordered, staging / "dumps")
        write_ontology_docs(staging / "docs")
        freeze(staging / "files")
        r["detail"] = ", ".join(f"{k} {v // 1024} KiB" for k, v in sizes.items())
    graphs = sorted({q.graph_name.value for q in ordered.quads if isinstance(q.graph_name, ox.NamedNode)} | {ALL_GRAPH})
    manifest = {"version": version, "quads": len(ordered), "triples_default": n_default, "graphs": graphs,
                "nquads_sha256": nquads_sha256(ordered), "ties": ties}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")

    with progress.step("publish (atomic swap)") as r:
        target = layout.store_dir(version)
        layout.stores.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
        publish(layout, version)
        r["detail"] = f"{layout.current} -> stores/{version}"
    progress.summary([
        f"graph version {version}",
        f"{len(ordered)} quads, {n_default} triples in the default graph (preferred view), {len(graphs)} named graphs",
        f"served from {layout.db()}",
    ])
    return BuildResult(version=version, quads=len(ordered), path=target)
