"""The shapes' simple core constraints, each run as one SPARQL query over the whole store.

pySHACL checks a property shape node by node: for every focus node it reads the values through
Python and tests each constraint, about a hundred microseconds per focus node and constraint. On a
graph ten times ours that is most of the build. The constraints that say something about each value
of one predicate on its own (count, datatype, class, range, pattern, node kind, a fixed value, a
closed list, languages, and an sh:or of such simple members) are set-at-a-time questions, so each
becomes one query: the shape's focus nodes joined with the offending values (the counts of all the
property shapes of one node shape's focus nodes share one query). The rest (sh:node, qualified
shapes, sh:uniqueLang, complex paths) stays with pySHACL (sh:node and sh:uniqueLang only where
``validation_prechecked`` finds they could fail).

A property shape is compiled only where the result cannot depend on the context pySHACL would
evaluate it in: every node shape that owns it has targets, none of them (nor the property shape) is
evaluated inside another shape (through sh:node, sh:or, ...), its path is one IRI, and it has its own
sh:message, so the result's words are the shape's and not pySHACL's generic ones. A property shape
shared by several node shapes is evaluated once per owner, as pySHACL does. The results are written
as pySHACL writes them (``ConstraintComponent.make_v_result``): the same focus node, value (none for
the count and sh:hasValue components), path, source shape, component, severity and messages;
``tests/test_validation_split.py`` compares the reports on every fixture and on the real graph.

A datatype check also needs the lexical form to be valid for the datatype (pySHACL asks rdflib): the
distinct literals of the right datatype are few, so they are checked in Python, with the same test
pySHACL applies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from graph.validation_answers import Answers
from graph.validation_sparql import _targets, _term

VALUES = "?VALUES_OF_THE_ILL_TYPED?"
REFERRING = (SH.node, SH["or"], SH["and"], SH.xone, SH["not"], SH.qualifiedValueShape)
COMPARISONS = {SH.minInclusive: ">=", SH.minExclusive: ">", SH.maxInclusive: "<=", SH.maxExclusive: "<"}
NODE_KINDS = {
    SH.IRI: "isIRI(?v)", SH.Literal: "isLiteral(?v)", SH.BlankNode: "isBlank(?v)",
    SH.BlankNodeOrIRI: "(isBlank(?v) || isIRI(?v))", SH.BlankNodeOrLiteral: "(isBlank(?v) || isLiteral(?v))",
    SH.IRIOrLiteral: "(isIRI(?v) || isLiteral(?v))",
}
COMPONENTS = {
    SH.minCount: SH.MinCountConstraintComponent, SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent, SH["class"]: SH.ClassConstraintComponent,
    SH.pattern: SH.PatternConstraintComponent, SH.hasValue: SH.HasValueConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent, SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent, SH.minExclusive: SH.MinExclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent, SH.maxExclusive: SH.MaxExclusiveConstraintComponent,
    SH["or"]: SH.OrConstraintComponent, SH.languageIn: SH.LanguageInConstraintComponent,
}


@dataclass(frozen=True)
class Compiled:
    """One constraint of one property shape, and the query that finds what breaks it."""

    shape: rdflib.term.Node
    path: URIRef
    parameter: URIRef
    value: rdflib.term.Node
    query: str
    severity: URIRef
    messages: tuple[Literal, ...]
    typed: str | None = None  # sh:datatype: the distinct literals of the datatype, to check in Python
    typed_rows: str | None = None  # ... and where the ill-typed ones among them are (VALUES filled in)
    # sh:minCount and sh:maxCount: one query for all the property shapes of a node shape's focus
    # nodes (``_counts_by_focus``) counts ?n values of each focus node and path; each constraint keeps
    # the rows of its own path and bounds (``counted``: path, least, most) that its own bound rejects.
    count: tuple[str, int] | None = None
    counted: tuple[str, int, int] | None = None
    focus: str = ""


NO_MOST = 1 << 62  # a property shape with a sh:minCount but no sh:maxCount


# every parameter of a constraint component pySHACL knows (SHACL Core and SHACL-SPARQL)
PARAMETERS = {
    SH[n] for n in ("class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive",
                    "maxExclusive", "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang",
                    "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node",
                    "property", "qualifiedValueShape", "closed", "hasValue", "in", "sparql")
}


def _sparql(term: rdflib.term.Node) -> str:
    return term.n3()


def _owners(sg: rdflib.Graph) -> dict[rdflib.term.Node, list[rdflib.term.Node]]:
    owners: dict[rdflib.term.Node, list[rdflib.term.Node]] = {}
    for node_shape, prop in sg.subject_objects(SH.property):
        owners.setdefault(prop, []).append(node_shape)
    return owners


def _referred(sg: rdflib.Graph) -> set[rdflib.term.Node]:
    """Shapes another shape evaluates in its own context (sh:node, members of sh:or lists, ...)."""
    found: set[rdflib.term.Node] = set()
    for p in REFERRING:
        for o in sg.objects(None, p):
            found.add(o)
            if (o, RDF.first, None) in sg:
                found.update(rdflib.collection.Collection(sg, o))
    return found


def top_level(sg: rdflib.Graph) -> Iterator[tuple[rdflib.term.Node, list[rdflib.term.Node], rdflib.term.Node]]:
    """(property shape, its active owners, path) for every active property shape that pySHACL evaluates
    only as a part of its owners, each of which has targets and is evaluated inside no other shape:
    its focus nodes are its owners' targets, whatever the context."""
    referred = _referred(sg)
    for prop, owners in sorted(_owners(sg).items(), key=lambda kv: str(kv[0])):
        if prop in referred or any(o in referred or not _targets(sg, o) for o in owners):
            continue
        if sg.value(prop, SH.deactivated) == Literal(True):
            continue
        active = [o for o in sorted(owners, key=str) if sg.value(o, SH.deactivated) != Literal(True)]
        yield prop, active, sg.value(prop, SH.path)  # type: ignore[misc]


