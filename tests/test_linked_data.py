"""Entity documents: JSON-LD that expands to exactly the graph's triples, negotiation, alternates, 404s."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from ld_fixtures import ID, build_fixture
from ld_support import in_store, named_quads, split, store_triples, to_quads

from api.app import create_app
from api.linked_data import contextgen
from api.linked_data.common import local_path, split_suffix
from graph.namespaces import CLAIMS_GRAPH
from graph.settings import Settings
from graph.store import open_read_only

ENTITIES = [
    "session/22",
    "session/21",
    "state/BDI",
    "state/ARM",
    "state/UKR",
    "election/2023-judges",
    "election/2023-judges/round/1",
    "election/2023-judges/candidacy/jane-doe",
    "resolution/ICC-ASP/22/Res.3",
    "resolution/ICC-ASP/22/Res.1",
    "organ/assembly",
    "organ/cbf",
    "person/haykel-ben-mahfoudh",
    "regional-group/GRULAC",
    "regional-group",
    "venue/world-forum",
    "source/cicc-asp22",
    "membership/BDI-party",
    "budget/2024/approved",
]


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("ld"))


@pytest.fixture(scope="module")
def client(layout):
    return TestClient(create_app(Settings.from_env(data_dir=layout.root)))


@pytest.fixture(scope="module")
def store(layout):
    return open_read_only(layout)


def get_doc(client, key: str) -> dict:
    r = client.get(f"/id/{key}", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.mark.parametrize("key", ENTITIES)
def test_jsonld_is_exactly_the_graph(client, store, key):
    """No fact lost, none invented: every triple is the store's, every triple of the entity is there,
    and the per-source claims are exactly the entity's quads in the named graphs."""
    doc = get_doc(client, key)
    assert doc["@context"] == "http://testserver/context.jsonld"
    default, named = split(to_quads(doc))
    claims = {ox.Triple(q.subject, q.predicate, q.object)
              for q in store.quads_for_pattern(None, None, None, ox.NamedNode(CLAIMS_GRAPH))}
    invented = {t for t in default if not in_store(store, t) and t not in claims}
    assert not invented
    assert store_triples(store, ID + key) <= default
    assert named == named_quads(store, ID + key)
    # every ranked claim about the entity is in the document, with its rank and reason
    about = {t.subject for t in claims if t.predicate.value.endswith("#subject") and t.object.value == ID + key}
    assert {t for t in claims if t.subject in about} <= default


@pytest.mark.parametrize(
    "key", ["session/22", "state/BDI", "election/2023-judges", "resolution/ICC-ASP/22/Res.3"]
)
@pytest.mark.parametrize(
    "suffix,fmt",
    [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("rdf", ox.RdfFormat.RDF_XML)],
)
def test_rdf_formats_carry_the_same_triples(client, key, suffix, fmt):
    default, _ = split(to_quads(get_doc(client, key)))
    r = client.get(f"/id/{key}.{suffix}")
    assert r.status_code == 200
    parsed = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(r.content, format=fmt)}
    assert parsed == default


def _subjects_triples(store, subjects):
    out = set()
    for s in subjects:
        out |= store_triples(store, s)
    return out


def test_session_embeds_dates_venue_resolutions_elections_officers(client, store):
    doc = get_doc(client, "session/22")
    assert doc["type"] == "RegularSession" or "RegularSession" in doc["type"]
    assert doc["startDate"] == "2023-12-04"
    assert doc["endDate"] == "2023-12-14"  # the preferred value; the other claim is ranked beside it
    ranked = {(c["predicate"], c["object"]["@value"]): c for c in doc["rankedClaims"]}
    assert ranked[("asp:endDate", "2023-12-14")]["rank"] == "wikibase:PreferredRank"
    other = ranked[("asp:endDate", "2023-12-15")]
    assert other["rank"] == "wikibase:NormalRank" and other["statedBy"] == ID + "source/un-overview"
    assert "tier-2" in other["rankReason"]["@value"] and other["rankRule"] == ID + "rank-rule/tier"
    assert doc["venue"]["label"] == "United Nations Headquarters, New York"
    assert {r["symbol"] for r in doc["resolutions"]} == {"ICC-ASP/22/Res.1", "ICC-ASP/22/Res.3"}
    election = doc["elections"][0]
    assert election["id"] == ID + "election/2023-judges"
    assert election["mandates"][0]["role"]["id"] == ID + "role/judge"
    assert doc["sessionNumber"] == 22
    default, _ = split(to_quads(doc))
    embedded = [ID + "resolution/ICC-ASP/22/Res.3", ID + "election/2023-judges", ID + "budget/2024/approved"]
    assert _subjects_triples(store, embedded) <= default


