"""The one IRI check of the API (``api/iri.py``) never lets through what an engine would refuse: an IRI it
accepts is accepted by Oxigraph's parser too (which follows RFC 3987), whatever characters it holds."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from api.iri import iri_problem


@settings(max_examples=2000, deadline=None)
@given(st.text(max_size=12), st.sampled_from(["/", "/path?q=", "/p#frag", "?a=1&b="]))
def test_what_we_accept_the_engine_accepts(text, middle):
    iri = "https://example.org" + middle + text
    if iri_problem(iri) is None:
        ox.NamedNode(iri)  # raises ValueError if the engine refuses it


def test_reasons_are_readable():
    assert "space" in iri_problem("https://x.org/a b")
    assert "absolute" in iri_problem("x y")
    assert "U+F9543" in iri_problem("https://x.org/\U000f9543")
    assert iri_problem("https://x.org/?\U000f9543") is None  # private use is allowed in the query
    assert iri_problem("https://x.org/état") is None
