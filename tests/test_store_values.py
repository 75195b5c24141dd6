"""``bind_values``: bound values as a VALUES block, placed where the WHERE group opens and escaped so
that no value can add syntax of its own; and the same answers as pyoxigraph's substitutions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.term import BNode, Literal, URIRef

from api.sparql.canned import canned_queries
from api.store.embedded import EmbeddedRepository
from api.store.values import bind_values, sparql_term
from graph.settings import Settings
from graph.store import Layout

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "http://example.org/"
HOSTILE = ['} ; DROP ALL #', '" } } INSERT DATA { <a> <b> <c> } #', "\\", '\\"', "a\nb\rc\td", "\x00\x07\x1b\x7f\x85",
           '"""', "'''", "\\u0022 } #", "é ☃ 𝄞", "", " ", "#", "<http://x>", "?x", "$x", "@en", "^^"]


def run(query: str) -> list[ox.QuerySolution]:
    """The query evaluated by pyoxigraph on an empty store: the real parser decides what the text means."""
    return list(ox.Store().query(query))  # type: ignore[arg-type]


def bound(term) -> ox.NamedNode | ox.Literal:
    (row,) = run(bind_values("SELECT ?x WHERE { }", {"x": term}))
    return row["x"]


# --- where the block goes --------------------------------------------------------------------------


@pytest.mark.parametrize("query, expected", [
    ("SELECT * WHERE { ?x ?p ?o }", "SELECT * WHERE { VALUES (?x) { (<http://example.org/a>) }  ?x ?p ?o }"),
    ("SELECT * { ?x ?p ?o }", "SELECT * { VALUES (?x) { (<http://example.org/a>) }  ?x ?p ?o }"),
    ("ASK{?x ?p ?o}", "ASK{ VALUES (?x) { (<http://example.org/a>) } ?x ?p ?o}"),
    ("select * where{?x ?p ?o}", "select * where{ VALUES (?x) { (<http://example.org/a>) } ?x ?p ?o}"),
    ("CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o }",
     "CONSTRUCT { ?x ?p ?o } WHERE { VALUES (?x) { (<http://example.org/a>) }  ?x ?p ?o }"),
    ("DESCRIBE ?x WHERE { ?x ?p ?o }", "DESCRIBE ?x WHERE { VALUES (?x) { (<http://example.org/a>) }  ?x ?p ?o }"),
])
def test_the_block_opens_the_where_group(query: str, expected: str) -> None:
    assert bind_values(query, {"x": URIRef(EX + "a")}) == expected


def test_braces_in_iris_strings_comments_and_the_prologue_are_not_the_where_group() -> None:
    query = ('PREFIX ex: <http://example.org/> # SELECT * WHERE { not here\n'
             'SELECT ?x (EXISTS { ?x ?p "{" } AS ?e) (STR("WHERE {") AS ?s) # WHERE {\n'
             "WHERE { { SELECT ?x WHERE { ?x ?p ?o } } } VALUES ?y { 1 }")
    out = bind_values(query, {"x": URIRef(EX + "a")})
    assert out.index(" VALUES (?x)") == query.index("WHERE { {") + len("WHERE {")
    assert len(run(out)) == 0  # parses: the block is where a group may start


def test_construct_template_is_never_the_place() -> None:
    out = bind_values("CONSTRUCT { ?x <http://p> ?o } WHERE { ?x ?q ?o }", {"x": URIRef(EX + "a")})
    assert out.startswith("CONSTRUCT { ?x <http://p> ?o } WHERE { VALUES")


@pytest.mark.parametrize("query", ["CONSTRUCT WHERE { ?x ?p ?o }", "DESCRIBE <http://example.org/a>",
                                   "PREFIX ex: <http://e/>", ""])
def test_queries_without_a_place_for_the_block_are_refused(query: str) -> None:
    with pytest.raises(ValueError):
        bind_values(query, {"x": URIRef(EX + "a")})


def test_no_bindings_leave_the_query_as_it_is() -> None:
    assert bind_values("SELECT * {}", {}) == "SELECT * {}"


@pytest.mark.parametrize("name", ["x y", "?x", "x)", "", "x}"])
def test_variable_names_are_checked(name: str) -> None:
    with pytest.raises(ValueError):
        bind_values("SELECT * {}", {name: URIRef(EX + "a")})


# --- terms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("iri", [EX + "a>b", EX + "a b", EX + 'a"b', EX + "a{b", EX + "a}b", EX + "a|b", EX + "a^b",
                                 EX + "a`b", EX + "a\\b", EX + "a\nb", EX + "a\x00b", EX + "a\x85b", "relative/path",
                                 "#frag", "", "http://x> } ; DROP ALL #"])
def test_iris_outside_iriref_are_refused(iri: str) -> None:
    with pytest.raises(ValueError):
        sparql_term(URIRef(iri))


def test_iris_are_written_as_they_are() -> None:
    for iri in [EX + "a", "urn:x:y", "https://w3id.org/asp-kg/id/state/UKR", EX + "é?q=1&r=%20#f", "mailto:a@b"]:
        assert bound(URIRef(iri)) == ox.NamedNode(iri)