def test_state_embeds_party_status_history(client, store):
    doc = get_doc(client, "state/BDI")
    status = doc["partyStatus"]
    assert status["startDate"] == "2004-12-01" and status["endDate"] == "2017-10-27"
    assert status["memberDuring"]["hasEnd"]["inXSDDate"] == "2017-10-27"
    default, _ = split(to_quads(doc))
    assert (
        _subjects_triples(store, [ID + "membership/BDI-party", ID + "membership/BDI-party#interval"])
        <= default
    )


def test_election_embeds_candidates_rounds_and_counts(client, store):
    doc = get_doc(client, "election/2023-judges")
    assert len(doc["candidacies"]) == 2
    rounds = {r["roundNumber"]: r for r in doc["rounds"]}
    assert set(rounds) == {1, 2}
    assert {c["votesReceived"] for c in rounds[1]["counts"]} == {72, 41}
    default, _ = split(to_quads(doc))
    counts = [ID + "election/2023-judges/round/1/count/jane-doe", ID + "election/2023-judges/round/2"]
    assert _subjects_triples(store, counts) <= default


def test_sources_and_claims(client):
    doc = get_doc(client, "state/ARM")
    sources = {s["id"]: s for s in doc["sources"]}
    assert sources[ID + "source/un-overview"]["title"] == "Sessions of the Assembly (UN overview)"
    assert doc["partyNumber"] == 123  # the tier-2 source's value; the tier-3 one is kept and ranked normal
    by_graph = {c["id"]: c["@graph"][0] for c in doc["claims"]}
    assert by_graph[ID + "source/cicc-asp22"]["partyNumber"] == 123
    assert by_graph[ID + "source/un-overview"]["partyNumber"] == 124


def test_typed_literals_round_trip(client, store):
    doc = get_doc(client, "budget/2024/approved")
    assert doc["amount"] == "187086100" and doc["budgetYear"] == "2024"
    default, _ = split(to_quads(doc))
    amount = next(t.object for t in default if t.predicate.value.endswith("#amount"))
    assert amount.datatype.value.endswith("#decimal")


