"""Every SHACL shape of shapes/*.ttl runs on a passing and a failing example graph.

The fixtures are tests/shape_fixtures/<ShapeName>-pass.ttl and <ShapeName>-fail.ttl, one pair for
every named sh:NodeShape (adding a shape without its fixtures fails ``test_every_shape_has_fixtures``).
Each fixture is validated together with tests/shape_fixtures/_base.ttl, a small complete graph that
conforms on its own, through ``graph.validation_core.validate_graph`` on a pyoxigraph Store, the path
the build uses.

A failing fixture lists the results it must produce as resources of type t:Expected
(t: = https://w3id.org/asp-kg/test#) with t:focus, t:shape (the node shape, whose own SPARQL
constraint or property shape fired), and optionally t:path, t:component (a constraint component),
t:constraint (a named SPARQL constraint) and t:severity ("Violation" or "Warning"). Every expected
result must be produced, and every produced result must be expected, so a fixture pins exactly which
rules it breaks. The t: triples are removed before validation.

The shapes hold for the preferred view (one value per functional fact, chosen by the ranking of
``graph/ranking.py``): FunctionalPropertyShape rejects two values of an owl:FunctionalProperty, and
every rule comparing two facts (an end date with a start date) is a violation.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS, SH

from graph.validation_core import ValidationResult, shape_files, shapes_graph, validate_graph

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "shape_fixtures"
BASE = FIXTURES / "_base.ttl"
T = rdflib.Namespace("https://w3id.org/asp-kg/test#")
ASPSH = "https://w3id.org/asp-kg/shapes#"


def _named_node_shapes() -> list[str]:
    sg = shapes_graph()
    return sorted(str(s) for s in sg.subjects(RDF.type, SH.NodeShape) if isinstance(s, rdflib.URIRef))


def _named_sparql_constraints() -> list[str]:
    sg = shapes_graph()
    return sorted(str(s) for s in sg.subjects(RDF.type, SH.SPARQLConstraint) if isinstance(s, rdflib.URIRef))


NODE_SHAPES = _named_node_shapes()
SPARQL_CONSTRAINTS = _named_sparql_constraints()


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _fixture(shape: str, kind: str) -> Path:
    return FIXTURES / f"{_local(shape)}-{kind}.ttl"


@functools.cache
def _load(path: Path) -> tuple[rdflib.Graph, list[dict]]:
    """The fixture's data (t: triples removed) and its expected results."""
    g = rdflib.Graph().parse(path, format="turtle")
    expected = []
    for e in sorted(g.subjects(RDF.type, T.Expected), key=str):
        expected.append(
            {k: g.value(e, T[k]) for k in ("focus", "shape", "path", "component", "constraint", "severity")}
        )
    for e in list(g.subjects(RDF.type, T.Expected)):
        g.remove((e, None, None))
    return g, expected


def _store(*graphs: rdflib.Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(BASE.read_bytes(), format=ox.RdfFormat.TURTLE)
    for g in graphs:
        store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


@functools.cache
def _validate(path: Path) -> tuple[bool, str, list[ValidationResult]]:
    return validate_graph(_store(_load(path)[0]))


def _matches(result: ValidationResult, exp: dict, sg: rdflib.Graph) -> bool:
    if str(exp["focus"]) != result.focus_node:
        return False
    shape = exp["shape"]
    if shape is not None:
        src = rdflib.URIRef(result.source_shape) if not result.source_shape.startswith("_:") else None
        owns = any(str(p) == result.source_shape.removeprefix("_:") for p in sg.objects(shape, SH.property))
        if not (src == shape or owns):
            return False
    if exp["path"] is not None and str(exp["path"]) != result.path:
        return False
    if exp["component"] is not None and str(exp["component"]) != result.component:
        return False
    if exp["constraint"] is not None and str(exp["constraint"]) != result.source_constraint:
        return False
    sev = str(exp["severity"]) if exp["severity"] is not None else "Violation"
    return sev == result.severity


@functools.lru_cache(maxsize=1)
def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "asp.ttl", format="turtle")


def _targets(shape: str, sg: rdflib.Graph, data: rdflib.Graph) -> set:
    """Focus nodes of a shape in one fixture's own triples."""
    s = rdflib.URIRef(shape)
    nodes: set = set()
    for cls in sg.objects(s, SH.targetClass):
        for sub in _ontology().transitive_subjects(RDFS.subClassOf, cls):
            nodes |= set(data.subjects(RDF.type, sub))
    for p in sg.objects(s, SH.targetObjectsOf):
        nodes |= set(data.objects(None, p))
    for p in sg.objects(s, SH.targetSubjectsOf):
        nodes |= set(data.subjects(p, None))
    nodes |= set(sg.objects(s, SH.targetNode))
    return nodes


# --- the base graph and the shapes themselves --------------------------------------------------------


def test_base_graph_conforms_without_warnings():
    conforms, text, results = validate_graph(_store())
    assert conforms, text
    assert results == [], text


def test_shapes_found():
    assert len(NODE_SHAPES) >= 25
    assert len(SPARQL_CONSTRAINTS) >= 12