def test_blank_nodes_cannot_be_bound() -> None:
    with pytest.raises(ValueError):
        bind_values("SELECT * {}", {"x": BNode("b0")})


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_literals_stay_one_literal(value: str) -> None:
    for term, expected in [
        (Literal(value), ox.Literal(value)),
        (Literal(value, lang="en"), ox.Literal(value, language="en")),
        (Literal(value, datatype=URIRef(EX + "dt")), ox.Literal(value, datatype=ox.NamedNode(EX + "dt"))),
    ]:
        query = bind_values("SELECT ?x ?y WHERE { BIND(1 AS ?y) }", {"x": term})
        (row,) = run(query)
        assert row["x"] == expected and row["y"] == ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"])))
def test_any_text_round_trips(value: str) -> None:
    assert bound(Literal(value)) == ox.Literal(value)


def test_typed_literals_keep_their_lexical_form_and_language_tags_their_case() -> None:
    # the text keeps "01" (Oxigraph itself then reads it as the integer 1, embedded or remote alike)
    assert sparql_term(Literal("01", datatype=URIRef(XSD + "integer"), normalize=False)) == f'"01"^^<{XSD}integer>'
    assert bound(Literal("2024-02-01", datatype=URIRef(XSD + "date"))) == ox.Literal(
        "2024-02-01", datatype=ox.NamedNode(XSD + "date"))
    assert bound(Literal("x", lang="en-GB")) == ox.Literal("x", language="en-GB")
    assert sparql_term(Literal("x", datatype=URIRef(XSD + "string"))) == '"x"'


def _with_language(tag: str) -> Literal:
    lit = Literal("x", lang="en")
    lit._language = tag  # rdflib checks tags too; a term built elsewhere might not be
    return lit


@pytest.mark.parametrize("term", [
    _with_language("en } #"), _with_language("en\n"), Literal("x", datatype=URIRef("http://x> . } #")),
    Literal("x", datatype=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString")),
])
def test_bad_language_tags_and_datatypes_are_refused(term: Literal) -> None:
    with pytest.raises(ValueError):
        sparql_term(term)


# --- the same answers as substitutions --------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded(built_layout: Layout) -> EmbeddedRepository:
    return EmbeddedRepository(built_layout, Settings.from_env(data_dir=built_layout.root))


def _rows(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in rows)


def _default_bindings(slug: str) -> dict:
    return canned_queries()[slug].bindings({})


SELECTS = ["party-on", "parties-on-date", "bureau-session", "election-rounds", "resolutions-session", "statements",
           "who-says-so"]


@pytest.mark.parametrize("slug", SELECTS)
def test_canned_selects_give_the_rows_of_substitutions(embedded: EmbeddedRepository, slug: str) -> None:
    query, bindings = canned_queries()[slug].text, _default_bindings(slug)
    substituted = embedded.select(query, bindings)
    assert substituted, f"{slug}: no rows with its default parameters, a weak comparison"
    assert _rows(embedded.select(bind_values(query, bindings))) == _rows(substituted)


def test_construct_and_ask_give_the_answers_of_substitutions(embedded: EmbeddedRepository) -> None:
    query, bindings = canned_queries()["describe-session"].text, _default_bindings("describe-session")
    substituted = embedded.construct(query, bindings)
    assert substituted and sorted(embedded.construct(bind_values(query, bindings))) == sorted(substituted)
    ask = "ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    for label in [Literal("Ukraine", lang="en"), Literal("} ; DROP ALL #", lang="en")]:
        assert embedded.ask(bind_values(ask, {"label": label})) == embedded.ask(ask, {"label": label})


def test_literal_bindings_give_the_rows_of_substitutions(embedded: EmbeddedRepository) -> None:
    """A language-tagged label, a typed date and a plain string, each found in the data first."""
    picks = embedded.select("""SELECT ?label WHERE {
      ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label . FILTER(LANG(?label) != "")
    } LIMIT 1""")
    assert picks
    query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    for term in [picks[0]["label"], Literal(str(picks[0]["label"])), Literal(str(picks[0]["label"]), lang="xx")]:
        assert _rows(embedded.select(bind_values(query, {"label": term}))) == _rows(
            embedded.select(query, {"label": term}))
    date_query = "SELECT ?m ?d WHERE { ?m <https://w3id.org/asp-kg/ontology#startDate> ?d }"
    date = embedded.select(date_query + " LIMIT 1")[0]["d"]
    expected = _rows(embedded.select(date_query, {"d": date}))
    assert _rows(embedded.select(bind_values(date_query, {"d": date}))) == expected


def test_engine_answers_keep_lexical_forms_but_read_virtuoso_booleans():
    from api.store.answers import json_term, ntriples

    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert str(json_term({"type": "literal", "value": "01", "datatype": xsd + "integer"})) == "01"
    one = json_term({"type": "typed-literal", "value": "1", "datatype": xsd + "boolean"})
    assert str(one) == "true" and str(one.datatype) == xsd + "boolean"
    (_, _, zero), = ntriples(f'<http://a> <http://b> "0"^^<{xsd}boolean> .\n'.encode())
    assert str(zero) == "false"
