"""The published @context, loaded once, and the lookups that turn RDF terms into its short keys."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

CONTEXT_FILE = Path(__file__).resolve().parent.parent / "context.jsonld"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass
class Vocab:
    """Maps predicate IRIs to keys (with their coercion) and class IRIs to short names."""

    document: dict
    prefixes: dict[str, str] = field(default_factory=dict)
    key_of: dict[str, str] = field(default_factory=dict)
    coercion: dict[str, str | None] = field(default_factory=dict)
    class_name: dict[str, str] = field(default_factory=dict)
    reverse_key: dict[str, str] = field(default_factory=dict)

    def expand(self, compact: str) -> str:
        prefix, _, local = compact.partition(":")
        return self.prefixes[prefix] + local if prefix in self.prefixes else compact

    def compact(self, iri: str) -> str:
        """A compact IRI (``skos:Concept``) when a prefix fits, else the IRI itself."""
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(best) and "/" not in iri[len(ns) :]:
                best = prefix
        return f"{best}:{iri[len(self.prefixes[best]) :]}" if best else iri

    def key(self, predicate: str) -> str:
        if predicate == RDF_TYPE:
            return "type"
        return self.key_of.get(predicate) or self.compact(predicate)

    def type_name(self, iri: str) -> str:
        return self.class_name.get(iri) or self.compact(iri)


@lru_cache(maxsize=4)
def vocab(path: Path = CONTEXT_FILE) -> Vocab:
    """The lookups of a context file: the checkout's, or a served version's frozen copy."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    ctx = doc["@context"]
    v = Vocab(document=doc)
    for term, value in ctx.items():
        if isinstance(value, str) and value.endswith(("#", "/")) and "://" in value:
            v.prefixes[term] = value
    for term, value in ctx.items():
        if term.startswith("@") or term in v.prefixes:
            continue
        if isinstance(value, str) and not value.startswith("@"):
            v.class_name[v.expand(value)] = term
        elif isinstance(value, dict) and "@reverse" in value:
            v.reverse_key.setdefault(v.expand(value["@reverse"]), term)
        elif isinstance(value, dict):
            iri = v.expand(value["@id"])
            if iri not in v.key_of:
                v.key_of[iri] = term
                t = value.get("@type")
                v.coercion[term] = t if t in (None, "@id") else v.expand(t)
    return v
