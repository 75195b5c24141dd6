"""``aspkg build``: tables -> RDF -> inferences -> SHACL -> a new store, swapped in atomically.

Nothing touches the served store until the new graph has passed validation and is fully written;
any failure before the final swap leaves the previous graph served as it was.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.assemble import assemble, source_titles
from graph.docs import write_ontology_docs
from graph.dumps import canonical_order, merge_ordered, nquads_bytes, write_dumps
from graph.progress import Progress
from graph.settings import Settings
from graph.store import Layout, publish
from graph.validation import validate_assembled
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

    with progress.step("describe dataset (VoID/DCAT)") as r:
        quads = assembled.quads
        ordered = canonical_order(quads)
        version = hashlib.sha256(nquads_bytes(ordered)).hexdigest()[:16]
        void = describe(quads, version, source_titles(quads)) - quads
        ordered = merge_ordered(ordered, canonical_order(void))
        quads = quads | void
        nquads = nquads_bytes(ordered)
        r["detail"] = f"version {version}, {len(quads)} quads"

    staging = layout.staging / version
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with progress.step("load pyoxigraph store") as r:
        store = ox.Store(str(staging / "db"))
        store.bulk_extend(ordered)
        union = {ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads}
        store.bulk_extend(union)
        store.flush()
        store.optimize()
        del store
        r["detail"] = f"{len(quads)} quads in named graphs, {len(union)} in the default (union) graph"
    with progress.step("write dumps and ontology docs") as r:
        sizes = write_dumps(ordered, nquads, staging / "dumps")
        write_ontology_docs(staging / "docs")
        r["detail"] = ", ".join(f"{k} {v // 1024} KiB" for k, v in sizes.items())
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
    manifest = {"version": version, "quads": len(quads), "triples_union": len(union), "graphs": graphs,
                "nquads_sha256": hashlib.sha256(nquads).hexdigest()}
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
        f"{len(quads)} quads, {len(union)} distinct triples, {len(graphs)} named graphs",
        f"served from {layout.db()}",
    ])
    return BuildResult(version=version, quads=len(quads), path=target)
