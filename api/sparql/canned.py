"""Canned queries: the example questions as named query files with parameters (``api/queries/*.rq``).

A file starts with comment lines ``# title: ...`` and ``# param: NAME KIND DEFAULT HELP``; the query
uses ``?NAME`` where the value goes. ``/queries/NAME`` runs it with the values of the request's
parameters bound by the repository (substitutions, or a VALUES block; never spliced into the text). The query page
and the benchmark use ``with_defaults``: the same text with a ``VALUES`` block of the defaults at the
start of its WHERE group (``api/store/values.py``), which any SPARQL engine runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from rdflib.term import Literal, URIRef

from api.store.base import Term
from api.store.values import bind_values

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
ID = "https://w3id.org/asp-kg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
KINDS = {  # kind -> (what a value looks like, in words)
    "date": "a date YYYY-MM-DD",
    "integer": "a whole number",
    "session": "a session key such as 22, 19-r2 or rc-2010",
    "state": "an ISO 3166-1 alpha-3 code such as UKR",
    "election": "an election key such as 2023-judges",
    "string": "text",
}


class BadParameter(ValueError):
    """A parameter value that does not fit its kind: a 400 naming the parameter."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    default: str
    help: str

    def term(self, value: str) -> Term:
        """The value as an RDF term, checked against the parameter's kind."""
        v = value.strip()
        if self.kind == "date":
            try:
                date.fromisoformat(v)
            except ValueError:
                raise BadParameter(f"{self.name}={value!r}: expected {KINDS['date']}") from None
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                raise BadParameter(f"{self.name}={value!r}: expected {KINDS['date']}")
            return Literal(v, datatype=URIRef(XSD + "date"), normalize=False)
        if self.kind == "integer":
            if not re.fullmatch(r"-?[0-9]{1,9}", v):
                raise BadParameter(f"{self.name}={value!r}: expected {KINDS['integer']}")
            return Literal(v, datatype=URIRef(XSD + "integer"), normalize=False)
        if self.kind in ("session", "state", "election"):
            if not KEY.match(v):
                raise BadParameter(f"{self.name}={value!r}: expected {KINDS[self.kind]}")
            return URIRef(f"{ID}{self.kind}/{v}")
        if len(v) > 200 or any(ord(c) < 32 for c in v):
            raise BadParameter(f"{self.name}={value!r}: expected up to 200 characters of text")
        return Literal(v)


@dataclass(frozen=True)
class CannedQuery:
    slug: str
    title: str
    params: tuple[Param, ...]
    text: str  # the query, with ?NAME where each parameter's value goes

    def bindings(self, values: dict[str, str]) -> dict[str, Term]:
        """Every parameter's term: the request's value, or the default."""
        return {p.name: p.term(values.get(p.name) or p.default) for p in self.params}

    @property
    def with_defaults(self) -> str:
        """The query with its defaults in a VALUES block at the start of its WHERE group (for the
        query page and the benchmark: text any SPARQL engine runs)."""
        if not self.params:
            return self.text
        return bind_values(self.text, {p.name: p.term(p.default) for p in self.params})


def parse(path: Path) -> CannedQuery:
    title, params, lines = path.stem, [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# title:"):
            title = line.split(":", 1)[1].strip()
        elif line.startswith("# param:"):
            name, kind, default, help_ = line.split(":", 1)[1].split(maxsplit=3)
            if kind not in KINDS:
                raise ValueError(f"{path.name}: unknown parameter kind {kind!r}")
            params.append(Param(name, kind, default, help_))
        else:
            lines.append(line)
    return CannedQuery(path.stem, title, tuple(params), "\n".join(lines).strip() + "\n")


@cache
def canned_queries() -> dict[str, CannedQuery]:
    return {q.slug: q for q in (parse(p) for p in sorted(QUERIES_DIR.glob("*.rq")))}