def focus_query(sg: rdflib.Graph, node_shape: rdflib.term.Node) -> str:
    """A query for the node shape's focus nodes, as ?this."""
    focus = " UNION ".join(f"{{ {t} }}" for t in _targets(sg, node_shape))
    return f"SELECT DISTINCT ?this WHERE {{ {focus} }}"


def compilable(sg: rdflib.Graph) -> Iterator[tuple[rdflib.term.Node, rdflib.term.Node, URIRef]]:
    """(node shape, property shape, path) for every property shape this module may take over: a
    top-level one (``top_level``) whose path is one IRI, with a message of its own."""
    for prop, owners, path in top_level(sg):
        if not isinstance(path, URIRef):
            continue
        if not any(isinstance(m, Literal) for m in sg.objects(prop, SH.message)):
            continue
        for node_shape in owners:  # pySHACL evaluates a shared property shape per owner
            yield node_shape, prop, path


def drop_idle(sg: rdflib.Graph) -> rdflib.Graph:
    """The shapes graph without node shapes left with targets but nothing to check (their constraints
    compiled or run as whole-graph SPARQL): pySHACL would still look up every focus node of them."""
    referred = _referred(sg)
    idle = {shape for shape in set(sg.subjects(RDF.type, SH.NodeShape))
            if shape not in referred and not any(p in PARAMETERS for p in sg.predicates(shape))}
    out = rdflib.Graph()
    for prefix, ns in sg.namespaces():
        out.bind(prefix, ns)
    for t in sg:
        if t[0] not in idle:
            out.add(t)
    return out


def _value_test(sg: rdflib.Graph, parameter: URIRef, value: rdflib.term.Node) -> str | None:
    """A FILTER expression true for an offending value ``?v`` (None: not compiled)."""
    if parameter in COMPARISONS:
        return f"!COALESCE(?v {COMPARISONS[parameter]} {_sparql(value)}, false)"
    if parameter == SH.nodeKind and isinstance(value, URIRef) and value in NODE_KINDS:
        return f"!{NODE_KINDS[value]}"
    if parameter == SH.languageIn:
        wanted = [str(m).lower() for m in rdflib.collection.Collection(sg, value)]
        if not all(isinstance(m, Literal) for m in rdflib.collection.Collection(sg, value)):
            return None
        tagged = 'isLiteral(?v) && lang(?v) != ""'
        if "*" in wanted:
            return f"!({tagged})"
        listed = ", ".join(_sparql(Literal(w)) for w in wanted) or '""'
        # pySHACL: the whole tag or its first subtag, case-insensitively
        first = 'LCASE(STRBEFORE(CONCAT(lang(?v), "-"), "-"))'
        return f"!({tagged} && (LCASE(lang(?v)) IN ({listed}) || {first} IN ({listed})))"
    if parameter == SH["in"]:
        members = list(rdflib.collection.Collection(sg, value))
        if not members:
            return "true"
        return "!(" + " || ".join(f"sameTerm(?v, {_sparql(m)})" for m in members) + ")"
    return None


