"""``aspkg build``: tables -> RDF -> inferences -> SHACL -> a new store, swapped in atomically.

Nothing touches the served store until the new graph has passed validation and is fully written;
any failure before the final swap leaves the previous graph served as it was.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.assemble import assemble, source_titles
from graph.docs import write_ontology_docs
from graph.dumps import (
    Statements,
    document,
    lines_of,
    merge_ordered,
    nquads_sha256,
    sorted_lines,
    stated_anew,
    stated_before,
    statements,
    write_dumps,
)
from graph.facts import by_predicate, every
from graph.load_files import InGraph, LoadFiles
from graph.namespaces import ALL_GRAPH, CLAIMS_GRAPH, INFERRED_GRAPH, METADATA_GRAPH
from graph.progress import Progress
from graph.settings import Settings
from graph.store import Layout, publish
from graph.store_load import StoreLoad
from graph.validation import checked_store, validate_checked
from graph.version_files import freeze
from graph.void import default_stats, describe, version_quads


class BuildFailed(RuntimeError):
    """The build stopped; the message says why (a table error or the SHACL report)."""


@dataclass
class BuildResult:
    version: str
    quads: int
    path: Path


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The build makes millions of long-lived objects (quads, claims, origins) and few reference
    cycles (validation's are collected right after it: ``garbage_collected``); Python's cyclic
    collector would rescan all of them each time a generation fills, about a sixth of the claims
    benchmark's build. Reference counting still frees everything else as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def give_back_freed_memory() -> None:
    """Return what the C allocator holds free to the system (glibc's ``malloc_trim``; elsewhere
    nothing). Every term of every pyoxigraph object is a Rust allocation from the C allocator, which
    keeps what is freed for its own later use; the lines that come next are small Python objects
    from Python's own arenas, which cannot reuse it. Given back once the assembly is gone and again
    once the validation store is: the peak at 100x fell from 3,979 to 3,769 MiB with the second."""
    try:
        trim = ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):
        return
    trim(0)


@contextmanager
def garbage_collected() -> Iterator[None]:
    """Collect the cycles made inside, scanning only what was made inside. rdflib's SPARQL parser
    (under pySHACL) leaves exceptions whose tracebacks hold frames, and a frame holds its callers'
    frames and so their locals: the whole assembly would stay alive until the next full collection."""
    gc.freeze()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()


def _load_statements(load: StoreLoad, made: Statements) -> None:
    """Quads of a named graph, and their triples into the default graph and into graph/all (the store
    is a set: a line it holds already changes nothing)."""
    load.data(document(made.quads + made.triples), ox.RdfFormat.N_QUADS)
    load.data(document(made.triples), ox.RdfFormat.N_TRIPLES, ox.NamedNode(ALL_GRAPH))


def build(settings: Settings, tables_dir: Path | None = None, quiet: bool = False,
          progress: Progress | None = None) -> BuildResult:
    with no_cyclic_gc():
        return _build(settings, tables_dir, progress or Progress(quiet=quiet))


def _build(settings: Settings, tables_dir: Path | None, progress: Progress) -> BuildResult:
    from mappings.load import TableError

    layout = Layout(settings.data_dir)
    staging = layout.staging / f"build-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "dumps").mkdir(parents=True)
    try:
        # The store loads on a thread of its own (graph/store_load.py) while the claims are ranked,
        # the graph is validated and the dumps are written; nothing is served from it before the
        # swap at the end. What the tables state goes first, area by area as soon as each is mapped.
        with StoreLoad(staging / "db") as load:
            files = LoadFiles(staging / "load", claims=ox.NamedNode(CLAIMS_GRAPH),
                              nquads_done=lambda path: load.file(path, ox.RdfFormat.N_QUADS),
                              union_done=lambda path: load.file(path, ox.RdfFormat.N_TRIPLES, ox.NamedNode(ALL_GRAPH)))

            try:
                assembled = assemble(tables_dir, progress, on_mapped=files.named)
            except TableError as exc:
                raise BuildFailed(f"source table error: {exc}") from exc
            # Every quad names its rows by file and line: the rows themselves (300 MB at 100x) can
            # go, all but the sources' titles, before the assembly peaks.
            titles = source_titles(assembled.tables)
            assembled.tables.rows.clear()
            ties = len(assembled.ties)
            with progress.step("load the rest: derived, claims, inferences, the default graph") as r:
                # The default graph's triples are those of the preferred view's quads and of the
                # inferred graph's. The N-Quads files also give the lines that the canonical order
                # sorts, after validation: from here on no quad is needed but for validation's report.
                files.named((assembled.derived, InGraph(ox.NamedNode(INFERRED_GRAPH), assembled.inferred)))
                files.statements(ox.NamedNode(CLAIMS_GRAPH), assembled.claims)
                written = files.default(every(assembled.preferred), assembled.inferred)
                default, per_graph, nquads_files = written.default, written.per_graph, written.nquads
                checked_nt = written.checked
                del written
                stats = default_stats(assembled.preferred, by_predicate(assembled.inferred))
                n_default = stats.triples
                # The description of every graph is known now, all but the version (the hash of the
                # quads in order): the store loads it while the graph is validated and ordered, and
                # its compaction waits only for the version's lines. Loaded after the order instead,
                # the loader idled 3 s waiting for it at 20 claims per fact.
                described = statements(describe(per_graph, stats, None, titles), ox.NamedNode(METADATA_GRAPH))
                _load_statements(load, described)
                r["detail"] = f"{sum(per_graph.values())} quads in named graphs, {n_default} in the default graph"
            # From here on only the rows of each asserted quad are needed, to place validation's results
            # in the tables: let the rest of the assembly go.
            origins = assembled.origins
            del assembled
            give_back_freed_memory()
            with progress.step("validate with SHACL shapes") as r, garbage_collected():
                # made once the assembly is gone, from the N-Triples, which go as they are read
                checked = checked_store(checked_nt)
                conforms, report = validate_checked(checked, origins)
                del checked, origins
                r["detail"] = "conforms" if conforms else "VIOLATIONS"
            if not conforms:
                raise BuildFailed("the graph does not conform to the SHACL shapes:\n" + report)
            if ties:
                progress.warn(f"{ties} facts have no preferred value (sources of equal weight disagree): "
                              "see `aspkg conflicts --ties`")
            give_back_freed_memory()
            with progress.step("order quads (canonical N-Quads)") as r:
                ordered = sorted_lines(lines_of(nquads_files), default)
                del default
                version = nquads_sha256(ordered)[:16]
                r["detail"] = f"version {version}, {len(ordered)} quads"
            with progress.step("describe dataset (VoID/DCAT)") as r:
                # in the metadata graph, less what the assembly states there already; the default
                # graph states the description too
                versioned = statements(version_quads(version), ox.NamedNode(METADATA_GRAPH))
                _load_statements(load, versioned)
                described += versioned
                void = stated_anew(ordered, described)
                if stray := stated_before(ordered, described, void):  # loaded, in no dump
                    raise BuildFailed(f"the description loaded states {len(stray)} lines the graph does "
                                      f"not, the first: {stray[0].decode('utf-8', 'replace')}")
                n_default += sum(void.default)
                del described
                names = {g.value for g in per_graph} | ({METADATA_GRAPH} if void.lines else set())
                load.compact()  # nothing more to load
                ordered = merge_ordered(ordered, void)
                r["detail"] = f"{len(void)} quads"
            with progress.step("write dumps and docs; finish loading the store") as r:
                n_quads = len(ordered)
                sha256, sizes = write_dumps(ordered, staging / "dumps")  # its lines freed once written
                del ordered
                write_ontology_docs(staging / "docs")
                freeze(staging / "files")
                graphs = sorted(names | {ALL_GRAPH})
                load.wait()
                r["detail"] = (f"{n_quads - n_default} quads in named graphs, {n_default} in the default "
                               f"graph (preferred view); "
                               + ", ".join(f"{k} {v // 1024} KiB" for k, v in sizes.items()))
        shutil.rmtree(staging / "load")
        manifest = {"version": version, "quads": n_quads, "triples_default": n_default, "graphs": graphs,
                    "nquads_sha256": sha256, "ties": ties}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        with progress.step("publish (atomic swap)") as r:
            target = layout.store_dir(version)
            layout.stores.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
            publish(layout, version)
            r["detail"] = f"{layout.current} -> stores/{version}"
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a failed build leaves nothing half-written
        raise
    progress.summary([
        f"graph version {version}",
        f"{n_quads} quads, {n_default} triples in the default graph (preferred view), {len(graphs)} named graphs",
        f"served from {layout.db()}",
    ])
    return BuildResult(version=version, quads=n_quads, path=target)
