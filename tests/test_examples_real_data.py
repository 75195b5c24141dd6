"""Every example question of the query page answers something on the real graph."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from api.sparql.examples import EXAMPLES
from graph.store import Layout, open_read_only


@pytest.fixture(scope="module")
def store(built_layout: Layout) -> ox.Store:
    return open_read_only(built_layout)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.slug for e in EXAMPLES])
def test_example_has_answers_on_the_real_graph(store: ox.Store, example) -> None:
    result = store.query(example.query)
    if isinstance(result, ox.QueryBoolean):
        assert bool(result)
    else:
        assert len(list(result)) > 0, f"{example.slug} returned nothing on the real graph"


def test_there_are_at_least_fifteen_examples() -> None:
    assert len(EXAMPLES) >= 15
