"""Collections: filters, sorting, Hydra paging, and members that are true triples of the store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from ld_fixtures import ID, build_fixture
from ld_support import in_store, split, to_quads

from api.app import create_app
from graph.settings import Settings
from graph.store import open_read_only

HYDRA = "http://www.w3.org/ns/hydra/core#"


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("ldc"))


@pytest.fixture(scope="module")
def client(layout):
    return TestClient(create_app(Settings.from_env(data_dir=layout.root)))


def ids(doc: dict) -> list[str]:
    return [m["id"].rsplit("/", 1)[-1] for m in doc["items"]]


def get(client, url: str) -> dict:
    r = client.get(url, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/ld+json")
    return r.json()


def test_states_party_on(client):
    doc = get(client, "/states?party_on=2020-01-01")
    assert ids(doc) == ["ARG", "NLD", "TUN", "VEN"]  # BDI withdrew in 2017, UKR and ARM joined later
    assert doc["totalItems"] == 4
    assert ids(get(client, "/states?party_on=2010-01-01")) == ["ARG", "BDI", "NLD", "VEN"]


def test_states_group_and_sort(client):
    assert ids(get(client, "/states?group=GRULAC")) == ["ARG", "VEN"]
    assert ids(get(client, "/states?group=GRULAC&sort=-label")) == ["VEN", "ARG"]
    assert ids(get(client, "/states?sort=-entryIntoForceDate&page_size=2")) == ["UKR", "ARM"]
    assert client.get("/states?sort=nonsense").status_code == 400


def test_resolutions_elections_sessions_persons_organs(client):
    assert ids(get(client, "/resolutions?session=22")) == ["Res.1", "Res.3"]
    assert get(client, "/resolutions?session=21")["totalItems"] == 0
    assert ids(get(client, "/elections?kind=judges&year=2023")) == ["2023-judges"]
    assert get(client, "/elections?kind=judges&year=2020")["totalItems"] == 0
    assert ids(get(client, "/sessions?kind=regular")) == ["21", "22"]
    assert ids(get(client, "/sessions?year=2022")) == ["21"]
    assert ids(get(client, "/persons?nationality=TUN")) == ["haykel-ben-mahfoudh"]
    assert get(client, "/organs")["totalItems"] == 3


def test_hydra_paging(client):
    first = get(client, "/states?page_size=3")
    assert first["type"] == "Collection" and first["totalItems"] == 8 and len(first["items"]) == 3
    view = first["view"]
    assert view["type"] == "PartialCollectionView"
    assert "previous" not in view and view["next"].endswith("page=2")
    assert view["last"].endswith("page=3")
    second = client.get(view["next"], headers={"Accept": "application/ld+json"}).json()
    assert second["view"]["previous"].endswith("page=1") and "page_size=3" in second["view"]["next"]
    third = get(client, "/states?page_size=3&page=3")
    assert len(third["items"]) == 2 and "next" not in third["view"]
    everything = ids(first) + ids(second) + ids(third)
    assert len(set(everything)) == 8


def test_collection_is_real_jsonld(client, layout):
    store = open_read_only(layout)
    doc = get(client, "/states?group=GRULAC")
    default, named = split(to_quads(doc))
    assert not named
    collection = [t for t in default if t.predicate.value.startswith(HYDRA)]
    assert any(t.predicate.value == HYDRA + "totalItems" and t.object.value == "2" for t in collection)
    members = {t.object.value for t in collection if t.predicate.value == HYDRA + "member"}
    assert members == {ID + "state/ARG", ID + "state/VEN"}
    facts = [
        t
        for t in default
        if not t.predicate.value.startswith(HYDRA) and not t.subject.value.startswith("http://testserver/")
    ]
    assert facts and all(in_store(store, t) for t in facts)


def test_collection_html(client):
    r = client.get("/states?group=GRULAC", headers={"Accept": "text/html"})
    assert r.status_code == 200 and 'href="/id/state/ARG"' in r.text and "2 states" in r.text
    r = client.get("/states?page_size=2", headers={"Accept": "text/html"})
    assert 'rel="next"' in r.text