@pytest.mark.parametrize("shape", NODE_SHAPES, ids=_local)
def test_every_shape_has_fixtures(shape):
    for kind in ("pass", "fail"):
        assert _fixture(shape, kind).exists(), f"{_local(shape)} has no fixture {_fixture(shape, kind).name}"


def test_no_fixture_without_shape():
    names = {_local(s) for s in NODE_SHAPES}
    for path in FIXTURES.glob("*.ttl"):
        if path.name.startswith("_"):
            continue
        stem = path.stem.rsplit("-", 1)
        assert len(stem) == 2 and stem[1] in ("pass", "fail"), path.name
        assert stem[0] in names, f"{path.name} is the fixture of no shape"


def test_shapes_are_documented():
    """Every named shape has a label and comment; every property shape a label and a message."""
    sg = shapes_graph()
    for s in NODE_SHAPES + SPARQL_CONSTRAINTS:
        for p in (RDFS.label, RDFS.comment):
            values = [o for o in sg.objects(rdflib.URIRef(s), p) if isinstance(o, rdflib.Literal)]
            assert any(v.language == "en" for v in values), f"{_local(s)} lacks an English {p}"
    for s in SPARQL_CONSTRAINTS:
        msgs = [str(m) for m in sg.objects(rdflib.URIRef(s), SH.message)]
        assert msgs and all("{$this}" in m for m in msgs), f"{_local(s)}: message must name {{$this}}"
        select = str(sg.value(rdflib.URIRef(s), SH.select))
        assert "$this" in select, _local(s)
        assert sg.value(rdflib.URIRef(s), SH.prefixes) is not None, _local(s)
    for owner in set(sg.subjects(SH.property, None)):
        if not isinstance(owner, rdflib.URIRef):
            continue  # the inner shape of an sh:node: its failures are reported by its owner's message
        for prop in sg.objects(owner, SH.property):
            assert sg.value(prop, RDFS.label) is not None, f"a property shape of {owner} has no rdfs:label"
            msg = sg.value(prop, SH.message)
            assert msg is not None and len(str(msg)) > 20, f"a property shape of {owner} has no sh:message"


def test_every_class_of_the_ontology_has_a_shape():
    sg = shapes_graph()
    onto = _ontology()
    targeted = set(sg.objects(None, SH.targetClass))
    asp = "https://w3id.org/asp-kg/ontology#"
    classes = {c for c in onto.subjects(RDF.type, rdflib.OWL.Class) if str(c).startswith(asp)}
    missing = sorted(str(c)[len(asp) :] for c in classes - targeted)
    assert not missing, f"classes without a node shape: {missing}"


def test_functional_property_shape_targets_every_functional_property():
    """The gate of the ranking checks every property the ontology declares owl:FunctionalProperty, so
    adding one to the ontology without adding it to the shape fails here."""
    from graph.ontology import functional_properties, ontology_quads

    sg = shapes_graph()
    targets = {str(p) for p in sg.objects(rdflib.URIRef(ASPSH + "FunctionalPropertyShape"), SH.targetSubjectsOf)}
    declared = {p.value for p in functional_properties(ontology_quads())}
    assert declared and targets == declared, (sorted(declared - targets), sorted(targets - declared))


def test_labels_are_unique_per_language():
    sg = shapes_graph()
    assert sg.value(rdflib.URIRef(ASPSH + "Label"), SH.uniqueLang).toPython() is True


@pytest.mark.parametrize(
    ("path", "code_list"),
    [
        ("https://w3id.org/asp-kg/ontology#sourceKind", "source-kind"),
        ("https://w3id.org/asp-kg/ontology#countQualifier", "count-qualifier"),
    ],
)
def test_closed_string_lists_match_the_table_schema(path, code_list):
    """The shapes check source kinds and count qualifiers with a pattern; it must list exactly the
    codes the table loader accepts (mappings/schema.py), so the two cannot drift apart."""
    from mappings.schema import LOCAL_CODES

    sg = shapes_graph()
    patterns = {str(sg.value(s, SH.pattern)) for s in sg.subjects(SH.path, rdflib.URIRef(path))} - {"None"}
    assert len(patterns) == 1, patterns
    codes = set(patterns.pop().removeprefix("^(").removesuffix(")$").split("|"))
    assert codes == set(LOCAL_CODES[code_list])


def test_every_sparql_constraint_belongs_to_a_shape():
    sg = shapes_graph()
    for c in SPARQL_CONSTRAINTS:
        owners = list(sg.subjects(SH.sparql, rdflib.URIRef(c)))
        assert owners, f"{_local(c)} is attached to no shape"


def test_shape_files_parse_on_their_own():
    for path in shape_files():
        g = rdflib.Graph().parse(path, format="turtle")
        assert len(g) > 0, path


# --- the fixtures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", NODE_SHAPES, ids=_local)
def test_pass_fixture_conforms(shape):
    path = _fixture(shape, "pass")
    if not path.exists():
        pytest.fail(f"missing {path.name}")
    data, expected = _load(path)
    assert not expected, f"{path.name} is a passing example: it must not declare t:Expected results"
    assert _targets(shape, shapes_graph(), data), f"{path.name} holds no focus node of {_local(shape)}"
    conforms, text, results = _validate(path)
    assert conforms and not results, f"{path.name} must conform without warnings:\n{text}"


