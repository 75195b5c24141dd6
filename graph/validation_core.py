"""Validate a graph against the SHACL shapes of ``shapes/*.ttl`` with pySHACL.

``validate_graph`` takes the data as a ``pyoxigraph.Store`` (the fast path: pySHACL 0.40 accepts
a Store directly, ``pyshacl.validate(store, shacl_graph=..., inference="none")``, reads it as the
union of its graphs and runs the SHACL-SPARQL queries on Oxigraph), an rdflib ``Graph`` or
``Dataset``, or a path to an RDF file. The data are first merged into the default graph of a fresh
in-memory Store (each triple once; the build's inferred graph is left out, see ``_flatten``), so the
caller's store is never modified. The shapes' ``sh:class`` checks on code-list concepts and
``sh:targetClass`` on subclasses need the ontology and the code lists in the data; when the data
lack them they are added. Validation runs with ``inference='none'``.

The build validates the preferred view (one value per functional fact, see ``graph/ranking.py``); a
dump of the built dataset is read the same way (``_flatten``). pySHACL gives every result the
severity of its node shape, so ``_results`` takes a named SPARQL constraint's own ``sh:severity``
where it has one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib.namespace import RDF, SH

from graph import validation_compiled, validation_prechecked, validation_sparql
from graph.namespaces import ALL_GRAPH, CLAIMS_GRAPH, INFERRED_GRAPH, ONTOLOGY_IRI
from graph.validation_answers import Answers
from graph.validation_compiled import Compiled, compile_shapes, drop_idle
from graph.validation_prechecked import Precheck, Triple, passed, prechecks, without
from graph.validation_sparql import add_results, sparql_free

REPO_ROOT = Path(__file__).resolve().parent.parent
SHAPES_DIR = REPO_ROOT / "shapes"
ONTOLOGY_FILES = (REPO_ROOT / "ontology" / "asp.ttl", REPO_ROOT / "ontology" / "vocabularies.ttl")
SHAPES_GRAPH_IRI = "https://w3id.org/asp-kg/shapes"

_HAS_ONTOLOGY = f"""ASK {{
    <{ONTOLOGY_IRI}> a <http://www.w3.org/2002/07/owl#Ontology> .
    <https://w3id.org/asp-kg/id/regional-group> a <http://www.w3.org/2004/02/skos/core#ConceptScheme> .
}}"""


@dataclass(frozen=True)
class ValidationResult:
    """One result of the validation report, in plain terms."""

    severity: str  # "Violation", "Warning" or "Info"
    focus_node: str
    message: str
    source_shape: str  # IRI of the shape, or "_:…" for an anonymous property shape
    node_shape: str | None  # the named node shape the result belongs to (for a property shape, its owner)
    component: str  # IRI of the constraint component, e.g. sh:MinCountConstraintComponent
    path: str | None = None
    value: str | None = None
    source_constraint: str | None = None  # IRI of a named SPARQL constraint
    rows: tuple[str, ...] = ()  # the CSV rows (file:line (column)) the offending claims were read from

    @property
    def shape_name(self) -> str:
        named = self.source_shape if not self.source_shape.startswith("_:") else None
        return (self.source_constraint or named or self.node_shape or self.source_shape).rsplit("#", 1)[-1]

    @property
    def text(self) -> str:
        """One line naming the resource, the rule (shape) it broke, the offending value and its rows."""
        where = f" ({_short(self.path)})" if self.path else ""
        value = f" [value: {self.value}]" if self.value is not None and self.value not in self.message else ""
        rows = f" [from {', '.join(self.rows)}]" if self.rows else ""
        return f"{self.severity} [{self.shape_name}]: <{self.focus_node}>{where}: {self.message}{value}{rows}"


def _short(iri: str) -> str:
    from graph.namespaces import PREFIXES

    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def shape_files() -> list[Path]:
    return sorted(SHAPES_DIR.glob("*.ttl"))


@functools.lru_cache(maxsize=1)
def _shapes_graph_cached(key: tuple[tuple[str, float], ...]) -> rdflib.Graph:
    g = rdflib.Graph()
    for path, _mtime in key:
        g.parse(path, format="turtle")
    return g


def shapes_graph() -> rdflib.Graph:
    """All shapes of ``shapes/*.ttl`` in one graph (cached while the files are unchanged)."""
    key = tuple((str(p), p.stat().st_mtime) for p in shape_files())
    return _shapes_graph_cached(key)


class _OxigraphData(OxigraphDataGraph):
    """pySHACL's view of an Oxigraph store, made cheap to test for truth.

    pySHACL writes ``datagraph or shapes_graph`` for every result it reports, which calls ``len()``
    on the data: a COUNT over the whole store, three times per result (also for the branches of an
    sh:or that fail). A store is always "there", so its truth value needs no count.
    """

    def __bool__(self) -> bool:
        return True


def _load_ontology(store: ox.Store) -> None:
    for path in ONTOLOGY_FILES:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)


def _flatten(source: ox.Store) -> ox.Store:
    """A new in-memory Store whose default graph holds, once each, the triples the shapes must hold for.

    - A dataset laid out as the build lays it out (its default graph is the preferred view, with the
      inferred graph materialised into it): the default graph without the inferred triples, plus the
      claim nodes of the claims graph. An RDFS closure types every value by the range of its property
      (an organ given as asp:decidedAt becomes an asp:Session), which would make the shapes' sh:class
      checks pass vacuously; sh:targetClass and sh:class follow rdfs:subClassOf in the ontology graph.
    - Any other data with a default graph (a Turtle file, say): that graph, plus its named graphs.
    - Data in named graphs only (a TriG file of sources' claims): their union. Two sources stating
      different values of a functional property then break FunctionalPropertyShape: rank them first.

    The caller's store is never modified.
    """
    store = ox.Store()
    default = ox.DefaultGraph()
    graphs = {g for g in source.named_graphs()}
    inferred = ox.NamedNode(INFERRED_GRAPH)
    skip = {inferred, ox.NamedNode(ALL_GRAPH)}
    quads: Iterable[ox.Quad]
    if inferred in graphs:
        entailed = {ox.Triple(q.subject, q.predicate, q.object)
                    for q in source.quads_for_pattern(None, None, None, inferred)}
        quads = [q for q in source.quads_for_pattern(None, None, None, default)
                 if ox.Triple(q.subject, q.predicate, q.object) not in entailed]
        quads += list(source.quads_for_pattern(None, None, None, ox.NamedNode(CLAIMS_GRAPH)))
    else:
        quads = (q for g in [default, *graphs] if g not in skip for q in source.quads_for_pattern(None, None, None, g))
    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)
    return store


def _as_store(data: ox.Store | rdflib.Graph | str | Path) -> ox.Store:
    """A fresh Store holding the data (all graphs merged, inferences left out) and the ontology."""
    if isinstance(data, ox.Store):
        loaded = data
    elif isinstance(data, rdflib.Graph):  # Graph, Dataset and ConjunctiveGraph
        loaded = ox.Store()
        if isinstance(data, rdflib.Dataset | rdflib.ConjunctiveGraph):
            payload, fmt = data.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS
        else:
            payload, fmt = data.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES
        loaded.bulk_load(payload, format=fmt)
    else:
        path = Path(data)
        loaded = ox.Store()
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
        loaded.bulk_load(path=str(path), format=fmt)
    store = _flatten(loaded)
    if not store.query(_HAS_ONTOLOGY):
        _load_ontology(store)
    return store


def _node_shape_of(sg: rdflib.Graph, shape: rdflib.term.Node) -> str | None:
    if isinstance(shape, rdflib.URIRef) and (shape, RDF.type, SH.NodeShape) in sg:
        return str(shape)
    owners = sorted(str(s) for s in sg.subjects(SH.property, shape) if isinstance(s, rdflib.URIRef))
    return owners[0] if owners else None


def _results(report: rdflib.Graph, sg: rdflib.Graph) -> list[ValidationResult]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if (None, SH.detail, r) in report:
            continue  # the detail of another result (why an sh:node or sh:or failed), not a result of its own
        shape = report.value(r, SH.sourceShape)
        constraint = report.value(r, SH.sourceConstraint)
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        messages = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        severity = report.value(r, SH.resultSeverity)
        if isinstance(constraint, rdflib.URIRef):
            # the constraint's own sh:severity (pySHACL reports the node shape's)
            severity = sg.value(constraint, SH.severity) or severity
        out.append(
            ValidationResult(
                severity=str(severity).rsplit("#", 1)[-1],
                focus_node=str(report.value(r, SH.focusNode)),
                message="; ".join(messages),
                source_shape=str(shape) if isinstance(shape, rdflib.URIRef) else f"_:{shape}",
                node_shape=_node_shape_of(sg, shape) if shape is not None else None,
                component=str(report.value(r, SH.sourceConstraintComponent)),
                path=str(path) if isinstance(path, rdflib.URIRef) else None,
                value=str(value) if value is not None else None,
                source_constraint=str(constraint) if isinstance(constraint, rdflib.URIRef) else None,
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    out.sort(key=lambda x: (order.get(x.severity, 3), x.focus_node, x.message, x.value or ""))
    return out


def report_text(conforms: bool, results: list[ValidationResult]) -> str:
    counts = {s: sum(1 for r in results if r.severity == s) for s in ("Violation", "Warning", "Info")}
    head = (
        f"Conforms: {conforms} ({counts['Violation']} violations, {counts['Warning']} warnings, {counts['Info']} infos)"
    )
    return "\n".join([head, *(r.text for r in results)])


def validate_graph(data: ox.Store | rdflib.Graph | str | Path,
                   scratch: bool = False) -> tuple[bool, str, list[ValidationResult]]:
    """Validate ``data`` against ``shapes/*.ttl``.

    Returns ``(conforms, report_text, results)``. ``conforms`` is False when there is at least one
    sh:Violation; sh:Warning results (facts a source may simply not state) are reported but do not
    make the data non-conformant. ``results`` are sorted, violations first.
    """
    conforms, text, results, _report = validate_with_report(data, scratch=scratch)
    return conforms, text, results


@functools.lru_cache(maxsize=1)
def _split_shapes(key: tuple[tuple[str, float], ...]) -> tuple[list[Compiled], rdflib.Graph, list[Precheck]]:
    """The simple core constraints compiled to queries, what is left for pySHACL, and the prechecks
    of what is left (``validation_prechecked.py``)."""
    compiled, residual = compile_shapes(_shapes_graph_cached(key))
    residual = drop_idle(sparql_free(residual))
    return compiled, residual, prechecks(residual)


@functools.lru_cache(maxsize=4)
def _residual_for(key: tuple[tuple[str, float], ...], passed: frozenset[Triple]) -> rdflib.Graph:
    """What pySHACL checks of the data whose prechecks ``passed``."""
    return without(_split_shapes(key)[1], passed)


def validate_with_report(
    data: ox.Store | rdflib.Graph | str | Path, whole_graph_sparql: bool = True, scratch: bool = False,
) -> tuple[bool, str, list[ValidationResult], rdflib.Graph]:
    """As ``validate_graph``, plus the SHACL validation report graph (sh:ValidationReport).

    The simple core constraints run as one query each, the counts one per focus
    (``validation_compiled.py``), the SPARQL constraints once each over the whole store
    (``validation_sparql.py``), and pySHACL checks the rest node by node, less what queries show
    cannot fail (``validation_prechecked.py``); the queries are answered ahead on two threads
    (``validation_answers.py``). The same results in linear time.
    ``whole_graph_sparql=False`` leaves everything to pySHACL (the reference the tests compare with).
    ``scratch``: ``data`` is a flat Store made for this validation, used as it is (the ontology may be
    added to it)."""
    if scratch and isinstance(data, ox.Store):  # already flat, and ours to add the ontology to
        store = data
        if not store.query(_HAS_ONTOLOGY):
            _load_ontology(store)
    else:
        store = _as_store(data)
    sg = shapes_graph()
    key = tuple((str(p), p.stat().st_mtime) for p in shape_files())
    if not whole_graph_sparql:
        return _reported(_pyshacl(store, sg), sg)
    compiled, _all, checks = _split_shapes(key)
    # every query at once, to two workers; the report is written from their answers, in order
    asked = (validation_prechecked.queries(checks) + validation_sparql.queries(sg)
             + validation_compiled.queries(compiled))
    with Answers(store, asked) as answers:
        report = _pyshacl(store, _residual_for(key, passed(answers, checks)))
        add_results(answers, sg, report)
        validation_compiled.run(answers, compiled, report)
    return _reported(report, sg)


def _pyshacl(store: ox.Store, shapes: rdflib.Graph) -> rdflib.Graph:
    _conforms, report, _text = validate(
        _OxigraphData(store),
        shacl_graph=shapes,
        inference="none",
        advanced=False,
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(report, rdflib.Graph):  # a ValidationFailure: pySHACL could not run
        raise RuntimeError(f"SHACL validation could not run: {_text}")
    return report


def _reported(report: rdflib.Graph, sg: rdflib.Graph) -> tuple[bool, str, list[ValidationResult], rdflib.Graph]:
    results = _results(report, sg)
    conforms = not any(r.severity == "Violation" for r in results)
    return conforms, report_text(conforms, results), results, report
