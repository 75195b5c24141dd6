"""The shapes' SPARQL constraints, each run once over the whole store instead of once per focus node.

pySHACL evaluates a SHACL-SPARQL constraint once per focus node, with ``$this`` pre-bound: ten
thousand claims make ten thousand queries, and a query the engine plans badly with a bound
``$this`` costs milliseconds each. Here each constraint becomes one query: the focus nodes of its
shape (the shape's targets) joined with the constraint's SELECT, in which ``$this`` is a plain
variable. For constraints whose SELECT uses ``$this`` in its main pattern and projects it (ours
all do; ``tests/test_validation_split.py`` checks every shape's fixtures and the real graph against
pySHACL alone), the join gives exactly the pre-bound answers.

The results are written into pySHACL's report graph as pySHACL would write them
(``ConstraintComponent.make_v_result``): the same focus node, value, path, source shape and
constraint, severity, and messages with ``{?var}`` filled in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal
from rdflib.namespace import RDF, RDFS, SH

from graph.validation_answers import Answers

OX_TO_RDFLIB_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def sparql_free(sg: rdflib.Graph) -> rdflib.Graph:
    """The shapes without their SPARQL constraints: what pySHACL still checks, node by node."""
    out = rdflib.Graph()
    for prefix, ns in sg.namespaces():
        out.bind(prefix, ns)
    for t in sg:
        if t[1] != SH.sparql:
            out.add(t)
    return out


def _n3(term: rdflib.term.Node) -> str:
    return term.n3()


def _prologue(sg: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    """PREFIX lines from the constraint's sh:prefixes (the sh:declare of the named ontology)."""
    lines = []
    for owner in sg.objects(constraint, SH.prefixes):
        for decl in sg.objects(owner, SH.declare):
            prefix, ns = sg.value(decl, SH.prefix), sg.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(sorted(set(lines))) + "\n"


def _targets(sg: rdflib.Graph, shape: rdflib.term.Node) -> list[str]:
    """Graph patterns binding ?this to the shape's focus nodes (SHACL 2.1.3)."""
    out = []
    for cls in sg.objects(shape, SH.targetClass):
        out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(cls)} .")
    for node in sg.objects(shape, SH.targetNode):
        out.append(f"VALUES ?this {{ {_n3(node)} }}")
    for prop in sg.objects(shape, SH.targetSubjectsOf):
        out.append(f"?this {_n3(prop)} ?target_object .")
    for prop in sg.objects(shape, SH.targetObjectsOf):
        out.append(f"?target_subject {_n3(prop)} ?this .")
    if (shape, RDF.type, RDFS.Class) in sg:
        out.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(shape)} .")
    return out


def whole_graph_query(sg: rdflib.Graph, shape: rdflib.term.Node, constraint: rdflib.term.Node) -> str | None:
    targets = _targets(sg, shape)
    select = sg.value(constraint, SH.select)
    if not targets or select is None:
        return None
    focus = " UNION ".join(f"{{ {t} }}" for t in targets)
    body = re.sub(r"\$this\b", "?this", str(select))
    return (f"{_prologue(sg, constraint)}SELECT * WHERE {{\n"
            f"  {{ SELECT DISTINCT ?this WHERE {{ {focus} }} }}\n  {{ {body} }}\n}}")


def _term(t) -> rdflib.term.Node:
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if t.language:
        return Literal(t.value, lang=t.language)
    dt = t.datatype.value
    return Literal(t.value) if dt == OX_TO_RDFLIB_XSD_STRING else Literal(t.value, datatype=rdflib.URIRef(dt))


def _message(msg: str, bound: dict) -> str:
    """pySHACL's ``_format_sparql_based_result_message``, so the texts are the same."""
    for var, val in bound.items():
        msg = re.sub(f"{{[?$]{var}}}", str(val), msg)
    return msg


def _constraints(sg: rdflib.Graph) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, str]]:
    """(shape, SPARQL constraint, its query over the whole store), in the report's order."""
    for shape in sorted(set(sg.subjects(SH.sparql, None)), key=str):
        for constraint in sorted(sg.objects(shape, SH.sparql), key=str):
            if sg.value(constraint, SH.deactivated) == Literal(True):
                continue
            query = whole_graph_query(sg, shape, constraint)
            if query is not None:
                yield shape, constraint, query


def queries(sg: rdflib.Graph) -> list[str]:
    """Every query ``add_results`` asks, to be answered ahead (``validation_answers``)."""
    return [query for _, _, query in _constraints(sg)]


def add_results(answers: Answers, sg: rdflib.Graph, report: rdflib.Graph) -> int:
    """Evaluate every SPARQL constraint of every shape; add its results to ``report``. Returns how
    many results were added."""
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    added = 0
    for shape, constraint, query in _constraints(sg):
        severity = sg.value(shape, SH.severity) or SH.Violation
        shape_messages = [m for m in sg.objects(shape, SH.message) if isinstance(m, Literal)]
        extra = [m for m in sg.objects(constraint, SH.message) if isinstance(m, Literal)]
        seen: set = set()
        names, solutions = answers.solutions(query)
        for solution in solutions:
            row = {n: _term(solution[n]) for n in names if solution[n] is not None}
            row.pop("target_object", None)
            row.pop("target_subject", None)
            focus = row.pop("this")
            path, value = row.pop("path", None), row.pop("value", None)
            key = (focus, path, value, tuple(sorted(row.items())))
            if key in seen:
                continue
            seen.add(key)
            value = value if value is not None else focus
            bound = dict(row)  # in pySHACL's order: the other variables, then this, path, value
            bound["this"] = focus
            if path is not None:
                bound["path"] = path
            bound["value"] = value
            r = BNode()
            triples = [(r, RDF.type, SH.ValidationResult),
                       (r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent),
                       (r, SH.sourceShape, shape), (r, SH.resultSeverity, severity), (r, SH.focusNode, focus),
                       (r, SH.value, value), (r, SH.sourceConstraint, constraint)]
            if path is not None:
                triples.append((r, SH.resultPath, path))
            texts = [Literal(_message(str(m), bound)) for m in extra if m not in shape_messages]
            texts += [Literal(_message(str(m), bound)) for m in shape_messages]
            triples += [(r, SH.resultMessage, m) for m in texts]
            for t in triples:
                report.add(t)
            if report_node is not None:
                report.add((report_node, SH.result, r))
                if severity == SH.Violation:
                    report.set((report_node, SH.conforms, Literal(False)))
            added += 1
    return added