def compile_shapes(sg: rdflib.Graph) -> tuple[list[Compiled], rdflib.Graph]:
    """The compiled constraints, and the shapes graph without them (what pySHACL still checks)."""
    compiled: list[Compiled] = []
    taken: set[tuple] = set()
    for node_shape, prop, path in compilable(sg):
        head = focus_query(sg, node_shape)
        p = _sparql(path)
        severity = sg.value(prop, SH.severity)
        messages = tuple(sorted((m for m in sg.objects(prop, SH.message) if isinstance(m, Literal)), key=str))
        common = {"shape": prop, "path": path, "messages": messages,
                  "severity": severity if isinstance(severity, URIRef) else SH.Violation}
        for parameter in COMPONENTS:
            for value in sg.objects(prop, parameter):
                query = _query(sg, head, p, parameter, value, prop)
                if query is None:
                    continue
                typed: dict[str, str] = {}
                pattern = f"{{ {head} }} ?this {p} ?v"
                if parameter == SH.datatype:
                    only_typed: str | None = f"isLiteral(?v) && datatype(?v) = {_sparql(value)}"
                elif parameter == SH["or"]:
                    tests = _alternatives(sg, value) or []
                    by_type = " || ".join(t for t, is_dt in tests if is_dt)
                    other = " || ".join(t for t, is_dt in tests if not is_dt) or "false"
                    only_typed = f"({by_type}) && !({other})" if by_type else None
                else:
                    only_typed = None
                if only_typed is not None:  # values that pass only by their datatype: is the lexical form valid?
                    typed = {"typed": f"SELECT DISTINCT ?v WHERE {{ {pattern} FILTER({only_typed}) }}",
                             "typed_rows": f"SELECT ?this ?v WHERE {{ VALUES ?v {{ {VALUES} }} {pattern} }}"}
                bound = _count(value)
                made = Compiled(parameter=parameter, value=value, query=query, **common, **typed)  # type: ignore[arg-type]
                if bound is not None and parameter in (SH.minCount, SH.maxCount):
                    least = [n for n in map(_count, sg.objects(prop, SH.minCount)) if n is not None]
                    most = [n for n in map(_count, sg.objects(prop, SH.maxCount)) if n is not None]
                    made = replace(made, count=("<" if parameter == SH.minCount else ">", bound), focus=head,
                                   counted=(p, max(least, default=0), min(most, default=NO_MOST)))
                compiled.append(made)
                taken.add((prop, parameter, value))
    patterned = {k[0] for k in taken if k[1] == SH.pattern}
    taken |= {(s, SH.flags, o) for s, o in sg.subject_objects(SH.flags) if s in patterned}
    emptied = {prop for _, prop, _ in compilable(sg)
               if not any(p in PARAMETERS and (prop, p, o) not in taken for p, o in sg.predicate_objects(prop))}
    residual = rdflib.Graph()
    for prefix, ns in sg.namespaces():
        residual.bind(prefix, ns)
    for t in sg:
        if t in taken or t[0] in emptied or (t[1] == SH.property and t[2] in emptied):
            continue  # an emptied property shape would still cost pySHACL a lookup per focus node
        residual.add(t)
    return _counts_by_focus(compiled), residual