def _check_results(path: Path, expected: list[dict], text: str, results: list[ValidationResult]) -> None:
    """Every expected result is produced, every produced result is expected, and each says in words
    what is wrong with which resource."""
    sg = shapes_graph()
    for e in expected:
        assert any(_matches(r, e, sg) for r in results), (
            f"{path.name}: expected { ({k: str(v) for k, v in e.items() if v is not None}) } but got:\n{text}"
        )
    for r in results:
        assert any(_matches(r, e, sg) for e in expected), f"{path.name}: unexpected result {r}\n{text}"
        # the result names the resource and says in words what is wrong
        assert r.focus_node in r.text
        assert r.message and "Value does not" not in r.message, f"{path.name}: no sh:message for {r}"
        if r.component == str(SH.SPARQLConstraintComponent):
            assert r.focus_node in r.message, f"{path.name}: the message must name {r.focus_node}: {r.message}"
            assert "{" not in r.message, f"{path.name}: unsubstituted placeholder in {r.message}"


@pytest.mark.parametrize("shape", NODE_SHAPES, ids=_local)
def test_fail_fixture_fires_the_shape(shape):
    path = _fixture(shape, "fail")
    if not path.exists():
        pytest.fail(f"missing {path.name}")
    sg = shapes_graph()
    _data, expected = _load(path)
    assert expected, f"{path.name} declares no t:Expected result"
    assert any(str(e["shape"]) == shape for e in expected), f"{path.name} expects nothing of {_local(shape)}"
    conforms, text, results = _validate(path)
    if any(str(e["severity"] or "Violation") == "Violation" for e in expected):
        assert not conforms, text
    _check_results(path, expected, text, results)
    assert any(r.node_shape == shape or r.source_shape == shape for r in results) or any(
        _matches(r, e, sg) for r in results for e in expected if str(e["shape"]) == shape
    )


def test_every_sparql_constraint_fires_in_some_fixture():
    fired: set[str] = set()
    for shape in NODE_SHAPES:
        path = _fixture(shape, "fail")
        if path.exists():
            fired |= {r.source_constraint for r in _validate(path)[2] if r.source_constraint}
    missing = sorted(_local(c) for c in SPARQL_CONSTRAINTS if c not in fired)
    assert not missing, f"SPARQL constraints no failing fixture exercises: {missing}"


# --- validate_graph on the other inputs ----------------------------------------------------------------


def test_validate_graph_accepts_rdflib_graph_and_path():
    g = rdflib.Graph().parse(BASE, format="turtle")
    assert validate_graph(g)[0]
    assert validate_graph(BASE)[0]
    fail = _fixture(ASPSH + "SessionShape", "fail")
    data, _ = _load(fail)
    assert not validate_graph(data + g)[0]


def test_validate_graph_leaves_the_store_alone():
    store = _store()
    before = len(store)
    validate_graph(store)
    assert len(store) == before


def test_conflicting_sources_in_named_graphs():
    """Two sources state different end dates in their own graphs. Validated unranked (the union of the
    graphs, as ``aspkg validate`` reads a TriG file of claims), the session has two end dates: the
    functional-property gate names both. Once one graph's claim is gone (as the preferred view keeps
    one value), it conforms; and a lone end date before the start is a violation naming both dates."""
    store = _store()
    sess = ox.NamedNode("https://w3id.org/asp-kg/id/session/22")
    end = ox.NamedNode("https://w3id.org/asp-kg/ontology#endDate")
    date = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    g1 = ox.NamedNode("https://w3id.org/asp-kg/id/source/a")
    g2 = ox.NamedNode("https://w3id.org/asp-kg/id/source/b")
    for q in list(store.quads_for_pattern(sess, end, None, None)):
        store.remove(q)
    store.add(ox.Quad(sess, end, ox.Literal("2023-12-12", datatype=date), g1))
    store.add(ox.Quad(sess, end, ox.Literal("2023-12-15", datatype=date), g2))
    conforms, text, results = validate_graph(store)
    assert not conforms, text
    [r] = results
    assert r.source_constraint == ASPSH + "OneValuePerFunctionalProperty"
    assert "2023-12-12" in r.message and "2023-12-15" in r.message and r.path == end.value
    store.remove(ox.Quad(sess, end, ox.Literal("2023-12-15", datatype=date), g2))
    conforms, text, results = validate_graph(store)
    assert conforms and not results, text
    store.remove(ox.Quad(sess, end, ox.Literal("2023-12-12", datatype=date), g1))
    store.add(ox.Quad(sess, end, ox.Literal("2023-12-01", datatype=date), g1))
    conforms, text, results = validate_graph(store)
    assert not conforms
    [r] = [r for r in results if r.severity == "Violation"]
    assert r.source_constraint == ASPSH + "SessionEndsOnOrAfterStart"
    assert r.message == (
        "Session https://w3id.org/asp-kg/id/session/22 ends on 2023-12-01, before it starts (2023-12-04)"
    )
