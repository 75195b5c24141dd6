"""The constraints pySHACL still checks node by node (sh:node, sh:uniqueLang), first asked of the
whole store, one query each.

pySHACL checks an sh:node by validating every value node against the inner shape through Python
(a shape lookup, a scan of every constraint parameter, the inner constraints): about fifty
microseconds a value, most of what pySHACL still does on the hundredfold benchmark. A constraint
that yields no result can be left out of pySHACL's run without changing the report, and the build's
graph conforms. So each of these constraints is first put to the store as queries that find every
focus node where it could fail; they may find more than pySHACL would (a value whose inner shape
they cannot rule on counts as failing), never less. Only a constraint whose queries find something
stays in the shapes pySHACL is given, which then reports it in its own words, as always.

Only top-level property shapes are prechecked (``validation_compiled.top_level``): their focus nodes
are their owners' targets, in any context. The inner shape of an sh:node must be property shapes
of simple core constraints that ``validation_compiled`` knows how to query; anything else stays
with pySHACL as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import rdflib
from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from graph.validation_answers import Answers
from graph.validation_compiled import COMPONENTS, PARAMETERS, _query, _well_typed, drop_idle, focus_query, top_level
from graph.validation_sparql import _term

Triple = tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]


@dataclass(frozen=True)
class Precheck:
    """One constraint (the triple that states it), and what finds where it could fail."""

    constraint: Triple
    queries: tuple[str, ...]  # any solution is a possible failure
    typed: tuple[tuple[str, URIRef], ...] = ()  # (distinct ?v of the datatype, datatype): lexical forms to check


def sparql_path(sg: rdflib.Graph, path: rdflib.term.Node) -> str | None:
    """A SHACL path as a SPARQL property path with the same value nodes (None: not translated)."""
    if isinstance(path, URIRef):
        return path.n3()
    if (path, RDF.first, None) in sg:
        steps = [sparql_path(sg, m) for m in Collection(sg, path)]
        return None if not steps or None in steps else "(" + "/".join(steps) + ")"  # type: ignore[arg-type]
    alternatives = sg.value(path, SH.alternativePath)
    if alternatives is not None:
        members = [sparql_path(sg, m) for m in Collection(sg, alternatives)]
        return None if not members or None in members else "(" + "|".join(members) + ")"  # type: ignore[arg-type]
    inverse = sg.value(path, SH.inversePath)
    if inverse is not None:
        inner = sparql_path(sg, inverse)
        return f"^{inner}" if inner else None
    return None


Found = tuple[list[str], list[tuple[str, URIRef]]]  # queries, and typed literals' queries (see Precheck)


def _conforming(sg: rdflib.Graph, values: str, shape: rdflib.term.Node) -> Found | None:
    """What finds the ``values`` (a query binding ?this) that may not conform to node shape ``shape``;
    None when the shape holds anything but property shapes of simple constraints."""
    if sg.value(shape, SH.deactivated) is not None:
        return None
    if any(p in PARAMETERS and p != SH.property for p in sg.predicates(shape)):
        return None
    queries: list[str] = []
    typed: list[tuple[str, URIRef]] = []
    for prop in sg.objects(shape, SH.property):
        path = sg.value(prop, SH.path)
        if not isinstance(path, URIRef) or sg.value(prop, SH.deactivated) is not None:
            return None
        for parameter, value in sg.predicate_objects(prop):
            if parameter not in PARAMETERS:
                continue
            if not isinstance(parameter, URIRef) or parameter not in COMPONENTS or parameter == SH["or"]:
                return None
            query = _query(sg, values, path.n3(), parameter, value, prop)
            if query is None:
                return None
            queries.append(query)
            if parameter == SH.datatype and isinstance(value, URIRef):
                typed.append((f"SELECT DISTINCT ?v WHERE {{ {{ {values} }} ?this {path.n3()} ?v "
                              f"FILTER(isLiteral(?v) && datatype(?v) = {value.n3()}) }}", value))
    return list(dict.fromkeys(queries)), typed


def _unique_lang(path: str) -> str:
    """Any node, focus node or not, with two values of one language tag (compared as pySHACL does:
    lower-cased). One query for all the owners: starting from each owner's focus nodes would not
    make it cheaper, as the engine joins the values first."""
    return (f"SELECT ?this WHERE {{ ?this {path} ?a . ?this {path} ?b "
            'FILTER(isLiteral(?a) && isLiteral(?b) && lang(?a) != "" && LCASE(lang(?a)) = LCASE(lang(?b)) '
            "&& !sameTerm(?a, ?b)) }")


def prechecks(sg: rdflib.Graph) -> list[Precheck]:
    """A precheck for every sh:node and sh:uniqueLang of a top-level property shape that can have one
    (an sh:node's queries start from each owner's focus nodes; uniqueLang's one query from none)."""
    out: list[Precheck] = []
    for prop, owners, path in top_level(sg):
        p = sparql_path(sg, path)
        if p is None or not owners:
            continue
        for inner in sg.objects(prop, SH.node):
            # the value nodes, as ?this, of each owner's focus nodes
            parts = [_conforming(sg, f"SELECT DISTINCT ?this WHERE {{ {{ SELECT DISTINCT (?this AS ?focus) WHERE "
                                     f"{{ {{ {focus_query(sg, o)} }} }} }} ?focus {p} ?this }}", inner)
                     for o in owners]
            found = [part for part in parts if part is not None]
            if len(found) == len(parts):
                out.append(Precheck((prop, SH.node, inner), tuple(q for queries, _ in found for q in queries),
                                    tuple(t for _, typed in found for t in typed)))
        for flag in sg.objects(prop, SH.uniqueLang):
            if flag == Literal(True):
                out.append(Precheck((prop, SH.uniqueLang, flag), (_unique_lang(p),)))
    return out


def queries(checks: Iterable[Precheck]) -> list[str]:
    """Every query the prechecks ask, to be answered ahead (``validation_answers``)."""
    return [q for c in checks for q in (*c.queries, *(t for t, _ in c.typed))]


def _may_fail(answers: Answers, check: Precheck) -> bool:
    if any(answers.solutions(query).rows for query in check.queries):
        return True
    for query, datatype in check.typed:
        if not all(_well_typed(_term(s["v"]), datatype) for s in answers.solutions(query).rows):  # type: ignore[arg-type]
            return True
    return False


def passed(answers: Answers, checks: Iterable[Precheck]) -> frozenset[Triple]:
    """The constraints that cannot fail on the store's data."""
    return frozenset(c.constraint for c in checks if not _may_fail(answers, c))


def without(sg: rdflib.Graph, constraints: frozenset[Triple]) -> rdflib.Graph:
    """The shapes graph less ``constraints``; a property shape left with nothing to check goes too
    (pySHACL would still read every focus node's values for it), and so does a node shape left idle."""
    if not constraints:
        return sg
    out = rdflib.Graph()
    for prefix, ns in sg.namespaces():
        out.bind(prefix, ns)
    for t in sg:
        if t not in constraints:
            out.add(t)
    emptied = {s for s, _, _ in constraints if not any(p in PARAMETERS for p in out.predicates(s))}
    for prop in emptied:
        out.remove((prop, None, None))
        out.remove((None, SH.property, prop))
    return drop_idle(out)