def _counts_by_focus(compiled: list[Compiled]) -> list[Compiled]:
    """The count constraints of all the property shapes of one node shape's focus nodes as one
    query: the focus nodes are found once, not once per property shape (at 100x, 4.6 against 6.9 s
    for 27 queries instead of 87). Each group of ?this, path and bounds counts the values, as each
    property shape's own query did.

    Plain ``COUNT(?v)``: ``?p`` is bound by ``VALUES``, so it is one predicate, never a path, and a
    graph holds each triple once, so the values of one ``?this`` and ``?p`` are distinct already; a
    hash set of them per group cost a fifth of these queries' time (0.50 against 0.39 s for the 27
    queries of the 20-claims benchmark)."""
    bounds: dict[str, set[tuple[str, int, int]]] = {}
    for c in compiled:
        if c.counted is not None:
            bounds.setdefault(c.focus, set()).add(c.counted)
    queries = {}
    for focus, rows in bounds.items():
        values = " ".join(f"({p} {least} {most})" for p, least, most in sorted(rows))
        queries[focus] = (
            f"SELECT ?this ?p ?least ?most (COUNT(?v) AS ?n) WHERE {{ {{ {focus} }} "
            f"VALUES (?p ?least ?most) {{ {values} }} OPTIONAL {{ ?this ?p ?v }} }} "
            "GROUP BY ?this ?p ?least ?most HAVING (COUNT(?v) < ?least || COUNT(?v) > ?most)")
    return [replace(c, query=queries[c.focus]) if c.counted is not None else c for c in compiled]


def _query(sg: rdflib.Graph, head: str, p: str, parameter: URIRef, value: rdflib.term.Node,
           prop: rdflib.term.Node) -> str | None:
    focus = f"{{ {head} }}"
    if parameter in (SH.minCount, SH.maxCount):
        if _count(value) is None:
            return None
        least = [n for n in map(_count, sg.objects(prop, SH.minCount)) if n is not None]
        most = [n for n in map(_count, sg.objects(prop, SH.maxCount)) if n is not None]
        outside = ([f"COUNT(DISTINCT ?v) < {max(least)}"] if least else []) + (
            [f"COUNT(DISTINCT ?v) > {min(most)}"] if most else [])
        return (f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }} "
                f"GROUP BY ?this HAVING ({' || '.join(outside)})")
    if parameter == SH.hasValue:
        return f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {p} {_sparql(value)} }} }}"
    if parameter == SH.datatype:
        if not isinstance(value, URIRef) or value in (RDFS.Literal, RDFS.Datatype):
            return None
        wrong = f"!isLiteral(?v) || datatype(?v) != {_sparql(value)}"
        return f"SELECT ?this ?v WHERE {{ {focus} ?this {p} ?v FILTER({wrong}) }}"
    if parameter == SH["class"]:
        return (f"SELECT ?this ?v WHERE {{ {focus} ?this {p} ?v . OPTIONAL {{ ?v <{RDF.type}>/<{RDFS.subClassOf}>* "
                f"{_sparql(value)} . BIND(true AS ?ok) }} FILTER(!BOUND(?ok)) }}")
    if parameter == SH.pattern:
        flags = sg.value(prop, SH.flags)
        options = f", {_sparql(Literal(str(flags)))}" if flags else ""
        regex = f"REGEX(STR(?v), {_sparql(Literal(str(value)))}{options})"
        return f"SELECT ?this ?v WHERE {{ {focus} ?this {p} ?v FILTER(isBlank(?v) || !{regex}) }}"
    if parameter == SH["or"]:
        tests = _alternatives(sg, value)
        if tests is None:
            return None
        passes = " || ".join(t for t, _ in tests) or "false"
        return f"SELECT ?this ?v WHERE {{ {focus} ?this {p} ?v FILTER(!({passes})) }}"
    test = _value_test(sg, parameter, value)
    if test is None:
        return None
    return f"SELECT ?this ?v WHERE {{ {focus} ?this {p} ?v FILTER({test}) }}"


def _count(value: rdflib.term.Node) -> int | None:
    return value.toPython() if isinstance(value, Literal) and isinstance(value.toPython(), int) else None


