"""SHACL validation of an assembled graph; ``aspkg validate`` and the build both use it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.assemble import Assembled, assemble
from graph.progress import Progress


def validation_store(assembled: Assembled) -> ox.Store:
    """An in-memory store holding what the shapes must hold for: the preferred view (one value per
    functional fact), plus the claim nodes that explain the ranks."""
    store = ox.Store()
    default = ox.DefaultGraph()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, default) for t in assembled.preferred)
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in assembled.claims)
    return store


def validate_assembled(assembled: Assembled) -> tuple[bool, str]:
    from graph.validation_core import validate_graph

    # Asserted facts only: the RDFS closure would type every value by its property's range, and the
    # shapes' sh:class checks would then pass without checking anything.
    conforms, report, _results = validate_graph(validation_store(assembled))
    return conforms, report


def validate_tables(tables_dir: Path | None = None, quiet: bool = False) -> tuple[bool, str]:
    """Map the tables and validate, without touching any store."""
    from mappings.load import TableError

    progress = Progress(quiet=quiet)
    try:
        assembled = assemble(tables_dir, progress)
    except TableError as exc:
        return False, f"source table error: {exc}"
    with progress.step("validate with SHACL shapes") as r:
        conforms, report = validate_assembled(assembled)
        r["detail"] = "conforms" if conforms else "VIOLATIONS"
    return conforms, report
