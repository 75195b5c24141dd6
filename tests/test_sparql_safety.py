"""Unit tests of the checks run before evaluation: tokenizer, SERVICE/update refusal, cache keys."""

from __future__ import annotations

import pytest

from api.sparql.cache import Entry, ResultCache, etag_for, etag_matches, make_key
from api.sparql.errors import SparqlError
from api.sparql.examples import EXAMPLES
from api.sparql.safety import analyse, check

SAFE_MENTIONS = [
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://evil/>",
    'SELECT * WHERE { ?s ?p "SERVICE <http://evil/> { }" }',
    "SELECT * WHERE { ?s ?p '''multi\nSERVICE\nline''' }",
    "SELECT * WHERE { ?s <http://x/SERVICE> ?o }",
    "PREFIX SERVICE: <http://x/> SELECT * WHERE { ?s SERVICE:p ?o }",
    "PREFIX x: <http://x/> SELECT ?SERVICE WHERE { ?SERVICE x:SERVICE $SERVICE }",
    'SELECT * WHERE { ?s ?p "x"@service }',
]
OUTBOUND = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * WHERE { ?x ?y ?z . SeRvIcE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { # comment\n SERVICE <http://a/> {} }",
    r"SELECT * WHERE { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "a" . SERVICE <http://127.0.0.1:9/> { ?s ?p "#" } }',
]
UPDATES = [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "PREFIX x: <http://x/> DELETE WHERE { ?s x:p ?o }",
    "BASE <http://x/> LOAD <http://127.0.0.1:9/data.ttl>",
    "drop all",
    "CLEAR GRAPH <http://g>",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", SAFE_MENTIONS)
def test_service_in_comments_strings_iris_and_names_is_not_a_keyword(query):
    assert not analyse(query).uses_service
    check(query)


@pytest.mark.parametrize("query", OUTBOUND)
def test_service_keyword_is_refused_whatever_the_spelling(query):
    with pytest.raises(SparqlError) as e:
        check(query)
    assert e.value.status == 400 and "SERVICE" in e.value.detail


@pytest.mark.parametrize("query", UPDATES)
def test_updates_are_refused(query):
    with pytest.raises(SparqlError) as e:
        check(query)
    assert e.value.status == 400 and "read-only" in e.value.detail


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX a: <http://a/> BASE <http://b/> PREFIX : <http://c/> select * {}", "SELECT"),
        ("# hi\nASK {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://a>", "DESCRIBE"),
        ("nonsense", None),
    ],
)
def test_query_form_is_found_after_the_prologue(query, form):
    assert analyse(query).form == form


def test_normalised_form_ignores_comments_and_layout_but_not_strings():
    a = analyse("SELECT * WHERE {\n  ?s ?p ?o # all\n}").normalised
    b = analyse("SELECT  *  WHERE { ?s ?p ?o }").normalised
    assert a == b
    assert analyse('ASK { ?s ?p "a  b" }').normalised != analyse('ASK { ?s ?p "a b" }').normalised
    assert (
        analyse('ASK{?s ?p "x"^^<http://t>}').normalised != analyse('ASK{?s ?p "x"^ ^<http://t>}').normalised
    )


def test_nondeterministic_queries_are_not_cacheable():
    assert not analyse("SELECT (NOW() AS ?t) {}").deterministic
    assert not analyse("SELECT (RAND() AS ?r) {}").deterministic
    assert analyse("SELECT ?now { ?now ?p ?o }").deterministic
    assert analyse('SELECT * { ?s ?p "NOW()" }').deterministic


def test_dataset_clause_is_detected():
    assert analyse("SELECT * FROM <http://g> { ?s ?p ?o }").has_dataset_clause
    assert not analyse("SELECT * { ?s <http://x/from> ?o }").has_dataset_clause


def test_examples_are_many_and_safe():
    assert len(EXAMPLES) >= 15
    for example in EXAMPLES:
        a = check(example.query)
        assert a.form in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def test_cache_is_bounded_and_keyed_by_version():
    cache = ResultCache(entries=2)
    k1, k2, k3 = (make_key("v1", f"q{i}", (), "application/json") for i in range(3))
    for k in (k1, k2, k3):
        cache.put(k, Entry(b"x", etag_for(k)))
    assert len(cache) == 2 and cache.get(k1) is None and cache.get(k3) is not None
    assert etag_for(k1) != etag_for(make_key("v2", "q0", (), "application/json"))
    disabled = ResultCache(entries=0)
    disabled.put(k1, Entry(b"x", "e"))
    assert disabled.get(k1) is None


def test_etag_matching_follows_rfc_9110():
    tag = '"v1-abc"'
    assert etag_matches('"v1-abc"', tag)
    assert etag_matches('W/"v1-abc"', tag)
    assert etag_matches('"other", "v1-abc"', tag)
    assert etag_matches("*", tag)
    assert not etag_matches('"other"', tag)
    assert not etag_matches(None, tag)