def _alternatives(sg: rdflib.Graph, members: rdflib.term.Node) -> list[tuple[str, bool]] | None:
    """For an sh:or whose members each hold one sh:class, sh:datatype or sh:nodeKind and nothing
    else: a test per member that ``?v`` passes it, and whether the test is a datatype's (which
    also needs the lexical form checked). None when a member is anything more."""
    out = []
    for m in rdflib.collection.Collection(sg, members):
        if not isinstance(m, BNode):
            return None
        params = [(p, o) for p, o in sg.predicate_objects(m) if p not in (RDF.type, RDFS.label, RDFS.comment)]
        if len(params) != 1:
            return None
        p, o = params[0]
        if p == SH["class"]:
            out.append((f"EXISTS {{ ?v <{RDF.type}>/<{RDFS.subClassOf}>* {_sparql(o)} }}", False))
        elif p == SH.datatype and isinstance(o, URIRef) and o not in (RDFS.Literal, RDFS.Datatype):
            out.append((f"(isLiteral(?v) && datatype(?v) = {_sparql(o)})", True))
        elif p == SH.nodeKind and isinstance(o, URIRef) and o in NODE_KINDS:
            out.append((NODE_KINDS[o], False))
        else:
            return None
    return out


def _well_typed(v: rdflib.term.Node, datatype: URIRef) -> bool:
    """pySHACL's datatype test for a literal whose datatype is the expected one: rdflib must find its
    lexical form valid, and its Python value of the kind pySHACL expects."""
    from decimal import Decimal

    if not isinstance(v, Literal):
        return False
    lit = Literal(str(v), lang=v.language, datatype=datatype) if not v.language else v
    if getattr(lit, "ill_typed", None) is True:
        return False
    expected = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: (int,), XSD.float: (float,),
                XSD.decimal: (Decimal,), XSD.boolean: (bool,), XSD.date: (date,), XSD.time: (time,),
                XSD.dateTime: (datetime,)}
    kinds = expected.get(datatype)
    return kinds is None or isinstance(lit.value, kinds)


def queries(compiled: list[Compiled]) -> list[str]:
    """Every query ``run`` asks (but the rare one for ill-typed literals), to be answered ahead
    (``validation_answers``)."""
    return [q for c in compiled for q in (c.query, c.typed) if q is not None]


def _rows(answers: Answers, c: Compiled) -> Iterator[ox.QuerySolution]:
    rows = answers.solutions(c.query).rows
    if c.count is not None and c.counted is not None:  # a shared query: each keeps its own rows
        op, bound = c.count
        path, least, most = c.counted
        yield from (s for s in rows
                    if str(s["p"]) == path and int(s["least"].value) == least  # type: ignore[union-attr]
                    and int(s["most"].value) == most  # type: ignore[union-attr]
                    and (int(s["n"].value) < bound if op == "<" else int(s["n"].value) > bound))  # type: ignore[union-attr]
        return
    yield from rows
    if c.typed is None or c.typed_rows is None:
        return
    def expected(v: ox.Literal) -> URIRef:
        return c.value if c.parameter == SH.datatype else URIRef(v.datatype.value)  # type: ignore[return-value]

    bad = [s["v"] for s in answers.solutions(c.typed).rows
           if not _well_typed(_term(s["v"]), expected(s["v"]))]  # type: ignore[union-attr, arg-type]
    if bad:
        yield from answers.solutions(c.typed_rows.replace(VALUES, " ".join(str(v) for v in bad))).rows


def run(answers: Answers, compiled: list[Compiled], report: rdflib.Graph) -> int:
    """Evaluate the compiled constraints and write their results into pySHACL's ``report``."""
    report_node = report.value(None, RDF.type, SH.ValidationReport)
    added = 0
    for c in compiled:
        component = COMPONENTS[c.parameter]
        with_value = c.parameter not in (SH.minCount, SH.maxCount, SH.hasValue)
        for solution in _rows(answers, c):
            focus = _term(solution["this"])
            value = _term(solution["v"]) if with_value else None
            r = BNode()
            triples = [(r, RDF.type, SH.ValidationResult), (r, SH.sourceConstraintComponent, component),
                       (r, SH.sourceShape, c.shape), (r, SH.resultSeverity, c.severity), (r, SH.focusNode, focus),
                       (r, SH.resultPath, c.path)]
            if value is not None:
                triples.append((r, SH.value, value))
            triples += [(r, SH.resultMessage, m) for m in c.messages]
            for t in triples:
                report.add(t)
            if report_node is not None:
                report.add((report_node, SH.result, r))
                if c.severity == SH.Violation:
                    report.set((report_node, SH.conforms, Literal(False)))
            added += 1
    return added