@pytest.mark.parametrize(
    "accept,expected",
    [
        (None, "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle;q=0.5, application/rdf+xml;q=0.9", "application/rdf+xml"),
        ("application/n-triples, text/turtle;q=0.2", "application/n-triples"),
        ("text/html;q=0.1, application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
    ],
)
def test_negotiation_honours_q_values(client, accept, expected):
    r = client.get("/id/session/22", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]
    assert r.headers["content-location"].startswith("/id/session/22.")


def test_not_acceptable(client):
    r = client.get("/id/session/22", headers={"Accept": "image/png"})
    assert r.status_code == 406


@pytest.mark.parametrize(
    "suffix,media",
    [
        ("jsonld", "application/ld+json"),
        ("ttl", "text/turtle"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("html", "text/html"),
    ],
)
def test_suffix_and_link_alternates(client, suffix, media):
    r = client.get(f"/id/resolution/ICC-ASP/22/Res.3.{suffix}", headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    link = r.headers["link"]
    others = {"jsonld", "ttl", "nt", "rdf", "html"} - {suffix}
    for other in others:
        assert f"</id/resolution/ICC-ASP/22/Res.3.{other}>; rel=" in link
    assert f".{suffix}>" not in link
    assert 'rel="canonical"' in link
    # exactly one rel="alternate" (the JSON-LD loaders read it as one link): the JSON-LD document,
    # or from the JSON-LD document the HTML page; the other formats as alternateFormat
    main = "html" if suffix == "jsonld" else "jsonld"
    assert link.count('rel="alternate"') == 1 and f'Res.3.{main}>; rel="alternate"' in link
    assert link.count("#alternateFormat") == len(others) - 1


def test_head(client):
    r = client.head("/id/session/22.ttl")
    assert r.status_code == 200 and r.content == b""


def test_key_with_dot_is_not_a_suffix():
    assert split_suffix("resolution/ICC-ASP/22/Res.3") == ("resolution/ICC-ASP/22/Res.3", None)
    assert split_suffix("resolution/ICC-ASP/22/Res.3.ttl") == ("resolution/ICC-ASP/22/Res.3", "ttl")


def test_public_base_maps_to_server_paths():
    assert local_path("https://example.org/kg/id/state/UKR", "https://example.org/kg/") == "/id/state/UKR"
    assert local_path("https://elsewhere.org/x", "https://example.org/kg/") is None


def test_unknown_entity_suggests_near_key(client):
    r = client.get("/id/state/UKX")
    assert r.status_code == 404
    body = r.json()
    assert body["suggestions"][0] == ID + "state/UKR"
    assert "UKX" in body["detail"]
    html = client.get("/id/state/UKX", headers={"Accept": "text/html"})
    assert html.status_code == 404 and 'href="/id/state/UKR"' in html.text
    assert client.get("/id/nonsense/thing").status_code == 404


def test_context_is_published_and_generated_from_the_ontology(client):
    r = client.get("/context.jsonld")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    ctx = r.json()["@context"]
    assert ctx["startDate"] == {"@id": "asp:startDate", "@type": "xsd:date"}
    assert ctx["amount"]["@type"] == "xsd:decimal" and ctx["label"] == {"@id": "rdfs:label"}
    assert ctx["session"]["@type"] == "@id"
    assert contextgen.render() == contextgen.CONTEXT_FILE.read_text(encoding="utf-8"), (
        "api/context.jsonld is stale: run python -m api.linked_data.contextgen"
    )


def test_html_entity_page(client):
    r = client.get("/id/session/22", headers={"Accept": "text/html"})
    assert r.status_code == 200
    html = r.text
    assert "Where sources disagree" in html and "2023-12-15" in html and "2023-12-14" in html
    assert "other sources say" in html and "preferred" in html
    assert 'href="/id/venue/un-hq-new-york"' in html
    assert 'href="/id/session/22.ttl"' in html and "/sparql?query=DESCRIBE%20%3Chttps%3A" in html
    assert 'id="source-1"' in html and 'class="cite"' in html
    election = client.get("/id/election/2023-judges.html").text
    assert "<svg" in election and "Votes per round" in election


def test_new_version_is_served_without_restart(tmp_path):
    layout = build_fixture(tmp_path)
    c = TestClient(create_app(Settings.from_env(data_dir=layout.root)))
    assert get_doc(c, "organ/cbf")["label"] == "Committee on Budget and Finance"
    extra = [
        ox.Quad(
            ox.NamedNode(ID + "organ/cbf"),
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
            ox.Literal("new"),
            ox.NamedNode(ID + "source/cicc-asp22"),
        )
    ]
    build_fixture(tmp_path, version="v2", extra=extra)
    assert get_doc(c, "organ/cbf")["comment"] == "new"


def test_openapi_documents_routes_with_examples(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in (
        "/id/{path}",
        "/states",
        "/sessions",
        "/organs",
        "/elections",
        "/resolutions",
        "/persons",
        "/context.jsonld",
        "/ontology",
    ):
        assert p in paths, p
    assert "example" in json.dumps(paths["/id/{path}"])
    names = {prm["name"] for prm in paths["/states"]["get"]["parameters"]}
    assert {"party_on", "group", "sort", "page"} <= names
