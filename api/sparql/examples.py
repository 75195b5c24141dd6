"""Ready-made researcher questions: shown on the query page and replayed by the benchmark.

They are the canned queries of ``api/queries/*.rq`` (also served with parameters at ``/queries/NAME``),
with each parameter's default in a VALUES clause, so every one runs unchanged on any SPARQL engine
(the benchmark sends them to three servers). They follow the instance shapes of ``ontology/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.sparql.canned import canned_queries

ID = "https://w3id.org/asp-kg/id/"


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    query: str


EXAMPLES: tuple[Example, ...] = tuple(Example(q.slug, q.title, q.with_defaults) for q in canned_queries().values())
