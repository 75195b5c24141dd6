"""Helpers shared by the linked-data tests: an app on the fixture store and pyld with a local context."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "api" / "context.jsonld"
_CONTEXT = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))


def local_loader(url: str, options=None) -> dict:
    """Resolves our @context from the file; refuses every other remote document (no network in tests)."""
    if url.endswith("/context.jsonld"):
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": _CONTEXT,
        }
    raise jsonld.JsonLdError(
        f"refusing to fetch {url}", "loading document failed", code="loading document failed"
    )


def to_quads(doc: dict) -> set[ox.Quad]:
    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": local_loader})
    return set(ox.parse(nq.encode(), format=ox.RdfFormat.N_QUADS))


def split(quads: set[ox.Quad]) -> tuple[set[ox.Triple], set[ox.Quad]]:
    default = {
        ox.Triple(q.subject, q.predicate, q.object) for q in quads if q.graph_name == ox.DefaultGraph()
    }
    named = {q for q in quads if q.graph_name != ox.DefaultGraph()}
    return default, named


def store_triples(store: ox.Store, subject: str) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, ox.DefaultGraph())
    }


def in_store(store: ox.Store, t: ox.Triple) -> bool:
    return any(True for _ in store.quads_for_pattern(t.subject, t.predicate, t.object, ox.DefaultGraph()))


def named_quads(store: ox.Store, subject: str) -> set[ox.Quad]:
    return {
        q
        for q in store.quads_for_pattern(ox.NamedNode(subject), None, None)
        if q.graph_name != ox.DefaultGraph()
    }
