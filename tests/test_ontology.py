"""The ontology (ontology/asp.ttl) and the code lists (ontology/vocabularies.ttl) are well formed.

- the ontology parses and describes itself (version IRI, licence, description);
- every term of the asp: namespace it declares has an English label and comment, and is typed as
  exactly one kind of term, with domains and ranges of the right kind;
- no asp: term is used (in the ontology, the code lists, the shapes, including the text of their
  SPARQL queries, and in the built graph when one exists) without being declared;
- every concept of the code lists has an English preferred label, a notation and a scheme.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from graph.namespaces import ASP, ONTOLOGY_IRI

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "ontology" / "asp.ttl"
VOCABULARIES = ROOT / "ontology" / "vocabularies.ttl"
SHAPES = sorted((ROOT / "shapes").glob("*.ttl"))
ASP_NS = str(ASP)
XSD_NS = str(rdflib.namespace.XSD)

TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@functools.cache
def _parse(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def onto() -> rdflib.Graph:
    return _parse(ONTOLOGY)


def vocab() -> rdflib.Graph:
    return _parse(VOCABULARIES)


def declared() -> set[rdflib.URIRef]:
    g = onto()
    return {
        s for t in TERM_TYPES for s in g.subjects(RDF.type, t) if isinstance(s, rdflib.URIRef) and s.startswith(ASP_NS)
    }


def _asp_terms_used(g: rdflib.Graph) -> set[rdflib.URIRef]:
    return {
        t
        for triple in g
        for t in triple
        if isinstance(t, rdflib.URIRef) and t.startswith(ASP_NS) and t != rdflib.URIRef(ASP_NS)
    }


def _asp_terms_in_sparql(g: rdflib.Graph) -> set[rdflib.URIRef]:
    """asp: terms written in the text of SHACL-SPARQL queries (prefixed or as full IRIs)."""
    found = set()
    for text in list(g.objects(None, SH.select)) + list(g.objects(None, SH.ask)):
        for local in re.findall(r"\basp:([A-Za-z_][A-Za-z0-9_]*)", str(text)):
            found.add(ASP[local])
        for local in re.findall(re.escape(ASP_NS) + r"([A-Za-z_][A-Za-z0-9_]*)", str(text)):
            found.add(ASP[local])
    return found


# --- the ontology document ---------------------------------------------------------------------------


def test_ontology_parses_and_describes_itself():
    g = onto()
    o = rdflib.URIRef(ONTOLOGY_IRI)
    assert (o, RDF.type, OWL.Ontology) in g
    version = g.value(o, OWL.versionIRI)
    assert isinstance(version, rdflib.URIRef) and str(version).startswith(ONTOLOGY_IRI + "/")
    assert g.value(o, OWL.versionInfo) is not None
    assert str(version).endswith(str(g.value(o, OWL.versionInfo))), "versionIRI and versionInfo disagree"
    assert isinstance(g.value(o, DCTERMS.license), rdflib.URIRef)
    for p in (DCTERMS.description, DCTERMS.title, RDFS.label, RDFS.comment):
        values = list(g.objects(o, p))
        assert any(isinstance(v, rdflib.Literal) and v.language == "en" for v in values), f"ontology lacks {p}"
    assert g.value(o, DCTERMS.creator) is not None


def test_vocabularies_parse():
    assert len(vocab()) > 100


def test_the_ontology_declares_the_classes_the_contract_names():
    expected = {
        "State",
        "StatePartyMembership",
        "RegionalGroup",
        "Organ",
        "Session",
        "RegularSession",
        "ResumedSession",
        "SpecialSession",
        "ReviewConference",
        "Venue",
        "Person",
        "Mandate",
        "SeatAllocation",
        "Election",
        "Candidacy",
        "VotingRound",
        "VoteCount",
        "Resolution",
        "LegalInstrument",
        "Amendment",
        "BudgetFigure",
        "Pledge",
        "Participation",
        "Statement",
        "Source",
        "CodeList",
    }
    classes = {str(c)[len(ASP_NS) :] for c in onto().subjects(RDF.type, OWL.Class) if c.startswith(ASP_NS)}
    assert expected <= classes, f"missing classes: {sorted(expected - classes)}"


# --- every declared term -------------------------------------------------------------------------------


@pytest.mark.parametrize("term", sorted(declared()), ids=lambda t: str(t)[len(ASP_NS) :])
def test_term_has_english_label_and_comment(term):
    g = onto()
    for p in (RDFS.label, RDFS.comment):
        values = [v for v in g.objects(term, p) if isinstance(v, rdflib.Literal)]
        english = [v for v in values if v.language == "en"]
        assert english, f"{term} has no English {p}"
        assert len(english) == 1, f"{term} has {len(english)} English {p}s"
        assert str(english[0]).strip() == str(english[0]) and len(str(english[0])) > 2


@pytest.mark.parametrize("term", sorted(declared()), ids=lambda t: str(t)[len(ASP_NS) :])
def test_term_is_typed_once(term):
    g = onto()
    kinds = {t for t in TERM_TYPES if (term, RDF.type, t) in g}
    assert len(kinds) == 1, f"{term} is typed {sorted(kinds)}: expected exactly one of class or kind of property"
    local = str(term)[len(ASP_NS) :]
    if OWL.Class in kinds:
        assert local[0].isupper(), f"class {local} should be UpperCamelCase"
    else:
        assert local[0].islower(), f"property {local} should be lowerCamelCase"


def _is_datatype(t: rdflib.term.Node) -> bool:
    return isinstance(t, rdflib.URIRef) and (t.startswith(XSD_NS) or t in (RDFS.Literal, RDF.langString))


@pytest.mark.parametrize(
    "prop",
    sorted(p for p in declared() if (p, RDF.type, OWL.DatatypeProperty) in onto()),
    ids=lambda t: str(t)[len(ASP_NS) :],
)
def test_datatype_property_has_a_datatype_range(prop):
    ranges = list(onto().objects(prop, RDFS.range))
    assert len(ranges) == 1, f"{prop} should have one rdfs:range"
    assert _is_datatype(ranges[0]), f"{prop} is a DatatypeProperty with range {ranges[0]}"


@pytest.mark.parametrize(
    "prop",
    sorted(p for p in declared() if (p, RDF.type, OWL.ObjectProperty) in onto()),
    ids=lambda t: str(t)[len(ASP_NS) :],
)
def test_object_property_has_a_class_range(prop):
    ranges = list(onto().objects(prop, RDFS.range))
    assert len(ranges) == 1, f"{prop} should have one rdfs:range"
    assert not _is_datatype(ranges[0]), f"{prop} is an ObjectProperty with a datatype range {ranges[0]}"


def test_domains_ranges_and_superclasses_in_our_namespace_are_declared_classes():
    g = onto()
    classes = set(g.subjects(RDF.type, OWL.Class))
    for p in (RDFS.domain, RDFS.range, RDFS.subClassOf):
        for s, o in g.subject_objects(p):
            if isinstance(o, rdflib.URIRef) and o.startswith(ASP_NS):
                assert o in classes, f"{s} {p} {o}: {o} is not a declared class"


def test_subproperties_and_inverses_are_consistent():
    g = onto()
    props = {p for t in PROPERTY_TYPES for p in g.subjects(RDF.type, t)}
    for s, o in g.subject_objects(RDFS.subPropertyOf):
        if o.startswith(ASP_NS):
            assert o in props, f"{s} is a subproperty of undeclared {o}"
    for s, o in g.subject_objects(OWL.inverseOf):
        for p in (s, o):
            assert (p, RDF.type, OWL.ObjectProperty) in g, f"{p} has an inverse but is no ObjectProperty"
        assert set(g.objects(s, RDFS.domain)) == set(g.objects(o, RDFS.range)), f"{s} / {o}: domain != range"
        assert set(g.objects(s, RDFS.range)) == set(g.objects(o, RDFS.domain)), f"{s} / {o}: range != domain"


def test_expects_one_value_marks_properties_only():
    g = onto()
    for s, o in g.subject_objects(ASP.expectsOneValue):
        assert any((s, RDF.type, t) in g for t in (OWL.ObjectProperty, OWL.DatatypeProperty)), s
        assert o.toPython() is True, f"{s} asp:expectsOneValue {o}: only true is meaningful"
        assert (s, RDF.type, OWL.FunctionalProperty) not in g, f"{s}: sources may disagree, so not functional"


# --- no undeclared asp: terms --------------------------------------------------------------------------


def _undeclared(used: set[rdflib.URIRef]) -> list[str]:
    return sorted(str(t)[len(ASP_NS) :] for t in used - declared())


def test_ontology_uses_only_declared_terms():
    assert not _undeclared(_asp_terms_used(onto()))


def test_vocabularies_use_only_declared_terms():
    assert not _undeclared(_asp_terms_used(vocab()))


@pytest.mark.parametrize("path", SHAPES, ids=lambda p: p.name)
def test_shapes_use_only_declared_terms(path):
    g = _parse(path)
    used = _asp_terms_used(g) | _asp_terms_in_sparql(g)
    assert not _undeclared(used), f"{path.name} uses undeclared asp: terms {_undeclared(used)}"


def test_shape_fixtures_use_only_declared_terms():
    fixtures = sorted((ROOT / "tests" / "shape_fixtures").glob("*.ttl"))
    assert fixtures
    for path in fixtures:
        assert not _undeclared(_asp_terms_used(_parse(path))), path.name


def test_built_graph_uses_only_declared_terms(built_layout):
    """The real, built graph (the session fixture builds it) uses only declared asp: terms."""
    from graph.store import open_read_only

    store = open_read_only(built_layout)
    query = f"""SELECT DISTINCT ?t WHERE {{
        {{ ?t ?p ?o }} UNION {{ ?s ?t ?o }} UNION {{ ?s ?p ?t }}
        FILTER (isIRI(?t) && STRSTARTS(STR(?t), "{ASP_NS}"))
    }}"""
    used = {rdflib.URIRef(row["t"].value) for row in store.query(query)}
    used.discard(rdflib.URIRef(ASP_NS))
    assert used, "the built graph uses no asp: term at all"
    assert not _undeclared(used), f"the built graph uses undeclared asp: terms {_undeclared(used)}"


def test_sparql_term_scan_finds_terms():
    """The scan of query text works (so an empty result above means something)."""
    g = rdflib.Graph()
    g.add((rdflib.BNode(), SH.select, rdflib.Literal("SELECT $this WHERE { $this asp:noSuchTerm ?x }")))
    assert _undeclared(_asp_terms_in_sparql(g)) == ["noSuchTerm"]


# --- the code lists -------------------------------------------------------------------------------------


def _concepts() -> list[rdflib.URIRef]:
    g = vocab()
    return sorted(set(g.subjects(RDF.type, SKOS.Concept)) | set(g.subjects(RDF.type, ASP.RegionalGroup)))


def test_code_lists_have_concepts():
    assert len(_concepts()) >= 40


@pytest.mark.parametrize("concept", _concepts(), ids=lambda c: str(c).split("/id/")[-1])
def test_concept_is_labelled_and_in_a_scheme(concept):
    g = vocab()
    labels = [v for v in g.objects(concept, SKOS.prefLabel) if isinstance(v, rdflib.Literal) and v.language == "en"]
    assert len(labels) == 1, f"{concept} needs exactly one English skos:prefLabel"
    schemes = list(g.objects(concept, SKOS.inScheme))
    assert len(schemes) == 1, f"{concept} must be in exactly one scheme"
    scheme = schemes[0]
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g, f"{scheme} is not a declared skos:ConceptScheme"
    assert (concept, RDF.type, SKOS.Concept) in g, f"{concept} must be typed skos:Concept"
    notation = g.value(concept, SKOS.notation)
    assert notation is not None, f"{concept} has no skos:notation"
    assert str(concept) == f"{scheme}/{notation}", f"{concept}: IRI should be <scheme>/<notation>"


def test_schemes_are_labelled_code_lists():
    g = vocab()
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        assert (scheme, RDF.type, ASP.CodeList) in g, f"{scheme} should also be an asp:CodeList"
        assert any(v.language == "en" for v in g.objects(scheme, SKOS.prefLabel)), f"{scheme} has no English label"
        assert any(True for _ in g.subjects(SKOS.inScheme, scheme)), f"{scheme} is empty"


def test_notations_unique_within_scheme():
    g = vocab()
    seen: dict[tuple[str, str], rdflib.term.Node] = {}
    for c in _concepts():
        key = (str(g.value(c, SKOS.inScheme)), str(g.value(c, SKOS.notation)))
        assert key not in seen, f"{c} and {seen[key]} share the notation {key[1]} in {key[0]}"
        seen[key] = c


def test_regional_groups_are_the_five_un_groups():
    g = vocab()
    groups = {str(g.value(c, SKOS.notation)) for c in g.subjects(RDF.type, ASP.RegionalGroup)}
    assert groups == {"AFRICAN", "APG", "EEG", "GRULAC", "WEOG"}


def test_legal_instruments_are_labelled():
    g = vocab()
    instruments = list(g.subjects(RDF.type, ASP.LegalInstrument))
    assert len(instruments) == 3
    for i in instruments:
        assert any(v.language == "en" for v in g.objects(i, RDFS.label)), i
        assert g.value(i, SKOS.notation) is not None, i
